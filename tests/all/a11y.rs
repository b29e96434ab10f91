//! What a screen reader gets: headings, cards that say where they are, announcements that are spoken
//! again when repeated, undo that says where a card went, WIP breaches and validation errors said at
//! once.

use egui::accesskit::{Live, Role};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{AccessKitNode, NodeT as _, Queryable as _};

use crate::common::{app_harness as harness, sample_workspace as workspace};

#[test]
fn columns_and_views_are_headings_and_cards_say_their_place() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "h.sqlite");
    let harness = harness(&path);
    for column in ["Backlog", "Ready", "In progress", "Review", "Done"] {
        assert_eq!(harness.get_by_label(column).accesskit_node().role(), Role::Heading, "{column}");
    }
    assert_eq!(harness.get_by_label("Basket").accesskit_node().role(), Role::Heading, "the product");
    let card = harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ");
    let name = card.accesskit_node().label().unwrap_or_default();
    assert!(name.ends_with("1 of 15 in Backlog"), "{name}");
}

#[test]
fn a_repeated_announcement_is_new_text_and_undo_says_where_the_card_went() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "r.sqlite");
    let mut harness = harness(&path);
    // Select the first card; Ctrl+Home twice: "already there", then the same again, counted.
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    harness.run();
    let first = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(first.contains("is already there"), "{first}");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    harness.run();
    let second = harness.state().status_text().unwrap_or_default().to_owned();
    assert_eq!(second, format!("{first} (2×)"), "said again, as new text");
    let status = harness.get_by_label_contains("(2×)");
    assert_eq!(status.accesskit_node().live(), Live::Polite, "a live region");

    // Move it down, then undo: the message says where it is now.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    let undo = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(undo.ends_with("'Hold a delivery slot for 30 minutes' is at position 1 of 15 in Backlog."), "{undo}");
}

#[test]
fn a_move_over_the_wip_limit_is_said_in_words() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "w.sqlite");
    let mut harness = harness(&path);
    // In progress holds 3 with a limit of 4: the second card moved in breaches it.
    for title in ["Hold a delivery slot for 30 minutes", "See two weeks of delivery slots at a glance"] {
        harness.get_by_label(&format!("Actions for {title}")).click();
        harness.run();
        harness.get_by_label("Move to column").click();
        harness.run();
        crate::common::menu_entry(&harness, "In progress").click();
        harness.run();
    }
    let status = harness.state().status_text().unwrap_or_default().to_owned();
    assert!(status.ends_with("⚠ In progress is over its WIP limit: 5 items, limit 4."), "{status}");
}

#[test]
fn a_validation_error_is_announced_at_once() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "v.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("+ New item").click();
    harness.run();
    harness.get_by_label("Create item").click();
    harness.run();
    let error = harness.get_by_label_contains("The title is empty");
    assert_eq!(error.accesskit_node().live(), Live::Assertive);
    // The Title field says it is invalid and points at the message.
    let title = harness.get_by_label("Title");
    let title = title.accesskit_node();
    assert_eq!(title.data().invalid(), Some(egui::accesskit::Invalid::True));
    assert!(title.data().error_message().is_some(), "the field names its error message");
}

#[test]
fn a_card_half_out_of_view_scrolls_in_when_it_gets_the_focus() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "s.sqlite");
    let mut harness = harness(&path);
    let status_top = harness.get_by_label("49 items").rect().top();
    // The lowest Backlog card drawn is cut off by the bottom of the window.
    let cut = harness
        .get_all_by(|node| {
            node.role() == Role::Button && node.label().is_some_and(|label| label.ends_with(" of 15 in Backlog"))
        })
        .map(|node| (node.accesskit_node().label().unwrap_or_default(), node.rect()))
        .max_by(|a, b| a.1.top().total_cmp(&b.1.top()))
        .unwrap();
    assert!(cut.1.bottom() > status_top - 20.0, "the card is cut off: {cut:?}, status bar at {status_top}");
    harness.get_by_label(&cut.0).focus();
    harness.run();
    let title = format!("{} — ", cut.0.split(" — ").next().unwrap());
    let rect = harness.get_by_label_contains(&title).rect();
    assert!(rect.bottom() < status_top - 20.0, "scrolled into view: {rect:?}, status bar at {status_top}");
}

#[test]
fn windows_are_dialogs_that_take_the_focus_and_the_window_has_a_name() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "d.sqlite");
    let mut harness = harness(&path);
    let root = harness.root();
    assert!(
        root.accesskit_node().label().is_some_and(|name| name.starts_with("Basket — ")),
        "the window is named after the product and file: {:?}",
        root.accesskit_node().label()
    );
    harness.get_by_label("Ready column menu").click();
    harness.run();
    harness.get_by_label("Rename, WIP limit, done…").click();
    harness.run();
    harness.run();
    let dialog = harness.get_by(|node| node.role() == Role::Dialog);
    assert_eq!(dialog.accesskit_node().label().as_deref(), Some("Column settings"));
    assert!(harness.get_by_label("Column name").is_focused(), "the first field has the focus");
}

#[test]
fn combo_boxes_say_their_value_and_menu_entries_are_24_points_high() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "c.sqlite");
    let mut harness = harness(&path);
    assert_eq!(harness.get_by_label("Filter by kind").value().as_deref(), Some("All kinds"));
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    for (combo, value) in [("Kind", "Story"), ("Status", "Backlog"), ("Epic", "Delivery slot planner")] {
        let said = harness.get_by_label(combo).value().unwrap_or_default();
        assert!(said.contains(value), "{combo} says {said:?}");
    }
    harness.get_by_label("Actions for Hold a delivery slot for 30 minutes").click();
    harness.run();
    let open = harness.get_by_label("Open").rect();
    assert!(open.height() >= 24.0, "a menu entry is {} points high", open.height());
}

#[test]
fn the_epic_editor_says_its_dates_and_colour() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "e.sqlite");
    let mut harness = harness(&path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Num2);
    harness.run();
    harness.get_by_label("Actions for epic Delivery slot planner").click();
    harness.run();
    harness.get_by_label("Change dates and details…").click();
    harness.run();
    for field in ["Starts", "Ends"] {
        let said = harness.get_by_label(field).value().unwrap_or_default();
        assert!(said.contains(" 202"), "{field} says its date: {said:?}");
    }
    assert!(harness.get_by_label("Colour").value().is_some_and(|colour| colour.starts_with('#')));
}

/// The children a screen reader lists under `node`: generic containers (egui's layout areas) are looked
/// through, as AccessKit's platform adapters do.
fn seen_children<'t>(node: &AccessKitNode<'t>) -> Vec<AccessKitNode<'t>> {
    node.children()
        .flat_map(|child| if child.role() == Role::GenericContainer { seen_children(&child) } else { vec![child] })
        .collect()
}

/// What a reader says for `node`: its name, or its children's, joined (static text carries its words
/// as its value).
fn spoken(node: &AccessKitNode<'_>) -> String {
    match node.label().or_else(|| node.value()).filter(|words| !words.is_empty()) {
        Some(words) => words,
        None => seen_children(node).iter().map(spoken).filter(|words| !words.is_empty()).collect::<Vec<_>>().join("|"),
    }
}

#[test]
fn the_backlog_list_is_a_table_of_rows_and_cells_with_column_headers() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "t.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("☰ List").click();
    harness.run();
    let table = harness.get_by_role_and_label(Role::Table, "Backlog list");
    let table = table.accesskit_node();
    assert_eq!(table.data().column_count(), Some(10));
    assert_eq!(table.data().row_count(), Some(29), "the 28 items not done yet, and the header");
    let rows: Vec<_> = seen_children(&table).into_iter().filter(|node| node.role() == Role::Row).collect();
    assert!(rows.len() > 5, "the visible rows are rows of the table: {}", rows.len());

    let header = &rows[0];
    assert_eq!(header.data().row_index(), Some(0));
    let headers = seen_children(header);
    assert_eq!(headers.len(), 10, "one column header per column");
    assert!(headers.iter().all(|cell| cell.role() == Role::ColumnHeader));
    assert!(spoken(header).contains("Title|Kind|Status"), "{}", spoken(header));

    let first = &rows[1];
    assert_eq!(first.data().row_index(), Some(1));
    let cells = seen_children(first);
    assert_eq!(cells.len(), 10, "one cell per column");
    assert!(cells.iter().all(|cell| cell.role() == Role::Cell));
    assert_eq!(cells[3].data().column_index(), Some(3));
    let said = spoken(first);
    assert!(said.contains("Hold a delivery slot for 30 minutes") && said.contains("|Backlog|"), "{said}");
    assert!(
        first.bounding_box().is_some_and(|bounds| bounds.width() > 600.0),
        "a row spans the table: {:?}",
        first.bounding_box()
    );
}

#[test]
fn the_view_menu_zooms_without_the_keyboard_and_says_the_zoom() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "z.sqlite");
    let mut harness = harness(&path);
    let zoom = harness.ctx.zoom_factor();
    harness.get_by_label("View").click();
    harness.run();
    crate::common::menu_entry(&harness, "Zoom in").click();
    harness.run();
    harness.run();
    assert!((harness.ctx.zoom_factor() - (zoom + 0.1)).abs() < 0.01, "{}", harness.ctx.zoom_factor());
    harness.get_by_label("View").click();
    harness.run();
    crate::common::menu_entry(&harness, &format!("Actual size (now {:.0}%)", (zoom + 0.1) * 100.0)).click();
    harness.run();
    harness.run();
    assert!((harness.ctx.zoom_factor() - 1.0).abs() < 0.01, "{}", harness.ctx.zoom_factor());
    harness.get_by_label("View").click();
    harness.run();
    crate::common::menu_entry(&harness, "Zoom out").click();
    harness.run();
    harness.run();
    assert!((harness.ctx.zoom_factor() - 0.9).abs() < 0.01, "{}", harness.ctx.zoom_factor());
}

#[test]
fn the_workspace_path_in_the_status_bar_has_one_tooltip_when_cut_short() {
    use egui_kittest::kittest::Queryable as _;
    let folder = tempfile::tempdir().unwrap();
    let path = crate::common::sample_workspace(&folder, "a workspace with a long name to cut short.sqlite");
    let mut harness = crate::common::app_harness(&path);
    harness.ctx.set_zoom_factor(2.0);
    harness.run();
    let shown = path.display().to_string();
    harness.get_by_label(&shown).hover();
    harness.run();
    harness.run();
    harness.get_by_label(&format!("The workspace file: {shown}"));
    assert_eq!(
        harness.get_all_by_label(&shown).count(),
        1,
        "the label itself, and no second tooltip with the path alone"
    );
}
