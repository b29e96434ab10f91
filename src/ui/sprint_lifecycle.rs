//! Starting and completing a sprint from the planning panel; completing asks where the unfinished
//! items go (the next sprint by default, or the unplanned backlog) before anything is changed.

use egui::{RichText, Ui};

use super::UiAction;
use crate::app::{Carry, Command, PlanningCommand};
use crate::interchange::convert::plural;
use crate::model::{Sprint, SprintId, SprintState, Workspace};

/// Where the unfinished items of a sprint being completed go, as chosen in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A sprint that exists.
    Sprint(SprintId),
    /// A new sprint after the one completed ([`Sprint::following`]), made in the same step.
    NewSprint,
    /// The unplanned backlog.
    Backlog,
}

/// While "Complete sprint…" is open: where the unfinished items go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Completing {
    /// The sprint being completed.
    pub sprint_id: SprintId,
    /// Where they go.
    pub carry_to: Destination,
}

/// The new sprint offered after `sprint`, in words: "a new sprint, Sprint 24 (14 – 25 Dec)".
fn new_sprint_words(sprint: &Sprint) -> String {
    let next = sprint.following();
    format!(
        "A new sprint, {} ({} – {})",
        next.name,
        next.start_date.strftime("%-d %b"),
        next.end_date.strftime("%-d %b")
    )
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
                        .map_or(Destination::Backlog, |other| Destination::Sprint(other.sprint_id));
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
            let target = match open.carry_to {
                Destination::Sprint(id) => workspace.sprint(id).map_or_else(String::new, |target| target.name.clone()),
                Destination::NewSprint => new_sprint_words(sprint),
                Destination::Backlog => "The unplanned backlog".to_owned(),
            };
            egui::ComboBox::from_id_salt("carry-to")
                .selected_text(target)
                .show_ui(ui, |ui| {
                    for other in workspace
                        .sprints
                        .iter()
                        .filter(|other| other.sprint_id != sprint.sprint_id && other.state() != SprintState::Completed)
                    {
                        ui.selectable_value(&mut open.carry_to, Destination::Sprint(other.sprint_id), &other.name);
                    }
                    ui.selectable_value(&mut open.carry_to, Destination::NewSprint, new_sprint_words(sprint));
                    ui.selectable_value(&mut open.carry_to, Destination::Backlog, "The unplanned backlog");
                })
                .response
                .labelled_by(label.id);
        }
        ui.horizontal(|ui| {
            if ui.button(RichText::new(format!("Complete {}", sprint.name)).strong()).clicked() {
                actions.push(UiAction::Apply(Command::Planning(PlanningCommand::CompleteSprint {
                    sprint_id: sprint.sprint_id,
                    carry_to: match open.carry_to {
                        Destination::Sprint(id) => Carry::Sprint(id),
                        Destination::NewSprint => Carry::NewSprint(sprint.following()),
                        Destination::Backlog => Carry::Backlog,
                    },
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
