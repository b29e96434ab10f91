//! The planning windows (KPI editor, samples import, sprint editor), the delivery figures and chart
//! captures.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use super::{FileMode, FilePurpose, FileRequest, TandemApp, UiAction, WindowOutcome, kpi_editor, metrics, sprints};
use crate::model::delivery::DeliveryLog;
use crate::model::{ColumnId, Workspace};
use crate::ui::metrics::delivery::DeliveryFigures;

/// Above this many items, the delivery figures are worked out on a worker thread (as a search is
/// spread over frames above the same size): at 100,000 items reading the log and summarising it takes
/// 100–140 ms, several frames.
pub(super) const DELIVERY_WORKER_ABOVE: usize = 20_000;

/// The delivery figures being worked out on a worker thread.
pub(super) struct DeliveryJob {
    /// The workspace revision the items were taken from.
    revision: u64,
    /// The column where work starts, as chosen then.
    started_column: Option<ColumnId>,
    /// The workspace file, so that figures of a workspace closed meanwhile are dropped.
    path: PathBuf,
    /// The summarised log with the page's figures worked out from it, and a sentence when the log
    /// could not be read.
    receiver: Receiver<(DeliveryLog, DeliveryFigures, Option<String>)>,
}

impl DeliveryJob {
    /// Starts a worker that reads the status-change log of `path` through a connection of its own and
    /// summarises it with what it needs of `workspace`'s items (taken now, here); `started` is where
    /// work starts and `chosen` the user's choice of it. `None` when no thread could be started.
    fn start(
        ctx: &egui::Context,
        path: &Path,
        workspace: &Workspace,
        metrics: &metrics::MetricsState,
        started: Option<ColumnId>,
        today: crate::model::Date,
    ) -> Option<Self> {
        let (sender, receiver) = channel();
        let file = path.to_path_buf();
        let columns = workspace.columns.clone();
        let stamps = DeliveryLog::stamps(workspace.all_items());
        let sprints = workspace.sprints.clone();
        let shown = metrics::delivery::shown_sprint(metrics, &sprints, today).map(|sprint| sprint.sprint_id);
        let revision = workspace.revision();
        let chosen = metrics.started_column;
        let ctx = ctx.clone();
        let work = move || {
            let (changes, failure) = match crate::store::items::read_status_changes(&file) {
                Ok(changes) => (changes, None),
                Err(error) => (Vec::new(), Some(history_unreadable(&error))),
            };
            let zone = jiff::tz::TimeZone::system();
            let log = DeliveryLog::from_stamps(&columns, &stamps, &changes, started, |instant| {
                instant.to_zoned(zone.clone()).date()
            });
            let sprint = shown.and_then(|id| sprints.iter().find(|sprint| sprint.sprint_id == id));
            let key = (revision, chosen, shown, today);
            let figures = DeliveryFigures::compute(&log, &sprints, sprint, today, key);
            // The window may have closed meanwhile; then no one is waiting.
            if sender.send((log, figures, failure)).is_ok() {
                ctx.request_repaint();
            }
        };
        std::thread::Builder::new().name("tandem-delivery".to_owned()).spawn(work).ok()?;
        Some(Self { revision, started_column: chosen, path: path.to_path_buf(), receiver })
    }
}

/// The sentence for a status-change log that could not be read.
fn history_unreadable(error: &crate::store::StoreError) -> String {
    format!("The board's history could not be read, so the delivery charts leave it out: {error}")
}

/// The planning windows the shell carries commands out for.
#[derive(Clone, Copy, Debug)]
enum PlanningWindow {
    /// The KPI editor.
    Kpi,
    /// The CSV samples import preview.
    Samples,
    /// The sprint editor.
    Sprint,
}

impl TandemApp {
    /// The KPI editor, the samples import preview and the sprint editor, when open. Each keeps the
    /// windows' one contract ([`WindowOutcome`]); a command from one is carried out here, and its error
    /// shown in the window that asked.
    pub(super) fn planning_windows_ui(&mut self, ctx: &egui::Context) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let mut asked = Vec::new();
        if let Some(editor) = self.metrics.editor.as_mut() {
            let current = app.workspace().metrics.iter().find(|metric| metric.metric_id == editor.metric_id);
            asked.push((
                PlanningWindow::Kpi,
                kpi_editor::kpi_editor_ui(ctx, editor, current, &app.workspace().objectives),
            ));
        }
        if let Some(import) = &self.metrics.samples_import {
            let outcome = match app.workspace().metrics.iter().find(|metric| metric.metric_id == import.metric_id) {
                Some(metric) => kpi_editor::samples_import_ui(ctx, import, metric),
                None => WindowOutcome::Closed,
            };
            asked.push((PlanningWindow::Samples, outcome));
        }
        if let Some(editor) = self.sprints.editor.as_mut() {
            asked.push((PlanningWindow::Sprint, sprints::sprint_editor_ui(ctx, editor, app.workspace())));
        }
        for (window, outcome) in asked {
            match outcome {
                WindowOutcome::Open => {}
                WindowOutcome::Closed => self.close_window(window),
                WindowOutcome::Apply(command) => match self.apply_from_window(command) {
                    Ok(()) => self.close_window(window),
                    Err(error) => self.window_error(window, error),
                },
            }
        }
    }

    fn close_window(&mut self, window: PlanningWindow) {
        match window {
            PlanningWindow::Kpi => self.metrics.editor = None,
            PlanningWindow::Samples => self.metrics.samples_import = None,
            PlanningWindow::Sprint => self.sprints.editor = None,
        }
    }

    fn window_error(&mut self, window: PlanningWindow, error: String) {
        match window {
            PlanningWindow::Kpi => {
                if let Some(editor) = self.metrics.editor.as_mut() {
                    editor.error = Some(error);
                }
            }
            // The preview already lists every row's fate; a failure to store them closes it with a sentence.
            PlanningWindow::Samples => {
                self.metrics.samples_import = None;
                self.complain(format!("Nothing was imported. {error}"));
            }
            PlanningWindow::Sprint => {
                if let Some(editor) = self.sprints.editor.as_mut() {
                    editor.error = Some(error);
                }
            }
        }
    }

    /// Rebuilds the delivery charts' inputs from the status-change log when the workspace changed. On a
    /// large workspace (reading the log and summarising it takes 100 ms or more at 100,000 items) that
    /// runs on a worker thread with its own connection, the page showing the figures it had meanwhile;
    /// one such job runs at a time, and a result for an older revision is shown until the next arrives.
    pub(super) fn refresh_delivery(&mut self, ctx: &egui::Context) {
        if !self.delivery_job_arrived(ctx) {
            return;
        }
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let workspace = app.workspace();
        if self.metrics.page != metrics::MetricsPage::Delivery || !self.metrics.delivery_is_stale(workspace) {
            return;
        }
        let started =
            self.metrics.started_column.or_else(|| crate::model::delivery::default_started_column(&workspace.columns));
        if workspace.item_count() > self.delivery_worker_above && app.path().is_file() {
            let today = self.today.unwrap_or_else(|| jiff::Zoned::now().date());
            let job = DeliveryJob::start(ctx, app.path(), workspace, &self.metrics, started, today);
            if job.is_some() {
                self.delivery_job = job;
                return;
            }
            // No thread could be started: worked out here, as for a small workspace.
        }
        let (changes, failure) = match app.status_changes() {
            Ok(changes) => (changes, None),
            Err(error) => (Vec::new(), Some(history_unreadable(&error))),
        };
        let zone = jiff::tz::TimeZone::system();
        let log = DeliveryLog::new(&workspace.columns, workspace.all_items(), &changes, started, |instant| {
            instant.to_zoned(zone.clone()).date()
        });
        self.metrics.delivery = Some(metrics::DeliveryCache {
            revision: workspace.revision(),
            started_column: self.metrics.started_column,
            log: std::sync::Arc::new(log),
        });
        if let Some(failure) = failure {
            self.complain(failure);
        }
    }

    /// Takes in the worker's delivery figures when they arrived; returns whether no job is running
    /// any more (so another may start).
    fn delivery_job_arrived(&mut self, ctx: &egui::Context) -> bool {
        let Some(job) = self.delivery_job.as_ref() else {
            return true;
        };
        match job.receiver.try_recv() {
            Ok((log, figures, failure)) => {
                // Figures of a workspace no longer open are dropped.
                if self.app.as_ref().is_some_and(|app| app.path() == job.path) {
                    self.metrics.delivery = Some(metrics::DeliveryCache {
                        revision: job.revision,
                        started_column: job.started_column,
                        log: std::sync::Arc::new(log),
                    });
                    // Used as they are if the sprint shown and the day are still those they were
                    // worked out for; otherwise the page works them out again.
                    self.metrics.figures = Some(std::sync::Arc::new(figures));
                    if let Some(failure) = failure {
                        self.complain(failure);
                    }
                }
                self.delivery_job = None;
                true
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                // The worker asks for a frame when it is done; this one is a safety net.
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                false
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                // The worker stopped without an answer (it cannot fail on its own; a panic would do
                // it): from now on the window works the figures out itself.
                self.delivery_job = None;
                self.delivery_worker_above = usize::MAX;
                self.complain(
                    "The worker that draws up the delivery charts stopped unexpectedly. The window now works \
                     them out itself, which may pause it briefly after each change on a large board.",
                );
                true
            }
        }
    }

    /// Sends a chart the user asked to copy or save to the renderer, and handles the picture when it
    /// comes back (a frame later).
    pub(super) fn captures_ui(&mut self, ctx: &egui::Context) {
        let arrived = self.captured.lock().ok().and_then(|mut slot| slot.take());
        if let Some((capture, image)) = arrived {
            match capture.target {
                metrics::CaptureTarget::Clipboard => {
                    ctx.copy_image(image);
                    self.say(format!("Copied the {} chart to the clipboard.", capture.name));
                }
                metrics::CaptureTarget::File => {
                    // The picture is taken first, then the file asked for, so the chart is as it was
                    // when the button was pressed.
                    let file_name = format!("{}.png", metrics::file_stem(&capture.name));
                    self.pending_png = Some((capture.name, image));
                    self.ask_for_file(FileRequest {
                        purpose: FilePurpose::ChartPng,
                        title: "Save the chart as PNG".to_owned(),
                        mode: FileMode::Save,
                        filter_name: "PNG pictures",
                        extensions: &["png"],
                        file_name,
                        folder: self.last_folder.clone().or_else(|| self.workspace_folder()),
                    });
                }
            }
        }
        if let Some(capture) = self.metrics.capture.take() {
            let slot = std::sync::Arc::clone(&self.captured);
            let pixels_per_point = ctx.pixels_per_point();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let cropped = image.region(&capture.rect, Some(pixels_per_point));
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some((capture, cropped));
                }
                repaint.request_repaint();
            });
        }
    }

    /// Opens the product window on the product as stored.
    pub(super) fn open_product_editor(&mut self) {
        if let Some(app) = self.app.as_ref() {
            let window = crate::ui::product::ProductEditor::new(&app.workspace().product);
            if let Some(said) = crate::ui::widgets::window::open_over(&mut self.product_editor, window) {
                self.complain(said);
            }
        }
    }

    /// Opens a column's settings window.
    pub(super) fn open_column_editor(&mut self, column_id: ColumnId) {
        if let Some(column) = self.app.as_ref().and_then(|app| app.workspace().column(column_id)) {
            let window = crate::ui::columns::ColumnEditor::new(column);
            if let Some(said) = crate::ui::widgets::window::open_over(&mut self.column_editor, window) {
                self.complain(said);
            }
        }
    }

    /// The product window, while open; its command joins this frame's actions.
    pub(super) fn product_editor_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<UiAction>) {
        let (Some(editor), Some(app)) = (self.product_editor.as_mut(), self.app.as_ref()) else {
            return;
        };
        match crate::ui::product::product_editor_ui(ctx, editor, &app.workspace().product) {
            WindowOutcome::Open => {}
            WindowOutcome::Closed => self.product_editor = None,
            WindowOutcome::Apply(command) => {
                self.product_editor = None;
                actions.push(UiAction::Apply(command));
            }
        }
    }

    /// A column's settings window, while open; its command joins this frame's actions.
    pub(super) fn column_editor_ui(&mut self, ctx: &egui::Context) {
        if let Some(editor) = self.column_editor.as_mut() {
            let current = self.app.as_ref().and_then(|app| app.workspace().column(editor.column_id()));
            match crate::ui::columns::column_editor_ui(ctx, editor, current) {
                WindowOutcome::Open => {}
                WindowOutcome::Closed => self.column_editor = None,
                // Applied here, not closed first: a refused change (a name another column has, a
                // file another program holds) leaves the window open with what was typed and why.
                WindowOutcome::Apply(command) => match self.apply_from_window(command) {
                    Ok(()) => self.column_editor = None,
                    Err(error) => {
                        if let Some(editor) = self.column_editor.as_mut() {
                            editor.error = Some(error);
                        }
                    }
                },
            }
        }
    }
}
