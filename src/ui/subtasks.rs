//! Sub-tasks in the item editor: a parent lists its sub-tasks with their status and opens them or adds
//! one; a sub-task names its parent and can leave it (saved with the item).

use egui::{RichText, Ui};

use super::UiAction;
use crate::model::{BacklogItem, Workspace};

/// Draws the sub-task part of the editor for `draft`; opening or adding one goes to `actions`.
pub fn subtasks_ui(
    ui: &mut Ui,
    draft: &mut BacklogItem,
    is_new: bool,
    workspace: &Workspace,
    actions: &mut Vec<UiAction>,
) {
    if let Some(parent_id) = draft.parent_id {
        let parent = workspace.item(parent_id).map_or_else(|| format!("item #{parent_id}"), |item| item.title.clone());
        ui.horizontal_wrapped(|ui| {
            ui.label("↳ Sub-task of");
            let open = ui.link(&parent).on_hover_text("Open the parent item");
            crate::ui::widgets::a11y::name_widget(ui, &open, &format!("Open the parent item, '{parent}'"));
            if open.clicked() {
                actions.push(UiAction::EditItem(parent_id));
            }
            if ui.button("Make it an item of its own").on_hover_text("It leaves its parent when you save").clicked() {
                draft.parent_id = None;
            }
        });
        return;
    }
    if is_new {
        return;
    }
    let mut children: Vec<&BacklogItem> =
        workspace.children(draft.item_id).iter().filter_map(|child| workspace.item(*child)).collect();
    let position = |item: &BacklogItem| workspace.columns.iter().position(|column| column.column_id == item.column_id);
    children.sort_by(|a, b| position(a).cmp(&position(b)).then(a.rank.cmp(&b.rank)));
    let (done, total) = workspace.subtask_progress(draft.item_id);
    crate::ui::widgets::a11y::heading(
        ui,
        RichText::new(if total == 0 {
            "Sub-tasks (none yet)".to_owned()
        } else {
            format!("Sub-tasks ({done}/{total} done)")
        })
        .strong()
        .size(14.0),
    );
    for child in children {
        ui.horizontal(|ui| {
            let column = workspace.column(child.column_id);
            let is_done = column.is_some_and(|column| column.is_done);
            ui.label(if is_done { "☑" } else { "☐" });
            let open = ui.link(&child.title).on_hover_text("Open this sub-task");
            let status = column.map_or("—", |column| column.name.as_str());
            crate::ui::widgets::a11y::name_widget(ui, &open, &format!("Open the sub-task '{}', {status}", child.title));
            if open.clicked() {
                actions.push(UiAction::EditItem(child.item_id));
            }
            ui.label(RichText::new(status).weak());
            if child.details.archived_at.is_some() {
                ui.label(RichText::new("(archived)").weak());
            }
        });
    }
    if ui.button("+ Add sub-task").on_hover_text("A new item that belongs to this one, with its own status").clicked() {
        actions.push(UiAction::NewSubtask(draft.item_id));
    }
}
