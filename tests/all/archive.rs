//! Archiving: cards leave the board from their ⋯ menu or a whole column at once, are listed under
//! Board ▸ Archived, come back where they were, and still count in the delivery figures. Checked in
//! the file.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{App, Command, ItemCommand, NewWorkspace};

use crate::common::{app_harness as harness, menu_entry, sample_workspace};

/// The titles on the board in a column, in order, straight from the file (archived ones left out).
fn on_board(path: &Path, column: &str) -> Vec<String> {
    titles(path, column, "i.archived_at IS NULL")
}

fn archived(path: &Path, column: &str) -> Vec<String> {
    titles(path, column, "i.archived_at IS NOT NULL")
}

fn titles(path: &Path, column: &str, condition: &str) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(&format!(
            "SELECT i.title FROM items i JOIN board_columns c USING (column_id) WHERE c.name = ?1 AND {condition} \
             ORDER BY i.rank, i.item_id"
        ))
        .unwrap();
    statement.query_map([column], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn a_card_is_archived_from_its_menu_listed_in_the_archive_and_put_back_where_it_was() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = on_board(&path, "Ready");
    let title = before[1].clone();
    let mut harness = harness(&path);
    harness.get_by_label(&format!("Actions for {title}")).click();
    harness.run();
    menu_entry(&harness, "Archive").click();
    harness.run();
    assert_eq!(archived(&path, "Ready"), vec![title.clone()], "archived in the file, in its column");
    assert!(!on_board(&path, "Ready").contains(&title));
    assert!(harness.query_by_label_contains(&format!("{title} — ")).is_none(), "off the board");
    harness.get_by_label_contains(&format!("Archived '{title}' from Ready"));

    harness.get_by_label("🗄 Archived (1)").click();
    harness.run();
    harness.get_by_label("Archived items (1)");
    harness.get_by_label(&format!("Put '{title}' back on the board")).click();
    harness.run();
    assert_eq!(on_board(&path, "Ready"), before, "back in its place");
    assert!(archived(&path, "Ready").is_empty());
    harness.get_by_label("Archived items (0)");

    // Undo of the put-back archives it again; undo of the archive puts it back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(archived(&path, "Ready"), vec![title.clone()]);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(on_board(&path, "Ready"), before);
}

#[test]
fn a_whole_done_column_is_archived_in_one_step_and_the_delivery_figures_keep_counting_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let done = on_board(&path, "Done");
    assert!(done.len() > 3);
    let (epic_before, points_before) = {
        let app = App::open(&path, NewWorkspace::Blank).unwrap();
        let epic = app.workspace().epics[0].epic_id;
        let sprint = app.workspace().sprints[0].sprint_id;
        (app.workspace().epic_points(epic), app.workspace().sprint_points(sprint))
    };
    let mut harness = harness(&path);
    harness.get_by_label("Done column menu").click();
    harness.run();
    menu_entry(&harness, &format!("Archive its {} cards", done.len())).click();
    harness.run();
    assert!(on_board(&path, "Done").is_empty());
    assert_eq!(archived(&path, "Done"), done, "every card, in its order");
    harness.get_by_label(&format!("🗄 Archived ({})", done.len()));

    let app = App::open(&path, NewWorkspace::Blank).unwrap();
    let epic = app.workspace().epics[0].epic_id;
    let sprint = app.workspace().sprints[0].sprint_id;
    assert_eq!(app.workspace().epic_points(epic), epic_before, "epic progress still counts archived done work");
    assert!((app.workspace().sprint_points(sprint) - points_before).abs() < 1e-9, "sprint points still count it");
    let changes = app.status_changes().unwrap();
    let log = tandem::model::delivery::DeliveryLog::new(
        &app.workspace().columns,
        app.workspace().all_items(),
        &changes,
        None,
        |instant| instant.to_zoned(jiff::tz::TimeZone::UTC).date(),
    );
    assert_eq!(log.items().len(), 49, "the delivery log still holds all 49 items");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(on_board(&path, "Done"), done, "one undo brings the whole column back");
}

#[test]
fn a_column_holding_only_archived_items_is_not_deleted_and_says_why() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let review = app.workspace().columns.iter().find(|column| column.name == "Review").unwrap().column_id;
    let item_ids = app.workspace().column_items(review).to_vec();
    app.apply(Command::Item(ItemCommand::Archive { item_ids, archive: true })).unwrap();
    let error = app.apply(Command::Column(tandem::app::ColumnCommand::Delete(review))).unwrap_err().to_string();
    assert!(error.contains("still holds 2 archived items") && error.contains("Board ▸ Archived"), "{error}");
    assert!(app.workspace().column(review).is_some());
}

#[test]
fn archived_items_travel_through_the_json_document_and_the_csv_and_round_trip_exactly() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    {
        let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
        let done = app.workspace().columns.iter().find(|column| column.name == "Done").unwrap().column_id;
        let item_ids = app.workspace().column_items(done)[..3].to_vec();
        app.apply(Command::Item(ItemCommand::Archive { item_ids, archive: true })).unwrap();
    }
    let done_archived = archived(&path, "Done");
    let done_on_board = on_board(&path, "Done");
    assert_eq!(done_archived.len(), 3);
    crate::common::round_trips(&folder, &path, |copy, name| {
        assert_eq!(archived(copy, "Done"), done_archived, "{name}");
        assert_eq!(on_board(copy, "Done"), done_on_board, "{name}");
    });
}

#[test]
fn an_archived_item_opens_from_the_archive_says_so_and_is_put_back_from_its_editor() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = on_board(&path, "Backlog");
    let title = before[0].clone();
    {
        let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
        let id = app.workspace().items().find(|item| item.title == title).unwrap().item_id;
        app.apply(Command::Item(ItemCommand::Archive { item_ids: vec![id], archive: true })).unwrap();
    }
    let mut harness = harness(&path);
    harness.get_by_label("🗄 Archived (1)").click();
    harness.run();
    harness.get_by_label(&format!("Open '{title}'")).click();
    harness.run();
    harness.get_by_label_contains("🗄 Archived on ");
    harness.get_by_label("Put back on the board").click();
    harness.run();
    assert_eq!(on_board(&path, "Backlog"), before, "back at the top of Backlog, where it was");
    assert!(harness.query_by_label_contains("🗄 Archived on ").is_none(), "the editor follows");
}

#[test]
fn a_long_archive_is_reached_row_by_row_from_the_keyboard() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "long.sqlite");
    {
        let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
        let item_ids: Vec<_> = app.workspace().items().map(|item| item.item_id).collect();
        app.apply(Command::Item(ItemCommand::Archive { item_ids, archive: true })).unwrap();
    }
    let mut harness = harness(&path);
    harness.get_by_label("🗄 Archived (49)").click();
    harness.run();
    harness.get_by_label("Archived items (49)");
    // Only the rows in view are drawn; Tab still walks into each next one, which scrolls into view.
    let drawn = harness.query_all_by_label_contains("back on the board").count();
    assert!(drawn < 49, "{drawn} rows drawn");
    let first =
        harness.query_all_by_label_contains("Open '").next().unwrap().accesskit_node().label().unwrap_or_default();
    harness.get_by_label(&first).focus();
    harness.run();
    let mut reached = std::collections::HashSet::new();
    for _ in 0..120 {
        harness.key_press(Key::Tab);
        harness.run();
        if let Some(focused) =
            harness.query_all_by_label_contains("back on the board").find(egui_kittest::Node::is_focused)
        {
            reached.insert(focused.accesskit_node().label().unwrap_or_default());
        }
    }
    assert_eq!(reached.len(), 49, "every row's put-back button takes the focus in turn");
}

#[test]
fn archiving_thousands_of_cards_runs_beside_the_window_then_says_what_it_did() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("large.sqlite");
    tandem::demo::generate(&path, 3_000).unwrap();
    let backlog = on_board(&path, "Backlog");
    assert!(backlog.len() >= 1_000, "{}", backlog.len());
    let count = tandem::interchange::convert::count(backlog.len());
    let mut harness = harness(&path);
    // Another program holds the file a moment, so that the work is seen under way.
    let blocker = crate::common::holding_the_file(&path);
    harness.get_by_label("Backlog column menu").click();
    harness.run();
    menu_entry(&harness, &format!("Archive its {count} cards")).click();
    crate::common::until_shown(&mut harness, &format!("Archiving {count} cards…"));
    assert!(harness.state().is_busy(), "the worker thread archives them");
    harness.get_by_label("All or nothing: Cancel leaves the workspace as it is now.");
    assert_eq!(on_board(&path, "Backlog").len(), backlog.len(), "nothing written yet");
    blocker.execute_batch("ROLLBACK").unwrap();
    crate::common::finish_jobs(&mut harness);
    let status = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(status.starts_with(&format!("Archived {count} cards from Backlog")), "{status}");
    assert!(on_board(&path, "Backlog").is_empty());
    assert_eq!(archived(&path, "Backlog"), backlog, "every card, in its order");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    crate::common::finish_jobs(&mut harness);
    assert_eq!(on_board(&path, "Backlog"), backlog, "one undo brings them all back");
    harness.get_by_label_contains(&format!("Undid: archive {count} cards."));
}

#[test]
fn ordering_a_column_of_thousands_of_cards_and_its_undo_run_beside_the_window() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("large.sqlite");
    tandem::demo::generate(&path, 3_000).unwrap();
    let before = on_board(&path, "Backlog");
    let count = tandem::interchange::convert::count(before.len());
    let mut harness = harness(&path);
    let blocker = crate::common::holding_the_file(&path);
    harness.get_by_label("Backlog column menu").click();
    harness.run();
    menu_entry(&harness, "Order by WSJF").click();
    crate::common::until_shown(&mut harness, &format!("Ordering Backlog by WSJF ({count} cards)…"));
    assert!(harness.state().is_busy(), "the worker thread orders them, behind the progress window");
    blocker.execute_batch("ROLLBACK").unwrap();
    crate::common::finish_jobs(&mut harness);
    let status = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(status.starts_with(&format!("Ordered Backlog by WSJF: {count} scored cards first")), "{status}");
    let ordered = on_board(&path, "Backlog");
    assert_ne!(ordered, before);

    // Its undo is as large, and runs there too; cancelled while another program holds the file, it
    // leaves the order as it is and stays offered.
    let blocker = crate::common::holding_the_file(&path);
    harness.get_by_label("Edit").click();
    harness.run();
    menu_entry(&harness, "Undo order Backlog by WSJF").click();
    crate::common::until_shown(&mut harness, "Undoing: order Backlog by WSJF");
    assert!(harness.state().is_busy(), "the undo runs on the worker thread too");
    harness.key_press(Key::Escape);
    harness.step();
    harness.step();
    blocker.execute_batch("ROLLBACK").unwrap();
    crate::common::finish_jobs(&mut harness);
    harness.get_by_label("Undo cancelled; the workspace is as it was, and Ctrl+Z still offers it.");
    assert_eq!(on_board(&path, "Backlog"), ordered, "a cancelled undo writes nothing");

    harness.get_by_label("Edit").click();
    harness.run();
    menu_entry(&harness, "Undo order Backlog by WSJF").click();
    crate::common::finish_jobs(&mut harness);
    let status = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(status.starts_with("Undid: order Backlog by WSJF"), "{status}");
    assert_eq!(on_board(&path, "Backlog"), before);
}
