//! The action menu of a card (and of a list row): every move a drag can make, as menu entries, for
//! people who cannot or would rather not drag (WCAG 2.2 SC 2.5.7). It opens from the card's ⋯ button,
//! from a right click, and from Shift+F10 or the Menu key on a focused card.

use egui::{Button, Popup, RichText, Ui};

use super::BoardState;
use crate::app::{Command, ItemCommand, PlanningCommand};
use crate::model::{ItemId, MoveTarget, Workspace};
use crate::ui::UiAction;
use crate::ui::widgets::card::actions_popup_id;
use crate::ui::{shortcuts, theme};

/// A place within the card's own column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Up,
    Down,
    Top,
    Bottom,
}

/// Shows the card's action menu under its ⋯ button (when open) and its context menu (on a right click
/// anywhere on the card). Shift+F10 or the Menu key on the focused card opens the menu and moves the
/// focus onto the ⋯ button, from where the arrow keys walk the menu.
pub(super) fn card_menus_ui(
    card: &egui::Response,
    button: &egui::Response,
    item_id: ItemId,
    workspace: &Workspace,
    state: &mut BoardState,
    actions: &mut Vec<UiAction>,
) {
    let popup_id = actions_popup_id(button.id);
    let ctx = &card.ctx;
    if (card.has_focus() || button.has_focus())
        && ctx.input_mut(|input| {
            input.consume_shortcut(&shortcuts::CARD_MENU) || input.consume_key(egui::Modifiers::NONE, egui::Key::Menu)
        })
    {
        Popup::open_id(ctx, popup_id);
        button.request_focus();
        state.selected = Some(item_id);
    }
    let title = workspace.item(item_id).map(|item| item.title.clone()).unwrap_or_default();
    Popup::menu(button)
        .id(popup_id)
        .accessible_name(format!("Actions for {title}"))
        .show(|ui| card_menu_ui(ui, item_id, workspace, state, actions));
    card.context_menu(|ui| card_menu_ui(ui, item_id, workspace, state, actions));
}

/// The menu's entries. Each entry that moves the card gives it the focus back afterwards.
pub(super) fn card_menu_ui(
    ui: &mut Ui,
    item_id: ItemId,
    workspace: &Workspace,
    state: &mut BoardState,
    actions: &mut Vec<UiAction>,
) {
    let Some(item) = workspace.item(item_id) else {
        ui.label("This item no longer exists.");
        return;
    };
    ui.set_min_width(220.0);
    let mut chosen: Option<Command> = None;
    if ui.button("Open").clicked() {
        actions.push(UiAction::EditItem(item_id));
        ui.close();
    }
    ui.separator();
    let column_name = workspace.column(item.column_id).map_or("its column", |column| column.name.as_str());
    for (place, label) in [
        (Place::Up, "Move up".to_owned()),
        (Place::Down, "Move down".to_owned()),
        (Place::Top, format!("Move to top of {column_name}")),
        (Place::Bottom, format!("Move to bottom of {column_name}")),
    ] {
        let target = place_target(workspace, state, item_id, place);
        let shortcut = match place {
            Place::Up => shortcuts::MOVE_UP,
            Place::Down => shortcuts::MOVE_DOWN,
            Place::Top => shortcuts::MOVE_TOP,
            Place::Bottom => shortcuts::MOVE_BOTTOM,
        };
        let button = Button::new(label).shortcut_text(ui.ctx().format_shortcut(&shortcut));
        if ui.add_enabled(target.is_some(), button).clicked()
            && let Some(target) = target
        {
            chosen = Some(Command::Item(ItemCommand::Move { item_id, target }));
        }
    }
    ui.menu_button("Move to column", |ui| {
        for column in &workspace.columns {
            let here = column.column_id == item.column_id;
            let label = if here { format!("{} (here)", column.name) } else { column.name.clone() };
            if ui.add_enabled(!here, Button::new(label)).clicked() {
                // To the end of the column's queue: the place a hand-off usually takes.
                let after_item = workspace.column_items(column.column_id).last().copied();
                chosen = Some(Command::Item(ItemCommand::Move {
                    item_id,
                    target: MoveTarget { column_id: column.column_id, after_item },
                }));
            }
        }
    });
    ui.menu_button("Plan in sprint", |ui| {
        for sprint in &workspace.sprints {
            let here = item.sprint_id == Some(sprint.sprint_id);
            let dates = format!("{} – {}", sprint.start_date.strftime("%-d %b"), sprint.end_date.strftime("%-d %b"));
            let label = if here { format!("{} (planned here)", sprint.name) } else { sprint.name.clone() };
            let button = Button::new(label).shortcut_text(dates);
            if ui.add_enabled(!here, button).clicked() {
                chosen = Some(Command::Planning(PlanningCommand::PlanInSprint {
                    item_ids: vec![item_id],
                    sprint_id: Some(sprint.sprint_id),
                }));
            }
        }
        if workspace.sprints.is_empty() {
            ui.label("No sprints yet: add one in the sprint panel.");
        }
        ui.separator();
        let unplanned = item.sprint_id.is_none();
        let label = if unplanned { "Unplanned backlog (here)" } else { "Take out of its sprint" };
        if ui.add_enabled(!unplanned, Button::new(label)).clicked() {
            chosen =
                Some(Command::Planning(PlanningCommand::PlanInSprint { item_ids: vec![item_id], sprint_id: None }));
        }
    });
    let lane_label = if state.lanes { "Move to lane" } else { "Move to epic" };
    ui.menu_button(lane_label, |ui| {
        let above = above_in_column(workspace, item_id);
        let target = MoveTarget { column_id: item.column_id, after_item: above };
        for epic in &workspace.epics {
            let here = item.epic_id == Some(epic.epic_id);
            let label = if here { format!("{} (here)", epic.title) } else { epic.title.clone() };
            if ui.add_enabled(!here, Button::new(label)).clicked() {
                chosen = Some(Command::Item(ItemCommand::MoveToLane {
                    item_ids: vec![item_id],
                    target,
                    epic_id: Some(epic.epic_id),
                }));
            }
        }
        ui.separator();
        let none = item.epic_id.is_none();
        if ui.add_enabled(!none, Button::new(if none { "No epic (here)" } else { "No epic" })).clicked() {
            chosen = Some(Command::Item(ItemCommand::MoveToLane { item_ids: vec![item_id], target, epic_id: None }));
        }
    });
    ui.separator();
    if ui
        .button("Archive")
        .on_hover_text("Off the board, still in the delivery charts; Ctrl+Z brings it back")
        .clicked()
    {
        actions.push(UiAction::Apply(Command::Item(ItemCommand::Archive { item_ids: vec![item_id], archive: true })));
        ui.close();
    }
    ui.menu_button("Delete", |ui| {
        ui.label(format!("Delete '{}'? Undo (Ctrl+Z) brings it back.", item.title));
        if ui.button(RichText::new("Yes, delete it").color(theme::error_colour(ui.visuals()))).clicked() {
            actions.push(UiAction::Apply(Command::Item(ItemCommand::Delete(item_id))));
            ui.close();
        }
    });
    if let Some(command) = chosen {
        actions.push(UiAction::Apply(command));
        state.selected = Some(item_id);
        state.reveal = Some(item_id);
        state.focus = Some(item_id);
        ui.close();
    }
}

/// The card right above `item_id` in its whole column (not only the visible cards), so a change of lane
/// keeps the card where it is.
fn above_in_column(workspace: &Workspace, item_id: ItemId) -> Option<ItemId> {
    let column_id = workspace.item(item_id)?.column_id;
    let ids = workspace.column_items(column_id);
    let index = ids.iter().position(|id| *id == item_id)?;
    index.checked_sub(1).and_then(|above| ids.get(above)).copied()
}

/// Where "Move up / down / to top / to bottom" puts the card among the cards its column shows, or
/// `None` when it is already there.
fn place_target(workspace: &Workspace, state: &BoardState, item_id: ItemId, place: Place) -> Option<MoveTarget> {
    let (column_index, row) = state.locate(workspace, item_id)?;
    let column_id = workspace.columns.get(column_index)?.column_id;
    let here = state.visible(workspace, column_id);
    let last = here.len().checked_sub(1)?;
    let after_item = match place {
        Place::Up | Place::Top if row == 0 => return None,
        Place::Down | Place::Bottom if row == last => return None,
        Place::Up => row.checked_sub(2).and_then(|above| here.get(above).copied()),
        Place::Top => None,
        Place::Down => here.get(row + 1).copied(),
        Place::Bottom => here.get(last).copied(),
    };
    Some(MoveTarget { column_id, after_item })
}
