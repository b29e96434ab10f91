//! Carrying out what the views asked for: commands through the app (with the editor kept in step),
//! undo and redo, and other windows' changes followed.

use super::{
    App, BUSY_GIVE_UP, Command, EditorState, FileMode, FilePurpose, FileRequest, LeaveEditor, NewWorkspace, TandemApp,
    UiAction, View, Waiting, columns,
};
use crate::app::{ColumnCommand, ItemCommand, PlanningCommand};

impl TandemApp {
    /// `action`, or `None` when it must wait for an answer about unsaved edits (in a window, or in the
    /// item editor), which then carries it out.
    fn unless_asking_first(&mut self, action: UiAction) -> Option<UiAction> {
        if Self::leaves_workspace(&action) && self.waiting.is_some() {
            // The change belongs to this workspace: leaving would drop it without a word, or (worse) make
            // it in the next one.
            self.complain(STILL_WAITING);
            return None;
        }
        if Self::leaves_workspace(&action) && !self.dirty_windows().is_empty() {
            self.unsaved_windows = Some(action);
            return None;
        }
        if self.leaves_editor(&action) && self.editor.as_ref().is_some_and(EditorState::is_dirty) {
            self.unsaved = Some(LeaveEditor { then: Some(action) });
            return None;
        }
        Some(action)
    }

    /// Shows the board filtered to an epic's items, or to the items answering UX research, and says so.
    fn show_on_board(&mut self, action: UiAction) {
        let workspace = self.app.as_ref().map(crate::app::App::workspace);
        let (filter, which) = match action {
            UiAction::ShowEpicOnBoard(epic_id) => {
                let title =
                    workspace.and_then(|workspace| workspace.epic(epic_id)).map_or("", |epic| epic.title.as_str());
                let which = format!("of the epic '{title}'. Clear the epic filter");
                (crate::model::ItemFilter { epic: Some(epic_id), ..crate::model::ItemFilter::default() }, which)
            }
            UiAction::ShowResearchOnBoard(research) => {
                let words = workspace.map_or_else(String::new, |workspace| {
                    crate::ui::board::research_filter_words(&research, workspace)
                });
                let which = format!("that {words}. Clear the research filter");
                (crate::model::ItemFilter { research: Some(research), ..crate::model::ItemFilter::default() }, which)
            }
            _ => return,
        };
        self.board.filter = filter;
        self.prefs.view = View::Board;
        self.say(format!("The board shows only the items {which} to see all."));
    }

    /// Carries out one action.
    pub(super) fn run(&mut self, ctx: &egui::Context, action: UiAction) {
        if self.refuses_without_workspace(&action) {
            return;
        }
        let Some(action) = self.unless_asking_first(action) else {
            return;
        };
        match action {
            UiAction::EditItem(item_id) => self.edit_item(ctx, item_id),
            UiAction::ArchiveColumn(column_id) => {
                let item_ids = self.app.as_ref().map(|app| app.workspace().column_items(column_id).to_vec());
                if let Some(item_ids) = item_ids.filter(|ids| !ids.is_empty()) {
                    self.apply(Command::Item(ItemCommand::Archive { item_ids, archive: true }));
                }
            }
            UiAction::EditProduct => self.open_product_editor(),
            UiAction::EditColumn(column_id) => self.open_column_editor(column_id),
            UiAction::NewItemIn(column_id) => {
                self.board.selected = None;
                self.editor = Some(EditorState::new_item(column_id));
            }
            UiAction::NewSubtask(parent_id) => {
                let workspace = self.app.as_ref().map(App::workspace);
                let parent = workspace.and_then(|workspace| workspace.item(parent_id));
                let first = workspace.and_then(|workspace| workspace.columns.first()).map(|column| column.column_id);
                if let (Some(parent), Some(first)) = (parent, first) {
                    // A sub-task starts in the first column, in its parent's epic and sprint.
                    let editor = EditorState::new_subtask(first, parent);
                    self.board.selected = None;
                    self.editor = Some(editor);
                }
            }
            UiAction::Apply(command) => self.apply(command),
            UiAction::Undo => self.undo_redo(true),
            UiAction::Redo => self.undo_redo(false),
            UiAction::Show(view) => self.prefs.view = view,
            UiAction::NewWorkspace => self.ask_for_file(FileRequest {
                purpose: FilePurpose::NewWorkspace,
                title: "Create a new workspace".to_owned(),
                mode: FileMode::Save,
                filter_name: "Tandem workspaces",
                extensions: &["sqlite"],
                file_name: "New product.sqlite".to_owned(),
                folder: self.workspace_folder(),
            }),
            UiAction::OpenWorkspace => self.ask_for_file(FileRequest {
                purpose: FilePurpose::OpenWorkspace,
                title: "Open a Tandem workspace".to_owned(),
                mode: FileMode::Open,
                filter_name: "Tandem workspaces",
                extensions: &["sqlite", "tandem", "db"],
                file_name: String::new(),
                folder: self.workspace_folder(),
            }),
            UiAction::OpenRecent(path) => {
                if path.exists() {
                    self.switch_to(&path, NewWorkspace::Blank);
                } else {
                    self.prefs.recent_files.retain(|recent| *recent != path);
                    self.complain(format!(
                        "That workspace is no longer there; it was removed from the recent files. {}",
                        path.display()
                    ));
                }
            }
            UiAction::SaveCopy => {
                let suggested = self.app.as_ref().map_or_else(
                    || "Copy.sqlite".to_owned(),
                    |app| format!("{} copy.sqlite", app.workspace().product.name),
                );
                self.ask_for_file(FileRequest {
                    purpose: FilePurpose::SaveCopy,
                    title: "Save a copy of the workspace".to_owned(),
                    mode: FileMode::Save,
                    filter_name: "Tandem workspaces",
                    extensions: &["sqlite"],
                    file_name: suggested,
                    folder: self.workspace_folder(),
                });
            }
            UiAction::Export(format) => self.export(format),
            UiAction::PickImport => self.ask_for_file(FileRequest {
                purpose: FilePurpose::Import,
                title: "Import a Tandem, Trello or Jira file".to_owned(),
                mode: FileMode::Open,
                filter_name: "Tandem, Trello or Jira exports",
                extensions: &["json", "sqlite", "csv", "txt"],
                file_name: String::new(),
                folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
            }),
            UiAction::Import(path) => self.request_import(&path),
            UiAction::SaveBaseline => self.open_save_baseline(),
            UiAction::Compare => self.open_compare(),
            UiAction::PickMergeFile => self.ask_for_file(FileRequest {
                purpose: FilePurpose::MergeFrom,
                title: "Merge changes from a copy of this plan".to_owned(),
                mode: FileMode::Open,
                filter_name: "Tandem workspaces",
                extensions: &["sqlite"],
                file_name: String::new(),
                folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
            }),
            UiAction::PickCompareFile => self.ask_for_file(FileRequest {
                purpose: FilePurpose::CompareWith,
                title: "Compare with a copy of this plan".to_owned(),
                mode: FileMode::Open,
                filter_name: "Tandem workspaces",
                extensions: &["sqlite"],
                file_name: String::new(),
                folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
            }),
            UiAction::PickSamplesFile(metric_id) => self.ask_for_file(FileRequest {
                purpose: FilePurpose::SamplesFile(metric_id),
                title: "Import samples (CSV with a header line date,value)".to_owned(),
                mode: FileMode::Open,
                filter_name: "CSV files",
                extensions: &["csv", "txt"],
                file_name: String::new(),
                folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
            }),
            shown @ (UiAction::ShowEpicOnBoard(_) | UiAction::ShowResearchOnBoard(_)) => self.show_on_board(shown),
            UiAction::ShowKpi(metric_id) => {
                self.metrics.open_detail(metric_id);
                self.prefs.view = View::Metrics;
            }
            UiAction::ShowResearch => self.research.open = true,
            UiAction::ShowInsight(insight_id) => {
                self.research.open = true;
                let insight = self
                    .app
                    .as_ref()
                    .and_then(|app| app.workspace().insights.iter().find(|insight| insight.insight_id == insight_id))
                    .map(crate::ui::research::InsightEditor::edit);
                if let Some(said) = insight
                    .and_then(|editor| crate::ui::widgets::window::open_over(&mut self.research.insight_editor, editor))
                {
                    self.say(said);
                }
            }
            UiAction::ShowObjectives => {
                self.roadmap.show_objectives = true;
                self.prefs.view = View::Roadmap;
            }
            UiAction::FreshSample => self.open_fresh_sample(),
            UiAction::StartEmptyPlan => self.start_empty_plan(),
            UiAction::Say(text) => self.say(text),
            UiAction::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    /// Says why an action that needs a workspace cannot run when none is open (a shortcut pressed on the
    /// screen that says a file could not be opened); `true` when it did.
    fn refuses_without_workspace(&mut self, action: &UiAction) -> bool {
        let Some(what) = action.needs_workspace().filter(|_| self.app.is_none()) else {
            return false;
        };
        self.say(format!("{what} needs an open workspace: open one or create one from the File menu first."));
        true
    }

    pub(super) fn apply(&mut self, command: Command) {
        // Changes are made in the order they were asked for.
        if let Some((earlier, _)) = self.announced.take() {
            self.make(earlier);
        }
        // A change over thousands of items is made by the worker thread, through a connection of its
        // own, behind the progress window: the window does not stand still meanwhile.
        if self.waiting.is_none()
            && let Some(app) = self.app.as_ref()
            && let Some(title) = heavy_change_words(app, &command)
        {
            self.pending_work =
                Some(super::jobs::Work::Apply { workspace: app.path().to_owned(), command: Box::new(command), title });
            return;
        }
        self.apply_now(command);
    }

    /// Opens `item_id` in the item editor. The card already in it, opened again (a click, Enter or
    /// Space on it), keeps the draft as it is, with everything typed in it. Opened from the keyboard,
    /// the focus moves into the editor (Esc gives it back to the card).
    fn edit_item(&mut self, ctx: &egui::Context, item_id: crate::model::ItemId) {
        self.board.selected = Some(item_id);
        let from_keyboard = !ctx.input(|input| input.pointer.any_click());
        if let Some(editor) = self.editor.as_mut().filter(|editor| !editor.is_new && editor.item_id() == item_id) {
            if from_keyboard {
                editor.focus_title();
            }
            return;
        }
        if let Some(item) = self.app.as_ref().and_then(|app| app.workspace().item(item_id)) {
            let mut editor = EditorState::edit(item);
            if from_keyboard {
                editor.focus_title();
            }
            self.editor = Some(editor);
        }
    }

    /// What the worker thread reported for a change over thousands of items (`Work::Apply`).
    pub(super) fn applied_beside(
        &mut self,
        result: Result<(crate::app::Applied, crate::app::UndoEntry), crate::interchange::InterchangeError>,
        read: Option<super::jobs::ReadBack>,
    ) {
        use crate::interchange::InterchangeError;
        let Some(app) = self.app.as_mut() else {
            return;
        };
        match result {
            Ok((applied, step)) => {
                if let Err(error) = app.took_in(step, read) {
                    self.complain(error.to_string());
                    return;
                }
                let app = &*app;
                if self.board.selected.is_some_and(|item_id| app.workspace().item(item_id).is_none()) {
                    self.board.selected = None;
                }
                match Self::rebase_editor(self.editor.as_mut(), app) {
                    Some(words) => self.complain(words),
                    None => self.say(applied.message),
                }
            }
            Err(InterchangeError::Cancelled) => self.say("Cancelled; nothing was changed."),
            Err(InterchangeError::Store(error)) => {
                let conflict = matches!(error, crate::store::StoreError::Conflict(_));
                self.complain(error.to_string());
                if conflict {
                    self.follow_external_changes(false);
                }
            }
            Err(error) => self.complain(error.to_string()),
        }
    }

    /// Makes `command` at once.
    pub(super) fn apply_now(&mut self, command: Command) {
        if self.waiting.as_ref().is_some_and(|waiting| waiting.command != command) {
            self.complain(
                "Still waiting for another program to release the workspace to save your previous change; this one was not made. Press Esc to give the previous change up.",
            );
            return;
        }
        let Some(app) = self.app.as_mut() else {
            return;
        };
        let retry = command.clone();
        let deleted = match &command {
            Command::Item(ItemCommand::Delete(item_id)) => Some(*item_id),
            _ => None,
        };
        let is_save = matches!(command, Command::Item(ItemCommand::Update(_) | ItemCommand::Create(_)));
        let is_new_column = matches!(command, Command::Column(ColumnCommand::Add { .. }));
        let is_comment = matches!(command, Command::Item(ItemCommand::AddComment(_)));
        // A retry of a change another program's lock refused must not block the window.
        let result = if self.waiting.is_some() { app.apply_without_waiting(command) } else { app.apply(command) };
        match result {
            Ok(applied) => {
                self.waiting = None;
                if let Some(deleted) = deleted {
                    // Only the deleted item's editor closes: one open on another item keeps its typing.
                    if self.editor.as_ref().is_some_and(|editor| !editor.is_new && editor.item_id() == deleted) {
                        self.editor = None;
                    }
                    if self.board.selected == Some(deleted) {
                        self.board.selected = None;
                    }
                } else if let Some(item_id) = applied.item_id {
                    self.board.selected = Some(item_id);
                    self.board.reveal = Some(item_id);
                    if is_save && let (Some(editor), Some(item)) = (self.editor.as_mut(), app.workspace().item(item_id))
                    {
                        // The editor's own save: it now shows what was stored (and keeps the comment
                        // being written).
                        let thread = std::mem::take(&mut editor.thread);
                        *editor = EditorState::edit(item);
                        editor.thread = thread;
                    }
                    if is_comment && let Some(editor) = self.editor.as_mut() {
                        editor.thread.sent();
                    }
                }
                // Any other command (a move, a lane or sprint change) leaves what the user is typing
                // alone and only brings in what changed.
                let decide = if is_save { None } else { Self::rebase_editor(self.editor.as_mut(), app) };
                // The new column's settings open, unless another column's hold unsaved changes.
                let kept = if is_new_column && let Some(column) = app.workspace().columns.last() {
                    crate::ui::widgets::window::open_over(&mut self.column_editor, columns::ColumnEditor::new(column))
                } else {
                    None
                };
                // What the editor needs decided matters more than the change's own words, which the
                // view shows anyway.
                match (decide, kept) {
                    (Some(words), _) => self.complain(words),
                    (None, Some(kept)) => self.say(format!("{} {kept}", applied.message)),
                    (None, None) => self.say(applied.message),
                }
            }
            Err(crate::store::StoreError::Busy { .. }) => {
                // Another program holds the file: keep the change and try again every few frames,
                // without freezing the window.
                let first = self.waiting.is_none();
                let since = self.waiting.take().map_or_else(std::time::Instant::now, |waiting| waiting.since);
                if since.elapsed() > BUSY_GIVE_UP {
                    self.complain(format!(
                        "Gave up after {} seconds: another program kept this workspace locked, so the change was not saved. Nothing was changed; close the other program and try again.",
                        BUSY_GIVE_UP.as_secs()
                    ));
                } else {
                    self.waiting = Some(Waiting { command: retry, since });
                    // Said once: a later sentence (why the workspace cannot be left yet) stays up.
                    if first {
                        self.say_steadily(
                        "Another program is using this workspace right now; your change will be saved as soon as it is free. Press Esc to give it up.",
                    );
                    }
                }
            }
            Err(error) => {
                self.waiting = None;
                let conflict = matches!(error, crate::store::StoreError::Conflict(_));
                match self.editor.as_mut() {
                    Some(editor) if is_save => {
                        editor.error = Some(error.to_string());
                        // Said beside the editor's button; the status bar no longer tells of the last save.
                        self.status = None;
                    }
                    Some(editor) if is_comment => editor.thread.error = Some(format!("Not sent: {error}")),
                    _ => self.complain(error.to_string()),
                }
                if conflict {
                    // Show the newer state that caused the refusal.
                    self.follow_external_changes(false);
                }
            }
        }
    }

    /// Brings the item editor's draft up to date with the stored item, keeping the user's edits; a
    /// deleted item's edits stay as a new item.
    /// Returns a sentence for the status bar when the user must decide something in the editor.
    pub(super) fn rebase_editor(editor: Option<&mut EditorState>, app: &App) -> Option<String> {
        let editor = editor?;
        if editor.is_new {
            return None;
        }
        match app.workspace().item(editor.item_id()) {
            Some(item) => {
                let conflicts = editor.rebase(item);
                (!conflicts.is_empty()).then(|| {
                    format!(
                        "'{}' was changed elsewhere while you edited it, and both sides changed its {}. The editor keeps yours and shows theirs; choose which stays before saving.",
                        item.title,
                        crate::ui::editor::words_list(&conflicts)
                    )
                })
            }
            None if editor.is_item_dirty() => {
                editor.keep_as_new();
                editor.notice.clone()
            }
            None => {
                editor.keep_as_new();
                None
            }
        }
    }

    /// Shows what another window or program committed since this one last looked, keeping
    /// selection, scroll, filters and the editor's draft, and says so.
    pub(super) fn follow_external_changes(&mut self, announce: bool) {
        let Some(app) = self.app.as_mut() else {
            return;
        };
        // A file moved, deleted or replaced under the window is said once, as soon as it is seen: the
        // view still shows the plan as it was, and nothing more can be saved to it.
        if app.store().ensure_in_place().is_err() {
            if self.said_gone.as_deref() != Some(app.path()) {
                self.said_gone = Some(app.path().to_owned());
                self.complain(
                    "Another program moved, deleted or replaced this workspace's file (a file manager or a sync folder?), so changes can no longer be saved to it. Use File ▸ Save a copy… to keep what this window shows, then open the file you want to work on.",
                );
            }
            return;
        }
        self.said_gone = None;
        match app.follow_external_changes_beside(self.follow_worker_above) {
            Ok(false) => {}
            Ok(true) => {
                let app = &*app;
                let decide = Self::rebase_editor(self.editor.as_mut(), app);
                if self.board.selected.is_some_and(|item_id| app.workspace().item(item_id).is_none()) {
                    self.board.selected = None;
                }
                if let Some(words) = decide {
                    self.complain(words);
                } else if announce {
                    self.say(
                        "This workspace was changed in another window or program; the view now shows the latest state.",
                    );
                }
            }
            Err(error) => self.complain(format!("Could not read the latest changes: {error}")),
        }
    }

    pub(super) fn undo_redo(&mut self, undo: bool) {
        if let Some((earlier, _)) = self.announced.take() {
            self.make(earlier);
        }
        // Taking back (or making again) a large import or merge runs on the worker thread, the progress
        // window up, so that the window does not stand still meanwhile.
        if let Some(app) = self.app.as_mut()
            && app.next_is_large_changeset(undo, HEAVY_ITEMS)
            && let Some(work) = app.begin_replay(undo)
        {
            self.pending_work = Some(work);
            return;
        }
        // So does taking back (or making again) a change over thousands of items of another kind.
        if let Some(app) = self.app.as_mut()
            && app.next_undo_size(undo) >= HEAVY_ITEMS
            && let Some(work) = app.begin_step(undo)
        {
            self.pending_work = Some(work);
            return;
        }
        let announce = self.app.as_ref().filter(|app| app.next_undo_size(undo) >= HEAVY_ITEMS).and_then(|app| {
            let description = if undo { app.undo_description() } else { app.redo_description() }?;
            Some(format!("{}: {description}…", if undo { "Undoing" } else { "Redoing" }))
        });
        if let Some(words) = announce {
            self.say_steadily(words);
            self.announced = Some((Announced::Undo(undo), self.frame));
            return;
        }
        self.undo_redo_now(undo);
    }

    /// Makes a change that was said first.
    pub(super) fn make(&mut self, change: Announced) {
        match change {
            Announced::Undo(undo) => self.undo_redo_now(undo),
        }
    }

    fn undo_redo_now(&mut self, undo: bool) {
        let Some(app) = self.app.as_mut() else {
            return;
        };
        let result = if undo { app.undo() } else { app.redo() };
        self.undone(result, undo);
    }

    /// What the worker thread reported for an undo or redo of a large import or merge.
    pub(super) fn replayed(
        &mut self,
        result: Result<(), crate::interchange::InterchangeError>,
        read: Option<super::jobs::ReadBack>,
    ) {
        use crate::interchange::InterchangeError;
        let Some(app) = self.app.as_mut() else {
            return;
        };
        let Some(forward) = app.replaying() else {
            return;
        };
        let finished = app.finish_replay(result.is_ok(), read);
        let (step, keys) = if forward { ("Redo", "Ctrl+Shift+Z") } else { ("Undo", "Ctrl+Z") };
        match result {
            Ok(()) => self.undone(finished, !forward),
            Err(InterchangeError::Cancelled) => {
                self.say(format!("{step} cancelled; the workspace is as it was, and {keys} still offers it."));
            }
            Err(InterchangeError::Store(error)) => self.undone(Err(error), !forward),
            Err(error) => self.complain(error.to_string()),
        }
    }

    fn undone(&mut self, result: Result<Option<String>, crate::store::StoreError>, undo: bool) {
        let Some(app) = self.app.as_mut() else {
            return;
        };
        match result {
            Ok(Some(message)) => {
                // Bring the stored state into the editor without losing what the user typed; a clean
                // editor on an item that is gone closes.
                if self.editor.as_ref().is_some_and(|editor| {
                    !editor.is_new && !editor.is_dirty() && app.workspace().item(editor.item_id()).is_none()
                }) {
                    self.editor = None;
                }
                let decide = Self::rebase_editor(self.editor.as_mut(), app);
                if self.board.selected.is_some_and(|item_id| app.workspace().item(item_id).is_none()) {
                    self.board.selected = None;
                }
                self.board.reveal = self.board.selected;
                match decide {
                    Some(words) => self.complain(words),
                    None => self.say(message),
                }
            }
            Ok(None) => {
                let message = if undo { app.nothing_to_undo() } else { "Nothing to redo.".to_owned() };
                self.say(message);
            }
            Err(error) => {
                let conflict = matches!(error, crate::store::StoreError::Conflict(_));
                self.complain(error.to_string());
                if conflict {
                    self.follow_external_changes(false);
                }
            }
        }
    }

    /// Applies a command from a window (KPI editor, sprint editor, samples import); returns the error
    /// message instead of showing it, so the window can keep it beside the fields.
    pub(super) fn apply_from_window(&mut self, command: Command) -> Result<(), String> {
        let Some(app) = self.app.as_mut() else {
            return Err("No workspace is open.".to_owned());
        };
        let created_metric = matches!(command, Command::Planning(PlanningCommand::CreateMetric(_)));
        match app.apply(command) {
            Ok(applied) => {
                if created_metric && let Some(metric) = app.workspace().metrics.iter().max_by_key(|m| m.metric_id) {
                    self.metrics.open_detail(metric.metric_id);
                }
                self.say(applied.message);
                Ok(())
            }
            Err(error) => Err(error.to_string()),
        }
    }
}

/// A change said in the status bar before it is made (one the worker thread cannot make).
#[derive(Clone, Copy, Debug)]
pub(super) enum Announced {
    /// An undo (`true`) or a redo.
    Undo(bool),
}

/// Why the workspace cannot be left (or the window closed) while a change waits for the file.
pub(super) const STILL_WAITING: &str = "Not yet: your last change is still waiting for another program to release this workspace, and it would be lost. Wait until it is saved, or press Esc to give it up, then try again.";

/// From how many items on a change is said before it is made (it then takes a noticeable moment).
const HEAVY_ITEMS: usize = 1_000;

/// What the status bar says while a change over thousands of items is made; `None` for others.
fn heavy_change_words(app: &App, command: &Command) -> Option<String> {
    use crate::interchange::convert::plural;
    match command {
        Command::Item(ItemCommand::RenamePerson { from, to }) => {
            let lower = from.trim().to_lowercase();
            let people = app.workspace().people();
            let person = people.iter().find(|person| person.name.to_lowercase() == lower)?;
            let items = person.assigned + person.reported;
            (items >= HEAVY_ITEMS)
                .then(|| format!("Renaming '{}' to '{}' on up to {}…", from.trim(), to.trim(), plural(items, "item")))
        }
        Command::Column(ColumnCommand::OrderBy { column_id, score }) => {
            let cards = app.workspace().column_items(*column_id).len();
            let column = app.workspace().column(*column_id)?;
            (cards >= HEAVY_ITEMS)
                .then(|| format!("Ordering {} by {} ({})…", column.name, score.label(), plural(cards, "card")))
        }
        Command::Item(ItemCommand::Archive { item_ids, archive }) if item_ids.len() >= HEAVY_ITEMS => {
            let cards = plural(item_ids.len(), "card");
            Some(if *archive {
                format!("Archiving {cards}…")
            } else {
                format!("Putting {cards} back on the board…")
            })
        }
        _ => None,
    }
}
