//! People on items: an assignee and a reporter, typed or chosen in the editor, on the card as initials
//! and in its name, filtered by, and carried by the JSON document and the CSV. Checked in the file.

use std::path::Path;

use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::{App, Command, ItemCommand, NewWorkspace};

use crate::common::{app_harness as harness, menu_entry, sample_workspace};

const TITLE: &str = "Apple Pay and Google Pay at checkout";
const OTHER: &str = "Order summary readable by screen readers";

fn people_in(path: &Path, title: &str) -> (Option<String>, Option<String>) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row("SELECT assignee, reporter FROM items WHERE title = ?1", [title], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap()
}

fn assign(path: &Path, title: &str, assignee: &str) {
    let mut app = App::open(path, NewWorkspace::Blank).unwrap();
    let mut item = app.workspace().items().find(|item| item.title == title).unwrap().clone();
    item.details.assignee = Some(assignee.to_owned());
    app.apply(Command::Item(ItemCommand::Update(item))).unwrap();
}

#[test]
fn an_assignee_is_typed_or_chosen_in_the_editor_and_shows_on_the_card() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    assign(&path, OTHER, "Dana Kim");
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{TITLE} — ")).click();
    harness.run();
    // Chosen from the people the workspace knows.
    harness.get_by_label("Choose the assignee").click();
    harness.run();
    menu_entry(&harness, "Dana Kim").click();
    harness.run();
    // Typed.
    harness.get_by_label("Reporter").click();
    harness.run();
    harness.get_by_label("Reporter").type_text("  Maya Patel ");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    assert_eq!(people_in(&path, TITLE), (Some("Dana Kim".to_owned()), Some("Maya Patel".to_owned())), "trimmed");
    let card = harness.get_by_label_contains(&format!("{TITLE} — ")).accesskit_node().label().unwrap_or_default();
    assert!(card.contains(", assigned to Dana Kim"), "{card}");
}

#[test]
fn the_board_filters_by_assignee_and_by_nobody() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    assign(&path, TITLE, "Dana Kim");
    assign(&path, OTHER, "dana kim");
    let mut harness = harness(&path);
    harness.get_by_label("Filter by assignee").click();
    harness.run();
    harness.get_by_label("👤 Dana Kim").click();
    harness.run();
    harness.get_by_label("Showing 2 of 49");
    harness.get_by_label_contains(&format!("{TITLE} — "));
    harness.get_by_label_contains(&format!("{OTHER} — "));
    harness.get_by_label("Filter by assignee").click();
    harness.run();
    harness.get_by_label("Unassigned").click();
    harness.run();
    harness.get_by_label("Showing 42 of 49"); // the sample assigns seven items
    assert!(harness.query_by_label_contains(&format!("{TITLE} — ")).is_none());
}

#[test]
fn people_travel_through_the_json_document_and_the_csv() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    assign(&path, TITLE, "Dana Kim");
    crate::common::round_trips(&folder, &path, |copy, name| {
        assert_eq!(people_in(copy, TITLE), (Some("Dana Kim".to_owned()), None), "{name}");
    });
}

#[test]
fn initials_take_the_first_and_last_words() {
    use tandem::ui::widgets::card::initials;
    assert_eq!(initials("Dana Kim"), "DK");
    assert_eq!(initials("maya van der Berg"), "MB");
    assert_eq!(initials("Ada"), "A");
    assert_eq!(initials("  "), "?");
    assert_eq!(initials("Émile Zola"), "ÉZ");
}

/// How many items name `name` as assignee or reporter, straight from the file.
fn naming(path: &Path, name: &str) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM items WHERE assignee = ?1 OR reporter = ?1", [name], |row| row.get(0))
        .unwrap()
}

#[test]
fn the_people_window_lists_everyone_and_a_rename_reaches_every_item_in_one_undoable_step() {
    use egui::{Key, Modifiers};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = naming(&path, "Omar Haddad");
    assert!(before > 1, "the sample names Omar on several items");
    let mut harness = harness(&path);
    harness.get_by_label("👥 People").click();
    harness.run();
    harness.run();
    harness.get_by_label("People");
    harness.get_by_label("👤 Omar Haddad");
    crate::common::snapshot_masked(&mut harness, "people");
    harness.get_by_label("Rename Omar Haddad").click();
    harness.run();
    let field = harness.get_by_label("Rename Omar Haddad to");
    assert!(field.is_focused(), "the new name is typed at once");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("Rename Omar Haddad to").type_text("Omar K. Haddad");
    harness.run();
    harness.get_by_label("Rename").click();
    harness.run();
    assert_eq!(naming(&path, "Omar Haddad"), 0, "no item names the old spelling");
    assert_eq!(naming(&path, "Omar K. Haddad"), before, "every item that named him names him anew");
    harness.get_by_label_contains("Renamed 'Omar Haddad' to 'Omar K. Haddad' on");
    harness.get_by_label("👤 Omar K. Haddad");

    harness.get_by_label("Show the cards of Omar K. Haddad").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Filter by assignee").value().as_deref(),
        Some("👤 Omar K. Haddad"),
        "their cards are shown"
    );

    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("People").is_none(), "Escape closes the window");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(naming(&path, "Omar Haddad"), before, "one undo puts the old name back everywhere");
}

#[test]
fn renaming_a_person_to_someone_elses_name_says_it_merges_them_under_one_spelling() {
    use egui::{Key, Modifiers};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let (lena, omar) = (naming(&path, "Lena Fischer"), naming(&path, "Omar Haddad"));
    assert!(lena > 0 && omar > 0);
    let mut harness = harness(&path);
    harness.get_by_label("👥 People").click();
    harness.run();
    harness.get_by_label("Rename Lena Fischer").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("Rename Lena Fischer to").type_text("omar haddad");
    harness.run();
    harness.get_by_label(
        "ℹ Omar Haddad is already in this list: Merge makes the items of Lena Fischer name Omar Haddad, as one person.",
    );
    assert!(harness.query_by_label("Rename").is_none(), "the button says what it does");
    harness.get_by_label("Merge").click();
    harness.run();
    assert_eq!(naming(&path, "Lena Fischer"), 0);
    assert_eq!(naming(&path, "omar haddad"), 0, "the spelling the items already use is kept, not the one typed");
    assert_eq!(naming(&path, "Omar Haddad"), lena + omar);
    harness.get_by_label_contains("Merged 'Lena Fischer' into 'Omar Haddad' on");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!((naming(&path, "Lena Fischer"), naming(&path, "Omar Haddad")), (lena, omar), "one undo parts them");
}

#[test]
fn renaming_someone_on_thousands_of_items_runs_beside_the_window() {
    use egui::{Key, Modifiers};
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("large.sqlite");
    tandem::demo::generate_items(&path, 7_000, tandem::demo::Generated::Described).unwrap();
    let mut harness = harness(&path);
    harness.get_by_label("👥 People").click();
    harness.run();
    harness.run();
    let people = harness.state().app().unwrap().workspace().people();
    let person = people.iter().max_by_key(|person| person.assigned + person.reported).unwrap();
    assert!(person.assigned + person.reported >= 1_000, "{person:?}");
    let name = person.name.clone();
    harness.get_by_label(&format!("Rename {name}")).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label(&format!("Rename {name} to")).type_text("Renamed Person");
    harness.run();
    let before = naming(&path, &name);
    // Another program holds the file a moment, so that the work is seen under way.
    let blocker = crate::common::holding_the_file(&path);
    harness.get_by_label("Rename").click();
    crate::common::until_shown(&mut harness, &format!("Renaming '{name}' to 'Renamed Person' on up to "));
    assert!(harness.state().is_busy(), "the worker thread renames them, behind the progress window");
    assert_eq!(naming(&path, &name), before, "nothing written yet");
    blocker.execute_batch("ROLLBACK").unwrap();
    crate::common::finish_jobs(&mut harness);
    assert_eq!(naming(&path, &name), 0);
    assert_eq!(naming(&path, "Renamed Person"), before);
    harness.get_by_label_contains("Renamed '");
}

#[test]
fn a_typed_new_name_is_asked_about_before_it_is_thrown_away() {
    use egui::{Key, Modifiers};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let before = naming(&path, "Omar Haddad");
    let mut harness = harness(&path);
    harness.get_by_label("👥 People").click();
    harness.run();
    harness.run();
    harness.get_by_label("Rename Omar Haddad").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("Rename Omar Haddad to").type_text("Omar K. Haddad");
    harness.run();

    // Esc asks instead of closing; Esc again is the safe answer and keeps the typing.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label_contains("Your changes to the new name for Omar Haddad are not saved. Discard them?");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label_contains("Discard them?").is_none(), "Esc while it asks keeps editing");
    assert_eq!(harness.get_by_label("Rename Omar Haddad to").value().as_deref(), Some("Omar K. Haddad"));

    // The People button that opened it asks as well, rather than closing it.
    harness.get_by_label("👥 People").click_accesskit();
    harness.run();
    harness.get_by_label_contains("Your changes to the new name for Omar Haddad are not saved. Discard them?");
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.get_by_label("Rename Omar Haddad to").value().as_deref(), Some("Omar K. Haddad"));

    // Leaving the workspace asks too; Keep editing keeps the window and the typing.
    let question = "Your changes to the new name for Omar Haddad are not saved.";
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    crate::common::leave_for_a_new_workspace(&mut harness);
    harness.get_by_label_contains(question);
    harness.get_by_label("Keep editing").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Rename Omar Haddad to").value().as_deref(),
        Some("Omar K. Haddad"),
        "Keep editing brings the board and its people window back"
    );
    harness.run();

    // Discarding goes on and writes nothing.
    crate::common::leave_for_a_new_workspace(&mut harness);
    harness.get_by_label("Discard them and go on").click();
    harness.run();
    harness.get_by_label_contains("Discarded the unsaved changes to the new name for Omar Haddad.");
    assert_eq!(naming(&path, "Omar Haddad"), before, "nothing was renamed");
    assert_eq!(naming(&path, "Omar K. Haddad"), 0);
}
