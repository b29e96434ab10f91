//! Conversions between stored text and domain values. A value that does not parse is reported as a
//! conversion failure naming the column, never a panic.

use rusqlite::Row;
use rusqlite::types::{Type, ValueRef};

use crate::model::{Date, Rank, Timestamp};

/// Reads column `index` as text and parses it with `parse`.
pub(crate) fn parsed<T>(
    row: &Row<'_>,
    index: usize,
    what: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    match borrowed_text(row, index)? {
        Some(text) => parse(text).ok_or_else(|| failure(index, what, text)),
        // NULL where text belongs: the error reading it as text gives.
        None => Err(row.get::<_, String>(index).err().unwrap_or_else(|| failure(index, what, ""))),
    }
}

/// Column `index` as text borrowed from SQLite's row, not copied (five of an item's columns are parsed
/// as it loads); `None` for NULL. Any other value is the error that reading it as text gives.
fn borrowed_text<'row>(row: &'row Row<'_>, index: usize) -> rusqlite::Result<Option<&'row str>> {
    match row.get_ref(index)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) if let Ok(text) = std::str::from_utf8(bytes) => Ok(Some(text)),
        _ => row.get::<_, String>(index).map(|_| None),
    }
}

/// Reads an optional text column and parses it when present.
pub(crate) fn parsed_opt<T>(
    row: &Row<'_>,
    index: usize,
    what: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match borrowed_text(row, index)? {
        None => Ok(None),
        Some(text) => parse(text).map(Some).ok_or_else(|| failure(index, what, text)),
    }
}

fn failure(index: usize, what: &'static str, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, Type::Text, format!("'{text}' is not a valid {what}").into())
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn date(text: &str) -> Option<Date> {
    text.parse().ok()
}

/// Parses an RFC 3339 instant.
pub(crate) fn timestamp(text: &str) -> Option<Timestamp> {
    utc_timestamp(text).or_else(|| text.parse().ok())
}

/// The form Tandem writes every instant in, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, read without the general
/// parser: an item has two or three of them, and at 100,000 items the general one took a tenth of
/// loading. Anything else (an offset, a space, out-of-range fields) is left to the general parser.
fn utc_timestamp(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i32> {
        bytes
            .get(range)?
            .iter()
            .try_fold(0i32, |value, byte| byte.is_ascii_digit().then(|| value * 10 + i32::from(byte - b'0')))
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if bytes.last() != Some(&b'Z') || !separators.iter().all(|(at, byte)| bytes.get(*at) == Some(byte)) {
        return None;
    }
    let nanoseconds = match bytes.get(19..bytes.len() - 1)? {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            let fraction = number(20..bytes.len() - 1)?;
            fraction * 10i32.pow(9 - u32::try_from(digits.len()).ok()?)
        }
        _ => return None,
    };
    let year = i16::try_from(number(0..4)?).ok()?;
    let [month, day, hour, minute, second] =
        [5..7, 8..10, 11..13, 14..16, 17..19].map(|range| number(range).and_then(|value| i8::try_from(value).ok()));
    let time = jiff::civil::DateTime::new(year, month?, day?, hour?, minute?, second?, nanoseconds).ok()?;
    jiff::tz::Offset::UTC.to_timestamp(time).ok()
}

/// Parses a rank key.
pub(crate) fn rank(text: &str) -> Option<Rank> {
    Rank::parse(text).ok()
}

/// Reads an optional number that the items table's `CHECK` keeps within `range` (an estimate, a RICE
/// input). Opening a file leaves these rules of the items table to the load, which reads every row
/// anyway (SQLite's own evaluation of them was three fifths of its quick check): a value outside them,
/// which Tandem never writes, refuses the file as the quick check would.
pub(crate) fn number_within(
    row: &Row<'_>,
    index: usize,
    what: &'static str,
    range: std::ops::RangeInclusive<f64>,
) -> rusqlite::Result<Option<f64>> {
    let value: Option<f64> = row.get(index)?;
    match value {
        Some(number) if !range.contains(&number) => Err(rusqlite::Error::FromSqlConversionFailure(
            index,
            Type::Real,
            format!("{number} is not a valid {what}").into(),
        )),
        _ => Ok(value),
    }
}

/// Reads an item's title, which the items table's `CHECK` keeps from being empty or only spaces
/// (`length(trim(title)) > 0`: SQLite's `trim` takes spaces alone), as [`number_within`] explains.
pub(crate) fn title(row: &Row<'_>, index: usize) -> rusqlite::Result<String> {
    let text: String = row.get(index)?;
    if text.trim_matches(' ').is_empty() {
        return Err(failure(index, "title (it is empty)", &text));
    }
    Ok(text)
}

/// Reads an unsigned score that the schema keeps non-negative.
pub(crate) fn score(row: &Row<'_>, index: usize) -> rusqlite::Result<u32> {
    let value: i64 = row.get(index)?;
    u32::try_from(value).map_err(|_| failure(index, "score", &value.to_string()))
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::{parsed, parsed_opt, rank, timestamp, utc_timestamp};

    #[test]
    fn instants_in_tandems_form_read_as_the_general_parser_reads_them() {
        for text in [
            "2026-12-04T14:59:25.954818565Z",
            "2026-12-04T14:59:25Z",
            "2026-12-04T14:59:25.5Z",
            "2026-12-04T14:59:25.05Z",
            "2024-02-29T23:59:59.999999999Z",
            "1970-01-01T00:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-30T21:59:59Z",
        ] {
            let general: jiff::Timestamp = text.parse().expect("a valid instant");
            assert_eq!(utc_timestamp(text), Some(general), "{text}");
        }
        // Other forms go to the general parser, which reads or refuses them as before.
        for text in [
            "2026-12-04T15:59:25+01:00",
            "2026-12-04 14:59:25Z",
            "2026-12-04T14:59:25.1234567890Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(utc_timestamp(text), None, "{text}");
            assert_eq!(timestamp(text), text.parse().ok(), "{text}");
        }
        for text in
            ["2026-13-04T14:59:25Z", "2026-02-30T00:00:00Z", "2026-12-04T24:00:00Z", "2026-12-04T14:59:2xZ", "Z", ""]
        {
            assert_eq!(timestamp(text), None, "{text}");
        }
    }

    /// Reads `SELECT <values>` through `read` and returns what each column gave.
    fn read_each<T>(
        values: &str,
        read: impl Fn(&rusqlite::Row<'_>, usize) -> rusqlite::Result<T>,
    ) -> Vec<Result<T, String>> {
        let connection = rusqlite::Connection::open_in_memory().expect("an in-memory database");
        connection
            .query_row(&format!("SELECT {values}"), [], |row| {
                let columns = row.as_ref().column_count();
                Ok((0..columns).map(|index| read(row, index).map_err(|error| error.to_string())).collect())
            })
            .expect("one row")
    }

    #[test]
    fn text_is_parsed_in_place_and_anything_else_is_an_error_that_names_it() {
        let results =
            read_each("'V', 'v0', NULL, 7, CAST(x'ff' AS TEXT)", |row, index| parsed(row, index, "rank key", rank));
        assert_eq!(results[0].as_ref().map(|key| key.as_str().to_owned()), Ok("V".to_owned()));
        assert_eq!(
            results[1].as_ref().map(|_| ()),
            Err(&"Conversion error from type Text at index: 1, 'v0' is not a valid rank key".to_owned())
        );
        assert!(results[2].as_ref().is_err_and(|error| error.contains("Null")), "{:?}", results[2].as_ref().err());
        assert!(results[3].as_ref().is_err_and(|error| error.contains("Integer")), "{:?}", results[3].as_ref().err());
        assert!(results[4].is_err(), "text that is not UTF-8 is refused");

        let optional = read_each("NULL, 'V', 'v0'", |row, index| parsed_opt(row, index, "rank key", rank));
        assert_eq!(optional[0], Ok(None));
        assert_eq!(
            optional[1].as_ref().map(|key| key.as_ref().map(|key| key.as_str().to_owned())),
            Ok(Some("V".to_owned()))
        );
        assert!(optional[2].is_err());
    }
}
