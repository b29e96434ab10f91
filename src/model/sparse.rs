//! Groups of fields that most values leave empty, kept on the heap only when one of them is set.

use std::ops::{Deref, DerefMut};

/// A group of fields with an empty value that every [`Sparse`] without room reads.
pub trait Empty: Default + PartialEq + 'static {
    /// The empty group, shared.
    fn empty() -> &'static Self;

    /// Gives back the room of empty groups nested inside this one.
    fn shrink_inner(&mut self) {}
}

/// A group of fields on the heap only when one of them is set: empty, it costs one pointer.
///
/// It reads like the group itself (`item.details.description`), the empty group when there is no room;
/// writing a field (`item.details.description = …`) makes room first. An empty group with room and one
/// without are equal.
#[derive(Clone)]
pub struct Sparse<T: Empty>(Option<Box<T>>);

impl<T: Empty> Sparse<T> {
    /// No room: every field empty.
    pub const NONE: Self = Self(None);

    /// Gives the room back when every field is empty again (after an edit cleared them).
    pub fn shrink(&mut self) {
        if let Some(group) = self.0.as_deref_mut() {
            group.shrink_inner();
            if group == T::empty() {
                self.0 = None;
            }
        }
    }

    /// The group itself, the empty one when there is no room.
    #[must_use]
    pub fn into_inner(self) -> T {
        self.0.map_or_else(T::default, |group| *group)
    }

    /// Whether room is kept (for tests of what loading keeps).
    #[must_use]
    pub fn is_allocated(&self) -> bool {
        self.0.is_some()
    }
}

impl<T: Empty> Default for Sparse<T> {
    fn default() -> Self {
        Self::NONE
    }
}

impl<T: Empty> From<T> for Sparse<T> {
    fn from(mut group: T) -> Self {
        group.shrink_inner();
        if group == *T::empty() { Self(None) } else { Self(Some(Box::new(group))) }
    }
}

impl<T: Empty> Deref for Sparse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or_else(|| T::empty())
    }
}

impl<T: Empty> DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Empty> PartialEq for Sparse<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Empty + std::fmt::Debug> std::fmt::Debug for Sparse<T> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(formatter)
    }
}

#[cfg(test)]
mod tests {
    use super::{Empty, Sparse};

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Note {
        text: String,
    }

    static NO_NOTE: Note = Note { text: String::new() };

    impl Empty for Note {
        fn empty() -> &'static Self {
            &NO_NOTE
        }
    }

    #[test]
    fn room_is_made_on_write_and_given_back_when_empty() {
        let mut note: Sparse<Note> = Sparse::default();
        assert_eq!(note.text, "", "reads the empty group");
        assert!(!note.is_allocated());
        note.text.push_str("Kept");
        assert!(note.is_allocated());
        assert_eq!(note.clone().into_inner().text, "Kept");
        note.text.clear();
        assert_eq!(note, Sparse::NONE, "empty with room equals empty without");
        note.shrink();
        assert!(!note.is_allocated());
        assert!(!Sparse::from(Note::default()).is_allocated());
        assert!(Sparse::from(Note { text: "x".into() }).is_allocated());
        assert_eq!(format!("{:?}", Sparse::<Note>::NONE), r#"Note { text: "" }"#);
    }
}
