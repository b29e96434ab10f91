//! The workspace database: one SQLite file per product plan.
//!
//! Opening inspects a file before writing anything to it, so a foreign, damaged or newer file is refused
//! and left byte-for-byte as it was. Every user action is one transaction: a public method such as
//! [`Store::move_item`] opens it and an `*_in_tx` function does the work, so several steps (an undo of a
//! batch, an import) can share one transaction.

/// Writes, for each `*_in_tx` function, the [`Store`] method that runs it in its own transaction.
macro_rules! store_methods {
    ($($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty => $func:ident;)*) => {
        impl Store {$(
            $(#[$doc])*
            ///
            /// # Errors
            /// As the `*_in_tx` function it runs in its own transaction.
            pub fn $name(&mut self, $($arg: $ty),*) -> Result<$ret, StoreError> {
                self.write(|tx| $func(tx, $($arg),*))
            }
        )*}
    };
}

pub mod baselines;
pub mod board;
pub mod changesets;
mod checkpoint;
pub mod comments;
mod convert;
mod files;
mod first_screen;
pub mod items;
pub mod journal;
mod kept_records;
pub mod labels;
mod load;
pub mod lookup;
pub mod merge;
pub mod metrics;
pub mod okrs;
mod recorder;
pub mod research;
pub mod roadmap;
pub mod schema;
pub mod sprints;
pub mod watch;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub(crate) use files::quick_check_left_by_a_load;
pub(crate) use files::schema_objects;
pub use files::{
    SchemaObject, TEMPORARY_PREFIX, check_workspace_file, is_same_file, is_workspace_file, open_for_reading,
    reading_connection, remove_side_files, remove_stale_temporaries, remove_workspace_files, workspace_beside,
};
use files::{
    check_identity, check_workspace_schema, classify, harden, inspect, not_a_database, quick_check_but_item_rules,
    quick_check_item_rules,
};
pub use first_screen::{FIRST_SCREEN_CARDS, read_first_screen};
pub(crate) use items::ITEM_COLUMNS;
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
    /// A Tandem workspace that holds database objects Tandem never creates (triggers, views, extra
    /// indexes, altered tables): such a file could run hidden code on every change.
    #[error("This workspace was not opened because it holds something Tandem never writes: {reason}. A file changed by another program this way could alter or delete your plan behind your back. It was not changed; open another workspace, or ask whoever sent it for a clean copy. {}", path.display())]
    Untrusted {
        /// What was found.
        reason: String,
        /// The file.
        path: PathBuf,
    },
    /// Another program holds a lock on the file.
    #[error("Another program is using this workspace right now (it holds a lock on the file), so Tandem could not {action}. Nothing was changed. Close the other program or window, or try again in a moment. {}", path.display())]
    Busy {
        /// What could not be done, e.g. "open it" or "save the change".
        action: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// No room is left for the file.
    #[error("There is no room left for this workspace (the disk is full, or the file reached its size limit), so Tandem could not {action}. Nothing was changed. Free some disk space and try again. {}", path.display())]
    DiskFull {
        /// What could not be done, e.g. "save the change".
        action: &'static str,
        /// The file.
        path: PathBuf,
    },
    /// The system could not read or write the file.
    #[error("The workspace file could not be read or written ({detail}), so Tandem could not {action}. Nothing was changed. Check the disk or network share the file is on, then try again. {}", path.display())]
    FileIo {
        /// What could not be done.
        action: &'static str,
        /// SQLite's own words.
        detail: String,
        /// The file.
        path: PathBuf,
    },
    /// The file, or its folder, cannot be written.
    #[error("This workspace is read-only: the file or its folder cannot be written, so changes cannot be saved. Nothing was changed. Use File ▸ Save a copy… (on the command line, `tandem export --format sqlite`) to keep working on a copy you can write. {}", path.display())]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// A workspace an older Tandem made, which must be updated before it can be opened, where it cannot
    /// be written (a read-only file, folder, drive or share).
    #[error("This workspace was made by an older version of Tandem and must be updated to open, but its file or folder cannot be written, so it was left as it is. Copy it to a folder you can write to (with your file manager), then open the copy. {}", path.display())]
    CannotUpdate {
        /// The file.
        path: PathBuf,
    },
    /// The file was moved, deleted or replaced by another program while it was open: a write would go
    /// to a file no one else sees any more.
    #[error("This workspace was moved, deleted or replaced by another program while Tandem had it open (a file manager or a sync folder may have done it), so this change was not saved: it would have gone to a file no one else sees. Nothing is lost yet: use File ▸ Save a copy… to keep the plan as this window shows it, then open the file you want to work on. {}", path.display())]
    Replaced {
        /// The file.
        path: PathBuf,
    },
    /// A file SQLite keeps beside a workspace (its log, shared memory or journal), asked for as a
    /// workspace itself.
    #[error("This is a file SQLite keeps beside the workspace '{}' (its log or journal), not a workspace; opening or creating a workspace in it would damage that workspace. It was not changed; open '{}' instead, or choose another name. {}", workspace.display(), workspace.display(), path.display())]
    SideFile {
        /// The workspace it belongs to.
        workspace: PathBuf,
        /// The file.
        path: PathBuf,
    },
    /// Save a copy was pointed at the open workspace itself.
    #[error("That is the open workspace itself, so a copy cannot be saved over it. Nothing was changed; choose another name for the copy. {}", path.display())]
    CopyOntoItself {
        /// The file.
        path: PathBuf,
    },
    /// Save a copy could not write the copy; the workspace itself is unchanged.
    #[error("Could not save the copy: {reason}. Nothing was written there, and the workspace itself is unchanged. {advice} {}", path.display())]
    CopyNotWritten {
        /// Why, in words.
        reason: String,
        /// What to do.
        advice: &'static str,
        /// Where the copy was to go.
        path: PathBuf,
    },
    /// A value broke a rule of the domain.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// Something referred to a record that does not exist (any more).
    #[error(
        "The {what} #{id} no longer exists; it was probably deleted in another window or program. Nothing was changed; the view shows the latest state."
    )]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its id.
        id: i64,
    },
    /// A move named a card to land below that another window or program has moved to another column.
    #[error(
        "The card #{id} is no longer in that column; it was probably moved in another window or program. Nothing was changed; the view shows the latest state."
    )]
    MovedAway {
        /// The card's id.
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
    /// Another column has that name (ignoring case and surrounding spaces).
    #[error(
        "There is already a column called '{0}' (names are compared ignoring capitals). Nothing was saved; choose another name, so that searches, exports and scripts can tell the two apart."
    )]
    ColumnNameTaken(String),
    /// A baseline of that name is already saved.
    #[error("There is already a baseline named '{0}'. Nothing was saved; choose another name.")]
    BaselineExists(String),
    /// No baseline has that name.
    #[error("There is no baseline named '{name}' in this workspace. {known}")]
    NoBaseline {
        /// The name asked for.
        name: String,
        /// The baselines there are, in a sentence.
        known: String,
    },
    /// Another window or program changed what this one was about to overwrite; the sentence says what
    /// and what to do. Nothing was written.
    #[error("{0}")]
    Conflict(String),
    /// A file being imported says something Tandem cannot take in (a reference it does not define, a
    /// value out of range): the sentence names the record and what to fix. Nothing was imported.
    #[error("The file cannot be imported: {0} Nothing was imported; the workspace is as it was.")]
    Refused(String),
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
    /// The file or its folder cannot be written: reads work, every write is refused with a sentence.
    read_only: bool,
    /// SQLite's quick check of an existing file, running on its own read-only connection while the
    /// workspace loads; joined before the first write (and at the end of a load), so a damaged file is
    /// never written to.
    integrity: Option<PendingCheck>,
    /// Whether this session's first write has moved where new ids start ([`journal::spread_ids`]).
    ids_spread: bool,
    /// Whether writes are recorded in the change journal; off while a new file is being built.
    records_changes: bool,
    /// The plan tables' shapes for recording changes, read at the first recorded write.
    shapes: Option<std::sync::Arc<recorder::Shapes>>,
    /// The file this store opened (device and inode, on Unix), to notice when another program moves,
    /// deletes or replaces it while it is open.
    identity: Option<(u64, u64)>,
    /// Copies the write-ahead log into the file off this thread, once the file is in WAL mode.
    checkpointer: Option<checkpoint::Checkpointer>,
}

/// SQLite's quick check of an opened file, under way on a thread beside the load.
struct PendingCheck {
    /// The check of everything but the items table's `CHECK` rules ([`quick_check_but_item_rules`]).
    thread: std::thread::JoinHandle<Result<(), StoreError>>,
    /// Whether a load has read every item within those rules; if not, SQLite checks them too before
    /// the first write.
    item_rules_read: bool,
}

impl Drop for Store {
    /// Waits for the quick check that opening started, so that no connection to the file outlives the
    /// store (its `-wal` and `-shm` side files go away with the last one).
    fn drop(&mut self) {
        if let Some(check) = self.integrity.take() {
            let _verdict = check.thread.join();
        }
        // Its connection closes first: this store's own is then the last, which copies what is left of
        // the log into the file and removes the side files.
        drop(self.checkpointer.take());
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

/// SQLite's page cache for writing, in KiB as `PRAGMA cache_size` takes it (negative): large imports
/// and exports keep their indexes' pages at hand.
const CACHE_KIB: i64 = -65_536;

/// The page cache while a workspace loads: every page is read once, in the order the file keeps
/// it, so a larger cache would only keep the whole file in memory afterwards.
const LOAD_CACHE_KIB: i64 = -4_096;

impl Store {
    /// Opens (or creates) the workspace at `path`.
    ///
    /// # Errors
    /// [`StoreError::NotADatabase`], [`StoreError::NotTandem`] or [`StoreError::TooNew`] for files Tandem
    /// must not touch (they are left unchanged), or a SQLite error.
    pub fn open(path: &Path) -> Result<(Self, Opened), StoreError> {
        Self::open_on(path, false)
    }

    /// [`Store::open`]; with `read_only_medium`, the file is opened read-only and immutable at once, as it
    /// is when it turns out to be on a read-only drive or share, where SQLite cannot make the
    /// shared-memory file beside it that reading a workspace in write-ahead-log mode needs.
    fn open_on(path: &Path, read_only_medium: bool) -> Result<(Self, Opened), StoreError> {
        if let Some(workspace) = files::workspace_beside(path) {
            return Err(StoreError::SideFile { workspace, path: path.to_owned() });
        }
        // An existing file is untrusted until checked, and checked through a read-only connection, so
        // that a refused file is never written to, not even its header.
        let has_content = std::fs::metadata(path).is_ok_and(|meta| meta.len() > 0);
        let mut integrity = None;
        if has_content {
            check_workspace_schema(path)?;
            let checked = path.to_owned();
            let thread = std::thread::Builder::new()
                .name("tandem-quick-check".to_owned())
                .spawn(move || quick_check_but_item_rules(&checked))?;
            integrity = Some(PendingCheck { thread, item_rules_read: false });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // On a read-only drive or share a workspace can still be opened, read-only.
        let connection = if read_only_medium {
            files::open_immutable(path)
        } else if has_content {
            Connection::open_with_flags(path, flags).and_then(|connection| files::or_immutable(path, connection))
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|error| not_a_database(&error, path))?;
        harden(&connection).map_err(|error| not_a_database(&error, path))?;
        let read_only = connection.is_readonly(rusqlite::MAIN_DB).unwrap_or(false);
        let inspection = inspect(&connection).map_err(|error| not_a_database(&error, path))?;
        let fresh = check_identity(&inspection, path)?;
        if read_only && fresh {
            // Creating the schema needs to write.
            return Err(StoreError::ReadOnly { path: path.to_owned() });
        }
        if read_only && inspection.user_version < schema::latest_version() {
            // So does updating it; opened, the file could not even be copied from the window.
            return Err(StoreError::CannotUpdate { path: path.to_owned() });
        }
        let mut store = Self {
            connection,
            path: path.to_owned(),
            read_only,
            integrity,
            ids_spread: false,
            records_changes: true,
            shapes: None,
            identity: file_identity(path),
            checkpointer: None,
        };
        store.configure().map_err(|error| classify(error, "open it", &store.path))?;
        if fresh {
            store.use_wal()?;
        }
        if !read_only {
            if inspection.user_version < schema::latest_version() {
                store.ensure_checked()?;
            }
            store.migrate()?;
        }
        Ok((store, if fresh { Opened::Created } else { Opened::Existing }))
    }

    /// Switches the file to SQLite's write-ahead log, so that readers (an export, another window) never
    /// wait for a writer. [`Store::open`] does this for new files; the app does it for an existing one
    /// only after it loaded cleanly, so a file refused for its values is left exactly as it was.
    ///
    /// # Errors
    /// [`StoreError::Busy`] when another program holds the file, or a SQLite error.
    pub fn use_wal(&mut self) -> Result<(), StoreError> {
        self.ensure_checked()?;
        if self.read_only {
            return Ok(());
        }
        // In-memory databases answer "memory"; that is fine.
        let mode: String = self
            .connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|error| classify(error.into(), "open it", &self.path))?;
        if mode.eq_ignore_ascii_case("wal") && self.checkpointer.is_none() {
            // Commits then do not copy the log into the file themselves (a stall of tens of milliseconds
            // every couple of hundred edits); a thread does, when the edits pause. Without the thread,
            // SQLite's own copying stays as it is.
            if let Ok(checkpointer) = checkpoint::Checkpointer::start(&self.path) {
                self.connection
                    .pragma_update(None, "wal_autocheckpoint", checkpoint::SAFETY_NET_PAGES)
                    .map_err(|error| classify(error.into(), "open it", &self.path))?;
                self.checkpointer = Some(checkpointer);
            }
        }
        Ok(())
    }

    /// Waits for the quick check of the file that opening started, once; its verdict from then on.
    ///
    /// # Errors
    /// [`StoreError::NotADatabase`] when SQLite found damage.
    pub fn ensure_checked(&mut self) -> Result<(), StoreError> {
        let Some(check) = self.integrity.take() else {
            return Ok(());
        };
        let mut verdict = check.thread.join().unwrap_or_else(|_| {
            Err(StoreError::NotADatabase {
                detail: "the check of the file stopped unexpectedly".to_owned(),
                path: self.path.clone(),
            })
        });
        if verdict.is_ok() && !check.item_rules_read {
            // Written without a load (the command line's moves): SQLite checks the items' rules too.
            verdict = quick_check_item_rules(&self.path);
        }
        if verdict.is_err() {
            // Every later write must be refused too.
            self.read_only = true;
            self.integrity = None;
        }
        verdict
    }

    /// Whether the file can only be read (a read-only file or folder).
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Waits at most `timeout` for another program's lock before a write gives up with
    /// [`StoreError::Busy`]. The window uses a short wait so that it never freezes.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<(), StoreError> {
        self.connection.busy_timeout(timeout)?;
        Ok(())
    }

    /// A number that changes whenever another connection (another window, the command line, a sync
    /// tool) commits a change to the file; this connection's own commits leave it as it is.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self.connection.query_row("PRAGMA data_version", [], |row| row.get(0))?)
    }

    /// Turns off SQLite's journal, syncing and foreign-key checks, so that a bulk build writes every
    /// page once. Only for a file nobody else can see yet, which is deleted if anything fails (without
    /// a journal a failed transaction cannot be rolled back), and only for writers whose references
    /// come from rows they wrote themselves, as an import's do. The next [`Store::open`] turns the
    /// write-ahead log and the checks back on.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn without_journal(&mut self) -> Result<(), StoreError> {
        self.without_history();
        // SQLite leaves the write-ahead log only while no other connection has the file open.
        drop(self.checkpointer.take());
        let _mode: String = self.connection.query_row("PRAGMA journal_mode = OFF", [], |row| row.get(0))?;
        self.connection.execute_batch("PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;")?;
        Ok(())
    }

    /// Starts the ids of this file, one being built (an import into a new workspace), at a random place
    /// in every table, so that none of its records takes the number of a record in the file it was
    /// imported from ([`journal::start_ids_apart`]): the two are different plans, and a comparison or a
    /// merge between them says so instead of matching items by number.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn start_ids_apart(&mut self) -> Result<(), StoreError> {
        let transaction = self.connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        journal::start_ids_apart(&transaction)?;
        transaction.commit()?;
        self.ids_spread = true;
        Ok(())
    }

    /// Stops recording writes in the change journal: for a new file being built (an import into a new
    /// workspace, a generated one), which has no past to share with a copy yet. Its first state is the
    /// shared past of every copy made of it.
    pub fn without_history(&mut self) {
        self.records_changes = false;
    }

    /// An in-memory workspace, for tests and benchmarks.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let connection = Connection::open_in_memory()?;
        harden(&connection)?;
        let mut store = Self {
            connection,
            path: PathBuf::from(":memory:"),
            read_only: false,
            integrity: None,
            ids_spread: false,
            records_changes: true,
            shapes: None,
            identity: None,
            checkpointer: None,
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// The file this store works on.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Has SQLite stop the statement under way, every few thousand of its steps, once `cancelled`
    /// says so: what lets Cancel interrupt a long write on a worker thread (the transaction is then
    /// rolled back and nothing changes).
    ///
    /// # Errors
    /// A SQLite error.
    pub fn interrupt_when(&self, cancelled: impl Fn() -> bool + Send + 'static) -> Result<(), StoreError> {
        self.connection.progress_handler(4_096, Some(cancelled))?;
        Ok(())
    }

    /// Takes back [`Store::interrupt_when`]: what runs from now on is not stopped.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn never_interrupt(&self) -> Result<(), StoreError> {
        self.connection.progress_handler(0, None::<fn() -> bool>)?;
        Ok(())
    }

    /// The connection, for reads (and for benchmarks that compare against raw SQL).
    #[must_use]
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.connection.busy_timeout(std::time::Duration::from_secs(5))?;
        self.connection
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;")?;
        self.connection.pragma_update(None, "cache_size", CACHE_KIB)?;
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

    /// Refuses to write when the file at this store's path is no longer the one it opened: moved,
    /// deleted, or replaced (a sync client writes a new version beside it and renames it over).
    ///
    /// # Errors
    /// [`StoreError::Replaced`].
    pub fn ensure_in_place(&self) -> Result<(), StoreError> {
        match self.identity {
            Some(opened) if file_identity(&self.path) != Some(opened) => {
                Err(StoreError::Replaced { path: self.path.clone() })
            }
            _ => Ok(()),
        }
    }

    /// Runs `work` in one immediate transaction: all of it is kept, or none of it.
    ///
    /// # Errors
    /// Whatever `work` returns, after rolling back; or a SQLite error on commit.
    pub fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>) -> Result<T, StoreError> {
        self.write_recorded(work).map(|(value, _)| value)
    }

    /// [`Store::write`], also giving back the SQLite changeset the journal recorded for it (empty when
    /// nothing changed, or when this store records no changes): what undoes the write exactly, as one
    /// step, when it was made through another connection (an import on a worker thread).
    ///
    /// # Errors
    /// As [`Store::write`].
    pub fn write_recorded<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<(T, Vec<u8>), StoreError> {
        self.ensure_checked()?;
        if self.read_only {
            return Err(StoreError::ReadOnly { path: self.path.clone() });
        }
        self.ensure_in_place()?;
        let path = self.path.clone();
        let named = |error: StoreError| classify(error, "save the change", &path);
        let shapes = match (&self.shapes, self.records_changes) {
            (Some(shapes), _) => Some(std::sync::Arc::clone(shapes)),
            (None, true) => {
                let shapes = std::sync::Arc::new(recorder::Shapes::read(&self.connection).map_err(named)?);
                self.shapes = Some(std::sync::Arc::clone(&shapes));
                Some(shapes)
            }
            (None, false) => None,
        };
        let transaction = self
            .connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|error| named(error.into()))?;
        if !self.ids_spread {
            journal::spread_ids(&transaction).map_err(named)?;
        }
        let (value, changeset) = if let (true, Some(shapes)) = (self.records_changes, &shapes) {
            journal::recorded(&transaction, shapes, || work(&transaction)).map_err(named)?
        } else {
            (work(&transaction).map_err(named)?, Vec::new())
        };
        transaction.commit().map_err(|error| named(error.into()))?;
        self.ids_spread = true;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.committed();
        }
        Ok((value, changeset))
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
        self.ensure_checked()?;
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
        if is_workspace_file(destination, &self.path) {
            return Err(StoreError::CopyOntoItself { path: destination.to_owned() });
        }
        self.write_copy(destination).map_err(|error| copy_not_written(error, destination))
    }

    fn write_copy(&self, destination: &Path) -> Result<(), StoreError> {
        // The copy is written under a temporary name beside the destination and renamed over it only
        // when complete: an existing file there is replaced whole or not at all, never deleted first.
        let folder = destination.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMPORARY_PREFIX).suffix(".sqlite");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let staging = builder.tempfile_in(folder)?;
        let mut target = Connection::open(staging.path())?;
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
        staging.as_file().sync_all()?;
        staging.persist(destination).map_err(|error| StoreError::Io(error.error))?;
        Ok(())
    }
}

/// Why a copy could not be written, in the user's terms: a full disk, a folder that cannot be written
/// or does not exist. A busy workspace keeps its own sentence.
fn copy_not_written(error: StoreError, destination: &Path) -> StoreError {
    use std::io::ErrorKind;
    const NO_ROOM: &str = "there is no room left on the disk (or the file would pass its size limit)";
    const ANOTHER_FOLDER: &str = "Choose a folder you can write to, such as your documents folder, and try again.";
    let (reason, advice) = match &error {
        StoreError::Sqlite(sqlite) => match sqlite.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::TooBig) => {
                (NO_ROOM.to_owned(), "Free some disk space, or choose a folder on another disk, and try again.")
            }
            Some(
                rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied,
            ) => ("Tandem may not write in that folder".to_owned(), ANOTHER_FOLDER),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => return error,
            _ => (sqlite.to_string(), "Check the disk or folder, then try again."),
        },
        StoreError::Io(io) => match io.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                (NO_ROOM.to_owned(), "Free some disk space, or choose a folder on another disk, and try again.")
            }
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                ("Tandem may not write in that folder".to_owned(), ANOTHER_FOLDER)
            }
            ErrorKind::NotFound => ("the folder does not exist".to_owned(), "Choose an existing folder and try again."),
            _ => (io.to_string(), "Check the disk or folder, then try again."),
        },
        _ => return error,
    };
    StoreError::CopyNotWritten { reason, advice, path: destination.to_owned() }
}

pub(crate) fn changed(rows: usize, what: &'static str, id: i64) -> Result<(), StoreError> {
    if rows == 0 { Err(StoreError::NotFound { what, id }) } else { Ok(()) }
}

/// A file's device and inode (Unix); `None` when it cannot be read or elsewhere.
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        std::fs::metadata(path).ok().map(|meta| (meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::{StoreError, copy_not_written};
    use std::path::Path;

    fn words(error: StoreError) -> String {
        copy_not_written(error, Path::new("/backup/Basket copy.sqlite")).to_string()
    }

    #[test]
    fn a_copy_that_finds_no_room_says_so_and_what_to_do() {
        let sqlite = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        for said in [words(sqlite.into()), words(io.into())] {
            assert!(said.starts_with("Could not save the copy: there is no room left on the disk"), "{said}");
            assert!(said.contains("the workspace itself is unchanged. Free some disk space"), "{said}");
            assert!(said.ends_with("/backup/Basket copy.sqlite"), "{said}");
        }
    }

    #[test]
    fn a_workspace_on_a_read_only_medium_opens_read_only_and_leaves_nothing_beside_it() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.sqlite");
        drop(crate::app::App::open(&path, crate::app::NewWorkspace::Sample).unwrap());
        let before = std::fs::read(&path).unwrap();
        let beside = || -> Vec<String> {
            std::fs::read_dir(folder.path())
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|name| name != "plan.sqlite")
                .collect()
        };
        assert!(beside().is_empty(), "{:?}", beside());

        let (mut store, _) = super::Store::open_on(&path, true).unwrap();
        assert!(store.is_read_only());
        let workspace = store.load().unwrap();
        assert_eq!(workspace.items().count(), 49, "the whole plan reads");
        // SQLite made no log and no shared-memory file, which a read-only drive would not allow.
        assert!(beside().is_empty(), "{:?}", beside());
        let refused = store.write(|_| Ok(())).unwrap_err();
        assert!(matches!(refused, StoreError::ReadOnly { .. }), "{refused}");
        drop(store);
        assert_eq!(std::fs::read(&path).unwrap(), before, "the file is as it was");
    }

    #[test]
    fn an_older_workspace_on_a_read_only_medium_says_it_must_be_copied_first_and_is_left_as_it_is() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("old.sqlite");
        {
            let connection = rusqlite::Connection::open(&path).unwrap();
            connection.execute_batch(super::schema::MIGRATIONS[0]).unwrap();
            connection.pragma_update(None, "user_version", 1).unwrap();
            connection.pragma_update(None, "application_id", super::schema::APPLICATION_ID).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let Err(refused) = super::Store::open_on(&path, true) else {
            panic!("an older file that cannot be updated was opened");
        };
        let said = refused.to_string();
        assert!(
            said.starts_with("This workspace was made by an older version of Tandem and must be updated to open"),
            "{said}"
        );
        assert!(said.contains("Copy it to a folder you can write to"), "{said}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_copy_into_a_folder_that_cannot_be_written_says_so() {
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let said = words(io.into());
        assert!(said.starts_with("Could not save the copy: Tandem may not write in that folder."), "{said}");
        let sqlite = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY), None);
        assert!(words(sqlite.into()).contains("Choose a folder you can write to"));
        // A busy workspace keeps its own sentence.
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        assert!(matches!(copy_not_written(busy.into(), Path::new("x")), StoreError::Sqlite(_)));
    }
}
