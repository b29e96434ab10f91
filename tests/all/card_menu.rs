//! The card action menu: every move without a drag, from the ⋯ button, a right click and the keyboard,
//! on the board and in the list, checked in the file.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::ui::TandemApp;

use crate::common::{
    app_harness as harness, column_order as order, menu_entry as entry, sample_workspace as workspace,
};

/// One text cell about an item, straight from the file (`NULL` reads as an empty string).
fn about(path: &Path, sql: &str, title: &str) -> String {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row(sql, [title], |row| row.get::<_, Option<String>>(0)).unwrap().unwrap_or_default()
}

fn sprint_of(path: &Path, title: &str) -> String {
    about(path, "SELECT s.name FROM items i LEFT JOIN sprints s USING (sprint_id) WHERE i.title = ?1", title)
}

fn epic_of(path: &Path, title: &str) -> String {
    about(path, "SELECT e.title FROM items i LEFT JOIN epics e USING (epic_id) WHERE i.title = ?1", title)
}

fn column_of(path: &Path, title: &str) -> String {
    about(path, "SELECT c.name FROM items i JOIN board_columns c USING (column_id) WHERE i.title = ?1", title)
}

/// Clicks a card's ⋯ button.
fn open_menu(harness: &mut Harness<'static, TandemApp>, title: &str) {
    harness.get_by_label(&format!("Actions for {title}")).click();
    harness.run();
}

/// Clicks an entry of the open menu.
fn choose(harness: &mut Harness<'static, TandemApp>, name: &str) {
    entry(harness, name).click();
    harness.run();
}

#[test]
fn the_card_menu_moves_a_card_up_down_to_top_and_bottom() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "m.sqlite");
    let backlog = order(&path, "Backlog");
    let mut harness = harness(&path);

    let third = backlog[2].clone();
    open_menu(&mut harness, &third);
    choose(&mut harness, "Move to top of Backlog");
    assert_eq!(order(&path, "Backlog")[0], third, "to the top");
    harness.get_by_label_contains(&format!("Moved '{third}' to position 1 of 15 in Backlog"));

    open_menu(&mut harness, &third);
    choose(&mut harness, "Move down");
    assert_eq!(order(&path, "Backlog")[1], third, "one down");

    open_menu(&mut harness, &third);
    choose(&mut harness, "Move up");
    assert_eq!(order(&path, "Backlog")[0], third, "one up");

    open_menu(&mut harness, &third);
    choose(&mut harness, "Move to bottom of Backlog");
    let after = order(&path, "Backlog");
    assert_eq!(after.last(), Some(&third), "to the bottom");
    assert_eq!(after.len(), backlog.len(), "nothing else changed");

    // At the bottom, "Move down" and "Move to bottom" are there but cannot be chosen.
    open_menu(&mut harness, &third);
    assert!(entry(&harness, "Move down").accesskit_node().is_disabled(), "Move down is disabled at the bottom");
    assert!(!entry(&harness, "Move up").accesskit_node().is_disabled(), "Move up is not");
    harness.key_press(Key::Escape);
    harness.run();

    // One undo per move: four undos bring the backlog back as it was.
    for _ in 0..4 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run();
    }
    assert_eq!(order(&path, "Backlog"), backlog);
}

#[test]
fn the_card_menu_moves_to_a_column_plans_in_a_sprint_changes_the_epic_and_deletes() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "c.sqlite");
    let backlog = order(&path, "Backlog");
    let ready = order(&path, "Ready");
    let card = backlog[0].clone();
    let mut harness = harness(&path);

    // Seen before any change, so the status bar holds no clock time.
    open_menu(&mut harness, &card);
    choose(&mut harness, "Plan in sprint");
    crate::common::snapshot_masked(&mut harness, "card_menu_plan_in_sprint");
    choose(&mut harness, "Sprint 22");
    assert_eq!(sprint_of(&path, &card), "Sprint 22");

    open_menu(&mut harness, &card);
    choose(&mut harness, "Move to column");
    choose(&mut harness, "Ready");
    assert_eq!(column_of(&path, &card), "Ready");
    assert_eq!(order(&path, "Ready").last(), Some(&card), "at the end of Ready's queue");
    assert_eq!(order(&path, "Ready").len(), ready.len() + 1);

    open_menu(&mut harness, &card);
    choose(&mut harness, "Plan in sprint");
    choose(&mut harness, "Take out of its sprint");
    assert_eq!(sprint_of(&path, &card), "");

    let epic_before = epic_of(&path, &card);
    let epic = if epic_before == "Loyalty rewards" { "Delivery slot planner" } else { "Loyalty rewards" };
    let place = order(&path, "Ready").iter().position(|title| *title == card);
    open_menu(&mut harness, &card);
    choose(&mut harness, "Move to epic");
    choose(&mut harness, epic);
    assert_eq!(epic_of(&path, &card), epic);
    assert_eq!(order(&path, "Ready").iter().position(|title| *title == card), place, "the card keeps its place");

    open_menu(&mut harness, &card);
    choose(&mut harness, "Delete");
    choose(&mut harness, "Yes, delete it");
    assert!(!order(&path, "Ready").contains(&card), "deleted");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(order(&path, "Ready").contains(&card), "undo brings it back");
}

#[test]
fn a_right_click_and_shift_f10_open_the_same_menu() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "k.sqlite");
    let backlog = order(&path, "Backlog");
    let mut harness = harness(&path);

    // Right click on the card itself.
    let second = backlog[1].clone();
    harness.get_by_label_contains(&format!("{second} — ")).click_secondary();
    harness.run();
    choose(&mut harness, "Move up");
    assert_eq!(order(&path, "Backlog")[0], second);

    // Keyboard only: the moved card has the focus; Shift+F10 opens its menu, the arrows walk it and
    // Enter chooses. "Move up" cannot be chosen on the first card, so two steps down is "Move down".
    harness.key_press_modifiers(Modifiers::SHIFT, Key::F10);
    harness.run();
    entry(&harness, "Move to top of Backlog");
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(order(&path, "Backlog")[1], second, "moved down by keyboard: {:?}", order(&path, "Backlog"));
    assert!(harness.query_by_label_contains("Move to top of Backlog").is_none(), "the menu closed");
}

#[test]
fn list_rows_have_the_same_menu() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "l.sqlite");
    let backlog = order(&path, "Backlog");
    let mut harness = harness(&path);
    harness.get_by_label("☰ List").click();
    harness.run();

    let fourth = backlog[3].clone();
    open_menu(&mut harness, &fourth);
    choose(&mut harness, "Move to top of Backlog");
    assert_eq!(order(&path, "Backlog")[0], fourth);

    open_menu(&mut harness, &fourth);
    choose(&mut harness, "Move to column");
    choose(&mut harness, "In progress");
    assert_eq!(column_of(&path, &fourth), "In progress");
}

#[test]
fn deleting_one_card_leaves_the_editor_open_on_another_with_its_typing() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "d.sqlite");
    let ready = order(&path, "Ready");
    let (edited, deleted) = (ready[0].clone(), ready[1].clone());
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{edited} — ")).click();
    harness.run();
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("Title").type_text(" (draft)");
    harness.run();

    open_menu(&mut harness, &deleted);
    choose(&mut harness, "Delete");
    choose(&mut harness, "Yes, delete it");
    assert!(!order(&path, "Ready").contains(&deleted), "deleted");
    assert_eq!(
        harness.get_by_label("Title").value().as_deref(),
        Some(format!("{edited} (draft)").as_str()),
        "the other card's editor is still open with what was typed"
    );
}
