//! The words lint judges indicators by: observable action verbs (each with its level in
//! Bloom's revised taxonomy), verbs that cannot be observed, and vague terms with advice.

use std::collections::{HashMap, HashSet};

use crate::text;

/// A vague word or phrase and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VagueTerm {
    /// The term as listed.
    pub term: String,
    /// Its words, lowercased, for whole-word matching.
    pub words: Vec<String>,
    /// What to write instead.
    pub suggestion: String,
}

/// Why a vocabulary file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum VocabularyError {
    /// The file is not valid TOML or lacks a field.
    #[error("{file}: {source}")]
    Toml {
        /// Which vocabulary file.
        file: &'static str,
        /// The parser's message.
        source: toml::de::Error,
    },
    /// A Bloom level outside 1 … 6.
    #[error("{file}: Bloom level {level} of `{verb}` is outside 1–6")]
    BloomLevel {
        /// Which vocabulary file.
        file: &'static str,
        /// The verb.
        verb: String,
        /// The level given.
        level: u8,
    },
}

/// Verbs and terms for lint.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    verbs: HashMap<String, u8>,
    refused: HashSet<String>,
    vague: Vec<VagueTerm>,
}

impl Vocabulary {
    /// A vocabulary from observable verbs (base form, Bloom level 1–6), refused verbs, and
    /// vague terms with suggestions.
    pub fn new(
        verbs: impl IntoIterator<Item = (String, u8)>,
        refused: impl IntoIterator<Item = String>,
        vague: impl IntoIterator<Item = (String, String)>,
    ) -> Vocabulary {
        Vocabulary {
            verbs: verbs
                .into_iter()
                .map(|(v, l)| (v.to_lowercase(), l))
                .collect(),
            refused: refused.into_iter().map(|v| v.to_lowercase()).collect(),
            vague: vague
                .into_iter()
                .map(|(term, suggestion)| VagueTerm {
                    words: text::words(&term),
                    term,
                    suggestion,
                })
                .filter(|t| !t.words.is_empty())
                .collect(),
        }
    }

    /// The Bloom level of `word` if it is (an inflection of) an observable verb.
    pub fn bloom_level(&self, word: &str) -> Option<u8> {
        base_forms(word)
            .iter()
            .find_map(|b| self.verbs.get(b).copied())
    }

    /// Whether `word` is (an inflection of) a verb nobody can observe.
    pub fn is_refused(&self, word: &str) -> bool {
        base_forms(word).iter().any(|b| self.refused.contains(b))
    }

    /// The vague terms.
    pub fn vague_terms(&self) -> &[VagueTerm] {
        &self.vague
    }

    /// Number of observable verbs known.
    pub fn verb_count(&self) -> usize {
        self.verbs.len()
    }
}

/// Candidate base forms of a third-person or British-spelt verb: "identifies" → "identify",
/// "coaches" → "coach", "analyses" → "analyse"/"analyze", "builds" → "build".
fn base_forms(word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut out = vec![w.clone()];
    if let Some(stem) = w.strip_suffix("ies") {
        out.push(format!("{stem}y"));
    }
    if let Some(stem) = w.strip_suffix("es") {
        out.push(stem.to_string());
    }
    if let Some(stem) = w.strip_suffix('s') {
        out.push(stem.to_string());
    }
    let spelt: Vec<String> = out
        .iter()
        .flat_map(|f| {
            let mut more = Vec::new();
            for (british, american) in [("yse", "yze"), ("ise", "ize"), ("our", "or")] {
                if let Some(stem) = f.strip_suffix(british) {
                    more.push(format!("{stem}{american}"));
                }
                if let Some(stem) = f.strip_suffix(american) {
                    more.push(format!("{stem}{british}"));
                }
            }
            more
        })
        .collect();
    out.extend(spelt);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_and_spellings_find_the_base_verb() {
        let v = Vocabulary::new(
            [
                ("identify".into(), 1),
                ("coach".into(), 3),
                ("analyze".into(), 4),
                ("build".into(), 3),
            ],
            ["understand".into()],
            [("etc.".into(), "list them".into())],
        );
        assert_eq!(v.bloom_level("Identifies"), Some(1));
        assert_eq!(v.bloom_level("coaches"), Some(3));
        assert_eq!(v.bloom_level("analyses"), Some(4));
        assert_eq!(v.bloom_level("builds"), Some(3));
        assert_eq!(v.bloom_level("thinks"), None);
        assert!(v.is_refused("understands"));
        assert_eq!(v.vague_terms()[0].words, vec!["etc"]);
    }
}
