//! The search index: every board item's searchable text (title, description, labels, assignee and
//! reporter), lowercased once into one buffer, so that a search over 100,000 items is one pass of
//! `memchr::memmem` per word over a few megabytes instead of a test of every field of every item.
//!
//! The index is built a slice a frame while a large board is shown unfiltered (or at once, at the first
//! search of a small one) and then kept: an edit appends the item's new text and marks its old entry
//! replaced, a move changes nothing here, and many edits (or all items set at once) build it anew.
//! Only what items say is in it; the other criteria of a filter (kind, epic, sprint, …) are tested on
//! the items themselves.

use std::collections::HashMap;
use std::sync::Arc;

use super::{BacklogItem, ItemId, ItemMap};

/// Between fields and entries. A search word never holds whitespace, so no hit spans two fields.
const SEPARATOR: u8 = b'\n';

/// The bytes an entry is given room for before it is built: a title, a few labels and two names.
const ENTRY_BYTES: usize = 48;

/// Items appended between two looks at the clock, when the index is built over frames.
const BETWEEN_LOOKS: usize = 1_024;

/// The items whose entry was replaced since the index was built, at most (beyond a share of all
/// entries, see [`SearchIndex::worn`]): past that, building it again is cheaper than skipping old entries.
const REPLACED_SHARE: usize = 8;

/// Every board item's searchable text, lowercased, in one buffer.
#[derive(Debug, Default)]
pub(super) struct SearchIndex {
    /// Each entry's fields, each ended by [`SEPARATOR`]. Shared with a sort of the list by title going on
    /// on another thread ([`SearchSlot::titles`]), which a change then copies (once).
    text: Arc<Vec<u8>>,
    /// Where each entry starts in `text`, increasing.
    starts: Arc<Vec<u32>>,
    /// Each entry's item.
    ids: Arc<Vec<ItemId>>,
    /// Each entry's figures, for sorting the list by one on another thread: one column a [`Figure`]
    /// (in [`Figures`]' order), made at the first entry that has it (the entries before given
    /// [`NO_FIGURE`]), so that a figure no card has costs nothing.
    figures: [Option<Arc<Vec<u64>>>; 3],
    /// Items whose entry was replaced or removed since the index was built: the entry that stands for
    /// each now, `None` when it left the board.
    replaced: HashMap<ItemId, Option<u32>, foldhash::fast::RandomState>,
}

/// What the list can be sorted by that a card's content gives as a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// The estimate, in points.
    Points,
    /// Weighted shortest job first.
    Wsjf,
    /// Reach × impact × confidence ÷ effort.
    Rice,
}

/// A card's points, WSJF and RICE, each as 64 bits that sort as the number does ([`ordered_bits`]);
/// [`NO_FIGURE`] for none.
pub type Figures = [u64; 3];

/// A figure a card does not have (an ordered number is never all ones).
const NO_FIGURE: u64 = u64::MAX;

/// A number in 64 bits that sort as the numbers do: the sign bit turned round for positive numbers,
/// every bit for negative ones. Zero is one value (-0 is 0); not-a-number is none.
#[must_use]
pub fn ordered_bits(number: f64) -> Option<u64> {
    if number.is_nan() {
        return None;
    }
    let bits = (number + 0.0).to_bits();
    Some(if bits >> 63 == 1 { !bits } else { bits | 1 << 63 })
}

/// `item`'s figures, as the index keeps them.
#[must_use]
pub fn figures_of(item: &BacklogItem) -> Figures {
    let bits = |figure: Option<f64>| figure.and_then(ordered_bits).unwrap_or(NO_FIGURE);
    [bits(item.points), bits(item.wsjf()), bits(item.rice())]
}

/// One item's fields, lowercased, each followed by the separator.
fn push_entry(text: &mut Vec<u8>, item: &BacklogItem) {
    let details = &item.details;
    let fields = [Some(item.title.as_str()), Some(details.description.as_str()), details.assignee.as_deref()]
        .into_iter()
        .chain([details.reporter.as_deref()])
        .flatten()
        .chain(item.labels.iter().map(String::as_str));
    for field in fields {
        if field.is_ascii() {
            text.extend(field.bytes().map(|byte| byte.to_ascii_lowercase()));
        } else {
            text.extend_from_slice(field.to_lowercase().as_bytes());
        }
        text.push(SEPARATOR);
    }
}

impl SearchIndex {
    /// An empty index with room for the entries of `items` items.
    fn with_room(items: usize) -> Self {
        Self {
            text: Arc::new(Vec::with_capacity(items.saturating_mul(ENTRY_BYTES))),
            starts: Arc::new(Vec::with_capacity(items)),
            ids: Arc::new(Vec::with_capacity(items)),
            figures: [None, None, None],
            replaced: HashMap::default(),
        }
    }

    /// Appends the entries of `items` (the board's, in storage order) from the first it does not hold
    /// yet, until all are in (`Some(true)`) or `budget` has gone (`Some(false)`; at least one batch
    /// is appended). `None` when their text does not fit the index's offsets (4 GiB), when items are
    /// tested one by one instead.
    fn build_on(&mut self, items: &ItemMap, budget: Option<std::time::Duration>) -> Option<bool> {
        let started = std::time::Instant::now();
        let from = self.ids.len();
        let rest = items.as_slice().get_range(from..).map(indexmap::map::Slice::values).into_iter().flatten();
        for (done, item) in rest.enumerate() {
            if done > 0
                && done.is_multiple_of(BETWEEN_LOOKS)
                && budget.is_some_and(|budget| started.elapsed() >= budget)
            {
                return Some(false);
            }
            if self.ids.len() == BETWEEN_LOOKS {
                // Room for the rest at the first batch's bytes an item (and an eighth more), so that long
                // descriptions make the text grow once rather than double again and again.
                let per_item = self.text.len() / BETWEEN_LOOKS;
                let rest = items.len().saturating_sub(BETWEEN_LOOKS);
                Arc::make_mut(&mut self.text)
                    .reserve(per_item.saturating_mul(rest).saturating_add(per_item.saturating_mul(rest) / 8));
            }
            Arc::make_mut(&mut self.starts).push(u32::try_from(self.text.len()).ok()?);
            self.push_figures(item);
            Arc::make_mut(&mut self.ids).push(item.item_id);
            push_entry(Arc::make_mut(&mut self.text), item);
        }
        u32::try_from(self.text.len()).ok()?;
        Some(true)
    }

    /// Brings `item_id`'s entry up to date: `item` is what it is now, `None` when it left the board.
    /// Returns `false` when the index cannot take it (its offsets are full), which must then be built again.
    pub(super) fn refresh(&mut self, item_id: ItemId, item: Option<&BacklogItem>) -> bool {
        let Some(item) = item else {
            self.replaced.insert(item_id, None);
            return true;
        };
        let (Ok(entry), Ok(start)) = (u32::try_from(self.ids.len()), u32::try_from(self.text.len())) else {
            return false;
        };
        push_entry(Arc::make_mut(&mut self.text), item);
        if u32::try_from(self.text.len()).is_err() {
            return false;
        }
        Arc::make_mut(&mut self.starts).push(start);
        self.push_figures(item);
        Arc::make_mut(&mut self.ids).push(item_id);
        self.replaced.insert(item_id, Some(entry));
        true
    }

    /// Adds the figures of `item`, whose entry comes next.
    fn push_figures(&mut self, item: &BacklogItem) {
        let before = self.ids.len();
        let room = self.ids.capacity();
        for (column, value) in self.figures.iter_mut().zip(figures_of(item)) {
            match column {
                Some(column) => Arc::make_mut(column).push(value),
                None if value != NO_FIGURE => {
                    let mut made = Vec::with_capacity(room.max(before + 1));
                    made.resize(before, NO_FIGURE);
                    made.push(value);
                    *column = Some(Arc::new(made));
                }
                None => {}
            }
        }
    }

    /// The bytes it holds (the room its buffers were given, which the system backs only where written).
    fn bytes(&self) -> usize {
        self.text.len()
            + self.starts.capacity() * size_of::<u32>()
            + self.ids.capacity() * size_of::<ItemId>()
            + self.figures.iter().flatten().map(|column| column.capacity() * size_of::<u64>()).sum::<usize>()
    }

    /// Whether so many entries were replaced that building it again is the cheaper way on.
    pub(super) fn worn(&self) -> bool {
        self.replaced.len() > self.ids.len() / REPLACED_SHARE + 64
    }

    /// Whether `entry` is its item's current one.
    fn live(&self, entry: usize) -> bool {
        self.replaced.is_empty()
            || self.ids.get(entry).is_some_and(|item_id| {
                self.replaced
                    .get(item_id)
                    .is_none_or(|current| current.and_then(|at| usize::try_from(at).ok()) == Some(entry))
            })
    }

    /// The bytes of `entry`.
    fn entry_text(&self, entry: usize) -> &[u8] {
        let start = self.starts.get(entry).map_or(self.text.len(), |start| *start as usize);
        let end = self.starts.get(entry + 1).map_or(self.text.len(), |end| *end as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    /// The live entries holding `word`, increasing, each once: one pass over the whole text.
    fn entries_with(&self, word: &[u8]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut entry = 0usize;
        let mut from = 0usize;
        let finder = memchr::memmem::Finder::new(word);
        while let Some(at) = self.text.get(from..).and_then(|rest| finder.find(rest)).map(|at| from + at) {
            // Hits come in order: the entry holding this one is at or after the last.
            while self.starts.get(entry + 1).is_some_and(|next| *next as usize <= at) {
                entry += 1;
            }
            if self.live(entry) {
                found.push(entry);
            }
            // The rest of this entry need not be searched.
            entry += 1;
            let Some(next) = self.starts.get(entry) else {
                break;
            };
            from = *next as usize;
        }
        found
    }

    /// The items whose text holds every one of `words` (lowercase), in no particular order.
    pub(super) fn find(&self, words: &[String]) -> Vec<ItemId> {
        let mut words = words.iter().map(String::as_bytes).filter(|word| !word.is_empty());
        let Some(first) = words.next() else {
            return self.ids.iter().enumerate().filter(|(entry, _)| self.live(*entry)).map(|(_, id)| *id).collect();
        };
        let mut entries = self.entries_with(first);
        for word in words {
            if entries.is_empty() {
                break;
            }
            // Few candidates are each searched; many, the whole text once more and the two kept in step.
            if entries.len() < self.ids.len() / 16 {
                let finder = memchr::memmem::Finder::new(word);
                entries.retain(|entry| finder.find(self.entry_text(*entry)).is_some());
            } else {
                let with = self.entries_with(word);
                let mut with = with.iter().peekable();
                entries.retain(|entry| {
                    while with.next_if(|other| *other < entry).is_some() {}
                    with.peek().is_some_and(|other| *other == entry)
                });
            }
        }
        entries.into_iter().filter_map(|entry| self.ids.get(entry).copied()).collect()
    }
}

/// A set of item ids, for testing many items against it. Ids up to a few times the number of items
/// (every file made before ids were spread across copies, and most after) are marked in a bitmap, the
/// fastest test; sparse ids (records made in several sessions of a merged plan) go in a hash set, so no
/// id ever sizes an allocation.
#[derive(Clone, Debug)]
pub enum ItemSet {
    /// Marked by id.
    Dense(Vec<bool>),
    /// Listed.
    Sparse(std::collections::HashSet<ItemId, foldhash::fast::RandomState>),
}

impl ItemSet {
    /// The largest id (plus one) a bitmap holds for a workspace of `item_count` items.
    fn dense_limit(item_count: usize) -> usize {
        item_count.saturating_mul(4).max(1024)
    }

    /// Whether `item_id` fits a bitmap of `limit` places.
    fn fits(item_id: ItemId, limit: usize) -> bool {
        usize::try_from(item_id.0).is_ok_and(|index| index < limit)
    }

    /// The set of `ids`, for a workspace of `item_count` items (`ids` is walked twice).
    #[must_use]
    pub fn of(item_count: usize, ids: impl Iterator<Item = ItemId> + Clone) -> Self {
        Self::within(item_count, ids.clone(), ids)
    }

    /// The set of `ids`, all of them among `all`, whose ids decide whether a bitmap holds them: so
    /// `ids` is walked once (it may be a filter's test of every item).
    #[must_use]
    pub fn within(item_count: usize, mut all: impl Iterator<Item = ItemId>, ids: impl Iterator<Item = ItemId>) -> Self {
        let limit = Self::dense_limit(item_count);
        if all.all(|item_id| Self::fits(item_id, limit)) {
            let mut marked = vec![false; limit];
            for item_id in ids {
                if let Some(slot) = usize::try_from(item_id.0).ok().and_then(|index| marked.get_mut(index)) {
                    *slot = true;
                }
            }
            Self::Dense(marked)
        } else {
            Self::Sparse(ids.collect())
        }
    }

    /// Whether `item_id` is in it.
    #[must_use]
    pub fn contains(&self, item_id: ItemId) -> bool {
        match self {
            Self::Dense(marked) => {
                usize::try_from(item_id.0).ok().and_then(|index| marked.get(index)).copied().unwrap_or(false)
            }
            Self::Sparse(listed) => listed.contains(&item_id),
        }
    }
}

/// A workspace's search index, made when first needed, and the items changed since it was last
/// brought up to date. A copy of a workspace starts without one.
#[derive(Default)]
pub(super) struct SearchSlot(std::sync::Mutex<SearchState>);

#[derive(Default)]
struct SearchState {
    index: Option<SearchIndex>,
    /// Items whose text, or whether they are on the board, may have changed since.
    changed: Vec<ItemId>,
    /// An index being built over frames, and the workspace revision it was begun at (any change to
    /// items may reorder them, and begins it again).
    building: Option<(u64, SearchIndex)>,
    /// The revision at which the items' text was found too large for an index.
    too_large: Option<u64>,
}

impl SearchSlot {
    fn state(&mut self) -> &mut SearchState {
        self.0.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `item_id`'s text, or whether it is on the board, may have changed.
    pub(super) fn changed(&mut self, item_id: ItemId) {
        let state = self.state();
        let Some(limit) = state.index.as_ref().map(|index| index.ids.len() / REPLACED_SHARE + 64) else {
            return;
        };
        if state.changed.len() > limit {
            // So many changes that building it again is the cheaper way.
            *state = SearchState::default();
        } else {
            state.changed.push(item_id);
        }
    }

    /// Every item changed: the index is built again when next needed.
    pub(super) fn clear(&mut self) {
        *self.state() = SearchState::default();
    }

    /// Whether the index is built, or found impossible at `revision`.
    pub(super) fn ready(&self, revision: u64) -> bool {
        let state = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.index.is_some() || state.too_large == Some(revision)
    }

    /// The bytes the index holds, once built.
    pub(super) fn bytes(&self) -> Option<usize> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).index.as_ref().map(SearchIndex::bytes)
    }

    /// Builds the index of `items` (the board's, at workspace revision `revision`) for up to `budget`,
    /// going on from where the last call stopped; returns whether it is ready (or cannot be built).
    pub(super) fn prepare(&self, items: &ItemMap, revision: u64, budget: std::time::Duration) -> bool {
        let mut state = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.index.is_some() || state.too_large == Some(revision) || state.build(items, revision, Some(budget))
    }

    /// The board items (`items`, at workspace revision `revision`) holding every one of `words`, through
    /// the index (built, or brought up to date, first); `None` when their text is too large for one.
    pub(super) fn find(&self, items: &ItemMap, revision: u64, words: &[String]) -> Option<Vec<ItemId>> {
        let mut state = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = &mut *state;
        state.bring_up_to_date(items);
        if state.index.is_none() && state.too_large != Some(revision) {
            state.build(items, revision, None);
        }
        state.index.as_ref().map(|index| index.find(words))
    }
}

impl SearchSlot {
    /// Every board item's title as the index holds it (lowercased), shared, for sorting on another
    /// thread; `None` while the index is not built (it is not built here: that is the slow part).
    pub(super) fn titles(&self, items: &ItemMap) -> Option<LoweredTitles> {
        let mut state = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.bring_up_to_date(items);
        let index = state.index.as_ref()?;
        Some(LoweredTitles {
            text: Arc::clone(&index.text),
            starts: Arc::clone(&index.starts),
            ids: Arc::clone(&index.ids),
            replaced: index.replaced.iter().map(|(item_id, entry)| (*item_id, *entry)).collect(),
        })
    }
}

impl SearchSlot {
    /// Every board item's `figure` as the index holds it, shared, for sorting on another thread; `None`
    /// while the index is not built.
    pub(super) fn figures(&self, items: &ItemMap, figure: Figure) -> Option<SortFigures> {
        let mut state = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        state.bring_up_to_date(items);
        let index = state.index.as_ref()?;
        let column = match figure {
            Figure::Points => 0,
            Figure::Wsjf => 1,
            Figure::Rice => 2,
        };
        Some(SortFigures {
            figures: index.figures.get(column).cloned().flatten(),
            ids: Arc::clone(&index.ids),
            replaced: index.replaced.iter().map(|(item_id, entry)| (*item_id, *entry)).collect(),
        })
    }
}

/// One figure of every board item, as the search index holds them (shared with it, not copied), to
/// be sorted on another thread.
#[derive(Debug)]
pub struct SortFigures {
    /// Each entry's figure; `None` when no card has it.
    figures: Option<Arc<Vec<u64>>>,
    ids: Arc<Vec<ItemId>>,
    /// The entry that stands for each item replaced since the index was built (`None`: gone).
    replaced: HashMap<ItemId, Option<u32>>,
}

impl SortFigures {
    /// Each board item's figure, by item; an item without one is left out.
    #[must_use]
    pub fn by_item(&self) -> HashMap<ItemId, u64, foldhash::fast::RandomState> {
        let Some(figures) = &self.figures else {
            return HashMap::default();
        };
        let mut values = HashMap::with_capacity_and_hasher(self.ids.len(), foldhash::fast::RandomState::default());
        for (entry, (item_id, value)) in self.ids.iter().zip(figures.iter()).enumerate() {
            let current = match self.replaced.get(item_id) {
                Some(current) => current.and_then(|at| usize::try_from(at).ok()) == Some(entry),
                None => true,
            };
            if current && *value != NO_FIGURE {
                values.insert(*item_id, *value);
            }
        }
        values
    }
}

/// Every board item's title, lowercased (as [`str::to_lowercase`] has it), as the search index holds
/// them (shared with it, not copied), to be sorted on another thread.
#[derive(Debug)]
pub struct LoweredTitles {
    text: Arc<Vec<u8>>,
    starts: Arc<Vec<u32>>,
    ids: Arc<Vec<ItemId>>,
    /// The entry that stands for each item replaced since the index was built (`None`: gone).
    replaced: HashMap<ItemId, Option<u32>>,
}

impl LoweredTitles {
    /// Each board item's title, by item.
    #[must_use]
    pub fn by_item(&self) -> HashMap<ItemId, &[u8], foldhash::fast::RandomState> {
        let mut titles = HashMap::with_capacity_and_hasher(self.ids.len(), foldhash::fast::RandomState::default());
        for (entry, item_id) in self.ids.iter().enumerate() {
            let current = match self.replaced.get(item_id) {
                Some(current) => current.and_then(|at| usize::try_from(at).ok()) == Some(entry),
                None => true,
            };
            if current && let Some(title) = self.title(entry) {
                titles.insert(*item_id, title);
            }
        }
        titles
    }

    /// An entry's first field, its title.
    fn title(&self, entry: usize) -> Option<&[u8]> {
        let start = usize::try_from(*self.starts.get(entry)?).ok()?;
        let rest = self.text.get(start..)?;
        Some(rest.get(..rest.iter().position(|byte| *byte == SEPARATOR)?).unwrap_or(rest))
    }
}

impl SearchState {
    /// Takes the changes noted since into the index; drops it when it cannot take them or is worn.
    fn bring_up_to_date(&mut self, items: &ItemMap) {
        let mut changed = std::mem::take(&mut self.changed);
        if let Some(index) = &mut self.index {
            changed.sort_unstable();
            changed.dedup();
            let kept = changed.iter().all(|item_id| index.refresh(*item_id, items.get(item_id)));
            if !kept || index.worn() {
                self.index = None;
            }
        }
    }

    /// Goes on building the index (see [`SearchSlot::prepare`]); returns whether it is done.
    fn build(&mut self, items: &ItemMap, revision: u64, budget: Option<std::time::Duration>) -> bool {
        let mut index = match self.building.take() {
            Some((begun, index)) if begun == revision => index,
            _ => SearchIndex::with_room(items.len()),
        };
        match index.build_on(items, budget) {
            Some(true) => {
                self.index = Some(index);
                self.changed.clear();
                true
            }
            Some(false) => {
                self.building = Some((revision, index));
                false
            }
            None => {
                self.too_large = Some(revision);
                true
            }
        }
    }
}

impl Clone for SearchSlot {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for SearchSlot {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for SearchSlot {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SearchSlot")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test that fails to build its index fails")]
    use super::SearchIndex;
    use crate::model::{
        BacklogItem, ColumnId, ItemFilter, ItemId, ItemKind, ItemMap, ItemPosition, Product, Timestamp, Workspace,
    };
    use std::time::Duration;

    fn item(id: i64, title: &str) -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Story, title, ColumnId(1), Timestamp::UNIX_EPOCH);
        item.item_id = ItemId(id);
        item
    }

    fn map(items: impl IntoIterator<Item = BacklogItem>) -> ItemMap {
        items.into_iter().map(|item| (item.item_id, item)).collect()
    }

    fn build(items: &ItemMap) -> SearchIndex {
        let mut index = SearchIndex::with_room(items.len());
        assert_eq!(index.build_on(items, None), Some(true));
        index
    }

    fn find(index: &SearchIndex, words: &[&str]) -> Vec<i64> {
        let words: Vec<String> = words.iter().map(|word| (*word).to_owned()).collect();
        let mut found: Vec<i64> = index.find(&words).into_iter().map(|id| id.0).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_field_is_searched_ignoring_case_and_no_hit_spans_two_fields() {
        let mut first = item(1, "Checkout in one step");
        first.details.description = "Saves a TAP".into();
        first.labels = vec!["Accessibility".to_owned()].into();
        let mut second = item(2, "Dark mode");
        second.details.assignee = Some("Zoë Brandt".to_owned());
        second.details.reporter = Some("Sam".to_owned());
        let third = item(3, "ÜBER Straße");
        let index = build(&map([first, second, third]));
        assert_eq!(find(&index, &["checkout"]), [1]);
        assert_eq!(find(&index, &["tap", "access"]), [1], "every word, in any field");
        assert_eq!(find(&index, &["zoë"]), [2]);
        assert_eq!(find(&index, &["sam"]), [2], "the reporter too");
        assert_eq!(find(&index, &["über", "straße"]), [3], "other scripts are lowercased");
        assert_eq!(find(&index, &["steps"]), Vec::<i64>::new());
        assert_eq!(find(&index, &["steptap"]), Vec::<i64>::new(), "a title and a description are apart");
        assert_eq!(find(&index, &["e"]), [1, 2, 3]);
        assert_eq!(find(&index, &[]), [1, 2, 3], "no words: every item");
    }

    #[test]
    fn an_edited_or_removed_item_is_found_by_what_it_says_now() {
        let mut index = build(&map((1..=5).map(|id| item(id, &format!("Search page {id}")))));
        assert!(index.refresh(ItemId(2), Some(&item(2, "Checkout page"))));
        assert!(index.refresh(ItemId(3), None));
        assert!(index.refresh(ItemId(6), Some(&item(6, "Search results"))));
        assert!(index.refresh(ItemId(2), Some(&item(2, "Checkout page again"))));
        assert_eq!(find(&index, &["search"]), [1, 4, 5, 6]);
        assert_eq!(find(&index, &["checkout"]), [2], "its old text is gone, its newest counts once");
        assert_eq!(find(&index, &["page"]), [1, 2, 4, 5]);
        assert_eq!(find(&index, &["page", "again"]), [2]);
        assert!(!index.worn());
    }

    #[test]
    fn a_large_index_is_built_over_frames_and_begun_again_after_a_change() {
        let title = |id: i64| format!("Item {id} {}", if id % 7 == 0 { "Seven" } else { "" });
        let mut workspace = Workspace::new(Product { name: "Large".to_owned(), vision: String::new() });
        workspace.set_items((1..=50_000).map(|id| item(id, &title(id))));
        // No time at all: one batch of items a call.
        let mut calls = 0;
        while !workspace.prepare_search(Duration::ZERO) {
            calls += 1;
            if calls == 10 {
                workspace.upsert_item(item(60_000, "Seven more"));
            }
            assert!(calls < 200, "it ends");
        }
        assert!(calls >= 50_000 / 1_024 + 10, "begun again after the change, {calls} calls");
        assert!(workspace.prepare_search(Duration::ZERO), "and then kept");
        let words = |words: &[&str]| -> Vec<String> { words.iter().map(|word| (*word).to_owned()).collect() };
        let mut sevens = workspace.items_containing(&words(&["seven"])).unwrap();
        sevens.sort_unstable();
        assert_eq!(sevens.len(), 50_000 / 7 + 1);
        assert_eq!(sevens.last(), Some(&ItemId(60_000)));
        assert_eq!(workspace.items_containing(&words(&["49999"])).unwrap(), [ItemId(49_999)]);
        let both = workspace.items_containing(&words(&["1", "seven"])).unwrap().len();
        assert_eq!(
            both,
            workspace.items().filter(|item| item.title.contains('1') && item.title.contains("Seven")).count()
        );
    }

    #[test]
    fn moves_between_two_slices_keep_what_the_index_built_so_far() {
        let title = |id: i64| format!("Item {id} {}", if id % 7 == 0 { "Seven" } else { "" });
        let mut workspace = Workspace::new(Product { name: "Large".to_owned(), vision: String::new() });
        workspace.set_items((1..=50_000).map(|id| item(id, &title(id))));
        // A card moved between every two slices, as a user moving cards while the index is built: first
        // the last item (which a removal from the middle would move into its place), then others.
        let mut calls = 0;
        while !workspace.prepare_search(Duration::ZERO) {
            let moved = if calls == 0 { ItemId(50_000) } else { ItemId(1 + calls * 997 % 50_000) };
            let rank = crate::model::Rank::parse(&format!("z{calls}1")).unwrap();
            workspace.set_position(&ItemPosition { item_id: moved, column_id: ColumnId(2), rank });
            calls += 1;
            assert!(calls < 200, "it ends");
        }
        assert_eq!(calls, 50_000 / 1_024, "one batch a call, none begun again");
        let words = |words: &[&str]| -> Vec<String> { words.iter().map(|word| (*word).to_owned()).collect() };
        let mut sevens = workspace.items_containing(&words(&["seven"])).unwrap();
        sevens.sort_unstable();
        assert_eq!(sevens.len(), 50_000 / 7);
        for id in [1, 50_000, 49_999, 998] {
            let found = workspace.items_containing(&words(&[&id.to_string()])).unwrap();
            assert!(found.contains(&ItemId(id)), "item {id} is found");
        }
        assert_eq!(workspace.column_items(ColumnId(2)).len(), 50_000 / 1_024, "the moved cards are in their column");
    }

    #[test]
    fn a_search_finds_what_items_say_after_every_kind_of_change() {
        let mut workspace = Workspace::new(Product { name: "Plan".to_owned(), vision: String::new() });
        workspace.set_items((1..=300).map(|id| item(id, &format!("Search page {id}"))));
        let check = |workspace: &Workspace, term: &str| {
            let filter = ItemFilter { text: term.to_owned(), ..ItemFilter::default() };
            let (direct, indexed) = (filter.matcher(), filter.matcher_in(workspace));
            for item in workspace.items() {
                assert_eq!(indexed.matches(item), direct.matches(item), "'{term}' on '{}'", item.title);
            }
            workspace.items().filter(|item| indexed.matches(item)).count()
        };
        assert!(check(&workspace, "page 1") > 100, "two words, each anywhere");
        let mut edited = workspace.item(ItemId(5)).unwrap().clone();
        edited.title = "Checkout in one tap".to_owned();
        edited.details.assignee = Some("Zoë".to_owned());
        workspace.upsert_item(edited.clone());
        assert_eq!(check(&workspace, "checkout zoë"), 1, "an edit counts at once");
        check(&workspace, "page 5");
        assert!(
            !workspace.items_containing(&["search".to_owned()]).unwrap().contains(&ItemId(5)),
            "its old title no longer"
        );
        let mut archived = workspace.item(ItemId(6)).unwrap().clone();
        archived.details.archived_at = Some(Timestamp::UNIX_EPOCH);
        workspace.upsert_item(archived.clone());
        assert_eq!(workspace.items_containing(&["page".to_owned()]).unwrap().len(), 298, "archived: off the board");
        archived.details.archived_at = None;
        workspace.upsert_item(archived);
        workspace.remove_item(ItemId(7));
        assert_eq!(workspace.items_containing(&["page".to_owned()]).unwrap().len(), 298, "back, and one removed");
        workspace.set_position(&ItemPosition {
            item_id: ItemId(5),
            column_id: ColumnId(2),
            rank: crate::model::Rank::middle(),
        });
        assert_eq!(check(&workspace, "checkout"), 1, "a move changes nothing it says");
        // Edits past what is worth patching build it again.
        for id in 100..=300 {
            let mut item = workspace.item(ItemId(id)).unwrap().clone();
            item.labels = vec![format!("Label{id}")].into();
            workspace.upsert_item(item);
        }
        assert_eq!(check(&workspace, "label2"), 100, "Label200 to Label299");
        assert_eq!(check(&workspace, "ÜBER"), 0);
    }

    /// What items may say, in a few letters that fold in every way: ASCII, German sharp s, Turkish
    /// dotted and dotless i, the Kelvin sign (which lowercases to ASCII `k`), accented letters.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "a", "A", "k", "K", "\u{212A}", "ß", "SS", "İ", "i", "ı", "é", "É", " ", "-",
            ]),
            0..8,
        )
        .prop_map(|parts| parts.concat())
    }

    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Change {
        Edit { item: i64, title: String, label: Option<String>, assignee: Option<String> },
        Archive(i64),
        Restore(i64),
        Remove(i64),
        Move(i64),
        Search(String),
    }

    fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (1..=12i64, text(), proptest::option::of(text()), proptest::option::of(text()))
                .prop_map(|(item, title, label, assignee)| Change::Edit { item, title, label, assignee }),
            (1..=12i64).prop_map(Change::Archive),
            (1..=12i64).prop_map(Change::Restore),
            (1..=12i64).prop_map(Change::Remove),
            (1..=12i64).prop_map(Change::Move),
            text().prop_map(Change::Search),
        ]
    }

    proptest! {
        #[test]
        fn the_index_finds_what_testing_each_item_finds(
            titles in proptest::collection::vec(text(), 1..12),
            changes in proptest::collection::vec(change(), 0..40),
        ) {
            let mut workspace = Workspace::new(Product { name: "Fold".to_owned(), vision: String::new() });
            workspace.set_items(titles.iter().enumerate().map(|(at, title)| item(i64::try_from(at).unwrap() + 1, title)));
            let compare = |workspace: &Workspace, term: &str| {
                let filter = ItemFilter { text: term.to_owned(), ..ItemFilter::default() };
                let (direct, indexed) = (filter.matcher(), filter.matcher_in(workspace));
                for item in workspace.items() {
                    assert_eq!(indexed.matches(item), direct.matches(item), "'{term}' on {item:?}");
                }
                // And the index holds no item off the board.
                let words: Vec<String> = term.split_whitespace().map(str::to_lowercase).collect();
                if !words.is_empty() {
                    let mut found = workspace.items_containing(&words).unwrap();
                    found.sort_unstable();
                    let mut expected: Vec<ItemId> =
                        workspace.items().filter(|item| direct.matches(item)).map(|item| item.item_id).collect();
                    expected.sort_unstable();
                    assert_eq!(found, expected, "'{term}'");
                }
            };
            for change in changes {
                let existing = |id: i64| workspace.item(ItemId(id)).cloned();
                match change {
                    Change::Edit { item: id, title, label, assignee } => {
                        let mut edited = existing(id).unwrap_or_else(|| item(id, ""));
                        edited.title = title;
                        edited.labels = label.into_iter().collect::<Vec<_>>().into();
                        edited.details.assignee = assignee;
                        workspace.upsert_item(edited);
                    }
                    Change::Archive(id) | Change::Restore(id) => {
                        if let Some(mut found) = existing(id) {
                            found.details.archived_at = matches!(change, Change::Archive(_)).then_some(Timestamp::UNIX_EPOCH);
                            workspace.upsert_item(found);
                        }
                    }
                    Change::Remove(id) => {
                        workspace.remove_item(ItemId(id));
                    }
                    Change::Move(id) => workspace.set_position(&ItemPosition {
                        item_id: ItemId(id),
                        column_id: ColumnId(2),
                        rank: crate::model::Rank::middle(),
                    }),
                    Change::Search(term) => compare(&workspace, &term),
                }
            }
            for term in ["a", "k", "ss", "ß", "i", "é", "a k"] {
                compare(&workspace, term);
            }
        }
    }

    /// Each card's points, WSJF and RICE as the items say, from the index, after edits that change a
    /// figure and nothing else; a figure no card has takes no room until a card has it.
    #[test]
    fn the_index_keeps_each_cards_figures_and_a_figure_no_card_has_takes_no_room() {
        use super::{Figure, figures_of};
        let mut workspace = Workspace::new(Product { name: "Scores".to_owned(), vision: String::new() });
        workspace.set_items((1..=200).map(|id| {
            let mut item = item(id, "Same title");
            item.points = (id % 3 != 0).then_some(f64::from(u32::try_from(id % 13).unwrap()));
            item.business_value = u32::try_from(id % 5).unwrap();
            item
        }));
        assert!(workspace.prepare_search(Duration::from_secs(5)));
        let expected = |workspace: &Workspace, column: usize| -> std::collections::HashMap<ItemId, u64> {
            workspace
                .items()
                .filter_map(|item| {
                    let value = figures_of(item)[column];
                    (value != u64::MAX).then_some((item.item_id, value))
                })
                .collect()
        };
        let held = |workspace: &Workspace, figure: Figure| -> std::collections::HashMap<ItemId, u64> {
            workspace.sort_figures(figure).unwrap().by_item().into_iter().collect()
        };
        assert_eq!(held(&workspace, Figure::Points), expected(&workspace, 0));
        assert_eq!(held(&workspace, Figure::Wsjf), expected(&workspace, 1));
        assert!(held(&workspace, Figure::Rice).is_empty());
        let mut index = SearchIndex::with_room(200);
        assert_eq!(index.build_on(&map(workspace.items().cloned()), None), Some(true));
        assert!(index.figures[0].is_some() && index.figures[1].is_some());
        assert!(index.figures[2].is_none(), "no card has a RICE score: no room for one");

        // An estimate changed, a score given: the same text, other figures.
        let mut estimated = workspace.item(ItemId(7)).unwrap().clone();
        estimated.points = Some(40.0);
        workspace.upsert_item(estimated);
        let mut scored = workspace.item(ItemId(9)).unwrap().clone();
        scored.details.rice.reach = Some(500.0);
        scored.details.rice.impact = Some(2.0);
        scored.details.rice.confidence_percent = Some(80.0);
        scored.details.rice.effort = Some(4.0);
        workspace.upsert_item(scored);
        assert_eq!(held(&workspace, Figure::Points), expected(&workspace, 0));
        assert_eq!(held(&workspace, Figure::Wsjf), expected(&workspace, 1));
        assert_eq!(held(&workspace, Figure::Rice), expected(&workspace, 2));
        assert_eq!(held(&workspace, Figure::Rice).len(), 1);
    }
}
