//! Catalogues: published sources of competencies (the OPM AI model, ESCO, O*NET, NICE, an
//! organisation's own list), each competency with its provenance and source-specific data.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::grade::{Grade, GradeMark};

/// Namespace of every identifier Framewright derives with UUIDv5 (a fixed, random UUID).
pub const FRAMEWRIGHT_NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2b4e_8a3d_4c1f_9e57_0d2a_b8c4_e913);

/// What sort of thing a competency is. General competencies make up a framework's core;
/// the other kinds are functional.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyKind {
    /// A general (cross-cutting, behavioural) competency: core.
    General,
    /// A technical competency: functional.
    Technical,
    /// A knowledge area (ESCO knowledge, O*NET knowledge): functional.
    Knowledge,
    /// A skill (ESCO skill/competence, O*NET skill): functional.
    Skill,
    /// An ability (O*NET abilities).
    Ability,
    /// The source does not say.
    #[default]
    Unspecified,
}

impl CompetencyKind {
    /// Whether competencies of this kind belong to a framework's core group.
    pub fn is_core(self) -> bool {
        matches!(self, CompetencyKind::General)
    }

    /// The kind's name as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            CompetencyKind::General => "general",
            CompetencyKind::Technical => "technical",
            CompetencyKind::Knowledge => "knowledge",
            CompetencyKind::Skill => "skill",
            CompetencyKind::Ability => "ability",
            CompetencyKind::Unspecified => "unspecified",
        }
    }
}

/// A competency's rank in OPM's importance lists (1 = most important). `None` where the source
/// says NR (not ranked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ImportanceRank {
    /// Rank on current importance.
    pub current: Option<u32>,
    /// Rank on importance in three years.
    pub future: Option<u32>,
}

/// A note about the source itself: an inconsistency, an omission, a transcription choice.
/// Notes are shown to users; they never silently change the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceNote {
    /// Stable identifier of the note.
    pub id: String,
    /// What the source says or does, and how Framewright records it.
    pub text: String,
    /// Competencies the note is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub competencies: Vec<String>,
}

/// One competency as a catalogue publishes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Competency {
    /// Identifier, unique within the catalogue (a slug for OPM, the URI for ESCO).
    pub id: String,
    /// Name as published.
    pub name: String,
    /// General, technical, knowledge, …
    #[serde(default)]
    pub kind: CompetencyKind,
    /// Definition as published; `None` when the source gives none (never invented).
    #[serde(default)]
    pub definition: Option<String>,
    /// Other names for the same competency (including spellings the source itself uses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_labels: Vec<String>,
    /// Ids of the catalogue's source notes that concern this competency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// OPM grade table cells; a grade is absent where the source's table has no cell for it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grades: BTreeMap<Grade, GradeMark>,
    /// OPM importance ranks; `None` when the competency is not in the ranking table at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance_rank: Option<ImportanceRank>,
    /// Broader competencies in the catalogue's own hierarchy (ESCO broader skills, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub broader: Vec<String>,
    /// The source's own URI for the competency, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

impl Competency {
    /// A competency with a name and nothing else.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: CompetencyKind) -> Self {
        Competency {
            id: id.into(),
            name: name.into(),
            kind,
            definition: None,
            alt_labels: Vec::new(),
            notes: Vec::new(),
            grades: BTreeMap::new(),
            importance_rank: None,
            broader: Vec::new(),
            uri: None,
        }
    }

    /// The stable UUIDv5 of this competency within `catalogue_id`.
    pub fn uuid(&self, catalogue_id: &str) -> Uuid {
        competency_uuid(catalogue_id, &self.id)
    }

    /// The grade-table cell at `grade`, if the source has one.
    pub fn grade_mark(&self, grade: Grade) -> Option<GradeMark> {
        self.grades.get(&grade).copied()
    }
}

/// The stable UUIDv5 of competency `id` in catalogue `catalogue_id`.
pub fn competency_uuid(catalogue_id: &str, id: &str) -> Uuid {
    Uuid::new_v5(
        &FRAMEWRIGHT_NAMESPACE,
        format!("competency:{catalogue_id}:{id}").as_bytes(),
    )
}

/// A published source of competencies, with its licence and attribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Catalogue {
    /// Short identifier used on the command line (`opm-ai-2024`, `esco`).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Full title of the source document or data set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Release or version of the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Who issued it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// When it was issued (YYYY-MM-DD as text, as the source gives it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<String>,
    /// Licence or terms of use.
    pub licence: String,
    /// Attribution text that every export of this content must carry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Where the source can be found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Notes about the source (inconsistencies, omissions, transcription choices).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<SourceNote>,
    /// The competencies, in the source's order.
    pub competencies: Vec<Competency>,
    /// Roles (occupations, work roles) with the competencies they need, when the source has
    /// them (ESCO occupation–skill relations, O*NET ratings, NICE work roles). The generator
    /// uses them as evidence: "roles like this one usually need X".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_roles: Vec<ReferenceRole>,
}

/// A role from a source (or a saved framework) and the competencies it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReferenceRole {
    /// Identifier within the catalogue (ESCO occupation URI, O*NET-SOC code, NICE work role id).
    pub id: String,
    /// Title.
    pub title: String,
    /// Other titles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_titles: Vec<String>,
    /// What the role does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Task statements, when the source has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<String>,
    /// The competencies the role needs (ids in the same catalogue).
    pub competencies: Vec<RoleCompetency>,
}

/// One competency a reference role needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoleCompetency {
    /// Competency id in the catalogue.
    pub id: String,
    /// How much it matters, 0 … 1 (ESCO essential 1.0 / optional 0.5; O*NET importance scaled).
    pub weight: f64,
    /// Whether the source marks it essential.
    #[serde(default)]
    pub essential: bool,
}

impl Catalogue {
    /// The competency with this id or one of its names/alternative labels (case-insensitive).
    pub fn find(&self, key: &str) -> Option<&Competency> {
        if let Some(found) = self.competencies.iter().find(|c| c.id == key) {
            return Some(found);
        }
        let wanted = key.trim().to_lowercase();
        let slug = crate::slug::slugify(key);
        self.competencies.iter().find(|c| {
            c.id.eq_ignore_ascii_case(key)
                || (!slug.is_empty() && c.id == slug)
                || c.name.to_lowercase() == wanted
                || c.alt_labels.iter().any(|l| l.to_lowercase() == wanted)
        })
    }

    /// The notes that concern `competency_id`.
    pub fn notes_for<'a>(
        &'a self,
        competency: &'a Competency,
    ) -> impl Iterator<Item = &'a SourceNote> {
        self.notes.iter().filter(move |n| {
            competency.notes.contains(&n.id) || n.competencies.contains(&competency.id)
        })
    }
}
