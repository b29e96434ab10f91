//! Objectives and their key results.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, params};

use super::{Store, StoreError, changed};
use crate::model::{IncrementId, KeyResult, Objective, ObjectiveId};

/// The columns an objective's row is written with, after its id: title, description, and what makes it
/// a PI objective.
const OBJECTIVE_FIELDS: &str = "title, description, increment_id, planned_value, actual_value, uncommitted";

/// Runs `sql` with the objective's id as `?1` and its fields (in [`OBJECTIVE_FIELDS`]' order) as `?2`
/// to `?7`; an increment that is not in the file (deleted in another window) is [`StoreError::NotFound`].
fn execute_objective(connection: &Connection, sql: &str, objective: &Objective) -> Result<usize, StoreError> {
    let written = connection.execute(
        sql,
        params![
            objective.objective_id.0,
            objective.title.trim(),
            objective.description,
            objective.increment_id.map(|id| id.0),
            objective.planned_value,
            objective.actual_value,
            objective.uncommitted
        ],
    );
    match (written, objective.increment_id) {
        (Err(rusqlite::Error::SqliteFailure(error, _)), Some(increment_id))
            if error.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            Err(StoreError::NotFound { what: "program increment", id: increment_id.0 })
        }
        (other, _) => Ok(other?),
    }
}

/// Puts back an objective with its own id (redo of a creation).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_objective_in_tx(connection: &Connection, objective: &Objective) -> Result<(), StoreError> {
    objective.validate()?;
    execute_objective(
        connection,
        &format!("INSERT INTO objectives (objective_id, {OBJECTIVE_FIELDS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        objective,
    )?;
    write_key_results(connection, objective)
}

/// Objectives with their key results.
///
/// # Errors
/// A SQLite error.
pub fn objectives_in_tx(connection: &Connection) -> Result<Vec<Objective>, StoreError> {
    let mut statement = connection
        .prepare(&format!("SELECT objective_id, {OBJECTIVE_FIELDS} FROM objectives ORDER BY objective_id"))?;
    let mut objectives: Vec<Objective> = statement
        .query_map([], |row| {
            Ok(Objective {
                objective_id: ObjectiveId(row.get(0)?),
                title: row.get(1)?,
                description: row.get(2)?,
                key_results: Vec::new(),
                increment_id: row.get::<_, Option<i64>>(3)?.map(IncrementId),
                planned_value: row.get(4)?,
                actual_value: row.get(5)?,
                uncommitted: row.get(6)?,
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
    execute_objective(
        connection,
        &format!("INSERT INTO objectives ({OBJECTIVE_FIELDS}) VALUES (?2, ?3, ?4, ?5, ?6, ?7)"),
        &Objective { objective_id: ObjectiveId(0), ..objective.clone() },
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
    let rows = execute_objective(
        connection,
        "UPDATE objectives SET title = ?2, description = ?3, increment_id = ?4, planned_value = ?5, \
         actual_value = ?6, uncommitted = ?7 WHERE objective_id = ?1",
        objective,
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

/// Sets only the program increment an objective is set for (`None`: none).
///
/// # Errors
/// [`StoreError::NotFound`] when the objective or the increment is gone.
pub fn set_objective_increment_in_tx(
    connection: &Connection,
    objective_id: ObjectiveId,
    increment_id: Option<IncrementId>,
) -> Result<(), StoreError> {
    let written = connection.execute(
        "UPDATE objectives SET increment_id = ?2 WHERE objective_id = ?1",
        params![objective_id.0, increment_id.map(|id| id.0)],
    );
    let rows = match (written, increment_id) {
        (Err(rusqlite::Error::SqliteFailure(error, _)), Some(increment_id))
            if error.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            return Err(StoreError::NotFound { what: "program increment", id: increment_id.0 });
        }
        (written, _) => written?,
    };
    changed(rows, "objective", objective_id.0)
}

/// The objectives the file has set for a program increment.
///
/// # Errors
/// A SQLite error.
pub fn objectives_set_for_in_tx(
    connection: &Connection,
    increment_id: IncrementId,
) -> Result<Vec<ObjectiveId>, StoreError> {
    let mut statement =
        connection.prepare("SELECT objective_id FROM objectives WHERE increment_id = ?1 ORDER BY objective_id")?;
    let ids = statement.query_map([increment_id.0], |row| row.get(0).map(ObjectiveId))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// The program increment an objective is set for, as the file holds it.
///
/// # Errors
/// [`StoreError::NotFound`] when the objective is gone.
pub fn objective_increment_in_tx(
    connection: &Connection,
    objective_id: ObjectiveId,
) -> Result<Option<IncrementId>, StoreError> {
    let found =
        connection.query_row("SELECT increment_id FROM objectives WHERE objective_id = ?1", [objective_id.0], |row| {
            row.get::<_, Option<i64>>(0)
        });
    match found {
        Ok(increment) => Ok(increment.map(IncrementId)),
        Err(rusqlite::Error::QueryReturnedNoRows) => {
            Err(StoreError::NotFound { what: "objective", id: objective_id.0 })
        }
        Err(error) => Err(error.into()),
    }
}

store_methods! {
    /// Adds an objective.
    insert_objective(objective: &Objective) -> Objective => insert_objective_in_tx;
    /// Saves an objective.
    update_objective(objective: &Objective) -> () => update_objective_in_tx;
    /// Deletes an objective.
    delete_objective(objective_id: ObjectiveId) -> () => delete_objective_in_tx;
}
