//! Delivery metrics computed from the backlog and its status-change log: velocity, sprint burndown and
//! burnup, cumulative flow, and lead and cycle time.
//!
//! Everything here works on calendar days. [`DeliveryLog::new`] turns the log's instants into days once;
//! the charts then read the per-item summary ([`ItemFlow`]) or sweep the events.

use std::collections::HashMap;

use super::{
    BacklogItem, Column, ColumnId, Date, ItemId, Sprint, SprintId, StatusChange, Timestamp, add_days, days_between,
};

/// An item as the log summary needs it: id, points, sprint, current column, created day, last
/// updated day.
pub type ItemDays = (ItemId, f64, Option<SprintId>, ColumnId, Date, Date);

/// One status change, on the day it happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowEvent {
    /// The item that moved.
    pub item_id: ItemId,
    /// The day it moved.
    pub day: Date,
    /// The column it left; `None` when it was created.
    pub from_column: Option<ColumnId>,
    /// The column it entered.
    pub to_column: ColumnId,
}

/// What the log says about one item.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ItemFlow {
    /// The item.
    pub item_id: ItemId,
    /// Its estimate; unestimated items count as zero points.
    pub points: f64,
    /// The sprint it is planned in.
    pub sprint_id: Option<SprintId>,
    /// The day it was created.
    pub created: Date,
    /// The first day it entered the column where work starts (or any column after it).
    pub started: Option<Date>,
    /// The day it last entered a done column, when it is done now.
    pub done: Option<Date>,
}

/// Points committed to and finished in one sprint.
#[derive(Clone, Debug, PartialEq)]
pub struct SprintVelocity {
    /// The sprint.
    pub sprint_id: SprintId,
    /// Its name.
    pub name: String,
    /// Points of the items planned in it.
    pub committed: f64,
    /// Points of those items done by its last day.
    pub done: f64,
    /// Whether its last day has passed (only finished sprints count toward the average).
    pub finished: bool,
}

/// One day of a sprint's burndown and burnup.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SprintDay {
    /// The day.
    pub day: Date,
    /// Committed points not yet done at the end of the day.
    pub remaining: f64,
    /// Committed points done by the end of the day.
    pub done: f64,
    /// Where the ideal burndown stands at the end of the day.
    pub ideal: f64,
}

/// Item counts per column and day, for the cumulative flow diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CumulativeFlow {
    /// The first day.
    pub start: Date,
    /// Columns, left to right on the board (bottom to top of the chart is done first, backlog last).
    pub columns: Vec<ColumnId>,
    /// For each day from `start`, the number of items in each column at the end of that day.
    pub counts: Vec<Vec<u32>>,
}

/// The status-change log of a workspace, summarised per item.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryLog {
    columns: Vec<Column>,
    items: Vec<ItemFlow>,
    /// Events sorted by item, then day, in log order within a day.
    events: Vec<FlowEvent>,
    /// Each item's current column and creation day, for items the log does not cover.
    current: HashMap<ItemId, (ColumnId, Date)>,
}

/// An item as the log summary needs it, before its instants are turned into days: id, points, sprint,
/// current column, created, last updated. Small and owned, so that a worker thread can summarise a
/// large board while the window keeps drawing.
pub type ItemStamps = (ItemId, f64, Option<SprintId>, ColumnId, Timestamp, Timestamp);

impl DeliveryLog {
    /// Summarises the log. `started_column` is where work starts (cycle time is measured from there);
    /// `day_of` turns an instant into the user's calendar day.
    #[must_use]
    pub fn new<'a>(
        columns: &[Column],
        items: impl Iterator<Item = &'a BacklogItem>,
        changes: &[StatusChange],
        started_column: Option<ColumnId>,
        day_of: impl Fn(Timestamp) -> Date,
    ) -> Self {
        Self::from_stamps(columns, &Self::stamps(items), changes, started_column, day_of)
    }

    /// What [`DeliveryLog::from_stamps`] needs of each item.
    #[must_use]
    pub fn stamps<'a>(items: impl Iterator<Item = &'a BacklogItem>) -> Vec<ItemStamps> {
        items
            .map(|item| {
                (
                    item.item_id,
                    item.points.unwrap_or(0.0),
                    item.sprint_id,
                    item.column_id,
                    item.created_at,
                    item.updated_at,
                )
            })
            .collect()
    }

    /// Like [`DeliveryLog::new`], from the items' [`ItemStamps`].
    #[must_use]
    pub fn from_stamps(
        columns: &[Column],
        items: &[ItemStamps],
        changes: &[StatusChange],
        started_column: Option<ColumnId>,
        day_of: impl Fn(Timestamp) -> Date,
    ) -> Self {
        let events: Vec<FlowEvent> = changes
            .iter()
            .map(|change| FlowEvent {
                item_id: change.item_id,
                day: day_of(change.changed_at),
                from_column: change.from_column_id,
                to_column: change.to_column_id,
            })
            .collect();
        let items: Vec<ItemDays> = items
            .iter()
            .map(|&(item_id, points, sprint_id, column_id, created, updated)| {
                (item_id, points, sprint_id, column_id, day_of(created), day_of(updated))
            })
            .collect();
        Self::from_days(columns, &items, events, started_column)
    }

    /// Like [`DeliveryLog::new`] with days already worked out: `(item, points, sprint, current column,
    /// created, last updated)` per item.
    #[must_use]
    pub fn from_days(
        columns: &[Column],
        items: &[ItemDays],
        mut events: Vec<FlowEvent>,
        started_column: Option<ColumnId>,
    ) -> Self {
        let mut columns = columns.to_vec();
        columns.sort_by_key(|column| (column.position, column.column_id));
        let position_of = |column_id: ColumnId| columns.iter().position(|column| column.column_id == column_id);
        let is_done =
            |column_id: ColumnId| columns.iter().any(|column| column.column_id == column_id && column.is_done);
        let started_position = started_column.and_then(position_of).unwrap_or(usize::MAX);
        // A stable sort keeps the log's order among events of one item on one day.
        events.sort_by_key(|event| (event.item_id, event.day));
        let mut by_item: HashMap<ItemId, &[FlowEvent]> = HashMap::new();
        for chunk in events.chunk_by(|a, b| a.item_id == b.item_id) {
            if let Some(first) = chunk.first() {
                by_item.insert(first.item_id, chunk);
            }
        }
        let mut flows = Vec::with_capacity(items.len());
        let mut current = HashMap::with_capacity(items.len());
        for &(item_id, points, sprint_id, column_id, created_day, updated_day) in items {
            let log = by_item.get(&item_id).copied().unwrap_or(&[]);
            let created = log.first().map_or(created_day, |event| event.day.min(created_day));
            let started = log
                .iter()
                .find(|event| position_of(event.to_column).is_some_and(|position| position >= started_position))
                .map(|event| event.day);
            let done = if is_done(column_id) {
                // The last time it entered a done column; an imported item with no such entry was
                // done when it was last changed.
                let entered = log.iter().rev().find(|event| is_done(event.to_column)).map(|event| event.day);
                Some(entered.unwrap_or(updated_day))
            } else {
                None
            };
            let started = match (started, done) {
                (Some(started), _) => Some(started),
                (None, Some(done)) => Some(done),
                (None, None) => None,
            };
            flows.push(ItemFlow { item_id, points, sprint_id, created, started, done });
            current.insert(item_id, (column_id, created));
        }
        flows.sort_by_key(|flow| flow.item_id);
        Self { columns, items: flows, events, current }
    }

    /// The per-item summary, by item id.
    #[must_use]
    pub fn items(&self) -> &[ItemFlow] {
        &self.items
    }

    /// Committed and done points of every sprint that has started by `today`, oldest first.
    #[must_use]
    pub fn velocity(&self, sprints: &[Sprint], today: Date) -> Vec<SprintVelocity> {
        let mut sprints: Vec<&Sprint> = sprints.iter().filter(|sprint| sprint.start_date <= today).collect();
        sprints.sort_by_key(|sprint| (sprint.start_date, sprint.sprint_id));
        sprints
            .into_iter()
            .map(|sprint| {
                let planned = self.items.iter().filter(|flow| flow.sprint_id == Some(sprint.sprint_id));
                // Items carried over when it was completed are no longer planned in it, but it committed
                // to them.
                let carried = sprint.carried_over_points;
                let (committed, done) = planned.fold((carried, 0.0), |(committed, done), flow| {
                    let finished_in_time = flow.done.is_some_and(|day| day <= sprint.end_date);
                    (committed + flow.points, if finished_in_time { done + flow.points } else { done })
                });
                SprintVelocity {
                    sprint_id: sprint.sprint_id,
                    name: sprint.name.clone(),
                    committed,
                    done,
                    finished: sprint.end_date < today,
                }
            })
            .collect()
    }

    /// A sprint's days up to `today` (or its end): remaining and done points against the ideal line.
    #[must_use]
    pub fn sprint_days(&self, sprint: &Sprint, today: Date) -> Vec<SprintDay> {
        let planned: Vec<&ItemFlow> =
            self.items.iter().filter(|flow| flow.sprint_id == Some(sprint.sprint_id)).collect();
        let committed: f64 = sprint.carried_over_points + planned.iter().map(|flow| flow.points).sum::<f64>();
        let length = days_between(sprint.start_date, sprint.end_date).max(0);
        let last = today.min(sprint.end_date);
        let mut days = Vec::new();
        let mut offset = 0;
        while offset <= length {
            let day = add_days(sprint.start_date, offset);
            if day > last {
                break;
            }
            let done: f64 =
                planned.iter().filter(|flow| flow.done.is_some_and(|done| done <= day)).map(|flow| flow.points).sum();
            #[expect(clippy::cast_precision_loss, reason = "a sprint is a few dozen days long")]
            let ideal =
                if length == 0 { 0.0 } else { committed * (1.0 - (offset as f64 + 1.0) / (length as f64 + 1.0)) };
            days.push(SprintDay { day, remaining: committed - done, done, ideal: ideal.max(0.0) });
            offset += 1;
        }
        days
    }

    /// How many items stood in each column at the end of each day from `start` to `end`.
    #[must_use]
    pub fn cumulative_flow(&self, start: Date, end: Date) -> CumulativeFlow {
        let columns: Vec<ColumnId> = self.columns.iter().map(|column| column.column_id).collect();
        let day_count = usize::try_from(days_between(start, end) + 1).unwrap_or(0);
        // Per day and column, how many items arrive (+1) and leave (−1): one pass over the log.
        let mut deltas = vec![vec![0i64; columns.len()]; day_count + 1];
        let index_of_day = |day: Date| usize::try_from(days_between(start, day).max(0)).unwrap_or(0).min(day_count);
        let mut add = |column_id: ColumnId, day: Date, delta: i64| {
            if let Some(column) = columns.iter().position(|id| *id == column_id)
                && let Some(cell) = deltas.get_mut(index_of_day(day)).and_then(|row| row.get_mut(column))
            {
                *cell += delta;
            }
        };
        for flow in &self.items {
            let log = self.item_events(flow.item_id);
            let Some((current_column, created)) = self.current.get(&flow.item_id).copied() else {
                continue;
            };
            // Where the item stood from its creation: the column its first event left, or entered.
            let mut column = log.first().map_or(current_column, |event| event.from_column.unwrap_or(event.to_column));
            let mut since = created.min(log.first().map_or(created, |event| event.day));
            for event in log {
                if event.to_column == column {
                    continue;
                }
                add(column, since, 1);
                add(column, event.day, -1);
                column = event.to_column;
                since = event.day;
            }
            if since <= end {
                add(column, since, 1);
            }
        }
        let mut counts = Vec::with_capacity(day_count);
        let mut running = vec![0i64; columns.len()];
        for row in deltas.iter().take(day_count) {
            for (total, delta) in running.iter_mut().zip(row) {
                *total += delta;
            }
            counts.push(running.iter().map(|count| u32::try_from(*count).unwrap_or(0)).collect());
        }
        CumulativeFlow { start, columns, counts }
    }

    /// Days from creation to done, for every done item (lead time).
    #[must_use]
    pub fn lead_times(&self) -> Vec<i64> {
        let mut times: Vec<i64> =
            self.items.iter().filter_map(|flow| Some(days_between(flow.created, flow.done?))).collect();
        times.sort_unstable();
        times
    }

    /// Days from the start of work to done, for every done item (cycle time).
    #[must_use]
    pub fn cycle_times(&self) -> Vec<i64> {
        let mut times: Vec<i64> =
            self.items.iter().filter_map(|flow| Some(days_between(flow.started?, flow.done?).max(0))).collect();
        times.sort_unstable();
        times
    }

    /// The first day in the log.
    #[must_use]
    pub fn first_day(&self) -> Option<Date> {
        self.items.iter().map(|flow| flow.created).min()
    }

    fn item_events(&self, item_id: ItemId) -> &[FlowEvent] {
        let start = self.events.partition_point(|event| event.item_id < item_id);
        let end = self.events.partition_point(|event| event.item_id <= item_id);
        self.events.get(start..end).unwrap_or(&[])
    }
}

/// The average of finished sprints' done points.
#[must_use]
pub fn average_velocity(velocity: &[SprintVelocity]) -> Option<f64> {
    let counted: Vec<f64> =
        velocity.iter().filter(|sprint| sprint.counts_in_average()).map(|sprint| sprint.done).collect();
    #[expect(clippy::cast_precision_loss, reason = "a handful of sprints")]
    let count = counted.len() as f64;
    (!counted.is_empty()).then(|| counted.iter().sum::<f64>() / count)
}

impl SprintVelocity {
    /// Whether the sprint counts toward the average: it has finished, and something was planned in it or
    /// done in it (an empty sprint, such as one an import made for unestimated issues, says nothing
    /// about the team's pace).
    #[must_use]
    pub fn counts_in_average(&self) -> bool {
        self.finished && (self.committed > 0.0 || self.done > 0.0)
    }
}

/// The nearest-rank percentile (0–100) of sorted values: the 50th is the median, the 85th what most
/// teams quote as "85% of items finish within".
#[must_use]
pub fn percentile(sorted: &[i64], percent: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    #[expect(clippy::cast_precision_loss, reason = "item counts fit in f64")]
    let count = sorted.len() as f64;
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a rank within the slice")]
    let rank = ((percent / 100.0 * count).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied()
}

/// The column where work starts when the user has not chosen one: the first whose name says "progress"
/// or "doing", else the third column of a long enough workflow, else the second.
#[must_use]
pub fn default_started_column(columns: &[Column]) -> Option<ColumnId> {
    let mut ordered: Vec<&Column> = columns.iter().filter(|column| !column.is_done).collect();
    ordered.sort_by_key(|column| column.position);
    let named = ordered.iter().find(|column| {
        let name = column.name.to_lowercase();
        name.contains("progress") || name.contains("doing")
    });
    named
        .or_else(|| ordered.get(2))
        .or_else(|| ordered.get(1))
        .or_else(|| ordered.first())
        .map(|column| column.column_id)
}

/// The sprint the burndown shows by default: the one running today, else the latest that started.
#[must_use]
pub fn current_sprint(sprints: &[Sprint], today: Date) -> Option<&Sprint> {
    sprints
        .iter()
        .find(|sprint| sprint.start_date <= today && today <= sprint.end_date)
        .or_else(|| sprints.iter().filter(|sprint| sprint.start_date <= today).max_by_key(|sprint| sprint.start_date))
        .or_else(|| sprints.first())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn columns() -> Vec<Column> {
        crate::model::test_columns(&["Backlog", "Ready", "In progress", "Done"])
    }

    fn event(item: i64, day: Date, from: Option<i64>, to: i64) -> FlowEvent {
        FlowEvent { item_id: ItemId(item), day, from_column: from.map(ColumnId), to_column: ColumnId(to) }
    }

    fn sprint(id: i64, start: Date, end: Date) -> Sprint {
        Sprint {
            sprint_id: SprintId(id),
            name: format!("Sprint {id}"),
            goal: String::new(),
            start_date: start,
            end_date: end,
            capacity_points: 20.0,
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        }
    }

    /// Four items in two sprints:
    /// 1 (5 pts, sprint 1): created 1 Jun, ready 2 Jun, started 3 Jun, done 5 Jun.
    /// 2 (3 pts, sprint 1): created 1 Jun, started 4 Jun, done 12 Jun (after sprint 1 ended on 7 Jun).
    /// 3 (8 pts, sprint 2): created 2 Jun, started 9 Jun, done 10 Jun, reopened 11 Jun, done again 13 Jun.
    /// 4 (2 pts, sprint 2): created 3 Jun, still in Ready.
    fn log() -> DeliveryLog {
        let d = |day| date(2026, 6, day);
        let events = vec![
            event(1, d(1), None, 1),
            event(1, d(2), Some(1), 2),
            event(1, d(3), Some(2), 3),
            event(1, d(5), Some(3), 4),
            event(2, d(1), None, 1),
            event(2, d(4), Some(1), 3),
            event(2, d(12), Some(3), 4),
            event(3, d(2), None, 1),
            event(3, d(9), Some(1), 3),
            event(3, d(10), Some(3), 4),
            event(3, d(11), Some(4), 3),
            event(3, d(13), Some(3), 4),
            event(4, d(3), None, 1),
            event(4, d(8), Some(1), 2),
        ];
        let items = [
            (ItemId(1), 5.0, Some(SprintId(1)), ColumnId(4), d(1), d(5)),
            (ItemId(2), 3.0, Some(SprintId(1)), ColumnId(4), d(1), d(12)),
            (ItemId(3), 8.0, Some(SprintId(2)), ColumnId(4), d(2), d(13)),
            (ItemId(4), 2.0, Some(SprintId(2)), ColumnId(2), d(3), d(8)),
        ];
        DeliveryLog::from_days(&columns(), &items, events, Some(ColumnId(3)))
    }

    #[test]
    fn velocity_counts_points_done_by_the_sprints_last_day() {
        let sprints = [sprint(1, date(2026, 6, 1), date(2026, 6, 7)), sprint(2, date(2026, 6, 8), date(2026, 6, 14))];
        let velocity = log().velocity(&sprints, date(2026, 6, 20));
        let summary: Vec<(f64, f64, bool)> = velocity.iter().map(|v| (v.committed, v.done, v.finished)).collect();
        // Item 2 finished after sprint 1 ended; item 3 counts (done again on 13 Jun); item 4 is not done.
        assert_eq!(summary, [(8.0, 5.0, true), (10.0, 8.0, true)]);
        assert_eq!(average_velocity(&velocity), Some(6.5));
    }

    #[test]
    fn a_running_sprint_is_shown_but_left_out_of_the_average() {
        let sprints = [sprint(1, date(2026, 6, 1), date(2026, 6, 7)), sprint(2, date(2026, 6, 8), date(2026, 6, 14))];
        let velocity = log().velocity(&sprints, date(2026, 6, 10));
        assert_eq!(velocity.len(), 2);
        assert_eq!(velocity.iter().map(|v| v.finished).collect::<Vec<_>>(), [true, false]);
        assert_eq!(average_velocity(&velocity), Some(5.0));
        assert!(log().velocity(&sprints, date(2026, 5, 31)).is_empty());
    }

    #[test]
    fn a_finished_sprint_with_nothing_planned_is_left_out_of_the_average() {
        let sprints = [
            sprint(1, date(2026, 6, 1), date(2026, 6, 7)),
            sprint(2, date(2026, 6, 8), date(2026, 6, 14)),
            sprint(9, date(2026, 5, 1), date(2026, 5, 14)),
        ];
        let velocity = log().velocity(&sprints, date(2026, 6, 20));
        let empty = velocity.iter().find(|v| v.sprint_id == SprintId(9));
        assert!(empty.is_some_and(|empty| empty.finished && !empty.counts_in_average()));
        assert_eq!(average_velocity(&velocity), Some(6.5), "as without the empty sprint");
    }

    #[test]
    fn burndown_and_burnup_follow_the_done_days() {
        let sprint = sprint(1, date(2026, 6, 1), date(2026, 6, 7));
        let days = log().sprint_days(&sprint, date(2026, 6, 20));
        assert_eq!(days.len(), 7);
        let remaining: Vec<f64> = days.iter().map(|day| day.remaining).collect();
        assert_eq!(remaining, [8.0, 8.0, 8.0, 8.0, 3.0, 3.0, 3.0]);
        let done: Vec<f64> = days.iter().map(|day| day.done).collect();
        assert_eq!(done, [0.0, 0.0, 0.0, 0.0, 5.0, 5.0, 5.0]);
        // The ideal line falls evenly to zero at the end of the last day.
        let ideal: Vec<f64> = days.iter().map(|day| (day.ideal * 7.0).round()).collect();
        assert_eq!(ideal, [48.0, 40.0, 32.0, 24.0, 16.0, 8.0, 0.0]);
        // A running sprint stops at today.
        assert_eq!(log().sprint_days(&sprint, date(2026, 6, 3)).len(), 3);
    }

    #[test]
    fn cumulative_flow_counts_items_per_column_each_day() {
        let flow = log().cumulative_flow(date(2026, 6, 1), date(2026, 6, 14));
        let day = |n: u8| flow.counts.get(usize::from(n - 1)).cloned().unwrap_or_default();
        // Columns: Backlog, Ready, In progress, Done.
        assert_eq!(day(1), [2, 0, 0, 0]);
        assert_eq!(day(2), [2, 1, 0, 0]);
        assert_eq!(day(3), [3, 0, 1, 0]);
        assert_eq!(day(4), [2, 0, 2, 0]);
        assert_eq!(day(5), [2, 0, 1, 1]);
        assert_eq!(day(8), [1, 1, 1, 1]);
        assert_eq!(day(9), [0, 1, 2, 1]);
        assert_eq!(day(10), [0, 1, 1, 2]);
        assert_eq!(day(11), [0, 1, 2, 1]);
        assert_eq!(day(12), [0, 1, 1, 2]);
        assert_eq!(day(13), [0, 1, 0, 3]);
        assert_eq!(flow.counts.len(), 14);
        assert!(flow.counts.iter().all(|row| row.iter().sum::<u32>() <= 4));
    }

    #[test]
    fn lead_and_cycle_times_run_from_creation_and_from_the_start_of_work() {
        let log = log();
        // Lead: item 1 1→5 Jun, item 2 1→12, item 3 2→13.
        assert_eq!(log.lead_times(), [4, 11, 11]);
        // Cycle: item 1 3→5 Jun (2 days), item 3 9→13 (4), item 2 4→12 (8).
        assert_eq!(log.cycle_times(), [2, 4, 8]);
        assert_eq!(percentile(&log.lead_times(), 50.0), Some(11));
        assert_eq!(percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 85.0), Some(9));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn an_item_done_without_a_logged_move_is_done_when_last_changed() {
        let items = [(ItemId(9), 3.0, None, ColumnId(4), date(2026, 6, 1), date(2026, 6, 6))];
        let log = DeliveryLog::from_days(&columns(), &items, Vec::new(), Some(ColumnId(3)));
        assert_eq!(log.lead_times(), [5]);
        assert_eq!(log.cycle_times(), [0]);
    }

    #[test]
    fn work_starts_in_the_in_progress_column_by_default() {
        assert_eq!(default_started_column(&columns()), Some(ColumnId(3)));
        let plain: Vec<Column> = columns()
            .into_iter()
            .map(|column| Column { name: format!("Step {}", column.position), ..column })
            .collect();
        assert_eq!(default_started_column(&plain), Some(ColumnId(3)));
    }
}
