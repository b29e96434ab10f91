//! Comparing the plan with an earlier state of it (a baseline) or with a copy of it: which items were
//! added, removed, moved, re-estimated or re-planned, which epics changed dates, which KPIs got new
//! samples. Pure: both sides are [`PlanSnapshot`]s, read from the file by the store.

use std::collections::HashMap;

/// What a comparison needs of one item, with the names of its column, epic and sprint as they were.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapItem {
    /// The item's id.
    pub item_id: i64,
    /// When it was created: with the id, what tells that two files hold the same item.
    pub created_at: String,
    /// Its title.
    pub title: String,
    /// Its column.
    pub column_id: i64,
    /// The column's name.
    pub column_name: String,
    /// Its place in the column, from 1.
    pub position: i64,
    /// Its estimate.
    pub points: Option<f64>,
    /// Its epic (the lane of the board's swimlanes).
    pub epic_id: Option<i64>,
    /// The epic's title.
    pub epic_title: Option<String>,
    /// Its sprint.
    pub sprint_id: Option<i64>,
    /// The sprint's name.
    pub sprint_name: Option<String>,
}

/// What a comparison needs of one epic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapEpic {
    /// The epic's id.
    pub epic_id: i64,
    /// Its title.
    pub title: String,
    /// Its first day (ISO date).
    pub start_date: String,
    /// Its last day (ISO date).
    pub end_date: String,
}

/// What a comparison needs of one KPI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapMetric {
    /// The KPI's id.
    pub metric_id: i64,
    /// Its name.
    pub name: String,
    /// How many samples it had.
    pub samples: i64,
    /// The date of its latest sample.
    pub last_date: Option<String>,
}

/// What a comparison needs of one objective: its increment and business values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapObjective {
    /// The objective's id.
    pub objective_id: i64,
    /// Its title.
    pub title: String,
    /// The program increment it was set for.
    pub increment_id: Option<i64>,
    /// The increment's name.
    pub increment_name: Option<String>,
    /// The business value planned for it (1 to 10).
    pub planned_value: Option<i64>,
    /// The business value it achieved (0 to 10).
    pub actual_value: Option<i64>,
    /// Whether it is a stretch objective.
    pub uncommitted: bool,
}

/// What a comparison needs of one persona.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapPersona {
    /// The persona's id.
    pub persona_id: i64,
    /// Their name.
    pub name: String,
}

/// What a comparison needs of one insight of UX research.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapInsight {
    /// The insight's id.
    pub insight_id: i64,
    /// Its title.
    pub title: String,
    /// Its kind's stored code ("usability").
    pub kind: String,
    /// The persona it is about.
    pub persona_id: Option<i64>,
    /// The persona's name.
    pub persona_name: Option<String>,
    /// How many items answer it.
    pub answered_by: i64,
}

/// The objectives and the UX research of a plan.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectivesAndResearch {
    /// Every objective.
    pub objectives: Vec<SnapObjective>,
    /// Every persona.
    pub personas: Vec<SnapPersona>,
    /// Every insight.
    pub insights: Vec<SnapInsight>,
}

/// The plan at one moment, as far as a comparison looks at it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanSnapshot {
    /// Every item, in board order.
    pub items: Vec<SnapItem>,
    /// Every epic.
    pub epics: Vec<SnapEpic>,
    /// Every KPI.
    pub metrics: Vec<SnapMetric>,
    /// The objectives and research; `None` for a baseline saved before baselines kept them (format 17
    /// and earlier), which a comparison then leaves out instead of calling them all new.
    pub objectives_and_research: Option<ObjectivesAndResearch>,
}

impl PlanSnapshot {
    /// Whether `other` is a state of the same plan: they hold at least one item with the same id and
    /// creation time, and no id names items created at different times; or one of them holds no items
    /// at all. Two unrelated plans share none, and comparing them by id would pair items that have
    /// nothing to do with each other. An item's id and creation time never change, so copies of one
    /// plan never disagree on them; a workspace that an older Tandem made by importing this one's export
    /// numbered its items from 1 again, and some took each other's numbers.
    #[must_use]
    pub fn shares_history_with(&self, other: &Self) -> bool {
        if self.items.is_empty() || other.items.is_empty() {
            return true;
        }
        let mine: HashMap<i64, &str> = self.items.iter().map(|item| (item.item_id, item.created_at.as_str())).collect();
        let mut shared = false;
        for item in &other.items {
            match mine.get(&item.item_id) {
                Some(created) if *created == item.created_at.as_str() => shared = true,
                Some(_) => return false,
                None => {}
            }
        }
        shared
    }
}

/// What kind of difference an entry is; the change list filters on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DifferenceKind {
    /// An item that was not there before.
    Added,
    /// An item that is gone.
    Removed,
    /// An item in another column.
    Moved,
    /// An item at another place in the same column.
    Reordered,
    /// An item with another estimate.
    Reestimated,
    /// An item in another sprint or epic (the epic is its swimlane).
    Replanned,
    /// An item with another title.
    Renamed,
    /// An epic added, removed or with other dates.
    EpicDates,
    /// A KPI with new samples.
    KpiSamples,
    /// An objective added, removed, renamed, moved to another increment, or with other business values.
    Objectives,
    /// A persona or an insight of UX research added, removed or changed, or answered by other items.
    Research,
}

impl DifferenceKind {
    /// Every kind, in the order the change list shows them.
    pub const ALL: [Self; 11] = [
        Self::Added,
        Self::Removed,
        Self::Moved,
        Self::Reordered,
        Self::Reestimated,
        Self::Replanned,
        Self::Renamed,
        Self::EpicDates,
        Self::KpiSamples,
        Self::Objectives,
        Self::Research,
    ];

    /// The word a card's marker shows ("moved"); `None` for what has no card on the board.
    #[must_use]
    pub fn marker(self) -> Option<&'static str> {
        match self {
            Self::Added => Some("new"),
            Self::Moved => Some("moved"),
            Self::Reordered => Some("reordered"),
            Self::Reestimated => Some("re-estimated"),
            Self::Replanned => Some("re-planned"),
            Self::Renamed => Some("renamed"),
            Self::Removed | Self::EpicDates | Self::KpiSamples | Self::Objectives | Self::Research => None,
        }
    }

    /// The kind in words, for filters and headings.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "Added",
            Self::Removed => "Removed",
            Self::Moved => "Moved to another column",
            Self::Reordered => "Reordered",
            Self::Reestimated => "Re-estimated",
            Self::Replanned => "Re-planned",
            Self::Renamed => "Renamed",
            Self::EpicDates => "Epic dates",
            Self::KpiSamples => "KPI samples",
            Self::Objectives => "Objectives",
            Self::Research => "UX research",
        }
    }
}

/// What an entry is about, so the app can jump to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// An item (it may no longer exist).
    Item(i64),
    /// An epic.
    Epic(i64),
    /// A KPI.
    Metric(i64),
    /// An objective.
    Objective(i64),
    /// A persona.
    Persona(i64),
    /// An insight.
    Insight(i64),
}

/// One difference, said in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// What kind it is.
    pub kind: DifferenceKind,
    /// What it is about.
    pub subject: Subject,
    /// The sentence ("Moved 'Pay by card' from Ready to In progress.").
    pub text: String,
}

/// The differences from `before` to `after`, items first in the after-plan's board order, then the
/// removed items, epics and KPIs. An item moved within its column is reported only when it changed
/// place against the others (the fewest items whose moves explain the new order), not because
/// something above it came or went.
#[must_use]
pub fn compare(before: &PlanSnapshot, after: &PlanSnapshot) -> Vec<Difference> {
    let mut out = Vec::new();
    let old: HashMap<i64, &SnapItem> = before.items.iter().map(|item| (item.item_id, item)).collect();
    let reordered = reordered_items(before, after);
    for item in &after.items {
        let Some(was) = old.get(&item.item_id) else {
            out.push(item_difference(
                DifferenceKind::Added,
                item,
                format!("Added '{}' in {}.", item.title, item.column_name),
            ));
            continue;
        };
        item_changes(was, item, reordered.contains(&item.item_id), &mut out);
    }
    let now: HashMap<i64, &SnapItem> = after.items.iter().map(|item| (item.item_id, item)).collect();
    for item in before.items.iter().filter(|item| !now.contains_key(&item.item_id)) {
        out.push(item_difference(
            DifferenceKind::Removed,
            item,
            format!("Removed '{}' (it was in {}).", item.title, item.column_name),
        ));
    }
    epic_changes(before, after, &mut out);
    metric_changes(before, after, &mut out);
    if let (Some(before), Some(after)) = (&before.objectives_and_research, &after.objectives_and_research) {
        objective_changes(&before.objectives, &after.objectives, &mut out);
        persona_changes(&before.personas, &after.personas, &mut out);
        insight_changes(&before.insights, &after.insights, &mut out);
    }
    out
}

fn item_difference(kind: DifferenceKind, item: &SnapItem, text: String) -> Difference {
    Difference { kind, subject: Subject::Item(item.item_id), text }
}

/// What changed about one item that is in both.
fn item_changes(was: &SnapItem, item: &SnapItem, reordered: bool, out: &mut Vec<Difference>) {
    let title = &item.title;
    if was.title != item.title {
        out.push(item_difference(DifferenceKind::Renamed, item, format!("Renamed '{}' to '{title}'.", was.title)));
    }
    if was.column_id != item.column_id {
        out.push(item_difference(
            DifferenceKind::Moved,
            item,
            format!("Moved '{title}' from {} to {} (position {}).", was.column_name, item.column_name, item.position),
        ));
    } else if reordered {
        out.push(item_difference(
            DifferenceKind::Reordered,
            item,
            format!("Reordered '{title}' in {}: position {} → {}.", item.column_name, was.position, item.position),
        ));
    }
    if was.points != item.points {
        out.push(item_difference(
            DifferenceKind::Reestimated,
            item,
            format!("Re-estimated '{title}': {} → {}.", points(was.points), points(item.points)),
        ));
    }
    if was.sprint_id != item.sprint_id {
        out.push(item_difference(
            DifferenceKind::Replanned,
            item,
            format!(
                "Re-planned '{title}': {} → {}.",
                named("sprint", was.sprint_name.as_deref()),
                named("sprint", item.sprint_name.as_deref())
            ),
        ));
    }
    if was.epic_id != item.epic_id {
        out.push(item_difference(
            DifferenceKind::Replanned,
            item,
            format!(
                "Moved '{title}' to another epic: {} → {}.",
                named("epic", was.epic_title.as_deref()),
                named("epic", item.epic_title.as_deref())
            ),
        ));
    }
}

/// Items that stayed in their column but changed place against the others there: per column, those
/// outside the longest run of items that kept their relative order.
fn reordered_items(before: &PlanSnapshot, after: &PlanSnapshot) -> std::collections::HashSet<i64> {
    let old: HashMap<i64, &SnapItem> = before.items.iter().map(|item| (item.item_id, item)).collect();
    let mut by_column: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for item in &after.items {
        if let Some(was) = old.get(&item.item_id).filter(|was| was.column_id == item.column_id) {
            by_column.entry(item.column_id).or_default().push((item.position, was.position));
        }
    }
    let ids: HashMap<(i64, i64), i64> =
        after.items.iter().map(|item| ((item.column_id, item.position), item.item_id)).collect();
    let mut moved = std::collections::HashSet::new();
    for (column_id, mut pairs) in by_column {
        pairs.sort_unstable();
        let kept = longest_increasing(&pairs.iter().map(|(_, was)| *was).collect::<Vec<_>>());
        for (index, (position, _)) in pairs.iter().enumerate() {
            if !kept.contains(&index)
                && let Some(id) = ids.get(&(column_id, *position))
            {
                moved.insert(*id);
            }
        }
    }
    moved
}

/// The indices of one longest strictly increasing subsequence of `values` (patience sorting,
/// O(n log n)).
fn longest_increasing(values: &[i64]) -> std::collections::HashSet<usize> {
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (index, value) in values.iter().enumerate() {
        let at = tails.partition_point(|&tail| values[tail] < *value);
        previous[index] = at.checked_sub(1).map(|before| tails[before]);
        if at == tails.len() {
            tails.push(index);
        } else {
            tails[at] = index;
        }
    }
    let mut kept = std::collections::HashSet::new();
    let mut next = tails.last().copied();
    while let Some(index) = next {
        kept.insert(index);
        next = previous[index];
    }
    kept
}

fn epic_changes(before: &PlanSnapshot, after: &PlanSnapshot, out: &mut Vec<Difference>) {
    let old: HashMap<i64, &SnapEpic> = before.epics.iter().map(|epic| (epic.epic_id, epic)).collect();
    let now: HashMap<i64, &SnapEpic> = after.epics.iter().map(|epic| (epic.epic_id, epic)).collect();
    for epic in &after.epics {
        let subject = Subject::Epic(epic.epic_id);
        let text = match old.get(&epic.epic_id) {
            None => format!("Added the epic '{}', {} – {}.", epic.title, epic.start_date, epic.end_date),
            Some(was) if (&was.start_date, &was.end_date) != (&epic.start_date, &epic.end_date) => format!(
                "The epic '{}' now runs {} – {} (it ran {} – {}).",
                epic.title, epic.start_date, epic.end_date, was.start_date, was.end_date
            ),
            Some(_) => continue,
        };
        out.push(Difference { kind: DifferenceKind::EpicDates, subject, text });
    }
    for epic in before.epics.iter().filter(|epic| !now.contains_key(&epic.epic_id)) {
        out.push(Difference {
            kind: DifferenceKind::EpicDates,
            subject: Subject::Epic(epic.epic_id),
            text: format!("Removed the epic '{}' (it ran {} – {}).", epic.title, epic.start_date, epic.end_date),
        });
    }
}

fn metric_changes(before: &PlanSnapshot, after: &PlanSnapshot, out: &mut Vec<Difference>) {
    let old: HashMap<i64, &SnapMetric> = before.metrics.iter().map(|metric| (metric.metric_id, metric)).collect();
    for metric in &after.metrics {
        let (samples, last) =
            old.get(&metric.metric_id).map_or((0, None), |was| (was.samples, was.last_date.as_deref()));
        if metric.samples != samples || metric.last_date.as_deref() != last {
            let added = metric.samples - samples;
            let text = match (added, metric.last_date.as_deref()) {
                (1, Some(latest)) => format!("The KPI '{}' has a new sample (latest {latest}).", metric.name),
                (more, Some(latest)) if more > 1 => {
                    format!("The KPI '{}' has {more} new samples (latest {latest}).", metric.name)
                }
                (_, Some(latest)) => format!(
                    "The KPI '{}' has {} samples, {} before (latest {latest}).",
                    metric.name, metric.samples, samples
                ),
                (_, None) => format!("The KPI '{}' has no samples any more ({samples} before).", metric.name),
            };
            out.push(Difference { kind: DifferenceKind::KpiSamples, subject: Subject::Metric(metric.metric_id), text });
        }
    }
}

fn objective_changes(before: &[SnapObjective], after: &[SnapObjective], out: &mut Vec<Difference>) {
    let old: HashMap<i64, &SnapObjective> =
        before.iter().map(|objective| (objective.objective_id, objective)).collect();
    let mut say = |objective: &SnapObjective, text: String| {
        out.push(Difference {
            kind: DifferenceKind::Objectives,
            subject: Subject::Objective(objective.objective_id),
            text,
        });
    };
    for objective in after {
        let title = &objective.title;
        let Some(was) = old.get(&objective.objective_id) else {
            say(objective, format!("Added the objective '{title}' ({}).", objective_terms(objective)));
            continue;
        };
        if was.title != objective.title {
            say(objective, format!("Renamed the objective '{}' to '{title}'.", was.title));
        }
        // By id: an increment renamed is not an objective moved.
        if was.increment_id != objective.increment_id {
            say(
                objective,
                format!(
                    "Moved the objective '{title}' from {} to {}.",
                    increment(was.increment_name.as_deref()),
                    increment(objective.increment_name.as_deref())
                ),
            );
        }
        if was.uncommitted != objective.uncommitted {
            let now = if objective.uncommitted { "uncommitted (a stretch objective)" } else { "committed" };
            say(objective, format!("The objective '{title}' is now {now}."));
        }
        if was.planned_value != objective.planned_value {
            say(
                objective,
                format!(
                    "The objective '{title}' has {} planned (it had {}).",
                    value(objective.planned_value),
                    value(was.planned_value)
                ),
            );
        }
        if was.actual_value != objective.actual_value {
            let text = match (objective.actual_value, objective.planned_value) {
                (Some(actual), Some(planned)) => format!(
                    "The objective '{title}' achieved business value {actual} of {planned} planned (it had {}).",
                    value(was.actual_value)
                ),
                (Some(actual), None) => format!(
                    "The objective '{title}' achieved business value {actual} (it had {}).",
                    value(was.actual_value)
                ),
                (None, _) => {
                    format!(
                        "The objective '{title}' has no achieved value any more (it had {}).",
                        value(was.actual_value)
                    )
                }
            };
            say(objective, text);
        }
    }
    let now: HashMap<i64, &SnapObjective> = after.iter().map(|objective| (objective.objective_id, objective)).collect();
    for objective in before.iter().filter(|objective| !now.contains_key(&objective.objective_id)) {
        say(objective, format!("Removed the objective '{}' ({}).", objective.title, objective_terms(objective)));
    }
}

/// An objective's increment, commitment and planned value in words: "PI 4, committed, business value 8
/// planned".
fn objective_terms(objective: &SnapObjective) -> String {
    let commitment = if objective.uncommitted { "uncommitted" } else { "committed" };
    match objective.increment_name.as_deref() {
        Some(name) => format!("{name}, {commitment}, {} planned", value(objective.planned_value)),
        None => format!("no program increment, {} planned", value(objective.planned_value)),
    }
}

fn increment(name: Option<&str>) -> String {
    name.map_or_else(|| "no program increment".to_owned(), ToOwned::to_owned)
}

fn value(value: Option<i64>) -> String {
    value.map_or_else(|| "no business value".to_owned(), |value| format!("business value {value}"))
}

fn persona_changes(before: &[SnapPersona], after: &[SnapPersona], out: &mut Vec<Difference>) {
    let old: HashMap<i64, &SnapPersona> = before.iter().map(|persona| (persona.persona_id, persona)).collect();
    let mut say = |persona: &SnapPersona, text: String| {
        out.push(Difference { kind: DifferenceKind::Research, subject: Subject::Persona(persona.persona_id), text });
    };
    for persona in after {
        match old.get(&persona.persona_id) {
            None => say(persona, format!("Added the persona '{}'.", persona.name)),
            Some(was) if was.name != persona.name => {
                say(persona, format!("Renamed the persona '{}' to '{}'.", was.name, persona.name));
            }
            Some(_) => {}
        }
    }
    let now: HashMap<i64, &SnapPersona> = after.iter().map(|persona| (persona.persona_id, persona)).collect();
    for persona in before.iter().filter(|persona| !now.contains_key(&persona.persona_id)) {
        say(persona, format!("Removed the persona '{}'.", persona.name));
    }
}

fn insight_changes(before: &[SnapInsight], after: &[SnapInsight], out: &mut Vec<Difference>) {
    let old: HashMap<i64, &SnapInsight> = before.iter().map(|insight| (insight.insight_id, insight)).collect();
    let mut say = |insight: &SnapInsight, text: String| {
        out.push(Difference { kind: DifferenceKind::Research, subject: Subject::Insight(insight.insight_id), text });
    };
    for insight in after {
        let title = &insight.title;
        let Some(was) = old.get(&insight.insight_id) else {
            say(insight, format!("Added the insight '{title}' ({}).", insight_terms(insight)));
            continue;
        };
        if was.title != insight.title {
            say(insight, format!("Renamed the insight '{}' to '{title}'.", was.title));
        }
        if was.kind != insight.kind {
            say(
                insight,
                format!(
                    "The insight '{title}' changed kind: {} → {}.",
                    kind_words(&was.kind),
                    kind_words(&insight.kind)
                ),
            );
        }
        // By id: a persona renamed is said once, on the persona.
        if was.persona_id != insight.persona_id {
            say(
                insight,
                format!(
                    "The insight '{title}' is now about {} (it was about {}).",
                    about(insight.persona_name.as_deref()),
                    about(was.persona_name.as_deref())
                ),
            );
        }
        if was.answered_by != insight.answered_by {
            say(
                insight,
                format!(
                    "The insight '{title}' is now answered by {} ({} before).",
                    items(insight.answered_by),
                    was.answered_by
                ),
            );
        }
    }
    let now: HashMap<i64, &SnapInsight> = after.iter().map(|insight| (insight.insight_id, insight)).collect();
    for insight in before.iter().filter(|insight| !now.contains_key(&insight.insight_id)) {
        say(insight, format!("Removed the insight '{}' ({}).", insight.title, insight_terms(insight)));
    }
}

/// An insight's kind, persona and answers in words: "usability test, about Priya, answered by 2 items".
fn insight_terms(insight: &SnapInsight) -> String {
    let answered = match insight.answered_by {
        0 => "answered by no item".to_owned(),
        count => format!("answered by {}", items(count)),
    };
    format!("{}, about {}, {answered}", kind_words(&insight.kind), about(insight.persona_name.as_deref()))
}

fn items(count: i64) -> String {
    if count == 1 { "1 item".to_owned() } else { format!("{count} items") }
}

fn kind_words(code: &str) -> String {
    crate::model::InsightKind::from_code(code).map_or_else(|| code.to_owned(), |kind| kind.label().to_lowercase())
}

fn about(persona: Option<&str>) -> String {
    persona.map_or_else(|| "no persona".to_owned(), ToOwned::to_owned)
}

fn points(points: Option<f64>) -> String {
    match points {
        Some(points) if (points - 1.0).abs() < f64::EPSILON => "1 point".to_owned(),
        Some(points) => format!("{points} points"),
        None => "no estimate".to_owned(),
    }
}

fn named(what: &str, name: Option<&str>) -> String {
    name.map_or_else(|| format!("no {what}"), |name| format!("{what} '{name}'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(item_id: i64, column: i64, position: i64) -> SnapItem {
        SnapItem {
            item_id,
            created_at: format!("2026-01-0{item_id}T00:00:00Z"),
            title: format!("Item {item_id}"),
            column_id: column,
            column_name: format!("Column {column}"),
            position,
            points: None,
            epic_id: None,
            epic_title: None,
            sprint_id: None,
            sprint_name: None,
        }
    }

    #[test]
    fn one_card_moved_up_is_the_only_reordered_one() {
        let before = PlanSnapshot { items: (1..=5).map(|id| item(id, 1, id)).collect(), ..PlanSnapshot::default() };
        // 5 moves to the top: 5 1 2 3 4.
        let order = [5, 1, 2, 3, 4];
        let after = PlanSnapshot {
            items: order.iter().zip(1..).map(|(id, position)| item(*id, 1, position)).collect(),
            ..PlanSnapshot::default()
        };
        let differences = compare(&before, &after);
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert_eq!(differences[0].subject, Subject::Item(5));
        assert_eq!(differences[0].text, "Reordered 'Item 5' in Column 1: position 5 → 1.");
    }

    #[test]
    fn an_item_removed_above_others_does_not_reorder_them() {
        let before = PlanSnapshot { items: (1..=4).map(|id| item(id, 1, id)).collect(), ..PlanSnapshot::default() };
        let after = PlanSnapshot { items: (2..=4).map(|id| item(id, 1, id - 1)).collect(), ..PlanSnapshot::default() };
        let differences = compare(&before, &after);
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert_eq!(differences[0].kind, DifferenceKind::Removed);
    }

    #[test]
    fn moves_estimates_and_plans_are_each_said() {
        let before = PlanSnapshot { items: vec![item(1, 1, 1)], ..PlanSnapshot::default() };
        let mut moved = item(1, 2, 1);
        moved.column_name = "Ready".to_owned();
        moved.points = Some(3.0);
        moved.sprint_id = Some(7);
        moved.sprint_name = Some("Sprint 22".to_owned());
        let after = PlanSnapshot { items: vec![moved, item(2, 1, 1)], ..PlanSnapshot::default() };
        let texts: Vec<_> = compare(&before, &after).into_iter().map(|difference| difference.text).collect();
        assert_eq!(
            texts,
            [
                "Moved 'Item 1' from Column 1 to Ready (position 1).",
                "Re-estimated 'Item 1': no estimate → 3 points.",
                "Re-planned 'Item 1': no sprint → sprint 'Sprint 22'.",
                "Added 'Item 2' in Column 1.",
            ]
        );
        assert!(before.shares_history_with(&after));
        let stranger = PlanSnapshot {
            items: vec![SnapItem { created_at: "other".to_owned(), ..item(1, 1, 1) }],
            ..PlanSnapshot::default()
        };
        assert!(!stranger.shares_history_with(&after));
        // One item alike is not enough when another number names an item created at another time.
        let renumbered = PlanSnapshot {
            items: vec![item(1, 1, 1), SnapItem { created_at: "other".to_owned(), ..item(2, 1, 1) }],
            ..PlanSnapshot::default()
        };
        assert!(!renumbered.shares_history_with(&after));
        assert!(!after.shares_history_with(&renumbered));
    }

    fn objective(objective_id: i64, title: &str) -> SnapObjective {
        SnapObjective {
            objective_id,
            title: title.to_owned(),
            increment_id: Some(4),
            increment_name: Some("PI 4".to_owned()),
            planned_value: Some(8),
            actual_value: None,
            uncommitted: false,
        }
    }

    fn insight(insight_id: i64, title: &str, answered_by: i64) -> SnapInsight {
        SnapInsight {
            insight_id,
            title: title.to_owned(),
            kind: "usability".to_owned(),
            persona_id: Some(1),
            persona_name: Some("Priya".to_owned()),
            answered_by,
        }
    }

    fn with(objectives: Vec<SnapObjective>, personas: Vec<SnapPersona>, insights: Vec<SnapInsight>) -> PlanSnapshot {
        PlanSnapshot {
            objectives_and_research: Some(ObjectivesAndResearch { objectives, personas, insights }),
            ..PlanSnapshot::default()
        }
    }

    #[test]
    fn objectives_changes_are_each_said_with_their_business_values() {
        let before = with(vec![objective(1, "Faster checkout"), objective(2, "Dropped")], Vec::new(), Vec::new());
        let mut scored = objective(1, "Checkout in one minute");
        scored.increment_id = Some(5);
        scored.increment_name = Some("PI 5".to_owned());
        scored.uncommitted = true;
        scored.planned_value = Some(5);
        scored.actual_value = Some(4);
        let mut added = objective(3, "Accessible forms");
        added.increment_id = None;
        added.increment_name = None;
        let after = with(vec![scored, added], Vec::new(), Vec::new());
        let differences = compare(&before, &after);
        assert!(differences.iter().all(|difference| difference.kind == DifferenceKind::Objectives));
        let texts: Vec<_> = differences.iter().map(|difference| difference.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Renamed the objective 'Faster checkout' to 'Checkout in one minute'.",
                "Moved the objective 'Checkout in one minute' from PI 4 to PI 5.",
                "The objective 'Checkout in one minute' is now uncommitted (a stretch objective).",
                "The objective 'Checkout in one minute' has business value 5 planned (it had business value 8).",
                "The objective 'Checkout in one minute' achieved business value 4 of 5 planned (it had no business \
                 value).",
                "Added the objective 'Accessible forms' (no program increment, business value 8 planned).",
                "Removed the objective 'Dropped' (PI 4, committed, business value 8 planned).",
            ]
        );
        assert_eq!(differences[0].subject, Subject::Objective(1));
        assert_eq!(differences[6].subject, Subject::Objective(2));
    }

    #[test]
    fn research_changes_say_personas_insights_and_the_items_answering_them() {
        let priya = SnapPersona { persona_id: 1, name: "Priya".to_owned() };
        let before = with(
            Vec::new(),
            vec![priya.clone(), SnapPersona { persona_id: 2, name: "Omar".to_owned() }],
            vec![insight(1, "Card form is confusing", 1), insight(2, "Old finding", 0)],
        );
        let mut changed = insight(1, "Card form is confusing", 3);
        changed.kind = "feedback".to_owned();
        changed.persona_id = None;
        changed.persona_name = None;
        let after = with(
            Vec::new(),
            vec![SnapPersona { persona_id: 1, name: "Priya, busy parent".to_owned() }],
            vec![changed, insight(3, "Dark mode wanted", 1)],
        );
        let differences = compare(&before, &after);
        assert!(differences.iter().all(|difference| difference.kind == DifferenceKind::Research));
        let texts: Vec<_> = differences.iter().map(|difference| difference.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Renamed the persona 'Priya' to 'Priya, busy parent'.",
                "Removed the persona 'Omar'.",
                "The insight 'Card form is confusing' changed kind: usability test → customer feedback.",
                "The insight 'Card form is confusing' is now about no persona (it was about Priya).",
                "The insight 'Card form is confusing' is now answered by 3 items (1 before).",
                "Added the insight 'Dark mode wanted' (usability test, about Priya, answered by 1 item).",
                "Removed the insight 'Old finding' (usability test, about Priya, answered by no item).",
            ]
        );
        assert_eq!(differences[1].subject, Subject::Persona(2));
        assert_eq!(differences[4].subject, Subject::Insight(1));
        assert!(compare(&before, &before).is_empty());
    }

    #[test]
    fn a_persona_or_increment_renamed_is_said_once_not_on_everything_that_names_it() {
        let before = with(
            vec![objective(1, "Faster checkout")],
            vec![SnapPersona { persona_id: 1, name: "Priya".to_owned() }],
            vec![insight(1, "Card form is confusing", 1)],
        );
        let mut objective = objective(1, "Faster checkout");
        objective.increment_name = Some("PI 4 (renamed)".to_owned());
        let mut insight = insight(1, "Card form is confusing", 1);
        insight.persona_name = Some("Priya, busy parent".to_owned());
        let after = with(
            vec![objective],
            vec![SnapPersona { persona_id: 1, name: "Priya, busy parent".to_owned() }],
            vec![insight],
        );
        let texts: Vec<_> = compare(&before, &after).into_iter().map(|difference| difference.text).collect();
        assert_eq!(texts, ["Renamed the persona 'Priya' to 'Priya, busy parent'."]);
    }

    #[test]
    fn a_side_without_objectives_and_research_leaves_them_out_instead_of_calling_them_new() {
        let after = with(vec![objective(1, "Faster checkout")], Vec::new(), vec![insight(1, "Finding", 2)]);
        assert!(compare(&PlanSnapshot::default(), &after).is_empty());
        assert!(compare(&after, &PlanSnapshot::default()).is_empty());
        assert_eq!(compare(&with(Vec::new(), Vec::new(), Vec::new()), &after).len(), 2);
    }
}
