//! Proficiency scales: ordered levels, each described by the situations it handles and the
//! guidance it needs. Scales are data; a framework may define its own.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One level of a proficiency scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProficiencyLevel {
    /// The level's number: 1 is the lowest; levels are numbered 1, 2, 3, … without gaps.
    pub level: u8,
    /// The level's name (Awareness, Basic, …). A name may be a label; the description must be
    /// behavioural.
    pub name: String,
    /// What a person at this level handles, and how much guidance they need.
    pub description: String,
}

/// An ordered set of proficiency levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProficiencyScale {
    /// Identifier of the scale (`opm-5`).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Where the scale comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The levels, lowest first.
    pub levels: Vec<ProficiencyLevel>,
}

impl ProficiencyScale {
    /// The level numbered `level`, if the scale has it.
    pub fn level(&self, level: u8) -> Option<&ProficiencyLevel> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// Whether `level` is one of the scale's levels.
    pub fn contains(&self, level: u8) -> bool {
        self.level(level).is_some()
    }

    /// The highest level number (0 for an empty scale).
    pub fn max_level(&self) -> u8 {
        self.levels.iter().map(|l| l.level).max().unwrap_or(0)
    }
}
