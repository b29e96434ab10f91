//! Reading a whole workspace into memory.

use super::board::{columns_in_tx, product_in_tx};
use super::items::{load_items, load_items_between};
use super::metrics::metrics_in_tx;
use super::okrs::objectives_in_tx;
use super::roadmap::{epics_in_tx, increments_in_tx, releases_in_tx};
use super::sprints::sprints_in_tx;
use super::{Store, StoreError};
use crate::model::Workspace;
use crate::model::{ItemMap, LabelSets};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

impl Store {
    /// Loads everything, in one read transaction so the parts agree.
    ///
    /// # Errors
    /// A SQLite error, or [`StoreError::Corrupt`]-style conversion failures for values edited outside Tandem.
    pub fn load(&mut self) -> Result<Workspace, StoreError> {
        let loaded = self.load_all();
        // The file's quick check ran beside the load; a damaged file is refused even if it loaded.
        self.ensure_checked()?;
        loaded.map_err(|error| match error {
            // A value of the wrong type or out of range: the file was edited by something else.
            StoreError::Sqlite(
                sqlite @ (rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..)
                | rusqlite::Error::IntegralValueOutOfRange(..)),
            ) => StoreError::Corrupt(sqlite.to_string()),
            other => other,
        })
    }

    fn load_all(&mut self) -> Result<Workspace, StoreError> {
        self.connection.pragma_update(None, "cache_size", super::LOAD_CACHE_KIB)?;
        let loaded = match self.load_everything(true) {
            // Another program wrote while the two halves were read: once more, on this connection alone.
            // (Read alone, it always gives the workspace.)
            Ok(None) => self.load_everything(false).and_then(|loaded| {
                loaded.ok_or_else(|| StoreError::Corrupt("the workspace changed while it was read".to_owned()))
            }),
            Ok(Some(workspace)) => Ok(workspace),
            Err(error) => Err(error),
        };
        // The pages read while loading are all in memory now, as the workspace: keeping them cached
        // too would hold 4 MB at 100,000 items for nothing. An edit reads its few pages back.
        self.connection.execute_batch("PRAGMA shrink_memory")?;
        self.connection.pragma_update(None, "cache_size", super::CACHE_KIB)?;
        loaded
    }

    /// Everything, in one read transaction; with `halves`, a large workspace's items are read in two
    /// halves at once ([`items_in_halves`]), and `None` means another program wrote meanwhile.
    fn load_everything(&mut self, halves: bool) -> Result<Option<Workspace>, StoreError> {
        let helper = if halves { self.helper_for_load() } else { None };
        let version = match &helper {
            Some(_) => Some(self.data_version()?),
            None => None,
        };
        let transaction = self.connection.transaction()?;
        let mut workspace = Workspace::new(product_in_tx(&transaction)?);
        workspace.columns = columns_in_tx(&transaction)?;
        workspace.epics = epics_in_tx(&transaction)?;
        workspace.releases = releases_in_tx(&transaction)?;
        workspace.increments = increments_in_tx(&transaction)?;
        workspace.sprints = sprints_in_tx(&transaction)?;
        workspace.objectives = objectives_in_tx(&transaction)?;
        workspace.metrics = metrics_in_tx(&transaction)?;
        workspace.personas = super::research::personas_in_tx(&transaction)?;
        workspace.insights = super::research::insights_in_tx(&transaction)?;
        workspace.label_colours = super::labels::label_colours_in_tx(&transaction)?;
        let items = match helper {
            Some(helper) => items_in_halves(&transaction, helper)?,
            None => load_items(&transaction)?,
        };
        workspace.set_item_map(items);
        // Every item was read and kept the items table's rules: the quick check need not evaluate them.
        self.item_rows.verified_by_load();
        workspace.set_comment_counts(super::comments::comment_counts_in_tx(&transaction)?);
        transaction.finish()?;
        if version.is_some() && version != Some(self.data_version()?) {
            return Ok(None);
        }
        Ok(Some(workspace))
    }

    /// A second connection to read half the items on, when there are enough for two threads to pay:
    /// a reading one, on a file this store can write (a read-only or immutable one is read alone).
    fn helper_for_load(&self) -> Option<Connection> {
        let count: i64 = self.connection.query_row("SELECT count(*) FROM items", [], |row| row.get(0)).ok()?;
        if count < HALVES_FROM || self.read_only || !self.path.is_file() {
            return None;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let helper = Connection::open_with_flags(&self.path, flags).ok()?;
        super::files::harden(&helper).ok()?;
        helper.pragma_update(None, "cache_size", super::LOAD_CACHE_KIB).ok()?;
        Some(helper)
    }
}

/// From this many items on, a load reads them in two halves at once.
const HALVES_FROM: i64 = 20_000;

/// Every item, the first half by id read here and the rest by `helper` on a thread, at once: at 100,000
/// items reading them is most of opening a workspace, and a laptop has a core to spare.
///
/// Both halves must come from the same state of the file. The helper reads inside this connection's
/// read transaction; the caller compares `PRAGMA data_version` from before that transaction began with
/// after it ended, and reads again alone if another program wrote in between (in the write-ahead log
/// a reader does not hold writers back, so the helper's view could otherwise be newer).
fn items_in_halves(connection: &Connection, helper: Connection) -> Result<ItemMap, StoreError> {
    let count: i64 = connection.query_row("SELECT count(*) FROM items", [], |row| row.get(0))?;
    let middle: Option<i64> = connection
        .query_row("SELECT item_id FROM items ORDER BY item_id LIMIT 1 OFFSET ?1", [count / 2], |row| row.get(0))
        .optional()?;
    let Some(split) = middle.and_then(|middle| middle.checked_sub(1)) else {
        return load_items(connection);
    };
    let lower = usize::try_from(count / 2).unwrap_or(0);
    let upper = usize::try_from(count).unwrap_or(0).saturating_sub(lower);
    let mut sets = LabelSets::default();
    let (first, second) = std::thread::scope(|scope| {
        let second = std::thread::Builder::new().name("tandem-load".to_owned()).spawn_scoped(scope, move || {
            load_items_between(&helper, (middle.unwrap_or(i64::MAX), i64::MAX), upper, &mut LabelSets::default())
        });
        // Room for both halves at once: the second is added to the first without growing it.
        let first = load_items_between(connection, (i64::MIN, split), lower + upper, &mut sets);
        let second = match second {
            Ok(handle) => handle.join().ok().and_then(Result::ok),
            Err(_) => None,
        };
        (first, second)
    });
    // Whatever stopped the helper (a thread that could not start, a lock), this connection reads its
    // half itself, and says what is wrong with the file if anything is.
    let second = match second {
        Some(second) => second,
        None => {
            load_items_between(connection, (middle.unwrap_or(i64::MAX), i64::MAX), upper, &mut LabelSets::default())?
        }
    };
    let mut items = first?;
    for (item_id, mut item) in second {
        if !item.labels.is_empty() {
            item.labels = sets.share(&item.labels);
        }
        items.insert(item_id, item);
    }
    Ok(items)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a step that fails is the test failing")]
mod tests {
    use super::items_in_halves;
    use crate::store::items::load_items;

    #[test]
    fn items_read_in_two_halves_are_the_items_read_at_once_in_the_same_order_sharing_labels() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("halves.sqlite");
        let store = crate::demo::create_demo_for(&path, jiff::civil::date(2026, 11, 18)).unwrap();
        let whole = load_items(store.connection()).unwrap();
        let helper = rusqlite::Connection::open(&path).unwrap();
        let halves = items_in_halves(store.connection(), helper).unwrap();
        assert!(whole.len() > 40, "the sample has its items");
        assert!(whole.keys().eq(halves.keys()), "the same items, in the same order");
        assert!(whole.values().eq(halves.values()), "each item the same, criteria and labels too");
        // An item of the first half and one of the second that carry the same labels share one list,
        // as a load at once keeps them.
        let items: Vec<_> = halves.values().collect();
        let (lower, upper) = items.split_at(items.len() / 2);
        let pairs: Vec<_> = lower
            .iter()
            .flat_map(|a| upper.iter().filter(|b| !a.labels.is_empty() && a.labels == b.labels).map(move |b| (a, b)))
            .collect();
        assert!(!pairs.is_empty(), "the sample has items with the same labels in both halves");
        for (a, b) in pairs {
            assert!(a.labels.shares_with(&b.labels), "#{} and #{}", a.item_id.0, b.item_id.0);
        }
    }
}
