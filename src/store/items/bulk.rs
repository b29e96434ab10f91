//! Many rows per statement: imports and undo of large changes write items, criteria, labels and history
//! in batches.

use super::ITEM_COLUMNS;
use crate::model::{BacklogItem, Criterion, Moscow};
use crate::store::StoreError;
use rusqlite::{Connection, Statement, ToSql};

/// Parameters per multi-row `INSERT` (20 item rows, 100 label rows). Many rows per statement save the
/// per-statement work (cursor setup, the AUTOINCREMENT counter, constraint bookkeeping); counted with
/// callgrind on a 10,000-item import, 400 took the fewest instructions of 200, 400, 960 and 4,000.
pub(super) const PARAMETERS_PER_INSERT: usize = 400;

/// Inserts `rows` with as few statements as the parameter budget allows. `head` is the statement up
/// to `VALUES`; `bind` binds one row's `width` values starting at the given one-based parameter.
pub(crate) fn insert_rows<T>(
    connection: &Connection,
    head: &str,
    width: usize,
    rows: &[T],
    bind: impl Fn(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<(), StoreError> {
    let per_statement = (PARAMETERS_PER_INSERT / width).max(1);
    let placeholders = format!("({})", vec!["?"; width].join(", "));
    for chunk in rows.chunks(per_statement) {
        let sql = format!("{head} VALUES {}", vec![placeholders.as_str(); chunk.len()].join(", "));
        let mut statement = connection.prepare_cached(&sql)?;
        for (at, row) in chunk.iter().enumerate() {
            bind(&mut statement, at * width + 1, row)?;
        }
        statement.raw_execute()?;
    }
    Ok(())
}

pub(crate) fn bind_all(statement: &mut Statement<'_>, first: usize, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
    for (offset, value) in values.iter().enumerate() {
        statement.raw_bind_parameter(first + offset, value)?;
    }
    Ok(())
}

/// Writes item rows. With `with_id` each keeps its id (restoring); otherwise SQLite assigns one.
pub(super) fn write_rows(connection: &Connection, items: &[&BacklogItem], with_id: bool) -> Result<(), StoreError> {
    let head = format!("INSERT INTO items ({ITEM_COLUMNS})");
    insert_rows(connection, &head, 27, items, |statement, first, item| {
        let (created_at, updated_at) = (item.created_at.to_string(), item.updated_at.to_string());
        let archived_at = item.details.archived_at.map(|at| at.to_string());
        let (start_date, due_date) =
            (item.start_date.map(|day| day.to_string()), item.due_date.map(|day| day.to_string()));
        bind_all(
            statement,
            first,
            &[
                &with_id.then_some(item.item_id.0),
                &item.kind.code(),
                &item.title,
                &item.details.description,
                &item.points,
                &item.business_value,
                &item.time_criticality,
                &item.risk_reduction,
                &item.column_id.0,
                &item.rank.as_str(),
                &item.epic_id.map(|id| id.0),
                &item.sprint_id.map(|id| id.0),
                &item.raised_by.code(),
                &created_at,
                &updated_at,
                &item.details.rice.reach,
                &item.details.rice.impact,
                &item.details.rice.confidence_percent,
                &item.details.rice.effort,
                &item.details.moscow.map(Moscow::code),
                &archived_at,
                &start_date,
                &due_date,
                &item.details.assignee,
                &item.details.reporter,
                &item.parent_id.map(|id| id.0),
                &item.details.insight_id.map(|id| id.0),
            ],
        )
    })
}

/// Writes the items' criteria and labels (their stored ones must be gone already).
pub(super) fn write_children(connection: &Connection, items: &[&BacklogItem]) -> Result<(), StoreError> {
    let criteria: Vec<(i64, i64, &Criterion)> = items
        .iter()
        .flat_map(|item| {
            (0_i64..)
                .zip(&item.details.acceptance_criteria)
                .map(|(position, criterion)| (item.item_id.0, position, criterion))
        })
        .collect();
    insert_rows(
        connection,
        "INSERT INTO acceptance_criteria (item_id, position, text, done)",
        4,
        &criteria,
        |statement, first, (item_id, position, criterion)| {
            bind_all(statement, first, &[item_id, position, &criterion.text, &criterion.done])
        },
    )?;
    let labels: Vec<(i64, &str)> =
        items.iter().flat_map(|item| item.labels.iter().map(|label| (item.item_id.0, label.as_str()))).collect();
    insert_rows(
        connection,
        "INSERT OR IGNORE INTO item_labels (item_id, label)",
        2,
        &labels,
        |statement, first, (item_id, label)| bind_all(statement, first, &[item_id, label]),
    )
}
