//! The metrics dashboard: each KPI as a card with its latest value, target, state and trend chart,
//! grouped by category (product, inclusivity, delivery, custom).

use egui::{Frame, RichText, ScrollArea, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotPoints};

use super::theme;
use crate::model::{Date, Metric, MetricCategory, Workspace};

const CARD_WIDTH: f32 = 380.0;

/// Days since 1970-01-01, the x axis of every chart.
#[must_use]
pub fn day_number(date: Date) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "days fit exactly in f64")]
    let days = super::roadmap::days_between(jiff::civil::date(1970, 1, 1), date) as f64;
    days
}

fn date_of(day: f64) -> Option<Date> {
    #[expect(clippy::cast_possible_truncation, reason = "chart x values are whole days")]
    let days = day.round() as i64;
    jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(days)).ok()
}

/// Draws the dashboard.
pub fn metrics_ui(ui: &mut Ui, workspace: &Workspace) {
    if workspace.metrics.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("No metrics yet.");
            ui.label("KPIs such as conversion, churn or accessibility compliance appear here with their targets.");
        });
        return;
    }
    ScrollArea::vertical().id_salt("metrics").auto_shrink([false, false]).show(ui, |ui| {
        for category in MetricCategory::ALL {
            let metrics: Vec<&Metric> = workspace.metrics.iter().filter(|metric| metric.category == category).collect();
            if metrics.is_empty() {
                continue;
            }
            ui.add_space(6.0);
            ui.heading(category.label());
            // As many cards per row as fit, so nothing is cut off at any window size or zoom.
            let gap = ui.spacing().item_spacing.x;
            let card_outer = CARD_WIDTH + 2.0 * 10.0 + 2.0 + gap;
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
            let per_row = ((ui.available_width() + gap) / card_outer).floor().max(1.0) as usize;
            for row in metrics.chunks(per_row) {
                ui.horizontal_top(|ui| {
                    for metric in row {
                        metric_card_ui(ui, metric);
                    }
                });
            }
        }
    });
}

fn metric_card_ui(ui: &mut Ui, metric: &Metric) {
    let visuals = ui.visuals().clone();
    Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(CARD_WIDTH);
        ui.vertical(|ui| {
            ui.label(RichText::new(&metric.name).strong().size(ui.text_style_height(&egui::TextStyle::Body) * 1.1));
            ui.horizontal(|ui| {
                let latest = metric.latest();
                let value_text =
                    latest.map_or_else(|| "No samples".to_owned(), |sample| metric.format_value(sample.value));
                ui.label(RichText::new(value_text).heading().strong());
                if let (Some(latest), Some(previous)) = (latest, metric.samples.iter().rev().nth(1)) {
                    let change = latest.value - previous.value;
                    let (arrow, sign) = if change > 0.0 {
                        ("⬆", "+")
                    } else if change < 0.0 {
                        ("⬇", "−")
                    } else {
                        ("=", "")
                    };
                    let amount = metric.format_value(change.abs());
                    ui.label(RichText::new(format!(
                        "{arrow} {sign}{amount} since {}",
                        previous.date.strftime("%b %Y")
                    )));
                }
            });
            let (icon, words, colour) = theme::target_state_badge(metric.target_state(), &visuals);
            let target = metric.target.map_or_else(String::new, |target| {
                let better = match metric.direction {
                    crate::model::Direction::HigherIsBetter => "at least",
                    crate::model::Direction::LowerIsBetter => "at most",
                };
                format!(" · target {better} {}", metric.format_value(target))
            });
            ui.label(RichText::new(format!("{icon} {words}{target}")).color(colour));
            chart_ui(ui, metric, &visuals);
            if let (Some(first), Some(last)) = (metric.samples.first(), metric.samples.last()) {
                ui.label(
                    RichText::new(format!(
                        "Trend: {} on {} to {} on {}",
                        metric.format_value(first.value),
                        first.date.strftime("%-d %b %Y"),
                        metric.format_value(last.value),
                        last.date.strftime("%-d %b %Y")
                    ))
                    .small()
                    .weak(),
                );
            }
        });
    });
}

fn chart_ui(ui: &mut Ui, metric: &Metric, visuals: &egui::Visuals) {
    let points: Vec<[f64; 2]> = metric.samples.iter().map(|sample| [day_number(sample.date), sample.value]).collect();
    let unit = metric.unit.suffix();
    let mut plot = Plot::new(("metric-chart", metric.metric_id.0))
        .height(150.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_x(false)
        .x_axis_formatter(|mark, _| {
            date_of(mark.value).map(|date| date.strftime("%b %y").to_string()).unwrap_or_default()
        })
        .label_formatter(move |hover| {
            let egui_plot::HoverPosition::NearDataPoint { position, .. } = hover else {
                return None;
            };
            let date = date_of(position.x)?;
            Some(format!("{}: {:.1}{unit}", date.strftime("%-d %b %Y"), position.y))
        });
    if let Some(target) = metric.target {
        plot = plot.include_y(target);
    }
    let accent = visuals.selection.stroke.color;
    let target_colour = theme::success_colour(visuals);
    plot.show(ui, |plot_ui| {
        plot_ui.line(Line::new(metric.name.clone(), PlotPoints::from(points)).color(accent).width(2.0));
        if let Some(target) = metric.target {
            plot_ui.hline(HLine::new("Target", target).color(target_colour).style(LineStyle::dashed_loose()));
        }
    });
}
