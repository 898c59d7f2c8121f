//! The inverted index over a catalogue: built once, then queried many times.
//!
//! Every document has three fields — name, alternative labels, definition — and the index keeps,
//! for each term, which documents contain it and how often in each field (BM25F needs the
//! per-field counts). Terms are stems and, for phrase matching, pairs of neighbouring stems
//! ("penetr test"). A forward index (terms per document) serves query expansion and the
//! explanation of each result.

use std::collections::HashMap;

use crate::error::SearchError;
use crate::synonyms::Synonyms;
use crate::text::{Analyzer, Token};
use crate::types::Document;

/// The searchable fields of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The preferred name.
    Name,
    /// The alternative labels.
    AltLabels,
    /// The definition.
    Definition,
}

impl Field {
    /// All fields, in index order.
    pub const ALL: [Field; 3] = [Field::Name, Field::AltLabels, Field::Definition];

    pub(crate) fn slot(self) -> usize {
        match self {
            Field::Name => 0,
            Field::AltLabels => 1,
            Field::Definition => 2,
        }
    }

    /// How the field is called in explanations.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::AltLabels => "alternative label",
            Field::Definition => "definition",
        }
    }
}

/// Term frequencies in the three fields, in [`Field::ALL`] order.
pub(crate) type FieldCounts = [u16; 3];

#[derive(Debug, Clone, Copy)]
pub(crate) struct Posting {
    pub(crate) doc: u32,
    pub(crate) tf: FieldCounts,
}

#[derive(Debug, Clone)]
pub(crate) struct TermInfo {
    /// The stem, or two stems joined by a space for a phrase.
    pub(crate) key: String,
    /// Whether the term is a pair of neighbouring stems.
    pub(crate) is_phrase: bool,
}

/// A catalogue, analysed for search. Build once with [`Index::build`]; it is immutable after.
#[derive(Debug)]
pub struct Index {
    pub(crate) analyzer: Analyzer,
    pub(crate) synonyms: Synonyms,
    pub(crate) docs: Vec<Document>,
    pub(crate) id_lookup: HashMap<String, u32>,
    pub(crate) vocab: HashMap<String, u32>,
    pub(crate) terms: Vec<TermInfo>,
    pub(crate) postings: Vec<Vec<Posting>>,
    /// Per document: (term, counts) sorted by term id.
    pub(crate) forward: Vec<Vec<(u32, FieldCounts)>>,
    /// Per document: number of word tokens in each field.
    pub(crate) field_len: Vec<FieldCounts>,
    pub(crate) avg_len: [f64; 3],
    /// Per document, in [0, 1]: how general the item is, judged from the catalogue text alone
    /// (see [`Index::generality`]).
    pub(crate) generality: Vec<f64>,
    /// Per document: the summed IDF of the distinct stems of its name (for name coverage).
    pub(crate) name_idf: Vec<f64>,
}

/// Joins two stems into the key of a phrase term.
pub(crate) fn phrase_key(a: &str, b: &str) -> String {
    let mut key = String::with_capacity(a.len() + b.len() + 1);
    key.push_str(a);
    key.push(' ');
    key.push_str(b);
    key
}

/// Adds the unigrams and neighbouring pairs of `tokens` to `counts` for one field.
fn count_tokens(tokens: &[Token], field: usize, counts: &mut HashMap<String, FieldCounts>) -> u16 {
    for (i, token) in tokens.iter().enumerate() {
        let entry = counts.entry(token.stem.clone()).or_insert([0; 3]);
        entry[field] = entry[field].saturating_add(1);
        if let Some(next) = tokens.get(i + 1)
            && next.segment == token.segment
            && next.stem != token.stem
        {
            let entry = counts
                .entry(phrase_key(&token.stem, &next.stem))
                .or_insert([0; 3]);
            entry[field] = entry[field].saturating_add(1);
        }
    }
    u16::try_from(tokens.len()).unwrap_or(u16::MAX)
}

impl Index {
    /// Builds the index over `documents` (kept in the given order; ids must be unique and not
    /// empty), expanding queries with `synonyms`.
    pub fn build(documents: Vec<Document>, synonyms: Synonyms) -> Result<Index, SearchError> {
        let analyzer = Analyzer::new();
        let mut id_lookup: HashMap<String, u32> = HashMap::with_capacity(documents.len());
        for (i, doc) in documents.iter().enumerate() {
            if doc.id.trim().is_empty() {
                return Err(SearchError::EmptyId { position: i + 1 });
            }
            let position = u32::try_from(i).map_err(|_| SearchError::Setting {
                name: "documents",
                value: i as f64,
                rule: "an index holds at most 4,294,967,295 documents",
            })?;
            if let Some(first) = id_lookup.insert(doc.id.clone(), position) {
                return Err(SearchError::DuplicateId {
                    id: doc.id.clone(),
                    first: first as usize + 1,
                    second: i + 1,
                });
            }
        }

        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut terms: Vec<TermInfo> = Vec::new();
        let mut postings: Vec<Vec<Posting>> = Vec::new();
        let mut forward = Vec::with_capacity(documents.len());
        let mut field_len = Vec::with_capacity(documents.len());
        let mut totals = [0f64; 3];
        let mut stems: HashMap<String, String> = HashMap::new();
        for (d, doc) in documents.iter().enumerate() {
            let mut counts: HashMap<String, FieldCounts> = HashMap::new();
            let mut lens = [0u16; 3];
            lens[0] = count_tokens(
                &analyzer.analyze_cached(&doc.name, &mut stems),
                0,
                &mut counts,
            );
            for label in &doc.alt_labels {
                let n = count_tokens(&analyzer.analyze_cached(label, &mut stems), 1, &mut counts);
                lens[1] = lens[1].saturating_add(n);
            }
            lens[2] = count_tokens(
                &analyzer.analyze_cached(&doc.definition, &mut stems),
                2,
                &mut counts,
            );
            for (slot, total) in totals.iter_mut().enumerate() {
                *total += f64::from(lens[slot]);
            }
            // Sort so that term ids are assigned in a reproducible order.
            let mut counts: Vec<(String, FieldCounts)> = counts.into_iter().collect();
            counts.sort_by(|a, b| a.0.cmp(&b.0));
            let mut row: Vec<(u32, FieldCounts)> = Vec::with_capacity(counts.len());
            for (key, tf) in counts {
                let term = match vocab.get(&key) {
                    Some(&term) => term,
                    None => {
                        let term = u32::try_from(terms.len()).unwrap_or(u32::MAX);
                        vocab.insert(key.clone(), term);
                        terms.push(TermInfo {
                            is_phrase: key.contains(' '),
                            key,
                        });
                        postings.push(Vec::new());
                        term
                    }
                };
                if let Some(list) = postings.get_mut(term as usize) {
                    list.push(Posting { doc: d as u32, tf });
                }
                row.push((term, tf));
            }
            row.sort_by_key(|(t, _)| *t);
            forward.push(row);
            field_len.push(lens);
        }
        let n = documents.len().max(1) as f64;
        let avg_len = totals.map(|t| (t / n).max(1.0));
        let mut index = Index {
            analyzer,
            synonyms,
            docs: documents,
            id_lookup,
            vocab,
            terms,
            postings,
            forward,
            field_len,
            avg_len,
            generality: Vec::new(),
            name_idf: Vec::new(),
        };
        index.generality = index.compute_generality();
        index.name_idf = index
            .forward
            .iter()
            .map(|row| {
                row.iter()
                    .filter(|(t, tf)| tf[0] > 0 && !index.terms[*t as usize].is_phrase)
                    .map(|(t, _)| index.idf(*t))
                    .sum()
            })
            .collect();
        Ok(index)
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether the index has no documents.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents, in the order given to [`Index::build`].
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// The position of the document with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.id_lookup.get(id).map(|&p| p as usize)
    }

    /// The synonyms the index expands queries with.
    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// The number of distinct terms (stems and phrases).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The catalogue-text generality of a document, in [0, 1] (see [`Index::generality`]).
    pub fn generality_of(&self, position: usize) -> f64 {
        self.generality.get(position).copied().unwrap_or(0.0)
    }

    /// Inverse document frequency of a term (BM25's, never negative).
    pub(crate) fn idf(&self, term: u32) -> f64 {
        let df = self.postings.get(term as usize).map_or(0, Vec::len) as f64;
        let n = self.docs.len() as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The term id of a stem or phrase key.
    pub(crate) fn term(&self, key: &str) -> Option<u32> {
        self.vocab.get(key).copied()
    }

    /// A generality score per document computed from the catalogue text only: items whose name
    /// words are used widely across other items' names and definitions ("computer
    /// programming", "ICT security") are general; items named by rare words ("tend asbestos
    /// blower") are specific. It is the mean, over the name's stems, of the share of documents
    /// whose text contains the stem, rescaled to [0, 1] by rank.
    fn compute_generality(&self) -> Vec<f64> {
        let n = self.docs.len();
        if n == 0 {
            return Vec::new();
        }
        let raw: Vec<f64> = self
            .forward
            .iter()
            .map(|row| {
                let name_terms: Vec<u32> = row
                    .iter()
                    .filter(|(t, tf)| {
                        tf[0] > 0 && !self.terms.get(*t as usize).is_some_and(|i| i.is_phrase)
                    })
                    .map(|(t, _)| *t)
                    .collect();
                if name_terms.is_empty() {
                    return 0.0;
                }
                let sum: f64 = name_terms
                    .iter()
                    .map(|t| (self.postings[*t as usize].len() as f64).ln_1p())
                    .sum();
                sum / name_terms.len() as f64
            })
            .collect();
        // Rank-normalise so the scale does not depend on the catalogue's size.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| raw[a].total_cmp(&raw[b]).then(a.cmp(&b)));
        let mut out = vec![0.0; n];
        let denom = (n.max(2) - 1) as f64;
        for (rank, &doc) in order.iter().enumerate() {
            out[doc] = rank as f64 / denom;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn doc(id: &str, name: &str, alts: &[&str], def: &str) -> Document {
        Document {
            id: id.into(),
            name: name.into(),
            alt_labels: alts.iter().map(|s| s.to_string()).collect(),
            definition: def.into(),
            kind: None,
        }
    }

    #[test]
    fn counts_terms_per_field_and_phrases() {
        let index = Index::build(
            vec![doc(
                "a",
                "software testing",
                &["test software", "testing"],
                "Run tests.",
            )],
            Synonyms::none(),
        )
        .unwrap();
        let test = index.term("test").unwrap();
        let p = &index.postings[test as usize];
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].tf, [1, 2, 1]);
        assert!(index.term("softwar test").is_some());
        assert!(index.term("test softwar").is_some());
        // No phrase across two labels.
        assert!(index.term("softwar test").is_some());
        assert_eq!(index.field_len[0], [2, 3, 2]);
    }

    #[test]
    fn rejects_duplicate_and_empty_ids() {
        let e = Index::build(
            vec![doc("a", "x", &[], ""), doc("a", "y", &[], "")],
            Synonyms::none(),
        )
        .unwrap_err();
        assert_eq!(
            e,
            SearchError::DuplicateId {
                id: "a".into(),
                first: 1,
                second: 2
            }
        );
        let e = Index::build(vec![doc(" ", "x", &[], "")], Synonyms::none()).unwrap_err();
        assert_eq!(e, SearchError::EmptyId { position: 1 });
    }

    #[test]
    fn empty_catalogue_builds() {
        let index = Index::build(Vec::new(), Synonyms::none()).unwrap();
        assert!(index.is_empty());
    }

    #[test]
    fn generality_favours_widely_used_name_words() {
        let index = Index::build(
            vec![
                doc("1", "manage software", &[], "Manage software projects."),
                doc("2", "tend asbestos blower", &[], "Tend the blower."),
                doc(
                    "3",
                    "software design",
                    &[],
                    "Design software and manage it.",
                ),
                doc("4", "manage staff", &[], "Manage people and software."),
            ],
            Synonyms::none(),
        )
        .unwrap();
        assert!(index.generality_of(0) > index.generality_of(1));
        assert_eq!(index.generality_of(1), 0.0);
    }
}
