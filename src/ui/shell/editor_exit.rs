//! Leaving the item editor: every way out asks Save / Discard / Keep editing when the draft has
//! unsaved changes. Leaving the workspace (Open, New, Quit, closing the window) while the epic,
//! sprint, KPI or column window holds unsaved changes asks too.

use egui::RichText;

use super::{Command, EditorState, LeaveEditor, TandemApp, UiAction, View};
use crate::app::ItemCommand;

impl TandemApp {
    /// Whether `action` would replace or close the item editor.
    pub(super) fn leaves_editor(&self, action: &UiAction) -> bool {
        let Some(editor) = &self.editor else {
            return false;
        };
        match action {
            UiAction::EditItem(item_id) => editor.is_new || editor.item_id() != *item_id,
            UiAction::NewItemIn(_)
            | UiAction::NewSubtask(_)
            | UiAction::NewWorkspace
            | UiAction::OpenWorkspace
            | UiAction::OpenRecent(_)
            | UiAction::FreshSample
            | UiAction::StartEmptyPlan
            | UiAction::Quit => true,
            _ => false,
        }
    }

    /// Closes the editor and then carries out `then`; when the editor holds unsaved edits, asks first
    /// (Save / Discard / Keep editing), so no typed word is ever thrown away without a choice.
    pub(super) fn leave_editor(&mut self, ctx: &egui::Context, then: Option<UiAction>) {
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
    pub(super) fn unsaved_ui(&mut self, ctx: &egui::Context) {
        let Some(LeaveEditor { then }) = self.unsaved.clone() else {
            return;
        };
        let title = self.editor.as_ref().map_or_else(String::new, |editor| editor.draft.title.trim().to_owned());
        let comment_pending = self.editor.as_ref().is_some_and(|editor| editor.thread.has_draft());
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("unsaved-changes")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            crate::ui::widgets::a11y::heading(ui, "Unsaved changes");
            ui.add_space(4.0);
            ui.label(if title.is_empty() {
                "The item in the editor has changes that are not saved.".to_owned()
            } else {
                format!("'{title}' has changes in the editor that are not saved.")
            });
            if comment_pending {
                ui.label("A comment is written and not sent yet; Save sends it.");
            }
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
                    // Fields changed elsewhere too wait for the user's choice, in the editor.
                    Ok(_) if let Some(undecided) = editor.undecided() => editor.error = Some(undecided),
                    Ok(item) => {
                        let pending = editor.thread.pending(editor.item_id(), &self.prefs.your_name);
                        if editor.is_item_dirty() {
                            let command = if editor.is_new {
                                Command::Item(ItemCommand::Create(item))
                            } else {
                                Command::Item(ItemCommand::Update(item))
                            };
                            self.apply(command);
                        }
                        // The comment being written is sent too, once the item is saved.
                        if let Some(comment) = pending
                            && self.editor.as_ref().is_some_and(|editor| !editor.is_new && !editor.is_item_dirty())
                        {
                            self.apply(Command::Item(ItemCommand::AddComment(comment)));
                        }
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

    /// Whether `action` leaves the open workspace (and with it every window's draft).
    pub(super) fn leaves_workspace(action: &UiAction) -> bool {
        matches!(
            action,
            UiAction::NewWorkspace
                | UiAction::OpenWorkspace
                | UiAction::OpenRecent(_)
                | UiAction::FreshSample
                | UiAction::StartEmptyPlan
                | UiAction::Quit
        )
    }

    /// The windows that hold unsaved edits, in words ("the epic 'Delivery slots'").
    pub(super) fn dirty_windows(&self) -> Vec<String> {
        let mut windows = Vec::new();
        if let Some(editor) = self.roadmap.editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        if let Some(editor) = self.roadmap.release_editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        if let Some(editor) = self.roadmap.increment_editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        windows.extend(self.research.dirty_windows());
        windows.extend(
            self.roadmap
                .objective_drafts
                .values()
                .filter(|draft| draft.is_dirty())
                .map(crate::ui::roadmap::epic_editor::ObjectiveDraft::what),
        );
        if let Some(editor) = self.sprints.editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        if let Some(editor) = self.metrics.editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        if let Some(editor) = self.column_editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        if let Some(editor) = self.product_editor.as_ref().filter(|editor| editor.is_dirty()) {
            windows.push(editor.what());
        }
        if self.save_baseline.as_ref().is_some_and(super::baselines::SaveBaseline::is_dirty) {
            windows.push(super::baselines::SaveBaseline::what());
        }
        if let Some(window) = self.board.people.as_ref().filter(|window| window.is_dirty()) {
            windows.push(window.what());
        }
        windows
    }

    /// The answer to "unsaved changes in windows": discard them and go on, or keep editing.
    pub(super) fn unsaved_windows_ui(&mut self, ctx: &egui::Context) {
        let Some(then) = self.unsaved_windows.clone() else {
            return;
        };
        let windows = self.dirty_windows();
        if windows.is_empty() {
            // Saved or closed meanwhile: nothing to ask.
            self.unsaved_windows = None;
            self.run(ctx, then);
            return;
        }
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("unsaved-windows")).show(ctx, |ui| {
            ui.set_max_width(440.0);
            crate::ui::widgets::a11y::heading(ui, "Unsaved changes");
            ui.add_space(4.0);
            let listed = crate::ui::editor::words_list(&windows.iter().map(String::as_str).collect::<Vec<_>>());
            ui.label(format!(
                "Your changes to {listed} are not saved. Save them where you made them first, or discard them."
            ));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let keep = ui.button(RichText::new("Keep editing").strong());
                if keep.clicked() {
                    choice = Some(false);
                }
                if ui.button("Discard them and go on").clicked() {
                    choice = Some(true);
                }
                // The safe answer has the focus, so Enter keeps the changes.
                if !ui.ctx().memory(|memory| memory.focused().is_some()) {
                    keep.request_focus();
                }
            });
        });
        if modal.should_close() && choice.is_none() {
            choice = Some(false);
        }
        match choice {
            Some(true) => {
                self.unsaved_windows = None;
                self.roadmap.editor = None;
                self.sprints.editor = None;
                self.metrics.editor = None;
                self.column_editor = None;
                self.product_editor = None;
                self.save_baseline = None;
                self.roadmap.objective_drafts.clear();
                self.roadmap.release_editor = None;
                self.roadmap.increment_editor = None;
                self.research.persona_editor = None;
                self.research.insight_editor = None;
                self.board.people = None;
                self.say(format!(
                    "Discarded the unsaved changes to {}.",
                    crate::ui::editor::words_list(&windows.iter().map(String::as_str).collect::<Vec<_>>())
                ));
                self.run(ctx, then);
            }
            Some(false) => {
                self.unsaved_windows = None;
                // An objective is edited in the roadmap's panel: bring it into view.
                if self.roadmap.objective_drafts.values().any(crate::ui::roadmap::epic_editor::ObjectiveDraft::is_dirty)
                {
                    self.prefs.view = View::Roadmap;
                    self.roadmap.show_objectives = true;
                } else if self.board.people.as_ref().is_some_and(crate::ui::board::people::PeopleWindow::is_dirty) {
                    // The people window is drawn by the board.
                    self.prefs.view = View::Board;
                }
            }
            None => {}
        }
    }
}
