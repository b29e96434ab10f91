//! What the timeline paints behind and above the bars: grid, axis, program increments, sprints, releases
//! and milestones, and dependency arrows.

use super::{AXIS_HEIGHT, HEADER_HEIGHT, SPRINT_ROW, Scale, ticks};
use crate::model::{Date, EpicId, ReleaseKind, Workspace, add_days};
use crate::ui::theme;
use egui::{Rect, Sense, Stroke, TextStyle, Ui, WidgetInfo, pos2};
use std::collections::BTreeMap;

pub(super) fn paint_grid(ui: &Ui, rect: Rect, scale: &Scale, (first, last): (Date, Date)) {
    let grid = ui.visuals().widgets.noninteractive.bg_stroke.color;
    for (date, _) in ticks(first, last, scale.points_per_day) {
        let x = scale.x_of(date);
        ui.painter().line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], Stroke::new(1.0, grid));
    }
}

pub(super) fn paint_axis(ui: &Ui, header: Rect, scale: &Scale, (first, last): (Date, Date)) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let font = TextStyle::Body.resolve(ui.style());
    // A label is skipped when it would overlap the previous one. The label of a tick scrolled off to
    // the left stays pinned at the edge while there is room before the next one.
    let clip_left = ui.clip_rect().left();
    let all = ticks(first, last, scale.points_per_day);
    let mut last_end = f32::NEG_INFINITY;
    for (index, (date, label)) in all.iter().enumerate() {
        let x = scale.x_of(*date);
        let galley = painter.layout_no_wrap(label.clone(), font.clone(), visuals.text_color());
        let left = (x + 4.0).max(clip_left + 4.0);
        let next_x = all.get(index + 1).map_or(f32::INFINITY, |(next, _)| scale.x_of(*next));
        if left < last_end + 8.0 || left + galley.size().x + 8.0 > next_x {
            continue;
        }
        last_end = left + galley.size().x;
        painter.line_segment(
            [pos2(x, header.top()), pos2(x, header.top() + AXIS_HEIGHT)],
            Stroke::new(1.0, visuals.weak_text_color()),
        );
        painter.galley(pos2(left, header.top() + 2.0), galley, visuals.text_color());
    }
}

/// Shades the program increments; returns the one whose name was clicked (or chosen with Enter), to
/// edit it.
pub(super) fn paint_increments(
    ui: &Ui,
    rect: Rect,
    workspace: &Workspace,
    scale: &Scale,
    (first, last): (Date, Date),
) -> Option<crate::model::IncrementId> {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let shade = theme::increment_band(visuals);
    let mut chosen = None;
    for (index, increment) in workspace.increments.iter().enumerate() {
        if increment.end_date < first || increment.start_date > last {
            continue;
        }
        let band = Rect::from_min_max(
            pos2(scale.x_of(increment.start_date), rect.top() + HEADER_HEIGHT - 4.0),
            pos2(scale.x_of(add_days(increment.end_date, 1)), rect.bottom()),
        );
        if index % 2 == 0 {
            painter.rect_filled(band, 0.0, shade);
        }
        // Within its own band, so that a short increment's name never runs into the next one's: cut
        // short with … where the band is narrower than the name.
        // Whole where it fits; in a narrow band the name alone, or its number ("26.4" of "PI 26.4").
        let mut names = vec![format!("{} (program increment)", increment.name), increment.name.clone()];
        names.extend(number_of(&increment.name).map(str::to_owned));
        let galley = fitted(
            ui,
            &names,
            TextStyle::Small.resolve(ui.style()),
            visuals.weak_text_color(),
            (band.width() - 8.0).max(0.0),
            0.0,
        )
        .unwrap_or_else(|| {
            ui.painter().layout_no_wrap(String::new(), TextStyle::Small.resolve(ui.style()), visuals.weak_text_color())
        });
        let name = Rect::from_min_size(pos2(band.left() + 4.0, band.top() + 2.0), galley.size());
        painter.with_clip_rect(band.intersect(painter.clip_rect())).galley(name.min, galley, visuals.weak_text_color());
        // Its name is a button: a click or Enter opens the increment's window.
        let response = ui.interact(
            name.intersect(band),
            ui.make_persistent_id(("increment", increment.increment_id.0)),
            Sense::click(),
        );
        let label = format!(
            "Program increment {}, {} to {}",
            increment.name,
            increment.start_date.strftime("%-d %b %Y"),
            increment.end_date.strftime("%-d %b %Y")
        );
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.has_focus() {
            painter.rect_stroke(name.expand(1.0), 2.0, visuals.selection.stroke, egui::StrokeKind::Outside);
        }
        // What its PI objectives came to, when it has some.
        let measure = crate::model::Predictability::of(&workspace.objectives, increment.increment_id);
        let objectives = match measure.objectives {
            0 => String::new(),
            1 => format!("\n1 PI objective. {}", measure.words()),
            count => format!("\n{count} PI objectives. {}", measure.words()),
        };
        if response.on_hover_text(format!("{label}{objectives}\nClick to edit or delete it.")).clicked() {
            chosen = Some(increment.increment_id);
        }
    }
    chosen
}

pub(super) fn paint_sprint_shading(
    ui: &Ui,
    rect: Rect,
    workspace: &Workspace,
    scale: &Scale,
    (first, last): (Date, Date),
) {
    let shade = theme::sprint_band(ui.visuals());
    for (index, sprint) in workspace.sprints.iter().enumerate() {
        if index % 2 == 1 || sprint.end_date < first || sprint.start_date > last {
            continue;
        }
        let band = Rect::from_min_max(
            pos2(scale.x_of(sprint.start_date), rect.top() + HEADER_HEIGHT),
            pos2(scale.x_of(add_days(sprint.end_date, 1)), rect.bottom()),
        );
        ui.painter().rect_filled(band, 0.0, shade);
    }
}

/// A milestone's dashed line: dash and gap, in points.
const DASH: f32 = 6.0;
const GAP: f32 = 4.0;

/// Paints the releases and milestones; returns the one clicked (or chosen with Enter), to edit it.
pub(super) fn paint_releases(
    ui: &mut Ui,
    header: Rect,
    content: Rect,
    workspace: &Workspace,
    scale: &Scale,
) -> Option<crate::model::ReleaseId> {
    let mut chosen = None;
    let visuals = ui.visuals().clone();
    let font = TextStyle::Small.resolve(ui.style());
    let clip = ui.clip_rect();
    let top = header.top() + AXIS_HEIGHT;
    let size = 7.0;
    // Markers go on the first of two lines where their name fits after the previous name on it; where
    // neither has room (markers days apart at the Years zoom), on the line whose last marker is furthest
    // back. A name then runs only to the next marker on its line, cut short with … or left out where
    // there is no room for it; the tooltip and the accessible name always give it whole.
    let shown: Vec<(&crate::model::Release, f32)> = workspace
        .releases
        .iter()
        .map(|release| (release, scale.x_of(release.date) + scale.points_per_day / 2.0))
        .filter(|(_, x)| *x >= clip.left() - 300.0 && *x <= clip.right() + 20.0)
        .collect();
    let mut label_ends = [f32::NEG_INFINITY; 2];
    let mut last_markers = [f32::NEG_INFINITY; 2];
    let mut lines = Vec::with_capacity(shown.len());
    for (release, x) in &shown {
        let width =
            ui.painter().layout_no_wrap(release.name.clone(), font.clone(), visuals.strong_text_color()).size().x;
        let line = label_ends.iter().position(|end| *end < x - 10.0).unwrap_or_else(|| {
            last_markers.iter().enumerate().min_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(line, _)| line)
        });
        if let (Some(end), Some(marker)) = (label_ends.get_mut(line), last_markers.get_mut(line)) {
            *end = x + size + 3.0 + width;
            *marker = *x;
        }
        lines.push(line);
    }
    for (index, ((release, x), line)) in shown.iter().zip(&lines).enumerate() {
        let (x, line) = (*x, *line);
        let next_on_line =
            shown.iter().zip(&lines).skip(index + 1).find(|(_, other)| **other == line).map(|((_, next), _)| *next);
        let room = next_on_line.map_or(f32::INFINITY, |next| next - size - 4.0 - (x + size + 3.0));
        // Where the whole name has no room, its number ("3.1" of "Release 3.1"), else cut short with ….
        let mut names = vec![release.name.clone()];
        names.extend(number_of(&release.name).map(str::to_owned));
        let galley = fitted(ui, &names, font.clone(), visuals.strong_text_color(), room, 24.0);
        #[expect(clippy::cast_precision_loss, reason = "0 or 1")]
        let centre = pos2(x, top + 12.0 + line as f32 * 20.0);
        // Shape, not only colour, tells them apart: a release is a diamond over a solid line, a milestone
        // a triangle (a flag on the road) over a dashed one.
        let (marker, fill, kind) = match release.kind {
            ReleaseKind::Release => (
                vec![
                    pos2(centre.x, centre.y - size),
                    pos2(centre.x + size, centre.y),
                    pos2(centre.x, centre.y + size),
                    pos2(centre.x - size, centre.y),
                ],
                visuals.selection.stroke.color,
                "Release",
            ),
            ReleaseKind::Milestone => (
                vec![
                    pos2(centre.x, centre.y - size),
                    pos2(centre.x + size, centre.y + size * 0.8),
                    pos2(centre.x - size, centre.y + size * 0.8),
                ],
                visuals.weak_text_color(),
                "Milestone",
            ),
        };
        ui.painter().add(egui::Shape::convex_polygon(marker, fill, Stroke::new(1.0, visuals.text_color())));
        // Only the part in view: the content is as tall as every lane (60,000 points at 2,000 epics),
        // and a dashed line that long is thousands of shapes. Dashes start on the same beat whatever the
        // scroll, so they do not crawl.
        let beats = ((clip.top() - header.bottom()) / (DASH + GAP)).floor().max(0.0);
        let line_top = header.bottom() + beats * (DASH + GAP);
        let line_bottom = content.bottom().min(clip.bottom());
        let line = [pos2(x, line_top), pos2(x, line_bottom)];
        let stroke = Stroke::new(1.0, fill.gamma_multiply(0.5));
        if line_bottom > line_top {
            match release.kind {
                ReleaseKind::Release => {
                    ui.painter().line_segment(line, stroke);
                }
                ReleaseKind::Milestone => {
                    ui.painter().extend(egui::Shape::dashed_line(&line, stroke, DASH, GAP));
                }
            }
        }
        // The marker and its name are one button: a click or Enter opens the release's window.
        let mut right = centre.x + size + 2.0;
        if let Some(galley) = galley {
            let text_pos = pos2(x + size + 3.0, centre.y - galley.size().y / 2.0);
            right = text_pos.x + galley.size().x + 2.0;
            ui.painter().galley(text_pos, galley, visuals.strong_text_color());
        }
        let hit =
            Rect::from_min_max(pos2(centre.x - size - 2.0, centre.y - size - 2.0), pos2(right, centre.y + size + 2.0));
        let response = ui.interact(hit, ui.make_persistent_id(("release", release.release_id.0)), Sense::click());
        let label = format!("{kind} {} on {}", release.name, release.date.strftime("%-d %b %Y"));
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.has_focus() {
            ui.painter().rect_stroke(hit, 2.0, ui.visuals().selection.stroke, egui::StrokeKind::Outside);
        }
        let notes = if release.description.is_empty() { String::new() } else { format!("\n{}", release.description) };
        if response.on_hover_text(format!("{label}{notes}\nClick to edit or delete it.")).clicked() {
            chosen = Some(release.release_id);
        }
    }
    chosen
}

pub(super) fn paint_sprints(ui: &Ui, top: f32, workspace: &Workspace, scale: &Scale, (first, last): (Date, Date)) {
    let visuals = ui.visuals();
    for sprint in &workspace.sprints {
        if sprint.end_date < first || sprint.start_date > last {
            continue;
        }
        let bar = Rect::from_min_max(
            pos2(scale.x_of(sprint.start_date) + 1.0, top + 3.0),
            pos2(scale.x_of(add_days(sprint.end_date, 1)) - 1.0, top + SPRINT_ROW - 3.0),
        );
        ui.painter().rect_filled(bar, 3.0, visuals.widgets.inactive.bg_fill);
        // The whole name where it fits; at the wider zooms its last word ("23" of "Sprint 23"), so a
        // chip is never a blank box; the tooltip gives the name and the dates.
        let font = TextStyle::Small.resolve(ui.style());
        let short = sprint.name.split_whitespace().last().unwrap_or_default().to_owned();
        let whole = ui.painter().layout_no_wrap(sprint.name.clone(), font.clone(), visuals.text_color());
        if whole.size().x + 8.0 < bar.width() {
            ui.painter().galley(
                pos2(bar.left() + 4.0, bar.center().y - whole.size().y / 2.0),
                whole,
                visuals.text_color(),
            );
        } else {
            let short = ui.painter().layout_no_wrap(short, font, visuals.text_color());
            if short.size().x + 2.0 < bar.width() {
                ui.painter().galley(bar.center() - short.size() / 2.0, short, visuals.text_color());
            }
        }
        if ui.rect_contains_pointer(bar) {
            let dates =
                format!("{} to {}", sprint.start_date.strftime("%-d %b %Y"), sprint.end_date.strftime("%-d %b %Y"));
            egui::Tooltip::always_open(
                ui.ctx().clone(),
                ui.layer_id(),
                ui.scope_id().with(("sprint-chip", sprint.sprint_id.0)),
                egui::PopupAnchor::Pointer,
            )
            .show(|ui| ui.label(format!("{}: {dates}", sprint.name)));
        }
    }
}

pub(super) fn paint_dependencies(
    ui: &Ui,
    workspace: &Workspace,
    bars: &BTreeMap<EpicId, Rect>,
    titled_beside: &std::collections::BTreeSet<EpicId>,
    conflicts: &[crate::model::Conflict],
) {
    let visuals = ui.visuals();
    let clip = ui.clip_rect();
    for epic in &workspace.epics {
        for after in &epic.depends_on {
            let (Some(to), Some(from)) = (bars.get(&epic.epic_id), bars.get(after)) else {
                continue;
            };
            let broken = conflicts.iter().any(|conflict| conflict.epic == epic.epic_id && conflict.after == *after);
            let colour = if broken { theme::error_colour(visuals) } else { visuals.weak_text_color() };
            let stroke = Stroke::new(if broken { 2.0 } else { 1.5 }, colour);
            let start = pos2(from.right(), from.center().y);
            let end = pos2(to.left(), to.center().y);
            if !clip.expand(400.0).contains(start) && !clip.expand(400.0).contains(end) {
                continue;
            }
            let apart = to.top() > from.bottom() || to.bottom() < from.top();
            let points = if titled_beside.contains(after) && to.left() >= from.right() && apart {
                // The bar's title and ⋯ button sit right of it: the line leaves from below (or above) the
                // bar's end and turns towards the epic that waits for it, clear of that text.
                let x = if from.width() > 16.0 { from.right() - 8.0 } else { from.center().x };
                let y = if to.top() > from.bottom() { from.bottom() } else { from.top() };
                vec![pos2(x, y), pos2(x, end.y), pos2(end.x - 6.0, end.y)]
            } else {
                let elbow = start.x.max(end.x - 12.0).max(start.x + 8.0);
                vec![start, pos2(elbow, start.y), pos2(elbow, end.y), pos2(end.x - 6.0, end.y)]
            };
            ui.painter().add(egui::Shape::line(points, stroke));
            let tip = end;
            ui.painter().add(egui::Shape::convex_polygon(
                vec![tip, pos2(tip.x - 7.0, tip.y - 4.5), pos2(tip.x - 7.0, tip.y + 4.5)],
                colour,
                Stroke::NONE,
            ));
        }
    }
}

/// The last word of a name of several when it holds a digit: "3.1" of "Release 3.1", "23" of
/// "Sprint 23"; what tells a marker from its neighbours where the whole name has no room.
fn number_of(name: &str) -> Option<&str> {
    let mut words = name.split_whitespace();
    let last = words.next_back()?;
    (words.next().is_some() && last.chars().any(|c| c.is_ascii_digit())).then_some(last)
}

/// The first of `names` that fits in `max_width` whole; else the first cut short with … where there
/// are at least `min_cut` points for it; else nothing.
fn fitted(
    ui: &Ui,
    names: &[String],
    font: egui::FontId,
    colour: egui::Color32,
    max_width: f32,
    min_cut: f32,
) -> Option<std::sync::Arc<egui::Galley>> {
    for name in names {
        let galley = ui.painter().layout_no_wrap(name.clone(), font.clone(), colour);
        if galley.size().x <= max_width {
            return Some(galley);
        }
    }
    let first = names.first()?;
    (max_width >= min_cut).then(|| truncated(ui, first.clone(), font, colour, max_width))
}

/// `text` on one line, cut short with … where it is wider than `max_width`.
fn truncated(
    ui: &Ui,
    text: String,
    font: egui::FontId,
    colour: egui::Color32,
    max_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::simple_singleline(text, font, colour);
    job.wrap = egui::text::TextWrapping::truncate_at_width(max_width);
    ui.painter().layout_job(job)
}

#[cfg(test)]
mod tests {
    use super::number_of;

    #[test]
    fn a_crowded_marker_keeps_the_number_of_its_name() {
        assert_eq!(number_of("Release 3.1"), Some("3.1"));
        assert_eq!(number_of("PI 26.4"), Some("26.4"));
        assert_eq!(number_of("Sprint  23 "), Some("23"));
        // No number, or nothing but it: the name is cut short instead.
        assert_eq!(number_of("External accessibility audit"), None);
        assert_eq!(number_of("2027"), None);
        assert_eq!(number_of(""), None);
    }
}
