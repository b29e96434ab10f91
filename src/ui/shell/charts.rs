//! The planning windows (KPI editor, samples import, sprint editor), the delivery figures and chart
//! captures.

use super::{FileMode, FilePurpose, FileRequest, TandemApp, kpi_editor, metrics, sprints};

impl TandemApp {
    /// The KPI editor, the samples import preview and the sprint editor, when open.
    pub(super) fn planning_windows_ui(&mut self, ctx: &egui::Context) {
        let Some(app) = self.app.as_ref() else {
            return;
        };
        let mut command = None;
        if let Some(editor) = self.metrics.editor.as_mut() {
            match kpi_editor::kpi_editor_ui(ctx, editor) {
                kpi_editor::KpiEditorOutcome::Open => {}
                kpi_editor::KpiEditorOutcome::Close => self.metrics.editor = None,
                kpi_editor::KpiEditorOutcome::Apply(apply) => command = Some(("kpi", apply)),
            }
        }
        if let Some(import) = &self.metrics.samples_import {
            match app.workspace().metrics.iter().find(|metric| metric.metric_id == import.metric_id) {
                Some(metric) => {
                    let (apply, close) = kpi_editor::samples_import_ui(ctx, import, metric);
                    if close {
                        self.metrics.samples_import = None;
                    }
                    if let Some(apply) = apply {
                        command = Some(("samples", apply));
                    }
                }
                None => self.metrics.samples_import = None,
            }
        }
        if let Some(editor) = self.sprints.editor.as_mut() {
            let (apply, close) = sprints::sprint_editor_ui(ctx, editor, app.workspace());
            if let Some(apply) = apply {
                command = Some(("sprint", apply));
            } else if close {
                self.sprints.editor = None;
            }
        }
        let Some((window, command)) = command else {
            return;
        };
        match (self.apply_from_window(command), window) {
            (Ok(()), "kpi") => self.metrics.editor = None,
            (Ok(()), "sprint") => self.sprints.editor = None,
            (Ok(()), _) => {}
            (Err(error), "kpi") => {
                if let Some(editor) = self.metrics.editor.as_mut() {
                    editor.error = Some(error);
                }
            }
            (Err(error), "sprint") => {
                if let Some(editor) = self.sprints.editor.as_mut() {
                    editor.error = Some(error);
                }
            }
            (Err(error), _) => self.complain(format!("Nothing was imported. {error}")),
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
        let (changes, failure) = match app.store().status_changes() {
            Ok(changes) => (changes, None),
            Err(error) => (Vec::new(), Some(format!("The board's history could not be read: {error}"))),
        };
        let started =
            self.metrics.started_column.or_else(|| crate::model::delivery::default_started_column(&workspace.columns));
        let zone = jiff::tz::TimeZone::system();
        let log = crate::model::delivery::DeliveryLog::new(
            &workspace.columns,
            workspace.items(),
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
}
