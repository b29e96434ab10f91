//! `tandem item list / move / edit`, run as a user's script would: the real binary on a workspace
//! file, its output, its exit code, and then the file.

use std::path::Path;

use crate::common::{column_order, sample_workspace};

/// Runs `tandem ARGS --db PATH`; (exit code, stdout, stderr).
fn tandem(path: &Path, args: &[&str]) -> (i32, String, String) {
    let output =
        std::process::Command::new(env!("CARGO_BIN_EXE_tandem")).args(args).arg("--db").arg(path).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The id `tandem item list` gives the item titled `title`.
fn id_of(listing: &str, title: &str) -> String {
    listing.lines().find(|line| line.ends_with(&format!("\t{title}"))).unwrap().split('\t').next().unwrap().to_owned()
}

#[test]
fn item_list_prints_every_item_in_board_order_with_its_place() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "list.sqlite");
    let (code, listing, _) = tandem(&path, &["item", "list"]);
    assert_eq!(code, 0);
    assert_eq!(listing.lines().count(), 49, "every item, one line each");
    let backlog: Vec<_> = listing
        .lines()
        .filter(|line| line.split('\t').nth(1) == Some("Backlog"))
        .map(|line| line.split('\t').nth(3).unwrap().to_owned())
        .collect();
    assert_eq!(backlog, column_order(&path, "Backlog"), "in the column's order");
    let first = listing.lines().next().unwrap();
    assert!(first.ends_with("\tBacklog\t1\tHold a delivery slot for 30 minutes"), "{first}");

    let (code, ready, _) = tandem(&path, &["item", "list", "--column", "ready"]);
    assert_eq!(code, 0);
    assert!(!ready.is_empty() && ready.lines().all(|line| line.contains("\tReady\t")), "{ready}");
}

#[test]
fn item_move_puts_the_item_where_asked_and_refuses_in_a_sentence() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "move.sqlite");
    let (_, listing, _) = tandem(&path, &["item", "list"]);
    let ready = column_order(&path, "Ready");
    let moved = "Hold a delivery slot for 30 minutes";
    let id = id_of(&listing, moved);
    let below = id_of(&listing, &ready[0]);

    let (code, said, _) = tandem(&path, &["item", "move", &id, "--to", "Ready", "--after", &below]);
    assert_eq!(code, 0, "{said}");
    assert!(said.contains(&format!("'{moved}'")) && said.contains("position 2"), "{said}");
    assert_eq!(column_order(&path, "Ready")[..2], [ready[0].clone(), moved.to_owned()]);

    let (code, _, _) = tandem(&path, &["item", "move", &id, "--to", "Ready", "--top"]);
    assert_eq!(code, 0);
    assert_eq!(column_order(&path, "Ready")[0], moved);
    let (code, _, _) = tandem(&path, &["item", "move", &id, "--to", "backlog"]);
    assert_eq!(code, 0);
    assert_eq!(column_order(&path, "Backlog").last().map(String::as_str), Some(moved), "to the bottom by default");

    // Refusals: a sentence on stderr, exit 1, and the file as it was.
    let before = crate::common::dump(&tandem::store::Store::open(&path).unwrap().0);
    let (code, _, error) = tandem(&path, &["item", "move", &id, "--to", "Doing"]);
    assert_eq!(code, 1);
    assert!(error.contains("There is no column 'Doing'; the columns are 'Backlog', 'Ready'"), "{error}");
    let (code, _, error) = tandem(&path, &["item", "move", &id, "--to", "Done", "--after", &below]);
    assert_eq!(code, 1);
    assert!(error.contains("is not in 'Done'"), "{error}");
    let (code, _, error) = tandem(&path, &["item", "move", "99999", "--to", "Done"]);
    assert_eq!(code, 1);
    assert!(error.contains("There is no item 99999"), "{error}");
    assert_eq!(crate::common::dump(&tandem::store::Store::open(&path).unwrap().0), before);

    // A workspace from before column names had to differ: a name two columns share is not guessed at.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE board_columns SET name = 'DONE' WHERE name = 'Review'", [])
        .unwrap();
    let before = crate::common::dump(&tandem::store::Store::open(&path).unwrap().0);
    let (code, _, error) = tandem(&path, &["item", "move", &id, "--to", "done"]);
    assert_eq!(code, 1);
    assert!(
        error.contains("2 columns are called 'done' (ignoring capitals), so Tandem cannot tell which one you mean."),
        "{error}"
    );
    assert_eq!(crate::common::dump(&tandem::store::Store::open(&path).unwrap().0), before);
}

#[test]
fn item_edit_uses_the_editors_checks_and_keeps_the_file_on_a_refusal() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "edit.sqlite");
    let (_, listing, _) = tandem(&path, &["item", "list"]);
    let id = id_of(&listing, "Hold a delivery slot for 30 minutes");
    let (code, said, _) = tandem(
        &path,
        &["item", "edit", &id, "--title", "Hold a slot", "--points", "5", "--description", "Why: less waiting."],
    );
    assert_eq!(code, 0);
    assert_eq!(said.trim(), "Saved 'Hold a slot'.");
    let connection = rusqlite::Connection::open(&path).unwrap();
    let (points, description): (Option<f64>, String) = connection
        .query_row("SELECT points, description FROM items WHERE title = 'Hold a slot'", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!((points, description.as_str()), (Some(5.0), "Why: less waiting."));

    let before = crate::common::dump(&tandem::store::Store::open(&path).unwrap().0);
    for (args, message) in [
        (vec!["--points", "1001"], "it must be between 0 and 1000"),
        // A negative estimate is read as one, and refused with the rule, not as an unknown option.
        (vec!["--points", "-1"], "The estimate (story points) is -1; it must be between 0 and 1000"),
        (vec!["--points", "three"], "'three' is not a number of points"),
        (vec!["--title", " "], "The title is empty"),
        (vec![], "Nothing to change"),
    ] {
        let mut all = vec!["item", "edit", id.as_str()];
        all.extend(args);
        let (code, _, error) = tandem(&path, &all);
        assert_eq!(code, 1, "{all:?}");
        assert!(error.contains(message), "{all:?}: {error}");
    }
    assert_eq!(crate::common::dump(&tandem::store::Store::open(&path).unwrap().0), before, "refusals change nothing");
    let (code, _, _) = tandem(&path, &["item", "edit", &id, "--points", "none"]);
    assert_eq!(code, 0);
    let points: Option<f64> =
        connection.query_row("SELECT points FROM items WHERE title = 'Hold a slot'", [], |row| row.get(0)).unwrap();
    assert_eq!(points, None, "none clears the estimate");
    // A title may begin with a dash.
    assert_eq!(tandem(&path, &["item", "edit", &id, "--title", "- Hold a slot"]).0, 0);
    let titles: i64 =
        connection.query_row("SELECT count(*) FROM items WHERE title = '- Hold a slot'", [], |row| row.get(0)).unwrap();
    assert_eq!(titles, 1);
}

#[test]
fn item_commands_refuse_a_missing_workspace_without_creating_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("missing.sqlite");
    let (code, _, error) = tandem(&path, &["item", "list"]);
    assert_eq!(code, 1);
    assert!(error.contains("There is no workspace at"), "{error}");
    assert!(error.contains(&format!("tandem --db \"{}\"", path.display())), "says how to create it: {error}");
    assert!(!path.exists());
}

#[test]
fn a_command_on_an_empty_file_says_it_holds_no_workspace_and_leaves_it_empty() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("empty.sqlite");
    std::fs::write(&path, b"").unwrap();
    for args in [&["item", "list"][..], &["baseline", "save", "Steering"], &["compare", "--baseline", "Steering"]] {
        let (code, _, error) = tandem(&path, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(error.contains("is an empty file, not a workspace; nothing was done."), "{args:?}: {error}");
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "{args:?}: the file stays empty");
        assert!(!folder.path().join("empty.sqlite-wal").exists(), "{args:?}");
    }
}

#[test]
fn a_baseline_travels_in_the_file_and_compare_says_what_changed_since() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "base.sqlite");
    let (code, said, _) = tandem(&path, &["baseline", "save", "Before PI 4 planning", "--note", "steering"]);
    assert_eq!(code, 0);
    assert!(said.starts_with("Saved the baseline 'Before PI 4 planning' of ") && said.contains("(49 items)"), "{said}");
    let (code, _, error) = tandem(&path, &["baseline", "save", "before pi 4 PLANNING"]);
    assert_eq!(code, 1);
    assert!(error.contains("There is already a baseline named 'Before PI 4 planning'"), "{error}");

    // A byte copy of the file carries the baseline.
    let copy = folder.path().join("copy.sqlite");
    std::fs::copy(&path, &copy).unwrap();
    let (_, listed, _) = tandem(&copy, &["baseline", "list"]);
    assert!(listed.starts_with("Before PI 4 planning\t") && listed.contains("\t49 items\tsteering"), "{listed}");

    // Change the plan: a move across columns, one within a column, an estimate, a new item's absence.
    let (_, listing, _) = tandem(&path, &["item", "list"]);
    let backlog = column_order(&path, "Backlog");
    let across = id_of(&listing, &backlog[0]);
    let within = id_of(&listing, &backlog[5]);
    assert_eq!(tandem(&path, &["item", "move", &across, "--to", "Ready", "--top"]).0, 0);
    assert_eq!(tandem(&path, &["item", "move", &within, "--to", "Backlog", "--top"]).0, 0);
    assert_eq!(tandem(&path, &["item", "edit", &within, "--points", "21"]).0, 0);

    let (code, report, _) = tandem(&path, &["compare", "--baseline", "Before PI 4 planning"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = report.lines().collect();
    assert!(lines[0].contains(": 3 differences."), "{report}");
    assert!(report.contains(&format!("  Moved '{}' from Backlog to Ready (position 1).", backlog[0])), "{report}");
    assert!(report.contains(&format!("  Reordered '{}' in Backlog: position 6 → 1.", backlog[5])), "{report}");
    assert!(
        report.contains(&format!("  Re-estimated '{}': ", backlog[5])) && report.contains("→ 21 points."),
        "{report}"
    );
    assert_eq!(report.matches("Reordered '").count(), 1, "only the card that moved, not the ones it passed");

    // The copy (still as the baseline was) compared with the changed plan: the same three, reversed.
    let (code, report, _) = tandem(&path, &["compare", copy.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(report.contains(": 3 differences.") && report.contains("from Ready to Backlog"), "{report}");

    // Refusals.
    let (code, _, error) = tandem(&path, &["compare", "--baseline", "After PI 4"]);
    assert_eq!(code, 1);
    assert!(
        error.contains(
            "There is no baseline named 'After PI 4' in this workspace. Its baselines are 'Before PI 4 planning'."
        ),
        "{error}"
    );
    let stranger = folder.path().join("stranger.sqlite");
    tandem::demo::generate(&stranger, 20).unwrap();
    let (code, _, error) = tandem(&path, &["compare", stranger.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(error.contains("These are two different plans"), "{error}");
    let (code, said, _) = tandem(&path, &["baseline", "delete", "before pi 4 planning"]);
    assert_eq!(code, 0, "{said}");
    assert!(tandem(&path, &["baseline", "list"]).1.starts_with("No baselines yet"));
}

#[test]
fn import_archived_lists_brings_the_cards_of_archived_trello_lists_as_archived_items() {
    let folder = tempfile::tempdir().unwrap();
    let trello = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trello-board.json");
    let archived_in = |path: &Path| -> Vec<String> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement =
            connection.prepare("SELECT title FROM items WHERE archived_at IS NOT NULL ORDER BY title").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let plain = folder.path().join("plain.sqlite");
    let trello_text = trello.to_str().unwrap();
    let (code, out, _) = tandem(&plain, &["import", trello_text, "--into-new", plain.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 card of archived lists → not imported"), "{out}");
    assert_eq!(archived_in(&plain), vec!["Old promo banner".to_owned()]);

    let with = folder.path().join("with.sqlite");
    let (code, out, _) =
        tandem(&with, &["import", trello_text, "--into-new", with.to_str().unwrap(), "--archived-lists"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(archived_in(&with), vec!["Gift wrapping".to_owned(), "Old promo banner".to_owned()]);
}

#[test]
fn an_import_into_a_new_workspace_refused_for_a_record_creates_nothing_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let source = sample_workspace(&folder, "source.sqlite");
    let json = folder.path().join("plan.json");
    let (code, _, _) = tandem(&source, &["export", "--format", "json", "--out", json.to_str().unwrap()]);
    assert_eq!(code, 0);
    let mut document: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    document["items"][0]["points"] = 2000.into();
    let title = document["items"][0]["title"].as_str().unwrap().to_owned();
    std::fs::write(&json, serde_json::to_vec(&document).unwrap()).unwrap();
    let target = folder.path().join("new.sqlite");
    let (code, _, err) =
        tandem(&source, &["import", json.to_str().unwrap(), "--into-new", target.to_str().unwrap(), "--dry-run"]);
    assert_ne!(code, 0);
    assert!(err.contains(&format!("Nothing was imported, and {} was not created.", target.display())), "{err}");
    let (code, _, err) = tandem(&source, &["import", json.to_str().unwrap(), "--into-new", target.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains(&format!("The item '{title}' cannot be kept: The estimate (story points) is 2000")), "{err}");
    assert!(err.contains(&format!("Nothing was imported, and {} was not created.", target.display())), "{err}");
    assert!(!err.contains("the workspace is as it was"), "there is no workspace to speak of: {err}");
    assert!(!target.exists(), "no file is left behind");
    let left: Vec<_> = std::fs::read_dir(folder.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert!(left.iter().all(|name| !name.to_string_lossy().starts_with("new")), "nothing beside it either: {left:?}");
}

#[test]
fn a_workspace_made_by_importing_an_export_is_another_plan_and_never_merges_into_the_wrong_items() {
    // The sample's items share creation times, and its export lists them in board order: numbered from
    // 1 again, an imported copy gave some of them each other's numbers. A merge then took an estimate
    // changed on one item in the copy for a change to another item here.
    let folder = tempfile::tempdir().unwrap();
    let source = sample_workspace(&folder, "source.sqlite");
    let json = folder.path().join("plan.json");
    let (code, _, _) = tandem(&source, &["export", "--format", "json", "--out", json.to_str().unwrap()]);
    assert_eq!(code, 0);
    let copy = folder.path().join("imported.sqlite");
    let (code, _, err) = tandem(&source, &["import", json.to_str().unwrap(), "--into-new", copy.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let ids = |path: &Path| -> std::collections::BTreeSet<i64> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement = connection.prepare("SELECT item_id FROM items").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(ids(&copy).len(), ids(&source).len());
    assert!(ids(&copy).is_disjoint(&ids(&source)), "no imported item takes a number of the source's");

    let (_, listing, _) = tandem(&copy, &["item", "list"]);
    let edited = id_of(&listing, "Error messages announced by screen readers");
    let (code, _, _) = tandem(&copy, &["item", "edit", &edited, "--points", "8"]);
    assert_eq!(code, 0);
    let before = std::fs::read(&source).unwrap();
    let (code, _, err) = tandem(&source, &["merge", copy.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("These are two different plans"), "{err}");
    let (code, _, err) = tandem(&source, &["compare", copy.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("These are two different plans"), "{err}");
    assert_eq!(std::fs::read(&source).unwrap(), before, "the workspace is as it was");
}

#[test]
fn demo_writes_cards_or_with_details_described_items() {
    let folder = tempfile::tempdir().unwrap();
    let counts = |path: &Path| -> (i64, i64, i64) {
        let connection = rusqlite::Connection::open(path).unwrap();
        connection
            .query_row("SELECT count(*), count(NULLIF(description, '')), count(reporter) FROM items", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap()
    };
    for (flag, expected) in [(None, (60, 0, 0)), (Some("--details"), (60, 60, 60))] {
        let out = folder.path().join(format!("demo{}.sqlite", flag.unwrap_or("")));
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"));
        command.args(["demo", "--items", "60", "--out"]).arg(&out).args(flag);
        let output = command.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(counts(&out), expected, "{flag:?}");
    }
}

/// A window keeps its workspace open while a script (or a second Tandem) opens the same file and closes
/// it again. The window's later changes must still reach the file: SQLite's write-ahead log may only be
/// taken away by the last connection to close, and the window's connection must keep saying it is there.
#[test]
fn a_window_keeps_its_log_while_another_program_opens_and_closes_the_file() {
    use tandem::app::{App, Command, ItemCommand, NewWorkspace};
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("shared.sqlite");
    drop(App::open(&path, NewWorkspace::Sample).unwrap());
    // Opened again, as every later start opens it: the file is checked before it is trusted.
    let mut app = App::open(&path, NewWorkspace::Sample).unwrap();
    let first = app.workspace().column_items(app.workspace().columns[0].column_id)[0];
    let mut edited = app.workspace().item(first).unwrap().clone();
    edited.title = "Saved before the script ran".into();
    app.apply(Command::Item(ItemCommand::Update(edited))).unwrap();
    // The window itself looks at the file again, as an import's preview does when it opens the
    // workspace beside the window's own connection.
    tandem::store::check_workspace_file(&path).unwrap();
    drop(tandem::store::Store::open(&path).unwrap());

    assert_holds_its_lock(&path);
    // Another program opens the file, reads it and closes it: the `sqlite3` shell where there is one
    // (CI installs it), else a plain SQLite program (this test binary again, running the helper below).
    assert_eq!(other_program_reads(&path, first), "Saved before the script ran");

    // The window goes on working; what it saves now is in the file for everyone else, and stays there
    // when the window is gone.
    let mut edited = app.workspace().item(first).unwrap().clone();
    edited.title = "Saved after the script ran".into();
    app.apply(Command::Item(ItemCommand::Update(edited))).unwrap();
    assert_eq!(
        other_program_reads(&path, first),
        "Saved after the script ran",
        "the window's change is lost to others"
    );
    drop(app);
    assert_eq!(other_program_reads(&path, first), "Saved after the script ran");
}

/// The title of `item` as another process, a plain SQLite program, reads it from `path`.
fn other_program_reads(path: &Path, item: tandem::model::ItemId) -> String {
    let shell = std::process::Command::new("sqlite3")
        .arg(path)
        .arg(format!("SELECT 'title: ' || title FROM items WHERE item_id = {}", item.0))
        .output();
    let output = if let Ok(output) = shell {
        output
    } else {
        eprintln!("note: no sqlite3 shell here; a plain rusqlite program reads the file instead");
        std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "cli::plain_sqlite_program", "--ignored", "--nocapture", "--test-threads=1"])
            .env("TANDEM_TEST_READ_FILE", path)
            .env("TANDEM_TEST_READ_ITEM", item.0.to_string())
            .output()
            .unwrap()
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    // libtest prints the test's name on the same line.
    stdout
        .lines()
        .find_map(|line| line.split_once("title: ").map(|(_, title)| title))
        .unwrap_or_else(|| panic!("no title in:\n{stdout}"))
        .to_owned()
}

/// On Linux, where `/proc/locks` lists every lock: this process holds a shared lock on the file itself
/// (what tells another program closing the file that it is not the last one, and must leave the log).
fn assert_holds_its_lock(path: &Path) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt as _;
        let inode = std::fs::metadata(path).unwrap().ino();
        let locks = std::fs::read_to_string("/proc/locks").unwrap();
        let pid = std::process::id().to_string();
        let held = locks.lines().any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.get(1) == Some(&"POSIX")
                && fields.get(3) == Some(&"READ")
                && fields.get(4) == Some(&pid.as_str())
                && fields.get(5).is_some_and(|device_inode| device_inode.ends_with(&format!(":{inode}")))
        });
        assert!(held, "the window's connection holds no lock on the file:\n{locks}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
}

/// Run by [`other_program_reads`] in a process of its own: opens the file with one plain connection,
/// reads one title, and closes, as the `sqlite3` shell or a backup script would.
#[test]
#[ignore = "a helper that another test runs in a process of its own"]
fn plain_sqlite_program() {
    let (Some(path), Some(item)) =
        (std::env::var_os("TANDEM_TEST_READ_FILE"), std::env::var_os("TANDEM_TEST_READ_ITEM"))
    else {
        return;
    };
    let connection = rusqlite::Connection::open(path).unwrap();
    let item: i64 = item.to_string_lossy().parse().unwrap();
    let title: String =
        connection.query_row("SELECT title FROM items WHERE item_id = ?1", [item], |row| row.get(0)).unwrap();
    println!("title: {title}");
    connection.close().unwrap();
}

#[test]
fn export_over_the_workspace_and_import_of_it_into_itself_are_refused_and_change_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "own.sqlite");
    let before = std::fs::read(&path).unwrap();
    for format in ["json", "csv", "sqlite"] {
        let out = path.to_str().unwrap();
        let (code, _, stderr) = tandem(&path, &["export", "--format", format, "--out", out]);
        assert_ne!(code, 0, "{format}");
        assert!(
            stderr.contains("That is the open workspace itself, so the export cannot be written over it"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "the workspace is as it was ({format})");
    }
    let wal = format!("{}-wal", path.display());
    let (code, _, stderr) = tandem(&path, &["export", "--format", "json", "--out", &wal]);
    assert_ne!(code, 0);
    assert!(stderr.contains("open workspace itself"), "{stderr}");
    assert!(!Path::new(&wal).exists(), "nothing written beside the workspace");

    let (code, _, stderr) = tandem(&path, &["import", path.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(stderr.contains("everything in it is already here, so nothing was imported"), "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let (code, listing, _) = tandem(&path, &["item", "list"]);
    assert_eq!((code, listing.lines().count()), (0, 49));
}

#[test]
fn a_file_sqlite_keeps_beside_a_workspace_is_never_opened_or_made_a_workspace() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = folder.path().join(format!("plan.sqlite{suffix}"));
        // An empty one (a log right after it was reset), which would otherwise be made a new workspace.
        std::fs::write(&side, b"").unwrap();
        let (code, _, stderr) = tandem(&side, &["item", "list"]);
        assert_ne!(code, 0, "{suffix}");
        assert!(stderr.contains("is a file SQLite keeps beside the workspace"), "{stderr}");
        assert!(stderr.contains("plan.sqlite' instead"), "{stderr}");
        assert_eq!(std::fs::metadata(&side).unwrap().len(), 0, "left as it was ({suffix})");
        std::fs::remove_file(&side).unwrap();
    }
    let (code, listing, _) = tandem(&path, &["item", "list"]);
    assert_eq!((code, listing.lines().count()), (0, 49));
    // Without a workspace beside it, such a name is just a name.
    let lone = folder.path().join("notes.sqlite-wal");
    let (code, _, stderr) = tandem(&lone, &["item", "list"]);
    assert!(!stderr.contains("keeps beside"), "{code} {stderr}");
}
