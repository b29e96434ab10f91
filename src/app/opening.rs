//! Opening a large workspace without the window standing still: the first screen of the board is read
//! at once ([`crate::store::read_first_screen`]) and shown, unchangeable, while a worker thread opens
//! the workspace as [`App::open`] always does (the file checked, everything loaded). Nothing can be
//! changed until then, because there is nothing to change it with: the window has no [`App`] yet.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::{App, NewWorkspace, OpenError};
use crate::model::Workspace;
use crate::store::StoreError;

/// A workspace being opened on a worker thread.
#[derive(Debug)]
pub struct Opening {
    path: PathBuf,
    first_screen: Option<Workspace>,
    /// What the worker reports: the open workspace, or why it was refused.
    receiver: Receiver<Result<App, OpenError>>,
    /// Whether the answer is left waiting ([`Opening::hold`]).
    held: bool,
}

impl Opening {
    /// Reads the first screen of the workspace at `path`, then starts opening it on a worker thread.
    /// A file whose first screen cannot be read (damaged, not a workspace, of an older format) shows
    /// none; the worker's answer says what is wrong with it.
    #[must_use]
    pub fn start(path: &Path, new_workspace: NewWorkspace) -> Self {
        let first_screen = crate::store::read_first_screen(path, crate::store::FIRST_SCREEN_CARDS).ok();
        let (sender, receiver) = std::sync::mpsc::channel();
        let opened = path.to_owned();
        let work = move || {
            // The window may have gone meanwhile; then no one waits for the answer.
            let _sent = sender.send(App::open(&opened, new_workspace));
        };
        if let Err(error) = std::thread::Builder::new().name("tandem-open".to_owned()).spawn(work) {
            // No thread to be had: the worker's answer is that, and the window says it.
            let (sender, failed) = std::sync::mpsc::channel();
            let _sent = sender.send(Err(OpenError::Store(StoreError::FileIo {
                action: "open it",
                detail: format!("no thread could be started to read it: {error}"),
                path: path.to_owned(),
            })));
            return Self { path: path.to_owned(), first_screen, receiver: failed, held: false };
        }
        Self { path: path.to_owned(), first_screen, receiver, held: false }
    }

    /// The workspace being opened.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The first screen of the board, when it could be read.
    #[must_use]
    pub fn first_screen(&self) -> Option<&Workspace> {
        self.first_screen.as_ref()
    }

    /// While `held`, [`Opening::poll`] leaves the worker's answer waiting (tests look at the first screen
    /// however fast the worker is).
    pub fn hold(&mut self, held: bool) {
        self.held = held;
    }

    /// The open workspace, or why it was refused, once the worker is done; `None` until then.
    #[must_use]
    pub fn poll(&mut self) -> Option<Result<App, OpenError>> {
        if self.held {
            return None;
        }
        match self.receiver.try_recv() {
            Ok(opened) => Some(opened),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(self.stopped())),
        }
    }

    /// Waits for the worker, and returns the open workspace or why it was refused.
    ///
    /// # Errors
    /// What [`App::open`] refuses the file for.
    pub fn wait(self) -> Result<App, OpenError> {
        self.receiver.recv().unwrap_or_else(|_| Err(self.stopped()))
    }

    /// Why the workspace did not open when the worker stopped without an answer.
    fn stopped(&self) -> OpenError {
        OpenError::Store(StoreError::FileIo {
            action: "open it",
            detail: "the thread reading it stopped before it was done".to_owned(),
            path: self.path.clone(),
        })
    }
}
