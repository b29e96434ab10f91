//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, reason = "test helpers")]

use tandem::model::{BacklogItem, ColumnId, ItemKind, Timestamp};
use tandem::store::Store;

/// An in-memory store with the default columns.
pub fn blank_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    tandem::demo::seed_blank(&mut store, "Test product").unwrap();
    store
}

/// The ids of the store's columns, left to right.
pub fn column_ids(store: &Store) -> Vec<ColumnId> {
    tandem::store::planning::columns_in_tx(store.connection()).unwrap().iter().map(|column| column.column_id).collect()
}

/// A story with a title, for a column.
pub fn story(title: &str, column_id: ColumnId) -> BacklogItem {
    BacklogItem::new(ItemKind::Story, title, column_id, Timestamp::now())
}

/// Every row of every table, as text: two dumps are equal exactly when the content is.
pub fn dump(store: &Store) -> String {
    let connection = store.connection();
    let mut tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    let mut out = String::new();
    for table in tables {
        out.push_str("## ");
        out.push_str(&table);
        out.push('\n');
        let mut statement = connection.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2")).unwrap();
        let columns = statement.column_count();
        let mut rows = statement.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let values: Vec<String> = (0..columns).map(|index| format!("{:?}", row.get_ref(index).unwrap())).collect();
            out.push_str(&values.join("|"));
            out.push('\n');
        }
    }
    out
}
