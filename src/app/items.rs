//! Backlog items: create, edit, delete and move, one transaction each.

use super::{
    App, Applied, Change, ItemCommand, ItemRecord, StoreError, Timestamp, UndoEntry, create_item_in_tx,
    delete_item_in_tx, guard, history_in_tx, move_item_seen_in_tx, move_items_in_tx, put_item_in_tx, update_item_in_tx,
};
use crate::interchange::convert::count as grouped;

impl App {
    /// Carries out one [`ItemCommand`] in one transaction, with undo.
    pub(super) fn apply_item(&mut self, command: ItemCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, item_id, message) = match command {
            ItemCommand::Create(item) => {
                let record = self.store.write(|tx| {
                    let item = create_item_in_tx(tx, &item)?;
                    let history = history_in_tx(tx, item.item_id)?;
                    Ok(ItemRecord::new(item, history))
                })?;
                let title = record.item.title.clone();
                let item_id = record.item.item_id;
                let column = self.column_name(record.item.column_id);
                (
                    format!("create '{title}'"),
                    vec![Change::Item { before: None, after: Some(record) }],
                    Some(item_id),
                    format!("Created '{title}' at the bottom of {column}."),
                )
            }
            ItemCommand::Update(item) => {
                let base = self.workspace.item(item.item_id).cloned();
                let (before, after) = self.store.write(|tx| {
                    let edited = match &base {
                        Some(base) => guard::rebase_in_tx(tx, base, &item)?,
                        None => item.clone(),
                    };
                    update_item_in_tx(tx, &edited, now)
                })?;
                let title = after.title.clone();
                let item_id = after.item_id;
                (
                    format!("edit '{title}'"),
                    vec![Change::Item {
                        before: Some(ItemRecord::new(before, Vec::new())),
                        after: Some(ItemRecord::new(after, Vec::new())),
                    }],
                    Some(item_id),
                    format!("Saved '{title}'."),
                )
            }
            ItemCommand::Delete(item_id) => {
                let record = self.store.write(|tx| delete_item_in_tx(tx, item_id))?;
                let title = record.item.title.clone();
                (
                    format!("delete '{title}'"),
                    vec![Change::Item { before: Some(record), after: None }],
                    None,
                    format!("Deleted '{title}'. Press Ctrl+Z to bring it back."),
                )
            }
            ItemCommand::AddComment(_) | ItemCommand::DeleteComment(_) => return self.apply_comment(command, now),
            ItemCommand::Archive { item_ids, archive } => return self.apply_archive(&item_ids, archive, now),
            ItemCommand::RenamePerson { from, to } => return self.rename_person(&from, &to, now),
            ItemCommand::Move { item_id, target } => {
                let seen = self.seen_rank(target);
                let outcome = self.store.write(|tx| move_item_seen_in_tx(tx, item_id, target, seen.as_ref(), now))?;
                let title = self.workspace.item(item_id).map(|item| item.title.clone()).unwrap_or_default();
                if outcome.rows_written == 0 {
                    return Ok(Applied { item_id: Some(item_id), message: format!("'{title}' is already there.") });
                }
                let change = Change::Positions { before: outcome.before, after: outcome.after };
                self.apply_to_workspace(&change, true);
                self.last_saved = Some(now);
                let message = self.describe_position(item_id, &title);
                self.undo.push(UndoEntry { description: format!("move '{title}'"), changes: vec![change] });
                return Ok(Applied { item_id: Some(item_id), message });
            }
            ItemCommand::MoveMany { item_ids, target } => {
                let seen = self.seen_rank(target);
                let outcome = self.store.write(|tx| move_items_in_tx(tx, &item_ids, target, seen.as_ref(), now))?;
                let count = item_ids.len();
                let column = self.column_name(target.column_id);
                if outcome.rows_written == 0 {
                    return Ok(Applied {
                        item_id: item_ids.first().copied(),
                        message: format!(
                            "The {} are already there.",
                            crate::interchange::convert::plural(count, "card")
                        ),
                    });
                }
                let change = Change::Positions { before: outcome.before, after: outcome.after };
                self.apply_to_workspace(&change, true);
                self.last_saved = Some(now);
                let position = item_ids
                    .first()
                    .and_then(|first| self.workspace.column_items(target.column_id).iter().position(|id| id == first));
                let message = format!(
                    "Moved {} cards to positions {} to {} of {} in {column}.{}",
                    grouped(count),
                    grouped(position.map_or(0, |index| index + 1)),
                    grouped(position.map_or(0, |index| index + count)),
                    grouped(self.workspace.column_items(target.column_id).len()),
                    self.wip_warning(target.column_id)
                );
                self.undo
                    .push(UndoEntry { description: format!("move {} cards", grouped(count)), changes: vec![change] });
                return Ok(Applied { item_id: item_ids.first().copied(), message });
            }
            ItemCommand::MoveToLane { item_ids, target, epic_id } => {
                let seen = self.seen_rank(target);
                let (outcome, epic_changes) = self.store.write(|tx| {
                    let outcome = move_items_in_tx(tx, &item_ids, target, seen.as_ref(), now)?;
                    let mut epic_changes = Vec::new();
                    for item_id in &item_ids {
                        let before = crate::store::items::item_in_tx(tx, *item_id)?;
                        if before.epic_id != epic_id {
                            let mut after = before.clone();
                            after.epic_id = epic_id;
                            after.updated_at = now;
                            put_item_in_tx(tx, &after, now)?;
                            epic_changes.push(Change::Item {
                                before: Some(ItemRecord::new(before, Vec::new())),
                                after: Some(ItemRecord::new(after, Vec::new())),
                            });
                        }
                    }
                    Ok((outcome, epic_changes))
                })?;
                let count = item_ids.len();
                let lane = epic_id
                    .and_then(|epic_id| self.workspace.epic(epic_id))
                    .map_or_else(|| "no epic".to_owned(), |epic| format!("the epic '{}'", epic.title));
                let mut changes = vec![Change::Positions { before: outcome.before, after: outcome.after }];
                let epic_count = epic_changes.len();
                changes.extend(epic_changes);
                let first = item_ids.first().copied();
                let title =
                    first.and_then(|id| self.workspace.item(id)).map(|item| item.title.clone()).unwrap_or_default();
                for change in &changes {
                    self.apply_to_workspace(change, true);
                }
                self.last_saved = Some(now);
                let place = first.map(|id| self.describe_position(id, &title)).unwrap_or_default();
                let message = if epic_count > 0 { format!("{place} It now belongs to {lane}.") } else { place };
                let description =
                    if count == 1 { format!("move '{title}'") } else { format!("move {} cards", grouped(count)) };
                self.undo.push(UndoEntry { description, changes });
                return Ok(Applied { item_id: first, message });
            }
        };
        Ok(self.finish(now, description, changes, item_id, message))
    }
}

/// "no comments", "1 comment", "3 comments".
#[must_use]
pub fn comments_in_words(count: u32) -> String {
    match count {
        0 => "no comments".to_owned(),
        1 => "1 comment".to_owned(),
        _ => format!("{count} comments"),
    }
}

impl App {
    /// The rank this window's board gives the card a move lands below: the move then finds that card in
    /// the column's index alone (if another window moved it since, the file says so and it is looked up).
    fn seen_rank(&self, target: crate::store::MoveTarget) -> Option<crate::model::Rank> {
        target.after_item.and_then(|anchor| self.workspace.item(anchor)).map(|anchor| anchor.rank.clone())
    }

    /// Adds or deletes a comment, in one transaction, with undo.
    fn apply_comment(&mut self, command: ItemCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, item_id, message) = match command {
            ItemCommand::AddComment(comment) => {
                let comment = self.store.write(|tx| crate::store::comments::add_comment_in_tx(tx, &comment))?;
                let title = self.workspace.item(comment.item_id).map(|item| item.title.clone()).unwrap_or_default();
                let item_id = comment.item_id;
                let count = self.workspace.comment_count(item_id) + 1;
                (
                    format!("comment on '{title}'"),
                    vec![Change::Comment { before: None, after: Some(comment) }],
                    Some(item_id),
                    format!("Added a comment to '{title}'; it has {}.", comments_in_words(count)),
                )
            }
            ItemCommand::DeleteComment(comment_id) => {
                let comment = self.store.write(|tx| crate::store::comments::delete_comment_in_tx(tx, comment_id))?;
                let title = self.workspace.item(comment.item_id).map(|item| item.title.clone()).unwrap_or_default();
                let item_id = comment.item_id;
                let author = comment.author.clone();
                (
                    format!("delete a comment on '{title}'"),
                    vec![Change::Comment { before: Some(comment), after: None }],
                    Some(item_id),
                    format!("Deleted {author}'s comment on '{title}'. Press Ctrl+Z to bring it back."),
                )
            }
            _ => return Err(StoreError::Corrupt("not a comment command".to_owned())),
        };
        Ok(self.finish(now, description, changes, item_id, message))
    }

    /// An item's comments, oldest first, as the file holds them now.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn comments(&self, item_id: crate::model::ItemId) -> Result<Vec<crate::model::Comment>, StoreError> {
        self.store.comments(item_id)
    }
}
