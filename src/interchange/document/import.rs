//! Importing a document: records checked and remapped to fresh ids, merged by name into the open
//! workspace in one transaction, with a report of what was added.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::model::rank::spread;
use crate::model::{
    BacklogItem, Column, ColumnId, Comment, Date, Epic, EpicId, IncrementId, Insight, InsightId, ItemDetails, ItemId,
    ItemRecord, Metric, MetricId, MetricSample, Objective, ObjectiveId, Persona, PersonaId, ProgramIncrement, Rank,
    Release, ReleaseId, RiceInputs, Sprint, SprintId, StatusChange, Timestamp,
};
use crate::store::StoreError;
use crate::store::board::{insert_column_in_tx, update_product_in_tx};
use crate::store::items::restore_items_in_tx;
use crate::store::lookup::{NameIndex, Named, last_ranks_in_tx, next_column_position_in_tx, next_item_id_in_tx};
use crate::store::metrics::insert_metric_in_tx;
use crate::store::okrs::insert_objective_in_tx;
use crate::store::roadmap::{insert_epic_in_tx, insert_increment_in_tx, insert_release_in_tx, update_epic_in_tx};
use crate::store::sprints::insert_sprint_in_tx;

/// The value of the `format` field.
use super::{DocItem, DocObjective, Document, DocumentError};

pub(super) fn shift(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days)).unwrap_or(date)
}

pub(super) fn parse_instant(text: &str, days: i64, record: &dyn Fn() -> String) -> Result<Timestamp, DocumentError> {
    let bad = || DocumentError::BadDate { record: record(), value: text.to_owned() };
    let instant = if let Ok(instant) = text.parse::<Timestamp>() {
        instant
    } else {
        let date: Date = text.parse().map_err(|_| bad())?;
        date.at(9, 0, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).map_err(|_| bad())?.timestamp()
    };
    instant.checked_add(jiff::SignedDuration::from_hours(days * 24)).map_err(|_| bad())
}

pub(super) fn lookup<T: Copy>(
    map: &HashMap<i64, T>,
    id: Option<i64>,
    record: &dyn Fn() -> String,
    target: &'static str,
) -> Result<Option<T>, DocumentError> {
    id.map(|id| map.get(&id).copied().ok_or_else(|| DocumentError::DanglingReference { record: record(), target, id }))
        .transpose()
}

/// A record of the file in words, its name quoted and cut to what a message can show ("item 'Login'").
pub(super) fn called(kind: &str, name: &str) -> String {
    const SHOWN: usize = 80;
    match name.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{kind} '{}…'", &name[..end]),
        None => format!("{kind} '{name}'"),
    }
}

/// Names the record in a rule it breaks, so that the message says which of the file's records to fix;
/// any other error stays as it is.
fn naming(record: impl FnOnce() -> String) -> impl FnOnce(StoreError) -> DocumentError {
    move |error| match error {
        StoreError::Invalid(error) => DocumentError::Invalid { record: record(), error },
        other => DocumentError::Store(other),
    }
}

pub(super) fn unique<T>(map: &mut HashMap<i64, T>, what: &'static str, id: i64, value: T) -> Result<(), DocumentError> {
    if map.insert(id, value).is_some() {
        return Err(DocumentError::DuplicateId { what, id });
    }
    Ok(())
}

/// How an import treats the workspace it goes into.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Days to move every date by (the sample product uses it to stay current).
    pub shift_days: i64,
    /// The time recorded for history the document does not give.
    pub now: Timestamp,
    /// Keep the workspace's product name and vision (a merge) instead of taking the document's.
    pub keep_product: bool,
    /// Where the import reports how far it is, and learns that the user cancelled it.
    pub progress: crate::interchange::Progress,
}

/// What an import created or reused, and what it could not keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Items added.
    pub items: usize,
    /// Columns created; columns with the same name as an existing one are reused.
    pub columns_created: usize,
    /// Columns reused by name.
    pub columns_reused: usize,
    /// Epics created.
    pub epics_created: usize,
    /// Epics reused by title.
    pub epics_reused: usize,
    /// Sprints created.
    pub sprints_created: usize,
    /// Sprints reused by name.
    pub sprints_reused: usize,
    /// Objectives created.
    pub objectives_created: usize,
    /// Releases and milestones created (same-named ones are matched, not repeated).
    pub releases_created: usize,
    /// Program increments created.
    pub increments_created: usize,
    /// Metrics created.
    pub metrics_created: usize,
    /// Labels given the document's colour (a label coloured here already keeps its colour).
    pub label_colours: usize,
    /// Personas created (same-named ones are matched).
    pub personas_created: usize,
    /// Insights created (same-titled ones are matched).
    pub insights_created: usize,
    /// For another tool's export: where each of its fields went.
    pub mapping: Vec<String>,
    /// What could not be kept, one sentence each.
    pub losses: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use super::super::convert::{count, plural};
        writeln!(formatter, "{}", plural(self.items, "item"))?;
        // Columns always (a board has them); a kind the document has none of is left out rather than
        // listed as "0 created, 0 matched".
        for (created, reused, kind, matched_by, always) in [
            (self.columns_created, self.columns_reused, "column", "name", true),
            (self.epics_created, self.epics_reused, "epic", "title", false),
            (self.sprints_created, self.sprints_reused, "sprint", "name", false),
        ] {
            if always || created + reused > 0 {
                writeln!(formatter, "{} created, {} matched by {matched_by}", plural(created, kind), count(reused))?;
            }
        }
        let releases = if self.releases_created == 1 {
            "1 release or milestone".to_owned()
        } else {
            format!("{} releases and milestones", count(self.releases_created))
        };
        let others: Vec<String> = [
            (self.objectives_created, plural(self.objectives_created, "objective")),
            (self.releases_created, releases),
            (self.increments_created, plural(self.increments_created, "program increment")),
            (self.metrics_created, plural(self.metrics_created, "metric")),
            (self.personas_created, plural(self.personas_created, "persona")),
            (self.insights_created, plural(self.insights_created, "insight")),
        ]
        .into_iter()
        .filter(|(created, _)| *created > 0)
        .map(|(_, words)| words)
        .collect();
        if !others.is_empty() {
            writeln!(formatter, "{} created", others.join(", "))?;
        }
        if self.label_colours > 0 {
            writeln!(formatter, "{} coloured", super::super::convert::plural(self.label_colours, "label"))?;
        }
        if !self.mapping.is_empty() {
            writeln!(formatter, "How the fields map:")?;
            for line in &self.mapping {
                writeln!(formatter, "  - {line}")?;
            }
        }
        if self.losses.is_empty() {
            writeln!(formatter, "Nothing is lost.")
        } else {
            writeln!(formatter, "Not kept ({}):", self.losses.len())?;
            for loss in &self.losses {
                writeln!(formatter, "  - {loss}")?;
            }
            Ok(())
        }
    }
}

/// What an imported item's references resolve to in the workspace, and how its dates move.
#[derive(Clone, Copy)]
pub(super) struct References<'a> {
    columns: &'a HashMap<i64, ColumnId>,
    epics: &'a HashMap<i64, EpicId>,
    sprints: &'a HashMap<i64, SprintId>,
    insights: &'a HashMap<i64, InsightId>,
    /// Items the document gives an id: the id each gets here, and whether it is a sub-task itself.
    items: &'a HashMap<i64, (ItemId, bool)>,
    shift_days: i64,
    now: Timestamp,
}

impl References<'_> {
    /// Rank keys for the items of each column, in document order, below the column's `last` key.
    fn ranks(
        &self,
        items: &[DocItem],
        last: &HashMap<ColumnId, Rank>,
    ) -> Result<HashMap<ColumnId, std::vec::IntoIter<Rank>>, DocumentError> {
        let mut per_column: HashMap<ColumnId, usize> = HashMap::new();
        for item in items {
            let record = || called("item", &item.title);
            let column = lookup(self.columns, Some(item.column), &record, "column")?
                .ok_or(DocumentError::DanglingReference { record: record(), target: "column", id: item.column })?;
            *per_column.entry(column).or_default() += 1;
        }
        per_column
            .into_iter()
            .map(|(column_id, count)| {
                let keys = spread(last.get(&column_id), None, count)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                Ok((column_id, keys.into_iter()))
            })
            .collect()
    }

    /// The document's item as a checked record with id `item_id`, taking the next rank of its column.
    fn record(
        &self,
        item: &DocItem,
        item_id: ItemId,
        ranks: &mut HashMap<ColumnId, std::vec::IntoIter<Rank>>,
    ) -> Result<ItemRecord, DocumentError> {
        let record = || called("item", &item.title);
        let column_id = lookup(self.columns, Some(item.column), &record, "column")?.unwrap_or(ColumnId(0));
        let Some(rank) = ranks.get_mut(&column_id).and_then(Iterator::next) else {
            return Err(StoreError::Corrupt(format!("no rank left for {}", record())).into());
        };
        let mut history = Vec::with_capacity(item.history.len().max(1));
        let mut from = None;
        for entry in &item.history {
            let to = lookup(self.columns, Some(entry.to), &record, "column")?.unwrap_or(column_id);
            history.push(StatusChange {
                item_id,
                changed_at: parse_instant(&entry.at, self.shift_days, &record)?,
                from_column_id: from,
                to_column_id: to,
            });
            from = Some(to);
        }
        let created_at = history.first().map_or(self.now, |change| change.changed_at);
        let updated_at = history.last().map_or(self.now, |change| change.changed_at);
        if history.is_empty() {
            history.push(StatusChange { item_id, changed_at: self.now, from_column_id: None, to_column_id: column_id });
        }
        let backlog_item = BacklogItem {
            item_id,
            kind: item.kind,
            title: item.title.trim().to_owned(),
            points: item.points,
            business_value: item.business_value,
            time_criticality: item.time_criticality,
            risk_reduction: item.risk_reduction,
            labels: item.labels.as_slice().into(),
            epic_id: lookup(self.epics, item.epic, &record, "epic")?,
            sprint_id: lookup(self.sprints, item.sprint, &record, "sprint")?,
            column_id,
            rank,
            raised_by: item.raised_by,
            created_at,
            updated_at,
            parent_id: match item.parent {
                None => None,
                Some(parent) => match self.items.get(&parent) {
                    None => {
                        return Err(DocumentError::DanglingReference { record: record(), target: "item", id: parent });
                    }
                    Some((_, true)) => {
                        return Err(DocumentError::Field {
                            field: format!("{} (its parent)", record()),
                            message: format!(
                                "item {parent} is itself a sub-task, and Tandem keeps sub-tasks one level deep"
                            ),
                        });
                    }
                    Some((parent_id, false)) => Some(*parent_id),
                },
            },
            start_date: item.start_date.map(|day| shift(day, self.shift_days)),
            due_date: item.due_date.map(|day| shift(day, self.shift_days)),
            details: ItemDetails {
                description: item.description.clone(),
                acceptance_criteria: item.criteria.clone(),
                rice: RiceInputs {
                    reach: item.reach,
                    impact: item.impact,
                    confidence_percent: item.confidence_percent,
                    effort: item.effort,
                }
                .into(),
                moscow: item.moscow,
                assignee: person(item.assignee.as_deref()),
                reporter: person(item.reporter.as_deref()),
                insight_id: lookup(self.insights, item.insight, &record, "insight")?,
                archived_at: item
                    .archived_at
                    .as_deref()
                    .map(|at| parse_instant(at, self.shift_days, &record))
                    .transpose()?,
            }
            .into(),
        };
        backlog_item.validate().map_err(|error| DocumentError::Invalid { record: record(), error })?;
        let mut comments = Vec::with_capacity(item.comments.len());
        for comment in &item.comments {
            let created_at = parse_instant(&comment.at, self.shift_days, &record)?;
            let comment = Comment::new(item_id, &comment.author, &comment.text, created_at);
            comment
                .validate()
                .map_err(|error| DocumentError::Invalid { record: format!("comment on the {}", record()), error })?;
            comments.push(comment);
        }
        Ok(ItemRecord { item: backlog_item, history, comments, children: Vec::new() })
    }
}

/// A sprint's optional instant, moved with the document's dates.
fn instant_of(at: Option<&str>, shift_days: i64, sprint: &str) -> Result<Option<Timestamp>, DocumentError> {
    at.map(|at| parse_instant(at, shift_days, &|| format!("sprint '{sprint}'"))).transpose()
}

/// A name as kept: trimmed, and none when blank.
fn person(name: Option<&str>) -> Option<String> {
    name.map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned)
}

/// The program increment an objective of the document was set for, by name; a name the document does
/// not define is refused, naming the objective.
fn increment_named(increments: &NameIndex, objective: &DocObjective) -> Result<Option<IncrementId>, DocumentError> {
    let Some(name) = &objective.increment else {
        return Ok(None);
    };
    increments.get(name).map(|id| Some(IncrementId(id))).ok_or_else(|| DocumentError::Field {
        field: called("increment of the objective", &objective.title),
        message: format!("the file defines no program increment named '{name}'"),
    })
}

/// Adds the document's personas and insights, reusing those of the same name or title; the workspace's
/// own keep what they say (the preview names the ones whose words differ). Returns each document
/// insight's id here.
fn import_research(
    connection: &Connection,
    document: &Document,
    shift_days: i64,
    report: &mut ImportReport,
) -> Result<HashMap<i64, InsightId>, DocumentError> {
    let mut personas = HashMap::new();
    let names = NameIndex::load(connection, Named::Persona)?;
    for persona in &document.personas {
        if let Some(existing) = names.get(&persona.name) {
            unique(&mut personas, "persona", persona.id, PersonaId(existing))?;
            continue;
        }
        let stored = crate::store::research::insert_persona_in_tx(
            connection,
            &Persona { persona_id: PersonaId(0), name: persona.name.clone(), description: persona.description.clone() },
        )
        .map_err(naming(|| called("persona", &persona.name)))?;
        report.personas_created += 1;
        unique(&mut personas, "persona", persona.id, stored.persona_id)?;
    }
    let mut insights = HashMap::new();
    let titles = NameIndex::load(connection, Named::Insight)?;
    // The document's KPIs are in the workspace by now.
    let metrics = NameIndex::load(connection, Named::Metric)?;
    for insight in &document.insights {
        let record = || called("insight", &insight.title);
        if let Some(existing) = titles.get(&insight.title) {
            unique(&mut insights, "insight", insight.id, InsightId(existing))?;
            continue;
        }
        let stored = crate::store::research::insert_insight_in_tx(
            connection,
            &Insight {
                insight_id: InsightId(0),
                title: insight.title.clone(),
                kind: insight.kind,
                source: insight.source.clone(),
                observed_on: insight.observed_on.map(|day| shift(day, shift_days)),
                persona_id: lookup(&personas, insight.persona, &record, "persona")?,
                detail: insight.detail.clone(),
                metric_id: insight
                    .metric
                    .as_ref()
                    .map(|name| {
                        metrics.get(name).map(MetricId).ok_or_else(|| DocumentError::Field {
                            field: format!("KPI of the insight '{}'", insight.title),
                            message: format!("the file defines no KPI named '{name}'"),
                        })
                    })
                    .transpose()?,
            },
        )
        .map_err(naming(record))?;
        report.insights_created += 1;
        unique(&mut insights, "insight", insight.id, stored.insight_id)?;
    }
    Ok(insights)
}

/// Items per batch written by [`import_in_tx`]; also how often it reports progress and checks for a cancel.
pub(super) const ITEM_BATCH: usize = 1024;

/// Adds a document's contents to the workspace behind `connection`, inside the caller's transaction.
///
/// Columns, epics, sprints and objectives whose names match existing ones (ignoring case) are reused,
/// so importing into a workspace merges; items are always added and existing items are never changed.
/// Names are matched against the workspace as it was before the import only: the document's own
/// records, told apart by their ids, are each kept, so that a workspace with two epics (or releases,
/// sprints, personas…) of one name comes back from its export as it was. Program increments and KPIs,
/// which the document refers to by name, are the exception: one of each name.
///
/// # Errors
/// The first problem found; the caller's transaction should then be rolled back.
#[expect(clippy::too_many_lines, reason = "one linear pass over the document's sections")]
pub fn import_in_tx(
    connection: &Connection,
    document: &Document,
    options: ImportOptions,
) -> Result<ImportReport, DocumentError> {
    let ImportOptions { shift_days, now, keep_product, progress } = options;
    let total = document.items.len() as u64;
    progress.set(0, total);
    let mut report = ImportReport {
        mapping: document.conversion.mapping.clone(),
        losses: document.conversion.losses.clone(),
        ..ImportReport::default()
    };
    if !keep_product {
        update_product_in_tx(connection, &document.product).map_err(naming(|| "product".to_owned()))?;
    }

    let existing_columns = next_column_position_in_tx(connection)?;
    let mut columns = HashMap::new();
    let mut next_position = existing_columns;
    // The workspace's columns are matched by name; the document's own are each kept, whatever their
    // names: two columns of one file called alike ("Done" and "DONE", or two Trello lists "Doing") stay
    // two columns with their own items, the second renamed, since a board's columns need names of their own.
    let existing = NameIndex::load(connection, Named::Column)?;
    let mut created = NameIndex::default();
    for column in &document.columns {
        if let Some(existing) = existing.get(&column.name) {
            unique(&mut columns, "column", column.id, ColumnId(existing))?;
            report.columns_reused += 1;
            continue;
        }
        // Of one more candidate than there are names, one is free.
        let name = (1..=existing.len() + created.len() + 1)
            .map(|n| if n == 1 { column.name.clone() } else { format!("{} ({n})", column.name.trim()) })
            .find(|name| existing.get(name).is_none() && created.get(name).is_none())
            .unwrap_or_else(|| column.name.clone());
        if name != column.name {
            report.losses.push(format!(
                "Two columns in the file are called '{}'; the second is called '{name}' here, since each column \
                 needs a name of its own.",
                column.name.trim()
            ));
        }
        let offset = next_position;
        next_position += 1;
        report.columns_created += 1;
        let stored = insert_column_in_tx(
            connection,
            &Column {
                column_id: ColumnId(0),
                name: name.clone(),
                position: offset,
                wip_limit: column.wip_limit,
                is_done: column.is_done,
            },
        )
        .map_err(naming(|| called("column", &column.name)))?;
        created.insert(&name, stored.column_id.0);
        unique(&mut columns, "column", column.id, stored.column_id)?;
    }

    // Before the objectives, which name the increment they were set for.
    let mut increments = NameIndex::load(connection, Named::Increment)?;
    for increment in &document.increments {
        if increments.get(&increment.name).is_some() {
            continue;
        }
        report.increments_created += 1;
        let stored = insert_increment_in_tx(
            connection,
            &ProgramIncrement {
                increment_id: IncrementId(0),
                name: increment.name.clone(),
                start_date: shift(increment.start_date, shift_days),
                end_date: shift(increment.end_date, shift_days),
            },
        )
        .map_err(naming(|| called("program increment", &increment.name)))?;
        increments.insert(&increment.name, stored.increment_id.0);
    }

    let mut objectives = HashMap::new();
    let names = NameIndex::load(connection, Named::Objective)?;
    for objective in &document.objectives {
        if let Some(existing) = names.get(&objective.title) {
            unique(&mut objectives, "objective", objective.id, ObjectiveId(existing))?;
            report.losses.push(format!(
                "The objective '{}' already exists; its key results{} in the file were not merged.",
                objective.title,
                if objective.increment.is_some() { " and program increment" } else { "" }
            ));
            continue;
        }
        report.objectives_created += 1;
        let stored = insert_objective_in_tx(
            connection,
            &Objective {
                objective_id: ObjectiveId(0),
                title: objective.title.clone(),
                description: objective.description.clone(),
                key_results: objective.key_results.clone(),
                increment_id: increment_named(&increments, objective)?,
                planned_value: objective.planned_value,
                actual_value: objective.actual_value,
                uncommitted: objective.uncommitted,
            },
        )
        .map_err(naming(|| called("objective", &objective.title)))?;
        unique(&mut objectives, "objective", objective.id, stored.objective_id)?;
    }

    let mut epics = HashMap::new();
    let mut created_epics = Vec::new();
    let names = NameIndex::load(connection, Named::Epic)?;
    for epic in &document.epics {
        let record = || called("epic", &epic.title);
        if let Some(existing) = names.get(&epic.title) {
            unique(&mut epics, "epic", epic.id, EpicId(existing))?;
            report.epics_reused += 1;
            continue;
        }
        report.epics_created += 1;
        let stored = insert_epic_in_tx(
            connection,
            &Epic {
                epic_id: EpicId(0),
                title: epic.title.clone(),
                description: epic.description.clone(),
                colour: epic.colour,
                start_date: shift(epic.start_date, shift_days),
                end_date: shift(epic.end_date, shift_days),
                objective_id: lookup(&objectives, epic.objective, &record, "objective")?,
                depends_on: Vec::new(),
            },
        )
        .map_err(naming(record))?;
        unique(&mut epics, "epic", epic.id, stored.epic_id)?;
        created_epics.push((epic, stored));
    }
    for (epic, mut stored) in created_epics {
        let record = || called("epic", &epic.title);
        for after in &epic.starts_after {
            if let Some(after) = lookup(&epics, Some(*after), &record, "epic")?
                && after != stored.epic_id
                && !stored.depends_on.contains(&after)
            {
                stored.depends_on.push(after);
            }
        }
        if !stored.depends_on.is_empty() {
            update_epic_in_tx(connection, &stored).map_err(naming(record))?;
        }
    }

    let names = NameIndex::load(connection, Named::Release)?;
    for release in &document.releases {
        if names.get(&release.name).is_some() {
            continue;
        }
        report.releases_created += 1;
        insert_release_in_tx(
            connection,
            &Release {
                release_id: ReleaseId(0),
                name: release.name.clone(),
                date: shift(release.date, shift_days),
                kind: release.kind,
                description: release.description.clone(),
            },
        )
        .map_err(naming(|| called("release", &release.name)))?;
    }
    let mut sprints = HashMap::new();
    let names = NameIndex::load(connection, Named::Sprint)?;
    for sprint in &document.sprints {
        if let Some(existing) = names.get(&sprint.name) {
            unique(&mut sprints, "sprint", sprint.id, SprintId(existing))?;
            report.sprints_reused += 1;
            continue;
        }
        report.sprints_created += 1;
        let stored = insert_sprint_in_tx(
            connection,
            &Sprint {
                sprint_id: SprintId(0),
                name: sprint.name.clone(),
                goal: sprint.goal.clone(),
                start_date: shift(sprint.start_date, shift_days),
                end_date: shift(sprint.end_date, shift_days),
                capacity_points: sprint.capacity_points,
                started_at: instant_of(sprint.started_at.as_deref(), shift_days, &sprint.name)?,
                completed_at: instant_of(sprint.completed_at.as_deref(), shift_days, &sprint.name)?,
                carried_over_points: sprint.carried_over_points,
            },
        )
        .map_err(naming(|| called("sprint", &sprint.name)))?;
        unique(&mut sprints, "sprint", sprint.id, stored.sprint_id)?;
    }

    let mut names = NameIndex::load(connection, Named::Metric)?;
    for metric in &document.metrics {
        let record = || called("metric", &metric.name);
        if names.get(&metric.name).is_some() {
            report.losses.push(format!(
                "The metric '{}' already exists; its {} samples in the file were not merged.",
                metric.name,
                metric.samples.len()
            ));
            continue;
        }
        report.metrics_created += 1;
        names.insert(&metric.name, 0);
        insert_metric_in_tx(
            connection,
            &Metric {
                metric_id: MetricId(0),
                name: metric.name.clone(),
                unit: metric.unit,
                direction: metric.direction,
                category: metric.category,
                target: metric.target,
                description: metric.description.clone(),
                objective_id: lookup(&objectives, metric.objective, &record, "objective")?,
                samples: metric
                    .samples
                    .iter()
                    .map(|&(date, value)| MetricSample { date: shift(date, shift_days), value })
                    .collect(),
            },
        )
        .map_err(naming(record))?;
    }

    for (index, coloured) in document.label_colours.iter().enumerate() {
        crate::model::label::check_label(&coloured.label).map_err(|error| DocumentError::Field {
            field: format!("label_colours[{index}].label"),
            message: error.to_string(),
        })?;
        if crate::store::labels::label_colour_in_tx(connection, &coloured.label)?.is_some() {
            continue;
        }
        crate::store::labels::set_label_colour_in_tx(connection, &coloured.label, Some(coloured.colour))?;
        report.label_colours += 1;
    }

    let insights = import_research(connection, document, shift_days, &mut report)?;

    // Each column's last rank key: imported items go below the items already there.
    let last_ranks = last_ranks_in_tx(connection)?;

    let next_item_id = next_item_id_in_tx(connection)?;
    // Items the document gives an id (those that have sub-tasks, or are one) get theirs in document order.
    let mut item_ids: HashMap<i64, (ItemId, bool)> = HashMap::new();
    for (item, item_id) in document.items.iter().zip(next_item_id..) {
        if let Some(id) = item.id
            && item_ids.insert(id, (ItemId(item_id), item.parent.is_some())).is_some()
        {
            return Err(DocumentError::DuplicateId { what: "item", id });
        }
    }
    let references = References {
        columns: &columns,
        epics: &epics,
        sprints: &sprints,
        insights: &insights,
        items: &item_ids,
        shift_days,
        now,
    };
    // Two threads share the work: one turns the document's items into records a batch at a time, while
    // this one writes the previous batch, many rows per statement. Progress and cancelling follow the
    // batches; errors arrive in document order, so the first bad item is the one reported.
    std::thread::scope(|scope| {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Result<Vec<ItemRecord>, DocumentError>>(2);
        scope.spawn(move || {
            let mut ranks = match references.ranks(&document.items, &last_ranks) {
                Ok(ranks) => ranks,
                Err(error) => {
                    let _ = sender.send(Err(error));
                    return;
                }
            };
            let mut item_ids = next_item_id..;
            for chunk in document.items.chunks(ITEM_BATCH) {
                let batch = chunk
                    .iter()
                    .zip(&mut item_ids)
                    .map(|(item, item_id)| references.record(item, ItemId(item_id), &mut ranks))
                    .collect();
                // The writer stops listening after an error or a cancel; then so does this thread.
                if sender.send(batch).is_err() {
                    return;
                }
            }
        });
        let mut done = 0u64;
        for batch in batches {
            let batch = batch?;
            restore_items_in_tx(connection, &batch)?;
            done += batch.len() as u64;
            progress.set(done, total);
            if progress.is_cancelled() {
                return Err(DocumentError::Cancelled);
            }
        }
        Ok(())
    })?;
    report.items = document.items.len();
    progress.set(total, total);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::ImportReport;

    #[test]
    fn a_report_leaves_out_the_kinds_the_document_has_none_of() {
        let report = ImportReport { items: 67, columns_created: 4, label_colours: 2, ..ImportReport::default() };
        let text = report.to_string();
        assert!(text.starts_with("67 items\n4 columns created, 0 matched by name\n2 labels coloured\n"), "{text}");
        assert!(!text.contains("epic") && !text.contains("sprint") && !text.contains("objective"), "{text}");
        let report = ImportReport { epics_reused: 1, releases_created: 1, metrics_created: 3, ..report };
        let text = report.to_string();
        assert!(text.contains("0 epics created, 1 matched by title\n"), "{text}");
        assert!(text.contains("1 release or milestone, 3 metrics created\n"), "{text}");
        assert!(!text.contains("sprint") && !text.contains("objective"), "{text}");
    }
}
