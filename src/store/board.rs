//! The product and the board's columns.
//!
//! Each entity has `insert_*_in_tx` (a new id is assigned), `update_*_in_tx` and `delete_*_in_tx`;
//! the matching [`Store`] methods run them in their own transaction.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Store, StoreError, changed};
use crate::model::{Column, ColumnId, Product};

/// Reads the product.
///
/// # Errors
/// A SQLite error.
pub fn product_in_tx(connection: &Connection) -> Result<Product, StoreError> {
    Ok(connection.query_row("SELECT name, vision FROM product WHERE singleton = 1", [], |row| {
        Ok(Product { name: row.get(0)?, vision: row.get(1)? })
    })?)
}

/// Saves the product's name and vision.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty name.
pub fn update_product_in_tx(connection: &Connection, product: &Product) -> Result<(), StoreError> {
    product.validate()?;
    connection.execute(
        "INSERT INTO product (singleton, name, vision) VALUES (1, ?1, ?2) \
         ON CONFLICT (singleton) DO UPDATE SET name = excluded.name, vision = excluded.vision",
        params![product.name.trim(), product.vision],
    )?;
    Ok(())
}

fn column_from_row(row: &Row<'_>) -> rusqlite::Result<Column> {
    Ok(Column {
        column_id: ColumnId(row.get(0)?),
        name: row.get(1)?,
        position: row.get(2)?,
        wip_limit: row.get(3)?,
        is_done: row.get(4)?,
    })
}

/// Board columns, left to right.
///
/// # Errors
/// A SQLite error.
pub fn columns_in_tx(connection: &Connection) -> Result<Vec<Column>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT column_id, name, position, wip_limit, is_done FROM board_columns ORDER BY position, column_id",
    )?;
    Ok(statement.query_map([], column_from_row)?.collect::<Result<_, _>>()?)
}

/// Adds a column; returns it with its id.
///
/// # Errors
/// [`StoreError::Invalid`] for an empty name or a zero limit.
pub fn insert_column_in_tx(connection: &Connection, column: &Column) -> Result<Column, StoreError> {
    column.validate()?;
    connection.execute(
        "INSERT INTO board_columns (name, position, wip_limit, is_done) VALUES (?1, ?2, ?3, ?4)",
        params![column.name.trim(), column.position, column.wip_limit, column.is_done],
    )?;
    Ok(Column { column_id: ColumnId(connection.last_insert_rowid()), ..column.clone() })
}

/// Saves a column's name, position, limit and done flag.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::NotFound`].
pub fn update_column_in_tx(connection: &Connection, column: &Column) -> Result<(), StoreError> {
    column.validate()?;
    let rows = connection.execute(
        "UPDATE board_columns SET name = ?2, position = ?3, wip_limit = ?4, is_done = ?5 WHERE column_id = ?1",
        params![column.column_id.0, column.name.trim(), column.position, column.wip_limit, column.is_done],
    )?;
    changed(rows, "column", column.column_id.0)
}

/// Makes the board's columns exactly `columns`: updates or re-creates each (keeping its id) and deletes
/// the others, which must be empty. Used by undo and redo of column commands.
///
/// # Errors
/// [`StoreError::Invalid`] or [`StoreError::ColumnNotEmpty`].
pub fn set_columns_in_tx(connection: &Connection, columns: &[Column]) -> Result<(), StoreError> {
    let keep: Vec<i64> = columns.iter().map(|column| column.column_id.0).collect();
    for existing in columns_in_tx(connection)? {
        if !keep.contains(&existing.column_id.0) {
            delete_column_in_tx(connection, existing.column_id)?;
        }
    }
    for column in columns {
        column.validate()?;
        connection.execute(
            "INSERT INTO board_columns (column_id, name, position, wip_limit, is_done) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (column_id) DO UPDATE SET name = excluded.name, position = excluded.position, \
             wip_limit = excluded.wip_limit, is_done = excluded.is_done",
            params![column.column_id.0, column.name.trim(), column.position, column.wip_limit, column.is_done],
        )?;
    }
    Ok(())
}

/// Deletes an empty column.
///
/// # Errors
/// [`StoreError::ColumnNotEmpty`] while items remain in it.
pub fn delete_column_in_tx(connection: &Connection, column_id: ColumnId) -> Result<(), StoreError> {
    let count: i64 =
        connection.query_row("SELECT count(*) FROM items WHERE column_id = ?1", [column_id.0], |row| row.get(0))?;
    if count > 0 {
        let name: String = connection
            .query_row("SELECT name FROM board_columns WHERE column_id = ?1", [column_id.0], |row| row.get(0))
            .optional()?
            .unwrap_or_default();
        let archived: i64 = connection.query_row(
            "SELECT count(*) FROM items WHERE column_id = ?1 AND archived_at IS NOT NULL",
            [column_id.0],
            |row| row.get(0),
        )?;
        if archived == count {
            return Err(StoreError::Conflict(format!(
                "The column '{name}' still holds {count} archived items, which keep their column for the delivery charts. Nothing was changed; put them back on the board from Board ▸ Archived and move them to another column first."
            )));
        }
        return Err(StoreError::ColumnNotEmpty { name, count });
    }
    let rows = connection.execute("DELETE FROM board_columns WHERE column_id = ?1", [column_id.0])?;
    changed(rows, "column", column_id.0)
}

store_methods! {
    /// Saves the product.
    update_product(product: &Product) -> () => update_product_in_tx;
    /// Adds a column.
    insert_column(column: &Column) -> Column => insert_column_in_tx;
    /// Saves a column.
    update_column(column: &Column) -> () => update_column_in_tx;
    /// Deletes an empty column.
    delete_column(column_id: ColumnId) -> () => delete_column_in_tx;
}
