//! Jira CSV exports (Filters → Export → CSV, all fields or current fields).
//!
//! Issues become backlog items ordered by Jira's rank (`Custom field (Rank)`) within their status;
//! statuses become columns ordered To Do → In Progress → Done by their status category; issues of type
//! Epic become epics, and `Parent` / `Parent id` / `Custom field (Epic Link)` link items to them. Every
//! column of the file that Tandem does not keep is counted in the losses, by name.

use std::collections::{HashMap, HashSet};

use jiff::civil::{Date, DateTime};

use super::convert::{
    EPIC_COLOURS, Table, Tally, append_line, fit_description, fit_label, fit_title, item_dates, looks_done, monday_of,
    plural,
};
use super::document::{Conversion, DocColumn, DocEpic, DocItem, DocMove, DocSprint, Document};
use super::jira_text::acceptance_criteria_section;
pub use super::jira_text::parse_jira_time;
use crate::model::{Colour, ItemKind, Product};

const SUMMARY: &str = "Summary";
const KEY: &str = "Issue key";
const ID: &str = "Issue id";
const TYPE: &str = "Issue Type";
const STATUS: &str = "Status";
const CATEGORY: &str = "Status Category";
const CATEGORY_CHANGED: &str = "Status Category Changed";
const RANK: &str = "Custom field (Rank)";
const POINTS: [&str; 4] =
    ["Custom field (Story Points)", "Custom field (Story point estimate)", "Story Points", "Story point estimate"];
const PARENTS: [&str; 4] = ["Parent", "Parent id", "Parent key", "Custom field (Epic Link)"];

/// Columns the conversion reads; every other non-empty column is reported as not kept.
const USED: [&str; 29] = [
    "Project name",
    SUMMARY,
    KEY,
    ID,
    TYPE,
    STATUS,
    CATEGORY,
    CATEGORY_CHANGED,
    RANK,
    POINTS[0],
    POINTS[1],
    POINTS[2],
    POINTS[3],
    PARENTS[0],
    PARENTS[1],
    PARENTS[2],
    PARENTS[3],
    "Parent summary",
    "Sprint",
    "Labels",
    "Description",
    "Created",
    "Due date",
    "Priority",
    "Custom field (Start date)",
    "Resolved",
    "Comment",
    "Assignee",
    "Reporter",
];

/// When a header row is a Jira export in another language, that language and the column that shows it
/// (Tandem reads the column names of Jira's English exports).
#[must_use]
pub fn localised_export(table: &Table) -> Option<(&'static str, String)> {
    const SUMMARY_IN: [(&str, &str); 8] = [
        ("German", "Zusammenfassung"),
        ("German", "Vorgangstyp"),
        ("French", "Résumé"),
        ("French", "Type de ticket"),
        ("Spanish", "Resumen"),
        ("Spanish", "Tipo de incidencia"),
        ("Dutch", "Samenvatting"),
        ("Italian", "Riepilogo"),
    ];
    SUMMARY_IN.iter().find_map(|(language, word)| {
        table
            .headers
            .iter()
            .find(|header| header.to_lowercase() == word.to_lowercase())
            .map(|header| (*language, header.clone()))
    })
}

/// Whether a header row is a Jira issue export.
#[must_use]
pub fn is_jira(table: &Table) -> bool {
    table.has(SUMMARY) && table.has(KEY) && table.has(TYPE)
}

fn instant(time: DateTime) -> String {
    time.to_zoned(jiff::tz::TimeZone::UTC).map(|zoned| zoned.timestamp().to_string()).unwrap_or_default()
}

fn kind_of(issue_type: &str) -> ItemKind {
    let lower = issue_type.to_lowercase();
    if lower.contains("bug") || lower.contains("defect") || lower.contains("incident") {
        ItemKind::Bug
    } else if lower.contains("spike") || lower.contains("research") {
        ItemKind::Spike
    } else if lower.contains("enabler") || lower.contains("technical") {
        ItemKind::Enabler
    } else {
        ItemKind::Story
    }
}

fn category_order(category: Option<&str>, status: &str) -> u8 {
    let category = category.unwrap_or(status).to_lowercase();
    if category == "done" || looks_done(&category) {
        2
    } else {
        let not_started =
            category == "to do" || ["backlog", "open", "new", "selected"].iter().any(|word| category.contains(word));
        u8::from(!not_started)
    }
}

struct Row<'file> {
    line: u64,
    cells: &'file [String],
    key: String,
}

/// Converts a Jira CSV export read into a table.
///
/// # Errors
/// A message naming the line, issue and field that cannot be read.
#[expect(clippy::too_many_lines, reason = "one pass over the file's columns, each mapped and counted")]
pub fn convert<'file>(table: &'file Table, today: Date) -> Result<Document, String> {
    if !is_jira(table) {
        return Err("it has no Summary, Issue key and Issue Type columns, so it is not a Jira issue export".to_owned());
    }
    let mut tally = Tally::default();
    let rows: Vec<Row<'file>> = table
        .rows
        .iter()
        .map(|(line, cells)| Row {
            line: *line,
            cells,
            key: table.first(cells, KEY).or_else(|| table.first(cells, ID)).unwrap_or("").to_owned(),
        })
        .collect();
    let bad = |row: &Row<'_>, field: &str, value: &str, what: &str| {
        format!("line {} ({}), field '{field}': '{value}' is not {what}; fix the cell or clear it", row.line, row.key)
    };
    let time_of = |row: &Row<'_>, field: &str| -> Result<Option<DateTime>, String> {
        table
            .first(row.cells, field)
            .map(|value| parse_jira_time(value).ok_or_else(|| bad(row, field, value, "a date like 22/Sep/25 9:26 AM, 22.09.2025 or 2025-09-22 (for a date Tandem cannot read, export from Jira with English as your language)")))
            .transpose()
    };
    let project = rows.first().and_then(|row| table.first(row.cells, "Project name")).unwrap_or("Jira project");
    let mut document = Document::empty(Product { name: fit_title(project).0, vision: String::new() });

    // Epics first: issues of type Epic, then parents the file only names.
    let (names, mut comment_count) = (super::jira_comments::account_names(table), 0);
    let (mut epic_fields, mut epic_comments) = (0, 0);
    let mut invented_ends = 0;
    let mut epic_of_key: HashMap<String, i64> = HashMap::new();
    let mut epic_rows = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        if !table.first(row.cells, TYPE).is_some_and(|kind| kind.eq_ignore_ascii_case("epic")) {
            continue;
        }
        epic_rows.insert(index);
        let created = time_of(row, "Created")?.map_or(today, DateTime::date);
        let start = time_of(row, "Custom field (Start date)")?.map_or(created, DateTime::date);
        let due = time_of(row, "Due date")?.map(DateTime::date).filter(|end| *end >= start);
        invented_ends += usize::from(due.is_none());
        let end = due.unwrap_or_else(|| start.checked_add(jiff::Span::new().days(90)).unwrap_or(start));
        // Tandem epics have no status, priority, labels, sprint or comments of their own: they are kept
        // as lines of the epic's description, where the team still reads them.
        let (mut description, cut) = fit_description(table.first(row.cells, "Description").unwrap_or(""));
        tally.add("epic descriptions longer than 20,000 characters shortened", usize::from(cut));
        let mut own_fields = Vec::new();
        if let Some(status) = table.first(row.cells, STATUS) {
            own_fields.push(format!("status {status}"));
        }
        if let Some(priority) = table.first(row.cells, "Priority") {
            own_fields.push(format!("priority {priority}"));
        }
        let labels = table.values(row.cells, "Labels");
        if !labels.is_empty() {
            own_fields.push(format!("labels {}", labels.join(", ")));
        }
        let sprints = table.values(row.cells, "Sprint");
        if !sprints.is_empty() {
            own_fields.push(format!("sprint {}", sprints.join(", ")));
        }
        if !own_fields.is_empty() {
            epic_fields += 1;
            append_line(&mut description, &format!("In Jira: {}.", own_fields.join("; ")));
        }
        let comments = super::jira_comments::issue_comments(table, row.cells, &names, &mut tally, |when| {
            parse_jira_time(when).map(instant)
        })
        .map_err(|why| format!("line {} ({}): {why}; fix the cell or clear it", row.line, row.key))?;
        for comment in &comments {
            epic_comments += 1;
            let day = comment.at.get(..10).unwrap_or(&comment.at);
            append_line(&mut description, &format!("Comment by {} on {day}: {}", comment.author, comment.text));
        }
        let (description, cut) = fit_description(&description);
        tally.add(
            "epics whose Jira fields and comments made the description too long: its end was cut",
            usize::from(cut),
        );
        let id = i64::try_from(document.epics.len()).unwrap_or(0) + 1;
        let colour = EPIC_COLOURS[document.epics.len() % EPIC_COLOURS.len()];
        document.epics.push(DocEpic {
            id,
            title: fit_title(table.first(row.cells, SUMMARY).unwrap_or(&row.key)).0,
            description,
            colour: Colour(colour),
            start_date: start,
            end_date: end,
            objective: None,
            starts_after: Vec::new(),
        });
        for name in [KEY, ID] {
            if let Some(value) = table.first(row.cells, name) {
                epic_of_key.insert(value.to_owned(), id);
            }
        }
    }
    let parent_of =
        |row: &Row<'file>| -> Option<&'file str> { PARENTS.iter().find_map(|name| table.first(row.cells, name)) };
    // Issues that are items, by key and id: their row.
    let item_rows: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .filter(|(index, _)| !epic_rows.contains(index))
        .flat_map(|(index, row)| [table.first(row.cells, KEY), table.first(row.cells, ID)].map(|key| (key, index)))
        .filter_map(|(key, index)| key.map(|key| (key, index)))
        .collect();
    let item_keys: HashSet<&str> = item_rows.keys().copied().collect();
    let mut named_epics = 0;
    for (index, row) in rows.iter().enumerate() {
        if epic_rows.contains(&index) {
            continue;
        }
        let Some(parent) = parent_of(row) else {
            continue;
        };
        if epic_of_key.contains_key(parent) || item_keys.contains(parent) {
            continue;
        }
        let id = i64::try_from(document.epics.len()).unwrap_or(0) + 1;
        let title =
            table.first(row.cells, "Parent summary").map_or_else(|| format!("Jira epic {parent}"), str::to_owned);
        let start = monday_of(today);
        document.epics.push(DocEpic {
            id,
            title: fit_title(&title).0,
            description: format!("Parent {parent} in Jira; it was not in the exported file."),
            colour: Colour(EPIC_COLOURS[document.epics.len() % EPIC_COLOURS.len()]),
            start_date: start,
            end_date: start.checked_add(jiff::Span::new().days(90)).unwrap_or(start),
            objective: None,
            starts_after: Vec::new(),
        });
        epic_of_key.insert(parent.to_owned(), id);
        named_epics += 1;
        invented_ends += 1;
    }

    // Columns: statuses ordered by status category, then by first appearance.
    // Statuses are told apart ignoring ASCII case, through a map, so thousands of them stay linear.
    let mut statuses: Vec<(u8, String)> = Vec::new();
    let mut seen_statuses: HashSet<String> = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        if epic_rows.contains(&index) {
            continue;
        }
        let status = table.first(row.cells, STATUS).unwrap_or("To Do");
        if seen_statuses.insert(status.to_ascii_lowercase()) {
            statuses.push((category_order(table.first(row.cells, CATEGORY), status), status.to_owned()));
        }
    }
    statuses.sort_by_key(|(order, _)| *order);
    let status_columns: HashMap<String, i64> =
        statuses.iter().zip(1..).map(|((_, name), id)| (name.to_ascii_lowercase(), id)).collect();
    for ((order, name), id) in statuses.iter().zip(1..) {
        document.columns.push(DocColumn { id, name: fit_title(name).0, wip_limit: None, is_done: *order == 2 });
    }
    if document.columns.is_empty() {
        document.columns.push(DocColumn { id: 1, name: "To Do".to_owned(), wip_limit: None, is_done: false });
    }
    let column_of = |status: &str| status_columns.get(&status.to_ascii_lowercase()).copied().unwrap_or(1);

    // Sprints in order of first appearance; an issue belongs to the last sprint it lists.
    let mut sprint_ids: HashMap<String, i64> = HashMap::new();
    let mut sprint_starts: HashMap<i64, Date> = HashMap::new();
    let mut sprint_points: HashMap<i64, f64> = HashMap::new();
    let mut earlier_sprints = 0;

    let mut items: Vec<(usize, Option<String>, DocItem)> = Vec::new();
    let mut priorities = 0;
    let mut due_dates = 0;
    let mut start_dates = 0;
    let mut criteria_sections = 0;
    let mut guessed_moves = 0;
    let has_category_changed = table.has(CATEGORY_CHANGED);
    let (mut sub_task_links, mut sub_tasks) = (0, 0);
    for (index, row) in rows.iter().enumerate() {
        if epic_rows.contains(&index) {
            continue;
        }
        let summary = table.first(row.cells, SUMMARY).unwrap_or("");
        let (title, shortened) = fit_title(summary);
        if shortened {
            tally.add("summaries longer than 200 characters shortened", 1);
        }
        let (mut description, cut) = fit_description(table.first(row.cells, "Description").unwrap_or(""));
        if cut {
            tally.add("descriptions longer than 20,000 characters shortened", 1);
        }
        let (start_date, due_date) = item_dates(
            time_of(row, "Custom field (Start date)")?.map(DateTime::date),
            time_of(row, "Due date")?.map(DateTime::date),
            &mut description,
            "Jira",
            &mut tally,
        );
        (due_dates, start_dates) =
            (due_dates + usize::from(due_date.is_some()), start_dates + usize::from(start_date.is_some()));
        let (rest, criteria) = acceptance_criteria_section(&description);
        if !criteria.is_empty() {
            description = rest;
            criteria_sections += 1;
        }
        let issue_type = table.first(row.cells, TYPE).unwrap_or("");
        let sub_task_type = issue_type.eq_ignore_ascii_case("sub-task") || issue_type.eq_ignore_ascii_case("subtask");
        // A type Tandem has no kind for (Task, Test…) is kept as a label beside the story kind.
        let type_label = (kind_of(issue_type) == ItemKind::Story
            && !issue_type.eq_ignore_ascii_case("story")
            && !issue_type.is_empty()
            && !sub_task_type)
            .then(|| fit_label(&issue_type.to_lowercase()))
            .flatten();
        if let Some(label) = &type_label {
            tally.add(
                format!("issues of type '{issue_type}': Tandem has no such kind; imported as stories with the label '{label}'"),
                1,
            );
        }
        if !row.key.is_empty() {
            append_line(&mut description, &format!("Jira issue {}", row.key));
        }
        let mut points = None;
        for name in POINTS {
            if let Some(value) = table.first(row.cells, name) {
                let parsed: f64 = value.replace(',', ".").parse().map_err(|_| bad(row, name, value, "a number"))?;
                if !(0.0..=1000.0).contains(&parsed) {
                    return Err(bad(row, name, value, "an estimate between 0 and 1000 points"));
                }
                points = Some(parsed);
                break;
            }
        }
        let mut labels: Vec<String> = type_label.into_iter().collect();
        for label in table.values(row.cells, "Labels").into_iter().filter_map(fit_label) {
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        if let Some(priority) = table.first(row.cells, "Priority") {
            if priority.eq_ignore_ascii_case("medium") {
                priorities += 1;
            } else if let Some(label) = fit_label(&format!("{priority} priority")) {
                labels.push(label);
            }
        }
        let sprints = table.values(row.cells, "Sprint");
        earlier_sprints += sprints.len().saturating_sub(1);
        let created = time_of(row, "Created")?;
        let sprint = sprints.last().map(|name| {
            let next = i64::try_from(sprint_ids.len()).unwrap_or(0) + 1;
            let id = *sprint_ids.entry((*name).to_owned()).or_insert(next);
            if let Some(created) = created {
                let start = sprint_starts.entry(id).or_insert(created.date());
                *start = (*start).min(created.date());
            }
            *sprint_points.entry(id).or_default() += points.unwrap_or(0.0);
            id
        });
        // A sub-task belongs to its parent issue (one level deep) and shares its epic.
        let parent_row = parent_of(row).and_then(|parent| item_rows.get(parent)).copied();
        let nested = parent_row.is_some_and(|at| parent_of(&rows[at]).is_some_and(|up| item_keys.contains(up)));
        sub_task_links += usize::from(nested);
        let parent = parent_row.filter(|_| !nested);
        sub_tasks += usize::from(parent.is_some());
        let epic = match parent_of(row) {
            Some(key) if item_keys.contains(key) => {
                parent_row.and_then(|at| parent_of(&rows[at])).and_then(|up| epic_of_key.get(up)).copied()
            }
            Some(key) => epic_of_key.get(key).copied(),
            None => None,
        };
        let status = table.first(row.cells, STATUS).unwrap_or("To Do");
        let column = column_of(status);
        let mut history = Vec::new();
        if let Some(created) = created {
            history.push(DocMove { at: instant(created), to: 1 });
            if column != 1 {
                let recorded = time_of(row, CATEGORY_CHANGED)?.or(time_of(row, "Resolved")?);
                if recorded.is_none() {
                    guessed_moves += 1;
                }
                let changed = recorded.unwrap_or(created);
                history.push(DocMove { at: instant(changed.max(created)), to: column });
            }
        }
        let comments = super::jira_comments::issue_comments(table, row.cells, &names, &mut tally, |when| {
            parse_jira_time(when).map(instant)
        })
        .map_err(|why| format!("line {} ({}): {why}; fix the cell or clear it", row.line, row.key))?;
        comment_count += comments.len();
        items.push((
            index,
            table.first(row.cells, RANK).map(str::to_owned),
            DocItem {
                id: Some(i64::try_from(index).unwrap_or(0) + 1),
                parent: parent.map(|at| i64::try_from(at).unwrap_or(0) + 1),
                description,
                criteria,
                points,
                labels,
                epic,
                sprint,
                history,
                comments,
                assignee: table.first(row.cells, "Assignee").map(str::to_owned),
                reporter: table.first(row.cells, "Reporter").map(str::to_owned),
                start_date,
                due_date,
                ..DocItem::new(kind_of(table.first(row.cells, TYPE).unwrap_or("")), title, column)
            },
        ));
    }
    // Jira's rank is a LexoRank string: its text order is the board order. Unranked issues follow, in file order.
    items.sort_by(|(a_index, a_rank, a), (b_index, b_rank, b)| {
        a.column.cmp(&b.column).then_with(|| match (a_rank, b_rank) {
            (Some(a_rank), Some(b_rank)) => a_rank.cmp(b_rank),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a_index.cmp(b_index),
        })
    });
    let ranked = items.iter().filter(|(_, rank, _)| rank.is_some()).count();
    document.items = items.into_iter().map(|(_, _, item)| item).collect();

    // The CSV has no sprint dates: each sprint gets two weeks from the Monday before its first issue,
    // in that order, and never before the previous one ends (so none overlap).
    let mut sprints: Vec<(&String, &i64, Date)> = sprint_ids
        .iter()
        .map(|(name, id)| (name, id, monday_of(sprint_starts.get(id).copied().unwrap_or(today))))
        .collect();
    sprints.sort_by(|a, b| a.2.cmp(&b.2).then(a.1.cmp(b.1)));
    let mut free_from: Option<Date> = None;
    for (name, &id, guess) in sprints {
        let start = free_from.map_or(guess, |free| guess.max(free));
        free_from = start.checked_add(jiff::Span::new().days(14)).ok();
        tally.add(
            "sprint dates invented (the CSV has none): two weeks each, from the Monday before a sprint's first issue, one after another",
            1,
        );
        document.sprints.push(DocSprint {
            id,
            name: fit_title(name).0,
            goal: String::new(),
            start_date: start,
            end_date: start.checked_add(jiff::Span::new().days(13)).unwrap_or(start),
            capacity_points: sprint_points.get(&id).copied().unwrap_or(0.0).min(10_000.0),
            started_at: None,
            completed_at: None,
            carried_over_points: 0.0,
        });
    }

    for (index, header) in table.headers.iter().enumerate() {
        if USED.iter().any(|used| used.eq_ignore_ascii_case(header)) {
            continue;
        }
        if table.headers[..index].iter().any(|earlier| earlier.eq_ignore_ascii_case(header)) {
            continue;
        }
        // A zero (Votes, Work Ratio) carries nothing, so only other values count as lost.
        let filled = table
            .rows
            .iter()
            .map(|(_, cells)| table.values(cells, header).iter().filter(|value| **value != "0").count())
            .sum();
        tally.add(format!("'{header}' values: Tandem has no such field; not imported"), filled);
    }
    tally.add("priority 'Medium' (Jira's default): not kept as a label", priorities);
    tally
        .add("earlier sprints of issues carried over between sprints: only the latest sprint is kept", earlier_sprints);
    tally.add(
        "sub-tasks of sub-tasks: Tandem keeps sub-tasks one level deep, so these are items of their own",
        sub_task_links,
    );
    tally.add(
        "epic end dates invented: no Due date (or a parent the file only names), so the epic ends 90 days after it starts; adjust it on the roadmap",
        invented_ends,
    );
    tally.add(
        "dates of the move into the current column invented: no Status Category Changed or Resolved date, so the move is dated at the issue's creation",
        guessed_moves,
    );

    document.conversion = Conversion {
        source: format!("Jira CSV export of '{project}'"),
        mapping: vec![
            format!("{} issues → backlog items; Issue Type → kind (Bug → bug, Spike → spike, others → story)", document.items.len()),
            format!(
                "{} → columns, ordered by status category; 'Done' category counts as done",
                super::convert::plural_of(document.columns.len(), "status", "statuses")
            ),
            format!("Custom field (Rank) → order within each column ({ranked} ranked issues; others follow in file order)"),
            format!("{} epics (Issue Type Epic, or named by Parent / Epic Link: {named_epics}) → epics", document.epics.len()),
            format!("epics' own status, priority, labels and sprint → an 'In Jira: …' line of the epic's description ({}); their {} → lines of it too (Tandem epics have no such fields)", plural(epic_fields, "epic"), plural(epic_comments, "comment")),
            "Story Points / Story point estimate → estimate; Labels (all columns) → labels; other priorities → a '… priority' label".to_owned(),
            format!("{} → sprints of two weeks from the Monday before their first issue, capacity = committed points (the CSV has no sprint dates; adjust them)", plural(document.sprints.len(), "sprint")),
            if has_category_changed {
                "Created → entered the first column; Status Category Changed (or Resolved) → entered its current column".to_owned()
            } else {
                "Created → entered the first column; Resolved → entered its current column (the file has no Status Category Changed column)".to_owned()
            },
            format!(
                "Issue key → a 'Jira issue …' line in the description; {} → due dates; {} → start dates",
                plural(due_dates, "due date"),
                plural(start_dates, "start date")
            ),
            format!("{} → acceptance criteria (one per bullet; the section leaves the description)", plural(criteria_sections, "'Acceptance Criteria' section")),
            format!("{} → comments, with their date; authors named from the Assignee, Reporter and Creator columns", plural(comment_count, "comment")),
            "Assignee → assignee; Reporter → reporter (by name)".to_owned(),
            format!("{} (Parent is another issue in the file) → sub-tasks of that item, in its epic", plural(sub_tasks, "sub-task")),
        ],
        losses: tally.sentences(),
        archived_list_cards: 0,
    };
    Ok(document)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_sort_by_category() {
        assert_eq!(category_order(Some("To Do"), "Backlog"), 0);
        assert_eq!(category_order(Some("In Progress"), "Review"), 1);
        assert_eq!(category_order(Some("Done"), "Shipped"), 2);
        assert_eq!(category_order(None, "Closed"), 2);
    }
}
