//! UX research: personas and insights.

use super::{App, Applied, Change, ResearchCommand, StoreError, Timestamp, from_to, guard};
use crate::model::{BacklogItem, Insight, InsightId, ItemRecord, Persona, PersonaId};
use crate::store::items::update_item_in_tx;
use crate::store::research::{
    delete_insight_in_tx, delete_persona_in_tx, insert_insight_in_tx, insert_persona_in_tx, update_insight_in_tx,
    update_persona_in_tx,
};

/// "1 item", "3 insights": a count and its noun.
fn counted(count: usize, noun: &str) -> String {
    crate::interchange::convert::plural(count, noun)
}

impl App {
    /// Carries out one [`ResearchCommand`] in one transaction, with undo.
    pub(super) fn apply_research(&mut self, command: ResearchCommand, now: Timestamp) -> Result<Applied, StoreError> {
        let (description, changes, message) = match command {
            ResearchCommand::CreatePersona(persona) => {
                let stored = self.store.write(|tx| insert_persona_in_tx(tx, &persona))?;
                let message = format!("Added the persona '{}'.", stored.name);
                let description = format!("add persona '{}'", stored.name);
                (description, vec![Change::Persona { before: None, after: Some(stored) }], message)
            }
            ResearchCommand::UpdatePersona(persona) => {
                let before = self.persona_or_missing(persona.persona_id)?;
                let after = Persona { name: persona.name.trim().to_owned(), ..persona };
                let change = Change::Persona { before: Some(before), after: Some(after.clone()) };
                self.store.write(|tx| {
                    guard::check_replay_in_tx(tx, &change, true, "save the persona")?;
                    update_persona_in_tx(tx, &after)
                })?;
                (format!("edit persona '{}'", after.name), vec![change], format!("Saved the persona '{}'.", after.name))
            }
            ResearchCommand::DeletePersona(persona_id) => return self.delete_persona(persona_id, now),
            ResearchCommand::CreateInsight(insight) => {
                let stored = self.store.write(|tx| insert_insight_in_tx(tx, &insight))?;
                let message = format!("Added the insight '{}'.", stored.title);
                let description = format!("add insight '{}'", stored.title);
                (description, vec![Change::Insight { before: None, after: Some(stored) }], message)
            }
            ResearchCommand::UpdateInsight(insight) => {
                let before = self.insight_or_missing(insight.insight_id)?;
                let after = Insight {
                    title: insight.title.trim().to_owned(),
                    source: insight.source.trim().to_owned(),
                    ..insight
                };
                let change = Change::Insight { before: Some(before), after: Some(after.clone()) };
                self.store.write(|tx| {
                    guard::check_replay_in_tx(tx, &change, true, "save the insight")?;
                    update_insight_in_tx(tx, &after)
                })?;
                (
                    format!("edit insight '{}'", after.title),
                    vec![change],
                    format!("Saved the insight '{}'.", after.title),
                )
            }
            ResearchCommand::DeleteInsight(insight_id) => return self.delete_insight(insight_id, now),
        };
        Ok(self.finish(now, description, changes, None, message))
    }

    /// A persona's or insight's change, into the in-memory workspace.
    pub(super) fn apply_research_to_workspace(&mut self, change: &Change, forward: bool) {
        match change {
            Change::Persona { before, after } => {
                let (from, to) = from_to(before, after, forward);
                let id = to.or(from).map(|persona| persona.persona_id);
                self.workspace.personas.retain(|persona| Some(persona.persona_id) != id);
                if let Some(persona) = to {
                    self.workspace.personas.push(persona.clone());
                    self.workspace.personas.sort_by_key(|persona| persona.persona_id);
                }
            }
            Change::Insight { before, after } => {
                let (from, to) = from_to(before, after, forward);
                let id = to.or(from).map(|insight| insight.insight_id);
                self.workspace.insights.retain(|insight| Some(insight.insight_id) != id);
                if let Some(insight) = to {
                    self.workspace.insights.push(insight.clone());
                    self.workspace.insights.sort_by_key(|insight| insight.insight_id);
                }
            }
            _ => return,
        }
        self.workspace.touch();
    }

    fn persona_or_missing(&self, persona_id: PersonaId) -> Result<Persona, StoreError> {
        self.workspace
            .personas
            .iter()
            .find(|persona| persona.persona_id == persona_id)
            .cloned()
            .ok_or(StoreError::NotFound { what: "persona", id: persona_id.0 })
    }

    fn insight_or_missing(&self, insight_id: InsightId) -> Result<Insight, StoreError> {
        self.workspace
            .insights
            .iter()
            .find(|insight| insight.insight_id == insight_id)
            .cloned()
            .ok_or(StoreError::NotFound { what: "insight", id: insight_id.0 })
    }

    /// Deletes a persona in one transaction; the insights about it stay, about none. One undo brings
    /// the persona back and links them again.
    fn delete_persona(&mut self, persona_id: PersonaId, now: Timestamp) -> Result<Applied, StoreError> {
        let persona = self.persona_or_missing(persona_id)?;
        let about: Vec<Insight> =
            self.workspace.insights.iter().filter(|insight| insight.persona_id == Some(persona_id)).cloned().collect();
        let mut changes = Vec::with_capacity(about.len() + 1);
        self.store.write(|tx| {
            guard::check_replay_in_tx(
                tx,
                &Change::Persona { before: Some(persona.clone()), after: None },
                true,
                "delete it",
            )?;
            for insight in &about {
                let change = Change::Insight {
                    before: Some(insight.clone()),
                    after: Some(Insight { persona_id: None, ..insight.clone() }),
                };
                guard::check_replay_in_tx(tx, &change, true, "delete it")?;
                update_insight_in_tx(tx, &Insight { persona_id: None, ..insight.clone() })?;
                changes.push(change);
            }
            delete_persona_in_tx(tx, persona_id)
        })?;
        changes.push(Change::Persona { before: Some(persona.clone()), after: None });
        let insights = match about.len() {
            0 => String::new(),
            count => format!(
                " {} about them {} about no persona.",
                counted(count, "insight"),
                if count == 1 { "stays" } else { "stay" }
            ),
        };
        let message = format!("Deleted the persona '{}'.{insights} Press Ctrl+Z to bring it back.", persona.name);
        Ok(self.finish(now, format!("delete persona '{}'", persona.name), changes, None, message))
    }

    /// Deletes an insight in one transaction; the items answering it (on the board and archived) stay,
    /// answering none. One undo brings the insight back and links them again.
    fn delete_insight(&mut self, insight_id: InsightId, now: Timestamp) -> Result<Applied, StoreError> {
        let insight = self.insight_or_missing(insight_id)?;
        let items: Vec<BacklogItem> =
            self.workspace.all_items().filter(|item| item.details.insight_id == Some(insight_id)).cloned().collect();
        let mut changes = Vec::with_capacity(items.len() + 1);
        self.store.write(|tx| {
            guard::check_replay_in_tx(
                tx,
                &Change::Insight { before: Some(insight.clone()), after: None },
                true,
                "delete it",
            )?;
            for item in &items {
                let mut without = item.clone();
                without.details.insight_id = None;
                let without = guard::rebase_in_tx(tx, item, &without)?;
                let (old, new) = update_item_in_tx(tx, &without, now)?;
                changes.push(Change::Item {
                    before: Some(ItemRecord::new(old, Vec::new())),
                    after: Some(ItemRecord::new(new, Vec::new())),
                });
            }
            delete_insight_in_tx(tx, insight_id)
        })?;
        changes.push(Change::Insight { before: Some(insight.clone()), after: None });
        let answering = match items.len() {
            0 => String::new(),
            count => format!(
                " {} answering it {} on the board.",
                counted(count, "item"),
                if count == 1 { "stays" } else { "stay" }
            ),
        };
        let message = format!("Deleted the insight '{}'.{answering} Press Ctrl+Z to bring it back.", insight.title);
        Ok(self.finish(now, format!("delete insight '{}'", insight.title), changes, None, message))
    }
}
