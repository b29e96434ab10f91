//! `tandem bench`: opening, moving and drawing, each beside a baseline measured in the same run.
//!
//! Every figure is printed as one line `bench <name> <value> <unit>` so scripts can follow it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::{ColumnId, ItemId, Workspace};
use crate::store::{MoveTarget, Store, StoreError};

pub(crate) fn print(name: &str, value: f64, unit: &str) {
    println!("bench {name} {value:.4} {unit}");
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The median and the 99th percentile of some durations, in milliseconds.
pub(crate) fn median_p99(samples: &mut [Duration]) -> (f64, f64) {
    samples.sort_unstable();
    let at = |fraction: f64| {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "an index into a short list"
        )]
        let index = ((samples.len() as f64 - 1.0) * fraction).round() as usize;
        samples.get(index).copied().map_or(0.0, millis)
    };
    (at(0.5), at(0.99))
}

/// A tiny deterministic generator, so runs compare like with like.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let high = usize::try_from(self.0 >> 33).unwrap_or(0);
        if bound == 0 { 0 } else { high % bound }
    }
}

pub(crate) fn workspace_file(folder: &Path, items: usize) -> Result<PathBuf, StoreError> {
    let path = folder.join(format!("bench-{items}.sqlite"));
    if !path.exists() {
        crate::demo::generate(&path, items).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    }
    Ok(path)
}

/// The same workspace with a description and people on its items ([`crate::demo::Generated::Described`]).
pub(crate) fn described_workspace_file(folder: &Path, items: usize) -> Result<PathBuf, StoreError> {
    let path = folder.join(format!("bench-{items}-described.sqlite"));
    if !path.exists() {
        crate::demo::generate_items(&path, items, crate::demo::Generated::Described)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    }
    Ok(path)
}

/// Runs every benchmark and prints the figures.
///
/// # Errors
/// A store error while preparing the workspaces.
pub fn run(quick: bool) -> Result<(), StoreError> {
    let folder = std::env::temp_dir().join("tandem-bench");
    std::fs::create_dir_all(&folder)?;
    let large = if quick { 10_000 } else { 100_000 };
    // `TANDEM_BENCH_ONLY=dashboard,roadmap` runs only the named groups.
    let only = std::env::var("TANDEM_BENCH_ONLY").unwrap_or_default();
    let wanted = |group: &str| only.is_empty() || only.split(',').any(|name| name.trim() == group);
    println!("# tandem bench: {large}-item workspace in {}", folder.display());
    if wanted("open") {
        bench_open(&folder, large, if quick { 3 } else { 5 })?;
    }
    if wanted("moves") {
        bench_moves(&folder, large, if quick { 100 } else { 400 })?;
        bench_same_gap(if quick { 2_000 } else { 10_000 })?;
    }
    if wanted("interchange") {
        crate::bench_imports::bench_interchange(&folder, large)?;
    }
    if wanted("board") {
        let sizes: &[usize] = if quick { &[100, 10_000] } else { &[100, 10_000, 100_000] };
        bench_board_frames(&folder, sizes, if quick { 30 } else { 100 })?;
    }
    if wanted("typing") {
        let sizes: &[usize] = if quick { &[100, 10_000] } else { &[100, 100_000] };
        bench_typing(&folder, sizes)?;
    }
    if wanted("roadmap") {
        bench_roadmap_frames(if quick { 30 } else { 100 })?;
    }
    if wanted("planning") {
        bench_planning_frames(&folder, large, if quick { 30 } else { 100 })?;
    }
    if wanted("dashboard") {
        bench_dashboard_frames(if quick { 30 } else { 100 })?;
    }
    if wanted("latency") {
        let sizes: &[usize] = if quick { &[100, 10_000] } else { &[100, 100_000] };
        crate::bench_latency::bench_latency(&folder, sizes, if quick { 10 } else { 30 })?;
    }
    if wanted("memory") {
        let sizes: &[usize] = if quick { &[100, 10_000] } else { &[100, 100_000] };
        crate::bench_latency::bench_memory(&folder, sizes)?;
    }
    if wanted("bulk") {
        crate::bench_latency::bench_bulk_edits(&folder, large)?;
    }
    if wanted("compare") {
        for items in if quick { [100, 10_000] } else { [100, 100_000] } {
            crate::bench_latency::bench_compare(&folder, items, if quick { 3 } else { 5 })?;
        }
    }
    if wanted("undo_import") {
        for items in if quick { [1_000, 10_000] } else { [10_000, 100_000] } {
            crate::bench_imports::bench_undo_import(&folder, items)?;
        }
    }
    if wanted("names") {
        crate::bench_imports::bench_names(&folder, if quick { 1_000 } else { 3_000 })?;
    }
    Ok(())
}

/// Median time of a headless frame at 1280×800 (`run_ui` plus tessellation) drawing `draw` in the
/// central panel, in milliseconds, after five warm-up frames.
fn frame_median(frames: usize, mut draw: impl FnMut(&mut egui::Ui)) -> f64 {
    let ctx = egui::Context::default();
    let mut times = Vec::with_capacity(frames);
    for frame in 0..(frames + 5) {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            ..Default::default()
        };
        let started = Instant::now();
        let output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| draw(ui));
        });
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
        if frame >= 5 {
            times.push(started.elapsed());
        }
    }
    median_p99(&mut times).0
}

/// Typing a search on the board, one character per frame, as a PO looks for cards: the worst and the
/// median frame after a keystroke, at each size, and the ratio of the largest size to the smallest
/// (goal: ≤ 2, or under 8 ms). Each keystroke changes the filter and draws one frame.
fn bench_typing(folder: &Path, sizes: &[usize]) -> Result<(), StoreError> {
    const TYPED: &str = "checkout pay";
    let mut first: Option<(f64, f64)> = None;
    for &items in sizes {
        let path = workspace_file(folder, items)?;
        let (mut store, _) = Store::open(&path)?;
        let workspace = store.load()?;
        let mut times = Vec::new();
        // Three rounds: type the term, clear it.
        for _ in 0..3 {
            let mut state = crate::ui::board::BoardState::default();
            let ctx = egui::Context::default();
            let mut typed = String::new();
            for character in std::iter::once(None).chain(TYPED.chars().map(Some)) {
                if let Some(character) = character {
                    typed.push(character);
                }
                state.filter.text.clone_from(&typed);
                let input = egui::RawInput {
                    screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
                    ..Default::default()
                };
                let started = Instant::now();
                let output = ctx.run_ui(input, |ui| {
                    egui::CentralPanel::default().show(ui, |ui| {
                        crate::ui::board::board_ui(ui, &workspace, &mut state, &mut Vec::new());
                    });
                });
                std::hint::black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
                if character.is_some() {
                    times.push(started.elapsed());
                }
            }
        }
        let (median, _) = median_p99(&mut times);
        let worst = times.iter().max().map_or(0.0, |worst| millis(*worst));
        print(&format!("typing_{items}_items_keystroke_median"), median, "ms");
        print(&format!("typing_{items}_items_keystroke_worst"), worst, "ms");
        let (base_median, base_worst) = *first.get_or_insert((median, worst));
        print(&format!("typing_{items}_items_median_ratio_to_first"), median / base_median.max(1e-9), "x");
        print(&format!("typing_{items}_items_worst_ratio_to_first"), worst / base_worst.max(1e-9), "x");
    }
    Ok(())
}

/// Median time of a headless roadmap frame at 1280×800, in milliseconds.
#[must_use]
pub fn roadmap_frame_median(workspace: &Workspace, frames: usize, lanes: crate::ui::roadmap::Lanes) -> f64 {
    let today = jiff::civil::date(2026, 11, 18);
    let mut state = crate::ui::roadmap::RoadmapState::default();
    state.lanes = lanes;
    frame_median(frames, |ui| {
        let mut actions = Vec::new();
        crate::ui::roadmap::roadmap_ui(ui, workspace, today, &mut state, &mut actions);
    })
}

/// Median time of a headless KPI dashboard frame at 1280×800, in milliseconds.
#[must_use]
pub fn dashboard_frame_median(workspace: &Workspace, frames: usize) -> f64 {
    let today = jiff::civil::date(2026, 11, 18);
    let mut state = crate::ui::metrics::MetricsState::default();
    frame_median(frames, |ui| {
        let mut actions = Vec::new();
        crate::ui::metrics::metrics_ui(ui, workspace, &mut state, today, &mut actions);
    })
}

/// A workspace with `kpis` KPIs of `days` daily samples each, ending on 2026-11-18.
#[must_use]
pub fn many_kpis(kpis: usize, days: i64) -> Workspace {
    use crate::model::{Direction, Metric, MetricCategory, MetricId, MetricSample, MetricUnit};
    let mut workspace = Workspace::new(crate::model::Product { name: "Bench".to_owned(), vision: String::new() });
    let last = jiff::civil::date(2026, 11, 18);
    for index in 0..kpis {
        let phase = f64::from(u32::try_from(index).unwrap_or(0));
        let samples = (0..days)
            .map(|day| {
                #[expect(clippy::cast_precision_loss, reason = "a few thousand days")]
                let t = day as f64;
                MetricSample {
                    date: crate::model::add_days(last, day - days + 1),
                    value: (50.0 + 20.0 * (t / 90.0 + phase).sin() + 5.0 * (t * 1.7).sin()).clamp(0.0, 100.0),
                }
            })
            .collect();
        workspace.metrics.push(Metric {
            metric_id: MetricId(i64::try_from(index).unwrap_or(0) + 1),
            name: format!("KPI {}", index + 1),
            unit: MetricUnit::Percent,
            direction: if index % 3 == 0 { Direction::LowerIsBetter } else { Direction::HigherIsBetter },
            category: MetricCategory::ALL.get(index % 4).copied().unwrap_or(MetricCategory::Product),
            target: Some(60.0),
            description: String::new(),
            objective_id: None,
            samples,
        });
    }
    workspace
}

/// Median headless frames of the sprint planning panel and of the delivery page, in milliseconds.
/// Also returns how long rebuilding the delivery log from the store and the page's figures from it takes
/// (what a change costs once, on a worker thread above 20,000 items) and how long the window's thread spends handing it over.
fn planning_frames(store: &mut Store, frames: usize) -> Result<(f64, f64, f64, f64, f64), StoreError> {
    let workspace = store.load()?;
    let today = jiff::civil::date(2026, 11, 18);
    let mut panel = crate::ui::sprints::SprintPanel::default();
    let mut board = crate::ui::board::BoardState::default();
    let panel_median = frame_median(frames, |ui| {
        let mut actions = Vec::new();
        crate::ui::sprints::planning_ui(ui, &workspace, &mut panel, &mut board, today, &mut actions);
    });
    // The panel's first frame after a change: it finds the shown sprint's items again.
    let changed_median = frame_median(frames, |ui| {
        let mut actions = Vec::new();
        let mut fresh = crate::ui::sprints::SprintPanel::default();
        crate::ui::sprints::planning_ui(ui, &workspace, &mut fresh, &mut board, today, &mut actions);
    });
    // What the window's thread does for a change while the Delivery page shows a large board: take
    // what the worker needs of each item (the worker then does the rest, timed below).
    let taken = Instant::now();
    let stamps = crate::model::delivery::DeliveryLog::stamps(workspace.items());
    let ui_thread = millis(taken.elapsed());
    std::hint::black_box(stamps);
    let rebuild_started = Instant::now();
    let changes = store.status_changes()?;
    let started = crate::model::delivery::default_started_column(&workspace.columns);
    let log =
        crate::model::delivery::DeliveryLog::new(&workspace.columns, workspace.items(), &changes, started, |instant| {
            instant.to_zoned(jiff::tz::TimeZone::UTC).date()
        });
    let mut state = crate::ui::metrics::MetricsState::default();
    state.page = crate::ui::metrics::MetricsPage::Delivery;
    let cache =
        crate::ui::metrics::DeliveryCache { revision: workspace.revision(), started_column: None, log: Arc::new(log) };
    // The page's figures, which the worker works out from the summary too.
    let sprint = crate::ui::metrics::delivery::shown_sprint(&state, &workspace.sprints, today);
    let key = crate::ui::metrics::delivery::DeliveryFigures::key_of(&cache, sprint, today);
    let figures =
        crate::ui::metrics::delivery::DeliveryFigures::compute(&cache.log, &workspace.sprints, sprint, today, key);
    let rebuild = millis(rebuild_started.elapsed());
    state.delivery = Some(cache);
    state.figures = Some(Arc::new(figures));
    let delivery_median = frame_median(frames, |ui| {
        let mut actions = Vec::new();
        crate::ui::metrics::metrics_ui(ui, &workspace, &mut state, today, &mut actions);
    });
    Ok((panel_median, delivery_median, rebuild, ui_thread, changed_median))
}

fn bench_planning_frames(folder: &Path, items: usize, frames: usize) -> Result<(), StoreError> {
    let mut sample = Store::open_in_memory()?;
    crate::demo::seed_sample_for(&mut sample, jiff::civil::date(2026, 11, 18))
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let (panel_base, delivery_base, _, _, changed_base) = planning_frames(&mut sample, frames)?;
    print("sprint_panel_frame_after_a_change_sample_median", changed_base, "ms");
    print("sprint_panel_frame_sample_median", panel_base, "ms");
    print("delivery_frame_sample_median", delivery_base, "ms");
    let (mut store, _) = Store::open(&workspace_file(folder, items)?)?;
    let (panel, delivery, rebuild, ui_thread, changed) = planning_frames(&mut store, frames)?;
    print(&format!("sprint_panel_frame_after_a_change_{items}_items_median"), changed, "ms");
    print(&format!("sprint_panel_frame_{items}_items_median"), panel, "ms");
    print(&format!("sprint_panel_frame_{items}_items_ratio_to_sample"), panel / panel_base.max(1e-9), "x");
    print(&format!("delivery_frame_{items}_items_median"), delivery, "ms");
    print(&format!("delivery_frame_{items}_items_ratio_to_sample"), delivery / delivery_base.max(1e-9), "x");
    print(&format!("delivery_log_rebuild_{items}_items"), rebuild, "ms");
    print(&format!("delivery_log_rebuild_{items}_items_window_thread"), ui_thread, "ms");
    Ok(())
}

fn bench_dashboard_frames(frames: usize) -> Result<(), StoreError> {
    let mut sample = Store::open_in_memory()?;
    crate::demo::seed_sample(&mut sample).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let baseline = dashboard_frame_median(&sample.load()?, frames);
    print("dashboard_frame_sample_median", baseline, "ms");
    let large = many_kpis(20, 3650);
    let median = dashboard_frame_median(&large, frames);
    print("dashboard_frame_20_kpis_10_years_daily_median", median, "ms");
    print("dashboard_frame_20_kpis_ratio_to_sample", median / baseline.max(1e-9), "x");
    Ok(())
}

/// A roadmap of `epics` epics and `milestones` milestones spread over five years from 2024, with
/// every tenth epic starting after the one before it.
#[must_use]
pub fn large_roadmap(epics: usize, milestones: usize) -> Workspace {
    use crate::model::{Colour, Epic, EpicId, Release, ReleaseId, ReleaseKind};
    let mut random = Lcg(7);
    let first = jiff::civil::date(2024, 1, 1);
    let day =
        |offset: usize| first.checked_add(jiff::Span::new().days(i64::try_from(offset).unwrap_or(0))).unwrap_or(first);
    let mut workspace =
        Workspace::new(crate::model::Product { name: "Large roadmap".to_owned(), vision: String::new() });
    workspace.epics = (0..epics)
        .map(|index| {
            let start = random.below(5 * 365 - 120);
            let length = 14 + random.below(100);
            let id = i64::try_from(index).unwrap_or(0) + 1;
            Epic {
                epic_id: EpicId(id),
                title: format!("Epic {id}"),
                description: String::new(),
                colour: Colour([0x2f, 0x6f, 0xb3]),
                start_date: day(start),
                end_date: day(start + length),
                objective_id: None,
                depends_on: if index % 10 == 9 { vec![EpicId(id - 1)] } else { Vec::new() },
            }
        })
        .collect();
    workspace.releases = (0..milestones)
        .map(|index| Release {
            release_id: ReleaseId(i64::try_from(index).unwrap_or(0) + 1),
            name: format!("Milestone {index}"),
            date: day(random.below(5 * 365)),
            kind: if index % 4 == 0 { ReleaseKind::Release } else { ReleaseKind::Milestone },
            description: String::new(),
        })
        .collect();
    workspace.releases.sort_by_key(|release| release.date);
    workspace
}

fn bench_roadmap_frames(frames: usize) -> Result<(), StoreError> {
    let mut sample = Store::open_in_memory()?;
    crate::demo::seed_sample_for(&mut sample, jiff::civil::date(2026, 11, 18))
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let baseline = roadmap_frame_median(&sample.load()?, frames, crate::ui::roadmap::Lanes::None);
    print("roadmap_frame_sample_median", baseline, "ms");
    let large = large_roadmap(2_000, 200);
    let median = roadmap_frame_median(&large, frames, crate::ui::roadmap::Lanes::None);
    print("roadmap_frame_2000_epics_200_milestones_median", median, "ms");
    print("roadmap_frame_2000_epics_ratio_to_sample", median / baseline.max(1e-9), "x");
    let median = roadmap_frame_median(&large, frames, crate::ui::roadmap::Lanes::Release);
    print("roadmap_frame_2000_epics_release_lanes_median", median, "ms");
    Ok(())
}

fn bench_open(folder: &Path, items: usize, runs: usize) -> Result<(), StoreError> {
    let path = workspace_file(folder, items)?;
    let mut opening = Vec::new();
    let mut raw = Vec::new();
    let mut columns = Vec::new();
    let mut checking = Vec::new();
    let mut beside_load = Vec::new();
    let mut first_frames = Vec::new();
    let mut first_screens = Vec::new();
    let mut first_screen_frames = Vec::new();
    let mut changeable = Vec::new();
    for _ in 0..runs {
        first_frames.push(crate::bench_latency::open_to_first_frame(&path)?);
        let (frame, whole) = crate::bench_latency::open_in_the_background(&path)?;
        first_screen_frames.push(frame);
        changeable.push(whole);
        // The first screen's read alone (what opening waits for before its first frame).
        let started = Instant::now();
        let first = crate::store::read_first_screen(&path, crate::store::FIRST_SCREEN_CARDS)?;
        first_screens.push(started.elapsed());
        std::hint::black_box(first);

        // What opening spends on treating the file as untrusted (schema comparison and quick check), timed
        // alone; inside `Store::open` the quick check runs on a second thread beside the load.
        let started = Instant::now();
        crate::store::check_workspace_file(&path)?;
        checking.push(started.elapsed());
        // What of it runs beside a load, which checks the items' own rules as it reads them.
        let started = Instant::now();
        crate::store::quick_check_left_by_a_load(&path)?;
        beside_load.push(started.elapsed());

        let started = Instant::now();
        let (mut store, _) = Store::open(&path)?;
        let workspace = store.load()?;
        opening.push(started.elapsed());
        assert_eq!(workspace.item_count(), items, "the generated workspace has the wrong size");

        let started = Instant::now();
        let connection = rusqlite::Connection::open(&path)?;
        let mut statement = connection.prepare("SELECT * FROM items")?;
        let mut rows = statement.query([])?;
        let mut count = 0usize;
        while let Some(row) = rows.next()? {
            let _title: String = row.get(2)?;
            count += 1;
        }
        raw.push(started.elapsed());
        debug_assert_eq!(count, items);

        // A second baseline: every column the load reads, fetched from SQLite as values and not turned
        // into anything. What is left above it is making items of them.
        let started = Instant::now();
        let mut statement = connection.prepare(&format!("SELECT {} FROM items", crate::store::ITEM_COLUMNS))?;
        let width = statement.column_count();
        let mut rows = statement.query([])?;
        let mut nulls = 0usize;
        while let Some(row) = rows.next()? {
            for index in 0..width {
                nulls += usize::from(matches!(row.get_ref(index)?, rusqlite::types::ValueRef::Null));
            }
        }
        columns.push(started.elapsed());
        std::hint::black_box(nulls);
    }
    let (open_median, _) = median_p99(&mut opening);
    let (raw_median, _) = median_p99(&mut raw);
    print(&format!("open_{items}_items"), open_median, "ms");
    print(&format!("open_{items}_baseline_raw_select"), raw_median, "ms");
    print(&format!("open_{items}_ratio_to_baseline"), open_median / raw_median.max(1e-9), "x");
    let (columns_median, _) = median_p99(&mut columns);
    print(&format!("open_{items}_baseline_every_item_column"), columns_median, "ms");
    print(&format!("open_{items}_every_item_column_ratio_to_raw_select"), columns_median / raw_median.max(1e-9), "x");
    let (check_median, _) = median_p99(&mut checking);
    print(&format!("open_{items}_untrusted_file_check_alone"), check_median, "ms");
    let (beside_median, _) = median_p99(&mut beside_load);
    print(&format!("open_{items}_check_left_beside_the_load_alone"), beside_median, "ms");
    let (first_frame_median, _) = median_p99(&mut first_frames);
    print(&format!("open_{items}_to_first_board_frame"), first_frame_median, "ms");
    // What the window does above 4 MB: the first screen first, the whole workspace on a worker thread.
    let (first_screen_median, _) = median_p99(&mut first_screens);
    print(&format!("open_{items}_first_screen_read"), first_screen_median, "ms");
    print(&format!("open_{items}_first_screen_ratio_to_raw_select"), first_screen_median / raw_median.max(1e-9), "x");
    let (screen_frame_median, _) = median_p99(&mut first_screen_frames);
    print(&format!("open_{items}_to_first_screen_frame"), screen_frame_median, "ms");
    let (changeable_median, _) = median_p99(&mut changeable);
    print(&format!("open_{items}_until_the_board_can_be_changed"), changeable_median, "ms");
    Ok(())
}

fn column_sizes(store: &Store) -> Result<Vec<(ColumnId, Vec<ItemId>)>, StoreError> {
    let columns = crate::store::board::columns_in_tx(store.connection())?;
    columns.iter().map(|column| Ok((column.column_id, store.column_order(column.column_id)?))).collect()
}

/// The least any move can cost: one raw single-row `UPDATE` of `item_id` in its own transaction, on the
/// bare connection (no journal, no checks); how long it took.
fn raw_update(store: &Store, item_id: ItemId, index: usize) -> Result<Duration, StoreError> {
    let started = Instant::now();
    let connection = store.connection();
    connection.execute_batch("BEGIN IMMEDIATE")?;
    connection.execute(
        "UPDATE items SET rank = rank, updated_at = ?2 WHERE item_id = ?1",
        rusqlite::params![item_id.0, index.to_string()],
    )?;
    connection.execute_batch("COMMIT")?;
    Ok(started.elapsed())
}

fn bench_moves(folder: &Path, items: usize, moves: usize) -> Result<(), StoreError> {
    let source = workspace_file(folder, items)?;
    let path = folder.join(format!("bench-{items}-moves.sqlite"));
    std::fs::copy(&source, &path)?;
    let (mut store, _) = Store::open(&path)?;
    // In the write-ahead log, with the thread that copies it into the file, as the window writes.
    store.use_wal()?;
    let mut random = Lcg(7);
    let mut columns = column_sizes(&store)?;
    // Every item's rank, as the app's copy of the board has them: a move is told where the card it
    // lands below stands, as the app tells it. Read through the column's index, as the columns are.
    let mut ranks = std::collections::HashMap::new();
    {
        let mut statement = store
            .connection()
            .prepare("SELECT item_id, rank FROM items INDEXED BY items_by_column_rank WHERE column_id = ?1")?;
        for (column_id, _) in &columns {
            for row in statement.query_map([column_id.0], |row| Ok((ItemId(row.get(0)?), row.get::<_, String>(1)?)))? {
                let (item_id, text) = row?;
                ranks.insert(
                    item_id,
                    crate::model::Rank::parse(&text).map_err(|error| StoreError::Corrupt(error.to_string()))?,
                );
            }
        }
    }
    let mut times = Vec::with_capacity(moves);
    // The moves that stay in their column (a product owner reordering a column): no history row.
    let mut within = Vec::new();
    let mut rows = Vec::with_capacity(moves);
    // Baseline: the least any move can cost, one raw single-row UPDATE in its own transaction, on the
    // bare connection (no journal, no checks). One after each move, so that both meet the log and the
    // page cache in the same state (the log grows, and is copied into the file, as they go).
    let mut raw = Vec::with_capacity(moves);
    let every_id: Vec<ItemId> = columns.iter().flat_map(|(_, ids)| ids.iter().copied()).collect();
    for index in 0..moves {
        let from = random.below(columns.len());
        let to = random.below(columns.len());
        let Some(item_id) = columns.get(from).and_then(|(_, ids)| ids.get(random.below(ids.len()))).copied() else {
            continue;
        };
        let (to_column, to_ids) = columns.get(to).map_or((ColumnId(0), Vec::new()), |(id, ids)| (*id, ids.clone()));
        let after = to_ids.get(random.below(to_ids.len() + 1)).copied().filter(|id| *id != item_id);
        let seen = after.and_then(|after| ranks.get(&after));
        let started = Instant::now();
        let outcome = store.move_item_seen(item_id, MoveTarget { column_id: to_column, after_item: after }, seen)?;
        times.push(started.elapsed());
        for position in &outcome.after {
            ranks.insert(position.item_id, position.rank.clone());
        }
        if from == to {
            within.push(started.elapsed());
        }
        rows.push(outcome.rows_written);
        // Keep the local picture of the board in step, as the app does.
        if let Some((_, ids)) = columns.get_mut(from) {
            ids.retain(|id| *id != item_id);
        }
        if let Some((_, ids)) = columns.get_mut(to) {
            let index = after.and_then(|after| ids.iter().position(|id| *id == after)).map_or(0, |index| index + 1);
            ids.insert(index.min(ids.len()), item_id);
        }
        let item_id = every_id.get(random.below(every_id.len())).copied().unwrap_or(ItemId(1));
        raw.push(raw_update(&store, item_id, index)?);
    }
    let (median, p99) = median_p99(&mut times);
    rows.sort_unstable();
    print(&format!("move_{items}_median"), median, "ms");
    print(&format!("move_{items}_p99"), p99, "ms");
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    {
        print(
            &format!("move_{items}_rows_written_median"),
            rows.get(rows.len() / 2).copied().unwrap_or(0) as f64,
            "rows",
        );
        print(&format!("move_{items}_rows_written_max"), rows.last().copied().unwrap_or(0) as f64, "rows");
    }

    let (raw_median, raw_p99) = median_p99(&mut raw);
    print(&format!("move_{items}_baseline_raw_update_median"), raw_median, "ms");
    print(&format!("move_{items}_baseline_raw_update_p99"), raw_p99, "ms");
    print(&format!("move_{items}_ratio_to_raw_update"), median / raw_median.max(1e-9), "x");
    let (within_median, _) = median_p99(&mut within);
    print(&format!("move_{items}_within_a_column_median"), within_median, "ms");
    print(&format!("move_{items}_within_a_column_ratio_to_raw_update"), within_median / raw_median.max(1e-9), "x");

    // A second baseline: the rows a move itself must write, as bare SQL in one transaction: the item's
    // column, rank and time (two entries of the board's index change with them) and, across columns, a
    // status-change row. No reads, no checks, no journal.
    let mut bare_moves = Vec::with_capacity(moves);
    for index in 0..moves {
        let item_id = every_id.get(random.below(every_id.len())).copied().unwrap_or(ItemId(1));
        let to = columns.get(random.below(columns.len())).map_or(ColumnId(1), |(id, _)| *id);
        let started = Instant::now();
        let connection = store.connection();
        connection.execute_batch("BEGIN IMMEDIATE")?;
        let from: i64 =
            connection.query_row("SELECT column_id FROM items WHERE item_id = ?1", [item_id.0], |row| row.get(0))?;
        connection.execute(
            "UPDATE items SET column_id = ?2, rank = rank || 'V', updated_at = ?3 WHERE item_id = ?1",
            rusqlite::params![item_id.0, to.0, index.to_string()],
        )?;
        if from != to.0 {
            connection.execute(
                "INSERT INTO status_changes (item_id, changed_at, from_column_id, to_column_id) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![item_id.0, index.to_string(), from, to.0],
            )?;
        }
        connection.execute_batch("COMMIT")?;
        bare_moves.push(started.elapsed());
    }
    let (bare_median, _) = median_p99(&mut bare_moves);
    print(&format!("move_{items}_baseline_bare_move_sql_median"), bare_median, "ms");
    print(&format!("move_{items}_ratio_to_bare_move_sql"), median / bare_median.max(1e-9), "x");

    // The raw UPDATE again, this time one after another with nothing between: what it costs with
    // SQLite's code and the log's last pages warm from the one before (as the baseline was measured until
    // session 38, then on a file in the rollback journal, which the window never writes to).
    let mut alone = Vec::with_capacity(moves);
    for index in 0..moves {
        let item_id = every_id.get(random.below(every_id.len())).copied().unwrap_or(ItemId(1));
        alone.push(raw_update(&store, item_id, index)?);
    }
    let (alone_median, _) = median_p99(&mut alone);
    print(&format!("move_{items}_baseline_raw_update_alone_median"), alone_median, "ms");
    print(&format!("move_{items}_ratio_to_raw_update_alone"), median / alone_median.max(1e-9), "x");

    // The naive design: store positions as integers and renumber the whole target column on every move.
    let mut naive = Vec::new();
    if let Some((column_id, column_ids)) = columns.iter().max_by_key(|(_, ids)| ids.len()) {
        let count = column_ids.len();
        for _ in 0..5 {
            let started = Instant::now();
            store.write(|tx| {
                let mut update = tx.prepare_cached("UPDATE items SET updated_at = ?2 WHERE item_id = ?1")?;
                for (position, item_id) in column_ids.iter().enumerate() {
                    update.execute(rusqlite::params![item_id.0, position.to_string()])?;
                }
                Ok(())
            })?;
            naive.push(started.elapsed());
        }
        let (naive_median, _) = median_p99(&mut naive);
        print(&format!("move_{items}_naive_renumber_column_of_{count}_median"), naive_median, "ms");
        let _ = column_id;
    }
    drop(store);
    crate::store::remove_workspace_files(&path);
    Ok(())
}

fn bench_same_gap(moves: usize) -> Result<(), StoreError> {
    let mut store = Store::open_in_memory()?;
    crate::demo::seed_blank(&mut store, "Bench")?;
    let column =
        crate::store::board::columns_in_tx(store.connection())?.first().map_or(ColumnId(1), |column| column.column_id);
    let now = crate::model::Timestamp::now();
    let mut ids = Vec::new();
    for index in 0..(moves + 2) {
        let item = crate::model::BacklogItem::new(crate::model::ItemKind::Story, format!("Item {index}"), column, now);
        ids.push(store.create_item(&item)?.item_id);
    }
    // Always move the next item into the gap right below the first item.
    let (Some(&anchor), moving_items) = (ids.first(), ids.get(2..).unwrap_or_default()) else {
        return Ok(());
    };
    let mut times = Vec::with_capacity(moves);
    let mut rebalances = 0usize;
    for &item_id in moving_items {
        let started = Instant::now();
        let outcome = store.move_item(item_id, MoveTarget { column_id: column, after_item: Some(anchor) })?;
        times.push(started.elapsed());
        if outcome.rows_written > 1 {
            rebalances += 1;
        }
    }
    let longest: i64 = store.connection().query_row("SELECT max(length(rank)) FROM items", [], |row| row.get(0))?;
    let (median, p99) = median_p99(&mut times);
    #[expect(clippy::cast_precision_loss, reason = "small counts")]
    {
        print(&format!("same_gap_{moves}_moves_longest_key"), longest as f64, "chars");
        print(&format!("same_gap_{moves}_moves_rebalances"), rebalances as f64, "count");
    }
    print(&format!("same_gap_{moves}_moves_median"), median, "ms");
    print(&format!("same_gap_{moves}_moves_p99"), p99, "ms");
    Ok(())
}

/// Median time of a headless board frame at 1280×800, in milliseconds.
#[must_use]
pub fn board_frame_median(workspace: &Workspace, frames: usize, state: &mut crate::ui::board::BoardState) -> f64 {
    frame_median(frames, |ui| {
        let mut actions = Vec::new();
        crate::ui::board::board_ui(ui, workspace, state, &mut actions);
    })
}

/// The list sorted by a column's header: the sort itself (the list's rows worked out afresh, as on the
/// click and after each change while sorted), median of 5, and a frame of the sorted list once cached.
fn bench_list_sorts(workspace: &Workspace, items: usize, frames: usize) {
    use crate::ui::board::list_order::{ListOrder, ListSort};
    for (by, name) in [(ListSort::Wsjf, "wsjf"), (ListSort::Title, "title")] {
        let sorted = || {
            let mut state = crate::ui::board::BoardState::default();
            state.mode = crate::ui::board::BoardMode::List;
            state.list_order = Some(ListOrder::after_click(None, by));
            state
        };
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let mut state = sorted();
                let started = Instant::now();
                std::hint::black_box(state.list_rows(workspace));
                started.elapsed()
            })
            .collect();
        let (sort_median, _) = median_p99(&mut times);
        print(&format!("backlog_list_sort_{items}_items_by_{name}_median"), sort_median, "ms");
        // The sort itself, as the sorting thread does it above 20,000 cards (the line above is then the
        // click's frame alone): every card of the board, median of 5.
        let rows: Vec<(ItemId, crate::model::ColumnId)> = workspace
            .columns
            .iter()
            .flat_map(|column| workspace.column_items(column.column_id).iter().map(|id| (*id, column.column_id)))
            .collect();
        let mut times: Vec<Duration> = (0..5)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(crate::ui::board::list_order::sorted(
                    &rows,
                    ListOrder::after_click(None, by),
                    workspace,
                ));
                started.elapsed()
            })
            .collect();
        let (whole_median, _) = median_p99(&mut times);
        print(&format!("backlog_list_sort_{items}_items_by_{name}_whole_sort_median"), whole_median, "ms");
        // A card's title and estimate saved while the list is sorted: the card is put back in its place
        // (before session 30, every card was sorted again, as in the line above).
        let mut edited = workspace.clone();
        let mut state = sorted();
        std::hint::black_box(state.list_rows(&edited));
        let ids: Vec<ItemId> = edited.items().map(|item| item.item_id).step_by(997).take(21).collect();
        let mut times = Vec::with_capacity(ids.len());
        for (round, item_id) in ids.into_iter().enumerate() {
            let Some(mut item) = edited.item(item_id).cloned() else {
                continue;
            };
            item.title = format!("Edited while sorted {round}");
            item.points = Some([1.0, 2.0, 3.0, 5.0, 8.0].get(round % 5).copied().unwrap_or(1.0));
            edited.upsert_item(item);
            let started = Instant::now();
            std::hint::black_box(state.list_rows(&edited));
            times.push(started.elapsed());
        }
        let (median, _) = median_p99(&mut times);
        print(&format!("backlog_list_{items}_items_sorted_by_{name}_after_an_edit_median"), median, "ms");
        print(
            &format!("backlog_list_{items}_items_sorted_by_{name}_after_an_edit_ratio_to_sorting_again"),
            median / sort_median.max(1e-9),
            "x",
        );
        let median = board_frame_median(workspace, frames.min(30), &mut sorted());
        print(&format!("backlog_list_frame_{items}_items_sorted_by_{name}_median"), median, "ms");
    }
}

fn bench_board_frames(folder: &Path, sizes: &[usize], frames: usize) -> Result<(), StoreError> {
    let mut baseline = None;
    for &items in sizes {
        let path = workspace_file(folder, items)?;
        let (mut store, _) = Store::open(&path)?;
        let workspace = store.load()?;
        let median = board_frame_median(&workspace, frames, &mut crate::ui::board::BoardState::default());
        print(&format!("board_frame_{items}_items_median"), median, "ms");
        let base = *baseline.get_or_insert(median);
        print(&format!("board_frame_{items}_items_ratio_to_first"), median / base.max(1e-9), "x");
        if Some(&items) == sizes.last() {
            // A search term, as a PO would type it: the filter is computed once and cached.
            let mut filtered = crate::ui::board::BoardState::default();
            "checkout".clone_into(&mut filtered.filter.text);
            let median = board_frame_median(&workspace, frames, &mut filtered);
            print(&format!("board_frame_{items}_items_filtered_median"), median, "ms");
            let mut lanes = crate::ui::board::BoardState::default();
            lanes.lanes = true;
            let median = board_frame_median(&workspace, frames.min(30), &mut lanes);
            print(&format!("board_frame_{items}_items_swimlanes_median"), median, "ms");
            let mut list = crate::ui::board::BoardState::default();
            list.mode = crate::ui::board::BoardMode::List;
            let median = board_frame_median(&workspace, frames.min(30), &mut list);
            print(&format!("backlog_list_frame_{items}_items_median"), median, "ms");
            bench_list_sorts(&workspace, items, frames);
        }
    }
    Ok(())
}
