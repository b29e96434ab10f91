//! File ▸ Merge changes from a copy…: the partner's copy is reviewed first (what it brings, what
//! conflicts, a side per conflict or one for all), and merged only when every conflict has a side, as
//! one change that Edit ▸ Undo takes back.

use crate::interchange::convert::plural;
use std::collections::HashMap;
use std::path::PathBuf;

use egui::RichText;

use super::TandemApp;
use crate::app::merge::{MergeError, MergeReview};
use crate::store::merge::{Choices, Side};
use crate::ui::widgets::a11y;

/// The merge review window.
#[derive(Debug)]
pub(super) struct MergeWindow {
    path: PathBuf,
    review: Option<MergeReview>,
    choices: HashMap<String, Side>,
    error: Option<String>,
}

/// What the user did in the window this frame.
enum Asked {
    Nothing,
    Close,
    Merge,
}

impl TandemApp {
    /// A copy was chosen: review it (nothing is written yet). Reading both plans and trying the merge
    /// takes a moment on a large plan, so it runs on the worker thread behind the progress window.
    pub(super) fn review_merge(&mut self, path: PathBuf) {
        if self.editor.as_ref().is_some_and(crate::ui::editor::EditorState::is_dirty) {
            self.complain("Save or discard the item you are editing first; then merge the copy.");
            return;
        }
        let Some(app) = self.app.as_ref() else {
            return;
        };
        self.merge = None;
        self.pending_work = Some(crate::app::jobs::Work::Merge {
            workspace: app.path().to_owned(),
            theirs: path,
            choices: Choices::default(),
            dry_run: true,
        });
    }

    /// The review window, when open.
    pub(super) fn merge_window_ui(&mut self, ctx: &egui::Context) {
        let Some(window) = self.merge.as_mut() else {
            return;
        };
        match merge_ui(ctx, window) {
            Asked::Nothing => {}
            Asked::Close => self.merge = None,
            Asked::Merge => self.merge_now(),
        }
    }

    /// Merge pressed in the review: the merge is made on the worker thread with the sides chosen; the
    /// review window stays up until it reports back.
    fn merge_now(&mut self) {
        let (Some(app), Some(window)) = (self.app.as_ref(), self.merge.as_ref()) else {
            return;
        };
        self.pending_work = Some(crate::app::jobs::Work::Merge {
            workspace: app.path().to_owned(),
            theirs: window.path.clone(),
            choices: Choices { all: None, each: window.choices.clone() },
            dry_run: false,
        });
    }

    /// What the worker reported for a review (`dry_run`) or a merge of the copy `theirs`.
    pub(super) fn merged(
        &mut self,
        theirs: PathBuf,
        dry_run: bool,
        result: Result<Box<crate::app::merge::Merged>, MergeError>,
        read: Option<crate::app::jobs::ReadBack>,
    ) {
        if dry_run {
            let mut window = MergeWindow { path: theirs, review: None, choices: HashMap::new(), error: None };
            match result {
                Ok(merged) => window.review = Some(merged.review),
                Err(MergeError::Cancelled) => {
                    self.say("Merge review cancelled; nothing was written.");
                    return;
                }
                Err(error) => window.error = Some(error.to_string()),
            }
            self.merge = Some(window);
            return;
        }
        let Some(app) = self.app.as_mut() else {
            return;
        };
        let Some(window) = self.merge.as_mut().filter(|window| window.path == theirs) else {
            return;
        };
        match result.and_then(|merged| app.finish_merge(*merged, read)) {
            Ok(review) => {
                let said = if review.new_changes == 0 {
                    "Nothing to merge: every change in the copy is already here.".to_owned()
                } else {
                    let kept = review.conflicts.iter().filter(|conflict| conflict.taken == Some(Side::Mine)).count();
                    let taken = review.conflicts.len() - kept;
                    let sides = match (kept, taken) {
                        (0, 0) => String::new(),
                        (kept, 0) => format!(", {} kept as here", plural(kept, "conflict")),
                        (0, taken) => format!(", {} taken from the copy", plural(taken, "conflict")),
                        (kept, taken) => {
                            format!(", {} kept as here and {taken} taken from the copy", plural(kept, "conflict"))
                        }
                    };
                    format!(
                        "Merged {} from {}: {} here{sides}. Edit ▸ Undo takes the merge back.",
                        plural(review.new_changes, "change"),
                        review.source,
                        plural(review.taken.len() + review.also.len(), "difference")
                    )
                };
                self.merge = None;
                // The editor takes in what the merge changed and keeps what is typed (it may have been
                // opened while the review was up); an item the merge deleted closes its clean editor.
                if self.editor.as_ref().is_some_and(|editor| {
                    !editor.is_new && !editor.is_dirty() && app.workspace().item(editor.item_id()).is_none()
                }) {
                    self.editor = None;
                }
                match Self::rebase_editor(self.editor.as_mut(), app) {
                    Some(words) => self.complain(format!("{said} {words}")),
                    None => self.say(said),
                }
            }
            Err(MergeError::Undecided(review)) => {
                window.error = Some(MergeError::Undecided(review.clone()).to_string());
                window.review = Some(*review);
            }
            Err(MergeError::Cancelled) => self.say("Merge cancelled; nothing was written."),
            Err(error) => window.error = Some(error.to_string()),
        }
    }
}

fn merge_ui(ctx: &egui::Context, window: &mut MergeWindow) -> Asked {
    let mut asked = Asked::Nothing;
    let mut open = true;
    let name = window.path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
    crate::ui::widgets::window::titled(ctx, format!("Merge changes from '{name}'"))
        .open(&mut open)
        .collapsible(false)
        .default_size([640.0, 520.0])
        .show(ctx, |ui| {
            if let Some(error) = &window.error {
                a11y::error_label(ui, error);
            }
            let Some(review) = &window.review else {
                if ui.button("Close").clicked() {
                    asked = Asked::Close;
                }
                return;
            };
            if review.new_changes == 0 {
                ui.label(format!("Nothing to merge: every change in {} is already here.", review.source));
                if ui.button("Close").clicked() {
                    asked = Asked::Close;
                }
                return;
            }
            ui.label(format!(
                "{} has {} this workspace does not have yet. Nothing is written until you press Merge.",
                crate::ui::widgets::window::capitalised(&review.source),
                plural(review.new_changes, "change")
            ));
            egui::ScrollArea::vertical().max_height(ui.available_height() - 60.0).auto_shrink([false, true]).show(
                ui,
                |ui| {
                    let brings = review.taken.len() + review.also.len();
                    a11y::heading(ui, RichText::new(format!("What it brings ({brings})")).size(16.0));
                    if brings == 0 {
                        ui.label("No differences here beyond the conflicts below.");
                    }
                    for text in review.taken.iter().map(|difference| &difference.text).chain(&review.also) {
                        ui.label(format!("• {text}"));
                    }
                    if !review.repairs.is_empty() && !review.conflicts.is_empty() {
                        ui.label(RichText::new(crate::app::merge::UNDECIDED_NOTES).weak().italics());
                    }
                    for repair in &review.repairs {
                        ui.label(RichText::new(format!("Note: {repair}")).weak());
                    }
                    if !review.conflicts.is_empty() {
                        ui.add_space(6.0);
                        a11y::heading(ui, RichText::new(format!("Conflicts ({})", review.conflicts.len())).size(16.0));
                        ui.label(
                            "Each was changed differently on the two sides, or deleted on one and changed on the other. Choose which to keep for each.",
                        );
                        ui.horizontal(|ui| {
                            if ui.button("Keep mine for all").clicked() {
                                for conflict in &review.conflicts {
                                    window.choices.insert(conflict.key.clone(), Side::Mine);
                                }
                            }
                            if ui.button("Take theirs for all").clicked() {
                                for conflict in &review.conflicts {
                                    window.choices.insert(conflict.key.clone(), Side::Theirs);
                                }
                            }
                        });
                        for (index, conflict) in review.conflicts.iter().enumerate() {
                            ui.push_id(("conflict", index), |ui| {
                                ui.label(&conflict.sentence);
                                ui.horizontal(|ui| {
                                    let chosen = window.choices.get(&conflict.key).copied();
                                    let mine = ui.radio(chosen == Some(Side::Mine), "Keep mine");
                                    mine.widget_info(|| {
                                        egui::WidgetInfo::selected(
                                            egui::accesskit::Role::RadioButton,
                                            true,
                                            chosen == Some(Side::Mine),
                                            format!("Keep mine: {}", conflict.sentence),
                                        )
                                    });
                                    if mine.clicked() {
                                        window.choices.insert(conflict.key.clone(), Side::Mine);
                                    }
                                    let theirs = ui.radio(chosen == Some(Side::Theirs), "Take theirs");
                                    theirs.widget_info(|| {
                                        egui::WidgetInfo::selected(
                                            egui::accesskit::Role::RadioButton,
                                            true,
                                            chosen == Some(Side::Theirs),
                                            format!("Take theirs: {}", conflict.sentence),
                                        )
                                    });
                                    if theirs.clicked() {
                                        window.choices.insert(conflict.key.clone(), Side::Theirs);
                                    }
                                });
                                ui.add_space(4.0);
                            });
                        }
                    }
                },
            );
            ui.separator();
            let undecided =
                review.conflicts.iter().filter(|conflict| !window.choices.contains_key(&conflict.key)).count();
            ui.horizontal(|ui| {
                let merge = ui.add_enabled(undecided == 0, egui::Button::new(RichText::new("Merge").strong()));
                if merge.clicked() {
                    asked = Asked::Merge;
                }
                if ui.button("Cancel").clicked() {
                    asked = Asked::Close;
                }
                if undecided > 0 {
                    ui.label(format!(
                        "{} still {} a choice.",
                        plural(undecided, "conflict"),
                        if undecided == 1 { "needs" } else { "need" }
                    ));
                }
            });
        });
    if open { asked } else { Asked::Close }
}
