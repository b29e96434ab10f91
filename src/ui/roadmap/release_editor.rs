//! The release window: a release or milestone on the roadmap (name, date, kind, notes), created,
//! edited or deleted.

use egui::TextEdit;

use crate::app::{Command, RoadmapCommand};
use crate::model::{Date, Release, ReleaseId, ReleaseKind, ValidationError};
use crate::ui::widgets::record_window::{RecordEditor, RoadmapRecord};

/// A release or milestone being created or edited.
pub type ReleaseEditor = RecordEditor<Release>;

impl RoadmapRecord for Release {
    type Id = ReleaseId;
    const UNSAVED: ReleaseId = ReleaseId(0);
    const WINDOW: &'static str = "release-editor";

    fn id(&self) -> ReleaseId {
        self.release_id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn trimmed(&self) -> Self {
        Self { name: self.name.trim().to_owned(), ..self.clone() }
    }

    fn word(&self) -> &'static str {
        self.kind.word()
    }

    fn new_title() -> &'static str {
        "New release or milestone"
    }

    fn validate(&self) -> Result<(), ValidationError> {
        Self::validate(self)
    }

    fn merge(base: &Self, mine: &Self, theirs: &Self) -> (Self, Vec<&'static str>) {
        crate::model::three_way::merge_release(base, mine, theirs)
    }

    fn create(self) -> Command {
        Command::Roadmap(RoadmapCommand::CreateRelease(self))
    }

    fn update(self) -> Command {
        Command::Roadmap(RoadmapCommand::UpdateRelease(self))
    }

    fn delete(id: ReleaseId) -> Command {
        Command::Roadmap(RoadmapCommand::DeleteRelease(id))
    }

    fn fields_ui(ui: &mut egui::Ui, draft: &mut Self, _workspace: &crate::model::Workspace) {
        let label = ui.label("Name");
        let name = ui
            .add(TextEdit::singleline(&mut draft.name).hint_text("e.g. 3.4 or Beta launch").desired_width(260.0))
            .labelled_by(label.id);
        crate::ui::widgets::window::focus_when_opened(ui, &name);
        ui.end_row();
        ui.label("Kind");
        ui.horizontal(|ui| {
            ui.radio_value(&mut draft.kind, ReleaseKind::Release, "◆ Release (shipped to users)");
            ui.radio_value(&mut draft.kind, ReleaseKind::Milestone, "▲ Milestone (any other date)");
        });
        ui.end_row();
        crate::ui::widgets::date_picker::date_field(ui, "Date", &mut draft.date, "release-date");
        ui.end_row();
        let label = ui.label("Notes");
        ui.add(TextEdit::multiline(&mut draft.description).desired_rows(3).desired_width(260.0)).labelled_by(label.id);
        ui.end_row();
    }
}

impl ReleaseEditor {
    /// A new release on `date`.
    #[must_use]
    pub fn new_release(date: Date) -> Self {
        Self::edit(&Release {
            release_id: ReleaseId(0),
            name: String::new(),
            date,
            kind: ReleaseKind::Release,
            description: String::new(),
        })
    }
}

/// The release window of the roadmap, while open; its command joins this frame's actions.
pub fn release_window_ui(
    ctx: &egui::Context,
    workspace: &crate::model::Workspace,
    state: &mut super::RoadmapState,
    actions: &mut Vec<crate::ui::UiAction>,
) {
    crate::ui::widgets::record_window::record_slot_ui(
        ctx,
        &mut state.release_editor,
        (&workspace.releases, workspace),
        actions,
        &mut |_, _| {},
    );
}
