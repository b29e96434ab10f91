//! The board's toolbar: view mode, sprint planning, swimlanes, add column, search and filters.

use super::{BoardMode, BoardState};
use crate::app::{ColumnCommand, Command};
use crate::interchange::convert::plural;
use crate::model::{ItemFilter, ItemKind, PersonFilter, ResearchFilter, Workspace};
use crate::ui::UiAction;
use crate::ui::theme;
use egui::{ComboBox, RichText, TextEdit, Ui};

/// The width of the search field.
const SEARCH_WIDTH: f32 = 220.0;

/// The board's ways of showing the backlog, and the windows the toolbar opens (Priorities, Sprint
/// planning, Research).
fn modes_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    ui.selectable_value(&mut state.mode, BoardMode::Board, "⊞ Board").on_hover_text("Show as board columns");
    ui.selectable_value(&mut state.mode, BoardMode::List, "☰ List").on_hover_text("Show as one ordered list");
    ui.selectable_value(
        &mut state.mode,
        BoardMode::Archived,
        format!("🗄 Archived ({})", crate::ui::widgets::count(workspace.archived_count())),
    )
    .on_hover_text("Items taken off the board; open one, or put it back");
    let priorities_open = state.priorities.is_some();
    if ui
        .selectable_label(priorities_open, "⚖ Priorities")
        .on_hover_text("Where rank, WSJF and RICE disagree")
        .clicked()
    {
        state.priorities =
            if priorities_open { None } else { workspace.columns.first().map(|column| column.column_id) };
    }
    ui.toggle_value(&mut state.sprint_planning, "🏃 Sprint planning")
        .on_hover_text("Plan cards into a sprint against its capacity");
    if ui.button("💡 Research").on_hover_text("UX research: personas, and the insights items answer").clicked() {
        actions.push(UiAction::ShowResearch);
    }
}

pub(super) fn filter_bar_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState, actions: &mut Vec<UiAction>) {
    // A filter by a persona follows its insights as they change; one by a record that is gone is dropped.
    if let Some(refreshed) = state.filter.research.as_ref().and_then(|research| research.refreshed(workspace)) {
        if refreshed.is_none() {
            actions.push(UiAction::Say(
                "The research filter was cleared: the insight or persona it showed is no longer in the workspace \
                 (deleted here or in another window)."
                    .to_owned(),
            ));
        }
        state.filter.research = refreshed;
    }
    ui.horizontal_wrapped(|ui| {
        modes_ui(ui, workspace, state, actions);
        ui.separator();
        if state.mode == BoardMode::Archived {
            // The archive has no filters or lanes.
            return;
        }
        if state.mode == BoardMode::List {
            ui.checkbox(&mut state.list_shows_done, "Show done items");
        } else {
            ui.checkbox(&mut state.lanes, "Swimlanes by epic")
                .on_hover_text("One row per epic; drag a card to another row to change its epic");
            if ui.button("+ Add column").on_hover_text("Add a workflow status at the right end of the board").clicked()
            {
                actions.push(UiAction::Apply(Command::Column(ColumnCommand::Add { name: "New column".to_owned() })));
            }
        }
        ui.separator();
        // The label and its field wrap to the next line together.
        let label_width = ui
            .painter()
            .layout_no_wrap(
                "🔍 Search".to_owned(),
                egui::TextStyle::Body.resolve(ui.style()),
                egui::Color32::PLACEHOLDER,
            )
            .size()
            .x;
        if ui.available_size_before_wrap().x < label_width + SEARCH_WIDTH + 3.0 * ui.spacing().item_spacing.x {
            ui.end_row();
        }
        let label = ui.label("🔍 Search");
        let search = ui
            .add(
                TextEdit::singleline(&mut state.filter.text)
                    .id_salt("board-search")
                    .hint_text("title, description or label")
                    .desired_width(SEARCH_WIDTH),
            )
            .labelled_by(label.id);
        if ui.input_mut(|input| input.consume_shortcut(&crate::ui::shortcuts::FIND)) {
            search.request_focus();
        }

        let kind_text = state.filter.kind.map_or("All kinds", ItemKind::label);
        ComboBox::from_id_salt("filter-kind")
            .selected_text(kind_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.kind, None, "All kinds");
                for kind in ItemKind::ALL {
                    ui.selectable_value(
                        &mut state.filter.kind,
                        Some(kind),
                        format!("{} {}", theme::kind_icon(kind), kind.label()),
                    );
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by kind"));

        let label_text =
            state.filter.label.clone().map_or_else(|| "All labels".to_owned(), |label| format!("#{label}"));
        ComboBox::from_id_salt("filter-label")
            .selected_text(label_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.label, None, "All labels");
                // The labels of cards on the board (derived once per change of what items say).
                for used in workspace.labels_in_use().iter().filter(|used| used.on_board > 0) {
                    let label = &used.label;
                    ui.selectable_value(&mut state.filter.label, Some(label.clone()), format!("#{label}"));
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by label"));
        ui.toggle_value(&mut state.label_colours, "🎨 Label colours").on_hover_text("Give labels colours");

        let epic_text = state
            .filter
            .epic
            .and_then(|id| workspace.epic(id))
            .map_or("All epics", |epic| epic.title.as_str())
            .to_owned();
        ComboBox::from_id_salt("filter-epic")
            .selected_text(epic_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.epic, None, "All epics");
                for epic in &workspace.epics {
                    ui.selectable_value(&mut state.filter.epic, Some(epic.epic_id), &epic.title);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by epic"));

        let sprint_text = state
            .filter
            .sprint
            .and_then(|id| workspace.sprint(id))
            .map_or("All sprints", |sprint| sprint.name.as_str())
            .to_owned();
        ComboBox::from_id_salt("filter-sprint")
            .selected_text(sprint_text)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.filter.sprint, None, "All sprints");
                for sprint in &workspace.sprints {
                    ui.selectable_value(&mut state.filter.sprint, Some(sprint.sprint_id), &sprint.name);
                }
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by sprint"));

        assignee_filter_ui(ui, workspace, state);
        research_filter_ui(ui, workspace, state);

        if state.group.len() > 1 {
            ui.label(
                RichText::new(format!(
                    "{} selected · drag one to move them all · Esc clears",
                    plural(state.group.len(), "card")
                ))
                .strong(),
            );
        }
        if state.filter.is_active() {
            state.refresh(workspace);
            match state.searching() {
                Some((tested, total)) => ui.label(format!(
                    "Searching… {}% of {} items (the board shows the last result until then)",
                    tested * 100 / total.max(1),
                    crate::ui::widgets::count(total)
                )),
                None => ui.label(format!(
                    "Showing {} of {}",
                    crate::ui::widgets::count(state.visible_count(workspace)),
                    crate::ui::widgets::count(workspace.item_count())
                )),
            };
            if ui.button("✖ Clear filters").clicked() {
                state.filter = ItemFilter::default();
            }
        }
    });
}

/// What a research filter lets through, in words that follow "the items that": "answer an insight",
/// "answer the insight '…'", "answer an insight about Sam".
#[must_use]
pub fn research_filter_words(research: &ResearchFilter, workspace: &Workspace) -> String {
    match research {
        ResearchFilter::AnyInsight => "answer an insight".to_owned(),
        ResearchFilter::Insight(insight_id) => {
            workspace.insights.iter().find(|insight| insight.insight_id == *insight_id).map_or_else(
                || "answer an insight".to_owned(),
                |insight| format!("answer the insight '{}'", insight.title),
            )
        }
        ResearchFilter::Persona { persona_id, .. } => {
            workspace.personas.iter().find(|persona| persona.persona_id == *persona_id).map_or_else(
                || "answer an insight".to_owned(),
                |persona| format!("answer an insight about {}", persona.name),
            )
        }
    }
}

/// The longest insight title the research filter shows as its choice; the list shows them whole.
const SHOWN_TITLE_CHARS: usize = 28;

/// The research filter: items answering any insight, one insight, or an insight about a persona.
fn research_filter_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState) {
    if workspace.insights.is_empty() && state.filter.research.is_none() {
        // Nothing to filter by until research is recorded (💡 Research).
        return;
    }
    let chosen = match &state.filter.research {
        None => "All research".to_owned(),
        Some(ResearchFilter::AnyInsight) => "💡 Answers an insight".to_owned(),
        Some(ResearchFilter::Insight(insight_id)) => {
            let title = workspace
                .insights
                .iter()
                .find(|insight| insight.insight_id == *insight_id)
                .map_or("", |insight| insight.title.as_str());
            if title.chars().count() > SHOWN_TITLE_CHARS {
                format!("💡 {}…", title.chars().take(SHOWN_TITLE_CHARS - 1).collect::<String>())
            } else {
                format!("💡 {title}")
            }
        }
        Some(ResearchFilter::Persona { persona_id, .. }) => format!(
            "For 👤 {}",
            workspace
                .personas
                .iter()
                .find(|persona| persona.persona_id == *persona_id)
                .map_or("", |persona| persona.name.as_str())
        ),
    };
    let research = &mut state.filter.research;
    ComboBox::from_id_salt("filter-research")
        .selected_text(chosen)
        .height(400.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(research, None, "All research");
            ui.selectable_value(research, Some(ResearchFilter::AnyInsight), "💡 Answers an insight")
                .on_hover_text("Items that answer an insight of UX research, any one");
            for persona in &workspace.personas {
                let filter = ResearchFilter::persona(persona.persona_id, workspace);
                ui.selectable_value(research, Some(filter), format!("For 👤 {}", persona.name))
                    .on_hover_text(format!("Items that answer an insight about {}", persona.name));
            }
            for insight in &workspace.insights {
                ui.selectable_value(
                    research,
                    Some(ResearchFilter::Insight(insight.insight_id)),
                    format!("💡 {}", insight.title),
                );
            }
        })
        .response
        .on_hover_text("Show only the items that answer UX research")
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by research"));
}

/// The assignee filter: anyone, nobody, or one of the workspace's people.
fn assignee_filter_ui(ui: &mut Ui, workspace: &Workspace, state: &mut BoardState) {
    let person_text = match &state.filter.assignee {
        None => "Anyone".to_owned(),
        Some(PersonFilter::Nobody) => "Unassigned".to_owned(),
        Some(PersonFilter::Named(name)) => format!("👤 {name}"),
    };
    ComboBox::from_id_salt("filter-assignee")
        .selected_text(person_text)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut state.filter.assignee, None, "Anyone");
            ui.selectable_value(&mut state.filter.assignee, Some(PersonFilter::Nobody), "Unassigned");
            for person in workspace.people().iter() {
                let label = format!("👤 {}", person.name);
                ui.selectable_value(&mut state.filter.assignee, Some(PersonFilter::Named(person.name.clone())), label);
            }
        })
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Filter by assignee"));
    let mut open = state.people.is_some();
    if ui
        .toggle_value(&mut open, "👥 People")
        .on_hover_text("Everyone on your items; rename a person everywhere")
        .changed()
    {
        if let Some(window) = state.people.as_mut() {
            // Closing: a new name typed and not saved is asked about first, as Esc and ✖ do.
            let dirty = window.is_dirty();
            if window.closing.request(dirty) {
                state.people = None;
            }
        } else {
            state.people = Some(super::people::PeopleWindow::default());
        }
    }
}
