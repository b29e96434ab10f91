//! Starting and completing sprints. Completing moves the unfinished items on (to another sprint or the
//! unplanned backlog) and keeps their points as the sprint's carried-over points, so its velocity and
//! burndown still count what it committed to. Both are one undoable change.

use super::planning::{Planned, capacity_words};
use super::{App, BacklogItem, Carry, Change, ItemRecord, Sprint, StoreError, Timestamp, guard, update_item_in_tx};
use crate::interchange::convert::plural;
use crate::model::{SprintId, SprintState};
use crate::store::sprints::{insert_sprint_in_tx, update_sprint_in_tx};

/// "16 Nov".
fn day(at: Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system()).strftime("%-d %b").to_string()
}

impl App {
    fn sprint_or_missing(&self, sprint_id: SprintId) -> Result<Sprint, StoreError> {
        self.workspace.sprint(sprint_id).cloned().ok_or(StoreError::NotFound { what: "sprint", id: sprint_id.0 })
    }

    /// Starts a sprint, refusing while another is active.
    pub(super) fn start_sprint(&mut self, sprint_id: SprintId, now: Timestamp) -> Result<Planned, StoreError> {
        let before = self.sprint_or_missing(sprint_id)?;
        match (before.state(), before.started_at) {
            (SprintState::Completed, _) => {
                return Err(StoreError::Conflict(format!(
                    "{} is completed already. Nothing was changed.",
                    before.name
                )));
            }
            (SprintState::Active, Some(started)) => {
                return Err(StoreError::Conflict(format!(
                    "{} was started on {} already. Nothing was changed.",
                    before.name,
                    day(started)
                )));
            }
            _ => {}
        }
        if let Some(active) = self.workspace.sprints.iter().find(|sprint| sprint.state() == SprintState::Active) {
            return Err(StoreError::Conflict(format!(
                "{} is still active; complete it first (Sprint planning ▸ Complete sprint…). Nothing was changed.",
                active.name
            )));
        }
        let after = Sprint { started_at: Some(now), ..before.clone() };
        self.store.write(|tx| update_sprint_in_tx(tx, &after))?;
        let committed = self.workspace.sprint_points(sprint_id);
        let message = format!("Started {}. {}", after.name, capacity_words(committed, after.capacity_points));
        Ok((
            format!("start {}", after.name),
            vec![Change::Sprint { before: Some(before), after: Some(after) }],
            None,
            message,
        ))
    }

    /// Completes the active sprint, moving its unfinished items to `carry_to` (or the backlog).
    pub(super) fn complete_sprint(
        &mut self,
        sprint_id: SprintId,
        carry: &Carry,
        now: Timestamp,
    ) -> Result<Planned, StoreError> {
        let before = self.sprint_or_missing(sprint_id)?;
        match before.state() {
            SprintState::Planned => {
                return Err(StoreError::Conflict(format!(
                    "{} has not started, so it cannot be completed. Nothing was changed; start it first.",
                    before.name
                )));
            }
            SprintState::Completed => {
                return Err(StoreError::Conflict(format!(
                    "{} is completed already. Nothing was changed.",
                    before.name
                )));
            }
            SprintState::Active => {}
        }
        let existing = match &carry {
            Carry::Sprint(id) => Some(*id),
            Carry::Backlog | Carry::NewSprint(_) => None,
        };
        let mut target = existing.map(|id| self.sprint_or_missing(id)).transpose()?;
        if let Some(target) = &target
            && (target.sprint_id == sprint_id || target.state() == SprintState::Completed)
        {
            return Err(StoreError::Conflict(format!(
                "Unfinished items cannot go to {}, which is {}. Nothing was changed; choose a later sprint or the backlog.",
                target.name,
                if target.sprint_id == sprint_id { "the sprint being completed" } else { "completed" }
            )));
        }
        let is_done = |item: &BacklogItem| self.workspace.column(item.column_id).is_some_and(|column| column.is_done);
        let planned: Vec<&BacklogItem> =
            self.workspace.all_items().filter(|item| item.sprint_id == Some(sprint_id)).collect();
        let done_points: f64 = planned.iter().filter(|item| is_done(item)).filter_map(|item| item.points).sum();
        let unfinished: Vec<BacklogItem> =
            planned.iter().filter(|item| !is_done(item)).map(|item| (*item).clone()).collect();
        let carried: f64 = unfinished.iter().filter_map(|item| item.points).sum();
        let committed = done_points + carried;
        let after = Sprint { completed_at: Some(now), carried_over_points: carried, ..before.clone() };
        let mut changes = Vec::with_capacity(unfinished.len() + 2);
        self.store.write(|tx| {
            // A new sprint for them is made first, in the same transaction: undo deletes it last.
            if let Carry::NewSprint(next) = carry {
                let stored = insert_sprint_in_tx(tx, next)?;
                changes.push(Change::Sprint { before: None, after: Some(stored.clone()) });
                target = Some(stored);
            }
            let carry_to = target.as_ref().map(|target| target.sprint_id);
            for item in &unfinished {
                let moved = BacklogItem { sprint_id: carry_to, ..item.clone() };
                let moved = guard::rebase_in_tx(tx, item, &moved)?;
                let (old, new) = update_item_in_tx(tx, &moved, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(old, Vec::new())),
                    after: Some(ItemRecord::new(new, Vec::new())),
                });
            }
            update_sprint_in_tx(tx, &after)
        })?;
        changes.push(Change::Sprint { before: Some(before), after: Some(after.clone()) });
        let number = crate::model::points_words;
        let rest = match (unfinished.len(), &target) {
            (0, _) => "Every item was done.".to_owned(),
            (count, Some(target)) if matches!(carry, Carry::NewSprint(_)) => format!(
                "{} ({} points) moved to the new sprint {} ({} – {}).",
                plural(count, "unfinished item"),
                number(carried),
                target.name,
                target.start_date.strftime("%-d %b"),
                target.end_date.strftime("%-d %b")
            ),
            (count, Some(target)) => {
                format!("{} ({} points) moved to {}.", plural(count, "unfinished item"), number(carried), target.name)
            }
            (count, None) => format!(
                "{} ({} points) went back to the unplanned backlog.",
                plural(count, "unfinished item"),
                number(carried)
            ),
        };
        let message = format!(
            "Completed {}: {} of {} points done. {rest} Press Ctrl+Z to reopen it.",
            after.name,
            number(done_points),
            number(committed)
        );
        Ok((format!("complete {}", after.name), changes, None, message))
    }
}
