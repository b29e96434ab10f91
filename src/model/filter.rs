//! Which items a filtered view shows: free text plus kind, label, epic, sprint, assignee and the UX
//! research items answer.

use super::{BacklogItem, EpicId, InsightId, ItemKind, ItemSet, PersonaId, SprintId, Workspace};

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
    /// Only items answering an insight, this insight, or an insight about this persona.
    pub research: Option<ResearchFilter>,
}

/// Which items a filter by UX research shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResearchFilter {
    /// Items that answer an insight, any one.
    AnyInsight,
    /// Items that answer this insight.
    Insight(InsightId),
    /// Items that answer an insight about this persona. `insights` are the persona's insights as the
    /// workspace has them: [`ResearchFilter::refreshed`] sets them again when an insight changes persona.
    Persona {
        /// The persona.
        persona_id: PersonaId,
        /// Its insights, sorted.
        insights: Vec<InsightId>,
    },
}

impl ResearchFilter {
    /// Items answering an insight about `persona_id`, with its insights as `workspace` has them.
    #[must_use]
    pub fn persona(persona_id: PersonaId, workspace: &Workspace) -> Self {
        let mut insights: Vec<InsightId> = workspace
            .insights
            .iter()
            .filter(|insight| insight.persona_id == Some(persona_id))
            .map(|insight| insight.insight_id)
            .collect();
        insights.sort_unstable();
        Self::Persona { persona_id, insights }
    }

    /// The filter as it must be now that the workspace is `workspace`, or `None` when it is still right.
    /// A filter by an insight or a persona that is gone is dropped (`Some(None)`): it could only show
    /// nothing, under a name no longer there.
    #[must_use]
    pub fn refreshed(&self, workspace: &Workspace) -> Option<Option<Self>> {
        match self {
            Self::AnyInsight => None,
            Self::Insight(insight_id) => {
                (!workspace.insights.iter().any(|insight| insight.insight_id == *insight_id)).then_some(None)
            }
            Self::Persona { persona_id, .. } => {
                if !workspace.personas.iter().any(|persona| persona.persona_id == *persona_id) {
                    return Some(None);
                }
                let now = Self::persona(*persona_id, workspace);
                (now != *self).then_some(Some(now))
            }
        }
    }

    /// Whether an item answering `insight` passes.
    #[must_use]
    pub fn passes(&self, insight: Option<InsightId>) -> bool {
        match (self, insight) {
            (_, None) => false,
            (Self::AnyInsight, Some(_)) => true,
            (Self::Insight(wanted), Some(insight)) => *wanted == insight,
            (Self::Persona { insights, .. }, Some(insight)) => insights.binary_search(&insight).is_ok(),
        }
    }
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
            || self.research.is_some()
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
        FilterMatcher {
            filter: self,
            words: self.text.split_whitespace().map(str::to_lowercase).collect(),
            found: None,
        }
    }

    /// The filter made ready to test many of `workspace`'s board items: its words are looked up once in
    /// the workspace's search index, and each item's text is then one look in the set found. Items off
    /// the board (archived ones) never pass it.
    #[must_use]
    pub fn matcher_in(&self, workspace: &Workspace) -> FilterMatcher<'_> {
        let mut matcher = self.matcher();
        if !matcher.words.is_empty() {
            matcher.found = workspace
                .items_containing(&matcher.words)
                .map(|found| ItemSet::of(workspace.item_count(), found.into_iter()));
        }
        matcher
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
            && self.research == previous.research
            && self.text.starts_with(previous.text.as_str())
    }
}

/// An [`ItemFilter`] ready to test many items (see [`ItemFilter::matcher`]).
#[derive(Debug)]
pub struct FilterMatcher<'f> {
    filter: &'f ItemFilter,
    words: Vec<String>,
    /// The items whose text holds every word, when the search index found them.
    found: Option<ItemSet>,
}

impl FilterMatcher<'_> {
    /// The items that pass, when the search index found them and nothing but words is asked for: then
    /// no item need be tested at all.
    #[must_use]
    pub fn found_by_words_alone(&self) -> Option<&ItemSet> {
        let filter = self.filter;
        let words_alone = filter.kind.is_none()
            && filter.label.is_none()
            && filter.epic.is_none()
            && filter.sprint.is_none()
            && filter.assignee.is_none()
            && filter.research.is_none();
        self.found.as_ref().filter(|_| words_alone)
    }

    /// Whether the item passes.
    #[must_use]
    pub fn matches(&self, item: &BacklogItem) -> bool {
        let filter = self.filter;
        if filter.kind.is_some_and(|kind| kind != item.kind)
            || filter.epic.is_some_and(|epic| item.epic_id != Some(epic))
            || filter.sprint.is_some_and(|sprint| item.sprint_id != Some(sprint))
            || filter.label.as_ref().is_some_and(|label| !item.labels.contains(label))
            || filter.assignee.as_ref().is_some_and(|person| !person.passes(item.details.assignee.as_deref()))
            || filter.research.as_ref().is_some_and(|research| !research.passes(item.details.insight_id))
        {
            return false;
        }
        if let Some(found) = &self.found {
            return found.contains(item.item_id);
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

/// Whether `haystack` contains `needle` (already lowercase), ignoring case, as the search index finds it.
/// In ASCII both are compared byte by byte without copying the haystack; otherwise against a lowercased
/// copy (a few letters outside ASCII lowercase to one in it, the Kelvin sign to `k`).
fn contains_folded(haystack: &str, needle: &str) -> bool {
    if !needle.is_ascii() || !haystack.is_ascii() {
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
        item.labels = vec!["accessibility".to_owned()].into();
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
    fn research_filters_follow_the_insight_an_item_answers_and_its_persona() {
        use crate::model::{Insight, InsightKind, Persona, Product};
        let mut workspace = Workspace::new(Product { name: "Shop".into(), vision: String::new() });
        workspace.personas = vec![Persona { persona_id: PersonaId(1), name: "Sam".into(), description: String::new() }];
        let insight = |id: i64, persona: Option<i64>| Insight {
            insight_id: InsightId(id),
            title: format!("Insight {id}"),
            kind: InsightKind::Finding,
            source: String::new(),
            observed_on: None,
            persona_id: persona.map(PersonaId),
            detail: String::new(),
            metric_id: None,
        };
        workspace.insights = vec![insight(4, Some(1)), insight(7, None), insight(9, Some(1))];
        let answering = |id: Option<i64>| {
            let mut answering = item();
            answering.details.insight_id = id.map(InsightId);
            answering
        };
        let research = |filter: ResearchFilter| ItemFilter { research: Some(filter), ..ItemFilter::default() };
        assert!(research(ResearchFilter::AnyInsight).is_active());
        assert!(research(ResearchFilter::AnyInsight).matches(&answering(Some(7))));
        assert!(!research(ResearchFilter::AnyInsight).matches(&answering(None)));
        assert!(research(ResearchFilter::Insight(InsightId(7))).matches(&answering(Some(7))));
        assert!(!research(ResearchFilter::Insight(InsightId(7))).matches(&answering(Some(4))));
        let sam = ResearchFilter::persona(PersonaId(1), &workspace);
        assert_eq!(
            sam,
            ResearchFilter::Persona { persona_id: PersonaId(1), insights: vec![InsightId(4), InsightId(9)] }
        );
        assert!(research(sam.clone()).matches(&answering(Some(9))));
        assert!(!research(sam.clone()).matches(&answering(Some(7))), "an insight about nobody");
        assert!(!research(sam.clone()).matches(&answering(None)));
        assert_eq!(sam.refreshed(&workspace), None, "still right");

        // An insight now about Sam counts once the board refreshes the filter; one that is gone drops it.
        workspace.insights[1].persona_id = Some(PersonaId(1));
        let refreshed = sam.refreshed(&workspace).flatten();
        assert!(refreshed.is_some_and(|refreshed| research(refreshed).matches(&answering(Some(7)))));
        workspace.insights.remove(2);
        assert_eq!(ResearchFilter::Insight(InsightId(9)).refreshed(&workspace), Some(None));
        workspace.personas.clear();
        assert_eq!(sam.refreshed(&workspace), Some(None));
        assert_eq!(ResearchFilter::AnyInsight.refreshed(&workspace), None);
        let narrower =
            ItemFilter { text: "focus".into(), research: Some(ResearchFilter::AnyInsight), ..ItemFilter::default() };
        assert!(
            !narrower.narrows(&ItemFilter { text: "focus".into(), ..ItemFilter::default() }),
            "another research filter is another search"
        );
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
