//! Where items stand: moves computed from the file inside the transaction (the item above the landing
//! place names it), one row written per move, and a local respacing when rank keys grow long.

use super::log_status_change;
pub use crate::model::MoveTarget;
use crate::model::rank::{MAX_RANK_LEN, between, spread};
use crate::model::{ColumnId, ItemId, ItemPosition, Rank, StatusChange, Timestamp};
use crate::store::StoreError;
use crate::store::convert::{parsed, rank};
use rusqlite::{Connection, OptionalExtension, Row, params};

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
pub(super) const REBALANCE_WINDOW: usize = 16;

/// A rebalance widens its window until every respaced key is at most this long, so that dozens of
/// further inserts fit into the same gap before the next one. Stopping at [`MAX_RANK_LEN`] instead
/// would leave the window's bounds so close that keys regrow at once.
pub(super) const REBALANCED_RANK_LEN: usize = MAX_RANK_LEN / 2;

pub(super) fn ensure_column(connection: &Connection, column_id: ColumnId) -> Result<(), StoreError> {
    let exists: bool = connection
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM board_columns WHERE column_id = ?1)")?
        .query_row([column_id.0], |row| row.get(0))?;
    if exists { Ok(()) } else { Err(StoreError::NotFound { what: "column", id: column_id.0 }) }
}

pub(super) fn last_rank(connection: &Connection, column_id: ColumnId) -> Result<Option<Rank>, StoreError> {
    let text: Option<String> = connection
        .prepare_cached("SELECT rank FROM items WHERE column_id = ?1 ORDER BY rank DESC, item_id DESC LIMIT 1")?
        .query_row([column_id.0], |row| row.get(0))
        .optional()?;
    text.map(|text| Rank::parse(&text).map_err(|error| StoreError::Corrupt(error.to_string()))).transpose()
}

/// A key below the column's last item, for items that join a column at the bottom.
pub(super) fn bottom_rank(connection: &Connection, column_id: ColumnId) -> Result<Rank, StoreError> {
    let last = last_rank(connection, column_id)?;
    between(last.as_ref(), None).map_err(|error| StoreError::Corrupt(error.to_string()))
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

pub(super) fn column_of(connection: &Connection, item_id: ItemId) -> Result<ColumnId, StoreError> {
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
    put_positions(connection, positions, now, false)
}

/// [`set_positions_in_tx`] for an undo: a move taken back takes its entry out of the status-change log
/// ([`super::history::log_column_change`]).
///
/// # Errors
/// As [`set_positions_in_tx`].
pub fn set_positions_back_in_tx(
    connection: &Connection,
    positions: &[ItemPosition],
    now: Timestamp,
) -> Result<(), StoreError> {
    put_positions(connection, positions, now, true)
}

fn put_positions(
    connection: &Connection,
    positions: &[ItemPosition],
    now: Timestamp,
    undoing: bool,
) -> Result<(), StoreError> {
    for position in positions {
        let stored = position_of(connection, position.item_id)?;
        write_position(connection, position, now)?;
        if stored.column_id != position.column_id {
            super::history::log_column_change(
                connection,
                position.item_id,
                (stored.column_id, position.column_id),
                now,
                undoing,
            )?;
        }
    }
    Ok(())
}

pub(super) fn write_position(
    connection: &Connection,
    position: &ItemPosition,
    now: Timestamp,
) -> Result<(), StoreError> {
    connection
        .prepare_cached("UPDATE items SET column_id = ?2, rank = ?3, updated_at = ?4 WHERE item_id = ?1")?
        .execute(params![position.item_id.0, position.column_id.0, position.rank.as_str(), now.to_string()])?;
    Ok(())
}

/// The item directly above `item` in its column, if any.
pub(super) fn item_above(connection: &Connection, item: &ItemPosition) -> Result<Option<ItemId>, StoreError> {
    Ok(connection
        .prepare_cached(
            "SELECT item_id FROM items WHERE column_id = ?1 AND (rank, item_id) < (?2, ?3) \
             ORDER BY rank DESC, item_id DESC LIMIT 1",
        )?
        .query_row(params![item.column_id.0, item.rank.as_str(), item.item_id.0], |row| row.get(0))
        .optional()?
        .map(ItemId))
}

/// The query of [`neighbours`]. The limit is written into it: SQLite prepares a statement whose `LIMIT`
/// is a bound parameter again each time it runs (its planner may use the value), which was a tenth of
/// a move.
fn neighbours_sql(anchored: bool, descending: bool, limit: usize) -> String {
    match (anchored, descending) {
        (false, _) => format!(
            "SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 ORDER BY rank, item_id LIMIT {limit}"
        ),
        (true, false) => format!(
            "SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 AND (rank, item_id) > (?3, ?4) \
             ORDER BY rank, item_id LIMIT {limit}"
        ),
        (true, true) => format!(
            "SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 AND (rank, item_id) <= (?3, ?4) \
             ORDER BY rank DESC, item_id DESC LIMIT {limit}"
        ),
    }
}

/// Ids and ranks of up to `limit` items of a column after (or, with `descending`, up to and including)
/// the anchor `(rank, item_id)`, skipping `skip`. Without an anchor, from the top.
pub(super) fn neighbours(
    connection: &Connection,
    column_id: ColumnId,
    anchor: Option<(&Rank, ItemId)>,
    descending: bool,
    skip: ItemId,
    limit: usize,
) -> Result<Vec<(ItemId, Rank)>, StoreError> {
    if anchor.is_none() && descending {
        return Ok(Vec::new());
    }
    let read = |row: &Row<'_>| Ok((ItemId(row.get(0)?), parsed(row, 1, "rank key", rank)?));
    let mut statement = connection.prepare_cached(&neighbours_sql(anchor.is_some(), descending, limit))?;
    let rows: Vec<(ItemId, Rank)> = match anchor {
        None => statement.query_map(params![column_id.0, skip.0], read)?.collect::<Result<_, _>>()?,
        Some((anchor_rank, anchor_id)) => statement
            .query_map(params![column_id.0, skip.0, anchor_rank.as_str(), anchor_id.0], read)?
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
/// [`StoreError::NotFound`] when the item, the column or the anchor item is missing;
/// [`StoreError::MovedAway`] when the anchor is in another column.
pub fn move_item_in_tx(
    connection: &Connection,
    item_id: ItemId,
    target: MoveTarget,
    now: Timestamp,
) -> Result<MoveOutcome, StoreError> {
    move_item_seen_in_tx(connection, item_id, target, None, now)
}

/// [`move_item_in_tx`], told the rank that the caller's copy of the board gives the card the item lands
/// below (`seen`). When the file agrees, the column's index alone shows that card and the one after it,
/// and that card's row is not read; when it does not (another window moved the card since), the card is
/// looked up as without.
///
/// # Errors
/// As [`move_item_in_tx`].
pub fn move_item_seen_in_tx(
    connection: &Connection,
    item_id: ItemId,
    target: MoveTarget,
    seen: Option<&Rank>,
    now: Timestamp,
) -> Result<MoveOutcome, StoreError> {
    let current = position_of(connection, item_id)?;
    // The item's own column exists (a foreign key says so): only another one is looked up.
    if current.column_id != target.column_id {
        ensure_column(connection, target.column_id)?;
    }
    let unchanged = || MoveOutcome { before: vec![current.clone()], after: vec![current.clone()], rows_written: 0 };
    if target.after_item == Some(item_id) {
        return Ok(unchanged());
    }
    let seen_anchor = match (target.after_item, seen) {
        (Some(anchor_id), Some(rank)) => anchor_as_seen(connection, target.column_id, anchor_id, rank, item_id)?,
        _ => None,
    };
    let anchor = match (&seen_anchor, target.after_item) {
        (Some((anchor, _)), _) => Some(anchor.clone()),
        (None, Some(anchor_id)) => {
            let anchor = position_of(connection, anchor_id)?;
            if anchor.column_id != target.column_id {
                return Err(StoreError::MovedAway { id: anchor_id.0 });
            }
            Some(anchor)
        }
        (None, None) => None,
    };
    if current.column_id == target.column_id && item_above(connection, &current)? == target.after_item {
        return Ok(unchanged());
    }
    let anchor_key = anchor.as_ref().map(|anchor| (&anchor.rank, anchor.item_id));
    let next = match seen_anchor {
        Some((_, next)) => next,
        None => neighbours(connection, target.column_id, anchor_key, false, item_id, 1)?.into_iter().next(),
    };
    let lower = anchor.as_ref().map(|anchor| &anchor.rank);
    let upper = next.as_ref().map(|(_, rank)| rank);
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

/// The card a move lands below, and the card after it (its id and rank), if any.
type AnchorAndNext = (ItemPosition, Option<(ItemId, Rank)>);

/// The card `anchor_id` where the caller saw it (at `rank` in `column_id`) and the card after it but
/// `skip`, from the column's index alone (`seen_rank`); `None` when the card is not there in the file.
fn anchor_as_seen(
    connection: &Connection,
    column_id: ColumnId,
    anchor_id: ItemId,
    seen_rank: &Rank,
    skip: ItemId,
) -> Result<Option<AnchorAndNext>, StoreError> {
    let read = |row: &Row<'_>| Ok((ItemId(row.get(0)?), parsed(row, 1, "rank key", rank)?));
    let mut rows: Vec<(ItemId, Rank)> = connection
        .prepare_cached(
            "SELECT item_id, rank FROM items WHERE column_id = ?1 AND item_id != ?2 AND (rank, item_id) >= (?3, ?4) \
             ORDER BY rank, item_id LIMIT 2",
        )?
        .query_map(params![column_id.0, skip.0, seen_rank.as_str(), anchor_id.0], read)?
        .collect::<Result<_, _>>()?;
    let next = if rows.len() > 1 { rows.pop() } else { None };
    Ok(match rows.pop() {
        Some((found, found_rank)) if found == anchor_id && found_rank == *seen_rank => {
            Some((ItemPosition { item_id: anchor_id, column_id, rank: found_rank }, next))
        }
        _ => None,
    })
}

pub(super) fn log_column_change(
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

pub(super) fn rebalance_around(
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

/// Moves several items as a block, in the given order, to directly below `target.after_item`, which
/// the caller's copy of the board has at rank `seen` ([`move_item_seen_in_tx`]).
/// The outcome lists each item once: where it was before the first step and where it ended.
///
/// # Errors
/// As [`move_item_in_tx`]; `target.after_item` must not be one of the moved items.
pub fn move_items_in_tx(
    connection: &Connection,
    item_ids: &[ItemId],
    target: MoveTarget,
    seen: Option<&Rank>,
    now: Timestamp,
) -> Result<MoveOutcome, StoreError> {
    let mut combined = MoveOutcome { before: Vec::new(), after: Vec::new(), rows_written: 0 };
    let mut after_item = target.after_item;
    // From the second item on, the card each lands below is the one just moved, where it went.
    let mut seen: Option<Rank> = seen.cloned();
    for &item_id in item_ids {
        let step = MoveTarget { column_id: target.column_id, after_item };
        let outcome = move_item_seen_in_tx(connection, item_id, step, seen.as_ref(), now)?;
        seen = outcome.after.iter().rev().find(|after| after.item_id == item_id).map(|after| after.rank.clone());
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
    use super::{MoveTarget, move_item_in_tx, move_item_seen_in_tx, neighbours_sql};
    use crate::model::{ColumnId, ItemId, Timestamp};
    use crate::store::{Store, StoreError};
    use rusqlite::StatementStatus;

    fn sample() -> (Store, ColumnId, Vec<ItemId>) {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::seed_sample(&mut store).unwrap();
        let workspace = store.load().unwrap();
        let (column, ids) = workspace
            .columns
            .iter()
            .map(|column| (column.column_id, workspace.column_items(column.column_id).to_vec()))
            .find(|(_, ids)| ids.len() >= 5)
            .unwrap();
        (store, column, ids)
    }

    /// How many times the query that reads one item's place by its id has run.
    fn item_reads(store: &Store) -> i32 {
        let statement =
            store.connection().prepare_cached("SELECT column_id, rank FROM items WHERE item_id = ?1").unwrap();
        statement.get_status(StatementStatus::Run)
    }

    #[test]
    fn a_move_below_a_card_where_this_window_saw_it_reads_that_card_from_the_index_alone() {
        let (mut told, column, ids) = sample();
        let (mut untold, _, _) = sample();
        let (moved, anchor) = (ids[0], ids[3]);
        let target = MoveTarget { column_id: column, after_item: Some(anchor) };
        let seen = told.load().unwrap().item(anchor).unwrap().rank.clone();

        let reads = item_reads(&told);
        let outcome =
            told.write(|tx| move_item_seen_in_tx(tx, moved, target, Some(&seen), Timestamp::UNIX_EPOCH)).unwrap();
        assert_eq!(item_reads(&told) - reads, 1, "the moved item's row alone");

        let reads = item_reads(&untold);
        let expected = untold.write(|tx| move_item_in_tx(tx, moved, target, Timestamp::UNIX_EPOCH)).unwrap();
        assert_eq!(item_reads(&untold) - reads, 2, "the moved item's row and the card it lands below");
        assert_eq!(outcome, expected);
        assert_eq!(told.column_order(column).unwrap(), untold.column_order(column).unwrap());
        assert_eq!(&told.column_order(column).unwrap()[..4], &[ids[1], ids[2], ids[3], ids[0]]);
    }

    #[test]
    fn a_card_moved_since_this_window_saw_it_is_looked_up_where_it_is_now() {
        let (mut store, column, ids) = sample();
        let (moved, anchor) = (ids[0], ids[3]);
        let seen = store.load().unwrap().item(anchor).unwrap().rank.clone();
        // Another window puts the card on top of the column.
        store
            .write(|tx| {
                move_item_in_tx(tx, anchor, MoveTarget { column_id: column, after_item: None }, Timestamp::UNIX_EPOCH)
            })
            .unwrap();
        let target = MoveTarget { column_id: column, after_item: Some(anchor) };
        store.write(|tx| move_item_seen_in_tx(tx, moved, target, Some(&seen), Timestamp::UNIX_EPOCH)).unwrap();
        assert_eq!(&store.column_order(column).unwrap()[..3], &[ids[3], ids[0], ids[1]]);

        // And one moved to another column since is not landed below in this one.
        let other =
            store.load().unwrap().columns.iter().map(|column| column.column_id).find(|id| *id != column).unwrap();
        let seen = store.load().unwrap().item(ids[4]).unwrap().rank.clone();
        store
            .write(|tx| {
                move_item_in_tx(tx, ids[4], MoveTarget { column_id: other, after_item: None }, Timestamp::UNIX_EPOCH)
            })
            .unwrap();
        let before = store.column_order(column).unwrap();
        let target = MoveTarget { column_id: column, after_item: Some(ids[4]) };
        let refused = store.write(|tx| move_item_seen_in_tx(tx, ids[1], target, Some(&seen), Timestamp::UNIX_EPOCH));
        assert!(matches!(refused, Err(StoreError::MovedAway { .. })), "{refused:?}");
        assert_eq!(store.column_order(column).unwrap(), before);
    }

    #[test]
    fn a_move_runs_its_prepared_queries_as_they_are_without_preparing_them_again() {
        let mut store = Store::open_in_memory().unwrap();
        crate::demo::seed_sample(&mut store).unwrap();
        let workspace = store.load().unwrap();
        let column = workspace.columns.first().map(|column| column.column_id).unwrap();
        let ids = workspace.column_items(column).to_vec();
        assert!(ids.len() > 4);
        // Each card of the column in turn moved below the one two places down, in one transaction.
        let connection = store.connection();
        for pair in ids.windows(3) {
            let target = MoveTarget { column_id: column, after_item: pair.get(2).copied() };
            move_item_in_tx(connection, pair[0], target, Timestamp::UNIX_EPOCH).unwrap();
        }
        for (anchored, descending) in [(true, false), (false, false)] {
            let statement = connection.prepare_cached(&neighbours_sql(anchored, descending, 1)).unwrap();
            assert_eq!(statement.get_status(StatementStatus::RePrepare), 0, "anchored {anchored}");
        }
        let anchored = connection.prepare_cached(&neighbours_sql(true, false, 1)).unwrap();
        assert!(anchored.get_status(StatementStatus::VmStep) > 0, "the anchored query ran");
    }
}
