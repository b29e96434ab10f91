//! The Tandem workspace document: a whole plan as JSON, versioned.
//!
//! Records refer to each other by document-local ids (`"epic": 2`), which are remapped to fresh database
//! ids on import. Items are listed in board order: within a column, earlier in the array means higher on
//! the board. An item's `history` lists the columns it entered, oldest first. Dates are `YYYY-MM-DD`;
//! instants are RFC 3339 or a plain date (read as 09:00 UTC).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::model::rank::spread;
use crate::model::{
    BacklogItem, Colour, Column, ColumnId, Criterion, Date, Direction, Epic, EpicId, IncrementId, ItemId, ItemKind,
    ItemRecord, KeyResult, Metric, MetricCategory, MetricId, MetricSample, MetricUnit, Moscow, Objective, ObjectiveId,
    Product, ProgramIncrement, Raiser, Rank, Release, ReleaseId, ReleaseKind, Sprint, SprintId, StatusChange,
    Timestamp,
};
use crate::store::StoreError;
use crate::store::board::{insert_column_in_tx, update_product_in_tx};
use crate::store::items::restore_items_in_tx;
use crate::store::metrics::insert_metric_in_tx;
use crate::store::okrs::insert_objective_in_tx;
use crate::store::roadmap::{insert_epic_in_tx, insert_increment_in_tx, insert_release_in_tx, update_epic_in_tx};
use crate::store::sprints::insert_sprint_in_tx;

/// The value of the `format` field.
pub const FORMAT_NAME: &str = "tandem-workspace";
/// The newest document version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Why a document cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Not JSON, or JSON of the wrong shape.
    #[error(
        "The file is not a valid Tandem workspace document: {0}. Check that it was exported by Tandem and is complete."
    )]
    Json(#[from] serde_json::Error),
    /// A field holds the wrong kind of value.
    #[error("The field {field} is wrong: {message}. Fix that field, or export the file from Tandem again.")]
    Field {
        /// Where, e.g. `sprints[0].capacity_points`.
        field: String,
        /// What serde found.
        message: String,
    },
    /// Another format or a newer version.
    #[error(
        "The file is a '{format}' document version {version}; this Tandem reads '{FORMAT_NAME}' up to version {FORMAT_VERSION}."
    )]
    Unsupported {
        /// Its `format` field.
        format: String,
        /// Its `version` field.
        version: u32,
    },
    /// A record refers to an id the document does not define.
    #[error("The {record} refers to {target} {id}, which the file does not define. Fix the reference or remove it.")]
    DanglingReference {
        /// The referring record, in words ("item 'Login'").
        record: String,
        /// What kind of record is missing.
        target: &'static str,
        /// The missing id.
        id: i64,
    },
    /// Two records share an id.
    #[error("Two {what} records share the id {id}; ids must be unique within the file.")]
    DuplicateId {
        /// Which kind.
        what: &'static str,
        /// The shared id.
        id: i64,
    },
    /// A date or instant could not be read.
    #[error("The {record} has '{value}' where a date like 2026-03-31 was expected.")]
    BadDate {
        /// The record.
        record: String,
        /// What it holds.
        value: String,
    },
    /// The user cancelled the import; nothing was kept.
    #[error("The import was cancelled; nothing was written.")]
    Cancelled,
    /// Writing to the workspace failed; nothing was kept.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A whole workspace.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The document version.
    pub version: u32,
    /// Only in the bundled sample: the Monday the sample was written around. On import all dates move by
    /// whole weeks so that this Monday becomes the current week's Monday, keeping the demo current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_monday: Option<Date>,
    /// The product.
    pub product: Product,
    /// Columns, left to right.
    pub columns: Vec<DocColumn>,
    /// Objectives.
    #[serde(default)]
    pub objectives: Vec<DocObjective>,
    /// Epics.
    #[serde(default)]
    pub epics: Vec<DocEpic>,
    /// Releases and milestones.
    #[serde(default)]
    pub releases: Vec<DocRelease>,
    /// Program increments.
    #[serde(default)]
    pub increments: Vec<DocIncrement>,
    /// Sprints.
    #[serde(default)]
    pub sprints: Vec<DocSprint>,
    /// Metrics with samples.
    #[serde(default)]
    pub metrics: Vec<DocMetric>,
    /// Items in board order.
    #[serde(default)]
    pub items: Vec<DocItem>,
    /// When the document was converted from another tool's export: how its fields were mapped and what
    /// could not be kept. Never written to or read from JSON.
    #[serde(skip)]
    pub conversion: Conversion,
}

/// How another tool's export became a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conversion {
    /// What was read, in words ("Trello board 'Clipkit'").
    pub source: String,
    /// One line per source field or record type: where it went in Tandem.
    pub mapping: Vec<String>,
    /// One sentence per field or record that could not be kept, with counts.
    pub losses: Vec<String>,
}

impl Document {
    /// An empty document for converters to fill.
    #[must_use]
    pub fn empty(product: Product) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            anchor_monday: None,
            product,
            columns: Vec::new(),
            objectives: Vec::new(),
            epics: Vec::new(),
            releases: Vec::new(),
            increments: Vec::new(),
            sprints: Vec::new(),
            metrics: Vec::new(),
            items: Vec::new(),
            conversion: Conversion::default(),
        }
    }
}

/// A column.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocColumn {
    /// Document-local id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// WIP limit.
    #[serde(default)]
    pub wip_limit: Option<u32>,
    /// Done flag.
    #[serde(default)]
    pub is_done: bool,
}

/// An objective.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocObjective {
    /// Document-local id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Key results.
    #[serde(default)]
    pub key_results: Vec<KeyResult>,
}

/// An epic.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocEpic {
    /// Document-local id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Colour.
    pub colour: Colour,
    /// Start.
    pub start_date: Date,
    /// End.
    pub end_date: Date,
    /// Objective id.
    #[serde(default)]
    pub objective: Option<i64>,
    /// Ids of the epics this one starts after.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub starts_after: Vec<i64>,
}

/// A release or milestone.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocRelease {
    /// Name.
    pub name: String,
    /// Date.
    pub date: Date,
    /// Release or milestone.
    pub kind: ReleaseKind,
    /// Notes.
    #[serde(default)]
    pub description: String,
}

/// A program increment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocIncrement {
    /// Name.
    pub name: String,
    /// Start.
    pub start_date: Date,
    /// End.
    pub end_date: Date,
}

/// A sprint.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocSprint {
    /// Document-local id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Goal.
    #[serde(default)]
    pub goal: String,
    /// Start.
    pub start_date: Date,
    /// End.
    pub end_date: Date,
    /// Capacity.
    pub capacity_points: f64,
}

/// A metric; samples are `[date, value]` pairs.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocMetric {
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: MetricUnit,
    /// Direction.
    pub direction: Direction,
    /// Category.
    pub category: MetricCategory,
    /// Target.
    #[serde(default)]
    pub target: Option<f64>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Samples, oldest first.
    #[serde(default)]
    pub samples: Vec<(Date, f64)>,
}

/// One entry of an item's history: it entered `to` at `at`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocMove {
    /// When: RFC 3339, or a date read as 09:00 UTC.
    pub at: String,
    /// The column id it entered.
    pub to: i64,
}

/// An item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocItem {
    /// Kind.
    #[serde(default)]
    pub kind: ItemKind,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Acceptance criteria.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// Story points.
    #[serde(default)]
    pub points: Option<f64>,
    /// WSJF business value.
    #[serde(default)]
    pub business_value: u32,
    /// WSJF time criticality.
    #[serde(default)]
    pub time_criticality: u32,
    /// WSJF risk reduction.
    #[serde(default)]
    pub risk_reduction: u32,
    /// RICE reach.
    #[serde(default)]
    pub reach: Option<f64>,
    /// RICE impact.
    #[serde(default)]
    pub impact: Option<f64>,
    /// RICE confidence.
    #[serde(default)]
    pub confidence_percent: Option<f64>,
    /// RICE effort.
    #[serde(default)]
    pub effort: Option<f64>,
    /// `MoSCoW`.
    #[serde(default)]
    pub moscow: Option<Moscow>,
    /// Labels.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Epic id.
    #[serde(default)]
    pub epic: Option<i64>,
    /// Sprint id.
    #[serde(default)]
    pub sprint: Option<i64>,
    /// Column id.
    pub column: i64,
    /// Raiser.
    #[serde(default)]
    pub raised_by: Raiser,
    /// Columns entered, oldest first; the first entry is its creation.
    #[serde(default)]
    pub history: Vec<DocMove>,
}

impl DocItem {
    /// An item of a kind and title in a column, with nothing else set: what an importer starts from
    /// before filling in what its source has.
    #[must_use]
    pub fn new(kind: ItemKind, title: String, column: i64) -> Self {
        Self {
            kind,
            title,
            description: String::new(),
            criteria: Vec::new(),
            points: None,
            business_value: 0,
            time_criticality: 0,
            risk_reduction: 0,
            reach: None,
            impact: None,
            confidence_percent: None,
            effort: None,
            moscow: None,
            labels: Vec::new(),
            epic: None,
            sprint: None,
            column,
            raised_by: Raiser::default(),
            history: Vec::new(),
        }
    }
}

impl Document {
    /// Reads a document from JSON text (a UTF-8 byte-order mark is allowed).
    ///
    /// # Errors
    /// [`DocumentError::Json`] or [`DocumentError::Unsupported`].
    pub fn from_json(text: &str) -> Result<Self, DocumentError> {
        let text = text.trim_start_matches('\u{feff}');
        // The plain parse is fast; only a file that fails it is read again to name the failing field.
        let document: Self = match serde_json::from_str(text) {
            Ok(document) => document,
            Err(plain) => {
                let mut deserializer = serde_json::Deserializer::from_str(text);
                let Err(error) = serde_path_to_error::deserialize::<_, Self>(&mut deserializer) else {
                    return Err(DocumentError::Json(plain));
                };
                let field = error.path().to_string();
                let inner = error.into_inner();
                return Err(if field.is_empty() || field == "." || inner.is_eof() || inner.is_syntax() {
                    DocumentError::Json(inner)
                } else {
                    DocumentError::Field { field, message: inner.to_string() }
                });
            }
        };
        if document.format != FORMAT_NAME || document.version > FORMAT_VERSION || document.version == 0 {
            return Err(DocumentError::Unsupported { format: document.format, version: document.version });
        }
        Ok(document)
    }

    /// Whole weeks that move the sample's anchor Monday to the Monday of `today`'s week.
    #[must_use]
    pub fn anchor_shift_days(&self, today: Date) -> i64 {
        let Some(anchor) = self.anchor_monday else {
            return 0;
        };
        let weekday_offset = i64::from(today.weekday().to_monday_zero_offset());
        let this_monday = today.checked_sub(jiff::Span::new().days(weekday_offset)).unwrap_or(today);
        anchor.until(this_monday).map_or(0, |span| i64::from(span.get_days()))
    }
}

fn shift(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days)).unwrap_or(date)
}

fn parse_instant(text: &str, days: i64, record: &dyn Fn() -> String) -> Result<Timestamp, DocumentError> {
    let bad = || DocumentError::BadDate { record: record(), value: text.to_owned() };
    let instant = if let Ok(instant) = text.parse::<Timestamp>() {
        instant
    } else {
        let date: Date = text.parse().map_err(|_| bad())?;
        date.at(9, 0, 0, 0).to_zoned(jiff::tz::TimeZone::UTC).map_err(|_| bad())?.timestamp()
    };
    instant.checked_add(jiff::SignedDuration::from_hours(days * 24)).map_err(|_| bad())
}

fn lookup<T: Copy>(
    map: &HashMap<i64, T>,
    id: Option<i64>,
    record: &dyn Fn() -> String,
    target: &'static str,
) -> Result<Option<T>, DocumentError> {
    id.map(|id| map.get(&id).copied().ok_or_else(|| DocumentError::DanglingReference { record: record(), target, id }))
        .transpose()
}

fn unique<T>(map: &mut HashMap<i64, T>, what: &'static str, id: i64, value: T) -> Result<(), DocumentError> {
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
    pub progress: super::Progress,
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
    /// For another tool's export: where each of its fields went.
    pub mapping: Vec<String>,
    /// What could not be kept, one sentence each.
    pub losses: Vec<String>,
}

impl std::fmt::Display for ImportReport {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(formatter, "{} items", self.items)?;
        writeln!(formatter, "{} columns created, {} matched by name", self.columns_created, self.columns_reused)?;
        writeln!(formatter, "{} epics created, {} matched by title", self.epics_created, self.epics_reused)?;
        writeln!(formatter, "{} sprints created, {} matched by name", self.sprints_created, self.sprints_reused)?;
        writeln!(
            formatter,
            "{} objectives, {} releases and milestones, {} program increments, {} metrics created",
            self.objectives_created, self.releases_created, self.increments_created, self.metrics_created
        )?;
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

fn existing_id(connection: &Connection, sql: &str, name: &str) -> Result<Option<i64>, StoreError> {
    Ok(connection.query_row(sql, [name.trim()], |row| row.get(0)).optional()?)
}

/// What an imported item's references resolve to in the workspace, and how its dates move.
#[derive(Clone, Copy)]
struct References<'a> {
    columns: &'a HashMap<i64, ColumnId>,
    epics: &'a HashMap<i64, EpicId>,
    sprints: &'a HashMap<i64, SprintId>,
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
            let record = || format!("item '{}'", item.title);
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
        let record = || format!("item '{}'", item.title);
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
            description: item.description.clone(),
            acceptance_criteria: item.criteria.clone(),
            points: item.points,
            business_value: item.business_value,
            time_criticality: item.time_criticality,
            risk_reduction: item.risk_reduction,
            reach: item.reach,
            impact: item.impact,
            confidence_percent: item.confidence_percent,
            effort: item.effort,
            moscow: item.moscow,
            labels: item.labels.clone(),
            epic_id: lookup(self.epics, item.epic, &record, "epic")?,
            sprint_id: lookup(self.sprints, item.sprint, &record, "sprint")?,
            column_id,
            rank,
            raised_by: item.raised_by,
            created_at,
            updated_at,
        };
        backlog_item.validate().map_err(StoreError::from)?;
        Ok(ItemRecord { item: backlog_item, history })
    }
}

/// Items per batch written by [`import_in_tx`]; also how often it reports progress and checks for a cancel.
const ITEM_BATCH: usize = 1024;

/// Adds a document's contents to the workspace behind `connection`, inside the caller's transaction.
///
/// Columns, epics, sprints and objectives whose names match existing ones (ignoring case) are reused,
/// so importing into a workspace merges; items are always added and existing items are never changed.
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
        update_product_in_tx(connection, &document.product)?;
    }

    let existing_columns: i64 = connection
        .query_row("SELECT coalesce(max(position) + 1, 0) FROM board_columns", [], |row| row.get(0))
        .map_err(StoreError::from)?;
    let mut columns = HashMap::new();
    let mut next_position = existing_columns;
    for column in &document.columns {
        let same_name = "SELECT column_id FROM board_columns WHERE lower(name) = lower(?1)";
        if let Some(existing) = existing_id(connection, same_name, &column.name)? {
            unique(&mut columns, "column", column.id, ColumnId(existing))?;
            report.columns_reused += 1;
            continue;
        }
        let offset = next_position;
        next_position += 1;
        report.columns_created += 1;
        let stored = insert_column_in_tx(
            connection,
            &Column {
                column_id: ColumnId(0),
                name: column.name.clone(),
                position: offset,
                wip_limit: column.wip_limit,
                is_done: column.is_done,
            },
        )?;
        unique(&mut columns, "column", column.id, stored.column_id)?;
    }

    let mut objectives = HashMap::new();
    for objective in &document.objectives {
        let same_title = "SELECT objective_id FROM objectives WHERE lower(title) = lower(?1)";
        if let Some(existing) = existing_id(connection, same_title, &objective.title)? {
            unique(&mut objectives, "objective", objective.id, ObjectiveId(existing))?;
            report.losses.push(format!(
                "The objective '{}' already exists; its key results in the file were not merged.",
                objective.title
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
            },
        )?;
        unique(&mut objectives, "objective", objective.id, stored.objective_id)?;
    }

    let mut epics = HashMap::new();
    let mut created_epics = Vec::new();
    for epic in &document.epics {
        let record = || format!("epic '{}'", epic.title);
        let same_title = "SELECT epic_id FROM epics WHERE lower(title) = lower(?1)";
        if let Some(existing) = existing_id(connection, same_title, &epic.title)? {
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
        )?;
        unique(&mut epics, "epic", epic.id, stored.epic_id)?;
        created_epics.push((epic, stored));
    }
    for (epic, mut stored) in created_epics {
        let record = || format!("epic '{}'", epic.title);
        for after in &epic.starts_after {
            if let Some(after) = lookup(&epics, Some(*after), &record, "epic")?
                && after != stored.epic_id
                && !stored.depends_on.contains(&after)
            {
                stored.depends_on.push(after);
            }
        }
        if !stored.depends_on.is_empty() {
            update_epic_in_tx(connection, &stored)?;
        }
    }

    for release in &document.releases {
        let same = "SELECT release_id FROM releases WHERE lower(name) = lower(?1)";
        if existing_id(connection, same, &release.name)?.is_some() {
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
        )?;
    }
    for increment in &document.increments {
        let same = "SELECT increment_id FROM program_increments WHERE lower(name) = lower(?1)";
        if existing_id(connection, same, &increment.name)?.is_some() {
            continue;
        }
        report.increments_created += 1;
        insert_increment_in_tx(
            connection,
            &ProgramIncrement {
                increment_id: IncrementId(0),
                name: increment.name.clone(),
                start_date: shift(increment.start_date, shift_days),
                end_date: shift(increment.end_date, shift_days),
            },
        )?;
    }

    let mut sprints = HashMap::new();
    for sprint in &document.sprints {
        let same_name = "SELECT sprint_id FROM sprints WHERE lower(name) = lower(?1)";
        if let Some(existing) = existing_id(connection, same_name, &sprint.name)? {
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
            },
        )?;
        unique(&mut sprints, "sprint", sprint.id, stored.sprint_id)?;
    }

    for metric in &document.metrics {
        let same_name = "SELECT metric_id FROM metrics WHERE lower(name) = lower(?1)";
        if existing_id(connection, same_name, &metric.name)?.is_some() {
            report.losses.push(format!(
                "The metric '{}' already exists; its {} samples in the file were not merged.",
                metric.name,
                metric.samples.len()
            ));
            continue;
        }
        report.metrics_created += 1;
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
                samples: metric
                    .samples
                    .iter()
                    .map(|&(date, value)| MetricSample { date: shift(date, shift_days), value })
                    .collect(),
            },
        )?;
    }

    // Each column's last rank key: imported items go below the items already there.
    let mut last_ranks: HashMap<ColumnId, Rank> = HashMap::new();
    {
        let mut statement = connection
            .prepare("SELECT column_id, max(rank) FROM items GROUP BY column_id")
            .map_err(StoreError::from)?;
        let mut rows = statement.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let text: Option<String> = row.get(1).map_err(StoreError::from)?;
            if let Some(rank) = text.and_then(|text| Rank::parse(&text).ok()) {
                last_ranks.insert(ColumnId(row.get(0).map_err(StoreError::from)?), rank);
            }
        }
    }

    let next_item_id: i64 = connection
        .query_row("SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'items'", [], |row| row.get(0))
        .map_err(StoreError::from)?;
    let references = References { columns: &columns, epics: &epics, sprints: &sprints, shift_days, now };
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

/// Every item's status changes, oldest first, keyed by item.
fn all_history(connection: &Connection) -> Result<HashMap<i64, Vec<(String, i64)>>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT item_id, changed_at, to_column_id FROM status_changes ORDER BY item_id, changed_at, status_change_id",
    )?;
    let mut rows = statement.query([])?;
    let mut history: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
    while let Some(row) = rows.next()? {
        history.entry(row.get(0)?).or_default().push((row.get(1)?, row.get(2)?));
    }
    Ok(history)
}

impl Document {
    /// The whole workspace as a document. Records get document-local ids 1, 2, 3… in the order they are
    /// written (columns left to right, epics by start date, sprints by start date), so exporting,
    /// importing into a new workspace and exporting again gives the same text.
    ///
    /// # Errors
    /// A store error while reading.
    pub fn from_store(store: &mut crate::store::Store) -> Result<Self, StoreError> {
        let mut workspace = store.load()?;
        let mut history = all_history(store.connection())?;
        let number = |ids: Vec<i64>| -> HashMap<i64, i64> { ids.into_iter().zip(1..).collect() };
        let column_ids = number(workspace.columns.iter().map(|column| column.column_id.0).collect());
        let objective_ids = number(workspace.objectives.iter().map(|objective| objective.objective_id.0).collect());
        let epic_ids = number(workspace.epics.iter().map(|epic| epic.epic_id.0).collect());
        let sprint_ids = number(workspace.sprints.iter().map(|sprint| sprint.sprint_id.0).collect());
        let local = |map: &HashMap<i64, i64>, id: i64| map.get(&id).copied().unwrap_or(0);

        // The items are moved into the document rather than copied: at 100,000 items that matters.
        let items = workspace
            .take_items_in_board_order()
            .into_iter()
            .map(|item| DocItem {
                kind: item.kind,
                title: item.title,
                description: item.description,
                criteria: item.acceptance_criteria,
                points: item.points,
                business_value: item.business_value,
                time_criticality: item.time_criticality,
                risk_reduction: item.risk_reduction,
                reach: item.reach,
                impact: item.impact,
                confidence_percent: item.confidence_percent,
                effort: item.effort,
                moscow: item.moscow,
                labels: item.labels,
                epic: item.epic_id.map(|id| local(&epic_ids, id.0)),
                sprint: item.sprint_id.map(|id| local(&sprint_ids, id.0)),
                column: local(&column_ids, item.column_id.0),
                raised_by: item.raised_by,
                history: history
                    .remove(&item.item_id.0)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(at, to)| DocMove { at, to: local(&column_ids, to) })
                    .collect(),
            })
            .collect();

        Ok(Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            anchor_monday: None,
            product: workspace.product.clone(),
            columns: workspace
                .columns
                .iter()
                .map(|column| DocColumn {
                    id: local(&column_ids, column.column_id.0),
                    name: column.name.clone(),
                    wip_limit: column.wip_limit,
                    is_done: column.is_done,
                })
                .collect(),
            objectives: workspace
                .objectives
                .iter()
                .map(|objective| DocObjective {
                    id: local(&objective_ids, objective.objective_id.0),
                    title: objective.title.clone(),
                    description: objective.description.clone(),
                    key_results: objective.key_results.clone(),
                })
                .collect(),
            epics: workspace
                .epics
                .iter()
                .map(|epic| DocEpic {
                    id: local(&epic_ids, epic.epic_id.0),
                    title: epic.title.clone(),
                    description: epic.description.clone(),
                    colour: epic.colour,
                    start_date: epic.start_date,
                    end_date: epic.end_date,
                    objective: epic.objective_id.map(|id| local(&objective_ids, id.0)),
                    starts_after: epic.depends_on.iter().map(|id| local(&epic_ids, id.0)).collect(),
                })
                .collect(),
            releases: workspace
                .releases
                .iter()
                .map(|release| DocRelease {
                    name: release.name.clone(),
                    date: release.date,
                    kind: release.kind,
                    description: release.description.clone(),
                })
                .collect(),
            increments: workspace
                .increments
                .iter()
                .map(|increment| DocIncrement {
                    name: increment.name.clone(),
                    start_date: increment.start_date,
                    end_date: increment.end_date,
                })
                .collect(),
            sprints: workspace
                .sprints
                .iter()
                .map(|sprint| DocSprint {
                    id: local(&sprint_ids, sprint.sprint_id.0),
                    name: sprint.name.clone(),
                    goal: sprint.goal.clone(),
                    start_date: sprint.start_date,
                    end_date: sprint.end_date,
                    capacity_points: sprint.capacity_points,
                })
                .collect(),
            metrics: workspace
                .metrics
                .iter()
                .map(|metric| DocMetric {
                    name: metric.name.clone(),
                    unit: metric.unit,
                    direction: metric.direction,
                    category: metric.category,
                    target: metric.target,
                    description: metric.description.clone(),
                    samples: metric.samples.iter().map(|sample| (sample.date, sample.value)).collect(),
                })
                .collect(),
            items,
            conversion: Conversion::default(),
        })
    }

    /// The document as pretty-printed JSON.
    ///
    /// # Errors
    /// Only if serialisation fails, which plain data does not.
    pub fn to_json(&self) -> Result<String, DocumentError> {
        let mut bytes = Vec::with_capacity(4096 + self.items.len() * 320);
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, RecordPerLine::default());
        serde::Serialize::serialize(self, &mut serializer)?;
        bytes.push(b'\n');
        // serde_json writes only UTF-8; this cannot fail, but is not worth a panic either.
        String::from_utf8(bytes).map_err(|error| DocumentError::Json(serde::ser::Error::custom(error)))
    }
}

/// Lays a document out with one record per line: the outline (the top-level fields and the lists)
/// is indented, and each record in a list (a column, an epic, an item…) is one compact line. A diff
/// of two exports shows which records changed, and the file is about half the size of fully
/// indented JSON, so it is written and read in about half the time.
#[derive(Default)]
struct RecordPerLine {
    /// Per open container: whether it is laid out over lines, and whether it has a value yet.
    open: Vec<(bool, bool)>,
}

impl RecordPerLine {
    fn begin<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
        is_list: bool,
    ) -> std::io::Result<()> {
        // The root object and the lists directly inside it are laid out; everything deeper is compact.
        let laid_out = self.open.is_empty() || (is_list && self.open.len() == 1);
        self.open.push((laid_out, false));
        writer.write_all(bracket)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        if let Some((true, true)) = self.open.pop() {
            self.new_line(writer)?;
        }
        writer.write_all(bracket)
    }

    fn next_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        if let Some(last) = self.open.last_mut() {
            last.1 = true;
            if last.0 {
                self.new_line(writer)?;
            }
        }
        Ok(())
    }

    fn new_line<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b"\n")?;
        for _ in 0..self.open.len() {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for RecordPerLine {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.begin(writer, b"[", true)
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.next_value(writer, first)
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.begin(writer, b"{", false)
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        self.next_value(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        let laid_out = self.open.last().is_some_and(|&(laid_out, _)| laid_out);
        writer.write_all(if laid_out { b": " } else { b":" })
    }
}
