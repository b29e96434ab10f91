//! The app as a user meets it, headless: `egui_kittest` finds widgets through their AccessKit labels,
//! clicks and types with real events, and the outcome is checked in the database file.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::app::NewWorkspace;
use tandem::ui::{Startup, TandemApp, View};

use crate::common;

use crate::common::{app_harness as harness, snapshot_masked as snapshot};

fn workspace(folder: &tempfile::TempDir) -> PathBuf {
    common::sample_workspace(folder, "plan.sqlite")
}

/// Titles straight from the file, through a connection of our own.
fn titles_in(path: &Path) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection.prepare("SELECT title FROM items ORDER BY item_id").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn the_app_starts_on_the_sample_board() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let harness = harness(&path);
    for column in ["Backlog", "Ready", "In progress", "Review", "Done"] {
        harness.get_by_label(column);
    }
    harness.get_by_label_contains("Confirm order with one tap for returning customers — ");
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ");
    harness.get_by_label("49 items");
    assert_eq!(harness.state().view(), View::Board);
}

#[test]
fn creating_an_item_in_the_editor_stores_it_and_undo_redo_follow() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let title = "Announce basket total changes to screen readers";
    {
        let mut harness = harness(&path);
        harness.get_by_label("+ Add to Review").click();
        harness.run();
        harness.get_by_label("New item");
        harness.get_by_label("Title").click();
        harness.run();
        harness.get_by_label("Title").type_text(title);
        harness.run();
        harness.get_by_label("Estimate (points)").click();
        harness.run();
        harness.get_by_label("Estimate (points)").type_text("3");
        harness.run();
        harness.get_by_label("Create item").click();
        harness.run();

        assert!(titles_in(&path).contains(&title.to_owned()), "the new item is in the file");
        let connection = rusqlite::Connection::open(&path).unwrap();
        let points: f64 =
            connection.query_row("SELECT points FROM items WHERE title = ?1", [title], |row| row.get(0)).unwrap();
        assert!((points - 3.0).abs() < f64::EPSILON);
        harness.get_by_label_contains(&format!("{title} — Story"));
        harness.get_by_label("50 items");

        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run();
        assert!(!titles_in(&path).contains(&title.to_owned()), "Ctrl+Z removed it from the file");
        assert!(harness.query_by_label_contains(&format!("{title} — Story")).is_none(), "its card is gone");
        harness.get_by_label("49 items");

        harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        harness.run();
        assert!(titles_in(&path).contains(&title.to_owned()), "Ctrl+Shift+Z put it back");
    }
    let reopened = harness(&path);
    reopened.get_by_label_contains(&format!("{title} — Story"));
    reopened.get_by_label("50 items");
}

#[test]
fn a_new_card_at_the_bottom_of_a_long_column_is_scrolled_into_view() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let title = "Offer a printable shopping list";
    // The last card of the 15-card backlog is below the fold before anything happens.
    assert!(harness.query_by_label_contains("Interview shoppers who use switch access").is_none());
    harness.get_by_label("+ New item").click();
    harness.run();
    harness.get_by_label("Title").click();
    harness.run();
    harness.get_by_label("Title").type_text(title);
    harness.run();
    harness.get_by_label("Create item").click();
    harness.run();
    harness.get_by_label_contains(&format!("{title} — Story"));
    harness.get_by_label_contains("Interview shoppers who use switch access — ");
}

#[test]
fn editing_a_card_saves_to_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.get_by_label("Edit item");
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.run();
    harness.get_by_label("Title").type_text(" or an hour");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    assert!(titles_in(&path).contains(&"Hold a delivery slot for 30 minutes or an hour".to_owned()));
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes or an hour — Story");
}

#[test]
fn a_bad_estimate_is_refused_with_a_message_and_nothing_is_stored() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let before = titles_in(&path);
    let mut harness = harness(&path);
    harness.get_by_label("+ New item").click();
    harness.run();
    harness.get_by_label("Create item").click();
    harness.run();
    harness.get_by_label_contains("The title is empty");
    assert_eq!(titles_in(&path), before);

    harness.get_by_label("Title").click();
    harness.run();
    harness.get_by_label("Title").type_text("Estimated badly");
    harness.run();
    harness.get_by_label("Estimate (points)").click();
    harness.run();
    harness.get_by_label("Estimate (points)").type_text("lots");
    harness.run();
    harness.get_by_label("Create item").click();
    harness.run();
    harness.get_by_label_contains("estimate (story points) is not a number");
    assert_eq!(titles_in(&path), before);
}

#[test]
fn a_save_the_editor_refuses_no_longer_leaves_the_last_save_in_the_status_bar() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ").click();
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    harness.get_by_label("Saved 'Apple Pay and Google Pay at checkout'.");
    // "5" becomes "5 or so": not a number.
    harness.get_by_label("Estimate (points)").click();
    harness.run();
    harness.get_by_label("Estimate (points)").type_text(" or so");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    harness.get_by_label_contains("The estimate (story points) is not a number");
    assert!(
        harness.query_by_label("Saved 'Apple Pay and Google Pay at checkout'.").is_none(),
        "the status bar does not say the refused edit was saved"
    );
    harness.get_by_label_contains("The item editor has changes that are not saved yet");
    let connection = rusqlite::Connection::open(&path).unwrap();
    let points: f64 = connection
        .query_row("SELECT points FROM items WHERE title = 'Apple Pay and Google Pay at checkout'", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert!((points - 5.0).abs() < f64::EPSILON, "the stored estimate is kept: {points}");
}

#[test]
fn acceptance_criteria_are_added_and_ticked_in_the_editor() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ").click();
    harness.run();
    harness.get_by_label("New criterion").click();
    harness.run();
    harness.get_by_label("New criterion").type_text("Works offline with a clear message");
    harness.run();
    harness.get_by_label("Add").click();
    harness.run();
    harness.get_by_label("Criterion 1 accepted").click();
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    let connection = rusqlite::Connection::open(&path).unwrap();
    let rows: Vec<(String, bool)> = connection
        .prepare(
            "SELECT c.text, c.done FROM acceptance_criteria c JOIN items i USING (item_id) \
             WHERE i.title = 'Apple Pay and Google Pay at checkout' ORDER BY c.position",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].1, "the first criterion is ticked");
    assert_eq!(rows[3], ("Works offline with a clear message".to_owned(), false));
}

#[test]
fn a_long_criterion_wraps_in_the_editor_and_stays_one_paragraph() {
    use egui::Key;
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ").click();
    harness.run();
    let short = harness.get_by_label("Criterion 3").rect().height();
    let long = harness.get_by_label("Criterion 1");
    assert!(long.value().unwrap_or_default().len() > 50);
    assert!(long.rect().height() > short + 8.0, "read whole on two lines: {} against {short}", long.rect().height());
    // Enter does not break it into lines.
    harness.get_by_label("Criterion 3").click();
    harness.run();
    harness.key_press(Key::End);
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Criterion 3").type_text(" on every page");
    harness.run();
    assert_eq!(
        harness.get_by_label("Criterion 3").value().as_deref(),
        Some("Buttons have accessible names on every page")
    );
}

#[test]
fn deleting_asks_first_and_undo_brings_the_item_back() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let title = "Basket total rounds wrongly for weighed items";
    harness.get_by_label_contains(&format!("{title} — ")).click();
    harness.run();
    harness.get_by_label("🗑 Delete item").click();
    harness.run();
    assert!(titles_in(&path).contains(&title.to_owned()), "nothing is deleted before confirming");
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    assert!(!titles_in(&path).contains(&title.to_owned()));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert!(titles_in(&path).contains(&title.to_owned()));
    harness.get_by_label_contains(&format!("{title} — Bug"));
}

#[test]
fn the_views_switch_from_the_keyboard_and_show_real_data() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    assert_eq!(harness.state().view(), View::Roadmap);
    harness.get_by_label_contains("Epic One-tap checkout");
    harness.get_by_label_contains("Release Release 3.2");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    assert_eq!(harness.state().view(), View::Metrics);
    harness.get_by_label("Accessibility compliance");
    harness.get_by_label("Inclusivity KPIs");
    harness.get_by_label_contains("Off track · target at least 95%");
}

#[test]
fn a_file_that_is_not_a_workspace_shows_a_clear_error_and_stays_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.sqlite");
    std::fs::write(&path, b"These are my meeting notes, not a database.").unwrap();
    let mut harness = harness(&path);
    harness.get_by_label("Tandem could not open the workspace");
    harness.get_by_label_contains("It was not changed");
    // With no workspace open, New item cannot do anything: the button is disabled, and the shortcut says
    // why instead of doing nothing.
    assert!(harness.get_by_label("+ New item").accesskit_node().is_disabled());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.get_by_label_contains("A new item needs an open workspace");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run();
    harness.get_by_label_contains("Saving a copy needs an open workspace");
    // The File menu's entries for the open workspace are disabled; opening and creating are not.
    harness.get_by_label("File").click();
    harness.run();
    for entry in ["Save a copy…", "Import…", "Save baseline…", "Compare…", "Merge changes from a copy…"] {
        assert!(common::menu_entry(&harness, entry).accesskit_node().is_disabled(), "{entry} is disabled");
    }
    for entry in ["New workspace…", "Open…"] {
        assert!(!common::menu_entry(&harness, entry).accesskit_node().is_disabled(), "{entry} is enabled");
    }
    assert_eq!(std::fs::read(&path).unwrap(), b"These are my meeting notes, not a database.");
}

#[test]
fn snapshots_of_the_three_views() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    snapshot(&mut harness, "board");
    harness.get_by_label_contains("Confirm order with one tap for returning customers — ").click();
    harness.run();
    snapshot(&mut harness, "board_with_editor");
    harness.key_press(Key::Escape);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    snapshot(&mut harness, "roadmap");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    snapshot(&mut harness, "metrics");
    harness.get_by_label("Open chart: Checkout conversion").click();
    harness.run();
    snapshot(&mut harness, "metrics_detail");
    harness.get_by_label("Delivery").click();
    harness.run();
    snapshot(&mut harness, "metrics_delivery");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    harness.get_by_label("☰ List").click();
    harness.run();
    snapshot(&mut harness, "backlog_list");
    harness.get_by_label("⊞ Board").click();
    harness.get_by_label("🏃 Sprint planning").click();
    harness.run();
    snapshot(&mut harness, "board_sprint_planning");
}

#[test]
fn the_light_and_high_contrast_themes_are_chosen_from_the_view_menu() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Light").click();
    harness.run();
    if harness.query_by_label("High contrast").is_none() {
        harness.get_by_label("View").click();
        harness.run();
    }
    harness.get_by_label("High contrast").click();
    harness.run();
    assert!(!harness.ctx.global_style().visuals.dark_mode, "light");
    assert_eq!(harness.ctx.global_style().visuals.panel_fill, egui::Color32::WHITE, "high contrast: white panels");
    if harness.query_by_label("High contrast").is_some() {
        harness.key_press(Key::Escape);
        harness.run();
    }
    snapshot(&mut harness, "board_light_high_contrast");
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Dark").click();
    harness.run();
    if harness.query_by_label("High contrast").is_some() {
        harness.key_press(Key::Escape);
        harness.run();
    }
    assert_eq!(harness.ctx.global_style().visuals.panel_fill, egui::Color32::BLACK, "dark high contrast: black panels");
    snapshot(&mut harness, "board_dark_high_contrast");
}

/// eframe storage in memory, as the real one is a file.
#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn preferences_keep_the_last_file_theme_and_zoom_but_no_product_data() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let startup = Startup {
        path: Some(path.clone()),
        default_path: path.clone(),
        new_workspace: NewWorkspace::Sample,
        remember: true,
        demo: false,
        first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
    };
    let mut harness = started(startup);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
    harness.run();
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    let prefs: tandem::ui::Preferences = eframe::get_value(&storage, eframe::APP_KEY).unwrap();
    assert_eq!(prefs.last_file.as_deref(), Some(path.canonicalize().unwrap().as_path()));
    assert_eq!(prefs.recent_files.len(), 1);
    assert!(prefs.zoom > 1.0, "Ctrl+Plus zoomed in and the zoom was kept: {}", prefs.zoom);
    let stored = storage.0.values().cloned().collect::<String>();
    assert!(!stored.contains("Hold a delivery slot"), "no product data in the preferences");

    // Zooming on past 300% stops there, says so, and that is what a restart gets.
    for _ in 0..30 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
        harness.run();
    }
    assert!((harness.ctx.zoom_factor() - 3.0).abs() < 0.01, "{}", harness.ctx.zoom_factor());
    let said = harness.state().status_text().unwrap_or_default();
    assert!(said.starts_with("Zoom stays between 50% and 300%."), "{said}");
    eframe::App::save(harness.state_mut(), &mut storage);
    let prefs: tandem::ui::Preferences = eframe::get_value(&storage, eframe::APP_KEY).unwrap();
    assert!((prefs.zoom - 3.0).abs() < 0.01, "{}", prefs.zoom);
}

#[test]
fn escape_closes_the_editor_and_f1_shows_the_shortcuts() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.get_by_label("Edit item");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Edit item").is_none(), "Escape closed the editor");
    harness.key_press(Key::F1);
    harness.run();
    harness.get_by_label("Keyboard shortcuts");
    harness.get_by_label("Open the focused card");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Open the focused card").is_none(), "Escape closed the help");
}

/// The real app as `startup` asks, headless, after its first frames.
fn started(startup: Startup) -> Harness<'static, TandemApp> {
    let mut harness =
        Harness::builder().with_size([1280.0, 800.0]).build_eframe(move |creation| TandemApp::new(creation, &startup));
    harness.run();
    harness
}

#[test]
fn a_data_folder_that_cannot_be_made_is_said_in_the_window_which_still_opens() {
    let folder = tempfile::tempdir().unwrap();
    // A file stands where the data folder should be.
    let in_the_way = folder.path().join("tandem");
    std::fs::write(&in_the_way, b"not a folder").unwrap();
    let startup = Startup {
        path: None,
        default_path: in_the_way.join("tandem.sqlite"),
        new_workspace: NewWorkspace::Sample,
        remember: false,
        demo: false,
        first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
    };
    let harness = started(startup);
    harness.get_by_label("Tandem could not open the workspace");
    harness.get_by_label_contains(&format!("Tandem could not create its data folder {}", in_the_way.display()));
    harness.get_by_label("Open another workspace…");
    harness.get_by_label("Create a new workspace…");
    assert_eq!(std::fs::read(&in_the_way).unwrap(), b"not a folder", "the file in the way is left as it was");
}

#[test]
fn another_card_opens_in_the_editor_at_its_top_however_far_the_last_one_was_scrolled() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    let heading = harness.get_by_label("Edit item").rect().bottom();
    common::wheel_down(&mut harness, "Edit item", 2_000.0);
    assert!(harness.get_by_label("Title").rect().top() < heading, "the first card's editor is scrolled down");

    harness.get_by_label_contains("See two weeks of delivery slots at a glance — ").click();
    harness.run();
    assert_eq!(harness.get_by_label("Title").value().as_deref(), Some("See two weeks of delivery slots at a glance"));
    assert!(harness.get_by_label("Title").rect().top() > heading, "the next card's editor starts at its title");

    // The same card in a copy of the workspace has the same item id: it too opens at its top.
    common::wheel_down(&mut harness, "Edit item", 2_000.0);
    harness.key_press(Key::Escape);
    harness.run();
    std::fs::copy(&path, folder.path().join("copy.sqlite")).unwrap();
    harness.state_mut().use_builtin_file_dialog();
    harness.get_by_label("File").click();
    harness.run();
    common::menu_entry(&harness, "Open…").click();
    harness.run();
    common::open_in_the_dialog(&mut harness, "copy.sqlite");
    harness.run();
    common::finish_jobs(&mut harness);
    assert!(harness.state().status_text().unwrap_or_default().contains("copy.sqlite"), "the copy is open");
    harness.get_by_label_contains("See two weeks of delivery slots at a glance — ").click();
    harness.run();
    assert!(harness.get_by_label("Title").rect().top() > heading, "the copy's editor starts at its title");
}

/// A slow frame (a weak laptop on a projector): the last letters typed and the click on "Save changes"
/// reach the window together, as one frame's input. The window takes them in two frames, in the order
/// they came, as its input hook does; egui alone would take the click first and lose the letters.
#[test]
fn letters_that_arrive_with_the_click_on_save_are_saved_too() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.run();
    let save = harness.get_by_label("Save changes").rect().center();
    let events = &mut harness.input_mut().events;
    events.push(egui::Event::Text(" today".to_owned()));
    events.push(egui::Event::PointerMoved(save));
    for pressed in [true, false] {
        events.push(egui::Event::PointerButton {
            pos: save,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    let mut order = tandem::ui::InputOrder::default();
    for _ in 0..4 {
        order.order(&mut harness.input_mut().events);
        harness.step();
    }
    assert!(
        titles_in(&path).contains(&"Hold a delivery slot for 30 minutes today".to_owned()),
        "the letters and the click are both taken: {:?}",
        titles_in(&path).first()
    );
}

#[test]
fn importing_a_json_document_shows_a_preview_and_merges_only_after_confirming() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let json = folder.path().join("export.json");
    {
        let (mut store, _) = tandem::store::Store::open(&path).unwrap();
        tandem::interchange::export(&mut store, tandem::interchange::Format::Json, &json).unwrap();
    }
    let mut harness = harness(&path);
    harness.state_mut().request_import(&json);
    common::finish_jobs(&mut harness);
    harness.get_by_label("Import preview");
    assert_eq!(harness.get_all_by_label("49 items").count(), 2, "the status bar and the preview's item count");
    harness.get_by_label("0 columns created, 5 matched by name");
    assert_eq!(titles_in(&path).len(), 49, "nothing is imported before confirming");
    harness.get_by_label_contains("It is one step: Ctrl+Z takes the whole import back.");
    harness.get_by_label("Import into this workspace").click();
    common::finish_jobs(&mut harness);
    assert_eq!(titles_in(&path).len(), 98);
    harness.get_by_label("98 items");
    harness.get_by_label_contains("Imported 49 items");
}

/// Every row of every table but the change journal (which keeps each write and its undo), as text.
fn plan_rows(path: &Path) -> String {
    common::rows_of(&rusqlite::Connection::open(path).unwrap(), &["journal"])
}

#[test]
fn an_import_into_the_open_workspace_is_one_undo_step_that_puts_every_table_back() {
    use egui::{Key, Modifiers};
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    // Cards with comments, labels and their colours, an archived card and moves between lists: rows in
    // most tables of the plan.
    let trello = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trello-board.json");
    let mut harness = harness(&path);
    // A change before the import: still an undo step once the import is in, below it.
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    harness.run();
    let moved = common::column_order(&path, "Ready");
    assert!(moved.contains(&"Hold a delivery slot for 30 minutes".to_owned()), "{moved:?}");
    let before = plan_rows(&path);
    import_trello(&mut harness, &trello);
    let after = plan_rows(&path);
    assert_eq!(titles_in(&path).len(), 55, "five open cards and the archived one");
    harness.get_by_label("54 items");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Undid: import 6 items from trello-board.json.");
    assert_eq!(plan_rows(&path), before, "one undo puts every table as it was before the import");
    harness.get_by_label("49 items");

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    harness.get_by_label_contains("Redid: import 6 items from trello-board.json.");
    assert_eq!(plan_rows(&path), after, "redo imports it again, exactly");
    harness.get_by_label("54 items");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(plan_rows(&path), before);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Undid: move ");
    assert_ne!(common::column_order(&path, "Ready"), moved, "the next undo takes back the move before the import");
}

/// Imports `big.json`, a JSON export of 1,500 generated items written into `folder`, into the open
/// workspace through the preview: an import large enough to be taken back on the worker thread.
fn import_a_large_file(
    harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>,
    folder: &tempfile::TempDir,
) {
    let source = folder.path().join("source.sqlite");
    tandem::demo::generate(&source, 1_500).unwrap();
    let export = folder.path().join("big.json");
    let (mut store, _) = tandem::store::Store::open(&source).unwrap();
    tandem::interchange::export(&mut store, tandem::interchange::Format::Json, &export).unwrap();
    drop(store);
    harness.state_mut().request_import(&export);
    common::finish_jobs(harness);
    harness.get_by_label("Import into this workspace").click();
    common::finish_jobs(harness);
}

#[test]
fn taking_back_a_large_import_runs_beside_the_window_and_can_be_cancelled() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let before = plan_rows(&path);
    import_a_large_file(&mut harness, &folder);
    harness.get_by_label_contains("Imported 1,500 items from ");
    let after = plan_rows(&path);
    assert!(harness.state().app().unwrap().next_undo_size(true) >= 1_000, "large enough for the worker");

    // Ctrl+Z hands the undo to the worker: the progress window is up and says what is being undone.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    assert!(harness.state().is_busy(), "the undo runs as a job");
    harness.step();
    harness.get_by_label("Undoing: import 1,500 items from big.json");
    harness.get_by_label("All or nothing: Cancel leaves the workspace as it is now.");
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("Undid: import 1,500 items from big.json.");
    harness.get_by_label("49 items");
    assert_eq!(plan_rows(&path), before, "every table as it was before the import");

    // Redo, cancelled: nothing changes and redo still offers it. Another connection holds the write
    // lock meanwhile, so that the worker is still waiting to start when Cancel is clicked.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.step();
    harness.step();
    harness.get_by_label("Redoing: import 1,500 items from big.json");
    harness.get_by_label("Cancel").click();
    harness.step();
    harness.step();
    harness.get_by_label("Cancelling… the workspace stays as it was.");
    blocker.execute_batch("ROLLBACK").unwrap();
    common::finish_jobs(&mut harness);
    harness.get_by_label("Redo cancelled; the workspace is as it was, and Ctrl+Shift+Z still offers it.");
    assert_eq!(plan_rows(&path), before, "a cancelled redo writes nothing");
    harness.get_by_label("49 items");

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("Redid: import 1,500 items from big.json.");
    assert_eq!(plan_rows(&path), after, "redo imports it again, exactly");
    harness.get_by_label("1,549 items");
}

#[test]
fn a_job_never_works_on_a_new_file_made_where_the_deleted_workspace_was() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    import_a_large_file(&mut harness, &folder);
    harness.get_by_label("1,549 items");

    // Another program deletes the workspace's file while it is open; the window notices.
    tandem::store::remove_workspace_files(&path);
    harness.run();
    harness.get_by_label_contains("Another program moved, deleted or replaced this workspace's file");
    // Before, the export made a new blank workspace where the file was and exported its empty plan.
    let out = folder.path().join("plan.json");
    harness.state_mut().request_export(tandem::interchange::Format::Json, &out);
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains(
        "The export did not start: another program moved, deleted or replaced this workspace's file",
    );
    assert!(!out.exists(), "no export of some other plan was written");
    assert!(!path.exists(), "no new workspace was made where the file was");

    // Taking back the import (a job on the worker) does not start either, and stays offered.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("The undo did not start: another program moved");
    assert!(!path.exists(), "no new workspace was made where the file was");
    assert!(harness.state().app().unwrap().next_undo_size(true) >= 1_000, "the import is still offered to undo");
    harness.get_by_label("1,549 items");
}

/// The sample workspace in `folder`, open in the app with the import preview of the Trello fixture up.
fn previewing_the_trello_fixture(folder: &tempfile::TempDir) -> (PathBuf, Harness<'static, TandemApp>) {
    let path = workspace(folder);
    let trello = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trello-board.json");
    let mut harness = harness(&path);
    harness.state_mut().request_import(&trello);
    common::finish_jobs(&mut harness);
    (path, harness)
}

#[test]
fn an_import_that_stops_keeps_saying_so_when_the_file_changed_meanwhile() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = previewing_the_trello_fixture(&folder);

    // Another program holds the write lock and renames the product; the import waits for the lock and
    // is cancelled meanwhile. (A disk that fills up mid-import leaves the file looking changed too.)
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE; UPDATE product SET name = 'Basket (renamed elsewhere)'").unwrap();
    harness.get_by_label("Import into this workspace").click();
    harness.step();
    harness.step();
    harness.get_by_label("Cancel").click();
    harness.step();
    harness.step();
    other.execute_batch("COMMIT").unwrap();
    common::finish_jobs(&mut harness);
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("Import cancelled; nothing was written.");
    assert_eq!(titles_in(&path).len(), 49, "nothing of the import was written");
    // The view shows the other program's change all the same.
    harness.get_by_label_contains("Basket (renamed elsewhere)");
}

#[test]
fn an_import_into_the_open_workspace_keeps_what_is_typed_in_other_windows() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let trello = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trello-board.json");
    let mut harness = harness(&path);
    // A new name typed in the People window, not yet saved.
    harness.get_by_label("👥 People").click();
    harness.run();
    harness.run();
    harness.get_by_label("Rename Omar Haddad").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("Rename Omar Haddad to").type_text("Omar K. Haddad");
    harness.run();
    // And a release's notes typed on the roadmap.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    harness.get_by_label_contains("Release Release 3.2 on").click();
    harness.run();
    harness.get_by_label("Name").type_text(" beta");
    harness.run();

    import_trello(&mut harness, &trello);
    harness.get_by_label("54 items");
    assert_eq!(
        harness.get_by_label("Name").value().as_deref(),
        Some("Release 3.2 beta"),
        "the release window kept its typing"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    assert_eq!(
        harness.get_by_label("Rename Omar Haddad to").value().as_deref(),
        Some("Omar K. Haddad"),
        "the People window kept its typing"
    );
}

/// Asks the window to close, as its ✖ or the desktop does.
fn request_close(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>) {
    let root = harness.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default();
    root.events.push(egui::ViewportEvent::Close);
}

/// Whether the last frame told the window to close (`true`) or not to (`false`), if it said either.
fn closing(harness: &egui_kittest::Harness<'static, tandem::ui::TandemApp>) -> Option<bool> {
    let commands = &harness.output().viewport_output.get(&egui::ViewportId::ROOT)?.commands;
    commands.iter().rev().find_map(|command| match command {
        egui::ViewportCommand::Close => Some(true),
        egui::ViewportCommand::CancelClose => Some(false),
        _ => None,
    })
}

#[test]
fn closing_the_window_while_an_undo_runs_waits_for_it_instead_of_dropping_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let before = plan_rows(&path);
    import_a_large_file(&mut harness, &folder);

    // The undo waits for the write lock another connection holds; meanwhile the window is asked to close.
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.step();
    harness.step();
    request_close(&mut harness);
    harness.step();
    assert_eq!(closing(&harness), Some(false), "the window stays while the undo runs");
    harness.step();
    harness.get_by_label("Tandem closes once this is done. Cancel stops it, and Tandem then closes.");
    blocker.execute_batch("ROLLBACK").unwrap();

    // Once it is done, the window closes, with the undo made.
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while closing(&harness) != Some(true) {
        assert!(std::time::Instant::now() < deadline, "the window never closed");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    assert_eq!(plan_rows(&path), before, "the undo was made before the window closed");
}

/// Imports the Trello fixture into the open workspace through the preview.
/// The sample in a window, with the Trello fixture imported into it through the preview: the file,
/// the window, and every table's rows as they were before the import.
fn with_trello_imported(
    folder: &tempfile::TempDir,
) -> (PathBuf, egui_kittest::Harness<'static, tandem::ui::TandemApp>, String) {
    let path = workspace(folder);
    let trello = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trello-board.json");
    let mut harness = harness(&path);
    let before = plan_rows(&path);
    import_trello(&mut harness, &trello);
    (path, harness, before)
}

fn import_trello(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>, trello: &Path) {
    harness.state_mut().request_import(trello);
    common::finish_jobs(harness);
    harness.get_by_label("It is one step: Ctrl+Z takes the whole import back.");
    harness.get_by_label("Import into this workspace").click();
    common::finish_jobs(harness);
    harness.get_by_label_contains("Imported 6 items from ");
    harness.get_by_label_contains("Ctrl+Z takes the whole import back.");
}

#[test]
fn an_import_whose_cards_were_changed_elsewhere_is_not_taken_back_and_says_why() {
    use egui::{Key, Modifiers};
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness, _) = with_trello_imported(&folder);
    // Another window edits an imported card: the import can no longer be taken back whole.
    {
        let mut other = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
        let mut item = other.workspace().items().find(|item| item.title == "Show delivery slots").unwrap().clone();
        item.title = "Show delivery slots, edited elsewhere".to_owned();
        other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(item))).unwrap();
    }
    let edited = plan_rows(&path);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("The import cannot be undone: records it changed have been changed again since.");
    assert_eq!(plan_rows(&path), edited, "nothing was changed");
    let shown = harness.state().app().unwrap().workspace().items().any(|item| item.title.ends_with("edited elsewhere"));
    assert!(shown, "the window shows the other window's edit");
}

#[test]
fn a_trello_board_can_be_imported_as_a_new_workspace_which_then_opens() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness) = previewing_the_trello_fixture(&folder);
    harness.get_by_label_contains("Trello board 'Basket web'");
    harness.get_by_label_contains("archived list 'Parked ideas' skipped");
    harness.get_by_label("Create a new workspace").click();
    harness.run();
    harness.get_by_label("3 columns created, 0 matched by name");
    let expected = folder.path().join("Basket web.sqlite");
    assert_eq!(harness.get_by_label("New workspace file:").value().as_deref(), Some(expected.to_str().unwrap()));
    harness.get_by_label("Create workspace and import").click();
    common::finish_jobs(&mut harness);
    assert_eq!(titles_in(&expected).len(), 6, "five open cards and the archived one");
    assert_eq!(titles_in(&path).len(), 49, "the open workspace is untouched");
    harness.get_by_label("5 items");
    harness.get_by_label_contains("into the new workspace");
    harness.get_by_label_contains("Show delivery slots — ");
}

#[test]
fn the_import_preview_offers_the_cards_of_archived_trello_lists_and_reads_the_file_again_with_them() {
    let folder = tempfile::tempdir().unwrap();
    let (_, mut harness) = previewing_the_trello_fixture(&folder);
    harness.get_by_label("Create a new workspace").click();
    harness.run();
    let option = "Also import the 1 card of archived lists, as archived items";
    assert_eq!(harness.get_by_label(option).accesskit_node().toggled(), Some(egui::accesskit::Toggled::False));
    harness.get_by_label(option).click();
    common::finish_jobs(&mut harness);
    assert_eq!(
        harness.get_by_label(option).accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True),
        "read again with the cards"
    );
    harness.get_by_label_contains("1 card of archived lists → archived items");
    assert!(harness.query_by_label_contains("archived list 'Parked ideas' skipped").is_none());
    let expected = folder.path().join("Basket web.sqlite");
    assert_eq!(
        harness.get_by_label("New workspace file:").value().as_deref(),
        Some(expected.to_str().unwrap()),
        "the choice of a new workspace stays through the second reading"
    );
    harness.get_by_label("Create workspace and import").click();
    common::finish_jobs(&mut harness);
    let titles = titles_in(&expected);
    assert_eq!(titles.len(), 7, "five open cards, the archived one and the card of the archived list");
    assert!(titles.iter().any(|title| title == "Gift wrapping"));
}

#[test]
fn exporting_runs_in_the_background_and_reports_where_the_file_went() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let out = folder.path().join("plan.json");
    let mut harness = harness(&path);
    harness.state_mut().request_export(tandem::interchange::Format::Json, &out);
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("Exported to");
    let document = tandem::interchange::read_document(&out, None).unwrap();
    assert_eq!(document.items.len(), 49);
}

/// Types `text` at the end of the Title field of the open editor.
fn type_in_title(harness: &mut Harness<'static, TandemApp>, text: &str) {
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press(Key::End);
    harness.run();
    harness.get_by_label("Title").type_text(text);
    harness.run();
}

#[test]
fn unsaved_edits_are_never_thrown_away_without_asking() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let before = titles_in(&path);
    let mut harness = harness(&path);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    type_in_title(&mut harness, " (draft)");
    harness.get_by_label_contains("not saved yet");

    // Esc asks; Keep editing keeps every typed letter.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Unsaved changes");
    assert_eq!(titles_in(&path), before, "nothing is stored while asking");
    harness.get_by_label("Keep editing").click();
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none());
    harness.get_by_label("Edit item");

    // Another card asks too; Save stores the edit, then opens the other card.
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ").click();
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Save").click();
    harness.run();
    assert!(titles_in(&path).contains(&"Hold a delivery slot for 30 minutes (draft)".to_owned()));
    let editor = harness.state().editor_title();
    assert_eq!(editor.as_deref(), Some("Apple Pay and Google Pay at checkout"));

    // The ✖ button asks as well; Discard closes without storing, and says so.
    type_in_title(&mut harness, " (never)");
    harness.get_by_label("✖ Close").click();
    harness.run();
    harness.get_by_label("Discard").click();
    harness.run();
    assert!(harness.query_by_label("Edit item").is_none());
    assert!(!titles_in(&path).iter().any(|title| title.ends_with("(never)")));
    harness.get_by_label_contains("Discarded the unsaved changes");

    // New item with edits, then Ctrl+N again: asked, not replaced.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.get_by_label("Title").type_text("Half-typed idea");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.get_by_label("Unsaved changes");
}

#[test]
fn new_item_puts_the_cursor_in_title_and_enter_keeps_it_in_the_criterion_field() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    // No click: the first keystrokes land in Title.
    harness.get_by_label("Title").type_text("Typed at once");
    harness.run();
    harness.get_by_label("New criterion").click();
    harness.run();
    for criterion in ["Shows the total", "Works with a screen reader"] {
        harness.get_by_label("New criterion").type_text(criterion);
        harness.run();
        harness.key_press(Key::Enter);
        harness.run();
    }
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    let connection = rusqlite::Connection::open(&path).unwrap();
    let rows: Vec<(String, bool)> = connection
        .prepare(
            "SELECT c.text, c.done FROM acceptance_criteria c JOIN items i USING (item_id) \
             WHERE i.title = 'Typed at once' ORDER BY c.position",
        )
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![("Shows the total".to_owned(), false), ("Works with a screen reader".to_owned(), false)],
        "both criteria were typed into the field, and none was ticked by a keystroke"
    );
}

/// The card every editor test edits.
const EDITED: &str = "Hold a delivery slot for 30 minutes";

/// The sample open with `EDITED` in the editor and " for everyone" typed after its title, and a second
/// window on the same file with the item as it sees it.
fn editing_beside_another_window(
    folder: &tempfile::TempDir,
) -> (std::path::PathBuf, Harness<'static, TandemApp>, tandem::app::App, tandem::model::BacklogItem) {
    let path = workspace(folder);
    let mut harness = harness(&path);
    harness.get_by_label_contains(&format!("{EDITED} — ")).click();
    harness.run();
    type_in_title(&mut harness, " for everyone");
    let other = tandem::app::App::open(&path, NewWorkspace::Blank).unwrap();
    let item = other.workspace().items().find(|item| item.title == EDITED).unwrap().clone();
    (path, harness, other, item)
}

#[test]
fn a_change_from_another_window_shows_within_a_frame_and_merges_into_the_open_editor() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness, mut other, item) = editing_beside_another_window(&folder);
    let title = EDITED;

    // Meanwhile another window estimates the same card and moves it to Done.
    let done = other.workspace().columns[4].column_id;
    let mut estimated = item.clone();
    estimated.points = Some(21.0);
    other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(estimated))).unwrap();
    other
        .apply(tandem::app::Command::Item(tandem::app::ItemCommand::Move {
            item_id: item.item_id,
            target: tandem::store::MoveTarget { column_id: done, after_item: None },
        }))
        .unwrap();

    harness.run();
    harness.get_by_label_contains("changed in another window or program");
    harness.get_by_label("Save changes").click();
    harness.run();
    let connection = rusqlite::Connection::open(&path).unwrap();
    let (stored_title, points, column): (String, f64, i64) = connection
        .query_row("SELECT title, points, column_id FROM items WHERE item_id = ?1", [item.item_id.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!(stored_title, format!("{title} for everyone"), "this window's edit is kept");
    assert!((points - 21.0).abs() < f64::EPSILON, "the other window's estimate is kept");
    assert_eq!(column, done.0, "and so is its move");
}

/// The title of item `item_id` in the file.
fn stored_title(path: &std::path::Path, item_id: tandem::model::ItemId) -> String {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT title FROM items WHERE item_id = ?1", [item_id.0], |row| row.get(0))
        .unwrap()
}

#[test]
fn a_field_changed_in_the_editor_and_in_another_window_is_never_replaced_without_a_choice() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness, mut other, item) = editing_beside_another_window(&folder);
    let title = EDITED;

    // Meanwhile another window renames the same card, differently.
    let mut renamed = item.clone();
    renamed.title = "Hold a slot while the basket fills".to_owned();
    other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(renamed))).unwrap();
    harness.run();

    // The window says so, and the editor shows both values.
    harness.get_by_label_contains("both sides changed its title");
    harness.get_by_label_contains("theirs is “Hold a slot while the basket fills”");
    assert_eq!(harness.get_by_label("Title").value().as_deref(), Some(format!("{title} for everyone").as_str()));

    // Saving waits for a choice, and the other window's title stays in the file meanwhile.
    harness.get_by_label("Save changes").click();
    harness.run();
    harness.get_by_label_contains("Not saved yet: another window or program also changed the title");
    assert_eq!(stored_title(&path, item.item_id), "Hold a slot while the basket fills");

    // Keeping mine saves mine.
    harness.get_by_label("Keep my title").click();
    harness.run();
    assert!(harness.query_by_label_contains("Not saved yet").is_none(), "the refusal is gone once decided");
    harness.get_by_label("Save changes").click();
    harness.run();
    assert_eq!(stored_title(&path, item.item_id), format!("{title} for everyone"));

    // Again, and this time take theirs: the editor shows it and has nothing left to save.
    type_in_title(&mut harness, " today");
    other.follow_external_changes().unwrap();
    let mut renamed = other.workspace().item(item.item_id).unwrap().clone();
    renamed.title = "Their second title".to_owned();
    other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(renamed))).unwrap();
    harness.run();
    // Leaving the editor and answering Save does not skip the choice either.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Unsaved changes");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label_contains("Not saved yet: another window or program also changed the title");
    assert_eq!(stored_title(&path, item.item_id), "Their second title");
    harness.get_by_label("Use their title").click();
    harness.run();
    assert_eq!(harness.get_by_label("Title").value().as_deref(), Some("Their second title"));
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Unsaved changes").is_none(), "taking theirs left nothing unsaved");
    assert_eq!(stored_title(&path, item.item_id), "Their second title");
}

#[test]
fn an_item_deleted_elsewhere_while_edited_keeps_the_draft_as_a_new_item_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness, mut other, item) = editing_beside_another_window(&folder);
    let title = EDITED;

    other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Delete(item.item_id))).unwrap();
    harness.run();

    let said = format!("'{title} for everyone' was deleted (by an undo, or in another window or program)");
    assert_eq!(harness.query_all_by_label_contains(&said).count(), 2, "said in the editor and in the status bar");
    harness.get_by_label("New item");
    harness.get_by_label("Create item").click();
    harness.run();
    assert!(titles_in(&path).contains(&format!("{title} for everyone")), "the draft was created again");
}

#[test]
fn opening_another_workspace_shows_only_its_own_cards() {
    let folder = tempfile::tempdir().unwrap();
    let first = workspace(&folder);
    let second = folder.path().join("second.sqlite");
    {
        let mut app = tandem::app::App::open(&second, NewWorkspace::Blank).unwrap();
        let backlog = app.workspace().columns[0].column_id;
        let item = tandem::model::BacklogItem::new(
            tandem::model::ItemKind::Story,
            "Only in the second delivery plan",
            backlog,
            tandem::model::Timestamp::now(),
        );
        app.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Create(item))).unwrap();
    }
    let mut harness = harness(&first);
    // A filtered board fills the caches with the first workspace's rows: none match here.
    harness.get_by_label("🔍 Search").click();
    harness.run();
    harness.get_by_label("🔍 Search").type_text("second delivery");
    harness.run();
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes").is_none());
    harness.state_mut().request_open(&second);
    harness.run();
    harness.get_by_label_contains("Only in the second delivery plan — ");
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes").is_none());
    harness.get_by_label("1 items");
}

/// The app with Tandem's own file dialog, as on a desktop without a file-dialog portal.
fn harness_with_builtin_dialog(path: &Path) -> Harness<'static, TandemApp> {
    let mut harness = harness(path);
    harness.state_mut().use_builtin_file_dialog();
    harness
}

/// File ▸ `item` (inside the `submenu` when given).
fn file_menu(harness: &mut Harness<'static, TandemApp>, submenu: Option<&str>, item: &str) {
    harness.get_by_label("File").click();
    harness.run();
    if let Some(submenu) = submenu {
        harness.get_by_label(submenu).hover();
        harness.run();
    }
    harness.get_by_label_contains(item).click();
    harness.run();
}

/// Replaces the file name in the open file dialog.
fn type_file_name(harness: &mut Harness<'static, TandemApp>, name: &str) {
    harness.get_by_label("File name").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("File name").type_text(name);
    harness.run();
}

fn items_in(path: &Path) -> i64 {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row("SELECT count(*) FROM items", [], |row| row.get(0)).unwrap()
}

#[test]
fn opening_an_export_shows_the_import_preview_for_a_new_workspace_made_from_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let export = folder.path().join("handed over.json");
    {
        let (mut store, _) = tandem::store::Store::open(&path).unwrap();
        tandem::interchange::export(&mut store, tandem::interchange::Format::Json, &export).unwrap();
    }
    let before = plan_rows(&path);
    let mut harness = harness_with_builtin_dialog(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    type_file_name(&mut harness, &export.display().to_string());
    harness.get_by_label("Open").click();
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("handed over.json is a Tandem JSON document, not a workspace");
    harness.get_by_label("Import preview");
    harness.get_by_label("The new workspace opens when the import finishes; this one stays as it is.");
    harness.get_by_label("Create workspace and import").click();
    common::finish_jobs(&mut harness);
    assert_eq!(plan_rows(&path), before, "the open workspace is left as it was");
    let made = harness.state().app().unwrap().path().to_owned();
    assert_ne!(made, path);
    assert_eq!(items_in(&made), 49, "the new workspace holds what the export held");
    harness.get_by_label("49 items");

    // A file that is neither a workspace nor an export is said to be what it is, not a damaged database.
    let contacts = folder.path().join("contacts.csv");
    std::fs::write(&contacts, "Name,Email\nAda,ada@example.com\n").unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    type_file_name(&mut harness, &contacts.display().to_string());
    harness.get_by_label("Open").click();
    harness.run();
    harness
        .get_by_label_contains("contacts.csv is not a Tandem workspace, nor a file Tandem can import: its first line");
    assert_eq!(std::fs::read_to_string(&contacts).unwrap(), "Name,Email\nAda,ada@example.com\n", "left as it was");
    assert_eq!(harness.state().app().unwrap().path(), made, "the workspace stays open");

    // Nor is an empty file made into a workspace by opening it.
    let empty = folder.path().join("notes.txt");
    std::fs::write(&empty, "").unwrap();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run();
    type_file_name(&mut harness, &empty.display().to_string());
    harness.get_by_label("Open").click();
    harness.run();
    harness.get_by_label_contains("notes.txt is empty, so it holds no workspace; it was left as it was.");
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0, "left as it was");
    assert_eq!(harness.state().app().unwrap().path(), made, "the workspace stays open");
}

#[test]
fn a_new_workspace_is_never_offered_to_replace_a_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let other = common::sample_workspace(&folder, "other plan.sqlite");
    let before = plan_rows(&other);
    let mut harness = harness_with_builtin_dialog(&path);
    file_menu(&mut harness, None, "New workspace…");
    type_file_name(&mut harness, "other plan");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label(
        "⚠ other plan.sqlite already exists, and a new workspace never replaces a file. Choose another name.",
    );
    assert!(harness.query_by_label_contains("Press Save again to replace it").is_none());
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label("Create a new workspace");
    assert_eq!(plan_rows(&other), before, "the other plan is left as it was");
    assert_eq!(harness.state().app().unwrap().path(), path, "the open workspace stays open");

    // A file where a folder should be, and a folder that is not there, are each said as such.
    let inside = other.join("inside");
    type_file_name(&mut harness, &inside.to_string_lossy());
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label(&format!(
        "⚠ {} is a file, not a folder: choose a folder to save inside.sqlite in.",
        other.display()
    ));
    let nowhere = folder.path().join("no such folder").join("plan");
    type_file_name(&mut harness, &nowhere.to_string_lossy());
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label_contains("does not exist: choose one that does, or create it first.");
    assert_eq!(plan_rows(&other), before, "the other plan is left as it was");
    assert!(!folder.path().join("no such folder").exists());
}

#[test]
fn saving_a_copy_and_exporting_work_through_the_built_in_file_dialog() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness_with_builtin_dialog(&path);

    file_menu(&mut harness, None, "Save a copy…");
    harness.get_by_label("Save a copy of the workspace");
    type_file_name(&mut harness, "backup");
    harness.get_by_label("Save").click();
    harness.run();
    let copy = folder.path().join("backup.sqlite");
    assert_eq!(items_in(&copy), 49, "the copy was written, with the ending added");
    harness.get_by_label_contains("Saved a copy to");

    // A second copy onto the same name asks before replacing.
    file_menu(&mut harness, None, "Save a copy…");
    type_file_name(&mut harness, "backup.sqlite");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label_contains("already exists. Press Save again to replace it");
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(items_in(&copy), 49);

    // The open workspace itself (or its write-ahead log) is refused in the dialog, with a sentence,
    // never offered as a file to replace, and stays whole.
    file_menu(&mut harness, None, "Save a copy…");
    type_file_name(&mut harness, "plan.sqlite");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label(
        "⚠ plan.sqlite is the workspace open in this window (or a file SQLite keeps beside it): nothing may be \
         written over it. Choose another name.",
    );
    assert!(harness.query_by_label_contains("Press Save again to replace it").is_none());
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label("Save a copy of the workspace");
    type_file_name(&mut harness, "plan.sqlite-wal");
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label_contains("plan.sqlite-wal is the workspace open in this window");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert_eq!(items_in(&path), 49);

    file_menu(&mut harness, Some("Export"), "JSON document…");
    type_file_name(&mut harness, "plan.json");
    harness.get_by_label("Save").click();
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("Exported to");
    assert_eq!(tandem::interchange::read_document(&folder.path().join("plan.json"), None).unwrap().items.len(), 49);

    file_menu(&mut harness, Some("Export"), "Backlog items as CSV…");
    type_file_name(&mut harness, "items.csv");
    harness.key_press(Key::Enter);
    common::finish_jobs(&mut harness);
    assert!(std::fs::read_to_string(folder.path().join("items.csv")).unwrap().starts_with("Position,Kind,Title"));
}

#[test]
fn opening_creating_and_importing_work_through_the_built_in_file_dialog() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let json = folder.path().join("plan.json");
    tandem::interchange::export(
        &mut tandem::store::Store::open(&path).unwrap().0,
        tandem::interchange::Format::Json,
        &json,
    )
    .unwrap();
    let mut harness = harness_with_builtin_dialog(&path);

    // Cancel with Esc: nothing happens, and the status bar says so.
    file_menu(&mut harness, None, "Open…");
    harness.get_by_label("Open a Tandem workspace");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Open a Tandem workspace").is_none());
    harness.get_by_label_contains("no file was chosen");

    // A name that is not there is refused in the dialog.
    file_menu(&mut harness, None, "Open…");
    type_file_name(&mut harness, "missing.sqlite");
    harness.get_by_label("Open").click();
    harness.run();
    harness.get_by_label_contains("There is no file called missing.sqlite");
    harness.get_by_label("Cancel").click();
    harness.run();

    // File ▸ New workspace creates a blank one and opens it.
    file_menu(&mut harness, None, "New workspace…");
    type_file_name(&mut harness, "Fresh plan");
    harness.get_by_label("Save").click();
    harness.run();
    let fresh = folder.path().join("Fresh plan.sqlite");
    assert!(fresh.exists());
    assert_eq!(harness.state().app().unwrap().path(), fresh.as_path());
    harness.get_by_label("0 items");

    // File ▸ Open the sample again by picking it in the list.
    file_menu(&mut harness, None, "Open…");
    harness.get_by_label_contains("📄 plan.sqlite").click();
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    harness.get_by_label("49 items");

    // File ▸ Import shows the preview of the chosen file.
    file_menu(&mut harness, None, "Import…");
    type_file_name(&mut harness, "plan.json");
    harness.get_by_label("Open").click();
    common::finish_jobs(&mut harness);
    harness.get_by_label("Import preview");
}

#[test]
fn an_import_from_the_command_line_while_the_app_is_open_shows_at_once() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let json = folder.path().join("plan.json");
    tandem::interchange::export(
        &mut tandem::store::Store::open(&path).unwrap().0,
        tandem::interchange::Format::Json,
        &json,
    )
    .unwrap();
    let mut harness = harness(&path);
    harness.get_by_label("49 items");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tandem"))
        .args(["import", &json.display().to_string(), "--db", &path.display().to_string()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    harness.run();
    harness.get_by_label("98 items");
    harness.get_by_label_contains("changed in another window or program");
}

#[test]
fn a_change_while_another_program_holds_the_file_waits_without_freezing_and_is_saved_when_free() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    harness.get_by_label("Title").type_text("Saved once the lock is gone");
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run();
    harness.get_by_label_contains("Another program is using this workspace right now");
    assert!(!titles_in(&path).contains(&"Saved once the lock is gone".to_owned()));

    other.execute_batch("ROLLBACK").unwrap();
    harness.step();
    harness.run();
    assert!(titles_in(&path).contains(&"Saved once the lock is gone".to_owned()), "saved as soon as the file was free");
    harness.get_by_label_contains("Created 'Saved once the lock is gone'");
}

#[test]
fn a_change_waiting_for_the_file_keeps_the_window_and_the_workspace_open_until_it_is_saved() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let other_path = folder.path().join("other.sqlite");
    tandem::app::App::open(&other_path, NewWorkspace::Blank).unwrap();
    let mut harness = harness(&path);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    harness.run();
    harness.get_by_label_contains("Another program is using this workspace right now");

    // Neither opening another workspace nor closing the window drops the change (or makes it there).
    harness.state_mut().request_open(&other_path);
    harness.run();
    harness.step();
    harness.get_by_label_contains("Not yet: your last change is still waiting for another program");
    assert_eq!(harness.state().app().unwrap().path(), path.as_path(), "still on the same workspace");
    request_close(&mut harness);
    harness.step();
    assert_eq!(closing(&harness), Some(false), "the window stays");

    other.execute_batch("ROLLBACK").unwrap();
    harness.step();
    harness.run();
    harness.get_by_label_contains("Moved ");
    assert!(common::column_order(&path, "Ready").contains(&"Hold a delivery slot for 30 minutes".to_owned()));
}

#[test]
fn windows_of_the_previous_workspace_close_when_another_opens_so_nothing_is_saved_onto_a_stranger() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let other_path = folder.path().join("other.sqlite");
    tandem::app::App::open(&other_path, NewWorkspace::Sample).unwrap();
    {
        // The other workspace's first columns and first KPI carry other names under the same ids.
        let connection = rusqlite::Connection::open(&other_path).unwrap();
        connection
            .execute_batch(
                "UPDATE board_columns SET name = 'Other ' || name; UPDATE metrics SET name = 'Other ' || name;",
            )
            .unwrap();
    }
    let other_before = common::rows_of(&rusqlite::Connection::open(&other_path).unwrap(), &["journal"]);
    let mut harness = harness(&path);
    // A filter by epic, the Ready column's settings and the people window, none with unsaved changes.
    harness.get_by_label("Ready column menu").click();
    harness.run();
    harness.get_by_label("Rename, WIP limit, done…").click();
    harness.run();
    harness.get_by_label("Column settings");
    harness.state_mut().request_open(&other_path);
    harness.run();
    harness.step();
    assert_eq!(harness.state().app().unwrap().path(), other_path.as_path());
    assert!(harness.query_by_label("Column settings").is_none(), "the old column's settings closed");
    harness.get_by_label("Other Ready column menu");

    // The KPI editor too.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    harness.get_by_label("Open chart: Other Net Promoter Score").click();
    harness.run();
    harness.get_by_label("Edit KPI…").click();
    harness.run();
    harness.get_by_label("Save KPI");
    harness.state_mut().request_open(&path);
    harness.run();
    harness.step();
    assert!(harness.query_by_label("Save KPI").is_none(), "the old KPI's editor closed");
    assert!(
        harness.query_by_label_contains("Other Net Promoter Score").is_none(),
        "nothing of the other workspace shows"
    );
    assert_eq!(
        common::rows_of(&rusqlite::Connection::open(&other_path).unwrap(), &["journal"]),
        other_before,
        "nothing was written to the other workspace"
    );
}

#[test]
fn ctrl_f_puts_the_cursor_in_the_board_search() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    // No click: typing goes straight into the search field and filters the board.
    harness.get_by_label("🔍 Search").type_text("Apple Pay");
    harness.run();
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ");
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes").is_none());
}

#[test]
fn a_demo_copy_says_that_nothing_is_kept() {
    let folder = tempfile::tempdir().unwrap();
    // The demo copy in a scratch folder (the system's temporary one), the user's workspaces elsewhere.
    let scratch = folder.path().join("scratch");
    let kept = folder.path().join("data");
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::create_dir_all(&kept).unwrap();
    let path = scratch.join("demo.sqlite");
    let startup = Startup {
        path: Some(path.clone()),
        default_path: kept.join("tandem.sqlite"),
        new_workspace: NewWorkspace::Sample,
        remember: false,
        demo: true,
        first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
    };
    let mut harness = started(startup);
    harness.get_by_label("Demo copy: nothing is kept when the window closes");

    // An import into it would be thrown away with it: the preview proposes a new workspace, and says why
    // when merging is chosen.
    let trello = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trello-board.json");
    harness.state_mut().request_import(&trello);
    common::finish_jobs(&mut harness);
    harness.get_by_label("Create workspace and import");
    // Where the user's workspaces are, not beside the demo copy in the temporary folder.
    let proposed = harness.get_by_label("New workspace file:").value().unwrap_or_default();
    assert!(proposed.starts_with(&kept.display().to_string()), "{proposed}");
    harness.get_by_label("Merge into this workspace").click();
    harness.run();
    harness.get_by_label_contains("This window shows a demo copy: what is merged into it is thrown away");
    harness.get_by_label("Cancel").click();
    harness.run();

    // A copy saved from it goes to the user's folder, and the status says the window still shows the demo.
    harness.state_mut().use_builtin_file_dialog();
    file_menu(&mut harness, None, "Save a copy…");
    type_file_name(&mut harness, "keep");
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(items_in(&kept.join("keep.sqlite")), 49, "saved where the user's workspaces are");
    harness.get_by_label_contains("This window still shows the demo copy, which is not kept");
}

#[test]
fn the_focus_moves_into_the_editor_and_back_to_the_card_and_f10_or_alt_opens_the_menus() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let card = "Hold a delivery slot for 30 minutes — ";
    // Keyboard only: an arrow selects the first card, Enter opens it with the cursor in Title.
    harness.key_press(Key::ArrowDown);
    harness.run();
    #[expect(
        clippy::redundant_closure_for_method_calls,
        reason = "the method path is not general enough over lifetimes"
    )]
    let focused: Vec<String> = harness
        .get_all_by(|node| node.is_focused())
        .map(|node| node.accesskit_node().label().unwrap_or_default())
        .collect();
    assert!(harness.get_by_label_contains(card).is_focused(), "the first card has the focus, not {focused:?}");
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Edit item");
    assert!(harness.get_by_label("Title").is_focused(), "the editor took the focus");
    // Esc leaves the title field, a second Esc closes the editor; the focus is back on the card.
    harness.key_press(Key::Escape);
    harness.run();
    if harness.query_by_label("Edit item").is_some() {
        harness.key_press(Key::Escape);
        harness.run();
    }
    assert!(harness.query_by_label("Edit item").is_none(), "the editor closed");
    assert!(harness.get_by_label_contains(card).is_focused(), "the focus went back to the card");

    // The help window too gives the focus back when it closes.
    harness.key_press(Key::F1);
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.get_by_label_contains(card).is_focused(), "back on the card after the help");

    // F10 opens the File menu with the focus on it; Esc closes it.
    harness.key_press(Key::F10);
    harness.run();
    harness.get_by_label("New workspace…");
    assert!(harness.get_by_label("File").is_focused(), "the menu bar has the focus");
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(harness.get_by_label("New workspace…").is_focused(), "the arrows walk the menu");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("New workspace…").is_none(), "Esc closed the menu");

    // Alt and a menu's first letter open that menu with the focus on it, as on most desktops.
    harness.key_press_modifiers(Modifiers::ALT, Key::E);
    harness.run();
    assert!(harness.get_by_label("Edit").is_focused(), "Alt+E: the Edit menu has the focus");
    harness.get_by_label("Product name and vision…");
    harness.key_press_modifiers(Modifiers::ALT, Key::H);
    harness.run();
    assert!(harness.query_by_label("Product name and vision…").is_none(), "one menu at a time");
    assert!(harness.get_by_label("Help").is_focused(), "Alt+H: the Help menu has the focus");
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(harness.get_by_label_contains("Keyboard shortcuts").is_focused());
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label_contains("Open the File / Edit / View / Help menu");
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::ALT, Key::F);
    harness.run();
    assert!(harness.get_by_label("File").is_focused(), "Alt+F: the File menu has the focus");
    harness.get_by_label("New workspace…");
}

#[test]
fn the_open_workspace_is_never_exported_over_nor_imported_into_itself() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    let titles = titles_in(&path);
    for format in
        [tandem::interchange::Format::Json, tandem::interchange::Format::Csv, tandem::interchange::Format::Sqlite]
    {
        harness.state_mut().request_export(format, &path);
        common::finish_jobs(&mut harness);
        harness.get_by_label_contains("That is the open workspace itself, so the export cannot be written over it");
        assert_eq!(titles_in(&path), titles, "the workspace is still a workspace, as it was ({format:?})");
    }
    harness.state_mut().request_import(&path);
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("everything in it is already here, so nothing was imported");
    assert!(harness.query_by_label("Import preview").is_none());
    assert_eq!(titles_in(&path), titles);

    // The window still saves where everyone else reads.
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    type_in_title(&mut harness, " (kept)");
    harness.get_by_label("Save changes").click();
    harness.run();
    assert!(titles_in(&path).iter().any(|title| title == "Hold a delivery slot for 30 minutes (kept)"));
}

#[test]
fn a_workspace_replaced_under_the_window_is_said_and_not_written_into_the_void() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    // A sync client puts another version of the file in its place.
    let other = folder.path().join("incoming.sqlite");
    std::fs::copy(&path, &other).unwrap();
    {
        let connection = rusqlite::Connection::open(&other).unwrap();
        connection.execute("UPDATE items SET title = 'From the other laptop' WHERE item_id = 1", []).unwrap();
    }
    std::fs::rename(&other, &path).unwrap();
    let theirs = titles_in(&path);
    // Said as soon as the window looks, once.
    harness.run();
    let status = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(status.contains("Another program moved, deleted or replaced this workspace's file"), "{status}");
    harness.get_by_label("⚠ Not saving: the file is no longer where it was opened");
    harness.run();
    assert_eq!(harness.state().status_text().unwrap_or_default(), status, "not repeated every frame");

    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    let status = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(status.contains("so this change was not saved"), "{status}");
    assert_eq!(titles_in(&path), theirs, "the new file is left as it came");
}

fn product_name(path: &Path) -> (String, String) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row("SELECT name, vision FROM product", [], |row| Ok((row.get(0)?, row.get(1)?))).unwrap()
}

#[test]
fn the_product_is_named_and_given_a_vision_from_the_edit_menu_or_its_name() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);

    harness.get_by_label("Edit").click();
    harness.run();
    common::menu_entry(&harness, "Product name and vision…").click();
    harness.run();
    // The name field has the focus: select all and type over it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Product name").type_text("Basket Pro");
    harness.run();
    harness.get_by_label("Save product").click();
    harness.run();
    assert_eq!(product_name(&path).0, "Basket Pro");
    harness.get_by_label("Basket Pro");
    harness.get_by_label_contains("Renamed the product to 'Basket Pro'.");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(product_name(&path).0, "Basket", "one undo step");

    // The name above the views opens the same window; typing and Esc asks before throwing it away.
    harness.get_by_label("Basket").click();
    harness.run();
    harness.get_by_label("Vision").click();
    harness.run();
    harness.get_by_label("Vision").type_text(" Typed and not saved.");
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label_contains("Your changes to the product 'Basket' are not saved. Discard them?");
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert!(harness.query_by_label("Save product").is_none(), "the window closed");
    assert!(!product_name(&path).1.contains("Typed and not saved"));

    // An empty name is refused in a sentence, and nothing is written.
    harness.get_by_label("Basket").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run();
    harness.get_by_label("Save product").click();
    harness.run();
    harness.get_by_label_contains("product name");
    assert_eq!(product_name(&path).0, "Basket");
}

#[test]
fn saving_only_the_vision_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    harness.get_by_label("Basket").click();
    harness.run();
    harness.get_by_label("Vision").click();
    harness.run();
    harness.get_by_label("Vision").type_text(" For busy families.");
    harness.get_by_label("Save product").click();
    harness.run();
    harness.get_by_label_contains("Saved the vision of 'Basket'.");
    assert!(product_name(&path).1.contains(" For busy families."), "{:?}", product_name(&path));
}

#[test]
fn opening_the_card_already_in_the_editor_again_keeps_what_is_typed() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let before = titles_in(&path);
    let mut harness = harness(&path);
    let card = "Hold a delivery slot for 30 minutes — ";
    harness.get_by_label_contains(card).click();
    harness.run();
    type_in_title(&mut harness, " (draft)");
    let typed = Some("Hold a delivery slot for 30 minutes (draft)".to_owned());

    // A click on the same card keeps the draft.
    harness.get_by_label_contains(card).click();
    harness.run();
    assert_eq!(harness.state().editor_title(), typed, "a click on the open card kept the draft");
    // So does Space or Enter on it from the keyboard, which puts the cursor back in the editor.
    for key in [Key::Space, Key::Enter] {
        harness.get_by_label_contains(card).focus();
        harness.run();
        harness.key_press(key);
        harness.run();
        assert_eq!(harness.state().editor_title(), typed, "{key:?} on the open card kept the draft");
    }
    assert!(harness.get_by_label("Title").is_focused(), "the cursor is back in the editor");
    harness.get_by_label_contains("not saved yet");
    assert_eq!(titles_in(&path), before, "nothing was stored");
}

/// Opens a column's settings from its menu (reached through AccessKit: a window may lie over it).
fn column_settings(harness: &mut Harness<'static, TandemApp>, column: &str) {
    harness.get_by_label(&format!("{column} column menu")).click_accesskit();
    harness.run();
    harness.get_by_label("Rename, WIP limit, done…").click();
    harness.run();
}

#[test]
fn another_window_of_a_kind_never_replaces_one_with_unsaved_changes() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let mut harness = harness(&path);
    column_settings(&mut harness, "Ready");
    harness.get_by_label("Column name").click();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("Column name").type_text(" for sprint");
    harness.run();

    // Another column's settings do not open over it: what is typed stays, and the window says why.
    column_settings(&mut harness, "Backlog");
    assert_eq!(harness.get_by_label("Column name").value().as_deref(), Some("Ready for sprint"));
    harness.get_by_label_contains(
        "The column 'Ready' has changes that are not saved: save or cancel them in its window first, then open the column 'Backlog'.",
    );
    // The same column's settings opened again keep it too.
    column_settings(&mut harness, "Ready");
    assert_eq!(harness.get_by_label("Column name").value().as_deref(), Some("Ready for sprint"));

    // So does the product's window, opened twice.
    harness.get_by_label("Basket").click_accesskit();
    harness.run();
    harness.get_by_label("Vision").focus();
    harness.run();
    harness.key_press(Key::End);
    harness.get_by_label("Vision").type_text(" Typed and not saved.");
    harness.run();
    harness.get_by_label("Edit").click();
    harness.run();
    common::menu_entry(&harness, "Product name and vision…").click();
    harness.run();
    assert!(harness.get_by_label("Vision").value().unwrap_or_default().ends_with(" Typed and not saved."));
    assert!(!product_name(&path).1.contains("Typed and not saved"), "nothing was stored");
}

#[test]
fn a_last_workspace_that_is_gone_is_said_at_start_and_not_made_again() {
    let folder = tempfile::tempdir().unwrap();
    let gone = folder.path().join("on a stick").join("plan.sqlite");
    let default_path = folder.path().join("data").join("tandem.sqlite");
    let startup = Startup {
        path: None,
        default_path: default_path.clone(),
        new_workspace: NewWorkspace::Sample,
        remember: true,
        demo: false,
        first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
    };
    let prefs = tandem::ui::Preferences {
        last_file: Some(gone.clone()),
        recent_files: vec![gone.clone()],
        welcomed: true,
        ..tandem::ui::Preferences::default()
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |creation| TandemApp::with_preferences(&creation.egui_ctx, &startup, prefs));
    harness.run();
    assert!(!gone.exists(), "the missing workspace was not made again, empty, where it was");
    assert_eq!(harness.state().app().unwrap().path(), default_path.canonicalize().unwrap().as_path());
    harness.get_by_label_contains(&format!(
        "The workspace open last time is not there any more: {}. Tandem opened {} instead. It was moved, renamed or deleted, or it is on a drive that is not connected",
        gone.display(),
        default_path.canonicalize().unwrap().display()
    ));
}

/// A file dropped on the window, as the desktop hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|error| error.to_string())
    }
}

fn drop_files(harness: &mut Harness<'static, TandemApp>, paths: &[&Path]) {
    for path in paths {
        harness
            .input_mut()
            .hovered_files
            .push(egui::HoveredFile { path: Some(path.to_path_buf()), mime: String::new() });
    }
    // Files hovering keep the window repainting: one frame of it.
    harness.step();
    harness.input_mut().hovered_files.clear();
    for path in paths {
        harness.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    }
    harness.run();
}

#[test]
fn a_file_dropped_on_the_window_shows_the_import_preview_and_nothing_is_written_before_confirming() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let trello = common_fixture("trello-board.json");
    let before = plan_rows(&path);
    let mut harness = harness(&path);

    // Two files at once: one at a time, and nothing is read.
    drop_files(&mut harness, &[&trello, &trello]);
    harness.get_by_label_contains("2 files were dropped; Tandem imports one at a time, so nothing was read.");
    assert!(harness.query_by_label("Import preview").is_none());
    // The error shows whole above the status bar until it is dismissed.
    harness.get_by_label("Dismiss").click();
    harness.run();
    assert!(harness.query_by_label_contains("2 files were dropped").is_none());
    assert!(harness.query_by_label("Dismiss").is_none());

    drop_files(&mut harness, &[&trello]);
    common::finish_jobs(&mut harness);
    harness.get_by_label("Import preview");
    assert_eq!(plan_rows(&path), before, "nothing is written before the import is confirmed");
    harness.get_by_label("Import into this workspace").click();
    common::finish_jobs(&mut harness);
    assert_ne!(plan_rows(&path), before);
    harness.get_by_label_contains("Imported ");
}

fn common_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

#[test]
fn a_jira_import_that_made_sprints_and_a_column_is_taken_back_and_redone_whole() {
    use egui::{Key, Modifiers};
    // The export's sprints and its 'To Do' status are new to the sample: undoing the import deletes
    // them with the items in them. Deleting a sprint first would empty its items' sprint, and the
    // undo then found every such item "changed since" and refused.
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder);
    let jira = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jira-export.csv");
    let mut harness = harness(&path);
    let before = plan_rows(&path);
    harness.state_mut().request_import(&jira);
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("2 sprints created");
    harness.get_by_label("Import into this workspace").click();
    common::finish_jobs(&mut harness);
    harness.get_by_label_contains("jira-export.csv. Ctrl+Z takes the whole import back.");
    let after = plan_rows(&path);
    let in_sprints: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM items JOIN sprints USING (sprint_id) WHERE sprints.name NOT LIKE 'Sprint 2%'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(in_sprints > 0, "the import put items in a sprint it made");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Undid: import 6 items from jira-export.csv.");
    assert_eq!(plan_rows(&path), before, "every table as it was before the import");
    harness.get_by_label("49 items");

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    harness.get_by_label_contains("Redid: import 6 items from jira-export.csv.");
    assert_eq!(plan_rows(&path), after, "redo imports it again, exactly");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(plan_rows(&path), before);
}

#[test]
fn an_import_whose_card_was_moved_and_the_move_undone_is_still_taken_back_whole() {
    use egui::{Key, Modifiers};
    // Undoing the move puts the card back but leaves its time of change: the import's undo took that
    // for a change made since and refused, though the person had undone everything after it.
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness, before) = with_trello_imported(&folder);
    let imported = plan_rows(&path);
    harness.get_by_label("🔍 Search").click();
    harness.run();
    harness.get_by_label("🔍 Search").type_text("Show delivery");
    harness.run();
    harness.get_by_label_contains("Show delivery slots — ").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    harness.run();
    harness.get_by_label_contains("Moved 'Show delivery slots' to position 1 of 9 in Ready.");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Undid: move 'Show delivery slots'.");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains("Undid: import 6 items from trello-board.json.");
    assert_eq!(plan_rows(&path), before, "every table as it was before the import");
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    harness.get_by_label_contains("Redid: import 6 items from trello-board.json.");
    assert_eq!(plan_rows(&path), imported, "redo brings the import back as it was written");
}

#[test]
fn an_import_is_not_taken_back_over_a_comment_another_window_wrote_on_one_of_its_cards() {
    use egui::{Key, Modifiers};
    // Undoing the import deletes its cards, and SQLite deleted the partner's comment with its card,
    // unsaid.
    let folder = tempfile::tempdir().unwrap();
    let (path, mut harness, _) = with_trello_imported(&folder);
    {
        let mut other = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
        let item = other.workspace().items().find(|item| item.title == "Show delivery slots").unwrap().clone();
        let comment =
            tandem::model::Comment::new(item.item_id, "Dana (PO)", "Keep this one", tandem::model::Timestamp::now());
        other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::AddComment(comment))).unwrap();
    }
    let commented = plan_rows(&path);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    harness.get_by_label_contains(
        "The import cannot be undone: a comment added or changed since refers to 'Show delivery slots', which it \
         would remove. Nothing was changed; delete or move those first, or keep the import.",
    );
    assert_eq!(plan_rows(&path), commented, "the comment and the import are kept");
}
