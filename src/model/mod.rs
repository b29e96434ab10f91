//! The domain: plain Rust types for everything Tandem keeps, and the rules they obey.
//!
//! Nothing here knows about egui or SQL. The vocabulary follows the PM/PO domain brief: backlog items,
//! board columns, epics, releases, program increments, sprints, objectives with key results and metrics.

mod error;
mod filter;
mod ids;
pub mod item;
mod metric;
pub mod priority;
pub mod rank;
mod roadmap;
mod workspace;

pub use error::ValidationError;
pub use filter::ItemFilter;
pub use ids::{ColumnId, EpicId, IncrementId, ItemId, MetricId, ObjectiveId, ReleaseId, SprintId};
pub use item::{BacklogItem, Criterion, ItemKind, ItemPosition, ItemRecord, Moscow, Raiser, StatusChange};
pub use metric::{Direction, Metric, MetricCategory, MetricSample, MetricUnit, TargetState};
pub use rank::Rank;
pub use roadmap::{
    Colour, Column, Conflict, Epic, KeyResult, Objective, Product, ProgramIncrement, Release, ReleaseKind, Sprint,
    dependency_conflicts,
};
pub use workspace::Workspace;

/// A calendar date without a time zone, as planners think of them.
pub type Date = jiff::civil::Date;
/// An instant, for audit fields and the status-change log.
pub type Timestamp = jiff::Timestamp;
