//! Small text utilities shared by lint and overlap checks: normalisation, word splitting,
//! stemming and a bag-of-words similarity.

use std::collections::BTreeMap;

use rust_stemmers::{Algorithm, Stemmer};

/// Whether `text` is a web address that may be shown as a link: it starts with `https://` or
/// `http://` (any case) and has something after it, with no spaces or control characters.
/// Anything else (`javascript:`, `data:`, `file:`, a bare path) is not.
pub fn is_web_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &text[8..]
    } else if lower.starts_with("http://") {
        &text[7..]
    } else {
        return false;
    };
    !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Lowercases, turns punctuation into spaces and collapses whitespace, so that two texts that
/// differ only in case, punctuation or spacing compare equal.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// The words of `text`, lowercased (letters, digits and inner apostrophes or hyphens).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        let joins_word = (ch == '\'' || ch == '’' || ch == '-')
            && !current.is_empty()
            && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        if ch.is_alphanumeric() {
            current.extend(ch.to_lowercase());
        } else if joins_word {
            current.push(if ch == '’' { '\'' } else { ch });
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "them", "this", "to", "with",
    "which", "who", "will", "was", "were", "can", "may", "such", "other", "others", "one", "s",
];

/// Whether `word` carries little meaning on its own.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// English stems of the content words of `text`.
pub fn stems(text: &str) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    words(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .map(|w| stemmer.stem(&w).into_owned())
        .collect()
}

/// Cosine similarity of the stem counts of two texts (0 = nothing shared, 1 = same words).
pub fn similarity(a: &str, b: &str) -> f64 {
    StemBag::new(a).cosine(&StemBag::new(b))
}

/// The stem counts of a text with their Euclidean norm: made once, compared with
/// [`StemBag::cosine`] many times (lint compares each definition with many others).
#[derive(Debug, Clone, PartialEq)]
pub struct StemBag {
    /// Stems in byte order with how often each occurs.
    counts: Vec<(String, f64)>,
    norm: f64,
}

impl StemBag {
    /// The bag of the content words of `text`.
    pub fn new(text: &str) -> StemBag {
        let mut bag: BTreeMap<String, f64> = BTreeMap::new();
        for stem in stems(text) {
            *bag.entry(stem).or_insert(0.0) += 1.0;
        }
        let norm = bag.values().map(|v| v * v).sum::<f64>().sqrt();
        StemBag {
            counts: bag.into_iter().collect(),
            norm,
        }
    }

    /// The stems with their counts, in byte order.
    pub fn counts(&self) -> &[(String, f64)] {
        &self.counts
    }

    /// The Euclidean norm of the counts.
    pub fn norm(&self) -> f64 {
        self.norm
    }

    /// Whether the text had no content word.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Cosine similarity of two bags (0 = nothing shared, 1 = same words).
    pub fn cosine(&self, other: &StemBag) -> f64 {
        // Both lists are sorted: walk them together, adding the products in the order of
        // `self`'s stems.
        let mut theirs = other.counts.iter().peekable();
        let dot: f64 = self
            .counts
            .iter()
            .filter_map(|(stem, v)| {
                while theirs.next_if(|(s, _)| s < stem).is_some() {}
                theirs.next_if(|(s, _)| s == stem).map(|(_, w)| v * w)
            })
            .sum();
        let denominator = self.norm * other.norm;
        if denominator == 0.0 {
            0.0
        } else {
            dot / denominator
        }
    }
}

/// Levenshtein distance between two strings, by characters (for "did you mean" hints).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_addresses_are_web_links() {
        for good in [
            "https://example.org",
            "HTTP://example.org/a?b=c",
            "http://x",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "https://",
            "https://a b",
            "//evil.example",
            "/relative",
            "ftp://example.org",
            "",
            "é",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }

    #[test]
    fn normalising_ignores_case_punctuation_and_spacing() {
        assert_eq!(
            normalise("  Reads, and   INTERPRETS text. "),
            "reads and interprets text"
        );
        assert_eq!(
            words("Self-managed people's work"),
            vec!["self-managed", "people's", "work"]
        );
    }

    #[test]
    fn similarity_is_one_for_the_same_words_and_zero_for_none() {
        assert!((similarity("Analyzes data sets", "analyzing the data set") - 1.0).abs() < 1e-12);
        assert_eq!(similarity("writes reports", "operates forklifts"), 0.0);
        assert_eq!(similarity("", "anything"), 0.0);
    }
}
