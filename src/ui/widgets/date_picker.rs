//! A date field with a month calendar that screen readers and the keyboard can use: every day is a
//! button named by its whole date ("Thursday 3 December 2026"), the arrow keys move by a day or a
//! week, Page Up / Page Down by a month, Enter picks, Escape closes and gives the focus back.

use egui::accesskit::Role;
use egui::{Button, Id, Key, Modifiers, Popup, PopupCloseBehavior, RichText, SetOpenCommand, Ui, vec2};
use jiff::ToSpan as _;
use jiff::civil::Date;

/// What an open calendar remembers between frames.
#[derive(Clone, Copy, Debug)]
struct Calendar {
    /// The day the keyboard is on; its month is the one shown.
    cursor: Date,
    /// Move the focus to the cursor's day on the next frame.
    focus_cursor: bool,
}

/// What the user did in the calendar this frame.
enum Outcome {
    Pick(Date),
    Close,
}

/// A labelled date button that opens a calendar; the button says its date to screen readers too.
pub fn date_field(ui: &mut Ui, label: &str, date: &mut Date, id_salt: &str) -> egui::Response {
    let label_id = ui.label(label).id;
    date_button(ui, label_id, label, date, id_salt)
}

/// A labelled date that may be unset (an item's due date): the date button with a ✖ to clear it, or a
/// button to set it, starting from `suggested`. Returns whether the date changed.
pub fn optional_date_field(ui: &mut Ui, label: &str, date: &mut Option<Date>, id_salt: &str, suggested: Date) -> bool {
    let label_id = ui.label(label).id;
    let before = *date;
    ui.horizontal(|ui| {
        if let Some(day) = date.as_mut() {
            date_button(ui, label_id, label, day, id_salt);
            let clear = ui.button("✖").on_hover_text(format!("Clear the {}", label.to_lowercase()));
            clear.widget_info(|| {
                egui::WidgetInfo::labeled(Role::Button, true, format!("Clear the {}", label.to_lowercase()))
            });
            if clear.clicked() {
                *date = None;
            }
        } else {
            // The visible words first in the name, then which date it sets.
            let set = ui.button("Set a date…");
            set.widget_info(|| egui::WidgetInfo::labeled(Role::Button, true, format!("Set a date… ({label})")));
            if set.clicked() {
                *date = Some(suggested);
            }
        }
    });
    *date != before
}

/// The button of a date field labelled by `label_id`.
fn date_button(ui: &mut Ui, label_id: Id, field_name: &str, date: &mut Date, id_salt: &str) -> egui::Response {
    let id = ui.make_persistent_id(("date-field", id_salt));
    let mut calendar = ui.data(|data| data.get_temp::<Calendar>(id));
    let text = format!("{} 📆", date.strftime("%Y-%m-%d"));
    let mut response =
        ui.push_id(id_salt, |ui| ui.add(Button::new(text).selected(calendar.is_some()))).inner.labelled_by(label_id);
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_value(spoken_date(*date));
        node.set_has_popup(egui::accesskit::HasPopup::Dialog);
    });
    let opened_by_key =
        response.has_focus() && ui.input(|input| input.modifiers.alt && input.key_pressed(Key::ArrowDown));
    let popup_id = id.with("calendar");
    let toggle = response.clicked() || opened_by_key;
    if toggle && !Popup::is_id_open(ui.ctx(), popup_id) {
        calendar = Some(Calendar { cursor: *date, focus_cursor: true });
    }
    // An egui popup, so Escape and a click beside it close it (and not the editor it sits in).
    let shown = Popup::from_response(&response)
        .id(popup_id)
        .open_memory(toggle.then_some(SetOpenCommand::Toggle))
        .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
        .accessible_name(format!("Calendar for {field_name}"))
        .width(280.0)
        .show(|ui| calendar.as_mut().and_then(|open| calendar_ui(ui, id, open, *date)));
    let Some(shown) = shown else {
        ui.data_mut(|data| data.remove::<Calendar>(id));
        return response;
    };
    match shown.inner {
        Some(Outcome::Pick(picked)) => {
            if picked != *date {
                *date = picked;
                response.mark_changed();
            }
            Popup::close_id(ui.ctx(), popup_id);
            ui.data_mut(|data| data.remove::<Calendar>(id));
            response.request_focus();
        }
        Some(Outcome::Close) => {
            Popup::close_id(ui.ctx(), popup_id);
            ui.data_mut(|data| data.remove::<Calendar>(id));
            response.request_focus();
        }
        None => {
            if let Some(open) = calendar {
                ui.data_mut(|data| data.insert_temp(id, open));
            }
        }
    }
    response
}

/// A date as a screen reader says it: "Thursday 3 December 2026".
#[must_use]
pub fn spoken_date(date: Date) -> String {
    date.strftime("%A %-d %B %Y").to_string()
}

/// The month around the cursor: a header to change month, the weekday names, and one button a day.
fn calendar_ui(ui: &mut Ui, id: Id, open: &mut Calendar, selected: Date) -> Option<Outcome> {
    let today = jiff::Zoned::now().date();
    let mut outcome = keyboard(ui, open);
    let first = open.cursor.first_of_month();
    ui.horizontal(|ui| {
        let previous = ui.add(Button::new("◀").min_size(vec2(28.0, 24.0)));
        previous.widget_info(|| egui::WidgetInfo::labeled(Role::Button, true, "Previous month"));
        if previous.clicked() {
            open.cursor = month_step(open.cursor, -1);
        }
        let title = first.strftime("%B %Y").to_string();
        let heading = ui.add_sized(vec2(150.0, 24.0), egui::Label::new(RichText::new(&title).strong()));
        crate::ui::widgets::a11y::mark_heading(ui, &heading, &title);
        let next = ui.add(Button::new("▶").min_size(vec2(28.0, 24.0)));
        next.widget_info(|| egui::WidgetInfo::labeled(Role::Button, true, "Next month"));
        if next.clicked() {
            open.cursor = month_step(open.cursor, 1);
        }
        if ui.button("Today").clicked() {
            outcome = Some(Outcome::Pick(today));
        }
    });
    egui::Grid::new(id.with("days")).spacing(vec2(2.0, 2.0)).show(ui, |ui| {
        ui.label(RichText::new("Wk").weak()).on_hover_text("Week of the year (ISO)");
        for day in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] {
            ui.label(RichText::new(day).weak());
        }
        ui.end_row();
        let lead = i64::from(first.weekday().to_monday_zero_offset());
        let mut day = first.saturating_sub(lead.days());
        while day <= first.last_of_month() {
            ui.label(RichText::new(day.iso_week_date().week().to_string()).weak());
            for _ in 0..7 {
                if day.month() == first.month() {
                    if day_button(ui, open, day, day == selected, day == today) {
                        outcome = Some(Outcome::Pick(day));
                    }
                } else {
                    ui.label("");
                }
                day = day.saturating_add(1.day());
            }
            ui.end_row();
        }
    });
    ui.label(RichText::new("Arrows: day and week · Page Up/Down: month · Enter: pick · Esc: close").small().weak());
    outcome
}

/// One day; true when it was picked.
fn day_button(ui: &mut Ui, open: &mut Calendar, day: Date, selected: bool, today: bool) -> bool {
    let mut text = RichText::new(day.day().to_string());
    if today {
        text = text.underline().strong();
    }
    let response = ui.add(Button::selectable(selected, text).min_size(vec2(32.0, 24.0)));
    let mut name = spoken_date(day);
    if today {
        name.push_str(", today");
    }
    response.widget_info(|| egui::WidgetInfo::selected(Role::Button, true, selected, &name));
    if day == open.cursor {
        if open.focus_cursor {
            response.request_focus();
            response.scroll_to_me(None);
            open.focus_cursor = false;
        }
        if response.has_focus() {
            // The calendar moves the focus itself, by days and weeks, not egui's spatial arrows.
            ui.memory_mut(|memory| {
                memory.set_focus_lock_filter(
                    response.id,
                    egui::EventFilter { horizontal_arrows: true, vertical_arrows: true, tab: false, escape: true },
                );
            });
        }
    } else if response.gained_focus() {
        // Tab or a click brought the focus here: the keyboard goes on from this day.
        open.cursor = day;
    }
    response.clicked()
}

/// The calendar's keys, while it is open.
fn keyboard(ui: &Ui, open: &mut Calendar) -> Option<Outcome> {
    let pressed = |key: Key| ui.input_mut(|input| input.consume_key(Modifiers::NONE, key));
    if pressed(Key::Escape) {
        return Some(Outcome::Close);
    }
    let step = if pressed(Key::ArrowLeft) {
        Some(open.cursor.saturating_sub(1.day()))
    } else if pressed(Key::ArrowRight) {
        Some(open.cursor.saturating_add(1.day()))
    } else if pressed(Key::ArrowUp) {
        Some(open.cursor.saturating_sub(1.week()))
    } else if pressed(Key::ArrowDown) {
        Some(open.cursor.saturating_add(1.week()))
    } else if pressed(Key::PageUp) {
        Some(month_step(open.cursor, -1))
    } else if pressed(Key::PageDown) {
        Some(month_step(open.cursor, 1))
    } else if pressed(Key::Home) {
        Some(open.cursor.first_of_month())
    } else if pressed(Key::End) {
        Some(open.cursor.last_of_month())
    } else {
        None
    };
    if let Some(day) = step {
        open.cursor = day;
        open.focus_cursor = true;
    }
    None
}

/// The same day `months` months away, or the month's last day when it is shorter.
fn month_step(day: Date, months: i64) -> Date {
    day.saturating_add(months.months())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_step_keeps_the_day_or_ends_the_shorter_month() {
        assert_eq!(month_step(jiff::civil::date(2026, 1, 31), 1), jiff::civil::date(2026, 2, 28));
        assert_eq!(month_step(jiff::civil::date(2026, 3, 15), -1), jiff::civil::date(2026, 2, 15));
        assert_eq!(spoken_date(jiff::civil::date(2026, 12, 3)), "Thursday 3 December 2026");
    }
}
