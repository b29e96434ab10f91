//! What the windows of a release, a program increment, a persona and an insight share: a draft beside
//! the record as stored (so the window knows what is unsaved), the window with its fields, and its foot
//! (Save, Cancel, Delete…, and the questions before typing is lost or a record deleted). Each record says
//! what differs: its words, its fields, and its commands.

use crate::app::Command;
use crate::model::ValidationError;
use crate::ui::widgets::window::{CloseGuard, Foot, FootText, WindowOutcome, record_foot_ui};

/// A record that has a window of its own.
pub trait RoadmapRecord: Clone + PartialEq {
    /// Its id.
    type Id: Copy + PartialEq;
    /// The id of a record not stored yet.
    const UNSAVED: Self::Id;
    /// The window's id, one per kind of record.
    const WINDOW: &'static str;

    /// Its id.
    fn id(&self) -> Self::Id;
    /// Its name.
    fn name(&self) -> &str;
    /// It as it is saved (its name trimmed).
    #[must_use]
    fn trimmed(&self) -> Self;
    /// What it is, in words: "release", "milestone", "program increment".
    fn word(&self) -> &'static str;
    /// The window's title for one not stored yet.
    fn new_title() -> &'static str;
    /// The button that stores one not stored yet.
    #[must_use]
    fn add_label() -> &'static str {
        "Add to the roadmap"
    }
    /// Its own checks.
    ///
    /// # Errors
    /// What is wrong with it.
    fn validate(&self) -> Result<(), ValidationError>;
    /// Three-way merge of a save over a change made elsewhere meanwhile.
    fn merge(base: &Self, mine: &Self, theirs: &Self) -> (Self, Vec<&'static str>);
    /// What deleting it leaves behind in `workspace`, in a sentence for the question before, if anything.
    fn deleting_leaves(&self, _workspace: &crate::model::Workspace) -> Option<String> {
        None
    }
    /// Why it cannot be saved beside `others` (the workspace's records of its kind), if it cannot.
    fn refusal(&self, _others: &[Self]) -> Option<String> {
        None
    }
    /// The command that stores a new one.
    fn create(self) -> Command;
    /// The command that saves an edited one.
    fn update(self) -> Command;
    /// The command that deletes the one with `id`.
    fn delete(id: Self::Id) -> Command;
    /// Its fields, in a two-column grid; `workspace` for the records it may name.
    fn fields_ui(ui: &mut egui::Ui, draft: &mut Self, workspace: &crate::model::Workspace);
}

/// A record being created or edited.
#[derive(Clone, Debug)]
pub struct RecordEditor<R> {
    pub(crate) draft: R,
    /// As stored when editing began (or when a save last said it changed elsewhere); for a new one,
    /// the draft it started from.
    base: R,
    error: Option<String>,
    /// Asks before closing with unsaved changes.
    pub closing: CloseGuard,
    /// Asks before deleting.
    deleting: bool,
}

impl<R: RoadmapRecord> RecordEditor<R> {
    /// Edits `record` (a new one when its id is [`RoadmapRecord::UNSAVED`]).
    #[must_use]
    pub fn edit(record: &R) -> Self {
        Self {
            draft: record.clone(),
            base: record.clone(),
            error: None,
            closing: CloseGuard::default(),
            deleting: false,
        }
    }

    fn is_new(&self) -> bool {
        self.draft.id() == R::UNSAVED
    }

    /// The record being edited (`None` for a new one).
    #[must_use]
    pub fn record_id(&self) -> Option<R::Id> {
        (!self.is_new()).then(|| self.draft.id())
    }

    /// Whether anything typed differs from what is stored.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.draft.trimmed() != self.base
    }

    /// It in words, for questions: "the new milestone", "the program increment 'PI 27.1'".
    #[must_use]
    pub fn what(&self) -> String {
        if self.is_new() {
            format!("the new {}", self.draft.word())
        } else {
            format!("the {} '{}'", self.base.word(), self.base.name())
        }
    }

    pub(crate) fn saved(&mut self, current: Option<&R>, others: &[R]) -> Result<Command, String> {
        let mine = self.draft.trimmed();
        if let Some(refusal) = mine.refusal(others) {
            return Err(refusal);
        }
        if self.is_new() {
            mine.validate().map_err(|error| error.to_string())?;
            return Ok(mine.create());
        }
        let what = self.what();
        let merged =
            crate::ui::widgets::saving::merged_for_save(&mut self.base, &mine, current, &what, R::merge, R::validate)?;
        Ok(merged.update())
    }
}

impl<R: RoadmapRecord> crate::ui::widgets::window::Draft for RecordEditor<R> {
    fn is_dirty(&self) -> bool {
        Self::is_dirty(self)
    }

    fn what(&self) -> String {
        Self::what(self)
    }

    fn same_record(&self, other: &Self) -> bool {
        self.draft.id() == other.draft.id()
    }
}

/// Shows the window; `current` is the record as the workspace holds it now (`None` when new or
/// deleted meanwhile), `others` every record of its kind. `below` draws what the record leads to
/// (a program increment's objectives) under its fields, for a stored record.
pub fn record_window_ui<R: RoadmapRecord>(
    ctx: &egui::Context,
    editor: &mut RecordEditor<R>,
    (current, others): (Option<&R>, &[R]),
    workspace: &crate::model::Workspace,
    below: &mut dyn FnMut(&mut egui::Ui, &R),
) -> WindowOutcome {
    let mut outcome = WindowOutcome::Open;
    let mut open = true;
    let title = if editor.is_new() {
        R::new_title().to_owned()
    } else {
        format!("{}: {}", crate::ui::widgets::window::capitalised(editor.base.word()), editor.base.name())
    };
    crate::ui::widgets::window::titled(ctx, title)
        .id(egui::Id::unique(R::WINDOW))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            egui::Grid::new((R::WINDOW, "fields")).num_columns(2).spacing([10.0, 8.0]).show(ui, |ui| {
                R::fields_ui(ui, &mut editor.draft, workspace);
            });
            if let Some(current) = current {
                below(ui, current);
            }
            let what = editor.what();
            let word = match editor.base.word() {
                "program increment" => "increment",
                word => word,
            };
            let delete_label = format!("Delete {word}…");
            let delete = (!editor.is_new() && current.is_some()).then_some(delete_label.as_str());
            let save = if editor.is_new() { R::add_label() } else { "Save" };
            let dirty = editor.is_dirty();
            // Worked out only while the question shows: it may count over every item.
            let leaves = editor.deleting.then(|| editor.base.deleting_leaves(workspace)).flatten();
            let text = FootText { what: &what, save, delete, leaves: leaves.as_deref() };
            match record_foot_ui(ui, editor.error.as_deref(), &mut editor.closing, &mut editor.deleting, dirty, text) {
                Foot::Nothing => {}
                Foot::Close => outcome = WindowOutcome::Closed,
                Foot::Delete => outcome = WindowOutcome::Apply(R::delete(editor.draft.id())),
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

/// The window in `slot`, while open; its command joins this frame's actions. `records` are the
/// workspace's records of its kind; `below` as in [`record_window_ui`].
pub fn record_slot_ui<R: RoadmapRecord>(
    ctx: &egui::Context,
    slot: &mut Option<RecordEditor<R>>,
    (records, workspace): (&[R], &crate::model::Workspace),
    actions: &mut Vec<crate::ui::UiAction>,
    below: &mut dyn FnMut(&mut egui::Ui, &R),
) {
    let Some(editor) = slot.as_mut() else {
        return;
    };
    let current = editor.record_id().and_then(|id| records.iter().find(|record| record.id() == id));
    match record_window_ui(ctx, editor, (current, records), workspace, below) {
        WindowOutcome::Open => {}
        WindowOutcome::Closed => *slot = None,
        WindowOutcome::Apply(command) => {
            *slot = None;
            actions.push(crate::ui::UiAction::Apply(command));
        }
    }
}
