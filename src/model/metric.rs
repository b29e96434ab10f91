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
    /// A score; Net Promoter Score is −100..100.
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

    /// The values a sample may take.
    #[must_use]
    pub fn range(self) -> (f64, f64) {
        match self {
            Self::Percent => (0.0, 100.0),
            Self::Score => (-1_000.0, 1_000.0),
            Self::Count | Self::Currency | Self::Duration => (0.0, 1e15),
        }
    }
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

    /// Formats a value with the unit, e.g. `3.4%`.
    #[must_use]
    pub fn format_value(&self, value: f64) -> String {
        let digits = usize::from(value.abs() < 100.0 && value.fract() != 0.0);
        format!("{value:.digits$}{}", self.unit.suffix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            samples: vec![MetricSample { date: date(2026, 1, 1), value: latest }],
        }
    }

    #[test]
    fn lower_is_better_metrics_are_on_track_below_target() {
        assert_eq!(churn(1.5).target_state(), TargetState::OnTrack);
        assert_eq!(churn(2.5).target_state(), TargetState::OffTrack);
    }

    #[test]
    fn percentages_over_100_are_refused() {
        assert!(matches!(churn(120.0).validate(), Err(ValidationError::OutOfRange { .. })));
    }
}
