//! The Tandem workspace document: a whole plan as JSON, versioned.
//!
//! Records refer to each other by document-local ids (`"epic": 2`), which are remapped to fresh database
//! ids on import. Items are listed in board order: within a column, earlier in the array means higher on
//! the board. An item's `history` lists the columns it entered, oldest first. Dates are `YYYY-MM-DD`;
//! instants are RFC 3339 or a plain date (read as 09:00 UTC).

mod export;
mod import;
mod json;

pub use import::{ImportOptions, ImportReport, import_in_tx};
use json::RecordPerLine;

use serde::{Deserialize, Serialize};

use crate::model::{
    Colour, Criterion, Date, Direction, ItemKind, KeyResult, MetricCategory, MetricUnit, Moscow, Product, Raiser,
    ReleaseKind,
};
use crate::store::StoreError;

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
    /// A record breaks one of the plan's rules (an estimate above 1000, a sprint that ends before it
    /// starts): the message names the record, so that it can be found in a file of thousands.
    #[error("The {record} cannot be kept: {error} Fix it in the file and import it again.")]
    Invalid {
        /// The record, in words ("item 'Login'", "sprint 'Sprint 4'").
        record: String,
        /// The rule it breaks.
        error: crate::model::ValidationError,
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
    /// Labels that have a colour.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub label_colours: Vec<DocLabelColour>,
    /// The personas of UX research.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personas: Vec<DocPersona>,
    /// The insights of UX research.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insights: Vec<DocInsight>,
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
    /// Cards of the source's archived lists: left out unless [`crate::interchange::ReadOptions`] asks
    /// for them, so the preview can offer them.
    pub archived_list_cards: usize,
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
            label_colours: Vec::new(),
            personas: Vec::new(),
            insights: Vec::new(),
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
    /// The name of the program increment it was set for (a PI objective); left out when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<String>,
    /// The business value planned for it at PI planning, 1 to 10; left out when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_value: Option<u8>,
    /// The business value it achieved, 0 to 10; left out when not scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_value: Option<u8>,
    /// An uncommitted (stretch) PI objective; left out when committed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncommitted: bool,
}

impl DocObjective {
    /// `objective` as the document writes it, with the document-local `id`; its increment by name.
    #[must_use]
    pub fn of(objective: &crate::model::Objective, id: i64, increments: &[crate::model::ProgramIncrement]) -> Self {
        Self {
            id,
            title: objective.title.clone(),
            description: objective.description.clone(),
            key_results: objective.key_results.clone(),
            increment: objective.increment_id.and_then(|id| {
                increments.iter().find(|increment| increment.increment_id == id).map(|increment| increment.name.clone())
            }),
            planned_value: objective.planned_value,
            actual_value: objective.actual_value,
            uncommitted: objective.uncommitted,
        }
    }
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

/// A persona of UX research.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocPersona {
    /// Document-local id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Who they are.
    #[serde(default)]
    pub description: String,
}

/// An insight of UX research.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocInsight {
    /// Document-local id.
    pub id: i64,
    /// What was learnt.
    pub title: String,
    /// Where it comes from.
    pub kind: crate::model::InsightKind,
    /// Who or what it came from.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    /// When it was observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_on: Option<Date>,
    /// The id of the persona it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<i64>,
    /// The evidence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// The name of the KPI it moved or is measured on (the file's metrics, or the workspace's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
}

/// A label's colour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocLabelColour {
    /// The label, as items name it.
    pub label: String,
    /// Its colour.
    pub colour: Colour,
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
    /// When it was started (RFC 3339); left out while it is planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When it was completed (RFC 3339); left out until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// Points of the unfinished items it carried over when completed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub carried_over_points: f64,
}

#[expect(clippy::trivially_copy_pass_by_ref, reason = "serde's skip_serializing_if passes a reference")]
fn is_zero(value: &f64) -> bool {
    *value == 0.0
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
    /// The id of the objective it serves; left out when it serves none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<i64>,
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

/// A comment on an item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocComment {
    /// Who wrote it.
    pub author: String,
    /// When: RFC 3339, or a date read as 09:00 UTC.
    pub at: String,
    /// What they wrote.
    pub text: String,
}

/// An item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocItem {
    /// Document-local id, given to items that have sub-tasks (so `parent` can name them) and to sub-tasks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The id of the item this one is a sub-task of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<i64>,
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
    /// Comments, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<DocComment>,
    /// Who does it, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Who asked for it, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<String>,
    /// When work is planned to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    /// When it is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
    /// When it was archived (off the board, still in history and the delivery charts): RFC 3339, or a
    /// date read as 09:00 UTC. Left out while it is on the board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<String>,
    /// The id of the insight it answers; left out when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insight: Option<i64>,
}

impl DocItem {
    /// An item of a kind and title in a column, with nothing else set: what an importer starts from
    /// before filling in what its source has.
    #[must_use]
    pub fn new(kind: ItemKind, title: String, column: i64) -> Self {
        Self {
            id: None,
            parent: None,
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
            comments: Vec::new(),
            assignee: None,
            reporter: None,
            start_date: None,
            due_date: None,
            archived_at: None,
            insight: None,
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

    /// Whole weeks that move the sample's anchor Monday to the Monday of `today`'s week, or a week
    /// earlier when what the sample says has happened (a card done on a Wednesday, a comment at ten)
    /// would otherwise lie after `today`: a plan opened on a Monday has no history in its future.
    #[must_use]
    pub fn anchor_shift_days(&self, today: Date) -> i64 {
        let Some(anchor) = self.anchor_monday else {
            return 0;
        };
        let weekday_offset = i64::from(today.weekday().to_monday_zero_offset());
        let this_monday = today.checked_sub(jiff::Span::new().days(weekday_offset)).unwrap_or(today);
        let mut shift = anchor.until(this_monday).map_or(0, |span| i64::from(span.get_days()));
        if let Some(latest) = self.latest_event() {
            let days_after_today = latest.until(today).map_or(0, |span| -i64::from(span.get_days()));
            while days_after_today + shift > 0 {
                shift -= 7;
            }
        }
        shift
    }

    /// The day of the latest thing the document says has happened: an item entering a column, a
    /// comment, an archiving, a sprint started or completed, a KPI sample, an insight observed.
    /// Planned dates (due dates, sprint ends, releases) may lie ahead and are not counted.
    #[must_use]
    pub fn latest_event(&self) -> Option<Date> {
        let day = |instant: &str| instant.get(..10).and_then(|day| day.parse::<Date>().ok());
        let items = self.items.iter().flat_map(|item| {
            let moves = item.history.iter().map(|change| change.at.as_str());
            let comments = item.comments.iter().map(|comment| comment.at.as_str());
            moves.chain(comments).chain(item.archived_at.as_deref()).filter_map(day)
        });
        let sprints = self
            .sprints
            .iter()
            .flat_map(|sprint| sprint.started_at.iter().chain(sprint.completed_at.iter()))
            .filter_map(|instant| day(instant));
        let samples = self.metrics.iter().flat_map(|metric| metric.samples.iter().map(|(day, _)| *day));
        let insights = self.insights.iter().filter_map(|insight| insight.observed_on);
        items.chain(sprints).chain(samples).chain(insights).max()
    }
}
