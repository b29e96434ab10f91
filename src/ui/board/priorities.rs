//! The Priorities window: the cards whose places by rank, WSJF and RICE differ most, and (on its second
//! page, `value_effort.rs`) the cards by business value against effort.

use super::{BoardState, PrioritiesPage};
use crate::model::priority::Disagreement;
use crate::model::{ColumnId, Workspace};
use egui::{ComboBox, vec2};

/// How many cards the window lists.
const SHOWN: usize = 8;

/// The cards listed for a column, at the workspace revision they were found at.
#[derive(Clone, Debug)]
pub(super) struct Found {
    column_id: ColumnId,
    revision: u64,
    top: Vec<Disagreement>,
}

/// The cards whose places differ most in `column_id`, found again only when the board changed.
fn found<'state>(
    workspace: &Workspace,
    slot: &'state mut Option<Found>,
    column_id: ColumnId,
) -> &'state [Disagreement] {
    let revision = workspace.revision();
    if !slot.as_ref().is_some_and(|found| found.column_id == column_id && found.revision == revision) {
        let items: Vec<&crate::model::BacklogItem> =
            workspace.column_items(column_id).iter().filter_map(|item_id| workspace.item(*item_id)).collect();
        let top = crate::model::priority::most_disagreed(&items, SHOWN);
        *slot = Some(Found { column_id, revision, top });
    }
    slot.as_ref().map_or(&[], |found| found.top.as_slice())
}

/// The Priorities window for one column: where rank, WSJF and RICE disagree, or value against effort.
pub(super) fn priorities_ui(ctx: &egui::Context, workspace: &Workspace, state: &mut BoardState) {
    let Some(column_id) = state.priorities else {
        return;
    };
    let mut open = true;
    let mut chosen = column_id;
    let mut select = None;
    let width = if state.priorities_page == PrioritiesPage::ValueEffort { 620.0 } else { 460.0 };
    crate::ui::widgets::window::titled(ctx, "Priorities")
        .open(&mut open)
        .default_width(width)
        // As tall as the page (its list scrolls past the window's room), whichever page shows.
        .resizable([true, false])
        .default_pos(ctx.content_rect().right_top() + vec2(-(width + 30.0), 120.0))
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(
                    &mut state.priorities_page,
                    PrioritiesPage::Disagreements,
                    "Where the orders disagree",
                );
                ui.selectable_value(&mut state.priorities_page, PrioritiesPage::ValueEffort, "Value vs effort");
            });
            let name = workspace.column(chosen).map_or("", |column| column.name.as_str()).to_owned();
            ComboBox::from_id_salt("priorities-column")
                .selected_text(name)
                .show_ui(ui, |ui| {
                    for column in &workspace.columns {
                        ui.selectable_value(&mut chosen, column.column_id, &column.name);
                    }
                })
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Column to compare"));
            // The page takes the room down to the foot of the screen before it scrolls.
            let room = (ctx.content_rect().bottom() - ui.cursor().top() - 40.0).max(160.0);
            select = egui::ScrollArea::vertical()
                .id_salt("priorities-page")
                .max_height(room)
                .min_scrolled_height(room)
                .show(ui, |ui| match state.priorities_page {
                    PrioritiesPage::Disagreements => {
                        disagreements_ui(ui, workspace, &mut state.priorities_found, chosen)
                    }
                    PrioritiesPage::ValueEffort => {
                        super::value_effort::value_effort_ui(ui, workspace, &mut state.value_effort_placed, chosen)
                    }
                })
                .inner;
        });
    state.priorities = open.then_some(chosen);
    if !open {
        state.priorities_found = None;
        state.value_effort_placed = None;
    }
    if let Some(item_id) = select {
        state.select(item_id);
    }
}

/// The cards of one column whose places differ most between rank, WSJF and RICE; returns the card to
/// select on the board, if one was chosen.
fn disagreements_ui(
    ui: &mut egui::Ui,
    workspace: &Workspace,
    slot: &mut Option<Found>,
    chosen: ColumnId,
) -> Option<crate::model::ItemId> {
    ui.label("Places of each card in its column by rank (your order), by WSJF and by RICE. The cards at the top are the ones worth discussing.");
    let found = found(workspace, slot, chosen);
    if found.is_empty() {
        ui.label("Rank, WSJF and RICE agree on this column (or its cards have no scores yet).");
        return None;
    }
    let mut select = None;
    let place = |value: Option<usize>| value.map_or_else(|| "—".to_owned(), crate::ui::widgets::count);
    egui::Grid::new("priorities-grid").striped(true).num_columns(4).show(ui, |ui| {
        ui.strong("Card");
        ui.strong("Rank");
        ui.strong("WSJF");
        ui.strong("RICE");
        ui.end_row();
        for disagreement in found {
            let Some(item) = workspace.item(disagreement.item_id) else {
                continue;
            };
            if ui.link(&item.title).on_hover_text("Select this card on the board").clicked() {
                select = Some(item.item_id);
            }
            ui.label(crate::ui::widgets::count(disagreement.rank_place));
            ui.label(place(disagreement.wsjf_place));
            ui.label(place(disagreement.rice_place));
            ui.end_row();
        }
    });
    select
}
