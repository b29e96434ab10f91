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
    text.parse().ok()
}

/// Parses a rank key.
pub(crate) fn rank(text: &str) -> Option<Rank> {
    Rank::parse(text).ok()
}

/// Reads an unsigned score that the schema keeps non-negative.
pub(crate) fn score(row: &Row<'_>, index: usize) -> rusqlite::Result<u32> {
    let value: i64 = row.get(index)?;
    u32::try_from(value).map_err(|_| failure(index, "score", &value.to_string()))
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::{parsed, parsed_opt, rank};

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
