//! Choosing a file: the system's dialog where there is one, Tandem's own where there is none.
//!
//! On Linux the system dialog comes through the desktop portal (rfd's default backend); a desktop
//! without one (a minimal window manager, a remote or kiosk session, Xvfb) shows nothing at all and
//! rfd answers as if the user had cancelled. Tandem tells the two apart by time: no person cancels a
//! dialog within a fraction of a second. When the system dialog could not be shown, the same request
//! opens [`BuiltinDialog`], a small file browser drawn with egui, so that no file action ever fails
//! silently. Tests (and users who prefer it) use the built-in one directly.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{RichText, ScrollArea, TextEdit};

use super::theme;

/// A system dialog that "returns" faster than this was never shown.
const FASTEST_HUMAN_ANSWER: Duration = Duration::from_millis(250);

/// How many entries of one folder the built-in dialog lists.
const MAX_ENTRIES: usize = 5_000;

/// Whether the dialog picks an existing file or names a file to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    /// Pick an existing file.
    Open,
    /// Name a file to write.
    Save,
}

/// What the chosen file is for; the shell carries it out once a file is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    /// File ▸ Open.
    OpenWorkspace,
    /// File ▸ New workspace.
    NewWorkspace,
    /// File ▸ Save a copy.
    SaveCopy,
    /// File ▸ Export as JSON or CSV.
    Export(crate::interchange::Format),
    /// File ▸ Import.
    Import,
    /// File ▸ Compare…: another copy of the plan.
    CompareWith,
    /// File ▸ Merge changes from a copy….
    MergeFrom,
    /// A CSV file of samples for a KPI.
    SamplesFile(crate::model::MetricId),
    /// The file of a new workspace that an import creates.
    ImportTarget,
    /// A chart saved as PNG.
    ChartPng,
}

/// A request for a file, the same for the system dialog and the built-in one.
#[derive(Clone, Debug)]
pub struct FileRequest {
    /// What the file is for.
    pub purpose: FilePurpose,
    /// The dialog's title, e.g. "Open a Tandem workspace".
    pub title: String,
    /// Open or save.
    pub mode: FileMode,
    /// The name of the kind of file, e.g. "Tandem workspace".
    pub filter_name: &'static str,
    /// The file endings shown (without dots); empty shows every file.
    pub extensions: &'static [&'static str],
    /// A suggested file name (for saving).
    pub file_name: String,
    /// Where to start.
    pub folder: Option<PathBuf>,
}

/// What the system dialog did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NativeAnswer {
    /// The user chose this file.
    Chosen(PathBuf),
    /// The user closed the dialog.
    Cancelled,
    /// No dialog could be shown (no desktop portal).
    Unavailable,
}

/// Shows the system's dialog for `request`, and tells whether it could be shown at all.
#[must_use]
pub fn native(request: &FileRequest) -> NativeAnswer {
    let mut dialog = rfd::FileDialog::new().set_title(&request.title);
    if !request.extensions.is_empty() {
        dialog = dialog.add_filter(request.filter_name, request.extensions);
    }
    dialog = dialog.add_filter("All files", &["*"]);
    if let Some(folder) = &request.folder {
        dialog = dialog.set_directory(folder);
    }
    let started = Instant::now();
    let chosen = match request.mode {
        FileMode::Open => dialog.pick_file(),
        FileMode::Save => dialog.set_file_name(&request.file_name).save_file(),
    };
    match chosen {
        Some(path) => NativeAnswer::Chosen(path),
        None if started.elapsed() < FASTEST_HUMAN_ANSWER => NativeAnswer::Unavailable,
        None => NativeAnswer::Cancelled,
    }
}

/// One row of the built-in dialog's list.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    is_folder: bool,
    size_bytes: u64,
}

/// What the built-in dialog asks the shell to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    /// Keep showing it.
    Open,
    /// The user cancelled; nothing happens.
    Cancelled,
    /// The user chose this file.
    Chosen(PathBuf),
}

/// Tandem's own file dialog: a folder, its folders and files, a file name, and Open / Save / Cancel.
#[derive(Clone, Debug)]
pub struct BuiltinDialog {
    /// The request it answers.
    pub request: FileRequest,
    folder: PathBuf,
    folder_text: String,
    file_name: String,
    entries: Vec<Entry>,
    show_all: bool,
    error: Option<String>,
    notice: Option<String>,
    confirm_replace: Option<PathBuf>,
    focus_name: bool,
    /// The workspace open in the window: a file to write is never offered to replace it.
    open_workspace: Option<PathBuf>,
}

/// The user's home folder, or the current one.
fn home() -> PathBuf {
    directories::UserDirs::new()
        .map(|dirs| dirs.home_dir().to_path_buf())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// "12 KB", "3.4 MB".
fn size_words(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a size for people to read")]
    let value = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{:.0} KB", value / 1024.0)
    } else {
        format!("{:.1} MB", value / 1024.0 / 1024.0)
    }
}

impl BuiltinDialog {
    /// A dialog for `request`; `notice` says why the system's dialog is not used.
    #[must_use]
    pub fn new(request: FileRequest, notice: Option<String>) -> Self {
        let folder = request.folder.clone().filter(|folder| folder.is_dir()).unwrap_or_else(home);
        let mut dialog = Self {
            folder_text: folder.display().to_string(),
            file_name: request.file_name.clone(),
            folder,
            request,
            entries: Vec::new(),
            show_all: false,
            error: None,
            notice,
            confirm_replace: None,
            focus_name: true,
            open_workspace: None,
        };
        dialog.refresh();
        dialog
    }

    /// Tells the dialog which workspace is open, so that saving over it is refused in the dialog
    /// itself, with a sentence, instead of being offered as a replacement.
    #[must_use]
    pub fn with_open_workspace(mut self, workspace: Option<PathBuf>) -> Self {
        self.open_workspace = workspace;
        self
    }

    fn matches(&self, name: &str) -> bool {
        if self.show_all || self.request.extensions.is_empty() {
            return true;
        }
        let extension = Path::new(name).extension().map(|extension| extension.to_string_lossy().to_lowercase());
        extension.is_some_and(|extension| self.request.extensions.iter().any(|wanted| *wanted == extension))
    }

    /// Reads the folder again.
    fn refresh(&mut self) {
        self.entries.clear();
        match std::fs::read_dir(&self.folder) {
            Ok(read) => {
                for entry in read.flatten().take(MAX_ENTRIES) {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    // Hidden files (Tandem's own temporaries among them) stay hidden.
                    if name.starts_with('.') {
                        continue;
                    }
                    let Ok(meta) = entry.metadata() else {
                        continue;
                    };
                    let is_folder = meta.is_dir();
                    if is_folder || self.matches(&name) {
                        self.entries.push(Entry { name, is_folder, size_bytes: meta.len() });
                    }
                }
                // Folders first, then as a file browser lists names ("export 9" before "export 10").
                self.entries.sort_by_cached_key(|entry| (!entry.is_folder, crate::model::natural::key(&entry.name)));
                self.error = None;
            }
            Err(error) => {
                self.error = Some(format!(
                    "The folder {} cannot be read ({error}). Type another folder, or go up.",
                    self.folder.display()
                ));
            }
        }
    }

    fn enter(&mut self, folder: PathBuf) {
        self.folder = folder;
        self.folder_text = self.folder.display().to_string();
        self.refresh();
    }

    /// The file the typed name stands for, checked for the request's mode.
    fn chosen(&mut self) -> Option<PathBuf> {
        let name = self.file_name.trim();
        if name.is_empty() {
            self.error = Some("Type a file name, or pick a file in the list.".to_owned());
            return None;
        }
        let mut path = if Path::new(name).is_absolute() { PathBuf::from(name) } else { self.folder.join(name) };
        match self.request.mode {
            FileMode::Open => {
                if !path.is_file() {
                    self.error = Some(format!("There is no file called {name} in {}.", self.folder.display()));
                    return None;
                }
            }
            FileMode::Save => {
                if path.extension().is_none()
                    && let Some(extension) = self.request.extensions.first()
                {
                    path.set_extension(extension);
                }
                if path.is_dir() {
                    self.error = Some(format!("{name} is a folder; type a file name."));
                    return None;
                }
                match path.parent() {
                    Some(parent) if parent.is_dir() => {}
                    Some(parent) if parent.exists() => {
                        let file =
                            path.file_name().map_or_else(String::new, |file| file.to_string_lossy().into_owned());
                        self.error = Some(format!(
                            "{} is a file, not a folder: choose a folder to save {file} in.",
                            parent.display()
                        ));
                        return None;
                    }
                    _ => {
                        self.error = Some(format!(
                            "The folder for {} does not exist: choose one that does, or create it first.",
                            path.display()
                        ));
                        return None;
                    }
                }
                if path.exists()
                    && matches!(self.request.purpose, FilePurpose::NewWorkspace | FilePurpose::ImportTarget)
                {
                    // A new workspace never replaces a file: that file may be someone's plan.
                    let name = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
                    self.error = Some(format!(
                        "{name} already exists, and a new workspace never replaces a file. Choose another name."
                    ));
                    return None;
                }
                if let Some(workspace) = &self.open_workspace
                    && crate::store::is_workspace_file(&path, workspace)
                {
                    let name = path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
                    self.error = Some(format!(
                        "{name} is the workspace open in this window (or a file SQLite keeps beside it): \
                         nothing may be written over it. Choose another name."
                    ));
                    return None;
                }
                if path.exists() && self.confirm_replace.as_ref() != Some(&path) {
                    self.confirm_replace = Some(path);
                    return None;
                }
            }
        }
        Some(path)
    }

    /// Draws the dialog.
    pub fn ui(&mut self, ctx: &egui::Context) -> DialogOutcome {
        let mut outcome = DialogOutcome::Open;
        let mut enter = None;
        let modal = egui::Modal::new(egui::Id::unique(("file-dialog", self.request.title.as_str()))).show(ctx, |ui| {
            ui.set_width(560.0);
            crate::ui::widgets::a11y::heading(ui, &self.request.title);
            if let Some(notice) = &self.notice {
                ui.label(RichText::new(format!("ℹ {notice}")).weak());
            }
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = ui.label("Folder");
                let field =
                    ui.add(TextEdit::singleline(&mut self.folder_text).desired_width(360.0)).labelled_by(label.id);
                if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                    enter = Some(PathBuf::from(self.folder_text.trim()));
                }
                if ui.button("⬆ Up").on_hover_text("The folder that holds this one").clicked()
                    && let Some(parent) = self.folder.parent()
                {
                    enter = Some(parent.to_path_buf());
                }
                if ui.button("🏠 Home").clicked() {
                    enter = Some(home());
                }
            });
            ui.add_space(4.0);
            let mut double_clicked = false;
            ScrollArea::vertical().max_height(260.0).auto_shrink([false, false]).show(ui, |ui| {
                if self.entries.is_empty() && self.error.is_none() {
                    ui.label(RichText::new("No matching files in this folder.").weak());
                }
                for entry in &self.entries {
                    if entry.is_folder {
                        if ui.selectable_label(false, format!("📁 {}/", entry.name)).clicked() {
                            enter = Some(self.folder.join(&entry.name));
                        }
                    } else {
                        let selected = self.file_name == entry.name;
                        let row = ui.selectable_label(
                            selected,
                            format!("📄 {}    {}", entry.name, size_words(entry.size_bytes)),
                        );
                        if row.clicked() {
                            self.file_name.clone_from(&entry.name);
                            self.confirm_replace = None;
                        }
                        if row.double_clicked() {
                            self.file_name.clone_from(&entry.name);
                            double_clicked = true;
                        }
                    }
                }
            });
            if double_clicked && let Some(path) = self.chosen() {
                outcome = DialogOutcome::Chosen(path);
            }
            if !self.request.extensions.is_empty()
                && ui
                    .checkbox(
                        &mut self.show_all,
                        format!(
                            "Show all files, not only {} ({})",
                            self.request.filter_name,
                            self.request.extensions.join(", ")
                        ),
                    )
                    .changed()
            {
                self.refresh();
            }
            ui.add_space(4.0);
            let mut confirm = false;
            ui.horizontal(|ui| {
                let label = ui.label("File name");
                let field = ui
                    .add(TextEdit::singleline(&mut self.file_name).id_salt("file-dialog-name").desired_width(360.0))
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus_name) {
                    field.request_focus();
                }
                if field.changed() {
                    self.confirm_replace = None;
                }
                if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                    confirm = true;
                }
            });
            if let Some(error) = &self.error {
                crate::ui::widgets::a11y::error_label(ui, error.as_str());
            }
            if let Some(path) = &self.confirm_replace {
                ui.label(
                    RichText::new(format!(
                        "⚠ {} already exists. Press {} again to replace it.",
                        path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned()),
                        self.confirm_label()
                    ))
                    .color(theme::error_colour(ui.visuals())),
                );
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new(self.confirm_label()).strong()).clicked() {
                    confirm = true;
                }
                if ui.button("Cancel").clicked() {
                    outcome = DialogOutcome::Cancelled;
                }
            });
            if confirm && let Some(path) = self.chosen() {
                outcome = DialogOutcome::Chosen(path);
            }
        });
        if modal.should_close() && outcome == DialogOutcome::Open {
            outcome = DialogOutcome::Cancelled;
        }
        if let Some(folder) = enter {
            if folder.is_dir() {
                self.enter(folder);
            } else {
                self.error = Some(format!("{} is not a folder that exists.", folder.display()));
            }
        }
        outcome
    }

    fn confirm_label(&self) -> &'static str {
        match self.request.mode {
            FileMode::Open => "Open",
            FileMode::Save => "Save",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{BuiltinDialog, FileMode, FilePurpose, FileRequest};

    #[test]
    fn folders_come_first_then_names_as_a_file_browser_lists_them() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        for name in ["export 10.csv", "Export 9.csv", "export 1.csv", "notes.txt", ".hidden.csv"] {
            std::fs::write(folder.path().join(name), "").unwrap_or_else(|error| panic!("{error}"));
        }
        std::fs::create_dir(folder.path().join("Workshop 12")).unwrap_or_else(|error| panic!("{error}"));
        std::fs::create_dir(folder.path().join("workshop 2")).unwrap_or_else(|error| panic!("{error}"));
        let dialog = BuiltinDialog::new(
            FileRequest {
                purpose: FilePurpose::OpenWorkspace,
                title: "Open".to_owned(),
                mode: FileMode::Open,
                filter_name: "CSV",
                extensions: &["csv"],
                file_name: String::new(),
                folder: Some(folder.path().to_path_buf()),
            },
            None,
        );
        let names: Vec<&str> = dialog.entries.iter().map(|entry| entry.name.as_str()).collect();
        assert_eq!(names, ["workshop 2", "Workshop 12", "export 1.csv", "Export 9.csv", "export 10.csv"]);
    }
}
