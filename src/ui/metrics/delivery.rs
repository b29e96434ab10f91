//! The delivery charts, computed from the backlog and its status-change log: velocity with its
//! average, the sprint burndown (ideal against actual) and burnup, cumulative flow, and the lead and
//! cycle time distribution. Every chart also says its point in words.

use crate::interchange::convert::{count, plural};
use egui::{Color32, RichText, ScrollArea, Ui};
use egui_plot::{Bar, BarChart, FilledArea, HLine, Legend, Line, LineStyle, Plot, PlotPoints, VLine};

use super::{Capture, MetricsState, capture_buttons_ui, date_of, day_number};
use crate::model::delivery::{
    CumulativeFlow, DeliveryLog, SprintDay, SprintVelocity, average_velocity, default_started_column, percentile,
};
use crate::model::{ColumnId, Date, Sprint, SprintId, Workspace, add_days, grouped_number, points_words};
use crate::ui::theme;

const CHART_HEIGHT: f32 = 230.0;
/// How far back the cumulative flow diagram looks.
const FLOW_DAYS: i64 = 84;

/// Everything the delivery page draws, computed from the log once per change of the workspace, the
/// chosen sprint or the day, not per frame (cumulative flow walks every item).
#[derive(Clone, Debug)]
pub struct DeliveryFigures {
    key: (u64, Option<ColumnId>, Option<SprintId>, Date),
    velocity: Vec<SprintVelocity>,
    sprint: Option<Sprint>,
    days: Vec<SprintDay>,
    flow: CumulativeFlow,
    lead: Vec<i64>,
    cycle: Vec<i64>,
}

impl DeliveryFigures {
    /// The key of the figures the page shows: the log's revision and start column, the sprint of
    /// the burndown, and today.
    #[must_use]
    pub fn key_of(
        cache: &super::DeliveryCache,
        sprint: Option<&Sprint>,
        today: Date,
    ) -> (u64, Option<ColumnId>, Option<SprintId>, Date) {
        (cache.revision, cache.started_column, sprint.map(|sprint| sprint.sprint_id), today)
    }

    /// Works the figures out from the summarised log (cumulative flow walks every item: at 100,000
    /// items about 11 ms, so on a large board the worker that summarised the log does it too).
    #[must_use]
    pub fn compute(
        log: &DeliveryLog,
        sprints: &[Sprint],
        sprint: Option<&Sprint>,
        today: Date,
        key: (u64, Option<ColumnId>, Option<SprintId>, Date),
    ) -> Self {
        let start = log.first_day().map_or(today, |first| first.max(add_days(today, -FLOW_DAYS)));
        Self {
            key,
            velocity: log.velocity(sprints, today),
            sprint: sprint.cloned(),
            days: sprint.map(|sprint| log.sprint_days(sprint, today)).unwrap_or_default(),
            flow: log.cumulative_flow(start, today),
            lead: log.lead_times(),
            cycle: log.cycle_times(),
        }
    }
}

/// The sprint the burndown shows: the one chosen, or the current one.
#[must_use]
pub fn shown_sprint<'a>(state: &MetricsState, sprints: &'a [Sprint], today: Date) -> Option<&'a Sprint> {
    state
        .burndown_sprint
        .and_then(|id| sprints.iter().find(|sprint| sprint.sprint_id == id))
        .or_else(|| crate::model::delivery::current_sprint(sprints, today))
}

fn x_dates(plot: Plot<'_>) -> Plot<'_> {
    plot.x_axis_formatter(|mark, _| {
        date_of(mark.value).map(|date| date.strftime("%-d %b").to_string()).unwrap_or_default()
    })
}

/// Draws the delivery page.
pub fn delivery_ui(ui: &mut Ui, workspace: &Workspace, state: &mut MetricsState, today: Date) {
    let Some(cache) = state.delivery.as_ref() else {
        // On a large board the figures are worked out on a worker thread; the window stays usable.
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Working out the delivery charts from the board's history…");
        });
        return;
    };
    let sprint = shown_sprint(state, &workspace.sprints, today);
    let key = DeliveryFigures::key_of(cache, sprint, today);
    if state.figures.as_ref().is_none_or(|figures| figures.key != key) {
        state.figures =
            Some(std::sync::Arc::new(DeliveryFigures::compute(&cache.log, &workspace.sprints, sprint, today, key)));
    }
    let Some(figures) = state.figures.clone() else {
        return;
    };
    let visuals = ui.visuals().clone();
    ScrollArea::vertical().id_salt("delivery").auto_shrink([false, false]).show(ui, |ui| {
        // Where work starts decides cycle time.
        ui.horizontal(|ui| {
            let label = ui.label("Work starts in:");
            let chosen = state.started_column.or_else(|| default_started_column(&workspace.columns));
            let name =
                chosen.and_then(|id| workspace.column(id)).map_or_else(|| "—".to_owned(), |column| column.name.clone());
            egui::ComboBox::from_id_salt("started-column")
                .selected_text(name)
                .show_ui(ui, |ui| {
                    for column in workspace.columns.iter().filter(|column| !column.is_done) {
                        if ui.selectable_label(chosen == Some(column.column_id), &column.name).clicked() {
                            state.started_column = Some(column.column_id);
                        }
                    }
                })
                .response
                .labelled_by(label.id);
            ui.label(RichText::new("(cycle time runs from there to Done; lead time from creation to Done)").weak());
        });
        ui.add_space(6.0);
        velocity_ui(ui, &figures, state, &visuals);
        ui.add_space(10.0);
        sprint_charts_ui(ui, workspace, &figures, state, &visuals);
        ui.add_space(10.0);
        flow_ui(ui, workspace, &figures, state);
        ui.add_space(10.0);
        times_ui(ui, &figures, state, &visuals);
    });
}

fn velocity_ui(ui: &mut Ui, figures: &DeliveryFigures, state: &mut MetricsState, visuals: &egui::Visuals) {
    crate::ui::widgets::a11y::heading(ui, "Velocity");
    let velocity = &figures.velocity;
    if velocity.is_empty() {
        ui.label("No sprint has started yet. Plan one from the board's “Sprint planning” panel.");
        return;
    }
    let average = average_velocity(velocity);
    let counted = velocity.iter().filter(|sprint| sprint.counts_in_average()).count();
    let empty = velocity.iter().filter(|sprint| sprint.finished && !sprint.counts_in_average()).count();
    let left_out = match empty {
        0 => String::new(),
        1 => " (1 finished sprint with nothing planned is left out)".to_owned(),
        _ => format!(
            " ({} finished sprints with nothing planned are left out)",
            crate::interchange::convert::count(empty)
        ),
    };
    ui.label(match average {
        Some(average) => format!(
            "Average over {}{left_out}: {} points done per sprint.",
            crate::interchange::convert::plural(counted, "finished sprint"),
            grouped_number(average, 1)
        ),
        None if empty > 0 => "No finished sprint had anything planned in it, so there is no average yet.".to_owned(),
        None => "No sprint has finished yet, so there is no average.".to_owned(),
    });
    let capture = capture_buttons_ui(ui, "Velocity");
    let accent = visuals.selection.stroke.color;
    let committed_colour = accent.gamma_multiply(0.35);
    #[expect(clippy::cast_precision_loss, reason = "a handful of sprints")]
    let committed: Vec<Bar> = velocity
        .iter()
        .enumerate()
        .map(|(index, sprint)| {
            Bar::new(index as f64 - 0.18, sprint.committed)
                .width(0.34)
                .name(&sprint.name)
                .fill(committed_colour)
                .stroke(egui::Stroke::new(1.0, accent))
        })
        .collect();
    #[expect(clippy::cast_precision_loss, reason = "a handful of sprints")]
    let done: Vec<Bar> = velocity
        .iter()
        .enumerate()
        .map(|(index, sprint)| {
            Bar::new(index as f64 + 0.18, sprint.done)
                .width(0.34)
                .name(&sprint.name)
                .fill(accent)
                .stroke(egui::Stroke::new(1.0, accent))
        })
        .collect();
    let names: Vec<String> = velocity.iter().map(|sprint| sprint.name.clone()).collect();
    // The scope holds the plot with its axes and legend: what a slide wants.
    let chart = ui.scope(|ui| {
        Plot::new("velocity")
            .y_axis_formatter(|mark, _| super::axis_label(&mark, ""))
            .height(CHART_HEIGHT)
            .legend(Legend::default())
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_x(false)
            .include_y(0.0)
            .x_axis_formatter(move |mark, _| {
                let index = mark.value.round();
                if (mark.value - index).abs() > 0.01 || index < 0.0 {
                    return String::new();
                }
                #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "checked non-negative")]
                names.get(index as usize).cloned().unwrap_or_default()
            })
            .show(ui, |plot_ui| {
                plot_ui.bar_chart(BarChart::new("Committed", committed).color(committed_colour));
                plot_ui.bar_chart(BarChart::new("Done", done).color(accent));
                if let Some(average) = average {
                    plot_ui.hline(
                        HLine::new("Average done", average)
                            .style(LineStyle::dashed_loose())
                            .color(theme::success_colour(visuals)),
                    );
                }
            })
            .response
    });
    let (response, chart_rect) = (chart.inner, chart.response.rect);
    let words: Vec<String> = velocity
        .iter()
        .map(|sprint| {
            let running = if sprint.finished { "" } else { " so far (running)" };
            format!(
                "{}: {} of {} points done{running}",
                sprint.name,
                points_words(sprint.done),
                points_words(sprint.committed)
            )
        })
        .collect();
    crate::ui::widgets::a11y::name_widget(ui, &response, &format!("Velocity chart. {}", words.join("; ")));
    // The same figures in words under the chart, readable on a projector: one wrapped line.
    ui.horizontal_wrapped(|ui| {
        for (index, line) in words.iter().enumerate() {
            if index > 0 {
                ui.label(RichText::new("·").weak());
            }
            ui.label(line);
        }
    });
    if let Some(target) = capture {
        state.capture = Some(Capture { rect: chart_rect, target, name: "Velocity".to_owned() });
    }
}

fn sprint_charts_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    figures: &DeliveryFigures,
    state: &mut MetricsState,
    visuals: &egui::Visuals,
) {
    crate::ui::widgets::a11y::heading(ui, "Sprint burndown and burnup");
    let Some(sprint) = figures.sprint.clone() else {
        ui.label("No sprints yet.");
        return;
    };
    ui.horizontal(|ui| {
        let label = ui.label("Sprint:");
        egui::ComboBox::from_id_salt("burndown-sprint")
            .selected_text(&sprint.name)
            .show_ui(ui, |ui| {
                for other in &workspace.sprints {
                    if ui.selectable_label(other.sprint_id == sprint.sprint_id, &other.name).clicked() {
                        state.burndown_sprint = Some(other.sprint_id);
                    }
                }
            })
            .response
            .labelled_by(label.id);
        ui.label(
            RichText::new(format!(
                "{} to {}",
                sprint.start_date.strftime("%-d %b"),
                sprint.end_date.strftime("%-d %b %Y")
            ))
            .weak(),
        );
    });
    let days = &figures.days;
    if days.is_empty() {
        ui.label(format!("{} starts on {}.", sprint.name, sprint.start_date.strftime("%-d %b %Y")));
        return;
    }
    let committed = days.first().map_or(0.0, |day| day.remaining + day.done);
    if let Some(last) = days.last() {
        let ideal = last.ideal;
        let verdict =
            if last.remaining <= ideal + 0.01 { "on or ahead of the ideal line" } else { "behind the ideal line" };
        ui.label(format!(
            "On {}: {} of {} points done, {} remaining; {verdict} ({} remaining).",
            last.day.strftime("%-d %b"),
            points_words(last.done),
            points_words(committed),
            points_words(last.remaining),
            grouped_number(ideal, 1)
        ));
    }
    let start_x = day_number(add_days(sprint.start_date, -1));
    let end_x = day_number(sprint.end_date);
    let accent = visuals.selection.stroke.color;
    let ideal_colour = visuals.widgets.noninteractive.fg_stroke.color;
    let success = theme::success_colour(visuals);
    ui.columns(2, |columns| {
        let [left, right] = columns else {
            return;
        };
        let mut remaining: Vec<[f64; 2]> = vec![[start_x, committed]];
        remaining.extend(days.iter().map(|day| [day_number(day.day), day.remaining]));
        let burndown = SprintChart {
            title: "Burndown: points remaining",
            name: format!("Burndown {}", sprint.name),
            guide: ("Ideal", vec![[start_x, committed], [end_x, 0.0]], ideal_colour),
            actual: ("Remaining", remaining, accent),
            end_x,
            legend: egui_plot::Corner::RightTop,
        };
        if let Some(capture) = sprint_chart_ui(left, burndown) {
            state.capture = Some(capture);
        }
        let mut done: Vec<[f64; 2]> = vec![[start_x, 0.0]];
        done.extend(days.iter().map(|day| [day_number(day.day), day.done]));
        let burnup = SprintChart {
            title: "Burnup: points done against scope",
            name: format!("Burnup {}", sprint.name),
            guide: ("Scope", vec![[start_x, committed], [end_x, committed]], success),
            actual: ("Done", done, accent),
            end_x,
            legend: egui_plot::Corner::RightBottom,
        };
        if let Some(capture) = sprint_chart_ui(right, burnup) {
            state.capture = Some(capture);
        }
    });
}

/// A burndown or burnup: a dashed guide line (ideal or scope) and the actual line.
struct SprintChart {
    title: &'static str,
    name: String,
    guide: (&'static str, Vec<[f64; 2]>, Color32),
    actual: (&'static str, Vec<[f64; 2]>, Color32),
    end_x: f64,
    /// The corner its lines leave empty: top right for a burndown, bottom right for a burnup.
    legend: egui_plot::Corner,
}

/// Draws one sprint chart with its copy and save buttons; returns a capture when one was asked for.
fn sprint_chart_ui(ui: &mut Ui, chart: SprintChart) -> Option<Capture> {
    ui.label(RichText::new(chart.title).strong());
    let target = capture_buttons_ui(ui, &chart.name);
    let (guide_name, guide, guide_colour) = chart.guide;
    let (actual_name, actual, actual_colour) = chart.actual;
    // The scope holds the plot with its axes and legend: what a slide wants.
    let plotted = ui.scope(|ui| {
        x_dates(Plot::new(&chart.name))
            .y_axis_formatter(|mark, _| super::axis_label(&mark, ""))
            .height(CHART_HEIGHT)
            // The wheel scrolls the page, as it does everywhere else; Ctrl+wheel still zooms the chart.
            .allow_scroll(false)
            .legend(Legend::default().position(chart.legend))
            .include_y(0.0)
            .include_x(chart.end_x)
            .show(ui, |plot_ui| {
                plot_ui.line(
                    Line::new(guide_name, PlotPoints::from(guide)).color(guide_colour).style(LineStyle::dashed_loose()),
                );
                plot_ui.line(Line::new(actual_name, PlotPoints::from(actual)).color(actual_colour).width(2.0));
            })
            .response
    });
    let (response, chart_rect) = (plotted.inner, plotted.response.rect);
    crate::ui::widgets::a11y::name_widget(ui, &response, &format!("{} chart", chart.name));
    target.map(|target| Capture { rect: chart_rect, target, name: chart.name })
}

/// Distinct fills for the flow bands, darkest for done; each band is also named in the legend.
fn band_colour(index: usize, count: usize, accent: Color32) -> Color32 {
    #[expect(clippy::cast_precision_loss, reason = "a few columns")]
    let share = if count <= 1 { 1.0 } else { index as f32 / (count - 1) as f32 };
    accent.gamma_multiply(0.25 + 0.75 * share)
}

fn flow_ui(ui: &mut Ui, workspace: &Workspace, figures: &DeliveryFigures, state: &mut MetricsState) {
    crate::ui::widgets::a11y::heading(ui, "Cumulative flow");
    let flow = &figures.flow;
    if flow.counts.is_empty() {
        ui.label("No items yet.");
        return;
    }
    ui.label(format!(
        "Items in each column at the end of each day, last {} days; done at the bottom. A widening band is work piling up.",
        flow.counts.len()
    ));
    let capture = capture_buttons_ui(ui, "Cumulative flow");
    let xs: Vec<f64> = (0..flow.counts.len())
        .map(|offset| day_number(add_days(flow.start, i64::try_from(offset).unwrap_or(0))))
        .collect();
    let accent = ui.visuals().selection.stroke.color;
    // Stack from the done column (bottom) up to the backlog (top).
    let order: Vec<usize> = (0..flow.columns.len()).rev().collect();
    let mut below = vec![0.0; xs.len()];
    let mut bands = Vec::new();
    for (place, &column_index) in order.iter().enumerate() {
        let above: Vec<f64> = flow
            .counts
            .iter()
            .zip(&below)
            .map(|(row, base)| base + f64::from(row.get(column_index).copied().unwrap_or(0)))
            .collect();
        let name = flow
            .columns
            .get(column_index)
            .and_then(|id| workspace.column(*id))
            .map_or_else(|| "Column".to_owned(), |column| column.name.clone());
        let colour = band_colour(place, order.len(), accent);
        bands.push((name, below.clone(), above.clone(), colour));
        below = above;
    }
    // The scope holds the plot with its axes and legend: what a slide wants.
    let chart = ui.scope(|ui| {
        x_dates(Plot::new("cumulative-flow"))
            .y_axis_formatter(|mark, _| super::axis_label(&mark, ""))
            .height(CHART_HEIGHT + 40.0)
            // The wheel scrolls the page, as it does everywhere else; Ctrl+wheel still zooms the chart.
            .allow_scroll(false)
            // The bands rise from the bottom left as work arrives: the top left stays empty, while the
            // top right holds the latest days, the ones a reader looks at.
            .legend(Legend::default().follow_insertion_order(true).position(egui_plot::Corner::LeftTop))
            .include_y(0.0)
            .show(ui, |plot_ui| {
                for (name, low, high, colour) in &bands {
                    plot_ui.add(FilledArea::new(name.clone(), &xs, low, high).fill_color(*colour));
                }
            })
            .response
    });
    let (response, chart_rect) = (chart.inner, chart.response.rect);
    let today_counts: Vec<String> = flow
        .counts
        .last()
        .map(|row| {
            flow.columns
                .iter()
                .zip(row)
                .filter_map(|(id, value)| {
                    workspace.column(*id).map(|column| {
                        format!("{} {}", column.name, count(usize::try_from(*value).unwrap_or(usize::MAX)))
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    crate::ui::widgets::a11y::name_widget(
        ui,
        &response,
        &format!("Cumulative flow; today: {}", today_counts.join(", ")),
    );
    ui.label(RichText::new(format!("Today: {}.", today_counts.join(" · "))).small());
    if let Some(target) = capture {
        state.capture = Some(Capture { rect: chart_rect, target, name: "Cumulative flow".to_owned() });
    }
}

fn times_ui(ui: &mut Ui, figures: &DeliveryFigures, state: &mut MetricsState, visuals: &egui::Visuals) {
    crate::ui::widgets::a11y::heading(ui, "Lead and cycle time");
    let lead = &figures.lead;
    let cycle = &figures.cycle;
    if lead.is_empty() {
        ui.label("No item is done yet.");
        return;
    }
    let words = |name: &str, times: &[i64]| match (percentile(times, 50.0), percentile(times, 85.0)) {
        (Some(median), Some(p85)) => {
            format!(
                "{name}: half of {} took {median} days or less; 85% took {p85} days or less.",
                plural(times.len(), "item")
            )
        }
        _ => format!("{name}: no data."),
    };
    ui.label(words("Lead time (created → done)", lead));
    ui.label(words("Cycle time (work started → done)", cycle));
    let capture = capture_buttons_ui(ui, "Lead and cycle time");
    let histogram = |times: &[i64], offset: f64| -> Vec<Bar> {
        let mut counts = std::collections::BTreeMap::<i64, u32>::new();
        for time in times {
            *counts.entry(*time).or_default() += 1;
        }
        #[expect(clippy::cast_precision_loss, reason = "days")]
        counts.into_iter().map(|(days, count)| Bar::new(days as f64 + offset, f64::from(count)).width(0.4)).collect()
    };
    let accent = visuals.selection.stroke.color;
    let other = theme::success_colour(visuals);
    let lead_p85 = percentile(lead, 85.0);
    let cycle_p85 = percentile(cycle, 85.0);
    // The scope holds the plot with its axes and legend: what a slide wants.
    let chart = ui.scope(|ui| {
        Plot::new("lead-cycle")
            .y_axis_formatter(|mark, _| super::axis_label(&mark, ""))
            .height(CHART_HEIGHT)
            // The wheel scrolls the page, as it does everywhere else; Ctrl+wheel still zooms the chart.
            .allow_scroll(false)
            .legend(Legend::default())
            .include_y(0.0)
            .x_axis_formatter(|mark, _| if mark.value >= 0.0 { format!("{} d", mark.value) } else { String::new() })
            .label_formatter(|hover| match hover {
                egui_plot::HoverPosition::NearDataPoint { position, .. } => {
                    Some(format!("{:.0} days: {:.0} items", position.x, position.y))
                }
                egui_plot::HoverPosition::Elsewhere { .. } => None,
            })
            .show(ui, |plot_ui| {
                plot_ui.bar_chart(BarChart::new("Lead time", histogram(lead, -0.2)).color(accent));
                plot_ui.bar_chart(BarChart::new("Cycle time", histogram(cycle, 0.2)).color(other));
                #[expect(clippy::cast_precision_loss, reason = "days")]
                if let Some(p85) = lead_p85 {
                    plot_ui
                        .vline(VLine::new("Lead time, 85%", p85 as f64).color(accent).style(LineStyle::dashed_loose()));
                }
                #[expect(clippy::cast_precision_loss, reason = "days")]
                if let Some(p85) = cycle_p85 {
                    plot_ui
                        .vline(VLine::new("Cycle time, 85%", p85 as f64).color(other).style(LineStyle::dotted_dense()));
                }
            })
            .response
    });
    let (response, chart_rect) = (chart.inner, chart.response.rect);
    crate::ui::widgets::a11y::name_widget(ui, &response, "Lead and cycle time distribution");
    if let Some(target) = capture {
        state.capture = Some(Capture { rect: chart_rect, target, name: "Lead and cycle time".to_owned() });
    }
}
