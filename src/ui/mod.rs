//! The egui front end. Views draw from the in-memory workspace and emit [`UiAction`]s; the shell
//! ([`TandemApp`]) carries them out after the frame's drawing, through [`App`] for anything that
//! changes data. Views never touch the database.

pub mod backlog_list;
pub mod board;
pub mod columns;
pub mod delivery;
pub mod editor;
pub mod epic_editor;
pub mod file_dialog;
pub mod jobs;
pub mod kpi_editor;
pub mod metrics;
pub mod roadmap;
pub mod sprints;
pub mod theme;
pub mod widgets;

use std::path::{Path, PathBuf};

use egui::{Key, KeyboardShortcut, Modifiers, RichText, ThemePreference, Ui};
use serde::{Deserialize, Serialize};

use crate::app::{App, Command, NewWorkspace};
use crate::model::{ColumnId, ItemId};
use editor::{EditorOutcome, EditorState};
use file_dialog::{BuiltinDialog, FileMode, FilePurpose, FileRequest, NativeAnswer};

/// How many recent files the File menu remembers.
const RECENT_LIMIT: usize = 8;

/// The three views of a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    /// The backlog board.
    #[default]
    Board,
    /// The roadmap timeline.
    Roadmap,
    /// The metrics dashboard.
    Metrics,
}

impl View {
    const ALL: [Self; 3] = [Self::Board, Self::Roadmap, Self::Metrics];

    fn label(self) -> &'static str {
        match self {
            Self::Board => "Board",
            Self::Roadmap => "Roadmap",
            Self::Metrics => "Metrics",
        }
    }

    fn shortcut(self) -> KeyboardShortcut {
        let key = match self {
            Self::Board => Key::Num1,
            Self::Roadmap => Key::Num2,
            Self::Metrics => Key::Num3,
        };
        KeyboardShortcut::new(Modifiers::COMMAND, key)
    }
}

/// Something the user asked for while a view was drawn; carried out after drawing.
#[derive(Clone, Debug, PartialEq)]
#[expect(clippy::large_enum_variant, reason = "a few values per frame, consumed at once")]
pub enum UiAction {
    /// Select an item and open it in the editor.
    EditItem(ItemId),
    /// Open the editor on a new item for a column.
    NewItemIn(ColumnId),
    /// Open the settings of a column.
    EditColumn(ColumnId),
    /// Change data.
    Apply(Command),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Switch view.
    Show(View),
    /// File ▸ New workspace.
    NewWorkspace,
    /// File ▸ Open.
    OpenWorkspace,
    /// File ▸ Open recent.
    OpenRecent(PathBuf),
    /// File ▸ Save a copy.
    SaveCopy,
    /// File ▸ Export as JSON or CSV.
    Export(crate::interchange::Format),
    /// File ▸ Import: pick a file.
    PickImport,
    /// Preview importing this file.
    Import(PathBuf),
    /// Pick a CSV file of samples for a KPI and preview importing it.
    PickSamplesFile(crate::model::MetricId),
    /// Filter the board to one epic's items and show the board.
    ShowEpicOnBoard(crate::model::EpicId),
    /// Close the window.
    Quit,
}

/// UI preferences kept in eframe storage. Product data never goes here.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Light, dark or follow the system.
    pub theme: ThemePreference,
    /// Zoom factor (text and everything else).
    pub zoom: f32,
    /// Recently opened workspaces, newest first.
    pub recent_files: Vec<PathBuf>,
    /// The workspace open when the app last closed.
    pub last_file: Option<PathBuf>,
    /// The view shown when the app last closed.
    pub view: View,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { theme: ThemePreference::System, zoom: 1.0, recent_files: Vec::new(), last_file: None, view: View::Board }
    }
}

/// Which workspace to open at start.
#[derive(Clone, Debug)]
pub struct Startup {
    /// The file to open. When `None`, the workspace open when the app last closed, or else
    /// `default_path`.
    pub path: Option<PathBuf>,
    /// The workspace in the user's data folder.
    pub default_path: PathBuf,
    /// How to fill it if it does not exist yet.
    pub new_workspace: NewWorkspace,
    /// Whether to remember it as the last and a recent file (false for throwaway demos).
    pub remember: bool,
}

/// A file read and dry-run, waiting for the user to confirm and choose where it goes.
struct ImportPreview {
    path: PathBuf,
    previewed: Box<jobs::Previewed>,
    into_new: bool,
    new_path: String,
}

/// A file name for a new workspace named after `product`, beside `current`, that does not exist yet.
fn suggested_workspace_path(current: &Path, product: &str) -> PathBuf {
    let folder = current.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    let stem: String = product
        .chars()
        .map(
            |character| {
                if character.is_alphanumeric() || matches!(character, ' ' | '-' | '_') { character } else { '-' }
            },
        )
        .collect();
    let stem = stem.trim();
    let stem = if stem.is_empty() { "Imported" } else { stem };
    (1..10_000)
        .map(|number| {
            if number == 1 {
                folder.join(format!("{stem}.sqlite"))
            } else {
                folder.join(format!("{stem} {number}.sqlite"))
            }
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| folder.join("Imported.sqlite"))
}

#[derive(Clone, Debug)]
struct StatusMessage {
    text: String,
    is_error: bool,
}

/// How long a change waits for another program to release the workspace before it is given up.
const BUSY_GIVE_UP: std::time::Duration = std::time::Duration::from_secs(15);

/// A change that could not be saved yet because another program holds the workspace.
#[derive(Clone, Debug)]
struct Waiting {
    /// The change, tried again every few frames.
    command: Command,
    /// When it was first tried.
    since: std::time::Instant,
}

/// A way out of the item editor that waits for the user's answer about unsaved edits.
#[derive(Clone, Debug)]
struct LeaveEditor {
    /// What to do once the editor is closed (`None`: only close it).
    then: Option<UiAction>,
}

/// Which file dialog the window uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DialogBackend {
    /// The system's, falling back to Tandem's own where there is none.
    System,
    /// Always Tandem's own.
    Builtin,
}

/// The Tandem window.
pub struct TandemApp {
    app: Option<App>,
    open_error: Option<String>,
    prefs: Preferences,
    board: board::BoardState,
    roadmap: roadmap::RoadmapState,
    metrics: metrics::MetricsState,
    sprints: sprints::SprintPanel,
    /// A chart picture arriving from the renderer, with what to do with it.
    captured: std::sync::Arc<std::sync::Mutex<Option<(metrics::Capture, egui::ColorImage)>>>,
    editor: Option<EditorState>,
    /// The editor holds unsaved edits and the user asked to leave it: what to do once they chose
    /// Save or Discard (`None`: just close the editor).
    unsaved: Option<LeaveEditor>,
    /// Tandem's own file dialog, while it is open.
    file_dialog: Option<BuiltinDialog>,
    /// Whether to try the system's file dialog first.
    dialogs: DialogBackend,
    /// The folder of the last file chosen.
    last_folder: Option<PathBuf>,
    /// A captured chart waiting for the file it is saved to: its name and picture.
    pending_png: Option<(String, egui::ColorImage)>,
    /// A change waiting for another program to release the file.
    waiting: Option<Waiting>,
    /// Actions asked for from outside a frame (tests, the command line), carried out in the next one.
    requested: Vec<UiAction>,
    column_editor: Option<columns::ColumnEditor>,
    import_preview: Option<ImportPreview>,
    job: Option<jobs::Job>,
    pending_work: Option<jobs::Work>,
    status: Option<StatusMessage>,
    show_help: bool,
    show_about: bool,
    title: String,
    remember: bool,
    today: Option<crate::model::Date>,
}

impl TandemApp {
    /// Opens the startup workspace, with preferences from eframe storage when there is one.
    #[must_use]
    pub fn new(creation: &eframe::CreationContext<'_>, startup: &Startup) -> Self {
        let prefs: Preferences =
            creation.storage.and_then(|storage| eframe::get_value(storage, eframe::APP_KEY)).unwrap_or_default();
        theme::install_fonts(&creation.egui_ctx);
        creation.egui_ctx.set_theme(prefs.theme);
        if (0.5..=3.0).contains(&prefs.zoom) {
            creation.egui_ctx.set_zoom_factor(prefs.zoom);
        }
        let mut tandem = Self {
            app: None,
            open_error: None,
            prefs,
            board: board::BoardState::default(),
            roadmap: roadmap::RoadmapState::default(),
            metrics: metrics::MetricsState::default(),
            sprints: sprints::SprintPanel::default(),
            captured: std::sync::Arc::default(),
            editor: None,
            unsaved: None,
            requested: Vec::new(),
            waiting: None,
            file_dialog: None,
            dialogs: if std::env::var("TANDEM_FILE_DIALOG").is_ok_and(|value| value == "builtin") {
                DialogBackend::Builtin
            } else {
                DialogBackend::System
            },
            last_folder: None,
            pending_png: None,
            column_editor: None,
            import_preview: None,
            job: None,
            pending_work: None,
            status: None,
            show_help: false,
            show_about: false,
            title: String::new(),
            remember: startup.remember,
            today: None,
        };
        let path = startup
            .path
            .clone()
            .or_else(|| tandem.prefs.last_file.clone().filter(|last| last.exists()))
            .unwrap_or_else(|| startup.default_path.clone());
        match App::open(&path, startup.new_workspace) {
            Ok(app) => {
                tandem.remember_file(&path);
                tandem.app = Some(app);
            }
            Err(error) => tandem.open_error = Some(error.to_string()),
        }
        tandem
    }

    /// Pins the date the views treat as today (tests and screenshots); `None` follows the clock.
    pub fn set_today(&mut self, today: Option<crate::model::Date>) {
        self.today = today;
    }

    /// The open workspace, if one opened.
    #[must_use]
    pub fn app(&self) -> Option<&App> {
        self.app.as_ref()
    }

    /// The current view.
    #[must_use]
    pub fn view(&self) -> View {
        self.prefs.view
    }

    /// The title in the item editor's draft, when the editor is open.
    #[must_use]
    pub fn editor_title(&self) -> Option<String> {
        self.editor.as_ref().map(|editor| editor.draft.title.clone())
    }

    /// The message in the status bar.
    #[must_use]
    pub fn status_text(&self) -> Option<&str> {
        self.status.as_ref().map(|status| status.text.as_str())
    }

    fn remember_file(&mut self, path: &Path) {
        if !self.remember {
            return;
        }
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.prefs.recent_files.retain(|recent| *recent != path);
        self.prefs.recent_files.insert(0, path.clone());
        self.prefs.recent_files.truncate(RECENT_LIMIT);
        self.prefs.last_file = Some(path);
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMessage { text: text.into(), is_error: false });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMessage { text: text.into(), is_error: true });
    }

    fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<UiAction>) {
        let typing = ctx.text_edit_focused();
        ctx.input_mut(|input| {
            if !typing {
                if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z))
                    || input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
                {
                    actions.push(UiAction::Redo);
                } else if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                    actions.push(UiAction::Undo);
                }
            }
            for view in View::ALL {
                if input.consume_shortcut(&view.shortcut()) {
                    actions.push(UiAction::Show(view));
                }
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                actions.push(UiAction::OpenWorkspace);
            }
            if input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)) {
                actions.push(UiAction::SaveCopy);
            }
        });
        if ctx.input_mut(|input| input.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)))
            && let Some(column) = self.app.as_ref().and_then(|app| app.workspace().columns.first())
        {
            actions.push(UiAction::NewItemIn(column.column_id));
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New workspace…").clicked() {
                    actions.push(UiAction::NewWorkspace);
                }
                if ui.add(egui::Button::new("Open…").shortcut_text("Ctrl+O")).clicked() {
                    actions.push(UiAction::OpenWorkspace);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.prefs.recent_files.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in &self.prefs.recent_files {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(UiAction::OpenRecent(path.clone()));
                        }
                    }
                });
                if ui.add(egui::Button::new("Save a copy…").shortcut_text("Ctrl+Shift+S")).clicked() {
                    actions.push(UiAction::SaveCopy);
                }
                ui.menu_button("Export", |ui| {
                    if ui.button("Workspace copy (.sqlite)…").clicked() {
                        actions.push(UiAction::SaveCopy);
                    }
                    if ui.button("JSON document…").clicked() {
                        actions.push(UiAction::Export(crate::interchange::Format::Json));
                    }
                    if ui.button("Backlog items as CSV…").clicked() {
                        actions.push(UiAction::Export(crate::interchange::Format::Csv));
                    }
                });
                if ui.button("Import…").clicked() {
                    actions.push(UiAction::PickImport);
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    actions.push(UiAction::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = self.app.as_ref().and_then(App::undo_description).map(|text| format!("Undo {text}"));
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(undo.unwrap_or_else(|| "Undo".to_owned())).shortcut_text("Ctrl+Z"),
                    )
                    .clicked()
                {
                    actions.push(UiAction::Undo);
                }
                let redo = self.app.as_ref().and_then(App::redo_description).map(|text| format!("Redo {text}"));
                if ui
                    .add_enabled(
                        redo.is_some(),
                        egui::Button::new(redo.unwrap_or_else(|| "Redo".to_owned())).shortcut_text("Ctrl+Shift+Z"),
                    )
                    .clicked()
                {
                    actions.push(UiAction::Redo);
                }
                ui.separator();
                if ui.add(egui::Button::new("New item").shortcut_text("Ctrl+N")).clicked()
                    && let Some(column) = self.app.as_ref().and_then(|app| app.workspace().columns.first())
                {
                    actions.push(UiAction::NewItemIn(column.column_id));
                }
            });
            ui.menu_button("View", |ui| {
                for view in View::ALL {
                    let shortcut = ui.ctx().format_shortcut(&view.shortcut());
                    if ui
                        .add(egui::Button::selectable(self.prefs.view == view, view.label()).shortcut_text(shortcut))
                        .clicked()
                    {
                        actions.push(UiAction::Show(view));
                    }
                }
                ui.separator();
                ui.label("Theme");
                for (theme, name) in [
                    (ThemePreference::System, "Follow the system"),
                    (ThemePreference::Light, "Light"),
                    (ThemePreference::Dark, "Dark"),
                ] {
                    if ui.radio(self.prefs.theme == theme, name).clicked() {
                        self.prefs.theme = theme;
                        ui.ctx().set_theme(theme);
                    }
                }
                ui.separator();
                ui.label("Zoom: Ctrl + and Ctrl − (Ctrl 0 resets)");
            });
            ui.menu_button("Help", |ui| {
                if ui.add(egui::Button::new("Keyboard shortcuts").shortcut_text("F1")).clicked() {
                    self.show_help = true;
                }
                if ui.button("About Tandem").clicked() {
                    self.show_about = true;
                }
            });
        });
    }

    fn toolbar_ui(&self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        ui.horizontal(|ui| {
            if let Some(app) = &self.app {
                ui.label(RichText::new(&app.workspace().product.name).heading().strong())
                    .on_hover_text(&app.workspace().product.vision);
                ui.separator();
            }
            for view in View::ALL {
                if ui.selectable_label(self.prefs.view == view, RichText::new(view.label()).size(17.0)).clicked() {
                    actions.push(UiAction::Show(view));
                }
            }
            ui.separator();
            if ui.button("+ New item").on_hover_text("Ctrl+N").clicked()
                && let Some(column) = self.app.as_ref().and_then(|app| app.workspace().columns.first())
            {
                actions.push(UiAction::NewItemIn(column.column_id));
            }
        });
    }

    fn status_bar_ui(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(app) = &self.app {
                ui.label(format!("{} items", app.workspace().item_count()));
                ui.separator();
                let saved = if app.is_read_only() {
                    "🔒 Read-only: changes cannot be saved".to_owned()
                } else if self.editor.as_ref().is_some_and(EditorState::is_dirty) {
                    "✏ The item editor has changes that are not saved yet".to_owned()
                } else {
                    app.last_saved().map_or_else(
                        || "Every change is saved as you make it".to_owned(),
                        |instant| {
                            format!("Saved at {}", instant.to_zoned(jiff::tz::TimeZone::system()).strftime("%H:%M:%S"))
                        },
                    )
                };
                ui.label(saved);
            }
            if let Some(status) = &self.status {
                ui.separator();
                let text = if status.is_error { format!("⚠ {}", status.text) } else { status.text.clone() };
                let colour =
                    if status.is_error { theme::error_colour(ui.visuals()) } else { ui.visuals().text_color() };
                let response = ui.label(RichText::new(text).color(colour));
                // A live region: screen readers announce moves, saves and errors as they happen.
                ui.ctx().accesskit_node_builder(response.id, |node| node.set_live(egui::accesskit::Live::Polite));
            }
            if let Some(app) = &self.app {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(RichText::new(app.path().display().to_string()).weak())
                        .on_hover_text("The workspace file");
                });
            }
        });
    }

    fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if ctx.input_mut(|input| input.consume_key(Modifiers::NONE, Key::F1)) {
            self.show_help = !self.show_help;
        }
        let mut show_help = self.show_help;
        egui::Window::new("Keyboard shortcuts").open(&mut show_help).collapsible(false).resizable(false).show(
            ctx,
            |ui| {
                egui::Grid::new("shortcuts").num_columns(2).spacing([24.0, 6.0]).show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(RichText::new(*keys).strong());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
            },
        );
        self.show_help = show_help;
        let mut show_about = self.show_about;
        egui::Window::new("About Tandem").open(&mut show_about).collapsible(false).resizable(false).show(ctx, |ui| {
            ui.heading("Tandem");
            ui.label("Offline planning for product managers and product owners.");
            ui.label(format!("Version {}", crate::build_info::version_line()));
            if let Some(app) = &self.app {
                ui.label(format!("Workspace: {}", app.path().display()));
            }
        });
        self.show_about = show_about;
    }

    fn open_error_ui(&self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading("Tandem could not open the workspace");
            ui.add_space(8.0);
            if let Some(error) = &self.open_error {
                ui.label(RichText::new(format!("⚠ {error}")).color(theme::error_colour(ui.visuals())));
            }
            ui.add_space(12.0);
            if ui.button("Open another workspace…").clicked() {
                actions.push(UiAction::OpenWorkspace);
            }
            if ui.button("Create a new workspace…").clicked() {
                actions.push(UiAction::NewWorkspace);
            }
        });
    }

    /// Whether `action` would replace or close the item editor.
    fn leaves_editor(&self, action: &UiAction) -> bool {
        let Some(editor) = &self.editor else {
            return false;
        };
        match action {
            UiAction::EditItem(item_id) => editor.is_new || editor.item_id() != *item_id,
            UiAction::NewItemIn(_)
            | UiAction::NewWorkspace
            | UiAction::OpenWorkspace
            | UiAction::OpenRecent(_)
            | UiAction::Quit => true,
            _ => false,
        }
    }

    /// Closes the editor and then carries out `then`; when the editor holds unsaved edits, asks first
    /// (Save / Discard / Keep editing), so no typed word is ever thrown away without a choice.
    fn leave_editor(&mut self, ctx: &egui::Context, then: Option<UiAction>) {
        if self.editor.as_ref().is_some_and(EditorState::is_dirty) {
            self.unsaved = Some(LeaveEditor { then });
            return;
        }
        self.editor = None;
        if let Some(action) = then {
            self.run(ctx, action);
        }
    }

    /// The answer to "unsaved changes": save (then go on if it was stored), discard, or keep editing.
    fn unsaved_ui(&mut self, ctx: &egui::Context) {
        let Some(LeaveEditor { then }) = self.unsaved.clone() else {
            return;
        };
        let title = self.editor.as_ref().map_or_else(String::new, |editor| editor.draft.title.trim().to_owned());
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading("Unsaved changes");
            ui.add_space(4.0);
            ui.label(if title.is_empty() {
                "The item in the editor has changes that are not saved.".to_owned()
            } else {
                format!("'{title}' has changes in the editor that are not saved.")
            });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let save = ui.button(RichText::new("Save").strong());
                if save.clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard").clicked() {
                    choice = Some(1);
                }
                if ui.button("Keep editing").clicked() {
                    choice = Some(2);
                }
                // The safe answer has the focus, so Enter saves.
                if !ui.ctx().memory(|memory| memory.focused().is_some()) {
                    save.request_focus();
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(2);
        }
        match choice {
            Some(0) => {
                self.unsaved = None;
                let Some(editor) = self.editor.as_mut() else {
                    return;
                };
                match editor.finished_item() {
                    Ok(item) => {
                        let command = if editor.is_new { Command::CreateItem(item) } else { Command::UpdateItem(item) };
                        self.apply(command);
                        if self.editor.as_ref().is_some_and(|editor| !editor.is_dirty() && editor.error.is_none()) {
                            self.editor = None;
                            if let Some(action) = then {
                                self.run(ctx, action);
                            }
                        }
                    }
                    Err(error) => editor.error = Some(format!("Not saved: {error}")),
                }
            }
            Some(1) => {
                self.unsaved = None;
                self.editor = None;
                self.say("Discarded the unsaved changes.");
                if let Some(action) = then {
                    self.run(ctx, action);
                }
            }
            Some(_) => self.unsaved = None,
            None => {}
        }
    }

    /// Carries out one action.
    fn run(&mut self, ctx: &egui::Context, action: UiAction) {
        if self.leaves_editor(&action) && self.editor.as_ref().is_some_and(EditorState::is_dirty) {
            self.unsaved = Some(LeaveEditor { then: Some(action) });
            return;
        }
        match action {
            UiAction::EditItem(item_id) => {
                self.board.selected = Some(item_id);
                if let Some(item) = self.app.as_ref().and_then(|app| app.workspace().item(item_id)) {
                    self.editor = Some(EditorState::edit(item));
                }
            }
            UiAction::EditColumn(column_id) => {
                if let Some(column) = self.app.as_ref().and_then(|app| app.workspace().column(column_id)) {
                    self.column_editor = Some(columns::ColumnEditor::new(column));
                }
            }
            UiAction::NewItemIn(column_id) => {
                self.board.selected = None;
                self.editor = Some(EditorState::new_item(column_id));
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
                extensions: &["json", "sqlite", "csv"],
                file_name: String::new(),
                folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
            }),
            UiAction::Import(path) => self.request_import(&path),
            UiAction::PickSamplesFile(metric_id) => self.ask_for_file(FileRequest {
                purpose: FilePurpose::SamplesFile(metric_id),
                title: "Import samples (CSV with a header line date,value)".to_owned(),
                mode: FileMode::Open,
                filter_name: "CSV files",
                extensions: &["csv", "txt"],
                file_name: String::new(),
                folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
            }),
            UiAction::ShowEpicOnBoard(epic_id) => {
                self.board.filter =
                    crate::model::ItemFilter { epic: Some(epic_id), ..crate::model::ItemFilter::default() };
                self.prefs.view = View::Board;
                let title = self
                    .app
                    .as_ref()
                    .and_then(|app| app.workspace().epic(epic_id))
                    .map_or_else(String::new, |epic| epic.title.clone());
                self.say(format!(
                    "The board shows only the items of the epic '{title}'. Clear the epic filter to see all."
                ));
            }
            UiAction::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn apply(&mut self, command: Command) {
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
        let is_delete = matches!(command, Command::DeleteItem(_));
        let is_save = matches!(command, Command::UpdateItem(_) | Command::CreateItem(_));
        let is_new_column = matches!(command, Command::AddColumn { .. });
        match app.apply(command) {
            Ok(applied) => {
                self.waiting = None;
                if is_delete {
                    self.editor = None;
                    self.board.selected = None;
                } else if let Some(item_id) = applied.item_id {
                    self.board.selected = Some(item_id);
                    self.board.reveal = Some(item_id);
                    if is_save && let (Some(editor), Some(item)) = (self.editor.as_mut(), app.workspace().item(item_id))
                    {
                        // The editor's own save: it now shows what was stored.
                        *editor = EditorState::edit(item);
                    }
                }
                // Any other command (a move, a lane or sprint change) leaves what the user is typing
                // alone and only brings in what changed.
                if !is_save {
                    Self::rebase_editor(self.editor.as_mut(), app);
                }
                if is_new_column && let Some(column) = app.workspace().columns.last() {
                    self.column_editor = Some(columns::ColumnEditor::new(column));
                }
                self.say(applied.message);
            }
            Err(crate::store::StoreError::Busy { .. }) => {
                // Another program holds the file: keep the change and try again every few frames,
                // without freezing the window.
                let since = self.waiting.take().map_or_else(std::time::Instant::now, |waiting| waiting.since);
                if since.elapsed() > BUSY_GIVE_UP {
                    self.complain(format!(
                        "Gave up after {} seconds: another program kept this workspace locked, so the change was not saved. Nothing was changed; close the other program and try again.",
                        BUSY_GIVE_UP.as_secs()
                    ));
                } else {
                    self.waiting = Some(Waiting { command: retry, since });
                    self.say(
                        "Another program is using this workspace right now; your change will be saved as soon as it is free. Press Esc to give it up.",
                    );
                }
            }
            Err(error) => {
                self.waiting = None;
                let conflict = matches!(error, crate::store::StoreError::Conflict(_));
                match self.editor.as_mut() {
                    Some(editor) if is_save => editor.error = Some(error.to_string()),
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
    fn rebase_editor(editor: Option<&mut EditorState>, app: &App) {
        let Some(editor) = editor else {
            return;
        };
        if editor.is_new {
            return;
        }
        match app.workspace().item(editor.item_id()) {
            Some(item) => {
                editor.rebase(item);
            }
            None => editor.keep_as_new(),
        }
    }

    /// Shows what another window or program committed since this one last looked, keeping
    /// selection, scroll, filters and the editor's draft, and says so.
    fn follow_external_changes(&mut self, announce: bool) {
        let Some(app) = self.app.as_mut() else {
            return;
        };
        match app.follow_external_changes() {
            Ok(false) => {}
            Ok(true) => {
                let app = &*app;
                Self::rebase_editor(self.editor.as_mut(), app);
                if self.board.selected.is_some_and(|item_id| app.workspace().item(item_id).is_none()) {
                    self.board.selected = None;
                }
                if announce {
                    self.say(
                        "This workspace was changed in another window or program; the view now shows the latest state.",
                    );
                }
            }
            Err(error) => self.complain(format!("Could not read the latest changes: {error}")),
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let Some(app) = self.app.as_mut() else {
            return;
        };
        let result = if undo { app.undo() } else { app.redo() };
        match result {
            Ok(Some(message)) => {
                // Bring the stored state into the editor without losing what the user typed; a clean
                // editor on an item that is gone closes.
                if self.editor.as_ref().is_some_and(|editor| {
                    !editor.is_new && !editor.is_dirty() && app.workspace().item(editor.item_id()).is_none()
                }) {
                    self.editor = None;
                }
                Self::rebase_editor(self.editor.as_mut(), app);
                if self.board.selected.is_some_and(|item_id| app.workspace().item(item_id).is_none()) {
                    self.board.selected = None;
                }
                self.board.reveal = self.board.selected;
                self.say(message);
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

    /// The folder of the open workspace, where its copies and exports go by default.
    fn workspace_folder(&self) -> Option<PathBuf> {
        self.app.as_ref().and_then(|app| app.path().parent().map(Path::to_path_buf)).filter(|folder| folder.is_dir())
    }

    /// Asks for a file: the system's dialog, or Tandem's own where the system has none (or when
    /// asked to use it), so that a file action never does nothing.
    fn ask_for_file(&mut self, request: FileRequest) {
        if self.dialogs == DialogBackend::Builtin {
            self.file_dialog = Some(BuiltinDialog::new(request, None));
            return;
        }
        match file_dialog::native(&request) {
            NativeAnswer::Chosen(path) => self.file_chosen(request.purpose, &path),
            NativeAnswer::Cancelled => {
                if request.purpose == FilePurpose::ChartPng {
                    self.pending_png = None;
                }
            }
            NativeAnswer::Unavailable => {
                self.file_dialog = Some(BuiltinDialog::new(
                    request,
                    Some("This desktop offers no system file dialog, so Tandem shows its own.".to_owned()),
                ));
            }
        }
    }

    /// Uses Tandem's own file dialog instead of the system's (tests, and desktops whose dialog is
    /// broken in other ways); `TANDEM_FILE_DIALOG=builtin` does the same from the environment.
    pub fn use_builtin_file_dialog(&mut self) {
        self.dialogs = DialogBackend::Builtin;
    }

    /// Carries out what a file was chosen for.
    fn file_chosen(&mut self, purpose: FilePurpose, path: &Path) {
        self.last_folder = path.parent().map(Path::to_path_buf);
        match purpose {
            FilePurpose::OpenWorkspace => self.switch_to(path, NewWorkspace::Blank),
            FilePurpose::NewWorkspace => self.new_workspace(path),
            FilePurpose::SaveCopy => self.save_copy(path),
            FilePurpose::Export(format) => self.request_export(format, path),
            FilePurpose::Import => self.request_import(path),
            FilePurpose::SamplesFile(metric_id) => self.request_samples_import(metric_id, path),
            FilePurpose::ImportTarget => {
                if let Some(preview) = self.import_preview.as_mut() {
                    preview.new_path = path.display().to_string();
                }
            }
            FilePurpose::ChartPng => {
                let Some((name, image)) = self.pending_png.take() else {
                    return;
                };
                let written = metrics::encode_png(&image)
                    .and_then(|bytes| crate::interchange::write_atomically(path, &bytes).map_err(|e| e.to_string()));
                match written {
                    Ok(()) => self.say(format!("Saved the {name} chart as {}.", path.display())),
                    Err(error) => self.complain(format!(
                        "The chart could not be saved as {}: {error}. Choose another folder and try again.",
                        path.display()
                    )),
                }
            }
        }
    }

    /// Tandem's own file dialog, when it is open.
    fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = self.file_dialog.as_mut() else {
            return;
        };
        match dialog.ui(ctx) {
            file_dialog::DialogOutcome::Open => {}
            file_dialog::DialogOutcome::Cancelled => {
                let purpose = dialog.request.purpose;
                self.file_dialog = None;
                if purpose == FilePurpose::ChartPng {
                    self.pending_png = None;
                    self.say("The chart was not saved.");
                }
            }
            file_dialog::DialogOutcome::Chosen(path) => {
                let purpose = dialog.request.purpose;
                self.file_dialog = None;
                self.file_chosen(purpose, &path);
            }
        }
    }

    fn new_workspace(&mut self, path: &Path) {
        if path.exists() {
            self.complain(format!(
                "A file with that name already exists, and New never overwrites a file. Choose another name. {}",
                path.display()
            ));
            return;
        }
        self.switch_to(path, NewWorkspace::Blank);
    }

    fn save_copy(&mut self, path: &Path) {
        let Some(app) = &self.app else {
            return;
        };
        match app.save_copy(path) {
            Ok(path) => self.say(format!("Saved a copy to {}", path.display())),
            Err(error @ crate::store::StoreError::CopyOntoItself { .. }) => self.complain(error.to_string()),
            Err(error) => self.complain(format!("Could not save the copy: {error} {}", path.display())),
        }
    }

    /// Opens another workspace in the next frame, as File ▸ Open does once a file is chosen (asking
    /// first about unsaved edits in the editor).
    pub fn request_open(&mut self, path: &Path) {
        self.requested.push(UiAction::OpenRecent(path.to_owned()));
    }

    /// Exports the workspace to `path` on a worker thread behind a progress window.
    pub fn request_export(&mut self, format: crate::interchange::Format, path: &Path) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        self.pending_work = Some(jobs::Work::Export { format, out: path.to_owned(), workspace: app.path().to_owned() });
    }

    fn export(&mut self, format: crate::interchange::Format) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let (extensions, kind): (&'static [&'static str], _) = match format {
            crate::interchange::Format::Json => (&["json"], "JSON documents"),
            crate::interchange::Format::Csv => (&["csv"], "CSV files"),
            crate::interchange::Format::Sqlite => (&["sqlite"], "Tandem workspaces"),
            crate::interchange::Format::Trello | crate::interchange::Format::Jira => return,
        };
        let file_name = format!("{}.{}", app.workspace().product.name, extensions.first().copied().unwrap_or("json"));
        self.ask_for_file(FileRequest {
            purpose: FilePurpose::Export(format),
            title: format!("Export as {}", format.label()),
            mode: FileMode::Save,
            filter_name: kind,
            extensions,
            file_name,
            folder: self.workspace_folder(),
        });
    }

    /// Reads a file and shows what importing it would do; nothing changes until the user confirms. The
    /// reading and the dry runs happen on a worker thread behind a progress window.
    pub fn request_import(&mut self, path: &Path) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        self.pending_work = Some(jobs::Work::Preview { path: path.to_owned(), workspace: app.path().to_owned() });
    }

    /// Reads a CSV file of samples for a KPI and shows the preview; nothing is stored until the user
    /// confirms, and then all rows or none.
    pub fn request_samples_import(&mut self, metric_id: crate::model::MetricId, path: &Path) {
        let Some(metric) =
            self.app.as_ref().and_then(|app| app.workspace().metrics.iter().find(|m| m.metric_id == metric_id))
        else {
            return;
        };
        let file_name =
            path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
        let size = std::fs::metadata(path).map_or(0, |meta| meta.len());
        let limit = crate::interchange::samples_csv::MAX_SAMPLES_FILE_BYTES as u64;
        let text = if size > limit {
            Err(format!("{file_name} is {} MB; a samples file may be at most {} MB.", size >> 20, limit >> 20))
        } else {
            std::fs::read(path).map_err(|error| format!("{file_name} could not be read: {error}.")).and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    format!(
                        "{file_name} is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again."
                    )
                })
            })
        };
        let preview = text.and_then(|text| crate::interchange::samples_csv::preview_samples(&text, metric));
        match preview {
            Ok(preview) => {
                self.metrics.samples_import = Some(kpi_editor::SamplesImport { metric_id, file_name, preview });
            }
            Err(error) => self.complain(format!("Nothing was imported. {error}")),
        }
    }

    /// Applies a command from a window (KPI editor, sprint editor, samples import); returns the error
    /// message instead of showing it, so the window can keep it beside the fields.
    fn apply_from_window(&mut self, command: Command) -> Result<(), String> {
        let Some(app) = self.app.as_mut() else {
            return Err("No workspace is open.".to_owned());
        };
        let created_metric = matches!(command, Command::CreateMetric(_));
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

    /// The KPI editor, the samples import preview and the sprint editor, when open.
    fn planning_windows_ui(&mut self, ctx: &egui::Context) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let mut command = None;
        if let Some(editor) = self.metrics.editor.as_mut() {
            match kpi_editor::kpi_editor_ui(ctx, editor) {
                kpi_editor::KpiEditorOutcome::Open => {}
                kpi_editor::KpiEditorOutcome::Close => self.metrics.editor = None,
                kpi_editor::KpiEditorOutcome::Apply(apply) => command = Some(("kpi", apply)),
            }
        }
        if let Some(import) = &self.metrics.samples_import {
            match app.workspace().metrics.iter().find(|metric| metric.metric_id == import.metric_id) {
                Some(metric) => {
                    let (apply, close) = kpi_editor::samples_import_ui(ctx, import, metric);
                    if close {
                        self.metrics.samples_import = None;
                    }
                    if let Some(apply) = apply {
                        command = Some(("samples", apply));
                    }
                }
                None => self.metrics.samples_import = None,
            }
        }
        if let Some(editor) = self.sprints.editor.as_mut() {
            let (apply, close) = sprints::sprint_editor_ui(ctx, editor, app.workspace());
            if let Some(apply) = apply {
                command = Some(("sprint", apply));
            } else if close {
                self.sprints.editor = None;
            }
        }
        let Some((window, command)) = command else {
            return;
        };
        match (self.apply_from_window(command), window) {
            (Ok(()), "kpi") => self.metrics.editor = None,
            (Ok(()), "sprint") => self.sprints.editor = None,
            (Ok(()), _) => {}
            (Err(error), "kpi") => {
                if let Some(editor) = self.metrics.editor.as_mut() {
                    editor.error = Some(error);
                }
            }
            (Err(error), "sprint") => {
                if let Some(editor) = self.sprints.editor.as_mut() {
                    editor.error = Some(error);
                }
            }
            (Err(error), _) => self.complain(format!("Nothing was imported. {error}")),
        }
    }

    /// Rebuilds the delivery charts' inputs from the status-change log when the workspace changed.
    fn refresh_delivery(&mut self) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let workspace = app.workspace();
        if self.metrics.page != metrics::MetricsPage::Delivery || !self.metrics.delivery_is_stale(workspace) {
            return;
        }
        let (changes, failure) = match app.store().status_changes() {
            Ok(changes) => (changes, None),
            Err(error) => (Vec::new(), Some(format!("The board's history could not be read: {error}"))),
        };
        let started =
            self.metrics.started_column.or_else(|| crate::model::delivery::default_started_column(&workspace.columns));
        let zone = jiff::tz::TimeZone::system();
        let log = crate::model::delivery::DeliveryLog::new(
            &workspace.columns,
            workspace.items(),
            &changes,
            started,
            |instant| instant.to_zoned(zone.clone()).date(),
        );
        self.metrics.delivery = Some(metrics::DeliveryCache {
            revision: workspace.revision(),
            started_column: self.metrics.started_column,
            log: std::sync::Arc::new(log),
        });
        if let Some(failure) = failure {
            self.complain(failure);
        }
    }

    /// Sends a chart the user asked to copy or save to the renderer, and handles the picture when it
    /// comes back (a frame later).
    fn captures_ui(&mut self, ctx: &egui::Context) {
        let arrived = self.captured.lock().ok().and_then(|mut slot| slot.take());
        if let Some((capture, image)) = arrived {
            match capture.target {
                metrics::CaptureTarget::Clipboard => {
                    ctx.copy_image(image);
                    self.say(format!("Copied the {} chart to the clipboard.", capture.name));
                }
                metrics::CaptureTarget::File => {
                    // The picture is taken first, then the file asked for, so the chart is as it was
                    // when the button was pressed.
                    let file_name = format!("{}.png", metrics::file_stem(&capture.name));
                    self.pending_png = Some((capture.name, image));
                    self.ask_for_file(FileRequest {
                        purpose: FilePurpose::ChartPng,
                        title: "Save the chart as PNG".to_owned(),
                        mode: FileMode::Save,
                        filter_name: "PNG pictures",
                        extensions: &["png"],
                        file_name,
                        folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
                    });
                }
            }
        }
        if let Some(capture) = self.metrics.capture.take() {
            let slot = std::sync::Arc::clone(&self.captured);
            let pixels_per_point = ctx.pixels_per_point();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let cropped = image.region(&capture.rect, Some(pixels_per_point));
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some((capture, cropped));
                }
                repaint.request_repaint();
            });
        }
    }

    /// Whether an import or export is running (the progress window is up).
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.pending_work.is_some()
    }

    fn jobs_ui(&mut self, ctx: &egui::Context) {
        if let Some(work) = self.pending_work.take() {
            self.job = Some(jobs::Job::start(work, ctx));
        }
        let Some(job) = &self.job else {
            return;
        };
        let Some(outcome) = job.poll() else {
            if jobs::progress_ui(ctx, job) {
                job.progress.cancel();
            }
            return;
        };
        self.job = None;
        self.finish_job(outcome);
    }

    fn finish_job(&mut self, outcome: jobs::Outcome) {
        use crate::interchange::InterchangeError;
        match outcome {
            jobs::Outcome::Previewed { path, result } => match result {
                Ok(previewed) => {
                    let new_path = self.app.as_ref().map_or_else(PathBuf::new, |app| {
                        suggested_workspace_path(app.path(), &previewed.document.product.name)
                    });
                    self.import_preview = Some(ImportPreview {
                        path,
                        previewed,
                        into_new: false,
                        new_path: new_path.display().to_string(),
                    });
                }
                Err(InterchangeError::Cancelled) => self.say("Import cancelled; nothing changed."),
                Err(error) => self.complain(error.to_string()),
            },
            jobs::Outcome::Imported { source, target, result } => match (result, target) {
                (Ok(report), jobs::ImportTarget::Merge(_)) => {
                    let reloaded = self.app.as_mut().map(App::reload);
                    if let Some(app) = self.app.as_ref() {
                        Self::rebase_editor(self.editor.as_mut(), app);
                    }
                    self.roadmap = roadmap::RoadmapState::default();
                    self.board = board::BoardState::default();
                    match reloaded {
                        Some(Err(error)) => self.complain(error.to_string()),
                        _ => self.say(format!(
                            "Imported {} items from {}. Undo history was cleared.",
                            report.items,
                            source.display()
                        )),
                    }
                }
                (Ok(report), jobs::ImportTarget::New(path))
                    if self.editor.as_ref().is_some_and(EditorState::is_dirty) =>
                {
                    // The editor's unsaved edits belong to this workspace: ask about them before opening
                    // the new one.
                    self.requested.push(UiAction::OpenRecent(path.clone()));
                    self.say(format!(
                        "Imported {} items from {} into the new workspace {}; it opens once you decide about the unsaved changes in the editor.",
                        report.items,
                        source.display(),
                        path.display()
                    ));
                }
                (Ok(report), jobs::ImportTarget::New(path)) => {
                    self.switch_to(&path, NewWorkspace::Blank);
                    self.board = board::BoardState::default();
                    self.say(format!(
                        "Imported {} items from {} into the new workspace {}.",
                        report.items,
                        source.display(),
                        path.display()
                    ));
                }
                (Err(InterchangeError::Cancelled), _) => self.say("Import cancelled; nothing was written."),
                (Err(error), _) => self.complain(error.to_string()),
            },
            jobs::Outcome::Exported { out, result } => match result {
                Ok(()) => self.say(format!("Exported to {}", out.display())),
                Err(InterchangeError::Cancelled) => self.say("Export cancelled; no file was written."),
                Err(error) => self.complain(error.to_string()),
            },
            jobs::Outcome::Lost => {
                self.complain("The import or export stopped unexpectedly; the workspace was not changed. Try again.");
            }
        }
    }

    fn import_preview_ui(&mut self, ctx: &egui::Context) {
        let Some(preview) = self.import_preview.as_mut() else {
            return;
        };
        let mut confirm = false;
        let mut cancel = false;
        let mut choose_file = false;
        let mut open = true;
        let window = egui::Window::new("Import preview")
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center());
        window.show(ctx, |ui| {
            let source = &preview.previewed.document.conversion.source;
            if source.is_empty() {
                ui.label(format!("File: {}", preview.path.display()));
            } else {
                ui.label(format!("{source}: {}", preview.path.display()));
            }
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.radio_value(&mut preview.into_new, false, "Merge into this workspace");
                ui.radio_value(&mut preview.into_new, true, "Create a new workspace");
            });
            if preview.into_new {
                ui.horizontal(|ui| {
                    let label = ui.label("New workspace file:");
                    ui.add(egui::TextEdit::singleline(&mut preview.new_path).desired_width(330.0))
                        .labelled_by(label.id);
                    if ui.button("Choose…").clicked() {
                        choose_file = true;
                    }
                });
            }
            ui.add_space(4.0);
            ui.label(RichText::new("This import would add:").strong());
            let report = if preview.into_new { &preview.previewed.new } else { &preview.previewed.merge };
            egui::ScrollArea::vertical().max_height(320.0).auto_shrink([false, true]).show(ui, |ui| {
                for line in report.to_string().lines() {
                    if line.ends_with(':') {
                        ui.label(RichText::new(line).strong());
                    } else {
                        ui.label(line);
                    }
                }
            });
            ui.add_space(6.0);
            if preview.into_new {
                ui.label("The new workspace opens when the import finishes; this one stays as it is.");
            } else {
                ui.label(
                    "Columns, epics and sprints with the same names are reused; existing items are never changed.",
                );
            }
            ui.horizontal(|ui| {
                let label = if preview.into_new { "Create workspace and import" } else { "Import into this workspace" };
                if ui.button(RichText::new(label).strong()).clicked() {
                    confirm = true;
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        });
        if choose_file {
            let current = Path::new(&preview.new_path);
            let request = FileRequest {
                purpose: FilePurpose::ImportTarget,
                title: "New workspace for the import".to_owned(),
                mode: FileMode::Save,
                filter_name: "Tandem workspaces",
                extensions: &["sqlite"],
                file_name: current
                    .file_name()
                    .map_or_else(|| "Imported.sqlite".to_owned(), |name| name.to_string_lossy().into_owned()),
                folder: current.parent().map(Path::to_path_buf).filter(|folder| folder.is_dir()),
            };
            self.ask_for_file(request);
            return;
        }
        if cancel {
            open = false;
        }
        if confirm {
            let Some(preview) = self.import_preview.take() else {
                return;
            };
            let Some(app) = self.app.as_ref() else {
                return;
            };
            let target = if preview.into_new {
                let path = PathBuf::from(preview.new_path.trim());
                if path.as_os_str().is_empty() || path.exists() {
                    let reason =
                        if path.as_os_str().is_empty() { "no file name was given" } else { "that file already exists" };
                    self.complain(format!(
                        "Cannot create the new workspace: {reason}. Choose a new file name. {}",
                        path.display()
                    ));
                    self.import_preview = Some(preview);
                    return;
                }
                jobs::ImportTarget::New(path)
            } else {
                jobs::ImportTarget::Merge(app.path().to_owned())
            };
            self.pending_work = Some(jobs::Work::Import {
                document: Box::new(preview.previewed.document),
                source: preview.path,
                target,
            });
        } else if !open {
            self.import_preview = None;
            self.say("Import cancelled; nothing changed.");
        }
    }

    fn switch_to(&mut self, path: &Path, new_workspace: NewWorkspace) {
        match App::open(path, new_workspace) {
            Ok(app) => {
                self.app = Some(app);
                self.open_error = None;
                self.editor = None;
                self.roadmap = roadmap::RoadmapState::default();
                self.board.selected = None;
                self.remember = true;
                self.remember_file(path);
                self.say(format!("Opened {}", path.display()));
            }
            Err(error) => {
                if self.app.is_some() {
                    self.complain(error.to_string());
                } else {
                    self.open_error = Some(error.to_string());
                }
            }
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.app.as_ref().map_or_else(
            || "Tandem".to_owned(),
            |app| {
                let read_only = if app.is_read_only() { " (read-only)" } else { "" };
                format!("{} — {}{read_only} — Tandem", app.workspace().product.name, app.file_name())
            },
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// The shortcuts listed in the help overlay.
const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+N", "New item"),
    ("Ctrl+Enter", "Save the item in the editor"),
    ("Esc", "Close the editor or a dialog"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z or Ctrl+Y", "Redo"),
    ("Ctrl+1 / Ctrl+2 / Ctrl+3", "Board / Roadmap / Metrics"),
    ("Tab / Shift+Tab", "Move between cards and controls"),
    ("Arrow keys", "Select the card above, below, left or right"),
    ("Enter or Space", "Open the focused card"),
    ("Ctrl+Up / Ctrl+Down", "Move the selected card up or down"),
    ("Ctrl+Left / Ctrl+Right", "Move the selected card to the previous or next column"),
    ("Ctrl+Home / Ctrl+End", "Move the selected card to the top or bottom of its column"),
    ("Drag a card", "Move it; a line shows where it lands; Esc cancels"),
    ("Ctrl+O", "Open a workspace"),
    ("Ctrl+Shift+S", "Save a copy"),
    ("Ctrl + / Ctrl − / Ctrl 0", "Zoom in / out / reset"),
    ("F1", "Show or hide this list"),
];

impl eframe::App for TandemApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let mut actions = std::mem::take(&mut self.requested);
        if !self.is_busy() {
            self.shortcuts(&ctx, &mut actions);
        }
        // Escape closes an open menu or drop-down first (egui handles that), then a dialog, then the editor.
        if !egui::Popup::is_any_open(&ctx) && ctx.input_mut(|input| input.consume_key(Modifiers::NONE, Key::Escape)) {
            if let Some(job) = &self.job {
                job.progress.cancel();
            } else if self.waiting.is_some() {
                self.waiting = None;
                self.say("The change was given up; nothing was saved.");
            } else if self.file_dialog.is_some() {
                self.file_dialog = None;
                self.pending_png = None;
                self.say("Cancelled; no file was chosen.");
            } else if self.unsaved.is_some() {
                self.unsaved = None;
            } else if self.board.cancel_drag() || self.roadmap.cancel_drag() {
                self.say("Drag cancelled; nothing moved.");
            } else if self.roadmap.editor.is_some() {
                self.roadmap.editor = None;
            } else if self.metrics.samples_import.is_some() {
                self.metrics.samples_import = None;
            } else if self.metrics.editor.is_some() {
                self.metrics.editor = None;
            } else if self.sprints.editor.is_some() {
                self.sprints.editor = None;
            } else if self.board.clear_group() {
                self.say("Multi-selection cleared.");
            } else if self.column_editor.is_some() {
                self.column_editor = None;
            } else if self.show_help || self.show_about {
                self.show_help = false;
                self.show_about = false;
            } else if self.editor.is_some() {
                self.leave_editor(&ctx, None);
            }
        }
        if ctx.input(|input| input.viewport().close_requested())
            && self.editor.as_ref().is_some_and(EditorState::is_dirty)
        {
            // Closing the window with unsaved edits asks first, like every other way out.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.unsaved = Some(LeaveEditor { then: Some(UiAction::Quit) });
        }
        if !self.is_busy()
            && let Some(waiting) = self.waiting.clone()
        {
            self.apply(waiting.command);
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
        if !self.is_busy() {
            self.follow_external_changes(true);
            // Keep looking for other windows' changes while idle.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }

        egui::Panel::top("menu-bar").show(ui, |ui| self.menu_bar_ui(ui, &mut actions));
        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(4.0);
            self.toolbar_ui(ui, &mut actions);
            ui.add_space(2.0);
        });
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));

        if let (Some(editor), Some(app)) = (self.editor.as_mut(), self.app.as_ref()) {
            let mut outcome = EditorOutcome::None;
            egui::Panel::right("item-editor")
                .resizable(true)
                .default_size(theme::EDITOR_WIDTH)
                .size_range(320.0..=720.0)
                .show(ui, |ui| {
                    outcome = editor::editor_ui(ui, editor, app.workspace());
                });
            match outcome {
                EditorOutcome::None => {}
                EditorOutcome::Close => self.leave_editor(&ctx, None),
                EditorOutcome::Apply(command) => actions.push(UiAction::Apply(command)),
            }
        }

        if self.prefs.view == View::Board
            && self.board.sprint_planning
            && let Some(app) = self.app.as_ref()
        {
            let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
            egui::Panel::right("sprint-planning").resizable(true).default_size(320.0).size_range(260.0..=520.0).show(
                ui,
                |ui| {
                    sprints::planning_ui(ui, app.workspace(), &mut self.sprints, &mut self.board, today, &mut actions);
                },
            );
        }
        self.refresh_delivery();
        egui::CentralPanel::default().show(ui, |ui| match &self.app {
            None => self.open_error_ui(ui, &mut actions),
            Some(app) => match self.prefs.view {
                View::Board => {
                    board::board_ui(ui, app.workspace(), &mut self.board, &mut actions);
                    self.board.reveal = None;
                }
                View::Roadmap => {
                    let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
                    roadmap::roadmap_ui(ui, app.workspace(), today, &mut self.roadmap, &mut actions);
                }
                View::Metrics => {
                    let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
                    metrics::metrics_ui(ui, app.workspace(), &mut self.metrics, today, &mut actions);
                }
            },
        });
        if let Some(app) = self.app.as_ref() {
            epic_editor::epic_editor_ui(&ctx, app.workspace(), &mut self.roadmap, &mut actions);
        }
        self.planning_windows_ui(&ctx);
        self.captures_ui(&ctx);
        self.dialogs_ui(&ctx);
        self.import_preview_ui(&ctx);
        self.unsaved_ui(&ctx);
        self.file_dialog_ui(&ctx);
        self.jobs_ui(&ctx);
        if self.is_busy() {
            // The progress window is modal; nothing else may change the workspace meanwhile.
            actions.clear();
        }
        if let Some(editor) = self.column_editor.as_mut() {
            match columns::column_editor_ui(&ctx, editor) {
                columns::ColumnEditorOutcome::Open => {}
                columns::ColumnEditorOutcome::Close => self.column_editor = None,
                columns::ColumnEditorOutcome::Apply(command) => {
                    self.column_editor = None;
                    actions.push(UiAction::Apply(command));
                }
            }
        }

        for action in actions {
            self.run(&ctx, action);
        }
        self.prefs.zoom = ctx.zoom_factor();
        self.update_title(&ctx);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }
}
