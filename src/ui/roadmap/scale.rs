//! Dates and points: the zoom levels, the scale that maps dates to x and back, snapping, and the axis ticks.

use super::MARGIN_DAYS;
use crate::model::days_between;
use crate::model::{Date, Workspace, add_days};

/// The named zoom levels; smooth zoom moves between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoomLevel {
    /// A week is about 170 points; bars snap to days.
    Weeks,
    /// A month is about 150 points; bars snap to weeks.
    Months,
    /// A quarter is about 150 points.
    Quarters,
    /// A year is about 165 points.
    Years,
}

impl ZoomLevel {
    /// Every level, nearest first.
    pub const ALL: [Self; 4] = [Self::Weeks, Self::Months, Self::Quarters, Self::Years];

    /// Points per day at this level.
    #[must_use]
    pub fn points_per_day(self) -> f32 {
        match self {
            Self::Weeks => 24.0,
            Self::Months => 5.0,
            Self::Quarters => 1.6,
            Self::Years => 0.45,
        }
    }

    /// Its name.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Weeks => "Weeks",
            Self::Months => "Months",
            Self::Quarters => "Quarters",
            Self::Years => "Years",
        }
    }

    /// The level a scale is closest to.
    #[must_use]
    pub fn nearest(points_per_day: f32) -> Self {
        Self::ALL
            .into_iter()
            .min_by(|a, b| {
                let distance = |level: Self| (level.points_per_day().ln() - points_per_day.ln()).abs();
                distance(*a).total_cmp(&distance(*b))
            })
            .unwrap_or(Self::Months)
    }
}

/// Days per snap step at a scale: days when a day is wide enough to aim at, otherwise weeks.
#[must_use]
pub fn snap_days(points_per_day: f32) -> i64 {
    if points_per_day >= 12.0 { 1 } else { 7 }
}

/// Rounds a shift of `days` to whole snap steps (or to whole days without snapping).
#[must_use]
pub fn snapped(days: f32, points_per_day: f32, snapping: bool) -> i64 {
    let step = if snapping { snap_days(points_per_day) } else { 1 };
    #[expect(clippy::cast_precision_loss, reason = "1 or 7")]
    let steps = (days / step as f32).round();
    #[expect(clippy::cast_possible_truncation, reason = "a drag spans at most a few thousand days")]
    let steps = steps as i64;
    steps * step
}

/// Maps dates to x positions and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The date at `left`.
    pub origin: Date,
    /// The x of the origin's start.
    pub left: f32,
    /// Points per day.
    pub points_per_day: f32,
}

impl Scale {
    /// The x where `date` begins.
    #[must_use]
    pub fn x_of(&self, date: Date) -> f32 {
        #[expect(clippy::cast_precision_loss, reason = "days on a timeline")]
        let days = days_between(self.origin, date) as f32;
        self.left + days * self.points_per_day
    }

    /// The date whose day contains `x`.
    #[must_use]
    pub fn date_at(&self, x: f32) -> Date {
        #[expect(clippy::cast_possible_truncation, reason = "a timeline spans a few thousand days")]
        let days = ((x - self.left) / self.points_per_day + 1e-3).floor() as i64;
        add_days(self.origin, days)
    }
}

/// The dates the timeline spans: every dated thing, with four weeks of margin.
#[must_use]
pub fn timeline_range(workspace: &Workspace, today: Date) -> (Date, Date) {
    let mut first = today;
    let mut last = today;
    let mut see = |date: Date| {
        first = first.min(date);
        last = last.max(date);
    };
    for epic in &workspace.epics {
        see(epic.start_date);
        see(epic.end_date);
    }
    for release in &workspace.releases {
        see(release.date);
    }
    for increment in &workspace.increments {
        see(increment.start_date);
        see(increment.end_date);
    }
    for sprint in &workspace.sprints {
        see(sprint.start_date);
        see(sprint.end_date);
    }
    (add_days(first, -MARGIN_DAYS), add_days(last, MARGIN_DAYS))
}

/// The dates a sketch from `left` to `right` covers: whole weeks (Monday to Sunday) when snapping at
/// zooms that snap to weeks, whole days otherwise; at least one day.
#[must_use]
pub fn sketched_dates(scale: &Scale, left: f32, right: f32, snapping: bool) -> (Date, Date) {
    let start = scale.date_at(left);
    let end = scale.date_at(right).max(start);
    if snapping && snap_days(scale.points_per_day) == 7 {
        let monday = crate::interchange::convert::monday_of(start);
        let last_monday = crate::interchange::convert::monday_of(end);
        (monday, add_days(last_monday, 6))
    } else {
        (start, end)
    }
}

/// Which ticks and labels the axis shows at a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ticks {
    Weeks,
    Months,
    Quarters,
    Years,
}

pub(super) fn ticks_for(points_per_day: f32) -> Ticks {
    if points_per_day >= 12.0 {
        Ticks::Weeks
    } else if points_per_day >= 2.5 {
        Ticks::Months
    } else if points_per_day >= 0.9 {
        Ticks::Quarters
    } else {
        Ticks::Years
    }
}

/// The tick dates from `first` to `last` and their labels at a scale.
pub(super) fn ticks(first: Date, last: Date, points_per_day: f32) -> Vec<(Date, String)> {
    let kind = ticks_for(points_per_day);
    let mut date = match kind {
        Ticks::Weeks => crate::interchange::convert::monday_of(first),
        Ticks::Months => first.first_of_month(),
        Ticks::Quarters => {
            let month = first.month() - (first.month() - 1) % 3;
            Date::new(first.year(), month, 1).unwrap_or(first)
        }
        Ticks::Years => Date::new(first.year(), 1, 1).unwrap_or(first),
    };
    let step = match kind {
        Ticks::Weeks => jiff::Span::new().days(7),
        Ticks::Months => jiff::Span::new().months(1),
        Ticks::Quarters => jiff::Span::new().months(3),
        Ticks::Years => jiff::Span::new().years(1),
    };
    let mut out = Vec::new();
    while date <= last && out.len() < 2000 {
        let label = match kind {
            Ticks::Weeks if date.day() <= 7 => date.strftime("%-d %b %Y").to_string(),
            Ticks::Weeks => date.strftime("%-d %b").to_string(),
            Ticks::Months if date.month() == 1 => date.strftime("%b %Y").to_string(),
            Ticks::Months => date.strftime("%b").to_string(),
            Ticks::Quarters => format!("Q{} {}", (date.month() - 1) / 3 + 1, date.year()),
            Ticks::Years => date.year().to_string(),
        };
        out.push((date, label));
        let Ok(next) = date.checked_add(step) else {
            break;
        };
        date = next;
    }
    out
}
