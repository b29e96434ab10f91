//! KPIs and sprints: the metrics view and sprint planning.

/// What a command did: its undo description, its changes, the item to select, and the message to show.
pub(super) type Planned = (String, Vec<super::Change>, Option<ItemId>, String);

use crate::model::{ItemId, SprintId};

use super::{
    App, Applied, BacklogItem, Change, ItemRecord, Metric, PlanningCommand, Sprint, StoreError, Timestamp,
    delete_metric_in_tx, delete_sprint_in_tx, guard, insert_metric_in_tx, insert_sprint_in_tx, update_item_in_tx,
    update_metric_in_tx, update_sprint_in_tx,
};

/// "3 samples", "1 sample".
fn samples(count: usize) -> String {
    crate::interchange::convert::plural(count, "sample")
}

/// "27 of 30 points committed." or "34 of 30 points committed: 4 over capacity."
#[must_use]
pub fn capacity_words(committed: f64, capacity: f64) -> String {
    let number = crate::model::points_words;
    if committed > capacity {
        format!(
            "{} of {} points committed: {} over capacity.",
            number(committed),
            number(capacity),
            number(committed - capacity)
        )
    } else {
        format!("{} of {} points committed.", number(committed), number(capacity))
    }
}

impl App {
    /// Carries out one [`PlanningCommand`] in one transaction, with undo.
    pub(super) fn apply_planning(&mut self, command: PlanningCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, item_id, message) = match command {
            PlanningCommand::CreateMetric(metric) => {
                let stored = self.store.write(|tx| insert_metric_in_tx(tx, &metric))?;
                let message = format!("Added the KPI '{}' with {}.", stored.name, samples(stored.samples.len()));
                (
                    format!("add KPI '{}'", stored.name),
                    vec![Change::Metric { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            PlanningCommand::UpdateMetric(metric) => {
                let before = self
                    .workspace
                    .metrics
                    .iter()
                    .find(|existing| existing.metric_id == metric.metric_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "metric", id: metric.metric_id.0 })?;
                self.store.write(|tx| update_metric_in_tx(tx, &metric))?;
                let after = Metric { name: metric.name.trim().to_owned(), ..metric };
                let message = format!("Saved the KPI '{}' with {}.", after.name, samples(after.samples.len()));
                (
                    format!("edit KPI '{}'", after.name),
                    vec![Change::Metric { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            PlanningCommand::DeleteMetric(metric_id) => {
                let before = self
                    .workspace
                    .metrics
                    .iter()
                    .find(|existing| existing.metric_id == metric_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "metric", id: metric_id.0 })?;
                // The insights measured on it stay, on no KPI; one undo links them again.
                let measured: Vec<crate::model::Insight> = self
                    .workspace
                    .insights
                    .iter()
                    .filter(|insight| insight.metric_id == Some(metric_id))
                    .cloned()
                    .collect();
                let mut changes = Vec::with_capacity(measured.len() + 1);
                self.store.write(|tx| {
                    for insight in &measured {
                        let after = crate::model::Insight { metric_id: None, ..insight.clone() };
                        let change = Change::Insight { before: Some(insight.clone()), after: Some(after.clone()) };
                        guard::check_replay_in_tx(tx, &change, true, "delete it")?;
                        crate::store::research::update_insight_in_tx(tx, &after)?;
                        changes.push(change);
                    }
                    delete_metric_in_tx(tx, metric_id)
                })?;
                let insights = match measured.len() {
                    0 => String::new(),
                    1 => " The insight measured on it stays, on no KPI.".to_owned(),
                    count => format!(" The {count} insights measured on it stay, on no KPI."),
                };
                let message = format!("Deleted the KPI '{}'.{insights} Press Ctrl+Z to bring it back.", before.name);
                changes.push(Change::Metric { before: Some(before.clone()), after: None });
                (format!("delete KPI '{}'", before.name), changes, None, message)
            }
            PlanningCommand::CreateSprint(sprint) => {
                let stored = self.store.write(|tx| insert_sprint_in_tx(tx, &sprint))?;
                let message = format!(
                    "Added {}, {} to {}, capacity {} points.",
                    stored.name,
                    stored.start_date.strftime("%-d %b"),
                    stored.end_date.strftime("%-d %b %Y"),
                    stored.capacity_points
                );
                (
                    format!("add sprint '{}'", stored.name),
                    vec![Change::Sprint { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            PlanningCommand::UpdateSprint(sprint) => {
                let before = self
                    .workspace
                    .sprint(sprint.sprint_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "sprint", id: sprint.sprint_id.0 })?;
                self.store.write(|tx| update_sprint_in_tx(tx, &sprint))?;
                let after = Sprint { name: sprint.name.trim().to_owned(), ..sprint };
                let message = format!("Saved {}.", after.name);
                (
                    format!("edit sprint '{}'", after.name),
                    vec![Change::Sprint { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            PlanningCommand::DeleteSprint(sprint_id) => self.delete_sprint(sprint_id, now)?,
            PlanningCommand::StartSprint(sprint_id) => self.start_sprint(sprint_id, now)?,
            PlanningCommand::CompleteSprint { sprint_id, carry_to } => {
                self.complete_sprint(sprint_id, &carry_to, now)?
            }
            PlanningCommand::PlanInSprint { item_ids, sprint_id } => self.plan_in_sprint(&item_ids, sprint_id, now)?,
            PlanningCommand::SetLabelColour { label, colour } => {
                let label = label.trim().to_owned();
                let before = self.workspace.label_colours.get(&label).copied();
                self.store.write(|tx| crate::store::labels::set_label_colour_in_tx(tx, &label, colour))?;
                let (description, message) = match colour {
                    Some(colour) => {
                        let name = crate::model::label::colour_name(colour);
                        (format!("colour label '{label}'"), format!("The label '{label}' is {name} now."))
                    }
                    None => (format!("uncolour label '{label}'"), format!("The label '{label}' has no colour now.")),
                };
                (description, vec![Change::LabelColour { label, before, after: colour }], None, message)
            }
        };
        Ok(self.finish(now, description, changes, item_id, message))
    }

    /// Deletes a sprint; its items first go back to the unplanned backlog.
    fn delete_sprint(&mut self, sprint_id: SprintId, now: Timestamp) -> Result<Planned, StoreError> {
        let before = self
            .workspace
            .sprint(sprint_id)
            .cloned()
            .ok_or(StoreError::NotFound { what: "sprint", id: sprint_id.0 })?;
        let planned: Vec<BacklogItem> =
            self.workspace.all_items().filter(|item| item.sprint_id == Some(sprint_id)).cloned().collect();
        // Items leave the sprint first, so that undo (which runs backwards) brings the sprint back
        // before it puts them in it again.
        let mut changes: Vec<Change> = Vec::with_capacity(planned.len() + 1);
        self.store.write(|tx| {
            for item in &planned {
                let unplanned = BacklogItem { sprint_id: None, ..item.clone() };
                let unplanned = guard::rebase_in_tx(tx, item, &unplanned)?;
                let (old, new) = update_item_in_tx(tx, &unplanned, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(old, Vec::new())),
                    after: Some(ItemRecord::new(new, Vec::new())),
                });
            }
            delete_sprint_in_tx(tx, sprint_id)
        })?;
        let message = format!(
            "Deleted {}; its {} went back to the unplanned backlog. Press Ctrl+Z to bring it back.",
            before.name,
            crate::interchange::convert::plural(planned.len(), "item")
        );
        changes.push(Change::Sprint { before: Some(before.clone()), after: None });
        Ok((format!("delete sprint '{}'", before.name), changes, None, message))
    }

    /// Plans items in a sprint, or takes them out of theirs.
    fn plan_in_sprint(
        &mut self,
        item_ids: &[ItemId],
        sprint_id: Option<SprintId>,
        now: Timestamp,
    ) -> Result<Planned, StoreError> {
        let sprint = match sprint_id {
            Some(sprint_id) => Some(
                self.workspace
                    .sprint(sprint_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "sprint", id: sprint_id.0 })?,
            ),
            None => None,
        };
        let items: Vec<BacklogItem> = item_ids
            .iter()
            .map(|id| self.workspace.item(*id).cloned().ok_or(StoreError::NotFound { what: "item", id: id.0 }))
            .collect::<Result<_, _>>()?;
        let left = items
            .first()
            .and_then(|item| item.sprint_id)
            .and_then(|id| self.workspace.sprint(id))
            .map(|sprint| sprint.name.clone());
        let joining: f64 = items.iter().filter(|item| item.sprint_id != sprint_id).filter_map(|item| item.points).sum();
        let mut changes = Vec::with_capacity(items.len());
        self.store.write(|tx| {
            for item in &items {
                let planned = BacklogItem { sprint_id, ..item.clone() };
                let planned = guard::rebase_in_tx(tx, item, &planned)?;
                let (before, after) = update_item_in_tx(tx, &planned, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(before, Vec::new())),
                    after: Some(ItemRecord::new(after, Vec::new())),
                });
            }
            Ok(())
        })?;
        let what = match items.as_slice() {
            [one] => format!("'{}'", one.title),
            many => crate::interchange::convert::plural(many.len(), "item"),
        };
        let (description, message) = match sprint {
            Some(sprint) => {
                let committed = self.workspace.sprint_points(sprint.sprint_id) + joining;
                (
                    format!("plan {what} in {}", sprint.name),
                    format!("Planned {what} in {}. {}", sprint.name, capacity_words(committed, sprint.capacity_points)),
                )
            }
            None => (
                format!("take {what} out of the sprint"),
                format!("Took {what} out of {}.", left.unwrap_or_else(|| "its sprint".to_owned())),
            ),
        };
        Ok((description, changes, item_ids.first().copied(), message))
    }
}
