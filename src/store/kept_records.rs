//! Records a partner's copy deleted that stay here: a merge keeps a record the copy deleted when it
//! changed here and "mine" wins (or no side is chosen yet, in a review). The copy's changeset holds more
//! than the record's deletion: its foreign keys' actions, recorded with it, delete the record's details
//! (an item's criteria, labels, history and comments, a KPI's samples) and clear the references to it
//! (the items of an epic or a sprint, an item's sub-tasks). SQLite applies those as they are, since
//! nothing here changed them. [`Dependents::read`] notes them before the changeset is applied, and
//! [`Dependents::put_back`] restores them afterwards for every record that stayed, so a record kept is
//! kept whole.
//!
//! A record the copy deleted that was only given details here (a comment on an item, a sample of a KPI)
//! is not "changed here" to SQLite: the details are rows of their own, which the deletion would take
//! along. [`mark_given_details`] marks the record for the apply, so SQLite asks about its deletion and
//! the merge makes it a conflict instead.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::Value;

use super::StoreError;
use super::changesets::{DELETE, UPDATE};

/// A row that refers to a record the copy deletes, as it is here before the merge.
#[derive(Debug)]
struct Dependent {
    table: String,
    /// The referring column.
    column: String,
    /// Whether the deletion deletes the row (`CASCADE`) or clears the reference (`SET NULL`).
    cascade: bool,
    /// The row's id, for a table with one (its rowid); `None` for a table without rowids.
    rowid: Option<i64>,
    /// The integer key column that is the rowid, when there is one.
    rowid_column: Option<String>,
    /// Every column's name and value.
    names: Vec<String>,
    values: Vec<Value>,
}

/// The rows referring to each record the copy deletes that exists here.
#[derive(Debug, Default)]
pub(super) struct Dependents {
    /// `(table, id, key column, rows referring to it)`.
    records: Vec<(String, i64, String, Vec<Dependent>)>,
}

/// A reference between two merged tables that a deletion follows or is refused by: `(child table, child
/// column, parent table, cascade)`. A deletion deletes the details (cascade), clears the other references
/// (an item's epic), or, for an item's column, is refused while the column holds items.
fn followed_references(connection: &Connection) -> Result<Vec<(String, String, String, bool)>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT m.name, f.\"from\", f.\"table\", f.on_delete FROM sqlite_schema AS m, \
         pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.on_delete IN ('CASCADE', 'SET NULL', 'RESTRICT')",
    )?;
    let found: Vec<(String, String, String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))?
        .collect::<Result<_, _>>()?;
    let merged = |table: &str| super::journal::MERGED_TABLES.contains(&table);
    Ok(found
        .into_iter()
        .filter(|(child, _, parent, _)| merged(child) && merged(parent))
        .map(|(child, column, parent, action)| (child, column, parent, action == "CASCADE"))
        .collect())
}

/// The tables the references refer to, each once.
fn parent_tables(references: &[(String, String, String, bool)]) -> Vec<&str> {
    let mut parents: Vec<&str> = references.iter().map(|(_, _, parent, _)| parent.as_str()).collect();
    parents.sort_unstable();
    parents.dedup();
    parents
}

/// The tables and columns of the details of a record of `table`: the rows its deletion deletes.
///
/// # Errors
/// A SQLite error.
pub(super) fn details_of(connection: &Connection, table: &str) -> Result<Vec<(String, String)>, StoreError> {
    Ok(followed_references(connection)?
        .into_iter()
        .filter(|(_, _, parent, cascade)| parent == table && *cascade)
        .map(|(child, column, _, _)| (child, column))
        .collect())
}

/// After a record deleted here is brought back from the copy: the rows that refer to it in the copy
/// and refer to nothing here (its deletion here cleared the reference: an item taken out of the epic,
/// a sub-task out of its item) refer to it again. A row here that refers to another record since keeps
/// that.
///
/// # Errors
/// A SQLite error.
pub(super) fn refer_again(
    connection: &Connection,
    theirs: &Connection,
    table: &str,
    id: i64,
) -> Result<(), StoreError> {
    for (child, column, parent, cascade) in followed_references(connection)? {
        if parent != table || cascade || rowid_column(connection, &child)?.is_none() {
            continue;
        }
        let mut referring = theirs.prepare(&format!("SELECT rowid FROM \"{child}\" WHERE \"{column}\" = ?1"))?;
        let rows: Vec<i64> = referring.query_map([id], |row| row.get(0))?.collect::<Result<_, _>>()?;
        let mut update = connection
            .prepare(&format!("UPDATE \"{child}\" SET \"{column}\" = ?1 WHERE rowid = ?2 AND \"{column}\" IS NULL"))?;
        for rowid in rows {
            update.execute([id, rowid])?;
        }
    }
    Ok(())
}

/// A table's integer key column that is its rowid, if it has one.
fn rowid_column(connection: &Connection, table: &str) -> Result<Option<String>, StoreError> {
    let without_rowid: bool = connection.query_row(
        "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema WHERE type = 'table' AND name = ?1",
        [table],
        |row| row.get(0),
    )?;
    if without_rowid {
        return Ok(None);
    }
    let mut statement = connection.prepare("SELECT name, type FROM pragma_table_info(?1) WHERE pk > 0")?;
    let keys: Vec<(String, String)> =
        statement.query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(match keys.as_slice() {
        [(name, kind)] if kind.eq_ignore_ascii_case("INTEGER") => Some(name.clone()),
        _ => None,
    })
}

/// The ids of the records of `table` that `changeset` deletes, in order, with the table's key column;
/// `None` when it deletes none.
fn deleted_records(
    connection: &Connection,
    changeset: &[u8],
    table: &str,
) -> Result<Option<(Vec<i64>, String)>, StoreError> {
    let mut deleted: Vec<i64> = super::changesets::deleted_ids(changeset, table)?.into_iter().collect();
    if deleted.is_empty() {
        return Ok(None);
    }
    deleted.sort_unstable();
    Ok(key_column(connection, table)?.map(|key| (deleted, key)))
}

fn key_column(connection: &Connection, table: &str) -> Result<Option<String>, StoreError> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info(?1) WHERE pk = 1")?;
    Ok(statement.query_map([table], |row| row.get(0))?.next().transpose()?)
}

impl Dependents {
    /// Notes, before `changeset` is applied, what refers to each record it deletes that exists here, to
    /// be put back if the record stays: the rows that refer to it here, and as the copy had them when
    /// the partner deleted it ([`Child::kept_rows`]; `entries` are the copy's changes that make
    /// `changeset`, in order). What the partner did to them before she deleted the record (a card
    /// taken out of the epic, a criterion removed or reworded) stays done.
    ///
    /// # Errors
    /// A SQLite error, or [`StoreError::Corrupt`] for a changeset SQLite cannot read.
    pub(super) fn read(connection: &Connection, changeset: &[u8], entries: &[&[u8]]) -> Result<Self, StoreError> {
        let references = followed_references(connection)?;
        let parents = parent_tables(&references);
        let mut dependents = Self::default();
        for parent in parents {
            let Some((deleted, key)) = deleted_records(connection, changeset, parent)? else {
                continue;
            };
            let mut exists = connection.prepare(&format!("SELECT 1 FROM \"{parent}\" WHERE \"{key}\" = ?1"))?;
            let mut here = Vec::new();
            for id in deleted {
                if exists.exists([id])? {
                    here.push(id);
                }
            }
            if here.is_empty() {
                continue;
            }
            let mut children = Vec::new();
            for (child, column, _, cascade) in references.iter().filter(|(_, _, of, _)| of == parent) {
                children.push(Child::read(connection, changeset, (child, column), *cascade)?);
            }
            // The copy's change that deleted each record (the last, should two): its row images are the
            // record's details as they were in the copy then.
            let mut deleting: HashMap<i64, usize> = HashMap::new();
            for (at, entry) in entries.iter().enumerate() {
                for id in super::changesets::deleted_ids(entry, parent)? {
                    deleting.insert(id, at);
                }
            }
            // What each deleting change took from the records it deleted, per child table, read once.
            let mut taken: HashMap<(usize, usize), Taken> = HashMap::new();
            for id in here {
                let mut rows = Vec::new();
                for (at_child, child) in children.iter().enumerate() {
                    let from_record = match deleting.get(&id) {
                        Some(&at) => {
                            let from_entry = match taken.entry((at, at_child)) {
                                std::collections::hash_map::Entry::Occupied(read) => read.into_mut(),
                                // As it was recorded: an entry of an older Tandem lacks the columns
                                // added since, which a row put back then takes their defaults for.
                                std::collections::hash_map::Entry::Vacant(unread) => {
                                    unread.insert(child.taken_by(entries[at])?)
                                }
                            };
                            Some(from_entry.get(&id).unwrap_or(&NOTHING_TAKEN))
                        }
                        None => None,
                    };
                    rows.extend(child.kept_rows(connection, id, from_record)?);
                }
                if !rows.is_empty() {
                    dependents.records.push((parent.to_owned(), id, key.clone(), rows));
                }
            }
        }
        Ok(dependents)
    }

    /// After the changeset is applied: for every record it was to delete that is still here, the rows
    /// that referred to it and were deleted are put back, and the references cleared are set again.
    /// Rows the copy or the merge changed otherwise are left as they are.
    ///
    /// # Errors
    /// A SQLite error.
    pub(super) fn put_back(&self, connection: &Connection) -> Result<(), StoreError> {
        for (table, id, key, rows) in &self.records {
            let stayed =
                connection.prepare_cached(&format!("SELECT 1 FROM \"{table}\" WHERE \"{key}\" = ?1"))?.exists([id])?;
            if !stayed {
                continue;
            }
            for row in rows {
                if row.cascade {
                    insert_again(connection, row)?;
                } else if let Some(rowid) = row.rowid {
                    connection.execute(
                        &format!(
                            "UPDATE \"{}\" SET \"{}\" = ?1 WHERE rowid = ?2 AND \"{}\" IS NULL",
                            row.table, row.column, row.column
                        ),
                        rusqlite::params![id, rowid],
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// What one of the copy's changes took from the records it deleted: by record, the rows (by key) it
/// deleted with it or whose reference to it it cleared, with their images then.
type Taken = HashMap<i64, HashMap<Vec<String>, super::changesets::RowChange>>;

/// What a deleting change took from a record it took nothing from.
static NOTHING_TAKEN: std::sync::LazyLock<HashMap<Vec<String>, super::changesets::RowChange>> =
    std::sync::LazyLock::new(HashMap::new);

/// A table whose rows refer to records of another through a column, as [`Dependents::read`] needs it.
struct Child<'a> {
    table: &'a str,
    column: &'a str,
    /// Whether deleting the record deletes the rows (details) or clears their reference.
    cascade: bool,
    /// The column's place in a row image.
    place: usize,
    /// The integer key column that is the rowid, and its place, when there is one.
    rowid: Option<(String, usize)>,
    /// Every column's name, in order.
    names: Vec<String>,
    /// Which columns make the key.
    keys: Vec<bool>,
    /// The partner's net change to each row, by key ([`super::changesets::key_words`]).
    net: HashMap<Vec<String>, super::changesets::RowChange>,
}

impl<'a> Child<'a> {
    fn read(
        connection: &Connection,
        changeset: &[u8],
        (table, column): (&'a str, &'a str),
        cascade: bool,
    ) -> Result<Self, StoreError> {
        let mut statement = connection.prepare("SELECT name, pk > 0 FROM pragma_table_info(?1) ORDER BY cid")?;
        let columns: Vec<(String, bool)> =
            statement.query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
        let (names, keys): (Vec<String>, Vec<bool>) = columns.into_iter().unzip();
        let place = names.iter().position(|name| name == column).unwrap_or(usize::MAX);
        let rowid = rowid_column(connection, table)?
            .and_then(|name| names.iter().position(|one| *one == name).map(|at| (name, at)));
        let net = super::changesets::row_changes(changeset, table)?
            .into_iter()
            .map(|change| (change.key(&keys), change))
            .collect();
        Ok(Self { table, column, cascade, place, rowid, names, keys, net })
    }

    /// What `deleting` (one of the copy's changes, as it was recorded) took from each record
    /// it deleted: the rows of this table it deleted with it or whose reference to it it cleared, by
    /// record and key, with their images then.
    fn taken_by(&self, deleting: &[u8]) -> Result<Taken, StoreError> {
        let mut taken: Taken = HashMap::new();
        for change in super::changesets::row_changes(deleting, self.table)? {
            let Some(Some(Value::Integer(record))) = change.old.get(self.place) else {
                continue;
            };
            let released = change.operation == DELETE
                || (change.operation == UPDATE
                    && change
                        .new
                        .get(self.place)
                        .is_some_and(|value| value.as_ref().is_some_and(|value| *value != Value::Integer(*record))));
            if released {
                let record = *record;
                taken.entry(record).or_default().insert(change.key(&self.keys), change);
            }
        }
        Ok(taken)
    }

    /// The rows to put back for the record `id` if it stays: the rows that refer to it here, and those
    /// that referred to it in the copy when the partner deleted it (`taken`: what the copy's change that
    /// deleted it took from it, [`Child::taken_by`]; `None` if that change is not known). A detail both
    /// have is put back as the copy had it unless it was changed here; one the partner deleted or took
    /// off the record before (in another change) stays away unless it was changed here; one the partner
    /// added or put in since stays.
    fn kept_rows(
        &self,
        connection: &Connection,
        id: i64,
        taken: Option<&HashMap<Vec<String>, super::changesets::RowChange>>,
    ) -> Result<Vec<Dependent>, StoreError> {
        let here = referring_rows(
            connection,
            (self.table, self.column, self.rowid.as_ref().map(|(name, _)| name)),
            self.cascade,
            id,
        )?;
        let Some(taken) = taken else {
            return Ok(here);
        };
        let record = Value::Integer(id);
        let refers =
            |image: &[Option<Value>]| image.get(self.place).is_some_and(|value| value.as_ref() == Some(&record));
        let mut kept = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for row in here {
            let key = row.key(&self.keys);
            let net = self.net.get(&key);
            let unchanged_here = net.is_some_and(|net| {
                if self.cascade {
                    net.operation == DELETE
                        && net
                            .old
                            .iter()
                            .map(|value| value.clone().unwrap_or(Value::Null))
                            .eq(row.values.iter().cloned())
                } else {
                    // Its reference was the record's before the partner changed it.
                    refers(&net.old)
                }
            });
            match taken.get(&key) {
                Some(change) if self.cascade && unchanged_here => kept.push(self.dependent(change)),
                // The partner took it off the record before she deleted it.
                None if unchanged_here => {}
                _ => kept.push(row),
            }
            seen.insert(key);
        }
        for (key, change) in taken {
            if seen.contains(key) {
                continue;
            }
            // Added to the record or put in it in the copy before the deletion: it stays, unless it
            // was deleted or moved elsewhere here.
            let net = self.net.get(key);
            let put_back = if self.cascade {
                // Deleted here: it stays deleted.
                net.is_none_or(|net| net.operation != DELETE)
            } else if net.is_some_and(|net| net.operation == super::changesets::INSERT) {
                true
            } else {
                // Put back only where its reference is here what it was before the partner's changes.
                let before = net
                    .and_then(|net| net.old.get(self.place).cloned().flatten())
                    .or_else(|| change.new.get(self.place).cloned().flatten());
                let Some((name, at)) = &self.rowid else {
                    continue;
                };
                let row = change.old.get(*at).cloned().flatten().unwrap_or(Value::Null);
                let now: Option<Value> = connection
                    .prepare_cached(&format!(
                        "SELECT \"{}\" FROM \"{}\" WHERE \"{name}\" = ?1",
                        self.column, self.table
                    ))?
                    .query_map([row], |found| found.get(0))?
                    .next()
                    .transpose()?;
                now.is_some() && now == before
            };
            if put_back {
                kept.push(self.dependent(change));
            }
        }
        Ok(kept)
    }

    /// A row as a change's old image has it: the columns the image has (one recorded by an older
    /// Tandem has fewer; the others get their defaults when it is put back).
    fn dependent(&self, change: &super::changesets::RowChange) -> Dependent {
        let values: Vec<Value> = change.old.iter().map(|value| value.clone().unwrap_or(Value::Null)).collect();
        let names = self.names.iter().take(values.len()).cloned().collect();
        let rowid = self.rowid.as_ref().and_then(|(_, at)| match values.get(*at) {
            Some(Value::Integer(number)) => Some(*number),
            _ => None,
        });
        Dependent {
            table: self.table.to_owned(),
            column: self.column.to_owned(),
            cascade: self.cascade,
            rowid,
            rowid_column: self.rowid.as_ref().map(|(name, _)| name.clone()),
            names,
            values,
        }
    }
}

impl Dependent {
    /// The row's key in words, as [`super::changesets::RowChange::key`] gives it.
    fn key(&self, keys: &[bool]) -> Vec<String> {
        self.values
            .iter()
            .zip(keys)
            .filter(|(_, is_key)| **is_key)
            .map(|(value, _)| super::changesets::key_words(value))
            .collect()
    }
}

/// The rows of `table` whose `column` refers to `id`, whole (`rowid_column`: the table's integer key
/// that is its rowid, if it has one).
fn referring_rows(
    connection: &Connection,
    (table, column, rowid_column): (&str, &str, Option<&String>),
    cascade: bool,
    id: i64,
) -> Result<Vec<Dependent>, StoreError> {
    let select = if rowid_column.is_some() { "rowid, *" } else { "NULL, *" };
    let mut statement =
        connection.prepare_cached(&format!("SELECT {select} FROM \"{table}\" WHERE \"{column}\" = ?1"))?;
    let names: Vec<String> = statement.column_names().iter().skip(1).map(|name| (*name).to_owned()).collect();
    let count = statement.column_count();
    let rows = statement
        .query_map([id], |row| {
            Ok(Dependent {
                table: table.to_owned(),
                column: column.to_owned(),
                cascade,
                rowid: row.get(0)?,
                rowid_column: rowid_column.cloned(),
                names: names.clone(),
                values: (1..count).map(|at| row.get::<_, Value>(at)).collect::<Result<_, _>>()?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// Inserts a deleted detail again as it was; under a new number when its number was taken meanwhile by
/// another row (history rows are only numbered). Nothing when it is still here.
fn insert_again(connection: &Connection, row: &Dependent) -> Result<(), StoreError> {
    let quoted: Vec<String> = row.names.iter().map(|name| format!("\"{name}\"")).collect();
    let marks: Vec<String> = (1..=row.values.len()).map(|at| format!("?{at}")).collect();
    if let (Some(rowid), Some(key)) = (row.rowid, &row.rowid_column) {
        let taken =
            connection.prepare_cached(&format!("SELECT 1 FROM \"{}\" WHERE rowid = ?1", row.table))?.exists([rowid])?;
        if taken {
            let same = format!(
                "SELECT 1 FROM \"{}\" WHERE rowid = ?{} AND {}",
                row.table,
                row.values.len() + 1,
                quoted
                    .iter()
                    .zip(&marks)
                    .map(|(name, mark)| format!("{name} IS {mark}"))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            );
            let mut values = row.values.clone();
            values.push(Value::Integer(rowid));
            if connection.prepare(&same)?.exists(rusqlite::params_from_iter(&values))? {
                return Ok(());
            }
            // Its number went to another row: the same row under the next free number.
            let (names, values): (Vec<&String>, Vec<&Value>) =
                quoted.iter().zip(&row.values).filter(|(name, _)| name.trim_matches('"') != key).unzip();
            let marks: Vec<String> = (1..=values.len()).map(|at| format!("?{at}")).collect();
            connection.execute(
                &format!(
                    "INSERT INTO \"{}\" ({}) VALUES ({})",
                    row.table,
                    names.iter().map(|name| name.as_str()).collect::<Vec<_>>().join(", "),
                    marks.join(", ")
                ),
                rusqlite::params_from_iter(values),
            )?;
            return Ok(());
        }
    }
    connection.execute(
        &format!("INSERT OR IGNORE INTO \"{}\" ({}) VALUES ({})", row.table, quoted.join(", "), marks.join(", ")),
        rusqlite::params_from_iter(&row.values),
    )?;
    Ok(())
}

/// A record the copy deleted that was given details here since (an item a comment, a criterion or a
/// label; a KPI a sample; an objective a key result; an epic a dependency): what they are, in words, and
/// the marked column's value here, set aside while the changeset is applied.
#[derive(Debug)]
pub(super) struct GivenDetails {
    pub(super) table: String,
    pub(super) id: i64,
    /// "1 comment and 2 acceptance criteria".
    pub(super) words: String,
    key: String,
    column: &'static str,
    value: Value,
}

/// The column [`mark_given_details`] marks on a record of `table`: one that no other check of the
/// merge reads.
pub(super) fn marked_column(table: &str) -> Option<&'static str> {
    match table {
        "items" => Some("updated_at"),
        "epics" | "objectives" | "metrics" | "personas" => Some("description"),
        "sprints" => Some("goal"),
        "insights" => Some("detail"),
        "program_increments" | "board_columns" => Some("name"),
        _ => None,
    }
}

/// Details counted per table, in words: "1 comment and 2 acceptance criteria".
fn details_in_words(counts: &[(&str, usize)]) -> String {
    let each: Vec<String> = counts
        .iter()
        .map(|(table, count)| {
            let (one, many) = detail_words(table);
            if *count == 1 { format!("1 {one}") } else { format!("{count} {many}") }
        })
        .collect();
    match each.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

/// A record deleted here that the copy gave details or new references since (a comment on an item, a
/// sample of a KPI, an item put in an epic or a sprint): which, and what it was given, in words.
#[derive(Debug)]
pub(super) struct GivenThere {
    pub(super) table: String,
    pub(super) id: i64,
    pub(super) words: String,
}

/// The records deleted here that `changeset` adds details to (rows that go with them) or refers to
/// anew (an item put in an epic, a sub-task under an item, an epic serving an objective): taking those
/// alone would leave the details nowhere and the references empty (the merge lets them go, said), so
/// each is a conflict: keep it deleted, or bring it back from the copy with them.
///
/// # Errors
/// A SQLite error, or [`StoreError::Corrupt`] for a changeset SQLite cannot read.
pub(super) fn given_details_there(connection: &Connection, changeset: &[u8]) -> Result<Vec<GivenThere>, StoreError> {
    let references = followed_references(connection)?;
    let parents = parent_tables(&references);
    let mut found = Vec::new();
    for parent in parents {
        let Some(key) = key_column(connection, parent)? else {
            continue;
        };
        let key_place = column_place(connection, parent, &key)?;
        let added: std::collections::HashSet<i64> = match key_place {
            Some(place) => super::changesets::inserted_integers(changeset, parent, place)?.into_iter().collect(),
            None => std::collections::HashSet::new(),
        };
        let mut counts: std::collections::BTreeMap<i64, Vec<(&str, usize)>> = std::collections::BTreeMap::new();
        for (child, column, _, cascade) in references.iter().filter(|(_, _, of, _)| of == parent) {
            let Some(place) = column_place(connection, child, column)? else {
                continue;
            };
            // Details come as new rows; a reference also as a changed one (an item moved into the epic).
            let ids = if *cascade {
                super::changesets::inserted_integers(changeset, child, place)?
            } else {
                super::changesets::set_integers(changeset, child, place)?
            };
            let mut per_record: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
            for id in ids {
                *per_record.entry(id).or_default() += 1;
            }
            for (id, count) in per_record {
                counts.entry(id).or_default().push((counted_as(child, column), count));
            }
        }
        let mut exists = connection.prepare(&format!("SELECT 1 FROM \"{parent}\" WHERE \"{key}\" = ?1"))?;
        for (id, details) in counts {
            if added.contains(&id) || exists.exists([id])? {
                continue;
            }
            found.push(GivenThere { table: parent.to_owned(), id, words: details_in_words(&details) });
        }
    }
    Ok(found)
}

/// A column's place in its table, as a changeset's row images hold the columns.
pub(super) fn column_place(connection: &Connection, table: &str, column: &str) -> Result<Option<usize>, StoreError> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names: Vec<String> = statement.query_map([table], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(names.iter().position(|name| name == column))
}

/// What a row of `child` referring to a record through `column` is counted as ([`detail_words`]): its
/// table, or "sub-tasks" for an item under another.
fn counted_as<'a>(child: &'a str, column: &str) -> &'a str {
    if column == "parent_id" { "sub-tasks" } else { child }
}

/// How a detail is counted in words: singular and plural.
fn detail_words(table: &str) -> (&'static str, &'static str) {
    match table {
        "comments" => ("comment", "comments"),
        "acceptance_criteria" => ("acceptance criterion", "acceptance criteria"),
        "item_labels" => ("label", "labels"),
        "status_changes" => ("move", "moves"),
        "key_results" => ("key result", "key results"),
        "metric_samples" => ("KPI sample", "KPI samples"),
        "epic_dependencies" => ("dependency", "dependencies"),
        "items" => ("item", "items"),
        "sub-tasks" => ("sub-task", "sub-tasks"),
        "epics" => ("epic", "epics"),
        "metrics" => ("KPI", "KPIs"),
        "objectives" => ("objective", "objectives"),
        "insights" => ("insight", "insights"),
        _ => ("detail", "details"),
    }
}

/// The records `changeset` deletes that hold details here it does not delete with them, or that rows
/// here refer to which it does not change: details and references written here since the two copies
/// last shared a state (a comment on the item, a card put in the epic), which the deletion would take
/// along or clear unsaid. Each
/// record gets a mark in one column, so that SQLite finds it changed here and asks about its deletion
/// (the merge records a conflict), and [`unmark_given_details`] puts the column back when it stays.
///
/// # Errors
/// A SQLite error, or [`StoreError::Corrupt`] for a changeset SQLite cannot read.
pub(super) fn mark_given_details(connection: &Connection, changeset: &[u8]) -> Result<Vec<GivenDetails>, StoreError> {
    let references = followed_references(connection)?;
    let mut marked = Vec::new();
    for parent in parent_tables(&references) {
        let Some(column) = marked_column(parent) else {
            continue;
        };
        let Some((deleted, key)) = deleted_records(connection, changeset, parent)? else {
            continue;
        };
        let details: Vec<&(String, String, String, bool)> =
            references.iter().filter(|(_, _, of, _)| of == parent).collect();
        let mut gone = Vec::new();
        let mut selects = Vec::new();
        for (child, reference, _, _) in &details {
            // The rows the copy deleted with the record, or took out of it (as the deletion does).
            let released = match column_place(connection, child, reference)? {
                Some(place) => super::changesets::released_rows(changeset, child, place)?,
                None => std::collections::HashSet::new(),
            };
            gone.push(released);
            selects.push(keys_select(connection, child, reference)?);
        }
        for id in deleted {
            let mut counts = Vec::new();
            for (((child, reference, _, _), gone), select) in details.iter().zip(&gone).zip(&selects) {
                let written_here = keys_of_rows(connection, select, id)?
                    .into_iter()
                    .filter(|row_key| !gone.contains(&(row_key.clone(), id)))
                    .count();
                if written_here > 0 {
                    counts.push((counted_as(child, reference), written_here));
                }
            }
            if counts.is_empty() {
                continue;
            }
            let value: Option<Value> = connection
                .prepare(&format!("SELECT \"{column}\" FROM \"{parent}\" WHERE \"{key}\" = ?1"))?
                .query_map([id], |row| row.get(0))?
                .next()
                .transpose()?;
            let Some(value) = value else {
                continue;
            };
            connection.execute(
                &format!("UPDATE \"{parent}\" SET \"{column}\" = \"{column}\" || ' (given details here)' WHERE \"{key}\" = ?1"),
                [id],
            )?;
            marked.push(GivenDetails {
                table: parent.to_owned(),
                id,
                words: details_in_words(&counts),
                key: key.clone(),
                column,
                value,
            });
        }
    }
    Ok(marked)
}

/// The query [`keys_of_rows`] runs for the rows of `table` whose `column` is a record's id: their keys,
/// and how many columns make one.
fn keys_select(connection: &Connection, table: &str, column: &str) -> Result<(String, usize), StoreError> {
    let mut statement = connection.prepare("SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY cid")?;
    let mut keys: Vec<String> = statement.query_map([table], |row| row.get(0))?.collect::<Result<_, _>>()?;
    if keys.is_empty() {
        keys.push("rowid".to_owned());
    }
    let select = keys.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
    Ok((format!("SELECT {select} FROM \"{table}\" WHERE \"{column}\" = ?1"), keys.len()))
}

/// The keys (in [`super::changesets::key_words`]) of the rows [`keys_select`]'s query finds for `id`.
fn keys_of_rows(
    connection: &Connection,
    (sql, count): &(String, usize),
    id: i64,
) -> Result<Vec<Vec<String>>, StoreError> {
    let mut rows = connection.prepare_cached(sql)?;
    let found = rows
        .query_map([id], |row| {
            (0..*count).map(|at| row.get::<_, Value>(at).map(|value| super::changesets::key_words(&value))).collect()
        })?
        .collect::<Result<_, _>>()?;
    Ok(found)
}

/// Puts back the column [`mark_given_details`] marked on the records still here.
///
/// # Errors
/// A SQLite error.
pub(super) fn unmark_given_details(connection: &Connection, marked: &[GivenDetails]) -> Result<(), StoreError> {
    for record in marked {
        connection.execute(
            &format!("UPDATE \"{}\" SET \"{}\" = ?1 WHERE \"{}\" = ?2", record.table, record.column, record.key),
            rusqlite::params![record.value, record.id],
        )?;
    }
    Ok(())
}
