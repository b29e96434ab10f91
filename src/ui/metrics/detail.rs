//! One KPI's chart: dated axis, target line, releases as named lines, range selector, and how the KPI
//! moved around each release.

use super::{
    Capture, ChartRange, KpiEditor, MetricsState, capture_buttons_ui, change_words, date_of, day_number, target_words,
};
use crate::model::{Date, Metric, MetricSample, ReleaseKind, Workspace};
use crate::ui::widgets::window::open_window;
use crate::ui::{UiAction, theme};
use egui::{RichText, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotBounds, PlotPoint, PlotPoints, Text, VLine};

/// How a release moved a KPI: the last sample before it against the first on or after it.
#[must_use]
pub fn release_effect(samples: &[MetricSample], release_date: Date) -> Option<(MetricSample, MetricSample)> {
    let split = samples.partition_point(|sample| sample.date < release_date);
    Some((*samples.get(split.checked_sub(1)?)?, *samples.get(split)?))
}

/// How a KPI is measured, and the objective it serves with a way to it.
fn about_ui(ui: &mut Ui, workspace: &Workspace, metric: &Metric, actions: &mut Vec<UiAction>) {
    if !metric.description.is_empty() {
        ui.label(RichText::new(&metric.description).weak());
    }
    if let Some(objective) =
        metric.objective_id.and_then(|id| workspace.objectives.iter().find(|objective| objective.objective_id == id))
    {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("Serves the objective '{}'.", objective.title));
            if ui.link("Show objectives").on_hover_text("The roadmap's objectives and key results").clicked() {
                actions.push(UiAction::ShowObjectives);
            }
        });
    }
    let measured: Vec<_> =
        workspace.insights.iter().filter(|insight| insight.metric_id == Some(metric.metric_id)).collect();
    if !measured.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("UX research on this KPI ({}):", measured.len()));
            for insight in measured {
                let day =
                    insight.observed_on.map_or_else(String::new, |day| format!(", {}", day.strftime("%-d %b %Y")));
                let text = format!("💡 {} ({}{day})", insight.title, insight.kind.label());
                if ui.link(text).on_hover_text("Open this insight").clicked() {
                    actions.push(UiAction::ShowInsight(insight.insight_id));
                }
            }
        });
    }
}

/// The longest insight title a chart's marker shows; the list above the chart has them whole.
const MARKER_TITLE_CHARS: usize = 32;

/// The insights on this KPI that have a day, as the chart marks them: a dashed line each, named at the
/// chart's foot.
fn insight_markers(workspace: &Workspace, metric: &Metric) -> Vec<(f64, String)> {
    workspace
        .insights
        .iter()
        .filter(|insight| insight.metric_id == Some(metric.metric_id))
        .filter_map(|insight| {
            let title: String = if insight.title.chars().count() > MARKER_TITLE_CHARS {
                format!("{}…", insight.title.chars().take(MARKER_TITLE_CHARS - 1).collect::<String>())
            } else {
                insight.title.clone()
            };
            Some((day_number(insight.observed_on?), format!(" 💡 {title}")))
        })
        .collect()
}

pub(super) fn detail_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    metric: &Metric,
    state: &mut MetricsState,
    today: Date,
    actions: &mut Vec<UiAction>,
) {
    let visuals = ui.visuals().clone();
    ui.horizontal_wrapped(|ui| {
        if ui.button("⬅ All KPIs").clicked() {
            state.detail = None;
        }
        crate::ui::widgets::a11y::heading(ui, &metric.name);
        ui.separator();
        ui.label("Show:");
        for range in ChartRange::ALL {
            if ui.selectable_label(state.range == range, range.label()).clicked() {
                state.range = range;
                state.range_changed = true;
            }
        }
        ui.separator();
        if ui.button("Edit KPI…").clicked() {
            open_window(&mut state.editor, KpiEditor::edit(metric, today), actions);
        }
        if ui
            .button("Import samples (CSV)…")
            .on_hover_text("A CSV file with a header line date,value (a semicolon or a tab between them works too)")
            .clicked()
        {
            actions.push(UiAction::PickSamplesFile(metric.metric_id));
        }
    });
    ui.horizontal_wrapped(|ui| {
        let latest =
            metric.latest().map_or_else(|| "No samples".to_owned(), |sample| metric.format_value(sample.value));
        ui.label(RichText::new(latest).heading().strong());
        if let Some(change) = change_words(metric) {
            ui.label(change);
        }
        let (icon, words, colour) = theme::target_state_badge(metric.target_state(), &visuals);
        let target = target_words(metric).map_or_else(String::new, |words| format!(" · {words}"));
        ui.label(RichText::new(format!("{icon} {words}{target}")).color(colour));
    });
    about_ui(ui, workspace, metric, actions);
    let chart_name = metric.name.clone();
    let capture = capture_buttons_ui(ui, &chart_name);

    let unit = metric.unit.suffix();
    let points: Vec<[f64; 2]> = metric.samples.iter().map(|sample| [day_number(sample.date), sample.value]).collect();
    let accent = visuals.selection.stroke.color;
    let target_colour = theme::success_colour(&visuals);
    let release_colour = visuals.widgets.noninteractive.fg_stroke.color;
    let releases: Vec<_> = workspace.releases.iter().collect();
    let insights = insight_markers(workspace, metric);
    let marked = match insights.len() {
        0 => String::new(),
        1 => "; an insight of UX research is marked on its day".to_owned(),
        count => format!("; {count} insights of UX research are marked on their days"),
    };
    // New or changed samples (saved in the editor, imported, or from another window) fit the chart to
    // the chosen range again, so that a sample just added is never off its edge.
    let samples = samples_mark(metric);
    if state.fitted_samples != Some((metric.metric_id, samples)) {
        state.fitted_samples = Some((metric.metric_id, samples));
        state.range_changed = true;
    }
    let fit = state.range_changed.then(|| range_bounds(metric, state.range));
    state.range_changed = false;
    let height = (ui.available_height() - 120.0).max(220.0);
    let plot = Plot::new(("metric-detail", metric.metric_id.0))
        .height(height)
        .allow_boxed_zoom(true)
        .allow_double_click_reset(true)
        .show_x(false)
        .legend(egui_plot::Legend::default().position(legend_corner(metric)))
        .x_axis_formatter(|mark, _| {
            date_of(mark.value).map(|date| date.strftime("%-d %b %Y").to_string()).unwrap_or_default()
        })
        .y_axis_formatter(move |mark, _| super::axis_label(&mark, unit))
        .label_formatter(move |hover| {
            let egui_plot::HoverPosition::NearDataPoint { position, .. } = hover else {
                return None;
            };
            let date = date_of(position.x)?;
            Some(format!("{}\n{:.2}{unit}", date.strftime("%a %-d %b %Y"), position.y))
        });
    // The scope holds the plot with its axes and legend: what a slide wants.
    let chart = ui.scope(|ui| {
        let response = plot.show(ui, |plot_ui| {
            if let Some(bounds) = fit {
                plot_ui.set_plot_bounds(bounds);
            }
            plot_ui.line(Line::new(metric.name.clone(), PlotPoints::from(points)).color(accent).width(2.0));
            if let Some(target) = metric.target {
                plot_ui.hline(
                    HLine::new("Target", target).color(target_colour).width(1.5).style(LineStyle::dashed_loose()),
                );
            }
            let (top, bottom) = (plot_ui.plot_bounds().max()[1], plot_ui.plot_bounds().min()[1]);
            let below_releases = top - (top - bottom) * 0.05;
            let middle = f64::midpoint(plot_ui.plot_bounds().min()[0], plot_ui.plot_bounds().max()[0]);
            for (index, (x, title)) in insights.iter().enumerate() {
                // Named just below the releases' names, clear of the legend in a bottom corner; a name right of
                // the middle reads leftwards from its line, so that it stays on the chart.
                let (anchor, text) = if *x > middle {
                    (egui::Align2::RIGHT_TOP, format!("{} ", title.trim_start()))
                } else {
                    (egui::Align2::LEFT_TOP, title.clone())
                };
                plot_ui.vline(
                    VLine::new("UX research", *x)
                        .id(("insight-line", index))
                        .color(accent)
                        .width(1.0)
                        .style(LineStyle::dashed_dense())
                        .allow_hover(false),
                );
                plot_ui.text(
                    Text::new("UX research", PlotPoint::new(*x, below_releases), RichText::new(text).strong())
                        .id(("insight-name", index))
                        .anchor(anchor)
                        .color(accent),
                );
            }
            for (index, release) in releases.iter().enumerate() {
                let x = day_number(release.date);
                let style = match release.kind {
                    ReleaseKind::Release => LineStyle::Solid,
                    ReleaseKind::Milestone => LineStyle::dotted_dense(),
                };
                // One legend entry, "Releases", hides or shows every marker at once.
                plot_ui.vline(
                    VLine::new("Releases", x)
                        .id(("release-line", index))
                        .color(release_colour)
                        .width(1.5)
                        .style(style)
                        .allow_hover(false),
                );
                plot_ui.text(
                    Text::new("Releases", PlotPoint::new(x, top), RichText::new(format!(" {}", release.name)).strong())
                        .id(("release-name", index))
                        .anchor(egui::Align2::LEFT_TOP)
                        .color(release_colour),
                );
            }
        });
        (response.response, *response.transform.bounds())
    });
    let ((response, shown), chart_rect) = (chart.inner, chart.response.rect);
    crate::ui::widgets::a11y::name_widget(ui, &response, &chart_summary(metric, &marked, &shown));
    if let Some(target) = capture {
        state.capture = Some(Capture { rect: chart_rect, target, name: chart_name });
    }
    ui.label(
        RichText::new("Scroll or drag to pan, Ctrl + scroll to zoom, double-click to fit; hover for exact values.")
            .weak(),
    );
    release_effects_ui(ui, workspace, metric);
}

/// Whether each release moved the KPI, in words (the chart's lines say the same without colour).
fn release_effects_ui(ui: &mut Ui, workspace: &Workspace, metric: &Metric) {
    // Whether a release moved the number, in words (the chart's lines say the same without colour).
    let effects: Vec<String> = workspace
        .releases
        .iter()
        .filter_map(|release| {
            let (before, after) = release_effect(&metric.samples, release.date)?;
            let change = after.value - before.value;
            let arrow = if change > 0.0 {
                "⬆"
            } else if change < 0.0 {
                "⬇"
            } else {
                "="
            };
            Some(format!(
                "{} ({}): {} on {} → {} on {} ({arrow} {})",
                release.name,
                release.date.strftime("%-d %b %Y"),
                metric.format_value(before.value),
                before.date.strftime("%-d %b"),
                metric.format_value(after.value),
                after.date.strftime("%-d %b"),
                metric.format_change(change.abs())
            ))
        })
        .collect();
    if !effects.is_empty() {
        ui.label(RichText::new("Around each release:").strong());
        for effect in effects {
            ui.label(effect);
        }
    }
}

/// The plot bounds that show a range of a KPI's samples, with its target, and a margin.
/// The chart in words, for those who cannot see it: its samples, target, marked insights, and the
/// dates it shows after zooming and panning.
fn chart_summary(metric: &Metric, marked: &str, shown: &PlotBounds) -> String {
    let showing = match (date_of(shown.min()[0]), date_of(shown.max()[0])) {
        (Some(from), Some(to)) => {
            format!("; showing {} to {}", from.strftime("%-d %b %Y"), to.strftime("%-d %b %Y"))
        }
        _ => String::new(),
    };
    format!(
        "Chart of {} with {}{}{marked}{showing}",
        metric.name,
        crate::interchange::convert::plural(metric.samples.len(), "sample"),
        metric.target.map_or_else(String::new, |target| format!(" and a target of {}", metric.format_value(target)))
    )
}

/// A mark of a KPI's samples that changes whenever a sample is added, removed or changed.
fn samples_mark(metric: &Metric) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for sample in &metric.samples {
        sample.date.hash(&mut hasher);
        sample.value.to_bits().hash(&mut hasher);
    }
    hasher.finish()
}

pub(super) fn range_bounds(metric: &Metric, range: ChartRange) -> PlotBounds {
    let last = metric.latest().map_or(0.0, |sample| day_number(sample.date));
    let first = metric.samples.first().map_or(last - 30.0, |sample| day_number(sample.date));
    #[expect(clippy::cast_precision_loss, reason = "a few hundred days")]
    let start = range.days().map_or(first, |days| last - days as f64).max(first.min(last - 7.0));
    let visible = metric.samples.iter().filter(|sample| day_number(sample.date) >= start).map(|sample| sample.value);
    let (mut low, mut high) = visible
        .chain(metric.target)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), value| (low.min(value), high.max(value)));
    if !low.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    let margin = ((high - low) * 0.12).max(0.5);
    let span = (last - start).max(7.0);
    PlotBounds::from_min_max([start - span * 0.02, low - margin], [last + span * 0.04, high + margin])
}

/// Where the chart's legend covers least: at the bottom, clear of the releases' names along the top,
/// on the side the line leaves low (the right for a rising KPI, the left for a falling one).
fn legend_corner(metric: &Metric) -> egui_plot::Corner {
    match (metric.samples.first(), metric.samples.last()) {
        (Some(first), Some(last)) if last.value < first.value => egui_plot::Corner::LeftBottom,
        _ => egui_plot::Corner::RightBottom,
    }
}
