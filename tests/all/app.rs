//! Commands through the app layer: each is one transaction, the in-memory workspace follows the
//! database, and undo/redo restore exact states.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::common;

use tandem::app::{App, ColumnCommand, Command, ItemCommand, NewWorkspace, RoadmapCommand};
use tandem::model::ItemId;
use tandem::store::{MoveTarget, Store};

fn sample_app() -> (tempfile::TempDir, App) {
    let folder = tempfile::tempdir().unwrap();
    let app = App::open(&folder.path().join("w.sqlite"), NewWorkspace::Sample).unwrap();
    (folder, app)
}

/// The in-memory board must always equal the database's.
fn assert_in_step(app: &App) {
    for column in &app.workspace().columns {
        assert_eq!(
            app.workspace().column_items(column.column_id),
            app.store().column_order(column.column_id).unwrap().as_slice()
        );
    }
}

#[test]
fn create_undo_redo() {
    let (_folder, mut app) = sample_app();
    let ready = app.workspace().columns[1].column_id;
    let applied = app.apply(Command::Item(ItemCommand::Create(common::story("Keyboard checkout", ready)))).unwrap();
    let item_id = applied.item_id.unwrap();
    assert!(applied.message.contains("Created 'Keyboard checkout'"), "{}", applied.message);
    assert_eq!(app.workspace().column_items(ready).last(), Some(&item_id), "new items join at the bottom");
    assert_in_step(&app);

    app.undo().unwrap();
    assert!(app.store().item(item_id).is_err());
    assert!(app.workspace().item(item_id).is_none());
    app.redo().unwrap();
    assert_eq!(app.store().item(item_id).unwrap().title, "Keyboard checkout");
    assert_eq!(app.store().history(item_id).unwrap().len(), 1);
    assert_in_step(&app);
}

#[test]
fn delete_undo_restores_the_item_with_its_history_and_place() {
    let (_folder, mut app) = sample_app();
    let done = app.workspace().columns[4].column_id;
    let order_before = app.store().column_order(done).unwrap();
    let victim = order_before[3];
    let history_before = app.store().history(victim).unwrap();
    assert!(history_before.len() >= 4);
    let item_before = app.store().item(victim).unwrap();

    app.apply(Command::Item(ItemCommand::Delete(victim))).unwrap();
    assert!(app.store().item(victim).is_err());
    app.undo().unwrap();
    assert_eq!(app.store().item(victim).unwrap(), item_before);
    assert_eq!(app.store().history(victim).unwrap(), history_before);
    assert_eq!(app.store().column_order(done).unwrap(), order_before);
    assert_in_step(&app);
}

#[test]
fn move_undo_restores_the_exact_order_and_redo_reapplies() {
    let (_folder, mut app) = sample_app();
    let backlog = app.workspace().columns[0].column_id;
    let ready = app.workspace().columns[1].column_id;
    let backlog_before = app.store().column_order(backlog).unwrap();
    let ready_before = app.store().column_order(ready).unwrap();
    let moved = backlog_before[2];
    let applied = app
        .apply(Command::Item(ItemCommand::Move {
            item_id: moved,
            target: MoveTarget { column_id: ready, after_item: None },
        }))
        .unwrap();
    assert!(applied.message.contains("to position 1 of 9 in Ready"), "{}", applied.message);
    let backlog_after = app.store().column_order(backlog).unwrap();
    let ready_after = app.store().column_order(ready).unwrap();
    assert_eq!(ready_after[0], moved);
    assert_in_step(&app);

    app.undo().unwrap();
    assert_eq!(app.store().column_order(backlog).unwrap(), backlog_before);
    assert_eq!(app.store().column_order(ready).unwrap(), ready_before);
    assert_in_step(&app);
    app.redo().unwrap();
    assert_eq!(app.store().column_order(backlog).unwrap(), backlog_after);
    assert_eq!(app.store().column_order(ready).unwrap(), ready_after);
    assert_in_step(&app);
}

#[test]
fn edit_undo_restores_every_field() {
    let (_folder, mut app) = sample_app();
    let item_id: ItemId = app.workspace().column_items(app.workspace().columns[2].column_id)[0];
    let before = app.store().item(item_id).unwrap();
    let mut edited = before.clone();
    edited.title = "Renamed".into();
    edited.details.acceptance_criteria.clear();
    edited.column_id = app.workspace().columns[3].column_id;
    app.apply(Command::Item(ItemCommand::Update(edited))).unwrap();
    assert_eq!(app.store().item(item_id).unwrap().title, "Renamed");
    app.undo().unwrap();
    let restored = app.store().item(item_id).unwrap();
    assert_eq!(restored.title, before.title);
    assert_eq!(restored.details.acceptance_criteria, before.details.acceptance_criteria);
    assert_eq!(restored.column_id, before.column_id);
    assert_eq!(restored.rank, before.rank);
    assert_in_step(&app);
}

#[test]
fn a_refused_command_changes_nothing_and_is_not_undoable() {
    let (_folder, mut app) = sample_app();
    let before = common::dump(app.store());
    let mut blank = common::story("x", app.workspace().columns[0].column_id);
    blank.title = String::new();
    assert!(app.apply(Command::Item(ItemCommand::Create(blank))).is_err());
    assert_eq!(common::dump(app.store()), before);
    assert_eq!(app.undo_description(), None);
}

#[test]
fn the_workspace_survives_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("w.sqlite");
    let mut app = App::open(&path, NewWorkspace::Sample).unwrap();
    let ready = app.workspace().columns[1].column_id;
    app.apply(Command::Item(ItemCommand::Create(common::story("Survives", ready)))).unwrap();
    drop(app);
    let (mut store, _) = Store::open(&path).unwrap();
    let workspace = store.load().unwrap();
    assert_eq!(workspace.item_count(), 50);
    assert!(workspace.items().any(|item| item.title == "Survives"));
}

#[test]
fn columns_are_added_edited_moved_and_deleted_with_undo() {
    let (_folder, mut app) = sample_app();
    let names = |app: &App| app.workspace().columns.iter().map(|column| column.name.clone()).collect::<Vec<_>>();
    let stored = |app: &App| {
        tandem::store::board::columns_in_tx(app.store().connection())
            .unwrap()
            .iter()
            .map(|column| column.name.clone())
            .collect::<Vec<_>>()
    };
    let original = names(&app);

    app.apply(Command::Column(ColumnCommand::Add { name: "Blocked".into() })).unwrap();
    assert_eq!(stored(&app).last().map(String::as_str), Some("Blocked"));
    let blocked = app.workspace().columns.last().unwrap().clone();

    let mut renamed = blocked.clone();
    renamed.name = "Waiting for review".into();
    renamed.wip_limit = Some(2);
    app.apply(Command::Column(ColumnCommand::Update(renamed))).unwrap();
    app.apply(Command::Column(ColumnCommand::Move { column_id: blocked.column_id, to_index: 2 })).unwrap();
    assert_eq!(stored(&app)[2], "Waiting for review");
    assert_eq!(names(&app), stored(&app), "memory follows the file");

    // A column with cards cannot be deleted; an empty one can, and undo brings it back.
    let ready = app.workspace().columns[1].column_id;
    let error = app.apply(Command::Column(ColumnCommand::Delete(ready))).unwrap_err();
    assert!(error.to_string().contains("move them to another column"), "{error}");
    app.apply(Command::Column(ColumnCommand::Delete(blocked.column_id))).unwrap();
    assert_eq!(stored(&app), original);
    app.undo().unwrap();
    assert_eq!(stored(&app)[2], "Waiting for review");
    app.undo().unwrap(); // the move
    app.undo().unwrap(); // the rename
    app.undo().unwrap(); // the add
    assert_eq!(stored(&app), original);
    assert_eq!(names(&app), original);
    app.redo().unwrap();
    assert_eq!(stored(&app).last().map(String::as_str), Some("Blocked"));
    assert_in_step(&app);
}

#[test]
fn ordering_a_column_by_wsjf_is_one_undoable_command() {
    let (_folder, mut app) = sample_app();
    let backlog = app.workspace().columns[0].column_id;
    let before = app.store().column_order(backlog).unwrap();
    app.apply(Command::Column(ColumnCommand::OrderBy { column_id: backlog, score: tandem::app::PriorityScore::Wsjf }))
        .unwrap();
    let after = app.store().column_order(backlog).unwrap();
    let scores: Vec<f64> = after.iter().map(|id| app.store().item(*id).unwrap().wsjf().unwrap_or(-1.0)).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "highest WSJF first: {scores:?}");
    assert_ne!(after, before);
    assert_in_step(&app);
    app.undo().unwrap();
    assert_eq!(app.store().column_order(backlog).unwrap(), before, "one undo restores the whole order");
    assert_in_step(&app);
}

/// Two windows on one file: `a` and `b` are two `App`s, each with its own connection, as two
/// Tandem windows (or Tandem and the command line) would be.
fn two_windows() -> (tempfile::TempDir, App, App) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("shared.sqlite");
    let a = App::open(&path, NewWorkspace::Sample).unwrap();
    let b = App::open(&path, NewWorkspace::Sample).unwrap();
    (folder, a, b)
}

#[test]
fn an_undo_in_one_window_never_reverts_a_later_move_made_in_another() {
    let (_folder, mut a, mut b) = two_windows();
    let columns: Vec<_> = a.workspace().columns.iter().map(|column| column.column_id).collect();
    let (backlog, review, done) = (columns[0], columns[3], columns[4]);
    let card = a.workspace().column_items(backlog)[0];
    a.apply(Command::Item(ItemCommand::Move {
        item_id: card,
        target: MoveTarget { column_id: done, after_item: None },
    }))
    .unwrap();

    assert!(b.follow_external_changes().unwrap(), "the second window notices the first one's move");
    assert_eq!(b.workspace().item(card).unwrap().column_id, done);
    assert!(!b.follow_external_changes().unwrap(), "and reloads only once");
    b.apply(Command::Item(ItemCommand::Move {
        item_id: card,
        target: MoveTarget { column_id: review, after_item: None },
    }))
    .unwrap();

    let error = a.undo().unwrap_err();
    assert!(error.to_string().contains("Cannot undo"), "{error}");
    assert!(error.to_string().contains("another window"), "{error}");
    assert_eq!(a.store().item(card).unwrap().column_id, review, "the later move stands");
    // The refused entry stays: once the first window sees the newer state, its other history still works.
    assert!(a.undo_description().is_some());
}

/// A move names the card it lands below, and this window's board says where that card is; when
/// another window moved the card since, the move lands below it where it is now, or, if it left the
/// column, is refused with nothing written.
#[test]
fn a_move_below_a_card_another_window_moved_since_lands_below_it_where_it_is_now() {
    let (_folder, mut a, mut b) = two_windows();
    let backlog = a.workspace().columns[0].column_id;
    let other = a.workspace().columns[1].column_id;
    let ids = a.workspace().column_items(backlog).to_vec();
    assert!(ids.len() >= 6);
    b.apply(Command::Item(ItemCommand::Move {
        item_id: ids[3],
        target: MoveTarget { column_id: backlog, after_item: None },
    }))
    .unwrap();

    // Window A has not looked: its board has ids[3] fourth.
    a.apply(Command::Item(ItemCommand::Move {
        item_id: ids[5],
        target: MoveTarget { column_id: backlog, after_item: Some(ids[3]) },
    }))
    .unwrap();
    assert_eq!(&a.store().column_order(backlog).unwrap()[..3], &[ids[3], ids[5], ids[0]]);
    a.follow_external_changes().unwrap();
    assert_in_step(&a);

    b.follow_external_changes().unwrap();
    b.apply(Command::Item(ItemCommand::Move {
        item_id: ids[1],
        target: MoveTarget { column_id: other, after_item: None },
    }))
    .unwrap();
    let before = a.store().column_order(backlog).unwrap();
    let refused = a
        .apply(Command::Item(ItemCommand::MoveMany {
            item_ids: vec![ids[2], ids[4]],
            target: MoveTarget { column_id: backlog, after_item: Some(ids[1]) },
        }))
        .unwrap_err();
    assert!(refused.to_string().contains("no longer in that column"), "{refused}");
    assert_eq!(a.store().column_order(backlog).unwrap(), before, "nothing moved");
}

#[test]
fn a_stale_save_merges_other_fields_and_refuses_to_overwrite_the_same_field() {
    let (_folder, mut a, mut b) = two_windows();
    let card = a.workspace().column_items(a.workspace().columns[1].column_id)[0];
    let original = a.workspace().item(card).unwrap().clone();

    let mut renamed = original.clone();
    renamed.title = "Renamed in window A".to_owned();
    a.apply(Command::Item(ItemCommand::Update(renamed))).unwrap();

    // Window B has not looked since: its editor still shows the old title, and B changes the estimate.
    let mut estimated = b.workspace().item(card).unwrap().clone();
    estimated.points = Some(13.0);
    b.apply(Command::Item(ItemCommand::Update(estimated))).unwrap();
    let stored = b.store().item(card).unwrap();
    assert_eq!(stored.title, "Renamed in window A", "B's save did not revert A's title");
    assert_eq!(stored.points, Some(13.0));

    // Now both change the title: the stale one is refused, with a sentence, and nothing is written.
    let mut a_again = a.workspace().item(card).unwrap().clone();
    a_again.title = "A's second title".to_owned();
    a.follow_external_changes().unwrap();
    a.apply(Command::Item(ItemCommand::Update(a_again))).unwrap();
    let mut b_again = b.workspace().item(card).unwrap().clone();
    b_again.title = "B's competing title".to_owned();
    let error = b.apply(Command::Item(ItemCommand::Update(b_again))).unwrap_err();
    assert!(error.to_string().contains("both changed its title"), "{error}");
    assert_eq!(b.store().item(card).unwrap().title, "A's second title");
}

#[test]
fn a_column_added_after_another_writer_added_one_gets_its_own_place() {
    let (_folder, mut a, mut b) = two_windows();
    b.apply(Command::Column(ColumnCommand::Add { name: "QA".to_owned() })).unwrap();
    // Window A has not looked yet; its picture of the board has one column fewer.
    a.apply(Command::Column(ColumnCommand::Add { name: "Released".to_owned() })).unwrap();
    let positions: Vec<i64> = a
        .store()
        .connection()
        .prepare("SELECT position FROM board_columns ORDER BY position")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut unique = positions.clone();
    unique.dedup();
    assert_eq!(positions, unique, "no two columns share a place: {positions:?}");
    // A stale column edit is refused rather than dropping the column it does not know about.
    let mut stale = a.workspace().columns[0].clone();
    stale.name = "Ideas".to_owned();
    b.apply(Command::Column(ColumnCommand::Add { name: "Later".to_owned() })).unwrap();
    let error = a.apply(Command::Column(ColumnCommand::Update(stale))).unwrap_err();
    assert!(error.to_string().contains("another window or program"), "{error}");
    assert!(a.follow_external_changes().unwrap());
    assert_eq!(a.workspace().columns.len(), 8);
}

#[test]
fn a_write_while_another_program_holds_the_lock_is_refused_quickly_and_says_why() {
    let (folder, mut app) = sample_app();
    let other = rusqlite::Connection::open(folder.path().join("w.sqlite")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let ready = app.workspace().columns[1].column_id;
    let error = app.apply(Command::Item(ItemCommand::Create(common::story("Blocked", ready)))).unwrap_err();
    assert!(error.to_string().contains("Another program is using this workspace"), "{error}");
    other.execute_batch("ROLLBACK").unwrap();
    app.apply(Command::Item(ItemCommand::Create(common::story("Unblocked", ready)))).unwrap();
}

#[test]
fn saving_a_copy_replaces_a_file_whole_and_never_touches_the_open_workspace() {
    let (folder, app) = sample_app();
    let existing = folder.path().join("old copy.sqlite");
    std::fs::write(&existing, b"an older file that the copy replaces").unwrap();
    app.save_copy(&existing).unwrap();
    let (mut copy, _) = Store::open(&existing).unwrap();
    assert_eq!(copy.load().unwrap().item_count(), 49);

    std::fs::create_dir(folder.path().join("sub")).unwrap();
    let same_file = folder.path().join("sub").join("..").join("w.sqlite");
    let error = app.save_copy(&same_file).unwrap_err();
    assert!(error.to_string().contains("open workspace itself"), "{error}");
    // Nor over the log SQLite keeps beside it, which holds the latest changes.
    let log = folder.path().join("w.sqlite-wal");
    let log_before = std::fs::read(&log).unwrap();
    let error = app.save_copy(&log).unwrap_err();
    assert!(error.to_string().contains("open workspace itself"), "{error}");
    assert_eq!(std::fs::read(&log).unwrap(), log_before);
    let count: i64 = app.store().connection().query_row("SELECT count(*) FROM items", [], |row| row.get(0)).unwrap();
    assert_eq!(count, 49, "the open workspace is whole");
    let leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".tandem-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files are left behind");
    // A folder that is not there is said in the user's words.
    let error = app.save_copy(&folder.path().join("gone").join("copy.sqlite")).unwrap_err();
    assert!(
        error.to_string().starts_with("Could not save the copy: the folder does not exist. Nothing was written there"),
        "{error}"
    );
}

#[test]
fn stale_temporary_files_from_a_killed_run_are_removed_at_start() {
    let folder = tempfile::tempdir().unwrap();
    let stale = folder.path().join(".tandem-abc123.sqlite");
    let fresh = folder.path().join(".tandem-def456.sqlite");
    std::fs::write(&stale, vec![0u8; 4096]).unwrap();
    std::fs::write(&fresh, vec![0u8; 4096]).unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_hours(2);
    std::fs::File::options().write(true).open(&stale).unwrap().set_modified(two_hours_ago).unwrap();
    let _app = App::open(&folder.path().join("w.sqlite"), NewWorkspace::Sample).unwrap();
    assert!(!stale.exists(), "a temporary file from a killed run is cleaned up");
    assert!(fresh.exists(), "one that may belong to a running export is left alone");
}

#[test]
fn undo_says_when_its_history_is_full() {
    let (_folder, mut app) = sample_app();
    assert_eq!(app.nothing_to_undo(), "Nothing to undo.");
    let ready = app.workspace().columns[1].column_id;
    let card = app.workspace().column_items(ready)[0];
    let other = app.workspace().columns[2].column_id;
    for step in 0..=tandem::app::UNDO_LIMIT {
        let column_id = if step % 2 == 0 { other } else { ready };
        app.apply(Command::Item(ItemCommand::Move {
            item_id: card,
            target: MoveTarget { column_id, after_item: None },
        }))
        .unwrap();
    }
    while app.undo().unwrap().is_some() {}
    assert!(app.nothing_to_undo().contains("keeps the last 200 changes"), "{}", app.nothing_to_undo());
}

#[test]
fn sentences_about_a_large_column_group_its_numbers() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("large.sqlite");
    tandem::demo::generate(&path, 3_000).unwrap();
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let backlog = app.workspace().columns[0].column_id;
    let size = app.workspace().column_items(backlog).len();
    assert!(size >= 1_000, "the generated backlog holds {size} cards");
    let last = *app.workspace().column_items(backlog).last().unwrap();
    let above = app.workspace().column_items(backlog)[size - 3];
    let applied = app
        .apply(Command::Item(ItemCommand::Move {
            item_id: last,
            target: MoveTarget { column_id: backlog, after_item: Some(above) },
        }))
        .unwrap();
    let grouped = |value: usize| {
        let digits = value.to_string();
        format!("{},{}", &digits[..digits.len() - 3], &digits[digits.len() - 3..])
    };
    let expected = format!("to position {} of {} in Backlog.", grouped(size - 1), grouped(size));
    assert!(applied.message.contains(&expected), "{} (expected '{expected}')", applied.message);
    let undone = app.undo().unwrap().unwrap();
    let expected = format!("is at position {} of {} in Backlog.", grouped(size), grouped(size));
    assert!(undone.contains(&expected), "{undone} (expected '{expected}')");
}

#[test]
fn a_workspace_replaced_or_deleted_while_open_refuses_to_save_into_the_void_and_can_be_saved_as_a_copy() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("synced.sqlite");
    let mut app = App::open(&path, NewWorkspace::Sample).unwrap();
    let first = app.workspace().column_items(app.workspace().columns[0].column_id)[0];
    let rename = |app: &mut App, title: &str| {
        let mut item = app.workspace().item(first).unwrap().clone();
        item.title = title.to_owned();
        app.apply(Command::Item(ItemCommand::Update(item)))
    };
    rename(&mut app, "Saved while the file was in place").unwrap();

    // A sync client writes another version beside the file and renames it over.
    let other = folder.path().join("other.sqlite");
    drop(App::open(&other, NewWorkspace::Blank).unwrap());
    let theirs = std::fs::read(&other).unwrap();
    std::fs::rename(&other, &path).unwrap();
    let error = rename(&mut app, "Saved after the file was replaced").unwrap_err();
    assert!(error.to_string().contains("was moved, deleted or replaced by another program"), "{error}");
    assert!(error.to_string().contains("File ▸ Save a copy…"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), theirs, "the file now at that path is left as it is");

    // What the window shows can still be kept.
    let copy = folder.path().join("kept.sqlite");
    app.store().save_copy(&copy).unwrap();
    let kept = Store::open(&copy).unwrap().0.item(first).unwrap();
    assert_eq!(kept.title, "Saved while the file was in place");

    // Deleted outright: refused the same way.
    std::fs::remove_file(&path).unwrap();
    let error = rename(&mut app, "Saved after the file was deleted").unwrap_err();
    assert!(error.to_string().contains("was moved, deleted or replaced"), "{error}");
    assert!(!path.exists(), "nothing is made at the old path");
}

#[test]
fn a_full_disk_is_said_in_a_sentence_and_changes_nothing() {
    let (_folder, mut app) = sample_app();
    let ready = app.workspace().columns[1].column_id;
    let pages: i64 = app.store().connection().query_row("PRAGMA page_count", [], |row| row.get(0)).unwrap();
    // The file may not grow: what a full disk does to a write.
    app.store().connection().pragma_update(None, "max_page_count", pages).unwrap();
    let before = app.workspace().item_count();
    let mut item = common::story("A story with a very long description", ready);
    item.details.description = "Why it matters. ".repeat(1_180);
    let error = app.apply(Command::Item(ItemCommand::Create(item.clone()))).unwrap_err().to_string();
    assert!(error.contains("There is no room left for this workspace"), "{error}");
    assert!(error.contains("Nothing was changed. Free some disk space and try again."), "{error}");
    assert_eq!(app.workspace().item_count(), before);
    let stored: i64 = app.store().connection().query_row("SELECT count(*) FROM items", [], |row| row.get(0)).unwrap();
    assert_eq!(usize::try_from(stored).unwrap(), before, "nothing half-written");

    // With room again, the same change is saved.
    app.store().connection().pragma_update(None, "max_page_count", 1_073_741_823).unwrap();
    app.apply(Command::Item(ItemCommand::Create(item))).unwrap();
    assert_eq!(app.workspace().item_count(), before + 1);
}

/// Runs `work` on the worker thread as the window does, and waits for what it reports.
fn reported(work: tandem::app::jobs::Work) -> tandem::app::jobs::Outcome {
    let job = tandem::app::jobs::Job::start(work, || {});
    loop {
        if let Some(outcome) = job.poll() {
            return outcome;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// The most named person renamed by a worker's own `App` on the file, as the People window has it done
/// above a few thousand items: its outcome, not yet taken in by the window.
fn renamed_on_the_worker(app: &App, to: &str) -> (tandem::app::UndoEntry, Option<tandem::app::jobs::ReadBack>, String) {
    let people = app.workspace().people();
    let person = people.iter().max_by_key(|person| person.assigned + person.reported).unwrap().name.clone();
    let work = tandem::app::jobs::Work::Apply {
        workspace: app.path().to_owned(),
        command: Box::new(Command::Item(ItemCommand::RenamePerson { from: person.clone(), to: to.to_owned() })),
        title: String::new(),
    };
    let tandem::app::jobs::Outcome::Applied { result, read } = reported(work) else {
        panic!("the worker reported something else");
    };
    let (_, step) = result.unwrap();
    (step, read, person)
}

#[test]
fn the_window_shows_the_workspace_a_job_read_back_without_reading_it_again() {
    let (_folder, mut app) = sample_app();
    let (step, read, person) = renamed_on_the_worker(&app, "Ada Renamed");
    let read = read.expect("the worker read the workspace once its change was written");
    let revision = read.workspace().revision();
    app.took_in(step, Some(read)).unwrap();
    assert_eq!(app.workspace().revision(), revision, "the worker's read is what the window shows");
    let people = app.workspace().people();
    assert!(people.iter().any(|someone| someone.name == "Ada Renamed"));
    assert!(people.iter().all(|someone| someone.name != person));
    assert_in_step(&app);
    // What the window shows is what the file holds, and the step undoes as one.
    let stored = App::open(app.path(), NewWorkspace::Blank).unwrap();
    assert_eq!(stored.workspace().people(), app.workspace().people());
    app.undo().unwrap();
    assert!(app.workspace().people().iter().any(|someone| someone.name == person));
    assert!(!app.follow_external_changes().unwrap(), "the window saw every commit to the file");
}

#[test]
fn a_job_read_back_is_not_shown_when_another_window_wrote_since() {
    let (_folder, mut a, mut b) = two_windows();
    let (step, read, _) = renamed_on_the_worker(&a, "Ada Renamed");
    let read = read.expect("the worker read the workspace once its change was written");
    let revision = read.workspace().revision();
    // Between the worker's read and the window taking it in, window B saves a new title.
    let card = b.workspace().column_items(b.workspace().columns[1].column_id)[0];
    let mut renamed = b.workspace().item(card).unwrap().clone();
    renamed.title = "Saved in window B meanwhile".to_owned();
    b.apply(Command::Item(ItemCommand::Update(renamed))).unwrap();

    a.took_in(step, Some(read)).unwrap();
    assert_ne!(a.workspace().revision(), revision, "the stale read was not shown");
    assert_eq!(a.workspace().item(card).unwrap().title, "Saved in window B meanwhile");
    assert!(a.workspace().people().iter().any(|someone| someone.name == "Ada Renamed"));
    assert_in_step(&a);
    assert!(!a.follow_external_changes().unwrap(), "the window saw every commit to the file");
}

#[test]
fn undoing_an_increments_deletion_never_takes_back_an_objective_set_for_another_in_another_window() {
    let (_folder, mut a, mut b) = two_windows();
    let increments = a.workspace().increments.clone();
    let (current, next) = (increments[0].increment_id, increments[1].increment_id);
    let objective = a.workspace().objectives[0].clone();
    assert_eq!(objective.increment_id, Some(current), "the sample sets it for the running increment");
    let applied = a.apply(Command::Roadmap(RoadmapCommand::DeleteIncrement(current))).unwrap();
    assert!(applied.message.contains("The 2 objectives set for it stay, set for no increment."), "{}", applied.message);
    assert_eq!(a.workspace().objectives[0].increment_id, None);
    assert_eq!(a.workspace().objectives[0].planned_value, Some(9), "its values stay");

    // Window B sets the first objective for the next increment meanwhile.
    b.follow_external_changes().unwrap();
    let moved = tandem::model::Objective { increment_id: Some(next), ..b.workspace().objectives[0].clone() };
    b.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(moved))).unwrap();

    let error = a.undo().unwrap_err();
    assert!(error.to_string().contains("the program increment an objective is set for"), "{error}");
    a.follow_external_changes().unwrap();
    let stored = a.workspace();
    assert_eq!(stored.objectives[0].increment_id, Some(next), "B's choice stands");
    assert!(stored.increments.iter().all(|increment| increment.increment_id != current), "nothing was undone");
}

/// Asks `window` to follow the file's changes on the worker thread until it shows them (a minute at most).
fn followed_beside(window: &mut App) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while !window.follow_external_changes_beside(0).unwrap() {
        assert!(std::time::Instant::now() < deadline, "the worker's read never came in");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[test]
fn another_windows_change_is_read_on_a_worker_and_the_old_workspace_shown_until_it_is_in() {
    let (_folder, mut a, mut b) = two_windows();
    let backlog = a.workspace().columns[0].column_id;
    let done = a.workspace().columns[4].column_id;
    let card = a.workspace().column_items(backlog)[0];
    a.apply(Command::Item(ItemCommand::Move {
        item_id: card,
        target: MoveTarget { column_id: done, after_item: None },
    }))
    .unwrap();

    assert!(!b.follow_external_changes_beside(0).unwrap(), "the read has only begun");
    assert!(b.is_following());
    assert_eq!(b.workspace().item(card).unwrap().column_id, backlog, "the old workspace is shown meanwhile");
    followed_beside(&mut b);
    assert!(!b.is_following());
    assert_eq!(b.workspace().item(card).unwrap().column_id, done);
    assert_in_step(&b);
    assert!(!b.follow_external_changes_beside(0).unwrap(), "and read only once");
    assert!(!b.is_following(), "nothing changed since: nothing to read");
}

#[test]
fn a_read_outdated_by_this_windows_own_change_is_begun_again_and_keeps_both_changes() {
    let (_folder, mut a, mut b) = two_windows();
    let backlog = a.workspace().columns[0].column_id;
    let done = a.workspace().columns[4].column_id;
    let ids = a.workspace().column_items(backlog).to_vec();
    a.apply(Command::Item(ItemCommand::Move {
        item_id: ids[0],
        target: MoveTarget { column_id: done, after_item: None },
    }))
    .unwrap();
    assert!(!b.follow_external_changes_beside(0).unwrap());
    // Before the worker's read is taken in (it has read the file by now, 49 items), this window moves
    // another card: the read misses it, so it is let go and begun again.
    std::thread::sleep(std::time::Duration::from_millis(300));
    b.apply(Command::Item(ItemCommand::Move {
        item_id: ids[1],
        target: MoveTarget { column_id: done, after_item: None },
    }))
    .unwrap();
    assert!(!b.follow_external_changes_beside(0).unwrap(), "the read missed this window's move: begun again");
    assert!(b.is_following());
    followed_beside(&mut b);
    assert_eq!(b.workspace().item(ids[0]).unwrap().column_id, done, "the other window's move");
    assert_eq!(b.workspace().item(ids[1]).unwrap().column_id, done, "this window's own move");
    assert_in_step(&b);
    let step = b.undo_description().map(str::to_owned);
    assert!(step.is_some(), "this window's move can still be undone: {step:?}");
}

/// Numbers drawn at random from `seed`, always the same ones: `below(n)` is in `0..n`.
fn random_below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |bound| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % bound.max(1)
    }
}

/// Every item in memory is the file's, field by field (the time of its last change aside: an undo
/// writes its own), in the file's order.
fn assert_items_as_in_the_file(app: &App, reader: &mut Store, when: &str) {
    let connection = rusqlite::Connection::open(app.path()).unwrap();
    let mut on_board = connection
        .prepare("SELECT item_id FROM items WHERE column_id = ?1 AND archived_at IS NULL ORDER BY rank, item_id")
        .unwrap();
    for column in &app.workspace().columns {
        let file: Vec<ItemId> = on_board
            .query_map([column.column_id.0], |row| Ok(ItemId(row.get(0)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(app.workspace().column_items(column.column_id), file.as_slice(), "{when}: {}", column.name);
    }
    let file = reader.load().unwrap();
    for item in file.all_items() {
        let in_memory = app.workspace().item(item.item_id).map(|kept| {
            let mut kept = kept.clone();
            kept.updated_at = item.updated_at;
            kept
        });
        assert_eq!(in_memory.as_ref(), Some(item), "{when}: item {} in memory", item.item_id.0);
        let comments = app.workspace().comment_count(item.item_id);
        assert_eq!(comments, file.comment_count(item.item_id), "{when}: comments on item {}", item.item_id.0);
    }
    assert_eq!(app.workspace().item_count(), file.item_count(), "{when}");
    assert_eq!(app.workspace().archived_items().len(), file.archived_items().len(), "{when}");
}

#[test]
fn undoing_and_redoing_a_move_to_another_lane_leaves_the_board_as_the_file() {
    let (_folder, mut app) = sample_app();
    let (mut reader, _) = Store::open(app.path()).unwrap();
    let id = |app: &App, title: &str| app.workspace().items().find(|item| item.title == title).unwrap().item_id;
    let backlog = app.workspace().columns[0].column_id;
    let (reorder, dark) = (id(&app, "Reorder a past basket in one tap"), id(&app, "Dark mode with AA contrast"));
    let order = app.workspace().column_items(backlog).to_vec();
    let above_dark = order[order.iter().position(|item| *item == dark).unwrap() - 1];
    let epic = app.workspace().epics.iter().find(|epic| epic.title.starts_with("Accessible")).unwrap().epic_id;
    // Dropped into another lane, above a card further down its column: a new place and a new epic.
    let lane_move = |item_ids: Vec<ItemId>| {
        Command::Item(ItemCommand::MoveToLane {
            item_ids,
            target: MoveTarget { column_id: backlog, after_item: Some(above_dark) },
            epic_id: Some(epic),
        })
    };
    app.apply(lane_move(vec![reorder])).unwrap();
    assert_items_as_in_the_file(&app, &mut reader, "moved");
    app.undo().unwrap();
    assert_items_as_in_the_file(&app, &mut reader, "undone");
    assert_eq!(app.workspace().column_items(backlog), order.as_slice(), "back in its place");
    app.redo().unwrap();
    assert_items_as_in_the_file(&app, &mut reader, "redone");
    app.undo().unwrap();
    // Two cards at once, as a multi-selection is dragged.
    let first = order[0];
    app.apply(lane_move(vec![first, reorder])).unwrap();
    assert_items_as_in_the_file(&app, &mut reader, "two moved");
    app.undo().unwrap();
    assert_items_as_in_the_file(&app, &mut reader, "two undone");
    assert_eq!(app.workspace().column_items(backlog), order.as_slice());
}

/// Every kind of change to items, their undo and their redo, in a random order: after each one the
/// board in memory says what the file says. (The window draws from memory and computes the next move
/// from it: a card shown where the file does not have it is moved to the wrong place next.)
#[test]
fn after_any_change_undo_or_redo_the_items_in_memory_are_the_files() {
    use tandem::app::{Carry, PlanningCommand, PriorityScore};
    use tandem::model::{Comment, Timestamp};
    let (_folder, mut app) = sample_app();
    let (mut reader, _) = Store::open(app.path()).unwrap();
    let mut below = random_below(5);
    let mut made = 0;
    for step in 0..240 {
        let workspace = app.workspace();
        let ids: Vec<ItemId> = workspace.items().map(|item| item.item_id).collect();
        let columns: Vec<_> = workspace.columns.iter().map(|column| column.column_id).collect();
        let epics: Vec<_> = workspace.epics.iter().map(|epic| Some(epic.epic_id)).chain([None]).collect();
        let sprints: Vec<_> = workspace.sprints.iter().map(|sprint| Some(sprint.sprint_id)).chain([None]).collect();
        let (one, other) = (ids[below(ids.len())], ids[below(ids.len())]);
        let column = columns[below(columns.len())];
        let in_column = workspace.column_items(column).to_vec();
        let after = if in_column.is_empty() { None } else { Some(in_column[below(in_column.len())]) };
        let after = after.filter(|after| *after != one && *after != other);
        let target = MoveTarget { column_id: column, after_item: after };
        let mut item = workspace.item(one).unwrap().clone();
        let kind = below(17);
        let command = match kind {
            0 => Command::Item(ItemCommand::Move { item_id: one, target }),
            1 if one != other => Command::Item(ItemCommand::MoveMany { item_ids: vec![one, other], target }),
            2 => Command::Item(ItemCommand::MoveToLane {
                item_ids: if one == other { vec![one] } else { vec![one, other] },
                target,
                epic_id: epics[below(epics.len())],
            }),
            3 => {
                item.title = format!("{} ({step})", item.title);
                item.epic_id = epics[below(epics.len())];
                item.points = [None, Some(1.0), Some(5.0)][below(3)];
                Command::Item(ItemCommand::Update(item))
            }
            4 => {
                // A new status chosen in the editor: a move and an edit in one save.
                item.column_id = column;
                item.sprint_id = sprints[below(sprints.len())];
                Command::Item(ItemCommand::Update(item))
            }
            5 => {
                let mut new = item.clone();
                new.title = format!("New card {step}");
                new.column_id = column;
                Command::Item(ItemCommand::Create(new))
            }
            6 => Command::Item(ItemCommand::Delete(one)),
            7 => Command::Item(ItemCommand::Archive { item_ids: vec![one], archive: true }),
            8 => match workspace.archived_items().first() {
                Some(archived) => {
                    Command::Item(ItemCommand::Archive { item_ids: vec![archived.item_id], archive: false })
                }
                None => continue,
            },
            9 => Command::Item(ItemCommand::AddComment(Comment {
                comment_id: tandem::model::CommentId(0),
                item_id: one,
                author: "Dana (PO)".to_owned(),
                text: format!("Comment {step}"),
                created_at: Timestamp::now(),
            })),
            10 => Command::Column(ColumnCommand::OrderBy {
                column_id: column,
                score: if below(2) == 0 { PriorityScore::Wsjf } else { PriorityScore::Rice },
            }),
            11 => Command::Planning(PlanningCommand::PlanInSprint {
                item_ids: vec![one, other],
                sprint_id: sprints[below(sprints.len())],
            }),
            12 => {
                if below(2) == 0 {
                    let _ = app.undo();
                } else {
                    let _ = app.redo();
                }
                assert_items_as_in_the_file(&app, &mut reader, &format!("step {step}, undo or redo"));
                continue;
            }
            13 => match workspace.sprints.iter().find(|sprint| sprint.state() == tandem::model::SprintState::Active) {
                Some(sprint) => Command::Planning(PlanningCommand::CompleteSprint {
                    sprint_id: sprint.sprint_id,
                    carry_to: Carry::Backlog,
                }),
                None => continue,
            },
            // An epic or a sprint deleted: its items lose it (and get it back on undo).
            15 => match epics[below(epics.len())] {
                Some(epic_id) if below(3) == 0 => Command::Roadmap(RoadmapCommand::DeleteEpic(epic_id)),
                _ => continue,
            },
            16 => match sprints[below(sprints.len())] {
                Some(sprint_id) if below(3) == 0 => Command::Planning(PlanningCommand::DeleteSprint(sprint_id)),
                _ => continue,
            },
            _ => Command::Item(ItemCommand::RenamePerson { from: "Sam Lee".to_owned(), to: format!("Sam {step}") }),
        };
        let description = format!("{command:?}");
        if app.apply(command).is_ok() {
            made += 1;
        }
        assert_items_as_in_the_file(&app, &mut reader, &format!("step {step}, kind {kind}: {description}"));
    }
    assert!(made > 120, "most changes were made ({made})");
    // And all of them taken back, one by one.
    while app.undo().unwrap().is_some() {
        assert_items_as_in_the_file(&app, &mut reader, "undoing everything");
    }
}

/// The plan around the items (columns, epics, releases, increments, objectives, sprints, KPIs,
/// research, label colours) in memory is the file's, each list in the file's order.
fn assert_plan_as_in_the_file(app: &App, reader: &mut Store, when: &str) {
    let file = reader.load().unwrap();
    let memory = app.workspace();
    assert_eq!(memory.product, file.product, "{when}: product");
    assert_eq!(memory.columns, file.columns, "{when}: columns");
    assert_eq!(memory.epics, file.epics, "{when}: epics");
    assert_eq!(memory.releases, file.releases, "{when}: releases");
    assert_eq!(memory.increments, file.increments, "{when}: increments");
    assert_eq!(memory.objectives, file.objectives, "{when}: objectives");
    assert_eq!(memory.sprints, file.sprints, "{when}: sprints");
    assert_eq!(memory.metrics, file.metrics, "{when}: KPIs");
    assert_eq!(memory.personas, file.personas, "{when}: personas");
    assert_eq!(memory.insights, file.insights, "{when}: insights");
    assert_eq!(memory.label_colours, file.label_colours, "{when}: label colours");
}

/// A random change to the plan around the items for [`after_any_plan_change_undo_or_redo_the_plan_in_memory_is_the_files`]:
/// `kind` chooses which, `below` draws the rest; `None` when there is nothing of that kind to change.
fn random_plan_command(
    workspace: &tandem::model::Workspace,
    below: &mut impl FnMut(usize) -> usize,
    step: usize,
    kind: usize,
) -> Option<Command> {
    use tandem::app::{Carry, PlanningCommand, ResearchCommand};
    use tandem::model::SprintState;
    let days = |n: usize| jiff::Span::new().days(i64::try_from(n).unwrap() - 10);
    let pick = |len: usize, at: usize| (len > 0).then(|| at % len);
    let at = below(1_000);
    Some(match kind {
        0 => {
            let index = pick(workspace.epics.len(), at)?;
            let mut epic = workspace.epics[index].clone();
            let shift = days(below(21));
            epic.start_date = epic.start_date.checked_add(shift).unwrap();
            epic.end_date = epic.end_date.checked_add(shift).unwrap();
            epic.title = format!("{} ({step})", epic.title);
            Command::Roadmap(RoadmapCommand::UpdateEpic(epic))
        }
        1 => {
            // Anywhere in the year: the file lists epics by start date, not in the order they were made.
            let start =
                jiff::civil::date(2026, 1, 5).checked_add(jiff::Span::new().days(i64::try_from(at % 300).unwrap()));
            let start = start.unwrap();
            Command::Roadmap(RoadmapCommand::CreateEpic(tandem::model::Epic {
                epic_id: tandem::model::EpicId(0),
                title: format!("Epic {step}"),
                description: String::new(),
                colour: tandem::model::Colour([90, 60, 200]),
                start_date: start,
                end_date: start.checked_add(jiff::Span::new().days(40)).unwrap(),
                objective_id: None,
                depends_on: Vec::new(),
            }))
        }
        2 if workspace.epics.len() > 2 => {
            let index = pick(workspace.epics.len(), at)?;
            Command::Roadmap(RoadmapCommand::DeleteEpic(workspace.epics[index].epic_id))
        }
        3 => {
            let index = pick(workspace.releases.len(), at)?;
            let mut release = workspace.releases[index].clone();
            release.date = release.date.checked_add(days(below(21))).unwrap();
            Command::Roadmap(RoadmapCommand::UpdateRelease(release))
        }
        4 => {
            let index = pick(workspace.releases.len(), at)?;
            Command::Roadmap(RoadmapCommand::DeleteRelease(workspace.releases[index].release_id))
        }
        5 => {
            let index = pick(workspace.increments.len(), at)?;
            Command::Roadmap(RoadmapCommand::DeleteIncrement(workspace.increments[index].increment_id))
        }
        6 => {
            let index = pick(workspace.objectives.len(), at)?;
            let mut objective = workspace.objectives[index].clone();
            objective.title = format!("{} ({step})", objective.title);
            Command::Roadmap(RoadmapCommand::UpdateObjective(objective))
        }
        7 => {
            let index = pick(workspace.objectives.len(), at)?;
            Command::Roadmap(RoadmapCommand::DeleteObjective(workspace.objectives[index].objective_id))
        }
        8 => Command::Column(ColumnCommand::Add { name: format!("Column {step}") }),
        9 => {
            let index = pick(workspace.columns.len(), at)?;
            let mut column = workspace.columns[index].clone();
            column.name = format!("{} {step}", column.name.split(' ').next().unwrap_or("Column"));
            column.wip_limit = [None, Some(3), Some(8)][below(3)];
            Command::Column(ColumnCommand::Update(column))
        }
        10 => {
            let index = pick(workspace.columns.len(), at)?;
            let to_index = below(workspace.columns.len());
            Command::Column(ColumnCommand::Move { column_id: workspace.columns[index].column_id, to_index })
        }
        11 => {
            let index = pick(workspace.columns.len(), at)?;
            Command::Column(ColumnCommand::Delete(workspace.columns[index].column_id))
        }
        12 => {
            let index = pick(workspace.sprints.len(), at)?;
            if below(2) == 0 {
                Command::Planning(PlanningCommand::DeleteSprint(workspace.sprints[index].sprint_id))
            } else {
                let mut sprint = workspace.sprints[index].clone();
                sprint.goal = format!("Goal {step}");
                sprint.capacity_points = f64::from(u8::try_from(below(40)).unwrap());
                Command::Planning(PlanningCommand::UpdateSprint(sprint))
            }
        }
        13 => {
            let index = pick(workspace.metrics.len(), at)?;
            if below(3) == 0 {
                Command::Planning(PlanningCommand::DeleteMetric(workspace.metrics[index].metric_id))
            } else {
                let mut metric = workspace.metrics[index].clone();
                metric.target = metric.target.map(|target| target + 1.0);
                Command::Planning(PlanningCommand::UpdateMetric(metric))
            }
        }
        14 => {
            let persona = pick(workspace.personas.len(), at).map(|index| workspace.personas[index].persona_id);
            let insight = pick(workspace.insights.len(), at).map(|index| workspace.insights[index].insight_id);
            match (below(2), persona, insight) {
                (0, Some(persona), _) => Command::Research(ResearchCommand::DeletePersona(persona)),
                (_, _, Some(insight)) => Command::Research(ResearchCommand::DeleteInsight(insight)),
                _ => return None,
            }
        }
        // A sprint's life: started, completed with its unfinished work carried on, a new one.
        16 => {
            let state = |state| workspace.sprints.iter().find(|sprint| sprint.state() == state);
            match (state(SprintState::Active), state(SprintState::Planned)) {
                (Some(active), _) => Command::Planning(PlanningCommand::CompleteSprint {
                    sprint_id: active.sprint_id,
                    carry_to: match (below(3), state(SprintState::Planned)) {
                        (0, _) => Carry::Backlog,
                        (1, Some(planned)) => Carry::Sprint(planned.sprint_id),
                        _ => Carry::NewSprint(active.following()),
                    },
                }),
                (None, Some(planned)) => Command::Planning(PlanningCommand::StartSprint(planned.sprint_id)),
                (None, None) => return None,
            }
        }
        17 => {
            let index = pick(workspace.sprints.len(), at)?;
            let mut sprint = workspace.sprints[index].following();
            sprint.name = format!("Sprint x{step}");
            Command::Planning(PlanningCommand::CreateSprint(sprint))
        }
        18 => {
            let index = pick(workspace.insights.len(), at)?;
            let mut insight = workspace.insights[index].clone();
            insight.title = format!("{} ({step})", insight.title);
            if below(2) == 0 {
                insight.insight_id = tandem::model::InsightId(0);
                Command::Research(ResearchCommand::CreateInsight(insight))
            } else {
                Command::Research(ResearchCommand::UpdateInsight(insight))
            }
        }
        19 => {
            let index = pick(workspace.personas.len(), at)?;
            let mut persona = workspace.personas[index].clone();
            persona.name = format!("{} {step}", persona.name);
            Command::Research(ResearchCommand::UpdatePersona(persona))
        }
        _ => return None,
    })
}

/// Every kind of change to the plan around the items, their undo and their redo, in a random order:
/// after each one what the window shows (memory) is what the file holds.
#[test]
fn after_any_plan_change_undo_or_redo_the_plan_in_memory_is_the_files() {
    let (_folder, mut app) = sample_app();
    let (mut reader, _) = Store::open(app.path()).unwrap();
    let mut below = random_below(3);
    let mut made = 0;
    for step in 0..240 {
        let kind = below(23);
        let command = match random_plan_command(app.workspace(), &mut below, step, kind) {
            Some(command) => command,
            None if kind < 20 => continue,
            None => {
                if below(2) == 0 {
                    let _ = app.undo();
                } else {
                    let _ = app.redo();
                }
                assert_plan_as_in_the_file(&app, &mut reader, &format!("step {step}, undo or redo"));
                assert_items_as_in_the_file(&app, &mut reader, &format!("step {step}, undo or redo"));
                continue;
            }
        };
        let description = format!("{command:?}");
        if app.apply(command).is_ok() {
            made += 1;
        }
        let when = format!("step {step}, kind {kind}: {}", description.chars().take(160).collect::<String>());
        assert_plan_as_in_the_file(&app, &mut reader, &when);
        assert_items_as_in_the_file(&app, &mut reader, &when);
    }
    assert!(made > 70, "most changes were made ({made})");
    while app.undo().unwrap().is_some() {
        assert_plan_as_in_the_file(&app, &mut reader, "undoing everything");
        assert_items_as_in_the_file(&app, &mut reader, "undoing everything");
    }
}

/// What a window saved last for one field of one card, as two windows' test keeps it.
#[derive(Clone, Debug, PartialEq)]
enum Saved {
    Title(String),
    Points(Option<f64>),
    Column(tandem::model::ColumnId),
}

impl Saved {
    fn field(&self) -> u8 {
        match self {
            Self::Title(_) => 0,
            Self::Points(_) => 1,
            Self::Column(_) => 2,
        }
    }

    fn holds_in(&self, item: &tandem::model::BacklogItem) -> bool {
        match self {
            Self::Title(title) => &item.title == title,
            Self::Points(points) => &item.points == points,
            Self::Column(column) => &item.column_id == column,
        }
    }
}

/// Two windows on one file, each looking at the file only now and then (its picture of the board may
/// be old): one renames cards, the other estimates them, both move them, and either undoes its last
/// change now and then. Whatever either saves or undoes from an old picture, nothing the other made is
/// lost: every card keeps the last title, estimate and column a window saved for it (or what was
/// there before, after an undo), an undo that would take back the other's work is refused, and a
/// refusal leaves the file as it was.
#[test]
fn two_windows_working_from_old_pictures_never_undo_each_others_changes() {
    let (_folder, mut a, mut b) = two_windows();
    let (mut reader, _) = Store::open(a.path()).unwrap();
    let mut below = random_below(9);
    let ids: Vec<ItemId> = a.workspace().items().map(|item| item.item_id).collect();
    let columns: Vec<_> = a.workspace().columns.iter().map(|column| column.column_id).collect();
    // Per card and field, what was saved last; per window, its undo steps: the card, what it saved,
    // and what was saved before it.
    let mut saved: std::collections::HashMap<(ItemId, u8), Saved> = std::collections::HashMap::new();
    let mut steps: [Vec<(ItemId, Saved, Option<Saved>)>; 2] = [Vec::new(), Vec::new()];
    let (mut made, mut refused, mut undone) = (0, 0, 0);
    for step in 0..400 {
        let acting = below(2);
        let (window, other) = if acting == 0 { (&mut a, &mut b) } else { (&mut b, &mut a) };
        if below(3) == 0 {
            window.follow_external_changes().unwrap();
        }
        let file_before = reader.load().unwrap();
        if below(6) == 0 {
            match window.undo() {
                Ok(Some(_)) => {
                    let (card, mine, before) = steps[acting].pop().expect("the window had a step to undo");
                    let key = (card, mine.field());
                    assert_eq!(
                        saved.get(&key),
                        Some(&mine),
                        "step {step}: an undo took back the other window's change"
                    );
                    match before {
                        Some(before) => saved.insert(key, before),
                        None => saved.remove(&key),
                    };
                    undone += 1;
                }
                Ok(None) => {}
                Err(_) => {
                    refused += 1;
                    let file = reader.load().unwrap();
                    for item in file_before.all_items() {
                        assert_eq!(file.item(item.item_id), Some(item), "step {step}: a refused undo changed nothing");
                    }
                }
            }
        } else {
            // A few cards, so that the two windows often change the same one.
            let card = ids[below(5)];
            let mut item = window.workspace().item(card).unwrap().clone();
            let (command, mine) = match (below(2), acting) {
                (0, _) => {
                    let column = columns[below(columns.len())];
                    let target = MoveTarget { column_id: column, after_item: None };
                    (Command::Item(ItemCommand::Move { item_id: card, target }), Saved::Column(column))
                }
                (_, 0) => {
                    item.title = format!("Title {step}");
                    (Command::Item(ItemCommand::Update(item.clone())), Saved::Title(item.title))
                }
                _ => {
                    item.points = Some(f64::from(u16::try_from(step).unwrap()));
                    (Command::Item(ItemCommand::Update(item.clone())), Saved::Points(item.points))
                }
            };
            match window.apply(command) {
                // A move to where the card already is changes nothing and is no undo step.
                Ok(applied) if applied.message.contains("is already there") => {}
                Ok(_) => {
                    let before = saved.insert((card, mine.field()), mine.clone());
                    steps[acting].push((card, mine, before));
                    made += 1;
                }
                Err(_) => {
                    refused += 1;
                    let unchanged = file_before.item(card);
                    assert_eq!(
                        window.store().item(card).ok().as_ref(),
                        unchanged,
                        "step {step}: a refusal changed nothing"
                    );
                }
            }
        }
        // Each window, when it next looks, shows the file; and the file keeps what each one saved.
        other.follow_external_changes().unwrap();
        for ((card, _), value) in &saved {
            let item = other.workspace().item(*card).unwrap();
            assert!(value.holds_in(item), "step {step}: card {} lost {value:?}", card.0);
        }
    }
    assert!(made > 250 && undone > 20, "most saves were made ({made} made, {undone} undone, {refused} refused)");
}

#[test]
fn an_undo_never_drops_a_kpi_sample_or_a_link_to_what_it_deletes_that_another_window_made_since() {
    use tandem::app::{App, Command, NewWorkspace, PlanningCommand};
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("w.sqlite");
    let mut mine = App::open(&path, NewWorkspace::Sample).unwrap();
    let count =
        |sql: &str| -> i64 { rusqlite::Connection::open(&path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap() };

    // This window records a sample; another records the next day's. Undoing this window's edit wrote
    // the KPI as it was before it, without the other window's sample.
    let mut metric = mine.workspace().metrics[0].clone();
    metric.samples.push(tandem::model::MetricSample { date: jiff::civil::date(2026, 12, 1), value: 1.0 });
    mine.apply(Command::Planning(PlanningCommand::UpdateMetric(metric))).unwrap();
    {
        let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
        let mut theirs = other.workspace().metrics[0].clone();
        theirs.samples.push(tandem::model::MetricSample { date: jiff::civil::date(2026, 12, 2), value: 2.0 });
        other.apply(Command::Planning(PlanningCommand::UpdateMetric(theirs))).unwrap();
    }
    let refused = mine.undo().unwrap_err().to_string();
    assert!(refused.starts_with("Cannot undo: the KPI 'Checkout conversion' changed since"), "{refused}");
    assert_eq!(count("SELECT count(*) FROM metric_samples WHERE sample_date IN ('2026-12-01', '2026-12-02')"), 2);

    // This window adds a sprint; another plans a card in it. Undoing the sprint's creation took the
    // card out of it, unsaid.
    let mut sprint = mine.workspace().sprints[0].clone();
    sprint.sprint_id = tandem::model::SprintId(0);
    sprint.name = "Sprint 99".to_owned();
    sprint.started_at = None;
    sprint.completed_at = None;
    mine.apply(Command::Planning(PlanningCommand::CreateSprint(sprint))).unwrap();
    let sprint_id = mine.workspace().sprints.iter().find(|sprint| sprint.name == "Sprint 99").unwrap().sprint_id;
    let item_id = mine.workspace().items().next().unwrap().item_id;
    {
        let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
        let plan = PlanningCommand::PlanInSprint { item_ids: vec![item_id], sprint_id: Some(sprint_id) };
        other.apply(Command::Planning(plan)).unwrap();
    }
    let refused = mine.undo().unwrap_err().to_string();
    assert!(refused.starts_with("Cannot undo: items were planned in the sprint 'Sprint 99' since"), "{refused}");
    let planned = format!("SELECT count(*) FROM items WHERE item_id = {} AND sprint_id = {}", item_id.0, sprint_id.0);
    assert_eq!(count(&planned), 1, "the card stays in the sprint");

    // The same with an epic this window added and another window put a card in.
    let mut epic = mine.workspace().epics[0].clone();
    epic.epic_id = tandem::model::EpicId(0);
    epic.title = "Gift cards".to_owned();
    epic.depends_on.clear();
    mine.apply(Command::Roadmap(tandem::app::RoadmapCommand::CreateEpic(epic))).unwrap();
    let epic_id = mine.workspace().epics.iter().find(|epic| epic.title == "Gift cards").unwrap().epic_id;
    {
        let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
        let mut card = other.workspace().item(item_id).unwrap().clone();
        card.epic_id = Some(epic_id);
        other.apply(Command::Item(tandem::app::ItemCommand::Update(card))).unwrap();
    }
    let refused = mine.undo().unwrap_err().to_string();
    assert!(refused.starts_with("Cannot undo: cards were put in the epic 'Gift cards' since"), "{refused}");
    let in_epic = format!("SELECT count(*) FROM items WHERE item_id = {} AND epic_id = {}", item_id.0, epic_id.0);
    assert_eq!(count(&in_epic), 1, "the card stays in the epic");

    // And a persona this window added, given to an insight in another window.
    let persona = tandem::model::Persona {
        persona_id: tandem::model::PersonaId(0),
        name: "Night-shift nurse".to_owned(),
        description: String::new(),
    };
    mine.apply(Command::Research(tandem::app::ResearchCommand::CreatePersona(persona))).unwrap();
    let persona_id =
        mine.workspace().personas.iter().find(|persona| persona.name == "Night-shift nurse").unwrap().persona_id;
    {
        let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
        let mut insight = other.workspace().insights[0].clone();
        insight.persona_id = Some(persona_id);
        other.apply(Command::Research(tandem::app::ResearchCommand::UpdateInsight(insight))).unwrap();
    }
    let refused = mine.undo().unwrap_err().to_string();
    assert!(refused.starts_with("Cannot undo: insights were given the persona 'Night-shift nurse' since"), "{refused}");
    assert_eq!(count(&format!("SELECT count(*) FROM insights WHERE persona_id = {}", persona_id.0)), 1);
}

/// Every row of the plan; an item's history rows without their numbers, which are only numbers (an
/// undone delete gives them new ones), nor their times (a redone move is logged when it is redone),
/// and items without their time of change (an undone move is a change of the card, now).
fn plan(app: &App) -> String {
    let connection = app.store().connection();
    let mut names =
        connection.prepare("SELECT name FROM pragma_table_info('items') WHERE name <> 'updated_at'").unwrap();
    let names: Vec<String> = names.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    let mut statement = connection.prepare(&format!("SELECT {} FROM items ORDER BY 1", names.join(", "))).unwrap();
    let items: Vec<String> = statement
        .query_map([], |row| {
            Ok((0..names.len()).map(|at| format!("{:?}", row.get_ref(at).unwrap())).collect::<Vec<_>>().join("|"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut statement = connection
        .prepare("SELECT item_id, from_column_id, to_column_id FROM status_changes ORDER BY 1, changed_at, 2, 3")
        .unwrap();
    let history: Vec<String> = statement
        .query_map([], |row| {
            Ok(format!("{}|{:?}|{}", row.get::<_, i64>(0)?, row.get::<_, Option<i64>>(1)?, row.get::<_, i64>(2)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    format!(
        "{}## items\n{}\n## history\n{}",
        common::rows_of(connection, &["journal", "status_changes", "items"]),
        items.join("\n"),
        history.join("\n")
    )
}

/// The lines of two [`plan`]s that differ, shortened, or nothing.
fn differing(one: &str, other: &str) -> Vec<String> {
    let ones: std::collections::BTreeSet<&str> = one.lines().collect();
    let others: std::collections::BTreeSet<&str> = other.lines().collect();
    let only = |from: &std::collections::BTreeSet<&str>, to: &std::collections::BTreeSet<&str>, side: &str| {
        from.difference(to)
            .map(|line| format!("{side} {}", line.chars().take(200).collect::<String>()))
            .collect::<Vec<_>>()
    };
    let mut lines = only(&ones, &others, "before:");
    lines.extend(only(&others, &ones, "now:"));
    lines
}

/// Applies each command, then undoes, redoes and undoes it again, checking the file after each step
/// against the plan before and after the command.
fn undone_and_redone_exactly(app: &mut App, commands: Vec<Command>) {
    for command in commands {
        let before = plan(app);
        app.apply(command.clone()).unwrap();
        let after = plan(app);
        assert_ne!(after, before, "{command:?} changed nothing");
        app.undo().unwrap();
        assert_eq!(differing(&before, &plan(app)), Vec::<String>::new(), "{command:?} undone");
        app.redo().unwrap();
        assert_eq!(differing(&after, &plan(app)), Vec::<String>::new(), "{command:?} redone");
        app.undo().unwrap();
        assert_eq!(differing(&before, &plan(app)), Vec::<String>::new(), "{command:?} undone again");
        assert_in_step(app);
    }
}

#[test]
fn every_kind_of_delete_undone_leaves_the_file_as_it_was_and_redone_as_the_delete_left_it() {
    use tandem::app::{PlanningCommand, ResearchCommand};
    let (_folder, mut app) = sample_app();
    let most = |app: &App, sql: &str| -> i64 { app.store().connection().query_row(sql, [], |row| row.get(0)).unwrap() };
    let workspace = app.workspace().clone();
    // Each the record with the most that belongs to it or refers to it.
    let item = most(&app, "SELECT item_id FROM comments GROUP BY item_id ORDER BY count(*) DESC LIMIT 1");
    let epic = most(&app, "SELECT after_epic_id FROM epic_dependencies LIMIT 1");
    let sprint =
        most(&app, "SELECT sprint_id FROM items WHERE sprint_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
    let objective = most(
        &app,
        "SELECT objective_id FROM epics WHERE objective_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
    );
    let commands = vec![
        Command::Item(ItemCommand::DeleteComment(tandem::model::CommentId(most(
            &app,
            "SELECT comment_id FROM comments ORDER BY 1 LIMIT 1",
        )))),
        Command::Item(ItemCommand::Delete(ItemId(item))),
        Command::Roadmap(RoadmapCommand::DeleteEpic(tandem::model::EpicId(epic))),
        Command::Roadmap(RoadmapCommand::DeleteObjective(tandem::model::ObjectiveId(objective))),
        Command::Roadmap(RoadmapCommand::DeleteRelease(workspace.releases[0].release_id)),
        Command::Roadmap(RoadmapCommand::DeleteIncrement(workspace.increments[0].increment_id)),
        Command::Planning(PlanningCommand::DeleteMetric(workspace.metrics[0].metric_id)),
        Command::Planning(PlanningCommand::DeleteSprint(tandem::model::SprintId(sprint))),
        Command::Research(ResearchCommand::DeletePersona(workspace.personas[0].persona_id)),
        Command::Research(ResearchCommand::DeleteInsight(workspace.insights[0].insight_id)),
    ];
    undone_and_redone_exactly(&mut app, commands);
}

#[test]
fn every_kind_of_change_undone_and_redone_leaves_the_file_exactly_as_before_and_after() {
    use tandem::app::{Carry, PlanningCommand, ResearchCommand};
    use tandem::model::MoveTarget;
    let (_folder, mut app) = sample_app();
    let workspace = app.workspace().clone();
    let columns: Vec<_> = workspace.columns.iter().map(|column| column.column_id).collect();
    let backlog = workspace.column_items(columns[0]).to_vec();
    let ready = workspace.column_items(columns[1]).to_vec();
    let mut item = workspace.item(backlog[0]).unwrap().clone();
    item.title.push_str(" (edited)");
    item.points = Some(21.0);
    let mut labels = item.labels.to_vec();
    labels.push("workshop".to_owned());
    item.labels = labels.into();
    let mut renamed_column = workspace.columns[1].clone();
    renamed_column.name = "Refined".to_owned();
    let mut product = workspace.product.clone();
    product.vision.push_str(" Everywhere.");
    let mut epic = workspace.epics[0].clone();
    epic.start_date = tandem::model::add_days(epic.start_date, 7);
    epic.end_date = tandem::model::add_days(epic.end_date, 7);
    let mut objective = workspace.objectives[0].clone();
    objective.title.push_str(" (sharper)");
    let mut release = workspace.releases[0].clone();
    release.name.push_str(" (renamed)");
    let mut increment = workspace.increments[0].clone();
    increment.name.push_str(" (renamed)");
    let mut kpi = workspace.metrics[0].clone();
    let last = kpi.samples.iter().map(|sample| sample.date).max().unwrap();
    kpi.samples.push(tandem::model::MetricSample { date: tandem::model::add_days(last, 30), value: 4.4 });
    kpi.target = Some(5.0);
    let mut sprint = workspace.sprints[0].clone();
    sprint.goal.push_str(" And more.");
    let active = workspace.sprints.iter().find(|sprint| sprint.started_at.is_some() && sprint.completed_at.is_none());
    let mut persona = workspace.personas[0].clone();
    persona.name.push_str(" (renamed)");
    let mut insight = workspace.insights[0].clone();
    insight.title.push_str(" (sharper)");
    let person = workspace.items().find_map(|item| item.details.assignee.clone()).unwrap();
    let comment =
        tandem::model::Comment::new(backlog[1], "Dana (PO)", "Ready to split?", tandem::model::Timestamp::now());
    let mut commands = vec![
        Command::Item(ItemCommand::Update(item)),
        Command::Item(ItemCommand::Move {
            item_id: backlog[0],
            target: MoveTarget { column_id: columns[1], after_item: Some(ready[0]) },
        }),
        Command::Item(ItemCommand::MoveMany {
            item_ids: vec![backlog[1], backlog[2]],
            target: MoveTarget { column_id: columns[2], after_item: None },
        }),
        Command::Item(ItemCommand::Archive { item_ids: vec![backlog[3], ready[1]], archive: true }),
        Command::Item(ItemCommand::RenamePerson { from: person, to: "Someone Else".to_owned() }),
        Command::Item(ItemCommand::AddComment(comment)),
        Command::Item(ItemCommand::MoveToLane {
            item_ids: vec![backlog[4]],
            target: MoveTarget { column_id: columns[1], after_item: None },
            epic_id: Some(workspace.epics[1].epic_id),
        }),
        Command::Column(ColumnCommand::Add { name: "Blocked".to_owned() }),
        Command::Column(ColumnCommand::Update(renamed_column)),
        Command::Column(ColumnCommand::Move { column_id: columns[3], to_index: 1 }),
        Command::Column(ColumnCommand::OrderBy { column_id: columns[0], score: tandem::app::PriorityScore::Wsjf }),
        Command::Roadmap(RoadmapCommand::UpdateProduct(product)),
        Command::Roadmap(RoadmapCommand::UpdateEpic(epic)),
        Command::Roadmap(RoadmapCommand::UpdateObjective(objective)),
        Command::Roadmap(RoadmapCommand::UpdateRelease(release)),
        Command::Roadmap(RoadmapCommand::UpdateIncrement(increment)),
        Command::Planning(PlanningCommand::UpdateMetric(kpi)),
        Command::Planning(PlanningCommand::UpdateSprint(sprint)),
        Command::Planning(PlanningCommand::SetLabelColour { label: "checkout".to_owned(), colour: None }),
        Command::Planning(PlanningCommand::PlanInSprint {
            item_ids: vec![backlog[0], backlog[1]],
            sprint_id: Some(workspace.sprints[0].sprint_id),
        }),
        Command::Research(ResearchCommand::UpdatePersona(persona)),
        Command::Research(ResearchCommand::UpdateInsight(insight)),
    ];
    if let Some(active) = active {
        commands.push(Command::Planning(PlanningCommand::CompleteSprint {
            sprint_id: active.sprint_id,
            carry_to: Carry::Backlog,
        }));
    }
    undone_and_redone_exactly(&mut app, commands);
}

#[test]
fn a_card_moved_into_progress_by_mistake_and_put_back_with_undo_leaves_no_trace_in_its_history() {
    use tandem::model::MoveTarget;
    let (_folder, mut app) = sample_app();
    let columns: Vec<_> = app.workspace().columns.iter().map(|column| column.column_id).collect();
    let card = app.workspace().column_items(columns[0])[0];
    let history = |app: &App| -> Vec<tandem::model::StatusChange> {
        app.status_changes().unwrap().into_iter().filter(|change| change.item_id == card).collect()
    };
    let before = history(&app);
    app.apply(Command::Item(ItemCommand::Move {
        item_id: card,
        target: MoveTarget { column_id: columns[2], after_item: None },
    }))
    .unwrap();
    assert_eq!(history(&app).len(), before.len() + 1, "the move is logged");
    app.undo().unwrap();
    assert_eq!(history(&app), before, "the move taken back is taken out of the log: its cycle time has not started");
    // The same through the editor's status.
    let mut item = app.workspace().item(card).unwrap().clone();
    item.column_id = columns[2];
    app.apply(Command::Item(ItemCommand::Update(item))).unwrap();
    assert_eq!(history(&app).len(), before.len() + 1);
    app.undo().unwrap();
    assert_eq!(history(&app), before);
    // Redone, it is logged again; a move back by hand is logged as a move.
    app.redo().unwrap();
    assert_eq!(history(&app).len(), before.len() + 1);
    let back = MoveTarget { column_id: columns[0], after_item: None };
    app.apply(Command::Item(ItemCommand::Move { item_id: card, target: back })).unwrap();
    assert_eq!(history(&app).len(), before.len() + 2);
}
