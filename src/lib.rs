//! Tandem: offline planning for a product manager and a product owner, in one SQLite file.
//!
//! Layers, each knowing only the one below it: [`ui`] draws and emits [`app::Command`]s; [`app`] applies
//! them through [`store`] and keeps undo; [`store`] owns the database; [`model`] holds the plain types and
//! their rules. [`interchange`] reads and writes files. See `ARCHITECTURE.md`.

pub mod app;
pub mod bench;
pub mod bench_imports;
pub mod bench_latency;
pub mod build_info;
pub mod demo;
pub mod interchange;
pub mod model;
pub mod script;
pub mod store;
pub mod ui;
