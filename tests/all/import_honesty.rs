//! What an import's preview says against what it writes: every count in the mapping of a Trello or Jira
//! import is compared with the rows in the file, field by field, so the report can never claim more (or
//! less) than was kept. Run on Tandem's own fixtures and, where `../shared` is present, on real exports.

use std::path::{Path, PathBuf};

use tandem::interchange::{self, document::ImportReport};
use tandem::store::Store;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn shared_sample(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples").join(name);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is not here (a clone without ../shared)", path.display());
        None
    }
}

fn import(path: &Path) -> (Store, ImportReport) {
    import_with(path, interchange::ReadOptions::default())
}

fn import_with(path: &Path, options: interchange::ReadOptions) -> (Store, ImportReport) {
    let document = interchange::read_document_with(path, None, options).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let report = interchange::import(&mut store, &document, false, false).unwrap();
    (store, report)
}

fn count(store: &Store, sql: &str) -> usize {
    usize::try_from(store.connection().query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap()).unwrap()
}

/// The number that starts the first mapping line whose rest holds `words`; the line must be there.
fn said(report: &ImportReport, words: &str) -> usize {
    report
        .mapping
        .iter()
        .find_map(|line| {
            let (number, rest) = line.split_once(' ')?;
            let number = number.parse::<usize>().ok()?;
            rest.contains(words).then_some(number)
        })
        .unwrap_or_else(|| panic!("no mapping line with a count before '{words}' in:\n{report}"))
}

fn trello_report_matches_what_was_written(path: &Path, options: interchange::ReadOptions) {
    let (store, report) = import_with(path, options);
    let items = count(&store, "SELECT count(*) FROM items WHERE archived_at IS NULL");
    let archived = count(&store, "SELECT count(*) FROM items WHERE archived_at IS NOT NULL");
    assert_eq!(said(&report, "open cards → backlog items"), items, "{report}");
    assert_eq!(said(&report, "archived card"), archived, "{report}");
    assert_eq!(report.items, items + archived, "every item the report counts is in the file");
    assert_eq!(said(&report, "→ comments"), count(&store, "SELECT count(*) FROM comments"), "{report}");
    assert_eq!(said(&report, "→ acceptance criteria"), count(&store, "SELECT count(*) FROM acceptance_criteria"));
    assert_eq!(said(&report, "→ label colours"), count(&store, "SELECT count(*) FROM label_colours"), "{report}");
    assert_eq!(said(&report, "due date"), count(&store, "SELECT count(*) FROM items WHERE due_date IS NOT NULL"));
    assert_eq!(said(&report, "start date"), count(&store, "SELECT count(*) FROM items WHERE start_date IS NOT NULL"));
    let people = report.mapping.iter().find(|line| line.starts_with("card members → assignee")).unwrap();
    let assigned = count(&store, "SELECT count(*) FROM items WHERE assignee IS NOT NULL");
    let reported = count(&store, "SELECT count(*) FROM items WHERE reporter IS NOT NULL");
    assert!(people.contains(&format!("({assigned} cards)")), "{people} vs {assigned} assigned");
    assert!(people.contains(&format!("its reporter ({reported} cards)")), "{people} vs {reported} reporters");
}

fn jira_report_matches_what_was_written(path: &Path) {
    let (store, report) = import(path);
    let items = count(&store, "SELECT count(*) FROM items");
    assert_eq!(report.items, items);
    assert!(report.mapping[0].starts_with(&format!("{items} issues → backlog items")), "{report}");
    assert_eq!(said(&report, "→ comments"), count(&store, "SELECT count(*) FROM comments"), "{report}");
    assert_eq!(said(&report, "sub-task"), count(&store, "SELECT count(*) FROM items WHERE parent_id IS NOT NULL"));
    assert_eq!(
        said(&report, "'Acceptance Criteria' section"),
        count(&store, "SELECT count(DISTINCT item_id) FROM acceptance_criteria"),
        "{report}"
    );
    let dates = report.mapping.iter().find(|line| line.starts_with("Issue key → ")).unwrap();
    let due = count(&store, "SELECT count(*) FROM items WHERE due_date IS NOT NULL");
    let start = count(&store, "SELECT count(*) FROM items WHERE start_date IS NOT NULL");
    assert!(dates.contains(&format!("{} → due dates", plural(due, "due date"))), "{dates} vs {due}");
    assert!(dates.contains(&format!("{} → start dates", plural(start, "start date"))), "{dates} vs {start}");
    assert_eq!(said(&report, "epics"), count(&store, "SELECT count(*) FROM epics"), "{report}");
    assert_eq!(said(&report, "statuses → columns"), count(&store, "SELECT count(*) FROM board_columns"));
}

fn plural(count: usize, noun: &str) -> String {
    tandem::interchange::convert::plural(count, noun)
}

#[test]
fn a_trello_preview_says_exactly_what_its_import_writes() {
    for archived_lists in [false, true] {
        let options = interchange::ReadOptions { archived_lists };
        trello_report_matches_what_was_written(&fixture("trello-board.json"), options);
        if let Some(path) = shared_sample("trello-board-export.json") {
            trello_report_matches_what_was_written(&path, options);
        }
    }
}

#[test]
fn a_jira_preview_says_exactly_what_its_import_writes() {
    jira_report_matches_what_was_written(&fixture("jira-export.csv"));
    if let Some(path) = shared_sample("jira-cloud-export.csv") {
        jira_report_matches_what_was_written(&path);
    }
}

#[test]
fn a_trello_card_created_in_a_list_archived_since_starts_its_history_in_the_open_list_it_reached() {
    let mut board: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("trello-board.json")).unwrap()).unwrap();
    let (parked, backlog) = ("6650a0000000000000000102", "6650a0000000000000000101");
    board["cards"].as_array_mut().unwrap().push(serde_json::json!({
        "id": "6650b0000000000000000299", "name": "Rescued idea", "desc": "", "closed": false,
        "idList": backlog, "pos": 99999, "labels": [], "idMembers": []
    }));
    let actions = board["actions"].as_array_mut().unwrap();
    actions.push(serde_json::json!({
        "type": "createCard", "date": "2026-09-01T09:00:00.000Z",
        "data": {"card": {"id": "6650b0000000000000000299"}, "list": {"id": parked}}
    }));
    actions.push(serde_json::json!({
        "type": "updateCard", "date": "2026-09-20T09:00:00.000Z",
        "data": {"card": {"id": "6650b0000000000000000299"}, "listBefore": {"id": parked}, "listAfter": {"id": backlog}}
    }));
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("board.json");
    std::fs::write(&path, board.to_string()).unwrap();
    let (store, report) = import(&path);
    let history: Vec<(String, String)> = store
        .connection()
        .prepare(
            "SELECT s.changed_at, c.name FROM status_changes s JOIN items i USING (item_id) \
             JOIN board_columns c ON c.column_id = s.to_column_id WHERE i.title = 'Rescued idea' ORDER BY s.changed_at",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(history, vec![("2026-09-01T09:00:00Z".to_owned(), "Backlog".to_owned())]);
    assert!(report.losses.iter().any(|loss| loss.contains("cards created in a list that is archived now")), "{report}");
}

#[test]
fn jira_sprints_get_dates_that_never_overlap_and_the_preview_says_they_are_invented() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("jira.csv");
    std::fs::write(
        &path,
        "Summary,Issue key,Issue Type,Status,Created,Sprint\n\
         One,S-1,Story,To Do,02/Nov/26 9:00 AM,Sprint 8\n\
         Two,S-2,Story,To Do,03/Nov/26 9:00 AM,Sprint 9\n\
         Three,S-3,Story,To Do,04/Nov/26 9:00 AM,Sprint 10\n",
    )
    .unwrap();
    let (mut store, report) = import(&path);
    let sprints = store.load().unwrap().sprints;
    assert_eq!(sprints.len(), 3);
    for pair in sprints.windows(2) {
        assert!(pair[1].start_date > pair[0].end_date, "{} overlaps {}", pair[1].name, pair[0].name);
    }
    assert!(report.losses.iter().any(|loss| loss.starts_with("3 × sprint dates invented")), "{report}");
}

#[test]
fn the_cards_of_archived_trello_lists_come_only_when_asked_and_then_archived_where_they_last_were() {
    let path = fixture("trello-board.json");
    let (store, report) = import(&path);
    assert_eq!(count(&store, "SELECT count(*) FROM items WHERE title = 'Gift wrapping'"), 0);
    assert!(
        report
            .mapping
            .iter()
            .any(|line| line
                == "1 card of archived lists → not imported (to bring them in as archived items: the preview's option, or --archived-lists)"),
        "{report}"
    );
    assert!(report.losses.iter().any(|line| line.contains("archived list 'Parked ideas' skipped, with 1 card in it")));

    let (store, report) = import_with(&path, interchange::ReadOptions { archived_lists: true });
    let (column, archived): (String, Option<String>) = store
        .connection()
        .query_row(
            "SELECT c.name, i.archived_at FROM items i JOIN board_columns c USING (column_id) WHERE i.title = 'Gift wrapping'",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(archived.is_some(), "a card of an archived list arrives archived");
    assert_eq!(column, "Done", "no move puts it anywhere else, so it goes back to the done column when unarchived");
    assert!(
        report.mapping.iter().any(|line| line.starts_with("1 card of archived lists → archived items")),
        "{report}"
    );
    assert!(!report.losses.iter().any(|line| line.contains("Parked ideas")), "nothing of that list is lost now");
}
