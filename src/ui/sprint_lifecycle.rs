//! Starting and completing a sprint from the planning panel; completing asks where the unfinished
//! items go (the next sprint by default, or the unplanned backlog) before anything is changed.

use egui::{RichText, Ui};

use super::UiAction;
use crate::app::{Command, PlanningCommand};
use crate::interchange::convert::plural;
use crate::model::{Sprint, SprintId, SprintState, Workspace};

/// While "Complete sprint…" is open: where the unfinished items go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completing {
    /// The sprint being completed.
    pub sprint_id: SprintId,
    /// The sprint they go to, or `None` for the unplanned backlog.
    pub carry_to: Option<SprintId>,
}

/// "16 Nov".
fn day(at: crate::model::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system()).strftime("%-d %b").to_string()
}

/// The sprint's state in words and the button that moves it on.
pub fn lifecycle_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    sprint: &Sprint,
    completing: &mut Option<Completing>,
    actions: &mut Vec<UiAction>,
) {
    match (sprint.state(), sprint.started_at, sprint.completed_at) {
        (SprintState::Planned, _, _) => {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Planned: not started yet.").weak());
                if ui.button("▶ Start sprint").on_hover_text("One sprint runs at a time").clicked() {
                    actions.push(UiAction::Apply(Command::Planning(PlanningCommand::StartSprint(sprint.sprint_id))));
                }
            });
        }
        (SprintState::Completed, _, Some(completed)) => {
            let carried = if sprint.carried_over_points > 0.0 {
                format!("; {} points were carried over", crate::model::points_words(sprint.carried_over_points))
            } else {
                String::new()
            };
            ui.label(RichText::new(format!("✔ Completed on {}{carried}.", day(completed))).strong());
        }
        (_, started, _) => {
            ui.horizontal_wrapped(|ui| {
                let since = started.map(day).unwrap_or_default();
                ui.label(RichText::new(format!("● Active since {since}.")).strong());
                if completing.is_none_or(|open| open.sprint_id != sprint.sprint_id)
                    && ui
                        .button("Complete sprint…")
                        .on_hover_text("Unfinished items move on; nothing changes before you confirm")
                        .clicked()
                {
                    let next = workspace
                        .sprints
                        .iter()
                        .filter(|other| other.sprint_id != sprint.sprint_id && other.state() != SprintState::Completed)
                        .find(|other| other.start_date >= sprint.start_date)
                        .map(|other| other.sprint_id);
                    *completing = Some(Completing { sprint_id: sprint.sprint_id, carry_to: next });
                }
            });
            if let Some(open) = completing.as_mut().filter(|open| open.sprint_id == sprint.sprint_id)
                && confirm_ui(ui, workspace, sprint, open, actions)
            {
                *completing = None;
            }
        }
    }
}

/// Where the unfinished items go, and the button that completes the sprint; true once it is answered.
fn confirm_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    sprint: &Sprint,
    open: &mut Completing,
    actions: &mut Vec<UiAction>,
) -> bool {
    let mut answered = false;
    let unfinished: Vec<_> = workspace
        .all_items()
        .filter(|item| item.sprint_id == Some(sprint.sprint_id))
        .filter(|item| !workspace.column(item.column_id).is_some_and(|column| column.is_done))
        .collect();
    let points: f64 = unfinished.iter().filter_map(|item| item.points).sum();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        if unfinished.is_empty() {
            ui.label("Every item in it is done.");
        } else {
            ui.label(format!(
                "{} ({} points) {} not done.",
                plural(unfinished.len(), "item"),
                crate::model::points_words(points),
                if unfinished.len() == 1 { "is" } else { "are" }
            ));
            let label = ui.label("Move unfinished items to");
            let target = open
                .carry_to
                .and_then(|id| workspace.sprint(id))
                .map_or_else(|| "The unplanned backlog".to_owned(), |target| target.name.clone());
            egui::ComboBox::from_id_salt("carry-to")
                .selected_text(target)
                .show_ui(ui, |ui| {
                    for other in workspace
                        .sprints
                        .iter()
                        .filter(|other| other.sprint_id != sprint.sprint_id && other.state() != SprintState::Completed)
                    {
                        ui.selectable_value(&mut open.carry_to, Some(other.sprint_id), &other.name);
                    }
                    ui.selectable_value(&mut open.carry_to, None, "The unplanned backlog");
                })
                .response
                .labelled_by(label.id);
        }
        ui.horizontal(|ui| {
            if ui.button(RichText::new(format!("Complete {}", sprint.name)).strong()).clicked() {
                actions.push(UiAction::Apply(Command::Planning(PlanningCommand::CompleteSprint {
                    sprint_id: sprint.sprint_id,
                    carry_to: open.carry_to,
                })));
                answered = true;
            }
            if ui.button("Cancel").clicked() {
                answered = true;
            }
        });
    });
    answered
}
