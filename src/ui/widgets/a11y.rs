//! Accessibility helpers shared by the views.

use egui::Ui;

/// Gives a widget an accessible name when no visible label sits beside it (table cells, charts, drop
/// zones). Focusable widgets keep their role and value; other areas become a named group with bounds.
/// A focusable one (a chart, a sparkline) also gets a visible focus ring and is scrolled into view
/// when the keyboard brings the focus to it.
pub fn name_widget(ui: &Ui, response: &egui::Response, name: &str) {
    if response.sense.is_focusable() {
        ui.ctx().accesskit_node_builder(response.id, |node| node.set_label(name.to_owned()));
        focus_ring(ui, response);
    } else {
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, name));
    }
}

/// A heading that screen readers list as one (egui's `ui.heading` is a plain label to them), so a
/// screen-reader user can jump between the parts of a view.
pub fn heading(ui: &mut Ui, text: impl Into<egui::RichText>) -> egui::Response {
    let text = text.into();
    let words = text.text().to_owned();
    let response = ui.heading(text);
    mark_heading(ui, &response, &words);
    response
}

/// Exposes an already drawn label (a column's name, the product's name) as a heading named `text`.
pub fn mark_heading(ui: &Ui, response: &egui::Response, text: &str) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_role(egui::accesskit::Role::Heading);
        node.set_label(text.to_owned());
    });
}

/// A validation or refusal message: ⚠, the sentence in the error colour, and announced at once by
/// screen readers (an assertive live region), not only shown.
pub fn error_label(ui: &mut Ui, error: &str) -> egui::Response {
    let colour = crate::ui::theme::error_colour(ui.visuals());
    let response = ui.label(egui::RichText::new(format!("⚠ {error}")).color(colour));
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_live(egui::accesskit::Live::Assertive));
    response
}

/// A ring in the accent colour (3:1 against every background) around a focused widget that draws no
/// focus look of its own, and scrolling it into view when it gains the focus.
pub fn focus_ring(ui: &Ui, response: &egui::Response) {
    if response.gained_focus() {
        response.scroll_to_me(None);
    }
    if response.has_focus() {
        ui.painter().rect_stroke(
            response.rect.expand(2.0),
            4.0,
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Outside,
        );
    }
}
