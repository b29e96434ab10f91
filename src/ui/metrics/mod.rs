//! The metrics view: the KPI dashboard (a card per KPI, grouped by category), a KPI's detail chart
//! with its target and the roadmap's releases, and the delivery charts computed from the backlog.

mod capture;
pub mod delivery;
pub mod kpi_editor;
pub use capture::{capture_buttons_ui, encode_png, file_stem};
mod dashboard;
use dashboard::{change_words, dashboard_ui, target_words};
mod detail;
use detail::detail_ui;
pub use detail::release_effect;

use std::collections::HashMap;
use std::sync::Arc;

use egui::Ui;

use super::UiAction;
use crate::model::delivery::DeliveryLog;
use crate::model::{ColumnId, Date, Metric, MetricCategory, MetricId, SprintId, Workspace};
use crate::ui::widgets::window::open_window;
use kpi_editor::{KpiEditor, SamplesImport};

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

/// A value axis's label: as many decimals as the grid's step needs (3.5, not 3.4999999), thousands
/// grouped (200,000), then `unit`.
fn axis_label(mark: &egui_plot::GridMark, unit: &str) -> String {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a handful of decimals")]
    let decimals = (-mark.step_size.log10().floor()).clamp(0.0, 6.0) as usize;
    format!("{}{unit}", crate::model::grouped_number(mark.value, decimals))
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
    /// The KPI and the mark of its samples the chart was last fitted to.
    fitted_samples: Option<(MetricId, u64)>,
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
    pub figures: Option<Arc<delivery::DeliveryFigures>>,
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
        let points: Arc<[[f64; 2]]> = crate::model::downsample(&points, buckets).into();
        self.sparklines.insert(metric.metric_id, (revision, Arc::clone(&points)));
        points
    }
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
            open_window(&mut state.editor, KpiEditor::new_kpi(MetricCategory::Product, today), actions);
        }
    });
    ui.separator();
    match state.page {
        MetricsPage::Delivery => delivery::delivery_ui(ui, workspace, state, today),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MetricSample;
    use jiff::civil::date;

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
        let image = egui::ColorImage::filled([3, 2], egui::Color32::DARK_GRAY);
        let bytes = encode_png(&image).unwrap_or_default();
        assert_eq!(bytes.get(1..4), Some(&b"PNG"[..]));
        assert_eq!(file_stem("CSAT / screen readers"), "CSAT - screen readers");
    }
}
