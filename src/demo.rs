//! The sample product and generated workspaces: what a first start, a workshop (`--demo`) and the
//! benchmarks open.

use std::path::Path;

use crate::interchange::Progress;
use crate::interchange::document::{Document, DocumentError, ImportOptions, import_in_tx};
use crate::model::rank::spread;
use crate::model::{BacklogItem, Column, ColumnId, ItemKind, ItemRecord, Raiser, StatusChange, Timestamp};
use crate::store::board::{columns_in_tx, insert_column_in_tx};
use crate::store::items::restore_item_in_tx;
use crate::store::roadmap::epics_in_tx;
use crate::store::sprints::sprints_in_tx;
use crate::store::{Store, StoreError};

/// The bundled sample product, checked by `build.rs`.
pub const SAMPLE_JSON: &str = include_str!("../assets/sample_product.json");

/// The columns of a blank workspace.
pub const DEFAULT_COLUMNS: [(&str, Option<u32>, bool); 5] = [
    ("Backlog", None, false),
    ("Ready", None, false),
    ("In progress", Some(4), false),
    ("Review", Some(3), false),
    ("Done", None, true),
];

/// Fills a freshly created workspace with the sample product, dated around the current week.
///
/// # Errors
/// A store error; the workspace is left as it was (blank).
pub fn seed_sample(store: &mut Store) -> Result<(), DocumentError> {
    seed_sample_for(store, jiff::Zoned::now().date())
}

/// Fills a freshly created workspace with the sample product, dated around the week of `today`.
///
/// # Errors
/// A store error; the workspace is left as it was (blank).
pub fn seed_sample_for(store: &mut Store, today: crate::model::Date) -> Result<(), DocumentError> {
    let document = Document::from_json(SAMPLE_JSON)?;
    let shift_days = document.anchor_shift_days(today);
    let now = Timestamp::now();
    store
        .write(|tx| {
            import_in_tx(
                tx,
                &document,
                ImportOptions { shift_days, now, keep_product: false, progress: Progress::default() },
            )
            .map_err(|error| match error {
                DocumentError::Store(error) => error,
                other => StoreError::Corrupt(other.to_string()),
            })
        })
        .map(|_| ())
        .map_err(DocumentError::Store)
}

/// Gives a freshly created workspace the default columns and nothing else (File ▸ New).
///
/// # Errors
/// A store error.
pub fn seed_blank(store: &mut Store, product_name: &str) -> Result<(), StoreError> {
    store.write(|tx| {
        crate::store::board::update_product_in_tx(
            tx,
            &crate::model::Product { name: product_name.to_owned(), vision: String::new() },
        )?;
        for (position, (name, wip_limit, is_done)) in (0..).zip(DEFAULT_COLUMNS) {
            insert_column_in_tx(
                tx,
                &Column { column_id: ColumnId(0), name: name.to_owned(), position, wip_limit, is_done },
            )?;
        }
        Ok(())
    })
}

const SUBJECTS: [&str; 16] = [
    "checkout",
    "basket",
    "delivery slot",
    "saved card",
    "order history",
    "search results",
    "product page",
    "voucher",
    "account menu",
    "address book",
    "loyalty points",
    "substitutions",
    "receipt email",
    "refund form",
    "store picker",
    "nutrition filter",
];
const ACTIONS: [&str; 12] = [
    "Speed up",
    "Simplify",
    "Make accessible:",
    "Translate",
    "Fix errors in",
    "Redesign",
    "Add analytics to",
    "Support dark mode in",
    "Cache",
    "Explain fees in",
    "Test",
    "Improve focus order in",
];
const LABELS: [&str; 8] = ["accessibility", "checkout", "i18n", "payments", "slots", "tech-debt", "research", "basket"];

/// What generated items carry beyond their card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generated {
    /// Cards only: title, kind, estimate, scores, label, epic, sprint (what `tandem demo` writes).
    Cards,
    /// Also a one-sentence description, a reporter, and an assignee once work has started: what items
    /// imported from a tracker typically carry (the bench measures what that costs in memory).
    Described,
}

const PEOPLE: [&str; 6] = ["Dana Kim", "Sara Lind", "Omar Haddad", "Lena Fischer", "Priya Nair", "Tomás Ruiz"];

/// Writes a workspace with the sample product's columns, epics, sprints and metrics plus `item_count`
/// generated items, spread over the columns. Deterministic for a given count.
///
/// # Errors
/// A store or file error; a half-written file is removed.
pub fn generate(path: &Path, item_count: usize) -> Result<(), DocumentError> {
    generate_items(path, item_count, Generated::Cards)
}

/// [`generate`], with items that carry what `what` says.
///
/// # Errors
/// A store or file error; a half-written file is removed.
pub fn generate_items(path: &Path, item_count: usize, what: Generated) -> Result<(), DocumentError> {
    if path.exists() {
        std::fs::remove_file(path).map_err(StoreError::from)?;
    }
    let result = (|| {
        let (mut store, _) = Store::open(path)?;
        store.without_history();
        let mut document = Document::from_json(SAMPLE_JSON)?;
        document.items.clear();
        let today = jiff::Zoned::now().date();
        let shift_days = document.anchor_shift_days(today);
        let now = Timestamp::now();
        store
            .write(|tx| {
                import_in_tx(
                    tx,
                    &document,
                    ImportOptions { shift_days, now, keep_product: false, progress: Progress::default() },
                )
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                let columns = columns_in_tx(tx)?;
                let epics = epics_in_tx(tx)?;
                let sprints = sprints_in_tx(tx)?;
                insert_generated_in_tx(
                    tx,
                    &Plan { columns: &columns, epics: &epics, sprints: &sprints },
                    item_count,
                    what,
                    now,
                )
            })
            .map_err(DocumentError::Store)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

/// Where generated items go.
struct Plan<'plan> {
    columns: &'plan [Column],
    epics: &'plan [crate::model::Epic],
    sprints: &'plan [crate::model::Sprint],
}

fn insert_generated_in_tx(
    connection: &rusqlite::Connection,
    plan: &Plan<'_>,
    item_count: usize,
    what: Generated,
    now: Timestamp,
) -> Result<(), StoreError> {
    let Plan { columns, epics, sprints } = *plan;
    if columns.is_empty() {
        return Ok(());
    }
    // Most of a long backlog waits in the first column; the rest is spread over the workflow.
    let share = |index: usize| if index == 0 { 6 } else { 1 };
    let total_share: usize = (0..columns.len()).map(share).sum();
    let mut counts: Vec<usize> = (0..columns.len()).map(|index| item_count * share(index) / total_share).collect();
    let assigned: usize = counts.iter().sum();
    if let Some(first) = counts.first_mut() {
        *first += item_count - assigned;
    }
    let mut number = 0usize;
    for (column, &count) in columns.iter().zip(&counts) {
        let ranks = spread(None, None, count).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        for rank in ranks {
            number += 1;
            let subject = SUBJECTS.get(number % SUBJECTS.len()).copied().unwrap_or("checkout");
            let action = ACTIONS.get((number / SUBJECTS.len()) % ACTIONS.len()).copied().unwrap_or("Improve");
            let kind = ItemKind::ALL.get(number % 7 % 4).copied().unwrap_or_default();
            let mut item = BacklogItem::new(kind, format!("{action} {subject} (#{number})"), column.column_id, now);
            item.item_id = crate::model::ItemId(i64::try_from(number).unwrap_or(i64::MAX));
            item.rank = rank;
            item.points = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0].get(number % 6).copied();
            item.business_value = u32::try_from(number % 13).unwrap_or(0) + 1;
            item.time_criticality = u32::try_from(number % 8).unwrap_or(0) + 1;
            item.risk_reduction = u32::try_from(number % 5).unwrap_or(0) + 1;
            item.labels = vec![LABELS.get(number % LABELS.len()).copied().unwrap_or("basket").to_owned()].into();
            item.epic_id = epics.get(number % (epics.len() + 1)).map(|epic| epic.epic_id);
            item.sprint_id = if column.position > 0 { sprints.last().map(|sprint| sprint.sprint_id) } else { None };
            item.raised_by = Raiser::ALL.get(number % Raiser::ALL.len()).copied().unwrap_or_default();
            if what == Generated::Described {
                let person = |step: usize| PEOPLE.get(step % PEOPLE.len()).map(|name| (*name).to_owned());
                item.details.description = format!(
                    "As a shopper I want to {} {subject} so that my order takes less time.",
                    action.to_lowercase()
                );
                item.details.reporter = person(number);
                item.details.assignee = if column.position > 0 { person(number / 7) } else { None };
            }
            let history = vec![StatusChange {
                item_id: item.item_id,
                changed_at: now,
                from_column_id: None,
                to_column_id: column.column_id,
            }];
            restore_item_in_tx(connection, &ItemRecord::new(item, history))?;
        }
    }
    Ok(())
}

/// Copies the sample product into a new throwaway workspace at `path` (for `--demo`).
///
/// # Errors
/// A store error.
pub fn create_demo(path: &Path) -> Result<Store, DocumentError> {
    create_demo_for(path, jiff::Zoned::now().date())
}

/// Like [`create_demo`], dated around the week of `today` (tests use a fixed day).
///
/// # Errors
/// A store error.
pub fn create_demo_for(path: &Path, today: crate::model::Date) -> Result<Store, DocumentError> {
    if path.exists() {
        std::fs::remove_file(path).map_err(StoreError::from)?;
    }
    let (mut store, _) = Store::open(path)?;
    seed_sample_for(&mut store, today)?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_product_loads_with_its_promised_size() {
        let mut store = Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        seed_sample(&mut store).unwrap_or_else(|e| panic!("{e}"));
        let workspace = store.load().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(workspace.product.name, "Basket");
        assert_eq!(workspace.columns.len(), 5);
        assert_eq!(workspace.item_count(), 49);
        assert_eq!(workspace.epics.len(), 4);
        assert_eq!(workspace.sprints.len(), 5);
        assert_eq!(workspace.metrics.len(), 6);
        assert_eq!(workspace.objectives.len(), 2);
        assert!(workspace.metrics.iter().all(|metric| metric.samples.len() == 12));
    }

    #[test]
    fn the_sample_is_dated_around_the_current_week() {
        let document = Document::from_json(SAMPLE_JSON).unwrap_or_else(|e| panic!("{e}"));
        let monday = jiff::civil::date(2027, 5, 3);
        let shift = document.anchor_shift_days(jiff::civil::date(2027, 5, 6));
        let anchor = document.anchor_monday.unwrap_or(monday);
        assert_eq!(anchor.checked_add(jiff::Span::new().days(shift)).ok(), Some(monday));
        assert_eq!(shift % 7, 0);
    }

    #[test]
    fn the_sample_opened_on_any_day_has_no_history_in_its_future() {
        let document = Document::from_json(SAMPLE_JSON).unwrap_or_else(|e| panic!("{e}"));
        let anchor = document.anchor_monday.unwrap_or_else(|| panic!("the sample has an anchor"));
        let latest = document.latest_event().unwrap_or_else(|| panic!("the sample has a history"));
        assert!(latest > anchor, "the sample's history goes past its Monday, as a real week's does");
        let moved = |day: jiff::civil::Date, shift: i64| day.checked_add(jiff::Span::new().days(shift)).ok();
        for offset in 0..7 {
            let today = jiff::civil::date(2027, 5, 3 + offset);
            let shift = document.anchor_shift_days(today);
            assert_eq!(shift % 7, 0, "whole weeks, so that sprints still start on Mondays");
            assert!(
                moved(latest, shift).is_some_and(|latest| latest <= today),
                "on {today}: {latest} moved by {shift}"
            );
            // The latest week that does so: a week later, something would lie ahead.
            assert!(moved(latest, shift + 7).is_some_and(|latest| latest > today), "on {today}");
        }
        // From its last event on, the sample is set in the current week.
        let wednesday = moved(latest, document.anchor_shift_days(jiff::civil::date(2027, 5, 6))).unwrap_or(latest);
        assert!(wednesday <= jiff::civil::date(2027, 5, 6) && wednesday >= jiff::civil::date(2027, 5, 3));
        assert_eq!(
            moved(anchor, document.anchor_shift_days(jiff::civil::date(2027, 5, 3))),
            Some(jiff::civil::date(2027, 4, 26))
        );
    }
}
