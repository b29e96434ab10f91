//! Baselines and comparisons for the window and the command line: save the plan as it stands under a
//! name, and compare the plan with a baseline or with another copy of it.

use std::path::Path;

use jiff::Timestamp;

use super::App;
use crate::interchange::InterchangeError;
use crate::model::compare::{Difference, PlanSnapshot, compare};
use crate::store::StoreError;
use crate::store::baselines::Baseline;

/// What the plan was compared with, and what differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// What the plan was compared with, in words, for headings ("the baseline 'Before PI 4' of 3 Dec
    /// 2026 10:15").
    pub against: String,
    /// How to read the list: which side is "before".
    pub reading: String,
    /// The differences, in the change list's order.
    pub differences: Vec<Difference>,
    /// What the comparison could not look at, in a sentence (a baseline saved before baselines kept the
    /// objectives and the research).
    pub left_out: Option<String>,
}

impl Comparison {
    /// The whole comparison as text: a heading, then the differences grouped by kind, as
    /// `tandem compare` prints it.
    #[must_use]
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let count = self.differences.len();
        let mut out = match count {
            0 => format!("Compared with {}: no differences.\n", self.against),
            1 => format!("Compared with {}: 1 difference. {}\n", self.against, self.reading),
            _ => format!(
                "Compared with {}: {}. {}\n",
                self.against,
                crate::interchange::convert::plural(count, "difference"),
                self.reading
            ),
        };
        if let Some(left_out) = &self.left_out {
            let _ = writeln!(out, "{left_out}");
        }
        for kind in crate::model::compare::DifferenceKind::ALL {
            let mut entries = self.differences.iter().filter(|difference| difference.kind == kind).peekable();
            if entries.peek().is_some() {
                let _ = writeln!(out, "{}:", kind.label());
                for difference in entries {
                    let _ = writeln!(out, "  {}", difference.text);
                }
            }
        }
        out
    }
}

/// Why a comparison with another file could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The open workspace could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The other file was refused or could not be read.
    #[error(transparent)]
    File(#[from] InterchangeError),
    /// The two files share no item: they are two different plans.
    #[error("These are two different plans: {} does not hold this workspace's items under their numbers, so comparing them item by item would mean nothing. To bring its items in, use File ▸ Import instead.", path.display())]
    Unrelated {
        /// The other file.
        path: std::path::PathBuf,
    },
}

/// How a baseline is named in sentences.
#[must_use]
pub fn baseline_words(baseline: &Baseline) -> String {
    let local = baseline.created_at.to_zoned(jiff::tz::TimeZone::system());
    format!("the baseline '{}' of {}", baseline.name, local.strftime("%-d %b %Y %H:%M"))
}

impl App {
    /// Saves the plan as it stands as a baseline; returns it and a sentence for the status bar.
    ///
    /// # Errors
    /// An empty, over-long or taken name, or a store error; nothing is saved then.
    pub fn save_baseline(&mut self, name: &str, note: &str) -> Result<(Baseline, String), StoreError> {
        let baseline = self.store.save_baseline(name, note, Timestamp::now())?;
        let said = format!(
            "Saved {} ({} items). Compare with it at any time (File ▸ Compare…).",
            baseline_words(&baseline),
            baseline.items
        );
        Ok((baseline, said))
    }

    /// The saved baselines, oldest first.
    ///
    /// # Errors
    /// A store error.
    pub fn baselines(&self) -> Result<Vec<Baseline>, StoreError> {
        self.store.baselines()
    }

    /// The saved baselines, oldest first, their item counts taken from `known` where it has them
    /// ([`crate::store::Store::baselines_knowing`]).
    ///
    /// # Errors
    /// A store error.
    pub fn baselines_knowing(&self, known: &[Baseline]) -> Result<Vec<Baseline>, StoreError> {
        self.store.baselines_knowing(known)
    }

    /// Deletes a baseline; returns a sentence for the status bar.
    ///
    /// # Errors
    /// No such baseline, or a store error.
    pub fn delete_baseline(&mut self, name: &str) -> Result<String, StoreError> {
        let baseline = self.store.delete_baseline(name)?;
        Ok(format!("Deleted {}; the plan itself is unchanged.", baseline_words(&baseline)))
    }

    /// What changed since the baseline called `name`.
    ///
    /// # Errors
    /// No such baseline, or a store error.
    pub fn compare_with_baseline(&self, name: &str) -> Result<Comparison, StoreError> {
        compare_with_baseline_in(self.store.connection(), name)
    }

    /// How the copy at `other` differs from this workspace: "added" are items only the copy has,
    /// "removed" those only this workspace has. The copy is read as untrusted input and never written.
    ///
    /// # Errors
    /// [`CompareError`]: the copy refused or unreadable, or two unrelated plans.
    pub fn compare_with_file(&self, other: &Path) -> Result<Comparison, CompareError> {
        compare_with_file_in(self.store.connection(), other)
    }
}

/// What the Compare panel compares the plan with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompareWith {
    /// A baseline saved in the workspace, by name.
    Baseline(String),
    /// Another copy of the plan (a .sqlite file), read as untrusted input.
    Copy(std::path::PathBuf),
}

/// The comparison with `with`, worked out through a read-only connection of its own to the workspace
/// file `workspace`, in one read transaction: what a worker thread runs so that the window does not
/// wait for it on a large plan (reading both plans takes a third of a second or more at 100,000 items).
///
/// # Errors
/// Why it could not be made, in a sentence.
pub fn compare_in_file(workspace: &Path, with: &CompareWith) -> Result<Comparison, String> {
    let words = |error: &dyn std::fmt::Display| error.to_string();
    let connection =
        crate::store::reading_connection(workspace, std::time::Duration::from_secs(2)).map_err(|error| {
            format!(
                "The workspace could not be read to compare it ({error}). Close the Compare panel and open it again."
            )
        })?;
    // One snapshot of the file for every read, whatever another window commits meanwhile.
    let reading = connection.unchecked_transaction().map_err(|error| words(&error))?;
    match with {
        CompareWith::Baseline(name) => compare_with_baseline_in(&reading, name).map_err(|error| words(&error)),
        CompareWith::Copy(path) => compare_with_file_in(&reading, path).map_err(|error| words(&error)),
    }
}

/// What changed since the baseline called `name`, read through `connection`.
///
/// # Errors
/// No such baseline, or a store error.
fn compare_with_baseline_in(connection: &rusqlite::Connection, name: &str) -> Result<Comparison, StoreError> {
    let baseline = crate::store::baselines::baseline_named_in(connection, name)?;
    let before = crate::store::baselines::baseline_snapshot_in(connection, baseline.baseline_id)?;
    let now = crate::store::baselines::snapshot_of(connection)?;
    let left_out = before.objectives_and_research.is_none().then(|| {
        format!(
            "The baseline '{}' was saved by an earlier Tandem, which kept only items, epics and KPIs in baselines: \
             objectives and UX research are not compared with it. A baseline saved now keeps them too.",
            baseline.name
        )
    });
    Ok(Comparison {
        against: baseline_words(&baseline),
        reading: "Each entry says what changed since then.".to_owned(),
        differences: compare(&before, &now),
        left_out,
    })
}

/// How the copy at `other` differs from the plan `connection` reads.
///
/// # Errors
/// [`CompareError`]: the copy refused or unreadable, or two unrelated plans.
fn compare_with_file_in(connection: &rusqlite::Connection, other: &Path) -> Result<Comparison, CompareError> {
    let theirs = snapshot_of_file(other)?;
    let mine = crate::store::baselines::snapshot_of(connection)?;
    if !mine.shares_history_with(&theirs) {
        return Err(CompareError::Unrelated { path: other.to_owned() });
    }
    let name = other.file_name().map_or_else(|| other.display().to_string(), |name| name.to_string_lossy().into());
    Ok(Comparison {
        against: format!("the copy '{name}'"),
        reading: "Each entry says how the copy differs from this workspace.".to_owned(),
        differences: compare(&mine, &theirs),
        left_out: None,
    })
}

/// Another workspace file as a comparison reads it, from a private checked copy.
fn snapshot_of_file(path: &Path) -> Result<PlanSnapshot, CompareError> {
    let (_folder, store) = crate::interchange::open_sqlite_copy(path)?;
    Ok(store.snapshot()?)
}
