//! Tasks that name a competency: a task whose words are the competency's own name
//! ("Negotiate with vendors" names Influencing or Negotiating; "Develop mathematical and
//! statistical analyses" names Mathematics and Statistics; "Monitor models in production"
//! names Monitoring). It is the plainest evidence a role's text can give — what the role
//! *does* is what the competency is called — and it is worth more than a word shared with a
//! long definition, which is all the ranking's word score sees.
//!
//! A competency's name is read as parts joined by "and", "or" and commas ("Influencing or
//! Negotiating" has two parts). A task names a part when:
//! - the part is one word and the task has that word (by stem), but not as one half of a
//!   compound that is part of another competency's name: "machine *learning*" does not name
//!   Learning (it is in Artificial Intelligence and Machine Learning), "systems *design*" does
//!   not name Design; "*Monitor* models" names Monitoring (a verb before its object makes no
//!   compound), "*statistical* analyses" names Statistics;
//! - the part has several words and the task has all of them close together, in any order:
//!   "manage projects" names Project Management, "deploy models as *services*" does not name
//!   Customer Service.
//!
//! Names of qualities ("Decisiveness", "Flexibility") are never named by a task: a task is
//! work, and "decisions" is not decisiveness.
//!
//! Only tasks count: titles and descriptions already weigh heavily in the word score, and a
//! task is one sentence about one piece of work, which keeps the reason a designer reads
//! exact ("your task ‘Negotiate with vendors’ names it").

use std::collections::HashSet;

use framewright_search::forms_compound;
use framewright_search::text::{Analyzer, Token};

/// The analysed parts of a competency's name, and whether the task must name all of them: a
/// name whose parts are joined by "and" is both things ("Planning and Evaluating": a task that
/// only evaluates models is not planning), one joined by "or" is either ("Influencing or
/// Negotiating").
fn name_parts(analyzer: &Analyzer, name: &str) -> (Vec<Vec<Token>>, bool) {
    let lower = name
        .to_lowercase()
        .replace(',', " and ")
        .replace(" & ", " and ");
    let all = !lower.contains(" or ");
    let parts = lower
        .split(" or ")
        .flat_map(|p| p.split(" and "))
        .map(|p| analyzer.analyze(p))
        .filter(|tokens| !tokens.is_empty())
        .collect();
    (parts, all)
}

/// The compounds of the catalogues' competency names, as pairs of stems ("machine learning" in
/// Artificial Intelligence and Machine Learning, "systems design" in Systems Design).
#[derive(Debug, Default)]
pub(crate) struct NameCompounds(HashSet<(String, String)>);

impl NameCompounds {
    /// The compounds of every name in `names`.
    pub(crate) fn of<'n>(analyzer: &Analyzer, names: impl IntoIterator<Item = &'n str>) -> Self {
        let mut pairs = HashSet::new();
        for name in names {
            let tokens = analyzer.analyze(name);
            for pair in tokens.windows(2) {
                if forms_compound(&pair[0], &pair[1]) {
                    pairs.insert((pair[0].stem.clone(), pair[1].stem.clone()));
                }
            }
        }
        NameCompounds(pairs)
    }

    fn has(&self, a: &Token, b: &Token) -> bool {
        forms_compound(a, b) && self.0.contains(&(a.stem.clone(), b.stem.clone()))
    }
}

/// Whether the analysed task names the one-word part `word`: the task has it, and not as half
/// of a compound that names another competency ("machine learning" is not Learning).
fn names_word(task: &[Token], word: &Token, compounds: &NameCompounds) -> bool {
    task.iter().enumerate().any(|(i, t)| {
        t.stem == word.stem
            && !(i > 0 && compounds.has(&task[i - 1], t))
            && !task.get(i + 1).is_some_and(|next| compounds.has(t, next))
    })
}

/// Whether the analysed task names the several-word part `words`: every word of it within a
/// span of one stop word per word, in one run of text.
fn names_phrase(task: &[Token], words: &[Token]) -> bool {
    let span = 2 * words.len() as u32 - 1;
    task.iter().any(|start| {
        words.iter().all(|w| {
            task.iter().any(|t| {
                t.stem == w.stem
                    && t.segment == start.segment
                    && t.position >= start.position
                    && t.position < start.position + span
            })
        })
    })
}

/// Whether a one-word name is a quality of a person rather than a kind of work: a noun made
/// from an adjective ("Decisiveness", "Flexibility", "Resilience"). A task is work; a word of it
/// that shares the stem ("decisions", "flexible systems") does not name the quality.
fn is_quality(word: &str) -> bool {
    ["ness", "ity", "ience"].iter().any(|s| word.ends_with(s))
}

/// The role's tasks (0-based) that name the competency called `name`.
pub(crate) fn naming_tasks(
    analyzer: &Analyzer,
    compounds: &NameCompounds,
    name: &str,
    tasks: &[Vec<Token>],
) -> Vec<usize> {
    let (parts, all) = name_parts(analyzer, name);
    let names_part = |task: &[Token], part: &Vec<Token>| match part.as_slice() {
        [word] if is_quality(&word.word) => false,
        [word] => names_word(task, word, compounds),
        words => names_phrase(task, words),
    };
    tasks
        .iter()
        .enumerate()
        .filter(|(_, task)| {
            if all {
                !parts.is_empty() && parts.iter().all(|part| names_part(task, part))
            } else {
                parts.iter().any(|part| names_part(task, part))
            }
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str, task: &str) -> bool {
        let analyzer = Analyzer::new();
        let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        let compounds =
            NameCompounds::of(&analyzer, opm.competencies.iter().map(|c| c.name.as_str()));
        !naming_tasks(&analyzer, &compounds, name, &[analyzer.analyze(task)]).is_empty()
    }

    #[test]
    fn a_task_names_a_competency_by_any_part_of_its_name() {
        assert!(named(
            "Influencing or Negotiating",
            "Negotiate with vendors"
        ));
        assert!(named(
            "Mathematics and Statistics",
            "Develop mathematical and statistical analyses of model behavior"
        ));
        assert!(named(
            "Monitoring",
            "Monitor models in production for drift"
        ));
        assert!(named(
            "Contracting or Procurement",
            "Oversee contracts and contractor performance for AI services"
        ));
        assert!(named(
            "Project Management",
            "Manage projects across the agency"
        ));
        assert!(named(
            "Testing and Validation",
            "Test and validate models against accuracy requirements"
        ));
    }

    #[test]
    fn a_word_of_a_compound_or_half_a_phrase_names_nothing() {
        assert!(!named(
            "Learning",
            "Design and train machine learning models"
        ));
        // A quality is not named by a word of the same stem.
        assert!(!named(
            "Decisiveness",
            "Document models, data sources and decisions for audit"
        ));
        // A name joined by "and" is both things.
        assert!(!named(
            "Planning and Evaluating",
            "Design, train and evaluate machine learning models"
        ));
        assert!(!named("Customer Service", "Deploy models as services"));
        assert!(!named(
            "Information Management",
            "Oversee risk management of AI"
        ));
        assert!(!named(
            "Emotional Intelligence",
            "Lead the agency's artificial intelligence strategy"
        ));
        assert!(!named(
            "Technical Competence",
            "Explain results to non-technical staff"
        ));
    }
}
