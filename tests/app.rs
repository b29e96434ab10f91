//! Commands through the app layer: each is one transaction, the in-memory workspace follows the
//! database, and undo/redo restore exact states.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use tandem::app::{App, Command, NewWorkspace};
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
    let applied = app.apply(Command::CreateItem(common::story("Keyboard checkout", ready))).unwrap();
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

    app.apply(Command::DeleteItem(victim)).unwrap();
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
        .apply(Command::MoveItem { item_id: moved, target: MoveTarget { column_id: ready, after_item: None } })
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
    edited.acceptance_criteria.clear();
    edited.column_id = app.workspace().columns[3].column_id;
    app.apply(Command::UpdateItem(edited)).unwrap();
    assert_eq!(app.store().item(item_id).unwrap().title, "Renamed");
    app.undo().unwrap();
    let restored = app.store().item(item_id).unwrap();
    assert_eq!(restored.title, before.title);
    assert_eq!(restored.acceptance_criteria, before.acceptance_criteria);
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
    assert!(app.apply(Command::CreateItem(blank)).is_err());
    assert_eq!(common::dump(app.store()), before);
    assert_eq!(app.undo_description(), None);
}

#[test]
fn the_workspace_survives_a_restart() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("w.sqlite");
    let mut app = App::open(&path, NewWorkspace::Sample).unwrap();
    let ready = app.workspace().columns[1].column_id;
    app.apply(Command::CreateItem(common::story("Survives", ready))).unwrap();
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
        tandem::store::planning::columns_in_tx(app.store().connection())
            .unwrap()
            .iter()
            .map(|column| column.name.clone())
            .collect::<Vec<_>>()
    };
    let original = names(&app);

    app.apply(Command::AddColumn { name: "Blocked".into() }).unwrap();
    assert_eq!(stored(&app).last().map(String::as_str), Some("Blocked"));
    let blocked = app.workspace().columns.last().unwrap().clone();

    let mut renamed = blocked.clone();
    renamed.name = "Waiting for review".into();
    renamed.wip_limit = Some(2);
    app.apply(Command::UpdateColumn(renamed)).unwrap();
    app.apply(Command::MoveColumn { column_id: blocked.column_id, to_index: 2 }).unwrap();
    assert_eq!(stored(&app)[2], "Waiting for review");
    assert_eq!(names(&app), stored(&app), "memory follows the file");

    // A column with cards cannot be deleted; an empty one can, and undo brings it back.
    let ready = app.workspace().columns[1].column_id;
    let error = app.apply(Command::DeleteColumn(ready)).unwrap_err();
    assert!(error.to_string().contains("move them to another column"), "{error}");
    app.apply(Command::DeleteColumn(blocked.column_id)).unwrap();
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
    app.apply(Command::OrderColumnBy { column_id: backlog, score: tandem::app::PriorityScore::Wsjf }).unwrap();
    let after = app.store().column_order(backlog).unwrap();
    let scores: Vec<f64> = after.iter().map(|id| app.store().item(*id).unwrap().wsjf().unwrap_or(-1.0)).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "highest WSJF first: {scores:?}");
    assert_ne!(after, before);
    assert_in_step(&app);
    app.undo().unwrap();
    assert_eq!(app.store().column_order(backlog).unwrap(), before, "one undo restores the whole order");
    assert_in_step(&app);
}
