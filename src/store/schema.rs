//! The database schema as append-only migrations, keyed on SQLite's `user_version`.
//!
//! Never edit a migration that has shipped: add a new one at the end. Migration `n` (1-based) brings a
//! file from `user_version = n - 1` to `n`. A Tandem file is also marked with [`APPLICATION_ID`] so that
//! another program's SQLite database is never mistaken for a workspace.

use rusqlite_migration::{M, Migrations};

/// `PRAGMA application_id` of every Tandem workspace: the bytes `TNDM`.
pub const APPLICATION_ID: i32 = 0x544E_444D;

/// The SQL of each migration, oldest first. Public so that tests can build files of older versions.
pub const MIGRATIONS: &[&str] = &[
    V1_CORE,
    V2_PRIORITISATION,
    V3_DEPENDENCIES,
    V4_KEY_RESULT_DIRECTION,
    V5_BASELINES,
    V6_JOURNAL,
    V7_COMMENTS,
    V8_ARCHIVE,
    V9_ITEM_DATES,
    V10_PEOPLE,
    V11_SUBTASKS,
    V12_SPRINT_LIFECYCLE,
    V13_LABEL_COLOURS,
    V14_METRIC_OBJECTIVES,
    V15_PI_OBJECTIVES,
    V16_RESEARCH,
    V17_INSIGHT_KPI,
    V18_BASELINE_OBJECTIVES_RESEARCH,
    V19_LEAN_JOURNAL,
];

/// The schema version this build writes; files above it are refused.
#[must_use]
pub fn latest_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// The schema objects (type, name, table, SQL) that migrations 1 to `version` create, sorted: what a
/// workspace of that version holds, and nothing else. Opening compares a file against it.
///
/// # Errors
/// A SQLite error (never expected: the migrations are Tandem's own).
pub fn expected_objects(version: i64) -> Result<Vec<super::SchemaObject>, super::StoreError> {
    let connection = rusqlite::Connection::open_in_memory()?;
    for sql in MIGRATIONS.iter().take(usize::try_from(version).unwrap_or(0)) {
        connection.execute_batch(sql)?;
    }
    Ok(super::schema_objects(&connection)?)
}

/// The migrations in `rusqlite_migration`'s form.
#[must_use]
pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// Version 1: product, board, items with criteria, labels and history, roadmap, sprints, OKRs, metrics.
const V1_CORE: &str = "
CREATE TABLE product (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    vision TEXT NOT NULL DEFAULT ''
);
INSERT INTO product (singleton, name, vision) VALUES (1, 'Untitled product', '');

CREATE TABLE board_columns (
    column_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    position INTEGER NOT NULL,
    wip_limit INTEGER CHECK (wip_limit IS NULL OR wip_limit > 0),
    is_done INTEGER NOT NULL DEFAULT 0 CHECK (is_done IN (0, 1))
);

CREATE TABLE objectives (
    objective_id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE key_results (
    objective_id INTEGER NOT NULL REFERENCES objectives (objective_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    current_value REAL NOT NULL,
    target_value REAL NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (objective_id, position)
) WITHOUT ROWID;

CREATE TABLE epics (
    epic_id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    objective_id INTEGER REFERENCES objectives (objective_id) ON DELETE SET NULL,
    CHECK (end_date >= start_date)
);

CREATE TABLE releases (
    release_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    release_date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('release', 'milestone')),
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE program_increments (
    increment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    CHECK (end_date >= start_date)
);

CREATE TABLE sprints (
    sprint_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    goal TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    capacity_points REAL NOT NULL CHECK (capacity_points >= 0),
    CHECK (end_date >= start_date)
);

CREATE TABLE items (
    item_id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('story', 'bug', 'enabler', 'spike')),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description TEXT NOT NULL DEFAULT '',
    points REAL CHECK (points IS NULL OR points >= 0),
    business_value INTEGER NOT NULL DEFAULT 0 CHECK (business_value >= 0),
    time_criticality INTEGER NOT NULL DEFAULT 0 CHECK (time_criticality >= 0),
    risk_reduction INTEGER NOT NULL DEFAULT 0 CHECK (risk_reduction >= 0),
    column_id INTEGER NOT NULL REFERENCES board_columns (column_id) ON DELETE RESTRICT,
    rank TEXT NOT NULL,
    epic_id INTEGER REFERENCES epics (epic_id) ON DELETE SET NULL,
    sprint_id INTEGER REFERENCES sprints (sprint_id) ON DELETE SET NULL,
    raised_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX items_by_column_rank ON items (column_id, rank, item_id);
CREATE INDEX items_by_epic ON items (epic_id);
CREATE INDEX items_by_sprint ON items (sprint_id);

CREATE TABLE acceptance_criteria (
    item_id INTEGER NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    PRIMARY KEY (item_id, position)
) WITHOUT ROWID;

CREATE TABLE item_labels (
    item_id INTEGER NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    PRIMARY KEY (item_id, label)
) WITHOUT ROWID;
CREATE INDEX item_labels_by_label ON item_labels (label);

CREATE TABLE status_changes (
    status_change_id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    from_column_id INTEGER,
    to_column_id INTEGER NOT NULL
);
CREATE INDEX status_changes_by_item ON status_changes (item_id, changed_at);

CREATE TABLE metrics (
    metric_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    category TEXT NOT NULL,
    target REAL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE metric_samples (
    metric_id INTEGER NOT NULL REFERENCES metrics (metric_id) ON DELETE CASCADE,
    sample_date TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (metric_id, sample_date)
) WITHOUT ROWID;
";

/// Version 2: RICE inputs and `MoSCoW` on items, for prioritisation beside WSJF.
const V2_PRIORITISATION: &str = "
ALTER TABLE items ADD COLUMN reach REAL CHECK (reach IS NULL OR reach >= 0);
ALTER TABLE items ADD COLUMN impact REAL CHECK (impact IS NULL OR impact >= 0);
ALTER TABLE items ADD COLUMN confidence_percent REAL
    CHECK (confidence_percent IS NULL OR confidence_percent BETWEEN 0 AND 100);
ALTER TABLE items ADD COLUMN effort REAL CHECK (effort IS NULL OR effort >= 0);
ALTER TABLE items ADD COLUMN moscow TEXT CHECK (moscow IS NULL OR moscow IN ('must', 'should', 'could', 'wont'));
";

/// Version 3: "B starts after A ends" between epics.
const V3_DEPENDENCIES: &str = "
CREATE TABLE epic_dependencies (
    epic_id INTEGER NOT NULL REFERENCES epics (epic_id) ON DELETE CASCADE,
    after_epic_id INTEGER NOT NULL REFERENCES epics (epic_id) ON DELETE CASCADE,
    PRIMARY KEY (epic_id, after_epic_id),
    CHECK (epic_id <> after_epic_id)
) WITHOUT ROWID;
CREATE INDEX epic_dependencies_by_after ON epic_dependencies (after_epic_id);
";

/// Version 4: a key result can be one where lower is better (time to checkout, errors per week).
const V4_KEY_RESULT_DIRECTION: &str = "
ALTER TABLE key_results ADD COLUMN lower_is_better INTEGER NOT NULL DEFAULT 0 CHECK (lower_is_better IN (0, 1));
";

/// Version 5: baselines, the plan as it stood at a named moment ("Before PI 4 planning"), kept inside the
/// workspace so that any copy of the file carries them. Each keeps what a comparison needs of every
/// item, epic and KPI, with the names of columns, epics and sprints as they were, so a comparison can
/// still say them after they are renamed or deleted.
const V5_BASELINES: &str = "
CREATE TABLE baselines (
    baseline_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE baseline_items (
    baseline_id INTEGER NOT NULL REFERENCES baselines (baseline_id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    title TEXT NOT NULL,
    column_id INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    position INTEGER NOT NULL,
    points REAL,
    epic_id INTEGER,
    epic_title TEXT,
    sprint_id INTEGER,
    sprint_name TEXT,
    PRIMARY KEY (baseline_id, item_id)
) WITHOUT ROWID;

CREATE TABLE baseline_epics (
    baseline_id INTEGER NOT NULL REFERENCES baselines (baseline_id) ON DELETE CASCADE,
    epic_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    PRIMARY KEY (baseline_id, epic_id)
) WITHOUT ROWID;

CREATE TABLE baseline_metrics (
    baseline_id INTEGER NOT NULL REFERENCES baselines (baseline_id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    samples INTEGER NOT NULL,
    last_date TEXT,
    PRIMARY KEY (baseline_id, metric_id)
) WITHOUT ROWID;
";

/// Version 6: the journal, every committed change as a SQLite session changeset with an id unique across
/// copies, so two copies of one plan can tell which changes they share and which are their own (the
/// merge). Older files start with an empty journal: their shared past is what both copies held when the
/// journal began.
const V6_JOURNAL: &str = "
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    changeset BLOB NOT NULL
);
";

/// Version 7: comments on items, the discussion between the PM and the PO (and the comments imported
/// from Trello and Jira). Deleted with their item; merged like items, under ids spread per session.
const V7_COMMENTS: &str = "
CREATE TABLE comments (
    comment_id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    author TEXT NOT NULL CHECK (length(trim(author)) > 0),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    created_at TEXT NOT NULL
);
CREATE INDEX comments_by_item ON comments (item_id, created_at);
";

/// Version 8: archived items. An archived item leaves the board but keeps its column, rank, history
/// and comments, and still counts in the delivery charts; `archived_at` is when it was archived.
const V8_ARCHIVE: &str = "
ALTER TABLE items ADD COLUMN archived_at TEXT;
";

/// Version 9: an item's start and due dates (`YYYY-MM-DD`), kept from Trello and Jira imports and set
/// in the editor; a due date past and not done is flagged on the card.
const V9_ITEM_DATES: &str = "
ALTER TABLE items ADD COLUMN start_date TEXT;
ALTER TABLE items ADD COLUMN due_date TEXT;
";

/// Version 10: who does an item and who asked for it, by name (the workspace's people are the names in
/// use); imports keep Trello's members and Jira's assignees and reporters here.
const V10_PEOPLE: &str = "
ALTER TABLE items ADD COLUMN assignee TEXT;
ALTER TABLE items ADD COLUMN reporter TEXT;
";

/// Version 11: sub-tasks. An item's `parent_id` names the item it belongs to (one level deep); deleting
/// the parent leaves its sub-tasks as items of their own. Checked at commit, so an import may write a
/// sub-task before its parent.
const V11_SUBTASKS: &str = "
ALTER TABLE items ADD COLUMN parent_id INTEGER
    REFERENCES items (item_id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX items_by_parent ON items (parent_id) WHERE parent_id IS NOT NULL;
";

/// Version 12: a sprint is started and completed; completing it moves its unfinished items on and keeps
/// their points as carried over, so velocity still counts what it committed to.
const V12_SPRINT_LIFECYCLE: &str = "
ALTER TABLE sprints ADD COLUMN started_at TEXT;
ALTER TABLE sprints ADD COLUMN completed_at TEXT;
ALTER TABLE sprints ADD COLUMN carried_over_points REAL CHECK (carried_over_points IS NULL OR carried_over_points >= 0);
";

/// Version 13: a label may have a colour, shown beside its name on cards (the name still says what the
/// label is). Keyed by the label's text, as items name their labels.
const V13_LABEL_COLOURS: &str = "
CREATE TABLE label_colours (
    label TEXT PRIMARY KEY NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
    colour TEXT NOT NULL CHECK (colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')
) WITHOUT ROWID;
";

/// Version 14: a KPI can serve an objective, as an epic does; deleting the objective leaves the KPI
/// serving none.
const V14_METRIC_OBJECTIVES: &str = "
ALTER TABLE metrics ADD COLUMN objective_id INTEGER REFERENCES objectives (objective_id) ON DELETE SET NULL;
";

/// Version 15: an objective can be set for a program increment (a PI objective), with the business
/// value the business owners planned for it (1 to 10) and the value it achieved (0 to 10), and may be
/// uncommitted (a stretch objective). Deleting the increment leaves the objective set for none.
const V15_PI_OBJECTIVES: &str = "
ALTER TABLE objectives ADD COLUMN increment_id INTEGER REFERENCES program_increments (increment_id) ON DELETE SET NULL;
ALTER TABLE objectives ADD COLUMN planned_value INTEGER CHECK (planned_value IS NULL OR planned_value BETWEEN 1 AND 10);
ALTER TABLE objectives ADD COLUMN actual_value INTEGER CHECK (actual_value IS NULL OR actual_value BETWEEN 0 AND 10);
ALTER TABLE objectives ADD COLUMN uncommitted INTEGER NOT NULL DEFAULT 0 CHECK (uncommitted IN (0, 1));
";

/// Version 16: UX research. Personas (who the product is for) and insights (what research and feedback
/// brought, each perhaps about a persona); an item can cite the insight it answers. Deleting a persona
/// or an insight leaves what named it naming none.
const V16_RESEARCH: &str = "
CREATE TABLE personas (
    persona_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE insights (
    insight_id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    kind TEXT NOT NULL CHECK (kind IN ('finding', 'feedback', 'usability', 'experiment')),
    source TEXT NOT NULL DEFAULT '',
    observed_on TEXT,
    persona_id INTEGER REFERENCES personas (persona_id) ON DELETE SET NULL,
    detail TEXT NOT NULL DEFAULT ''
);
ALTER TABLE items ADD COLUMN insight_id INTEGER REFERENCES insights (insight_id) ON DELETE SET NULL;
CREATE INDEX items_by_insight ON items (insight_id) WHERE insight_id IS NOT NULL;
";

/// Version 17: an insight may name the KPI it moved or is measured on (an A/B test's conversion, a
/// usability finding's task success), so research feeds the metrics. Deleting the KPI leaves the insight
/// naming none.
const V17_INSIGHT_KPI: &str = "
ALTER TABLE insights ADD COLUMN metric_id INTEGER REFERENCES metrics (metric_id) ON DELETE SET NULL;
";

/// Version 18: a baseline also keeps the objectives (with their increment and business values) and the
/// UX research (personas, and insights with how many items answer each), so a comparison says how they
/// changed. `baselines.format` is the schema version a baseline was saved in: those saved before 18
/// (given 17) kept neither, and a comparison with them says so instead of calling everything new.
const V18_BASELINE_OBJECTIVES_RESEARCH: &str = "
ALTER TABLE baselines ADD COLUMN format INTEGER NOT NULL DEFAULT 17;
CREATE TABLE baseline_objectives (
    baseline_id INTEGER NOT NULL REFERENCES baselines (baseline_id) ON DELETE CASCADE,
    objective_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    increment_id INTEGER,
    increment_name TEXT,
    planned_value INTEGER,
    actual_value INTEGER,
    uncommitted INTEGER NOT NULL,
    PRIMARY KEY (baseline_id, objective_id)
) WITHOUT ROWID;
CREATE TABLE baseline_personas (
    baseline_id INTEGER NOT NULL REFERENCES baselines (baseline_id) ON DELETE CASCADE,
    persona_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (baseline_id, persona_id)
) WITHOUT ROWID;
CREATE TABLE baseline_insights (
    baseline_id INTEGER NOT NULL REFERENCES baselines (baseline_id) ON DELETE CASCADE,
    insight_id INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    persona_id INTEGER,
    persona_name TEXT,
    answered_by INTEGER NOT NULL,
    PRIMARY KEY (baseline_id, insight_id)
) WITHOUT ROWID;
";

/// Version 19: the journal without its two extra pages per commit. Every write adds one journal row;
/// with `AUTOINCREMENT` that also rewrote the `sqlite_sequence` page, and the `UNIQUE` change id
/// wrote a page of its index at a random place: three pages of a move's eight. Entries keep their
/// `seq` and order (a plain integer key counts on from the largest), and the code that adds entries
/// from another copy skips ids the journal already has ([`super::journal::set_imported`], the merge).
const V19_LEAN_JOURNAL: &str = "
ALTER TABLE journal RENAME TO journal_before_19;
CREATE TABLE journal (
    seq INTEGER PRIMARY KEY,
    change_id TEXT NOT NULL,
    at TEXT NOT NULL,
    changeset BLOB NOT NULL
);
INSERT INTO journal (seq, change_id, at, changeset) SELECT seq, change_id, at, changeset FROM journal_before_19;
DROP TABLE journal_before_19;
DELETE FROM sqlite_sequence WHERE name IN ('journal', 'journal_before_19');
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }
}
