//! Metrics (KPIs): named values measured over time, with a unit, a direction and a target.

use serde::{Deserialize, Serialize};

use super::error::{check_length, check_range, require_text};
use super::{Date, MetricId, ValidationError};

/// What a metric's numbers measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricUnit {
    /// A share from 0 to 100.
    Percent,
    /// A score from −100 to 100, such as the Net Promoter Score.
    Score,
    /// A count of things.
    Count,
    /// Money.
    Currency,
    /// Time, in minutes.
    Duration,
}

impl MetricUnit {
    /// Every unit, in menu order.
    pub const ALL: [Self; 5] = [Self::Percent, Self::Score, Self::Count, Self::Currency, Self::Duration];

    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Percent => "percent",
            Self::Score => "score",
            Self::Count => "count",
            Self::Currency => "currency",
            Self::Duration => "duration",
        }
    }

    /// Reads a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|unit| unit.code() == code)
    }

    /// The suffix shown after a value.
    #[must_use]
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Score | Self::Count => "",
            Self::Currency => " €",
            Self::Duration => " min",
        }
    }

    /// The name a user picks from.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Percent => "Percent (%)",
            Self::Score => "Score (−100 to 100, e.g. NPS)",
            Self::Count => "Count",
            Self::Currency => "Currency (€)",
            Self::Duration => "Duration (minutes)",
        }
    }

    /// The rule for this unit's values, in words.
    #[must_use]
    pub fn rule(self) -> &'static str {
        match self {
            Self::Percent => "a percentage runs from 0 to 100",
            Self::Score => "a score such as NPS runs from −100 to 100",
            Self::Count => "a count cannot be negative",
            Self::Currency => "an amount of money cannot be negative here",
            Self::Duration => "a duration cannot be negative",
        }
    }

    /// The values a sample may take.
    #[must_use]
    pub fn range(self) -> (f64, f64) {
        match self {
            Self::Percent => (0.0, 100.0),
            Self::Score => (-100.0, 100.0),
            Self::Count | Self::Currency | Self::Duration => (0.0, 1e15),
        }
    }
}

/// Reads one sample as a user typed it (in the samples table or a CSV file): an ISO date and a number
/// in the unit's range. A percentage may end in `%`.
///
/// # Errors
/// A sentence naming what is wrong and how to write it instead.
pub fn parse_sample(date_text: &str, value_text: &str, unit: MetricUnit) -> Result<MetricSample, String> {
    let date_text = date_text.trim();
    let date: Date = date_text
        .parse()
        .map_err(|_| format!("'{date_text}' is not a date: write it as YYYY-MM-DD, like 2026-03-31."))?;
    let value_text = value_text.trim();
    let number = if unit == MetricUnit::Percent { value_text.trim_end_matches('%').trim_end() } else { value_text };
    if number.is_empty() {
        return Err("The value is empty: type a number such as 42 or 3.5.".to_owned());
    }
    let value: f64 = number.parse().ok().filter(|value: &f64| value.is_finite()).ok_or_else(|| {
        format!("'{value_text}' is not a number: write digits such as 42 or 3.5, with a dot for decimals.")
    })?;
    let (min, max) = unit.range();
    if value < min || value > max {
        return Err(format!("{value} is out of range: {}.", unit.rule()));
    }
    Ok(MetricSample { date, value })
}

/// Whether a metric improves by going up or down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Conversion, NPS, CSAT.
    HigherIsBetter,
    /// Churn, lead time.
    LowerIsBetter,
}

impl Direction {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::HigherIsBetter => "higher",
            Self::LowerIsBetter => "lower",
        }
    }

    /// Reads a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "higher" => Some(Self::HigherIsBetter),
            "lower" => Some(Self::LowerIsBetter),
            _ => None,
        }
    }
}

/// The dashboard group of a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricCategory {
    /// Business KPIs: conversion, engagement, churn, NPS, CSAT.
    Product,
    /// Inclusivity KPIs: accessibility compliance, satisfaction of under-served groups.
    Inclusivity,
    /// Delivery measures entered by hand.
    Delivery,
    /// Anything else.
    Custom,
}

impl MetricCategory {
    /// Every category, in dashboard order.
    pub const ALL: [Self; 4] = [Self::Product, Self::Inclusivity, Self::Delivery, Self::Custom];

    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Product => "product",
            Self::Inclusivity => "inclusivity",
            Self::Delivery => "delivery",
            Self::Custom => "custom",
        }
    }

    /// Reads a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|category| category.code() == code)
    }

    /// The heading a user reads.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Product => "Product KPIs",
            Self::Inclusivity => "Inclusivity KPIs",
            Self::Delivery => "Delivery",
            Self::Custom => "Custom",
        }
    }
}

/// One dated measurement.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricSample {
    /// The day it was measured.
    pub date: Date,
    /// The value, in the metric's unit.
    pub value: f64,
}

/// Where the latest value stands against the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetState {
    /// At or past the target in the good direction.
    OnTrack,
    /// Short of the target.
    OffTrack,
    /// No target or no samples.
    Unknown,
}

/// A KPI with its samples, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// Its id.
    pub metric_id: MetricId,
    /// Its name, e.g. "Checkout conversion".
    pub name: String,
    /// Its unit.
    pub unit: MetricUnit,
    /// Which way is better.
    pub direction: Direction,
    /// Dashboard group.
    pub category: MetricCategory,
    /// The value the team aims for.
    pub target: Option<f64>,
    /// How it is measured.
    pub description: String,
    /// The objective it shows progress towards, as an epic serves one; `None` for a KPI watched on its own.
    #[serde(default)]
    pub objective_id: Option<super::ObjectiveId>,
    /// Measurements, sorted by date, one per day at most.
    pub samples: Vec<MetricSample>,
}

impl Metric {
    /// Checks the name, the target and every sample against the unit's range.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("metric name", &self.name, 120)?;
        check_length("metric description", &self.description, 5000)?;
        let (min, max) = self.unit.range();
        if let Some(target) = self.target {
            check_range("target", target, min, max)?;
        }
        for sample in &self.samples {
            check_range("sample value", sample.value, min, max)?;
        }
        if let Some(pair) = self.samples.windows(2).find(|pair| pair[0].date >= pair[1].date) {
            return Err(ValidationError::SampleOrder(pair[1].date));
        }
        Ok(())
    }

    /// The newest sample.
    #[must_use]
    pub fn latest(&self) -> Option<MetricSample> {
        self.samples.last().copied()
    }

    /// Whether the newest sample meets the target, taking the direction into account.
    #[must_use]
    pub fn target_state(&self) -> TargetState {
        let (Some(target), Some(latest)) = (self.target, self.latest()) else {
            return TargetState::Unknown;
        };
        let met = match self.direction {
            Direction::HigherIsBetter => latest.value >= target,
            Direction::LowerIsBetter => latest.value <= target,
        };
        if met { TargetState::OnTrack } else { TargetState::OffTrack }
    }

    /// Formats the size of a change between two values (without its sign). A change of a percentage
    /// is in percentage points, not per cent: from 3.8% to 4.1% is `0.3 percentage points` (4.1 is 8%
    /// more than 3.8).
    #[must_use]
    pub fn format_change(&self, change: f64) -> String {
        if self.unit != MetricUnit::Percent {
            return self.format_value(change);
        }
        let digits = usize::from(change.abs() < 100.0 && change.fract() != 0.0);
        let number = format!("{change:.digits$}");
        let unit = if number == "1" { "percentage point" } else { "percentage points" };
        format!("{number} {unit}")
    }

    /// Formats a value with the unit, e.g. `3.4%`.
    #[must_use]
    pub fn format_value(&self, value: f64) -> String {
        let digits = usize::from(value.abs() < 100.0 && value.fract() != 0.0);
        format!("{}{}", grouped(&format!("{value:.digits$}")), self.unit.suffix())
    }
}

/// A number as people read it, with `decimals` decimals and its thousands grouped: `53,330`, `2.5`.
#[must_use]
pub fn grouped_number(value: f64, decimals: usize) -> String {
    grouped(&format!("{value:.decimals$}"))
}

/// A number of points (or items) in a sentence: whole ones without decimals, halves and the like as
/// they are, thousands grouped: `53,330`, `2.5`.
#[must_use]
pub fn points_words(value: f64) -> String {
    // Two decimals at most, so that sums such as 0.1 + 0.2 read 0.3.
    let text = format!("{value:.2}");
    grouped(text.trim_end_matches('0').trim_end_matches('.'))
}

/// A formatted number with its thousands grouped as people read them: `44,100`, `-1,400.5`. A zero
/// has no sign: `-0` (a sum of nothing in floating point, or -0.001 rounded) reads `0`.
fn grouped(number: &str) -> String {
    let (sign, unsigned) = number.strip_prefix('-').map_or(("", number), |rest| ("-", rest));
    if !sign.is_empty() && unsigned.bytes().all(|byte| matches!(byte, b'0' | b'.')) {
        return unsigned.to_owned();
    }
    let (whole, fraction) =
        unsigned.split_once('.').map_or((unsigned, None), |(whole, fraction)| (whole, Some(fraction)));
    if whole.len() <= 3 || !whole.bytes().all(|byte| byte.is_ascii_digit()) {
        return number.to_owned();
    }
    let mut out = String::with_capacity(number.len() + whole.len() / 3);
    out.push_str(sign);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
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

#[cfg(test)]
mod tests {

    #[test]
    fn a_change_of_a_percentage_is_in_percentage_points() {
        let mut metric = Metric {
            metric_id: crate::model::MetricId(1),
            name: "Checkout conversion".into(),
            category: MetricCategory::Product,
            unit: MetricUnit::Percent,
            direction: Direction::HigherIsBetter,
            target: None,
            description: String::new(),
            objective_id: None,
            samples: Vec::new(),
        };
        assert_eq!(metric.format_change(4.1 - 3.8), "0.3 percentage points");
        assert_eq!(metric.format_change(1.0), "1 percentage point");
        assert_eq!(metric.format_change(2.0), "2 percentage points");
        metric.unit = MetricUnit::Count;
        assert_eq!(metric.format_change(1_400.0), "1,400");
    }

    #[test]
    fn points_read_as_people_write_them() {
        assert_eq!(points_words(53_330.0), "53,330");
        assert_eq!(points_words(2.5), "2.5");
        assert_eq!(points_words(0.1 + 0.2), "0.3");
        assert_eq!(points_words(0.0), "0");
        assert_eq!(points_words(-0.0), "0", "the sum of no points");
        assert_eq!(points_words([].iter().sum::<f64>()), "0");
        assert_eq!(points_words(-0.001), "0");
        assert_eq!(grouped_number(-0.04, 1), "0.0");
        assert_eq!(points_words(-2.5), "-2.5");
        assert_eq!(points_words(1_000_000.25), "1,000,000.25");
        assert_eq!(grouped_number(106_665.0, 1), "106,665.0");
    }

    #[test]
    fn large_values_have_their_thousands_grouped() {
        assert_eq!(grouped("44100"), "44,100");
        assert_eq!(grouped("-1400.5"), "-1,400.5");
        assert_eq!(grouped("1234567"), "1,234,567");
        assert_eq!(grouped("999"), "999");
        assert_eq!(grouped("-12.5"), "-12.5");
        assert_eq!(grouped("inf"), "inf");
    }

    use super::*;

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

    use jiff::civil::date;

    fn churn(latest: f64) -> Metric {
        Metric {
            metric_id: MetricId(1),
            name: "Churn".into(),
            unit: MetricUnit::Percent,
            direction: Direction::LowerIsBetter,
            category: MetricCategory::Product,
            target: Some(2.0),
            description: String::new(),
            objective_id: None,
            samples: vec![MetricSample { date: date(2026, 1, 1), value: latest }],
        }
    }

    #[test]
    fn lower_is_better_metrics_are_on_track_below_target() {
        assert_eq!(churn(1.5).target_state(), TargetState::OnTrack);
        assert_eq!(churn(2.5).target_state(), TargetState::OffTrack);
    }

    #[test]
    fn typed_samples_are_read_or_refused_with_a_reason() {
        assert_eq!(
            parse_sample(" 2026-03-31 ", "4.5%", MetricUnit::Percent),
            Ok(MetricSample { date: date(2026, 3, 31), value: 4.5 })
        );
        assert_eq!(parse_sample("2026-03-31", "-42", MetricUnit::Score).map(|s| s.value), Ok(-42.0));
        let refused = |date_text, value_text, unit| parse_sample(date_text, value_text, unit).err().unwrap_or_default();
        assert!(refused("31/03/2026", "4", MetricUnit::Percent).contains("YYYY-MM-DD"));
        assert!(refused("2026-02-30", "4", MetricUnit::Percent).contains("not a date"));
        assert!(refused("2026-03-31", "four", MetricUnit::Count).contains("not a number"));
        assert!(refused("2026-03-31", "", MetricUnit::Count).contains("empty"));
        assert!(refused("2026-03-31", "NaN", MetricUnit::Count).contains("not a number"));
        assert!(refused("2026-03-31", "101", MetricUnit::Percent).contains("0 to 100"));
        assert!(refused("2026-03-31", "-101", MetricUnit::Score).contains("−100 to 100"));
        assert!(refused("2026-03-31", "-1", MetricUnit::Count).contains("negative"));
    }

    #[test]
    fn two_samples_on_one_day_are_refused() {
        let mut metric = churn(1.0);
        metric.samples.push(MetricSample { date: date(2026, 1, 1), value: 2.0 });
        assert_eq!(metric.validate(), Err(ValidationError::SampleOrder(date(2026, 1, 1))));
    }

    #[test]
    fn percentages_over_100_are_refused() {
        assert!(matches!(churn(120.0).validate(), Err(ValidationError::OutOfRange { .. })));
    }
}
