//! A backlog card: kind, points, score, title, epic, labels, criteria progress and sprint, painted in a
//! fixed height so long columns can be virtualised. One accessible node describes the whole card.

use crate::interchange::convert::count;
use egui::text::LayoutJob;
use egui::{Align2, FontId, Rect, Response, Sense, Stroke, StrokeKind, TextStyle, Ui, WidgetInfo, pos2, vec2};

use crate::model::{BacklogItem, Workspace};
use crate::ui::theme;

/// The height every card takes, from the current text sizes (so zoom and text size keep cards whole).
#[must_use]
pub fn card_height(ui: &Ui) -> f32 {
    let body = ui.text_style_height(&TextStyle::Body);
    let small = ui.text_style_height(&TextStyle::Small);
    theme::CARD_PADDING * 2.0 + small + body * 2.0 + small + 3.0 * 4.0
}

/// What a screen reader says for a card, and what tests find it by.
#[must_use]
/// `place` is the card's position and the number of cards where it is shown (its column), when known.
pub fn card_description(item: &BacklogItem, workspace: &Workspace, place: Option<(usize, usize)>) -> String {
    let mut parts = vec![format!("{} — {}", item.title, item.kind.label())];
    if let Some(points) = item.points {
        parts.push(format!("{points} points"));
    }
    if let Some(wsjf) = item.wsjf() {
        parts.push(format!("WSJF {wsjf:.1}"));
    }
    if let Some(rice) = item.rice() {
        parts.push(format!("RICE {}", crate::model::grouped_number(rice, 0)));
    }
    if let Some(epic) = item.epic_id.and_then(|epic_id| workspace.epic(epic_id)) {
        parts.push(format!("epic {}", epic.title));
    }
    if !item.labels.is_empty() {
        parts.push(format!("labels {}", item.labels.join(", ")));
    }
    let (done, total) = item.criteria_progress();
    if total > 0 {
        parts.push(format!("{done} of {total} criteria done"));
    }
    let (done, total) = workspace.subtask_progress(item.item_id);
    if total > 0 {
        parts.push(format!("{done} of {total} sub-tasks done"));
    }
    if let Some(parent) = item.parent_id.and_then(|parent| workspace.item(parent)) {
        parts.push(format!("sub-task of {}", parent.title));
    }
    let comments = workspace.comment_count(item.item_id);
    if comments > 0 {
        parts.push(crate::app::comments_in_words(comments));
    }
    if let Some(insight) = answered_insight(item, workspace) {
        parts.push(format!("answers the insight '{}'", insight.title));
    }
    if let Some(due) = item.due_date {
        parts.push(format!("due {}", super::date_picker::spoken_date(due)));
    }
    if let Some(assignee) = &item.details.assignee {
        parts.push(format!("assigned to {assignee}"));
    }
    if let Some(sprint) = item.sprint_id.and_then(|sprint_id| workspace.sprint(sprint_id)) {
        parts.push(sprint.name.clone());
    }
    let column = workspace.column(item.column_id).map_or("", |column| column.name.as_str());
    match place {
        Some((index, total)) => parts.push(format!("{} of {} in {column}", count(index + 1), count(total))),
        None => parts.push(format!("in {column}")),
    }
    parts.join(", ")
}

/// Whether an item's due date has passed while it is not done.
#[must_use]
pub fn is_overdue(item: &BacklogItem, workspace: &Workspace, today: Option<crate::model::Date>) -> bool {
    let done = workspace.column(item.column_id).is_some_and(|column| column.is_done);
    matches!((item.due_date, today), (Some(due), Some(today)) if due < today && !done)
}

/// A name's initials for its avatar: the first letters of its first and last words ("Dana Kim" → "DK").
#[must_use]
pub fn initials(name: &str) -> String {
    let words: Vec<&str> =
        name.split_whitespace().filter(|word| word.chars().next().is_some_and(char::is_alphanumeric)).collect();
    let first = |word: &&str| word.chars().next().map(|letter| letter.to_uppercase().collect::<String>());
    match words.as_slice() {
        [] => "?".to_owned(),
        [only] => first(only).unwrap_or_default(),
        [head, .., last] => format!("{}{}", first(head).unwrap_or_default(), first(last).unwrap_or_default()),
    }
}

fn format_points(points: f64) -> String {
    if points.fract() == 0.0 { format!("{points:.0}") } else { format!("{points:.1}") }
}

/// How a card should look beyond its content.
#[derive(Clone, Copy, Debug, Default)]
pub struct CardLook {
    /// It is the selected card.
    pub selected: bool,
    /// It is being dragged: drawn faintly where it was.
    pub placeholder: bool,
    /// Its position and the number of cards in its column, for screen readers.
    pub place: Option<(usize, usize)>,
    /// What changed about it since the baseline or copy being compared with ("moved", "new"), shown
    /// as a marker and said after its name.
    pub changed: Option<&'static str>,
    /// Today, for flagging a due date that has passed; `None` shows due dates without the flag.
    pub today: Option<crate::model::Date>,
}

/// The width and height of a card's ⋯ (actions) button: a target of at least 24 × 24 points.
const MENU_BUTTON: egui::Vec2 = vec2(28.0, 24.0);

/// The id of a card's action menu, from the id of its ⋯ button.
#[must_use]
pub fn actions_popup_id(button_id: egui::Id) -> egui::Id {
    button_id.with("card-actions")
}

/// What a card answers: the card itself, and its ⋯ button.
pub struct CardResponse {
    /// The card: click to open, drag to move, focusable with Tab.
    pub card: Response,
    /// The ⋯ button in its top-right corner, which opens the card's action menu.
    pub menu: Response,
}

/// Draws a card of the given width with a stable `id`, with its ⋯ actions button.
pub fn card_ui(
    ui: &mut Ui,
    id: egui::Id,
    item: &BacklogItem,
    workspace: &Workspace,
    look: CardLook,
    width: f32,
) -> CardResponse {
    let size = vec2(width, card_height(ui));
    let (_, rect) = ui.allocate_space(size);
    let response = ui.interact(rect, id, Sense::click_and_drag());
    response.widget_info(|| {
        let mut name = card_description(item, workspace, look.place);
        if is_overdue(item, workspace, look.today) {
            name = format!("{name}, overdue");
        }
        if let Some(changed) = look.changed {
            name = format!("{name}, {changed} since the comparison");
        }
        WidgetInfo::selected(egui::Role::Button, true, look.selected, name)
    });
    // How to act on it, as a hint screen readers read after the name (not repeated in the name).
    let hint = format!(
        "Enter opens it; {} / {} move it; {} opens its actions",
        ui.ctx().format_shortcut(&crate::ui::shortcuts::MOVE_UP),
        ui.ctx().format_shortcut(&crate::ui::shortcuts::MOVE_DOWN),
        ui.ctx().format_shortcut(&crate::ui::shortcuts::CARD_MENU)
    );
    ui.ctx().accesskit_node_builder(response.id, |node| node.set_description(hint));
    // Registered after the card, so it is on top of it for the pointer.
    let menu_rect = Rect::from_min_size(pos2(rect.right() - MENU_BUTTON.x - 2.0, rect.top() + 2.0), MENU_BUTTON);
    let menu = ui.interact(menu_rect, id.with("actions"), Sense::click());
    menu.widget_info(|| WidgetInfo::labeled(egui::Role::Button, true, format!("Actions for {}", item.title)));
    if ui.is_rect_visible(rect) {
        let state = Interaction { hovered: response.hovered(), focused: response.has_focus() };
        let painter = ui.painter_at(rect.expand(3.0));
        if look.placeholder {
            painter.rect_stroke(rect, 6.0, Stroke::new(1.5, ui.visuals().weak_text_color()), StrokeKind::Inside);
        } else {
            paint_card(ui, &painter, rect, item, workspace, look, state);
            paint_menu_button(ui, &painter, &menu);
        }
    }
    CardResponse { card: response, menu }
}

/// The ⋯ button: always visible (a pointer user who cannot drag needs to find it), framed when
/// hovered or open, ringed when focused.
fn paint_menu_button(ui: &Ui, painter: &egui::Painter, menu: &Response) {
    let visuals = ui.visuals();
    let rect = menu.rect;
    let open = egui::Popup::is_id_open(ui.ctx(), actions_popup_id(menu.id));
    if menu.hovered() || open {
        painter.rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    if menu.has_focus() {
        painter.rect_stroke(rect, 4.0, Stroke::new(2.0, visuals.selection.stroke.color), StrokeKind::Inside);
    }
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        "⋯",
        TextStyle::Button.resolve(ui.style()),
        visuals.text_color(),
    );
}

/// Draws a card floating above everything at `rect` (the card under the pointer while dragging).
pub fn paint_ghost(ui: &Ui, item: &BacklogItem, workspace: &Workspace, rect: Rect) {
    let painter =
        ui.ctx().layer_painter(egui::LayerId::new(egui::Order::Tooltip, ui.make_persistent_id("dragged-card")));
    painter.rect_filled(rect.translate(vec2(3.0, 4.0)), 6.0, super::super::theme::GHOST_SHADOW);
    paint_card(
        ui,
        &painter,
        rect,
        item,
        workspace,
        CardLook { selected: true, ..CardLook::default() },
        Interaction::default(),
    );
}

#[derive(Clone, Copy, Debug, Default)]
struct Interaction {
    hovered: bool,
    focused: bool,
}

fn paint_card(
    ui: &Ui,
    painter: &egui::Painter,
    rect: Rect,
    item: &BacklogItem,
    workspace: &Workspace,
    look: CardLook,
    state: Interaction,
) {
    let visuals = ui.visuals();
    let corner = 6.0;
    painter.rect_filled(rect, corner, theme::card_fill(visuals));
    let outline = if look.selected {
        Stroke::new(2.5, visuals.selection.stroke.color)
    } else if state.hovered {
        Stroke::new(1.5, visuals.widgets.hovered.bg_stroke.color)
    } else {
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color)
    };
    painter.rect_stroke(rect, corner, outline, StrokeKind::Inside);
    if state.focused {
        painter.rect_stroke(
            rect.expand(1.5),
            corner,
            Stroke::new(2.0, visuals.selection.stroke.color),
            StrokeKind::Outside,
        );
    }

    let epic = item.epic_id.and_then(|epic_id| workspace.epic(epic_id));
    if let Some(epic) = epic {
        let stripe = Rect::from_min_size(rect.min, vec2(theme::EPIC_STRIPE, rect.height()));
        painter.rect_filled(stripe, egui::CornerRadius { nw: 6, sw: 6, ne: 0, se: 0 }, theme::epic_colour(epic.colour));
    }

    let small = TextStyle::Small.resolve(ui.style());
    let body = TextStyle::Body.resolve(ui.style());
    let text_colour = visuals.strong_text_color();
    let weak = visuals.weak_text_color();
    let left = rect.left() + theme::EPIC_STRIPE + theme::CARD_PADDING;
    let right = rect.right() - theme::CARD_PADDING;
    let inner_width = (right - left).max(10.0);
    let mut y = rect.top() + theme::CARD_PADDING;

    // Line 1: kind (icon and word), points, WSJF.
    let kind_colour = theme::kind_colour(item.kind, visuals);
    let kind_text = format!("{} {}", theme::kind_icon(item.kind), item.kind.label());
    let kind_rect = painter.text(pos2(left, y), Align2::LEFT_TOP, kind_text, small.clone(), kind_colour);

    let mut meta = Vec::new();
    if let Some(points) = item.points {
        meta.push(format!("{} pts", format_points(points)));
    }
    if let Some(wsjf) = item.wsjf() {
        meta.push(format!("WSJF {wsjf:.1}"));
    }
    if let Some(rice) = item.rice() {
        meta.push(format!("RICE {}", crate::model::grouped_number(rice, 0)));
    }
    if !meta.is_empty() {
        // Left of the ⋯ button, and never over the kind: cut short with … when the card is narrow (a
        // large zoom, presenter mode); the card's accessible name keeps every figure.
        let meta_right = right - MENU_BUTTON.x;
        let mut job = LayoutJob::simple_singleline(meta.join("  ·  "), small.clone(), weak);
        job.wrap.max_width = (meta_right - kind_rect.right() - 8.0).max(1.0);
        job.wrap.max_rows = 1;
        job.wrap.overflow_character = Some('…');
        let galley = painter.layout_job(job);
        painter.galley(pos2(meta_right - galley.size().x, y), galley, weak);
    }
    y = kind_rect.bottom() + 4.0;

    // Lines 2–3: the title, wrapped to two lines at most.
    let mut job = LayoutJob::simple(item.title.clone(), body, text_colour, inner_width);
    job.wrap.max_rows = 2;
    job.wrap.overflow_character = Some('…');
    let title = painter.layout_job(job);
    let title_height = ui.text_style_height(&TextStyle::Body) * 2.0;
    painter.galley(pos2(left, y), title, text_colour);
    y += title_height + 4.0;

    // Line 4: epic name, labels, criteria progress and sprint; the assignee's initials in a circle at its
    // right end (the name itself is in the card's accessible name).
    let right = match &item.details.assignee {
        Some(assignee) => {
            let radius = ui.text_style_height(&TextStyle::Small) * 0.62;
            let centre = pos2(right - radius, y + ui.text_style_height(&TextStyle::Small) / 2.0);
            painter.circle(centre, radius, visuals.widgets.inactive.bg_fill, Stroke::new(1.0, weak));
            painter.text(centre, Align2::CENTER_CENTER, initials(assignee), small.clone(), text_colour);
            right - 2.0 * radius - 6.0
        }
        None => right,
    };
    let mut x = left;
    // One piece of the footer line, after a dot in `dot`'s colour when it has one (a label's colour:
    // the text beside it still says what it is).
    let mut footer = |text: String, font: &FontId, colour, dot: Option<egui::Color32>| {
        if x >= right {
            return;
        }
        // A dot with no room left for its label's first letters would say nothing: left out.
        if let Some(dot) = dot.filter(|_| x + font.size * 3.0 < right) {
            let radius = font.size * 0.32;
            painter.circle(pos2(x + radius, y + font.size * 0.62), radius, dot, Stroke::new(1.0, weak));
            x += radius * 2.0 + 3.0;
        }
        let galley = painter.layout_no_wrap(text, font.clone(), colour);
        let width = galley.size().x;
        if x + width > right {
            let mut job = LayoutJob::simple_singleline(galley.text().to_owned(), font.clone(), colour);
            job.wrap.max_width = (right - x).max(1.0);
            job.wrap.max_rows = 1;
            job.wrap.overflow_character = Some('…');
            let clipped = painter.layout_job(job);
            painter.galley(pos2(x, y), clipped, colour);
            x = right;
        } else {
            painter.galley(pos2(x, y), galley, colour);
            x += width + 8.0;
        }
    };
    if let Some(changed) = look.changed {
        footer(format!("Δ {changed}"), &small, visuals.selection.stroke.color, None);
    }
    let (done, total) = item.criteria_progress();
    if total > 0 {
        footer(
            format!("☑ {done}/{total}"),
            &small,
            if done == total { theme::success_colour(visuals) } else { weak },
            None,
        );
    }
    let (done, total) = workspace.subtask_progress(item.item_id);
    if total > 0 {
        let colour = if done == total { theme::success_colour(visuals) } else { weak };
        footer(format!("⊟ {done}/{total} sub-tasks"), &small, colour, None);
    }
    if let Some(parent) = item.parent_id.and_then(|parent| workspace.item(parent)) {
        footer(format!("↳ {}", parent.title), &small, weak, None);
    }
    if let Some(due) = item.due_date {
        let day = due.strftime("%-d %b").to_string();
        if is_overdue(item, workspace, look.today) {
            footer(format!("⚠ Overdue, due {day}"), &small, theme::warning_colour(visuals), None);
        } else {
            footer(format!("📅 Due {day}"), &small, weak, None);
        }
    }
    let comments = workspace.comment_count(item.item_id);
    if comments > 0 {
        footer(format!("💬 {comments}"), &small, weak, None);
    }
    // The card's name says which insight; the mark only that there is one.
    if answered_insight(item, workspace).is_some() {
        footer("💡".to_owned(), &small, weak, None);
    }
    if let Some(sprint) = item.sprint_id.and_then(|sprint_id| workspace.sprint(sprint_id)) {
        footer(sprint.name.clone(), &small, weak, None);
    }
    if let Some(epic) = epic {
        footer(format!("♦ {}", epic.title), &small, weak, None);
    }
    for label in &item.labels {
        let dot = workspace.label_colours.get(label).map(|colour| theme::epic_colour(*colour));
        footer(format!("#{label}"), &small, weak, dot);
    }
}

/// The insight of UX research the item answers, if it still exists.
fn answered_insight<'a>(item: &BacklogItem, workspace: &'a Workspace) -> Option<&'a crate::model::Insight> {
    let insight_id = item.details.insight_id?;
    workspace.insights.iter().find(|insight| insight.insight_id == insight_id)
}
