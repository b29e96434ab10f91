//! A search over a large workspace, spread over frames: each frame tests the next slice of items (a few
//! milliseconds' work), and the board keeps showing what it showed before until the search has seen
//! every item. Small workspaces are searched at once. Searches that only narrow the last result, and
//! moves under a search, never walk every item and stay immediate.

use std::sync::Arc;

use crate::model::{FilterMatcher, ItemFilter, ItemId, Workspace};

/// Workspaces with more items than this are searched over several frames.
pub(super) const IN_FRAMES_ABOVE: usize = 20_000;

/// Items tested per frame: about 3 ms of a 60 Hz frame's 16 at 100,000 items on a slow laptop.
pub(super) const PER_FRAME: usize = 12_500;

/// A search under way.
#[derive(Clone, Debug)]
pub(super) struct PendingSearch {
    /// What is searched for.
    pub(super) filter: ItemFilter,
    /// The workspace revision it searches; any change starts it again.
    pub(super) revision: u64,
    /// Every item, in storage order, taken when it started.
    ids: Arc<[ItemId]>,
    /// How many of `ids` were tested.
    next: usize,
    /// The items that passed so far.
    pub(super) passing: Vec<ItemId>,
}

impl PendingSearch {
    pub(super) fn start(workspace: &Workspace, filter: &ItemFilter) -> Self {
        Self {
            filter: filter.clone(),
            revision: workspace.revision(),
            ids: workspace.items().map(|item| item.item_id).collect(),
            next: 0,
            passing: Vec::new(),
        }
    }

    /// Tests the next `per_frame` items; returns whether every item has been tested.
    pub(super) fn step(&mut self, workspace: &Workspace, matcher: &FilterMatcher, per_frame: usize) -> bool {
        let end = self.next.saturating_add(per_frame.max(1)).min(self.ids.len());
        let slice = self.ids.get(self.next..end).unwrap_or_default();
        self.passing.extend(
            slice.iter().copied().filter(|item_id| workspace.item(*item_id).is_some_and(|item| matcher.matches(item))),
        );
        self.next = end;
        self.next >= self.ids.len()
    }

    /// How many items were tested, of how many.
    pub(super) fn progress(&self) -> (usize, usize) {
        (self.next, self.ids.len())
    }
}
