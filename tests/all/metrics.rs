//! KPIs and sprints as a product manager and a product owner use them: a KPI added with its samples
//! through the editor, a bad value refused, samples imported from CSV all or nothing, a card dragged
//! into a sprint with a real pointer, and the delivery charts' figures; each checked in the file.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT as _;
use egui_kittest::kittest::Queryable as _;
use tandem::ui::TandemApp;

use crate::common::{app_harness, drag, menu_entry, sample_workspace};

fn metrics_view(path: &Path) -> Harness<'static, TandemApp> {
    let mut harness = app_harness(path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.run();
    harness
}

/// The KPI editor of Net Promoter Score, opened from its chart, with an empty sample row added.
fn nps_editor_with_a_new_sample(path: &Path) -> Harness<'static, TandemApp> {
    let mut harness = metrics_view(path);
    harness.get_by_label("Open chart: Net Promoter Score").click();
    harness.run();
    harness.get_by_label("Edit KPI…").click();
    harness.run();
    harness.get_by_label("+ Add sample").click();
    harness.run();
    harness
}

fn count(path: &Path, sql: &str) -> i64 {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// A metric's samples, oldest first, straight from the file.
fn samples(path: &Path, name: &str) -> Vec<(String, f64)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(
            "SELECT s.sample_date, s.value FROM metric_samples s JOIN metrics m USING (metric_id) \
             WHERE m.name = ?1 ORDER BY s.sample_date",
        )
        .unwrap();
    statement.query_map([name], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn type_into(harness: &mut Harness<'static, TandemApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

#[test]
fn a_kpi_added_with_samples_through_the_editor_is_stored_and_gets_its_card() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "kpi.sqlite");
    let mut harness = metrics_view(&path);
    harness.get_by_label("+ New KPI").click();
    harness.run();
    type_into(&mut harness, "Name", "Task success, switch users");
    type_into(&mut harness, "Target", "90");
    harness.get_by_label("+ Add sample").click();
    harness.run();
    harness.get_by_label("+ Add sample").click();
    harness.run();
    // Each new row starts on today's date; the first is moved back a month.
    harness.get_by_label("Date of sample 1").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Date of sample 1").type_text("2026-10-18");
    harness.run();
    type_into(&mut harness, "Value of sample 1", "71.5");
    type_into(&mut harness, "Value of sample 2", "78");
    harness.get_by_label("Create KPI").click();
    harness.run();

    assert_eq!(
        samples(&path, "Task success, switch users"),
        [("2026-10-18".to_owned(), 71.5), ("2026-11-18".to_owned(), 78.0)]
    );
    assert_eq!(
        count(&path, "SELECT count(*) FROM metrics WHERE name = 'Task success, switch users' AND target = 90"),
        1
    );
    harness.get_by_label_contains("Added the KPI 'Task success, switch users' with 2 samples.");
    // The new KPI's chart opens; back on the dashboard it has its card with the state in words.
    harness.get_by_label("⬅ All KPIs").click();
    harness.run();
    harness.get_by_label("Open chart: Task success, switch users");
    harness.get_by_label_contains("Off track · target at least 90%");
    // Deleting it from its editor removes it with its samples; undo brings both back.
    harness.get_by_label("Open chart: Task success, switch users").click();
    harness.run();
    harness.get_by_label("Edit KPI…").click();
    harness.run();
    harness.get_by_label("Delete KPI").click();
    harness.run();
    assert_eq!(count(&path, "SELECT count(*) FROM metrics WHERE name = 'Task success, switch users'"), 0);
    assert_eq!(count(&path, "SELECT count(*) FROM metric_samples WHERE value = 71.5"), 0);
    harness.get_by_label_contains("Deleted the KPI 'Task success, switch users'");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(samples(&path, "Task success, switch users").len(), 2);
}

#[test]
fn an_out_of_range_sample_is_refused_with_a_message_and_nothing_is_stored() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "refused.sqlite");
    let before = count(&path, "SELECT count(*) FROM metric_samples");
    let mut harness = nps_editor_with_a_new_sample(&path);
    type_into(&mut harness, "Value of sample 13", "140");
    // The row says what is wrong before saving…
    harness.get_by_label_contains("140 is out of range: a score such as NPS runs from −100 to 100.");
    harness.get_by_label("Save KPI").click();
    harness.run();
    // …and saving is refused with the row named; the file is unchanged.
    harness.get_by_label_contains("Not saved. Sample row 13: 140 is out of range");
    assert_eq!(count(&path, "SELECT count(*) FROM metric_samples"), before);
    assert_eq!(count(&path, "SELECT count(*) FROM metric_samples WHERE value = 140"), 0);
}

#[test]
fn a_csv_of_samples_with_bad_rows_imports_nothing_and_a_good_one_imports_every_row() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "csv.sqlite");
    let before = samples(&path, "Net Promoter Score");
    let mut harness = metrics_view(&path);
    harness.get_by_label("Open chart: Net Promoter Score").click();
    harness.run();
    let nps = harness
        .state()
        .app()
        .unwrap()
        .workspace()
        .metrics
        .iter()
        .find(|m| m.name == "Net Promoter Score")
        .unwrap()
        .metric_id;

    let bad = folder.path().join("nps-bad.csv");
    std::fs::write(&bad, "date,value\n2026-12-01,33\n2026-13-01,34\n2027-01-01,101\n").unwrap();
    harness.state_mut().request_samples_import(nps, &bad);
    harness.run();
    harness.get_by_label_contains("1 sample new, 0 replacing stored days, 2 rows with errors.");
    harness.get_by_label_contains("'2026-13-01' is not a date");
    harness.get_by_label_contains("101 is out of range");
    harness.get_by_label("Import 1 sample").click();
    harness.run();
    assert_eq!(samples(&path, "Net Promoter Score"), before, "a file with errors imports nothing");
    harness.get_by_label("Cancel").click();
    harness.run();

    // The good file is chosen as a user would, through the button and Tandem's own file dialog (what a
    // desktop without a system file dialog shows).
    // Saved by a spreadsheet as UTF-16 with its byte-order mark and Windows line endings.
    let good = folder.path().join("nps.csv");
    let text = "Date,Value\r\n2026-11-01,32\r\n2026-12-01,33\r\n";
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(&good, utf16).unwrap();
    harness.state_mut().use_builtin_file_dialog();
    harness.get_by_label("Import samples (CSV)…").click();
    harness.run();
    harness.get_by_label("Import samples (CSV with a header line date,value)");
    harness.get_by_label("Folder").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Folder").type_text(&folder.path().display().to_string());
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label_contains("📄 nps.csv").click();
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    harness.get_by_label_contains("1 sample new, 1 replacing stored days, 0 rows with errors.");
    harness.get_by_label("Import 2 samples").click();
    harness.run();
    let after = samples(&path, "Net Promoter Score");
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after.last(), Some(&("2026-12-01".to_owned(), 33.0)));
    assert!(after.contains(&("2026-11-01".to_owned(), 32.0)), "the stored day was replaced");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(samples(&path, "Net Promoter Score"), before, "undo takes the whole import back");
}

fn sprint_of(path: &Path, title: &str) -> Option<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row(
            "SELECT s.name FROM items i LEFT JOIN sprints s USING (sprint_id) WHERE i.title = ?1",
            [title],
            |row| row.get(0),
        )
        .unwrap()
}

#[test]
fn a_card_dragged_into_the_sprint_panel_is_planned_and_over_capacity_is_announced() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "sprint.sqlite");
    let mut harness = app_harness(&path);
    harness.get_by_label("🏃 Sprint planning").click();
    harness.run();
    // Sprint 23 runs on the tests' today and is exactly full.
    harness.get_by_label_contains("30 of 30 points committed.");
    let title = "Spike: slot capacity from the warehouse API";
    let from = harness.get_by_label_contains(&format!("{title} — ")).rect().center();
    let zone = harness.get_by_label_contains("Sprint drop zone").rect().center();
    drag(&mut harness, from, zone, 8);
    assert_eq!(sprint_of(&path, title).as_deref(), Some("Sprint 23"));
    assert_eq!(
        count(
            &path,
            "SELECT CAST(sum(points) AS INTEGER) FROM items WHERE sprint_id = (SELECT sprint_id FROM sprints WHERE name = 'Sprint 23')"
        ),
        33
    );
    harness.get_by_label_contains(
        "Planned 'Spike: slot capacity from the warehouse API' in Sprint 23. 33 of 30 points committed: 3 over capacity.",
    );
    harness.get_by_label_contains("⚠ Over capacity by 3 points");
    // The keyboard twin: the dropped card is selected; P takes it out again.
    harness.key_press(Key::P);
    harness.run();
    assert_eq!(sprint_of(&path, title), None);
    harness.get_by_label_contains("30 of 30 points committed.");
    // And P plans it once more; undo restores the unplanned state.
    harness.key_press(Key::P);
    harness.run();
    assert_eq!(sprint_of(&path, title).as_deref(), Some("Sprint 23"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(sprint_of(&path, title), None);
}

#[test]
fn a_new_sprint_is_created_from_the_panel_and_an_inverted_range_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "new-sprint.sqlite");
    let mut harness = app_harness(&path);
    harness.get_by_label("🏃 Sprint planning").click();
    harness.run();
    harness.get_by_label("+ New sprint").click();
    harness.run();
    type_into(&mut harness, "Goal", "Slots can be held during checkout.");
    harness.get_by_label("Create sprint").click();
    harness.run();
    assert_eq!(
        count(
            &path,
            "SELECT count(*) FROM sprints WHERE name = 'Sprint 24' AND start_date = '2026-11-30' AND end_date = '2026-12-11'"
        ),
        1
    );
    harness.get_by_label_contains("Added Sprint 24");
}

#[test]
fn the_delivery_page_reports_the_samples_velocity_and_times() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "delivery.sqlite");
    let mut harness = metrics_view(&path);
    harness.get_by_label("Delivery").click();
    harness.run();
    // Sprints 19–22 finished with 9, 13, 21 and 17 points done.
    harness.get_by_label("Average over 4 finished sprints: 15.0 points done per sprint.");
    harness.get_by_label("Sprint 19: 9 of 17 points done");
    // Sprint 23 runs: two small bugs (3 points) are done by the 18th.
    harness.get_by_label_contains("On 18 Nov: 3 of 30 points done, 27 remaining");
    harness.get_by_label_contains("Lead time (created → done): half of");
}

#[test]
fn a_chart_saved_as_png_goes_through_the_file_dialog_and_lands_whole() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "png.sqlite");
    let mut harness = metrics_view(&path);
    harness.state_mut().use_builtin_file_dialog();
    harness.get_by_label("Open chart: Net Promoter Score").click();
    harness.run();
    harness.get_by_label("Save the chart Net Promoter Score as a PNG file").click();
    harness.run();
    harness.get_by_label("Save the chart as PNG");
    harness.get_by_label("Save").click();
    harness.run();
    let png = folder.path().join("Net Promoter Score.png");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG picture was written");
    harness.get_by_label_contains("Saved the Net Promoter Score chart as");
}

#[test]
fn the_kpi_editor_asks_before_typed_samples_are_thrown_away() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "asked.sqlite");
    let before = count(&path, "SELECT count(*) FROM metric_samples");
    let mut harness = nps_editor_with_a_new_sample(&path);
    type_into(&mut harness, "Value of sample 13", "33");
    harness.get_by_label("Cancel").click();
    harness.run();
    harness.get_by_label_contains("Your changes to the KPI 'Net Promoter Score' are not saved. Discard them?");
    harness.get_by_label("Keep editing").click();
    harness.run();
    harness.get_by_label("Save KPI").click();
    harness.run();
    assert_eq!(count(&path, "SELECT count(*) FROM metric_samples"), before + 1, "kept, then saved");

    // A KPI editor opened and closed without a change closes at once.
    harness.get_by_label("Edit KPI…").click();
    harness.run();
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.query_by_label("Save KPI").is_none());
}

/// Frames until `label` shows (a worker thread's result arrives between frames), or a panic after two
/// seconds.
fn wait_for(harness: &mut Harness<'static, TandemApp>, label: &str) {
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label(label).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let shown: Vec<String> =
        harness.query_all_by_label_contains("Sprint 23").filter_map(|node| node.accesskit_node().label()).collect();
    panic!("'{label}' never showed; {shown:?}");
}

#[test]
fn on_a_large_board_the_delivery_charts_are_worked_out_beside_the_window_and_follow_its_changes() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "worker.sqlite");
    let mut harness = metrics_view(&path);
    // The sample is small; as if it were over the size where a worker thread reads the history.
    harness.state_mut().set_worker_above(0);
    harness.get_by_label("Delivery").click();
    harness.step();
    harness.get_by_label("Working out the delivery charts from the board's history…");
    wait_for(&mut harness, "Average over 4 finished sprints: 15.0 points done per sprint.");
    harness.get_by_label("Sprint 23: 3 of 30 points done so far (running)");

    // A card taken out of the running sprint on the board: the page shows it once the worker has read
    // the history again, and it never went blank meanwhile.
    let title = "Default delivery address in the profile"; // Review, 3 points, Sprint 23.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    harness.get_by_label(&format!("Actions for {title}")).click();
    harness.run();
    menu_entry(&harness, "Plan in sprint").click();
    harness.run();
    menu_entry(&harness, "Take out of its sprint").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num3);
    harness.step();
    assert!(
        harness.query_by_label("Working out the delivery charts from the board's history…").is_none(),
        "the last figures show while the new ones are worked out"
    );
    wait_for(&mut harness, "Sprint 23: 3 of 27 points done so far (running)");
}

#[test]
fn a_new_kpi_never_replaces_a_kpi_window_with_unsaved_samples() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "kept.sqlite");
    let before = count(&path, "SELECT count(*) FROM metric_samples");
    let mut harness = nps_editor_with_a_new_sample(&path);
    type_into(&mut harness, "Value of sample 13", "33");

    harness.get_by_label_contains("All KPIs").click_accesskit();
    harness.run();
    harness.get_by_label("+ New KPI").click_accesskit();
    harness.run();
    assert_eq!(harness.get_by_label("Value of sample 13").value().as_deref(), Some("33"));
    harness.get_by_label_contains(
        "The KPI 'Net Promoter Score' has changes that are not saved: save or cancel them in its window first, then open the new KPI.",
    );
    // The same KPI's window opened again keeps the typed sample too.
    harness.get_by_label("Open chart: Net Promoter Score").click_accesskit();
    harness.run();
    harness.get_by_label("Edit KPI…").click_accesskit();
    harness.run();
    assert_eq!(harness.get_by_label("Value of sample 13").value().as_deref(), Some("33"));
    assert_eq!(count(&path, "SELECT count(*) FROM metric_samples"), before, "nothing was stored");
}

#[test]
fn samples_added_elsewhere_while_the_kpi_editor_was_open_are_kept_beside_the_ones_typed_in_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "merged.sqlite");
    let stored = samples(&path, "Net Promoter Score");
    let mut harness = nps_editor_with_a_new_sample(&path);
    type_into(&mut harness, "Value of sample 13", "33");
    let typed_day = harness.get_by_label("Date of sample 13").value().unwrap();

    // Meanwhile another window records two samples on other days (as a CSV import would).
    let mut other = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    let mut metric =
        other.workspace().metrics.iter().find(|metric| metric.name == "Net Promoter Score").unwrap().clone();
    for (day, value) in [(2, 35.0), (3, 36.0)] {
        metric.samples.push(tandem::model::MetricSample { date: jiff::civil::date(2026, 11, day), value });
    }
    metric.samples.sort_by_key(|sample| sample.date);
    other.apply(tandem::app::Command::Planning(tandem::app::PlanningCommand::UpdateMetric(metric))).unwrap();
    harness.run();

    harness.get_by_label("Save KPI").click_accesskit();
    harness.run();
    let saved = samples(&path, "Net Promoter Score");
    assert_eq!(saved.len(), stored.len() + 3, "the two recorded elsewhere and the one typed here: {saved:?}");
    assert!(saved.contains(&(typed_day, 33.0)));
    assert!(saved.contains(&("2026-11-02".to_owned(), 35.0)) && saved.contains(&("2026-11-03".to_owned(), 36.0)));
    assert!(harness.query_by_label("Save KPI").is_none(), "saved at once, without a question");
}

#[test]
fn a_kpi_chosen_to_serve_an_objective_is_stored_shown_beside_it_and_taken_back_by_undo() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "okr.sqlite");
    let serves = |path: &Path| -> Option<String> {
        let connection = rusqlite::Connection::open(path).unwrap();
        connection
            .query_row(
                "SELECT o.title FROM metrics m LEFT JOIN objectives o USING (objective_id) WHERE m.name = 'Net Promoter Score'",
                [],
                |row| row.get(0),
            )
            .unwrap()
    };
    assert_eq!(serves(&path), None);
    let mut harness = metrics_view(&path);
    harness.get_by_label("Open chart: Net Promoter Score").click();
    harness.run();
    assert!(harness.query_by_label_contains("Serves the objective").is_none());
    harness.get_by_label("Edit KPI…").click();
    harness.run();
    assert_eq!(harness.get_by_label("Serves objective").value().as_deref(), Some("None"));
    harness.get_by_label("Serves objective").click();
    harness.run();
    harness.get_by_label("Make checkout effortless").click();
    harness.run();
    assert_eq!(harness.get_by_label("Serves objective").value().as_deref(), Some("Make checkout effortless"));
    harness.get_by_label("Save KPI").click();
    harness.run();
    assert_eq!(serves(&path).as_deref(), Some("Make checkout effortless"));

    // The chart says so, and leads to the roadmap's objectives, which list the KPI under it.
    harness.get_by_label_contains("Serves the objective 'Make checkout effortless'.");
    harness.get_by_label("Show objectives").click();
    harness.run();
    // Its latest value against its target, in words; the link leads back to its chart.
    harness.get_by_label("Net Promoter Score — 31 on 1 Nov 2026, target 40 not met yet").click();
    harness.run();
    harness.get_by_label_contains("Serves the objective 'Make checkout effortless'.");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(serves(&path), None, "undo takes the link back");
}

/// The last date a KPI's chart shows, from its accessible summary ("…; showing 1 Dec 2025 to 9 Dec 2026").
fn chart_shows_until(harness: &Harness<'static, TandemApp>, name: &str) -> jiff::civil::Date {
    let wanted = format!("Chart of {name} with");
    let node = harness.get_by_label_contains(&wanted);
    let label = node.accesskit_node().label().unwrap();
    let to = label.rsplit(" to ").next().unwrap();
    jiff::civil::Date::strptime("%d %b %Y", to).unwrap_or_else(|error| panic!("{to}: {error}"))
}

#[test]
fn a_sample_saved_after_the_charts_last_date_is_shown_on_the_chart() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "refit.sqlite");
    let mut harness = metrics_view(&path);
    harness.get_by_label("Open chart: Net Promoter Score").click();
    harness.run();
    let before = chart_shows_until(&harness, "Net Promoter Score");
    let later = before.checked_add(jiff::Span::new().days(90)).unwrap();

    harness.get_by_label("Edit KPI…").click();
    harness.run();
    harness.get_by_label("+ Add sample").click();
    harness.run();
    harness.get_by_label("Date of sample 13").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Date of sample 13").type_text(&later.to_string());
    harness.run();
    type_into(&mut harness, "Value of sample 13", "35");
    harness.get_by_label("Save KPI").click();
    harness.run();
    harness.run();
    assert_eq!(samples(&path, "Net Promoter Score").last().unwrap(), &(later.to_string(), 35.0));
    let after = chart_shows_until(&harness, "Net Promoter Score");
    assert!(after >= later, "the chart shows the new sample of {later}: it ends on {after}");
}

#[test]
fn each_sample_added_is_shown_with_the_focus_in_its_value() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "added.sqlite");
    let mut harness = metrics_view(&path);
    harness.get_by_label("Open chart: Net Promoter Score").click();
    harness.run();
    harness.get_by_label("Edit KPI…").click();
    harness.run();
    // Three samples in a row, from the keyboard alone once the button has the focus: Enter adds a row
    // dated today, what is typed next is its value; each new row is in view.
    for (number, value) in [(13, "32"), (14, "33"), (15, "35")] {
        harness.get_by_label("+ Add sample").focus();
        harness.run();
        harness.key_press(Key::Enter);
        harness.run();
        let field = format!("Value of sample {number}");
        assert!(harness.get_by_label(&field).is_focused(), "the new row's value has the focus");
        harness.get_by_label(&field).type_text(value);
        harness.run();
        let table = harness.get_by_label("Date of sample 12").rect();
        let row = harness.get_by_label(&field).rect();
        assert!(row.top() > table.top(), "row {number} is below row 12, in view");
        harness.get_by_label(&format!("Date of sample {number}")).click();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.get_by_label(&format!("Date of sample {number}")).type_text(&format!("2027-0{}-01", number - 12));
        harness.run();
    }
    harness.get_by_label("Save KPI").click();
    harness.run();
    let stored = samples(&path, "Net Promoter Score");
    assert_eq!(
        stored[stored.len() - 3..],
        [("2027-01-01".to_owned(), 32.0), ("2027-02-01".to_owned(), 33.0), ("2027-03-01".to_owned(), 35.0)]
    );
}
