//! Label colours: chosen by name in the board's Label colours window, one undoable change each, shown
//! as a dot beside the label on cards, carried by the JSON document. Checked in the file.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;

use crate::common::{app_harness as harness, sample_workspace};

fn colour_of(path: &Path, label: &str) -> Option<String> {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT colour FROM label_colours WHERE label = ?1", [label], |row| row.get(0))
        .ok()
}

#[test]
fn a_label_gets_a_colour_by_name_in_the_label_colours_window_and_undo_takes_it_away() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    assert_eq!(colour_of(&path, "basket"), None, "the sample leaves basket uncoloured");
    assert_eq!(colour_of(&path, "accessibility").as_deref(), Some("#9f8fef"), "and colours accessibility");
    let mut harness = harness(&path);
    harness.get_by_label("🎨 Label colours").click();
    harness.run();
    harness.run();
    harness.get_by_label("Label colours");
    assert!(harness.get_by_label("Colour of #accessibility").is_focused(), "the keyboard starts in the window");
    // Before any change: the status bar's "Saved at" time would differ every run.
    crate::common::snapshot_masked(&mut harness, "label_colours");
    harness.get_by_label("#basket");
    assert!(harness.get_all_by_label("5 items").count() >= 1, "each label says how many items carry it");
    let picker = harness.get_by_label("Colour of #basket");
    assert_eq!(picker.value().as_deref(), Some("No colour"));
    picker.click();
    harness.run();
    harness.get_by_label("Orange").click();
    harness.run();
    assert_eq!(colour_of(&path, "basket").as_deref(), Some("#fea362"), "saved at once");
    harness.get_by_label_contains("The label 'basket' is Orange now.");
    assert_eq!(harness.get_by_label("Colour of #basket").value().as_deref(), Some("Orange"));

    harness.get_by_label("Colour of #accessibility").click();
    harness.run();
    harness.get_by_label("No colour").click();
    harness.run();
    assert_eq!(colour_of(&path, "accessibility"), None);

    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Colour of #basket").is_none(), "Escape closes the window");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(colour_of(&path, "accessibility").as_deref(), Some("#9f8fef"), "undo gives the colour back");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(colour_of(&path, "basket"), None, "and takes the new one away");
}

#[test]
fn label_colours_travel_in_the_json_document() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let json = folder.path().join("plan.json");
    let (mut store, _) = tandem::store::Store::open(&path).unwrap();
    tandem::interchange::export(&mut store, tandem::interchange::Format::Json, &json).unwrap();
    let text = std::fs::read_to_string(&json).unwrap();
    assert!(text.contains("\"label_colours\""), "the document names them");
    let copy = folder.path().join("copy.sqlite");
    let document = tandem::interchange::read_document(&json, None).unwrap();
    tandem::interchange::import_into_new(&document, &copy, &tandem::interchange::Progress::default()).unwrap();
    let (mut copied, _) = tandem::store::Store::open(&copy).unwrap();
    assert_eq!(copied.load().unwrap().label_colours, store.load().unwrap().label_colours);

    // Merged into a workspace that coloured a label already, its own colour stays.
    let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    app.apply(tandem::app::Command::Planning(tandem::app::PlanningCommand::SetLabelColour {
        label: "checkout".to_owned(),
        colour: Some(tandem::model::label::LABEL_PALETTE[3].1),
    }))
    .unwrap();
    drop(app);
    let report = tandem::interchange::import(&mut store, &document, true, false).unwrap();
    assert_eq!(colour_of(&path, "checkout").as_deref(), Some("#f87168"), "the workspace's colour is kept");
    assert_eq!(report.label_colours, 0, "every label of the document is coloured here already");
}

#[test]
fn undoing_a_colour_another_window_changed_since_is_refused_and_the_file_keeps_the_newer_one() {
    use tandem::app::{App, Command, NewWorkspace, PlanningCommand};
    use tandem::model::label::LABEL_PALETTE;
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let colour = |app: &mut App, index: usize| {
        app.apply(Command::Planning(PlanningCommand::SetLabelColour {
            label: "basket".to_owned(),
            colour: Some(LABEL_PALETTE[index].1),
        }))
        .unwrap();
    };
    let mut mine = App::open(&path, NewWorkspace::Blank).unwrap();
    let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
    colour(&mut mine, 0);
    other.follow_external_changes().unwrap();
    colour(&mut other, 3);
    let error = mine.undo().unwrap_err().to_string();
    assert!(error.contains("the colour of the label 'basket' changed since"), "{error}");
    assert_eq!(colour_of(&path, "basket").as_deref(), Some("#f87168"), "the other window's Red stays");
}
