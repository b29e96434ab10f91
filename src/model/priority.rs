//! Where the plain rank, WSJF and RICE disagree about an ordered list of items.
//!
//! The rank is the team's decision; the scores are advice. Items whose places differ most between
//! the three orders are the ones worth discussing in refinement.

use super::{BacklogItem, ItemId};

/// One item's place in each order (1-based); `None` when the item has no such score.
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    /// The item.
    pub item_id: ItemId,
    /// Its place in the board order.
    pub rank_place: usize,
    /// Its place when ordered by WSJF, highest first.
    pub wsjf_place: Option<usize>,
    /// Its place when ordered by RICE, highest first.
    pub rice_place: Option<usize>,
    /// The largest distance between any two of its places.
    pub spread: usize,
}

/// Places by a score, highest first; items without the score get none. Ties keep board order.
fn places(items: &[&BacklogItem], score: impl Fn(&BacklogItem) -> Option<f64>) -> Vec<Option<usize>> {
    let mut scored: Vec<(usize, f64)> =
        items.iter().enumerate().filter_map(|(index, item)| score(item).map(|value| (index, value))).collect();
    scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut result = vec![None; items.len()];
    for (place, (index, _)) in scored.into_iter().enumerate() {
        if let Some(slot) = result.get_mut(index) {
            *slot = Some(place + 1);
        }
    }
    result
}

/// The items of `items` (given in board order) sorted by how much the three orders disagree, largest
/// first; items on which they agree exactly are left out.
#[must_use]
pub fn disagreements(items: &[&BacklogItem]) -> Vec<Disagreement> {
    most_disagreed(items, usize::MAX)
}

/// The first `shown` of [`disagreements`]: only those are put in order, so that a window listing a few
/// of a column of 60,000 cards does not sort them all after every change.
#[must_use]
pub fn most_disagreed(items: &[&BacklogItem], shown: usize) -> Vec<Disagreement> {
    let wsjf = places(items, BacklogItem::wsjf);
    let rice = places(items, BacklogItem::rice);
    let mut found: Vec<Disagreement> = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let rank_place = index + 1;
            let wsjf_place = wsjf.get(index).copied().flatten();
            let rice_place = rice.get(index).copied().flatten();
            let (low, high) = [wsjf_place, rice_place]
                .into_iter()
                .flatten()
                .fold((rank_place, rank_place), |(low, high), place| (low.min(place), high.max(place)));
            let spread = high - low;
            (spread > 0).then_some(Disagreement { item_id: item.item_id, rank_place, wsjf_place, rice_place, spread })
        })
        .collect();
    let order = |a: &Disagreement, b: &Disagreement| b.spread.cmp(&a.spread).then(a.rank_place.cmp(&b.rank_place));
    if shown < found.len() {
        found.select_nth_unstable_by(shown, order);
        found.truncate(shown);
    }
    found.sort_unstable_by(order);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ColumnId, ItemKind, Timestamp};

    fn item(id: i64, value: u32, points: f64, reach: Option<f64>) -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Story, format!("Item {id}"), ColumnId(1), Timestamp::UNIX_EPOCH);
        item.item_id = ItemId(id);
        item.business_value = value;
        item.points = Some(points);
        item.details.rice.reach = reach;
        item.details.rice.impact = reach.map(|_| 1.0);
        item.details.rice.confidence_percent = reach.map(|_| 100.0);
        item.details.rice.effort = reach.map(|_| 1.0);
        item
    }

    #[test]
    fn items_whose_places_differ_are_listed_largest_spread_first() {
        // Board order: A (WSJF 1), B (WSJF 2), C (WSJF 10). RICE only for A and C, A higher.
        let a = item(1, 1, 1.0, Some(500.0));
        let b = item(2, 2, 1.0, None);
        let c = item(3, 10, 1.0, Some(100.0));
        let found = disagreements(&[&a, &b, &c]);
        // A and C both differ by two places; B agrees (2nd by rank and by WSJF, no RICE) and is left out.
        assert_eq!(found.iter().map(|d| d.item_id).collect::<Vec<_>>(), vec![ItemId(1), ItemId(3)]);
        let c_places = found.iter().find(|d| d.item_id == ItemId(3)).cloned();
        assert_eq!(
            c_places,
            Some(Disagreement {
                item_id: ItemId(3),
                rank_place: 3,
                wsjf_place: Some(1),
                rice_place: Some(2),
                spread: 2
            })
        );
        let a_places = found.iter().find(|d| d.item_id == ItemId(1)).cloned();
        assert_eq!(a_places.map(|d| (d.wsjf_place, d.rice_place, d.spread)), Some((Some(3), Some(1), 2)));
    }

    #[test]
    fn the_first_few_are_the_same_as_the_first_few_of_all() {
        let items: Vec<BacklogItem> = (0..200)
            .map(|index| {
                item(
                    index,
                    u32::try_from((index * 37) % 21).unwrap_or(1),
                    1.0,
                    (index % 3 == 0).then_some(f64::from(u32::try_from(index * 13 % 97).unwrap_or(0))),
                )
            })
            .collect();
        let refs: Vec<&BacklogItem> = items.iter().collect();
        let all = disagreements(&refs);
        assert!(all.len() > 8);
        assert_eq!(most_disagreed(&refs, 8), all[..8].to_vec());
    }

    #[test]
    fn orders_that_agree_report_nothing() {
        let a = item(1, 9, 1.0, None);
        let b = item(2, 5, 1.0, None);
        assert!(disagreements(&[&a, &b]).is_empty());
    }
}
