//! Starting and completing sprints: one runs at a time, completing moves the unfinished items on and
//! keeps their points in the sprint's velocity, all in one undoable step. Checked in the file.

use std::path::Path;

use egui_kittest::kittest::Queryable as _;
use tandem::app::{App, Carry, Command, NewWorkspace, PlanningCommand};
use tandem::model::{Sprint, SprintId, SprintState};

use crate::common::{app_harness as harness, sample_workspace};

/// How many items are planned in the sprint of that name, from the file.
fn in_sprint(path: &Path, sprint: &str) -> usize {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection
        .query_row("SELECT count(*) FROM items i JOIN sprints s USING (sprint_id) WHERE s.name = ?1", [sprint], |row| {
            row.get::<_, i64>(0)
        })
        .map(|count| usize::try_from(count).unwrap())
        .unwrap()
}

fn sprint_named(app: &App, name: &str) -> Sprint {
    app.workspace().sprints.iter().find(|sprint| sprint.name == name).unwrap().clone()
}

fn add_sprint_24(app: &mut App) -> SprintId {
    let last = sprint_named(app, "Sprint 23");
    let next = Sprint {
        sprint_id: SprintId(0),
        name: "Sprint 24".to_owned(),
        goal: String::new(),
        start_date: tandem::model::add_days(last.end_date, 3),
        end_date: tandem::model::add_days(last.end_date, 14),
        capacity_points: 30.0,
        started_at: None,
        completed_at: None,
        carried_over_points: 0.0,
    };
    app.apply(Command::Planning(PlanningCommand::CreateSprint(next))).unwrap();
    sprint_named(app, "Sprint 24").sprint_id
}

#[test]
fn completing_moves_unfinished_items_on_and_velocity_still_counts_what_the_sprint_committed_to() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let sprint_24 = add_sprint_24(&mut app);
    let sprint_23 = sprint_named(&app, "Sprint 23");
    assert_eq!(sprint_23.state(), SprintState::Active, "the sample runs Sprint 23");
    let velocity = |app: &App| {
        let changes = app.status_changes().unwrap();
        let log = tandem::model::delivery::DeliveryLog::new(
            &app.workspace().columns,
            app.workspace().all_items(),
            &changes,
            None,
            |instant| instant.to_zoned(jiff::tz::TimeZone::UTC).date(),
        );
        let end = sprint_named(app, "Sprint 23").end_date;
        log.velocity(&app.workspace().sprints, tandem::model::add_days(end, 1))
            .into_iter()
            .find(|velocity| velocity.name == "Sprint 23")
            .map(|velocity| (velocity.committed, velocity.done))
            .unwrap()
    };
    let before = velocity(&app);
    let total = in_sprint(&path, "Sprint 23");
    let applied = app
        .apply(Command::Planning(PlanningCommand::CompleteSprint {
            sprint_id: sprint_23.sprint_id,
            carry_to: Carry::Sprint(sprint_24),
        }))
        .unwrap();
    assert!(applied.message.starts_with("Completed Sprint 23: "), "{}", applied.message);
    assert!(applied.message.contains("moved to Sprint 24"), "{}", applied.message);
    let moved = in_sprint(&path, "Sprint 24");
    assert!(moved > 0, "unfinished items moved on");
    assert_eq!(in_sprint(&path, "Sprint 23") + moved, total, "done items stay in Sprint 23");
    let completed = sprint_named(&app, "Sprint 23");
    assert_eq!(completed.state(), SprintState::Completed);
    assert!(completed.carried_over_points > 0.0);
    assert_eq!(velocity(&app), before, "the sprint still committed to what it carried over");

    app.undo().unwrap();
    assert_eq!(in_sprint(&path, "Sprint 23"), total, "one undo puts every item back");
    assert_eq!(sprint_named(&app, "Sprint 23").state(), SprintState::Active);
}

#[test]
fn one_sprint_runs_at_a_time_and_a_planned_sprint_is_not_completed() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
    let sprint_24 = add_sprint_24(&mut app);
    let error = app.apply(Command::Planning(PlanningCommand::StartSprint(sprint_24))).unwrap_err().to_string();
    assert!(error.contains("Sprint 23 is still active; complete it first"), "{error}");
    let error = app
        .apply(Command::Planning(PlanningCommand::CompleteSprint { sprint_id: sprint_24, carry_to: Carry::Backlog }))
        .unwrap_err()
        .to_string();
    assert!(error.contains("Sprint 24 has not started"), "{error}");
    assert_eq!(sprint_named(&app, "Sprint 24").state(), SprintState::Planned, "nothing changed");
}

#[test]
fn the_planning_panel_completes_the_sprint_into_the_backlog_and_starts_the_next() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    {
        let mut app = App::open(&path, NewWorkspace::Blank).unwrap();
        add_sprint_24(&mut app);
    }
    let total = in_sprint(&path, "Sprint 23");
    let mut harness = harness(&path);
    harness.get_by_label("🏃 Sprint planning").click();
    harness.run();
    harness.get_by_label_contains("Active since");
    harness.get_by_label("Complete sprint…").click();
    harness.run();
    assert_eq!(in_sprint(&path, "Sprint 23"), total, "nothing changes before the answer");
    harness.get_by_label("Move unfinished items to").click();
    harness.run();
    harness.get_by_label("The unplanned backlog").click();
    harness.run();
    harness.get_by_label("Complete Sprint 23").click();
    harness.run();
    let left = in_sprint(&path, "Sprint 23");
    assert!(left < total, "unfinished items left the sprint");
    assert_eq!(in_sprint(&path, "Sprint 24"), 0, "to the backlog, not to Sprint 24");
    // The panel goes on to the next sprint; the completed one says so when chosen.
    assert_eq!(harness.get_by_label("Sprint").value().as_deref(), Some("Sprint 24"));
    harness.get_by_label("Sprint").click();
    harness.run();
    harness.get_by_label("Sprint 23").click();
    harness.run();
    harness.get_by_label_contains("✔ Completed on");

    harness.get_by_label("Sprint").click();
    harness.run();
    harness.get_by_label("Sprint 24").click();
    harness.run();
    harness.get_by_label("▶ Start sprint").click();
    harness.run();
    harness.get_by_label_contains("Active since");
    let app = App::open(&path, NewWorkspace::Blank).unwrap();
    assert_eq!(sprint_named(&app, "Sprint 24").state(), SprintState::Active);
}

#[test]
fn saving_the_sprint_editor_never_reopens_a_sprint_completed_meanwhile() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "plan.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("🏃 Sprint planning").click();
    harness.run();
    harness.get_by_label("Edit sprint…").click();
    harness.run();
    harness.get_by_label("Goal").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    harness.run();
    harness.get_by_label("Goal").type_text(" Ship one-tap checkout.");
    harness.run();

    // Meanwhile another window completes the sprint.
    let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
    let sprint_id = sprint_named(&other, "Sprint 23").sprint_id;
    other.apply(Command::Planning(PlanningCommand::CompleteSprint { sprint_id, carry_to: Carry::Backlog })).unwrap();
    harness.run();

    harness.get_by_label("Save sprint").click();
    harness.run();
    let (goal, completed): (String, Option<String>) = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT goal, completed_at FROM sprints WHERE sprint_id = ?1", [sprint_id.0], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert!(goal.contains(" Ship one-tap checkout."), "the new goal is saved: {goal}");
    assert!(completed.is_some(), "and the sprint stays completed");
}

#[test]
fn completing_into_a_new_sprint_makes_the_next_one_and_one_undo_takes_it_away() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "next.sqlite");
    let total = in_sprint(&path, "Sprint 23");
    let mut harness = harness(&path);
    harness.get_by_label("🏃 Sprint planning").click();
    harness.run();
    harness.get_by_label("Complete sprint…").click();
    harness.run();
    // The sample has no sprint after Sprint 23 (16 Nov – 27 Nov, a Friday): the new one is offered, two
    // weeks from the Monday after.
    harness.get_by_label("Move unfinished items to").click();
    harness.run();
    harness.get_by_label("A new sprint, Sprint 24 (30 Nov – 11 Dec)").click();
    harness.run();
    assert_eq!(
        harness.get_by_label("Move unfinished items to").value().as_deref(),
        Some("A new sprint, Sprint 24 (30 Nov – 11 Dec)")
    );
    let sprints = |path: &Path| -> i64 {
        rusqlite::Connection::open(path)
            .unwrap()
            .query_row("SELECT count(*) FROM sprints", [], |row| row.get(0))
            .unwrap()
    };
    let before = sprints(&path);
    harness.get_by_label("Complete Sprint 23").click();
    harness.run();
    assert_eq!(sprints(&path), before + 1);
    let moved = in_sprint(&path, "Sprint 24");
    assert!(moved > 0, "the unfinished items are in the new sprint");
    assert_eq!(in_sprint(&path, "Sprint 23") + moved, total);
    harness.get_by_label_contains("moved to the new sprint Sprint 24 (30 Nov – 11 Dec)");
    // The panel goes on to the new sprint, ready to start.
    assert_eq!(harness.get_by_label("Sprint").value().as_deref(), Some("Sprint 24"));
    harness.get_by_label("▶ Start sprint");
    let app = App::open(&path, NewWorkspace::Blank).unwrap();
    let next = sprint_named(&app, "Sprint 24");
    let last = sprint_named(&app, "Sprint 23");
    assert_eq!((next.state(), next.capacity_points), (SprintState::Planned, last.capacity_points));
    assert_eq!((next.start_date, next.end_date), (jiff::civil::date(2026, 11, 30), jiff::civil::date(2026, 12, 11)));
    drop(app);

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(sprints(&path), before, "one undo takes the new sprint away");
    assert_eq!(in_sprint(&path, "Sprint 23"), total, "and puts every item back");
    assert_eq!(harness.get_by_label("Sprint").value().as_deref(), Some("Sprint 23"));
    harness.get_by_label_contains("Active since");
}
