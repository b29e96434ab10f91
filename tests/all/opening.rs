//! A large workspace is read on a worker thread. Opened, its board's first screen shows at once,
//! unchangeable, and the whole workspace takes its place once it is read and checked. Changed by another
//! window, the board shows what it had until the worker has read the file again.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::store::Store;
use tandem::ui::{Startup, TandemApp};

use crate::common;

/// The window on `path`, files over `above` bytes opened on the worker thread, the worker's answer
/// `held` (from before the first frame) until the test lets it in.
fn window(path: &std::path::Path, above: u64, held: bool) -> Harness<'static, TandemApp> {
    let startup = Startup {
        path: Some(path.to_owned()),
        default_path: path.to_owned(),
        new_workspace: tandem::app::NewWorkspace::Sample,
        remember: false,
        demo: false,
        first_screen_above: above,
    };
    Harness::builder().with_size([1280.0, 800.0]).with_max_steps(60).build_eframe(move |creation| {
        let mut app = TandemApp::new(creation, &startup);
        app.set_today(Some(common::today()));
        app.hold_opening(held);
        app
    })
}

/// The window on `path`, every file opened on the worker thread, the worker's answer held until the
/// test lets it in: the first frames are the first screen's, however fast the worker is.
fn opening_harness(path: &std::path::Path) -> Harness<'static, TandemApp> {
    let mut harness = window(path, 0, true);
    // The notice's spinner asks for frames all the time: a few are enough.
    harness.run_steps(4);
    harness
}

/// Lets the worker's answer in, and runs until the window has taken it.
fn let_in(harness: &mut Harness<'static, TandemApp>) {
    harness.state_mut().hold_opening(false);
    common::finish_jobs(harness);
}

/// Gives the item `which` selects an estimate of -5, as another program could; the file's bytes after.
fn with_a_negative_estimate(path: &std::path::Path, which: &str) -> Vec<u8> {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .execute_batch(&format!(
            "PRAGMA ignore_check_constraints = ON; UPDATE items SET points = -5 WHERE item_id = ({which});"
        ))
        .unwrap();
    drop(connection);
    std::fs::read(path).unwrap()
}

fn generated(folder: &tempfile::TempDir, items: usize) -> std::path::PathBuf {
    let path = folder.path().join("large.sqlite");
    tandem::demo::generate(&path, items).unwrap();
    path
}

#[test]
fn the_first_screen_holds_the_first_cards_of_each_column_and_the_columns_true_sizes() {
    let folder = tempfile::tempdir().unwrap();
    let path = generated(&folder, 1_500);
    // Two cards archived: off the board, and counted apart.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE items SET archived_at = '2026-11-01T09:00:00Z' WHERE item_id IN (3, 950)", [])
        .unwrap();
    let first = tandem::store::read_first_screen(&path, 100).unwrap();
    let (mut store, _) = Store::open(&path).unwrap();
    let whole = store.load().unwrap();
    assert!(first.is_first_screen() && !whole.is_first_screen());
    assert_eq!(first.board_size(), 1_498);
    assert_eq!((first.archived_count(), whole.archived_count()), (2, 2));
    assert_eq!(first.columns, whole.columns);
    let mut read = 0;
    for column in &whole.columns {
        let all = whole.column_items(column.column_id);
        assert_eq!(first.column_size(column.column_id), all.len(), "{}", column.name);
        let shown = first.column_items(column.column_id);
        assert_eq!(shown, &all[..all.len().min(100)], "{}: the first cards, in board order", column.name);
        for item_id in shown {
            assert_eq!(first.item(*item_id), whole.item(*item_id), "as the whole load reads it");
        }
        read += shown.len();
    }
    // 900 wait in the first column, 150 in each other: 100 of each are read.
    assert_eq!(read, 500);
    assert_eq!(first.item_count(), 500);
    assert_eq!(first.column_size(whole.columns[0].column_id), 899);
    assert_eq!(first.epics, whole.epics);
    assert_eq!(first.sprints, whole.sprints);
    assert_eq!(first.insights, whole.insights);
    assert_eq!(first.label_colours, whole.label_colours);
}

#[test]
fn a_large_workspace_shows_its_first_screen_at_once_unchangeable_then_the_whole_board() {
    let folder = tempfile::tempdir().unwrap();
    let path = generated(&folder, 1_500);
    let backlog = common::column_order(&path, "Backlog");
    assert_eq!(backlog.len(), 900);
    let before = common::rows_of(&rusqlite::Connection::open(&path).unwrap(), &[]);

    let mut harness = opening_harness(&path);
    if let Ok(dir) = std::env::var("TANDEM_LOOK") {
        harness.render().unwrap().save(format!("{dir}/first-screen.png")).unwrap();
    }
    harness.get_by_label(
        "Opening large.sqlite: reading its 1,500 cards and checking the file. Nothing can be changed until it is done, in a moment.",
    );
    assert!(harness.state().app().is_none(), "nothing to change the workspace with yet");
    harness.get_by_label("Basket"); // the product, named in the toolbar
    assert_eq!(harness.state().window_title(), "large.sqlite (opening) — Tandem");
    // The column says how many cards it holds in the file, not how many are read so far.
    assert!(harness.query_by_label("900").is_some(), "the Backlog column's true size");
    // Its first card says its place among all the column's cards.
    let first_card = format!("{} — ", backlog[0]);
    let card = harness.get_by_label_contains(&first_card);
    let name = card.accesskit_node().label().unwrap_or_default();
    assert!(name.ends_with("1 of 900 in Backlog"), "{name}");
    assert!(card.accesskit_node().is_disabled(), "the first screen's cards cannot be changed");
    card.click();
    harness.run_steps(3);
    assert_eq!(harness.state().editor_title(), None, "a click on the first screen opens no editor");
    // New item and the menus are disabled too, not taking clicks that come to nothing.
    assert!(harness.get_by_label("File").accesskit_node().is_disabled());
    assert!(harness.get_by_label("+ New item").accesskit_node().is_disabled());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run_steps(3);
    assert_eq!(common::rows_of(&rusqlite::Connection::open(&path).unwrap(), &[]), before, "nothing was written");

    let_in(&mut harness);
    let app = harness.state().app().expect("the workspace is open");
    assert_eq!(app.workspace().item_count(), 1_500);
    assert!(!app.workspace().is_first_screen());
    assert_eq!(harness.state().window_title(), "Basket — large.sqlite — Tandem");
    assert_eq!(
        harness.state().status_text(),
        Some("large.sqlite is open: all its 1,500 cards are read, and can be changed.")
    );
    assert!(harness.query_by_label_contains("Opening large.sqlite").is_none(), "the notice is gone");
    assert!(!harness.get_by_label("File").accesskit_node().is_disabled());
    harness.get_by_label_contains(&first_card).click();
    harness.run();
    assert_eq!(harness.state().editor_title().as_deref(), Some(backlog[0].as_str()), "the card opens now");
    assert_eq!(common::column_order(&path, "Backlog"), backlog);
}

#[test]
fn a_refusal_found_by_the_worker_replaces_the_first_screen_and_leaves_the_file_as_it_was() {
    let folder = tempfile::tempdir().unwrap();
    let path = generated(&folder, 1_500);
    // The last card of the Backlog is past the first screen: the first screen shows, the worker refuses.
    let bytes = with_a_negative_estimate(
        &path,
        "SELECT item_id FROM items i JOIN board_columns c USING (column_id)
             WHERE c.name = 'Backlog' ORDER BY i.rank DESC, i.item_id DESC LIMIT 1",
    );

    let mut harness = opening_harness(&path);
    assert!(harness.query_by_label("900").is_some(), "the first screen shows");
    let_in(&mut harness);
    assert!(harness.state().app().is_none());
    harness.get_by_label("Tandem could not open the workspace");
    harness.get_by_label_contains("-5 is not a valid estimate");
    assert!(harness.query_by_label("900").is_none(), "the first screen is gone");
    harness.get_by_label("Open another workspace…");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the refused file is byte-identical");
}

#[test]
fn a_file_that_is_not_a_workspace_shows_no_first_screen_and_is_refused_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.sqlite");
    std::fs::write(&path, "These are my meeting notes, not a database.\n".repeat(200)).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut harness = opening_harness(&path);
    harness.get_by_label_contains("Opening notes.sqlite: reading and checking the file");
    let_in(&mut harness);
    harness.get_by_label("Tandem could not open the workspace");
    harness.get_by_label_contains("not a Tandem workspace");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(common::side_files(&path), Vec::<String>::new());
}

/// The window on the sample product (opened at once: it is below the size), with the built-in file
/// dialog and `searched` typed in Search; then File ▸ Open… on `large`, held once the worker has started.
fn switching_to(folder: &tempfile::TempDir, large: &std::path::Path, searched: &str) -> Harness<'static, TandemApp> {
    let mine = common::sample_workspace(folder, "mine.sqlite");
    let mut harness = window(&mine, std::fs::metadata(&mine).unwrap().len() + 1, false);
    harness.run();
    assert!(harness.state().app().is_some(), "the sample opens at once");
    if !searched.is_empty() {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
        harness.run();
        harness.get_by_label("🔍 Search").type_text(searched);
        harness.run();
        assert!(harness.query_by_label_contains("Showing ").is_some(), "the board is filtered");
    }
    harness.state_mut().use_builtin_file_dialog();
    harness.get_by_label("File").click();
    harness.run();
    common::menu_entry(&harness, "Open…").click();
    harness.run();
    common::open_in_the_dialog(&mut harness, &large.file_name().unwrap().to_string_lossy());
    for _ in 0..10 {
        harness.step();
        if harness.state().is_busy() {
            // Started this frame; the worker's answer is looked for from the next one on.
            harness.state_mut().hold_opening(true);
            harness.run_steps(3);
            return harness;
        }
    }
    panic!("the large workspace did not start opening");
}

#[test]
fn opening_a_large_workspace_from_another_shows_its_first_screen_in_a_modal_window_then_switches() {
    let folder = tempfile::tempdir().unwrap();
    let large = generated(&folder, 1_500);
    let mut harness = switching_to(&folder, &large, "");
    if let Ok(dir) = std::env::var("TANDEM_LOOK") {
        harness.render().unwrap().save(format!("{dir}/switching.png")).unwrap();
    }
    harness.get_by_label(
        "Opening large.sqlite: reading its 1,500 cards and checking the file. Nothing can be changed until it is done, in a moment.",
    );
    assert!(harness.query_by_label("900").is_some(), "the first screen is shown beneath");
    let open = harness.state().app().unwrap().path().to_owned();
    assert!(open.ends_with("mine.sqlite"), "the sample stays open until the large one is: {}", open.display());

    let_in(&mut harness);
    let app = harness.state().app().unwrap();
    assert!(app.path().ends_with("large.sqlite"));
    assert_eq!(app.workspace().item_count(), 1_500);
    assert_eq!(
        harness.state().status_text(),
        Some("large.sqlite is open: all its 1,500 cards are read, and can be changed.")
    );
    assert!(harness.query_by_label_contains("Opening large.sqlite").is_none());
}

#[test]
fn a_large_workspace_refused_after_its_first_screen_leaves_the_open_one_as_it_was() {
    let folder = tempfile::tempdir().unwrap();
    let large = generated(&folder, 1_500);
    // The last card of In progress, past the first screen.
    let bytes = with_a_negative_estimate(&large, "SELECT 1200");
    let mut harness = switching_to(&folder, &large, "Apple Pay");
    assert!(harness.query_by_label_contains("Opening large.sqlite").is_some());
    // The first screen is the new workspace's board, not filtered by the open one's search.
    assert!(harness.query_by_label("900").is_some());
    assert!(harness.query_by_label_contains("Showing ").is_none());

    let_in(&mut harness);
    let app = harness.state().app().unwrap();
    assert!(app.path().ends_with("mine.sqlite"), "the open workspace stays: {}", app.path().display());
    assert_eq!(app.workspace().item_count(), 49);
    let said = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(said.contains("-5 is not a valid estimate"), "{said}");
    // The open workspace's board is back as it was, its search still on.
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ");
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes").is_none());
    assert!(harness.query_by_label("900").is_none(), "the first screen is gone");
    assert_eq!(std::fs::read(&large).unwrap(), bytes, "the refused file is byte-identical");
}

#[test]
fn another_windows_change_to_a_large_workspace_is_read_on_a_worker_the_board_showing_the_old_one_meanwhile() {
    let folder = tempfile::tempdir().unwrap();
    let path = common::sample_workspace(&folder, "shared.sqlite");
    let mut harness = window(&path, u64::MAX, false);
    harness.run();
    harness.state_mut().set_follow_worker_above(0);
    let title = "Hold a delivery slot for 30 minutes";
    harness.get_by_label_contains(&format!("{title} — "));

    // Another window renames the card.
    let mut other = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    let mut item = other.workspace().items().find(|item| item.title == title).unwrap().clone();
    item.title = "Hold a delivery slot for 45 minutes".to_owned();
    other.apply(tandem::app::Command::Item(tandem::app::ItemCommand::Update(item))).unwrap();

    // The next frame sees the change and starts reading the file on the worker: the board still shows
    // what it had.
    harness.step();
    assert!(harness.state().app().unwrap().is_following());
    harness.get_by_label_contains(&format!("{title} — "));
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    while harness.state().app().unwrap().is_following() {
        assert!(std::time::Instant::now() < deadline, "the worker's read never came in");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    harness.run();
    harness.get_by_label_contains("Hold a delivery slot for 45 minutes — ");
    assert!(harness.query_by_label_contains(&format!("{title} — ")).is_none());
    harness.get_by_label_contains("changed in another window or program");
}
