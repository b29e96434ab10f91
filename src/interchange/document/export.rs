//! Exporting a workspace as a document: every record, with document-local ids.

use std::collections::HashMap;

use crate::store::StoreError;

/// The value of the `format` field.
use super::{
    Conversion, DocColumn, DocComment, DocEpic, DocIncrement, DocItem, DocMetric, DocMove, DocObjective, DocRelease,
    DocSprint, Document, DocumentError, FORMAT_NAME, FORMAT_VERSION, RecordPerLine,
};

impl Document {
    /// The whole workspace as a document. Records get document-local ids 1, 2, 3… in the order they are
    /// written (columns left to right, epics by start date, sprints by start date), so exporting,
    /// importing into a new workspace and exporting again gives the same text.
    ///
    /// # Errors
    /// A store error while reading.
    pub fn from_store(store: &mut crate::store::Store) -> Result<Self, StoreError> {
        let mut workspace = store.load()?;
        let mut history = crate::store::lookup::history_by_item_in_tx(store.connection())?;
        let mut comments = store.all_comments()?;
        let number = |ids: Vec<i64>| -> HashMap<i64, i64> { ids.into_iter().zip(1..).collect() };
        let column_ids = number(workspace.columns.iter().map(|column| column.column_id.0).collect());
        let objective_ids = number(workspace.objectives.iter().map(|objective| objective.objective_id.0).collect());
        let epic_ids = number(workspace.epics.iter().map(|epic| epic.epic_id.0).collect());
        let sprint_ids = number(workspace.sprints.iter().map(|sprint| sprint.sprint_id.0).collect());
        let insight_ids = number(workspace.insights.iter().map(|insight| insight.insight_id.0).collect());
        let (personas, insights) = research_of(&workspace);
        let local = |map: &HashMap<i64, i64>, id: i64| map.get(&id).copied().unwrap_or(0);

        // The items are moved into the document rather than copied: at 100,000 items that matters.
        let items = workspace.take_items_in_board_order();
        // Items with sub-tasks, and the sub-tasks, get a document id: their place in the list.
        let parents: std::collections::HashSet<crate::model::ItemId> =
            items.iter().filter_map(|item| item.parent_id).collect();
        let item_ids: HashMap<crate::model::ItemId, i64> = items
            .iter()
            .zip(1..)
            .filter(|(item, _)| item.parent_id.is_some() || parents.contains(&item.item_id))
            .map(|(item, id)| (item.item_id, id))
            .collect();
        let items = items
            .into_iter()
            .map(|item| {
                let details = item.details.into_inner();
                DocItem {
                    id: item_ids.get(&item.item_id).copied(),
                    parent: item.parent_id.and_then(|parent| item_ids.get(&parent).copied()),
                    kind: item.kind,
                    title: item.title,
                    description: details.description,
                    criteria: details.acceptance_criteria,
                    points: item.points,
                    business_value: item.business_value,
                    time_criticality: item.time_criticality,
                    risk_reduction: item.risk_reduction,
                    reach: details.rice.reach,
                    impact: details.rice.impact,
                    confidence_percent: details.rice.confidence_percent,
                    effort: details.rice.effort,
                    moscow: details.moscow,
                    labels: item.labels.to_vec(),
                    epic: item.epic_id.map(|id| local(&epic_ids, id.0)),
                    sprint: item.sprint_id.map(|id| local(&sprint_ids, id.0)),
                    column: local(&column_ids, item.column_id.0),
                    raised_by: item.raised_by,
                    history: history
                        .remove(&item.item_id.0)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(at, to)| DocMove { at, to: local(&column_ids, to) })
                        .collect(),
                    assignee: details.assignee,
                    reporter: details.reporter,
                    insight: details.insight_id.map(|id| local(&insight_ids, id.0)),
                    start_date: item.start_date,
                    due_date: item.due_date,
                    archived_at: details.archived_at.map(|at| at.to_string()),
                    comments: doc_comments(comments.remove(&item.item_id).unwrap_or_default()),
                }
            })
            .collect();

        Ok(Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            anchor_monday: None,
            product: workspace.product.clone(),
            columns: workspace
                .columns
                .iter()
                .map(|column| DocColumn {
                    id: local(&column_ids, column.column_id.0),
                    name: column.name.clone(),
                    wip_limit: column.wip_limit,
                    is_done: column.is_done,
                })
                .collect(),
            objectives: workspace
                .objectives
                .iter()
                .map(|objective| {
                    DocObjective::of(objective, local(&objective_ids, objective.objective_id.0), &workspace.increments)
                })
                .collect(),
            epics: workspace
                .epics
                .iter()
                .map(|epic| DocEpic {
                    id: local(&epic_ids, epic.epic_id.0),
                    title: epic.title.clone(),
                    description: epic.description.clone(),
                    colour: epic.colour,
                    start_date: epic.start_date,
                    end_date: epic.end_date,
                    objective: epic.objective_id.map(|id| local(&objective_ids, id.0)),
                    starts_after: epic.depends_on.iter().map(|id| local(&epic_ids, id.0)).collect(),
                })
                .collect(),
            releases: workspace
                .releases
                .iter()
                .map(|release| DocRelease {
                    name: release.name.clone(),
                    date: release.date,
                    kind: release.kind,
                    description: release.description.clone(),
                })
                .collect(),
            increments: workspace
                .increments
                .iter()
                .map(|increment| DocIncrement {
                    name: increment.name.clone(),
                    start_date: increment.start_date,
                    end_date: increment.end_date,
                })
                .collect(),
            sprints: workspace
                .sprints
                .iter()
                .map(|sprint| DocSprint::of(sprint, local(&sprint_ids, sprint.sprint_id.0)))
                .collect(),
            metrics: workspace
                .metrics
                .iter()
                .map(|metric| DocMetric {
                    name: metric.name.clone(),
                    unit: metric.unit,
                    direction: metric.direction,
                    category: metric.category,
                    target: metric.target,
                    description: metric.description.clone(),
                    objective: metric.objective_id.map(|id| local(&objective_ids, id.0)),
                    samples: metric.samples.iter().map(|sample| (sample.date, sample.value)).collect(),
                })
                .collect(),
            label_colours: workspace
                .label_colours
                .iter()
                .map(|(label, colour)| super::DocLabelColour { label: label.clone(), colour: *colour })
                .collect(),
            personas,
            insights,
            items,
            conversion: Conversion::default(),
        })
    }

    /// The document as pretty-printed JSON.
    ///
    /// # Errors
    /// Only if serialisation fails, which plain data does not.
    pub fn to_json(&self) -> Result<String, DocumentError> {
        let mut bytes = Vec::with_capacity(4096 + self.items.len() * 320);
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, RecordPerLine::default());
        serde::Serialize::serialize(self, &mut serializer)?;
        bytes.push(b'\n');
        // serde_json writes only UTF-8; this cannot fail, but is not worth a panic either.
        String::from_utf8(bytes).map_err(|error| DocumentError::Json(serde::ser::Error::custom(error)))
    }
}

impl DocSprint {
    /// A sprint as the document writes it, under its document-local id.
    fn of(sprint: &crate::model::Sprint, id: i64) -> Self {
        Self {
            id,
            name: sprint.name.clone(),
            goal: sprint.goal.clone(),
            start_date: sprint.start_date,
            end_date: sprint.end_date,
            capacity_points: sprint.capacity_points,
            started_at: sprint.started_at.map(|at| at.to_string()),
            completed_at: sprint.completed_at.map(|at| at.to_string()),
            carried_over_points: sprint.carried_over_points,
        }
    }
}

/// An item's comments as the document writes them.
fn doc_comments(comments: Vec<crate::model::Comment>) -> Vec<DocComment> {
    comments
        .into_iter()
        .map(|comment| DocComment { author: comment.author, at: comment.created_at.to_string(), text: comment.text })
        .collect()
}

/// The workspace's personas and insights as the document writes them, numbered 1, 2, 3… in id order (the
/// numbers items name their insight by).
fn research_of(workspace: &crate::model::Workspace) -> (Vec<super::DocPersona>, Vec<super::DocInsight>) {
    let persona_ids: HashMap<i64, i64> =
        workspace.personas.iter().map(|persona| persona.persona_id.0).zip(1..).collect();
    let personas = workspace
        .personas
        .iter()
        .zip(1..)
        .map(|(persona, id)| super::DocPersona {
            id,
            name: persona.name.clone(),
            description: persona.description.clone(),
        })
        .collect();
    let insights = workspace
        .insights
        .iter()
        .zip(1..)
        .map(|(insight, id)| super::DocInsight {
            id,
            title: insight.title.clone(),
            kind: insight.kind,
            source: insight.source.clone(),
            observed_on: insight.observed_on,
            persona: insight.persona_id.and_then(|persona| persona_ids.get(&persona.0).copied()),
            detail: insight.detail.clone(),
            metric: insight
                .metric_id
                .and_then(|metric_id| workspace.metrics.iter().find(|metric| metric.metric_id == metric_id))
                .map(|metric| metric.name.clone()),
        })
        .collect();
    (personas, insights)
}
