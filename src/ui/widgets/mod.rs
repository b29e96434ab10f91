//! Small reusable widgets.

pub mod a11y;
pub mod card;
pub mod date_picker;
pub mod record_window;
pub mod saving;
pub mod window;

pub use crate::interchange::convert::count;
