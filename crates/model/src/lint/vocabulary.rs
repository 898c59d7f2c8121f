//! The words lint judges indicators by: observable action verbs (each with its level in
//! Bloom's revised taxonomy), verbs that cannot be observed, and vague terms with advice.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

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

/// A verb (or phrase) that names knowing or feeling rather than doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedVerb {
    /// Base form ("understand", "be aware of").
    pub base: Vec<String>,
    /// The form an indicator would use ("understands", "is aware of").
    pub third_person: Vec<String>,
    /// What to write instead.
    pub suggestion: String,
}

/// Verbs and terms for lint.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    verbs: HashMap<String, u8>,
    spelling: HashMap<String, String>,
    refused: Vec<RefusedVerb>,
    vague: Vec<VagueTerm>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbsFile {
    level: Vec<VerbLevel>,
    #[serde(default)]
    spelling_variants: BTreeMap<String, String>,
    #[serde(default)]
    refused: Vec<RefusedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbLevel {
    bloom: u8,
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    meaning: Option<String>,
    verbs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefusedEntry {
    base: String,
    third_person: String,
    suggestion: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VagueFile {
    term: Vec<VagueEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VagueEntry {
    term: String,
    suggestion: String,
}

impl Vocabulary {
    /// A vocabulary from observable verbs (base form, Bloom level 1–6), refused verbs (base
    /// form, third-person form, suggestion), and vague terms with suggestions.
    pub fn new(
        verbs: impl IntoIterator<Item = (String, u8)>,
        refused: impl IntoIterator<Item = (String, String, String)>,
        vague: impl IntoIterator<Item = (String, String)>,
    ) -> Vocabulary {
        Vocabulary {
            verbs: verbs
                .into_iter()
                .map(|(v, l)| (v.to_lowercase(), l))
                .collect(),
            spelling: HashMap::new(),
            refused: refused
                .into_iter()
                .map(|(base, third, suggestion)| RefusedVerb {
                    base: text::words(&base),
                    third_person: text::words(&third),
                    suggestion,
                })
                .collect(),
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

    /// Reads the vocabulary from the texts of `data/lint/verbs.toml` and
    /// `data/lint/vague-terms.toml`.
    pub fn from_toml(verbs_toml: &str, vague_toml: &str) -> Result<Vocabulary, VocabularyError> {
        let verbs: VerbsFile =
            toml::from_str(verbs_toml).map_err(|source| VocabularyError::Toml {
                file: "data/lint/verbs.toml",
                source,
            })?;
        let vague: VagueFile =
            toml::from_str(vague_toml).map_err(|source| VocabularyError::Toml {
                file: "data/lint/vague-terms.toml",
                source,
            })?;
        let mut pairs = Vec::new();
        for level in verbs.level {
            if !(1..=6).contains(&level.bloom) {
                return Err(VocabularyError::BloomLevel {
                    file: "data/lint/verbs.toml",
                    verb: level.verbs.first().cloned().unwrap_or_default(),
                    level: level.bloom,
                });
            }
            pairs.extend(level.verbs.into_iter().map(|v| (v, level.bloom)));
        }
        let mut vocabulary = Vocabulary::new(
            pairs,
            verbs
                .refused
                .into_iter()
                .map(|r| (r.base, r.third_person, r.suggestion)),
            vague.term.into_iter().map(|t| (t.term, t.suggestion)),
        );
        vocabulary.spelling = verbs
            .spelling_variants
            .into_iter()
            .map(|(british, american)| (british.to_lowercase(), american.to_lowercase()))
            .collect();
        Ok(vocabulary)
    }

    /// The Bloom level of `word` if it is (an inflection of) an observable verb.
    pub fn bloom_level(&self, word: &str) -> Option<u8> {
        base_forms(word).iter().find_map(|b| {
            self.verbs
                .get(b)
                .or_else(|| {
                    self.spelling
                        .get(b)
                        .and_then(|american| self.verbs.get(american))
                })
                .copied()
        })
    }

    /// The refused verb or phrase that `words` (an indicator's words) starts with, if any.
    pub fn refused_start(&self, words: &[String]) -> Option<&RefusedVerb> {
        self.refused.iter().find(|r| {
            [&r.third_person, &r.base]
                .iter()
                .any(|phrase| !phrase.is_empty() && words.starts_with(phrase))
                || (r.base.len() == 1
                    && words
                        .first()
                        .is_some_and(|w| base_forms(w).contains(&r.base[0])))
        })
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
            [(
                "understand".into(),
                "understands".into(),
                "say what they do".into(),
            )],
            [("etc.".into(), "list them".into())],
        );
        assert_eq!(v.bloom_level("Identifies"), Some(1));
        assert_eq!(v.bloom_level("coaches"), Some(3));
        assert_eq!(v.bloom_level("analyses"), Some(4));
        assert_eq!(v.bloom_level("builds"), Some(3));
        assert_eq!(v.bloom_level("thinks"), None);
        assert!(
            v.refused_start(&text::words("Understands the data"))
                .is_some()
        );
        assert!(
            v.refused_start(&text::words("Underlines the data"))
                .is_none()
        );
        assert_eq!(v.vague_terms()[0].words, vec!["etc"]);
    }
}
