//! The board from the keyboard: arrows select, Ctrl+arrows move, Enter opens, P plans.

use super::BoardState;
use crate::app::{Command, ItemCommand};
use crate::model::MoveTarget;
use crate::model::{ColumnId, ItemId, Workspace};
use crate::ui::UiAction;
use crate::ui::shortcuts;
use egui::{Key, Modifiers, Ui};

/// Arrow keys move the selection; Ctrl + arrows (and Ctrl + Home / End) move the selected card.
pub(super) fn keyboard_ui(ui: &Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    let ctx = ui.ctx();
    let nothing_focused = ctx.memory(|memory| memory.focused().is_none());
    if state.drag.is_some()
        || ctx.text_edit_focused()
        || egui::Popup::is_any_open(ctx)
        || !(state.card_focused || nothing_focused)
    {
        return;
    }
    let pressed = |modifiers: Modifiers, key: Key| ctx.input_mut(|input| input.consume_key(modifiers, key));
    let chord = |shortcut: egui::KeyboardShortcut| pressed(shortcut.modifiers, shortcut.logical_key);
    let columns = &workspace.columns;
    let column_ids: Vec<ColumnId> = columns.iter().map(|column| column.column_id).collect();
    // With swimlanes, the keys go through the cards of the selected card's lane: the cells of one row.
    let lanes = if state.lanes { state.lane_cells(workspace) } else { Vec::new() };
    let lane = state
        .selected
        .and_then(|item_id| lanes.iter().position(|(_, cells)| cells.iter().any(|cell| cell.contains(&item_id))));
    let cells = |lane: usize| lanes.get(lane).map_or(&[][..], |(_, cells)| cells.as_slice());
    let position = match lane {
        Some(lane) => state.selected.and_then(|item_id| {
            cells(lane).iter().enumerate().find_map(|(column_index, cell)| {
                cell.iter().position(|id| *id == item_id).map(|row| (column_index, row))
            })
        }),
        None => state.selected.and_then(|item_id| state.locate(workspace, item_id)),
    };
    let Some((column_index, row)) = position else {
        // Nothing selected yet: any arrow selects the first card.
        let any_arrow = [Key::ArrowUp, Key::ArrowDown, Key::ArrowLeft, Key::ArrowRight]
            .into_iter()
            .any(|key| pressed(Modifiers::NONE, key));
        if any_arrow
            && let Some(&first) = columns.iter().find_map(|column| state.visible(workspace, column.column_id).first())
        {
            super::select_by_key(ctx, state, first);
        }
        return;
    };
    let Some(item_id) = state.selected else {
        return;
    };
    // A column's shown cards, and the ones the keys go through: the lane's cell of it, with swimlanes.
    let shown = |index: usize| column_ids.get(index).map_or(&[][..], |column_id| state.visible(workspace, *column_id));
    let visible = |index: usize| match lane {
        Some(lane) => cells(lane).get(index).map_or(&[][..], |cell| &cell[..]),
        None => shown(index),
    };
    let here = visible(column_index);

    // Moves of the card itself (Ctrl + Up / Down), or of the whole multi-selection (Ctrl + Left / Right /
    // Home / End), anchored on the nearest visible card outside the moving set.
    let items = state.moving(workspace, item_id);
    let group = items.len() > 1;
    let mut target: Option<(usize, Option<ItemId>)> = None;
    if !group && chord(shortcuts::MOVE_UP) && row > 0 {
        // Just above the card above it: below the card before that one among the column's shown cards.
        let above = row.checked_sub(1).and_then(|above| here.get(above));
        let column = shown(column_index);
        let before = above.and_then(|above| column.iter().position(|id| id == above));
        target = Some((column_index, before.and_then(|at| at.checked_sub(1)).and_then(|at| column.get(at).copied())));
    } else if !group && chord(shortcuts::MOVE_DOWN) && row + 1 < here.len() {
        target = Some((column_index, here.get(row + 1).copied()));
    } else if chord(shortcuts::MOVE_TOP) {
        target = Some((column_index, None));
    } else if chord(shortcuts::MOVE_BOTTOM) {
        target = Some((column_index, here.iter().rev().copied().find(|id| !items.contains(id))));
    } else if chord(shortcuts::MOVE_LEFT) && column_index > 0 {
        let there = visible(column_index - 1);
        let above = there
            .get(..row.min(there.len()))
            .and_then(|above| above.iter().rev().copied().find(|id| !items.contains(id)));
        target = Some((column_index - 1, above));
    } else if chord(shortcuts::MOVE_RIGHT) && column_index + 1 < columns.len() {
        let there = visible(column_index + 1);
        let above = there
            .get(..row.min(there.len()))
            .and_then(|above| above.iter().rev().copied().find(|id| !items.contains(id)));
        target = Some((column_index + 1, above));
    }
    if let Some((to_column, after_item)) = target {
        if let Some(&column_id) = column_ids.get(to_column) {
            let target = MoveTarget { column_id, after_item };
            let command = if group {
                Command::Item(ItemCommand::MoveMany { item_ids: items, target })
            } else {
                Command::Item(ItemCommand::Move { item_id, target })
            };
            actions.push(UiAction::Apply(command));
            state.focus = Some(item_id);
            state.reveal = Some(item_id);
        }
        return;
    }

    // Shift + Up / Down extends the multi-selection.
    let extend = if pressed(Modifiers::SHIFT, Key::ArrowUp) {
        row.checked_sub(1).and_then(|above| here.get(above).copied())
    } else if pressed(Modifiers::SHIFT, Key::ArrowDown) {
        here.get(row + 1).copied()
    } else {
        None
    };
    if let Some(next) = extend {
        if state.group.is_empty() {
            state.group.push(item_id);
        }
        if !state.group.contains(&next) {
            state.group.push(next);
        }
        super::select_by_key(ctx, state, next);
        return;
    }

    // Moves of the selection.
    // Past the first or last card of a lane's cell, up or down, the next lane's cell of the column.
    let other_lane = |lanes_in_turn: Vec<usize>, last: bool| {
        lanes_in_turn.into_iter().find_map(|other| {
            let cell = cells(other).get(column_index)?;
            if last { cell.last() } else { cell.first() }.copied()
        })
    };
    let next = if pressed(Modifiers::NONE, Key::ArrowUp) {
        row.checked_sub(1)
            .and_then(|above| here.get(above).copied())
            .or_else(|| lane.and_then(|lane| other_lane((0..lane).rev().collect(), true)))
    } else if pressed(Modifiers::NONE, Key::ArrowDown) {
        here.get(row + 1)
            .copied()
            .or_else(|| lane.and_then(|lane| other_lane((lane + 1..lanes.len()).collect(), false)))
    } else if pressed(Modifiers::NONE, Key::ArrowLeft) {
        (0..column_index).rev().find_map(|index| {
            let there = visible(index);
            there.get(row.min(there.len().saturating_sub(1))).copied()
        })
    } else if pressed(Modifiers::NONE, Key::ArrowRight) {
        (column_index + 1..columns.len()).find_map(|index| {
            let there = visible(index);
            there.get(row.min(there.len().saturating_sub(1))).copied()
        })
    } else if pressed(Modifiers::NONE, Key::Home) {
        here.first().copied()
    } else if pressed(Modifiers::NONE, Key::End) {
        here.last().copied()
    } else {
        None
    };
    if let Some(next) = next {
        super::select_by_key(ctx, state, next);
    }
}
