//! The metrics view: the KPI dashboard (a card per KPI, grouped by category), a KPI's detail chart
//! with its target and the roadmap's releases, and the delivery charts computed from the backlog.

use std::collections::HashMap;
use std::sync::Arc;

use egui::{Frame, RichText, ScrollArea, Ui};
use egui_plot::{HLine, Line, LineStyle, Plot, PlotBounds, PlotPoint, PlotPoints, Text, VLine};

use super::kpi_editor::{KpiEditor, SamplesImport};
use super::{UiAction, theme};
use crate::model::delivery::DeliveryLog;
use crate::model::{
    ColumnId, Date, Direction, Metric, MetricCategory, MetricId, MetricSample, ReleaseKind, SprintId, Workspace,
};

const CARD_WIDTH: f32 = 340.0;
const SPARKLINE_HEIGHT: f32 = 64.0;

/// Days since 1970-01-01, the x axis of every dated chart.
#[must_use]
pub fn day_number(date: Date) -> f64 {
    #[expect(clippy::cast_precision_loss, reason = "days fit exactly in f64")]
    let days = crate::model::days_between(jiff::civil::date(1970, 1, 1), date) as f64;
    days
}

/// The date of a chart x value.
#[must_use]
pub fn date_of(day: f64) -> Option<Date> {
    if !day.is_finite() || day.abs() > 1e6 {
        return None;
    }
    #[expect(clippy::cast_possible_truncation, reason = "checked to be a few thousand years at most")]
    let days = day.round() as i64;
    jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(days)).ok()
}

/// The two pages of the metrics view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MetricsPage {
    /// Product, inclusivity and custom KPIs.
    #[default]
    Kpis,
    /// Velocity, burndown, burnup, cumulative flow, lead and cycle time.
    Delivery,
}

/// How much of a KPI's history the detail chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ChartRange {
    /// The last three months.
    ThreeMonths,
    /// The last year.
    Year,
    /// Every sample.
    #[default]
    All,
}

impl ChartRange {
    /// Every range, in selector order.
    pub const ALL: [Self; 3] = [Self::ThreeMonths, Self::Year, Self::All];

    /// The selector's words.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::ThreeMonths => "3 months",
            Self::Year => "1 year",
            Self::All => "All",
        }
    }

    fn days(self) -> Option<i64> {
        match self {
            Self::ThreeMonths => Some(91),
            Self::Year => Some(365),
            Self::All => None,
        }
    }
}

/// What to do with a captured chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CaptureTarget {
    /// Put it on the clipboard.
    Clipboard,
    /// Write it as a PNG file, asking where once the picture is taken.
    File,
}

/// A chart to capture: its place on screen and where the picture goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Capture {
    /// The chart's rectangle, in points.
    pub rect: egui::Rect,
    /// Where the picture goes.
    pub target: CaptureTarget,
    /// The chart's name, for messages and the file name.
    pub name: String,
}

/// The delivery charts' inputs, rebuilt when the workspace changes.
#[derive(Clone, Debug)]
pub struct DeliveryCache {
    /// The workspace revision it was built from.
    pub revision: u64,
    /// The column where work starts, as chosen then.
    pub started_column: Option<ColumnId>,
    /// The summarised status-change log.
    pub log: Arc<DeliveryLog>,
}

/// A reduced series, shared between frames.
type Sparkline = Arc<[[f64; 2]]>;

/// The metrics view's state.
#[derive(Debug, Default)]
pub struct MetricsState {
    /// Which page shows.
    pub page: MetricsPage,
    /// The KPI whose detail chart is open.
    pub detail: Option<MetricId>,
    /// The detail chart's range.
    pub range: ChartRange,
    /// Whether the range was just chosen (the chart then fits it once; after that the user zooms and pans).
    range_changed: bool,
    /// The KPI editor, when open.
    pub editor: Option<KpiEditor>,
    /// A CSV samples import waiting for confirmation.
    pub samples_import: Option<SamplesImport>,
    /// The column where work starts, for cycle time; `None` picks one from the column names.
    pub started_column: Option<ColumnId>,
    /// The sprint the burndown and burnup show; `None` shows the current one.
    pub burndown_sprint: Option<SprintId>,
    /// The delivery charts' inputs; the shell fills it from the store when it is stale.
    pub delivery: Option<DeliveryCache>,
    /// The delivery page's figures, recomputed only when their inputs change.
    pub figures: Option<Arc<super::delivery::DeliveryFigures>>,
    /// A chart the user asked to copy or save, captured after this frame.
    pub capture: Option<Capture>,
    /// Sparkline points per KPI, reduced to what a card's pixels can show.
    sparklines: HashMap<MetricId, (u64, Sparkline)>,
}

impl MetricsState {
    /// Opens a KPI's detail chart.
    pub fn open_detail(&mut self, metric_id: MetricId) {
        self.page = MetricsPage::Kpis;
        self.detail = Some(metric_id);
        self.range_changed = true;
    }

    /// Whether the delivery cache must be rebuilt for this workspace.
    #[must_use]
    pub fn delivery_is_stale(&self, workspace: &Workspace) -> bool {
        self.delivery
            .as_ref()
            .is_none_or(|cache| cache.revision != workspace.revision() || cache.started_column != self.started_column)
    }

    fn sparkline(&mut self, metric: &Metric, revision: u64) -> Arc<[[f64; 2]]> {
        if let Some((built, points)) = self.sparklines.get(&metric.metric_id)
            && *built == revision
        {
            return Arc::clone(points);
        }
        let points: Vec<[f64; 2]> =
            metric.samples.iter().map(|sample| [day_number(sample.date), sample.value]).collect();
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a card is a few hundred points wide"
        )]
        let buckets = (CARD_WIDTH / 2.0) as usize;
        let points: Arc<[[f64; 2]]> = downsample(&points, buckets).into();
        self.sparklines.insert(metric.metric_id, (revision, Arc::clone(&points)));
        points
    }
}

/// Reduces a series to at most `2 × buckets` points that keep its shape: per bucket of consecutive
/// points, the lowest and the highest, in their original order. Short series come back unchanged.
#[must_use]
pub fn downsample(points: &[[f64; 2]], buckets: usize) -> Vec<[f64; 2]> {
    if buckets == 0 || points.len() <= buckets * 2 {
        return points.to_vec();
    }
    let size = points.len().div_ceil(buckets);
    let mut out = Vec::with_capacity(buckets * 2 + 1);
    for chunk in points.chunks(size) {
        let lowest = chunk.iter().enumerate().min_by(|a, b| a.1[1].total_cmp(&b.1[1]));
        let highest = chunk.iter().enumerate().max_by(|a, b| a.1[1].total_cmp(&b.1[1]));
        if let (Some((low_index, low)), Some((high_index, high))) = (lowest, highest) {
            match low_index.cmp(&high_index) {
                std::cmp::Ordering::Equal => out.push(*low),
                std::cmp::Ordering::Less => out.extend([*low, *high]),
                std::cmp::Ordering::Greater => out.extend([*high, *low]),
            }
        }
    }
    // Keep the newest sample exactly: the card's "latest" must match the line's end.
    if let (Some(last), Some(kept)) = (points.last(), out.last())
        && last[0].total_cmp(&kept[0]).is_ne()
    {
        out.push(*last);
    }
    out
}

/// Draws the metrics view.
pub fn metrics_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    state: &mut MetricsState,
    today: Date,
    actions: &mut Vec<UiAction>,
) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.page, MetricsPage::Kpis, "KPIs");
        ui.selectable_value(&mut state.page, MetricsPage::Delivery, "Delivery");
        ui.separator();
        if state.page == MetricsPage::Kpis && ui.button("+ New KPI").clicked() {
            state.editor = Some(KpiEditor::new_kpi(MetricCategory::Product, today));
        }
    });
    ui.separator();
    match state.page {
        MetricsPage::Delivery => super::delivery::delivery_ui(ui, workspace, state, today),
        MetricsPage::Kpis => {
            if let Some(metric) = state.detail.and_then(|id| workspace.metrics.iter().find(|m| m.metric_id == id)) {
                detail_ui(ui, workspace, metric, state, today, actions);
            } else {
                state.detail = None;
                dashboard_ui(ui, workspace, state);
            }
        }
    }
}

fn dashboard_ui(ui: &mut Ui, workspace: &Workspace, state: &mut MetricsState) {
    if workspace.metrics.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("No KPIs yet.");
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
            ui.heading(category.label());
            // As many cards per row as fit, so nothing is cut off at any window size or zoom.
            let gap = ui.spacing().item_spacing.x;
            let card_outer = CARD_WIDTH + 2.0 * 10.0 + 2.0 + gap;
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
            let per_row = ((ui.available_width() + gap) / card_outer).floor().max(1.0) as usize;
            for row in metrics.chunks(per_row) {
                ui.horizontal_top(|ui| {
                    for metric in row {
                        let points = state.sparkline(metric, revision);
                        if metric_card_ui(ui, metric, &points) {
                            state.open_detail(metric.metric_id);
                        }
                    }
                });
            }
        }
    });
}

/// "⬆ +0.3% since Oct 2026"
fn change_words(metric: &Metric) -> Option<String> {
    let (latest, previous) = (metric.latest()?, metric.samples.iter().rev().nth(1)?);
    let change = latest.value - previous.value;
    let (arrow, sign) = if change > 0.0 {
        ("⬆", "+")
    } else if change < 0.0 {
        ("⬇", "−")
    } else {
        ("=", "")
    };
    Some(format!("{arrow} {sign}{} since {}", metric.format_value(change.abs()), previous.date.strftime("%-d %b %Y")))
}

/// "at least 4.5%"
fn target_words(metric: &Metric) -> Option<String> {
    let better = match metric.direction {
        Direction::HigherIsBetter => "at least",
        Direction::LowerIsBetter => "at most",
    };
    metric.target.map(|target| format!("target {better} {}", metric.format_value(target)))
}

/// One KPI card; returns whether the user asked to open its chart.
fn metric_card_ui(ui: &mut Ui, metric: &Metric, points: &[[f64; 2]]) -> bool {
    let visuals = ui.visuals().clone();
    let mut open = false;
    Frame::group(ui.style()).inner_margin(10.0).show(ui, |ui| {
        ui.set_width(CARD_WIDTH);
        ui.vertical(|ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(&metric.name).strong().size(ui.text_style_height(&egui::TextStyle::Body) * 1.1));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let button = ui.button("Open chart").on_hover_text(format!("Open the chart of {}", metric.name));
                    super::kpi_editor::name_widget(ui, &button, &format!("Open the chart of {}", metric.name));
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
            sparkline_ui(ui, metric, points, &visuals);
        });
    });
    open
}

fn sparkline_ui(ui: &mut Ui, metric: &Metric, points: &[[f64; 2]], visuals: &egui::Visuals) {
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
    super::kpi_editor::name_widget(ui, &response.response, &summary);
}

/// How a release moved a KPI: the last sample before it against the first on or after it.
#[must_use]
pub fn release_effect(samples: &[MetricSample], release_date: Date) -> Option<(MetricSample, MetricSample)> {
    let split = samples.partition_point(|sample| sample.date < release_date);
    Some((*samples.get(split.checked_sub(1)?)?, *samples.get(split)?))
}

fn detail_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    metric: &Metric,
    state: &mut MetricsState,
    today: Date,
    actions: &mut Vec<UiAction>,
) {
    let visuals = ui.visuals().clone();
    ui.horizontal(|ui| {
        if ui.button("⬅ All KPIs").clicked() {
            state.detail = None;
        }
        ui.heading(&metric.name);
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
            state.editor = Some(KpiEditor::edit(metric, today));
        }
        if ui.button("Import samples (CSV)…").on_hover_text("A file with a header line date,value").clicked() {
            actions.push(UiAction::PickSamplesFile(metric.metric_id));
        }
    });
    ui.horizontal(|ui| {
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
    if !metric.description.is_empty() {
        ui.label(RichText::new(&metric.description).weak());
    }
    let chart_name = metric.name.clone();
    let capture = capture_buttons_ui(ui, &chart_name);

    let unit = metric.unit.suffix();
    let points: Vec<[f64; 2]> = metric.samples.iter().map(|sample| [day_number(sample.date), sample.value]).collect();
    let accent = visuals.selection.stroke.color;
    let target_colour = theme::success_colour(&visuals);
    let release_colour = visuals.widgets.noninteractive.fg_stroke.color;
    let releases: Vec<_> = workspace.releases.iter().collect();
    let fit = state.range_changed.then(|| range_bounds(metric, state.range));
    state.range_changed = false;
    let height = (ui.available_height() - 120.0).max(220.0);
    let plot = Plot::new(("metric-detail", metric.metric_id.0))
        .height(height)
        .allow_boxed_zoom(true)
        .allow_double_click_reset(true)
        .show_x(false)
        .legend(egui_plot::Legend::default())
        .x_axis_formatter(|mark, _| {
            date_of(mark.value).map(|date| date.strftime("%-d %b %Y").to_string()).unwrap_or_default()
        })
        .label_formatter(move |hover| {
            let egui_plot::HoverPosition::NearDataPoint { position, .. } = hover else {
                return None;
            };
            let date = date_of(position.x)?;
            Some(format!("{}\n{:.2}{unit}", date.strftime("%a %-d %b %Y"), position.y))
        });
    let response = plot.show(ui, |plot_ui| {
        if let Some(bounds) = fit {
            plot_ui.set_plot_bounds(bounds);
        }
        plot_ui.line(Line::new(metric.name.clone(), PlotPoints::from(points)).color(accent).width(2.0));
        if let Some(target) = metric.target {
            plot_ui
                .hline(HLine::new("Target", target).color(target_colour).width(1.5).style(LineStyle::dashed_loose()));
        }
        let top = plot_ui.plot_bounds().max()[1];
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
    let summary = format!(
        "Chart of {} with {}{}",
        metric.name,
        crate::interchange::convert::plural(metric.samples.len(), "sample"),
        metric.target.map_or_else(String::new, |target| format!(" and a target of {}", metric.format_value(target)))
    );
    super::kpi_editor::name_widget(ui, &response.response, &summary);
    if let Some(target) = capture {
        state.capture = Some(Capture { rect: response.response.rect, target, name: chart_name });
    }
    ui.label(
        RichText::new("Scroll or drag to pan, Ctrl + scroll to zoom, double-click to fit; hover for exact values.")
            .weak(),
    );
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
                metric.format_value(change.abs())
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
fn range_bounds(metric: &Metric, range: ChartRange) -> PlotBounds {
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

/// "Copy image" and "Save PNG…" for a chart; returns where the user wants the picture.
pub fn capture_buttons_ui(ui: &mut Ui, chart_name: &str) -> Option<CaptureTarget> {
    let mut target = None;
    ui.horizontal(|ui| {
        let copy = ui.button("📋 Copy image").on_hover_text("Copy this chart to the clipboard, for slides");
        super::kpi_editor::name_widget(ui, &copy, &format!("Copy the chart {chart_name} as an image"));
        if copy.clicked() {
            target = Some(CaptureTarget::Clipboard);
        }
        let save = ui.button("💾 Save PNG…").on_hover_text("Save this chart as a PNG picture");
        super::kpi_editor::name_widget(ui, &save, &format!("Save the chart {chart_name} as a PNG file"));
        if save.clicked() {
            target = Some(CaptureTarget::File);
        }
    });
    target
}

/// A file name from a chart name: letters, digits, spaces and hyphens.
#[must_use]
pub fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { '-' }).collect();
    let stem = stem.trim().to_owned();
    if stem.is_empty() { "chart".to_owned() } else { stem }
}

/// Crops a screenshot to a chart and encodes it as PNG.
///
/// # Errors
/// The encoder's message.
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let mut bytes = Vec::new();
    {
        let width = u32::try_from(width).map_err(|error| error.to_string())?;
        let height = u32::try_from(height).map_err(|error| error.to_string())?;
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|error| error.to_string())?;
        let pixels: Vec<u8> = image.pixels.iter().flat_map(egui::Color32::to_srgba_unmultiplied).collect();
        writer.write_image_data(&pixels).map_err(|error| error.to_string())?;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn downsampling_keeps_the_extremes_and_the_last_point() {
        let points: Vec<[f64; 2]> = (0..3650).map(|day| [f64::from(day), f64::from(day % 100)]).collect();
        let reduced = downsample(&points, 100);
        assert!(reduced.len() <= 201, "{}", reduced.len());
        let high = reduced.iter().map(|point| point[1]).fold(f64::MIN, f64::max);
        let low = reduced.iter().map(|point| point[1]).fold(f64::MAX, f64::min);
        assert_eq!((low, high), (0.0, 99.0));
        assert_eq!(reduced.last(), points.last());
        assert!(reduced.windows(2).all(|pair| pair[0][0] < pair[1][0]), "x stays in order");
        assert_eq!(downsample(&points[..10], 100), points[..10].to_vec());
    }

    #[test]
    fn a_release_is_judged_by_the_samples_either_side() {
        let samples = [
            MetricSample { date: date(2026, 1, 1), value: 3.0 },
            MetricSample { date: date(2026, 2, 1), value: 3.4 },
            MetricSample { date: date(2026, 3, 1), value: 4.1 },
        ];
        let effect = release_effect(&samples, date(2026, 2, 10)).map(|(a, b)| (a.value, b.value));
        assert_eq!(effect, Some((3.4, 4.1)));
        assert_eq!(release_effect(&samples, date(2026, 2, 1)).map(|(a, b)| (a.value, b.value)), Some((3.0, 3.4)));
        assert_eq!(release_effect(&samples, date(2025, 1, 1)), None);
        assert_eq!(release_effect(&samples, date(2027, 1, 1)), None);
    }

    #[test]
    fn chart_x_values_are_days_both_ways() {
        let day = date(2026, 11, 22);
        assert_eq!(date_of(day_number(day)), Some(day));
        assert_eq!(date_of(f64::NAN), None);
    }

    #[test]
    fn a_chart_becomes_a_png() {
        let image = egui::ColorImage::filled([3, 2], egui::Color32::from_rgb(10, 20, 30));
        let bytes = encode_png(&image).unwrap_or_default();
        assert_eq!(bytes.get(1..4), Some(&b"PNG"[..]));
        assert_eq!(file_stem("CSAT / screen readers"), "CSAT - screen readers");
    }
}
