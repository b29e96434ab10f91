//! The startup workspace opening on a worker thread ([`crate::app::Opening`]): the first screen of its
//! board, shown unchangeable with a notice, until the whole workspace is read and checked.

use egui::Ui;

use super::TandemApp;
use crate::ui::{View, board, widgets::count};

impl TandemApp {
    /// Takes in the workspace once the worker has opened it (or shows why it was refused).
    pub(super) fn finish_opening(&mut self) {
        let Some(opened) = self.opening.as_mut().and_then(crate::app::Opening::poll) else {
            return;
        };
        let Some(opening) = self.opening.take() else {
            return;
        };
        match opened {
            Ok(app) => {
                self.remember_file(opening.path());
                let cards = app.workspace().item_count();
                self.app = Some(app);
                // What the first screen left of the board (a card selected, a column scrolled) is for
                // rows that are now all here; the layout stays.
                self.board = self.board.for_another_workspace();
                self.say(format!(
                    "{} is open: all its {} cards are read, and can be changed.",
                    file_name(opening.path()),
                    count(cards)
                ));
            }
            Err(error) => self.open_error = Some(error.to_string()),
        }
    }

    /// What the central panel shows while the workspace opens: a notice, and on the board the first
    /// cards of each column, which cannot be changed until everything is read.
    pub(super) fn opening_ui(&mut self, ui: &mut Ui) {
        let Some(opening) = &self.opening else {
            return;
        };
        let first_screen = opening.first_screen();
        let name = file_name(opening.path());
        ui.horizontal(|ui| {
            ui.spinner();
            let cards = first_screen.map_or_else(String::new, |first| format!(" its {} cards", count(first.board_size())));
            let notice = ui.label(
                egui::RichText::new(format!("Opening {name}: reading{cards} and checking the file. Nothing can be changed until it is done, in a moment."))
                    .strong(),
            );
            // Said once to screen readers as it appears, and again (the status bar) when it is done.
            ui.ctx().accesskit_node_builder(notice.id, |node| node.set_live(egui::accesskit::Live::Polite));
        });
        ui.add_space(4.0);
        match first_screen {
            Some(first) if self.prefs.view == View::Board => {
                let mut ignored = Vec::new();
                ui.add_enabled_ui(false, |ui| board::board_ui(ui, first, &mut self.board, &mut ignored));
            }
            _ => {}
        }
    }
}

/// A file's name, for a sentence.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}
