//! The domain: plain Rust types for everything Tandem keeps, and the rules they obey.
//!
//! Nothing here knows about egui or SQL. The vocabulary follows the PM/PO domain brief: backlog items,
//! board columns, epics, releases, program increments, sprints, objectives with key results, metrics, and
//! the personas and insights of UX research.

mod changes;
pub mod comment;
pub mod compare;
pub mod delivery;
mod error;
mod filter;
mod ids;
pub mod item;
pub mod label;
mod metric;
pub mod natural;
pub mod priority;
pub mod rank;
mod research;
mod roadmap;
mod search;
#[cfg(test)]
pub(crate) use roadmap::{test_columns, test_epic};
pub mod sparse;
mod summary;
pub mod three_way;
mod workspace;

pub use changes::ContentMark;
pub use comment::Comment;
pub use error::ValidationError;
pub use filter::{FilterMatcher, ItemFilter, PersonFilter, ResearchFilter};
pub use ids::{
    ColumnId, CommentId, EpicId, IncrementId, InsightId, ItemId, MetricId, ObjectiveId, PersonaId, ReleaseId, SprintId,
};
pub use item::{
    BacklogItem, Criterion, Details, ItemDetails, ItemKind, ItemPosition, ItemRecord, Moscow, MoveTarget, Raiser,
    RiceInputs, StatusChange,
};
pub use label::{LabelSets, Labels};
pub use metric::{
    Direction, Metric, MetricCategory, MetricSample, MetricUnit, TargetState, downsample, grouped_number, parse_sample,
    points_words,
};
pub use rank::Rank;
pub use research::{Insight, InsightKind, Persona};
pub use roadmap::{
    Colour, Column, Conflict, Epic, KeyResult, Objective, Predictability, Product, ProgramIncrement, Release,
    ReleaseKind, Sprint, SprintState, dependency_conflicts,
};
pub use search::{Figure, ItemSet, LoweredTitles, SortFigures, figures_of, ordered_bits};
pub use summary::{LabelUse, Person};
pub use workspace::{FirstScreenSizes, ItemMap, Workspace};

/// A calendar date without a time zone, as planners think of them.
pub type Date = jiff::civil::Date;
/// An instant, for audit fields and the status-change log.
pub type Timestamp = jiff::Timestamp;

/// Calendar days from `from` to `to` (negative when `to` is earlier).
#[must_use]
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// `date` moved by `days` calendar days; unchanged at the ends of the calendar.
#[must_use]
pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(jiff::Span::new().days(days)).unwrap_or(date)
}
