//! What views ask the shell for: the views of a workspace and the actions a frame collects.

use std::path::PathBuf;

use egui::KeyboardShortcut;
use serde::{Deserialize, Serialize};

use crate::app::Command;
use crate::model::{ColumnId, ItemId};

/// The three views of a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    /// The backlog board.
    #[default]
    Board,
    /// The roadmap timeline.
    Roadmap,
    /// The metrics dashboard.
    Metrics,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [Self; 3] = [Self::Board, Self::Roadmap, Self::Metrics];

    /// The name on its tab.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Board => "Board",
            Self::Roadmap => "Roadmap",
            Self::Metrics => "Metrics",
        }
    }

    /// The keys that show it.
    #[must_use]
    pub fn shortcut(self) -> KeyboardShortcut {
        match self {
            Self::Board => super::shortcuts::SHOW_BOARD,
            Self::Roadmap => super::shortcuts::SHOW_ROADMAP,
            Self::Metrics => super::shortcuts::SHOW_METRICS,
        }
    }
}

/// Something the user asked for while a view was drawn; carried out after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// Select an item and open it in the editor.
    EditItem(ItemId),
    /// Open the editor on a new item for a column.
    NewItemIn(ColumnId),
    /// Open the editor on a new sub-task of an item.
    NewSubtask(ItemId),
    /// Open the settings of a column.
    EditColumn(ColumnId),
    /// Open the product's name and vision.
    EditProduct,
    /// Archive every card on the board in a column.
    ArchiveColumn(ColumnId),
    /// Change data.
    Apply(Command),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Switch view.
    Show(View),
    /// File ▸ New workspace.
    NewWorkspace,
    /// File ▸ Open.
    OpenWorkspace,
    /// Help ▸ Fresh sample copy: a throwaway copy of the sample product.
    FreshSample,
    /// The first start's "Start with an empty plan": a new blank workspace beside the sample.
    StartEmptyPlan,
    /// File ▸ Open recent.
    OpenRecent(PathBuf),
    /// File ▸ Save a copy.
    SaveCopy,
    /// File ▸ Export as JSON or CSV.
    Export(crate::interchange::Format),
    /// File ▸ Import: pick a file.
    PickImport,
    /// File ▸ Save baseline….
    SaveBaseline,
    /// File ▸ Compare….
    Compare,
    /// File ▸ Compare… ▸ A copy of this plan: pick the file.
    PickCompareFile,
    /// File ▸ Merge changes from a copy…: pick the file.
    PickMergeFile,
    /// Preview importing this file.
    Import(PathBuf),
    /// Pick a CSV file of samples for a KPI and preview importing it.
    PickSamplesFile(crate::model::MetricId),
    /// Filter the board to one epic's items and show the board.
    ShowEpicOnBoard(crate::model::EpicId),
    /// Filter the board to the items answering an insight, or insights about a persona, and show the board.
    ShowResearchOnBoard(crate::model::ResearchFilter),
    /// Open an insight of UX research in its window, with the research window.
    ShowInsight(crate::model::InsightId),
    /// Show a KPI's chart on the Metrics view.
    ShowKpi(crate::model::MetricId),
    /// Show the roadmap with its objectives and key results.
    ShowObjectives,
    /// Open the UX research window: personas and insights.
    ShowResearch,
    /// Say why something cannot be done, in the status bar (a shortcut with nothing to act on).
    Say(String),
    /// Close the window.
    Quit,
}

impl UiAction {
    /// What the action does, in words, when it needs an open workspace (to say why it cannot run without
    /// one); `None` for actions that work without one (opening, creating, quitting, switching views).
    #[must_use]
    pub fn needs_workspace(&self) -> Option<&'static str> {
        match self {
            Self::SaveCopy => Some("Saving a copy"),
            Self::Export(_) => Some("Exporting"),
            Self::PickImport | Self::Import(_) => Some("Importing"),
            Self::SaveBaseline => Some("Saving a baseline"),
            Self::Compare | Self::PickCompareFile => Some("Comparing"),
            Self::PickMergeFile => Some("Merging a copy"),
            Self::NewItemIn(_) | Self::NewSubtask(_) => Some("A new item"),
            Self::ShowResearch => Some("UX research"),
            _ => None,
        }
    }
}
