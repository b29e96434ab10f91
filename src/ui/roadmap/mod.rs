//! The roadmap timeline: epics as bars on a dated axis with their progress from the board, releases
//! and milestones as diamonds, program increments as shaded bands, sprints on a thin row, dependencies
//! as arrows, and today.
//!
//! Bars are dragged to move them, or by either edge to resize them, snapping to days or weeks by zoom
//! (Shift: days); the drop is one command, undoable. With a bar focused, ←/→ moves it one snap unit and
//! Shift+←/→ moves its end. Ctrl+wheel or a pinch zooms around the pointer; dragging the background or
//! scrolling pans. Only what is visible is drawn.

mod bar_menu;
mod bars;
pub mod epic_editor;
pub mod increment_editor;
pub mod release_editor;
use bars::{bar_id, bar_rect, epic_bar_ui, lane_header_ui, sketch_ui};
mod paint;
use paint::{
    paint_axis, paint_dependencies, paint_grid, paint_increments, paint_releases, paint_sprint_shading, paint_sprints,
};
mod scale;
use scale::ticks;
pub use scale::{Scale, ZoomLevel, sketched_dates, snap_days, snapped, timeline_range};

use std::collections::{BTreeMap, HashMap, HashSet};

use egui::{Align2, Rect, RichText, ScrollArea, Sense, Stroke, TextStyle, Ui, WidgetInfo, pos2, vec2};

use super::{UiAction, theme};
pub use crate::model::days_between;
use crate::model::{Date, Epic, EpicId, ReleaseKind, Workspace, add_days, dependency_conflicts};
use crate::ui::widgets::window::open_window;

const AXIS_HEIGHT: f32 = 44.0;

const MARKER_ROW: f32 = 46.0;

const SPRINT_ROW: f32 = 22.0;

const HEADER_HEIGHT: f32 = AXIS_HEIGHT + MARKER_ROW + SPRINT_ROW;

/// Where the roadmap's view starts when it opens (from the timeline's left): three weeks before today, or
/// a week before the start of the earliest epic still running today, as long as today stays in the left
/// part of the view.
fn first_view_left(workspace: &Workspace, today: Date, scale: &Scale, view_width: f32) -> f32 {
    let running = workspace
        .epics
        .iter()
        .filter(|epic| epic.start_date <= today && epic.end_date >= today)
        .map(|epic| add_days(epic.start_date, -7))
        .min();
    let from = running.map_or(add_days(today, -21), |start| start.min(add_days(today, -21)));
    let today_x = scale.x_of(today) - scale.left;
    (scale.x_of(from) - scale.left).max(today_x - view_width * 0.6).max(0.0)
}

/// Room above the first bar for the program increments' names.
const BAND_LABEL_ROW: f32 = 16.0;

const LANE_HEADER: f32 = 26.0;

const EPIC_ROW: f32 = 38.0;

const MARGIN_DAYS: i64 = 28;

/// The width after the timeline's last date, for a title beside a bar that ends there.
const TITLE_ROOM: f32 = 320.0;

const EDGE_GRIP: f32 = 7.0;

/// Zoom limits, in points per day.
const MIN_POINTS_PER_DAY: f32 = 0.3;

const MAX_POINTS_PER_DAY: f32 = 48.0;

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
    /// The objective the objectives panel brings into view on its next frame.
    pub focus_objective: Option<crate::model::ObjectiveId>,
    /// The epic last clicked or focused.
    pub selected: Option<EpicId>,
    /// While a comparison is open: the epics whose dates changed ("dates changed", "new"), marked on
    /// their bars.
    pub changes: std::collections::HashMap<EpicId, &'static str>,
    /// The epic editor, when open.
    pub editor: Option<epic_editor::EpicEditor>,
    /// The program increment window, when open.
    pub increment_editor: Option<increment_editor::IncrementEditor>,
    /// The release or milestone window, when open.
    pub release_editor: Option<release_editor::ReleaseEditor>,
    /// Objectives being edited in the objectives panel, by id.
    pub objective_drafts: std::collections::BTreeMap<crate::model::ObjectiveId, epic_editor::ObjectiveDraft>,
    /// An epic bar to give keyboard focus to when it is next drawn (after its menu closes).
    focus: Option<EpicId>,
    drag: Option<BarDrag>,
    drag_cancelled: bool,
    /// A new epic being sketched by dragging along an empty stretch of a lane: the press's x.
    sketch: Option<f32>,
    derived: Derived,
    scroll_to: Option<egui::Vec2>,
    scrolled_to_today: bool,
}

impl RoadmapState {
    /// Gives the keyboard focus to the selected bar when it is next drawn (after a window closed).
    pub fn focus_selected(&mut self) {
        self.focus = self.selected;
    }
}

impl Default for RoadmapState {
    fn default() -> Self {
        Self {
            points_per_day: ZoomLevel::Months.points_per_day(),
            lanes: Lanes::None,
            collapsed: HashSet::new(),
            sprint_shading: false,
            show_objectives: false,
            focus_objective: None,
            selected: None,
            changes: std::collections::HashMap::new(),
            focus: None,
            editor: None,
            objective_drafts: std::collections::BTreeMap::new(),
            release_editor: None,
            increment_editor: None,
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
/// (not per bar and frame: a bar would otherwise walk every item), and patched epic by epic when only a
/// few items changed.
#[derive(Debug, Default)]
struct Derived {
    /// The content revision it was worked out at ([`Workspace::content_revision`]).
    content: Option<u64>,
    /// Where the workspace's content stood then, to ask which items changed since.
    mark: Option<crate::model::ContentMark>,
    /// The columns marked done, each with its revision then: a card moved between two columns that
    /// are not done changes nothing here, so the roadmap does not go over every item again for it.
    done_columns: Vec<(crate::model::ColumnId, u64)>,
    /// Each epic's items (archived ones among them): what an epic is worked out again from.
    members: HashMap<EpicId, Vec<crate::model::ItemId>, foldhash::fast::RandomState>,
    /// Done and total points per epic.
    points: HashMap<EpicId, (f64, f64), foldhash::fast::RandomState>,
    /// The most common label among an epic's items.
    themes: HashMap<EpicId, String>,
    /// The due dates of each epic's open items (on the board, not done), earliest first, with their titles.
    due: HashMap<EpicId, Vec<(Date, String)>, foldhash::fast::RandomState>,
    /// Today, for overdue markers (set every frame).
    today: Option<Date>,
}

/// Done and total points.
type Points = (f64, f64);

/// What one epic's items add up to, item by item.
#[derive(Default)]
struct Tally<'a> {
    done: f64,
    total: f64,
    due: Vec<(Date, String)>,
    /// Items sharing a list of labels are counted by list, and the labels counted once per list at the
    /// end: 100,000 items share a few dozen lists.
    lists: HashMap<usize, (&'a crate::model::Labels, usize), foldhash::fast::RandomState>,
}

impl<'a> Tally<'a> {
    fn add(&mut self, item: &'a crate::model::BacklogItem, workspace: &Workspace) {
        let points = item.points.unwrap_or(0.0);
        self.total += points;
        // Archived items still count: done work archived off the board stays done.
        let done = workspace.column(item.column_id).is_some_and(|column| column.is_done);
        if done {
            self.done += points;
        }
        if let Some(due) = item.due_date.filter(|_| !done && item.details.archived_at.is_none()) {
            self.due.push((due, item.title.clone()));
        }
        if !item.labels.is_empty() {
            self.lists.entry(item.labels.list_key()).or_insert((&item.labels, 0)).1 += 1;
        }
    }

    /// The epic's points (done, total), due dates (earliest first) and theme.
    fn finish(mut self) -> (Points, Vec<(Date, String)>, Option<String>) {
        let mut labels: BTreeMap<&str, usize> = BTreeMap::new();
        for (list, count) in self.lists.into_values() {
            for label in list {
                *labels.entry(label.as_str()).or_default() += count;
            }
        }
        let theme = labels
            .into_iter()
            .max_by_key(|(label, count)| (*count, std::cmp::Reverse(*label)))
            .map(|(label, _)| label.to_owned());
        self.due.sort();
        ((self.done, self.total), self.due, theme)
    }
}

impl Derived {
    fn refresh(&mut self, workspace: &Workspace) {
        let done_columns: Vec<(crate::model::ColumnId, u64)> = workspace
            .columns
            .iter()
            .filter(|column| column.is_done)
            .map(|column| (column.column_id, workspace.column_revision(column.column_id)))
            .collect();
        if self.content == Some(workspace.content_revision()) && self.done_columns == done_columns {
            return;
        }
        let changed = self
            .mark
            .filter(|_| self.done_columns == done_columns)
            .and_then(|mark| workspace.items_changed_since(mark));
        self.content = Some(workspace.content_revision());
        self.mark = Some(workspace.content_mark());
        self.done_columns = done_columns;
        match changed {
            Some(changed) => self.patch(workspace, &changed),
            None => self.rebuild(workspace),
        }
    }

    /// Works everything out again, in one pass over every item.
    fn rebuild(&mut self, workspace: &Workspace) {
        self.members.clear();
        let mut tallies: HashMap<EpicId, Tally<'_>, foldhash::fast::RandomState> = HashMap::default();
        for item in workspace.all_items() {
            let Some(epic) = item.epic_id else {
                continue;
            };
            tallies.entry(epic).or_default().add(item, workspace);
            self.members.entry(epic).or_default().push(item.item_id);
        }
        self.points.clear();
        self.due.clear();
        self.themes.clear();
        for (epic, tally) in tallies {
            self.keep(epic, tally);
        }
    }

    /// Works out again the epics the `changed` items belong to, or belonged to.
    fn patch(&mut self, workspace: &Workspace, changed: &[crate::model::ItemId]) {
        // Which epic each changed item was in: a plain scan of the lists for a few items, one pass with a
        // set for many.
        let before_of: HashMap<crate::model::ItemId, EpicId> = if changed.len() <= 8 {
            changed
                .iter()
                .filter_map(|item_id| {
                    self.members.iter().find(|(_, ids)| ids.contains(item_id)).map(|(epic, _)| (*item_id, *epic))
                })
                .collect()
        } else {
            let wanted: std::collections::HashSet<_> = changed.iter().collect();
            self.members
                .iter()
                .flat_map(|(epic, ids)| ids.iter().filter(|id| wanted.contains(id)).map(|id| (*id, *epic)))
                .collect()
        };
        let mut epics = std::collections::BTreeSet::new();
        for &item_id in changed {
            let now = workspace.item(item_id).and_then(|item| item.epic_id);
            let before = before_of.get(&item_id).copied();
            if before != now {
                if let Some(ids) = before.and_then(|epic| self.members.get_mut(&epic)) {
                    ids.retain(|id| *id != item_id);
                }
                if let Some(epic) = now {
                    self.members.entry(epic).or_default().push(item_id);
                }
            }
            epics.extend(before);
            epics.extend(now);
        }
        for epic in epics {
            let mut tally = Tally::default();
            for item in self.members.get(&epic).into_iter().flatten().filter_map(|id| workspace.item(*id)) {
                tally.add(item, workspace);
            }
            self.points.remove(&epic);
            self.due.remove(&epic);
            self.themes.remove(&epic);
            if self.members.get(&epic).is_some_and(Vec::is_empty) {
                self.members.remove(&epic);
            } else {
                self.keep(epic, tally);
            }
        }
    }

    fn keep(&mut self, epic: EpicId, tally: Tally<'_>) {
        let (points, due, theme) = tally.finish();
        self.points.insert(epic, points);
        if !due.is_empty() {
            self.due.insert(epic, due);
        }
        if let Some(theme) = theme {
            self.themes.insert(epic, theme);
        }
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
/// `last_increment_end` is where a new program increment starts by default (the day after).
fn toolbar_ui(
    ui: &mut Ui,
    state: &mut RoadmapState,
    today: Date,
    last_increment_end: Option<Date>,
    actions: &mut Vec<UiAction>,
) {
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
            open_window(&mut state.editor, epic_editor::EpicEditor::new_epic(today), actions);
        }
        if ui.button("+ Release or milestone").clicked() {
            open_window(&mut state.release_editor, release_editor::ReleaseEditor::new_release(today), actions);
        }
        if ui.button("+ Program increment").clicked() {
            open_window(
                &mut state.increment_editor,
                increment_editor::IncrementEditor::new_increment(today, last_increment_end),
                actions,
            );
        }
        ui.toggle_value(&mut state.show_objectives, "Objectives and key results");
    });
}

/// Broken dependencies, explained in words above the timeline.
fn conflicts_ui(ui: &mut Ui, conflicts: &[crate::model::Conflict]) {
    if conflicts.is_empty() {
        return;
    }
    let colour = theme::error_colour(ui.visuals());
    let count = conflicts.len();
    let heading = if count == 1 {
        "⚠ 1 dependency is broken:".to_owned()
    } else {
        format!("⚠ {count} dependencies are broken:")
    };
    ui.label(RichText::new(heading).color(colour).strong());
    for conflict in conflicts {
        ui.label(RichText::new(&conflict.message).color(colour));
    }
}

/// Draws the roadmap and turns drags, keys and clicks into actions.
pub fn roadmap_ui(
    ui: &mut Ui,
    workspace: &Workspace,
    today: Date,
    state: &mut RoadmapState,
    actions: &mut Vec<UiAction>,
) {
    toolbar_ui(ui, state, today, workspace.increments.iter().map(|increment| increment.end_date).max(), actions);
    let conflicts = dependency_conflicts(&workspace.epics);
    conflicts_ui(ui, &conflicts);
    if state.show_objectives {
        egui::Panel::right("objectives-panel").resizable(true).default_size(330.0).show(ui, |ui| {
            epic_editor::objectives_ui(ui, workspace, state, actions);
        });
    }
    if workspace.epics.is_empty() && workspace.releases.is_empty() {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            crate::ui::widgets::a11y::heading(ui, "No epics or releases yet.");
            ui.label("Add an epic with “+ New epic”; it appears here as a bar you can drag to reschedule.");
            ui.label("Releases and milestones come with “+ Release or milestone”, planning intervals with “+ Program increment”.");
        });
        return;
    }
    let (start, end) = timeline_range(workspace, today);
    state.derived.refresh(workspace);
    state.derived.today = Some(today);
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
        // Room after the last date for the title written beside the bars that end there.
        let (rect, background) = ui.allocate_exact_size(vec2(width + TITLE_ROOM, height), Sense::hover());
        let scale = Scale { origin: start, left: rect.left(), points_per_day };
        let clip = ui.clip_rect();
        let visible_days = (scale.date_at(clip.left() - 1.0), scale.date_at(clip.right() + 1.0));
        if state.sprint_shading {
            paint_sprint_shading(ui, rect, workspace, &scale, visible_days);
        }
        if let Some(increment) = paint_increments(ui, rect, workspace, &scale, visible_days)
            .and_then(|id| workspace.increments.iter().find(|increment| increment.increment_id == id))
        {
            open_window(&mut state.increment_editor, increment_editor::IncrementEditor::edit(increment), actions);
        }
        paint_grid(ui, rect, &scale, visible_days);

        let mut bar_rects: BTreeMap<EpicId, Rect> = BTreeMap::new();
        // Bars whose title sits beside them: their dependency lines leave from below instead.
        let mut titled_beside = std::collections::BTreeSet::new();
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
                // Off to the side: nothing to draw, but a focused bar must keep its focus.
                let off_side = bar.right() < clip.left() - 200.0 || bar.left() > clip.right() + 200.0;
                if (!off_side || ui.memory(|memory| memory.has_focus(bar_id(ui, epic.epic_id))))
                    && epic_bar_ui(ui, epic, bar, &scale, &conflicts, state, actions)
                {
                    titled_beside.insert(epic.epic_id);
                }
            }
            let stretch = Rect::from_min_size(pos2(rect.left(), y), vec2(rect.width(), EPIC_ROW));
            y += EPIC_ROW;
            let objective = (state.lanes == Lanes::Objective)
                .then(|| workspace.objectives.iter().find(|objective| objective.title == lane.title))
                .flatten()
                .map(|objective| objective.objective_id);
            sketch_ui(ui, stretch, &scale, &lane.title, objective, state, actions);
        }
        paint_dependencies(ui, workspace, &bar_rects, &titled_beside, &conflicts);
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
        if let Some(release) = paint_releases(ui, header, rect, workspace, &scale)
            .and_then(|id| workspace.releases.iter().find(|release| release.release_id == id))
        {
            open_window(&mut state.release_editor, release_editor::ReleaseEditor::edit(release), actions);
        }
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
        let x = first_view_left(workspace, today, &scale, viewport.width());
        state.scroll_to = Some(vec2(x, offset.y));
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

#[cfg(test)]
mod tests {
    use super::bars::moved;
    use super::*;
    use jiff::civil::date;

    /// Three columns (the last done) and an epic's three cards of 2, 3 and 5 points.
    fn progress_workspace() -> Workspace {
        use crate::model::{BacklogItem, ColumnId, ItemId, ItemKind, Product, Rank, Timestamp};
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        workspace.columns = crate::model::test_columns(&["Backlog", "In progress", "Done"]);
        let items = [(1, 1, 2.0), (2, 2, 3.0), (3, 3, 5.0)].map(|(id, column, points)| {
            let mut item =
                BacklogItem::new(ItemKind::Story, format!("Item {id}"), ColumnId(column), Timestamp::UNIX_EPOCH);
            item.item_id = ItemId(id);
            item.rank = Rank::parse("V").unwrap_or_else(|error| panic!("{error}"));
            item.epic_id = Some(EpicId(1));
            item.points = Some(points);
            item
        });
        workspace.set_items(items);
        workspace
    }

    #[test]
    fn an_epics_theme_is_its_most_common_label_whether_lists_are_shared_or_not() {
        use crate::model::{ItemId, Labels};
        let mut workspace = progress_workspace();
        let shared: Labels = vec!["checkout".to_owned(), "payments".to_owned()].into();
        let labels = [
            (1, shared.clone()),
            (2, shared),
            // The same labels in a list of its own, and one more.
            (3, vec!["a11y".to_owned(), "payments".to_owned()].into()),
        ];
        for (id, labels) in labels {
            let mut item = workspace.item(ItemId(id)).cloned().unwrap_or_else(|| panic!("item {id}"));
            item.labels = labels;
            workspace.upsert_item(item);
        }
        let mut derived = Derived::default();
        derived.refresh(&workspace);
        assert_eq!(derived.themes.get(&EpicId(1)).map(String::as_str), Some("payments"), "3 against 2 and 1");
        // A tie goes to the label first in the alphabet.
        let mut item = workspace.item(ItemId(3)).cloned().unwrap_or_else(|| panic!("item 3"));
        item.labels = vec!["a11y".to_owned(), "checkout".to_owned()].into();
        workspace.upsert_item(item);
        derived.refresh(&workspace);
        assert_eq!(derived.themes.get(&EpicId(1)).map(String::as_str), Some("checkout"), "3 against 2, 2 and 1");
        let mut item = workspace.item(ItemId(3)).cloned().unwrap_or_else(|| panic!("item 3"));
        item.labels = vec!["a11y".to_owned()].into();
        workspace.upsert_item(item);
        derived.refresh(&workspace);
        assert_eq!(derived.themes.get(&EpicId(1)).map(String::as_str), Some("checkout"), "2, 2 and 1: the first");
    }

    #[test]
    fn an_epics_figures_patched_after_each_change_are_the_figures_worked_out_afresh() {
        use crate::model::{BacklogItem, ColumnId, ItemId, ItemKind, ItemPosition, Labels, Product, Rank, Timestamp};
        let mut seed = 29_u64;
        let mut below = |bound: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            usize::try_from(seed >> 33).unwrap_or_default() % bound
        };
        let labels = |pick: usize| -> Labels {
            [vec![], vec!["a".to_owned()], vec!["b".to_owned(), "c".to_owned()], vec!["c".to_owned()]][pick % 4]
                .clone()
                .into()
        };
        let card = |id: i64| {
            let mut item =
                BacklogItem::new(ItemKind::Story, format!("Card {id}"), ColumnId(1 + id % 3), Timestamp::UNIX_EPOCH);
            item.item_id = ItemId(id);
            item.rank = Rank::parse(&format!("m{id:05}1")).unwrap_or_else(|error| panic!("{error}"));
            item.epic_id = (id % 4 != 0).then_some(EpicId(id % 4));
            item.points = Some(f64::from(u8::try_from(id % 5).unwrap_or_default()));
            item.labels = labels(usize::try_from(id).unwrap_or_default());
            item.due_date = (id % 3 == 0).then(|| date(2027, 1, i8::try_from(1 + id % 28).unwrap_or(1)));
            item
        };
        let mut workspace = Workspace::new(Product { name: "P".into(), vision: String::new() });
        workspace.columns = crate::model::test_columns(&["Backlog", "Ready", "Done"]);
        workspace.set_items((1..=60).map(card));
        let mut derived = Derived::default();
        let mut next_id = 61;
        let mut patched = 0;
        for step in 0..400 {
            let ids: Vec<ItemId> = workspace.all_items().map(|item| item.item_id).collect();
            let some_id = ids[below(ids.len())];
            let mut changed = workspace.item(some_id).cloned().unwrap_or_else(|| panic!("item {some_id:?}"));
            let kind = below(9);
            match kind {
                0 => changed.points = Some(f64::from(u8::try_from(below(8)).unwrap_or_default())),
                1 => changed.epic_id = [None, Some(EpicId(1)), Some(EpicId(2)), Some(EpicId(3))][below(4)],
                2 => changed.labels = labels(below(4)),
                3 => {
                    changed.due_date = (below(2) == 0).then(|| date(2027, 2, 1 + i8::try_from(below(20)).unwrap_or(0)));
                }
                4 => changed.details.archived_at = Some(Timestamp::UNIX_EPOCH),
                5 => changed.title.push('!'),
                _ => {}
            }
            match kind {
                0..=5 => workspace.upsert_item(changed),
                6 => {
                    workspace.remove_item(some_id);
                }
                7 => {
                    workspace.upsert_item(card(next_id));
                    next_id += 1;
                }
                _ => {
                    // Moved, into Done or out of it now and then.
                    let column = ColumnId(i64::try_from(1 + below(3)).unwrap_or(1));
                    let rank = Rank::parse(&format!("a{step:05}1")).unwrap_or_else(|error| panic!("{error}"));
                    workspace.set_position(&ItemPosition { item_id: some_id, column_id: column, rank });
                }
            }
            if derived.mark.is_some_and(|mark| workspace.items_changed_since(mark).is_some()) {
                patched += 1;
            }
            derived.refresh(&workspace);
            let mut fresh = Derived::default();
            fresh.refresh(&workspace);
            assert_eq!(derived.points, fresh.points, "step {step}, change {kind}");
            assert_eq!(derived.due, fresh.due, "step {step}, change {kind}");
            assert_eq!(derived.themes, fresh.themes, "step {step}, change {kind}");
        }
        assert!(patched > 250, "patched, not worked out again, after most changes ({patched})");
        // Many items changed between two frames (the roadmap not shown meanwhile).
        let ids: Vec<ItemId> = workspace.all_items().map(|item| item.item_id).take(20).collect();
        for item_id in ids {
            let mut changed = workspace.item(item_id).cloned().unwrap_or_else(|| panic!("item {item_id:?}"));
            changed.epic_id = [None, Some(EpicId(1)), Some(EpicId(2)), Some(EpicId(3))][below(4)];
            workspace.upsert_item(changed);
        }
        assert!(
            derived.mark.is_some_and(|mark| workspace.items_changed_since(mark).is_some_and(|ids| ids.len() == 20))
        );
        derived.refresh(&workspace);
        let mut fresh = Derived::default();
        fresh.refresh(&workspace);
        assert_eq!((derived.points, derived.due, derived.themes), (fresh.points, fresh.due, fresh.themes));
    }

    #[test]
    fn an_epics_done_points_follow_moves_into_and_out_of_done_and_edits() {
        use crate::model::{ColumnId, ItemId, ItemPosition, Rank};
        let mut workspace = progress_workspace();
        let mut derived = Derived::default();
        let points = |derived: &mut Derived, workspace: &Workspace| {
            derived.refresh(workspace);
            derived.points.get(&EpicId(1)).copied()
        };
        assert_eq!(points(&mut derived, &workspace), Some((5.0, 10.0)));
        let to = |item: i64, column: i64| ItemPosition {
            item_id: ItemId(item),
            column_id: ColumnId(column),
            rank: Rank::parse("k").unwrap_or_else(|error| panic!("{error}")),
        };
        // Between two columns that are not done: nothing to work out again, and nothing changed.
        workspace.set_position(&to(1, 2));
        assert_eq!(points(&mut derived, &workspace), Some((5.0, 10.0)));
        // Into Done and out again.
        workspace.set_position(&to(2, 3));
        assert_eq!(points(&mut derived, &workspace), Some((8.0, 10.0)));
        workspace.set_position(&to(3, 1));
        assert_eq!(points(&mut derived, &workspace), Some((3.0, 10.0)));
        // An archived card moved out of Done (archived done work still counts while it is there).
        let mut archived = workspace.item(ItemId(2)).cloned().unwrap_or_else(|| panic!("item 2"));
        archived.details.archived_at = Some(crate::model::Timestamp::UNIX_EPOCH);
        workspace.upsert_item(archived);
        assert_eq!(points(&mut derived, &workspace), Some((3.0, 10.0)));
        workspace.set_position(&to(2, 1));
        assert_eq!(points(&mut derived, &workspace), Some((0.0, 10.0)));
        // A column marked done, and an estimate edited.
        if let Some(column) = workspace.columns.iter_mut().find(|column| column.column_id == ColumnId(2)) {
            column.is_done = true;
        }
        assert_eq!(points(&mut derived, &workspace), Some((2.0, 10.0)));
        let mut bigger = workspace.item(ItemId(1)).cloned().unwrap_or_else(|| panic!("item 1"));
        bigger.points = Some(8.0);
        workspace.upsert_item(bigger);
        assert_eq!(points(&mut derived, &workspace), Some((8.0, 16.0)));
    }

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
