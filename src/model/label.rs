//! Label colours: a label is free text on items; the workspace may give a label a colour, chosen from a
//! palette of named colours (Trello's), so a colour always has a name a user can read and hear.

use super::error::require_text;
use super::{Colour, ValidationError};

/// The colours a label can have, with the names users see (and Trello's export uses, in lower case).
pub const LABEL_PALETTE: [(&str, Colour); 10] = [
    ("Green", Colour([0x4b, 0xce, 0x97])),
    ("Yellow", Colour([0xf5, 0xcd, 0x47])),
    ("Orange", Colour([0xfe, 0xa3, 0x62])),
    ("Red", Colour([0xf8, 0x71, 0x68])),
    ("Purple", Colour([0x9f, 0x8f, 0xef])),
    ("Blue", Colour([0x57, 0x9d, 0xff])),
    ("Sky", Colour([0x6c, 0xc3, 0xe0])),
    ("Lime", Colour([0x94, 0xc7, 0x48])),
    ("Pink", Colour([0xe7, 0x74, 0xbb])),
    ("Black", Colour([0x85, 0x90, 0xa2])),
];

/// Checks a label's text as items keep it: 1 to 60 characters, no comma or line break.
///
/// # Errors
/// The rule broken.
pub fn check_label(label: &str) -> Result<(), ValidationError> {
    require_text("label", label, 60)?;
    if label.contains([',', '\n', '\r']) {
        return Err(ValidationError::BadLabel(label.to_owned()));
    }
    Ok(())
}

/// The palette's name of a colour, or its `#rrggbb` when it is not in the palette.
#[must_use]
pub fn colour_name(colour: Colour) -> String {
    LABEL_PALETTE
        .iter()
        .find(|(_, known)| *known == colour)
        .map_or_else(|| colour.to_hex(), |(name, _)| (*name).to_owned())
}

/// A Trello colour name (`green`, `green_dark`, `green_light`…): its palette colour, and whether it was a
/// shade that Tandem keeps as its base colour.
#[must_use]
pub fn from_trello(name: &str) -> Option<(Colour, bool)> {
    let lower = name.trim().to_ascii_lowercase();
    let (base, shade) = match lower.split_once('_') {
        Some((base, "dark" | "light")) => (base.to_owned(), true),
        _ => (lower, false),
    };
    LABEL_PALETTE.iter().find(|(known, _)| known.eq_ignore_ascii_case(&base)).map(|(_, colour)| (*colour, shade))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trello_colours_and_their_shades_map_to_the_palette() {
        assert_eq!(from_trello("green"), Some((LABEL_PALETTE[0].1, false)));
        assert_eq!(from_trello("purple_dark"), Some((LABEL_PALETTE[4].1, true)));
        assert_eq!(from_trello("plaid"), None);
        assert_eq!(colour_name(LABEL_PALETTE[6].1), "Sky");
        assert_eq!(colour_name(Colour([1, 2, 3])), "#010203");
    }
}
