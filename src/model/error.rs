//! Validation errors: what a user typed that Tandem will not keep, and what to do instead.

/// A number as a user reads it in a message: as typed for everyday sizes, in scientific notation
/// ("1e308") where writing it out would take dozens of digits.
fn readable(value: f64) -> String {
    let size = value.abs();
    if size != 0.0 && !(1e-4..1e9).contains(&size) { format!("{value:e}") } else { format!("{value}") }
}

/// A rule of the domain that a value breaks. Each message names the field and says what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValidationError {
    /// A name or title is empty or only spaces.
    #[error("The {field} is empty: type at least one letter.")]
    Empty {
        /// Which field, in the words a user sees.
        field: &'static str,
    },
    /// A text is longer than Tandem keeps.
    #[error("The {field} is {length} characters long; keep it under {max}.")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its length in characters.
        length: usize,
        /// The largest length kept.
        max: usize,
    },
    /// A number lies outside its allowed range.
    #[error("The {field} is {}; it must be between {} and {}.", readable(*value), readable(*min), readable(*max))]
    OutOfRange {
        /// Which field.
        field: &'static str,
        /// What was given.
        value: f64,
        /// Smallest allowed.
        min: f64,
        /// Largest allowed.
        max: f64,
    },
    /// A number is not a finite number.
    #[error("The {field} is not a number: enter digits such as 3 or 2.5.")]
    NotANumber {
        /// Which field.
        field: &'static str,
    },
    /// A count (a WIP limit) is not a whole number above zero.
    #[error("The {field} must be a whole number above zero, such as 3; leave it empty for no limit.")]
    NotACount {
        /// Which field.
        field: &'static str,
    },
    /// A date range ends before it starts.
    #[error("The {what} ends on {end}, before it starts on {start}: pick an end date on or after the start.")]
    EndBeforeStart {
        /// What has the range ("epic", "sprint", …).
        what: &'static str,
        /// Its start.
        start: jiff::civil::Date,
        /// Its end.
        end: jiff::civil::Date,
    },
    /// A label has characters that make it hard to filter by.
    #[error("The label '{0}' has a comma or a line break; use one word or a hyphen, like 'mobile-web'.")]
    BadLabel(String),
    /// Two samples of a metric share a day, or samples are out of date order.
    #[error("Two samples are dated {0} or the samples are out of order: keep one sample per day, oldest first.")]
    SampleOrder(jiff::civil::Date),
    /// An epic set to start after itself.
    #[error("The epic '{0}' cannot start after itself; remove it from its own 'starts after' list.")]
    SelfDependency(String),
}

impl ValidationError {
    /// The field the rule is about, in the words the message uses, when it is about one field.
    #[must_use]
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::Empty { field }
            | Self::TooLong { field, .. }
            | Self::OutOfRange { field, .. }
            | Self::NotANumber { field }
            | Self::NotACount { field } => Some(field),
            _ => None,
        }
    }
}

/// Checks a required one-line text: trimmed non-empty, at most `max` characters.
pub(crate) fn require_text(field: &'static str, text: &str, max: usize) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        return Err(ValidationError::Empty { field });
    }
    check_length(field, text, max)
}

/// Checks an optional text's length.
pub(crate) fn check_length(field: &'static str, text: &str, max: usize) -> Result<(), ValidationError> {
    let length = text.chars().count();
    if length > max {
        return Err(ValidationError::TooLong { field, length, max });
    }
    Ok(())
}

/// Checks that a number is finite and inside `min..=max`.
pub(crate) fn check_range(field: &'static str, value: f64, min: f64, max: f64) -> Result<(), ValidationError> {
    if !value.is_finite() {
        return Err(ValidationError::NotANumber { field });
    }
    if value < min || value > max {
        return Err(ValidationError::OutOfRange { field, value, min, max });
    }
    Ok(())
}

/// Checks that a dated range does not end before it starts.
pub(crate) fn check_dates(
    what: &'static str,
    start: jiff::civil::Date,
    end: jiff::civil::Date,
) -> Result<(), ValidationError> {
    if end < start {
        return Err(ValidationError::EndBeforeStart { what, start, end });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ValidationError;

    #[test]
    fn a_number_out_of_range_is_said_as_a_user_can_read_it() {
        let said =
            |value: f64| ValidationError::OutOfRange { field: "estimate", value, min: 0.0, max: 1000.0 }.to_string();
        assert_eq!(said(1e308), "The estimate is 1e308; it must be between 0 and 1000.");
        assert_eq!(said(-2.5), "The estimate is -2.5; it must be between 0 and 1000.");
        assert_eq!(said(1500.0), "The estimate is 1500; it must be between 0 and 1000.");
        assert_eq!(said(-0.00001), "The estimate is -1e-5; it must be between 0 and 1000.");
    }
}
