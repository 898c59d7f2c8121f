//! Career paths: what changes from one role profile to another (a ladder step or a move), a
//! person's readiness for a role, and succession candidates for a key role.

use framewright_model::{Framework, RoleProfile};
use serde::Serialize;

use crate::gap::{GapContext, GapStatus, NextLevel, PersonGaps, next_levels, person_gaps};
use crate::policy::Ratings;
use crate::record::Person;

/// How ready a person is for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// Every target met.
    ReadyNow,
    /// At most one level below on any target.
    OneLevel,
    /// More than one level below somewhere.
    Further,
    /// Some targets are not assessed.
    NotAssessed,
}

/// A person's readiness for a role, with the gaps behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleReadiness {
    /// The band.
    pub band: Readiness,
    /// The sum of gap × weight over the assessed targets.
    pub weighted_gap: f64,
    /// Targets not assessed.
    pub not_assessed: usize,
    /// The gaps against the role.
    pub gaps: PersonGaps,
}

/// `person`'s readiness for `role`.
pub fn readiness(
    ctx: &GapContext<'_>,
    person: &Person,
    role: &RoleProfile,
    ratings: &Ratings<'_>,
) -> RoleReadiness {
    let gaps = person_gaps(ctx, person, role, ratings);
    let not_assessed = gaps
        .gaps
        .iter()
        .filter(|g| g.status == GapStatus::NotAssessed)
        .count();
    let ready = band(role, |c| {
        gaps.gaps
            .iter()
            .find(|g| g.competency == c)
            .and_then(|g| g.current)
    });
    RoleReadiness {
        band: ready,
        weighted_gap: gaps.weighted_gap(),
        not_assessed,
        gaps,
    }
}

/// The readiness band for `role` of someone whose current level on a competency is
/// `current(competency)`.
pub fn band(role: &RoleProfile, current: impl Fn(&str) -> Option<u8>) -> Readiness {
    let mut largest = 0;
    for t in &role.targets {
        match current(&t.competency) {
            None => return Readiness::NotAssessed,
            Some(c) => largest = largest.max(t.level.saturating_sub(c)),
        }
    }
    match largest {
        0 => Readiness::ReadyNow,
        1 => Readiness::OneLevel,
        _ => Readiness::Further,
    }
}

/// A succession candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The person's id.
    pub person: String,
    /// Their name.
    pub name: String,
    /// Their current role.
    pub current_role: String,
    /// Their readiness for the key role.
    pub readiness: Readiness,
    /// Total weighted gap (lower is closer).
    pub weighted_gap: f64,
    /// Targets not assessed.
    pub not_assessed: usize,
}

/// Candidates for `role` among `people` (except those already in it), ranked by readiness band
/// and then total weighted gap, closest first.
pub fn succession(
    ctx: &GapContext<'_>,
    role: &RoleProfile,
    people: &[Person],
    ratings: &Ratings<'_>,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = people
        .iter()
        .filter(|p| p.role != role.id)
        .map(|p| {
            let r = readiness(ctx, p, role, ratings);
            Candidate {
                person: p.id.clone(),
                name: p.name.clone(),
                current_role: p.role.clone(),
                readiness: r.band,
                weighted_gap: r.weighted_gap,
                not_assessed: r.not_assessed,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.readiness
            .cmp(&b.readiness)
            .then(a.weighted_gap.total_cmp(&b.weighted_gap))
            .then(a.person.cmp(&b.person))
    });
    out
}

/// A competency the new role adds or drops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleCompetencyChange {
    /// The competency id.
    pub competency: String,
    /// Its name.
    pub name: String,
    /// The target level (in the role that has it).
    pub target: u8,
    /// Its weight there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// For an added competency: the indicators of every level up to the target.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<NextLevel>,
}

/// A competency both roles have, with a different target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetChange {
    /// The competency id.
    pub competency: String,
    /// Its name.
    pub name: String,
    /// The target in the first role.
    pub from: u8,
    /// The target in the second role.
    pub to: u8,
    /// For a higher target: the indicators of the levels to reach.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<NextLevel>,
}

/// What changes from role A to role B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleChange {
    /// Role A's id.
    pub from: String,
    /// Role A's title.
    pub from_title: String,
    /// Role B's id.
    pub to: String,
    /// Role B's title.
    pub to_title: String,
    /// Competencies B needs that A does not.
    pub added: Vec<RoleCompetencyChange>,
    /// Competencies A needs that B does not.
    pub removed: Vec<RoleCompetencyChange>,
    /// Competencies both need at different levels.
    pub changed: Vec<TargetChange>,
    /// Competencies both need at the same level.
    pub unchanged: Vec<String>,
}

/// A role profile id that the framework does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the framework has no role profile `{id}` (it has: {known})")]
pub struct UnknownRole {
    /// The id asked for.
    pub id: String,
    /// The framework's role profile ids, comma-separated.
    pub known: String,
}

/// The role profile `id` of `framework`.
pub fn role<'a>(framework: &'a Framework, id: &str) -> Result<&'a RoleProfile, UnknownRole> {
    framework
        .role_profiles
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| UnknownRole {
            id: id.to_string(),
            known: framework
                .role_profiles
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

fn levels_between(framework: &Framework, competency: &str, from: u8, to: u8) -> Vec<NextLevel> {
    next_levels(framework, competency, from, to)
}

fn name_of(framework: &Framework, id: &str) -> String {
    framework
        .competency(id)
        .map_or_else(|| id.to_string(), |c| c.name.clone())
}

/// What changes from role `from` to role `to` of `framework`.
pub fn role_change(framework: &Framework, from: &str, to: &str) -> Result<RoleChange, UnknownRole> {
    let a = role(framework, from)?;
    let b = role(framework, to)?;
    let mut change = RoleChange {
        from: a.id.clone(),
        from_title: a.title.clone(),
        to: b.id.clone(),
        to_title: b.title.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        unchanged: Vec::new(),
    };
    for t in &b.targets {
        match a.targets.iter().find(|x| x.competency == t.competency) {
            None => change.added.push(RoleCompetencyChange {
                competency: t.competency.clone(),
                name: name_of(framework, &t.competency),
                target: t.level,
                weight: t.weight,
                levels: levels_between(framework, &t.competency, 0, t.level),
            }),
            Some(old) if old.level == t.level => change.unchanged.push(t.competency.clone()),
            Some(old) => change.changed.push(TargetChange {
                competency: t.competency.clone(),
                name: name_of(framework, &t.competency),
                from: old.level,
                to: t.level,
                levels: levels_between(framework, &t.competency, old.level, t.level),
            }),
        }
    }
    for t in &a.targets {
        if !b.targets.iter().any(|x| x.competency == t.competency) {
            change.removed.push(RoleCompetencyChange {
                competency: t.competency.clone(),
                name: name_of(framework, &t.competency),
                target: t.level,
                weight: t.weight,
                levels: Vec::new(),
            });
        }
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::MonthsPerLevel;
    use crate::policy::CurrentLevelPolicy;
    use crate::record::Source;
    use crate::testing::{framework, person, rating};
    use time::macros::date;

    #[test]
    fn what_changes_from_junior_to_senior() {
        let f = framework();
        let c = role_change(&f, "junior", "senior").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.added.len(), 1);
        assert_eq!(c.added[0].competency, "c");
        assert_eq!(c.added[0].levels.len(), 3);
        assert_eq!(c.changed[0].competency, "a");
        assert_eq!((c.changed[0].from, c.changed[0].to), (2, 3));
        assert_eq!(
            c.changed[0].levels[0].indicators,
            ["To reach Advanced, show that you do a at 3."]
        );
        assert_eq!(c.unchanged, ["b"]);
        let back = role_change(&f, "senior", "junior").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.removed[0].competency, "c");
        assert!(back.changed[0].levels.is_empty());
        let e = role_change(&f, "junior", "chief").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the framework has no role profile `chief` (it has: junior, senior)"
        );
    }

    #[test]
    fn succession_ranks_by_band_then_weighted_gap() {
        let f = framework();
        let policy = CurrentLevelPolicy::default();
        let ctx = GapContext {
            framework: &f,
            policy: &policy,
            as_of: date!(2026 - 06 - 30),
            months: MonthsPerLevel::default(),
            detail: true,
        };
        let d = date!(2026 - 01 - 01);
        let m = Source::Manager;
        let people = [
            person("x", "junior", None, "U"),
            person("y", "junior", None, "U"),
            person("z", "junior", None, "U"),
        ];
        let records = [
            // x: a 2 (gap 1 × 1), b 1 (gap 1 × 0.5), c 3 → one level, 1.5
            rating("x", "a", Some(2), m, "m", d),
            rating("x", "b", Some(1), m, "m", d),
            rating("x", "c", Some(3), m, "m", d),
            // y: a 3, b 2, c 2 (gap 1 × 1) → one level, 1.0
            rating("y", "a", Some(3), m, "m", d),
            rating("y", "b", Some(2), m, "m", d),
            rating("y", "c", Some(2), m, "m", d),
            // z: a 1 (gap 2) → further
            rating("z", "a", Some(1), m, "m", d),
            rating("z", "b", Some(2), m, "m", d),
            rating("z", "c", Some(3), m, "m", d),
        ];
        let ratings = Ratings::new(&records);
        let senior = role(&f, "senior").unwrap_or_else(|e| panic!("{e}"));
        let ranked = succession(&ctx, senior, &people, &ratings);
        let order: Vec<(&str, Readiness, f64)> = ranked
            .iter()
            .map(|c| (c.person.as_str(), c.readiness, c.weighted_gap))
            .collect();
        assert_eq!(
            order,
            [
                ("y", Readiness::OneLevel, 1.0),
                ("x", Readiness::OneLevel, 1.5),
                ("z", Readiness::Further, 2.0)
            ]
        );
    }
}
