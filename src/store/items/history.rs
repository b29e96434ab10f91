//! The status-change log: every column an item entered, and when; the delivery charts read it.

use super::{bind_all, insert_rows};
use crate::model::{ColumnId, ItemId, StatusChange};
use crate::store::StoreError;
use crate::store::convert::{parsed, timestamp};
use rusqlite::Connection;

/// Every item's status changes, by item and then oldest first: the log the delivery charts read.
///
/// # Errors
/// A SQLite error or an unreadable timestamp.
pub fn status_changes_in_tx(connection: &Connection) -> Result<Vec<StatusChange>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT item_id, changed_at, from_column_id, to_column_id FROM status_changes \
         ORDER BY item_id, changed_at, status_change_id",
    )?;
    let changes = statement
        .query_map([], |row| {
            Ok(StatusChange {
                item_id: ItemId(row.get(0)?),
                changed_at: parsed(row, 1, "timestamp", timestamp)?,
                from_column_id: row.get::<_, Option<i64>>(2)?.map(ColumnId),
                to_column_id: ColumnId(row.get(3)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(changes)
}

/// Every item's status changes, as [`status_changes_in_tx`] reads them, through a connection of its own
/// that only reads ([`crate::store::open_for_reading`]): for a worker thread beside the window's
/// connection, which SQLite's write-ahead log lets keep writing meanwhile.
///
/// # Errors
/// The file cannot be opened or read.
pub fn read_status_changes(path: &std::path::Path) -> Result<Vec<StatusChange>, StoreError> {
    let connection = crate::store::reading_connection(path, std::time::Duration::from_secs(2))?;
    status_changes_in_tx(&connection)
}

/// An item's status changes, oldest first.
///
/// # Errors
/// A SQLite error.
pub fn history_in_tx(connection: &Connection, item_id: ItemId) -> Result<Vec<StatusChange>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT changed_at, from_column_id, to_column_id FROM status_changes WHERE item_id = ?1 ORDER BY changed_at, status_change_id",
    )?;
    let history = statement
        .query_map([item_id.0], |row| {
            Ok(StatusChange {
                item_id,
                changed_at: parsed(row, 0, "timestamp", timestamp)?,
                from_column_id: row.get::<_, Option<i64>>(1)?.map(ColumnId),
                to_column_id: ColumnId(row.get(2)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(history)
}

pub(super) fn log_status_changes(connection: &Connection, changes: &[StatusChange]) -> Result<(), StoreError> {
    insert_rows(
        connection,
        "INSERT INTO status_changes (item_id, changed_at, from_column_id, to_column_id)",
        4,
        changes,
        |statement, first, change| {
            bind_all(
                statement,
                first,
                &[
                    &change.item_id.0,
                    &change.changed_at.to_string(),
                    &change.from_column_id.map(|id| id.0),
                    &change.to_column_id.0,
                ],
            )
        },
    )
}

pub(super) fn log_status_change(connection: &Connection, change: &StatusChange) -> Result<(), StoreError> {
    log_status_changes(connection, std::slice::from_ref(change))
}

/// Logs an item's change of column from `from` to `to` at `now`; or, when `undoing` a move and the
/// item's last logged change is the one that took it from `to` to `from`, takes that entry out of the
/// log instead: an undone move leaves no trace in the delivery charts (a card dragged into progress
/// by mistake and put back does not start its cycle time then).
///
/// # Errors
/// A SQLite error.
pub(super) fn log_column_change(
    connection: &Connection,
    item_id: ItemId,
    (from, to): (ColumnId, ColumnId),
    now: crate::model::Timestamp,
    undoing: bool,
) -> Result<(), StoreError> {
    if undoing {
        let last: Option<(i64, Option<i64>, i64)> = connection
            .prepare_cached(
                "SELECT status_change_id, from_column_id, to_column_id FROM status_changes WHERE item_id = ?1 \
                 ORDER BY changed_at DESC, status_change_id DESC LIMIT 1",
            )?
            .query_map([item_id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
            .next()
            .transpose()?;
        if let Some((entry, Some(entered_from), entered)) = last
            && entered_from == to.0
            && entered == from.0
        {
            connection.prepare_cached("DELETE FROM status_changes WHERE status_change_id = ?1")?.execute([entry])?;
            return Ok(());
        }
    }
    log_status_change(
        connection,
        &StatusChange { item_id, changed_at: now, from_column_id: Some(from), to_column_id: to },
    )
}
