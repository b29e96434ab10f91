//! File ▸ Save baseline… and File ▸ Compare… in the window: a baseline saved into the file, the
//! change list after a move, markers on the changed cards, jumping to a card, and a partner's copy.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tandem::ui::TandemApp;

use crate::common::{app_harness, column_order, sample_workspace};

fn file_menu(harness: &mut Harness<'static, TandemApp>, entry: &str) {
    harness.get_by_label("File").click();
    harness.run();
    crate::common::menu_entry(harness, entry).click();
    harness.run();
}

/// Selects the second card of the backlog and presses Ctrl+Home (the frames after are the caller's);
/// the backlog's titles before the move.
fn second_backlog_card_to_the_top(harness: &mut Harness<'static, TandemApp>, path: &std::path::Path) -> Vec<String> {
    let backlog = column_order(path, "Backlog");
    harness.get_by_label_contains(&format!("{} — ", backlog[1])).click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    backlog
}

fn baselines_in(path: &std::path::Path) -> Vec<(String, String, i64)> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare("SELECT name, note, (SELECT count(*) FROM baseline_items i WHERE i.baseline_id = b.baseline_id) FROM baselines b")
        .unwrap();
    statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_baseline_saved_from_the_menu_shows_what_changed_since_with_markers_on_the_cards() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "b.sqlite");
    let mut harness = app_harness(&path);

    file_menu(&mut harness, "Save baseline…");
    harness.get_by_label("Name").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Name").type_text("Before PI 4 planning");
    harness.get_by_label("Note").click();
    harness.run();
    harness.get_by_label("Note").type_text("steering meeting");
    harness.get_by_label("Save baseline").click();
    harness.run();
    assert_eq!(baselines_in(&path), [("Before PI 4 planning".to_owned(), "steering meeting".to_owned(), 49)]);
    assert!(harness.state().status_text().unwrap_or_default().starts_with("Saved the baseline 'Before PI 4 planning'"));

    // The same name again is refused in the window, and nothing is written.
    file_menu(&mut harness, "Save baseline…");
    harness.get_by_label("Name").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Name").type_text("before pi 4 planning");
    harness.get_by_label("Save baseline").click();
    harness.run();
    harness.get_by_label_contains("There is already a baseline named 'Before PI 4 planning'");
    assert_eq!(baselines_in(&path).len(), 1);
    // Save baseline… again keeps the window as it is, with the name typed in it.
    file_menu(&mut harness, "Save baseline…");
    assert_eq!(harness.get_by_label("Name").value().as_deref(), Some("before pi 4 planning"));
    // A name typed is asked about before Esc throws it away.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label_contains("Your changes to the baseline you are saving are not saved. Discard them?");
    harness.get_by_label("Discard changes").click();
    harness.run();
    assert!(harness.query_by_label("Save baseline").is_none(), "the window closed");

    // Move the second backlog card to the top from the keyboard.
    let backlog = second_backlog_card_to_the_top(&mut harness, &path);
    harness.run();
    assert_eq!(column_order(&path, "Backlog")[0], backlog[1]);

    // File ▸ Compare… compares with the newest baseline at once.
    file_menu(&mut harness, "Compare…");
    harness.get_by_label_contains("1 difference from the baseline 'Before PI 4 planning'");
    let entry = format!("Reordered '{}' in Backlog: position 2 → 1.", backlog[1]);
    harness.get_by_label(&entry);
    let label = format!("{} — ", backlog[1]);
    let card = harness.get_by_label_contains(&label);
    let name = card.accesskit_node().label().unwrap_or_default();
    assert!(name.ends_with(", reordered since the comparison"), "the card says it changed: {name}");
    assert!(
        harness.query_by_label_contains(&format!("{} — ", backlog[0])).is_some_and(|other| !other
            .accesskit_node()
            .label()
            .unwrap_or_default()
            .contains("since the comparison")),
        "cards it passed are not marked"
    );

    // A later change shows up in the open window; the kind toggles filter the list.
    // (Three places down: the one card whose move explains the new order is this one.)
    for _ in 0..3 {
        harness.get_by_label(&format!("Actions for {}", backlog[1])).click();
        harness.run();
        crate::common::menu_entry(&harness, "Move down").click();
        harness.run();
    }
    harness.get_by_label(&format!("Reordered '{}' in Backlog: position 2 → 4.", backlog[1]));
    harness.get_by_label_contains("☑ Reordered (1)").click();
    harness.run();
    assert!(harness.query_by_label_contains("Reordered '").is_none(), "hidden by its toggle");

    // A card opened beside the panel: Esc closes the editor first, the comparison stays.
    harness.get_by_label_contains(&format!("{} — ", backlog[0])).click();
    harness.run();
    harness.get_by_label("Save changes");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Save changes").is_none(), "the editor closed");
    harness.get_by_label("Close the comparison");

    // Close: the markers go.
    harness.get_by_label("Close the comparison").click();
    harness.run();
    let name =
        harness.get_by_label_contains(&format!("{} — ", backlog[1])).accesskit_node().label().unwrap_or_default();
    assert!(!name.contains("since the comparison"), "{name}");
}

#[test]
fn compare_with_a_partners_copy_lists_their_changes_and_jumps_to_the_card() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "mine.sqlite");
    let theirs = folder.path().join("theirs.sqlite");
    std::fs::copy(&path, &theirs).unwrap();
    // The partner re-estimates a card in their copy.
    let backlog = column_order(&path, "Backlog");
    {
        let connection = rusqlite::Connection::open(&theirs).unwrap();
        connection.execute("UPDATE items SET points = 21 WHERE title = ?1", [&backlog[3]]).unwrap();
    }
    let before = std::fs::read(&theirs).unwrap();
    let mut harness = app_harness(&path);
    harness.state_mut().use_builtin_file_dialog();
    file_menu(&mut harness, "Compare…");
    harness.get_by_label_contains("There are no baselines yet");
    harness.get_by_label("A copy of this plan…").click();
    harness.run();
    crate::common::open_in_the_dialog(&mut harness, "theirs.sqlite");
    harness.run();
    harness.get_by_label_contains("1 difference from the copy 'theirs.sqlite'");
    harness.get_by_label_contains(&format!("Re-estimated '{}': ", backlog[3])).click();
    harness.run();
    let label = format!("{} — ", backlog[3]);
    let card = harness.get_by_label_contains(&label);
    assert_eq!(card.accesskit_node().toggled(), Some(egui::accesskit::Toggled::True), "the entry selects its card");
    assert_eq!(std::fs::read(&theirs).unwrap(), before, "the copy is only read");
}

#[test]
fn an_epic_moved_since_the_baseline_is_marked_on_its_bar_and_its_entry_shows_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "r.sqlite");
    {
        let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
        app.save_baseline("Steering", "").unwrap();
    }
    let mut harness = app_harness(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    harness.get_by_label("Actions for epic Delivery slot planner").click();
    harness.run();
    crate::common::menu_entry(&harness, "Move a week later").click();
    harness.run();
    file_menu(&mut harness, "Compare…");
    let entry = harness.get_by_label_contains("The epic 'Delivery slot planner' now runs ");
    let text = entry.accesskit_node().label().unwrap_or_default();
    assert!(text.contains("(it ran "), "{text}");
    let bar = harness.get_by_label_contains("Epic Delivery slot planner,");
    let name = bar.accesskit_node().label().unwrap_or_default();
    assert!(name.ends_with(", dates changed since the comparison"), "{name}");

    // From the board, the entry brings the roadmap back with the bar selected.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num1);
    harness.run();
    harness.get_by_label_contains("The epic 'Delivery slot planner' now runs ").click();
    harness.run();
    harness.get_by_label_contains("Epic Delivery slot planner,");
    harness.get_by_label("Close the comparison").click();
    harness.run();
    let name =
        harness.get_by_label_contains("Epic Delivery slot planner,").accesskit_node().label().unwrap_or_default();
    assert!(!name.contains("since the comparison"), "{name}");
}

#[test]
fn baselines_that_cannot_be_read_are_said_in_the_compare_panel_and_a_new_one_shows_at_once() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "unreadable.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute("INSERT INTO baselines (name, created_at) VALUES ('Edited elsewhere', 'last Tuesday')", [])
        .unwrap();
    drop(connection);
    let mut harness = app_harness(&path);

    file_menu(&mut harness, "Compare…");
    harness.get_by_label_contains("The baselines could not be read");
    harness.get_by_label_contains("'Edited elsewhere' has an unreadable time 'last Tuesday'");

    // Once the broken one is gone, a baseline saved with the panel open is in its list at once.
    rusqlite::Connection::open(&path).unwrap().execute("DELETE FROM baselines", []).unwrap();
    file_menu(&mut harness, "Save baseline…");
    harness.get_by_label("Name").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Name").type_text("After the workshop");
    harness.get_by_label("Save baseline").click();
    harness.run();
    assert!(harness.query_by_label_contains("The baselines could not be read").is_none());
    let mentions =
        |harness: &Harness<'static, TandemApp>| harness.query_all_by_label_contains("'After the workshop'").count();
    let before = mentions(&harness);
    harness.get_by_label("Compare with").click();
    harness.run();
    assert_eq!(mentions(&harness), before + 1, "the list offers the new baseline");
}

#[test]
fn on_a_large_plan_the_comparison_follows_changes_beside_the_window_keeping_what_the_change_said() {
    let folder = tempfile::tempdir().unwrap();
    // Large enough that comparing takes longer than a frame or two.
    let path = folder.path().join("large.sqlite");
    tandem::demo::generate(&path, 3_000).unwrap();
    {
        let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
        app.save_baseline("Before PI 4 planning", "").unwrap();
    }
    let mut harness = app_harness(&path);
    // As above 20,000 items: comparisons are worked out on a worker thread (a test plan is smaller).
    harness.state_mut().set_worker_above(0);
    file_menu(&mut harness, "Compare…");
    harness.get_by_label_contains("No differences from the baseline 'Before PI 4 planning'");
    assert!(harness.state().status_text().unwrap_or_default().starts_with("Compared with the baseline"));

    // A move from the keyboard: the panel compares again on the worker, the list meanwhile the last one.
    let backlog = second_backlog_card_to_the_top(&mut harness, &path);
    let mut said_comparing = false;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if harness
            .query_by_label("Comparing again with the plan as it is now; the list below is the last comparison.")
            .is_some()
        {
            said_comparing = true;
            harness.get_by_label_contains("No differences from the baseline");
        }
        if harness.query_by_label_contains("1 difference from the baseline").is_some() {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the comparison never arrived");
        harness.step();
    }
    assert!(said_comparing, "the panel said it was comparing again, with the last list shown meanwhile");
    harness.get_by_label(&format!("Reordered '{}' in Backlog: position 2 → 1.", backlog[1]));
    let said = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(said.starts_with(&format!("Moved '{}'", backlog[1])), "the move's sentence stays: {said}");
}

#[test]
fn the_compare_panel_reads_a_baselines_item_count_once() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "counts.sqlite");
    let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    app.save_baseline("First", "").unwrap();
    let read = app.baselines_knowing(&[]).unwrap();
    assert_eq!(read.iter().map(|baseline| baseline.items).collect::<Vec<_>>(), [49]);
    // A baseline already known keeps the count it was read with: it is not counted again.
    let mut known = read.clone();
    known[0].items = 7;
    assert_eq!(app.baselines_knowing(&known).unwrap()[0].items, 7);
    // One deleted and another saved in its place (SQLite may give it the same id) is counted afresh.
    app.delete_baseline("First").unwrap();
    app.save_baseline("Second", "").unwrap();
    let again = app.baselines_knowing(&known).unwrap();
    assert_eq!(
        again.iter().map(|baseline| (baseline.name.as_str(), baseline.items)).collect::<Vec<_>>(),
        [("Second", 49)]
    );
}

/// The sample's objective called `title`, its persona and insight ids by name.
fn sample_objective(app: &tandem::app::App, title: &str) -> tandem::model::Objective {
    app.workspace().objectives.iter().find(|objective| objective.title == title).unwrap().clone()
}

#[test]
fn a_baseline_keeps_objectives_and_research_and_the_comparison_says_how_they_changed() {
    use tandem::app::{Command, ResearchCommand, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "purpose.sqlite");
    let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    app.save_baseline("PI 26.4 planning", "").unwrap();
    assert!(app.compare_with_baseline("PI 26.4 planning").unwrap().differences.is_empty());

    // The system demo scores an objective, one becomes a stretch objective, research changes.
    let mut scored = sample_objective(&app, "Make checkout effortless");
    scored.actual_value = Some(7);
    app.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(scored))).unwrap();
    let mut stretch = sample_objective(&app, "Inclusive by default");
    stretch.uncommitted = true;
    app.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(stretch))).unwrap();
    let persona = tandem::model::Persona {
        persona_id: tandem::model::PersonaId(0),
        name: "Ola, orders for an office".to_owned(),
        description: String::new(),
    };
    app.apply(Command::Research(ResearchCommand::CreatePersona(persona))).unwrap();
    let slots = app.workspace().insights.iter().find(|insight| insight.title.starts_with("Slots are gone")).unwrap();
    app.apply(Command::Research(ResearchCommand::DeleteInsight(slots.insight_id))).unwrap();

    let comparison = app.compare_with_baseline("PI 26.4 planning").unwrap();
    assert_eq!(comparison.left_out, None);
    let texts: Vec<&str> = comparison.differences.iter().map(|difference| difference.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "The objective 'Make checkout effortless' achieved business value 7 of 9 planned (it had no business value).",
            "The objective 'Inclusive by default' is now uncommitted (a stretch objective).",
            "Added the persona 'Ola, orders for an office'.",
            "Removed the insight 'Slots are gone by the time the basket is full' (customer feedback, about Priya, the \
             weekly planner, answered by 2 items).",
        ]
    );
    let text = comparison.to_text();
    assert!(text.contains("Objectives:\n  The objective 'Make checkout effortless'"), "{text}");
    assert!(text.contains("UX research:\n  Added the persona"), "{text}");

    // What the baseline kept is in the file, beside it.
    let connection = rusqlite::Connection::open(&path).unwrap();
    let kept: (i64, i64, i64, i64) = connection
        .query_row(
            "SELECT b.format, (SELECT count(*) FROM baseline_objectives o WHERE o.baseline_id = b.baseline_id), \
             (SELECT count(*) FROM baseline_personas p WHERE p.baseline_id = b.baseline_id), \
             (SELECT count(*) FROM baseline_insights i WHERE i.baseline_id = b.baseline_id) FROM baselines b",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .unwrap();
    assert_eq!(kept, (tandem::store::schema::latest_version(), 2, 3, 5));
}

#[test]
fn a_baseline_from_before_baselines_kept_objectives_says_they_are_not_compared() {
    use tandem::app::{Command, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "old.sqlite");
    let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    app.save_baseline("Steering", "").unwrap();
    // As a file migrated from format 17 holds it: marked 17, with nothing kept of objectives or research.
    app.store()
        .connection()
        .execute_batch(
            "UPDATE baselines SET format = 17; DELETE FROM baseline_objectives; DELETE FROM baseline_personas; \
             DELETE FROM baseline_insights;",
        )
        .unwrap();
    let mut scored = sample_objective(&app, "Make checkout effortless");
    scored.actual_value = Some(7);
    app.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(scored))).unwrap();
    let comparison = app.compare_with_baseline("Steering").unwrap();
    assert!(comparison.differences.is_empty(), "nothing called new: {:?}", comparison.differences);
    let left_out = comparison.left_out.clone().unwrap();
    assert!(left_out.contains("objectives and UX research are not compared with it"), "{left_out}");
    assert!(comparison.to_text().contains(&left_out));
    drop(app);

    // The panel says so too.
    let mut harness = app_harness(&path);
    file_menu(&mut harness, "Compare…");
    harness.get_by_label_contains("No differences from the baseline 'Steering'");
    harness.get_by_label_contains("objectives and UX research are not compared with it");
}

#[test]
fn entries_about_objectives_and_research_open_the_objectives_panel_and_the_insight() {
    use tandem::app::{Command, ResearchCommand, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "jump.sqlite");
    {
        let mut app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
        // Enough objectives that the last one is out of the panel's view until shown.
        for number in 1..=6 {
            let mut more = sample_objective(&app, "Make checkout effortless");
            more.title = format!("Objective {number}");
            app.apply(Command::Roadmap(RoadmapCommand::CreateObjective(more))).unwrap();
        }
        app.save_baseline("Steering", "").unwrap();
        let mut renamed = sample_objective(&app, "Objective 6");
        renamed.title = "Inclusive for everyone".to_owned();
        app.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(renamed))).unwrap();
        let mut insight =
            app.workspace().insights.iter().find(|insight| insight.title.starts_with("Prices")).unwrap().clone();
        insight.title = "Prices overlap names at 200% text".to_owned();
        app.apply(Command::Research(ResearchCommand::UpdateInsight(insight))).unwrap();
    }
    let mut harness = app_harness(&path);
    file_menu(&mut harness, "Compare…");
    harness.get_by_label_contains("2 differences from the baseline 'Steering'");
    harness.get_by_label_contains("☑ Objectives (1)");
    harness.get_by_label_contains("☑ UX research (1)");

    harness.get_by_label("Renamed the objective 'Objective 6' to 'Inclusive for everyone'.").click();
    harness.run();
    harness.run();
    // The roadmap, with its objectives panel open and scrolled to the objective.
    harness.get_by_label_contains("Epic Delivery slot planner,");
    let screen = harness.ctx.content_rect();
    let first = harness.get_by_label("Edit the objective 'Make checkout effortless'").rect();
    assert!(first.bottom() < 0.0 || first.top() > screen.bottom() || first.top() < 120.0, "scrolled: {first:?}");
    let edit = harness.get_by_label("Edit the objective 'Inclusive for everyone'");
    assert!(screen.contains_rect(edit.rect()), "the objective is in view: {:?} in {screen:?}", edit.rect());
    assert!(edit.is_focused(), "the keyboard lands on it");

    harness
        .get_by_label("Renamed the insight 'Prices overlap product names at 200% text size' to 'Prices overlap names at 200% text'.")
        .click();
    harness.run();
    harness.run();
    let title = harness.get_by_label("Insight");
    assert_eq!(
        title.value().as_deref(),
        Some("Prices overlap names at 200% text"),
        "the insight's editor is open on it"
    );
}

#[test]
fn comparing_with_a_partners_copy_says_how_their_objectives_and_research_differ() {
    use tandem::app::{Command, ResearchCommand, RoadmapCommand};
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "mine.sqlite");
    let theirs = folder.path().join("theirs.sqlite");
    std::fs::copy(&path, &theirs).unwrap();
    {
        // The PM scores an objective and renames a persona in their copy.
        let mut partner = tandem::app::App::open(&theirs, tandem::app::NewWorkspace::Blank).unwrap();
        let mut scored = sample_objective(&partner, "Inclusive by default");
        scored.actual_value = Some(6);
        partner.apply(Command::Roadmap(RoadmapCommand::UpdateObjective(scored))).unwrap();
        let mut sam =
            partner.workspace().personas.iter().find(|persona| persona.name.starts_with("Sam")).unwrap().clone();
        sam.name = "Sam, uses a screen reader".to_owned();
        partner.apply(Command::Research(ResearchCommand::UpdatePersona(sam))).unwrap();
    }
    let before = std::fs::read(&theirs).unwrap();
    let app = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    let comparison = app.compare_with_file(&theirs).unwrap();
    assert_eq!(comparison.left_out, None);
    let texts: Vec<&str> = comparison.differences.iter().map(|difference| difference.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "The objective 'Inclusive by default' achieved business value 6 of 8 planned (it had no business value).",
            "Renamed the persona 'Sam, shops with a screen reader' to 'Sam, uses a screen reader'.",
        ]
    );
    assert_eq!(std::fs::read(&theirs).unwrap(), before, "the copy is only read");
}
