//! Frameworks: groups of competencies with proficiency levels, behavioural indicators, role
//! profiles, typed relations, a version, a status and review dates — the content of a
//! framework file.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalogue::{CompetencyKind, ImportanceRank};
use crate::grade::{Grade, GradeMark};
use crate::scale::ProficiencyScale;

/// The format tag every framework file carries.
pub const FORMAT: &str = "framewright/1";

/// Where a framework is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being written.
    #[default]
    Draft,
    /// Waiting for reviewers.
    InReview,
    /// Released for use.
    Published,
    /// No longer in use.
    Retired,
}

impl Status {
    /// The status as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Published => "published",
            Status::Retired => "retired",
        }
    }
}

/// Calendar date written `YYYY-MM-DD`.
pub type Date = time::Date;

/// Review dates: frameworks are reviewed every year and updated thoroughly every two to three
/// years.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDates {
    /// When the framework was last reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date_opt")]
    #[schemars(with = "Option<String>")]
    pub last_reviewed: Option<Date>,
    /// When the next (annual) review is due.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date_opt")]
    #[schemars(with = "Option<String>")]
    pub next_review: Option<Date>,
    /// When the next thorough update is due.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "date_opt")]
    #[schemars(with = "Option<String>")]
    pub next_major_update: Option<Date>,
}

impl ReviewDates {
    /// Review dates for a framework reviewed on `today`: annual review in a year, thorough
    /// update in `major_update_years` years.
    pub fn starting(today: Date, major_update_years: i32) -> ReviewDates {
        ReviewDates {
            last_reviewed: Some(today),
            next_review: add_years(today, 1),
            next_major_update: add_years(today, major_update_years),
        }
    }

    /// Which reviews are due on `today`.
    pub fn due(&self, today: Date) -> Vec<&'static str> {
        let mut due = Vec::new();
        if self.next_review.is_some_and(|d| d <= today) {
            due.push("annual review");
        }
        if self.next_major_update.is_some_and(|d| d <= today) {
            due.push("thorough update");
        }
        due
    }
}

/// `date` moved by whole years (29 February becomes 28 February in common years).
pub fn add_years(date: Date, years: i32) -> Option<Date> {
    let year = date.year().checked_add(years)?;
    Date::from_calendar_date(year, date.month(), date.day())
        .or_else(|_| Date::from_calendar_date(year, date.month(), date.day() - 1))
        .ok()
}

/// Where the content of a framework comes from, with the attribution exports must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// Catalogue identifier (`opm-ai-2024`).
    pub catalogue: String,
    /// Name for people.
    pub name: String,
    /// Licence or terms of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Attribution text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Where the source can be found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A group of competencies (core, functional, leadership, …); groups may nest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Identifier, unique within the framework.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// What the group holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The group this one sits in, for multi-level taxonomies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// What one proficiency level looks like for one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelContent {
    /// The scale level this describes.
    pub level: u8,
    /// What a person at this level handles for this competency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Observable behaviours that show the level, one behaviour each.
    #[serde(default)]
    pub indicators: Vec<String>,
    /// True when the text was composed from templates and needs a person's review.
    #[serde(default, skip_serializing_if = "is_false")]
    pub draft: bool,
}

/// A structured behavioural interview question with its anchored rating scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewQuestion {
    /// The question as the interviewer asks it.
    pub question: String,
    /// A probing follow-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<String>,
    /// Behavioural anchors by rating (at least 1, 3 and 5).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<String, String>")]
    pub anchors: BTreeMap<u8, String>,
}

/// Where a framework competency was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetencySource {
    /// Catalogue identifier.
    pub catalogue: String,
    /// The competency's id in that catalogue.
    pub id: String,
    /// The source's URI for the competency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// A competency as it stands in a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkCompetency {
    /// Identifier, unique within the framework.
    pub id: String,
    /// Name.
    pub name: String,
    /// General (core) or technical/knowledge/skill (functional).
    #[serde(default)]
    pub kind: CompetencyKind,
    /// The group it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Definition; `None` when there is none yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Other names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alt_labels: Vec<String>,
    /// The catalogue entry it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<CompetencySource>,
    /// Why it is in the framework (the generator's cited evidence, or the designer's words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Notes (source notes, review remarks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// OPM grade-table cells carried over from the catalogue.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grades: BTreeMap<Grade, GradeMark>,
    /// OPM importance ranks carried over from the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance_rank: Option<ImportanceRank>,
    /// Content per proficiency level.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<LevelContent>,
    /// Structured interview questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interview: Vec<InterviewQuestion>,
    /// The numbers and machine-readable evidence behind the rationale, when a program chose
    /// it (the rationale itself is plain words for people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// Why the generator chose a competency, as data: the scores it was ranked and selected by,
/// the role's words that matched it, the reference roles that need it, the semantic
/// similarity and OPM's grade cell. Documents show it only behind "details".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Its place in its group: "core 2 of 4".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// True when the role asked for it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub included: bool,
    /// The suggestion score: text and reference-role evidence plus the priors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The score the selection compared: the suggestion score plus the task-coverage bonus
    /// when it was picked (absent for included competencies, which are not compared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_score: Option<f64>,
    /// The task-coverage bonus in `final_score`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_bonus: Option<f64>,
    /// The role's tasks (numbered from 1) it covered that nothing chosen before it covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered_tasks: Vec<usize>,
    /// Text relevance, 0 … 1 (1 for the role's best match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_relevance: Option<f64>,
    /// The prior added for OPM's grade table and ranks, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<f64>,
    /// Why the prior was given, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_reason: Option<String>,
    /// The role's words found in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<EvidenceMatch>,
    /// Similar reference roles that need it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_roles: Vec<EvidenceReference>,
    /// How many similar reference roles were consulted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_consulted: Option<usize>,
    /// Cosine similarity of the role's and the competency's sentence embeddings, 0 … 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semantic_similarity: Option<f64>,
    /// The role's tasks (numbered from 1) that name it: the task has the words of its name
    /// ("Negotiate with vendors" for Influencing or Negotiating).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named_by_tasks: Vec<usize>,
    /// What naming added to `score`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub naming_bonus: Option<f64>,
    /// The O*NET importance rating cited for it, when O*NET's ratings are installed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onet: Option<EvidenceOnet>,
    /// The role's grade and OPM's cell for it there ("X" confirmed, "NR" not rated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// OPM's grade-table cell at `grade`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade_mark: Option<GradeMark>,
}

/// A word or phrase of the role found in a competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceMatch {
    /// The word or phrase.
    pub word: String,
    /// Where in the role: "title", "description", "task 2", "synonym of …".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Where in the competency: "name", "alternative labels", "definition".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// An O*NET importance rating cited as evidence for a competency: the rating of a descriptor
/// that the OPM ↔ O*NET crosswalk maps to it, for one of the occupations closest to the role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceOnet {
    /// The O*NET-SOC code of the occupation whose rating is cited (`15-1221.00`).
    pub occupation: String,
    /// Its title.
    pub occupation_title: String,
    /// Its place among the occupations closest to the role (1 = the closest).
    pub occupation_rank: usize,
    /// The O*NET content-model element id of the rated descriptor (`2.A.2.a`).
    pub element: String,
    /// The descriptor's name ("Critical Thinking").
    pub element_name: String,
    /// How the descriptor relates to the competency in the crosswalk: exact, close, narrower,
    /// broader or related.
    pub relation: String,
    /// The cited importance, 1 … 5.
    pub importance: f64,
    /// The similarity-weighted value over the closest rated occupations, 0 … 1.
    pub value: f64,
    /// What was added to the competency's score.
    pub added: f64,
}

/// A reference role that needs a competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceReference {
    /// The reference role's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its similarity to the role, 0 … 1.
    pub similarity: f64,
}

impl FrameworkCompetency {
    /// A competency with a name and nothing else.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: CompetencyKind) -> Self {
        FrameworkCompetency {
            id: id.into(),
            name: name.into(),
            kind,
            group: None,
            definition: None,
            alt_labels: Vec::new(),
            source: None,
            rationale: None,
            notes: Vec::new(),
            grades: BTreeMap::new(),
            importance_rank: None,
            levels: Vec::new(),
            interview: Vec::new(),
            evidence: None,
        }
    }

    /// The content for `level`, if written.
    pub fn level(&self, level: u8) -> Option<&LevelContent> {
        self.levels.iter().find(|l| l.level == level)
    }
}

/// The required level and importance of one competency in a role profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The competency (framework id).
    pub competency: String,
    /// The proficiency level required.
    pub level: u8,
    /// Relative importance weight, 0 … 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Why this level and weight, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How the level and weight were computed (the formula with its numbers), when a program
    /// set them; documents show it only behind "details".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

/// A role (job family × grade or level) and what it requires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleProfile {
    /// Identifier, unique within the framework.
    pub id: String,
    /// Role title.
    pub title: String,
    /// Job family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_family: Option<String>,
    /// General Schedule grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Generic level (1 … 5) when no grade applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// What the role does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Required level and importance per competency.
    #[serde(default)]
    pub targets: Vec<Target>,
}

/// The kind of link between two competencies.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelationType {
    /// `from` must be mastered before `to` (acyclic).
    Prerequisite,
    /// `to` is broader than `from` (acyclic, together with `narrower`).
    Broader,
    /// `to` is narrower than `from` (acyclic, together with `broader`).
    Narrower,
    /// Related, no direction implied (cycles allowed).
    Related,
    /// `to` is an external item that means exactly the same.
    ExactMatch,
    /// `to` is an external item that means nearly the same.
    CloseMatch,
    /// `from` has been replaced by `to` (acyclic).
    ReplacedBy,
    /// A type of the organisation's own (cycles allowed).
    Custom(String),
}

impl RelationType {
    /// Whether links of this type must never form a cycle.
    pub fn must_be_acyclic(&self) -> bool {
        matches!(
            self,
            RelationType::Prerequisite
                | RelationType::Broader
                | RelationType::Narrower
                | RelationType::ReplacedBy
        )
    }

    /// Whether the target is normally an item outside the framework.
    pub fn targets_external(&self) -> bool {
        matches!(self, RelationType::ExactMatch | RelationType::CloseMatch)
    }

    /// The type's name as written in files.
    pub fn as_str(&self) -> &str {
        match self {
            RelationType::Prerequisite => "prerequisite",
            RelationType::Broader => "broader",
            RelationType::Narrower => "narrower",
            RelationType::Related => "related",
            RelationType::ExactMatch => "exact_match",
            RelationType::CloseMatch => "close_match",
            RelationType::ReplacedBy => "replaced_by",
            RelationType::Custom(name) => name,
        }
    }
}

impl fmt::Display for RelationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a relation type could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("relation type must not be empty")]
pub struct EmptyRelationType;

impl FromStr for RelationType {
    type Err = EmptyRelationType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim() {
            "" => return Err(EmptyRelationType),
            "prerequisite" => RelationType::Prerequisite,
            "broader" => RelationType::Broader,
            "narrower" => RelationType::Narrower,
            "related" => RelationType::Related,
            "exact_match" => RelationType::ExactMatch,
            "close_match" => RelationType::CloseMatch,
            "replaced_by" => RelationType::ReplacedBy,
            other => RelationType::Custom(other.to_string()),
        })
    }
}

impl Serialize for RelationType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RelationType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for RelationType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RelationType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "description": "prerequisite, broader, narrower, related, exact_match, close_match, replaced_by, or a type of your own",
            "examples": ["prerequisite", "broader", "narrower", "related", "exact_match", "close_match", "replaced_by"]
        })
    }
}

/// A typed link from one competency to another (or to an external item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// The competency the link starts from (framework id).
    pub from: String,
    /// The competency it points to: a framework id, or an external identifier when `external`.
    pub to: String,
    /// The kind of link.
    #[serde(rename = "type")]
    pub kind: RelationType,
    /// True when `to` is an item outside this framework (an ESCO URI, a NICE id, …).
    #[serde(default, skip_serializing_if = "is_false")]
    pub external: bool,
    /// A remark for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How a framework was made, when a program made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The program and its version (`framewright 0.1.0`).
    pub generator: String,
    /// Free-form description of the input and method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// How competencies were matched to the role: `words only`, or words and meaning with the
    /// sentence-embedding model named (`words and meaning (all-MiniLM-L6-v2)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<String>,
    /// The role the framework was generated for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<crate::role::Role>,
    /// When it was generated (RFC 3339), only when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    /// The method's numbers (engines, priors, scores), one line each; documents show them
    /// only behind "details".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Competencies that were not chosen although they came close or OPM confirms them at the
    /// role's grade, with the reason and the score the selection compared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOut>,
}

/// A competency the generator did not choose, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeftOut {
    /// Its name.
    pub name: String,
    /// The catalogue entry.
    pub source: CompetencySource,
    /// The group it would have joined ("core", "functional").
    pub group: String,
    /// Why it was left out, in words.
    pub reason: String,
    /// The score the selection compared it by (suggestion score plus the task-coverage bonus
    /// it would have had when the group was full); absent when it was excluded or overlapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_score: Option<f64>,
}

/// A whole competency framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Always `framewright/1` for this version of the format.
    pub format: String,
    /// Identifier of the framework (a slug).
    pub id: String,
    /// Title.
    pub title: String,
    /// Semantic version of this release of the framework.
    #[schemars(with = "String")]
    pub version: semver::Version,
    /// Draft, in review, published or retired.
    #[serde(default)]
    pub status: Status,
    /// What the framework is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Organisation or person responsible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Licence of the framework's own content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// Review dates.
    #[serde(default, skip_serializing_if = "is_default_review")]
    pub review: ReviewDates,
    /// How it was made, when generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Sources of the content, with attributions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRef>,
    /// The proficiency scale every competency uses.
    pub scale: ProficiencyScale,
    /// Groups of competencies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// The competencies.
    #[serde(default)]
    pub competencies: Vec<FrameworkCompetency>,
    /// Role profiles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role_profiles: Vec<RoleProfile>,
    /// Typed relations between competencies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

impl Framework {
    /// An empty draft framework using `scale`.
    pub fn new(id: impl Into<String>, title: impl Into<String>, scale: ProficiencyScale) -> Self {
        Framework {
            format: FORMAT.to_string(),
            id: id.into(),
            title: title.into(),
            version: semver::Version::new(0, 1, 0),
            status: Status::Draft,
            description: None,
            owner: None,
            licence: None,
            review: ReviewDates::default(),
            provenance: None,
            sources: Vec::new(),
            scale,
            groups: Vec::new(),
            competencies: Vec::new(),
            role_profiles: Vec::new(),
            relations: Vec::new(),
        }
    }

    /// The competency with framework id `id`.
    pub fn competency(&self, id: &str) -> Option<&FrameworkCompetency> {
        self.competencies.iter().find(|c| c.id == id)
    }

    /// Core (general) competencies.
    pub fn core_count(&self) -> usize {
        self.competencies
            .iter()
            .filter(|c| c.kind.is_core())
            .count()
    }

    /// Functional (all other) competencies.
    pub fn functional_count(&self) -> usize {
        self.competencies.len() - self.core_count()
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_default_review(review: &ReviewDates) -> bool {
    *review == ReviewDates::default()
}

/// Serde for optional dates written `YYYY-MM-DD`.
mod date_opt {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::macros::format_description;

    use super::Date;

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        format_description!("[year]-[month]-[day]");

    pub fn serialize<S: Serializer>(
        value: &Option<Date>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(date) => {
                let text = date.format(FORMAT).map_err(serde::ser::Error::custom)?;
                serializer.serialize_str(&text)
            }
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(deserializer)?;
        text.map(|t| {
            Date::parse(t.trim(), FORMAT).map_err(|_| {
                serde::de::Error::custom(format!("`{t}` is not a date; write it as YYYY-MM-DD"))
            })
        })
        .transpose()
    }
}
