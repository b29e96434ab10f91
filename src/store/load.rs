//! Reading a whole workspace into memory.

use super::board::{columns_in_tx, product_in_tx};
use super::items::load_items;
use super::metrics::metrics_in_tx;
use super::okrs::objectives_in_tx;
use super::roadmap::{epics_in_tx, increments_in_tx, releases_in_tx};
use super::sprints::sprints_in_tx;
use super::{Store, StoreError};
use crate::model::Workspace;

impl Store {
    /// Loads everything, in one read transaction so the parts agree.
    ///
    /// # Errors
    /// A SQLite error, or [`StoreError::Corrupt`]-style conversion failures for values edited outside Tandem.
    pub fn load(&mut self) -> Result<Workspace, StoreError> {
        let loaded = self.load_all();
        // The file's quick check ran beside the load; a damaged file is refused even if it loaded.
        self.ensure_checked()?;
        loaded.map_err(|error| match error {
            // A value of the wrong type or out of range: the file was edited by something else.
            // Tandem's own reading says what the value is and what it should be ("-5 is not a valid
            // estimate"), without SQLite's column number.
            StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(_, _, reason)) => {
                StoreError::Corrupt(reason.to_string())
            }
            StoreError::Sqlite(
                sqlite @ (rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::IntegralValueOutOfRange(..)),
            ) => StoreError::Corrupt(sqlite.to_string()),
            other => other,
        })
    }

    fn load_all(&mut self) -> Result<Workspace, StoreError> {
        self.connection.pragma_update(None, "cache_size", super::LOAD_CACHE_KIB)?;
        let loaded = self.load_everything();
        // The pages read while loading are all in memory now, as the workspace: keeping them cached
        // too would hold 4 MB at 100,000 items for nothing. An edit reads its few pages back.
        self.connection.execute_batch("PRAGMA shrink_memory")?;
        self.connection.pragma_update(None, "cache_size", super::CACHE_KIB)?;
        loaded
    }

    fn load_everything(&mut self) -> Result<Workspace, StoreError> {
        let transaction = self.connection.transaction()?;
        let mut workspace = board_records_in_tx(&transaction)?;
        workspace.objectives = objectives_in_tx(&transaction)?;
        workspace.metrics = metrics_in_tx(&transaction)?;
        workspace.set_item_map(load_items(&transaction)?);
        // Every item was read and kept the items table's rules: the quick check need not evaluate them.
        if let Some(check) = &mut self.integrity {
            check.item_rules_read = true;
        }
        workspace.set_comment_counts(super::comments::comment_counts_in_tx(&transaction)?);
        transaction.finish()?;
        Ok(workspace)
    }
}

/// A workspace without items, objectives or metrics: the product, the board's columns, the roadmap's
/// epics, releases and increments, sprints, research and label colours (what a board's cards and filters
/// show beside the items, and what the first screen of a large workspace reads too).
pub(super) fn board_records_in_tx(connection: &rusqlite::Connection) -> Result<Workspace, StoreError> {
    let mut workspace = Workspace::new(product_in_tx(connection)?);
    workspace.columns = columns_in_tx(connection)?;
    workspace.epics = epics_in_tx(connection)?;
    workspace.releases = releases_in_tx(connection)?;
    workspace.increments = increments_in_tx(connection)?;
    workspace.sprints = sprints_in_tx(connection)?;
    workspace.personas = super::research::personas_in_tx(connection)?;
    workspace.insights = super::research::insights_in_tx(connection)?;
    workspace.label_colours = super::labels::label_colours_in_tx(connection)?;
    Ok(workspace)
}
