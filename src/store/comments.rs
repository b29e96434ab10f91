//! Comments on items (schema version 7): added, deleted and put back one at a time, and written in
//! batches by imports and by the undo of an item's delete.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row};

use super::convert::{parsed, timestamp};
use super::items::{bind_all, insert_rows};
use super::{Store, StoreError, changed};
use crate::model::{Comment, CommentId, ItemId};

const COMMENT_COLUMNS: &str = "comment_id, item_id, author, text, created_at";

fn comment_from_row(row: &Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        comment_id: CommentId(row.get(0)?),
        item_id: ItemId(row.get(1)?),
        author: row.get(2)?,
        text: row.get(3)?,
        created_at: parsed(row, 4, "timestamp", timestamp)?,
    })
}

/// An item's comments, oldest first.
///
/// # Errors
/// A SQLite error or an unreadable timestamp.
pub fn comments_in_tx(connection: &Connection, item_id: ItemId) -> Result<Vec<Comment>, StoreError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {COMMENT_COLUMNS} FROM comments WHERE item_id = ?1 ORDER BY created_at, comment_id"
    ))?;
    let comments = statement.query_map([item_id.0], comment_from_row)?.collect::<Result<_, _>>()?;
    Ok(comments)
}

/// Every item's comments, by item and then oldest first: what an export writes.
///
/// # Errors
/// A SQLite error or an unreadable timestamp.
pub fn all_comments_in_tx(connection: &Connection) -> Result<HashMap<ItemId, Vec<Comment>>, StoreError> {
    let mut statement = connection
        .prepare(&format!("SELECT {COMMENT_COLUMNS} FROM comments ORDER BY item_id, created_at, comment_id"))?;
    let mut by_item: HashMap<ItemId, Vec<Comment>> = HashMap::new();
    for comment in statement.query_map([], comment_from_row)? {
        let comment = comment?;
        by_item.entry(comment.item_id).or_default().push(comment);
    }
    Ok(by_item)
}

/// How many comments each item has (items without comments are left out): the cards' badges.
///
/// # Errors
/// A SQLite error.
pub fn comment_counts_in_tx(connection: &Connection) -> Result<HashMap<ItemId, u32>, StoreError> {
    let mut statement = connection.prepare("SELECT item_id, count(*) FROM comments GROUP BY item_id")?;
    let counts =
        statement.query_map([], |row| Ok((ItemId(row.get(0)?), row.get::<_, u32>(1)?)))?.collect::<Result<_, _>>()?;
    Ok(counts)
}

/// Adds a new comment and returns it with its id.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty or too long text or author; [`StoreError::NotFound`] when the
/// item is gone.
pub fn add_comment_in_tx(connection: &Connection, comment: &Comment) -> Result<Comment, StoreError> {
    let mut comment = comment.clone();
    comment.author = comment.author.trim().to_owned();
    comment.text = comment.text.trim().to_owned();
    comment.validate()?;
    let exists: Option<i64> = connection
        .prepare_cached("SELECT 1 FROM items WHERE item_id = ?1")?
        .query_row([comment.item_id.0], |row| row.get(0))
        .optional()?;
    if exists.is_none() {
        return Err(StoreError::NotFound { what: "item", id: comment.item_id.0 });
    }
    comment.comment_id = CommentId(0);
    write_comments(connection, std::slice::from_ref(&comment))?;
    comment.comment_id = CommentId(connection.last_insert_rowid());
    Ok(comment)
}

/// Deletes a comment and returns it, so the delete can be undone.
///
/// # Errors
/// [`StoreError::NotFound`] when it is already gone.
pub fn delete_comment_in_tx(connection: &Connection, comment_id: CommentId) -> Result<Comment, StoreError> {
    let comment = connection
        .prepare_cached(&format!("SELECT {COMMENT_COLUMNS} FROM comments WHERE comment_id = ?1"))?
        .query_row([comment_id.0], comment_from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "comment", id: comment_id.0 })?;
    let rows = connection.prepare_cached("DELETE FROM comments WHERE comment_id = ?1")?.execute([comment_id.0])?;
    changed(rows, "comment", comment_id.0)?;
    Ok(comment)
}

/// Writes comments as they are: those with an id keep it (undo), those with `CommentId(0)` get a new
/// one (imports). Their item must exist.
///
/// # Errors
/// [`StoreError::Invalid`] for a comment that breaks a rule; a SQLite error, e.g. when an id is taken.
pub fn write_comments(connection: &Connection, comments: &[Comment]) -> Result<(), StoreError> {
    for comment in comments {
        comment.validate()?;
    }
    insert_rows(
        connection,
        &format!("INSERT INTO comments ({COMMENT_COLUMNS})"),
        5,
        comments,
        |statement, first, comment| {
            bind_all(
                statement,
                first,
                &[
                    &(comment.comment_id.0 != 0).then_some(comment.comment_id.0),
                    &comment.item_id.0,
                    &comment.author,
                    &comment.text,
                    &comment.created_at.to_string(),
                ],
            )
        },
    )
}

impl Store {
    /// An item's comments, oldest first.
    ///
    /// # Errors
    /// See [`comments_in_tx`].
    pub fn comments(&self, item_id: ItemId) -> Result<Vec<Comment>, StoreError> {
        comments_in_tx(&self.connection, item_id)
    }

    /// Every item's comments.
    ///
    /// # Errors
    /// See [`all_comments_in_tx`].
    pub fn all_comments(&self) -> Result<HashMap<ItemId, Vec<Comment>>, StoreError> {
        all_comments_in_tx(&self.connection)
    }
}
