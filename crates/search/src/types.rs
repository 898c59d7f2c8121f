//! The crate's own input types: documents to search, queries, reference roles and priors.
//!
//! They are deliberately small and independent of the domain model so that any catalogue
//! (OPM, ESCO, an organisation's own) can be searched; callers convert their competencies.

/// One searchable item of a catalogue: a competency or skill.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Stable id, unique within the index (returned in results).
    pub id: String,
    /// Preferred name.
    pub name: String,
    /// Alternative labels (other names for the same item).
    pub alt_labels: Vec<String>,
    /// Definition or description; may be empty.
    pub definition: String,
    /// Optional kind (for example "general" / "technical", or "skill" / "knowledge"); carried
    /// through to results, not used for ranking.
    pub kind: Option<String>,
}

/// A role to suggest competencies for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The role's title ("Machine Learning Engineer"): the strongest evidence.
    pub title: String,
    /// A free-text description of the role.
    pub description: String,
    /// Task statements, one per entry.
    pub tasks: Vec<String>,
}

/// A competency that a reference role needs, with an optional weight (1 when absent).
#[derive(Debug, Clone, PartialEq)]
pub struct RoleCompetency {
    /// The competency's document id.
    pub id: String,
    /// How much the role needs it (for example an importance rating); 1 when absent.
    pub weight: Option<f64>,
}

/// A role whose competencies are known: evidence that similar roles need the same ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReferenceRole {
    /// Stable id of the reference role.
    pub id: String,
    /// Title.
    pub title: String,
    /// Description (may be empty).
    pub description: String,
    /// Competencies the role needs.
    pub competencies: Vec<RoleCompetency>,
}
