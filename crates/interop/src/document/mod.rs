//! Publication documents of a framework: a print-ready PDF (typeset with Typst, behind the
//! `pdf` cargo feature) and a Word document (DOCX). Both are made from one plain description of
//! the document ([`DocumentData`]), so they hold the same content in the same order: cover,
//! contents, about the framework and its proficiency scale, every competency with its
//! definition, levels and indicators, role profiles, the interview guide, relations, and the
//! sources with their attributions.

mod docx;
#[cfg(feature = "pdf")]
mod pdf;

use std::collections::BTreeMap;

use framewright_model::framework::Status;
use framewright_model::{CompetencyKind, Framework, RelationType};
use serde::Serialize;

pub use self::docx::docx;

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// This build has no PDF support.
    #[error(
        "this build of Framewright cannot write PDF (it was built without the `pdf` feature); export --format docx and print it to PDF, or rebuild with `--features pdf`"
    )]
    PdfNotBuilt,
    /// The typesetter refused the document (a defect of the template).
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
    /// The Word writer failed.
    #[error("the Word document could not be written: {0}")]
    Docx(String),
}

/// The framework as a PDF document (A4).
pub fn pdf(framework: &Framework) -> Result<Vec<u8>, DocumentError> {
    #[cfg(feature = "pdf")]
    {
        pdf::render(&DocumentData::from_framework(framework))
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = framework;
        Err(DocumentError::PdfNotBuilt)
    }
}

/// Whether this build can write PDF.
pub fn pdf_available() -> bool {
    cfg!(feature = "pdf")
}

/// Everything a framework document shows, in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentData {
    /// Title.
    pub title: String,
    /// "Competency framework".
    pub kind: String,
    /// Version.
    pub version: String,
    /// Status for people ("Draft", "In review", …).
    pub status: String,
    /// Owner.
    pub owner: Option<String>,
    /// What the framework is for.
    pub description: Option<String>,
    /// Licence of the framework's own content.
    pub licence: Option<String>,
    /// Review dates for people.
    pub review: Vec<(String, String)>,
    /// How the framework was made.
    pub made: Option<String>,
    /// The proficiency scale.
    pub scale: ScaleData,
    /// Competencies by group (groups in order, nested groups flattened with their path).
    pub sections: Vec<SectionData>,
    /// Role profiles.
    pub roles: Vec<RoleData>,
    /// Interview questions by competency.
    pub interview: Vec<InterviewData>,
    /// Relations between competencies.
    pub relations: Vec<RelationData>,
    /// Sources and attributions.
    pub sources: Vec<SourceData>,
    /// Notices for readers (draft texts, missing definitions).
    pub notices: Vec<String>,
    /// Number of competencies.
    pub competency_count: usize,
}

/// The proficiency scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleData {
    /// Name.
    pub name: String,
    /// Where it comes from.
    pub source: Option<String>,
    /// Levels, lowest first.
    pub levels: Vec<ScaleLevelData>,
}

/// One level of the scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleLevelData {
    /// Number.
    pub level: u8,
    /// Name.
    pub name: String,
    /// General description.
    pub description: String,
}

/// A group of competencies.
#[derive(Debug, Clone, Serialize)]
pub struct SectionData {
    /// The group's name, with its parents (`Functional › Machine learning`).
    pub title: String,
    /// The group's description.
    pub description: Option<String>,
    /// Its competencies.
    pub competencies: Vec<CompetencyData>,
}

/// One competency.
#[derive(Debug, Clone, Serialize)]
pub struct CompetencyData {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind for people ("General (core)", "Technical", …).
    pub kind: String,
    /// Definition.
    pub definition: Option<String>,
    /// Other names.
    pub alt_labels: Vec<String>,
    /// Where it comes from, for people.
    pub source: Option<String>,
    /// Why it is in the framework.
    pub rationale: Option<String>,
    /// OPM grade applicability for people (`Confirmed for selection at GS-12, GS-13`).
    pub grades: Option<String>,
    /// Importance ranks for people.
    pub importance: Option<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// Levels with content, lowest first.
    pub levels: Vec<LevelData>,
}

/// One level of one competency.
#[derive(Debug, Clone, Serialize)]
pub struct LevelData {
    /// Number.
    pub level: u8,
    /// The scale's name for it.
    pub name: String,
    /// What the level handles.
    pub description: Option<String>,
    /// Behavioural indicators.
    pub indicators: Vec<String>,
    /// Composed from templates, to be reviewed.
    pub draft: bool,
}

/// A role profile.
#[derive(Debug, Clone, Serialize)]
pub struct RoleData {
    /// Title.
    pub title: String,
    /// Job family, grade or level, for people.
    pub meta: Option<String>,
    /// What the role does.
    pub description: Option<String>,
    /// Required levels.
    pub targets: Vec<TargetData>,
}

/// One required level.
#[derive(Debug, Clone, Serialize)]
pub struct TargetData {
    /// Competency name.
    pub competency: String,
    /// Level number and name (`3 Intermediate`).
    pub level: String,
    /// Weight as a percentage (`40 %`).
    pub weight: Option<String>,
    /// Why.
    pub note: Option<String>,
}

/// The interview questions of one competency.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewData {
    /// Competency name.
    pub competency: String,
    /// Questions.
    pub questions: Vec<QuestionData>,
}

/// One question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionData {
    /// The question.
    pub question: String,
    /// Follow-up.
    pub follow_up: Option<String>,
    /// Rating anchors, lowest first.
    pub anchors: Vec<(u8, String)>,
}

/// A relation.
#[derive(Debug, Clone, Serialize)]
pub struct RelationData {
    /// From (name).
    pub from: String,
    /// The relation in words ("is needed before").
    pub kind: String,
    /// To (name or external id).
    pub to: String,
    /// Remark.
    pub note: Option<String>,
}

/// A source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceData {
    /// Name.
    pub name: String,
    /// Licence.
    pub licence: Option<String>,
    /// Attribution text.
    pub attribution: Option<String>,
    /// Where.
    pub url: Option<String>,
}

fn kind_label(kind: CompetencyKind) -> &'static str {
    match kind {
        CompetencyKind::General => "General (core)",
        CompetencyKind::Technical => "Technical",
        CompetencyKind::Knowledge => "Knowledge",
        CompetencyKind::Skill => "Skill",
        CompetencyKind::Ability => "Ability",
        CompetencyKind::Unspecified => "Competency",
    }
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::InReview => "In review",
        Status::Published => "Published",
        Status::Retired => "Retired",
    }
}

fn relation_words(kind: &RelationType) -> String {
    match kind {
        RelationType::Prerequisite => "is needed before".into(),
        RelationType::Broader => "is part of the broader".into(),
        RelationType::Narrower => "includes the narrower".into(),
        RelationType::Related => "is related to".into(),
        RelationType::ExactMatch => "means the same as".into(),
        RelationType::CloseMatch => "means nearly the same as".into(),
        RelationType::ReplacedBy => "is replaced by".into(),
        RelationType::Custom(name) => name.replace('_', " "),
    }
}

impl DocumentData {
    /// The document content of `framework`.
    pub fn from_framework(f: &Framework) -> DocumentData {
        let name_of = |id: &str| {
            f.competency(id)
                .map_or_else(|| id.to_string(), |c| c.name.clone())
        };
        let level_name = |level: u8| {
            f.scale
                .level(level)
                .map_or_else(|| format!("Level {level}"), |l| l.name.clone())
        };
        let group_path = |id: &str| -> String {
            let mut parts = Vec::new();
            let mut current = Some(id.to_string());
            let mut guard = 0;
            while let Some(g) = current {
                guard += 1;
                if guard > 32 {
                    break;
                }
                match f.groups.iter().find(|x| x.id == g) {
                    Some(group) => {
                        parts.push(group.name.clone());
                        current = group.parent.clone();
                    }
                    None => break,
                }
            }
            parts.reverse();
            parts.join(" › ")
        };
        // Groups in a depth-first order, so nested groups follow their parent.
        let mut ordered_groups = Vec::new();
        fn visit<'a>(f: &'a Framework, parent: Option<&str>, out: &mut Vec<&'a str>, depth: usize) {
            if depth > 32 {
                return;
            }
            for g in f.groups.iter().filter(|g| g.parent.as_deref() == parent) {
                out.push(g.id.as_str());
                visit(f, Some(&g.id), out, depth + 1);
            }
        }
        visit(f, None, &mut ordered_groups, 0);
        for g in &f.groups {
            if !ordered_groups.contains(&g.id.as_str()) {
                ordered_groups.push(g.id.as_str());
            }
        }
        let source_names: BTreeMap<&str, &str> = f
            .sources
            .iter()
            .map(|s| (s.catalogue.as_str(), s.name.as_str()))
            .collect();
        let mut drafts = 0usize;
        let mut missing = 0usize;
        let competency = |c: &framewright_model::FrameworkCompetency,
                          drafts: &mut usize,
                          missing: &mut usize| {
            if c.definition.is_none() {
                *missing += 1;
            }
            let mut levels: Vec<LevelData> = c
                .levels
                .iter()
                .map(|l| {
                    if l.draft {
                        *drafts += 1;
                    }
                    LevelData {
                        level: l.level,
                        name: level_name(l.level),
                        description: l.description.clone().filter(|d| !d.trim().is_empty()),
                        indicators: l.indicators.clone(),
                        draft: l.draft,
                    }
                })
                .collect();
            levels.sort_by_key(|l| l.level);
            let confirmed: Vec<String> = c
                .grades
                .iter()
                .filter(|(_, m)| m.as_str() == "X")
                .map(|(g, _)| g.to_string())
                .collect();
            let not_rated: Vec<String> = c
                .grades
                .iter()
                .filter(|(_, m)| m.as_str() == "NR")
                .map(|(g, _)| g.to_string())
                .collect();
            let grades = (!c.grades.is_empty()).then(|| {
                let mut parts = Vec::new();
                if !confirmed.is_empty() {
                    parts.push(format!(
                        "confirmed for selection at {}",
                        confirmed.join(", ")
                    ));
                }
                if !not_rated.is_empty() {
                    parts.push(format!("not rated at {}", not_rated.join(", ")));
                }
                let text = parts.join("; ");
                let mut chars = text.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().collect::<String>() + chars.as_str()
                })
            });
            let importance = c.importance_rank.map(|r| {
                let rank = |x: Option<u32>| {
                    x.map_or_else(|| "not ranked".to_string(), |n| format!("#{n}"))
                };
                format!(
                    "Importance rank now {}, in three years {}",
                    rank(r.current),
                    rank(r.future)
                )
            });
            CompetencyData {
                id: c.id.clone(),
                name: c.name.clone(),
                kind: kind_label(c.kind).into(),
                definition: c.definition.clone(),
                alt_labels: c.alt_labels.clone(),
                source: c.source.as_ref().map(|s| {
                    let name = source_names
                        .get(s.catalogue.as_str())
                        .copied()
                        .unwrap_or(s.catalogue.as_str());
                    format!("{name} ({})", s.id)
                }),
                rationale: c.rationale.clone(),
                grades,
                importance,
                notes: c.notes.clone(),
                levels,
            }
        };
        let mut sections = Vec::new();
        for group_id in &ordered_groups {
            let group = f.groups.iter().find(|g| g.id == *group_id);
            let competencies: Vec<CompetencyData> = f
                .competencies
                .iter()
                .filter(|c| c.group.as_deref() == Some(*group_id))
                .map(|c| competency(c, &mut drafts, &mut missing))
                .collect();
            if competencies.is_empty() && group.is_some_and(|g| g.description.is_none()) {
                continue;
            }
            sections.push(SectionData {
                title: group_path(group_id),
                description: group.and_then(|g| g.description.clone()),
                competencies,
            });
        }
        let ungrouped: Vec<CompetencyData> = f
            .competencies
            .iter()
            .filter(|c| {
                c.group
                    .as_ref()
                    .is_none_or(|g| !f.groups.iter().any(|x| &x.id == g))
            })
            .map(|c| competency(c, &mut drafts, &mut missing))
            .collect();
        if !ungrouped.is_empty() {
            sections.push(SectionData {
                title: if sections.is_empty() {
                    "Competencies".into()
                } else {
                    "Other competencies".into()
                },
                description: None,
                competencies: ungrouped,
            });
        }
        let roles = f
            .role_profiles
            .iter()
            .map(|p| {
                let mut meta = Vec::new();
                if let Some(family) = &p.job_family {
                    meta.push(format!("Job family: {family}"));
                }
                if let Some(grade) = p.grade {
                    meta.push(format!("Grade: {grade}"));
                }
                if let Some(level) = p.level {
                    meta.push(format!("Level: {level}"));
                }
                RoleData {
                    title: p.title.clone(),
                    meta: (!meta.is_empty()).then(|| meta.join(" · ")),
                    description: p.description.clone(),
                    targets: p
                        .targets
                        .iter()
                        .map(|t| TargetData {
                            competency: name_of(&t.competency),
                            level: format!("{} {}", t.level, level_name(t.level)),
                            weight: t.weight.map(|w| format!("{:.0} %", w * 100.0)),
                            note: t.note.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        let interview = f
            .competencies
            .iter()
            .filter(|c| !c.interview.is_empty())
            .map(|c| InterviewData {
                competency: c.name.clone(),
                questions: c
                    .interview
                    .iter()
                    .map(|q| QuestionData {
                        question: q.question.clone(),
                        follow_up: q.follow_up.clone(),
                        anchors: q.anchors.iter().map(|(k, v)| (*k, v.clone())).collect(),
                    })
                    .collect(),
            })
            .collect();
        let relations = f
            .relations
            .iter()
            .map(|r| RelationData {
                from: name_of(&r.from),
                kind: relation_words(&r.kind),
                to: if r.external {
                    format!("{} (outside this framework)", r.to)
                } else {
                    name_of(&r.to)
                },
                note: r.note.clone(),
            })
            .collect();
        let mut notices = Vec::new();
        if drafts > 0 {
            notices.push(format!(
                "{drafts} level descriptions are marked “draft”: they were composed from templates and need a subject-matter expert's review before use."
            ));
        }
        if missing > 0 {
            notices.push(format!(
                "{missing} competencies have no definition: the source gives none, and Framewright does not invent one."
            ));
        }
        let date =
            |label: &str, d: Option<time::Date>| d.map(|d| (label.to_string(), d.to_string()));
        let review: Vec<(String, String)> = [
            date("Last reviewed", f.review.last_reviewed),
            date("Next review", f.review.next_review),
            date("Next thorough update", f.review.next_major_update),
        ]
        .into_iter()
        .flatten()
        .collect();
        let made = f.provenance.as_ref().map(|p| {
            let mut text = format!("Made with {}", p.generator);
            if let Some(method) = &p.method {
                text.push_str(&format!(" ({method})"));
            }
            if let Some(role) = &p.role {
                text.push_str(&format!(" for the role “{}”", role.title));
            }
            text.push('.');
            text
        });
        DocumentData {
            title: f.title.clone(),
            kind: "Competency framework".into(),
            version: f.version.to_string(),
            status: status_label(f.status).into(),
            owner: f.owner.clone(),
            description: f.description.clone(),
            licence: f.licence.clone(),
            review,
            made,
            scale: ScaleData {
                name: f.scale.name.clone(),
                source: f.scale.source.clone(),
                levels: f
                    .scale
                    .levels
                    .iter()
                    .map(|l| ScaleLevelData {
                        level: l.level,
                        name: l.name.clone(),
                        description: l.description.clone(),
                    })
                    .collect(),
            },
            sections,
            roles,
            interview,
            relations,
            sources: f
                .sources
                .iter()
                .map(|s| SourceData {
                    name: s.name.clone(),
                    licence: s.licence.clone(),
                    attribution: s.attribution.clone(),
                    url: s.url.clone(),
                })
                .collect(),
            notices,
            competency_count: f.competencies.len(),
        }
    }
}
