//! Small reusable widgets.

pub mod a11y;
pub mod card;
pub mod date_picker;
pub mod window;

/// A count as people read large ones: `60,000`, not `60000` (what a 100,000-item board shows in its
/// column headers, status bar and windows).
#[must_use]
pub fn count(value: usize) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn large_counts_are_grouped_in_thousands() {
        let shown: Vec<String> = [0, 7, 999, 1000, 60_000, 100_000, 1_234_567].into_iter().map(count).collect();
        assert_eq!(shown, ["0", "7", "999", "1,000", "60,000", "100,000", "1,234,567"]);
    }
}
