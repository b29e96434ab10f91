//! Copying committed pages from the write-ahead log back into the file, on a thread of its own.
//!
//! SQLite does that copy (a checkpoint) itself inside the commit that takes the log past 1,000 pages:
//! about one edit in 200, measured at 21 ms on a 100,000-item workspace, with a sync of the file in
//! it, where every other edit takes a fraction of a millisecond. Here the store's own connection
//! leaves that to this thread (its own copying only starts at [`SAFETY_NET_PAGES`]): after commits,
//! the thread copies with a connection of its own, once the edits pause for a moment (or after many
//! in a row). A checkpoint of that kind
//! (`PASSIVE`) waits for nobody and blocks nobody: readers and the next commits go on meanwhile.
//! Whatever it has not copied yet stays in the log, as safe as after the commit, and SQLite copies it
//! when the last connection closes or the next time the file opens.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use super::StoreError;
use super::files::harden;

/// How long the edits must pause before the log is copied.
const PAUSE: Duration = Duration::from_millis(500);

/// After this many commits without a pause, the log is copied all the same (about as often as SQLite
/// would: a commit of a move writes five or six pages, and SQLite copies at 1,000).
const MOST_COMMITS: usize = 150;

/// How often an incomplete copy is tried again, and after how long.
const RETRIES: usize = 5;
const RETRY_AFTER: Duration = Duration::from_millis(20);

/// The log's length (in pages) at which the store's own commits copy it after all: reached only if
/// commits come faster than the thread can copy (a script, not a person), it keeps the log from
/// growing without end. About 40 MB.
pub(super) const SAFETY_NET_PAGES: i64 = 10_000;

/// The thread that copies the log into the file.
pub(super) struct Checkpointer {
    wake: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread, with its own connection to the file at `path`.
    ///
    /// # Errors
    /// A SQLite error opening the connection, or the system refusing a thread.
    pub(super) fn start(path: &Path) -> Result<Self, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags)?;
        harden(&connection)?;
        // A checkpoint never waits long for a lock: it tries again after the next commits.
        connection.busy_timeout(Duration::from_millis(100))?;
        let (wake, woken) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new().name("tandem-checkpoint".to_owned()).spawn(move || {
            // Each wake-up is a commit. Wait for a pause (or many commits), then copy.
            while woken.recv().is_ok() {
                let mut commits = 1;
                let started = Instant::now();
                loop {
                    match woken.recv_timeout(PAUSE) {
                        Ok(()) => {
                            commits += 1;
                            if commits >= MOST_COMMITS || started.elapsed() > PAUSE * 20 {
                                break;
                            }
                        }
                        Err(RecvTimeoutError::Timeout) => break,
                        // The store is closing: its own connection copies the rest as it closes.
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                // A copy that could not take everything (commits came in meanwhile, or another program
                // was reading) is tried again a moment later, between commits; one that fails leaves the
                // pages in the log, safe, and the next pause tries again.
                for _ in 0..RETRIES {
                    match connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                        Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
                    }) {
                        Ok((0, log, copied)) if copied >= log => break,
                        Ok(_) => std::thread::sleep(RETRY_AFTER),
                        Err(_) => break,
                    }
                }
            }
        })?;
        Ok(Self { wake: Some(wake), thread: Some(thread) })
    }

    /// Tells the thread that a commit happened.
    pub(super) fn committed(&self) {
        if let Some(wake) = &self.wake {
            // A thread that is gone leaves the copying to SQLite at close.
            let _sent = wake.send(());
        }
    }
}

impl Drop for Checkpointer {
    /// Stops the thread and closes its connection before the store's own, so that the store's is the
    /// last and takes the log's side files away with it.
    fn drop(&mut self) {
        drop(self.wake.take());
        if let Some(thread) = self.thread.take() {
            let _stopped = thread.join();
        }
    }
}
