//! The running workspace: turns [`Command`]s into store transactions, keeps the in-memory
//! [`Workspace`] in step with what was committed, and records undo.
//!
//! Undo entries are snapshots of what a command changed (before and after), so undo and redo are the
//! same operation in two directions and need no per-command inverse logic.

mod archive;
pub mod baselines;
mod columns;
mod command;
mod guard;
mod items;
pub mod jobs;
pub mod merge;
mod opening;
mod planning;
mod research;
mod roadmap;
mod sprint_lifecycle;
mod undo;

use std::path::{Path, PathBuf};

pub use command::{
    Applied, Carry, ColumnCommand, Command, ItemCommand, PlanningCommand, PriorityScore, ResearchCommand,
    RoadmapCommand,
};
pub use items::comments_in_words;
pub use opening::Opening;
pub use planning::capacity_words;
pub use undo::{Change, UNDO_LIMIT, UndoEntry, UndoStack, from_to};

use crate::demo;
use crate::interchange::convert::count;
use crate::interchange::document::DocumentError;
use crate::model::{
    BacklogItem, Column, ColumnId, Epic, ItemId, ItemPosition, ItemRecord, Metric, Objective, Product, Release, Sprint,
    Timestamp, Workspace,
};
use crate::store::board::{insert_column_in_tx, set_columns_in_tx, update_product_in_tx};
use crate::store::items::{
    create_item_in_tx, delete_item_in_tx, history_in_tx, move_item_seen_in_tx, move_items_in_tx, put_item_back_in_tx,
    put_item_in_tx, restore_item_in_tx, set_positions_back_in_tx, set_positions_in_tx, update_item_in_tx,
};
use crate::store::metrics::{delete_metric_in_tx, insert_metric_in_tx, restore_metric_in_tx, update_metric_in_tx};
use crate::store::okrs::{
    delete_objective_in_tx, insert_objective_in_tx, restore_objective_in_tx, update_objective_in_tx,
};
use crate::store::roadmap::{
    delete_epic_in_tx, delete_increment_in_tx, delete_release_in_tx, insert_epic_in_tx, insert_increment_in_tx,
    insert_release_in_tx, restore_epic_in_tx, restore_increment_in_tx, restore_release_in_tx, update_epic_in_tx,
    update_increment_in_tx, update_release_in_tx,
};
use crate::store::sprints::{delete_sprint_in_tx, insert_sprint_in_tx, restore_sprint_in_tx, update_sprint_in_tx};
use crate::store::{Opened, Store, StoreError};

/// How long a change from the window waits for another program's lock before it is refused.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// Why a workspace could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file itself.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The sample product could not be written into a new file.
    #[error(transparent)]
    Sample(#[from] DocumentError),
}

/// How to fill a newly created workspace file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewWorkspace {
    /// With the realistic sample product (first start, `--demo`).
    Sample,
    /// With default columns and nothing else (File ▸ New).
    Blank,
}

/// Above this many items, a window reads another window's change on a worker thread
/// ([`App::follow_external_changes_beside`]; reading 20,000 items takes about 60 ms, four frames).
pub const FOLLOW_WORKER_ABOVE: usize = 20_000;

/// The open workspace.
#[derive(Debug)]
pub struct App {
    store: Store,
    workspace: Workspace,
    undo: UndoStack,
    last_saved: Option<Timestamp>,
    /// SQLite's `data_version` when the workspace was last loaded: it changes when another connection
    /// commits, so a different value means the file holds changes this window has not shown yet.
    seen_version: i64,
    /// An undo (`false`) or redo (`true`) of a merge or an import being made on the worker thread
    /// ([`App::begin_replay`]), off the stacks until it reports back.
    replaying: Option<(UndoEntry, bool)>,
    /// The file being read again on a worker thread after another connection committed to it, and how
    /// many such reads in a row were outdated by a commit before they were done.
    following: Option<(jobs::Following, u8)>,
}

impl App {
    /// Opens the workspace at `path`, creating it (filled as `new_workspace` says) when it does not exist.
    ///
    /// # Errors
    /// [`OpenError`] with a message for the user; a refused file is left unchanged.
    pub fn open(path: &Path, new_workspace: NewWorkspace) -> Result<Self, OpenError> {
        if let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty()) {
            let _removed = crate::store::remove_stale_temporaries(folder);
        }
        let (mut store, opened) = Store::open(path)?;
        if opened == Opened::Created {
            let seeded = match new_workspace {
                NewWorkspace::Sample => demo::seed_sample(&mut store),
                NewWorkspace::Blank => demo::seed_blank(&mut store, "Untitled product").map_err(DocumentError::from),
            };
            if let Err(error) = seeded {
                // Leave nothing half-made behind: the next start should try again from scratch.
                drop(store);
                crate::store::remove_workspace_files(path);
                return Err(error.into());
            }
        }
        let mut app = Self::from_store(store)?;
        // Only a file that loaded cleanly is switched to the write-ahead log: a refused file keeps
        // every byte it had.
        app.store.use_wal()?;
        // A change waits at most this long for another program's lock, then says so: the window
        // never freezes for long.
        app.store.set_busy_timeout(BUSY_WAIT)?;
        Ok(app)
    }

    /// Wraps an already open store.
    ///
    /// # Errors
    /// A store error while loading.
    pub fn from_store(mut store: Store) -> Result<Self, StoreError> {
        let seen_version = store.data_version()?;
        let workspace = store.load()?;
        Ok(Self {
            store,
            workspace,
            undo: UndoStack::default(),
            last_saved: None,
            seen_version,
            replaying: None,
            following: None,
        })
    }

    /// The plan as the views see it.
    #[must_use]
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The database, for reads and copies.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The database, the workspace in memory let go (a worker's own `App` handing its connection over).
    #[must_use]
    pub fn into_store(self) -> Store {
        self.store
    }

    /// Every logged column change, oldest first: what the delivery charts are computed from.
    ///
    /// # Errors
    /// A store error.
    pub fn status_changes(&self) -> Result<Vec<crate::model::StatusChange>, StoreError> {
        self.store.status_changes()
    }

    /// The workspace file.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Whether the workspace can only be read (the file or its folder is write-protected).
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.store.is_read_only()
    }

    /// The file name, for the window title.
    #[must_use]
    pub fn file_name(&self) -> String {
        self.path()
            .file_name()
            .map_or_else(|| self.path().display().to_string(), |name| name.to_string_lossy().into_owned())
    }

    /// When the last change was committed in this session.
    #[must_use]
    pub fn last_saved(&self) -> Option<Timestamp> {
        self.last_saved
    }

    /// How many records the next undo (`undo`) or redo would write.
    #[must_use]
    pub fn next_undo_size(&self, undo: bool) -> usize {
        self.undo.next_size(undo)
    }

    /// What undo would undo, if anything.
    #[must_use]
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.undo_description()
    }

    /// What the user reads when there is nothing (more) to undo: plain, or saying that older changes
    /// were forgotten because the history is full.
    #[must_use]
    pub fn nothing_to_undo(&self) -> String {
        match self.undo.forgotten() {
            0 => "Nothing to undo.".to_owned(),
            forgotten => format!(
                "Nothing more to undo: Tandem keeps the last {} changes, and {} older {} can no longer be undone (they are saved).",
                undo::UNDO_LIMIT,
                forgotten,
                if forgotten == 1 { "one" } else { "ones" }
            ),
        }
    }

    /// What redo would redo, if anything.
    #[must_use]
    pub fn redo_description(&self) -> Option<&str> {
        self.undo.redo_description()
    }

    /// Carries out a command in one transaction and records it for undo.
    ///
    /// # Errors
    /// A [`StoreError`] whose message the UI shows as is; the workspace is unchanged.
    pub fn apply(&mut self, command: Command) -> Result<Applied, StoreError> {
        let now = Timestamp::now();
        match command {
            Command::Item(command) => self.apply_item(command, now),
            Command::Column(command) => self.apply_column(command, now),
            Command::Roadmap(command) => self.apply_roadmap(command, now),
            Command::Planning(command) => self.apply_planning(command, now),
            Command::Research(command) => self.apply_research(command, now),
        }
    }

    /// The epilogue every command shares: the committed changes go into the in-memory workspace and
    /// onto the undo stack, and the sentence goes back to the UI.
    fn finish(
        &mut self,
        now: Timestamp,
        description: String,
        changes: Vec<Change>,
        item_id: Option<ItemId>,
        message: String,
    ) -> Applied {
        for change in &changes {
            self.apply_to_workspace(change, true);
        }
        self.last_saved = Some(now);
        self.undo.push(UndoEntry { description, changes });
        Applied { item_id, message }
    }

    /// [`App::apply`] without waiting for another program's lock: the window tries a refused change
    /// again every few frames and must not block while it does.
    ///
    /// # Errors
    /// As [`App::apply`]; [`StoreError::Busy`] at once while the other program holds the file.
    pub fn apply_without_waiting(&mut self, command: Command) -> Result<Applied, StoreError> {
        self.store.set_busy_timeout(std::time::Duration::ZERO)?;
        let result = self.apply(command);
        self.store.set_busy_timeout(BUSY_WAIT)?;
        result
    }

    /// Undoes the last command. `Ok(None)` when there is nothing to undo.
    ///
    /// # Errors
    /// A store error; the entry stays on the stack and nothing changed.
    pub fn undo(&mut self) -> Result<Option<String>, StoreError> {
        let Some(entry) = self.undo.take_undo() else {
            return Ok(None);
        };
        match self.replay(&entry, false) {
            Ok(()) => {
                let message = format!("Undid: {}.{}", entry.description, self.where_now(&entry, false));
                self.undo.push_redo(entry);
                Ok(Some(message))
            }
            Err(error) => {
                self.undo.push_back_undo(entry);
                Err(error)
            }
        }
    }

    /// Redoes the last undone command. `Ok(None)` when there is nothing to redo.
    ///
    /// # Errors
    /// A store error; the entry stays on the stack and nothing changed.
    pub fn redo(&mut self) -> Result<Option<String>, StoreError> {
        let Some(entry) = self.undo.take_redo() else {
            return Ok(None);
        };
        match self.replay(&entry, true) {
            Ok(()) => {
                let message = format!("Redid: {}.{}", entry.description, self.where_now(&entry, true));
                self.undo.push_back_undo(entry);
                Ok(Some(message))
            }
            Err(error) => {
                self.undo.push_redo(entry);
                Err(error)
            }
        }
    }

    /// Whether the next undo (`undo`) or redo takes back or makes again a merge or an import of at
    /// least `records` records (see [`UndoEntry::size`]): what the window hands to its worker thread
    /// ([`App::begin_replay`]) so that it does not stand still meanwhile.
    #[must_use]
    pub fn next_is_large_changeset(&self, undo: bool, records: usize) -> bool {
        self.replaying.is_none() && self.undo.next_is_changeset(undo) && self.undo.next_size(undo) >= records
    }

    /// Takes the next undo (`undo`) or redo of a merge or an import off its stack, for the worker
    /// thread to make through a connection of its own ([`jobs::Work::Replay`]); `None` when the next
    /// step is something else, or one is already under way. The window reports the worker's outcome
    /// back with [`App::finish_replay`].
    pub fn begin_replay(&mut self, undo: bool) -> Option<jobs::Work> {
        if self.replaying.is_some() || !self.undo.next_is_changeset(undo) {
            return None;
        }
        let entry = if undo { self.undo.take_undo() } else { self.undo.take_redo() }?;
        let work = match entry.changes.as_slice() {
            [Change::Changeset { changeset, imported }] => Some(jobs::Work::Replay {
                workspace: self.store.path().to_owned(),
                changeset: std::sync::Arc::clone(changeset),
                imported: imported.clone(),
                forward: !undo,
                description: entry.description.clone(),
            }),
            _ => None,
        };
        if work.is_some() {
            self.replaying = Some((entry, !undo));
        } else if undo {
            // Not a changeset after all (`next_is_changeset` said it was): left where it was.
            self.undo.push_back_undo(entry);
        } else {
            self.undo.push_redo(entry);
        }
        work
    }

    /// Takes the next undo (`undo`) or redo step of another kind than a changeset off its stack, for a
    /// worker's own [`App`] on this file to make ([`jobs::Work::Step`]): a step over thousands of items
    /// (a person renamed, a column ordered, cards archived). `None` when there is no such step or one
    /// is already under way. The window reports the outcome back with [`App::finish_replay`].
    pub fn begin_step(&mut self, undo: bool) -> Option<jobs::Work> {
        if self.replaying.is_some() || self.undo.next_is_changeset(undo) {
            return None;
        }
        let entry = if undo { self.undo.take_undo() } else { self.undo.take_redo() }?;
        let work = jobs::Work::Step { workspace: self.store.path().to_owned(), entry: entry.clone(), forward: !undo };
        self.replaying = Some((entry, !undo));
        Some(work)
    }

    /// Takes the newest undo step off the stack: what a worker's own [`App`] hands to the window's.
    pub(crate) fn take_newest_step(&mut self) -> Option<UndoEntry> {
        self.undo.take_undo()
    }

    /// Takes in a command a worker's own [`App`] made on this file ([`jobs::Work::Apply`]): the workspace
    /// is read again, and its step becomes the newest undo step.
    ///
    /// # Errors
    /// A store error reading the workspace again (the command was made).
    pub fn took_in(&mut self, step: UndoEntry, read: Option<jobs::ReadBack>) -> Result<(), StoreError> {
        self.take_read_back(read)?;
        self.undo.push(step);
        Ok(())
    }

    /// Whether an undo (`Some(false)`) or a redo (`Some(true)`) handed to the worker thread is under
    /// way.
    #[must_use]
    pub fn replaying(&self) -> Option<bool> {
        self.replaying.as_ref().map(|(_, forward)| *forward)
    }

    /// What the worker reported for the step [`App::begin_replay`] handed it. When it was `made`, the
    /// step moves to the other stack, the workspace is read again, and the message to show is given
    /// back; when it failed or was cancelled (nothing changed) it goes back where it was, and `Ok(None)`
    /// is given back, as when no step was under way.
    ///
    /// # Errors
    /// A store error reading the workspace again (the step was made).
    pub fn finish_replay(&mut self, made: bool, read: Option<jobs::ReadBack>) -> Result<Option<String>, StoreError> {
        let Some((entry, forward)) = self.replaying.take() else {
            return Ok(None);
        };
        let message = format!("{}: {}.", if forward { "Redid" } else { "Undid" }, entry.description);
        match (made, forward) {
            (true, true) | (false, false) => self.undo.push_back_undo(entry),
            (true, false) | (false, true) => self.undo.push_redo(entry),
        }
        if !made {
            return Ok(None);
        }
        self.take_read_back(read)?;
        Ok(Some(message))
    }

    fn replay(&mut self, entry: &UndoEntry, forward: bool) -> Result<(), StoreError> {
        let now = Timestamp::now();
        self.store.write(|tx| {
            let ordered: Box<dyn Iterator<Item = &Change>> =
                if forward { Box::new(entry.changes.iter()) } else { Box::new(entry.changes.iter().rev()) };
            let action = if forward { "redo" } else { "undo" };
            for change in ordered {
                guard::check_replay_in_tx(tx, change, forward, action)?;
                guard::check_no_new_references_in_tx(tx, change, forward, action)?;
                match change {
                    Change::Item { before, after } => {
                        let (from, to) = if forward { (before, after) } else { (after, before) };
                        match (from, to) {
                            (None, Some(record)) => restore_item_in_tx(tx, record)?,
                            (Some(record), None) => {
                                delete_item_in_tx(tx, record.item.item_id)?;
                            }
                            (Some(_), Some(record)) if forward => put_item_in_tx(tx, &record.item, now)?,
                            (Some(_), Some(record)) => put_item_back_in_tx(tx, &record.item, now)?,
                            (None, None) => {}
                        }
                    }
                    Change::Positions { before, after } => {
                        if forward {
                            set_positions_in_tx(tx, after, now)?;
                        } else {
                            set_positions_back_in_tx(tx, before, now)?;
                        }
                    }
                    Change::Comment { before, after } => match from_to(before, after, forward) {
                        (None, Some(comment)) => {
                            crate::store::comments::write_comments(tx, std::slice::from_ref(comment))?;
                        }
                        (Some(comment), None) => {
                            crate::store::comments::delete_comment_in_tx(tx, comment.comment_id)?;
                        }
                        _ => {}
                    },
                    Change::Product { before, after } => {
                        update_product_in_tx(tx, if forward { after } else { before })?;
                    }
                    Change::MetricObjective { metric_id, before, after } => {
                        let objective = if forward { after } else { before };
                        crate::store::metrics::set_metric_objective_in_tx(tx, *metric_id, *objective)?;
                    }
                    Change::Persona { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(persona)) => crate::store::research::update_persona_in_tx(tx, persona)?,
                        (None, Some(persona)) => crate::store::research::restore_persona_in_tx(tx, persona)?,
                        (Some(persona), None) => crate::store::research::delete_persona_in_tx(tx, persona.persona_id)?,
                        (None, None) => {}
                    },
                    Change::Insight { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(insight)) => crate::store::research::update_insight_in_tx(tx, insight)?,
                        (None, Some(insight)) => crate::store::research::restore_insight_in_tx(tx, insight)?,
                        (Some(insight), None) => crate::store::research::delete_insight_in_tx(tx, insight.insight_id)?,
                        (None, None) => {}
                    },
                    Change::ObjectiveIncrement { objective_id, before, after } => {
                        let increment = if forward { after } else { before };
                        crate::store::okrs::set_objective_increment_in_tx(tx, *objective_id, *increment)?;
                    }
                    Change::LabelColour { label, before, after } => {
                        let colour = if forward { after } else { before };
                        crate::store::labels::set_label_colour_in_tx(tx, label, *colour)?;
                    }
                    Change::Epic { before, after } => {
                        let (from, to) = if forward { (before, after) } else { (after, before) };
                        match (from, to) {
                            (Some(_), Some(epic)) => update_epic_in_tx(tx, epic)?,
                            (None, Some(epic)) => restore_epic_in_tx(tx, epic)?,
                            (Some(epic), None) => delete_epic_in_tx(tx, epic.epic_id)?,
                            (None, None) => {}
                        }
                    }
                    Change::Objective { before, after } => {
                        let (from, to) = if forward { (before, after) } else { (after, before) };
                        match (from, to) {
                            (Some(_), Some(objective)) => update_objective_in_tx(tx, objective)?,
                            (None, Some(objective)) => restore_objective_in_tx(tx, objective)?,
                            (Some(objective), None) => delete_objective_in_tx(tx, objective.objective_id)?,
                            (None, None) => {}
                        }
                    }
                    Change::Columns { before, after } => {
                        set_columns_in_tx(tx, if forward { after } else { before })?;
                    }
                    Change::Metric { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(metric)) => update_metric_in_tx(tx, metric)?,
                        (None, Some(metric)) => restore_metric_in_tx(tx, metric)?,
                        (Some(metric), None) => delete_metric_in_tx(tx, metric.metric_id)?,
                        (None, None) => {}
                    },
                    Change::Release { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(release)) => update_release_in_tx(tx, release)?,
                        (None, Some(release)) => restore_release_in_tx(tx, release)?,
                        (Some(release), None) => delete_release_in_tx(tx, release.release_id)?,
                        (None, None) => {}
                    },
                    Change::Increment { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(increment)) => update_increment_in_tx(tx, increment)?,
                        (None, Some(increment)) => restore_increment_in_tx(tx, increment)?,
                        (Some(increment), None) => delete_increment_in_tx(tx, increment.increment_id)?,
                        (None, None) => {}
                    },
                    Change::Sprint { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(sprint)) => update_sprint_in_tx(tx, sprint)?,
                        (None, Some(sprint)) => restore_sprint_in_tx(tx, sprint)?,
                        (Some(sprint), None) => delete_sprint_in_tx(tx, sprint.sprint_id)?,
                        (None, None) => {}
                    },
                    Change::Changeset { changeset, imported } => {
                        replay_changeset_in_tx(tx, changeset, imported, forward, &entry.description)?;
                    }
                }
            }
            Ok(())
        })?;
        if entry.changes.iter().any(|change| matches!(change, Change::Changeset { .. })) {
            self.reload_keeping_history()?;
        } else {
            // In the order the file took them: an undo takes the last change back first. (A move to
            // another lane keeps the item as it was after the move, its new place with its old epic:
            // taken back in another order, the board would show the card where the file does not.)
            let ordered: Box<dyn Iterator<Item = &Change>> =
                if forward { Box::new(entry.changes.iter()) } else { Box::new(entry.changes.iter().rev()) };
            for change in ordered {
                self.apply_to_workspace(change, forward);
            }
        }
        self.last_saved = Some(now);
        Ok(())
    }

    fn apply_to_workspace(&mut self, change: &Change, forward: bool) {
        match change {
            Change::Item { before, after } => {
                let (from, to) = if forward { (before, after) } else { (after, before) };
                match (from, to) {
                    (None, Some(record)) => {
                        self.workspace.upsert_item(record.item.clone());
                        let count = u32::try_from(record.comments.len()).unwrap_or(u32::MAX);
                        self.workspace.set_comment_count(record.item.item_id, count);
                        for child in &record.children {
                            self.workspace.set_parent(*child, Some(record.item.item_id));
                        }
                    }
                    (Some(_), Some(record)) => self.workspace.upsert_item(record.item.clone()),
                    (Some(record), None) => {
                        self.workspace.remove_item(record.item.item_id);
                        self.workspace.set_comment_count(record.item.item_id, 0);
                        // The file let go of its sub-tasks (ON DELETE SET NULL); so does memory.
                        for child in &record.children {
                            self.workspace.set_parent(*child, None);
                        }
                    }
                    (None, None) => {}
                }
            }
            Change::Comment { before, after } => {
                let (from, to) = from_to(before, after, forward);
                if let Some(item_id) = to.or(from).map(|comment| comment.item_id) {
                    let count = self.workspace.comment_count(item_id);
                    let count = match (from, to) {
                        (None, Some(_)) => count + 1,
                        (Some(_), None) => count.saturating_sub(1),
                        _ => count,
                    };
                    self.workspace.set_comment_count(item_id, count);
                }
            }
            Change::Positions { before, after } => {
                self.workspace.set_positions(if forward { after } else { before });
            }
            Change::Columns { before, after } => {
                let mut columns = if forward { after.clone() } else { before.clone() };
                columns.sort_by_key(|column| (column.position, column.column_id));
                self.workspace.columns = columns;
                self.workspace.touch();
            }
            Change::Product { before, after } => {
                self.workspace.product = if forward { after.clone() } else { before.clone() };
            }
            Change::MetricObjective { metric_id, before, after } => {
                let objective = if forward { after } else { before };
                if let Some(metric) = self.workspace.metrics.iter_mut().find(|metric| metric.metric_id == *metric_id) {
                    metric.objective_id = *objective;
                }
                self.workspace.touch();
            }
            Change::Persona { .. } | Change::Insight { .. } => self.apply_research_to_workspace(change, forward),
            Change::ObjectiveIncrement { objective_id, before, after } => {
                let increment = if forward { after } else { before };
                if let Some(objective) =
                    self.workspace.objectives.iter_mut().find(|objective| objective.objective_id == *objective_id)
                {
                    objective.increment_id = *increment;
                }
                self.workspace.touch();
            }
            Change::LabelColour { label, before, after } => {
                match if forward { after } else { before } {
                    Some(colour) => self.workspace.label_colours.insert(label.clone(), *colour),
                    None => self.workspace.label_colours.remove(label),
                };
            }
            // A merge's changeset touches anything: the workspace is loaded again instead.
            Change::Changeset { .. } => {}
            Change::Epic { before, after } => {
                let (from, to) = if forward { (before, after) } else { (after, before) };
                let id = to.as_ref().or(from.as_ref()).map(|epic| epic.epic_id);
                self.workspace.epics.retain(|epic| Some(epic.epic_id) != id);
                if let Some(epic) = to {
                    self.workspace.epics.push(epic.clone());
                    // By start date, as the file lists them (and so the swimlanes).
                    self.workspace.epics.sort_by_key(|epic| (epic.start_date, epic.epic_id));
                }
                self.workspace.touch();
            }
            Change::Objective { before, after } => {
                let (from, to) = if forward { (before, after) } else { (after, before) };
                let id = to.as_ref().or(from.as_ref()).map(|objective| objective.objective_id);
                self.workspace.objectives.retain(|objective| Some(objective.objective_id) != id);
                if let Some(objective) = to {
                    self.workspace.objectives.push(objective.clone());
                    self.workspace.objectives.sort_by_key(|objective| objective.objective_id);
                }
                self.workspace.touch();
            }
            Change::Release { before, after } => {
                let (from, to) = from_to(before, after, forward);
                let id = to.or(from).map(|release| release.release_id);
                self.workspace.releases.retain(|release| Some(release.release_id) != id);
                if let Some(release) = to {
                    self.workspace.releases.push(release.clone());
                    self.workspace.releases.sort_by_key(|release| (release.date, release.release_id));
                }
                self.workspace.touch();
            }
            Change::Increment { before, after } => {
                let (from, to) = from_to(before, after, forward);
                let id = to.or(from).map(|increment| increment.increment_id);
                self.workspace.increments.retain(|increment| Some(increment.increment_id) != id);
                if let Some(increment) = to {
                    self.workspace.increments.push(increment.clone());
                    self.workspace.increments.sort_by_key(|increment| (increment.start_date, increment.increment_id));
                }
                self.workspace.touch();
            }
            Change::Metric { before, after } => {
                let (from, to) = from_to(before, after, forward);
                let id = to.or(from).map(|metric| metric.metric_id);
                self.workspace.metrics.retain(|metric| Some(metric.metric_id) != id);
                if let Some(metric) = to {
                    self.workspace.metrics.push(metric.clone());
                    self.workspace.metrics.sort_by_key(|metric| metric.metric_id);
                }
                self.workspace.touch();
            }
            Change::Sprint { before, after } => {
                let (from, to) = from_to(before, after, forward);
                let id = to.or(from).map(|sprint| sprint.sprint_id);
                self.workspace.sprints.retain(|sprint| Some(sprint.sprint_id) != id);
                if let Some(sprint) = to {
                    self.workspace.sprints.push(sprint.clone());
                    self.workspace.sprints.sort_by_key(|sprint| (sprint.start_date, sprint.sprint_id));
                }
                self.workspace.touch();
            }
        }
    }

    fn column_name(&self, column_id: crate::model::ColumnId) -> String {
        self.workspace.column(column_id).map_or_else(|| "the board".to_owned(), |column| column.name.clone())
    }

    /// "Moved 'X' to position 3 of 12 in Ready."
    fn describe_position(&self, item_id: ItemId, title: &str) -> String {
        let Some(item) = self.workspace.item(item_id) else {
            return format!("Moved '{title}'.");
        };
        let ids = self.workspace.column_items(item.column_id);
        let position = ids.iter().position(|id| *id == item_id).map_or(0, |index| index + 1);
        format!(
            "Moved '{title}' to position {} of {} in {}.{}",
            count(position),
            count(ids.len()),
            self.column_name(item.column_id),
            self.wip_warning(item.column_id)
        )
    }

    /// " ⚠ Ready is over its WIP limit: 9 items, limit 8." when the column is over its limit, so a
    /// move that breaches it says so in words (and to screen readers); empty otherwise.
    pub(crate) fn wip_warning(&self, column_id: crate::model::ColumnId) -> String {
        let Some(column) = self.workspace.column(column_id) else {
            return String::new();
        };
        let items = self.workspace.column_items(column_id).len();
        match column.wip_limit {
            Some(limit) if items > limit as usize => {
                format!(" ⚠ {} is over its WIP limit: {} items, limit {limit}.", column.name, count(items))
            }
            _ => String::new(),
        }
    }

    /// Where an undo or redo put a card back, when it moved one card: " 'Title' is at position 3 of 8
    /// in Ready." (with a WIP warning when that column is now over its limit).
    fn where_now(&self, entry: &UndoEntry, forward: bool) -> String {
        let moved = entry.changes.iter().find_map(|change| match change {
            Change::Positions { before, after } => {
                let positions = if forward { after } else { before };
                match positions.as_slice() {
                    [only] => Some(only.item_id),
                    _ => None,
                }
            }
            _ => None,
        });
        let Some(item) = moved.and_then(|item_id| self.workspace.item(item_id)) else {
            return String::new();
        };
        let ids = self.workspace.column_items(item.column_id);
        let position = ids.iter().position(|id| *id == item.item_id).map_or(0, |index| index + 1);
        format!(
            " '{}' is at position {} of {} in {}.{}",
            item.title,
            count(position),
            count(ids.len()),
            self.column_name(item.column_id),
            self.wip_warning(item.column_id)
        )
    }

    /// Reloads the workspace from its file after another connection (an import on a worker thread)
    /// changed it. The undo history is cleared: its snapshots predate the change.
    ///
    /// # Errors
    /// A store error; the previous state stays shown.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        self.reload_keeping_history()?;
        self.undo = UndoStack::default();
        Ok(())
    }

    /// Reads the workspace again after a change applied as a changeset (an import, or the undo of a
    /// merge or an import), keeping the undo history: like a change from another window, each older
    /// step is checked against the file when it is undone and refused in a sentence if its records
    /// changed since ([`guard`]).
    fn reload_keeping_history(&mut self) -> Result<(), StoreError> {
        self.following = None;
        self.seen_version = self.store.data_version()?;
        self.workspace = self.store.load()?;
        self.last_saved = Some(Timestamp::now());
        Ok(())
    }

    /// Shows the workspace a worker read right after writing its change to this file, as
    /// [`App::reload_keeping_history`] would read it, but without reading it on this (the window's)
    /// thread. When the worker could not read it, or the file has been written since by any other
    /// connection (another window, this one, the command line), the workspace is read here instead.
    fn take_read_back(&mut self, read: Option<jobs::ReadBack>) -> Result<(), StoreError> {
        let Some(read) = read else {
            return self.reload_keeping_history();
        };
        // Asked first: a commit after this is seen by the next look at the file, and a commit before
        // it (after the worker's read) by `still_current`.
        let version = self.store.data_version()?;
        if !read.still_current()? {
            return self.reload_keeping_history();
        }
        let (workspace, store) = read.into_parts();
        let before = std::mem::replace(&mut self.workspace, workspace);
        self.following = None;
        self.seen_version = version;
        self.last_saved = Some(Timestamp::now());
        // Freeing 100,000 items and closing a connection take milliseconds the window need not wait
        // for; where no thread can be started, they are let go here.
        let _ = std::thread::Builder::new().name("tandem-let-go".to_owned()).spawn(move || drop((before, store)));
        Ok(())
    }

    /// Shows an import another connection (the worker thread) merged into this workspace, and makes it
    /// one undo step: `changeset` is what the import wrote, which undo inverts and redo applies again,
    /// refused whole when anything it wrote has changed since. An empty changeset (nothing written) adds
    /// no step.
    ///
    /// # Errors
    /// A store error; the previous state stays shown.
    pub fn imported(
        &mut self,
        description: String,
        changeset: std::sync::Arc<[u8]>,
        read: Option<jobs::ReadBack>,
    ) -> Result<(), StoreError> {
        self.take_read_back(read)?;
        if !changeset.is_empty() {
            self.undo
                .push(UndoEntry { description, changes: vec![Change::Changeset { changeset, imported: Vec::new() }] });
        }
        Ok(())
    }

    /// Shows what another window or program (the command line, a sync tool) committed to the file
    /// since this window last looked: reloads the workspace when the file changed, and says whether it
    /// did. The undo history is kept; an undo that would overwrite the other change is refused when
    /// it is tried ([`guard`]).
    ///
    /// # Errors
    /// A store error; the previous state stays shown.
    pub fn follow_external_changes(&mut self) -> Result<bool, StoreError> {
        self.following = None;
        let version = self.store.data_version()?;
        if version == self.seen_version {
            return Ok(false);
        }
        self.workspace = self.store.load()?;
        self.seen_version = version;
        Ok(true)
    }

    /// [`App::follow_external_changes`] as the window does it: above `worker_above` items the file is
    /// read again on a worker thread, and the workspace shown stays as it was until the new one is in
    /// hand (asked about again every frame; true once it is shown). A read that a commit made after it
    /// began has outdated (this window's own change, or another one) is let go and begun again; after
    /// three in a row, and when the worker cannot read the file, the file is read here.
    ///
    /// # Errors
    /// A SQLite error; the workspace shown stays as it was.
    pub fn follow_external_changes_beside(&mut self, worker_above: usize) -> Result<bool, StoreError> {
        if let Some((following, misses)) = self.following.take() {
            let Some(read) = following.poll() else {
                self.following = Some((following, misses));
                return Ok(false);
            };
            let jobs::Followed::Read(read) = read else {
                return self.follow_external_changes();
            };
            // Asked first: a commit after this is seen by the next look at the file, and one before it
            // (after the worker's read) by `still_current`.
            let version = self.store.data_version()?;
            if !read.still_current()? {
                if misses < 2 && self.begin_following(misses + 1) {
                    return Ok(false);
                }
                return self.follow_external_changes();
            }
            let (workspace, store) = (*read).into_parts();
            let before = std::mem::replace(&mut self.workspace, workspace);
            self.seen_version = version;
            let _ = std::thread::Builder::new().name("tandem-let-go".to_owned()).spawn(move || drop((before, store)));
            return Ok(true);
        }
        if self.workspace.item_count() <= worker_above {
            return self.follow_external_changes();
        }
        if self.store.data_version()? == self.seen_version {
            return Ok(false);
        }
        if self.begin_following(0) { Ok(false) } else { self.follow_external_changes() }
    }

    /// Starts reading the file on a worker thread; false when no thread could be started.
    fn begin_following(&mut self, misses: u8) -> bool {
        self.following = jobs::Following::start(self.store.path()).map(|following| (following, misses));
        self.following.is_some()
    }

    /// Whether the file is being read again on a worker thread ([`App::follow_external_changes_beside`]).
    #[must_use]
    pub fn is_following(&self) -> bool {
        self.following.is_some()
    }

    /// Writes a consistent copy of the workspace to `destination`.
    ///
    /// # Errors
    /// A store or file error.
    pub fn save_copy(&self, destination: &Path) -> Result<PathBuf, StoreError> {
        // Store::save_copy refuses the open workspace itself, however its path is spelt.
        self.store.save_copy(destination)?;
        Ok(destination.to_owned())
    }
}

/// Undoes (`forward` false) or redoes a merge or an import inside `tx`: its changeset inverted or as
/// it is, applied exactly (refused whole, in a sentence naming it by the first word of `description`,
/// when a record it touched has changed since), and the partner's journal entries it brought taken
/// out or put back. The window's own replay and the worker thread's ([`jobs::Work::Replay`]) share it.
///
/// # Errors
/// [`StoreError::Conflict`] when a record changed since; a SQLite error (an interrupted apply).
pub(crate) fn replay_changeset_in_tx(
    tx: &rusqlite::Transaction<'_>,
    changeset: &[u8],
    imported: &[(String, Vec<u8>)],
    forward: bool,
    description: &str,
) -> Result<(), StoreError> {
    let inverted;
    let changeset = if forward {
        changeset
    } else {
        inverted = crate::store::journal::inverted(changeset)?;
        inverted.as_slice()
    };
    let action = if forward { "redo" } else { "undo" };
    // "import 6 items from board.json" or "merge from copy.sqlite": said by its first word.
    let what = description.split_whitespace().next().unwrap_or("change");
    crate::store::merge::apply_exactly(tx, changeset, action, what)?;
    crate::store::journal::set_imported(tx, imported, forward)
}
