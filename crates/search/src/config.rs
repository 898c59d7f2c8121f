//! Ranking settings. The defaults were chosen by cross-validation on the ESCO ICT development
//! set (see `docs/suggestions.md` and `docs/benchmarks.md`); every field is documented with what
//! it does so that a caller can change one knowingly.

use crate::error::SearchError;

/// How text relevance, reference-role evidence and priors are weighed.
#[derive(Debug, Clone, PartialEq)]
pub struct RankingConfig {
    /// BM25 term-frequency saturation: higher lets repeated words count for more.
    pub k1: f64,
    /// Weight of a match in the name, alternative labels and definition (BM25F field weights).
    pub field_weights: [f64; 3],
    /// BM25 length normalisation per field (0 = none, 1 = full).
    pub field_b: [f64; 3],
    /// Weight of each occurrence of a word in the role's title.
    pub title_weight: f64,
    /// Multiplier for the last word of a title of two or more words (the role noun, such as
    /// "technician" in "video technician"); its synonyms keep the full title weight.
    pub title_head_weight: f64,
    /// Weight of each occurrence of a word in the role's description.
    pub description_weight: f64,
    /// Weight of each occurrence of a word in the role's tasks.
    pub task_weight: f64,
    /// Repeated query words count as `count ^ query_tf_power` (1 = linear, 0.5 = square root).
    pub query_tf_power: f64,
    /// Weight of a two-word phrase match relative to a single word from the same source.
    pub phrase_weight: f64,
    /// Weight of a single word when, together with its neighbour in the role's text, it forms a
    /// two-word phrase the catalogue uses ("learning" in "machine learning"): the phrase says
    /// what the role means, the lone word may point elsewhere (to "Learning"). 1 = no discount.
    pub phrase_part_weight: f64,
    /// Weight of a role word where the role uses it in another sense than the result (see
    /// the sense rules of `crate::sense`): inside a two-word compound whose partner the
    /// result lacks while the result's name pairs the word with a different partner ("risk
    /// *management*" against "Information *Management*"), or as a noun where the result has
    /// it only as the verb opening a definition sentence ("*Models* high standards"). 1 = no
    /// discount (the engine's default, chosen on ESCO); the generator uses 0.
    pub sense_weight: f64,
    /// Weight of a synonym added to the query relative to the word it stands for.
    pub synonym_weight: f64,
    /// Share of the text score that comes from matching each sentence and task separately (with
    /// the title) rather than the whole role at once; it favours results that match one clause
    /// well over results that touch many clauses weakly.
    pub clause_weight: f64,
    /// Pseudo-relevance feedback: how many of the best first-pass results lend their words.
    pub feedback_docs: usize,
    /// Pseudo-relevance feedback: how many of their words are added to the query.
    pub feedback_terms: usize,
    /// Pseudo-relevance feedback: weight of the added words (0 turns feedback off).
    pub feedback_weight: f64,
    /// Weight of name coverage: the IDF-weighted share of a result's name words that the role
    /// uses ("debug software" is fully covered by a role that debugs software).
    pub coverage_weight: f64,
    /// Coverage counts as `coverage ^ coverage_power` (higher rewards only near-full coverage).
    pub coverage_power: f64,
    /// Domain similarity: how many of the best first-pass results define the role's domain.
    pub domain_docs: usize,
    /// Domain similarity: how many of their heaviest words describe it.
    pub domain_terms: usize,
    /// Weight of domain similarity (0 turns it off).
    pub domain_weight: f64,
    /// Weight of the catalogue-text generality prior (0 turns it off).
    pub generality_weight: f64,
    /// How many of the most similar reference roles vote.
    pub reference_neighbours: usize,
    /// Votes are weighted by similarity to this power (higher trusts the closest roles more).
    pub reference_similarity_power: f64,
    /// Weight of reference-role votes against text relevance (both scaled to [0, 1]).
    pub reference_weight: f64,
    /// Weight of title words when comparing a role with reference roles.
    pub reference_title_weight: f64,
    /// How much the names of a reference role's competencies count as part of its text when
    /// roles are compared.
    pub reference_competency_text_weight: f64,
    /// How many of the query's best text matches are used to find reference roles that need
    /// the same competencies.
    pub reference_seed_docs: usize,
    /// Weight of that competency affinity in role similarity (0 compares texts only).
    pub reference_seed_weight: f64,
    /// Weight of the share of *all* reference roles that need a competency, added to the votes
    /// of the most similar ones (a popularity prior among the reference roles).
    pub reference_base_weight: f64,
    /// Weight of the product of votes and text relevance (rewards agreement of the two).
    pub reference_agreement_weight: f64,
    /// Weight of caller-supplied priors (see [`crate::Priors`]).
    pub prior_weight: f64,
}

impl Default for RankingConfig {
    fn default() -> Self {
        RankingConfig {
            k1: 0.6,
            field_weights: [4.0, 0.0, 0.5],
            field_b: [1.0, 0.75, 0.75],
            title_weight: 1.0,
            title_head_weight: 0.75,
            description_weight: 1.0,
            task_weight: 1.0,
            query_tf_power: 0.75,
            phrase_weight: 0.25,
            phrase_part_weight: 1.0,
            sense_weight: 1.0,
            synonym_weight: 0.25,
            clause_weight: 0.0,
            feedback_docs: 10,
            feedback_terms: 20,
            feedback_weight: 0.0,
            domain_docs: 20,
            domain_terms: 50,
            domain_weight: 0.0,
            coverage_weight: 0.0,
            coverage_power: 1.0,
            generality_weight: 0.2,
            reference_neighbours: 3,
            reference_similarity_power: 3.0,
            reference_weight: 2.0,
            reference_title_weight: 3.0,
            reference_competency_text_weight: 1.0,
            reference_seed_docs: 10,
            reference_seed_weight: 0.25,
            reference_base_weight: 0.25,
            reference_agreement_weight: 0.5,
            prior_weight: 1.0,
        }
    }
}

impl RankingConfig {
    /// Checks that every setting is finite and in range.
    pub fn validate(&self) -> Result<(), SearchError> {
        let non_negative: [(&'static str, f64); 26] = [
            ("phrase_part_weight", self.phrase_part_weight),
            ("sense_weight", self.sense_weight),
            (
                "reference_agreement_weight",
                self.reference_agreement_weight,
            ),
            ("reference_base_weight", self.reference_base_weight),
            (
                "reference_competency_text_weight",
                self.reference_competency_text_weight,
            ),
            ("reference_seed_weight", self.reference_seed_weight),
            ("clause_weight", self.clause_weight),
            ("domain_weight", self.domain_weight),
            ("coverage_weight", self.coverage_weight),
            ("coverage_power", self.coverage_power),
            ("title_head_weight", self.title_head_weight),
            ("k1", self.k1),
            ("field_weights[name]", self.field_weights[0]),
            ("field_weights[alt_labels]", self.field_weights[1]),
            ("field_weights[definition]", self.field_weights[2]),
            ("title_weight", self.title_weight),
            ("description_weight", self.description_weight),
            ("task_weight", self.task_weight),
            ("query_tf_power", self.query_tf_power),
            ("phrase_weight", self.phrase_weight),
            ("synonym_weight", self.synonym_weight),
            ("feedback_weight", self.feedback_weight),
            (
                "reference_similarity_power",
                self.reference_similarity_power,
            ),
            ("reference_weight", self.reference_weight),
            ("reference_title_weight", self.reference_title_weight),
            ("prior_weight", self.prior_weight),
        ];
        for (name, value) in non_negative {
            if !value.is_finite() || value < 0.0 {
                return Err(SearchError::Setting {
                    name,
                    value,
                    rule: "must be a finite number ≥ 0",
                });
            }
        }
        if !self.generality_weight.is_finite() {
            return Err(SearchError::Setting {
                name: "generality_weight",
                value: self.generality_weight,
                rule: "must be a finite number",
            });
        }
        for (slot, b) in self.field_b.iter().enumerate() {
            if !(0.0..=1.0).contains(b) {
                let name = [
                    "field_b[name]",
                    "field_b[alt_labels]",
                    "field_b[definition]",
                ][slot];
                return Err(SearchError::Setting {
                    name,
                    value: *b,
                    rule: "must be between 0 and 1",
                });
            }
        }
        Ok(())
    }
}
