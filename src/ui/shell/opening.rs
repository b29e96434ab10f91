//! A large workspace opening on a worker thread ([`crate::app::Opening`]), at start or from File ▸
//! Open: the first screen of its board, shown unchangeable with a notice, until the whole workspace is
//! read and checked. Opened from another workspace, the notice is a modal window, and a refusal leaves
//! that workspace open as it was.

use std::path::Path;

use egui::Ui;

use super::{Keeping, TandemApp};
use crate::app::{NewWorkspace, Opening};
use crate::ui::{View, board, widgets::count};

/// A workspace being opened on the worker thread, and what the window does with it once it is.
pub(super) struct PendingOpen {
    pub(super) opening: Opening,
    /// How the workspace is kept once open.
    keeping: Keeping,
    /// The status bar's message when the opening began: one said since (an import's report) stays
    /// when the workspace is open, in place of "… is open".
    said_before: Option<String>,
    /// The board's state for the first screen: laid out as the board is, and nothing of the open
    /// workspace's (its filter, selection or caches), which is left as it was for when it comes back.
    board: board::BoardState,
}

impl TandemApp {
    /// Whether `path` is a file large enough to open on the worker thread.
    pub(super) fn opens_in_the_background(&self, path: &Path) -> bool {
        std::fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.len() > self.first_screen_above)
    }

    /// Starts opening `path` on the worker thread, its first screen shown meanwhile (the window looks
    /// for the worker's answer every frame, and asks for frames until it has it).
    pub(super) fn start_opening(&mut self, path: &Path, new_workspace: NewWorkspace, keeping: Keeping) {
        let opening = Opening::start(path, new_workspace);
        let said_before = self.status.as_ref().map(|status| status.text.clone());
        let board = self.board.for_another_workspace();
        self.opening = Some(PendingOpen { opening, keeping, said_before, board });
    }

    /// The workspace being opened, if one is.
    pub(super) fn opening(&self) -> Option<&Opening> {
        self.opening.as_ref().map(|pending| &pending.opening)
    }

    /// Takes in the workspace once the worker has opened it, or says why it was refused: in the
    /// status bar when another workspace is open (it stays, as it was), in the window when none is.
    pub(super) fn finish_opening(&mut self, ctx: &egui::Context) {
        if self.opening.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(15));
        }
        let Some(opened) = self.opening.as_mut().and_then(|pending| pending.opening.poll()) else {
            return;
        };
        let Some(PendingOpen { opening, keeping, said_before, .. }) = self.opening.take() else {
            return;
        };
        match opened {
            Ok(app) => {
                let cards = app.workspace().item_count();
                self.take_open(app, opening.path(), keeping);
                let said_since = self.status.as_ref().is_some_and(|status| Some(&status.text) != said_before.as_ref());
                if !said_since {
                    self.say(format!(
                        "{} is open: all its {} cards are read, and can be changed.",
                        file_name(opening.path()),
                        count(cards)
                    ));
                }
            }
            Err(error) if self.app.is_some() => self.complain(error.to_string()),
            Err(error) => self.open_error = Some(error.to_string()),
        }
    }

    /// What the central panel shows while the workspace opens: a notice, and on the board the first
    /// cards of each column, which cannot be changed until everything is read.
    pub(super) fn opening_ui(&mut self, ui: &mut Ui) {
        let (switching, view) = (self.app.is_some(), self.prefs.view);
        let Some(PendingOpen { opening, board: first_board, .. }) = &mut self.opening else {
            return;
        };
        let first_screen = opening.first_screen();
        let name = file_name(opening.path());
        let cards = first_screen.map_or_else(String::new, |first| format!(" its {} cards", count(first.board_size())));
        let notice = format!(
            "Opening {name}: reading{cards} and checking the file. Nothing can be changed until it is done, in a moment."
        );
        if switching {
            // Another workspace's windows are open around the board: a modal window keeps them from
            // taking input until this one is open (or refused, and they are back as they were).
            egui::Modal::new(egui::Id::unique("opening-workspace")).show(ui.ctx(), |ui| {
                ui.set_width(420.0);
                notice_ui(ui, &notice);
            });
        } else {
            notice_ui(ui, &notice);
        }
        ui.add_space(4.0);
        match first_screen {
            Some(first) if view == View::Board => {
                let mut ignored = Vec::new();
                ui.add_enabled_ui(false, |ui| board::board_ui(ui, first, first_board, &mut ignored));
            }
            _ => {}
        }
    }
}

/// The spinner and the sentence saying what is being opened; said once to screen readers as it appears,
/// and again (the status bar) when it is done.
fn notice_ui(ui: &mut Ui, notice: &str) {
    ui.horizontal(|ui| {
        ui.spinner();
        let label = ui.add(egui::Label::new(egui::RichText::new(notice).strong()).wrap());
        ui.ctx().accesskit_node_builder(label.id, |node| node.set_live(egui::accesskit::Live::Polite));
    });
}

/// A file's name, for a sentence.
pub(super) fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}
