//! Lint: quality findings on a framework, each with a stable code, a severity, the field it is
//! about and a suggestion. The rules follow the guidance that competencies be distinct, few
//! (6–12: 3–5 core, 3–7 functional) and described by observable behaviours that progress from
//! level to level — not by labels such as "basic" or "advanced".

mod vocabulary;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::framework::{Framework, FrameworkCompetency};
use crate::grade::GradeMark;
use crate::path::FieldPath;
use crate::text::{self, StemBag};
use crate::validate;

pub use vocabulary::{RefusedVerb, VagueTerm, Vocabulary, VocabularyError};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed: the framework is wrong or contradicts itself.
    Error,
    /// Should be fixed: the framework works but falls short of good practice.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The severity as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable code, e.g. `vague-term`.
    pub code: &'static str,
    /// Error, warning or info.
    pub severity: Severity,
    /// The field it is about.
    #[serde(serialize_with = "path_as_string")]
    pub path: FieldPath,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

fn path_as_string<S: serde::Serializer>(path: &FieldPath, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(path)
}

/// Limits the count rules use; the defaults follow the guidance the product is built on.
#[derive(Debug, Clone, PartialEq)]
pub struct LintLimits {
    /// Fewest and most competencies in a framework.
    pub competencies: (usize, usize),
    /// Fewest and most core (general) competencies.
    pub core: (usize, usize),
    /// Fewest and most functional competencies.
    pub functional: (usize, usize),
    /// Fewest and most indicators per level.
    pub indicators_per_level: (usize, usize),
    /// Similarity of two definitions from which they count as overlapping (0 … 1).
    pub overlap_similarity: f64,
}

impl Default for LintLimits {
    fn default() -> Self {
        LintLimits {
            competencies: (6, 12),
            core: (3, 5),
            functional: (3, 7),
            indicators_per_level: (2, 4),
            overlap_similarity: 0.85,
        }
    }
}

/// Every code lint can emit, with its severity and a one-line explanation (for docs and
/// `--help`).
pub const RULES: &[(&str, Severity, &str)] = &[
    (
        "competency-count",
        Severity::Warning,
        "a framework should have 6–12 competencies",
    ),
    (
        "core-count",
        Severity::Warning,
        "3–5 core (general) competencies",
    ),
    (
        "functional-count",
        Severity::Warning,
        "3–7 functional (technical) competencies",
    ),
    (
        "overlap",
        Severity::Error,
        "two competencies with the same definition",
    ),
    (
        "overlap-similar",
        Severity::Warning,
        "two competencies with nearly the same definition",
    ),
    (
        "duplicate-name",
        Severity::Error,
        "two competencies with the same name",
    ),
    (
        "definition-missing",
        Severity::Warning,
        "a competency without a definition",
    ),
    (
        "level-missing",
        Severity::Warning,
        "a scale level with no description or indicators for a competency",
    ),
    (
        "level-no-progress",
        Severity::Warning,
        "a level that repeats or steps back from the one below",
    ),
    (
        "indicator-count",
        Severity::Info,
        "a level with fewer than 2 or more than 4 indicators",
    ),
    (
        "indicator-verb",
        Severity::Warning,
        "an indicator that does not start with an observable action verb",
    ),
    (
        "indicator-unobservable",
        Severity::Warning,
        "an indicator that starts with a verb nobody can observe (understands, knows)",
    ),
    (
        "indicator-compound",
        Severity::Warning,
        "an indicator with more than one behaviour",
    ),
    (
        "indicator-repeated",
        Severity::Error,
        "the same indicator on two levels of one competency",
    ),
    (
        "indicator-duplicate",
        Severity::Warning,
        "the same indicator in two competencies",
    ),
    (
        "vague-term",
        Severity::Warning,
        "a vague word in an indicator or level description",
    ),
    (
        "not-rated-at-grade",
        Severity::Info,
        "a target for a competency OPM did not rate at the role's grade",
    ),
];

/// Lints `framework`: structural problems first (as errors), then quality findings.
pub fn lint(framework: &Framework, vocabulary: &Vocabulary, limits: &LintLimits) -> Vec<Finding> {
    let mut out: Vec<Finding> = validate::problems(framework)
        .into_iter()
        .map(|p| Finding {
            code: p.code,
            severity: Severity::Error,
            path: p.path,
            message: p.message,
            suggestion: None,
        })
        .collect();
    let mut linter = Linter {
        vocabulary,
        limits,
        out: Vec::new(),
    };
    linter.counts(framework);
    linter.overlaps(framework);
    linter.scale(framework);
    for (i, competency) in framework.competencies.iter().enumerate() {
        linter.competency(framework, i, competency);
    }
    linter.duplicates_across_competencies(framework);
    linter.grade_targets(framework);
    out.extend(linter.out);
    out
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

struct Linter<'a> {
    vocabulary: &'a Vocabulary,
    limits: &'a LintLimits,
    out: Vec<Finding>,
}

impl Linter<'_> {
    fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: FieldPath,
        message: String,
        suggestion: Option<String>,
    ) {
        self.out.push(Finding {
            code,
            severity,
            path,
            message,
            suggestion,
        });
    }

    fn counts(&mut self, f: &Framework) {
        let root = FieldPath::root().key("competencies");
        let total = f.competencies.len();
        let (lo, hi) = self.limits.competencies;
        if total < lo || total > hi {
            self.push(
                "competency-count",
                Severity::Warning,
                root.clone(),
                format!("the framework has {total} competencies; {lo}–{hi} is the usual range"),
                Some(if total < lo {
                    "add the competencies the role's critical tasks need".to_string()
                } else {
                    "merge overlapping competencies or move some to another role family".to_string()
                }),
            );
        }
        let core = f.core_count();
        let (lo, hi) = self.limits.core;
        if core < lo || core > hi {
            self.push(
                "core-count",
                Severity::Warning,
                root.clone(),
                format!("{core} core (general) competencies; {lo}–{hi} is the usual range"),
                Some(
                    "core competencies apply to everyone in the organisation; keep a few"
                        .to_string(),
                ),
            );
        }
        let functional = f.functional_count();
        let (lo, hi) = self.limits.functional;
        if functional < lo || functional > hi {
            self.push(
                "functional-count",
                Severity::Warning,
                root,
                format!(
                    "{functional} functional (technical) competencies; {lo}–{hi} is the usual range"
                ),
                Some("functional competencies are specific to the role family".to_string()),
            );
        }
    }

    /// Same names, same definitions and nearly the same definitions, pair by pair in the order
    /// (first, second) — without comparing every pair: see [`overlap_candidates`].
    fn overlaps(&mut self, f: &Framework) {
        let items = &f.competencies;
        let names: Vec<String> = items.iter().map(|c| text::normalise(&c.name)).collect();
        let definitions: Vec<Option<String>> = items
            .iter()
            .map(|c| c.definition.as_deref().map(text::normalise))
            .collect();
        let bags: Vec<Option<StemBag>> = items
            .iter()
            .map(|c| c.definition.as_deref().map(StemBag::new))
            .collect();
        let pairs = overlap_candidates(&names, &definitions, &bags, self.limits.overlap_similarity);
        for (i, j) in pairs {
            let (a, b) = (&items[i], &items[j]);
            let path = FieldPath::root().item("competencies", j);
            if names[i] == names[j] {
                self.push(
                    "duplicate-name",
                    Severity::Error,
                    path.key("name"),
                    format!("`{}` and `{}` are both named \"{}\"", a.id, b.id, b.name),
                    Some("merge them or rename one".to_string()),
                );
                continue;
            }
            let (Some(da), Some(db)) = (&definitions[i], &definitions[j]) else {
                continue;
            };
            if da.is_empty() {
                continue;
            }
            if da == db {
                self.push(
                    "overlap",
                    Severity::Error,
                    path.key("definition"),
                    format!(
                        "\"{}\" and \"{}\" have the same definition, so they measure the same thing",
                        a.name, b.name
                    ),
                    Some(format!("keep one of them (or merge them), or rewrite the definition of \"{}\"", b.name)),
                );
            } else if let (Some(x), Some(y)) = (&bags[i], &bags[j]) {
                let similarity = x.cosine(y);
                if similarity >= self.limits.overlap_similarity {
                    self.push(
                        "overlap-similar",
                        Severity::Warning,
                        path.key("definition"),
                        format!(
                            "\"{}\" and \"{}\" have nearly the same definition ({:.0} % of words shared)",
                            a.name,
                            b.name,
                            similarity * 100.0
                        ),
                        Some("merge them, or sharpen the definitions so each covers distinct behaviour".to_string()),
                    );
                }
            }
        }
    }

    fn scale(&mut self, f: &Framework) {
        for (i, level) in f.scale.levels.iter().enumerate() {
            let path = FieldPath::root()
                .key("scale")
                .item("levels", i)
                .key("description");
            self.vague(&level.description, path, "scale level description");
        }
    }

    fn competency(&mut self, f: &Framework, i: usize, c: &FrameworkCompetency) {
        let at = FieldPath::root().item("competencies", i);
        if c.definition.as_deref().is_none_or(|d| d.trim().is_empty()) {
            self.push(
                "definition-missing",
                Severity::Warning,
                at.key("definition"),
                format!("\"{}\" has no definition", c.name),
                Some("write one sentence on what the competency covers; if the source gives none, say so in a note".to_string()),
            );
        }
        if c.levels.is_empty() {
            self.push(
                "level-missing",
                Severity::Warning,
                at.key("levels"),
                format!("\"{}\" has no proficiency levels described", c.name),
                Some("describe each level with 2–4 observable behaviours".to_string()),
            );
            return;
        }
        for scale_level in &f.scale.levels {
            if c.level(scale_level.level).is_none() {
                self.push(
                    "level-missing",
                    Severity::Warning,
                    at.key("levels"),
                    format!(
                        "\"{}\" does not describe level {} ({})",
                        c.name, scale_level.level, scale_level.name
                    ),
                    Some(
                        "describe every level of the scale so that people can see the next step"
                            .to_string(),
                    ),
                );
            }
        }
        let (bloom, described) = self.level_contents(&at, c);
        self.progression(&at, c, &bloom, &described);
    }

    /// Checks each level's description and indicators (count, verbs, repeats); returns, per
    /// level, the mean Bloom level of its indicators' verbs as (sum, count) and its normalised
    /// description with its position.
    #[allow(clippy::type_complexity)]
    fn level_contents(
        &mut self,
        at: &FieldPath,
        c: &FrameworkCompetency,
    ) -> (BTreeMap<u8, (f64, usize)>, BTreeMap<u8, (String, usize)>) {
        let mut first_seen: HashMap<String, u8> = HashMap::new();
        let mut bloom: BTreeMap<u8, (f64, usize)> = BTreeMap::new();
        let mut described: BTreeMap<u8, (String, usize)> = BTreeMap::new();
        for (j, content) in c.levels.iter().enumerate() {
            let lp = at.item("levels", j);
            if let Some(description) = &content.description {
                self.vague(description, lp.key("description"), "level description");
                described.insert(content.level, (text::normalise(description), j));
            }
            let (lo, hi) = self.limits.indicators_per_level;
            let n = content.indicators.len();
            if n < lo || n > hi {
                self.push(
                    "indicator-count",
                    Severity::Info,
                    lp.key("indicators"),
                    format!(
                        "\"{}\" level {} has {n} indicators; {lo}–{hi} is usual",
                        c.name, content.level
                    ),
                    None,
                );
            }
            for (k, indicator) in content.indicators.iter().enumerate() {
                let ip = lp.item("indicators", k);
                if let Some(level) = self.indicator(indicator, ip.clone()) {
                    let entry = bloom.entry(content.level).or_insert((0.0, 0));
                    entry.0 += f64::from(level);
                    entry.1 += 1;
                }
                let key = text::normalise(indicator);
                if key.is_empty() {
                    continue;
                }
                match first_seen.get(&key) {
                    Some(&other) if other != content.level => self.push(
                        "indicator-repeated",
                        Severity::Error,
                        ip,
                        format!(
                            "\"{}\": the same indicator appears at level {other} and level {}",
                            c.name, content.level
                        ),
                        Some("each level must show something the level below does not".to_string()),
                    ),
                    Some(_) => self.push(
                        "indicator-repeated",
                        Severity::Error,
                        ip,
                        format!(
                            "\"{}\": the same indicator appears twice at level {}",
                            c.name, content.level
                        ),
                        Some("remove the copy".to_string()),
                    ),
                    None => {
                        first_seen.insert(key, content.level);
                    }
                }
            }
        }
        (bloom, described)
    }

    /// A level must not repeat the one below, nor ask for lower-order behaviour.
    fn progression(
        &mut self,
        at: &FieldPath,
        c: &FrameworkCompetency,
        bloom: &BTreeMap<u8, (f64, usize)>,
        described: &BTreeMap<u8, (String, usize)>,
    ) {
        let levels: Vec<u8> = c.levels.iter().map(|l| l.level).collect();
        let mut sorted = levels.clone();
        sorted.sort_unstable();
        for pair in sorted.windows(2) {
            let (lower, upper) = (pair[0], pair[1]);
            if let (Some((a, _)), Some((b, j))) = (described.get(&lower), described.get(&upper))
                && !a.is_empty()
                && a == b
            {
                self.push(
                        "level-no-progress",
                        Severity::Warning,
                        at.item("levels", *j).key("description"),
                        format!("\"{}\" describes level {upper} exactly as level {lower}", c.name),
                        Some("say what a person at the higher level handles that the lower level does not".to_string()),
                    );
            }
            if let (Some(&(sa, na)), Some(&(sb, nb))) = (bloom.get(&lower), bloom.get(&upper)) {
                let (mean_lower, mean_upper) = (sa / na as f64, sb / nb as f64);
                if mean_upper + 0.5 < mean_lower {
                    let j = c.levels.iter().position(|l| l.level == upper).unwrap_or(0);
                    self.push(
                        "level-no-progress",
                        Severity::Warning,
                        at.item("levels", j).key("indicators"),
                        format!(
                            "\"{}\" level {upper} asks for lower-order behaviour than level {lower} (average Bloom level {mean_upper:.1} against {mean_lower:.1})",
                            c.name
                        ),
                        Some("higher levels should analyse, evaluate, design or advise where lower levels recall and apply".to_string()),
                    );
                }
            }
        }
    }

    /// Checks one indicator; returns the Bloom level of its verb when it has a known one.
    fn indicator(&mut self, indicator: &str, path: FieldPath) -> Option<u8> {
        let trimmed = indicator.trim();
        let words = text::words(trimmed);
        let Some(first) = words.first() else {
            self.push(
                "indicator-verb",
                Severity::Warning,
                path,
                "the indicator is empty".to_string(),
                Some("write one observable behaviour, starting with an action verb".to_string()),
            );
            return None;
        };
        let mut level = None;
        if let Some(refused) = self.vocabulary.refused_start(&words) {
            self.push(
                "indicator-unobservable",
                Severity::Warning,
                path.clone(),
                format!("\"{trimmed}\" starts with \"{first}\", which nobody can observe"),
                Some(refused.suggestion.clone()),
            );
        } else {
            match self.vocabulary.bloom_level(first) {
                Some(l) => level = Some(l),
                None => self.push(
                    "indicator-verb",
                    Severity::Warning,
                    path.clone(),
                    format!("\"{trimmed}\" does not start with an observable action verb (\"{first}\")"),
                    Some("start with an action verb such as identifies, explains, applies, analyses, evaluates, designs".to_string()),
                ),
            }
        }
        if is_compound(trimmed) {
            self.push(
                "indicator-compound",
                Severity::Warning,
                path.clone(),
                format!("\"{trimmed}\" holds more than one behaviour"),
                Some("split it into separate indicators, one behaviour each".to_string()),
            );
        }
        self.vague(trimmed, path, "indicator");
        level
    }

    fn vague(&mut self, text_value: &str, path: FieldPath, what: &str) {
        let words = text::words(text_value);
        for term in self.vocabulary.vague_terms() {
            if contains_phrase(&words, &term.words) {
                self.push(
                    "vague-term",
                    Severity::Warning,
                    path.clone(),
                    format!(
                        "the {what} uses the vague term \"{}\": \"{}\"",
                        term.term,
                        text_value.trim()
                    ),
                    Some(term.suggestion.clone()),
                );
            }
        }
    }

    fn duplicates_across_competencies(&mut self, f: &Framework) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, c) in f.competencies.iter().enumerate() {
            let mut own: HashSet<String> = HashSet::new();
            for (j, content) in c.levels.iter().enumerate() {
                for (k, indicator) in content.indicators.iter().enumerate() {
                    let key = text::normalise(indicator);
                    if key.is_empty() || !own.insert(key.clone()) {
                        continue;
                    }
                    match seen.get(&key) {
                        Some(&other) if other != i => self.push(
                            "indicator-duplicate",
                            Severity::Warning,
                            FieldPath::root()
                                .item("competencies", i)
                                .item("levels", j)
                                .item("indicators", k),
                            format!(
                                "\"{}\" and \"{}\" share the indicator \"{}\"",
                                f.competencies[other].name,
                                c.name,
                                indicator.trim()
                            ),
                            Some(
                                "indicators should tell competencies apart; make each specific"
                                    .to_string(),
                            ),
                        ),
                        _ => {
                            seen.insert(key, i);
                        }
                    }
                }
            }
        }
    }

    fn grade_targets(&mut self, f: &Framework) {
        let mut by_id: HashMap<&str, &FrameworkCompetency> = HashMap::new();
        for c in &f.competencies {
            by_id.entry(c.id.as_str()).or_insert(c);
        }
        for (i, profile) in f.role_profiles.iter().enumerate() {
            let Some(grade) = profile.grade else { continue };
            for (j, target) in profile.targets.iter().enumerate() {
                let Some(&c) = by_id.get(target.competency.as_str()) else {
                    continue;
                };
                if c.grade_mark(grade) == Some(GradeMark::NotRated) {
                    self.push(
                        "not-rated-at-grade",
                        Severity::Info,
                        FieldPath::root().item("role_profiles", i).item("targets", j),
                        format!("OPM did not rate \"{}\" for selection at {grade} (NR)", c.name),
                        Some("keep it only if your job analysis shows the role needs it, and record why".to_string()),
                    );
                }
            }
        }
    }
}

impl FrameworkCompetency {
    /// The OPM grade-table cell at `grade`, when carried over from the catalogue.
    pub fn grade_mark(&self, grade: crate::grade::Grade) -> Option<GradeMark> {
        self.grades.get(&grade).copied()
    }
}

/// The pairs `(i, j)`, `i < j`, in that order, that may be reported by the overlap rules: the
/// same normalised name, the same normalised definition, or definitions whose stem bags may
/// reach `threshold` cosine similarity. Every pair the rules would report is included; most
/// others are not, so that the work grows with the number of likely pairs rather than with
/// the square of the number of competencies.
///
/// Nearly-the-same definitions are found by prefix filtering: the stems of each bag, weighted
/// by count over the bag's norm, are put in one global order (rarest first), and a bag's
/// *prefix* is its shortest leading run whose remaining stems weigh less than `threshold`
/// (as a Euclidean norm). Two bags whose prefixes share no stem have cosine below `threshold`:
/// say the prefix of `x` ends no later in the order than that of `y`; a stem of `x`'s prefix
/// found in `y` would then lie in `y`'s prefix too, so every shared stem lies in `x`'s rest,
/// and the cosine is at most the rest's norm (Cauchy–Schwarz, `y` being of unit length). So
/// only bags sharing a prefix stem, found through an inverted index, are compared.
fn overlap_candidates(
    names: &[String],
    definitions: &[Option<String>],
    bags: &[Option<StemBag>],
    threshold: f64,
) -> Vec<(usize, usize)> {
    let n = names.len();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // A threshold of zero or less (or not a number) makes every pair similar enough: no filter
    // can help, so compare all pairs with definitions.
    if threshold.is_nan() || threshold <= 0.0 {
        for i in 0..n {
            for j in (i + 1)..n {
                if names[i] == names[j] || (definitions[i].is_some() && definitions[j].is_some()) {
                    pairs.push((i, j));
                }
            }
        }
        return pairs;
    }
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_definition: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        by_name.entry(name.as_str()).or_default().push(i);
        if let Some(d) = &definitions[i]
            && !d.is_empty()
        {
            by_definition.entry(d.as_str()).or_default().push(i);
        }
    }
    for group in by_name.values().chain(by_definition.values()) {
        for (k, &i) in group.iter().enumerate() {
            for &j in &group[k + 1..] {
                pairs.push((i, j));
            }
        }
    }
    // Document frequency of each stem, for the global order (rarest first, then by stem).
    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for bag in bags.iter().flatten() {
        for (stem, _) in bag.counts() {
            *frequency.entry(stem.as_str()).or_insert(0) += 1;
        }
    }
    // Keep a small margin so that rounding never drops a pair at the threshold exactly.
    let bound = threshold * (1.0 - 1e-9);
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut seen = vec![usize::MAX; n];
    for (j, bag) in bags.iter().enumerate() {
        let Some(bag) = bag else { continue };
        if bag.is_empty() || bag.norm() == 0.0 {
            continue;
        }
        let mut stems: Vec<(&str, f64)> = bag
            .counts()
            .iter()
            .map(|(s, c)| (s.as_str(), c / bag.norm()))
            .collect();
        stems.sort_by(|a, b| {
            frequency
                .get(a.0)
                .cmp(&frequency.get(b.0))
                .then_with(|| a.0.cmp(b.0))
        });
        // rest[p] = squared weight of stems p.. (the part after a prefix of length p).
        let mut rest = vec![0.0; stems.len() + 1];
        for p in (0..stems.len()).rev() {
            rest[p] = rest[p + 1] + stems[p].1 * stems[p].1;
        }
        let length = (0..=stems.len())
            .find(|&p| rest[p].sqrt() < bound)
            .unwrap_or(stems.len());
        for &(stem, _) in &stems[..length] {
            let postings = index.entry(stem).or_default();
            for &i in postings.iter() {
                if seen[i] != j {
                    seen[i] = j;
                    pairs.push((i, j));
                }
            }
            postings.push(j);
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Whether an indicator holds more than one behaviour: two sentences, or a semicolon.
fn is_compound(indicator: &str) -> bool {
    let body = indicator.trim().trim_end_matches(['.', '!', ' ']);
    if body.contains(';') {
        return true;
    }
    // A full stop followed by a space and a capital letter starts a second sentence; "e.g. X"
    // and "U.S. Government" are not sentence ends.
    let chars: Vec<char> = body.chars().collect();
    chars.windows(3).enumerate().any(|(i, w)| {
        w[0] == '.' && w[1] == ' ' && w[2].is_uppercase() && {
            let before: String = chars[..i]
                .iter()
                .rev()
                .take_while(|c| !c.is_whitespace())
                .collect();
            before.chars().count() > 2 && !before.contains('.')
        }
    })
}

fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

#[cfg(test)]
mod tests;
