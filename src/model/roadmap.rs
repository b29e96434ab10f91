//! The product, its board columns, and the dated things of the roadmap: epics, releases,
//! program increments, sprints and objectives.

use serde::{Deserialize, Serialize};

use super::error::{check_dates, check_length, check_range, require_text};
use super::{ColumnId, Date, EpicId, IncrementId, ObjectiveId, ReleaseId, SprintId, ValidationError};

/// The product being planned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Its name, shown in the window title.
    pub name: String,
    /// A one-paragraph vision statement.
    pub vision: String,
}

impl Product {
    /// Checks the name and the vision.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("product name", &self.name, 120)?;
        check_length("vision", &self.vision, 5000)
    }
}

/// A board column: one workflow status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// Its id.
    pub column_id: ColumnId,
    /// Its name, e.g. "Ready".
    pub name: String,
    /// Its place from left to right, starting at 0.
    pub position: i64,
    /// At most this many items should be in it at once.
    pub wip_limit: Option<u32>,
    /// Items here count as done (accepted) for progress and velocity.
    pub is_done: bool,
}

/// An epic with this id and title, in January 2026, serving no objective (for tests).
#[cfg(test)]
pub(crate) fn test_epic(id: i64, title: &str) -> Epic {
    Epic {
        epic_id: EpicId(id),
        title: title.to_owned(),
        description: String::new(),
        colour: Colour([10, 20, 30]),
        start_date: jiff::civil::date(2026, 1, 5),
        end_date: jiff::civil::date(2026, 2, 1),
        objective_id: None,
        depends_on: Vec::new(),
    }
}

/// Columns with these names, ids and positions from 1, the one called "Done" marked done (for tests).
#[cfg(test)]
pub(crate) fn test_columns(names: &[&str]) -> Vec<Column> {
    names
        .iter()
        .zip(1..)
        .map(|(name, id)| Column {
            column_id: ColumnId(id),
            name: (*name).to_owned(),
            position: id,
            wip_limit: None,
            is_done: *name == "Done",
        })
        .collect()
}

impl Column {
    /// Checks the name and limit.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("column name", &self.name, 60)?;
        if let Some(limit) = self.wip_limit {
            check_range("WIP limit", f64::from(limit), 1.0, 10_000.0)?;
        }
        Ok(())
    }
}

/// An sRGB colour, stored as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Colour(pub [u8; 3]);

impl Colour {
    /// Reads `#rrggbb`.
    #[must_use]
    pub fn from_hex(text: &str) -> Option<Self> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let channel = |range: std::ops::Range<usize>| u8::from_str_radix(hex.get(range)?, 16).ok();
        Some(Self([channel(0..2)?, channel(2..4)?, channel(4..6)?]))
    }

    /// Writes `#rrggbb`.
    #[must_use]
    pub fn to_hex(self) -> String {
        let [red, green, blue] = self.0;
        format!("#{red:02x}{green:02x}{blue:02x}")
    }
}

impl TryFrom<String> for Colour {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::from_hex(&text).ok_or_else(|| format!("'{text}' is not a colour like #3366cc"))
    }
}

impl From<Colour> for String {
    fn from(colour: Colour) -> Self {
        colour.to_hex()
    }
}

/// An epic (or feature, or initiative): a large piece of value with dates, a bar on the roadmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Epic {
    /// Its id.
    pub epic_id: EpicId,
    /// Its title.
    pub title: String,
    /// What it delivers and why.
    pub description: String,
    /// The bar's colour; also the stripe on its cards.
    pub colour: Colour,
    /// First day.
    pub start_date: Date,
    /// Last day (inclusive).
    pub end_date: Date,
    /// The objective it serves.
    pub objective_id: Option<ObjectiveId>,
    /// Epics this one starts after: it should not start before each of them ends.
    #[serde(default)]
    pub depends_on: Vec<EpicId>,
}

impl Epic {
    /// Checks the title, the dates and that it does not depend on itself.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("epic title", &self.title, 200)?;
        check_length("epic description", &self.description, 20_000)?;
        if self.depends_on.contains(&self.epic_id) && self.epic_id.0 != 0 {
            return Err(ValidationError::SelfDependency(self.title.clone()));
        }
        check_dates("epic", self.start_date, self.end_date)
    }
}

/// A dependency that the dates break: `epic` starts on or before the day `after` ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The epic that starts too early.
    pub epic: EpicId,
    /// The epic it should start after.
    pub after: EpicId,
    /// In words, for the roadmap and screen readers.
    pub message: String,
}

/// Every broken "starts after" dependency among `epics`, in epic order.
#[must_use]
pub fn dependency_conflicts(epics: &[Epic]) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    for epic in epics {
        for after_id in &epic.depends_on {
            let Some(after) = epics.iter().find(|other| other.epic_id == *after_id) else {
                continue;
            };
            if epic.start_date <= after.end_date {
                conflicts.push(Conflict {
                    epic: epic.epic_id,
                    after: after.epic_id,
                    message: format!(
                        "'{}' starts on {}, but it should start after '{}' ends on {}.",
                        epic.title,
                        epic.start_date.strftime("%-d %b %Y"),
                        after.title,
                        after.end_date.strftime("%-d %b %Y")
                    ),
                });
            }
        }
    }
    conflicts
}

/// Whether a dated point is a release or another milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseKind {
    /// A version shipped to users.
    Release,
    /// Any other dated event (a launch, a review, a deadline).
    Milestone,
}

impl ReleaseKind {
    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Release => "release",
            Self::Milestone => "milestone",
        }
    }

    /// The word for it in sentences: "release" or "milestone".
    #[must_use]
    pub fn word(self) -> &'static str {
        self.code()
    }

    /// Reads a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "release" => Some(Self::Release),
            "milestone" => Some(Self::Milestone),
            _ => None,
        }
    }
}

/// A release or milestone: a dated point on the roadmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Release {
    /// Its id.
    pub release_id: ReleaseId,
    /// Its name, e.g. "2.4".
    pub name: String,
    /// Its date.
    pub date: Date,
    /// Release or milestone.
    pub kind: ReleaseKind,
    /// Notes.
    pub description: String,
}

impl Release {
    /// Checks the name.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("release name", &self.name, 120)?;
        check_length("release description", &self.description, 5000)
    }
}

/// A SAFe program increment: a planning interval of several sprints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramIncrement {
    /// Its id.
    pub increment_id: IncrementId,
    /// Its name, e.g. "PI 26.4".
    pub name: String,
    /// First day.
    pub start_date: Date,
    /// Last day.
    pub end_date: Date,
}

impl ProgramIncrement {
    /// Checks the name and the dates.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("program increment name", &self.name, 120)?;
        check_dates("program increment", self.start_date, self.end_date)
    }
}

/// A sprint: a dated iteration with a goal and a capacity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sprint {
    /// Its id.
    pub sprint_id: SprintId,
    /// Its name, e.g. "Sprint 14".
    pub name: String,
    /// The sprint goal.
    pub goal: String,
    /// First day.
    pub start_date: Date,
    /// Last day.
    pub end_date: Date,
    /// How many points the team expects to finish.
    pub capacity_points: f64,
    /// When the team started it (Start sprint); `None` while it is planned.
    #[serde(default)]
    pub started_at: Option<super::Timestamp>,
    /// When it was completed (Complete sprint); `None` until then.
    #[serde(default)]
    pub completed_at: Option<super::Timestamp>,
    /// Points of the unfinished items moved out when it was completed: still part of what it committed
    /// to, so velocity and burndown count them.
    #[serde(default)]
    pub carried_over_points: f64,
}

/// Where a sprint stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SprintState {
    /// Not started yet.
    Planned,
    /// Started and not completed.
    Active,
    /// Completed.
    Completed,
}

impl Sprint {
    /// The sprint that follows this one, not stored yet: the next number in its name ("Sprint 23" makes
    /// "Sprint 24"; a name without one gets "(next)"), as many days long, from the first weekday after
    /// it ends, with the same capacity and no goal yet.
    #[must_use]
    pub fn following(&self) -> Self {
        let digits = self.name.len() - self.name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (stem, number) = self.name.split_at(self.name.len() - digits);
        let name = match number.parse::<u64>() {
            Ok(number) => format!("{stem}{}", number.saturating_add(1)),
            Err(_) => format!("{} (next)", self.name.trim()),
        };
        let mut start = super::add_days(self.end_date, 1);
        while matches!(start.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday) {
            start = super::add_days(start, 1);
        }
        let length = (self.end_date - self.start_date).get_days();
        Self {
            sprint_id: SprintId(0),
            name,
            goal: String::new(),
            start_date: start,
            end_date: super::add_days(start, i64::from(length)),
            capacity_points: self.capacity_points,
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        }
    }

    /// Where it stands.
    #[must_use]
    pub fn state(&self) -> SprintState {
        match (self.started_at, self.completed_at) {
            (_, Some(_)) => SprintState::Completed,
            (Some(_), None) => SprintState::Active,
            (None, None) => SprintState::Planned,
        }
    }

    /// Checks the name, the dates and the capacity.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("sprint name", &self.name, 120)?;
        check_length("sprint goal", &self.goal, 2000)?;
        check_dates("sprint", self.start_date, self.end_date)?;
        check_range("capacity (points)", self.capacity_points, 0.0, 10_000.0)?;
        check_range("carried-over points", self.carried_over_points, 0.0, 1e9)
    }
}

/// A measurable key result of an objective.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyResult {
    /// What is measured, e.g. "Checkout conversion".
    pub title: String,
    /// Where it stands now.
    pub current_value: f64,
    /// Where it should be.
    pub target_value: f64,
    /// Unit shown after the numbers, e.g. "%".
    pub unit: String,
    /// Whether a lower value is better (a time, a count of errors): then the target is a ceiling.
    #[serde(default)]
    pub lower_is_better: bool,
}

impl KeyResult {
    /// How far along it is, from 0 (not started) to 1 (target met), respecting its direction. For
    /// lower-is-better, being at or under the target is 1 and twice the target or more is 0.
    #[must_use]
    pub fn progress(&self) -> f64 {
        let (current, target) = (self.current_value, self.target_value);
        if !current.is_finite() || !target.is_finite() {
            return 0.0;
        }
        if self.lower_is_better {
            if current <= target {
                1.0
            } else if target.abs() > f64::EPSILON {
                (2.0 - current / target).clamp(0.0, 1.0)
            } else {
                0.0
            }
        } else if target.abs() > f64::EPSILON {
            (current / target).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// "190 of 120 s" said with its direction: "Checkout time: 190 s, target at most 120 s (70 s over)".
    #[must_use]
    pub fn describe(&self) -> String {
        // "4.1%", but "190 s" and "12 stores".
        let unit = match self.unit.as_str() {
            "" => String::new(),
            "%" => "%".to_owned(),
            other => format!(" {other}"),
        };
        // Rounded and grouped as people read them: 0.1 + 0.2 reads 0.3, a million 1,000,000.
        let (current, target) = (super::points_words(self.current_value), super::points_words(self.target_value));
        if self.lower_is_better {
            let gap = self.current_value - self.target_value;
            let state =
                if gap > 0.0 { format!("{}{unit} over", super::points_words(gap)) } else { "target met".to_owned() };
            format!("{}: {current}{unit}, target at most {target}{unit} ({state})", self.title)
        } else {
            let state = if self.current_value >= self.target_value { "target met" } else { "on the way" };
            format!("{}: {current} of {target}{unit} ({state})", self.title)
        }
    }
}

/// An objective with its key results (OKR).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Its id.
    pub objective_id: ObjectiveId,
    /// The qualitative objective.
    pub title: String,
    /// Context.
    pub description: String,
    /// The key results, in order.
    pub key_results: Vec<KeyResult>,
    /// The program increment it was set for at PI planning (a PI objective); `None` for an objective
    /// of no increment.
    #[serde(default)]
    pub increment_id: Option<IncrementId>,
    /// The business value the business owners gave it at PI planning, 1 to 10.
    #[serde(default)]
    pub planned_value: Option<u8>,
    /// The business value it achieved, 0 to 10, scored at the increment's end (or a system demo).
    #[serde(default)]
    pub actual_value: Option<u8>,
    /// Uncommitted (a stretch objective): planned, but its value is left out of the increment's
    /// planned total, so that missing it does not count against the team.
    #[serde(default)]
    pub uncommitted: bool,
}

impl Objective {
    /// Checks the title and each key result.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("objective title", &self.title, 200)?;
        check_length("objective description", &self.description, 5000)?;
        for key_result in &self.key_results {
            require_text("key result", &key_result.title, 200)?;
            check_range("key result value", key_result.current_value, -1e12, 1e12)?;
            check_range("key result target", key_result.target_value, -1e12, 1e12)?;
        }
        if let Some(planned) = self.planned_value {
            check_range("planned business value", f64::from(planned), 1.0, 10.0)?;
        }
        if let Some(actual) = self.actual_value {
            check_range("actual business value", f64::from(actual), 0.0, 10.0)?;
        }
        Ok(())
    }

    /// A new objective of no increment, without key results.
    #[must_use]
    pub fn titled(title: &str) -> Self {
        Self {
            objective_id: ObjectiveId(0),
            title: title.to_owned(),
            description: String::new(),
            key_results: Vec::new(),
            increment_id: None,
            planned_value: None,
            actual_value: None,
            uncommitted: false,
        }
    }

    /// Its business values in words, for a PI objective: "committed, planned value 8, achieved 7";
    /// empty for an objective of no increment.
    #[must_use]
    pub fn value_words(&self) -> String {
        if self.increment_id.is_none() {
            return String::new();
        }
        let commitment = if self.uncommitted { "uncommitted (stretch)" } else { "committed" };
        let planned = self
            .planned_value
            .map_or_else(|| "no planned value yet".to_owned(), |value| format!("planned value {value}"));
        let actual = self.actual_value.map_or_else(|| "not scored yet".to_owned(), |value| format!("achieved {value}"));
        format!("{commitment}, {planned}, {actual}")
    }

    /// Average progress of the key results toward their targets, from 0 to 1.
    #[must_use]
    pub fn progress(&self) -> f64 {
        if self.key_results.is_empty() {
            return 0.0;
        }
        let total: f64 = self
            .key_results
            .iter()
            .map(|key_result| {
                if key_result.target_value == 0.0 {
                    0.0
                } else {
                    (key_result.current_value / key_result.target_value).clamp(0.0, 1.0)
                }
            })
            .sum();
        #[expect(clippy::cast_precision_loss, reason = "a handful of key results")]
        let count = self.key_results.len() as f64;
        total / count
    }
}

/// How far a program increment's objectives came, as SAFe measures it at Inspect and Adapt: the
/// business value achieved by all of them (uncommitted ones included) against the value planned for
/// the committed ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Predictability {
    /// Objectives set for the increment.
    pub objectives: usize,
    /// Of those, the uncommitted (stretch) ones.
    pub uncommitted: usize,
    /// The planned business value of the committed objectives.
    pub planned: u32,
    /// The business value achieved, by every objective scored.
    pub actual: u32,
    /// Objectives without an actual value yet.
    pub unscored: usize,
    /// Committed objectives without a planned value.
    pub unplanned: usize,
}

impl Predictability {
    /// What the objectives set for `increment_id` planned and achieved.
    #[must_use]
    pub fn of<'a>(objectives: impl IntoIterator<Item = &'a Objective>, increment_id: IncrementId) -> Self {
        let mut measure = Self::default();
        for objective in objectives.into_iter().filter(|objective| objective.increment_id == Some(increment_id)) {
            measure.objectives += 1;
            if objective.uncommitted {
                measure.uncommitted += 1;
            } else if let Some(planned) = objective.planned_value {
                measure.planned += u32::from(planned);
            } else {
                measure.unplanned += 1;
            }
            match objective.actual_value {
                Some(actual) => measure.actual += u32::from(actual),
                None => measure.unscored += 1,
            }
        }
        measure
    }

    /// Achieved against planned, in percent; `None` while no committed objective has a planned value.
    #[must_use]
    pub fn percent(&self) -> Option<f64> {
        (self.planned > 0).then(|| f64::from(self.actual) / f64::from(self.planned) * 100.0)
    }

    /// The measure in words, saying what is not scored yet: "Achieved 17 of 20 planned business value:
    /// 85%. 1 objective is not scored yet."
    #[must_use]
    pub fn words(&self) -> String {
        if self.objectives == 0 {
            return "No objectives are set for this increment yet.".to_owned();
        }
        let scored = self.objectives - self.unscored;
        let mut words = match self.percent() {
            Some(_) if scored == 0 => format!(
                "Planned business value {} (committed objectives). None is scored yet: the business owners score them at the increment's end.",
                self.planned
            ),
            Some(percent) => format!(
                "{} {} of {} planned business value: {percent:.0}% (SAFe aims for 80 to 100%).",
                if self.unscored > 0 { "So far, achieved" } else { "Achieved" },
                self.actual,
                self.planned
            ),
            None => "No committed objective has a planned business value yet.".to_owned(),
        };
        let not = |count: usize, what: &str| match count {
            0 => String::new(),
            1 => format!(" 1 objective {what}."),
            count => format!(" {count} objectives {}.", what.replacen("is ", "are ", 1).replacen("has ", "have ", 1)),
        };
        words.push_str(&not(self.unplanned, "has no planned value"));
        if scored > 0 {
            words.push_str(&not(self.unscored, "is not scored yet"));
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predictability_counts_what_uncommitted_objectives_achieve_but_not_what_they_planned() {
        let increment = IncrementId(3);
        let objective = |planned, actual, uncommitted| Objective {
            increment_id: Some(increment),
            planned_value: planned,
            actual_value: actual,
            uncommitted,
            ..Objective::titled("Objective")
        };
        let objectives = [
            objective(Some(10), Some(8), false),
            objective(Some(8), Some(8), false),
            objective(Some(5), Some(4), true),
            objective(Some(6), None, false),
            Objective { increment_id: Some(IncrementId(4)), ..objective(Some(10), Some(0), false) },
            Objective { increment_id: None, ..objective(Some(10), Some(0), false) },
        ];
        let measure = Predictability::of(&objectives, increment);
        assert_eq!(
            measure,
            Predictability { objectives: 4, uncommitted: 1, planned: 24, actual: 20, unscored: 1, unplanned: 0 }
        );
        assert_eq!(measure.percent().map(f64::round), Some(83.0));
        assert_eq!(
            measure.words(),
            "So far, achieved 20 of 24 planned business value: 83% (SAFe aims for 80 to 100%). 1 objective is not scored yet."
        );
        assert_eq!(
            Predictability::of(&objectives, IncrementId(9)).words(),
            "No objectives are set for this increment yet."
        );
        let unplanned = [objective(None, None, false), objective(None, None, false)];
        assert_eq!(
            Predictability::of(&unplanned, increment).words(),
            "No committed objective has a planned business value yet. 2 objectives have no planned value."
        );
        let running = [objective(Some(9), None, false), objective(Some(8), None, false)];
        assert_eq!(
            Predictability::of(&running, increment).words(),
            "Planned business value 17 (committed objectives). None is scored yet: the business owners score them at the increment's end."
        );
    }

    #[test]
    fn business_values_outside_safe_scales_are_refused() {
        let mut objective = Objective { increment_id: Some(IncrementId(1)), ..Objective::titled("Checkout") };
        objective.planned_value = Some(11);
        assert!(objective.validate().is_err());
        objective.planned_value = Some(0);
        assert!(objective.validate().is_err(), "planned value starts at 1");
        objective.planned_value = Some(1);
        objective.actual_value = Some(0);
        assert!(objective.validate().is_ok(), "nothing achieved is a score");
        objective.actual_value = Some(11);
        assert!(objective.validate().is_err());
    }

    #[test]
    fn a_lower_is_better_key_result_over_its_target_is_not_a_full_bar() {
        let mut time = KeyResult {
            title: "Checkout time".into(),
            current_value: 190.0,
            target_value: 120.0,
            unit: "s".into(),
            lower_is_better: true,
        };
        assert!(time.progress() < 0.5, "{}", time.progress());
        assert_eq!(time.describe(), "Checkout time: 190 s, target at most 120 s (70 s over)");
        time.current_value = 110.0;
        assert!((time.progress() - 1.0).abs() < f64::EPSILON);
        time.lower_is_better = false;
        assert!(time.progress() < 1.0);
    }

    #[test]
    fn a_key_result_reads_its_numbers_rounded_and_grouped() {
        let mut share = KeyResult {
            title: "Conversion".into(),
            current_value: 4.1,
            target_value: 3.8,
            unit: "%".into(),
            lower_is_better: true,
        };
        // 4.1 − 3.8 is 0.2999999999999998 in floating point.
        assert_eq!(share.describe(), "Conversion: 4.1%, target at most 3.8% (0.3% over)");
        share.lower_is_better = false;
        share.current_value = 1_250_000.0;
        share.target_value = 2_000_000.0;
        share.unit = String::new();
        assert_eq!(share.describe(), "Conversion: 1,250,000 of 2,000,000 (on the way)");
    }
    use jiff::civil::date;

    #[test]
    fn colours_round_trip_through_hex() {
        let colour = Colour([0x33, 0x66, 0xcc]);
        assert_eq!(Colour::from_hex(&colour.to_hex()), Some(colour));
        assert_eq!(Colour::from_hex("336699"), None);
        assert_eq!(Colour::from_hex("#33669g"), None);
    }

    #[test]
    fn an_epic_ending_before_it_starts_is_refused() {
        let epic = Epic {
            epic_id: EpicId(1),
            title: "Checkout".into(),
            description: String::new(),
            colour: Colour([0, 0, 0]),
            start_date: date(2026, 3, 1),
            end_date: date(2026, 2, 1),
            objective_id: None,
            depends_on: Vec::new(),
        };
        let message = epic.validate().err().map(|error| error.to_string()).unwrap_or_default();
        assert!(message.contains("before it starts"), "{message}");
    }

    fn epic(id: i64, start: Date, end: Date, after: &[i64]) -> Epic {
        Epic {
            epic_id: EpicId(id),
            title: format!("E{id}"),
            description: String::new(),
            colour: Colour([0, 0, 0]),
            start_date: start,
            end_date: end,
            objective_id: None,
            depends_on: after.iter().copied().map(EpicId).collect(),
        }
    }

    #[test]
    fn a_dependency_is_broken_when_the_later_epic_starts_on_or_before_the_end() {
        let epics = vec![
            epic(1, date(2026, 1, 1), date(2026, 1, 31), &[]),
            epic(2, date(2026, 2, 1), date(2026, 2, 28), &[1]),
            epic(3, date(2026, 1, 31), date(2026, 3, 31), &[1]),
            epic(4, date(2026, 1, 10), date(2026, 3, 31), &[2, 99]),
        ];
        let conflicts = dependency_conflicts(&epics);
        let pairs: Vec<(i64, i64)> = conflicts.iter().map(|conflict| (conflict.epic.0, conflict.after.0)).collect();
        assert_eq!(
            pairs,
            vec![(3, 1), (4, 2)],
            "starting the day after is fine; same day is not; unknown ids are ignored"
        );
        assert_eq!(
            conflicts[0].message,
            "'E3' starts on 31 Jan 2026, but it should start after 'E1' ends on 31 Jan 2026."
        );
    }

    #[test]
    fn an_epic_cannot_start_after_itself() {
        let message = epic(5, date(2026, 1, 1), date(2026, 1, 2), &[5]).validate().err().map(|e| e.to_string());
        assert!(message.unwrap_or_default().contains("cannot start after itself"));
    }

    #[test]
    fn objective_progress_averages_key_results() {
        let objective = Objective {
            objective_id: ObjectiveId(1),
            key_results: vec![
                KeyResult {
                    title: "a".into(),
                    current_value: 5.0,
                    target_value: 10.0,
                    unit: String::new(),
                    lower_is_better: false,
                },
                KeyResult {
                    title: "b".into(),
                    current_value: 20.0,
                    target_value: 10.0,
                    unit: String::new(),
                    lower_is_better: false,
                },
            ],
            ..Objective::titled("Grow")
        };
        assert!((objective.progress() - 0.75).abs() < 1e-9);
    }

    #[test]
    fn the_following_sprint_takes_the_next_number_and_starts_on_the_next_weekday() {
        let sprint = Sprint {
            sprint_id: SprintId(7),
            name: "Sprint 9".into(),
            goal: "Checkout".into(),
            start_date: jiff::civil::date(2026, 11, 30),
            end_date: jiff::civil::date(2026, 12, 11),
            capacity_points: 24.0,
            started_at: Some(crate::model::Timestamp::UNIX_EPOCH),
            completed_at: None,
            carried_over_points: 3.0,
        };
        let next = sprint.following();
        assert_eq!(next.name, "Sprint 10");
        assert_eq!(
            (next.start_date, next.end_date),
            (jiff::civil::date(2026, 12, 14), jiff::civil::date(2026, 12, 25))
        );
        assert_eq!((next.capacity_points, next.goal.as_str(), next.started_at), (24.0, "", None));
        assert!(next.carried_over_points.abs() < f64::EPSILON);
        // A sprint ending on a Wednesday is followed the next day; names without a number get "(next)".
        let midweek = Sprint { name: "Hardening".into(), end_date: jiff::civil::date(2026, 12, 9), ..sprint };
        let next = midweek.following();
        assert_eq!((next.name.as_str(), next.start_date), ("Hardening (next)", jiff::civil::date(2026, 12, 10)));
        assert_eq!(next.end_date, jiff::civil::date(2026, 12, 19), "as many days long: nine");
    }
}
