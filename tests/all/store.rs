//! The workspace database: every entity's create, read, update and delete; moves; migrations; and
//! files Tandem must refuse without touching them.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::common;

use crate::common::{blank_store, column_ids, story};
use jiff::civil::date;
use tandem::model::{
    Colour, Column, ColumnId, Criterion, Direction, Epic, EpicId, IncrementId, ItemId, KeyResult, Metric,
    MetricCategory, MetricId, MetricSample, MetricUnit, Moscow, Objective, ObjectiveId, Product, ProgramIncrement,
    Release, ReleaseId, ReleaseKind, Sprint, SprintId, ValidationError,
};
use tandem::store::{MoveTarget, Opened, Store, StoreError, schema};

#[test]
fn items_are_created_read_updated_and_deleted() {
    let mut store = blank_store();
    let columns = column_ids(&store);
    let mut item = story("Pay with a saved card", columns[0]);
    item.details.description = "As a returning customer I want to pay with my saved card.".into();
    item.details.acceptance_criteria = vec![
        Criterion { text: "Card shown as last four digits".into(), done: false },
        Criterion { text: "CVC asked again".into(), done: true },
    ];
    item.labels = vec!["payments".into(), "checkout".into()].into();
    item.points = Some(5.0);
    item.business_value = 8;
    item.details.moscow = Some(Moscow::Must);
    let created = store.create_item(&item).unwrap();
    assert!(created.item_id.0 > 0);

    let read = store.item(created.item_id).unwrap();
    assert_eq!(read.title, "Pay with a saved card");
    assert_eq!(read.details.acceptance_criteria, item.details.acceptance_criteria);
    assert_eq!(read.labels, vec!["checkout".to_owned(), "payments".to_owned()], "labels come back sorted");
    assert_eq!(read.points, Some(5.0));
    assert_eq!(read.details.moscow, Some(Moscow::Must));
    let history = store.history(created.item_id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].from_column_id, None);
    assert_eq!(history[0].to_column_id, columns[0]);

    let mut edited = read.clone();
    edited.title = "Pay with a saved card or wallet".into();
    edited.column_id = columns[2];
    edited.details.acceptance_criteria.pop();
    let (before, after) = store.update_item(&edited).unwrap();
    assert_eq!(before.title, "Pay with a saved card");
    assert_eq!(after.column_id, columns[2]);
    let reread = store.item(created.item_id).unwrap();
    assert_eq!(reread.title, "Pay with a saved card or wallet");
    assert_eq!(reread.details.acceptance_criteria.len(), 1);
    let history = store.history(created.item_id).unwrap();
    assert_eq!(history.len(), 2, "a status change is logged when the column changes");
    assert_eq!(history[1].from_column_id, Some(columns[0]));

    let record = store.delete_item(created.item_id).unwrap();
    assert_eq!(record.history.len(), 2);
    assert!(matches!(store.item(created.item_id), Err(StoreError::NotFound { .. })));
    let criteria: i64 =
        store.connection().query_row("SELECT count(*) FROM acceptance_criteria", [], |row| row.get(0)).unwrap();
    assert_eq!(criteria, 0, "criteria go with their item");
}

/// The tables the newest journal entry changed, in the order it names them.
fn tables_in_last_change(store: &Store) -> Vec<String> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    let changeset: Vec<u8> = store
        .connection()
        .query_row("SELECT changeset FROM journal ORDER BY rowid DESC LIMIT 1", [], |row| row.get(0))
        .unwrap();
    let mut input: &[u8] = &changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut changes = rusqlite::session::ChangesetIter::start_strm(&reader).unwrap();
    let mut tables = Vec::new();
    while let Some(change) = changes.next().unwrap() {
        let table = change.op().unwrap().table_name().to_owned();
        if !tables.contains(&table) {
            tables.push(table);
        }
    }
    tables
}

#[test]
fn an_edit_writes_labels_and_criteria_again_only_when_they_change() {
    let mut store = blank_store();
    let columns = column_ids(&store);
    let mut item = story("Pay with a saved card", columns[0]);
    item.details.acceptance_criteria = vec![
        Criterion { text: "Card shown as last four digits".into(), done: false },
        Criterion { text: "CVC asked again".into(), done: false },
    ];
    item.labels = vec!["payments".into(), "checkout".into()].into();
    let created = store.create_item(&item).unwrap();

    // The item's own fields only: its labels and criteria are neither lost nor rewritten.
    let mut edited = store.item(created.item_id).unwrap();
    edited.title = "Pay with a saved card or wallet".into();
    edited.details.assignee = Some("Dana Kim".into());
    let rows_before = store.connection().total_changes();
    store.update_item(&edited).unwrap();
    assert_eq!(
        store.connection().total_changes() - rows_before,
        2,
        "two rows written: the item and its journal entry (no labels or criteria deleted and inserted again)"
    );
    let read = store.item(created.item_id).unwrap();
    assert_eq!(*read.labels, ["checkout", "payments"]);
    assert_eq!(read.details.acceptance_criteria, item.details.acceptance_criteria);
    assert_eq!(tables_in_last_change(&store), ["items"], "only the item's row changed");

    // Labels in another order say the same: still nothing else written.
    let mut reordered = read.clone();
    reordered.labels = vec!["payments".into(), "checkout".into()].into();
    reordered.title = "Pay with a card or a wallet".into();
    store.update_item(&reordered).unwrap();
    assert_eq!(tables_in_last_change(&store), ["items"]);

    // A label swapped and a criterion ticked are written.
    let mut relabelled = store.item(created.item_id).unwrap();
    relabelled.labels = vec!["growth".into(), "checkout".into()].into();
    relabelled.details.acceptance_criteria[1].done = true;
    store.update_item(&relabelled).unwrap();
    let read = store.item(created.item_id).unwrap();
    assert_eq!(*read.labels, ["checkout", "growth"]);
    assert_eq!(
        read.details.acceptance_criteria.iter().map(|criterion| criterion.done).collect::<Vec<_>>(),
        [false, true]
    );
    let tables = tables_in_last_change(&store);
    assert!(tables.iter().any(|table| table == "item_labels"), "{tables:?}");
    assert!(tables.iter().any(|table| table == "acceptance_criteria"), "{tables:?}");

    // The last criterion removed, the labels emptied.
    let mut emptied = store.item(created.item_id).unwrap();
    emptied.labels = tandem::model::Labels::NONE;
    emptied.details.acceptance_criteria.truncate(1);
    store.update_item(&emptied).unwrap();
    let read = store.item(created.item_id).unwrap();
    assert!(read.labels.is_empty());
    assert_eq!(read.details.acceptance_criteria.len(), 1);
}

#[test]
fn loading_keeps_details_only_for_items_that_have_them() {
    let mut store = blank_store();
    let columns = column_ids(&store);
    let plain = store.create_item(&story("Plain card", columns[0])).unwrap().item_id;
    let mut described = story("Described card", columns[0]);
    described.details.description = "Why it matters".into();
    let described = store.create_item(&described).unwrap().item_id;
    let mut checked = story("Checked card", columns[0]);
    checked.details.acceptance_criteria = vec![Criterion { text: "Works".into(), done: false }];
    let checked = store.create_item(&checked).unwrap().item_id;
    let mut assigned = story("Assigned card", columns[0]);
    assigned.details.assignee = Some("Dana Kim".into());
    let assigned = store.create_item(&assigned).unwrap().item_id;

    let workspace = store.load().unwrap();
    let item = |item_id| workspace.item(item_id).unwrap();
    assert!(!item(plain).details.is_allocated(), "a card without details keeps no room for them");
    assert_eq!(item(plain).details.description, "");
    assert_eq!(item(described).details.description, "Why it matters");
    assert_eq!(item(checked).details.acceptance_criteria.len(), 1);
    assert_eq!(item(assigned).details.assignee.as_deref(), Some("Dana Kim"));
    assert!(item(checked).details.is_allocated());
    assert!(!store.item(plain).unwrap().details.is_allocated(), "nor when read alone, as an edit's snapshot is");
    assert!(store.item(checked).unwrap().details.is_allocated());
}

#[test]
fn an_invalid_item_is_refused_and_nothing_is_stored() {
    let mut store = blank_store();
    let columns = column_ids(&store);
    let before = common::dump(&store);
    let blank = story("   ", columns[0]);
    assert!(matches!(store.create_item(&blank), Err(StoreError::Invalid(ValidationError::Empty { .. }))));
    let mut negative = story("Negative", columns[0]);
    negative.points = Some(-3.0);
    let error = store.create_item(&negative).unwrap_err();
    assert!(error.to_string().contains("estimate"), "{error}");
    let missing_column = story("Nowhere", ColumnId(999));
    assert!(matches!(store.create_item(&missing_column), Err(StoreError::NotFound { .. })));
    assert_eq!(common::dump(&store), before);
}

#[test]
fn moves_land_exactly_where_asked() {
    let mut store = blank_store();
    let columns = column_ids(&store);
    let ids: Vec<ItemId> = ["A", "B", "C", "D"]
        .iter()
        .map(|title| store.create_item(&story(title, columns[0])).unwrap().item_id)
        .collect();
    assert_eq!(store.column_order(columns[0]).unwrap(), ids);

    // D to the top.
    let outcome = store.move_item(ids[3], MoveTarget { column_id: columns[0], after_item: None }).unwrap();
    assert_eq!(outcome.rows_written, 1);
    assert_eq!(store.column_order(columns[0]).unwrap(), vec![ids[3], ids[0], ids[1], ids[2]]);
    // A below C (the bottom).
    store.move_item(ids[0], MoveTarget { column_id: columns[0], after_item: Some(ids[2]) }).unwrap();
    assert_eq!(store.column_order(columns[0]).unwrap(), vec![ids[3], ids[1], ids[2], ids[0]]);
    // B into the empty second column, then C below it.
    store.move_item(ids[1], MoveTarget { column_id: columns[1], after_item: None }).unwrap();
    store.move_item(ids[2], MoveTarget { column_id: columns[1], after_item: Some(ids[1]) }).unwrap();
    assert_eq!(store.column_order(columns[0]).unwrap(), vec![ids[3], ids[0]]);
    assert_eq!(store.column_order(columns[1]).unwrap(), vec![ids[1], ids[2]]);
    assert_eq!(store.history(ids[1]).unwrap().len(), 2, "crossing columns logs a status change");
    // Moving an item to where it already is writes nothing.
    let unchanged = store.move_item(ids[2], MoveTarget { column_id: columns[1], after_item: Some(ids[1]) }).unwrap();
    assert_eq!(unchanged.rows_written, 0);
    // An anchor in another column is refused.
    assert!(store.move_item(ids[3], MoveTarget { column_id: columns[1], after_item: Some(ids[0]) }).is_err());
}

#[test]
fn columns_are_created_updated_and_deleted_only_when_empty() {
    let mut store = blank_store();
    let column = store
        .insert_column(&Column {
            column_id: ColumnId(0),
            name: "Blocked".into(),
            position: 9,
            wip_limit: Some(2),
            is_done: false,
        })
        .unwrap();
    let mut renamed = column.clone();
    renamed.name = "Waiting".into();
    renamed.wip_limit = None;
    store.update_column(&renamed).unwrap();
    let stored = store.load().unwrap().columns.into_iter().find(|c| c.column_id == column.column_id).unwrap();
    assert_eq!(stored.name, "Waiting");
    assert_eq!(stored.wip_limit, None);

    let item = store.create_item(&story("Stuck", column.column_id)).unwrap();
    let error = store.delete_column(column.column_id).unwrap_err();
    assert!(matches!(error, StoreError::ColumnNotEmpty { count: 1, .. }), "{error}");
    store.delete_item(item.item_id).unwrap();
    store.delete_column(column.column_id).unwrap();
    assert!(store.load().unwrap().column(column.column_id).is_none());
}

/// The objective "Make checkout effortless", not stored yet.
fn checkout_objective(key_results: Vec<KeyResult>) -> Objective {
    Objective { key_results, ..Objective::titled("Make checkout effortless") }
}

#[test]
fn roadmap_entities_round_trip() {
    let mut store = blank_store();
    let objective = store
        .insert_objective(&checkout_objective(vec![KeyResult {
            title: "Conversion".into(),
            current_value: 3.1,
            target_value: 4.5,
            unit: "%".into(),
            lower_is_better: false,
        }]))
        .unwrap();
    let epic = store
        .insert_epic(&Epic {
            epic_id: EpicId(0),
            title: "One-tap checkout".into(),
            description: "Saved everything".into(),
            colour: Colour([0x2f, 0x6f, 0xde]),
            start_date: date(2026, 10, 5),
            end_date: date(2026, 12, 18),
            objective_id: Some(objective.objective_id),
            depends_on: Vec::new(),
        })
        .unwrap();
    let release = store
        .insert_release(&Release {
            release_id: ReleaseId(0),
            name: "3.2".into(),
            date: date(2026, 12, 10),
            kind: ReleaseKind::Release,
            description: String::new(),
        })
        .unwrap();
    let increment = store
        .insert_increment(&ProgramIncrement {
            increment_id: IncrementId(0),
            name: "PI 26.4".into(),
            start_date: date(2026, 10, 19),
            end_date: date(2027, 1, 8),
        })
        .unwrap();
    let sprint = store
        .insert_sprint(&Sprint {
            sprint_id: SprintId(0),
            name: "Sprint 1".into(),
            goal: "Ship".into(),
            start_date: date(2026, 10, 19),
            end_date: date(2026, 10, 30),
            capacity_points: 24.0,
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        })
        .unwrap();
    let workspace = store.load().unwrap();
    assert_eq!(workspace.objectives, vec![objective.clone()]);
    assert_eq!(workspace.epics, vec![epic.clone()]);
    assert_eq!(workspace.releases, vec![release.clone()]);
    assert_eq!(workspace.increments, vec![increment.clone()]);
    assert_eq!(workspace.sprints, vec![sprint.clone()]);

    let mut objective2 = objective.clone();
    objective2.key_results.push(KeyResult {
        title: "Time".into(),
        current_value: 190.0,
        target_value: 120.0,
        unit: "s".into(),
        lower_is_better: true,
    });
    store.update_objective(&objective2).unwrap();
    let mut epic2 = epic.clone();
    epic2.end_date = date(2027, 1, 15);
    store.update_epic(&epic2).unwrap();
    let mut release2 = release.clone();
    release2.kind = ReleaseKind::Milestone;
    store.update_release(&release2).unwrap();
    let mut increment2 = increment.clone();
    increment2.name = "PI 27.1".into();
    store.update_increment(&increment2).unwrap();
    let mut sprint2 = sprint.clone();
    sprint2.capacity_points = 30.0;
    store.update_sprint(&sprint2).unwrap();
    let workspace = store.load().unwrap();
    assert_eq!(workspace.objectives, vec![objective2]);
    assert_eq!(workspace.epics, vec![epic2.clone()]);
    assert_eq!(workspace.releases, vec![release2]);
    assert_eq!(workspace.increments, vec![increment2]);
    assert_eq!(workspace.sprints, vec![sprint2]);

    let mut reversed = epic2.clone();
    reversed.end_date = date(2026, 1, 1);
    assert!(matches!(store.update_epic(&reversed), Err(StoreError::Invalid(ValidationError::EndBeforeStart { .. }))));

    store.delete_objective(objective.objective_id).unwrap();
    assert_eq!(store.load().unwrap().epics[0].objective_id, None, "an epic outlives its objective");
    store.delete_epic(epic.epic_id).unwrap();
    store.delete_release(release.release_id).unwrap();
    store.delete_increment(increment.increment_id).unwrap();
    store.delete_sprint(sprint.sprint_id).unwrap();
    let workspace = store.load().unwrap();
    assert!(workspace.epics.is_empty() && workspace.releases.is_empty() && workspace.increments.is_empty());
    assert!(workspace.sprints.is_empty() && workspace.objectives.is_empty());
    assert!(matches!(store.delete_epic(epic.epic_id), Err(StoreError::NotFound { .. })));
}

#[test]
fn a_kpi_serves_an_objective_until_the_objective_is_deleted_and_never_one_that_is_gone() {
    let mut store = blank_store();
    let objective = store.insert_objective(&checkout_objective(Vec::new())).unwrap();
    let metric = store
        .insert_metric(&Metric {
            metric_id: MetricId(0),
            name: "Conversion".into(),
            unit: MetricUnit::Percent,
            direction: Direction::HigherIsBetter,
            category: MetricCategory::Product,
            target: Some(4.5),
            description: String::new(),
            objective_id: Some(objective.objective_id),
            samples: vec![MetricSample { date: date(2026, 1, 1), value: 3.4 }],
        })
        .unwrap();
    assert_eq!(store.load().unwrap().metrics, vec![metric.clone()]);
    let gone = Metric { objective_id: Some(ObjectiveId(999)), ..metric.clone() };
    assert!(matches!(store.update_metric(&gone), Err(StoreError::NotFound { what: "objective", id: 999 })));
    assert_eq!(store.load().unwrap().metrics, vec![metric.clone()], "a refused link changes nothing");
    store.delete_objective(objective.objective_id).unwrap();
    let kept = store.load().unwrap().metrics;
    assert_eq!(kept, vec![Metric { objective_id: None, ..metric }], "the KPI stays, serving none, with its samples");
}

#[test]
fn a_pi_objective_keeps_its_increment_and_business_values_and_never_names_an_increment_that_is_gone() {
    let mut store = blank_store();
    let increment = store
        .insert_increment(&ProgramIncrement {
            increment_id: IncrementId(0),
            name: "PI 27.1".into(),
            start_date: date(2027, 1, 11),
            end_date: date(2027, 3, 19),
        })
        .unwrap();
    let objective = store
        .insert_objective(&Objective {
            increment_id: Some(increment.increment_id),
            planned_value: Some(9),
            actual_value: Some(0),
            uncommitted: true,
            ..checkout_objective(Vec::new())
        })
        .unwrap();
    assert_eq!(store.load().unwrap().objectives, vec![objective.clone()]);

    let gone = Objective { increment_id: Some(IncrementId(999)), ..objective.clone() };
    let error = store.update_objective(&gone).unwrap_err();
    assert!(matches!(error, StoreError::NotFound { what: "program increment", id: 999 }), "{error}");
    let off_scale = Objective { planned_value: Some(11), ..objective.clone() };
    let error = store.update_objective(&off_scale).unwrap_err();
    assert!(error.to_string().contains("planned business value"), "{error}");
    assert_eq!(store.load().unwrap().objectives, vec![objective.clone()], "a refused save changes nothing");

    store.delete_increment(increment.increment_id).unwrap();
    assert_eq!(
        store.load().unwrap().objectives,
        vec![Objective { increment_id: None, ..objective }],
        "the objective stays, set for no increment, with its values"
    );
}

#[test]
fn metrics_and_the_product_round_trip() {
    let mut store = blank_store();
    let metric = store
        .insert_metric(&Metric {
            metric_id: MetricId(0),
            name: "Churn".into(),
            unit: MetricUnit::Percent,
            direction: Direction::LowerIsBetter,
            category: MetricCategory::Product,
            target: Some(2.0),
            description: "Monthly".into(),
            objective_id: None,
            samples: vec![
                MetricSample { date: date(2026, 1, 1), value: 3.4 },
                MetricSample { date: date(2026, 2, 1), value: 3.1 },
            ],
        })
        .unwrap();
    assert_eq!(store.load().unwrap().metrics, vec![metric.clone()]);
    let mut edited = metric.clone();
    edited.samples.push(MetricSample { date: date(2026, 3, 1), value: 2.9 });
    edited.category = MetricCategory::Inclusivity;
    store.update_metric(&edited).unwrap();
    assert_eq!(store.load().unwrap().metrics, vec![edited.clone()]);
    let mut invalid = edited.clone();
    invalid.samples.push(MetricSample { date: date(2026, 4, 1), value: 140.0 });
    assert!(store.update_metric(&invalid).is_err());
    assert_eq!(store.load().unwrap().metrics, vec![edited], "a refused update keeps the old samples");
    store.delete_metric(metric.metric_id).unwrap();
    assert!(store.load().unwrap().metrics.is_empty());

    store.update_product(&Product { name: "Basket".into(), vision: "Groceries in three minutes".into() }).unwrap();
    assert_eq!(store.load().unwrap().product.name, "Basket");
    assert!(store.update_product(&Product { name: " ".into(), vision: String::new() }).is_err());
}

fn temp_path(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join(name);
    (folder, path)
}

#[test]
fn a_version_1_file_is_migrated_and_keeps_its_items() {
    let (_folder, path) = temp_path("old.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch(schema::MIGRATIONS[0]).unwrap();
        connection.pragma_update(None, "user_version", 1).unwrap();
        connection.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
        connection
            .execute_batch(
                "INSERT INTO board_columns (name, position) VALUES ('Backlog', 0);
                 INSERT INTO items (kind, title, column_id, rank, raised_by, created_at, updated_at, points)
                 VALUES ('bug', 'Old bug', 1, 'V', 'po', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 3);",
            )
            .unwrap();
    }
    let (mut store, opened) = Store::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
    let version: i64 = store.connection().query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, schema::latest_version());
    let workspace = store.load().unwrap();
    let item = workspace.items().next().unwrap();
    assert_eq!(item.title, "Old bug");
    assert_eq!(item.points, Some(3.0));
    assert_eq!(item.details.rice.reach, None, "columns added by version 2 start empty");
    assert_eq!(item.details.moscow, None);
    // Version 5's baselines work on the old file.
    assert!(store.baselines().unwrap().is_empty());
    let baseline = store.save_baseline("After migration", "", jiff::Timestamp::now()).unwrap();
    assert_eq!(baseline.items, 1);
    let kept = store.baseline_snapshot(baseline.baseline_id).unwrap();
    assert_eq!(kept, store.snapshot().unwrap(), "a baseline keeps the plan as it stood");
}

#[test]
fn a_version_18_journal_keeps_its_entries_and_order_and_a_merge_undone_and_redone_adds_each_id_once() {
    let (_folder, path) = temp_path("journal18.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        for sql in &schema::MIGRATIONS[..18] {
            connection.execute_batch(sql).unwrap();
        }
        connection.pragma_update(None, "user_version", 18).unwrap();
        connection.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
        connection
            .execute_batch(
                "INSERT INTO board_columns (name, position) VALUES ('Backlog', 0);
                 INSERT INTO journal (seq, change_id, at, changeset) VALUES
                     (3, 'c', '2026-01-03T00:00:00Z', x'03'),
                     (1, 'a', '2026-01-01T00:00:00Z', x'01'),
                     (7, 'b', '2026-01-02T00:00:00Z', x'02');
                 DELETE FROM journal WHERE seq = 7;
                 INSERT INTO journal (change_id, at, changeset) VALUES ('d', '2026-01-04T00:00:00Z', x'04');",
            )
            .unwrap();
    }
    let (mut store, _) = Store::open(&path).unwrap();
    store.load().unwrap();
    let entries = |store: &Store| -> Vec<(i64, String)> {
        let mut statement = store.connection().prepare("SELECT seq, change_id FROM journal ORDER BY seq").unwrap();
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    // Version 18's AUTOINCREMENT gave 'd' the number after the deleted 7.
    let kept = vec![(1, "a".to_owned()), (3, "c".to_owned()), (8, "d".to_owned())];
    assert_eq!(entries(&store), kept, "every entry, with its number, in its order");
    let order: Vec<String> =
        tandem::store::journal::entries(store.connection()).unwrap().into_iter().map(|entry| entry.change_id).collect();
    assert_eq!(order, ["a", "c", "d"]);

    // A write after the migration comes last.
    store.create_item(&story("After the migration", column_ids(&store)[0])).unwrap();
    let now = entries(&store);
    assert_eq!(now.len(), 4);
    assert!(now[3].0 > 8, "{now:?}");

    // A merge's entries, redone and undone: an id the journal has is not added again, and undoing
    // takes each imported id out.
    let imported = vec![("c".to_owned(), vec![3_u8]), ("e".to_owned(), vec![5_u8])];
    let set = |store: &mut Store, present: bool| {
        store.write(|tx| tandem::store::journal::set_imported(tx, &imported, present)).unwrap();
    };
    set(&mut store, true);
    set(&mut store, true);
    let ids: Vec<String> = entries(&store).into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids.iter().filter(|id| *id == "c").count(), 1, "{ids:?}");
    assert_eq!(ids.iter().filter(|id| *id == "e").count(), 1, "{ids:?}");
    set(&mut store, false);
    let ids: Vec<String> = entries(&store).into_iter().map(|(_, id)| id).collect();
    assert!(!ids.contains(&"c".to_owned()) && !ids.contains(&"e".to_owned()), "{ids:?}");
    assert!(ids.contains(&"a".to_owned()) && ids.contains(&"d".to_owned()), "{ids:?}");
}

#[test]
fn a_baseline_saved_in_format_17_is_migrated_as_one_that_kept_no_objectives_or_research() {
    let (_folder, path) = temp_path("format17.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        for sql in &schema::MIGRATIONS[..17] {
            connection.execute_batch(sql).unwrap();
        }
        connection.pragma_update(None, "user_version", 17).unwrap();
        connection.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
        connection
            .execute_batch(
                "INSERT INTO board_columns (name, position) VALUES ('Backlog', 0);
                 INSERT INTO items (kind, title, column_id, rank, raised_by, created_at, updated_at)
                 VALUES ('story', 'Old story', 1, 'V', 'po', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                 INSERT INTO objectives (title) VALUES ('Make checkout effortless');
                 INSERT INTO baselines (name, created_at) VALUES ('Format 17', '2026-11-01T09:00:00Z');
                 INSERT INTO baseline_items SELECT 1, item_id, created_at, title, column_id, 'Backlog', 1, NULL,
                     NULL, NULL, NULL, NULL FROM items;",
            )
            .unwrap();
    }
    let (mut store, _) = Store::open(&path).unwrap();
    store.load().unwrap();
    let format: i64 = store.connection().query_row("SELECT format FROM baselines", [], |row| row.get(0)).unwrap();
    assert_eq!(format, 17);
    let old = store.baseline_snapshot(1).unwrap();
    assert_eq!(old.items.len(), 1);
    assert_eq!(old.objectives_and_research, None, "it kept none, and does not claim an empty list");
    let now = store.snapshot().unwrap();
    assert_eq!(now.objectives_and_research.as_ref().map(|kept| kept.objectives.len()), Some(1));
    assert!(tandem::model::compare::compare(&old, &now).is_empty(), "the objective is not called new");
    // One saved now keeps them.
    let baseline = store.save_baseline("Format 18", "", jiff::Timestamp::now()).unwrap();
    assert_eq!(store.baseline_snapshot(baseline.baseline_id).unwrap(), now);
}

#[test]
fn a_file_from_a_newer_tandem_is_refused_and_left_byte_identical() {
    let (_folder, path) = temp_path("newer.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch("CREATE TABLE future (x);").unwrap();
        connection.pragma_update(None, "user_version", schema::latest_version() + 5).unwrap();
        connection.pragma_update(None, "application_id", schema::APPLICATION_ID).unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::TooNew { .. }), "{error}");
    assert!(error.to_string().contains("newer version of Tandem"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn garbage_is_refused_and_left_byte_identical() {
    let (_folder, path) = temp_path("garbage.sqlite");
    let bytes: Vec<u8> = (0..8192u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 13).to_le_bytes()[0]).collect();
    std::fs::write(&path, &bytes).unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::NotADatabase { .. }), "{error}");
    assert!(error.to_string().contains("It was not changed"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn another_programs_database_is_refused_and_left_byte_identical() {
    let (_folder, path) = temp_path("other.sqlite");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');").unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::NotTandem { .. }), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_new_file_is_created_then_reopened_as_existing() {
    let (_folder, path) = temp_path("new.sqlite");
    let (store, opened) = Store::open(&path).unwrap();
    assert_eq!(opened, Opened::Created);
    drop(store);
    let (_store, opened) = Store::open(&path).unwrap();
    assert_eq!(opened, Opened::Existing);
}

#[test]
fn save_copy_writes_a_consistent_workspace() {
    let (folder, path) = temp_path("work.sqlite");
    let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Sample).unwrap();
    let first = app.workspace().columns[0].column_id;
    app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Create(story("Only in the copy's source", first))))
        .unwrap();
    let copy = folder.path().join("copy.sqlite");
    app.save_copy(&copy).unwrap();
    let (mut copied, _) = Store::open(&copy).unwrap();
    let workspace = copied.load().unwrap();
    assert_eq!(workspace.item_count(), 50);
    assert!(workspace.items().any(|item| item.title == "Only in the copy's source"));
}

#[test]
fn a_file_in_a_missing_folder_gets_a_message_about_the_folder() {
    let (_folder, path) = temp_path("missing/deeper/plan.sqlite");
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::CannotOpen { .. }), "{error}");
    assert!(error.to_string().contains("Check that its folder exists"), "{error}");
}

#[test]
fn epic_dependencies_are_stored_exported_and_removed_with_their_epic() {
    use tandem::store::roadmap::{delete_epic_in_tx, insert_epic_in_tx, update_epic_in_tx};
    let mut store = blank_store();
    let epic = |title: &str, start, end| Epic {
        epic_id: EpicId(0),
        title: title.into(),
        description: String::new(),
        colour: Colour([0x2f, 0x6f, 0xde]),
        start_date: start,
        end_date: end,
        objective_id: None,
        depends_on: Vec::new(),
    };
    let (first, mut second) = store
        .write(|tx| {
            let first = insert_epic_in_tx(tx, &epic("Payments", date(2026, 1, 5), date(2026, 2, 27)))?;
            let second = insert_epic_in_tx(tx, &epic("Wallet", date(2026, 3, 2), date(2026, 4, 24)))?;
            Ok((first, second))
        })
        .unwrap();
    second.depends_on = vec![first.epic_id];
    store.write(|tx| update_epic_in_tx(tx, &second)).unwrap();
    let workspace = store.load().unwrap();
    assert_eq!(workspace.epic(second.epic_id).unwrap().depends_on, vec![first.epic_id]);

    let json = tandem::interchange::document::Document::from_store(&mut store).unwrap().to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let wallet = value["epics"].as_array().unwrap().iter().find(|epic| epic["title"] == "Wallet").unwrap();
    assert_eq!(wallet["starts_after"], serde_json::json!([1]), "{json}");
    let document = tandem::interchange::document::Document::from_json(&json).unwrap();
    let mut copy = Store::open_in_memory().unwrap();
    tandem::interchange::import(&mut copy, &document, false, false).unwrap();
    let copied = copy.load().unwrap();
    let wallet = copied.epics.iter().find(|epic| epic.title == "Wallet").unwrap();
    let payments = copied.epics.iter().find(|epic| epic.title == "Payments").unwrap();
    assert_eq!(wallet.depends_on, vec![payments.epic_id], "the dependency survives a JSON round trip");

    store.write(|tx| delete_epic_in_tx(tx, first.epic_id)).unwrap();
    assert!(
        store.load().unwrap().epic(second.epic_id).unwrap().depends_on.is_empty(),
        "deleting an epic drops its links"
    );
    let mut itself = store.load().unwrap().epic(second.epic_id).unwrap().clone();
    itself.depends_on = vec![itself.epic_id];
    assert!(store.write(|tx| update_epic_in_tx(tx, &itself)).is_err(), "an epic cannot start after itself");
}

/// A sample workspace exported as a one-file `.sqlite` copy (rollback journal, as every export is),
/// then changed by `tamper` through a plain connection, as another program would.
fn tampered(folder: &tempfile::TempDir, name: &str, tamper: &str) -> std::path::PathBuf {
    let source = folder.path().join(format!("{name}-source.sqlite"));
    tandem::demo::create_demo_for(&source, jiff::civil::date(2026, 11, 18)).unwrap();
    let path = folder.path().join(format!("{name}.sqlite"));
    let (store, _) = Store::open(&source).unwrap();
    store.save_copy(&path).unwrap();
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection.execute_batch(tamper).unwrap();
    path
}

#[test]
fn hostile_workspaces_are_refused_and_left_byte_identical() {
    let folder = tempfile::tempdir().unwrap();
    let cases = [
        (
            "trigger",
            "CREATE TRIGGER sneaky AFTER UPDATE ON items BEGIN DELETE FROM items WHERE item_id = old.item_id; \
             UPDATE product SET name = 'Owned'; END;",
            "a trigger called 'sneaky'",
        ),
        ("view", "CREATE VIEW everything AS SELECT * FROM items;", "a view called 'everything'"),
        (
            // An index on a function this build does not have: written as another program would,
            // by editing the schema, since no SQLite here knows the function.
            "function",
            "CREATE INDEX by_title ON items (abs(points)); PRAGMA writable_schema = ON; \
             UPDATE sqlite_schema SET sql = replace(sql, 'abs(', 'evil(') WHERE name = 'by_title'; \
             PRAGMA writable_schema = OFF;",
            "an index called 'by_title'",
        ),
        ("altered", "ALTER TABLE items ADD COLUMN payload TEXT DEFAULT 'x';", "the table 'items' was changed"),
    ];
    for (name, tamper, reason) in cases {
        let path = tampered(&folder, name, tamper);
        let bytes = std::fs::read(&path).unwrap();
        let error = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap_err();
        assert!(error.to_string().contains(reason), "{name}: {error}");
        assert!(error.to_string().contains("It was not changed"), "{name}: {error}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name}: the refused file is byte-identical");
        assert!(!folder.path().join(format!("{name}.sqlite-wal")).exists(), "{name}: no journal was started");
    }
    // The same file as another program leaves it: closed, in write-ahead-log mode. Checking it before
    // refusing it makes SQLite create its log files; the refusal takes them away again.
    let path = tampered(&folder, "logged", "PRAGMA journal_mode = WAL; CREATE VIEW everything AS SELECT * FROM items;");
    assert_eq!(common::side_files(&path), Vec::<String>::new());
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes[18..20], [2, 2]);
    let error = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap_err();
    assert!(error.to_string().contains("a view called 'everything'"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the refused file is byte-identical");
    assert_eq!(common::side_files(&path), Vec::<String>::new(), "the refusal left files beside it");
}

#[test]
fn a_workspace_refused_for_its_values_keeps_every_byte_including_its_header() {
    let folder = tempfile::tempdir().unwrap();
    let path = tampered(&folder, "values", "UPDATE items SET raised_by = 'martian' WHERE item_id = 1;");
    let bytes = std::fs::read(&path).unwrap();
    let error = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap_err();
    assert!(error.to_string().contains("cannot read: 'martian' is not a valid raiser."), "{error}");
    assert!(!error.to_string().contains("index"), "no SQLite column numbers: {error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "not even switched to the write-ahead log");
}

#[test]
fn a_clean_export_opens_as_a_workspace_and_then_uses_the_write_ahead_log() {
    let folder = tempfile::tempdir().unwrap();
    let path = tampered(&folder, "clean", "SELECT 1;");
    let app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    assert_eq!(app.workspace().item_count(), 49);
    let mode: String = app.store().connection().query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn edits_leave_copying_the_log_into_the_file_to_a_thread_that_does_it_when_they_pause() {
    use tandem::app::{App, Command, ItemCommand, NewWorkspace};
    let folder = tempfile::tempdir().unwrap();
    let path = tampered(&folder, "pause", "SELECT 1;");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    // SQLite would copy the log inside the commit that takes it past 1,000 pages: a stall in one edit
    // of a couple of hundred. The window's connection leaves that to the thread (up to a safety net).
    let pages: i64 = app.store().connection().query_row("PRAGMA wal_autocheckpoint", [], |row| row.get(0)).unwrap();
    assert!(pages >= 10_000, "the window's commits copy the log every {pages} pages");
    let version = app.store().data_version().unwrap();
    let before = std::fs::read(&path).unwrap();
    let column = app.workspace().columns[0].column_id;
    let (first, second) = (app.workspace().column_items(column)[0], app.workspace().column_items(column)[1]);
    let target = MoveTarget { column_id: column, after_item: Some(second) };
    app.apply(Command::Item(ItemCommand::Move { item_id: first, target })).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), before, "the commit went to the log only");
    // Once the edits pause, the thread copies the log into the file.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::read(&path).unwrap() == before {
        assert!(std::time::Instant::now() < deadline, "the log was never copied into the file");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The window does not take the copy for another program's change, and the move is kept.
    assert_eq!(app.store().data_version().unwrap(), version);
    drop(app);
    assert!(!folder.path().join("pause.sqlite-wal").exists(), "the log goes with the last connection");
    let (mut store, _) = Store::open(&path).unwrap();
    assert_eq!(store.load().unwrap().column_items(column)[..2], [second, first]);
}

#[test]
fn a_saved_copy_is_one_file_that_readers_open_without_side_files() {
    let folder = tempfile::tempdir().unwrap();
    let source = folder.path().join("open.sqlite");
    let mut app = tandem::app::App::open(&source, tandem::app::NewWorkspace::Sample).unwrap();
    // The window has the file open, with a change still in its write-ahead log; the copy is made by
    // another program (the command line's export), as a user exports while the window is open.
    let column = app.workspace().columns[0].column_id;
    let first = app.workspace().column_items(column)[0];
    let target = MoveTarget { column_id: column, after_item: Some(app.workspace().column_items(column)[1]) };
    app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Move { item_id: first, target })).unwrap();
    let (exporter, _) = Store::open(&source).unwrap();
    let copy = folder.path().join("copy.sqlite");
    exporter.save_copy(&copy).unwrap();
    let header = std::fs::read(&copy).unwrap();
    // Bytes 18 and 19 of a SQLite file: 1 for a rollback journal, 2 for the write-ahead log.
    assert_eq!(header[18..20], [1, 1], "the copy is not marked for the write-ahead log");
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let reader = rusqlite::Connection::open_with_flags(&copy, flags).unwrap();
    let items: i64 = reader.query_row("SELECT count(*) FROM items", [], |row| row.get(0)).unwrap();
    assert_eq!(items, 49);
    drop(reader);
    for side in ["copy.sqlite-wal", "copy.sqlite-shm", "copy.sqlite-journal"] {
        assert!(!folder.path().join(side).exists(), "reading the copy left {side} beside it");
    }
    // Importing it reads it as untrusted input and leaves nothing beside it either.
    tandem::interchange::read_sqlite(&copy).unwrap();
    assert!(!folder.path().join("copy.sqlite-wal").exists());
}

#[test]
fn a_file_another_program_is_writing_is_called_busy_not_damaged() {
    let folder = tempfile::tempdir().unwrap();
    let path = tampered(&folder, "busy", "SELECT 1;");
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE; UPDATE product SET name = 'Being written';").unwrap();
    let error = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap_err();
    assert!(error.to_string().contains("Another program is using this workspace"), "{error}");
    other.execute_batch("ROLLBACK").unwrap();
    assert!(tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).is_ok());
}

#[test]
fn loading_keeps_each_set_of_labels_once_and_every_item_its_own() {
    let mut store = blank_store();
    let columns = column_ids(&store);
    let mut ids = Vec::new();
    for (title, labels) in [
        ("Pay with a saved card", vec!["payments", "checkout"]),
        ("Pay with a wallet", vec!["checkout", "payments"]),
        ("Read the basket aloud", vec!["accessibility"]),
        ("Unlabelled", vec![]),
        ("Pay by invoice", vec!["payments", "checkout"]),
    ] {
        let mut item = story(title, columns[0]);
        item.labels = labels.into_iter().map(str::to_owned).collect();
        ids.push(store.create_item(&item).unwrap().item_id);
    }
    let workspace = store.load().unwrap();
    let labels = |index: usize| &workspace.item(ids[index]).unwrap().labels;
    assert_eq!(labels(0).as_slice(), ["checkout", "payments"]);
    assert_eq!(labels(2).as_slice(), ["accessibility"]);
    assert!(labels(3).is_empty());
    assert!(labels(0).shares_with(labels(1)) && labels(0).shares_with(labels(4)), "one list for the same labels");
    assert!(!labels(0).shares_with(labels(2)));

    // An edit gives the one item new labels and leaves the others' as they were.
    let mut edited = workspace.item(ids[1]).unwrap().clone();
    edited.labels = vec!["wallet".to_owned()].into();
    store.update_item(&edited).unwrap();
    let reloaded = store.load().unwrap();
    assert_eq!(*reloaded.item(ids[1]).unwrap().labels, ["wallet"]);
    assert_eq!(*reloaded.item(ids[0]).unwrap().labels, ["checkout", "payments"]);
    assert_eq!(*reloaded.item(ids[4]).unwrap().labels, ["checkout", "payments"]);
}

/// Every rule the items table's `CHECK` constraints hold, broken by another program as a change to
/// item #1 (SQLite lets it when told to ignore them).
const BROKEN_ITEM_RULES: [(&str, &str); 11] = [
    ("kind", "kind = 'epic'"),
    ("title", "title = '   '"),
    ("points", "points = -1"),
    ("business value", "business_value = -3"),
    ("time criticality", "time_criticality = -3"),
    ("risk reduction", "risk_reduction = -3"),
    ("reach", "reach = -10"),
    ("impact", "impact = -0.5"),
    ("confidence", "confidence_percent = 101"),
    ("effort", "effort = -2"),
    ("moscow", "moscow = 'maybe'"),
];

#[test]
fn an_item_breaking_a_rule_of_the_items_table_is_refused_and_its_file_kept_as_it_was() {
    let folder = tempfile::tempdir().unwrap();
    // The list above is every rule there is: a rule added to the table must be added to it.
    let clean = tampered(&folder, "clean-rules", "SELECT 1;");
    let connection = rusqlite::Connection::open(&clean).unwrap();
    let sql: String =
        connection.query_row("SELECT sql FROM sqlite_schema WHERE name = 'items'", [], |row| row.get(0)).unwrap();
    assert_eq!(sql.matches("CHECK").count(), BROKEN_ITEM_RULES.len(), "{sql}");
    drop(connection);
    for (rule, change) in BROKEN_ITEM_RULES {
        let name = rule.replace(' ', "-");
        let path = tampered(
            &folder,
            &name,
            &format!("PRAGMA ignore_check_constraints = ON; UPDATE items SET {change} WHERE item_id = 1;"),
        );
        let bytes = std::fs::read(&path).unwrap();
        // Opening it as the window does: the load reads every item and refuses this one; SQLite's own
        // check leaves the items' rules to it.
        let error = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap_err().to_string();
        assert!(error.contains("cannot read") || error.contains("damage"), "{rule}: {error}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{rule}: the refused file is byte-identical");
        // Opened and written without a load (the command line's moves), the check evaluates the rule
        // itself and the write is refused.
        let (mut store, _) = Store::open(&path).unwrap();
        // Reading the item is what refuses it when the load gets there first.
        let read = tandem::store::items::item_in_tx(store.connection(), ItemId(1));
        assert!(
            matches!(read, Err(StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(..)))),
            "{rule}: {read:?}"
        );
        let column = ColumnId(
            store.connection().query_row("SELECT min(column_id) FROM board_columns", [], |row| row.get(0)).unwrap(),
        );
        let error = store.move_item(ItemId(2), MoveTarget { column_id: column, after_item: None }).unwrap_err();
        assert!(error.to_string().contains("CHECK constraint failed in items"), "{rule}: {error}");
        drop(store);
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{rule}: nothing was written");
    }
}

#[test]
fn a_row_breaking_a_rule_of_another_table_is_found_by_the_check_however_the_file_is_opened() {
    let folder = tempfile::tempdir().unwrap();
    let path = tampered(
        &folder,
        "sprint",
        "PRAGMA ignore_check_constraints = ON; UPDATE sprints SET end_date = '2000-01-01' WHERE sprint_id = \
         (SELECT min(sprint_id) FROM sprints);",
    );
    let bytes = std::fs::read(&path).unwrap();
    let error = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap_err().to_string();
    assert!(error.contains("CHECK constraint failed in sprints"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the refused file is byte-identical");
}
