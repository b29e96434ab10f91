//! The roadmap timeline: epics as bars on a dated axis with their progress from the board, releases
//! and milestones as diamonds, program increments as shaded bands, sprints on a thin row, and today.

use egui::{Align2, Color32, Pos2, Rect, ScrollArea, Sense, Stroke, StrokeKind, TextStyle, Ui, WidgetInfo, pos2, vec2};

use super::theme;
use crate::model::{Date, ReleaseKind, Workspace};

/// Points per day at the default zoom (about a month per 150 points).
const POINTS_PER_DAY: f32 = 5.0;
const AXIS_HEIGHT: f32 = 44.0;
const MARKER_ROW: f32 = 46.0;
const SPRINT_ROW: f32 = 22.0;
const EPIC_ROW: f32 = 40.0;
const MARGIN_DAYS: i64 = 14;

/// Whole days from `from` to `to` (negative when `to` is earlier).
#[must_use]
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// The dates the timeline spans: every dated thing, with two weeks of margin.
#[must_use]
pub fn timeline_range(workspace: &Workspace, today: Date) -> (Date, Date) {
    let mut dates = vec![today];
    dates.extend(workspace.epics.iter().flat_map(|epic| [epic.start_date, epic.end_date]));
    dates.extend(workspace.releases.iter().map(|release| release.date));
    dates.extend(workspace.increments.iter().flat_map(|increment| [increment.start_date, increment.end_date]));
    dates.extend(workspace.sprints.iter().flat_map(|sprint| [sprint.start_date, sprint.end_date]));
    let first = dates.iter().min().copied().unwrap_or(today);
    let last = dates.iter().max().copied().unwrap_or(today);
    let margin = jiff::Span::new().days(MARGIN_DAYS);
    (first.checked_sub(margin).unwrap_or(first), last.checked_add(margin).unwrap_or(last))
}

/// Draws the timeline.
pub fn roadmap_ui(ui: &mut Ui, workspace: &Workspace, today: Date) {
    if workspace.epics.is_empty() && workspace.releases.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("No epics or releases yet.");
            ui.label("Epics with start and end dates appear here as bars, releases as diamonds.");
        });
        return;
    }
    let (start, end) = timeline_range(workspace, today);
    #[expect(clippy::cast_precision_loss, reason = "a few thousand days at most")]
    let width = days_between(start, end) as f32 * POINTS_PER_DAY;
    #[expect(clippy::cast_precision_loss, reason = "a few thousand epics at most")]
    let height = AXIS_HEIGHT + MARKER_ROW + SPRINT_ROW + workspace.epics.len() as f32 * EPIC_ROW + 20.0;
    ScrollArea::both().id_salt("roadmap").auto_shrink([false, false]).show(ui, |ui| {
        let (rect, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
        let x_of = |date: Date| {
            #[expect(clippy::cast_precision_loss, reason = "days on a timeline")]
            let days = days_between(start, date) as f32;
            rect.left() + days * POINTS_PER_DAY
        };
        paint_axis(ui, rect, start, end, &x_of);
        paint_increments(ui, rect, workspace, &x_of);
        let mut y = rect.top() + AXIS_HEIGHT;
        paint_releases(ui, rect, y, workspace, &x_of);
        y += MARKER_ROW;
        paint_sprints(ui, y, workspace, &x_of);
        y += SPRINT_ROW;
        epic_bars_ui(ui, y, workspace, &x_of);
        let today_x = x_of(today);
        let accent = theme::error_colour(ui.visuals());
        ui.painter()
            .line_segment([pos2(today_x, rect.top() + 22.0), pos2(today_x, rect.bottom())], Stroke::new(2.0, accent));
        ui.painter().text(
            pos2(today_x + 4.0, rect.top() + 24.0),
            Align2::LEFT_TOP,
            "Today",
            TextStyle::Small.resolve(ui.style()),
            accent,
        );
    });
}

fn paint_axis(ui: &Ui, rect: Rect, start: Date, end: Date, x_of: &dyn Fn(Date) -> f32) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let grid = visuals.widgets.noninteractive.bg_stroke.color;
    let font = TextStyle::Body.resolve(ui.style());
    let mut month = start.first_of_month();
    while month <= end {
        let x = x_of(month);
        if x >= rect.left() {
            painter.line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], Stroke::new(1.0, grid));
            let label = if month.month() == 1 || month == start.first_of_month() {
                month.strftime("%b %Y").to_string()
            } else {
                month.strftime("%b").to_string()
            };
            painter.text(pos2(x + 4.0, rect.top() + 2.0), Align2::LEFT_TOP, label, font.clone(), visuals.text_color());
        }
        let Ok(next) = month.checked_add(jiff::Span::new().months(1)) else {
            break;
        };
        month = next;
    }
}

fn paint_increments(ui: &Ui, rect: Rect, workspace: &Workspace, x_of: &dyn Fn(Date) -> f32) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let shade = if visuals.dark_mode { Color32::from_white_alpha(10) } else { Color32::from_black_alpha(12) };
    for (index, increment) in workspace.increments.iter().enumerate() {
        let band = Rect::from_min_max(
            pos2(x_of(increment.start_date), rect.top() + AXIS_HEIGHT - 6.0),
            pos2(x_of(increment.end_date), rect.bottom()),
        );
        if index % 2 == 0 {
            painter.rect_filled(band, 0.0, shade);
        }
        painter.text(
            pos2(band.left() + 4.0, rect.top() + AXIS_HEIGHT - 4.0),
            Align2::LEFT_TOP,
            increment.name.clone(),
            TextStyle::Small.resolve(ui.style()),
            visuals.weak_text_color(),
        );
    }
}

fn paint_releases(ui: &mut Ui, rect: Rect, top: f32, workspace: &Workspace, x_of: &dyn Fn(Date) -> f32) {
    let visuals = ui.visuals().clone();
    let font = TextStyle::Small.resolve(ui.style());
    // Labels go on the first of two lines where they do not collide with the previous label.
    let mut line_ends = [f32::NEG_INFINITY; 2];
    for release in &workspace.releases {
        let x = x_of(release.date);
        let label_width =
            ui.painter().layout_no_wrap(release.name.clone(), font.clone(), visuals.text_color()).size().x;
        let line = line_ends.iter().position(|end| *end < x - 10.0).unwrap_or(0);
        if let Some(end) = line_ends.get_mut(line) {
            *end = x + 10.0 + label_width;
        }
        #[expect(clippy::cast_precision_loss, reason = "0 or 1")]
        let centre = pos2(x, top + 14.0 + line as f32 * 20.0);
        let size = 7.0;
        let diamond = vec![
            pos2(centre.x, centre.y - size),
            pos2(centre.x + size, centre.y),
            pos2(centre.x, centre.y + size),
            pos2(centre.x - size, centre.y),
        ];
        let (fill, kind) = match release.kind {
            ReleaseKind::Release => (visuals.selection.stroke.color, "Release"),
            ReleaseKind::Milestone => (visuals.weak_text_color(), "Milestone"),
        };
        ui.painter().add(egui::Shape::convex_polygon(diamond, fill, Stroke::new(1.0, visuals.text_color())));
        ui.painter().line_segment(
            [pos2(x, centre.y + size), pos2(x, rect.bottom())],
            Stroke::new(1.0, fill.gamma_multiply(0.5)),
        );
        ui.painter().text(
            pos2(x + size + 3.0, centre.y),
            Align2::LEFT_CENTER,
            &release.name,
            font.clone(),
            visuals.strong_text_color(),
        );
        let hit = Rect::from_center_size(centre, vec2(size * 2.0 + 4.0, size * 2.0 + 4.0));
        let response = ui.interact(hit, ui.make_persistent_id(("release", release.release_id.0)), Sense::hover());
        let label = format!("{kind} {} on {}", release.name, release.date.strftime("%-d %b %Y"));
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, &label));
        response.on_hover_text(format!("{label}\n{}", release.description));
    }
}

fn paint_sprints(ui: &Ui, top: f32, workspace: &Workspace, x_of: &dyn Fn(Date) -> f32) {
    let visuals = ui.visuals();
    for sprint in &workspace.sprints {
        let bar = Rect::from_min_max(
            pos2(x_of(sprint.start_date), top + 3.0),
            pos2(x_of(sprint.end_date) - 2.0, top + SPRINT_ROW - 3.0),
        );
        ui.painter().rect_filled(bar, 3.0, visuals.widgets.inactive.bg_fill);
        ui.painter().text(
            pos2(bar.left() + 4.0, bar.center().y),
            Align2::LEFT_CENTER,
            &sprint.name,
            TextStyle::Small.resolve(ui.style()),
            visuals.text_color(),
        );
    }
}

fn epic_bars_ui(ui: &mut Ui, top: f32, workspace: &Workspace, x_of: &dyn Fn(Date) -> f32) {
    let visuals = ui.visuals().clone();
    for (row, epic) in workspace.epics.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "row index")]
        let y = top + row as f32 * EPIC_ROW;
        let end_x = x_of(epic.end_date.checked_add(jiff::Span::new().days(1)).unwrap_or(epic.end_date));
        let bar = Rect::from_min_max(pos2(x_of(epic.start_date), y + 6.0), pos2(end_x, y + EPIC_ROW - 6.0));
        let colour = theme::epic_colour(epic.colour);
        let (done, total) = workspace.epic_points(epic.epic_id);
        let progress = if total > 0.0 { (done / total).clamp(0.0, 1.0) } else { 0.0 };
        let painter = ui.painter();
        painter.rect_filled(bar, 5.0, colour.gamma_multiply(0.25));
        #[expect(clippy::cast_possible_truncation, reason = "a share between 0 and 1")]
        let filled = Rect::from_min_max(bar.min, pos2(bar.left() + bar.width() * progress as f32, bar.bottom()));
        painter.rect_filled(filled, 5.0, colour.gamma_multiply(0.7));
        painter.rect_stroke(bar, 5.0, Stroke::new(1.5, colour), StrokeKind::Inside);
        let percent = (progress * 100.0).round();
        let text = format!("{}  ·  {percent:.0}% done", epic.title);
        let text_pos = Pos2::new(bar.left() + 8.0, bar.center().y);
        painter.text(
            text_pos,
            Align2::LEFT_CENTER,
            &text,
            TextStyle::Body.resolve(ui.style()),
            visuals.strong_text_color(),
        );

        let response = ui.interact(bar, ui.make_persistent_id(("epic-bar", epic.epic_id.0)), Sense::click());
        let label = format!(
            "Epic {}, {} to {}, {percent:.0}% of {total} points done",
            epic.title,
            epic.start_date.strftime("%-d %b %Y"),
            epic.end_date.strftime("%-d %b %Y")
        );
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
        response.on_hover_text(label);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(date(2026, 12, 30), date(2027, 1, 2)), 3);
        assert_eq!(days_between(date(2027, 1, 2), date(2026, 12, 30)), -3);
    }
}
