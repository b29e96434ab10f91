//! The workspace file as untrusted input, and the files Tandem writes beside it: checks that run
//! before anything is written to an opened file, same-file detection, and temporary files.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{StoreError, schema};

/// What a file looks like before Tandem writes to it.
pub(super) struct Inspection {
    pub(super) application_id: i32,
    pub(super) user_version: i64,
    pub(super) object_count: i64,
}

/// The start of the name of every temporary file Tandem writes beside a target and renames into
/// place. One left by a crash is removed at the next start ([`remove_stale_temporaries`]).
pub const TEMPORARY_PREFIX: &str = ".tandem-";

/// Deletes a workspace file that Tandem made and no one else can have seen (a half-made new workspace,
/// a throwaway demo), with SQLite's side files; what is already gone is fine.
pub fn remove_workspace_files(path: &Path) {
    remove_side_files(path);
    let _ = std::fs::remove_file(path);
}

/// The files SQLite keeps beside a database: its write-ahead log, the log's shared memory, and the
/// rollback journal.
const SIDE_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// `path` with `suffix` after its name.
fn beside(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut side = path.as_os_str().to_owned();
    side.push(suffix);
    std::path::PathBuf::from(side)
}

/// Deletes SQLite's side files of a closed database (`-wal`, `-shm`, `-journal`).
pub fn remove_side_files(path: &Path) {
    for suffix in SIDE_SUFFIXES {
        let _ = std::fs::remove_file(beside(path, suffix));
    }
}

/// Whether two paths name the same file, however they are spelt (relative or absolute, through links):
/// the same device and inode on Unix, the same canonical path elsewhere.
#[must_use]
pub fn is_same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether `candidate` is the workspace at `workspace` or one of the files SQLite keeps beside it
/// (`-wal`, `-shm`, `-journal`), however the paths are spelt: a file nothing may be written over, and
/// that Tandem must not read with an ordinary file handle while it has the workspace open (closing the
/// handle would release the workspace connection's locks; see [`open_for_reading`]).
#[must_use]
pub fn is_workspace_file(candidate: &Path, workspace: &Path) -> bool {
    if is_same_file(candidate, workspace) {
        return true;
    }
    SIDE_SUFFIXES.iter().any(|suffix| {
        let side = beside(workspace, suffix);
        side == candidate || is_same_file(candidate, &side)
    })
}

/// The workspace `path` is a side file of (`plan.sqlite` for `plan.sqlite-wal`, `-shm` or `-journal`),
/// when that file exists.
#[must_use]
pub fn workspace_beside(path: &Path) -> Option<std::path::PathBuf> {
    let name = path.file_name()?.to_str()?;
    let stem = SIDE_SUFFIXES.iter().find_map(|suffix| name.strip_suffix(suffix))?;
    let workspace = path.with_file_name(stem);
    (!stem.is_empty() && workspace.is_file()).then_some(workspace)
}

/// Removes temporary files and folders that Tandem left in `folder` when it was killed while writing
/// (an export, an import into a new workspace, a copy). Only those older than an hour go: a younger
/// one may belong to another Tandem that is writing right now. Returns how many were removed.
#[must_use = "the count says whether anything was cleaned up"]
pub fn remove_stale_temporaries(folder: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let hour_ago = std::time::SystemTime::now().checked_sub(std::time::Duration::from_hours(1));
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMPORARY_PREFIX) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let stale = match (meta.modified(), hour_ago) {
            (Ok(modified), Some(hour_ago)) => modified < hour_ago,
            _ => false,
        };
        if !stale {
            continue;
        }
        let gone =
            if meta.is_dir() { std::fs::remove_dir_all(entry.path()) } else { std::fs::remove_file(entry.path()) };
        if gone.is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Opens a SQLite file that Tandem only reads (one to import, or one to check before opening it as a
/// workspace), so that the file's bytes never change and nothing is left beside it.
///
/// A read-only connection to a file in write-ahead-log mode makes the `-wal` and `-shm` files beside it
/// and cannot remove them when it closes. So when no side file is there (no one has the file open and
/// nothing waits in a log or a journal), it is opened for writing with every write refused
/// (`query_only`): the last connection to close takes away what it made, and with nothing waiting
/// there is nothing to copy into the file. Otherwise it is opened read-only, and what was beside it
/// stays.
///
/// The file's header is never read here with an ordinary file handle: closing any handle to a file
/// releases every lock this process holds on it (POSIX), so doing that beside an open workspace would
/// drop its connection's lock, and another program closing the file would then take away the log that
/// holds the window's latest changes.
///
/// # Errors
/// SQLite's error when the file cannot be opened.
pub fn open_for_reading(path: &Path) -> Result<Connection, rusqlite::Error> {
    or_immutable(path, open_untouched(path)?)
}

fn open_untouched(path: &Path) -> Result<Connection, rusqlite::Error> {
    let untouched = SIDE_SUFFIXES.iter().all(|suffix| !beside(path, suffix).exists());
    let access = if untouched { OpenFlags::SQLITE_OPEN_READ_WRITE } else { OpenFlags::SQLITE_OPEN_READ_ONLY };
    let connection = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    connection.pragma_update(None, "query_only", true)?;
    Ok(connection)
}

/// `connection`, opened the usual way on `path`, once it has read the file; or, when it cannot because
/// the file is a workspace in write-ahead-log mode on a read-only drive or share (SQLite needs to make a
/// shared-memory file beside it to read it), a connection that opens it immutable ([`open_immutable`]).
/// The folder is only probed after such a failure.
///
/// # Errors
/// SQLite's error when the file cannot be read either way.
pub(super) fn or_immutable(path: &Path, connection: Connection) -> Result<Connection, rusqlite::Error> {
    // Hardened before it reads anything of an untrusted file.
    harden(&connection)?;
    match connection.query_row("PRAGMA schema_version", [], |_| Ok(())) {
        Err(error)
            if matches!(
                error.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
            ) && on_read_only_medium(path) =>
        {
            drop(connection);
            open_immutable(path)
        }
        _ => Ok(connection),
    }
}

/// Whether `path` can only be read where it is: nothing waits beside it (no log, no journal) and its
/// folder cannot be written, as on a read-only drive or share. Asked by making a temporary file in the
/// folder (a nameless one where the system allows), which is gone at once.
pub(super) fn on_read_only_medium(path: &Path) -> bool {
    if SIDE_SUFFIXES.iter().any(|suffix| beside(path, suffix).exists()) || !path.is_file() {
        return false;
    }
    let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    tempfile::tempfile_in(folder).is_err_and(|error| {
        matches!(error.kind(), std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied)
    })
}

/// Opens `path` read-only and immutable: SQLite takes no locks and makes no file beside it. Only for a
/// file nothing can change while it is open, one on a read-only medium ([`on_read_only_medium`]).
///
/// # Errors
/// SQLite's error when the file cannot be opened (or its name cannot be said as a URI).
pub(super) fn open_immutable(path: &Path) -> Result<Connection, rusqlite::Error> {
    let uri = immutable_uri(path).ok_or_else(|| rusqlite::Error::InvalidPath(path.to_owned()))?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(uri, flags)?;
    connection.pragma_update(None, "query_only", true)?;
    Ok(connection)
}

/// SQLite's URI for `path` opened immutable: `file:` and the absolute path with the characters a URI
/// gives a meaning to escaped; `None` for a name that is not Unicode.
fn immutable_uri(path: &Path) -> Option<String> {
    let absolute = std::path::absolute(path).ok()?;
    let name = absolute.to_str()?;
    let mut uri = String::from("file:");
    if !name.starts_with('/') {
        // A Windows drive: file:/C:/…
        uri.push('/');
    }
    for character in name.chars() {
        match character {
            '\\' if cfg!(windows) => uri.push('/'),
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            other => uri.push(other),
        }
    }
    uri.push_str("?immutable=1");
    Some(uri)
}

/// A hardened, read-only connection to the open workspace at `path`, for a worker thread that reads it
/// beside the window (the delivery figures, a comparison): it waits up to `wait` for a writer.
///
/// # Errors
/// SQLite's error when the file cannot be opened.
pub fn reading_connection(path: &Path, wait: std::time::Duration) -> Result<Connection, rusqlite::Error> {
    let connection = open_for_reading(path)?;
    harden(&connection)?;
    connection.busy_timeout(wait)?;
    Ok(connection)
}

/// Turns on SQLite's defences against a crafted file: defensive mode (no writes to the schema table
/// or other footguns) and an untrusted schema (no functions with side effects called from it).
pub(super) fn harden(connection: &Connection) -> Result<(), rusqlite::Error> {
    connection.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    connection.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    Ok(())
}

/// Checks an existing file before anything opens it for writing, through a read-only, hardened
/// connection: it must be an empty database or a Tandem workspace of a version this build reads,
/// whose schema is exactly the one Tandem's migrations create for that version (no triggers, views,
/// extra indexes or altered tables), and which passes SQLite's quick check.
///
/// # Errors
/// [`StoreError::NotADatabase`], [`StoreError::CannotOpen`], [`StoreError::Busy`],
/// [`StoreError::NotTandem`], [`StoreError::TooNew`] or [`StoreError::Untrusted`].
pub fn check_workspace_file(path: &Path) -> Result<(), StoreError> {
    check_workspace_schema(path)?;
    quick_check_file(path)
}

/// The fast part of [`check_workspace_file`]: everything but SQLite's quick check.
pub(super) fn check_workspace_schema(path: &Path) -> Result<(), StoreError> {
    let connection = open_for_reading(path).map_err(|error| not_a_database(&error, path))?;
    harden(&connection).map_err(|error| not_a_database(&error, path))?;
    connection.busy_timeout(std::time::Duration::from_millis(500)).map_err(|error| not_a_database(&error, path))?;
    let inspection = inspect(&connection).map_err(|error| not_a_database(&error, path))?;
    if check_identity(&inspection, path)? {
        return Ok(());
    }
    let untrusted = |reason: String| StoreError::Untrusted { reason, path: path.to_owned() };
    let found = schema_objects(&connection).map_err(|error| not_a_database(&error, path))?;
    let expected = schema::expected_objects(inspection.user_version)?;
    if let Some(extra) = found.iter().find(|object| !expected.contains(object)) {
        let article = if extra.0.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        return Err(untrusted(match expected.iter().find(|known| known.1 == extra.1) {
            Some(_) => format!("the {} '{}' was changed from what Tandem created", extra.0, extra.1),
            None => format!("{article} {} called '{}'", extra.0, extra.1),
        }));
    }
    if let Some(missing) = expected.iter().find(|object| !found.contains(object)) {
        return Err(untrusted(format!("the {} '{}' that every workspace has is missing", missing.0, missing.1)));
    }
    Ok(())
}

/// SQLite's quick check (every page readable, every row well formed, every constraint kept), on a
/// reading connection of its own ([`open_for_reading`]): the slow part of [`check_workspace_file`].
pub(super) fn quick_check_file(path: &Path) -> Result<(), StoreError> {
    let connection = checking_connection(path)?;
    quick_check(&connection, path, "PRAGMA quick_check(1)")
}

/// A hardened, read-only connection for checking `path`.
fn checking_connection(path: &Path) -> Result<Connection, StoreError> {
    let connection = open_for_reading(path).map_err(|error| not_a_database(&error, path))?;
    harden(&connection).map_err(|error| not_a_database(&error, path))?;
    connection.busy_timeout(std::time::Duration::from_millis(500)).map_err(|error| not_a_database(&error, path))?;
    Ok(connection)
}

/// Runs one form of SQLite's quick check; anything but "ok" is damage.
fn quick_check(connection: &Connection, path: &Path, pragma: &str) -> Result<(), StoreError> {
    let check: String =
        connection.query_row(pragma, [], |row| row.get(0)).map_err(|error| not_a_database(&error, path))?;
    if check != "ok" {
        return Err(StoreError::NotADatabase {
            detail: format!("SQLite's check found damage: {check}"),
            path: path.to_owned(),
        });
    }
    Ok(())
}

/// [`quick_check_file`] as [`super::Store::open`] runs it, beside the load, less the items table's
/// `CHECK` rules: the structure of the whole file (every page, every row well formed, `NOT NULL`), then
/// the `CHECK` rules of every other table. SQLite evaluating the items' rules was three fifths of its
/// whole quick check (160 of 270 ms at 100,000 items); a load reads every value of every item anyway
/// and refuses one that breaks them ([`super::items`]). A store written without a load has them checked
/// by [`quick_check_item_rules`] before its first write.
pub(super) fn quick_check_but_item_rules(path: &Path) -> Result<(), StoreError> {
    let connection = checking_connection(path)?;
    let sqlite = |error: rusqlite::Error| not_a_database(&error, path);
    connection.pragma_update(None, "ignore_check_constraints", true).map_err(sqlite)?;
    quick_check(&connection, path, "PRAGMA quick_check(1)")?;
    connection.pragma_update(None, "ignore_check_constraints", false).map_err(sqlite)?;
    // The names come from a schema already compared with Tandem's own (or one Tandem just made).
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK%' ORDER BY name")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .map_err(sqlite)?;
    for table in tables.iter().filter(|table| *table != "items") {
        quick_check(&connection, path, &format!("PRAGMA quick_check('{}')", table.replace('\'', "''")))?;
    }
    Ok(())
}

/// The rest of [`quick_check_file`] after [`quick_check_but_item_rules`]: the items table's `CHECK`
/// rules, when no load has checked them.
pub(super) fn quick_check_item_rules(path: &Path) -> Result<(), StoreError> {
    let connection = checking_connection(path)?;
    quick_check(&connection, path, "PRAGMA quick_check('items')")
}

/// What the quick check of a file being opened does when a load checks the items' own rules: all of
/// it but those (for the bench, beside [`check_workspace_file`]).
pub(crate) fn quick_check_left_by_a_load(path: &Path) -> Result<(), StoreError> {
    quick_check_but_item_rules(path)
}

/// One object of a database's schema: its type, name, table and SQL.
pub type SchemaObject = (String, String, String, Option<String>);

/// Every object in a database's schema as (type, name, table, SQL), sorted.
pub(crate) fn schema_objects(connection: &Connection) -> Result<Vec<SchemaObject>, rusqlite::Error> {
    let mut statement =
        connection.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?;
    rows.collect()
}

/// Whether a file is empty (`true`: a new workspace may be made in it) or a Tandem workspace this
/// build reads (`false`).
///
/// # Errors
/// [`StoreError::NotTandem`] for another program's database, [`StoreError::TooNew`] for a newer Tandem's.
pub(super) fn check_identity(inspection: &Inspection, path: &Path) -> Result<bool, StoreError> {
    if inspection.application_id == 0 && inspection.user_version == 0 && inspection.object_count == 0 {
        return Ok(true);
    }
    if inspection.application_id != schema::APPLICATION_ID {
        return Err(StoreError::NotTandem { path: path.to_owned() });
    }
    if inspection.user_version > schema::latest_version() {
        return Err(StoreError::TooNew {
            found: inspection.user_version,
            supported: schema::latest_version(),
            path: path.to_owned(),
        });
    }
    Ok(false)
}

/// Gives a busy or read-only failure its own sentence; other errors pass through.
pub(super) fn classify(error: StoreError, action: &'static str, path: &Path) -> StoreError {
    match &error {
        StoreError::Sqlite(sqlite) => match sqlite.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy { action, path: path.to_owned() }
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly { path: path.to_owned() },
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::DiskFull { action, path: path.to_owned() },
            Some(rusqlite::ErrorCode::SystemIoFailure) => {
                StoreError::FileIo { action, detail: sqlite.to_string(), path: path.to_owned() }
            }
            _ => error,
        },
        _ => error,
    }
}

pub(super) fn inspect(connection: &Connection) -> Result<Inspection, rusqlite::Error> {
    let application_id = connection.query_row("PRAGMA application_id", [], |row| row.get(0))?;
    let user_version = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let object_count = connection.query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))?;
    Ok(Inspection { application_id, user_version, object_count })
}

pub(super) fn not_a_database(error: &rusqlite::Error, path: &Path) -> StoreError {
    let detail = error.to_string();
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::PermissionDenied) => {
            StoreError::CannotOpen { detail, path: path.to_owned() }
        }
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            StoreError::Busy { action: "open it", path: path.to_owned() }
        }
        Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly { path: path.to_owned() },
        _ => StoreError::NotADatabase { detail, path: path.to_owned() },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
mod tests {
    #[test]
    fn an_immutable_uri_escapes_what_a_uri_gives_a_meaning_to() {
        let uri = super::immutable_uri(std::path::Path::new("/plans/Q3 #1 ?50%.sqlite")).unwrap();
        assert_eq!(uri, "file:/plans/Q3 %231 %3F50%25.sqlite?immutable=1");
    }
}
