//! Noticing, on a thread of its own, that another window or program changed the workspace's file.
//!
//! The window used to draw a frame every second to ask the store whether the file had changed. Drawing
//! a frame is the expensive part: without a graphics card (a virtual machine, a remote desktop) one
//! frame of the whole window cost about 150 ms of processor time, so an idle window kept a core 15%
//! busy, and on a laptop every frame wakes the graphics card. The watcher asks instead: every second it
//! reads SQLite's `data_version` through a read-only connection of its own (a number that changes when
//! any other connection commits) and the file's identity (moved, deleted or replaced), and only when
//! one of them changed does it call back, for the window to draw a frame and take the change in.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

/// What the watcher compares between two looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seen {
    /// The file's device and inode, `None` when it is gone.
    identity: Option<(u64, u64)>,
    /// SQLite's data version on the watcher's connection, `None` when it cannot be read.
    version: Option<i64>,
}

/// A thread watching one workspace file; it stops when dropped, its connection closed by then.
#[derive(Debug)]
pub struct Watcher {
    path: PathBuf,
    /// Dropping it wakes and ends the thread.
    stop: Option<Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Watcher {
    /// Ends the thread and waits for it (it is woken at once), so that its connection to the file is
    /// closed before the store's: the last connection to close copies the log into the file and takes
    /// its side files away, which a connection left open to the end of the process never does.
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _stopped = thread.join();
        }
    }
}

impl Watcher {
    /// Starts watching `path` every `interval`, calling `changed` after each look that found the file
    /// changed. Where the file cannot be read from a connection of the watcher's own, every look counts
    /// as a change, as the window's own looks did before.
    ///
    /// # Errors
    /// The system refusing a thread.
    pub fn start(path: &Path, interval: Duration, changed: impl Fn() + Send + 'static) -> Result<Self, std::io::Error> {
        let (stop, stopped) = mpsc::channel::<()>();
        let watched = path.to_owned();
        let thread = std::thread::Builder::new().name("tandem-watch".to_owned()).spawn(move || {
            let connection = super::files::open_for_reading(&watched).ok();
            let look = || Seen {
                identity: super::file_identity(&watched),
                version: connection
                    .as_ref()
                    .and_then(|connection| connection.query_row("PRAGMA data_version", [], |row| row.get(0)).ok()),
            };
            let mut last = look();
            loop {
                match stopped.recv_timeout(interval) {
                    Err(RecvTimeoutError::Timeout) => {}
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
                let now = look();
                if now != last || now.version.is_none() {
                    changed();
                }
                last = now;
            }
        })?;
        Ok(Self { path: path.to_owned(), stop: Some(stop), thread: Some(thread) })
    }

    /// The file it watches.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
    use super::Watcher;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    fn wait_for(calls: &AtomicUsize, at_least: usize) -> bool {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if calls.load(Ordering::SeqCst) >= at_least {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    #[test]
    fn a_commit_elsewhere_and_a_file_replaced_are_noticed_and_nothing_else_is() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("watched.sqlite");
        crate::demo::create_demo(&path).unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&calls);
        let watcher =
            Watcher::start(&path, Duration::from_millis(20), move || _ = counted.fetch_add(1, Ordering::SeqCst))
                .unwrap();
        assert_eq!(watcher.path(), path);
        // Twenty looks at a file nobody changes call back for none of them.
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(calls.load(Ordering::SeqCst), 0, "an idle file asks for no frame");

        // Another program commits.
        let (mut store, _) = crate::store::Store::open(&path).unwrap();
        store.update_product(&crate::model::Product { name: "Renamed".into(), vision: String::new() }).unwrap();
        assert!(wait_for(&calls, 1), "a commit by another connection is noticed");
        drop(store);

        // The file is replaced by another one.
        let before = calls.load(Ordering::SeqCst);
        let other = folder.path().join("other.sqlite");
        crate::demo::create_demo(&other).unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert!(wait_for(&calls, before + 1), "a replaced file is noticed");

        // Dropped, it stops.
        drop(watcher);
        std::thread::sleep(Duration::from_millis(100));
        let after = calls.load(Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(calls.load(Ordering::SeqCst), after);
    }
}
