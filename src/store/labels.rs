//! Label colours (`label_colours`): one row per coloured label, keyed by the label's text.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use crate::model::Colour;

/// Every coloured label and its colour.
///
/// # Errors
/// A store error; a colour the file holds that is not `#rrggbb` is a damaged file.
pub fn label_colours_in_tx(connection: &Connection) -> Result<BTreeMap<String, Colour>, StoreError> {
    let mut statement = connection.prepare_cached("SELECT label, colour FROM label_colours ORDER BY label")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    let mut colours = BTreeMap::new();
    for row in rows {
        let (label, hex) = row?;
        let colour = Colour::from_hex(&hex)
            .ok_or_else(|| StoreError::Corrupt(format!("the label '{label}' has the colour '{hex}'")))?;
        colours.insert(label, colour);
    }
    Ok(colours)
}

/// A label's colour, if it has one.
///
/// # Errors
/// A store error.
pub fn label_colour_in_tx(connection: &Connection, label: &str) -> Result<Option<Colour>, StoreError> {
    let hex: Option<String> = connection
        .prepare_cached("SELECT colour FROM label_colours WHERE label = ?1")?
        .query_row([label], |row| row.get(0))
        .optional()?;
    Ok(hex.and_then(|hex| Colour::from_hex(&hex)))
}

/// Gives `label` a colour, or takes its colour away (`None`).
///
/// # Errors
/// [`StoreError::Invalid`] for a label items could not have; a store error.
pub fn set_label_colour_in_tx(connection: &Connection, label: &str, colour: Option<Colour>) -> Result<(), StoreError> {
    let label = label.trim();
    crate::model::label::check_label(label)?;
    match colour {
        Some(colour) => connection.prepare_cached(
            "INSERT INTO label_colours (label, colour) VALUES (?1, ?2) ON CONFLICT (label) DO UPDATE SET colour = excluded.colour",
        )?
        .execute(params![label, colour.to_hex()])?,
        None => connection.prepare_cached("DELETE FROM label_colours WHERE label = ?1")?.execute([label])?,
    };
    Ok(())
}
