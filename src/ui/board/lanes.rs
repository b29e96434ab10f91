//! Swimlanes by epic: one row per epic, each a row of column cells.

use super::{BoardState, Cell, CellIds, ColumnContext, Lane, column_header_ui, column_ui};
use crate::interchange::convert::plural;
use crate::model::Workspace;
use crate::ui::UiAction;
use crate::ui::theme;
use crate::ui::widgets::card::card_height;
use egui::{Frame, RichText, ScrollArea, Ui};

/// The board split into one swimlane per epic (and one for cards without an epic). Column headers
/// are drawn once; each lane shows up to three cards per column and scrolls within itself.
pub(super) fn lanes_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    state: &mut BoardState,
    context: ColumnContext,
    actions: &mut Vec<UiAction>,
) -> bool {
    let mut card_focused = false;
    let pitch = card_height(ui) + theme::CARD_GAP;
    let visuals = ui.visuals().clone();
    ScrollArea::both().id_salt("board-lanes").auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal_top(|ui| {
            for (index, column) in workspace.columns.iter().enumerate() {
                Frame::new()
                    .fill(theme::column_fill(&visuals))
                    .corner_radius(8.0)
                    .inner_margin(theme::COLUMN_MARGIN)
                    .show(ui, |ui| {
                        ui.set_width(context.width);
                        let count = workspace.column_size(column.column_id);
                        ui.vertical(|ui| {
                            column_header_ui(ui, column, (index, workspace.columns.len()), count, &visuals, actions);
                        });
                    });
            }
        });
        for (lane, cells) in state.lane_cells(workspace) {
            let total: usize = cells.iter().map(|ids| ids.len()).sum();
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if let Some(epic) = lane.and_then(|epic_id| workspace.epic(epic_id)) {
                    ui.label(
                        RichText::new(format!("♦ {}", epic.title))
                            .heading()
                            .color(theme::epic_text_colour(epic.colour, ui.visuals())),
                    );
                    ui.label(RichText::new(plural(total, "card")).weak());
                } else {
                    ui.label(RichText::new("No epic").heading());
                    ui.label(RichText::new(plural(total, "card")).weak());
                }
            });
            #[expect(clippy::cast_precision_loss, reason = "at most three rows")]
            let rows = cells.iter().map(|ids| ids.len()).max().unwrap_or(0).clamp(1, 3) as f32;
            let height = rows * pitch;
            ui.horizontal_top(|ui| {
                for (index, (column, ids)) in workspace.columns.iter().zip(cells).enumerate() {
                    let cell = Cell {
                        ids: CellIds::Shared(ids),
                        lane: Some(Lane::new(lane)),
                        header: false,
                        height: Some(height),
                    };
                    let context = ColumnContext { place: (index, workspace.columns.len()), ..context };
                    card_focused |= column_ui(ui, column, cell, workspace, state, context, actions);
                }
            });
        }
    });
    card_focused
}
