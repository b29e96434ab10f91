//! Three-way merges of records edited whole in a window (an epic, a sprint, an objective, a KPI): what
//! the window started from (`base`), what the user made of it (`mine`), and what the file holds now
//! (`theirs`, perhaps changed by another window or program, or by a drag in this one). A field changed
//! on one side takes that side's value; a field changed on both sides to different values keeps `mine`
//! and is named, so that the window can say so before anything newer is replaced.

use super::{Column, Epic, Metric, Objective, Product, ProgramIncrement, Release, Sprint};

/// A merge in progress: `merged` starts as `theirs` and takes `mine`'s changed fields.
pub struct ThreeWay<'a, T> {
    base: &'a T,
    mine: &'a T,
    theirs: &'a T,
    merged: T,
    conflicts: Vec<&'static str>,
}

impl<'a, T: Clone> ThreeWay<'a, T> {
    /// Starts a merge.
    #[must_use]
    pub fn new(base: &'a T, mine: &'a T, theirs: &'a T) -> Self {
        Self { base, mine, theirs, merged: theirs.clone(), conflicts: Vec::new() }
    }

    /// Merges one field, read by `get` and written through `get_mut`; `name` is the field in words.
    #[must_use]
    pub fn field<F: PartialEq + Clone>(
        mut self,
        name: &'static str,
        get: impl Fn(&T) -> &F,
        get_mut: impl FnOnce(&mut T) -> &mut F,
    ) -> Self {
        let (base, mine, theirs) = (get(self.base), get(self.mine), get(self.theirs));
        if mine != base {
            if theirs != base && theirs != mine {
                self.conflicts.push(name);
            }
            *get_mut(&mut self.merged) = mine.clone();
        }
        self
    }

    /// The merged record and the fields changed on both sides.
    #[must_use]
    pub fn finish(self) -> (T, Vec<&'static str>) {
        (self.merged, self.conflicts)
    }
}

/// An epic as the epic editor saves it.
#[must_use]
pub fn merge_epic(base: &Epic, mine: &Epic, theirs: &Epic) -> (Epic, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("title", |epic| &epic.title, |epic| &mut epic.title)
        .field("description", |epic| &epic.description, |epic| &mut epic.description)
        .field("colour", |epic| &epic.colour, |epic| &mut epic.colour)
        .field("start date", |epic| &epic.start_date, |epic| &mut epic.start_date)
        .field("end date", |epic| &epic.end_date, |epic| &mut epic.end_date)
        .field("objective", |epic| &epic.objective_id, |epic| &mut epic.objective_id)
        .field("dependencies", |epic| &epic.depends_on, |epic| &mut epic.depends_on)
        .finish()
}

/// A sprint as the sprint editor saves it; its start and completion are never the editor's to change.
#[must_use]
pub fn merge_sprint(base: &Sprint, mine: &Sprint, theirs: &Sprint) -> (Sprint, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("name", |sprint| &sprint.name, |sprint| &mut sprint.name)
        .field("goal", |sprint| &sprint.goal, |sprint| &mut sprint.goal)
        .field("start date", |sprint| &sprint.start_date, |sprint| &mut sprint.start_date)
        .field("end date", |sprint| &sprint.end_date, |sprint| &mut sprint.end_date)
        .field("capacity", |sprint| &sprint.capacity_points, |sprint| &mut sprint.capacity_points)
        .finish()
}

/// A column as its settings window saves it; its place on the board is never the window's to change.
#[must_use]
pub fn merge_column(base: &Column, mine: &Column, theirs: &Column) -> (Column, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("name", |column| &column.name, |column| &mut column.name)
        .field("WIP limit", |column| &column.wip_limit, |column| &mut column.wip_limit)
        .field("done flag", |column| &column.is_done, |column| &mut column.is_done)
        .finish()
}

/// A release or milestone as its window saves it.
#[must_use]
pub fn merge_release(base: &Release, mine: &Release, theirs: &Release) -> (Release, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("name", |release| &release.name, |release| &mut release.name)
        .field("date", |release| &release.date, |release| &mut release.date)
        .field("kind", |release| &release.kind, |release| &mut release.kind)
        .field("notes", |release| &release.description, |release| &mut release.description)
        .finish()
}

/// A persona as its window saves it.
#[must_use]
pub fn merge_persona(
    base: &super::Persona,
    mine: &super::Persona,
    theirs: &super::Persona,
) -> (super::Persona, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("name", |persona| &persona.name, |persona| &mut persona.name)
        .field("description", |persona| &persona.description, |persona| &mut persona.description)
        .finish()
}

/// An insight as its window saves it.
#[must_use]
pub fn merge_insight(
    base: &super::Insight,
    mine: &super::Insight,
    theirs: &super::Insight,
) -> (super::Insight, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("insight", |insight| &insight.title, |insight| &mut insight.title)
        .field("kind", |insight| &insight.kind, |insight| &mut insight.kind)
        .field("source", |insight| &insight.source, |insight| &mut insight.source)
        .field("day observed", |insight| &insight.observed_on, |insight| &mut insight.observed_on)
        .field("persona", |insight| &insight.persona_id, |insight| &mut insight.persona_id)
        .field("KPI", |insight| &insight.metric_id, |insight| &mut insight.metric_id)
        .field("evidence", |insight| &insight.detail, |insight| &mut insight.detail)
        .finish()
}

/// A program increment as its window saves it.
#[must_use]
pub fn merge_increment(
    base: &ProgramIncrement,
    mine: &ProgramIncrement,
    theirs: &ProgramIncrement,
) -> (ProgramIncrement, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("name", |increment| &increment.name, |increment| &mut increment.name)
        .field("start date", |increment| &increment.start_date, |increment| &mut increment.start_date)
        .field("end date", |increment| &increment.end_date, |increment| &mut increment.end_date)
        .finish()
}

/// The product as its window saves it.
#[must_use]
pub fn merge_product(base: &Product, mine: &Product, theirs: &Product) -> (Product, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("name", |product| &product.name, |product| &mut product.name)
        .field("vision", |product| &product.vision, |product| &mut product.vision)
        .finish()
}

/// An objective as its panel saves it.
#[must_use]
pub fn merge_objective(base: &Objective, mine: &Objective, theirs: &Objective) -> (Objective, Vec<&'static str>) {
    ThreeWay::new(base, mine, theirs)
        .field("title", |objective| &objective.title, |objective| &mut objective.title)
        .field("description", |objective| &objective.description, |objective| &mut objective.description)
        .field("key results", |objective| &objective.key_results, |objective| &mut objective.key_results)
        .field("program increment", |objective| &objective.increment_id, |objective| &mut objective.increment_id)
        .field("planned business value", |objective| &objective.planned_value, |objective| &mut objective.planned_value)
        .field("actual business value", |objective| &objective.actual_value, |objective| &mut objective.actual_value)
        .field("commitment", |objective| &objective.uncommitted, |objective| &mut objective.uncommitted)
        .finish()
}

/// A KPI as its editor saves it. Its samples merge day by day: samples imported from a CSV or typed
/// in another window meanwhile are kept beside the ones typed here; only a day whose value both
/// sides changed, differently, is named.
#[must_use]
pub fn merge_metric(base: &Metric, mine: &Metric, theirs: &Metric) -> (Metric, Vec<&'static str>) {
    let (mut merged, mut conflicts) = ThreeWay::new(base, mine, theirs)
        .field("name", |metric| &metric.name, |metric| &mut metric.name)
        .field("unit", |metric| &metric.unit, |metric| &mut metric.unit)
        .field("direction", |metric| &metric.direction, |metric| &mut metric.direction)
        .field("group", |metric| &metric.category, |metric| &mut metric.category)
        .field("target", |metric| &metric.target, |metric| &mut metric.target)
        .field("description", |metric| &metric.description, |metric| &mut metric.description)
        .field("objective", |metric| &metric.objective_id, |metric| &mut metric.objective_id)
        .finish();
    let (samples, clash) = merge_samples(&base.samples, &mine.samples, &theirs.samples);
    merged.samples = samples;
    if clash {
        conflicts.push("samples");
    }
    (merged, conflicts)
}

/// Samples merged day by day, oldest first: a day one side changed (added, removed or given another
/// value) takes that side's; a day both changed differently keeps mine and makes the merge a clash.
fn merge_samples(
    base: &[super::MetricSample],
    mine: &[super::MetricSample],
    theirs: &[super::MetricSample],
) -> (Vec<super::MetricSample>, bool) {
    use std::collections::BTreeMap;
    let by_day = |samples: &[super::MetricSample]| -> BTreeMap<super::Date, f64> {
        samples.iter().map(|sample| (sample.date, sample.value)).collect()
    };
    let (base, mine, theirs) = (by_day(base), by_day(mine), by_day(theirs));
    let days: std::collections::BTreeSet<super::Date> =
        base.keys().chain(mine.keys()).chain(theirs.keys()).copied().collect();
    let mut clash = false;
    let mut merged = Vec::with_capacity(days.len());
    for day in days {
        let (was, mine, theirs) = (base.get(&day), mine.get(&day), theirs.get(&day));
        let kept = if mine == theirs || theirs == was {
            mine
        } else if mine == was {
            theirs
        } else {
            clash = true;
            mine
        };
        if let Some(value) = kept {
            merged.push(super::MetricSample { date: day, value: *value });
        }
    }
    (merged, clash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epic() -> Epic {
        crate::model::test_epic(3, "Delivery slot planner")
    }

    #[test]
    fn a_change_on_one_side_is_kept_and_both_sides_changing_a_field_is_named() {
        let base = epic();
        let mine = Epic { description: "Mine".to_owned(), title: "Slots".to_owned(), ..base.clone() };
        let theirs = Epic {
            start_date: jiff::civil::date(2026, 1, 12),
            end_date: jiff::civil::date(2026, 2, 8),
            title: "Slot planner".to_owned(),
            ..base.clone()
        };
        let (merged, conflicts) = merge_epic(&base, &mine, &theirs);
        assert_eq!(merged.description, "Mine", "my change is kept");
        assert_eq!(merged.start_date, theirs.start_date, "their move of the bar is kept");
        assert_eq!(merged.end_date, theirs.end_date);
        assert_eq!(merged.title, "Slots", "a conflict keeps mine");
        assert_eq!(conflicts, vec!["title"]);

        // The same change on both sides is no conflict, and nothing changed is nothing to merge.
        let same = Epic { title: "Slots".to_owned(), ..base.clone() };
        assert!(merge_epic(&base, &same, &same).1.is_empty());
        assert_eq!(merge_epic(&base, &base, &theirs).0, theirs);
    }

    #[test]
    fn a_sprint_editor_never_undoes_a_start_made_meanwhile() {
        let base = Sprint {
            sprint_id: crate::model::SprintId(1),
            name: "Sprint 23".to_owned(),
            goal: String::new(),
            start_date: jiff::civil::date(2026, 1, 5),
            end_date: jiff::civil::date(2026, 1, 18),
            capacity_points: 30.0,
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        };
        let mine = Sprint { goal: "Checkout".to_owned(), ..base.clone() };
        let theirs = Sprint { started_at: Some(jiff::Timestamp::UNIX_EPOCH), ..base.clone() };
        let (merged, conflicts) = merge_sprint(&base, &mine, &theirs);
        assert!(conflicts.is_empty());
        assert_eq!(merged.goal, "Checkout");
        assert_eq!(merged.started_at, theirs.started_at);
    }

    #[test]
    fn kpi_samples_merge_day_by_day_and_only_a_day_changed_on_both_sides_clashes() {
        use crate::model::MetricSample;
        let day = |day: i8| jiff::civil::date(2026, 11, day);
        let sample = |on: i8, value: f64| MetricSample { date: day(on), value };
        let base = Metric {
            metric_id: crate::model::MetricId(4),
            name: "Net Promoter Score".to_owned(),
            unit: crate::model::MetricUnit::Score,
            direction: crate::model::Direction::HigherIsBetter,
            category: crate::model::MetricCategory::Product,
            target: Some(40.0),
            description: String::new(),
            objective_id: None,
            samples: vec![sample(1, 30.0), sample(8, 31.0), sample(15, 32.0)],
        };
        // Here: a sample typed for the 29th and the 8th corrected; elsewhere (a CSV imported
        // meanwhile): the 20th and 22nd added and the 1st taken out.
        let mine = Metric {
            samples: vec![sample(1, 30.0), sample(8, 33.0), sample(15, 32.0), sample(29, 35.0)],
            ..base.clone()
        };
        let theirs = Metric {
            samples: vec![sample(8, 31.0), sample(15, 32.0), sample(20, 34.0), sample(22, 34.5)],
            ..base.clone()
        };
        let (merged, conflicts) = merge_metric(&base, &mine, &theirs);
        assert!(conflicts.is_empty(), "{conflicts:?}");
        assert_eq!(
            merged.samples,
            vec![sample(8, 33.0), sample(15, 32.0), sample(20, 34.0), sample(22, 34.5), sample(29, 35.0)],
            "every change on either side is kept, oldest first"
        );
        // The same day given two different values clashes, and mine is what a second save keeps.
        let theirs = Metric { samples: vec![sample(1, 30.0), sample(8, 40.0), sample(15, 32.0)], ..base.clone() };
        let (merged, conflicts) = merge_metric(&base, &mine, &theirs);
        assert_eq!(conflicts, vec!["samples"]);
        assert!(merged.samples.contains(&sample(8, 33.0)));
    }
}
