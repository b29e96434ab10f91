//! The planning windows (KPI editor, samples import, sprint editor), the delivery figures and chart
//! captures.

use super::{FileMode, FilePurpose, FileRequest, TandemApp, UiAction, WindowOutcome, kpi_editor, metrics, sprints};

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
            asked.push((PlanningWindow::Kpi, kpi_editor::kpi_editor_ui(ctx, editor, current)));
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

    /// Rebuilds the delivery charts' inputs from the status-change log when the workspace changed.
    pub(super) fn refresh_delivery(&mut self) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let workspace = app.workspace();
        if self.metrics.page != metrics::MetricsPage::Delivery || !self.metrics.delivery_is_stale(workspace) {
            return;
        }
        let (changes, failure) = match app.status_changes() {
            Ok(changes) => (changes, None),
            Err(error) => (Vec::new(), Some(format!("The board's history could not be read: {error}"))),
        };
        let started =
            self.metrics.started_column.or_else(|| crate::model::delivery::default_started_column(&workspace.columns));
        let zone = jiff::tz::TimeZone::system();
        let log = crate::model::delivery::DeliveryLog::new(
            &workspace.columns,
            workspace.all_items(),
            &changes,
            started,
            |instant| instant.to_zoned(zone.clone()).date(),
        );
        self.metrics.delivery = Some(metrics::DeliveryCache {
            revision: workspace.revision(),
            started_column: self.metrics.started_column,
            log: std::sync::Arc::new(log),
        });
        if let Some(failure) = failure {
            self.complain(failure);
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

    /// A column's settings window, while open; its command joins this frame's actions.
    pub(super) fn column_editor_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<UiAction>) {
        if let Some(editor) = self.column_editor.as_mut() {
            let current = self.app.as_ref().and_then(|app| app.workspace().column(editor.column_id()));
            match crate::ui::columns::column_editor_ui(ctx, editor, current) {
                WindowOutcome::Open => {}
                WindowOutcome::Closed => self.column_editor = None,
                WindowOutcome::Apply(command) => {
                    self.column_editor = None;
                    actions.push(UiAction::Apply(command));
                }
            }
        }
    }
}
