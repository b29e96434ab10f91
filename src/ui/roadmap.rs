//! The roadmap timeline: epics as bars on a dated axis with their progress from the board, releases
//! and milestones as diamonds, program increments as shaded bands, sprints on a thin row, dependencies
//! as arrows, and today.
//!
//! Bars are dragged to move them, or by either edge to resize them, snapping to days or weeks by zoom
//! (Shift: days); the drop is one command, undoable. With a bar focused, ←/→ moves it one snap unit and
//! Shift+←/→ moves its end. Ctrl+wheel or a pinch zooms around the pointer; dragging the background or
//! scrolling pans. Only what is visible is drawn.

use std::collections::{BTreeMap, HashMap, HashSet};

use egui::{
    Align2, Color32, CursorIcon, EventFilter, Key, Modifiers, Pos2, Rect, RichText, ScrollArea, Sense, Stroke,
    StrokeKind, TextStyle, Ui, WidgetInfo, pos2, vec2,
};

use super::{UiAction, theme};
use crate::app::{Command, RoadmapCommand};
pub use crate::model::days_between;
use crate::model::{Date, Epic, EpicId, ObjectiveId, ReleaseKind, Workspace, add_days, dependency_conflicts};

const AXIS_HEIGHT: f32 = 44.0;
const MARKER_ROW: f32 = 46.0;
const SPRINT_ROW: f32 = 22.0;
const HEADER_HEIGHT: f32 = AXIS_HEIGHT + MARKER_ROW + SPRINT_ROW;
/// Room above the first bar for the program increments' names.
const BAND_LABEL_ROW: f32 = 16.0;
const LANE_HEADER: f32 = 26.0;
const EPIC_ROW: f32 = 38.0;
const MARGIN_DAYS: i64 = 28;
const EDGE_GRIP: f32 = 7.0;
/// Zoom limits, in points per day.
const MIN_POINTS_PER_DAY: f32 = 0.3;
const MAX_POINTS_PER_DAY: f32 = 48.0;

/// The named zoom levels; smooth zoom moves between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoomLevel {
    /// A week is about 170 points; bars snap to days.
    Weeks,
    /// A month is about 150 points; bars snap to weeks.
    Months,
    /// A quarter is about 150 points.
    Quarters,
    /// A year is about 165 points.
    Years,
}

impl ZoomLevel {
    /// Every level, nearest first.
    pub const ALL: [Self; 4] = [Self::Weeks, Self::Months, Self::Quarters, Self::Years];

    /// Points per day at this level.
    #[must_use]
    pub fn points_per_day(self) -> f32 {
        match self {
            Self::Weeks => 24.0,
            Self::Months => 5.0,
            Self::Quarters => 1.6,
            Self::Years => 0.45,
        }
    }

    /// Its name.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Weeks => "Weeks",
            Self::Months => "Months",
            Self::Quarters => "Quarters",
            Self::Years => "Years",
        }
    }

    /// The level a scale is closest to.
    #[must_use]
    pub fn nearest(points_per_day: f32) -> Self {
        Self::ALL
            .into_iter()
            .min_by(|a, b| {
                let distance = |level: Self| (level.points_per_day().ln() - points_per_day.ln()).abs();
                distance(*a).total_cmp(&distance(*b))
            })
            .unwrap_or(Self::Months)
    }
}

/// Days per snap step at a scale: days when a day is wide enough to aim at, otherwise weeks.
#[must_use]
pub fn snap_days(points_per_day: f32) -> i64 {
    if points_per_day >= 12.0 { 1 } else { 7 }
}

/// Rounds a shift of `days` to whole snap steps (or to whole days without snapping).
#[must_use]
pub fn snapped(days: f32, points_per_day: f32, snapping: bool) -> i64 {
    let step = if snapping { snap_days(points_per_day) } else { 1 };
    #[expect(clippy::cast_precision_loss, reason = "1 or 7")]
    let steps = (days / step as f32).round();
    #[expect(clippy::cast_possible_truncation, reason = "a drag spans at most a few thousand days")]
    let steps = steps as i64;
    steps * step
}

/// Maps dates to x positions and back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The date at `left`.
    pub origin: Date,
    /// The x of the origin's start.
    pub left: f32,
    /// Points per day.
    pub points_per_day: f32,
}

impl Scale {
    /// The x where `date` begins.
    #[must_use]
    pub fn x_of(&self, date: Date) -> f32 {
        #[expect(clippy::cast_precision_loss, reason = "days on a timeline")]
        let days = days_between(self.origin, date) as f32;
        self.left + days * self.points_per_day
    }

    /// The date whose day contains `x`.
    #[must_use]
    pub fn date_at(&self, x: f32) -> Date {
        #[expect(clippy::cast_possible_truncation, reason = "a timeline spans a few thousand days")]
        let days = ((x - self.left) / self.points_per_day + 1e-3).floor() as i64;
        add_days(self.origin, days)
    }
}

/// The dates the timeline spans: every dated thing, with four weeks of margin.
#[must_use]
pub fn timeline_range(workspace: &Workspace, today: Date) -> (Date, Date) {
    let mut first = today;
    let mut last = today;
    let mut see = |date: Date| {
        first = first.min(date);
        last = last.max(date);
    };
    for epic in &workspace.epics {
        see(epic.start_date);
        see(epic.end_date);
    }
    for release in &workspace.releases {
        see(release.date);
    }
    for increment in &workspace.increments {
        see(increment.start_date);
        see(increment.end_date);
    }
    for sprint in &workspace.sprints {
        see(sprint.start_date);
        see(sprint.end_date);
    }
    (add_days(first, -MARGIN_DAYS), add_days(last, MARGIN_DAYS))
}

/// How bars are grouped into lanes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lanes {
    /// One list of bars.
    #[default]
    None,
    /// By the objective each epic serves.
    Objective,
    /// By the label most of an epic's items carry.
    Theme,
    /// By the first release on or after the epic's end.
    Release,
}

impl Lanes {
    const ALL: [Self; 4] = [Self::None, Self::Objective, Self::Theme, Self::Release];

    fn label(self) -> &'static str {
        match self {
            Self::None => "No lanes",
            Self::Objective => "Lanes by objective",
            Self::Theme => "Lanes by theme (label)",
            Self::Release => "Lanes by release",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DragMode {
    Move,
    Start,
    End,
}

#[derive(Clone, Copy, Debug)]
struct BarDrag {
    epic_id: EpicId,
    mode: DragMode,
    origin_x: f32,
    days: i64,
}

/// What the roadmap remembers between frames.
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "independent view toggles, not a state machine")]
pub struct RoadmapState {
    /// Points per day.
    pub points_per_day: f32,
    /// How bars are grouped.
    pub lanes: Lanes,
    /// Lanes folded away, by title.
    pub collapsed: HashSet<String>,
    /// Shade sprints over the whole timeline.
    pub sprint_shading: bool,
    /// Show the objectives and key results panel.
    pub show_objectives: bool,
    /// The epic last clicked or focused.
    pub selected: Option<EpicId>,
    /// The epic editor, when open.
    pub editor: Option<super::epic_editor::EpicEditor>,
    drag: Option<BarDrag>,
    drag_cancelled: bool,
    /// A new epic being sketched by dragging along an empty stretch of a lane: the press's x.
    sketch: Option<f32>,
    derived: Derived,
    scroll_to: Option<egui::Vec2>,
    scrolled_to_today: bool,
}

impl Default for RoadmapState {
    fn default() -> Self {
        Self {
            points_per_day: ZoomLevel::Months.points_per_day(),
            lanes: Lanes::None,
            collapsed: HashSet::new(),
            sprint_shading: false,
            show_objectives: false,
            selected: None,
            editor: None,
            drag: None,
            drag_cancelled: false,
            sketch: None,
            derived: Derived::default(),
            scroll_to: None,
            scrolled_to_today: false,
        }
    }
}

impl RoadmapState {
    /// Cancels a bar drag in progress (Escape); returns whether there was one.
    pub fn cancel_drag(&mut self) -> bool {
        if self.drag.take().is_some() | self.sketch.take().is_some() {
            self.drag_cancelled = true;
            true
        } else {
            false
        }
    }

    /// Whether a bar is being dragged.
    #[must_use]
    pub fn is_dragging(&self) -> bool {
        self.drag.is_some()
    }
}

/// What the bars show that comes from the items, computed in one pass whenever the workspace changes
/// (not per bar and frame: a bar would otherwise walk every item).
#[derive(Debug, Default)]
struct Derived {
    revision: Option<u64>,
    /// Done and total points per epic.
    points: HashMap<EpicId, (f64, f64)>,
    /// The most common label among an epic's items.
    themes: HashMap<EpicId, String>,
}

impl Derived {
    fn refresh(&mut self, workspace: &Workspace) {
        if self.revision == Some(workspace.revision()) {
            return;
        }
        self.revision = Some(workspace.revision());
        self.points.clear();
        let mut labels: HashMap<EpicId, BTreeMap<&str, usize>> = HashMap::new();
        for item in workspace.items() {
            let Some(epic) = item.epic_id else {
                continue;
            };
            let points = item.points.unwrap_or(0.0);
            let entry = self.points.entry(epic).or_default();
            entry.1 += points;
            if workspace.column(item.column_id).is_some_and(|column| column.is_done) {
                entry.0 += points;
            }
            for label in &item.labels {
                *labels.entry(epic).or_default().entry(label.as_str()).or_default() += 1;
            }
        }
        self.themes = labels
            .into_iter()
            .filter_map(|(epic, counts)| {
                counts
                    .into_iter()
                    .max_by_key(|(label, count)| (*count, std::cmp::Reverse(*label)))
                    .map(|(label, _)| (epic, label.to_owned()))
            })
            .collect();
    }
}

/// A lane: its title and its epics, in creation order.
struct Lane<'a> {
    title: String,
    epics: Vec<&'a Epic>,
}

fn lanes_of<'a>(workspace: &'a Workspace, grouping: Lanes, derived: &Derived) -> Vec<Lane<'a>> {
    let mut epics: Vec<&Epic> = workspace.epics.iter().collect();
    epics.sort_by_key(|epic| epic.epic_id);
    if grouping == Lanes::None {
        return vec![Lane { title: String::new(), epics }];
    }
    let mut releases: Vec<_> =
        workspace.releases.iter().filter(|release| release.kind == ReleaseKind::Release).collect();
    releases.sort_by_key(|release| release.date);
    let mut lanes: Vec<Lane<'_>> = Vec::new();
    let mut other = Vec::new();
    for epic in epics {
        let title = match grouping {
            Lanes::None => None,
            Lanes::Objective => epic
                .objective_id
                .and_then(|id| workspace.objectives.iter().find(|objective| objective.objective_id == id))
                .map(|objective| objective.title.clone()),
            Lanes::Theme => derived.themes.get(&epic.epic_id).cloned(),
            Lanes::Release => releases
                .iter()
                .find(|release| release.date >= epic.end_date)
                .map(|release| format!("Ships in {}", release.name)),
        };
        match title {
            Some(title) => match lanes.iter_mut().find(|lane| lane.title == title) {
                Some(lane) => lane.epics.push(epic),
                None => lanes.push(Lane { title, epics: vec![epic] }),
            },
            None => other.push(epic),
        }
    }
    if !other.is_empty() {
        let title = match grouping {
            Lanes::Objective => "No objective",
            Lanes::Theme => "No label",
            Lanes::Release | Lanes::None => "After the last release",
        };
        lanes.push(Lane { title: title.to_owned(), epics: other });
    }
    lanes
}

/// The toolbar above the timeline: zoom levels, lanes, sprint shading, new epic, objectives.
fn toolbar_ui(ui: &mut Ui, state: &mut RoadmapState, today: Date) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Zoom:");
        let current = ZoomLevel::nearest(state.points_per_day);
        for level in ZoomLevel::ALL {
            if ui.selectable_label(current == level, level.label()).clicked() {
                state.points_per_day = level.points_per_day();
                state.scrolled_to_today = false;
            }
        }
        ui.separator();
        egui::ComboBox::from_id_salt("roadmap-lanes")
            .selected_text(state.lanes.label())
            .show_ui(ui, |ui| {
                for lanes in Lanes::ALL {
                    ui.selectable_value(&mut state.lanes, lanes, lanes.label());
                }
            })
            .response
            .widget_info(|| WidgetInfo::labeled(egui::Role::ComboBox, true, "Group bars into lanes"));
        ui.checkbox(&mut state.sprint_shading, "Sprint shading");
        ui.separator();
        if ui.button("Today").on_hover_text("Scroll to today").clicked() {
            state.scrolled_to_today = false;
        }
        if ui.button("+ New epic").clicked() {
            state.editor = Some(super::epic_editor::EpicEditor::new_epic(today));
        }
        ui.toggle_value(&mut state.show_objectives, "Objectives and key results");
    });
}

/// Draws the roadmap and turns drags, keys and clicks into actions.
pub fn roadmap_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    today: Date,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    toolbar_ui(ui, state, today);
    let conflicts = dependency_conflicts(&workspace.epics);
    if !conflicts.is_empty() {
        let colour = theme::error_colour(ui.visuals());
        let count = conflicts.len();
        let heading = if count == 1 {
            "⚠ 1 dependency is broken:".to_owned()
        } else {
            format!("⚠ {count} dependencies are broken:")
        };
        ui.label(RichText::new(heading).color(colour).strong());
        for conflict in &conflicts {
            ui.label(RichText::new(&conflict.message).color(colour));
        }
    }
    if state.show_objectives {
        egui::Panel::right("objectives-panel").resizable(true).default_size(330.0).show(ui, |ui| {
            super::epic_editor::objectives_ui(ui, workspace, state, actions);
        });
    }
    if workspace.epics.is_empty() && workspace.releases.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("No epics or releases yet.");
            ui.label("Add an epic with “+ New epic”; it appears here as a bar you can drag to reschedule.");
        });
        return;
    }
    let (start, end) = timeline_range(workspace, today);
    state.derived.refresh(workspace);
    let lanes = lanes_of(workspace, state.lanes, &state.derived);
    let grouped = state.lanes != Lanes::None;
    let mut height = HEADER_HEIGHT + BAND_LABEL_ROW + 16.0;
    for lane in &lanes {
        if grouped {
            height += LANE_HEADER;
        }
        if !state.collapsed.contains(&lane.title) {
            // One row per epic, plus an empty stretch to sketch a new epic on.
            #[expect(clippy::cast_precision_loss, reason = "a few thousand epics at most")]
            let rows = lane.epics.len() as f32 + 1.0;
            height += rows * EPIC_ROW;
        }
    }

    // Zoom around the pointer: Ctrl+wheel or a pinch.
    let zoom = ui.input(egui::InputState::zoom_delta);
    let mut scroll = ScrollArea::both().id_salt("roadmap").auto_shrink([false, false]);
    if let Some(offset) = state.scroll_to.take() {
        scroll = scroll.scroll_offset(offset);
    }
    let points_per_day = state.points_per_day;
    #[expect(clippy::cast_precision_loss, reason = "a few thousand days")]
    let width = (days_between(start, end) + 1) as f32 * points_per_day;
    let output = scroll.show(ui, |ui| {
        let (rect, background) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
        let scale = Scale { origin: start, left: rect.left(), points_per_day };
        let clip = ui.clip_rect();
        let visible_days = (scale.date_at(clip.left() - 1.0), scale.date_at(clip.right() + 1.0));
        if state.sprint_shading {
            paint_sprint_shading(ui, rect, workspace, &scale, visible_days);
        }
        paint_increments(ui, rect, workspace, &scale, visible_days);
        paint_grid(ui, rect, &scale, visible_days);

        let mut bar_rects: BTreeMap<EpicId, Rect> = BTreeMap::new();
        let mut y = rect.top() + HEADER_HEIGHT + BAND_LABEL_ROW;
        for lane in &lanes {
            if grouped {
                lane_header_ui(ui, rect, y, lane, state);
                y += LANE_HEADER;
            }
            if state.collapsed.contains(&lane.title) {
                continue;
            }
            for epic in &lane.epics {
                let row = Rect::from_min_size(pos2(rect.left(), y), vec2(rect.width(), EPIC_ROW));
                y += EPIC_ROW;
                let bar = bar_rect(epic, &scale, row);
                bar_rects.insert(epic.epic_id, bar);
                if row.bottom() < clip.top() + HEADER_HEIGHT - EPIC_ROW || row.top() > clip.bottom() {
                    continue;
                }
                if bar.right() < clip.left() - 200.0 || bar.left() > clip.right() + 200.0 {
                    // Off to the side: nothing to draw, but a focused bar must keep its focus.
                    if ui.memory(|memory| memory.has_focus(bar_id(ui, epic.epic_id))) {
                        epic_bar_ui(ui, epic, bar, &scale, &conflicts, state, actions);
                    }
                    continue;
                }
                epic_bar_ui(ui, epic, bar, &scale, &conflicts, state, actions);
            }
            let stretch = Rect::from_min_size(pos2(rect.left(), y), vec2(rect.width(), EPIC_ROW));
            y += EPIC_ROW;
            let objective = (state.lanes == Lanes::Objective)
                .then(|| workspace.objectives.iter().find(|objective| objective.title == lane.title))
                .flatten()
                .map(|objective| objective.objective_id);
            sketch_ui(ui, stretch, &scale, &lane.title, objective, state);
        }
        paint_dependencies(ui, workspace, &bar_rects, &conflicts);
        let today_x = scale.x_of(today) + points_per_day / 2.0;
        let accent = theme::error_colour(ui.visuals());
        ui.painter().line_segment(
            [pos2(today_x, clip.top() + HEADER_HEIGHT), pos2(today_x, rect.bottom())],
            Stroke::new(2.0, accent),
        );
        // The header stays at the top while the bars scroll under it.
        let header = Rect::from_min_size(pos2(rect.left(), clip.top()), vec2(rect.width(), HEADER_HEIGHT));
        ui.painter().rect_filled(header.intersect(clip), 0.0, ui.visuals().panel_fill);
        paint_axis(ui, header, &scale, visible_days);
        paint_releases(ui, header, rect, workspace, &scale);
        paint_sprints(ui, header.top() + AXIS_HEIGHT + MARKER_ROW, workspace, &scale, visible_days);
        ui.painter().line_segment(
            [pos2(today_x, header.top() + 22.0), pos2(today_x, header.bottom())],
            Stroke::new(2.0, accent),
        );
        ui.painter().text(
            pos2(today_x + 4.0, header.top() + 24.0),
            Align2::LEFT_TOP,
            "Today",
            TextStyle::Small.resolve(ui.style()),
            accent,
        );
        background.widget_info(|| {
            WidgetInfo::labeled(
                egui::Role::Group,
                true,
                format!(
                    "Roadmap from {} to {}, zoom {}",
                    start.strftime("%-d %b %Y"),
                    end.strftime("%-d %b %Y"),
                    ZoomLevel::nearest(points_per_day).label()
                ),
            )
        });
        scale
    });
    let scale = output.inner;
    let viewport = output.inner_rect;
    let offset = output.state.clamped_offset();
    if !state.scrolled_to_today {
        state.scrolled_to_today = true;
        let x = scale.x_of(add_days(today, -21)) - scale.left;
        state.scroll_to = Some(vec2(x.max(0.0), offset.y));
        ui.ctx().request_repaint();
    }
    let hovered = ui.rect_contains_pointer(viewport);
    if hovered && (zoom - 1.0).abs() > f32::EPSILON {
        let new_scale = (state.points_per_day * zoom).clamp(MIN_POINTS_PER_DAY, MAX_POINTS_PER_DAY);
        if let Some(pointer) = ui.input(|input| input.pointer.hover_pos()) {
            let content_x = pointer.x - viewport.left() + offset.x;
            let anchored = content_x * new_scale / state.points_per_day;
            state.scroll_to = Some(vec2((offset.x + anchored - content_x).max(0.0), offset.y));
        }
        state.points_per_day = new_scale;
        ui.ctx().request_repaint();
    }
}

/// The empty stretch under a lane's bars: dragging along it sketches a new epic over the dragged
/// dates and opens the epic editor on them (in the lane's objective when lanes are objectives).
fn sketch_ui(
    ui: &mut Ui,
    stretch: Rect,
    scale: &Scale,
    lane: &str,
    objective: Option<ObjectiveId>,
    state: &mut RoadmapState,
) {
    let clip = ui.clip_rect();
    if stretch.bottom() < clip.top() + HEADER_HEIGHT || stretch.top() > clip.bottom() {
        return;
    }
    let id = ui.make_persistent_id(("new-epic-stretch", lane));
    let response = ui.interact(stretch.intersect(clip), id, Sense::drag());
    let name = if lane.is_empty() {
        "Empty stretch of the timeline: drag along it to sketch a new epic".to_owned()
    } else {
        format!("Empty stretch of the lane {lane}: drag along it to sketch a new epic")
    };
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Group, true, &name));
    let visuals = ui.visuals().clone();
    if response.hovered() && state.sketch.is_none() && state.drag.is_none() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
        if let Some(pointer) = response.hover_pos() {
            ui.painter().text(
                pos2(pointer.x + 12.0, stretch.center().y),
                Align2::LEFT_CENTER,
                "Drag to sketch a new epic",
                TextStyle::Small.resolve(ui.style()),
                visuals.weak_text_color(),
            );
        }
    }
    if response.drag_started()
        && let Some(press) = ui.input(|input| input.pointer.press_origin())
    {
        state.sketch = Some(press.x);
    }
    let (Some(origin), Some(pointer)) = (
        state.sketch.filter(|_| response.dragged() || response.drag_stopped()),
        response.interact_pointer_pos().or_else(|| ui.ctx().pointer_latest_pos()),
    ) else {
        return;
    };
    let snapping = !ui.input(|input| input.modifiers.shift);
    let (left, right) = (origin.min(pointer.x), origin.max(pointer.x));
    let (start, end) = sketched_dates(scale, left, right, snapping);
    let preview = Rect::from_x_y_ranges(
        scale.x_of(start)..=scale.x_of(add_days(end, 1)),
        stretch.shrink2(vec2(0.0, 6.0)).y_range(),
    );
    ui.painter().rect(
        preview,
        4.0,
        visuals.selection.bg_fill.gamma_multiply(0.5),
        Stroke::new(1.5, visuals.selection.stroke.color),
        egui::StrokeKind::Inside,
    );
    let words = format!("New epic: {} – {}", start.strftime("%-d %b"), end.strftime("%-d %b %Y"));
    ui.painter().text(
        preview.left_center() + vec2(6.0, 0.0),
        Align2::LEFT_CENTER,
        &words,
        TextStyle::Body.resolve(ui.style()),
        visuals.strong_text_color(),
    );
    if response.drag_stopped() {
        state.sketch = None;
        let mut editor = super::epic_editor::EpicEditor::new_epic(start);
        editor.draft.start_date = start;
        editor.draft.end_date = end;
        editor.draft.objective_id = objective;
        state.editor = Some(editor);
    }
}

/// The dates a sketch from `left` to `right` covers: whole weeks (Monday to Sunday) when snapping at
/// zooms that snap to weeks, whole days otherwise; at least one day.
#[must_use]
pub fn sketched_dates(scale: &Scale, left: f32, right: f32, snapping: bool) -> (Date, Date) {
    let start = scale.date_at(left);
    let end = scale.date_at(right).max(start);
    if snapping && snap_days(scale.points_per_day) == 7 {
        let monday = crate::interchange::convert::monday_of(start);
        let last_monday = crate::interchange::convert::monday_of(end);
        (monday, add_days(last_monday, 6))
    } else {
        (start, end)
    }
}

fn bar_id(ui: &Ui, epic_id: EpicId) -> egui::Id {
    ui.make_persistent_id(("epic-bar", epic_id.0))
}

fn bar_rect(epic: &Epic, scale: &Scale, row: Rect) -> Rect {
    let left = scale.x_of(epic.start_date);
    let right = scale.x_of(add_days(epic.end_date, 1)).max(left + 4.0);
    Rect::from_min_max(pos2(left, row.top() + 5.0), pos2(right, row.bottom() - 5.0))
}

/// The epic's dates after a drag or key press of `days` in `mode`; never ends before it starts.
fn moved(epic: &Epic, mode: DragMode, days: i64) -> Epic {
    let mut epic = epic.clone();
    match mode {
        DragMode::Move => {
            epic.start_date = add_days(epic.start_date, days);
            epic.end_date = add_days(epic.end_date, days);
        }
        DragMode::Start => epic.start_date = add_days(epic.start_date, days).min(epic.end_date),
        DragMode::End => epic.end_date = add_days(epic.end_date, days).max(epic.start_date),
    }
    epic
}

fn span_text(epic: &Epic) -> String {
    format!("{} – {}", epic.start_date.strftime("%-d %b %Y"), epic.end_date.strftime("%-d %b %Y"))
}

fn epic_bar_ui(
    ui: &mut Ui,
    epic: &Epic,
    bar: Rect,
    scale: &Scale,
    conflicts: &[crate::model::Conflict],
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    let id = bar_id(ui, epic.epic_id);
    let response = ui.interact(bar, id, Sense::click_and_drag());
    let shift = ui.input(|input| input.modifiers.shift);

    // Dragging: the mode comes from where the drag started.
    // The press point, not where the pointer was when the drag was recognised, decides the mode and
    // the distance.
    if response.drag_started()
        && let Some(pointer) =
            ui.input(|input| input.pointer.press_origin()).or_else(|| response.interact_pointer_pos())
    {
        let mode = if bar.width() > EDGE_GRIP * 3.0 && pointer.x <= bar.left() + EDGE_GRIP {
            DragMode::Start
        } else if bar.width() > EDGE_GRIP * 3.0 && pointer.x >= bar.right() - EDGE_GRIP {
            DragMode::End
        } else {
            DragMode::Move
        };
        state.drag = Some(BarDrag { epic_id: epic.epic_id, mode, origin_x: pointer.x, days: 0 });
        state.drag_cancelled = false;
        state.selected = Some(epic.epic_id);
        response.request_focus();
    }
    let mut shown = epic.clone();
    if let Some(drag) = state.drag.as_mut().filter(|drag| drag.epic_id == epic.epic_id) {
        if let Some(pointer) = ui.input(|input| input.pointer.interact_pos()) {
            drag.days = snapped((pointer.x - drag.origin_x) / scale.points_per_day, scale.points_per_day, !shift);
        }
        shown = moved(epic, drag.mode, drag.days);
        let sign = if drag.days >= 0 { "+" } else { "−" };
        let tip = format!(
            "{}\n{sign}{} days{}",
            span_text(&shown),
            drag.days.abs(),
            if shift { "" } else { " (Shift: no snapping)" }
        );
        egui::Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), id.with("drag-tip"), egui::PopupAnchor::Pointer)
            .gap(14.0)
            .show(|ui| ui.label(tip));
        if response.drag_stopped() || !ui.input(|input| input.pointer.any_down()) {
            let (mode, days) = (drag.mode, drag.days);
            state.drag = None;
            if days != 0 {
                actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateEpic(moved(epic, mode, days)))));
            }
        }
    }
    if state.drag_cancelled && !ui.input(|input| input.pointer.any_down()) {
        state.drag_cancelled = false;
    }
    if response.hovered() && state.drag.is_none() {
        let cursor = match ui.input(|input| input.pointer.hover_pos()) {
            Some(pointer)
                if bar.width() > EDGE_GRIP * 3.0
                    && (pointer.x <= bar.left() + EDGE_GRIP || pointer.x >= bar.right() - EDGE_GRIP) =>
            {
                CursorIcon::ResizeHorizontal
            }
            _ => CursorIcon::Grab,
        };
        ui.ctx().set_cursor_icon(cursor);
    } else if state.drag.is_some_and(|drag| drag.epic_id == epic.epic_id) {
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }
    if response.clicked() {
        state.selected = Some(epic.epic_id);
        response.request_focus();
    }
    if response.double_clicked() {
        state.editor = Some(super::epic_editor::EpicEditor::edit(epic));
    }

    // Keyboard twin of the drag.
    if response.has_focus() {
        state.selected = Some(epic.epic_id);
        ui.memory_mut(|memory| {
            memory.set_focus_lock_filter(
                id,
                EventFilter { horizontal_arrows: true, vertical_arrows: false, tab: false, escape: false },
            );
        });
        let step = snap_days(scale.points_per_day);
        let (left, right, shift_held, enter) = ui.input_mut(|input| {
            let shift_held = input.modifiers.shift;
            let left = input.consume_key(Modifiers::SHIFT, Key::ArrowLeft)
                || input.consume_key(Modifiers::NONE, Key::ArrowLeft);
            let right = input.consume_key(Modifiers::SHIFT, Key::ArrowRight)
                || input.consume_key(Modifiers::NONE, Key::ArrowRight);
            let enter = input.consume_key(Modifiers::NONE, Key::Enter);
            (left, right, shift_held, enter)
        });
        let mode = if shift_held { DragMode::End } else { DragMode::Move };
        if left {
            actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateEpic(moved(epic, mode, -step)))));
        }
        if right {
            actions.push(UiAction::Apply(Command::Roadmap(RoadmapCommand::UpdateEpic(moved(epic, mode, step)))));
        }
        if enter {
            state.editor = Some(super::epic_editor::EpicEditor::edit(epic));
        }
    }

    // Painting.
    let visuals = ui.visuals().clone();
    let bar = Rect::from_min_max(
        pos2(scale.x_of(shown.start_date), bar.top()),
        pos2(scale.x_of(add_days(shown.end_date, 1)).max(scale.x_of(shown.start_date) + 4.0), bar.bottom()),
    );
    let colour = theme::epic_colour(epic.colour);
    let (done, total) = state.derived.points.get(&epic.epic_id).copied().unwrap_or_default();
    let progress = if total > 0.0 { (done / total).clamp(0.0, 1.0) } else { 0.0 };
    let painter = ui.painter();
    painter.rect_filled(bar, 5.0, colour.gamma_multiply(0.25));
    #[expect(clippy::cast_possible_truncation, reason = "a share between 0 and 1")]
    let filled = Rect::from_min_max(bar.min, pos2(bar.left() + bar.width() * progress as f32, bar.bottom()));
    painter.rect_filled(filled, 5.0, colour.gamma_multiply(0.7));
    let in_conflict = conflicts.iter().any(|conflict| conflict.epic == epic.epic_id);
    let outline = if in_conflict { Stroke::new(2.5, theme::error_colour(&visuals)) } else { Stroke::new(1.5, colour) };
    painter.rect_stroke(bar, 5.0, outline, StrokeKind::Inside);
    if response.has_focus() || state.selected == Some(epic.epic_id) {
        painter.rect_stroke(
            bar.expand(3.0),
            7.0,
            Stroke::new(2.0, visuals.selection.stroke.color),
            StrokeKind::Outside,
        );
    }
    if bar.width() > EDGE_GRIP * 3.0 && (response.hovered() || response.has_focus()) {
        for x in [bar.left() + 3.0, bar.right() - 3.0] {
            painter.line_segment(
                [pos2(x, bar.top() + 6.0), pos2(x, bar.bottom() - 6.0)],
                Stroke::new(2.0, visuals.strong_text_color()),
            );
        }
    }
    let percent = (progress * 100.0).round();
    let warning = if in_conflict { "⚠ " } else { "" };
    let text = format!("{warning}{}  ·  {percent:.0}% done", epic.title);
    let galley = painter.layout_no_wrap(text, TextStyle::Body.resolve(ui.style()), visuals.strong_text_color());
    let text_pos = Pos2::new(bar.left() + 8.0, bar.center().y - galley.size().y / 2.0);
    painter.with_clip_rect(ui.clip_rect()).galley(text_pos, galley, visuals.strong_text_color());

    let label = format!(
        "Epic {}, {}, {percent:.0}% of {total} points done{}",
        epic.title,
        span_text(&shown),
        if in_conflict { ", starts before an epic it depends on ends" } else { "" }
    );
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
    if state.drag.is_none() {
        response.on_hover_text(format!(
            "{label}\nDrag to move, drag an edge to resize (Shift: no snapping).\n←/→ move, Shift+←/→ change the end, Enter or double-click to edit."
        ));
    }
}

fn lane_header_ui(ui: &mut Ui, rect: Rect, y: f32, lane: &Lane<'_>, state: &mut RoadmapState) {
    let clip = ui.clip_rect();
    let header = Rect::from_min_size(pos2(clip.left(), y), vec2(clip.width().min(rect.width()), LANE_HEADER));
    let collapsed = state.collapsed.contains(&lane.title);
    let text = format!("{} {}  ({} epics)", if collapsed { "▸" } else { "▾" }, lane.title, lane.epics.len());
    let response = ui.interact(header, ui.make_persistent_id(("lane", &lane.title)), Sense::click());
    let visuals = ui.visuals();
    ui.painter().rect_filled(header, 0.0, visuals.faint_bg_color);
    ui.painter().text(
        pos2(header.left() + 8.0, header.center().y),
        Align2::LEFT_CENTER,
        &text,
        TextStyle::Body.resolve(ui.style()),
        visuals.strong_text_color(),
    );
    let label = format!(
        "Lane {}, {} epics, {}",
        lane.title,
        lane.epics.len(),
        if collapsed { "collapsed" } else { "expanded" }
    );
    response.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        if collapsed {
            state.collapsed.remove(&lane.title);
        } else {
            state.collapsed.insert(lane.title.clone());
        }
    }
}

/// Which ticks and labels the axis shows at a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ticks {
    Weeks,
    Months,
    Quarters,
    Years,
}

fn ticks_for(points_per_day: f32) -> Ticks {
    if points_per_day >= 12.0 {
        Ticks::Weeks
    } else if points_per_day >= 2.5 {
        Ticks::Months
    } else if points_per_day >= 0.9 {
        Ticks::Quarters
    } else {
        Ticks::Years
    }
}

/// The tick dates from `first` to `last` and their labels at a scale.
fn ticks(first: Date, last: Date, points_per_day: f32) -> Vec<(Date, String)> {
    let kind = ticks_for(points_per_day);
    let mut date = match kind {
        Ticks::Weeks => crate::interchange::convert::monday_of(first),
        Ticks::Months => first.first_of_month(),
        Ticks::Quarters => {
            let month = first.month() - (first.month() - 1) % 3;
            Date::new(first.year(), month, 1).unwrap_or(first)
        }
        Ticks::Years => Date::new(first.year(), 1, 1).unwrap_or(first),
    };
    let step = match kind {
        Ticks::Weeks => jiff::Span::new().days(7),
        Ticks::Months => jiff::Span::new().months(1),
        Ticks::Quarters => jiff::Span::new().months(3),
        Ticks::Years => jiff::Span::new().years(1),
    };
    let mut out = Vec::new();
    while date <= last && out.len() < 2000 {
        let label = match kind {
            Ticks::Weeks if date.day() <= 7 => date.strftime("%-d %b %Y").to_string(),
            Ticks::Weeks => date.strftime("%-d %b").to_string(),
            Ticks::Months if date.month() == 1 => date.strftime("%b %Y").to_string(),
            Ticks::Months => date.strftime("%b").to_string(),
            Ticks::Quarters => format!("Q{} {}", (date.month() - 1) / 3 + 1, date.year()),
            Ticks::Years => date.year().to_string(),
        };
        out.push((date, label));
        let Ok(next) = date.checked_add(step) else {
            break;
        };
        date = next;
    }
    out
}

fn paint_grid(ui: &Ui, rect: Rect, scale: &Scale, (first, last): (Date, Date)) {
    let grid = ui.visuals().widgets.noninteractive.bg_stroke.color;
    for (date, _) in ticks(first, last, scale.points_per_day) {
        let x = scale.x_of(date);
        ui.painter().line_segment([pos2(x, rect.top()), pos2(x, rect.bottom())], Stroke::new(1.0, grid));
    }
}

fn paint_axis(ui: &Ui, header: Rect, scale: &Scale, (first, last): (Date, Date)) {
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

fn paint_increments(ui: &Ui, rect: Rect, workspace: &Workspace, scale: &Scale, (first, last): (Date, Date)) {
    let painter = ui.painter();
    let visuals = ui.visuals();
    let shade = if visuals.dark_mode { Color32::from_white_alpha(10) } else { Color32::from_black_alpha(12) };
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
        painter.text(
            pos2(band.left() + 4.0, band.top() + 2.0),
            Align2::LEFT_TOP,
            format!("{} (program increment)", increment.name),
            TextStyle::Small.resolve(ui.style()),
            visuals.weak_text_color(),
        );
    }
}

fn paint_sprint_shading(ui: &Ui, rect: Rect, workspace: &Workspace, scale: &Scale, (first, last): (Date, Date)) {
    let shade = if ui.visuals().dark_mode {
        Color32::from_rgba_unmultiplied(90, 140, 220, 14)
    } else {
        Color32::from_rgba_unmultiplied(40, 90, 200, 16)
    };
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

fn paint_releases(ui: &mut Ui, header: Rect, content: Rect, workspace: &Workspace, scale: &Scale) {
    let visuals = ui.visuals().clone();
    let font = TextStyle::Small.resolve(ui.style());
    let clip = ui.clip_rect();
    let top = header.top() + AXIS_HEIGHT;
    // Labels go on the first of two lines where they do not collide with the previous label.
    let mut line_ends = [f32::NEG_INFINITY; 2];
    for release in &workspace.releases {
        let x = scale.x_of(release.date) + scale.points_per_day / 2.0;
        if x < clip.left() - 300.0 || x > clip.right() + 20.0 {
            continue;
        }
        let galley = ui.painter().layout_no_wrap(release.name.clone(), font.clone(), visuals.strong_text_color());
        let label_width = galley.size().x;
        let line = line_ends.iter().position(|end| *end < x - 10.0).unwrap_or(0);
        if let Some(end) = line_ends.get_mut(line) {
            *end = x + 10.0 + label_width;
        }
        #[expect(clippy::cast_precision_loss, reason = "0 or 1")]
        let centre = pos2(x, top + 12.0 + line as f32 * 20.0);
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
            [pos2(x, header.bottom()), pos2(x, content.bottom())],
            Stroke::new(1.0, fill.gamma_multiply(0.5)),
        );
        ui.painter().galley(
            pos2(x + size + 3.0, centre.y - galley.size().y / 2.0),
            galley,
            visuals.strong_text_color(),
        );
        let hit = Rect::from_center_size(centre, vec2(size * 2.0 + 4.0, size * 2.0 + 4.0));
        let response = ui.interact(hit, ui.make_persistent_id(("release", release.release_id.0)), Sense::hover());
        let label = format!("{kind} {} on {}", release.name, release.date.strftime("%-d %b %Y"));
        response.widget_info(|| WidgetInfo::labeled(egui::Role::Image, true, &label));
        response.on_hover_text(format!("{label}\n{}", release.description));
    }
}

fn paint_sprints(ui: &Ui, top: f32, workspace: &Workspace, scale: &Scale, (first, last): (Date, Date)) {
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
        let galley = ui.painter().layout_no_wrap(
            sprint.name.clone(),
            TextStyle::Small.resolve(ui.style()),
            visuals.text_color(),
        );
        if galley.size().x + 8.0 < bar.width() {
            ui.painter().galley(
                pos2(bar.left() + 4.0, bar.center().y - galley.size().y / 2.0),
                galley,
                visuals.text_color(),
            );
        }
    }
}

fn paint_dependencies(
    ui: &Ui,
    workspace: &Workspace,
    bars: &BTreeMap<EpicId, Rect>,
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
            let elbow = start.x.max(end.x - 12.0).max(start.x + 8.0);
            let points = vec![start, pos2(elbow, start.y), pos2(elbow, end.y), pos2(end.x - 6.0, end.y)];
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(date(2026, 12, 30), date(2027, 1, 2)), 3);
        assert_eq!(days_between(date(2027, 1, 2), date(2026, 12, 30)), -3);
    }

    #[test]
    fn dates_and_pixels_map_both_ways_at_every_zoom() {
        for level in ZoomLevel::ALL {
            let scale = Scale { origin: date(2026, 1, 1), left: 100.0, points_per_day: level.points_per_day() };
            for day in [date(2026, 1, 1), date(2026, 2, 28), date(2027, 6, 15), date(2025, 12, 1)] {
                let x = scale.x_of(day);
                assert_eq!(scale.date_at(x), day, "{level:?} {day}");
                assert_eq!(scale.date_at(x + level.points_per_day() * 0.99), day, "the whole day maps back");
            }
            assert!((scale.x_of(date(2026, 1, 8)) - 100.0 - 7.0 * level.points_per_day()).abs() < 1e-3);
            assert_eq!(ZoomLevel::nearest(level.points_per_day()), level);
        }
    }

    #[test]
    fn drags_snap_to_days_or_weeks_by_zoom_and_shift_turns_snapping_off() {
        assert_eq!(snapped(2.6, 24.0, true), 3, "weeks zoom snaps to days");
        assert_eq!(snapped(9.0, 5.0, true), 7, "months zoom snaps to weeks");
        assert_eq!(snapped(11.0, 5.0, true), 14);
        assert_eq!(snapped(-4.0, 5.0, true), -7);
        assert_eq!(snapped(3.4, 5.0, false), 3, "without snapping, whole days");
    }

    #[test]
    fn axis_labels_follow_the_zoom() {
        let labels = |points| {
            ticks(date(2026, 12, 28), date(2027, 2, 10), points).into_iter().map(|(_, l)| l).collect::<Vec<_>>()
        };
        assert_eq!(labels(24.0)[..3], ["28 Dec".to_owned(), "4 Jan 2027".to_owned(), "11 Jan".to_owned()]);
        assert_eq!(labels(5.0), vec!["Dec".to_owned(), "Jan 2027".to_owned(), "Feb".to_owned()]);
        assert_eq!(labels(1.6), vec!["Q4 2026".to_owned(), "Q1 2027".to_owned()]);
        assert_eq!(labels(0.45), vec!["2026".to_owned(), "2027".to_owned()]);
    }

    #[test]
    fn a_sketch_covers_whole_weeks_at_month_zoom_and_days_at_week_zoom() {
        let months = Scale { origin: date(2026, 11, 2), left: 0.0, points_per_day: 5.0 };
        // From Wednesday 4 Nov to Tuesday 17 Nov: the weeks of 2 and 16 Nov.
        assert_eq!(sketched_dates(&months, 11.0, 76.0, true), (date(2026, 11, 2), date(2026, 11, 22)));
        assert_eq!(sketched_dates(&months, 11.0, 76.0, false), (date(2026, 11, 4), date(2026, 11, 17)));
        assert_eq!(sketched_dates(&months, 76.0, 11.0, false).0, date(2026, 11, 17), "never ends before it starts");
        let weeks = Scale { points_per_day: 24.0, ..months };
        assert_eq!(sketched_dates(&weeks, 50.0, 100.0, true), (date(2026, 11, 4), date(2026, 11, 6)));
    }

    #[test]
    fn resizing_never_ends_before_the_start() {
        let epic = Epic {
            epic_id: EpicId(1),
            title: "E".into(),
            description: String::new(),
            colour: crate::model::Colour([0, 0, 0]),
            start_date: date(2026, 3, 2),
            end_date: date(2026, 3, 8),
            objective_id: None,
            depends_on: Vec::new(),
        };
        assert_eq!(moved(&epic, DragMode::End, -14).end_date, date(2026, 3, 2));
        assert_eq!(moved(&epic, DragMode::Start, 14).start_date, date(2026, 3, 8));
        let shifted = moved(&epic, DragMode::Move, 7);
        assert_eq!((shifted.start_date, shifted.end_date), (date(2026, 3, 9), date(2026, 3, 15)));
    }
}
