//! The OPM AI Competency Model (29 April 2024) as built-in data: 43 general and 14 technical
//! competencies, definitions where the source gives them, the grade tables (GS-11 … GS-15 for
//! general, GS-13 … GS-15 for technical competencies), the current and future importance ranks,
//! the criteria for AI work, and the source's own inconsistencies as visible notes.

use std::collections::{BTreeMap, HashSet};

use framewright_model::{
    Catalogue, Competency, CompetencyKind, Grade, GradeMark, ImportanceRank, SourceNote,
};
use serde::{Deserialize, Serialize};

use crate::BuiltInDataError;

const FILE: &str = "data/opm-ai-2024.toml";
const DATA: &str = include_str!("../../../data/opm-ai-2024.toml");

/// The identifier of the OPM catalogue.
pub const OPM_ID: &str = "opm-ai-2024";

/// One of the memo's criteria for when work counts as AI work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiWorkCriterion {
    /// Its number in the memo (1 … 4).
    pub number: u8,
    /// The criterion as published.
    pub text: String,
}

/// The memo's definition of AI work and the criteria for when work counts as AI work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiWork {
    /// "AI work involves designing and developing systems …"
    pub definition: String,
    /// The four criteria.
    pub criteria: Vec<AiWorkCriterion>,
}

/// The whole OPM model.
#[derive(Debug, Clone, PartialEq)]
pub struct OpmModel {
    /// The 57 competencies with provenance and notes.
    pub catalogue: Catalogue,
    /// Definition of AI work and the criteria.
    pub ai_work: AiWork,
}

impl OpmModel {
    /// Grades of the general-competency table (GS-11 … GS-15).
    pub fn general_grades() -> Vec<Grade> {
        (11..=15).filter_map(Grade::new).collect()
    }

    /// Grades of the technical-competency table (GS-13 … GS-15).
    pub fn technical_grades() -> Vec<Grade> {
        (13..=15).filter_map(Grade::new).collect()
    }

    /// Competencies confirmed (X) for selection at `grade`.
    pub fn confirmed_at(&self, grade: Grade) -> impl Iterator<Item = &Competency> {
        self.catalogue
            .competencies
            .iter()
            .filter(move |c| c.grade_mark(grade) == Some(GradeMark::Confirmed))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    catalogue: RawMeta,
    ai_work: AiWork,
    notes: Vec<SourceNote>,
    competencies: Vec<RawCompetency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    name: String,
    title: String,
    version: String,
    publisher: String,
    issued: String,
    licence: String,
    attribution: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompetency {
    id: String,
    name: String,
    kind: CompetencyKind,
    definition: Option<String>,
    #[serde(default)]
    alt_labels: Vec<String>,
    #[serde(default)]
    notes: Vec<String>,
    #[serde(default)]
    grades: BTreeMap<Grade, GradeMark>,
    importance_rank: Option<RawRank>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRank {
    current: RankCell,
    future: RankCell,
}

/// A cell of the ranking table: a rank, or `NR` (not ranked).
#[derive(Deserialize)]
#[serde(untagged)]
enum RankCell {
    Rank(u32),
    Mark(String),
}

impl RankCell {
    fn value(&self, id: &str) -> Result<Option<u32>, BuiltInDataError> {
        match self {
            RankCell::Rank(n) => Ok(Some(*n)),
            RankCell::Mark(m) if m == "NR" => Ok(None),
            RankCell::Mark(m) => Err(BuiltInDataError::Inconsistent {
                file: FILE,
                message: format!("rank `{m}` of `{id}` is neither a number nor NR"),
            }),
        }
    }
}

/// The OPM AI Competency Model, parsed from the embedded data.
pub fn opm_ai_2024() -> Result<OpmModel, BuiltInDataError> {
    let raw: RawFile =
        toml::from_str(DATA).map_err(|source| BuiltInDataError::Toml { file: FILE, source })?;
    let note_ids: HashSet<&str> = raw.notes.iter().map(|n| n.id.as_str()).collect();
    let mut competencies = Vec::with_capacity(raw.competencies.len());
    for c in raw.competencies {
        if let Some(missing) = c.notes.iter().find(|n| !note_ids.contains(n.as_str())) {
            return Err(BuiltInDataError::Inconsistent {
                file: FILE,
                message: format!(
                    "competency `{}` refers to note `{missing}`, which does not exist",
                    c.id
                ),
            });
        }
        let importance_rank = match &c.importance_rank {
            Some(r) => Some(ImportanceRank {
                current: r.current.value(&c.id)?,
                future: r.future.value(&c.id)?,
            }),
            None => None,
        };
        competencies.push(Competency {
            id: c.id,
            name: c.name,
            kind: c.kind,
            definition: c.definition,
            alt_labels: c.alt_labels,
            notes: c.notes,
            grades: c.grades,
            importance_rank,
            broader: Vec::new(),
            uri: None,
        });
    }
    let meta = raw.catalogue;
    Ok(OpmModel {
        catalogue: Catalogue {
            id: meta.id,
            name: meta.name,
            title: Some(meta.title),
            version: Some(meta.version),
            publisher: Some(meta.publisher),
            issued: Some(meta.issued),
            licence: meta.licence,
            attribution: Some(meta.attribution),
            url: Some(meta.url),
            notes: raw.notes,
            competencies,
            reference_roles: Vec::new(),
        },
        ai_work: raw.ai_work,
    })
}
