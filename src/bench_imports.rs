//! `tandem bench` group `names`: how an import's time grows with the number of distinct names it
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
