//! Checks that keep one window from overwriting another's newer work.
//!
//! Tandem lets several windows (and the command line) write one file; SQLite serialises their
//! transactions. What it cannot know is whether a window wrote from a stale picture. Every write that
//! replaces stored values with a window's own snapshot (an undo, a redo, an editor save, a column
//! edit) first compares, inside its transaction, what the file holds with what the window last knew.
//! Where they differ, an editor save is merged field by field ([`crate::model::item::merge_item`]),
//! and everything else is refused with a sentence: nothing newer is ever silently reverted.

use rusqlite::Connection;

use super::undo::{Change, from_to};
use crate::model::{BacklogItem, Column, Epic};
use crate::store::StoreError;
use crate::store::board::{columns_in_tx, product_in_tx};
use crate::store::items::{item_in_tx, position_of};
use crate::store::roadmap::epics_in_tx;

/// The item's content, without the timestamps that every write renews.
fn same_item(a: &BacklogItem, b: &BacklogItem) -> bool {
    let mut left = a.clone();
    let mut right = b.clone();
    left.tidy();
    right.tidy();
    left.updated_at = right.updated_at;
    left.created_at = right.created_at;
    left == right
}

fn same_epic(a: &Epic, b: &Epic) -> bool {
    let mut left = a.clone();
    let mut right = b.clone();
    left.depends_on.sort();
    right.depends_on.sort();
    left.title = left.title.trim().to_owned();
    right.title = right.title.trim().to_owned();
    left == right
}

fn same_columns(a: &[Column], b: &[Column]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.column_id == y.column_id
                && x.name.trim() == y.name.trim()
                && x.wip_limit == y.wip_limit
                && x.is_done == y.is_done
                && x.position == y.position
        })
}

/// The sentence for an undo or redo that would overwrite someone else's change.
fn changed_elsewhere(action: &str, what: &str) -> StoreError {
    StoreError::Conflict(format!(
        "Cannot {action}: {what} changed since, in another window or program, and this would overwrite that change. Nothing was changed; the view shows the newer state."
    ))
}

/// Before a replay writes `change` (undo when `forward` is false, redo when true), checks that the
/// file still holds the state the replay starts from.
///
/// # Errors
/// [`StoreError::Conflict`] naming what changed, or a store error.
pub fn check_replay_in_tx(
    connection: &Connection,
    change: &Change,
    forward: bool,
    action: &str,
) -> Result<(), StoreError> {
    match change {
        Change::Item { before, after } => {
            let (expected, _) = from_to(before, after, forward);
            if let Some(record) = expected {
                {
                    let title = format!("'{}'", record.item.title);
                    let current = match item_in_tx(connection, record.item.item_id) {
                        Ok(current) => current,
                        Err(StoreError::NotFound { .. }) => {
                            return Err(StoreError::Conflict(format!(
                                "Cannot {action}: {title} was deleted in another window or program. Nothing was changed."
                            )));
                        }
                        Err(error) => return Err(error),
                    };
                    if !same_item(&current, &record.item) {
                        return Err(changed_elsewhere(action, &title));
                    }
                    // A replay that deletes the item must not take comments written since with it.
                    let (_, target) = from_to(before, after, forward);
                    if target.is_none()
                        && crate::store::comments::comments_in_tx(connection, record.item.item_id)? != record.comments
                    {
                        return Err(StoreError::Conflict(format!(
                            "Cannot {action}: {title} was commented on since, in another window or program, and {action} would delete it with those comments. Nothing was changed."
                        )));
                    }
                }
            } else {
                let (_, target) = from_to(before, after, forward);
                if let Some(record) = target
                    && item_in_tx(connection, record.item.item_id).is_ok()
                {
                    return Err(changed_elsewhere(action, &format!("'{}'", record.item.title)));
                }
            }
        }
        Change::Positions { before, after } => {
            let expected = if forward { before } else { after };
            for position in expected {
                let current = match position_of(connection, position.item_id) {
                    Ok(current) => current,
                    Err(StoreError::NotFound { .. }) => {
                        return Err(StoreError::Conflict(format!(
                            "Cannot {action}: a card it moves was deleted in another window or program. Nothing was changed."
                        )));
                    }
                    Err(error) => return Err(error),
                };
                if current.column_id != position.column_id || current.rank != position.rank {
                    let title = item_in_tx(connection, position.item_id)
                        .map_or_else(|_| "a card".to_owned(), |item| format!("'{}'", item.title));
                    return Err(StoreError::Conflict(format!(
                        "Cannot {action}: {title} was moved since, in another window or program, and {action} would move it back over that change. Nothing was changed."
                    )));
                }
            }
        }
        Change::Columns { before, after } => {
            let expected = if forward { before } else { after };
            if !same_columns(&columns_in_tx(connection)?, expected) {
                return Err(changed_elsewhere(action, "the board's columns"));
            }
        }
        Change::Epic { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            let Some(epic_id) = expected.or(target).map(|epic| epic.epic_id) else {
                return Ok(());
            };
            let current = epics_in_tx(connection)?.into_iter().find(|epic| epic.epic_id == epic_id);
            let same = match (expected, &current) {
                (Some(expected), Some(current)) => same_epic(expected, current),
                (None, None) => true,
                _ => false,
            };
            if !same {
                let title = expected.or(target).map_or_else(String::new, |epic| epic.title.clone());
                return Err(changed_elsewhere(action, &format!("the epic '{title}'")));
            }
        }
        Change::LabelColour { label, before, after } => {
            let expected = if forward { before } else { after };
            if crate::store::labels::label_colour_in_tx(connection, label)? != *expected {
                return Err(changed_elsewhere(action, &format!("the colour of the label '{label}'")));
            }
        }
        Change::MetricObjective { metric_id, before, after } => {
            let current = crate::store::metrics::metric_objective_in_tx(connection, *metric_id);
            let expected = if forward { before } else { after };
            check_link(current, expected.as_ref(), action, ("the objective a KPI serves", "a KPI"))?;
        }
        Change::ObjectiveIncrement { objective_id, before, after } => {
            let current = crate::store::okrs::objective_increment_in_tx(connection, *objective_id);
            let expected = if forward { before } else { after };
            check_link(
                current,
                expected.as_ref(),
                action,
                ("the program increment an objective is set for", "an objective"),
            )?;
        }
        Change::Product { before, after } => {
            let expected = if forward { before } else { after };
            let current = product_in_tx(connection)?;
            if current.name.trim() != expected.name.trim() || current.vision != expected.vision {
                return Err(changed_elsewhere(action, "the product's name or vision"));
            }
        }
        Change::Comment { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            if let Some(comment) = expected.or(target) {
                let current = crate::store::comments::comments_in_tx(connection, comment.item_id)?
                    .into_iter()
                    .find(|stored| stored.comment_id == comment.comment_id);
                if current.as_ref() != expected {
                    return Err(changed_elsewhere(action, &format!("{}'s comment", comment.author)));
                }
                if expected.is_none() && item_in_tx(connection, comment.item_id).is_err() {
                    return Err(StoreError::Conflict(format!(
                        "Cannot {action}: the item {}'s comment was on has been deleted since. Nothing was changed.",
                        comment.author
                    )));
                }
            }
        }
        Change::Release { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            check_release_in_tx(connection, expected, target, action)?;
        }
        Change::Increment { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            check_increment_in_tx(connection, expected, target, action)?;
        }
        Change::Persona { .. } | Change::Insight { .. } => check_research_in_tx(connection, change, forward, action)?,
        Change::Sprint { .. } | Change::Metric { .. } | Change::Objective { .. } => {
            check_planning_in_tx(connection, change, forward, action)?;
        }
        // Checked as it is applied (`store::merge::apply_exactly`).
        Change::Changeset { .. } => {}
    }
    Ok(())
}

/// Before a replay deletes an epic, a program increment, a persona or an insight (an undo of its
/// creation, a redo of its deletion), refuses when records came to refer to it since in another window
/// or program: cards put in the epic, an epic set to start after it, objectives set for the increment,
/// insights given the persona, cards linked to the insight. Deleting it would take
/// those links away unsaid. (Its own commands unlink what refers to it before deleting it, and undo
/// runs backwards, so within one window's history nothing is left to refer to it by then.)
///
/// # Errors
/// [`StoreError::Conflict`] naming what refers to it, or a SQLite error.
pub fn check_no_new_references_in_tx(
    connection: &Connection,
    change: &Change,
    forward: bool,
    action: &str,
) -> Result<(), StoreError> {
    // What counts the records referring to it, its id, and what refers to it in words.
    // The record the replay deletes, if it deletes one.
    fn deleted<'a, T>(before: Option<&'a T>, after: Option<&'a T>, forward: bool) -> Option<&'a T> {
        let (from, to) = if forward { (before, after) } else { (after, before) };
        if to.is_none() { from } else { None }
    }
    // What counts the records referring to it, its id, and what refers to it in words.
    let referring: Vec<(&str, i64, String)> = match change {
        Change::Epic { before, after } => {
            deleted(before.as_ref(), after.as_ref(), forward).map_or_else(Vec::new, |epic| {
                let title = epic.title.trim();
                vec![
                    (
                        "SELECT count(*) FROM items WHERE epic_id = ?1",
                        epic.epic_id.0,
                        format!("cards were put in the epic '{title}'"),
                    ),
                    (
                        "SELECT count(*) FROM epic_dependencies WHERE after_epic_id = ?1",
                        epic.epic_id.0,
                        format!("another epic was set to start after the epic '{title}'"),
                    ),
                ]
            })
        }
        Change::Persona { before, after } => {
            deleted(before.as_ref(), after.as_ref(), forward).map_or_else(Vec::new, |persona| {
                let what = format!("insights were given the persona '{}'", persona.name.trim());
                vec![("SELECT count(*) FROM insights WHERE persona_id = ?1", persona.persona_id.0, what)]
            })
        }
        Change::Insight { before, after } => {
            deleted(before.as_ref(), after.as_ref(), forward).map_or_else(Vec::new, |insight| {
                let what = format!("cards were linked to the insight '{}'", insight.title.trim());
                vec![("SELECT count(*) FROM items WHERE insight_id = ?1", insight.insight_id.0, what)]
            })
        }
        Change::Increment { before, after } => {
            deleted(before.as_ref(), after.as_ref(), forward).map_or_else(Vec::new, |increment| {
                let what = format!("objectives were set for the program increment '{}'", increment.name.trim());
                vec![("SELECT count(*) FROM objectives WHERE increment_id = ?1", increment.increment_id.0, what)]
            })
        }
        _ => Vec::new(),
    };
    for (sql, id, what) in referring {
        refuse_if_referred(connection, (true, action), sql, id, || {
            format!("{what} since, in another window or program, and {action} would delete it and take that away")
        })?;
    }
    Ok(())
}

/// Refuses a replay onto a sprint, a KPI or an objective that is no longer what this window last knew
/// (a sample another window added to the KPI, which writing the old KPI would drop), or that would
/// delete one that other records came to refer to since (items planned in the sprint elsewhere).
fn check_planning_in_tx(
    connection: &Connection,
    change: &Change,
    forward: bool,
    action: &str,
) -> Result<(), StoreError> {
    match change {
        Change::Sprint { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            let Some(sprint) = expected.or(target) else { return Ok(()) };
            let current = crate::store::sprints::sprints_in_tx(connection)?
                .into_iter()
                .find(|stored| stored.sprint_id == sprint.sprint_id);
            check_planning_record(
                connection,
                (expected, target, current.as_ref()),
                (same_sprint, &format!("the sprint '{}'", sprint.name.trim()), action),
                ("SELECT count(*) FROM items WHERE sprint_id = ?1", sprint.sprint_id.0),
                ("items were planned in", "delete it and take them out of it"),
            )?;
        }
        Change::Metric { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            let Some(metric) = expected.or(target) else { return Ok(()) };
            let current = crate::store::metrics::metrics_in_tx(connection)?
                .into_iter()
                .find(|stored| stored.metric_id == metric.metric_id);
            check_planning_record(
                connection,
                (expected, target, current.as_ref()),
                (same_metric, &format!("the KPI '{}'", metric.name.trim()), action),
                ("SELECT count(*) FROM insights WHERE metric_id = ?1", metric.metric_id.0),
                ("an insight was measured on", "delete the KPI under it"),
            )?;
        }
        Change::Objective { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            let Some(objective) = expected.or(target) else { return Ok(()) };
            let current = crate::store::okrs::objectives_in_tx(connection)?
                .into_iter()
                .find(|stored| stored.objective_id == objective.objective_id);
            check_planning_record(
                connection,
                (expected, target, current.as_ref()),
                (same_objective, &format!("the objective '{}'", objective.title.trim()), action),
                (
                    "SELECT (SELECT count(*) FROM epics WHERE objective_id = ?1) \
                     + (SELECT count(*) FROM metrics WHERE objective_id = ?1)",
                    objective.objective_id.0,
                ),
                ("an epic or a KPI was set to serve", "delete the objective under it"),
            )?;
        }
        _ => {}
    }
    Ok(())
}

/// One sprint, KPI or objective of a replay: refused when the file holds it otherwise than `expected`
/// ([`check_whole`]), or when the replay deletes it and `count_sql` finds records that came to refer to
/// it since: "{who} {what} since, in another window or program, and {action} would {does}".
fn check_planning_record<T>(
    connection: &Connection,
    (expected, target, current): (Option<&T>, Option<&T>, Option<&T>),
    (same, what, action): (fn(&T, &T) -> bool, &str, &str),
    (count_sql, id): (&str, i64),
    (who, does): (&str, &str),
) -> Result<(), StoreError> {
    check_whole(expected, current, same, what, action)?;
    let deleting = expected.is_some() && target.is_none();
    refuse_if_referred(connection, (deleting, action), count_sql, id, || {
        format!("{who} {what} since, in another window or program, and {action} would {does}")
    })
}

/// Refuses a replay that starts from `expected` (`None`: the record is not there) when the file holds
/// `current` instead: changed, deleted, or there already.
fn check_whole<T>(
    expected: Option<&T>,
    current: Option<&T>,
    same: impl Fn(&T, &T) -> bool,
    what: &str,
    action: &str,
) -> Result<(), StoreError> {
    match (expected, current) {
        (Some(expected), Some(current)) if !same(expected, current) => Err(changed_elsewhere(action, what)),
        (Some(_), None) => Err(StoreError::Conflict(format!(
            "Cannot {action}: {what} was deleted in another window or program. Nothing was changed."
        ))),
        (None, Some(_)) => Err(changed_elsewhere(action, what)),
        _ => Ok(()),
    }
}

/// When `deleting`, refuses `action` if `count_sql` counts any record referring to `id`: `why` says
/// what refers to it and what the replay would do to it.
fn refuse_if_referred(
    connection: &Connection,
    (deleting, action): (bool, &str),
    count_sql: &str,
    id: i64,
    why: impl FnOnce() -> String,
) -> Result<(), StoreError> {
    if deleting && connection.query_row(count_sql, [id], |row| row.get::<_, i64>(0))? > 0 {
        return Err(StoreError::Conflict(format!("Cannot {action}: {}. Nothing was changed.", why())));
    }
    Ok(())
}

fn same_sprint(a: &crate::model::Sprint, b: &crate::model::Sprint) -> bool {
    let tidy = |sprint: &crate::model::Sprint| crate::model::Sprint {
        name: sprint.name.trim().to_owned(),
        goal: sprint.goal.trim().to_owned(),
        ..sprint.clone()
    };
    tidy(a) == tidy(b)
}

fn same_metric(a: &crate::model::Metric, b: &crate::model::Metric) -> bool {
    let tidy = |metric: &crate::model::Metric| {
        let mut tidy = metric.clone();
        tidy.name = tidy.name.trim().to_owned();
        tidy.description = tidy.description.trim().to_owned();
        tidy.samples.sort_by_key(|sample| sample.date);
        tidy
    };
    tidy(a) == tidy(b)
}

fn same_objective(a: &crate::model::Objective, b: &crate::model::Objective) -> bool {
    let tidy = |objective: &crate::model::Objective| {
        let mut tidy = objective.clone();
        tidy.title = tidy.title.trim().to_owned();
        tidy.description = tidy.description.trim().to_owned();
        for result in &mut tidy.key_results {
            result.title = result.title.trim().to_owned();
            result.unit = result.unit.trim().to_owned();
        }
        tidy
    };
    tidy(a) == tidy(b)
}

/// Refuses a replay of one link (a KPI's objective, an objective's increment) that the file no longer
/// holds as expected: `current` is what the file holds, `(link, record)` the link and its record in words.
fn check_link<T: PartialEq>(
    current: Result<Option<T>, StoreError>,
    expected: Option<&T>,
    action: &str,
    (link, record): (&str, &str),
) -> Result<(), StoreError> {
    match current {
        Ok(current) if current.as_ref() == expected => Ok(()),
        Ok(_) => Err(changed_elsewhere(action, link)),
        Err(StoreError::NotFound { .. }) => Err(StoreError::Conflict(format!(
            "Cannot {action}: {record} it concerns was deleted in another window or program. Nothing was changed."
        ))),
        Err(error) => Err(error),
    }
}

/// Refuses a replay onto a persona or an insight that is no longer what this window last knew.
fn check_research_in_tx(
    connection: &Connection,
    change: &Change,
    forward: bool,
    action: &str,
) -> Result<(), StoreError> {
    match change {
        Change::Persona { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            if let Some(persona) = expected.or(target) {
                let current = crate::store::research::personas_in_tx(connection)?
                    .into_iter()
                    .find(|stored| stored.persona_id == persona.persona_id);
                if current.as_ref() != expected {
                    return Err(changed_elsewhere(action, &format!("the persona '{}'", persona.name)));
                }
            }
        }
        Change::Insight { before, after } => {
            let (expected, target) = from_to(before, after, forward);
            if let Some(insight) = expected.or(target) {
                let current = crate::store::research::insights_in_tx(connection)?
                    .into_iter()
                    .find(|stored| stored.insight_id == insight.insight_id);
                if current.as_ref() != expected {
                    return Err(changed_elsewhere(action, &format!("the insight '{}'", insight.title)));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Refuses a replay onto a release or milestone that is no longer what this window last knew.
fn check_release_in_tx(
    connection: &Connection,
    expected: Option<&crate::model::Release>,
    target: Option<&crate::model::Release>,
    action: &str,
) -> Result<(), StoreError> {
    let Some(release) = expected.or(target) else {
        return Ok(());
    };
    let current = crate::store::roadmap::releases_in_tx(connection)?
        .into_iter()
        .find(|stored| stored.release_id == release.release_id);
    let same = match (expected, &current) {
        (Some(expected), Some(current)) => {
            expected.name.trim() == current.name.trim()
                && expected.date == current.date
                && expected.kind == current.kind
                && expected.description == current.description
        }
        (None, None) => true,
        _ => false,
    };
    if same {
        Ok(())
    } else {
        Err(changed_elsewhere(action, &format!("the {} '{}'", release.kind.word(), release.name)))
    }
}

/// Refuses a replay onto a program increment that is no longer what this window last knew.
fn check_increment_in_tx(
    connection: &Connection,
    expected: Option<&crate::model::ProgramIncrement>,
    target: Option<&crate::model::ProgramIncrement>,
    action: &str,
) -> Result<(), StoreError> {
    let Some(increment) = expected.or(target) else {
        return Ok(());
    };
    let current = crate::store::roadmap::increments_in_tx(connection)?
        .into_iter()
        .find(|stored| stored.increment_id == increment.increment_id);
    let same = match (expected, &current) {
        (Some(expected), Some(current)) => {
            expected.name.trim() == current.name.trim()
                && expected.start_date == current.start_date
                && expected.end_date == current.end_date
        }
        (None, None) => true,
        _ => false,
    };
    if same { Ok(()) } else { Err(changed_elsewhere(action, &format!("the program increment '{}'", increment.name))) }
}

/// What to write for an item that this window last knew as `base` and now wants as `edited`: the
/// file's current item with this window's changed fields on top.
///
/// # Errors
/// [`StoreError::Conflict`] when another window changed a field this one changed too, or
/// [`StoreError::NotFound`] when the item was deleted.
pub fn rebase_in_tx(
    connection: &Connection,
    base: &BacklogItem,
    edited: &BacklogItem,
) -> Result<BacklogItem, StoreError> {
    let current = match item_in_tx(connection, edited.item_id) {
        Ok(current) => current,
        Err(StoreError::NotFound { .. }) => {
            return Err(StoreError::Conflict(format!(
                "Not saved: '{}' was deleted in another window or program. Your text is still in the editor; copy what you need, or close it.",
                edited.title
            )));
        }
        Err(error) => return Err(error),
    };
    let mut base = base.clone();
    let mut edited = edited.clone();
    let mut current_tidy = current.clone();
    base.tidy();
    edited.tidy();
    current_tidy.tidy();
    let (merged, conflicts) = crate::model::item::merge_item(&base, &edited, &current_tidy);
    if conflicts.is_empty() {
        return Ok(merged);
    }
    Err(StoreError::Conflict(format!(
        "Not saved: '{}' was changed in another window or program while you edited it, and both changed its {}. Your text is still in the editor and the board shows the other change; save again to replace it with yours.",
        current.title,
        conflicts.join(", ")
    )))
}
