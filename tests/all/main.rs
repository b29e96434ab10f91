//! Every integration test in one binary: each test binary links egui, wgpu and SQLite again, so one
//! binary instead of eight saves most of the test build's link time. Run one area with
//! `cargo test --test all gui::` (or `board::`, `store::`, …).
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

mod a11y;
mod app;
mod archive;
mod baselines;
mod board;
mod card_menu;
mod cli;
mod comments;
mod dates;
mod gui;
mod import_honesty;
mod interchange;
mod labels;
mod merge;
mod metrics;
mod opening;
mod ordering;
mod people;
mod research;
mod roadmap;
mod sprint_lifecycle;
mod store;
mod subtasks;
mod workshop;
