//! Small reusable widgets.

pub mod card;
