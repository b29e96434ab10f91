//! One column of cards (or one cell of a swimlane): its header and menu, the visible cards, and the drop
//! line while a card is dragged over it.

use super::card_menu::card_menus_ui;
use super::{AUTO_SCROLL_EDGE, AUTO_SCROLL_SPEED, BoardState, CellIds, Drag};
use crate::app::{ColumnCommand, Command, ItemCommand, PriorityScore};
use crate::interchange::convert::plural;
use crate::model::MoveTarget;
use crate::model::{Column, ColumnId, EpicId, ItemId, Workspace};
use crate::ui::UiAction;
use crate::ui::theme;
use crate::ui::widgets::card::{CardLook, CardResponse, card_height, card_ui};
use egui::{Frame, Order, Pos2, Rect, RichText, ScrollArea, Stroke, TextStyle, Ui, pos2, vec2};

/// What a column needs from the board beyond the workspace and state.
#[derive(Clone, Copy)]
pub(super) struct ColumnContext {
    pub(super) width: f32,
    pub(super) board_rect: Rect,
    pub(super) pointer: Option<Pos2>,
    pub(super) released: bool,
    /// The base of every card's id: a card keeps its id (and its focus) when it changes column.
    pub(super) card_ids: egui::Id,
    /// This column's index and the number of columns.
    pub(super) place: (usize, usize),
}

/// Draws one column; returns whether one of its cards has keyboard focus.
/// A swimlane: one epic's cards, or the cards without an epic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lane {
    /// The cards of this epic.
    Epic(EpicId),
    /// The cards without an epic.
    NoEpic,
}

impl Lane {
    pub(super) fn new(epic_id: Option<EpicId>) -> Self {
        epic_id.map_or(Self::NoEpic, Self::Epic)
    }

    pub(super) fn epic_id(self) -> Option<EpicId> {
        match self {
            Self::Epic(epic_id) => Some(epic_id),
            Self::NoEpic => None,
        }
    }
}

/// One cell of the board: a column, or a column within one epic's swimlane.
pub(super) struct Cell<'w> {
    /// The cards it shows, in order.
    pub(super) ids: CellIds<'w>,
    /// The swimlane it belongs to, if the board is split into lanes.
    pub(super) lane: Option<Lane>,
    /// Whether to draw the column's header above the cards.
    pub(super) header: bool,
    /// The height of the card list; `None` fills the column.
    pub(super) height: Option<f32>,
}

impl Cell<'_> {
    pub(super) fn key(&self, column_id: ColumnId) -> (ColumnId, i64) {
        let lane = match self.lane {
            None => -2,
            Some(Lane::NoEpic) => -1,
            Some(Lane::Epic(epic_id)) => epic_id.0,
        };
        (column_id, lane)
    }
}

pub(super) fn column_ui(
    ui: &mut Ui,
    column: &Column,
    cell: Cell<'_>,
    workspace: &Workspace,
    state: &mut BoardState,
    context: ColumnContext,
    actions: &mut Vec<UiAction>,
) -> bool {
    let all_count = workspace.column_size(column.column_id);
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
                    if context.place.0 == 0 && workspace.item_count() == 0 {
                        // An empty plan says where its first items come from.
                        let keys = ui.ctx().format_shortcut(&crate::ui::shortcuts::NEW_ITEM);
                        ui.label(
                            RichText::new(format!(
                                "Nothing on the board yet. Add an item here or with + New item ({keys}), or bring in a Trello board or a Jira export with File ▸ Import… (or drop the file on the window)."
                            ))
                            .weak(),
                        );
                    }
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
                    for (index, &item_id) in ids.iter().enumerate().take(range.end).skip(range.start) {
                        let Some(item) = workspace.item(item_id) else {
                            continue;
                        };
                        let look = CardLook {
                            selected: state.selected == Some(item_id) || state.group.contains(&item_id),
                            placeholder: state.drag.as_ref().is_some_and(|drag| drag.items.contains(&item_id)),
                            // Within a swimlane cell the count would not be the column's: the column is said.
                            // On a first screen the column holds more cards than are read yet.
                            place: lane.is_none().then_some((
                                index,
                                if workspace.is_first_screen() { all_count } else { ids.len() },
                            )),
                            changed: state.changes.get(&item_id).copied(),
                            today: state.today,
                        };
                        let id = context.card_ids.with(item_id.0);
                        let CardResponse { card: response, menu } = card_ui(ui, id, item, workspace, look, card_width);
                        card_menus_ui(&response, &menu, item_id, workspace, state, actions);
                        // Tab or Shift+Tab onto a card half out of view scrolls it in.
                        if response.gained_focus() || menu.gained_focus() {
                            response.scroll_to_me(None);
                        }
                        if state.focus == Some(item_id) {
                            response.request_focus();
                            state.focus = None;
                        }
                        if response.has_focus() || menu.has_focus() {
                            card_focused = true;
                        }
                        if response.has_focus() {
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
                if output.state.clamped_offset().y > 0.5 {
                    shade_top_edge(ui, output.inner_rect);
                }
            });
        },
    );
    card_focused
}

/// A shadow along the top of a column scrolled down: without it, a card that happens to sit flush with
/// the top edge reads as the column's first, and the cards above it as gone.
fn shade_top_edge(ui: &Ui, viewport: Rect) {
    const DEPTH: u8 = 10;
    let painter = ui.painter_at(viewport);
    for step in 0..DEPTH {
        let alpha = 70 - u16::from(step) * 7;
        let band =
            Rect::from_min_size(pos2(viewport.left(), viewport.top() + f32::from(step)), vec2(viewport.width(), 1.0));
        painter.rect_filled(band, 0.0, theme::scroll_shade(u8::try_from(alpha).unwrap_or(0)));
    }
}

pub(super) fn column_header_ui(
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
        let name = ui.label(RichText::new(&column.name).text_style(TextStyle::Heading).strong());
        crate::ui::widgets::a11y::mark_heading(ui, &name, &column.name);
        let text = match column.wip_limit {
            Some(limit) => format!("{} / {limit}", crate::ui::widgets::count(count)),
            None => crate::ui::widgets::count(count),
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
pub(super) struct Drop<'a> {
    pub(super) column: &'a Column,
    pub(super) lane: Option<Lane>,
    pub(super) released: bool,
}

/// Where a column's rows are on screen.
#[derive(Clone, Copy)]
pub(super) struct DropGeometry {
    /// The visible part of the column's list.
    pub(super) viewport: Rect,
    /// The top of row 0 (above the viewport when scrolled).
    pub(super) content_top: f32,
    /// Card height plus the gap.
    pub(super) pitch: f32,
}

/// The column's menu: settings, place, ordering by score, deletion.
pub(super) fn column_menu_ui(
    ui: &mut Ui,
    column: &Column,
    place: (usize, usize),
    count: usize,
    actions: &mut Vec<UiAction>,
) {
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
    let archive = ui.add_enabled(count > 0, egui::Button::new(format!("Archive its {}", plural(count, "card"))));
    if archive.clicked() {
        actions.push(UiAction::ArchiveColumn(column.column_id));
    }
    archive.on_hover_text("Done work leaves the board and still counts in the delivery charts; Ctrl+Z brings it back");
    let delete = ui.add_enabled(count == 0, egui::Button::new("Delete column"));
    if count > 0 {
        delete.on_disabled_hover_text(format!("Move its {} to another column first.", plural(count, "card")));
    } else if delete.clicked() {
        actions.push(UiAction::Apply(Command::Column(ColumnCommand::Delete(column.column_id))));
    }
}

/// While a card is dragged over this column: the drop line, auto-scroll near the edges, and on release
/// the move, placed right below the visible card above the line.
pub(super) fn drop_target_ui(
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
