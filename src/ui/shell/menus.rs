//! The menu bar, the toolbar, the status bar, the keyboard shortcuts and the help and about windows.

use egui::{RichText, ThemePreference, Ui};

use crate::ui::shortcuts;

use super::{App, EditorState, TandemApp, UiAction, View, theme};

/// Why the workspace's own entries of the File menu are disabled when no workspace is open.
const NEEDS_WORKSPACE: &str = "These need an open workspace: open one or create one first.";

impl TandemApp {
    pub(super) fn shortcuts(&self, ctx: &egui::Context, actions: &mut Vec<UiAction>) {
        let typing = ctx.text_edit_focused();
        ctx.input_mut(|input| {
            if !typing {
                if input.consume_shortcut(&shortcuts::REDO) || input.consume_shortcut(&shortcuts::REDO_ALT) {
                    actions.push(UiAction::Redo);
                } else if input.consume_shortcut(&shortcuts::UNDO) {
                    actions.push(UiAction::Undo);
                }
            }
            for view in View::ALL {
                if input.consume_shortcut(&view.shortcut()) {
                    actions.push(UiAction::Show(view));
                }
            }
            if input.consume_shortcut(&shortcuts::OPEN) {
                actions.push(UiAction::OpenWorkspace);
            }
            if input.consume_shortcut(&shortcuts::SAVE_COPY) {
                actions.push(UiAction::SaveCopy);
            }
        });
        if ctx.input_mut(|input| input.consume_shortcut(&shortcuts::NEW_ITEM)) {
            actions.push(match self.new_item_column() {
                Ok(column_id) => UiAction::NewItemIn(column_id),
                Err(reason) => UiAction::Say(reason.to_owned()),
            });
        }
    }

    /// The column a new item starts in (the board's first), or why there is none: no workspace is open,
    /// or it has no columns. The menu entry and the toolbar button are disabled with this reason.
    fn new_item_column(&self) -> Result<crate::model::ColumnId, &'static str> {
        let Some(app) = &self.app else {
            return Err("A new item needs an open workspace: open one or create one from the File menu first.");
        };
        app.workspace()
            .columns
            .first()
            .map(|column| column.column_id)
            .ok_or("A new item needs a board column: add one on the Board first (+ Add column).")
    }

    /// The File menu's entries that work on the open workspace: save, export, import, baselines, merge.
    fn workspace_file_entries(ui: &mut Ui, actions: &mut Vec<UiAction>) {
        let keys = |ui: &Ui, shortcut: &egui::KeyboardShortcut| ui.ctx().format_shortcut(shortcut);
        if ui.add(egui::Button::new("Save a copy…").shortcut_text(keys(ui, &shortcuts::SAVE_COPY))).clicked() {
            actions.push(UiAction::SaveCopy);
        }
        ui.menu_button("Export", |ui| {
            if ui.button("Workspace copy (.sqlite)…").clicked() {
                actions.push(UiAction::SaveCopy);
            }
            if ui.button("JSON document…").clicked() {
                actions.push(UiAction::Export(crate::interchange::Format::Json));
            }
            if ui.button("Backlog items as CSV…").clicked() {
                actions.push(UiAction::Export(crate::interchange::Format::Csv));
            }
        });
        if ui.button("Import…").clicked() {
            actions.push(UiAction::PickImport);
        }
        ui.separator();
        if ui.button("Save baseline…").clicked() {
            actions.push(UiAction::SaveBaseline);
        }
        if ui.button("Compare…").clicked() {
            actions.push(UiAction::Compare);
        }
        if ui.button("Merge changes from a copy…").clicked() {
            actions.push(UiAction::PickMergeFile);
        }
    }

    pub(super) fn menu_bar_ui(&mut self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        let keys = |ui: &Ui, shortcut: &egui::KeyboardShortcut| ui.ctx().format_shortcut(shortcut);
        // F10 (without Shift, which opens a card's menu) opens the File menu with the focus on it; the
        // arrow keys then walk the menus.
        // Alt and a menu's first letter open that menu, as on most desktops.
        let f10 = ui.input_mut(|input| shortcuts::consume_exactly(input, &shortcuts::MENU_BAR));
        let asked = ui.input_mut(|input| {
            [shortcuts::MENU_FILE, shortcuts::MENU_EDIT, shortcuts::MENU_VIEW, shortcuts::MENU_HELP]
                .iter()
                .map(|shortcut| shortcuts::consume_exactly(input, shortcut))
                .collect::<Vec<_>>()
        });
        egui::MenuBar::new().ui(ui, |ui| {
            let file = ui.menu_button("File", |ui| {
                if ui.button("New workspace…").clicked() {
                    actions.push(UiAction::NewWorkspace);
                }
                if ui.add(egui::Button::new("Open…").shortcut_text(keys(ui, &shortcuts::OPEN))).clicked() {
                    actions.push(UiAction::OpenWorkspace);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.prefs.recent_files.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in &self.prefs.recent_files {
                        if ui.button(path.display().to_string()).clicked() {
                            actions.push(UiAction::OpenRecent(path.clone()));
                        }
                    }
                });
                // Everything below works on the open workspace: disabled, with the reason, when none is.
                ui.add_enabled_ui(self.app.is_some(), |ui| Self::workspace_file_entries(ui, actions))
                    .response
                    .on_disabled_hover_text(NEEDS_WORKSPACE);
                ui.separator();
                if ui.button("Quit").clicked() {
                    actions.push(UiAction::Quit);
                }
            });
            if f10 {
                open_from_keys(ui, &file.response, true);
            } else if asked[0] {
                open_from_keys(ui, &file.response, false);
            }
            let edit = ui.menu_button("Edit", |ui| {
                let undo = self.app.as_ref().and_then(App::undo_description).map(|text| format!("Undo {text}"));
                if ui
                    .add_enabled(
                        undo.is_some(),
                        egui::Button::new(undo.unwrap_or_else(|| "Undo".to_owned()))
                            .shortcut_text(keys(ui, &shortcuts::UNDO)),
                    )
                    .clicked()
                {
                    actions.push(UiAction::Undo);
                }
                let redo = self.app.as_ref().and_then(App::redo_description).map(|text| format!("Redo {text}"));
                if ui
                    .add_enabled(
                        redo.is_some(),
                        egui::Button::new(redo.unwrap_or_else(|| "Redo".to_owned()))
                            .shortcut_text(keys(ui, &shortcuts::REDO)),
                    )
                    .clicked()
                {
                    actions.push(UiAction::Redo);
                }
                ui.separator();
                let target = self.new_item_column();
                let entry = ui
                    .add_enabled(
                        target.is_ok(),
                        egui::Button::new("New item").shortcut_text(keys(ui, &shortcuts::NEW_ITEM)),
                    )
                    .on_disabled_hover_text(target.err().unwrap_or_default());
                if entry.clicked()
                    && let Ok(column_id) = target
                {
                    actions.push(UiAction::NewItemIn(column_id));
                }
                ui.separator();
                if ui
                    .add_enabled(self.app.is_some(), egui::Button::new("Product name and vision…"))
                    .on_hover_text("Name the product this plan is for, and say what it is for")
                    .clicked()
                {
                    actions.push(UiAction::EditProduct);
                }
            });
            if asked[1] {
                open_from_keys(ui, &edit.response, false);
            }
            let view = ui.menu_button("View", |ui| {
                for view in View::ALL {
                    let shortcut = ui.ctx().format_shortcut(&view.shortcut());
                    if ui
                        .add(egui::Button::selectable(self.prefs.view == view, view.label()).shortcut_text(shortcut))
                        .clicked()
                    {
                        actions.push(UiAction::Show(view));
                    }
                }
                if ui.button("UX research…").on_hover_text("Personas, and the insights items answer").clicked() {
                    actions.push(UiAction::ShowResearch);
                }
                ui.separator();
                ui.label("Theme");
                for (theme, name) in [
                    (ThemePreference::System, "Follow the system"),
                    (ThemePreference::Light, "Light"),
                    (ThemePreference::Dark, "Dark"),
                ] {
                    if ui.radio(self.prefs.theme == theme, name).clicked() {
                        self.prefs.theme = theme;
                        ui.ctx().set_theme(theme);
                    }
                }
                if ui.checkbox(&mut self.prefs.high_contrast, "High contrast").changed() {
                    theme::install_visuals(ui.ctx(), self.prefs.high_contrast);
                }
                ui.separator();
                zoom_entries_ui(ui);
                ui.separator();
                if ui
                    .add(egui::Button::new("Presenter mode").shortcut_text(keys(ui, &shortcuts::PRESENTER)))
                    .on_hover_text("Full screen, large type, high contrast, a timer; for workshops and reviews")
                    .clicked()
                {
                    self.toggle_presenter(ui.ctx());
                }
            });
            if asked[2] {
                open_from_keys(ui, &view.response, false);
            }
            let help = ui.menu_button("Help", |ui| {
                if ui.add(egui::Button::new("Keyboard shortcuts").shortcut_text(keys(ui, &shortcuts::HELP))).clicked() {
                    self.show_help = true;
                }
                if ui
                    .button("Fresh sample copy (nothing kept)")
                    .on_hover_text(
                        "A new copy of the sample product for a workshop or a demo; your own workspace is not touched",
                    )
                    .clicked()
                {
                    actions.push(UiAction::FreshSample);
                }
                if ui.button("About Tandem").clicked() {
                    self.show_about = true;
                }
            });
            if asked[3] {
                open_from_keys(ui, &help.response, false);
            }
        });
    }

    pub(super) fn toolbar_ui(&self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        ui.horizontal(|ui| {
            // The product is named from the first screen too, while the workspace opens.
            let shown = self
                .app
                .as_ref()
                .map(App::workspace)
                .or_else(|| self.opening().and_then(crate::app::Opening::first_screen));
            if let Some(workspace) = shown {
                let name = &workspace.product.name;
                let product =
                    ui.add(egui::Label::new(RichText::new(name).heading().strong()).sense(egui::Sense::click()));
                crate::ui::widgets::a11y::mark_heading(ui, &product, name);
                let vision = &workspace.product.vision;
                let hint = if vision.is_empty() {
                    "No vision yet. Click to name the product and say what it is for."
                } else {
                    vision.as_str()
                };
                if product.on_hover_text(hint).clicked() {
                    actions.push(UiAction::EditProduct);
                }
                ui.separator();
            }
            for view in View::ALL {
                if ui.selectable_label(self.prefs.view == view, RichText::new(view.label()).size(17.0)).clicked() {
                    actions.push(UiAction::Show(view));
                }
            }
            ui.separator();
            let target = self.new_item_column();
            let button = ui
                .add_enabled(target.is_ok(), egui::Button::new("+ New item"))
                .on_hover_text(ui.ctx().format_shortcut(&shortcuts::NEW_ITEM))
                .on_disabled_hover_text(target.err().unwrap_or_default());
            if button.clicked()
                && let Ok(column_id) = target
            {
                actions.push(UiAction::NewItemIn(column_id));
            }
        });
    }

    pub(super) fn status_bar_ui(&self, ui: &mut Ui) {
        // The file's path on the right, at most a third of the bar; the rest, on the left, is cut short
        // with "…" rather than drawn over it at narrow widths or large zoom.
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if let Some(app) = &self.app {
                let width = ui.available_width() / 3.0;
                ui.scope(|ui| {
                    ui.set_max_width(width);
                    // Its own tooltip says what the path is: not a second one with the path alone.
                    let path = egui::Label::new(RichText::new(app.path().display().to_string()).weak());
                    ui.add(path.truncate().show_tooltip_when_elided(false))
                        .on_hover_text(format!("The workspace file: {}", app.path().display()));
                });
                ui.separator();
            }
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| self.status_words_ui(ui));
        });
    }

    /// The left part of the status bar: the item count, what is saved, and the last message.
    fn status_words_ui(&self, ui: &mut Ui) {
        if let Some(app) = &self.app {
            ui.label(format!("{} items", crate::ui::widgets::count(app.workspace().item_count())));
            ui.separator();
            let saved = if app.is_read_only() {
                "🔒 Read-only: changes cannot be saved".to_owned()
            } else if self.said_gone.is_some() {
                "⚠ Not saving: the file is no longer where it was opened".to_owned()
            } else if self.keeping == super::Keeping::Demo {
                "Demo copy: nothing is kept when the window closes".to_owned()
            } else if self.editor.as_ref().is_some_and(EditorState::is_dirty) {
                "✏ The item editor has changes that are not saved yet".to_owned()
            } else {
                app.last_saved().map_or_else(
                    || "Every change is saved as you make it".to_owned(),
                    |instant| {
                        format!("Saved at {}", instant.to_zoned(jiff::tz::TimeZone::system()).strftime("%H:%M:%S"))
                    },
                )
            };
            ui.add(egui::Label::new(saved).truncate());
        }
        // An error shows whole in the bar above ([`TandemApp::error_bar_ui`]).
        if let Some(status) = self.status.as_ref().filter(|status| !status.is_error) {
            ui.separator();
            let response = ui.add(egui::Label::new(RichText::new(&status.text)).truncate());
            // A live region: screen readers announce moves, saves and errors as they happen.
            ui.ctx().accesskit_node_builder(response.id, |node| node.set_live(egui::accesskit::Live::Polite));
        }
    }

    /// An error, above the status bar and wrapped, so that all of it is read (what failed, why, and
    /// what to do), however long it is and however narrow the window: the status bar would cut it
    /// short. It stays until the next message, or until dismissed.
    pub(super) fn error_bar_ui(&mut self, ui: &mut Ui) {
        let Some(status) = self.status.as_ref().filter(|status| status.is_error) else {
            return;
        };
        let colour = theme::error_colour(ui.visuals());
        let mut dismissed = false;
        ui.horizontal(|ui| {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                dismissed = ui.button("Dismiss").on_hover_text("Hide this message").clicked();
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Min).with_main_wrap(true), |ui| {
                    let text = RichText::new(format!("⚠ {}", status.text)).color(colour);
                    let response = ui.add(egui::Label::new(text).wrap());
                    // A live region: screen readers announce it as it happens.
                    ui.ctx().accesskit_node_builder(response.id, |node| node.set_live(egui::accesskit::Live::Polite));
                });
            });
        });
        if dismissed {
            self.status = None;
        }
    }

    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        if ctx.input_mut(|input| input.consume_shortcut(&shortcuts::HELP)) {
            self.show_help = !self.show_help;
        }
        let mut show_help = self.show_help;
        crate::ui::widgets::window::titled(ctx, "Keyboard shortcuts")
            .open(&mut show_help)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                // Taller than a small window (or at a large zoom): it scrolls rather than losing its last lines.
                let height = crate::ui::widgets::window::work_area(ui.ctx()).height() - 60.0;
                egui::ScrollArea::vertical().max_height(height.max(120.0)).show(ui, |ui| {
                    egui::Grid::new("shortcuts").num_columns(2).spacing([24.0, 6.0]).show(ui, |ui| {
                        for (keys, what) in shortcuts::HELP_LINES {
                            ui.label(RichText::new(shortcuts::keys_text(ui.ctx(), *keys)).strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
                });
            });
        self.show_help = show_help;
        let mut show_about = self.show_about;
        crate::ui::widgets::window::titled(ctx, "About Tandem")
            .open(&mut show_about)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                crate::ui::widgets::a11y::heading(ui, "Tandem");
                ui.label("Offline planning for product managers and product owners.");
                ui.label(format!("Version {}", crate::build_info::version_line()));
                if let Some(app) = &self.app {
                    ui.label(format!("Workspace: {}", app.path().display()));
                }
            });
        self.show_about = show_about;
    }

    pub(super) fn open_error_ui(&self, ui: &mut Ui, actions: &mut Vec<UiAction>) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            crate::ui::widgets::a11y::heading(ui, "Tandem could not open the workspace");
            ui.add_space(8.0);
            if let Some(error) = &self.open_error {
                crate::ui::widgets::a11y::error_label(ui, error.as_str());
            }
            ui.add_space(12.0);
            if ui.button("Open another workspace…").clicked() {
                actions.push(UiAction::OpenWorkspace);
            }
            if ui.button("Create a new workspace…").clicked() {
                actions.push(UiAction::NewWorkspace);
            }
        });
    }
}

/// The View menu's zoom entries: zoom from the menu too, not only from the keys (the text grows with it).
fn zoom_entries_ui(ui: &mut Ui) {
    let zoom = ui.ctx().zoom_factor();
    let shortcut = |shortcut: &egui::KeyboardShortcut| ui.ctx().format_shortcut(shortcut);
    let (zoom_in, zoom_out, reset) = (
        shortcut(&egui::gui_zoom::kb_shortcuts::ZOOM_IN),
        shortcut(&egui::gui_zoom::kb_shortcuts::ZOOM_OUT),
        shortcut(&egui::gui_zoom::kb_shortcuts::ZOOM_RESET),
    );
    if ui.add_enabled(zoom < super::ZOOM_RANGE.1, egui::Button::new("Zoom in").shortcut_text(zoom_in)).clicked() {
        egui::gui_zoom::zoom_in(ui.ctx());
    }
    if ui.add_enabled(zoom > super::ZOOM_RANGE.0, egui::Button::new("Zoom out").shortcut_text(zoom_out)).clicked() {
        egui::gui_zoom::zoom_out(ui.ctx());
    }
    let actual = format!("Actual size (now {:.0}%)", zoom * 100.0);
    if ui.add_enabled((zoom - 1.0).abs() > f32::EPSILON, egui::Button::new(actual).shortcut_text(reset)).clicked() {
        ui.ctx().set_zoom_factor(1.0);
    }
}

/// Opens the menu of `button` from the keyboard with the focus on it, so that the arrow keys walk it;
/// with `toggle`, an open menu closes instead (F10 pressed again).
fn open_from_keys(ui: &Ui, button: &egui::Response, toggle: bool) {
    let popup = egui::Popup::default_response_id(button);
    if toggle && egui::Popup::is_id_open(ui.ctx(), popup) {
        egui::Popup::close_id(ui.ctx(), popup);
    } else {
        egui::Popup::open_id(ui.ctx(), popup);
        button.request_focus();
    }
}
