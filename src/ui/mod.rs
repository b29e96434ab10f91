//! The egui front end. Views draw from the in-memory workspace and emit [`UiAction`]s; the shell
//! ([`TandemApp`]) carries them out after the frame's drawing, through [`crate::app::App`] for
//! anything that changes data. Views never touch the database.

mod action;
pub mod board;
pub mod columns;
pub mod comments;
pub mod editor;
pub mod file_dialog;
mod input_order;
pub mod metrics;
pub mod product;
pub mod research;
pub mod roadmap;
pub mod shell;
pub mod shortcuts;
pub mod sprint_lifecycle;
pub mod sprints;
pub mod subtasks;
pub mod theme;
pub mod widgets;

pub use action::{UiAction, View};
pub use input_order::InputOrder;
pub use shell::{FIRST_SCREEN_ABOVE, Preferences, Startup, TandemApp};
