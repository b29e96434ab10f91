//! The one contract every window keeps with the shell: after a frame it is still open, it was closed
//! (nothing is stored), or it asks for a command to be carried out.

use crate::app::Command;

/// What a window asks of the shell after a frame.
#[derive(Clone, Debug, PartialEq)]
#[expect(clippy::large_enum_variant, reason = "one short-lived value per frame, consumed at once")]
pub enum WindowOutcome {
    /// Still open; nothing to do.
    Open,
    /// The user closed it (Cancel, ✖, Esc); nothing is stored.
    Closed,
    /// Carry out this command. The shell closes the window when it succeeded and shows the error in
    /// the window when it did not.
    Apply(Command),
}

impl WindowOutcome {
    /// The outcome of a window that may have a command and may have been closed in the same frame: the
    /// command wins.
    #[must_use]
    pub fn from_parts(command: Option<Command>, closed: bool) -> Self {
        match (command, closed) {
            (Some(command), _) => Self::Apply(command),
            (None, true) => Self::Closed,
            (None, false) => Self::Open,
        }
    }
}

/// Puts the focus in a window's first field on the frame the window opens (it was not on screen the
/// frame before), so a keyboard user starts typing there; when it closes, the shell gives the focus
/// back to what the window was about.
pub fn focus_when_opened(ui: &egui::Ui, first_field: &egui::Response) {
    let layer = ui.layer_id();
    if !ui.ctx().memory(|memory| memory.areas().visible_last_frame(&layer)) {
        first_field.request_focus();
    }
}

/// Exposes every open window to screen readers as a dialog (egui calls them plain windows), and names
/// the main window after its title.
pub fn expose_dialogs(ctx: &egui::Context, title: &str) {
    ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| node.set_label(title.to_owned()));
    let layers = ctx.memory(|memory| memory.areas().visible_layer_ids());
    for layer in layers.into_iter().filter(|layer| layer.order == egui::Order::Middle) {
        // egui names a window's node after the area's move handle.
        let id = layer.id.with("move");
        if ctx.has_accesskit_node(id) {
            ctx.accesskit_node_builder(id, |node| {
                if node.role() == egui::accesskit::Role::Window {
                    node.set_role(egui::accesskit::Role::Dialog);
                }
            });
        }
    }
}

/// How a window that edits something answers "close" (✖, Cancel, Esc) while it holds changes that
/// are not saved: it asks, in place of its buttons, whether to discard them. Nothing typed is thrown
/// away without a choice.
#[derive(Clone, Debug, Default)]
pub struct CloseGuard {
    asking: bool,
}

impl CloseGuard {
    /// The user asked to close: `true` when the window may close now (nothing unsaved); otherwise it
    /// starts asking and stays open.
    pub fn request(&mut self, dirty: bool) -> bool {
        self.asking = dirty;
        !dirty
    }

    /// Whether the window is asking.
    #[must_use]
    pub fn is_asking(&self) -> bool {
        self.asking
    }

    /// Stops asking; the user goes on editing.
    pub fn keep_editing(&mut self) {
        self.asking = false;
    }

    /// The question, drawn where the window's buttons were; `what` names the draft ("the epic
    /// 'Delivery slots'"). Returns `true` when the user chose to discard the changes.
    pub fn question_ui(&mut self, ui: &mut egui::Ui, what: &str) -> bool {
        let colour = crate::ui::theme::warning_colour(ui.visuals());
        ui.label(egui::RichText::new(format!("⚠ Your changes to {what} are not saved. Discard them?")).color(colour));
        let mut discard = false;
        ui.horizontal(|ui| {
            let keep = ui.button(egui::RichText::new("Keep editing").strong());
            if keep.clicked() {
                self.asking = false;
            }
            if ui.button("Discard changes").clicked() {
                discard = true;
            }
            // The safe answer has the focus, so Enter keeps the changes.
            if !ui.ctx().memory(|memory| memory.focused().is_some()) {
                keep.request_focus();
            }
        });
        discard
    }
}

/// What the foot of a window editing one record asked for this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Foot {
    /// Nothing yet.
    Nothing,
    /// Save (or add) the record.
    Save,
    /// Close the window (nothing to lose, or the user chose to discard).
    Close,
    /// Delete the record (the user confirmed).
    Delete,
}

/// How a record window's foot reads.
#[derive(Clone, Copy, Debug)]
pub struct FootText<'a> {
    /// The record in words, for the questions ("the release '3.2'").
    pub what: &'a str,
    /// The save button ("Save", "Add to the roadmap").
    pub save: &'a str,
    /// The delete button ("Delete release…"), when the record can be deleted now.
    pub delete: Option<&'a str>,
    /// What deleting leaves behind, said in the question before ("Its 3 insights stay, about no persona.").
    pub leaves: Option<&'a str>,
}

/// The foot of a window that edits one record: its refusal in words, then either the question before
/// discarding typed changes, the question before deleting, or Save, Cancel and Delete….
pub fn record_foot_ui(
    ui: &mut egui::Ui,
    error: Option<&str>,
    closing: &mut CloseGuard,
    deleting: &mut bool,
    dirty: bool,
    text: FootText<'_>,
) -> Foot {
    if let Some(error) = error {
        crate::ui::widgets::a11y::error_label(ui, error);
    }
    if closing.is_asking() {
        return if closing.question_ui(ui, text.what) { Foot::Close } else { Foot::Nothing };
    }
    let mut foot = Foot::Nothing;
    if *deleting && text.delete.is_some() {
        let leaves = text.leaves.map_or_else(String::new, |leaves| format!(" {leaves}"));
        ui.label(egui::RichText::new(format!("Delete {}?{leaves} Ctrl+Z brings it back.", text.what)).strong());
        ui.horizontal(|ui| {
            if ui.button("Yes, delete it").clicked() {
                foot = Foot::Delete;
            }
            if ui.button("Keep it").clicked() {
                *deleting = false;
            }
        });
        return foot;
    }
    ui.horizontal(|ui| {
        if ui.button(egui::RichText::new(text.save).strong()).clicked() {
            foot = Foot::Save;
        }
        if ui.button("Cancel").clicked() && closing.request(dirty) {
            foot = Foot::Close;
        }
        if let Some(delete) = text.delete
            && ui.button(delete).clicked()
        {
            *deleting = true;
        }
    });
    foot
}

/// Where the shell keeps this frame's work area (below the menu and tool bars, above the status bar).
const WORK_AREA: &str = "tandem-work-area";

/// Remembers the area windows may use this frame; the shell calls it once its bars are laid out.
pub fn remember_work_area(ctx: &egui::Context, area: egui::Rect) {
    ctx.data_mut(|data| data.insert_temp(egui::Id::unique(WORK_AREA), area));
}

/// A window that opens and stays within the work area, so it never covers the menu bar (the File
/// menu stays within reach while it is open) or the status bar that reports what it did.
pub fn titled<'open>(ctx: &egui::Context, title: impl Into<egui::WidgetText>) -> egui::Window<'open> {
    egui::Window::new(title).constrain_to(work_area(ctx))
}

/// The area windows may use this frame (below the menu and tool bars, above the status bar); a window
/// taller than it scrolls.
#[must_use]
pub fn work_area(ctx: &egui::Context) -> egui::Rect {
    ctx.data(|data| data.get_temp::<egui::Rect>(egui::Id::unique(WORK_AREA))).unwrap_or_else(|| ctx.content_rect())
}

/// A window that edits one record (an epic, a sprint, a KPI…): what opening another of its kind over
/// it must not throw away.
pub trait Draft {
    /// Whether it holds anything not saved.
    fn is_dirty(&self) -> bool;
    /// It in words: "the epic 'Loyalty rewards'", "the new sprint".
    fn what(&self) -> String;
    /// Whether it edits the same record as `other`; two windows of new records count as the same.
    fn same_record(&self, other: &Self) -> bool;
}

/// Implements [`Draft`] for a window type whose own `is_dirty` and `what` say it; `$same` tells whether
/// two of them (`$one`, `$other`) edit the same record.
macro_rules! draft_window {
    ($window:ty, |$one:ident, $other:ident| $same:expr) => {
        impl $crate::ui::widgets::window::Draft for $window {
            fn is_dirty(&self) -> bool {
                <$window>::is_dirty(self)
            }

            fn what(&self) -> String {
                <$window>::what(self)
            }

            fn same_record(&self, other: &Self) -> bool {
                let ($one, $other) = (self, other);
                $same
            }
        }
    };
}
pub(crate) use draft_window;

/// Opens `window` in `slot`, where a window of its kind may be open already. One holding unsaved
/// changes stays as it is, with everything typed in it: when it edits the same record that is all
/// (it is open); otherwise the other record does not open, and the sentence that says why is given
/// back to be said.
#[must_use]
pub fn open_over<T: Draft>(slot: &mut Option<T>, window: T) -> Option<String> {
    if let Some(open) = slot.as_ref().filter(|open| open.is_dirty()) {
        if open.same_record(&window) {
            return None;
        }
        return Some(format!(
            "{} has changes that are not saved: save or cancel them in its window first, then open {}.",
            capitalised(&open.what()),
            window.what()
        ));
    }
    *slot = Some(window);
    None
}

/// [`open_over`] for a view: the sentence, if any, joins the frame's actions to be said.
pub fn open_window<T: Draft>(slot: &mut Option<T>, window: T, actions: &mut Vec<crate::ui::UiAction>) {
    if let Some(said) = open_over(slot, window) {
        actions.push(crate::ui::UiAction::Say(said));
    }
}

/// `text` with its first letter in capitals.
#[must_use]
pub fn capitalised(text: &str) -> String {
    let mut letters = text.chars();
    letters.next().map_or_else(String::new, |first| first.to_uppercase().chain(letters).collect())
}
