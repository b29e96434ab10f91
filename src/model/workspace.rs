//! The whole plan in memory: what the views draw from. The store loads it once; after that the app
//! keeps it in step with each committed change, so views never query the database while drawing.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::summary::{Derived, LabelUse, Person, labels_of, people_of};
use super::{
    BacklogItem, Column, ColumnId, Epic, EpicId, ItemId, ItemPosition, Metric, Objective, Product, ProgramIncrement,
    Release, Sprint, SprintId,
};

/// Items by id. Stored densely, in the order they were added (each item once, in one allocation, with
/// a small table of indices beside it) rather than in a hash table's buckets, which at 100,000 items
/// would leave a third of its room for 400-byte items empty. Ids come from the file, so the hasher is
/// seeded at random.
pub type ItemMap = IndexMap<ItemId, BacklogItem, foldhash::fast::RandomState>;

/// Everything in one workspace file.
#[derive(Clone, Debug, PartialEq)]
pub struct Workspace {
    /// The product.
    pub product: Product,
    /// Board columns, left to right.
    pub columns: Vec<Column>,
    /// Epics, by start date.
    pub epics: Vec<Epic>,
    /// Releases and milestones, by date.
    pub releases: Vec<Release>,
    /// Program increments, by start date.
    pub increments: Vec<ProgramIncrement>,
    /// Sprints, by start date.
    pub sprints: Vec<Sprint>,
    /// Objectives with their key results.
    pub objectives: Vec<Objective>,
    /// Metrics with their samples.
    pub metrics: Vec<Metric>,
    /// The personas of UX research, by id.
    pub personas: Vec<super::Persona>,
    /// The insights of UX research, by id.
    pub insights: Vec<super::Insight>,
    /// The colours of coloured labels, by the label's text.
    pub label_colours: std::collections::BTreeMap<String, super::Colour>,
    items: ItemMap,
    /// Archived items: off the board (not in `items` or `order`), still counted in delivery figures.
    archived: ItemMap,
    /// Per column, item ids in rank order (ties broken by id, as the store sorts).
    order: HashMap<ColumnId, Vec<ItemId>>,
    /// Each item's sub-tasks (items without any are left out).
    children: HashMap<ItemId, Vec<ItemId>>,
    /// How many comments each item has (items without any are left out); the comments themselves stay
    /// in the file until an item is opened.
    comment_counts: HashMap<ItemId, u32>,
    /// Changes with every change to items, so views can tell when their caches are stale.
    revision: u64,
    /// Like `revision`, but kept when only items' places changed (moves), so a view whose cache depends
    /// on what items say, not where they are, can keep what it found.
    content_revision: u64,
    /// Per column, the revision at which its order last changed; columns not listed last changed when
    /// all items were set (`columns_base`).
    column_revisions: HashMap<ColumnId, u64>,
    columns_base: u64,
    /// The people named on items, kept until what items say changes.
    people: Derived<Vec<Person>>,
    /// The labels in use, kept likewise.
    labels: Derived<Vec<LabelUse>>,
    /// What searches look words up in, kept up to date item by item.
    search: super::search::SearchSlot,
    /// Which items changed lately, for views that patch what they derived from every item.
    changes: super::changes::ItemChanges,
    /// Set on the first screen of a large workspace, read before the rest of it: how many cards each
    /// column holds in the file, of which only the first few are here.
    first_screen: Option<Box<FirstScreenSizes>>,
}

/// How many cards each column of a workspace holds in its file, when only the first screen of it is
/// read ([`Workspace::set_first_screen`]).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FirstScreenSizes {
    /// Per column, its cards on the board (archived ones aside).
    pub columns: HashMap<ColumnId, usize>,
    /// Every card on the board.
    pub total: usize,
    /// The archived cards.
    pub archived: usize,
}

/// Whether two versions of an item say the same to a search, and are on the same side of the archive.
fn same_text(one: &BacklogItem, other: &BacklogItem) -> bool {
    one.title == other.title
        && one.details.description == other.details.description
        && one.details.assignee == other.details.assignee
        && one.details.reporter == other.details.reporter
        && one.labels == other.labels
        && one.details.archived_at.is_some() == other.details.archived_at.is_some()
}

/// Revisions are drawn from one counter for the whole process, so no two workspaces (another file
/// opened, or the same file reloaded after another window changed it) ever share one, and a view's
/// cache keyed on a revision can never show rows of another workspace.
fn next_revision() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Workspace {
    /// An empty workspace for a product.
    #[must_use]
    pub fn new(product: Product) -> Self {
        let revision = next_revision();
        Self {
            product,
            columns: Vec::new(),
            epics: Vec::new(),
            releases: Vec::new(),
            increments: Vec::new(),
            sprints: Vec::new(),
            objectives: Vec::new(),
            metrics: Vec::new(),
            personas: Vec::new(),
            insights: Vec::new(),
            label_colours: std::collections::BTreeMap::new(),
            items: ItemMap::default(),
            archived: ItemMap::default(),
            order: HashMap::new(),
            comment_counts: HashMap::new(),
            children: HashMap::new(),
            revision,
            content_revision: 0,
            column_revisions: HashMap::new(),
            columns_base: 0,
            people: Derived::default(),
            labels: Derived::default(),
            search: super::search::SearchSlot::default(),
            changes: super::changes::ItemChanges::new(revision),
            first_screen: None,
        }
    }

    /// Marks this as the first screen of a larger workspace: its items are the first cards of each
    /// column, and `sizes` says how many the file holds. Such a workspace is only shown, never changed.
    pub fn set_first_screen(&mut self, sizes: FirstScreenSizes) {
        self.bump();
        self.first_screen = Some(Box::new(sizes));
    }

    /// Whether this is only the first screen of a workspace still being read ([`Workspace::set_first_screen`]).
    #[must_use]
    pub fn is_first_screen(&self) -> bool {
        self.first_screen.is_some()
    }

    /// How many cards a column holds on the board, those of a first screen not read yet included.
    #[must_use]
    pub fn column_size(&self, column_id: ColumnId) -> usize {
        match &self.first_screen {
            Some(sizes) => sizes.columns.get(&column_id).copied().unwrap_or(0),
            None => self.column_items(column_id).len(),
        }
    }

    /// How many cards the board holds, those of a first screen not read yet included.
    #[must_use]
    pub fn board_size(&self) -> usize {
        self.first_screen.as_ref().map_or(self.items.len(), |sizes| sizes.total)
    }

    /// Replaces all items at once, sorting each column once.
    pub fn set_items(&mut self, items: impl IntoIterator<Item = BacklogItem>) {
        let items = items.into_iter();
        let mut map = ItemMap::with_capacity_and_hasher(items.size_hint().0, foldhash::fast::RandomState::default());
        for item in items {
            map.insert(item.item_id, item);
        }
        self.set_item_map(map);
    }

    /// Replaces all items at once with those of `items` (how the store loads them), taking the map
    /// as it is: nothing is copied. Each column is sorted once, and only if the items did not arrive
    /// in its order.
    pub fn set_item_map(&mut self, mut items: ItemMap) {
        self.bump();
        self.search.clear();
        self.order.clear();
        self.column_revisions.clear();
        self.columns_base = self.revision;
        self.children.clear();
        // Each column's items as places in `items`, in the order given, and whether that is its order.
        let mut columns: HashMap<ColumnId, (Vec<usize>, bool)> = HashMap::new();
        let mut archived_ids = Vec::new();
        let key = |index: usize| items.get_index(index).map(|(_, item)| (item.rank.as_str(), item.item_id));
        for (index, item) in items.values().enumerate() {
            if let Some(parent) = item.parent_id {
                self.children.entry(parent).or_default().push(item.item_id);
            }
            if item.details.archived_at.is_some() {
                archived_ids.push(item.item_id);
                continue;
            }
            let (places, sorted) = columns.entry(item.column_id).or_insert_with(|| (Vec::new(), true));
            if *sorted && places.last().is_some_and(|previous| key(*previous) > key(index)) {
                *sorted = false;
            }
            places.push(index);
        }
        for (column_id, (mut places, sorted)) in columns {
            if !sorted {
                // Keys read by place, not looked up by id: a whole column of 100,000 sorts in milliseconds.
                places.sort_unstable_by_key(|index| key(*index));
            }
            let ids = places.into_iter().filter_map(|index| items.get_index(index).map(|(id, _)| *id)).collect();
            self.order.insert(column_id, ids);
        }
        let mut archived =
            ItemMap::with_capacity_and_hasher(archived_ids.len(), foldhash::fast::RandomState::default());
        for item_id in archived_ids {
            if let Some(item) = items.swap_remove(&item_id) {
                archived.insert(item_id, item);
            }
        }
        self.items = items;
        self.archived = archived;
    }

    /// How many comments an item has.
    #[must_use]
    pub fn comment_count(&self, item_id: ItemId) -> u32 {
        self.comment_counts.get(&item_id).copied().unwrap_or(0)
    }

    /// Sets how many comments an item has.
    pub fn set_comment_count(&mut self, item_id: ItemId, count: u32) {
        self.bump_item(item_id);
        if count == 0 {
            self.comment_counts.remove(&item_id);
        } else {
            self.comment_counts.insert(item_id, count);
        }
    }

    /// Replaces every item's comment count (used when loading).
    pub fn set_comment_counts(&mut self, counts: HashMap<ItemId, u32>) {
        self.bump();
        self.comment_counts = counts;
    }

    /// Marks the workspace changed for views that cache what they derive from it (an epic's dates or
    /// title changed, say).
    pub fn touch(&mut self) {
        self.bump();
    }

    /// A new revision, and a new content revision with it: a change of more than one item's content
    /// (or of something else), which views work out again.
    fn bump(&mut self) {
        self.revision = next_revision();
        self.content_revision = 0;
        self.changes.everything(self.revision);
    }

    /// A new revision for a change of places alone (moves): what items say is as it was, and so is the
    /// content revision.
    fn bump_places(&mut self) {
        let content = self.content_revision();
        self.revision = next_revision();
        self.content_revision = content;
    }

    /// A new revision, and a new content revision with it, for a change of `item_id` alone (its
    /// content, its place, on or off the board): views may patch what they derived for it alone.
    fn bump_item(&mut self, item_id: ItemId) {
        self.revision = next_revision();
        self.content_revision = 0;
        self.changes.item(self.revision, item_id);
    }

    /// Where what items say stands now, to ask later which items changed since
    /// ([`Workspace::items_changed_since`]).
    #[must_use]
    pub fn content_mark(&self) -> super::ContentMark {
        self.changes.mark(self.content_revision())
    }

    /// The items whose content changed (or that were added, removed, archived or restored) since
    /// `mark`, each once; `None` when that cannot be told: the mark is of another workspace in memory,
    /// older than the last thousand changes, or something else changed since (every item read again,
    /// an epic, the columns). Moves alone are not listed: [`Workspace::column_revision`] tells them.
    #[must_use]
    pub fn items_changed_since(&self, mark: super::ContentMark) -> Option<Vec<ItemId>> {
        if mark == self.content_mark() {
            return Some(Vec::new());
        }
        self.changes.since(mark)
    }

    /// A number that changes whenever any item (or, through [`Workspace::touch`], an epic) changes;
    /// unique across every workspace of the process.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The revision at which a column's order (which items, in which order) last changed, or an
    /// archived item went into or out of it.
    #[must_use]
    pub fn column_revision(&self, column_id: ColumnId) -> u64 {
        self.column_revisions.get(&column_id).copied().unwrap_or(self.columns_base)
    }

    /// A number that changes whenever [`Workspace::revision`] does, except when the only change was
    /// where items are (moves, reorders): what items say (title, labels, epic…) is as it was at the same
    /// content revision. Unique across the process too.
    #[must_use]
    pub fn content_revision(&self) -> u64 {
        // Until a move kept it apart, it is the revision itself.
        if self.content_revision == 0 { self.revision } else { self.content_revision }
    }

    /// How many items are on the board (archived ones aside).
    #[must_use]
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// One item, on the board or archived.
    #[must_use]
    pub fn item(&self, item_id: ItemId) -> Option<&BacklogItem> {
        self.items.get(&item_id).or_else(|| self.archived.get(&item_id))
    }

    /// The items on the board, in no particular order (archived ones are not among them).
    pub fn items(&self) -> impl Iterator<Item = &BacklogItem> {
        self.items.values()
    }

    /// The items on the board whose title, description, labels, assignee or reporter hold every one of
    /// `words` (lowercase, none holding whitespace), in no particular order: looked up in the search
    /// index, made at the first search and kept up to date by every change since. `None` when the
    /// items' text is too large for an index (4 GiB), when each item must be tested itself.
    #[must_use]
    pub fn items_containing(&self, words: &[String]) -> Option<Vec<ItemId>> {
        self.search.find(&self.items, self.content_revision(), words)
    }

    /// A copy of every board item's title, lowercased, for sorting on another thread: from the search
    /// index, brought up to date; `None` while it is not built.
    #[must_use]
    pub fn lowered_titles(&self) -> Option<super::search::LoweredTitles> {
        self.search.titles(&self.items)
    }

    /// Every board item's `figure`, shared with the search index, for sorting the list on another
    /// thread; `None` while the index is not built.
    #[must_use]
    pub fn sort_figures(&self, figure: super::Figure) -> Option<super::SortFigures> {
        self.search.figures(&self.items, figure)
    }

    /// Whether the search index is built (or cannot be: text over 4 GiB), so a search needs no building.
    #[must_use]
    pub fn search_ready(&self) -> bool {
        self.search.ready(self.content_revision())
    }

    /// What the search index holds, in bytes, once built (for the memory benchmark).
    #[must_use]
    pub fn search_index_bytes(&self) -> Option<usize> {
        self.search.bytes()
    }

    /// Builds the search index for up to `budget`, going on from where the last call stopped (and
    /// beginning again if items changed since): a large board builds it a slice a frame while it is
    /// shown, so that the first search finds it ready. Returns whether it is ready.
    pub fn prepare_search(&self, budget: std::time::Duration) -> bool {
        self.search.prepare(&self.items, self.content_revision(), budget)
    }

    /// The workspace's people: everyone named as assignee or reporter on an item (archived ones too),
    /// sorted, each once (ignoring case), with their counts. Derived once per change of what items say.
    #[must_use]
    pub fn people(&self) -> std::sync::Arc<Vec<Person>> {
        self.people.get(self.content_revision(), || people_of(self.all_items()))
    }

    /// Every label on an item, sorted, with how many items carry it on the board and in the archive.
    /// Derived once per change of what items say.
    #[must_use]
    pub fn labels_in_use(&self) -> std::sync::Arc<Vec<LabelUse>> {
        self.labels.get(self.content_revision(), || labels_of(self.items.values(), self.archived.values()))
    }

    /// An item's sub-tasks, archived ones among them, in no particular order.
    #[must_use]
    pub fn children(&self, item_id: ItemId) -> &[ItemId] {
        self.children.get(&item_id).map_or(&[], Vec::as_slice)
    }

    /// How many of an item's sub-tasks are done (in a done column), and how many it has.
    #[must_use]
    pub fn subtask_progress(&self, item_id: ItemId) -> (usize, usize) {
        let children = self.children(item_id);
        let done = children
            .iter()
            .filter_map(|child| self.item(*child))
            .filter(|child| self.column(child.column_id).is_some_and(|column| column.is_done))
            .count();
        (done, children.len())
    }

    /// Makes `child` a sub-task of `parent` (or of nothing) in memory, as the file already has it.
    pub fn set_parent(&mut self, child: ItemId, parent: Option<ItemId>) {
        if let Some(mut item) = self.item(child).cloned() {
            item.parent_id = parent;
            self.upsert_item(item);
        }
    }

    /// How many items are archived (on a first screen, as many as the file holds).
    #[must_use]
    pub fn archived_count(&self) -> usize {
        self.first_screen.as_ref().map_or(self.archived.len(), |sizes| sizes.archived)
    }

    /// The archived items, most recently archived first.
    #[must_use]
    pub fn archived_items(&self) -> Vec<&BacklogItem> {
        let mut items: Vec<&BacklogItem> = self.archived.values().collect();
        items.sort_by(|a, b| b.details.archived_at.cmp(&a.details.archived_at).then(a.item_id.cmp(&b.item_id)));
        items
    }

    /// Every item, on the board and archived: what delivery figures and exports count.
    pub fn all_items(&self) -> impl Iterator<Item = &BacklogItem> {
        self.items.values().chain(self.archived.values())
    }

    /// A column's items in rank order, archived ones among them: the order exports write.
    #[must_use]
    pub fn column_items_with_archived(&self, column_id: ColumnId) -> Vec<ItemId> {
        let mut ids: Vec<ItemId> = self.column_items(column_id).to_vec();
        let archived: Vec<&BacklogItem> = self.archived.values().filter(|item| item.column_id == column_id).collect();
        if archived.is_empty() {
            return ids;
        }
        ids.extend(archived.iter().map(|item| item.item_id));
        ids.sort_by(|a, b| {
            let key = |id: &ItemId| self.item(*id).map(|item| (item.rank.as_str(), item.item_id));
            key(a).cmp(&key(b))
        });
        ids
    }

    /// Takes every item out, in board order: columns left to right, each top to bottom. Items in a
    /// column the workspace does not list are dropped. The workspace is left without items.
    pub fn take_items_in_board_order(&mut self) -> Vec<BacklogItem> {
        let columns: Vec<ColumnId> = self.columns.iter().map(|column| column.column_id).collect();
        let order: Vec<ItemId> =
            columns.iter().flat_map(|column_id| self.column_items_with_archived(*column_id)).collect();
        self.bump();
        self.search.clear();
        self.order.clear();
        self.column_revisions.clear();
        self.columns_base = self.revision;
        self.children.clear();
        let mut items = std::mem::take(&mut self.items);
        let mut archived = std::mem::take(&mut self.archived);
        order
            .into_iter()
            .filter_map(|item_id| items.swap_remove(&item_id).or_else(|| archived.swap_remove(&item_id)))
            .collect()
    }

    /// A column's items in board order.
    #[must_use]
    pub fn column_items(&self, column_id: ColumnId) -> &[ItemId] {
        self.order.get(&column_id).map_or(&[], Vec::as_slice)
    }

    /// One column.
    #[must_use]
    pub fn column(&self, column_id: ColumnId) -> Option<&Column> {
        self.columns.iter().find(|column| column.column_id == column_id)
    }

    /// One epic.
    #[must_use]
    pub fn epic(&self, epic_id: EpicId) -> Option<&Epic> {
        self.epics.iter().find(|epic| epic.epic_id == epic_id)
    }

    /// One sprint.
    #[must_use]
    pub fn sprint(&self, sprint_id: SprintId) -> Option<&Sprint> {
        self.sprints.iter().find(|sprint| sprint.sprint_id == sprint_id)
    }

    /// Adds or replaces an item, keeping its column's order. Empty details an edit left behind are given
    /// back, so that an item costs what it would after reopening the file.
    pub fn upsert_item(&mut self, mut item: BacklogItem) {
        item.details.shrink();
        // An edit reads the labels anew from the text typed; left as they were, they keep the list
        // they shared with other items instead of holding one of their own.
        let existing = self.items.get(&item.item_id).or_else(|| self.archived.get(&item.item_id));
        if let Some(existing) = existing
            && existing.labels == item.labels
        {
            item.labels = existing.labels.clone();
        }
        // The index holds each card's text and figures (for sorting the list on another thread).
        let same = |existing: &BacklogItem| {
            same_text(existing, &item) && super::figures_of(existing) == super::figures_of(&item)
        };
        if !existing.is_some_and(same) {
            self.search.changed(item.item_id);
        }
        // An edit that leaves the item where it is (same column, rank, parent and side of the archive)
        // replaces it in place: no column's order changes, so none is searched or shifted.
        let place = if item.details.archived_at.is_some() { &mut self.archived } else { &mut self.items };
        if let Some(existing) = place.get_mut(&item.item_id)
            && existing.column_id == item.column_id
            && existing.rank == item.rank
            && existing.parent_id == item.parent_id
        {
            let item_id = item.item_id;
            *existing = item;
            self.bump_item(item_id);
            return;
        }
        self.remove_item(item.item_id);
        self.bump_item(item.item_id);
        if let Some(parent) = item.parent_id {
            self.children.entry(parent).or_default().push(item.item_id);
        }
        if item.details.archived_at.is_some() {
            self.archived.insert(item.item_id, item);
            return;
        }
        let item_id = item.item_id;
        let column_id = item.column_id;
        self.items.insert(item_id, item);
        let items = &self.items;
        self.column_revisions.insert(column_id, self.revision);
        let ids = self.order.entry(column_id).or_default();
        let key = sort_key(items, item_id);
        let index = ids.partition_point(|other| sort_key(items, *other) < key);
        ids.insert(index, item_id);
    }

    /// Removes an item, returning it.
    pub fn remove_item(&mut self, item_id: ItemId) -> Option<BacklogItem> {
        let item = self.items.swap_remove(&item_id).or_else(|| self.archived.swap_remove(&item_id))?;
        self.search.changed(item_id);
        if let Some(parent) = item.parent_id
            && let Some(siblings) = self.children.get_mut(&parent)
        {
            siblings.retain(|child| *child != item_id);
            if siblings.is_empty() {
                self.children.remove(&parent);
            }
        }
        if item.details.archived_at.is_some() {
            self.bump_item(item_id);
            return Some(item);
        }
        self.bump_item(item_id);
        self.column_revisions.insert(item.column_id, self.revision);
        if let Some(ids) = self.order.get_mut(&item.column_id) {
            // Binary search on the removed item's own key, falling back to a scan if ranks were
            // edited behind our back.
            // The removed item is no longer in `items`: it compares by its own key.
            let items = &self.items;
            let key = (item.rank.as_str(), item.item_id);
            let index = ids.partition_point(|other| {
                *other != item_id && items.get(other).is_some_and(|o| (o.rank.as_str(), o.item_id) < key)
            });
            if ids.get(index) == Some(&item_id) {
                ids.remove(index);
            } else {
                ids.retain(|other| *other != item_id);
            }
        }
        Some(item)
    }

    /// Moves an item to a stored position. The item stays where it is among the items in memory (only
    /// its column's order changes), so what is derived from the items in their stored order, such as a
    /// search index being built a slice a frame, holds through the move.
    pub fn set_position(&mut self, position: &ItemPosition) {
        let item_id = position.item_id;
        if let Some(item) = self.archived.get_mut(&item_id) {
            let was = item.column_id;
            item.column_id = position.column_id;
            item.rank = position.rank.clone();
            self.bump_places();
            if was != position.column_id {
                // Off the board, but counted by what views derive per column (an epic's done points).
                self.column_revisions.insert(was, self.revision);
                self.column_revisions.insert(position.column_id, self.revision);
            }
            return;
        }
        let Some(was) = self.items.get(&item_id).map(|item| item.column_id) else {
            return;
        };
        if let Some(ids) = self.order.get_mut(&was) {
            // Binary search on the item's own key, falling back to a scan if ranks were edited behind
            // our back.
            let items = &self.items;
            let key = sort_key(items, item_id);
            let index = ids.partition_point(|other| *other != item_id && sort_key(items, *other) < key);
            if ids.get(index) == Some(&item_id) {
                ids.remove(index);
            } else {
                ids.retain(|other| *other != item_id);
            }
        }
        if let Some(item) = self.items.get_mut(&item_id) {
            item.column_id = position.column_id;
            item.rank = position.rank.clone();
        }
        let items = &self.items;
        let ids = self.order.entry(position.column_id).or_default();
        let key = sort_key(items, item_id);
        let index = ids.partition_point(|other| sort_key(items, *other) < key);
        ids.insert(index, item_id);
        self.bump_places();
        self.column_revisions.insert(was, self.revision);
        self.column_revisions.insert(position.column_id, self.revision);
    }

    /// Moves many items at once, sorting each touched column once (ordering a whole column).
    pub fn set_positions(&mut self, positions: &[ItemPosition]) {
        if positions.len() <= 16 {
            for position in positions {
                self.set_position(position);
            }
            return;
        }
        let mut touched = std::collections::HashSet::new();
        for position in positions {
            if let Some(item) = self.archived.get_mut(&position.item_id) {
                if item.column_id != position.column_id {
                    touched.insert(item.column_id);
                    touched.insert(position.column_id);
                }
                item.column_id = position.column_id;
                item.rank = position.rank.clone();
                continue;
            }
            let Some(item) = self.items.get_mut(&position.item_id) else {
                continue;
            };
            touched.insert(item.column_id);
            touched.insert(position.column_id);
            item.column_id = position.column_id;
            item.rank = position.rank.clone();
        }
        self.bump_places();
        for column_id in touched {
            let mut ids: Vec<ItemId> =
                self.items.values().filter(|item| item.column_id == column_id).map(|item| item.item_id).collect();
            let items = &self.items;
            ids.sort_by(|a, b| sort_key(items, *a).cmp(&sort_key(items, *b)));
            self.order.insert(column_id, ids);
            self.column_revisions.insert(column_id, self.revision);
        }
    }

    /// Points of an epic's items that are done, and of all its items.
    #[must_use]
    pub fn epic_points(&self, epic_id: EpicId) -> (f64, f64) {
        let mut done = 0.0;
        let mut total = 0.0;
        // Archived work still counts: done work archived off the board stays done.
        for item in self.all_items().filter(|item| item.epic_id == Some(epic_id)) {
            let points = item.points.unwrap_or(0.0);
            total += points;
            if self.column(item.column_id).is_some_and(|column| column.is_done) {
                done += points;
            }
        }
        (done, total)
    }

    /// Sum of estimates of items planned in a sprint.
    #[must_use]
    pub fn sprint_points(&self, sprint_id: SprintId) -> f64 {
        self.all_items().filter(|item| item.sprint_id == Some(sprint_id)).filter_map(|item| item.points).sum()
    }
}

fn sort_key(items: &ItemMap, item_id: ItemId) -> Option<(&str, ItemId)> {
    items.get(&item_id).map(|item| (item.rank.as_str(), item.item_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ItemKind, Rank, Timestamp};

    fn item(id: i64, column: i64, rank: &str) -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Story, format!("Item {id}"), ColumnId(column), Timestamp::UNIX_EPOCH);
        item.item_id = ItemId(id);
        item.rank = Rank::parse(rank).unwrap_or_else(|e| panic!("{e}"));
        item
    }

    #[test]
    fn an_edit_that_leaves_the_labels_as_they_were_keeps_sharing_their_list() {
        let shared = crate::model::Labels::from(vec!["checkout".to_owned()]);
        let mut first = item(1, 1, "a");
        first.labels = shared.clone();
        let mut second = item(2, 1, "b");
        second.labels = shared;
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        workspace.set_items(vec![first.clone(), second]);
        // The editor reads the labels from the text: an equal list, not the shared one.
        let mut edited = first.clone();
        edited.title = "Renamed".to_owned();
        edited.labels = vec!["checkout".to_owned()].into();
        assert!(!edited.labels.shares_with(&first.labels));
        workspace.upsert_item(edited);
        let (Some(renamed), Some(other)) = (workspace.item(ItemId(1)), workspace.item(ItemId(2))) else {
            panic!("both items are there");
        };
        assert_eq!(renamed.title, "Renamed");
        assert!(renamed.labels.shares_with(&other.labels));
        // Labels that did change are the item's own.
        let mut relabelled = renamed.clone();
        relabelled.labels = vec!["checkout".to_owned(), "a11y".to_owned()].into();
        workspace.upsert_item(relabelled);
        assert_eq!(
            workspace.item(ItemId(1)).map(|item| item.labels.to_vec()),
            Some(vec!["checkout".to_owned(), "a11y".to_owned()])
        );
    }

    #[test]
    fn columns_keep_rank_order_through_changes() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        workspace.set_items(vec![item(1, 1, "b"), item(2, 1, "a"), item(3, 2, "V")]);
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(2), ItemId(1)]);
        workspace.set_position(&ItemPosition {
            item_id: ItemId(3),
            column_id: ColumnId(1),
            rank: Rank::parse("aV").unwrap_or_else(|e| panic!("{e}")),
        });
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(2), ItemId(3), ItemId(1)]);
        assert!(workspace.column_items(ColumnId(2)).is_empty());
        workspace.remove_item(ItemId(2));
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(3), ItemId(1)]);
    }

    #[test]
    fn items_given_out_of_order_or_archived_land_where_they_belong() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        let mut archived = item(3, 1, "b");
        archived.details.archived_at = Some(Timestamp::UNIX_EPOCH);
        // Column 1 arrives sorted up to item 5, which belongs between 1 and 4; column 2 is interleaved.
        workspace.set_items(vec![item(1, 1, "a"), item(2, 2, "a"), archived, item(4, 1, "c"), item(5, 1, "b")]);
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(1), ItemId(5), ItemId(4)]);
        assert_eq!(workspace.column_items(ColumnId(2)), &[ItemId(2)]);
        assert_eq!((workspace.item_count(), workspace.archived_count()), (4, 1));
        assert!(workspace.item(ItemId(3)).is_some_and(|item| item.details.archived_at.is_some()));
        // Taking an item out and putting it back keeps every other item findable.
        workspace.remove_item(ItemId(1));
        assert!([2, 4, 5].iter().all(|id| workspace.item(ItemId(*id)).is_some()));
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(5), ItemId(4)]);
    }

    #[test]
    fn moves_keep_the_content_revision_and_edits_change_it() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        workspace.set_items(vec![item(1, 1, "b"), item(2, 1, "a")]);
        let (revision, content) = (workspace.revision(), workspace.content_revision());
        let rank = |text| Rank::parse(text).unwrap_or_else(|e| panic!("{e}"));
        workspace.set_position(&ItemPosition { item_id: ItemId(1), column_id: ColumnId(2), rank: rank("c") });
        assert_ne!(workspace.revision(), revision, "a move is a change");
        assert_eq!(workspace.content_revision(), content, "but no item says anything else");
        let many: Vec<ItemPosition> =
            (0..20).map(|_| ItemPosition { item_id: ItemId(2), column_id: ColumnId(2), rank: rank("d") }).collect();
        workspace.set_positions(&many);
        assert_eq!(workspace.content_revision(), content, "nor after a block of moves");
        let mut renamed = item(2, 2, "d");
        renamed.title = "Renamed".into();
        workspace.upsert_item(renamed);
        assert_ne!(workspace.content_revision(), content, "an edit changes what an item says");
        let edited = workspace.content_revision();
        workspace.touch();
        assert_ne!(workspace.content_revision(), edited, "and so may an epic (touch)");
    }

    #[test]
    fn edits_in_place_keep_the_order_and_edits_that_move_or_archive_take_their_new_place() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        // Equal ranks: the order falls back on the id, and removal must still find the right one.
        workspace.set_items(vec![item(1, 1, "a"), item(2, 1, "a"), item(3, 1, "a"), item(4, 2, "a")]);
        let column = workspace.column_revision(ColumnId(1));
        let content = workspace.content_revision();
        let mut renamed = item(2, 1, "a");
        renamed.title = "Renamed".into();
        workspace.upsert_item(renamed);
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(1), ItemId(2), ItemId(3)]);
        assert_eq!(workspace.column_revision(ColumnId(1)), column, "an edit in place leaves the column's order");
        assert_ne!(workspace.content_revision(), content);
        assert_eq!(workspace.item(ItemId(2)).map(|item| item.title.as_str()), Some("Renamed"));
        // A new rank, a new column, the archive: each lands where it belongs.
        workspace.upsert_item(item(1, 1, "b"));
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(2), ItemId(3), ItemId(1)]);
        assert_ne!(workspace.column_revision(ColumnId(1)), column);
        workspace.upsert_item(item(3, 2, "a"));
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(2), ItemId(1)]);
        assert_eq!(workspace.column_items(ColumnId(2)), &[ItemId(3), ItemId(4)]);
        let mut archived = item(2, 1, "a");
        archived.details.archived_at = Some(Timestamp::UNIX_EPOCH);
        workspace.upsert_item(archived.clone());
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(1)]);
        archived.title = "Archived, renamed".into();
        workspace.upsert_item(archived);
        assert_eq!((workspace.item_count(), workspace.archived_count()), (3, 1));
        workspace.upsert_item(item(2, 1, "a"));
        assert_eq!(workspace.column_items(ColumnId(1)), &[ItemId(2), ItemId(1)]);
        assert_eq!((workspace.item_count(), workspace.archived_count()), (4, 0));
    }

    #[test]
    fn an_edit_that_empties_an_items_details_gives_their_room_back() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        let mut described = item(1, 1, "a");
        described.details.description = "Why".into();
        workspace.set_items(vec![described.clone()]);
        assert!(workspace.item(ItemId(1)).is_some_and(|item| item.details.is_allocated()));
        described.details.description.clear();
        workspace.upsert_item(described);
        assert!(workspace.item(ItemId(1)).is_some_and(|item| !item.details.is_allocated()));
    }

    #[test]
    fn people_and_labels_follow_edits_and_survive_moves() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        let mut assigned = item(1, 1, "a");
        assigned.details.assignee = Some("Dana Kim".into());
        assigned.labels = vec!["a11y".to_owned()].into();
        workspace.set_items(vec![assigned.clone(), item(2, 1, "b")]);
        let names =
            |workspace: &Workspace| workspace.people().iter().map(|person| person.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&workspace), ["Dana Kim"]);
        let before = workspace.people();
        workspace.set_position(&ItemPosition {
            item_id: ItemId(1),
            column_id: ColumnId(2),
            rank: Rank::parse("c").unwrap_or_else(|e| panic!("{e}")),
        });
        assert!(std::sync::Arc::ptr_eq(&before, &workspace.people()), "a move keeps what was derived");
        let mut renamed = workspace.item(ItemId(1)).cloned().unwrap_or_else(|| panic!("item 1"));
        renamed.details.assignee = Some("Sara Lind".into());
        renamed.labels = vec!["checkout".to_owned()].into();
        workspace.upsert_item(renamed);
        assert_eq!(names(&workspace), ["Sara Lind"], "an edit is seen at once");
        let labels: Vec<String> = workspace.labels_in_use().iter().map(|used| used.label.clone()).collect();
        assert_eq!(labels, ["checkout"]);
    }
}
