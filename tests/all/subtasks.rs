//! Sub-tasks: added from their parent's editor, shown with their parent's progress, one level deep,
//! kept through the parent's delete and its undo, carried by the JSON document and the CSV. Checked in
//! the file.

use std::path::Path;

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{App, Command, ItemCommand, NewWorkspace};
use tandem::interchange;
use tandem::model::{BacklogItem, ItemId, ItemKind};
use tandem::store::Store;

use crate::common::{app_harness as harness, sample_workspace, wheel_down};

const PARENT: &str = "Confirm order with one tap for returning customers";

/// `(title, parent title)` of every sub-task in the file, sorted.
fn links(path: &Path) -> Vec<(String, String)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare("SELECT c.title, p.title FROM items c JOIN items p ON p.item_id = c.parent_id ORDER BY c.title")
        .unwrap();
    statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
}

fn id_of(app: &App, title: &str) -> ItemId {
    app.workspace().all_items().find(|item| item.title == title).unwrap().item_id
}

fn add_subtask(app: &mut App, parent: ItemId, title: &str) -> ItemId {
    let column = app.workspace().columns[0].column_id;
    let mut item = BacklogItem::new(ItemKind::Story, title, column, jiff::Timestamp::now());
    item.parent_id = Some(parent);
    app.apply(Command::Item(ItemCommand::Create(item))).unwrap().item_id.unwrap()
}

#[test]
fn a_sub_task_is_added_from_its_parents_editor_and_the_parent_shows_its_progress() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{PARENT} — ")).click();
    harness.run();
    wheel_down(&mut harness, "Edit item", 400.0);
    harness.get_by_label("Sub-tasks (none yet)");
    harness.get_by_label("+ Add sub-task").click();
    harness.run();
    harness.get_by_label("New item");
    harness.get_by_label_contains("Open the parent item, '");
    harness.get_by_label("Title").type_text("Remember the last payment method");
    harness.run();
    harness.get_by_label("Create item").click();
    harness.run();
    assert_eq!(links(&path), vec![("Remember the last payment method".to_owned(), PARENT.to_owned())]);
    let app = App::open(&path, NewWorkspace::Blank).unwrap();
    let child = app.workspace().item(id_of(&app, "Remember the last payment method")).unwrap();
    let parent = app.workspace().item(id_of(&app, PARENT)).unwrap();
    assert_eq!(child.epic_id, parent.epic_id, "in its parent's epic");
    assert_eq!(child.sprint_id, parent.sprint_id, "and sprint");
    assert_eq!(child.column_id, app.workspace().columns[0].column_id, "starting in the first column");
    let card = harness.get_by_label_contains(&format!("{PARENT} — ")).accesskit_node().label().unwrap_or_default();
    assert!(card.contains("0 of 1 sub-tasks done"), "{card}");
    let card = harness
        .get_by_label_contains("Remember the last payment method — ")
        .accesskit_node()
        .label()
        .unwrap_or_default();
    assert!(card.contains(&format!("sub-task of {PARENT}")), "{card}");
}

#[test]
fn sub_tasks_are_one_level_deep_and_the_refusals_say_why() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let parent = id_of(&app, PARENT);
    let child = add_subtask(&mut app, parent, "Child");
    let before = links(&path);
    // A sub-task of a sub-task.
    let column = app.workspace().columns[0].column_id;
    let mut grandchild = BacklogItem::new(ItemKind::Story, "Grandchild", column, jiff::Timestamp::now());
    grandchild.parent_id = Some(child);
    let error = app.apply(Command::Item(ItemCommand::Create(grandchild))).unwrap_err().to_string();
    assert!(error.contains("'Child' is itself a sub-task"), "{error}");
    // An item with sub-tasks under another.
    let other = id_of(&app, "Idempotent order submission API");
    let mut moved = app.workspace().item(parent).unwrap().clone();
    moved.parent_id = Some(other);
    let error = app.apply(Command::Item(ItemCommand::Update(moved))).unwrap_err().to_string();
    assert!(error.contains("has sub-tasks of its own"), "{error}");
    // Itself.
    let mut own = app.workspace().item(other).unwrap().clone();
    own.parent_id = Some(other);
    let error = app.apply(Command::Item(ItemCommand::Update(own))).unwrap_err().to_string();
    assert!(error.contains("cannot be a sub-task of itself"), "{error}");
    assert_eq!(links(&path), before, "nothing changed");
}

#[test]
fn deleting_a_parent_keeps_its_sub_tasks_and_undo_makes_them_its_again() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let parent = id_of(&app, PARENT);
    let first = add_subtask(&mut app, parent, "First step");
    let second = add_subtask(&mut app, parent, "Second step");
    app.apply(Command::Item(ItemCommand::Delete(parent))).unwrap();
    assert!(links(&path).is_empty(), "the sub-tasks stay, as items of their own");
    assert!(app.workspace().item(first).is_some_and(|item| item.parent_id.is_none()));
    assert!(app.workspace().children(parent).is_empty());
    app.undo().unwrap();
    assert_eq!(
        links(&path),
        vec![("First step".to_owned(), PARENT.to_owned()), ("Second step".to_owned(), PARENT.to_owned())]
    );
    assert_eq!(app.workspace().item(second).unwrap().parent_id, Some(parent));
    assert_eq!(app.workspace().subtask_progress(parent), (0, 2));
}

#[test]
fn sub_tasks_travel_through_the_json_document_and_the_csv() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    {
        let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
        let parent = id_of(&app, PARENT);
        add_subtask(&mut app, parent, "First step");
        add_subtask(&mut app, parent, "Second step");
    }
    let expected = links(&path);
    crate::common::round_trips(&folder, &path, |copy, name| {
        assert_eq!(links(copy), expected, "{name}");
    });
}

#[test]
fn a_document_with_a_sub_task_of_a_sub_task_is_refused_naming_the_item() {
    let folder = tempfile::tempdir().unwrap();
    let json = folder.path().join("nested.json");
    std::fs::write(
        &json,
        r#"{"format": "tandem-workspace", "version": 1, "product": {"name": "P", "vision": ""},
            "columns": [{"id": 1, "name": "Backlog"}],
            "items": [{"id": 1, "title": "Top", "column": 1},
                      {"id": 2, "parent": 1, "title": "Middle", "column": 1},
                      {"id": 3, "parent": 2, "title": "Bottom", "column": 1}]}"#,
    )
    .unwrap();
    let target = folder.path().join("target.sqlite");
    let document = interchange::read_document(&json, None).unwrap();
    let error = interchange::import(&mut Store::open(&target).unwrap().0, &document, false, false).unwrap_err();
    assert!(error.to_string().contains("item 'Bottom'") && error.to_string().contains("one level deep"), "{error}");
    assert!(links(&target).is_empty(), "nothing written");
}
