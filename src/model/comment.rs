//! Comments: the discussion between the PM and the PO on an item, oldest first.

use serde::{Deserialize, Serialize};

use super::error::require_text;
use super::{CommentId, ItemId, Timestamp, ValidationError};

/// Longest comment kept, in characters.
pub const MAX_COMMENT_LEN: usize = 10_000;
/// Longest author name kept, in characters.
pub const MAX_AUTHOR_LEN: usize = 100;

/// One comment on an item: who wrote what, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    /// Its id; `CommentId(0)` before it is stored.
    pub comment_id: CommentId,
    /// The item it is about.
    pub item_id: ItemId,
    /// Who wrote it, as they named themselves ("Dana (PO)").
    pub author: String,
    /// What they wrote.
    pub text: String,
    /// When it was written.
    pub created_at: Timestamp,
}

impl Comment {
    /// A new comment, not yet stored.
    #[must_use]
    pub fn new(item_id: ItemId, author: &str, text: &str, now: Timestamp) -> Self {
        Self {
            comment_id: CommentId(0),
            item_id,
            author: author.trim().to_owned(),
            text: text.trim().to_owned(),
            created_at: now,
        }
    }

    /// Checks the comment against the domain's rules.
    ///
    /// # Errors
    /// The first rule broken: an empty author or text, or one too long.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("name of the comment's author", &self.author, MAX_AUTHOR_LEN)?;
        require_text("comment", &self.text, MAX_COMMENT_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_needs_an_author_and_words_within_their_limits() {
        let now = Timestamp::UNIX_EPOCH;
        assert!(Comment::new(ItemId(1), " Dana ", " Looks good ", now).validate().is_ok());
        assert_eq!(Comment::new(ItemId(1), " Dana ", " Looks good ", now).author, "Dana");
        assert!(matches!(
            Comment::new(ItemId(1), "", "text", now).validate(),
            Err(ValidationError::Empty { field: "name of the comment's author" })
        ));
        assert!(matches!(Comment::new(ItemId(1), "Dana", "  ", now).validate(), Err(ValidationError::Empty { .. })));
        let long = "x".repeat(MAX_COMMENT_LEN + 1);
        assert!(matches!(
            Comment::new(ItemId(1), "Dana", &long, now).validate(),
            Err(ValidationError::TooLong { length, .. }) if length == MAX_COMMENT_LEN + 1
        ));
    }
}
