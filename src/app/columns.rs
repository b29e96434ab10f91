//! The board's columns: add, edit, move, delete, order by a score.

use super::{
    App, Applied, BacklogItem, Change, Column, ColumnCommand, ColumnId, ItemId, ItemPosition, StoreError, Timestamp,
    guard, insert_column_in_tx, set_columns_in_tx, set_positions_in_tx,
};

impl App {
    /// Carries out one [`ColumnCommand`] in one transaction, with undo.
    pub(super) fn apply_column(&mut self, command: ColumnCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, item_id, message) = match command {
            ColumnCommand::Add { name } => {
                // The place comes from the file, inside the transaction: another window or the command
                // line may have added a column since this one last looked.
                let (before, after) = self.store.write(|tx| {
                    let stored = crate::store::board::columns_in_tx(tx)?;
                    let position = stored.iter().map(|column| column.position).max().map_or(0, |last| last + 1);
                    // A second "New column" is "New column 2": each column has a name of its own.
                    let name = (1..=stored.len() + 1)
                        .map(|n| if n == 1 { name.trim().to_owned() } else { format!("{} {n}", name.trim()) })
                        .find(|candidate| !stored.iter().any(|column| same_column_name(&column.name, candidate)))
                        .unwrap_or(name);
                    let draft = Column { column_id: ColumnId(0), name, position, wip_limit: None, is_done: false };
                    let added = insert_column_in_tx(tx, &draft)?;
                    let mut after = stored.clone();
                    after.push(added);
                    Ok((stored, after))
                })?;
                let added_name = after.last().map(|column| column.name.clone()).unwrap_or_default();
                let message = format!("Added the column '{added_name}' at the right end of the board.");
                ("add a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            ColumnCommand::Update(column) => {
                let before = self.workspace.columns.clone();
                let after: Vec<Column> = before
                    .iter()
                    .map(
                        |existing| {
                            if existing.column_id == column.column_id { column.clone() } else { existing.clone() }
                        },
                    )
                    .collect();
                if let Some(other) = before
                    .iter()
                    .find(|other| other.column_id != column.column_id && same_column_name(&other.name, &column.name))
                {
                    return Err(StoreError::ColumnNameTaken(other.name.clone()));
                }
                self.store.write(|tx| {
                    let change = Change::Columns { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "change the columns")?;
                    set_columns_in_tx(tx, &after)
                })?;
                let message = format!("Saved the column '{}'.", column.name.trim());
                ("edit a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            ColumnCommand::Move { column_id, to_index } => {
                let before = self.workspace.columns.clone();
                let mut after = before.clone();
                let Some(from_index) = after.iter().position(|column| column.column_id == column_id) else {
                    return Err(StoreError::NotFound { what: "column", id: column_id.0 });
                };
                let column = after.remove(from_index);
                let name = column.name.clone();
                let to_index = to_index.min(after.len());
                after.insert(to_index, column);
                for (position, column) in (0..).zip(after.iter_mut()) {
                    column.position = position;
                }
                self.store.write(|tx| {
                    let change = Change::Columns { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "change the columns")?;
                    set_columns_in_tx(tx, &after)
                })?;
                let message = format!("Moved the column '{name}' to place {} of {}.", to_index + 1, after.len());
                ("move a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            ColumnCommand::Delete(column_id) => {
                let before = self.workspace.columns.clone();
                let after: Vec<Column> =
                    before.iter().filter(|column| column.column_id != column_id).cloned().collect();
                self.store.write(|tx| {
                    let change = Change::Columns { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "change the columns")?;
                    set_columns_in_tx(tx, &after)
                })?;
                let name = before.iter().find(|column| column.column_id == column_id).map(|column| column.name.clone());
                let message =
                    format!("Deleted the column '{}'. Press Ctrl+Z to bring it back.", name.unwrap_or_default());
                ("delete a column".to_owned(), vec![Change::Columns { before, after }], None, message)
            }
            ColumnCommand::OrderBy { column_id, score } => {
                let ids = self.workspace.column_items(column_id).to_vec();
                let mut scored: Vec<(ItemId, Option<f64>)> = ids
                    .iter()
                    .map(|item_id| (*item_id, self.workspace.item(*item_id).and_then(|item| score.of(item))))
                    .collect();
                // Stable: equal scores and unscored items keep their current order.
                scored.sort_by(|a, b| match (a.1, b.1) {
                    (Some(x), Some(y)) => y.total_cmp(&x),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                });
                let ranks = crate::model::rank::spread(None, None, scored.len())
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                let before: Vec<ItemPosition> =
                    ids.iter().filter_map(|item_id| self.workspace.item(*item_id).map(BacklogItem::position)).collect();
                let after: Vec<ItemPosition> = scored
                    .iter()
                    .zip(ranks)
                    .map(|((item_id, _), rank)| ItemPosition { item_id: *item_id, column_id, rank })
                    .collect();
                self.store.write(|tx| {
                    let change = Change::Positions { before: before.clone(), after: after.clone() };
                    guard::check_replay_in_tx(tx, &change, true, "reorder the column")?;
                    set_positions_in_tx(tx, &after, now)
                })?;
                let with_score = scored.iter().filter(|(_, value)| value.is_some()).count();
                let column = self.column_name(column_id);
                let message = format!(
                    "Ordered {column} by {}: {} first, highest on top. Ctrl+Z restores the previous order.",
                    score.label(),
                    crate::interchange::convert::plural(with_score, "scored card")
                );
                (
                    format!("order {column} by {}", score.label()),
                    vec![Change::Positions { before, after }],
                    None,
                    message,
                )
            }
        };
        Ok(self.finish(now, description, changes, item_id, message))
    }
}

/// Whether two column names are the same name: a search, an export or a script could not tell them
/// apart (ASCII case and surrounding spaces ignored, as imports match names).
fn same_column_name(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
