//! `tandem bench`: exports and imports of a whole workspace against their baselines, and group `names`: how an import's time grows with the number of distinct names it
//! matches (statuses, epics, sprints in a CSV; lists on a Trello board). Each at `n` and `10 n` names in
//! the same run, with the ratio: a linear import costs about 10×, a quadratic one about 100×.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::interchange::{self, Progress};
use crate::store::{Store, StoreError};

#[expect(clippy::needless_pass_by_value, reason = "used as map_err(failed)")]
fn failed(error: interchange::InterchangeError) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

/// A backlog CSV of `names` rows, each with its own status, epic and sprint.
fn csv_with_names(names: usize) -> String {
    let rows: Vec<String> =
        (0..names).map(|index| format!("Item {index},Status {index},Story,Epic {index},Sprint {index}\n")).collect();
    format!("Title,Status,Kind,Epic,Sprint\n{}", rows.concat())
}

/// A Trello board export of `names` open lists with one card each.
fn trello_with_names(names: usize) -> String {
    let lists: Vec<String> = (0..names)
        .map(|index| format!(r#"{{"id":"l{index}","name":"List {index}","pos":{index},"closed":false}}"#))
        .collect();
    let cards: Vec<String> = (0..names)
        .map(|index| format!(r#"{{"id":"c{index}","name":"Card {index}","idList":"l{index}","pos":1}}"#))
        .collect();
    format!(
        r#"{{"name":"Bench","url":"https://trello.com/b/bench","lists":[{}],"cards":[{}],"actions":[]}}"#,
        lists.join(","),
        cards.join(",")
    )
}

/// Reading and (dry-run) importing one file: the time of the fastest of `runs`.
fn time_import(path: &Path, runs: usize) -> Result<Duration, StoreError> {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let started = Instant::now();
        let document = interchange::read_document(path, None).map_err(failed)?;
        let mut store = Store::open_in_memory()?;
        interchange::import_with(&mut store, &document, false, true, &Progress::default()).map_err(failed)?;
        best = best.min(started.elapsed());
    }
    Ok(best)
}

/// Times CSV and Trello imports at `small` and `10 × small` names and prints the ratios.
///
/// # Errors
/// A store error, or an import that fails.
pub fn bench_names(folder: &Path, small: usize) -> Result<(), StoreError> {
    let large = small * 10;
    for (format, make, extension) in [
        ("csv", csv_with_names as fn(usize) -> String, "csv"),
        ("trello", trello_with_names as fn(usize) -> String, "json"),
    ] {
        let mut figures = Vec::new();
        for names in [small, large] {
            let path = folder.join(format!("bench-names-{format}-{names}.{extension}"));
            std::fs::write(&path, make(names))?;
            let runs = if names == small { 5 } else { 2 };
            let time = time_import(&path, runs)?;
            super::bench::print(&format!("import_{format}_{names}_names_dry_run"), time.as_secs_f64() * 1000.0, "ms");
            figures.push(time.as_secs_f64());
        }
        super::bench::print(&format!("import_{format}_names_ratio_{large}_to_{small}"), figures[1] / figures[0], "x");
    }
    Ok(())
}

/// Export and import of a workspace of `items` items as JSON and as a .sqlite copy, each beside its
/// baseline (a byte copy of the file; SQLite copying the rows itself).
pub(crate) fn bench_interchange(folder: &Path, items: usize) -> Result<(), StoreError> {
    let source = crate::bench::workspace_file(folder, items)?;
    let failed = |error: crate::interchange::InterchangeError| StoreError::Corrupt(error.to_string());
    let (mut store, _) = Store::open(&source)?;
    let json = folder.join(format!("bench-{items}.json"));
    let copy = folder.join(format!("bench-{items}-copy.sqlite"));
    let imported = folder.join(format!("bench-{items}-imported.sqlite"));
    let (mut json_export, mut sqlite_export, mut raw_copy) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        let started = Instant::now();
        crate::interchange::export(&mut store, crate::interchange::Format::Json, &json).map_err(failed)?;
        json_export.push(started.elapsed());

        let started = Instant::now();
        crate::interchange::export(&mut store, crate::interchange::Format::Sqlite, &copy).map_err(failed)?;
        sqlite_export.push(started.elapsed());

        // Baseline: copying the file's bytes, the least any .sqlite export can cost.
        let started = Instant::now();
        std::fs::copy(&source, folder.join("bench-raw-copy.sqlite"))?;
        raw_copy.push(started.elapsed());
    }
    // The exports' data reaches the disk before the imports are timed, so that an import's own sync
    // does not pay for flushing them.
    for path in [&json, &copy, &folder.join("bench-raw-copy.sqlite")] {
        std::fs::File::open(path)?.sync_all()?;
    }
    let (mut json_import, mut json_parse, mut json_write, mut sql_copy) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..5 {
        remove_workspace(&imported);
        let started = Instant::now();
        let document = crate::interchange::read_document(&json, None).map_err(failed)?;
        let parsed = started.elapsed();
        let writing = Instant::now();
        crate::interchange::import_into_new(&document, &imported, &crate::interchange::Progress::default())
            .map_err(failed)?;
        json_write.push(writing.elapsed());
        json_parse.push(parsed);
        json_import.push(started.elapsed());

        // Baseline: SQLite copying the same rows from the source workspace into a new one with one
        // INSERT … SELECT per table, journal off, then synced: the least writing them can cost.
        remove_workspace(&imported);
        let started = Instant::now();
        sql_copy_into_new(&source, &imported)?;
        sql_copy.push(started.elapsed());
    }
    remove_workspace(&imported);
    crate::bench::print(
        &format!("export_json_{items}_items_median"),
        crate::bench::median_p99(&mut json_export).0,
        "ms",
    );
    crate::bench::print(
        &format!("import_json_{items}_items_median"),
        crate::bench::median_p99(&mut json_import).0,
        "ms",
    );
    crate::bench::print(
        &format!("import_json_{items}_items_parse_median"),
        crate::bench::median_p99(&mut json_parse).0,
        "ms",
    );
    crate::bench::print(
        &format!("import_json_{items}_items_write_median"),
        crate::bench::median_p99(&mut json_write).0,
        "ms",
    );
    crate::bench::print(
        &format!("export_sqlite_{items}_items_median"),
        crate::bench::median_p99(&mut sqlite_export).0,
        "ms",
    );
    crate::bench::print(
        &format!("export_sqlite_{items}_baseline_file_copy_median"),
        crate::bench::median_p99(&mut raw_copy).0,
        "ms",
    );
    crate::bench::print(
        &format!("import_json_{items}_baseline_sql_copy_median"),
        crate::bench::median_p99(&mut sql_copy).0,
        "ms",
    );
    Ok(())
}

fn remove_workspace(path: &Path) {
    crate::store::remove_workspace_files(path);
}

/// A new workspace at `target` holding `source`'s rows, copied table by table by SQLite itself.
fn sql_copy_into_new(source: &Path, target: &Path) -> Result<(), StoreError> {
    let (mut store, _) = Store::open(target)?;
    store.without_journal()?;
    let connection = store.connection();
    connection.execute("ATTACH DATABASE ?1 AS source", [source.display().to_string()])?;
    let tables: Vec<String> = connection
        .prepare(
            "SELECT name FROM source.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    connection.execute_batch("BEGIN")?;
    for table in &tables {
        connection.execute(&format!("DELETE FROM main.\"{table}\""), [])?;
        connection.execute(&format!("INSERT INTO main.\"{table}\" SELECT * FROM source.\"{table}\""), [])?;
    }
    connection.execute_batch("COMMIT; DETACH DATABASE source")?;
    drop(store);
    std::fs::File::open(target)?.sync_all()?;
    Ok(())
}

/// Group `undo_import`: a JSON export of the `items`-item bench workspace imported into the open
/// sample product as the window does it (the worker's connection writes and records the changeset,
/// the window reads the workspace again and makes it one undo step), then undone and redone through
/// `App`; against bare `DELETE`s of the rows the import added, in one transaction on the same file.
///
/// # Errors
/// A store error, or an import that fails.
pub fn bench_undo_import(folder: &Path, items: usize) -> Result<(), StoreError> {
    use crate::app::{App, NewWorkspace};
    let source = crate::bench::workspace_file(folder, items)?;
    let document = interchange::read_sqlite(&source).map_err(failed)?;
    let path = folder.join(format!("bench-{items}-undo-import.sqlite"));
    crate::store::remove_workspace_files(&path);
    let mut app = App::open(&path, NewWorkspace::Sample).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let tables: Vec<String> = {
        let connection = rusqlite::Connection::open(&path)?;
        let mut statement = connection.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'journal' AND sql NOT LIKE '%WITHOUT ROWID%'",
        )?;
        statement.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?
    };
    let high_water = |path: &Path| -> Result<Vec<(String, i64)>, StoreError> {
        let connection = rusqlite::Connection::open(path)?;
        let mut marks = Vec::new();
        for table in &tables {
            let top: i64 =
                connection
                    .query_row(&format!("SELECT coalesce(max(rowid), 0) FROM \"{table}\""), [], |row| row.get(0))?;
            marks.push((table.clone(), top));
        }
        Ok(marks)
    };
    let before = high_water(&path)?;

    let started = Instant::now();
    let work = crate::app::jobs::Work::Import {
        document: Box::new(document),
        source: source.clone(),
        target: crate::app::jobs::ImportTarget::Merge(path.clone()),
    };
    let crate::app::jobs::Outcome::Imported { result, changeset, read, .. } = run_job(work) else {
        return Err(StoreError::Corrupt("the worker reported something else".to_owned()));
    };
    result.map_err(failed)?;
    let taken_in = Instant::now();
    app.imported(format!("import {items} items"), changeset, read)?;
    let import_window = taken_in.elapsed();
    let import = started.elapsed();
    let (undo, undo_window) = replay_on_worker(&mut app, true)?;
    let (redo, redo_window) = replay_on_worker(&mut app, false)?;
    drop(app);

    let mut connection = rusqlite::Connection::open(&path)?;
    connection.execute_batch("PRAGMA foreign_keys = ON")?;
    let started = Instant::now();
    let transaction = connection.transaction()?;
    for (table, top) in &before {
        transaction.execute(&format!("DELETE FROM \"{table}\" WHERE rowid > ?1"), [top])?;
    }
    transaction.commit()?;
    let baseline = started.elapsed();
    drop(connection);
    crate::store::remove_workspace_files(&path);

    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    crate::bench::print(&format!("undo_import_{items}_import"), millis(import), "ms");
    crate::bench::print(&format!("undo_import_{items}_import_window_thread"), millis(import_window), "ms");
    crate::bench::print(&format!("undo_import_{items}_undo"), millis(undo), "ms");
    crate::bench::print(&format!("undo_import_{items}_undo_window_thread"), millis(undo_window), "ms");
    crate::bench::print(&format!("undo_import_{items}_redo"), millis(redo), "ms");
    crate::bench::print(&format!("undo_import_{items}_redo_window_thread"), millis(redo_window), "ms");
    crate::bench::print(&format!("undo_import_{items}_baseline_bare_deletes"), millis(baseline), "ms");
    crate::bench::print(
        &format!("undo_import_{items}_undo_ratio_to_baseline"),
        millis(undo) / millis(baseline).max(1e-9),
        "x",
    );
    Ok(())
}

/// Runs `work` on the worker thread as the window does, and waits for its outcome.
pub(crate) fn run_job(work: crate::app::jobs::Work) -> crate::app::jobs::Outcome {
    let job = crate::app::jobs::Job::start(work, || {});
    loop {
        if let Some(outcome) = job.poll() {
            return outcome;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// An undo (`undo`) or redo of the import on top of `app`'s history made as the window makes it: the
/// step handed to the worker thread, then its outcome taken back. Gives the time until the workspace
/// shows the result, and the window thread's share of it (handing over, reading the workspace again).
fn replay_on_worker(app: &mut crate::app::App, undo: bool) -> Result<(Duration, Duration), StoreError> {
    let started = Instant::now();
    let Some(work) = app.begin_replay(undo) else {
        return Err(StoreError::Corrupt("the import is not the next undo step".to_owned()));
    };
    let mut window = started.elapsed();
    let crate::app::jobs::Outcome::Replayed { result, read } = run_job(work) else {
        return Err(StoreError::Corrupt("the worker reported something else".to_owned()));
    };
    let taken_back = Instant::now();
    app.finish_replay(result.is_ok(), read)?;
    result.map_err(failed)?;
    window += taken_back.elapsed();
    Ok((started.elapsed(), window))
}
