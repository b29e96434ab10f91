//! Archiving: items leave the board (done work, dropped ideas) but keep their column, rank, history and
//! comments, and still count in the delivery charts; putting them back returns them to their place.

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
        let changes = self.store.write(|tx| {
            let mut changes = Vec::new();
            for item_id in item_ids {
                let before = item_in_tx(tx, *item_id)?;
                if before.archived_at.is_some() == archive {
                    continue;
                }
                let mut after = before.clone();
                after.archived_at = archive.then_some(now);
                after.updated_at = now;
                put_item_in_tx(tx, &after, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(before, Vec::new())),
                    after: Some(ItemRecord::new(after, Vec::new())),
                });
            }
            Ok(changes)
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
            (count, true) => format!("archive {count} cards"),
            (count, false) => format!("put {count} cards back"),
        };
        Ok(self.finish(now, description, changes, first, message))
    }
}
