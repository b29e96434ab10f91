//! `tandem bench` group `latency`: what a user waits for after an action on the board, at 100 items and
//! at the large size in the same run. Each action goes through [`App`] as the window's does (one
//! transaction, undo, the workspace in memory patched) and is followed by one headless board frame at
//! 1280×800 with tessellation, which is when the board's caches catch up with the change. The figure is
//! the action plus that frame: the worst and the median of many, and the ratio of the large size's worst
//! to the small one's (issue #17's goal: ≤ 2, or under 8 ms, one 60 Hz frame).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::app::{App, Command, FOLLOW_WORKER_ABOVE, ItemCommand, NewWorkspace};
use crate::bench::{median_p99, print, workspace_file};
use crate::model::{ItemId, MoveTarget};
use crate::store::StoreError;
use crate::ui::UiAction;
use crate::ui::board::list_order::{ListOrder, ListSort};
use crate::ui::board::{BoardMode, BoardState};

/// The bench's window: 1280×800 points.
fn screen() -> egui::Rect {
    egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))
}

/// One headless board frame with `events` as its input, tessellated; returns what the board asked for.
fn board_frame(
    ctx: &egui::Context,
    workspace: &crate::model::Workspace,
    state: &mut BoardState,
    events: Vec<egui::Event>,
) -> Vec<UiAction> {
    let input = egui::RawInput { screen_rect: Some(screen()), events, ..Default::default() };
    let mut actions = Vec::new();
    let output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            crate::ui::board::board_ui(ui, workspace, state, &mut actions);
        });
    });
    std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
    actions
}

/// One board frame, timed from before `action` (so the action's own cost counts) to the end of the
/// tessellation.
fn timed(
    ctx: &egui::Context,
    app: &mut App,
    state: &mut BoardState,
    action: impl FnOnce(&mut App, &mut BoardState),
) -> Duration {
    let started = Instant::now();
    action(app, state);
    board_frame(ctx, app.workspace(), state, Vec::new());
    started.elapsed()
}

/// Opening a workspace as the window does ([`App::open`]: the file checked, everything loaded, the
/// write-ahead log switched on) until its first board frame is drawn and tessellated at 1280×800, with a
/// new egui context (its fonts laid out on that first frame, as at start-up).
///
/// # Errors
/// A store error while opening.
pub fn open_to_first_frame(path: &Path) -> Result<Duration, StoreError> {
    let started = Instant::now();
    let mut app = App::open(path, NewWorkspace::Blank).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let ctx = egui::Context::default();
    let mut state = BoardState::default();
    timed(&ctx, &mut app, &mut state, |_, _| {});
    Ok(started.elapsed())
}

/// Opening a workspace as the window does above [`crate::ui::FIRST_SCREEN_ABOVE`]: the board's first
/// screen read ([`crate::app::Opening`]) and drawn and tessellated at 1280×800 with a new egui context,
/// while the worker thread opens the whole workspace; then the wait until the worker is done and the
/// board can be changed. Returns both times, from the start.
///
/// # Errors
/// A store error while opening, or a file whose first screen cannot be read.
pub fn open_in_the_background(path: &Path) -> Result<(Duration, Duration), StoreError> {
    let started = Instant::now();
    let opening = crate::app::Opening::start(path, NewWorkspace::Blank);
    let first = opening.first_screen().ok_or_else(|| StoreError::Corrupt("no first screen was read".to_owned()))?;
    let ctx = egui::Context::default();
    let mut state = BoardState::default();
    board_frame(&ctx, first, &mut state, Vec::new());
    let first_frame = started.elapsed();
    let app = opening.wait().map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let changeable = started.elapsed();
    std::hint::black_box(app);
    Ok((first_frame, changeable))
}

/// `other` renames a card `rounds` times, and the window takes each rename in ([`follow`], on the worker
/// above `worker_above` items): the frames it drew for all of them.
fn renamed_elsewhere(
    ctx: &egui::Context,
    (other, app): (&mut App, &mut App),
    state: &mut BoardState,
    rounds: usize,
    worker_above: usize,
) -> Result<Vec<Duration>, StoreError> {
    let mut frames = Vec::new();
    for round in 0..rounds {
        other.follow_external_changes()?;
        let Some(mut item) = other.workspace().items().next().cloned() else {
            break;
        };
        item.title = format!("Renamed in another window ({round}, {worker_above})");
        other.apply(Command::Item(ItemCommand::Update(item)))?;
        frames.extend(follow(ctx, app, state, worker_above)?);
    }
    Ok(frames)
}

/// The frames a window draws from when it sees another window's commit until it shows it, and the frame
/// after, each with its look at the file ([`App::follow_external_changes_beside`], on the worker above
/// `worker_above` items); a 60 Hz window's 16 ms between frames is given to the worker as a sleep that is
/// not counted.
fn follow(
    ctx: &egui::Context,
    app: &mut App,
    state: &mut BoardState,
    worker_above: usize,
) -> Result<Vec<Duration>, StoreError> {
    let mut frames = Vec::new();
    for _ in 0..2_000 {
        let mut shown = Ok(false);
        frames.push(timed(ctx, app, state, |app, _| {
            shown = app.follow_external_changes_beside(worker_above);
        }));
        if shown? {
            frames.push(timed(ctx, app, state, |_, _| {}));
            return Ok(frames);
        }
        std::thread::sleep(Duration::from_millis(16));
    }
    Err(StoreError::Corrupt("another window's change was never shown".to_owned()))
}

/// The first two cards of the first column: the one moved down and back up, and its neighbour.
fn pair(app: &App) -> Option<(ItemId, ItemId, crate::model::ColumnId)> {
    let column = app.workspace().columns.first()?.column_id;
    let items = app.workspace().column_items(column);
    Some((*items.first()?, *items.get(1)?, column))
}

/// Moves the first card below its neighbour and back, `rounds` times each: what Alt+↓ / Alt+↑ does.
fn moves(
    ctx: &egui::Context,
    app: &mut App,
    state: &mut BoardState,
    rounds: usize,
) -> Result<Vec<Duration>, StoreError> {
    let mut times = Vec::with_capacity(rounds * 2);
    for _ in 0..rounds {
        let Some((first, second, column)) = pair(app) else {
            break;
        };
        let mut failed = None;
        times.push(timed(ctx, app, state, |app, _| {
            let down = ItemCommand::Move {
                item_id: first,
                target: MoveTarget { column_id: column, after_item: Some(second) },
            };
            failed = app.apply(Command::Item(down)).err();
        }));
        times.push(timed(ctx, app, state, |app, _| {
            let up = ItemCommand::Move { item_id: first, target: MoveTarget { column_id: column, after_item: None } };
            failed = failed.take().or(app.apply(Command::Item(up)).err());
        }));
        if let Some(error) = failed {
            return Err(error);
        }
    }
    Ok(times)
}

/// Changes the first card of the first column with `change` and back, `rounds` times each: what saving
/// the item editor does (one transaction through [`App`], the item in memory replaced, what it says
/// changed).
fn edits(
    ctx: &egui::Context,
    app: &mut App,
    state: &mut BoardState,
    rounds: usize,
    change: impl Fn(&mut crate::model::BacklogItem, &crate::model::Workspace, usize),
) -> Result<Vec<Duration>, StoreError> {
    let mut times = Vec::with_capacity(rounds * 2);
    for round in 0..rounds {
        let Some((first, _, _)) = pair(app) else {
            break;
        };
        let Some(original) = app.workspace().item(first).cloned() else {
            break;
        };
        let mut changed = original.clone();
        change(&mut changed, app.workspace(), round);
        let mut failed = None;
        for item in [changed, original] {
            times.push(timed(ctx, app, state, |app, _| {
                failed = failed.take().or(app.apply(Command::Item(ItemCommand::Update(item))).err());
            }));
        }
        if let Some(error) = failed {
            return Err(error);
        }
    }
    Ok(times)
}

/// A new title, as typed in the editor.
fn retitle(item: &mut crate::model::BacklogItem, _: &crate::model::Workspace, round: usize) {
    item.title = format!("{} (edited {round})", item.title);
}

/// Another epic (the next one, or none after the last), as "Move to epic (lane)" chooses.
fn other_epic(item: &mut crate::model::BacklogItem, workspace: &crate::model::Workspace, _: usize) {
    let epics: Vec<_> = workspace.epics.iter().map(|epic| epic.epic_id).collect();
    let place = item.epic_id.and_then(|epic| epics.iter().position(|other| *other == epic));
    item.epic_id = match place {
        Some(place) => epics.get(place + 1).copied(),
        None => epics.first().copied(),
    };
}

/// Where a card is drawn on the board, from the last frame: the board names a card's widget after
/// `board-cards` and the item's id, under the panel it is drawn in.
fn card_rect(ctx: &egui::Context, app: &App, state: &mut BoardState, item_id: ItemId) -> Option<egui::Rect> {
    let mut id = None;
    let output = ctx.run_ui(egui::RawInput { screen_rect: Some(screen()), ..Default::default() }, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            id = Some(ui.make_persistent_id("board-cards").with(item_id.0));
            crate::ui::board::board_ui(ui, app.workspace(), state, &mut Vec::new());
        });
    });
    std::hint::black_box(output);
    ctx.read_response(id?).map(|response| response.rect)
}

/// Drags `item_id` with the pointer, as a person does (press on the card, a few frames of movement),
/// to the top of the column whose first card is `onto`, and drops it there: the time of the frame with
/// the release, the move it asks for (one transaction through [`App`]) and the frame after it, when
/// the board shows the card in its new place.
///
/// # Errors
/// A store error, or the drop not moving the card (the bench would measure nothing).
fn drop_card(
    ctx: &egui::Context,
    app: &mut App,
    state: &mut BoardState,
    item_id: ItemId,
    onto: ItemId,
) -> Result<Duration, StoreError> {
    let not_found = || StoreError::Conflict(format!("The bench could not find card {} on the board.", item_id.0));
    let from = card_rect(ctx, app, state, item_id).ok_or_else(not_found)?.center();
    let target = card_rect(ctx, app, state, onto).ok_or_else(not_found)?;
    // Just under the target card's top edge: the gap above it, the top of its column.
    let to = egui::pos2(target.center().x, target.top() + 4.0);
    let button = |pos: egui::Pos2, pressed: bool| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    };
    board_frame(ctx, app.workspace(), state, vec![egui::Event::PointerMoved(from)]);
    board_frame(ctx, app.workspace(), state, vec![button(from, true)]);
    for step in 1..=4_u8 {
        let pos = from.lerp(to, f32::from(step) / 4.0);
        board_frame(ctx, app.workspace(), state, vec![egui::Event::PointerMoved(pos)]);
    }
    let column_before = app.workspace().item(item_id).map(|item| item.column_id);
    let started = Instant::now();
    let actions = board_frame(ctx, app.workspace(), state, vec![button(to, false)]);
    for action in actions {
        if let UiAction::Apply(command) = action {
            app.apply(command)?;
        }
    }
    board_frame(ctx, app.workspace(), state, Vec::new());
    let elapsed = started.elapsed();
    if app.workspace().item(item_id).map(|item| item.column_id) == column_before {
        return Err(StoreError::Conflict(format!(
            "Dropping card {} on another column did not move it; the bench's drag is wrong.",
            item_id.0
        )));
    }
    Ok(elapsed)
}

/// A view of the window, as the tabs switch between them.
#[derive(Clone, Copy)]
enum Shown {
    Board,
    Roadmap,
    Metrics,
}

/// The three views' states, kept while another view shows, as the window keeps them.
#[derive(Default)]
struct Views {
    board: BoardState,
    roadmap: crate::ui::roadmap::RoadmapState,
    metrics: crate::ui::metrics::MetricsState,
}

/// One frame of `shown`, the first since switching to it, timed to the end of the tessellation.
fn switch_to(ctx: &egui::Context, app: &App, views: &mut Views, shown: Shown) -> Duration {
    let today = jiff::civil::date(2026, 11, 18);
    let started = Instant::now();
    let input = egui::RawInput { screen_rect: Some(screen()), ..Default::default() };
    let output = ctx.run_ui(input, |ui| {
        egui::CentralPanel::default().show(ui, |ui| {
            let mut actions = Vec::new();
            let workspace = app.workspace();
            match shown {
                Shown::Board => crate::ui::board::board_ui(ui, workspace, &mut views.board, &mut actions),
                Shown::Roadmap => {
                    crate::ui::roadmap::roadmap_ui(ui, workspace, today, &mut views.roadmap, &mut actions);
                }
                Shown::Metrics => {
                    crate::ui::metrics::metrics_ui(ui, workspace, &mut views.metrics, today, &mut actions);
                }
            }
        });
    });
    std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
    started.elapsed()
}

/// The list shown, then sorted by clicking its headers: Title, Title again (turned round), WSJF, and
/// back to board order. Every frame counts, the click's and those drawn while a long list is sorted on
/// another thread (the first list); and the time from each click to its sorted list (the second). The
/// board is shown again after.
fn sort_clicks(
    ctx: &egui::Context,
    app: &mut App,
    state: &mut BoardState,
    rounds: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut frames, mut results) = (Vec::new(), Vec::new());
    state.mode = BoardMode::List;
    timed(ctx, app, state, |_, _| {});
    for _ in 0..rounds.div_ceil(2).max(1) {
        for by in [Some(ListSort::Title), Some(ListSort::Title), Some(ListSort::Wsjf), None] {
            let started = Instant::now();
            frames.push(timed(ctx, app, state, |_, state| {
                state.list_order = by.map(|by| ListOrder::after_click(state.list_order, by));
            }));
            while state.list_sorting().is_some() && started.elapsed() < Duration::from_secs(10) {
                // The window's next frame, as it asks for one 16 ms on.
                std::thread::sleep(Duration::from_millis(16));
                frames.push(timed(ctx, app, state, |_, _| {}));
            }
            results.push(started.elapsed());
        }
    }
    state.mode = BoardMode::Board;
    timed(ctx, app, state, |_, _| {});
    (frames, results)
}

/// The worst and median of `times`, printed as `latency_<items>_<what>_worst` and `_median`; returns
/// the worst.
fn report(items: usize, what: &str, times: &mut [Duration]) -> f64 {
    let worst = times.iter().max().map_or(0.0, |worst| worst.as_secs_f64() * 1000.0);
    let (median, _) = median_p99(times);
    print(&format!("latency_{items}_{what}_worst"), worst, "ms");
    print(&format!("latency_{items}_{what}_median"), median, "ms");
    worst
}

/// Runs the group at each size (the first is the baseline) and prints the ratios of the worst frames.
///
/// # Errors
/// A store error while preparing or changing the workspaces.
pub fn bench_latency(folder: &Path, sizes: &[usize], rounds: usize) -> Result<(), StoreError> {
    let mut baseline: Vec<(String, f64)> = Vec::new();
    for (index, &items) in sizes.iter().enumerate() {
        // Moves write: on a copy, so the shared generated workspace stays as it was.
        let source = workspace_file(folder, items)?;
        let path = folder.join(format!("bench-{items}-latency.sqlite"));
        crate::store::remove_workspace_files(&path);
        std::fs::copy(&source, &path)?;
        let mut app = App::open(&path, NewWorkspace::Blank).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let ctx = egui::Context::default();
        let mut state = BoardState::default();
        // The board shown for a moment before the first keystroke: at least five frames, and as many as
        // it takes to build the search index a slice a frame (counted; a user sees them in under a
        // tenth of a second at 60 Hz).
        let mut frames = 0u32;
        while frames < 5 || (!app.workspace().prepare_search(Duration::ZERO) && frames < 600) {
            timed(&ctx, &mut app, &mut state, |_, _| {});
            frames += 1;
        }
        print(&format!("latency_{items}_frames_before_search_ready"), f64::from(frames), "frames");
        // A search typed before the index is ready builds it at once: on a copy of the workspace (a copy
        // has none), the words of the first keystroke looked up.
        let copy = app.workspace().clone();
        let started = Instant::now();
        std::hint::black_box(copy.items_containing(&["c".to_owned()]));
        print(&format!("latency_{items}_first_search_without_index"), started.elapsed().as_secs_f64() * 1000.0, "ms");
        drop(copy);
        let mut figures = Vec::new();

        // A search typed one letter at a time from an empty box, then cleared. Between two keystrokes the
        // window draws frames (a typist's 100 ms is six of them) in which a search over every item goes on:
        // every frame counts, and so does the time from a keystroke to its whole result.
        let mut keystrokes = Vec::new();
        let mut results = Vec::new();
        for _ in 0..rounds.div_ceil(4).max(1) {
            for length in 1..="checkout".len() {
                let mut until_result = timed(&ctx, &mut app, &mut state, |_, state| {
                    "checkout"[..length].clone_into(&mut state.filter.text);
                });
                keystrokes.push(until_result);
                while state.searching().is_some() {
                    let frame = timed(&ctx, &mut app, &mut state, |_, _| {});
                    keystrokes.push(frame);
                    until_result += frame;
                }
                results.push(until_result);
            }
            timed(&ctx, &mut app, &mut state, |_, state| state.filter.text.clear());
        }
        figures.push(("keystroke", report(items, "keystroke", &mut keystrokes)));
        figures.push(("keystroke_to_result", report(items, "keystroke_to_result", &mut results)));

        let mut plain = moves(&ctx, &mut app, &mut state, rounds)?;
        figures.push(("move", report(items, "move", &mut plain)));

        "checkout".clone_into(&mut state.filter.text);
        timed(&ctx, &mut app, &mut state, |_, _| {});
        while state.searching().is_some() {
            timed(&ctx, &mut app, &mut state, |_, _| {});
        }
        let mut filtered = moves(&ctx, &mut app, &mut state, rounds)?;
        figures.push(("move_filtered", report(items, "move_filtered", &mut filtered)));
        let mut edited_filtered = edits(&ctx, &mut app, &mut state, rounds, retitle)?;
        figures.push(("edit_filtered", report(items, "edit_filtered", &mut edited_filtered)));
        state.filter.text.clear();
        let mut edited = edits(&ctx, &mut app, &mut state, rounds, retitle)?;
        figures.push(("edit", report(items, "edit", &mut edited)));

        state.lanes = true;
        timed(&ctx, &mut app, &mut state, |_, _| {});
        let mut lanes = moves(&ctx, &mut app, &mut state, rounds)?;
        figures.push(("move_swimlanes", report(items, "move_swimlanes", &mut lanes)));
        let mut edited_lanes = edits(&ctx, &mut app, &mut state, rounds, retitle)?;
        figures.push(("edit_swimlanes", report(items, "edit_swimlanes", &mut edited_lanes)));
        let mut other_lane = edits(&ctx, &mut app, &mut state, rounds, other_epic)?;
        figures.push(("other_lane_swimlanes", report(items, "other_lane_swimlanes", &mut other_lane)));
        state.lanes = false;

        let mut undos = Vec::new();
        for _ in 0..rounds {
            moves(&ctx, &mut app, &mut state, 1)?;
            let mut failed = None;
            undos.push(timed(&ctx, &mut app, &mut state, |app, _| failed = app.undo().err()));
            if let Some(error) = failed {
                return Err(error);
            }
        }
        figures.push(("undo", report(items, "undo", &mut undos)));

        let mut switches = Vec::new();
        for _ in 0..rounds {
            for mode in [BoardMode::List, BoardMode::Board] {
                switches.push(timed(&ctx, &mut app, &mut state, |_, state| state.mode = mode));
            }
        }
        figures.push(("switch_board_list", report(items, "switch_board_list", &mut switches)));

        let (mut sorts, mut sorted) = sort_clicks(&ctx, &mut app, &mut state, rounds);
        figures.push(("sort_list", report(items, "sort_list", &mut sorts)));
        report(items, "sort_list_click_to_result", &mut sorted);

        // A card dragged with the pointer to the top of the next column and dropped, then back.
        let mut drops = Vec::new();
        let columns: Vec<crate::model::ColumnId> =
            app.workspace().columns.iter().take(2).map(|column| column.column_id).collect();
        if let [first, second] = columns[..] {
            for _ in 0..rounds {
                let top = |app: &App, column| app.workspace().column_items(column).first().copied();
                let (Some(card), Some(onto)) = (top(&app, first), top(&app, second)) else {
                    break;
                };
                drops.push(drop_card(&ctx, &mut app, &mut state, card, onto)?);
                let Some(back_onto) = top(&app, first) else {
                    break;
                };
                drops.push(drop_card(&ctx, &mut app, &mut state, card, back_onto)?);
            }
        }
        figures.push(("drop", report(items, "drop", &mut drops)));

        // Another window renames a card, and the window takes it in as it does when idle (on the worker
        // above 20,000 items, the board drawn meanwhile): every frame until the change is shown counts,
        // and the frame after it.
        let mut other =
            App::open(&path, NewWorkspace::Blank).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let renames = rounds.div_ceil(4).max(1);
        let mut followed = renamed_elsewhere(&ctx, (&mut other, &mut app), &mut state, renames, FOLLOW_WORKER_ABOVE)?;
        figures.push(("another_windows_change", report(items, "another_windows_change", &mut followed)));
        // The same read on the window's own thread, as below 20,000 items (a baseline, not compared).
        let mut on_the_window = renamed_elsewhere(&ctx, (&mut other, &mut app), &mut state, renames, usize::MAX)?;
        report(items, "another_windows_change_read_on_the_window_thread", &mut on_the_window);
        drop(other);

        // Board, Roadmap, Metrics and back, as the tabs (Ctrl+1, 2, 3) switch: each view's first frame,
        // after a card moved on the board (so the roadmap works out its epics' progress again).
        let mut views = Views { board: std::mem::take(&mut state), ..Views::default() };
        let mut switches = Vec::new();
        let mut each: [Vec<Duration>; 3] = Default::default();
        for _ in 0..rounds {
            moves(&ctx, &mut app, &mut views.board, 1)?;
            for (view, shown) in [Shown::Roadmap, Shown::Metrics, Shown::Board].into_iter().enumerate() {
                let time = switch_to(&ctx, &app, &mut views, shown);
                switches.push(time);
                if let Some(times) = each.get_mut(view) {
                    times.push(time);
                }
            }
        }
        figures.push(("switch_views", report(items, "switch_views", &mut switches)));
        // The roadmap's first frame after a card was edited on the board (its epic's figures worked
        // out again), then back to the board.
        let mut after_edit = Vec::new();
        for _ in 0..rounds {
            edits(&ctx, &mut app, &mut views.board, 1, retitle)?;
            after_edit.push(switch_to(&ctx, &app, &mut views, Shown::Roadmap));
            switch_to(&ctx, &app, &mut views, Shown::Board);
        }
        figures.push(("roadmap_after_edit", report(items, "roadmap_after_edit", &mut after_edit)));
        // Which view's first frame it is (printed, not compared).
        for (name, times) in ["roadmap", "metrics", "board"].into_iter().zip(each.iter_mut()) {
            report(items, &format!("switch_to_{name}"), times);
        }

        drop(app);
        crate::store::remove_workspace_files(&path);
        if index == 0 {
            baseline = figures.iter().map(|(what, worst)| ((*what).to_owned(), *worst)).collect();
        } else {
            for ((what, worst), (_, base)) in figures.iter().zip(&baseline) {
                print(&format!("latency_{items}_{what}_worst_ratio_to_{}", sizes[0]), worst / base.max(1e-9), "x");
            }
        }
    }
    Ok(())
}

/// The process's resident anonymous memory in bytes (its heap and stacks, not mapped files), from
/// `RssAnon` in `/proc/self/status` (Linux); `None` elsewhere.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("RssAnon:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// What an item costs in memory: the resident size of the process after opening the 100-item workspace
/// and after opening the large one (each in a fresh `App`, the board drawn once, each opened as the
/// window opens it), and the difference per item. Prints nothing where the resident size cannot be read.
///
/// # Errors
/// A store error while preparing or opening the workspaces.
pub fn bench_memory(folder: &Path, sizes: &[usize]) -> Result<(), StoreError> {
    let mut first: Option<(usize, u64)> = None;
    // Kept open: the next size is measured on top of the last, as one process that opened both.
    let mut opened = Vec::new();
    for &items in sizes {
        let path = workspace_file(folder, items)?;
        let Some((app, before, after)) = open_and_measure(&path)? else {
            return Ok(());
        };
        #[expect(clippy::cast_precision_loss, reason = "megabytes and bytes for a report")]
        {
            print(&format!("memory_{items}_items_resident"), after as f64 / 1_048_576.0, "MB");
            print(&format!("memory_{items}_items_opened"), after.saturating_sub(before) as f64 / 1_048_576.0, "MB");
            let index = app.workspace().search_index_bytes().unwrap_or(0);
            print(&format!("memory_{items}_items_search_index"), index as f64 / 1_048_576.0, "MB");
            match first {
                None => first = Some((items, after)),
                Some((small, small_after)) => {
                    let per_item = after.saturating_sub(small_after) as f64 / (items - small).max(1) as f64;
                    print(&format!("memory_{items}_items_per_item_above_{small}"), per_item, "bytes");
                    print(
                        &format!("memory_{items}_items_above_{small}"),
                        after.saturating_sub(small_after) as f64 / 1_048_576.0,
                        "MB",
                    );
                }
            }
        }
        opened.push(app);
    }
    // The largest size again, its items with a description and people as imported ones typically have,
    // opened on top of the others: what such items cost.
    if let (Some(&items), Some(_)) = (sizes.last(), first) {
        let path = crate::bench::described_workspace_file(folder, items)?;
        if let Some((app, before, after)) = open_and_measure(&path)? {
            #[expect(clippy::cast_precision_loss, reason = "megabytes and bytes for a report")]
            {
                let added = after.saturating_sub(before) as f64;
                print(&format!("memory_{items}_described_items_opened"), added / 1_048_576.0, "MB");
                print(&format!("memory_{items}_described_items_per_item"), added / items.max(1) as f64, "bytes");
                let index = app.workspace().search_index_bytes().unwrap_or(0);
                print(&format!("memory_{items}_described_items_search_index"), index as f64 / 1_048_576.0, "MB");
            }
            opened.push(app);
        }
    }
    drop(opened);
    Ok(())
}

/// Opens `path` in an `App`, draws the board until its search index is built, and reads the resident
/// size before and half a second after; `None` where it cannot be read.
fn open_and_measure(path: &Path) -> Result<Option<(App, u64, u64)>, StoreError> {
    let before = resident_bytes();
    // Opened as the window opens it: a file above the window's size for it on a worker thread (the
    // workspace's memory is then taken from that thread's part of the allocator).
    let large = std::fs::metadata(path).is_ok_and(|meta| meta.len() > crate::ui::FIRST_SCREEN_ABOVE);
    let opened = if large {
        crate::app::Opening::start(path, NewWorkspace::Blank).wait()
    } else {
        App::open(path, NewWorkspace::Blank)
    };
    let mut app = opened.map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let ctx = egui::Context::default();
    let mut state = BoardState::default();
    timed(&ctx, &mut app, &mut state, |_, _| {});
    // Until the board has built the search index a slice a frame, as it does when shown: it is part of
    // what an opened workspace holds.
    for _ in 0..600 {
        if app.workspace().prepare_search(Duration::ZERO) {
            break;
        }
        timed(&ctx, &mut app, &mut state, |_, _| {});
    }
    // The allocator gives freed pages back to the system after a short delay (the file's check ran
    // on a thread of its own, which has finished): measured once that has happened.
    std::thread::sleep(std::time::Duration::from_millis(500));
    timed(&ctx, &mut app, &mut state, |_, _| {});
    Ok(before.zip(resident_bytes()).map(|(before, after)| (app, before, after)))
}

/// `tandem bench` group `bulk`: renaming the person the most items name, in the described workspace, as
/// the People window does (one transaction and one undo step through [`App`], every item read from the
/// file and checked), then undoing it. The baseline is the same renaming as two bare `UPDATE`s in one
/// transaction on the same file, with no journal, no undo and no workspace to patch.
///
/// # Errors
/// A store error.
pub fn bench_bulk_edits(folder: &Path, items: usize) -> Result<(), StoreError> {
    let source = crate::bench::described_workspace_file(folder, items)?;
    let path = folder.join(format!("bench-{items}-bulk.sqlite"));
    crate::store::remove_workspace_files(&path);
    std::fs::copy(&source, &path)?;
    let mut app = App::open(&path, NewWorkspace::Blank).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let people = app.workspace().people();
    let Some(person) = people.iter().max_by_key(|person| person.assigned + person.reported).cloned() else {
        return Ok(());
    };
    let renamed = "Renamed Person";
    let started = Instant::now();
    app.apply(Command::Item(ItemCommand::RenamePerson { from: person.name.clone(), to: renamed.to_owned() }))?;
    let rename = started.elapsed();
    let started = Instant::now();
    app.undo()?;
    let undo = started.elapsed();

    // As the window makes it now: an App of the worker thread's own on the file makes it (opening and
    // reading the workspace first, and reading it again once written), and the window takes the
    // workspace it read and the step.
    let started = Instant::now();
    let work = crate::app::jobs::Work::Apply {
        workspace: path.clone(),
        command: Box::new(Command::Item(ItemCommand::RenamePerson {
            from: person.name.clone(),
            to: renamed.to_owned(),
        })),
        title: String::new(),
    };
    let crate::app::jobs::Outcome::Applied { result, read } = crate::bench_imports::run_job(work) else {
        return Err(StoreError::Corrupt("the worker reported something else".to_owned()));
    };
    let (_, step) = result.map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let worker_read = read.is_some();
    let on_worker = started.elapsed();
    let taken_in = Instant::now();
    app.took_in(step, read)?;
    let window_share = taken_in.elapsed();
    if !worker_read {
        return Err(StoreError::Corrupt("the worker did not read the workspace back".to_owned()));
    }
    // Back as it was, for the baseline below.
    app.undo()?;
    // What the window's thread did before the worker read the workspace back: read it itself.
    let started = Instant::now();
    app.reload()?;
    let reading_again = started.elapsed();
    drop(app);

    let mut connection = rusqlite::Connection::open(&path)?;
    let started = Instant::now();
    let transaction = connection.transaction()?;
    let mut changed = 0;
    for column in ["assignee", "reporter"] {
        changed += transaction.execute(
            &format!("UPDATE items SET {column} = ?2 WHERE lower({column}) = lower(?1)"),
            rusqlite::params![person.name, renamed],
        )?;
    }
    transaction.commit()?;
    let baseline = started.elapsed();
    drop(connection);
    crate::store::remove_workspace_files(&path);

    let millis = |duration: Duration| duration.as_secs_f64() * 1000.0;
    #[expect(clippy::cast_precision_loss, reason = "a count for a report")]
    print(&format!("bulk_{items}_rename_person_items"), (person.assigned + person.reported) as f64, "items");
    print(&format!("bulk_{items}_rename_person"), millis(rename), "ms");
    print(&format!("bulk_{items}_rename_person_undo"), millis(undo), "ms");
    print(&format!("bulk_{items}_rename_person_on_the_worker"), millis(on_worker), "ms");
    print(&format!("bulk_{items}_rename_person_window_thread_now"), millis(window_share), "ms");
    print(&format!("bulk_{items}_baseline_window_thread_reading_the_workspace_again"), millis(reading_again), "ms");
    print(
        &format!("bulk_{items}_window_thread_ratio_to_reading_again"),
        millis(window_share) / millis(reading_again).max(1e-9),
        "x",
    );
    print(&format!("bulk_{items}_rename_person_baseline_bare_updates"), millis(baseline), "ms");
    print(&format!("bulk_{items}_rename_person_ratio_to_baseline"), millis(rename) / millis(baseline).max(1e-9), "x");
    std::hint::black_box(changed);
    Ok(())
}

/// The panels that follow every change, at `items` items: the Priorities window (its largest column), and
/// the Compare panel against a baseline: the comparison it makes
/// after every change, on the window's thread as before (`compare_{items}_with_a_baseline_on_the_window_thread`)
/// and through the worker's own read-only connection as now (`compare_{items}_with_a_baseline_on_a_worker`),
/// the window only handing it over and taking the result; medians of `rounds`.
///
/// # Errors
/// A store error while preparing the workspace.
pub fn bench_compare(folder: &Path, items: usize, rounds: usize) -> Result<(), StoreError> {
    let source = workspace_file(folder, items)?;
    let path = folder.join(format!("bench-{items}-compare.sqlite"));
    crate::store::remove_workspace_files(&path);
    std::fs::copy(&source, &path)?;
    let mut app = App::open(&path, NewWorkspace::Blank).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let name = "Before the bench";
    app.save_baseline(name, "")?;
    moves(&egui::Context::default(), &mut app, &mut BoardState::default(), 1)?;
    let with = crate::app::baselines::CompareWith::Baseline(name.to_owned());
    // The Priorities window follows every change too: the cards of the largest column placed by WSJF and
    // by RICE, and the few whose places differ most.
    let mut priorities = Vec::with_capacity(rounds);
    if let Some(column) =
        app.workspace().columns.iter().max_by_key(|column| app.workspace().column_items(column.column_id).len())
    {
        for _ in 0..rounds {
            let workspace = app.workspace();
            let started = Instant::now();
            let cards: Vec<&crate::model::BacklogItem> = workspace
                .column_items(column.column_id)
                .iter()
                .filter_map(|item_id| workspace.item(*item_id))
                .collect();
            std::hint::black_box(crate::model::priority::most_disagreed(&cards, 8));
            priorities.push(started.elapsed());
        }
    }
    let (mut here, mut worker) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        let started = Instant::now();
        std::hint::black_box(app.compare_with_baseline(name)?);
        here.push(started.elapsed());
        let started = Instant::now();
        let compared = crate::app::baselines::compare_in_file(&path, &with).map_err(StoreError::Corrupt)?;
        worker.push(started.elapsed());
        std::hint::black_box(compared);
    }
    drop(app);
    crate::store::remove_workspace_files(&path);
    let (here, _) = median_p99(&mut here);
    let (worker, _) = median_p99(&mut worker);
    print(&format!("compare_{items}_with_a_baseline_on_the_window_thread"), here, "ms");
    print(&format!("compare_{items}_with_a_baseline_on_a_worker"), worker, "ms");
    let (priorities, _) = median_p99(&mut priorities);
    print(&format!("priorities_{items}_largest_column"), priorities, "ms");
    Ok(())
}
