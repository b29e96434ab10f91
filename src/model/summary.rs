//! What the views list from every item (the people named on items, the labels in use), derived once
//! per change of what items say and kept until the next: at 100,000 items a walk over them takes
//! milliseconds, too long to repeat in every frame a menu or window showing them is open.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::BacklogItem;

/// A person named on items, as assignee or reporter, with how many items name them each way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The name, in the spelling that sorts first among those that differ only in case.
    pub name: String,
    /// Items that name them as assignee.
    pub assigned: usize,
    /// Items that name them as reporter.
    pub reported: usize,
}

/// A label in use, with how many items carry it on the board and in the archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelUse {
    /// The label.
    pub label: String,
    /// Items on the board that carry it.
    pub on_board: usize,
    /// Archived items that carry it.
    pub archived: usize,
}

/// Everyone named on `items`, sorted by name as people read names ([`super::natural`]: case ignored,
/// numbers as numbers; then as written); spellings that differ only in case are one person, shown in
/// the spelling that sorts first.
pub(super) fn people_of<'item>(items: impl Iterator<Item = &'item BacklogItem>) -> Vec<Person> {
    // Counted by exact spelling first (no allocation per item), then spellings merged ignoring case.
    let mut spellings: HashMap<&str, (usize, usize)> = HashMap::new();
    for item in items {
        if let Some(name) = item.details.assignee.as_deref() {
            spellings.entry(name).or_default().0 += 1;
        }
        if let Some(name) = item.details.reporter.as_deref() {
            spellings.entry(name).or_default().1 += 1;
        }
    }
    let mut spellings: Vec<(&str, (usize, usize))> = spellings.into_iter().collect();
    // Spellings of one person are next to each other: equal keys are told apart by the name lowercased.
    spellings.sort_by_cached_key(|(name, _)| (super::natural::key(name), name.to_lowercase(), *name));
    let mut people: Vec<Person> = Vec::new();
    let mut last_lower = String::new();
    for (name, (assigned, reported)) in spellings {
        let lower = name.to_lowercase();
        match people.last_mut() {
            Some(person) if lower == last_lower => {
                person.assigned += assigned;
                person.reported += reported;
            }
            _ => people.push(Person { name: name.to_owned(), assigned, reported }),
        }
        last_lower = lower;
    }
    people
}

/// Every label on `board` and `archived` items, sorted as people read them ([`super::natural`]: case
/// ignored, numbers as numbers; then as written), with its counts.
pub(super) fn labels_of<'item>(
    board: impl Iterator<Item = &'item BacklogItem>,
    archived: impl Iterator<Item = &'item BacklogItem>,
) -> Vec<LabelUse> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for item in board {
        for label in &item.labels {
            counts.entry(label).or_default().0 += 1;
        }
    }
    for item in archived {
        for label in &item.labels {
            counts.entry(label).or_default().1 += 1;
        }
    }
    let mut labels: Vec<LabelUse> = counts
        .into_iter()
        .map(|(label, (on_board, archived))| LabelUse { label: label.to_owned(), on_board, archived })
        .collect();
    labels.sort_by_cached_key(|label| (super::natural::key(&label.label), label.label.clone()));
    labels
}

/// A value derived from the items, kept with the content revision it was derived at. A copy of the
/// workspace starts without it, and it never makes two workspaces unequal.
pub(super) struct Derived<T>(Mutex<Option<(u64, Arc<T>)>>);

impl<T> Derived<T> {
    /// The value at `revision`: the kept one when it was derived at that revision, else `derive()`'s.
    pub(super) fn get(&self, revision: u64, derive: impl FnOnce() -> T) -> Arc<T> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((at, value)) = slot.as_ref()
            && *at == revision
        {
            return Arc::clone(value);
        }
        let value = Arc::new(derive());
        *slot = Some((revision, Arc::clone(&value)));
        value
    }
}

impl<T> Default for Derived<T> {
    fn default() -> Self {
        Self(Mutex::new(None))
    }
}

impl<T> Clone for Derived<T> {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> std::fmt::Debug for Derived<T> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Derived")
    }
}

#[cfg(test)]
mod tests {
    use super::{Derived, labels_of, people_of};
    use crate::model::{BacklogItem, ColumnId, ItemKind, Timestamp};

    fn item(assignee: Option<&str>, reporter: Option<&str>, labels: &[&str]) -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Story, "Item", ColumnId(1), Timestamp::UNIX_EPOCH);
        item.details.assignee = assignee.map(str::to_owned);
        item.details.reporter = reporter.map(str::to_owned);
        item.labels = labels.iter().map(|label| (*label).to_owned()).collect();
        item
    }

    #[test]
    fn people_are_counted_once_each_ignoring_case_in_one_spelling() {
        let items = [
            item(Some("dana kim"), Some("Omar"), &[]),
            item(Some("Dana Kim"), None, &[]),
            item(None, Some("Dana Kim"), &[]),
            item(Some("Ana"), Some("omar"), &[]),
            item(Some("Tester 10"), Some("DANA KIM"), &[]),
            item(Some("tester 9"), Some("Dana  Kim"), &[]),
        ];
        let people = people_of(items.iter());
        let summary: Vec<(&str, usize, usize)> =
            people.iter().map(|person| (person.name.as_str(), person.assigned, person.reported)).collect();
        assert_eq!(
            summary,
            [
                ("Ana", 1, 0),
                ("Dana  Kim", 0, 1),
                ("DANA KIM", 2, 2),
                ("Omar", 0, 2),
                ("tester 9", 1, 0),
                ("Tester 10", 1, 0)
            ]
        );
    }

    #[test]
    fn labels_are_counted_on_the_board_and_in_the_archive() {
        let board = [item(None, None, &["a11y", "checkout", "v1.10"]), item(None, None, &["a11y", "Beta", "v1.9"])];
        let archived = [item(None, None, &["old"])];
        let labels = labels_of(board.iter(), archived.iter());
        let summary: Vec<(&str, usize, usize)> =
            labels.iter().map(|label| (label.label.as_str(), label.on_board, label.archived)).collect();
        // As people read them: case ignored, 1.9 before 1.10.
        assert_eq!(
            summary,
            [("a11y", 2, 0), ("Beta", 1, 0), ("checkout", 1, 0), ("old", 0, 1), ("v1.9", 1, 0), ("v1.10", 1, 0)]
        );
    }

    #[test]
    fn a_derived_value_is_kept_for_its_revision_only() {
        let derived: Derived<u32> = Derived::default();
        let mut calls = 0;
        let mut get = |revision| {
            *derived.get(revision, || {
                calls += 1;
                calls
            })
        };
        assert_eq!((get(1), get(1), get(2)), (1, 1, 2));
    }
}
