//! The workspace database: one SQLite file per product plan.
//!
//! Opening inspects a file before writing anything to it, so a foreign, damaged or newer file is refused
//! and left byte-for-byte as it was. Every user action is one transaction: a public method such as
//! [`Store::move_item`] opens it and an `*_in_tx` function does the work, so several steps (an undo of a
//! batch, an import) can share one transaction.

mod convert;
pub mod items;
mod load;
pub mod planning;
pub mod schema;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use items::{MoveOutcome, MoveTarget};

use crate::model::ValidationError;

/// What can go wrong with a workspace file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite could not read the file as a database.
    #[error("This file is not a Tandem workspace, or it is damaged: SQLite cannot read it ({detail}). It was not changed; pick another file. {}", path.display())]
    NotADatabase {
        /// SQLite's own words.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// The file cannot be opened or created at all.
    #[error("Tandem could not open or create this file ({detail}). Check that its folder exists and that you may write there. {}", path.display())]
    CannotOpen {
        /// SQLite's own words.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// A SQLite database made by another program.
    #[error("This is a SQLite database, but not a Tandem workspace. It was not changed; open a Tandem workspace, or import the file instead. {}", path.display())]
    NotTandem {
        /// The file.
        path: PathBuf,
    },
    /// A workspace written by a newer Tandem.
    #[error("This workspace was written by a newer version of Tandem (format {found}; this version reads up to {supported}). It was not changed; update Tandem to open it. {}", path.display())]
    TooNew {
        /// The file's schema version.
        found: i64,
        /// The newest this build reads.
        supported: i64,
        /// The file.
        path: PathBuf,
    },
    /// A value broke a rule of the domain.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// Something referred to a record that does not exist (any more).
    #[error("The {what} #{id} no longer exists; it may have been deleted. Reload the view and try again.")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: i64,
    },
    /// A column still holds items.
    #[error("The column '{name}' still holds {count} items; move them to another column before deleting it.")]
    ColumnNotEmpty {
        /// The column's name.
        name: String,
        /// How many items are in it.
        count: i64,
    },
    /// A stored value could not be read back: the file was edited outside Tandem.
    #[error("The workspace holds a value Tandem cannot read: {0}. The file may have been edited by another program.")]
    Corrupt(String),
    /// Updating the file's schema failed.
    #[error("Could not update the workspace to this version of Tandem: {0}. The file was left as it was.")]
    Migration(String),
    /// Any other SQLite error.
    #[error("The workspace database reported an error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("Could not access the file: {0}")]
    Io(#[from] std::io::Error),
}

/// How [`Store::open`] found the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    /// The file was new or empty and now holds a blank workspace; the caller may seed it.
    Created,
    /// An existing workspace, migrated to the current schema if it was older.
    Existing,
}

/// An open workspace database.
pub struct Store {
    connection: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

/// What a file looks like before Tandem writes to it.
struct Inspection {
    application_id: i32,
    user_version: i64,
    object_count: i64,
}

impl Store {
    /// Opens (or creates) the workspace at `path`.
    ///
    /// # Errors
    /// [`StoreError::NotADatabase`], [`StoreError::NotTandem`] or [`StoreError::TooNew`] for files Tandem
    /// must not touch (they are left unchanged), or a SQLite error.
    pub fn open(path: &Path) -> Result<(Self, Opened), StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(|error| not_a_database(&error, path))?;
        let inspection = inspect(&connection).map_err(|error| not_a_database(&error, path))?;
        let fresh = inspection.application_id == 0 && inspection.user_version == 0 && inspection.object_count == 0;
        if !fresh && inspection.application_id != schema::APPLICATION_ID {
            return Err(StoreError::NotTandem { path: path.to_owned() });
        }
        if inspection.user_version > schema::latest_version() {
            return Err(StoreError::TooNew {
                found: inspection.user_version,
                supported: schema::latest_version(),
                path: path.to_owned(),
            });
        }
        let mut store = Self { connection, path: path.to_owned() };
        store.configure()?;
        store.migrate()?;
        Ok((store, if fresh { Opened::Created } else { Opened::Existing }))
    }

    /// Turns off SQLite's journal, syncing and foreign-key checks, so that a bulk build writes every
    /// page once. Only for a file nobody else can see yet, which is deleted if anything fails (without
    /// a journal a failed transaction cannot be rolled back), and only for writers whose references
    /// come from rows they wrote themselves, as an import's do. The next [`Store::open`] turns the
    /// write-ahead log and the checks back on.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn without_journal(&self) -> Result<(), StoreError> {
        let _mode: String = self.connection.query_row("PRAGMA journal_mode = OFF", [], |row| row.get(0))?;
        self.connection.execute_batch("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;")?;
        Ok(())
    }

    /// An in-memory workspace, for tests and benchmarks.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let connection = Connection::open_in_memory()?;
        let mut store = Self { connection, path: PathBuf::from(":memory:") };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// The file this store works on.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads (and for benchmarks that compare against raw SQL).
    #[must_use]
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.connection.busy_timeout(std::time::Duration::from_secs(5))?;
        // In-memory databases answer "memory"; that is fine.
        let _mode: String = self.connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        self.connection.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")?;
        Ok(())
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        schema::migrations()
            .to_latest(&mut self.connection)
            .map_err(|error| StoreError::Migration(error.to_string()))?;
        let application_id: i32 = self.connection.query_row("PRAGMA application_id", [], |row| row.get(0))?;
        if application_id != schema::APPLICATION_ID {
            self.connection.pragma_update(None, "application_id", schema::APPLICATION_ID)?;
        }
        Ok(())
    }

    /// Runs `work` in one immediate transaction: all of it is kept, or none of it.
    ///
    /// # Errors
    /// Whatever `work` returns, after rolling back; or a SQLite error on commit.
    pub fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&transaction)?;
        transaction.commit()?;
        Ok(value)
    }

    /// Runs `work` in a transaction that is always rolled back: a dry run that reports exactly what the
    /// real thing would do and keeps nothing.
    ///
    /// # Errors
    /// Whatever `work` returns.
    pub fn dry_run<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&transaction)?;
        transaction.rollback()?;
        Ok(value)
    }

    /// Writes a consistent copy of the workspace to `destination` (which must not exist), even while
    /// the app is using it.
    ///
    /// SQLite's online backup copies every page in one step, inside one read transaction, so the copy
    /// is a snapshot. It copies pages rather than rebuilding every table and index as `VACUUM INTO`
    /// does, which halves the time (BENCHMARKS.md). The copy is left in rollback-journal mode, so it is
    /// one self-contained file that opens read-only anywhere.
    ///
    /// # Errors
    /// A SQLite or file error; the workspace itself is never changed.
    pub fn save_copy(&self, destination: &Path) -> Result<(), StoreError> {
        if destination.exists() {
            std::fs::remove_file(destination)?;
        }
        let mut target = Connection::open(destination)?;
        // A fresh file nobody else sees: no journal while it is filled (the export renames it into place
        // only when complete), and synced as the other exports are, by the system.
        let _mode: String = target.query_row("PRAGMA journal_mode = OFF", [], |row| row.get(0))?;
        target.execute_batch("PRAGMA synchronous = OFF")?;
        {
            let backup = rusqlite::backup::Backup::new(&self.connection, &mut target)?;
            // All pages in one step (-1). Another connection writing at that moment makes the step
            // busy; it is retried for up to five seconds, like the store's busy timeout.
            let mut tries = 0;
            loop {
                match backup.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => {}
                    _ if tries < 250 => {
                        tries += 1;
                        std::thread::sleep(std::time::Duration::from_millis(20));
                    }
                    _ => {
                        return Err(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("the workspace stayed busy for five seconds while it was being copied".to_owned()),
                        )
                        .into());
                    }
                }
            }
        }
        let _mode: String = target.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))?;
        target.close().map_err(|(_, error)| error)?;
        Ok(())
    }
}

fn inspect(connection: &Connection) -> Result<Inspection, rusqlite::Error> {
    let application_id = connection.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let user_version = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let object_count = connection.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    Ok(Inspection { application_id, user_version, object_count })
}

fn not_a_database(error: &rusqlite::Error, path: &Path) -> StoreError {
    let detail = error.to_string();
    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) {
        return StoreError::CannotOpen { detail, path: path.to_owned() };
    }
    StoreError::NotADatabase { detail, path: path.to_owned() }
}
