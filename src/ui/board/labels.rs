//! The label colours window (🎨 Labels on the board's toolbar): every label in use, how many items
//! carry it, and its colour, chosen by name from the palette. A colour is a change like any other: one
//! undoable command.

use egui::{ComboBox, Grid, RichText, Ui, vec2};

use crate::app::{Command, PlanningCommand};
use crate::model::label::{LABEL_PALETTE, colour_name};
use crate::model::{Colour, Workspace};
use crate::ui::UiAction;
use crate::ui::theme;

/// Every label the workspace knows (on items, archived ones too, or coloured), with how many items carry
/// it, by name.
fn labels_in_use(workspace: &Workspace) -> Vec<(String, usize)> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    let in_use = workspace.labels_in_use();
    for used in in_use.iter() {
        counts.insert(used.label.as_str(), used.on_board + used.archived);
    }
    for label in workspace.label_colours.keys() {
        counts.entry(label.as_str()).or_default();
    }
    counts.into_iter().map(|(label, count)| (label.to_owned(), count)).collect()
}

/// A small filled circle in a label's colour, with the colour's name for screen readers.
fn swatch(ui: &mut Ui, colour: Colour) {
    let size = ui.text_style_height(&egui::TextStyle::Body) * 0.8;
    let (rect, _) = ui.allocate_exact_size(vec2(size, size), egui::Sense::hover());
    ui.painter().circle(
        rect.center(),
        size / 2.0,
        theme::epic_colour(colour),
        egui::Stroke::new(1.0, ui.visuals().weak_text_color()),
    );
}

/// Draws the window while `open`; a chosen colour becomes a command in `actions`.
pub(super) fn label_colours_ui(
    ctx: &egui::Context,
    workspace: &Workspace,
    open: &mut bool,
    actions: &mut Vec<UiAction>,
) {
    if !*open {
        return;
    }
    let mut still_open = true;
    crate::ui::widgets::window::titled(ctx, "Label colours")
        .open(&mut still_open)
        .collapsible(false)
        .default_width(380.0)
        .show(ctx, |ui| {
            ui.label("A colour helps the eye find a label on the cards; the label's name is always shown beside it.");
            ui.add_space(6.0);
            let labels = labels_in_use(workspace);
            if labels.is_empty() {
                ui.label(RichText::new("No item has a label yet. Add labels in an item's editor.").italics());
                return;
            }
            egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                Grid::new("label-colours").num_columns(3).spacing([12.0, 6.0]).striped(true).show(ui, |ui| {
                    for (index, (label, count)) in labels.iter().enumerate() {
                        let current = workspace.label_colours.get(label).copied();
                        ui.horizontal(|ui| {
                            match current {
                                Some(colour) => swatch(ui, colour),
                                None => {
                                    ui.add_space(ui.text_style_height(&egui::TextStyle::Body) * 0.8);
                                }
                            }
                            ui.label(format!("#{label}"));
                        });
                        ui.label(crate::interchange::convert::plural(*count, "item"));
                        let selected = current.map_or_else(|| "No colour".to_owned(), colour_name);
                        let mut chosen = current;
                        let response = ComboBox::from_id_salt(("label-colour", index))
                            .selected_text(selected)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(&mut chosen, None, "No colour");
                                for (name, colour) in LABEL_PALETTE {
                                    ui.horizontal(|ui| {
                                        swatch(ui, colour);
                                        ui.selectable_value(&mut chosen, Some(colour), name);
                                    });
                                }
                            })
                            .response;
                        if index == 0 {
                            crate::ui::widgets::window::focus_when_opened(ui, &response);
                        }
                        response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Colour of #{label}"))
                        });
                        if chosen != current {
                            actions.push(UiAction::Apply(Command::Planning(PlanningCommand::SetLabelColour {
                                label: label.clone(),
                                colour: chosen,
                            })));
                        }
                        ui.end_row();
                    }
                });
            });
        });
    // Escape closes it through the shell, which decides what Escape closes first.
    if !still_open {
        *open = false;
    }
}
