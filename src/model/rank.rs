//! Sortable rank keys: an item's place in its column, as a string that sorts between its neighbours.
//!
//! Moving a card writes one row because its new key is computed *between* the keys of its new neighbours
//! (fractional indexing, the idea behind Jira's `LexoRank` and Trello's float `pos`). Keys are base-62 digit
//! strings read as fractions in `(0, 1)`: `"V"` is about one half, `"F"` about a quarter. A key never ends
//! in the smallest digit `0`, so there is always room below it as well as above.
//!
//! Repeated inserts into the same gap make keys longer (about one character per six inserts). When a new
//! key would be longer than [`MAX_RANK_LEN`], the store respaces a small window of neighbours with
//! [`spread`], which gives short keys again.

use std::fmt;

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

/// The digits of a rank key, in ASCII order so that byte comparison is numeric comparison.
const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: u8 = 62;

/// Past this length a new key triggers a local rebalance of its neighbours.
pub const MAX_RANK_LEN: usize = 24;

/// A rank key. Compare two keys to know which item comes first in a column.
///
/// Kept inline when it is at most 23 characters long, as nearly every key is: an item's key costs no
/// allocation of its own (100,000 fewer when a large workspace opens).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rank(SmolStr);

/// Why a string is not a rank key, or why no key fits between two keys.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RankError {
    /// The key is empty, uses a character outside `0-9A-Za-z`, or ends in `0`.
    #[error("'{0}' is not a valid rank key: keys use the characters 0-9, A-Z, a-z and never end in 0")]
    Invalid(String),
    /// The lower key is not below the upper key, so nothing fits between them.
    #[error("no rank fits between '{lower}' and '{upper}' because the first is not below the second")]
    NotOrdered {
        /// The key that should have been lower.
        lower: String,
        /// The key that should have been higher.
        upper: String,
    },
}

impl Rank {
    /// Checks and wraps a stored key.
    ///
    /// # Errors
    /// [`RankError::Invalid`] when the text is not a key this module could have produced.
    pub fn parse(text: &str) -> Result<Self, RankError> {
        let valid = !text.is_empty() && text.bytes().all(|byte| digit_value(byte).is_some()) && !text.ends_with('0');
        if valid { Ok(Self(SmolStr::new(text))) } else { Err(RankError::Invalid(text.to_owned())) }
    }

    /// The key as stored in the database.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first key of an empty column.
    #[must_use]
    pub fn middle() -> Self {
        // `between(None, None)` is always `"V"`; spelt out so it cannot fail.
        Self(SmolStr::new_inline("V"))
    }

    fn digits(&self) -> Vec<u8> {
        self.0.bytes().filter_map(digit_value).collect()
    }

    fn from_digits(digits: &[u8]) -> Self {
        Self(digits.iter().filter_map(|&digit| DIGITS.get(usize::from(digit)).map(|&byte| char::from(byte))).collect())
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl TryFrom<String> for Rank {
    type Error = RankError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Rank> for String {
    fn from(rank: Rank) -> Self {
        rank.0.into()
    }
}

fn digit_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'A'..=b'Z' => Some(byte - b'A' + 10),
        b'a'..=b'z' => Some(byte - b'a' + 36),
        _ => None,
    }
}

/// A key strictly between `lower` and `upper`; `None` stands for the start or the end of the column.
///
/// # Errors
/// [`RankError::NotOrdered`] when `lower` is not strictly below `upper` (for example two items that
/// share a key after a damaged import); the store answers that with a rebalance.
pub fn between(lower: Option<&Rank>, upper: Option<&Rank>) -> Result<Rank, RankError> {
    if let (Some(low), Some(high)) = (lower, upper)
        && low >= high
    {
        return Err(RankError::NotOrdered { lower: low.to_string(), upper: high.to_string() });
    }
    let low_digits = lower.map(Rank::digits).unwrap_or_default();
    let high_digits = upper.map(Rank::digits);
    Ok(Rank::from_digits(&midpoint(&low_digits, high_digits.as_deref())))
}

/// The digits of a fraction between `low` (empty means 0) and `high` (`None` means 1).
/// Callers guarantee `low < high`.
fn midpoint(low: &[u8], high: Option<&[u8]>) -> Vec<u8> {
    if let Some(high) = high {
        // Skip the common prefix, reading missing digits of `low` as zeros.
        let shared = high
            .iter()
            .enumerate()
            .take_while(|&(index, &digit)| low.get(index).copied().unwrap_or(0) == digit)
            .count();
        if shared > 0 {
            let mut digits = high.get(..shared).unwrap_or_default().to_vec();
            digits.extend(midpoint(low.get(shared..).unwrap_or_default(), high.get(shared..)));
            return digits;
        }
    }
    let low_first = low.first().copied().unwrap_or(0);
    let high_first = high.and_then(<[u8]>::first).copied().unwrap_or(BASE);
    if high_first > low_first + 1 {
        return vec![low_first.midpoint(high_first)];
    }
    // The first digits are neighbours: either the upper key's first digit alone fits, or we go one
    // digit deeper above the lower key.
    if let Some(high) = high
        && high.len() > 1
        && let Some(&first) = high.first()
    {
        return vec![first];
    }
    let mut digits = vec![low_first];
    digits.extend(midpoint(low.get(1..).unwrap_or_default(), None));
    digits
}

/// `count` evenly spread keys strictly between `lower` and `upper`, in ascending order.
///
/// Bisection keeps them short: about `log62(count)` characters beyond the bounds' shared prefix.
///
/// # Errors
/// [`RankError::NotOrdered`] when the bounds are not in order.
pub fn spread(lower: Option<&Rank>, upper: Option<&Rank>, count: usize) -> Result<Vec<Rank>, RankError> {
    let mut keys = Vec::with_capacity(count);
    spread_into(lower, upper, count, &mut keys)?;
    Ok(keys)
}

fn spread_into(
    lower: Option<&Rank>,
    upper: Option<&Rank>,
    count: usize,
    keys: &mut Vec<Rank>,
) -> Result<(), RankError> {
    if count == 0 {
        return Ok(());
    }
    let middle = between(lower, upper)?;
    let below = count / 2;
    spread_into(lower, Some(&middle), below, keys)?;
    keys.push(middle.clone());
    spread_into(Some(&middle), upper, count - below - 1, keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rank(text: &str) -> Rank {
        Rank::parse(text).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn first_key_is_the_middle() {
        assert_eq!(between(None, None), Ok(Rank::middle()));
    }

    #[test]
    fn keys_fall_strictly_between() {
        let cases = [("1", "2"), ("V", "W"), ("z", "zz"), ("A1", "A2"), ("0001", "1"), ("y", "z")];
        for (low, high) in cases {
            let key = between(Some(&rank(low)), Some(&rank(high))).unwrap_or_else(|e| panic!("{e}"));
            assert!(rank(low) < key && key < rank(high), "{low} < {key} < {high}");
        }
    }

    #[test]
    fn open_ends_work() {
        let top = between(None, Some(&rank("1"))).unwrap_or_else(|e| panic!("{e}"));
        assert!(top < rank("1"));
        let bottom = between(Some(&rank("zzz")), None).unwrap_or_else(|e| panic!("{e}"));
        assert!(bottom > rank("zzz"));
    }

    #[test]
    fn unordered_bounds_are_an_error() {
        assert!(matches!(between(Some(&rank("b")), Some(&rank("a"))), Err(RankError::NotOrdered { .. })));
        assert!(between(Some(&rank("b")), Some(&rank("b"))).is_err());
    }

    #[test]
    fn invalid_keys_are_refused() {
        for text in ["", "a0", "a-b", "é"] {
            assert!(Rank::parse(text).is_err(), "{text:?} should be refused");
        }
    }

    #[test]
    fn repeated_inserts_into_one_gap_grow_slowly() {
        let low = rank("V");
        let mut high = rank("W");
        for _ in 0..60 {
            high = between(Some(&low), Some(&high)).unwrap_or_else(|e| panic!("{e}"));
        }
        // Each insert halves the gap: 60 halvings are about 60 / log2(62) ≈ 10 digits, plus the shared prefix.
        assert!(high.as_str().len() <= 14, "60 inserts gave {high}");
    }

    #[test]
    fn spread_is_ordered_and_short() {
        let keys = spread(None, None, 1000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(keys.len(), 1000);
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(keys.iter().all(|key| key.as_str().len() <= 3));
    }

    fn any_rank() -> impl Strategy<Value = Rank> {
        "[0-9A-Za-z]{0,6}[1-9A-Za-z]".prop_map(|text| rank(&text))
    }

    proptest! {
        #[test]
        fn between_any_two_keys(a in any_rank(), b in any_rank()) {
            prop_assume!(a != b);
            let (low, high) = if a < b { (a, b) } else { (b, a) };
            let key = between(Some(&low), Some(&high)).unwrap_or_else(|e| panic!("{e}"));
            prop_assert!(low < key && key < high);
            prop_assert!(Rank::parse(key.as_str()).is_ok());
        }
    }
}
