//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, reason = "test helpers")]

use tandem::model::{BacklogItem, ColumnId, ItemKind, Timestamp};
use tandem::store::Store;

/// An in-memory store with the default columns.
pub fn blank_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    tandem::demo::seed_blank(&mut store, "Test product").unwrap();
    store
}

/// The ids of the store's columns, left to right.
pub fn column_ids(store: &Store) -> Vec<ColumnId> {
    tandem::store::board::columns_in_tx(store.connection()).unwrap().iter().map(|column| column.column_id).collect()
}

/// A story with a title, for a column.
pub fn story(title: &str, column_id: ColumnId) -> BacklogItem {
    BacklogItem::new(ItemKind::Story, title, column_id, Timestamp::now())
}

/// SQLite's side files (`-wal`, `-shm`, `-journal`) that exist beside a file.
pub fn side_files(path: &std::path::Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .into_iter()
        .map(|suffix| format!("{}{suffix}", path.display()))
        .filter(|side| std::path::Path::new(side).exists())
        .collect()
}

/// Every row of every table, as text: two dumps are equal exactly when the content is.
pub fn dump(store: &Store) -> String {
    rows_of(store.connection(), &[])
}

/// Every row of every table but those `left_out`, as text.
pub fn rows_of(connection: &rusqlite::Connection, left_out: &[&str]) -> String {
    let mut tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|table| !left_out.contains(&table.as_str()));
    tables.sort();
    let mut out = String::new();
    for table in tables {
        out.push_str("## ");
        out.push_str(&table);
        out.push('\n');
        let mut statement = connection.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2")).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns).map(|index| format!("{:?}", row.get_ref(index).unwrap())).collect();
            out.push_str(&values.join("|"));
            out.push('\n');
        }
    }
    out
}

/// The day GUI tests pretend it is, so the sample's dates and the roadmap never drift.
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 18)
}

/// A fresh copy of the sample product at `folder/name`.
pub fn sample_workspace(folder: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let path = folder.path().join(name);
    tandem::demo::create_demo_for(&path, today()).unwrap();
    path
}

/// The real app on `path`, headless, at 1280×800, settled after its first frames.
pub fn app_harness(path: &std::path::Path) -> egui_kittest::Harness<'static, tandem::ui::TandemApp> {
    let startup = tandem::ui::Startup {
        path: Some(path.to_owned()),
        default_path: path.to_owned(),
        new_workspace: tandem::app::NewWorkspace::Sample,
        remember: false,
        demo: false,
        first_screen_above: tandem::ui::FIRST_SCREEN_ABOVE,
    };
    let mut harness =
        egui_kittest::Harness::builder().with_size([1280.0, 800.0]).with_max_steps(60).build_eframe(move |creation| {
            let mut app = tandem::ui::TandemApp::new(creation, &startup);
            app.set_today(Some(today()));
            app
        });
    harness.run();
    harness
}

/// A rendered snapshot with the right half of the status bar masked: the temporary folder in the file
/// path (and with it where the separator before it sits) changes every run. The mask sits at a fixed place so it never moves itself.
pub fn snapshot_masked(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>, name: &str) {
    use egui_kittest::kittest::Queryable as _;
    let status_row = harness.get_by_label("49 items").rect();
    let width = harness.ctx.content_rect().width();
    // Whole points, so the mask's own edges never land on a fraction and shade a pixel differently.
    harness.mask(egui::Rect::from_x_y_ranges(
        (width / 2.0).floor()..=width.ceil(),
        // Down to the window's bottom: the separator before the path (placed by the path's length)
        // is taller than the text.
        (status_row.top() - 6.0).floor()..=harness.ctx.content_rect().bottom().ceil(),
    ));
    harness.snapshot(name);
}

/// Steps the app until its import or export worker has reported back (a minute at most, as a safety net
/// against a hung worker), then lets it settle.
pub fn finish_jobs(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_mins(1);
    harness.step();
    while harness.state().is_busy() {
        assert!(std::time::Instant::now() < deadline, "an import or export did not finish within a minute");
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    harness.run();
}

/// A connection of another program's that holds the write lock on the workspace at `path` until it is
/// rolled back: a job the window hands to its worker thread waits meanwhile, so its progress window can
/// be seen (and cancelled) however fast the job would be.
pub fn holding_the_file(path: &std::path::Path) -> rusqlite::Connection {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.execute_batch("BEGIN IMMEDIATE").unwrap();
    connection
}

/// Types `name` in the open built-in file dialog's File name field (replacing what is there) and presses
/// Open; the frames after are the caller's.
pub fn open_in_the_dialog(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>, name: &str) {
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label("File name").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("File name").type_text(name);
    harness.run();
    harness.get_by_label("Open").click();
}

/// Runs frames one at a time until something labelled with `words` shows (at most 60).
pub fn until_shown(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>, words: &str) {
    use egui_kittest::kittest::Queryable as _;
    for _ in 0..60 {
        if harness.query_by_label_contains(words).is_some() {
            return;
        }
        harness.step();
    }
    panic!("'{words}' never showed");
}

/// Press, move in `steps` small steps, release: what a hand does.
pub fn drag(
    harness: &mut egui_kittest::Harness<'_, tandem::ui::TandemApp>,
    from: egui::Pos2,
    to: egui::Pos2,
    steps: usize,
) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.step();
    for step in 1..=steps {
        #[expect(clippy::cast_precision_loss, reason = "a few steps")]
        harness.hover_at(from.lerp(to, step as f32 / steps as f32));
        harness.step();
    }
    harness.drop_at(to);
    harness.run();
}

/// A column's items in board order, straight from the file.
pub fn column_order(path: &std::path::Path, column: &str) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT i.title FROM items i JOIN board_columns c USING (column_id) WHERE c.name = ?1 ORDER BY i.rank, i.item_id",
        )
        .unwrap();
    statement.query_map([column], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// An entry of an open menu: a button inside a menu whose name is `entry`, maybe followed by its
/// shortcut or dates (so a column heading or a column's menu of the same name is never hit).
pub fn menu_entry<'h>(
    harness: &'h egui_kittest::Harness<'static, tandem::ui::TandemApp>,
    entry: &str,
) -> egui_kittest::Node<'h> {
    use egui_kittest::kittest::Queryable as _;
    let prefix = format!("{entry} ");
    let entry = entry.to_owned();
    harness.get_by(move |node| {
        node.role() == egui::accesskit::Role::Button
            && node.label().is_some_and(|label| label == entry || label.starts_with(&prefix))
            && std::iter::successors(node.parent(), egui_kittest::kittest::AccessKitNode::parent)
                .any(|ancestor| ancestor.role() == egui::accesskit::Role::Menu)
    })
}

/// Scrolls whatever is under `node` (a scroll area) down by `points` with the mouse wheel, as a user
/// reaching the lower part of the item editor would.
pub fn wheel_down(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>, label: &str, points: f32) {
    use egui_kittest::kittest::Queryable as _;
    // Just below `label`, inside the area that scrolls.
    let at = harness.get_by_label(label).rect().center_bottom() + egui::vec2(0.0, 60.0);
    harness.hover_at(at);
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -points),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run();
}

/// Exports the workspace at `path` as a JSON document and as a CSV, imports each into a new workspace,
/// hands that copy to `check` (with the export's file name), and checks that exporting the copy again
/// gives the same text: what the new fields of an item need to travel.
pub fn round_trips(folder: &tempfile::TempDir, path: &std::path::Path, check: impl Fn(&std::path::Path, &str)) {
    use tandem::interchange::{self, Format};
    use tandem::store::Store;
    for (format, name) in [(Format::Json, "plan.json"), (Format::Csv, "plan.csv")] {
        let first = folder.path().join(name);
        interchange::export(&mut Store::open(path).unwrap().0, format, &first).unwrap();
        let copy = folder.path().join(format!("copy-{name}.sqlite"));
        let document = interchange::read_document(&first, None).unwrap();
        interchange::import(&mut Store::open(&copy).unwrap().0, &document, false, false).unwrap();
        check(&copy, name);
        let second = folder.path().join(format!("second-{name}"));
        interchange::export(&mut Store::open(&copy).unwrap().0, format, &second).unwrap();
        assert_eq!(std::fs::read_to_string(&first).unwrap(), std::fs::read_to_string(&second).unwrap(), "{name}");
    }
}

/// File ▸ New workspace…: a way out of the open workspace, which asks first about unsaved windows.
pub fn leave_for_a_new_workspace(harness: &mut egui_kittest::Harness<'static, tandem::ui::TandemApp>) {
    use egui_kittest::kittest::Queryable as _;
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("New workspace…").click();
    harness.run();
}
