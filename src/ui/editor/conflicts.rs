//! Fields the user changed in the editor that another window or program (or an undo) changed too,
//! to something else, while the editor was open. The editor keeps the user's value, shows the other
//! one beside it, and does not save until the user chose, field by field, which one stays: a change
//! acknowledged elsewhere is never replaced without a word.

use egui::{RichText, Ui};

use super::{EditorState, number_text};
use crate::model::{BacklogItem, Workspace};

/// Longest text of the other side's value shown in full.
const SHOWN_CHARS: usize = 120;

impl EditorState {
    /// The fields changed on both sides, in words ("description"), oldest first.
    #[must_use]
    pub fn conflicts(&self) -> &[&'static str] {
        &self.conflicts
    }

    /// Adds the fields of a rebase that were changed on both sides; a field already listed stays once.
    pub(super) fn note_conflicts(&mut self, fields: &[&'static str]) {
        for field in fields {
            if !self.conflicts.contains(field) {
                self.conflicts.push(field);
            }
        }
    }

    /// Replaces the draft's `field` with the stored value and forgets the conflict.
    pub fn use_theirs(&mut self, field: &str) {
        let theirs = &self.original;
        let draft = &mut self.draft;
        match field {
            "kind" => draft.kind = theirs.kind,
            "title" => draft.title.clone_from(&theirs.title),
            "description" => draft.details.description.clone_from(&theirs.details.description),
            "acceptance criteria" => draft.details.acceptance_criteria.clone_from(&theirs.details.acceptance_criteria),
            "business value" => draft.business_value = theirs.business_value,
            "time criticality" => draft.time_criticality = theirs.time_criticality,
            "risk reduction" => draft.risk_reduction = theirs.risk_reduction,
            "MoSCoW" => draft.details.moscow = theirs.details.moscow,
            "epic" => draft.epic_id = theirs.epic_id,
            "sprint" => draft.sprint_id = theirs.sprint_id,
            "status (column)" => {
                draft.column_id = theirs.column_id;
                draft.rank.clone_from(&theirs.rank);
            }
            "raised by" => draft.raised_by = theirs.raised_by,
            "parent item" => draft.parent_id = theirs.parent_id,
            "insight it answers" => draft.details.insight_id = theirs.details.insight_id,
            "start date" => draft.start_date = theirs.start_date,
            "due date" => draft.due_date = theirs.due_date,
            "archive state" => draft.details.archived_at = theirs.details.archived_at,
            "estimate" => self.points = number_text(theirs.points),
            "reach" => self.reach = number_text(theirs.details.rice.reach),
            "impact" => self.impact = number_text(theirs.details.rice.impact),
            "confidence" => self.confidence = number_text(theirs.details.rice.confidence_percent),
            "effort" => self.effort = number_text(theirs.details.rice.effort),
            "labels" => self.labels = theirs.labels.join(", "),
            "assignee" => self.assignee = theirs.details.assignee.clone().unwrap_or_default(),
            "reporter" => self.reporter = theirs.details.reporter.clone().unwrap_or_default(),
            _ => {}
        }
        self.keep_mine(field);
    }

    /// Keeps the draft's `field` as the user typed it: saving replaces the other side's value.
    pub fn keep_mine(&mut self, field: &str) {
        self.conflicts.retain(|listed| *listed != field);
        if self.conflicts.is_empty() && self.error.as_deref().is_some_and(|error| error.starts_with(NOT_YET)) {
            self.error = None;
        }
    }

    /// Why a save waits while conflicts are listed, or `None` when it can go ahead.
    #[must_use]
    pub fn undecided(&self) -> Option<String> {
        (!self.conflicts.is_empty()).then(|| {
            format!(
                "{NOT_YET}: another window or program also changed the {} of this item while you edited it. Choose above, for each, Keep mine or Use theirs, then save.",
                words_list(&self.conflicts)
            )
        })
    }
}

/// How a refusal for undecided conflicts begins (so that deciding the last one clears it).
const NOT_YET: &str = "Not saved yet";

/// "a", "a and b", "a, b and c".
#[must_use]
pub fn words_list(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The stored value of `field` in words, as the editor would show it.
fn value_words(item: &BacklogItem, field: &str, workspace: &Workspace) -> String {
    let number = |value: Option<f64>| value.map_or_else(|| "none".to_owned(), |value| value.to_string());
    let text = |value: &str| if value.trim().is_empty() { "empty".to_owned() } else { format!("“{value}”") };
    let date = |value: Option<jiff::civil::Date>| value.map_or_else(|| "none".to_owned(), |day| day.to_string());
    match field {
        "kind" => item.kind.label().to_owned(),
        "title" => text(&item.title),
        "description" => text(&item.details.description),
        "acceptance criteria" => {
            let criteria = &item.details.acceptance_criteria;
            if criteria.is_empty() {
                "none".to_owned()
            } else {
                criteria.iter().map(|criterion| format!("“{}”", criterion.text)).collect::<Vec<_>>().join(", ")
            }
        }
        "business value" => item.business_value.to_string(),
        "time criticality" => item.time_criticality.to_string(),
        "risk reduction" => item.risk_reduction.to_string(),
        "MoSCoW" => item.details.moscow.map_or_else(|| "none".to_owned(), |moscow| moscow.label().to_owned()),
        "epic" => item.epic_id.map_or_else(
            || "none".to_owned(),
            |id| workspace.epic(id).map_or_else(String::new, |epic| epic.title.clone()),
        ),
        "sprint" => item.sprint_id.map_or_else(
            || "not planned".to_owned(),
            |id| workspace.sprint(id).map_or_else(String::new, |sprint| sprint.name.clone()),
        ),
        "status (column)" => workspace.column(item.column_id).map_or_else(String::new, |column| column.name.clone()),
        "raised by" => item.raised_by.label().to_owned(),
        "parent item" => item.parent_id.map_or_else(
            || "none".to_owned(),
            |id| workspace.item(id).map_or_else(|| format!("#{}", id.0), |parent| text(&parent.title)),
        ),
        "insight it answers" => item.details.insight_id.map_or_else(
            || "none".to_owned(),
            |id| {
                workspace
                    .insights
                    .iter()
                    .find(|insight| insight.insight_id == id)
                    .map_or_else(|| format!("#{}", id.0), |insight| text(&insight.title))
            },
        ),
        "start date" => date(item.start_date),
        "due date" => date(item.due_date),
        "archive state" => if item.details.archived_at.is_some() { "archived" } else { "on the board" }.to_owned(),
        "estimate" => number(item.points),
        "reach" => number(item.details.rice.reach),
        "impact" => number(item.details.rice.impact),
        "confidence" => number(item.details.rice.confidence_percent),
        "effort" => number(item.details.rice.effort),
        "labels" => {
            if item.labels.is_empty() {
                "none".to_owned()
            } else {
                item.labels.join(", ")
            }
        }
        "assignee" => {
            item.details.assignee.clone().filter(|name| !name.is_empty()).unwrap_or_else(|| "nobody".to_owned())
        }
        "reporter" => {
            item.details.reporter.clone().filter(|name| !name.is_empty()).unwrap_or_else(|| "nobody".to_owned())
        }
        _ => String::new(),
    }
}

/// Shortened to what fits a line or two, on a character boundary.
fn shortened(text: String) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// The listed conflicts, each with the other side's value and the two choices.
pub(super) fn conflicts_ui(ui: &mut Ui, state: &mut EditorState, workspace: &Workspace) {
    if state.conflicts.is_empty() {
        return;
    }
    let colour = crate::ui::theme::warning_colour(ui.visuals());
    let mut decided: Option<(&'static str, bool)> = None;
    egui::Frame::group(ui.style()).stroke(egui::Stroke::new(1.5, colour)).show(ui, |ui| {
        crate::ui::widgets::a11y::heading(
            ui,
            RichText::new("⚠ Changed elsewhere while you edited").color(colour).strong(),
        );
        ui.label("Another window or program saved a different value for these fields. Yours is in the editor; nothing is saved until you choose.");
        for field in state.conflicts.clone() {
            ui.add_space(4.0);
            let theirs = shortened(value_words(&state.original, field, workspace));
            ui.label(RichText::new(format!("{}{}: theirs is {theirs}", field[..1].to_uppercase(), &field[1..])));
            ui.horizontal(|ui| {
                let keep = ui.button("Keep mine");
                crate::ui::widgets::a11y::name_widget(ui, &keep, &format!("Keep my {field}"));
                if keep.clicked() {
                    decided = Some((field, false));
                }
                let take = ui.button("Use theirs");
                crate::ui::widgets::a11y::name_widget(ui, &take, &format!("Use their {field}"));
                if take.clicked() {
                    decided = Some((field, true));
                }
            });
        }
    });
    match decided {
        Some((field, true)) => state.use_theirs(field),
        Some((field, false)) => state.keep_mine(field),
        None => {}
    }
}

#[cfg(test)]
#[allow(clippy::expect_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::*;
    use crate::model::{ColumnId, Criterion, EpicId, ItemKind, Moscow, Raiser, SprintId, Timestamp};

    fn base() -> BacklogItem {
        let mut item = BacklogItem::new(ItemKind::Story, "Hold a slot", ColumnId(1), Timestamp::UNIX_EPOCH);
        item.item_id = crate::model::ItemId(7);
        item
    }

    /// Every field the other side can change: `mine` and `theirs` differ from `base` and from each other.
    fn changed(item: &BacklogItem, seed: i8) -> BacklogItem {
        let mut item = item.clone();
        let tag = format!("side {seed}");
        item.kind = if seed == 1 { ItemKind::Bug } else { ItemKind::Spike };
        item.title = format!("Title {tag}");
        item.details.description = format!("Description {tag}");
        item.details.acceptance_criteria = vec![Criterion { text: format!("Criterion {tag}"), done: false }];
        item.business_value = u32::from(seed.unsigned_abs());
        item.time_criticality = u32::from(seed.unsigned_abs()) + 1;
        item.risk_reduction = u32::from(seed.unsigned_abs()) + 2;
        item.details.moscow = Some(if seed == 1 { Moscow::Must } else { Moscow::Could });
        item.epic_id = Some(EpicId(i64::from(seed)));
        item.sprint_id = Some(SprintId(i64::from(seed)));
        item.column_id = ColumnId(i64::from(seed) + 1);
        item.raised_by = if seed == 1 { Raiser::ProductManager } else { Raiser::Stakeholder };
        item.parent_id = Some(crate::model::ItemId(i64::from(seed)));
        item.start_date = Some(jiff::civil::date(2026, 1, seed));
        item.due_date = Some(jiff::civil::date(2026, 2, seed));
        item.details.archived_at = Timestamp::from_second(i64::from(seed)).ok();
        item.points = Some(f64::from(seed));
        item.details.rice.reach = Some(f64::from(seed) * 10.0);
        item.details.rice.impact = Some(f64::from(seed));
        item.details.rice.confidence_percent = Some(f64::from(seed) * 20.0);
        item.details.rice.effort = Some(f64::from(seed) + 0.5);
        item.labels = vec![tag.replace(' ', "-")].into();
        item.details.assignee = Some(format!("Assignee {tag}"));
        item.details.reporter = Some(format!("Reporter {tag}"));
        item
    }

    /// The editor with every field typed as `mine`.
    fn typed(base: &BacklogItem, mine: &BacklogItem) -> EditorState {
        let mut state = EditorState::edit(base);
        let rice = &mine.details.rice;
        state.draft = BacklogItem {
            points: base.points,
            labels: base.labels.clone(),
            details: crate::model::ItemDetails {
                rice: base.details.rice.clone(),
                assignee: base.details.assignee.clone(),
                reporter: base.details.reporter.clone(),
                ..(*mine.details).clone()
            }
            .into(),
            ..mine.clone()
        };
        state.points = number_text(mine.points);
        state.reach = number_text(rice.reach);
        state.impact = number_text(rice.impact);
        state.confidence = number_text(rice.confidence_percent);
        state.effort = number_text(rice.effort);
        state.labels = mine.labels.join(", ");
        state.assignee = mine.details.assignee.clone().unwrap_or_default();
        state.reporter = mine.details.reporter.clone().unwrap_or_default();
        state
    }

    #[test]
    fn every_field_changed_on_both_sides_is_listed_and_can_take_either_side() {
        let base = base();
        let mine = changed(&base, 1);
        let theirs = changed(&base, 2);
        let mut state = typed(&base, &mine);
        state.rebase(&theirs);
        let listed = state.conflicts().to_vec();
        assert_eq!(listed.len(), 24, "every field is a conflict: {listed:?}");
        assert!(state.undecided().is_some(), "a save waits while conflicts are listed");
        let workspace = Workspace::new(crate::model::Product { name: "P".into(), vision: String::new() });
        for field in &listed {
            assert!(
                !value_words(&theirs, field, &workspace).is_empty()
                    || matches!(*field, "epic" | "sprint" | "status (column)"),
                "{field} has words"
            );
        }

        // Keeping mine everywhere saves exactly what was typed.
        let mut keeping = state.clone();
        for field in &listed {
            keeping.keep_mine(field);
        }
        assert!(keeping.undecided().is_none());
        let kept = keeping.finished_item().expect("valid");
        assert_eq!(kept.title, mine.title);
        assert_eq!(kept.points, mine.points);
        assert_eq!(kept.labels, mine.labels);
        assert_eq!(kept.details.assignee, mine.details.assignee);

        // Taking theirs everywhere leaves nothing to save.
        for field in &listed {
            state.use_theirs(field);
        }
        assert!(state.undecided().is_none());
        assert!(!state.is_item_dirty(), "every field took the stored value");
    }

    #[test]
    fn a_field_changed_on_one_side_only_is_no_conflict() {
        let base = base();
        let mut mine = base.clone();
        mine.title = "Mine".to_owned();
        let mut theirs = base.clone();
        theirs.details.description = "Theirs".to_owned();
        theirs.points = Some(3.0);
        let mut state = typed(&base, &mine);
        state.rebase(&theirs);
        assert!(state.conflicts().is_empty());
        assert_eq!(state.points, "3");
        assert_eq!(state.draft.details.description, "Theirs");
        assert_eq!(state.draft.title, "Mine");

        // Both sides typing the same estimate is no conflict either.
        let mut state = typed(&base, &BacklogItem { points: Some(5.0), ..base.clone() });
        state.rebase(&BacklogItem { points: Some(5.0), ..base.clone() });
        assert!(state.conflicts().is_empty());
    }

    #[test]
    fn long_values_are_shortened_on_a_character_boundary() {
        let long = "é".repeat(SHOWN_CHARS + 10);
        let short = shortened(long);
        assert_eq!(short.chars().count(), SHOWN_CHARS + 1);
        assert!(short.ends_with('…'));
    }
}
