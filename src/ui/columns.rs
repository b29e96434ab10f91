//! The column settings window: name, WIP limit and done flag of one board column.

use egui::{Grid, TextEdit};

use super::widgets::window::{Foot, FootText, WindowOutcome, record_foot_ui};
use crate::app::{ColumnCommand, Command};
use crate::model::{Column, ValidationError};

/// A column being edited.
#[derive(Clone, Debug)]
pub struct ColumnEditor {
    column: Column,
    /// The column as stored when editing began (or when a save last said it changed elsewhere).
    base: Column,
    wip_limit: String,
    /// Why the last save was refused, shown above the window's buttons.
    pub(crate) error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
}

impl ColumnEditor {
    /// Starts editing a column.
    #[must_use]
    pub fn new(column: &Column) -> Self {
        Self {
            wip_limit: column.wip_limit.map(|limit| limit.to_string()).unwrap_or_default(),
            column: column.clone(),
            base: column.clone(),
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
        }
    }

    /// Whether anything typed differs from the column as stored.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.column.name != self.base.name
            || self.column.is_done != self.base.is_done
            || self.wip_limit.trim() != self.base.wip_limit.map(|limit| limit.to_string()).unwrap_or_default()
    }

    /// The column in words, for questions.
    #[must_use]
    pub fn what(&self) -> String {
        format!("the column '{}'", self.base.name)
    }

    /// The column being edited.
    #[must_use]
    pub fn column_id(&self) -> crate::model::ColumnId {
        self.column.column_id
    }

    /// The column to save over `current` (what the workspace holds now): the user's name, WIP limit and
    /// done flag on top of what changed elsewhere meanwhile; its place always stays as it is now.
    fn saved(&mut self, current: Option<&Column>) -> Result<Column, String> {
        let mine = self.finished().map_err(|error| error.to_string())?;
        let what = format!("the column '{}'", self.base.name);
        crate::ui::widgets::saving::merged_for_save(
            &mut self.base,
            &mine,
            current,
            &what,
            crate::model::three_way::merge_column,
            Column::validate,
        )
    }

    fn finished(&self) -> Result<Column, ValidationError> {
        let mut column = self.column.clone();
        let text = self.wip_limit.trim();
        column.wip_limit = if text.is_empty() {
            None
        } else {
            Some(
                text.parse::<u32>()
                    .ok()
                    .filter(|limit| *limit > 0)
                    .ok_or(ValidationError::NotACount { field: "WIP limit" })?,
            )
        };
        column.name = column.name.trim().to_owned();
        column.validate()?;
        Ok(column)
    }
}

crate::ui::widgets::window::draft_window!(ColumnEditor, |one, other| one.column_id() == other.column_id());

/// Shows the window.
pub fn column_editor_ui(ctx: &egui::Context, editor: &mut ColumnEditor, current: Option<&Column>) -> WindowOutcome {
    let mut outcome = WindowOutcome::Open;
    let mut open = true;
    crate::ui::widgets::window::titled(ctx, "Column settings")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            Grid::new("column-settings").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
                let label = ui.label("Column name");
                let name =
                    ui.add(TextEdit::singleline(&mut editor.column.name).desired_width(220.0)).labelled_by(label.id);
                crate::ui::widgets::window::focus_when_opened(ui, &name);
                ui.end_row();
                let label = ui.label("WIP limit");
                ui.add(TextEdit::singleline(&mut editor.wip_limit).hint_text("no limit").desired_width(80.0))
                    .labelled_by(label.id);
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut editor.column.is_done, "Items here are done (accepted)");
                ui.end_row();
            });
            let what = editor.what();
            let dirty = editor.is_dirty();
            let text = FootText { what: &what, save: "Save column", delete: None, leaves: None };
            let mut never = false;
            match record_foot_ui(ui, editor.error.as_deref(), &mut editor.closing, &mut never, dirty, text) {
                Foot::Nothing | Foot::Delete => {}
                Foot::Close => outcome = WindowOutcome::Closed,
                Foot::Save => match editor.saved(current) {
                    Ok(column) => outcome = WindowOutcome::Apply(Command::Column(ColumnCommand::Update(column))),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ColumnId;

    #[test]
    fn the_wip_limit_message_matches_what_it_accepts() {
        let column =
            Column { column_id: ColumnId(1), name: "Ready".to_owned(), position: 1, wip_limit: None, is_done: false };
        let mut editor = ColumnEditor::new(&column);
        for refused in ["2.5", "0", "-1", "lots"] {
            editor.wip_limit = refused.to_owned();
            let Err(error) = editor.finished() else { panic!("{refused} was accepted") };
            let message = error.to_string();
            assert!(message.contains("whole number above zero"), "{refused}: {message}");
            assert!(!message.contains("2.5"), "the message must not suggest what it refuses: {message}");
        }
        editor.wip_limit = " 3 ".to_owned();
        assert_eq!(editor.finished().ok().and_then(|column| column.wip_limit), Some(3));
        editor.wip_limit = String::new();
        assert_eq!(editor.finished().ok().map(|column| column.wip_limit), Some(None));
    }
}
