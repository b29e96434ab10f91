//! Accessibility helpers shared by the views.

use egui::Ui;

/// Gives a widget an accessible name when no visible label sits beside it (table cells, charts, drop
/// zones). Focusable widgets keep their role and value; other areas become a named group with bounds.
pub fn name_widget(ui: &Ui, response: &egui::Response, name: &str) {
    if response.sense.is_focusable() {
        ui.ctx().accesskit_node_builder(response.id, |node| node.set_label(name.to_owned()));
    } else {
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, name));
    }
}
