//! Questions an import asks of the workspace it merges into: is there already a record of this name,
//! where do new columns and items go. The SQL stays in the store; `interchange` only asks.

use std::collections::HashMap;

use rusqlite::Connection;

use super::StoreError;
use crate::model::{ColumnId, Rank};

/// The kinds of record an import matches by name (case-insensitively).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// A board column, by name.
    Column,
    /// An objective, by title.
    Objective,
    /// An epic, by title.
    Epic,
    /// A release or milestone, by name.
    Release,
    /// A program increment, by name.
    Increment,
    /// A sprint, by name.
    Sprint,
    /// A KPI, by name.
    Metric,
    /// A persona, by name.
    Persona,
    /// An insight, by title.
    Insight,
}

/// Every record of one kind by name (ignoring ASCII case and surrounding spaces, as SQLite's `lower`),
/// read once: an import that matches thousands of names asks this, not the file, so it stays linear.
#[derive(Debug, Default)]
pub struct NameIndex {
    ids: HashMap<String, i64>,
}

impl NameIndex {
    fn key(name: &str) -> String {
        name.trim().to_ascii_lowercase()
    }

    /// Reads every record of `what`.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn load(connection: &Connection, what: Named) -> Result<Self, StoreError> {
        let (table, id, name) = match what {
            Named::Column => ("board_columns", "column_id", "name"),
            Named::Objective => ("objectives", "objective_id", "title"),
            Named::Epic => ("epics", "epic_id", "title"),
            Named::Release => ("releases", "release_id", "name"),
            Named::Increment => ("program_increments", "increment_id", "name"),
            Named::Sprint => ("sprints", "sprint_id", "name"),
            Named::Metric => ("metrics", "metric_id", "name"),
            Named::Persona => ("personas", "persona_id", "name"),
            Named::Insight => ("insights", "insight_id", "title"),
        };
        let mut statement = connection.prepare(&format!("SELECT {id}, {name} FROM {table} ORDER BY {id}"))?;
        let mut ids = HashMap::new();
        for row in statement.query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            // The oldest of two same-named records wins, as a query for the first would find it.
            ids.entry(Self::key(&name)).or_insert(id);
        }
        Ok(Self { ids })
    }

    /// How many names it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether it holds no name.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of the record with that name, if any.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<i64> {
        self.ids.get(&Self::key(name)).copied()
    }

    /// Notes a record just written, so later names find it.
    pub fn insert(&mut self, name: &str, id: i64) {
        self.ids.entry(Self::key(name)).or_insert(id);
    }
}

/// The position a column added at the right end of the board takes.
///
/// # Errors
/// A SQLite error.
pub fn next_column_position_in_tx(connection: &Connection) -> Result<i64, StoreError> {
    Ok(connection.query_row("SELECT coalesce(max(position) + 1, 0) FROM board_columns", [], |row| row.get(0))?)
}

/// Each column's last rank key: imported items go below the items already there.
///
/// # Errors
/// A SQLite error.
pub fn last_ranks_in_tx(connection: &Connection) -> Result<HashMap<ColumnId, Rank>, StoreError> {
    let mut statement = connection.prepare("SELECT column_id, max(rank) FROM items GROUP BY column_id")?;
    let mut rows = statement.query([])?;
    let mut last_ranks = HashMap::new();
    while let Some(row) = rows.next()? {
        let text: Option<String> = row.get(1)?;
        if let Some(rank) = text.and_then(|text| Rank::parse(&text).ok()) {
            last_ranks.insert(ColumnId(row.get(0)?), rank);
        }
    }
    Ok(last_ranks)
}

/// The id the next new item gets.
///
/// # Errors
/// A SQLite error.
pub fn next_item_id_in_tx(connection: &Connection) -> Result<i64, StoreError> {
    Ok(connection.query_row(
        "SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'items'",
        [],
        |row| row.get(0),
    )?)
}

/// Every item's status changes, oldest first, keyed by item id: (instant as stored, column id).
///
/// # Errors
/// A SQLite error.
pub fn history_by_item_in_tx(connection: &Connection) -> Result<HashMap<i64, Vec<(String, i64)>>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT item_id, changed_at, to_column_id FROM status_changes ORDER BY item_id, changed_at, status_change_id",
    )?;
    let mut rows = statement.query([])?;
    let mut history: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    while let Some(row) = rows.next()? {
        history.entry(row.get(0)?).or_default().push((row.get(1)?, row.get(2)?));
    }
    Ok(history)
}
