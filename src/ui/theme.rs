//! Colours, icons and sizes in one place, so every view speaks the same visual language.
//!
//! Meaning is never carried by colour alone: every coloured mark has an icon or a word beside it.
#![expect(
    clippy::disallowed_methods,
    reason = "the one place where colours are made; clippy.toml forbids the constructors everywhere else"
)]

use egui::{Color32, Visuals};

use crate::model::{Colour, ItemKind, TargetState};

/// Narrowest a board column gets before the board scrolls sideways, in points.
pub const COLUMN_MIN_WIDTH: f32 = 220.0;
/// Widest a board column gets on a large screen.
pub const COLUMN_MAX_WIDTH: f32 = 340.0;
/// Inner margin of a board column.
pub const COLUMN_MARGIN: f32 = 8.0;
/// Gap between cards.
pub const CARD_GAP: f32 = 6.0;
/// Inner padding of a card.
pub const CARD_PADDING: f32 = 8.0;
/// Width of the epic stripe on a card's left edge.
pub const EPIC_STRIPE: f32 = 5.0;
/// Default width of the item editor panel.
pub const EDITOR_WIDTH: f32 = 400.0;

/// The icon shown beside a kind's name.
#[must_use]
pub fn kind_icon(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Story => "📄",
        ItemKind::Bug => "🐛",
        ItemKind::Enabler => "⚙",
        ItemKind::Spike => "🔍",
    }
}

/// The accent of a kind, readable on both light and dark cards.
#[must_use]
pub fn kind_colour(kind: ItemKind, visuals: &Visuals) -> Color32 {
    let dark = visuals.dark_mode;
    match (kind, dark) {
        (ItemKind::Story, false) => Color32::from_rgb(0x1f, 0x5f, 0xbf),
        (ItemKind::Story, true) => Color32::from_rgb(0x8a, 0xb4, 0xf8),
        (ItemKind::Bug, false) => Color32::from_rgb(0xb3, 0x26, 0x1e),
        (ItemKind::Bug, true) => Color32::from_rgb(0xf2, 0x8b, 0x82),
        (ItemKind::Enabler, false) => Color32::from_rgb(0x6a, 0x3d, 0x9a),
        (ItemKind::Enabler, true) => Color32::from_rgb(0xc5, 0xa3, 0xf0),
        (ItemKind::Spike, false) => Color32::from_rgb(0x8a, 0x5a, 0x00),
        (ItemKind::Spike, true) => Color32::from_rgb(0xf6, 0xc3, 0x5b),
    }
}

/// An epic's colour as egui wants it.
#[must_use]
pub fn epic_colour(colour: Colour) -> Color32 {
    let [red, green, blue] = colour.0;
    Color32::from_rgb(red, green, blue)
}

/// Background of a card.
#[must_use]
pub fn card_fill(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_gray(42) } else { Color32::WHITE }
}

/// Background of a board column.
#[must_use]
pub fn column_fill(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_gray(28) } else { Color32::from_gray(236) }
}

/// Colour of warnings (WIP limit exceeded, off track), always paired with ⚠ and words.
#[must_use]
pub fn warning_colour(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(0xff, 0xb4, 0x5a) } else { Color32::from_rgb(0xa3, 0x4a, 0x00) }
}

/// Colour of good news (on track), always paired with ✔ and words.
#[must_use]
pub fn success_colour(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(0x81, 0xc9, 0x95) } else { Color32::from_rgb(0x1e, 0x7b, 0x3a) }
}

/// The faint band behind a program increment on the roadmap.
#[must_use]
pub fn increment_band(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_white_alpha(10) } else { Color32::from_black_alpha(12) }
}

/// The faint band behind every other sprint on the roadmap, when sprint shading is on.
#[must_use]
pub fn sprint_band(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgba_unmultiplied(90, 140, 220, 14)
    } else {
        Color32::from_rgba_unmultiplied(40, 90, 200, 16)
    }
}

/// The shadow under a card while it is dragged.
pub const GHOST_SHADOW: Color32 = Color32::from_black_alpha(60);

/// Colour of errors, always paired with ⚠ and a sentence.
#[must_use]
pub fn error_colour(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(0xff, 0x8a, 0x80) } else { Color32::from_rgb(0xb0, 0x00, 0x20) }
}

/// Icon, words and colour for a KPI's state against its target.
#[must_use]
pub fn target_state_badge(state: TargetState, visuals: &Visuals) -> (&'static str, &'static str, Color32) {
    match state {
        TargetState::OnTrack => ("✔", "On track", success_colour(visuals)),
        TargetState::OffTrack => ("⚠", "Off track", warning_colour(visuals)),
        TargetState::Unknown => ("–", "No target", visuals.weak_text_color()),
    }
}

/// Fonts on common systems that cover Chinese, Japanese and Korean, which egui's built-in fonts do not.
/// The first one found is used as a fallback, so imported Trello and Jira titles in those scripts show.
const CJK_FONT_CANDIDATES: [&str; 12] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/google-droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\YuGothR.ttc",
    "C:\\Windows\\Fonts\\malgun.ttf",
];

/// Installs Tandem's fonts: egui's defaults, with its monospace font as a fallback for the proportional
/// text too (it has arrows and other symbols the proportional font lacks), and the first system CJK font
/// found, if any.
pub fn install_fonts(ctx: &egui::Context) {
    use egui::{FontData, FontDefinitions, FontFamily};
    let mut fonts = FontDefinitions::default();
    if let Some(proportional) = fonts.families.get_mut(&FontFamily::Proportional) {
        proportional.push("Hack".to_owned());
    }
    if let Some(bytes) = CJK_FONT_CANDIDATES.iter().find_map(|path| std::fs::read(path).ok()) {
        fonts.font_data.insert("system-cjk".to_owned(), std::sync::Arc::new(FontData::from_owned(bytes)));
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            if let Some(list) = fonts.families.get_mut(&family) {
                list.push("system-cjk".to_owned());
            }
        }
    }
    ctx.set_fonts(fonts);
}
