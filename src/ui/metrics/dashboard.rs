//! The KPI dashboard: a card per KPI with its sparkline, latest value, change and target in words.

use super::{CARD_WIDTH, MetricsState, SPARKLINE_HEIGHT};
use crate::model::{Direction, Metric, MetricCategory, Workspace};
use crate::ui::theme;
use egui::{Frame, RichText, ScrollArea, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints};

pub(super) fn dashboard_ui(ui: &mut Ui, workspace: &Workspace, state: &mut MetricsState) {
    if workspace.metrics.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            crate::ui::widgets::a11y::heading(ui, "No KPIs yet.");
            ui.label(
                "Add one with “+ New KPI”: conversion, churn, NPS or accessibility compliance, with a target \
                 and its samples.",
            );
        });
        return;
    }
    let revision = workspace.revision();
    ScrollArea::vertical().id_salt("metrics").auto_shrink([false, false]).show(ui, |ui| {
        for category in MetricCategory::ALL {
            let metrics: Vec<&Metric> = workspace.metrics.iter().filter(|metric| metric.category == category).collect();
            if metrics.is_empty() {
                continue;
            }
            ui.add_space(6.0);
            crate::ui::widgets::a11y::heading(ui, category.label());
            // As many cards per row as fit, so nothing is cut off at any window size or zoom.
            let gap = ui.spacing().item_spacing.x;
            let card_outer = CARD_WIDTH + 2.0 * 10.0 + 2.0 + gap;
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
            let per_row = ((ui.available_width() + gap) / card_outer).floor().max(1.0) as usize;
            for row in metrics.chunks(per_row) {
                ui.horizontal_top(|ui| {
                    for metric in row {
                        let points = state.sparkline(metric, revision);
                        let objective = metric
                            .objective_id
                            .and_then(|id| workspace.objectives.iter().find(|objective| objective.objective_id == id));
                        let serves = objective.map(|objective| objective.title.as_str());
                        let research = workspace
                            .insights
                            .iter()
                            .filter(|insight| insight.metric_id == Some(metric.metric_id))
                            .count();
                        if metric_card_ui(ui, metric, &points, serves, research) {
                            state.open_detail(metric.metric_id);
                        }
                    }
                });
            }
        }
    });
}

/// "⬆ +0.3 percentage points since 15 Oct 2026"
pub(super) fn change_words(metric: &Metric) -> Option<String> {
    let (latest, previous) = (metric.latest()?, metric.samples.iter().rev().nth(1)?);
    let change = latest.value - previous.value;
    let (arrow, sign) = if change > 0.0 {
        ("⬆", "+")
    } else if change < 0.0 {
        ("⬇", "−")
    } else {
        ("=", "")
    };
    Some(format!("{arrow} {sign}{} since {}", metric.format_change(change.abs()), previous.date.strftime("%-d %b %Y")))
}

/// "at least 4.5%"
pub(super) fn target_words(metric: &Metric) -> Option<String> {
    let better = match metric.direction {
        Direction::HigherIsBetter => "at least",
        Direction::LowerIsBetter => "at most",
    };
    metric.target.map(|target| format!("target {better} {}", metric.format_value(target)))
}

/// One KPI card, naming the objective it serves if any and counting the insights of UX research on it;
/// returns whether the user asked to open its chart.
pub(super) fn metric_card_ui(
    ui: &mut Ui,
    metric: &Metric,
    points: &[[f64; 2]],
    serves: Option<&str>,
    research: usize,
) -> bool {
    let visuals = ui.visuals().clone();
    let mut open = false;
    Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(CARD_WIDTH);
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&metric.name).strong().size(ui.text_style_height(&egui::TextStyle::Body) * 1.1));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let button = ui.button("Open chart").on_hover_text(format!("Open chart: {}", metric.name));
                    crate::ui::widgets::a11y::name_widget(ui, &button, &format!("Open chart: {}", metric.name));
                    open |= button.clicked();
                });
            });
            ui.horizontal(|ui| {
                let value_text =
                    metric.latest().map_or_else(|| "No samples".to_owned(), |sample| metric.format_value(sample.value));
                ui.label(RichText::new(value_text).heading().strong());
                if let Some(change) = change_words(metric) {
                    ui.label(change);
                }
            });
            let (icon, words, colour) = theme::target_state_badge(metric.target_state(), &visuals);
            let target = target_words(metric).map_or_else(String::new, |words| format!(" · {words}"));
            ui.label(RichText::new(format!("{icon} {words}{target}")).color(colour));
            // A line either way, so that the cards of a row keep one height.
            let insights =
                (research > 0).then(|| format!("💡 {}", crate::interchange::convert::plural(research, "insight")));
            let (shown, hover) = match (serves, &insights) {
                (Some(objective), Some(insights)) => (
                    Some(format!("{insights} · Serves: {objective}")),
                    format!("{insights} of UX research on it; serves the objective '{objective}'"),
                ),
                (Some(objective), None) => {
                    (Some(format!("Serves: {objective}")), format!("Serves the objective '{objective}'"))
                }
                (None, Some(insights)) => (Some(insights.clone()), format!("{insights} of UX research on it")),
                (None, None) => (None, String::new()),
            };
            if let Some(shown) = shown {
                ui.add(egui::Label::new(RichText::new(shown).weak()).truncate()).on_hover_text(hover);
            } else {
                ui.add_space(ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y);
            }
            sparkline_ui(ui, metric, points, &visuals);
        });
    });
    open
}

pub(super) fn sparkline_ui(ui: &mut Ui, metric: &Metric, points: &[[f64; 2]], visuals: &egui::Visuals) {
    let accent = visuals.selection.stroke.color;
    let target_colour = theme::success_colour(visuals);
    let mut plot = Plot::new(("metric-sparkline", metric.metric_id.0))
        .height(SPARKLINE_HEIGHT)
        .width(CARD_WIDTH)
        .show_axes(false)
        .show_grid(false)
        .show_x(false)
        .show_y(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_background(false);
    if let Some(target) = metric.target {
        plot = plot.include_y(target);
    }
    let response = plot.show(ui, |plot_ui| {
        plot_ui.line(Line::new(metric.name.clone(), PlotPoints::from(points.to_vec())).color(accent).width(2.0));
        if let Some(target) = metric.target {
            plot_ui.hline(HLine::new("Target", target).color(target_colour).style(LineStyle::dashed_loose()));
        }
    });
    let summary = match (metric.samples.first(), metric.samples.last()) {
        (Some(first), Some(last)) => format!(
            "Trend of {}: {} on {} to {} on {}",
            metric.name,
            metric.format_value(first.value),
            first.date.strftime("%-d %b %Y"),
            metric.format_value(last.value),
            last.date.strftime("%-d %b %Y")
        ),
        _ => format!("{} has no samples", metric.name),
    };
    crate::ui::widgets::a11y::name_widget(ui, &response.response, &summary);
}
