//! Changes to many items at once. Archiving: items leave the board (done work, dropped ideas) but keep
//! their column, rank, history and comments, and still count in the delivery charts; putting them back
//! returns them to their place. Renaming a person on every item that names them.

use super::{App, Applied, Change, ItemRecord, StoreError, Timestamp};
use crate::interchange::convert::plural;
use crate::model::ItemId;
use crate::store::items::{item_in_tx, put_item_in_tx};

impl App {
    /// Archives `item_ids` (or puts them back on the board) in one transaction, as one undo step.
    pub(super) fn apply_archive(
        &mut self,
        item_ids: &[ItemId],
        archive: bool,
        now: Timestamp,
    ) -> Result<Applied, StoreError> {
        let changes = self.edit_each(item_ids, now, |item| {
            if item.details.archived_at.is_some() != archive {
                item.details.archived_at = archive.then_some(now);
            }
        })?;
        let items: Vec<(String, String)> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Item { after: Some(record), .. } => {
                    Some((record.item.title.clone(), self.column_name(record.item.column_id)))
                }
                _ => None,
            })
            .collect();
        let first = item_ids.first().copied();
        let message = match (items.as_slice(), archive) {
            ([], true) => return Ok(Applied { item_id: first, message: "Already archived.".to_owned() }),
            ([], false) => return Ok(Applied { item_id: first, message: "Already on the board.".to_owned() }),
            ([(title, column)], true) => format!(
                "Archived '{title}' from {column}: it is off the board and still counts in the delivery charts. Board ▸ Archived lists it; Ctrl+Z brings it back."
            ),
            ([(title, column)], false) => format!("Put '{title}' back on the board in {column}."),
            (many, true) => format!(
                "Archived {} from {}: they are off the board and still count in the delivery charts. Ctrl+Z brings them back.",
                plural(many.len(), "card"),
                many[0].1
            ),
            (many, false) => format!("Put {} back on the board.", plural(many.len(), "card")),
        };
        let description = match (items.len(), archive) {
            (1, true) => format!("archive '{}'", items[0].0),
            (1, false) => format!("put '{}' back", items[0].0),
            (count, true) => format!("archive {}", plural(count, "card")),
            (count, false) => format!("put {} back", plural(count, "card")),
        };
        Ok(self.finish(now, description, changes, first, message))
    }

    /// Renames the person `from` (ignoring case) to `to` on every item that has them as assignee or
    /// reporter, in one transaction, as one undo step. Comments keep the name they were signed with.
    pub(super) fn rename_person(&mut self, from: &str, to: &str, now: Timestamp) -> Result<Applied, StoreError> {
        let to = to.trim().to_owned();
        let from = from.trim().to_owned();
        if to.is_empty() {
            return Err(StoreError::Invalid(crate::model::ValidationError::Empty { field: "new name" }));
        }
        let lower = from.to_lowercase();
        // A new name that another person already has (whatever its capitals) merges the two under the
        // spelling their items already use, so that one person is never written two ways.
        let merged_into = self
            .workspace
            .people()
            .iter()
            .map(|person| person.name.clone())
            .find(|name| name.to_lowercase() == to.to_lowercase() && name.to_lowercase() != lower);
        let to = merged_into.clone().unwrap_or(to);
        let matches = |name: &Option<String>| name.as_deref().is_some_and(|name| name.to_lowercase() == lower);
        let ids: Vec<ItemId> = self
            .workspace
            .all_items()
            .filter(|item| matches(&item.details.assignee) || matches(&item.details.reporter))
            .map(|item| item.item_id)
            .collect();
        let changes = self.edit_each(&ids, now, |item| {
            let details = &mut *item.details;
            for person in [&mut details.assignee, &mut details.reporter] {
                if matches(person) {
                    *person = Some(to.clone());
                }
            }
        })?;
        if changes.is_empty() {
            return Ok(Applied { item_id: None, message: format!("No item names '{from}'; nothing changed.") });
        }
        let verb = if merged_into.is_some() { "Merged" } else { "Renamed" };
        let into = if merged_into.is_some() { "into" } else { "to" };
        let message = format!(
            "{verb} '{from}' {into} '{to}' on {} (assignee or reporter). Comments keep the name they were signed with.",
            plural(changes.len(), "item")
        );
        Ok(self.finish(now, format!("rename '{from}' to '{to}'"), changes, None, message))
    }

    /// Applies `edit` to each of `item_ids` as the file holds it, in one transaction, and saves the ones
    /// it changed (stamped `now`); returns their undo records.
    fn edit_each(
        &mut self,
        item_ids: &[ItemId],
        now: Timestamp,
        mut edit: impl FnMut(&mut crate::model::BacklogItem),
    ) -> Result<Vec<Change>, StoreError> {
        self.store.write(|tx| {
            let mut changes = Vec::new();
            for item_id in item_ids {
                let before = item_in_tx(tx, *item_id)?;
                let mut after = before.clone();
                edit(&mut after);
                if after == before {
                    continue;
                }
                after.updated_at = now;
                put_item_in_tx(tx, &after, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(before, Vec::new())),
                    after: Some(ItemRecord::new(after, Vec::new())),
                });
            }
            Ok(changes)
        })
    }
}
