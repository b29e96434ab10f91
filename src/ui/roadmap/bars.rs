//! Epic bars: drawn with their progress, dragged to move or resize, moved by keyboard; lane headers; and
//! sketching a new epic along an empty stretch of a lane.

use std::fmt::Write as _;

use super::{
    BarDrag, DragMode, EDGE_GRIP, HEADER_HEIGHT, LANE_HEADER, Lane, RoadmapState, Scale, sketched_dates, snap_days,
    snapped,
};
use crate::app::{Command, RoadmapCommand};
use crate::model::{Epic, EpicId, ObjectiveId, add_days};
use crate::ui::widgets::window::open_window;
use crate::ui::{UiAction, theme};
use egui::{
    Align2, CursorIcon, EventFilter, Key, Modifiers, Pos2, Rect, Sense, Stroke, StrokeKind, TextStyle, Ui, WidgetInfo,
    pos2, vec2,
};

/// The empty stretch under a lane's bars: dragging along it sketches a new epic over the dragged
/// dates and opens the epic editor on them (in the lane's objective when lanes are objectives).
pub(super) fn sketch_ui(
    ui: &mut Ui,
    stretch: Rect,
    scale: &Scale,
    lane: &str,
    objective: Option<ObjectiveId>,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    let clip = ui.clip_rect();
    if stretch.bottom() < clip.top() + HEADER_HEIGHT || stretch.top() > clip.bottom() {
        return;
    }
    let id = ui.make_persistent_id(("new-epic-stretch", lane));
    let response = ui.interact(stretch.intersect(clip), id, Sense::drag());
    let name = if lane.is_empty() {
        "Empty stretch of the timeline: drag along it to sketch a new epic".to_owned()
    } else {
        format!("Empty stretch of the lane {lane}: drag along it to sketch a new epic")
    };
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Group, true, &name));
    let visuals = ui.visuals().clone();
    if response.hovered() && state.sketch.is_none() && state.drag.is_none() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
        if let Some(pointer) = response.hover_pos() {
            ui.painter().text(
                pos2(pointer.x + 12.0, stretch.center().y),
                Align2::LEFT_CENTER,
                "Drag to sketch a new epic",
                TextStyle::Small.resolve(ui.style()),
                visuals.weak_text_color(),
            );
        }
    }
    if response.drag_started()
        && let Some(press) = ui.input(|input| input.pointer.press_origin())
    {
        state.sketch = Some(press.x);
    }
    let (Some(origin), Some(pointer)) = (
        state.sketch.filter(|_| response.dragged() || response.drag_stopped()),
        response.interact_pointer_pos().or_else(|| ui.ctx().pointer_latest_pos()),
    ) else {
        return;
    };
    let snapping = !ui.input(|input| input.modifiers.shift);
    let (left, right) = (origin.min(pointer.x), origin.max(pointer.x));
    let (start, end) = sketched_dates(scale, left, right, snapping);
    let preview = Rect::from_x_y_ranges(
        scale.x_of(start)..=scale.x_of(add_days(end, 1)),
        stretch.shrink2(vec2(0.0, 6.0)).y_range(),
    );
    ui.painter().rect(
        preview,
        4.0,
        visuals.selection.bg_fill.gamma_multiply(0.5),
        Stroke::new(1.5, visuals.selection.stroke.color),
        egui::StrokeKind::Inside,
    );
    let words = format!("New epic: {} – {}", start.strftime("%-d %b"), end.strftime("%-d %b %Y"));
    ui.painter().text(
        preview.left_center() + vec2(6.0, 0.0),
        Align2::LEFT_CENTER,
        &words,
        TextStyle::Body.resolve(ui.style()),
        visuals.strong_text_color(),
    );
    if response.drag_stopped() {
        state.sketch = None;
        let mut editor = super::epic_editor::EpicEditor::new_epic(start);
        editor.draft.start_date = start;
        editor.draft.end_date = end;
        editor.draft.objective_id = objective;
        // A window with unsaved changes stays; a sketched epic is never the epic in it.
        if let Some(open) = state.editor.as_ref().filter(|open| open.is_dirty()) {
            actions.push(UiAction::Say(format!(
                "{} has changes that are not saved: save or cancel them in its window first, then sketch the new epic again.",
                crate::ui::widgets::window::capitalised(&open.what())
            )));
        } else {
            state.editor = Some(editor);
        }
    }
}

pub(super) fn bar_id(ui: &Ui, epic_id: EpicId) -> egui::Id {
    ui.make_persistent_id(("epic-bar", epic_id.0))
}

pub(super) fn bar_rect(epic: &Epic, scale: &Scale, row: Rect) -> Rect {
    let left = scale.x_of(epic.start_date);
    let right = scale.x_of(add_days(epic.end_date, 1)).max(left + 4.0);
    Rect::from_min_max(pos2(left, row.top() + 5.0), pos2(right, row.bottom() - 5.0))
}

/// The epic's dates after a drag or key press of `days` in `mode`; never ends before it starts.
pub(super) fn moved(epic: &Epic, mode: DragMode, days: i64) -> Epic {
    let mut epic = epic.clone();
    match mode {
        DragMode::Move => {
            epic.start_date = add_days(epic.start_date, days);
            epic.end_date = add_days(epic.end_date, days);
        }
        DragMode::Start => epic.start_date = add_days(epic.start_date, days).min(epic.end_date),
        DragMode::End => epic.end_date = add_days(epic.end_date, days).max(epic.start_date),
    }
    epic
}

pub(super) fn span_text(epic: &Epic) -> String {
    format!("{} – {}", epic.start_date.strftime("%-d %b %Y"), epic.end_date.strftime("%-d %b %Y"))
}

/// An epic's bar with its title, menu and keyboard and pointer handling; says whether its title went
/// beside the bar (too short for it) rather than on it.
pub(super) fn epic_bar_ui(
    ui: &mut Ui,
    epic: &Epic,
    bar: Rect,
    scale: &Scale,
    conflicts: &[crate::model::Conflict],
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) -> bool {
    let id = bar_id(ui, epic.epic_id);
    let response = ui.interact(bar, id, Sense::click_and_drag());
    if state.focus == Some(epic.epic_id) {
        response.request_focus();
        state.focus = None;
    }
    if response.gained_focus() {
        response.scroll_to_me(None);
    }
    let shift = ui.input(|input| input.modifiers.shift);

    // Dragging: the mode comes from where the drag started.
    // The press point, not where the pointer was when the drag was recognised, decides the mode and
    // the distance.
    if response.drag_started()
        && let Some(pointer) =
            ui.input(|input| input.pointer.press_origin()).or_else(|| response.interact_pointer_pos())
    {
        let mode = if bar.width() > EDGE_GRIP * 3.0 && pointer.x <= bar.left() + EDGE_GRIP {
            DragMode::Start
        } else if bar.width() > EDGE_GRIP * 3.0 && pointer.x >= bar.right() - EDGE_GRIP {
            DragMode::End
        } else {
            DragMode::Move
        };
        state.drag = Some(BarDrag { epic_id: epic.epic_id, mode, origin_x: pointer.x, days: 0 });
        state.drag_cancelled = false;
        state.selected = Some(epic.epic_id);
        response.request_focus();
    }
    let mut shown = epic.clone();
    if let Some(drag) = state.drag.as_mut().filter(|drag| drag.epic_id == epic.epic_id) {
        if let Some(pointer) = ui.input(|input| input.pointer.interact_pos()) {
            drag.days = snapped((pointer.x - drag.origin_x) / scale.points_per_day, scale.points_per_day, !shift);
        }
        shown = moved(epic, drag.mode, drag.days);
        let sign = if drag.days >= 0 { "+" } else { "−" };
        let tip = format!(
            "{}\n{sign}{} days{}",
            span_text(&shown),
            drag.days.abs(),
            if shift { "" } else { " (Shift: no snapping)" }
        );
        egui::Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), id.with("drag-tip"), egui::PopupAnchor::Pointer)
            .gap(14.0)
            .show(|ui| ui.label(tip));
        if response.drag_stopped() || !ui.input(|input| input.pointer.any_down()) {
            let (mode, days) = (drag.mode, drag.days);
            state.drag = None;
            if days != 0 {
                actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateEpic(moved(epic, mode, days)))));
            }
        }
    }
    if state.drag_cancelled && !ui.input(|input| input.pointer.any_down()) {
        state.drag_cancelled = false;
    }
    if response.hovered() && state.drag.is_none() {
        let cursor = match ui.input(|input| input.pointer.hover_pos()) {
            Some(pointer)
                if bar.width() > EDGE_GRIP * 3.0
                    && (pointer.x <= bar.left() + EDGE_GRIP || pointer.x >= bar.right() - EDGE_GRIP) =>
            {
                CursorIcon::ResizeHorizontal
            }
            _ => CursorIcon::Grab,
        };
        ui.ctx().set_cursor_icon(cursor);
    } else if state.drag.is_some_and(|drag| drag.epic_id == epic.epic_id) {
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }
    if response.clicked() {
        state.selected = Some(epic.epic_id);
        response.request_focus();
    }
    if response.double_clicked() {
        open_window(&mut state.editor, super::epic_editor::EpicEditor::edit(epic), actions);
    }

    // Keyboard twin of the drag.
    if response.has_focus() {
        bar_keyboard_ui(ui, epic, scale, id, state, actions);
    }

    // Painting.
    let visuals = ui.visuals().clone();
    let bar = Rect::from_min_max(
        pos2(scale.x_of(shown.start_date), bar.top()),
        pos2(scale.x_of(add_days(shown.end_date, 1)).max(scale.x_of(shown.start_date) + 4.0), bar.bottom()),
    );
    let colour = theme::epic_colour(epic.colour);
    let (done, total) = state.derived.points.get(&epic.epic_id).copied().unwrap_or_default();
    let progress = if total > 0.0 { (done / total).clamp(0.0, 1.0) } else { 0.0 };
    let painter = ui.painter();
    painter.rect_filled(bar, 5.0, colour.gamma_multiply(0.25));
    #[expect(clippy::cast_possible_truncation, reason = "a share between 0 and 1")]
    let filled = Rect::from_min_max(bar.min, pos2(bar.left() + bar.width() * progress as f32, bar.bottom()));
    painter.rect_filled(filled, 5.0, colour.gamma_multiply(0.7));
    let in_conflict = conflicts.iter().any(|conflict| conflict.epic == epic.epic_id);
    let outline = if in_conflict { Stroke::new(2.5, theme::error_colour(&visuals)) } else { Stroke::new(1.5, colour) };
    painter.rect_stroke(bar, 5.0, outline, StrokeKind::Inside);
    if response.has_focus() || state.selected == Some(epic.epic_id) {
        painter.rect_stroke(
            bar.expand(3.0),
            7.0,
            Stroke::new(2.0, visuals.selection.stroke.color),
            StrokeKind::Outside,
        );
    }
    if bar.width() > EDGE_GRIP * 3.0 && (response.hovered() || response.has_focus()) {
        for x in [bar.left() + 3.0, bar.right() - 3.0] {
            painter.line_segment(
                [pos2(x, bar.top() + 6.0), pos2(x, bar.bottom() - 6.0)],
                Stroke::new(2.0, visuals.strong_text_color()),
            );
        }
    }
    let due = DueDates::of(state, epic.epic_id, shown.end_date);
    due.paint(ui, bar, scale);
    let percent = (progress * 100.0).round();
    let warning = if in_conflict { "⚠ " } else { "" };
    let changed = state.changes.get(&epic.epic_id).copied();
    let marker = changed.map_or_else(String::new, |word| format!("  ·  Δ {word}"));
    let text = format!("{warning}{}  ·  {percent:.0}% done{}{marker}", epic.title, due.on_bar());
    let galley = painter.layout_no_wrap(text, TextStyle::Body.resolve(ui.style()), visuals.strong_text_color());
    // On the bar when it fits; otherwise beside it, after its ⋯ button, rather than spilling over the
    // bar's edge and the button (a short epic, or the Quarters and Years zooms).
    let inside = galley.size().x + 16.0 <= bar.width();
    let left = if inside {
        bar.left() + 8.0
    } else {
        bar.right() + super::bar_menu::BUTTON_GAP + super::bar_menu::BUTTON.x + 6.0
    };
    let text_pos = Pos2::new(left, bar.center().y - galley.size().y / 2.0);
    painter.with_clip_rect(ui.clip_rect()).galley(text_pos, galley, visuals.strong_text_color());

    let label = format!(
        "Epic {}, {}, {percent:.0}% of {} points done{}{}{}",
        epic.title,
        span_text(&shown),
        crate::model::points_words(total),
        due.in_words(),
        if in_conflict { ", starts before an epic it depends on ends" } else { "" },
        changed.map_or_else(String::new, |word| format!(", {word} since the comparison"))
    );
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
    let due_list = due.list();
    super::bar_menu::bar_menus_ui(ui, &response, bar, epic, state, actions);
    if state.drag.is_none() {
        response.on_hover_text(format!(
            "{label}{due_list}\nDrag to move, drag an edge to resize (Shift: no snapping).\n←/→ move, Shift+←/→ change the end, Enter or double-click to edit, Shift+F10 or ⋯ for the menu."
        ));
    }
    !inside
}

/// The keyboard twin of a drag, on the focused bar: ←/→ move it one snap step, Shift+←/→ move its end,
/// Enter opens its editor.
fn bar_keyboard_ui(
    ui: &Ui,
    epic: &Epic,
    scale: &Scale,
    id: egui::Id,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    state.selected = Some(epic.epic_id);
    ui.memory_mut(|memory| {
        memory.set_focus_lock_filter(
            id,
            EventFilter { horizontal_arrows: true, vertical_arrows: false, tab: false, escape: false },
        );
    });
    let step = snap_days(scale.points_per_day);
    // Shift is read from each key event, not from the frame: a Shift+→ chord sent as one event (by
    // an assistive tool or a remote session) changes the end, as a held Shift does.
    let (extend_left, extend_right, left, right, enter) = ui.input_mut(|input| {
        let extend_left = input.consume_key(Modifiers::SHIFT, Key::ArrowLeft);
        let extend_right = input.consume_key(Modifiers::SHIFT, Key::ArrowRight);
        let left = input.consume_key(Modifiers::NONE, Key::ArrowLeft);
        let right = input.consume_key(Modifiers::NONE, Key::ArrowRight);
        let enter = input.consume_key(Modifiers::NONE, Key::Enter);
        (extend_left, extend_right, left, right, enter)
    });
    for (pressed, mode, days) in [
        (extend_left, DragMode::End, -step),
        (extend_right, DragMode::End, step),
        (left, DragMode::Move, -step),
        (right, DragMode::Move, step),
    ] {
        if pressed {
            actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateEpic(moved(epic, mode, days)))));
        }
    }
    if enter {
        open_window(&mut state.editor, super::epic_editor::EpicEditor::edit(epic), actions);
    }
}

pub(super) fn lane_header_ui(ui: &mut Ui, rect: Rect, y: f32, lane: &Lane<'_>, state: &mut RoadmapState) {
    let clip = ui.clip_rect();
    let header = Rect::from_min_size(pos2(clip.left(), y), vec2(clip.width().min(rect.width()), LANE_HEADER));
    let collapsed = state.collapsed.contains(&lane.title);
    let epics = crate::interchange::convert::plural(lane.epics.len(), "epic");
    let text = format!("{} {}  ({epics})", if collapsed { "▸" } else { "▾" }, lane.title);
    let response = ui.interact(header, ui.make_persistent_id(("lane", &lane.title)), Sense::click());
    let visuals = ui.visuals();
    ui.painter().rect_filled(header, 0.0, visuals.faint_bg_color);
    ui.painter().text(
        pos2(header.left() + 8.0, header.center().y),
        Align2::LEFT_CENTER,
        &text,
        TextStyle::Body.resolve(ui.style()),
        visuals.strong_text_color(),
    );
    let label = format!("Lane {}, {epics}, {}", lane.title, if collapsed { "collapsed" } else { "expanded" });
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        if collapsed {
            state.collapsed.remove(&lane.title);
        } else {
            state.collapsed.insert(lane.title.clone());
        }
    }
}

/// The due dates of an epic's open items, as its bar shows them: a small triangle on the bar's lower
/// edge at each date (amber when overdue, red past the epic's end), and words for each.
struct DueDates<'a> {
    dates: &'a [(crate::model::Date, String)],
    today: Option<crate::model::Date>,
    end: crate::model::Date,
}

impl<'a> DueDates<'a> {
    fn of(state: &'a RoadmapState, epic_id: EpicId, end: crate::model::Date) -> Self {
        let dates = state.derived.due.get(&epic_id).map_or(&[][..], Vec::as_slice);
        Self { dates, today: state.derived.today, end }
    }

    fn overdue(&self) -> usize {
        self.dates.iter().filter(|(due, _)| self.today.is_some_and(|today| *due < today)).count()
    }

    fn after_end(&self) -> usize {
        self.dates.iter().filter(|(due, _)| *due > self.end).count()
    }

    fn paint(&self, ui: &Ui, bar: Rect, scale: &Scale) {
        let visuals = ui.visuals();
        for (due, _) in self.dates {
            let x = scale.x_of(*due) + scale.points_per_day / 2.0;
            let colour = if *due > self.end {
                theme::error_colour(visuals)
            } else if self.today.is_some_and(|today| *due < today) {
                theme::warning_colour(visuals)
            } else {
                visuals.strong_text_color()
            };
            let (bottom, size) = (bar.bottom() - 1.0, 5.0);
            ui.painter().add(egui::Shape::convex_polygon(
                vec![pos2(x - size, bottom), pos2(x + size, bottom), pos2(x, bottom - size * 1.4)],
                colour,
                Stroke::new(1.0, visuals.panel_fill),
            ));
        }
    }

    /// What the bar's own text adds: the problems, in words.
    fn on_bar(&self) -> String {
        let mut out = String::new();
        if self.overdue() > 0 {
            let _ = write!(out, "  ·  ⚠ {} overdue", self.overdue());
        }
        if self.after_end() > 0 {
            let _ = write!(out, "  ·  ⚠ {} due after its end", self.after_end());
        }
        out
    }

    /// What the bar's accessible name adds.
    fn in_words(&self) -> String {
        if self.dates.is_empty() {
            return String::new();
        }
        let mut out =
            format!(", {} with a due date", crate::interchange::convert::plural(self.dates.len(), "open item"));
        if let Some((due, title)) = self.dates.iter().find(|(due, _)| self.today.is_none_or(|today| *due >= today)) {
            let _ = write!(out, ", next '{title}' due {}", due.strftime("%-d %b"));
        }
        if self.overdue() > 0 {
            let _ = write!(out, ", {} overdue", self.overdue());
        }
        if self.after_end() > 0 {
            let _ = write!(out, ", {} due after the epic ends", self.after_end());
        }
        out
    }

    /// The hover text's list: the first few due dates.
    fn list(&self) -> String {
        const SHOWN: usize = 6;
        let mut out = String::new();
        for (due, title) in self.dates.iter().take(SHOWN) {
            let note = if *due > self.end {
                " (after the epic ends)"
            } else if self.today.is_some_and(|today| *due < today) {
                " (overdue)"
            } else {
                ""
            };
            let _ = write!(out, "\n▲ Due {}: {title}{note}", due.strftime("%-d %b"));
        }
        if self.dates.len() > SHOWN {
            let _ = write!(out, "\n… and {} more", self.dates.len() - SHOWN);
        }
        out
    }
}
