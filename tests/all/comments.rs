//! Comments on items: written in the editor, signed with the user's name, undone, kept through a
//! delete and its undo, carried by exports, imports and merges. Checked in the file.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{App, Command, ItemCommand, NewWorkspace};
use tandem::interchange;
use tandem::model::{Comment, ItemId, Timestamp};

use crate::common::{app_harness as harness, sample_workspace, wheel_down};

/// `(author, text)` of an item's comments, straight from the file, oldest first.
fn comments_in(path: &Path, title: &str) -> Vec<(String, String)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT c.author, c.text FROM comments c JOIN items i USING (item_id) WHERE i.title = ?1 \
             ORDER BY c.created_at, c.comment_id",
        )
        .unwrap();
    statement.query_map([title], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
}

fn item_id(app: &App, title: &str) -> ItemId {
    app.workspace().items().find(|item| item.title == title).unwrap().item_id
}

const SUBSTITUTIONS: &str = "Substitution preferences per product";
const WALLETS: &str = "Apple Pay and Google Pay at checkout";

#[test]
fn a_comment_is_sent_from_the_editor_signed_with_your_name_and_undo_and_redo_follow() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = comments_in(&path, WALLETS);
    assert_eq!(before.len(), 2, "the sample holds the PM's and the PO's words");
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{WALLETS} — ")).click();
    harness.run();
    wheel_down(&mut harness, "Edit item", 400.0);
    harness.get_by_label_contains("Delete Jonas (PO)'s comment");
    harness.get_by_label("Your name").click();
    harness.run();
    harness.get_by_label("Your name").type_text("Maya (PM)");
    harness.run();
    harness.get_by_label("New comment").click();
    harness.run();
    harness.get_by_label("New comment").type_text("Yes, split it: \"no substitutes\" ships in sprint 4.");
    harness.run();
    // Ctrl+Enter in the comment box sends the comment (it saves the item everywhere else).
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    let sent = ("Maya (PM)".to_owned(), "Yes, split it: \"no substitutes\" ships in sprint 4.".to_owned());
    assert_eq!(comments_in(&path, WALLETS), [before.clone(), vec![sent.clone()]].concat());
    harness.get_by_label_contains("Comments (3)");
    let card = harness.get_by_label_contains(&format!("{WALLETS} — Story, 5 points")).accesskit_node().label();
    assert!(card.as_deref().unwrap_or_default().contains("0 of 3 criteria done, 3 comments"), "{card:?}");
    assert_eq!(harness.get_by_label("New comment").value().as_deref(), Some(""), "the box is empty again");

    harness.get_by_label("Backlog").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(comments_in(&path, WALLETS), before, "undo takes the comment back");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(comments_in(&path, WALLETS), [before.clone(), vec![sent.clone()]].concat(), "redo");

    // Mine is the newest, below the sample's own comment by Maya.
    harness.get_all_by_label_contains("Delete Maya (PM)'s comment").last().unwrap().click();
    harness.run();
    assert_eq!(comments_in(&path, WALLETS), before, "deleted");
    assert!(harness.state().status_text().is_some_and(|text| text.contains("Deleted Maya (PM)'s comment")));
}

#[test]
fn a_comment_written_and_not_sent_is_asked_about_and_save_sends_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = comments_in(&path, WALLETS);
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{WALLETS} — ")).click();
    harness.run();
    wheel_down(&mut harness, "Edit item", 400.0);
    harness.get_by_label("Your name").click();
    harness.run();
    harness.get_by_label("Your name").type_text("Maya (PM)");
    harness.get_by_label("New comment").click();
    harness.run();
    harness.get_by_label("New comment").type_text("Half-written thought");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("A comment is written and not sent yet; Save sends it.");
    assert_eq!(comments_in(&path, WALLETS), before, "nothing is sent before the answer");
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(
        comments_in(&path, WALLETS),
        [before, vec![("Maya (PM)".to_owned(), "Half-written thought".to_owned())]].concat()
    );
    assert!(harness.query_by_label("New comment").is_none(), "the editor closed once the comment was kept");
}

#[test]
fn a_comment_without_a_name_is_refused_in_a_sentence_and_kept_in_its_box() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = comments_in(&path, WALLETS);
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{WALLETS} — ")).click();
    harness.run();
    wheel_down(&mut harness, "Edit item", 400.0);
    harness.get_by_label("New comment").click();
    harness.run();
    harness.get_by_label("New comment").type_text("Who am I?");
    harness.run();
    harness.get_by_label("Send comment").click();
    harness.run();
    harness.get_by_label_contains("Not sent: The name of the comment's author is empty");
    assert_eq!(comments_in(&path, WALLETS), before, "nothing written");
    assert_eq!(harness.get_by_label("New comment").value().as_deref(), Some("Who am I?"), "the words stay");
}

#[test]
fn deleting_an_item_takes_its_comments_and_undo_brings_them_back_unchanged() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let id = item_id(&app, SUBSTITUTIONS);
    let comment = Comment::new(id, "Maya (PM)", "Second thought", Timestamp::now());
    app.apply(Command::Item(ItemCommand::AddComment(comment))).unwrap();
    let stored = app.comments(id).unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(app.workspace().comment_count(id), 2);
    app.apply(Command::Item(ItemCommand::Delete(id))).unwrap();
    assert!(comments_in(&path, SUBSTITUTIONS).is_empty());
    assert_eq!(app.workspace().comment_count(id), 0);
    app.undo().unwrap();
    assert_eq!(app.comments(id).unwrap(), stored, "the same comments, ids and times");
    assert_eq!(app.workspace().comment_count(id), 2);
}

#[test]
fn a_redo_that_would_delete_comments_written_since_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let id = item_id(&app, SUBSTITUTIONS);
    app.apply(Command::Item(ItemCommand::Delete(id))).unwrap();
    app.undo().unwrap();
    // Another window comments on the item brought back.
    let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
    other
        .apply(Command::Item(ItemCommand::AddComment(Comment::new(id, "Jonas (PO)", "Still needed", Timestamp::now()))))
        .unwrap();
    let error = app.redo().unwrap_err().to_string();
    assert!(error.contains("was commented on since"), "{error}");
    assert_eq!(comments_in(&path, SUBSTITUTIONS).len(), 2, "nothing deleted");
}

#[test]
fn comments_travel_through_the_json_document_and_the_csv_and_round_trip_exactly() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    crate::common::round_trips(&folder, &path, |copy, name| {
        for title in [SUBSTITUTIONS, "Apple Pay and Google Pay at checkout", "Idempotent order submission API"] {
            assert_eq!(comments_in(copy, title), comments_in(&path, title), "{name}: {title}");
            assert!(!comments_in(copy, title).is_empty());
        }
    });
}

#[test]
fn a_csv_comments_cell_without_an_author_line_is_refused_with_its_line() {
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("backlog.csv");
    std::fs::write(&csv, "Title,Status,Kind,Comments\nPay by card,Backlog,Story,just words\n").unwrap();
    let error = interchange::read_document(&csv, None).unwrap_err().to_string();
    assert!(error.contains("line 2, column 'Comments'") && error.contains("naming who wrote it"), "{error}");
}

#[test]
fn comments_written_on_both_copies_all_arrive_in_a_merge() {
    let folder = tempfile::tempdir().unwrap();
    let mine = sample_workspace(&folder, "mine.sqlite");
    let theirs = folder.path().join("theirs.sqlite");
    std::fs::copy(&mine, &theirs).unwrap();
    for (path, author) in [(&mine, "Maya (PM)"), (&theirs, "Jonas (PO)")] {
        let mut app = App::open(path, NewWorkspace::Blank).unwrap();
        let id = item_id(&app, SUBSTITUTIONS);
        let comment = Comment::new(id, author, &format!("{author} was here"), Timestamp::now());
        app.apply(Command::Item(ItemCommand::AddComment(comment))).unwrap();
    }
    let mut app = App::open(&mine, NewWorkspace::Blank).unwrap();
    let review = app.merge_from(&theirs, &tandem::store::merge::Choices::default(), false).unwrap();
    assert!(review.conflicts.is_empty(), "no conflict: {:?}", review.conflicts);
    let authors: Vec<String> = comments_in(&mine, SUBSTITUTIONS).into_iter().map(|(author, _)| author).collect();
    assert_eq!(authors.len(), 3, "{authors:?}");
    assert!(authors.contains(&"Maya (PM)".to_owned()) && authors.contains(&"Jonas (PO)".to_owned()));
}
