//! File ▸ Save baseline… and File ▸ Compare…: keep the plan as it stands under a name, and see what
//! changed since a baseline, or how a copy of the plan differs, as a list that filters and jumps to the
//! card, bar or KPI, with markers on the board's cards while the comparison is open.

use std::collections::HashSet;
use std::path::PathBuf;

use egui::RichText;

use super::{TandemApp, View};
use crate::app::baselines::{Comparison, baseline_words};
use crate::model::compare::{DifferenceKind, Subject};
use crate::model::{EpicId, ItemId, MetricId};
use crate::ui::widgets::a11y;

/// The Save baseline window.
#[derive(Debug, Default)]
pub(super) struct SaveBaseline {
    name: String,
    note: String,
    error: Option<String>,
    /// The name it was opened with.
    suggested: String,
    /// Asks before closing with a name or note typed.
    pub(super) closing: crate::ui::widgets::window::CloseGuard,
}

impl SaveBaseline {
    /// Whether a name or a note was typed that closing would throw away.
    pub(super) fn is_dirty(&self) -> bool {
        self.name.trim() != self.suggested || !self.note.trim().is_empty()
    }

    /// The window in words, for questions.
    pub(super) fn what() -> String {
        "the baseline you are saving".to_owned()
    }
}

use crate::app::baselines::CompareWith as Against;

/// Above this many items the Compare panel compares on a worker thread: a comparison reads the whole
/// plan twice, about 3 µs an item (285–310 ms at 100,000 items, `tandem bench` group `compare`), so
/// above a couple of thousand items it would no longer fit in a frame.
pub(super) const COMPARE_WORKER_ABOVE: usize = 2_000;

/// The comparison with `against`, worked out on the window's thread (a small plan).
fn compare_here(app: &crate::app::App, against: &Against) -> Result<Comparison, String> {
    match against {
        Against::Baseline(name) => app.compare_with_baseline(name).map_err(|error| error.to_string()),
        Against::Copy(path) => app.compare_with_file(path).map_err(|error| error.to_string()),
    }
}

/// A comparison being worked out on a worker thread (a large plan), the panel showing the last one
/// meanwhile.
pub(super) struct CompareJob {
    /// What it compares with.
    against: Against,
    /// The workspace file, so that a comparison of a workspace closed meanwhile is dropped.
    path: PathBuf,
    /// Its outcome.
    receiver: std::sync::mpsc::Receiver<Result<Comparison, String>>,
}

impl CompareJob {
    /// Starts a worker comparing the workspace file `path` with `against`; `None` when no thread could be
    /// started.
    fn start(ctx: &egui::Context, path: &std::path::Path, against: Against) -> Option<Self> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let (file, with, ctx) = (path.to_path_buf(), against.clone(), ctx.clone());
        let work = move || {
            let outcome = crate::app::baselines::compare_in_file(&file, &with);
            // The window may have closed meanwhile; then no one is waiting.
            if sender.send(outcome).is_ok() {
                ctx.request_repaint();
            }
        };
        std::thread::Builder::new().name("tandem-compare".to_owned()).spawn(work).ok()?;
        Some(Self { against, path: path.to_path_buf(), receiver })
    }
}

/// The Compare window.
#[derive(Debug, Default)]
pub(super) struct CompareWindow {
    against: Option<Against>,
    comparison: Option<Comparison>,
    /// The workspace revision the comparison was asked at: a baseline comparison follows the plan.
    revision: u64,
    /// On a large plan, a comparison asked for and not yet handed to a worker (the panel does that on
    /// its next frame, or when the running one reports), and whether to say its outcome.
    wanted: Option<bool>,
    /// Whether a worker is working it out (the panel says so, and shows the last one meanwhile).
    working: bool,
    /// Whether the one being worked out is to be said when it arrives.
    working_announced: bool,
    error: Option<String>,
    search: String,
    hidden: HashSet<DifferenceKind>,
    /// The baselines to choose from (name, words shown), read once and again when the plan changes or a
    /// baseline is saved, not every frame: counting a baseline's items reads all of them. `Err` says why
    /// they could not be read.
    baselines: Option<(u64, Result<Vec<BaselineChoice>, String>)>,
    /// The baselines as last read, whose item counts are not read again (a baseline never changes).
    known: Vec<crate::store::baselines::Baseline>,
}

/// A baseline in the Compare panel's list: its name, and the words shown for it.
type BaselineChoice = (String, String);

/// What the user did in a window this frame.
enum Asked {
    Nothing,
    Close,
    Save,
    Compare(Against),
    PickFile,
    Jump(Subject),
}

impl TandemApp {
    /// File ▸ Save baseline…: opens the window with a suggested name.
    pub(super) fn open_save_baseline(&mut self) {
        if self.save_baseline.is_some() {
            // Open already: it keeps the name typed in it.
            return;
        }
        let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
        let name = format!("Plan of {}", today.strftime("%-d %B %Y"));
        self.save_baseline = Some(SaveBaseline { suggested: name.clone(), name, ..SaveBaseline::default() });
    }

    /// File ▸ Compare…: opens the window, comparing with the newest baseline when there is one.
    pub(super) fn open_compare(&mut self) {
        let newest = self.app.as_ref().and_then(|app| app.baselines().ok()).and_then(|all| all.last().cloned());
        self.compare = Some(CompareWindow::default());
        if let Some(newest) = newest {
            self.run_comparison(&Against::Baseline(newest.name), true);
        }
    }

    /// A copy of the plan was chosen to compare with.
    pub(super) fn compare_with_file(&mut self, path: PathBuf) {
        if self.compare.is_none() {
            self.compare = Some(CompareWindow::default());
        }
        self.run_comparison(&Against::Copy(path), true);
    }

    /// Compares with `against`, at once on a small plan; on a large one the panel hands it to a worker
    /// thread. `announce` says the outcome in the status bar (the user asked for it), which a comparison
    /// following the plan's changes does not, so as not to hide what the change said.
    fn run_comparison(&mut self, against: &Against, announce: bool) {
        let (Some(app), Some(window)) = (self.app.as_ref(), self.compare.as_mut()) else {
            return;
        };
        window.revision = app.workspace().revision();
        window.against = Some(against.clone());
        if app.workspace().item_count() > self.compare_worker_above && app.path().is_file() {
            window.wanted = Some(announce || window.wanted.unwrap_or(false));
            return;
        }
        let result = compare_here(app, against);
        self.show_comparison(result, announce);
    }

    /// Shows a comparison (or why there is none) in the panel and its markers on the board.
    fn show_comparison(&mut self, result: Result<Comparison, String>, announce: bool) {
        let Some(window) = self.compare.as_mut() else {
            return;
        };
        match result {
            Ok(comparison) => {
                window.error = None;
                let said = match comparison.differences.len() {
                    1 => format!("Compared with {}: 1 difference.", comparison.against),
                    count => format!("Compared with {}: {count} differences.", comparison.against),
                };
                window.comparison = Some(comparison);
                if announce {
                    self.say(said);
                }
            }
            Err(error) => {
                window.comparison = None;
                window.error = Some(error);
            }
        }
        self.mark_changed_cards();
    }

    /// Takes in a worker's comparison when it arrived, and hands the next one asked for to a worker.
    fn follow_compare_job(&mut self, ctx: &egui::Context) {
        if let Some(job) = self.compare_job.as_ref() {
            match job.receiver.try_recv() {
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    // The worker asks for a frame when it is done; this one is a safety net.
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                    return;
                }
                Ok(result) => {
                    let job = self.compare_job.take();
                    let open = self.app.as_ref().zip(job.as_ref()).is_some_and(|(app, job)| app.path() == job.path);
                    let current = self
                        .compare
                        .as_ref()
                        .zip(job.as_ref())
                        .is_some_and(|(window, job)| window.against.as_ref() == Some(&job.against));
                    if let Some(window) = self.compare.as_mut() {
                        window.working = false;
                    }
                    // A comparison with what is still chosen is shown, even if the plan changed since (the
                    // next one is on its way); one of a workspace no longer open is dropped.
                    if open && current {
                        let announce = self.compare.as_ref().is_some_and(|window| window.working_announced);
                        self.show_comparison(result, announce);
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.compare_job = None;
                    if let Some(window) = self.compare.as_mut() {
                        window.working = false;
                        window.error =
                            Some("The comparison stopped unexpectedly. Press Refresh to compare again.".to_owned());
                    }
                }
            }
        }
        let (Some(app), Some(window)) = (self.app.as_ref(), self.compare.as_mut()) else {
            return;
        };
        let (Some(announce), Some(against)) = (window.wanted, window.against.clone()) else {
            return;
        };
        window.wanted = None;
        if let Some(job) = CompareJob::start(ctx, app.path(), against.clone()) {
            window.working = true;
            window.working_announced = announce;
            self.compare_job = Some(job);
        } else {
            // No thread could be started: compared here, as on a small plan.
            let result = compare_here(app, &against);
            self.show_comparison(result, announce);
        }
    }

    /// Closes the Compare panel and takes the markers off the board and the roadmap.
    pub(super) fn close_compare(&mut self) {
        self.compare = None;
        self.compare_job = None;
        self.board.changes.clear();
        self.roadmap.changes.clear();
    }

    /// The board's and the roadmap's markers follow the open comparison.
    fn mark_changed_cards(&mut self) {
        self.board.changes.clear();
        self.roadmap.changes.clear();
        let Some(comparison) = self.compare.as_ref().and_then(|window| window.comparison.as_ref()) else {
            return;
        };
        for difference in &comparison.differences {
            match (difference.subject, difference.kind.marker()) {
                (Subject::Item(id), Some(word)) => {
                    self.board.changes.entry(ItemId(id)).or_insert(word);
                }
                (Subject::Epic(id), _) if !difference.text.starts_with("Removed") => {
                    let word = if difference.text.starts_with("Added") { "new" } else { "dates changed" };
                    self.roadmap.changes.insert(EpicId(id), word);
                }
                _ => {}
            }
        }
    }

    /// Both windows, when open.
    pub(super) fn baseline_windows_ui(&mut self, ctx: &egui::Context) {
        if self.save_baseline.is_some() {
            let asked = self.save_baseline.as_mut().map_or(Asked::Nothing, |window| save_baseline_ui(ctx, window));
            match asked {
                Asked::Close => self.save_baseline = None,
                Asked::Save => self.save_the_baseline(),
                _ => {}
            }
        }
    }

    /// The Compare panel beside the view, when open (drawn before the central view, as panels are).
    pub(super) fn compare_panel_ui(&mut self, ui: &mut egui::Ui) {
        // A baseline comparison follows the plan as it changes (a copy's is refreshed by choosing it again).
        let stale = self.compare.as_ref().is_some_and(|window| {
            matches!(window.against, Some(Against::Baseline(_)))
                && self.app.as_ref().is_some_and(|app| app.workspace().revision() != window.revision)
        });
        if stale && let Some(against) = self.compare.as_ref().and_then(|window| window.against.clone()) {
            self.run_comparison(&against, false);
        }
        self.follow_compare_job(ui.ctx());
        let Some(window) = self.compare.as_mut() else {
            return;
        };
        let revision = self.app.as_ref().map_or(0, |app| app.workspace().revision());
        if window.baselines.as_ref().is_none_or(|(read_at, _)| *read_at != revision)
            && let Some(app) = self.app.as_ref()
        {
            let read = app.baselines_knowing(&window.known).map_err(|error| error.to_string());
            if let Ok(baselines) = &read {
                window.known.clone_from(baselines);
            }
            let names = read.map(|baselines| {
                baselines
                    .iter()
                    .map(|baseline| {
                        let words = baseline_words(baseline);
                        let shown =
                            if baseline.note.is_empty() { words } else { format!("{words} — {}", baseline.note) };
                        (baseline.name.clone(), shown)
                    })
                    .collect()
            });
            window.baselines = Some((revision, names));
        }
        let (names, unreadable) = match window.baselines.as_ref().map(|(_, names)| names) {
            Some(Ok(names)) => (names.clone(), None),
            Some(Err(error)) => (Vec::new(), Some(format!("The baselines could not be read: {error}"))),
            None => (Vec::new(), None),
        };
        let mut asked = Asked::Nothing;
        egui::Panel::right("compare").resizable(true).default_size(400.0).size_range(300.0..=680.0).show(ui, |ui| {
            if let Some(unreadable) = &unreadable {
                a11y::error_label(ui, unreadable);
            }
            asked = compare_ui(ui, window, &names);
        });
        match asked {
            Asked::Close => self.close_compare(),
            Asked::Compare(against) => self.run_comparison(&against, true),
            Asked::PickFile => self.requested.push(super::UiAction::PickCompareFile),
            Asked::Jump(subject) => self.jump_to(subject),
            Asked::Nothing | Asked::Save => {}
        }
    }

    fn save_the_baseline(&mut self) {
        let (Some(app), Some(window)) = (self.app.as_mut(), self.save_baseline.as_mut()) else {
            return;
        };
        match app.save_baseline(&window.name, &window.note) {
            Ok((_, said)) => {
                self.save_baseline = None;
                if let Some(compare) = self.compare.as_mut() {
                    // Read again, with the new one.
                    compare.baselines = None;
                }
                self.say(said);
            }
            Err(error) => window.error = Some(error.to_string()),
        }
    }

    /// Shows what a change-list entry is about: the card on the board, the bar on the roadmap, the
    /// KPI's chart.
    fn jump_to(&mut self, subject: Subject) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        match subject {
            Subject::Item(id) => {
                let item_id = ItemId(id);
                if app.workspace().item(item_id).is_none() {
                    self.say("That item is no longer in the plan.");
                    return;
                }
                if self.board.filter.is_active() {
                    self.board.filter = crate::model::ItemFilter::default();
                    self.say("The board's filter was cleared to show the card.");
                }
                self.prefs.view = View::Board;
                self.board.select(item_id);
            }
            Subject::Epic(id) => {
                if app.workspace().epic(EpicId(id)).is_none() {
                    self.say("That epic is no longer in the plan.");
                    return;
                }
                self.prefs.view = View::Roadmap;
                self.roadmap.selected = Some(EpicId(id));
                self.roadmap.focus_selected();
            }
            Subject::Metric(id) => {
                self.prefs.view = View::Metrics;
                self.metrics.detail = Some(MetricId(id));
            }
            Subject::Objective(id) => {
                if !app.workspace().objectives.iter().any(|objective| objective.objective_id.0 == id) {
                    self.say("That objective is no longer in the plan.");
                    return;
                }
                self.roadmap.show_objectives = true;
                self.roadmap.focus_objective = Some(crate::model::ObjectiveId(id));
                self.prefs.view = View::Roadmap;
            }
            Subject::Persona(id) => {
                if !app.workspace().personas.iter().any(|persona| persona.persona_id.0 == id) {
                    self.say("That persona is no longer in the plan.");
                    return;
                }
                self.requested.push(super::UiAction::ShowResearch);
            }
            Subject::Insight(id) => {
                if !app.workspace().insights.iter().any(|insight| insight.insight_id.0 == id) {
                    self.say("That insight is no longer in the plan.");
                    return;
                }
                self.requested.push(super::UiAction::ShowInsight(crate::model::InsightId(id)));
            }
        }
    }
}

fn save_baseline_ui(ctx: &egui::Context, window: &mut SaveBaseline) -> Asked {
    let mut asked = Asked::Nothing;
    let mut open = true;
    crate::ui::widgets::window::titled(ctx, "Save a baseline").open(&mut open).collapsible(false).resizable(false).show(ctx, |ui| {
        ui.label("Keeps the plan as it stands now under a name, inside the workspace file: compare with it later (File ▸ Compare…).");
        egui::Grid::new("save-baseline").num_columns(2).show(ui, |ui| {
            let label = ui.label("Name");
            let name = ui.add(egui::TextEdit::singleline(&mut window.name).desired_width(280.0)).labelled_by(label.id);
            crate::ui::widgets::window::focus_when_opened(ui, &name);
            if name.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                asked = Asked::Save;
            }
            ui.end_row();
            let label = ui.label("Note");
            ui.add(
                egui::TextEdit::multiline(&mut window.note)
                    .desired_rows(2)
                    .desired_width(280.0)
                    .hint_text("Who saved it and why (optional)"),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
        let what = SaveBaseline::what();
        let dirty = window.is_dirty();
        let text = crate::ui::widgets::window::FootText { what: &what, save: "Save baseline", delete: None, leaves: None };
        let mut never = false;
        match crate::ui::widgets::window::record_foot_ui(
            ui,
            window.error.as_deref(),
            &mut window.closing,
            &mut never,
            dirty,
            text,
        ) {
            crate::ui::widgets::window::Foot::Save => asked = Asked::Save,
            crate::ui::widgets::window::Foot::Close => asked = Asked::Close,
            crate::ui::widgets::window::Foot::Nothing | crate::ui::widgets::window::Foot::Delete => {}
        }
    });
    // ✖ asks like Cancel when something typed would be lost.
    if !open && window.closing.request(window.is_dirty()) { Asked::Close } else { asked }
}

fn compare_ui(ui: &mut egui::Ui, window: &mut CompareWindow, baselines: &[(String, String)]) -> Asked {
    let mut asked = Asked::Nothing;
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        a11y::heading(ui, "Compare");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let close = ui.add(egui::Button::new("✖").min_size(egui::vec2(28.0, 24.0)));
            close
                .widget_info(|| egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, "Close the comparison"));
            if close.clicked() {
                asked = Asked::Close;
            }
        });
    });
    let label = ui.label("Compare with");
    let chosen = match &window.against {
        Some(Against::Baseline(name)) => format!("Baseline '{name}'"),
        Some(Against::Copy(path)) => {
            format!(
                "The copy {}",
                path.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned())
            )
        }
        None => "Choose a baseline".to_owned(),
    };
    egui::ComboBox::from_id_salt("compare-with")
        .selected_text(chosen)
        .width(ui.available_width().min(360.0))
        .show_ui(ui, |ui| {
            for (name, words) in baselines {
                let selected = window.against == Some(Against::Baseline(name.clone()));
                if ui.selectable_label(selected, words).clicked() {
                    asked = Asked::Compare(Against::Baseline(name.clone()));
                }
            }
        })
        .response
        .labelled_by(label.id);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("A copy of this plan…")
            .on_hover_text("Another .sqlite file of the same plan, e.g. your partner's copy; it is only read")
            .clicked()
        {
            asked = Asked::PickFile;
        }
        if let Some(against) = &window.against
            && ui.button("Refresh").clicked()
        {
            asked = Asked::Compare(against.clone());
        }
    });
    if baselines.is_empty() && window.against.is_none() {
        ui.label(
            "There are no baselines yet. File ▸ Save baseline… keeps the plan as it stands, to compare with later.",
        );
    }
    if window.working {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(if window.comparison.is_some() {
                "Comparing again with the plan as it is now; the list below is the last comparison."
            } else {
                "Comparing…"
            });
        });
    }
    if let Some(error) = &window.error {
        a11y::error_label(ui, error);
    }
    let CompareWindow { comparison, search, hidden, .. } = window;
    if let Some(comparison) = comparison {
        ui.separator();
        list_ui(ui, search, hidden, comparison, &mut asked);
    }
    asked
}

/// The heading, the kind toggles with counts, and the entries that pass the filters.
fn list_ui(
    ui: &mut egui::Ui,
    search: &mut String,
    hidden: &mut HashSet<DifferenceKind>,
    comparison: &Comparison,
    asked: &mut Asked,
) {
    let count = comparison.differences.len();
    let heading = match count {
        0 => format!("No differences from {}.", comparison.against),
        1 => format!("1 difference from {}.", comparison.against),
        _ => format!("{count} differences from {}.", comparison.against),
    };
    a11y::heading(ui, RichText::new(heading).size(16.0));
    if let Some(left_out) = &comparison.left_out {
        ui.label(RichText::new(format!("ℹ {left_out}")).weak());
    }
    if count > 0 {
        let marked = comparison
            .differences
            .iter()
            .any(|difference| difference.kind.marker().is_some() || matches!(difference.subject, Subject::Epic(_)));
        let text = if marked {
            format!(
                "{} Cards and roadmap bars that changed show a Δ marker while this window is open.",
                comparison.reading
            )
        } else {
            comparison.reading.clone()
        };
        ui.label(RichText::new(text).weak());
    }
    ui.horizontal_wrapped(|ui| {
        for kind in DifferenceKind::ALL {
            let of_kind = comparison.differences.iter().filter(|difference| difference.kind == kind).count();
            if of_kind == 0 {
                continue;
            }
            let shown = !hidden.contains(&kind);
            let toggle =
                ui.selectable_label(shown, format!("{} {} ({of_kind})", if shown { "☑" } else { "☐" }, kind.label()));
            if toggle.clicked() && !hidden.remove(&kind) {
                hidden.insert(kind);
            }
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(egui::TextEdit::singleline(search).hint_text("words in the entries").desired_width(220.0))
            .labelled_by(label.id);
    });
    let words = search.trim().to_lowercase();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for difference in &comparison.differences {
            if hidden.contains(&difference.kind)
                || (!words.is_empty() && !difference.text.to_lowercase().contains(&words))
            {
                continue;
            }
            let jumpable = difference.kind != DifferenceKind::Removed && !difference.text.starts_with("Removed");
            if jumpable {
                let entry = ui.add(egui::Button::new(&difference.text).frame_when_inactive(false).wrap());
                if entry.on_hover_text("Show it").clicked() {
                    *asked = Asked::Jump(difference.subject);
                }
            } else {
                ui.label(&difference.text);
            }
        }
    });
}
