//! Backlog items: create, read, update, delete, and the one-row move.

mod bulk;
pub(super) use bulk::{bind_all, insert_rows};
use bulk::{write_children, write_rows};
mod history;
pub use history::{history_in_tx, read_status_changes, status_changes_in_tx};
use history::{log_status_change, log_status_changes};
mod ranks;
pub use ranks::{
    MoveOutcome, MoveTarget, move_item_in_tx, move_item_seen_in_tx, move_items_in_tx, position_of,
    set_positions_back_in_tx, set_positions_in_tx,
};
use ranks::{bottom_rank, column_of, ensure_column};

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::convert::{number_within, parsed, parsed_opt, rank, score, timestamp};
use super::{Store, StoreError};
use crate::model::{
    BacklogItem, ColumnId, Criterion, EpicId, InsightId, ItemDetails, ItemId, ItemKind, ItemMap, ItemRecord, Moscow,
    Raiser, RiceInputs, SprintId, StatusChange, Timestamp,
};

/// Every column an item is read from, in the order [`item_from_row`] reads them.
pub(crate) const ITEM_COLUMNS: &str = "item_id, kind, title, description, points, business_value, time_criticality, \
    risk_reduction, column_id, rank, epic_id, sprint_id, raised_by, created_at, updated_at, reach, impact, \
    confidence_percent, effort, moscow, archived_at, start_date, due_date, assignee, reporter, parent_id, insight_id";

/// An item from a row of [`ITEM_COLUMNS`], refused (as a conversion failure) when a value breaks a rule
/// of the items table's `CHECK` constraints: opening a file leaves those to this, see
/// [`super::files::quick_check_but_item_rules`].
fn item_from_row(row: &Row<'_>) -> rusqlite::Result<BacklogItem> {
    Ok(BacklogItem {
        item_id: ItemId(row.get(0)?),
        kind: parsed(row, 1, "item kind", ItemKind::from_code)?,
        title: super::convert::title(row, 2)?,
        points: number_within(row, 4, "estimate", 0.0..=f64::INFINITY)?,
        business_value: score(row, 5)?,
        time_criticality: score(row, 6)?,
        risk_reduction: score(row, 7)?,
        column_id: ColumnId(row.get(8)?),
        rank: parsed(row, 9, "rank key", rank)?,
        epic_id: row.get::<_, Option<i64>>(10)?.map(EpicId),
        sprint_id: row.get::<_, Option<i64>>(11)?.map(SprintId),
        raised_by: parsed(row, 12, "raiser", Raiser::from_code)?,
        created_at: parsed(row, 13, "timestamp", timestamp)?,
        updated_at: parsed(row, 14, "timestamp", timestamp)?,
        labels: crate::model::Labels::NONE,
        start_date: parsed_opt(row, 21, "date", |text| text.parse().ok())?,
        due_date: parsed_opt(row, 22, "date", |text| text.parse().ok())?,
        parent_id: row.get::<_, Option<i64>>(25)?.map(ItemId),
        // Kept apart, and only when the item has any (criteria are added as they load).
        details: ItemDetails {
            description: row.get(3)?,
            acceptance_criteria: Vec::new(),
            rice: RiceInputs {
                reach: number_within(row, 15, "reach", 0.0..=f64::INFINITY)?,
                impact: number_within(row, 16, "impact", 0.0..=f64::INFINITY)?,
                confidence_percent: number_within(row, 17, "confidence", 0.0..=100.0)?,
                effort: number_within(row, 18, "effort", 0.0..=f64::INFINITY)?,
            }
            .into(),
            moscow: parsed_opt(row, 19, "MoSCoW value", Moscow::from_code)?,
            assignee: row.get(23)?,
            reporter: row.get(24)?,
            insight_id: row.get::<_, Option<i64>>(26)?.map(InsightId),
            archived_at: parsed_opt(row, 20, "timestamp", timestamp)?,
        }
        .into(),
    })
}

/// Every item with its criteria and labels, in the order the file keeps them (the workspace sorts each
/// column once). Each table is read straight through, so every page is read once however small the
/// page cache: in the board's index order, the items' pages would be visited out of order.
pub(crate) fn load_items(connection: &Connection) -> Result<ItemMap, StoreError> {
    // Sized once from the count, so that 100,000 items are neither copied nor rehashed while they load.
    let count: i64 = connection.query_row("SELECT count(*) FROM items", [], |row| row.get(0))?;
    let mut items =
        ItemMap::with_capacity_and_hasher(usize::try_from(count).unwrap_or(0), foldhash::fast::RandomState::default());
    let mut statement = connection.prepare(&format!("SELECT {ITEM_COLUMNS} FROM items"))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let item = item_from_row(row)?;
        items.insert(item.item_id, item);
    }
    let mut criteria =
        connection.prepare("SELECT item_id, text, done FROM acceptance_criteria ORDER BY item_id, position")?;
    let mut rows = criteria.query([])?;
    let mut cursor = 0;
    while let Some(row) = rows.next()? {
        if let Some(item) = in_id_order(&mut items, &mut cursor, ItemId(row.get(0)?)) {
            // Grown one at a time: a vector's doubling would keep room for four labels or criteria in
            // every item that has one (7 MB at 100,000 items).
            item.details.acceptance_criteria.reserve_exact(1);
            item.details.acceptance_criteria.push(Criterion { text: row.get(1)?, done: row.get(2)? });
        }
    }
    // Each item's labels are gathered, then shared with every item carrying the same ones: at 100,000
    // items a few dozen sets of labels are kept instead of a list and its strings per item.
    let mut labels = connection.prepare("SELECT item_id, label FROM item_labels ORDER BY item_id, label")?;
    let mut rows = labels.query([])?;
    let mut cursor = 0;
    let mut sets = crate::model::LabelSets::default();
    let mut gathered: Vec<String> = Vec::new();
    let mut gathering: Option<ItemId> = None;
    while let Some(row) = rows.next()? {
        let item_id = ItemId(row.get(0)?);
        if gathering != Some(item_id) {
            give_labels(&mut items, &mut cursor, gathering, &mut sets, &mut gathered);
            gathering = Some(item_id);
        }
        gathered.push(row.get(1)?);
    }
    give_labels(&mut items, &mut cursor, gathering, &mut sets, &mut gathered);
    Ok(items)
}

/// Gives the item `gathering` the labels gathered for it, shared through `sets`, and empties `gathered`.
fn give_labels(
    items: &mut ItemMap,
    cursor: &mut usize,
    gathering: Option<ItemId>,
    sets: &mut crate::model::LabelSets,
    gathered: &mut Vec<String>,
) {
    if let Some(item) = gathering.and_then(|item_id| in_id_order(items, cursor, item_id)) {
        item.labels = sets.share(gathered);
    }
    gathered.clear();
}

/// The item `item_id` of a map read in the items table's order (by id), for rows that come by id too:
/// found by walking on from `cursor` instead of hashing each id (criteria and labels, a row each). An id
/// the walk passes by is looked up in the map, so the answer never depends on the order.
fn in_id_order<'map>(items: &'map mut ItemMap, cursor: &mut usize, item_id: ItemId) -> Option<&'map mut BacklogItem> {
    while let Some((key, _)) = items.get_index(*cursor) {
        match key.cmp(&item_id) {
            std::cmp::Ordering::Less => *cursor += 1,
            std::cmp::Ordering::Equal => return items.get_index_mut(*cursor).map(|(_, item)| item),
            std::cmp::Ordering::Greater => break,
        }
    }
    items.get_mut(&item_id)
}

/// One item with its criteria and labels.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such item.
pub fn item_in_tx(connection: &Connection, item_id: ItemId) -> Result<BacklogItem, StoreError> {
    let mut item = connection
        .prepare_cached(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE item_id = ?1"))?
        .query_row([item_id.0], item_from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "item", id: item_id.0 })?;
    let criteria = stored_criteria(connection, item_id)?;
    if !criteria.is_empty() {
        // Set only when there are some: writing a detail makes room for all of them.
        item.details.acceptance_criteria = criteria;
    }
    item.labels = stored_labels(connection, item_id)?.into();
    Ok(item)
}

/// An item's acceptance criteria as the file holds them, in order.
fn stored_criteria(connection: &Connection, item_id: ItemId) -> Result<Vec<Criterion>, StoreError> {
    let mut criteria =
        connection.prepare_cached("SELECT text, done FROM acceptance_criteria WHERE item_id = ?1 ORDER BY position")?;
    let criteria = criteria
        .query_map([item_id.0], |row| Ok(Criterion { text: row.get(0)?, done: row.get(1)? }))?
        .collect::<Result<_, _>>()?;
    Ok(criteria)
}

/// An item's labels as the file holds them, sorted.
fn stored_labels(connection: &Connection, item_id: ItemId) -> Result<Vec<String>, StoreError> {
    let mut labels = connection.prepare_cached("SELECT label FROM item_labels WHERE item_id = ?1 ORDER BY label")?;
    let labels = labels.query_map([item_id.0], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(labels)
}

/// Whether the file already holds exactly the criteria and labels `item` would write: then an edit of
/// the item's own fields leaves those rows alone instead of deleting and writing them again.
fn children_stored(connection: &Connection, item: &BacklogItem) -> Result<bool, StoreError> {
    if stored_criteria(connection, item.item_id)? != item.details.acceptance_criteria {
        return Ok(false);
    }
    let mut wanted: Vec<&str> = item.labels.iter().map(String::as_str).collect();
    wanted.sort_unstable();
    wanted.dedup();
    Ok(stored_labels(connection, item.item_id)? == wanted)
}

/// Adds a new item at the bottom of its column and logs its arrival there.
///
/// # Errors
/// [`StoreError::Invalid`] for a value the user must fix; [`StoreError::NotFound`] for a missing column.
pub fn create_item_in_tx(connection: &Connection, item: &BacklogItem) -> Result<BacklogItem, StoreError> {
    let mut item = item.clone();
    item.tidy();
    item.validate()?;
    ensure_column(connection, item.column_id)?;
    item.rank = bottom_rank(connection, item.column_id)?;
    check_parent_in_tx(connection, &item)?;
    write_rows(connection, &[&item], false)?;
    item.item_id = ItemId(connection.last_insert_rowid());
    write_children(connection, &[&item])?;
    log_status_change(
        connection,
        &StatusChange {
            item_id: item.item_id,
            changed_at: item.created_at,
            from_column_id: None,
            to_column_id: item.column_id,
        },
    )?;
    Ok(item)
}

/// Puts back a deleted item with its id and history (undo of a delete, redo of a create).
///
/// # Errors
/// A SQLite error, e.g. when the id is taken.
pub fn restore_item_in_tx(connection: &Connection, record: &ItemRecord) -> Result<(), StoreError> {
    restore_items_in_tx(connection, std::slice::from_ref(record))
}

/// Puts back items with their ids and histories, many rows per statement: imports and large undos.
///
/// # Errors
/// A SQLite error, e.g. when an id is taken.
pub fn restore_items_in_tx(connection: &Connection, records: &[ItemRecord]) -> Result<(), StoreError> {
    let items: Vec<&BacklogItem> = records.iter().map(|record| &record.item).collect();
    write_rows(connection, &items, true)?;
    write_children(connection, &items)?;
    let history: Vec<StatusChange> = records.iter().flat_map(|record| record.history.iter().cloned()).collect();
    log_status_changes(connection, &history)?;
    let comments: Vec<crate::model::Comment> =
        records.iter().flat_map(|record| record.comments.iter().cloned()).collect();
    crate::store::comments::write_comments(connection, &comments)?;
    // Sub-tasks that stayed when their parent was deleted are its again.
    let mut adopt = connection.prepare_cached("UPDATE items SET parent_id = ?1 WHERE item_id = ?2")?;
    for record in records {
        for child in &record.children {
            adopt.execute([record.item.item_id.0, child.0])?;
        }
    }
    Ok(())
}

/// The ids of an item's sub-tasks, in board order.
///
/// # Errors
/// A SQLite error.
pub fn children_in_tx(connection: &Connection, item_id: ItemId) -> Result<Vec<ItemId>, StoreError> {
    let mut statement = connection
        .prepare_cached("SELECT item_id FROM items WHERE parent_id = ?1 ORDER BY column_id, rank, item_id")?;
    let children = statement.query_map([item_id.0], |row| Ok(ItemId(row.get(0)?)))?.collect::<Result<_, _>>()?;
    Ok(children)
}

/// Checks that an item's parent can have it as a sub-task: the parent exists, is not the item itself,
/// is not a sub-task, and the item has no sub-tasks of its own (one level deep).
///
/// # Errors
/// [`StoreError::Conflict`] in a sentence naming what is wrong.
pub fn check_parent_in_tx(connection: &Connection, item: &BacklogItem) -> Result<(), StoreError> {
    let Some(parent_id) = item.parent_id else {
        return Ok(());
    };
    if parent_id == item.item_id {
        return Err(StoreError::Conflict(format!(
            "'{}' cannot be a sub-task of itself. Nothing was changed.",
            item.title
        )));
    }
    let parent: Option<(String, Option<i64>)> = connection
        .prepare_cached("SELECT title, parent_id FROM items WHERE item_id = ?1")?
        .query_row([parent_id.0], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((parent_title, grandparent)) = parent else {
        return Err(StoreError::NotFound { what: "item", id: parent_id.0 });
    };
    if grandparent.is_some() {
        return Err(StoreError::Conflict(format!(
            "'{parent_title}' is itself a sub-task, and sub-tasks have none of their own. Nothing was changed; choose its parent instead."
        )));
    }
    if item.item_id.0 != 0 && !children_in_tx(connection, item.item_id)?.is_empty() {
        return Err(StoreError::Conflict(format!(
            "'{}' has sub-tasks of its own, so it cannot become a sub-task. Nothing was changed.",
            item.title
        )));
    }
    Ok(())
}

/// Overwrites an item with exactly these values (undo and redo of an edit), logging a status change if
/// its column differs from the stored one.
///
/// # Errors
/// [`StoreError::NotFound`] when the item is gone.
pub fn put_item_in_tx(connection: &Connection, item: &BacklogItem, now: Timestamp) -> Result<(), StoreError> {
    put_item(connection, item, now, false)
}

/// [`put_item_in_tx`] for an undo: a change of column taken back takes its entry out of the
/// status-change log ([`history::log_column_change`]).
///
/// # Errors
/// As [`put_item_in_tx`].
pub fn put_item_back_in_tx(connection: &Connection, item: &BacklogItem, now: Timestamp) -> Result<(), StoreError> {
    put_item(connection, item, now, true)
}

fn put_item(connection: &Connection, item: &BacklogItem, now: Timestamp, undoing: bool) -> Result<(), StoreError> {
    item.validate()?;
    check_parent_in_tx(connection, item)?;
    let stored_column = column_of(connection, item.item_id)?;
    connection
        .prepare_cached(
            "UPDATE items SET kind = ?2, title = ?3, description = ?4, points = ?5, business_value = ?6, \
             time_criticality = ?7, risk_reduction = ?8, column_id = ?9, rank = ?10, epic_id = ?11, sprint_id = ?12, \
             raised_by = ?13, created_at = ?14, updated_at = ?15, reach = ?16, impact = ?17, confidence_percent = ?18, \
             effort = ?19, moscow = ?20, archived_at = ?21, \
             start_date = ?22, due_date = ?23, assignee = ?24, reporter = ?25, \
             parent_id = ?26, insight_id = ?27 WHERE item_id = ?1",
        )?
        .execute(params![
            item.item_id.0,
            item.kind.code(),
            item.title,
            item.details.description,
            item.points,
            item.business_value,
            item.time_criticality,
            item.risk_reduction,
            item.column_id.0,
            item.rank.as_str(),
            item.epic_id.map(|id| id.0),
            item.sprint_id.map(|id| id.0),
            item.raised_by.code(),
            item.created_at.to_string(),
            item.updated_at.to_string(),
            item.details.rice.reach,
            item.details.rice.impact,
            item.details.rice.confidence_percent,
            item.details.rice.effort,
            item.details.moscow.map(Moscow::code),
            item.details.archived_at.map(|at| at.to_string()),
            item.start_date.map(|day| day.to_string()),
            item.due_date.map(|day| day.to_string()),
            item.details.assignee,
            item.details.reporter,
            item.parent_id.map(|id| id.0),
            item.details.insight_id.map(|id| id.0),
        ])?;
    if !children_stored(connection, item)? {
        connection.prepare_cached("DELETE FROM acceptance_criteria WHERE item_id = ?1")?.execute([item.item_id.0])?;
        connection.prepare_cached("DELETE FROM item_labels WHERE item_id = ?1")?.execute([item.item_id.0])?;
        write_children(connection, &[item])?;
    }
    if stored_column != item.column_id {
        history::log_column_change(connection, item.item_id, (stored_column, item.column_id), now, undoing)?;
    }
    Ok(())
}

/// Saves an edited item. If its status changed, it goes to the bottom of its new column.
/// Returns the item as it was and as it is now.
///
/// # Errors
/// [`StoreError::Invalid`] for a value the user must fix; [`StoreError::NotFound`] when it is gone.
pub fn update_item_in_tx(
    connection: &Connection,
    edited: &BacklogItem,
    now: Timestamp,
) -> Result<(BacklogItem, BacklogItem), StoreError> {
    let before = item_in_tx(connection, edited.item_id)?;
    let mut after = edited.clone();
    after.tidy();
    after.validate()?;
    after.created_at = before.created_at;
    after.updated_at = now;
    if after.column_id == before.column_id {
        after.rank = before.rank.clone();
    } else {
        ensure_column(connection, after.column_id)?;
        after.rank = bottom_rank(connection, after.column_id)?;
    }
    put_item_in_tx(connection, &after, now)?;
    Ok((before, after))
}

/// Deletes an item and returns it with its history and comments, so the delete can be undone.
///
/// # Errors
/// [`StoreError::NotFound`] when it is already gone.
pub fn delete_item_in_tx(connection: &Connection, item_id: ItemId) -> Result<ItemRecord, StoreError> {
    let item = item_in_tx(connection, item_id)?;
    let history = history_in_tx(connection, item_id)?;
    let comments = crate::store::comments::comments_in_tx(connection, item_id)?;
    let children = children_in_tx(connection, item_id)?;
    connection.prepare_cached("DELETE FROM items WHERE item_id = ?1")?.execute([item_id.0])?;
    Ok(ItemRecord { item, history, comments, children })
}

impl Store {
    /// Creates an item at the bottom of its column.
    ///
    /// # Errors
    /// See [`create_item_in_tx`].
    pub fn create_item(&mut self, item: &BacklogItem) -> Result<BacklogItem, StoreError> {
        self.write(|tx| create_item_in_tx(tx, item))
    }

    /// Reads one item.
    ///
    /// # Errors
    /// See [`item_in_tx`].
    pub fn item(&self, item_id: ItemId) -> Result<BacklogItem, StoreError> {
        item_in_tx(&self.connection, item_id)
    }

    /// Reads an item's status history.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn history(&self, item_id: ItemId) -> Result<Vec<StatusChange>, StoreError> {
        history_in_tx(&self.connection, item_id)
    }

    /// Reads every item's status changes (the delivery charts' log).
    ///
    /// # Errors
    /// A SQLite error.
    pub fn status_changes(&self) -> Result<Vec<StatusChange>, StoreError> {
        status_changes_in_tx(&self.connection)
    }

    /// Saves an edited item.
    ///
    /// # Errors
    /// See [`update_item_in_tx`].
    pub fn update_item(&mut self, item: &BacklogItem) -> Result<(BacklogItem, BacklogItem), StoreError> {
        self.write(|tx| update_item_in_tx(tx, item, Timestamp::now()))
    }

    /// Deletes an item.
    ///
    /// # Errors
    /// See [`delete_item_in_tx`].
    pub fn delete_item(&mut self, item_id: ItemId) -> Result<ItemRecord, StoreError> {
        self.write(|tx| delete_item_in_tx(tx, item_id))
    }

    /// Moves an item; one transaction, normally one row.
    ///
    /// # Errors
    /// See [`move_item_in_tx`].
    pub fn move_item(&mut self, item_id: ItemId, target: MoveTarget) -> Result<MoveOutcome, StoreError> {
        self.write(|tx| move_item_in_tx(tx, item_id, target, Timestamp::now()))
    }

    /// [`Store::move_item`], told the rank the caller's copy of the board gives the card it lands below
    /// ([`move_item_seen_in_tx`]).
    ///
    /// # Errors
    /// See [`move_item_in_tx`].
    pub fn move_item_seen(
        &mut self,
        item_id: ItemId,
        target: MoveTarget,
        seen: Option<&crate::model::Rank>,
    ) -> Result<MoveOutcome, StoreError> {
        self.write(|tx| move_item_seen_in_tx(tx, item_id, target, seen, Timestamp::now()))
    }

    /// Item ids of a column in board order, straight from the database.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn column_order(&self, column_id: ColumnId) -> Result<Vec<ItemId>, StoreError> {
        let mut statement =
            self.connection.prepare_cached("SELECT item_id FROM items WHERE column_id = ?1 ORDER BY rank, item_id")?;
        let ids = statement.query_map([column_id.0], |row| Ok(ItemId(row.get(0)?)))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::{ItemMap, in_id_order};
    use crate::model::{BacklogItem, ColumnId, ItemId, ItemKind, Timestamp};

    #[test]
    fn rows_by_id_find_their_items_whatever_order_the_map_is_in() {
        let mut items = ItemMap::default();
        for id in [1, 5, 3, 7, 9] {
            let mut item = BacklogItem::new(ItemKind::Story, format!("Item {id}"), ColumnId(1), Timestamp::UNIX_EPOCH);
            item.item_id = ItemId(id);
            items.insert(item.item_id, item);
        }
        let mut cursor = 0;
        let found: Vec<Option<String>> = [1, 3, 3, 5, 7, 8, 9, 2]
            .into_iter()
            .map(|id| in_id_order(&mut items, &mut cursor, ItemId(id)).map(|item| item.title.clone()))
            .collect();
        let expected = [Some(1), Some(3), Some(3), Some(5), Some(7), None, Some(9), None]
            .map(|id| id.map(|id: i64| format!("Item {id}")));
        assert_eq!(found, expected);
    }
}
