//! A search over a large workspace, spread over frames: each frame tests the next slice of items (four
//! milliseconds' work, [`FRAME_BUDGET`]), and the board keeps showing what it showed before until the search has seen
//! every item. Small workspaces are searched at once. A term typed on tests only the cards the last one
//! showed: at once when they are few, over frames when they are many. Moves under a search never walk
//! every item.

use crate::model::{FilterMatcher, ItemFilter, ItemId, Workspace};

/// Workspaces with more items than this are searched over several frames.
pub(super) const IN_FRAMES_ABOVE: usize = 20_000;

/// How long a frame spends on a search over a large workspace: a quarter of a 60 Hz frame, so that the
/// frame with the board drawn stays well inside one. Measured as the search goes, so a slower laptop tests
/// fewer items a frame and a faster one reaches the result in fewer frames.
pub(super) const FRAME_BUDGET: std::time::Duration = std::time::Duration::from_millis(4);

/// Items tested between two looks at the clock.
const BETWEEN_LOOKS: usize = 1_024;

/// How much of a search one frame does.
#[derive(Clone, Copy, Debug)]
pub(super) enum Slice {
    /// Items until this much time has gone (at least one batch of them).
    Time(std::time::Duration),
    /// Exactly this many items (tests, which must not depend on the machine's speed).
    Items(usize),
}

/// The items a frame tests when tests ask for a fixed number of them, for both kinds of search: a
/// shown card is looked up by id and already contains most of the term, so testing it costs about three
/// times an item in storage order, and half as many are tested a frame.
pub(super) fn narrowing_slice(slice: Slice) -> Slice {
    match slice {
        Slice::Items(count) => Slice::Items((count / 2).max(1)),
        time @ Slice::Time(_) => time,
    }
}

/// A term typed on tests only the cards the last one showed: at once when they are at most this share
/// of `above` (a quarter: 5,000 cards by default), over frames up to all of it, and beyond that a pass
/// over every item is the faster.
pub(super) fn narrow_at_once(above: usize) -> usize {
    above / 4
}

/// A search under way.
#[derive(Clone, Debug)]
pub(super) struct PendingSearch {
    /// What is searched for.
    pub(super) filter: ItemFilter,
    /// The workspace revision it searches; any change starts it again, so the items' storage order (which
    /// only a change alters) is the same in every frame of it.
    pub(super) revision: u64,
    /// How many items there are.
    total: usize,
    /// How many items, in storage order, were tested.
    next: usize,
    /// The items that passed so far.
    pub(super) passing: Vec<ItemId>,
    /// When a term typed on narrows the last result: the cards it showed, the only ones tested; `None`
    /// tests every item in storage order.
    candidates: Option<Vec<ItemId>>,
}

impl PendingSearch {
    pub(super) fn start(workspace: &Workspace, filter: &ItemFilter) -> Self {
        Self {
            filter: filter.clone(),
            revision: workspace.revision(),
            total: workspace.item_count(),
            next: 0,
            passing: Vec::new(),
            candidates: None,
        }
    }

    /// A search that tests only `candidates` (the cards a broader term showed, in board order).
    pub(super) fn narrowing(workspace: &Workspace, filter: &ItemFilter, candidates: Vec<ItemId>) -> Self {
        Self {
            filter: filter.clone(),
            revision: workspace.revision(),
            total: candidates.len(),
            next: 0,
            passing: Vec::new(),
            candidates: Some(candidates),
        }
    }

    /// Tests the next slice of items (in storage order they are side by side in memory: skipping the
    /// ones already tested is one jump); returns whether every item has been tested.
    pub(super) fn step(&mut self, workspace: &Workspace, matcher: &FilterMatcher, slice: Slice) -> bool {
        let started = std::time::Instant::now();
        let enough = |tested: usize| match slice {
            Slice::Items(count) => tested >= count.max(1),
            Slice::Time(budget) => tested.is_multiple_of(BETWEEN_LOOKS) && started.elapsed() >= budget,
        };
        let mut tested = 0usize;
        match &self.candidates {
            Some(candidates) => {
                for item_id in candidates.iter().skip(self.next) {
                    if workspace.item(*item_id).is_some_and(|item| matcher.matches(item)) {
                        self.passing.push(*item_id);
                    }
                    tested += 1;
                    if enough(tested) {
                        break;
                    }
                }
            }
            None => {
                for item in workspace.items().skip(self.next) {
                    if matcher.matches(item) {
                        self.passing.push(item.item_id);
                    }
                    tested += 1;
                    if enough(tested) {
                        break;
                    }
                }
            }
        }
        self.next = self.next.saturating_add(tested).min(self.total);
        // Nothing left to test (also when a slice found the end exactly).
        self.next >= self.total || tested == 0
    }

    /// Whether it tests only the cards a broader term showed.
    pub(super) fn is_narrowing(&self) -> bool {
        self.candidates.is_some()
    }

    /// How many items were tested, of how many.
    pub(super) fn progress(&self) -> (usize, usize) {
        (self.next, self.total)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
    use super::{BETWEEN_LOOKS, PendingSearch, Slice};
    use crate::model::{BacklogItem, ColumnId, ItemFilter, ItemId, ItemKind, Product, Timestamp, Workspace};
    use std::time::Duration;

    fn workspace(items: usize) -> Workspace {
        let mut workspace = Workspace::new(Product { name: "Large".to_owned(), vision: String::new() });
        workspace.set_items((1..=items).map(|id| {
            let title = if id % 3 == 0 { format!("Checkout step {id}") } else { format!("Search page {id}") };
            let mut item = BacklogItem::new(ItemKind::Story, title, ColumnId(1), Timestamp::UNIX_EPOCH);
            item.item_id = ItemId(i64::try_from(id).unwrap());
            item
        }));
        workspace
    }

    #[test]
    fn a_frame_tests_items_until_its_time_is_spent_and_the_result_is_the_same_however_sliced() {
        let workspace = workspace(5 * BETWEEN_LOOKS + 7);
        let filter = ItemFilter { text: "checkout".to_owned(), ..ItemFilter::default() };
        let matcher = filter.matcher();
        // No time at all: one batch between two looks at the clock a frame, and the last frame the rest.
        let mut search = PendingSearch::start(&workspace, &filter);
        let mut frames = 0;
        while !search.step(&workspace, &matcher, Slice::Time(Duration::ZERO)) {
            frames += 1;
            assert_eq!(search.progress().0, frames * BETWEEN_LOOKS);
        }
        assert_eq!(frames, 5);
        let sliced = search.passing;
        // Time enough: every item in one frame.
        let mut search = PendingSearch::start(&workspace, &filter);
        assert!(search.step(&workspace, &matcher, Slice::Time(Duration::from_mins(1))));
        assert_eq!(search.passing, sliced);
        // A fixed number of items a frame, as tests ask for.
        let mut search = PendingSearch::start(&workspace, &filter);
        let mut frames = 1;
        while !search.step(&workspace, &matcher, Slice::Items(1_000)) {
            frames += 1;
        }
        assert_eq!((frames, &search.passing), (6, &sliced));
        assert_eq!(sliced.len(), (5 * BETWEEN_LOOKS + 7) / 3);
    }
}
