//! Team and organisation figures from people's gaps: coverage per competency, people below,
//! the people × competencies and roles × competencies heatmaps, bench strength per role
//! profile, single points of failure and training priorities.
//!
//! Figures about groups smaller than a minimum (default 5) can be hidden
//! ([`AggregateOptions::suppress_small_groups`]): everyone but HR sees them that way.

use std::collections::{BTreeSet, HashMap, HashSet};

use framewright_model::Framework;
use serde::{Deserialize, Serialize};

use crate::career::{Readiness, band};
use crate::gap::{GapContext, GapStatus, PersonGaps};
use crate::policy::Ratings;
use crate::record::Person;

/// How aggregates are computed and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AggregateOptions {
    /// Groups smaller than this are hidden when suppression is on.
    pub min_group_size: usize,
    /// Hide figures about groups smaller than `min_group_size` and every named person (for
    /// anyone but HR).
    pub suppress_small_groups: bool,
}

impl Default for AggregateOptions {
    fn default() -> Self {
        AggregateOptions {
            min_group_size: 5,
            suppress_small_groups: false,
        }
    }
}

/// Coverage of one competency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The competency id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// People whose role targets it.
    pub targeted: usize,
    /// Of those, people with a current level.
    pub assessed: usize,
    /// Of the assessed, people at or above their target.
    pub meeting: usize,
    /// Of the assessed, people below their target.
    pub below: usize,
    /// `meeting / assessed`; `None` when nobody is assessed (or the group is hidden).
    pub coverage: Option<f64>,
    /// True when the figures are hidden because the group is small.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

/// One cell of the roles × competencies heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleCell {
    /// The competency id.
    pub competency: String,
    /// The role's target.
    pub target: u8,
    /// People in the role.
    pub people: usize,
    /// Of those, people assessed.
    pub assessed: usize,
    /// Of the assessed, people meeting the target.
    pub meeting: usize,
    /// The mean gap of the assessed (0 when all meet); `None` when nobody is assessed or hidden.
    pub mean_gap: Option<f64>,
    /// True when hidden because the group is small.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
}

/// One row of the roles × competencies heatmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleRow {
    /// The role profile id.
    pub role: String,
    /// Its title.
    pub title: String,
    /// One cell per target.
    pub cells: Vec<RoleCell>,
}

/// Who could fill a role profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bench {
    /// The role profile id.
    pub role: String,
    /// People who meet every target now.
    pub ready_now: Vec<String>,
    /// People at most one level below on any target.
    pub one_level: Vec<String>,
    /// People further away.
    pub further: Vec<String>,
    /// People with targets not assessed, who cannot be placed.
    pub not_assessed: Vec<String>,
}

/// A competency only one person in a unit meets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SinglePoint {
    /// The unit ("" when people have none).
    pub unit: String,
    /// The competency id.
    pub competency: String,
    /// The one person who meets it (hidden when suppressed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// People in the unit whose role targets it.
    pub targeted: usize,
}

/// A competency worth training for, by how far and how many are below.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Priority {
    /// The competency id.
    pub competency: String,
    /// Its name.
    pub name: String,
    /// People below their target.
    pub people_below: usize,
    /// Their total gap in levels.
    pub total_gap: u32,
    /// The priority: the sum over the people below of gap × target weight (average gap ×
    /// average weight × people affected).
    pub score: f64,
}

/// The team or organisation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamReport {
    /// People in the report.
    pub people: usize,
    /// The roles × competencies heatmap.
    pub roles: Vec<RoleRow>,
    /// Bench strength per role profile.
    pub bench: Vec<Bench>,
    /// Single points of failure.
    pub single_points: Vec<SinglePoint>,
    /// Training priorities, highest first.
    pub priorities: Vec<Priority>,
    /// The options used.
    pub options: AggregateOptions,
}

fn share(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The report over `gaps` (one entry per person, each against their own role).
pub fn team_report(
    ctx: &GapContext<'_>,
    people: &[Person],
    gaps: &[PersonGaps],
    ratings: &Ratings<'_>,
    options: AggregateOptions,
) -> TeamReport {
    let hide = hider(options);
    let roles = role_rows(ctx.framework, gaps, &hide);
    let bench = bench(ctx, people, ratings, options);
    let single_points = single_points(people, gaps, &hide, options.suppress_small_groups);
    let priorities = priorities(ctx.framework, gaps);
    TeamReport {
        people: gaps.len(),
        roles,
        bench,
        single_points,
        priorities,
        options,
    }
}

fn hider(options: AggregateOptions) -> impl Fn(usize) -> bool {
    move |n: usize| options.suppress_small_groups && n < options.min_group_size
}

/// Coverage per competency of `framework` over `gaps` (each person against their own role), in
/// the framework's order.
pub fn coverage(
    framework: &Framework,
    gaps: &[PersonGaps],
    options: AggregateOptions,
) -> Vec<Coverage> {
    let hide = hider(options);
    let mut counts: HashMap<&str, [usize; 4]> = HashMap::new();
    for g in gaps.iter().flat_map(|p| &p.gaps) {
        let c = counts.entry(g.competency.as_str()).or_default();
        c[0] += 1;
        if g.status != GapStatus::NotAssessed {
            c[1] += 1;
        }
        if g.status.meets_target() {
            c[2] += 1;
        }
        if g.status == GapStatus::Below {
            c[3] += 1;
        }
    }
    framework
        .competencies
        .iter()
        .map(|c| {
            let [targeted, assessed, meeting, below] =
                counts.get(c.id.as_str()).copied().unwrap_or_default();
            let suppressed = hide(assessed) && assessed > 0;
            let blank = |n: usize| if suppressed { 0 } else { n };
            Coverage {
                id: c.id.clone(),
                name: c.name.clone(),
                targeted,
                assessed,
                meeting: blank(meeting),
                below: blank(below),
                coverage: if suppressed {
                    None
                } else {
                    share(meeting, assessed)
                },
                suppressed,
            }
        })
        .collect()
}

fn role_rows(
    framework: &Framework,
    gaps: &[PersonGaps],
    hide: &dyn Fn(usize) -> bool,
) -> Vec<RoleRow> {
    framework
        .role_profiles
        .iter()
        .map(|role| {
            let members: Vec<&PersonGaps> = gaps.iter().filter(|p| p.role == role.id).collect();
            let cells = role
                .targets
                .iter()
                .map(|t| {
                    let of: Vec<_> = members
                        .iter()
                        .filter_map(|p| p.gaps.iter().find(|g| g.competency == t.competency))
                        .collect();
                    let assessed: Vec<u8> = of.iter().filter_map(|g| g.gap).collect();
                    let meeting = of.iter().filter(|g| g.status.meets_target()).count();
                    let suppressed = hide(members.len()) && !members.is_empty();
                    let mean = (!assessed.is_empty()).then(|| {
                        assessed.iter().map(|n| f64::from(*n)).sum::<f64>() / assessed.len() as f64
                    });
                    RoleCell {
                        competency: t.competency.clone(),
                        target: t.level,
                        people: members.len(),
                        assessed: assessed.len(),
                        meeting: if suppressed { 0 } else { meeting },
                        mean_gap: if suppressed { None } else { mean },
                        suppressed,
                    }
                })
                .collect();
            RoleRow {
                role: role.id.clone(),
                title: role.title.clone(),
                cells,
            }
        })
        .collect()
}

fn bench(
    ctx: &GapContext<'_>,
    people: &[Person],
    ratings: &Ratings<'_>,
    options: AggregateOptions,
) -> Vec<Bench> {
    let roles = &ctx.framework.role_profiles;
    let mut benches: Vec<Bench> = roles
        .iter()
        .map(|role| Bench {
            role: role.id.clone(),
            ready_now: Vec::new(),
            one_level: Vec::new(),
            further: Vec::new(),
            not_assessed: Vec::new(),
        })
        .collect();
    if options.suppress_small_groups {
        return benches;
    }
    // Every person's current level on every competency some role needs, worked out once.
    let needed: BTreeSet<&str> = roles
        .iter()
        .flat_map(|r| r.targets.iter().map(|t| t.competency.as_str()))
        .collect();
    let mut levels: Vec<(&str, Option<u8>)> = Vec::with_capacity(needed.len());
    for person in people {
        levels.clear();
        levels.extend(needed.iter().map(|c| {
            let level = ratings
                .current_with(ctx.policy, &person.id, c, ctx.as_of, false)
                .level;
            (*c, level)
        }));
        let level_of = |c: &str| levels.iter().find(|(id, _)| *id == c).and_then(|(_, l)| *l);
        for (role, b) in roles.iter().zip(benches.iter_mut()) {
            let list = match band(role, level_of) {
                Readiness::ReadyNow => &mut b.ready_now,
                Readiness::OneLevel => &mut b.one_level,
                Readiness::Further => &mut b.further,
                Readiness::NotAssessed => &mut b.not_assessed,
            };
            list.push(person.id.clone());
        }
    }
    benches
}

fn single_points(
    people: &[Person],
    gaps: &[PersonGaps],
    hide: &dyn Fn(usize) -> bool,
    suppress: bool,
) -> Vec<SinglePoint> {
    let unit_of: HashMap<&str, &str> = people
        .iter()
        .map(|p| (p.id.as_str(), p.unit.as_deref().unwrap_or("")))
        .collect();
    // (unit, competency) → (people targeted, people meeting: the first, and how many)
    let mut cells: HashMap<(&str, &str), (usize, Option<&str>, usize)> = HashMap::new();
    let mut unit_sizes: HashMap<&str, HashSet<&str>> = HashMap::new();
    for p in gaps {
        let unit = unit_of.get(p.id.as_str()).copied().unwrap_or("");
        unit_sizes.entry(unit).or_default().insert(p.id.as_str());
        for g in &p.gaps {
            let e = cells.entry((unit, g.competency.as_str())).or_default();
            e.0 += 1;
            if g.status.meets_target() {
                e.1.get_or_insert(p.id.as_str());
                e.2 += 1;
            }
        }
    }
    // ((unit, competency), (people targeted, the one person meeting))
    type Cell<'a> = ((&'a str, &'a str), (usize, &'a str));
    let mut cells: Vec<Cell<'_>> = cells
        .into_iter()
        .filter_map(|(key, (targeted, first, meeting))| match first {
            Some(person) if targeted > 1 && meeting == 1 => Some((key, (targeted, person))),
            _ => None,
        })
        .collect();
    cells.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    cells
        .into_iter()
        .filter(|((unit, _), _)| !hide(unit_sizes.get(unit).map_or(0, HashSet::len)))
        .map(|((unit, competency), (targeted, person))| SinglePoint {
            unit: unit.to_string(),
            competency: competency.to_string(),
            person: (!suppress).then(|| person.to_string()),
            targeted,
        })
        .collect()
}

fn priorities(framework: &Framework, gaps: &[PersonGaps]) -> Vec<Priority> {
    let mut by: HashMap<&str, (usize, u32, f64)> = HashMap::new();
    for g in gaps.iter().flat_map(|p| &p.gaps) {
        if let (GapStatus::Below, Some(n)) = (g.status, g.gap) {
            let e = by.entry(g.competency.as_str()).or_default();
            e.0 += 1;
            e.1 += u32::from(n);
            e.2 += f64::from(n) * g.weight;
        }
    }
    let mut out: Vec<Priority> = by
        .into_iter()
        .map(|(id, (people_below, total_gap, score))| Priority {
            competency: id.to_string(),
            name: framework
                .competency(id)
                .map_or_else(|| id.to_string(), |c| c.name.clone()),
            people_below,
            total_gap,
            score,
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.people_below.cmp(&a.people_below))
            .then(a.competency.cmp(&b.competency))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::{MonthsPerLevel, person_gaps};
    use crate::policy::CurrentLevelPolicy;
    use crate::record::{AssessmentRecord, Source};
    use crate::testing::{framework, person, rating};
    use time::macros::date;

    fn report(
        people: &[Person],
        records: &[AssessmentRecord],
        options: AggregateOptions,
    ) -> (Vec<Coverage>, TeamReport) {
        let f = framework();
        let policy = CurrentLevelPolicy::default();
        let ctx = GapContext {
            framework: &f,
            policy: &policy,
            as_of: date!(2026 - 06 - 30),
            months: MonthsPerLevel::default(),
            detail: true,
        };
        let ratings = Ratings::new(records);
        let gaps: Vec<PersonGaps> = people
            .iter()
            .map(|p| {
                let role = f
                    .role_profiles
                    .iter()
                    .find(|r| r.id == p.role)
                    .unwrap_or(&f.role_profiles[0]);
                person_gaps(&ctx, p, role, &ratings)
            })
            .collect();
        (
            coverage(&f, &gaps, options),
            team_report(&ctx, people, &gaps, &ratings, options),
        )
    }

    #[test]
    fn coverage_bench_single_points_and_priorities() {
        let d = date!(2026 - 01 - 01);
        let people = [
            person("j1", "junior", Some("s1"), "U"),
            person("j2", "junior", Some("s1"), "U"),
            person("j3", "junior", Some("s1"), "U"),
            person("s1", "senior", None, "U"),
        ];
        let m = Source::Manager;
        let records = [
            rating("j1", "a", Some(2), m, "s1", d),
            rating("j1", "b", Some(1), m, "s1", d),
            rating("j2", "a", Some(1), m, "s1", d),
            rating("j2", "b", Some(1), m, "s1", d),
            rating("j3", "a", None, m, "s1", d),
            rating("s1", "a", Some(3), m, "boss", d),
            rating("s1", "b", Some(3), m, "boss", d),
            rating("s1", "c", Some(3), m, "boss", d),
        ];
        let (cov, team) = report(&people, &records, AggregateOptions::default());
        // a: targeted 4, assessed 3 (j3 not observed), meeting j1 and s1.
        assert_eq!(
            (
                cov[0].targeted,
                cov[0].assessed,
                cov[0].meeting,
                cov[0].below
            ),
            (4, 3, 2, 1)
        );
        assert_eq!(cov[0].coverage, Some(2.0 / 3.0));
        // c: only s1's role needs it.
        assert_eq!((cov[2].targeted, cov[2].coverage), (1, Some(1.0)));
        // Bench for senior: s1 ready now; j1 (a 2→3, b meets, c not assessed) cannot be placed.
        let senior = &team.bench[1];
        assert_eq!(senior.ready_now, ["s1"]);
        assert_eq!(senior.not_assessed, ["j1", "j2", "j3"]);
        // Bench for junior: s1 ready; j1 one level (b 1→2); j2 one level; j3 not assessed.
        let junior = &team.bench[0];
        assert_eq!(junior.ready_now, ["s1"]);
        assert_eq!(junior.one_level, ["j1", "j2"]);
        // b is met only by s1 in unit U among four people whose role needs it.
        let b: Vec<&SinglePoint> = team
            .single_points
            .iter()
            .filter(|s| s.competency == "b")
            .collect();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].person.as_deref(), Some("s1"));
        // Priorities: b (j1 1 + j2 1, weight 1) = 2 before a (j2 1 × 1) = 1.
        let order: Vec<(&str, f64)> = team
            .priorities
            .iter()
            .map(|p| (p.competency.as_str(), p.score))
            .collect();
        assert_eq!(order, [("b", 2.0), ("a", 1.0)]);
        // Hidden below five people: coverage figures and names go.
        let hidden = AggregateOptions {
            min_group_size: 5,
            suppress_small_groups: true,
        };
        let (cov, team) = report(&people, &records, hidden);
        assert!(cov[0].suppressed && cov[0].coverage.is_none() && cov[0].meeting == 0);
        assert!(team.bench[0].ready_now.is_empty());
        assert!(team.single_points.is_empty());
        assert!(team.roles[0].cells[0].suppressed);
    }
}
