//! Imports and exports in progress: the worker's progress window, its outcome, and the import preview.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::{EditorState, FileMode, FilePurpose, FileRequest, ImportPreview, NewWorkspace, TandemApp, UiAction, jobs};

impl TandemApp {
    /// Whether an import or export is running (the progress window is up).
    #[must_use]
    pub fn is_busy(&self) -> bool {
        self.job.is_some() || self.pending_work.is_some() || self.opening.is_some()
    }

    pub(super) fn jobs_ui(&mut self, ctx: &egui::Context) {
        if let Some(work) = self.pending_work.take() {
            // A job works through a connection of its own, opened by the file's name: if another program
            // moved, deleted or replaced the file, that would be another file than the plan shown here.
            let moved = self.app.as_ref().is_some_and(|app| app.store().ensure_in_place().is_err());
            if let Some(what) = work.on_the_open_workspace()
                && moved
            {
                if matches!(work, jobs::Work::Replay { .. } | jobs::Work::Step { .. })
                    && let Some(app) = self.app.as_mut()
                {
                    // The step goes back where it was.
                    let _ = app.finish_replay(false, None);
                }
                let path = self.app.as_ref().map(|app| app.path().display().to_string()).unwrap_or_default();
                self.complain(format!(
                    "{} did not start: another program moved, deleted or replaced this workspace's file while Tandem had it open, so it would not work on the plan shown here. Nothing was written. Use File ▸ Save a copy… to keep the plan as this window shows it, then open the copy. {path}",
                    crate::ui::widgets::window::capitalised(what)
                ));
                return;
            }
            let repaint = ctx.clone();
            self.job = Some(jobs::Job::start(work, move || repaint.request_repaint()));
        }
        let Some(job) = &self.job else {
            return;
        };
        let Some(outcome) = job.poll() else {
            if progress_ui(ctx, job, self.close_after_job) {
                job.progress.cancel();
            }
            return;
        };
        self.job = None;
        self.finish_job(outcome);
        // A job that stopped (failed, cancelled, or the disk filled up) may leave the file looking changed
        // to this window's connection even when nothing was written, and another program may really have
        // written meanwhile: the view takes that in now, quietly, so that the next idle frame does not
        // replace what was just said about the job with "changed in another window".
        if !self.is_busy() {
            self.follow_external_changes(false);
        }
        if std::mem::take(&mut self.close_after_job) && !self.is_busy() {
            // Asked to close while it ran: now it is done, close (asking about unsaved windows as ever).
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    pub(super) fn finish_job(&mut self, outcome: jobs::Outcome) {
        use crate::interchange::InterchangeError;
        match outcome {
            jobs::Outcome::Previewed { path, result } => {
                let opened = self.opened_as_import.take().is_some_and(|opened| opened == path);
                match result {
                    Ok(previewed) => {
                        // Read again with other options: the choices made in the preview stay.
                        let earlier = self.import_preview.take().filter(|earlier| earlier.path == path);
                        let (into_new, new_path) = earlier.map_or_else(
                            || {
                                let folder = self.workspace_folder().unwrap_or_default();
                                let new_path = suggested_workspace_path(&folder, &previewed.document.product.name);
                                // Into a demo copy an import is thrown away with it, and a file chosen in
                                // File ▸ Open was meant to be a workspace of its own: a new workspace by default.
                                (opened || self.keeping == super::Keeping::Demo, new_path.display().to_string())
                            },
                            |earlier| (earlier.into_new, earlier.new_path),
                        );
                        self.import_preview = Some(ImportPreview { path, previewed, into_new, new_path });
                    }
                    Err(InterchangeError::Cancelled) => self.say("Import cancelled; nothing changed."),
                    Err(error) => self.complain(error.to_string()),
                }
            }
            jobs::Outcome::Imported { source, target, result, changeset, read } => match (result, target) {
                (Ok(report), jobs::ImportTarget::Merge(_)) => {
                    let items = crate::interchange::convert::plural(report.items, "item");
                    let file = source
                        .file_name()
                        .map_or_else(|| source.display().to_string(), |name| name.to_string_lossy().into_owned());
                    let reloaded = self
                        .app
                        .as_mut()
                        .map(|app| app.imported(format!("import {items} from {file}"), changeset, read));
                    // The item editor takes in what changed and keeps what is typed; the other windows
                    // and the views stay as they are (their caches follow the workspace's revision), so
                    // nothing typed in them is lost.
                    let decide = self.app.as_ref().and_then(|app| Self::rebase_editor(self.editor.as_mut(), app));
                    let imported =
                        format!("Imported {items} from {}. Ctrl+Z takes the whole import back.", source.display());
                    match reloaded {
                        Some(Err(error)) => self.complain(error.to_string()),
                        _ if let Some(words) = decide => self.complain(format!("{imported} {words}")),
                        _ => self.say(imported),
                    }
                }
                (Ok(report), jobs::ImportTarget::New(path))
                    if self.editor.as_ref().is_some_and(EditorState::is_dirty) =>
                {
                    // The editor's unsaved edits belong to this workspace: ask about them before opening
                    // the new one.
                    self.requested.push(UiAction::OpenRecent(path.clone()));
                    self.say(format!(
                        "Imported {} from {} into the new workspace {}; it opens once you decide about the unsaved changes in the editor.",
                        crate::interchange::convert::plural(report.items, "item"),
                        source.display(),
                        path.display()
                    ));
                }
                (Ok(report), jobs::ImportTarget::New(path)) => {
                    self.switch_to(&path, NewWorkspace::Blank);
                    self.say(format!(
                        "Imported {} from {} into the new workspace {}.",
                        crate::interchange::convert::plural(report.items, "item"),
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
            jobs::Outcome::Replayed { result, read } => self.replayed(result, read),
            jobs::Outcome::Applied { result, read } => self.applied_beside(result, read),
            jobs::Outcome::Merged { theirs, dry_run, result, read } => self.merged(theirs, dry_run, result, read),
            jobs::Outcome::Lost if self.app.as_ref().is_some_and(|app| app.replaying().is_some()) => {
                if let Some(app) = self.app.as_mut() {
                    let _ = app.finish_replay(false, None);
                }
                self.complain("The undo or redo stopped unexpectedly; it is still offered. Try again.");
                // Show what the file holds, whatever the worker got to.
                self.follow_external_changes(false);
            }
            jobs::Outcome::Lost => {
                self.complain(
                    "The import, export or merge stopped unexpectedly; the workspace was not changed. Try again.",
                );
            }
        }
    }

    pub(super) fn import_preview_ui(&mut self, ctx: &egui::Context) {
        if self.is_busy() {
            // Being read again with other options: the progress window is up.
            return;
        }
        let demo = self.keeping == super::Keeping::Demo;
        let Some(preview) = self.import_preview.as_mut() else {
            return;
        };
        let mut reread = None;
        let mut confirm = false;
        let mut cancel = false;
        let mut choose_file = false;
        let mut open = true;
        let window = crate::ui::widgets::window::titled(ctx, "Import preview")
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
            let archived_list_cards = preview.previewed.document.conversion.archived_list_cards;
            if archived_list_cards > 0 {
                let mut options = preview.previewed.options;
                let text = format!(
                    "Also import the {} of archived lists, as archived items",
                    crate::interchange::convert::plural(archived_list_cards, "card")
                );
                if ui.checkbox(&mut options.archived_lists, text).changed() {
                    reread = Some(options);
                }
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
                ui.label("It is one step: Ctrl+Z takes the whole import back.");
                if demo {
                    ui.label(
                        RichText::new("⚠ This window shows a demo copy: what is merged into it is thrown away when the window closes. Choose \"Create a new workspace\" to keep it.")
                            .color(crate::ui::theme::warning_colour(ui.visuals())),
                    );
                }
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
        if let Some(options) = reread
            && let Some(app) = self.app.as_ref()
        {
            let path = preview.path.clone();
            self.pending_work = Some(jobs::Work::Preview { path, workspace: app.path().to_owned(), options });
            return;
        }
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
}

/// A file name for a new workspace named after `product`, beside `current`, that does not exist yet.
fn suggested_workspace_path(folder: &Path, product: &str) -> PathBuf {
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

/// The progress window, modal while the job runs. Returns true when the user clicks Cancel.
#[must_use]
fn progress_ui(ctx: &egui::Context, job: &jobs::Job, closing: bool) -> bool {
    let mut cancel = false;
    // Escape is handled by the window's Escape key handling (it cancels); a click beside the window does
    // not cancel, so a stray click cannot throw the work away.
    egui::Modal::new(egui::Id::unique("job-progress")).show(ctx, |ui| {
        ui.set_width(380.0);
        ui.label(egui::RichText::new(&job.title).heading());
        ui.add_space(6.0);
        if job.measured {
            let fraction = job.progress.fraction();
            ui.add(egui::ProgressBar::new(fraction).show_percentage().animate(true));
        } else {
            // SQLite applies an undo's changes in one call, which does not say how far it is.
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Working; at this size it takes a few seconds.");
            });
        }
        ui.add_space(4.0);
        if job.progress.is_written() {
            // The change is in the file; what is left is reading it to show it here.
            ui.label("Done and saved. Reading the workspace to show it…");
        } else if job.progress.is_cancelled() {
            ui.label(if job.replay {
                "Cancelling… the workspace stays as it was."
            } else {
                "Cancelling… nothing will be written."
            });
        } else {
            ui.label(if job.replay {
                "All or nothing: Cancel leaves the workspace as it is now."
            } else {
                "Nothing in your workspace changes until this finishes."
            });
            if closing {
                ui.label("Tandem closes once this is done. Cancel stops it, and Tandem then closes.");
            }
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        }
    });
    ctx.request_repaint_after(std::time::Duration::from_millis(100));
    cancel
}
