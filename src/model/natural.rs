//! Names in the order people read them: ignoring case, with the numbers in them compared as numbers, so
//! that "Story 9" comes before "Story 10" and "#104" before "#10088" (as a file browser lists files).
//!
//! A name's sort key is its lowercased bytes with each run of digits written as a marker, the run's
//! length and its digits without leading zeros: two keys compared byte by byte give that order, so a
//! list of them sorts as plain bytes (eight at a time in the list's sort) with no comparison function.

/// Marks a run of digits in a key: the byte of the digit `0`, so that a number sorts against any other
/// character where its first digit would.
const NUMBER: u8 = b'0';

/// Appends the sort key of `lowered` (a name already lowercased) to `key`.
pub fn key_into(key: &mut Vec<u8>, lowered: &[u8]) {
    keyed(key, lowered, false);
}

/// Appends the sort key of `name`, an ASCII name in any case, to `key`: [`key_into`] of it lowercased,
/// without lowercasing it elsewhere first.
pub fn ascii_key_into(key: &mut Vec<u8>, name: &[u8]) {
    keyed(key, name, true);
}

/// Appends the key of `name` to `key`, lowercasing its ASCII letters (not the numbers' lengths) when
/// `lower`.
fn keyed(key: &mut Vec<u8>, name: &[u8], lower: bool) {
    let push_text = |key: &mut Vec<u8>, text: &[u8]| {
        let start = key.len();
        key.extend_from_slice(text);
        if lower && let Some(added) = key.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    };
    let mut rest = name;
    while let Some(first) = rest.iter().position(u8::is_ascii_digit) {
        let (text, from_digits) = rest.split_at(first);
        push_text(key, text);
        let length = from_digits.iter().position(|byte| !byte.is_ascii_digit()).unwrap_or(from_digits.len());
        let (digits, after) = from_digits.split_at(length);
        // Leading zeros say nothing of the number: "007" is 7 (a run of zeros is 0).
        let zeros = digits.iter().take_while(|digit| **digit == b'0').count().min(digits.len() - 1);
        let digits = digits.get(zeros..).unwrap_or(digits);
        // The longer number is the larger; a number of more than 65,535 digits is compared by them alone.
        let length = u16::try_from(digits.len()).unwrap_or(u16::MAX);
        key.push(NUMBER);
        key.extend_from_slice(&length.to_be_bytes());
        key.extend_from_slice(digits);
        rest = after;
    }
    push_text(key, rest);
}

/// The sort key of `name` (any case).
#[must_use]
pub fn key(name: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(name.len() + 6);
    if name.is_ascii() {
        ascii_key_into(&mut key, name.as_bytes());
    } else {
        key_into(&mut key, name.to_lowercase().as_bytes());
    }
    key
}

#[cfg(test)]
mod tests {
    use super::{key, key_into};

    /// `names` sorted by their keys.
    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
        names.sort_by_cached_key(|name| key(name));
        names
    }

    #[test]
    fn numbers_in_names_sort_as_numbers_and_case_is_ignored() {
        assert_eq!(
            sorted(&["Story 10", "story 9", "Story 100", "Story", "Story 9b", "Story 9 a"]),
            ["Story", "story 9", "Story 9 a", "Story 9b", "Story 10", "Story 100"]
        );
        assert_eq!(sorted(&["#10088", "#104", "#2", "#0"]), ["#0", "#2", "#104", "#10088"]);
        // Leading zeros do not count; the numbers are the same, so the names tie.
        assert_eq!(key("v007"), key("V7"));
        assert_eq!(key("000"), key("0"));
        // A number of 65 digits has the length of an 'A', which stays one.
        let long = format!("A{}Z", "9".repeat(65));
        let mut lowered = Vec::new();
        key_into(&mut lowered, long.to_lowercase().as_bytes());
        assert_eq!(key(&long), lowered);
        assert!(key("Release 1.2.10") > key("Release 1.2.9"));
        // Numbers longer than any integer type.
        assert!(key("id 123456789012345678901234567890") > key("id 99999999999999999999999999999"));
    }

    #[test]
    fn a_number_sorts_against_other_characters_where_its_first_digit_would() {
        // Space, '#' and '-' come before digits; ':', letters and non-ASCII letters after.
        assert_eq!(sorted(&["a:", "a5", "a-", "a ", "ab", "aé"]), ["a ", "a-", "a5", "a:", "ab", "aé"]);
        // A name that ends comes before a longer one, a number or not.
        assert_eq!(sorted(&["plan 1", "plan", "plan a"]), ["plan", "plan 1", "plan a"]);
        assert_eq!(sorted(&["Über 2", "über 10", "Äpfel"]), ["Äpfel", "Über 2", "über 10"]);
    }
}
