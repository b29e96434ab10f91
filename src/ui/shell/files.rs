//! File actions: choosing a file (system dialog or Tandem's own), opening, creating and copying
//! workspaces, and starting imports and exports.

use std::path::{Path, PathBuf};

use super::{
    App, BuiltinDialog, DialogBackend, FileMode, FilePurpose, FileRequest, NativeAnswer, NewWorkspace, TandemApp,
    UiAction, file_dialog, jobs, kpi_editor, metrics, roadmap,
};

impl TandemApp {
    /// The folder of the open workspace, where its copies and exports go by default.
    pub(super) fn workspace_folder(&self) -> Option<PathBuf> {
        let open = self.app.as_ref().and_then(|app| app.path().parent().map(Path::to_path_buf));
        // A demo or sample copy lives in the temporary folder, which the system empties: a new
        // workspace or a copy saved from it goes where the user's own workspaces are.
        let throwaway = self.keeping == super::Keeping::Demo
            || self.app.as_ref().is_some_and(|app| super::welcome::is_sample_copy(app.path()));
        let kept = self
            .kept_folder
            .clone()
            .filter(|folder| folder.is_dir())
            .or_else(|| directories::UserDirs::new().map(|dirs| dirs.home_dir().to_path_buf()));
        if throwaway { kept } else { open.filter(|folder| folder.is_dir()) }
    }

    /// Asks for a file: the system's dialog, or Tandem's own where the system has none (or when
    /// asked to use it), so that a file action never does nothing.
    pub(super) fn ask_for_file(&mut self, request: FileRequest) {
        let open = self.app.as_ref().map(|app| app.path().to_path_buf());
        if self.dialogs == DialogBackend::Builtin {
            self.file_dialog = Some(BuiltinDialog::new(request, None).with_open_workspace(open));
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
                self.file_dialog = Some(
                    BuiltinDialog::new(
                        request,
                        Some("This desktop offers no system file dialog, so Tandem shows its own.".to_owned()),
                    )
                    .with_open_workspace(open),
                );
            }
        }
    }

    /// Uses Tandem's own file dialog instead of the system's (tests, and desktops whose dialog is
    /// broken in other ways); `TANDEM_FILE_DIALOG=builtin` does the same from the environment.
    pub fn use_builtin_file_dialog(&mut self) {
        self.dialogs = DialogBackend::Builtin;
    }

    /// Carries out what a file was chosen for.
    pub(super) fn file_chosen(&mut self, purpose: FilePurpose, path: &Path) {
        self.last_folder = path.parent().map(Path::to_path_buf);
        match purpose {
            FilePurpose::OpenWorkspace => self.open_chosen(path),
            FilePurpose::NewWorkspace => self.new_workspace(path),
            FilePurpose::SaveCopy => self.save_copy(path),
            FilePurpose::Export(format) => self.request_export(format, path),
            FilePurpose::Import => self.request_import(path),
            FilePurpose::CompareWith => self.compare_with_file(path.to_path_buf()),
            FilePurpose::MergeFrom => self.review_merge(path.to_path_buf()),
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
    pub(super) fn file_dialog_ui(&mut self, ctx: &egui::Context) {
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

    pub(super) fn new_workspace(&mut self, path: &Path) {
        if path.exists() {
            self.complain(format!(
                "A file with that name already exists, and New never overwrites a file. Choose another name. {}",
                path.display()
            ));
            return;
        }
        self.switch_to(path, NewWorkspace::Blank);
    }

    pub(super) fn save_copy(&mut self, path: &Path) {
        let Some(app) = &self.app else {
            return;
        };
        let throwaway = self.keeping == super::Keeping::Demo || super::welcome::is_sample_copy(app.path());
        match app.save_copy(path) {
            Ok(path) if throwaway => self.say(format!(
                "Saved a copy to {}. This window still shows the demo copy, which is not kept: open the saved one with File ▸ Open… to go on working in it.",
                path.display()
            )),
            Ok(path) => self.say(format!("Saved a copy to {}", path.display())),
            Err(
                error @ (crate::store::StoreError::CopyOntoItself { .. }
                | crate::store::StoreError::CopyNotWritten { .. }),
            ) => self.complain(error.to_string()),
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

    pub(super) fn export(&mut self, format: crate::interchange::Format) {
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

    /// A file dragged from the desktop onto the window: while it hovers, the window says what dropping
    /// it does; dropped, it is read for import and the import preview shows, as File ▸ Import… does
    /// (into this workspace or a new one, nothing written before the user confirms). One file at a time.
    pub(super) fn files_dropped(&mut self, ctx: &egui::Context, actions: &mut Vec<UiAction>) {
        let hovered = ctx.input(|input| input.raw.hovered_files.len());
        if hovered > 0 {
            let words = if hovered > 1 {
                "Drop one file at a time to import it".to_owned()
            } else if self.app.is_some() {
                "Drop the file to see what importing it would do: nothing changes before you confirm".to_owned()
            } else {
                "Open or create a workspace first, then drop the file on it".to_owned()
            };
            let screen = ctx.content_rect();
            let painter = ctx.layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("file-drop")));
            painter.rect_filled(screen, 0.0, crate::ui::theme::DROP_VEIL);
            painter.text(
                screen.center(),
                egui::Align2::CENTER_CENTER,
                words,
                egui::TextStyle::Heading.resolve(&ctx.global_style()),
                crate::ui::theme::DROP_TEXT,
            );
        }
        let dropped: Vec<PathBuf> =
            ctx.input(|input| input.raw.dropped_files.iter().map(|file| file.path().to_owned()).collect());
        let Some(first) = dropped.first() else {
            return;
        };
        let name = |path: &Path| {
            path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
        };
        if self.opening.is_some() {
            self.complain(format!(
                "{} was not imported: the workspace is still opening. Drop the file again once its board can be changed.",
                name(first)
            ));
        } else if self.app.is_none() {
            self.complain(format!(
                "{} was not imported: no workspace is open. Open or create one first, then drop the file again.",
                name(first)
            ));
        } else if self.is_busy() {
            self.complain(format!(
                "{} was not imported: another import, export or change is still under way. Drop the file again when it is done.",
                name(first)
            ));
        } else if dropped.len() > 1 {
            self.complain(format!(
                "{} files were dropped; Tandem imports one at a time, so nothing was read. Drop them one by one.",
                dropped.len()
            ));
        } else {
            actions.push(UiAction::Import(first.clone()));
        }
    }

    /// Reads a file and shows what importing it would do; nothing changes until the user confirms. The
    /// reading and the dry runs happen on a worker thread behind a progress window.
    pub fn request_import(&mut self, path: &Path) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        self.pending_work = Some(jobs::Work::Preview {
            path: path.to_owned(),
            workspace: app.path().to_owned(),
            options: crate::interchange::ReadOptions::default(),
        });
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
        let own = self.app.as_ref().is_some_and(|app| crate::store::is_workspace_file(path, app.path()));
        let text = if own {
            Err(format!(
                "{file_name} is the open workspace, not a CSV file of samples. Nothing was changed; choose the CSV file."
            ))
        } else if size > limit {
            Err(format!("{file_name} is {} MB; a samples file may be at most {} MB.", size >> 20, limit >> 20))
        } else {
            std::fs::read(path).map_err(|error| format!("{file_name} could not be read: {error}.")).and_then(|bytes| {
                // Excel's CSV in Windows' code page, or UTF-16, is read too.
                crate::interchange::decode_text(bytes, true).map(|(text, _)| text).map_err(|_| {
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

    /// File ▸ Open on a file: a workspace opens; an export (Tandem JSON or CSV, Trello, Jira) is not one,
    /// so it goes to the import preview, which proposes a new workspace made from it.
    fn open_chosen(&mut self, path: &Path) {
        use crate::interchange::{Format, InterchangeError};
        let name =
            path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
        let format = match crate::interchange::detect(path) {
            Ok(Format::Sqlite) => None,
            Ok(format) => Some(format),
            // Neither a database nor an export: said as what it is, not as a damaged database.
            Err(InterchangeError::NotRecognised { reason, .. }) => {
                self.complain(format!(
                    "{name} is not a Tandem workspace, nor a file Tandem can import: {reason}. Nothing was changed; choose a workspace (.sqlite). {}",
                    path.display()
                ));
                return;
            }
            // An empty file holds no workspace: Open does not turn it into one (New workspace makes one).
            Err(InterchangeError::Empty { .. }) => {
                self.complain(format!(
                    "{name} is empty, so it holds no workspace; it was left as it was. To start a new workspace, choose File ▸ New workspace… {}",
                    path.display()
                ));
                return;
            }
            // Missing or unreadable: opening it says so in its own words.
            Err(_) => None,
        };
        let Some(format) = format else {
            self.switch_to(path, NewWorkspace::Blank);
            return;
        };
        if self.app.is_some() {
            self.say(format!(
                "{name} is a {}, not a workspace: the preview shows what importing it would make. Nothing is written until you choose.",
                format.label()
            ));
            self.opened_as_import = Some(path.to_owned());
            self.request_import(path);
        } else {
            self.complain(format!(
                "{name} is a {}, not a workspace. Create a workspace (or open one), then bring the file in (File ▸ Import…).",
                format.label()
            ));
        }
    }

    pub(super) fn switch_to(&mut self, path: &Path, new_workspace: NewWorkspace) {
        if self.opens_in_the_background(path) {
            // A change said but not yet made belongs to the workspace open now: it is made first.
            if let Some((change, _)) = self.announced.take() {
                self.make(change);
            }
            self.start_opening(path, new_workspace, super::Keeping::Remembered);
            return;
        }
        if self.open_as(path, new_workspace, super::Keeping::Remembered) {
            self.say(format!("Opened {}", path.display()));
        }
    }

    /// Opens `path` in place of the open workspace, kept as `keeping` says; returns whether it opened
    /// (a refusal is said in the status bar and leaves the open workspace as it was). A sample copy
    /// left behind is removed.
    pub(super) fn open_as(&mut self, path: &Path, new_workspace: NewWorkspace, keeping: super::Keeping) -> bool {
        // A change said but not yet made belongs to the workspace open now: it is made first.
        if let Some((change, _)) = self.announced.take() {
            self.make(change);
        }
        match App::open(path, new_workspace) {
            Ok(app) => {
                self.take_open(app, path, keeping);
                true
            }
            Err(error) => {
                if self.app.is_some() {
                    self.complain(error.to_string());
                } else {
                    self.open_error = Some(error.to_string());
                }
                false
            }
        }
    }

    /// Puts `app`, just opened from `path`, in place of the open workspace, kept as `keeping` says:
    /// every window and view state of the previous workspace goes with it.
    pub(super) fn take_open(&mut self, app: App, path: &Path, keeping: super::Keeping) {
        // A change waiting for the previous workspace's file is never made in this one.
        if self.waiting.take().is_some() {
            self.complain("Your last change was still waiting for another program to release the previous workspace; it was not made there.");
        }
        let previous = self.app.replace(app);
        if let Some(previous) = previous.filter(|previous| previous.path() != path) {
            let previous_path = previous.path().to_path_buf();
            drop(previous);
            if super::welcome::is_sample_copy(&previous_path) {
                crate::store::remove_workspace_files(&previous_path);
            }
        }
        self.open_error = None;
        // Every window and view state of the previous workspace goes with it (the unsaved ones
        // were asked about first): their records' ids name other records here, so a window left
        // open would save onto a stranger. The board keeps only how it is laid out.
        self.editor = None;
        self.roadmap = roadmap::RoadmapState::default();
        self.research = crate::ui::research::ResearchState::default();
        self.board = self.board.for_another_workspace();
        self.sprints = super::sprints::SprintPanel::default();
        self.metrics = super::metrics::MetricsState::default();
        self.column_editor = None;
        self.product_editor = None;
        self.import_preview = None;
        self.save_baseline = None;
        self.compare = None;
        self.merge = None;
        self.keeping = keeping;
        self.remember_file(path);
    }
}
