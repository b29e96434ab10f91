//! Every keyboard shortcut of the app in one table. Key handling, the menus (beside their items) and
//! the F1 list all read the keys from here, and show them through egui's `format_shortcut`, so they
//! read "Ctrl+N" on Windows and Linux and "⌘N" on macOS; no key name is written by hand elsewhere.

use egui::{Key, KeyboardShortcut, Modifiers};

const COMMAND_SHIFT: Modifiers = Modifiers { shift: true, ..Modifiers::COMMAND };

/// A new item in the first column.
pub const NEW_ITEM: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
/// Save the item in the editor.
pub const SAVE_ITEM: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Enter);
/// Undo the last change.
pub const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Redo the last undone change.
pub const REDO: KeyboardShortcut = KeyboardShortcut::new(COMMAND_SHIFT, Key::Z);
/// Redo, the other common chord.
pub const REDO_ALT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// File ▸ Open.
pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
/// File ▸ Save a copy.
pub const SAVE_COPY: KeyboardShortcut = KeyboardShortcut::new(COMMAND_SHIFT, Key::S);
/// Put the cursor in the board's search field.
pub const FIND: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
/// Show or hide the list of shortcuts.
pub const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
/// Close the editor or a dialog, cancel a drag.
pub const ESCAPE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::Escape);
/// The board.
pub const SHOW_BOARD: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num1);
/// The roadmap.
pub const SHOW_ROADMAP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num2);
/// The metrics.
pub const SHOW_METRICS: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num3);
/// Move the selected card up one place.
pub const MOVE_UP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::ArrowUp);
/// Move the selected card down one place.
pub const MOVE_DOWN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::ArrowDown);
/// Move the selected card to the previous column.
pub const MOVE_LEFT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::ArrowLeft);
/// Move the selected card to the next column.
pub const MOVE_RIGHT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::ArrowRight);
/// Move the selected card to the top of its column.
pub const MOVE_TOP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Home);
/// Move the selected card to the bottom of its column.
pub const MOVE_BOTTOM: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::End);
/// Presenter mode on or off.
pub const PRESENTER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F11);
/// In presenter mode: the next view (what a presentation clicker sends).
pub const NEXT_VIEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::PageDown);
/// In presenter mode: the previous view.
pub const PREVIOUS_VIEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::PageUp);
/// In presenter mode: start a 10-minute time-box, or pause and resume it.
pub const TIMER: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::T);
/// Open the File menu and put the focus on the menu bar.
pub const MENU_BAR: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F10);
/// Open the File menu with the focus on it.
pub const MENU_FILE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::F);
/// Open the Edit menu with the focus on it.
pub const MENU_EDIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::E);
/// Open the View menu with the focus on it.
pub const MENU_VIEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::V);
/// Open the Help menu with the focus on it.
pub const MENU_HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::H);
/// Open the focused card's action menu (the Menu key does too).
pub const CARD_MENU: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F10);
/// Plan the selected card in the sprint panel's sprint, or take it out.
pub const PLAN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::P);

/// Consumes `shortcut` only when its modifiers are held exactly, no more (egui's own matching lets an
/// extra Shift through, so F10 would also take Shift+F10).
pub fn consume_exactly(input: &mut egui::InputState, shortcut: &KeyboardShortcut) -> bool {
    let mut found = false;
    input.events.retain(|event| {
        let hit = matches!(
            event,
            egui::Event::Key { key, pressed: true, modifiers, .. }
                if *key == shortcut.logical_key && modifiers.matches_exact(shortcut.modifiers)
        );
        found |= hit;
        !hit
    });
    found
}

/// What a line of the F1 list names: key chords, or a gesture in words.
#[derive(Clone, Copy, Debug)]
pub enum Keys {
    /// Any of these chords.
    Chords(&'static [KeyboardShortcut]),
    /// A gesture or key group that is not one chord ("Drag a card", "Arrow keys").
    Words(&'static str),
}

/// The F1 list: every shortcut and gesture, in the order a newcomer needs them.
pub const HELP_LINES: &[(Keys, &str)] = &[
    (Keys::Chords(&[NEW_ITEM]), "New item"),
    (Keys::Chords(&[SAVE_ITEM]), "Save the item in the editor (in the comment box: send the comment)"),
    (Keys::Chords(&[ESCAPE]), "Close the editor or a dialog (unsaved edits are asked about)"),
    (Keys::Chords(&[UNDO]), "Undo"),
    (Keys::Chords(&[REDO, REDO_ALT]), "Redo"),
    (Keys::Chords(&[SHOW_BOARD, SHOW_ROADMAP, SHOW_METRICS]), "Board / Roadmap / Metrics"),
    (Keys::Words("Tab / Shift+Tab"), "Move between cards and controls"),
    (Keys::Words("Arrow keys"), "Select the card above, below, left or right"),
    (Keys::Words("Enter or Space"), "Open the focused card"),
    (Keys::Chords(&[MOVE_UP, MOVE_DOWN]), "Move the selected card up or down"),
    (Keys::Chords(&[MOVE_LEFT, MOVE_RIGHT]), "Move the selected card to the previous or next column"),
    (Keys::Chords(&[MOVE_TOP, MOVE_BOTTOM]), "Move the selected card to the top or bottom of its column"),
    (Keys::Chords(&[MENU_BAR]), "Open the menus (arrow keys walk them, Esc closes)"),
    (Keys::Chords(&[MENU_FILE, MENU_EDIT, MENU_VIEW, MENU_HELP]), "Open the File / Edit / View / Help menu"),
    (Keys::Chords(&[CARD_MENU]), "Open the focused card's action menu (also the Menu key)"),
    (Keys::Chords(&[PLAN]), "Plan the selected card in the sprint panel's sprint, or take it out"),
    (Keys::Words("Drag a card"), "Move it; a line shows where it lands; Esc cancels"),
    (Keys::Words("Drop a file on the window"), "Import it: the preview shows first, as File ▸ Import… does"),
    (Keys::Chords(&[FIND]), "Search the board"),
    (Keys::Chords(&[OPEN]), "Open a workspace"),
    (Keys::Chords(&[SAVE_COPY]), "Save a copy"),
    (Keys::Words("Ctrl + / Ctrl − / Ctrl 0"), "Zoom in / out / reset"),
    (Keys::Chords(&[PRESENTER]), "Presenter mode: full screen, large type, high contrast; F11 or Esc ends it"),
    (Keys::Chords(&[NEXT_VIEW, PREVIOUS_VIEW]), "In presenter mode: the next or previous view"),
    (Keys::Chords(&[TIMER]), "In presenter mode: start a 10-minute time-box, pause or resume it"),
    (Keys::Chords(&[HELP]), "Show or hide this list"),
];

/// The keys of a help line as this platform writes them.
#[must_use]
pub fn keys_text(ctx: &egui::Context, keys: Keys) -> String {
    match keys {
        Keys::Chords(chords) => chords.iter().map(|chord| ctx.format_shortcut(chord)).collect::<Vec<_>>().join(" / "),
        Keys::Words(words) => words.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcuts_read_as_each_platform_writes_them() {
        let ctx = egui::Context::default();
        // The fonts (which decide whether ⌘ can be drawn) arrive with the first frame.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_ui| {});
        output.textures_delta.clear();
        ctx.set_os(egui::os::OperatingSystem::Nix);
        assert_eq!(keys_text(&ctx, Keys::Chords(&[NEW_ITEM])), "Ctrl+N");
        assert_eq!(keys_text(&ctx, Keys::Chords(&[REDO, REDO_ALT])), "Ctrl+Shift+Z / Ctrl+Y");
        ctx.set_os(egui::os::OperatingSystem::Mac);
        // ⌘ where the font has the symbol, "Cmd" where it does not; never "Ctrl".
        let mac = keys_text(&ctx, Keys::Chords(&[NEW_ITEM]));
        assert!(mac.contains('⌘') || mac.contains("Cmd"), "{mac}");
        assert!(!mac.contains("Ctrl"), "{mac}");
    }
}
