//! UX research: personas and insights.
//!
//! Each has `insert_*_in_tx` (a new id is assigned), `restore_*_in_tx` (back under its own id, an
//! undo), `update_*_in_tx` and `delete_*_in_tx`; the matching [`Store`] methods run them in their own
//! transaction.

use rusqlite::{Connection, params};

use super::convert::{date, parsed, parsed_opt};
use super::{Store, StoreError, changed};
use crate::model::{Insight, InsightId, InsightKind, MetricId, Persona, PersonaId};

/// Personas by id.
///
/// # Errors
/// A SQLite error.
pub fn personas_in_tx(connection: &Connection) -> Result<Vec<Persona>, StoreError> {
    let mut statement = connection.prepare("SELECT persona_id, name, description FROM personas ORDER BY persona_id")?;
    let personas = statement
        .query_map([], |row| {
            Ok(Persona { persona_id: PersonaId(row.get(0)?), name: row.get(1)?, description: row.get(2)? })
        })?
        .collect::<Result<_, _>>()?;
    Ok(personas)
}

/// Runs `sql` with the persona's id as `?1`, its name as `?2` and its description as `?3`.
fn execute_persona(connection: &Connection, sql: &str, persona: &Persona) -> Result<usize, StoreError> {
    persona.validate()?;
    Ok(connection.execute(sql, params![persona.persona_id.0, persona.name.trim(), persona.description])?)
}

/// Adds a persona.
///
/// # Errors
/// [`StoreError::Invalid`].
pub fn insert_persona_in_tx(connection: &Connection, persona: &Persona) -> Result<Persona, StoreError> {
    execute_persona(connection, "INSERT INTO personas (name, description) VALUES (?2, ?3)", persona)?;
    Ok(Persona {
        persona_id: PersonaId(connection.last_insert_rowid()),
        name: persona.name.trim().to_owned(),
        ..persona.clone()
    })
}

/// Puts a deleted persona back under its own id (an undo).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_persona_in_tx(connection: &Connection, persona: &Persona) -> Result<(), StoreError> {
    execute_persona(connection, "INSERT INTO personas (persona_id, name, description) VALUES (?1, ?2, ?3)", persona)?;
    Ok(())
}

/// Saves a persona.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_persona_in_tx(connection: &Connection, persona: &Persona) -> Result<(), StoreError> {
    let rows =
        execute_persona(connection, "UPDATE personas SET name = ?2, description = ?3 WHERE persona_id = ?1", persona)?;
    changed(rows, "persona", persona.persona_id.0)
}

/// Deletes a persona; the insights about it stay, about no persona.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_persona_in_tx(connection: &Connection, persona_id: PersonaId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM personas WHERE persona_id = ?1", [persona_id.0])?;
    changed(rows, "persona", persona_id.0)
}

/// The columns an insight is read and written with, after its id.
const INSIGHT_FIELDS: &str = "title, kind, source, observed_on, persona_id, detail, metric_id";

/// Insights by id.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn insights_in_tx(connection: &Connection) -> Result<Vec<Insight>, StoreError> {
    let mut statement =
        connection.prepare(&format!("SELECT insight_id, {INSIGHT_FIELDS} FROM insights ORDER BY insight_id"))?;
    let insights = statement
        .query_map([], |row| {
            Ok(Insight {
                insight_id: InsightId(row.get(0)?),
                title: row.get(1)?,
                kind: parsed(row, 2, "insight kind", InsightKind::from_code)?,
                source: row.get(3)?,
                observed_on: parsed_opt(row, 4, "date", date)?,
                persona_id: row.get::<_, Option<i64>>(5)?.map(PersonaId),
                detail: row.get(6)?,
                metric_id: row.get::<_, Option<i64>>(7)?.map(MetricId),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(insights)
}

/// Runs `sql` with the insight's id as `?1` and its fields (in [`INSIGHT_FIELDS`]' order) as `?2` to
/// `?8`; a persona or KPI that is not in the file (deleted in another window) is [`StoreError::NotFound`].
fn execute_insight(connection: &Connection, sql: &str, insight: &Insight) -> Result<usize, StoreError> {
    insight.validate()?;
    let written = connection.execute(
        sql,
        params![
            insight.insight_id.0,
            insight.title.trim(),
            insight.kind.code(),
            insight.source.trim(),
            insight.observed_on.map(|day| day.to_string()),
            insight.persona_id.map(|id| id.0),
            insight.detail,
            insight.metric_id.map(|id| id.0)
        ],
    );
    match written {
        Err(rusqlite::Error::SqliteFailure(error, _))
            if error.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY =>
        {
            // Which of the two it names is gone.
            let exists = |sql: &str, id: i64| -> Result<bool, StoreError> {
                Ok(connection.query_row(sql, [id], |row| row.get::<_, i64>(0))? > 0)
            };
            if let Some(persona_id) = insight.persona_id
                && !exists("SELECT count(*) FROM personas WHERE persona_id = ?1", persona_id.0)?
            {
                return Err(StoreError::NotFound { what: "persona", id: persona_id.0 });
            }
            match insight.metric_id {
                Some(metric_id) => Err(StoreError::NotFound { what: "KPI", id: metric_id.0 }),
                None => Err(rusqlite::Error::SqliteFailure(error, None).into()),
            }
        }
        written => Ok(written?),
    }
}

/// Adds an insight.
///
/// # Errors
/// [`StoreError::Invalid`], or [`StoreError::NotFound`] for a persona that is gone.
pub fn insert_insight_in_tx(connection: &Connection, insight: &Insight) -> Result<Insight, StoreError> {
    execute_insight(
        connection,
        &format!("INSERT INTO insights ({INSIGHT_FIELDS}) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        insight,
    )?;
    Ok(Insight {
        insight_id: InsightId(connection.last_insert_rowid()),
        title: insight.title.trim().to_owned(),
        source: insight.source.trim().to_owned(),
        ..insight.clone()
    })
}

/// Puts a deleted insight back under its own id (an undo).
///
/// # Errors
/// As [`insert_insight_in_tx`].
pub fn restore_insight_in_tx(connection: &Connection, insight: &Insight) -> Result<(), StoreError> {
    execute_insight(
        connection,
        &format!("INSERT INTO insights (insight_id, {INSIGHT_FIELDS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
        insight,
    )?;
    Ok(())
}

/// Saves an insight.
///
/// # Errors
/// As [`insert_insight_in_tx`], or [`StoreError::NotFound`] when it is gone.
pub fn update_insight_in_tx(connection: &Connection, insight: &Insight) -> Result<(), StoreError> {
    let rows = execute_insight(
        connection,
        "UPDATE insights SET title = ?2, kind = ?3, source = ?4, observed_on = ?5, persona_id = ?6, detail = ?7, \
         metric_id = ?8 WHERE insight_id = ?1",
        insight,
    )?;
    changed(rows, "insight", insight.insight_id.0)
}

/// Deletes an insight; the items citing it stay, citing none.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_insight_in_tx(connection: &Connection, insight_id: InsightId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM insights WHERE insight_id = ?1", [insight_id.0])?;
    changed(rows, "insight", insight_id.0)
}

/// The insights the file has about a persona.
///
/// # Errors
/// A SQLite error.
pub fn insights_about_in_tx(connection: &Connection, persona_id: PersonaId) -> Result<Vec<InsightId>, StoreError> {
    let mut statement =
        connection.prepare("SELECT insight_id FROM insights WHERE persona_id = ?1 ORDER BY insight_id")?;
    let ids = statement.query_map([persona_id.0], |row| row.get(0).map(InsightId))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

store_methods! {
    /// Adds a persona.
    insert_persona(persona: &Persona) -> Persona => insert_persona_in_tx;
    /// Saves a persona.
    update_persona(persona: &Persona) -> () => update_persona_in_tx;
    /// Deletes a persona.
    delete_persona(persona_id: PersonaId) -> () => delete_persona_in_tx;
    /// Adds an insight.
    insert_insight(insight: &Insight) -> Insight => insert_insight_in_tx;
    /// Saves an insight.
    update_insight(insight: &Insight) -> () => update_insight_in_tx;
    /// Deletes an insight.
    delete_insight(insight_id: InsightId) -> () => delete_insight_in_tx;
}
