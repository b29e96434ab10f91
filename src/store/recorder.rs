//! Recording what a write changes, as a changeset for the journal. SQLite calls a hook before every row
//! it inserts, updates or deletes (its pre-update hook, the same one the session extension listens
//! to); the hook writes each change of a plan table in SQLite's changeset format as it happens, and
//! when the write is done SQLite's changegroup joins them (an insert then an update becomes one insert,
//! a delete then the same row inserted again becomes an update of what differs, or nothing) into the
//! changeset the journal keeps.
//!
//! This is what a session would record, without what a session costs each transaction: a new session
//! reads each table's columns again and, to make its changeset, prepares and runs a query per table
//! for the rows' values now (about 0.06 ms of a 0.14 ms move at 100,000 items). Here the values come
//! from the hook and each table's shape is read once per open file.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;
use rusqlite::hooks::{Action, PreUpdateCase};
use rusqlite::session::Changegroup;
use rusqlite::types::ValueRef;

use super::StoreError;
use super::changesets::{DELETE, INSERT, NULL, TABLE, UNDEFINED, UPDATE, put_varint};
use super::journal::MERGED_TABLES;

/// The plan tables' shapes, as a changeset names them: per table, each column's place in the primary
/// key (1 for the first key column, 0 for a column outside the key).
#[derive(Debug)]
pub struct Shapes(HashMap<String, Vec<u8>>);

impl Shapes {
    /// Reads the shapes of the plan tables from `connection`'s schema.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn read(connection: &Connection) -> Result<Self, StoreError> {
        let mut shapes = HashMap::new();
        let mut columns = connection.prepare("SELECT pk FROM pragma_table_info(?1) ORDER BY cid")?;
        for table in MERGED_TABLES {
            let keys: Vec<i64> = columns.query_map([table], |row| row.get(0))?.collect::<Result<_, _>>()?;
            // A table without a primary key is not recorded (as a session would not).
            if keys.iter().any(|key| *key > 0) {
                shapes.insert((*table).to_owned(), keys.iter().map(|key| u8::try_from(*key).unwrap_or(0)).collect());
            }
        }
        Ok(Self(shapes))
    }
}

/// The changes recorded so far in one write.
#[derive(Default)]
struct Recording {
    /// Changes in SQLite's changeset format, each with its own table header.
    bytes: Vec<u8>,
    /// The tables changed, each once, in the order of their first change.
    tables: Vec<String>,
    /// Whether a table changed more than once: then the changes must be joined.
    repeated: bool,
    /// Set when a change could not be recorded (a table whose width is not the one read): the write
    /// is refused rather than journalled wrong.
    failed: Option<String>,
}

/// Removes the hook when the write is over, however it ends.
struct Unhook<'connection>(&'connection Connection);

impl Drop for Unhook<'_> {
    fn drop(&mut self) {
        let _removed = self.0.preupdate_hook(None::<fn(Action, &str, &str, &PreUpdateCase)>);
    }
}

/// Runs `work` while every change it makes to a plan table is recorded, and returns its value with the
/// changeset (empty when nothing in the plan changed).
///
/// # Errors
/// Whatever `work` returns; [`StoreError::Corrupt`] when a change could not be recorded; a SQLite error.
pub fn recording<T>(
    connection: &Connection,
    shapes: &Arc<Shapes>,
    work: impl FnOnce() -> Result<T, StoreError>,
) -> Result<(T, Vec<u8>), StoreError> {
    let recording = Arc::new(Mutex::new(Recording::default()));
    let sink = Arc::clone(&recording);
    let tables = Arc::clone(shapes);
    connection.preupdate_hook(Some(move |_: Action, database: &str, table: &str, case: &PreUpdateCase| {
        if database != "main" {
            return;
        }
        if let Some(keys) = tables.0.get(table) {
            let mut recording = sink.lock().unwrap_or_else(PoisonError::into_inner);
            match record(&mut recording.bytes, table, keys, case) {
                Ok(changes) => {
                    for _ in 0..changes {
                        recording.noted(table);
                    }
                }
                Err(why) => {
                    recording.failed.get_or_insert(why);
                }
            }
        }
    }))?;
    let unhook = Unhook(connection);
    let value = work()?;
    drop(unhook);
    let recording = std::mem::take(&mut *recording.lock().unwrap_or_else(PoisonError::into_inner));
    if let Some(why) = recording.failed {
        return Err(StoreError::Corrupt(format!("the change could not be recorded in the journal: {why}")));
    }
    if recording.bytes.is_empty() {
        return Ok((value, Vec::new()));
    }
    if !recording.repeated {
        // One change a table (a move: the item's row, and its history row across columns): already
        // what the changegroup would give, byte for byte, which it would take a tenth of a move to say.
        return Ok((value, recording.bytes));
    }
    Ok((value, joined(&recording.bytes)?))
}

impl Recording {
    /// Notes that a change of `table` was recorded.
    fn noted(&mut self, table: &str) {
        if self.tables.iter().any(|seen| seen == table) {
            self.repeated = true;
        } else {
            self.tables.push(table.to_owned());
        }
    }
}

/// Recorded changes joined by SQLite's changegroup: one header a table, and the changes of one row
/// made one.
fn joined(bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut group = Changegroup::new()?;
    group.add_stream(&mut &*bytes)?;
    let mut changeset = Vec::new();
    group.output_strm(&mut changeset)?;
    Ok(changeset)
}

/// The old (`new == false`) or new row image of a change, refused when its width is not the table's.
fn image(table: &str, width: usize, case: &PreUpdateCase, new: bool) -> Result<Vec<u8>, String> {
    match (case, new) {
        (PreUpdateCase::Insert(accessor) | PreUpdateCase::Update { new_value_accessor: accessor, .. }, true) => {
            image_of(table, width, accessor.get_column_count(), |column| accessor.get_new_column_value(column))
        }
        (PreUpdateCase::Delete(accessor) | PreUpdateCase::Update { old_value_accessor: accessor, .. }, false) => {
            image_of(table, width, accessor.get_column_count(), |column| accessor.get_old_column_value(column))
        }
        _ => Err(format!("SQLite reported an unknown kind of change to '{table}'")),
    }
}

fn image_of<'row>(
    table: &str,
    width: usize,
    count: i32,
    value: impl Fn(i32) -> rusqlite::Result<ValueRef<'row>>,
) -> Result<Vec<u8>, String> {
    if usize::try_from(count).ok() != Some(width) {
        return Err(format!("'{table}' has {count} columns, not the {width} read when the file was opened"));
    }
    let mut image = Vec::with_capacity(16 * width);
    for column in 0..count {
        put_value(&mut image, value(column).map_err(|error| error.to_string())?);
    }
    Ok(image)
}

/// Appends one row change to `out`, with its table's header, and says how many changes it wrote. An
/// update that changes nothing is left out (none); one that changes the primary key is a delete and an
/// insert (two), as SQLite's changesets have it.
fn record(out: &mut Vec<u8>, table: &str, keys: &[u8], case: &PreUpdateCase) -> Result<usize, String> {
    let width = keys.len();
    // A change made by a trigger or a foreign key's action (a delete cascading to an item's labels) is
    // "indirect", as a session marks it.
    let indirect = match case {
        PreUpdateCase::Insert(new) => new.get_query_depth() > 0,
        PreUpdateCase::Delete(old) | PreUpdateCase::Update { old_value_accessor: old, .. } => old.get_query_depth() > 0,
        PreUpdateCase::Unknown => false,
    };
    let put_change = |out: &mut Vec<u8>, operation: u8, images: &[&[u8]]| {
        put_change(out, table, keys, operation, indirect, images);
    };
    match case {
        PreUpdateCase::Insert(_) => put_change(out, INSERT, &[&image(table, width, case, true)?]),
        PreUpdateCase::Delete(_) => put_change(out, DELETE, &[&image(table, width, case, false)?]),
        PreUpdateCase::Update { old_value_accessor: old, new_value_accessor: new } => {
            if usize::try_from(old.get_column_count()).ok() != Some(width) {
                return Err(format!(
                    "'{table}' has {} columns, not the {width} read when the file was opened",
                    old.get_column_count()
                ));
            }
            // Each column's old and new value compared where SQLite holds them: only the key and what
            // changed are copied (a move copies its rank and column, not the description).
            let mut old_image = Vec::with_capacity(8 * width);
            let mut new_image = Vec::with_capacity(8 * width);
            let mut changed = false;
            for (column, key) in (0..).zip(keys) {
                let was = old.get_old_column_value(column).map_err(|error| error.to_string())?;
                let now = new.get_new_column_value(column).map_err(|error| error.to_string())?;
                let same = same_value(was, now);
                if *key > 0 && !same {
                    // The key changed: a delete and an insert, as a session records it.
                    put_change(out, DELETE, &[&image(table, width, case, false)?]);
                    put_change(out, INSERT, &[&image(table, width, case, true)?]);
                    return Ok(2);
                }
                if *key > 0 {
                    put_value(&mut old_image, was);
                    new_image.push(UNDEFINED);
                } else if same {
                    old_image.push(UNDEFINED);
                    new_image.push(UNDEFINED);
                } else {
                    changed = true;
                    put_value(&mut old_image, was);
                    put_value(&mut new_image, now);
                }
            }
            if !changed {
                return Ok(0);
            }
            put_change(out, UPDATE, &[&old_image, &new_image]);
        }
        PreUpdateCase::Unknown => return Err(format!("SQLite reported an unknown kind of change to '{table}'")),
    }
    Ok(1)
}

fn put_change(out: &mut Vec<u8>, table: &str, keys: &[u8], operation: u8, indirect: bool, images: &[&[u8]]) {
    out.push(TABLE);
    put_varint(out, keys.len() as u64);
    out.extend_from_slice(keys);
    out.extend_from_slice(table.as_bytes());
    out.push(0);
    out.push(operation);
    out.push(u8::from(indirect));
    for image in images {
        out.extend_from_slice(image);
    }
}

/// Whether two values are the same as a changeset writes them: the same type and the same bytes (a
/// real number by its bits, so that 0.0 and -0.0 differ and a NaN equals itself).
fn same_value(was: ValueRef<'_>, now: ValueRef<'_>) -> bool {
    match (was, now) {
        (ValueRef::Null, ValueRef::Null) => true,
        (ValueRef::Integer(was), ValueRef::Integer(now)) => was == now,
        (ValueRef::Real(was), ValueRef::Real(now)) => was.to_bits() == now.to_bits(),
        (ValueRef::Text(was), ValueRef::Text(now)) | (ValueRef::Blob(was), ValueRef::Blob(now)) => was == now,
        _ => false,
    }
}

/// One value as a changeset holds it: a type byte, then 8 big-endian bytes for a number, or a length and
/// the bytes for text and blobs.
fn put_value(out: &mut Vec<u8>, value: ValueRef<'_>) {
    match value {
        ValueRef::Null => out.push(NULL),
        ValueRef::Integer(integer) => {
            out.push(1);
            out.extend_from_slice(&integer.to_be_bytes());
        }
        ValueRef::Real(real) => {
            out.push(2);
            out.extend_from_slice(&real.to_bits().to_be_bytes());
        }
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => {
            out.push(if matches!(value, ValueRef::Text(_)) { 3 } else { 4 });
            put_varint(out, bytes.len() as u64);
            out.extend_from_slice(bytes);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::*;
    use crate::store::Store;
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator as _;
    use rusqlite::session::{ChangesetIter, Session};
    use rusqlite::types::Value;

    /// A changeset's changes in an order that does not depend on how they were made: table, operation,
    /// the key flags, and each column's old and new value (`None` where the change leaves it out).
    fn changes(changeset: &[u8]) -> Vec<String> {
        let mut input = changeset;
        let reader: &mut dyn std::io::Read = &mut input;
        let mut iterator = ChangesetIter::start_strm(&reader).unwrap();
        let mut changes = Vec::new();
        while let Some(item) = iterator.next().unwrap() {
            let op = item.op().unwrap();
            let count = usize::try_from(op.number_of_columns()).unwrap();
            let owned =
                |value: rusqlite::Result<ValueRef<'_>>| value.ok().and_then(|value| Value::try_from(value).ok());
            let old: Vec<Option<Value>> = (0..count).map(|column| owned(item.old_value(column))).collect();
            let new: Vec<Option<Value>> = (0..count).map(|column| owned(item.new_value(column))).collect();
            changes.push(format!(
                "{} {:?} indirect={} pk={:?} old={old:?} new={new:?}",
                op.table_name(),
                op.code(),
                op.indirect(),
                item.pk().unwrap()
            ));
        }
        changes.sort();
        changes
    }

    fn sample() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::seed_sample(&mut store).unwrap();
        store
    }

    fn by_session(connection: &Connection, sql: &str) -> Vec<u8> {
        let mut session = Session::new(connection).unwrap();
        session.table_filter(Some(|table: &str| MERGED_TABLES.contains(&table)));
        session.attach::<&str>(None).unwrap();
        connection.execute_batch(sql).unwrap();
        let mut changeset = Vec::new();
        if !session.is_empty() {
            session.changeset_strm(&mut changeset).unwrap();
        }
        changeset
    }

    fn by_hook(connection: &Connection, shapes: &Arc<Shapes>, sql: &str) -> Vec<u8> {
        recording(connection, shapes, || Ok(connection.execute_batch(sql)?)).unwrap().1
    }

    /// Each statement batch, run on two copies of the sample, records the same changes through the hook
    /// as SQLite's session extension records: the same rows, operations, keys and values.
    #[test]
    fn the_hook_records_what_a_session_records() {
        let by_session_store = sample();
        let by_hook_store = sample();
        let shapes = Arc::new(Shapes::read(by_hook_store.connection()).unwrap());
        let first = "(SELECT min(item_id) FROM items)";
        let labelled = "(SELECT min(item_id) FROM item_labels)";
        let checked = "(SELECT min(item_id) FROM acceptance_criteria)";
        let batches = [
            // Text, a real number and NULL; a long text (a two-byte length) and text beyond ASCII.
            format!(
                "UPDATE items SET title = 'Pay with a saved card — fast ✓', points = 2.5, sprint_id = NULL, \
                 description = printf('%.300c', 'x') WHERE item_id = {first}"
            ),
            // Nothing really changes.
            "UPDATE items SET title = title, points = points".to_owned(),
            format!(
                "CREATE TEMP TABLE kept AS SELECT * FROM item_labels WHERE item_id = {labelled}; \
                 DELETE FROM item_labels WHERE item_id = {labelled}; \
                 INSERT INTO item_labels SELECT * FROM kept; DROP TABLE kept"
            ),
            // Rewritten with one criterion ticked: an update of what differs.
            format!(
                "CREATE TEMP TABLE kept AS SELECT * FROM acceptance_criteria WHERE item_id = {checked}; \
                 DELETE FROM acceptance_criteria WHERE item_id = {checked}; \
                 UPDATE kept SET done = 1 - done WHERE position = 0; \
                 INSERT INTO acceptance_criteria SELECT * FROM kept; DROP TABLE kept"
            ),
            // A key changes: a delete and an insert.
            format!(
                "UPDATE item_labels SET label = 'renamed-label' WHERE item_id = {labelled} \
                 AND label = (SELECT min(label) FROM item_labels WHERE item_id = {labelled})"
            ),
            // Inserted then edited; inserted then deleted; edited then deleted.
            "INSERT INTO items (kind, title, column_id, rank, raised_by, created_at, updated_at) \
             SELECT 'bug', 'New bug', min(column_id), 'zz', 'po', '2026-12-04T10:00:00Z', '2026-12-04T10:00:00Z' \
             FROM board_columns; \
             UPDATE items SET points = 3 WHERE title = 'New bug'; \
             INSERT INTO item_labels (item_id, label) SELECT item_id, 'temporary' FROM items WHERE title = 'New bug'; \
             DELETE FROM item_labels WHERE label = 'temporary'; \
             UPDATE items SET title = 'Doomed' WHERE item_id = (SELECT max(item_id) FROM items WHERE title <> 'New bug'); \
             DELETE FROM items WHERE title = 'Doomed'"
                .to_owned(),
            // A delete that cascades to labels, criteria, history and comments.
            format!("DELETE FROM items WHERE item_id = {labelled}"),
            "UPDATE product SET vision = 'Pay in one tap'".to_owned(),
            "INSERT INTO label_colours (label, colour) VALUES ('workshop', '#12ab34'); \
             UPDATE label_colours SET colour = '#0000ff' WHERE label = 'workshop'"
                .to_owned(),
            "UPDATE metric_samples SET value = value + 0.25 WHERE metric_id = (SELECT min(metric_id) FROM metrics)"
                .to_owned(),
            // Not a plan table: not recorded.
            "INSERT INTO journal (change_id, at, changeset) VALUES ('x', 'now', x'00')".to_owned(),
        ];
        let mut unchanged = Vec::new();
        for (index, sql) in batches.iter().enumerate() {
            let expected = changes(&by_session(by_session_store.connection(), sql));
            let recorded = changes(&by_hook(by_hook_store.connection(), &shapes, sql));
            assert_eq!(recorded, expected, "for {sql}");
            if recorded.is_empty() {
                unchanged.push(index);
            }
        }
        // Only the batches that change nothing in the plan record nothing.
        assert_eq!(unchanged, [1, 2, 10]);
    }

    /// A write that changes each table once is kept as recorded, without the changegroup: those bytes
    /// are exactly what the changegroup makes of them. One that changes a table twice is joined.
    #[test]
    fn one_change_a_table_is_kept_as_the_changegroup_would_write_it() {
        let store = sample();
        let connection = store.connection();
        let shapes = Arc::new(Shapes::read(connection).unwrap());
        let first = "(SELECT min(item_id) FROM items)";
        let once_each = [
            // A move within its column: the rank alone.
            format!("UPDATE items SET rank = rank || 'V', updated_at = 'now' WHERE item_id = {first}"),
            // A move across columns: the item's row and a history row.
            format!(
                "UPDATE items SET column_id = (SELECT max(column_id) FROM board_columns) WHERE item_id = {first};                  INSERT INTO status_changes (item_id, changed_at, from_column_id, to_column_id)                  SELECT {first}, '2026-12-07T10:00:00Z', min(column_id), max(column_id) FROM board_columns"
            ),
            // Text beyond ASCII, a real number, NULL, a long text.
            format!(
                "UPDATE items SET title = 'Pay with a saved card — fast ✓', points = 2.5, sprint_id = NULL, \
                 description = printf('%.300c', 'x') WHERE item_id = {first}"
            ),
            "UPDATE product SET vision = 'Pay in one tap'".to_owned(),
            "INSERT INTO label_colours (label, colour) VALUES ('workshop', '#12ab34')".to_owned(),
            "DELETE FROM label_colours WHERE label = 'workshop'".to_owned(),
        ];
        for sql in &once_each {
            let recorded = by_hook(connection, &shapes, sql);
            assert!(!recorded.is_empty(), "{sql}");
            assert_eq!(recorded, joined(&recorded).unwrap(), "for {sql}");
        }
        // A key that changes is a delete and an insert of one table: joined.
        let relabelled = "UPDATE item_labels SET label = 'renamed-label' WHERE (item_id, label) = \
             (SELECT item_id, label FROM item_labels ORDER BY item_id, label LIMIT 1)";
        let recorded = by_hook(connection, &shapes, relabelled);
        assert_eq!(changes(&recorded).len(), 2, "a delete and an insert");
        assert_eq!(recorded, joined(&recorded).unwrap());
        // Two rows of one table: joined, one header for both.
        let twice = "UPDATE items SET points = 8 WHERE item_id IN (SELECT item_id FROM items ORDER BY item_id LIMIT 2)";
        let recorded = by_hook(connection, &shapes, twice);
        assert_eq!(recorded, joined(&recorded).unwrap());
        assert_eq!(changes(&recorded).len(), 2);
    }

    #[test]
    fn a_change_to_a_table_wider_than_read_is_refused() {
        let store = sample();
        let shapes = Arc::new(Shapes::read(store.connection()).unwrap());
        store.connection().execute_batch("ALTER TABLE label_colours ADD COLUMN note TEXT").unwrap();
        let result = recording(store.connection(), &shapes, || {
            Ok(store.connection().execute_batch("INSERT INTO label_colours (label, colour) VALUES ('a', '#000000')")?)
        });
        assert!(
            matches!(&result, Err(StoreError::Corrupt(why)) if why.contains("'label_colours' has 3 columns, not the 2")),
            "{:?}",
            result.map(|((), changeset)| changeset)
        );
    }
}
