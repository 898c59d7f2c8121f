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
    /// The word's position among all words of the text, stop words included: two tokens are
    /// next to each other in the text when their positions differ by one.
    pub position: u32,
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
                    position: raw.position,
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
                    position: raw.position,
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
    /// Position among all words of the text (stop words included).
    pub(crate) position: u32,
}

/// Applies the stop list and the single-letter rule; returns the word to keep, if any.
///
/// An upper-case abbreviation that happens to spell a stop word ("IT", "AS") is kept, and
/// single letters are kept only when written in capitals (the languages "C" and "R"), except
/// "A" and "I".
pub(crate) fn keep_word(raw: &RawWord) -> Option<String> {
    is_kept(raw).then(|| raw.lower.clone())
}

/// Whether [`keep_word`] keeps the word (without copying it).
pub(crate) fn is_kept(raw: &RawWord) -> bool {
    is_kept_word(&raw.lower, raw.all_caps)
}

/// [`is_kept`] for a lower-case word and whether it was written in capitals.
pub(crate) fn is_kept_word(w: &str, all_caps: bool) -> bool {
    let letters = w.chars().count();
    if letters == 1 {
        return all_caps && w != "a" && w != "i" && w.chars().all(|c| c.is_alphabetic());
    }
    !is_stop_word(w) || (all_caps && letters >= 2)
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
    for_each_word(text, |lower, all_caps, segment| {
        let position = u32::try_from(out.len()).unwrap_or(u32::MAX);
        out.push(RawWord {
            lower: lower.to_owned(),
            all_caps,
            segment,
            position,
        });
    });
    out
}

/// Like [`split_words`], lending each word (lower case, all in capitals?, segment) to `emit`
/// instead of collecting them: the index builder looks most words up without copying them.
pub(crate) fn for_each_word(text: &str, mut emit: impl FnMut(&str, bool, u32)) {
    let mut splitter = Splitter::default();
    for c in text.chars() {
        if c.is_ascii() {
            splitter.push(c, &mut emit);
        } else {
            // Compatibility decomposition with combining marks removed: "é" becomes "e", "ﬁ"
            // becomes "fi". ASCII needs neither, and most text is ASCII.
            for m in std::iter::once(c).nfkd() {
                if !is_combining_mark(m) {
                    splitter.push(m, &mut emit);
                }
            }
        }
    }
    splitter.flush(&mut emit);
}

/// The state of [`for_each_word`] between two characters.
#[derive(Debug)]
struct Splitter {
    current: String,
    all_caps: bool,
    has_letter: bool,
    segment: u32,
    /// After a `+` or `#` that ends a word: more of them join it, anything else ends it.
    symbol_tail: bool,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter {
            current: String::new(),
            all_caps: true,
            has_letter: false,
            segment: 0,
            symbol_tail: false,
        }
    }
}

impl Splitter {
    fn push(&mut self, c: char, emit: &mut impl FnMut(&str, bool, u32)) {
        if self.symbol_tail {
            if c == '+' || c == '#' {
                self.current.push(c);
                return;
            }
            self.flush(emit);
        }
        if c.is_alphanumeric() {
            if c.is_alphabetic() {
                self.has_letter = true;
                if !c.is_uppercase() {
                    self.all_caps = false;
                }
            }
            if c.is_ascii() {
                self.current.push(c.to_ascii_lowercase());
            } else {
                self.current.extend(c.to_lowercase());
            }
        } else if (c == '+' || c == '#') && !self.current.is_empty() {
            // `c++`, `c#`: the symbols stay with the word, which they end.
            self.current.push(c);
            self.symbol_tail = true;
        } else {
            self.flush(emit);
            if breaks_phrase(c) {
                self.segment += 1;
            }
        }
    }

    fn flush(&mut self, emit: &mut impl FnMut(&str, bool, u32)) {
        if !self.current.is_empty() {
            emit(
                &self.current,
                self.all_caps && self.has_letter,
                self.segment,
            );
            self.current.clear();
        }
        self.all_caps = true;
        self.has_letter = false;
        self.symbol_tail = false;
    }
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
    fn symbols_end_a_word_and_accents_fold_outside_ascii() {
        assert_eq!(
            words("c++go f## naïve ﬁle"),
            ["c++", "go", "f##", "naive", "file"]
        );
        let tokens = Analyzer::new().analyze("C#, Rust");
        let segments: Vec<u32> = tokens.iter().map(|t| t.segment).collect();
        assert_eq!(segments, [0, 1]);
    }

    #[test]
    fn empty_and_symbol_only_text_gives_no_tokens() {
        assert!(words("").is_empty());
        assert!(words(" -- ... ").is_empty());
    }
}
