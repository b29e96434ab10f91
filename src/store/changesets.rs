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

use rusqlite::Connection;

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
}
