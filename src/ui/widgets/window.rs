//! The one contract every window keeps with the shell: after a frame it is still open, it was closed
//! (nothing is stored), or it asks for a command to be carried out.

use crate::app::Command;

/// What a window asks of the shell after a frame.
#[derive(Clone, Debug, PartialEq)]
#[expect(clippy::large_enum_variant, reason = "one short-lived value per frame, consumed at once")]
pub enum WindowOutcome {
    /// Still open; nothing to do.
    Open,
    /// The user closed it (Cancel, ✖, Esc); nothing is stored.
    Closed,
    /// Carry out this command. The shell closes the window when it succeeded and shows the error in
    /// the window when it did not.
    Apply(Command),
}

impl WindowOutcome {
    /// The outcome of a window that may have a command and may have been closed in the same frame: the
    /// command wins.
    #[must_use]
    pub fn from_parts(command: Option<Command>, closed: bool) -> Self {
        match (command, closed) {
            (Some(command), _) => Self::Apply(command),
            (None, true) => Self::Closed,
            (None, false) => Self::Open,
        }
    }
}
