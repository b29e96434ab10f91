//! Which items a filtered view shows: free text plus kind, label, epic and sprint.

use super::{BacklogItem, EpicId, ItemKind, SprintId};

/// A filter over backlog items. The default filter shows everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemFilter {
    /// Words to find in the title, description or labels (case-insensitive; every word must match).
    pub text: String,
    /// Only this kind.
    pub kind: Option<ItemKind>,
    /// Only items with this label.
    pub label: Option<String>,
    /// Only items of this epic.
    pub epic: Option<EpicId>,
    /// Only items planned in this sprint.
    pub sprint: Option<SprintId>,
    /// Only items assigned to this person, or to nobody.
    pub assignee: Option<PersonFilter>,
}

/// Whose items a filter shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonFilter {
    /// Items nobody is assigned to.
    Nobody,
    /// Items assigned to this name (ignoring case).
    Named(String),
}

impl PersonFilter {
    /// Whether an item's assignee passes.
    #[must_use]
    pub fn passes(&self, assignee: Option<&str>) -> bool {
        match (self, assignee) {
            (Self::Nobody, None) => true,
            (Self::Named(name), Some(assignee)) => same_name(name, assignee),
            _ => false,
        }
    }
}

/// Whether two names are the same ignoring case; without allocating when both are ASCII, as most names
/// are (a filter tests every item).
fn same_name(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() { a.eq_ignore_ascii_case(b) } else { a.to_lowercase() == b.to_lowercase() }
}

impl ItemFilter {
    /// Whether anything is filtered out at all.
    #[must_use]
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty()
            || self.kind.is_some()
            || self.label.is_some()
            || self.epic.is_some()
            || self.sprint.is_some()
            || self.assignee.is_some()
    }

    /// Whether the item passes.
    #[must_use]
    pub fn matches(&self, item: &BacklogItem) -> bool {
        self.matcher().matches(item)
    }

    /// The filter made ready to test many items: the search words are split and folded once, and no
    /// item is copied or lowercased to be tested.
    #[must_use]
    pub fn matcher(&self) -> FilterMatcher<'_> {
        FilterMatcher { filter: self, words: self.text.split_whitespace().map(str::to_lowercase).collect() }
    }

    /// Whether every item that passes `self` also passes `previous`, so the items `previous` let
    /// through are all that need testing: the same kind, label, epic and sprint, and a search that only
    /// grew at its end (a word typed on, or a new word).
    #[must_use]
    pub fn narrows(&self, previous: &Self) -> bool {
        self.kind == previous.kind
            && self.label == previous.label
            && self.epic == previous.epic
            && self.sprint == previous.sprint
            && self.assignee == previous.assignee
            && self.text.starts_with(previous.text.as_str())
    }
}

/// An [`ItemFilter`] ready to test many items (see [`ItemFilter::matcher`]).
#[derive(Debug)]
pub struct FilterMatcher<'f> {
    filter: &'f ItemFilter,
    words: Vec<String>,
}

impl FilterMatcher<'_> {
    /// Whether the item passes.
    #[must_use]
    pub fn matches(&self, item: &BacklogItem) -> bool {
        let filter = self.filter;
        if filter.kind.is_some_and(|kind| kind != item.kind)
            || filter.epic.is_some_and(|epic| item.epic_id != Some(epic))
            || filter.sprint.is_some_and(|sprint| item.sprint_id != Some(sprint))
            || filter.label.as_ref().is_some_and(|label| !item.labels.contains(label))
            || filter.assignee.as_ref().is_some_and(|person| !person.passes(item.details.assignee.as_deref()))
        {
            return false;
        }
        self.words.iter().all(|word| {
            contains_folded(&item.title, word)
                || contains_folded(&item.details.description, word)
                || item.labels.iter().any(|label| contains_folded(label, word))
                || [&item.details.assignee, &item.details.reporter]
                    .into_iter()
                    .flatten()
                    .any(|name| contains_folded(name, word))
        })
    }
}

/// Whether `haystack` contains `needle` (already lowercase), ignoring case. An ASCII needle is compared
/// byte by byte without copying the haystack; any other is compared against a lowercased copy.
fn contains_folded(haystack: &str, needle: &str) -> bool {
    if !needle.is_ascii() {
        return haystack.to_lowercase().contains(needle);
    }
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    // memchr jumps (with SIMD) to each place the first letter occurs, in either case.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), haystack).any(|start| {
        haystack.get(start + 1..start + needle.len()).is_some_and(|after| after.eq_ignore_ascii_case(rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ColumnId, Timestamp};

    fn item() -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Bug, "Focus jumps to top", ColumnId(1), Timestamp::UNIX_EPOCH);
        item.details.description = "After removing a basket line".into();
        item.labels = vec!["accessibility".into()];
        item.epic_id = Some(EpicId(2));
        item
    }

    #[test]
    fn the_default_filter_shows_everything() {
        assert!(!ItemFilter::default().is_active());
        assert!(ItemFilter::default().matches(&item()));
    }

    #[test]
    fn every_word_must_match_somewhere_ignoring_case() {
        let filter = |text: &str| ItemFilter { text: text.into(), ..ItemFilter::default() };
        assert!(filter("FOCUS basket").matches(&item()));
        assert!(filter("accessib").matches(&item()), "labels are searched");
        assert!(!filter("focus checkout").matches(&item()));
    }

    #[test]
    fn fields_narrow_the_result() {
        assert!(ItemFilter { kind: Some(ItemKind::Bug), ..ItemFilter::default() }.matches(&item()));
        assert!(!ItemFilter { kind: Some(ItemKind::Story), ..ItemFilter::default() }.matches(&item()));
        assert!(!ItemFilter { epic: Some(EpicId(1)), ..ItemFilter::default() }.matches(&item()));
        assert!(ItemFilter { label: Some("accessibility".into()), ..ItemFilter::default() }.matches(&item()));
        assert!(!ItemFilter { sprint: Some(SprintId(3)), ..ItemFilter::default() }.matches(&item()));
        let mut assigned = item();
        assigned.details.assignee = Some("Dana Kim".into());
        let person = |filter: PersonFilter| ItemFilter { assignee: Some(filter), ..ItemFilter::default() };
        assert!(person(PersonFilter::Named("dana kim".into())).matches(&assigned), "names ignore case");
        assert!(!person(PersonFilter::Named("Jonas".into())).matches(&assigned));
        assert!(!person(PersonFilter::Named("Dana Ki".into())).matches(&assigned));
        let mut accented = assigned.clone();
        accented.details.assignee = Some("Tomás Ruiz".into());
        assert!(person(PersonFilter::Named("TOMÁS RUIZ".into())).matches(&accented), "beyond ASCII too");
        assert!(!person(PersonFilter::Nobody).matches(&assigned));
        assert!(person(PersonFilter::Nobody).matches(&item()));
        assert!(ItemFilter { text: "dana".into(), ..ItemFilter::default() }.matches(&assigned), "names are searched");
    }

    #[test]
    fn case_is_ignored_in_any_script_and_a_longer_search_narrows() {
        let filter = |text: &str| ItemFilter { text: text.into(), ..ItemFilter::default() };
        let mut item = item();
        item.title = "Ärger mit der KASSE".into();
        assert!(filter("kasse").matches(&item));
        assert!(filter("ärger").matches(&item), "non-ASCII words are folded too");
        assert!(!filter("kassen").matches(&item));
        assert!(filter("kasse ä").narrows(&filter("kasse")));
        assert!(filter("kassen").narrows(&filter("kasse")));
        assert!(!filter("kass").narrows(&filter("kasse")), "a shorter search widens");
        let by_kind = ItemFilter { kind: Some(ItemKind::Bug), ..filter("kasse") };
        assert!(!by_kind.narrows(&filter("kasse")), "another kind is another set");
    }
}
