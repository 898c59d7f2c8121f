//! Explanations: the rationale of each chosen competency and the note of each target, in plain
//! words for the people who read the framework (what OPM says about it, which of the role's
//! words and tasks point to it, which similar roles need it), and the same evidence as data
//! with its numbers (scores, matched words, grade cell, similarity) for the JSON and the
//! "details" of documents.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use framewright_model::{
    Evidence as EvidenceData, EvidenceMatch, EvidenceOnet, EvidenceReference, Grade, GradeMark,
    ImportanceRank, Role,
};

use crate::rank::MatchedTerm;
use crate::select::Candidate;
use crate::settings::{LevelPair, WeightSettings};

/// Semantic similarity from which the rationale cites it as evidence.
const SEMANTIC_EVIDENCE: f64 = 0.3;

/// The longest task quoted in a rationale, in characters; longer ones are cut at a word.
const QUOTE_LIMIT: usize = 90;

/// Where a chosen competency stands in its group, and what the selection made of it.
pub(crate) struct Standing<'a> {
    /// "core" or "functional".
    pub group: &'a str,
    /// 1-based position in its group.
    pub position: usize,
    /// Size of its group.
    pub of: usize,
    /// Whether the role asked for it.
    pub included: bool,
    /// The score the selection compared it by (score plus task-coverage bonus), when it was
    /// picked rather than included.
    pub final_score: Option<f64>,
    /// The role's tasks (0-based) it covered that nothing chosen before it covered.
    pub covered: &'a [usize],
    /// What the selection settings add for a task that names a competency of its group.
    pub naming_bonus: Option<f64>,
}

/// The rationale of a chosen competency in plain words: whether the role asked for it, what
/// OPM's ranks and grade table say, which of the role's words and tasks point to it, which
/// similar roles need it, and where it comes from. No scores: those are in [`evidence`].
pub(crate) fn rationale(candidate: &Candidate<'_>, standing: &Standing<'_>, role: &Role) -> String {
    let evidence = candidate.evidence.as_ref();
    let matches = evidence.map_or(&[][..], |e| e.matches.as_slice());
    let text_evidence = !matches.is_empty();
    let reference_evidence = evidence.is_some_and(|e| !e.reference_roles.is_empty());
    let semantic = evidence
        .and_then(|e| e.semantic)
        .filter(|s| *s >= SEMANTIC_EVIDENCE);
    let why = Support {
        text: text_evidence,
        reference: reference_evidence,
        semantic: semantic.is_some(),
    };
    let mut sentences: Vec<String> = Vec::new();
    if standing.included {
        sentences.push("You asked for it.".to_string());
    }
    if let Some(opm) = opm_sentence(candidate, standing, role.grade, &why) {
        sentences.push(opm);
    }
    let named_by = evidence.map_or(&[][..], |e| e.named_by.as_slice());
    if let Some(naming) = naming_sentence(named_by, role) {
        sentences.push(naming);
    } else if let Some(words) = words_sentence(matches, standing.covered, role) {
        sentences.push(words);
    } else if text_evidence {
        sentences.push("Forms of your role's words appear in its name or definition.".to_string());
    } else if let Some(&task) = standing.covered.first()
        && let Some(text) = role.tasks.get(task)
    {
        sentences.push(format!(
            "It backs your task {}, which no competency chosen before it covers.",
            quote(text)
        ));
    }
    if let Some(e) = evidence.filter(|e| !e.reference_roles.is_empty()) {
        let named: Vec<&str> = e
            .reference_roles
            .iter()
            .take(2)
            .map(|r| r.title.as_str())
            .collect();
        sentences.push(format!(
            "Roles like this one need it: {} of the {} most similar reference roles, such as {}.",
            e.reference_roles.len(),
            e.reference_consulted.max(e.reference_roles.len()),
            and_list(&named)
        ));
    }
    if semantic.is_some() {
        sentences.push(
            "Its definition is close in meaning to your description of the role.".to_string(),
        );
    }
    let onet = evidence.and_then(|e| e.onet.as_ref());
    if let Some(e) = onet {
        sentences.push(crate::onet::sentence(e));
    }
    if !why.any() && onet.is_none() && !standing.included {
        sentences.push("No word of the role points to it; it is here on OPM's grade table and ranks alone, so check it against the role's tasks.".to_string());
    }
    sentences.push(format!("Source: {}.", candidate.catalogue.name));
    sentences.join(" ")
}

/// The evidence behind a chosen competency's rationale, with its numbers, for the JSON.
pub(crate) fn evidence(
    candidate: &Candidate<'_>,
    standing: &Standing<'_>,
    grade: Option<Grade>,
) -> EvidenceData {
    let scored = candidate.evidence.as_ref();
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    let score = candidate.score();
    EvidenceData {
        position: Some(format!(
            "{} {} of {}",
            standing.group, standing.position, standing.of
        )),
        included: standing.included,
        score: Some(round(score)),
        final_score: standing.final_score.map(round),
        task_bonus: standing
            .final_score
            .map(|f| round(f - score))
            .filter(|b| *b > 0.0),
        covered_tasks: standing.covered.iter().map(|t| t + 1).collect(),
        text_relevance: scored
            .filter(|e| !e.matches.is_empty())
            .map(|e| round(e.text_score)),
        prior: scored
            .and_then(|e| e.prior.as_ref())
            .map(|p| round(p.value)),
        prior_reason: scored
            .and_then(|e| e.prior.as_ref())
            .map(|p| p.reason.clone()),
        matches: scored.map_or_else(Vec::new, |e| {
            e.matches
                .iter()
                .map(|m| EvidenceMatch {
                    word: m.word.clone(),
                    sources: m.sources.clone(),
                    fields: m.fields.clone(),
                })
                .collect()
        }),
        reference_roles: scored.map_or_else(Vec::new, |e| {
            e.reference_roles
                .iter()
                .map(|r| EvidenceReference {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    similarity: round(r.similarity),
                })
                .collect()
        }),
        reference_consulted: scored
            .filter(|e| !e.reference_roles.is_empty())
            .map(|e| e.reference_consulted),
        semantic_similarity: scored.and_then(|e| e.semantic).map(round),
        onet: scored.and_then(|e| e.onet.as_ref()).map(|o| EvidenceOnet {
            occupation: o
                .occupation_id
                .strip_prefix("onet:")
                .unwrap_or(&o.occupation_id)
                .to_string(),
            occupation_title: o.occupation_title.clone(),
            occupation_rank: o.occupation_rank,
            element: o.element_id.clone(),
            element_name: o.element_name.clone(),
            relation: o.relation.as_str().to_string(),
            importance: round(o.importance),
            value: round(o.value),
            added: round(o.added),
        }),
        named_by_tasks: scored
            .map_or_else(Vec::new, |e| e.named_by.iter().map(|t| t + 1).collect()),
        naming_bonus: scored
            .filter(|e| !e.named_by.is_empty())
            .and(standing.naming_bonus)
            .map(round),
        grade,
        grade_mark: grade.and_then(|g| candidate.competency.grade_mark(g)),
    }
}

/// What evidence a chosen competency has besides OPM's table.
struct Support {
    /// The role's words matched it.
    text: bool,
    /// Similar reference roles need it.
    reference: bool,
    /// Its meaning is close to the role's text.
    semantic: bool,
}

impl Support {
    fn any(&self) -> bool {
        self.text || self.reference || self.semantic
    }
}

/// What OPM says about the competency: its importance rank for AI work and its grade-table
/// cell at the role's grade; a competency added against the table says why.
fn opm_sentence(
    candidate: &Candidate<'_>,
    standing: &Standing<'_>,
    grade: Option<Grade>,
    why: &Support,
) -> Option<String> {
    let competency = candidate.competency;
    let rank = competency.importance_rank.and_then(rank_words);
    let mark = grade.map(|g| (g, competency.grade_mark(g)));
    let table = match mark {
        Some((g, Some(GradeMark::Confirmed))) => Some(format!("confirms it for selection at {g}")),
        Some((g, Some(GradeMark::NotRated))) => {
            let because = if standing.included {
                "you asked for it"
            } else if why.text {
                "the role's own words point to it"
            } else if why.reference {
                "similar roles need it"
            } else if why.semantic {
                "its meaning is close to your description of the role"
            } else if standing.group == "core" {
                "the framework needed another core competency and it came next"
            } else {
                "the framework needed another functional competency and it came next"
            };
            Some(format!(
                "does not rate it at {g}; it is here because {because}, so confirm in the job analysis that the role needs it"
            ))
        }
        Some((g, None)) if !competency.grades.is_empty() => Some(format!(
            "covers it in its grade table at {}, not at {g}",
            covered(competency)
        )),
        Some((g, None)) if is_opm_like(candidate) => {
            Some(format!("says nothing about it at {g} in its grade tables"))
        }
        _ => None,
    };
    match (rank, table) {
        (Some(rank), Some(table)) => {
            let joint = if matches!(mark, Some((_, Some(GradeMark::Confirmed)))) {
                "and"
            } else {
                "but"
            };
            Some(format!("OPM {rank} {joint} {table}."))
        }
        (Some(rank), None) => Some(format!("OPM {rank}.")),
        (None, Some(table)) => Some(format!("OPM {table}.")),
        (None, None) => None,
    }
}

/// "ranks it 2nd in importance for AI work (1st in three years)", from OPM's survey ranks.
fn rank_words(rank: ImportanceRank) -> Option<String> {
    match (rank.current, rank.future) {
        (Some(now), Some(later)) if now == later => Some(format!(
            "ranks it {} in importance for AI work now and in three years",
            ordinal(now)
        )),
        (Some(now), Some(later)) => Some(format!(
            "ranks it {} in importance for AI work ({} in three years)",
            ordinal(now),
            ordinal(later)
        )),
        (Some(now), None) => Some(format!(
            "ranks it {} in importance for AI work",
            ordinal(now)
        )),
        (None, Some(later)) => Some(format!(
            "expects it to rank {} in importance for AI work in three years",
            ordinal(later)
        )),
        (None, None) => None,
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st …
pub(crate) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The tasks of the role that name the competency in so many words: "Your task ‘Negotiate
/// with vendors’ names it." `None` when no task does.
fn naming_sentence(named_by: &[usize], role: &Role) -> Option<String> {
    let tasks: Vec<&String> = named_by.iter().filter_map(|&t| role.tasks.get(t)).collect();
    match tasks.as_slice() {
        [] => None,
        [task] => Some(format!("Your task {} names it.", quote(task))),
        [first, ..] => Some(format!(
            "{} of your tasks name it, for example {}.",
            capitalise(&words(tasks.len())),
            quote(first)
        )),
    }
}

/// Which of the role's words point to the competency, where the role uses them, and which
/// task it backs: "Your title and two of your tasks mention “machine learning”, for example
/// ‘Design, train and evaluate models’." `None` when no word of the role matched.
fn words_sentence(matches: &[MatchedTerm], covered: &[usize], role: &Role) -> Option<String> {
    let key = key_terms(matches, role);
    if key.is_empty() {
        // Only synonyms matched: name the role's own word.
        let synonym = matches.iter().find_map(|m| {
            m.sources
                .iter()
                .find_map(|s| s.strip_prefix("synonym of "))
                .map(|of| (of.trim_matches('"').to_string(), m.word.clone()))
        })?;
        return Some(format!(
            "Your word “{}” is related to “{}” in its name or definition.",
            synonym.0, synonym.1
        ));
    }
    let mut title = false;
    let mut description = false;
    let mut tasks: BTreeSet<usize> = BTreeSet::new();
    let mut hits_per_task: Vec<usize> = vec![0; role.tasks.len()];
    for (rank, term) in key.iter().enumerate() {
        // The strongest word counts most when choosing the task to quote.
        let strength = key.len() - rank;
        for source in &term.sources {
            match source.as_str() {
                "title" => title = true,
                "description" => description = true,
                other => {
                    if let Some(t) = task_number(other).filter(|t| *t < role.tasks.len()) {
                        tasks.insert(t);
                        hits_per_task[t] += strength;
                    }
                }
            }
        }
    }
    let mut places: Vec<String> = Vec::new();
    if title {
        places.push("your title".to_string());
    }
    if description {
        places.push("your description".to_string());
    }
    let single_task = (tasks.len() == 1)
        .then(|| tasks.iter().next().copied())
        .flatten();
    match tasks.len() {
        0 => {}
        1 => {
            if let Some(text) = single_task.and_then(|t| role.tasks.get(t)) {
                places.push(format!("your task {}", quote(text)));
            }
        }
        n if n == role.tasks.len() => places.push(format!("all {} of your tasks", words(n))),
        n => places.push(format!("{} of your tasks", words(n))),
    }
    if places.is_empty() {
        return None;
    }
    let plural = places.len() > 1 || tasks.len() > 1;
    let terms: Vec<String> = key.iter().map(|t| format!("“{}”", t.word)).collect();
    let mut out = capitalise(&format!(
        "{} {} {}",
        and_list(&places),
        if plural { "mention" } else { "mentions" },
        // One place has every word; several places may each have only one of them.
        if plural {
            or_list(&terms)
        } else {
            and_list(&terms)
        }
    ));
    let backed = covered.first().copied().filter(|t| *t < role.tasks.len());
    match backed {
        Some(t) if Some(t) == single_task => {
            out.push_str(", and no competency chosen before it covers that task.");
        }
        Some(t) => {
            let _ = write!(
                out,
                ", and it backs your task {}, which no competency chosen before it covers.",
                quote(&role.tasks[t])
            );
        }
        None if tasks.len() > 1 => {
            // The task where the key words meet most, the first of equals.
            let best = tasks
                .iter()
                .copied()
                .max_by(|a, b| hits_per_task[*a].cmp(&hits_per_task[*b]).then(b.cmp(a)));
            match best.and_then(|t| role.tasks.get(t)) {
                Some(text) => {
                    let _ = write!(out, ", for example {}.", quote(text));
                }
                None => out.push('.'),
            }
        }
        None => out.push('.'),
    }
    Some(out)
}

/// The one or two words or phrases of the role that say most about why a competency matched:
/// phrases first, then single words that are not part of a phrase already named; only words
/// the role used itself, as it wrote them (not synonyms the engine added, nor phrases it
/// assembled from words apart).
fn key_terms(matches: &[MatchedTerm], role: &Role) -> Vec<MatchedTerm> {
    let written = |source: &str, word: &str| -> bool {
        let text = match source {
            "title" => Some(role.title.as_str()),
            "description" => role.description.as_deref(),
            other => task_number(other).and_then(|t| role.tasks.get(t).map(String::as_str)),
        };
        text.is_some_and(|t| t.to_lowercase().contains(&word.to_lowercase()))
    };
    let direct: Vec<MatchedTerm> = matches
        .iter()
        .take(6)
        .filter_map(|m| {
            let sources: Vec<String> = m
                .sources
                .iter()
                .filter(|s| !s.starts_with("synonym of") && *s != "related term")
                .filter(|s| written(s, &m.word))
                .cloned()
                .collect();
            (!sources.is_empty()).then(|| MatchedTerm {
                sources,
                ..m.clone()
            })
        })
        .collect();
    let mut key: Vec<MatchedTerm> = direct
        .iter()
        .filter(|m| m.word.contains(' '))
        .take(2)
        .cloned()
        .collect();
    for m in direct.iter().filter(|m| !m.word.contains(' ')) {
        if key.len() >= 2 {
            break;
        }
        let inside = key
            .iter()
            .any(|k| k.word.split(' ').any(|w| w.eq_ignore_ascii_case(&m.word)));
        if !inside {
            key.push(m.clone());
        }
    }
    // A second word only when it names the competency too, or the first does not: "machine
    // learning" says why; "language" from its definition adds nothing.
    let names = |m: &MatchedTerm| {
        m.fields
            .iter()
            .any(|f| f == "name" || f == "alternative labels")
    };
    if key.len() == 2 && names(&key[0]) && !names(&key[1]) {
        key.truncate(1);
    }
    key
}

/// "task 3" → 2.
fn task_number(source: &str) -> Option<usize> {
    source
        .strip_prefix("task ")
        .and_then(|n| n.trim().parse::<usize>().ok())
        .and_then(|n| n.checked_sub(1))
}

/// A task quoted for a sentence, cut at a word when long: ‘Design, train and evaluate …’.
pub(crate) fn quote(text: &str) -> String {
    let text = text.trim().trim_end_matches(['.', ';', ':']);
    if text.chars().count() <= QUOTE_LIMIT {
        return format!("‘{text}’");
    }
    let cut: String = text.chars().take(QUOTE_LIMIT).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("‘{} …’", cut.trim_end_matches([',', ';', ':']))
}

/// "a", "a and b", "a, b and c".
pub(crate) fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// "a", "a or b", "a, b or c".
fn or_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [init @ .., last] if !init.is_empty() => format!(
            "{} or {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
        _ => and_list(items),
    }
}

/// Small numbers in words, larger ones in digits.
pub(crate) fn words(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
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
    let best = rank.and_then(best_rank);
    best.map_or(0.0, |r| (31.0 - f64::from(r.min(31))) / 30.0)
}

/// A computed target: level, weight, the note that says why in words and the details that
/// show the computation.
pub(crate) struct TargetValue {
    pub level: u8,
    pub weight: f64,
    pub note: String,
    pub details: String,
}

/// The grade → level mapping a target used, for its note and details.
pub(crate) struct MappingUsed<'a> {
    /// The grade or level entry (`GS-13`, `level 3`).
    pub entry: &'a str,
    /// The mapping's file, for the details only.
    pub file: &'a str,
    /// Whether it is Framewright's built-in mapping (rather than the user's).
    pub builtin: bool,
}

/// The target of a chosen competency; `best_in_group` is the best evidence score (without
/// priors) of its group.
#[allow(clippy::too_many_arguments)]
pub(crate) fn target(
    candidate: &Candidate<'_>,
    core: bool,
    best_in_group: f64,
    pair: LevelPair,
    mapping: &MappingUsed<'_>,
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
    let name = level_name.map_or(format!("Level {level}"), str::to_string);
    let whose = if mapping.builtin {
        "Framewright's default grade → level mapping"
    } else {
        "your grade → level mapping"
    };
    let entry = mapping.entry;
    let mut note = format!(
        "{name}, as {whose} sets for {group} competencies at {entry}. Its weight rests on "
    );
    let strength = match relevance {
        r if r >= 0.995 => {
            format!("the role's words pointing to it more than to any other {group} competency")
        }
        r if r >= 0.6 => "the role's words pointing to it strongly".to_string(),
        r if r >= 0.3 => "the role's words pointing to it somewhat".to_string(),
        r if r > 0.0 => "the role's words pointing to it a little".to_string(),
        _ => "no word of the role pointing to it".to_string(),
    };
    let mut reasons = vec![strength];
    if confirmed && let Some(g) = grade {
        reasons.push(format!("OPM confirming it at {g}"));
    }
    if let Some(r) = candidate.competency.importance_rank.and_then(best_rank) {
        reasons.push(format!(
            "OPM's ranking of it for AI work ({} at best)",
            ordinal(r)
        ));
    }
    note.push_str(&and_list(&reasons));
    note.push('.');
    let mut details = format!(
        "Level {level}: {} entry {entry}, {group}. Weight {weight:.2} = base {:.2} + {:.2} × relevance {relevance:.2}",
        mapping.file, weights.base, weights.relevance
    );
    if confirmed {
        let _ = write!(
            details,
            " + {:.2} (confirmed at the grade)",
            weights.confirmed
        );
    }
    if rank > 0.0 {
        let _ = write!(details, " + {:.2} × rank factor {rank:.2}", weights.rank);
    }
    details.push_str(", clipped to 0 … 1; relevance = evidence without priors ÷ best of the group; rank factor = (31 − best rank) ÷ 30.");
    TargetValue {
        level,
        weight,
        note,
        details,
    }
}

/// The better of OPM's current and future importance ranks.
fn best_rank(rank: ImportanceRank) -> Option<u32> {
    match (rank.current, rank.future) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
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
