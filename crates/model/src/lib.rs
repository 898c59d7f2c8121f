//! Domain model of competency frameworks: catalogues, competencies, proficiency scales,
//! behavioural indicators, role profiles, typed relations, versions and review dates — and
//! the rules that make a framework valid (`validate`) and good (`lint`).
//!
//! Pure: every function takes values and returns values. Reading and writing framework files
//! works on strings (`file`); adapters own the file system.

pub mod catalogue;
pub mod diff;
pub mod edit;
pub mod file;
pub mod framework;
pub mod grade;
pub mod limits;
pub mod lint;
pub mod location;
pub mod path;
pub mod role;
pub mod scale;
pub mod slug;
pub mod table;
pub mod text;
pub mod validate;

pub use catalogue::{
    Catalogue, Competency, CompetencyKind, ImportanceRank, ReferenceRole, RoleCompetency,
    SourceNote,
};
pub use framework::{
    Evidence, EvidenceMatch, EvidenceOnet, EvidenceReference, Framework, FrameworkCompetency,
    Group, InterviewQuestion, LeftOut, LevelContent, Provenance, Relation, RelationType,
    ReviewDates, RoleProfile, SourceRef, Status, Target,
};
pub use grade::{Grade, GradeMark};
pub use limits::{LimitExceeded, LimitIssue, Limits};
pub use location::Location;
pub use path::FieldPath;
pub use role::Role;
pub use scale::{ProficiencyLevel, ProficiencyScale};
