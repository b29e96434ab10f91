//! Backlog items: create, read, update, delete, and the one-row move.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, Statement, ToSql, params};

use super::convert::{parsed, parsed_opt, rank, score, timestamp};
use super::{Store, StoreError};
use crate::model::rank::{MAX_RANK_LEN, between, spread};
use crate::model::{
    BacklogItem, ColumnId, Criterion, EpicId, ItemId, ItemKind, ItemPosition, ItemRecord, Moscow, Raiser, Rank,
    SprintId, StatusChange, Timestamp,
};

/// Where a moved item should land: directly after `after_item` in `column_id`, or at the top.
///
/// Naming the item above rather than an index keeps moves in a filtered board honest: the card lands
/// right below its visible neighbour and hidden cards keep their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoveTarget {
    /// The column to land in.
    pub column_id: ColumnId,
    /// The item it lands directly below; `None` for the top of the column.
    pub after_item: Option<ItemId>,
}

/// What a move changed, for undo and for the in-memory workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveOutcome {
    /// The positions of every item the move rewrote, before it.
    pub before: Vec<ItemPosition>,
    /// The same items' positions after it.
    pub after: Vec<ItemPosition>,
    /// Item rows written: 1 normally, more when a rebalance respaced neighbours, 0 for no move.
    pub rows_written: usize,
}

/// How many neighbours on each side a rebalance respaces first; doubled until the keys are short.
const REBALANCE_WINDOW: usize = 16;

/// A rebalance widens its window until every respaced key is at most this long, so that dozens of
/// further inserts fit into the same gap before the next one. Stopping at [`MAX_RANK_LEN`] instead
/// would leave the window's bounds so close that keys regrow at once.
const REBALANCED_RANK_LEN: usize = MAX_RANK_LEN / 2;

const ITEM_COLUMNS: &str = "item_id, kind, title, description, points, business_value, time_criticality, \
    risk_reduction, column_id, rank, epic_id, sprint_id, raised_by, created_at, updated_at, reach, impact, \
    confidence_percent, effort, moscow";

fn item_from_row(row: &Row<'_>) -> rusqlite::Result<BacklogItem> {
    Ok(BacklogItem {
        item_id: ItemId(row.get(0)?),
        kind: parsed(row, 1, "item kind", ItemKind::from_code)?,
        title: row.get(2)?,
        description: row.get(3)?,
        acceptance_criteria: Vec::new(),
        points: row.get(4)?,
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
        labels: Vec::new(),
        reach: row.get(15)?,
        impact: row.get(16)?,
        confidence_percent: row.get(17)?,
        effort: row.get(18)?,
        moscow: parsed_opt(row, 19, "MoSCoW value", Moscow::from_code)?,
    })
}

/// Every item with its criteria and labels, in no particular order.
pub(crate) fn load_items(connection: &Connection) -> Result<Vec<BacklogItem>, StoreError> {
    // In board order, straight from the (column, rank, id) index, so the workspace's sort is a no-op.
    let mut statement =
        connection.prepare(&format!("SELECT {ITEM_COLUMNS} FROM items ORDER BY column_id, rank, item_id"))?;
    let mut items: Vec<BacklogItem> = statement.query_map([], item_from_row)?.collect::<Result<_, _>>()?;
    let index: HashMap<ItemId, usize> = items.iter().enumerate().map(|(at, item)| (item.item_id, at)).collect();

    let mut criteria =
        connection.prepare("SELECT item_id, text, done FROM acceptance_criteria ORDER BY item_id, position")?;
    let mut rows = criteria.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(item) = index.get(&ItemId(row.get(0)?)).and_then(|&at| items.get_mut(at)) {
            item.acceptance_criteria.push(Criterion { text: row.get(1)?, done: row.get(2)? });
        }
    }
    let mut labels = connection.prepare("SELECT item_id, label FROM item_labels ORDER BY item_id, label")?;
    let mut rows = labels.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(item) = index.get(&ItemId(row.get(0)?)).and_then(|&at| items.get_mut(at)) {
            item.labels.push(row.get(1)?);
        }
    }
    Ok(items)
}

/// One item with its criteria and labels.
///
/// # Errors
/// [`StoreError::NotFound`] when there is no such item.
pub fn item_in_tx(connection: &Connection, item_id: ItemId) -> Result<BacklogItem, StoreError> {
    let mut item = connection
        .query_row(&format!("SELECT {ITEM_COLUMNS} FROM items WHERE item_id = ?1"), [item_id.0], item_from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "item", id: item_id.0 })?;
    let mut criteria =
        connection.prepare_cached("SELECT text, done FROM acceptance_criteria WHERE item_id = ?1 ORDER BY position")?;
    item.acceptance_criteria = criteria
        .query_map([item_id.0], |row| Ok(Criterion { text: row.get(0)?, done: row.get(1)? }))?
        .collect::<Result<_, _>>()?;
    let mut labels = connection.prepare_cached("SELECT label FROM item_labels WHERE item_id = ?1 ORDER BY label")?;
    item.labels = labels.query_map([item_id.0], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(item)
}

/// Every item's status changes, by item and then oldest first: the log the delivery charts read.
///
/// # Errors
/// A SQLite error or an unreadable timestamp.
pub fn status_changes_in_tx(connection: &Connection) -> Result<Vec<StatusChange>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT item_id, changed_at, from_column_id, to_column_id FROM status_changes \
         ORDER BY item_id, changed_at, status_change_id",
    )?;
    let changes = statement
        .query_map([], |row| {
            Ok(StatusChange {
                item_id: ItemId(row.get(0)?),
                changed_at: parsed(row, 1, "timestamp", timestamp)?,
                from_column_id: row.get::<_, Option<i64>>(2)?.map(ColumnId),
                to_column_id: ColumnId(row.get(3)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(changes)
}

/// An item's status changes, oldest first.
///
/// # Errors
/// A SQLite error.
pub fn history_in_tx(connection: &Connection, item_id: ItemId) -> Result<Vec<StatusChange>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT changed_at, from_column_id, to_column_id FROM status_changes WHERE item_id = ?1 ORDER BY changed_at, status_change_id",
    )?;
    let history = statement
        .query_map([item_id.0], |row| {
            Ok(StatusChange {
                item_id,
                changed_at: parsed(row, 0, "timestamp", timestamp)?,
                from_column_id: row.get::<_, Option<i64>>(1)?.map(ColumnId),
                to_column_id: ColumnId(row.get(2)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(history)
}

fn ensure_column(connection: &Connection, column_id: ColumnId) -> Result<(), StoreError> {
    let exists: bool = connection
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM board_columns WHERE column_id = ?1)")?
        .query_row([column_id.0], |row| row.get(0))?;
    if exists { Ok(()) } else { Err(StoreError::NotFound { what: "column", id: column_id.0 }) }
}

fn last_rank(connection: &Connection, column_id: ColumnId) -> Result<Option<Rank>, StoreError> {
    let text: Option<String> = connection
        .prepare_cached("SELECT rank FROM items WHERE column_id = ?1 ORDER BY rank DESC, item_id DESC LIMIT 1")?
        .query_row([column_id.0], |row| row.get(0))
        .optional()?;
    text.map(|text| Rank::parse(&text).map_err(|error| StoreError::Corrupt(error.to_string()))).transpose()
}

/// A key below the column's last item, for items that join a column at the bottom.
fn bottom_rank(connection: &Connection, column_id: ColumnId) -> Result<Rank, StoreError> {
    let last = last_rank(connection, column_id)?;
    between(last.as_ref(), None).map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// Parameters per multi-row `INSERT` (20 item rows, 100 label rows). Many rows per statement save the
/// per-statement work (cursor setup, the AUTOINCREMENT counter, constraint bookkeeping); counted with
/// callgrind on a 10,000-item import, 400 took the fewest instructions of 200, 400, 960 and 4,000.
const PARAMETERS_PER_INSERT: usize = 400;

/// Inserts `rows` with as few statements as the parameter budget allows. `head` is the statement up
/// to `VALUES`; `bind` binds one row's `width` values starting at the given one-based parameter.
fn insert_rows<T>(
    connection: &Connection,
    head: &str,
    width: usize,
    rows: &[T],
    bind: impl Fn(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<(), StoreError> {
    let per_statement = (PARAMETERS_PER_INSERT / width).max(1);
    let placeholders = format!("({})", vec!["?"; width].join(", "));
    for chunk in rows.chunks(per_statement) {
        let sql = format!("{head} VALUES {}", vec![placeholders.as_str(); chunk.len()].join(", "));
        let mut statement = connection.prepare_cached(&sql)?;
        for (at, row) in chunk.iter().enumerate() {
            bind(&mut statement, at * width + 1, row)?;
        }
        statement.raw_execute()?;
    }
    Ok(())
}

fn bind_all(statement: &mut Statement<'_>, first: usize, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
    for (offset, value) in values.iter().enumerate() {
        statement.raw_bind_parameter(first + offset, value)?;
    }
    Ok(())
}

/// Writes item rows. With `with_id` each keeps its id (restoring); otherwise SQLite assigns one.
fn write_rows(connection: &Connection, items: &[&BacklogItem], with_id: bool) -> Result<(), StoreError> {
    let head = format!("INSERT INTO items ({ITEM_COLUMNS})");
    insert_rows(connection, &head, 20, items, |statement, first, item| {
        let (created_at, updated_at) = (item.created_at.to_string(), item.updated_at.to_string());
        bind_all(
            statement,
            first,
            &[
                &with_id.then_some(item.item_id.0),
                &item.kind.code(),
                &item.title,
                &item.description,
                &item.points,
                &item.business_value,
                &item.time_criticality,
                &item.risk_reduction,
                &item.column_id.0,
                &item.rank.as_str(),
                &item.epic_id.map(|id| id.0),
                &item.sprint_id.map(|id| id.0),
                &item.raised_by.code(),
                &created_at,
                &updated_at,
                &item.reach,
                &item.impact,
                &item.confidence_percent,
                &item.effort,
                &item.moscow.map(Moscow::code),
            ],
        )
    })
}

/// Writes the items' criteria and labels (their stored ones must be gone already).
fn write_children(connection: &Connection, items: &[&BacklogItem]) -> Result<(), StoreError> {
    let criteria: Vec<(i64, i64, &Criterion)> = items
        .iter()
        .flat_map(|item| {
            (0_i64..).zip(&item.acceptance_criteria).map(|(position, criterion)| (item.item_id.0, position, criterion))
        })
        .collect();
    insert_rows(
        connection,
        "INSERT INTO acceptance_criteria (item_id, position, text, done)",
        4,
        &criteria,
        |statement, first, (item_id, position, criterion)| {
            bind_all(statement, first, &[item_id, position, &criterion.text, &criterion.done])
        },
    )?;
    let labels: Vec<(i64, &str)> =
        items.iter().flat_map(|item| item.labels.iter().map(|label| (item.item_id.0, label.as_str()))).collect();
    insert_rows(
        connection,
        "INSERT OR IGNORE INTO item_labels (item_id, label)",
        2,
        &labels,
        |statement, first, (item_id, label)| bind_all(statement, first, &[item_id, label]),
    )
}

fn log_status_changes(connection: &Connection, changes: &[StatusChange]) -> Result<(), StoreError> {
    insert_rows(
        connection,
        "INSERT INTO status_changes (item_id, changed_at, from_column_id, to_column_id)",
        4,
        changes,
        |statement, first, change| {
            bind_all(
                statement,
                first,
                &[
                    &change.item_id.0,
                    &change.changed_at.to_string(),
                    &change.from_column_id.map(|id| id.0),
                    &change.to_column_id.0,
                ],
            )
        },
    )
}

fn log_status_change(connection: &Connection, change: &StatusChange) -> Result<(), StoreError> {
    log_status_changes(connection, std::slice::from_ref(change))
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
    log_status_changes(connection, &history)
}

/// Overwrites an item with exactly these values (undo and redo of an edit), logging a status change if
/// its column differs from the stored one.
///
/// # Errors
/// [`StoreError::NotFound`] when the item is gone.
pub fn put_item_in_tx(connection: &Connection, item: &BacklogItem, now: Timestamp) -> Result<(), StoreError> {
    item.validate()?;
    let stored_column = column_of(connection, item.item_id)?;
    connection
        .prepare_cached(
            "UPDATE items SET kind = ?2, title = ?3, description = ?4, points = ?5, business_value = ?6, \
             time_criticality = ?7, risk_reduction = ?8, column_id = ?9, rank = ?10, epic_id = ?11, sprint_id = ?12, \
             raised_by = ?13, created_at = ?14, updated_at = ?15, reach = ?16, impact = ?17, confidence_percent = ?18, \
             effort = ?19, moscow = ?20 WHERE item_id = ?1",
        )?
        .execute(params![
            item.item_id.0,
            item.kind.code(),
            item.title,
            item.description,
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
            item.reach,
            item.impact,
            item.confidence_percent,
            item.effort,
            item.moscow.map(Moscow::code),
        ])?;
    connection.prepare_cached("DELETE FROM acceptance_criteria WHERE item_id = ?1")?.execute([item.item_id.0])?;
    connection.prepare_cached("DELETE FROM item_labels WHERE item_id = ?1")?.execute([item.item_id.0])?;
    write_children(connection, &[item])?;
    if stored_column != item.column_id {
        log_status_change(
            connection,
            &StatusChange {
                item_id: item.item_id,
                changed_at: now,
                from_column_id: Some(stored_column),
                to_column_id: item.column_id,
            },
        )?;
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

/// Deletes an item and returns it with its history, so the delete can be undone.
///
/// # Errors
/// [`StoreError::NotFound`] when it is already gone.
pub fn delete_item_in_tx(connection: &Connection, item_id: ItemId) -> Result<ItemRecord, StoreError> {
    let item = item_in_tx(connection, item_id)?;
    let history = history_in_tx(connection, item_id)?;
    connection.prepare_cached("DELETE FROM items WHERE item_id = ?1")?.execute([item_id.0])?;
    Ok(ItemRecord { item, history })
}

/// An item's column and rank as the file holds them.
///
/// # Errors
/// [`StoreError::NotFound`] when the item is gone.
pub fn position_of(connection: &Connection, item_id: ItemId) -> Result<ItemPosition, StoreError> {
    let found = connection
        .prepare_cached("SELECT column_id, rank FROM items WHERE item_id = ?1")?
        .query_row([item_id.0], |row| Ok((ColumnId(row.get(0)?), parsed(row, 1, "rank key", rank)?)))
        .optional()?;
    let (column_id, rank) = found.ok_or(StoreError::NotFound { what: "item", id: item_id.0 })?;
    Ok(ItemPosition { item_id, column_id, rank })
}

fn column_of(connection: &Connection, item_id: ItemId) -> Result<ColumnId, StoreError> {
    Ok(position_of(connection, item_id)?.column_id)
}

/// Writes positions exactly as given (undo and redo of moves), logging column changes.
///
/// # Errors
/// [`StoreError::NotFound`] when an item is gone.
pub fn set_positions_in_tx(
    connection: &Connection,
    positions: &[ItemPosition],
    now: Timestamp,
) -> Result<(), StoreError> {
    for position in positions {
        let stored = position_of(connection, position.item_id)?;
        write_position(connection, position, now)?;
        if stored.column_id != position.column_id {
            log_status_change(
                connection,
                &StatusChange {
                    item_id: position.item_id,
                    changed_at: now,
                    from_column_id: Some(stored.column_id),
                    to_column_id: position.column_id,
                },
            )?;
        }
    }
    Ok(())
}

fn write_position(connection: &Connection, position: &ItemPosition, now: Timestamp) -> Result<(), StoreError> {
    connection
        .prepare_cached("UPDATE items SET column_id = ?2, rank = ?3, updated_at = ?4 WHERE item_id = ?1")?
        .execute(params![position.item_id.0, position.column_id.0, position.rank.as_str(), now.to_string()])?;
    Ok(())
}

/// The item directly above `item` in its column, if any.
fn item_above(connection: &Connection, item: &ItemPosition) -> Result<Option<ItemId>, StoreError> {
    Ok(connection
        .prepare_cached(
            "SELECT item_id FROM items WHERE column_id = ?1 AND (rank, item_id) < (?2, ?3) \
             ORDER BY rank DESC, item_id DESC LIMIT 1",
        )?
        .query_row(params![item.column_id.0, item.rank.as_str(), item.item_id.0], |row| row.get(0))
        .optional()?
        .map(ItemId))
}

/// Ids and ranks of up to `limit` items of a column after (or, with `descending`, up to and including)
/// the anchor `(rank, item_id)`, skipping `skip`. Without an anchor, from the top.
fn neighbours(
    connection: &Connection,
    column_id: ColumnId,
    anchor: Option<(&Rank, ItemId)>,
    descending: bool,
    skip: ItemId,
    limit: usize,
) -> Result<Vec<(ItemId, Rank)>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let read = |row: &Row<'_>| Ok((ItemId(row.get(0)?), parsed(row, 1, "rank key", rank)?));
    let rows: Vec<(ItemId, Rank)> = match (anchor, descending) {
        (None, true) => Vec::new(),
        (None, false) => connection
            .prepare_cached("SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 ORDER BY rank, item_id LIMIT ?3")?
            .query_map(params![column_id.0, skip.0, limit], read)?
            .collect::<Result<_, _>>()?,
        (Some((anchor_rank, anchor_id)), false) => connection
            .prepare_cached(
                "SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 AND (rank, item_id) > (?3, ?4) \
                 ORDER BY rank, item_id LIMIT ?5",
            )?
            .query_map(params![column_id.0, skip.0, anchor_rank.as_str(), anchor_id.0, limit], read)?
            .collect::<Result<_, _>>()?,
        (Some((anchor_rank, anchor_id)), true) => connection
            .prepare_cached(
                "SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 AND (rank, item_id) <= (?3, ?4) \
                 ORDER BY rank DESC, item_id DESC LIMIT ?5",
            )?
            .query_map(params![column_id.0, skip.0, anchor_rank.as_str(), anchor_id.0, limit], read)?
            .collect::<Result<_, _>>()?,
    };
    Ok(rows)
}

/// Moves an item to directly below `target.after_item` (or the top) of `target.column_id`.
///
/// Normally writes one item row: the moved item's column and a key between its new neighbours. When
/// that key would be too long, or neighbours share a key, it respaces a window of neighbours around the
/// gap, widening it until keys are short (at most the whole column).
///
/// # Errors
/// [`StoreError::NotFound`] when the item, the column or the anchor item is missing, or the anchor is in
/// another column.
pub fn move_item_in_tx(
    connection: &Connection,
    item_id: ItemId,
    target: MoveTarget,
    now: Timestamp,
) -> Result<MoveOutcome, StoreError> {
    let current = position_of(connection, item_id)?;
    ensure_column(connection, target.column_id)?;
    let unchanged = || MoveOutcome { before: vec![current.clone()], after: vec![current.clone()], rows_written: 0 };
    if target.after_item == Some(item_id) {
        return Ok(unchanged());
    }
    let anchor = match target.after_item {
        Some(anchor_id) => {
            let anchor = position_of(connection, anchor_id)?;
            if anchor.column_id != target.column_id {
                return Err(StoreError::NotFound { what: "item in that column", id: anchor_id.0 });
            }
            Some(anchor)
        }
        None => None,
    };
    if current.column_id == target.column_id && item_above(connection, &current)? == target.after_item {
        return Ok(unchanged());
    }
    let anchor_key = anchor.as_ref().map(|anchor| (&anchor.rank, anchor.item_id));
    let next = neighbours(connection, target.column_id, anchor_key, false, item_id, 1)?;
    let lower = anchor.as_ref().map(|anchor| &anchor.rank);
    let upper = next.first().map(|(_, rank)| rank);
    if let Ok(key) = between(lower, upper)
        && key.as_str().len() <= MAX_RANK_LEN
    {
        let after = ItemPosition { item_id, column_id: target.column_id, rank: key };
        write_position(connection, &after, now)?;
        log_column_change(connection, &current, target.column_id, now)?;
        return Ok(MoveOutcome { before: vec![current], after: vec![after], rows_written: 1 });
    }
    let outcome = rebalance_around(connection, &current, target.column_id, anchor_key, now)?;
    log_column_change(connection, &current, target.column_id, now)?;
    Ok(outcome)
}

fn log_column_change(
    connection: &Connection,
    from: &ItemPosition,
    to: ColumnId,
    now: Timestamp,
) -> Result<(), StoreError> {
    if from.column_id == to {
        return Ok(());
    }
    log_status_change(
        connection,
        &StatusChange {
            item_id: from.item_id,
            changed_at: now,
            from_column_id: Some(from.column_id),
            to_column_id: to,
        },
    )
}

fn rebalance_around(
    connection: &Connection,
    moved: &ItemPosition,
    column_id: ColumnId,
    anchor: Option<(&Rank, ItemId)>,
    now: Timestamp,
) -> Result<MoveOutcome, StoreError> {
    let mut window = REBALANCE_WINDOW;
    loop {
        let mut above = neighbours(connection, column_id, anchor, true, moved.item_id, window + 1)?;
        let mut below = neighbours(connection, column_id, anchor, false, moved.item_id, window + 1)?;
        let lower_bound = if above.len() > window { above.pop().map(|(_, rank)| rank) } else { None };
        let upper_bound = if below.len() > window { below.pop().map(|(_, rank)| rank) } else { None };
        above.reverse();
        let sequence: Vec<(ItemId, Option<Rank>)> = above
            .into_iter()
            .map(|(id, rank)| (id, Some(rank)))
            .chain(std::iter::once((moved.item_id, None)))
            .chain(below.into_iter().map(|(id, rank)| (id, Some(rank))))
            .collect();
        let whole_column = lower_bound.is_none() && upper_bound.is_none();
        let keys = spread(lower_bound.as_ref(), upper_bound.as_ref(), sequence.len());
        let short = keys.as_ref().is_ok_and(|keys| keys.iter().all(|key| key.as_str().len() <= REBALANCED_RANK_LEN));
        if let Ok(keys) = keys
            && (short || whole_column)
        {
            let mut outcome = MoveOutcome { before: Vec::new(), after: Vec::new(), rows_written: 0 };
            for ((item_id, old_rank), key) in sequence.into_iter().zip(keys) {
                let before = match old_rank {
                    Some(old_rank) if old_rank == key => continue,
                    Some(old_rank) => ItemPosition { item_id, column_id, rank: old_rank },
                    None => moved.clone(),
                };
                let after = ItemPosition { item_id, column_id, rank: key };
                write_position(connection, &after, now)?;
                outcome.before.push(before);
                outcome.after.push(after);
                outcome.rows_written += 1;
            }
            return Ok(outcome);
        }
        if whole_column {
            return Err(StoreError::Corrupt(format!("could not respace the ranks of column #{}", column_id.0)));
        }
        window = window.saturating_mul(2);
    }
}

/// Moves several items as a block, in the given order, to directly below `target.after_item`.
/// The outcome lists each item once: where it was before the first step and where it ended.
///
/// # Errors
/// As [`move_item_in_tx`]; `target.after_item` must not be one of the moved items.
pub fn move_items_in_tx(
    connection: &Connection,
    item_ids: &[ItemId],
    target: MoveTarget,
    now: Timestamp,
) -> Result<MoveOutcome, StoreError> {
    let mut combined = MoveOutcome { before: Vec::new(), after: Vec::new(), rows_written: 0 };
    let mut after_item = target.after_item;
    for &item_id in item_ids {
        let outcome =
            move_item_in_tx(connection, item_id, MoveTarget { column_id: target.column_id, after_item }, now)?;
        combined.rows_written += outcome.rows_written;
        for before in outcome.before {
            if !combined.before.iter().any(|known| known.item_id == before.item_id) {
                combined.before.push(before);
            }
        }
        for after in outcome.after {
            combined.after.retain(|known| known.item_id != after.item_id);
            combined.after.push(after);
        }
        after_item = Some(item_id);
    }
    // An item rewritten by a rebalance but never moved itself keeps its first "before".
    combined.before.retain(|before| combined.after.iter().any(|after| after.item_id == before.item_id));
    Ok(combined)
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
