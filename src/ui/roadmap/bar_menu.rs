//! The action menu of an epic bar: every change a drag can make, as menu entries, for people who cannot
//! or would rather not drag. It opens from the ⋯ button right of the bar, from a right click on the bar,
//! and from Shift+F10 or the Menu key on a focused bar.

use egui::{Button, Popup, Rect, Response, Sense, Stroke, StrokeKind, Ui, WidgetInfo, pos2, vec2};

use super::{DragMode, RoadmapState};
use crate::app::{Command, RoadmapCommand};
use crate::model::{Epic, days_between};
use crate::ui::widgets::window::open_window;
use crate::ui::{UiAction, shortcuts};

/// The ⋯ button right of a bar: a target of at least 24 × 24 points.
pub(super) const BUTTON: egui::Vec2 = vec2(28.0, 24.0);
/// The space between a bar and its ⋯ button.
pub(super) const BUTTON_GAP: f32 = 4.0;

/// Draws the ⋯ button beside `bar` and shows the bar's menus; `bar_response` is the bar itself.
pub(super) fn bar_menus_ui(
    ui: &mut Ui,
    bar_response: &Response,
    bar: Rect,
    epic: &Epic,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    let rect = Rect::from_min_size(pos2(bar.right() + BUTTON_GAP, bar.center().y - BUTTON.y / 2.0), BUTTON);
    let button = ui.interact(rect, bar_response.id.with("actions"), Sense::click());
    button.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, format!("Actions for epic {}", epic.title)));
    let popup_id = button.id.with("epic-actions");
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        let painter = ui.painter();
        if button.hovered() || Popup::is_id_open(ui.ctx(), popup_id) {
            painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
        }
        if button.has_focus() {
            painter.rect_stroke(rect, 4.0, Stroke::new(2.0, visuals.selection.stroke.color), StrokeKind::Inside);
        }
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "⋯",
            egui::TextStyle::Button.resolve(ui.style()),
            visuals.text_color(),
        );
    }
    let menu_key = (bar_response.has_focus() || button.has_focus())
        && ui.input_mut(|input| {
            input.consume_shortcut(&shortcuts::CARD_MENU) || input.consume_key(egui::Modifiers::NONE, egui::Key::Menu)
        });
    if menu_key {
        Popup::open_id(ui.ctx(), popup_id);
        button.request_focus();
        state.selected = Some(epic.epic_id);
    }
    Popup::menu(&button)
        .id(popup_id)
        .accessible_name(format!("Actions for epic {}", epic.title))
        .show(|ui| bar_menu_ui(ui, epic, state, actions));
    bar_response.context_menu(|ui| bar_menu_ui(ui, epic, state, actions));
}

/// The menu's entries.
fn bar_menu_ui(ui: &mut Ui, epic: &Epic, state: &mut RoadmapState, actions: &mut Vec<UiAction>) {
    ui.set_min_width(220.0);
    let mut chosen: Option<Epic> = None;
    if ui.button("Change dates and details…").clicked() {
        open_window(&mut state.editor, super::epic_editor::EpicEditor::edit(epic), actions);
        ui.close();
    }
    if ui.button("Show its items on the board").clicked() {
        actions.push(UiAction::ShowEpicOnBoard(epic.epic_id));
        ui.close();
    }
    ui.separator();
    let month_earlier = month_shift(epic, -1);
    let month_later = month_shift(epic, 1);
    for (label, mode, days) in [
        ("Move a week earlier", DragMode::Move, Some(-7)),
        ("Move a week later", DragMode::Move, Some(7)),
        ("Move a month earlier", DragMode::Move, month_earlier),
        ("Move a month later", DragMode::Move, month_later),
    ] {
        if ui.add_enabled(days.is_some(), Button::new(label)).clicked()
            && let Some(days) = days
        {
            chosen = Some(super::bars::moved(epic, mode, days));
        }
    }
    ui.separator();
    let can_shorten = days_between(epic.start_date, epic.end_date) >= 7;
    if ui.add_enabled(can_shorten, Button::new("End a week earlier")).clicked() {
        chosen = Some(super::bars::moved(epic, DragMode::End, -7));
    }
    if ui.button("End a week later").clicked() {
        chosen = Some(super::bars::moved(epic, DragMode::End, 7));
    }
    if let Some(changed) = chosen {
        actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateEpic(changed))));
        state.selected = Some(epic.epic_id);
        state.focus = Some(epic.epic_id);
        ui.close();
    }
}

/// The number of days that moves the epic's start by whole calendar months (31 Jan + 1 month is
/// 28 or 29 Feb), or `None` past the calendar's end.
fn month_shift(epic: &Epic, months: i64) -> Option<i64> {
    let shifted = epic.start_date.checked_add(jiff::Span::new().months(months)).ok()?;
    Some(days_between(epic.start_date, shifted))
}
