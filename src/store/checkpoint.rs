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
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
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
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// What the store's thread and the copying thread share: the commits since the last copy, and a
/// signal for the copying thread. A commit only counts itself while the thread waits for a pause (a
/// signal each commit cost a move a tenth of its time in waking the thread); it signals the thread
/// when the thread waits for a first commit, or when enough came in a row.
struct Shared {
    state: Mutex<Commits>,
    signal: Condvar,
}

/// The commits since the log was last copied.
#[derive(Default)]
struct Commits {
    count: usize,
    first: Option<Instant>,
    last: Option<Instant>,
    /// The thread waits for a commit, with no time set to look again.
    asleep: bool,
    /// The store is closing: its own connection copies the rest as it closes.
    closing: bool,
}

/// What the copying thread does next.
#[derive(Debug, PartialEq, Eq)]
enum Next {
    /// Wait for a commit.
    Sleep,
    /// Look again after this long (the edits have not paused yet).
    Wait(Duration),
    /// Copy the log now.
    Copy,
}

impl Commits {
    /// What the thread does next, at `now`: copy once the edits have paused for [`PAUSE`], or after
    /// [`MOST_COMMITS`] in a row, or after twenty pauses' time without one.
    fn next(&self, now: Instant) -> Next {
        let (Some(first), Some(last)) = (self.first, self.last) else {
            return Next::Sleep;
        };
        let since_last = now.saturating_duration_since(last);
        if self.count >= MOST_COMMITS || now.saturating_duration_since(first) > PAUSE * 20 || since_last >= PAUSE {
            return Next::Copy;
        }
        Next::Wait(PAUSE.saturating_sub(since_last))
    }

    fn add(&mut self, now: Instant) {
        self.count += 1;
        self.first.get_or_insert(now);
        self.last = Some(now);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Commits> {
        // The counts stay meaningful whatever a thread was doing when it panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
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
        let shared = Arc::new(Shared { state: Mutex::new(Commits::default()), signal: Condvar::new() });
        let theirs = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("tandem-checkpoint".to_owned())
            .spawn(move || copy_when_due(&theirs, &connection))?;
        Ok(Self { shared, thread: Some(thread) })
    }

    /// Tells the thread that a commit happened.
    pub(super) fn committed(&self) {
        let mut commits = self.shared.lock();
        commits.add(Instant::now());
        if commits.asleep || commits.count == MOST_COMMITS {
            commits.asleep = false;
            self.shared.signal.notify_one();
        }
    }
}

/// The copying thread: waits for commits, then for a pause in them, then copies the log.
fn copy_when_due(shared: &Shared, connection: &Connection) {
    let mut commits = shared.lock();
    loop {
        if commits.closing {
            return;
        }
        match commits.next(Instant::now()) {
            Next::Sleep => {
                commits.asleep = true;
                commits = shared.signal.wait(commits).unwrap_or_else(PoisonError::into_inner);
            }
            Next::Wait(time) => {
                commits = shared.signal.wait_timeout(commits, time).unwrap_or_else(PoisonError::into_inner).0;
            }
            Next::Copy => {
                // Commits from now on count toward the next copy.
                (commits.count, commits.first, commits.last) = (0, None, None);
                drop(commits);
                copy(connection);
                commits = shared.lock();
            }
        }
    }
}

/// Copies the log into the file. A copy that could not take everything (commits came in meanwhile, or
/// another program was reading) is tried again a moment later, between commits; one that fails leaves
/// the pages in the log, safe, and the next pause tries again.
fn copy(connection: &Connection) {
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

impl Drop for Checkpointer {
    /// Stops the thread and closes its connection before the store's own, so that the store's is the
    /// last and takes the log's side files away with it.
    fn drop(&mut self) {
        self.shared.lock().closing = true;
        self.shared.signal.notify_one();
        if let Some(thread) = self.thread.take() {
            let _stopped = thread.join();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::*;

    #[test]
    fn the_log_is_copied_once_the_edits_pause_or_after_many_in_a_row() {
        let start = Instant::now();
        let mut commits = Commits::default();
        assert_eq!(commits.next(start), Next::Sleep, "no commit, nothing to copy");
        commits.add(start);
        assert_eq!(commits.next(start), Next::Wait(PAUSE));
        let later = start + Duration::from_millis(200);
        commits.add(later);
        assert_eq!(commits.next(later + Duration::from_millis(100)), Next::Wait(Duration::from_millis(400)));
        assert_eq!(commits.next(later + PAUSE), Next::Copy, "the edits paused");
        // Edits that never pause are copied after many commits, or after twenty pauses' time.
        let mut busy = Commits::default();
        for step in 0..MOST_COMMITS - 1 {
            busy.add(start + Duration::from_millis(u64::try_from(step).unwrap_or(0)));
        }
        let now = start + Duration::from_millis(200);
        assert!(matches!(busy.next(now), Next::Wait(_)));
        busy.add(now);
        assert_eq!(busy.next(now), Next::Copy);
        let mut slow = Commits::default();
        let mut at = start;
        while at < start + PAUSE * 21 {
            slow.add(at);
            at += PAUSE / 2;
        }
        assert_eq!(slow.next(at), Next::Copy);
    }

    #[test]
    fn a_commit_signals_the_thread_only_when_it_sleeps_or_after_many_in_a_row() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("log.sqlite");
        let connection = Connection::open(&path).unwrap();
        connection.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x);").unwrap();
        let checkpointer = Checkpointer::start(&path).unwrap();
        // The thread goes to sleep waiting for a first commit.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !checkpointer.shared.lock().asleep {
            assert!(Instant::now() < deadline, "the thread never waited for a commit");
            std::thread::sleep(Duration::from_millis(5));
        }
        connection.execute("INSERT INTO t VALUES (1)", []).unwrap();
        checkpointer.committed();
        assert!(!checkpointer.shared.lock().asleep, "the first commit wakes the thread");
        // More commits while it waits for a pause only count themselves.
        connection.execute("INSERT INTO t VALUES (2)", []).unwrap();
        checkpointer.committed();
        assert_eq!(checkpointer.shared.lock().count, 2);
        // Once the edits pause, the thread copies the log into the file and sleeps again.
        let before = std::fs::read(&path).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let commits = checkpointer.shared.lock();
            if commits.asleep && commits.count == 0 {
                break;
            }
            drop(commits);
            assert!(Instant::now() < deadline, "the thread never copied the log");
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_ne!(std::fs::read(&path).unwrap(), before, "the log was copied into the file");
        drop(checkpointer);
    }
}
