//! Ranking: turns a role into weighted query terms, scores every document with BM25F, adds
//! reference-role votes, the generality prior and caller priors, and explains each result.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::config::RankingConfig;
use crate::error::SearchError;
use crate::index::{Field, Index, phrase_key};
use crate::reference::{ReferenceRoles, SimilarRole};
use crate::sense::Occurrence;
use crate::text::Token;
use crate::types::Query;

/// Where a query term came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QuerySource {
    /// The role's title.
    Title,
    /// The role's description.
    Description,
    /// The role's task statement with this index (from 0).
    Task(usize),
    /// A synonym of the word or phrase given, which the role used.
    Synonym(String),
    /// Added by pseudo-relevance feedback: frequent in the best first-pass results.
    Feedback,
}

impl std::fmt::Display for QuerySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QuerySource::Title => f.write_str("title"),
            QuerySource::Description => f.write_str("description"),
            QuerySource::Task(i) => write!(f, "task {}", i + 1),
            QuerySource::Synonym(of) => write!(f, "synonym of \"{of}\""),
            QuerySource::Feedback => f.write_str("related term"),
        }
    }
}

/// Caller-supplied prior scores per document, for evidence that is not in the text — for
/// example OPM grade applicability or importance ranks. Each prior is a number (typically in
/// [0, 1]) added to the score with [`RankingConfig::prior_weight`], and a reason shown in the
/// explanation.
#[derive(Debug, Clone, Default)]
pub struct Priors {
    values: BTreeMap<u32, (f64, String)>,
}

impl Priors {
    /// No priors.
    pub fn new() -> Self {
        Priors::default()
    }

    /// Sets the prior of the document `id` in `index`. Returns `false` (and sets nothing) when
    /// the index has no such document or the value is not a finite number.
    pub fn set(&mut self, index: &Index, id: &str, value: f64, reason: impl Into<String>) -> bool {
        match index.position(id) {
            Some(p) if value.is_finite() => {
                self.values.insert(p as u32, (value, reason.into()));
                true
            }
            _ => false,
        }
    }

    fn get(&self, position: u32) -> Option<&(f64, String)> {
        self.values.get(&position)
    }
}

/// What to suggest for: how many results, and the optional extra evidence.
#[derive(Debug, Clone, Copy, Default)]
pub struct SuggestOptions<'a> {
    /// How many results to return at most.
    pub top: usize,
    /// Reference roles whose competencies are known.
    pub reference_roles: Option<&'a ReferenceRoles>,
    /// Caller priors.
    pub priors: Option<&'a Priors>,
}

/// One word or phrase of the query found in a result.
#[derive(Debug, Clone, PartialEq)]
pub struct TermMatch {
    /// The word (or two words) as the role wrote it, or the synonym or related term added.
    pub word: String,
    /// Whether it is a two-word phrase.
    pub is_phrase: bool,
    /// Fields of the result that contain it.
    pub fields: Vec<Field>,
    /// Where in the role it came from.
    pub sources: Vec<QuerySource>,
    /// Its share of the text score (before scaling).
    pub contribution: f64,
}

/// A reference role that voted for a result.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleVote {
    /// The reference role's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its similarity to the query, in [0, 1].
    pub similarity: f64,
}

/// Everything that put a result where it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Evidence {
    /// Text relevance, scaled so that the best-matching document of the query has 1.
    pub text_score: f64,
    /// The query words and phrases found in the result, largest contribution first.
    pub matches: Vec<TermMatch>,
    /// Contribution of the catalogue-text generality prior.
    pub generality: f64,
    /// Contribution of the domain similarity to the role's best text matches.
    pub domain: f64,
    /// Weighted share, in [0, 1], of the similar reference roles that need the result.
    pub reference_score: f64,
    /// How many similar reference roles were consulted.
    pub reference_consulted: usize,
    /// The similar reference roles that need the result, most similar first.
    pub reference_roles: Vec<RoleVote>,
    /// The caller prior and its reason, if one was given for this result.
    pub prior: Option<(f64, String)>,
}

/// One suggested document.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The document's id.
    pub id: String,
    /// The document's position in the index.
    pub position: usize,
    /// The combined score (higher is better; comparable within one query only).
    pub score: f64,
    /// Why it scored as it did.
    pub evidence: Evidence,
}

/// A term of an analysed query.
#[derive(Debug, Clone)]
struct QueryTerm {
    term: u32,
    weight: f64,
    word: String,
    sources: Vec<QuerySource>,
    /// The role's own occurrences of the word (not phrases, synonyms or feedback terms), for
    /// the sense rules; empty when the rules do not apply.
    occurrences: Vec<Occurrence>,
    /// The part of the weight that does not come from those occurrences (synonyms), in the
    /// same units as [`Occurrence::weight`].
    other: f64,
}

/// Raw counts for one term while a query is assembled.
#[derive(Debug, Default)]
struct TermCounts {
    /// Occurrences in title, description and tasks.
    direct: [f64; 3],
    /// Occurrences as a synonym, by the source it came from.
    synonym: [f64; 3],
    word: Option<String>,
    sources: Vec<QuerySource>,
    occurrences: Vec<Occurrence>,
}

fn source_slot(source: &QuerySource) -> usize {
    match source {
        QuerySource::Title => 0,
        QuerySource::Description => 1,
        _ => 2,
    }
}

/// The scores of every document while a query is ranked, kept for the explanations.
struct Scores {
    terms: Vec<QueryTerm>,
    /// BM25F text score per document.
    text: Vec<f64>,
    /// The best text score.
    max_text: f64,
    /// The total per document, built up step by step.
    total: Vec<f64>,
    /// Domain score per document (empty when off).
    domain: Vec<f64>,
    generality_on: bool,
    /// Reference-role vote per document (empty when none).
    votes: Vec<f64>,
    /// The reference roles consulted.
    similar: Vec<SimilarRole>,
}

/// What a phrase gains when both its words are part of a name's phrase: what the two words
/// lost to `phrase_part_weight`, so an item that has the whole phrase keeps its score.
fn moved_to_phrase(both_in_phrase: bool, config: &RankingConfig) -> f64 {
    if both_in_phrase && config.phrase_weight > 0.0 {
        2.0 * (1.0 - config.phrase_part_weight) / config.phrase_weight
    } else {
        0.0
    }
}

impl Index {
    /// Suggests documents for `query`, best first: at most `options.top` of them, only those
    /// with some evidence (a positive score). Ties are broken by id, so results are
    /// deterministic.
    pub fn suggest(
        &self,
        query: &Query,
        options: &SuggestOptions<'_>,
        config: &RankingConfig,
    ) -> Result<Vec<Suggestion>, SearchError> {
        config.validate()?;
        if self.docs.is_empty() || options.top == 0 {
            return Ok(Vec::new());
        }
        let mut scores = self.text_evidence(query, config);
        self.add_clauses(query, config, &mut scores.total);
        self.add_coverage_domain_generality(config, &mut scores);
        if let Some(roles) = options.reference_roles
            && config.reference_weight > 0.0
        {
            self.add_reference_votes(roles, query, config, &mut scores);
        }
        if let Some(priors) = options.priors {
            for (&doc, (value, _)) in &priors.values {
                if let Some(score) = scores.total.get_mut(doc as usize) {
                    *score += config.prior_weight * value;
                }
            }
        }
        let results = self
            .best(&scores.total, options.top)
            .into_iter()
            .map(|(score, doc)| self.suggestion(score, doc, &scores, options, config))
            .collect();
        Ok(results)
    }

    /// The query's terms and the text scores of every document (with pseudo-relevance feedback
    /// when configured); the total starts as the text score normalised to the best.
    fn text_evidence(&self, query: &Query, config: &RankingConfig) -> Scores {
        let n = self.docs.len();
        let mut terms = self.query_terms(query, config);
        let mut text = self.text_scores(&terms, config);
        if config.feedback_weight > 0.0 && config.feedback_docs > 0 && config.feedback_terms > 0 {
            self.add_feedback(&mut terms, &text, config);
            text = self.text_scores(&terms, config);
        }
        let max_text = text.iter().copied().fold(0.0, f64::max);
        let total: Vec<f64> = if max_text > 0.0 {
            text.iter().map(|s| s / max_text).collect()
        } else {
            vec![0.0; n]
        };
        Scores {
            terms,
            text,
            max_text,
            total,
            domain: Vec::new(),
            generality_on: false,
            votes: Vec::new(),
            similar: Vec::new(),
        }
    }

    /// Blends into `total` the mean of the normalised text scores of the query's clauses, so
    /// that a document matching one clause well is not drowned by the others.
    fn add_clauses(&self, query: &Query, config: &RankingConfig, total: &mut [f64]) {
        let clauses = if config.clause_weight > 0.0 {
            clauses(query)
        } else {
            Vec::new()
        };
        if clauses.len() < 2 {
            return;
        }
        let mut fused = vec![0.0f64; self.docs.len()];
        for clause in &clauses {
            let scores = self.text_scores(&self.query_terms(clause, config), config);
            let max = scores.iter().copied().fold(0.0, f64::max);
            if max > 0.0 {
                for (f, s) in fused.iter_mut().zip(&scores) {
                    *f += s / max / clauses.len() as f64;
                }
            }
        }
        let a = config.clause_weight.min(1.0);
        for (t, f) in total.iter_mut().zip(&fused) {
            *t = (1.0 - a) * *t + a * f;
        }
    }

    /// Adds the name-coverage bonus, the domain scores and the generality prior to the total.
    fn add_coverage_domain_generality(&self, config: &RankingConfig, scores: &mut Scores) {
        let coverage = if config.coverage_weight > 0.0 {
            self.name_coverage(&scores.terms, config)
        } else {
            Vec::new()
        };
        for (score, c) in scores.total.iter_mut().zip(&coverage) {
            if *c > 0.0 {
                *score += config.coverage_weight * c.powf(config.coverage_power);
            }
        }
        scores.domain =
            if config.domain_weight > 0.0 && config.domain_docs > 0 && config.domain_terms > 0 {
                self.domain_scores(&scores.text, config)
            } else {
                Vec::new()
            };
        for (score, d) in scores.total.iter_mut().zip(&scores.domain) {
            *score += config.domain_weight * d;
        }
        scores.generality_on = config.generality_weight != 0.0;
        if scores.generality_on {
            for (d, score) in scores.total.iter_mut().enumerate() {
                if *score > 0.0 {
                    *score += config.generality_weight * self.generality[d];
                }
            }
        }
    }

    /// Reference-role votes: the roles most like the query (seeded with the best text matches)
    /// vote for their competencies by similarity, every role votes a little for what most roles
    /// need, and agreement between votes and text counts extra.
    fn add_reference_votes(
        &self,
        roles: &ReferenceRoles,
        query: &Query,
        config: &RankingConfig,
        scores: &mut Scores,
    ) {
        let n = self.docs.len();
        let (text, max_text) = (&scores.text, scores.max_text);
        let seed: Vec<(u32, f64)> = if config.reference_seed_weight > 0.0 && max_text > 0.0 {
            let mut best: Vec<(u32, f64)> = text
                .iter()
                .enumerate()
                .filter(|(_, s)| **s > 0.0)
                .map(|(d, s)| (d as u32, s / max_text))
                .collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(config.reference_seed_docs);
            best
        } else {
            Vec::new()
        };
        let similar = roles.most_similar(
            self,
            query,
            config.reference_neighbours,
            &seed,
            config.reference_seed_weight,
        );
        let weights: Vec<f64> = similar
            .iter()
            .map(|s| s.similarity.powf(config.reference_similarity_power))
            .collect();
        let sum: f64 = weights.iter().sum();
        let mut votes: Vec<f64> = Vec::new();
        if sum > 0.0 {
            votes = vec![0.0; n];
            for (s, w) in similar.iter().zip(&weights) {
                if let Some(role) = roles.role(s.position) {
                    for (doc, cw) in &role.competencies {
                        votes[*doc as usize] += w / sum * cw;
                    }
                }
            }
        }
        // Every reference role also votes a little: competencies that most roles need.
        if config.reference_base_weight > 0.0 {
            if votes.is_empty() {
                votes = vec![0.0; n];
            }
            for (doc, rate) in &roles.base_rate {
                votes[*doc as usize] += config.reference_base_weight * rate;
            }
        }
        for ((score, vote), t) in scores.total.iter_mut().zip(&votes).zip(text) {
            // Text and votes agreeing is stronger evidence than either alone.
            let text_norm = if max_text > 0.0 { t / max_text } else { 0.0 };
            *score += config.reference_weight * vote
                + config.reference_agreement_weight * vote * text_norm;
        }
        scores.votes = votes;
        scores.similar = similar;
    }

    /// The `top` documents with a positive total, best first, ties by id.
    fn best(&self, total: &[f64], top: usize) -> Vec<(f64, u32)> {
        let mut ranked: Vec<(f64, u32)> = total
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(d, s)| (*s, d as u32))
            .collect();
        let order = |a: &(f64, u32), b: &(f64, u32)| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.docs[a.1 as usize].id.cmp(&self.docs[b.1 as usize].id))
        };
        if ranked.len() > top {
            ranked.select_nth_unstable_by(top - 1, order);
            ranked.truncate(top);
        }
        ranked.sort_by(order);
        ranked
    }

    /// One result with the evidence behind its score.
    fn suggestion(
        &self,
        score: f64,
        doc: u32,
        scores: &Scores,
        options: &SuggestOptions<'_>,
        config: &RankingConfig,
    ) -> Suggestion {
        let d = doc as usize;
        let (text, max_text) = (&scores.text, scores.max_text);
        let mut evidence = Evidence {
            text_score: if max_text > 0.0 {
                text[d] / max_text
            } else {
                0.0
            },
            matches: self.explain_matches(doc, &scores.terms, config),
            generality: if scores.generality_on && text[d] > 0.0 {
                config.generality_weight * self.generality[d]
            } else {
                0.0
            },
            domain: scores
                .domain
                .get(d)
                .map_or(0.0, |v| v * config.domain_weight),
            reference_score: scores.votes.get(d).copied().unwrap_or(0.0),
            reference_consulted: scores.similar.len(),
            reference_roles: Vec::new(),
            prior: options.priors.and_then(|p| p.get(doc)).cloned(),
        };
        if let Some(roles) = options.reference_roles {
            for s in &scores.similar {
                if let Some(role) = roles.role(s.position)
                    && role
                        .competencies
                        .binary_search_by_key(&doc, |c| c.0)
                        .is_ok()
                {
                    evidence.reference_roles.push(RoleVote {
                        id: role.id.clone(),
                        title: role.title.clone(),
                        similarity: s.similarity,
                    });
                }
            }
        }
        Suggestion {
            id: self.docs[d].id.clone(),
            position: d,
            score,
            evidence,
        }
    }

    /// Analyses the query into weighted terms (words, phrases, synonyms), sorted by term id.
    fn query_terms(&self, query: &Query, config: &RankingConfig) -> Vec<QueryTerm> {
        let mut counts: BTreeMap<u32, TermCounts> = BTreeMap::new();
        let mut sections: Vec<(QuerySource, Vec<Token>)> = vec![
            (QuerySource::Title, self.analyzer.analyze(&query.title)),
            (
                QuerySource::Description,
                self.analyzer.analyze(&query.description),
            ),
        ];
        for (i, task) in query.tasks.iter().enumerate() {
            sections.push((QuerySource::Task(i), self.analyzer.analyze(task)));
        }
        for (source, tokens) in &sections {
            self.count_words(source, tokens, config, &mut counts);
            self.count_synonyms(source, tokens, config, &mut counts);
        }
        self.weigh_terms(counts, config)
    }

    /// Whether the two stems, in this order, form a two-word phrase of some item's name.
    fn is_name_phrase(&self, a: &str, b: &str) -> bool {
        self.term(&phrase_key(a, b))
            .is_some_and(|t| self.postings(t).iter().any(|p| p.tf[0] > 0))
    }

    /// Counts one section's own words and two-word phrases.
    fn count_words(
        &self,
        source: &QuerySource,
        tokens: &[Token],
        config: &RankingConfig,
        counts: &mut BTreeMap<u32, TermCounts>,
    ) {
        let slot = source_slot(source);
        // Job titles are head-final: the last word names the kind of role ("technician",
        // "engineer") and says less about the competencies than the words before it.
        let head = (*source == QuerySource::Title && tokens.len() > 1).then(|| tokens.len() - 1);
        // Words that form, with a neighbour, a two-word phrase of some item's name.
        let in_phrase: Vec<bool> = (0..tokens.len())
            .map(|i| {
                let pair = |a: &Token, b: &Token| {
                    a.segment == b.segment && self.is_name_phrase(&a.stem, &b.stem)
                };
                (i + 1 < tokens.len() && pair(&tokens[i], &tokens[i + 1]))
                    || (i > 0 && pair(&tokens[i - 1], &tokens[i]))
            })
            .collect();
        for (i, token) in tokens.iter().enumerate() {
            if let Some(term) = self.term(&token.stem) {
                let c = counts.entry(term).or_default();
                let position = if Some(i) == head {
                    config.title_head_weight
                } else {
                    1.0
                };
                let part = if in_phrase[i] {
                    config.phrase_part_weight
                } else {
                    1.0
                };
                c.direct[slot] += position * part;
                c.word.get_or_insert_with(|| token.word.clone());
                push_source(&mut c.sources, source);
                if config.sense_weight < 1.0 {
                    let source_weight = [
                        config.title_weight,
                        config.description_weight,
                        config.task_weight,
                    ][slot];
                    c.occurrences.push(self.occurrence(
                        source,
                        tokens,
                        i,
                        head,
                        source_weight * position * part,
                    ));
                }
            }
            if let Some(next) = tokens.get(i + 1)
                && next.segment == token.segment
                && let Some(term) = self.term(&phrase_key(&token.stem, &next.stem))
            {
                let c = counts.entry(term).or_default();
                c.direct[slot] += 1.0 + moved_to_phrase(in_phrase[i] && in_phrase[i + 1], config);
                c.word
                    .get_or_insert_with(|| format!("{} {}", token.word, next.word));
                push_source(&mut c.sources, source);
            }
        }
    }

    /// One occurrence of the role's word `tokens[i]`, with its compound partners: the
    /// neighbour before it (unless that is a verb) and the neighbour after it (unless the word
    /// is a verb, or the neighbour is the title's last word: in "data scientist" the word
    /// "data" says what the role works on, not a kind of scientist another result names).
    fn occurrence(
        &self,
        source: &QuerySource,
        tokens: &[Token],
        i: usize,
        head: Option<usize>,
        weight: f64,
    ) -> Occurrence {
        let token = &tokens[i];
        let senses = self.senses();
        let left = i
            .checked_sub(1)
            .map(|j| &tokens[j])
            .filter(|before| senses.is_compound(before, token))
            .map(|before| self.term(&before.stem));
        let right = tokens
            .get(i + 1)
            .filter(|after| senses.is_compound(token, after) && Some(i + 1) != head)
            .map(|after| self.term(&after.stem));
        // A noun, not a verb: the object of a verb right before it ("deploy models"), or a
        // plural with a modifier ("learning models"). Anything else may be the verb.
        let after_verb = i.checked_sub(1).map(|j| &tokens[j]).is_some_and(|before| {
            before.segment == token.segment
                && before.position + 1 == token.position
                && senses.is_verb(&before.word)
        });
        let modified_plural = left.is_some() && token.word.ends_with('s');
        Occurrence {
            weight,
            left,
            right,
            verb_use: *source != QuerySource::Title && !after_verb && !modified_plural,
        }
    }

    /// The share of a query term's weight that counts for document `doc` under the sense rules
    /// (see [`crate::sense`]): 1 when every occurrence means what the document means.
    fn sense_factor(&self, qt: &QueryTerm, doc: u32, config: &RankingConfig) -> f64 {
        if qt.occurrences.is_empty() || config.sense_weight >= 1.0 {
            return 1.0;
        }
        let mut counted = qt.other;
        let mut total = qt.other;
        for o in &qt.occurrences {
            let f = self.senses().occurrence_factor(
                o,
                qt.term,
                doc,
                |t| self.doc_has_term(doc, t),
                config.sense_weight,
            );
            counted += o.weight * f;
            total += o.weight;
        }
        if total > 0.0 { counted / total } else { 1.0 }
    }

    /// Counts the words and two-word phrases of the synonyms found in one section.
    fn count_synonyms(
        &self,
        source: &QuerySource,
        tokens: &[Token],
        config: &RankingConfig,
        counts: &mut BTreeMap<u32, TermCounts>,
    ) {
        let slot = source_slot(source);
        for found in self.synonyms.find(tokens) {
            let via = QuerySource::Synonym(found.found.text.clone());
            for added in found.adds {
                // The synonym's own words, for explanations ("machine", "learning").
                let words = self.analyzer.analyze(&added.text);
                // As for the role's own words: a two-word synonym that is a phrase of some
                // name counts as the phrase, not as its lone words ("intelligence" of
                // "artificial intelligence" must not point to Emotional Intelligence).
                let stems = &added.stems;
                let part_of_phrase: Vec<bool> = (0..stems.len())
                    .map(|i| {
                        (i + 1 < stems.len() && self.is_name_phrase(&stems[i], &stems[i + 1]))
                            || (i > 0 && self.is_name_phrase(&stems[i - 1], &stems[i]))
                    })
                    .collect();
                for (i, stem) in stems.iter().enumerate() {
                    let word = words
                        .get(i)
                        .map_or_else(|| stem.clone(), |t| t.word.clone());
                    let lone = if part_of_phrase[i] {
                        config.phrase_part_weight
                    } else {
                        1.0
                    };
                    let mut keys = vec![(stem.clone(), word.clone(), lone)];
                    if let Some(next) = stems.get(i + 1) {
                        let next_word = words
                            .get(i + 1)
                            .map_or_else(|| next.clone(), |t| t.word.clone());
                        let moved =
                            moved_to_phrase(part_of_phrase[i] && part_of_phrase[i + 1], config);
                        keys.push((
                            phrase_key(stem, next),
                            format!("{word} {next_word}"),
                            1.0 + moved,
                        ));
                    }
                    for (key, shown, amount) in keys {
                        if let Some(term) = self.term(&key) {
                            let c = counts.entry(term).or_default();
                            c.synonym[slot] += amount;
                            c.word.get_or_insert(shown);
                            push_source(&mut c.sources, &via);
                            push_source(&mut c.sources, source);
                        }
                    }
                }
            }
        }
    }

    /// The weight of each counted term: by section, damped by `query_tf_power`, synonyms and
    /// phrases weighted by their settings. Terms of no weight are dropped.
    fn weigh_terms(
        &self,
        counts: BTreeMap<u32, TermCounts>,
        config: &RankingConfig,
    ) -> Vec<QueryTerm> {
        let source_weights = [
            config.title_weight,
            config.description_weight,
            config.task_weight,
        ];
        let p = config.query_tf_power;
        counts
            .into_iter()
            .filter_map(|(term, c)| {
                let mut weight = 0.0;
                let power = |x: f64| if x > 0.0 { x.powf(p) } else { 0.0 };
                for ((w, direct), synonym) in source_weights.iter().zip(c.direct).zip(c.synonym) {
                    weight += w * (power(direct) + config.synonym_weight * power(synonym));
                }
                if self.terms[term as usize].is_phrase {
                    weight *= config.phrase_weight;
                }
                let other: f64 = source_weights
                    .iter()
                    .zip(c.synonym)
                    .map(|(w, synonym)| w * config.synonym_weight * synonym)
                    .sum();
                let occurrences = c.occurrences;
                (weight > 0.0).then(|| QueryTerm {
                    term,
                    weight,
                    word: c.word.unwrap_or_default(),
                    sources: c.sources,
                    occurrences,
                    other,
                })
            })
            .collect()
    }

    /// Per document, the IDF-weighted share of its name's stems that occur among the query's
    /// own words and synonyms (feedback terms do not count: they are not the role's words).
    fn name_coverage(&self, terms: &[QueryTerm], config: &RankingConfig) -> Vec<f64> {
        let mut covered = vec![0.0f64; self.docs.len()];
        for qt in terms {
            if self.terms[qt.term as usize].is_phrase
                || qt.sources.iter().all(|s| *s == QuerySource::Feedback)
            {
                continue;
            }
            let idf = self.idf(qt.term);
            for posting in self.postings(qt.term) {
                if posting.tf[0] > 0 {
                    covered[posting.doc as usize] +=
                        idf * self.sense_factor(qt, posting.doc, config);
                }
            }
        }
        for (c, total) in covered.iter_mut().zip(&self.name_idf) {
            *c = if *total > 0.0 {
                (*c / total).min(1.0)
            } else {
                0.0
            };
        }
        covered
    }

    /// BM25F weight of one posting: the saturated, length-normalised field-weighted frequency.
    fn bm25f(&self, doc: u32, tf: &[u16; 3], config: &RankingConfig) -> f64 {
        let lens = &self.field_len[doc as usize];
        let mut pseudo = 0.0;
        for slot in 0..3 {
            if tf[slot] > 0 {
                let b = config.field_b[slot];
                let norm = 1.0 - b + b * f64::from(lens[slot]) / self.avg_len[slot];
                pseudo += config.field_weights[slot] * f64::from(tf[slot]) / norm.max(1e-9);
            }
        }
        pseudo * (config.k1 + 1.0) / (config.k1 + pseudo)
    }

    /// Text relevance of every document (BM25F summed over the query terms).
    fn text_scores(&self, terms: &[QueryTerm], config: &RankingConfig) -> Vec<f64> {
        let mut scores = vec![0.0f64; self.docs.len()];
        for qt in terms {
            let idf = self.idf(qt.term);
            for posting in self.postings(qt.term) {
                scores[posting.doc as usize] += qt.weight
                    * self.sense_factor(qt, posting.doc, config)
                    * idf
                    * self.bm25f(posting.doc, &posting.tf, config);
            }
        }
        scores
    }

    /// The relevance model of the best first-pass results: each word's weight in the `k` best
    /// documents (field-weighted share of the document, times IDF, times the document's score
    /// relative to the best), heaviest first. Phrases and words found in one document only are
    /// left out.
    fn relevance_model(&self, text: &[f64], k: usize, config: &RankingConfig) -> Vec<(u32, f64)> {
        let mut top: Vec<(f64, u32)> = text
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(d, s)| (*s, d as u32))
            .collect();
        top.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| self.docs[a.1 as usize].id.cmp(&self.docs[b.1 as usize].id))
        });
        top.truncate(k);
        let Some(&(best, _)) = top.first() else {
            return Vec::new();
        };
        let mut weights: BTreeMap<u32, f64> = BTreeMap::new();
        for (score, doc) in &top {
            let lens = &self.field_len[*doc as usize];
            let length: f64 = (0..3)
                .map(|s| config.field_weights[s] * f64::from(lens[s]))
                .sum();
            if length <= 0.0 {
                continue;
            }
            for (term, tf) in &self.forward[*doc as usize] {
                if self.terms[*term as usize].is_phrase || self.postings(*term).len() < 2 {
                    continue;
                }
                let weighted: f64 = (0..3)
                    .map(|s| config.field_weights[s] * f64::from(tf[s]))
                    .sum();
                *weights.entry(*term).or_insert(0.0) +=
                    score / best * weighted / length * self.idf(*term);
            }
        }
        let mut ranked: Vec<(u32, f64)> = weights.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
    }

    /// Domain similarity of every document to the best first-pass results, in [0, 1]: the
    /// relevance model's heaviest words, matched against each document's field-weighted words.
    /// It lifts items of the role's domain ("ICT", "software") that share few words with it.
    fn domain_scores(&self, text: &[f64], config: &RankingConfig) -> Vec<f64> {
        let mut model = self.relevance_model(text, config.domain_docs, config);
        model.truncate(config.domain_terms);
        let mut scores = vec![0.0f64; self.docs.len()];
        for (term, w) in &model {
            for posting in self.postings(*term) {
                let lens = &self.field_len[posting.doc as usize];
                let length: f64 = (0..3)
                    .map(|s| config.field_weights[s] * f64::from(lens[s]))
                    .sum();
                let weighted: f64 = (0..3)
                    .map(|s| config.field_weights[s] * f64::from(posting.tf[s]))
                    .sum();
                if length > 0.0 {
                    scores[posting.doc as usize] += w * weighted / length.sqrt();
                }
            }
        }
        let max = scores.iter().copied().fold(0.0, f64::max);
        if max > 0.0 {
            for s in &mut scores {
                *s /= max;
            }
        }
        scores
    }

    /// Pseudo-relevance feedback: adds the words that weigh most in the best first-pass results.
    fn add_feedback(&self, terms: &mut Vec<QueryTerm>, text: &[f64], config: &RankingConfig) {
        let mut ranked = self.relevance_model(text, config.feedback_docs, config);
        ranked.truncate(config.feedback_terms);
        let Some(&(_, max)) = ranked.first() else {
            return;
        };
        for (term, w) in ranked {
            let add = config.feedback_weight * w / max;
            match terms.binary_search_by_key(&term, |t| t.term) {
                Ok(i) => {
                    terms[i].weight += add;
                    push_source(&mut terms[i].sources, &QuerySource::Feedback);
                }
                Err(i) => terms.insert(
                    i,
                    QueryTerm {
                        term,
                        weight: add,
                        occurrences: Vec::new(),
                        other: 0.0,
                        word: self.display_word(term),
                        sources: vec![QuerySource::Feedback],
                    },
                ),
            }
        }
    }

    /// A readable form of a term that did not come from the query: the stem itself.
    fn display_word(&self, term: u32) -> String {
        self.terms[term as usize].key.clone()
    }

    /// The query terms found in `doc`, largest contribution first.
    fn explain_matches(
        &self,
        doc: u32,
        terms: &[QueryTerm],
        config: &RankingConfig,
    ) -> Vec<TermMatch> {
        let row = &self.forward[doc as usize];
        let mut matches: Vec<TermMatch> = Vec::new();
        for qt in terms {
            if let Ok(i) = row.binary_search_by_key(&qt.term, |(t, _)| *t) {
                let tf = &row[i].1;
                let contribution = qt.weight
                    * self.sense_factor(qt, doc, config)
                    * self.idf(qt.term)
                    * self.bm25f(doc, tf, config);
                if contribution <= 0.0 {
                    continue;
                }
                let fields = Field::ALL
                    .iter()
                    .copied()
                    .filter(|f| tf[f.slot()] > 0)
                    .collect();
                matches.push(TermMatch {
                    word: qt.word.clone(),
                    is_phrase: self.terms[qt.term as usize].is_phrase,
                    fields,
                    sources: qt.sources.clone(),
                    contribution,
                });
            }
        }
        matches.sort_by(|a, b| {
            b.contribution
                .total_cmp(&a.contribution)
                .then_with(|| a.word.cmp(&b.word))
        });
        matches
    }
}

/// The role split into clauses, each kept with the title for context: one per sentence of the
/// description and one per task.
fn clauses(query: &Query) -> Vec<Query> {
    let mut out = Vec::new();
    for sentence in query.description.split(['.', ';', '!', '?', '\n']) {
        if sentence.chars().any(char::is_alphanumeric) {
            out.push(Query {
                title: query.title.clone(),
                description: sentence.to_owned(),
                tasks: Vec::new(),
            });
        }
    }
    for task in &query.tasks {
        out.push(Query {
            title: query.title.clone(),
            description: String::new(),
            tasks: vec![task.clone()],
        });
    }
    out
}

fn push_source(sources: &mut Vec<QuerySource>, source: &QuerySource) {
    if !sources.contains(source) {
        sources.push(source.clone());
    }
}

impl Evidence {
    /// A one-line explanation for a person: which words matched where, which reference roles
    /// need the result, and any prior.
    pub fn why(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.matches.is_empty() {
            let shown: Vec<String> = self
                .matches
                .iter()
                .take(5)
                .map(|m| {
                    let sources: Vec<String> = m.sources.iter().map(ToString::to_string).collect();
                    let fields: Vec<&str> = m.fields.iter().map(|f| f.label()).collect();
                    format!(
                        "\"{}\" ({}) in {}",
                        m.word,
                        sources.join(", "),
                        fields.join(", ")
                    )
                })
                .collect();
            let more = self.matches.len().saturating_sub(5);
            let mut text = format!("text match {:.2}: {}", self.text_score, shown.join("; "));
            if more > 0 {
                let _ = write!(text, "; and {more} more");
            }
            parts.push(text);
        }
        if self.domain > 0.005 {
            parts.push(format!(
                "same domain as the best matches (+{:.2})",
                self.domain
            ));
        }
        if self.generality != 0.0 {
            parts.push(format!("general item (+{:.2})", self.generality));
        }
        if !self.reference_roles.is_empty() {
            let named: Vec<String> = self
                .reference_roles
                .iter()
                .take(3)
                .map(|r| format!("{} ({:.2})", r.title, r.similarity))
                .collect();
            parts.push(format!(
                "needed by {} of the {} most similar reference roles (vote {:.2}), e.g. {}",
                self.reference_roles.len(),
                self.reference_consulted,
                self.reference_score,
                named.join(", ")
            ));
        }
        if let Some((value, reason)) = &self.prior {
            parts.push(format!("prior {value:.2}: {reason}"));
        }
        if parts.is_empty() {
            return "no evidence".to_owned();
        }
        parts.join(" | ")
    }
}
