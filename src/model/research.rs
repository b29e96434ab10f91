//! UX research: the personas a product is for, and the insights research and feedback brought (who the
//! users are and what they said). Backlog items cite the insight they answer.

use serde::{Deserialize, Serialize};

use super::error::{check_length, require_text};
use super::{Date, InsightId, MetricId, PersonaId, ValidationError};

/// Someone the product is for, as UX research describes them: "Sam, shops on a screen reader".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Persona {
    /// Its id.
    pub persona_id: PersonaId,
    /// Its name, often a first name and what sets them apart.
    pub name: String,
    /// Who they are: their goals, needs, frustrations, the access needs the team designs for.
    #[serde(default)]
    pub description: String,
}

impl Persona {
    /// Checks the name and the description.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("persona name", &self.name, 120)?;
        check_length("persona description", &self.description, 5000)
    }
}

/// Where an insight comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InsightKind {
    /// A finding of user research: interviews, field studies, surveys.
    Finding,
    /// What customers said: support tickets, reviews, NPS comments.
    Feedback,
    /// What a usability test showed.
    Usability,
    /// The result of an A/B test or another experiment.
    Experiment,
}

impl InsightKind {
    /// Every kind, in the order they are offered.
    pub const ALL: [Self; 4] = [Self::Finding, Self::Feedback, Self::Usability, Self::Experiment];

    /// The stored code.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Finding => "finding",
            Self::Feedback => "feedback",
            Self::Usability => "usability",
            Self::Experiment => "experiment",
        }
    }

    /// Reads a stored code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The kind in words, as a user reads it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Finding => "Research finding",
            Self::Feedback => "Customer feedback",
            Self::Usability => "Usability test",
            Self::Experiment => "A/B test or experiment",
        }
    }
}

/// What research or feedback brought: a finding, a quote, a test result. Items cite the insight they
/// answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    /// Its id.
    pub insight_id: InsightId,
    /// One line: what was learnt.
    pub title: String,
    /// Where it comes from.
    pub kind: InsightKind,
    /// Who or what it came from: "Interviews, 8 households", "App Store reviews, November".
    #[serde(default)]
    pub source: String,
    /// When it was observed, if known.
    #[serde(default)]
    pub observed_on: Option<Date>,
    /// The persona it concerns, if one.
    #[serde(default)]
    pub persona_id: Option<PersonaId>,
    /// The KPI it moved or is measured on, if one.
    #[serde(default)]
    pub metric_id: Option<MetricId>,
    /// The evidence: quotes, numbers, what was seen.
    #[serde(default)]
    pub detail: String,
}

impl Insight {
    /// Checks the title, the source and the detail.
    ///
    /// # Errors
    /// The first rule broken.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require_text("insight", &self.title, 200)?;
        check_length("insight source", &self.source, 200)?;
        check_length("insight detail", &self.detail, 5000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_codes_and_an_unknown_one_is_none() {
        for kind in InsightKind::ALL {
            assert_eq!(InsightKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(InsightKind::from_code("rumour"), None);
    }

    #[test]
    fn an_insight_needs_a_title_and_a_persona_a_name() {
        let insight = Insight {
            insight_id: InsightId(0),
            title: "  ".into(),
            kind: InsightKind::Usability,
            source: String::new(),
            observed_on: None,
            persona_id: None,
            detail: String::new(),
            metric_id: None,
        };
        assert!(insight.validate().is_err());
        assert!(Insight { title: "Slots are hard to compare".into(), ..insight }.validate().is_ok());
        let persona = Persona { persona_id: PersonaId(0), name: String::new(), description: String::new() };
        assert!(persona.validate().is_err());
    }
}
