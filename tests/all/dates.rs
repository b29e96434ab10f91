//! An item's start and due dates: set and cleared in the editor, refused when the due date comes first,
//! flagged on the card in words once past, carried by the JSON document and the CSV. Checked in the file.

use std::path::Path;

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{App, Command, ItemCommand, NewWorkspace};
use tandem::model::Date;

use crate::common::{app_harness as harness, sample_workspace, today};

const TITLE: &str = "Apple Pay and Google Pay at checkout";

fn dates_in(path: &Path, title: &str) -> (Option<String>, Option<String>) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row("SELECT start_date, due_date FROM items WHERE title = ?1", [title], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap()
}

fn set_dates(path: &Path, title: &str, start: Option<Date>, due: Option<Date>) {
    let mut app = App::open(path, NewWorkspace::Blank).unwrap();
    let mut item = app.workspace().items().find(|item| item.title == title).unwrap().clone();
    item.start_date = start;
    item.due_date = due;
    app.apply(Command::Item(ItemCommand::Update(item))).unwrap();
}

#[test]
fn a_due_date_is_set_in_the_editor_and_cleared_again() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{TITLE} — ")).click();
    harness.run();
    harness.get_by_label("Set a date… (Due date)").click();
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    let (start, due) = dates_in(&path, TITLE);
    assert_eq!(start, None);
    let due: Date = due.expect("a due date is stored").parse().unwrap();
    let now = jiff::Zoned::now().date();
    assert_eq!(now.until(due).unwrap().get_days(), 14, "two weeks from today is suggested");
    harness.get_by_label("Clear the due date").click();
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    assert_eq!(dates_in(&path, TITLE), (None, None));
}

#[test]
fn a_due_date_before_the_start_is_refused_in_a_sentence_and_nothing_is_written() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let mut item = app.workspace().items().find(|item| item.title == TITLE).unwrap().clone();
    item.start_date = Some(jiff::civil::date(2026, 12, 10));
    item.due_date = Some(jiff::civil::date(2026, 12, 1));
    let error = app.apply(Command::Item(ItemCommand::Update(item))).unwrap_err().to_string();
    assert!(error.contains("2026-12-01, before it starts on 2026-12-10"), "{error}");
    assert_eq!(dates_in(&path, TITLE), (None, None));
}

#[test]
fn a_past_due_date_is_flagged_overdue_on_the_card_unless_the_item_is_done() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let yesterday = today().yesterday().unwrap();
    set_dates(&path, TITLE, None, Some(yesterday));
    set_dates(&path, "Keyboard-only checkout", None, Some(yesterday));
    let mut harness = harness(&path);
    crate::common::snapshot_masked(&mut harness, "board_overdue");
    let name = |title: &str| {
        harness.get_by_label_contains(&format!("{title} — ")).accesskit_node().label().unwrap_or_default()
    };
    let open = name(TITLE);
    assert!(open.contains(", overdue"), "{open}");
    assert!(open.contains(&format!("due {}", tandem::ui::widgets::date_picker::spoken_date(yesterday))), "{open}");
    let done = name("Keyboard-only checkout");
    assert!(!done.contains("overdue"), "done work is never overdue: {done}");
}

#[test]
fn start_and_due_dates_travel_through_the_json_document_and_the_csv() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    set_dates(&path, TITLE, Some(jiff::civil::date(2026, 11, 23)), Some(jiff::civil::date(2026, 12, 4)));
    crate::common::round_trips(&folder, &path, |copy, name| {
        assert_eq!(dates_in(copy, TITLE), (Some("2026-11-23".to_owned()), Some("2026-12-04".to_owned())), "{name}");
    });
}
