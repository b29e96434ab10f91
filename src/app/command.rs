//! What the user can ask of the workspace, by area. The UI emits a [`Command`]; only
//! [`super::App::apply`] carries it out, each area in its own file (`items.rs`, `columns.rs`,
//! `roadmap.rs`, `planning.rs`), with one shared epilogue that keeps memory and undo in step.

use crate::model::MoveTarget;
use crate::model::{
    BacklogItem, Column, ColumnId, Comment, CommentId, Epic, EpicId, IncrementId, Insight, InsightId, ItemId, Metric,
    MetricId, Objective, ObjectiveId, Persona, PersonaId, Product, ProgramIncrement, Release, ReleaseId, Sprint,
    SprintId,
};

/// Something the user asked for, by the area of the plan it changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Backlog items: create, edit, delete, move.
    Item(ItemCommand),
    /// The board's columns.
    Column(ColumnCommand),
    /// The product, epics and objectives.
    Roadmap(RoadmapCommand),
    /// KPIs and sprints.
    Planning(PlanningCommand),
    /// UX research: personas and insights.
    Research(ResearchCommand),
}

/// UX research: personas and insights.
#[derive(Clone, Debug, PartialEq)]
pub enum ResearchCommand {
    /// Adds a persona.
    CreatePersona(Persona),
    /// Saves a persona's name or description.
    UpdatePersona(Persona),
    /// Deletes a persona; the insights about it stay, about no persona.
    DeletePersona(PersonaId),
    /// Adds an insight.
    CreateInsight(Insight),
    /// Saves an insight.
    UpdateInsight(Insight),
    /// Deletes an insight; the items answering it stay, answering none.
    DeleteInsight(InsightId),
}

/// Backlog items.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemCommand {
    /// Adds an item at the bottom of its column.
    Create(BacklogItem),
    /// Saves an edited item.
    Update(BacklogItem),
    /// Deletes an item.
    Delete(ItemId),
    /// Moves an item within or across columns.
    Move {
        /// The item.
        item_id: ItemId,
        /// Where it lands.
        target: MoveTarget,
    },
    /// Moves several items as a block (a multi-selection), keeping their order.
    MoveMany {
        /// The items, in the order they should end up.
        item_ids: Vec<ItemId>,
        /// Where the first lands; the others follow it.
        target: MoveTarget,
    },
    /// Archives items (off the board, still in history and the delivery charts), or puts them back on
    /// the board where they were.
    Archive {
        /// The items.
        item_ids: Vec<ItemId>,
        /// True to archive, false to put back.
        archive: bool,
    },
    /// Renames a person wherever an item names them as assignee or reporter (the name matched ignoring
    /// case, as the workspace's people are listed).
    RenamePerson {
        /// The name as it is now.
        from: String,
        /// The new name.
        to: String,
    },
    /// Adds a comment to an item (its id is ignored; the store gives one).
    AddComment(Comment),
    /// Deletes a comment.
    DeleteComment(CommentId),
    /// Moves cards into a swimlane: to a place in a column and, where it differs, to the lane's epic.
    MoveToLane {
        /// The items, in the order they should end up.
        item_ids: Vec<ItemId>,
        /// Where the first lands; the others follow it.
        target: MoveTarget,
        /// The lane's epic (`None` for the lane of items without an epic).
        epic_id: Option<EpicId>,
    },
}

/// The board's columns.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnCommand {
    /// Adds a column at the right end of the board.
    Add {
        /// Its name.
        name: String,
    },
    /// Renames a column or changes its WIP limit or done flag.
    Update(Column),
    /// Moves a column to another place, counted from the left starting at 0.
    Move {
        /// The column.
        column_id: ColumnId,
        /// Its new place.
        to_index: usize,
    },
    /// Deletes an empty column.
    Delete(ColumnId),
    /// Reorders a column by a prioritisation score, highest first; unscored items keep their order
    /// below the scored ones.
    OrderBy {
        /// The column.
        column_id: ColumnId,
        /// Which score.
        score: PriorityScore,
    },
}

/// The product, epics and objectives: the PM's side of the plan.
#[derive(Clone, Debug, PartialEq)]
pub enum RoadmapCommand {
    /// Renames the product or edits its vision.
    UpdateProduct(Product),
    /// Adds an epic to the roadmap.
    CreateEpic(Epic),
    /// Saves an epic: new dates from a drag or the keyboard, or edits from its editor.
    UpdateEpic(Epic),
    /// Deletes an epic: its items stay, without an epic, and epics that started after it no longer
    /// do; one undo puts all of it back.
    DeleteEpic(EpicId),
    /// Adds an objective with its key results.
    CreateObjective(Objective),
    /// Saves an objective and its key results.
    UpdateObjective(Objective),
    /// Deletes an objective with its key results; the epics serving it stay, serving none.
    DeleteObjective(ObjectiveId),
    /// Adds a release or milestone.
    CreateRelease(Release),
    /// Saves a release or milestone: its name, date, kind or notes.
    UpdateRelease(Release),
    /// Deletes a release or milestone.
    DeleteRelease(ReleaseId),
    /// Adds a program increment.
    CreateIncrement(ProgramIncrement),
    /// Saves a program increment's name or dates.
    UpdateIncrement(ProgramIncrement),
    /// Deletes a program increment.
    DeleteIncrement(IncrementId),
}

/// Where a completed sprint's unfinished items go.
#[derive(Clone, Debug, PartialEq)]
pub enum Carry {
    /// Back to the unplanned backlog.
    Backlog,
    /// Into a sprint that exists (planned or running).
    Sprint(SprintId),
    /// Into a new sprint, created in the same step (`Sprint::following` the completed one, as the user
    /// saw it offered); undo takes it away again.
    NewSprint(Sprint),
}

/// KPIs and sprints.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanningCommand {
    /// Adds a KPI with its samples.
    CreateMetric(Metric),
    /// Saves a KPI: its definition and all its samples.
    UpdateMetric(Metric),
    /// Deletes a KPI and its samples.
    DeleteMetric(MetricId),
    /// Adds a sprint.
    CreateSprint(Sprint),
    /// Saves a sprint's name, goal, dates or capacity.
    UpdateSprint(Sprint),
    /// Deletes a sprint; its items go back to the unplanned backlog.
    DeleteSprint(SprintId),
    /// Starts a sprint (one at a time).
    StartSprint(SprintId),
    /// Completes the active sprint: its unfinished items move to another sprint, a new one or the
    /// unplanned backlog, and their points stay counted as carried over.
    CompleteSprint {
        /// The sprint.
        sprint_id: SprintId,
        /// Where its unfinished items go.
        carry_to: Carry,
    },
    /// Gives a label a colour, or takes its colour away (`None`).
    SetLabelColour {
        /// The label's text.
        label: String,
        /// Its new colour.
        colour: Option<crate::model::Colour>,
    },
    /// Plans items in a sprint, or takes them out of their sprint (`None`).
    PlanInSprint {
        /// The items (a dragged multi-selection moves together).
        item_ids: Vec<ItemId>,
        /// The sprint, or `None` for the unplanned backlog.
        sprint_id: Option<SprintId>,
    },
}

/// A prioritisation score to order by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityScore {
    /// Weighted shortest job first.
    Wsjf,
    /// Reach × impact × confidence ÷ effort.
    Rice,
}

impl PriorityScore {
    /// The name a user reads.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Wsjf => "WSJF",
            Self::Rice => "RICE",
        }
    }

    /// The item's score, if it has one.
    #[must_use]
    pub fn of(self, item: &BacklogItem) -> Option<f64> {
        match self {
            Self::Wsjf => item.wsjf(),
            Self::Rice => item.rice(),
        }
    }
}

/// What [`super::App::apply`] did, for the UI to follow up (select the new item, announce the move).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The item the command created or changed, if any.
    pub item_id: Option<ItemId>,
    /// A sentence saying what happened, for the status bar and screen readers.
    pub message: String,
}
