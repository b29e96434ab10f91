//! Merging a partner's copy of the plan: find what the copy changed since the two last shared a state
//! (its journal entries this file does not have), show the review (what will be taken, what conflicts),
//! and apply it as one undoable change with the user's choices.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension as _};

use super::{App, Change, UndoEntry};
use crate::interchange::InterchangeError;
use crate::interchange::convert::plural;
use crate::model::compare::{Difference, compare};
use crate::store::baselines::snapshot_of;
use crate::store::journal::{self, JournalEntry};
use crate::store::merge::{self, Choices, Conflict, Side};
use crate::store::{Store, StoreError};

/// One conflict as the review shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewConflict {
    /// The key a choice is given by.
    pub key: String,
    /// The conflict in a sentence ("'Pay by card' (item), changed on both sides: estimate here 5, in
    /// the copy 8.").
    pub sentence: String,
    /// The side taken, when decided.
    pub taken: Option<Side>,
}

/// What a merge takes, and what conflicts; before anything is written, or after.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReview {
    /// The copy, in words.
    pub source: String,
    /// How many of the copy's changes are new here.
    pub new_changes: usize,
    /// How the plan here changes, in the compare list's words.
    pub taken: Vec<Difference>,
    /// Other changes it brings that the compare list has no kind for (label colours), in sentences.
    pub also: Vec<String>,
    /// The conflicts.
    pub conflicts: Vec<ReviewConflict>,
    /// References let go because they pointed at records deleted here.
    pub repairs: Vec<String>,
    /// Whether the merge was written.
    pub written: bool,
}

impl MergeReview {
    /// How many conflicts have no side yet.
    #[must_use]
    pub fn undecided(&self) -> usize {
        self.conflicts.iter().filter(|conflict| conflict.taken.is_none()).count()
    }

    /// The review as `tandem merge` prints it.
    #[must_use]
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        if self.new_changes == 0 {
            let _ = writeln!(out, "Nothing to merge: every change in {} is already here.", self.source);
            return out;
        }
        let verb = if self.written { "Merged" } else { "Merging" };
        let _ = writeln!(
            out,
            "{verb} {} from {}: {} here, {}.",
            plural(self.new_changes, "change"),
            self.source,
            plural(self.taken.len() + self.also.len(), "difference"),
            plural(self.conflicts.len(), "conflict")
        );
        if !self.taken.is_empty() || !self.also.is_empty() {
            let _ = writeln!(out, "{}:", if self.written { "Taken" } else { "Would take" });
            for text in self.taken.iter().map(|difference| &difference.text).chain(&self.also) {
                let _ = writeln!(out, "  {text}");
            }
        }
        if !self.conflicts.is_empty() {
            let _ = writeln!(out, "Conflicts:");
            for conflict in &self.conflicts {
                let side = match conflict.taken {
                    Some(Side::Mine) => "kept mine",
                    Some(Side::Theirs) => "took theirs",
                    None => "undecided",
                };
                let _ = writeln!(out, "  [{side}] {}", conflict.sentence);
            }
        }
        if !self.repairs.is_empty() && self.undecided() > 0 {
            let _ = writeln!(out, "{UNDECIDED_NOTES}");
        }
        for repair in &self.repairs {
            let _ = writeln!(out, "Note: {repair}");
        }
        out
    }
}

/// Said before the notes of a review with conflicts still undecided: the notes are worked out as if
/// each were kept as it is here, and a side taken from the copy can change them.
pub const UNDECIDED_NOTES: &str = "The notes below are worked out with the undecided conflicts kept as they are here; taking the copy's side may change them.";

/// Every comment here: its id, its item and its author.
fn comments_by_id(connection: &rusqlite::Connection) -> Result<Vec<(i64, i64, String)>, StoreError> {
    let mut statement = connection.prepare("SELECT comment_id, item_id, author FROM comments")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Sentences for the comments written here that the merge deleted without the copy deleting them: they
/// were on an item the copy deleted, and went with it.
fn comments_taken_along(
    connection: &rusqlite::Connection,
    combined: &[u8],
    comments_before: &[(i64, i64, String)],
    before: &crate::model::compare::PlanSnapshot,
) -> Result<Vec<String>, StoreError> {
    let deleted_there = crate::store::changesets::deleted_ids(combined, "comments")?;
    let still_here: std::collections::HashSet<i64> =
        comments_by_id(connection)?.into_iter().map(|(comment_id, _, _)| comment_id).collect();
    Ok(comments_before
        .iter()
        .filter(|(comment_id, _, _)| !still_here.contains(comment_id) && !deleted_there.contains(comment_id))
        .map(|(_, item_id, author)| {
            let title = before
                .items
                .iter()
                .find(|item| item.item_id == *item_id)
                .map_or_else(|| "an item".to_owned(), |item| format!("'{}'", item.title));
            format!("The comment {author} wrote here on {title} goes with it: the copy deleted {title}.")
        })
        .collect())
}

/// What happened to label colours, a sentence per label.
fn label_colour_changes(
    before: &std::collections::BTreeMap<String, crate::model::Colour>,
    after: &std::collections::BTreeMap<String, crate::model::Colour>,
) -> Vec<String> {
    use crate::model::label::colour_name;
    let labels: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    labels
        .into_iter()
        .filter_map(|label| match (before.get(label), after.get(label)) {
            (None, Some(colour)) => Some(format!("The label '{label}' gets the colour {}.", colour_name(*colour))),
            (Some(_), None) => Some(format!("The label '{label}' loses its colour.")),
            (Some(was), Some(now)) if was != now => {
                Some(format!("The label '{label}' turns from {} to {}.", colour_name(*was), colour_name(*now)))
            }
            _ => None,
        })
        .collect()
}

/// Why a merge was not made.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// The workspace could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The copy was refused or could not be read.
    #[error(transparent)]
    File(#[from] InterchangeError),
    /// The two files share no history.
    #[error("These are two different plans: {} does not hold this workspace's items under their numbers, so there is nothing to merge. To bring its items in, use File ▸ Import instead.", path.display())]
    Unrelated {
        /// The copy.
        path: std::path::PathBuf,
    },
    /// The file chosen is the workspace itself.
    #[error("That is this workspace itself, not a copy of it: there is nothing to merge, and nothing was changed. Choose the copy your partner changed (File ▸ Save a copy… makes one to hand over). {}", path.display())]
    Itself {
        /// The file.
        path: std::path::PathBuf,
    },
    /// The copy differs but keeps no journal of its changes (it was last saved by an older Tandem).
    #[error("{} differs from this workspace, but it keeps no record of its own changes (it was last saved by a Tandem older than baselines and merging), so Tandem cannot tell its changes from yours and nothing was merged. File ▸ Compare… shows how the two differ; open the copy in this Tandem for its next changes to merge.", path.display())]
    NoJournal {
        /// The copy.
        path: std::path::PathBuf,
    },
    /// The user cancelled it while it ran; nothing was written.
    #[error("Merge cancelled; nothing was written.")]
    Cancelled,
    /// Some conflicts have no side; nothing was written.
    #[error("{} a choice, so nothing was written. Choose mine or theirs for each (the review lists them), or one side for all (--prefer mine or --prefer theirs).", if .0.undecided() == 1 { "1 conflict needs".to_owned() } else { format!("{} conflicts need", .0.undecided()) })]
    Undecided(Box<MergeReview>),
}

/// What a merge wrote, with what the window needs to offer it as one undo step ([`App::finish_merge`]).
#[derive(Debug)]
pub struct Merged {
    /// The review, `written` when it was applied.
    pub review: MergeReview,
    /// What this file's own journal entry of the merge holds (empty for a dry run or nothing written).
    changeset: std::sync::Arc<[u8]>,
    /// The partner's journal entries it brought.
    imported: Vec<(String, Vec<u8>)>,
}

impl App {
    /// Merges the partner's copy at `theirs` into this workspace, or with `dry_run` only reviews it.
    /// Nothing is written when a conflict has no side in `choices`.
    ///
    /// # Errors
    /// [`MergeError`]; the workspace is unchanged in every case.
    pub fn merge_from(&mut self, theirs: &Path, choices: &Choices, dry_run: bool) -> Result<MergeReview, MergeError> {
        let merged = merge_into(&mut self.store, theirs, choices, dry_run)?;
        self.finish_merge(merged, None)
    }

    /// Takes in a merge made through another connection to this file ([`merge_into`], on the worker
    /// thread): when it was written, the workspace is read again and the merge becomes one undo step;
    /// the review is given back.
    ///
    /// # Errors
    /// A store error reading the workspace again (the merge was written).
    pub fn finish_merge(
        &mut self,
        merged: Merged,
        read: Option<super::jobs::ReadBack>,
    ) -> Result<MergeReview, MergeError> {
        let Merged { review, changeset, imported } = merged;
        if !review.written {
            return Ok(review);
        }
        // Like an import's: the steps before stay, each checked against the file when it is undone.
        self.take_read_back(read)?;
        self.undo.push(UndoEntry {
            description: format!("merge from {}", review.source),
            changes: vec![Change::Changeset { changeset, imported }],
        });
        Ok(review)
    }
}

/// Merges the partner's copy at `theirs` into the workspace `store` holds, or with `dry_run` only
/// reviews it; nothing is written when a conflict has no side in `choices`. [`App::merge_from`] runs it
/// on the window's connection, the worker thread on one of its own ([`super::jobs::Work::Merge`]).
///
/// # Errors
/// [`MergeError`]; the workspace is unchanged in every case.
pub fn merge_into(store: &mut Store, theirs: &Path, choices: &Choices, dry_run: bool) -> Result<Merged, MergeError> {
    if crate::store::is_workspace_file(theirs, store.path()) {
        return Err(MergeError::Itself { path: theirs.to_owned() });
    }
    let (_folder, their_store) = crate::interchange::open_sqlite_copy(theirs)?;
    let their = their_store.connection();
    let name = theirs.file_name().map_or_else(|| theirs.display().to_string(), |name| name.to_string_lossy().into());
    let source = format!("the copy '{name}'");
    let nothing = |review: MergeReview| Merged { review, changeset: std::sync::Arc::from([]), imported: Vec::new() };
    if !store.snapshot()?.shares_history_with(&snapshot_of(their)?) {
        return Err(MergeError::Unrelated { path: theirs.to_owned() });
    }
    // Each id once: a copy's journal could hold one twice (no index makes its ids unique).
    let mut known = journal::change_ids(store.connection())?;
    let incoming: Vec<JournalEntry> =
        journal::entries(their)?.into_iter().filter(|entry| known.insert(entry.change_id.clone())).collect();
    if incoming.is_empty() {
        let their_journal_is_empty = journal::entries(their)?.is_empty();
        if their_journal_is_empty && !compare(&store.snapshot()?, &snapshot_of(their)?).is_empty() {
            return Err(MergeError::NoJournal { path: theirs.to_owned() });
        }
        return Ok(nothing(MergeReview { source, ..MergeReview::default() }));
    }
    let combined = journal::combined(store.connection(), incoming.iter().map(|entry| entry.changeset.as_slice()))?;
    let entries: Vec<&[u8]> = incoming.iter().map(|entry| entry.changeset.as_slice()).collect();
    let mut review = MergeReview { source, new_changes: incoming.len(), ..MergeReview::default() };
    let mut undecided = false;
    let work = |tx: &rusqlite::Transaction<'_>| -> Result<(), StoreError> {
        let before = snapshot_of(tx)?;
        let colours_before = crate::store::labels::label_colours_in_tx(tx)?;
        let comments_before = comments_by_id(tx)?;
        let applied = merge::apply_changes(tx, &combined, &entries, choices, their)?;
        review.taken = compare(&before, &snapshot_of(tx)?);
        review.also = label_colour_changes(&colours_before, &crate::store::labels::label_colours_in_tx(tx)?);
        review.also.extend(comments_taken_along(tx, &combined, &comments_before, &before)?);
        review.conflicts = applied.conflicts.iter().map(|conflict| describe(conflict, tx, their)).collect();
        review.repairs = applied.repairs;
        if dry_run {
            return Ok(());
        }
        if review.undecided() > 0 {
            undecided = true;
            return Err(StoreError::Conflict("undecided".to_owned()));
        }
        for entry in &incoming {
            journal::append(tx, &entry.change_id, &entry.changeset)?;
        }
        Ok(())
    };
    if dry_run {
        store.dry_run(work)?;
        return Ok(nothing(review));
    }
    let written = store.write(work);
    if undecided {
        return Err(MergeError::Undecided(Box::new(review)));
    }
    written?;
    review.written = true;
    let imported: Vec<(String, Vec<u8>)> =
        incoming.into_iter().map(|entry| (entry.change_id, entry.changeset)).collect();
    let imported_ids: HashSet<&str> = imported.iter().map(|(id, _)| id.as_str()).collect();
    let own: Option<(String, Vec<u8>)> = store
        .connection()
        .query_row("SELECT change_id, changeset FROM journal ORDER BY seq DESC LIMIT 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()
        .map_err(StoreError::from)?;
    let changeset = own.filter(|(id, _)| !imported_ids.contains(id.as_str())).map(|(_, changeset)| changeset);
    // Made shared here, on the thread that merged: a copy of a large one on the window's thread would hold it up.
    Ok(Merged { review, changeset: changeset.unwrap_or_default().into(), imported })
}

/// A conflict in a sentence, with the record's name and the fields' values in words.
fn describe(conflict: &Conflict, mine: &Connection, theirs: &Connection) -> ReviewConflict {
    let (noun, table, name_column) = match conflict.table.as_str() {
        "items" | "acceptance_criteria" | "item_labels" | "status_changes" => ("item", "items", "title"),
        "comments" => ("comment", "comments", "text"),
        "label_colours" => ("label", "label_colours", "label"),
        "epics" | "epic_dependencies" => ("epic", "epics", "title"),
        "board_columns" => ("column", "board_columns", "name"),
        "sprints" => ("sprint", "sprints", "name"),
        "objectives" | "key_results" => ("objective", "objectives", "title"),
        "metrics" | "metric_samples" => ("KPI", "metrics", "name"),
        "releases" => ("release", "releases", "name"),
        "program_increments" => ("increment", "program_increments", "name"),
        "personas" => ("persona", "personas", "name"),
        "insights" => ("insight", "insights", "title"),
        _ => ("product", "product", "name"),
    };
    let key_column = match table {
        "items" => "item_id",
        "comments" => "comment_id",
        "epics" => "epic_id",
        "board_columns" => "column_id",
        "sprints" => "sprint_id",
        "objectives" => "objective_id",
        "metrics" => "metric_id",
        "releases" => "release_id",
        "program_increments" => "increment_id",
        "personas" => "persona_id",
        "insights" => "insight_id",
        _ => "singleton",
    };
    let lookup = |connection: &Connection| -> Option<String> {
        connection
            .query_row(&format!("SELECT {name_column} FROM {table} WHERE {key_column} = ?1"), [conflict.id], |row| {
                row.get(0)
            })
            .ok()
    };
    let name = if conflict.table == "label_colours" {
        // Keyed by the label's text, which the key holds.
        conflict.key.strip_prefix("label_colours:").unwrap_or(&conflict.key).to_owned()
    } else {
        lookup(mine).or_else(|| lookup(theirs)).unwrap_or_else(|| format!("#{}", conflict.id))
    };
    let part = match conflict.table.as_str() {
        "acceptance_criteria" => " (an acceptance criterion)",
        "key_results" => " (a key result)",
        "metric_samples" => " (a sample)",
        _ => "",
    };
    let fields: Vec<String> = conflict
        .fields
        .iter()
        .map(|(field, here, there)| {
            let (field, here, there) = field_words(field, here, there, mine, theirs);
            format!("{field} here {here}, in the copy {there}")
        })
        .collect();
    let detail = if fields.is_empty() { String::new() } else { format!(": {}", fields.join("; ")) };
    ReviewConflict {
        key: conflict.key.clone(),
        sentence: format!("'{name}' ({noun}){part}, {}{detail}.", conflict.what),
        taken: conflict.taken,
    }
}

/// A field and its two values as a user reads them: a column's, epic's or sprint's name rather than its
/// number, "a different place" for a card's rank.
fn field_words(
    field: &str,
    here: &str,
    there: &str,
    mine: &Connection,
    theirs: &Connection,
) -> (String, String, String) {
    let named = |table: &str, key: &str, column: &str, id: &str| -> String {
        let find = |connection: &Connection| {
            connection
                .query_row(&format!("SELECT {column} FROM {table} WHERE {key} = ?1"), [id], |row| {
                    row.get::<_, String>(0)
                })
                .ok()
        };
        find(mine).or_else(|| find(theirs)).map_or_else(|| "none".to_owned(), |name| format!("'{name}'"))
    };
    match field {
        "column_id" => (
            "column".to_owned(),
            named("board_columns", "column_id", "name", here),
            named("board_columns", "column_id", "name", there),
        ),
        "epic_id" => {
            ("epic".to_owned(), named("epics", "epic_id", "title", here), named("epics", "epic_id", "title", there))
        }
        "sprint_id" => (
            "sprint".to_owned(),
            named("sprints", "sprint_id", "name", here),
            named("sprints", "sprint_id", "name", there),
        ),
        "objective_id" => (
            "objective".to_owned(),
            named("objectives", "objective_id", "title", here),
            named("objectives", "objective_id", "title", there),
        ),
        "increment_id" => (
            "program increment".to_owned(),
            named("program_increments", "increment_id", "name", here),
            named("program_increments", "increment_id", "name", there),
        ),
        "planned_value" | "actual_value" => {
            let value = |value: &str| if value.is_empty() { "none".to_owned() } else { value.to_owned() };
            (format!("{} business value", &field[..field.len() - 6]), value(here), value(there))
        }
        "uncommitted" => {
            let words = |value: &str| if value == "1" { "uncommitted" } else { "committed" }.to_owned();
            ("commitment".to_owned(), words(here), words(there))
        }
        "insight_id" => (
            "insight".to_owned(),
            named("insights", "insight_id", "title", here),
            named("insights", "insight_id", "title", there),
        ),
        "metric_id" => (
            "KPI".to_owned(),
            named("metrics", "metric_id", "name", here),
            named("metrics", "metric_id", "name", there),
        ),
        "persona_id" => (
            "persona".to_owned(),
            named("personas", "persona_id", "name", here),
            named("personas", "persona_id", "name", there),
        ),
        "rank" => ("place in the column".to_owned(), "one place".to_owned(), "another".to_owned()),
        "parent_id" => (
            "parent item".to_owned(),
            named("items", "item_id", "title", here),
            named("items", "item_id", "title", there),
        ),
        "archived_at" | "started_at" | "completed_at" => {
            let (field, unset) = match field {
                "archived_at" => ("archive", "on the board"),
                "started_at" => ("start", "not started"),
                _ => ("completion", "not completed"),
            };
            let when = |value: &str| {
                if value.is_empty() { unset.to_owned() } else { value.get(..10).unwrap_or(value).to_owned() }
            };
            (field.to_owned(), when(here), when(there))
        }
        "points" => ("estimate".to_owned(), here.to_owned(), there.to_owned()),
        "colour" => {
            let name = |hex: &str| {
                crate::model::Colour::from_hex(hex).map_or_else(|| hex.to_owned(), crate::model::label::colour_name)
            };
            ("colour".to_owned(), name(here), name(there))
        }
        other => (other.replace('_', " "), format!("'{here}'"), format!("'{there}'")),
    }
}
