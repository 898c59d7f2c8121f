//! Roles: the generator's input and a job analysis's subject.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::grade::Grade;

/// A role: title, description, task statements, grade or level, job family.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Role title ("Machine Learning Engineer").
    pub title: String,
    /// What the role does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Task statements, one per entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
    /// General Schedule grade (GS-11 … GS-15 for the OPM AI model).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Generic level 1 … 5, when no grade applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Job family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_family: Option<String>,
    /// Organisation context (mission, sector) that should colour the framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// How many competencies to select (6 … 12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_count: Option<usize>,
    /// Competencies that must be included (ids or names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Competencies that must not be included (ids or names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}
