//! Rank keys under any sequence of moves keep exactly the order a plain `Vec` model predicts, and
//! rebalancing keeps keys short.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::common;

use proptest::prelude::*;
use tandem::model::rank::MAX_RANK_LEN;
use tandem::model::{ColumnId, ItemId};
use tandem::store::{MoveTarget, Store};

/// The board as a list of columns, each a list of item ids: the model moves are checked against.
struct Model {
    columns: Vec<(ColumnId, Vec<ItemId>)>,
}

impl Model {
    fn apply(&mut self, item_id: ItemId, target: MoveTarget) {
        for (_, ids) in &mut self.columns {
            ids.retain(|id| *id != item_id);
        }
        let (_, ids) = self.columns.iter_mut().find(|(column_id, _)| *column_id == target.column_id).unwrap();
        let index = target.after_item.map_or(0, |after| ids.iter().position(|id| *id == after).unwrap() + 1);
        ids.insert(index, item_id);
    }
}

fn setup(items_per_column: usize) -> (Store, Model) {
    let mut store = common::blank_store();
    let columns = common::column_ids(&store);
    let mut model = Model { columns: Vec::new() };
    for (index, &column_id) in columns.iter().enumerate().take(3) {
        let ids = (0..items_per_column)
            .map(|number| store.create_item(&common::story(&format!("C{index} #{number}"), column_id)).unwrap().item_id)
            .collect();
        model.columns.push((column_id, ids));
    }
    (store, model)
}

fn check(store: &Store, model: &Model) {
    for (column_id, ids) in &model.columns {
        assert_eq!(&store.column_order(*column_id).unwrap(), ids, "column {column_id} differs from the model");
    }
    let longest: i64 =
        store.connection().query_row("SELECT max(length(rank)) FROM items", [], |row| row.get(0)).unwrap();
    assert!(usize::try_from(longest).unwrap() <= MAX_RANK_LEN, "a key grew to {longest} characters");
}

/// One move, as indices resolved against the model at the time it is applied.
#[derive(Clone, Debug)]
struct Move {
    item: usize,
    column: usize,
    /// `None`: top of the column; `Some(i)`: after the i-th other item (mod length).
    after: Option<usize>,
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let one = (0usize..1000, 0usize..3, prop_oneof![Just(None), Just(Some(0)), (0usize..1000).prop_map(Some)])
        .prop_map(|(item, column, after)| Move { item, column, after });
    prop::collection::vec(one, 1..120)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_moves_match_a_vec_model(sequence in moves()) {
        let (mut store, mut model) = setup(4);
        for step in sequence {
            let all: Vec<ItemId> = model.columns.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
            let item_id = all[step.item % all.len()];
            let (column_id, ids) = &model.columns[step.column];
            let others: Vec<ItemId> = ids.iter().copied().filter(|id| *id != item_id).collect();
            let after = step.after.and_then(|index| (!others.is_empty()).then(|| others[index % others.len()]));
            let target = MoveTarget { column_id: *column_id, after_item: after };
            store.move_item(item_id, target).unwrap();
            model.apply(item_id, target);
        }
        check(&store, &model);
    }
}

#[test]
fn thousands_of_moves_into_one_gap_stay_ordered_and_short() {
    let (mut store, mut model) = setup(3);
    let (column_id, ids) = model.columns[0].clone();
    let anchor = ids[0];
    let mut rebalances = 0;
    // Move every other item, over and over, into the gap right below the anchor.
    let movers: Vec<ItemId> =
        model.columns.iter().flat_map(|(_, ids)| ids.iter().copied()).filter(|id| *id != anchor).collect();
    for round in 0..400 {
        let item_id = movers[round % movers.len()];
        let target = MoveTarget { column_id, after_item: Some(anchor) };
        let outcome = store.move_item(item_id, target).unwrap();
        if outcome.rows_written > 1 {
            rebalances += 1;
        }
        model.apply(item_id, target);
    }
    check(&store, &model);
    assert!(rebalances > 0, "400 inserts into one gap must have needed at least one rebalance");
}

#[test]
fn duplicate_keys_from_a_damaged_file_are_repaired_by_the_next_move() {
    let (mut store, mut model) = setup(3);
    let (column_id, ids) = model.columns[0].clone();
    store.connection().execute("UPDATE items SET rank = 'V' WHERE column_id = ?1", [column_id.0]).unwrap();
    // Equal keys sort by id, which is creation order, so the model still holds.
    let target = MoveTarget { column_id, after_item: Some(ids[0]) };
    store.move_item(ids[2], target).unwrap();
    model.apply(ids[2], target);
    check(&store, &model);
}
