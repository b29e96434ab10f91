//! The item editor: a side panel to create, edit and delete a backlog item, including its acceptance
//! criteria and prioritisation inputs. It edits a draft; nothing is stored until the user saves, and
//! a refused save keeps the draft and says what to fix. A draft with changes is never thrown away
//! without asking: the shell asks Save / Discard / Keep editing on every way out
//! ([`EditorState::is_dirty`]), and a change made elsewhere to the same item is merged into the draft
//! field by field ([`EditorState::rebase`]).

mod conflicts;

pub use conflicts::words_list;

use egui::{ComboBox, DragValue, Grid, RichText, ScrollArea, TextEdit, Ui};

use super::theme;
use super::widgets::window::WindowOutcome;
use crate::app::{App, Command, ItemCommand};
use crate::model::{
    BacklogItem, ColumnId, Criterion, EpicId, ItemKind, Moscow, Raiser, SprintId, Timestamp, ValidationError, Workspace,
};

/// The draft being edited and the text of its number fields as typed.
#[derive(Clone, Debug)]
pub struct EditorState {
    /// The item as edited so far.
    pub draft: BacklogItem,
    /// The item as stored when editing began (or when the draft was last rebased).
    original: BacklogItem,
    /// Put the cursor in Title on the next frame (a new item).
    focus_title: bool,
    /// True until the item has been created.
    pub is_new: bool,
    points: String,
    reach: String,
    impact: String,
    confidence: String,
    effort: String,
    labels: String,
    assignee: String,
    reporter: String,
    new_criterion: String,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// The field that refusal is about, when it is one field, and the id of the message shown: screen
    /// readers hear the field as invalid, with the message as its error.
    error_field: Option<(&'static str, Option<egui::Id>)>,
    confirm_delete: bool,
    /// The item's comments and the one being written.
    pub thread: super::comments::CommentThread,
    /// Fields changed here and, differently, elsewhere while the editor was open (in words): the draft
    /// keeps the user's value and a save waits until each is decided ([`conflicts`]).
    conflicts: Vec<&'static str>,
    /// Something the user must know about the draft that is not an error (the item was deleted elsewhere).
    pub notice: Option<String>,
}

fn number_text(value: Option<f64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

fn parse_number(field: &'static str, text: &str) -> Result<Option<f64>, ValidationError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    trimmed
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
        .map(Some)
        .ok_or(ValidationError::NotANumber { field })
}

/// Labels as typed, compared as a set (order and spaces aside).
fn label_set(text: &str) -> std::collections::BTreeSet<&str> {
    text.split(',').map(str::trim).filter(|label| !label.is_empty()).collect()
}

impl EditorState {
    /// A blank story for a column.
    #[must_use]
    pub fn new_item(column_id: ColumnId) -> Self {
        Self::from_item(BacklogItem::new(ItemKind::Story, "", column_id, Timestamp::now()), true)
    }

    /// A blank sub-task of `parent`, in `column_id`, in its parent's epic and sprint.
    #[must_use]
    pub fn new_subtask(column_id: ColumnId, parent: &BacklogItem) -> Self {
        let mut item = BacklogItem::new(ItemKind::Story, "", column_id, Timestamp::now());
        item.parent_id = Some(parent.item_id);
        item.epic_id = parent.epic_id;
        item.sprint_id = parent.sprint_id;
        Self::from_item(item, true)
    }

    /// An existing item.
    #[must_use]
    pub fn edit(item: &BacklogItem) -> Self {
        Self::from_item(item.clone(), false)
    }

    /// Puts the cursor in Title when the editor is next drawn.
    pub fn focus_title(&mut self) {
        self.focus_title = true;
    }

    fn from_item(item: BacklogItem, is_new: bool) -> Self {
        Self {
            original: item.clone(),
            focus_title: is_new,
            points: number_text(item.points),
            reach: number_text(item.details.rice.reach),
            impact: number_text(item.details.rice.impact),
            confidence: number_text(item.details.rice.confidence_percent),
            effort: number_text(item.details.rice.effort),
            labels: item.labels.join(", "),
            assignee: item.details.assignee.clone().unwrap_or_default(),
            reporter: item.details.reporter.clone().unwrap_or_default(),
            new_criterion: String::new(),
            draft: item,
            is_new,
            error: None,
            error_field: None,
            confirm_delete: false,
            thread: super::comments::CommentThread::default(),
            conflicts: Vec::new(),
            notice: None,
        }
    }

    /// Whether the editor holds anything the user typed or chose that is not stored yet: a change to
    /// the item, or a comment written and not sent.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.is_item_dirty() || self.thread.has_draft()
    }

    /// Whether the item's fields hold anything not stored yet (a comment being written aside).
    #[must_use]
    pub fn is_item_dirty(&self) -> bool {
        let original = &self.original;
        self.draft != *original
            || self.points != number_text(original.points)
            || self.reach != number_text(original.details.rice.reach)
            || self.impact != number_text(original.details.rice.impact)
            || self.confidence != number_text(original.details.rice.confidence_percent)
            || self.effort != number_text(original.details.rice.effort)
            || self.labels != original.labels.join(", ")
            || self.assignee.trim() != original.details.assignee.as_deref().unwrap_or_default()
            || self.reporter.trim() != original.details.reporter.as_deref().unwrap_or_default()
            || !self.new_criterion.trim().is_empty()
    }

    /// The item being edited (its id is 0 while it is new).
    #[must_use]
    pub fn item_id(&self) -> crate::model::ItemId {
        self.draft.item_id
    }

    /// Takes in a newer stored version of the item (changed by a move, an undo, or another window)
    /// without losing what the user typed: fields the user has not touched take the stored value;
    /// fields the user changed keep the user's value. Fields changed on both sides, to different values,
    /// are listed in the editor ([`EditorState::conflicts`]) until the user decides each, and returned.
    pub fn rebase(&mut self, stored: &BacklogItem) -> Vec<&'static str> {
        let (merged, mut conflicts) = crate::model::item::merge_item(&self.original, &self.draft, stored);
        let original = &self.original;
        for (field, text, before, after) in [
            ("estimate", &mut self.points, original.points, stored.points),
            ("reach", &mut self.reach, original.details.rice.reach, stored.details.rice.reach),
            ("impact", &mut self.impact, original.details.rice.impact, stored.details.rice.impact),
            (
                "confidence",
                &mut self.confidence,
                original.details.rice.confidence_percent,
                stored.details.rice.confidence_percent,
            ),
            ("effort", &mut self.effort, original.details.rice.effort, stored.details.rice.effort),
        ] {
            if *text == number_text(before) {
                *text = number_text(after);
            } else if after != before && parse_number(field, text).ok() != Some(after) {
                conflicts.push(field);
            }
        }
        if self.labels == original.labels.join(", ") {
            self.labels = stored.labels.join(", ");
        } else if stored.labels != original.labels && label_set(&self.labels) != label_set(&stored.labels.join(",")) {
            conflicts.push("labels");
        }
        for (field, text, before, after) in [
            ("assignee", &mut self.assignee, &original.details.assignee, &stored.details.assignee),
            ("reporter", &mut self.reporter, &original.details.reporter, &stored.details.reporter),
        ] {
            let before = before.as_deref().unwrap_or_default();
            let after = after.as_deref().unwrap_or_default();
            if text.trim() == before {
                after.clone_into(text);
            } else if after != before && text.trim() != after {
                conflicts.push(field);
            }
        }
        self.draft = BacklogItem { updated_at: stored.updated_at, created_at: stored.created_at, ..merged };
        self.original = stored.clone();
        self.is_new = false;
        self.note_conflicts(&conflicts);
        conflicts
    }

    /// The item was deleted (by undo, or elsewhere) while the draft had edits: keep them as a new
    /// item, which "Create item" adds again, and say so in the editor.
    pub fn keep_as_new(&mut self) {
        self.is_new = true;
        self.conflicts.clear();
        let blank = BacklogItem::new(self.draft.kind, "", self.draft.column_id, Timestamp::now());
        self.original = blank;
        self.notice = Some(format!(
            "'{}' was deleted (by an undo, or in another window or program) while you edited it. Your text is kept here as a new item: Create item adds it again, Close lets it go.",
            self.draft.title.trim()
        ));
    }

    /// The draft with its typed numbers and labels read in, checked.
    ///
    /// # Errors
    /// The first field the user must fix.
    pub fn finished_item(&self) -> Result<BacklogItem, ValidationError> {
        let mut item = self.draft.clone();
        item.points = parse_number("estimate (story points)", &self.points)?;
        item.details.rice.reach = parse_number("reach", &self.reach)?;
        item.details.rice.impact = parse_number("impact", &self.impact)?;
        item.details.rice.confidence_percent = parse_number("confidence (%)", &self.confidence)?;
        item.details.rice.effort = parse_number("effort", &self.effort)?;
        item.labels = self.labels.split(',').map(str::to_owned).collect();
        item.details.assignee = Some(self.assignee.clone());
        item.details.reporter = Some(self.reporter.clone());
        item.tidy();
        item.validate()?;
        Ok(item)
    }
}

/// Draws the editor; returns what the user asked of it, and pushes what it asks of the rest of the app
/// (open a sub-task, write a new one) to `actions`. `author` is the name comments are signed with.
pub fn editor_ui(
    ui: &mut Ui,
    state: &mut EditorState,
    app: &App,
    author: &mut String,
    actions: &mut Vec<super::UiAction>,
) -> WindowOutcome {
    let workspace = app.workspace();
    let mut outcome = WindowOutcome::Open;
    ui.horizontal(|ui| {
        crate::ui::widgets::a11y::heading(ui, if state.is_new { "New item" } else { "Edit item" });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("✖ Close").on_hover_text("Close the editor (Esc); unsaved changes are asked about").clicked()
            {
                outcome = WindowOutcome::Closed;
            }
        });
    });
    ui.separator();
    if let (Some(at), false) = (state.draft.details.archived_at, state.is_new) {
        ui.horizontal_wrapped(|ui| {
            let day = at.to_zoned(jiff::tz::TimeZone::system()).strftime("%-d %b %Y").to_string();
            ui.label(format!("🗄 Archived on {day}: off the board, still counted in the delivery charts."));
            if ui.button("Put back on the board").clicked() {
                outcome = WindowOutcome::Apply(Command::Item(ItemCommand::Archive {
                    item_ids: vec![state.draft.item_id],
                    archive: false,
                }));
            }
        });
        ui.separator();
    }
    if let Some(notice) = &state.notice {
        ui.label(RichText::new(format!("ℹ {notice}")).strong());
        ui.separator();
    }
    // The actions stay in view however long the item is.
    egui::Panel::bottom("item-editor-actions").show(ui, |ui| {
        ui.add_space(6.0);
        actions_ui(ui, state, &mut outcome);
        ui.add_space(4.0);
    });
    // One scroll position per item of each workspace: another item (or the item of the same id in another
    // workspace) opens at its top, not where the last one was left.
    let scroll_salt = ("item-editor", app.path(), state.item_id(), state.is_new);
    ScrollArea::vertical().id_salt(scroll_salt).auto_shrink([false, false]).show(ui, |ui| {
        conflicts::conflicts_ui(ui, state, workspace);
        fields_ui(ui, state, workspace);
        ui.add_space(8.0);
        criteria_ui(ui, state);
        ui.add_space(8.0);
        super::subtasks::subtasks_ui(ui, &mut state.draft, state.is_new, workspace, actions);
        ui.add_space(8.0);
        if state.is_new {
            ui.label(RichText::new("Comments can be written once the item is created.").weak());
        } else if let Some(command) =
            super::comments::thread_ui(ui, &mut state.thread, app, state.draft.item_id, author)
        {
            outcome = WindowOutcome::Apply(command);
        }
        ui.add_space(8.0);
        prioritisation_ui(ui, state);
        ui.add_space(8.0);
    });
    outcome
}

fn actions_ui(ui: &mut Ui, state: &mut EditorState, outcome: &mut WindowOutcome) {
    if let Some(error) = &state.error {
        let message = crate::ui::widgets::a11y::error_label(ui, error.as_str());
        if let Some((_, id)) = state.error_field.as_mut() {
            *id = Some(message.id);
        }
        ui.add_space(4.0);
    }
    ui.horizontal(|ui| {
        let save_label = if state.is_new { "Create item" } else { "Save changes" };
        if ui
            .button(RichText::new(save_label).strong())
            .on_hover_text(ui.ctx().format_shortcut(&super::shortcuts::SAVE_ITEM))
            .clicked()
            || (!ui.memory(|memory| memory.has_focus(super::comments::draft_id()))
                && ui.input_mut(|input| input.consume_shortcut(&super::shortcuts::SAVE_ITEM)))
        {
            match state.finished_item() {
                Ok(_) if let Some(undecided) = state.undecided() => {
                    state.error_field = None;
                    state.error = Some(undecided);
                }
                Ok(item) => {
                    state.error = None;
                    state.error_field = None;
                    *outcome = WindowOutcome::Apply(if state.is_new {
                        Command::Item(ItemCommand::Create(item))
                    } else {
                        Command::Item(ItemCommand::Update(item))
                    });
                }
                Err(error) => {
                    state.error_field = error.field().map(|field| (field, None));
                    state.error = Some(error.to_string());
                }
            }
        }
        if !state.is_new {
            if state.confirm_delete {
                if ui.button(RichText::new("Yes, delete it").color(theme::error_colour(ui.visuals()))).clicked() {
                    *outcome = WindowOutcome::Apply(Command::Item(ItemCommand::Delete(state.draft.item_id)));
                }
                if ui.button("Keep it").clicked() {
                    state.confirm_delete = false;
                }
            } else if ui.button("🗑 Delete item").clicked() {
                state.confirm_delete = true;
            }
        }
    });
    if state.confirm_delete {
        ui.label("Delete this item? You can undo it with Ctrl+Z.");
    }
}

/// A person's name, typed or chosen from the people the workspace knows (the ▾ menu); empty for
/// nobody.
fn person_field(ui: &mut Ui, label: &str, text: &mut String, workspace: &Workspace) -> egui::Response {
    let label_id = ui.label(label).id;
    let response = ui
        .horizontal(|ui| {
            let field = ui
                .add(TextEdit::singleline(text).hint_text("Nobody").desired_width(ui.available_width() - 40.0))
                .labelled_by(label_id);
            let menu = ui.menu_button("▾", |ui| {
                if ui.button("Nobody").clicked() {
                    text.clear();
                    ui.close();
                }
                for person in workspace.people().iter() {
                    if ui.button(&person.name).clicked() {
                        text.clone_from(&person.name);
                        ui.close();
                    }
                }
            });
            menu.response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Choose the {}", label.to_lowercase()))
            });
            field
        })
        .inner;
    ui.end_row();
    response
}

fn labelled_text(ui: &mut Ui, label: &str, text: &mut String, hint: &str) -> egui::Response {
    let label = ui.label(label);
    let response =
        ui.add(TextEdit::singleline(text).hint_text(hint).desired_width(f32::INFINITY)).labelled_by(label.id);
    ui.end_row();
    response
}

/// Marks `response` invalid, with the shown message as its error, when the last refusal was about
/// `field`.
fn tie_error(ui: &Ui, error_field: Option<(&'static str, Option<egui::Id>)>, field: &str, response: &egui::Response) {
    if let Some((refused, message)) = error_field
        && refused == field
    {
        ui.ctx().accesskit_node_builder(response.id, |node| {
            node.set_invalid(egui::accesskit::Invalid::True);
            if let Some(message) = message {
                node.set_error_message(message.accesskit_id());
            }
        });
    }
}

fn fields_ui(ui: &mut Ui, state: &mut EditorState, workspace: &Workspace) {
    let error_field = state.error_field;
    let draft = &mut state.draft;
    let focus_title = &mut state.focus_title;
    Grid::new("item-fields").num_columns(2).spacing([8.0, 6.0]).striped(false).show(ui, |ui| {
        let label = ui.label("Kind");
        ComboBox::from_id_salt("item-kind")
            .selected_text(format!("{} {}", theme::kind_icon(draft.kind), draft.kind.label()))
            .show_ui(ui, |ui| {
                for kind in ItemKind::ALL {
                    ui.selectable_value(&mut draft.kind, kind, format!("{} {}", theme::kind_icon(kind), kind.label()));
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let label = ui.label("Title");
        let title = ui
            .add(
                TextEdit::singleline(&mut draft.title)
                    .id_salt("item-title")
                    .hint_text("Short and specific")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        tie_error(ui, error_field, "title", &title);
        if std::mem::take(focus_title) {
            // A new item: typing goes straight into its title.
            title.request_focus();
        }
        ui.end_row();

        let label = ui.label("Status");
        let status_name = workspace.column(draft.column_id).map_or("—", |column| column.name.as_str()).to_owned();
        ComboBox::from_id_salt("item-status")
            .selected_text(status_name)
            .show_ui(ui, |ui| {
                for column in &workspace.columns {
                    ui.selectable_value(&mut draft.column_id, column.column_id, &column.name);
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let points = labelled_text(ui, "Estimate (points)", &mut state.points, "e.g. 3");
        tie_error(ui, error_field, "estimate (story points)", &points);

        let label = ui.label("Epic");
        let epic_name =
            draft.epic_id.and_then(|id| workspace.epic(id)).map_or("None", |epic| epic.title.as_str()).to_owned();
        ComboBox::from_id_salt("item-epic")
            .selected_text(epic_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.epic_id, None::<EpicId>, "None");
                for epic in &workspace.epics {
                    ui.selectable_value(&mut draft.epic_id, Some(epic.epic_id), &epic.title);
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let label = ui.label("Sprint");
        let sprint_name = draft
            .sprint_id
            .and_then(|id| workspace.sprint(id))
            .map_or("Not planned", |sprint| sprint.name.as_str())
            .to_owned();
        ComboBox::from_id_salt("item-sprint")
            .selected_text(sprint_name)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut draft.sprint_id, None::<SprintId>, "Not planned");
                for sprint in &workspace.sprints {
                    ui.selectable_value(&mut draft.sprint_id, Some(sprint.sprint_id), &sprint.name);
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();

        let today = jiff::Zoned::now().date();
        let date_picker = crate::ui::widgets::date_picker::optional_date_field;
        date_picker(ui, "Start date", &mut draft.start_date, "item-start", today);
        ui.end_row();
        let suggested_due = draft.start_date.unwrap_or(today).checked_add(jiff::Span::new().days(14)).unwrap_or(today);
        date_picker(ui, "Due date", &mut draft.due_date, "item-due", suggested_due);
        ui.end_row();

        for (label, text, field) in
            [("Assignee", &mut state.assignee, "assignee's name"), ("Reporter", &mut state.reporter, "reporter's name")]
        {
            let response = person_field(ui, label, text, workspace);
            tie_error(ui, error_field, field, &response);
        }

        insight_field_ui(ui, draft, workspace);

        let labels = labelled_text(ui, "Labels", &mut state.labels, "comma separated, e.g. accessibility, i18n");
        tie_error(ui, error_field, "label", &labels);

        let label = ui.label("Raised by");
        ComboBox::from_id_salt("item-raiser")
            .selected_text(draft.raised_by.label())
            .show_ui(ui, |ui| {
                for raiser in Raiser::ALL {
                    ui.selectable_value(&mut draft.raised_by, raiser, raiser.label());
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
    });
    ui.add_space(6.0);
    let label = ui.label("Description");
    ui.add(
        TextEdit::multiline(&mut draft.details.description)
            .hint_text("As a … I want … so that …")
            .desired_rows(4)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
}

fn criteria_ui(ui: &mut Ui, state: &mut EditorState) {
    let (done, total) = state.draft.criteria_progress();
    ui.label(
        RichText::new(if total == 0 {
            "Acceptance criteria (none yet)".to_owned()
        } else {
            format!("Acceptance criteria ({done}/{total} done)")
        })
        .strong(),
    );
    let mut remove = None;
    for (index, criterion) in state.draft.details.acceptance_criteria.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let number = index + 1;
            ui.checkbox(&mut criterion.done, "").widget_info(|| {
                egui::WidgetInfo::selected(
                    egui::Role::CheckBox,
                    true,
                    criterion.done,
                    format!("Criterion {number} accepted"),
                )
            });
            // Wrapped, so that a long criterion is read whole, not cut at the field's edge; one paragraph
            // (Enter does not break it, and a pasted line break becomes a space).
            let field = ui.add(
                TextEdit::multiline(&mut criterion.text)
                    .desired_rows(1)
                    .return_key(None)
                    .desired_width(ui.available_width() - 40.0),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, format!("Criterion {number}")));
            if field.changed() && criterion.text.contains(['\n', '\r']) {
                criterion.text = criterion.text.replace(['\r', '\n'], " ");
            }
            let remove_button = ui.button("🗑").on_hover_text("Remove this criterion");
            remove_button.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Button, true, format!("Remove criterion {number}"))
            });
            if remove_button.clicked() {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        state.draft.details.acceptance_criteria.remove(index);
    }
    ui.horizontal(|ui| {
        // A stable id: the rows added above must not take this field's id, or the cursor would land on
        // the new criterion's checkbox and the next keystrokes would tick it.
        let response = ui.add(
            TextEdit::singleline(&mut state.new_criterion)
                .id_salt("new-criterion")
                .hint_text("Add a criterion and press Enter")
                .desired_width(ui.available_width() - 70.0),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "New criterion"));
        let entered = response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        if (ui.button("Add").on_hover_text("Add criterion").clicked() || entered)
            && !state.new_criterion.trim().is_empty()
        {
            state
                .draft
                .details
                .acceptance_criteria
                .push(Criterion { text: state.new_criterion.trim().to_owned(), done: false });
            state.new_criterion.clear();
            if entered {
                response.request_focus();
            }
        }
    });
}

fn prioritisation_ui(ui: &mut Ui, state: &mut EditorState) {
    egui::CollapsingHeader::new("Prioritisation (WSJF, RICE, MoSCoW)").default_open(true).show(ui, |ui| {
        Grid::new("item-scores").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            for (name, value) in [
                ("Business value", &mut state.draft.business_value),
                ("Time criticality", &mut state.draft.time_criticality),
                ("Risk reduction", &mut state.draft.risk_reduction),
            ] {
                let label = ui.label(name);
                ui.add(DragValue::new(value).range(0..=crate::model::item::MAX_SCORE_INPUT)).labelled_by(label.id);
                ui.end_row();
            }
            ui.label("WSJF");
            let wsjf = state.finished_item().ok().and_then(|item| item.wsjf());
            // Wrapped: the hints are wider than the panel's second column (which would widen the panel).
            ui.add(
                egui::Label::new(
                    wsjf.map_or_else(
                        || "needs an estimate and a cost of delay".to_owned(),
                        |score| format!("{score:.2}"),
                    ),
                )
                .wrap(),
            );
            ui.end_row();
            let error_field = state.error_field;
            for (label, text, hint, field) in [
                ("Reach (per quarter)", &mut state.reach, "people", "reach"),
                ("Impact (0.25–3)", &mut state.impact, "e.g. 1", "impact"),
                ("Confidence (%)", &mut state.confidence, "e.g. 80", "confidence (%)"),
                ("Effort (person-months)", &mut state.effort, "e.g. 2", "effort"),
            ] {
                let response = labelled_text(ui, label, text, hint);
                tie_error(ui, error_field, field, &response);
            }
            ui.label("RICE");
            let rice = state.finished_item().ok().and_then(|item| item.rice());
            ui.add(
                egui::Label::new(rice.map_or_else(
                    || "needs reach, impact, confidence and effort".to_owned(),
                    |score| crate::model::grouped_number(score, 0),
                ))
                .wrap(),
            );
            ui.end_row();
            let label = ui.label("MoSCoW");
            ComboBox::from_id_salt("item-moscow")
                .selected_text(state.draft.details.moscow.map_or("Not set", Moscow::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut state.draft.details.moscow, None, "Not set");
                    for value in Moscow::ALL {
                        ui.selectable_value(&mut state.draft.details.moscow, Some(value), value.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
        });
    });
}

/// The insight of UX research the item answers, chosen among the workspace's; a row of the editor's grid.
fn insight_field_ui(ui: &mut Ui, draft: &mut BacklogItem, workspace: &Workspace) {
    let label = ui.label("Answers insight");
    let chosen = draft.details.insight_id.map(|id| {
        workspace
            .insights
            .iter()
            .find(|insight| insight.insight_id == id)
            .map_or_else(|| "(an insight deleted meanwhile)".to_owned(), |insight| insight.title.clone())
    });
    let mut insight_id = draft.details.insight_id;
    let hint = if workspace.insights.is_empty() {
        "No insights yet: add them in 💡 Research on the board's toolbar"
    } else {
        "The research finding, feedback or test result this item answers (💡 Research on the board)"
    };
    ComboBox::from_id_salt("item-insight")
        .selected_text(chosen.as_deref().unwrap_or("None"))
        .width(ui.available_width().clamp(120.0, 260.0))
        .truncate()
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut insight_id, None, "None");
            for insight in &workspace.insights {
                ui.selectable_value(&mut insight_id, Some(insight.insight_id), insight.title.as_str())
                    .on_hover_text(insight.kind.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(hint);
    // Written only when chosen, so that an item without details keeps none.
    if insight_id != draft.details.insight_id {
        draft.details.insight_id = insight_id;
    }
    ui.end_row();
}
