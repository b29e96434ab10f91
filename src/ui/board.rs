//! The backlog board: one column per workflow status, cards in rank order, moved by drag and drop or
//! by keyboard.
//!
//! Each column scrolls on its own and builds only the cards in view (`ScrollArea::show_rows`), so a
//! backlog of 100,000 items costs the same per frame as one of a hundred. A drag is tracked here, not
//! by the card widget, so it survives the card scrolling out of view; it is persisted once, on drop.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use egui::{
    ComboBox, Frame, Key, Modifiers, Order, Pos2, Rect, RichText, ScrollArea, Stroke, TextEdit, TextStyle, Ui, Vec2,
    pos2, vec2,
};

use super::UiAction;
use super::theme;
use super::widgets::card::{CardLook, card_height, card_ui, paint_ghost};
use crate::app::{ColumnCommand, Command, ItemCommand, PriorityScore};
use crate::model::{Column, ColumnId, EpicId, ItemFilter, ItemId, ItemKind, Workspace};
use crate::store::MoveTarget;

/// Distance from a column's top or bottom edge within which a drag scrolls it.
const AUTO_SCROLL_EDGE: f32 = 48.0;
/// Fastest auto-scroll, in points per frame.
const AUTO_SCROLL_SPEED: f32 = 14.0;

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

/// Swimlane cells (per epic, per column), rebuilt when the items or the filter change.
#[derive(Clone, Debug)]
struct LaneCache {
    revision: u64,
    filter: ItemFilter,
    lanes: Vec<LaneCells>,
}

/// The rows of the list view, rebuilt when the items, the filter or "show done" change.
#[derive(Clone, Debug)]
pub(crate) struct ListCache {
    revision: u64,
    filter: ItemFilter,
    shows_done: bool,
    pub(crate) rows: Arc<[(ItemId, ColumnId)]>,
}

/// How the board shows its cards.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BoardMode {
    /// Columns of cards.
    #[default]
    Board,
    /// One ordered table.
    List,
}

/// What the board remembers between frames.
#[derive(Clone, Debug, Default)]
#[expect(clippy::struct_excessive_bools, reason = "independent view toggles the user sets one by one")]
pub struct BoardState {
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
    /// Auto-scroll to apply to the list on the next frame.
    pub(crate) list_scroll: f32,
    /// Whether the board is split into one swimlane per epic.
    pub lanes: bool,
    /// Whether the sprint planning panel shows beside the board.
    pub sprint_planning: bool,
    /// Whether the "where the orders disagree" window is open, and for which column.
    pub priorities: Option<ColumnId>,
    drag: Option<Drag>,
    cache: Option<FilterCache>,
    lane_cache: Option<LaneCache>,
    list_cache: Option<ListCache>,
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

    fn refresh(&mut self, workspace: &Workspace) {
        if !self.filter.is_active() {
            self.cache = None;
            return;
        }
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|cache| cache.revision == workspace.revision() && cache.filter == self.filter);
        if fresh {
            return;
        }
        let columns = workspace
            .columns
            .iter()
            .map(|column| {
                let ids: Arc<[ItemId]> = workspace
                    .column_items(column.column_id)
                    .iter()
                    .copied()
                    .filter(|item_id| workspace.item(*item_id).is_some_and(|item| self.filter.matches(item)))
                    .collect();
                (column.column_id, ids)
            })
            .collect();
        self.cache = Some(FilterCache { revision: workspace.revision(), filter: self.filter.clone(), columns });
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

    /// Swimlane cells for the current items and filter.
    fn lane_cells(&mut self, workspace: &Workspace) -> Vec<LaneCells> {
        let fresh = self
            .lane_cache
            .as_ref()
            .is_some_and(|cache| cache.revision == workspace.revision() && cache.filter == self.filter);
        if !fresh {
            let mut lanes: Vec<Option<EpicId>> = workspace.epics.iter().map(|epic| Some(epic.epic_id)).collect();
            lanes.push(None);
            let cells = lanes
                .into_iter()
                .map(|lane| {
                    let per_column = workspace
                        .columns
                        .iter()
                        .map(|column| {
                            self.visible(workspace, column.column_id)
                                .iter()
                                .copied()
                                .filter(|item_id| workspace.item(*item_id).is_some_and(|item| item.epic_id == lane))
                                .collect()
                        })
                        .collect();
                    (lane, per_column)
                })
                .collect();
            self.lane_cache =
                Some(LaneCache { revision: workspace.revision(), filter: self.filter.clone(), lanes: cells });
        }
        self.lane_cache.as_ref().map(|cache| cache.lanes.clone()).unwrap_or_default()
    }

    /// The list view's rows for the current items, filter and "show done".
    pub(crate) fn list_rows(&mut self, workspace: &Workspace) -> Arc<[(ItemId, ColumnId)]> {
        let fresh = self.list_cache.as_ref().is_some_and(|cache| {
            cache.revision == workspace.revision()
                && cache.filter == self.filter
                && cache.shows_done == self.list_shows_done
        });
        if !fresh {
            let rows: Arc<[(ItemId, ColumnId)]> = workspace
                .columns
                .iter()
                .filter(|column| self.list_shows_done || !column.is_done)
                .flat_map(|column| {
                    self.visible(workspace, column.column_id).iter().map(move |id| (*id, column.column_id))
                })
                .collect();
            self.list_cache = Some(ListCache {
                revision: workspace.revision(),
                filter: self.filter.clone(),
                shows_done: self.list_shows_done,
                rows,
            });
        }
        self.list_cache.as_ref().map_or_else(|| Arc::from([]), |cache| Arc::clone(&cache.rows))
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

/// Draws the filter bar and the board, and records what the user asked for in `actions`.
pub fn board_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    state.refresh(workspace);
    filter_bar_ui(ui, workspace, state, actions);
    ui.add_space(4.0);
    if workspace.columns.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("This workspace has no board columns yet.");
            ui.label(
                "Create a new workspace from the File menu to start with Backlog, Ready, In progress, Review and Done.",
            );
        });
        return;
    }
    priorities_ui(ui.ctx(), workspace, state);
    if state.mode == BoardMode::List {
        super::backlog_list::backlog_list_ui(ui, workspace, state, actions);
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

/// The board split into one swimlane per epic (and one for cards without an epic). Column headers
/// are drawn once; each lane shows up to three cards per column and scrolls within itself.
fn lanes_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    state: &mut BoardState,
    context: ColumnContext,
    actions: &mut Vec<UiAction>,
) -> bool {
    let mut card_focused = false;
    let pitch = card_height(ui) + theme::CARD_GAP;
    let visuals = ui.visuals().clone();
    ScrollArea::both().id_salt("board-lanes").auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal_top(|ui| {
            for (index, column) in workspace.columns.iter().enumerate() {
                Frame::new()
                    .fill(theme::column_fill(&visuals))
                    .corner_radius(8.0)
                    .inner_margin(theme::COLUMN_MARGIN)
                    .show(ui, |ui| {
                        ui.set_width(context.width);
                        let count = workspace.column_items(column.column_id).len();
                        ui.vertical(|ui| {
                            column_header_ui(ui, column, (index, workspace.columns.len()), count, &visuals, actions);
                        });
                    });
            }
        });
        for (lane, cells) in state.lane_cells(workspace) {
            let total: usize = cells.iter().map(|ids| ids.len()).sum();
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if let Some(epic) = lane.and_then(|epic_id| workspace.epic(epic_id)) {
                    ui.label(
                        RichText::new(format!("♦ {}", epic.title)).heading().color(theme::epic_colour(epic.colour)),
                    );
                    ui.label(RichText::new(format!("{total} cards")).weak());
                } else {
                    ui.label(RichText::new("No epic").heading());
                    ui.label(RichText::new(format!("{total} cards")).weak());
                }
            });
            #[expect(clippy::cast_precision_loss, reason = "at most three rows")]
            let rows = cells.iter().map(|ids| ids.len()).max().unwrap_or(0).clamp(1, 3) as f32;
            let height = rows * pitch;
            ui.horizontal_top(|ui| {
                for (index, (column, ids)) in workspace.columns.iter().zip(cells).enumerate() {
                    let cell = Cell {
                        ids: CellIds::Shared(ids),
                        lane: Some(Lane::new(lane)),
                        header: false,
                        height: Some(height),
                    };
                    let context = ColumnContext { place: (index, workspace.columns.len()), ..context };
                    card_focused |= column_ui(ui, column, cell, workspace, state, context, actions);
                }
            });
        }
    });
    card_focused
}

/// A window listing the cards of one column whose places differ most between rank, WSJF and RICE.
fn priorities_ui(ctx: &egui::Context, workspace: &Workspace, state: &mut BoardState) {
    let Some(column_id) = state.priorities else {
        return;
    };
    let mut open = true;
    let mut chosen = column_id;
    let mut select = None;
    egui::Window::new("Where the orders disagree")
        .open(&mut open)
        .default_width(460.0)
        .default_pos(ctx.content_rect().right_top() + vec2(-490.0, 120.0))
        .show(ctx, |ui| {
        ui.label("Places of each card in its column by rank (your order), by WSJF and by RICE. The cards at the top are the ones worth discussing.");
        let name = workspace.column(chosen).map_or("", |column| column.name.as_str()).to_owned();
        ComboBox::from_id_salt("priorities-column").selected_text(name).show_ui(ui, |ui| {
            for column in &workspace.columns {
                ui.selectable_value(&mut chosen, column.column_id, &column.name);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Column to compare"));
        let items: Vec<&crate::model::BacklogItem> =
            workspace.column_items(chosen).iter().filter_map(|item_id| workspace.item(*item_id)).collect();
        let found = crate::model::priority::disagreements(&items);
        if found.is_empty() {
            ui.label("Rank, WSJF and RICE agree on this column (or its cards have no scores yet).");
            return;
        }
        let place = |value: Option<usize>| value.map_or_else(|| "—".to_owned(), |place| place.to_string());
        egui::Grid::new("priorities-grid").striped(true).num_columns(4).show(ui, |ui| {
            ui.strong("Card");
            ui.strong("Rank");
            ui.strong("WSJF");
            ui.strong("RICE");
            ui.end_row();
            for disagreement in found.iter().take(8) {
                let Some(item) = workspace.item(disagreement.item_id) else {
                    continue;
                };
                if ui.link(&item.title).on_hover_text("Select this card on the board").clicked() {
                    select = Some(item.item_id);
                }
                ui.label(disagreement.rank_place.to_string());
                ui.label(place(disagreement.wsjf_place));
                ui.label(place(disagreement.rice_place));
                ui.end_row();
            }
        });
    });
    state.priorities = open.then_some(chosen);
    if let Some(item_id) = select {
        state.select(item_id);
    }
}

/// Columns share the width so a five-column board fits a laptop screen, within readable bounds.
fn column_width(available: f32, columns: usize) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
    let share = available / columns.max(1) as f32 - 2.0 * theme::COLUMN_MARGIN - 8.0;
    share.clamp(theme::COLUMN_MIN_WIDTH, theme::COLUMN_MAX_WIDTH)
}

fn filter_bar_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut state.mode, BoardMode::Board, "⊞ Board").on_hover_text("Show as board columns");
        ui.selectable_value(&mut state.mode, BoardMode::List, "☰ List").on_hover_text("Show as one ordered list");
        let priorities_open = state.priorities.is_some();
        if ui
            .selectable_label(priorities_open, "⚖ Priorities")
            .on_hover_text("Where rank, WSJF and RICE disagree")
            .clicked()
        {
            state.priorities =
                if priorities_open { None } else { workspace.columns.first().map(|column| column.column_id) };
        }
        ui.toggle_value(&mut state.sprint_planning, "🏃 Sprint planning")
            .on_hover_text("Plan cards into a sprint against its capacity");
        ui.separator();
        if state.mode == BoardMode::List {
            ui.checkbox(&mut state.list_shows_done, "Show done items");
        } else {
            ui.checkbox(&mut state.lanes, "Swimlanes by epic")
                .on_hover_text("One row per epic; drag a card to another row to change its epic");
            if ui.button("+ Add column").on_hover_text("Add a workflow status at the right end of the board").clicked()
            {
                actions.push(UiAction::Apply(Command::Column(ColumnCommand::Add { name: "New column".to_owned() })));
            }
        }
        ui.separator();
        let label = ui.label("🔍 Search");
        ui.add(
            TextEdit::singleline(&mut state.filter.text).hint_text("title, description or label").desired_width(220.0),
        )
        .labelled_by(label.id);

        let kind_text = state.filter.kind.map_or("All kinds", ItemKind::label);
        ComboBox::from_id_salt("filter-kind")
            .selected_text(kind_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.kind, None, "All kinds");
                for kind in ItemKind::ALL {
                    ui.selectable_value(
                        &mut state.filter.kind,
                        Some(kind),
                        format!("{} {}", theme::kind_icon(kind), kind.label()),
                    );
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by kind"));

        let label_text =
            state.filter.label.clone().map_or_else(|| "All labels".to_owned(), |label| format!("#{label}"));
        ComboBox::from_id_salt("filter-label")
            .selected_text(label_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.label, None, "All labels");
                // Collected only while the list is open: it walks every item.
                let mut labels: Vec<&str> =
                    workspace.items().flat_map(|item| item.labels.iter().map(String::as_str)).collect();
                labels.sort_unstable();
                labels.dedup();
                for label in labels {
                    ui.selectable_value(&mut state.filter.label, Some(label.to_owned()), format!("#{label}"));
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by label"));

        let epic_text = state
            .filter
            .epic
            .and_then(|id| workspace.epic(id))
            .map_or("All epics", |epic| epic.title.as_str())
            .to_owned();
        ComboBox::from_id_salt("filter-epic")
            .selected_text(epic_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.epic, None, "All epics");
                for epic in &workspace.epics {
                    ui.selectable_value(&mut state.filter.epic, Some(epic.epic_id), &epic.title);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by epic"));

        let sprint_text = state
            .filter
            .sprint
            .and_then(|id| workspace.sprint(id))
            .map_or("All sprints", |sprint| sprint.name.as_str())
            .to_owned();
        ComboBox::from_id_salt("filter-sprint")
            .selected_text(sprint_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.sprint, None, "All sprints");
                for sprint in &workspace.sprints {
                    ui.selectable_value(&mut state.filter.sprint, Some(sprint.sprint_id), &sprint.name);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by sprint"));

        if state.group.len() > 1 {
            ui.label(
                RichText::new(format!("{} cards selected · drag one to move them all · Esc clears", state.group.len()))
                    .strong(),
            );
        }
        if state.filter.is_active() {
            state.refresh(workspace);
            ui.label(format!("Showing {} of {}", state.visible_count(workspace), workspace.item_count()));
            if ui.button("✖ Clear filters").clicked() {
                state.filter = ItemFilter::default();
            }
        }
    });
}

/// Arrow keys move the selection; Ctrl + arrows (and Ctrl + Home / End) move the selected card.
fn keyboard_ui(ui: &Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    let ctx = ui.ctx();
    let nothing_focused = ctx.memory(|memory| memory.focused().is_none());
    if state.drag.is_some()
        || ctx.text_edit_focused()
        || egui::Popup::is_any_open(ctx)
        || !(state.card_focused || nothing_focused)
    {
        return;
    }
    let pressed = |modifiers: Modifiers, key: Key| ctx.input_mut(|input| input.consume_key(modifiers, key));
    let columns = &workspace.columns;
    let position = state.selected.and_then(|item_id| state.locate(workspace, item_id));
    let Some((column_index, row)) = position else {
        // Nothing selected yet: any arrow selects the first card.
        let any_arrow = [Key::ArrowUp, Key::ArrowDown, Key::ArrowLeft, Key::ArrowRight]
            .into_iter()
            .any(|key| pressed(Modifiers::NONE, key));
        if any_arrow
            && let Some(&first) = columns.iter().find_map(|column| state.visible(workspace, column.column_id).first())
        {
            state.select(first);
        }
        return;
    };
    let Some(item_id) = state.selected else {
        return;
    };
    let column_ids: Vec<ColumnId> = columns.iter().map(|column| column.column_id).collect();
    let visible =
        |index: usize| column_ids.get(index).map_or(&[][..], |column_id| state.visible(workspace, *column_id));
    let here = visible(column_index);

    // Moves of the card itself (Ctrl + Up / Down), or of the whole multi-selection (Ctrl + Left / Right /
    // Home / End), anchored on the nearest visible card outside the moving set.
    let items = state.moving(workspace, item_id);
    let group = items.len() > 1;
    let mut target: Option<(usize, Option<ItemId>)> = None;
    if !group && pressed(Modifiers::COMMAND, Key::ArrowUp) && row > 0 {
        target = Some((column_index, row.checked_sub(2).and_then(|above| here.get(above).copied())));
    } else if !group && pressed(Modifiers::COMMAND, Key::ArrowDown) && row + 1 < here.len() {
        target = Some((column_index, here.get(row + 1).copied()));
    } else if pressed(Modifiers::COMMAND, Key::Home) {
        target = Some((column_index, None));
    } else if pressed(Modifiers::COMMAND, Key::End) {
        target = Some((column_index, here.iter().rev().copied().find(|id| !items.contains(id))));
    } else if pressed(Modifiers::COMMAND, Key::ArrowLeft) && column_index > 0 {
        let there = visible(column_index - 1);
        let above = there
            .get(..row.min(there.len()))
            .and_then(|above| above.iter().rev().copied().find(|id| !items.contains(id)));
        target = Some((column_index - 1, above));
    } else if pressed(Modifiers::COMMAND, Key::ArrowRight) && column_index + 1 < columns.len() {
        let there = visible(column_index + 1);
        let above = there
            .get(..row.min(there.len()))
            .and_then(|above| above.iter().rev().copied().find(|id| !items.contains(id)));
        target = Some((column_index + 1, above));
    }
    if let Some((to_column, after_item)) = target {
        if let Some(&column_id) = column_ids.get(to_column) {
            let target = MoveTarget { column_id, after_item };
            let command = if group {
                Command::Item(ItemCommand::MoveMany { item_ids: items, target })
            } else {
                Command::Item(ItemCommand::Move { item_id, target })
            };
            actions.push(UiAction::Apply(command));
            state.focus = Some(item_id);
            state.reveal = Some(item_id);
        }
        return;
    }

    // Shift + Up / Down extends the multi-selection.
    let extend = if pressed(Modifiers::SHIFT, Key::ArrowUp) {
        row.checked_sub(1).and_then(|above| here.get(above).copied())
    } else if pressed(Modifiers::SHIFT, Key::ArrowDown) {
        here.get(row + 1).copied()
    } else {
        None
    };
    if let Some(next) = extend {
        if state.group.is_empty() {
            state.group.push(item_id);
        }
        if !state.group.contains(&next) {
            state.group.push(next);
        }
        state.select(next);
        return;
    }

    // Moves of the selection.
    let next = if pressed(Modifiers::NONE, Key::ArrowUp) {
        row.checked_sub(1).and_then(|above| here.get(above).copied())
    } else if pressed(Modifiers::NONE, Key::ArrowDown) {
        here.get(row + 1).copied()
    } else if pressed(Modifiers::NONE, Key::ArrowLeft) {
        (0..column_index).rev().find_map(|index| {
            let there = visible(index);
            there.get(row.min(there.len().saturating_sub(1))).copied()
        })
    } else if pressed(Modifiers::NONE, Key::ArrowRight) {
        (column_index + 1..columns.len()).find_map(|index| {
            let there = visible(index);
            there.get(row.min(there.len().saturating_sub(1))).copied()
        })
    } else if pressed(Modifiers::NONE, Key::Home) {
        here.first().copied()
    } else if pressed(Modifiers::NONE, Key::End) {
        here.last().copied()
    } else {
        None
    };
    if let Some(next) = next {
        state.select(next);
    }
}

/// What a column needs from the board beyond the workspace and state.
#[derive(Clone, Copy)]
struct ColumnContext {
    width: f32,
    board_rect: Rect,
    pointer: Option<Pos2>,
    released: bool,
    /// The base of every card's id: a card keeps its id (and its focus) when it changes column.
    card_ids: egui::Id,
    /// This column's index and the number of columns.
    place: (usize, usize),
}

/// Draws one column; returns whether one of its cards has keyboard focus.
/// A swimlane: one epic's cards, or the cards without an epic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lane {
    /// The cards of this epic.
    Epic(EpicId),
    /// The cards without an epic.
    NoEpic,
}

impl Lane {
    fn new(epic_id: Option<EpicId>) -> Self {
        epic_id.map_or(Self::NoEpic, Self::Epic)
    }

    fn epic_id(self) -> Option<EpicId> {
        match self {
            Self::Epic(epic_id) => Some(epic_id),
            Self::NoEpic => None,
        }
    }
}

/// One cell of the board: a column, or a column within one epic's swimlane.
struct Cell<'w> {
    /// The cards it shows, in order.
    ids: CellIds<'w>,
    /// The swimlane it belongs to, if the board is split into lanes.
    lane: Option<Lane>,
    /// Whether to draw the column's header above the cards.
    header: bool,
    /// The height of the card list; `None` fills the column.
    height: Option<f32>,
}

impl Cell<'_> {
    fn key(&self, column_id: ColumnId) -> (ColumnId, i64) {
        let lane = match self.lane {
            None => -2,
            Some(Lane::NoEpic) => -1,
            Some(Lane::Epic(epic_id)) => epic_id.0,
        };
        (column_id, lane)
    }
}

fn column_ui(
    ui: &mut Ui,
    column: &Column,
    cell: Cell<'_>,
    workspace: &Workspace,
    state: &mut BoardState,
    context: ColumnContext,
    actions: &mut Vec<UiAction>,
) -> bool {
    let all_count = workspace.column_items(column.column_id).len();
    let key = cell.key(column.column_id);
    let Cell { ids, lane, header, height } = cell;
    let visuals = ui.visuals().clone();
    let mut card_focused = false;
    Frame::new().fill(theme::column_fill(&visuals)).corner_radius(8.0).inner_margin(theme::COLUMN_MARGIN).show(
        ui,
        |ui| {
            ui.set_width(context.width);
            ui.vertical(|ui| {
                if header {
                    column_header_ui(ui, column, context.place, all_count, &visuals, actions);
                }
                let row_height = card_height(ui);
                let pitch = row_height + theme::CARD_GAP;
                let card_width = context.width - 14.0;
                let column_x = ui.max_rect().x_range();
                ui.spacing_mut().item_spacing.y = theme::CARD_GAP;

                let mut scroll =
                    ScrollArea::vertical().id_salt(("board-cell", key.0.0, key.1)).auto_shrink([false, false]);
                if let Some(height) = height {
                    scroll = scroll.max_height(height).min_scrolled_height(height);
                }
                if let Some(index) = state.reveal.and_then(|item_id| ids.iter().position(|id| *id == item_id)) {
                    let shown = state.shown_rows.get(&key).cloned().unwrap_or(0..0);
                    // Scroll only when the card is not already fully in view.
                    if !(shown.start < index && index + 1 < shown.end) {
                        #[expect(clippy::cast_precision_loss, reason = "row index")]
                        let offset = (index as f32 - 1.0).max(0.0) * pitch;
                        scroll = scroll.vertical_scroll_offset(offset);
                    }
                }
                let output = scroll.show_rows(ui, row_height, ids.len(), |ui, range| {
                    // The closure's `Ui` starts at the first row in view, not at row 0.
                    #[expect(clippy::cast_precision_loss, reason = "row index")]
                    let content_top = ui.max_rect().top() - range.start as f32 * pitch;
                    for &item_id in ids.get(range.clone()).unwrap_or_default() {
                        let Some(item) = workspace.item(item_id) else {
                            continue;
                        };
                        let look = CardLook {
                            selected: state.selected == Some(item_id) || state.group.contains(&item_id),
                            placeholder: state.drag.as_ref().is_some_and(|drag| drag.items.contains(&item_id)),
                        };
                        let id = context.card_ids.with(item_id.0);
                        let response = card_ui(ui, id, item, workspace, look, card_width);
                        if state.focus == Some(item_id) {
                            response.request_focus();
                            state.focus = None;
                        }
                        if response.has_focus() {
                            card_focused = true;
                            ui.memory_mut(|memory| {
                                memory.set_focus_lock_filter(
                                    response.id,
                                    egui::EventFilter {
                                        horizontal_arrows: true,
                                        vertical_arrows: true,
                                        tab: false,
                                        escape: true,
                                    },
                                );
                            });
                        }
                        if response.gained_focus() {
                            state.selected = Some(item_id);
                        }
                        if response.drag_started()
                            && let Some(pointer) = response.interact_pointer_pos()
                        {
                            let items = state.moving(workspace, item_id);
                            state.drag = Some(Drag { item_id, items, grab: pointer - response.rect.min });
                            state.selected = Some(item_id);
                        } else if response.clicked() {
                            let modifiers = ui.input(|input| input.modifiers);
                            if modifiers.command {
                                // Ctrl-click: add to or remove from the multi-selection.
                                if state.group.is_empty()
                                    && let Some(selected) = state.selected
                                {
                                    state.group.push(selected);
                                }
                                if let Some(index) = state.group.iter().position(|id| *id == item_id) {
                                    state.group.remove(index);
                                } else {
                                    state.group.push(item_id);
                                }
                                state.selected = Some(item_id);
                            } else if modifiers.shift
                                && let Some(anchor) =
                                    state.selected.and_then(|selected| ids.iter().position(|id| *id == selected))
                                && let Some(clicked) = ids.iter().position(|id| *id == item_id)
                            {
                                // Shift-click: everything between the selected card and this one.
                                let (from, to) = (anchor.min(clicked), anchor.max(clicked));
                                state.group = ids.get(from..=to).unwrap_or_default().to_vec();
                                state.selected = Some(item_id);
                            } else {
                                state.group.clear();
                                actions.push(UiAction::EditItem(item_id));
                            }
                        }
                    }
                    let clip = ui.clip_rect();
                    let viewport = clip.intersect(Rect::from_x_y_ranges(column_x, clip.y_range()));
                    // A plain column takes drops anywhere along its height; a swimlane cell only over itself.
                    let drop_area = match lane {
                        Some(_) => viewport.expand2(vec2(0.0, theme::CARD_GAP)),
                        None => Rect::from_x_y_ranges(column_x, context.board_rect.y_range()),
                    };
                    // Only the part of the column in view: a column scrolled under a side panel takes no drop.
                    let clip = ui.clip_rect();
                    let hovered_by_drag = state.drag.is_some()
                        && context.pointer.is_some_and(|pointer| {
                            drop_area.contains(pointer) && (clip.left()..=clip.right()).contains(&pointer.x)
                        });
                    if hovered_by_drag && let Some(pointer) = context.pointer {
                        let geometry = DropGeometry { viewport, content_top, pitch };
                        let drop = Drop { column, lane, released: context.released };
                        drop_target_ui(ui, &drop, &ids, geometry, pointer, state, actions);
                    }
                    range
                });
                state.shown_rows.insert(key, output.inner);
            });
        },
    );
    card_focused
}

fn column_header_ui(
    ui: &mut Ui,
    column: &Column,
    place: (usize, usize),
    count: usize,
    visuals: &egui::Visuals,
    actions: &mut Vec<UiAction>,
) {
    ui.horizontal(|ui| {
        let menu = ui.menu_button("☰", |ui| column_menu_ui(ui, column, place, count, actions)).response;
        menu.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{} column menu", column.name))
        });
        ui.label(RichText::new(&column.name).text_style(TextStyle::Heading).strong());
        let text = match column.wip_limit {
            Some(limit) => format!("{count} / {limit}"),
            None => count.to_string(),
        };
        ui.label(RichText::new(text).weak()).on_hover_text("Items in this column / WIP limit");
        if column.is_done {
            ui.label(RichText::new("✔ done").weak());
        }
    });
    if column.wip_limit.is_some_and(|limit| count > limit as usize) {
        ui.label(RichText::new("⚠ Over the WIP limit").color(theme::warning_colour(visuals)));
    }
    if ui.button(format!("+ Add to {}", column.name)).clicked() {
        actions.push(UiAction::NewItemIn(column.column_id));
    }
    ui.add_space(4.0);
}

/// Where a drop lands: a column, maybe within a swimlane.
struct Drop<'a> {
    column: &'a Column,
    lane: Option<Lane>,
    released: bool,
}

/// Where a column's rows are on screen.
#[derive(Clone, Copy)]
struct DropGeometry {
    /// The visible part of the column's list.
    viewport: Rect,
    /// The top of row 0 (above the viewport when scrolled).
    content_top: f32,
    /// Card height plus the gap.
    pitch: f32,
}

/// The column's menu: settings, place, ordering by score, deletion.
fn column_menu_ui(ui: &mut Ui, column: &Column, place: (usize, usize), count: usize, actions: &mut Vec<UiAction>) {
    let (index, columns) = place;
    if ui.button("Rename, WIP limit, done…").clicked() {
        actions.push(UiAction::EditColumn(column.column_id));
    }
    ui.separator();
    if ui.add_enabled(index > 0, egui::Button::new("Move column left")).clicked() {
        actions.push(UiAction::Apply(Command::Column(ColumnCommand::Move {
            column_id: column.column_id,
            to_index: index - 1,
        })));
    }
    if ui.add_enabled(index + 1 < columns, egui::Button::new("Move column right")).clicked() {
        actions.push(UiAction::Apply(Command::Column(ColumnCommand::Move {
            column_id: column.column_id,
            to_index: index + 1,
        })));
    }
    ui.separator();
    for score in [PriorityScore::Wsjf, PriorityScore::Rice] {
        if ui.add_enabled(count > 1, egui::Button::new(format!("Order by {}", score.label()))).clicked() {
            actions
                .push(UiAction::Apply(Command::Column(ColumnCommand::OrderBy { column_id: column.column_id, score })));
        }
    }
    ui.separator();
    let delete = ui.add_enabled(count == 0, egui::Button::new("Delete column"));
    if count > 0 {
        delete.on_disabled_hover_text(format!("Move its {count} cards to another column first."));
    } else if delete.clicked() {
        actions.push(UiAction::Apply(Command::Column(ColumnCommand::Delete(column.column_id))));
    }
}

/// While a card is dragged over this column: the drop line, auto-scroll near the edges, and on release
/// the move, placed right below the visible card above the line.
fn drop_target_ui(
    ui: &Ui,
    drop: &Drop<'_>,
    ids: &[ItemId],
    geometry: DropGeometry,
    pointer: Pos2,
    state: &mut BoardState,
    actions: &mut Vec<UiAction>,
) {
    let Drop { column, lane, released } = *drop;
    let Some(drag) = state.drag.clone() else {
        return;
    };
    let DropGeometry { viewport, content_top, pitch } = geometry;
    // Which gap between cards the pointer is nearest to.
    let y = pointer.y.clamp(viewport.top(), viewport.bottom());
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a row index, clamped below")]
    let slot = (((y - content_top) / pitch).round().max(0.0) as usize).min(ids.len());
    #[expect(clippy::cast_precision_loss, reason = "row index")]
    let line_y = (content_top + slot as f32 * pitch - theme::CARD_GAP / 2.0).max(viewport.top() + 1.0);
    let line_painter =
        ui.ctx().layer_painter(egui::LayerId::new(Order::Foreground, ui.make_persistent_id("drop-line")));
    let accent = ui.visuals().selection.stroke.color;
    line_painter
        .line_segment([pos2(viewport.left(), line_y), pos2(viewport.right() - 8.0, line_y)], Stroke::new(3.0, accent));
    line_painter.circle_filled(pos2(viewport.left() + 3.0, line_y), 4.0, accent);

    if released {
        // The nearest card above the line that is not itself moving.
        let above = ids.get(..slot).and_then(|above| above.iter().rev().copied().find(|id| !drag.items.contains(id)));
        let target = MoveTarget { column_id: column.column_id, after_item: above };
        let command = match lane {
            Some(lane) => {
                Command::Item(ItemCommand::MoveToLane { item_ids: drag.items.clone(), target, epic_id: lane.epic_id() })
            }
            None if drag.items.len() > 1 => {
                Command::Item(ItemCommand::MoveMany { item_ids: drag.items.clone(), target })
            }
            None => Command::Item(ItemCommand::Move { item_id: drag.item_id, target }),
        };
        actions.push(UiAction::Apply(command));
        state.drag = None;
        state.reveal = Some(drag.item_id);
        return;
    }
    // Auto-scroll when the pointer nears the top or bottom edge.
    let speed = if pointer.y < viewport.top() + AUTO_SCROLL_EDGE {
        (viewport.top() + AUTO_SCROLL_EDGE - pointer.y) / AUTO_SCROLL_EDGE
    } else if pointer.y > viewport.bottom() - AUTO_SCROLL_EDGE {
        -(pointer.y - (viewport.bottom() - AUTO_SCROLL_EDGE)) / AUTO_SCROLL_EDGE
    } else {
        0.0
    };
    if speed != 0.0 {
        // Immediate, not animated: an animation restarted every frame would barely move.
        ui.scroll_with_delta_animation(
            vec2(0.0, speed.clamp(-1.0, 1.0) * AUTO_SCROLL_SPEED),
            egui::style::ScrollAnimation::none(),
        );
        ui.ctx().request_repaint();
    }
}
