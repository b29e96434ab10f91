//! The program increment window: a planning interval shaded across the roadmap (name, first and last
//! day), created, edited or deleted.

use egui::TextEdit;

use crate::app::{Command, RoadmapCommand};
use crate::model::{Date, IncrementId, ProgramIncrement, add_days};
use crate::ui::widgets::window::{Foot, FootText, WindowOutcome, record_foot_ui};

/// A program increment being created or edited.
#[derive(Clone, Debug)]
pub struct IncrementEditor {
    draft: ProgramIncrement,
    /// As stored when editing began (or when a save last said it changed elsewhere); for a new one,
    /// the draft it started from.
    base: ProgramIncrement,
    error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
    /// Asks before deleting.
    deleting: bool,
}

impl IncrementEditor {
    /// A new twelve-week increment starting the Monday of `today`'s week, or the day after the last
    /// increment ends when that is later (increments follow one another).
    #[must_use]
    pub fn new_increment(today: Date, last_end: Option<Date>) -> Self {
        let monday = crate::interchange::convert::monday_of(today);
        let start = last_end.map_or(monday, |end| monday.max(add_days(end, 1)));
        let draft = ProgramIncrement {
            increment_id: IncrementId(0),
            name: String::new(),
            start_date: start,
            end_date: add_days(start, 12 * 7 - 1),
        };
        Self::edit(&draft)
    }

    /// Edits a stored program increment.
    #[must_use]
    pub fn edit(increment: &ProgramIncrement) -> Self {
        Self {
            draft: increment.clone(),
            base: increment.clone(),
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
            deleting: false,
        }
    }

    fn is_new(&self) -> bool {
        self.draft.increment_id == IncrementId(0)
    }

    /// The increment being edited (`None` for a new one).
    #[must_use]
    pub fn increment_id(&self) -> Option<IncrementId> {
        (!self.is_new()).then_some(self.draft.increment_id)
    }

    /// Whether anything typed differs from what is stored.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft.name.trim() != self.base.name
            || self.draft.start_date != self.base.start_date
            || self.draft.end_date != self.base.end_date
    }

    /// It in words, for questions.
    #[must_use]
    pub fn what(&self) -> String {
        if self.is_new() {
            "the new program increment".to_owned()
        } else {
            format!("the program increment '{}'", self.base.name)
        }
    }

    fn saved(&mut self, current: Option<&ProgramIncrement>, others: &[ProgramIncrement]) -> Result<Command, String> {
        let mine = ProgramIncrement { name: self.draft.name.trim().to_owned(), ..self.draft.clone() };
        // Increments follow one another: overlapping ones would make the plan say two things at once.
        if let Some(other) = others.iter().find(|other| {
            other.increment_id != mine.increment_id
                && other.start_date <= mine.end_date
                && mine.start_date <= other.end_date
        }) {
            return Err(format!(
                "Not saved: these dates overlap {} ({} to {}). Program increments follow one another; start it on {} or later, or change {} first.",
                other.name,
                other.start_date.strftime("%-d %b %Y"),
                other.end_date.strftime("%-d %b %Y"),
                add_days(other.end_date, 1).strftime("%-d %b %Y"),
                other.name
            ));
        }
        if self.is_new() {
            mine.validate().map_err(|error| error.to_string())?;
            return Ok(Command::Roadmap(RoadmapCommand::CreateIncrement(mine)));
        }
        let what = self.what();
        let merged = crate::ui::widgets::saving::merged_for_save(
            &mut self.base,
            &mine,
            current,
            &what,
            crate::model::three_way::merge_increment,
            ProgramIncrement::validate,
        )?;
        Ok(Command::Roadmap(RoadmapCommand::UpdateIncrement(merged)))
    }
}

/// Shows the window; `current` is the increment as the workspace holds it now (`None` when new or
/// deleted meanwhile).
pub fn increment_editor_ui(
    ctx: &egui::Context,
    editor: &mut IncrementEditor,
    current: Option<&ProgramIncrement>,
    others: &[ProgramIncrement],
) -> WindowOutcome {
    let mut outcome = WindowOutcome::Open;
    let mut open = true;
    let title = if editor.is_new() {
        "New program increment".to_owned()
    } else {
        format!("Program increment: {}", editor.base.name)
    };
    crate::ui::widgets::window::titled(ctx, title)
        .id(egui::Id::unique("increment-editor"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("increment-fields").num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
                let label = ui.label("Name");
                let name = ui
                    .add(TextEdit::singleline(&mut editor.draft.name).hint_text("e.g. PI 27.2").desired_width(220.0))
                    .labelled_by(label.id);
                crate::ui::widgets::window::focus_when_opened(ui, &name);
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "First day", &mut editor.draft.start_date, "pi-start");
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "Last day", &mut editor.draft.end_date, "pi-end");
                ui.end_row();
            });
            let what = editor.what();
            let delete = (!editor.is_new() && current.is_some()).then_some("Delete increment…");
            let save = if editor.is_new() { "Add to the roadmap" } else { "Save" };
            let dirty = editor.is_dirty();
            let text = FootText { what: &what, save, delete };
            match record_foot_ui(ui, editor.error.as_deref(), &mut editor.closing, &mut editor.deleting, dirty, text) {
                Foot::Nothing => {}
                Foot::Close => outcome = WindowOutcome::Closed,
                Foot::Delete => {
                    outcome = WindowOutcome::Apply(Command::Roadmap(RoadmapCommand::DeleteIncrement(
                        editor.draft.increment_id,
                    )));
                }
                Foot::Save => match editor.saved(current, others) {
                    Ok(command) => outcome = WindowOutcome::Apply(command),
                    Err(error) => editor.error = Some(error),
                },
            }
        });
    // ✖ asks like Cancel when something is not saved.
    if !open && outcome == WindowOutcome::Open && editor.closing.request(editor.is_dirty()) {
        outcome = WindowOutcome::Closed;
    }
    outcome
}

/// The program increment window of the roadmap, while open; its command joins this frame's actions.
pub fn increment_window_ui(
    ctx: &egui::Context,
    workspace: &crate::model::Workspace,
    state: &mut super::RoadmapState,
    actions: &mut Vec<crate::ui::UiAction>,
) {
    let Some(editor) = state.increment_editor.as_mut() else {
        return;
    };
    let current =
        editor.increment_id().and_then(|id| workspace.increments.iter().find(|increment| increment.increment_id == id));
    match increment_editor_ui(ctx, editor, current, &workspace.increments) {
        WindowOutcome::Open => {}
        WindowOutcome::Closed => state.increment_editor = None,
        WindowOutcome::Apply(command) => {
            state.increment_editor = None;
            actions.push(crate::ui::UiAction::Apply(command));
        }
    }
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
