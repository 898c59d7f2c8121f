//! The boundary between the generator and the suggestion engine: the generator asks a
//! [`Ranker`] to score one catalogue's competencies for a role, and gets back scored
//! candidates with their evidence. The ranking itself lives in `framewright-search`; the
//! generator only selects, explains and writes.

use std::collections::BTreeMap;

use framewright_model::{Catalogue, ReferenceRole, Role};

/// Evidence the caller adds to a competency's score that is not in the text (for OPM: grade
/// applicability and importance ranks), with the reason shown to people.
#[derive(Debug, Clone, PartialEq)]
pub struct Prior {
    /// Added to the score (scaled by the engine's prior weight).
    pub value: f64,
    /// Why, in words.
    pub reason: String,
}

/// What to rank: one catalogue for one role.
#[derive(Debug, Clone, Copy)]
pub struct RankRequest<'a> {
    /// The role.
    pub role: &'a Role,
    /// The catalogue whose competencies are ranked.
    pub catalogue: &'a Catalogue,
    /// Roles whose competencies are known (the catalogue's own and the user's); competency ids
    /// that are not in this catalogue are ignored.
    pub reference_roles: &'a [ReferenceRole],
    /// Priors by competency id.
    pub priors: &'a BTreeMap<String, Prior>,
    /// How many candidates to return at most.
    pub top: usize,
}

/// A word or phrase of the role found in a competency.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchedTerm {
    /// The word or phrase as the role has it (or the synonym that was added).
    pub word: String,
    /// Where in the role: "title", "description", "task 2", "synonym of …".
    pub sources: Vec<String>,
    /// Where in the competency: "name", "alternative labels", "definition".
    pub fields: Vec<String>,
}

/// A reference role that needs a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceVote {
    /// The reference role's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its similarity to the role, 0 … 1.
    pub similarity: f64,
}

/// One scored competency with everything that put it where it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoredCandidate {
    /// The competency's id in the catalogue.
    pub id: String,
    /// The combined score (higher is better).
    pub score: f64,
    /// Text relevance, 0 … 1 (1 for the best-matching competency of the role).
    pub text_score: f64,
    /// The role's words and phrases found in it, strongest first.
    pub matches: Vec<MatchedTerm>,
    /// Weighted share of the similar reference roles that need it, 0 … 1.
    pub reference_score: f64,
    /// How many similar reference roles were consulted.
    pub reference_consulted: usize,
    /// The similar reference roles that need it, most similar first.
    pub reference_roles: Vec<ReferenceVote>,
    /// The prior that was added, if any.
    pub prior: Option<Prior>,
    /// Semantic similarity of the role and the competency, 0 … 1, when sentence embeddings
    /// were used (feature `embeddings`).
    pub semantic: Option<f64>,
    /// The engine's own one-line explanation.
    pub why: String,
    /// Evidence from O*NET importance ratings, when installed (added by the generator after
    /// ranking, already included in `score`).
    pub onet: Option<crate::onet::OnetEvidence>,
    /// The role's tasks (0-based) that name it (added by the generator after ranking; the
    /// naming bonus is already included in `score`).
    pub named_by: Vec<usize>,
}

/// Why a ranker failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RankError(pub String);

/// Scores a catalogue's competencies for a role. Implementations must be deterministic: the
/// same request gives the same candidates in the same order (ties broken by id).
pub trait Ranker {
    /// Candidates best first; competencies without any evidence may be left out.
    fn rank(&self, request: &RankRequest<'_>) -> Result<Vec<ScoredCandidate>, RankError>;

    /// The method in a few words, for the framework's provenance.
    fn describe(&self) -> String {
        "the suggestion engine".to_string()
    }

    /// The sentence-embedding model that matched by meaning, if any (`None`: by words only),
    /// for the framework's provenance.
    fn model(&self) -> Option<String> {
        None
    }
}
