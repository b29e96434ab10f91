//! Sprints.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, params};

use super::convert::{date, parsed, parsed_opt, timestamp};
use super::{Store, StoreError, changed};
use crate::model::{Sprint, SprintId};

/// Sprints by start date.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn sprints_in_tx(connection: &Connection) -> Result<Vec<Sprint>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT sprint_id, name, goal, start_date, end_date, capacity_points, started_at, completed_at, \
                  carried_over_points FROM sprints ORDER BY start_date, sprint_id",
    )?;
    let sprints = statement
        .query_map([], |row| {
            Ok(Sprint {
                sprint_id: SprintId(row.get(0)?),
                name: row.get(1)?,
                goal: row.get(2)?,
                start_date: parsed(row, 3, "date", date)?,
                end_date: parsed(row, 4, "date", date)?,
                capacity_points: row.get(5)?,
                started_at: parsed_opt(row, 6, "timestamp", timestamp)?,
                completed_at: parsed_opt(row, 7, "timestamp", timestamp)?,
                carried_over_points: row.get::<_, Option<f64>>(8)?.unwrap_or(0.0),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(sprints)
}

/// Adds a sprint.
///
/// # Errors
/// [`StoreError::Invalid`].
pub fn insert_sprint_in_tx(connection: &Connection, sprint: &Sprint) -> Result<Sprint, StoreError> {
    let sprint_id = write_new_sprint(connection, sprint, None)?;
    Ok(Sprint { sprint_id, ..sprint.clone() })
}

/// Puts back a sprint with its own id (undo of a delete, redo of a creation).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_sprint_in_tx(connection: &Connection, sprint: &Sprint) -> Result<(), StoreError> {
    write_new_sprint(connection, sprint, Some(sprint.sprint_id)).map(|_| ())
}

/// Inserts a sprint row, with a fresh id when `sprint_id` is `None`.
fn write_new_sprint(
    connection: &Connection,
    sprint: &Sprint,
    sprint_id: Option<SprintId>,
) -> Result<SprintId, StoreError> {
    sprint.validate()?;
    connection.execute(
        "INSERT INTO sprints (sprint_id, name, goal, start_date, end_date, capacity_points, started_at, completed_at, \
         carried_over_points) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            sprint_id.map(|id| id.0),
            sprint.name.trim(),
            sprint.goal,
            sprint.start_date.to_string(),
            sprint.end_date.to_string(),
            sprint.capacity_points,
            sprint.started_at.map(|at| at.to_string()),
            sprint.completed_at.map(|at| at.to_string()),
            (sprint.carried_over_points > 0.0).then_some(sprint.carried_over_points),
        ],
    )?;
    Ok(SprintId(connection.last_insert_rowid()))
}

/// Saves a sprint.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_sprint_in_tx(connection: &Connection, sprint: &Sprint) -> Result<(), StoreError> {
    sprint.validate()?;
    let rows = connection.execute(
        "UPDATE sprints SET name = ?2, goal = ?3, start_date = ?4, end_date = ?5, capacity_points = ?6, started_at = ?7, \
         completed_at = ?8, carried_over_points = ?9 WHERE sprint_id = ?1",
        params![
            sprint.sprint_id.0,
            sprint.name.trim(),
            sprint.goal,
            sprint.start_date.to_string(),
            sprint.end_date.to_string(),
            sprint.capacity_points,
            sprint.started_at.map(|at| at.to_string()),
            sprint.completed_at.map(|at| at.to_string()),
            (sprint.carried_over_points > 0.0).then_some(sprint.carried_over_points),
        ],
    )?;
    changed(rows, "sprint", sprint.sprint_id.0)
}

/// Deletes a sprint; its items go back to the unplanned backlog.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_sprint_in_tx(connection: &Connection, sprint_id: SprintId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM sprints WHERE sprint_id = ?1", [sprint_id.0])?;
    changed(rows, "sprint", sprint_id.0)
}

store_methods! {
    /// Adds a sprint.
    insert_sprint(sprint: &Sprint) -> Sprint => insert_sprint_in_tx;
    /// Saves a sprint.
    update_sprint(sprint: &Sprint) -> () => update_sprint_in_tx;
    /// Deletes a sprint.
    delete_sprint(sprint_id: SprintId) -> () => delete_sprint_in_tx;
}
