//! A search over a large workspace, spread over frames: each frame tests the next slice of items (a few
//! milliseconds' work), and the board keeps showing what it showed before until the search has seen
//! every item. Small workspaces are searched at once. A term typed on tests only the cards the last one
//! showed: at once when they are few, over frames when they are many. Moves under a search never walk
//! every item.

use crate::model::{FilterMatcher, ItemFilter, ItemId, Workspace};

/// Workspaces with more items than this are searched over several frames.
pub(super) const IN_FRAMES_ABOVE: usize = 20_000;

/// Items tested per frame: about 3 ms of a 60 Hz frame's 16 at 100,000 items on a slow laptop.
pub(super) const PER_FRAME: usize = 12_500;

/// A term typed on tests only the cards the last one showed: at once when they are at most this share
/// of [`IN_FRAMES_ABOVE`] (a quarter: 5,000 cards), over frames up to all of it, and beyond that a pass
/// over every item is the faster. A shown card is looked up by id and already contains most of the
/// term, so testing it costs about three times an item in storage order: half as many are tested a
/// frame.
pub(super) fn narrowing_limits(above: usize, per_frame: usize) -> (usize, usize) {
    (above / 4, (per_frame / 2).max(1))
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

    /// Tests the next `per_frame` items in storage order (side by side in memory: skipping the ones
    /// already tested is one jump); returns whether every item has been tested.
    pub(super) fn step(&mut self, workspace: &Workspace, matcher: &FilterMatcher, per_frame: usize) -> bool {
        let per_frame = per_frame.max(1);
        match &self.candidates {
            Some(candidates) => self.passing.extend(
                candidates
                    .iter()
                    .skip(self.next)
                    .take(per_frame)
                    .filter(|item_id| workspace.item(**item_id).is_some_and(|item| matcher.matches(item))),
            ),
            None => self.passing.extend(
                workspace
                    .items()
                    .skip(self.next)
                    .take(per_frame)
                    .filter(|item| matcher.matches(item))
                    .map(|item| item.item_id),
            ),
        }
        self.next = self.next.saturating_add(per_frame).min(self.total);
        self.next >= self.total
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
