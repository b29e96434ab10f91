//! KPIs and their samples.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, params};

use super::convert::{date, parsed};
use super::{Store, StoreError, changed};
use crate::model::{Direction, Metric, MetricCategory, MetricId, MetricSample, MetricUnit, ObjectiveId};

/// Metrics with their samples, oldest first.
///
/// # Errors
/// A SQLite error or an unreadable value.
pub fn metrics_in_tx(connection: &Connection) -> Result<Vec<Metric>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT metric_id, name, unit, direction, category, target, description, objective_id FROM metrics \
         ORDER BY metric_id",
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
                objective_id: row.get::<_, Option<i64>>(7)?.map(ObjectiveId),
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

/// A foreign-key failure on a metric row is its objective being gone (deleted in another window).
fn missing_objective(error: rusqlite::Error, objective_id: Option<ObjectiveId>) -> StoreError {
    match (objective_id, error.sqlite_error_code()) {
        (Some(objective_id), Some(rusqlite::ErrorCode::ConstraintViolation)) => {
            StoreError::NotFound { what: "objective", id: objective_id.0 }
        }
        _ => error.into(),
    }
}

/// Runs `sql` (an insert or update of a metric row) with the id as `?1` and the metric's fields after it.
fn write_row(connection: &Connection, sql: &str, metric_id: Option<i64>, metric: &Metric) -> Result<usize, StoreError> {
    connection
        .execute(
            sql,
            params![
                metric_id,
                metric.name.trim(),
                metric.unit.code(),
                metric.direction.code(),
                metric.category.code(),
                metric.target,
                metric.description,
                metric.objective_id.map(|id| id.0)
            ],
        )
        .map_err(|error| missing_objective(error, metric.objective_id))
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
    write_row(
        connection,
        "INSERT INTO metrics (metric_id, name, unit, direction, category, target, description, objective_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        metric_id.map(|id| id.0),
        metric,
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
    let rows = write_row(
        connection,
        "UPDATE metrics SET name = ?2, unit = ?3, direction = ?4, category = ?5, target = ?6, description = ?7, \
         objective_id = ?8 WHERE metric_id = ?1",
        Some(metric.metric_id.0),
        metric,
    )?;
    changed(rows, "metric", metric.metric_id.0)?;
    write_samples(connection, metric)
}

/// Sets only the objective a metric serves (`None`: none).
///
/// # Errors
/// [`StoreError::NotFound`] when the metric or the objective is gone.
pub fn set_metric_objective_in_tx(
    connection: &Connection,
    metric_id: MetricId,
    objective_id: Option<ObjectiveId>,
) -> Result<(), StoreError> {
    let rows = connection
        .execute(
            "UPDATE metrics SET objective_id = ?2 WHERE metric_id = ?1",
            params![metric_id.0, objective_id.map(|id| id.0)],
        )
        .map_err(|error| missing_objective(error, objective_id))?;
    changed(rows, "metric", metric_id.0)
}

/// The objective a metric serves, as the file holds it.
///
/// # Errors
/// [`StoreError::NotFound`] when the metric is gone.
pub fn metric_objective_in_tx(connection: &Connection, metric_id: MetricId) -> Result<Option<ObjectiveId>, StoreError> {
    use rusqlite::OptionalExtension;
    connection
        .query_row("SELECT objective_id FROM metrics WHERE metric_id = ?1", [metric_id.0], |row| {
            row.get::<_, Option<i64>>(0)
        })
        .optional()?
        .map(|id| id.map(ObjectiveId))
        .ok_or(StoreError::NotFound { what: "metric", id: metric_id.0 })
}

/// Deletes a metric and its samples.
///
/// # Errors
/// [`StoreError::NotFound`].
pub fn delete_metric_in_tx(connection: &Connection, metric_id: MetricId) -> Result<(), StoreError> {
    let rows = connection.execute("DELETE FROM metrics WHERE metric_id = ?1", [metric_id.0])?;
    changed(rows, "metric", metric_id.0)
}

store_methods! {
    /// Adds a metric.
    insert_metric(metric: &Metric) -> Metric => insert_metric_in_tx;
    /// Saves a metric.
    update_metric(metric: &Metric) -> () => update_metric_in_tx;
    /// Deletes a metric.
    delete_metric(metric_id: MetricId) -> () => delete_metric_in_tx;
}
