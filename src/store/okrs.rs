//! Objectives and their key results.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, params};

use super::{Store, StoreError, changed};
use crate::model::{KeyResult, Objective, ObjectiveId};

/// Puts back an objective with its own id (redo of a creation).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_objective_in_tx(connection: &Connection, objective: &Objective) -> Result<(), StoreError> {
    objective.validate()?;
    connection.execute(
        "INSERT INTO objectives (objective_id, title, description) VALUES (?1, ?2, ?3)",
        params![objective.objective_id.0, objective.title.trim(), objective.description],
    )?;
    write_key_results(connection, objective)
}

/// Objectives with their key results.
///
/// # Errors
/// A SQLite error.
pub fn objectives_in_tx(connection: &Connection) -> Result<Vec<Objective>, StoreError> {
    let mut statement =
        connection.prepare("SELECT objective_id, title, description FROM objectives ORDER BY objective_id")?;
    let mut objectives: Vec<Objective> = statement
        .query_map([], |row| {
            Ok(Objective {
                objective_id: ObjectiveId(row.get(0)?),
                title: row.get(1)?,
                description: row.get(2)?,
                key_results: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut key_results = connection.prepare(
        "SELECT objective_id, title, current_value, target_value, unit, lower_is_better FROM key_results \
         ORDER BY objective_id, position",
    )?;
    let mut rows = key_results.query([])?;
    while let Some(row) = rows.next()? {
        let objective_id = ObjectiveId(row.get(0)?);
        if let Some(objective) = objectives.iter_mut().find(|objective| objective.objective_id == objective_id) {
            objective.key_results.push(KeyResult {
                title: row.get(1)?,
                current_value: row.get(2)?,
                target_value: row.get(3)?,
                unit: row.get(4)?,
                lower_is_better: row.get(5)?,
            });
        }
    }
    Ok(objectives)
}

fn write_key_results(connection: &Connection, objective: &Objective) -> Result<(), StoreError> {
    connection.execute("DELETE FROM key_results WHERE objective_id = ?1", [objective.objective_id.0])?;
    let mut insert = connection.prepare_cached(
        "INSERT INTO key_results (objective_id, position, title, current_value, target_value, unit, lower_is_better) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, key_result) in objective.key_results.iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        insert.execute(params![
            objective.objective_id.0,
            position,
            key_result.title.trim(),
            key_result.current_value,
            key_result.target_value,
            key_result.unit,
            key_result.lower_is_better
        ])?;
    }
    Ok(())
}

/// Adds an objective with its key results.
///
/// # Errors
/// [`StoreError::Invalid`].
pub fn insert_objective_in_tx(connection: &Connection, objective: &Objective) -> Result<Objective, StoreError> {
    objective.validate()?;
    connection.execute(
        "INSERT INTO objectives (title, description) VALUES (?1, ?2)",
        params![objective.title.trim(), objective.description],
    )?;
    let stored = Objective { objective_id: ObjectiveId(connection.last_insert_rowid()), ..objective.clone() };
    write_key_results(connection, &stored)?;
    Ok(stored)
}

/// Saves an objective and replaces its key results.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_objective_in_tx(connection: &Connection, objective: &Objective) -> Result<(), StoreError> {
    objective.validate()?;
    let rows = connection.execute(
        "UPDATE objectives SET title = ?2, description = ?3 WHERE objective_id = ?1",
        params![objective.objective_id.0, objective.title.trim(), objective.description],
    )?;
    changed(rows, "objective", objective.objective_id.0)?;
    write_key_results(connection, objective)
}

/// Deletes an objective; linked epics keep their dates and lose the link.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_objective_in_tx(connection: &Connection, objective_id: ObjectiveId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM objectives WHERE objective_id = ?1", [objective_id.0])?;
    changed(rows, "objective", objective_id.0)
}

store_methods! {
    /// Adds an objective.
    insert_objective(objective: &Objective) -> Objective => insert_objective_in_tx;
    /// Saves an objective.
    update_objective(objective: &Objective) -> () => update_objective_in_tx;
    /// Deletes an objective.
    delete_objective(objective_id: ObjectiveId) -> () => delete_objective_in_tx;
}
