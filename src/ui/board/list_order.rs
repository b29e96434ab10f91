//! The list's order when a column header is clicked: by title, kind, status, points, a score, MoSCoW,
//! epic or sprint, for reading only. The board's own order (the rank) is untouched, and moving a card
//! is refused in a sentence while the list is sorted, so that a move never lands somewhere unexpected.

use std::cmp::Ordering;

use crate::model::{BacklogItem, ColumnId, ItemId, Workspace};

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

/// A row of the list: the card and its column.
type Row = (ItemId, ColumnId);

/// A value compared for the order; a card without one (no estimate, no epic) goes last either way.
/// `T` is the lowercased text: a string of its own, or a slice of one buffer when every card is sorted.
#[derive(Debug, PartialEq, PartialOrd)]
enum Key<T> {
    Index(usize),
    Number(f64),
    Text(T),
    Date(crate::model::Date, T),
}

/// `item`'s value for `by`, its text lowercased by `lower`.
fn key_with<T>(
    item: &BacklogItem,
    column_id: ColumnId,
    by: ListSort,
    workspace: &Workspace,
    mut lower: impl FnMut(&str) -> T,
) -> Option<Key<T>> {
    let index = |position: Option<usize>| position.map(Key::Index);
    match by {
        ListSort::Title => Some(Key::Text(lower(&item.title))),
        ListSort::Kind => index(crate::model::ItemKind::ALL.iter().position(|kind| *kind == item.kind)),
        ListSort::Status => index(workspace.columns.iter().position(|column| column.column_id == column_id)),
        ListSort::Points => item.points.map(Key::Number),
        ListSort::Wsjf => item.wsjf().map(Key::Number),
        ListSort::Rice => item.rice().map(Key::Number),
        ListSort::Moscow => {
            item.details.moscow.and_then(|moscow| index(crate::model::Moscow::ALL.iter().position(|m| *m == moscow)))
        }
        ListSort::Epic => item.epic_id.and_then(|id| workspace.epic(id)).map(|epic| Key::Text(lower(&epic.title))),
        ListSort::Sprint => item
            .sprint_id
            .and_then(|id| workspace.sprint(id))
            .map(|sprint| Key::Date(sprint.start_date, lower(&sprint.name))),
    }
}

fn key_of(item: &BacklogItem, column_id: ColumnId, by: ListSort, workspace: &Workspace) -> Option<Key<String>> {
    key_with(item, column_id, by, workspace, str::to_lowercase)
}

/// Appends `text` lowercased (as [`str::to_lowercase`] has it) to `buffer`, and says where it is.
fn lowered_into(buffer: &mut String, text: &str) -> std::ops::Range<usize> {
    let start = buffer.len();
    if text.is_ascii() {
        buffer.push_str(text);
        if let Some(added) = buffer.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        buffer.push_str(&text.to_lowercase());
    }
    start..buffer.len()
}

/// How two values compare in `order`'s direction; a card without a value goes last either way.
fn by_value<T: PartialOrd>(a: Option<&Key<T>>, b: Option<&Key<T>>, descending: bool) -> Ordering {
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

/// `rows` (in board order) sorted by `order`; cards that compare equal keep their board order.
#[must_use]
pub fn sorted(rows: &[(ItemId, ColumnId)], order: ListOrder, workspace: &Workspace) -> Vec<(ItemId, ColumnId)> {
    // Every card's text lowercased into one buffer, rather than a string of its own each: at 100,000
    // cards, a third of the time sorting by title took.
    let mut texts = String::with_capacity(if order.by == ListSort::Title { rows.len() * 40 } else { 0 });
    let ranges: Vec<Option<Key<std::ops::Range<usize>>>> = rows
        .iter()
        .map(|&(item_id, column_id)| {
            let item = workspace.item(item_id)?;
            key_with(item, column_id, order.by, workspace, |text| lowered_into(&mut texts, text))
        })
        .collect();
    let text = |range: std::ops::Range<usize>| texts.get(range).unwrap_or_default();
    let mut keyed: Vec<(Option<Key<&str>>, Row)> = ranges
        .into_iter()
        .map(|key| {
            key.map(|key| match key {
                Key::Index(index) => Key::Index(index),
                Key::Number(number) => Key::Number(number),
                Key::Text(range) => Key::Text(text(range)),
                Key::Date(date, range) => Key::Date(date, text(range)),
            })
        })
        .zip(rows.iter().copied())
        .collect();
    keyed.sort_by(|(a, _), (b, _)| by_value(a.as_ref(), b.as_ref(), order.descending));
    keyed.into_iter().map(|(_, row)| row).collect()
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
                let board = |workspace: &Workspace| -> Vec<(ItemId, ColumnId)> {
                    workspace
                        .columns
                        .iter()
                        .flat_map(|column| {
                            workspace.column_items(column.column_id).iter().map(move |id| (*id, column.column_id))
                        })
                        .collect()
                };
                let mut rows = sorted(&board(&workspace), order, &workspace);
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
                    assert_eq!(rows, sorted(&board(&workspace), order, &workspace), "{order:?}, round {round}");
                }
            }
        }
    }

    #[test]
    fn titles_sort_as_lowercased_whatever_their_letters() {
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
        ];
        let mut workspace = workspace(&vec![None; titles.len()]);
        for (title, id) in titles.iter().zip(1..) {
            let mut item = workspace.item(ItemId(id)).cloned().unwrap_or_else(|| panic!("item {id}"));
            (*title).clone_into(&mut item.title);
            workspace.upsert_item(item);
        }
        let rows: Vec<(ItemId, ColumnId)> = workspace
            .columns
            .iter()
            .flat_map(|column| workspace.column_items(column.column_id).iter().map(move |id| (*id, column.column_id)))
            .collect();
        for descending in [false, true] {
            let order = ListOrder { by: ListSort::Title, descending };
            // The reference: each title lowercased into a string of its own, sorted stably.
            let mut reference: Vec<_> = rows
                .iter()
                .map(|&(item_id, column_id)| {
                    let key = workspace.item(item_id).and_then(|item| key_of(item, column_id, order.by, &workspace));
                    (key, (item_id, column_id))
                })
                .collect();
            reference.sort_by(|(a, _), (b, _)| by_value(a.as_ref(), b.as_ref(), descending));
            let reference: Vec<_> = reference.into_iter().map(|(_, row)| row).collect();
            assert_eq!(sorted(&rows, order, &workspace), reference, "descending: {descending}");
        }
    }
}
