//! The shell: the window around the views. It owns the open workspace, the views' states and the
//! windows, draws the frame, and carries out what the views asked for after drawing. Its parts:
//! `menus` (menu bar, toolbar, status bar, shortcuts, help), `actions` (commands, undo, other
//! windows' changes), `editor_exit` (unsaved edits are never lost), `files` (file dialogs and file
//! actions), `progress` (imports and exports in the background, the import preview), `opening` (a large
//! workspace opening on a worker thread, its first screen shown meanwhile) and `charts` (planning windows,
//! delivery figures, chart captures).

mod actions;
mod baselines;
mod charts;
mod editor_exit;
mod files;
mod menus;
mod merge;
mod opening;
mod presenter;
mod progress;
mod welcome;

use std::path::{Path, PathBuf};

use egui::{ThemePreference, Ui};
use serde::{Deserialize, Serialize};

use super::editor::EditorState;
use super::file_dialog::{BuiltinDialog, FileMode, FilePurpose, FileRequest, NativeAnswer};
use super::metrics::kpi_editor;
use super::widgets::window::WindowOutcome;
use super::{UiAction, View, board, columns, editor, file_dialog, metrics, roadmap, sprints, theme};
use crate::app::jobs;
use crate::app::{App, Command, NewWorkspace};
use actions::Announced;

/// How many recent files the File menu remembers.
const RECENT_LIMIT: usize = 8;

/// UI preferences kept in eframe storage. Product data never goes here.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Light, dark or follow the system.
    pub theme: ThemePreference,
    /// Black and white panels, stronger outlines (on top of the light or dark theme).
    pub high_contrast: bool,
    /// Zoom factor (text and everything else).
    pub zoom: f32,
    /// Recently opened workspaces, newest first.
    pub recent_files: Vec<PathBuf>,
    /// The workspace open when the app last closed.
    pub last_file: Option<PathBuf>,
    /// The view shown when the app last closed.
    pub view: View,
    /// Whether the first start's welcome (explore the sample, or start empty) was answered.
    pub welcomed: bool,
    /// The name comments are signed with.
    pub your_name: String,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: ThemePreference::System,
            high_contrast: false,
            zoom: 1.0,
            recent_files: Vec::new(),
            last_file: None,
            view: View::Board,
            welcomed: false,
            your_name: String::new(),
        }
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
    /// A throwaway demo copy (`--demo`): the window says so, and that nothing is kept.
    pub demo: bool,
    /// A workspace file larger than this many bytes opens on a worker thread, the first screen of its
    /// board shown meanwhile ([`FIRST_SCREEN_ABOVE`] unless a test asks otherwise).
    pub first_screen_above: u64,
}

/// Above this size (about 12,000 items) a workspace opens on a worker thread: reading it whole would
/// keep the window from showing anything for a noticeable moment (a third of a second at 100,000 items).
pub const FIRST_SCREEN_ABOVE: u64 = 4 * 1024 * 1024;

/// What the window keeps of the open workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keeping {
    /// Remembered as the last and a recent file.
    Remembered,
    /// Not remembered (tests, a file opened for one look).
    NotRemembered,
    /// A throwaway demo copy, deleted when the window closes.
    Demo,
}

/// A file read and dry-run, waiting for the user to confirm and choose where it goes.
struct ImportPreview {
    path: PathBuf,
    previewed: Box<jobs::Previewed>,
    into_new: bool,
    new_path: String,
}

#[derive(Clone, Debug)]
struct StatusMessage {
    text: String,
    is_error: bool,
    /// The message as first said, and how many times in a row it was said: a repeated message shows
    /// "(2×)", so it is new text that screen readers announce again, and the eye sees it happened again.
    said: String,
    times: u32,
}

impl StatusMessage {
    fn after(previous: Option<&Self>, text: String, is_error: bool) -> Self {
        let times = previous
            .filter(|previous| previous.said == text && previous.is_error == is_error)
            .map_or(1, |previous| previous.times + 1);
        let shown = if times > 1 { format!("{text} ({times}×)") } else { text.clone() };
        Self { text: shown, is_error, said: text, times }
    }
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

/// Esc on a window that edits something: closes it when nothing is unsaved, otherwise asks; Esc while
/// it asks is the safe answer, Keep editing.
fn escape_may_close(closing: &mut crate::ui::widgets::window::CloseGuard, dirty: bool) -> bool {
    if closing.is_asking() {
        closing.keep_editing();
        return false;
    }
    closing.request(dirty)
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
    /// The startup workspace being opened on a worker thread, its board's first screen shown meanwhile.
    opening: Option<opening::PendingOpen>,
    /// Workspace files larger than this open on the worker thread ([`Startup::first_screen_above`]).
    first_screen_above: u64,
    open_error: Option<String>,
    prefs: Preferences,
    board: board::BoardState,
    roadmap: roadmap::RoadmapState,
    /// UX research: its window and the persona and insight windows.
    research: crate::ui::research::ResearchState,
    metrics: metrics::MetricsState,
    sprints: sprints::SprintPanel,
    /// Typing and clicks that came in one frame, taken in two ([`crate::ui::InputOrder`]).
    input_order: crate::ui::InputOrder,
    /// A chart picture arriving from the renderer, with what to do with it.
    captured: std::sync::Arc<std::sync::Mutex<Option<(metrics::Capture, egui::ColorImage)>>>,
    editor: Option<EditorState>,
    /// The editor holds unsaved edits and the user asked to leave it: what to do once they chose
    /// Save or Discard (`None`: just close the editor).
    unsaved: Option<LeaveEditor>,
    /// Windows (epic, sprint, KPI, column) hold unsaved edits and the user asked to leave the
    /// workspace: what to do once they chose to discard them.
    unsaved_windows: Option<UiAction>,
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
    /// The workspace whose file another program moved, deleted or replaced, once that was said.
    said_gone: Option<PathBuf>,
    /// A change over thousands of items, said in the status bar first and made two frames later (once
    /// the frame that says it has reached the screen), so that the window shows what it is doing while
    /// it does it; with the frame it was said in.
    announced: Option<(Announced, u64)>,
    /// The frame being drawn (egui's count of frames, not of passes: a frame may be laid out twice).
    frame: u64,
    /// Actions asked for from outside a frame (tests, the command line), carried out in the next one.
    requested: Vec<UiAction>,
    column_editor: Option<columns::ColumnEditor>,
    /// The product's name and vision, while being edited.
    product_editor: Option<super::product::ProductEditor>,
    /// File ▸ Save baseline…, while open.
    save_baseline: Option<baselines::SaveBaseline>,
    /// File ▸ Compare…, while open.
    compare: Option<baselines::CompareWindow>,
    /// A comparison being worked out on a worker thread (a large plan).
    compare_job: Option<baselines::CompareJob>,
    /// File ▸ Merge changes from a copy…: the review, while open.
    merge: Option<merge::MergeWindow>,
    /// The first start's welcome window, while it shows: whether its first button should take the focus.
    welcome: Option<bool>,
    /// How many fresh sample copies this window made (each gets a new file name).
    sample_copies: u32,
    /// Presenter mode, while it is on.
    presenter: Option<presenter::Presenter>,
    /// How many windows, dialogs and editors were open at the end of the last frame: when one closes,
    /// the focus goes back to the selected card or bar.
    open_windows: usize,
    import_preview: Option<ImportPreview>,
    /// An export chosen in File ▸ Open, handed to the import preview: it proposes a new workspace.
    opened_as_import: Option<PathBuf>,
    job: Option<jobs::Job>,
    pending_work: Option<jobs::Work>,
    /// The window was asked to close while a job ran: it closes once the job is done (or cancelled).
    close_after_job: bool,
    status: Option<StatusMessage>,
    show_help: bool,
    show_about: bool,
    title: String,
    keeping: Keeping,
    /// The folder of the default workspace (the user's data folder): where new workspaces and copies
    /// go while a throwaway copy in the temporary folder is open.
    kept_folder: Option<PathBuf>,
    today: Option<crate::model::Date>,
    /// The delivery figures being worked out on a worker thread, for a large workspace.
    delivery_job: Option<charts::DeliveryJob>,
    /// Above how many items the delivery figures are worked out on a worker thread.
    delivery_worker_above: usize,
    /// Above how many items another window's change is read on a worker thread.
    follow_worker_above: usize,
    /// Above how many items the Compare panel compares on a worker thread.
    compare_worker_above: usize,
    /// Watches the open workspace's file for other windows' and programs' changes, so that an idle window
    /// draws no frames until one comes ([`crate::store::watch`]).
    watcher: Option<crate::store::watch::Watcher>,
}

impl TandemApp {
    /// Whether a watcher follows the open workspace's file; one is started for a workspace newly open.
    fn watching(&mut self, ctx: &egui::Context) -> bool {
        let Some(path) = self.app.as_ref().map(|app| app.path().to_owned()) else {
            self.watcher = None;
            return false;
        };
        if self.watcher.as_ref().is_some_and(|watcher| watcher.path() == path) {
            return true;
        }
        let repaint = ctx.clone();
        self.watcher = crate::store::watch::Watcher::start(&path, std::time::Duration::from_secs(1), move || {
            repaint.request_repaint();
        })
        .ok();
        self.watcher.is_some()
    }

    /// Opens the startup workspace, with preferences from eframe storage when there is one.
    #[must_use]
    pub fn new(creation: &eframe::CreationContext<'_>, startup: &Startup) -> Self {
        let prefs: Preferences =
            creation.storage.and_then(|storage| eframe::get_value(storage, eframe::APP_KEY)).unwrap_or_default();
        Self::with_preferences(&creation.egui_ctx, startup, prefs)
    }

    /// Opens the startup workspace with `prefs` as a previous session left them.
    #[must_use]
    pub fn with_preferences(ctx: &egui::Context, startup: &Startup, prefs: Preferences) -> Self {
        theme::install_fonts(ctx);
        theme::install_style(ctx);
        theme::install_visuals(ctx, prefs.high_contrast);
        ctx.set_theme(prefs.theme);
        if prefs.zoom.is_finite() {
            ctx.set_zoom_factor(prefs.zoom.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1));
        }
        let mut tandem = Self {
            app: None,
            opening: None,
            first_screen_above: startup.first_screen_above,
            open_error: None,
            prefs,
            board: board::BoardState::default(),
            roadmap: roadmap::RoadmapState::default(),
            research: crate::ui::research::ResearchState::default(),
            metrics: metrics::MetricsState::default(),
            sprints: sprints::SprintPanel::default(),
            input_order: crate::ui::InputOrder::default(),
            captured: std::sync::Arc::default(),
            editor: None,
            unsaved: None,
            unsaved_windows: None,
            requested: Vec::new(),
            waiting: None,
            said_gone: None,
            announced: None,
            frame: 0,
            file_dialog: None,
            dialogs: if std::env::var("TANDEM_FILE_DIALOG").is_ok_and(|value| value == "builtin") {
                DialogBackend::Builtin
            } else {
                DialogBackend::System
            },
            last_folder: None,
            pending_png: None,
            column_editor: None,
            product_editor: None,
            save_baseline: None,
            compare: None,
            merge: None,
            open_windows: 0,
            presenter: None,
            welcome: None,
            sample_copies: 0,
            import_preview: None,
            opened_as_import: None,
            compare_job: None,
            job: None,
            pending_work: None,
            close_after_job: false,
            status: None,
            show_help: false,
            show_about: false,
            title: String::new(),
            keeping: if startup.demo {
                Keeping::Demo
            } else if startup.remember {
                Keeping::Remembered
            } else {
                Keeping::NotRemembered
            },
            today: None,
            kept_folder: startup.default_path.parent().map(Path::to_path_buf),
            delivery_job: None,
            delivery_worker_above: charts::DELIVERY_WORKER_ABOVE,
            follow_worker_above: crate::app::FOLLOW_WORKER_ABOVE,
            compare_worker_above: baselines::COMPARE_WORKER_ABOVE,
            watcher: None,
        };
        // The workspace open last may be gone: moved, renamed, deleted, or on a drive not connected now.
        let missing = tandem.prefs.last_file.clone().filter(|last| startup.path.is_none() && !last.exists());
        let path = startup
            .path
            .clone()
            .or_else(|| tandem.prefs.last_file.clone().filter(|last| last.exists()))
            .unwrap_or_else(|| startup.default_path.clone());
        let first_start =
            !path.exists() && startup.new_workspace == NewWorkspace::Sample && !startup.demo && !tandem.prefs.welcomed;
        let ready = if path == startup.default_path { data_folder_ready(&path) } else { Ok(()) };
        if ready.is_ok() && tandem.opens_in_the_background(&path) {
            let keeping = tandem.keeping;
            tandem.start_opening(&path, startup.new_workspace, keeping);
        } else {
            match ready.and_then(|()| App::open(&path, startup.new_workspace).map_err(|error| error.to_string())) {
                Ok(app) => {
                    tandem.remember_file(&path);
                    tandem.app = Some(app);
                    tandem.welcome = first_start.then_some(true);
                }
                Err(error) => tandem.open_error = Some(error),
            }
        }
        if let Some(missing) = missing {
            let opened = match (&tandem.app, tandem.opening()) {
                (Some(app), _) => format!("Tandem opened {} instead", app.path().display()),
                (None, Some(opening)) => format!("Tandem is opening {} instead", opening.path().display()),
                (None, None) => "Tandem opened no workspace instead".to_owned(),
            };
            tandem.complain(format!(
                "The workspace open last time is not there any more: {}. {opened}. It was moved, renamed or deleted, or it is on a drive that is not connected: File ▸ Open… finds it where it is now, and File ▸ Open recent still lists it.",
                missing.display()
            ));
        }
        tandem
    }

    /// Above how many items the delivery figures and the Compare panel's comparisons are worked out on
    /// a worker thread, and the list is sorted on another (tests set 0 to see that path on a small
    /// workspace).
    pub fn set_worker_above(&mut self, items: usize) {
        self.delivery_worker_above = items;
        self.compare_worker_above = items;
        self.board.list_sort_elsewhere_from = Some(items.saturating_add(1));
    }

    /// Above how many items a change made by another window or program is read on a worker thread, the
    /// board showing what it had meanwhile (tests set 0 to see that path on a small workspace).
    pub fn set_follow_worker_above(&mut self, items: usize) {
        self.follow_worker_above = items;
    }

    /// While `held`, a workspace opened on a worker thread is not taken in once it is ready: the first
    /// screen stays (tests look at it, however fast the worker is).
    pub fn hold_opening(&mut self, held: bool) {
        if let Some(pending) = &mut self.opening {
            pending.opening.hold(held);
        }
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

    /// The window's title, as last set.
    #[must_use]
    pub fn window_title(&self) -> &str {
        &self.title
    }

    /// The message in the status bar.
    #[must_use]
    pub fn status_text(&self) -> Option<&str> {
        self.status.as_ref().map(|status| status.text.as_str())
    }

    fn remember_file(&mut self, path: &Path) {
        if self.keeping != Keeping::Remembered {
            return;
        }
        let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
        self.prefs.recent_files.retain(|recent| *recent != path);
        self.prefs.recent_files.insert(0, path.clone());
        self.prefs.recent_files.truncate(RECENT_LIMIT);
        self.prefs.last_file = Some(path);
    }

    /// Escape closes an open menu or drop-down first (egui handles that), then a dialog, then the editor,
    /// then the Compare panel, then presenter mode.
    fn escape_closes(&mut self, ctx: &egui::Context) {
        if !egui::Popup::is_any_open(ctx) && ctx.input_mut(|input| input.consume_shortcut(&super::shortcuts::ESCAPE)) {
            if let Some(job) = &self.job {
                job.progress.cancel();
            } else if self.waiting.is_some() {
                self.waiting = None;
                self.say("The change was given up; nothing was saved.");
            } else if self.file_dialog.is_some() {
                self.file_dialog = None;
                self.pending_png = None;
                self.say("Cancelled; no file was chosen.");
            } else if self.unsaved.is_some() || self.unsaved_windows.is_some() {
                self.unsaved = None;
                self.unsaved_windows = None;
            } else if self.board.cancel_drag() || self.roadmap.cancel_drag() {
                self.say("Drag cancelled; nothing moved.");
            } else if let Some(editor) = self.roadmap.editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.roadmap.editor = None;
                }
            } else if let Some(editor) = self.roadmap.release_editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.roadmap.release_editor = None;
                }
            } else if let Some(editor) = self.roadmap.increment_editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.roadmap.increment_editor = None;
                }
            } else if let Some(editor) = self.research.insight_editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.research.insight_editor = None;
                }
            } else if let Some(editor) = self.research.persona_editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.research.persona_editor = None;
                }
            } else if self.research.open {
                self.research.open = false;
            } else if self.metrics.samples_import.is_some() {
                self.metrics.samples_import = None;
            } else if let Some(editor) = self.metrics.editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.metrics.editor = None;
                }
            } else if let Some(editor) = self.sprints.editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.sprints.editor = None;
                }
            } else if let Some(said) = self.board.escape() {
                if let Some(said) = said {
                    self.say(said);
                }
            } else if let Some(editor) = self.column_editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.column_editor = None;
                }
            } else if let Some(editor) = self.product_editor.as_mut() {
                let dirty = editor.is_dirty();
                if escape_may_close(&mut editor.closing, dirty) {
                    self.product_editor = None;
                }
            } else if let Some(window) = self.save_baseline.as_mut() {
                let dirty = window.is_dirty();
                if escape_may_close(&mut window.closing, dirty) {
                    self.save_baseline = None;
                }
            } else if self.merge.is_some() {
                self.merge = None;
            } else if self.show_help || self.show_about {
                self.show_help = false;
                self.show_about = false;
            } else if self.editor.is_some() {
                // The editor opened last when it shows beside the Compare panel: it closes first.
                self.leave_editor(ctx, None);
            } else if self.compare.is_some() {
                self.close_compare();
            } else if self.presenter.is_some() {
                self.toggle_presenter(ctx);
            }
        }
    }

    /// Keeps the user's zoom within [`ZOOM_RANGE`] (saying so when a key went past it) and in the
    /// preferences; presenter mode's larger type is not the user's zoom, so it is not kept.
    fn keep_zoom(&mut self, ctx: &egui::Context) {
        if self.presenter.is_some() {
            return;
        }
        let zoom = ctx.zoom_factor();
        let kept = zoom.clamp(ZOOM_RANGE.0, ZOOM_RANGE.1);
        if (kept - zoom).abs() > f32::EPSILON {
            ctx.set_zoom_factor(kept);
            self.say(format!("Zoom stays between {:.0}% and {:.0}%.", ZOOM_RANGE.0 * 100.0, ZOOM_RANGE.1 * 100.0));
        }
        self.prefs.zoom = kept;
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMessage::after(self.status.as_ref(), text.into(), false));
    }

    /// Says `text` without counting repeats (a message a retry loop says again every few frames).
    fn say_steadily(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.status = Some(StatusMessage { text: text.clone(), is_error: false, said: text, times: 1 });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(StatusMessage::after(self.status.as_ref(), text.into(), true));
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.app.as_ref().map_or_else(
            || {
                self.opening().map_or_else(
                    || "Tandem".to_owned(),
                    |opening| format!("{} (opening) — Tandem", opening::file_name(opening.path())),
                )
            },
            |app| {
                let read_only = if app.is_read_only() { " (read-only)" } else { "" };
                if self.keeping == Keeping::Demo {
                    format!("{} — demo copy, nothing is kept — Tandem", app.workspace().product.name)
                } else {
                    format!("{} — {}{read_only} — Tandem", app.workspace().product.name, app.file_name())
                }
            },
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

impl TandemApp {
    /// While idle: takes in what another window or program changed in the file. The watcher asks for a
    /// frame when that happens; without one, the window looks every second itself. Once a minute a frame
    /// all the same, for what the clock changes (today's date for overdue cards).
    fn look_at_the_file(&mut self, ctx: &egui::Context) {
        self.follow_external_changes(true);
        let interval = if self.watching(ctx) { 60 } else { 1 };
        ctx.request_repaint_after(std::time::Duration::from_secs(interval));
        if self.app.as_ref().is_some_and(App::is_following) {
            // Another window's change is being read on the worker: looked for every frame until in.
            ctx.request_repaint_after(std::time::Duration::from_millis(20));
        }
    }

    /// Windows, dialogs and the editor open now.
    fn count_open_windows(&self) -> usize {
        [
            self.editor.is_some(),
            self.unsaved.is_some(),
            self.file_dialog.is_some(),
            self.column_editor.is_some(),
            self.product_editor.is_some(),
            self.import_preview.is_some(),
            self.roadmap.editor.is_some(),
            self.roadmap.release_editor.is_some(),
            self.roadmap.increment_editor.is_some(),
            self.research.open,
            self.research.persona_editor.is_some(),
            self.research.insight_editor.is_some(),
            self.metrics.editor.is_some(),
            self.metrics.samples_import.is_some(),
            self.sprints.editor.is_some(),
            self.show_help,
            self.show_about,
            self.welcome.is_some(),
            self.save_baseline.is_some(),
            self.compare.is_some(),
            self.merge.is_some(),
        ]
        .into_iter()
        .filter(|open| *open)
        .count()
    }

    /// When a window closed this frame, the focus goes back to what it was about: the selected card
    /// (scrolled into view) or the selected roadmap bar, never nowhere.
    fn give_focus_back(&mut self) {
        let open = self.count_open_windows();
        if open < self.open_windows {
            match self.prefs.view {
                View::Board => {
                    if let Some(selected) = self.board.selected {
                        self.board.select(selected);
                    }
                }
                View::Roadmap => self.roadmap.focus_selected(),
                View::Metrics => {}
            }
        }
        self.open_windows = open;
    }
}

/// Creates the folder of the workspace in the user's data folder when it is missing (the first start);
/// why it could not, in a sentence for the window.
fn data_folder_ready(path: &Path) -> Result<(), String> {
    let Some(folder) = path.parent().filter(|folder| !folder.as_os_str().is_empty() && !folder.is_dir()) else {
        return Ok(());
    };
    std::fs::create_dir_all(folder).map_err(|error| {
        format!(
            "Tandem could not create its data folder {}, where your workspace is kept ({error}); perhaps a file is in its place. Nothing was changed. Open a workspace that is elsewhere, or create a new one in another folder.",
            folder.display()
        )
    })
}

/// The zoom a user can choose (and that a restart restores): from 50% to 300%.
const ZOOM_RANGE: (f32, f32) = (0.5, 3.0);

impl eframe::App for TandemApp {
    /// Letters typed and a click that came in one frame go to egui in two frames, in their order: the
    /// rest of this frame's events wait for the next frame, asked for at once.
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        if self.input_order.order(&mut raw_input.events) {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.finish_opening(&ctx);
        let mut actions = std::mem::take(&mut self.requested);
        if !self.is_busy() {
            self.presenter_keys(&ctx, &mut actions);
            self.shortcuts(&ctx, &mut actions);
        }
        self.escape_closes(&ctx);
        self.files_dropped(&ctx, &mut actions);
        let job_writes = self.pending_work.as_ref().is_some_and(|work| !matches!(work, jobs::Work::Preview { .. }))
            || self.job.as_ref().is_some_and(|job| job.writes);
        if ctx.input(|input| input.viewport().close_requested()) && job_writes {
            // Closing now would throw away an import or an undo half made (it is rolled back), or leave
            // an export's temporary file, without a word: the window stays until it is done, and the
            // progress window says so. A preview only reads, and closes at once.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.close_after_job = true;
        } else if ctx.input(|input| input.viewport().close_requested()) && self.waiting.is_some() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.complain(actions::STILL_WAITING);
        } else if ctx.input(|input| input.viewport().close_requested()) && !self.dirty_windows().is_empty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.unsaved_windows = Some(UiAction::Quit);
        } else if ctx.input(|input| input.viewport().close_requested())
            && self.editor.as_ref().is_some_and(EditorState::is_dirty)
        {
            // Closing the window with unsaved edits asks first, like every other way out.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.unsaved = Some(LeaveEditor { then: Some(UiAction::Quit) });
        }
        self.frame = ctx.cumulative_frame_nr();
        match self.announced.take() {
            Some((change, said_in)) if self.frame >= said_in + 2 => self.make(change),
            waiting => self.announced = waiting,
        }
        if !self.is_busy()
            && let Some(waiting) = self.waiting.clone()
        {
            self.apply(waiting.command);
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
        if !self.is_busy() {
            self.look_at_the_file(&ctx);
        }

        if self.presenter.is_some() {
            egui::Panel::top("presenter-bar").show(ui, |ui| {
                ui.add_space(4.0);
                self.presenter_bar_ui(ui, &mut actions);
                ui.add_space(2.0);
            });
        } else {
            // While the workspace opens, nothing in the menus or the toolbar could be done yet: they are
            // shown disabled, not taking clicks that would come to nothing.
            let ready = self.opening.is_none();
            egui::Panel::top("menu-bar").show(ui, |ui| {
                ui.add_enabled_ui(ready, |ui| self.menu_bar_ui(ui, &mut actions));
            });
            egui::Panel::top("toolbar").show(ui, |ui| {
                ui.add_space(4.0);
                ui.add_enabled_ui(ready, |ui| self.toolbar_ui(ui, &mut actions));
                ui.add_space(2.0);
            });
        }
        egui::Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));
        if self.status.as_ref().is_some_and(|status| status.is_error) {
            egui::Panel::bottom("error-bar").show(ui, |ui| {
                ui.add_space(2.0);
                self.error_bar_ui(ui);
                ui.add_space(2.0);
            });
        }
        crate::ui::widgets::window::remember_work_area(&ctx, ui.available_rect_before_wrap());

        if let (Some(editor), Some(app)) = (self.editor.as_mut(), self.app.as_ref()) {
            let mut outcome = WindowOutcome::Open;
            let said_before = editor.error.clone();
            egui::Panel::right("item-editor")
                .resizable(true)
                .default_size(theme::EDITOR_WIDTH)
                .size_range(320.0..=720.0)
                .show(ui, |ui| {
                    outcome = editor::editor_ui(ui, editor, app, &mut self.prefs.your_name, &mut actions);
                });
            // The editor refused to save and says why beside its button: the status bar no longer tells
            // of the last change that was saved.
            if editor.error.is_some() && editor.error != said_before {
                self.status = None;
            }
            match outcome {
                WindowOutcome::Open => {}
                WindowOutcome::Closed => self.leave_editor(&ctx, None),
                WindowOutcome::Apply(command) => actions.push(UiAction::Apply(command)),
            }
        }

        let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
        self.board.today = Some(today);
        if self.prefs.view == View::Board
            && self.board.sprint_planning
            && let Some(app) = self.app.as_ref()
        {
            egui::Panel::right("sprint-planning").resizable(true).default_size(320.0).size_range(260.0..=520.0).show(
                ui,
                |ui| {
                    sprints::planning_ui(ui, app.workspace(), &mut self.sprints, &mut self.board, today, &mut actions);
                },
            );
        }
        self.compare_panel_ui(ui);
        self.refresh_delivery(&ctx);
        egui::CentralPanel::default().show(ui, |ui| match &self.app {
            _ if self.opening.is_some() => self.opening_ui(ui),
            None => self.open_error_ui(ui, &mut actions),
            Some(app) => match self.prefs.view {
                View::Board => {
                    board::board_ui(ui, app.workspace(), &mut self.board, &mut actions);
                    self.board.reveal = None;
                }
                View::Roadmap => {
                    roadmap::roadmap_ui(ui, app.workspace(), today, &mut self.roadmap, &mut actions);
                }
                View::Metrics => {
                    metrics::metrics_ui(ui, app.workspace(), &mut self.metrics, today, &mut actions);
                }
            },
        });
        if let Some(app) = self.app.as_ref() {
            roadmap::epic_editor::epic_editor_ui(&ctx, app.workspace(), &mut self.roadmap, &mut actions);
            roadmap::release_editor::release_window_ui(&ctx, app.workspace(), &mut self.roadmap, &mut actions);
            roadmap::increment_editor::increment_window_ui(&ctx, app.workspace(), &mut self.roadmap, &mut actions);
            crate::ui::research::research_ui(&ctx, app.workspace(), &mut self.research, &mut actions);
        }
        self.planning_windows_ui(&ctx);
        self.captures_ui(&ctx);
        self.dialogs_ui(&ctx);
        self.welcome_ui(&ctx);
        self.baseline_windows_ui(&ctx);
        self.merge_window_ui(&ctx);
        self.import_preview_ui(&ctx);
        self.unsaved_ui(&ctx);
        self.unsaved_windows_ui(&ctx);
        self.file_dialog_ui(&ctx);
        self.jobs_ui(&ctx);
        if self.is_busy() {
            // The progress window is modal; nothing else may change the workspace meanwhile.
            actions.clear();
        }
        self.column_editor_ui(&ctx);
        self.product_editor_ui(&ctx, &mut actions);

        for action in actions {
            self.run(&ctx, action);
        }
        if self.announced.is_some() {
            ctx.request_repaint();
        }
        self.keep_zoom(&ctx);
        self.update_title(&ctx);
        self.give_focus_back();
        super::widgets::window::expose_dialogs(&ctx, &self.title);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }

    fn on_exit(&mut self) {
        // A change said but not yet made is made before the window goes.
        if let Some((change, _)) = self.announced.take() {
            self.make(change);
        }
        // A fresh sample copy is thrown away with the window, as it said.
        self.remove_sample_copy();
        // The workspace is closed here, not left to the end of the process, the watcher's connection
        // first: the store's, closed last, copies what the log still holds into the file and takes the
        // log's side files away, so that the file alone holds every change (a copy of it is whole).
        self.watcher = None;
        self.app = None;
    }
}
