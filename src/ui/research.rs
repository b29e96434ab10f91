//! UX research (💡 Research on the board's toolbar, View ▸ UX research…): the personas the product is
//! for and the insights research and feedback brought, each insight with the items that answer it. A
//! persona or an insight opens in a window of its own (the shared record window), created, edited or
//! deleted as one undoable command.

use egui::{RichText, TextEdit, Ui};

use crate::app::{Command, ResearchCommand};
use crate::model::{Insight, InsightId, InsightKind, Persona, PersonaId, ResearchFilter, ValidationError, Workspace};
use crate::ui::UiAction;
use crate::ui::widgets::record_window::{RecordEditor, RoadmapRecord, record_slot_ui};

/// A persona being created or edited.
pub type PersonaEditor = RecordEditor<Persona>;
/// An insight being created or edited.
pub type InsightEditor = RecordEditor<Insight>;

impl RoadmapRecord for Persona {
    type Id = PersonaId;
    const UNSAVED: PersonaId = PersonaId(0);
    const WINDOW: &'static str = "persona-editor";

    fn id(&self) -> PersonaId {
        self.persona_id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn trimmed(&self) -> Self {
        Self { name: self.name.trim().to_owned(), ..self.clone() }
    }

    fn word(&self) -> &'static str {
        "persona"
    }

    fn deleting_leaves(&self, workspace: &Workspace) -> Option<String> {
        let about = workspace.insights.iter().filter(|insight| insight.persona_id == Some(self.persona_id)).count();
        (about > 0).then(|| {
            let verb = if about == 1 { "stays" } else { "stay" };
            format!("{} about them {verb}, about no persona.", crate::interchange::convert::plural(about, "insight"))
        })
    }

    fn new_title() -> &'static str {
        "New persona"
    }

    fn add_label() -> &'static str {
        "Add persona"
    }

    fn validate(&self) -> Result<(), ValidationError> {
        Self::validate(self)
    }

    fn merge(base: &Self, mine: &Self, theirs: &Self) -> (Self, Vec<&'static str>) {
        crate::model::three_way::merge_persona(base, mine, theirs)
    }

    fn create(self) -> Command {
        Command::Research(ResearchCommand::CreatePersona(self))
    }

    fn update(self) -> Command {
        Command::Research(ResearchCommand::UpdatePersona(self))
    }

    fn delete(id: PersonaId) -> Command {
        Command::Research(ResearchCommand::DeletePersona(id))
    }

    fn fields_ui(ui: &mut Ui, draft: &mut Self, _workspace: &Workspace) {
        let label = ui.label("Name");
        let name = ui
            .add(
                TextEdit::singleline(&mut draft.name)
                    .hint_text("e.g. Sam, shops with a screen reader")
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
        crate::ui::widgets::window::focus_when_opened(ui, &name);
        ui.end_row();
        let label = ui.label("Who they are");
        ui.add(
            TextEdit::multiline(&mut draft.description)
                .hint_text("Goals, needs, frustrations, access needs")
                .desired_rows(5)
                .desired_width(300.0),
        )
        .labelled_by(label.id);
        ui.end_row();
    }
}

impl RoadmapRecord for Insight {
    type Id = InsightId;
    const UNSAVED: InsightId = InsightId(0);
    const WINDOW: &'static str = "insight-editor";

    fn id(&self) -> InsightId {
        self.insight_id
    }

    fn name(&self) -> &str {
        &self.title
    }

    fn trimmed(&self) -> Self {
        Self { title: self.title.trim().to_owned(), source: self.source.trim().to_owned(), ..self.clone() }
    }

    fn word(&self) -> &'static str {
        "insight"
    }

    fn deleting_leaves(&self, workspace: &Workspace) -> Option<String> {
        let answering = workspace.all_items().filter(|item| item.details.insight_id == Some(self.insight_id)).count();
        (answering > 0).then(|| {
            let verb = if answering == 1 { "stays" } else { "stay" };
            format!(
                "{} answering it {verb} on the board, answering none.",
                crate::interchange::convert::plural(answering, "item")
            )
        })
    }

    fn new_title() -> &'static str {
        "New insight"
    }

    fn add_label() -> &'static str {
        "Add insight"
    }

    fn validate(&self) -> Result<(), ValidationError> {
        Self::validate(self)
    }

    fn merge(base: &Self, mine: &Self, theirs: &Self) -> (Self, Vec<&'static str>) {
        crate::model::three_way::merge_insight(base, mine, theirs)
    }

    fn create(self) -> Command {
        Command::Research(ResearchCommand::CreateInsight(self))
    }

    fn update(self) -> Command {
        Command::Research(ResearchCommand::UpdateInsight(self))
    }

    fn delete(id: InsightId) -> Command {
        Command::Research(ResearchCommand::DeleteInsight(id))
    }

    fn fields_ui(ui: &mut Ui, draft: &mut Self, workspace: &Workspace) {
        let label = ui.label("Insight");
        let title = ui
            .add(TextEdit::singleline(&mut draft.title).hint_text("What was learnt, in one line").desired_width(320.0))
            .labelled_by(label.id);
        crate::ui::widgets::window::focus_when_opened(ui, &title);
        ui.end_row();
        let label = ui.label("Kind");
        egui::ComboBox::from_id_salt("insight-kind")
            .selected_text(draft.kind.label())
            .show_ui(ui, |ui| {
                for kind in InsightKind::ALL {
                    ui.selectable_value(&mut draft.kind, kind, kind.label());
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Source");
        ui.add(TextEdit::singleline(&mut draft.source).hint_text("e.g. Interviews, 8 households").desired_width(320.0))
            .labelled_by(label.id);
        ui.end_row();
        let today = jiff::Zoned::now().date();
        crate::ui::widgets::date_picker::optional_date_field(
            ui,
            "Observed on",
            &mut draft.observed_on,
            "insight-day",
            today,
        );
        ui.end_row();
        let label = ui.label("About persona");
        let chosen = draft.persona_id.map(|id| {
            workspace
                .personas
                .iter()
                .find(|persona| persona.persona_id == id)
                .map_or_else(|| "(a persona deleted meanwhile)".to_owned(), |persona| persona.name.clone())
        });
        egui::ComboBox::from_id_salt("insight-persona")
            .selected_text(chosen.as_deref().unwrap_or("None"))
            .width(320.0)
            .truncate()
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.persona_id, None, "None");
                for persona in &workspace.personas {
                    ui.selectable_value(&mut draft.persona_id, Some(persona.persona_id), persona.name.as_str());
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Measured on KPI");
        let chosen = draft.metric_id.map(|id| {
            workspace
                .metrics
                .iter()
                .find(|metric| metric.metric_id == id)
                .map_or_else(|| "(a KPI deleted meanwhile)".to_owned(), |metric| metric.name.clone())
        });
        egui::ComboBox::from_id_salt("insight-kpi")
            .selected_text(chosen.as_deref().unwrap_or("None"))
            .width(320.0)
            .height(400.0)
            .truncate()
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.metric_id, None, "None");
                for metric in &workspace.metrics {
                    ui.selectable_value(&mut draft.metric_id, Some(metric.metric_id), metric.name.as_str());
                }
            })
            .response
            .on_hover_text(
                "The KPI this insight moved or is measured on: an A/B test's conversion, a task's success rate",
            )
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Evidence");
        ui.add(
            TextEdit::multiline(&mut draft.detail)
                .hint_text("Quotes, numbers, what was seen")
                .desired_rows(5)
                .desired_width(320.0),
        )
        .labelled_by(label.id);
        ui.end_row();
    }
}

/// The research window and the persona and insight windows, while open.
#[derive(Clone, Debug, Default)]
pub struct ResearchState {
    /// Whether the research window is open.
    pub open: bool,
    /// The persona window.
    pub persona_editor: Option<PersonaEditor>,
    /// The insight window.
    pub insight_editor: Option<InsightEditor>,
}

impl ResearchState {
    /// The persona and insight windows with unsaved edits, in words.
    #[must_use]
    pub fn dirty_windows(&self) -> Vec<String> {
        let persona = self.persona_editor.as_ref().filter(|editor| editor.is_dirty()).map(RecordEditor::what);
        let insight = self.insight_editor.as_ref().filter(|editor| editor.is_dirty()).map(RecordEditor::what);
        persona.into_iter().chain(insight).collect()
    }
}

/// A small button showing `text`, named `name` for screen readers (and on hover), since every row has one.
fn named_button(ui: &mut Ui, text: &str, name: &str) -> egui::Response {
    let button = ui.small_button(text);
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    button.on_hover_text(name)
}

/// A new, empty insight (a research finding), about `persona` when one is given.
fn new_insight(persona_id: Option<PersonaId>) -> Insight {
    Insight {
        metric_id: None,
        insight_id: InsightId(0),
        title: String::new(),
        kind: InsightKind::Finding,
        source: String::new(),
        observed_on: None,
        persona_id,
        detail: String::new(),
    }
}

/// Draws the research window and the record windows; their commands join this frame's actions.
pub fn research_ui(ctx: &egui::Context, workspace: &Workspace, state: &mut ResearchState, actions: &mut Vec<UiAction>) {
    if state.open {
        let mut open = true;
        let before = actions.len();
        crate::ui::widgets::window::titled(ctx, "UX research")
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .default_height(620.0)
            .show(ctx, |ui| {
                // The window keeps its height and the list scrolls inside it.
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    personas_ui(ui, workspace, state, actions);
                    ui.add_space(10.0);
                    insights_ui(ui, workspace, state, actions);
                });
            });
        // A way to the board or to a KPI's chart leaves the window, so that what it shows is not behind it.
        let leaves = actions
            .get(before..)
            .unwrap_or_default()
            .iter()
            .any(|action| matches!(action, UiAction::ShowResearchOnBoard(_) | UiAction::ShowKpi(_)));
        state.open = open && !leaves;
    }
    record_slot_ui(ctx, &mut state.persona_editor, (&workspace.personas, workspace), actions, &mut |_, _| {});
    let mut opened = Vec::new();
    record_slot_ui(ctx, &mut state.insight_editor, (&workspace.insights, workspace), actions, &mut |ui, insight| {
        answering_ui(ui, workspace, insight, &mut opened);
    });
    actions.extend(opened);
}

fn personas_ui(ui: &mut Ui, workspace: &Workspace, state: &mut ResearchState, actions: &mut Vec<UiAction>) {
    ui.horizontal(|ui| {
        crate::ui::widgets::a11y::heading(ui, "Personas");
        if ui.button("+ Persona").on_hover_text("Someone the product is for").clicked() {
            let persona = Persona { persona_id: PersonaId(0), name: String::new(), description: String::new() };
            crate::ui::widgets::window::open_window(&mut state.persona_editor, PersonaEditor::edit(&persona), actions);
        }
    });
    if workspace.personas.is_empty() {
        ui.label(RichText::new("No personas yet: add who the product is for, with + Persona.").weak());
    }
    for persona in &workspace.personas {
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("👤 {}", persona.name)).strong());
                let about =
                    workspace.insights.iter().filter(|insight| insight.persona_id == Some(persona.persona_id)).count();
                ui.label(RichText::new(crate::interchange::convert::plural(about, "insight")).weak());
                if named_button(ui, "Edit", &format!("Edit the persona '{}'", persona.name)).clicked() {
                    crate::ui::widgets::window::open_window(
                        &mut state.persona_editor,
                        PersonaEditor::edit(persona),
                        actions,
                    );
                }
                if named_button(ui, "+ Insight", &format!("New insight about {}", persona.name)).clicked() {
                    let insight = new_insight(Some(persona.persona_id));
                    crate::ui::widgets::window::open_window(
                        &mut state.insight_editor,
                        InsightEditor::edit(&insight),
                        actions,
                    );
                }
                if about > 0
                    && named_button(ui, "Show on board", &format!("Show the items for {} on the board", persona.name))
                        .clicked()
                {
                    actions.push(UiAction::ShowResearchOnBoard(ResearchFilter::persona(persona.persona_id, workspace)));
                }
            });
            if !persona.description.is_empty() {
                ui.add(egui::Label::new(RichText::new(&persona.description).weak()).wrap());
            }
        });
    }
}

fn insights_ui(ui: &mut Ui, workspace: &Workspace, state: &mut ResearchState, actions: &mut Vec<UiAction>) {
    ui.horizontal(|ui| {
        crate::ui::widgets::a11y::heading(ui, "Insights");
        if ui.button("+ Insight").on_hover_text("A finding, feedback, a usability test or an experiment").clicked() {
            crate::ui::widgets::window::open_window(
                &mut state.insight_editor,
                InsightEditor::edit(&new_insight(None)),
                actions,
            );
        }
    });
    if workspace.insights.is_empty() {
        ui.label(RichText::new("No insights yet: add what research and feedback told you, with + Insight.").weak());
    }
    for insight in &workspace.insights {
        ui.group(|ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("💡 {}", insight.title)).strong());
                if named_button(ui, "Edit", &format!("Edit the insight '{}'", insight.title)).clicked() {
                    crate::ui::widgets::window::open_window(
                        &mut state.insight_editor,
                        InsightEditor::edit(insight),
                        actions,
                    );
                }
            });
            ui.add(egui::Label::new(RichText::new(insight_line(insight, workspace)).weak()).wrap());
            if let Some(metric) =
                insight.metric_id.and_then(|id| workspace.metrics.iter().find(|metric| metric.metric_id == id))
                && ui
                    .link(format!("📈 Measured on the KPI '{}'", metric.name))
                    .on_hover_text("Show this KPI's chart")
                    .clicked()
            {
                actions.push(UiAction::ShowKpi(metric.metric_id));
            }
            if !insight.detail.is_empty() {
                ui.add(egui::Label::new(RichText::new(&insight.detail).italics()).wrap());
            }
            answering_ui(ui, workspace, insight, actions);
        });
    }
}

/// Where an insight comes from, in one line: "Usability test · Lab sessions, 6 people · 12 Nov 2026 ·
/// about Sam".
fn insight_line(insight: &Insight, workspace: &Workspace) -> String {
    let mut parts = vec![insight.kind.label().to_owned()];
    if !insight.source.is_empty() {
        parts.push(insight.source.clone());
    }
    if let Some(day) = insight.observed_on {
        parts.push(day.strftime("%-d %b %Y").to_string());
    }
    if let Some(persona) =
        insight.persona_id.and_then(|id| workspace.personas.iter().find(|persona| persona.persona_id == id))
    {
        parts.push(format!("about {}", persona.name));
    }
    parts.join(" · ")
}

/// The items that answer an insight, each a link that opens it, with its column in words.
fn answering_ui(ui: &mut Ui, workspace: &Workspace, insight: &Insight, actions: &mut Vec<UiAction>) {
    let items: Vec<_> =
        workspace.all_items().filter(|item| item.details.insight_id == Some(insight.insight_id)).collect();
    if items.is_empty() {
        ui.label(RichText::new("No item answers it yet: choose it as an item's \"Answers insight\".").weak());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("Answered by {}:", crate::interchange::convert::plural(items.len(), "item")));
        // Archived items are off the board: the board can show only the others.
        if items.iter().any(|item| item.details.archived_at.is_none())
            && named_button(ui, "Show on board", &format!("Show the items answering '{}' on the board", insight.title))
                .clicked()
        {
            actions.push(UiAction::ShowResearchOnBoard(ResearchFilter::Insight(insight.insight_id)));
        }
    });
    for item in items {
        let column = workspace.column(item.column_id).map_or("", |column| column.name.as_str());
        let state = if item.details.archived_at.is_some() { format!("{column}, archived") } else { column.to_owned() };
        if ui.link(format!("{} ({state})", item.title)).on_hover_text("Open this item").clicked() {
            actions.push(UiAction::EditItem(item.item_id));
        }
    }
}
