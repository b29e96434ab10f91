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

/// A quadrant of the value-versus-effort matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quadrant {
    /// High value, low effort: do these first.
    QuickWin,
    /// High value, high effort: plan them.
    BigBet,
    /// Low value, low effort: when there is room.
    FillIn,
    /// Low value, high effort: question them.
    TimeSink,
}

impl Quadrant {
    /// Every quadrant, in the order the window lists them.
    pub const ALL: [Self; 4] = [Self::QuickWin, Self::BigBet, Self::FillIn, Self::TimeSink];

    /// Its name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::QuickWin => "Quick wins",
            Self::BigBet => "Big bets",
            Self::FillIn => "Fill-ins",
            Self::TimeSink => "Time sinks",
        }
    }

    /// One card of it, in words ("quick win").
    #[must_use]
    pub fn one(self) -> &'static str {
        match self {
            Self::QuickWin => "quick win",
            Self::BigBet => "big bet",
            Self::FillIn => "fill-in",
            Self::TimeSink => "time sink",
        }
    }

    /// What it means, in a few words.
    #[must_use]
    pub fn advice(self) -> &'static str {
        match self {
            Self::QuickWin => "high value, little effort: do these first",
            Self::BigBet => "high value, much effort: plan them",
            Self::FillIn => "low value, little effort: when there is room",
            Self::TimeSink => "low value, much effort: question them",
        }
    }
}

/// Items placed by business value against effort (the estimate in points), split at the medians of
/// the items placed: above the median value is high value, above the median estimate is much effort.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueEffort {
    /// The median business value of the items placed.
    pub value_split: f64,
    /// The median estimate of the items placed, in points.
    pub effort_split: f64,
    /// Each placed item with its value, estimate and quadrant, in the order given.
    pub placed: Vec<(ItemId, f64, f64, Quadrant)>,
    /// Items without an estimate or without a business value, in the order given.
    pub unplaced: Vec<ItemId>,
}

impl ValueEffort {
    /// The items of a quadrant, best value for effort first (ties in the order given).
    #[must_use]
    pub fn in_quadrant(&self, quadrant: Quadrant) -> Vec<ItemId> {
        let mut found: Vec<(ItemId, f64)> = self
            .placed
            .iter()
            .filter(|placed| placed.3 == quadrant)
            .map(|&(item_id, value, effort, _)| (item_id, value / effort.max(0.5)))
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1));
        found.into_iter().map(|(item_id, _)| item_id).collect()
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match (values.get(middle.wrapping_sub(1)), values.get(middle)) {
        (Some(low), Some(high)) if values.len().is_multiple_of(2) => f64::midpoint(*low, *high),
        (_, Some(value)) => *value,
        _ => 0.0,
    }
}

/// Places `items` on the value-versus-effort matrix. An item is placed when it has an estimate and a
/// business value above zero (zero is the value of an item nobody scored).
#[must_use]
pub fn value_effort(items: &[&BacklogItem]) -> ValueEffort {
    let mut unplaced = Vec::new();
    let mut scored = Vec::new();
    for item in items {
        match item.points {
            Some(points) if item.business_value > 0 && points.is_finite() => {
                scored.push((item.item_id, f64::from(item.business_value), points));
            }
            _ => unplaced.push(item.item_id),
        }
    }
    let value_split = median(scored.iter().map(|scored| scored.1).collect());
    let effort_split = median(scored.iter().map(|scored| scored.2).collect());
    let placed = scored
        .into_iter()
        .map(|(item_id, value, effort)| {
            let quadrant = match (value > value_split, effort > effort_split) {
                (true, false) => Quadrant::QuickWin,
                (true, true) => Quadrant::BigBet,
                (false, false) => Quadrant::FillIn,
                (false, true) => Quadrant::TimeSink,
            };
            (item_id, value, effort, quadrant)
        })
        .collect();
    ValueEffort { value_split, effort_split, placed, unplaced }
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

    #[test]
    fn items_are_placed_against_the_medians_and_unscored_ones_are_left_aside() {
        // Values 13, 8, 5, 3 (median 6.5) against estimates 2, 8, 1, 13 (median 5).
        let quick = item(1, 13, 2.0, None);
        let big = item(2, 8, 8.0, None);
        let fill = item(3, 5, 1.0, None);
        let sink = item(4, 3, 13.0, None);
        let unvalued = item(5, 0, 3.0, None);
        let mut unestimated = item(6, 20, 1.0, None);
        unestimated.points = None;
        let matrix = value_effort(&[&quick, &big, &fill, &sink, &unvalued, &unestimated]);
        assert!((matrix.value_split - 6.5).abs() < 1e-9 && (matrix.effort_split - 5.0).abs() < 1e-9);
        let quadrants: Vec<(ItemId, Quadrant)> = matrix.placed.iter().map(|placed| (placed.0, placed.3)).collect();
        assert_eq!(
            quadrants,
            [
                (ItemId(1), Quadrant::QuickWin),
                (ItemId(2), Quadrant::BigBet),
                (ItemId(3), Quadrant::FillIn),
                (ItemId(4), Quadrant::TimeSink)
            ]
        );
        assert_eq!(matrix.unplaced, [ItemId(5), ItemId(6)]);
    }

    #[test]
    fn a_quadrant_lists_the_best_value_for_effort_first() {
        let a = item(1, 13, 3.0, None);
        let b = item(2, 20, 1.0, None);
        let c = item(3, 1, 8.0, None);
        let d = item(4, 1, 13.0, None);
        let matrix = value_effort(&[&a, &b, &c, &d]);
        assert_eq!(matrix.in_quadrant(Quadrant::QuickWin), [ItemId(2), ItemId(1)]);
        assert_eq!(
            matrix.in_quadrant(Quadrant::TimeSink),
            [ItemId(3), ItemId(4)],
            "the cheaper of two equal values first"
        );
        assert!(value_effort(&[]).placed.is_empty());
    }
}
