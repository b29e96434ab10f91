//! Sprint planning beside the board: pick a sprint, see committed points against its capacity, drag
//! cards (or press P on a selected card) to plan them in it; and the sprint editor window.

use egui::{RichText, Stroke, TextEdit, Ui};

use super::board::BoardState;
use super::widgets::window::WindowOutcome;
use super::{UiAction, theme};
use crate::app::{Command, PlanningCommand, capacity_words};
use crate::model::{Date, ItemId, Sprint, SprintId, SprintState, Workspace, add_days};
use crate::ui::widgets::window::open_window;

/// The sprint planning panel's state.
#[derive(Debug, Default)]
pub struct SprintPanel {
    /// The sprint being planned; `None` picks the current or next one.
    pub sprint: Option<SprintId>,
    /// The sprint editor, when open.
    pub editor: Option<SprintEditor>,
    /// "Complete sprint…", while it asks where the unfinished items go.
    pub completing: Option<super::sprint_lifecycle::Completing>,
    /// The shown sprint's items in board order and their points, rebuilt only when the workspace or
    /// the sprint changes (finding them walks every item).
    planned: Option<Planned>,
}

/// A sprint's items, cached.
#[derive(Debug)]
struct Planned {
    revision: u64,
    sprint_id: SprintId,
    items: std::sync::Arc<[ItemId]>,
    committed: f64,
}

impl SprintPanel {
    fn planned(&mut self, workspace: &Workspace, sprint_id: SprintId) -> (std::sync::Arc<[ItemId]>, f64) {
        if let Some(planned) = &self.planned
            && planned.revision == workspace.revision()
            && planned.sprint_id == sprint_id
        {
            return (std::sync::Arc::clone(&planned.items), planned.committed);
        }
        let mut items: Vec<_> = workspace.items().filter(|item| item.sprint_id == Some(sprint_id)).collect();
        let column_place = |column_id| workspace.columns.iter().position(|column| column.column_id == column_id);
        items.sort_by(|a, b| {
            (column_place(a.column_id), &a.rank, a.item_id).cmp(&(column_place(b.column_id), &b.rank, b.item_id))
        });
        // Archived items (done work taken off the board) still count in what the sprint committed to.
        let committed =
            workspace.all_items().filter(|item| item.sprint_id == Some(sprint_id)).filter_map(|item| item.points).sum();
        let items: std::sync::Arc<[ItemId]> = items.iter().map(|item| item.item_id).collect();
        self.planned = Some(Planned {
            revision: workspace.revision(),
            sprint_id,
            items: std::sync::Arc::clone(&items),
            committed,
        });
        (items, committed)
    }
}

/// A sprint being created or edited.
#[derive(Clone, Debug)]
pub struct SprintEditor {
    /// The draft; id 0 for a new sprint.
    pub draft: Sprint,
    /// The sprint as stored when editing began (or when a save last said it changed elsewhere).
    base: Sprint,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
}

impl SprintEditor {
    /// A new two-week sprint starting the day after the last one ends (or on this week's Monday).
    #[must_use]
    pub fn new_sprint(workspace: &Workspace, today: Date) -> Self {
        let last = workspace.sprints.iter().max_by_key(|sprint| sprint.end_date);
        let start =
            last.map_or_else(|| crate::interchange::convert::monday_of(today), |sprint| add_days(sprint.end_date, 3));
        let start = crate::interchange::convert::monday_of(start);
        let number = workspace.sprints.len() + 1;
        let name = last
            .and_then(|sprint| {
                let (prefix, number) = sprint.name.rsplit_once(' ')?;
                Some(format!("{prefix} {}", number.parse::<u32>().ok()? + 1))
            })
            .unwrap_or_else(|| format!("Sprint {number}"));
        let draft = Sprint {
            sprint_id: SprintId(0),
            name,
            goal: String::new(),
            start_date: start,
            end_date: add_days(start, 11),
            capacity_points: last.map_or(20.0, |sprint| sprint.capacity_points),
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        };
        Self { base: draft.clone(), draft, error: None, closing: crate::ui::widgets::window::CloseGuard::default() }
    }

    /// Editing an existing sprint.
    #[must_use]
    pub fn edit(sprint: &Sprint) -> Self {
        Self {
            draft: sprint.clone(),
            base: sprint.clone(),
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
        }
    }

    fn is_new(&self) -> bool {
        self.draft.sprint_id.0 == 0
    }

    /// Whether the draft holds anything not saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft != self.base
    }

    /// The sprint in words, for questions.
    #[must_use]
    pub fn what(&self) -> String {
        if self.is_new() { "the new sprint".to_owned() } else { format!("the sprint '{}'", self.base.name) }
    }
}

crate::ui::widgets::window::draft_window!(SprintEditor, |one, other| one.draft.sprint_id == other.draft.sprint_id);

/// The sprint the panel shows: the chosen one; else the one the team is running (started, not
/// completed); else one not completed yet whose dates hold today, or the next to start; else the last.
/// So once a sprint is completed the panel goes on to the next, ready to start.
#[must_use]
pub fn planned_sprint<'w>(workspace: &'w Workspace, panel: &SprintPanel, today: Date) -> Option<&'w Sprint> {
    panel.sprint.and_then(|id| workspace.sprint(id)).or_else(|| {
        let sprints = &workspace.sprints;
        let open = || sprints.iter().filter(|sprint| sprint.state() != SprintState::Completed);
        sprints
            .iter()
            .find(|sprint| sprint.state() == SprintState::Active)
            .or_else(|| open().find(|sprint| sprint.start_date <= today && today <= sprint.end_date))
            .or_else(|| open().find(|sprint| sprint.start_date > today))
            .or_else(|| sprints.last())
    })
}

/// The drop zone: cards dragged from the board land in this sprint.
fn drop_zone_ui(ui: &mut Ui, sprint: &crate::model::Sprint, board: &mut BoardState, actions: &mut Vec<UiAction>) {
    let dragging = board.drag_items().map(<[ItemId]>::to_vec);
    let hint = if dragging.is_some() {
        format!("Drop here to plan in {}", sprint.name)
    } else {
        "Drag cards here, or select a card and press P to plan it in this sprint".to_owned()
    };
    // Wrapped within the zone, so that a narrow panel (or large text) never cuts the sentence short;
    // the zone grows with it.
    let width = ui.available_width();
    let mut job = egui::text::LayoutJob::simple(
        hint,
        egui::TextStyle::Body.resolve(ui.style()),
        ui.visuals().text_color(),
        (width - 16.0).max(40.0),
    );
    job.halign = egui::Align::Center;
    let galley = ui.painter().layout_job(job);
    let zone_height = (galley.size().y + 24.0).max(56.0);
    let (zone, zone_response) = ui.allocate_exact_size(egui::vec2(width, zone_height), egui::Sense::hover());
    crate::ui::widgets::a11y::name_widget(
        ui,
        &zone_response,
        &format!("Sprint drop zone: drag cards here to plan them in {}", sprint.name),
    );
    let pointer = ui.ctx().pointer_latest_pos();
    let over_zone = dragging.is_some() && pointer.is_some_and(|pointer| zone.contains(pointer));
    let visuals = ui.visuals();
    let stroke = if over_zone {
        Stroke::new(3.0, visuals.selection.stroke.color)
    } else {
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color)
    };
    ui.painter().rect(zone, 6.0, visuals.faint_bg_color, stroke, egui::StrokeKind::Inside);
    let top = zone.center().y - galley.size().y / 2.0;
    ui.painter().galley(egui::pos2(zone.center().x, top), galley, visuals.text_color());
    if over_zone
        && ui.input(|input| input.pointer.primary_released())
        && let Some(items) = dragging
    {
        actions.push(UiAction::Apply(Command::Planning(PlanningCommand::PlanInSprint {
            item_ids: items,
            sprint_id: Some(sprint.sprint_id),
        })));
        board.cancel_drag();
    }
}

/// Draws the planning panel's content.
pub fn planning_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    panel: &mut SprintPanel,
    board: &mut BoardState,
    today: Date,
    actions: &mut Vec<UiAction>,
) {
    ui.horizontal(|ui| {
        crate::ui::widgets::a11y::heading(ui, "Sprint planning");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let close =
                ui.add(egui::Button::new("✖").min_size(egui::vec2(24.0, 24.0))).on_hover_text("Close sprint planning");
            crate::ui::widgets::a11y::name_widget(ui, &close, "Close sprint planning");
            if close.clicked() {
                board.sprint_planning = false;
            }
        });
    });
    let sprint = planned_sprint(workspace, panel, today).cloned();
    ui.horizontal(|ui| {
        let label = ui.label("Sprint");
        egui::ComboBox::from_id_salt("planning-sprint")
            .selected_text(sprint.as_ref().map_or("None yet", |sprint| sprint.name.as_str()))
            .show_ui(ui, |ui| {
                for other in &workspace.sprints {
                    let current = sprint.as_ref().is_some_and(|sprint| sprint.sprint_id == other.sprint_id);
                    if ui.selectable_label(current, &other.name).clicked() {
                        panel.sprint = Some(other.sprint_id);
                    }
                }
            })
            .response
            .labelled_by(label.id);
        if ui.button("+ New sprint").clicked() {
            open_window(&mut panel.editor, SprintEditor::new_sprint(workspace, today), actions);
        }
    });
    let Some(sprint) = sprint else {
        ui.label("No sprints yet. Create one, then drag cards here to plan them.");
        return;
    };
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(format!(
                "{} – {}",
                sprint.start_date.strftime("%a %-d %b"),
                sprint.end_date.strftime("%a %-d %b %Y")
            ))
            .weak(),
        );
        if ui.small_button("Edit sprint…").clicked() {
            open_window(&mut panel.editor, SprintEditor::edit(&sprint), actions);
        }
    });
    if !sprint.goal.is_empty() {
        ui.label(RichText::new(format!("Goal: {}", sprint.goal)).italics());
    }
    super::sprint_lifecycle::lifecycle_ui(ui, workspace, &sprint, &mut panel.completing, actions);
    let (planned, committed) = panel.planned(workspace, sprint.sprint_id);
    // What it committed to includes what it carried over when it was completed.
    let committed = committed + sprint.carried_over_points;
    let over = committed > sprint.capacity_points;
    let share = if sprint.capacity_points > 0.0 { committed / sprint.capacity_points } else { 1.0 };
    // The words over a slim bar, so that they wrap instead of being cut off in a narrow panel.
    let words = ui.add(egui::Label::new(capacity_words(committed, sprint.capacity_points)).wrap());
    #[expect(clippy::cast_possible_truncation, reason = "a share for a progress bar")]
    let bar = egui::ProgressBar::new(share.min(1.0) as f32).desired_height(8.0);
    ui.add(bar).labelled_by(words.id);
    if over {
        ui.label(
            RichText::new(format!(
                "⚠ Over capacity by {} points: take something out or agree a smaller scope.",
                crate::model::points_words(committed - sprint.capacity_points)
            ))
            .color(theme::error_colour(ui.visuals()))
            .strong(),
        );
    }

    drop_zone_ui(ui, &sprint, board, actions);

    // The keyboard twin: P plans the selected card here, or takes it out when it is already here.
    if let Some(item) = board.selected.and_then(|id| workspace.item(id)) {
        let planned_here = item.sprint_id == Some(sprint.sprint_id);
        let text = if planned_here {
            format!("Take '{}' out (P)", item.title)
        } else {
            format!("Plan '{}' here (P)", item.title)
        };
        let pressed = !ui.ctx().text_edit_focused()
            && !egui::Popup::is_any_open(ui.ctx())
            && ui.input_mut(|input| input.consume_shortcut(&super::shortcuts::PLAN));
        if ui.add(egui::Button::new(text).truncate()).clicked() || pressed {
            let sprint_id = if planned_here { None } else { Some(sprint.sprint_id) };
            actions.push(UiAction::Apply(Command::Planning(PlanningCommand::PlanInSprint {
                item_ids: vec![item.item_id],
                sprint_id,
            })));
        }
    }

    ui.add_space(4.0);
    ui.label(
        RichText::new(format!("{} in this sprint", crate::interchange::convert::plural(planned.len(), "item")))
            .strong(),
    );
    // Only the rows in view are built: a sprint of a generated workspace can hold thousands of items.
    let row_height = ui.spacing().interact_size.y.max(ui.text_style_height(&egui::TextStyle::Body)) + 2.0;
    egui::ScrollArea::vertical().id_salt("planned-items").auto_shrink([false, true]).show_rows(
        ui,
        row_height,
        planned.len(),
        |ui, rows| {
            for item in planned.get(rows).unwrap_or_default().iter().filter_map(|id| workspace.item(*id)) {
                ui.horizontal(|ui| {
                    let remove = ui
                        .add(egui::Button::new("✖").min_size(egui::vec2(24.0, 24.0)))
                        .on_hover_text("Take it out of the sprint");
                    crate::ui::widgets::a11y::name_widget(
                        ui,
                        &remove,
                        &format!("Take '{}' out of {}", item.title, sprint.name),
                    );
                    if remove.clicked() {
                        actions.push(UiAction::Apply(Command::Planning(PlanningCommand::PlanInSprint {
                            item_ids: vec![item.item_id],
                            sprint_id: None,
                        })));
                    }
                    let points = item.points.map_or_else(|| "– pts".to_owned(), |points| format!("{points} pts"));
                    let column = workspace.column(item.column_id).map_or("", |column| column.name.as_str());
                    let done = workspace.column(item.column_id).is_some_and(|column| column.is_done);
                    let title = if done { format!("✔ {}", item.title) } else { item.title.clone() };
                    if ui
                        .add(egui::Button::new(format!("{title} · {points} · {column}")).frame(false).truncate())
                        .on_hover_text("Select it on the board")
                        .clicked()
                    {
                        board.select(item.item_id);
                        board.reveal = Some(item.item_id);
                    }
                });
            }
        },
    );
}

/// Draws the sprint editor window.
pub fn sprint_editor_ui(ctx: &egui::Context, editor: &mut SprintEditor, workspace: &Workspace) -> WindowOutcome {
    let mut open = true;
    let mut close = false;
    let mut command = None;
    let title = if editor.is_new() { "New sprint".to_owned() } else { format!("Sprint: {}", editor.draft.name) };
    crate::ui::widgets::window::titled(ctx, title)
        .id(egui::Id::unique("sprint-editor"))
        .open(&mut open)
        .collapsible(false)
        .default_width(420.0)
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .show(ctx, |ui| {
            let draft = &mut editor.draft;
            egui::Grid::new("sprint-fields").num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
                let label = ui.label("Name");
                let name = ui.add(TextEdit::singleline(&mut draft.name).desired_width(260.0)).labelled_by(label.id);
                crate::ui::widgets::window::focus_when_opened(ui, &name);
                ui.end_row();
                let label = ui.label("Goal");
                ui.add(TextEdit::multiline(&mut draft.goal).desired_rows(2).desired_width(260.0)).labelled_by(label.id);
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "Starts", &mut draft.start_date, "sprint-start");
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "Ends", &mut draft.end_date, "sprint-end");
                ui.end_row();
                let label = ui.label("Capacity (points)");
                ui.add(egui::DragValue::new(&mut draft.capacity_points).range(0.0..=10_000.0).speed(1.0))
                    .labelled_by(label.id);
                ui.end_row();
            });
            if let Some(error) = &editor.error {
                crate::ui::widgets::a11y::error_label(ui, error.as_str());
            }
            ui.add_space(6.0);
            if editor.closing.is_asking() {
                let what = editor.what();
                close = editor.closing.question_ui(ui, &what);
                return;
            }
            ui.horizontal(|ui| {
                let save = if editor.is_new() { "Create sprint" } else { "Save sprint" };
                if ui.button(RichText::new(save).strong()).clicked() {
                    let draft = Sprint { name: editor.draft.name.trim().to_owned(), ..editor.draft.clone() };
                    let saved = if editor.is_new() {
                        draft
                            .validate()
                            .map(|()| PlanningCommand::CreateSprint(draft))
                            .map_err(|error| error.to_string())
                    } else {
                        let what = format!("the sprint '{}'", editor.base.name);
                        crate::ui::widgets::saving::merged_for_save(
                            &mut editor.base,
                            &draft,
                            workspace.sprint(draft.sprint_id),
                            &what,
                            crate::model::three_way::merge_sprint,
                            Sprint::validate,
                        )
                        .map(PlanningCommand::UpdateSprint)
                    };
                    match saved {
                        Ok(saved) => {
                            command = Some(Command::Planning(saved));
                            close = true;
                        }
                        Err(error) => editor.error = Some(error),
                    }
                }
                if ui.button("Cancel").clicked() && editor.closing.request(editor.is_dirty()) {
                    close = true;
                }
                if !editor.is_new() {
                    let items =
                        workspace.all_items().filter(|item| item.sprint_id == Some(editor.draft.sprint_id)).count();
                    if ui
                        .button("Delete sprint")
                        .on_hover_text(format!(
                            "Its {} go back to the unplanned backlog; Ctrl+Z brings it back",
                            crate::interchange::convert::plural(items, "item")
                        ))
                        .clicked()
                    {
                        command = Some(Command::Planning(PlanningCommand::DeleteSprint(editor.draft.sprint_id)));
                        close = true;
                    }
                }
            });
        });
    // ✖ asks like Cancel when something is not saved.
    let closed = close || (!open && editor.closing.request(editor.is_dirty()));
    WindowOutcome::from_parts(command, closed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Product;
    use jiff::civil::date;

    #[test]
    fn a_new_sprint_follows_the_last_one() {
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        workspace.sprints.push(Sprint {
            sprint_id: SprintId(1),
            name: "Sprint 23".into(),
            goal: String::new(),
            start_date: date(2026, 11, 16),
            end_date: date(2026, 11, 27),
            capacity_points: 30.0,
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        });
        let editor = SprintEditor::new_sprint(&workspace, date(2026, 11, 22));
        assert_eq!(editor.draft.name, "Sprint 24");
        assert_eq!(editor.draft.start_date, date(2026, 11, 30));
        assert_eq!(editor.draft.end_date, date(2026, 12, 11));
        assert!((editor.draft.capacity_points - 30.0).abs() < f64::EPSILON);
    }
}
