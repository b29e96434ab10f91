//! The journal (schema version 6): every committed write is recorded as a SQLite changeset (SQLite's
//! format, joined by its changegroup; see [`super::recorder`]) with a random id, so that two copies of one plan can tell
//! the changes they share from their own. And new records get ids far from the other copies': the first
//! write of each session moves where this file's new ids start by a random distance, so two copies
//! edited apart never both mint item 51.

use rusqlite::{Connection, params};

use super::StoreError;

/// The tables a merge carries over: the plan itself. Baselines and the journal stay with their file.
pub const MERGED_TABLES: &[&str] = &[
    "product",
    "board_columns",
    "objectives",
    "key_results",
    "epics",
    "epic_dependencies",
    "releases",
    "program_increments",
    "sprints",
    "personas",
    "insights",
    "items",
    "acceptance_criteria",
    "item_labels",
    "status_changes",
    "comments",
    "metrics",
    "metric_samples",
    "label_colours",
];

/// The tables whose new rows get an id from SQLite's `sqlite_sequence`, with their id column.
const SEQUENCED: &[(&str, &str)] = &[
    ("items", "item_id"),
    ("board_columns", "column_id"),
    ("objectives", "objective_id"),
    ("epics", "epic_id"),
    ("releases", "release_id"),
    ("program_increments", "increment_id"),
    ("sprints", "sprint_id"),
    ("metrics", "metric_id"),
    ("comments", "comment_id"),
    ("personas", "persona_id"),
    ("insights", "insight_id"),
];

/// The largest distance new ids jump at the start of a session (2^32): two copies that each create a
/// hundred items collide with a chance of about one in forty million, and ids stay below 2^53 (exact in
/// JSON) for millions of sessions.
const MAX_JUMP: i64 = 1 << 32;

/// Moves where new ids start, in every sequenced table, by one random distance: ids stay increasing in
/// this file, and another copy's new ids start elsewhere. A file with no records yet keeps ids from 1. `status_changes` (no sequence) is handled by
/// the merge, which gives a colliding history row a new id.
///
/// # Errors
/// A SQLite error.
pub(super) fn spread_ids(connection: &Connection) -> Result<(), StoreError> {
    // A file with no records yet (being created) has no copies to keep apart from: its ids start at 1.
    let any: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM items) OR EXISTS (SELECT 1 FROM board_columns) OR EXISTS (SELECT 1 FROM epics)",
        [],
        |row| row.get(0),
    )?;
    if !any {
        return Ok(());
    }
    jump_ids(connection)
}

/// Makes the ids of a file being built start at a random place in every sequenced table, as
/// [`spread_ids`] does for a file that has records: a workspace made by an import holds records with
/// the source's dates, and numbered from 1 they would carry the source's ids too, so that comparing
/// or merging the two would take different items for the same one.
///
/// # Errors
/// A SQLite error.
pub(super) fn start_ids_apart(connection: &Connection) -> Result<(), StoreError> {
    jump_ids(connection)
}

/// Moves where every sequenced table's new ids start by one random distance.
fn jump_ids(connection: &Connection) -> Result<(), StoreError> {
    let jump: i64 = connection.query_row("SELECT 1 + (random() & ?1)", [MAX_JUMP - 1], |row| row.get(0))?;
    for (table, column) in SEQUENCED {
        let highest: i64 = connection.query_row(
            &format!(
                "SELECT max(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?1), 0), \
                 COALESCE((SELECT max({column}) FROM {table}), 0))"
            ),
            [table],
            |row| row.get(0),
        )?;
        let start = highest + jump;
        if connection.execute("UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1", params![table, start])? == 0 {
            connection.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)", params![table, start])?;
        }
    }
    Ok(())
}

/// Runs `work` while what it changes in the plan's tables is recorded ([`super::recorder`]), and adds
/// the changeset to the journal in the same transaction.
///
/// # Errors
/// Whatever `work` returns, or a SQLite error.
pub(super) fn recorded<T>(
    connection: &Connection,
    shapes: &std::sync::Arc<super::recorder::Shapes>,
    work: impl FnOnce() -> Result<T, StoreError>,
) -> Result<(T, Vec<u8>), StoreError> {
    let (value, changeset) = super::recorder::recording(connection, shapes, work)?;
    if !changeset.is_empty() {
        connection
            .prepare_cached(
                "INSERT INTO journal (change_id, at, changeset) VALUES (lower(hex(randomblob(16))), ?1, ?2)",
            )?
            .execute(params![jiff::Timestamp::now().to_string(), changeset])?;
    }
    Ok((value, changeset))
}

/// Adds one entry to the journal. The caller makes sure its id is new (the merge adds only the
/// entries whose ids the journal lacks): the table does not index the ids, so that an ordinary
/// write adds one page to the file, not three.
///
/// # Errors
/// A SQLite error.
pub fn append(connection: &Connection, change_id: &str, changeset: &[u8]) -> Result<(), StoreError> {
    connection.execute(
        "INSERT INTO journal (change_id, at, changeset) VALUES (?1, ?2, ?3)",
        params![change_id, jiff::Timestamp::now().to_string(), changeset],
    )?;
    Ok(())
}

/// Adds (`present`) or takes out the journal entries a merge imported, when it is redone or undone.
/// An id the journal already has is not added twice; taking out removes every entry with the id.
/// Both read the journal's ids once, whatever the number of entries.
///
/// # Errors
/// A SQLite error.
pub fn set_imported(connection: &Connection, imported: &[(String, Vec<u8>)], present: bool) -> Result<(), StoreError> {
    if imported.is_empty() {
        return Ok(());
    }
    let mut statement = connection.prepare("SELECT seq, change_id FROM journal")?;
    let stored: Vec<(i64, String)> =
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    if present {
        let mut known: std::collections::HashSet<&str> = stored.iter().map(|(_, id)| id.as_str()).collect();
        for (change_id, changeset) in imported {
            if known.insert(change_id) {
                append(connection, change_id, changeset)?;
            }
        }
    } else {
        let gone: std::collections::HashSet<&str> = imported.iter().map(|(id, _)| id.as_str()).collect();
        let mut delete = connection.prepare_cached("DELETE FROM journal WHERE seq = ?1")?;
        for (seq, _) in stored.iter().filter(|(_, id)| gone.contains(id.as_str())) {
            delete.execute([seq])?;
        }
    }
    Ok(())
}

/// One entry of a journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    /// Its id, the same in every copy that has it.
    pub change_id: String,
    /// When it was committed.
    pub at: String,
    /// The changeset.
    pub changeset: Vec<u8>,
}

/// The whole journal, oldest first.
///
/// # Errors
/// A SQLite error.
pub fn entries(connection: &Connection) -> Result<Vec<JournalEntry>, StoreError> {
    let mut statement = connection.prepare("SELECT change_id, at, changeset FROM journal ORDER BY seq")?;
    let entries = statement
        .query_map([], |row| Ok(JournalEntry { change_id: row.get(0)?, at: row.get(1)?, changeset: row.get(2)? }))?
        .collect::<Result<_, _>>()?;
    Ok(entries)
}

/// The ids of every journal entry.
///
/// # Errors
/// A SQLite error.
pub fn change_ids(connection: &Connection) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut statement = connection.prepare("SELECT change_id FROM journal")?;
    let ids = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Joins changesets, oldest first, into one with their net effect (a row changed twice shows its first
/// old values and its last new ones), with SQLite's changegroup. Entries recorded before a schema change
/// are first widened to the tables of `connection` ([`super::changesets::upgraded`]).
///
/// # Errors
/// A SQLite error or [`StoreError::Corrupt`] for a malformed changeset.
pub fn combined<'a>(
    connection: &Connection,
    changesets: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<u8>, StoreError> {
    let mut group = rusqlite::session::Changegroup::new()?;
    for changeset in changesets {
        let widened = super::changesets::upgraded(connection, changeset)?;
        let mut reader: &[u8] = &widened;
        group.add_stream(&mut reader)?;
    }
    let mut out = Vec::new();
    group.output_strm(&mut out)?;
    Ok(out)
}

/// The changeset that undoes `changeset`.
///
/// # Errors
/// A SQLite error for a malformed changeset.
pub fn inverted(changeset: &[u8]) -> Result<Vec<u8>, StoreError> {
    let mut input: &[u8] = changeset;
    let mut out = Vec::new();
    rusqlite::session::invert_strm(&mut input, &mut out)?;
    Ok(out)
}
