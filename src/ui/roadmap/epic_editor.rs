//! The epic editor window (title, dates with a date picker, colour, objective, description, the epics
//! it starts after) and the objectives-and-key-results panel beside the roadmap.

use egui::{RichText, Ui};

use super::RoadmapState;
use crate::app::{Command, RoadmapCommand};
use crate::model::{Colour, Date, Epic, EpicId, KeyResult, Objective, ObjectiveId, ProgramIncrement, Workspace};
use crate::ui::UiAction;

/// An epic being created or edited.
#[derive(Clone, Debug)]
pub struct EpicEditor {
    /// The draft; id 0 for a new epic.
    pub draft: Epic,
    /// The epic as stored when editing began (or when a save last said it changed elsewhere).
    base: Epic,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
    /// Asks before deleting the epic.
    deleting: bool,
}

impl EpicEditor {
    /// A new four-week epic starting on the Monday of `today`'s week.
    #[must_use]
    pub fn new_epic(today: Date) -> Self {
        let start = crate::interchange::convert::monday_of(today);
        let draft = Epic {
            epic_id: EpicId(0),
            title: String::new(),
            description: String::new(),
            colour: Colour(crate::interchange::convert::EPIC_COLOURS[0]),
            start_date: start,
            end_date: start.checked_add(jiff::Span::new().days(27)).unwrap_or(start),
            objective_id: None,
            depends_on: Vec::new(),
        };
        Self {
            base: draft.clone(),
            draft,
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
            deleting: false,
        }
    }

    /// Editing an existing epic.
    #[must_use]
    pub fn edit(epic: &Epic) -> Self {
        Self {
            draft: epic.clone(),
            base: epic.clone(),
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
            deleting: false,
        }
    }

    fn is_new(&self) -> bool {
        self.draft.epic_id.0 == 0
    }

    /// Whether the draft holds anything not saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft != self.base
    }

    /// The epic in words, for questions ("the epic 'Delivery slots'", "the new epic").
    #[must_use]
    pub fn what(&self) -> String {
        if self.is_new() { "the new epic".to_owned() } else { format!("the epic '{}'", self.base.title) }
    }
}

crate::ui::widgets::window::draft_window!(EpicEditor, |one, other| one.draft.epic_id == other.draft.epic_id);

/// Draws the epic editor window, when open.
pub fn epic_editor_ui(
    ctx: &egui::Context,
    workspace: &Workspace,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    let Some(editor) = state.editor.as_mut() else {
        return;
    };
    let mut open = true;
    let mut close = false;
    let title = if editor.is_new() { "New epic".to_owned() } else { format!("Epic: {}", editor.draft.title) };
    crate::ui::widgets::window::titled(ctx, title)
        .id(egui::Id::unique("epic-editor"))
        .open(&mut open)
        .collapsible(false)
        .default_width(440.0)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .show(ctx, |ui| {
            let draft = &mut editor.draft;
            egui::Grid::new("epic-fields").num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
                let label = ui.label("Title");
                let title =
                    ui.add(egui::TextEdit::singleline(&mut draft.title).desired_width(280.0)).labelled_by(label.id);
                if editor.error.is_none()
                    && draft.title.is_empty()
                    && !title.has_focus()
                    && ui.memory(|memory| memory.focused().is_none())
                {
                    title.request_focus();
                }
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "Starts", &mut draft.start_date, "epic-start");
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "Ends", &mut draft.end_date, "epic-end");
                ui.end_row();
                let label = ui.label("Colour");
                let mut rgb = draft.colour.0;
                ui.color_edit_button_srgb(&mut rgb).labelled_by(label.id);
                draft.colour = Colour(rgb);
                ui.end_row();
                let label = ui.label("Objective");
                let selected = draft
                    .objective_id
                    .and_then(|id| workspace.objectives.iter().find(|objective| objective.objective_id == id))
                    .map_or_else(|| "None".to_owned(), |objective| objective.title.clone());
                egui::ComboBox::from_id_salt("epic-objective")
                    .selected_text(selected)
                    .width(280.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut draft.objective_id, None, "None");
                        for objective in &workspace.objectives {
                            ui.selectable_value(
                                &mut draft.objective_id,
                                Some(objective.objective_id),
                                &objective.title,
                            );
                        }
                    })
                    .response
                    .labelled_by(label.id);
                ui.end_row();
            });
            ui.add_space(4.0);
            let label = ui.label("Description");
            ui.add(egui::TextEdit::multiline(&mut draft.description).desired_rows(3).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            ui.add_space(4.0);
            ui.label(RichText::new("Starts after (it should not start before these end):").strong());
            if workspace.epics.iter().all(|other| other.epic_id == draft.epic_id) {
                ui.weak("No other epics yet: once there are, tick the ones this epic waits for.");
            }
            egui::ScrollArea::vertical().max_height(140.0).id_salt("epic-deps").show(ui, |ui| {
                for other in workspace.epics.iter().filter(|other| other.epic_id != draft.epic_id) {
                    let mut checked = draft.depends_on.contains(&other.epic_id);
                    let text = format!("{} (ends {})", other.title, other.end_date.strftime("%-d %b %Y"));
                    if ui.checkbox(&mut checked, text).changed() {
                        if checked {
                            draft.depends_on.push(other.epic_id);
                        } else {
                            draft.depends_on.retain(|id| *id != other.epic_id);
                        }
                    }
                }
            });
            if let Some(error) = &editor.error {
                crate::ui::widgets::a11y::error_label(ui, error.as_str());
            }
            ui.add_space(6.0);
            if editor.closing.is_asking() {
                let what = editor.what();
                if editor.closing.question_ui(ui, &what) {
                    close = true;
                }
                return;
            }
            if editor.deleting {
                close = delete_question_ui(ui, editor, workspace, actions);
                return;
            }
            ui.horizontal(|ui| {
                let save = if editor.is_new() { "Create epic" } else { "Save epic" };
                if ui.button(RichText::new(save).strong()).clicked() {
                    let mut draft = editor.draft.clone();
                    draft.title.clone_from(&draft.title.trim().to_owned());
                    let saved = if editor.is_new() {
                        draft.validate().map(|()| RoadmapCommand::CreateEpic(draft)).map_err(|error| error.to_string())
                    } else {
                        let what = format!("the epic '{}'", editor.base.title);
                        crate::ui::widgets::saving::merged_for_save(
                            &mut editor.base,
                            &draft,
                            workspace.epic(draft.epic_id),
                            &what,
                            crate::model::three_way::merge_epic,
                            Epic::validate,
                        )
                        .map(RoadmapCommand::UpdateEpic)
                    };
                    match saved {
                        Ok(command) => {
                            actions.push(UiAction::Apply(Command::Roadmap(command)));
                            close = true;
                        }
                        Err(error) => editor.error = Some(error),
                    }
                }
                if ui.button("Cancel").clicked() && editor.closing.request(editor.is_dirty()) {
                    close = true;
                }
                if !editor.is_new() && ui.button("Show on board").clicked() && editor.closing.request(editor.is_dirty())
                {
                    actions.push(UiAction::ShowEpicOnBoard(editor.draft.epic_id));
                    close = true;
                }
                if !editor.is_new()
                    && workspace.epic(editor.base.epic_id).is_some()
                    && ui.button("Delete epic…").clicked()
                {
                    editor.deleting = true;
                }
            });
        });
    // ✖ asks like Cancel when something is not saved.
    if !open && !close && !editor.closing.request(editor.is_dirty()) {
        return;
    }
    if close || !open {
        state.editor = None;
    }
}

/// "Delete the epic 'X'? Its 3 items stay on the board, without an epic." with Yes and Keep it;
/// returns whether the window closes.
fn delete_question_ui(
    ui: &mut Ui,
    editor: &mut EpicEditor,
    workspace: &Workspace,
    actions: &mut Vec<UiAction>,
) -> bool {
    let mut close = false;
    let items = workspace.all_items().filter(|item| item.epic_id == Some(editor.base.epic_id)).count();
    let stay = match items {
        0 => String::new(),
        1 => " Its 1 item stays on the board, without an epic.".to_owned(),
        count => {
            format!(" Its {} items stay on the board, without an epic.", crate::interchange::convert::count(count))
        }
    };
    ui.label(RichText::new(format!("Delete the epic '{}'?{stay} Ctrl+Z brings it back.", editor.base.title)).strong());
    ui.horizontal(|ui| {
        if ui.button("Yes, delete it").clicked() {
            actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::DeleteEpic(editor.base.epic_id))));
            close = true;
        }
        if ui.button("Keep it").clicked() {
            editor.deleting = false;
        }
    });
    close
}

/// An objective being edited in its panel.
#[derive(Clone, Debug)]
pub struct ObjectiveDraft {
    /// As stored when editing began (or when a save last said it changed elsewhere).
    base: Objective,
    /// As the user changed it.
    draft: Objective,
    /// Why the last save was refused, until the next try.
    error: Option<String>,
    /// Asks before Cancel throws typed changes away.
    closing: crate::ui::widgets::window::CloseGuard,
    /// Asks before deleting the objective.
    deleting: bool,
}

impl ObjectiveDraft {
    /// Whether the user changed anything since editing began.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft != self.base
    }

    /// The objective in words, for the question before its changes are discarded.
    #[must_use]
    pub fn what(&self) -> String {
        format!("the objective '{}'", self.base.title)
    }

    /// Saves the draft onto `current` (the objective as stored now, if it still is); on success the
    /// command to run, otherwise the refusal is kept to be shown.
    fn save(&mut self, current: Option<&Objective>) -> Option<UiAction> {
        let what = self.what();
        let saved = crate::ui::widgets::saving::merged_for_save(
            &mut self.base,
            &self.draft,
            current,
            &what,
            crate::model::three_way::merge_objective,
            Objective::validate,
        );
        match saved {
            Ok(merged) => Some(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateObjective(merged)))),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

/// The KPIs that show progress towards an objective: each with its latest value against its target,
/// in words (not only in colour), a link to its chart.
fn measuring_kpis_ui(ui: &mut Ui, workspace: &Workspace, objective_id: ObjectiveId, actions: &mut Vec<UiAction>) {
    let kpis: Vec<&crate::model::Metric> =
        workspace.metrics.iter().filter(|metric| metric.objective_id == Some(objective_id)).collect();
    if kpis.is_empty() {
        return;
    }
    ui.label("KPIs:");
    for metric in kpis {
        let latest = metric.latest().map_or_else(
            || "no samples yet".to_owned(),
            |sample| format!("{} on {}", metric.format_value(sample.value), sample.date.strftime("%-d %b %Y")),
        );
        let target = match (metric.target, metric.target_state()) {
            (Some(target), crate::model::TargetState::OnTrack) => {
                format!(", target {} met", metric.format_value(target))
            }
            (Some(target), crate::model::TargetState::OffTrack) => {
                format!(", target {} not met yet", metric.format_value(target))
            }
            (Some(target), crate::model::TargetState::Unknown) => format!(", target {}", metric.format_value(target)),
            (None, _) => String::new(),
        };
        let text = format!("{} — {latest}{target}", metric.name);
        if ui.link(text).on_hover_text("Show this KPI's chart on the Metrics view").clicked() {
            actions.push(UiAction::ShowKpi(metric.metric_id));
        }
    }
}

/// The objectives and key results panel: each objective with its key results (current against target,
/// as a bar and in words) and the epics that serve it; edited in place and saved as one command.
/// The drafts live in `state`, so that leaving the workspace asks about them and a draft never
/// follows into another workspace.
pub fn objectives_ui(ui: &mut Ui, workspace: &Workspace, state: &mut RoadmapState, actions: &mut Vec<UiAction>) {
    crate::ui::widgets::a11y::heading(ui, "Objectives and key results");
    ui.add_space(4.0);
    egui::ScrollArea::vertical().id_salt("objectives").show(ui, |ui| {
        for objective in &workspace.objectives {
            let id = objective.objective_id;
            let mut finished = false;
            let group = ui.group(|ui| {
                ui.set_width(ui.available_width());
                if let Some(edit) = state.objective_drafts.get_mut(&id) {
                    let serving =
                        workspace.epics.iter().filter(|epic| epic.objective_id == Some(objective.objective_id)).count();
                    let measuring = workspace
                        .metrics
                        .iter()
                        .filter(|metric| metric.objective_id == Some(objective.objective_id))
                        .count();
                    finished =
                        draft_ui(ui, edit, Some(objective), &workspace.increments, (serving, measuring), actions);
                } else {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new(&objective.title).strong());
                        let edit = ui.small_button("Edit objective");
                        // Named for its objective: a screen reader hears which one it edits.
                        let name = format!("Edit the objective '{}'", objective.title);
                        crate::ui::widgets::a11y::name_widget(ui, &edit, &name);
                        if state.focus_objective == Some(id) {
                            // Shown from elsewhere: the keyboard lands on it, its focus ring marks it.
                            edit.request_focus();
                            // A frame more, which draws its focus ring (a window otherwise idle draws none).
                            ui.ctx().request_repaint();
                        }
                        if edit.on_hover_text(name).clicked() {
                            state.objective_drafts.insert(
                                id,
                                ObjectiveDraft {
                                    base: objective.clone(),
                                    draft: objective.clone(),
                                    error: None,
                                    closing: crate::ui::widgets::window::CloseGuard::default(),
                                    deleting: false,
                                },
                            );
                        }
                    });
                    if !objective.description.is_empty() {
                        ui.label(RichText::new(&objective.description).weak());
                    }
                    increment_line_ui(ui, workspace, objective, state, actions);
                    for result in &objective.key_results {
                        key_result_ui(ui, result);
                    }
                    let epics: Vec<&Epic> = workspace
                        .epics
                        .iter()
                        .filter(|epic| epic.objective_id == Some(objective.objective_id))
                        .collect();
                    if epics.is_empty() {
                        ui.label(RichText::new("No epics serve it yet.").weak());
                    } else {
                        ui.label("Epics:");
                        for epic in epics {
                            let (done, total) = workspace.epic_points(epic.epic_id);
                            let text = format!(
                                "{} — {} of {} points done",
                                epic.title,
                                crate::model::points_words(done),
                                crate::model::points_words(total)
                            );
                            if ui.link(text).on_hover_text("Select this epic on the timeline").clicked() {
                                state.selected = Some(epic.epic_id);
                            }
                        }
                    }
                    measuring_kpis_ui(ui, workspace, objective.objective_id, actions);
                }
            });
            if state.focus_objective == Some(id) {
                // Shown from elsewhere (a comparison's entry): brought into view once.
                group.response.scroll_to_me(Some(egui::Align::Min));
                state.focus_objective = None;
            }
            if finished {
                state.objective_drafts.remove(&id);
            }
            ui.add_space(4.0);
        }
        // Drafts of objectives deleted meanwhile (an undo, another window): shown until closed, so
        // that what was typed can still be copied.
        let gone: Vec<ObjectiveId> = state
            .objective_drafts
            .keys()
            .filter(|id| !workspace.objectives.iter().any(|objective| objective.objective_id == **id))
            .copied()
            .collect();
        for id in gone {
            let mut finished = false;
            if let Some(edit) = state.objective_drafts.get_mut(&id) {
                if edit.error.is_none() {
                    // Says that it is gone, and how to keep what was typed.
                    let refused = edit.save(None);
                    debug_assert!(refused.is_none(), "a deleted objective is never saved");
                }
                ui.group(|ui| {
                    ui.set_width(ui.available_width());
                    finished = draft_ui(ui, edit, None, &workspace.increments, (0, 0), actions);
                });
            }
            if finished {
                state.objective_drafts.remove(&id);
            }
            ui.add_space(4.0);
        }
        if ui.button("+ Add objective").clicked() {
            actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::CreateObjective(Objective::titled(
                "New objective",
            )))));
        }
    });
}

/// An objective's fields with Save and Cancel; returns whether editing is over.
fn draft_ui(
    ui: &mut Ui,
    edit: &mut ObjectiveDraft,
    current: Option<&Objective>,
    increments: &[ProgramIncrement],
    (epics_serving, kpis_measuring): (usize, usize),
    actions: &mut Vec<UiAction>,
) -> bool {
    let mut finished = false;
    objective_fields_ui(ui, &mut edit.draft, increments);
    if let Some(error) = &edit.error {
        crate::ui::widgets::a11y::error_label(ui, error.as_str());
    }
    if edit.closing.is_asking() {
        let what = edit.what();
        return edit.closing.question_ui(ui, &what);
    }
    if let Some(objective) = current.filter(|_| edit.deleting) {
        let serving = match epics_serving {
            0 => String::new(),
            1 => " The epic serving it stays on the roadmap.".to_owned(),
            count => format!(" The {count} epics serving it stay on the roadmap."),
        };
        let measuring = match kpis_measuring {
            0 => String::new(),
            1 => " The KPI measuring it stays on the dashboard.".to_owned(),
            count => format!(" The {count} KPIs measuring it stay on the dashboard."),
        };
        ui.label(
            RichText::new(format!(
                "Delete the objective '{}' and its key results?{serving}{measuring} Ctrl+Z brings it back.",
                objective.title
            ))
            .strong(),
        );
        ui.horizontal(|ui| {
            if ui.button("Yes, delete it").clicked() {
                actions
                    .push(UiAction::Apply(Command::Roadmap(RoadmapCommand::DeleteObjective(objective.objective_id))));
                finished = true;
            }
            if ui.button("Keep it").clicked() {
                edit.deleting = false;
            }
        });
        return finished;
    }
    ui.horizontal(|ui| {
        if current.is_some()
            && ui.button("Save").clicked()
            && let Some(action) = edit.save(current)
        {
            actions.push(action);
            finished = true;
        }
        // Cancel asks first when something typed would be lost; a deleted objective's draft just closes.
        if current.is_some() {
            if ui.button("Cancel").clicked() && edit.closing.request(edit.is_dirty()) {
                finished = true;
            }
            if ui.button("Delete objective…").clicked() {
                edit.deleting = true;
            }
        } else if ui.button("Close").clicked() {
            finished = true;
        }
    });
    finished
}

/// A key result in words (wrapped, never cut off), over a slim bar of how far along it is.
fn key_result_ui(ui: &mut Ui, result: &KeyResult) {
    let words = ui.add(egui::Label::new(result.describe()).wrap());
    #[expect(clippy::cast_possible_truncation, reason = "a share between 0 and 1")]
    let bar = egui::ProgressBar::new(result.progress() as f32).desired_height(6.0);
    ui.add(bar).labelled_by(words.id);
    ui.add_space(2.0);
}

/// The line saying which program increment an objective was set for, with its business values in
/// words and a way to the increment's window; nothing for an objective of no increment.
fn increment_line_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    objective: &Objective,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    let Some(increment_id) = objective.increment_id else {
        return;
    };
    let Some(increment) = workspace.increments.iter().find(|increment| increment.increment_id == increment_id) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("PI objective for {}: {}.", increment.name, objective.value_words()));
        if ui
            .small_button(format!("Open {}", increment.name))
            .on_hover_text("The increment's window: its dates, its objectives and how predictable it was")
            .clicked()
        {
            let editor = super::increment_editor::IncrementEditor::edit(increment);
            crate::ui::widgets::window::open_window(&mut state.increment_editor, editor, actions);
        }
    });
}

/// The choice of the program increment an objective is set for, and, once set, its business values
/// (SAFe's 1 to 10 scale) and whether it is committed. An increment taken away clears them.
fn increment_fields_ui(ui: &mut Ui, objective: &mut Objective, increments: &[ProgramIncrement]) {
    let salt = objective.objective_id;
    let chosen = objective.increment_id.map(|id| {
        increments
            .iter()
            .find(|increment| increment.increment_id == id)
            .map_or_else(|| "(an increment deleted meanwhile)".to_owned(), |increment| increment.name.clone())
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Program increment");
        let before = objective.increment_id;
        egui::ComboBox::from_id_salt(("objective-increment", salt))
            .selected_text(chosen.as_deref().unwrap_or("None"))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut objective.increment_id, None, "None");
                for increment in increments {
                    let words = format!(
                        "{} ({} to {})",
                        increment.name,
                        increment.start_date.strftime("%-d %b %Y"),
                        increment.end_date.strftime("%-d %b %Y")
                    );
                    ui.selectable_value(&mut objective.increment_id, Some(increment.increment_id), words);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text("Set at PI planning: the increment this objective is for (a PI objective)");
        if before.is_some() && objective.increment_id.is_none() {
            objective.planned_value = None;
            objective.actual_value = None;
            objective.uncommitted = false;
        }
        if increments.is_empty() {
            ui.label(
                RichText::new("No program increments yet: add one with + Program increment above the timeline.").weak(),
            );
        }
    });
    if objective.increment_id.is_none() {
        return;
    }
    // Each value on a row of its own, so that a label never wraps away from its box.
    ui.horizontal(|ui| {
        let label = ui.label("Planned business value");
        value_choice_ui(ui, (salt, "planned"), &mut objective.planned_value, 1, "Not set")
            .labelled_by(label.id)
            .on_hover_text("Given by the business owners at PI planning: 1 (least) to 10 (most)");
        ui.checkbox(&mut objective.uncommitted, "Uncommitted (stretch)").on_hover_text(
            "Planned but not promised: its planned value is left out of the increment's total, what it achieves still counts",
        );
    });
    ui.horizontal(|ui| {
        let label = ui.label("Actual business value");
        value_choice_ui(ui, (salt, "actual"), &mut objective.actual_value, 0, "Not scored yet")
            .labelled_by(label.id)
            .on_hover_text("Scored by the business owners at the increment's end (or a system demo): 0 to 10");
    });
}

/// A business value from `lowest` to 10, or none (`empty` in words).
fn value_choice_ui(
    ui: &mut Ui,
    salt: (ObjectiveId, &str),
    value: &mut Option<u8>,
    lowest: u8,
    empty: &str,
) -> egui::Response {
    let shown = value.map_or_else(|| empty.to_owned(), |value| value.to_string());
    egui::ComboBox::from_id_salt(("objective-value", salt.0, salt.1))
        .selected_text(shown)
        .width(110.0)
        // Every score in view at once, without scrolling the list.
        .height(400.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, empty);
            for score in lowest..=10 {
                ui.selectable_value(value, Some(score), score.to_string());
            }
        })
        .response
}

fn objective_fields_ui(ui: &mut Ui, objective: &mut Objective, increments: &[ProgramIncrement]) {
    let label = ui.label("Objective");
    ui.text_edit_singleline(&mut objective.title).labelled_by(label.id);
    let label = ui.label("Context");
    ui.text_edit_multiline(&mut objective.description).labelled_by(label.id);
    increment_fields_ui(ui, objective, increments);
    let mut remove = None;
    for (index, result) in objective.key_results.iter_mut().enumerate() {
        ui.separator();
        ui.horizontal(|ui| {
            let label = ui.label("Key result");
            ui.text_edit_singleline(&mut result.title).labelled_by(label.id);
            if ui.small_button("Remove").clicked() {
                remove = Some(index);
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Now");
            ui.add(egui::DragValue::new(&mut result.current_value).speed(0.1)).labelled_by(label.id);
            let label = ui.label("Target");
            ui.add(egui::DragValue::new(&mut result.target_value).speed(0.1)).labelled_by(label.id);
            let label = ui.label("Unit");
            ui.add(egui::TextEdit::singleline(&mut result.unit).desired_width(50.0)).labelled_by(label.id);
            ui.checkbox(&mut result.lower_is_better, "Lower is better");
        });
    }
    if let Some(index) = remove {
        objective.key_results.remove(index);
    }
    if ui.small_button("+ Key result").clicked() {
        objective.key_results.push(KeyResult {
            title: "New key result".to_owned(),
            current_value: 0.0,
            target_value: 100.0,
            unit: "%".to_owned(),
            lower_is_better: false,
        });
    }
}
