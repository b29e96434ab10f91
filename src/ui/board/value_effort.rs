//! The Priorities window's value-versus-effort page: a column's cards placed by business value against
//! their estimate, split at the medians into quick wins, big bets, fill-ins and time sinks. The chart
//! shows where they fall; below it each quadrant lists its cards in words (best value for effort first),
//! each a link that selects the card on the board, so that nothing depends on seeing the chart or its
//! colours.

use std::sync::Arc;

use egui::{RichText, Ui};
use egui_plot::{HLine, LineStyle, MarkerShape, Plot, PlotBounds, PlotPoint, PlotPoints, Points, Text, VLine};

use crate::model::priority::{Quadrant, ValueEffort, value_effort};
use crate::model::{ColumnId, ItemId, Workspace};
use crate::ui::theme;

/// A quadrant's cards with where they sit on the chart (estimate, value).
type Series = Vec<(Quadrant, Vec<(ItemId, [f64; 2])>)>;

/// The most cards the chart places: the top of a column in board order, what refinement looks at.
const PLOTTED: usize = 2_000;

/// The cards each quadrant lists by name.
const LISTED: usize = 5;

/// The matrix of a column, kept until the board changes.
#[derive(Clone, Debug)]
pub(super) struct Placed {
    column_id: ColumnId,
    revision: u64,
    matrix: Arc<ValueEffort>,
    /// How many cards the column has (the matrix holds at most [`PLOTTED`]).
    cards: usize,
}

fn placed<'slot>(workspace: &Workspace, slot: &'slot mut Option<Placed>, column_id: ColumnId) -> &'slot Placed {
    let revision = workspace.revision();
    let stale = !slot.as_ref().is_some_and(|placed| placed.column_id == column_id && placed.revision == revision);
    if stale {
        let ids = workspace.column_items(column_id);
        let items: Vec<&crate::model::BacklogItem> =
            ids.iter().take(PLOTTED).filter_map(|item_id| workspace.item(*item_id)).collect();
        *slot = Some(Placed { column_id, revision, matrix: Arc::new(value_effort(&items)), cards: ids.len() });
    }
    slot.get_or_insert_with(|| Placed { column_id, revision, matrix: Arc::new(value_effort(&[])), cards: 0 })
}

/// How each quadrant is drawn: its marker (so that the colour is never the only difference) and colour.
fn look(quadrant: Quadrant, visuals: &egui::Visuals) -> (MarkerShape, egui::Color32) {
    match quadrant {
        Quadrant::QuickWin => (MarkerShape::Circle, theme::success_colour(visuals)),
        Quadrant::BigBet => (MarkerShape::Diamond, visuals.selection.stroke.color),
        Quadrant::FillIn => (MarkerShape::Square, visuals.weak_text_color()),
        Quadrant::TimeSink => (MarkerShape::Cross, theme::warning_colour(visuals)),
    }
}

/// A number as the window says it: whole numbers without decimals.
fn number(value: f64) -> String {
    crate::model::points_words(value)
}

/// Draws the page for `column_id`; returns the card to select on the board, if one was chosen.
pub(super) fn value_effort_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    slot: &mut Option<Placed>,
    column_id: ColumnId,
) -> Option<ItemId> {
    let placed = placed(workspace, slot, column_id);
    let matrix = Arc::clone(&placed.matrix);
    let column = workspace.column(column_id).map_or("", |column| column.name.as_str());
    if matrix.placed.is_empty() {
        ui.label(format!(
            "No card in {column} has both an estimate and a business value yet. Give cards a business value (the \
             WSJF inputs in the item editor) and an estimate to place them."
        ));
        return unplaced_ui(ui, workspace, &matrix);
    }
    ui.label(format!(
        "Business value against effort (the estimate in points) of the cards in {column}, split at their medians: \
         value {}, estimate {} points.",
        number(matrix.value_split),
        number(matrix.effort_split)
    ));
    if placed.cards > PLOTTED {
        ui.label(
            RichText::new(format!(
                "The chart places the top {} of the column's {} cards, in board order.",
                crate::ui::widgets::count(PLOTTED),
                crate::ui::widgets::count(placed.cards)
            ))
            .weak(),
        );
    }
    let mut chosen = chart_ui(ui, workspace, &matrix);
    ui.add_space(4.0);
    egui::Grid::new("value-effort-quadrants").num_columns(2).spacing([16.0, 8.0]).show(ui, |ui| {
        for pair in Quadrant::ALL.chunks(2) {
            for quadrant in pair {
                ui.vertical(|ui| {
                    ui.set_width(280.0);
                    chosen = quadrant_ui(ui, workspace, &matrix, *quadrant).or(chosen);
                });
            }
            ui.end_row();
        }
    });
    unplaced_ui(ui, workspace, &matrix).or(chosen)
}

/// The chart: a point per card (hover names it, a click selects it), the median lines and the
/// quadrants' names in their corners.
fn chart_ui(ui: &mut Ui, workspace: &Workspace, matrix: &ValueEffort) -> Option<ItemId> {
    let visuals = ui.visuals().clone();
    let max_effort = matrix.placed.iter().map(|placed| placed.2).fold(matrix.effort_split, f64::max).max(1.0) * 1.15;
    let max_value = matrix.placed.iter().map(|placed| placed.1).fold(matrix.value_split, f64::max).max(1.0) * 1.15;
    let series: Series = Quadrant::ALL
        .into_iter()
        .map(|quadrant| {
            let points = matrix
                .placed
                .iter()
                .filter(|placed| placed.3 == quadrant)
                .map(|&(item_id, value, effort, _)| (item_id, [effort, value]))
                .collect();
            (quadrant, points)
        })
        .collect();
    let title_at = |name: &str, index: usize| -> Option<String> {
        let (_, points) = series.iter().find(|(quadrant, _)| quadrant.name() == name)?;
        let (item_id, [effort, value]) = points.get(index)?;
        let item = workspace.item(*item_id)?;
        Some(format!("{}\nvalue {}, {} points", item.title, number(*value), number(*effort)))
    };
    let response = Plot::new("value-effort")
        .height(260.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .x_axis_label("Effort: estimate in points")
        .y_axis_label("Business value")
        .label_formatter(|hover| match hover {
            egui_plot::HoverPosition::NearDataPoint { plot_name, index, .. } => title_at(plot_name, *index),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds(PlotBounds::from_min_max([0.0, 0.0], [max_effort, max_value]));
            let split = visuals.weak_text_color();
            plot_ui.vline(VLine::new("", matrix.effort_split).color(split).style(LineStyle::dashed_loose()));
            plot_ui.hline(HLine::new("", matrix.value_split).color(split).style(LineStyle::dashed_loose()));
            let corners = [
                (Quadrant::QuickWin, matrix.effort_split / 2.0, max_value * 0.97),
                (Quadrant::BigBet, f64::midpoint(matrix.effort_split, max_effort), max_value * 0.97),
                (Quadrant::FillIn, matrix.effort_split / 2.0, matrix.value_split * 0.97),
                (Quadrant::TimeSink, f64::midpoint(matrix.effort_split, max_effort), matrix.value_split * 0.97),
            ];
            for (quadrant, x, y) in corners {
                let text = RichText::new(quadrant.name()).color(visuals.weak_text_color());
                plot_ui.text(Text::new("", PlotPoint::new(x, y), text).anchor(egui::Align2::CENTER_TOP));
            }
            // Cards with the same value and estimate share a point: it says how many.
            let mut shared: std::collections::BTreeMap<(u64, u64), usize> = std::collections::BTreeMap::new();
            for (_, points) in &series {
                for (_, [x, y]) in points {
                    *shared.entry((x.to_bits(), y.to_bits())).or_default() += 1;
                }
            }
            for ((x, y), count) in shared.into_iter().filter(|(_, count)| *count > 1) {
                let at = PlotPoint::new(f64::from_bits(x), f64::from_bits(y));
                let text = RichText::new(format!(" ×{count}")).small().color(visuals.text_color());
                plot_ui.text(Text::new("", at, text).anchor(egui::Align2::LEFT_BOTTOM));
            }
            for (quadrant, points) in &series {
                let (shape, colour) = look(*quadrant, &visuals);
                let coordinates: Vec<[f64; 2]> = points.iter().map(|(_, point)| *point).collect();
                plot_ui.points(
                    Points::new(quadrant.name(), PlotPoints::from(coordinates))
                        .shape(shape)
                        .color(colour)
                        .filled(true)
                        .radius(5.0),
                );
            }
        });
    let counts: Vec<String> = series
        .iter()
        .map(|(quadrant, points)| crate::interchange::convert::plural(points.len(), quadrant.one()))
        .collect();
    crate::ui::widgets::a11y::name_widget(
        ui,
        &response.response,
        &format!(
            "Chart of the cards by value and effort: {}. Each quadrant's cards are listed below.",
            counts.join(", ")
        ),
    );
    if !response.response.clicked() {
        return None;
    }
    let pointer = response.response.interact_pointer_pos()?;
    series
        .iter()
        .flat_map(|(_, points)| points.iter())
        .map(|(item_id, [x, y])| {
            (*item_id, response.transform.position_from_point(&PlotPoint::new(*x, *y)).distance(pointer))
        })
        .filter(|(_, distance)| *distance <= 12.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(item_id, _)| item_id)
}

/// A quadrant in words: its name, what it means, and its best cards by name.
fn quadrant_ui(ui: &mut Ui, workspace: &Workspace, matrix: &ValueEffort, quadrant: Quadrant) -> Option<ItemId> {
    let ids = matrix.in_quadrant(quadrant);
    let mut chosen = None;
    ui.label(RichText::new(format!("{} ({})", quadrant.name(), crate::ui::widgets::count(ids.len()))).strong());
    ui.label(RichText::new(quadrant.advice()).weak());
    for item_id in ids.iter().take(LISTED) {
        let Some(item) = workspace.item(*item_id) else {
            continue;
        };
        let points = item.points.map_or_else(String::new, |points| {
            format!(", {} {}", number(points), if (points - 1.0).abs() < f64::EPSILON { "point" } else { "points" })
        });
        if ui
            .link(format!("{} (value {}{points})", item.title, item.business_value))
            .on_hover_text("Select this card on the board")
            .clicked()
        {
            chosen = Some(*item_id);
        }
    }
    if ids.len() > LISTED {
        ui.label(RichText::new(format!("and {} more", crate::ui::widgets::count(ids.len() - LISTED))).weak());
    }
    chosen
}

/// The cards the matrix cannot place, said and listed.
fn unplaced_ui(ui: &mut Ui, workspace: &Workspace, matrix: &ValueEffort) -> Option<ItemId> {
    if matrix.unplaced.is_empty() {
        return None;
    }
    let mut chosen = None;
    ui.add_space(4.0);
    ui.label(format!(
        "Not placed: {} without an estimate or a business value.",
        crate::interchange::convert::plural(matrix.unplaced.len(), "card")
    ));
    ui.horizontal_wrapped(|ui| {
        for item_id in matrix.unplaced.iter().take(LISTED) {
            if let Some(item) = workspace.item(*item_id)
                && ui.link(&item.title).on_hover_text("Select this card on the board").clicked()
            {
                chosen = Some(*item_id);
            }
        }
        if matrix.unplaced.len() > LISTED {
            ui.label(format!("and {} more", crate::ui::widgets::count(matrix.unplaced.len() - LISTED)));
        }
    });
    chosen
}
