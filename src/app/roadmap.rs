//! The product, epics and objectives.

use super::{
    App, Applied, Change, Epic, Objective, Product, Release, RoadmapCommand, StoreError, Timestamp, delete_epic_in_tx,
    delete_increment_in_tx, delete_release_in_tx, guard, insert_epic_in_tx, insert_increment_in_tx,
    insert_objective_in_tx, insert_release_in_tx, update_epic_in_tx, update_increment_in_tx, update_item_in_tx,
    update_objective_in_tx, update_product_in_tx, update_release_in_tx,
};
use crate::model::{BacklogItem, EpicId, IncrementId, ItemRecord, ObjectiveId, ProgramIncrement, ReleaseId};
use crate::store::okrs::delete_objective_in_tx;

impl App {
    /// Carries out one [`RoadmapCommand`] in one transaction, with undo.
    pub(super) fn apply_roadmap(&mut self, command: RoadmapCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, item_id, message) = match command {
            RoadmapCommand::UpdateProduct(product) => {
                let before = self.workspace.product.clone();
                self.store.write(|tx| {
                    let change = Change::Product { before: before.clone(), after: product.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "rename the product")?;
                    update_product_in_tx(tx, &product)
                })?;
                let after = Product { name: product.name.trim().to_owned(), vision: product.vision };
                let message = match (before.name == after.name, before.vision == after.vision) {
                    (false, true) => format!("Renamed the product to '{}'.", after.name),
                    (false, false) => format!("Renamed the product to '{}' and saved its vision.", after.name),
                    (true, false) => format!("Saved the vision of '{}'.", after.name),
                    (true, true) => format!("Nothing changed in '{}'.", after.name),
                };
                ("edit the product".to_owned(), vec![Change::Product { before, after }], None, message)
            }
            RoadmapCommand::CreateEpic(epic) => {
                let stored = self.store.write(|tx| insert_epic_in_tx(tx, &epic))?;
                let message = format!(
                    "Created the epic '{}', {} to {}.",
                    stored.title,
                    stored.start_date.strftime("%-d %b %Y"),
                    stored.end_date.strftime("%-d %b %Y")
                );
                (
                    format!("create epic '{}'", stored.title),
                    vec![Change::Epic { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::UpdateEpic(epic) => {
                let before = self
                    .workspace
                    .epic(epic.epic_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "epic", id: epic.epic_id.0 })?;
                self.store.write(|tx| {
                    let change = Change::Epic { before: Some(before.clone()), after: Some(epic.clone()) };
                    guard::check_replay_in_tx(tx, &change, true, "change the epic")?;
                    update_epic_in_tx(tx, &epic)
                })?;
                let after = Epic { title: epic.title.trim().to_owned(), ..epic };
                let message = describe_epic_change(&before, &after);
                (
                    format!("change epic '{}'", after.title),
                    vec![Change::Epic { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::DeleteEpic(epic_id) => return self.delete_epic(epic_id, now),
            RoadmapCommand::DeleteObjective(objective_id) => return self.delete_objective(objective_id, now),
            RoadmapCommand::CreateRelease(_)
            | RoadmapCommand::UpdateRelease(_)
            | RoadmapCommand::DeleteRelease(_)
            | RoadmapCommand::CreateIncrement(_)
            | RoadmapCommand::UpdateIncrement(_)
            | RoadmapCommand::DeleteIncrement(_) => return self.apply_dated(command, now),
            RoadmapCommand::CreateObjective(objective) => {
                let stored = self.store.write(|tx| insert_objective_in_tx(tx, &objective))?;
                let message = format!("Added the objective '{}'.", stored.title);
                (
                    format!("add objective '{}'", stored.title),
                    vec![Change::Objective { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::UpdateObjective(objective) => {
                let before = self
                    .workspace
                    .objectives
                    .iter()
                    .find(|existing| existing.objective_id == objective.objective_id)
                    .cloned()
                    .ok_or(StoreError::NotFound { what: "objective", id: objective.objective_id.0 })?;
                self.store.write(|tx| update_objective_in_tx(tx, &objective))?;
                let after = Objective { title: objective.title.trim().to_owned(), ..objective };
                let message = format!("Saved the objective '{}'.", after.title);
                (
                    format!("edit objective '{}'", after.title),
                    vec![Change::Objective { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
        };
        Ok(self.finish(now, description, changes, item_id, message))
    }
}

/// "1 Dec 2026 to 26 Feb 2027".
fn span_words(increment: &ProgramIncrement) -> String {
    format!("{} to {}", increment.start_date.strftime("%-d %b %Y"), increment.end_date.strftime("%-d %b %Y"))
}

impl App {
    /// Deletes an epic in one transaction: its items (on the board and archived) lose their epic,
    /// the epics that started after it lose that dependency, then the epic goes. Every one of those is
    /// in the undo entry, so one undo restores the epic, its dependencies and its items' links.
    fn delete_epic(&mut self, epic_id: EpicId, now: Timestamp) -> Result<Applied, StoreError> {
        let epic = self.workspace.epic(epic_id).cloned().ok_or(StoreError::NotFound { what: "epic", id: epic_id.0 })?;
        let items: Vec<BacklogItem> =
            self.workspace.all_items().filter(|item| item.epic_id == Some(epic_id)).cloned().collect();
        let dependents: Vec<Epic> =
            self.workspace.epics.iter().filter(|other| other.depends_on.contains(&epic_id)).cloned().collect();
        let mut changes = Vec::with_capacity(items.len() + dependents.len() + 1);
        self.store.write(|tx| {
            guard::check_replay_in_tx(
                tx,
                &Change::Epic { before: Some(epic.clone()), after: None },
                true,
                "delete it",
            )?;
            for item in &items {
                let without = BacklogItem { epic_id: None, ..item.clone() };
                let without = guard::rebase_in_tx(tx, item, &without)?;
                let (old, new) = update_item_in_tx(tx, &without, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(old, Vec::new())),
                    after: Some(ItemRecord::new(new, Vec::new())),
                });
            }
            for dependent in &dependents {
                let mut after = dependent.clone();
                after.depends_on.retain(|id| *id != epic_id);
                let change = Change::Epic { before: Some(dependent.clone()), after: Some(after.clone()) };
                guard::check_replay_in_tx(tx, &change, true, "delete it")?;
                update_epic_in_tx(tx, &after)?;
                changes.push(change);
            }
            delete_epic_in_tx(tx, epic_id)
        })?;
        changes.push(Change::Epic { before: Some(epic.clone()), after: None });
        let items_words = match items.len() {
            0 => String::new(),
            count => format!(
                " {} {} on the board without an epic.",
                crate::interchange::convert::plural(count, "item"),
                if count == 1 { "stays" } else { "stay" }
            ),
        };
        let message = format!("Deleted the epic '{}'.{items_words} Press Ctrl+Z to bring it back.", epic.title);
        Ok(self.finish(now, format!("delete epic '{}'", epic.title), changes, None, message))
    }

    /// Deletes an objective and its key results in one transaction; the epics that served it serve
    /// none. One undo restores the objective, its key results and the epics' links.
    fn delete_objective(&mut self, objective_id: ObjectiveId, now: Timestamp) -> Result<Applied, StoreError> {
        let objective = self
            .workspace
            .objectives
            .iter()
            .find(|objective| objective.objective_id == objective_id)
            .cloned()
            .ok_or(StoreError::NotFound { what: "objective", id: objective_id.0 })?;
        let serving: Vec<Epic> =
            self.workspace.epics.iter().filter(|epic| epic.objective_id == Some(objective_id)).cloned().collect();
        // The KPIs that showed progress towards it lose only that link (their samples stay as the file
        // has them); undo links them again.
        let measuring: Vec<Change> = self
            .workspace
            .metrics
            .iter()
            .filter(|metric| metric.objective_id == Some(objective_id))
            .map(|metric| Change::MetricObjective {
                metric_id: metric.metric_id,
                before: Some(objective_id),
                after: None,
            })
            .collect();
        let mut changes = Vec::with_capacity(serving.len() + measuring.len() + 1);
        self.store.write(|tx| {
            for epic in &serving {
                let after = Epic { objective_id: None, ..epic.clone() };
                let change = Change::Epic { before: Some(epic.clone()), after: Some(after.clone()) };
                guard::check_replay_in_tx(tx, &change, true, "delete it")?;
                update_epic_in_tx(tx, &after)?;
                changes.push(change);
            }
            for change in &measuring {
                guard::check_replay_in_tx(tx, change, true, "delete it")?;
                if let Change::MetricObjective { metric_id, .. } = change {
                    crate::store::metrics::set_metric_objective_in_tx(tx, *metric_id, None)?;
                }
            }
            delete_objective_in_tx(tx, objective_id)
        })?;
        let kpis = measuring.len();
        changes.extend(measuring);
        changes.push(Change::Objective { before: Some(objective.clone()), after: None });
        let epics = match serving.len() {
            0 => String::new(),
            1 => " The epic that served it stays on the roadmap.".to_owned(),
            count => format!(" The {count} epics that served it stay on the roadmap."),
        };
        let kpis = match kpis {
            0 => String::new(),
            1 => " The KPI that measured it stays on the dashboard, measuring no objective.".to_owned(),
            count => format!(" The {count} KPIs that measured it stay on the dashboard, measuring no objective."),
        };
        let message =
            format!("Deleted the objective '{}'.{epics}{kpis} Press Ctrl+Z to bring it back.", objective.title);
        Ok(self.finish(now, format!("delete objective '{}'", objective.title), changes, None, message))
    }

    /// The roadmap's dated markers: releases, milestones and program increments.
    fn apply_dated(&mut self, command: RoadmapCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, item_id, message) = match command {
            RoadmapCommand::CreateRelease(release) => {
                let stored = self.store.write(|tx| insert_release_in_tx(tx, &release))?;
                let message = format!(
                    "Added the {} '{}' on {}.",
                    stored.kind.word(),
                    stored.name,
                    stored.date.strftime("%-d %b %Y")
                );
                (
                    format!("add {} '{}'", stored.kind.word(), stored.name),
                    vec![Change::Release { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::UpdateRelease(release) => {
                let before = self.release_or_missing(release.release_id)?;
                self.store.write(|tx| {
                    let change = Change::Release { before: Some(before.clone()), after: Some(release.clone()) };
                    guard::check_replay_in_tx(tx, &change, true, "save it")?;
                    update_release_in_tx(tx, &release)
                })?;
                let after = Release { name: release.name.trim().to_owned(), ..release };
                let message = format!(
                    "Saved the {} '{}' on {}.",
                    after.kind.word(),
                    after.name,
                    after.date.strftime("%-d %b %Y")
                );
                (
                    format!("edit {} '{}'", after.kind.word(), after.name),
                    vec![Change::Release { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::DeleteRelease(release_id) => {
                let before = self.release_or_missing(release_id)?;
                self.store.write(|tx| {
                    let change = Change::Release { before: Some(before.clone()), after: None };
                    guard::check_replay_in_tx(tx, &change, true, "delete it")?;
                    delete_release_in_tx(tx, release_id)
                })?;
                let message =
                    format!("Deleted the {} '{}'. Press Ctrl+Z to bring it back.", before.kind.word(), before.name);
                (
                    format!("delete {} '{}'", before.kind.word(), before.name),
                    vec![Change::Release { before: Some(before), after: None }],
                    None,
                    message,
                )
            }
            RoadmapCommand::CreateIncrement(increment) => {
                let stored = self.store.write(|tx| insert_increment_in_tx(tx, &increment))?;
                let message = format!("Added the program increment '{}', {}.", stored.name, span_words(&stored));
                (
                    format!("add program increment '{}'", stored.name),
                    vec![Change::Increment { before: None, after: Some(stored) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::UpdateIncrement(increment) => {
                let before = self.increment_or_missing(increment.increment_id)?;
                self.store.write(|tx| {
                    let change = Change::Increment { before: Some(before.clone()), after: Some(increment.clone()) };
                    guard::check_replay_in_tx(tx, &change, true, "save it")?;
                    update_increment_in_tx(tx, &increment)
                })?;
                let after = ProgramIncrement { name: increment.name.trim().to_owned(), ..increment };
                let message = format!("Saved the program increment '{}', {}.", after.name, span_words(&after));
                (
                    format!("edit program increment '{}'", after.name),
                    vec![Change::Increment { before: Some(before), after: Some(after) }],
                    None,
                    message,
                )
            }
            RoadmapCommand::DeleteIncrement(increment_id) => {
                let before = self.increment_or_missing(increment_id)?;
                // The objectives set for it lose only that link (as the file has them, so one set for
                // it in another window too); undo sets them for it again.
                let unlinked = self.store.write(|tx| {
                    let change = Change::Increment { before: Some(before.clone()), after: None };
                    guard::check_replay_in_tx(tx, &change, true, "delete it")?;
                    let objectives = crate::store::okrs::objectives_set_for_in_tx(tx, increment_id)?;
                    for objective_id in &objectives {
                        crate::store::okrs::set_objective_increment_in_tx(tx, *objective_id, None)?;
                    }
                    delete_increment_in_tx(tx, increment_id)?;
                    Ok(objectives)
                })?;
                let objectives = match unlinked.len() {
                    0 => String::new(),
                    1 => " The objective set for it stays, set for no increment.".to_owned(),
                    count => format!(" The {count} objectives set for it stay, set for no increment."),
                };
                let message = format!(
                    "Deleted the program increment '{}'.{objectives} Press Ctrl+Z to bring it back.",
                    before.name
                );
                let mut changes: Vec<Change> = unlinked
                    .into_iter()
                    .map(|objective_id| Change::ObjectiveIncrement {
                        objective_id,
                        before: Some(increment_id),
                        after: None,
                    })
                    .collect();
                changes.push(Change::Increment { before: Some(before.clone()), after: None });
                (format!("delete program increment '{}'", before.name), changes, None, message)
            }
            other => unreachable!("apply_roadmap carries out {other:?} itself"),
        };
        Ok(self.finish(now, description, changes, item_id, message))
    }

    /// A program increment as the workspace holds it.
    fn increment_or_missing(&self, increment_id: IncrementId) -> Result<ProgramIncrement, StoreError> {
        self.workspace
            .increments
            .iter()
            .find(|increment| increment.increment_id == increment_id)
            .cloned()
            .ok_or(StoreError::NotFound { what: "program increment", id: increment_id.0 })
    }

    /// A release or milestone as the workspace holds it.
    fn release_or_missing(&self, release_id: ReleaseId) -> Result<Release, StoreError> {
        self.workspace
            .releases
            .iter()
            .find(|release| release.release_id == release_id)
            .cloned()
            .ok_or(StoreError::NotFound { what: "release or milestone", id: release_id.0 })
    }
}

/// "Moved 'Checkout' to 4 Jan – 29 Jan 2027 (1 week later)." for a drag or a key press on the roadmap.
fn describe_epic_change(before: &Epic, after: &Epic) -> String {
    let span =
        |epic: &Epic| format!("{} – {}", epic.start_date.strftime("%-d %b %Y"), epic.end_date.strftime("%-d %b %Y"));
    let days = |from: crate::model::Date, to: crate::model::Date| from.until(to).map_or(0, |span| span.get_days());
    let shift = days(before.start_date, after.start_date);
    let stretch = days(before.end_date, after.end_date);
    let amount = |days: i32| {
        let count = days.unsigned_abs();
        if count.is_multiple_of(7) {
            let weeks = count / 7;
            if weeks == 1 { "1 week".to_owned() } else { format!("{weeks} weeks") }
        } else if count == 1 {
            "1 day".to_owned()
        } else {
            format!("{count} days")
        }
    };
    let when = |days: i32| if days > 0 { "later" } else { "earlier" };
    if shift != 0 && shift == stretch && before.title == after.title {
        format!("Moved '{}' to {} ({} {}).", after.title, span(after), amount(shift), when(shift))
    } else if shift == 0 && stretch != 0 {
        format!(
            "'{}' now ends {} ({} {}).",
            after.title,
            after.end_date.strftime("%-d %b %Y"),
            amount(stretch),
            when(stretch)
        )
    } else if stretch == 0 && shift != 0 {
        format!(
            "'{}' now starts {} ({} {}).",
            after.title,
            after.start_date.strftime("%-d %b %Y"),
            amount(shift),
            when(shift)
        )
    } else {
        format!("Saved the epic '{}', {}.", after.title, span(after))
    }
}
