//! The product, board columns, roadmap entities, sprints, objectives and metrics.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::convert::{date, parsed};
use super::{Store, StoreError};
use crate::model::{
    Colour, Column, ColumnId, Direction, Epic, EpicId, IncrementId, KeyResult, Metric, MetricCategory, MetricId,
    MetricSample, MetricUnit, Objective, ObjectiveId, Product, ProgramIncrement, Release, ReleaseId, ReleaseKind,
    Sprint, SprintId,
};

fn changed(rows: usize, what: &'static str, id: i64) -> Result<(), StoreError> {
    if rows == 0 { Err(StoreError::NotFound { what, id }) } else { Ok(()) }
}

/// Reads the product.
///
/// # Errors
/// A SQLite error.
pub fn product_in_tx(connection: &Connection) -> Result<Product, StoreError> {
    Ok(connection.query_row("SELECT name, vision FROM product WHERE singleton = 1", [], |row| {
        Ok(Product { name: row.get(0)?, vision: row.get(1)? })
    })?)
}

/// Saves the product's name and vision.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty name.
pub fn update_product_in_tx(connection: &Connection, product: &Product) -> Result<(), StoreError> {
    product.validate()?;
    connection.execute(
        "INSERT INTO product (singleton, name, vision) VALUES (1, ?1, ?2) \
         ON CONFLICT (singleton) DO UPDATE SET name = excluded.name, vision = excluded.vision",
        params![product.name.trim(), product.vision],
    )?;
    Ok(())
}

fn column_from_row(row: &Row<'_>) -> rusqlite::Result<Column> {
    Ok(Column {
        column_id: ColumnId(row.get(0)?),
        name: row.get(1)?,
        position: row.get(2)?,
        wip_limit: row.get(3)?,
        is_done: row.get(4)?,
    })
}

/// Board columns, left to right.
///
/// # Errors
/// A SQLite error.
pub fn columns_in_tx(connection: &Connection) -> Result<Vec<Column>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT column_id, name, position, wip_limit, is_done FROM board_columns ORDER BY position, column_id",
    )?;
    Ok(statement.query_map([], column_from_row)?.collect::<Result<_, _>>()?)
}

/// Adds a column; returns it with its id.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty name or a zero limit.
pub fn insert_column_in_tx(connection: &Connection, column: &Column) -> Result<Column, StoreError> {
    column.validate()?;
    connection.execute(
        "INSERT INTO board_columns (name, position, wip_limit, is_done) VALUES (?1, ?2, ?3, ?4)",
        params![column.name.trim(), column.position, column.wip_limit, column.is_done],
    )?;
    Ok(Column { column_id: ColumnId(connection.last_insert_rowid()), ..column.clone() })
}

/// Saves a column's name, position, limit and done flag.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_column_in_tx(connection: &Connection, column: &Column) -> Result<(), StoreError> {
    column.validate()?;
    let rows = connection.execute(
        "UPDATE board_columns SET name = ?2, position = ?3, wip_limit = ?4, is_done = ?5 WHERE column_id = ?1",
        params![column.column_id.0, column.name.trim(), column.position, column.wip_limit, column.is_done],
    )?;
    changed(rows, "column", column.column_id.0)
}

/// Makes the board's columns exactly `columns`: updates or re-creates each (keeping its id) and deletes
/// the others, which must be empty. Used by undo and redo of column commands.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::ColumnNotEmpty`].
pub fn set_columns_in_tx(connection: &Connection, columns: &[Column]) -> Result<(), StoreError> {
    let keep: Vec<i64> = columns.iter().map(|column| column.column_id.0).collect();
    for existing in columns_in_tx(connection)? {
        if !keep.contains(&existing.column_id.0) {
            delete_column_in_tx(connection, existing.column_id)?;
        }
    }
    for column in columns {
        column.validate()?;
        connection.execute(
            "INSERT INTO board_columns (column_id, name, position, wip_limit, is_done) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (column_id) DO UPDATE SET name = excluded.name, position = excluded.position, \
             wip_limit = excluded.wip_limit, is_done = excluded.is_done",
            params![column.column_id.0, column.name.trim(), column.position, column.wip_limit, column.is_done],
        )?;
    }
    Ok(())
}

/// Deletes an empty column.
///
/// # Errors
/// [`StoreError::ColumnNotEmpty`] while items remain in it.
pub fn delete_column_in_tx(connection: &Connection, column_id: ColumnId) -> Result<(), StoreError> {
    let count: i64 =
        connection.query_row("SELECT count(*) FROM items WHERE column_id = ?1", [column_id.0], |row| row.get(0))?;
    if count > 0 {
        let name: String = connection
            .query_row("SELECT name FROM board_columns WHERE column_id = ?1", [column_id.0], |row| row.get(0))
            .optional()?
            .unwrap_or_default();
        return Err(StoreError::ColumnNotEmpty { name, count });
    }
    let rows = connection.execute("DELETE FROM board_columns WHERE column_id = ?1", [column_id.0])?;
    changed(rows, "column", column_id.0)
}

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

/// Sprints by start date.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn sprints_in_tx(connection: &Connection) -> Result<Vec<Sprint>, StoreError> {
    let mut statement = connection
        .prepare("SELECT sprint_id, name, goal, start_date, end_date, capacity_points FROM sprints ORDER BY start_date, sprint_id")?;
    let sprints = statement
        .query_map([], |row| {
            Ok(Sprint {
                sprint_id: SprintId(row.get(0)?),
                name: row.get(1)?,
                goal: row.get(2)?,
                start_date: parsed(row, 3, "date", date)?,
                end_date: parsed(row, 4, "date", date)?,
                capacity_points: row.get(5)?,
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
        "INSERT INTO sprints (sprint_id, name, goal, start_date, end_date, capacity_points) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            sprint_id.map(|id| id.0),
            sprint.name.trim(),
            sprint.goal,
            sprint.start_date.to_string(),
            sprint.end_date.to_string(),
            sprint.capacity_points
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
        "UPDATE sprints SET name = ?2, goal = ?3, start_date = ?4, end_date = ?5, capacity_points = ?6 WHERE sprint_id = ?1",
        params![
            sprint.sprint_id.0,
            sprint.name.trim(),
            sprint.goal,
            sprint.start_date.to_string(),
            sprint.end_date.to_string(),
            sprint.capacity_points
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

/// Metrics with their samples, oldest first.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn metrics_in_tx(connection: &Connection) -> Result<Vec<Metric>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT metric_id, name, unit, direction, category, target, description FROM metrics ORDER BY metric_id",
    )?;
    let mut metrics: Vec<Metric> = statement
        .query_map([], |row| {
            Ok(Metric {
                metric_id: MetricId(row.get(0)?),
                name: row.get(1)?,
                unit: parsed(row, 2, "metric unit", MetricUnit::from_code)?,
                direction: parsed(row, 3, "direction", Direction::from_code)?,
                category: parsed(row, 4, "metric category", MetricCategory::from_code)?,
                target: row.get(5)?,
                description: row.get(6)?,
                samples: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut samples = connection
        .prepare("SELECT metric_id, sample_date, value FROM metric_samples ORDER BY metric_id, sample_date")?;
    let mut rows = samples.query([])?;
    while let Some(row) = rows.next()? {
        let metric_id = MetricId(row.get(0)?);
        let sample = MetricSample { date: parsed(row, 1, "date", date)?, value: row.get(2)? };
        if let Some(metric) = metrics.iter_mut().find(|metric| metric.metric_id == metric_id) {
            metric.samples.push(sample);
        }
    }
    Ok(metrics)
}

fn write_samples(connection: &Connection, metric: &Metric) -> Result<(), StoreError> {
    connection.execute("DELETE FROM metric_samples WHERE metric_id = ?1", [metric.metric_id.0])?;
    let mut insert = connection
        .prepare_cached("INSERT OR REPLACE INTO metric_samples (metric_id, sample_date, value) VALUES (?1, ?2, ?3)")?;
    for sample in &metric.samples {
        insert.execute(params![metric.metric_id.0, sample.date.to_string(), sample.value])?;
    }
    Ok(())
}

/// Adds a metric with its samples.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty name or a value outside the unit's range.
pub fn insert_metric_in_tx(connection: &Connection, metric: &Metric) -> Result<Metric, StoreError> {
    let metric_id = write_new_metric(connection, metric, None)?;
    Ok(Metric { metric_id, ..metric.clone() })
}

/// Puts back a metric with its own id and samples (undo of a delete, redo of a creation).
///
/// # Errors
/// [`StoreError::Invalid`] or a SQLite error.
pub fn restore_metric_in_tx(connection: &Connection, metric: &Metric) -> Result<(), StoreError> {
    write_new_metric(connection, metric, Some(metric.metric_id)).map(|_| ())
}

/// Inserts a metric row and its samples, with a fresh id when `metric_id` is `None`.
fn write_new_metric(
    connection: &Connection,
    metric: &Metric,
    metric_id: Option<MetricId>,
) -> Result<MetricId, StoreError> {
    metric.validate()?;
    connection.execute(
        "INSERT INTO metrics (metric_id, name, unit, direction, category, target, description) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            metric_id.map(|id| id.0),
            metric.name.trim(),
            metric.unit.code(),
            metric.direction.code(),
            metric.category.code(),
            metric.target,
            metric.description
        ],
    )?;
    let stored = Metric { metric_id: MetricId(connection.last_insert_rowid()), ..metric.clone() };
    write_samples(connection, &stored)?;
    Ok(stored.metric_id)
}

/// Saves a metric and replaces its samples.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_metric_in_tx(connection: &Connection, metric: &Metric) -> Result<(), StoreError> {
    metric.validate()?;
    let rows = connection.execute(
        "UPDATE metrics SET name = ?2, unit = ?3, direction = ?4, category = ?5, target = ?6, description = ?7 WHERE metric_id = ?1",
        params![
            metric.metric_id.0,
            metric.name.trim(),
            metric.unit.code(),
            metric.direction.code(),
            metric.category.code(),
            metric.target,
            metric.description
        ],
    )?;
    changed(rows, "metric", metric.metric_id.0)?;
    write_samples(connection, metric)
}

/// Deletes a metric and its samples.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_metric_in_tx(connection: &Connection, metric_id: MetricId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM metrics WHERE metric_id = ?1", [metric_id.0])?;
    changed(rows, "metric", metric_id.0)
}

macro_rules! store_methods {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty => $func:ident;)*) => {
        impl Store {$(
            $(#[$doc])*
            ///
            /// # Errors
            /// As the `*_in_tx` function it runs in its own transaction.
            pub fn $name(&mut self, $($arg: $ty),*) -> Result<$ret, StoreError> {
                self.write(|tx| $func(tx, $($arg),*))
            }
        )*}
    };
}

store_methods! {
    /// Saves the product.
    update_product(product: &Product) -> () => update_product_in_tx;
    /// Adds a column.
    insert_column(column: &Column) -> Column => insert_column_in_tx;
    /// Saves a column.
    update_column(column: &Column) -> () => update_column_in_tx;
    /// Deletes an empty column.
    delete_column(column_id: ColumnId) -> () => delete_column_in_tx;
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
    /// Adds a sprint.
    insert_sprint(sprint: &Sprint) -> Sprint => insert_sprint_in_tx;
    /// Saves a sprint.
    update_sprint(sprint: &Sprint) -> () => update_sprint_in_tx;
    /// Deletes a sprint.
    delete_sprint(sprint_id: SprintId) -> () => delete_sprint_in_tx;
    /// Adds an objective.
    insert_objective(objective: &Objective) -> Objective => insert_objective_in_tx;
    /// Saves an objective.
    update_objective(objective: &Objective) -> () => update_objective_in_tx;
    /// Deletes an objective.
    delete_objective(objective_id: ObjectiveId) -> () => delete_objective_in_tx;
    /// Adds a metric.
    insert_metric(metric: &Metric) -> Metric => insert_metric_in_tx;
    /// Saves a metric.
    update_metric(metric: &Metric) -> () => update_metric_in_tx;
    /// Deletes a metric.
    delete_metric(metric_id: MetricId) -> () => delete_metric_in_tx;
}
