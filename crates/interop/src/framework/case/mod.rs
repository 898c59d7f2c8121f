//! 1EdTech CASE (Competencies and Academic Standards Exchange): frameworks out as CASE 1.1
//! packages that validate against the official 1.1 JSON Schema, and CASE 1.0 or 1.1 packages in,
//! leniently, with a report of everything not understood.
//!
//! Data CASE has no field for (OPM grade applicability, importance ranks, role profiles,
//! rationale, interview guides, review dates, …) travels in `extensions` under the
//! `framewright:` namespace; the profile is documented in `docs/interop.md`. A package written
//! by Framewright carries `"framewright:profile": "framewright-case/1"` in its document's
//! extensions, and reading it back gives the same framework.

pub mod export;
pub mod import;
pub mod package;

pub use export::{
    CaseExport, ExportError, ExportOptions, Fate, LossEntry, LossReport, export_case,
};
pub use import::{CaseImport, ImportNote, ImportReport, import_case};

use framewright_model::CompetencyKind;
use framewright_model::framework::Status;

/// The value of `framewright:profile` in packages Framewright writes.
pub const PROFILE: &str = "framewright-case/1";

/// Marks a package written by Framewright (document).
pub const EXT_PROFILE: &str = "framewright:profile";
/// The framework file format (document).
pub const EXT_FORMAT: &str = "framewright:format";
/// The framework's own id (document).
pub const EXT_ID: &str = "framewright:id";
/// The framework's status as Framewright names it (document).
pub const EXT_STATUS: &str = "framewright:status";
/// The owner, when the framework names one (document).
pub const EXT_OWNER: &str = "framewright:owner";
/// Review dates (document).
pub const EXT_REVIEW: &str = "framewright:review";
/// How the framework was made (document).
pub const EXT_PROVENANCE: &str = "framewright:provenance";
/// Sources with licences and attributions (document).
pub const EXT_SOURCES: &str = "framewright:sources";
/// Role profiles: required level and importance per competency (document).
pub const EXT_ROLE_PROFILES: &str = "framewright:roleProfiles";
/// The competency's kind (item).
pub const EXT_KIND: &str = "framewright:kind";
/// `true` when `fullStatement` repeats the name because there is no definition (item).
pub const EXT_DEFINITION_MISSING: &str = "framewright:definitionMissing";
/// Other names (item).
pub const EXT_ALT_LABELS: &str = "framewright:altLabels";
/// The catalogue entry the competency comes from (item).
pub const EXT_SOURCE: &str = "framewright:source";
/// Why the competency is in the framework (item).
pub const EXT_RATIONALE: &str = "framewright:rationale";
/// Notes (item).
pub const EXT_NOTES: &str = "framewright:notes";
/// OPM grade-table cells (item).
pub const EXT_GRADES: &str = "framewright:grades";
/// OPM importance ranks (item).
pub const EXT_IMPORTANCE: &str = "framewright:importanceRank";
/// Structured interview questions (item).
pub const EXT_INTERVIEW: &str = "framewright:interview";
/// The generator's evidence behind the rationale: scores, matched words, grade cell (item).
pub const EXT_EVIDENCE: &str = "framewright:evidence";
/// The proficiency scale with its general level descriptions (rubric).
pub const EXT_SCALE: &str = "framewright:scale";
/// A competency's level: description, indicators, draft flag (criterion level).
pub const EXT_LEVEL: &str = "framewright:level";
/// The relation type as Framewright names it (association).
pub const EXT_RELATION: &str = "framewright:relation";
/// `true` when the destination is outside the framework (association).
pub const EXT_EXTERNAL: &str = "framewright:external";

/// The item type of groups.
pub const GROUP_TYPE: &str = "Competency Group";

/// Type code, title, description and hierarchy code of the item type for a group (`None`) or
/// a competency of `kind`.
pub fn item_type_for(
    kind: Option<CompetencyKind>,
) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        None => (
            "competency-group",
            GROUP_TYPE,
            "A group of competencies (core, functional, leadership, technical, …).",
            "1",
        ),
        Some(CompetencyKind::General) => (
            "general-competency",
            "General Competency",
            "A general (cross-cutting, behavioural) competency: part of the core.",
            "2.1",
        ),
        Some(CompetencyKind::Technical) => (
            "technical-competency",
            "Technical Competency",
            "A technical competency: functional.",
            "2.2",
        ),
        Some(CompetencyKind::Knowledge) => (
            "knowledge",
            "Knowledge",
            "A knowledge area: functional.",
            "2.3",
        ),
        Some(CompetencyKind::Skill) => ("skill", "Skill", "A skill: functional.", "2.4"),
        Some(CompetencyKind::Ability) => ("ability", "Ability", "An ability.", "2.5"),
        Some(CompetencyKind::Unspecified) => (
            "competency",
            "Competency",
            "A competency whose kind the source does not state.",
            "2",
        ),
    }
}

/// The kind an item type title names, if it is one of ours or a common synonym.
pub fn kind_for_item_type(title: &str) -> Option<CompetencyKind> {
    let lower = title.trim().to_ascii_lowercase();
    Some(match lower.as_str() {
        "general competency" | "general" | "core competency" => CompetencyKind::General,
        "technical competency" | "technical" => CompetencyKind::Technical,
        "knowledge" => CompetencyKind::Knowledge,
        "skill" | "skill/competence" => CompetencyKind::Skill,
        "ability" => CompetencyKind::Ability,
        "competency" => CompetencyKind::Unspecified,
        _ => return None,
    })
}

/// The CASE adoption status for a framework status.
pub fn adoption_status(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::InReview => "In Review",
        Status::Published => "Adopted",
        Status::Retired => "Deprecated",
    }
}

/// The framework status for a CASE adoption status (case-insensitive; unknown → `None`).
pub fn status_for_adoption(text: &str) -> Option<Status> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "draft" | "private draft" | "public draft" => Status::Draft,
        "in review" | "in_review" | "review" => Status::InReview,
        "adopted" | "published" | "final" => Status::Published,
        "deprecated" | "retired" | "withdrawn" => Status::Retired,
        _ => return None,
    })
}
