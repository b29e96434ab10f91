//! The archive: items taken off the board, most recently archived first, each with a way to open it and
//! to put it back where it was.

use egui::{Grid, RichText, ScrollArea, Ui};

use crate::app::{Command, ItemCommand};
use crate::model::Workspace;
use crate::ui::UiAction;
use crate::ui::theme;

/// Draws the list of archived items; opening one or putting it back is pushed to `actions`.
pub(super) fn archived_ui(ui: &mut Ui, workspace: &Workspace, actions: &mut Vec<UiAction>) {
    let items = workspace.archived_items();
    crate::ui::widgets::a11y::heading(ui, format!("Archived items ({})", items.len()));
    ui.label(
        RichText::new(
            "Archived items are off the board; they keep their column, history and comments, and still count in the delivery charts.",
        )
        .weak(),
    );
    ui.add_space(6.0);
    if items.is_empty() {
        ui.label("Nothing is archived. Archive a card from its ⋯ menu, or a whole column (done work, say) from the column's ☰ menu.");
        return;
    }
    let zone = jiff::tz::TimeZone::system();
    ScrollArea::vertical().id_salt("archived-items").auto_shrink([false, false]).show(ui, |ui| {
        Grid::new("archived-grid").num_columns(6).striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
            for header in ["Title", "Kind", "Column", "Points", "Archived", ""] {
                ui.label(RichText::new(header).strong());
            }
            ui.end_row();
            for item in items {
                let open = ui.link(&item.title).on_hover_text("Open it in the editor");
                crate::ui::widgets::a11y::name_widget(ui, &open, &format!("Open '{}'", item.title));
                if open.clicked() {
                    actions.push(UiAction::EditItem(item.item_id));
                }
                ui.label(format!("{} {}", theme::kind_icon(item.kind), item.kind.label()));
                ui.label(workspace.column(item.column_id).map_or("—", |column| column.name.as_str()));
                ui.label(item.points.map_or_else(|| "—".to_owned(), |points| points.to_string()));
                let when = item
                    .archived_at
                    .map_or_else(String::new, |at| at.to_zoned(zone.clone()).strftime("%-d %b %Y").to_string());
                ui.label(when);
                let back = ui.button("Put back on the board");
                crate::ui::widgets::a11y::name_widget(ui, &back, &format!("Put '{}' back on the board", item.title));
                if back.clicked() {
                    actions.push(UiAction::Apply(Command::Item(ItemCommand::Archive {
                        item_ids: vec![item.item_id],
                        archive: false,
                    })));
                }
                ui.end_row();
            }
        });
    });
}
