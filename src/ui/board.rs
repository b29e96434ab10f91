//! The backlog board: one column per workflow status, cards in rank order.
//!
//! Each column scrolls on its own and builds only the cards in view (`ScrollArea::show_rows`), so a
//! backlog of 100,000 items costs the same per frame as one of a hundred.

use egui::{Frame, RichText, ScrollArea, TextStyle, Ui};

use super::UiAction;
use super::theme;
use super::widgets::card::{card_height, card_ui};
use crate::model::{Column, ItemId, Workspace};

/// Draws the board and records what the user asked for in `actions`.
///
/// `reveal` names an item to scroll into view this frame (a card just created or moved).
pub fn board_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    selected: Option<ItemId>,
    reveal: Option<ItemId>,
    actions: &mut Vec<UiAction>,
) {
    if workspace.columns.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("This workspace has no board columns yet.");
            ui.label("Create a new workspace from the File menu to start with Backlog, Ready, In progress, Review and Done.");
        });
        return;
    }
    let width = column_width(ui.available_width(), workspace.columns.len());
    ScrollArea::horizontal()
        .id_salt("board-columns")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                for column in &workspace.columns {
                    column_ui(
                        ui,
                        column,
                        workspace,
                        ColumnState {
                            selected,
                            reveal,
                            width,
                        },
                        actions,
                    );
                }
            });
        });
}

/// Columns share the width so a five-column board fits a laptop screen, within readable bounds.
fn column_width(available: f32, columns: usize) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
    let share = available / columns.max(1) as f32 - 2.0 * theme::COLUMN_MARGIN - 8.0;
    share.clamp(theme::COLUMN_MIN_WIDTH, theme::COLUMN_MAX_WIDTH)
}

/// What a column needs to know beyond the workspace.
#[derive(Clone, Copy)]
struct ColumnState {
    selected: Option<ItemId>,
    reveal: Option<ItemId>,
    width: f32,
}

fn column_ui(
    ui: &mut Ui,
    column: &Column,
    workspace: &Workspace,
    state: ColumnState,
    actions: &mut Vec<UiAction>,
) {
    let ColumnState {
        selected,
        reveal,
        width,
    } = state;
    let ids = workspace.column_items(column.column_id);
    let visuals = ui.visuals().clone();
    Frame::new()
        .fill(theme::column_fill(&visuals))
        .corner_radius(8.0)
        .inner_margin(theme::COLUMN_MARGIN)
        .show(ui, |ui| {
            ui.set_width(width);
            ui.vertical(|ui| {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(&column.name)
                            .text_style(TextStyle::Heading)
                            .strong(),
                    );
                    let count = match column.wip_limit {
                        Some(limit) => format!("{} / {limit}", ids.len()),
                        None => ids.len().to_string(),
                    };
                    ui.label(RichText::new(count).weak())
                        .on_hover_text("Items in this column / WIP limit");
                    if column.is_done {
                        ui.label(RichText::new("✔ done").weak());
                    }
                });
                let over_limit = column
                    .wip_limit
                    .is_some_and(|limit| ids.len() > limit as usize);
                if over_limit {
                    ui.label(
                        RichText::new("⚠ Over the WIP limit")
                            .color(theme::warning_colour(&visuals)),
                    );
                }
                if ui.button(format!("+ Add to {}", column.name)).clicked() {
                    actions.push(UiAction::NewItemIn(column.column_id));
                }
                ui.add_space(4.0);
                let row_height = card_height(ui);
                let card_width = width - 14.0;
                ui.spacing_mut().item_spacing.y = theme::CARD_GAP;
                let mut scroll = ScrollArea::vertical()
                    .id_salt(("board-column", column.column_id.0))
                    .auto_shrink([false, false]);
                if let Some(index) =
                    reveal.and_then(|item_id| ids.iter().position(|id| *id == item_id))
                {
                    // Put the card a little below the top, so its neighbour above shows too.
                    #[expect(clippy::cast_precision_loss, reason = "row index")]
                    let offset = (index as f32 - 1.0).max(0.0) * (row_height + theme::CARD_GAP);
                    scroll = scroll.vertical_scroll_offset(offset);
                }
                scroll.show_rows(ui, row_height, ids.len(), |ui, range| {
                    for &item_id in ids.get(range).unwrap_or_default() {
                        let Some(item) = workspace.item(item_id) else {
                            continue;
                        };
                        let response =
                            card_ui(ui, item, workspace, selected == Some(item_id), card_width);
                        if response.clicked() {
                            actions.push(UiAction::EditItem(item_id));
                        }
                    }
                });
            });
        });
}
