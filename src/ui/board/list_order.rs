//! The list's order when a column header is clicked: by title, kind, status, points, a score, MoSCoW,
//! epic or sprint, for reading only. The board's own order (the rank) is untouched, and moving a card
//! is refused in a sentence while the list is sorted, so that a move never lands somewhere unexpected.

use std::cmp::Ordering;

use crate::model::{BacklogItem, ColumnId, ItemId, Workspace, natural};

/// What the list can be sorted by: every column but "#", which stands for the board's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListSort {
    /// The title, A to Z.
    Title,
    /// Story, bug, enabler, spike.
    Kind,
    /// The column, left to right.
    Status,
    /// The estimate.
    Points,
    /// The WSJF score.
    Wsjf,
    /// The RICE score.
    Rice,
    /// Must, should, could, won't.
    Moscow,
    /// The epic's title.
    Epic,
    /// The sprint, earliest first.
    Sprint,
}

impl ListSort {
    /// The sorts in the order of the list's columns after "#".
    pub const ALL: [Self; 9] = [
        Self::Title,
        Self::Kind,
        Self::Status,
        Self::Points,
        Self::Wsjf,
        Self::Rice,
        Self::Moscow,
        Self::Epic,
        Self::Sprint,
    ];

    /// The column's title.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Kind => "Kind",
            Self::Status => "Status",
            Self::Points => "Points",
            Self::Wsjf => "WSJF",
            Self::Rice => "RICE",
            Self::Moscow => "MoSCoW",
            Self::Epic => "Epic",
            Self::Sprint => "Sprint",
        }
    }

    /// Whether a first click sorts highest first (numbers), rather than first-to-last (names, orders).
    #[must_use]
    pub fn highest_first(self) -> bool {
        matches!(self, Self::Points | Self::Wsjf | Self::Rice)
    }

    /// How the order reads ("highest first", "A to Z").
    #[must_use]
    pub fn direction_words(self, descending: bool) -> &'static str {
        match (self, descending) {
            (Self::Points | Self::Wsjf | Self::Rice, true) => "highest first",
            (Self::Points | Self::Wsjf | Self::Rice, false) => "lowest first",
            (Self::Title | Self::Epic, false) => "A to Z",
            (Self::Title | Self::Epic, true) => "Z to A",
            (Self::Sprint, false) => "earliest first",
            (Self::Sprint, true) => "latest first",
            (Self::Moscow, false) => "must have first",
            (Self::Moscow, true) => "won't have first",
            (Self::Status, false) => "left to right",
            (Self::Status, true) => "right to left",
            (Self::Kind, false) => "stories first",
            (Self::Kind, true) => "spikes first",
        }
    }
}

/// The list's order: what it is sorted by, and which way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListOrder {
    /// The column sorted by.
    pub by: ListSort,
    /// Whether the order is reversed from the column's natural one (Z to A, lowest first…).
    pub descending: bool,
}

impl ListOrder {
    /// The order a click on `by`'s header gives after `current`: the same column turns the order round,
    /// another starts in its natural direction.
    #[must_use]
    pub fn after_click(current: Option<Self>, by: ListSort) -> Self {
        match current {
            Some(order) if order.by == by => Self { by, descending: !order.descending },
            _ => Self { by, descending: by.highest_first() },
        }
    }

    /// The order in words, for the notice above the list and screen readers.
    #[must_use]
    pub fn words(self) -> String {
        format!("Sorted by {}, {}", self.by.label(), self.by.direction_words(self.descending))
    }
}

/// A card's value, compared for the order when a few cards are put back in place ([`patch`]); a card
/// without one (no estimate, no epic) goes last either way. Its text is a name's sort key
/// ([`natural::key`]: case ignored, numbers as numbers).
#[derive(Debug, PartialEq, PartialOrd)]
enum Key {
    Index(usize),
    Number(f64),
    Text(Vec<u8>),
    Date(crate::model::Date, Vec<u8>),
}

/// `item`'s value for `by`.
fn key_of(item: &BacklogItem, column_id: ColumnId, by: ListSort, workspace: &Workspace) -> Option<Key> {
    let index = |position: Option<usize>| position.map(Key::Index);
    // Not-a-number has no place among numbers: it goes last, as a card without a value.
    let number = |value: Option<f64>| value.filter(|value| !value.is_nan()).map(Key::Number);
    match by {
        ListSort::Title => Some(Key::Text(natural::key(&item.title))),
        ListSort::Kind => index(crate::model::ItemKind::ALL.iter().position(|kind| *kind == item.kind)),
        ListSort::Status => index(workspace.columns.iter().position(|column| column.column_id == column_id)),
        ListSort::Points => number(item.points),
        ListSort::Wsjf => number(item.wsjf()),
        ListSort::Rice => number(item.rice()),
        ListSort::Moscow => {
            item.details.moscow.and_then(|moscow| index(crate::model::Moscow::ALL.iter().position(|m| *m == moscow)))
        }
        ListSort::Epic => {
            item.epic_id.and_then(|id| workspace.epic(id)).map(|epic| Key::Text(natural::key(&epic.title)))
        }
        ListSort::Sprint => item
            .sprint_id
            .and_then(|id| workspace.sprint(id))
            .map(|sprint| Key::Date(sprint.start_date, natural::key(&sprint.name))),
    }
}

/// How two values compare in `order`'s direction; a card without a value goes last either way.
fn by_value(a: Option<&Key>, b: Option<&Key>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            let natural = a.partial_cmp(b).unwrap_or(Ordering::Equal);
            if descending { natural.reverse() } else { natural }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// `value`'s place in `all`.
fn place_in<T: PartialEq>(all: &[T], value: &T) -> Option<u64> {
    all.iter().zip(0..).find(|(one, _)| *one == value).map(|(_, place)| place)
}

/// Each of `names`' ids, with the place of its name among the names sorted (equal names share one).
fn places<Id: Copy + Eq + std::hash::Hash, Name: Ord>(
    names: impl Iterator<Item = (Id, Name)>,
) -> std::collections::HashMap<Id, u64> {
    let mut names: Vec<(Name, Id)> = names.map(|(id, name)| (name, id)).collect();
    names.sort_by(|(a, _), (b, _)| a.cmp(b));
    let mut places = std::collections::HashMap::with_capacity(names.len());
    let mut place = 0;
    let mut previous: Option<&Name> = None;
    for (name, id) in &names {
        if previous.is_some_and(|previous| previous != name) {
            place += 1;
        }
        previous = Some(name);
        places.insert(*id, place);
    }
    places
}

/// `rows` (in board order) sorted by `order`; cards that compare equal keep their board order.
///
/// What a stable sort of each row's [`key_of`] by [`by_value`] gives (and [`patch`] keeps), done faster
/// at 100,000 cards: titles' sort keys are written into one buffer for all, and any other value is
/// packed with its row into one number that sorts as the order wants (see [`packed_order`]).
#[must_use]
pub fn sorted(rows: &[(ItemId, ColumnId)], order: ListOrder, workspace: &Workspace) -> Vec<(ItemId, ColumnId)> {
    let order_of_rows: Vec<u32> = if order.by == ListSort::Title {
        titles_in_order(rows, order.descending, workspace)
    } else {
        packed_order(rows, order, workspace)
    };
    in_order(rows, order_of_rows)
}

/// The rows' places (indices into `rows`) in title order: each title's sort key ([`natural::key`])
/// written into one shared buffer, then sorted eight bytes at a time (see [`order_by_titles`]).
fn titles_in_order(rows: &[(ItemId, ColumnId)], descending: bool, workspace: &Workspace) -> Vec<u32> {
    let mut lowered = String::new();
    keys_in_order(
        rows,
        |item_id, keys| {
            let Some(item) = workspace.item(item_id) else {
                return false;
            };
            if item.title.is_ascii() {
                natural::ascii_key_into(keys, item.title.as_bytes());
            } else {
                lowered.clear();
                lowered.push_str(&item.title.to_lowercase());
                natural::key_into(keys, lowered.as_bytes());
            }
            true
        },
        descending,
    )
}

/// The rows' places in the order of their titles' sort keys: `key_into` appends an item's key to the
/// buffer of all (false for no such item, which goes last).
fn keys_in_order(
    rows: &[(ItemId, ColumnId)],
    mut key_into: impl FnMut(ItemId, &mut Vec<u8>) -> bool,
    descending: bool,
) -> Vec<u32> {
    let mut keys = Vec::with_capacity(rows.len() * 40);
    let ranges: Vec<Option<std::ops::Range<usize>>> = rows
        .iter()
        .map(|(item_id, _)| {
            let start = keys.len();
            key_into(*item_id, &mut keys).then_some(start..keys.len())
        })
        .collect();
    let key = |row: u32| ranges.get(row as usize).cloned().flatten().and_then(|range| keys.get(range));
    order_by_titles(rows.len(), key, descending)
}

/// `rows` (in board order) sorted by title, for an order by title worked out away from the window's
/// thread: `titles` gives an item's title lowercased ([`crate::model::Workspace::lowered_titles`]). The
/// same order as [`sorted`]'s.
#[must_use]
pub fn sorted_by_titles<'t>(
    rows: &[(ItemId, ColumnId)],
    descending: bool,
    titles: impl Fn(ItemId) -> Option<&'t [u8]>,
) -> Vec<(ItemId, ColumnId)> {
    let key_into = |item_id, keys: &mut Vec<u8>| titles(item_id).map(|title| natural::key_into(keys, title)).is_some();
    in_order(rows, keys_in_order(rows, key_into, descending))
}

/// The places `0..count` in the order of their titles' sort keys (`title`: a place's key, `None` for
/// none, which goes last either way), sorted eight bytes at a time, as numbers packed above the place:
/// all keys by their first eight bytes, then each run that begins alike by its next eight, and so on.
/// The order a stable sort of the keys gives, with numbers compared instead of strings far apart in
/// memory (titles that begin alike, "Speed up …", are common).
fn order_by_titles<'t>(count: usize, title: impl Fn(u32) -> Option<&'t [u8]>, descending: bool) -> Vec<u32> {
    let mut order: Vec<u32> = Vec::with_capacity(count);
    let mut untitled: Vec<u32> = Vec::new();
    for row in 0..u32::try_from(count).unwrap_or(u32::MAX) {
        // No such item: last either way, in row order.
        if title(row).is_some() { order.push(row) } else { untitled.push(row) }
    }
    // Eight bytes of a title from `at` as a number (zeros past its end), turned round when descending.
    let word = |row: u32, at: usize| -> u64 {
        let mut eight = [0_u8; 8];
        if let Some(text) = title(row).and_then(|text| text.get(at.min(text.len())..)) {
            for (slot, byte) in eight.iter_mut().zip(text) {
                *slot = *byte;
            }
        }
        let word = u64::from_be_bytes(eight);
        if descending { !word } else { word }
    };
    // Runs of rows whose titles are alike in their first `at` bytes, still to be sorted from there.
    let mut runs = vec![(0, order.len(), 0_usize)];
    let mut packed: Vec<u128> = Vec::new();
    while let Some((start, end, at)) = runs.pop() {
        let Some(run) = order.get_mut(start..end) else {
            continue;
        };
        if !run.iter().any(|row| title(*row).is_some_and(|text| text.len() > at)) {
            // Alike to their ends (a NUL byte within a title aside, which the whole titles tell apart).
            run.sort_unstable_by(|&a, &b| {
                let by_value = title(a).cmp(&title(b));
                let by_value = if descending { by_value.reverse() } else { by_value };
                by_value.then(a.cmp(&b))
            });
            continue;
        }
        packed.clear();
        packed.extend(run.iter().map(|&row| u128::from(word(row, at)) << 32 | u128::from(row)));
        packed.sort_unstable();
        for (slot, packed) in run.iter_mut().zip(&packed) {
            *slot = u32::try_from(packed & u128::from(u32::MAX)).unwrap_or(u32::MAX);
        }
        let mut from = 0;
        while from < packed.len() {
            let word = packed[from] >> 32;
            let to = from + packed[from..].iter().take_while(|packed| *packed >> 32 == word).count();
            if to - from > 1 {
                runs.push((start + from, start + to, at + 8));
            }
            from = to;
        }
    }
    order.extend(untitled);
    order
}

/// The rows' places (indices into `rows`) in `order`, for any order but the title's (see
/// [`order_by_values`]).
fn packed_order(rows: &[(ItemId, ColumnId)], order: ListOrder, workspace: &Workspace) -> Vec<u32> {
    let value = value_of(workspace, order.by);
    let row_value = |row: u32| {
        let (item_id, _) = rows.get(row as usize)?;
        value(workspace.item(*item_id)?)
    };
    order_by_values(rows.len(), row_value, order.descending)
}

/// What a card is sorted by in an order other than the title's, as 64 bits that sort as the order
/// wants ascending; `None` for a card without one (no estimate, no epic). Places count from one.
fn value_of(workspace: &Workspace, by: ListSort) -> impl Fn(&crate::model::BacklogItem) -> Option<u64> {
    let epics = match by {
        ListSort::Epic => places(workspace.epics.iter().map(|epic| (epic.epic_id, natural::key(&epic.title)))),
        _ => std::collections::HashMap::new(),
    };
    let sprints = match by {
        ListSort::Sprint => places(
            workspace.sprints.iter().map(|sprint| (sprint.sprint_id, (sprint.start_date, natural::key(&sprint.name)))),
        ),
        _ => std::collections::HashMap::new(),
    };
    let columns: std::collections::HashMap<ColumnId, u64> =
        workspace.columns.iter().zip(0..).map(|(column, place)| (column.column_id, place)).collect();
    // A place counts from one, so that turned round it is never all ones.
    move |item| match by {
        ListSort::Title => None,
        ListSort::Kind => place_in(&crate::model::ItemKind::ALL, &item.kind).map(|place| place + 1),
        ListSort::Status => columns.get(&item.column_id).map(|place| place + 1),
        ListSort::Points => item.points.and_then(crate::model::ordered_bits),
        ListSort::Wsjf => item.wsjf().and_then(crate::model::ordered_bits),
        ListSort::Rice => item.rice().and_then(crate::model::ordered_bits),
        ListSort::Moscow => {
            item.details.moscow.and_then(|moscow| place_in(&crate::model::Moscow::ALL, &moscow)).map(|place| place + 1)
        }
        ListSort::Epic => item.epic_id.and_then(|id| epics.get(&id)).map(|place| place + 1),
        ListSort::Sprint => item.sprint_id.and_then(|id| sprints.get(&id)).map(|place| place + 1),
    }
}

/// Every board card's value in `by` (not the title), in the workspace's own order of items: one pass
/// over them, no lookups, for sorting on another thread ([`sorted_by_values`]).
#[must_use]
pub fn values_by_item(workspace: &Workspace, by: ListSort) -> Vec<(ItemId, u64)> {
    let value = value_of(workspace, by);
    let mut values = Vec::with_capacity(workspace.item_count());
    values.extend(workspace.items().filter_map(|item| Some((item.item_id, value(item)?))));
    values
}

/// `rows` (in board order) sorted by `value` (a card's value, as [`values_by_item`] gives it; `None` for
/// none), turned round when `descending`: the same order as [`sorted`]'s.
#[must_use]
pub fn sorted_by_values(
    rows: &[(ItemId, ColumnId)],
    descending: bool,
    value: impl Fn(ItemId) -> Option<u64>,
) -> Vec<(ItemId, ColumnId)> {
    let row_value = |row: u32| rows.get(row as usize).and_then(|(item_id, _)| value(*item_id));
    in_order(rows, order_by_values(rows.len(), row_value, descending))
}

/// `rows` in `order` (their places).
fn in_order(rows: &[(ItemId, ColumnId)], order: Vec<u32>) -> Vec<(ItemId, ColumnId)> {
    order.into_iter().filter_map(|row| rows.get(row as usize).copied()).collect()
}

/// The places `0..count` in the order of their values (`value`), turned round when `descending`. Each
/// value becomes 64 bits (turned round when descending; all ones for none, which goes last either way)
/// above its place: one number each, sorted as numbers, in the order a stable sort of the values gives.
fn order_by_values(count: usize, value: impl Fn(u32) -> Option<u64>, descending: bool) -> Vec<u32> {
    let mut packed: Vec<u128> = (0..u32::try_from(count).unwrap_or(u32::MAX))
        .map(|row| {
            let value = match value(row) {
                Some(value) if descending => !value,
                Some(value) => value,
                None => u64::MAX,
            };
            u128::from(value) << 32 | u128::from(row)
        })
        .collect();
    packed.sort_unstable();
    packed.into_iter().map(|packed| u32::try_from(packed & u128::from(u32::MAX)).unwrap_or(u32::MAX)).collect()
}

/// A row's place in board order: its column's place on the board, then its rank (the board's own
/// order within a column, with the id as the tie-break the workspace uses).
fn board_place(workspace: &Workspace, item_id: ItemId, column_id: ColumnId) -> (usize, &str, ItemId) {
    let column = workspace.columns.iter().position(|column| column.column_id == column_id).unwrap_or(usize::MAX);
    let rank = workspace.item(item_id).map_or("", |item| item.rank.as_str());
    (column, rank, item_id)
}

/// `rows`, already sorted by `order`, after a change of the items in `changed` alone (their content:
/// titles, estimates, scores…): each is taken out and put back where the order wants it now, or left
/// out when `listed` says it is no longer listed (filtered out, archived, deleted). What [`sorted`]
/// would give for the rows as they are now, for a few lookups per changed card instead of sorting
/// every card again. Moves are not patched: they change the board order ties fall back on.
pub fn patch(
    rows: &mut Vec<(ItemId, ColumnId)>,
    changed: &[ItemId],
    listed: impl Fn(ItemId) -> Option<ColumnId>,
    order: ListOrder,
    workspace: &Workspace,
) {
    let mut taken: std::collections::HashSet<ItemId> = changed.iter().copied().collect();
    if changed.len() <= 8 {
        // Comparing a few ids beats hashing each of 100,000 rows.
        rows.retain(|(item_id, _)| !changed.contains(item_id));
    } else {
        rows.retain(|(item_id, _)| !taken.contains(item_id));
    }
    // Each once, however often it is named.
    for &item_id in changed.iter().filter(|item_id| taken.remove(item_id)) {
        let (Some(column_id), Some(item)) = (listed(item_id), workspace.item(item_id)) else {
            continue;
        };
        let key = key_of(item, column_id, order.by, workspace);
        let place = board_place(workspace, item_id, column_id);
        let index = rows.partition_point(|&(other_id, other_column)| {
            let other = workspace.item(other_id).and_then(|other| key_of(other, other_column, order.by, workspace));
            by_value(other.as_ref(), key.as_ref(), order.descending)
                .then_with(|| board_place(workspace, other_id, other_column).cmp(&place))
                .is_lt()
        });
        rows.insert(index, (item_id, column_id));
    }
}

#[cfg(test)]
mod tests {
    use super::{ListOrder, ListSort, by_value, key_of, patch, sorted};
    use crate::model::{BacklogItem, ColumnId, ItemId, ItemKind, Product, Timestamp, Workspace};

    fn workspace(points: &[Option<f64>]) -> Workspace {
        let mut workspace = Workspace::new(Product { name: "Sorted".to_owned(), vision: String::new() });
        workspace.columns = crate::model::test_columns(&["Backlog", "Done"]);
        workspace.set_items(points.iter().zip(1..).map(|(points, id)| {
            let mut item =
                BacklogItem::new(ItemKind::Story, format!("Card {id}"), ColumnId(1 + id % 2), Timestamp::UNIX_EPOCH);
            item.item_id = ItemId(id);
            item.points = *points;
            item
        }));
        workspace
    }

    /// Every card in board order, with its column.
    fn board_rows(workspace: &Workspace) -> Vec<(ItemId, ColumnId)> {
        workspace
            .columns
            .iter()
            .flat_map(|column| workspace.column_items(column.column_id).iter().map(move |id| (*id, column.column_id)))
            .collect()
    }

    #[test]
    fn cards_without_a_value_go_last_either_way_and_ties_keep_the_boards_order() {
        let workspace = workspace(&[Some(3.0), None, Some(8.0), Some(3.0), None, Some(1.0)]);
        let rows: Vec<(ItemId, ColumnId)> = workspace.items().map(|item| (item.item_id, item.column_id)).collect();
        let ids = |order: ListOrder| -> Vec<i64> {
            sorted(&rows, order, &workspace).into_iter().map(|(item_id, _)| item_id.0).collect()
        };
        let highest = ListOrder::after_click(None, ListSort::Points);
        assert!(highest.descending, "a number sorts highest first on the first click");
        assert_eq!(ids(highest), [3, 1, 4, 6, 2, 5]);
        let lowest = ListOrder::after_click(Some(highest), ListSort::Points);
        assert_eq!(ids(lowest), [6, 1, 4, 3, 2, 5]);
        let by_status = ListOrder::after_click(Some(lowest), ListSort::Status);
        assert!(!by_status.descending, "another column starts in its natural direction");
        assert_eq!(ids(by_status), [2, 4, 6, 1, 3, 5], "Backlog's cards, then Done's, each in board order");
        assert_eq!(by_status.words(), "Sorted by Status, left to right");
    }

    #[test]
    fn a_sorted_list_patched_after_a_few_edits_is_the_list_sorted_afresh() {
        let mut seed = 11_u64;
        let mut next = move |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
        #[expect(clippy::cast_precision_loss, reason = "small numbers")]
        let points: Vec<Option<f64>> =
            (0..300).map(|_| if next(4) == 0 { None } else { Some(next(5) as f64) }).collect();
        let mut workspace = workspace(&points);
        for by in ListSort::ALL {
            for descending in [false, true] {
                let order = ListOrder { by, descending };
                let mut rows = sorted(&board_rows(&workspace), order, &workspace);
                for round in 0..20 {
                    // One to three cards re-titled or re-estimated, some to a value others have.
                    let changed: Vec<ItemId> = (0..=next(3)).map(|_| ItemId(1 + next(300).cast_signed())).collect();
                    for item_id in &changed {
                        let mut item = workspace.item(*item_id).cloned().unwrap_or_else(|| panic!("item {item_id:?}"));
                        #[expect(clippy::cast_precision_loss, reason = "small numbers")]
                        match next(3) {
                            0 => item.title = format!("Card {}", next(40)),
                            1 => item.points = Some(next(5) as f64),
                            _ => item.points = None,
                        }
                        workspace.upsert_item(item);
                    }
                    let listed = |item_id: ItemId| workspace.item(item_id).map(|item| item.column_id);
                    patch(&mut rows, &changed, listed, order, &workspace);
                    assert_eq!(rows, sorted(&board_rows(&workspace), order, &workspace), "{order:?}, round {round}");
                }
            }
        }
    }

    /// Every order sorted stably by each card's value as `patch` compares it: what `sorted` must give.
    fn sorted_by_values(
        rows: &[(ItemId, ColumnId)],
        order: ListOrder,
        workspace: &Workspace,
    ) -> Vec<(ItemId, ColumnId)> {
        let mut keyed: Vec<_> = rows
            .iter()
            .map(|&(item_id, column_id)| {
                (
                    workspace.item(item_id).and_then(|item| key_of(item, column_id, order.by, workspace)),
                    (item_id, column_id),
                )
            })
            .collect();
        keyed.sort_by(|(a, _), (b, _)| by_value(a.as_ref(), b.as_ref(), order.descending));
        keyed.into_iter().map(|(_, row)| row).collect()
    }

    #[test]
    #[expect(clippy::cast_possible_truncation, reason = "small numbers")]
    fn every_order_is_a_stable_sort_of_the_cards_values() {
        use crate::model::{Colour, Epic, EpicId, Moscow, Sprint, SprintId};
        let mut seed = 5_u64;
        let mut next = move |below: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
        let mut workspace = workspace(&vec![None; 400]);
        workspace.columns = crate::model::test_columns(&["Backlog", "Ready", "Doing", "Done"]);
        let day = |day: i8| jiff::civil::date(2026, 11, day);
        // Two epics of the same title in other cases, and two sprints of the same start and name.
        workspace.epics = ["Loyalty", "checkout", "LOYALTY", "Accessibility"]
            .into_iter()
            .zip(1..)
            .map(|(title, id)| Epic {
                epic_id: EpicId(id),
                title: title.to_owned(),
                description: String::new(),
                colour: Colour([0, 0, 0]),
                start_date: day(1),
                end_date: day(30),
                objective_id: None,
                depends_on: Vec::new(),
            })
            .collect();
        workspace.sprints = [("Sprint 2", 16), ("Sprint 1", 2), ("sprint 2", 16), ("Sprint 3", 16)]
            .into_iter()
            .zip(1..)
            .map(|((name, start), id)| Sprint {
                sprint_id: SprintId(id),
                name: name.to_owned(),
                goal: String::new(),
                start_date: day(start),
                end_date: day(start + 11),
                capacity_points: 20.0,
                started_at: None,
                completed_at: None,
                carried_over_points: 0.0,
            })
            .collect();
        let titles = [
            "As a shopper I want a receipt",
            "As a shopper I want a Receipt",
            "as a shopper",
            "Ärger",
            "zebra",
            "Éclair",
        ];
        #[expect(clippy::cast_precision_loss, reason = "small numbers")]
        for id in 1..=400 {
            let mut item = workspace.item(ItemId(id)).cloned().unwrap_or_else(|| panic!("item {id}"));
            item.title = format!("{} {}", titles.get(next(6) as usize).copied().unwrap_or_default(), next(3));
            item.column_id = ColumnId(1 + next(4).cast_signed());
            item.kind = ItemKind::ALL.get(next(4) as usize).copied().unwrap_or(ItemKind::Story);
            item.points = [None, Some(0.0), Some(-0.0), Some(1.0), Some(2.5), Some(8.0), Some(-3.0), Some(f64::NAN)]
                .get(next(8) as usize)
                .copied()
                .flatten();
            item.business_value = u32::try_from(next(4)).unwrap_or(0);
            item.time_criticality = u32::try_from(next(3)).unwrap_or(0);
            item.details.rice.reach = (next(3) > 0).then(|| next(1000) as f64);
            item.details.rice.impact = Some(1.0);
            item.details.rice.confidence_percent = Some(80.0);
            item.details.rice.effort = (next(4) > 0).then(|| 1.0 + next(3) as f64);
            item.details.moscow = Moscow::ALL.get(next(6) as usize).copied();
            item.epic_id = (next(5) > 0).then(|| EpicId(1 + next(4).cast_signed()));
            item.sprint_id = (next(5) > 0).then(|| SprintId(1 + next(4).cast_signed()));
            workspace.upsert_item(item);
        }
        let rows = board_rows(&workspace);
        assert_eq!(rows.len(), 400);
        for by in ListSort::ALL {
            for descending in [false, true] {
                let order = ListOrder { by, descending };
                assert_eq!(sorted(&rows, order, &workspace), sorted_by_values(&rows, order, &workspace), "{order:?}");
            }
        }
    }

    #[test]
    fn titles_sort_as_lowercased_with_numbers_as_numbers_whatever_their_letters() {
        let titles = [
            "Zebra crossing",
            "apple pay",
            "Äpfel im Korb",
            "ÉCLAIR",
            "éclair",
            "ΣΟΦΙΑ",
            "Apple Pay",
            "",
            "İstanbul",
            "zebra",
            "123 numbers",
            "ß and ss",
            "zebra\0",
            "Speed up the basket (#12)",
            "Speed up the basket (#1)",
            "speed up the basket (#1)",
            "Speed up the basket (#1)\0\0",
            "Speed up the basket",
            "Story 10",
            "story 9",
            "Story 009",
            "Release 1.10",
            "Release 1.9",
            "#10088",
            "#104",
        ];
        let mut workspace = workspace(&vec![None; titles.len()]);
        for (title, id) in titles.iter().zip(1..) {
            let mut item = workspace.item(ItemId(id)).cloned().unwrap_or_else(|| panic!("item {id}"));
            (*title).clone_into(&mut item.title);
            workspace.upsert_item(item);
        }
        let rows = board_rows(&workspace);
        for descending in [false, true] {
            let order = ListOrder { by: ListSort::Title, descending };
            // The reference: each title's sort key made on its own, sorted stably.
            assert_eq!(sorted(&rows, order, &workspace), sorted_by_values(&rows, order, &workspace), "{descending}");
        }
        let titles = |order| -> Vec<String> {
            sorted(&rows, order, &workspace)
                .iter()
                .filter_map(|(item_id, _)| workspace.item(*item_id).map(|item| item.title.clone()))
                .filter(|title| title.starts_with('#') || title.to_lowercase().starts_with("story"))
                .collect()
        };
        assert_eq!(
            titles(ListOrder { by: ListSort::Title, descending: false }),
            ["#104", "#10088", "story 9", "Story 009", "Story 10"],
            "numbers as numbers; leading zeros tie, in board order"
        );
    }
}
