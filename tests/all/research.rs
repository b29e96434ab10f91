//! UX research: personas and insights in their window, the insight an item answers chosen in the item's
//! editor, deletion that keeps what named them, and undo. Checked in the file.

use std::path::Path;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tandem::app::{App, Command, NewWorkspace, ResearchCommand};
use tandem::ui::TandemApp;

use crate::common::{app_harness, sample_workspace};

fn text_of(path: &Path, sql: &str) -> Option<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.query_row(sql, [], |row| row.get(0)).unwrap_or(None)
}

/// Picks `option` in the combo box labelled `label`, through AccessKit (its list scrolls), and closes it.
fn choose(harness: &mut Harness<'static, TandemApp>, label: &str, option: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.get_by_label(option).click_accesskit();
    harness.run();
    if harness.query_by_label(option).is_some() {
        harness.get_by_label(label).click_accesskit();
        harness.run();
    }
    assert_eq!(harness.get_by_label(label).value().as_deref(), Some(option), "{label}");
}

#[test]
fn a_persona_and_an_insight_are_added_an_item_answers_it_and_deleting_it_keeps_the_item() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "research.sqlite");
    let mut harness = app_harness(&path);
    harness.get_by_label("💡 Research").click();
    harness.run();
    // The sample's research: its personas, and its insights with the items answering them.
    harness.get_by_label("👤 Sam, shops with a screen reader");
    harness.get_by_label("💡 Screen-reader users cannot tell which field an error belongs to");
    harness.get_by_label_contains("Usability test · Usability test, 5 screen-reader users");

    harness.get_by_label("+ Persona").click();
    harness.run();
    harness.get_by_label("Name").type_text("Ada, first-time buyer");
    harness.run();
    harness.get_by_label("Add persona").click();
    harness.run();
    assert_eq!(
        text_of(&path, "SELECT name FROM personas WHERE name LIKE 'Ada%'").as_deref(),
        Some("Ada, first-time buyer")
    );
    harness.get_by_label_contains("Added the persona 'Ada, first-time buyer'.");

    harness.get_by_label("New insight about Ada, first-time buyer").click_accesskit();
    harness.run();
    harness.get_by_label("Insight").type_text("Checkout feels slow on a train");
    harness.run();
    choose(&mut harness, "Kind", "Customer feedback");
    assert_eq!(harness.get_by_label("About persona").value().as_deref(), Some("Ada, first-time buyer"));
    harness.get_by_label("Add insight").click();
    harness.run();
    let stored = "SELECT i.kind || ' about ' || p.name FROM insights i JOIN personas p USING (persona_id) \
                  WHERE i.title = 'Checkout feels slow on a train'";
    assert_eq!(text_of(&path, stored).as_deref(), Some("feedback about Ada, first-time buyer"));

    // An item answers it, chosen in the item's editor (Esc closes the research window first).
    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label("Personas").is_none(), "the research window closed");
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — ").click();
    harness.run();
    choose(&mut harness, "Answers insight", "Checkout feels slow on a train");
    harness.get_by_label("Save changes").click();
    harness.run();
    let answering = "SELECT it.title FROM items it JOIN insights i USING (insight_id) \
                     WHERE i.title = 'Checkout feels slow on a train'";
    assert_eq!(text_of(&path, answering).as_deref(), Some("Apple Pay and Google Pay at checkout"));
    // The card says so to screen readers (and shows 💡).
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout — Story, 5 points");
    harness.get_by_label_contains("answers the insight 'Checkout feels slow on a train'");
    harness.get_by_label("💡 Research").click();
    harness.run();
    harness.get_by_label_contains("Apple Pay and Google Pay at checkout (Ready)");

    // Deleting the insight keeps the item, answering none; one undo links it again.
    harness.get_by_label("Edit the insight 'Checkout feels slow on a train'").click_accesskit();
    harness.run();
    harness.get_by_label("Delete insight…").click();
    harness.run();
    // The question says beforehand what deleting leaves.
    harness.get_by_label(
        "Delete the insight 'Checkout feels slow on a train'? 1 item answering it stays on the board, answering \
         none. Ctrl+Z brings it back.",
    );
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    harness.get_by_label_contains(
        "Deleted the insight 'Checkout feels slow on a train'. 1 item answering it stays on the board.",
    );
    assert_eq!(text_of(&path, answering), None);
    assert_eq!(
        text_of(
            &path,
            "SELECT title FROM items WHERE title = 'Apple Pay and Google Pay at checkout' AND insight_id IS NULL"
        )
        .as_deref(),
        Some("Apple Pay and Google Pay at checkout")
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(
        text_of(&path, answering).as_deref(),
        Some("Apple Pay and Google Pay at checkout"),
        "undo links it again"
    );
}

#[test]
fn deleting_a_persona_keeps_its_insights_and_undo_is_refused_once_another_window_changed_one() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("shared.sqlite");
    let mut a = App::open(&path, NewWorkspace::Sample).unwrap();
    let mut b = App::open(&path, NewWorkspace::Sample).unwrap();
    let sam = a.workspace().personas.iter().find(|persona| persona.name.starts_with("Sam")).unwrap().clone();
    let about = a.workspace().insights.iter().filter(|insight| insight.persona_id == Some(sam.persona_id)).count();
    assert_eq!(about, 1, "the sample has one insight about Sam");
    let applied = a.apply(Command::Research(ResearchCommand::DeletePersona(sam.persona_id))).unwrap();
    assert!(applied.message.contains("1 insight about them stays about no persona."), "{}", applied.message);
    assert!(a.workspace().insights.iter().all(|insight| insight.persona_id != Some(sam.persona_id)));
    assert_eq!(a.workspace().insights.len(), 5, "no insight went with the persona");
    a.undo().unwrap();
    assert_eq!(
        a.workspace().insights.iter().filter(|insight| insight.persona_id == Some(sam.persona_id)).count(),
        1,
        "undo brings the persona back with its insight's link"
    );

    // Deleted again; meanwhile window B rewords the insight that was about Sam: the undo is refused.
    a.apply(Command::Research(ResearchCommand::DeletePersona(sam.persona_id))).unwrap();
    b.follow_external_changes().unwrap();
    let mut reworded =
        b.workspace().insights.iter().find(|insight| insight.title.starts_with("Screen-reader")).unwrap().clone();
    reworded.detail = "Reworded in window B".to_owned();
    b.apply(Command::Research(ResearchCommand::UpdateInsight(reworded))).unwrap();
    let error = a.undo().unwrap_err();
    assert!(error.to_string().contains("Screen-reader users cannot tell"), "{error}");
    a.follow_external_changes().unwrap();
    assert!(a.workspace().personas.iter().all(|persona| persona.persona_id != sam.persona_id), "nothing was undone");
    assert!(a.workspace().insights.iter().any(|insight| insight.detail == "Reworded in window B"), "B's words stand");
}

/// The titles of the items on the board that `condition` (on `it`, the item, and `i`, its insight) picks.
fn titles(path: &Path, condition: &str) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let sql = format!(
        "SELECT it.title FROM items it LEFT JOIN insights i USING (insight_id) LEFT JOIN personas p \
         ON p.persona_id = i.persona_id WHERE it.archived_at IS NULL AND ({condition}) ORDER BY it.title"
    );
    let mut statement = connection.prepare(&sql).unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn the_board_is_filtered_to_the_items_answering_a_persona_or_an_insight() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "research-filter.sqlite");
    let all = titles(&path, "1").len();
    let for_sam = titles(&path, "p.name = 'Sam, shops with a screen reader'");
    let not_for_sam = titles(&path, "p.name IS NOT 'Sam, shops with a screen reader'");
    assert!(!for_sam.is_empty() && !not_for_sam.is_empty(), "the sample has items either side");
    let mut harness = app_harness(&path);

    choose(&mut harness, "Filter by research", "For 👤 Sam, shops with a screen reader");
    harness.get_by_label(&format!("Showing {} of {all}", for_sam.len()));
    for title in &for_sam {
        harness.get_by_label_contains(&format!("{title} — "));
    }
    assert!(harness.query_by_label_contains(&format!("{} — ", not_for_sam[0])).is_none());

    let answering = titles(&path, "i.insight_id IS NOT NULL").len();
    choose(&mut harness, "Filter by research", "💡 Answers an insight");
    harness.get_by_label(&format!("Showing {answering} of {all}"));
    harness.get_by_label("✖ Clear filters").click();
    harness.run();
    assert_eq!(harness.get_by_label("Filter by research").value().as_deref(), Some("All research"));

    // From the research window: one insight's items, said in words.
    let insight = "Screen-reader users cannot tell which field an error belongs to";
    let answering_it = titles(&path, &format!("i.title = '{insight}'"));
    assert!(!answering_it.is_empty());
    harness.get_by_label("💡 Research").click();
    harness.run();
    harness.get_by_label(&format!("Show the items answering '{insight}' on the board")).click_accesskit();
    harness.run();
    harness.get_by_label(&format!("Showing {} of {all}", answering_it.len()));
    harness.get_by_label_contains(&format!("The board shows only the items that answer the insight '{insight}'."));
    for title in &answering_it {
        harness.get_by_label_contains(&format!("{title} — "));
    }

    assert!(harness.query_by_label("Personas").is_none(), "the research window made way for the board");

    // And a persona's, from its row.
    harness.get_by_label("💡 Research").click();
    harness.run();
    harness.get_by_label("Show the items for Sam, shops with a screen reader on the board").click_accesskit();
    harness.run();
    harness.get_by_label(&format!("Showing {} of {all}", for_sam.len()));
    harness.get_by_label_contains("The board shows only the items that answer an insight about Sam");
}

#[test]
fn an_insight_is_measured_on_a_kpi_whose_chart_lists_it_and_opens_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "research-kpi.sqlite");
    let mut harness = app_harness(&path);
    let insight = "Slots are gone by the time the basket is full";
    let measured_on =
        format!("SELECT m.name FROM insights i JOIN metrics m USING (metric_id) WHERE i.title = '{insight}'");
    assert_eq!(text_of(&path, &measured_on), None, "the sample measures this one on no KPI");

    harness.get_by_label("💡 Research").click();
    harness.run();
    harness.get_by_label(&format!("Edit the insight '{insight}'")).click_accesskit();
    harness.run();
    choose(&mut harness, "Measured on KPI", "Weekly active shoppers");
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(text_of(&path, &measured_on).as_deref(), Some("Weekly active shoppers"));

    // The research window leads to the KPI, whose chart lists the insight and marks its day.
    harness.get_by_label("📈 Measured on the KPI 'Weekly active shoppers'").click_accesskit();
    harness.run();
    assert!(harness.query_by_label("Personas").is_none(), "the research window made way for the chart");
    harness.get_by_label_contains("Chart of Weekly active shoppers with");
    harness.get_by_label_contains("; an insight of UX research is marked on its day");
    harness.get_by_label_contains(&format!("💡 {insight} (Customer feedback, ")).click_accesskit();
    harness.run();
    assert_eq!(harness.get_by_label("Insight").value().as_deref(), Some(insight), "the insight's window opened");
    assert_eq!(harness.get_by_label("Measured on KPI").value().as_deref(), Some("Weekly active shoppers"));

    // The dashboard's cards count the research on each KPI: Weekly active shoppers now has one, as Monthly churn
    // had; Checkout conversion's count sits beside the objective it serves.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("⬅ All KPIs").click_accesskit();
    harness.run();
    assert_eq!(harness.query_all_by_label("💡 1 insight").count(), 2);
    harness.get_by_label("💡 1 insight · Serves: Make checkout effortless");
}

#[test]
fn deleting_a_kpi_keeps_the_insights_measured_on_it_and_undo_links_them_again() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("kpi.sqlite");
    let mut app = App::open(&path, NewWorkspace::Sample).unwrap();
    let conversion =
        app.workspace().metrics.iter().find(|metric| metric.name == "Checkout conversion").unwrap().clone();
    let measured = |app: &App| {
        app.workspace().insights.iter().filter(|insight| insight.metric_id == Some(conversion.metric_id)).count()
    };
    assert_eq!(measured(&app), 1, "the sample measures one insight on checkout conversion");
    let applied =
        app.apply(Command::Planning(tandem::app::PlanningCommand::DeleteMetric(conversion.metric_id))).unwrap();
    assert!(applied.message.contains("The insight measured on it stays, on no KPI."), "{}", applied.message);
    assert_eq!(measured(&app), 0);
    assert_eq!(app.workspace().insights.len(), 5, "no insight went with the KPI");
    let in_file = "SELECT count(*) FROM insights WHERE metric_id IS NOT NULL";
    let linked = |path: &Path| -> i64 {
        rusqlite::Connection::open(path).unwrap().query_row(in_file, [], |row| row.get(0)).unwrap()
    };
    assert_eq!(linked(&path), 3);
    app.undo().unwrap();
    assert_eq!(measured(&app), 1, "undo brings the KPI back with the insight's link");
    assert_eq!(linked(&path), 4);
    assert!(app.workspace().metrics.iter().any(|metric| metric.metric_id == conversion.metric_id));
}

#[test]
fn an_insight_saved_on_a_kpi_another_window_deleted_is_refused_and_nothing_changes() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("kpi-gone.sqlite");
    let mut a = App::open(&path, NewWorkspace::Sample).unwrap();
    let mut b = App::open(&path, NewWorkspace::Sample).unwrap();
    let nps = a.workspace().metrics.iter().find(|metric| metric.name == "Net Promoter Score").unwrap().metric_id;
    b.apply(Command::Planning(tandem::app::PlanningCommand::DeleteMetric(nps))).unwrap();
    let mut insight = a.workspace().insights[2].clone();
    insight.metric_id = Some(nps);
    insight.detail = "Edited in window A".to_owned();
    let error = a.apply(Command::Research(ResearchCommand::UpdateInsight(insight))).unwrap_err();
    assert!(error.to_string().contains(&format!("The KPI #{} no longer exists", nps.0)), "{error}");
    let detail = text_of(&path, "SELECT detail FROM insights WHERE detail = 'Edited in window A'");
    assert_eq!(detail, None, "nothing was written");
}

#[test]
fn a_research_filter_whose_insight_another_window_deletes_is_cleared_and_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "research-gone.sqlite");
    let all = titles(&path, "1").len();
    let mut harness = app_harness(&path);
    let insight = "Screen-reader users cannot tell which field an error belongs to";
    let answering = titles(&path, &format!("i.title = '{insight}'")).len();
    harness.get_by_label("💡 Research").click();
    harness.run();
    harness.get_by_label(&format!("Show the items answering '{insight}' on the board")).click_accesskit();
    harness.run();
    harness.get_by_label(&format!("Showing {answering} of {all}"));

    // Another window deletes the insight: the board shows everything again, and says why.
    let mut other = App::open(&path, NewWorkspace::Blank).unwrap();
    let insight_id = other.workspace().insights.iter().find(|i| i.title == insight).unwrap().insight_id;
    other.apply(Command::Research(ResearchCommand::DeleteInsight(insight_id))).unwrap();
    for _ in 0..5 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    harness.run();
    harness.get_by_label_contains("The research filter was cleared");
    assert!(harness.query_by_label_contains("Showing ").is_none(), "no filter is left");
    assert_eq!(harness.get_by_label("Filter by research").value().as_deref(), Some("All research"));
}

#[test]
fn deleting_a_persona_asks_first_and_says_its_insights_stay() {
    let folder = tempfile::tempdir().unwrap();
    let path = sample_workspace(&folder, "persona.sqlite");
    let about =
        "SELECT count(*) FROM insights i JOIN personas p USING (persona_id) WHERE p.name = 'Priya, the weekly planner'";
    assert_eq!(text_of(&path, &format!("SELECT CAST(({about}) AS TEXT)")).as_deref(), Some("3"));
    let mut harness = app_harness(&path);
    harness.get_by_label("💡 Research").click();
    harness.run();
    harness.get_by_label("Edit the persona 'Priya, the weekly planner'").click_accesskit();
    harness.run();
    harness.get_by_label("Delete persona…").click();
    harness.run();
    harness.get_by_label(
        "Delete the persona 'Priya, the weekly planner'? 3 insights about them stay, about no persona. Ctrl+Z \
         brings it back.",
    );
    harness.get_by_label("Keep it").click();
    harness.run();
    assert_eq!(text_of(&path, &format!("SELECT CAST(({about}) AS TEXT)")).as_deref(), Some("3"), "nothing deleted");
    harness.get_by_label("Delete persona…").click();
    harness.run();
    harness.get_by_label("Yes, delete it").click();
    harness.run();
    harness.get_by_label_contains("Deleted the persona 'Priya, the weekly planner'. 3 insights about them stay");
    assert_eq!(text_of(&path, "SELECT name FROM personas WHERE name LIKE 'Priya%'"), None);
}
