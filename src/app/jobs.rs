//! Imports and exports on a worker thread, so the window stays responsive while they run (the window
//! shows their progress and a Cancel button); a cancelled or failed import is rolled back, a cancelled
//! export leaves no file. Taking back (or making again) a large merge or import runs there too.
//!
//! The worker opens its own connection to the workspace file (SQLite in WAL mode lets the window keep
//! reading). Once its change is written, the worker also reads the workspace as the file now holds it
//! ([`ReadBack`]), so that at 100,000 items the window does not stand still for that read: it takes
//! the workspace over, unless the file changed again since, in which case it reads it itself.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::interchange::document::{Document, ImportReport};
use crate::interchange::{Format, InterchangeError, Progress, ReadOptions};
use crate::model::Workspace;
use crate::store::Store;

/// The workspace as the worker read it through its own connection right after its change was
/// written, with what tells whether the file has changed since ([`ReadBack::still_current`]).
pub struct ReadBack {
    workspace: Workspace,
    store: Store,
    version: i64,
}

impl ReadBack {
    /// Reads the workspace through `store` once the work is written: Cancel no longer applies (the
    /// window says so). `None` when it cannot be read; the window then reads it itself.
    fn after(store: Store, progress: &Progress) -> Option<Self> {
        progress.wrote();
        Self::read(store)
    }

    /// Reads the workspace through `store`; `None` when it cannot be read.
    fn read(mut store: Store) -> Option<Self> {
        store.never_interrupt().ok()?;
        // Asked before reading: if another connection commits in between, the version asked later
        // differs and the read is not used, even though it may have seen that commit.
        let version = store.data_version().ok()?;
        let workspace = store.load().ok()?;
        Some(Self { workspace, store, version })
    }

    /// Whether no connection but the worker's has written to the file since it read the workspace;
    /// a connection's `data_version` changes with every commit any other connection makes.
    ///
    /// # Errors
    /// A SQLite error.
    pub fn still_current(&self) -> Result<bool, crate::store::StoreError> {
        Ok(self.store.data_version()? == self.version)
    }

    /// The workspace read.
    #[must_use]
    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// The workspace read, and the worker's connection (to be closed away from the window's thread).
    #[must_use]
    pub fn into_parts(self) -> (Workspace, Store) {
        (self.workspace, self.store)
    }
}

/// The open workspace's file read again on a worker thread, after another window or program committed
/// to it ([`super::App::follow_external_changes_beside`]): the window keeps showing what it had meanwhile.
#[derive(Debug)]
pub struct Following {
    receiver: Receiver<Followed>,
}

/// What the worker of [`Following`] reports.
pub(super) enum Followed {
    /// The workspace as the file holds it now.
    Read(Box<ReadBack>),
    /// It could not be read there (the window reads it itself).
    Unread,
}

impl Following {
    /// Starts reading `path` through a connection of the worker's own (the file checked as any opened
    /// file is); `None` when no thread could be started.
    pub(super) fn start(path: &Path) -> Option<Self> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let path = path.to_owned();
        let work = move || {
            let read = open_workspace(&path).ok().and_then(ReadBack::read);
            // The board would build the search index a slice a frame once it shows the new workspace:
            // built here whole, no frame of the window's pays for it.
            if let Some(read) = &read {
                read.workspace.prepare_search(std::time::Duration::MAX);
            }
            // The window may have let go of it meanwhile.
            let _sent = sender.send(read.map_or(Followed::Unread, |read| Followed::Read(Box::new(read))));
        };
        std::thread::Builder::new().name("tandem-follow".to_owned()).spawn(work).ok()?;
        Some(Self { receiver })
    }

    /// What the worker found, once it is done.
    pub(super) fn poll(&self) -> Option<Followed> {
        match self.receiver.try_recv() {
            Ok(read) => Some(read),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Followed::Unread),
        }
    }
}

/// Where an import goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportTarget {
    /// Merged into the open workspace.
    Merge(PathBuf),
    /// A new workspace file.
    New(PathBuf),
}

/// Work for the worker thread.
pub enum Work {
    /// Read a file and dry-run both a merge into `workspace` and an import into a new workspace.
    Preview {
        /// The file to import.
        path: PathBuf,
        /// The open workspace.
        workspace: PathBuf,
        /// What the user chose to read.
        options: ReadOptions,
    },
    /// Import a previewed document.
    Import {
        /// What to import.
        document: Box<Document>,
        /// Where it came from, for messages.
        source: PathBuf,
        /// Where it goes.
        target: ImportTarget,
    },
    /// Undo or redo a merge or an import ([`super::App::begin_replay`]): its changeset inverted or as it
    /// is, applied exactly in one transaction.
    Replay {
        /// The open workspace.
        workspace: PathBuf,
        /// What the merge or import wrote (shared with the undo step).
        changeset: std::sync::Arc<[u8]>,
        /// The partner's journal entries it brought.
        imported: Vec<(String, Vec<u8>)>,
        /// Redo (`true`) or undo.
        forward: bool,
        /// The step's description, e.g. "import 10,000 items from board.json".
        description: String,
    },
    /// Make a command over thousands of items (a person renamed, a column ordered, cards archived)
    /// through an [`super::App`] of the worker's own on the open workspace, handing back its undo step.
    Apply {
        /// The open workspace.
        workspace: PathBuf,
        /// The command.
        command: Box<super::Command>,
        /// What the progress window says, e.g. "Renaming 'Ada' to 'Ada L.' on up to 23,338 items…".
        title: String,
    },
    /// Undo (or redo) such a command's step the same way ([`super::App::begin_step`]).
    Step {
        /// The open workspace.
        workspace: PathBuf,
        /// The step.
        entry: super::undo::UndoEntry,
        /// Redo (`true`) or undo.
        forward: bool,
    },
    /// Review (`dry_run`) or make a merge of a partner's copy into the open workspace
    /// ([`super::merge::merge_into`]).
    Merge {
        /// The open workspace.
        workspace: PathBuf,
        /// The partner's copy.
        theirs: PathBuf,
        /// The sides the user chose for conflicts.
        choices: crate::store::merge::Choices,
        /// Only review it, writing nothing.
        dry_run: bool,
    },
    /// Export the workspace.
    Export {
        /// The format.
        format: Format,
        /// The file to write.
        out: PathBuf,
        /// The open workspace.
        workspace: PathBuf,
    },
}

impl Work {
    /// What the work is, for a sentence ("the export"), when it reads or writes the open workspace;
    /// `None` for an import into a new workspace, which does not touch it.
    #[must_use]
    pub fn on_the_open_workspace(&self) -> Option<&'static str> {
        match self {
            Self::Preview { .. } => Some("the import preview"),
            Self::Import { target: ImportTarget::Merge(_), .. } => Some("the import"),
            Self::Import { target: ImportTarget::New(_), .. } => None,
            Self::Replay { forward: true, .. } | Self::Step { forward: true, .. } => Some("the redo"),
            Self::Replay { forward: false, .. } | Self::Step { forward: false, .. } => Some("the undo"),
            Self::Merge { .. } => Some("the merge"),
            Self::Apply { .. } => Some("the change"),
            Self::Export { .. } => Some("the export"),
        }
    }
}

/// A file read and dry-run both ways.
pub struct Previewed {
    /// The document read from the file.
    pub document: Document,
    /// What merging it into the open workspace would do.
    pub merge: ImportReport,
    /// What importing it into a new workspace would do.
    pub new: ImportReport,
    /// What the user chose to read.
    pub options: ReadOptions,
}

/// What the worker reports back.
pub enum Outcome {
    /// A preview is ready.
    Previewed {
        /// The file.
        path: PathBuf,
        /// The preview, or why the file cannot be imported.
        result: Result<Box<Previewed>, InterchangeError>,
    },
    /// An import finished.
    Imported {
        /// The file imported.
        source: PathBuf,
        /// Where it went.
        target: ImportTarget,
        /// The report, or why nothing was imported.
        result: Result<ImportReport, InterchangeError>,
        /// For a merge, the SQLite changeset the import wrote: what takes it back as one undo step
        /// (made shared on the worker: copying a large one would hold the window up).
        changeset: std::sync::Arc<[u8]>,
        /// For a merge that was written, the workspace read again.
        read: Option<ReadBack>,
    },
    /// An undo or redo of a merge or an import finished ([`super::App::finish_replay`]).
    Replayed {
        /// Whether it was made; `Cancelled` or another error when nothing changed.
        result: Result<(), InterchangeError>,
        /// When it was made, the workspace read again.
        read: Option<ReadBack>,
    },
    /// A command over thousands of items was made: its sentence and its undo step.
    Applied {
        /// The outcome.
        result: Result<(super::Applied, super::undo::UndoEntry), InterchangeError>,
        /// When it was made, the workspace read again.
        read: Option<ReadBack>,
    },
    /// A merge was reviewed or made.
    Merged {
        /// The partner's copy.
        theirs: PathBuf,
        /// Whether it was only a review.
        dry_run: bool,
        /// The review and what was written, or why nothing was.
        result: Result<Box<super::merge::Merged>, super::merge::MergeError>,
        /// When the merge was written, the workspace read again.
        read: Option<ReadBack>,
    },
    /// An export finished.
    Exported {
        /// The file written.
        out: PathBuf,
        /// Whether it worked.
        result: Result<(), InterchangeError>,
    },
    /// The worker stopped without reporting (a bug); nothing is known to have been written.
    Lost,
}

/// A running job.
pub struct Job {
    /// What the progress window says is happening.
    pub title: String,
    /// Shared with the worker.
    pub progress: Progress,
    /// Whether the worker says how far it is (an undo applies its changeset in one SQLite call, which
    /// does not).
    pub measured: bool,
    /// Whether it is an undo or a redo (the window says what Cancel then keeps).
    pub replay: bool,
    /// Whether it writes a file (all but a preview, which reads and rolls back): the window then does
    /// not close before it is done.
    pub writes: bool,
    receiver: Receiver<Outcome>,
}

impl Job {
    /// Starts `work` on a new thread; `finished` is called on that thread when it is done (the window
    /// asks for a repaint).
    #[must_use]
    pub fn start(work: Work, finished: impl FnOnce() + Send + 'static) -> Self {
        let title = match &work {
            Work::Preview { path, .. } => format!("Reading {}", file_name(path)),
            Work::Import { source, .. } => format!("Importing {}", file_name(source)),
            Work::Export { out, .. } => format!("Exporting to {}", file_name(out)),
            Work::Replay { forward, description, .. } => {
                format!("{}: {description}", if *forward { "Redoing" } else { "Undoing" })
            }
            Work::Merge { theirs, dry_run: true, .. } => format!("Reading the changes in {}", file_name(theirs)),
            Work::Apply { title, .. } => title.clone(),
            Work::Step { forward, entry, .. } => {
                format!("{}: {}", if *forward { "Redoing" } else { "Undoing" }, entry.description)
            }
            Work::Merge { theirs, .. } => format!("Merging the changes from {}", file_name(theirs)),
        };
        // Steps applied all or nothing, by SQLite calls that do not say how far they are.
        let replay = matches!(work, Work::Replay { .. } | Work::Merge { .. } | Work::Apply { .. } | Work::Step { .. });
        let writes = !matches!(work, Work::Preview { .. } | Work::Merge { dry_run: true, .. });
        let progress = Progress::default();
        let (sender, receiver) = std::sync::mpsc::channel();
        let worker_progress = progress.clone();
        // If no thread can be started, the sender is dropped with the closure and `poll` reports the job
        // as lost at once.
        let _ = std::thread::Builder::new().name("tandem-import-export".to_owned()).spawn(move || {
            let outcome = run(work, &worker_progress);
            let _ = sender.send(outcome);
            finished();
        });
        Self { title, progress, measured: !replay, replay, writes, receiver }
    }

    /// The outcome, once the worker has finished.
    #[must_use]
    pub fn poll(&self) -> Option<Outcome> {
        match self.receiver.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Outcome::Lost),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}

/// The open workspace's file, through a connection of the worker's own. A file that is no longer there
/// (or is empty) is refused rather than created afresh: a job must never import into, export or undo
/// in a new blank workspace made where the user's file was.
fn open_workspace(path: &Path) -> Result<Store, crate::store::StoreError> {
    if std::fs::metadata(path).map_or(true, |meta| meta.len() == 0) {
        return Err(crate::store::StoreError::Replaced { path: path.to_owned() });
    }
    Ok(Store::open(path)?.0)
}

/// An [`super::App`] of the worker's own on the open workspace (read whole, as the window has it),
/// whose writes stop when the user cancels.
fn worker_app(path: &Path, progress: &Progress) -> Result<super::App, InterchangeError> {
    let app = super::App::from_store(open_workspace(path)?)?;
    let cancelled = progress.clone();
    app.store().interrupt_when(move || cancelled.is_cancelled())?;
    Ok(app)
}

fn run(work: Work, progress: &Progress) -> Outcome {
    match work {
        Work::Preview { path, workspace, options } => {
            let result = (|| {
                if crate::store::is_workspace_file(&path, &workspace) {
                    return Err(InterchangeError::FromWorkspace { path: path.clone() });
                }
                let document = crate::interchange::read_document_with(&path, None, options)?;
                let mut store = open_workspace(&workspace)?;
                let merge = crate::interchange::import_with(&mut store, &document, true, true, progress)?;
                let mut empty = Store::open_in_memory()?;
                let new = crate::interchange::import_with(&mut empty, &document, false, true, progress)?;
                Ok(Box::new(Previewed { document, merge, new, options }))
            })();
            Outcome::Previewed { path, result }
        }
        Work::Import { document, source, target } => {
            let (result, changeset, read) = match &target {
                ImportTarget::Merge(workspace) => {
                    match open_workspace(workspace).map_err(InterchangeError::from).and_then(|mut store| {
                        let (report, changeset) = crate::interchange::import_recorded(&mut store, &document, progress)?;
                        Ok((report, changeset, store))
                    }) {
                        Ok((report, changeset, store)) => {
                            let read = if changeset.is_empty() { None } else { ReadBack::after(store, progress) };
                            (Ok(report), changeset.into(), read)
                        }
                        Err(error) => (Err(error), std::sync::Arc::from([]), None),
                    }
                }
                ImportTarget::New(path) => {
                    (crate::interchange::import_into_new(&document, path, progress), std::sync::Arc::from([]), None)
                }
            };
            Outcome::Imported { source, target, result, changeset, read }
        }
        Work::Replay { workspace, changeset, imported, forward, description } => {
            let made = open_workspace(&workspace).map_err(InterchangeError::from).and_then(|mut store| {
                let cancelled = progress.clone();
                store.interrupt_when(move || cancelled.is_cancelled())?;
                let made =
                    store.write(|tx| super::replay_changeset_in_tx(tx, &changeset, &imported, forward, &description));
                match made {
                    Err(_) if progress.is_cancelled() => Err(InterchangeError::Cancelled),
                    Err(error) => Err(error.into()),
                    Ok(()) => Ok(store),
                }
            });
            match made {
                Ok(store) => Outcome::Replayed { result: Ok(()), read: ReadBack::after(store, progress) },
                Err(error) => Outcome::Replayed { result: Err(error), read: None },
            }
        }
        Work::Merge { workspace, theirs, choices, dry_run } => {
            let made = open_workspace(&workspace)
                .map_err(super::merge::MergeError::from)
                .and_then(|mut store| {
                    let cancelled = progress.clone();
                    store.interrupt_when(move || cancelled.is_cancelled())?;
                    let merged = super::merge::merge_into(&mut store, &theirs, &choices, dry_run)?;
                    Ok((Box::new(merged), store))
                })
                .map_err(|error| if progress.is_cancelled() { super::merge::MergeError::Cancelled } else { error });
            match made {
                Ok((merged, store)) => {
                    let read = if merged.review.written { ReadBack::after(store, progress) } else { None };
                    Outcome::Merged { theirs, dry_run, result: Ok(merged), read }
                }
                Err(error) => Outcome::Merged { theirs, dry_run, result: Err(error), read: None },
            }
        }
        Work::Apply { workspace, command, .. } => {
            let made = worker_app(&workspace, progress).and_then(|mut app| {
                let applied = app.apply(*command);
                match applied {
                    Err(_) if progress.is_cancelled() => Err(InterchangeError::Cancelled),
                    Err(error) => Err(error.into()),
                    Ok(applied) => {
                        let step = app.take_newest_step().ok_or_else(|| {
                            InterchangeError::Store(crate::store::StoreError::Corrupt(
                                "the change left no step to undo".to_owned(),
                            ))
                        })?;
                        Ok((applied, step, app.into_store()))
                    }
                }
            });
            match made {
                Ok((applied, step, store)) => {
                    Outcome::Applied { result: Ok((applied, step)), read: ReadBack::after(store, progress) }
                }
                Err(error) => Outcome::Applied { result: Err(error), read: None },
            }
        }
        Work::Step { workspace, entry, forward } => {
            let made = worker_app(&workspace, progress).and_then(|mut app| {
                let made = if forward {
                    app.undo.push_redo(entry);
                    app.redo()
                } else {
                    app.undo.push(entry);
                    app.undo()
                };
                match made {
                    Err(_) if progress.is_cancelled() => Err(InterchangeError::Cancelled),
                    Err(error) => Err(error.into()),
                    Ok(_) => Ok(app.into_store()),
                }
            });
            match made {
                Ok(store) => Outcome::Replayed { result: Ok(()), read: ReadBack::after(store, progress) },
                Err(error) => Outcome::Replayed { result: Err(error), read: None },
            }
        }
        Work::Export { format, out, workspace } => {
            let result = open_workspace(&workspace)
                .map_err(InterchangeError::from)
                .and_then(|mut store| crate::interchange::export_with(&mut store, format, &out, progress));
            Outcome::Exported { out, result }
        }
    }
}
