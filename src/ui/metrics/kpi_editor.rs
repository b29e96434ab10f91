//! The KPI editor window (name, unit, direction, target, category, description, and the samples in an
//! editable table) and the preview window of a CSV samples import.

use egui::{RichText, TextEdit, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::app::{Command, PlanningCommand};
use crate::interchange::samples_csv::{RowOutcome, SamplesPreview};
use crate::model::{
    Date, Direction, Metric, MetricCategory, MetricId, MetricSample, MetricUnit, Objective, ObjectiveId, parse_sample,
};
use crate::ui::theme;
use crate::ui::widgets::a11y::name_widget;
use crate::ui::widgets::window::WindowOutcome;

/// One row of the samples table, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleRow {
    /// The date text (YYYY-MM-DD).
    pub date: String,
    /// The value text.
    pub value: String,
}

/// A KPI being created or edited.
#[derive(Clone, Debug)]
pub struct KpiEditor {
    /// The KPI's id; 0 for a new one.
    pub metric_id: MetricId,
    /// Its name.
    pub name: String,
    /// Its unit.
    pub unit: MetricUnit,
    /// Which way is better.
    pub direction: Direction,
    /// Its dashboard group.
    pub category: MetricCategory,
    /// The target as typed; empty for none.
    pub target: String,
    /// How it is measured.
    pub description: String,
    /// The objective it serves.
    pub objective_id: Option<ObjectiveId>,
    /// The samples, as typed.
    pub rows: Vec<SampleRow>,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// The KPI as stored when editing began (or when a save last said it changed elsewhere); `None`
    /// for a new one.
    base: Option<Metric>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
    today: Date,
    /// Scroll the table to its last row over the next frames (a row was just added): the first frame
    /// the table knows the new row's place, the next its new height, which may have held the scroll back.
    scroll_to_last: u8,
    /// Put the focus in the last row's value once that row is drawn: what is typed next is its value.
    focus_new_value: bool,
}

impl KpiEditor {
    /// A new KPI in a category.
    #[must_use]
    pub fn new_kpi(category: MetricCategory, today: Date) -> Self {
        Self {
            metric_id: MetricId(0),
            name: String::new(),
            unit: MetricUnit::Percent,
            direction: Direction::HigherIsBetter,
            category,
            target: String::new(),
            description: String::new(),
            objective_id: None,
            rows: Vec::new(),
            error: None,
            base: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
            today,
            scroll_to_last: 0,
            focus_new_value: false,
        }
    }

    /// Editing a stored KPI.
    #[must_use]
    pub fn edit(metric: &Metric, today: Date) -> Self {
        Self {
            metric_id: metric.metric_id,
            name: metric.name.clone(),
            unit: metric.unit,
            direction: metric.direction,
            category: metric.category,
            target: metric.target.map(|target| target.to_string()).unwrap_or_default(),
            description: metric.description.clone(),
            objective_id: metric.objective_id,
            rows: metric
                .samples
                .iter()
                .map(|sample| SampleRow { date: sample.date.to_string(), value: sample.value.to_string() })
                .collect(),
            error: None,
            base: Some(metric.clone()),
            closing: crate::ui::widgets::window::CloseGuard::default(),
            today,
            scroll_to_last: 0,
            focus_new_value: false,
        }
    }

    /// The KPI to save over `current` (what the workspace holds now): the user's changes on top of
    /// what changed elsewhere meanwhile (a sample recorded from the dashboard, another window).
    ///
    /// # Errors
    /// A sentence for the window: a field to fix, or a field changed on both sides (saving again then
    /// replaces it).
    pub fn to_saved_metric(&mut self, current: Option<&Metric>) -> Result<Metric, String> {
        let mine = self.to_metric()?;
        let Some(base) = self.base.as_mut() else {
            return Ok(mine);
        };
        let what = format!("the KPI '{}'", base.name);
        crate::ui::widgets::saving::merged_for_save(
            base,
            &mine,
            current,
            &what,
            crate::model::three_way::merge_metric,
            Metric::validate,
        )
    }

    /// Whether anything typed differs from what was stored (or from a blank KPI).
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        let stored = match &self.base {
            Some(base) => Self::edit(base, self.today),
            None => Self::new_kpi(self.category, self.today),
        };
        self.name != stored.name
            || self.unit != stored.unit
            || self.direction != stored.direction
            || self.category != stored.category
            || self.target != stored.target
            || self.description != stored.description
            || self.objective_id != stored.objective_id
            || self.rows != stored.rows
    }

    /// The KPI in words, for questions.
    #[must_use]
    pub fn what(&self) -> String {
        self.base.as_ref().map_or_else(|| "the new KPI".to_owned(), |base| format!("the KPI '{}'", base.name))
    }

    /// Whether it is a new KPI.
    #[must_use]
    pub fn is_new(&self) -> bool {
        self.metric_id.0 == 0
    }

    /// What is wrong with each row (`None` for a good row), including two rows on one day.
    #[must_use]
    pub fn row_errors(&self) -> Vec<Option<String>> {
        let mut seen: std::collections::HashMap<Date, usize> = std::collections::HashMap::new();
        self.rows
            .iter()
            .enumerate()
            .map(|(index, row)| match parse_sample(&row.date, &row.value, self.unit) {
                Err(message) => Some(message),
                Ok(sample) => seen
                    .insert(sample.date, index + 1)
                    .map(|earlier| format!("Row {earlier} has the same date; keep one sample per day.")),
            })
            .collect()
    }

    /// The KPI as it would be stored, or the first reason it cannot be.
    ///
    /// # Errors
    /// A sentence naming the field or the sample row.
    pub fn to_metric(&self) -> Result<Metric, String> {
        let target = match self.target.trim() {
            "" => None,
            text => {
                let value: f64 = text
                    .trim_end_matches('%')
                    .trim()
                    .parse()
                    .ok()
                    .filter(|value: &f64| value.is_finite())
                    .ok_or_else(|| format!("The target '{text}' is not a number: write digits such as 4.5."))?;
                Some(value)
            }
        };
        for (index, error) in self.row_errors().into_iter().enumerate() {
            if let Some(error) = error {
                return Err(format!("Sample row {}: {error}", index + 1));
            }
        }
        let mut samples: Vec<MetricSample> =
            self.rows.iter().filter_map(|row| parse_sample(&row.date, &row.value, self.unit).ok()).collect();
        samples.sort_by_key(|sample| sample.date);
        let metric = Metric {
            metric_id: self.metric_id,
            name: self.name.trim().to_owned(),
            unit: self.unit,
            direction: self.direction,
            category: self.category,
            target,
            description: self.description.clone(),
            objective_id: self.objective_id,
            samples,
        };
        metric.validate().map_err(|error| error.to_string())?;
        Ok(metric)
    }
}

crate::ui::widgets::window::draft_window!(KpiEditor, |one, other| one.metric_id == other.metric_id);

/// The row choosing the objective a KPI serves (as an epic does). An objective deleted elsewhere
/// while the window was open is named as such, so that saving's refusal is not a surprise.
fn objective_row_ui(ui: &mut Ui, editor: &mut KpiEditor, objectives: &[Objective]) {
    let label = ui.label("Serves objective");
    let chosen = editor.objective_id.map(|id| {
        objectives
            .iter()
            .find(|objective| objective.objective_id == id)
            .map_or_else(|| "(an objective deleted meanwhile)".to_owned(), |objective| objective.title.clone())
    });
    ui.vertical(|ui| {
        egui::ComboBox::from_id_salt("kpi-objective")
            .selected_text(chosen.as_deref().unwrap_or("None"))
            .width(320.0)
            .truncate()
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut editor.objective_id, None, "None");
                for objective in objectives {
                    ui.selectable_value(
                        &mut editor.objective_id,
                        Some(objective.objective_id),
                        objective.title.as_str(),
                    );
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("The objective this KPI shows progress towards; the roadmap's Objectives panel lists it");
        if objectives.is_empty() {
            ui.label(RichText::new("No objectives yet: add them on the Roadmap, in the Objectives panel.").weak());
        }
    });
    ui.end_row();
}

/// Draws the KPI editor window; `objectives` are the ones it may serve.
pub fn kpi_editor_ui(
    ctx: &egui::Context,
    editor: &mut KpiEditor,
    current: Option<&Metric>,
    objectives: &[Objective],
) -> WindowOutcome {
    let mut open = true;
    let mut outcome = WindowOutcome::Open;
    let title = if editor.is_new() { "New KPI".to_owned() } else { format!("KPI: {}", editor.name) };
    crate::ui::widgets::window::titled(ctx, title)
        .id(egui::Id::unique("kpi-editor"))
        .open(&mut open)
        .collapsible(false)
        .default_width(560.0)
        .default_height(560.0)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .show(ctx, |ui| {
            egui::Grid::new("kpi-fields").num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
                let label = ui.label("Name");
                let name = ui.add(TextEdit::singleline(&mut editor.name).desired_width(320.0)).labelled_by(label.id);
                crate::ui::widgets::window::focus_when_opened(ui, &name);
                if editor.is_new() && editor.name.is_empty() && ui.memory(|memory| memory.focused().is_none()) {
                    name.request_focus();
                }
                ui.end_row();
                let label = ui.label("Unit");
                egui::ComboBox::from_id_salt("kpi-unit")
                    .selected_text(editor.unit.label())
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for unit in MetricUnit::ALL {
                            ui.selectable_value(&mut editor.unit, unit, unit.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Better when");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut editor.direction, Direction::HigherIsBetter, "Higher ⬆");
                    ui.radio_value(&mut editor.direction, Direction::LowerIsBetter, "Lower ⬇");
                })
                .response
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Target");
                ui.add(TextEdit::singleline(&mut editor.target).hint_text("none").desired_width(120.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Category");
                egui::ComboBox::from_id_salt("kpi-category")
                    .selected_text(editor.category.label())
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for category in MetricCategory::ALL {
                            ui.selectable_value(&mut editor.category, category, category.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
                objective_row_ui(ui, editor, objectives);
            });
            let label = ui.label("How it is measured");
            ui.add(TextEdit::multiline(&mut editor.description).desired_rows(2).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new("Samples").strong());
                ui.label(RichText::new(format!("(dates as YYYY-MM-DD; {})", editor.unit.rule())).weak());
            });
            samples_table_ui(ui, editor);
            ui.horizontal(|ui| {
                if ui.button("+ Add sample").clicked() {
                    let date = editor.today.to_string();
                    editor.rows.push(SampleRow { date, value: String::new() });
                    editor.scroll_to_last = 2;
                    editor.focus_new_value = true;
                }
                if ui
                    .add_enabled(!editor.rows.is_empty(), egui::Button::new("Sort by date"))
                    .on_hover_text("Put the samples in date order")
                    .clicked()
                {
                    editor.rows.sort_by(|a, b| a.date.cmp(&b.date));
                }
            });
            if let Some(error) = &editor.error {
                let words = if error.starts_with("Not saved") {
                    format!("⚠ {error}")
                } else {
                    format!("⚠ Not saved. {error}")
                };
                ui.label(RichText::new(words).color(theme::error_colour(ui.visuals())));
            }
            ui.add_space(6.0);
            if editor.closing.is_asking() {
                let what = editor.what();
                if editor.closing.question_ui(ui, &what) {
                    outcome = WindowOutcome::Closed;
                }
                return;
            }
            ui.horizontal(|ui| {
                let save = if editor.is_new() { "Create KPI" } else { "Save KPI" };
                if ui.button(RichText::new(save).strong()).clicked() {
                    match editor.to_saved_metric(current) {
                        Ok(metric) => {
                            outcome = WindowOutcome::Apply(if editor.is_new() {
                                Command::Planning(PlanningCommand::CreateMetric(metric))
                            } else {
                                Command::Planning(PlanningCommand::UpdateMetric(metric))
                            });
                        }
                        Err(error) => editor.error = Some(error),
                    }
                }
                if ui.button("Cancel").clicked() && editor.closing.request(editor.is_dirty()) {
                    outcome = WindowOutcome::Closed;
                }
                if !editor.is_new()
                    && ui
                        .button("Delete KPI")
                        .on_hover_text("Delete this KPI and its samples; Ctrl+Z brings them back")
                        .clicked()
                {
                    outcome = WindowOutcome::Apply(Command::Planning(PlanningCommand::DeleteMetric(editor.metric_id)));
                }
            });
        });
    // ✖ asks like Cancel when something is not saved.
    if !open && outcome == WindowOutcome::Open && editor.closing.request(editor.is_dirty()) {
        outcome = WindowOutcome::Closed;
    }
    outcome
}

fn samples_table_ui(ui: &mut Ui, editor: &mut KpiEditor) {
    let errors = editor.row_errors();
    let error_colour = theme::error_colour(ui.visuals());
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
    let mut remove = None;
    let scroll_to = (editor.scroll_to_last > 0).then(|| editor.rows.len().saturating_sub(1));
    editor.scroll_to_last = editor.scroll_to_last.saturating_sub(1);
    let last = editor.rows.len().saturating_sub(1);
    let mut focused_new_value = false;
    let focus_new_value = editor.focus_new_value;
    ui.push_id("kpi-samples", |ui| {
        let mut table = TableBuilder::new(ui);
        if let Some(row) = scroll_to {
            table = table.scroll_to_row(row, Some(egui::Align::BOTTOM));
        }
        table
            .striped(true)
            .max_scroll_height(240.0)
            .column(TableColumn::exact(36.0))
            .column(TableColumn::exact(120.0))
            .column(TableColumn::exact(100.0))
            .column(TableColumn::remainder().at_least(160.0).clip(true))
            .column(TableColumn::exact(28.0))
            .header(row_height, |mut header| {
                for title in ["#", "Date", "Value", "Check", ""] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, editor.rows.len(), |mut row| {
                    let index = row.index();
                    let Some(sample) = editor.rows.get_mut(index) else {
                        return;
                    };
                    let number = index + 1;
                    row.col(|ui| {
                        ui.label(number.to_string());
                    });
                    row.col(|ui| {
                        let response = ui.add(TextEdit::singleline(&mut sample.date).desired_width(110.0));
                        name_widget(ui, &response, &format!("Date of sample {number}"));
                    });
                    row.col(|ui| {
                        let response = ui.add(TextEdit::singleline(&mut sample.value).desired_width(90.0));
                        name_widget(ui, &response, &format!("Value of sample {number}"));
                        if index == last && focus_new_value {
                            response.request_focus();
                            focused_new_value = true;
                        }
                    });
                    row.col(|ui| match errors.get(index).cloned().flatten() {
                        Some(error) => {
                            ui.label(RichText::new(format!("⚠ {error}")).color(error_colour)).on_hover_text(error);
                        }
                        None => {
                            ui.label("✔ ok");
                        }
                    });
                    row.col(|ui| {
                        let response = ui
                            .add(egui::Button::new("✖").min_size(egui::vec2(24.0, 24.0)))
                            .on_hover_text("Remove this sample");
                        name_widget(ui, &response, &format!("Remove sample {number}"));
                        if response.clicked() {
                            remove = Some(index);
                        }
                    });
                });
            });
    });
    if focused_new_value {
        editor.focus_new_value = false;
    }
    if let Some(index) = remove {
        editor.rows.remove(index);
    }
    if editor.rows.is_empty() {
        ui.label(RichText::new("No samples yet. Add one, or import a CSV file from the KPI's chart.").weak());
    }
}

/// A CSV samples file read for one KPI, waiting for the user to confirm.
#[derive(Clone, Debug)]
pub struct SamplesImport {
    /// The KPI.
    pub metric_id: MetricId,
    /// The file's name, for the window title.
    pub file_name: String,
    /// Every row with what will happen to it.
    pub preview: SamplesPreview,
}

/// Draws the samples import preview. Returns the command to run when the user confirms, and whether
/// the window is closed.
#[must_use]
pub fn samples_import_ui(ctx: &egui::Context, import: &SamplesImport, metric: &Metric) -> WindowOutcome {
    let mut open = true;
    let mut command = None;
    let mut close = false;
    let errors = import.preview.error_count();
    let (added, replaced) = import.preview.counts();
    crate::ui::widgets::window::titled(ctx, format!("Import samples into '{}'", metric.name))
        .id(egui::Id::unique("samples-import"))
        .open(&mut open)
        .collapsible(false)
        .default_width(560.0)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .show(ctx, |ui| {
            ui.label(format!("From {}:", import.file_name));
            let summary = format!(
                "{} new, {} replacing stored days, {} with errors.",
                crate::interchange::convert::plural(added, "sample"),
                replaced,
                crate::interchange::convert::plural(errors, "row")
            );
            ui.label(RichText::new(summary).strong());
            let error_colour = theme::error_colour(ui.visuals());
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
            ui.push_id("samples-preview", |ui| {
                TableBuilder::new(ui)
                    .striped(true)
                    .max_scroll_height(300.0)
                    .column(TableColumn::exact(48.0))
                    .column(TableColumn::exact(110.0))
                    .column(TableColumn::exact(80.0))
                    .column(TableColumn::remainder().at_least(200.0).clip(true))
                    .header(row_height, |mut header| {
                        for title in ["Line", "Date", "Value", "What happens"] {
                            header.col(|ui| {
                                ui.strong(title);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(row_height, import.preview.rows.len(), |mut row| {
                            let Some(line) = import.preview.rows.get(row.index()) else {
                                return;
                            };
                            row.col(|ui| {
                                ui.label(line.line.to_string());
                            });
                            row.col(|ui| {
                                ui.label(&line.date);
                            });
                            row.col(|ui| {
                                ui.label(&line.value);
                            });
                            row.col(|ui| match &line.outcome {
                                RowOutcome::Add(_) => {
                                    ui.label("✔ new sample");
                                }
                                RowOutcome::Replace(_, old) => {
                                    ui.label(format!("✔ replaces {}", metric.format_value(*old)));
                                }
                                RowOutcome::Error(message) => {
                                    ui.label(RichText::new(format!("⚠ {message}")).color(error_colour))
                                        .on_hover_text(message);
                                }
                            });
                        });
                    });
            });
            ui.add_space(6.0);
            if errors > 0 {
                ui.label(
                    RichText::new(format!(
                        "⚠ Nothing will be imported while {} cannot be read. Correct the file and import it again.",
                        crate::interchange::convert::plural(errors, "row")
                    ))
                    .color(error_colour),
                );
            }
            ui.horizontal(|ui| {
                let label = format!("Import {}", crate::interchange::convert::plural(added + replaced, "sample"));
                let can_import = errors == 0 && added + replaced > 0;
                if ui.add_enabled(can_import, egui::Button::new(RichText::new(label).strong())).clicked()
                    && let Some(merged) = import.preview.merged_into(metric)
                {
                    command = Some(Command::Planning(PlanningCommand::UpdateMetric(merged)));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    WindowOutcome::from_parts(command, close || !open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_draft_with_a_bad_row_names_the_row_and_builds_nothing() {
        let mut editor = KpiEditor::new_kpi(MetricCategory::Product, date(2026, 3, 1));
        editor.name = "NPS".into();
        editor.unit = MetricUnit::Score;
        editor.rows = vec![
            SampleRow { date: "2026-02-01".into(), value: "35".into() },
            SampleRow { date: "2026-01-01".into(), value: "130".into() },
        ];
        let error = editor.to_metric().err().unwrap_or_default();
        assert!(error.starts_with("Sample row 2:") && error.contains("−100 to 100"), "{error}");
        editor.rows[1].value = "-12".into();
        let metric = editor.to_metric().unwrap_or_else(|error| panic!("{error}"));
        // Sorted by date on the way out.
        assert_eq!(metric.samples.first().map(|sample| sample.value), Some(-12.0));
        editor.rows[1].date = "2026-02-01".into();
        assert!(editor.to_metric().err().unwrap_or_default().contains("same date"));
    }

    #[test]
    fn a_target_that_is_not_a_number_is_refused() {
        let mut editor = KpiEditor::new_kpi(MetricCategory::Product, date(2026, 3, 1));
        editor.name = "Conversion".into();
        editor.target = "high".into();
        assert!(editor.to_metric().err().unwrap_or_default().contains("target"));
        editor.target = "4.5%".into();
        assert_eq!(editor.to_metric().map(|metric| metric.target), Ok(Some(4.5)));
    }
}
