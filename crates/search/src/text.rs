//! Text analysis: turning names, definitions and role descriptions into comparable terms.
//!
//! The steps are: fold accents and case, split into words, drop stop words, stem with the
//! English Snowball stemmer. Words keep their position in a *segment* (a run of text between
//! punctuation marks) so that two neighbouring words can be matched as a phrase.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// English stop words: function words that carry no meaning for matching.
///
/// Deliberately short and conventional; words such as "use", "manage" or "develop" are not
/// stop words because skill names are built from them (their weight comes from how rare they
/// are in the catalogue instead).
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "etc",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "s",
    "t",
];

fn stop_words() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Whether `word` (lower case) is on the stop list.
pub fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// One word of analysed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word as written, folded to lower case without accents (what a person recognises).
    pub word: String,
    /// The stem used for matching.
    pub stem: String,
    /// Which punctuation-delimited run of the text the word is in; phrases never cross runs.
    pub segment: u32,
}

/// Splits text into words, stems them and drops stop words.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzer(english)")
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl Analyzer {
    /// An analyser for English text.
    pub fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// The stem of one lower-case word. Words with digits or symbols (`c++`, `c#`, `s3`) and
    /// very short words are kept as they are: stemming would only damage them.
    pub fn stem(&self, word: &str) -> String {
        if word.len() <= 3 || !word.chars().all(|c| c.is_ascii_lowercase()) {
            return word.to_owned();
        }
        self.stemmer.stem(word).into_owned()
    }

    /// Analyses `text` into tokens (stop words removed).
    pub fn analyze(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        for raw in split_words(text) {
            if let Some(word) = keep_word(&raw) {
                let stem = self.stem(&word);
                out.push(Token {
                    word,
                    stem,
                    segment: raw.segment,
                });
            }
        }
        out
    }

    /// Like [`Analyzer::analyze`], remembering stems in `cache` (word → stem): building an
    /// index stems the same few thousand words hundreds of thousands of times.
    pub fn analyze_cached(&self, text: &str, cache: &mut HashMap<String, String>) -> Vec<Token> {
        let mut out = Vec::new();
        for raw in split_words(text) {
            if let Some(word) = keep_word(&raw) {
                let stem = match cache.get(&word) {
                    Some(stem) => stem.clone(),
                    None => {
                        let stem = self.stem(&word);
                        cache.insert(word.clone(), stem.clone());
                        stem
                    }
                };
                out.push(Token {
                    word,
                    stem,
                    segment: raw.segment,
                });
            }
        }
        out
    }
}

/// A word straight from the splitter, before the stop list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawWord {
    /// Lower case, accents removed.
    pub(crate) lower: String,
    /// Whether every letter was upper case in the source (an abbreviation such as "IT").
    pub(crate) all_caps: bool,
    pub(crate) segment: u32,
}

/// Applies the stop list and the single-letter rule; returns the word to keep, if any.
///
/// An upper-case abbreviation that happens to spell a stop word ("IT", "AS") is kept, and
/// single letters are kept only when written in capitals (the languages "C" and "R"), except
/// "A" and "I".
pub(crate) fn keep_word(raw: &RawWord) -> Option<String> {
    let w = raw.lower.as_str();
    let letters = w.chars().count();
    if letters == 1 {
        let keep = raw.all_caps && w != "a" && w != "i" && w.chars().all(|c| c.is_alphabetic());
        return keep.then(|| w.to_owned());
    }
    if is_stop_word(w) && !(raw.all_caps && letters >= 2) {
        return None;
    }
    Some(w.to_owned())
}

/// Characters that end a phrase: two words on either side of one are never a phrase.
fn breaks_phrase(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '|'
            | '/'
            | '\n'
            | '"'
            | '\u{2013}'
            | '\u{2014}'
    )
}

/// Splits text into lower-case, accent-free words with their segment numbers.
///
/// A word is a run of letters and digits; a trailing `+` or `#` stays attached (`c++`, `c#`,
/// `f#`). Hyphens and apostrophes split words but not segments.
pub(crate) fn split_words(text: &str) -> Vec<RawWord> {
    let mut out = Vec::new();
    let mut segment = 0u32;
    let mut current = String::new();
    let mut all_caps = true;
    let mut has_letter = false;
    let mut chars = fold(text).peekable();
    let mut flush = |current: &mut String, all_caps: &mut bool, has_letter: &mut bool, seg: u32| {
        if !current.is_empty() {
            out.push(RawWord {
                lower: std::mem::take(current),
                all_caps: *all_caps && *has_letter,
                segment: seg,
            });
        }
        *all_caps = true;
        *has_letter = false;
    };
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            if c.is_alphabetic() {
                has_letter = true;
                if !c.is_uppercase() {
                    all_caps = false;
                }
            }
            current.extend(c.to_lowercase());
        } else if (c == '+' || c == '#') && !current.is_empty() {
            current.push(c);
            // `c++`: take the second plus too, then end the word.
            while let Some(&next) = chars.peek() {
                if next == '+' || next == '#' {
                    current.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            flush(&mut current, &mut all_caps, &mut has_letter, segment);
        } else {
            flush(&mut current, &mut all_caps, &mut has_letter, segment);
            if breaks_phrase(c) {
                segment += 1;
            }
        }
    }
    flush(&mut current, &mut all_caps, &mut has_letter, segment);
    out
}

/// Compatibility decomposition with combining marks removed: "é" becomes "e", "ﬁ" becomes "fi".
fn fold(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(|c| {
        let folded: Vec<char> = if c.is_ascii() {
            vec![c]
        } else {
            std::iter::once(c)
                .nfkd()
                .filter(|m| !is_combining_mark(*m))
                .collect()
        };
        folded.into_iter()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        Analyzer::new()
            .analyze(text)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    fn stems(text: &str) -> Vec<String> {
        Analyzer::new()
            .analyze(text)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn splits_folds_and_drops_stop_words() {
        assert_eq!(
            words("The Café's menu, in C++ and C#!"),
            ["cafe", "menu", "c++", "c#"]
        );
    }

    #[test]
    fn keeps_capitalised_abbreviations_that_look_like_stop_words() {
        assert_eq!(
            words("manage IT security as it is"),
            ["manage", "it", "security"]
        );
    }

    #[test]
    fn keeps_single_capital_letters_except_a_and_i() {
        assert_eq!(
            words("programming in R and C, A or I, x"),
            ["programming", "r", "c"]
        );
    }

    #[test]
    fn stems_inflections_together() {
        assert_eq!(stems("testing tests tested"), ["test", "test", "test"]);
        assert_eq!(stems("developing development"), ["develop", "develop"]);
    }

    #[test]
    fn punctuation_starts_a_new_segment_but_hyphens_do_not() {
        let tokens = Analyzer::new().analyze("data-driven design, cloud computing");
        let segments: Vec<u32> = tokens.iter().map(|t| t.segment).collect();
        assert_eq!(segments, [0, 0, 0, 1, 1]);
    }

    #[test]
    fn empty_and_symbol_only_text_gives_no_tokens() {
        assert!(words("").is_empty());
        assert!(words(" -- ... ").is_empty());
    }
}
