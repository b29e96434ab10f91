//! The running workspace: turns [`Command`]s into store transactions, keeps the in-memory
//! [`Workspace`] in step with what was committed, and records undo.
//!
//! Undo entries are snapshots of what a command changed (before and after), so undo and redo are the
//! same operation in two directions and need no per-command inverse logic.

mod guard;
mod undo;

use std::path::{Path, PathBuf};

pub use undo::{Change, UNDO_LIMIT, UndoEntry, UndoStack, from_to};

use crate::demo;
use crate::interchange::document::DocumentError;
use crate::model::{
    BacklogItem, Column, ColumnId, Epic, EpicId, ItemId, ItemPosition, ItemRecord, Metric, MetricId, Objective,
    Product, Sprint, SprintId, Timestamp, Workspace,
};
use crate::store::items::{
    create_item_in_tx, delete_item_in_tx, history_in_tx, move_item_in_tx, move_items_in_tx, put_item_in_tx,
    restore_item_in_tx, set_positions_in_tx, update_item_in_tx,
};
use crate::store::planning::{
    delete_epic_in_tx, delete_metric_in_tx, delete_objective_in_tx, delete_sprint_in_tx, insert_column_in_tx,
    insert_epic_in_tx, insert_metric_in_tx, insert_objective_in_tx, insert_sprint_in_tx, restore_epic_in_tx,
    restore_metric_in_tx, restore_objective_in_tx, restore_sprint_in_tx, set_columns_in_tx, update_epic_in_tx,
    update_metric_in_tx, update_objective_in_tx, update_product_in_tx, update_sprint_in_tx,
};
use crate::store::{MoveTarget, Opened, Store, StoreError};

/// How long a change from the window waits for another program's lock before it is refused.
const BUSY_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// What a command did: its undo description, its changes, the item to select, and the message to show.
type Planned = (String, Vec<Change>, Option<ItemId>, String);

/// "3 samples", "1 sample".
fn samples(count: usize) -> String {
    crate::interchange::convert::plural(count, "sample")
}

/// "27 of 30 points committed." or "34 of 30 points committed: 4 over capacity."
#[must_use]
pub fn capacity_words(committed: f64, capacity: f64) -> String {
    let number = |value: f64| format!("{value}");
    if committed > capacity {
        format!(
            "{} of {} points committed: {} over capacity.",
            number(committed),
            number(capacity),
            number(committed - capacity)
        )
    } else {
        format!("{} of {} points committed.", number(committed), number(capacity))
    }
}

/// Something the user asked for. The UI emits these; only [`App::apply`] carries them out.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Adds an item at the bottom of its column.
    CreateItem(BacklogItem),
    /// Saves an edited item.
    UpdateItem(BacklogItem),
    /// Deletes an item.
    DeleteItem(ItemId),
    /// Moves an item within or across columns.
    MoveItem {
        /// The item.
        item_id: ItemId,
        /// Where it lands.
        target: MoveTarget,
    },
    /// Moves several items as a block (a multi-selection), keeping their order.
    MoveItems {
        /// The items, in the order they should end up.
        item_ids: Vec<ItemId>,
        /// Where the first lands; the others follow it.
        target: MoveTarget,
    },
    /// Moves cards into a swimlane: to a place in a column and, where it differs, to the lane's epic.
    MoveToLane {
        /// The items, in the order they should end up.
        item_ids: Vec<ItemId>,
        /// Where the first lands; the others follow it.
        target: MoveTarget,
        /// The lane's epic (`None` for the lane of items without an epic).
        epic_id: Option<EpicId>,
    },
    /// Renames the product or edits its vision.
    UpdateProduct(Product),
    /// Adds an epic to the roadmap.
    CreateEpic(Epic),
    /// Saves an epic: new dates from a drag or the keyboard, or edits from its editor.
    UpdateEpic(Epic),
    /// Adds an objective with its key results.
    CreateObjective(Objective),
    /// Saves an objective and its key results.
    UpdateObjective(Objective),
    /// Adds a KPI with its samples.
    CreateMetric(Metric),
    /// Saves a KPI: its definition and all its samples.
    UpdateMetric(Metric),
    /// Deletes a KPI and its samples.
    DeleteMetric(MetricId),
    /// Adds a sprint.
    CreateSprint(Sprint),
    /// Saves a sprint's name, goal, dates or capacity.
    UpdateSprint(Sprint),
    /// Deletes a sprint; its items go back to the unplanned backlog.
    DeleteSprint(SprintId),
    /// Plans items in a sprint, or takes them out of their sprint (`None`).
    PlanInSprint {
        /// The items (a dragged multi-selection moves together).
        item_ids: Vec<ItemId>,
        /// The sprint, or `None` for the unplanned backlog.
        sprint_id: Option<SprintId>,
    },
    /// Adds a column at the right end of the board.
    AddColumn {
        /// Its name.
        name: String,
    },
    /// Renames a column or changes its WIP limit or done flag.
    UpdateColumn(Column),
    /// Moves a column to another place, counted from the left starting at 0.
    MoveColumn {
        /// The column.
        column_id: ColumnId,
        /// Its new place.
        to_index: usize,
    },
    /// Deletes an empty column.
    DeleteColumn(ColumnId),
    /// Reorders a column by a prioritisation score, highest first; unscored items keep their order
    /// below the scored ones.
    OrderColumnBy {
        /// The column.
        column_id: ColumnId,
        /// Which score.
        score: PriorityScore,
    },
}

/// A prioritisation score to order by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityScore {
    /// Weighted shortest job first.
    Wsjf,
    /// Reach × impact × confidence ÷ effort.
    Rice,
}

impl PriorityScore {
    /// The name a user reads.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Wsjf => "WSJF",
            Self::Rice => "RICE",
        }
    }

    /// The item's score, if it has one.
    #[must_use]
    pub fn of(self, item: &BacklogItem) -> Option<f64> {
        match self {
            Self::Wsjf => item.wsjf(),
            Self::Rice => item.rice(),
        }
    }
}

/// What [`App::apply`] did, for the UI to follow up (select the new item, announce the move).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The item the command created or changed, if any.
    pub item_id: Option<ItemId>,
    /// A sentence saying what happened, for the status bar and screen readers.
    pub message: String,
}

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
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
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
        Ok(Self { store, workspace, undo: UndoStack::default(), last_saved: None, seen_version })
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
        let (description, changes, item_id, message) = match command {
            Command::CreateItem(item) => {
                let record = self.store.write(|tx| {
                    let item = create_item_in_tx(tx, &item)?;
                    let history = history_in_tx(tx, item.item_id)?;
                    Ok(ItemRecord { item, history })
                })?;
                let title = record.item.title.clone();
                let item_id = record.item.item_id;
                let column = self.column_name(record.item.column_id);
                (
                    format!("create '{title}'"),
                    vec![Change::Item { before: None, after: Some(record) }],
                    Some(item_id),
                    format!("Created '{title}' at the bottom of {column}."),
                )
            }
            Command::UpdateItem(item) => {
                let base = self.workspace.item(item.item_id).cloned();
                let (before, after) = self.store.write(|tx| {
                    let edited = match &base {
                        Some(base) => guard::rebase_in_tx(tx, base, &item)?,
                        None => item.clone(),
                    };
                    update_item_in_tx(tx, &edited, now)
                })?;
                let title = after.title.clone();
                let item_id = after.item_id;
                (
                    format!("edit '{title}'"),
                    vec![Change::Item {
                        before: Some(ItemRecord { item: before, history: Vec::new() }),
                        after: Some(ItemRecord { item: after, history: Vec::new() }),
                    }],
                    Some(item_id),
                    format!("Saved '{title}'."),
                )
            }
            Command::DeleteItem(item_id) => {
                let record = self.store.write(|tx| delete_item_in_tx(tx, item_id))?;
                let title = record.item.title.clone();
                (
                    format!("delete '{title}'"),
                    vec![Change::Item { before: Some(record), after: None }],
                    None,
                    format!("Deleted '{title}'. Press Ctrl+Z to bring it back."),
                )
            }
            Command::MoveItem { item_id, target } => {
                let outcome = self.store.write(|tx| move_item_in_tx(tx, item_id, target, now))?;
                let title = self.workspace.item(item_id).map(|item| item.title.clone()).unwrap_or_default();
                if outcome.rows_written == 0 {
                    return Ok(Applied { item_id: Some(item_id), message: format!("'{title}' is already there.") });
                }
                let change = Change::Positions { before: outcome.before, after: outcome.after };
                self.apply_to_workspace(&change, true);
                self.last_saved = Some(now);
                let message = self.describe_position(item_id, &title);
                self.undo.push(UndoEntry { description: format!("move '{title}'"), changes: vec![change] });
                return Ok(Applied { item_id: Some(item_id), message });
            }
            Command::MoveItems { item_ids, target } => {
                let outcome = self.store.write(|tx| move_items_in_tx(tx, &item_ids, target, now))?;
                let count = item_ids.len();
                let column = self.column_name(target.column_id);
                if outcome.rows_written == 0 {
                    return Ok(Applied {
                        item_id: item_ids.first().copied(),
                        message: format!("The {count} cards are already there."),
                    });
                }
                let change = Change::Positions { before: outcome.before, after: outcome.after };
                self.apply_to_workspace(&change, true);
                self.last_saved = Some(now);
                let position = item_ids
                    .first()
                    .and_then(|first| self.workspace.column_items(target.column_id).iter().position(|id| id == first));
                let message = format!(
                    "Moved {count} cards to positions {} to {} of {} in {column}.",
                    position.map_or(0, |index| index + 1),
                    position.map_or(0, |index| index + count),
                    self.workspace.column_items(target.column_id).len()
                );
                self.undo.push(UndoEntry { description: format!("move {count} cards"), changes: vec![change] });
                return Ok(Applied { item_id: item_ids.first().copied(), message });
            }
            Command::MoveToLane { item_ids, target, epic_id } => {
                let (outcome, epic_changes) = self.store.write(|tx| {
                    let outcome = move_items_in_tx(tx, &item_ids, target, now)?;
                    let mut epic_changes = Vec::new();
                    for item_id in &item_ids {
                        let before = crate::store::items::item_in_tx(tx, *item_id)?;
                        if before.epic_id != epic_id {
                            let mut after = before.clone();
                            after.epic_id = epic_id;
                            after.updated_at = now;
                            put_item_in_tx(tx, &after, now)?;
                            epic_changes.push(Change::Item {
                                before: Some(ItemRecord { item: before, history: Vec::new() }),
                                after: Some(ItemRecord { item: after, history: Vec::new() }),
                            });
                        }
                    }
                    Ok((outcome, epic_changes))
                })?;
                let count = item_ids.len();
                let lane = epic_id
                    .and_then(|epic_id| self.workspace.epic(epic_id))
                    .map_or_else(|| "no epic".to_owned(), |epic| format!("the epic '{}'", epic.title));
                let mut changes = vec![Change::Positions { before: outcome.before, after: outcome.after }];
                let epic_count = epic_changes.len();
                changes.extend(epic_changes);
                let first = item_ids.first().copied();
                let title =
                    first.and_then(|id| self.workspace.item(id)).map(|item| item.title.clone()).unwrap_or_default();
                for change in &changes {
                    self.apply_to_workspace(change, true);
                }
                self.last_saved = Some(now);
                let place = first.map(|id| self.describe_position(id, &title)).unwrap_or_default();
                let message = if epic_count > 0 { format!("{place} It now belongs to {lane}.") } else { place };
                let description = if count == 1 { format!("move '{title}'") } else { format!("move {count} cards") };
                self.undo.push(UndoEntry { description, changes });
                return Ok(Applied { item_id: first, message });
            }
            Command::AddColumn { name } => {
                // The place comes from the file, inside the transaction: another window or the command
                // line may have added a column since this one last looked.
                let (before, after) = self.store.write(|tx| {
                    let stored = crate::store::planning::columns_in_tx(tx)?;
                    let position = stored.iter().map(|column| column.position).max().map_or(0, |last| last + 1);
                    let draft = Column { column_id: ColumnId(0), name, position, wip_limit: None, is_done: false };
                    let added = insert_column_in_tx(tx, &draft)?;
                    let mut after = stored.clone();
                    after.push(added);
                    Ok((stored, after))
                })?;
                let added_name = after.last().map(|column| column.name.clone()).unwrap_or_default();
                let message = format!("Added the column '{added_name}' at the right end of the board.");
                ("add a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            Command::UpdateColumn(column) => {
                let before = self.workspace.columns.clone();
                let after: Vec<Column> = before
                    .iter()
                    .map(
                        |existing| {
                            if existing.column_id == column.column_id { column.clone() } else { existing.clone() }
                        },
                    )
                    .collect();
                self.store.write(|tx| {
                    let change = Change::Columns { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "change the columns")?;
                    set_columns_in_tx(tx, &after)
                })?;
                let message = format!("Saved the column '{}'.", column.name.trim());
                ("edit a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            Command::MoveColumn { column_id, to_index } => {
                let before = self.workspace.columns.clone();
                let mut after = before.clone();
                let Some(from_index) = after.iter().position(|column| column.column_id == column_id) else {
                    return Err(StoreError::NotFound { what: "column", id: column_id.0 });
                };
                let column = after.remove(from_index);
                let name = column.name.clone();
                let to_index = to_index.min(after.len());
                after.insert(to_index, column);
                for (position, column) in (0..).zip(after.iter_mut()) {
                    column.position = position;
                }
                self.store.write(|tx| {
                    let change = Change::Columns { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "change the columns")?;
                    set_columns_in_tx(tx, &after)
                })?;
                let message = format!("Moved the column '{name}' to place {} of {}.", to_index + 1, after.len());
                ("move a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            Command::DeleteColumn(column_id) => {
                let before = self.workspace.columns.clone();
                let after: Vec<Column> =
                    before.iter().filter(|column| column.column_id != column_id).cloned().collect();
                self.store.write(|tx| {
                    let change = Change::Columns { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "change the columns")?;
                    set_columns_in_tx(tx, &after)
                })?;
                let name = before.iter().find(|column| column.column_id == column_id).map(|column| column.name.clone());
                let message =
                    format!("Deleted the column '{}'. Press Ctrl+Z to bring it back.", name.unwrap_or_default());
                ("delete a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            Command::OrderColumnBy { column_id, score } => {
                let ids = self.workspace.column_items(column_id).to_vec();
                let mut scored: Vec<(ItemId, Option<f64>)> = ids
                    .iter()
                    .map(|item_id| (*item_id, self.workspace.item(*item_id).and_then(|item| score.of(item))))
                    .collect();
                // Stable: equal scores and unscored items keep their current order.
                scored.sort_by(|a, b| match (a.1, b.1) {
                    (Some(x), Some(y)) => y.total_cmp(&x),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                });
                let ranks = crate::model::rank::spread(None, None, scored.len())
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                let before: Vec<ItemPosition> =
                    ids.iter().filter_map(|item_id| self.workspace.item(*item_id).map(BacklogItem::position)).collect();
                let after: Vec<ItemPosition> = scored
                    .iter()
                    .zip(ranks)
                    .map(|((item_id, _), rank)| ItemPosition { item_id: *item_id, column_id, rank })
                    .collect();
                self.store.write(|tx| {
                    let change = Change::Positions { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "reorder the column")?;
                    set_positions_in_tx(tx, &after, now)
                })?;
                let with_score = scored.iter().filter(|(_, value)| value.is_some()).count();
                let column = self.column_name(column_id);
                let message = format!(
                    "Ordered {column} by {}: {with_score} scored cards first, highest on top. Ctrl+Z restores the previous order.",
                    score.label()
                );
                (
                    format!("order {column} by {}", score.label()),
                    vec![Change::Positions { before, after }],
                    None,
                    message,
                )
            }
            Command::UpdateProduct(product) => {
                let before = self.workspace.product.clone();
                self.store.write(|tx| {
                    let change = Change::Product { before: before.clone(), after: product.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "rename the product")?;
                    update_product_in_tx(tx, &product)
                })?;
                let after = Product { name: product.name.trim().to_owned(), vision: product.vision };
                let message = format!("Renamed the product to '{}'.", after.name);
                ("edit the product".to_owned(), vec![Change::Product { before, after }], None, message)
            }
            Command::CreateEpic(epic) => {
                let stored = self.store.write(|tx| insert_epic_in_tx(tx, &epic))?;
                let message = format!(
                    "Created the epic '{}', {} to {}.",
                    stored.title,
                    stored.start_date.strftime("%-d %b %Y"),
                    stored.end_date.strftime("%-d %b %Y")
                );
                (
                    format!("create epic '{}'", stored.title),
                    vec![Change::Epic { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            Command::UpdateEpic(epic) => {
                let before = self
                    .workspace
                    .epic(epic.epic_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "epic", id: epic.epic_id.0 })?;
                self.store.write(|tx| {
                    let change = Change::Epic { before: Some(before.clone()), after: Some(epic.clone()) };
                    guard::check_replay_in_tx(tx, &change, true, "change the epic")?;
                    update_epic_in_tx(tx, &epic)
                })?;
                let after = Epic { title: epic.title.trim().to_owned(), ..epic };
                let message = describe_epic_change(&before, &after);
                (
                    format!("change epic '{}'", after.title),
                    vec![Change::Epic { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            command @ (Command::CreateMetric(_)
            | Command::UpdateMetric(_)
            | Command::DeleteMetric(_)
            | Command::CreateSprint(_)
            | Command::UpdateSprint(_)
            | Command::DeleteSprint(_)
            | Command::PlanInSprint { .. }) => self.apply_metrics_and_sprints(command, now)?,
            Command::CreateObjective(objective) => {
                let stored = self.store.write(|tx| insert_objective_in_tx(tx, &objective))?;
                let message = format!("Added the objective '{}'.", stored.title);
                (
                    format!("add objective '{}'", stored.title),
                    vec![Change::Objective { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            Command::UpdateObjective(objective) => {
                let before = self
                    .workspace
                    .objectives
                    .iter()
                    .find(|existing| existing.objective_id == objective.objective_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "objective", id: objective.objective_id.0 })?;
                self.store.write(|tx| update_objective_in_tx(tx, &objective))?;
                let after = Objective { title: objective.title.trim().to_owned(), ..objective };
                let message = format!("Saved the objective '{}'.", after.title);
                (
                    format!("edit objective '{}'", after.title),
                    vec![Change::Objective { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
        };
        for change in &changes {
            self.apply_to_workspace(change, true);
        }
        self.last_saved = Some(now);
        self.undo.push(UndoEntry { description, changes });
        Ok(Applied { item_id, message })
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
                let message = format!("Undid: {}.", entry.description);
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
                let message = format!("Redid: {}.", entry.description);
                self.undo.push_back_undo(entry);
                Ok(Some(message))
            }
            Err(error) => {
                self.undo.push_redo(entry);
                Err(error)
            }
        }
    }

    fn replay(&mut self, entry: &UndoEntry, forward: bool) -> Result<(), StoreError> {
        let now = Timestamp::now();
        self.store.write(|tx| {
            let ordered: Box<dyn Iterator<Item = &Change>> =
                if forward { Box::new(entry.changes.iter()) } else { Box::new(entry.changes.iter().rev()) };
            let action = if forward { "redo" } else { "undo" };
            for change in ordered {
                guard::check_replay_in_tx(tx, change, forward, action)?;
                match change {
                    Change::Item { before, after } => {
                        let (from, to) = if forward { (before, after) } else { (after, before) };
                        match (from, to) {
                            (None, Some(record)) => restore_item_in_tx(tx, record)?,
                            (Some(record), None) => {
                                delete_item_in_tx(tx, record.item.item_id)?;
                            }
                            (Some(_), Some(record)) => put_item_in_tx(tx, &record.item, now)?,
                            (None, None) => {}
                        }
                    }
                    Change::Positions { before, after } => {
                        set_positions_in_tx(tx, if forward { after } else { before }, now)?;
                    }
                    Change::Product { before, after } => {
                        update_product_in_tx(tx, if forward { after } else { before })?;
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
                    Change::Sprint { before, after } => match from_to(before, after, forward) {
                        (Some(_), Some(sprint)) => update_sprint_in_tx(tx, sprint)?,
                        (None, Some(sprint)) => restore_sprint_in_tx(tx, sprint)?,
                        (Some(sprint), None) => delete_sprint_in_tx(tx, sprint.sprint_id)?,
                        (None, None) => {}
                    },
                }
            }
            Ok(())
        })?;
        for change in &entry.changes {
            self.apply_to_workspace(change, forward);
        }
        self.last_saved = Some(now);
        Ok(())
    }

    fn apply_to_workspace(&mut self, change: &Change, forward: bool) {
        match change {
            Change::Item { before, after } => {
                let (from, to) = if forward { (before, after) } else { (after, before) };
                match (from, to) {
                    (_, Some(record)) => self.workspace.upsert_item(record.item.clone()),
                    (Some(record), None) => {
                        self.workspace.remove_item(record.item.item_id);
                    }
                    (None, None) => {}
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
            Change::Epic { before, after } => {
                let (from, to) = if forward { (before, after) } else { (after, before) };
                let id = to.as_ref().or(from.as_ref()).map(|epic| epic.epic_id);
                self.workspace.epics.retain(|epic| Some(epic.epic_id) != id);
                if let Some(epic) = to {
                    self.workspace.epics.push(epic.clone());
                    self.workspace.epics.sort_by_key(|epic| epic.epic_id);
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

    /// KPI and sprint commands: the part of [`App::apply`] that serves the metrics view and sprint planning.
    fn apply_metrics_and_sprints(&mut self, command: Command, now: Timestamp) -> Result<Planned, StoreError> {
        Ok(match command {
            Command::CreateMetric(metric) => {
                let stored = self.store.write(|tx| insert_metric_in_tx(tx, &metric))?;
                let message = format!("Added the KPI '{}' with {}.", stored.name, samples(stored.samples.len()));
                (
                    format!("add KPI '{}'", stored.name),
                    vec![Change::Metric { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            Command::UpdateMetric(metric) => {
                let before = self
                    .workspace
                    .metrics
                    .iter()
                    .find(|existing| existing.metric_id == metric.metric_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "metric", id: metric.metric_id.0 })?;
                self.store.write(|tx| update_metric_in_tx(tx, &metric))?;
                let after = Metric { name: metric.name.trim().to_owned(), ..metric };
                let message = format!("Saved the KPI '{}' with {}.", after.name, samples(after.samples.len()));
                (
                    format!("edit KPI '{}'", after.name),
                    vec![Change::Metric { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            Command::DeleteMetric(metric_id) => {
                let before = self
                    .workspace
                    .metrics
                    .iter()
                    .find(|existing| existing.metric_id == metric_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "metric", id: metric_id.0 })?;
                self.store.write(|tx| delete_metric_in_tx(tx, metric_id))?;
                let message = format!("Deleted the KPI '{}'. Press Ctrl+Z to bring it back.", before.name);
                (
                    format!("delete KPI '{}'", before.name),
                    vec![Change::Metric { before: Some(before), after: None }],
                    None,
                    message,
                )
            }
            Command::CreateSprint(sprint) => {
                let stored = self.store.write(|tx| insert_sprint_in_tx(tx, &sprint))?;
                let message = format!(
                    "Added {}, {} to {}, capacity {} points.",
                    stored.name,
                    stored.start_date.strftime("%-d %b"),
                    stored.end_date.strftime("%-d %b %Y"),
                    stored.capacity_points
                );
                (
                    format!("add sprint '{}'", stored.name),
                    vec![Change::Sprint { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            Command::UpdateSprint(sprint) => {
                let before = self
                    .workspace
                    .sprint(sprint.sprint_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "sprint", id: sprint.sprint_id.0 })?;
                self.store.write(|tx| update_sprint_in_tx(tx, &sprint))?;
                let after = Sprint { name: sprint.name.trim().to_owned(), ..sprint };
                let message = format!("Saved {}.", after.name);
                (
                    format!("edit sprint '{}'", after.name),
                    vec![Change::Sprint { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            Command::DeleteSprint(sprint_id) => {
                let before = self
                    .workspace
                    .sprint(sprint_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "sprint", id: sprint_id.0 })?;
                let planned: Vec<BacklogItem> =
                    self.workspace.items().filter(|item| item.sprint_id == Some(sprint_id)).cloned().collect();
                // Items leave the sprint first, so that undo (which runs backwards) brings the sprint back
                // before it puts them in it again.
                let mut changes: Vec<Change> = Vec::with_capacity(planned.len() + 1);
                self.store.write(|tx| {
                    for item in &planned {
                        let unplanned = BacklogItem { sprint_id: None, ..item.clone() };
                        let unplanned = guard::rebase_in_tx(tx, item, &unplanned)?;
                        let (old, new) = update_item_in_tx(tx, &unplanned, now)?;
                        changes.push(Change::Item {
                            before: Some(ItemRecord { item: old, history: Vec::new() }),
                            after: Some(ItemRecord { item: new, history: Vec::new() }),
                        });
                    }
                    delete_sprint_in_tx(tx, sprint_id)
                })?;
                let message = format!(
                    "Deleted {}; its {} went back to the unplanned backlog. Press Ctrl+Z to bring it back.",
                    before.name,
                    crate::interchange::convert::plural(planned.len(), "item")
                );
                changes.push(Change::Sprint { before: Some(before.clone()), after: None });
                (format!("delete sprint '{}'", before.name), changes, None, message)
            }
            Command::PlanInSprint { item_ids, sprint_id } => {
                let sprint = match sprint_id {
                    Some(sprint_id) => Some(
                        self.workspace
                            .sprint(sprint_id)
                            .cloned()
                            .ok_or(StoreError::NotFound { what: "sprint", id: sprint_id.0 })?,
                    ),
                    None => None,
                };
                let items: Vec<BacklogItem> = item_ids
                    .iter()
                    .map(|id| self.workspace.item(*id).cloned().ok_or(StoreError::NotFound { what: "item", id: id.0 }))
                    .collect::<Result<_, _>>()?;
                let left = items
                    .first()
                    .and_then(|item| item.sprint_id)
                    .and_then(|id| self.workspace.sprint(id))
                    .map(|sprint| sprint.name.clone());
                let joining: f64 =
                    items.iter().filter(|item| item.sprint_id != sprint_id).filter_map(|item| item.points).sum();
                let mut changes = Vec::with_capacity(items.len());
                self.store.write(|tx| {
                    for item in &items {
                        let planned = BacklogItem { sprint_id, ..item.clone() };
                        let planned = guard::rebase_in_tx(tx, item, &planned)?;
                        let (before, after) = update_item_in_tx(tx, &planned, now)?;
                        changes.push(Change::Item {
                            before: Some(ItemRecord { item: before, history: Vec::new() }),
                            after: Some(ItemRecord { item: after, history: Vec::new() }),
                        });
                    }
                    Ok(())
                })?;
                let what = match items.as_slice() {
                    [one] => format!("'{}'", one.title),
                    many => crate::interchange::convert::plural(many.len(), "item"),
                };
                let (description, message) = match sprint {
                    Some(sprint) => {
                        let committed = self.workspace.sprint_points(sprint.sprint_id) + joining;
                        (
                            format!("plan {what} in {}", sprint.name),
                            format!(
                                "Planned {what} in {}. {}",
                                sprint.name,
                                capacity_words(committed, sprint.capacity_points)
                            ),
                        )
                    }
                    None => (
                        format!("take {what} out of the sprint"),
                        format!("Took {what} out of {}.", left.unwrap_or_else(|| "its sprint".to_owned())),
                    ),
                };
                (description, changes, item_ids.first().copied(), message)
            }
            other => return Err(StoreError::Corrupt(format!("not a KPI or sprint command: {other:?}"))),
        })
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
        format!("Moved '{title}' to position {position} of {} in {}.", ids.len(), self.column_name(item.column_id))
    }

    /// Exports the workspace to a file.
    ///
    /// # Errors
    /// A file or store error; the workspace is never changed.
    pub fn export(
        &mut self,
        format: crate::interchange::Format,
        out: &Path,
    ) -> Result<(), crate::interchange::InterchangeError> {
        crate::interchange::export(&mut self.store, format, out)
    }

    /// What importing `document` into this workspace would do, without doing it.
    ///
    /// # Errors
    /// A document or store error.
    pub fn preview_import(
        &mut self,
        document: &crate::interchange::document::Document,
    ) -> Result<crate::interchange::document::ImportReport, crate::interchange::InterchangeError> {
        crate::interchange::import(&mut self.store, document, true, true)
    }

    /// Merges `document` into this workspace in one transaction and reloads the views' data. An import
    /// is not undoable; the report says what it added.
    ///
    /// # Errors
    /// A document or store error; then nothing was imported.
    pub fn import(
        &mut self,
        document: &crate::interchange::document::Document,
    ) -> Result<crate::interchange::document::ImportReport, crate::interchange::InterchangeError> {
        let report = crate::interchange::import(&mut self.store, document, true, false)?;
        self.workspace = self.store.load()?;
        self.last_saved = Some(Timestamp::now());
        Ok(report)
    }

    /// Reloads the workspace from its file after another connection (an import on a worker thread)
    /// changed it. The undo history is cleared: its snapshots predate the change.
    ///
    /// # Errors
    /// A store error; the previous state stays shown.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        self.seen_version = self.store.data_version()?;
        self.workspace = self.store.load()?;
        self.undo = UndoStack::default();
        self.last_saved = Some(Timestamp::now());
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
        let version = self.store.data_version()?;
        if version == self.seen_version {
            return Ok(false);
        }
        self.workspace = self.store.load()?;
        self.seen_version = version;
        Ok(true)
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

/// "Moved 'Checkout' to 4 Jan – 29 Jan 2027 (1 week later)." for a drag or a key press on the roadmap.
fn describe_epic_change(before: &Epic, after: &Epic) -> String {
    let span =
        |epic: &Epic| format!("{} – {}", epic.start_date.strftime("%-d %b %Y"), epic.end_date.strftime("%-d %b %Y"));
    let days = |from: crate::model::Date, to: crate::model::Date| from.until(to).map_or(0, |span| span.get_days());
    let shift = days(before.start_date, after.start_date);
    let stretch = days(before.end_date, after.end_date);
    let amount = |days: i32| {
        let count = days.unsigned_abs();
        if count.is_multiple_of(7) {
            let weeks = count / 7;
            if weeks == 1 { "1 week".to_owned() } else { format!("{weeks} weeks") }
        } else if count == 1 {
            "1 day".to_owned()
        } else {
            format!("{count} days")
        }
    };
    let when = |days: i32| if days > 0 { "later" } else { "earlier" };
    if shift != 0 && shift == stretch && before.title == after.title {
        format!("Moved '{}' to {} ({} {}).", after.title, span(after), amount(shift), when(shift))
    } else if shift == 0 && stretch != 0 {
        format!(
            "'{}' now ends {} ({} {}).",
            after.title,
            after.end_date.strftime("%-d %b %Y"),
            amount(stretch),
            when(stretch)
        )
    } else if stretch == 0 && shift != 0 {
        format!(
            "'{}' now starts {} ({} {}).",
            after.title,
            after.start_date.strftime("%-d %b %Y"),
            amount(shift),
            when(shift)
        )
    } else {
        format!("Saved the epic '{}', {}.", after.title, span(after))
    }
}
