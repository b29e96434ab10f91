//! Baselines: the plan as it stood at a named moment, kept inside the workspace file (schema version 5),
//! and the same shape read from the plan as it is now, for comparisons.
//!
//! A baseline is written with one `INSERT … SELECT` per table in one transaction, so saving one costs
//! about as much as reading the items once.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension as _, params};

use super::{Store, StoreError};
use crate::model::ValidationError;
use crate::model::compare::{
    ObjectivesAndResearch, PlanSnapshot, SnapEpic, SnapInsight, SnapItem, SnapMetric, SnapObjective, SnapPersona,
};

/// The longest name a baseline may have.
pub const MAX_BASELINE_NAME: usize = 100;

/// A saved baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Baseline {
    /// Its id in the file.
    pub baseline_id: i64,
    /// Its name ("Before PI 4 planning").
    pub name: String,
    /// The note saved with it (who, why).
    pub note: String,
    /// When it was saved.
    pub created_at: Timestamp,
    /// How many items it holds.
    pub items: i64,
}

/// Every item as a comparison sees it, in board order, with its place in its column.
const ITEMS_NOW: &str = "
SELECT i.item_id, i.created_at, i.title, i.column_id, c.name,
       ROW_NUMBER() OVER (PARTITION BY i.column_id ORDER BY i.rank, i.item_id),
       i.points, i.epic_id, e.title, i.sprint_id, s.name
FROM items i
JOIN board_columns c ON c.column_id = i.column_id
LEFT JOIN epics e ON e.epic_id = i.epic_id
LEFT JOIN sprints s ON s.sprint_id = i.sprint_id
ORDER BY c.position, c.column_id, i.rank, i.item_id";

/// Every epic with its dates.
const EPICS_NOW: &str = "SELECT epic_id, title, start_date, end_date FROM epics ORDER BY start_date, epic_id";

/// Every KPI with how many samples it has and the latest one's date.
const METRICS_NOW: &str = "
SELECT m.metric_id, m.name, COUNT(s.sample_date), MAX(s.sample_date)
FROM metrics m LEFT JOIN metric_samples s ON s.metric_id = m.metric_id
GROUP BY m.metric_id ORDER BY m.metric_id";

const OBJECTIVES_NOW: &str = "
SELECT o.objective_id, o.title, o.increment_id, p.name, o.planned_value, o.actual_value, o.uncommitted
FROM objectives o LEFT JOIN program_increments p ON p.increment_id = o.increment_id
ORDER BY o.objective_id";

const PERSONAS_NOW: &str = "SELECT persona_id, name FROM personas ORDER BY persona_id";

const INSIGHTS_NOW: &str = "
SELECT n.insight_id, n.title, n.kind, n.persona_id, p.name,
       (SELECT COUNT(*) FROM items i WHERE i.insight_id = n.insight_id)
FROM insights n LEFT JOIN personas p ON p.persona_id = n.persona_id
ORDER BY n.insight_id";

/// The first schema version whose baselines keep objectives and research.
const KEEPS_OBJECTIVES_AND_RESEARCH: i64 = 18;

impl Store {
    /// Saves the plan as it stands now as a baseline called `name`, with `note`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty or over-long name, [`StoreError::BaselineExists`] when the
    /// name is taken (ignoring case), or a store error; nothing is saved then.
    pub fn save_baseline(&mut self, name: &str, note: &str, now: Timestamp) -> Result<Baseline, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationError::Empty { field: "baseline name" }.into());
        }
        if name.chars().count() > MAX_BASELINE_NAME {
            let length = name.chars().count();
            return Err(ValidationError::TooLong { field: "baseline name", length, max: MAX_BASELINE_NAME }.into());
        }
        self.write(|tx| {
            let taken: Option<String> = tx
                .query_row("SELECT name FROM baselines WHERE name = ?1 COLLATE NOCASE", [name], |row| row.get(0))
                .optional()?;
            if let Some(taken) = taken {
                return Err(StoreError::BaselineExists(taken));
            }
            tx.execute(
                "INSERT INTO baselines (name, note, created_at, format) VALUES (?1, ?2, ?3, ?4)",
                params![name, note.trim(), now.to_string(), super::schema::latest_version()],
            )?;
            let baseline_id = tx.last_insert_rowid();
            let items =
                tx.execute(&format!("INSERT INTO baseline_items SELECT ?1, * FROM ({ITEMS_NOW})"), [baseline_id])?;
            tx.execute(&format!("INSERT INTO baseline_epics SELECT ?1, * FROM ({EPICS_NOW})"), [baseline_id])?;
            tx.execute(&format!("INSERT INTO baseline_metrics SELECT ?1, * FROM ({METRICS_NOW})"), [baseline_id])?;
            tx.execute(
                &format!("INSERT INTO baseline_objectives SELECT ?1, * FROM ({OBJECTIVES_NOW})"),
                [baseline_id],
            )?;
            tx.execute(&format!("INSERT INTO baseline_personas SELECT ?1, * FROM ({PERSONAS_NOW})"), [baseline_id])?;
            tx.execute(&format!("INSERT INTO baseline_insights SELECT ?1, * FROM ({INSIGHTS_NOW})"), [baseline_id])?;
            Ok(Baseline {
                baseline_id,
                name: name.to_owned(),
                note: note.trim().to_owned(),
                created_at: now,
                items: i64::try_from(items).unwrap_or(i64::MAX),
            })
        })
    }

    /// The saved baselines, oldest first.
    ///
    /// # Errors
    /// A store error.
    pub fn baselines(&self) -> Result<Vec<Baseline>, StoreError> {
        baselines_in(&self.connection)
    }

    /// The saved baselines, oldest first, counting the items only of those not in `known`: a baseline
    /// never changes once saved, and counting the items of one of 100,000 takes 5–7 ms, which a panel
    /// that reads the list again after every change would pay for each baseline.
    ///
    /// # Errors
    /// A store error.
    pub fn baselines_knowing(&self, known: &[Baseline]) -> Result<Vec<Baseline>, StoreError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT baseline_id, name, note, created_at FROM baselines ORDER BY created_at, baseline_id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (baseline_id, name, note, created_at) = row?;
            let created_at: Timestamp = created_at.parse().map_err(|_| {
                StoreError::Corrupt(format!("the baseline '{name}' has an unreadable time '{created_at}'"))
            })?;
            // The same baseline: its id, name and time (an id alone may be used again after a delete).
            let same = known.iter().find(|baseline| {
                baseline.baseline_id == baseline_id && baseline.created_at == created_at && baseline.name == name
            });
            let items = match same {
                Some(baseline) => baseline.items,
                None => self.connection.query_row(
                    "SELECT COUNT(*) FROM baseline_items WHERE baseline_id = ?1",
                    [baseline_id],
                    |row| row.get(0),
                )?,
            };
            out.push(Baseline { baseline_id, name, note, created_at, items });
        }
        Ok(out)
    }

    /// Deletes the baseline called `name` (ignoring case).
    ///
    /// # Errors
    /// [`StoreError::NoBaseline`] or a store error.
    pub fn delete_baseline(&mut self, name: &str) -> Result<Baseline, StoreError> {
        let baseline = self.baseline_named(name)?;
        self.write(|tx| {
            tx.execute("DELETE FROM baselines WHERE baseline_id = ?1", [baseline.baseline_id])?;
            Ok(())
        })?;
        Ok(baseline)
    }

    /// The baseline called `name` (ignoring case).
    ///
    /// # Errors
    /// [`StoreError::NoBaseline`], whose sentence lists the baselines there are.
    pub fn baseline_named(&self, name: &str) -> Result<Baseline, StoreError> {
        baseline_named_in(&self.connection, name)
    }

    /// The plan as the baseline `baseline_id` kept it.
    ///
    /// # Errors
    /// A store error or an unreadable value.
    pub fn baseline_snapshot(&self, baseline_id: i64) -> Result<PlanSnapshot, StoreError> {
        baseline_snapshot_in(&self.connection, baseline_id)
    }

    /// The plan as it is now, in the shape a comparison reads.
    ///
    /// # Errors
    /// A store error or an unreadable value.
    pub fn snapshot(&self) -> Result<PlanSnapshot, StoreError> {
        snapshot_of(&self.connection)
    }
}

/// The plan in `connection` as it is now (inside a transaction too), in the shape a comparison reads.
///
/// # Errors
/// A store error or an unreadable value.
pub fn snapshot_of(connection: &Connection) -> Result<PlanSnapshot, StoreError> {
    Ok(PlanSnapshot {
        items: items_from(connection, ITEMS_NOW, None)?,
        epics: epics_from(connection, EPICS_NOW, None)?,
        metrics: metrics_from(connection, METRICS_NOW, None)?,
        objectives_and_research: Some(ObjectivesAndResearch {
            objectives: objectives_from(connection, OBJECTIVES_NOW, None)?,
            personas: personas_from(connection, PERSONAS_NOW, None)?,
            insights: insights_from(connection, INSIGHTS_NOW, None)?,
        }),
    })
}

/// The baseline called `name` (ignoring case), read through `connection`.
///
/// # Errors
/// [`StoreError::NoBaseline`], whose sentence lists the baselines there are.
pub fn baseline_named_in(connection: &Connection, name: &str) -> Result<Baseline, StoreError> {
    let all = baselines_in(connection)?;
    if let Some(found) = all.iter().find(|baseline| baseline.name.eq_ignore_ascii_case(name.trim())) {
        return Ok(found.clone());
    }
    let known = if all.is_empty() {
        "It has none yet; save one with File ▸ Save baseline… or `tandem baseline save NAME`.".to_owned()
    } else {
        let names = all.iter().map(|baseline| format!("'{}'", baseline.name)).collect::<Vec<_>>().join(", ");
        format!("Its baselines are {names}.")
    };
    Err(StoreError::NoBaseline { name: name.trim().to_owned(), known })
}

/// The plan as the baseline `baseline_id` kept it, read through `connection`.
///
/// # Errors
/// A store error or an unreadable value.
pub fn baseline_snapshot_in(connection: &Connection, baseline_id: i64) -> Result<PlanSnapshot, StoreError> {
    let format: i64 =
        connection.query_row("SELECT format FROM baselines WHERE baseline_id = ?1", [baseline_id], |row| row.get(0))?;
    let objectives_and_research = if format >= KEEPS_OBJECTIVES_AND_RESEARCH {
        Some(ObjectivesAndResearch {
            objectives: objectives_from(
                connection,
                "SELECT objective_id, title, increment_id, increment_name, planned_value, actual_value, uncommitted \
                 FROM baseline_objectives WHERE baseline_id = ?1 ORDER BY objective_id",
                Some(baseline_id),
            )?,
            personas: personas_from(
                connection,
                "SELECT persona_id, name FROM baseline_personas WHERE baseline_id = ?1 ORDER BY persona_id",
                Some(baseline_id),
            )?,
            insights: insights_from(
                connection,
                "SELECT insight_id, title, kind, persona_id, persona_name, answered_by \
                 FROM baseline_insights WHERE baseline_id = ?1 ORDER BY insight_id",
                Some(baseline_id),
            )?,
        })
    } else {
        None
    };
    Ok(PlanSnapshot {
        objectives_and_research,
        items: items_from(
            connection,
            "SELECT item_id, created_at, title, column_id, column_name, position, points, epic_id, epic_title, \
             sprint_id, sprint_name FROM baseline_items WHERE baseline_id = ?1",
            Some(baseline_id),
        )?,
        epics: epics_from(
            connection,
            "SELECT epic_id, title, start_date, end_date FROM baseline_epics WHERE baseline_id = ?1",
            Some(baseline_id),
        )?,
        metrics: metrics_from(
            connection,
            "SELECT metric_id, name, samples, last_date FROM baseline_metrics WHERE baseline_id = ?1",
            Some(baseline_id),
        )?,
    })
}

fn baselines_in(connection: &Connection) -> Result<Vec<Baseline>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT b.baseline_id, b.name, b.note, b.created_at, \
         (SELECT COUNT(*) FROM baseline_items i WHERE i.baseline_id = b.baseline_id) \
         FROM baselines b ORDER BY b.created_at, b.baseline_id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get(2)?, row.get::<_, String>(3)?, row.get(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (baseline_id, name, note, created_at, items) = row?;
        let created_at = created_at
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("the baseline '{name}' has an unreadable time '{created_at}'")))?;
        out.push(Baseline { baseline_id, name, note, created_at, items });
    }
    Ok(out)
}

/// Runs `sql` with `baseline` as its only parameter when there is one.
fn query<T>(
    connection: &Connection,
    sql: &str,
    baseline: Option<i64>,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = connection.prepare(sql)?;
    let rows = match baseline {
        Some(baseline_id) => statement.query_map([baseline_id], read)?.collect::<Result<Vec<_>, _>>()?,
        None => statement.query_map([], read)?.collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}

fn items_from(connection: &Connection, sql: &str, baseline: Option<i64>) -> Result<Vec<SnapItem>, StoreError> {
    query(connection, sql, baseline, |row| {
        Ok(SnapItem {
            item_id: row.get(0)?,
            created_at: row.get(1)?,
            title: row.get(2)?,
            column_id: row.get(3)?,
            column_name: row.get(4)?,
            position: row.get(5)?,
            points: row.get(6)?,
            epic_id: row.get(7)?,
            epic_title: row.get(8)?,
            sprint_id: row.get(9)?,
            sprint_name: row.get(10)?,
        })
    })
}

fn epics_from(connection: &Connection, sql: &str, baseline: Option<i64>) -> Result<Vec<SnapEpic>, StoreError> {
    query(connection, sql, baseline, |row| {
        Ok(SnapEpic { epic_id: row.get(0)?, title: row.get(1)?, start_date: row.get(2)?, end_date: row.get(3)? })
    })
}

fn metrics_from(connection: &Connection, sql: &str, baseline: Option<i64>) -> Result<Vec<SnapMetric>, StoreError> {
    query(connection, sql, baseline, |row| {
        Ok(SnapMetric { metric_id: row.get(0)?, name: row.get(1)?, samples: row.get(2)?, last_date: row.get(3)? })
    })
}

fn objectives_from(
    connection: &Connection,
    sql: &str,
    baseline: Option<i64>,
) -> Result<Vec<SnapObjective>, StoreError> {
    query(connection, sql, baseline, |row| {
        Ok(SnapObjective {
            objective_id: row.get(0)?,
            title: row.get(1)?,
            increment_id: row.get(2)?,
            increment_name: row.get(3)?,
            planned_value: row.get(4)?,
            actual_value: row.get(5)?,
            uncommitted: row.get(6)?,
        })
    })
}

fn personas_from(connection: &Connection, sql: &str, baseline: Option<i64>) -> Result<Vec<SnapPersona>, StoreError> {
    query(connection, sql, baseline, |row| Ok(SnapPersona { persona_id: row.get(0)?, name: row.get(1)? }))
}

fn insights_from(connection: &Connection, sql: &str, baseline: Option<i64>) -> Result<Vec<SnapInsight>, StoreError> {
    query(connection, sql, baseline, |row| {
        Ok(SnapInsight {
            insight_id: row.get(0)?,
            title: row.get(1)?,
            kind: row.get(2)?,
            persona_id: row.get(3)?,
            persona_name: row.get(4)?,
            answered_by: row.get(5)?,
        })
    })
}
