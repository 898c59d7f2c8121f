//! Calibration figures for a review cycle: how self ratings differ from manager ratings, how
//! each manager's ratings are spread against their unit's (leniency or severity), and how well
//! raters agree where several rated the same people (ICC and rwg from `framewright-stats`).

use std::collections::BTreeMap;

use framewright_stats::agreement::rwg;
use framewright_stats::data::Table;
use framewright_stats::icc::{IccType, icc};
use serde::Serialize;

use crate::record::{AssessmentRecord, Person, Source};

/// One person's self rating against their manager's on one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelfManager {
    /// The person.
    pub person: String,
    /// The competency.
    pub competency: String,
    /// Their most recent self rating.
    pub self_level: u8,
    /// The most recent manager rating.
    pub manager_level: u8,
    /// Self minus manager (positive: the person rates themselves higher).
    pub difference: i16,
}

/// Self against manager over everyone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfManagerSummary {
    /// Pairs compared.
    pub pairs: usize,
    /// The mean difference (self minus manager), when there are pairs.
    pub mean_difference: Option<f64>,
    /// Pairs where the self rating is higher.
    pub self_higher: usize,
    /// Pairs rated the same.
    pub same: usize,
    /// Pairs where the self rating is lower.
    pub self_lower: usize,
    /// Every pair.
    pub differences: Vec<SelfManager>,
}

/// One manager's ratings against their unit's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RaterDistribution {
    /// The manager (assessor).
    pub assessor: String,
    /// The unit of the people they rated ("" when none).
    pub unit: String,
    /// Ratings they gave.
    pub ratings: usize,
    /// Their mean rating.
    pub mean: f64,
    /// How many of their ratings fell on each level (index 0 = level 1).
    pub counts: Vec<usize>,
    /// The mean of every manager rating in the unit.
    pub unit_mean: f64,
    /// Their mean minus the unit's: above 0 rates more leniently, below more severely.
    pub difference: f64,
}

/// Agreement between raters who rated the same people on the same competencies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    /// Person × competency pairs with at least two raters.
    pub targets: usize,
    /// ICC(1): one-way, single rater, over the first two raters of each target (raters
    /// differ between targets); `None` when there are too few targets.
    pub icc1: Option<f64>,
    /// The mean rwg over the targets (agreement against random answers on the scale).
    pub mean_rwg: Option<f64>,
    /// Why a figure is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The calibration report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Self against manager.
    pub self_vs_manager: SelfManagerSummary,
    /// Each manager against their unit.
    pub managers: Vec<RaterDistribution>,
    /// Inter-rater agreement (manager, peer and SME ratings).
    pub agreement: Agreement,
}

type Key<'a> = (&'a str, &'a str);

/// The most recent level per (person, competency) from the ratings that pass `keep`, per rater.
fn latest<'a>(
    records: &'a [AssessmentRecord],
    keep: impl Fn(&AssessmentRecord) -> bool,
) -> BTreeMap<Key<'a>, BTreeMap<(Source, &'a str), &'a AssessmentRecord>> {
    let mut out: BTreeMap<Key<'a>, BTreeMap<(Source, &'a str), &'a AssessmentRecord>> =
        BTreeMap::new();
    for r in records
        .iter()
        .filter(|r| keep(r) && r.rating.level().is_some())
    {
        let raters = out
            .entry((r.person.as_str(), r.competency.as_str()))
            .or_default();
        let key = (r.source, r.assessor.as_deref().unwrap_or(""));
        match raters.get(&key) {
            Some(old) if old.date >= r.date => {}
            _ => {
                raters.insert(key, r);
            }
        }
    }
    out
}

/// The calibration report over `records`; `levels` is the number of levels on the scale.
pub fn calibration(people: &[Person], records: &[AssessmentRecord], levels: u8) -> Calibration {
    Calibration {
        self_vs_manager: self_vs_manager(records),
        managers: managers(people, records, levels),
        agreement: agreement(records, levels),
    }
}

fn newest<'a>(
    raters: &BTreeMap<(Source, &'a str), &'a AssessmentRecord>,
    source: Source,
) -> Option<u8> {
    raters
        .iter()
        .filter(|((s, _), _)| *s == source)
        .max_by_key(|(_, r)| r.date)
        .and_then(|(_, r)| r.rating.level())
}

fn self_vs_manager(records: &[AssessmentRecord]) -> SelfManagerSummary {
    let by = latest(records, |r| {
        matches!(r.source, Source::SelfRating | Source::Manager)
    });
    let mut differences = Vec::new();
    for ((person, competency), raters) in &by {
        if let (Some(s), Some(m)) = (
            newest(raters, Source::SelfRating),
            newest(raters, Source::Manager),
        ) {
            differences.push(SelfManager {
                person: person.to_string(),
                competency: competency.to_string(),
                self_level: s,
                manager_level: m,
                difference: i16::from(s) - i16::from(m),
            });
        }
    }
    let pairs = differences.len();
    let total: f64 = differences.iter().map(|d| f64::from(d.difference)).sum();
    SelfManagerSummary {
        pairs,
        mean_difference: (pairs > 0).then(|| total / pairs as f64),
        self_higher: differences.iter().filter(|d| d.difference > 0).count(),
        same: differences.iter().filter(|d| d.difference == 0).count(),
        self_lower: differences.iter().filter(|d| d.difference < 0).count(),
        differences,
    }
}

fn managers(people: &[Person], records: &[AssessmentRecord], levels: u8) -> Vec<RaterDistribution> {
    let unit_of: BTreeMap<&str, &str> = people
        .iter()
        .map(|p| (p.id.as_str(), p.unit.as_deref().unwrap_or("")))
        .collect();
    let mut per_rater: BTreeMap<&str, (String, Vec<u8>)> = BTreeMap::new();
    let mut per_unit: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for r in records.iter().filter(|r| r.source == Source::Manager) {
        let (Some(level), Some(assessor)) = (r.rating.level(), r.assessor.as_deref()) else {
            continue;
        };
        let unit = unit_of.get(r.person.as_str()).copied().unwrap_or("");
        per_unit.entry(unit).or_default().push(level);
        per_rater
            .entry(assessor)
            .or_insert_with(|| (unit.to_string(), Vec::new()))
            .1
            .push(level);
    }
    let mean = |v: &[u8]| v.iter().map(|l| f64::from(*l)).sum::<f64>() / v.len().max(1) as f64;
    per_rater
        .into_iter()
        .map(|(assessor, (unit, given))| {
            let unit_mean = per_unit.get(unit.as_str()).map_or(0.0, |v| mean(v));
            let mut counts = vec![0; usize::from(levels)];
            for l in &given {
                if let Some(c) = counts.get_mut(usize::from(*l).saturating_sub(1)) {
                    *c += 1;
                }
            }
            let m = mean(&given);
            RaterDistribution {
                assessor: assessor.to_string(),
                unit,
                ratings: given.len(),
                mean: m,
                counts,
                unit_mean,
                difference: m - unit_mean,
            }
        })
        .collect()
}

fn agreement(records: &[AssessmentRecord], levels: u8) -> Agreement {
    let by = latest(records, |r| {
        matches!(r.source, Source::Manager | Source::Peer | Source::Sme)
    });
    let mut pairs: Vec<Vec<f64>> = Vec::new();
    let mut rwgs: Vec<f64> = Vec::new();
    let mut targets = 0;
    for raters in by.values().filter(|r| r.len() >= 2) {
        targets += 1;
        let values: Vec<f64> = raters
            .values()
            .filter_map(|r| r.rating.level().map(f64::from))
            .collect();
        pairs.push(values[..2].to_vec());
        if let Ok(v) = rwg(&values, u32::from(levels)) {
            rwgs.push(v);
        }
    }
    let mut note = None;
    let icc1 = if pairs.len() < 2 {
        note = Some("fewer than two people were rated by two or more raters".to_string());
        None
    } else {
        match Table::from_complete_rows(Table::numbered_columns(2), &pairs)
            .and_then(|t| icc(&t, 0.95))
        {
            Ok(result) => result.get(IccType::Icc1).map(|e| e.value),
            Err(e) => {
                note = Some(format!("the agreement cannot be computed: {e}"));
                None
            }
        }
    };
    Agreement {
        targets,
        icc1,
        mean_rwg: (!rwgs.is_empty()).then(|| rwgs.iter().sum::<f64>() / rwgs.len() as f64),
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{person, rating};
    use time::macros::date;

    #[test]
    fn self_against_manager_leniency_and_agreement() {
        let d = date!(2026 - 01 - 01);
        let later = date!(2026 - 02 - 01);
        let people = [
            person("p", "junior", None, "U"),
            person("q", "junior", None, "U"),
            person("r", "junior", None, "U"),
        ];
        let s = Source::SelfRating;
        let m = Source::Manager;
        let records = [
            rating("p", "a", Some(4), s, "p", d),
            rating("p", "a", Some(2), m, "m1", d),
            rating("p", "a", Some(3), m, "m1", later),
            rating("q", "a", Some(2), s, "q", d),
            rating("q", "a", Some(2), m, "m1", d),
            rating("p", "b", Some(1), m, "m2", d),
            rating("q", "b", Some(3), m, "m2", d),
            rating("r", "a", Some(1), s, "r", d),
            rating("r", "a", None, m, "m2", d),
        ];
        let c = calibration(&people, &records, 4);
        // p/a: self 4 vs the newest manager 3 → +1; q/a: 2 vs 2 → 0; r/a: the manager did not
        // observe, so there is no pair.
        assert_eq!(c.self_vs_manager.pairs, 2);
        assert_eq!(c.self_vs_manager.self_higher, 1);
        assert_eq!(c.self_vs_manager.same, 1);
        assert_eq!(c.self_vs_manager.mean_difference, Some(0.5));
        // m1 gave 2, 3, 2 (mean 7/3); m2 gave 1, 3 (mean 2); the unit's five: 11/5.
        let m1 = &c.managers[0];
        assert_eq!(
            (m1.assessor.as_str(), m1.ratings, m1.counts.as_slice()),
            ("m1", 3, [0, 2, 1, 0].as_slice())
        );
        assert!((m1.difference - (7.0 / 3.0 - 11.0 / 5.0)).abs() < 1e-12);
        // Self ratings do not count for agreement, and every target here has one manager.
        assert_eq!(c.agreement.targets, 0);
        assert!(c.agreement.icc1.is_none() && c.agreement.note.is_some());
    }

    #[test]
    fn agreement_over_people_rated_by_two_raters() {
        let d = date!(2026 - 01 - 01);
        let m = Source::Manager;
        let p = Source::Peer;
        let mut records = Vec::new();
        for (who, first, second) in [("a", 1, 1), ("b", 2, 2), ("c", 3, 4), ("d", 4, 4)] {
            records.push(rating(who, "x", Some(first), m, "m", d));
            records.push(rating(who, "x", Some(second), p, "peer", d));
        }
        let c = calibration(&[], &records, 4);
        assert_eq!(c.agreement.targets, 4);
        let icc1 = c.agreement.icc1.unwrap_or(f64::NAN);
        assert!(icc1 > 0.8 && icc1 < 1.0, "{icc1}");
        // rwg: three targets agree fully (1), one differs by 1 (variance 0.5; 1 − 0.5/1.25 = 0.6).
        assert!((c.agreement.mean_rwg.unwrap_or(0.0) - 0.9).abs() < 1e-12);
    }
}
