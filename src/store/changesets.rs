//! Bringing a changeset recorded before a schema change up to the current schema. Tandem's migrations
//! only ever add columns at the end of a table (`ALTER TABLE … ADD COLUMN`), and a journal entry keeps
//! the columns its table had when it was recorded; SQLite's changegroup refuses to join entries of
//! different widths (`SQLITE_SCHEMA`). So an older entry is widened: every row image gets the new
//! columns, as NULL where a row was inserted or deleted and "unchanged" where it was updated, which is
//! what the entry means on the wider table.
//!
//! The changeset format is SQLite's own (see `sqlite3session.h`): per table a header `'T'`, the column
//! count (varint), one primary-key flag byte per column and the table's name with a NUL; then changes,
//! each an operation byte, an "indirect" byte and one or two row images of one value per column.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::StoreError;

pub(super) const TABLE: u8 = b'T';
pub(super) const INSERT: u8 = 18;
pub(super) const UPDATE: u8 = 23;
pub(super) const DELETE: u8 = 9;
pub(super) const UNDEFINED: u8 = 0;
pub(super) const NULL: u8 = 5;

/// `changeset` with each table as wide as it is in `connection` now. A changeset already that wide comes
/// back unchanged.
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format or names a table wider
/// than it is here (written by a newer Tandem); a SQLite error reading the schema.
pub fn upgraded(connection: &Connection, changeset: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut widths: HashMap<String, usize> = HashMap::new();
    let mut reader = Reader { bytes: changeset, at: 0 };
    let mut out = Vec::with_capacity(changeset.len());
    // Columns to add to each row image of the current table.
    let mut extra = 0;
    let mut columns = 0;
    while !reader.done() {
        let marker = reader.byte()?;
        if marker == TABLE {
            columns = usize::try_from(reader.varint()?).map_err(|_| malformed())?;
            let flags = reader.take(columns)?.to_vec();
            let name = reader.name()?;
            let width = if let Some(width) = widths.get(&name) {
                *width
            } else {
                let width: i64 =
                    connection.query_row("SELECT count(*) FROM pragma_table_info(?1)", [&name], |row| row.get(0))?;
                let width = usize::try_from(width).map_err(|_| malformed())?;
                widths.insert(name.clone(), width);
                width
            };
            if width < columns {
                return Err(StoreError::Corrupt(format!(
                    "a change to '{name}' has {columns} columns where this Tandem has {width}; it was recorded by a newer Tandem"
                )));
            }
            extra = width - columns;
            out.push(TABLE);
            put_varint(&mut out, u64::try_from(width).map_err(|_| malformed())?);
            out.extend_from_slice(&flags);
            out.extend(std::iter::repeat_n(0, extra));
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            continue;
        }
        let indirect = reader.byte()?;
        out.push(marker);
        out.push(indirect);
        let (images, fill) = match marker {
            INSERT | DELETE => (1, NULL),
            UPDATE => (2, UNDEFINED),
            _ => return Err(malformed()),
        };
        for _ in 0..images {
            let start = reader.at;
            for _ in 0..columns {
                reader.value()?;
            }
            out.extend_from_slice(&changeset[start..reader.at]);
            out.extend(std::iter::repeat_n(fill, extra));
        }
    }
    Ok(out)
}

/// `changeset` with its deletions moved to the end, children before parents, so that applying it never
/// has a deletion's foreign-key action (`SET NULL`, `CASCADE`) change a row the changeset then expects
/// as it was. Undoing an import deletes the sprint it created and its items: deleting the sprint first
/// would set the items' sprint to NULL, and each item's deletion would then find it changed and refuse
/// the whole undo. Inserts and updates keep their order (SQLite defers the foreign keys they need);
/// deletions follow, a table before the tables it refers to, and in a table that refers to itself (an
/// item's parent) a row before the row it names.
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format; a SQLite error reading
/// the schema.
pub fn deletions_last(connection: &Connection, changeset: &[u8]) -> Result<Vec<u8>, StoreError> {
    let sections = sections(changeset)?;
    if sections.iter().all(|section| section.deletions.is_empty()) {
        return Ok(changeset.to_vec());
    }
    let mut out = Vec::with_capacity(changeset.len());
    for section in sections.iter().filter(|section| !section.others.is_empty()) {
        out.extend_from_slice(section.header);
        for change in &section.others {
            out.extend_from_slice(change);
        }
    }
    let deleting: Vec<&Section<'_>> = sections.iter().filter(|section| !section.deletions.is_empty()).collect();
    let references =
        deleting.iter().map(|section| foreign_keys(connection, &section.name)).collect::<Result<Vec<_>, _>>()?;
    for index in children_first(&deleting, &references) {
        let (Some(section), Some(keys)) = (deleting.get(index), references.get(index)) else {
            continue;
        };
        out.extend_from_slice(section.header);
        for change in referring_rows_first(section, keys)? {
            out.extend_from_slice(change);
        }
    }
    Ok(out)
}

/// One table's part of a changeset: its header, and its changes (each its operation byte to the end of
/// its row images) apart from its deletions.
struct Section<'a> {
    header: &'a [u8],
    name: String,
    columns: usize,
    /// Which columns are the key.
    pk: Vec<bool>,
    others: Vec<&'a [u8]>,
    deletions: Vec<&'a [u8]>,
}

fn sections(changeset: &[u8]) -> Result<Vec<Section<'_>>, StoreError> {
    let mut reader = Reader { bytes: changeset, at: 0 };
    let mut sections: Vec<Section<'_>> = Vec::new();
    while !reader.done() {
        let start = reader.at;
        let marker = reader.byte()?;
        if marker == TABLE {
            let columns = usize::try_from(reader.varint()?).map_err(|_| malformed())?;
            let pk = reader.take(columns)?.iter().map(|flag| *flag != 0).collect();
            let name = reader.name()?;
            let header = changeset.get(start..reader.at).ok_or_else(malformed)?;
            sections.push(Section { header, name, columns, pk, others: Vec::new(), deletions: Vec::new() });
            continue;
        }
        let section = sections.last_mut().ok_or_else(malformed)?;
        reader.byte()?;
        let images = match marker {
            INSERT | DELETE => 1,
            UPDATE => 2,
            _ => return Err(malformed()),
        };
        for _ in 0..images * section.columns {
            reader.value()?;
        }
        let change = changeset.get(start..reader.at).ok_or_else(malformed)?;
        if marker == DELETE { section.deletions.push(change) } else { section.others.push(change) }
    }
    Ok(sections)
}

/// A table's foreign keys: the table each refers to, and for one that refers to the table itself, the
/// referring column's and the referred column's places.
struct ForeignKeys {
    parents: Vec<String>,
    to_itself: Vec<(usize, usize)>,
}

fn foreign_keys(connection: &Connection, table: &str) -> Result<ForeignKeys, StoreError> {
    let place = |column: &str| -> Result<Option<usize>, StoreError> {
        let found: Option<i64> = connection
            .query_row("SELECT cid FROM pragma_table_info(?1) WHERE name = ?2", [table, column], |row| row.get(0))
            .optional()?;
        Ok(found.and_then(|cid| usize::try_from(cid).ok()))
    };
    let mut statement = connection.prepare(r#"SELECT "table", "from", "to" FROM pragma_foreign_key_list(?1)"#)?;
    let keys: Vec<(String, String, Option<String>)> =
        statement.query_map([table], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?.collect::<Result<_, _>>()?;
    let mut found = ForeignKeys { parents: Vec::new(), to_itself: Vec::new() };
    for (parent, from, to) in keys {
        if parent.eq_ignore_ascii_case(table) {
            // A key naming no column refers to the primary key: `rowid` for Tandem's tables.
            let to = to.unwrap_or_else(|| "rowid".to_owned());
            let referred = if to.eq_ignore_ascii_case("rowid") { primary_key(connection, table)? } else { place(&to)? };
            if let (Some(from), Some(to)) = (place(&from)?, referred) {
                found.to_itself.push((from, to));
            }
        } else {
            found.parents.push(parent);
        }
    }
    Ok(found)
}

fn primary_key(connection: &Connection, table: &str) -> Result<Option<usize>, StoreError> {
    let found: Option<i64> = connection
        .query_row("SELECT cid FROM pragma_table_info(?1) WHERE pk = 1", [table], |row| row.get(0))
        .optional()?;
    Ok(found.and_then(|cid| usize::try_from(cid).ok()))
}

/// The sections' places in an order where each table comes before every table it refers to. Tables
/// that refer to each other in a circle (none of Tandem's) keep their order.
fn children_first(sections: &[&Section<'_>], references: &[ForeignKeys]) -> Vec<usize> {
    let mut left: Vec<usize> = (0..sections.len()).collect();
    let mut order = Vec::with_capacity(left.len());
    while !left.is_empty() {
        // A table no table still left refers to.
        let free = left.iter().position(|&candidate| {
            let name = sections.get(candidate).map_or("", |section| section.name.as_str());
            !left.iter().any(|&other| {
                other != candidate
                    && references
                        .get(other)
                        .is_some_and(|keys| keys.parents.iter().any(|parent| parent.eq_ignore_ascii_case(name)))
            })
        });
        order.push(left.remove(free.unwrap_or(0)));
    }
    order
}

/// A table's deletions with each row before any row it refers to (a sub-task before its parent).
fn referring_rows_first<'a>(section: &Section<'a>, keys: &ForeignKeys) -> Result<Vec<&'a [u8]>, StoreError> {
    if keys.to_itself.is_empty() {
        return Ok(section.deletions.clone());
    }
    // Each row's own keys and the keys it names, as the bytes of the values.
    let mut rows = Vec::with_capacity(section.deletions.len());
    for change in &section.deletions {
        let values = row_values(change, section.columns)?;
        let names: Vec<&[u8]> = keys
            .to_itself
            .iter()
            .filter_map(|(from, _)| values.get(*from).copied())
            .filter(|value| value.first().is_some_and(|kind| *kind != NULL && *kind != UNDEFINED))
            .collect();
        let own: Vec<&[u8]> = keys.to_itself.iter().filter_map(|(_, to)| values.get(*to).copied()).collect();
        rows.push((*change, own, names));
    }
    let mut order = Vec::with_capacity(rows.len());
    while !rows.is_empty() {
        let named: std::collections::HashSet<&[u8]> =
            rows.iter().flat_map(|(_, _, names)| names.iter().copied()).collect();
        let (free, kept): (Vec<_>, Vec<_>) =
            rows.into_iter().partition(|(_, own, _)| !own.iter().any(|key| named.contains(key)));
        if free.is_empty() {
            // Rows naming each other in a circle: left as they are.
            order.extend(kept.into_iter().map(|(change, _, _)| change));
            break;
        }
        order.extend(free.into_iter().map(|(change, _, _)| change));
        rows = kept;
    }
    Ok(order)
}

/// The values of a deletion's row image, each as its bytes (type byte included).
fn row_values(change: &[u8], columns: usize) -> Result<Vec<&[u8]>, StoreError> {
    let mut reader = Reader { bytes: change, at: 2 };
    let mut values = Vec::with_capacity(columns);
    for _ in 0..columns {
        let start = reader.at;
        reader.value()?;
        values.push(change.get(start..reader.at).ok_or_else(malformed)?);
    }
    Ok(values)
}

/// A record outside a changeset that applying its deletions would delete or change through a foreign
/// key's action: a comment another window wrote on an item an import brought, which undoing the import
/// would delete with the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterDependent {
    /// The table of the record that would go or change (`comments`).
    pub table: String,
    /// The table of the record the changeset deletes (`items`).
    pub parent_table: String,
    /// That record's id.
    pub parent_id: i64,
}

/// The records that applying `changeset` would delete or change without it saying so: rows that refer
/// to a record it deletes (`ON DELETE CASCADE` or `SET NULL`) and that it neither deletes nor changes
/// itself. An item's column history (`status_changes`) goes with its item and is not counted.
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format; a SQLite error.
pub fn later_dependents(connection: &Connection, changeset: &[u8]) -> Result<Vec<LaterDependent>, StoreError> {
    let sections = sections(changeset)?;
    // The keys of the rows the changeset touches, per table, and the single ids of the rows it deletes.
    let mut touched: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    let mut deleted: Vec<(String, Vec<i64>)> = Vec::new();
    for section in &sections {
        let keys = touched.entry(section.name.clone()).or_default();
        let mut ids = Vec::new();
        for (change, is_deletion) in section
            .others
            .iter()
            .map(|change| (change, false))
            .chain(section.deletions.iter().map(|change| (change, true)))
        {
            let values = row_values(change, section.columns)?;
            let key: Vec<&[u8]> =
                section.pk.iter().zip(&values).filter(|(is_key, _)| **is_key).map(|(_, value)| *value).collect();
            keys.insert(key_text(&key));
            if is_deletion && let [single] = key.as_slice() {
                ids.extend(integer(single));
            }
        }
        if !ids.is_empty() {
            deleted.push((section.name.clone(), ids));
        }
    }
    let mut found = Vec::new();
    for (parent, ids) in &deleted {
        for (child, column) in children_of(connection, parent)? {
            if child == "status_changes" {
                continue;
            }
            let key_columns = key_columns(connection, &child)?;
            let mut statement = connection.prepare(&format!(
                "SELECT {} FROM \"{child}\" WHERE \"{column}\" = ?1",
                key_columns.iter().map(|name| format!("quote(\"{name}\")")).collect::<Vec<_>>().join(", ")
            ))?;
            let covered = touched.get(&child);
            for id in ids {
                let keys: Vec<Vec<String>> = statement
                    .query_map([id], |row| (0..key_columns.len()).map(|index| row.get::<_, String>(index)).collect())?
                    .collect::<Result<_, _>>()?;
                for key in keys {
                    if !covered.is_some_and(|covered| covered.contains(&key.join("\u{1f}"))) {
                        found.push(LaterDependent {
                            table: child.clone(),
                            parent_table: parent.clone(),
                            parent_id: *id,
                        });
                    }
                }
            }
        }
    }
    Ok(found)
}

/// The single integer ids of the rows of `table` that `changeset` deletes.
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format.
pub fn deleted_ids(changeset: &[u8], table: &str) -> Result<std::collections::HashSet<i64>, StoreError> {
    let mut ids = std::collections::HashSet::new();
    for section in sections(changeset)?.iter().filter(|section| section.name == table) {
        let Some(key) = section.pk.iter().position(|is_key| *is_key) else {
            continue;
        };
        for change in &section.deletions {
            ids.extend(row_values(change, section.columns)?.get(key).and_then(|value| integer(value)));
        }
    }
    Ok(ids)
}

/// The integer values in the column at `place` of the rows `changeset` inserts into `table` (a
/// comment's item, a sample's KPI).
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format.
pub fn inserted_integers(changeset: &[u8], table: &str, place: usize) -> Result<Vec<i64>, StoreError> {
    let mut found = Vec::new();
    for section in sections(changeset)?.iter().filter(|section| section.name == table) {
        for change in section.others.iter().filter(|change| change.first() == Some(&INSERT)) {
            found.extend(row_values(change, section.columns)?.get(place).and_then(|value| integer(value)));
        }
    }
    Ok(found)
}

/// The integer values `changeset` puts in the column at `place` of `table`: of the rows it inserts,
/// and the new values of the rows whose column it changes (an item put in an epic, a sub-task under
/// another item).
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format.
pub fn set_integers(changeset: &[u8], table: &str, place: usize) -> Result<Vec<i64>, StoreError> {
    let mut found = Vec::new();
    for section in sections(changeset)?.iter().filter(|section| section.name == table) {
        for change in &section.others {
            let value = if change.first() == Some(&UPDATE) {
                // The old image, then the new one: a column it leaves alone is undefined in the new.
                let mut reader = Reader { bytes: change, at: 2 };
                for _ in 0..section.columns + place {
                    reader.value()?;
                }
                let start = reader.at;
                reader.value()?;
                change.get(start..reader.at).ok_or_else(malformed)?
            } else {
                row_values(change, section.columns)?.get(place).copied().unwrap_or_default()
            };
            found.extend(integer(value));
        }
    }
    Ok(found)
}

/// The rows of `table` that `changeset` takes away from the record they refer to through the column at
/// `place`: each as its key (the key columns' values, in the table's column order, in words:
/// [`key_words`]) and the id it referred to. A row it deletes, and one whose reference it changes (an
/// item taken out of an epic, as deleting the epic does).
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format.
pub fn released_rows(
    changeset: &[u8],
    table: &str,
    place: usize,
) -> Result<std::collections::HashSet<(Vec<String>, i64)>, StoreError> {
    let mut rows = std::collections::HashSet::new();
    // A table recorded before it had the column (by an older Tandem) changes no such reference.
    for section in sections(changeset)?.iter().filter(|section| section.name == table && place < section.columns) {
        for change in section.deletions.iter().chain(&section.others) {
            if change.first() == Some(&INSERT) {
                continue;
            }
            let mut reader = Reader { bytes: change, at: 2 };
            let mut values = Vec::with_capacity(section.columns);
            for _ in 0..section.columns {
                let start = reader.at;
                reader.value()?;
                values.push(change.get(start..reader.at).ok_or_else(malformed)?);
            }
            if change.first() == Some(&UPDATE) {
                // The new image: a reference it leaves alone is undefined there.
                for _ in 0..place {
                    reader.value()?;
                }
                if reader.byte()? == UNDEFINED {
                    continue;
                }
            }
            let Some(referred) = values.get(place).and_then(|value| integer(value)) else {
                continue;
            };
            let key = values
                .iter()
                .zip(&section.pk)
                .filter(|(_, is_key)| **is_key)
                .map(|(value, _)| decoded_words(value))
                .collect::<Result<Vec<_>, _>>()?;
            rows.insert((key, referred));
        }
    }
    Ok(rows)
}

/// One row's change in a changeset, its values read: the operation ([`INSERT`], [`UPDATE`] or
/// [`DELETE`]) and the images before and after, one value per column (`None`: not in the image, as an
/// update leaves out the columns it does not change; an insert has no old image, a deletion no new).
#[derive(Debug, Clone)]
pub struct RowChange {
    /// [`INSERT`], [`UPDATE`] or [`DELETE`].
    pub operation: u8,
    /// Before: empty for an insert.
    pub old: Vec<Option<rusqlite::types::Value>>,
    /// After: empty for a deletion.
    pub new: Vec<Option<rusqlite::types::Value>>,
}

impl RowChange {
    /// The row's key, its key columns' values in words ([`key_words`]), from the image that has them.
    #[must_use]
    pub fn key(&self, keys: &[bool]) -> Vec<String> {
        let image = if self.operation == INSERT { &self.new } else { &self.old };
        image
            .iter()
            .zip(keys)
            .filter(|(_, is_key)| **is_key)
            .map(|(value, _)| value.as_ref().map_or_else(|| "undefined".to_owned(), key_words))
            .collect()
    }
}

/// Every change `changeset` makes to the rows of `table`, read.
///
/// # Errors
/// [`StoreError::Corrupt`] for a changeset that does not follow SQLite's format.
pub fn row_changes(changeset: &[u8], table: &str) -> Result<Vec<RowChange>, StoreError> {
    let mut found = Vec::new();
    for section in sections(changeset)?.iter().filter(|section| section.name == table) {
        for change in section.deletions.iter().chain(&section.others) {
            let operation = change.first().copied().unwrap_or_default();
            let mut reader = Reader { bytes: change, at: 2 };
            let mut image = || -> Result<Vec<Option<rusqlite::types::Value>>, StoreError> {
                let mut values = Vec::with_capacity(section.columns);
                for _ in 0..section.columns {
                    let start = reader.at;
                    reader.value()?;
                    values.push(decoded(change.get(start..reader.at).ok_or_else(malformed)?)?);
                }
                Ok(values)
            };
            let (old, new) = match operation {
                INSERT => (Vec::new(), image()?),
                DELETE => (image()?, Vec::new()),
                _ => (image()?, image()?),
            };
            found.push(RowChange { operation, old, new });
        }
    }
    Ok(found)
}

/// A value in words that tell values apart, as [`released_rows`] gives a key: the same for a value read
/// from the file.
#[must_use]
pub fn key_words(value: &rusqlite::types::Value) -> String {
    use rusqlite::types::Value;
    match value {
        Value::Null => "null".to_owned(),
        Value::Integer(number) => format!("integer {number}"),
        Value::Real(number) => format!("real {number:?}"),
        Value::Text(text) => format!("text {text}"),
        Value::Blob(bytes) => format!("blob {bytes:02x?}"),
    }
}

/// [`key_words`] of one value of a row image.
fn decoded_words(encoded: &[u8]) -> Result<String, StoreError> {
    Ok(decoded(encoded)?.map_or_else(|| "undefined".to_owned(), |value| key_words(&value)))
}

/// One value of a row image; `None` for one the image leaves undefined.
fn decoded(encoded: &[u8]) -> Result<Option<rusqlite::types::Value>, StoreError> {
    use rusqlite::types::Value;
    let mut reader = Reader { bytes: encoded, at: 1 };
    Ok(Some(match encoded.first() {
        Some(&UNDEFINED) => return Ok(None),
        Some(1) => Value::Integer(i64::from_be_bytes(reader.take(8)?.try_into().map_err(|_| malformed())?)),
        Some(2) => {
            Value::Real(f64::from_bits(u64::from_be_bytes(reader.take(8)?.try_into().map_err(|_| malformed())?)))
        }
        Some(3 | 4) => {
            let length = usize::try_from(reader.varint()?).map_err(|_| malformed())?;
            let bytes = reader.take(length)?;
            if encoded.first() == Some(&3) {
                Value::Text(String::from_utf8_lossy(bytes).into_owned())
            } else {
                Value::Blob(bytes.to_vec())
            }
        }
        _ => Value::Null,
    }))
}

/// The tables (and their columns) whose foreign keys delete or change their rows when a row of `parent`
/// is deleted.
fn children_of(connection: &Connection, parent: &str) -> Result<Vec<(String, String)>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT m.name, f.\"from\" FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f \
         WHERE m.type = 'table' AND f.\"table\" = ?1 COLLATE NOCASE \
         AND f.on_delete IN ('CASCADE', 'SET NULL', 'SET DEFAULT')",
    )?;
    let children = statement.query_map([parent], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(children)
}

/// A table's key columns, in key order (`rowid` for a table without one).
fn key_columns(connection: &Connection, table: &str) -> Result<Vec<String>, StoreError> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk")?;
    let names: Vec<String> = statement.query_map([table], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(if names.is_empty() { vec!["rowid".to_owned()] } else { names })
}

/// A key as SQLite's `quote()` writes its values, joined: the same text for a key read from the
/// changeset and for one read from the table.
fn key_text(values: &[&[u8]]) -> String {
    values.iter().map(|value| quoted(value)).collect::<Vec<_>>().join("\u{1f}")
}

/// One changeset value as SQLite's `quote()` writes it (integers and text, the kinds of Tandem's keys).
fn quoted(value: &[u8]) -> String {
    if let Some(number) = integer(value) {
        return number.to_string();
    }
    match value.first() {
        Some(3) => {
            let mut reader = Reader { bytes: value, at: 1 };
            let text = reader
                .varint()
                .ok()
                .and_then(|length| usize::try_from(length).ok())
                .and_then(|length| value.get(reader.at..reader.at + length))
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            format!("'{}'", text.replace('\'', "''"))
        }
        Some(5) => "NULL".to_owned(),
        _ => format!("{value:?}"),
    }
}

/// The integer a changeset value holds, if it is one.
fn integer(value: &[u8]) -> Option<i64> {
    match value {
        [1, bytes @ ..] => bytes.try_into().ok().map(i64::from_be_bytes),
        _ => None,
    }
}

fn malformed() -> StoreError {
    StoreError::Corrupt("a journal entry is not a SQLite changeset Tandem can read".to_owned())
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, StoreError> {
        let byte = *self.bytes.get(self.at).ok_or_else(malformed)?;
        self.at += 1;
        Ok(byte)
    }

    fn take(&mut self, count: usize) -> Result<&'a [u8], StoreError> {
        let end = self.at.checked_add(count).ok_or_else(malformed)?;
        let slice = self.bytes.get(self.at..end).ok_or_else(malformed)?;
        self.at = end;
        Ok(slice)
    }

    fn name(&mut self) -> Result<String, StoreError> {
        let rest = self.bytes.get(self.at..).ok_or_else(malformed)?;
        let length = rest.iter().position(|byte| *byte == 0).ok_or_else(malformed)?;
        let name = std::str::from_utf8(&rest[..length]).map_err(|_| malformed())?.to_owned();
        self.at += length + 1;
        Ok(name)
    }

    /// SQLite's varint: big-endian groups of seven bits, the high bit set on all but the last; a ninth
    /// byte carries eight.
    fn varint(&mut self) -> Result<u64, StoreError> {
        let mut value: u64 = 0;
        for index in 0..9 {
            let byte = self.byte()?;
            if index == 8 {
                return Ok((value << 8) | u64::from(byte));
            }
            value = (value << 7) | u64::from(byte & 0x7f);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(malformed())
    }

    /// Skips one value of a row image.
    fn value(&mut self) -> Result<(), StoreError> {
        match self.byte()? {
            UNDEFINED | NULL => {}
            1 | 2 => {
                self.take(8)?;
            }
            3 | 4 => {
                let length = usize::try_from(self.varint()?).map_err(|_| malformed())?;
                self.take(length)?;
            }
            _ => return Err(malformed()),
        }
        Ok(())
    }
}

pub(super) fn put_varint(out: &mut Vec<u8>, value: u64) {
    if value > 0x00ff_ffff_ffff_ffff {
        // Nine bytes: eight groups of seven, then a full byte.
        let mut groups = [0u8; 9];
        groups[8] = (value & 0xff) as u8;
        let mut rest = value >> 8;
        for index in (0..8).rev() {
            groups[index] = ((rest & 0x7f) as u8) | 0x80;
            rest >>= 7;
        }
        out.extend_from_slice(&groups);
        return;
    }
    let mut groups = Vec::with_capacity(9);
    let mut rest = value;
    loop {
        groups.push((rest & 0x7f) as u8);
        rest >>= 7;
        if rest == 0 {
            break;
        }
    }
    for (index, group) in groups.iter().enumerate().rev() {
        out.push(if index == 0 { *group } else { group | 0x80 });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::*;
    use rusqlite::session::Session;

    fn recorded(connection: &Connection, sql: &str) -> Vec<u8> {
        let mut session = Session::new(connection).unwrap();
        session.attach::<&str>(None).unwrap();
        connection.execute_batch(sql).unwrap();
        let mut changeset = Vec::new();
        session.changeset_strm(&mut changeset).unwrap();
        changeset
    }

    #[test]
    fn varints_read_back_what_they_write() {
        for value in [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 40, u64::MAX] {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            assert_eq!(Reader { bytes: &out, at: 0 }.varint().unwrap(), value, "{value}");
        }
    }

    #[test]
    fn an_older_changeset_widened_applies_and_joins_with_a_newer_one() {
        let old = Connection::open_in_memory().unwrap();
        old.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER); INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2);").unwrap();
        let narrow = recorded(
            &old,
            "INSERT INTO t VALUES (3, 'three', 3); UPDATE t SET a = 'uno' WHERE id = 1; DELETE FROM t WHERE id = 2;",
        );
        let new = Connection::open_in_memory().unwrap();
        new.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER); INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2);
             ALTER TABLE t ADD COLUMN c TEXT; ALTER TABLE t ADD COLUMN d TEXT;",
        )
        .unwrap();
        let wide = upgraded(&new, &narrow).unwrap();
        assert_eq!(upgraded(&new, &wide).unwrap(), wide, "already wide: unchanged");
        let later = recorded(&new, "UPDATE t SET c = 'later' WHERE id = 1;");
        // The two join now (they would not before widening), and the result applies.
        let mut group = rusqlite::session::Changegroup::new().unwrap();
        group.add_stream(&mut wide.as_slice()).unwrap();
        group.add_stream(&mut later.as_slice()).unwrap();
        let target = Connection::open_in_memory().unwrap();
        target
            .execute_batch(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT, d TEXT);
                 INSERT INTO t VALUES (1, 'one', 1, NULL, NULL), (2, 'two', 2, NULL, NULL);",
            )
            .unwrap();
        let mut joined = Vec::new();
        group.output_strm(&mut joined).unwrap();
        target
            .apply_strm(&mut joined.as_slice(), None::<fn(&str) -> bool>, |_, _| {
                rusqlite::session::ConflictAction::SQLITE_CHANGESET_ABORT
            })
            .unwrap();
        let rows: Vec<(i64, String, Option<String>)> = target
            .prepare("SELECT id, a, c FROM t ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(rows, vec![(1, "uno".to_owned(), Some("later".to_owned())), (3, "three".to_owned(), None)]);
    }

    #[test]
    fn a_changeset_wider_than_the_table_or_cut_short_is_refused() {
        let wide = Connection::open_in_memory().unwrap();
        wide.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);").unwrap();
        let changeset = recorded(&wide, "INSERT INTO t VALUES (1, 'x', 'y');");
        let narrow = Connection::open_in_memory().unwrap();
        narrow.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);").unwrap();
        assert!(matches!(upgraded(&narrow, &changeset), Err(StoreError::Corrupt(_))));
        assert!(matches!(upgraded(&wide, &changeset[..changeset.len() - 2]), Err(StoreError::Corrupt(_))));
    }

    /// Parents, children that empty their parent on delete, and children of children within one table:
    /// each inserted (the parent after its children, so a recording lists the children's table first),
    /// then the whole taken back as an undo takes back an import.
    #[test]
    fn an_inverted_insert_of_parents_and_children_applies_exactly_with_its_deletions_last() {
        let schema = "PRAGMA foreign_keys = ON;
            CREATE TABLE sprints (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT,
                sprint INTEGER REFERENCES sprints (id) ON DELETE SET NULL,
                parent INTEGER REFERENCES items (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED);
            CREATE TABLE notes (id INTEGER PRIMARY KEY, item INTEGER REFERENCES items (id) ON DELETE CASCADE);";
        // As an import writes them: the sprint first, so an undo as recorded deletes it first.
        let inserts = "BEGIN;
            INSERT INTO sprints VALUES (1, 'Sprint 1');
            INSERT INTO items VALUES (3, 'sub-task', 1, 2), (2, 'parent', 1, NULL), (4, 'sub-sub', NULL, 3);
            INSERT INTO notes VALUES (1, 2), (2, 3);
            COMMIT;";
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch(schema).unwrap();
        let changeset = recorded(&connection, inserts);
        let inverted = crate::store::journal::inverted(&changeset).unwrap();
        let count = |connection: &Connection| -> i64 {
            connection
                .query_row(
                    "SELECT (SELECT count(*) FROM sprints) + (SELECT count(*) FROM items) + (SELECT count(*) FROM notes)",
                    [],
                    |row| row.get(0),
                )
                .unwrap()
        };
        assert_eq!(count(&connection), 6);

        // As SQLite orders it, the sprint's deletion empties the items' sprint and the parent's empties
        // its sub-task's parent: the items are then no longer as the changeset says, which refuses it.
        let tx = connection.unchecked_transaction().unwrap();
        let refused = crate::store::merge::apply_exactly_in_recorded_order(&tx, &inverted, "undo", "import");
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
        drop(tx);
        assert_eq!(count(&connection), 6, "nothing was changed");

        // A note written since on the parent would go with it: said, and the undo refused.
        assert_eq!(later_dependents(&connection, &inverted).unwrap(), vec![]);
        connection.execute_batch("INSERT INTO notes VALUES (9, 2)").unwrap();
        let later = LaterDependent { table: "notes".to_owned(), parent_table: "items".to_owned(), parent_id: 2 };
        assert_eq!(later_dependents(&connection, &inverted).unwrap(), vec![later]);
        let refused = crate::store::merge::apply_exactly(&connection, &inverted, "undo", "import");
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
        assert_eq!(count(&connection), 7);
        connection.execute_batch("DELETE FROM notes WHERE id = 9").unwrap();

        let ordered = deletions_last(&connection, &inverted).unwrap();
        assert_eq!(ordered.len(), inverted.len(), "the same changes, in another order");
        // Children's tables first, and in the items a row before the row it names as its parent.
        let deleted: Vec<(String, i64)> = sections(&ordered)
            .unwrap()
            .iter()
            .flat_map(|section| {
                section.deletions.iter().map(|change| {
                    let id = row_values(change, section.columns).unwrap()[0];
                    (section.name.clone(), i64::from_be_bytes(id[1..9].try_into().unwrap()))
                })
            })
            .collect();
        let position = |table: &str, id: i64| deleted.iter().position(|row| *row == (table.to_owned(), id)).unwrap();
        assert_eq!(deleted.len(), 6, "{deleted:?}");
        assert!(position("notes", 1) < position("items", 2) && position("notes", 2) < position("items", 3));
        assert!(position("items", 4) < position("items", 3) && position("items", 3) < position("items", 2));
        assert!(position("items", 2) < position("sprints", 1), "{deleted:?}");
        crate::store::merge::apply_exactly(&connection, &inverted, "undo", "import").unwrap();
        assert_eq!(count(&connection), 0);

        // Redone, as recorded: everything back.
        crate::store::merge::apply_exactly(&connection, &changeset, "redo", "import").unwrap();
        assert_eq!(count(&connection), 6);
        let parents: Vec<(i64, Option<i64>, Option<i64>)> = connection
            .prepare("SELECT id, sprint, parent FROM items ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(parents, vec![(2, Some(1), None), (3, Some(1), Some(2)), (4, None, Some(3))]);
    }
}
