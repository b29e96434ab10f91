//! The scripting commands for items (`tandem item list / move / edit`): the same commands, checks and
//! sentences as the window, one transaction each, for users' scripts and for tests.

use std::fmt::Write as _;

use crate::app::{App, Command, ItemCommand};
use crate::model::{ColumnId, ItemId, MoveTarget, Workspace};

/// Why a scripted change was refused; the message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    /// No item has that id.
    #[error("There is no item {0} in this workspace; `tandem item list` shows the ids.")]
    NoItem(i64),
    /// No column has that name.
    #[error("There is no column '{name}'; the columns are {columns}.")]
    NoColumn {
        /// What was asked for.
        name: String,
        /// The board's columns, quoted and joined.
        columns: String,
    },
    /// More than one column has that name (a workspace from before names had to differ).
    #[error(
        "{count} columns are called '{name}' (ignoring capitals), so Tandem cannot tell which one you mean. Nothing was changed; rename one of them in the window (its ☰ menu), then try again."
    )]
    SameColumnName {
        /// What was asked for.
        name: String,
        /// How many columns have it.
        count: usize,
    },
    /// `--after` names an item that is not in the target column (or the item itself).
    #[error(
        "Item {after} is not in '{column}', so item {item} cannot land below it; pick an item of that column, or --top."
    )]
    NotInColumn {
        /// The item being moved.
        item: i64,
        /// The item it should land below.
        after: i64,
        /// The target column's name.
        column: String,
    },
    /// `--points` was neither a number nor `none`.
    #[error("'{0}' is not a number of points; give a number such as 3 or 0.5, or none to clear the estimate.")]
    Points(String),
    /// `item edit` was given nothing to change.
    #[error("Nothing to change: give --title, --points or --description.")]
    NothingToEdit,
    /// The workspace refused the change (validation, a busy or read-only file…).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// One line per item, in board order (column by column, top to bottom): id, column, position in the
/// column (from 1) and title, separated by tabs. Tabs and line breaks inside a title become spaces, so
/// every item is exactly one line.
/// # Errors
/// [`ScriptError::NoColumn`] when `column` names no column.
pub fn list(workspace: &Workspace, column: Option<&str>) -> Result<String, ScriptError> {
    let only = column.map(|name| column_named(workspace, name)).transpose()?;
    let mut out = String::new();
    for column in workspace.columns.iter().filter(|column| only.is_none_or(|id| id == column.column_id)) {
        for (index, item_id) in workspace.column_items(column.column_id).iter().enumerate() {
            let Some(item) = workspace.item(*item_id) else { continue };
            let title = item.title.replace(['\t', '\n', '\r'], " ");
            let _ = writeln!(out, "{}\t{}\t{}\t{title}", item.item_id, column.name, index + 1);
        }
    }
    Ok(out)
}

/// Where `item move` puts the item in its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// At the top.
    Top,
    /// Directly below this item.
    After(i64),
    /// At the bottom (the default).
    Bottom,
}

/// Moves an item to a column, at the top, below another item or at the bottom; returns the window's
/// sentence for it ("Moved 'X' to position 2 of 5 in Ready.").
///
/// # Errors
/// [`ScriptError`]: an unknown item or column, an `--after` item elsewhere, or the store's refusal.
pub fn move_item(app: &mut App, item: i64, column: &str, place: Place) -> Result<String, ScriptError> {
    let workspace = app.workspace();
    let item_id = ItemId(item);
    if workspace.item(item_id).is_none() {
        return Err(ScriptError::NoItem(item));
    }
    let column_id = column_named(workspace, column)?;
    let in_column = workspace.column_items(column_id);
    let after_item = match place {
        Place::Top => None,
        Place::Bottom => in_column.iter().rev().find(|id| **id != item_id).copied(),
        Place::After(after) => {
            let after_id = ItemId(after);
            if after_id == item_id || !in_column.contains(&after_id) {
                if workspace.item(after_id).is_none() {
                    return Err(ScriptError::NoItem(after));
                }
                let column = workspace.column(column_id).map(|column| column.name.clone()).unwrap_or_default();
                return Err(ScriptError::NotInColumn { item, after, column });
            }
            Some(after_id)
        }
    };
    let target = MoveTarget { column_id, after_item };
    Ok(app.apply(Command::Item(ItemCommand::Move { item_id, target }))?.message)
}

/// What `item edit` changes; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct Edit {
    /// A new title.
    pub title: Option<String>,
    /// New points: a number, or `none` to clear the estimate.
    pub points: Option<String>,
    /// A new description.
    pub description: Option<String>,
}

/// Edits an item's title, points or description with the window's checks; returns its sentence.
///
/// # Errors
/// [`ScriptError`]: an unknown item, points that are not a number, nothing to change, or the
/// validation message the editor would show.
pub fn edit_item(app: &mut App, item: i64, edit: &Edit) -> Result<String, ScriptError> {
    if edit.title.is_none() && edit.points.is_none() && edit.description.is_none() {
        return Err(ScriptError::NothingToEdit);
    }
    let mut changed = app.workspace().item(ItemId(item)).cloned().ok_or(ScriptError::NoItem(item))?;
    if let Some(title) = &edit.title {
        changed.title.clone_from(title);
    }
    if let Some(description) = &edit.description {
        changed.details.description.clone_from(description);
    }
    if let Some(points) = &edit.points {
        changed.points = match points.trim() {
            "none" | "" => None,
            number => Some(number.parse::<f64>().map_err(|_| ScriptError::Points(points.clone()))?),
        };
    }
    Ok(app.apply(Command::Item(ItemCommand::Update(changed)))?.message)
}

/// The column called `name` (ignoring case and surrounding spaces).
fn column_named(workspace: &Workspace, name: &str) -> Result<ColumnId, ScriptError> {
    let wanted = name.trim();
    let matching = |column: &&crate::model::Column| column.name.trim().eq_ignore_ascii_case(wanted);
    let count = workspace.columns.iter().filter(matching).count();
    if count > 1 {
        return Err(ScriptError::SameColumnName { name: wanted.to_owned(), count });
    }
    workspace.columns.iter().find(matching).map_or_else(
        || {
            let columns =
                workspace.columns.iter().map(|column| format!("'{}'", column.name)).collect::<Vec<_>>().join(", ");
            Err(ScriptError::NoColumn { name: name.to_owned(), columns })
        },
        |column| Ok(column.column_id),
    )
}
