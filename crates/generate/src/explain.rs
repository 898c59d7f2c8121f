//! Explanations: the rationale of each chosen competency (which words of the role matched,
//! which reference roles need it, which grade-table cell and ranks OPM gives it, where it comes
//! from), the note of each target, and the selection notes of the whole framework.

use std::fmt::Write as _;

use framewright_model::{Grade, GradeMark, ImportanceRank};

use crate::rank::MatchedTerm;
use crate::select::Candidate;
use crate::settings::{LevelPair, WeightSettings};

/// Semantic similarity from which the rationale cites it as evidence.
const SEMANTIC_EVIDENCE: f64 = 0.3;

/// Where a chosen competency stands in its group.
pub(crate) struct Standing<'a> {
    /// "core" or "functional".
    pub group: &'a str,
    /// 1-based position in its group.
    pub position: usize,
    /// Size of its group.
    pub of: usize,
    /// Whether the role asked for it.
    pub included: bool,
}

/// The rationale of a chosen competency, citing its evidence: how it was chosen, what OPM's
/// grade table and ranks say, which words of the role matched, which similar roles need it,
/// and where it comes from.
pub(crate) fn rationale(
    candidate: &Candidate<'_>,
    standing: &Standing<'_>,
    grade: Option<Grade>,
) -> String {
    let competency = candidate.competency;
    let evidence = candidate.evidence.as_ref();
    let matches = evidence.map_or(&[][..], |e| e.matches.as_slice());
    let text_evidence = !matches.is_empty();
    let reference_evidence = evidence.is_some_and(|e| !e.reference_roles.is_empty());
    let semantic = evidence
        .and_then(|e| e.semantic)
        .filter(|s| *s >= SEMANTIC_EVIDENCE);
    let mut out = String::new();
    if standing.included {
        let _ = write!(
            out,
            "Included at your request ({} competency {} of {}).",
            standing.group, standing.position, standing.of
        );
    } else {
        let _ = write!(
            out,
            "Chosen as {} competency {} of {} (suggestion score {:.2}).",
            standing.group,
            standing.position,
            standing.of,
            candidate.score()
        );
    }
    if let Some(grade) = grade {
        let why = Evidence {
            text: text_evidence.then(|| evidence.map_or(0.0, |e| e.text_score)),
            reference: reference_evidence,
            semantic,
        };
        grade_sentence(&mut out, candidate, standing, grade, &why);
    }
    if let Some(rank) = competency.importance_rank {
        let _ = write!(out, " OPM importance rank: {}.", describe_rank(rank));
    }
    if text_evidence {
        let shown: Vec<String> = matches.iter().take(5).map(describe_match).collect();
        let more = matches.len().saturating_sub(5);
        let _ = write!(out, " The role's text matches it: {}", shown.join("; "));
        if more > 0 {
            let _ = write!(out, "; and {more} more");
        }
        out.push('.');
    }
    if let Some(e) = evidence.filter(|e| !e.reference_roles.is_empty()) {
        let named: Vec<String> = e
            .reference_roles
            .iter()
            .take(3)
            .map(|r| format!("{} (similarity {:.2})", r.title, r.similarity))
            .collect();
        let _ = write!(
            out,
            " Similar roles need it: {} of the {} most similar reference roles, such as {}.",
            e.reference_roles.len(),
            e.reference_consulted,
            named.join(", ")
        );
    }
    if let Some(s) = semantic {
        let _ = write!(
            out,
            " Its meaning is close to the role's text (semantic similarity {s:.2})."
        );
    }
    let onet = evidence.and_then(|e| e.onet.as_ref());
    if let Some(e) = onet {
        out.push(' ');
        out.push_str(&crate::onet::sentence(e));
    }
    if !text_evidence
        && !reference_evidence
        && semantic.is_none()
        && onet.is_none()
        && !standing.included
    {
        out.push_str(" No word of the role matched it; it was chosen on the grade table and ranks alone, so check it against the role's tasks.");
    }
    let _ = write!(
        out,
        " Source: {}, competency id “{}”.",
        candidate.catalogue.name, competency.id
    );
    out
}

/// What evidence a chosen competency has besides the grade table.
struct Evidence {
    /// The text relevance, when the role's words matched it.
    text: Option<f64>,
    /// Whether similar reference roles need it.
    reference: bool,
    /// The semantic similarity, when high enough to count.
    semantic: Option<f64>,
}

/// What OPM's grade table says about the competency at `grade`; a competency added against the
/// table says why.
fn grade_sentence(
    out: &mut String,
    candidate: &Candidate<'_>,
    standing: &Standing<'_>,
    grade: Grade,
    why: &Evidence,
) {
    let competency = candidate.competency;
    match competency.grade_mark(grade) {
        Some(GradeMark::Confirmed) => {
            let _ = write!(
                out,
                " OPM's grade table confirms it (X) for selection at {grade}."
            );
        }
        Some(GradeMark::NotRated) => {
            let because = if standing.included {
                "you asked for it".to_string()
            } else if let Some(text_score) = why.text {
                format!("the role's own words point to it (text relevance {text_score:.2})")
            } else if why.reference {
                "similar roles need it".to_string()
            } else if let Some(s) = why.semantic {
                format!("its meaning is close to the role's text (semantic similarity {s:.2})")
            } else {
                format!(
                    "the framework needed another {} competency and it scored highest of those left",
                    standing.group
                )
            };
            let _ = write!(
                out,
                " OPM's grade table does not rate it (NR) at {grade}; it is added against the table because {because}: confirm it in the job analysis."
            );
        }
        None if !competency.grades.is_empty() => {
            let _ = write!(
                out,
                " OPM's grade table has no cell for it at {grade} (it covers {}).",
                covered(competency)
            );
        }
        None if is_opm_like(candidate) => {
            let _ = write!(
                out,
                " OPM's grade tables have no row for it, so nothing confirms or rules it out at {grade}."
            );
        }
        None => {}
    }
}

/// “word” (title, task 2) in its name — sources that are synonyms are named only when the role
/// did not use the word itself.
fn describe_match(m: &MatchedTerm) -> String {
    let direct: Vec<&str> = m
        .sources
        .iter()
        .map(String::as_str)
        .filter(|s| !s.starts_with("synonym of"))
        .collect();
    let sources = if direct.is_empty() {
        m.sources.join(", ")
    } else {
        direct.join(", ")
    };
    let fields = if m.fields.is_empty() {
        String::new()
    } else {
        format!(" in its {}", m.fields.join(" and "))
    };
    format!("“{}” ({sources}){fields}", m.word)
}

fn covered(competency: &framewright_model::Competency) -> String {
    let grades: Vec<String> = competency.grades.keys().map(ToString::to_string).collect();
    match (grades.first(), grades.last()) {
        (Some(first), Some(last)) if first != last => format!("{first} to {last} only"),
        (Some(only), _) => format!("{only} only"),
        _ => "no grade".to_string(),
    }
}

/// Whether the candidate's catalogue has OPM-style grade tables at all.
fn is_opm_like(candidate: &Candidate<'_>) -> bool {
    candidate
        .catalogue
        .competencies
        .iter()
        .any(|c| !c.grades.is_empty())
}

/// "4 now, 3 in three years", with "not ranked" for NR.
pub(crate) fn describe_rank(rank: ImportanceRank) -> String {
    let show = |r: Option<u32>| r.map_or("not ranked".to_string(), |r| r.to_string());
    format!(
        "{} now, {} in three years",
        show(rank.current),
        show(rank.future)
    )
}

/// The rank factor of the weight formula: (31 − best rank) ÷ 30, 0 when unranked.
pub(crate) fn rank_factor(rank: Option<ImportanceRank>) -> f64 {
    let best = rank.and_then(|r| match (r.current, r.future) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    });
    best.map_or(0.0, |r| (31.0 - f64::from(r.min(31))) / 30.0)
}

/// A computed target: level, weight and the note that explains both.
pub(crate) struct TargetValue {
    pub level: u8,
    pub weight: f64,
    pub note: String,
}

/// The target of a chosen competency; `best_in_group` is the best evidence score (without
/// priors) of its group.
#[allow(clippy::too_many_arguments)]
pub(crate) fn target(
    candidate: &Candidate<'_>,
    core: bool,
    best_in_group: f64,
    pair: LevelPair,
    mapping_entry: &str,
    mapping_file: &str,
    level_name: Option<&str>,
    weights: &WeightSettings,
    grade: Option<Grade>,
) -> TargetValue {
    let level = pair.for_group(core);
    let relevance = if best_in_group > 0.0 {
        (candidate.evidence_score() / best_in_group).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let confirmed =
        grade.is_some_and(|g| candidate.competency.grade_mark(g) == Some(GradeMark::Confirmed));
    let rank = rank_factor(candidate.competency.importance_rank);
    let raw = weights.base
        + weights.relevance * relevance
        + if confirmed { weights.confirmed } else { 0.0 }
        + weights.rank * rank;
    let weight = (raw.clamp(0.0, 1.0) * 100.0).round() / 100.0;
    let group = if core { "core" } else { "functional" };
    let name = level_name.map_or(String::new(), |n| format!(" ({n})"));
    let mut note = format!(
        "Level {level}{name}: the level {mapping_file} sets for {group} competencies at {mapping_entry}. Weight {weight:.2} = base {:.2} + {:.2} × relevance {relevance:.2}",
        weights.base, weights.relevance
    );
    if confirmed {
        let _ = write!(note, " + {:.2} (confirmed at the grade)", weights.confirmed);
    }
    if rank > 0.0 {
        let _ = write!(note, " + {:.2} × rank factor {rank:.2}", weights.rank);
    }
    note.push('.');
    TargetValue {
        level,
        weight,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_factor_runs_from_one_at_rank_one_to_zero_unranked() {
        let r = |c, f| {
            Some(ImportanceRank {
                current: c,
                future: f,
            })
        };
        assert_eq!(rank_factor(r(Some(1), Some(5))), 1.0);
        assert!((rank_factor(r(None, Some(16))) - 0.5).abs() < 1e-12);
        assert_eq!(rank_factor(r(None, None)), 0.0);
        assert_eq!(rank_factor(None), 0.0);
        assert_eq!(
            describe_rank(ImportanceRank {
                current: None,
                future: Some(15)
            }),
            "not ranked now, 15 in three years"
        );
    }
}
