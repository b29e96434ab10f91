//! Conversions between stored text and domain values. A value that does not parse is reported as a
//! conversion failure naming the column, never a panic.

use rusqlite::Row;
use rusqlite::types::Type;

use crate::model::{Date, Rank, Timestamp};

/// Reads column `index` as text and parses it with `parse`.
pub(crate) fn parsed<T>(
    row: &Row<'_>,
    index: usize,
    what: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| failure(index, what, &text))
}

/// Reads an optional text column and parses it when present.
pub(crate) fn parsed_opt<T>(
    row: &Row<'_>,
    index: usize,
    what: &'static str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(index)?;
    match text {
        None => Ok(None),
        Some(text) => parse(&text).map(Some).ok_or_else(|| failure(index, what, &text)),
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
