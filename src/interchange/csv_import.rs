//! Reading back the backlog CSV that [`super::csv_export`] writes, or a spreadsheet made from it.
//!
//! Only `Title` and `Status` are required; every other column of the export is optional. Scores that
//! Tandem computes (WSJF, RICE) are read from their inputs, not from their columns. Epics and sprints are
//! matched by name; names the workspace does not have are created with dates the user should adjust.

use std::collections::HashMap;

use jiff::civil::Date;

use super::convert::{
    EPIC_COLOURS, Table, fit_description, fit_label, fit_title, looks_done, monday_of, slash_dates, spreadsheet_date,
};
use super::csv_export::{HEADER, unescape_cell};
use super::document::{Conversion, DocColumn, DocComment, DocEpic, DocItem, DocSprint, Document};
use crate::model::{Colour, Criterion, ItemKind, Moscow, Product, Raiser};

/// Whether a header row is Tandem's own backlog CSV.
#[must_use]
pub fn is_tandem_csv(table: &Table) -> bool {
    table.has("Title") && table.has("Status") && table.has("Kind")
}

fn by_label<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str, text: &str) -> Option<T> {
    all.iter().copied().find(|value| label(*value).eq_ignore_ascii_case(text.trim()))
}

/// Epics, sprints or insights named in a CSV's cells: a CSV knows them by name alone, so names that
/// differ only in ASCII case or surrounding spaces are one record, spelt as first written.
#[derive(Default)]
struct Names {
    ids: HashMap<String, i64>,
    spelt: Vec<String>,
}

impl Names {
    /// The document id of the record called `name`, a new one the first time.
    fn id_of(&mut self, name: &str) -> i64 {
        let next = i64::try_from(self.spelt.len()).unwrap_or(i64::MAX - 1) + 1;
        *self.ids.entry(name.trim().to_ascii_lowercase()).or_insert_with(|| {
            self.spelt.push(name.to_owned());
            next
        })
    }

    /// Every name with its id, in the order first met.
    fn in_order(&self) -> impl Iterator<Item = (&String, i64)> {
        self.spelt.iter().zip(1..)
    }
}

/// Converts a Tandem backlog CSV.
///
/// # Errors
/// A message naming the line and column that cannot be read.
#[expect(clippy::too_many_lines, reason = "one field after another, each checked")]
pub fn convert(table: &Table, today: Date) -> Result<Document, String> {
    for required in ["Title", "Status"] {
        if !table.has(required) {
            return Err(format!("it has no '{required}' column; a backlog CSV needs at least Title and Status"));
        }
    }
    let mut document = Document::empty(Product { name: "Imported backlog".to_owned(), vision: String::new() });
    let mut columns: Vec<String> = Vec::new();
    let mut column_index: HashMap<String, usize> = HashMap::new();
    let mut epics = Names::default();
    let mut sprints = Names::default();
    let mut insights = Names::default();
    let monday = monday_of(today);
    let mut ordered: Vec<(f64, DocItem)> = Vec::new();
    let has_parents = table.rows.iter().any(|(_, cells)| table.first(cells, "Parent").is_some());
    // A spreadsheet may have saved the dates in its own way; slashes are read as the whole file writes them.
    let slashes = slash_dates(
        table
            .rows
            .iter()
            .flat_map(|(_, cells)| ["Start date", "Due date"].map(|field| table.first(cells, field)))
            .flatten(),
    )
    .map_err(|why| format!("the Start date and Due date columns cannot be read: {why}"))?;
    for (index, (line, cells)) in table.rows.iter().enumerate() {
        // Cells come back without the mark the export puts before formula-like text.
        let cell = |name: &str| table.first(cells, name).map(unescape_cell);
        let text = |name: &str| cell(name).unwrap_or("");
        let bad = |field: &str, value: &str, what: &str| {
            format!("line {line}, column '{field}': '{value}' is not {what}; fix the cell or clear it")
        };
        let number = |field: &str, low: f64, high: f64| -> Result<Option<f64>, String> {
            table
                .first(cells, field)
                .map(|value| {
                    let parsed: f64 = table.decimal(value).parse().map_err(|_| bad(field, value, "a number"))?;
                    if (low..=high).contains(&parsed) {
                        Ok(parsed)
                    } else {
                        Err(bad(field, value, &format!("between {low} and {high}")))
                    }
                })
                .transpose()
        };
        let whole = |field: &str| -> Result<u32, String> {
            cell(field).map_or(Ok(0), |value| {
                value
                    .parse::<u32>()
                    .ok()
                    .filter(|score| *score <= 100)
                    .ok_or_else(|| bad(field, value, "a whole number from 0 to 100"))
            })
        };
        let day = |field: &str| -> Result<Option<Date>, String> {
            cell(field)
                .map(|value| {
                    spreadsheet_date(value, slashes)
                        .map_err(|why| format!("line {line}, column '{field}': '{value}' {why}"))
                })
                .transpose()
        };
        let title = text("Title");
        if title.trim().is_empty() {
            return Err(format!("line {line}, column 'Title' is empty; every item needs a title"));
        }
        let status = if text("Status").is_empty() { "Backlog" } else { text("Status") };
        // Statuses by name ignoring ASCII case, through a map: thousands of them stay linear.
        let column = *column_index.entry(status.to_ascii_lowercase()).or_insert_with(|| {
            columns.push(status.to_owned());
            columns.len() - 1
        });
        let kind = match cell("Kind") {
            Some(kind) => by_label(&ItemKind::ALL, ItemKind::label, kind)
                .ok_or_else(|| bad("Kind", kind, "a kind (Story, Bug, Enabler or Spike)"))?,
            None => ItemKind::Story,
        };
        let moscow = table
            .first(cells, "MoSCoW")
            .map(|value| {
                by_label(&Moscow::ALL, Moscow::label, value)
                    .ok_or_else(|| bad("MoSCoW", value, "Must have, Should have, Could have or Won't have"))
            })
            .transpose()?;
        let raised_by = table
            .first(cells, "Raised by")
            .map(|value| {
                by_label(&Raiser::ALL, Raiser::label, value)
                    .ok_or_else(|| bad("Raised by", value, "one of the roles Tandem knows"))
            })
            .transpose()?
            .unwrap_or_default();
        let epic = cell("Epic").map(|name| epics.id_of(name));
        let sprint = cell("Sprint").map(|name| sprints.id_of(name));
        let insight = cell("Insight").map(|title| insights.id_of(title));
        let criteria = text("Acceptance criteria")
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("[x]").or_else(|| line.strip_prefix("[X]")) {
                    Criterion { text: rest.trim().to_owned(), done: true }
                } else {
                    Criterion { text: line.strip_prefix("[ ]").unwrap_or(line).trim().to_owned(), done: false }
                }
            })
            .collect();
        let position =
            number("Position", f64::MIN, f64::MAX)?.unwrap_or(f64::from(u32::try_from(index).unwrap_or(u32::MAX)));
        let parent = cell("Parent")
            .map(|value| value.parse::<i64>().map_err(|_| bad("Parent", value, "the Position of another row")))
            .transpose()?;
        ordered.push((
            position,
            DocItem {
                // When the file has sub-tasks, every row can be a parent: its id is its Position (a whole
                // number, as Tandem writes it).
                id: cell("Position").filter(|_| has_parents).and_then(|value| value.parse::<i64>().ok()),
                parent,
                kind,
                title: fit_title(title).0,
                description: fit_description(text("Description")).0,
                criteria,
                points: number("Points", 0.0, 1000.0)?,
                business_value: whole("Business value")?,
                time_criticality: whole("Time criticality")?,
                risk_reduction: whole("Risk reduction")?,
                reach: number("Reach", 0.0, 1e12)?,
                impact: number("Impact", 0.0, 10.0)?,
                confidence_percent: number("Confidence (%)", 0.0, 100.0)?,
                effort: number("Effort", 0.0, 1e6)?,
                moscow,
                labels: text("Labels").split(';').filter_map(fit_label).collect(),
                epic,
                sprint,
                column: i64::try_from(column).unwrap_or(0) + 1,
                raised_by,
                history: Vec::new(),
                comments: crate::interchange::csv_export::parse_comments_cell(text("Comments"))
                    .map_err(|why| format!("line {line}, column 'Comments': {why}; fix the cell or clear it"))?
                    .into_iter()
                    .map(|(author, at, text)| DocComment { author, at: at.to_string(), text })
                    .collect(),
                archived_at: cell("Archived")
                    .map(|value| {
                        value
                            .parse::<jiff::Timestamp>()
                            .map(|at| at.to_string())
                            .map_err(|_| bad("Archived", value, "an instant like 2026-11-20T09:00:00Z"))
                    })
                    .transpose()?,
                assignee: cell("Assignee").map(str::to_owned),
                reporter: cell("Reporter").map(str::to_owned),
                start_date: day("Start date")?,
                due_date: day("Due date")?,
                insight,
            },
        ));
    }
    ordered.sort_by(|a, b| a.0.total_cmp(&b.0));
    document.items = ordered.into_iter().map(|(_, item)| item).collect();
    document.columns = columns
        .iter()
        .zip(1..)
        .map(|(name, id)| DocColumn { id, name: fit_title(name).0, wip_limit: None, is_done: looks_done(name) })
        .collect();
    let later = |days: i64| monday.checked_add(jiff::Span::new().days(days)).unwrap_or(monday);
    for (name, id) in epics.in_order() {
        document.epics.push(DocEpic {
            id,
            title: fit_title(name).0,
            description: String::new(),
            colour: Colour(EPIC_COLOURS[usize::try_from(id).unwrap_or(0) % EPIC_COLOURS.len()]),
            start_date: monday,
            end_date: later(83),
            objective: None,
            starts_after: Vec::new(),
        });
    }
    for (name, id) in sprints.in_order() {
        document.sprints.push(DocSprint {
            id,
            name: fit_title(name).0,
            goal: String::new(),
            start_date: monday,
            end_date: later(13),
            capacity_points: 0.0,
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        });
    }
    // An insight named by title and not in the workspace yet arrives as a research finding, to complete.
    for (title, id) in insights.in_order() {
        document.insights.push(crate::interchange::document::DocInsight {
            id,
            title: fit_title(title).0,
            kind: crate::model::InsightKind::Finding,
            source: String::new(),
            observed_on: None,
            persona: None,
            detail: String::new(),
            metric: None,
        });
    }
    let ignored: Vec<&str> = table
        .headers
        .iter()
        .map(String::as_str)
        .filter(|header| !HEADER.iter().any(|known| known.eq_ignore_ascii_case(header)))
        .collect();
    document.conversion = Conversion {
        source: "Tandem backlog CSV".to_owned(),
        mapping: vec![
            format!("{} → backlog items, in Position order", super::convert::plural(document.items.len(), "row")),
            format!(
                "{} → columns (matched by name; new ones are added to the right)",
                super::convert::plural_of(document.columns.len(), "status", "statuses")
            ),
            "WSJF and RICE are recomputed from their inputs, not read".to_owned(),
            "epics and sprints are matched by name; new ones start this week (epics 12 weeks, sprints 2 weeks): adjust their dates".to_owned(),
        ],
        losses: if ignored.is_empty() { Vec::new() } else { vec![format!("columns Tandem does not know, not imported: {}", ignored.join(", "))] },
        archived_list_cards: 0,
    };
    if !document.insights.is_empty() {
        document.conversion.mapping.push(
            "insights are matched by title; a new one is added as a research finding, to complete in UX research"
                .to_owned(),
        );
    }
    Ok(document)
}
