//! The people window (👥 People on the board's toolbar): everyone the workspace's items name as assignee
//! or reporter, how many items each is on, a way to see their cards, and a rename that reaches every item
//! (one undoable command).

use egui::{Grid, RichText, TextEdit, Ui};

use super::BoardState;
use crate::app::{Command, ItemCommand};
use crate::model::{Person, PersonFilter, Workspace};
use crate::ui::UiAction;

/// The people window's state while it is open.
#[derive(Clone, Debug, Default)]
pub struct PeopleWindow {
    /// The person being renamed and the new name typed so far.
    renaming: Option<(String, String)>,
    /// Whether the new-name field should take the keyboard focus (the frame a rename starts).
    focus_field: bool,
    /// Asks before a typed new name is thrown away by ✖ or Esc.
    pub closing: crate::ui::widgets::window::CloseGuard,
}

impl PeopleWindow {
    /// Whether a new name has been typed and not applied yet.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.renaming.as_ref().is_some_and(|(from, draft)| !draft.trim().is_empty() && draft.trim() != from)
    }

    /// The unsaved edit in words ("the new name for Omar Haddad").
    #[must_use]
    pub fn what(&self) -> String {
        match &self.renaming {
            Some((from, _)) => format!("the new name for {from}"),
            None => "the people window".to_owned(),
        }
    }
}

/// Draws the window while it is open; a rename becomes a command in `actions`.
pub(super) fn people_ui(
    ctx: &egui::Context,
    workspace: &Workspace,
    state: &mut BoardState,
    actions: &mut Vec<UiAction>,
) {
    let Some(window) = state.people.as_mut() else {
        return;
    };
    let mut open = true;
    let mut show_cards = None;
    let mut discard = false;
    crate::ui::widgets::window::titled(ctx, "People").open(&mut open).collapsible(false).default_width(420.0).show(
        ctx,
        |ui| {
            ui.label("Everyone your items name as assignee or reporter. A rename changes every item that names them.");
            ui.add_space(6.0);
            let people = workspace.people();
            if people.is_empty() {
                ui.label(
                    RichText::new("No item has an assignee or a reporter yet. Set them in an item's editor.").italics(),
                );
                return;
            }
            egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                Grid::new("people").num_columns(3).spacing([12.0, 6.0]).striped(true).show(ui, |ui| {
                    for (index, Person { name, assigned, reported }) in people.iter().enumerate() {
                        if let Some((from, draft)) = window.renaming.as_mut().filter(|(from, _)| from == name) {
                            let focus = std::mem::take(&mut window.focus_field);
                            let wanted = draft.trim().to_lowercase();
                            let other = people
                                .iter()
                                .find(|person| person.name.to_lowercase() == wanted && person.name != *from);
                            if person_rename_ui(ui, from, draft, other, focus, actions) {
                                window.renaming = None;
                            }
                        } else {
                            ui.label(format!("👤 {name}"));
                            ui.label(format!(
                                "assigned {} · reported {}",
                                crate::ui::widgets::count(*assigned),
                                crate::ui::widgets::count(*reported)
                            ));
                            ui.horizontal(|ui| {
                                let rename = ui.button("Rename…");
                                rename.widget_info(|| {
                                    egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Rename {name}"))
                                });
                                if index == 0 {
                                    crate::ui::widgets::window::focus_when_opened(ui, &rename);
                                }
                                if rename.clicked() {
                                    window.renaming = Some((name.clone(), name.clone()));
                                    window.focus_field = true;
                                }
                                let cards = ui.button("Their cards");
                                cards.widget_info(|| {
                                    egui::WidgetInfo::labeled(
                                        egui::Role::Button,
                                        true,
                                        format!("Show the cards of {name}"),
                                    )
                                });
                                if cards.clicked() {
                                    show_cards = Some(name.clone());
                                }
                            });
                        }
                        ui.end_row();
                    }
                });
            });
            if window.closing.is_asking() {
                ui.separator();
                let what = window.what();
                discard = window.closing.question_ui(ui, &what);
            }
        },
    );
    if actions.iter().any(|action| matches!(action, UiAction::Apply(Command::Item(ItemCommand::RenamePerson { .. })))) {
        window.renaming = None;
    }
    if let Some(name) = show_cards {
        state.filter.assignee = Some(PersonFilter::Named(name));
    }
    let dirty = window.is_dirty();
    if discard || !open && window.closing.request(dirty) {
        state.people = None;
    }
}

/// A person's row while it is being renamed: the new name, Rename and Cancel. Returns whether the user
/// cancelled.
/// `other` is the person the typed name already belongs to, if any: the rename then merges into them.
fn person_rename_ui(
    ui: &mut Ui,
    from: &str,
    draft: &mut String,
    other: Option<&Person>,
    focus: bool,
    actions: &mut Vec<UiAction>,
) -> bool {
    let label = ui.label(format!("Rename {from} to"));
    let field = ui.add(TextEdit::singleline(draft).desired_width(160.0)).labelled_by(label.id);
    if focus {
        field.request_focus();
    }
    let entered = field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
    let mut cancelled = false;
    ui.vertical(|ui| {
        ui.horizontal(|ui| {
            let changed = !draft.trim().is_empty() && draft.trim() != from;
            let button = if other.is_some() { "Merge" } else { "Rename" };
            if ui.add_enabled(changed, egui::Button::new(button)).clicked() || entered && changed {
                actions.push(UiAction::Apply(Command::Item(ItemCommand::RenamePerson {
                    from: from.to_owned(),
                    to: draft.trim().to_owned(),
                })));
            }
            cancelled = ui.button("Cancel").clicked();
        });
        if let Some(other) = other {
            ui.label(
                RichText::new(format!(
                    "ℹ {other} is already in this list: Merge makes the items of {from} name {other}, as one person.",
                    other = other.name
                ))
                .weak(),
            );
        }
    });
    cancelled
}
