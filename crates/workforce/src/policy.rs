//! The current-level policy: which ratings decide a person's current level on a competency.
//!
//! The default, named `latest-manager-or-test`: the most recent `manager` or `test` rating sets
//! the level (on the same date, the test); `self` and `peer` ratings are shown beside it and
//! never set it; "not observed" ratings are skipped. Other policies are parameters of the same
//! type (mean of sources, weights per source, minimum raters, expiry after N months), and every
//! report names the policy it used.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use framewright_model::framework::Date;
use serde::{Deserialize, Serialize};

use crate::record::{AssessmentRecord, Source};

/// How the counted ratings become one level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The most recent counted rating; on the same date the source listed first wins.
    #[default]
    Latest,
    /// The mean of every counted rater's most recent rating, rounded to the nearest level (a
    /// half rounds down).
    Mean,
    /// The weighted mean of the counted sources (each source the mean of its raters' most
    /// recent ratings), rounded like `mean`.
    Weighted,
}

/// A named rule for the current level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CurrentLevelPolicy {
    /// The policy's name, printed in every report.
    pub name: String,
    /// How the counted ratings become one level.
    pub method: Method,
    /// The sources whose ratings count, in order of precedence on the same date. The others
    /// are shown beside the level and never set it.
    pub sources: Vec<Source>,
    /// Weights per source for [`Method::Weighted`] (a counted source without a weight has 1).
    pub weights: BTreeMap<Source, f64>,
    /// How many different raters must have given a counted rating; below it the competency is
    /// not assessed.
    pub min_raters: usize,
    /// Ratings older than this many months (on the report's date) no longer count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_after_months: Option<u32>,
}

impl Default for CurrentLevelPolicy {
    fn default() -> Self {
        CurrentLevelPolicy {
            name: "latest-manager-or-test".to_string(),
            method: Method::Latest,
            sources: vec![Source::Test, Source::Manager],
            weights: BTreeMap::new(),
            min_raters: 1,
            expire_after_months: None,
        }
    }
}

/// A policy that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PolicyError {
    /// The policy field at fault.
    pub field: &'static str,
    /// What is wrong, in plain words.
    pub message: String,
}

impl CurrentLevelPolicy {
    /// Checks that the policy can decide anything.
    pub fn check(&self) -> Result<(), PolicyError> {
        let fail = |field, message: &str| {
            Err(PolicyError {
                field,
                message: message.to_string(),
            })
        };
        if self.name.trim().is_empty() {
            return fail("name", "give the policy a name; reports print it");
        }
        if self.sources.is_empty() {
            return fail("sources", "name at least one source whose ratings count");
        }
        if self.min_raters == 0 {
            return fail("min_raters", "at least 1 rater is needed");
        }
        if self.expire_after_months == Some(0) {
            return fail(
                "expire_after_months",
                "ratings must count for at least 1 month",
            );
        }
        if self.weights.values().any(|w| !w.is_finite() || *w < 0.0) {
            return fail("weights", "weights are numbers of 0 or more");
        }
        if self.method == Method::Weighted && self.sources.iter().all(|s| self.weight(*s) == 0.0) {
            return fail("weights", "every counted source has weight 0");
        }
        Ok(())
    }

    /// The weight of `source` under [`Method::Weighted`].
    pub fn weight(&self, source: Source) -> f64 {
        self.weights.get(&source).copied().unwrap_or(1.0)
    }

    /// The policy in plain words, for reports.
    pub fn describe(&self) -> String {
        let sources = words_or(&self.sources);
        let mut text = match self.method {
            Method::Latest => {
                let mut t = format!("The most recent {sources} rating sets the current level");
                if self.sources.len() > 1 {
                    t.push_str(&format!(
                        " (on the same date, the {} rating wins)",
                        self.sources[0]
                    ));
                }
                t.push('.');
                t
            }
            Method::Mean => format!(
                "The average of the most recent {sources} rating of every rater, rounded to the nearest level (a half rounds down)."
            ),
            Method::Weighted => {
                let parts: Vec<String> = self
                    .sources
                    .iter()
                    .map(|s| format!("{s} {}", self.weight(*s)))
                    .collect();
                format!(
                    "A weighted average of the sources ({}), each source the average of its raters' most recent ratings, rounded to the nearest level (a half rounds down).",
                    parts.join(", ")
                )
            }
        };
        let shown: Vec<Source> = Source::ALL
            .into_iter()
            .filter(|s| !self.sources.contains(s))
            .collect();
        if !shown.is_empty() {
            text.push_str(&format!(
                " {} ratings are shown beside it and never set it.",
                capitalise(&words_and(&shown))
            ));
        }
        text.push_str(" \"Not observed\" ratings are skipped.");
        if self.min_raters > 1 {
            text.push_str(&format!(
                " At least {} different raters are needed.",
                self.min_raters
            ));
        }
        if let Some(m) = self.expire_after_months {
            text.push_str(&format!(" Ratings older than {m} months no longer count."));
        }
        text
    }
}

fn words_or(sources: &[Source]) -> String {
    join_words(sources, "or")
}

fn words_and(sources: &[Source]) -> String {
    join_words(sources, "and")
}

fn join_words(sources: &[Source], word: &str) -> String {
    let names: Vec<&str> = sources.iter().map(|s| s.as_str()).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} {word} {last}", rest.join(", ")),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A rating shown beside the current level (or one that set it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Who rated.
    pub source: Source,
    /// The level, or `None` for "not observed".
    pub level: Option<u8>,
    /// When.
    #[serde(serialize_with = "crate::record::ymd::serialize")]
    pub date: Date,
    /// The rater, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessor: Option<String>,
}

impl Shown {
    fn of(r: &AssessmentRecord) -> Shown {
        Shown {
            source: r.source,
            level: r.rating.level(),
            date: r.date,
            assessor: r.assessor.clone(),
        }
    }
}

/// A person's current level on one competency under a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrentLevel {
    /// The level, or `None` when the competency is not assessed.
    pub level: Option<u8>,
    /// The ratings that set it.
    pub basis: Vec<Shown>,
    /// The most recent rating of each source that does not count (self, peer, …).
    pub beside: Vec<Shown>,
    /// Why there is no level, in plain words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `date` moved forward by whole months (the 31st becomes the month's last day).
pub fn add_months(date: Date, months: u32) -> Option<Date> {
    let total =
        date.year() * 12 + i32::from(u8::from(date.month())) - 1 + i32::try_from(months).ok()?;
    let year = total.div_euclid(12);
    let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).ok()
}

/// Whether a rating made on `date` still counts on `as_of`.
fn in_force(policy: &CurrentLevelPolicy, date: Date, as_of: Date) -> bool {
    if date > as_of {
        return false;
    }
    match policy.expire_after_months {
        None => true,
        Some(m) => add_months(date, m).is_none_or(|end| as_of <= end),
    }
}

/// A mean rounded to the nearest level, a half rounding down.
fn round_level(mean: f64) -> u8 {
    (mean - 0.5).ceil().clamp(0.0, f64::from(u8::MAX)) as u8
}

/// The current level from the ratings of one person on one competency, with the ratings behind
/// it and beside it.
pub fn current_level(
    policy: &CurrentLevelPolicy,
    ratings: &[&AssessmentRecord],
    as_of: Date,
) -> CurrentLevel {
    current_level_with(policy, ratings, as_of, true)
}

/// The current level as [`current_level`]; without `detail` the ratings behind it and beside it
/// are left out (`basis` and `beside` empty), which is much cheaper over many people.
pub fn current_level_with(
    policy: &CurrentLevelPolicy,
    ratings: &[&AssessmentRecord],
    as_of: Date,
    detail: bool,
) -> CurrentLevel {
    let rank = |s: Source| policy.sources.iter().position(|x| *x == s);
    let mut beside: Vec<Shown> = Vec::new();
    let shown = Source::ALL
        .into_iter()
        .filter(|s| detail && rank(*s).is_none());
    for source in shown {
        if let Some(r) = ratings
            .iter()
            .filter(|r| r.source == source && r.date <= as_of)
            .max_by_key(|r| r.date)
        {
            beside.push(Shown::of(r));
        }
    }
    let counted_any = ratings.iter().any(|r| rank(r.source).is_some());
    let counted: Vec<&AssessmentRecord> = ratings
        .iter()
        .copied()
        .filter(|r| rank(r.source).is_some() && r.rating.level().is_some())
        .filter(|r| in_force(policy, r.date, as_of))
        .collect();
    let none = |note: String| CurrentLevel {
        level: None,
        basis: Vec::new(),
        beside: beside.clone(),
        note: Some(note),
    };
    if counted.is_empty() {
        let sources = words_or(&policy.sources);
        let note = if !counted_any {
            format!("no {sources} rating yet")
        } else if ratings
            .iter()
            .any(|r| rank(r.source).is_some() && r.rating.level().is_some())
        {
            format!("every {sources} rating is too old or dated after the report")
        } else {
            format!("the {sources} ratings say \"not observed\"")
        };
        return none(note);
    }
    // One counted rating is one rater: the set is only needed when the policy asks for more.
    if policy.min_raters > 1 {
        let raters: BTreeSet<(Source, Option<&str>)> = counted
            .iter()
            .map(|r| (r.source, r.assessor.as_deref()))
            .collect();
        if raters.len() < policy.min_raters {
            return none(format!(
                "{} rater(s) so far; the policy needs {}",
                raters.len(),
                policy.min_raters
            ));
        }
    }
    let (level, basis) = match policy.method {
        Method::Latest => {
            let best = counted.iter().copied().min_by(|a, b| {
                b.date
                    .cmp(&a.date)
                    .then(rank(a.source).cmp(&rank(b.source)))
                    .then(a.rating.level().cmp(&b.rating.level()))
            });
            match best {
                Some(r) if detail => (r.rating.level(), vec![Shown::of(r)]),
                Some(r) => (r.rating.level(), Vec::new()),
                None => (None, Vec::new()),
            }
        }
        Method::Mean | Method::Weighted => {
            let latest = latest_per_rater(&counted);
            let level = if policy.method == Method::Mean {
                let sum: f64 = latest
                    .iter()
                    .filter_map(|r| r.rating.level())
                    .map(f64::from)
                    .sum();
                Some(round_level(sum / latest.len() as f64))
            } else {
                weighted(policy, &latest)
            };
            let basis = if detail {
                latest.iter().map(|r| Shown::of(r)).collect()
            } else {
                Vec::new()
            };
            (level, basis)
        }
    };
    CurrentLevel {
        level,
        basis,
        beside,
        note: None,
    }
}

/// The most recent rating of each rater (source and assessor), in source order.
fn latest_per_rater<'a>(counted: &[&'a AssessmentRecord]) -> Vec<&'a AssessmentRecord> {
    let mut latest: BTreeMap<(Source, Option<&str>), &AssessmentRecord> = BTreeMap::new();
    for r in counted {
        let key = (r.source, r.assessor.as_deref());
        match latest.get(&key) {
            Some(old) if old.date >= r.date => {}
            _ => {
                latest.insert(key, r);
            }
        }
    }
    latest.into_values().collect()
}

fn weighted(policy: &CurrentLevelPolicy, latest: &[&AssessmentRecord]) -> Option<u8> {
    let mut per_source: BTreeMap<Source, (f64, f64)> = BTreeMap::new();
    for r in latest {
        if let Some(l) = r.rating.level() {
            let e = per_source.entry(r.source).or_insert((0.0, 0.0));
            e.0 += f64::from(l);
            e.1 += 1.0;
        }
    }
    let (mut sum, mut total) = (0.0, 0.0);
    for (source, (s, n)) in per_source {
        let w = policy.weight(source);
        sum += w * s / n;
        total += w;
    }
    (total > 0.0).then(|| round_level(sum / total))
}

/// Ratings grouped by person and competency, for looking up current levels quickly.
#[derive(Debug, Clone, Default)]
pub struct Ratings<'a> {
    by_person: HashMap<&'a str, HashMap<&'a str, Vec<&'a AssessmentRecord>>>,
}

impl<'a> Ratings<'a> {
    /// Groups `records`.
    pub fn new(records: &'a [AssessmentRecord]) -> Ratings<'a> {
        let mut by_person: HashMap<&str, HashMap<&str, Vec<&AssessmentRecord>>> = HashMap::new();
        for r in records {
            by_person
                .entry(r.person.as_str())
                .or_default()
                .entry(r.competency.as_str())
                .or_default()
                .push(r);
        }
        Ratings { by_person }
    }

    /// Every rating of `person` on `competency`.
    pub fn of(&self, person: &str, competency: &str) -> &[&'a AssessmentRecord] {
        self.by_person
            .get(person)
            .and_then(|c| c.get(competency))
            .map_or(&[], Vec::as_slice)
    }

    /// Every rating of `person`, by competency.
    pub fn of_person(&self, person: &str) -> Option<&HashMap<&'a str, Vec<&'a AssessmentRecord>>> {
        self.by_person.get(person)
    }

    /// The current level of `person` on `competency` under `policy` on `as_of`, with the
    /// ratings behind it and beside it.
    pub fn current(
        &self,
        policy: &CurrentLevelPolicy,
        person: &str,
        competency: &str,
        as_of: Date,
    ) -> CurrentLevel {
        current_level(policy, self.of(person, competency), as_of)
    }

    /// The current level as [`Ratings::current`], with the ratings behind it and beside it only
    /// when `detail` is true.
    pub fn current_with(
        &self,
        policy: &CurrentLevelPolicy,
        person: &str,
        competency: &str,
        as_of: Date,
        detail: bool,
    ) -> CurrentLevel {
        current_level_with(policy, self.of(person, competency), as_of, detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Rating;
    use time::macros::date;

    fn rec(source: Source, level: Option<u8>, date: Date, assessor: &str) -> AssessmentRecord {
        AssessmentRecord {
            person: "p".into(),
            competency: "c".into(),
            rating: level.map_or(Rating::NotObserved, Rating::Level),
            source,
            assessor: Some(assessor.into()),
            date,
            evidence: None,
            release: None,
        }
    }

    fn level(
        policy: &CurrentLevelPolicy,
        records: &[AssessmentRecord],
        as_of: Date,
    ) -> CurrentLevel {
        let refs: Vec<&AssessmentRecord> = records.iter().collect();
        current_level(policy, &refs, as_of)
    }

    const TODAY: Date = date!(2026 - 06 - 30);

    #[test]
    fn the_most_recent_manager_rating_wins() {
        let r = [
            rec(Source::Manager, Some(2), date!(2025 - 01 - 10), "m1"),
            rec(Source::Manager, Some(4), date!(2026 - 01 - 10), "m2"),
        ];
        let c = level(&CurrentLevelPolicy::default(), &r, TODAY);
        assert_eq!(c.level, Some(4));
        assert_eq!(c.basis[0].date, date!(2026 - 01 - 10));
    }

    #[test]
    fn a_test_wins_over_a_manager_on_the_same_date() {
        let d = date!(2026 - 03 - 01);
        for order in [[0, 1], [1, 0]] {
            let both = [
                rec(Source::Manager, Some(4), d, "m"),
                rec(Source::Test, Some(2), d, "exam"),
            ];
            let r = [both[order[0]].clone(), both[order[1]].clone()];
            let c = level(&CurrentLevelPolicy::default(), &r, TODAY);
            assert_eq!(c.level, Some(2));
            assert_eq!(c.basis[0].source, Source::Test);
        }
    }

    #[test]
    fn self_and_peer_never_set_the_level_but_are_shown() {
        let r = [
            rec(Source::SelfRating, Some(5), date!(2026 - 05 - 01), "p"),
            rec(Source::Peer, Some(4), date!(2026 - 05 - 02), "q"),
        ];
        let c = level(&CurrentLevelPolicy::default(), &r, TODAY);
        assert_eq!(c.level, None);
        assert_eq!(c.note.as_deref(), Some("no test or manager rating yet"));
        let shown: Vec<(Source, Option<u8>)> =
            c.beside.iter().map(|s| (s.source, s.level)).collect();
        assert_eq!(
            shown,
            [(Source::SelfRating, Some(5)), (Source::Peer, Some(4))]
        );
        let with_manager = [
            r[0].clone(),
            rec(Source::Manager, Some(2), date!(2026 - 01 - 01), "m"),
        ];
        let c = level(&CurrentLevelPolicy::default(), &with_manager, TODAY);
        assert_eq!(c.level, Some(2));
        assert_eq!(c.beside[0].level, Some(5));
    }

    #[test]
    fn not_observed_is_skipped_not_zero() {
        let r = [
            rec(Source::Manager, Some(3), date!(2025 - 01 - 01), "m"),
            rec(Source::Manager, None, date!(2026 - 01 - 01), "m"),
        ];
        assert_eq!(
            level(&CurrentLevelPolicy::default(), &r, TODAY).level,
            Some(3)
        );
        let only = [rec(Source::Manager, None, date!(2026 - 01 - 01), "m")];
        let c = level(&CurrentLevelPolicy::default(), &only, TODAY);
        assert_eq!(c.level, None);
        assert!(c.note.is_some_and(|n| n.contains("not observed")));
    }

    #[test]
    fn ratings_expire_after_the_months_given() {
        let policy = CurrentLevelPolicy {
            name: "one-year".into(),
            expire_after_months: Some(12),
            ..CurrentLevelPolicy::default()
        };
        let r = [rec(Source::Manager, Some(3), date!(2025 - 06 - 30), "m")];
        assert_eq!(level(&policy, &r, date!(2026 - 06 - 30)).level, Some(3));
        let c = level(&policy, &r, date!(2026 - 07 - 01));
        assert_eq!(c.level, None);
        assert!(c.note.is_some_and(|n| n.contains("too old")));
        assert_eq!(
            add_months(date!(2025 - 01 - 31), 1),
            Some(date!(2025 - 02 - 28))
        );
    }

    #[test]
    fn mean_weights_and_minimum_raters() {
        let r = [
            rec(Source::Manager, Some(3), date!(2026 - 01 - 01), "m"),
            rec(Source::Test, Some(4), date!(2025 - 01 - 01), "t"),
            rec(Source::Peer, Some(5), date!(2026 - 01 - 01), "q"),
        ];
        let mean = CurrentLevelPolicy {
            name: "mean".into(),
            method: Method::Mean,
            ..CurrentLevelPolicy::default()
        };
        // (3 + 4) / 2 = 3.5 rounds down to 3.
        assert_eq!(level(&mean, &r, TODAY).level, Some(3));
        let weighted = CurrentLevelPolicy {
            name: "weighted".into(),
            method: Method::Weighted,
            sources: vec![Source::Test, Source::Manager, Source::Peer],
            weights: BTreeMap::from([(Source::Test, 2.0), (Source::Peer, 0.0)]),
            ..CurrentLevelPolicy::default()
        };
        // (2·4 + 1·3) / 3 = 3.67 → 4.
        assert_eq!(level(&weighted, &r, TODAY).level, Some(4));
        let three = CurrentLevelPolicy {
            min_raters: 3,
            ..CurrentLevelPolicy::default()
        };
        assert_eq!(level(&three, &r, TODAY).level, None);
        assert!(three.describe().contains("At least 3 different raters"));
    }

    #[test]
    fn the_default_policy_says_what_it_does() {
        let text = CurrentLevelPolicy::default().describe();
        assert_eq!(
            text,
            "The most recent test or manager rating sets the current level (on the same date, the test rating wins). Self, peer and sme ratings are shown beside it and never set it. \"Not observed\" ratings are skipped."
        );
        assert!(CurrentLevelPolicy::default().check().is_ok());
        let bad = CurrentLevelPolicy {
            sources: Vec::new(),
            ..CurrentLevelPolicy::default()
        };
        assert_eq!(bad.check().map_err(|e| e.field), Err("sources"));
    }
}
