//! The program increment window: a planning interval shaded across the roadmap (name, first and last
//! day), created, edited or deleted.

use egui::TextEdit;

use crate::app::{Command, RoadmapCommand};
use crate::model::{Date, IncrementId, Objective, Predictability, ProgramIncrement, ValidationError, add_days};
use crate::ui::widgets::record_window::{RecordEditor, RoadmapRecord};

/// A program increment being created or edited.
pub type IncrementEditor = RecordEditor<ProgramIncrement>;

impl RoadmapRecord for ProgramIncrement {
    type Id = IncrementId;
    const UNSAVED: IncrementId = IncrementId(0);
    const WINDOW: &'static str = "increment-editor";

    fn id(&self) -> IncrementId {
        self.increment_id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn trimmed(&self) -> Self {
        Self { name: self.name.trim().to_owned(), ..self.clone() }
    }

    fn word(&self) -> &'static str {
        "program increment"
    }

    fn new_title() -> &'static str {
        "New program increment"
    }

    fn validate(&self) -> Result<(), ValidationError> {
        Self::validate(self)
    }

    fn merge(base: &Self, mine: &Self, theirs: &Self) -> (Self, Vec<&'static str>) {
        crate::model::three_way::merge_increment(base, mine, theirs)
    }

    /// Increments follow one another: overlapping ones would make the plan say two things at once.
    fn refusal(&self, others: &[Self]) -> Option<String> {
        let other = others.iter().find(|other| {
            other.increment_id != self.increment_id
                && other.start_date <= self.end_date
                && self.start_date <= other.end_date
        })?;
        Some(format!(
            "Not saved: these dates overlap {} ({} to {}). Program increments follow one another; start it on {} or later, or change {} first.",
            other.name,
            other.start_date.strftime("%-d %b %Y"),
            other.end_date.strftime("%-d %b %Y"),
            add_days(other.end_date, 1).strftime("%-d %b %Y"),
            other.name
        ))
    }

    fn create(self) -> Command {
        Command::Roadmap(RoadmapCommand::CreateIncrement(self))
    }

    fn update(self) -> Command {
        Command::Roadmap(RoadmapCommand::UpdateIncrement(self))
    }

    fn delete(id: IncrementId) -> Command {
        Command::Roadmap(RoadmapCommand::DeleteIncrement(id))
    }

    fn fields_ui(ui: &mut egui::Ui, draft: &mut Self, _workspace: &crate::model::Workspace) {
        let label = ui.label("Name");
        let name = ui
            .add(TextEdit::singleline(&mut draft.name).hint_text("e.g. PI 27.2").desired_width(220.0))
            .labelled_by(label.id);
        crate::ui::widgets::window::focus_when_opened(ui, &name);
        ui.end_row();
        crate::ui::widgets::date_picker::date_field(ui, "First day", &mut draft.start_date, "pi-start");
        ui.end_row();
        crate::ui::widgets::date_picker::date_field(ui, "Last day", &mut draft.end_date, "pi-end");
        ui.end_row();
    }
}

impl IncrementEditor {
    /// A new twelve-week increment starting the Monday of `today`'s week, or the day after the last
    /// increment ends when that is later (increments follow one another).
    #[must_use]
    pub fn new_increment(today: Date, last_end: Option<Date>) -> Self {
        let monday = crate::interchange::convert::monday_of(today);
        let start = last_end.map_or(monday, |end| monday.max(add_days(end, 1)));
        Self::edit(&ProgramIncrement {
            increment_id: IncrementId(0),
            name: String::new(),
            start_date: start,
            end_date: add_days(start, 12 * 7 - 1),
        })
    }
}

/// The program increment window of the roadmap, while open; its command joins this frame's actions.
pub fn increment_window_ui(
    ctx: &egui::Context,
    workspace: &crate::model::Workspace,
    state: &mut super::RoadmapState,
    actions: &mut Vec<crate::ui::UiAction>,
) {
    let mut show_objectives = false;
    crate::ui::widgets::record_window::record_slot_ui(
        ctx,
        &mut state.increment_editor,
        (&workspace.increments, workspace),
        actions,
        &mut |ui, increment| show_objectives |= objectives_ui(ui, &workspace.objectives, increment),
    );
    if show_objectives {
        actions.push(crate::ui::UiAction::ShowObjectives);
    }
}

/// The objectives set for the increment at PI planning, each with its business values in words, and
/// how predictable the increment was (SAFe's measure: value achieved against value planned); returns
/// whether the user asked for the Objectives panel, where they are edited.
fn objectives_ui(ui: &mut egui::Ui, objectives: &[Objective], increment: &ProgramIncrement) -> bool {
    ui.separator();
    crate::ui::widgets::a11y::heading(ui, "PI objectives");
    let set: Vec<&Objective> =
        objectives.iter().filter(|objective| objective.increment_id == Some(increment.increment_id)).collect();
    for objective in &set {
        ui.add(egui::Label::new(format!("• {}: {}.", objective.title, objective.value_words())).wrap());
    }
    let measure = Predictability::of(set.iter().copied(), increment.increment_id);
    ui.add(egui::Label::new(egui::RichText::new(measure.words()).strong()).wrap());
    let words = if set.is_empty() {
        "Set objectives for it in the Objectives panel"
    } else {
        "Edit them in the Objectives panel"
    };
    ui.link(words).on_hover_text("The roadmap's Objectives and key results panel").clicked()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn increment(id: i64, name: &str, start: Date, end: Date) -> ProgramIncrement {
        ProgramIncrement { increment_id: IncrementId(id), name: name.to_owned(), start_date: start, end_date: end }
    }

    #[test]
    fn a_new_increment_starts_after_the_last_and_an_overlapping_one_is_refused_in_words() {
        let today = jiff::civil::date(2026, 11, 18);
        let last = increment(1, "PI 27.1", jiff::civil::date(2026, 11, 2), jiff::civil::date(2027, 1, 24));
        let mut editor = IncrementEditor::new_increment(today, Some(last.end_date));
        assert_eq!(editor.draft.start_date, jiff::civil::date(2027, 1, 25), "the day after the last one ends");
        editor.draft.name = "PI 27.2".to_owned();
        assert!(editor.saved(None, std::slice::from_ref(&last)).is_ok());

        // The Monday of this week falls inside PI 27.1: refused, saying with what and from when it may start.
        let mut editor = IncrementEditor::new_increment(today, None);
        editor.draft.name = "PI 27.2".to_owned();
        let Err(refusal) = editor.saved(None, std::slice::from_ref(&last)) else {
            panic!("an overlapping increment was accepted")
        };
        assert!(refusal.contains("overlap PI 27.1 (2 Nov 2026 to 24 Jan 2027)"), "{refusal}");
        assert!(refusal.contains("start it on 25 Jan 2027 or later"), "{refusal}");

        // An increment never overlaps itself when it is saved again.
        let mut editor = IncrementEditor::edit(&last);
        assert!(editor.saved(Some(&last), std::slice::from_ref(&last)).is_ok());
    }
}
