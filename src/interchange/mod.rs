//! Files in and out of a workspace: the `.sqlite` file itself, the Tandem JSON document and a CSV of
//! backlog items.
//!
//! Every import is one transaction into the target workspace; a dry run performs the same import and
//! rolls it back, so its report is exactly what a real import would do. Files are recognised by their
//! content, not their name, and anything that is not what it claims is refused before anything is
//! written.

pub mod convert;
pub mod csv_export;
pub mod csv_import;
pub mod document;
pub mod jira;
pub mod jira_comments;
pub mod jira_text;
pub mod samples_csv;
pub mod trello;
mod trello_format;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rusqlite::{Connection, OpenFlags, config::DbConfig};

use crate::store::{Store, StoreError, schema};
use document::{Document, DocumentError, ImportOptions, ImportReport, import_in_tx};

/// Largest file an import reads, so a wrong pick cannot exhaust memory.
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// The kinds of file Tandem writes and reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A copy of the workspace database.
    Sqlite,
    /// The Tandem workspace document.
    Json,
    /// Backlog items, one row each.
    Csv,
    /// A Trello board exported as JSON (import only).
    Trello,
    /// A Jira issue export as CSV (import only).
    Jira,
}

impl Format {
    /// Reads a format name from the command line.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().as_str() {
            "sqlite" | "db" => Some(Self::Sqlite),
            "json" => Some(Self::Json),
            "csv" => Some(Self::Csv),
            "trello" => Some(Self::Trello),
            "jira" => Some(Self::Jira),
            _ => None,
        }
    }

    /// The name a user reads.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Sqlite => "Tandem workspace (.sqlite)",
            Self::Json => "Tandem JSON document",
            Self::Csv => "backlog CSV",
            Self::Trello => "Trello board export",
            Self::Jira => "Jira CSV export",
        }
    }
}

/// How far a long import or export is, shared between the thread doing it and the window showing it;
/// the window can also ask it to stop. Clones share the same state.
#[derive(Clone, Debug, Default)]
pub struct Progress {
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
    cancelled: Arc<AtomicBool>,
    written: Arc<AtomicBool>,
}

impl Progress {
    /// Records that `done` of `total` steps are finished.
    pub fn set(&self, done: u64, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(done.min(total), Ordering::Relaxed);
    }

    /// The finished share, 0 to 1 (0 while nothing is known).
    #[must_use]
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            return 0.0;
        }
        #[expect(clippy::cast_precision_loss, reason = "a progress bar needs no more precision")]
        let fraction = self.done.load(Ordering::Relaxed) as f32 / total as f32;
        fraction.clamp(0.0, 1.0)
    }

    /// Asks the work to stop at its next check; it then rolls back. Once the work is written
    /// ([`Progress::wrote`]) there is nothing left to stop.
    pub fn cancel(&self) {
        if !self.is_written() {
            self.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Whether [`Progress::cancel`] was called.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Records that the work is written (committed): what follows (reading the workspace to show it)
    /// can no longer be cancelled.
    pub fn wrote(&self) {
        self.written.store(true, Ordering::Relaxed);
    }

    /// Whether [`Progress::wrote`] was called.
    #[must_use]
    pub fn is_written(&self) -> bool {
        self.written.load(Ordering::Relaxed)
    }
}

/// Why an export or import failed. Nothing was written to the workspace in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum InterchangeError {
    /// The file could not be read or written.
    #[error("Could not {action} {}: {}. Nothing was changed.", path.display(), io_reason(cause))]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The cause (said in the message, so not chained again).
        cause: std::io::Error,
        /// The file.
        path: PathBuf,
    },
    /// An export aimed at the open workspace itself (or a file SQLite keeps beside it).
    #[error("That is the open workspace itself, so the export cannot be written over it. Nothing was changed; choose another name for the export. {}", path.display())]
    OntoWorkspace {
        /// The file.
        path: PathBuf,
    },
    /// An import of the open workspace into itself.
    #[error("That is the open workspace itself: everything in it is already here, so nothing was imported and nothing was changed. To take the changes from a copy of this plan, use File ▸ Merge changes from a copy… {}", path.display())]
    FromWorkspace {
        /// The file.
        path: PathBuf,
    },
    /// The file is empty.
    #[error("The file is empty; there is nothing to import. {}", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than an import reads.
    #[error("The file is {size_mib} MiB, more than the {} MiB an import reads; check that it is the right file. {}", MAX_IMPORT_BYTES / 1024 / 1024, path.display())]
    TooLarge {
        /// Its size.
        size_mib: u64,
        /// The file.
        path: PathBuf,
    },
    /// Not a format Tandem can import.
    #[error("Tandem cannot import this file: {reason}. It reads Tandem workspaces (.sqlite), Tandem JSON and CSV, Trello board exports (JSON) and Jira CSV exports. {}", path.display())]
    NotRecognised {
        /// What the file seems to be.
        reason: String,
        /// The file.
        path: PathBuf,
    },
    /// Another tool's export that cannot be converted.
    #[error("This {what} cannot be imported: {message}. {}", path.display())]
    Convert {
        /// What the file was read as.
        what: &'static str,
        /// Why, naming the line or field.
        message: String,
        /// The file.
        path: PathBuf,
    },
    /// A `.sqlite` file that a Tandem workspace would never be.
    #[error("This .sqlite file was refused: {reason}. It was not opened for writing. {}", path.display())]
    UnsafeSqlite {
        /// Why.
        reason: String,
        /// The file.
        path: PathBuf,
    },
    /// This format can be imported but not exported.
    #[error("Tandem cannot write {0} files; export as JSON, CSV or .sqlite instead.")]
    Unsupported(&'static str),
    /// The document is malformed.
    #[error("{error} {}", path.display())]
    Document {
        /// What is wrong with it (not a `source`: the message already says it, and the command line
        /// would print it twice).
        error: DocumentError,
        /// The file.
        path: PathBuf,
    },
    /// A file refused while it was imported into a new workspace: nothing was created.
    #[error("The file cannot be imported: {reason} Nothing was imported, and {} was not created.", path.display())]
    RefusedIntoNew {
        /// What the file says that cannot be kept, naming the record, and what to fix.
        reason: String,
        /// The workspace that was to be created.
        path: PathBuf,
    },
    /// The user cancelled; nothing was written.
    #[error("Cancelled; nothing was written.")]
    Cancelled,
    /// The workspace reported an error.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> InterchangeError {
    let path = path.to_owned();
    move |cause| InterchangeError::Io { action, cause, path }
}

/// What went wrong with a file, in words that do not name the temporary file an export writes first.
fn io_reason(cause: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match cause.kind() {
        ErrorKind::NotFound => "the file or its folder does not exist; check the name and the folder".to_owned(),
        ErrorKind::PermissionDenied => "permission denied; choose a folder you may write to".to_owned(),
        ErrorKind::StorageFull => "the disk is full; free some space and try again".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the drive is read-only; choose another drive".to_owned(),
        ErrorKind::AlreadyExists => "a file with that name already exists; choose another name".to_owned(),
        ErrorKind::IsADirectory => "that is a folder; give a file name".to_owned(),
        _ => {
            // tempfile's errors end with the temporary file's path, which means nothing to the user.
            let text = cause.to_string();
            text.split(" at path ").next().unwrap_or(&text).to_owned()
        }
    }
}

/// Writes the workspace to `out` in `format`.
///
/// # Errors
/// A file or store error; the workspace is never changed.
pub fn export(store: &mut Store, format: Format, out: &Path) -> Result<(), InterchangeError> {
    export_with(store, format, out, &Progress::default())
}

/// [`export`], reporting to `progress` and stopping when it is cancelled. The file is written beside
/// `out` under a temporary name and renamed when complete, so a failed or cancelled export leaves no
/// partial file and an existing file is replaced only by a complete one.
///
/// # Errors
/// A file or store error, or [`InterchangeError::Cancelled`]; the workspace is never changed.
pub fn export_with(store: &mut Store, format: Format, out: &Path, progress: &Progress) -> Result<(), InterchangeError> {
    // Moved over the workspace, an export would replace the plan under the window that has it open.
    if crate::store::is_workspace_file(out, store.path()) {
        return Err(InterchangeError::OntoWorkspace { path: out.to_owned() });
    }
    let stop = || if progress.is_cancelled() { Err(InterchangeError::Cancelled) } else { Ok(()) };
    progress.set(0, 3);
    if format == Format::Sqlite {
        // The copy is made under a fresh name, then moved into place: `out` is either untouched or complete.
        let folder = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let staging = tempfile::Builder::new().prefix(".tandem-export").tempdir_in(folder).map_err(io("write", out))?;
        let copy = staging.path().join("copy.sqlite");
        store.save_copy(&copy)?;
        progress.set(2, 3);
        stop()?;
        std::fs::rename(&copy, out).map_err(io("write", out))?;
        progress.set(3, 3);
        return Ok(());
    }
    let mut file = file_beside(out, "").map_err(io("write", out))?;
    match format {
        Format::Json => {
            let document = Document::from_store(store)?;
            progress.set(1, 3);
            stop()?;
            let text = document
                .to_json()
                .map_err(|source| InterchangeError::Document { error: source, path: out.to_owned() })?;
            progress.set(2, 3);
            stop()?;
            std::io::Write::write_all(&mut file, text.as_bytes()).map_err(io("write", out))?;
        }
        Format::Csv => {
            let workspace = store.load()?;
            let comments = store.all_comments()?;
            progress.set(1, 3);
            stop()?;
            csv_export::write_items(&workspace, &comments, std::io::BufWriter::new(file.as_file_mut()))
                .map_err(io("write", out))?;
        }
        Format::Sqlite | Format::Trello | Format::Jira => return Err(InterchangeError::Unsupported(format.label())),
    }
    stop()?;
    file.persist(out).map_err(|error| InterchangeError::Io {
        action: "write",
        cause: error.error,
        path: out.to_owned(),
    })?;
    progress.set(3, 3);
    Ok(())
}

/// Writes `bytes` to `out` through a temporary file beside it, so `out` is either untouched or complete.
///
/// # Errors
/// The file system's error.
pub fn write_atomically(out: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = file_beside(out, "")?;
    std::io::Write::write_all(&mut file, bytes)?;
    file.persist(out).map(|_| ()).map_err(|error| error.error)
}

/// A temporary file in `out`'s folder, to be renamed to `out` once complete. It gets the permissions
/// of any new file (read and write for everyone, less the user's umask), not a temporary file's
/// owner-only ones: exports and workspaces are the user's documents.
fn file_beside(out: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let folder = out.parent().filter(|parent| !parent.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(crate::store::TEMPORARY_PREFIX).suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

/// Refuses empty files and files larger than an import reads.
fn check_size(path: &Path) -> Result<(), InterchangeError> {
    let size = std::fs::metadata(path).map_err(io("read", path))?.len();
    if size == 0 {
        return Err(InterchangeError::Empty { path: path.to_owned() });
    }
    if size > MAX_IMPORT_BYTES {
        return Err(InterchangeError::TooLarge { size_mib: size / 1024 / 1024, path: path.to_owned() });
    }
    Ok(())
}

/// How many bytes [`detect`] looks at.
const SNIFF_BYTES: usize = 64 * 1024;

/// What a file holds, judged by its content (its first 64 KiB), never by its name.
///
/// # Errors
/// [`InterchangeError::Empty`], [`InterchangeError::TooLarge`], [`InterchangeError::NotRecognised`] or a
/// read error.
pub fn detect(path: &Path) -> Result<Format, InterchangeError> {
    check_size(path)?;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    {
        use std::io::Read as _;
        let file = std::fs::File::open(path).map_err(io("read", path))?;
        file.take(SNIFF_BYTES as u64).read_to_end(&mut head).map_err(io("read", path))?;
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Ok(Format::Sqlite);
    }
    let not = |reason: &str| InterchangeError::NotRecognised { reason: reason.to_owned(), path: path.to_owned() };
    let decoded;
    let text = match encoding_rs::Encoding::for_bom(&head) {
        // UTF-16 with its byte-order mark, as some spreadsheets save CSV.
        Some((encoding, bom)) if encoding != encoding_rs::UTF_8 => {
            decoded = encoding.decode_without_bom_handling(head.get(bom..).unwrap_or_default()).0;
            &*decoded
        }
        _ => match std::str::from_utf8(&head) {
            Ok(text) => text,
            // A cut at 64 KiB may split a character; only the bytes before that may be invalid.
            Err(error) if error.error_len().is_none() => {
                std::str::from_utf8(&head[..error.valid_up_to()]).unwrap_or("")
            }
            Err(_) if head.contains(&0) => return Err(not("it is binary data, not text and not a SQLite database")),
            // Not UTF-8: a CSV that Excel saved in Windows' Western European code page is read as such.
            Err(_) => {
                decoded = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&head).0;
                &*decoded
            }
        },
    };
    if text.contains('\0') {
        return Err(not("it is binary data, not text and not a SQLite database"));
    }
    let trimmed = without_comment_header(text);
    if trimmed.is_empty() {
        return Err(InterchangeError::Empty { path: path.to_owned() });
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if text.contains(document::FORMAT_NAME) {
            return Ok(Format::Json);
        }
        if text.contains("trello.com") || text.contains("\"idBoard\"") || text.contains("\"idList\"") {
            return Ok(Format::Trello);
        }
        if head.len() < SNIFF_BYTES
            && let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(trimmed)
        {
            return Err(not(&format!(
                "it starts like JSON but is not valid JSON ({error}); it may have been cut short or edited by hand. Export it again from the program that made it"
            )));
        }
        return Err(not("it is JSON, but neither a Tandem document nor a Trello board export"));
    }
    let first_line = trimmed.lines().next().unwrap_or("");
    let header =
        convert::Table::read(first_line).map_err(|_| not("it is neither JSON nor a CSV file with a header row"))?;
    if jira::is_jira(&header) {
        return Ok(Format::Jira);
    }
    if csv_import::is_tandem_csv(&header) {
        return Ok(Format::Csv);
    }
    if let Some((language, column)) = jira::localised_export(&header) {
        return Err(not(&format!(
            "it looks like a Jira export in {language} (it has a '{column}' column), and Tandem reads the column names of Jira's English exports. In Jira, choose English as the language in your profile's personal settings, export the issues as CSV again, and import that file"
        )));
    }
    Err(not(
        "its first line is not a header Tandem knows: a Jira export has Summary, Issue key and Issue Type columns, a Tandem CSV has Title, Status and Kind",
    ))
}

/// Choices a user makes about what an import reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Trello: also import the cards of archived lists, as archived items.
    pub archived_lists: bool,
}

/// Reads a file as a workspace document, whatever format it is in. Another tool's export comes back
/// with its [`document::Conversion`] filled in: how fields map and what is not kept.
///
/// # Errors
/// See [`detect`], [`read_sqlite`], [`InterchangeError::Document`] and [`InterchangeError::Convert`].
pub fn read_document(path: &Path, format: Option<Format>) -> Result<Document, InterchangeError> {
    read_document_with(path, format, ReadOptions::default())
}

/// [`read_document`] with the user's [`ReadOptions`].
///
/// # Errors
/// As [`read_document`].
pub fn read_document_with(
    path: &Path,
    format: Option<Format>,
    options: ReadOptions,
) -> Result<Document, InterchangeError> {
    let format = match format {
        Some(format) => {
            check_size(path)?;
            format
        }
        None => detect(path)?,
    };
    let today = jiff::Zoned::now().date();
    let read_text = |spreadsheet: bool| -> Result<(String, Option<&'static str>), InterchangeError> {
        let bytes = std::fs::read(path).map_err(io("read", path))?;
        decode_text(bytes, spreadsheet).map_err(|message| InterchangeError::Convert {
            what: format.label(),
            message,
            path: path.to_owned(),
        })
    };
    let failed = |message: String| InterchangeError::Convert { what: format.label(), message, path: path.to_owned() };
    match format {
        Format::Json => {
            let (text, _) = read_text(false)?;
            Document::from_json(&text)
                .map_err(|source| InterchangeError::Document { error: source, path: path.to_owned() })
        }
        Format::Sqlite => read_sqlite(path),
        Format::Trello => {
            let (text, _) = read_text(false)?;
            let value: serde_json::Value = serde_json::from_str(without_comment_header(&text))
                .map_err(|error| failed(format!("it is not complete JSON ({error})")))?;
            if !trello::is_trello(&value) {
                return Err(failed("it is JSON, but not a Trello export".to_owned()));
            }
            trello::convert(value, options.archived_lists).map_err(failed)
        }
        Format::Jira | Format::Csv => {
            let (text, encoding) = read_text(true)?;
            let table = convert::Table::read(&text).map_err(failed)?;
            let mut document =
                if format == Format::Jira { jira::convert(&table, today) } else { csv_import::convert(&table, today) }
                    .map_err(failed)?;
            if let Some(encoding) = encoding {
                document.conversion.mapping.insert(
                    0,
                    format!(
                        "Text: read as {encoding}, since the file is not UTF-8; check accented letters in the preview"
                    ),
                );
            }
            Ok(document)
        }
    }
}

/// A text file's bytes as text, and the name of its encoding when that was not UTF-8: UTF-8 (with or
/// without a byte-order mark), UTF-16 with its byte-order mark, and for a `spreadsheet` file (CSV),
/// which Excel saves in Windows' code page, Windows-1252 when the bytes are not UTF-8.
///
/// # Errors
/// Why the bytes are not text in any of those, in a sentence's second half.
pub fn decode_text(bytes: Vec<u8>, spreadsheet: bool) -> Result<(String, Option<&'static str>), String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes.get(bom..).unwrap_or_default());
        if had_errors {
            return Err(format!(
                "it starts as {} text but is not valid {} further on; save it again as UTF-8",
                encoding.name(),
                encoding.name()
            ));
        }
        return Ok((text.into_owned(), Some(encoding.name())));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(error) if spreadsheet && !error.as_bytes().contains(&0) => {
            let text = encoding_rs::WINDOWS_1252.decode_without_bom_handling(error.as_bytes()).0.into_owned();
            Ok((text, Some("Windows-1252 (Western European, as Excel saves CSV)")))
        }
        Err(error) => Err(format!(
            "it is not valid UTF-8 text (byte {}); save it again as UTF-8",
            error.utf8_error().valid_up_to()
        )),
    }
}

/// The text after a byte-order mark, blank space and any `//` comment lines before the JSON: a browser's
/// JSON viewer or a download extension saves a Trello export with such a header (the time, the address).
fn without_comment_header(text: &str) -> &str {
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    while rest.starts_with("//") {
        rest = rest.split_once('\n').map_or("", |(_, after)| after).trim_start();
    }
    rest
}

/// Reads another Tandem workspace file as untrusted input: opened read-only in defensive mode with
/// `trusted_schema` off, its application id and version checked, then copied through SQLite's
/// online backup on that same connection, so the copy holds exactly what SQLite sees (a `-wal` file
/// beside it included). The copy is then checked (integrity, no triggers or views, the schema exactly
/// Tandem's) and read; not even a migration touches the original.
///
/// # Errors
/// [`InterchangeError::UnsafeSqlite`] or a store error.
pub fn read_sqlite(path: &Path) -> Result<Document, InterchangeError> {
    let (_folder, mut store) = open_sqlite_copy(path)?;
    Ok(Document::from_store(&mut store)?)
}

/// Another Tandem workspace file, checked as untrusted input as [`read_sqlite`] says, opened as a
/// private copy (migrated to this version if it was older) that lives as long as the returned folder.
/// The original is never written to.
///
/// # Errors
/// [`InterchangeError::UnsafeSqlite`] or a store error.
pub fn open_sqlite_copy(path: &Path) -> Result<(tempfile::TempDir, Store), InterchangeError> {
    let refuse = |reason: String| InterchangeError::UnsafeSqlite { reason, path: path.to_owned() };
    // A missing file or a folder is said as such, not as SQLite's "unable to open database file".
    let metadata = std::fs::metadata(path).map_err(io("read", path))?;
    if metadata.is_dir() {
        return Err(io("read", path)(std::io::ErrorKind::IsADirectory.into()));
    }
    let unreadable = |error: rusqlite::Error| {
        refuse(if error.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
            "it is not a SQLite database at all (a Tandem JSON document, a CSV or another tool's export is \
             brought in with File ▸ Import…)"
                .to_owned()
        } else {
            error.to_string()
        })
    };
    let folder = tempfile::tempdir().map_err(io("write", path))?;
    let copy = folder.path().join("import.sqlite");
    {
        let connection = crate::store::open_for_reading(path).map_err(|error| refuse(error.to_string()))?;
        connection
            .set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
            .map_err(|error| refuse(error.to_string()))?;
        connection
            .set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
            .map_err(|error| refuse(error.to_string()))?;
        let read_i64 = |sql: &str| connection.query_row(sql, [], |row| row.get::<_, i64>(0));
        let application_id = read_i64("PRAGMA application_id").map_err(unreadable)?;
        if application_id != i64::from(schema::APPLICATION_ID) {
            return Err(refuse("it is not a Tandem workspace".to_owned()));
        }
        let version = read_i64("PRAGMA user_version").map_err(|error| refuse(error.to_string()))?;
        if version > schema::latest_version() {
            return Err(refuse(format!(
                "it was written by a newer Tandem (format {version}; this one reads up to {})",
                schema::latest_version()
            )));
        }
        let mut target = Connection::open(&copy).map_err(|error| refuse(error.to_string()))?;
        rusqlite::backup::Backup::new(&connection, &mut target)
            .and_then(|backup| backup.run_to_completion(1024, std::time::Duration::ZERO, None))
            .map_err(|error| refuse(format!("it could not be read whole ({error})")))?;
    }
    {
        // The checks run on the copy: what is checked is exactly what is imported.
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(&copy, flags).map_err(|error| refuse(error.to_string()))?;
        connection
            .set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
            .map_err(|error| refuse(error.to_string()))?;
        let integrity: String = connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|error| refuse(error.to_string()))?;
        if integrity != "ok" {
            return Err(refuse(format!("SQLite's integrity check failed ({integrity})")));
        }
        let extras: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_schema WHERE type IN ('trigger', 'view')", [], |row| row.get(0))
            .map_err(|error| refuse(error.to_string()))?;
        if extras > 0 {
            return Err(refuse(format!("it contains {extras} triggers or views, which a Tandem workspace never has")));
        }
    }
    let (store, _) = Store::open(&copy).map_err(|error| match error {
        StoreError::Untrusted { reason, .. } => refuse(reason),
        other => other.into(),
    })?;
    Ok((folder, store))
}

/// Imports a document into a new workspace file at `path`, which must not exist yet.
///
/// The workspace is built in a temporary file beside `path` with SQLite's journal off (no one else can
/// see that file, and any failure deletes it), synced to disk, and only then renamed to `path`: the
/// workspace appears complete or not at all, and every page is written once instead of twice.
///
/// # Errors
/// [`InterchangeError::Io`] when `path` exists or the folder cannot be written; a document or store
/// error, or [`InterchangeError::Cancelled`]. In every case nothing is left at `path`.
pub fn import_into_new(
    document: &Document,
    path: &Path,
    progress: &Progress,
) -> Result<ImportReport, InterchangeError> {
    let exists = || InterchangeError::Io {
        action: "create",
        cause: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "a file with that name already exists"),
        path: path.to_owned(),
    };
    if path.exists() {
        return Err(exists());
    }
    let building = file_beside(path, ".sqlite").map_err(io("create", path))?;
    let result = (|| {
        let (mut store, _) = Store::open(building.path())?;
        store.without_journal()?;
        // A new plan: its records never take the numbers of the records of the file it came from.
        store.start_ids_apart()?;
        import_with(&mut store, document, false, false, progress)
    })();
    // The store is closed by now; SQLite's side files of the temporary workspace go with it.
    crate::store::remove_side_files(building.path());
    let report = result.map_err(|error| refused_into_new(error, path))?;
    building.as_file().sync_all().map_err(io("write", path))?;
    building.persist_noclobber(path).map_err(|error| {
        if error.error.kind() == std::io::ErrorKind::AlreadyExists { exists() } else { io("create", path)(error.error) }
    })?;
    Ok(report)
}

/// What [`import_into_new`] would do with `document`, writing nothing: an empty workspace in memory
/// takes the import, which is rolled back.
///
/// # Errors
/// As [`import_into_new`], but nothing is ever written.
pub fn dry_run_into_new(
    document: &Document,
    path: &Path,
    progress: &Progress,
) -> Result<ImportReport, InterchangeError> {
    let mut store = Store::open_in_memory()?;
    import_with(&mut store, document, false, true, progress).map_err(|error| refused_into_new(error, path))
}

/// A refusal said for a new workspace: not "the workspace is as it was", since there is none yet, and
/// none is made.
fn refused_into_new(error: InterchangeError, path: &Path) -> InterchangeError {
    match error {
        InterchangeError::Store(StoreError::Refused(reason)) => {
            InterchangeError::RefusedIntoNew { reason, path: path.to_owned() }
        }
        other => other,
    }
}

/// Imports a document into the workspace in one transaction. With `dry_run` the same import runs and
/// is rolled back, so the report says exactly what would happen and nothing is kept.
///
/// # Errors
/// A document or store error; the workspace is unchanged.
pub fn import(
    store: &mut Store,
    document: &Document,
    keep_product: bool,
    dry_run: bool,
) -> Result<ImportReport, InterchangeError> {
    import_with(store, document, keep_product, dry_run, &Progress::default())
}

/// [`import`], reporting to `progress`; a cancelled import is rolled back and returns
/// [`InterchangeError::Cancelled`].
///
/// # Errors
/// A document or store error, or a cancellation; the workspace is unchanged.
pub fn import_with(
    store: &mut Store,
    document: &Document,
    keep_product: bool,
    dry_run: bool,
    progress: &Progress,
) -> Result<ImportReport, InterchangeError> {
    let options =
        ImportOptions { shift_days: 0, now: crate::model::Timestamp::now(), keep_product, progress: progress.clone() };
    let work = |tx: &rusqlite::Transaction<'_>| {
        import_in_tx(tx, document, options.clone()).map_err(|error| match error {
            DocumentError::Store(error) => error,
            other => StoreError::Refused(other.to_string()),
        })
    };
    let result = if dry_run { store.dry_run(work) } else { store.write(work) };
    match result {
        Err(_) if progress.is_cancelled() => Err(InterchangeError::Cancelled),
        other => Ok(other?),
    }
}

/// Merges `document` into the workspace `store` holds, as [`import_with`] does, and gives back the
/// SQLite changeset the import wrote (what takes it back as one undo step in the window).
///
/// # Errors
/// As [`import_with`].
pub fn import_recorded(
    store: &mut Store,
    document: &Document,
    progress: &Progress,
) -> Result<(ImportReport, Vec<u8>), InterchangeError> {
    let options = ImportOptions {
        shift_days: 0,
        now: crate::model::Timestamp::now(),
        keep_product: true,
        progress: progress.clone(),
    };
    let result = store.write_recorded(|tx: &rusqlite::Transaction<'_>| {
        import_in_tx(tx, document, options.clone()).map_err(|error| match error {
            DocumentError::Store(error) => error,
            other => StoreError::Refused(other.to_string()),
        })
    });
    match result {
        Err(_) if progress.is_cancelled() => Err(InterchangeError::Cancelled),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn cancel_stops_work_until_it_is_written_and_not_after() {
        let progress = Progress::default();
        let window = progress.clone();
        progress.wrote();
        window.cancel();
        assert!(window.is_written());
        assert!(!progress.is_cancelled(), "a change already in the file cannot be cancelled");
        let before = Progress::default();
        before.clone().cancel();
        assert!(before.is_cancelled());
    }
}
