//! The roadmap as a product manager drives it: bars dragged with a real pointer, moved by keyboard,
//! undone, cancelled, created and edited; every change checked in the file.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;

use egui::{Key, Modifiers, Rect, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use jiff::civil::Date;
use tandem::ui::TandemApp;

use crate::common::{app_harness, drag, menu_entry, sample_workspace};

/// The sample on the roadmap at the Months zoom (5 points per day; bars snap to weeks).
fn roadmap(folder: &tempfile::TempDir) -> (std::path::PathBuf, Harness<'static, TandemApp>) {
    let path = sample_workspace(folder, "roadmap.sqlite");
    let mut harness = app_harness(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    harness.get_by_label("Months").click();
    harness.run();
    (path, harness)
}

fn bar(harness: &Harness<'_, TandemApp>, title: &str) -> Rect {
    harness.get_by_label_contains(&format!("Epic {title},")).rect()
}

/// An epic's dates, straight from the file.
fn dates(path: &Path, title: &str) -> (Date, Date) {
    let connection = rusqlite::Connection::open(path).unwrap();
    let (start, end): (String, String) = connection
        .query_row("SELECT start_date, end_date FROM epics WHERE title = ?1", [title], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    (start.parse().unwrap(), end.parse().unwrap())
}

fn days(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days)).unwrap()
}

const EPIC: &str = "Delivery slot planner";

/// Opens the editor of `EPIC` from its bar's menu.
fn open_epic_editor(harness: &mut Harness<'static, TandemApp>) {
    harness.get_by_label(&format!("Actions for epic {EPIC}")).click();
    harness.run();
    menu_entry(harness, "Change dates and details…").click();
    harness.run();
}

#[test]
fn dragging_a_bar_by_a_known_distance_moves_both_dates_by_whole_weeks_and_persists() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    let from = bar(&harness, EPIC).center();
    // 38 points at 5 points per day is 7.6 days: it snaps to one week.
    drag(&mut harness, from, from + egui::vec2(38.0, 0.0), 5);
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 7)));
    harness.get_by_label_contains(&format!("Moved '{EPIC}'"));
    // Shift turns snapping off: 38 points is 8 days (rounded).
    let from = bar(&harness, EPIC).center();
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.step();
    harness.event(egui::Event::ModifiersChanged(Modifiers::SHIFT));
    for step in 1..=5u8 {
        harness.hover_at(from.lerp(from + egui::vec2(-38.0, 0.0), f32::from(step) / 5.0));
        harness.step();
    }
    harness.drop_at(from + egui::vec2(-38.0, 0.0));
    harness.event(egui::Event::ModifiersChanged(Modifiers::NONE));
    harness.run();
    assert_eq!(dates(&path, EPIC), (days(start, -1), days(end, -1)));
}

#[test]
fn dragging_the_right_edge_changes_only_the_end() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    let rect = bar(&harness, EPIC);
    let from = pos2(rect.right() - 3.0, rect.center().y);
    drag(&mut harness, from, from + egui::vec2(70.0, 0.0), 5);
    assert_eq!(dates(&path, EPIC), (start, days(end, 14)));
    let rect = bar(&harness, EPIC);
    let from = pos2(rect.left() + 3.0, rect.center().y);
    drag(&mut harness, from, from + egui::vec2(36.0, 0.0), 5);
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 14)), "the left edge moves only the start");
}

#[test]
fn the_keyboard_moves_a_bar_as_far_as_a_one_week_drag_and_undo_restores_it() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    harness.get_by_label_contains(&format!("Epic {EPIC},")).focus();
    harness.run();
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 7)), "one snap unit, as the drag test");
    harness.get_by_label_contains("1 week later");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.run();
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 14)), "Shift+→ moves only the end");
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.run();
    harness.key_press(Key::ArrowLeft);
    harness.run();
    assert_eq!(dates(&path, EPIC), (start, end));
    harness.key_press(Key::ArrowRight);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(dates(&path, EPIC), (start, end), "undo restores the dates");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 7)), "redo moves it again");
}

#[test]
fn escape_cancels_a_bar_drag() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let before = dates(&path, EPIC);
    let from = bar(&harness, EPIC).center();
    let to = from + egui::vec2(120.0, 0.0);
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.step();
    for step in 1..=4u8 {
        harness.hover_at(from.lerp(to, f32::from(step) / 4.0));
        harness.step();
    }
    harness.key_press(Key::Escape);
    harness.step();
    harness.drop_at(to);
    harness.run();
    assert_eq!(dates(&path, EPIC), before);
    harness.get_by_label_contains("Drag cancelled");
}

#[test]
fn a_new_epic_is_created_from_the_editor_and_a_broken_dependency_is_explained() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    harness.get_by_label("+ New epic").click();
    harness.run();
    harness.get_by_label("Title").type_text("Gift cards");
    harness.run();
    // It starts after an epic that ends later than it starts: the roadmap says so.
    harness.get_by_label_contains(&format!("{EPIC} (ends")).click();
    harness.run();
    harness.get_by_label("Create epic").click();
    harness.run();
    let connection = rusqlite::Connection::open(&path).unwrap();
    let depends: i64 = connection
        .query_row(
            "SELECT count(*) FROM epic_dependencies d JOIN epics e ON e.epic_id = d.epic_id WHERE e.title = 'Gift cards'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(depends, 1);
    harness.get_by_label_contains("Epic Gift cards,");
    harness.get_by_label("⚠ 1 dependency is broken:");
    harness.get_by_label_contains("'Gift cards' starts on");
    // Undo removes the epic again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let count: i64 =
        connection.query_row("SELECT count(*) FROM epics WHERE title = 'Gift cards'", [], |row| row.get(0)).unwrap();
    assert_eq!(count, 0);
    assert!(harness.query_by_label("⚠ 1 dependency is broken:").is_none());
}

#[test]
fn an_empty_title_is_refused_and_nothing_is_stored() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    harness.get_by_label("+ New epic").click();
    harness.run();
    harness.get_by_label("Create epic").click();
    harness.run();
    harness.get_by_label_contains("epic title");
    let connection = rusqlite::Connection::open(&path).unwrap();
    let count: i64 = connection.query_row("SELECT count(*) FROM epics", [], |row| row.get(0)).unwrap();
    assert_eq!(count, 4);
}

#[test]
fn show_on_board_filters_the_board_to_the_epic() {
    let folder = tempfile::tempdir().unwrap();
    let (_path, mut harness) = roadmap(&folder);
    harness.get_by_label_contains(&format!("Epic {EPIC},")).focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Show on board").click();
    harness.run();
    harness.get_by_label_contains(&format!("only the items of the epic '{EPIC}'"));
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes — ").is_some());
    assert!(harness.query_by_label_contains("Apple Pay and Google Pay at checkout").is_none(), "other epics hidden");
}

#[test]
fn lanes_group_bars_by_objective_and_collapse() {
    let folder = tempfile::tempdir().unwrap();
    let (_path, mut harness) = roadmap(&folder);
    harness.get_by_label("Group bars into lanes").click();
    harness.run();
    harness.get_by_label("Lanes by objective").click();
    harness.run();
    let lane = harness.get_all_by_label_contains("Lane ").next().unwrap().rect();
    assert!(lane.width() > 100.0);
    let count_before = harness.get_all_by_label_contains("Epic ").count();
    harness.get_all_by_label_contains("Lane ").next().unwrap().click();
    harness.run();
    assert!(harness.get_all_by_label_contains("Epic ").count() < count_before, "the first lane collapsed");
    harness.get_by_label_contains("collapsed");
}

#[test]
fn lanes_by_theme_name_each_epics_most_common_label() {
    let folder = tempfile::tempdir().unwrap();
    let (_path, mut harness) = roadmap(&folder);
    harness.get_by_label("Group bars into lanes").click();
    harness.run();
    harness.get_by_label("Lanes by theme (label)").click();
    harness.run();
    // The sample's four epics, each in the lane of the label most of its items carry.
    for theme in ["checkout", "accessibility", "slots", "loyalty"] {
        harness.get_by_label(&format!("Lane {theme}, 1 epic, expanded"));
    }
}

/// Opens the objectives panel, checks that it says `shows`, and edits the first objective.
fn edit_first_objective(harness: &mut Harness<'static, TandemApp>, shows: &str) {
    harness.get_by_label("Objectives and key results").click();
    harness.run();
    harness.get_by_label_contains(shows);
    harness.get_all_by_label_contains("Edit the objective '").next().unwrap().click();
    harness.run();
}

#[test]
fn a_key_result_is_edited_in_the_objectives_panel_and_saved_to_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    edit_first_objective(&mut harness, "Checkout conversion: 4.1 of 4.5%");
    let now = harness.get_all_by_label("Now").next().unwrap();
    now.focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_all_by_label("Now").next().unwrap().type_text("4.3");
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    let connection = rusqlite::Connection::open(&path).unwrap();
    let current: f64 = connection
        .query_row("SELECT current_value FROM key_results WHERE title = 'Checkout conversion'", [], |row| row.get(0))
        .unwrap();
    assert!((current - 4.3).abs() < 1e-9, "{current}");
    harness.get_by_label_contains("Checkout conversion: 4.3 of 4.5%");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Checkout conversion: 4.1 of 4.5%");
}

#[test]
fn dragging_along_an_empty_stretch_sketches_a_new_epic_over_whole_weeks() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    // The bar of an epic starting on Monday 7 Dec 2026 tells where that day is.
    let monday = bar(&harness, EPIC).left() + 2.0;
    let stretch = harness.get_by_label_contains("Empty stretch of the timeline").rect();
    // 100 points at 5 points per day: from 7 Dec to Sunday 27 Dec, three whole weeks.
    drag(&mut harness, pos2(monday, stretch.center().y), pos2(monday + 100.0, stretch.center().y), 5);
    harness.get_by_label("Title").type_text("Gift cards");
    harness.run();
    harness.get_by_label("Create epic").click();
    harness.run();
    assert_eq!(
        dates(&path, "Gift cards"),
        (jiff::civil::date(2026, 12, 7), jiff::civil::date(2026, 12, 27)),
        "the sketched weeks, stored"
    );
    harness.get_by_label_contains("Created the epic 'Gift cards', 7 Dec 2026 to 27 Dec 2026.");
}

#[test]
fn the_bar_menu_moves_and_resizes_an_epic_without_a_drag() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    let choose = |harness: &mut Harness<'static, TandemApp>, entry: &str| {
        harness.get_by_label(&format!("Actions for epic {EPIC}")).click();
        harness.run();
        menu_entry(harness, entry).click();
        harness.run();
    };
    choose(&mut harness, "Move a week later");
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 7)));
    choose(&mut harness, "Move a week earlier");
    assert_eq!(dates(&path, EPIC), (start, end));
    choose(&mut harness, "Move a month later");
    let month_later = start.checked_add(jiff::Span::new().months(1)).unwrap();
    let shift = i64::from(start.until(month_later).unwrap().get_days());
    assert_eq!(dates(&path, EPIC), (month_later, days(end, shift)), "a calendar month, the length kept");
    choose(&mut harness, "Move a month earlier");
    choose(&mut harness, "End a week later");
    assert_eq!(dates(&path, EPIC), (start, days(end, 7)), "only the end");
    choose(&mut harness, "End a week earlier");
    assert_eq!(dates(&path, EPIC), (start, end));

    // A right click on the bar opens the same menu; so does Shift+F10 on the focused bar.
    harness.get_by_label_contains(&format!("Epic {EPIC},")).click_secondary();
    harness.run();
    menu_entry(&harness, "Move a week later").click();
    harness.run();
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 7)));
    harness.get_by_label_contains(&format!("Epic {EPIC},")).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F10);
    harness.run();
    menu_entry(&harness, "Move a week earlier");
    harness.key_press(Key::Escape);
    harness.run();

    // "Change dates and details…" opens the epic's editor.
    choose(&mut harness, "Change dates and details…");
    harness.get_by_label("Save epic");
}

#[test]
fn shift_arrow_sent_as_one_chord_changes_the_end_not_the_whole_bar() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    harness.get_by_label_contains(&format!("Epic {EPIC},")).focus();
    harness.run();
    // One key event that carries Shift, with no separate "Shift went down" before it (an assistive
    // tool or a remote session sends chords like this).
    harness.event(egui::Event::Key {
        key: Key::ArrowRight,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::SHIFT,
    });
    harness.run();
    assert_eq!(dates(&path, EPIC), (start, days(end, 7)), "Shift+→ moves only the end");
}

#[test]
fn the_calendar_names_every_day_and_picks_by_keyboard_and_by_pointer() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    harness.get_by_label("Actions for epic Delivery slot planner").click();
    harness.run();
    menu_entry(&harness, "Change dates and details…").click();
    harness.run();

    // Keyboard: open the calendar on Starts, a day later, a week later, Enter.
    harness.get_by_label("Starts").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Dialog, "Calendar for Starts");
    let focused = harness.get_by(|node| node.is_focused() && node.role() == egui::accesskit::Role::Button);
    // The day the calendar opens on is named in full, and also called today when the clock says so
    // (the sample's dates are fixed, the calendar's today is the real one).
    let spoken = tandem::ui::widgets::date_picker::spoken_date(start);
    let expected = if start == jiff::Zoned::now().date() { format!("{spoken}, today") } else { spoken };
    assert_eq!(focused.accesskit_node().label().as_deref(), Some(expected.as_str()));
    for key in [Key::ArrowRight, Key::ArrowDown, Key::Enter] {
        harness.key_press(key);
        harness.run();
    }
    let picked = days(start, 8);
    assert!(harness.query_by_label("Calendar for Starts").is_none(), "Enter picks and closes");
    assert_eq!(
        harness.get_by_label("Starts").value().as_deref(),
        Some(tandem::ui::widgets::date_picker::spoken_date(picked).as_str())
    );

    // Pointer: open Ends, next month, click the 10th by its whole name.
    harness.get_by_label("Ends").click();
    harness.run();
    harness.get_by_label("Next month").click();
    harness.run();
    let next = end.first_of_month().checked_add(jiff::Span::new().months(1)).unwrap();
    let tenth = next.checked_add(jiff::Span::new().days(9)).unwrap();
    let name = tandem::ui::widgets::date_picker::spoken_date(tenth);
    harness
        .get_by(|node| {
            node.role() == egui::accesskit::Role::Button && node.label().is_some_and(|label| label.starts_with(&name))
        })
        .click();
    harness.run();

    // Escape closes a calendar, not the editor.
    harness.get_by_label("Ends").click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Calendar for Ends").is_none());
    harness.get_by_label("Save epic").click();
    harness.run();
    assert_eq!(dates(&path, EPIC), (picked, tenth));
}

#[test]
fn epic_bars_mark_their_items_due_dates_and_say_which_fall_after_the_epic_ends() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let epic = "One-tap checkout";
    let said = harness.get_by_label_contains(&format!("Epic {epic},")).accesskit_node().label().unwrap_or_default();
    assert!(
        said.contains(
            ", 2 open items with a due date, next 'Confirm order with one tap for returning customers' due 27 Nov, 1 due after the epic ends"
        ),
        "{said}"
    );
    assert!(
        harness
            .get_by_label_contains("Epic Accessible ordering")
            .accesskit_node()
            .label()
            .unwrap_or_default()
            .contains(", 1 overdue")
    );

    // Moving the epic's end past that due date (Shift+→ moves the end a week at a time) settles it.
    harness.get_by_label_contains(&format!("Epic {epic},")).focus();
    harness.run();
    for _ in 0..2 {
        harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
        harness.run();
    }
    let (_, end) = dates(&path, epic);
    assert!(end >= jiff::civil::date(2026, 12, 18), "{end}");
    let said = harness.get_by_label_contains(&format!("Epic {epic},")).accesskit_node().label().unwrap_or_default();
    assert!(!said.contains("after the epic ends"), "{said}");
    assert!(said.contains("2 open items with a due date"), "{said}");
}

#[test]
fn saving_the_epic_editor_keeps_what_changed_elsewhere_and_asks_before_replacing_it() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let (start, end) = dates(&path, EPIC);
    open_epic_editor(&mut harness);
    harness.get_by_label("Description").click();
    harness.run();
    harness.get_by_label("Description").type_text(" Agreed in the steering meeting.");
    harness.run();

    // Meanwhile another window moves the epic a week later.
    let mut other = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    let epic = other.workspace().epics.iter().find(|epic| epic.title == EPIC).unwrap().clone();
    let moved = tandem::model::Epic { start_date: days(start, 7), end_date: days(end, 7), ..epic.clone() };
    other.apply(tandem::app::Command::Roadmap(tandem::app::RoadmapCommand::UpdateEpic(moved))).unwrap();
    harness.run();

    harness.get_by_label("Save epic").click();
    harness.run();
    assert_eq!(dates(&path, EPIC), (days(start, 7), days(end, 7)), "the other window's move is kept");
    let description: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT description FROM epics WHERE epic_id = ?1", [epic.epic_id.0], |row| row.get(0))
        .unwrap();
    assert!(description.ends_with(" Agreed in the steering meeting."), "and so is this window's text: {description}");

    // Both sides renaming it: the save waits and says so, and a second save replaces theirs on purpose.
    open_epic_editor(&mut harness);
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.run();
    harness.get_by_label("Title").type_text(" (phase 2)");
    harness.run();
    other.follow_external_changes().unwrap();
    let current = other.workspace().epic(epic.epic_id).unwrap().clone();
    let theirs = tandem::model::Epic { title: "Slot planner v2".to_owned(), ..current };
    other.apply(tandem::app::Command::Roadmap(tandem::app::RoadmapCommand::UpdateEpic(theirs))).unwrap();
    harness.run();
    harness.get_by_label("Save epic").click();
    harness.run();
    harness.get_by_label_contains(&format!(
        "Not saved: the epic '{EPIC}' was changed in another window or program while you edited it, and both changed its title."
    ));
    assert_eq!(dates(&path, "Slot planner v2"), (days(start, 7), days(end, 7)), "theirs stays meanwhile");
    harness.get_by_label("Save epic").click();
    harness.run();
    let renamed = format!("{EPIC} (phase 2)");
    assert_eq!(dates(&path, &renamed), (days(start, 7), days(end, 7)), "saved again: mine, on purpose");
}

/// The epic's description, straight from the file.
fn description(path: &Path, title: &str) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT description FROM epics WHERE title = ?1", [title], |row| row.get(0))
        .unwrap()
}

#[test]
fn the_epic_editor_asks_before_its_changes_are_thrown_away() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let stored = description(&path, EPIC);
    open_epic_editor(&mut harness);
    harness.get_by_label("Description").click();
    harness.run();
    harness.get_by_label("Description").type_text(" Typed and not saved.");
    harness.run();
    let question = format!("Your changes to the epic '{EPIC}' are not saved. Discard them?");

    // Esc asks instead of closing; Esc again keeps editing.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label_contains(&question);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label_contains(&question).is_none());
    harness.get_by_label("Save epic");

    // Leaving the workspace asks too, and Keep editing keeps the window.
    crate::common::leave_for_a_new_workspace(&mut harness);
    harness.get_by_label_contains(&format!(
        "Your changes to the epic '{EPIC}' are not saved. Save them where you made them"
    ));
    harness.get_by_label("Keep editing").click();
    harness.run();
    harness.get_by_label("Save epic");

    // Cancel asks; Discard changes closes, and the file never had the text.
    harness.get_by_label("Cancel").click();
    harness.run();
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert!(harness.query_by_label("Save epic").is_none(), "the editor closed");
    assert_eq!(description(&path, EPIC), stored);

    // With nothing typed, Esc closes at once.
    open_epic_editor(&mut harness);
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Save epic").is_none());
}

#[test]
fn an_objective_edited_in_its_panel_is_asked_about_before_the_workspace_is_left() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    // A time is better lower: over its target it is not met, and says by how much.
    edit_first_objective(&mut harness, "Median checkout time: 190 s, target at most 120 s (70 s over)");
    harness.get_by_label("Context").click();
    harness.run();
    harness.get_by_label("Context").type_text(" Typed and not saved.");
    harness.run();
    let question = "Your changes to the objective 'Make checkout effortless' are not saved.";

    // Leaving for another view and the panel closed, then for another workspace: it asks, and
    // Keep editing brings the panel back with the typing in it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    crate::common::leave_for_a_new_workspace(&mut harness);
    harness.get_by_label_contains(question);
    harness.get_by_label("Keep editing").click();
    harness.run();
    let context = harness.get_by_label("Context");
    assert!(context.value().unwrap().contains(" Typed and not saved."), "{:?}", context.value());

    // Discarding goes on to what was asked (the new-workspace dialog) and keeps the file as it was.
    crate::common::leave_for_a_new_workspace(&mut harness);
    harness.get_by_label("Discard them and go on").click();
    harness.run();
    harness.get_by_label_contains("Discarded the unsaved changes to the objective 'Make checkout effortless'.");
    let connection = rusqlite::Connection::open(&path).unwrap();
    let stored: String = connection
        .query_row("SELECT description FROM objectives WHERE title = 'Make checkout effortless'", [], |row| row.get(0))
        .unwrap();
    assert!(!stored.contains("Typed and not saved"), "{stored}");
}

fn release_row(path: &Path, name: &str) -> Option<(String, String)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row("SELECT release_date, kind FROM releases WHERE name = ?1", [name], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .ok()
}

#[test]
fn a_release_is_added_edited_into_a_milestone_deleted_and_brought_back() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    harness.get_by_label("+ Release or milestone").click();
    harness.run();
    harness.get_by_label("Name").type_text("3.4");
    harness.run();
    harness.get_by_label("Add to the roadmap").click();
    harness.run();
    assert_eq!(release_row(&path, "3.4"), Some(("2026-11-18".to_owned(), "release".to_owned())));
    harness.get_by_label_contains("Added the release '3.4' on 18 Nov 2026.");

    // Its marker on the axis is a button that opens it, from the keyboard too.
    harness.get_by_label("Release 3.4 on 18 Nov 2026").focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("▲ Milestone (any other date)").click();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(release_row(&path, "3.4").map(|(_, kind)| kind).as_deref(), Some("milestone"));

    harness.get_by_label("Milestone 3.4 on 18 Nov 2026").click();
    harness.run();
    harness.get_by_label("Delete milestone…").click();
    harness.run();
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    assert_eq!(release_row(&path, "3.4"), None);
    harness.get_by_label_contains("Deleted the milestone '3.4'. Press Ctrl+Z to bring it back.");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(release_row(&path, "3.4").map(|(_, kind)| kind).as_deref(), Some("milestone"), "undo brings it back");
    harness.get_by_label("Milestone 3.4 on 18 Nov 2026");

    // A release without a name is refused in a sentence; nothing is written.
    harness.get_by_label("+ Release or milestone").click();
    harness.run();
    harness.get_by_label("Add to the roadmap").click();
    harness.run();
    harness.get_by_label_contains("release name");
    let connection = rusqlite::Connection::open(&path).unwrap();
    let count: i64 =
        connection.query_row("SELECT count(*) FROM releases WHERE trim(name) = ''", [], |row| row.get(0)).unwrap();
    assert_eq!(count, 0);
}

fn increment_row(path: &Path, name: &str) -> Option<(String, String)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row("SELECT start_date, end_date FROM program_increments WHERE name = ?1", [name], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .ok()
}

#[test]
fn a_program_increment_is_added_renamed_deleted_and_brought_back() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    harness.get_by_label("+ Program increment").click();
    harness.run();
    harness.get_by_label("Name").type_text("PI 27.2");
    harness.run();
    harness.get_by_label("Add to the roadmap").click();
    harness.run();
    // Twelve weeks from the day after the sample's last increment (PI 27.1) ends.
    let (start, end) = increment_row(&path, "PI 27.2").unwrap();
    let last_end: String = count_text(&path, "SELECT max(end_date) FROM program_increments WHERE name <> 'PI 27.2'");
    let day_after = days(last_end.parse().unwrap(), 1);
    assert_eq!(start, day_after.to_string());
    assert_eq!(end, days(day_after, 83).to_string());
    let span = |date: Date| date.strftime("%-d %b %Y").to_string();
    let dates = format!("{} to {}", span(day_after), span(days(day_after, 83)));
    harness.get_by_label_contains(&format!("Added the program increment 'PI 27.2', {dates}."));

    // Its name on the band is a button that opens it, from the keyboard too.
    harness.get_by_label(&format!("Program increment PI 27.2, {dates}")).focus();
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Name").focus();
    harness.key_press(Key::End);
    harness.get_by_label("Name").type_text(" beta");
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    assert!(increment_row(&path, "PI 27.2 beta").is_some());

    harness.get_by_label(&format!("Program increment PI 27.2 beta, {dates}")).click();
    harness.run();
    harness.get_by_label("Delete increment…").click();
    harness.run();
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    assert_eq!(increment_row(&path, "PI 27.2 beta"), None);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(increment_row(&path, "PI 27.2 beta").is_some(), "undo brings it back");
}

fn count_of(path: &Path, sql: &str) -> i64 {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn deleting_an_epic_keeps_its_items_and_one_undo_restores_its_links_and_dependents() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let epic = "One-tap checkout";
    let items_sql = "SELECT count(*) FROM items i JOIN epics e USING (epic_id) WHERE e.title = 'One-tap checkout'";
    let links_sql = "SELECT count(*) FROM epic_dependencies d JOIN epics e ON e.epic_id = d.after_epic_id \
                     WHERE e.title = 'One-tap checkout'";
    let all_items = count_of(&path, "SELECT count(*) FROM items");
    let items = count_of(&path, items_sql);
    let links = count_of(&path, links_sql);
    assert!(items > 0 && links > 0, "the sample's epic has items ({items}) and an epic after it ({links})");

    harness.get_by_label(&format!("Actions for epic {epic}")).click();
    harness.run();
    menu_entry(&harness, "Change dates and details…").click();
    harness.run();
    harness.get_by_label("Delete epic…").click();
    harness.run();
    harness.get_by_label_contains(&format!(
        "Delete the epic '{epic}'? Its {items} items stay on the board, without an epic."
    ));
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    assert_eq!(count_of(&path, "SELECT count(*) FROM epics WHERE title = 'One-tap checkout'"), 0);
    assert_eq!(count_of(&path, "SELECT count(*) FROM items"), all_items, "no item is deleted with its epic");
    harness
        .get_by_label_contains(&format!("Deleted the epic '{epic}'. {items} items stay on the board without an epic."));
    assert!(harness.query_by_label_contains(&format!("Epic {epic},")).is_none(), "its bar is gone");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(count_of(&path, items_sql), items, "its items are in it again");
    assert_eq!(count_of(&path, links_sql), links, "the epic after it starts after it again");
    harness.get_by_label_contains(&format!("Epic {epic},"));

    // Redo deletes it again, the same way.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(count_of(&path, "SELECT count(*) FROM epics WHERE title = 'One-tap checkout'"), 0);
    assert_eq!(count_of(&path, "SELECT count(*) FROM items"), all_items);
}

#[test]
fn an_objective_is_deleted_with_its_key_results_and_one_undo_brings_back_its_epics_links() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let serving_sql = "SELECT count(*) FROM epics e JOIN objectives o USING (objective_id) \
                       WHERE o.title = 'Make checkout effortless'";
    let serving = count_of(&path, serving_sql);
    let results = count_of(&path, "SELECT count(*) FROM key_results");
    let measuring_sql = "SELECT count(*) FROM metrics m JOIN objectives o USING (objective_id) \
                         WHERE o.title = 'Make checkout effortless' AND m.name = 'Checkout conversion'";
    assert_eq!(count_of(&path, measuring_sql), 1, "the sample's conversion KPI measures it");
    harness.get_by_label("Objectives and key results").click();
    harness.run();
    // The panel lists the KPI with its latest value against its target, in words.
    harness.get_by_label("Checkout conversion — 4.1% on 1 Nov 2026, target 4.5% not met yet");
    harness.get_all_by_label_contains("Edit the objective '").next().unwrap().click();
    harness.run();

    // Cancel with something typed asks first.
    harness.get_by_label("Context").click();
    harness.run();
    harness.get_by_label("Context").type_text(" Typed.");
    harness.run();
    harness.get_by_label("Cancel").click();
    harness.run();
    harness
        .get_by_label_contains("Your changes to the objective 'Make checkout effortless' are not saved. Discard them?");
    harness.get_by_label("Keep editing").click();
    harness.run();

    harness.get_by_label("Delete objective…").click();
    harness.run();
    harness.get_by_label_contains(&format!(
        "Delete the objective 'Make checkout effortless' and its key results? The {serving} epics serving it stay on the roadmap. The KPI measuring it stays on the dashboard."
    ));
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    assert_eq!(count_of(&path, "SELECT count(*) FROM objectives WHERE title = 'Make checkout effortless'"), 0);
    assert_eq!(count_of(&path, "SELECT count(*) FROM key_results"), results - 3, "its three key results went with it");
    assert_eq!(count_of(&path, "SELECT count(*) FROM epics"), 4, "no epic is deleted with it");
    assert_eq!(
        count_of(&path, "SELECT count(*) FROM metrics WHERE objective_id IS NULL AND name = 'Checkout conversion'"),
        1
    );
    assert_eq!(
        count_of(
            &path,
            "SELECT count(*) FROM metric_samples m JOIN metrics USING (metric_id) WHERE name = 'Checkout conversion'"
        ),
        12,
        "its samples stay"
    );
    harness.get_by_label_contains("The KPI that measured it stays on the dashboard, measuring no objective.");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(count_of(&path, serving_sql), serving, "its epics serve it again");
    assert_eq!(count_of(&path, measuring_sql), 1, "and the KPI measures it again");
    assert_eq!(count_of(&path, "SELECT count(*) FROM key_results"), results);
}

fn count_text(path: &Path, sql: &str) -> String {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn at_the_years_zoom_release_names_make_room_for_one_another_and_every_marker_still_opens() {
    let folder = tempfile::tempdir().unwrap();
    let (_path, mut harness) = roadmap(&folder);
    harness.get_by_label("Years").click();
    harness.run();
    // Each marker and its name are one button: where they overlapped, one covered another's name.
    let markers: Vec<(String, Rect)> = harness
        .query_all_by(|node| {
            node.role() == egui::accesskit::Role::Button
                && node.label().is_some_and(|label| label.starts_with("Release ") || label.starts_with("Milestone "))
        })
        .map(|node| (node.accesskit_node().label().unwrap_or_default(), node.rect()))
        .collect();
    assert_eq!(markers.len(), 5, "every release and milestone of the sample is there: {markers:?}");
    for (index, (name, rect)) in markers.iter().enumerate() {
        for (other, other_rect) in markers.iter().skip(index + 1) {
            assert!(!rect.intersects(*other_rect), "{name} at {rect:?} covers {other} at {other_rect:?}");
        }
    }
    // A marker whose name had no room still opens its window.
    harness.get_by_label_contains("Release 3.2 on").click();
    harness.run();
    harness.get_by_label("Release: Release 3.2");
}

/// The open lines painted in the last frame (dependency lines among them), and the rectangle of the
/// painted text that starts with `text`.
fn lines_and_text(harness: &Harness<'_, TandemApp>, text: &str) -> (Vec<Vec<egui::Pos2>>, Option<Rect>) {
    fn walk(shape: &egui::Shape, text: &str, lines: &mut Vec<Vec<egui::Pos2>>, found: &mut Option<Rect>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|shape| walk(shape, text, lines, found)),
            egui::Shape::Path(path) if !path.closed && path.points.len() >= 3 => lines.push(path.points.clone()),
            egui::Shape::Text(shape) if shape.galley.text().starts_with(text) => {
                *found = Some(Rect::from_min_size(shape.pos, shape.galley.size()));
            }
            _ => {}
        }
    }
    let (mut lines, mut found) = (Vec::new(), None);
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, text, &mut lines, &mut found);
    }
    (lines, found)
}

#[test]
fn a_dependency_line_keeps_clear_of_a_title_and_menu_beside_a_short_bar() {
    let folder = tempfile::tempdir().unwrap();
    let (_path, mut harness) = roadmap(&folder);
    // At the Quarters zoom "One-tap checkout" is too short for its title, which sits beside the bar after
    // its ⋯ button; "Loyalty rewards" depends on it.
    harness.get_by_label("Quarters").click();
    harness.run();
    let menu = harness.get_by_label("Actions for epic One-tap checkout").rect();
    let (lines, title) = lines_and_text(&harness, "One-tap checkout");
    let title = title.expect("the title is painted");
    assert!(title.left() > bar(&harness, "One-tap checkout").right(), "the title sits beside the bar");
    let loyalty = bar(&harness, "Loyalty rewards");
    let dependency: Vec<&Vec<egui::Pos2>> = lines
        .iter()
        .filter(|points| points.last().is_some_and(|end| (end.y - loyalty.center().y).abs() < 1.0))
        .collect();
    assert_eq!(dependency.len(), 1, "one line ends at Loyalty rewards: {lines:?}");
    for pair in dependency[0].windows(2) {
        let segment = Rect::from_two_pos(pair[0], pair[1]).expand(1.0);
        assert!(!segment.intersects(title), "the line {pair:?} runs into the title at {title:?}");
        assert!(!segment.intersects(menu), "the line {pair:?} runs over the ⋯ button at {menu:?}");
    }
}

#[test]
fn a_release_or_increment_window_opened_with_the_pointer_starts_in_its_name() {
    let folder = tempfile::tempdir().unwrap();
    let (_path, mut harness) = roadmap(&folder);
    harness.get_by_label_contains("Release Release 3.2 on").click();
    harness.run();
    assert!(harness.get_by_label("Name").is_focused(), "the release's name has the focus");
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label_contains("Program increment PI 27.1").click();
    harness.run();
    assert!(harness.get_by_label("Name").is_focused(), "the increment's name has the focus");
}

#[test]
fn another_or_a_new_epic_never_replaces_an_epic_window_with_unsaved_changes() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let stored = description(&path, EPIC);
    open_epic_editor(&mut harness);
    harness.get_by_label("Description").focus();
    harness.run();
    harness.get_by_label("Description").type_text(" Typed and not saved.");
    harness.run();
    let typed = || format!("{stored} Typed and not saved.");

    // Another epic's window, from its bar's menu, does not open over it.
    harness.get_by_label("Actions for epic Loyalty rewards").click_accesskit();
    harness.run();
    menu_entry(&harness, "Change dates and details…").click_accesskit();
    harness.run();
    assert_eq!(harness.get_by_label("Description").value(), Some(typed()));
    harness.get_by_label_contains(&format!(
        "The epic '{EPIC}' has changes that are not saved: save or cancel them in its window first, then open the epic 'Loyalty rewards'."
    ));
    // Nor does a new epic's.
    harness.get_by_label("+ New epic").click_accesskit();
    harness.run();
    assert_eq!(harness.get_by_label("Description").value(), Some(typed()));
    harness.get_by_label_contains("then open the new epic.");
    assert_eq!(description(&path, EPIC), stored, "nothing was stored");
    // Saved, the window closes, and another epic's opens as ever.
    harness.get_by_label("Save epic").click_accesskit();
    harness.run();
    assert_eq!(description(&path, EPIC), typed());
    harness.get_by_label("Actions for epic Loyalty rewards").click_accesskit();
    harness.run();
    menu_entry(&harness, "Change dates and details…").click_accesskit();
    harness.run();
    assert_eq!(harness.get_by_label("Title").value().as_deref(), Some("Loyalty rewards"));
}

/// An objective's program increment, planned and actual business value, and whether it is uncommitted.
type PiValues = (Option<String>, Option<i64>, Option<i64>, bool);

/// Each objective's program increment and business values, as the file holds them, in id order.
fn pi_objectives(path: &Path) -> Vec<PiValues> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT p.name, o.planned_value, o.actual_value, o.uncommitted FROM objectives o \
             LEFT JOIN program_increments p USING (increment_id) ORDER BY o.objective_id",
        )
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Picks `option` in the combo box labelled `label` (the first such box); the option is chosen through
/// AccessKit, as a screen reader would, since the list scrolls.
fn choose(harness: &mut Harness<'static, TandemApp>, label: &str, option: &str) {
    harness.get_all_by_label(label).next().unwrap().click();
    harness.run();
    harness.get_by_label(option).click_accesskit();
    harness.run();
    // A choice made through AccessKit leaves the list open; the box closes it, as a second click would.
    if harness.query_by_label(option).is_some() {
        harness.get_all_by_label(label).next().unwrap().click_accesskit();
        harness.run();
    }
    assert!(harness.query_by_label(option).is_none(), "the list closed");
    let chosen = harness.get_all_by_label(label).next().unwrap().value();
    assert_eq!(chosen.as_deref(), Some(option), "{label}");
}

#[test]
fn a_pi_objective_is_scored_in_the_objectives_panel_and_its_increment_says_how_predictable_it_was() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = roadmap(&folder);
    let set_for_pi = |planned: i64| (Some("PI 26.4".to_owned()), Some(planned), None, false);
    let values = pi_objectives;
    assert_eq!(values(&path), [set_for_pi(9), set_for_pi(8)], "the sample sets both objectives for PI 26.4");
    edit_first_objective(&mut harness, "PI objective for PI 26.4: committed, planned value 9, not scored yet.");

    // The business owners score it at the increment's end: 10 planned, 7 achieved.
    choose(&mut harness, "Planned business value", "10");
    choose(&mut harness, "Actual business value", "7");
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(
        values(&path),
        [(Some("PI 26.4".to_owned()), Some(10), Some(7), false), set_for_pi(8)],
        "saved to the file"
    );
    harness.get_by_label_contains("PI objective for PI 26.4: committed, planned value 10, achieved 7.");

    // The second is a stretch objective that achieved 8.
    harness.get_all_by_label_contains("Edit the objective '").nth(1).unwrap().click();
    harness.run();
    choose(&mut harness, "Actual business value", "8");
    harness.get_by_label("Uncommitted (stretch)").click_accesskit();
    harness.run();
    harness.get_by_label("Save").click_accesskit();
    harness.run();
    assert_eq!(values(&path)[1], (Some("PI 26.4".to_owned()), Some(8), Some(8), true));

    // The increment's window lists them and measures it: 15 achieved of the 10 committed.
    harness.get_all_by_label("Open PI 26.4").next().unwrap().click();
    harness.run();
    harness.get_by_label("PI objectives");
    harness.get_by_label_contains("Make checkout effortless: committed, planned value 10, achieved 7.");
    harness.get_by_label_contains("Inclusive by default: uncommitted (stretch), planned value 8, achieved 8.");
    harness.get_by_label("Achieved 15 of 10 planned business value: 150% (SAFe aims for 80 to 100%).");

    // Deleting the increment takes only the link; one undo sets both for it again.
    harness.get_by_label("Delete increment…").click();
    harness.run();
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    harness.get_by_label_contains("The 2 objectives set for it stay, set for no increment.");
    assert_eq!(
        values(&path),
        [(None, Some(10), Some(7), false), (None, Some(8), Some(8), true)],
        "the objectives stay with their values, set for no increment"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        values(&path),
        [(Some("PI 26.4".to_owned()), Some(10), Some(7), false), (Some("PI 26.4".to_owned()), Some(8), Some(8), true)],
        "undo brings the increment back with its objectives"
    );
}
