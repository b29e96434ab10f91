//! Typed ids, so an epic id cannot be passed where an item id belongs.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(formatter, "{}", self.0)
            }
        }
    )*};
}

id_type!(
    /// A backlog item's id, stable for the life of the workspace.
    ItemId,
    /// A board column's id.
    ColumnId,
    /// An epic's id.
    EpicId,
    /// A release's or milestone's id.
    ReleaseId,
    /// A program increment's id.
    IncrementId,
    /// A sprint's id.
    SprintId,
    /// An objective's id.
    ObjectiveId,
    /// A metric's id.
    MetricId,
    /// A comment's id.
    CommentId,
    /// A persona's id.
    PersonaId,
    /// An insight's id.
    InsightId,
);
