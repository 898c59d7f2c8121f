//! Selection: from the ranked candidates of every catalogue to the 6–12 competencies of the
//! framework — 3–5 core (general) and 3–7 functional — honouring the role's includes and
//! excludes, never two that lint would call overlapping, and recording what was left out and
//! why.

use std::collections::{BTreeMap, BTreeSet};

use framewright_model::lint::LintLimits;
use framewright_model::{Catalogue, Competency, GradeMark, Role, text};

use crate::error::GenerateError;
use crate::rank::ScoredCandidate;
use crate::settings::SelectionSettings;

/// One competency the generator could choose, with its evidence.
#[derive(Debug, Clone)]
pub(crate) struct Candidate<'a> {
    /// Position of its catalogue in the input.
    pub catalogue_index: usize,
    /// Its catalogue.
    pub catalogue: &'a Catalogue,
    /// The competency as the catalogue publishes it.
    pub competency: &'a Competency,
    /// What the ranker found; `None` when the ranker found no evidence at all.
    pub evidence: Option<ScoredCandidate>,
}

impl Candidate<'_> {
    pub fn score(&self) -> f64 {
        self.evidence.as_ref().map_or(0.0, |e| e.score)
    }

    /// The score without the caller's priors: the evidence of the role's text and of
    /// reference roles alone.
    pub fn evidence_score(&self) -> f64 {
        self.evidence.as_ref().map_or(0.0, |e| {
            (e.score - e.prior.as_ref().map_or(0.0, |p| p.value)).max(0.0)
        })
    }

    pub fn is_core(&self) -> bool {
        self.competency.kind.is_core()
    }
}

/// A chosen competency.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chosen {
    /// Index into the candidate list.
    pub candidate: usize,
    /// Whether the role asked for it.
    pub included: bool,
}

/// Why a candidate that could have been chosen was not.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Omission {
    /// The role excluded it.
    Excluded { candidate: usize },
    /// It overlaps a chosen competency.
    Overlap {
        candidate: usize,
        chosen: usize,
        reason: String,
    },
}

/// The outcome of selection.
#[derive(Debug, Clone)]
pub(crate) struct Selection {
    /// Chosen core competencies, best first.
    pub core: Vec<Chosen>,
    /// Chosen functional competencies, best first.
    pub functional: Vec<Chosen>,
    /// Candidates left out for a reason worth telling.
    pub omissions: Vec<Omission>,
    /// Messages for the user (counts that could not be met, …).
    pub notices: Vec<String>,
    /// The score the selection compared each candidate by: for a chosen one, its score plus
    /// the task-coverage bonus when it was picked; for one still in its group's pool when the
    /// group was full, its score plus the bonus it would have had then. Greedy picking makes
    /// the second never higher than the first within a group, so a provenance built from these
    /// numbers cannot show a left-out competency outscoring a chosen one.
    pub final_scores: BTreeMap<usize, f64>,
    /// The role's tasks (0-based) each chosen candidate covered that nothing chosen before it
    /// covered.
    pub covered: BTreeMap<usize, Vec<usize>>,
}

impl Selection {
    pub fn is_chosen(&self, candidate: usize) -> bool {
        self.core
            .iter()
            .chain(&self.functional)
            .any(|c| c.candidate == candidate)
    }
}

/// Whether two competencies overlap by lint's rule: the same name, the same definition, or
/// definitions similar enough for lint's `overlap-similar` warning. Returns the reason.
pub(crate) fn overlap(a: &Competency, b: &Competency, limits: &LintLimits) -> Option<String> {
    if text::normalise(&a.name) == text::normalise(&b.name) {
        return Some("the same name".to_string());
    }
    let (Some(da), Some(db)) = (&a.definition, &b.definition) else {
        return None;
    };
    let (na, nb) = (text::normalise(da), text::normalise(db));
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    if na == nb {
        return Some("the same definition".to_string());
    }
    let similarity = text::similarity(da, db);
    (similarity >= limits.overlap_similarity).then(|| {
        format!(
            "nearly the same definition ({:.0} % of words shared)",
            similarity * 100.0
        )
    })
}

/// Finds the candidate a user's include/exclude key names: an id, a name or an alternative
/// label (case-insensitive), in the first catalogue that has it.
pub(crate) fn resolve(
    candidates: &[Candidate<'_>],
    catalogues: &[Catalogue],
    key: &str,
    option: &'static str,
) -> Result<usize, GenerateError> {
    for catalogue in catalogues {
        if let Some(found) = catalogue.find(key)
            && let Some(i) = candidates
                .iter()
                .position(|c| std::ptr::eq(c.competency, found))
        {
            return Ok(i);
        }
    }
    let best = candidates
        .iter()
        .map(|c| (closeness(key, &c.competency.name), &c.competency.name))
        .filter(|(s, _)| *s >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)));
    Err(GenerateError::UnknownCompetency {
        option,
        key: key.to_string(),
        catalogues: catalogues
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        hint: best.map_or(String::new(), |(_, name)| {
            format!(", did you mean \"{name}\"?")
        }),
    })
}

/// How close a user's key is to a competency name, 0 … 1: the better of shared words and of
/// spelling (1 − edit distance ÷ length), so that both "data analyses" and "Teamwrok" find
/// their competency.
fn closeness(key: &str, name: &str) -> f64 {
    let (a, b) = (text::normalise(key), text::normalise(name));
    let longest = a.chars().count().max(b.chars().count());
    let spelling = if longest == 0 {
        0.0
    } else {
        1.0 - text::edit_distance(&a, &b) as f64 / longest as f64
    };
    text::similarity(key, name).max(spelling)
}

/// How many core and functional competencies a target count asks for: about two fifths core
/// (3 … 5), the rest functional (3 … 7).
pub(crate) fn split(target: usize) -> (usize, usize) {
    let mut core = ((target as f64) * 0.4).round() as usize;
    core = core.clamp(3, 5);
    let mut functional = target.saturating_sub(core);
    if functional > 7 {
        core += functional - 7;
        functional = 7;
    }
    (core, functional)
}

/// Selects from `candidates` (sorted best first) for `role`.
pub(crate) fn select(
    role: &Role,
    candidates: &[Candidate<'_>],
    catalogues: &[Catalogue],
    settings: &SelectionSettings,
    limits: &LintLimits,
) -> Result<Selection, GenerateError> {
    let (included, excluded) = includes_and_excludes(role, candidates, catalogues, limits)?;
    let eligible = |i: usize| !excluded.contains(&i);
    let core_pool: Vec<usize> = (0..candidates.len())
        .filter(|&i| candidates[i].is_core() && eligible(i))
        .collect();
    let functional_pool: Vec<usize> = (0..candidates.len())
        .filter(|&i| !candidates[i].is_core() && eligible(i))
        .collect();
    let mut notices = Vec::new();
    let (core_n, functional_n) = quotas(
        role,
        candidates,
        settings,
        [&core_pool, &functional_pool],
        &included,
        &mut notices,
    );

    // Fill: included first, then best first per group, skipping overlaps.
    let mut fill = Fill {
        candidates,
        limits,
        chosen_all: included.clone(),
        omissions: excluded
            .iter()
            .map(|&candidate| Omission::Excluded { candidate })
            .collect(),
        notices,
        final_scores: BTreeMap::new(),
        covered: BTreeMap::new(),
    };
    let mut core: Vec<Chosen> = Vec::new();
    let mut functional: Vec<Chosen> = Vec::new();
    for &i in &included {
        let chosen = Chosen {
            candidate: i,
            included: true,
        };
        if candidates[i].is_core() {
            core.push(chosen);
        } else {
            functional.push(chosen);
        }
    }
    fill.group(
        &core_pool,
        &mut core,
        core_n,
        settings.count.core_task_coverage_bonus,
    );
    fill.group(
        &functional_pool,
        &mut functional,
        functional_n,
        settings.count.task_coverage_bonus,
    );
    // Best first within each group, included ones by their own score.
    let by_rank = |a: &Chosen, b: &Chosen| a.candidate.cmp(&b.candidate);
    core.sort_by(by_rank);
    functional.sort_by(by_rank);
    Ok(Selection {
        core,
        functional,
        omissions: fill.omissions,
        notices: fill.notices,
        final_scores: fill.final_scores,
        covered: fill.covered,
    })
}

/// The candidates the role includes and excludes, each once, in the role's order. Fails when
/// a key names nothing, when a competency is both included and excluded, or when two included
/// competencies overlap.
fn includes_and_excludes(
    role: &Role,
    candidates: &[Candidate<'_>],
    catalogues: &[Catalogue],
    limits: &LintLimits,
) -> Result<(Vec<usize>, Vec<usize>), GenerateError> {
    let mut included: Vec<usize> = Vec::new();
    for key in &role.include {
        let i = resolve(candidates, catalogues, key, "include")?;
        if !included.contains(&i) {
            included.push(i);
        }
    }
    let mut excluded: Vec<usize> = Vec::new();
    for key in &role.exclude {
        let i = resolve(candidates, catalogues, key, "exclude")?;
        if included.contains(&i) {
            return Err(GenerateError::IncludedAndExcluded(
                candidates[i].competency.name.clone(),
            ));
        }
        if !excluded.contains(&i) {
            excluded.push(i);
        }
    }
    for (n, &a) in included.iter().enumerate() {
        for &b in &included[n + 1..] {
            if let Some(reason) =
                overlap(candidates[a].competency, candidates[b].competency, limits)
            {
                return Err(GenerateError::OverlappingIncludes {
                    first: candidates[a].competency.name.clone(),
                    second: candidates[b].competency.name.clone(),
                    reason,
                });
            }
        }
    }
    Ok((included, excluded))
}

/// How many core and functional competencies to choose: the role's target count split, or
/// by default as many functional ones as have clear evidence; moved between the groups when a
/// pool is too small, and raised to the included ones. Explains each adjustment in `notices`.
fn quotas(
    role: &Role,
    candidates: &[Candidate<'_>],
    settings: &SelectionSettings,
    [core_pool, functional_pool]: [&Vec<usize>; 2],
    included: &[usize],
    notices: &mut Vec<String>,
) -> (usize, usize) {
    let (mut core_n, mut functional_n) = match role.target_count {
        Some(target) => split(target),
        None => {
            // Clear evidence is the role's own (text and reference roles), not OPM's priors
            // (they would count the same technical competencies for every role), and it is
            // measured against the role's best evidence in either group: a policy or leadership
            // role whose words point mostly to general competencies gets the minimum of
            // functional ones, not every technical competency that shares a word with it.
            let (default_core, default_functional_max) =
                settings.default_counts(settings.role_types.classify(role));
            let best = core_pool
                .iter()
                .chain(functional_pool)
                .map(|&i| candidates[i].evidence_score())
                .fold(0.0, f64::max);
            let evidenced = functional_pool
                .iter()
                .filter(|&&i| {
                    let s = candidates[i].evidence_score();
                    s > 0.0 && s >= settings.count.evidence_share * best
                })
                .count();
            (default_core, evidenced.clamp(3, default_functional_max))
        }
    };
    let wanted_total = core_n + functional_n;
    if core_pool.len() < core_n {
        let deficit = core_n - core_pool.len();
        core_n = core_pool.len();
        let ceiling = if role.target_count.is_some() {
            usize::MAX
        } else {
            7
        };
        functional_n = (functional_n + deficit).min(ceiling);
        notices.push(format!(
            "the catalogues offer only {} core (general) competencies; the framework has more functional ones instead",
            core_pool.len()
        ));
    }
    if functional_pool.len() < functional_n {
        let deficit = functional_n - functional_pool.len();
        functional_n = functional_pool.len();
        core_n += deficit;
        notices.push(format!(
            "the catalogues offer only {} functional competencies; the framework has more core ones instead",
            functional_pool.len()
        ));
    }
    let included_core = included
        .iter()
        .filter(|&&i| candidates[i].is_core())
        .count();
    let included_functional = included.len() - included_core;
    core_n = core_n.max(included_core);
    functional_n = functional_n.max(included_functional);
    if core_n + functional_n > wanted_total.max(12) {
        notices.push(format!(
            "the included competencies make the framework {} strong; 6–12 is the usual range",
            core_n + functional_n
        ));
    }
    (core_n, functional_n)
}

/// The state of filling the groups: what is chosen so far (in either group), what was left
/// out and why, and the notices.
struct Fill<'c, 'a> {
    candidates: &'c [Candidate<'a>],
    limits: &'c LintLimits,
    chosen_all: Vec<usize>,
    omissions: Vec<Omission>,
    notices: Vec<String>,
    final_scores: BTreeMap<usize, f64>,
    covered: BTreeMap<usize, Vec<usize>>,
}

impl Fill<'_, '_> {
    /// Fills `group` from `pool` up to `quota`: greedy by score plus a bonus for each task the
    /// candidate covers that nothing chosen so far covers (with no tasks, or a zero bonus, this
    /// is plain score order), skipping candidates that overlap a chosen one.
    fn group(&mut self, pool: &[usize], group: &mut Vec<Chosen>, quota: usize, bonus: f64) {
        let candidates = self.candidates;
        let mut remaining: Vec<usize> = pool.to_vec();
        let covered_by = |chosen: &[usize]| -> BTreeSet<usize> {
            chosen
                .iter()
                .flat_map(|&c| covered_tasks(&candidates[c]))
                .collect()
        };
        let gain = |i: usize, covered: &BTreeSet<usize>| {
            let new = covered_tasks(&candidates[i]).difference(covered).count();
            candidates[i].score() + bonus * new as f64
        };
        while group.len() < quota && !remaining.is_empty() {
            let covered = covered_by(&self.chosen_all);
            let gain = |i: usize| gain(i, &covered);
            let (at, _) =
                remaining
                    .iter()
                    .enumerate()
                    .fold((0usize, f64::NEG_INFINITY), |best, (k, &i)| {
                        let g = gain(i);
                        // Ties keep the earlier (better-ranked) candidate.
                        if g > best.1 { (k, g) } else { best }
                    });
            let i = remaining.remove(at);
            if self.chosen_all.contains(&i) {
                continue;
            }
            let clash = self.chosen_all.iter().find_map(|&c| {
                overlap(
                    candidates[i].competency,
                    candidates[c].competency,
                    self.limits,
                )
                .map(|reason| (c, reason))
            });
            if let Some((chosen, reason)) = clash {
                self.omissions.push(Omission::Overlap {
                    candidate: i,
                    chosen,
                    reason,
                });
                continue;
            }
            self.final_scores.insert(i, gain(i));
            self.covered.insert(
                i,
                covered_tasks(&candidates[i])
                    .difference(&covered)
                    .copied()
                    .collect(),
            );
            self.chosen_all.push(i);
            group.push(Chosen {
                candidate: i,
                included: false,
            });
        }
        // What the candidates still in the pool would have scored once the group was full.
        let covered = covered_by(&self.chosen_all);
        for &i in &remaining {
            if !self.chosen_all.contains(&i) {
                self.final_scores.insert(i, gain(i, &covered));
            }
        }
        if group.len() < quota {
            self.notices.push(format!(
                "only {} competencies of this kind could be chosen without overlaps or exclusions (wanted {quota})",
                group.len()
            ));
        }
    }
}

/// The role's tasks (0-based) that a candidate covers: tasks that name it (see `naming.rs`),
/// and tasks with two different words anywhere in it.
fn covered_tasks(candidate: &Candidate<'_>) -> BTreeSet<usize> {
    let Some(evidence) = &candidate.evidence else {
        return BTreeSet::new();
    };
    let mut words_per_task: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out: BTreeSet<usize> = evidence.named_by.iter().copied().collect();
    let task_of = |source: &String| {
        source
            .strip_prefix("task ")
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1))
    };
    for term in &evidence.matches {
        for task in term.sources.iter().filter_map(task_of) {
            *words_per_task.entry(task).or_default() += 1;
            if words_per_task[&task] >= 2 {
                out.insert(task);
            }
        }
    }
    out
}

/// OPM competencies confirmed (X) at the role's grade that were not chosen and not otherwise
/// accounted for, best first.
pub(crate) fn confirmed_left_out(
    role: &Role,
    candidates: &[Candidate<'_>],
    selection: &Selection,
) -> Vec<usize> {
    let Some(grade) = role.grade else {
        return Vec::new();
    };
    (0..candidates.len())
        .filter(|&i| candidates[i].competency.grade_mark(grade) == Some(GradeMark::Confirmed))
        .filter(|&i| !selection.is_chosen(i))
        .filter(|&i| {
            !selection.omissions.iter().any(|o| match o {
                Omission::Excluded { candidate } | Omission::Overlap { candidate, .. } => {
                    *candidate == i
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_counts_split_into_core_and_functional_within_the_ranges() {
        for target in 6..=12 {
            let (core, functional) = split(target);
            assert_eq!(core + functional, target);
            assert!((3..=5).contains(&core), "{target}: {core}");
            assert!((3..=7).contains(&functional), "{target}: {functional}");
        }
    }

    #[test]
    fn typos_are_close_to_the_name_they_meant() {
        assert_eq!(text::edit_distance("teamwrok", "teamwork"), 2);
        assert_eq!(text::edit_distance("", "abc"), 3);
        assert!(closeness("Teamwrok", "Teamwork") >= 0.7);
        assert!(closeness("data analyses", "Data Analysis") >= 0.7);
        assert!(closeness("Cooking", "Teamwork") < 0.5);
    }

    #[test]
    fn reading_and_reading_comprehension_overlap() {
        let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        let reading = opm.find("reading").unwrap();
        let comprehension = opm.find("reading-comprehension").unwrap();
        let reason = overlap(reading, comprehension, &LintLimits::default()).unwrap();
        assert_eq!(reason, "the same definition");
        let teamwork = opm.find("teamwork").unwrap();
        assert_eq!(overlap(reading, teamwork, &LintLimits::default()), None);
    }
}
