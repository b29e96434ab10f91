//! Applying a partner's changes (their journal entries this file does not have, joined into one
//! changeset) onto this workspace with SQLite's session extension, deciding each conflict as the user
//! chose, in the caller's transaction.
//!
//! SQLite reports a conflict per row: a row both sides changed (`DATA`), a row this side deleted
//! (`NOTFOUND`), a row both added under one key (`CONFLICT`), a broken rule (`CONSTRAINT`) and, at
//! the end, dangling references (`FOREIGN_KEY`). The handler below sorts out what is not really a
//! conflict (the same value on both sides, only `updated_at` differing, both deleted, a history row
//! that only shares its number) and keeps the rest for the user. A row where "mine" wins still takes
//! the partner's changes to its other fields, so changes to different fields of one item always merge.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rusqlite::session::{ChangesetItem, ConflictAction, ConflictType};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::StoreError;

/// Which side wins a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// This workspace's value.
    Mine,
    /// The partner's copy's value.
    Theirs,
}

/// How to decide conflicts: one side for all, and any per-conflict choices (by [`Conflict::key`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Choices {
    /// The side for every conflict without its own choice; `None` leaves them undecided.
    pub all: Option<Side>,
    /// Per conflict.
    pub each: HashMap<String, Side>,
}

impl Choices {
    fn side(&self, key: &str) -> Option<Side> {
        self.each.get(key).copied().or(self.all)
    }
}

/// A conflict, for the review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// Which record it is about (`table:key`), stable between the review and the merge.
    pub key: String,
    /// The table.
    pub table: String,
    /// The record's id (its first key column).
    pub id: i64,
    /// The fields that differ, with both values: `(field, mine, theirs)`; empty for a record deleted on
    /// one side.
    pub fields: Vec<(String, String, String)>,
    /// What happened, in words, without the record's name ("changed on both sides", "deleted here and
    /// changed in the copy").
    pub what: String,
    /// Which side was taken, when decided.
    pub taken: Option<Side>,
}

/// What applying the partner's changes did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Every real conflict, decided or not.
    pub conflicts: Vec<Conflict>,
    /// References that pointed at something deleted here and were let go, in words.
    pub repairs: Vec<String>,
}

/// One row change as the handler saw it, with owned values.
#[derive(Clone, Debug)]
struct Row {
    table: String,
    /// Column values before (`None`: not recorded).
    old: Vec<Option<Value>>,
    /// After.
    new: Vec<Option<Value>>,
    /// The row as it is here, for `DATA` and `CONFLICT`.
    current: Vec<Option<Value>>,
    /// Which columns are the key.
    pk: Vec<bool>,
}

impl Row {
    fn read(item: &ChangesetItem, with_current: bool) -> Result<Self, rusqlite::Error> {
        let op = item.op()?;
        let count = usize::try_from(op.number_of_columns()).unwrap_or(0);
        let owned = |value: rusqlite::Result<rusqlite::types::ValueRef<'_>>| {
            value.ok().and_then(|value| Value::try_from(value).ok())
        };
        Ok(Self {
            table: op.table_name().to_owned(),
            old: (0..count).map(|column| owned(item.old_value(column))).collect(),
            new: (0..count).map(|column| owned(item.new_value(column))).collect(),
            current: if with_current {
                (0..count).map(|column| owned(item.conflict(column))).collect()
            } else {
                Vec::new()
            },
            pk: item.pk()?.iter().map(|flag| *flag != 0).collect(),
        })
    }

    /// The key's values, from the old side or, for an insert, the new one.
    fn key_values(&self) -> Vec<Value> {
        self.pk
            .iter()
            .enumerate()
            .filter(|(_, is_key)| **is_key)
            .filter_map(|(column, _)| self.old[column].clone().or_else(|| self.new[column].clone()))
            .collect()
    }

    fn key(&self) -> String {
        let values: Vec<String> = self.key_values().iter().map(words).collect();
        format!("{}:{}", self.table, values.join(","))
    }

    fn id(&self) -> i64 {
        match self.key_values().first() {
            Some(Value::Integer(id)) => *id,
            _ => 0,
        }
    }
}

/// A value as the review shows it.
fn words(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_owned(),
        Value::Integer(number) => number.to_string(),
        Value::Real(number) => number.to_string(),
        Value::Text(text) => text.clone(),
        Value::Blob(bytes) => format!("{} bytes", bytes.len()),
    }
}

/// Columns that change with every edit and never make a conflict on their own.
const INCIDENTAL: &[&str] = &["updated_at"];

/// The partner's new values for some fields of one row: table, key values, `(column, value)`.
type FieldUpdate = (String, Vec<Value>, Vec<(usize, Value)>);

/// Work left for after SQLite applied the changeset.
#[derive(Debug, Default)]
struct Later {
    /// `(table, key values, [(column index, value)])`: the partner's changes to fields of rows where
    /// mine won a conflict on other fields.
    updates: Vec<FieldUpdate>,
    /// History rows whose number was taken here: inserted again with a new one.
    history: Vec<Vec<Option<Value>>>,
    /// Criteria and key results both sides added at the same place: the copy's go after the ones
    /// here (`table`, the row), so neither side's is lost.
    appended: Vec<(String, Vec<Option<Value>>)>,
    /// Rows deleted here and changed in the copy, where theirs won: `(table, id)` to copy over.
    restore: Vec<(String, i64)>,
}

/// Shared between the conflict handler and the merge.
#[derive(Debug, Default)]
struct State {
    conflicts: Vec<Conflict>,
    later: Later,
    /// Column names per table.
    columns: HashMap<String, Vec<String>>,
    /// Records the copy deleted that were given details here since, by table and id: the details in
    /// words ([`super::kept_records::mark_given_details`]).
    given_details: HashMap<(String, i64), String>,
    failure: Option<String>,
}

/// Applies `changeset` (the partner's net changes: `entries`, her changes this workspace lacks, in
/// order, joined) in `connection`'s open transaction. `theirs` reads the partner's copy, to bring back
/// records deleted here that the partner changed (when theirs wins).
///
/// # Errors
/// A SQLite error, or [`StoreError::Conflict`] for a change that breaks a rule of the workspace.
pub fn apply_changes(
    connection: &Connection,
    changeset: &[u8],
    entries: &[&[u8]],
    choices: &Choices,
    theirs: &Connection,
) -> Result<Applied, StoreError> {
    let mut columns = HashMap::new();
    for table in super::journal::MERGED_TABLES {
        let mut statement =
            connection.prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))?;
        let names: Vec<String> = statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
        columns.insert((*table).to_owned(), names);
    }
    // Records the copy deleted that stay here (mine wins, or no side yet) are kept whole.
    let dependents = super::kept_records::Dependents::read(connection, changeset, entries)?;
    let places = ItemPlaces::read(connection, changeset)?;
    let marked = super::kept_records::mark_given_details(connection, changeset)?;
    let given_there = super::kept_records::given_details_there(connection, changeset)?;
    let given_details = marked.iter().map(|record| ((record.table.clone(), record.id), record.words.clone())).collect();
    let state = Arc::new(Mutex::new(State { columns, given_details, ..State::default() }));
    let handler_state = Arc::clone(&state);
    let choices_for_handler = choices.clone();
    let mut input: &[u8] = changeset;
    connection.apply_strm(&mut input, None::<fn(&str) -> bool>, move |kind, item| {
        let Ok(mut state) = handler_state.lock() else {
            return ConflictAction::SQLITE_CHANGESET_ABORT;
        };
        decide(&mut state, &choices_for_handler, &kind, &item)
    })?;
    let mut state = std::mem::take(
        &mut *state
            .lock()
            .map_err(|_| StoreError::Conflict("The merge stopped unexpectedly; nothing was changed.".to_owned()))?,
    );
    if let Some(failure) = state.failure.take() {
        return Err(StoreError::Conflict(failure));
    }
    super::kept_records::unmark_given_details(connection, &marked)?;
    for record in given_there {
        let key = format!("{}:{}", record.table, record.id);
        if state.conflicts.iter().any(|conflict| conflict.key == key) {
            // Also changed in the copy: already a conflict, decided as one.
            continue;
        }
        let taken = choices.side(&key);
        if taken == Some(Side::Theirs) {
            state.later.restore.push((record.table.clone(), record.id));
        }
        state.conflicts.push(Conflict {
            key,
            table: record.table,
            id: record.id,
            fields: Vec::new(),
            what: format!("deleted here, and given {} in the copy since", record.words),
            taken,
        });
    }
    dependents.put_back(connection)?;
    finish(connection, theirs, &state)?;
    let repairs = repair_references(connection, &places)?;
    Ok(Applied { conflicts: state.conflicts, repairs })
}

/// Applies `changeset` exactly (an undo or redo of a merge or of an import, which `what` names): any
/// record it touches that has changed since refuses the whole of it. Its deletions come last
/// ([`super::changesets::deletions_last`]).
///
/// # Errors
/// [`StoreError::Conflict`] saying so, or a SQLite error.
pub fn apply_exactly(connection: &Connection, changeset: &[u8], action: &str, what: &str) -> Result<(), StoreError> {
    // Records written since that refer to what it deletes would go or change with it, unsaid.
    let later = super::changesets::later_dependents(connection, changeset)?;
    if let Some(first) = later.first() {
        return Err(StoreError::Conflict(later_dependents_refusal(connection, &later, first, action, what)));
    }
    // Deleting a record first would let its foreign keys' actions change rows the rest expects as they were.
    let ordered = super::changesets::deletions_last(connection, changeset)?;
    apply_exactly_in_recorded_order(connection, &ordered, action, what)
}

/// The sentence refusing a replay that would take `later` records with it: how many, and the first one's
/// kind and what it belongs to.
fn later_dependents_refusal(
    connection: &Connection,
    later: &[super::changesets::LaterDependent],
    first: &super::changesets::LaterDependent,
    action: &str,
    what: &str,
) -> String {
    let kind = match first.table.as_str() {
        "comments" => "a comment",
        "acceptance_criteria" => "an acceptance criterion",
        "item_labels" => "a label",
        "items" => "an item",
        "key_results" => "a key result",
        "epic_dependencies" => "a dependency between epics",
        "metric_samples" => "a KPI sample",
        _ => "a record",
    };
    let title = ["items", "epics", "sprints", "objectives", "metrics", "board_columns", "insights", "personas"]
        .contains(&first.parent_table.as_str())
        .then(|| {
            let column = match first.parent_table.as_str() {
                "items" | "epics" | "objectives" | "insights" => "title",
                _ => "name",
            };
            let key = match first.parent_table.as_str() {
                "items" => "item_id",
                "epics" => "epic_id",
                "sprints" => "sprint_id",
                "objectives" => "objective_id",
                "metrics" => "metric_id",
                "board_columns" => "column_id",
                "insights" => "insight_id",
                _ => "persona_id",
            };
            connection
                .query_row(
                    &format!("SELECT {column} FROM {} WHERE {key} = ?1", first.parent_table),
                    [first.parent_id],
                    |row| row.get::<_, String>(0),
                )
                .ok()
        })
        .flatten()
        .map_or_else(String::new, |title| format!(" '{title}'"));
    let others = match later.len() {
        1 => String::new(),
        2 => " and 1 more record".to_owned(),
        count => format!(" and {} more records", count - 1),
    };
    let otherwise = if action == "undo" { format!("keep the {what}") } else { format!("leave the {what} undone") };
    format!(
        "The {what} cannot be {action}ne: {kind} added or changed since refers to{title}, which it would remove{others}. Nothing was changed; delete or move those first, or {otherwise}."
    )
}

/// [`apply_exactly`] without putting the deletions last: the changes applied in the order they are given.
///
/// # Errors
/// As [`apply_exactly`].
pub(super) fn apply_exactly_in_recorded_order(
    connection: &Connection,
    changeset: &[u8],
    action: &str,
    what: &str,
) -> Result<(), StoreError> {
    let clashes = Arc::new(Mutex::new(0_usize));
    let counted = Arc::clone(&clashes);
    let incidental = incidental_columns(connection)?;
    let mut input: &[u8] = changeset;
    let applied = connection.apply_strm(&mut input, None::<fn(&str) -> bool>, move |kind, item: ChangesetItem| {
        if matches!(kind, ConflictType::SQLITE_CHANGESET_DATA)
            && Row::read(&item, true).is_ok_and(|row| differs_only_in(&row, incidental.get(&row.table)))
        {
            // A record touched since and left as it was (a card moved and the move undone): only its
            // time of change differs, which this change sets or deletes with the rest.
            return ConflictAction::SQLITE_CHANGESET_REPLACE;
        }
        let with_current = matches!(kind, ConflictType::SQLITE_CHANGESET_CONFLICT);
        let harmless = Row::read(&item, with_current).is_ok_and(|row| {
            let is_delete = !row.new.iter().any(Option::is_some);
            match kind {
                // A detail already deleted with its record (a cascade), or a row already as wanted.
                ConflictType::SQLITE_CHANGESET_NOTFOUND => is_delete,
                ConflictType::SQLITE_CHANGESET_CONFLICT => row.current == row.new,
                _ => false,
            }
        });
        if harmless {
            return ConflictAction::SQLITE_CHANGESET_OMIT;
        }
        if let Ok(mut clashes) = counted.lock() {
            *clashes += 1;
        }
        ConflictAction::SQLITE_CHANGESET_ABORT
    });
    let clashes = clashes.lock().map_or(1, |clashes| *clashes);
    if clashes == 0
        && let Err(error) = applied
    {
        // Not a record that changed: SQLite stopped (interrupted by Cancel, or the disk).
        return Err(error.into());
    }
    if clashes > 0 {
        return Err(StoreError::Conflict(format!(
            "The {what} cannot be {action}ne: records it changed have been changed again since. Nothing was changed; undo those later changes first, or fix the plan by hand."
        )));
    }
    Ok(())
}

/// For each table of the plan, the places of its [`INCIDENTAL`] columns.
fn incidental_columns(connection: &Connection) -> Result<HashMap<String, Vec<usize>>, StoreError> {
    let mut places = HashMap::new();
    for table in super::journal::MERGED_TABLES {
        let mut statement = connection.prepare("SELECT cid, name FROM pragma_table_info(?1)")?;
        let found: Vec<usize> = statement
            .query_map([table], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
            .filter_map(Result::ok)
            .filter(|(_, name)| INCIDENTAL.contains(&name.as_str()))
            .filter_map(|(cid, _)| usize::try_from(cid).ok())
            .collect();
        places.insert((*table).to_owned(), found);
    }
    Ok(places)
}

/// Whether a row the change expected as `row.old` differs here only in `incidental` columns, and in at
/// least one of them. Numbers compare by value (SQLite keeps a whole estimate of 5 as 5, reads it 5.0).
fn differs_only_in(row: &Row, incidental: Option<&Vec<usize>>) -> bool {
    let Some(incidental) = incidental else {
        return false;
    };
    let mut differing = row
        .old
        .iter()
        .zip(&row.current)
        .enumerate()
        .filter(|(_, (expected, current))| expected.is_some() && !same_value(expected.as_ref(), current.as_ref()))
        .map(|(column, _)| column)
        .peekable();
    differing.peek().is_some() && differing.all(|column| incidental.contains(&column))
}

#[expect(clippy::float_cmp, clippy::cast_precision_loss, reason = "exactly as SQLite compares an integer with a real")]
fn same_value(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (Some(Value::Integer(whole)), Some(Value::Real(real)))
        | (Some(Value::Real(real)), Some(Value::Integer(whole))) => (*whole as f64) == *real,
        (left, right) => left == right,
    }
}

/// The conflict handler's decision for one row.
fn decide(state: &mut State, choices: &Choices, kind: &ConflictType, item: &ChangesetItem) -> ConflictAction {
    let with_current = matches!(kind, ConflictType::SQLITE_CHANGESET_DATA | ConflictType::SQLITE_CHANGESET_CONFLICT);
    let row = match kind {
        ConflictType::SQLITE_CHANGESET_FOREIGN_KEY => {
            // Dangling references are let go afterwards (`repair_references`), and said.
            return ConflictAction::SQLITE_CHANGESET_OMIT;
        }
        _ => match Row::read(item, with_current) {
            Ok(row) => row,
            Err(error) => {
                state.failure =
                    Some(format!("The copy holds a change Tandem cannot read ({error}); nothing was changed."));
                return ConflictAction::SQLITE_CHANGESET_ABORT;
            }
        },
    };
    let names = state.columns.get(&row.table).cloned().unwrap_or_default();
    let name = |column: usize| names.get(column).cloned().unwrap_or_else(|| format!("column {column}"));
    let is_update = row.old.iter().any(Option::is_some) && row.new.iter().any(Option::is_some);
    let is_delete = row.old.iter().any(Option::is_some) && !row.new.iter().any(Option::is_some);
    match kind {
        ConflictType::SQLITE_CHANGESET_DATA if is_update => {
            // Fields whose value here is neither what the copy started from nor what it ended with.
            let clashing: Vec<usize> = (0..row.old.len())
                .filter(|&column| {
                    row.old[column].is_some()
                        && row.current.get(column) != Some(&row.old[column])
                        && row.current.get(column) != Some(&row.new[column])
                        && !INCIDENTAL.contains(&name(column).as_str())
                })
                .collect();
            if clashing.is_empty() {
                return ConflictAction::SQLITE_CHANGESET_REPLACE;
            }
            let fields = clashing
                .iter()
                .map(|&column| {
                    let value = |values: &Vec<Option<Value>>| {
                        values.get(column).cloned().flatten().as_ref().map_or_else(String::new, words)
                    };
                    (name(column), value(&row.current), value(&row.new))
                })
                .collect();
            let side = record(state, choices, &row, fields, "changed on both sides");
            if side == Some(Side::Theirs) {
                return ConflictAction::SQLITE_CHANGESET_REPLACE;
            }
            // Mine (or undecided): the copy's other changed fields still come over.
            let others: Vec<(usize, Value)> = (0..row.new.len())
                .filter(|column| {
                    !row.pk[*column] && !clashing.contains(column) && !INCIDENTAL.contains(&name(*column).as_str())
                })
                .filter_map(|column| row.new[column].clone().map(|value| (column, value)))
                .collect();
            if !others.is_empty() {
                state.later.updates.push((row.table.clone(), row.key_values(), others));
            }
            ConflictAction::SQLITE_CHANGESET_OMIT
        }
        ConflictType::SQLITE_CHANGESET_DATA if is_delete => {
            if is_child(&row.table) {
                // A criterion, label or sample deleted in the copy and changed here: the change here stays.
                return ConflictAction::SQLITE_CHANGESET_OMIT;
            }
            let what = match state.given_details.get(&(row.table.clone(), row.id())) {
                Some(details) => {
                    let marked = super::kept_records::marked_column(&row.table);
                    let changed = (0..row.old.len()).any(|column| {
                        let name = name(column);
                        row.old[column].is_some()
                            && !INCIDENTAL.contains(&name.as_str())
                            && marked != Some(name.as_str())
                            && !same_value(row.current.get(column).and_then(Option::as_ref), row.old[column].as_ref())
                    });
                    if changed {
                        format!("deleted in the copy, and changed and given {details} here since")
                    } else {
                        format!("deleted in the copy, and given {details} here since")
                    }
                }
                None => "deleted in the copy and changed here".to_owned(),
            };
            match record(state, choices, &row, Vec::new(), &what) {
                Some(Side::Theirs) => ConflictAction::SQLITE_CHANGESET_REPLACE,
                _ => ConflictAction::SQLITE_CHANGESET_OMIT,
            }
        }
        ConflictType::SQLITE_CHANGESET_NOTFOUND => {
            if is_update
                && !is_child(&row.table)
                && record(state, choices, &row, Vec::new(), "deleted here and changed in the copy")
                    == Some(Side::Theirs)
            {
                state.later.restore.push((row.table.clone(), row.id()));
            }
            // Deleted on both sides, or a child of a record deleted here: nothing to do.
            ConflictAction::SQLITE_CHANGESET_OMIT
        }
        ConflictType::SQLITE_CHANGESET_CONFLICT => {
            if row.current == row.new {
                return ConflictAction::SQLITE_CHANGESET_OMIT;
            }
            if row.table == "status_changes" {
                state.later.history.push(row.new.clone());
                return ConflictAction::SQLITE_CHANGESET_OMIT;
            }
            if matches!(row.table.as_str(), "acceptance_criteria" | "key_results") {
                state.later.appended.push((row.table.clone(), row.new.clone()));
                return ConflictAction::SQLITE_CHANGESET_OMIT;
            }
            let fields = (0..row.new.len())
                .filter(|&column| !row.pk[column] && row.current.get(column) != Some(&row.new[column]))
                .map(|column| {
                    let value = |values: &Vec<Option<Value>>| {
                        values.get(column).cloned().flatten().as_ref().map_or_else(String::new, words)
                    };
                    (name(column), value(&row.current), value(&row.new))
                })
                .collect();
            let what = if row.table == "label_colours" {
                "coloured on both sides"
            } else {
                "added on both sides under the same number"
            };
            match record(state, choices, &row, fields, what) {
                Some(Side::Theirs) => ConflictAction::SQLITE_CHANGESET_REPLACE,
                _ => ConflictAction::SQLITE_CHANGESET_OMIT,
            }
        }
        _ => {
            state.failure = Some(format!(
                "A change in the copy to {} breaks a rule of the workspace (kind {kind:?}); nothing was changed. Open the copy in Tandem to check it, then merge again.",
                row.table
            ));
            ConflictAction::SQLITE_CHANGESET_ABORT
        }
    }
}

/// Tables whose rows belong to a record of another table (deleted with it).
fn is_child(table: &str) -> bool {
    matches!(
        table,
        "acceptance_criteria"
            | "item_labels"
            | "status_changes"
            | "comments"
            | "key_results"
            | "metric_samples"
            | "epic_dependencies"
    )
}

/// Records a real conflict; returns the side chosen for it.
fn record(
    state: &mut State,
    choices: &Choices,
    row: &Row,
    fields: Vec<(String, String, String)>,
    what: &str,
) -> Option<Side> {
    let key = row.key();
    let taken = choices.side(&key);
    state.conflicts.push(Conflict {
        key,
        table: row.table.clone(),
        id: row.id(),
        fields,
        what: what.to_owned(),
        taken,
    });
    taken
}

/// The work SQLite could not do inside its apply: the copy's other fields of rows where mine won,
/// history rows under a new number, records deleted here brought back from the copy.
fn finish(connection: &Connection, theirs: &Connection, state: &State) -> Result<(), StoreError> {
    for (table, key, values) in &state.later.updates {
        let names = &state.columns[table];
        let keys: Vec<&String> = names
            .iter()
            .zip(pk_flags(connection, table)?)
            .filter(|(_, is_key)| *is_key)
            .map(|(name, _)| name)
            .collect();
        let set: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(at, (column, _))| format!("\"{}\" = ?{}", names[*column], at + 1))
            .collect();
        let filter: Vec<String> =
            keys.iter().enumerate().map(|(at, name)| format!("\"{name}\" = ?{}", values.len() + at + 1)).collect();
        let sql = format!("UPDATE \"{table}\" SET {} WHERE {}", set.join(", "), filter.join(" AND "));
        let bound: Vec<Value> = values.iter().map(|(_, value)| value.clone()).chain(key.iter().cloned()).collect();
        connection.execute(&sql, params_from_iter(bound))?;
    }
    for row in &state.later.history {
        // status_change_id, item_id, changed_at, from_column_id, to_column_id: a new number here.
        let values: Vec<Value> = row.iter().skip(1).map(|value| value.clone().unwrap_or(Value::Null)).collect();
        connection.execute(
            "INSERT INTO status_changes (item_id, changed_at, from_column_id, to_column_id) \
             SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM items WHERE item_id = ?1)",
            params_from_iter(values),
        )?;
    }
    for (table, row) in &state.later.appended {
        // (parent id, position, the rest): the position becomes the next free one under the parent.
        let parent = if table == "acceptance_criteria" { "item_id" } else { "objective_id" };
        let names = &state.columns[table];
        let values: Vec<Value> = row.iter().map(|value| value.clone().unwrap_or(Value::Null)).collect();
        let marks: Vec<String> = (1..=values.len())
            .map(|at| {
                if at == 2 {
                    format!("(SELECT COALESCE(MAX(position), -1) + 1 FROM \"{table}\" WHERE \"{parent}\" = ?1)")
                } else {
                    format!("?{at}")
                }
            })
            .collect();
        let quoted: Vec<String> = names.iter().map(|name| format!("\"{name}\"")).collect();
        connection.execute(
            &format!("INSERT INTO \"{table}\" ({}) VALUES ({})", quoted.join(", "), marks.join(", ")),
            params_from_iter(values),
        )?;
    }
    for (table, id) in &state.later.restore {
        restore(connection, theirs, table, *id)?;
    }
    Ok(())
}

fn pk_flags(connection: &Connection, table: &str) -> Result<Vec<bool>, StoreError> {
    let mut statement = connection.prepare(&format!("SELECT pk FROM pragma_table_info('{table}') ORDER BY cid"))?;
    let flags = statement
        .query_map([], |row| row.get::<_, i64>(0))?
        .map(|flag| flag.map(|flag| flag > 0))
        .collect::<Result<_, _>>()?;
    Ok(flags)
}

/// Copies a record deleted here from the partner's copy, as it is there: with its details (the rows
/// its deletion deleted with it) and the references to it that its deletion here cleared.
fn restore(connection: &Connection, theirs: &Connection, table: &str, id: i64) -> Result<(), StoreError> {
    let key: String =
        theirs
            .query_row(&format!("SELECT name FROM pragma_table_info('{table}') WHERE pk = 1"), [], |row| row.get(0))?;
    copy_rows(connection, theirs, table, &key, id)?;
    for (child, column) in super::kept_records::details_of(connection, table)? {
        connection.execute(&format!("DELETE FROM \"{child}\" WHERE \"{column}\" = ?1"), [id])?;
        copy_rows(connection, theirs, &child, &column, id)?;
    }
    super::kept_records::refer_again(connection, theirs, table, id)
}

fn copy_rows(
    connection: &Connection,
    theirs: &Connection,
    table: &str,
    column: &str,
    id: i64,
) -> Result<(), StoreError> {
    let mut statement = theirs.prepare(&format!("SELECT * FROM \"{table}\" WHERE \"{column}\" = ?1"))?;
    let count = statement.column_count();
    let rows: Vec<Vec<Value>> = statement
        .query_map([id], |row| (0..count).map(|at| row.get::<_, Value>(at)).collect())?
        .collect::<Result<_, _>>()?;
    // A history row's number is only a number: it gets a new one here, so it never replaces a row of
    // another item's history that happens to share it.
    let fresh_number = table == "status_changes";
    let marks = (1..=count)
        .map(|at| if fresh_number && at == 1 { "NULL".to_owned() } else { format!("?{at}") })
        .collect::<Vec<_>>()
        .join(", ");
    for row in rows {
        connection.execute(&format!("INSERT OR REPLACE INTO \"{table}\" VALUES ({marks})"), params_from_iter(row))?;
    }
    Ok(())
}

/// Where items were here before a merge that leaves some in a column that is gone: one the copy deleted
/// (mine still in it, theirs taken), or one deleted here that the copy moved or added items into (mine
/// taken). Read only for such a merge.
#[derive(Debug, Default)]
struct ItemPlaces {
    /// Each item's column and rank here.
    places: HashMap<i64, (i64, String)>,
    /// The columns the copy deletes.
    deleted_there: std::collections::HashSet<i64>,
}

impl ItemPlaces {
    fn read(connection: &Connection, changeset: &[u8]) -> Result<Self, StoreError> {
        let deleted_there = super::changesets::deleted_ids(changeset, "board_columns")?;
        let place = super::kept_records::column_place(connection, "items", "column_id")?;
        let mut exists = connection.prepare("SELECT 1 FROM board_columns WHERE column_id = ?1")?;
        let mut into_gone = false;
        for column_id in
            place.map_or(Ok(Vec::new()), |place| super::changesets::set_integers(changeset, "items", place))?
        {
            if !exists.exists([column_id])? {
                into_gone = true;
                break;
            }
        }
        if deleted_there.is_empty() && !into_gone {
            return Ok(Self::default());
        }
        let mut statement = connection.prepare("SELECT item_id, column_id, rank FROM items")?;
        let places =
            statement.query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?.collect::<Result<_, _>>()?;
        Ok(Self { places, deleted_there })
    }
}

/// An item left in a column that is gone: back where it was here when that column is still here (the
/// copy moved it into a column deleted here), otherwise to the top of the first column. The sentence
/// saying so, one and many.
fn replace_item(
    connection: &Connection,
    places: &ItemPlaces,
    item_id: i64,
) -> Result<(&'static str, &'static str), StoreError> {
    let column: i64 =
        connection.query_row("SELECT column_id FROM items WHERE item_id = ?1", [item_id], |row| row.get(0))?;
    let back = match places.places.get(&item_id) {
        Some((column_id, rank)) => connection
            .prepare("SELECT 1 FROM board_columns WHERE column_id = ?1")?
            .exists([column_id])?
            .then_some((column_id, rank)),
        None => None,
    };
    if let Some((column_id, rank)) = back {
        connection.execute(
            "UPDATE items SET column_id = ?1, rank = ?2 WHERE item_id = ?3",
            rusqlite::params![column_id, rank, item_id],
        )?;
        return Ok((
            "item the copy moved into a column deleted here stays where it was here",
            "items the copy moved into a column deleted here stay where they were here",
        ));
    }
    connection.execute(
        "UPDATE items SET column_id = (SELECT column_id FROM board_columns ORDER BY position, column_id LIMIT 1) \
         WHERE item_id = ?1",
        [item_id],
    )?;
    Ok(if places.deleted_there.contains(&column) {
        (
            "item was in a column deleted in the copy and went to the first column",
            "items were in a column deleted in the copy and went to the first column",
        )
    } else {
        (
            "item was in a column deleted here and went to the first column",
            "items were in a column deleted here and went to the first column",
        )
    })
}

/// References the copy made to records deleted here: an item's epic or sprint is cleared, an item in a
/// deleted column goes back where it was or to the first column ([`replace_item`]), details of deleted
/// records are left out; anything else is refused.
fn repair_references(connection: &Connection, places: &ItemPlaces) -> Result<Vec<String>, StoreError> {
    let mut statement = connection.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
    let dangling: Vec<(String, Option<i64>, String)> =
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?.collect::<Result<_, _>>()?;
    // Per sentence, one and many: how many rows it was said of.
    let mut said: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (table, rowid, parent) in dangling {
        if let ("items", "board_columns", Some(item_id)) = (table.as_str(), parent.as_str(), rowid) {
            *said.entry(replace_item(connection, places, item_id)?).or_default() += 1;
            continue;
        }
        let (fix, words) = match (table.as_str(), parent.as_str()) {
            ("items", "epics") => (
                "UPDATE items SET epic_id = NULL WHERE epic_id NOT IN (SELECT epic_id FROM epics)",
                (
                    "item was in an epic deleted here and now has none",
                    "items were in an epic deleted here and now have none",
                ),
            ),
            ("items", "sprints") => (
                "UPDATE items SET sprint_id = NULL WHERE sprint_id NOT IN (SELECT sprint_id FROM sprints)",
                (
                    "item was planned in a sprint deleted here and now is in none",
                    "items were planned in a sprint deleted here and now are in none",
                ),
            ),
            ("items", "items") => (
                "UPDATE items SET parent_id = NULL WHERE parent_id NOT IN (SELECT item_id FROM items)",
                (
                    "sub-task of an item deleted here is now an item of its own",
                    "sub-tasks of items deleted here are now items of their own",
                ),
            ),
            ("epics", "objectives") => (
                "UPDATE epics SET objective_id = NULL WHERE objective_id NOT IN (SELECT objective_id FROM objectives)",
                (
                    "epic served an objective deleted here and now serves none",
                    "epics served an objective deleted here and now serve none",
                ),
            ),
            ("metrics", "objectives") => (
                "UPDATE metrics SET objective_id = NULL WHERE objective_id NOT IN (SELECT objective_id FROM objectives)",
                (
                    "KPI served an objective deleted here and now serves none",
                    "KPIs served an objective deleted here and now serve none",
                ),
            ),
            ("objectives", "program_increments") => (
                "UPDATE objectives SET increment_id = NULL \
                 WHERE increment_id NOT IN (SELECT increment_id FROM program_increments)",
                (
                    "objective was set for a program increment deleted here and now is set for none",
                    "objectives were set for a program increment deleted here and now are set for none",
                ),
            ),
            ("items", "insights") => (
                "UPDATE items SET insight_id = NULL WHERE insight_id NOT IN (SELECT insight_id FROM insights)",
                (
                    "item answered an insight deleted here and now answers none",
                    "items answered an insight deleted here and now answer none",
                ),
            ),
            ("insights", "personas") => (
                "UPDATE insights SET persona_id = NULL WHERE persona_id NOT IN (SELECT persona_id FROM personas)",
                (
                    "insight was about a persona deleted here and now is about none",
                    "insights were about a persona deleted here and now are about none",
                ),
            ),
            ("insights", "metrics") => (
                "UPDATE insights SET metric_id = NULL WHERE metric_id NOT IN (SELECT metric_id FROM metrics)",
                (
                    "insight was measured on a KPI deleted here and now is on none",
                    "insights were measured on a KPI deleted here and now are on none",
                ),
            ),
            ("acceptance_criteria", _) => (
                "DELETE FROM acceptance_criteria WHERE item_id NOT IN (SELECT item_id FROM items)",
                (
                    "acceptance criterion belonged to an item deleted here and was left out",
                    "acceptance criteria belonged to items deleted here and were left out",
                ),
            ),
            ("item_labels", _) => (
                "DELETE FROM item_labels WHERE item_id NOT IN (SELECT item_id FROM items)",
                (
                    "label belonged to an item deleted here and was left out",
                    "labels belonged to items deleted here and were left out",
                ),
            ),
            ("status_changes", _) => (
                "DELETE FROM status_changes WHERE item_id NOT IN (SELECT item_id FROM items)",
                (
                    "move in an item's history belonged to an item deleted here and was left out",
                    "moves in items' histories belonged to items deleted here and were left out",
                ),
            ),
            ("comments", _) => (
                "DELETE FROM comments WHERE item_id NOT IN (SELECT item_id FROM items)",
                (
                    "comment was written in the copy on an item deleted here and was left out (it is still in the copy)",
                    "comments were written in the copy on items deleted here and were left out (they are still in the copy)",
                ),
            ),
            ("key_results", _) => (
                "DELETE FROM key_results WHERE objective_id NOT IN (SELECT objective_id FROM objectives)",
                (
                    "key result belonged to an objective deleted here and was left out",
                    "key results belonged to objectives deleted here and were left out",
                ),
            ),
            ("metric_samples", _) => (
                "DELETE FROM metric_samples WHERE metric_id NOT IN (SELECT metric_id FROM metrics)",
                (
                    "KPI sample belonged to a KPI deleted here and was left out",
                    "KPI samples belonged to KPIs deleted here and were left out",
                ),
            ),
            ("epic_dependencies", _) => (
                "DELETE FROM epic_dependencies WHERE epic_id NOT IN (SELECT epic_id FROM epics) \
                 OR after_epic_id NOT IN (SELECT epic_id FROM epics)",
                (
                    "dependency between epics named an epic deleted here and was left out",
                    "dependencies between epics named epics deleted here and were left out",
                ),
            ),
            _ => {
                return Err(StoreError::Conflict(format!(
                    "The copy refers to a record of '{parent}' that no longer exists here (from '{table}', row {}); nothing was changed.",
                    rowid.unwrap_or_default()
                )));
            }
        };
        connection.execute(fix, [])?;
        *said.entry(words).or_default() += 1;
    }
    Ok(said
        .into_iter()
        .map(|((one, many), count)| if count == 1 { format!("1 {one}.") } else { format!("{count} {many}.") })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::{Row, Value, differs_only_in};

    fn row(old: Vec<Option<Value>>, current: Vec<Option<Value>>) -> Row {
        let width = old.len();
        Row { table: "items".to_owned(), old, new: vec![None; width], current, pk: vec![false; width] }
    }

    #[test]
    fn a_row_differs_only_in_its_time_of_change_when_every_other_recorded_value_is_the_same_number_or_text() {
        let incidental = vec![2];
        let text = |text: &str| Some(Value::Text(text.to_owned()));
        // A whole estimate recorded as 5 reads back as 5.0; a column the change did not record is skipped.
        let touched = row(
            vec![Some(Value::Integer(5)), None, text("monday")],
            vec![Some(Value::Real(5.0)), text("anything"), text("tuesday")],
        );
        assert!(differs_only_in(&touched, Some(&incidental)));
        let re_estimated = row(
            vec![Some(Value::Integer(5)), None, text("monday")],
            vec![Some(Value::Real(5.5)), None, text("tuesday")],
        );
        assert!(!differs_only_in(&re_estimated, Some(&incidental)), "another estimate is a change");
        let same = row(
            vec![Some(Value::Integer(5)), None, text("monday")],
            vec![Some(Value::Integer(5)), None, text("monday")],
        );
        assert!(!differs_only_in(&same, Some(&incidental)), "nothing differs: not this case");
        assert!(!differs_only_in(&touched, None), "a table without such a column");
    }
}
