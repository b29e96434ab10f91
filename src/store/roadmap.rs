//! Epics (with the epics they start after), releases and milestones, program increments.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, Row, params};

use super::convert::{date, parsed};
use super::{Store, StoreError, changed};
use crate::model::{Colour, Epic, EpicId, IncrementId, ObjectiveId, ProgramIncrement, Release, ReleaseId, ReleaseKind};

fn epic_from_row(row: &Row<'_>) -> rusqlite::Result<Epic> {
    Ok(Epic {
        epic_id: EpicId(row.get(0)?),
        title: row.get(1)?,
        description: row.get(2)?,
        colour: parsed(row, 3, "colour", Colour::from_hex)?,
        start_date: parsed(row, 4, "date", date)?,
        end_date: parsed(row, 5, "date", date)?,
        objective_id: row.get::<_, Option<i64>>(6)?.map(ObjectiveId),
        depends_on: Vec::new(),
    })
}

fn write_dependencies(connection: &Connection, epic: &Epic) -> Result<(), StoreError> {
    connection.prepare_cached("DELETE FROM epic_dependencies WHERE epic_id = ?1")?.execute([epic.epic_id.0])?;
    let mut insert = connection
        .prepare_cached("INSERT OR IGNORE INTO epic_dependencies (epic_id, after_epic_id) VALUES (?1, ?2)")?;
    for after in &epic.depends_on {
        insert.execute([epic.epic_id.0, after.0])?;
    }
    Ok(())
}

/// Epics by start date.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn epics_in_tx(connection: &Connection) -> Result<Vec<Epic>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT epic_id, title, description, colour, start_date, end_date, objective_id FROM epics ORDER BY start_date, epic_id",
    )?;
    let mut epics: Vec<Epic> = statement.query_map([], epic_from_row)?.collect::<Result<_, _>>()?;
    let mut dependencies =
        connection.prepare("SELECT epic_id, after_epic_id FROM epic_dependencies ORDER BY epic_id, after_epic_id")?;
    let pairs: Vec<(i64, i64)> =
        dependencies.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    for (epic_id, after) in pairs {
        if let Some(epic) = epics.iter_mut().find(|epic| epic.epic_id.0 == epic_id) {
            epic.depends_on.push(EpicId(after));
        }
    }
    Ok(epics)
}

/// Adds an epic; returns it with its id.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty title or reversed dates.
pub fn insert_epic_in_tx(connection: &Connection, epic: &Epic) -> Result<Epic, StoreError> {
    epic.validate()?;
    connection.execute(
        "INSERT INTO epics (title, description, colour, start_date, end_date, objective_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            epic.title.trim(),
            epic.description,
            epic.colour.to_hex(),
            epic.start_date.to_string(),
            epic.end_date.to_string(),
            epic.objective_id.map(|id| id.0)
        ],
    )?;
    let stored = Epic { epic_id: EpicId(connection.last_insert_rowid()), ..epic.clone() };
    write_dependencies(connection, &stored)?;
    Ok(stored)
}

/// Saves an epic.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_epic_in_tx(connection: &Connection, epic: &Epic) -> Result<(), StoreError> {
    epic.validate()?;
    let rows = connection.execute(
        "UPDATE epics SET title = ?2, description = ?3, colour = ?4, start_date = ?5, end_date = ?6, objective_id = ?7 \
         WHERE epic_id = ?1",
        params![
            epic.epic_id.0,
            epic.title.trim(),
            epic.description,
            epic.colour.to_hex(),
            epic.start_date.to_string(),
            epic.end_date.to_string(),
            epic.objective_id.map(|id| id.0)
        ],
    )?;
    changed(rows, "epic", epic.epic_id.0)?;
    write_dependencies(connection, epic)
}

/// Puts back an epic with its own id (redo of a creation).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_epic_in_tx(connection: &Connection, epic: &Epic) -> Result<(), StoreError> {
    epic.validate()?;
    connection.execute(
        "INSERT INTO epics (epic_id, title, description, colour, start_date, end_date, objective_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            epic.epic_id.0,
            epic.title.trim(),
            epic.description,
            epic.colour.to_hex(),
            epic.start_date.to_string(),
            epic.end_date.to_string(),
            epic.objective_id.map(|id| id.0)
        ],
    )?;
    write_dependencies(connection, epic)
}

/// Deletes an epic; its items stay, without an epic.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_epic_in_tx(connection: &Connection, epic_id: EpicId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM epics WHERE epic_id = ?1", [epic_id.0])?;
    changed(rows, "epic", epic_id.0)
}

/// Releases and milestones by date.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn releases_in_tx(connection: &Connection) -> Result<Vec<Release>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT release_id, name, release_date, kind, description FROM releases ORDER BY release_date, release_id",
    )?;
    let releases = statement
        .query_map([], |row| {
            Ok(Release {
                release_id: ReleaseId(row.get(0)?),
                name: row.get(1)?,
                date: parsed(row, 2, "date", date)?,
                kind: parsed(row, 3, "release kind", ReleaseKind::from_code)?,
                description: row.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(releases)
}

/// Adds a release or milestone.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty name.
pub fn insert_release_in_tx(connection: &Connection, release: &Release) -> Result<Release, StoreError> {
    release.validate()?;
    connection.execute(
        "INSERT INTO releases (name, release_date, kind, description) VALUES (?1, ?2, ?3, ?4)",
        params![release.name.trim(), release.date.to_string(), release.kind.code(), release.description],
    )?;
    Ok(Release { release_id: ReleaseId(connection.last_insert_rowid()), ..release.clone() })
}

/// Puts a deleted release back under its own id (an undo).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_release_in_tx(connection: &Connection, release: &Release) -> Result<(), StoreError> {
    release.validate()?;
    connection.execute(
        "INSERT INTO releases (release_id, name, release_date, kind, description) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            release.release_id.0,
            release.name.trim(),
            release.date.to_string(),
            release.kind.code(),
            release.description
        ],
    )?;
    Ok(())
}

/// Saves a release.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_release_in_tx(connection: &Connection, release: &Release) -> Result<(), StoreError> {
    release.validate()?;
    let rows = connection.execute(
        "UPDATE releases SET name = ?2, release_date = ?3, kind = ?4, description = ?5 WHERE release_id = ?1",
        params![
            release.release_id.0,
            release.name.trim(),
            release.date.to_string(),
            release.kind.code(),
            release.description
        ],
    )?;
    changed(rows, "release", release.release_id.0)
}

/// Deletes a release.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_release_in_tx(connection: &Connection, release_id: ReleaseId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM releases WHERE release_id = ?1", [release_id.0])?;
    changed(rows, "release", release_id.0)
}

/// Program increments by start date.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn increments_in_tx(connection: &Connection) -> Result<Vec<ProgramIncrement>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT increment_id, name, start_date, end_date FROM program_increments ORDER BY start_date, increment_id",
    )?;
    let increments = statement
        .query_map([], |row| {
            Ok(ProgramIncrement {
                increment_id: IncrementId(row.get(0)?),
                name: row.get(1)?,
                start_date: parsed(row, 2, "date", date)?,
                end_date: parsed(row, 3, "date", date)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(increments)
}

/// Adds a program increment.
///
/// # Errors
/// [`StoreError::Invalid`].
pub fn insert_increment_in_tx(
    connection: &Connection,
    increment: &ProgramIncrement,
) -> Result<ProgramIncrement, StoreError> {
    increment.validate()?;
    connection.execute(
        "INSERT INTO program_increments (name, start_date, end_date) VALUES (?1, ?2, ?3)",
        params![increment.name.trim(), increment.start_date.to_string(), increment.end_date.to_string()],
    )?;
    Ok(ProgramIncrement { increment_id: IncrementId(connection.last_insert_rowid()), ..increment.clone() })
}

/// Puts a deleted program increment back under its own id (an undo).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_increment_in_tx(connection: &Connection, increment: &ProgramIncrement) -> Result<(), StoreError> {
    increment.validate()?;
    connection.execute(
        "INSERT INTO program_increments (increment_id, name, start_date, end_date) VALUES (?1, ?2, ?3, ?4)",
        params![
            increment.increment_id.0,
            increment.name.trim(),
            increment.start_date.to_string(),
            increment.end_date.to_string()
        ],
    )?;
    Ok(())
}

/// Saves a program increment.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_increment_in_tx(connection: &Connection, increment: &ProgramIncrement) -> Result<(), StoreError> {
    increment.validate()?;
    let rows = connection.execute(
        "UPDATE program_increments SET name = ?2, start_date = ?3, end_date = ?4 WHERE increment_id = ?1",
        params![
            increment.increment_id.0,
            increment.name.trim(),
            increment.start_date.to_string(),
            increment.end_date.to_string()
        ],
    )?;
    changed(rows, "program increment", increment.increment_id.0)
}

/// Deletes a program increment.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_increment_in_tx(connection: &Connection, increment_id: IncrementId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM program_increments WHERE increment_id = ?1", [increment_id.0])?;
    changed(rows, "program increment", increment_id.0)
}

store_methods! {
    /// Adds an epic.
    insert_epic(epic: &Epic) -> Epic => insert_epic_in_tx;
    /// Saves an epic.
    update_epic(epic: &Epic) -> () => update_epic_in_tx;
    /// Deletes an epic.
    delete_epic(epic_id: EpicId) -> () => delete_epic_in_tx;
    /// Adds a release.
    insert_release(release: &Release) -> Release => insert_release_in_tx;
    /// Saves a release.
    update_release(release: &Release) -> () => update_release_in_tx;
    /// Deletes a release.
    delete_release(release_id: ReleaseId) -> () => delete_release_in_tx;
    /// Adds a program increment.
    insert_increment(increment: &ProgramIncrement) -> ProgramIncrement => insert_increment_in_tx;
    /// Saves a program increment.
    update_increment(increment: &ProgramIncrement) -> () => update_increment_in_tx;
    /// Deletes a program increment.
    delete_increment(increment_id: IncrementId) -> () => delete_increment_in_tx;
}
