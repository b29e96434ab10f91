//! Starting out: the first start opens the sample product and asks whether to explore it or start with
//! an empty plan (remembered); Help ▸ Fresh sample copy opens a new throwaway copy of the sample for a
//! workshop, without touching the user's own workspace.

use std::path::{Path, PathBuf};

use egui::RichText;

use super::{Keeping, NewWorkspace, TandemApp};

impl TandemApp {
    /// The welcome window of the first start.
    pub(super) fn welcome_ui(&mut self, ctx: &egui::Context) {
        let Some(focus) = self.welcome.as_mut() else {
            return;
        };
        let focus_first = std::mem::take(focus);
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let product = app.workspace().product.name.clone();
        let file = app.path().display().to_string();
        let mut choice: Option<bool> = None;
        egui::Window::new("Welcome to Tandem")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                ui.label(format!(
                    "You are looking at {product}, a sample product to explore: a board, a roadmap and metrics with realistic data."
                ));
                ui.label(format!("Everything you change is saved as you go, in {file}."));
                ui.add_space(8.0);
                ui.horizontal_wrapped(|ui| {
                    let explore = ui.button(RichText::new("Explore the sample product").strong());
                    if focus_first {
                        explore.request_focus();
                    }
                    if explore.clicked() {
                        choice = Some(true);
                    }
                    if ui.button("Start with an empty plan").clicked() {
                        choice = Some(false);
                    }
                });
                ui.add_space(4.0);
                ui.label(
                    RichText::new(
                        "Either way the sample stays in its file (File ▸ Open recent), and Help ▸ Fresh sample copy opens a new copy for a workshop.",
                    )
                    .weak(),
                );
            });
        match choice {
            Some(true) => {
                self.welcome = None;
                self.prefs.welcomed = true;
            }
            Some(false) => {
                self.welcome = None;
                self.prefs.welcomed = true;
                // Through the shell, so an item editor with unsaved edits asks first.
                self.requested.push(super::UiAction::StartEmptyPlan);
            }
            None => {}
        }
    }

    /// A new blank workspace beside the open one ("My plan.sqlite", numbered when taken), opened and
    /// remembered; the sample stays in its file.
    pub(super) fn start_empty_plan(&mut self) {
        let folder = self.app.as_ref().and_then(|app| app.path().parent().map(Path::to_path_buf)).unwrap_or_default();
        let path = unused_name(&folder, "My plan");
        if self.open_as(&path, NewWorkspace::Blank, Keeping::Remembered) {
            self.say(format!(
                "Started an empty plan in {}. The sample product is still in File ▸ Open recent.",
                path.display()
            ));
        }
    }

    /// Help ▸ Fresh sample copy: a new copy of the sample product in the temporary folder, opened as a
    /// demo (nothing is kept, it is not remembered); the copy opened before it is removed.
    pub(super) fn open_fresh_sample(&mut self) {
        self.sample_copies += 1;
        let path =
            std::env::temp_dir().join(format!("tandem-sample-{}-{}.sqlite", std::process::id(), self.sample_copies));
        let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
        if let Err(error) = crate::demo::create_demo_for(&path, today) {
            crate::store::remove_workspace_files(&path);
            self.complain(format!("The sample copy could not be made: {error}. Your workspace was not changed."));
            return;
        }
        if !self.open_as(&path, NewWorkspace::Sample, Keeping::Demo) {
            crate::store::remove_workspace_files(&path);
            return;
        }
        self.say(
            "A fresh copy of the sample product: nothing you change in it is kept. File ▸ Open recent brings back your own workspace.",
        );
    }

    /// Removes the sample copy in use, if one is open (when the window closes).
    pub(super) fn remove_sample_copy(&mut self) {
        if let Some(path) = self.app.as_ref().map(|app| app.path().to_path_buf()).filter(|path| is_sample_copy(path)) {
            self.app = None;
            crate::store::remove_workspace_files(&path);
        }
    }
}

/// Whether `path` is a sample copy this process made.
pub(super) fn is_sample_copy(path: &Path) -> bool {
    let prefix = format!("tandem-sample-{}-", std::process::id());
    path.parent() == Some(std::env::temp_dir().as_path())
        && path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with(&prefix))
}

/// `folder/stem.sqlite`, or `folder/stem 2.sqlite` and so on when that exists.
fn unused_name(folder: &Path, stem: &str) -> PathBuf {
    let mut path = folder.join(format!("{stem}.sqlite"));
    let mut number = 2;
    while path.exists() {
        path = folder.join(format!("{stem} {number}.sqlite"));
        number += 1;
    }
    path
}
