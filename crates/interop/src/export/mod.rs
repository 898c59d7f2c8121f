//! Framework renderers: Markdown a designer can read and send, a self-contained printable HTML
//! page, a flat CSV table and an XLSX workbook. Each takes any valid [`Framework`] (generated
//! or written by hand) and returns text or bytes; none touches the file system. Every output
//! carries the framework's source attributions.
//!
//! The HTML and Markdown documents are rendered from the framework's view model in
//! [`crate::document`] (with DOCX and PDF); they are re-exported here under their old paths.

pub use crate::framework::{csv, xlsx};

pub use crate::document::{html, markdown};

use std::str::FromStr;

use framewright_model::{Framework, FrameworkCompetency, RoleProfile, Target};

/// The formats a framework can be rendered to here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Markdown (`.md`).
    Markdown,
    /// One self-contained HTML page (`.html`).
    Html,
    /// One CSV table, a row per competency and level (`.csv`).
    Csv,
    /// An Excel workbook (`.xlsx`).
    Xlsx,
}

impl ExportFormat {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// Whether the output is text (UTF-8) rather than binary.
    pub fn is_text(self) -> bool {
        !matches!(self, ExportFormat::Xlsx)
    }
}

/// Why a format name was not recognised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an export format; use md, html, csv or xlsx")]
pub struct UnknownFormat(pub String);

impl FromStr for ExportFormat {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "html" | "htm" => Ok(ExportFormat::Html),
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            other => Err(UnknownFormat(other.to_string())),
        }
    }
}

/// Why a framework could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The CSV writer failed.
    #[error("could not write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// The XLSX writer failed.
    #[error("could not write XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Renders `framework` in `format`.
pub fn render(framework: &Framework, format: ExportFormat) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        ExportFormat::Markdown => markdown::render(framework).into_bytes(),
        ExportFormat::Html => html::render(framework).into_bytes(),
        ExportFormat::Csv => csv::render(framework)?.into_bytes(),
        ExportFormat::Xlsx => xlsx::render(framework)?,
    })
}

/// The competencies in reading order: group by group (in the order the groups are declared),
/// then those without a group, keeping the framework's order within each.
pub(crate) fn ordered(framework: &Framework) -> Vec<&FrameworkCompetency> {
    let mut out: Vec<&FrameworkCompetency> = Vec::with_capacity(framework.competencies.len());
    for group in &framework.groups {
        out.extend(
            framework
                .competencies
                .iter()
                .filter(|c| c.group.as_deref() == Some(group.id.as_str())),
        );
    }
    out.extend(framework.competencies.iter().filter(|c| {
        c.group
            .as_deref()
            .is_none_or(|g| !framework.groups.iter().any(|x| x.id == g))
    }));
    out
}

/// The name of group `id`, or the id itself.
pub(crate) fn group_name<'a>(framework: &'a Framework, id: Option<&'a str>) -> &'a str {
    match id {
        Some(id) => framework
            .groups
            .iter()
            .find(|g| g.id == id)
            .map_or(id, |g| g.name.as_str()),
        None => "",
    }
}

/// The name of scale level `level`, or "".
pub(crate) fn level_name(framework: &Framework, level: u8) -> &str {
    framework.scale.level(level).map_or("", |l| l.name.as_str())
}

/// "4 (Advanced)".
pub(crate) fn level_label(framework: &Framework, level: u8) -> String {
    match level_name(framework, level) {
        "" => level.to_string(),
        name => format!("{level} ({name})"),
    }
}

/// "Machine Learning Engineer (GS-13)", "Analyst (level 3)", "Analyst".
pub(crate) fn profile_label(profile: &RoleProfile) -> String {
    match (profile.grade, profile.level) {
        (Some(g), _) => format!("{} ({g})", profile.title),
        (None, Some(l)) => format!("{} (level {l})", profile.title),
        _ => profile.title.clone(),
    }
}

/// "0.85" or "".
pub(crate) fn weight_text(target: &Target) -> String {
    target.weight.map_or(String::new(), |w| format!("{w:.2}"))
}

/// The source line of a competency: "OPM AI Competency Model (2024), `id`".
pub(crate) fn source_text(framework: &Framework, c: &FrameworkCompetency) -> Option<String> {
    let source = c.source.as_ref()?;
    let name = framework
        .sources
        .iter()
        .find(|s| s.catalogue == source.catalogue)
        .map_or(source.catalogue.as_str(), |s| s.name.as_str());
    Some(format!("{name}, {}", source.id))
}

/// The review line, when any review date is set.
pub(crate) fn review_text(framework: &Framework) -> Option<String> {
    let r = &framework.review;
    let mut parts = Vec::new();
    if let Some(d) = r.last_reviewed {
        parts.push(format!("last reviewed {d}"));
    }
    if let Some(d) = r.next_review {
        parts.push(format!("next review {d}"));
    }
    if let Some(d) = r.next_major_update {
        parts.push(format!("next thorough update {d}"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A hand-made framework that exercises every part the renderers show, with characters
    //! that need escaping.
    use std::collections::BTreeMap;

    use framewright_model::framework::CompetencySource;
    use framewright_model::{
        CompetencyKind, Framework, FrameworkCompetency, Grade, GradeMark, Group, ImportanceRank,
        InterviewQuestion, LevelContent, Provenance, Relation, RelationType, RoleProfile,
        SourceRef, Target,
    };

    pub fn framework() -> Framework {
        let scale = framewright_catalog::opm_five_level().unwrap();
        let mut f = Framework::new("data-team", "Data team <framework> & more", scale);
        f.description = Some("Competencies for the *data* team | all grades.".into());
        f.owner = Some("Analytics Office".into());
        f.sources.push(SourceRef {
            catalogue: "opm-ai-2024".into(),
            name: "OPM AI Competency Model (2024)".into(),
            licence: Some("US Government work".into()),
            attribution: Some("Source: US Office of Personnel Management, 2024.".into()),
            url: Some("https://example.org/opm".into()),
        });
        f.groups = vec![
            Group {
                id: "core".into(),
                name: "Core competencies".into(),
                description: None,
                parent: None,
            },
            Group {
                id: "functional".into(),
                name: "Functional competencies".into(),
                description: None,
                parent: None,
            },
        ];
        let mut analysis =
            FrameworkCompetency::new("data-analysis", "Data Analysis", CompetencyKind::Technical);
        analysis.group = Some("functional".into());
        analysis.definition = Some("Analyzes data \"sets\" to find <patterns>.".into());
        analysis.rationale = Some("The role's text matches it: “data” (title).".into());
        analysis.source = Some(CompetencySource {
            catalogue: "opm-ai-2024".into(),
            id: "data-analysis".into(),
            uri: None,
        });
        analysis.notes = vec!["A note, with a comma".into()];
        analysis.grades = BTreeMap::from([(Grade::new(13).unwrap(), GradeMark::Confirmed)]);
        analysis.importance_rank = Some(ImportanceRank {
            current: None,
            future: Some(15),
        });
        analysis.levels = (1..=5)
            .map(|level| LevelContent {
                level,
                description: Some(format!("Level {level} work on data.")),
                indicators: vec![
                    format!("Identifies data problem {level}."),
                    format!("Explains result {level} to the team, line one\nline two."),
                ],
                draft: level == 5,
            })
            .collect();
        let anchors = BTreeMap::from([
            (1, "No example.".to_string()),
            (3, "A specific example.".to_string()),
            (5, "A specific example with measured results.".to_string()),
        ]);
        analysis.interview = vec![
            InterviewQuestion {
                question: "Tell me about a time when data misled you.".into(),
                follow_up: Some("What did you check?".into()),
                anchors: anchors.clone(),
            },
            InterviewQuestion {
                question: "Describe an analysis you are proud of.".into(),
                follow_up: None,
                anchors,
            },
        ];
        let mut teamwork =
            FrameworkCompetency::new("teamwork", "Teamwork", CompetencyKind::General);
        teamwork.group = Some("core".into());
        teamwork.definition = Some("Builds and works with teams.".into());
        let loose = FrameworkCompetency::new("ethics", "Ethics", CompetencyKind::Unspecified);
        f.competencies = vec![analysis, loose, teamwork];
        f.role_profiles = vec![
            RoleProfile {
                id: "analyst".into(),
                title: "Data Analyst".into(),
                job_family: Some("Data".into()),
                grade: Grade::new(13),
                level: None,
                description: Some("Analyses data.".into()),
                targets: vec![
                    Target {
                        details: None,
                        competency: "data-analysis".into(),
                        level: 4,
                        weight: Some(0.9),
                        note: Some("Level 4 at GS-13.".into()),
                    },
                    Target {
                        details: None,
                        competency: "teamwork".into(),
                        level: 3,
                        weight: None,
                        note: None,
                    },
                ],
            },
            RoleProfile {
                id: "lead".into(),
                title: "Data Lead".into(),
                job_family: None,
                grade: None,
                level: Some(5),
                description: None,
                targets: vec![Target {
                    details: None,
                    competency: "data-analysis".into(),
                    level: 5,
                    weight: Some(1.0),
                    note: None,
                }],
            },
        ];
        f.relations = vec![Relation {
            from: "data-analysis".into(),
            to: "teamwork".into(),
            kind: RelationType::Related,
            external: false,
            note: Some("often together".into()),
        }];
        f.provenance = Some(Provenance {
            details: Vec::new(),
            left_out: Vec::new(),
            generator: "framewright 0.1.0".into(),
            method: Some("Line one of the method.\nLine two.".into()),
            matching: None,
            role: None,
            generated_at: None,
        });
        f
    }

    #[test]
    fn the_fixture_is_valid() {
        assert_eq!(framewright_model::validate::problems(&framework()), vec![]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competencies_are_ordered_by_group_then_ungrouped() {
        let f = fixture::framework();
        let ids: Vec<&str> = ordered(&f).iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["teamwork", "data-analysis", "ethics"]);
        assert_eq!(level_label(&f, 4), "4 (Advanced)");
        let view = crate::document::DocumentData::from_framework(&f);
        let analysis = view
            .sections
            .iter()
            .flat_map(|s| &s.competencies)
            .find(|c| c.id == "data-analysis")
            .unwrap();
        assert_eq!(analysis.targets.len(), 2);
        assert_eq!(
            "MD".parse::<ExportFormat>().unwrap(),
            ExportFormat::Markdown
        );
        assert!("pdf".parse::<ExportFormat>().is_err());
    }
}
