//! Questions an import asks of the workspace it merges into: is there already a record of this name,
//! where do new columns and items go. The SQL stays in the store; `interchange` only asks.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

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
}

impl Named {
    fn sql(self) -> &'static str {
        match self {
            Self::Column => "SELECT column_id FROM board_columns WHERE lower(name) = lower(?1)",
            Self::Objective => "SELECT objective_id FROM objectives WHERE lower(title) = lower(?1)",
            Self::Epic => "SELECT epic_id FROM epics WHERE lower(title) = lower(?1)",
            Self::Release => "SELECT release_id FROM releases WHERE lower(name) = lower(?1)",
            Self::Increment => "SELECT increment_id FROM program_increments WHERE lower(name) = lower(?1)",
            Self::Sprint => "SELECT sprint_id FROM sprints WHERE lower(name) = lower(?1)",
            Self::Metric => "SELECT metric_id FROM metrics WHERE lower(name) = lower(?1)",
        }
    }
}

/// The id of the record of that kind with that name (ignoring case and surrounding spaces), if any.
///
/// # Errors
/// A SQLite error.
pub fn id_by_name_in_tx(connection: &Connection, what: Named, name: &str) -> Result<Option<i64>, StoreError> {
    Ok(connection.prepare_cached(what.sql())?.query_row([name.trim()], |row| row.get(0)).optional()?)
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
