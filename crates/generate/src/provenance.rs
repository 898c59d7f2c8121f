//! How the framework was made, for its provenance: the method in plain words (what the
//! suggestions drew on, how many competencies were chosen, what the targets rest on, which
//! competencies were left out and why, what the interview covers), the numbers behind it for
//! the "details", and the left-out competencies as data with the score the selection compared
//! them by — the same final score (suggestion score plus task-coverage bonus) as the chosen
//! ones, so the provenance never shows a left-out competency outscoring a chosen one.

use std::collections::BTreeSet;

use framewright_model::{LeftOut, Role, framework::CompetencySource};

use crate::Inputs;
use crate::explain::{MappingUsed, and_list, quote, words};
use crate::select::{Candidate, Chosen, Omission, Selection, confirmed_left_out};
use crate::settings::LevelPair;

/// How many runners-up per group are named besides those OPM confirms at the grade.
const RUNNERS_UP: usize = 3;

/// Lines of the method that other steps write: the closest O*NET occupations (after the
/// suggestions line) and the interview guide's sentence (last).
pub(crate) struct Added {
    pub onet: Option<String>,
    pub interview: String,
}

/// The provenance's method, details and left-out competencies.
pub(crate) struct Made {
    pub method: String,
    pub details: Vec<String>,
    pub left_out: Vec<LeftOut>,
}

/// The provenance of a generated framework.
pub(crate) fn made(
    role: &Role,
    inputs: &Inputs<'_>,
    candidates: &[Candidate<'_>],
    selection: &Selection,
    mapping: &MappingUsed<'_>,
    pair: LevelPair,
    added: Added,
) -> Made {
    let mut method = vec![suggestions(role, inputs)];
    method.extend(added.onet);
    method.extend([
        format!(
            "Selection: {} core (general) and {} functional competencies, those the role's words, similar roles and OPM's table support most first, each of the role's tasks backed by a competency where one fits, never two that overlap.",
            words(selection.core.len()),
            words(selection.functional.len())
        ),
        format!(
            "Targets: {} asks at {} for level {} of core and level {} of functional competencies.",
            if mapping.builtin {
                "Framewright's default grade → level mapping"
            } else {
                "your grade → level mapping"
            },
            mapping.entry,
            pair.core,
            pair.functional
        ),
    ]);
    let details = details(inputs, candidates, selection, mapping, pair);
    let mut left_out = Vec::new();
    for omission in &selection.omissions {
        let (i, reason) = match omission {
            Omission::Excluded { candidate } => {
                (*candidate, "Excluded at your request.".to_string())
            }
            Omission::Overlap {
                candidate,
                chosen,
                reason,
            } => (
                *candidate,
                format!(
                    "It has {reason} as the chosen {}, so the two would overlap.",
                    candidates[*chosen].competency.name
                ),
            ),
        };
        method.push(format!(
            "Left out: {}. {reason}",
            candidates[i].competency.name
        ));
        left_out.push(entry(&candidates[i], reason, None));
    }
    for core in [true, false] {
        let group = Group::new(core, selection);
        let (lines, entries) = group.left_out(role, candidates, selection);
        method.extend(lines);
        left_out.extend(entries);
    }
    method.push(added.interview);
    Made {
        method: method.join("\n"),
        details,
        left_out,
    }
}

/// What the suggestions drew on, in words.
fn suggestions(role: &Role, inputs: &Inputs<'_>) -> String {
    let catalogues: Vec<&str> = inputs.catalogues.iter().map(|c| c.name.as_str()).collect();
    let mut parts = vec!["the role's title".to_string()];
    if role.description.is_some() {
        parts.push("description".to_string());
    }
    match role.tasks.len() {
        0 => {}
        1 => parts.push("its task".to_string()),
        n => parts.push(format!("its {} tasks", words(n))),
    }
    let from = and_list(&parts);
    let references = inputs.reference_roles.len()
        + inputs
            .catalogues
            .iter()
            .map(|c| c.reference_roles.len())
            .sum::<usize>();
    let mut out = format!(
        "Suggestions: the competencies of {} whose names and definitions match the words of {from}",
        and_list(&catalogues)
    );
    if references > 0 {
        out.push_str(", and those that similar known roles need");
    }
    match role.grade {
        Some(grade) => out.push_str(&format!(
            "; OPM's grade table at {grade} and its importance ranks decide between competencies the words support about equally."
        )),
        None => out.push_str("; OPM's importance ranks decide between competencies the words support about equally."),
    }
    out
}

/// The numbers of the method, for the details.
fn details(
    inputs: &Inputs<'_>,
    candidates: &[Candidate<'_>],
    selection: &Selection,
    mapping: &MappingUsed<'_>,
    pair: LevelPair,
) -> Vec<String> {
    let catalogues: Vec<String> = inputs
        .catalogues
        .iter()
        .map(|c| {
            format!(
                "{} ({}, {} competencies)",
                c.name,
                c.id,
                c.competencies.len()
            )
        })
        .collect();
    let p = &inputs.selection.priors;
    let c = &inputs.selection.count;
    let mut out = vec![
        format!(
            "Suggestion engine: {} over {}.",
            inputs.ranker.describe(),
            catalogues.join(", ")
        ),
        format!(
            "Priors added to the suggestion score: core +{:.2} if confirmed (X) at the grade, + {:.2} × (31 − best importance rank) ÷ 30; functional +{:.2}, + {:.2} × the same factor.",
            p.core.confirmed_at_grade,
            p.core.importance_rank,
            p.functional.confirmed_at_grade,
            p.functional.importance_rank
        ),
        format!(
            "Final score = suggestion score + task-coverage bonus per task no competency chosen before covers: core {:.2}, functional {:.2}; the highest final score is chosen next.",
            c.core_task_coverage_bonus, c.task_coverage_bonus
        ),
        format!(
            "Grade → level mapping: {}, entry {}: core level {}, functional level {}.",
            mapping.file, mapping.entry, pair.core, pair.functional
        ),
    ];
    for core in [true, false] {
        let group = Group::new(core, selection);
        if let Some((score, name)) = group.lowest(candidates) {
            out.push(format!(
                "Lowest final score chosen, {}: {score:.2} ({name}).",
                group.label
            ));
        }
    }
    out
}

/// One group's chosen competencies, as the left-out ones are compared with them.
struct Group<'s> {
    core: bool,
    label: &'static str,
    /// Chosen by score (not included), with their final scores.
    picked: Vec<(usize, f64)>,
    selection: &'s Selection,
}

impl<'s> Group<'s> {
    fn new(core: bool, selection: &'s Selection) -> Self {
        let chosen: &[Chosen] = if core {
            &selection.core
        } else {
            &selection.functional
        };
        Group {
            core,
            label: if core { "core" } else { "functional" },
            picked: chosen
                .iter()
                .filter(|c| !c.included)
                .filter_map(|c| {
                    selection
                        .final_scores
                        .get(&c.candidate)
                        .map(|s| (c.candidate, *s))
                })
                .collect(),
            selection,
        }
    }

    /// The lowest final score among the chosen, with the competency's name.
    fn lowest<'c>(&self, candidates: &'c [Candidate<'_>]) -> Option<(f64, &'c str)> {
        self.picked
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|&(i, s)| (s, candidates[i].competency.name.as_str()))
    }

    /// The method's lines about this group's left-out competencies (those OPM confirms at the
    /// grade, then the runners-up), and the entries for the provenance's data.
    fn left_out(
        &self,
        role: &Role,
        candidates: &[Candidate<'_>],
        selection: &Selection,
    ) -> (Vec<String>, Vec<LeftOut>) {
        let confirmed: BTreeSet<usize> = confirmed_left_out(role, candidates, selection)
            .into_iter()
            .filter(|&i| candidates[i].is_core() == self.core)
            .collect();
        let mut scored: Vec<(usize, f64)> = selection
            .final_scores
            .iter()
            .filter(|(i, _)| candidates[**i].is_core() == self.core && !selection.is_chosen(**i))
            .map(|(i, s)| (*i, *s))
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let runners: Vec<usize> = scored
            .iter()
            .map(|(i, _)| *i)
            .filter(|i| !confirmed.contains(i))
            .take(RUNNERS_UP)
            .collect();
        let listed: Vec<(usize, f64)> = scored
            .iter()
            .copied()
            .filter(|(i, _)| confirmed.contains(i) || runners.contains(i))
            .collect();
        let entries: Vec<LeftOut> = listed
            .iter()
            .map(|&(i, s)| {
                let reason = self.reason(i, role, candidates, confirmed.contains(&i));
                entry(&candidates[i], reason, Some(s))
            })
            .collect();
        let mut lines = Vec::new();
        let names = |set: &dyn Fn(usize) -> bool| -> Vec<&str> {
            listed
                .iter()
                .filter(|(i, _)| set(*i))
                .map(|(i, _)| candidates[*i].competency.name.as_str())
                .collect()
        };
        let confirmed_names = names(&|i| confirmed.contains(&i));
        if let (Some(grade), false) = (role.grade, confirmed_names.is_empty()) {
            let first = listed
                .iter()
                .map(|(i, _)| *i)
                .filter(|i| confirmed.contains(i))
                .collect::<Vec<usize>>();
            lines.push(format!(
                "Left out although OPM confirms them at {grade} ({} {}): {}. {} Add any of them with --include if the job analysis shows the role needs it.",
                words(confirmed_names.len()),
                self.label,
                and_list(&confirmed_names),
                self.why_not_all(&first, candidates, role)
            ));
        }
        let runner_names = names(&|i| runners.contains(&i));
        if let Some(&first) = runners.first() {
            lines.push(format!(
                "Next in line among the other {} competencies: {}. {}",
                self.label,
                and_list(&runner_names),
                self.why_not(first, candidates, role)
            ));
        }
        (lines, entries)
    }

    /// Why the candidates `left` lost, one sentence per distinct reason: "For A and B: X came
    /// first because … For the others: the role's words point more strongly to …".
    fn why_not_all(&self, left: &[usize], candidates: &[Candidate<'_>], role: &Role) -> String {
        let mut reasons: Vec<(String, Vec<&str>)> = Vec::new();
        for &i in left {
            let why = self.why_not(i, candidates, role);
            let name = candidates[i].competency.name.as_str();
            match reasons.iter_mut().find(|(r, _)| *r == why) {
                Some((_, names)) => names.push(name),
                None => reasons.push((why, vec![name])),
            }
        }
        if reasons.len() <= 1 {
            return reasons.pop().map(|(r, _)| r).unwrap_or_default();
        }
        // The most common reason is told last, for "the others".
        let most = reasons
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.1.len().cmp(&b.1.1.len()).then(b.0.cmp(&a.0)))
            .map_or(0, |(k, _)| k);
        let common = reasons.remove(most);
        let mut out: Vec<String> = reasons
            .into_iter()
            .map(|(why, names)| format!("For {}: {why}", and_list(&names)))
            .collect();
        out.push(format!("For the others: {}", lower_first(&common.0)));
        out.join(" ")
    }

    /// Why candidate `i` lost, as one sentence naming what it lost to.
    fn why_not(&self, i: usize, candidates: &[Candidate<'_>], role: &Role) -> String {
        if self.picked.is_empty() {
            return format!(
                "The {} competencies you asked for filled the group.",
                self.label
            );
        }
        let x = &candidates[i];
        // Chosen ones it outscored before the task bonus: they won by backing a task.
        let by_task: Vec<usize> = self
            .picked
            .iter()
            .map(|(c, _)| *c)
            .filter(|&c| candidates[c].score() < x.score())
            .collect();
        if !by_task.is_empty() {
            let names: Vec<&str> = by_task
                .iter()
                .map(|&c| candidates[c].competency.name.as_str())
                .collect();
            let task = by_task
                .iter()
                .find_map(|c| self.selection.covered.get(c).and_then(|t| t.first()))
                .and_then(|&t| role.tasks.get(t));
            let (verb, what) = if names.len() == 1 {
                ("backs", "a task")
            } else {
                ("back", "tasks")
            };
            return format!(
                "{} came first because {} {verb} {what} of the role that no other chosen competency covers{}.",
                and_list(&names),
                if names.len() == 1 { "it" } else { "they" },
                task.map_or(String::new(), |t| format!(" ({})", quote(t)))
            );
        }
        // Chosen ones with less support from the role's words: OPM's table and ranks won.
        let by_priors: Vec<&str> = self
            .picked
            .iter()
            .filter(|(c, _)| candidates[*c].evidence_score() < x.evidence_score())
            .map(|(c, _)| candidates[*c].competency.name.as_str())
            .collect();
        if !by_priors.is_empty() {
            return format!(
                "OPM's grade table and importance ranks favour {}.",
                and_list(&last_two(&by_priors))
            );
        }
        let mut nearest: Vec<(usize, f64)> = self.picked.clone();
        nearest.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let names: Vec<&str> = nearest
            .iter()
            .take(2)
            .map(|(c, _)| candidates[*c].competency.name.as_str())
            .collect();
        format!(
            "The role's words point more strongly to {}, the last {} competencies chosen.",
            and_list(&names),
            self.label
        )
    }

    /// The reason recorded for one left-out competency.
    fn reason(
        &self,
        i: usize,
        role: &Role,
        candidates: &[Candidate<'_>],
        confirmed: bool,
    ) -> String {
        let why = self.why_not(i, candidates, role);
        match (confirmed, role.grade) {
            (true, Some(grade)) => {
                format!("OPM confirms it at {grade}, but it was not chosen. {why}")
            }
            _ => why,
        }
    }
}

/// "The role's …" → "the role's …"; a reason that starts with a name keeps it.
fn lower_first(sentence: &str) -> String {
    match sentence.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => sentence.to_string(),
    }
}

/// At most the last two of a list (the ones nearest the cut).
fn last_two<'a>(names: &[&'a str]) -> Vec<&'a str> {
    names[names.len().saturating_sub(2)..].to_vec()
}

/// A left-out entry for the provenance's data.
fn entry(candidate: &Candidate<'_>, reason: String, final_score: Option<f64>) -> LeftOut {
    LeftOut {
        name: candidate.competency.name.clone(),
        source: CompetencySource {
            catalogue: candidate.catalogue.id.clone(),
            id: candidate.competency.id.clone(),
            uri: None,
        },
        group: if candidate.is_core() {
            "core"
        } else {
            "functional"
        }
        .to_string(),
        reason,
        final_score: final_score.map(|s| (s * 10_000.0).round() / 10_000.0),
    }
}
