//! Export and import: round trips, merges, dry runs, and bad files refused with the workspace unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::common;

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
    assert_eq!(report.items, 49);
    assert_eq!(report.columns_created, 5);
    assert!(report.losses.is_empty(), "{report}");

    let second = folder.path().join("second.json");
    interchange::export(&mut open(&copy), Format::Json, &second).unwrap();
    assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap());
    let workspace = open(&copy).load().unwrap();
    assert_eq!(workspace.product.name, "Basket");
    assert_eq!(workspace.metrics.iter().map(|metric| metric.samples.len()).sum::<usize>(), 72);
    // The KPIs keep the objectives they serve.
    let serving: Vec<(&str, Option<&str>)> = workspace
        .metrics
        .iter()
        .map(|metric| {
            let objective = metric.objective_id.and_then(|id| {
                workspace.objectives.iter().find(|objective| objective.objective_id == id).map(|o| o.title.as_str())
            });
            (metric.name.as_str(), objective)
        })
        .filter(|(_, objective)| objective.is_some())
        .collect();
    assert_eq!(
        serving,
        [
            ("Checkout conversion", Some("Make checkout effortless")),
            ("Accessibility compliance", Some("Inclusive by default")),
            ("CSAT among screen-reader users", Some("Inclusive by default"))
        ]
    );

    // A KPI naming an objective the file does not define is refused, and nothing is imported.
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("\"objective\":2,\"samples\""), "the export names the objective a KPI serves");
    let dangling = folder.path().join("dangling.json");
    std::fs::write(&dangling, text.replacen("\"objective\":2,\"samples\"", "\"objective\":99,\"samples\"", 1)).unwrap();
    let document = interchange::read_document(&dangling, None).unwrap();
    let target = folder.path().join("target.sqlite");
    let error = interchange::import(&mut open(&target), &document, false, false).unwrap_err();
    assert!(error.to_string().contains("metric 'Accessibility compliance' refers to objective 99"), "{error}");
    assert!(open(&target).load().unwrap().metrics.is_empty(), "nothing was imported");

    // UX research comes back whole: personas, insights about them, and the items answering each.
    assert_eq!((workspace.personas.len(), workspace.insights.len()), (3, 5));
    assert!(workspace.insights.iter().all(|insight| insight.persona_id.is_some()), "each is about a persona");
    let answering = workspace.all_items().filter(|item| item.details.insight_id.is_some()).count();
    assert_eq!(answering, 10, "the sample's items that answer an insight");
    assert!(text.contains("\"insight\":2}"), "items name their insight by its id in the file");
    // Insights keep the KPI they are measured on, by its name; a name the file does not define is refused.
    let kpis: Vec<Option<&str>> = workspace
        .insights
        .iter()
        .map(|insight| {
            insight
                .metric_id
                .and_then(|id| workspace.metrics.iter().find(|m| m.metric_id == id))
                .map(|m| m.name.as_str())
        })
        .collect();
    assert_eq!(
        kpis,
        [
            Some("Checkout conversion"),
            Some("CSAT among screen-reader users"),
            None,
            Some("Monthly churn"),
            Some("Accessibility compliance")
        ]
    );
    assert!(text.contains("\"metric\":\"Monthly churn\""), "the export names the KPI");
    let unknown_kpi = folder.path().join("unknown-kpi.json");
    std::fs::write(&unknown_kpi, text.replacen("\"metric\":\"Monthly churn\"", "\"metric\":\"Basket size\"", 1))
        .unwrap();
    let document = interchange::read_document(&unknown_kpi, None).unwrap();
    let target = folder.path().join("target-kpi.sqlite");
    let error = interchange::import(&mut open(&target), &document, false, false).unwrap_err();
    assert!(error.to_string().contains("the file defines no KPI named 'Basket size'"), "{error}");
    assert!(open(&target).load().unwrap().insights.is_empty(), "nothing was imported");

    // PI objectives keep their increment (by name) and business values.
    let pi_objectives: Vec<(&str, Option<&str>, Option<u8>)> = workspace
        .objectives
        .iter()
        .map(|objective| {
            let increment = objective.increment_id.and_then(|id| {
                workspace.increments.iter().find(|increment| increment.increment_id == id).map(|i| i.name.as_str())
            });
            (objective.title.as_str(), increment, objective.planned_value)
        })
        .collect();
    assert_eq!(
        pi_objectives,
        [("Make checkout effortless", Some("PI 26.4"), Some(9)), ("Inclusive by default", Some("PI 26.4"), Some(8))]
    );
    // An objective set for an increment the file does not define is refused, naming both; nothing is imported.
    assert!(text.contains("\"increment\":\"PI 26.4\",\"planned_value\":8"), "the export names the increment");
    let unknown = folder.path().join("unknown.json");
    std::fs::write(
        &unknown,
        text.replacen(
            "\"increment\":\"PI 26.4\",\"planned_value\":8",
            "\"increment\":\"PI 9.9\",\"planned_value\":8",
            1,
        ),
    )
    .unwrap();
    let document = interchange::read_document(&unknown, None).unwrap();
    let target = folder.path().join("target-pi.sqlite");
    let error = interchange::import(&mut open(&target), &document, false, false).unwrap_err();
    assert!(
        error.to_string().contains(
            "increment of the objective 'Inclusive by default' is wrong: the file defines no program increment named 'PI 9.9'"
        ),
        "{error}"
    );
    // Said as the file's fault, not the workspace's.
    assert!(error.to_string().starts_with("The file cannot be imported: "), "{error}");
    assert!(error.to_string().ends_with("Nothing was imported; the workspace is as it was."), "{error}");
    let untouched = open(&target).load().unwrap();
    assert!(untouched.objectives.is_empty() && untouched.increments.is_empty(), "nothing was imported");
}

#[test]
fn an_import_into_a_new_workspace_appears_whole_or_not_at_all() {
    let folder = tempfile::tempdir().unwrap();
    let original = sample(&folder, "original.sqlite");
    let first = folder.path().join("first.json");
    interchange::export(&mut open(&original), Format::Json, &first).unwrap();
    let document = interchange::read_document(&first, None).unwrap();
    let new = folder.path().join("new.sqlite");
    let files = || std::fs::read_dir(folder.path()).unwrap().count();
    let files_before = files();

    let cancelled = interchange::Progress::default();
    cancelled.cancel();
    let result = interchange::import_into_new(&document, &new, &cancelled);
    assert!(matches!(result, Err(InterchangeError::Cancelled)), "{result:?}");
    assert!(!new.exists(), "a cancelled import leaves no workspace");
    assert_eq!(files(), files_before, "and no temporary files");

    let report = interchange::import_into_new(&document, &new, &interchange::Progress::default()).unwrap();
    assert_eq!(report.items, 49);
    assert_eq!(files(), files_before + 1, "only the new workspace is left");
    let second = folder.path().join("second.json");
    interchange::export(&mut open(&new), Format::Json, &second).unwrap();
    assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap());
    // Built without a journal or foreign-key checks, it opens as a normal workspace with sound references.
    let store = open(&new);
    let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let dangling: i64 =
        store.connection().query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| row.get(0)).unwrap();
    assert_eq!(dangling, 0);
    drop(store);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let ordinary = folder.path().join("ordinary.txt");
        std::fs::write(&ordinary, b"x").unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&new), mode(&ordinary), "the new workspace gets an ordinary file's permissions");
        assert_eq!(mode(&first), mode(&ordinary), "and so does an export");
        std::fs::remove_file(&ordinary).unwrap();
    }

    let before = std::fs::read(&new).unwrap();
    let error = interchange::import_into_new(&document, &new, &interchange::Progress::default()).unwrap_err();
    assert!(error.to_string().contains("already exists"), "{error}");
    assert_eq!(std::fs::read(&new).unwrap(), before, "an existing file is never overwritten");
}

#[test]
fn a_json_export_has_one_record_per_line() {
    let folder = tempfile::tempdir().unwrap();
    let original = sample(&folder, "original.sqlite");
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&original), Format::Json, &json).unwrap();
    let text = std::fs::read_to_string(&json).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.first(), Some(&"{"));
    assert!(lines.contains(&"  \"items\": ["), "{text}");
    let item_lines = lines.iter().filter(|line| line.starts_with("    {\"kind\":")).count();
    assert_eq!(item_lines, 49, "each item is one line");
    for line in lines.iter().filter(|line| line.starts_with("    {")) {
        let record = line.trim().trim_end_matches(',');
        assert!(serde_json::from_str::<serde_json::Value>(record).is_ok(), "{line} is a whole record");
    }
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
    assert_eq!((report.sprints_created, report.sprints_reused), (0, 5));
    assert_eq!(report.losses.len(), 2 + 6, "2 objectives and 6 metrics already exist: {report}");
    let workspace = open(&path).load().unwrap();
    assert_eq!(workspace.columns.len(), 5);
    assert_eq!((workspace.releases.len(), workspace.increments.len()), (5, 2), "releases and PIs are matched by name");
    assert_eq!(workspace.item_count(), 98);
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

    // A workspace that is closed is in write-ahead-log mode, with no log beside it: reading it as an
    // import leaves its bytes as they were and no log files beside it (SQLite makes them to read it).
    assert_eq!(common::side_files(&path), Vec::<String>::new());
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes[18..20], [2, 2], "the closed workspace is in write-ahead-log mode");
    let from_closed = interchange::read_document(&path, None).unwrap();
    assert_eq!(from_closed.to_json().unwrap(), from_source.to_json().unwrap());
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "reading never writes to the file");
    assert_eq!(common::side_files(&path), Vec::<String>::new(), "reading left files beside the workspace");
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
    assert_eq!(rows.len(), 49);
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
    assert!(matches!(refused(&target, &truncated), InterchangeError::Document { error: DocumentError::Json(_), .. }));

    // Each bad file is the good export with one field changed.
    let edited = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
        edit(&mut value);
        serde_json::to_string_pretty(&value).unwrap()
    };
    let wrong_type =
        write("wrong_type.json", edited(&|value| value["sprints"][0]["capacity_points"] = "lots".into()).as_bytes());
    let error = refused(&target, &wrong_type);
    assert!(error.to_string().contains("capacity_points"), "{error}");

    let duplicate = write("duplicate.json", edited(&|value| value["columns"][1]["id"] = 1.into()).as_bytes());
    let error = refused(&target, &duplicate);
    assert!(error.to_string().contains("column"), "{error}");

    let newer = write("newer.json", edited(&|value| value["version"] = 99.into()).as_bytes());
    assert!(matches!(
        refused(&target, &newer),
        InterchangeError::Document { error: DocumentError::Unsupported { .. }, .. }
    ));

    let random: Vec<u8> = (0..4096u32).map(|index| (index.wrapping_mul(2_654_435_761) >> 7).to_le_bytes()[0]).collect();
    let random = write("random.bin", &random);
    assert!(matches!(refused(&target, &random), InterchangeError::NotRecognised { .. }));

    let empty = write("empty.json", b"");
    assert!(matches!(refused(&target, &empty), InterchangeError::Empty { .. }));

    let other_csv = write("other.csv", b"Name,Email\nAda,ada@example.com\n");
    assert!(matches!(refused(&target, &other_csv), InterchangeError::NotRecognised { .. }));

    // JSON cut short before anything says what made it: said to be broken JSON, not a foreign one.
    let cut = write("cut.json", b"{\"cards\": [");
    let error = refused(&target, &cut).to_string();
    assert!(error.contains("is not valid JSON (EOF while parsing"), "{error}");

    // A record that breaks a rule of the plan is named, so that it can be found among thousands; a long
    // title is cut short in the message.
    let too_big = write("too_big.json", edited(&|value| value["items"][3]["points"] = 2000.into()).as_bytes());
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let fourth = document["items"][3]["title"].as_str().unwrap();
    let error = refused(&target, &too_big).to_string();
    assert!(
        error.contains(&format!(": The item '{fourth}' cannot be kept: The estimate (story points) is 2000")),
        "{error}"
    );
    assert!(error.contains("it must be between 0 and 1000. Fix it in the file"), "{error}");
    let long = write("long.json", edited(&|value| value["items"][5]["title"] = "Long ".repeat(100).into()).as_bytes());
    let error = refused(&target, &long).to_string();
    assert!(error.contains(&format!(": The item '{}…' cannot be kept", "Long ".repeat(16))), "{error}");
    let backwards = write(
        "backwards.json",
        edited(&|value| {
            value["sprints"][0]["name"] = "Sprint 99".into();
            value["sprints"][0]["start_date"] = "2027-03-10".into();
            value["sprints"][0]["end_date"] = "2027-03-01".into();
        })
        .as_bytes(),
    );
    let error = refused(&target, &backwards).to_string();
    assert!(error.contains(": The sprint 'Sprint 99' cannot be kept: The sprint ends on 2027-03-01"), "{error}");
    let nameless = write(
        "nameless.json",
        edited(&|value| {
            value["items"][2]["comments"] = serde_json::json!([{"author": " ", "text": "Hi", "at": "2026-01-05"}]);
        })
        .as_bytes(),
    );
    let error = refused(&target, &nameless).to_string();
    assert!(error.contains(": The comment on the item '"), "{error}");
    assert!(error.contains("author is empty"), "{error}");
}

#[test]
fn an_export_into_a_missing_folder_says_so_without_naming_a_temporary_file() {
    let folder = tempfile::tempdir().unwrap();
    let target = sample(&folder, "target.sqlite");
    for format in [Format::Json, Format::Csv, Format::Sqlite] {
        let out = folder.path().join("no such folder").join("plan.out");
        let error = interchange::export(&mut open(&target), format, &out).unwrap_err().to_string();
        assert!(error.contains("the file or its folder does not exist; check the name and the folder"), "{error}");
        assert!(!error.contains(".tandem"), "no temporary name in: {error}");
        assert!(!out.exists());
    }
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
    assert_eq!(common::side_files(&hostile), Vec::<String>::new(), "the refusal left files beside it");

    let newer = sample(&folder, "newer.sqlite");
    open(&newer).connection().pragma_update(None, "user_version", schema::latest_version() + 1).unwrap();
    let error = refused(&target, &newer);
    assert!(error.to_string().contains("newer Tandem"), "{error}");

    assert_eq!(common::side_files(&newer), Vec::<String>::new());

    // Another program's database, in write-ahead-log mode and closed.
    let foreign = folder.path().join("foreign.sqlite");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE notes (text TEXT);")
        .unwrap();
    let bytes = std::fs::read(&foreign).unwrap();
    let error = refused(&target, &foreign);
    assert!(error.to_string().contains("not a Tandem workspace"), "{error}");
    assert_eq!(std::fs::read(&foreign).unwrap(), bytes);
    assert_eq!(common::side_files(&foreign), Vec::<String>::new());
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
    assert_eq!(report.items, 49);
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
    assert_eq!(app.workspace().item_count(), 49);
    assert_eq!(app.workspace().columns.len(), 5, "the blank workspace's default columns were matched by name");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_json_reader_never_panics(text in ".{0,400}") {
        let _ = Document::from_json(&text);
    }

    #[test]
    fn the_csv_readers_never_panic(cells in proptest::collection::vec("[a-zA-Z0-9 ,\"\n/:|-]{0,12}", 0..40)) {
        let today = jiff::civil::date(2026, 11, 18);
        let jira_header = "Summary,Issue key,Issue Type,Status,Created,Sprint,Custom field (Rank),Parent\n";
        let tandem_header = "Position,Kind,Title,Status,Points,Labels,Epic,Sprint,Acceptance criteria\n";
        let body = cells.join(",");
        for header in [jira_header, tandem_header] {
            if let Ok(table) = interchange::convert::Table::read(&format!("{header}{body}")) {
                let _ = interchange::jira::convert(&table, today);
                let _ = interchange::csv_import::convert(&table, today);
            }
        }
    }

    #[test]
    fn the_trello_reader_never_panics(cut in 0usize..12_000, junk in "[{}\\[\\]\",:0-9a-z ]{0,20}") {
        let text = std::fs::read_to_string(fixture("trello-board.json")).unwrap();
        let cut = cut.min(text.len());
        let mangled = format!("{}{junk}{}", text.get(..cut).unwrap_or(""), text.get(cut..).unwrap_or(""));
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&mangled) {
            let _ = interchange::trello::convert(value, true);
        }
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

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A real export in `../shared/samples/`, or `None` (with a notice) where that folder is absent, as in a
/// user's clone.
fn shared_sample(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples").join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("notice: {} is absent; skipping the test against the real export", path.display());
        None
    }
}

/// Imports `path` into a new in-memory workspace and returns it with the report.
fn import_new(path: &Path) -> (Store, interchange::document::ImportReport) {
    let document = interchange::read_document(path, None).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let report = interchange::import(&mut store, &document, false, false).unwrap();
    (store, report)
}

fn board(store: &mut Store) -> Vec<(String, Vec<String>)> {
    let workspace = store.load().unwrap();
    workspace
        .columns
        .iter()
        .map(|column| {
            let titles = workspace
                .column_items(column.column_id)
                .iter()
                .map(|item_id| workspace.item(*item_id).unwrap().title.clone())
                .collect();
            (column.name.clone(), titles)
        })
        .collect()
}

fn history(store: &Store, title: &str) -> Vec<(String, String)> {
    let mut statement = store
        .connection()
        .prepare(
            "SELECT s.changed_at, c.name FROM status_changes s JOIN items i USING (item_id)
             JOIN board_columns c ON c.column_id = s.to_column_id WHERE i.title = ?1 ORDER BY s.changed_at",
        )
        .unwrap();
    statement.query_map([title], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_trello_board_becomes_columns_and_items_in_pos_order_with_checklists_and_history() {
    let path = fixture("trello-board.json");
    assert_eq!(interchange::detect(&path).unwrap(), Format::Trello);
    let (mut store, report) = import_new(&path);
    assert_eq!(
        board(&mut store),
        vec![
            (
                "Backlog".to_owned(),
                vec![
                    "Show delivery slots".to_owned(),
                    "Pay with a saved card".to_owned(),
                    "Wishlist sharing".to_owned()
                ]
            ),
            ("Doing".to_owned(), vec!["Basket total wrong with vouchers".to_owned()]),
            ("Done".to_owned(), vec!["Guest checkout".to_owned()]),
        ],
        "open lists in pos order; the archived list skipped, the archived card off the board"
    );
    let workspace = store.load().unwrap();
    let archived: Vec<&str> = workspace.archived_items().iter().map(|item| item.title.as_str()).collect();
    assert_eq!(archived.len(), 1, "the archived card is kept as an archived item: {archived:?}");
    assert_eq!(workspace.product.name, "Basket web");
    assert!(workspace.columns.iter().find(|column| column.name == "Done").unwrap().is_done);
    let item = |title: &str| workspace.items().find(|item| item.title == title).unwrap().clone();
    let pay = item("Pay with a saved card");
    let criteria: Vec<(&str, bool)> =
        pay.details.acceptance_criteria.iter().map(|criterion| (criterion.text.as_str(), criterion.done)).collect();
    assert_eq!(
        criteria,
        vec![
            ("Acceptance: Shopper can choose a saved card", false),
            ("Acceptance: Saved cards listed with last four digits", true),
            ("Security: Card data never stored unencrypted", false),
        ],
        "checklists in pos order, items in pos order, ticks kept"
    );
    assert!(pay.details.description.starts_with("As a returning shopper\nI want"), "{}", pay.details.description);
    assert!(pay.details.description.ends_with("Due date marked complete in Trello"), "{}", pay.details.description);
    assert_eq!(
        (pay.start_date.map(|day| day.to_string()), pay.due_date.map(|day| day.to_string())),
        (Some("2026-11-20".to_owned()), Some("2026-12-04".to_owned())),
        "start and due dates are fields"
    );
    let basket = item("Basket total wrong with vouchers");
    let comments = store.comments(basket.item_id).unwrap();
    assert_eq!(comments.len(), 1, "the comment in the file is kept");
    assert_eq!(
        (comments[0].author.as_str(), comments[0].text.as_str(), comments[0].created_at.to_string().as_str()),
        ("Ana Ruiz", "Reproduced with code SAVE10", "2026-10-03T09:00:00Z")
    );
    assert!(report.mapping.iter().any(|line| line == "1 comment → comments, with their author's full name and date"));
    assert_eq!(item("Show delivery slots").details.assignee.as_deref(), Some("Ada Lovelace"), "the card's member");
    let guest = item("Guest checkout");
    assert_eq!(
        guest.details.acceptance_criteria[0].text, "No account needed",
        "Trello's default checklist name adds nothing"
    );
    assert_eq!(item("Show delivery slots").labels, vec!["Checkout".to_owned(), "purple".to_owned()]);
    assert_eq!(item("Basket total wrong with vouchers").kind, tandem::model::ItemKind::Bug);
    assert_eq!(item("Wishlist sharing").details.description, "Line one\nLine two", "Windows line breaks made plain");
    assert_eq!(
        history(&store, "Guest checkout"),
        vec![
            ("2026-10-01T09:00:00Z".to_owned(), "Backlog".to_owned()),
            ("2026-10-02T09:00:00Z".to_owned(), "Doing".to_owned()),
            ("2026-10-05T09:00:00Z".to_owned(), "Done".to_owned()),
        ]
    );
    let losses = report.losses.join("\n");
    for expected in [
        "archived list 'Parked ideas' skipped, with 1 card in it",
        "1 × archive dates: Trello's export does not say when a card was archived",
        "2 × attachments",
        "2 × comments the cards count but the file does not hold (1 of theirs are in it)",
    ] {
        assert!(losses.contains(expected), "{expected} missing from:\n{losses}");
    }
    assert!(!losses.contains("colour"), "label colours are kept: {losses}");
    let colours = store.load().unwrap().label_colours;
    let named: Vec<(&str, String)> =
        colours.iter().map(|(label, colour)| (label.as_str(), tandem::model::label::colour_name(*colour))).collect();
    assert_eq!(named, [("Bug", "Red".to_owned()), ("Checkout", "Green".to_owned()), ("purple", "Purple".to_owned())]);
}

#[test]
fn a_jira_csv_keeps_rank_order_statuses_epics_sprints_points_and_multi_line_cells() {
    let path = fixture("jira-export.csv");
    assert_eq!(interchange::detect(&path).unwrap(), Format::Jira);
    let (mut store, report) = import_new(&path);
    assert_eq!(
        board(&mut store),
        vec![
            ("To Do".to_owned(), vec!["Address autocomplete".to_owned(), "Apple Pay at checkout".to_owned()]),
            ("In Progress".to_owned(), vec!["Voucher total, rounding".to_owned()]),
            ("In Review".to_owned(), vec!["Research buy-now-pay-later providers".to_owned()]),
            ("Done".to_owned(), vec!["Write SDK migration notes".to_owned(), "Upgrade payment SDK".to_owned()]),
        ],
        "statuses by category, issues by rank, the epic not an item"
    );
    let workspace = store.load().unwrap();
    assert_eq!(workspace.product.name, "Basket Shop");
    let done: Vec<bool> = workspace.columns.iter().map(|column| column.is_done).collect();
    assert_eq!(done, vec![false, false, false, true]);
    let item = |title: &str| workspace.items().find(|item| item.title == title).unwrap().clone();
    let apple = item("Apple Pay at checkout");
    assert_eq!(apple.points, Some(5.0), "Story point estimate");
    assert_eq!(apple.labels, vec!["High priority".to_owned(), "mobile".to_owned(), "payments".to_owned()]);
    assert!(
        apple.details.description.contains("with Apple Pay,\nso that I don't type my card \"again\"."),
        "{}",
        apple.details.description
    );
    assert!(apple.details.description.ends_with("Jira issue SHOP-7"));
    let epic = workspace.epic(apple.epic_id.unwrap()).unwrap();
    assert_eq!(
        (epic.title.as_str(), epic.start_date.to_string(), epic.end_date.to_string()),
        ("One-tap checkout", "2026-10-01".to_owned(), "2027-01-31".to_owned())
    );
    assert!(
        epic.description.ends_with(
            "In Jira: status To Do; priority High; labels platform.\n\nComment by Jira user abc on 2026-10-02: Scope agreed with the PO"
        ),
        "the epic's own Jira fields and comments stay readable in its description: {}",
        epic.description
    );
    let voucher = item("Voucher total, rounding");
    assert_eq!(voucher.kind, tandem::model::ItemKind::Bug);
    assert_eq!(voucher.points, Some(3.0));
    assert_eq!(workspace.epic(voucher.epic_id.unwrap()).unwrap().title, "Legacy clean-up", "named by Parent summary");
    assert_eq!(workspace.sprint(voucher.sprint_id.unwrap()).unwrap().name, "SHOP Sprint 3", "the latest sprint");
    let comments = store.comments(voucher.item_id).unwrap();
    assert_eq!(
        comments.iter().map(|c| (c.author.as_str(), c.text.as_str(), c.created_at.to_string())).collect::<Vec<_>>(),
        vec![("Jira user abc", "Seen again on staging", "2026-11-16T11:02:00Z".to_owned())],
        "a comment whose author the file names only by account id"
    );
    assert_eq!(item("Research buy-now-pay-later providers").kind, tandem::model::ItemKind::Spike);
    let address = item("Address autocomplete");
    assert_eq!(address.due_date.map(|day| day.to_string()).as_deref(), Some("2026-12-04"), "Due date → due date");
    assert_eq!(item("Write SDK migration notes").epic_id, None, "a sub-task's parent is not an epic");
    assert_eq!(
        item("Write SDK migration notes").parent_id,
        Some(item("Upgrade payment SDK").item_id),
        "a Sub-task is a sub-task of its parent issue"
    );
    assert!(report.mapping.iter().any(|line| line.starts_with("1 sub-task (Parent is another issue")), "{report}");
    assert!(item("Upgrade payment SDK").labels.contains(&"task".to_owned()), "a Task keeps its type as a label");
    assert_eq!(
        history(&store, "Upgrade payment SDK"),
        vec![
            ("2026-11-02T09:00:00Z".to_owned(), "To Do".to_owned()),
            ("2026-11-10T16:15:00Z".to_owned(), "Done".to_owned()),
        ]
    );
    assert_eq!(voucher.details.assignee.as_deref(), Some("Ada Lovelace"), "Assignee → assignee");
    let losses = report.losses.join("\n");
    assert!(!losses.contains("'Assignee' values"), "assignees are kept: {losses}");
    for expected in ["2 × comment authors the file names only by an account id", "1 × earlier sprints"] {
        assert!(losses.contains(expected), "{expected} missing from:\n{losses}");
    }
}

#[test]
fn a_trello_export_saved_from_a_browsers_json_viewer_with_a_comment_header_is_read() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("board.json");
    let board = std::fs::read_to_string(fixture("trello-board.json")).unwrap();
    std::fs::write(&path, format!("// 20261203101500\n// https://trello.com/b/abc123.json\n\n{board}")).unwrap();
    assert_eq!(interchange::detect(&path).unwrap(), Format::Trello);
    let document = interchange::read_document(&path, None).unwrap();
    assert_eq!(document.items.len(), 6, "five open cards and one archived");
}

#[test]
fn a_trello_export_at_trellos_1000_action_cap_says_that_older_history_is_missing() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("busy-board.json");
    let mut board: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("trello-board.json")).unwrap()).unwrap();
    let actions = board["actions"].as_array_mut().unwrap();
    while actions.len() < 1000 {
        actions.push(serde_json::json!({"type": "updateBoard", "date": "2026-09-01T00:00:00Z", "data": {}}));
    }
    std::fs::write(&path, board.to_string()).unwrap();
    let document = interchange::read_document(&path, None).unwrap();
    let losses = document.conversion.losses.join("\n");
    assert!(losses.contains("the export holds only Trello's last 1,000 actions"), "{losses}");
}

#[test]
fn a_german_jira_export_is_refused_with_directions_and_german_dates_are_read() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("vorgaenge.csv");
    std::fs::write(
        &path,
        "Zusammenfassung,Vorgangsschlüssel,Vorgangstyp,Status,Erstellt\nWarenkorb,SHOP-1,Story,Offen,22.09.2025 09:26\n",
    )
    .unwrap();
    let error = interchange::detect(&path).unwrap_err().to_string();
    assert!(
        error.contains("a Jira export in German (it has a 'Zusammenfassung' column)")
            && error.contains("choose English as the language"),
        "{error}"
    );
    // The same rows with English headers and German dates are read.
    std::fs::write(
        &path,
        "Summary,Issue key,Issue Type,Status,Created\nWarenkorb,SHOP-1,Story,To Do,22.09.2025 09:26\nKasse,SHOP-2,Story,To Do,22/sept./25\n",
    )
    .unwrap();
    let document = interchange::read_document(&path, None).unwrap();
    assert_eq!(document.items.len(), 2);
}

#[test]
fn the_real_trello_export_imports_in_pos_order() {
    let Some(path) = shared_sample("trello-board-export.json") else {
        return;
    };
    let (mut store, report) = import_new(&path);
    assert_eq!(report.items, 67, "67 cards, one of them archived");
    assert_eq!(store.load().unwrap().archived_count(), 1, "the archived card is kept, off the board");
    let columns = board(&mut store);
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, vec!["やりたいこと", "やること", "作業中", "クローズ"], "the archived list 中止 is skipped");
    let counts: Vec<usize> = columns.iter().map(|(_, titles)| titles.len()).collect();
    assert_eq!(counts, vec![24, 8, 7, 27], "the archived card was in the first list");
    assert_eq!(
        columns[0].1.first().map(String::as_str),
        Some("使用できるタグを固定できるようにする"),
        "lowest pos first"
    );
    assert_eq!(columns[1].1.first().map(String::as_str), Some("Twitter、Facebookへ自動シェア"), "fractional pos");
    assert_eq!(columns[3].1.first().map(String::as_str), Some("本リポジトリの開発フロー"));
    assert!(report.mapping.iter().any(|line| line.starts_with("1 archived card → archived items")), "{report}");
    let workspace = store.load().unwrap();
    assert!(
        workspace.items().filter(|item| item.details.description.contains('\n')).count() == 7,
        "multi-line descriptions kept"
    );
    assert!(workspace.items().any(|item| item.labels.contains(&"機能".to_owned())));
}

#[test]
fn the_real_jira_export_imports_in_rank_order() {
    let Some(path) = shared_sample("jira-cloud-export.csv") else {
        return;
    };
    let (mut store, report) = import_new(&path);
    assert_eq!(report.items, 22);
    let columns = board(&mut store);
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, vec!["To Do", "In Progress", "Done"]);
    assert_eq!(
        columns[0].1.first().map(String::as_str),
        Some("Need Project selection checkbox when Jira is selected"),
        "TES-14 has the lowest rank in To Do"
    );
    assert_eq!(
        columns[0].1.last().map(String::as_str),
        Some("Enable Selinium scripts to also test Pega apps/iframes/etc")
    );
    assert!(columns[0].1.iter().any(|title| title.contains("\"Login\" steps")), "quoted quotes");
    let workspace = store.load().unwrap();
    assert_eq!(workspace.sprints.iter().map(|sprint| sprint.name.as_str()).collect::<Vec<_>>(), vec!["TES Sprint 1"]);
    assert!(!report.losses.iter().any(|loss| loss.contains("'Comment' values")), "comments are kept: {report}");
    let comments = store.all_comments().unwrap();
    assert_eq!(comments.values().map(Vec::len).sum::<usize>(), 17, "every comment of the issues arrives");
    assert!(
        comments.values().flatten().any(|comment| comment.text.starts_with("Eric has approved on 09/11")),
        "{comments:?}"
    );
}

#[test]
fn a_backlog_csv_round_trips() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "csv-source.sqlite");
    let first = folder.path().join("first.csv");
    interchange::export(&mut open(&path), Format::Csv, &first).unwrap();
    assert_eq!(interchange::detect(&first).unwrap(), Format::Csv);
    let copy = folder.path().join("copy.sqlite");
    let document = interchange::read_document(&first, None).unwrap();
    let report = interchange::import(&mut open(&copy), &document, false, false).unwrap();
    assert_eq!(report.items, 49);
    let second = folder.path().join("second.csv");
    interchange::export(&mut open(&copy), Format::Csv, &second).unwrap();
    assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap());
}

/// The backlog CSV as a spreadsheet saves it again in another language: cells between `delimiter`s,
/// every decimal number with a comma (where the comma is not the delimiter) and dates written as `day`
/// writes them.
fn as_a_spreadsheet_saves_it(path: &Path, delimiter: u8, day: fn(jiff::civil::Date) -> String) -> Vec<u8> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(path).unwrap();
    let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
    for record in reader.records() {
        let record = record.unwrap();
        let cells = record.iter().map(|cell| {
            if let Ok(date) = cell.parse::<jiff::civil::Date>() {
                day(date)
            } else if cell.parse::<f64>().is_ok() && delimiter != b',' {
                cell.replace('.', ",")
            } else {
                cell.trim_start_matches('\u{feff}').to_owned()
            }
        });
        writer.write_record(cells).unwrap();
    }
    writer.into_inner().unwrap()
}

#[test]
fn a_backlog_csv_saved_again_with_semicolons_or_tabs_and_decimal_commas_imports_the_same() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "csv-source.sqlite");
    let mut store = open(&path);
    let mut item = store.load().unwrap().items().next().cloned().unwrap();
    item.points = Some(2.5);
    store.update_item(&item).unwrap();
    let first = folder.path().join("first.csv");
    interchange::export(&mut store, Format::Csv, &first).unwrap();
    assert!(std::fs::read_to_string(&first).unwrap().contains(",2.5,"));

    // Excel in German or Polish: semicolons, in UTF-8 with a byte-order mark, dates as 18.12.2026; Excel's
    // "Unicode Text" in French: tabs, in UTF-16, dates as 18/12/2026; Excel in American English: commas,
    // dates as 12/18/2026.
    let semicolons = [
        b"\xef\xbb\xbf".as_slice(),
        &as_a_spreadsheet_saves_it(&first, b';', |date| date.strftime("%d.%m.%Y").to_string()),
    ]
    .concat();
    let american = as_a_spreadsheet_saves_it(&first, b',', |date| date.strftime("%-m/%-d/%Y").to_string());
    let tabs: Vec<u8> =
        String::from_utf8(as_a_spreadsheet_saves_it(&first, b'\t', |date| date.strftime("%d/%m/%Y").to_string()))
            .unwrap()
            .encode_utf16()
            .fold(vec![0xff, 0xfe], |mut bytes, unit| {
                bytes.extend(unit.to_le_bytes());
                bytes
            });
    assert!(String::from_utf8_lossy(&semicolons).contains(";2,5;"));
    assert!(String::from_utf8_lossy(&semicolons).contains(";18.12.2026;"), "the sample has a due date on 18 December");
    assert!(String::from_utf8_lossy(&american).contains(",12/18/2026,"));
    for (name, bytes) in [("semicolons.csv", semicolons), ("tabs.txt", tabs), ("american.csv", american)] {
        let saved = folder.path().join(name);
        std::fs::write(&saved, bytes).unwrap();
        assert_eq!(interchange::detect(&saved).unwrap(), Format::Csv, "{name}");
        let copy = folder.path().join(format!("{name}.sqlite"));
        let document = interchange::read_document(&saved, None).unwrap();
        let report = interchange::import(&mut open(&copy), &document, false, false).unwrap();
        assert_eq!(report.items, 49, "{name}");
        let again = folder.path().join(format!("{name}.again.csv"));
        interchange::export(&mut open(&copy), Format::Csv, &again).unwrap();
        assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&again).unwrap(), "{name}");
    }
}

#[test]
fn foreign_exports_that_cannot_be_read_are_refused_naming_line_and_field() {
    let folder = tempfile::tempdir().unwrap();
    let target = sample(&folder, "target.sqlite");
    let error = refused(&target, &fixture("trello-card.json"));
    assert!(error.to_string().contains("single Trello card"), "{error}");

    let error = refused(&target, &fixture("jira-bad-date.csv"));
    assert!(error.to_string().contains("line 5 (SHOP-6), field 'Created': 'yesterday'"), "{error}");

    let write = |name: &str, contents: &str| {
        let path = folder.path().join(name);
        std::fs::write(&path, contents).unwrap();
        path
    };
    let jira = std::fs::read_to_string(fixture("jira-export.csv")).unwrap();
    let bad_points = write("bad-points.csv", &jira.replacen(",3,,SHOP-99", ",lots,,SHOP-99", 1));
    let error = refused(&target, &bad_points);
    assert!(error.to_string().contains("'Custom field (Story Points)': 'lots' is not a number"), "{error}");

    let trello = std::fs::read_to_string(fixture("trello-board.json")).unwrap();
    let truncated = write("truncated-trello.json", trello.get(..trello.len() / 2).unwrap());
    let error = refused(&target, &truncated);
    assert!(error.to_string().contains("not complete JSON"), "{error}");
    let wrong = write("wrong-trello.json", &trello.replacen("\"lists\": [", "\"lists\": 7, \"x\": [", 1));
    let error = refused(&target, &wrong);
    assert!(error.to_string().contains("lists"), "{error}");

    let tandem_csv = write("bad.csv", "Position,Kind,Title,Status\n1,Story,Login,Backlog\n2,Epicish,Logout,Backlog\n");
    let error = refused(&target, &tandem_csv);
    assert!(error.to_string().contains("line 3, column 'Kind': 'Epicish'"), "{error}");

    let other_json = write("other.json", "{\"name\": \"not a board\"}");
    assert!(matches!(refused(&target, &other_json), InterchangeError::NotRecognised { .. }));
}

#[test]
fn a_jira_import_into_the_sample_merges_and_a_dry_run_matches() {
    let folder = tempfile::tempdir().unwrap();
    let target = sample(&folder, "merge-jira.sqlite");
    let document = interchange::read_document(&fixture("jira-export.csv"), None).unwrap();
    let before = common::dump(&open(&target));
    let preview = interchange::import(&mut open(&target), &document, true, true).unwrap();
    assert_eq!(common::dump(&open(&target)), before);
    let real = interchange::import(&mut open(&target), &document, true, false).unwrap();
    assert_eq!(preview, real);
    let workspace = open(&target).load().unwrap();
    assert_eq!(workspace.item_count(), 55);
    assert_eq!(workspace.product.name, "Basket", "a merge keeps the product");
}

#[test]
fn a_cancelled_import_writes_nothing_and_a_cancelled_export_leaves_no_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "cancel.sqlite");
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&path), Format::Json, &json).unwrap();
    let document = interchange::read_document(&json, None).unwrap();
    let before = common::dump(&open(&path));
    let progress = interchange::Progress::default();
    progress.cancel();
    let result = interchange::import_with(&mut open(&path), &document, true, false, &progress);
    assert!(matches!(result, Err(InterchangeError::Cancelled)), "{result:?}");
    assert_eq!(common::dump(&open(&path)), before);

    let files_before = std::fs::read_dir(folder.path()).unwrap().count();
    for format in [Format::Json, Format::Csv, Format::Sqlite] {
        let out = folder.path().join("cancelled.out");
        let result = interchange::export_with(&mut open(&path), format, &out, &progress);
        assert!(matches!(result, Err(InterchangeError::Cancelled)), "{format:?}: {result:?}");
        assert!(!out.exists(), "{format:?} left a file");
    }
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), files_before, "no temporary files left behind");
}

#[test]
fn an_export_replaces_an_existing_file_only_when_complete() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "replace.sqlite");
    for (format, name) in [(Format::Sqlite, "copy.sqlite"), (Format::Json, "copy.json"), (Format::Csv, "copy.csv")] {
        let out = folder.path().join(name);
        std::fs::write(&out, b"old contents").unwrap();
        interchange::export(&mut open(&path), format, &out).unwrap();
        assert_eq!(interchange::detect(&out).unwrap(), format);
    }
}

#[test]
fn a_sqlite_import_reads_exactly_what_it_checked_including_its_write_ahead_log() {
    let folder = tempfile::tempdir().unwrap();
    let source = sample(&folder, "busy.sqlite");
    // Another program has the file open and its latest rows are still in the -wal file beside it.
    let writer = rusqlite::Connection::open(&source).unwrap();
    writer.execute_batch("PRAGMA wal_autocheckpoint = 0;").unwrap();
    for index in 1..=30 {
        writer
            .execute(
                "INSERT INTO items (kind, title, column_id, rank, raised_by, created_at, updated_at) \
                 VALUES ('story', ?1, 1, ?2, 'po', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
                (format!("Only in the log {index}"), format!("zz{index:03}a")),
            )
            .unwrap();
    }
    assert!(std::fs::metadata(format!("{}-wal", source.display())).unwrap().len() > 0);
    let document = interchange::read_document(&source, None).unwrap();
    assert_eq!(document.items.len(), 49 + 30, "the rows in the log are imported too");

    // A trigger hidden in the log is found as well: the check sees what the copy holds.
    writer.execute_batch("CREATE TRIGGER hidden AFTER INSERT ON items BEGIN DELETE FROM items; END;").unwrap();
    let target = sample(&folder, "target.sqlite");
    let error = refused(&target, &source);
    assert!(error.to_string().contains("triggers or views"), "{error}");
}

#[test]
fn csv_export_keeps_formula_like_text_as_text_and_reads_it_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample(&folder, "formula.sqlite");
    let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    let ready = app.workspace().columns[1].column_id;
    let title = "=HYPERLINK(\"http://example.com\",\"Click\")";
    app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Create(common::story(title, ready)))).unwrap();
    let mut labelled = common::story("@mention and -minus", ready);
    labelled.labels = vec!["+plus".to_owned()].into();
    app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Create(labelled))).unwrap();
    drop(app);
    let csv = folder.path().join("items.csv");
    interchange::export(&mut open(&path), Format::Csv, &csv).unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("\"'=HYPERLINK("), "a spreadsheet sees text, not a formula:\n{text}");
    assert!(text.contains("'@mention and -minus"), "{text}");
    assert!(text.contains("'+plus"), "{text}");
    assert!(!text.lines().any(|line| line.split(',').any(|cell| cell.starts_with('='))), "{text}");
    let document = interchange::read_document(&csv, None).unwrap();
    let titles: Vec<&str> = document.items.iter().map(|item| item.title.as_str()).collect();
    assert!(titles.contains(&title), "the mark comes off again on import: {titles:?}");
    let item = document.items.iter().find(|item| item.title == "@mention and -minus").unwrap();
    assert_eq!(item.labels, vec!["+plus".to_owned()]);
}

#[test]
fn a_csv_with_an_unclosed_quote_is_refused_not_shrunk() {
    let folder = tempfile::tempdir().unwrap();
    let target = sample(&folder, "target.sqlite");
    let path = folder.path().join("broken.csv");
    std::fs::write(&path, "Kind,Title,Status\nStory,One,Ready\nStory,\"Two,Ready\nStory,Three,Ready\n").unwrap();
    let error = refused(&target, &path);
    assert!(error.to_string().contains("never closed"), "{error}");
    let wide = folder.path().join("wide.csv");
    std::fs::write(&wide, "Kind,Title,Status\nStory,One,Ready,lost value\n").unwrap();
    let error = refused(&target, &wide);
    assert!(error.to_string().contains("only 3 columns"), "{error}");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_line_quietly() {
    let folder = tempfile::tempdir().unwrap();
    let workspace = sample(&folder, "plan.sqlite");
    let json = folder.path().join("plan.json");
    interchange::export(&mut open(&workspace), Format::Json, &json).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["import", &json.display().to_string(), "--dry-run", "--db", &workspace.display().to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -0`: the reading end closes before the report is written.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{:?}: {}", output.status, String::from_utf8_lossy(&output.stderr));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
}

#[test]
fn a_csv_that_excel_saved_in_windows_1252_or_as_utf_16_imports_with_its_accents() {
    let folder = tempfile::tempdir().unwrap();
    let text = "Title,Kind,Status\nCafé crème – démo,story,Backlog\nNaïve “search”,bug,Ready\n";
    let expected = vec![
        ("Backlog".to_owned(), vec!["Café crème – démo".to_owned()]),
        ("Ready".to_owned(), vec!["Naïve “search”".to_owned()]),
    ];
    // Excel's "CSV (Comma delimited)": Windows' Western European code page, byte by byte.
    let windows_1252: Vec<u8> = text
        .chars()
        .map(|c| match c {
            '–' => 0x96,
            '“' => 0x93,
            '”' => 0x94,
            other => u8::try_from(u32::from(other)).unwrap(),
        })
        .collect();
    let little_endian: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    for (name, bytes, encoding) in [
        ("excel.csv", windows_1252, Some("Windows-1252")),
        ("utf16.csv", little_endian, Some("UTF-16LE")),
        ("utf8.csv", text.as_bytes().to_vec(), None),
    ] {
        let path = folder.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (mut store, report) = import_new(&path);
        assert_eq!(board(&mut store), expected, "{name}");
        let said = report.mapping.iter().find(|line| line.starts_with("Text: read as "));
        match encoding {
            Some(encoding) => assert!(said.is_some_and(|line| line.contains(encoding)), "{name}: {report}"),
            None => assert!(said.is_none(), "a UTF-8 file says nothing about its encoding: {report}"),
        }
    }
}

/// The rows of `sql` on `path`, each a name, a second value and a count.
fn triples<T: rusqlite::types::FromSql>(path: &Path, sql: &str) -> Vec<(String, T, i64)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection.prepare(sql).unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Per column of `path`, in board order: name, done flag and how many items it holds.
fn columns_with_counts(path: &Path) -> Vec<(String, bool, i64)> {
    triples(
        path,
        "SELECT c.name, c.is_done, count(i.item_id) FROM board_columns c LEFT JOIN items i USING (column_id) \
         GROUP BY c.column_id ORDER BY c.position",
    )
}

/// Per epic of `path`, in id order: title, start date and how many items it holds.
fn epics_with_counts(path: &Path) -> Vec<(String, String, i64)> {
    triples(
        path,
        "SELECT e.title, e.start_date, count(i.item_id) FROM epics e LEFT JOIN items i USING (epic_id) \
         GROUP BY e.epic_id ORDER BY e.epic_id",
    )
}

#[test]
fn records_of_one_name_come_back_from_an_export_as_they_were() {
    // A workspace from before column names had to differ (or from a Trello board with two lists of one
    // name): "DONE" beside "Done", two epics and two releases of one title.
    let folder = tempfile::tempdir().unwrap();
    let original = sample(&folder, "original.sqlite");
    {
        let connection = rusqlite::Connection::open(&original).unwrap();
        connection
            .execute_batch(
                "UPDATE board_columns SET name = 'DONE' WHERE name = 'Review';
                 UPDATE epics SET title = 'One-tap checkout' WHERE title = 'Loyalty rewards';
                 UPDATE releases SET name = 'Release 3.1' WHERE name = 'Release 3.2';",
            )
            .unwrap();
    }
    let columns = columns_with_counts(&original);
    let epics = epics_with_counts(&original);
    let releases = |path: &Path| -> i64 {
        let connection = rusqlite::Connection::open(path).unwrap();
        connection.query_row("SELECT count(*) FROM releases WHERE name = 'Release 3.1'", [], |row| row.get(0)).unwrap()
    };
    assert_eq!(releases(&original), 2);
    let json = folder.path().join("export.json");
    interchange::export(&mut open(&original), Format::Json, &json).unwrap();

    let copy = folder.path().join("copy.sqlite");
    let document = interchange::read_document(&json, None).unwrap();
    let report = interchange::import(&mut open(&copy), &document, false, false).unwrap();
    assert_eq!(report.columns_created, 5, "{report}");
    assert_eq!(report.epics_created, 4, "{report}");
    assert!(
        report.losses.iter().any(|loss| loss
            == "Two columns in the file are called 'Done'; the second is called 'Done (2)' here, since each \
                column needs a name of its own."),
        "the renaming is said: {report}"
    );
    // Every column keeps its items and its done flag; only the second name changed.
    let mut expected = columns.clone();
    expected[4].0 = "Done (2)".to_owned();
    assert!(expected[4].1, "the sample's last column is its done column");
    assert_eq!(columns_with_counts(&copy), expected);
    assert_eq!(epics_with_counts(&copy), epics, "two epics of one title stay two, each with its items");
    assert_eq!(releases(&copy), 2, "both releases of one name are kept");
}
