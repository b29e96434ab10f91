//! Small reusable widgets.

pub mod a11y;
pub mod card;
pub mod window;
