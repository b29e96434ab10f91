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

/// The plan at one moment, as far as a comparison looks at it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanSnapshot {
    /// Every item, in board order.
    pub items: Vec<SnapItem>,
    /// Every epic.
    pub epics: Vec<SnapEpic>,
    /// Every KPI.
    pub metrics: Vec<SnapMetric>,
}

impl PlanSnapshot {
    /// Whether `other` is a state of the same plan: they hold at least one item with the same id and
    /// creation time, or one of them holds no items at all. Two unrelated plans share none, and
    /// comparing them by id would pair items that have nothing to do with each other.
    #[must_use]
    pub fn shares_history_with(&self, other: &Self) -> bool {
        if self.items.is_empty() || other.items.is_empty() {
            return true;
        }
        let mine: HashMap<i64, &str> = self.items.iter().map(|item| (item.item_id, item.created_at.as_str())).collect();
        other.items.iter().any(|item| mine.get(&item.item_id) == Some(&item.created_at.as_str()))
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
}

impl DifferenceKind {
    /// Every kind, in the order the change list shows them.
    pub const ALL: [Self; 9] = [
        Self::Added,
        Self::Removed,
        Self::Moved,
        Self::Reordered,
        Self::Reestimated,
        Self::Replanned,
        Self::Renamed,
        Self::EpicDates,
        Self::KpiSamples,
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
            Self::Removed | Self::EpicDates | Self::KpiSamples => None,
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
    }
}
