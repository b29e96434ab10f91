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
        (ItemKind::Story, false) => Color32::from_rgb(0x1a, 0x55, 0xad),
        (ItemKind::Story, true) => Color32::from_rgb(0x8a, 0xb4, 0xf8),
        (ItemKind::Bug, false) => Color32::from_rgb(0xb3, 0x26, 0x1e),
        (ItemKind::Bug, true) => Color32::from_rgb(0xf2, 0x8b, 0x82),
        (ItemKind::Enabler, false) => Color32::from_rgb(0x6a, 0x3d, 0x9a),
        (ItemKind::Enabler, true) => Color32::from_rgb(0xc5, 0xa3, 0xf0),
        (ItemKind::Spike, false) => Color32::from_rgb(0x7a, 0x4f, 0x00),
        (ItemKind::Spike, true) => Color32::from_rgb(0xf6, 0xc3, 0x5b),
    }
}

/// An epic's colour as egui wants it.
#[must_use]
pub fn epic_colour(colour: Colour) -> Color32 {
    let [red, green, blue] = colour.0;
    Color32::from_rgb(red, green, blue)
}

/// Background of a card: a step lighter than the panel in dark themes, white in light ones.
#[must_use]
pub fn card_fill(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { lighten(visuals.panel_fill, 15) } else { Color32::WHITE }
}

/// The shadow along the top of a scrolled column, `strength` from 0 (none) to 255 (black).
#[must_use]
pub fn scroll_shade(strength: u8) -> Color32 {
    Color32::from_black_alpha(strength)
}

/// Background of a board column: the panel, a shade apart.
#[must_use]
pub fn column_fill(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { lighten(visuals.panel_fill, 1) } else { darken(visuals.panel_fill, 12) }
}

fn lighten(colour: Color32, by: u8) -> Color32 {
    Color32::from_rgb(colour.r().saturating_add(by), colour.g().saturating_add(by), colour.b().saturating_add(by))
}

fn darken(colour: Color32, by: u8) -> Color32 {
    Color32::from_rgb(colour.r().saturating_sub(by), colour.g().saturating_sub(by), colour.b().saturating_sub(by))
}

/// An epic's colour made readable as text on this theme's panels and cards: mixed towards white (dark
/// themes) or black (light ones) until it reaches 4.5:1 against every background it is drawn on.
#[must_use]
pub fn epic_text_colour(colour: Colour, visuals: &Visuals) -> Color32 {
    let base = epic_colour(colour);
    let towards = if visuals.dark_mode { Color32::WHITE } else { Color32::BLACK };
    let backgrounds = text_backgrounds(visuals);
    (0..=20u8)
        .map(|step| lerp_colour(base, towards, f32::from(step) / 20.0))
        .find(|candidate| backgrounds.iter().all(|background| contrast_ratio(*candidate, *background) >= 4.5))
        .unwrap_or(towards)
}

fn lerp_colour(from: Color32, to: Color32, t: f32) -> Color32 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a channel between 0 and 255")]
    let mix = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round().clamp(0.0, 255.0) as u8;
    Color32::from_rgb(mix(from.r(), to.r()), mix(from.g(), to.g()), mix(from.b(), to.b()))
}

/// The backgrounds text is drawn on: panels, windows, cards, columns, text fields, striped rows and
/// buttons at rest or hovered.
#[must_use]
pub fn text_backgrounds(visuals: &Visuals) -> Vec<Color32> {
    let faint = blend_over(visuals.faint_bg_color, visuals.panel_fill);
    vec![
        visuals.panel_fill,
        visuals.window_fill,
        card_fill(visuals),
        column_fill(visuals),
        visuals.extreme_bg_color,
        faint,
        visuals.widgets.inactive.weak_bg_fill,
        visuals.widgets.hovered.weak_bg_fill,
    ]
}

/// `top` (which may be translucent or additive) drawn over the opaque `bottom`.
fn blend_over(top: Color32, bottom: Color32) -> Color32 {
    let alpha = f32::from(top.a()) / 255.0;
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a channel between 0 and 255")]
    let channel = |t: u8, b: u8| (f32::from(t) + f32::from(b) * (1.0 - alpha)).round().clamp(0.0, 255.0) as u8;
    Color32::from_rgb(channel(top.r(), bottom.r()), channel(top.g(), bottom.g()), channel(top.b(), bottom.b()))
}

/// WCAG 2.2 relative luminance of an opaque colour.
fn luminance(colour: Color32) -> f32 {
    let linear = |channel: u8| {
        let value = f32::from(channel) / 255.0;
        if value <= 0.040_45 { value / 12.92 } else { ((value + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * linear(colour.r()) + 0.7152 * linear(colour.g()) + 0.0722 * linear(colour.b())
}

/// WCAG 2.2 contrast ratio between two opaque colours, from 1 to 21.
#[must_use]
pub fn contrast_ratio(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The smallest height of anything that can be clicked: WCAG 2.2's minimum target size (SC 2.5.8).
pub const MIN_TARGET: f32 = 24.0;

/// Installs Tandem's spacing in every theme: buttons, menu entries, checkboxes and fields are at least
/// [`MIN_TARGET`] high.
pub fn install_style(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| style.spacing.interact_size.y = MIN_TARGET);
}

/// Installs Tandem's dark and light looks (AA contrast: text 4.5:1 on every background, focus and
/// hover outlines 3:1), or their high-contrast variants.
pub fn install_visuals(ctx: &egui::Context, high_contrast: bool) {
    ctx.set_visuals_of(egui::Theme::Dark, visuals(true, high_contrast));
    ctx.set_visuals_of(egui::Theme::Light, visuals(false, high_contrast));
}

/// The look of one theme.
#[must_use]
pub fn visuals(dark: bool, high_contrast: bool) -> Visuals {
    let mut visuals = if dark { Visuals::dark() } else { Visuals::light() };
    let accent = if dark { Color32::from_rgb(0x8c, 0xc8, 0xff) } else { Color32::from_rgb(0x00, 0x4f, 0x9e) };
    if dark {
        visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(190);
        visuals.weak_text_color = Some(Color32::from_gray(168));
        visuals.widgets.inactive.fg_stroke.color = Color32::from_gray(225);
        // Hover and focus show an outline (below), so the fill may stay close to the button's.
        visuals.widgets.hovered.weak_bg_fill = Color32::from_gray(56);
        visuals.widgets.hovered.bg_fill = Color32::from_gray(60);
        visuals.selection.bg_fill = Color32::from_rgb(0x10, 0x40, 0x60);
    } else {
        visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(45);
        visuals.weak_text_color = Some(Color32::from_gray(92));
        visuals.widgets.inactive.fg_stroke.color = Color32::from_gray(25);
        visuals.hyperlink_color = Color32::from_rgb(0x0b, 0x50, 0xb4);
        visuals.widgets.hovered.weak_bg_fill = Color32::from_gray(232);
        visuals.widgets.hovered.bg_fill = Color32::from_gray(232);
    }
    // Focus and hover are outlined in the accent, 3:1 against every background, not only a fill change.
    visuals.widgets.hovered.bg_stroke = egui::Stroke::new(1.5, accent);
    visuals.selection.stroke.color = accent;
    if high_contrast {
        let (background, text, weak) = if dark {
            (Color32::BLACK, Color32::WHITE, Color32::from_gray(215))
        } else {
            (Color32::WHITE, Color32::BLACK, Color32::from_gray(50))
        };
        visuals.panel_fill = background;
        visuals.window_fill = background;
        visuals.extreme_bg_color = background;
        visuals.faint_bg_color = if dark { Color32::from_gray(22) } else { Color32::from_gray(236) };
        visuals.weak_text_color = Some(weak);
        visuals.override_text_color = None;
        visuals.widgets.noninteractive.fg_stroke.color = text;
        visuals.widgets.noninteractive.bg_stroke = egui::Stroke::new(1.5, weak);
        visuals.widgets.inactive.fg_stroke.color = text;
        visuals.widgets.inactive.weak_bg_fill = background;
        visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.5, text);
        visuals.widgets.hovered.fg_stroke.color = text;
        visuals.widgets.hovered.bg_stroke = egui::Stroke::new(2.5, accent);
        visuals.window_stroke = egui::Stroke::new(2.0, text);
    }
    visuals
}

/// Colour of warnings (WIP limit exceeded, off track), always paired with ⚠ and words.
#[must_use]
pub fn warning_colour(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(0xff, 0xb4, 0x5a) } else { Color32::from_rgb(0x8f, 0x40, 0x00) }
}

/// Colour of good news (on track), always paired with ✔ and words.
#[must_use]
pub fn success_colour(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(0x81, 0xc9, 0x95) } else { Color32::from_rgb(0x17, 0x6b, 0x32) }
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

/// The veil over the window while a file is dragged onto it, and the words on it: white on a dark veil
/// reads the same in every theme, over whatever is beneath.
pub const DROP_VEIL: Color32 = Color32::from_black_alpha(215);
/// See [`DROP_VEIL`].
pub const DROP_TEXT: Color32 = Color32::WHITE;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every look Tandem offers: dark and light, each with and without high contrast.
    fn looks() -> Vec<(String, Visuals)> {
        let mut looks = Vec::new();
        for dark in [true, false] {
            for high_contrast in [false, true] {
                let name = format!(
                    "{}{}",
                    if dark { "dark" } else { "light" },
                    if high_contrast { " high contrast" } else { "" }
                );
                looks.push((name, visuals(dark, high_contrast)));
            }
        }
        looks
    }

    /// Text colours and where they are used; each must reach 4.5:1 on every background.
    fn text_colours(visuals: &Visuals) -> Vec<(String, Color32)> {
        let mut colours = vec![
            ("text".to_owned(), visuals.text_color()),
            ("strong text".to_owned(), visuals.strong_text_color()),
            ("weak text (points, scores, hints, counts)".to_owned(), visuals.weak_text_color()),
            ("link".to_owned(), visuals.hyperlink_color),
            ("button text".to_owned(), visuals.widgets.inactive.fg_stroke.color),
            ("hovered button text".to_owned(), visuals.widgets.hovered.fg_stroke.color),
            ("warning".to_owned(), warning_colour(visuals)),
            ("success".to_owned(), success_colour(visuals)),
            ("error".to_owned(), error_colour(visuals)),
        ];
        for kind in [ItemKind::Story, ItemKind::Bug, ItemKind::Enabler, ItemKind::Spike] {
            colours.push((format!("{} kind", kind.label()), kind_colour(kind, visuals)));
        }
        // The sample's epic colours, a palette of imports, and extremes a user may pick.
        for hex in [
            "#2f6fde", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#000000", "#ffffff",
            "#808080",
        ] {
            if let Some(colour) = Colour::from_hex(hex) {
                colours.push((format!("epic text {hex}"), epic_text_colour(colour, visuals)));
            }
        }
        assert_eq!(colours.len(), 23, "every epic colour parsed");
        colours
    }

    #[test]
    fn every_text_and_background_pair_reaches_aa_in_every_theme() {
        let mut failures = Vec::new();
        for (look, visuals) in looks() {
            for background in text_backgrounds(&visuals) {
                for (what, colour) in text_colours(&visuals) {
                    let ratio = contrast_ratio(colour, background);
                    if ratio < 4.5 {
                        failures.push(format!("{look}: {what} {colour:?} on {background:?} is {ratio:.2}:1"));
                    }
                }
            }
            // A selected button's text on the selection fill.
            let ratio = contrast_ratio(visuals.selection.stroke.color, visuals.selection.bg_fill);
            if ratio < 4.5 {
                failures.push(format!("{look}: selected text on the selection is {ratio:.2}:1"));
            }
        }
        assert!(failures.is_empty(), "{} pairs under 4.5:1:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn focus_and_hover_outlines_reach_three_to_one_in_every_theme() {
        let mut failures = Vec::new();
        for (look, visuals) in looks() {
            for background in text_backgrounds(&visuals) {
                for (what, colour) in [
                    ("focus ring", visuals.selection.stroke.color),
                    ("hover outline", visuals.widgets.hovered.bg_stroke.color),
                ] {
                    let ratio = contrast_ratio(colour, background);
                    if ratio < 3.0 {
                        failures.push(format!("{look}: {what} on {background:?} is {ratio:.2}:1"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_contrast_ratio_matches_wcag_reference_values() {
        assert!((contrast_ratio(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast_ratio(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
        // #767676 on white is the well-known lightest grey that passes AA: 4.54:1.
        assert!((contrast_ratio(Color32::from_gray(0x76), Color32::WHITE) - 4.54).abs() < 0.01);
    }
}

/// What the desktop says about light or dark where the windowing system does not tell egui (X11):
/// GNOME's `color-scheme` setting, then `GTK_THEME`. `None` when nothing says.
#[must_use]
pub fn desktop_theme() -> Option<egui::Theme> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let from_gsettings = std::process::Command::new("gsettings")
        .args(["get", "org.gnome.desktop.interface", "color-scheme"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| theme_from_color_scheme(&String::from_utf8_lossy(&output.stdout)));
    from_gsettings.or_else(|| std::env::var("GTK_THEME").ok().and_then(|name| theme_from_gtk_theme(&name)))
}

/// GNOME's `color-scheme`: `'prefer-dark'` is dark, `'prefer-light'` and `'default'` are light.
fn theme_from_color_scheme(value: &str) -> Option<egui::Theme> {
    match value.trim().trim_matches('\'') {
        "prefer-dark" => Some(egui::Theme::Dark),
        "prefer-light" | "default" => Some(egui::Theme::Light),
        _ => None,
    }
}

/// `GTK_THEME`, e.g. `Adwaita:dark` or `Yaru-dark`: dark when it says so, light otherwise.
fn theme_from_gtk_theme(name: &str) -> Option<egui::Theme> {
    let name = name.trim().to_ascii_lowercase();
    if name.is_empty() {
        None
    } else if name.ends_with(":dark") || name.ends_with("-dark") {
        Some(egui::Theme::Dark)
    } else {
        Some(egui::Theme::Light)
    }
}

#[cfg(test)]
mod desktop_theme_tests {
    use super::*;

    #[test]
    fn the_desktop_setting_is_read_as_gnome_and_gtk_write_it() {
        assert_eq!(theme_from_color_scheme("'prefer-dark'\n"), Some(egui::Theme::Dark));
        assert_eq!(theme_from_color_scheme("'default'\n"), Some(egui::Theme::Light));
        assert_eq!(theme_from_color_scheme("'prefer-light'"), Some(egui::Theme::Light));
        assert_eq!(theme_from_color_scheme("No such schema"), None);
        assert_eq!(theme_from_gtk_theme("Adwaita:dark"), Some(egui::Theme::Dark));
        assert_eq!(theme_from_gtk_theme("Yaru-dark"), Some(egui::Theme::Dark));
        assert_eq!(theme_from_gtk_theme("Adwaita"), Some(egui::Theme::Light));
        assert_eq!(theme_from_gtk_theme(""), None);
    }
}
