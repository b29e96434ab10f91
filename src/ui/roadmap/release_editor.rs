//! The release window: a release or milestone on the roadmap (name, date, kind, notes), created,
//! edited or deleted.

use egui::TextEdit;

use crate::app::{Command, RoadmapCommand};
use crate::model::{Date, Release, ReleaseId, ReleaseKind};
use crate::ui::widgets::window::{Foot, FootText, WindowOutcome, record_foot_ui};

/// A release or milestone being created or edited.
#[derive(Clone, Debug)]
pub struct ReleaseEditor {
    draft: Release,
    /// As stored when editing began (or when a save last said it changed elsewhere); for a new one,
    /// the empty draft it started from.
    base: Release,
    error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: crate::ui::widgets::window::CloseGuard,
    /// Asks before deleting.
    deleting: bool,
}

impl ReleaseEditor {
    /// A new release on `date`.
    #[must_use]
    pub fn new_release(date: Date) -> Self {
        let draft = Release {
            release_id: ReleaseId(0),
            name: String::new(),
            date,
            kind: ReleaseKind::Release,
            description: String::new(),
        };
        Self::edit(&draft)
    }

    /// Edits a stored release or milestone.
    #[must_use]
    pub fn edit(release: &Release) -> Self {
        Self {
            draft: release.clone(),
            base: release.clone(),
            error: None,
            closing: crate::ui::widgets::window::CloseGuard::default(),
            deleting: false,
        }
    }

    fn is_new(&self) -> bool {
        self.draft.release_id == ReleaseId(0)
    }

    /// The release or milestone being edited (`None` for a new one).
    #[must_use]
    pub fn release_id(&self) -> Option<ReleaseId> {
        (!self.is_new()).then_some(self.draft.release_id)
    }

    /// Whether anything typed differs from what is stored.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft.name.trim() != self.base.name
            || self.draft.date != self.base.date
            || self.draft.kind != self.base.kind
            || self.draft.description != self.base.description
    }

    /// It in words, for questions.
    #[must_use]
    pub fn what(&self) -> String {
        if self.is_new() {
            format!("the new {}", self.draft.kind.word())
        } else {
            format!("the {} '{}'", self.base.kind.word(), self.base.name)
        }
    }

    fn saved(&mut self, current: Option<&Release>) -> Result<Command, String> {
        let mine = Release { name: self.draft.name.trim().to_owned(), ..self.draft.clone() };
        if self.is_new() {
            mine.validate().map_err(|error| error.to_string())?;
            return Ok(Command::Roadmap(RoadmapCommand::CreateRelease(mine)));
        }
        let what = self.what();
        let merged = crate::ui::widgets::saving::merged_for_save(
            &mut self.base,
            &mine,
            current,
            &what,
            crate::model::three_way::merge_release,
            Release::validate,
        )?;
        Ok(Command::Roadmap(RoadmapCommand::UpdateRelease(merged)))
    }
}

/// Shows the window; `current` is the release as the workspace holds it now (`None` when new or
/// deleted meanwhile).
pub fn release_editor_ui(ctx: &egui::Context, editor: &mut ReleaseEditor, current: Option<&Release>) -> WindowOutcome {
    let mut outcome = WindowOutcome::Open;
    let mut open = true;
    let title = match editor.base.kind {
        _ if editor.is_new() => "New release or milestone".to_owned(),
        ReleaseKind::Release => format!("Release: {}", editor.base.name),
        ReleaseKind::Milestone => format!("Milestone: {}", editor.base.name),
    };
    crate::ui::widgets::window::titled(ctx, title)
        .id(egui::Id::unique("release-editor"))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new("release-fields").num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
                let label = ui.label("Name");
                let name = ui
                    .add(
                        TextEdit::singleline(&mut editor.draft.name)
                            .hint_text("e.g. 3.4 or Beta launch")
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                crate::ui::widgets::window::focus_when_opened(ui, &name);
                ui.end_row();
                ui.label("Kind");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut editor.draft.kind, ReleaseKind::Release, "◆ Release (shipped to users)");
                    ui.radio_value(&mut editor.draft.kind, ReleaseKind::Milestone, "▲ Milestone (any other date)");
                });
                ui.end_row();
                crate::ui::widgets::date_picker::date_field(ui, "Date", &mut editor.draft.date, "release-date");
                ui.end_row();
                let label = ui.label("Notes");
                ui.add(TextEdit::multiline(&mut editor.draft.description).desired_rows(3).desired_width(260.0))
                    .labelled_by(label.id);
                ui.end_row();
            });
            let what = editor.what();
            let delete_label = format!("Delete {}…", editor.base.kind.word());
            let delete = (!editor.is_new() && current.is_some()).then_some(delete_label.as_str());
            let save = if editor.is_new() { "Add to the roadmap" } else { "Save" };
            let dirty = editor.is_dirty();
            let text = FootText { what: &what, save, delete };
            match record_foot_ui(ui, editor.error.as_deref(), &mut editor.closing, &mut editor.deleting, dirty, text) {
                Foot::Nothing => {}
                Foot::Close => outcome = WindowOutcome::Closed,
                Foot::Delete => {
                    outcome =
                        WindowOutcome::Apply(Command::Roadmap(RoadmapCommand::DeleteRelease(editor.draft.release_id)));
                }
                Foot::Save => match editor.saved(current) {
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

/// The release window of the roadmap, while open; its command joins this frame's actions.
pub fn release_window_ui(
    ctx: &egui::Context,
    workspace: &crate::model::Workspace,
    state: &mut super::RoadmapState,
    actions: &mut Vec<crate::ui::UiAction>,
) {
    let Some(editor) = state.release_editor.as_mut() else {
        return;
    };
    let current = editor.release_id().and_then(|id| workspace.releases.iter().find(|release| release.release_id == id));
    match release_editor_ui(ctx, editor, current) {
        WindowOutcome::Open => {}
        WindowOutcome::Closed => state.release_editor = None,
        WindowOutcome::Apply(command) => {
            state.release_editor = None;
            actions.push(crate::ui::UiAction::Apply(command));
        }
    }
}
