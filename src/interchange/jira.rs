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

/// Reads a date as Jira writes it in CSV exports: `22/Sep/25 9:26 AM` (the default), with the month's
/// name or abbreviation in English, German, French or Spanish (`22/sept./25`, `22/Okt/25 14:05`,
/// `22/févr./25`), day-first numbers (`22.09.2025`, `22.09.25 14:05`, `22/09/2025` when the day is over
/// 12), or ISO (`2025-09-22`, `2025-09-22 09:26`, `2025-09-22T09:26:00`). A date that could be read two
/// ways (`03/04/2025`) is not guessed.
#[must_use]
pub fn parse_jira_time(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if let Ok(time) = text.parse::<DateTime>() {
        return Some(time);
    }
    if let Ok(date) = text.parse::<Date>() {
        return Some(date.at(0, 0, 0, 0));
    }
    if let Ok(time) = DateTime::strptime("%Y-%m-%d %H:%M", text) {
        return Some(time);
    }
    let separator = if text.contains('/') { '/' } else { '.' };
    let (day, rest) = text.split_once(separator)?;
    let (month, rest) = rest.split_once(separator)?;
    let (year, clock) = rest.split_once(' ').unwrap_or((rest, ""));
    let (day, month) = match month.trim().parse::<i8>() {
        // Numbers: day first, unless only the other order is a date; never a guess between the two.
        Ok(number) => {
            let first: i8 = day.trim().parse().ok()?;
            match (first, number) {
                (first, second) if separator == '.' => (first, second),
                (first, second) if first > 12 && second <= 12 => (first, second),
                (first, second) if second > 12 && first <= 12 => (second, first),
                _ => return None,
            }
        }
        Err(_) => (day.trim().parse().ok()?, month_number(month)?),
    };
    let year: i16 = year.trim().parse().ok()?;
    let year = if year < 100 { 2000 + year } else { year };
    let (hour, minute) = clock_time(clock)?;
    Date::new(year, month, day).ok().map(|date| date.at(hour, minute, 0, 0))
}

/// A month's number from its name or abbreviation in English, German, French or Spanish, in any case,
/// with or without a final dot.
fn month_number(name: &str) -> Option<i8> {
    let name = name.trim().trim_end_matches('.').to_lowercase();
    let months: [&[&str]; 12] = [
        &["jan", "january", "januar", "jän", "janv", "janvier", "ene", "enero"],
        &["feb", "february", "februar", "févr", "fevr", "février", "fevrier", "febrero"],
        &["mar", "march", "mär", "märz", "mrz", "mars", "marzo"],
        &["apr", "april", "avr", "avril", "abr", "abril"],
        &["may", "mai", "mayo"],
        &["jun", "june", "juni", "juin", "junio"],
        &["jul", "july", "juli", "juil", "juillet", "julio"],
        &["aug", "august", "août", "aout", "ago", "agosto"],
        &["sep", "sept", "september", "septembre", "septiembre", "set"],
        &["oct", "october", "okt", "oktober", "octobre", "octubre"],
        &["nov", "november", "novembre", "noviembre"],
        &["dec", "december", "dez", "dezember", "déc", "decembre", "décembre", "dic", "diciembre"],
    ];
    months.iter().zip(1..).find(|(names, _)| names.contains(&name.as_str())).map(|(_, number)| number)
}

/// The hour and minute of `9:26 AM`, `1:49 PM` or `14:05`; midnight when there is no clock.
fn clock_time(clock: &str) -> Option<(i8, i8)> {
    if clock.trim().is_empty() {
        return Some((0, 0));
    }
    let (time, meridiem) = clock.trim().split_once(' ').unwrap_or((clock.trim(), ""));
    let (hour, minute) = time.split_once(':')?;
    let hour: i8 = hour.parse().ok()?;
    let minute: i8 = minute.parse().ok()?;
    if !(0..=59).contains(&minute) {
        return None;
    }
    // A 12-hour clock runs from 1 to 12; a 24-hour clock from 0 to 23. Anything else (9:60 AM,
    // 13:00 PM, -1:00, 24:00) is not a time, and is refused rather than bent into one.
    match meridiem.to_ascii_uppercase().as_str() {
        "AM" | "PM" if !(1..=12).contains(&hour) => None,
        "AM" if hour == 12 => Some((0, minute)),
        "PM" if hour < 12 => Some((hour + 12, minute)),
        "AM" | "PM" => Some((hour, minute)),
        "" if (0..=23).contains(&hour) => Some((hour, minute)),
        _ => None,
    }
}

fn instant(time: DateTime) -> String {
    time.to_zoned(jiff::tz::TimeZone::UTC).map(|zoned| zoned.timestamp().to_string()).unwrap_or_default()
}

/// An "Acceptance Criteria" section of a description (a heading line such as `h3. Acceptance Criteria`,
/// `*Acceptance criteria:*` or `Acceptance Criteria`, then bullet lines `* …`, `- …`, `# …`, `• …`):
/// the description without it, and its bullets as criteria. No bullets: nothing is taken.
fn acceptance_criteria_section(description: &str) -> (String, Vec<crate::model::Criterion>) {
    let lines: Vec<&str> = description.lines().collect();
    let is_heading = |line: &str| {
        let words: String = line
            .trim()
            .trim_start_matches(|c: char| {
                c == 'h' || c.is_ascii_digit() || c == '.' || c == '#' || c == '*' || c == ' '
            })
            .trim_end_matches([':', '*', ' '])
            .to_lowercase();
        words == "acceptance criteria"
    };
    let bullet = |line: &str| -> Option<String> {
        let trimmed = line.trim_start();
        ["* ", "- ", "# ", "• ", "** ", "## "]
            .iter()
            .find_map(|mark| trimmed.strip_prefix(mark))
            .map(|text| text.trim().chars().take(1000).collect::<String>())
            .filter(|text| !text.is_empty())
    };
    let Some(start) = lines.iter().position(|line| is_heading(line)) else {
        return (description.to_owned(), Vec::new());
    };
    let mut criteria = Vec::new();
    let mut end = start + 1;
    while let Some(line) = lines.get(end) {
        if let Some(text) = bullet(line) {
            criteria.push(crate::model::Criterion { text, done: false });
        } else if !line.trim().is_empty() {
            break;
        }
        end += 1;
    }
    if criteria.is_empty() {
        return (description.to_owned(), Vec::new());
    }
    let rest: Vec<&str> = lines[..start].iter().chain(lines[end..].iter()).copied().collect();
    (rest.join("\n").trim().to_owned(), criteria)
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
            format!("{} statuses → columns, ordered by status category; 'Done' category counts as done", document.columns.len()),
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
    fn jira_dates_in_all_their_forms() {
        let at = |text| parse_jira_time(text).map(|time| time.to_string());
        assert_eq!(at("22/Sep/25 9:26 AM").as_deref(), Some("2025-09-22T09:26:00"));
        assert_eq!(at("28/Aug/25 1:49 PM").as_deref(), Some("2025-08-28T13:49:00"));
        assert_eq!(at("18/Sep/25 12:00 AM").as_deref(), Some("2025-09-18T00:00:00"));
        assert_eq!(at("01/Dec/2024 12:30 PM").as_deref(), Some("2024-12-01T12:30:00"));
        assert_eq!(at("2025-09-22").as_deref(), Some("2025-09-22T00:00:00"));
        assert_eq!(at("2025-09-22 09:26").as_deref(), Some("2025-09-22T09:26:00"));
        assert_eq!(at("31/Feb/25 9:00 AM"), None);
        for impossible in [
            "22/Sep/25 9:60 AM",
            "22/Sep/25 2:85 PM",
            "22/Sep/25 -1:00 AM",
            "22/Sep/25 -3:00",
            "22/Sep/25 24:00",
            "22/Sep/25 13:00 PM",
            "22/Sep/25 0:30 AM",
            "22/Sep/25 9:-5 AM",
        ] {
            assert_eq!(at(impossible), None, "{impossible}");
        }
        assert_eq!(at("22/Sep/25 23:59").as_deref(), Some("2025-09-22T23:59:00"));
        assert_eq!(at("22/Foo/25"), None);
        assert_eq!(at("yesterday"), None);
        // Other languages and day-first numbers.
        for (text, expected) in [
            ("22/sept./25", "2025-09-22T00:00:00"),
            ("22/Okt/25 14:05", "2025-10-22T14:05:00"),
            ("03/févr./25 9:00 AM", "2025-02-03T09:00:00"),
            ("15/Dez/2024", "2024-12-15T00:00:00"),
            ("1/ene/26", "2026-01-01T00:00:00"),
            ("22.09.2025", "2025-09-22T00:00:00"),
            ("03.04.25 14:05", "2025-04-03T14:05:00"),
            ("22/09/2025", "2025-09-22T00:00:00"),
            ("09/22/2025", "2025-09-22T00:00:00"),
        ] {
            assert_eq!(at(text).as_deref(), Some(expected), "{text}");
        }
        assert_eq!(at("03/04/2025"), None, "day and month could be either: not guessed");
        assert_eq!(at("31.02.2025"), None);
    }

    #[test]
    fn an_acceptance_criteria_section_becomes_criteria() {
        let description = "As a shopper I want to pay by phone.\n\nh3. Acceptance Criteria\n* Works with Apple Pay\n* Works with Google Pay\n\nNotes: ask legal.";
        let (rest, criteria) = acceptance_criteria_section(description);
        let texts: Vec<&str> = criteria.iter().map(|criterion| criterion.text.as_str()).collect();
        assert_eq!(texts, ["Works with Apple Pay", "Works with Google Pay"]);
        assert_eq!(rest, "As a shopper I want to pay by phone.\n\nNotes: ask legal.");
        let (kept, none) = acceptance_criteria_section("Acceptance criteria: to be agreed");
        assert!(none.is_empty());
        assert_eq!(kept, "Acceptance criteria: to be agreed", "no bullets: the text stays");
        let (_, bold) = acceptance_criteria_section("*Acceptance criteria:*\n- One\n- Two");
        assert_eq!(bold.len(), 2);
    }

    #[test]
    fn statuses_sort_by_category() {
        assert_eq!(category_order(Some("To Do"), "Backlog"), 0);
        assert_eq!(category_order(Some("In Progress"), "Review"), 1);
        assert_eq!(category_order(Some("Done"), "Shipped"), 2);
        assert_eq!(category_order(None, "Closed"), 2);
    }
}
