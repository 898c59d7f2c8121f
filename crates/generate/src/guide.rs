//! The interview guide: a structured interview asks about the most important competencies of
//! the role, not all of them — 6 to 8 by default (`[interview]` in
//! `data/generator/selection.toml`). They are chosen by their weight in the role profile (ties:
//! the framework's order, which is the selection order), with at least one core competency.
//! The other competencies stay in the framework without questions; the guide says they are
//! assessed otherwise.

use std::collections::BTreeSet;

use framewright_model::{FrameworkCompetency, Target};

use crate::explain::{and_list, words};
use crate::settings::InterviewSettings;

/// How many competencies the interview covers for a framework of `n`: all up to `min`, else
/// about two thirds, between `min` and `max`.
pub(crate) fn count(n: usize, settings: &InterviewSettings) -> usize {
    if n <= settings.min {
        return n;
    }
    n.saturating_mul(2)
        .div_ceil(3)
        .clamp(settings.min, settings.max)
        .min(n)
}

/// The indexes (into `competencies`) of the competencies the interview covers.
pub(crate) fn choose(
    competencies: &[FrameworkCompetency],
    targets: &[Target],
    settings: &InterviewSettings,
) -> BTreeSet<usize> {
    let weight = |i: usize| {
        targets
            .iter()
            .find(|t| t.competency == competencies[i].id)
            .and_then(|t| t.weight)
            .unwrap_or(0.0)
    };
    let mut order: Vec<usize> = (0..competencies.len()).collect();
    // Heaviest first; the stable sort keeps the selection order among equals.
    order.sort_by(|&a, &b| weight(b).total_cmp(&weight(a)));
    let k = count(competencies.len(), settings);
    let mut chosen: Vec<usize> = order[..k].to_vec();
    let has_core = chosen.iter().any(|&i| competencies[i].kind.is_core());
    if !has_core
        && let Some(&core) = order[k..].iter().find(|&&i| competencies[i].kind.is_core())
        && let Some(last) = chosen.last_mut()
    {
        *last = core;
    }
    chosen.into_iter().collect()
}

/// Removes the interview questions (and the note that they are template drafts) of the
/// competencies the interview does not cover.
pub(crate) fn keep_only(
    competencies: &mut [FrameworkCompetency],
    interviewed: &BTreeSet<usize>,
    template_note: &str,
) {
    for (i, c) in competencies.iter_mut().enumerate() {
        if !interviewed.contains(&i) {
            c.interview.clear();
            c.notes.retain(|n| n != template_note);
        }
    }
}

/// The provenance's sentence about the guide: which competencies it covers and that the rest
/// are assessed otherwise.
pub(crate) fn describe(
    competencies: &[FrameworkCompetency],
    interviewed: &BTreeSet<usize>,
) -> String {
    let names = |inside: bool| -> Vec<&str> {
        competencies
            .iter()
            .enumerate()
            .filter(|(i, _)| interviewed.contains(i) == inside)
            .map(|(_, c)| c.name.as_str())
            .collect()
    };
    let (asked, other) = (names(true), names(false));
    if other.is_empty() {
        return format!(
            "Interview guide: two structured questions for each of the {} competencies.",
            words(asked.len())
        );
    }
    format!(
        "Interview guide: a structured interview asks about the {} most important competencies for this role (by their weight in the role profile): {}. Assess the other {} ({}) another way, for example with a work sample, the application or references.",
        words(asked.len()),
        and_list(&asked),
        words(other.len()),
        and_list(&other)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_to_eight_competencies_are_interviewed() {
        let settings = InterviewSettings::default();
        let counts: Vec<usize> = (1..=12).map(|n| count(n, &settings)).collect();
        assert_eq!(counts, [1, 2, 3, 4, 5, 6, 6, 6, 6, 7, 8, 8]);
    }
}
