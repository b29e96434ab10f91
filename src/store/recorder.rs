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
            if let Err(why) = record(&mut recording.bytes, table, keys, case) {
                recording.failed.get_or_insert(why);
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
    let mut group = Changegroup::new()?;
    group.add_stream(&mut recording.bytes.as_slice())?;
    let mut changeset = Vec::new();
    group.output_strm(&mut changeset)?;
    Ok((value, changeset))
}

/// A row image in changeset form, and where each column's value ends in it.
#[derive(Default)]
struct Image {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Image {
    fn push(&mut self, value: ValueRef<'_>) {
        put_value(&mut self.bytes, value);
        self.ends.push(self.bytes.len());
    }

    /// Each column's value, as its bytes.
    fn values(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(&self.ends).map(|(start, end)| self.bytes.get(start..*end).unwrap_or_default())
    }
}

/// The old (`new == false`) or new row image of a change, refused when its width is not the table's.
fn image(table: &str, width: usize, case: &PreUpdateCase, new: bool) -> Result<Image, String> {
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
) -> Result<Image, String> {
    if usize::try_from(count).ok() != Some(width) {
        return Err(format!("'{table}' has {count} columns, not the {width} read when the file was opened"));
    }
    let mut image = Image { bytes: Vec::with_capacity(16 * width), ends: Vec::with_capacity(width) };
    for column in 0..count {
        image.push(value(column).map_err(|error| error.to_string())?);
    }
    Ok(image)
}

/// Appends one row change to `out`, with its table's header. An update that changes nothing is left
/// out; one that changes the primary key is a delete and an insert, as SQLite's changesets have it.
fn record(out: &mut Vec<u8>, table: &str, keys: &[u8], case: &PreUpdateCase) -> Result<(), String> {
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
        PreUpdateCase::Insert(_) => put_change(out, INSERT, &[&image(table, width, case, true)?.bytes]),
        PreUpdateCase::Delete(_) => put_change(out, DELETE, &[&image(table, width, case, false)?.bytes]),
        PreUpdateCase::Update { .. } => {
            let before = image(table, width, case, false)?;
            let after = image(table, width, case, true)?;
            let pairs = || keys.iter().zip(before.values().zip(after.values()));
            if pairs().any(|(key, (was, now))| *key > 0 && was != now) {
                put_change(out, DELETE, &[&before.bytes]);
                put_change(out, INSERT, &[&after.bytes]);
                return Ok(());
            }
            let mut old_image = Vec::with_capacity(before.bytes.len());
            let mut new_image = Vec::with_capacity(after.bytes.len());
            let mut changed = false;
            for (key, (was, now)) in pairs() {
                if *key > 0 {
                    old_image.extend_from_slice(was);
                    new_image.push(UNDEFINED);
                } else if was == now {
                    old_image.push(UNDEFINED);
                    new_image.push(UNDEFINED);
                } else {
                    changed = true;
                    old_image.extend_from_slice(was);
                    new_image.extend_from_slice(now);
                }
            }
            if changed {
                put_change(out, UPDATE, &[&old_image, &new_image]);
            }
        }
        PreUpdateCase::Unknown => return Err(format!("SQLite reported an unknown kind of change to '{table}'")),
    }
    Ok(())
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
