//! The comment thread in the item editor: the discussion between the PM and the PO, oldest first, with
//! a box to add to it. A comment is stored the moment it is sent (one undoable change of its own), not
//! with the item's Save; a comment typed and not yet sent counts as an unsaved change of the editor.

use egui::{RichText, TextEdit, Ui};

use crate::app::{App, Command, ItemCommand};
use crate::model::{Comment, ItemId, Timestamp};

/// The id of the box a new comment is typed into: Ctrl+Enter there sends the comment, not the item.
#[must_use]
pub fn draft_id() -> egui::Id {
    egui::Id::unique("comment-draft")
}

/// An item's comments as last read from the file, and the comment being written.
#[derive(Clone, Debug, Default)]
pub struct CommentThread {
    /// The comments, oldest first.
    comments: Vec<Comment>,
    /// The workspace revision they were read at; any change to the items reads them again.
    read_at: Option<u64>,
    /// Why they could not be read, or why the last comment was refused.
    pub error: Option<String>,
    /// The comment being written.
    pub draft: String,
}

impl CommentThread {
    /// Whether a comment is typed and not sent.
    #[must_use]
    pub fn has_draft(&self) -> bool {
        !self.draft.trim().is_empty()
    }

    /// The comment typed, ready to send as `author` on `item_id`; `None` when nothing is typed.
    #[must_use]
    pub fn pending(&self, item_id: ItemId, author: &str) -> Option<Comment> {
        self.has_draft().then(|| Comment::new(item_id, author, &self.draft, Timestamp::now()))
    }

    /// The draft was stored: clear it, and read the thread again.
    pub fn sent(&mut self) {
        self.draft.clear();
        self.error = None;
        self.read_at = None;
    }

    /// The comments read so far.
    #[must_use]
    pub fn comments(&self) -> &[Comment] {
        &self.comments
    }

    fn refresh(&mut self, app: &App, item_id: ItemId) {
        let revision = app.workspace().revision();
        if self.read_at == Some(revision) {
            return;
        }
        self.read_at = Some(revision);
        match app.comments(item_id) {
            Ok(comments) => self.comments = comments,
            Err(error) => self.error = Some(format!("The comments could not be read: {error}")),
        }
    }
}

/// When a comment was written, in the reader's time zone: "3 Dec 2026, 14:05".
#[must_use]
pub fn when(at: Timestamp) -> String {
    let zoned = at.to_zoned(jiff::tz::TimeZone::system());
    zoned.strftime("%-d %b %Y, %H:%M").to_string()
}

/// Draws the thread of a stored item and the box for a new comment; returns a command to send or delete
/// one. `author` is the name comments are sent under, remembered between sessions.
pub fn thread_ui(
    ui: &mut Ui,
    thread: &mut CommentThread,
    app: &App,
    item_id: ItemId,
    author: &mut String,
) -> Option<Command> {
    thread.refresh(app, item_id);
    let mut command = None;
    let count = thread.comments.len();
    crate::ui::widgets::a11y::heading(ui, RichText::new(format!("Comments ({count})")).strong().size(14.0));
    if count == 0 {
        ui.label(RichText::new("No comments yet. Start the discussion below.").weak());
    }
    for comment in &thread.comments {
        let written = when(comment.created_at);
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.label(RichText::new(&comment.author).strong());
                ui.label(RichText::new(&written).weak());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let delete = ui.button("🗑").on_hover_text("Delete this comment (Ctrl+Z brings it back)");
                    crate::ui::widgets::a11y::name_widget(
                        ui,
                        &delete,
                        &format!("Delete {}'s comment of {written}", comment.author),
                    );
                    if delete.clicked() {
                        command = Some(Command::Item(ItemCommand::DeleteComment(comment.comment_id)));
                    }
                });
            });
            ui.add(egui::Label::new(&comment.text).wrap());
        });
    }
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        let label = ui.label("Your name");
        ui.add(TextEdit::singleline(author).id_salt("comment-author").hint_text("e.g. Dana (PO)").desired_width(180.0))
            .labelled_by(label.id)
            .on_hover_text("Comments are signed with this name; Tandem remembers it");
    });
    let label = ui.label("New comment");
    let draft = ui
        .add(
            TextEdit::multiline(&mut thread.draft)
                .id(draft_id())
                .hint_text("Write a comment; Ctrl+Enter sends it")
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    let shortcut = draft.has_focus() && ui.input_mut(|input| input.consume_shortcut(&super::shortcuts::SAVE_ITEM));
    if let Some(error) = &thread.error {
        crate::ui::widgets::a11y::error_label(ui, error);
    }
    let send = ui.add_enabled(thread.has_draft(), egui::Button::new("Send comment"));
    if send.clicked() || (shortcut && thread.has_draft()) {
        let comment = Comment::new(item_id, author, &thread.draft, Timestamp::now());
        match comment.validate() {
            Ok(()) => command = Some(Command::Item(ItemCommand::AddComment(comment))),
            Err(error) => thread.error = Some(format!("Not sent: {error}")),
        }
    }
    command
}
