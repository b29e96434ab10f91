//! Export and import: round trips, merges, dry runs, and bad files refused with the workspace unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use tandem::app::{App, NewWorkspace};
use tandem::interchange::document::{Document, DocumentError};
use tandem::interchange::{self, Format, InterchangeError};
use tandem::store::{Store, schema};

fn sample(folder: &tempfile::TempDir, name: &str) -> PathBuf {
    let path = folder.path().join(name);
    tandem::demo::create_demo_for(&path, jiff::civil::date(2026, 11, 18)).unwrap();
    path
}

fn open(path: &Path) -> Store {
    Store::open(path).unwrap().0
}

#[test]
fn json_round_trip_gives_the_same_document() {
    let folder = tempfile::tempdir().unwrap();
    let original = sample(&folder, "original.sqlite");
    let first = folder.path().join("first.json");
    interchange::export(&mut open(&original), Format::Json, &first).unwrap();

    let copy = folder.path().join("copy.sqlite");
    let document = interchange::read_document(&first, None).unwrap();
    let report = interchange::import(&mut open(&copy), &document, false, false).unwrap();
    assert_eq!(report.items, 40);
    assert_eq!(report.columns_created, 5);
    assert!(report.losses.is_empty(), "{report}");

    let second = folder.path().join("second.json");
    interchange::export(&mut open(&copy), Format::Json, &second).unwrap();
    assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap());
    let workspace = open(&copy).load().unwrap();
    assert_eq!(workspace.product.name, "Basket");
    assert_eq!(workspace.metrics.iter().map(|metric| metric.samples.len()).sum::<usize>(), 72);
}

#[test]
fn a_merge_reuses_columns_epics_and_sprints_and_never_changes_existing_items() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "merge.sqlite");
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&path), Format::Json, &json).unwrap();
    let before: Vec<_> = {
        let mut items: Vec<_> = open(&path).load().unwrap().items().cloned().collect();
        items.sort_by_key(|item| item.item_id);
        items
    };
    let document = interchange::read_document(&json, None).unwrap();
    let report = interchange::import(&mut open(&path), &document, true, false).unwrap();
    assert_eq!((report.columns_created, report.columns_reused), (0, 5));
    assert_eq!((report.epics_created, report.epics_reused), (0, 4));
    assert_eq!((report.sprints_created, report.sprints_reused), (0, 3));
    assert_eq!(report.losses.len(), 2 + 6, "2 objectives and 6 metrics already exist: {report}");
    let workspace = open(&path).load().unwrap();
    assert_eq!(workspace.columns.len(), 5);
    assert_eq!((workspace.releases.len(), workspace.increments.len()), (3, 2), "releases and PIs are matched by name");
    assert_eq!(workspace.item_count(), 80);
    for item in &before {
        assert_eq!(workspace.item(item.item_id), Some(item), "existing items are untouched");
    }
}

#[test]
fn a_dry_run_reports_exactly_what_the_import_does_and_keeps_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "dry.sqlite");
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&path), Format::Json, &json).unwrap();
    let document = interchange::read_document(&json, None).unwrap();
    let dump_before = common::dump(&open(&path));
    let preview = interchange::import(&mut open(&path), &document, true, true).unwrap();
    assert_eq!(common::dump(&open(&path)), dump_before, "a dry run writes nothing");
    let real = interchange::import(&mut open(&path), &document, true, false).unwrap();
    assert_eq!(preview, real);
}

#[test]
fn a_sqlite_copy_round_trips_and_is_read_as_untrusted() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "source.sqlite");
    let copy = folder.path().join("exported.sqlite");
    interchange::export(&mut open(&path), Format::Sqlite, &copy).unwrap();
    assert_eq!(interchange::detect(&copy).unwrap(), Format::Sqlite);
    let bytes = std::fs::read(&copy).unwrap();
    let from_copy = interchange::read_document(&copy, None).unwrap();
    assert_eq!(std::fs::read(&copy).unwrap(), bytes, "reading never writes to the file");
    let from_source = Document::from_store(&mut open(&path)).unwrap();
    assert_eq!(from_copy.to_json().unwrap(), from_source.to_json().unwrap());
}

#[test]
fn csv_export_has_one_row_per_item_in_board_order() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "csv.sqlite");
    let out = folder.path().join("items.csv");
    interchange::export(&mut open(&path), Format::Csv, &out).unwrap();
    let mut reader = csv::Reader::from_path(&out).unwrap();
    assert_eq!(reader.headers().unwrap().get(2), Some("Title"));
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 40);
    let mut store = open(&path);
    let workspace = store.load().unwrap();
    let expected: Vec<String> = workspace
        .columns
        .iter()
        .flat_map(|column| workspace.column_items(column.column_id).iter())
        .map(|item_id| workspace.item(*item_id).unwrap().title.clone())
        .collect();
    let titles: Vec<String> = rows.iter().map(|row| row.get(2).unwrap().to_owned()).collect();
    assert_eq!(titles, expected);
    let confirm =
        rows.iter().find(|row| row.get(2) == Some("Confirm order with one tap for returning customers")).unwrap();
    assert_eq!(confirm.get(4), Some("In progress"));
    assert!(
        confirm.get(19).unwrap().contains("[x] Uses the saved card and default address\n[x] Shows the total"),
        "multi-line criteria"
    );
}

/// Tries to import `path` into the sample workspace at `target` and returns the error; the workspace must
/// be exactly as it was.
fn refused(target: &Path, path: &Path) -> InterchangeError {
    let before = common::dump(&open(target));
    let result = interchange::read_document(path, None)
        .and_then(|document| interchange::import(&mut open(target), &document, true, false));
    assert_eq!(common::dump(&open(target)), before, "the workspace is unchanged after {}", path.display());
    match result {
        Ok(report) => panic!("{} was imported: {report}", path.display()),
        Err(error) => error,
    }
}

#[test]
fn bad_files_are_refused_with_a_specific_error_and_the_workspace_unchanged() {
    let folder = tempfile::tempdir().unwrap();
    let target = sample(&folder, "target.sqlite");
    let good = folder.path().join("good.json");
    interchange::export(&mut open(&target), Format::Json, &good).unwrap();
    let text = std::fs::read_to_string(&good).unwrap();
    let write = |name: &str, contents: &[u8]| {
        let path = folder.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    };

    let truncated = write("truncated.json", text.get(..text.len() / 2).unwrap().as_bytes());
    assert!(matches!(refused(&target, &truncated), InterchangeError::Document { source: DocumentError::Json(_), .. }));

    let wrong_type = write(
        "wrong_type.json",
        text.replacen("\"capacity_points\": 24.0", "\"capacity_points\": \"lots\"", 1).as_bytes(),
    );
    let error = refused(&target, &wrong_type);
    assert!(error.to_string().contains("capacity_points"), "{error}");

    let duplicate = write("duplicate.json", text.replacen("\"id\": 2,", "\"id\": 1,", 1).as_bytes());
    assert!(matches!(refused(&target, &duplicate), InterchangeError::Document { .. } | InterchangeError::Store(_)));

    let newer = write("newer.json", text.replacen("\"version\": 1", "\"version\": 99", 1).as_bytes());
    assert!(matches!(
        refused(&target, &newer),
        InterchangeError::Document { source: DocumentError::Unsupported { .. }, .. }
    ));

    let random: Vec<u8> = (0..4096u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 7).to_le_bytes()[0]).collect();
    let random = write("random.bin", &random);
    assert!(matches!(refused(&target, &random), InterchangeError::NotRecognised { .. }));

    let empty = write("empty.json", b"");
    assert!(matches!(refused(&target, &empty), InterchangeError::Empty { .. }));

    let other_csv = write("other.csv", b"Name,Email\nAda,ada@example.com\n");
    assert!(matches!(refused(&target, &other_csv), InterchangeError::NotRecognised { .. }));
}

#[test]
fn hostile_and_foreign_sqlite_files_are_refused_and_left_alone() {
    let folder = tempfile::tempdir().unwrap();
    let target = sample(&folder, "target.sqlite");

    // A Tandem-looking file with a trigger that would rewrite data.
    let hostile = sample(&folder, "hostile.sqlite");
    open(&hostile)
        .connection()
        .execute_batch("CREATE TRIGGER sneaky AFTER INSERT ON items BEGIN DELETE FROM items; END;")
        .unwrap();
    let bytes = std::fs::read(&hostile).unwrap();
    let error = refused(&target, &hostile);
    assert!(error.to_string().contains("triggers or views"), "{error}");
    assert_eq!(std::fs::read(&hostile).unwrap(), bytes);

    let newer = sample(&folder, "newer.sqlite");
    open(&newer).connection().pragma_update(None, "user_version", schema::latest_version() + 1).unwrap();
    let error = refused(&target, &newer);
    assert!(error.to_string().contains("newer Tandem"), "{error}");

    let foreign = folder.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE notes (text TEXT);").unwrap();
    let error = refused(&target, &foreign);
    assert!(error.to_string().contains("not a Tandem workspace"), "{error}");
}

#[test]
fn json_with_a_byte_order_mark_and_windows_line_endings_imports() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "bom.sqlite");
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&path), Format::Json, &json).unwrap();
    let text = std::fs::read_to_string(&json).unwrap().replace('\n', "\r\n");
    let windows = folder.path().join("windows.json");
    std::fs::write(&windows, format!("\u{feff}{text}")).unwrap();
    let document = interchange::read_document(&windows, None).unwrap();
    let report = interchange::import(&mut Store::open_in_memory().unwrap(), &document, false, false).unwrap();
    assert_eq!(report.items, 40);
}

#[test]
fn the_app_sees_imported_items_after_reopening() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "app.sqlite");
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&path), Format::Json, &json).unwrap();
    let target = folder.path().join("target.sqlite");
    let app = App::open(&target, NewWorkspace::Blank).unwrap();
    drop(app);
    let document = interchange::read_document(&json, None).unwrap();
    interchange::import(&mut open(&target), &document, true, false).unwrap();
    let app = App::open(&target, NewWorkspace::Blank).unwrap();
    assert_eq!(app.workspace().item_count(), 40);
    assert_eq!(app.workspace().columns.len(), 5, "the blank workspace's default columns were matched by name");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_json_reader_never_panics(text in ".{0,400}") {
        let _ = Document::from_json(&text);
    }

    #[test]
    fn the_json_reader_never_panics_on_mangled_documents(cut in 0usize..6000, junk in "[{}\\[\\]\",:0-9a-z ]{0,20}") {
        let mut store = Store::open_in_memory().unwrap();
        tandem::demo::seed_blank(&mut store, "P").unwrap();
        let text = Document::from_store(&mut store).unwrap().to_json().unwrap();
        let cut = cut.min(text.len());
        let mangled = format!("{}{junk}{}", text.get(..cut).unwrap_or(""), text.get(cut..).unwrap_or(""));
        let _ = Document::from_json(&mangled);
    }
}
