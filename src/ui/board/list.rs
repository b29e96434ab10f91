//! The backlog as one ordered table, for refinement sessions: every card of the workflow in board
//! order (column by column, top to bottom), reordered by dragging rows or from the keyboard.
//!
//! Moves follow the same rule as the board: a row lands directly below the visible row above it, in
//! that row's column, so moving across a status boundary changes the item's status.
//!
//! A click on a column's header sorts the list by it for reading ([`super::list_order`]); while it is
//! sorted, a move is refused in a sentence, since its place in the sorted list would not show it.

use crate::ui::shortcuts;
use egui::accesskit::Role;
use egui::{Align, Key, Layout, Modifiers, Order, Pos2, Rect, RichText, Sense, Stroke, Ui, UiBuilder, vec2};
use egui_extras::{Column as TableColumn, TableBuilder};

use super::BoardState;
use super::card_menu::card_menus_ui;
use super::list_order::{ListOrder, ListSort};
use crate::app::{Command, ItemCommand};
use crate::model::MoveTarget;
use crate::model::{ColumnId, ItemId, Workspace};
use crate::ui::UiAction;
use crate::ui::theme;
use crate::ui::widgets::card::card_description;

/// Height of a row, from the body text size.
fn row_height(ui: &Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) + 12.0
}

/// Draws the list; `rows` are the visible items in board order.
pub(super) fn backlog_list_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    let rows = state.list_rows(workspace);
    list_keyboard_ui(ui, &rows, state, actions);
    // One line either way, so that the table does not jump when a sort begins or ends (a second
    // click on a header then lands on the header, not on what took its place).
    ui.horizontal(|ui| {
        ui.set_min_height(ui.spacing().interact_size.y);
        if let Some(order) = state.list_sorting() {
            ui.label(format!(
                "ℹ Sorting by {}, {}… The list keeps its last order until then.",
                order.by.label(),
                order.by.direction_words(order.descending)
            ));
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(16));
        } else if let Some(order) = state.list_order {
            ui.label(format!(
                "ℹ {}. The board's order is unchanged; cards are moved in the board's order.",
                order.words()
            ));
            if ui.button("Board order").on_hover_text("Show the list in the board's order again").clicked() {
                state.list_order = None;
            }
        } else {
            ui.label(
                RichText::new("In the board's order. Click a column's title to sort the list by it, for reading.")
                    .weak(),
            );
        }
    });

    let pointer = ui.ctx().pointer_latest_pos();
    let released = ui.input(|input| input.pointer.primary_released());
    let height = row_height(ui);
    let mut row_rects: Vec<(usize, Rect)> = Vec::new();
    let mut body_clip = Rect::NOTHING;
    // Screen readers get a table: rows of cells under a named table, the header row as column headers,
    // and each row's index in the whole list (only the rows in view are drawn).
    let table_scope = UiBuilder::new().accessibility_role(Role::Table).accessibility_label("Backlog list");
    ui.scope_builder(table_scope, |ui| {
        let table_id = ui.unique_id();
        ui.ctx().accesskit_node_builder(table_id, |node| {
            node.set_row_count(rows.len() + 1);
            node.set_column_count(HEADERS.len());
        });
        list_table_ui(
            ui,
            &ListTable { rows: &rows, table_id, height, left: ui.max_rect().left(), width: ui.available_width() },
            workspace,
            state,
            actions,
            &mut row_rects,
            &mut body_clip,
        );
    });

    if let (Some(items), Some(pointer)) = (state.drag_items().map(<[ItemId]>::to_vec), pointer) {
        list_drop_ui(
            ui,
            &ListDrop { rows: &rows, row_rects: &row_rects, table_rect: body_clip, items, pointer, released },
            state,
            actions,
        );
    }
}

/// The column titles of the list.
const HEADERS: [&str; 10] = ["#", "Title", "Kind", "Status", "Points", "WSJF", "RICE", "MoSCoW", "Epic", "Sprint"];

/// Why a card cannot be moved while the list is sorted.
fn sorted_move_refusal(order: ListOrder) -> String {
    format!(
        "The list is sorted by {}, so a card is not moved here: its new place would not show. Choose Board order \
         above the list (or click #), then move it.",
        order.by.label()
    )
}

/// The order a click on a column's header asks for: the board's (`None`) or a sort.
struct HeaderClick(Option<ListOrder>);

/// A column's header: a button that sorts the list by it ("#" goes back to the board's order), with
/// an arrow on the column sorted by, and the sort's direction for screen readers on the header cell.
fn header_cell_ui(ui: &mut Ui, row_id: egui::Id, column: usize, state: &mut BoardState) {
    let current = state.list_order;
    let builder = UiBuilder::new().accessibility_parent(row_id).accessibility_role(Role::ColumnHeader);
    let cell = ui.scope_builder(builder, |ui| header_button_ui(ui, column, current));
    let direction = current.filter(|order| ListSort::ALL.get(column.wrapping_sub(1)) == Some(&order.by));
    ui.ctx().accesskit_node_builder(cell.response.id, |node| {
        node.set_column_index(column);
        match direction {
            Some(order) if order.descending => node.set_sort_direction(egui::accesskit::SortDirection::Descending),
            Some(_) => node.set_sort_direction(egui::accesskit::SortDirection::Ascending),
            None => {}
        }
    });
    if let Some(HeaderClick(order)) = cell.inner {
        state.list_order = order;
    }
}

fn header_button_ui(ui: &mut Ui, column: usize, current: Option<ListOrder>) -> Option<HeaderClick> {
    let Some(by) = column.checked_sub(1).and_then(|index| ListSort::ALL.get(index).copied()) else {
        let button = egui::Button::new(RichText::new(HEADERS[0]).strong()).frame_when_inactive(false);
        let response = ui.add(button).on_hover_text("Show the list in the board's order");
        return response.clicked().then_some(HeaderClick(None));
    };
    let active = current.filter(|order| order.by == by);
    let text = match active {
        Some(order) if order.descending => format!("{} ⬇", by.label()),
        Some(_) => format!("{} ⬆", by.label()),
        None => by.label().to_owned(),
    };
    let response = ui.add(egui::Button::new(RichText::new(text).strong()).frame_when_inactive(false));
    // Named by its column alone (the arrow is not read out); the header says how it is sorted.
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, by.label()));
    let next = ListOrder::after_click(current, by);
    let response = response.on_hover_text(format!("{}; the board's order is unchanged", next.words()));
    response.clicked().then_some(HeaderClick(Some(next)))
}

/// What the table needs besides the workspace and the board state.
struct ListTable<'a> {
    rows: &'a [(ItemId, ColumnId)],
    table_id: egui::Id,
    height: f32,
    /// Where rows start and how wide they are, for the row nodes' bounds.
    left: f32,
    width: f32,
}

/// A row of the accessible table: a node with the row role under the table, for the cells to sit in.
fn row_node(
    ui: &mut Ui,
    table: &ListTable<'_>,
    salt: impl std::hash::Hash + std::fmt::Debug,
    index: usize,
) -> egui::Id {
    let bounds = Rect::from_min_size(Pos2::new(table.left, ui.max_rect().top()), vec2(table.width, table.height));
    let builder = UiBuilder::new()
        .id_salt(salt)
        .accessibility_parent(table.table_id)
        .accessibility_role(Role::Row)
        .max_rect(bounds);
    let id = ui.new_child(builder).unique_id();
    ui.ctx().accesskit_node_builder(id, |node| {
        node.set_row_index(index);
        node.set_bounds(egui::accesskit::Rect {
            x0: bounds.min.x.into(),
            y0: bounds.min.y.into(),
            x1: bounds.max.x.into(),
            y1: bounds.max.y.into(),
        });
    });
    id
}

/// One cell of the accessible table, inside the row node `row_id`.
fn table_cell<R>(
    ui: &mut Ui,
    row_id: egui::Id,
    role: Role,
    column: usize,
    add_contents: impl FnOnce(&mut Ui) -> R,
) -> R {
    let builder = UiBuilder::new().accessibility_parent(row_id).accessibility_role(role);
    let response = ui.scope_builder(builder, add_contents);
    ui.ctx().accesskit_node_builder(response.response.id, |node| node.set_column_index(column));
    response.inner
}

/// The table itself: the header and the visible rows.
fn list_table_ui(
    ui: &mut Ui,
    list: &ListTable<'_>,
    workspace: &Workspace,
    state: &mut BoardState,
    actions: &mut Vec<UiAction>,
    row_rects: &mut Vec<(usize, Rect)>,
    body_clip: &mut Rect,
) {
    let ListTable { rows, height, .. } = *list;
    let card_ids = ui.make_persistent_id("board-cards");
    let mut table = TableBuilder::new(ui)
        .id_salt("backlog-list")
        .striped(true)
        .sense(Sense::click_and_drag())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(TableColumn::exact(76.0))
        .column(TableColumn::remainder().at_least(240.0).clip(true))
        .column(TableColumn::exact(96.0))
        .column(TableColumn::exact(110.0))
        // Wide enough for the title and the sort's arrow.
        .column(TableColumn::exact(72.0))
        .column(TableColumn::exact(72.0))
        .column(TableColumn::exact(76.0))
        .column(TableColumn::exact(100.0))
        .column(TableColumn::initial(170.0).clip(true))
        .column(TableColumn::exact(90.0));
    if let Some(index) = state.reveal.and_then(|item_id| rows.iter().position(|(id, _)| *id == item_id)) {
        table = table.scroll_to_row(index, None);
    }
    table
        .header(height, |mut header| {
            let mut row_id = None;
            for column in 0..HEADERS.len() {
                header.col(|ui| {
                    let row_id = *row_id.get_or_insert_with(|| row_node(ui, list, "list-header", 0));
                    header_cell_ui(ui, row_id, column, state);
                });
            }
        })
        .body(|mut body| {
            *body_clip = body.ui_mut().clip_rect();
            if state.list_scroll != 0.0 {
                body.ui_mut()
                    .scroll_with_delta_animation(vec2(0.0, state.list_scroll), egui::style::ScrollAnimation::none());
                state.list_scroll = 0.0;
            }
            body.rows(height, rows.len(), |mut row| {
                let index = row.index();
                let Some(&(item_id, column_id)) = rows.get(index) else {
                    return;
                };
                let Some(item) = workspace.item(item_id) else {
                    return;
                };
                let moving = state.drag_items().is_some_and(|items| items.contains(&item_id));
                row.set_selected(state.selected == Some(item_id) || state.group.contains(&item_id));
                let mut menu_response = None;
                let mut row_id = egui::Id::NULL;
                row.col(|ui| {
                    row_id = row_node(ui, list, ("list-row", item_id.0), index + 1);
                    table_cell(ui, row_id, Role::Cell, 0, |ui| {
                        let button = egui::Button::new("⋯").frame_when_inactive(false).min_size(vec2(28.0, 24.0));
                        let menu = ui.push_id(("list-actions", item_id.0), |ui| ui.add(button)).inner;
                        menu.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Actions for {}", item.title))
                        });
                        ui.label(RichText::new((index + 1).to_string()).weak());
                        menu_response = Some(menu);
                    });
                });
                let mut title_response = None;
                row.col(|ui| {
                    table_cell(ui, row_id, Role::Cell, 1, |ui| {
                        let rect = ui.max_rect();
                        let response = ui.interact(rect, card_ids.with(item_id.0), Sense::click_and_drag());
                        let selected = state.selected == Some(item_id);
                        response.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::Button,
                                true,
                                selected,
                                card_description(item, workspace, None),
                            )
                        });
                        let text = if moving {
                            RichText::new(&item.title).weak()
                        } else {
                            RichText::new(&item.title).strong()
                        };
                        ui.add(egui::Label::new(text).truncate().selectable(false));
                        if response.has_focus() {
                            ui.painter().rect_stroke(
                                rect.shrink(1.0),
                                3.0,
                                Stroke::new(2.0, ui.visuals().selection.stroke.color),
                                egui::StrokeKind::Inside,
                            );
                        }
                        title_response = Some(response);
                    });
                });
                detail_cells(&mut row, row_id, item, column_id, workspace);
                let row_response = row.response();
                row_rects.push((index, row_response.rect));
                let Some(title) = title_response else {
                    return;
                };

                if state.focus == Some(item_id) {
                    title.request_focus();
                    state.focus = None;
                }
                if title.gained_focus() || menu_response.as_ref().is_some_and(egui::Response::gained_focus) {
                    title.scroll_to_me(None);
                }
                if title.has_focus() {
                    title.ctx.memory_mut(|memory| {
                        memory.set_focus_lock_filter(
                            title.id,
                            egui::EventFilter {
                                horizontal_arrows: true,
                                vertical_arrows: true,
                                tab: false,
                                escape: true,
                            },
                        );
                    });
                }
                let response = title.union(row_response);
                if let Some(menu) = &menu_response {
                    card_menus_ui(&response, menu, item_id, workspace, state, actions);
                }
                if response.drag_started()
                    && let Some(order) = state.list_order
                {
                    actions.push(UiAction::Say(sorted_move_refusal(order)));
                } else if response.drag_started()
                    && let Some(pointer) = response.interact_pointer_pos()
                {
                    state.start_drag(workspace, item_id, pointer - response.rect.min);
                } else if response.clicked() {
                    state.group.clear();
                    actions.push(UiAction::EditItem(item_id));
                }
            });
        });
}

/// Up / Down select rows; Ctrl + Up / Down / Home / End move the selected row, crossing status
/// boundaries like the board does.
fn list_keyboard_ui(ui: &Ui, rows: &[(ItemId, ColumnId)], state: &mut BoardState, actions: &mut Vec<UiAction>) {
    let ctx = ui.ctx();
    if state.is_dragging() || ctx.text_edit_focused() || egui::Popup::is_any_open(ctx) {
        return;
    }
    let pressed = |modifiers: Modifiers, key: Key| ctx.input_mut(|input| input.consume_key(modifiers, key));
    let chord = |shortcut: egui::KeyboardShortcut| pressed(shortcut.modifiers, shortcut.logical_key);
    let Some(index) = state.selected.and_then(|selected| rows.iter().position(|(id, _)| *id == selected)) else {
        if [Key::ArrowUp, Key::ArrowDown].into_iter().any(|key| pressed(Modifiers::NONE, key))
            && let Some(&(first, _)) = rows.first()
        {
            super::select_by_key(ctx, state, first);
        }
        return;
    };
    let Some(&(item_id, _)) = rows.get(index) else {
        return;
    };
    if let Some(order) = state.list_order {
        let moves = [shortcuts::MOVE_UP, shortcuts::MOVE_DOWN, shortcuts::MOVE_TOP, shortcuts::MOVE_BOTTOM];
        if moves.into_iter().any(chord) {
            actions.push(UiAction::Say(sorted_move_refusal(order)));
            return;
        }
    }
    let target = if chord(shortcuts::MOVE_UP) && index > 0 {
        rows.get(index - 1).map(|&(_, column_id)| {
            let after = index
                .checked_sub(2)
                .and_then(|above| rows.get(above))
                .filter(|(_, above_column)| *above_column == column_id)
                .map(|(id, _)| *id);
            MoveTarget { column_id, after_item: after }
        })
    } else if chord(shortcuts::MOVE_DOWN) {
        rows.get(index + 1).map(|&(below, column_id)| MoveTarget { column_id, after_item: Some(below) })
    } else if chord(shortcuts::MOVE_TOP) && index > 0 {
        rows.first().map(|&(_, column_id)| MoveTarget { column_id, after_item: None })
    } else if chord(shortcuts::MOVE_BOTTOM) {
        rows.iter()
            .rev()
            .find(|(id, _)| *id != item_id)
            .map(|&(last, column_id)| MoveTarget { column_id, after_item: Some(last) })
    } else {
        None
    };
    if let Some(target) = target {
        actions.push(UiAction::Apply(Command::Item(ItemCommand::Move { item_id, target })));
        state.focus = Some(item_id);
        state.reveal = Some(item_id);
        return;
    }
    let next = if pressed(Modifiers::NONE, Key::ArrowUp) {
        index.checked_sub(1).and_then(|above| rows.get(above))
    } else if pressed(Modifiers::NONE, Key::ArrowDown) {
        rows.get(index + 1)
    } else if pressed(Modifiers::NONE, Key::Home) {
        rows.first()
    } else if pressed(Modifiers::NONE, Key::End) {
        rows.last()
    } else {
        None
    };
    if let Some(&(next, _)) = next {
        super::select_by_key(ctx, state, next);
    }
}

/// Where a dragged row is over the list, when the pointer is released or not.
struct ListDrop<'a> {
    rows: &'a [(ItemId, ColumnId)],
    row_rects: &'a [(usize, Rect)],
    table_rect: Rect,
    items: Vec<ItemId>,
    pointer: Pos2,
    released: bool,
}

/// The drop line under a dragged row, the move when it is released, and auto-scroll near the edges.
fn list_drop_ui(ui: &Ui, drop: &ListDrop<'_>, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    let ListDrop { rows, row_rects, table_rect, ref items, pointer, released } = *drop;
    if !table_rect.contains(pointer) {
        if released {
            state.cancel_drag();
        }
        return;
    }
    let slot = row_rects
        .iter()
        .find(|(_, rect)| rect.center().y > pointer.y)
        .map_or_else(|| row_rects.last().map_or(0, |(index, _)| index + 1), |(index, _)| *index);
    let line_y = row_rects
        .iter()
        .find(|(index, _)| *index == slot)
        .map_or_else(|| row_rects.last().map_or(table_rect.top(), |(_, rect)| rect.bottom()), |(_, rect)| rect.top());
    let line_painter =
        ui.ctx().layer_painter(egui::LayerId::new(Order::Foreground, ui.make_persistent_id("list-drop-line")));
    let accent = ui.visuals().selection.stroke.color;
    line_painter.line_segment(
        [Pos2::new(table_rect.left(), line_y), Pos2::new(table_rect.right(), line_y)],
        Stroke::new(3.0, accent),
    );
    if released {
        let above = rows.get(..slot).and_then(|above| above.iter().rev().find(|(id, _)| !items.contains(id))).copied();
        let first_other = rows.iter().find(|(id, _)| !items.contains(id)).map(|&(_, column_id)| column_id);
        let target = if let Some((after, column_id)) = above {
            MoveTarget { column_id, after_item: Some(after) }
        } else if let Some(column_id) = first_other {
            MoveTarget { column_id, after_item: None }
        } else {
            state.cancel_drag();
            return;
        };
        let command = if items.len() > 1 {
            Command::Item(ItemCommand::MoveMany { item_ids: items.clone(), target })
        } else {
            Command::Item(ItemCommand::Move { item_id: items.first().copied().unwrap_or(ItemId(0)), target })
        };
        actions.push(UiAction::Apply(command));
        state.reveal = items.first().copied();
        state.cancel_drag();
        return;
    }
    // Auto-scroll near the top and bottom edges.
    let edge = 40.0;
    let delta = if pointer.y < table_rect.top() + edge {
        (table_rect.top() + edge - pointer.y) / edge
    } else if pointer.y > table_rect.bottom() - edge {
        -(pointer.y - (table_rect.bottom() - edge)) / edge
    } else {
        0.0
    };
    if delta != 0.0 {
        // Applied inside the table's scroll area on the next frame.
        state.list_scroll = delta.clamp(-1.0, 1.0) * 14.0;
        ui.ctx().request_repaint();
    }
}

/// The cells after the title: kind, status, points, scores, MoSCoW, epic and sprint.
fn detail_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    row_id: egui::Id,
    item: &crate::model::BacklogItem,
    column_id: ColumnId,
    workspace: &Workspace,
) {
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 2, |ui| {
            ui.label(
                RichText::new(format!("{} {}", theme::kind_icon(item.kind), item.kind.label()))
                    .color(theme::kind_colour(item.kind, ui.visuals())),
            );
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 3, |ui| {
            ui.label(workspace.column(column_id).map_or("", |column| column.name.as_str()));
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 4, |ui| {
            ui.label(item.points.map_or_else(String::new, |points| format!("{points}")));
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 5, |ui| {
            ui.label(item.wsjf().map_or_else(String::new, |score| format!("{score:.1}")));
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 6, |ui| {
            ui.label(item.rice().map_or_else(String::new, |score| crate::model::grouped_number(score, 0)));
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 7, |ui| {
            ui.label(item.details.moscow.map_or("", crate::model::Moscow::label));
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 8, |ui| {
            if let Some(epic) = item.epic_id.and_then(|epic_id| workspace.epic(epic_id)) {
                ui.label(
                    RichText::new(format!("♦ {}", epic.title))
                        .color(theme::epic_text_colour(epic.colour, ui.visuals())),
                );
            }
        });
    });
    row.col(|ui| {
        table_cell(ui, row_id, Role::Cell, 9, |ui| {
            ui.label(item.sprint_id.and_then(|id| workspace.sprint(id)).map_or("", |sprint| sprint.name.as_str()));
        });
    });
}
