//! The backlog board: one column per workflow status, cards in rank order, moved by drag and drop or
//! by keyboard.
//!
//! Each column scrolls on its own and builds only the cards in view (`ScrollArea::show_rows`), so a
//! backlog of 100,000 items costs the same per frame as one of a hundred. A drag is tracked here, not
//! by the card widget, so it survives the card scrolling out of view; it is persisted once, on drop.

mod archived;
mod card_menu;
mod columns;
use columns::{Cell, ColumnContext, Lane, column_header_ui, column_ui};
mod filter_bar;
use filter_bar::filter_bar_ui;
pub use filter_bar::research_filter_words;
mod keyboard;
mod labels;
pub mod people;
mod search;
use keyboard::keyboard_ui;
mod lanes;
mod list;
pub mod list_order;
use lanes::lanes_ui;
mod priorities;
mod value_effort;
use priorities::priorities_ui;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::{Order, Rect, ScrollArea, TextStyle, Ui, Vec2, vec2};

use super::UiAction;
use super::theme;
use super::widgets::card::{card_height, paint_ghost};
use crate::model::{ColumnId, ContentMark, EpicId, ItemFilter, ItemId, ItemSet, Workspace};

/// Distance from a column's top or bottom edge within which a drag scrolls it.
const AUTO_SCROLL_EDGE: f32 = 48.0;

/// Fastest auto-scroll, in points per frame.
const AUTO_SCROLL_SPEED: f32 = 14.0;

/// The ids `ids` yields, in one allocation of the exact size: counted first, then written once, where
/// collecting them grows a vector step by step and then copies it into the `Arc` (a column's result
/// at 100,000 items is 400 KB).
fn exactly(ids: impl Iterator<Item = ItemId> + Clone) -> Arc<[ItemId]> {
    let count = ids.clone().count();
    let mut ids = ids;
    // A range mapped is an iterator of known length: the `Arc` is allocated once, at its size.
    (0..count).map(|_| ids.next().unwrap_or(ItemId(0))).collect()
}

/// The items a filter lets through, found in one pass in storage order.
fn passing(workspace: &Workspace, matcher: &crate::model::FilterMatcher) -> ItemSet {
    ItemSet::within(
        workspace.item_count(),
        workspace.items().map(|item| item.item_id),
        workspace.items().filter(|item| matcher.matches(item)).map(|item| item.item_id),
    )
}

/// A card being dragged.
#[derive(Clone, Debug)]
struct Drag {
    item_id: ItemId,
    /// Every card that moves with it (the multi-selection), in board order.
    items: Vec<ItemId>,
    /// Where the pointer grabbed the card, from its top-left corner.
    grab: Vec2,
}

/// Visible items per column under a filter, rebuilt when the filter or the items change.
#[derive(Clone, Debug)]
struct FilterCache {
    revision: u64,
    /// The workspace's content revision the cache was built at: while it holds, only places changed,
    /// and the same items pass.
    content_revision: u64,
    /// Changes when the set of items shown changes (not when they only move), for caches built on it.
    generation: u64,
    filter: ItemFilter,
    columns: HashMap<ColumnId, Arc<[ItemId]>>,
}

/// The cards of a cell: borrowed from the workspace when nothing is filtered, shared from a cache
/// otherwise, so drawing a frame never copies a whole column.
enum CellIds<'w> {
    Borrowed(&'w [ItemId]),
    Shared(Arc<[ItemId]>),
}

impl std::ops::Deref for CellIds<'_> {
    type Target = [ItemId];

    fn deref(&self) -> &[ItemId] {
        match self {
            Self::Borrowed(ids) => ids,
            Self::Shared(ids) => ids,
        }
    }
}

/// One swimlane: its epic (`None` for cards without one) and its cards per column.
type LaneCells = (Option<EpicId>, Vec<Arc<[ItemId]>>);

/// Swimlane cells (per epic, per column). Kept while the lanes and the columns stay the same: a change
/// of a few items moves only those between lanes ([`LaneCache::patch`]), and only the columns whose
/// order changed (a move touches one or two) or whose cards changed lanes are sorted into lanes again,
/// from each column's cards and lanes as they were sorted last ([`SortedColumn`]), so that a move reads
/// the lanes of the few cards between its two places, not of the whole column.
#[derive(Clone, Debug)]
struct LaneCache {
    /// What items said when `lane_of` was last brought up to date.
    content: ContentMark,
    /// The shown items' generation the cells were built for.
    generation: u64,
    /// Each card's lane (its index in `lanes`), hashed with a fast (seeded) hasher.
    lane_of: HashMap<ItemId, u32, foldhash::fast::RandomState>,
    /// Per column (in board order), its cards and their lanes when its cells were built; `None` when
    /// they are to be sorted again from scratch.
    columns: Vec<Option<SortedColumn>>,
    lanes: Vec<LaneCells>,
}

/// A column's shown cards as its cells were last built from, each with its lane.
#[derive(Clone, Debug)]
struct SortedColumn {
    column_id: ColumnId,
    /// The column's order revision then.
    revision: u64,
    ids: Vec<ItemId>,
    /// Each card's lane, [`NO_LANE`] for a card in none.
    lanes: Vec<u32>,
    /// A card's lane changed since: the cells are to be built again (the lanes above are current).
    relaned: bool,
}

/// The lane of a card that is in no lane.
const NO_LANE: u32 = u32::MAX;

/// At most this many changed cards have their lanes set one by one in the columns already sorted;
/// more, and their columns are sorted again whole.
const LANE_PATCH_LIMIT: usize = 64;

impl LaneCache {
    /// Every card's lane, from every item; no cell built yet.
    fn new(workspace: &Workspace, content: ContentMark, generation: u64) -> Self {
        let mut lanes: Vec<Option<EpicId>> = workspace.epics.iter().map(|epic| Some(epic.epic_id)).collect();
        lanes.push(None);
        let index = lane_index(&lanes);
        let lane_of = workspace.items().filter_map(|item| Some((item.item_id, *index.get(&item.epic_id)?))).collect();
        let columns = workspace.columns.len();
        Self {
            content,
            generation,
            lane_of,
            columns: vec![None; columns],
            lanes: lanes.into_iter().map(|lane| (lane, vec![Arc::from([]); columns])).collect(),
        }
    }

    /// Brings the lanes of `changed` items up to date (edited, added, deleted, archived or restored);
    /// the cells of each column holding one whose lane changed are to be built again.
    fn patch(&mut self, workspace: &Workspace, changed: &[ItemId]) {
        let lanes: Vec<Option<EpicId>> = self.lanes.iter().map(|(lane, _)| *lane).collect();
        let index = lane_index(&lanes);
        let few = changed.len() <= LANE_PATCH_LIMIT;
        for &item_id in changed {
            let on_board = workspace.item(item_id).filter(|item| item.details.archived_at.is_none());
            let lane = on_board.and_then(|item| index.get(&item.epic_id).copied());
            let was = match lane {
                Some(lane) => self.lane_of.insert(item_id, lane),
                None => self.lane_of.remove(&item_id),
            };
            if was == lane {
                continue;
            }
            // A card off the board left its column's order, which says so itself.
            let Some(item) = on_board else {
                continue;
            };
            let Some(place) = workspace.columns.iter().position(|column| column.column_id == item.column_id) else {
                continue;
            };
            let Some(slot) = self.columns.get_mut(place) else {
                continue;
            };
            // Where the column was sorted already, the card's lane is set in place (a card not found there
            // is new to the column, whose order says so).
            match slot.as_mut().filter(|_| few) {
                Some(sorted) => {
                    if let Some(at) = sorted.ids.iter().position(|id| *id == item_id)
                        && let Some(slot_lane) = sorted.lanes.get_mut(at)
                    {
                        *slot_lane = lane.unwrap_or(NO_LANE);
                        sorted.relaned = true;
                    }
                }
                None => *slot = None,
            }
        }
    }

    /// The lanes of a column's shown cards `ids`: from the column as it was sorted last where only a
    /// stretch of it changed (a move), else each looked up.
    fn sorted_lanes(&self, sorted: Option<&SortedColumn>, ids: &[ItemId]) -> Vec<u32> {
        let look_up = |id: &ItemId| self.lane_of.get(id).copied().unwrap_or(NO_LANE);
        let Some(sorted) = sorted else {
            return ids.iter().map(look_up).collect();
        };
        // The same cards before and after the stretch that changed.
        let before = sorted.ids.iter().zip(ids).take_while(|(old, new)| old == new).count();
        let most_after = sorted.ids.len().min(ids.len()) - before;
        let after =
            sorted.ids.iter().rev().zip(ids.iter().rev()).take(most_after).take_while(|(old, new)| old == new).count();
        let (old_end, new_end) = (sorted.ids.len() - after, ids.len() - after);
        let old_stretch = sorted.ids.get(before..old_end).unwrap_or_default();
        let old_lanes = sorted.lanes.get(before..old_end).unwrap_or_default();
        let mut lanes = Vec::with_capacity(ids.len());
        lanes.extend_from_slice(sorted.lanes.get(..before).unwrap_or_default());
        for id in ids.get(before..new_end).unwrap_or_default() {
            // A short stretch is searched; a long one looked up.
            let known = (old_stretch.len() <= LANE_PATCH_LIMIT)
                .then(|| old_stretch.iter().position(|old| old == id).and_then(|at| old_lanes.get(at).copied()))
                .flatten();
            lanes.push(known.unwrap_or_else(|| look_up(id)));
        }
        lanes.extend_from_slice(sorted.lanes.get(old_end..).unwrap_or_default());
        lanes
    }
}

/// Each lane's place among `lanes`.
fn lane_index(lanes: &[Option<EpicId>]) -> HashMap<Option<EpicId>, u32> {
    lanes.iter().enumerate().filter_map(|(place, lane)| Some((*lane, u32::try_from(place).ok()?))).collect()
}

/// A number for each new set of shown items, unique in the process.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The rows of the list view, rebuilt when the items, the filter or "show done" change.
#[derive(Clone, Debug)]
pub(crate) struct ListCache {
    revision: u64,
    filter: ItemFilter,
    shows_done: bool,
    order: Option<list_order::ListOrder>,
    /// What items said when the rows were made, to ask which changed since.
    mark: crate::model::ContentMark,
    /// Each column's order revision then: a move, an addition or an archiving changes it.
    column_revisions: Vec<u64>,
    /// The filter's result the rows were made from (its generation): a search over frames that ends
    /// later, with the workspace unchanged, makes the rows again.
    filter_generation: Option<u64>,
    /// Whether that result was the filter's for the workspace as it was (not the last one shown while
    /// a search goes on over frames): only then can the rows be patched for a few changed cards.
    filter_settled: bool,
    pub(crate) rows: Arc<[(ItemId, ColumnId)]>,
}

/// Lists at least this long are sorted on another thread, the list showing its last order meanwhile:
/// at 100,000 cards a sort by title takes two frames, one by a figure one.
pub const LIST_SORT_ELSEWHERE_FROM: usize = 20_000;

/// What a sort of the list is for: the rows it sorts are those of this view of the workspace.
#[derive(Clone, Debug, PartialEq)]
struct ListSortKey {
    filter: ItemFilter,
    shows_done: bool,
    order: list_order::ListOrder,
    revision: u64,
    filter_generation: Option<u64>,
}

/// What a sort on another thread needs of the cards.
enum SortInput {
    /// Their titles, lowercased.
    Titles(crate::model::LoweredTitles),
    /// Their values in the order's column ([`list_order::values_by_item`]).
    Values(Vec<(ItemId, u64)>),
    /// Their points, WSJF or RICE as the search index holds them (shared with it, not copied).
    Figures(crate::model::SortFigures),
}

/// A sort of the list on another thread ([`BoardState::list_rows`]).
#[derive(Debug)]
struct ListSortJob {
    key: ListSortKey,
    result: std::sync::Mutex<std::sync::mpsc::Receiver<Vec<(ItemId, ColumnId)>>>,
}

/// At most this many changed cards are put back into a sorted list one by one; more, and it is
/// sorted again whole.
const LIST_PATCH_LIMIT: usize = 64;

/// Each column's order revision, left to right: what changes when a card moves, is added or archived.
fn column_revisions(workspace: &Workspace) -> Vec<u64> {
    workspace.columns.iter().map(|column| workspace.column_revision(column.column_id)).collect()
}

/// How the board shows its cards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BoardMode {
    /// Columns of cards.
    #[default]
    Board,
    /// One ordered table.
    List,
    /// The archived items.
    Archived,
}

/// The pages of the Priorities window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrioritiesPage {
    /// The cards whose places by rank, WSJF and RICE differ most.
    #[default]
    Disagreements,
    /// The cards by business value against effort.
    ValueEffort,
}

/// What the board remembers between frames.
#[derive(Clone, Debug, Default)]
#[expect(clippy::struct_excessive_bools, reason = "independent view toggles the user sets one by one")]
pub struct BoardState {
    /// The day the cards count as today (for overdue due dates); the shell sets it every frame.
    pub today: Option<crate::model::Date>,
    /// The selected card (keyboard moves act on it; the editor shows it).
    pub selected: Option<ItemId>,
    /// Cards selected together with Ctrl- or Shift-click (or Shift + arrows); empty for one card.
    pub group: Vec<ItemId>,
    /// A card to scroll into view on the next frame.
    pub reveal: Option<ItemId>,
    /// A card to give keyboard focus to when it is next drawn.
    pub focus: Option<ItemId>,
    /// Which cards are shown.
    pub filter: ItemFilter,
    /// Columns or one list.
    pub mode: BoardMode,
    /// Whether the list includes items in done columns.
    pub list_shows_done: bool,
    /// The list's order when sorted by a column's header; `None` is the board's order.
    pub list_order: Option<list_order::ListOrder>,
    /// Auto-scroll to apply to the list on the next frame.
    pub(crate) list_scroll: f32,
    /// Whether the board is split into one swimlane per epic.
    pub lanes: bool,
    /// Whether the sprint planning panel shows beside the board.
    pub sprint_planning: bool,
    /// While a comparison is open: what changed about each card since the baseline or copy ("moved"),
    /// shown on the card.
    pub changes: HashMap<ItemId, &'static str>,
    /// Whether the Priorities window is open, and for which column.
    pub priorities: Option<ColumnId>,
    /// The archive's order, kept until the workspace changes.
    archive_order: archived::ArchiveOrder,
    /// What that window shows, kept for its column until the board changes: ordering a column of 60,000
    /// cards three ways takes 18 ms, too long for every frame.
    priorities_found: Option<priorities::Found>,
    /// Which page of that window shows.
    pub priorities_page: PrioritiesPage,
    /// The value-versus-effort page's matrix, kept for its column until the board changes.
    value_effort_placed: Option<value_effort::Placed>,
    /// Whether the label colours window is open.
    pub label_colours: bool,
    /// The people window, while it is open.
    pub people: Option<people::PeopleWindow>,
    /// Above how many items a search is spread over frames, and how many items each frame tests;
    /// `None` for Tandem's defaults (20,000 items, and each frame tests items for four milliseconds);
    /// tests set small numbers, so that they never depend on the machine's speed.
    pub search_in_frames: Option<(usize, usize)>,
    /// A search spread over frames, while it runs.
    pending_search: Option<search::PendingSearch>,
    /// Whether this frame may still test a slice of a pending search (once per frame).
    search_budget: bool,
    /// The workspace revision the last frame showed: the search index is built a slice a frame only
    /// from the second frame of a revision on, so that the first frame after opening (or a change) is
    /// drawn as soon as it can be.
    shown_revision: Option<u64>,
    drag: Option<Drag>,
    cache: Option<FilterCache>,
    lane_cache: Option<LaneCache>,
    list_cache: Option<ListCache>,
    /// A sort of a long list going on on another thread.
    list_sort: Option<Arc<ListSortJob>>,
    /// Lists at least this long are sorted on another thread; `None`:
    /// [`LIST_SORT_ELSEWHERE_FROM`] (tests set a small one).
    pub list_sort_elsewhere_from: Option<usize>,
    /// Rows each column showed last frame, to scroll only when a card is out of view.
    shown_rows: HashMap<(ColumnId, i64), Range<usize>>,
    /// Whether a card had keyboard focus last frame.
    card_focused: bool,
}

impl BoardState {
    /// Whether a card is being dragged.
    #[must_use]
    pub fn is_dragging(&self) -> bool {
        self.drag.is_some()
    }

    /// What Escape does on the board, if anything: closes its label colours or priorities window, or
    /// clears a multi-selection (and says so).
    pub fn escape(&mut self) -> Option<Option<&'static str>> {
        if let Some(window) = self.people.as_mut() {
            // A typed new name is asked about first; Esc while it asks keeps it.
            if window.closing.is_asking() {
                window.closing.keep_editing();
            } else if window.closing.request(window.is_dirty()) {
                self.people = None;
            }
            return Some(None);
        }
        if std::mem::take(&mut self.label_colours) || self.priorities.take().is_some() {
            Some(None)
        } else {
            self.clear_group().then_some(Some("Multi-selection cleared."))
        }
    }

    /// Clears a multi-selection (Escape); returns whether there was one.
    pub fn clear_group(&mut self) -> bool {
        let had_group = self.group.len() > 1;
        self.group.clear();
        had_group
    }

    /// The cards a move acts on: the multi-selection in board order when `item_id` is part of it,
    /// otherwise just `item_id`.
    fn moving(&self, workspace: &Workspace, item_id: ItemId) -> Vec<ItemId> {
        if self.group.len() < 2 || !self.group.contains(&item_id) {
            return vec![item_id];
        }
        workspace
            .columns
            .iter()
            .flat_map(|column| workspace.column_items(column.column_id).iter().copied())
            .filter(|id| self.group.contains(id))
            .collect()
    }

    /// The cards being dragged, if a drag is under way.
    pub(crate) fn drag_items(&self) -> Option<&[ItemId]> {
        self.drag.as_ref().map(|drag| drag.items.as_slice())
    }

    /// Starts dragging `item_id` (and the multi-selection it belongs to).
    pub(crate) fn start_drag(&mut self, workspace: &Workspace, item_id: ItemId, grab: Vec2) {
        let items = self.moving(workspace, item_id);
        self.drag = Some(Drag { item_id, items, grab });
        self.selected = Some(item_id);
    }

    /// Cancels a drag in progress (Escape); returns whether there was one.
    pub fn cancel_drag(&mut self) -> bool {
        self.drag.take().is_some()
    }

    /// Selects a card, scrolls it into view and gives it focus.
    pub fn select(&mut self, item_id: ItemId) {
        self.selected = Some(item_id);
        self.reveal = Some(item_id);
        self.focus = Some(item_id);
    }

    /// While a search is spread over frames: how many items it has tested, of how many.
    #[must_use]
    pub fn searching(&self) -> Option<(usize, usize)> {
        self.pending_search.as_ref().map(search::PendingSearch::progress)
    }

    fn refresh(&mut self, workspace: &Workspace) {
        if !self.filter.is_active() {
            self.cache = None;
            self.pending_search = None;
            return;
        }
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|cache| cache.revision == workspace.revision() && cache.filter == self.filter);
        if fresh {
            self.pending_search = None;
            return;
        }
        // Only places changed (a move, a reorder): the same items pass, in their columns' new order.
        if let Some(cache) = self
            .cache
            .take_if(|cache| cache.filter == self.filter && cache.content_revision == workspace.content_revision())
        {
            let passing =
                ItemSet::of(workspace.item_count(), cache.columns.values().flat_map(|ids| ids.iter().copied()));
            let columns = workspace
                .columns
                .iter()
                .map(|column| {
                    let ids = exactly(
                        workspace.column_items(column.column_id).iter().copied().filter(|id| passing.contains(*id)),
                    );
                    (column.column_id, ids)
                })
                .collect();
            self.cache = Some(FilterCache { revision: workspace.revision(), columns, ..cache });
            return;
        }
        let matcher = self.filter.matcher_in(workspace);
        let (above, per_frame) = self
            .search_in_frames
            .map_or((search::IN_FRAMES_ABOVE, search::Slice::Time(search::FRAME_BUDGET)), |(above, per_frame)| {
                (above, search::Slice::Items(per_frame))
            });
        let narrow_at_once = search::narrow_at_once(above);
        let previous = self.cache.take();
        // A search typed on only narrows what the last one showed: test those cards, not all of them. The
        // last result counts while nothing changed since it (a search over frames keeps showing it).
        let shown = previous
            .as_ref()
            .filter(|cache| cache.revision == workspace.revision() && self.filter.narrows(&cache.filter))
            .map(|cache| cache.columns.values().map(|ids| ids.len()).sum::<usize>());
        let pending = self
            .pending_search
            .take()
            .filter(|pending| pending.filter == self.filter && pending.revision == workspace.revision());
        let large = workspace.item_count() > above;
        // Words alone are all looked up in the search index: no item is tested, at any size.
        let found = matcher.found_by_words_alone().cloned();
        let (narrowing, previous) =
            if found.is_none() && pending.is_none() && shown.is_some_and(|shown| shown <= narrow_at_once || !large) {
                (previous, None)
            } else {
                (None, previous)
            };
        // Otherwise every item is tested once in storage order (sequential in memory, unlike looking each
        // one up in board order) and the board's order then kept by id; in a large workspace over several
        // frames, and so are many shown cards narrowed, the board showing what it showed before meanwhile.
        let passing = if found.is_some() {
            self.pending_search = None;
            found
        } else if narrowing.is_some() {
            None
        } else if pending.is_some() || large {
            let mut pending = pending.unwrap_or_else(|| match (&previous, shown) {
                (Some(cache), Some(shown)) if shown <= above => {
                    // The cards in board order, column by column.
                    let candidates = workspace
                        .columns
                        .iter()
                        .filter_map(|column| cache.columns.get(&column.column_id))
                        .flat_map(|ids| ids.iter().copied())
                        .collect();
                    search::PendingSearch::narrowing(workspace, &self.filter, candidates)
                }
                _ => search::PendingSearch::start(workspace, &self.filter),
            });
            let slice = if pending.is_narrowing() { search::narrowing_slice(per_frame) } else { per_frame };
            // One slice a frame, tested by the frame's first look at the board.
            let may_step = std::mem::take(&mut self.search_budget);
            if !(may_step && pending.step(workspace, &matcher, slice)) {
                self.pending_search = Some(pending);
                self.cache = previous;
                return;
            }
            Some(ItemSet::of(workspace.item_count(), pending.passing.iter().copied()))
        } else {
            self.pending_search = None;
            Some(passing(workspace, &matcher))
        };
        let columns = workspace
            .columns
            .iter()
            .map(|column| {
                let ids: Arc<[ItemId]> = match (&passing, &narrowing) {
                    (Some(passing), _) => exactly(
                        workspace.column_items(column.column_id).iter().copied().filter(|id| passing.contains(*id)),
                    ),
                    (None, narrowing) => narrowing
                        .as_ref()
                        .and_then(|cache| cache.columns.get(&column.column_id))
                        .map_or(&[][..], |ids| &ids[..])
                        .iter()
                        .copied()
                        .filter(|item_id| workspace.item(*item_id).is_some_and(|item| matcher.matches(item)))
                        .collect(),
                };
                (column.column_id, ids)
            })
            .collect();
        self.cache = Some(FilterCache {
            revision: workspace.revision(),
            content_revision: workspace.content_revision(),
            generation: next_generation(),
            filter: self.filter.clone(),
            columns,
        });
    }

    /// A fresh board for another workspace, laid out as this one (board or list, swimlanes, the sprint
    /// panel, done items in the list): no selection, filter, window or cache of this one's items.
    #[must_use]
    pub fn for_another_workspace(&self) -> Self {
        Self {
            mode: self.mode,
            list_shows_done: self.list_shows_done,
            lanes: self.lanes,
            sprint_planning: self.sprint_planning,
            search_in_frames: self.search_in_frames,
            ..Self::default()
        }
    }

    /// The cards a column shows, in board order.
    fn visible<'a>(&'a self, workspace: &'a Workspace, column_id: ColumnId) -> &'a [ItemId] {
        match &self.cache {
            Some(cache) => cache.columns.get(&column_id).map_or(&[], |ids| ids),
            None => workspace.column_items(column_id),
        }
    }

    /// The same cards as [`Self::visible`], in a form that does not borrow the state.
    fn cell_ids<'w>(&self, workspace: &'w Workspace, column_id: ColumnId) -> CellIds<'w> {
        match &self.cache {
            Some(cache) => CellIds::Shared(cache.columns.get(&column_id).cloned().unwrap_or_else(|| Arc::from([]))),
            None => CellIds::Borrowed(workspace.column_items(column_id)),
        }
    }

    /// Swimlane cells for the current items and filter. Kept while the lanes and columns are the same:
    /// a change of a few items moves only them between lanes, and only the columns whose order or
    /// lanes changed (a move touches one or two) are sorted into lanes again.
    fn lane_cells(&mut self, workspace: &Workspace) -> Vec<LaneCells> {
        let mark = workspace.content_mark();
        let generation = self.cache.as_ref().map_or(0, |cache| cache.generation);
        let lanes_now = || workspace.epics.iter().map(|epic| Some(epic.epic_id)).chain(std::iter::once(None));
        let mut cache = self
            .lane_cache
            .take()
            .filter(|cache| {
                cache.columns.len() == workspace.columns.len()
                    && cache.lanes.iter().map(|(lane, _)| *lane).eq(lanes_now())
            })
            .and_then(|mut cache| {
                if cache.content != mark {
                    cache.patch(workspace, &workspace.items_changed_since(cache.content)?);
                    cache.content = mark;
                }
                if cache.generation != generation {
                    // Other cards are shown: every column's cells are made again from the lanes known.
                    cache.generation = generation;
                    cache.columns.fill(None);
                }
                Some(cache)
            })
            .unwrap_or_else(|| LaneCache::new(workspace, mark, generation));
        for (column_index, column) in workspace.columns.iter().enumerate() {
            let revision = workspace.column_revision(column.column_id);
            let built = |sorted: &SortedColumn| sorted.column_id == column.column_id && sorted.revision == revision;
            if cache
                .columns
                .get(column_index)
                .and_then(Option::as_ref)
                .is_some_and(|sorted| built(sorted) && !sorted.relaned)
            {
                continue;
            }
            let sorted = cache.columns.get_mut(column_index).and_then(Option::take);
            let sorted = sorted.filter(|sorted| sorted.column_id == column.column_id);
            let ids = self.visible(workspace, column.column_id);
            let (ids_then, lanes) = match sorted {
                // Only lanes changed: the cards are the same.
                Some(sorted) if built(&sorted) => (Some(sorted.ids), sorted.lanes),
                sorted => (None, cache.sorted_lanes(sorted.as_ref(), ids)),
            };
            // One pass over the column's cards, each dropped into its lane's cell.
            let mut cells: Vec<Vec<ItemId>> = vec![Vec::new(); cache.lanes.len()];
            for (&item_id, &lane) in ids.iter().zip(&lanes) {
                if let Some(cell) = usize::try_from(lane).ok().and_then(|lane| cells.get_mut(lane)) {
                    cell.push(item_id);
                }
            }
            for ((_, row), ids) in cache.lanes.iter_mut().zip(cells) {
                if let Some(cell) = row.get_mut(column_index) {
                    *cell = Arc::from(ids);
                }
            }
            if let Some(slot) = cache.columns.get_mut(column_index) {
                *slot = Some(SortedColumn {
                    column_id: column.column_id,
                    revision,
                    ids: ids_then.unwrap_or_else(|| ids.to_vec()),
                    lanes,
                    relaned: false,
                });
            }
        }
        let lanes = cache.lanes.clone();
        self.lane_cache = Some(cache);
        lanes
    }

    /// The list view's rows for the current items, filter and "show done".
    pub(crate) fn list_rows(&mut self, workspace: &Workspace) -> Arc<[(ItemId, ColumnId)]> {
        let same_view = self.list_cache.as_ref().is_some_and(|cache| {
            cache.filter == self.filter && cache.shows_done == self.list_shows_done && cache.order == self.list_order
        });
        let filter_generation = self.cache.as_ref().map(|cache| cache.generation);
        let fresh = same_view
            && self.list_cache.as_ref().is_some_and(|cache| {
                cache.revision == workspace.revision() && cache.filter_generation == filter_generation
            });
        if !fresh && same_view && self.patch_sorted_list(workspace) {
            return self.list_cache.as_ref().map_or_else(|| Arc::from([]), |cache| Arc::clone(&cache.rows));
        }
        if !fresh {
            let rows: Vec<(ItemId, ColumnId)> = workspace
                .columns
                .iter()
                .filter(|column| self.list_shows_done || !column.is_done)
                .flat_map(|column| {
                    self.visible(workspace, column.column_id).iter().map(move |id| (*id, column.column_id))
                })
                .collect();
            let rows: Arc<[(ItemId, ColumnId)]> = match self.list_order {
                Some(order) if rows.len() >= self.list_sort_elsewhere_from.unwrap_or(LIST_SORT_ELSEWHERE_FROM) => {
                    let rows = Arc::new(rows);
                    match self.sorted_elsewhere(workspace, &rows, order, filter_generation) {
                        Some(sorted) => sorted.into(),
                        // Meanwhile the last rows, or the board's order.
                        None => {
                            return self
                                .list_cache
                                .as_ref()
                                .map_or_else(|| rows.as_slice().into(), |cache| Arc::clone(&cache.rows));
                        }
                    }
                }
                Some(order) => list_order::sorted(&rows, order, workspace).into(),
                None => rows.into(),
            };
            self.list_cache = Some(ListCache {
                revision: workspace.revision(),
                filter: self.filter.clone(),
                shows_done: self.list_shows_done,
                order: self.list_order,
                mark: workspace.content_mark(),
                column_revisions: column_revisions(workspace),
                filter_generation,
                filter_settled: self.filter_settled(workspace),
                rows,
            });
        }
        self.list_cache.as_ref().map_or_else(|| Arc::from([]), |cache| Arc::clone(&cache.rows))
    }

    /// `rows` sorted by `order` on another thread: starts the sort and gives `None` until it is done,
    /// then its result. A sort begun for another view (another order, filter or workspace revision) is let
    /// go. Sorted here when the titles are not at hand (the search index is not built yet) or no thread
    /// can be started.
    fn sorted_elsewhere(
        &mut self,
        workspace: &Workspace,
        rows: &Arc<Vec<(ItemId, ColumnId)>>,
        order: list_order::ListOrder,
        filter_generation: Option<u64>,
    ) -> Option<Vec<(ItemId, ColumnId)>> {
        let key = ListSortKey {
            filter: self.filter.clone(),
            shows_done: self.list_shows_done,
            order,
            revision: workspace.revision(),
            filter_generation,
        };
        if let Some(job) = self.list_sort.take_if(|job| job.key == key) {
            let received = job.result.lock().ok().map(|result| result.try_recv());
            match received {
                Some(Ok(sorted)) => return Some(sorted),
                Some(Err(std::sync::mpsc::TryRecvError::Empty)) => {
                    self.list_sort = Some(job);
                    return None;
                }
                // The thread is gone without a result: sorted here.
                _ => return Some(list_order::sorted(rows, order, workspace)),
            }
        }
        // What the thread needs of the cards, taken here: the titles or figures the search index holds
        // (shared with it), or else each card's value in one pass over the items.
        let figure = match order.by {
            list_order::ListSort::Points => Some(crate::model::Figure::Points),
            list_order::ListSort::Wsjf => Some(crate::model::Figure::Wsjf),
            list_order::ListSort::Rice => Some(crate::model::Figure::Rice),
            _ => None,
        };
        let values = if order.by == list_order::ListSort::Title {
            let Some(titles) = workspace.lowered_titles() else {
                self.list_sort = None;
                return Some(list_order::sorted(rows, order, workspace));
            };
            SortInput::Titles(titles)
        } else if let Some(figures) = figure.and_then(|figure| workspace.sort_figures(figure)) {
            SortInput::Figures(figures)
        } else {
            SortInput::Values(list_order::values_by_item(workspace, order.by))
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let owned = Arc::clone(rows);
        let work = move || {
            let sorted = match values {
                SortInput::Titles(titles) => {
                    let by_item = titles.by_item();
                    list_order::sorted_by_titles(&owned, order.descending, |item_id| by_item.get(&item_id).copied())
                }
                SortInput::Values(values) => {
                    let by_item: HashMap<ItemId, u64, foldhash::fast::RandomState> = values.into_iter().collect();
                    list_order::sorted_by_values(&owned, order.descending, |item_id| by_item.get(&item_id).copied())
                }
                SortInput::Figures(figures) => {
                    let by_item = figures.by_item();
                    list_order::sorted_by_values(&owned, order.descending, |item_id| by_item.get(&item_id).copied())
                }
            };
            // The list may have been sorted otherwise meanwhile; then no one is waiting.
            let _ = sender.send(sorted);
        };
        if std::thread::Builder::new().name("tandem-sort".to_owned()).spawn(work).is_err() {
            self.list_sort = None;
            return Some(list_order::sorted(rows, order, workspace));
        }
        self.list_sort = Some(Arc::new(ListSortJob { key, result: std::sync::Mutex::new(receiver) }));
        None
    }

    /// The order the list is being sorted into on another thread, while it is (the list shows its last
    /// order meanwhile).
    #[must_use]
    pub fn list_sorting(&self) -> Option<list_order::ListOrder> {
        self.list_sort.as_ref().map(|job| job.key.order).filter(|order| Some(*order) == self.list_order)
    }

    /// Whether the filter's cards are those it passes in the workspace as it is: no filter, or its
    /// result is up to date (not the last one, shown while a search goes on over frames).
    fn filter_settled(&self, workspace: &Workspace) -> bool {
        self.cache.as_ref().is_none_or(|filter| filter.revision == workspace.revision())
    }

    /// After a change of a few cards' content while the list is sorted (a title or an estimate saved),
    /// puts those cards back where the order wants them instead of sorting every card again. Returns
    /// false, changing nothing, when that cannot be told: the list is in board order, a card moved or
    /// was added, or more than a few cards or something else (an epic, the columns) changed.
    fn patch_sorted_list(&mut self, workspace: &Workspace) -> bool {
        let Some(cache) = self.list_cache.as_ref() else {
            return false;
        };
        let Some(order) = cache.order else {
            return false;
        };
        // A search going on over frames shows its last result: which cards it passes is not known yet,
        // then or now.
        if !(cache.filter_settled && self.filter_settled(workspace)) {
            return false;
        }
        if cache.column_revisions != column_revisions(workspace) {
            return false;
        }
        let Some(changed) = workspace.items_changed_since(cache.mark) else {
            return false;
        };
        if changed.len() > LIST_PATCH_LIMIT {
            return false;
        }
        let mut rows = cache.rows.to_vec();
        let listed = |item_id: ItemId| {
            let column_id = workspace.item(item_id)?.column_id;
            let column = workspace.columns.iter().find(|column| column.column_id == column_id)?;
            let shown =
                (self.list_shows_done || !column.is_done) && self.visible(workspace, column_id).contains(&item_id);
            shown.then_some(column_id)
        };
        list_order::patch(&mut rows, &changed, listed, order, workspace);
        if let Some(cache) = self.list_cache.as_mut() {
            cache.rows = rows.into();
            cache.revision = workspace.revision();
            cache.mark = workspace.content_mark();
            cache.filter_generation = self.cache.as_ref().map(|filter| filter.generation);
        }
        true
    }

    fn visible_count(&self, workspace: &Workspace) -> usize {
        workspace.columns.iter().map(|column| self.visible(workspace, column.column_id).len()).sum()
    }

    /// Column index and row of a visible card.
    fn locate(&self, workspace: &Workspace, item_id: ItemId) -> Option<(usize, usize)> {
        workspace.columns.iter().enumerate().find_map(|(column_index, column)| {
            self.visible(workspace, column.column_id)
                .iter()
                .position(|id| *id == item_id)
                .map(|row| (column_index, row))
        })
    }
}

/// Selects a card from an arrow key. egui would also move the focus one widget along for the same
/// arrow; the board decides where it goes, so egui's move is called off.
fn select_by_key(ctx: &egui::Context, state: &mut BoardState, item_id: ItemId) {
    state.select(item_id);
    ctx.memory_mut(|memory| memory.move_focus(egui::FocusDirection::None));
}

/// Draws the filter bar and the board, and records what the user asked for in `actions`.
pub fn board_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    state.search_budget = true;
    state.refresh(workspace);
    let large = workspace.item_count() > state.search_in_frames.map_or(search::IN_FRAMES_ABOVE, |(above, _)| above);
    if state.pending_search.is_some() {
        // The next frame tests the next slice.
        ui.ctx().request_repaint();
    } else if large && !state.filter.is_active() && !workspace.search_ready() {
        // A large board builds its search index a slice a frame while it is shown, so that the first
        // search finds it ready instead of building it in the frame of the keystroke.
        let seen = state.shown_revision.replace(workspace.revision()) == Some(workspace.revision());
        if !(seen && workspace.prepare_search(search::FRAME_BUDGET)) {
            ui.ctx().request_repaint();
        }
    }
    filter_bar_ui(ui, workspace, state, actions);
    ui.add_space(4.0);
    if workspace.columns.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            crate::ui::widgets::a11y::heading(ui, "This workspace has no board columns yet.");
            ui.label(
                "Create a new workspace from the File menu to start with Backlog, Ready, In progress, Review and Done.",
            );
        });
        return;
    }
    if state.mode == BoardMode::Archived {
        archived::archived_ui(ui, workspace, &mut state.archive_order, actions);
        return;
    }
    priorities_ui(ui.ctx(), workspace, state);
    labels::label_colours_ui(ui.ctx(), workspace, &mut state.label_colours, actions);
    people::people_ui(ui.ctx(), workspace, state, actions);
    if state.mode == BoardMode::List {
        list::backlog_list_ui(ui, workspace, state, actions);
        paint_drag_ghost(ui, workspace, state, 420.0);
        return;
    }
    keyboard_ui(ui, workspace, state, actions);
    // The selected card holds keyboard focus whenever nothing else does, so arrow keys reach the board
    // (a focused card claims them from egui's own focus navigation).
    let ctx = ui.ctx().clone();
    if state.focus.is_none()
        && state.drag.is_none()
        && ctx.memory(|memory| memory.focused().is_none())
        && !egui::Popup::is_any_open(&ctx)
    {
        state.focus = state.selected;
    }
    let card_ids = ui.make_persistent_id("board-cards");

    let board_rect = ui.available_rect_before_wrap();
    let width = column_width(ui.available_width(), workspace.columns.len());
    let pointer = ui.ctx().pointer_latest_pos();
    let released = ui.input(|input| input.pointer.primary_released());
    let mut card_focused = false;
    if state.lanes {
        let context =
            ColumnContext { width, board_rect, pointer, released, card_ids, place: (0, workspace.columns.len()) };
        card_focused = lanes_ui(ui, workspace, state, context, actions);
    } else {
        ScrollArea::horizontal().id_salt("board-columns").auto_shrink([false, false]).show(ui, |ui| {
            ui.horizontal_top(|ui| {
                let columns = workspace.columns.len();
                for (index, column) in workspace.columns.iter().enumerate() {
                    let place = (index, columns);
                    let context = ColumnContext { width, board_rect, pointer, released, card_ids, place };
                    let cell = Cell {
                        ids: state.cell_ids(workspace, column.column_id),
                        lane: None,
                        header: true,
                        height: None,
                    };
                    card_focused |= column_ui(ui, column, cell, workspace, state, context, actions);
                }
            });
        });
    }
    state.card_focused = card_focused;

    if state.drag.is_some() && released {
        // Released outside every column: nothing moves.
        state.drag = None;
    }
    paint_drag_ghost(ui, workspace, state, width - 14.0);
}

/// The dragged card under the pointer, with a count when several move together.
fn paint_drag_ghost(ui: &Ui, workspace: &Workspace, state: &BoardState, width: f32) {
    let Some(drag) = &state.drag else {
        return;
    };
    let (Some(pointer), Some(item)) = (ui.ctx().pointer_latest_pos(), workspace.item(drag.item_id)) else {
        return;
    };
    let rect = Rect::from_min_size(pointer - drag.grab, vec2(width, card_height(ui)));
    paint_ghost(ui, item, workspace, rect);
    if drag.items.len() > 1 {
        let badge_painter =
            ui.ctx().layer_painter(egui::LayerId::new(Order::Tooltip, ui.make_persistent_id("drag-count")));
        let badge = egui::Rect::from_center_size(rect.right_top(), vec2(28.0, 22.0));
        badge_painter.rect_filled(badge, 11.0, ui.visuals().selection.bg_fill);
        badge_painter.text(
            badge.center(),
            egui::Align2::CENTER_CENTER,
            drag.items.len().to_string(),
            TextStyle::Button.resolve(ui.style()),
            ui.visuals().strong_text_color(),
        );
    }
    ui.ctx().request_repaint();
}

/// Columns share the width so a five-column board fits a laptop screen, within readable bounds.
fn column_width(available: f32, columns: usize) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
    let share = available / columns.max(1) as f32 - 2.0 * theme::COLUMN_MARGIN - 8.0;
    share.clamp(theme::COLUMN_MIN_WIDTH, theme::COLUMN_MAX_WIDTH)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
    use super::BoardState;
    use crate::model::{
        BacklogItem, ColumnId, Epic, EpicId, ItemId, ItemKind, ItemPosition, Product, Timestamp, Workspace, rank,
    };

    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, bound: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % bound
        }
    }

    fn epic(id: i64) -> Epic {
        crate::model::test_epic(id, &format!("Epic {id}"))
    }

    /// An item in `column` with `epic`, ranked by its id.
    fn item(id: i64, column: i64, epic: Option<i64>) -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Story, format!("Card {id}"), ColumnId(column), Timestamp::UNIX_EPOCH);
        item.item_id = ItemId(id);
        item.epic_id = epic.map(EpicId);
        item.rank = crate::model::Rank::parse(&format!("m{id:05}1")).unwrap();
        item
    }

    /// The list's rows, asked for frame after frame until no sort goes on elsewhere (at most five seconds).
    fn rows_when_sorted(state: &mut BoardState, workspace: &Workspace) -> Vec<(ItemId, ColumnId)> {
        let started = std::time::Instant::now();
        loop {
            let rows = state.list_rows(workspace).to_vec();
            if state.list_sorting().is_none() || started.elapsed() > std::time::Duration::from_secs(5) {
                return rows;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    #[test]
    fn a_long_list_is_sorted_by_title_elsewhere_showing_its_last_order_meanwhile() {
        use super::list_order::{ListOrder, ListSort, sorted};
        let mut workspace = Workspace::new(Product { name: "Sorting".to_owned(), vision: String::new() });
        workspace.columns = crate::model::test_columns(&["Backlog", "Ready", "Done"]);
        let mut random = Lcg(5);
        let words = ["Speed up", "speed up the", "Äpfel", "Checkout", "checkout", "Zebra", "ÉCLAIR", "Ärger"];
        workspace.set_items((1..=300).map(|id| {
            let mut card = item(id, 1 + id % 3, None);
            card.title = format!("{} {}", words[usize::try_from(random.below(8)).unwrap()], random.below(20));
            card
        }));
        let mut state = BoardState {
            mode: super::BoardMode::List,
            list_shows_done: true,
            list_sort_elsewhere_from: Some(0),
            ..BoardState::default()
        };
        // Before the search index is built, the titles are not at hand: sorted at once, here.
        let board_order = state.list_rows(&workspace).to_vec();
        let by_title = ListOrder::after_click(None, ListSort::Title);
        state.list_order = Some(by_title);
        assert_eq!(state.list_rows(&workspace).to_vec(), sorted(&board_order, by_title, &workspace));
        assert_eq!(state.list_sorting(), None);

        assert!(workspace.prepare_search(std::time::Duration::from_secs(5)));
        let turned = ListOrder::after_click(Some(by_title), ListSort::Title);
        state.list_order = Some(turned);
        // The click's frame shows the last order and says it is sorting.
        assert_eq!(state.list_rows(&workspace).to_vec(), sorted(&board_order, by_title, &workspace));
        assert_eq!(state.list_sorting(), Some(turned));
        assert_eq!(rows_when_sorted(&mut state, &workspace), sorted(&board_order, turned, &workspace));
        assert_eq!(state.list_sorting(), None);

        // A card re-titled while a sort goes on: that sort is let go and the list sorted again.
        state.list_order = Some(by_title);
        state.list_rows(&workspace);
        for id in [7, 8, 9, 10] {
            let mut card = workspace.item(ItemId(id)).unwrap().clone();
            card.title = format!("aaa first {id}");
            workspace.upsert_item(card);
        }
        let board_order = {
            let mut unsorted =
                BoardState { mode: super::BoardMode::List, list_shows_done: true, ..BoardState::default() };
            unsorted.list_rows(&workspace).to_vec()
        };
        let rows = rows_when_sorted(&mut state, &workspace);
        assert_eq!(rows, sorted(&board_order, by_title, &workspace));
        // "aaa first 7" to "aaa first 10": numbers as numbers.
        assert_eq!(rows.iter().take(4).map(|(item_id, _)| item_id.0).collect::<Vec<_>>(), [7, 8, 9, 10]);

        // By a figure, estimates with ties and cards without one: elsewhere too, the same order.
        for id in 1..=300 {
            let mut card = workspace.item(ItemId(id)).unwrap().clone();
            card.points = [None, Some(1.0), Some(3.0), Some(0.5), Some(13.0)]
                .get(usize::try_from(id % 5).unwrap())
                .copied()
                .flatten();
            workspace.upsert_item(card);
        }
        for by in [ListSort::Points, ListSort::Status, ListSort::Kind] {
            for descending in [false, true] {
                let order = ListOrder { by, descending };
                state.list_order = Some(order);
                state.list_rows(&workspace);
                assert_eq!(state.list_sorting(), Some(order));
                assert_eq!(
                    rows_when_sorted(&mut state, &workspace),
                    sorted(&board_order, order, &workspace),
                    "{order:?}"
                );
            }
        }
    }

    #[test]
    fn swimlanes_patched_after_each_change_are_the_lanes_built_afresh() {
        let mut workspace = Workspace::new(Product { name: "Lanes".to_owned(), vision: String::new() });
        workspace.columns = crate::model::test_columns(&["Backlog", "Ready", "Done"]);
        workspace.epics = (1..=3).map(epic).collect();
        let epic_of = |id: i64| (id % 4 != 0).then_some(id % 4);
        workspace.set_items((1..=60).map(|id| item(id, 1 + id % 3, epic_of(id))));
        let mut state = BoardState { lanes: true, ..BoardState::default() };
        let mut random = Lcg(11);
        let mut next_id = 61;
        let mut patched = 0;
        for step in 0..400 {
            let ids: Vec<ItemId> = workspace.items().map(|item| item.item_id).collect();
            let some_id = ids[usize::try_from(random.below(ids.len() as u64)).unwrap()];
            let mut changed = workspace.item(some_id).unwrap().clone();
            let kind = random.below(8);
            match kind {
                // What it says, its lane kept.
                0 => {
                    changed.title.push('!');
                    workspace.upsert_item(changed);
                }
                // Another lane, or none.
                1 | 2 => {
                    changed.epic_id = [None, Some(EpicId(1)), Some(EpicId(2)), Some(EpicId(3))]
                        [usize::try_from(random.below(4)).unwrap()];
                    workspace.upsert_item(changed);
                }
                // Moved, to another column or within its own.
                3 => {
                    let column = ColumnId(i64::try_from(1 + random.below(3)).unwrap());
                    let rank = rank::between(
                        None,
                        workspace.column_items(column).first().map(|id| &workspace.item(*id).unwrap().rank),
                    )
                    .unwrap();
                    workspace.set_position(&ItemPosition { item_id: some_id, column_id: column, rank });
                }
                // Added, deleted, archived.
                4 => {
                    workspace.upsert_item(item(next_id, 1 + next_id % 3, epic_of(next_id)));
                    next_id += 1;
                }
                5 => {
                    workspace.remove_item(some_id);
                }
                6 => {
                    changed.details.archived_at = Some(Timestamp::UNIX_EPOCH);
                    workspace.upsert_item(changed);
                }
                // A search on or off.
                _ => {
                    state.filter.text = if state.filter.text.is_empty() { "1".to_owned() } else { String::new() };
                }
            }
            let content_before = state.lane_cache.as_ref().map(|cache| cache.content);
            state.refresh(&workspace);
            let lanes = state.lane_cells(&workspace);
            if content_before.is_some_and(|mark| workspace.items_changed_since(mark).is_some()) {
                patched += 1;
            }
            let mut fresh = BoardState { lanes: true, filter: state.filter.clone(), ..BoardState::default() };
            fresh.refresh(&workspace);
            assert_eq!(lanes, fresh.lane_cells(&workspace), "step {step}, change {kind}");
        }
        assert!(patched > 300, "the cache was patched, not built again, after most changes ({patched})");
        // An epic's change (its title, its dates) is not an item's: the lanes are built again.
        workspace.epics.push(epic(4));
        workspace.touch();
        let mark = state.lane_cache.as_ref().unwrap().content;
        assert_eq!(workspace.items_changed_since(mark), None);
        state.refresh(&workspace);
        let lanes = state.lane_cells(&workspace);
        assert_eq!(lanes.len(), 5, "four epics and the cards without one");
        let mut fresh = BoardState { lanes: true, filter: state.filter.clone(), ..BoardState::default() };
        fresh.refresh(&workspace);
        assert_eq!(lanes, fresh.lane_cells(&workspace));
    }
}
