//! Merging a partner's copy, as the PM and the PO would: copy the file, each edits their own, then
//! `tandem merge` (the real binary) and `App::merge_from`, checked in the files.

use std::path::{Path, PathBuf};

use tandem::app::{App, NewWorkspace};
use tandem::store::merge::{Choices, Side};

use crate::common::{column_order, dump, sample_workspace};

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

/// My workspace and a byte copy of it, the partner's.
fn two_copies(folder: &tempfile::TempDir) -> (PathBuf, PathBuf) {
    let mine = sample_workspace(folder, "mine.sqlite");
    let theirs = folder.path().join("theirs.sqlite");
    std::fs::copy(&mine, &theirs).unwrap();
    (mine, theirs)
}

fn id_of(path: &Path, title: &str) -> String {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row("SELECT item_id FROM items WHERE title = ?1", [title], |row| row.get::<_, i64>(0))
        .unwrap()
        .to_string()
}

fn points_of(path: &Path, title: &str) -> Option<f64> {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row("SELECT points FROM items WHERE title = ?1", [title], |row| row.get(0)).unwrap()
}

fn titles(path: &Path) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection.prepare("SELECT title FROM items ORDER BY title").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
}

fn snapshot(path: &Path) -> String {
    dump(&tandem::store::Store::open(path).unwrap().0)
}

#[test]
fn changes_to_different_fields_and_moves_merge_cleanly_and_both_copies_end_equal() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let backlog = column_order(&mine, "Backlog");
    let (first, second) = (backlog[0].clone(), backlog[1].clone());
    // I rename the first card; the partner re-estimates it and moves the second to Ready.
    assert_eq!(tandem(&mine, &["item", "edit", &id_of(&mine, &first), "--title", "Hold a slot"]).0, 0);
    assert_eq!(tandem(&theirs, &["item", "edit", &id_of(&theirs, &first), "--points", "13"]).0, 0);
    assert_eq!(tandem(&theirs, &["item", "move", &id_of(&theirs, &second), "--to", "Ready", "--top"]).0, 0);

    let before = snapshot(&mine);
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains("0 conflicts") && review.contains("Dry run: nothing was written."), "{review}");
    assert!(
        review.contains("Re-estimated 'Hold a slot'")
            && review.contains(&format!("Moved '{second}' from Backlog to Ready")),
        "{review}"
    );
    assert_eq!(snapshot(&mine), before, "a dry run writes nothing");

    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 0, "{review}");
    assert!(review.starts_with("Merged "), "{review}");
    assert_eq!(points_of(&mine, "Hold a slot"), Some(13.0), "their estimate and my title, on one item");
    assert_eq!(column_order(&mine, "Ready")[0], second);

    // The partner merges mine back: they get my title, and the two plans are the same.
    let (code, review, _) = tandem(&theirs, &["merge", mine.to_str().unwrap()]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains(&format!("Renamed '{first}' to 'Hold a slot'")), "{review}");
    let (_, compared, _) = tandem(&theirs, &["compare", mine.to_str().unwrap()]);
    assert!(compared.contains("no differences"), "{compared}");
    let (code, again, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(again.contains("Nothing to merge") || again.contains("0 conflicts"), "{again}");
}

#[test]
fn a_conflict_stops_the_merge_with_exit_code_3_until_a_side_is_chosen() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let card = column_order(&mine, "Backlog")[2].clone();
    let id = id_of(&mine, &card);
    assert_eq!(tandem(&mine, &["item", "edit", &id, "--points", "5", "--title", "Mine now"]).0, 0);
    assert_eq!(tandem(&theirs, &["item", "edit", &id, "--points", "8", "--description", "Theirs: why"]).0, 0);

    let before = snapshot(&mine);
    let (code, review, error) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 3, "{review}{error}");
    assert!(
        review.contains("[undecided] 'Mine now' (item), changed on both sides: estimate here 5, in the copy 8."),
        "{review}"
    );
    assert!(error.contains("1 conflict need") || error.contains("1 conflict"), "{error}");
    assert_eq!(snapshot(&mine), before, "nothing written while a conflict is undecided");

    // Mine wins the estimate, and their description still comes over.
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--prefer", "mine"]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains("[kept mine]"), "{review}");
    assert_eq!(points_of(&mine, "Mine now"), Some(5.0));
    let connection = rusqlite::Connection::open(&mine).unwrap();
    let description: String =
        connection.query_row("SELECT description FROM items WHERE title = 'Mine now'", [], |row| row.get(0)).unwrap();
    assert_eq!(description, "Theirs: why");
}

#[test]
fn items_created_on_both_sides_never_share_an_id_and_both_arrive() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    // Each opens their copy and creates an item (a new session: new ids start elsewhere).
    for (path, title) in [(&mine, "Mine: gift cards"), (&theirs, "Theirs: click and collect")] {
        let mut app = App::open(path, NewWorkspace::Blank).unwrap();
        let column = app.workspace().columns[0].column_id;
        let item = tandem::model::BacklogItem::new(
            tandem::model::ItemKind::Story,
            title.to_owned(),
            column,
            jiff::Timestamp::now(),
        );
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Create(item))).unwrap();
    }
    assert_ne!(id_of(&mine, "Mine: gift cards"), id_of(&theirs, "Theirs: click and collect"));
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains("Added 'Theirs: click and collect' in Backlog."), "{review}");
    let all = titles(&mine);
    assert!(all.contains(&"Mine: gift cards".to_owned()) && all.contains(&"Theirs: click and collect".to_owned()));
    assert_eq!(all.len(), 51);
}

#[test]
fn deleted_on_one_side_and_changed_on_the_other_is_a_conflict_either_way() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let backlog = column_order(&mine, "Backlog");
    let (removed_locally, removed_in_copy) = (backlog[0].clone(), backlog[1].clone());
    let criteria = |path: &Path, title: &str| -> i64 {
        let connection = rusqlite::Connection::open(path).unwrap();
        connection
            .query_row(
                "SELECT count(*) FROM acceptance_criteria c JOIN items i USING (item_id) WHERE i.title = ?1",
                [title],
                |row| row.get(0),
            )
            .unwrap()
    };
    assert!(
        criteria(&mine, &removed_in_copy) > 0 || criteria(&mine, &removed_locally) > 0,
        "the sample's cards have criteria"
    );
    {
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        let id = tandem::model::ItemId(id_of(&mine, &removed_locally).parse().unwrap());
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Delete(id))).unwrap();
        let mut theirs_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let id = tandem::model::ItemId(id_of(&theirs, &removed_in_copy).parse().unwrap());
        theirs_app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Delete(id))).unwrap();
    }
    assert_eq!(tandem(&theirs, &["item", "edit", &id_of(&theirs, &removed_locally), "--points", "21"]).0, 0);
    let kept_criteria = criteria(&mine, &removed_in_copy);
    assert_eq!(tandem(&mine, &["item", "edit", &id_of(&mine, &removed_in_copy), "--points", "1"]).0, 0);

    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 3, "{review}");
    assert!(review.contains(&format!("'{removed_locally}' (item), deleted here and changed in the copy.")), "{review}");
    assert!(review.contains(&format!("'{removed_in_copy}' (item), deleted in the copy and changed here.")), "{review}");

    // Theirs wins both: the card deleted here comes back as they have it, the other one goes.
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert_eq!(review.undecided(), 0);
    assert_eq!(points_of(&mine, &removed_locally), Some(21.0), "restored from the copy");
    assert_eq!(criteria(&mine, &removed_locally), criteria(&theirs, &removed_locally), "with its criteria");
    assert!(!titles(&mine).contains(&removed_in_copy));

    // Undo puts the plan back as it was before the merge, and the copy can be merged again.
    let said = app.undo().unwrap().unwrap_or_default();
    assert!(said.starts_with("Undid: merge from the copy 'theirs.sqlite'"), "{said}");
    assert!(!titles(&mine).contains(&removed_locally));
    assert!(titles(&mine).contains(&removed_in_copy));
    assert_eq!(criteria(&mine, &removed_in_copy), kept_criteria);
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    assert!(titles(&mine).contains(&removed_in_copy), "mine wins: the card changed here stays");
    assert_eq!(criteria(&mine, &removed_in_copy), kept_criteria, "with all its criteria");
    assert!(!titles(&mine).contains(&removed_locally), "and the card deleted here stays deleted");
}

/// `tandem merge --dry-run` with no side chosen: exit code 3, and each conflict in the review, undecided.
fn undecided_review_says(mine: &Path, theirs: &Path, conflicts: &[String]) {
    let (code, review, _) = tandem(mine, &["merge", theirs.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 3, "{review}");
    for conflict in conflicts {
        assert!(review.contains(&format!("[undecided] {conflict}")), "{conflict} in {review}");
    }
}

#[test]
fn a_card_and_a_kpi_the_copy_deleted_and_given_a_comment_and_a_sample_here_are_conflicts_mine_keeps_whole() {
    // The partner deleted a card and a KPI; I wrote a comment on the card and recorded the KPI's next
    // sample. Taking the deletions would delete my comment and my sample with them: the merge asks
    // first, and keeping mine keeps both as they are here.
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let title = column_order(&mine, "Backlog")[0].clone();
    let id = id_of(&mine, &title);
    let details = |path: &Path| -> (i64, i64, i64, String) {
        let connection = rusqlite::Connection::open(path).unwrap();
        let count = |table: &str| -> i64 {
            connection
                .query_row(&format!("SELECT count(*) FROM {table} WHERE item_id = ?1"), [&id], |row| row.get(0))
                .unwrap()
        };
        let updated: String =
            connection.query_row("SELECT updated_at FROM items WHERE item_id = ?1", [&id], |row| row.get(0)).unwrap();
        (count("acceptance_criteria"), count("item_labels"), count("comments"), updated)
    };
    {
        let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let item_id = tandem::model::ItemId(id.parse().unwrap());
        their_app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Delete(item_id))).unwrap();
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        let comment =
            tandem::model::Comment::new(item_id, "Dana (PO)", "Still needed", tandem::model::Timestamp::now());
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::AddComment(comment))).unwrap();
        let mut kpi = app.workspace().metrics[0].clone();
        their_app
            .apply(tandem::app::Command::Planning(tandem::app::PlanningCommand::DeleteMetric(kpi.metric_id)))
            .unwrap();
        let last = kpi.samples.iter().map(|sample| sample.date).max().unwrap();
        kpi.samples.push(tandem::model::MetricSample { date: tandem::model::add_days(last, 7), value: 1.0 });
        app.apply(tandem::app::Command::Planning(tandem::app::PlanningCommand::UpdateMetric(kpi))).unwrap();
    }
    let kpi_name = {
        let connection = rusqlite::Connection::open(&mine).unwrap();
        connection
            .query_row("SELECT name FROM metrics ORDER BY metric_id LIMIT 1", [], |row| row.get::<_, String>(0))
            .unwrap()
    };
    let kpi_details = details_of(&mine);
    let before = details(&mine);
    assert!(before.0 > 0 && before.1 > 0, "the card has criteria and labels: {before:?}");
    let file_before = snapshot(&mine);

    // Not decided: nothing is written, and the conflict says why.
    undecided_review_says(
        &mine,
        &theirs,
        &[
            format!("'{title}' (item), deleted in the copy, and given 1 comment here since."),
            format!("'{kpi_name}' (KPI), deleted in the copy, and given 1 KPI sample here since."),
        ],
    );
    let (code, said, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 3, "{said}");
    assert_eq!(snapshot(&mine), file_before, "an undecided merge writes nothing");

    // Theirs, in a dry run: the review says the comment goes with the card.
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--dry-run", "--prefer", "theirs"]);
    assert_eq!(code, 0, "{review}");
    let gone = format!("The comment Dana (PO) wrote here on '{title}' goes with it: the copy deleted '{title}'.");
    assert!(review.contains(&gone), "{review}");
    // The sample's own comments on it, which the copy deleted with the card, are not mine to mention.
    assert_eq!(review.matches("wrote here on").count(), 1, "{review}");
    assert_eq!(snapshot(&mine), file_before, "a dry run writes nothing");

    // Mine: the card stays as it is here, with its criteria, labels, comments and time of change.
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert!(review.written);
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    assert!(titles(&mine).contains(&title));
    assert_eq!(details(&mine), before);
    assert_eq!(details_of(&mine), kpi_details, "the KPI keeps every sample");

    // Theirs, once the merge is undone: the card goes, and my comment with it, as the review said.
    app.undo().unwrap();
    assert_eq!(details(&mine), before);
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert!(review.also.contains(&gone), "{review:?}");
    assert!(!titles(&mine).contains(&title));
    assert_eq!(details_of(&mine), details_of(&theirs));
}

/// What the merge must keep of records the copy deleted: per item, its criteria, labels, history and
/// comments; per epic, its items and dependencies; per KPI, its samples.
fn details_of(path: &Path) -> String {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT item_id, position, text, done FROM acceptance_criteria ORDER BY 1, 2",
        "SELECT item_id, label FROM item_labels ORDER BY 1, 2",
        // A history row brought back from the copy may get a new number here: its number is only a number.
        "SELECT item_id, changed_at, from_column_id, to_column_id FROM status_changes ORDER BY 1, 2, 3, 4",
        "SELECT comment_id, item_id, author, text FROM comments ORDER BY 1",
        "SELECT item_id, epic_id, sprint_id, parent_id FROM items ORDER BY 1",
        "SELECT epic_id, after_epic_id FROM epic_dependencies ORDER BY 1, 2",
        "SELECT * FROM metric_samples ORDER BY 1, 2",
    ] {
        let mut statement = connection.prepare(sql).unwrap();
        let count = statement.column_count();
        let rows = statement
            .query_map([], |row| {
                Ok((0..count)
                    .map(|at| format!("{:?}", row.get::<_, rusqlite::types::Value>(at).unwrap()))
                    .collect::<Vec<_>>())
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap().join("|"));
            out.push('\n');
        }
    }
    out
}

/// Here: the card `card` estimated at 21 points, the epic `epic` renamed.
fn reestimate_and_rename(app: &mut App, card: i64, epic: i64) {
    use tandem::app::{Command, ItemCommand, RoadmapCommand};
    let mut item = app.workspace().item(tandem::model::ItemId(card)).unwrap().clone();
    item.points = Some(21.0);
    app.apply(Command::Item(ItemCommand::Update(item))).unwrap();
    let mut changed = app.workspace().epics.iter().find(|one| one.epic_id.0 == epic).unwrap().clone();
    changed.title.push_str(" (renamed here)");
    app.apply(Command::Roadmap(RoadmapCommand::UpdateEpic(changed))).unwrap();
}

#[test]
fn an_item_an_epic_and_a_kpi_the_copy_deleted_and_changed_here_are_kept_whole_when_mine_wins() {
    use tandem::app::{Command, ItemCommand, PlanningCommand, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    // The card with the most criteria (it has labels and history too), the epic with the most items,
    // and the KPI with the most samples.
    let connection = rusqlite::Connection::open(&mine).unwrap();
    let most = |sql: &str| -> i64 { connection.query_row(sql, [], |row| row.get(0)).unwrap() };
    let card = most("SELECT item_id FROM acceptance_criteria GROUP BY item_id ORDER BY count(*) DESC LIMIT 1");
    let epic =
        most("SELECT epic_id FROM items WHERE epic_id IS NOT NULL GROUP BY epic_id ORDER BY count(*) DESC LIMIT 1");
    let metric = most("SELECT metric_id FROM metric_samples GROUP BY metric_id ORDER BY count(*) DESC LIMIT 1");
    drop(connection);
    {
        let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        their_app.apply(Command::Item(ItemCommand::Delete(tandem::model::ItemId(card)))).unwrap();
        their_app.apply(Command::Roadmap(RoadmapCommand::DeleteEpic(tandem::model::EpicId(epic)))).unwrap();
        their_app.apply(Command::Planning(PlanningCommand::DeleteMetric(tandem::model::MetricId(metric)))).unwrap();
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        reestimate_and_rename(&mut app, card, epic);
        let mut kpi = app.workspace().metrics.iter().find(|one| one.metric_id.0 == metric).unwrap().clone();
        kpi.target = Some(kpi.target.unwrap_or(1.0) + 1.0);
        app.apply(Command::Planning(PlanningCommand::UpdateMetric(kpi))).unwrap();
    }
    let before = details_of(&mine);
    let file_before = snapshot(&mine);

    // The review, with no side yet, takes nothing from the three.
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--dry-run"]);
    assert_eq!(code, 3, "{review}");
    assert_eq!(review.matches("deleted in the copy and changed here").count(), 3, "{review}");
    // Before, it said it would take the epic's 18 items out of it and the KPI's samples away.
    assert!(!review.contains("→ no epic") && !review.contains("no samples"), "nothing is taken off them: {review}");
    assert_eq!(snapshot(&mine), file_before);

    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 3, "{review:?}");
    assert_eq!(details_of(&mine), before, "kept whole: {review:?}");

    // Theirs, once undone: all three go, with what belonged to them.
    app.undo().unwrap();
    assert_eq!(details_of(&mine), before);
    app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert_eq!(details_of(&mine), details_of(&theirs));
}

#[test]
fn what_the_copy_took_off_a_record_before_deleting_it_stays_off_when_mine_keeps_the_record() {
    // The partner took a card out of an epic and put another in, and removed a criterion of a card,
    // then deleted the epic and the card; I renamed the epic and re-estimated the card. Keeping mine
    // keeps the epic and the card with what they had in her copy when she deleted them: not the card
    // she had taken out, but the one she put in; not the criterion she had removed.
    use tandem::app::{Command, ItemCommand, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let connection = rusqlite::Connection::open(&mine).unwrap();
    let most = |sql: &str| -> i64 { connection.query_row(sql, [], |row| row.get(0)).unwrap() };
    let card = most("SELECT item_id FROM acceptance_criteria GROUP BY item_id ORDER BY count(*) DESC LIMIT 1");
    let epic = most(
        "SELECT epic_id FROM items WHERE epic_id IS NOT NULL AND item_id <> (SELECT item_id FROM acceptance_criteria \
         GROUP BY item_id ORDER BY count(*) DESC LIMIT 1) GROUP BY epic_id ORDER BY count(*) DESC LIMIT 1",
    );
    drop(connection);
    let (taken_out, put_in, removed) = {
        let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let workspace = their_app.workspace();
        let mut out = workspace
            .items()
            .find(|item| item.epic_id == Some(tandem::model::EpicId(epic)) && item.item_id.0 != card)
            .unwrap()
            .clone();
        out.epic_id = None;
        let taken_out = out.title.clone();
        their_app.apply(Command::Item(ItemCommand::Update(out))).unwrap();
        // And put another card into the epic.
        let workspace = their_app.workspace();
        let mut into = workspace
            .items()
            .find(|item| item.epic_id.is_none() && item.title != taken_out && item.item_id.0 != card)
            .unwrap()
            .clone();
        into.epic_id = Some(tandem::model::EpicId(epic));
        let put_in = into.title.clone();
        their_app.apply(Command::Item(ItemCommand::Update(into))).unwrap();
        let mut ticked = their_app.workspace().item(tandem::model::ItemId(card)).unwrap().clone();
        let removed = ticked.details.acceptance_criteria.remove(0).text;
        their_app.apply(Command::Item(ItemCommand::Update(ticked))).unwrap();
        their_app.apply(Command::Roadmap(RoadmapCommand::DeleteEpic(tandem::model::EpicId(epic)))).unwrap();
        their_app.apply(Command::Item(ItemCommand::Delete(tandem::model::ItemId(card)))).unwrap();

        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        reestimate_and_rename(&mut app, card, epic);
        (taken_out, put_in, removed)
    };
    let in_epic = |path: &Path| -> Vec<String> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement = connection.prepare("SELECT title FROM items WHERE epic_id = ?1 ORDER BY item_id").unwrap();
        statement.query_map([epic], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let criteria = |path: &Path| -> Vec<String> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement =
            connection.prepare("SELECT text FROM acceptance_criteria WHERE item_id = ?1 ORDER BY position").unwrap();
        statement.query_map([card], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let epic_here = in_epic(&mine);
    let criteria_here = criteria(&mine);
    assert!(epic_here.contains(&taken_out) && criteria_here.contains(&removed));

    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    let mut expected: Vec<String> = epic_here.iter().filter(|title| **title != taken_out).cloned().collect();
    expected.push(put_in);
    let mut after = in_epic(&mine);
    expected.sort();
    after.sort();
    assert_eq!(after, expected, "the card she took out stays out, the one she put in is in, the others stay");
    let expected: Vec<String> = criteria_here.iter().filter(|text| **text != removed).cloned().collect();
    assert_eq!(criteria(&mine), expected, "the criterion she removed stays removed; the others stay");
    assert_eq!(points_of(&mine, &titles_of_card(&mine, card)), Some(21.0));
}

fn titles_of_card(path: &Path, card: i64) -> String {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row("SELECT title FROM items WHERE item_id = ?1", [card], |row| row.get(0)).unwrap()
}

#[test]
fn an_epic_and_a_sprint_deleted_here_and_changed_in_the_copy_come_back_with_their_items_when_theirs_wins() {
    use tandem::app::{Command, PlanningCommand, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let links = |path: &Path| -> Vec<(i64, Option<i64>, Option<i64>)> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement = connection.prepare("SELECT item_id, epic_id, sprint_id FROM items ORDER BY 1").unwrap();
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let dependencies = |path: &Path| -> Vec<(i64, i64)> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement =
            connection.prepare("SELECT epic_id, after_epic_id FROM epic_dependencies ORDER BY 1, 2").unwrap();
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let before = (links(&mine), dependencies(&mine));
    {
        // The epic others follow (so that a dependency names it second), and the sprint with the most items.
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        let (epic_id, sprint_id) = {
            let connection = rusqlite::Connection::open(&mine).unwrap();
            let epic: i64 = connection
                .query_row("SELECT after_epic_id FROM epic_dependencies LIMIT 1", [], |row| row.get(0))
                .unwrap();
            let sprint: i64 = connection
                .query_row(
                    "SELECT sprint_id FROM items WHERE sprint_id IS NOT NULL GROUP BY sprint_id ORDER BY count(*) DESC LIMIT 1",
                    [],
                    |row| row.get(0),
                )
                .unwrap();
            (tandem::model::EpicId(epic), tandem::model::SprintId(sprint))
        };
        let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let mut epic = their_app.workspace().epics.iter().find(|epic| epic.epic_id == epic_id).unwrap().clone();
        epic.title.push_str(" (renamed there)");
        their_app.apply(Command::Roadmap(RoadmapCommand::UpdateEpic(epic))).unwrap();
        let mut sprint =
            their_app.workspace().sprints.iter().find(|sprint| sprint.sprint_id == sprint_id).unwrap().clone();
        sprint.goal.push_str(" (and more)");
        their_app.apply(Command::Planning(PlanningCommand::UpdateSprint(sprint))).unwrap();
        app.apply(Command::Roadmap(RoadmapCommand::DeleteEpic(epic_id))).unwrap();
        app.apply(Command::Planning(PlanningCommand::DeleteSprint(sprint_id))).unwrap();
    }
    assert_ne!(links(&mine), before.0);
    let deleted = (links(&mine), dependencies(&mine));

    // Theirs: the epic and the sprint come back as the copy has them, with their items and dependencies.
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    assert_eq!((links(&mine), dependencies(&mine)), before);

    // Undone, then mine: they stay deleted here, their items in none.
    app.undo().unwrap();
    assert_eq!((links(&mine), dependencies(&mine)), deleted);
    app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!((links(&mine), dependencies(&mine)), deleted);
}

/// In `app`: puts a card into the first epic and plans a new card, titled `planned`, in a sprint that
/// has items. Gives the epic, the sprint and the moved card's title.
fn give_the_first_epic_and_a_sprint_a_card(
    app: &mut App,
    planned: &str,
) -> (tandem::model::Epic, tandem::model::Sprint, String) {
    use tandem::app::{Command, ItemCommand};
    let workspace = app.workspace();
    let epic = workspace.epics[0].clone();
    let sprint = workspace
        .sprints
        .iter()
        .find(|sprint| workspace.items().any(|item| item.sprint_id == Some(sprint.sprint_id)))
        .unwrap()
        .clone();
    let mut moved = workspace.items().find(|item| item.epic_id != Some(epic.epic_id)).unwrap().clone();
    let column_id = moved.column_id;
    moved.epic_id = Some(epic.epic_id);
    let moved_title = moved.title.clone();
    app.apply(Command::Item(ItemCommand::Update(moved))).unwrap();
    let mut planned = tandem::model::BacklogItem::new(
        tandem::model::ItemKind::Story,
        planned.to_owned(),
        column_id,
        tandem::model::Timestamp::now(),
    );
    planned.sprint_id = Some(sprint.sprint_id);
    app.apply(Command::Item(ItemCommand::Create(planned))).unwrap();
    (epic, sprint, moved_title)
}

/// The copy of `theirs` deletes the first epic and a sprint with items (and changes another field of a
/// card); `mine` puts that card into the epic and plans a new card in the sprint. Gives the epic's title, the sprint's name and the card's title.
fn epic_and_sprint_deleted_there_given_cards_here(mine: &Path, theirs: &Path) -> (String, String, String) {
    use tandem::app::{Command, ItemCommand, PlanningCommand, RoadmapCommand};
    let mut app = App::open(mine, NewWorkspace::Blank).unwrap();
    let (epic, sprint, moved_title) = give_the_first_epic_and_a_sprint_a_card(&mut app, "Planned in the sprint");
    let mut their_app = App::open(theirs, NewWorkspace::Blank).unwrap();
    // The partner changed the card too, another field of it: that does not take it out of the epic.
    let mut described = their_app.workspace().items().find(|item| item.title == moved_title).unwrap().clone();
    described.details.description.push_str(" Agreed with support.");
    their_app.apply(Command::Item(ItemCommand::Update(described))).unwrap();
    their_app.apply(Command::Roadmap(RoadmapCommand::DeleteEpic(epic.epic_id))).unwrap();
    their_app.apply(Command::Planning(PlanningCommand::DeleteSprint(sprint.sprint_id))).unwrap();
    (epic.title, sprint.name, moved_title)
}

fn epic_and_sprint_links(path: &Path) -> Vec<(String, Option<String>, Option<String>)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT i.title, e.title, s.name FROM items AS i LEFT JOIN epics AS e ON e.epic_id = i.epic_id \
             LEFT JOIN sprints AS s ON s.sprint_id = i.sprint_id ORDER BY i.item_id",
        )
        .unwrap();
    statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn an_epic_and_a_sprint_the_copy_deleted_and_i_gave_cards_since_are_conflicts_mine_keeps_them_whole() {
    // The partner deleted an epic and a sprint; meanwhile I put a card into the epic and planned a new
    // card in the sprint. Taking the deletions would clear both without a word: the merge asks first.
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let (epic_title, sprint_name, moved_title) = epic_and_sprint_deleted_there_given_cards_here(&mine, &theirs);
    let here = epic_and_sprint_links(&mine);

    undecided_review_says(
        &mine,
        &theirs,
        &[
            format!("'{epic_title}' (epic), deleted in the copy, and given 1 item here since."),
            format!("'{sprint_name}' (sprint), deleted in the copy, and given 1 item here since."),
        ],
    );

    // Mine: the epic and the sprint stay, with every card that was in them here.
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    assert_eq!(epic_and_sprint_links(&mine), here);

    // Theirs, once undone: both go, and the cards are in none.
    app.undo().unwrap();
    assert_eq!(epic_and_sprint_links(&mine), here);
    app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    let after = epic_and_sprint_links(&mine);
    assert!(
        after
            .iter()
            .all(|(_, epic, sprint)| epic.as_ref() != Some(&epic_title) && sprint.as_ref() != Some(&sprint_name))
    );
    assert!(after.iter().any(|(title, epic, _)| *title == moved_title && epic.is_none()), "{after:?}");
}

#[test]
fn an_epic_and_a_sprint_deleted_here_that_the_copy_gave_cards_since_are_conflicts() {
    use tandem::app::{Command, PlanningCommand, RoadmapCommand};
    // I deleted an epic and a sprint; meanwhile the partner put a card into the epic and planned a new
    // card in the sprint. Taking those alone would leave the card in no epic and the new one in no sprint:
    // the merge asks whether to keep my deletions or bring both back from the copy.
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let (epic_name, sprint_name, moved_title) = {
        let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let (epic, sprint, moved_title) =
            give_the_first_epic_and_a_sprint_a_card(&mut their_app, "Planned in the copy");
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        app.apply(Command::Roadmap(RoadmapCommand::DeleteEpic(epic.epic_id))).unwrap();
        app.apply(Command::Planning(PlanningCommand::DeleteSprint(sprint.sprint_id))).unwrap();
        (epic.title, sprint.name, moved_title)
    };
    let deleted = details_of(&mine);

    undecided_review_says(
        &mine,
        &theirs,
        &[
            format!("'{epic_name}' (epic), deleted here, and given 1 item in the copy since."),
            format!("'{sprint_name}' (sprint), deleted here, and given 1 item in the copy since."),
        ],
    );

    // Mine: both stay deleted; the cards come in without them, and the review says so.
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    assert!(app.workspace().epics.iter().all(|epic| epic.title != epic_name));
    assert!(app.workspace().sprints.iter().all(|sprint| sprint.name != sprint_name));
    assert!(titles(&mine).contains(&"Planned in the copy".to_owned()));
    assert!(
        review.repairs.iter().any(|repair| repair.contains("1 item was in an epic deleted here and now has none")),
        "{review:?}"
    );

    // Theirs, once undone: both come back as the copy has them, with all their items.
    app.undo().unwrap();
    assert_eq!(details_of(&mine), deleted);
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert!(review.repairs.is_empty(), "{review:?}");
    assert_eq!(details_of(&mine), details_of(&theirs));
    let connection = rusqlite::Connection::open(&mine).unwrap();
    let moved_epic: String = connection
        .query_row(
            "SELECT e.title FROM items AS i JOIN epics AS e ON e.epic_id = i.epic_id WHERE i.title = ?1",
            [&moved_title],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(moved_epic, epic_name);
}

/// Each card's title and the name of its column, in id order ("?" for a column that is not there).
fn card_columns(path: &Path) -> Vec<(String, String)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT i.title, coalesce(b.name, '?') FROM items AS i \
             LEFT JOIN board_columns AS b ON b.column_id = i.column_id ORDER BY i.item_id",
        )
        .unwrap();
    statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
}

/// `deleter` empties the Review column into Done and deletes it; `mover` moves the first Ready card into
/// Review. Gives that card's title.
fn review_deleted_on_one_side_given_a_card_on_the_other(deleter: &Path, mover: &Path) -> String {
    use tandem::app::{ColumnCommand, Command, ItemCommand};
    use tandem::model::MoveTarget;
    let column = |app: &App, name: &str| app.workspace().columns.iter().find(|c| c.name == name).unwrap().column_id;
    let mut app = App::open(deleter, NewWorkspace::Blank).unwrap();
    let (review, done) = (column(&app, "Review"), column(&app, "Done"));
    let cards: Vec<_> =
        app.workspace().items().filter(|item| item.column_id == review).map(|item| item.item_id).collect();
    for item_id in cards {
        let target = MoveTarget { column_id: done, after_item: None };
        app.apply(Command::Item(ItemCommand::Move { item_id, target })).unwrap();
    }
    app.apply(Command::Column(ColumnCommand::Delete(review))).unwrap();
    let mut app = App::open(mover, NewWorkspace::Blank).unwrap();
    let (ready, review) = (column(&app, "Ready"), column(&app, "Review"));
    let card = app.workspace().items().find(|item| item.column_id == ready).unwrap().clone();
    let target = MoveTarget { column_id: review, after_item: None };
    app.apply(Command::Item(ItemCommand::Move { item_id: card.item_id, target })).unwrap();
    card.title
}

#[test]
fn a_column_deleted_on_one_side_and_given_a_card_on_the_other_is_a_conflict_and_no_card_lands_in_backlog() {
    // Deleted here, and the partner moved a card into it: mine keeps the card where it was here, theirs
    // brings the column back with the card in it.
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let title = review_deleted_on_one_side_given_a_card_on_the_other(&mine, &theirs);
    let here = card_columns(&mine);
    undecided_review_says(
        &mine,
        &theirs,
        &["'Review' (column), deleted here, and given 1 item in the copy since.".to_owned()],
    );
    // Until a side is chosen, the note says what keeping mine would do, and the review says so.
    let (_, out, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--dry-run"]);
    let qualified = format!(
        "{}\nNote: 1 item the copy moved into a column deleted here stays where it was here.",
        tandem::app::merge::UNDECIDED_NOTES
    );
    assert!(out.contains(&qualified), "{out}");
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(card_columns(&mine), here, "the card stays in Ready: {review:?}");
    assert_eq!(
        review.repairs,
        vec!["1 item the copy moved into a column deleted here stays where it was here.".to_owned()]
    );
    app.undo().unwrap();
    app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    // The copy's card is in Review again; the cards I moved out of it before deleting it stay where I put them.
    let expected: Vec<(String, String)> = here
        .into_iter()
        .map(|(card, column)| if card == title { (card, "Review".to_owned()) } else { (card, column) })
        .collect();
    assert_eq!(card_columns(&mine), expected);
    let names: Vec<String> = app.workspace().columns.iter().map(|column| column.name.clone()).collect();
    assert_eq!(names, ["Backlog", "Ready", "In progress", "Review", "Done"]);

    // Deleted in the copy, and I moved a card into it: mine keeps the column with my card, theirs
    // deletes it and says where my card went.
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let title = review_deleted_on_one_side_given_a_card_on_the_other(&theirs, &mine);
    undecided_review_says(
        &mine,
        &theirs,
        &["'Review' (column), deleted in the copy, and given 1 item here since.".to_owned()],
    );
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert!(card_columns(&mine).contains(&(title.clone(), "Review".to_owned())));
    app.undo().unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert!(card_columns(&mine).contains(&(title, "Backlog".to_owned())));
    assert_eq!(
        review.repairs,
        vec!["1 item was in a column deleted in the copy and went to the first column.".to_owned()]
    );
}

#[test]
fn a_card_and_a_kpi_deleted_here_and_given_a_comment_and_a_sample_in_the_copy_are_conflicts() {
    use tandem::app::{Command, ItemCommand, PlanningCommand};
    // I deleted a card and a KPI; the partner wrote a comment on the card and recorded the KPI's next
    // sample. Taking the comment and the sample alone would leave them nowhere: the merge asks whether
    // to keep my deletions or bring both back from the copy with them.
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let title = column_order(&mine, "Backlog")[0].clone();
    let item_id = tandem::model::ItemId(id_of(&mine, &title).parse().unwrap());
    let kpi_name = {
        let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let comment =
            tandem::model::Comment::new(item_id, "Jonas (PO)", "Keep this one", tandem::model::Timestamp::now());
        their_app.apply(Command::Item(ItemCommand::AddComment(comment))).unwrap();
        let mut kpi = their_app.workspace().metrics[0].clone();
        let last = kpi.samples.iter().map(|sample| sample.date).max().unwrap();
        kpi.samples.push(tandem::model::MetricSample { date: tandem::model::add_days(last, 7), value: 1.0 });
        let (metric_id, name) = (kpi.metric_id, kpi.name.clone());
        their_app.apply(Command::Planning(PlanningCommand::UpdateMetric(kpi))).unwrap();
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        app.apply(Command::Item(ItemCommand::Delete(item_id))).unwrap();
        app.apply(Command::Planning(PlanningCommand::DeleteMetric(metric_id))).unwrap();
        name
    };
    let deleted = details_of(&mine);

    undecided_review_says(
        &mine,
        &theirs,
        &[
            format!("'{title}' (item), deleted here, and given 1 comment in the copy since."),
            format!("'{kpi_name}' (KPI), deleted here, and given 1 KPI sample in the copy since."),
        ],
    );

    // Mine: both stay deleted; the comment and the sample are let go, and the review says so.
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices { all: Some(Side::Mine), ..Choices::default() }, false).unwrap();
    assert_eq!(review.conflicts.len(), 2, "{review:?}");
    assert_eq!(details_of(&mine), deleted);
    assert!(!titles(&mine).contains(&title));
    assert!(
        review.repairs.iter().any(|repair| repair
            == "1 comment was written in the copy on an item deleted here and was left out (it is still in the copy)."),
        "{review:?}"
    );
    assert!(
        review.repairs.contains(&"1 KPI sample belonged to a KPI deleted here and was left out.".to_owned()),
        "{review:?}"
    );

    // Theirs, once undone: both come back as the copy has them, with everything that belongs to them.
    app.undo().unwrap();
    assert_eq!(details_of(&mine), deleted);
    app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert!(titles(&mine).contains(&title));
    assert_eq!(details_of(&mine), details_of(&theirs));
}

#[test]
fn a_card_moved_in_the_copy_lands_below_the_same_neighbour() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let backlog = column_order(&mine, "Backlog");
    // The partner puts the last backlog card right below the third; I move the first card to Ready.
    let moved = backlog.last().unwrap().clone();
    let (code, _, _) = tandem(
        &theirs,
        &["item", "move", &id_of(&theirs, &moved), "--to", "Backlog", "--after", &id_of(&theirs, &backlog[2])],
    );
    assert_eq!(code, 0);
    assert_eq!(tandem(&mine, &["item", "move", &id_of(&mine, &backlog[0]), "--to", "Ready"]).0, 0);
    assert_eq!(tandem(&mine, &["merge", theirs.to_str().unwrap()]).0, 0);
    let after = column_order(&mine, "Backlog");
    let at = after.iter().position(|title| *title == backlog[2]).unwrap();
    assert_eq!(after[at + 1], moved, "{after:?}");
    assert!(!after.contains(&backlog[0]), "my move stays");
}

#[test]
fn unrelated_plans_and_copies_without_a_journal_are_refused_in_a_sentence() {
    let folder = tempfile::tempdir().unwrap();
    let mine = sample_workspace(&folder, "mine.sqlite");
    let stranger = folder.path().join("stranger.sqlite");
    tandem::demo::generate(&stranger, 30).unwrap();
    let before = snapshot(&mine);
    let (code, _, error) = tandem(&mine, &["merge", stranger.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(error.contains("These are two different plans") && error.contains("use File ▸ Import instead"), "{error}");
    assert_eq!(snapshot(&mine), before);

    // A copy whose changes were made without the journal (by an older Tandem): said, not guessed.
    let old = folder.path().join("old.sqlite");
    std::fs::copy(&mine, &old).unwrap();
    {
        let connection = rusqlite::Connection::open(&old).unwrap();
        connection.execute_batch("DELETE FROM journal; UPDATE items SET points = 40 WHERE item_id = 1;").unwrap();
    }
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let error = app.merge_from(&old, &Choices::default(), false).unwrap_err().to_string();
    assert!(error.contains("keeps no record of its own changes"), "{error}");

    // The workspace itself, a file that is not there, a folder and a JSON document: each said as what
    // it is, and the workspace untouched.
    let document = folder.path().join("plan.json");
    assert_eq!(tandem(&mine, &["export", "--format", "json", "--out", document.to_str().unwrap()]).0, 0);
    let before = snapshot(&mine);
    for (file, said) in [
        (mine.clone(), "That is this workspace itself, not a copy of it: there is nothing to merge"),
        (folder.path().join("missing.sqlite"), "the file or its folder does not exist"),
        (folder.path().to_owned(), "that is a folder; give a file name"),
        (document, "it is not a SQLite database at all"),
    ] {
        let (code, _, error) = tandem(&mine, &["merge", file.to_str().unwrap()]);
        assert_eq!(code, 1, "{}", file.display());
        assert!(error.contains(said), "{}: {error}", file.display());
        let error = app.merge_from(&file, &Choices::default(), true).unwrap_err().to_string();
        assert!(error.contains(said), "{}: {error}", file.display());
    }
    assert_eq!(snapshot(&mine), before);
}

#[test]
fn merging_from_the_menu_reviews_first_asks_per_conflict_and_undoes_in_one_step() {
    use egui::{Key, Modifiers};
    use egui_kittest::kittest::Queryable as _;
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let backlog = column_order(&mine, "Backlog");
    let (clash, moved) = (backlog[0].clone(), backlog[1].clone());
    assert_eq!(tandem(&theirs, &["item", "edit", &id_of(&theirs, &clash), "--points", "13"]).0, 0);
    assert_eq!(tandem(&theirs, &["item", "move", &id_of(&theirs, &moved), "--to", "Ready", "--top"]).0, 0);
    assert_eq!(tandem(&mine, &["item", "edit", &id_of(&mine, &clash), "--points", "1"]).0, 0);

    let mut harness = crate::common::app_harness(&mine);
    review_theirs(&mut harness);

    // The review: nothing written yet, the move it brings, the conflict with both values.
    let before = snapshot(&mine);
    harness.get_by_label_contains(&format!("Moved '{moved}' from Backlog to Ready"));
    harness.get_by_label(&format!("'{clash}' (item), changed on both sides: estimate here 1, in the copy 13."));
    harness.get_by_label("1 conflict still needs a choice.");
    assert_eq!(snapshot(&mine), before, "a review writes nothing");

    harness.get_by_label_contains("Take theirs: ").click();
    harness.run();
    harness.get_by_label("Merge").click();
    crate::common::finish_jobs(&mut harness);
    assert_eq!(points_of(&mine, &clash), Some(13.0));
    assert_eq!(column_order(&mine, "Ready")[0], moved);
    let said = harness.state().status_text().unwrap_or_default().to_owned();
    assert_eq!(
        said,
        "Merged 2 changes from the copy 'theirs.sqlite': 2 differences here, 1 conflict taken from the copy. Edit ▸ Undo takes the merge back."
    );
    harness.get_by_label_contains(&format!("{moved} — "));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(points_of(&mine, &clash), Some(1.0), "undo takes the whole merge back");
    assert!(!column_order(&mine, "Ready").contains(&moved));
}

#[test]
fn criteria_added_on_both_sides_to_one_item_are_all_kept() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let title = column_order(&mine, "Backlog")[0].clone();
    for (path, text) in [(&mine, "Works offline"), (&theirs, "Says the slot in words")] {
        let mut app = App::open(path, NewWorkspace::Blank).unwrap();
        let id = tandem::model::ItemId(id_of(path, &title).parse().unwrap());
        let mut item = app.workspace().item(id).unwrap().clone();
        item.details.acceptance_criteria.push(tandem::model::Criterion { text: text.to_owned(), done: false });
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(item))).unwrap();
    }
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains("0 conflicts"), "{review}");
    let connection = rusqlite::Connection::open(&mine).unwrap();
    let mut statement = connection
        .prepare("SELECT text FROM acceptance_criteria JOIN items USING (item_id) WHERE title = ?1 ORDER BY position")
        .unwrap();
    let texts: Vec<String> = statement.query_map([&title], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(
        texts[texts.len() - 2..],
        ["Works offline".to_owned(), "Says the slot in words".to_owned()],
        "{texts:?}"
    );
}

#[test]
fn items_with_ids_from_a_later_session_are_found_by_the_board_search() {
    use egui_kittest::kittest::Queryable as _;
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "ids.sqlite");
    {
        // A second session: its new ids start far from the first session's.
        let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
        let column = app.workspace().columns[0].column_id;
        let item = tandem::model::BacklogItem::new(
            tandem::model::ItemKind::Story,
            "Pay with a gift card".to_owned(),
            column,
            jiff::Timestamp::now(),
        );
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Create(item))).unwrap();
    }
    let id: i64 = id_of(&path, "Pay with a gift card").parse().unwrap();
    assert!(id > 49, "{id}");
    let mut harness = crate::common::app_harness(&path);
    harness.get_by_label("🔍 Search").click();
    harness.run();
    harness.get_by_label("🔍 Search").type_text("gift");
    harness.run();
    harness.get_by_label_contains("Pay with a gift card — ");
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes — ").is_none(), "filtered");
}

#[test]
fn a_card_brought_back_from_the_copy_never_overwrites_history_here() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let backlog = column_order(&mine, "Backlog");
    let (restored, other) = (backlog[0].clone(), backlog[1].clone());
    let history_of = |path: &Path, title: &str| -> Vec<(String, i64)> {
        let connection = rusqlite::Connection::open(path).unwrap();
        let mut statement = connection
            .prepare(
                "SELECT s.changed_at, s.to_column_id FROM status_changes s JOIN items i USING (item_id) \
                 WHERE i.title = ?1 ORDER BY s.changed_at",
            )
            .unwrap();
        statement.query_map([title], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    // The partner moves the card (a new history row there); I delete it and move another card (a new
    // history row here, which may get the same number).
    assert_eq!(tandem(&theirs, &["item", "move", &id_of(&theirs, &restored), "--to", "Ready"]).0, 0);
    {
        let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
        let id = tandem::model::ItemId(id_of(&mine, &restored).parse().unwrap());
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Delete(id))).unwrap();
    }
    assert_eq!(tandem(&mine, &["item", "move", &id_of(&mine, &other), "--to", "Ready"]).0, 0);
    let before = history_of(&mine, &other);
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    app.merge_from(&theirs, &Choices { all: Some(Side::Theirs), ..Choices::default() }, false).unwrap();
    assert_eq!(history_of(&mine, &other), before, "my card's history is whole");
    assert_eq!(history_of(&mine, &restored), history_of(&theirs, &restored), "the card came back with its own");
}

/// A file as Tandem's schema 6 (the first with a journal) wrote it: two columns, two items, an empty
/// journal.
fn version_6_file(path: &Path) {
    let connection = rusqlite::Connection::open(path).unwrap();
    for sql in &tandem::store::schema::MIGRATIONS[..6] {
        connection.execute_batch(sql).unwrap();
    }
    connection.pragma_update(None, "user_version", 6).unwrap();
    connection.pragma_update(None, "application_id", tandem::store::schema::APPLICATION_ID).unwrap();
    connection
        .execute_batch(
            "INSERT INTO board_columns (column_id, name, position) VALUES (1, 'Backlog', 0), (2, 'Done', 1);
             INSERT INTO items (item_id, kind, title, column_id, rank, raised_by, created_at, updated_at)
             VALUES (1, 'story', 'Alpha', 1, 'M', 'po', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z'),
                    (2, 'story', 'Beta', 1, 'T', 'po', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z');",
        )
        .unwrap();
}

/// A change as a schema-6 Tandem journaled it: recorded by a session, its changeset in the journal.
fn journaled_at_version_6(path: &Path, sql: &str) {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut session = rusqlite::session::Session::new(&connection).unwrap();
    session.attach::<&str>(None).unwrap();
    connection.execute_batch(sql).unwrap();
    let mut changeset = Vec::new();
    session.changeset_strm(&mut changeset).unwrap();
    drop(session);
    connection
        .execute(
            "INSERT INTO journal (change_id, at, changeset) VALUES (lower(hex(randomblob(16))), '2026-01-06T09:00:00Z', ?1)",
            [changeset],
        )
        .unwrap();
}

#[test]
fn copies_journaled_partly_by_an_older_tandem_merge_once_both_are_opened_by_this_one() {
    let folder = tempfile::tempdir().unwrap();
    let mine = folder.path().join("mine.sqlite");
    let theirs = folder.path().join("theirs.sqlite");
    version_6_file(&mine);
    std::fs::copy(&mine, &theirs).unwrap();
    // Both edit with the older Tandem first.
    journaled_at_version_6(&mine, "UPDATE items SET title = 'Alpha, renamed here' WHERE item_id = 1");
    journaled_at_version_6(
        &theirs,
        "UPDATE items SET points = 5 WHERE item_id = 2;
         INSERT INTO items (item_id, kind, title, column_id, rank, raised_by, created_at, updated_at)
         VALUES (7000, 'bug', 'Gamma from the copy', 1, 'V', 'pm', '2026-01-06T09:00:00Z', '2026-01-06T09:00:00Z');",
    );
    // Then with this one, which adds comments, people and dates to the same records.
    let mut their_app = App::open(&theirs, NewWorkspace::Blank).unwrap();
    let gamma = tandem::model::ItemId(7000);
    let mut item = their_app.workspace().item(gamma).unwrap().clone();
    item.details.assignee = Some("Dana Kim".to_owned());
    their_app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(item))).unwrap();
    let comment = tandem::model::Comment::new(gamma, "Dana Kim", "Seen on Android only", jiff::Timestamp::now());
    their_app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::AddComment(comment))).unwrap();
    drop(their_app);

    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &Choices::default(), false).unwrap();
    assert!(review.conflicts.is_empty(), "{:?}", review.conflicts);
    let workspace = app.workspace();
    assert_eq!(workspace.item(tandem::model::ItemId(1)).unwrap().title, "Alpha, renamed here");
    assert_eq!(workspace.item(tandem::model::ItemId(2)).unwrap().points, Some(5.0), "the old copy's change");
    let gamma_here = workspace.item(gamma).unwrap();
    assert_eq!(gamma_here.details.assignee.as_deref(), Some("Dana Kim"), "the new copy's change");
    assert_eq!(app.comments(gamma).unwrap().len(), 1);
}

#[test]
fn label_colours_merge_and_a_label_coloured_differently_on_both_sides_is_a_conflict_in_words() {
    use tandem::app::{Command, PlanningCommand};
    use tandem::model::label::LABEL_PALETTE;
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    let colour = |path: &Path, label: &str, index: usize| {
        let mut app = App::open(path, NewWorkspace::Blank).unwrap();
        app.apply(Command::Planning(PlanningCommand::SetLabelColour {
            label: label.to_owned(),
            colour: Some(LABEL_PALETTE[index].1),
        }))
        .unwrap();
    };
    colour(&mine, "basket", 0);
    colour(&theirs, "basket", 3);
    colour(&theirs, "i18n", 5);
    let colour_of = |path: &Path, label: &str| -> Option<String> {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT colour FROM label_colours WHERE label = ?1", [label], |row| row.get(0))
            .ok()
    };

    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 3, "{review}");
    assert!(
        review.contains("'basket' (label), coloured on both sides: colour here Green, in the copy Red."),
        "{review}"
    );
    assert!(review.contains("Would take:\n  The label 'i18n' gets the colour Blue."), "{review}");
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--prefer", "theirs"]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains("The label 'basket' turns from Green to Red."), "{review}");
    assert_eq!(colour_of(&mine, "basket").as_deref(), Some(LABEL_PALETTE[3].1.to_hex().as_str()));
    assert_eq!(colour_of(&mine, "i18n").as_deref(), Some(LABEL_PALETTE[5].1.to_hex().as_str()), "no conflict: taken");
}

#[test]
fn undoing_a_merge_leaves_the_changes_made_before_it_undoable() {
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    assert_eq!(
        tandem(&theirs, &["item", "edit", &id_of(&theirs, "Earn points on every order"), "--points", "13"]).0,
        0
    );
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let deleted = "Redeem points at checkout";
    let id = tandem::model::ItemId(id_of(&mine, deleted).parse().unwrap());
    app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Delete(id))).unwrap();
    app.merge_from(&theirs, &Choices::default(), false).unwrap();
    assert_eq!(points_of(&mine, "Earn points on every order"), Some(13.0), "merged");

    let said = app.undo().unwrap().unwrap_or_default();
    assert!(said.starts_with("Undid: merge from"), "{said}");
    assert_eq!(points_of(&mine, "Earn points on every order"), Some(8.0));
    // The delete made before the merge is still on the undo stack.
    let said = app.undo().unwrap().unwrap_or_default();
    assert!(said.starts_with("Undid: delete"), "{said}");
    assert!(titles(&mine).contains(&deleted.to_owned()), "the deleted card is back");
}

#[test]
fn an_item_edited_while_the_merge_review_is_up_keeps_its_typing_when_the_merge_is_made() {
    use egui::Key;
    use egui_kittest::kittest::Queryable as _;
    let folder = tempfile::tempdir().unwrap();
    let (mine, moved) = mine_and_theirs_that_moves_a_card(&folder);

    let mut harness = crate::common::app_harness(&mine);
    review_theirs(&mut harness);
    harness.get_by_label_contains(&format!("Moved '{moved}' from Backlog to Ready"));

    // With the review up, the card the copy moves is opened and its title typed on.
    harness.get_by_label_contains(&format!("{moved} — ")).click();
    harness.run();
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("Title").type_text(" (draft)");
    harness.run();
    harness.get_by_label("Merge").click();
    crate::common::finish_jobs(&mut harness);
    assert_eq!(column_order(&mine, "Ready")[0], moved, "merged");
    assert_eq!(
        harness.get_by_label("Title").value().as_deref(),
        Some(format!("{moved} (draft)").as_str()),
        "the editor is still open with what was typed"
    );
}

/// `mine.sqlite` and `theirs.sqlite`, a copy in which the second card of the backlog was moved to the
/// top of Ready: mine, and that card's title.
fn mine_and_theirs_that_moves_a_card(folder: &tempfile::TempDir) -> (PathBuf, String) {
    let (mine, theirs) = two_copies(folder);
    let moved = column_order(&mine, "Backlog")[1].clone();
    assert_eq!(tandem(&theirs, &["item", "move", &id_of(&theirs, &moved), "--to", "Ready", "--top"]).0, 0);
    (mine, moved)
}

/// File ▸ Merge changes from a copy… of `theirs.sqlite`, chosen through the built-in file dialog: the
/// review window opens.
fn review_theirs(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>) {
    review_file_chosen_in_menu(harness);
    crate::common::finish_jobs(harness);
}

#[test]
fn a_merge_is_read_and_made_beside_the_window_and_can_be_cancelled() {
    use egui_kittest::kittest::Queryable as _;
    let folder = tempfile::tempdir().unwrap();
    let (mine, moved) = mine_and_theirs_that_moves_a_card(&folder);
    let mut harness = crate::common::app_harness(&mine);
    let before = snapshot(&mine);

    // Reading the copy runs as a job: the progress window says so.
    review_file_chosen_in_menu(&mut harness);
    harness.step();
    assert!(harness.state().is_busy(), "the review runs on the worker thread");
    harness.step();
    harness.get_by_label("Reading the changes in theirs.sqlite");
    crate::common::finish_jobs(&mut harness);
    harness.get_by_label_contains(&format!("Moved '{moved}' from Backlog to Ready"));

    // The merge itself, cancelled while another program holds the file: nothing is written and the
    // review stays up to merge again.
    let blocker = rusqlite::Connection::open(&mine).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    harness.get_by_label("Merge").click();
    harness.step();
    harness.step();
    harness.get_by_label("Merging the changes from theirs.sqlite");
    harness.key_press(egui::Key::Escape);
    harness.step();
    harness.step();
    blocker.execute_batch("ROLLBACK").unwrap();
    crate::common::finish_jobs(&mut harness);
    harness.get_by_label("Merge cancelled; nothing was written.");
    assert_eq!(snapshot(&mine), before, "a cancelled merge writes nothing");

    harness.get_by_label("Merge").click();
    crate::common::finish_jobs(&mut harness);
    assert_eq!(column_order(&mine, "Ready")[0], moved, "merged");
    harness.get_by_label_contains("Merged 1 change from the copy 'theirs.sqlite'");
    assert!(harness.query_by_label("Merge").is_none(), "the review closed");
}

/// File ▸ Merge changes from a copy… with theirs.sqlite typed in the built-in file dialog, and Open
/// pressed; the frames after are the caller's.
fn review_file_chosen_in_menu(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>) {
    use egui_kittest::kittest::Queryable as _;
    harness.state_mut().use_builtin_file_dialog();
    harness.get_by_label("File").click();
    harness.run();
    crate::common::menu_entry(harness, "Merge changes from a copy…").click();
    harness.run();
    crate::common::open_in_the_dialog(harness, "theirs.sqlite");
}

#[test]
fn a_kpis_objective_merges_and_one_linked_differently_on_both_sides_is_a_conflict_named_by_the_objectives() {
    use tandem::app::{Command, PlanningCommand};
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    // Links a KPI of `path` to the objective titled `objective` (or to none), as the KPI window does.
    let link = |path: &Path, kpi: &str, objective: Option<&str>| {
        let mut app = App::open(path, NewWorkspace::Blank).unwrap();
        let workspace = app.workspace();
        let mut metric = workspace.metrics.iter().find(|metric| metric.name == kpi).unwrap().clone();
        metric.objective_id = objective
            .map(|title| workspace.objectives.iter().find(|objective| objective.title == title).unwrap().objective_id);
        app.apply(Command::Planning(PlanningCommand::UpdateMetric(metric))).unwrap();
    };
    let serves = |path: &Path, kpi: &str| -> Option<String> {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT o.title FROM metrics m LEFT JOIN objectives o USING (objective_id) WHERE m.name = ?1",
                [kpi],
                |row| row.get(0),
            )
            .unwrap()
    };
    // Here the NPS serves one objective; in the copy another, and the churn KPI gets one too.
    link(&mine, "Net Promoter Score", Some("Make checkout effortless"));
    link(&theirs, "Net Promoter Score", Some("Inclusive by default"));
    link(&theirs, "Monthly churn", Some("Make checkout effortless"));

    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 3, "{review}");
    assert!(
        review.contains(
            "'Net Promoter Score' (KPI), changed on both sides: objective here 'Make checkout effortless', in the copy 'Inclusive by default'."
        ),
        "{review}"
    );
    assert_eq!(serves(&mine, "Monthly churn"), None, "nothing was written");
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--prefer", "mine"]);
    assert_eq!(code, 0, "{review}");
    assert_eq!(serves(&mine, "Net Promoter Score").as_deref(), Some("Make checkout effortless"), "mine kept");
    assert_eq!(serves(&mine, "Monthly churn").as_deref(), Some("Make checkout effortless"), "theirs taken");
}

#[test]
fn a_pi_objectives_scores_merge_and_one_scored_differently_on_both_sides_is_a_conflict_in_words() {
    use tandem::app::{Command, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    // Scores an objective of `path` as the Objectives panel does.
    let score = |path: &Path, title: &str, change: &dyn Fn(&mut tandem::model::Objective)| {
        let mut app = App::open(path, NewWorkspace::Blank).unwrap();
        let mut objective =
            app.workspace().objectives.iter().find(|objective| objective.title == title).unwrap().clone();
        change(&mut objective);
        app.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(objective))).unwrap();
    };
    let values = |path: &Path, title: &str| -> (Option<i64>, Option<i64>, bool) {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT planned_value, actual_value, uncommitted FROM objectives WHERE title = ?1",
                [title],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap()
    };
    // Both score the checkout objective's outcome, differently; the copy also makes the other a stretch.
    score(&mine, "Make checkout effortless", &|objective| objective.actual_value = Some(7));
    score(&theirs, "Make checkout effortless", &|objective| objective.actual_value = Some(9));
    score(&theirs, "Inclusive by default", &|objective| objective.uncommitted = true);

    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 3, "{review}");
    assert!(review.contains("actual business value here 7, in the copy 9"), "{review}");
    assert_eq!(values(&mine, "Inclusive by default"), (Some(8), None, false), "nothing was written");
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--prefer", "mine"]);
    assert_eq!(code, 0, "{review}");
    assert_eq!(values(&mine, "Make checkout effortless"), (Some(9), Some(7), false), "mine kept");
    assert_eq!(values(&mine, "Inclusive by default"), (Some(8), None, true), "theirs taken");
}

#[test]
fn a_partners_insight_and_the_item_answering_it_merge_and_one_deleted_here_is_let_go_in_words() {
    use tandem::app::{Command, ItemCommand, ResearchCommand};
    let folder = tempfile::tempdir().unwrap();
    let (mine, theirs) = two_copies(&folder);
    // In the copy: a new insight, and an item that answers it.
    {
        let mut app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let insight = tandem::model::Insight {
            insight_id: tandem::model::InsightId(0),
            title: "Shoppers want to split the delivery fee".to_owned(),
            kind: tandem::model::InsightKind::Feedback,
            source: "Support tickets".to_owned(),
            observed_on: None,
            persona_id: None,
            detail: String::new(),
            metric_id: app
                .workspace()
                .metrics
                .iter()
                .find(|metric| metric.name == "Checkout conversion")
                .map(|m| m.metric_id),
        };
        app.apply(Command::Research(ResearchCommand::CreateInsight(insight))).unwrap();
        let insight_id = app.workspace().insights.last().unwrap().insight_id;
        let mut item =
            app.workspace().items().find(|item| item.title == "Show delivery fee before checkout").unwrap().clone();
        item.details.insight_id = Some(insight_id);
        app.apply(Command::Item(ItemCommand::Update(item))).unwrap();
    }
    let answering = |path: &Path| -> Option<String> {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row(
                "SELECT i.title FROM items it JOIN insights i USING (insight_id) \
                 WHERE it.title = 'Show delivery fee before checkout'",
                [],
                |row| row.get(0),
            )
            .ok()
    };
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap()]);
    assert_eq!(code, 0, "{review}");
    assert_eq!(answering(&mine).as_deref(), Some("Shoppers want to split the delivery fee"), "{review}");
    let measured_on: Option<String> = rusqlite::Connection::open(&mine)
        .unwrap()
        .query_row(
            "SELECT m.name FROM insights i JOIN metrics m USING (metric_id) \
             WHERE i.title = 'Shoppers want to split the delivery fee'",
            [],
            |row| row.get(0),
        )
        .ok();
    assert_eq!(measured_on.as_deref(), Some("Checkout conversion"), "the KPI it is measured on came along");

    // The copy cites one of the sample's insights on another item, while it is deleted here.
    {
        let mut app = App::open(&theirs, NewWorkspace::Blank).unwrap();
        let insight_id = app.workspace().insights[0].insight_id;
        let mut item = app.workspace().items().find(|item| item.title == "Keyboard-only checkout").unwrap().clone();
        item.details.insight_id = Some(insight_id);
        app.apply(Command::Item(ItemCommand::Update(item))).unwrap();
        // And measures another insight on a KPI deleted here.
        let mut insight = app.workspace().insights[2].clone();
        let kpi = app.workspace().metrics.iter().find(|metric| metric.name == "Net Promoter Score").unwrap().metric_id;
        insight.metric_id = Some(kpi);
        app.apply(Command::Research(ResearchCommand::UpdateInsight(insight))).unwrap();
        let mut here = App::open(&mine, NewWorkspace::Blank).unwrap();
        here.apply(Command::Research(ResearchCommand::DeleteInsight(insight_id))).unwrap();
        here.apply(Command::Planning(tandem::app::PlanningCommand::DeleteMetric(kpi))).unwrap();
    }
    let (code, review, _) = tandem(&mine, &["merge", theirs.to_str().unwrap(), "--prefer", "mine"]);
    assert_eq!(code, 0, "{review}");
    assert!(review.contains("Note: 1 item answered an insight deleted here and now answers none."), "{review}");
    assert!(review.contains("Note: 1 insight was measured on a KPI deleted here and now is on none."), "{review}");
}
