//! Backlog items as CSV for spreadsheets: one row per item, in board order (column by column, top to
//! bottom), with a header row.

use std::io::Write;

use std::collections::HashMap;

use crate::model::{Comment, ItemId, Moscow, Workspace};

/// What starts a comment in the Comments cell: `— Dana (PO), 2026-12-03T14:05:00Z`, then its text on
/// the lines below.
const COMMENT_MARK: &str = "— ";

/// An item's comments as one cell: each a line `— author, instant` followed by its text.
#[must_use]
pub fn comments_cell(comments: &[Comment]) -> String {
    comments
        .iter()
        .map(|comment| format!("{COMMENT_MARK}{}, {}\n{}", comment.author, comment.created_at, comment.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads a Comments cell back: `(author, instant, text)` for each comment. Text before the first
/// `— author, instant` line has no author and is refused.
///
/// # Errors
/// A sentence saying what the cell lacks.
pub fn parse_comments_cell(cell: &str) -> Result<Vec<(String, jiff::Timestamp, String)>, String> {
    let mut comments: Vec<(String, jiff::Timestamp, String)> = Vec::new();
    for line in cell.lines() {
        let header = line.strip_prefix(COMMENT_MARK).and_then(|rest| {
            let (author, at) = rest.rsplit_once(", ")?;
            Some((author.trim().to_owned(), at.trim().parse::<jiff::Timestamp>().ok()?))
        });
        match (header, comments.last_mut()) {
            (Some((author, at)), _) => comments.push((author, at, String::new())),
            (None, Some((_, _, text))) => {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(line);
            }
            (None, None) if line.trim().is_empty() => {}
            (None, None) => {
                return Err(format!(
                    "its text does not start with a line like '{COMMENT_MARK}Dana (PO), 2026-12-03T14:05:00Z' naming who wrote it and when"
                ));
            }
        }
    }
    for (_, _, text) in &mut comments {
        *text = text.trim().to_owned();
    }
    Ok(comments)
}

/// The header row.
pub const HEADER: [&str; 29] = [
    "Position",
    "Kind",
    "Title",
    "Description",
    "Status",
    "Points",
    "Business value",
    "Time criticality",
    "Risk reduction",
    "WSJF",
    "Reach",
    "Impact",
    "Confidence (%)",
    "Effort",
    "RICE",
    "MoSCoW",
    "Labels",
    "Epic",
    "Sprint",
    "Acceptance criteria",
    "Raised by",
    "Comments",
    "Archived",
    "Start date",
    "Due date",
    "Assignee",
    "Reporter",
    "Parent",
    "Insight",
];

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// before one) gets a leading `'`, as OWASP advises against CSV injection: a title such as
/// `=HYPERLINK(…)` must stay text. [`unescape_cell`] takes the mark off again on import.
#[must_use]
pub fn escape_cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

/// The inverse of [`escape_cell`]: a `'` before a formula character is Tandem's own mark.
#[must_use]
pub fn unescape_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

fn number(value: Option<f64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

/// Writes every item as one CSV row. Labels are separated by `; `; acceptance criteria are one per
/// line, ticked ones marked `[x]`; comments as [`comments_cell`] writes them; archived items among the
/// others of their column, with the instant they were archived.
///
/// # Errors
/// A write error.
pub fn write_items<S: std::hash::BuildHasher>(
    workspace: &Workspace,
    comments: &HashMap<ItemId, Vec<Comment>, S>,
    out: impl Write,
) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    // Every item's position, so a sub-task can name its parent's.
    let positions: HashMap<ItemId, usize> = workspace
        .columns
        .iter()
        .flat_map(|column| workspace.column_items_with_archived(column.column_id))
        .zip(1..)
        .collect();
    let mut position = 0usize;
    for column in &workspace.columns {
        let ids = workspace.column_items_with_archived(column.column_id);
        for item in ids.iter().filter_map(|item_id| workspace.item(*item_id)) {
            position += 1;
            let criteria: Vec<String> = item
                .details
                .acceptance_criteria
                .iter()
                .map(|criterion| format!("[{}] {}", if criterion.done { "x" } else { " " }, criterion.text))
                .collect();
            writer.write_record([
                position.to_string(),
                item.kind.label().to_owned(),
                escape_cell(item.title.clone()),
                escape_cell(item.details.description.clone()),
                escape_cell(column.name.clone()),
                number(item.points),
                item.business_value.to_string(),
                item.time_criticality.to_string(),
                item.risk_reduction.to_string(),
                item.wsjf().map(|score| format!("{score:.2}")).unwrap_or_default(),
                number(item.details.rice.reach),
                number(item.details.rice.impact),
                number(item.details.rice.confidence_percent),
                number(item.details.rice.effort),
                item.rice().map(|score| format!("{score:.1}")).unwrap_or_default(),
                item.details.moscow.map_or("", Moscow::label).to_owned(),
                escape_cell(item.labels.join("; ")),
                escape_cell(
                    item.epic_id.and_then(|id| workspace.epic(id)).map(|epic| epic.title.clone()).unwrap_or_default(),
                ),
                escape_cell(
                    item.sprint_id
                        .and_then(|id| workspace.sprint(id))
                        .map(|sprint| sprint.name.clone())
                        .unwrap_or_default(),
                ),
                escape_cell(criteria.join("\n")),
                item.raised_by.label().to_owned(),
                escape_cell(comments.get(&item.item_id).map(|comments| comments_cell(comments)).unwrap_or_default()),
                item.details.archived_at.map(|at| at.to_string()).unwrap_or_default(),
                item.start_date.map(|day| day.to_string()).unwrap_or_default(),
                item.due_date.map(|day| day.to_string()).unwrap_or_default(),
                escape_cell(item.details.assignee.clone().unwrap_or_default()),
                escape_cell(item.details.reporter.clone().unwrap_or_default()),
                item.parent_id.and_then(|parent| positions.get(&parent)).map(ToString::to_string).unwrap_or_default(),
                escape_cell(
                    item.details
                        .insight_id
                        .and_then(|id| workspace.insights.iter().find(|insight| insight.insight_id == id))
                        .map(|insight| insight.title.clone())
                        .unwrap_or_default(),
                ),
            ])?;
        }
    }
    writer.flush()
}
