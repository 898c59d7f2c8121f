//! The inverted index over a catalogue: built once, then queried many times.
//!
//! Every document has three fields — name, alternative labels, definition — and the index keeps,
//! for each term, which documents contain it and how often in each field (BM25F needs the
//! per-field counts). Terms are stems and, for phrase matching, pairs of neighbouring stems
//! ("penetr test"). A forward index (terms per document) serves query expansion and the
//! explanation of each result.

use std::collections::HashMap;

use crate::error::SearchError;
use crate::sense::Senses;
use crate::synonyms::Synonyms;
use crate::text::{Analyzer, for_each_word, is_kept_word};
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
    /// Stem → term id (phrases are found through `pairs`).
    pub(crate) vocab: HashMap<String, u32>,
    pub(crate) terms: Vec<TermInfo>,
    /// Postings of all terms, term after term (each term's in document order); the postings of
    /// term `t` are `postings[posting_start[t]..posting_start[t + 1]]`.
    postings: Vec<Posting>,
    posting_start: Vec<u32>,
    /// (first stem's term, second stem's term) → the phrase's term.
    pairs: HashMap<(u32, u32), u32>,
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
    /// Per document: the compounds of its name and its verb-only words (see [`Senses`]),
    /// computed on first use: only rankings with the sense rules on need them, and analysing
    /// every definition again would double the cost of building a large index.
    senses: std::sync::OnceLock<Senses>,
}

/// Joins two stems into the key of a phrase term.
pub(crate) fn phrase_key(a: &str, b: &str) -> String {
    let mut key = String::with_capacity(a.len() + b.len() + 1);
    key.push_str(a);
    key.push(' ');
    key.push_str(b);
    key
}

/// Term ids assigned while an index is built: stems and pairs of stems, in order of first
/// appearance, so that ids are reproducible without sorting strings.
#[derive(Debug, Default)]
struct TermTable {
    /// Lower-case word → its stem's term id (`None` for a stop word): stems each word once.
    words: HashMap<String, Option<u32>>,
    /// Stem → term id.
    stems: HashMap<String, u32>,
    /// (first stem, second stem) → term id of the phrase.
    pairs: HashMap<(u32, u32), u32>,
    terms: Vec<TermInfo>,
}

impl TermTable {
    fn stem_term(&mut self, stem: String) -> u32 {
        if let Some(&id) = self.stems.get(&stem) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.terms.push(TermInfo {
            key: stem.clone(),
            is_phrase: false,
        });
        self.stems.insert(stem, id);
        id
    }

    fn pair_term(&mut self, a: u32, b: u32) -> u32 {
        if let Some(&id) = self.pairs.get(&(a, b)) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        let key = phrase_key(&self.terms[a as usize].key, &self.terms[b as usize].key);
        self.terms.push(TermInfo {
            key,
            is_phrase: true,
        });
        self.pairs.insert((a, b), id);
        id
    }

    /// The kept words of `text` as (stem term id, segment), as [`Analyzer::analyze`] would give
    /// them.
    fn analyze(&mut self, analyzer: &Analyzer, text: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for_each_word(text, |lower, all_caps, segment| {
            // Whether a word is kept can depend on its capitals ("IT" vs "it"): only words not
            // in capitals go through the cache.
            let cached = if all_caps {
                None
            } else {
                self.words.get(lower).copied()
            };
            let term = match cached {
                Some(term) => term,
                None => {
                    let term =
                        is_kept_word(lower, all_caps).then(|| self.stem_term(analyzer.stem(lower)));
                    if !all_caps {
                        self.words.insert(lower.to_owned(), term);
                    }
                    term
                }
            };
            if let Some(term) = term {
                out.push((term, segment));
            }
        });
        out
    }
}

/// Per-document term counts, in a scratch table indexed by term id that is cleared after each
/// document (cheaper than a hash map per document).
#[derive(Debug, Default)]
struct DocCounts {
    /// Term id → position in `row` plus one (0: not in this document).
    slot: Vec<u32>,
    row: Vec<(u32, FieldCounts)>,
}

impl DocCounts {
    fn add(&mut self, term: u32, field: usize) {
        let t = term as usize;
        if self.slot.len() <= t {
            self.slot.resize(t + 1, 0);
        }
        let i = match self.slot[t] {
            0 => {
                self.row.push((term, [0; 3]));
                self.slot[t] = self.row.len() as u32;
                self.row.len() - 1
            }
            s => s as usize - 1,
        };
        self.row[i].1[field] = self.row[i].1[field].saturating_add(1);
    }

    /// Adds the words and neighbouring pairs of one field's `tokens`; returns the word count.
    fn add_field(&mut self, table: &mut TermTable, tokens: &[(u32, u32)], field: usize) -> u16 {
        for (i, &(term, segment)) in tokens.iter().enumerate() {
            self.add(term, field);
            if let Some(&(next, next_segment)) = tokens.get(i + 1)
                && next_segment == segment
                && next != term
            {
                let pair = table.pair_term(term, next);
                self.add(pair, field);
            }
        }
        u16::try_from(tokens.len()).unwrap_or(u16::MAX)
    }

    /// The document's row sorted by term id; the scratch table is left empty.
    fn take(&mut self) -> Vec<(u32, FieldCounts)> {
        for (term, _) in &self.row {
            self.slot[*term as usize] = 0;
        }
        let mut row = std::mem::take(&mut self.row);
        row.sort_unstable_by_key(|(t, _)| *t);
        row
    }
}

/// Each document's position by id. Ids must be unique and not empty.
fn id_lookup(documents: &[Document]) -> Result<HashMap<String, u32>, SearchError> {
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
    Ok(id_lookup)
}

/// Inverts the forward index into postings grouped by term (documents in order within each
/// term) and each term's first posting: count, then place.
fn invert(forward: &[Vec<(u32, FieldCounts)>], n_terms: usize) -> (Vec<u32>, Vec<Posting>) {
    let mut posting_start = vec![0u32; n_terms + 1];
    for row in forward {
        for (term, _) in row {
            posting_start[*term as usize + 1] += 1;
        }
    }
    for t in 0..n_terms {
        posting_start[t + 1] += posting_start[t];
    }
    let mut next = posting_start.clone();
    let mut postings = vec![Posting { doc: 0, tf: [0; 3] }; posting_start[n_terms] as usize];
    for (d, row) in forward.iter().enumerate() {
        for (term, tf) in row {
            let at = &mut next[*term as usize];
            postings[*at as usize] = Posting {
                doc: d as u32,
                tf: *tf,
            };
            *at += 1;
        }
    }
    (posting_start, postings)
}

impl Index {
    /// Builds the index over `documents` (kept in the given order; ids must be unique and not
    /// empty), expanding queries with `synonyms`.
    pub fn build(documents: Vec<Document>, synonyms: Synonyms) -> Result<Index, SearchError> {
        let analyzer = Analyzer::new();
        let id_lookup = id_lookup(&documents)?;

        let mut table = TermTable::default();
        let mut forward = Vec::with_capacity(documents.len());
        let mut field_len = Vec::with_capacity(documents.len());
        let mut totals = [0f64; 3];
        let mut counts = DocCounts::default();
        for doc in &documents {
            let mut lens = [0u16; 3];
            let tokens = table.analyze(&analyzer, &doc.name);
            lens[0] = counts.add_field(&mut table, &tokens, 0);
            for label in &doc.alt_labels {
                let tokens = table.analyze(&analyzer, label);
                let n = counts.add_field(&mut table, &tokens, 1);
                lens[1] = lens[1].saturating_add(n);
            }
            let tokens = table.analyze(&analyzer, &doc.definition);
            lens[2] = counts.add_field(&mut table, &tokens, 2);
            for (slot, total) in totals.iter_mut().enumerate() {
                *total += f64::from(lens[slot]);
            }
            forward.push(counts.take());
            field_len.push(lens);
        }
        let TermTable {
            stems: vocab,
            pairs,
            terms,
            ..
        } = table;
        let (posting_start, postings) = invert(&forward, terms.len());
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
            posting_start,
            pairs,
            forward,
            field_len,
            avg_len,
            generality: Vec::new(),
            name_idf: Vec::new(),
            senses: std::sync::OnceLock::new(),
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

    /// The word senses of every document (see [`Senses`]), computed on first use.
    pub(crate) fn senses(&self) -> &Senses {
        self.senses.get_or_init(|| self.compute_senses())
    }

    fn compute_senses(&self) -> Senses {
        let mut senses = Senses::new();
        for (d, doc) in self.docs.iter().enumerate() {
            let row = &self.forward[d];
            senses.add_document(
                &self.analyzer,
                &doc.name,
                &doc.definition,
                |stem| self.vocab.get(stem).copied(),
                |t| match row.binary_search_by_key(&t, |(term, _)| *term) {
                    Ok(i) => (row[i].1[2], row[i].1[0] > 0 || row[i].1[1] > 0),
                    Err(_) => (0, false),
                },
            );
        }
        senses
    }

    /// Whether document `doc`'s text has the term in any field.
    pub(crate) fn doc_has_term(&self, doc: u32, term: u32) -> bool {
        self.forward
            .get(doc as usize)
            .is_some_and(|row| row.binary_search_by_key(&term, |(t, _)| *t).is_ok())
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
        let df = self.postings(term).len() as f64;
        let n = self.docs.len() as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The term id of a stem or phrase key (two stems joined by a space).
    pub(crate) fn term(&self, key: &str) -> Option<u32> {
        match key.split_once(' ') {
            None => self.vocab.get(key).copied(),
            Some((a, b)) => {
                let a = self.vocab.get(a)?;
                let b = self.vocab.get(b)?;
                self.pairs.get(&(*a, *b)).copied()
            }
        }
    }

    /// The postings of a term (empty for an unknown id).
    pub(crate) fn postings(&self, term: u32) -> &[Posting] {
        let t = term as usize;
        match (self.posting_start.get(t), self.posting_start.get(t + 1)) {
            (Some(&start), Some(&end)) => self
                .postings
                .get(start as usize..end as usize)
                .unwrap_or_default(),
            _ => &[],
        }
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
                    .map(|t| (self.postings(*t).len() as f64).ln_1p())
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
        let p = index.postings(test);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].tf, [1, 2, 1]);
        assert!(index.term("softwar test").is_some());
        assert!(index.term("test softwar").is_some());
        // No phrase across two labels.
        assert!(index.term("softwar test").is_some());
        assert_eq!(index.field_len[0], [2, 3, 2]);
    }

    #[test]
    fn a_word_in_capitals_is_kept_even_after_its_stop_word_form() {
        // "it" (a stop word) is seen first; "IT" (the abbreviation) must still be indexed.
        let index = Index::build(
            vec![
                doc("a", "make it work", &[], ""),
                doc("b", "IT security", &[], "Secure IT."),
            ],
            Synonyms::none(),
        )
        .unwrap();
        let it = index.term("it").unwrap();
        let postings = index.postings(it);
        assert_eq!(postings.len(), 1);
        assert_eq!(postings[0].doc, 1);
        assert_eq!(postings[0].tf, [1, 0, 1]);
        assert!(index.term("it secur").is_some());
        assert!(index.term("make it").is_none());
    }

    #[test]
    fn every_indexed_field_agrees_with_the_analyzer() {
        let docs = vec![
            doc(
                "a",
                "Café C++ programming",
                &["C# coding"],
                "Write code; test it.",
            ),
            doc(
                "b",
                "naïve ﬁle handling",
                &[],
                "Handle files (text, binary).",
            ),
        ];
        let index = Index::build(docs.clone(), Synonyms::none()).unwrap();
        let analyzer = Analyzer::new();
        for (d, document) in docs.iter().enumerate() {
            let mut texts = vec![(0, document.name.clone()), (2, document.definition.clone())];
            texts.extend(document.alt_labels.iter().map(|l| (1, l.clone())));
            for (field, text) in texts {
                for token in analyzer.analyze(&text) {
                    let term = index.term(&token.stem).unwrap();
                    let row = &index.forward[d];
                    let (_, tf) = row.iter().find(|(t, _)| *t == term).unwrap();
                    assert!(
                        tf[field] > 0,
                        "{} in field {field} of {}",
                        token.stem,
                        document.id
                    );
                }
            }
        }
        assert_eq!(index.postings(u32::MAX).len(), 0);
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
