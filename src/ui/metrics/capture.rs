//! Charts for slides: Copy image and Save PNG, and the PNG encoding of a captured chart.

use super::CaptureTarget;
use egui::Ui;

/// "Copy image" and "Save PNG…" for a chart; returns where the user wants the picture.
pub fn capture_buttons_ui(ui: &mut Ui, chart_name: &str) -> Option<CaptureTarget> {
    let mut target = None;
    ui.horizontal(|ui| {
        let copy = ui.button("📋 Copy image").on_hover_text("Copy this chart to the clipboard, for slides");
        crate::ui::widgets::a11y::name_widget(ui, &copy, &format!("Copy the chart {chart_name} as an image"));
        if copy.clicked() {
            target = Some(CaptureTarget::Clipboard);
        }
        let save = ui.button("💾 Save PNG…").on_hover_text("Save this chart as a PNG picture");
        crate::ui::widgets::a11y::name_widget(ui, &save, &format!("Save the chart {chart_name} as a PNG file"));
        if save.clicked() {
            target = Some(CaptureTarget::File);
        }
    });
    target
}

/// A file name from a chart name: letters, digits, spaces and hyphens.
#[must_use]
pub fn file_stem(name: &str) -> String {
    let stem: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { '-' }).collect();
    let stem = stem.trim().to_owned();
    if stem.is_empty() { "chart".to_owned() } else { stem }
}

/// Crops a screenshot to a chart and encodes it as PNG.
///
/// # Errors
/// The encoder's message.
pub fn encode_png(image: &egui::ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let mut bytes = Vec::new();
    {
        let width = u32::try_from(width).map_err(|error| error.to_string())?;
        let height = u32::try_from(height).map_err(|error| error.to_string())?;
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|error| error.to_string())?;
        let pixels: Vec<u8> = image.pixels.iter().flat_map(egui::Color32::to_srgba_unmultiplied).collect();
        writer.write_image_data(&pixels).map_err(|error| error.to_string())?;
    }
    Ok(bytes)
}
