//! Domain synonyms: groups of words and phrases that mean the same thing in job and skill text
//! ("ML" and "machine learning", "tester" and "testing").
//!
//! Synonyms expand a query: when a query contains one member of a group, the other members are
//! added to it with a lower weight, so a role that says "ML" also finds skills that say
//! "machine learning". The built-in list is reviewable data in `data/search/synonyms.toml`.

use serde::Deserialize;

use crate::error::SearchError;
use crate::text::{Analyzer, Token};

/// The built-in synonym file, embedded in the program.
pub const BUILTIN_SYNONYMS_TOML: &str = include_str!("../../../data/search/synonyms.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymFile {
    #[serde(default)]
    synonyms: Vec<SynonymGroupFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymGroupFile {
    terms: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// One member of a synonym group, as written and as stems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymTerm {
    /// The term as written in the synonym file.
    pub text: String,
    /// Its stems, in order (a phrase has several).
    pub stems: Vec<String>,
}

/// A set of synonym groups, analysed and ready to expand queries.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    groups: Vec<Vec<SynonymTerm>>,
}

/// A synonym found in a query: which written term matched, and what it adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymMatch<'a> {
    /// The term of the group that occurs in the query.
    pub found: &'a SynonymTerm,
    /// The other members of its group, to be added to the query.
    pub adds: Vec<&'a SynonymTerm>,
    /// Index of the first query token of the occurrence.
    pub at: usize,
}

impl Synonyms {
    /// No synonyms at all.
    pub fn none() -> Self {
        Synonyms::default()
    }

    /// The built-in synonyms (`data/search/synonyms.toml`).
    pub fn builtin() -> Result<Self, SearchError> {
        Self::from_toml(BUILTIN_SYNONYMS_TOML)
    }

    /// Reads synonym groups from TOML text of the form
    /// `[[synonyms]] terms = ["machine learning", "ML"]` (an optional `note` explains the group).
    pub fn from_toml(text: &str) -> Result<Self, SearchError> {
        let file: SynonymFile =
            toml::from_str(text).map_err(|e| SearchError::Synonyms(e.to_string()))?;
        let analyzer = Analyzer::new();
        let mut groups = Vec::with_capacity(file.synonyms.len());
        for (n, group) in file.synonyms.iter().enumerate() {
            let mut terms: Vec<SynonymTerm> = Vec::new();
            for text in &group.terms {
                let stems: Vec<String> =
                    analyzer.analyze(text).into_iter().map(|t| t.stem).collect();
                if stems.is_empty() {
                    return Err(SearchError::Synonyms(format!(
                        "synonym group {} (\"{}\"): the term \"{text}\" has no words that can be \
                         matched (only stop words or punctuation)",
                        n + 1,
                        group.terms.join("\", \"")
                    )));
                }
                if !terms.iter().any(|t| t.stems == stems) {
                    terms.push(SynonymTerm {
                        text: text.clone(),
                        stems,
                    });
                }
            }
            if terms.len() < 2 {
                return Err(SearchError::Synonyms(format!(
                    "synonym group {} (\"{}\") needs at least two different terms",
                    n + 1,
                    group.terms.join("\", \"")
                )));
            }
            groups.push(terms);
        }
        Ok(Synonyms { groups })
    }

    /// The number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every occurrence of a group member in `tokens` (contiguous stems within one segment).
    pub fn find<'a>(&'a self, tokens: &[Token]) -> Vec<SynonymMatch<'a>> {
        let mut found = Vec::new();
        for group in &self.groups {
            for (i, member) in group.iter().enumerate() {
                let n = member.stems.len();
                if n == 0 || tokens.len() < n {
                    continue;
                }
                for start in 0..=tokens.len() - n {
                    let window = &tokens[start..start + n];
                    let same_segment = window.iter().all(|t| t.segment == window[0].segment);
                    if same_segment && window.iter().zip(&member.stems).all(|(t, s)| &t.stem == s) {
                        let adds = group
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .map(|(_, t)| t)
                            .collect();
                        found.push(SynonymMatch {
                            found: member,
                            adds,
                            at: start,
                        });
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_synonyms_parse() {
        let s = Synonyms::builtin().unwrap();
        assert!(s.len() > 10);
    }

    #[test]
    fn finds_abbreviation_and_phrase_in_both_directions() {
        let s =
            Synonyms::from_toml("[[synonyms]]\nterms = [\"machine learning\", \"ML\"]\n").unwrap();
        let a = Analyzer::new();
        let q = a.analyze("Builds ML pipelines");
        let m = s.find(&q);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].adds[0].stems, ["machin", "learn"]);
        let q = a.analyze("applies machine learning");
        let m = s.find(&q);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].adds[0].stems, ["ml"]);
        assert_eq!(m[0].at, 1);
    }

    #[test]
    fn phrases_do_not_cross_punctuation() {
        let s =
            Synonyms::from_toml("[[synonyms]]\nterms = [\"machine learning\", \"ML\"]\n").unwrap();
        let q = Analyzer::new().analyze("machine, learning");
        assert!(s.find(&q).is_empty());
    }

    #[test]
    fn rejects_groups_of_one_and_stop_word_terms() {
        assert!(Synonyms::from_toml("[[synonyms]]\nterms = [\"ML\"]\n").is_err());
        assert!(Synonyms::from_toml("[[synonyms]]\nterms = [\"the\", \"ML\"]\n").is_err());
        assert!(Synonyms::from_toml("[[synonyms]]\nterms = [\"ML\", \"ml\"]\n").is_err());
        assert!(Synonyms::from_toml("[[synonym]]\nterms = [\"a\", \"b\"]\n").is_err());
    }
}
