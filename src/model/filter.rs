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
    }

    /// Whether the item passes.
    #[must_use]
    pub fn matches(&self, item: &BacklogItem) -> bool {
        if self.kind.is_some_and(|kind| kind != item.kind)
            || self.epic.is_some_and(|epic| item.epic_id != Some(epic))
            || self.sprint.is_some_and(|sprint| item.sprint_id != Some(sprint))
            || self.label.as_ref().is_some_and(|label| !item.labels.contains(label))
        {
            return false;
        }
        let words: Vec<String> = self.text.split_whitespace().map(str::to_lowercase).collect();
        if words.is_empty() {
            return true;
        }
        let haystack = format!("{}\n{}\n{}", item.title, item.description, item.labels.join(" ")).to_lowercase();
        words.iter().all(|word| haystack.contains(word.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ColumnId, Timestamp};

    fn item() -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Bug, "Focus jumps to top", ColumnId(1), Timestamp::UNIX_EPOCH);
        item.description = "After removing a basket line".into();
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
    }
}
