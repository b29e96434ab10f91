//! The workshop room: presenter mode on a 1280×720 projector, stepping between views, the time-box,
//! and leaving it with everything as it was.

use egui::Key;
use egui_kittest::kittest::Queryable as _;
use tandem::ui::View;

use crate::common::{app_harness as harness, sample_workspace as workspace, snapshot_masked as snapshot};

#[test]
fn presenter_mode_is_full_screen_large_and_high_contrast_and_steps_between_views() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "p.sqlite");
    let mut harness = harness(&path);
    harness.set_size(egui::vec2(1280.0, 720.0));
    harness.run();
    let zoom = harness.ctx.zoom_factor();

    harness.key_press(Key::F11);
    harness.run();
    assert!(harness.state().is_presenting());
    assert!(harness.query_by_label("File").is_none(), "the menus are hidden");
    harness.get_by_label("End presenting (F11)");
    assert!((harness.ctx.zoom_factor() - zoom * 1.5).abs() < 0.01, "large type");
    assert_eq!(harness.ctx.global_style().visuals.panel_fill, egui::Color32::BLACK, "high contrast");
    snapshot(&mut harness, "presenter_board");

    // A clicker's Page Down steps through the views and wraps around.
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(harness.state().view(), View::Roadmap);
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(harness.state().view(), View::Metrics);
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(harness.state().view(), View::Board);
    harness.key_press(Key::PageUp);
    harness.run();
    assert_eq!(harness.state().view(), View::Metrics);

    // A time-box: ten minutes left, T pauses and resumes.
    harness.get_by_label("⏱ Time-box").click();
    harness.run();
    harness.get_by_label("10 minutes").click();
    harness.run();
    harness.get_by_label_contains(" left");
    harness.get_by_label("Pause");
    harness.key_press(Key::T);
    harness.run();
    harness.get_by_label("Resume");

    // Esc ends presenter mode and puts everything back.
    harness.key_press(Key::Escape);
    harness.run();
    assert!(!harness.state().is_presenting());
    harness.get_by_label("File");
    assert!((harness.ctx.zoom_factor() - zoom).abs() < 0.01, "the zoom as it was");
    assert_ne!(harness.ctx.global_style().visuals.panel_fill, egui::Color32::BLACK, "the theme as it was");
}

#[test]
fn at_200_percent_on_a_1280_screen_the_filters_wrap_instead_of_leaving_the_window() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "z.sqlite");
    let mut harness = harness(&path);
    harness.ctx.set_zoom_factor(2.0);
    harness.run();
    let width = harness.ctx.content_rect().width();
    assert!(width < 700.0, "the window is {width} points wide at 200%");
    for control in ["🔍 Search", "Filter by kind", "Filter by label", "Filter by epic", "Filter by sprint"] {
        let rect = harness.get_by_label(control).rect();
        assert!(rect.right() <= width + 0.5, "{control} ends at {} of {width}", rect.right());
    }
    snapshot(&mut harness, "board_zoom_200");
}

#[test]
fn the_first_start_asks_and_an_empty_plan_leaves_the_sample_in_its_file() {
    let folder = tempfile::tempdir().unwrap();
    let sample = folder.path().join("tandem.sqlite");
    let mut harness = harness(&sample);
    harness.get_by_label("Welcome to Tandem");
    assert!(harness.get_by_label("Explore the sample product").is_focused(), "Enter explores the sample");
    harness.get_by_label("Start with an empty plan").click();
    harness.run();
    assert!(harness.query_by_label("Welcome to Tandem").is_none(), "answered once");
    let app = harness.state().app().unwrap();
    assert_eq!(app.path(), folder.path().join("My plan.sqlite"));
    assert_eq!(app.workspace().item_count(), 0, "an empty plan");
    assert!(!app.workspace().columns.is_empty(), "with the default columns");
    harness.get_by_label_contains("Nothing on the board yet. Add an item here or with + New item (Ctrl+N)");
    let sample_items: i64 = rusqlite::Connection::open(&sample)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM items", [], |row| row.get(0))
        .unwrap();
    assert_eq!(sample_items, 49, "the sample is still in its own file");
}

#[test]
fn exploring_the_sample_closes_the_welcome_and_a_fresh_sample_copy_leaves_the_workspace_alone() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("tandem.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("Explore the sample product").click();
    harness.run();
    assert!(harness.query_by_label("Welcome to Tandem").is_none());
    assert_eq!(harness.state().app().unwrap().path(), path);

    // Change the user's workspace, then open a fresh sample copy for a workshop.
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.get_by_label("🗑 Delete item").click();
    harness.run();
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    let before = crate::common::dump(&tandem::store::Store::open(&path).unwrap().0);
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("Fresh sample copy (nothing kept)").click();
    harness.run();
    let copy = harness.state().app().unwrap().path().to_path_buf();
    assert_ne!(copy, path);
    assert_eq!(harness.state().app().unwrap().workspace().item_count(), 49, "the whole sample again");
    harness.get_by_label_contains("nothing you change in it is kept");
    harness.get_by_label("Demo copy: nothing is kept when the window closes");
    assert_eq!(crate::common::dump(&tandem::store::Store::open(&path).unwrap().0), before, "the workspace untouched");

    // A second fresh copy replaces the first, whose file is removed.
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("Fresh sample copy (nothing kept)").click();
    harness.run();
    assert!(!copy.exists(), "the first copy is gone");
    let second = harness.state().app().unwrap().path().to_path_buf();
    drop(harness);
    tandem::store::remove_workspace_files(&second);
}

#[test]
fn starting_an_empty_plan_with_unsaved_edits_asks_first() {
    let folder = tempfile::tempdir().unwrap();
    let sample = folder.path().join("tandem.sqlite");
    let mut harness = harness(&sample);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.get_by_label("Title").click();
    harness.run();
    harness.get_by_label("Title").type_text(" now");
    harness.run();
    harness.get_by_label("Start with an empty plan").click();
    harness.run();
    harness.get_by_label("Unsaved changes");
    assert_eq!(harness.state().app().unwrap().path(), sample, "nothing switched before the answer");
}

#[test]
fn closing_the_window_leaves_every_change_in_the_file_alone_without_side_files() {
    use egui::Modifiers;
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "closing.sqlite");
    let mut harness = harness(&path);
    // A card moved with the keyboard, and the window closed at once, before the edits pause.
    let column = harness.state().app().unwrap().workspace().columns[0].column_id;
    let (first, second) = {
        let items = harness.state().app().unwrap().workspace().column_items(column);
        (items[0], items[1])
    };
    let title = harness.state().app().unwrap().workspace().item(first).unwrap().title.clone();
    harness.get_by_label_contains(&format!("{title} — ")).focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    assert_eq!(harness.state().app().unwrap().workspace().column_items(column)[..2], [second, first]);
    eframe::App::on_exit(harness.state_mut());
    // The workspace was closed with the window: its log was copied into the file and went with it.
    for suffix in ["-wal", "-shm"] {
        assert!(!folder.path().join(format!("closing.sqlite{suffix}")).exists(), "closing.sqlite{suffix} was left");
    }
    // The file alone, copied elsewhere without anything beside it, holds the move.
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("copy.sqlite");
    std::fs::copy(&path, &copy).unwrap();
    let reader = rusqlite::Connection::open_with_flags(&copy, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let order: Vec<i64> = reader
        .prepare(
            "SELECT item_id FROM items WHERE column_id = ?1 AND archived_at IS NULL ORDER BY rank, item_id LIMIT 2",
        )
        .unwrap()
        .query_map([column.0], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(order, [second.0, first.0]);
    drop(harness);
}
