//! The archive: items taken off the board, most recently archived first, each with a way to open it and
//! to put it back where it was.

use egui::{Align, Layout, RichText, Ui};
use egui_extras::{Column as TableColumn, TableBuilder};

use crate::app::{Command, ItemCommand};
use crate::model::{ItemId, Workspace};
use crate::ui::UiAction;
use crate::ui::theme;

/// The archive's order (most recently archived first), kept until the workspace changes: sorting
/// tens of thousands of archived items is too long for every frame.
#[derive(Clone, Debug, Default)]
pub(super) struct ArchiveOrder {
    revision: u64,
    item_ids: std::sync::Arc<[ItemId]>,
}

impl ArchiveOrder {
    fn of(&mut self, workspace: &Workspace) -> std::sync::Arc<[ItemId]> {
        if self.revision != workspace.revision() {
            self.item_ids = workspace.archived_items().iter().map(|item| item.item_id).collect();
            self.revision = workspace.revision();
        }
        std::sync::Arc::clone(&self.item_ids)
    }
}

/// Draws the list of archived items; opening one or putting it back is pushed to `actions`. Only the
/// rows in view are laid out, so an archive of 10,000 items draws as fast as one of ten.
pub(super) fn archived_ui(ui: &mut Ui, workspace: &Workspace, order: &mut ArchiveOrder, actions: &mut Vec<UiAction>) {
    let item_ids = order.of(workspace);
    crate::ui::widgets::a11y::heading(ui, format!("Archived items ({})", crate::ui::widgets::count(item_ids.len())));
    ui.label(
        RichText::new(
            "Archived items are off the board; they keep their column, history and comments, and still count in the delivery charts.",
        )
        .weak(),
    );
    ui.add_space(6.0);
    if item_ids.is_empty() {
        ui.label("Nothing is archived. Archive a card from its ⋯ menu, or a whole column (done work, say) from the column's ☰ menu.");
        return;
    }
    let zone = jiff::tz::TimeZone::system();
    let height = ui.text_style_height(&egui::TextStyle::Body) + 12.0;
    TableBuilder::new(ui)
        .id_salt("archived-items")
        .striped(true)
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(TableColumn::remainder().at_least(240.0).clip(true))
        .column(TableColumn::exact(110.0))
        .column(TableColumn::initial(130.0).clip(true))
        .column(TableColumn::exact(60.0))
        .column(TableColumn::exact(110.0))
        .column(TableColumn::exact(190.0))
        .header(height, |mut header| {
            for title in ["Title", "Kind", "Column", "Points", "Archived", ""] {
                header.col(|ui| {
                    ui.label(RichText::new(title).strong());
                });
            }
        })
        .body(|body| {
            body.rows(height, item_ids.len(), |mut row| {
                let Some(item) = item_ids.get(row.index()).and_then(|item_id| workspace.item(*item_id)) else {
                    return;
                };
                row.col(|ui| {
                    let open = ui.link(&item.title).on_hover_text("Open it in the editor");
                    crate::ui::widgets::a11y::name_widget(ui, &open, &format!("Open '{}'", item.title));
                    if open.clicked() {
                        actions.push(UiAction::EditItem(item.item_id));
                    }
                });
                row.col(|ui| {
                    ui.label(format!("{} {}", theme::kind_icon(item.kind), item.kind.label()));
                });
                row.col(|ui| {
                    ui.label(workspace.column(item.column_id).map_or("—", |column| column.name.as_str()));
                });
                row.col(|ui| {
                    ui.label(item.points.map_or_else(|| "—".to_owned(), |points| points.to_string()));
                });
                row.col(|ui| {
                    let when = item
                        .details
                        .archived_at
                        .map_or_else(String::new, |at| at.to_zoned(zone.clone()).strftime("%-d %b %Y").to_string());
                    ui.label(when);
                });
                row.col(|ui| {
                    let back = ui.button("Put back on the board");
                    crate::ui::widgets::a11y::name_widget(
                        ui,
                        &back,
                        &format!("Put '{}' back on the board", item.title),
                    );
                    if back.clicked() {
                        actions.push(UiAction::Apply(Command::Item(ItemCommand::Archive {
                            item_ids: vec![item.item_id],
                            archive: false,
                        })));
                    }
                });
            });
        });
}
