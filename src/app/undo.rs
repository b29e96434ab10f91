//! The undo history: snapshots of what each command changed. Capped, and never written to the file.

use crate::model::{
    Column, Comment, Epic, ItemPosition, ItemRecord, Metric, Objective, Product, ProgramIncrement, Release, Sprint,
};

/// How many commands can be undone.
pub const UNDO_LIMIT: usize = 200;

/// One change inside a command, as before-and-after snapshots.
#[derive(Clone, Debug, PartialEq)]
#[expect(clippy::large_enum_variant, reason = "at most 200 entries are kept; boxing would only add indirection")]
pub enum Change {
    /// An item was created (`before` is `None`), deleted (`after` is `None`) or edited.
    Item {
        /// The item before, with its history when it was deleted.
        before: Option<ItemRecord>,
        /// The item after, with its history when it was created.
        after: Option<ItemRecord>,
    },
    /// A comment was added (`before` is `None`) or deleted (`after` is `None`).
    Comment {
        /// Before.
        before: Option<Comment>,
        /// After.
        after: Option<Comment>,
    },
    /// A label's colour was set, changed or taken away.
    LabelColour {
        /// The label.
        label: String,
        /// Its colour before.
        before: Option<crate::model::Colour>,
        /// Its colour after.
        after: Option<crate::model::Colour>,
    },
    /// Items changed place.
    Positions {
        /// Where they were.
        before: Vec<ItemPosition>,
        /// Where they went.
        after: Vec<ItemPosition>,
    },
    /// Columns were added, edited, reordered or deleted: the whole list before and after.
    Columns {
        /// Before.
        before: Vec<Column>,
        /// After.
        after: Vec<Column>,
    },
    /// An epic was created (`before` is `None`) or edited (moved, resized, renamed…).
    Epic {
        /// Before.
        before: Option<Epic>,
        /// After.
        after: Option<Epic>,
    },
    /// An objective was created or edited (with its key results).
    Objective {
        /// Before.
        before: Option<Objective>,
        /// After.
        after: Option<Objective>,
    },
    /// A metric was created, deleted, or edited (with its samples).
    Metric {
        /// Before.
        before: Option<Metric>,
        /// After.
        after: Option<Metric>,
    },
    /// The objective a KPI serves was set or taken away, and nothing else of it (deleting the objective
    /// takes it away): replayed as that one field, so samples recorded meanwhile are never written over.
    MetricObjective {
        /// The KPI.
        metric_id: crate::model::MetricId,
        /// The objective before.
        before: Option<crate::model::ObjectiveId>,
        /// The objective after.
        after: Option<crate::model::ObjectiveId>,
    },
    /// The program increment an objective was set for was taken away, and nothing else of it (deleting
    /// the increment takes it away): replayed as that one field, so that a title or business value
    /// changed elsewhere meanwhile is never written over.
    ObjectiveIncrement {
        /// The objective.
        objective_id: crate::model::ObjectiveId,
        /// The increment before.
        before: Option<crate::model::IncrementId>,
        /// The increment after.
        after: Option<crate::model::IncrementId>,
    },
    /// A persona was created, deleted or edited.
    Persona {
        /// Before.
        before: Option<crate::model::Persona>,
        /// After.
        after: Option<crate::model::Persona>,
    },
    /// An insight was created, deleted or edited.
    Insight {
        /// Before.
        before: Option<crate::model::Insight>,
        /// After.
        after: Option<crate::model::Insight>,
    },
    /// A sprint was created, deleted or edited.
    Sprint {
        /// Before.
        before: Option<Sprint>,
        /// After.
        after: Option<Sprint>,
    },
    /// A merge: the SQLite changeset it wrote, replayed as is (redo) or inverted (undo), refused
    /// whole when any record it touched has changed since.
    Changeset {
        /// The changeset, shared with the worker thread that replays a large one (it can be tens of
        /// megabytes: copying it would hold the window up).
        changeset: std::sync::Arc<[u8]>,
        /// The partner's journal entries the merge added (id and changeset): taken out again on undo,
        /// so the copy can be merged again.
        imported: Vec<(String, Vec<u8>)>,
    },
    /// A release or milestone was created, deleted or edited.
    Release {
        /// Before.
        before: Option<Release>,
        /// After.
        after: Option<Release>,
    },
    /// A program increment was created, deleted or edited.
    Increment {
        /// Before.
        before: Option<ProgramIncrement>,
        /// After.
        after: Option<ProgramIncrement>,
    },
    /// The product's name or vision changed.
    Product {
        /// Before.
        before: Product,
        /// After.
        after: Product,
    },
}

/// The snapshots a replay goes from and to: `(before, after)` forward, `(after, before)` backward.
#[must_use]
pub fn from_to<'a, T>(before: &'a Option<T>, after: &'a Option<T>, forward: bool) -> (Option<&'a T>, Option<&'a T>) {
    if forward { (before.as_ref(), after.as_ref()) } else { (after.as_ref(), before.as_ref()) }
}

/// One undoable command.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoEntry {
    /// What it did, e.g. "move 'Login'", for menus and messages.
    pub description: String,
    /// Its changes, in the order they were made.
    pub changes: Vec<Change>,
}

impl UndoEntry {
    /// How many records undoing or redoing it writes (each item moved or edited counts once).
    #[must_use]
    pub fn size(&self) -> usize {
        self.changes
            .iter()
            .map(|change| match change {
                Change::Positions { after, .. } => after.len(),
                // A merge or an import: about one item per 256 bytes (an item of a 100,000-item import is
                // 280), so that taking back a large one is announced before the window waits for it.
                Change::Changeset { changeset, .. } => (changeset.len() / 256).max(1),
                _ => 1,
            })
            .sum()
    }
}

/// Undo and redo stacks.
#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Vec<UndoEntry>,
    redo: Vec<UndoEntry>,
    /// How many of the oldest entries were forgotten to stay within [`UNDO_LIMIT`].
    forgotten: usize,
}

impl UndoStack {
    /// Records a new command; clears redo, and forgets the oldest entry past [`UNDO_LIMIT`].
    pub fn push(&mut self, entry: UndoEntry) {
        self.redo.clear();
        self.push_back_undo(entry);
    }

    /// Puts an entry back on the undo stack without clearing redo.
    pub fn push_back_undo(&mut self, entry: UndoEntry) {
        self.undo.push(entry);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
            self.forgotten += 1;
        }
    }

    /// How many older changes can no longer be undone because the history is full.
    #[must_use]
    pub fn forgotten(&self) -> usize {
        self.forgotten
    }

    /// Puts an entry on the redo stack.
    pub fn push_redo(&mut self, entry: UndoEntry) {
        self.redo.push(entry);
    }

    /// Takes the newest undo entry.
    pub fn take_undo(&mut self) -> Option<UndoEntry> {
        self.undo.pop()
    }

    /// Takes the newest redo entry.
    pub fn take_redo(&mut self) -> Option<UndoEntry> {
        self.redo.pop()
    }

    /// How many records the next undo (`undo`) or redo writes.
    #[must_use]
    pub fn next_size(&self, undo: bool) -> usize {
        let stack = if undo { &self.undo } else { &self.redo };
        stack.last().map_or(0, UndoEntry::size)
    }

    /// Whether the next undo (`undo`) or redo takes back or makes again a merge or an import (a
    /// changeset, which can be replayed through another connection).
    #[must_use]
    pub fn next_is_changeset(&self, undo: bool) -> bool {
        let stack = if undo { &self.undo } else { &self.redo };
        stack.last().is_some_and(|entry| matches!(entry.changes.as_slice(), [Change::Changeset { .. }]))
    }

    /// The description of what undo would do.
    #[must_use]
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.last().map(|entry| entry.description.as_str())
    }

    /// The description of what redo would do.
    #[must_use]
    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|entry| entry.description.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_merge_or_import_counts_as_many_records() {
        let entry = |bytes: usize| UndoEntry {
            description: "import".to_owned(),
            changes: vec![Change::Changeset { changeset: vec![0; bytes].into(), imported: Vec::new() }],
        };
        assert_eq!(entry(10).size(), 1);
        assert_eq!(entry(28_000_000).size(), 109_375, "a 100,000-item import is announced before it is undone");
    }

    fn entry(name: &str) -> UndoEntry {
        UndoEntry { description: name.to_owned(), changes: Vec::new() }
    }

    #[test]
    fn a_new_command_clears_redo_and_the_stack_is_capped() {
        let mut stack = UndoStack::default();
        for index in 0..=UNDO_LIMIT {
            stack.push(entry(&index.to_string()));
        }
        assert_eq!(stack.undo.len(), UNDO_LIMIT);
        assert_eq!(stack.forgotten(), 1);
        let last = stack.take_undo();
        assert_eq!(last.as_ref().map(|e| e.description.as_str()), Some("200"));
        stack.push_redo(entry("redo me"));
        stack.push(entry("new"));
        assert_eq!(stack.redo_description(), None);
    }
}
