//! Label colours: a label is free text on items; the workspace may give a label a colour, chosen from a
//! palette of named colours (Trello's), so a colour always has a name a user can read and hear.

use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use super::error::require_text;
use super::{Colour, ValidationError};

/// An item's labels, read as a slice of strings.
///
/// Items with the same labels may share one list: loading a workspace keeps each distinct set of labels
/// once ([`LabelSets`]), so 100,000 cards carrying a few dozen sets hold a few dozen lists, and an item
/// without labels holds none. A list is never changed in place; an edit gives the item a new one.
#[derive(Clone, Default)]
pub struct Labels(Option<Arc<[String]>>);

impl Labels {
    /// No labels.
    pub const NONE: Self = Self(None);

    /// The labels as a vector to edit.
    #[must_use]
    pub fn to_vec(&self) -> Vec<String> {
        self.as_slice().to_vec()
    }

    /// The labels.
    #[must_use]
    pub fn as_slice(&self) -> &[String] {
        self.0.as_deref().unwrap_or(&[])
    }

    /// The identity of the list it shares: the same for every item sharing it, 0 for none. Two lists
    /// with the same labels may have different identities: for counting by list before by label.
    #[must_use]
    pub fn list_key(&self) -> usize {
        self.0.as_ref().map_or(0, |list| Arc::as_ptr(list).cast::<String>().addr())
    }

    /// Whether two items share one list (for tests of what loading keeps).
    #[must_use]
    pub fn shares_with(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(mine), Some(theirs)) => Arc::ptr_eq(mine, theirs),
            _ => false,
        }
    }
}

impl Deref for Labels {
    type Target = [String];

    fn deref(&self) -> &[String] {
        self.as_slice()
    }
}

impl Borrow<[String]> for Labels {
    fn borrow(&self) -> &[String] {
        self.as_slice()
    }
}

impl From<Vec<String>> for Labels {
    fn from(labels: Vec<String>) -> Self {
        if labels.is_empty() { Self::NONE } else { Self(Some(labels.into())) }
    }
}

impl From<&[String]> for Labels {
    fn from(labels: &[String]) -> Self {
        if labels.is_empty() { Self::NONE } else { Self(Some(labels.into())) }
    }
}

impl FromIterator<String> for Labels {
    fn from_iter<I: IntoIterator<Item = String>>(labels: I) -> Self {
        labels.into_iter().collect::<Vec<_>>().into()
    }
}

impl<'labels> IntoIterator for &'labels Labels {
    type Item = &'labels String;
    type IntoIter = std::slice::Iter<'labels, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl PartialEq for Labels {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Labels {}

impl PartialEq<Vec<String>> for Labels {
    fn eq(&self, other: &Vec<String>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Hash for Labels {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // As the slice hashes, so that a set of `Labels` can be asked with a slice.
        self.as_slice().hash(state);
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_list().entries(self.as_slice()).finish()
    }
}

/// The distinct sets of labels met while loading, each kept once and handed to every item that carries it.
#[derive(Default)]
pub struct LabelSets(std::collections::HashSet<Labels, foldhash::fast::RandomState>);

impl LabelSets {
    /// The shared list holding `labels`, made the first time a set is met.
    pub fn share(&mut self, labels: &[String]) -> Labels {
        if let Some(known) = self.0.get(labels) {
            return known.clone();
        }
        let new = Labels::from(labels);
        self.0.insert(new.clone());
        new
    }
}

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

    #[test]
    fn items_with_the_same_labels_share_one_list() {
        let mut sets = LabelSets::default();
        let first = sets.share(&["a11y".to_owned(), "i18n".to_owned()]);
        let second = sets.share(&["a11y".to_owned(), "i18n".to_owned()]);
        let other = sets.share(&["a11y".to_owned()]);
        assert!(first.shares_with(&second), "the same set is kept once");
        assert!(!first.shares_with(&other));
        assert_eq!(first, vec!["a11y".to_owned(), "i18n".to_owned()]);
        assert_eq!(other.len(), 1);
        assert!(sets.share(&[]).is_empty());
        assert!(!Labels::NONE.shares_with(&Labels::NONE), "no labels hold no list");
        assert_eq!(Labels::from(Vec::new()), Labels::NONE);
        assert_eq!(format!("{first:?}"), r#"["a11y", "i18n"]"#);
    }
}
