//! The board as a product owner drives it: real pointer drags and keyboard moves, checked in the file.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::common;

use egui::{Key, Modifiers, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::NodeT as _;
use egui_kittest::kittest::Queryable as _;
use tandem::store::{MoveTarget, Store};
use tandem::ui::TandemApp;

use crate::common::{
    app_harness as harness, column_order as order, drag, sample_workspace as workspace, snapshot_masked,
};

fn card(harness: &Harness<'_, TandemApp>, title: &str) -> egui::Rect {
    harness.get_by_label_contains(&format!("{title} — ")).rect()
}

/// Just inside the top edge of a card: the drop line goes above it.
fn above(rect: egui::Rect) -> Pos2 {
    pos2(rect.center().x, rect.top() + 6.0)
}

#[test]
fn a_card_dragged_from_backlog_position_3_lands_on_top_of_ready() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "a.sqlite");
    let backlog = order(&path, "Backlog");
    let moved = backlog[2].clone();
    let mut harness = harness(&path);
    let from = card(&harness, &moved).center();
    let to = above(card(&harness, "Apple Pay and Google Pay at checkout"));
    drag(&mut harness, from, to, 8);
    let ready = order(&path, "Ready");
    assert_eq!(ready[0], moved, "the card is first in Ready");
    assert_eq!(ready.len(), 9);
    let mut expected_backlog = backlog.clone();
    expected_backlog.remove(2);
    assert_eq!(order(&path, "Backlog"), expected_backlog, "the backlog keeps its order without it");
    harness.get_by_label_contains(&format!("Moved '{moved}' to position 1 of 9 in Ready"));

    // Undo restores the exact order; redo re-applies.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(order(&path, "Backlog"), backlog);
    assert_eq!(order(&path, "Ready").len(), 8);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run();
    assert_eq!(order(&path, "Ready"), ready);
}

#[test]
fn a_card_dropped_into_an_empty_column_lands_there() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "b.sqlite");
    {
        // Empty the Review column first.
        let (mut store, _) = Store::open(&path).unwrap();
        let columns = common::column_ids(&store);
        for item_id in store.column_order(columns[3]).unwrap() {
            store.move_item(item_id, MoveTarget { column_id: columns[4], after_item: None }).unwrap();
        }
    }
    assert!(order(&path, "Review").is_empty());
    let mut harness = harness(&path);
    let review = harness.get_by_label("Review").rect();
    let from = card(&harness, "Visible focus ring on all checkout controls").center();
    drag(&mut harness, from, pos2(review.center().x, review.bottom() + 200.0), 8);
    assert_eq!(order(&path, "Review"), vec!["Visible focus ring on all checkout controls".to_owned()]);
}

#[test]
fn dragging_to_the_bottom_of_a_long_column_scrolls_and_lands_last() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "c.sqlite");
    let mut harness = harness(&path);
    let moved = "Apple Pay and Google Pay at checkout";
    let from = card(&harness, moved).center();
    let backlog_x = harness.get_by_label("Backlog").rect().center().x;
    let near_bottom = pos2(backlog_x, 752.0);
    // Carry the card to the bottom edge of the backlog and hold it there while the column scrolls.
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.step();
    for step in 1..=8u8 {
        harness.hover_at(from.lerp(near_bottom, f32::from(step) / 8.0));
        harness.step();
    }
    for _ in 0..120 {
        harness.hover_at(near_bottom);
        harness.step();
    }
    snapshot_masked(&mut harness, "board_dragging_to_bottom");
    harness.drop_at(near_bottom);
    harness.run();
    let backlog = order(&path, "Backlog");
    assert_eq!(backlog.len(), 16);
    assert_eq!(backlog.last().map(String::as_str), Some(moved), "the card is last in the backlog");
}

#[test]
fn escape_cancels_a_drag_and_the_file_is_unchanged() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "d.sqlite");
    let before = {
        let (store, _) = Store::open(&path).unwrap();
        common::dump(&store)
    };
    let mut harness = harness(&path);
    let from = card(&harness, "Hold a delivery slot for 30 minutes").center();
    let to = above(card(&harness, "Apple Pay and Google Pay at checkout"));
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.step();
    for step in 1..=6u8 {
        harness.hover_at(from.lerp(to, f32::from(step) / 6.0));
        harness.step();
    }
    harness.key_press(Key::Escape);
    harness.step();
    harness.drop_at(to);
    harness.run();
    let (store, _) = Store::open(&path).unwrap();
    assert_eq!(common::dump(&store), before, "nothing moved");
    harness.get_by_label_contains("Drag cancelled");
}

#[test]
fn a_drag_in_a_filtered_board_lands_below_its_visible_neighbour_and_keeps_hidden_cards_in_order() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "e.sqlite");
    let backlog_before = order(&path, "Backlog");
    let mut harness = harness(&path);
    // Only bugs: Backlog shows "Promo banner…" and "Coupon field…", Ready shows "Focus jumps…".
    harness.get_by_label("Filter by kind").click();
    harness.run();
    harness.get_by_label("🐛 Bug").click();
    harness.run();
    harness.get_by_label("Showing 10 of 49");
    let moved = "Focus jumps to top after removing a basket line";
    let from = card(&harness, moved).center();
    let coupon = card(&harness, "Coupon field accepts expired codes");
    drag(&mut harness, from, above(coupon), 8);
    let backlog = order(&path, "Backlog");
    let promo = backlog.iter().position(|title| title == "Promo banner auto-rotates and cannot be paused").unwrap();
    assert_eq!(backlog[promo + 1], moved, "it lands right below the visible card above the line");
    let without: Vec<String> = backlog.iter().filter(|title| *title != moved).cloned().collect();
    assert_eq!(without, backlog_before, "hidden cards keep their order");
    // The filter's result follows the move (kept, not searched again) and then an edit (searched again).
    harness.get_by_label("Showing 10 of 49");
    harness.get_by_label_contains(&format!("{moved} — ")).click();
    harness.run();
    harness.get_by_label("Kind").click();
    harness.run();
    harness.get_by_label("📄 Story").click();
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    harness.get_by_label("Showing 9 of 49");
    assert!(harness.query_by_label_contains(&format!("{moved} — ")).is_none(), "no longer a bug: filtered out");
}

#[test]
fn keyboard_moves_equal_the_same_drags_and_are_announced() {
    let folder = tempfile::tempdir().unwrap();
    let by_keys = workspace(&folder, "keys.sqlite");
    let by_drag = workspace(&folder, "drag.sqlite");
    let title = "Change the slot of a placed order"; // Backlog, position 4.

    let mut keys = harness(&by_keys);
    keys.get_by_label_contains(&format!("{title} — ")).click();
    keys.run();
    keys.key_press(Key::Escape); // Close the editor; the card stays selected.
    keys.run();
    keys.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    keys.run();
    keys.get_by_label_contains(&format!("Moved '{title}' to position 4 of 9 in Ready"));
    keys.key_press_modifiers(Modifiers::COMMAND, Key::ArrowUp);
    keys.run();
    keys.get_by_label_contains(&format!("Moved '{title}' to position 3 of 9 in Ready"));
    keys.key_press_modifiers(Modifiers::COMMAND, Key::End);
    keys.run();
    keys.get_by_label_contains(&format!("Moved '{title}' to position 9 of 9 in Ready"));
    keys.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    keys.run();
    keys.get_by_label_contains(&format!("Moved '{title}' to position 1 of 9 in Ready"));

    // The same end state by pointer: drag the card to the top of Ready.
    let mut pointer = harness(&by_drag);
    let from = card(&pointer, title).center();
    let to = above(card(&pointer, "Apple Pay and Google Pay at checkout"));
    drag(&mut pointer, from, to, 8);

    for column in ["Backlog", "Ready", "In progress", "Review", "Done"] {
        assert_eq!(order(&by_keys, column), order(&by_drag, column), "{column} differs");
    }
}

#[test]
fn arrow_keys_move_the_selection_between_cards_and_columns() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "f.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(harness.get_by_label_contains("See two weeks of delivery slots at a glance — ").is_focused());
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert!(harness.get_by_label_contains("Order summary readable by screen readers — ").is_focused());
    harness.key_press(Key::Enter);
    harness.run();
    harness.get_by_label("Edit item");
    assert_eq!(
        harness.get_by_label("Title").value().as_deref(),
        Some("Order summary readable by screen readers"),
        "Enter opens the selected card"
    );
}

/// A small model of the board: random drags and keyboard moves must keep the file equal to it.
#[test]
fn random_drags_and_keyboard_moves_match_a_vec_model() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "g.sqlite");
    let names = ["Backlog", "Ready", "In progress", "Review", "Done"];
    let mut model: Vec<Vec<String>> = names.iter().map(|name| order(&path, name)).collect();
    let mut harness = harness(&path);
    let mut seed: u64 = 42;
    let mut next = |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % bound.max(1)
    };
    for round in 0..8 {
        // Only cards in view can be grabbed: the first four of each column.
        let from_column = next(names.len());
        if model[from_column].is_empty() {
            continue;
        }
        let from_row = next(model[from_column].len().min(4));
        let title = model[from_column][from_row].clone();
        let to_column = next(names.len());
        if round % 2 == 0 {
            // Drag above a visible card of the target column (or into it below its cards).
            let rows = model[to_column].iter().filter(|other| **other != title).count();
            let to_row = next(rows.min(4) + 1);
            let targets: Vec<String> = model[to_column].iter().filter(|other| **other != title).cloned().collect();
            let to = match targets.get(to_row) {
                Some(target) if to_row < 4 => above(card(&harness, target)),
                _ => {
                    let header = harness.get_by_label(names[to_column]).rect();
                    match targets.get(to_row.saturating_sub(1)).filter(|_| to_row > 0) {
                        Some(last) if targets.len() <= 4 => {
                            pos2(header.center().x, card(&harness, last).bottom() + 20.0)
                        }
                        _ => continue,
                    }
                }
            };
            let from = card(&harness, &title).center();
            drag(&mut harness, from, to, 6);
            model[from_column].retain(|other| *other != title);
            let index = to_row.min(model[to_column].len());
            model[to_column].insert(index, title.clone());
        } else {
            // Keyboard: select, then Ctrl+Down (or Ctrl+Right when it is last).
            harness.get_by_label_contains(&format!("{title} — ")).click();
            harness.run();
            harness.key_press(Key::Escape);
            harness.run();
            if from_row + 1 < model[from_column].len() {
                harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
                model[from_column].swap(from_row, from_row + 1);
            } else if from_column + 1 < names.len() {
                harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
                model[from_column].remove(from_row);
                let index = from_row.min(model[from_column + 1].len());
                model[from_column + 1].insert(index, title.clone());
            }
            harness.run();
        }
        for (column, name) in names.iter().enumerate() {
            assert_eq!(order(&path, name), model[column], "round {round}: {name} differs from the model");
        }
    }
}

#[test]
fn columns_are_managed_from_their_menu_and_ordered_by_score() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "h.sqlite");
    let mut harness = harness(&path);

    // Order Ready by WSJF from the column's menu.
    harness.get_by_label("Ready column menu").click();
    harness.run();
    harness.get_by_label("Order by WSJF").click();
    harness.run();
    let connection = rusqlite::Connection::open(&path).unwrap();
    let wsjf: Vec<f64> = connection
        .prepare(
            "SELECT CAST(business_value + time_criticality + risk_reduction AS REAL) / points FROM items \
             WHERE column_id = (SELECT column_id FROM board_columns WHERE name = 'Ready') ORDER BY rank, item_id",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(wsjf.windows(2).all(|pair| pair[0] >= pair[1]), "Ready is ordered by WSJF: {wsjf:?}");
    harness.get_by_label_contains("Ordered Ready by WSJF");

    // Add a column; its settings open to name it.
    harness.get_by_label("+ Add column").click();
    harness.run();
    harness.get_by_label("Column name").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("Column name").type_text("Blocked");
    harness.run();
    harness.get_by_label("WIP limit").click();
    harness.run();
    harness.get_by_label("WIP limit").type_text("2");
    harness.run();
    harness.get_by_label("Save column").click();
    harness.run();
    let (name, limit): (String, Option<i64>) = connection
        .query_row("SELECT name, wip_limit FROM board_columns ORDER BY position DESC LIMIT 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!((name.as_str(), limit), ("Blocked", Some(2)));
    harness.get_by_label("0 / 2");

    // Each column has a name of its own: a second new column is numbered, and a column cannot be
    // renamed to another's name, whatever its capitals; the refusal says why and nothing is written.
    harness.get_by_label("+ Add column").click();
    harness.run();
    harness.get_by_label("Save column").click();
    harness.run();
    harness.get_by_label("+ Add column").click();
    harness.run();
    let names = |connection: &rusqlite::Connection| -> Vec<String> {
        let mut statement = connection.prepare("SELECT name FROM board_columns ORDER BY position").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    assert_eq!(names(&connection)[5..], ["Blocked", "New column", "New column 2"]);
    harness.get_by_label("Column name").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("Column name").type_text(" done ");
    harness.run();
    harness.get_by_label("Save column").click();
    harness.run();
    harness.get_by_label_contains(
        "There is already a column called 'Done' (names are compared ignoring capitals). Nothing was saved; \
         choose another name",
    );
    harness.get_by_label("Column settings");
    assert_eq!(names(&connection)[5..], ["Blocked", "New column", "New column 2"]);
}

#[test]
fn several_cards_selected_with_ctrl_and_shift_move_together_by_drag_and_by_keyboard() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "m.sqlite");
    let mut harness = harness(&path);
    let first = "Hold a delivery slot for 30 minutes";
    let third = "Spike: slot capacity from the warehouse API";
    let fifth = "Earn points on every order";

    // Ctrl-click two cards, then Shift-click extends from the last one.
    harness.get_by_label_contains(&format!("{first} — ")).click();
    harness.run();
    harness.key_press(Key::Escape); // close the editor
    harness.run();
    harness.get_by_label_contains(&format!("{third} — ")).click_modifiers(Modifiers::COMMAND);
    harness.run();
    harness.get_by_label("2 cards selected · drag one to move them all · Esc clears");
    harness.get_by_label_contains(&format!("{fifth} — ")).click_modifiers(Modifiers::SHIFT);
    harness.run();
    harness.get_by_label("3 cards selected · drag one to move them all · Esc clears");

    // Drag one of them onto the top of Ready: all three move, in board order.
    let from = card(&harness, third).center();
    let to = above(card(&harness, "Apple Pay and Google Pay at checkout"));
    drag(&mut harness, from, to, 8);
    let ready = order(&path, "Ready");
    assert_eq!(&ready[..3], &[third.to_owned(), "Change the slot of a placed order".to_owned(), fifth.to_owned()]);
    harness.get_by_label_contains("Moved 3 cards to positions 1 to 3 of 11 in Ready");

    // One undo puts all three back.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(order(&path, "Ready").len(), 8);

    // From the keyboard: the same three, Ctrl+Right moves them to Ready as a block.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowRight);
    harness.run();
    let ready = order(&path, "Ready");
    assert_eq!(ready.len(), 11);
    let at = ready.iter().position(|title| title == third).unwrap();
    assert_eq!(
        &ready[at..at + 3],
        &[third.to_owned(), "Change the slot of a placed order".to_owned(), fifth.to_owned()]
    );

    harness.key_press(Key::Escape);
    harness.run();
    assert!(harness.query_by_label_contains("cards selected").is_none(), "Escape clears the multi-selection");
}

#[test]
fn the_backlog_list_reorders_by_drag_and_keyboard_like_the_board() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "l.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("☰ List").click();
    harness.run();
    harness.get_by_label("Title");
    harness.get_by_label("WSJF");

    // Drag the third backlog row to the top of the list.
    let backlog = order(&path, "Backlog");
    let moved = backlog[2].clone();
    let from = card(&harness, &moved).center();
    let to = above(card(&harness, &backlog[0]));
    drag(&mut harness, from, to, 6);
    let after = order(&path, "Backlog");
    assert_eq!(after[0], moved, "the row is first in the backlog");
    assert_eq!(after.len(), backlog.len());

    // Keyboard: the moved row is selected; Ctrl+Down twice moves it below the next two rows.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    let after_keys = order(&path, "Backlog");
    assert_eq!(after_keys[2], moved, "{after_keys:?}");
    harness.get_by_label_contains(&format!("Moved '{moved}' to position 3 of 15 in Backlog"));
}

/// Every row's title in the order the list shows them on screen (the rows in view).
fn list_titles(harness: &Harness<'_, TandemApp>, titles: &[String]) -> Vec<String> {
    let mut shown: Vec<(f32, String)> = titles
        .iter()
        .filter_map(|title| {
            harness.query_by_label_contains(&format!("{title} — ")).map(|node| (node.rect().top(), title.clone()))
        })
        .collect();
    shown.sort_by(|a, b| a.0.total_cmp(&b.0));
    shown.into_iter().map(|(_, title)| title).collect()
}

/// How a person orders two titles: case ignored, a run of digits read as its number (leading zeros
/// aside), anything else character by character. Written plainly, as the reference for the list's sort.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    let number = |text: &[u8]| -> (usize, Vec<u8>) {
        let length = text.iter().take_while(|byte| byte.is_ascii_digit()).count();
        let digits: Vec<u8> = text[..length].iter().copied().skip_while(|digit| *digit == b'0').collect();
        let digits = if digits.is_empty() { vec![b'0'] } else { digits };
        (length, digits)
    };
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let ((a_length, a_digits), (b_length, b_digits)) = (number(a), number(b));
                let by_number = a_digits.len().cmp(&b_digits.len()).then_with(|| a_digits.cmp(&b_digits));
                if by_number.is_ne() {
                    return by_number;
                }
                (a, b) = (&a[a_length..], &b[b_length..]);
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => (a, b) = (&a[1..], &b[1..]),
        }
    }
}

/// The backlog's card titles by WSJF as the file has them, `direction` `ASC` or `DESC` (ties in board
/// order; cards without an estimate left out).
fn backlog_by_wsjf(path: &std::path::Path, direction: &str) -> Vec<String> {
    let connection = rusqlite::Connection::open(path).unwrap();
    let mut statement = connection
        .prepare(&format!(
            "SELECT i.title FROM items i JOIN board_columns c USING (column_id) WHERE c.name = 'Backlog' \
             AND i.points > 0 ORDER BY CAST(i.business_value + i.time_criticality + i.risk_reduction AS REAL) \
             / i.points {direction}, i.rank, i.item_id"
        ))
        .unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Steps the window until it says `words` (a sort on another thread has come back), for up to five seconds.
fn wait_for_words(harness: &mut Harness<'_, TandemApp>, words: &str) {
    let started = std::time::Instant::now();
    while harness.query_by_label_contains(words).is_none() && started.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(5));
        harness.step();
    }
    harness.get_by_label_contains(words);
}

/// A search, then none: the search index is built (a large board builds it while shown), which holds
/// the titles and scores a sort on another thread reads; without it, the list is sorted where it is.
fn build_search_index(harness: &mut Harness<'_, TandemApp>) {
    for term in ["slot", ""] {
        harness.get_by_label("🔍 Search").click();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.key_press(Key::Backspace);
        harness.get_by_label("🔍 Search").type_text(term);
        harness.run();
    }
    harness.get_by_label("49 items");
}

#[test]
fn a_long_list_sorted_on_another_thread_reads_as_a_person_orders_the_titles() {
    // Sorted elsewhere from one card on (at 20,000 in use): the rows come a few frames after the click.
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "sorted-elsewhere.sqlite");
    let connection = rusqlite::Connection::open(&path).unwrap();
    // Two backlog cards whose titles sort first, by their numbers: 9 before 10 (by characters, "1" < "9").
    for (title, place) in [("#10 Tour of the board", 0), ("#9 Tour of the board", 1)] {
        connection
            .execute(
                "UPDATE items SET title = ?1 WHERE item_id = (SELECT i.item_id FROM items i JOIN board_columns c \
                 USING (column_id) WHERE c.name = 'Backlog' ORDER BY i.rank, i.item_id LIMIT 1 OFFSET ?2)",
                rusqlite::params![title, place],
            )
            .unwrap();
    }
    let mut harness = harness(&path);
    harness.state_mut().set_worker_above(0);
    build_search_index(&mut harness);
    harness.get_by_label("☰ List").click();
    harness.run();
    let backlog: Vec<String> = connection
        .prepare(
            "SELECT i.title FROM items i JOIN board_columns c USING (column_id) WHERE c.name = 'Backlog' \
             ORDER BY i.rank, i.item_id",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // A to Z, then Z to A.
    for (descending, words) in [(false, "Sorted by Title, A to Z."), (true, "Sorted by Title, Z to A.")] {
        harness.get_by_label("Title").click();
        harness.run();
        wait_for_words(&mut harness, words);
        let shown = list_titles(&harness, &backlog);
        // A stable sort of the board's order: equal titles stay in it.
        let mut expected = backlog.clone();
        expected.sort_by(|a, b| if descending { natural_order(b, a) } else { natural_order(a, b) });
        let expected: Vec<String> = expected.into_iter().filter(|title| shown.contains(title)).collect();
        assert!(shown.len() >= 5, "{shown:?}");
        assert_eq!(shown[..5], expected[..5], "{words}");
        if !descending {
            assert_eq!(shown[..2], ["#9 Tour of the board", "#10 Tour of the board"], "numbers as numbers");
        }
    }
}

#[test]
fn a_long_list_sorted_by_a_score_on_another_thread_takes_an_estimate_just_saved() {
    // Sorted elsewhere from one card on (at 20,000 in use), from the scores the search index keeps.
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "scores-elsewhere.sqlite");
    let mut harness = harness(&path);
    // Tall enough to show every row of the list, wherever the sort puts them.
    harness.set_size(egui::vec2(1280.0, 2400.0));
    harness.state_mut().set_worker_above(0);
    build_search_index(&mut harness);
    harness.get_by_label("☰ List").click();
    harness.run();
    let backlog_by_wsjf = |direction: &str| backlog_by_wsjf(&path, direction);
    let backlog = order(&path, "Backlog");
    let sorted = |harness: &mut Harness<'_, TandemApp>, words: &str| {
        // The list's header: the leftmost "WSJF" (the editor, open at the right, names the score too).
        harness.get_all_by_label("WSJF").min_by(|a, b| a.rect().left().total_cmp(&b.rect().left())).unwrap().click();
        harness.run();
        wait_for_words(harness, words);
    };
    sorted(&mut harness, "Sorted by WSJF, highest first.");
    let shown = list_titles(&harness, &backlog);
    let expected: Vec<String> = backlog_by_wsjf("DESC").into_iter().filter(|title| shown.contains(title)).collect();
    assert!(shown.len() >= 5, "{shown:?}");
    assert_eq!(shown[..5], expected[..5]);

    // The top card estimated far larger: its score falls to the bottom; the title and text are as they were.
    let first = shown[0].clone();
    harness.get_by_label_contains(&format!("{first} — ")).click();
    harness.run();
    harness.get_by_label("Estimate (points)").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Estimate (points)").type_text("400");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    let lowest_first = backlog_by_wsjf("ASC");
    assert_eq!(lowest_first.first(), Some(&first), "the estimate was saved: {lowest_first:?}");

    // Turned round, sorted again whole on the other thread: the card comes first, as the file sorts it.
    sorted(&mut harness, "Sorted by WSJF, lowest first.");
    let shown = list_titles(&harness, &backlog);
    let expected: Vec<String> = lowest_first.iter().filter(|title| shown.contains(title)).cloned().collect();
    assert!(shown.len() >= 5, "{shown:?}");
    assert_eq!(shown[..5], expected[..5], "the rows in view, by WSJF lowest first after the edit");
    assert_eq!(shown[0], first);
}

#[test]
fn the_backlog_list_sorts_by_a_column_for_reading_and_refuses_moves_until_back_in_board_order() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "sorted.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("☰ List").click();
    harness.run();
    // The backlog's cards by WSJF from the file, highest first (ties in board order).
    let backlog_by_wsjf = |direction: &str| backlog_by_wsjf(&path, direction);
    let by_wsjf = backlog_by_wsjf("DESC");
    let backlog = order(&path, "Backlog");
    let before = crate::common::dump(&Store::open(&path).unwrap().0);

    harness.get_by_label("WSJF").click();
    harness.run();
    harness.get_by_label_contains("ℹ Sorted by WSJF, highest first. The board's order is unchanged");
    let header = harness.query_all_by_role(egui::accesskit::Role::ColumnHeader).nth(5).unwrap();
    assert_eq!(header.accesskit_node().data().sort_direction(), Some(egui::accesskit::SortDirection::Descending));
    let shown = list_titles(&harness, &backlog);
    let expected: Vec<String> = by_wsjf.iter().filter(|title| shown.contains(title)).cloned().collect();
    assert!(shown.len() >= 5, "{shown:?}");
    assert_eq!(shown[..5], expected[..5], "the backlog's rows in view, by WSJF highest first");

    // A second click turns the order round.
    harness.get_by_label("WSJF").click();
    harness.run();
    harness.get_by_label_contains("ℹ Sorted by WSJF, lowest first.");

    // Moving while sorted is refused in a sentence, by keyboard and by drag; the file is unchanged.
    let first = list_titles(&harness, &backlog)[0].clone();
    harness.get_by_label_contains(&format!("{first} — ")).click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    harness.get_by_label_contains("The list is sorted by WSJF, so a card is not moved here");
    let second = list_titles(&harness, &backlog)[1].clone();
    let (from, to) = (card(&harness, &first).center(), card(&harness, &second).center() + egui::vec2(0.0, 12.0));
    drag(&mut harness, from, to, 6);
    assert_eq!(order(&path, "Backlog"), backlog);
    assert!(crate::common::dump(&Store::open(&path).unwrap().0) == before, "nothing moved, nothing written");

    // An estimate saved while sorted: the card goes where its new score puts it (the list patched for
    // that card, not sorted again), and the rows read as the file sorts them.
    harness.get_by_label_contains(&format!("{first} — ")).click();
    harness.run();
    harness.get_by_label("Estimate (points)").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Estimate (points)").type_text("1");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    let lowest_first = backlog_by_wsjf("ASC");
    assert_ne!(lowest_first.first(), Some(&first), "the estimate was saved: {lowest_first:?}");
    let shown = list_titles(&harness, &backlog);
    let expected: Vec<String> = lowest_first.iter().filter(|title| shown.contains(title)).cloned().collect();
    assert!(shown.len() >= 5, "{shown:?}");
    assert_eq!(shown[..5], expected[..5], "the backlog's rows in view, by WSJF lowest first after the edit");
    harness.key_press(Key::Escape);
    harness.run();

    // Board order again: the rows as the board has them, and moves work.
    harness.get_by_label("Board order").click();
    harness.run();
    assert!(harness.query_by_label_contains("ℹ Sorted by").is_none());
    // The list keeps the selected card in view: the rows shown are a run of the board's, in its order.
    let shown = list_titles(&harness, &backlog);
    assert!(shown.len() >= 5 && backlog.windows(shown.len()).any(|run| run == shown), "{shown:?}");
}

#[test]
fn the_value_versus_effort_page_places_a_columns_cards_in_quadrants_said_in_words() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "v.sqlite");
    {
        // A card nobody estimated or scored yet.
        let (mut store, _) = Store::open(&path).unwrap();
        let backlog = store.load().unwrap().columns[0].column_id;
        store.create_item(&common::story("Gift wrapping at checkout", backlog)).unwrap();
    }
    let mut harness = harness(&path);
    harness.get_by_label("⚖ Priorities").click();
    harness.run();
    harness.get_by_label("Value vs effort").click();
    harness.run();
    // The sample's backlog: 15 cards, split at the median value 5 and the median estimate 5 points.
    harness.get_by_label_contains("of the cards in Backlog, split at their medians: value 5, estimate 5 points.");
    for heading in ["Quick wins (5)", "Big bets (2)", "Fill-ins (7)", "Time sinks (1)"] {
        harness.get_by_label(heading);
    }
    harness.get_by_label("high value, little effort: do these first");
    harness.get_by_label(
        "Chart of the cards by value and effort: 5 quick wins, 2 big bets, 7 fill-ins, 1 time sink. Each quadrant's cards are listed below.",
    );
    harness.get_by_label("Loyalty ledger service (value 3, 13 points)");
    harness.get_by_label("Coupon field accepts expired codes (value 3, 1 point)");
    harness.get_by_label("and 2 more");
    harness.get_by_label("Not placed: 1 card without an estimate or a business value.");
    harness.get_by_label("Gift wrapping at checkout");
    // The best value for effort comes first, and a click selects the card on the board.
    let first_quick_win = harness
        .query_all_by(|node| node.label().is_some_and(|label| label.ends_with(" points)")))
        .next()
        .and_then(|node| egui_kittest::kittest::NodeT::accesskit_node(&node).label())
        .unwrap();
    assert_eq!(first_quick_win, "Reorder a past basket in one tap (value 8, 3 points)");
    harness.get_by_label(&first_quick_win).click_accesskit();
    harness.run();
    assert!(harness.get_by_label_contains("Reorder a past basket in one tap — ").is_focused());

    // Another column: its own cards and medians.
    harness.get_by_label("Column to compare").click();
    harness.run();
    // The menu's entry is drawn after the column of that name.
    harness.get_all_by_label("Done").last().unwrap().click();
    harness.run();
    assert_eq!(harness.get_by_label("Column to compare").value().as_deref(), Some("Done"));
    harness.get_by_label_contains("of the cards in Done, split at their medians");
    assert!(harness.query_by_label("Loyalty ledger service (value 3, 13 points)").is_none());
}

#[test]
fn the_priorities_window_shows_where_rank_wsjf_and_rice_disagree() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "p.sqlite");
    let mut harness = harness(&path);
    harness.get_by_label("⚖ Priorities").click();
    harness.run();
    harness.get_by_label("Where the orders disagree");
    // In the sample backlog, "Coupon field accepts expired codes" is 14th by rank but 1st by WSJF (8.0).
    harness.get_by_label("Coupon field accepts expired codes").click();
    harness.run();
    harness.get_by_label_contains("Coupon field accepts expired codes — Bug");
    assert!(
        harness.get_by_label_contains("Coupon field accepts expired codes — Bug").is_focused(),
        "clicking a card in the window selects it on the board"
    );
    // Moved to the top, where WSJF puts it, the card no longer disagrees: the window follows the board.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    harness.run();
    assert_eq!(order(&path, "Backlog")[0], "Coupon field accepts expired codes");
    assert!(harness.query_by_label("Coupon field accepts expired codes").is_none(), "no longer listed");
}

/// The swimlane a card is drawn in: the epic whose lane header is the nearest above it.
fn lane_of(harness: &Harness<'_, TandemApp>, title: &str) -> Option<&'static str> {
    let y = card(harness, title).center().y;
    ["One-tap checkout", "Accessible ordering (WCAG 2.2 AA)", "Delivery slot planner", "Loyalty rewards"]
        .into_iter()
        .filter_map(|epic| Some((harness.query_by_label(&format!("♦ {epic}"))?.rect().top(), epic)))
        .filter(|(top, _)| *top < y)
        .max_by(|one, other| one.0.total_cmp(&other.0))
        .map(|(_, epic)| epic)
}

#[test]
fn with_swimlanes_the_keys_go_through_the_cards_of_the_selected_cards_lane() {
    // Ready holds, in order: two accessibility cards, two one-tap cards, an accessibility card, a one-tap
    // card. With lanes, the one-tap cards are one cell: the keys move and select within it.
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "k.sqlite");
    let (edit, skip, spike) = (
        "Edit the delivery address inside checkout",
        "Skip link to the basket on every page",
        "Spike: checkout analytics without third-party cookies",
    );
    let ready = order(&path, "Ready");
    let at = |order: &[String], title: &str| order.iter().position(|other| other == title).unwrap();
    assert_eq!((at(&ready, skip), at(&ready, spike)), (at(&ready, edit) + 1, at(&ready, edit) + 2));
    let mut harness = harness(&path);
    harness.get_by_label("Swimlanes by epic").click();
    harness.run();
    harness.get_by_label_contains(&format!("{edit} — ")).click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();

    // Down selects the next card of the lane, not the next of the column (in another lane).
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(harness.get_by_label_contains(&format!("{spike} — ")).is_focused());
    harness.key_press(Key::ArrowUp);
    harness.run();
    assert!(harness.get_by_label_contains(&format!("{edit} — ")).is_focused());

    // Ctrl+Down moves it below the next card of its lane, so that it moves on the board.
    assert!(card(&harness, edit).center().y < card(&harness, spike).center().y);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    let moved = order(&path, "Ready");
    assert_eq!(at(&moved, edit), at(&moved, spike) + 1, "below the lane's next card in the file: {moved:?}");
    assert!(card(&harness, edit).center().y > card(&harness, spike).center().y, "and on the board");

    // Ctrl+Up moves it back above that card, and no further in the column than that.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowUp);
    harness.run();
    let back = order(&path, "Ready");
    assert_eq!(at(&back, spike), at(&back, edit) + 1, "{back:?}");
    assert_eq!(at(&back, skip) + 1, at(&back, edit), "{back:?}");
    assert!(card(&harness, edit).center().y < card(&harness, spike).center().y);

    // Past the last card of its lane's cell, Down goes on to the next lane's first card in the column.
    harness.key_press(Key::ArrowDown);
    harness.run();
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert!(
        harness.get_by_label_contains("Order summary readable by screen readers — ").is_focused(),
        "the selection went on into the next lane"
    );
}

#[test]
fn dragging_a_card_into_another_swimlane_changes_its_epic_and_undo_restores_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "s.sqlite");
    let epic_of = |title: &str| -> Option<String> {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .query_row(
                "SELECT e.title FROM items i LEFT JOIN epics e USING (epic_id) WHERE i.title = ?1",
                [title],
                |row| row.get(0),
            )
            .unwrap()
    };
    let moved = "Reorder a past basket in one tap";
    assert_eq!(epic_of(moved).as_deref(), Some("One-tap checkout"));
    let backlog_before = order(&path, "Backlog");
    let mut harness = harness(&path);
    harness.get_by_label("Swimlanes by epic").click();
    harness.run();
    harness.get_by_label("♦ Accessible ordering (WCAG 2.2 AA)");
    snapshot_masked(&mut harness, "board_swimlanes");

    let from = card(&harness, moved).center();
    let to = above(card(&harness, "Dark mode with AA contrast"));
    drag(&mut harness, from, to, 8);
    assert_eq!(epic_of(moved).as_deref(), Some("Accessible ordering (WCAG 2.2 AA)"), "the lane set the epic");
    let backlog = order(&path, "Backlog");
    let dark = backlog.iter().position(|title| title == "Dark mode with AA contrast").unwrap();
    assert_eq!(backlog[dark - 1], moved, "it landed right above the card it was dropped on");
    harness.get_by_label_contains("It now belongs to the epic 'Accessible ordering (WCAG 2.2 AA)'");
    assert_eq!(lane_of(&harness, moved), Some("Accessible ordering (WCAG 2.2 AA)"), "shown in its new lane");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(epic_of(moved).as_deref(), Some("One-tap checkout"));
    assert_eq!(order(&path, "Backlog"), backlog_before, "one undo restores place and epic");
    assert_eq!(lane_of(&harness, moved), Some("One-tap checkout"), "and its lane on the board");

    // A keyboard move within a lane: the lane shows the new order at once (only that column is sorted
    // into lanes again).
    let (dark, promo) = ("Dark mode with AA contrast", "Promo banner auto-rotates and cannot be paused");
    assert!(card(&harness, dark).center().y < card(&harness, promo).center().y);
    harness.get_by_label_contains(&format!("{dark} — ")).click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::ArrowDown);
    harness.run();
    let backlog = order(&path, "Backlog");
    let at = |title: &str| backlog.iter().position(|other| other == title).unwrap();
    assert_eq!(at(dark), at(promo) + 1, "moved below its neighbour in the file");
    assert!(card(&harness, dark).center().y > card(&harness, promo).center().y, "and on the board");

    // Another lane from a card's menu: its place in the column stays, its lane changes at once (the
    // lanes are patched for the one card, not built again).
    harness.get_by_label("✖ Close").click();
    harness.run();
    let backlog = order(&path, "Backlog");
    let text = "Text resizes to 200% without loss of content";
    assert_eq!(lane_of(&harness, text), Some("Accessible ordering (WCAG 2.2 AA)"));
    harness.get_by_label(&format!("Actions for {text}")).click();
    harness.run();
    crate::common::menu_entry(&harness, "Move to lane").click();
    harness.run();
    crate::common::menu_entry(&harness, "One-tap checkout").click();
    harness.run();
    assert_eq!(epic_of(text).as_deref(), Some("One-tap checkout"));
    assert_eq!(order(&path, "Backlog"), backlog, "the card kept its place in the column");
    assert_eq!(lane_of(&harness, text), Some("One-tap checkout"), "and shows in its new lane");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(epic_of(text).as_deref(), Some("Accessible ordering (WCAG 2.2 AA)"));
    assert_eq!(lane_of(&harness, text), Some("Accessible ordering (WCAG 2.2 AA)"), "undone, back in its lane");
    assert_eq!(order(&path, "Backlog"), backlog);

    // The epic chosen in the editor: no move at all, the card changes lanes when it is saved.
    harness.get_by_label_contains(&format!("{text} — ")).click();
    harness.run();
    harness.get_by_label("Epic").click();
    harness.run();
    harness.get_by_label("One-tap checkout").click();
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    assert_eq!(epic_of(text).as_deref(), Some("One-tap checkout"));
    assert_eq!(order(&path, "Backlog"), backlog);
    assert_eq!(lane_of(&harness, text), Some("One-tap checkout"), "saved, shown in its new lane");
}

/// The sample's board alone in `mode`, with a search for words and a label that tests every item
/// (words alone are looked up at once), spread over frames as on a large board: the sample's 49 items as
/// if they were many (more than 40), searched 20 a frame. Gives the harness, the search (not yet set),
/// how many items it finds and the store.
fn searched_over_frames(
    folder: &tempfile::TempDir,
    mode: tandem::ui::board::BoardMode,
) -> (Harness<'static, (bool, tandem::ui::board::BoardState)>, tandem::model::ItemFilter, usize, Store) {
    use tandem::ui::board::{BoardState, board_ui};
    let path = workspace(folder, "search.sqlite");
    let (mut store, _) = Store::open(&path).unwrap();
    let plan = store.load().unwrap();
    let mut filter = tandem::model::ItemFilter { label: Some("checkout".to_owned()), ..Default::default() };
    "checkout".clone_into(&mut filter.text);
    let matcher = filter.matcher();
    let expected = plan.items().filter(|item| matcher.matches(item)).count();
    assert!(expected > 0 && expected < 49);
    let mut state = BoardState::default();
    state.search_in_frames = Some((40, 20));
    state.mode = mode;
    // The first frame only installs Tandem's fonts (they apply from the next frame on).
    let mut harness = Harness::builder().with_size([1280.0, 800.0]).build_ui_state(
        move |ui, (fonts, state): &mut (bool, BoardState)| {
            if std::mem::replace(fonts, true) {
                board_ui(ui, &plan, state, &mut Vec::new());
            } else {
                tandem::ui::theme::install_fonts(ui.ctx());
            }
        },
        (false, state),
    );
    harness.run();
    (harness, filter, expected, store)
}

#[test]
fn the_list_shows_a_search_over_frames_once_it_ends() {
    let folder = tempfile::tempdir().unwrap();
    let (mut harness, filter, expected, mut store) = searched_over_frames(&folder, tandem::ui::board::BoardMode::List);
    let outside = "Hold a delivery slot for 30 minutes";
    let matcher = filter.matcher();
    assert!(store.load().unwrap().items().any(|item| item.title == outside && !matcher.matches(item)));
    harness.get_by_label_contains(&format!("{outside} — "));
    harness.state_mut().1.filter = filter;
    harness.step();
    assert!(harness.state().1.searching().is_some(), "searching over frames");
    // Meanwhile the list shows what it showed; once the search ends, what it found, with the workspace
    // unchanged all along.
    harness.get_by_label_contains(&format!("{outside} — "));
    let mut frames = 0;
    while harness.state().1.searching().is_some() {
        harness.step();
        frames += 1;
        assert!(frames <= 3, "49 items at 20 a frame");
    }
    harness.step();
    harness.get_by_label(&format!("Showing {expected} of 49"));
    assert!(
        harness.query_by_label_contains(&format!("{outside} — ")).is_none(),
        "the list shows the search's result, not the rows it had while searching"
    );
}

#[test]
fn a_filter_over_a_large_board_runs_over_several_frames_and_words_alone_at_once() {
    let folder = tempfile::tempdir().unwrap();
    let (mut harness, filter, expected, mut store) = searched_over_frames(&folder, tandem::ui::board::BoardMode::Board);
    harness.state_mut().1.filter = filter;
    harness.step();
    let (tested, total) = harness.state().1.searching().expect("searching over frames");
    assert!(tested > 0 && tested < 49 && total == 49, "{tested} of {total}");
    harness.get_by_label_contains("Searching… ");
    assert!(
        harness.query_by_label_contains("Hold a delivery slot for 30 minutes — ").is_some(),
        "meanwhile the board shows what it showed before (here: every card)"
    );
    let mut frames = 1;
    while harness.state().1.searching().is_some() {
        harness.step();
        frames += 1;
        assert!(frames <= 3, "20 items a frame: 49 items take at most three frames");
    }
    harness.step();
    harness.get_by_label(&format!("Showing {expected} of 49"));
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes — ").is_none());

    // A term typed on tests only the cards shown: at once when they are few (here, up to 10), over frames
    // when there are more (here 10 a frame, up to 40 cards); beyond that it is a pass over every item
    // again. Either way the result is the same as a search at once.
    let plan = store.load().unwrap();
    let mut shown = expected;
    let mut paths = Vec::new();
    for term in ["checkout p", "checkout pay", "checkout paym"] {
        let mut narrower = harness.state().1.filter.clone();
        term.clone_into(&mut narrower.text);
        let matcher = narrower.matcher();
        let count = plan.items().filter(|item| matcher.matches(item)).count();
        harness.state_mut().1.filter = narrower;
        harness.step();
        let tested = match shown {
            0..=10 => None,
            11..=40 => Some(shown),
            _ => Some(49),
        };
        assert_eq!(harness.state().1.searching().map(|(_, total)| total), tested, "'{term}' after {shown} cards");
        paths.push(tested);
        for _ in 0..3 {
            harness.step();
        }
        assert_eq!(harness.state().1.searching(), None);
        harness.get_by_label(&format!("Showing {count} of 49"));
        shown = count;
    }
    assert!(paths.contains(&None) && paths.contains(&Some(expected)), "both ways of narrowing were taken: {paths:?}");

    // Words alone are looked up in the search index: the result shows in the frame of the keystroke.
    for term in ["checkout", "c", "checkout tap"] {
        let words = tandem::model::ItemFilter { text: term.to_owned(), ..Default::default() };
        let matcher = words.matcher();
        let count = plan.items().filter(|item| matcher.matches(item)).count();
        harness.state_mut().1.filter = words;
        harness.step();
        assert_eq!(harness.state().1.searching(), None, "'{term}' at once");
        harness.step();
        harness.get_by_label(&format!("Showing {count} of 49"));
    }
}

#[test]
fn column_settings_saved_after_the_column_moved_elsewhere_keep_its_new_place() {
    let folder = tempfile::tempdir().unwrap();
    let path = common::sample_workspace(&folder, "columns.sqlite");
    let mut harness = common::app_harness(&path);
    harness.get_by_label("Ready column menu").click();
    harness.run();
    harness.get_by_label("Rename, WIP limit, done…").click();
    harness.run();
    harness.get_by_label("WIP limit").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("WIP limit").type_text("6");
    harness.run();

    // With the settings still open, another window moves the column one place right.
    let mut other = tandem::app::App::open(&path, tandem::app::NewWorkspace::Blank).unwrap();
    let ready = other.workspace().columns[1].column_id;
    other
        .apply(tandem::app::Command::Column(tandem::app::ColumnCommand::Move { column_id: ready, to_index: 2 }))
        .unwrap();
    harness.run();
    harness.get_by_label("Save column").click();
    harness.run();

    let connection = rusqlite::Connection::open(&path).unwrap();
    let columns: Vec<(String, Option<i64>)> = connection
        .prepare("SELECT name, wip_limit FROM board_columns ORDER BY position")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Backlog", "In progress", "Ready", "Review", "Done"], "the move is kept");
    assert_eq!(columns[2].1, Some(6), "and so is the new WIP limit");
    let positions: i64 =
        connection.query_row("SELECT count(DISTINCT position) FROM board_columns", [], |row| row.get(0)).unwrap();
    assert_eq!(positions, 5, "every column has its own place");
}

#[test]
fn a_search_finds_cards_by_what_they_say_after_an_edit_and_an_undo() {
    let folder = tempfile::tempdir().unwrap();
    let path = common::sample_workspace(&folder, "search.sqlite");
    let mut harness = common::app_harness(&path);
    let search = |harness: &mut Harness<'static, TandemApp>, term: &str| {
        harness.get_by_label("🔍 Search").click();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.get_by_label("🔍 Search").type_text(term);
        harness.run();
    };
    search(&mut harness, "zeppelin");
    harness.get_by_label("Showing 0 of 49");

    // Found by its old title, renamed in the editor, then found by the new one only.
    search(&mut harness, "delivery slot");
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    harness.run();
    harness.get_by_label("Title").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Title").type_text("Hold a Zeppelin berth for 30 minutes");
    harness.run();
    harness.get_by_label("Save changes").click();
    harness.run();
    let titles: Vec<String> = {
        let connection = rusqlite::Connection::open(&path).unwrap();
        let mut statement = connection.prepare("SELECT title FROM items WHERE title LIKE '%zeppelin%'").unwrap();
        statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(titles, ["Hold a Zeppelin berth for 30 minutes"], "saved");
    search(&mut harness, "zeppelin");
    harness.get_by_label("Showing 1 of 49");
    harness.get_by_label_contains("Hold a Zeppelin berth for 30 minutes — ");
    search(&mut harness, "30 minutes hold");
    harness.get_by_label_contains("Hold a Zeppelin berth for 30 minutes — ");
    assert!(harness.query_by_label_contains("Hold a delivery slot for 30 minutes — ").is_none());

    // Undone (from the Edit menu: Ctrl+Z in the search field undoes typing there): found by its old title
    // again, and no longer by the new one.
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains("Undo ").click();
    harness.run();
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ");
    search(&mut harness, "zeppelin");
    harness.get_by_label("Showing 0 of 49");
}

#[test]
fn a_large_board_builds_its_search_index_while_shown_and_a_small_one_at_its_first_search() {
    use tandem::ui::board::{BoardState, board_ui};
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "index.sqlite");
    let (mut store, _) = Store::open(&path).unwrap();
    for large in [true, false] {
        let plan = std::sync::Arc::new(store.load().unwrap());
        let shown = std::sync::Arc::clone(&plan);
        let mut state = BoardState::default();
        if large {
            // The sample's 49 items as if they were many (more than 40).
            state.search_in_frames = Some((40, 20));
        }
        // The first frame only installs Tandem's fonts (they apply from the next frame on).
        let mut harness = Harness::builder().with_size([1280.0, 800.0]).build_ui_state(
            move |ui, (fonts, state): &mut (bool, BoardState)| {
                if std::mem::replace(fonts, true) {
                    board_ui(ui, &shown, state, &mut Vec::new());
                } else {
                    tandem::ui::theme::install_fonts(ui.ctx());
                }
            },
            (false, state),
        );
        for _ in 0..4 {
            harness.step();
        }
        assert_eq!(plan.search_ready(), large, "built while shown: {large}");
        let found = plan.items_containing(&["checkout".to_owned()]).unwrap();
        assert!(plan.search_ready() && found.len() > 10, "{found:?}");
    }
}

#[test]
fn the_item_editor_opens_at_its_width_and_the_board_beside_it_stays_put() {
    let folder = tempfile::tempdir().unwrap();
    let path = workspace(&folder, "f.sqlite");
    let mut harness = harness(&path);
    // A card with no RICE inputs: its editor says what the score needs, a line wider than the field.
    harness.get_by_label_contains("Hold a delivery slot for 30 minutes — ").click();
    // The click is taken in the first frame, the editor drawn in the second.
    harness.step();
    harness.step();
    let first = harness.get_by_label("Title").rect();
    let column = harness.get_by_label("Done column menu").rect();
    for _ in 0..4 {
        harness.step();
    }
    assert_eq!(harness.get_by_label("Title").rect(), first, "the editor keeps the width it opened at");
    assert_eq!(harness.get_by_label("Done column menu").rect(), column, "the board beside it does not shift");
    harness.get_by_label("needs reach, impact, confidence and effort");
}
