//! Word senses: whether a word of the role means what the same word means in a result.
//!
//! Stemming makes "management" in "risk management" the same term as "Management" in
//! "Information Management", and "models" in "machine learning models" the same as "Models"
//! in "Models high standards of ethics". Those are word accidents: the role and the result use
//! the word in different senses. Two signs in the text itself tell them apart, without a list
//! of cases:
//!
//! - **Compounds.** Two content words next to each other ("risk management", "technical
//!   staff", "data rights") form a compound whose meaning is the pair, not either word. When a
//!   result's *name* pairs the same word with a different partner on the same side
//!   ("Information Management", "Technical Competence", "Data Analysis") and the result's text
//!   nowhere has the role's partner, the role's word names another thing.
//! - **Verbs.** OPM-style definitions are sentences that open with a verb ("Models high
//!   standards of ethics", "Uses computers …"). A word that a result has only in that slot is
//!   a verb there; it matches the role only where the role may use the word as a verb, not as
//!   a noun ("deploy *models*", "learning *models*").
//!
//! Verbs are recognised with the action verbs of `data/lint/verbs.toml` (the list the lint uses
//! for indicators), so "design", "build" or "validate" before a noun do not make a compound.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::text::{Analyzer, Token};

/// The lint's action verbs (`data/lint/verbs.toml`), one list for the whole program.
const VERBS_TOML: &str = include_str!("../../../data/lint/verbs.toml");

#[derive(Deserialize)]
struct VerbFile {
    level: Vec<VerbLevel>,
}

#[derive(Deserialize)]
struct VerbLevel {
    verbs: Vec<String>,
}

/// A verb's base form and its regular inflections: -s/-es/-ies, -ed/-d/-ied, -ing.
fn inflections(base: &str) -> Vec<String> {
    let mut out = vec![base.to_owned()];
    let stem_y = base
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'o', 'u']));
    if let Some(stem) = stem_y {
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
    } else if base.ends_with(['s', 'x', 'z']) || base.ends_with("ch") || base.ends_with("sh") {
        out.push(format!("{base}es"));
    } else {
        out.push(format!("{base}s"));
    }
    if let Some(stem) = base.strip_suffix('e') {
        out.push(format!("{base}d"));
        out.push(format!("{stem}ing"));
    } else if stem_y.is_none() {
        out.push(format!("{base}ed"));
    }
    out.push(format!("{base}ing"));
    out
}

/// The action verbs of `data/lint/verbs.toml` and their inflected forms ("design",
/// "designs", "designed", "designing"), read once.
fn action_verbs() -> &'static HashSet<String> {
    static VERBS: OnceLock<HashSet<String>> = OnceLock::new();
    VERBS.get_or_init(|| {
        toml::from_str::<VerbFile>(VERBS_TOML)
            .map(|file| {
                file.level
                    .into_iter()
                    .flat_map(|l| l.verbs)
                    .flat_map(|v| inflections(&v))
                    .collect()
            })
            // The file is embedded and checked by the lint's tests; without it the rules
            // only lose their verb exception.
            .unwrap_or_default()
    })
}

/// Whether a lower-case word is a form of one of the lint's action verbs (`data/lint/verbs.toml`):
/// the one list of verbs the sense rules and the generator's task reading share.
pub fn is_action_verb(word: &str) -> bool {
    action_verbs().contains(word)
}

/// Whether two neighbouring tokens form a compound ("risk management", "machine learning"):
/// next to each other in the same run of text, and the first is not one of the lint's action
/// verbs (a verb before a noun is an action on it: "monitor models").
pub fn forms_compound(a: &Token, b: &Token) -> bool {
    a.segment == b.segment && a.position + 1 == b.position && !is_action_verb(&a.word)
}

/// Which side of a word its compound partner is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The partner comes before the word ("*risk* management").
    Left,
    /// The partner comes after the word ("*technical* staff": the partner of "technical" is
    /// "staff").
    Right,
}

/// The partner of a role word in a compound: its term, or `None` when no result has it.
pub(crate) type Partner = Option<u32>;

/// One occurrence of a role word, with what the sense rules need to know about it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Occurrence {
    /// What the occurrence adds to the word's weight (source weight times position factors).
    pub(crate) weight: f64,
    /// The content word right before it, when the two form a compound.
    pub(crate) left: Option<Partner>,
    /// The content word right after it, when the two form a compound.
    pub(crate) right: Option<Partner>,
    /// Whether the role may use the word as a verb here (not the title; not right after a
    /// verb, whose object it is; not a plural with a modifier).
    pub(crate) verb_use: bool,
}

/// What the index knows about the senses of each document's words.
#[derive(Debug, Default)]
pub(crate) struct Senses {
    /// The action verbs and their inflected forms ("design", "designs", "designed",
    /// "designing"): words, not stems, since a stem is shared by the noun ("inform" is the
    /// stem of "information").
    verbs: HashSet<String>,
    /// Per document: (word, side of its partner, partner) for the compounds of its name.
    compounds: Vec<Vec<(u32, Side, u32)>>,
    /// Per document: terms its text has only as the verb opening a definition sentence,
    /// sorted.
    verb_only: Vec<Vec<u32>>,
}

impl Senses {
    /// An empty table that knows the verbs (filled in by [`Senses::add_document`]).
    pub(crate) fn new() -> Senses {
        Senses {
            verbs: action_verbs().clone(),
            ..Senses::default()
        }
    }

    /// Whether the word is a form of an action verb.
    pub(crate) fn is_verb(&self, word: &str) -> bool {
        self.verbs.contains(word)
    }

    /// Records the compounds of a document's name and the terms of its definition that are
    /// only sentence-opening verbs. `term` maps a stem to its term id; `definition_tf` gives the
    /// document's count of a term in its definition and whether the name or labels have it.
    pub(crate) fn add_document(
        &mut self,
        analyzer: &Analyzer,
        name: &str,
        definition: &str,
        term: impl Fn(&str) -> Option<u32>,
        definition_tf: impl Fn(u32) -> (u16, bool),
    ) {
        let tokens = analyzer.analyze(name);
        let mut compounds = Vec::new();
        for pair in tokens.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if !self.is_compound(a, b) {
                continue;
            }
            if let (Some(ta), Some(tb)) = (term(&a.stem), term(&b.stem)) {
                compounds.push((ta, Side::Right, tb));
                compounds.push((tb, Side::Left, ta));
            }
        }
        self.compounds.push(compounds);

        let mut openers: HashMap<u32, u16> = HashMap::new();
        for sentence in definition.split(['.', ';', '!', '?']) {
            if let Some(first) = analyzer.analyze(sentence).first()
                && self.is_verb(&first.word)
                && let Some(t) = term(&first.stem)
            {
                *openers.entry(t).or_default() += 1;
            }
        }
        let mut verb_only: Vec<u32> = openers
            .into_iter()
            .filter(|(t, n)| {
                let (tf, elsewhere) = definition_tf(*t);
                !elsewhere && tf <= *n
            })
            .map(|(t, _)| t)
            .collect();
        verb_only.sort_unstable();
        self.verb_only.push(verb_only);
    }

    /// Whether two neighbouring tokens form a compound: next to each other in the same run of
    /// text, and the first is not a verb (a verb before a noun is an action on it).
    pub(crate) fn is_compound(&self, a: &Token, b: &Token) -> bool {
        forms_compound(a, b)
    }

    /// How much of an occurrence counts for document `doc`: 1 when the senses agree, `weight`
    /// when the role uses the word in another sense than the document. `has_term` says whether
    /// the document's text has a term anywhere.
    pub(crate) fn occurrence_factor(
        &self,
        occurrence: &Occurrence,
        term: u32,
        doc: u32,
        has_term: impl Fn(u32) -> bool,
        weight: f64,
    ) -> f64 {
        let d = doc as usize;
        let clashes = |side: Side, partner: Option<Partner>| {
            let Some(partner) = partner else {
                return false;
            };
            if partner.is_some_and(&has_term) {
                return false;
            }
            self.compounds.get(d).is_some_and(|c| {
                c.iter()
                    .any(|&(w, s, p)| w == term && s == side && Some(p) != partner)
            })
        };
        let verb_clash = !occurrence.verb_use
            && self
                .verb_only
                .get(d)
                .is_some_and(|v| v.binary_search(&term).is_ok());
        if clashes(Side::Left, occurrence.left)
            || clashes(Side::Right, occurrence.right)
            || verb_clash
        {
            weight
        } else {
            1.0
        }
    }
}
