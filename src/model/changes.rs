//! Which items changed lately in one workspace in memory: what lets a view keep what it derived from
//! every item (swimlanes, say) and patch it for the one or two items a change touched, instead of going
//! over all of them again.

use std::collections::VecDeque;

use super::ItemId;

/// How many item changes are kept. A view further behind than that works everything out again.
const KEPT: usize = 1_024;

/// Where a workspace's content stood when a view derived something from it
/// ([`super::Workspace::content_mark`]), to ask later what changed since
/// ([`super::Workspace::items_changed_since`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentMark {
    /// The workspace in memory it was taken from.
    lineage: u64,
    /// Its content revision then.
    revision: u64,
}

/// The items whose content changed, each with the revision its change made, for the last [`KEPT`]
/// changes of one workspace in memory.
#[derive(Debug)]
pub(super) struct ItemChanges {
    /// Unique to this workspace in memory: a clone, or a workspace read again, starts a history of its
    /// own, so a mark of another one is never answered from this one.
    lineage: u64,
    /// Every content change at a revision above this one is in `entries`: changes at or below it may
    /// not be (dropped for room, or not of one item).
    complete_above: u64,
    /// (revision, item), oldest first.
    entries: VecDeque<(u64, ItemId)>,
}

impl ItemChanges {
    /// An empty history, complete above `revision` (the workspace's revision when it was made).
    pub(super) fn new(revision: u64) -> Self {
        Self { lineage: next_lineage(), complete_above: revision, entries: VecDeque::new() }
    }

    /// The mark of content revision `revision` of this workspace.
    pub(super) fn mark(&self, revision: u64) -> ContentMark {
        ContentMark { lineage: self.lineage, revision }
    }

    /// `item_id`'s content changed, making revision `revision`.
    pub(super) fn item(&mut self, revision: u64, item_id: ItemId) {
        if self.entries.len() == KEPT
            && let Some((dropped, _)) = self.entries.pop_front()
        {
            self.complete_above = self.complete_above.max(dropped);
        }
        self.entries.push_back((revision, item_id));
    }

    /// Something else than one item's content changed (all items replaced, an epic, the columns),
    /// making revision `revision`: what was derived before it must be worked out again.
    pub(super) fn everything(&mut self, revision: u64) {
        self.entries.clear();
        self.complete_above = revision;
    }

    /// The items changed after `mark`, each once, in the order of their first change since; `None` when
    /// that cannot be told (a mark of another workspace, older than the history kept, or something
    /// else than items changed since).
    pub(super) fn since(&self, mark: ContentMark) -> Option<Vec<ItemId>> {
        if mark.lineage != self.lineage || mark.revision < self.complete_above {
            return None;
        }
        let first = self.entries.partition_point(|(revision, _)| *revision <= mark.revision);
        let mut seen = std::collections::HashSet::new();
        Some(self.entries.range(first..).map(|(_, item_id)| *item_id).filter(|item_id| seen.insert(*item_id)).collect())
    }
}

/// A clone starts a history of its own: the two workspaces change apart from here.
impl Clone for ItemChanges {
    fn clone(&self) -> Self {
        Self::new(self.complete_above.max(self.entries.back().map_or(0, |(revision, _)| *revision)))
    }
}

/// What changed lately is not part of what a workspace holds.
impl PartialEq for ItemChanges {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

fn next_lineage() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::{ItemChanges, KEPT};
    use crate::model::ItemId;

    #[test]
    fn tells_the_items_changed_since_a_mark_until_it_is_too_old_or_of_another_history() {
        let mut changes = ItemChanges::new(10);
        let at_ten = changes.mark(10);
        changes.item(11, ItemId(1));
        changes.item(12, ItemId(2));
        changes.item(13, ItemId(1));
        assert_eq!(changes.since(at_ten), Some(vec![ItemId(1), ItemId(2)]));
        assert_eq!(changes.since(changes.mark(12)), Some(vec![ItemId(1)]));
        assert_eq!(changes.since(changes.mark(13)), Some(vec![]));
        assert_eq!(changes.since(changes.mark(9)), None, "before the history began");
        assert_eq!(changes.clone().since(at_ten), None, "a clone's history is its own");
        changes.everything(14);
        assert_eq!(changes.since(at_ten), None, "something else changed since");
        let at_fourteen = changes.mark(14);
        for revision in 15..(15 + KEPT as u64) {
            changes.item(revision, ItemId(3));
        }
        assert_eq!(changes.since(at_fourteen), Some(vec![ItemId(3)]));
        changes.item(15 + KEPT as u64, ItemId(4));
        assert_eq!(changes.since(at_fourteen), None, "the oldest change was dropped for room");
        assert_eq!(changes.since(changes.mark(15)), Some(vec![ItemId(3), ItemId(4)]));
    }
}
