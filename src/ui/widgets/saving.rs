//! Saving a record that a window edits whole (an epic, a sprint, an objective, a KPI) without undoing
//! what changed elsewhere meanwhile: another window or program, or a drag in this one.

/// The record to save: the stored one (`current`) with the fields the user changed since `base` on top,
/// passed through `check` (the record's own rules).
/// When a field was changed on both sides, or the record is gone, nothing is to be saved and the
/// sentence says why; `base` then becomes the stored record, so that saving again replaces those fields
/// with the user's on purpose.
///
/// # Errors
/// The sentence to show in the window.
pub fn merged_for_save<T: Clone, E: std::fmt::Display>(
    base: &mut T,
    mine: &T,
    current: Option<&T>,
    what: &str,
    merge: fn(&T, &T, &T) -> (T, Vec<&'static str>),
    check: fn(&T) -> Result<(), E>,
) -> Result<T, String> {
    let Some(current) = current else {
        return Err(format!(
            "Not saved: {what} was deleted in another window or program (or by an undo) while you edited it. Copy what you need, then close this window."
        ));
    };
    let (merged, conflicts) = merge(base, mine, current);
    *base = current.clone();
    if conflicts.is_empty() {
        check(&merged).map_err(|error| error.to_string())?;
        return Ok(merged);
    }
    Err(format!(
        "Not saved: {what} was changed in another window or program while you edited it, and both changed its {}. Your values are still here and the view shows theirs; save again to replace them with yours, or Cancel to keep theirs.",
        crate::ui::editor::words_list(&conflicts)
    ))
}
