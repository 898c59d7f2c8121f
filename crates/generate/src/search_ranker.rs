//! The generator's ranker: the suggestion engine of `framewright-search` (BM25F over names,
//! alternative labels and definitions, with stemming, the domain's synonyms and reference-role
//! votes), with the generator's OPM priors passed through its prior hook.

use framewright_model::Catalogue;
use framewright_search::{
    Document, Index, Priors, Query, RankingConfig, ReferenceRole, ReferenceRoles, RoleCompetency,
    SuggestOptions, Synonyms,
};

use crate::rank::{
    MatchedTerm, Prior, RankError, RankRequest, Ranker, ReferenceVote, ScoredCandidate,
};

/// [`Ranker`] backed by `framewright-search`.
#[derive(Debug, Clone)]
pub struct SearchRanker {
    synonyms: Synonyms,
    config: RankingConfig,
}

/// Weight of a lone word of the role that belongs to a two-word phrase of a competency name
/// ("learning" in "machine learning engineer"). The engine's default (1, tuned on the 13,939-item
/// ESCO catalogue, where many names share word pairs) lets "machine learning" pull in OPM's
/// "Learning"; with a handful of curated names the phrase is the better evidence.
const PHRASE_PART_WEIGHT: f64 = 0.0;

/// Weight of a role word used in another sense than the competency's (the engine's sense
/// rules: "risk management" is not Information Management, "technical staff" is not Technical
/// Competence, the noun "models" is not the verb opening "Models high standards of ethics").
/// The engine's default (1, no discount) is what its ESCO evaluation was tuned with; in a
/// framework a competency chosen on such a word is a visible mistake.
const SENSE_WEIGHT: f64 = 0.0;

/// Share of the text score that comes from matching each task and sentence on its own. A
/// one-line task ("Negotiate with vendors") names a competency as clearly as the title does;
/// matched with the whole role at once its word is drowned by the title's. Measured on the
/// review set (docs/generator.md): 0 → 42/59 must-include and 1 wrong pick, 0.3 → 42/59 and
/// none, 0.5 → 41/59 and none. The engine's default (0) was chosen on ESCO.
const CLAUSE_WEIGHT: f64 = 0.3;

/// Weight of the engine's catalogue-text generality prior, which favours items whose name words
/// are common in the catalogue. It helps on the 13,939-item ESCO catalogue; among OPM's 57
/// competencies it only favours those named with frequent words ("data", "management"),
/// whatever the role — Data Extraction and Transformation came into executives' frameworks
/// this way. The generator has its own, documented priors (grade table and ranks).
const GENERALITY_WEIGHT: f64 = 0.0;

impl SearchRanker {
    /// The engine with its built-in synonyms and default settings.
    pub fn builtin() -> Result<SearchRanker, RankError> {
        Ok(SearchRanker::with_synonyms(
            Synonyms::builtin().map_err(|e| RankError(e.to_string()))?,
        ))
    }

    /// The engine with the given synonyms and default settings.
    pub fn with_synonyms(synonyms: Synonyms) -> SearchRanker {
        SearchRanker {
            synonyms,
            config: RankingConfig {
                phrase_part_weight: PHRASE_PART_WEIGHT,
                sense_weight: SENSE_WEIGHT,
                clause_weight: CLAUSE_WEIGHT,
                generality_weight: GENERALITY_WEIGHT,
                ..RankingConfig::default()
            },
        }
    }
}

/// A catalogue's competencies as documents of the suggestion engine.
pub fn documents(catalogue: &Catalogue) -> Vec<Document> {
    catalogue
        .competencies
        .iter()
        .map(|c| Document {
            id: c.id.clone(),
            name: c.name.clone(),
            alt_labels: c.alt_labels.clone(),
            definition: c.definition.clone().unwrap_or_default(),
            kind: Some(c.kind.as_str().to_string()),
        })
        .collect()
}

impl Ranker for SearchRanker {
    fn rank(&self, request: &RankRequest<'_>) -> Result<Vec<ScoredCandidate>, RankError> {
        let index = Index::build(documents(request.catalogue), self.synonyms.clone())
            .map_err(|e| RankError(e.to_string()))?;
        let role = request.role;
        let mut description = role.description.clone().unwrap_or_default();
        if let Some(family) = role.job_family.as_deref().filter(|f| !f.trim().is_empty()) {
            description.push_str(&format!(" Job family: {family}."));
        }
        let query = Query {
            title: role.title.clone(),
            description,
            tasks: role.tasks.clone(),
        };
        let references: Vec<ReferenceRole> = request
            .reference_roles
            .iter()
            .map(|r| ReferenceRole {
                id: r.id.clone(),
                title: r.title.clone(),
                description: r.description.clone().unwrap_or_default(),
                competencies: r
                    .competencies
                    .iter()
                    .map(|c| RoleCompetency {
                        id: c.id.clone(),
                        weight: Some(c.weight),
                    })
                    .collect(),
            })
            .collect();
        let references = (!references.is_empty())
            .then(|| ReferenceRoles::new(&index, &references, &self.config));
        let mut priors = Priors::new();
        for (id, prior) in request.priors {
            priors.set(&index, id, prior.value, prior.reason.clone());
        }
        let options = SuggestOptions {
            top: request.top,
            reference_roles: references.as_ref(),
            priors: Some(&priors),
        };
        let suggestions = index
            .suggest(&query, &options, &self.config)
            .map_err(|e| RankError(e.to_string()))?;
        Ok(suggestions
            .into_iter()
            .map(|s| {
                let why = s.evidence.why();
                let e = s.evidence;
                ScoredCandidate {
                    id: s.id,
                    score: s.score,
                    text_score: e.text_score,
                    matches: e
                        .matches
                        .into_iter()
                        .map(|m| MatchedTerm {
                            word: m.word,
                            sources: m.sources.iter().map(ToString::to_string).collect(),
                            fields: m.fields.iter().map(|f| f.label().to_string()).collect(),
                        })
                        .collect(),
                    reference_score: e.reference_score,
                    reference_consulted: e.reference_consulted,
                    reference_roles: e
                        .reference_roles
                        .into_iter()
                        .map(|r| ReferenceVote {
                            id: r.id,
                            title: r.title,
                            similarity: r.similarity,
                        })
                        .collect(),
                    prior: e.prior.map(|(value, reason)| Prior { value, reason }),
                    semantic: None,
                    why,
                    onet: None,
                    named_by: Vec::new(),
                }
            })
            .collect())
    }

    fn describe(&self) -> String {
        "BM25F text relevance with stemming and synonyms (framewright-search)".to_string()
    }
}
