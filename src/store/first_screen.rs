//! The first screen of a large workspace, read before the rest of it: the product, the board's columns
//! with how many cards each holds, and the first cards of each column. The window shows it, unchangeable,
//! while the whole workspace loads on a worker thread ([`crate::app::Opening`]).

use std::collections::HashMap;
use std::path::Path;

use super::items::item_in_tx;
use super::{StoreError, check_workspace_schema, not_a_database, reading_connection};
use crate::model::{ColumnId, FirstScreenSizes, ItemId, ItemMap, Workspace};

/// How many cards of each column the first screen holds: more than the tallest window shows at the
/// smallest zoom.
pub const FIRST_SCREEN_CARDS: usize = 100;

/// Reads the first screen of the workspace at `path`: its first `per_column` cards of each column, in
/// board order, and everything their cards show (epics, sprints, label colours, comment counts). The
/// file is treated as untrusted: its schema is compared with Tandem's first, and it is read through a
/// connection that cannot write. Metrics and objectives are left out (the board shows neither).
///
/// # Errors
/// Anything that keeps the file from being read this way. The window then shows no first screen and
/// waits for the whole load, which says what is wrong with the file.
pub fn read_first_screen(path: &Path, per_column: usize) -> Result<Workspace, StoreError> {
    check_workspace_schema(path)?;
    let mut connection = reading_connection(path, std::time::Duration::from_millis(500))
        .map_err(|error| not_a_database(&error, path))?;
    // One read, so the parts agree.
    let transaction = connection.transaction()?;
    let mut workspace = super::load::board_records_in_tx(&transaction)?;

    let mut sizes = FirstScreenSizes::default();
    // One pass over the items, the archived counted apart (they are off the board).
    let mut counts = transaction.prepare(
        "SELECT column_id, sum(archived_at IS NULL), sum(archived_at IS NOT NULL) FROM items GROUP BY column_id",
    )?;
    let counted =
        counts.query_map([], |row| Ok((ColumnId(row.get(0)?), row.get::<_, i64>(1)?, row.get::<_, i64>(2)?)))?;
    for counted in counted {
        let (column_id, on_board, archived) = counted?;
        let on_board = usize::try_from(on_board).unwrap_or(0);
        sizes.columns.insert(column_id, on_board);
        sizes.total += on_board;
        sizes.archived += usize::try_from(archived).unwrap_or(0);
    }
    drop(counts);

    let mut first = transaction.prepare(
        "SELECT item_id FROM items WHERE column_id = ?1 AND archived_at IS NULL ORDER BY rank, item_id LIMIT ?2",
    )?;
    let mut comments = transaction.prepare("SELECT count(*) FROM comments WHERE item_id = ?1")?;
    let mut items = ItemMap::default();
    let mut comment_counts = HashMap::new();
    let limit = i64::try_from(per_column).unwrap_or(i64::MAX);
    for column in &workspace.columns {
        let ids = first
            .query_map(rusqlite::params![column.column_id.0, limit], |row| Ok(ItemId(row.get(0)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        for item_id in ids {
            items.insert(item_id, item_in_tx(&transaction, item_id)?);
            let count: u32 = comments.query_row([item_id.0], |row| row.get(0))?;
            if count > 0 {
                comment_counts.insert(item_id, count);
            }
        }
    }
    drop((first, comments));
    transaction.finish()?;
    workspace.set_item_map(items);
    workspace.set_comment_counts(comment_counts);
    workspace.set_first_screen(sizes);
    Ok(workspace)
}
