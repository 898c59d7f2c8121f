//! Level and interview templates (`data/generator/templates.toml`) for competencies without
//! curated content: the generator fills in the competency's name and the first sentence of its
//! definition, and marks the result as a draft.

use std::collections::BTreeMap;

use framewright_model::lint::Vocabulary;
use framewright_model::{InterviewQuestion, LevelContent, text};
use serde::Deserialize;

use crate::error::DataError;

const FILE: &str = "data/generator/templates.toml";
const TEMPLATES: &str = include_str!("../../../data/generator/templates.toml");

/// The template of one proficiency level.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelTemplate {
    /// The scale level.
    pub level: u8,
    /// Description; may use `{name}` and `{statement}`.
    pub description: String,
    /// Used instead of `description` when it needs a statement the competency lacks.
    #[serde(default)]
    pub fallback: Option<String>,
    /// Indicators; may use `{name}`.
    pub indicators: Vec<String>,
}

/// A templated interview question.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionTemplate {
    /// The question.
    pub text: String,
    /// The follow-up.
    #[serde(default)]
    pub follow_up: Option<String>,
}

/// The templated interview guide.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterviewTemplate {
    /// Questions (two).
    pub question: Vec<QuestionTemplate>,
    /// Anchors keyed "1", "3", "5".
    pub anchors: BTreeMap<String, String>,
}

/// Level and interview templates for one sort of competency.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSet {
    /// One template per scale level, 1 … 5.
    pub level: Vec<LevelTemplate>,
    /// The interview guide.
    pub interview: InterviewTemplate,
}

/// All templates: behavioural ones for core (general) competencies, task ones for the rest.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    /// For core (general) competencies.
    pub general: TemplateSet,
    /// For functional competencies (technical, skills, knowledge).
    pub functional: TemplateSet,
}

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Result<Templates, DataError> {
        let templates: Templates =
            toml::from_str(TEMPLATES).map_err(|e| DataError::from_toml(FILE, TEMPLATES, &e))?;
        for (set_name, set) in [
            ("general", &templates.general),
            ("functional", &templates.functional),
        ] {
            for (i, level) in set.level.iter().enumerate() {
                if usize::from(level.level) != i + 1 {
                    return Err(DataError::at(
                        FILE,
                        format!("{set_name}.level[{i}].level"),
                        "levels must be listed 1, 2, 3, … in order",
                    ));
                }
                if level.description.contains("{statement}") && level.fallback.is_none() {
                    return Err(DataError::at(
                        FILE,
                        format!("{set_name}.level[{i}].fallback"),
                        "a description that uses {statement} needs a fallback",
                    ));
                }
            }
            for key in ["1", "3", "5"] {
                if !set.interview.anchors.contains_key(key) {
                    return Err(DataError::at(
                        FILE,
                        format!("{set_name}.interview.anchors.{key}"),
                        "anchors at 1, 3 and 5 are required",
                    ));
                }
            }
        }
        if templates.general.level.len() != templates.functional.level.len() {
            return Err(DataError::at(
                FILE,
                "general.level",
                "both template sets must cover the same levels",
            ));
        }
        Ok(templates)
    }

    /// The highest level the templates cover.
    pub fn max_level(&self) -> u8 {
        self.functional
            .level
            .iter()
            .map(|l| l.level)
            .max()
            .unwrap_or(0)
    }

    fn set(&self, core: bool) -> &TemplateSet {
        if core {
            &self.general
        } else {
            &self.functional
        }
    }

    /// Levels composed for a competency named `name` with `definition`, all marked draft;
    /// behavioural templates when `core`. The statement (the definition's first sentence) is
    /// used only when it has no vague term.
    pub fn levels(
        &self,
        name: &str,
        definition: Option<&str>,
        core: bool,
        vocabulary: Option<&Vocabulary>,
    ) -> Vec<LevelContent> {
        let statement = definition
            .and_then(first_sentence)
            .filter(|s| !has_vague_term(s, vocabulary));
        self.set(core)
            .level
            .iter()
            .map(|t| {
                let description = match (&statement, &t.fallback) {
                    (Some(s), _) => fill(&t.description, name, s),
                    (None, Some(fallback)) => fill(fallback, name, ""),
                    (None, None) => fill(&t.description, name, ""),
                };
                LevelContent {
                    level: t.level,
                    description: Some(description),
                    indicators: t.indicators.iter().map(|i| fill(i, name, "")).collect(),
                    draft: true,
                }
            })
            .collect()
    }

    /// Interview questions composed for a competency named `name`; behavioural when `core`.
    pub fn interview(&self, name: &str, core: bool) -> Vec<InterviewQuestion> {
        let set = self.set(core);
        let anchors: BTreeMap<u8, String> = set
            .interview
            .anchors
            .iter()
            .filter_map(|(k, v)| Some((k.trim().parse::<u8>().ok()?, fill(v, name, ""))))
            .collect();
        set.interview
            .question
            .iter()
            .map(|q| InterviewQuestion {
                question: fill(&q.text, name, ""),
                follow_up: q.follow_up.as_deref().map(|f| fill(f, name, "")),
                anchors: anchors.clone(),
            })
            .collect()
    }
}

fn fill(template: &str, name: &str, statement: &str) -> String {
    template
        .replace("{name}", name.trim())
        .replace("{statement}", statement)
}

/// The first sentence of `definition` with its first letter lowercased (unless it starts an
/// acronym) and without the final full stop; `None` when empty.
fn first_sentence(definition: &str) -> Option<String> {
    let text = definition.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            c == '.'
                && text[i + 1..].starts_with(' ')
                && text[i + 1..]
                    .trim_start()
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
        })
        .map_or(text.len(), |(i, _)| i);
    let sentence = text[..end].trim().trim_end_matches('.').trim();
    if sentence.is_empty() {
        return None;
    }
    let mut chars = sentence.chars();
    let first = chars.next()?;
    let second_is_upper = chars.next().is_some_and(char::is_uppercase);
    Some(if second_is_upper {
        sentence.to_string()
    } else {
        first
            .to_lowercase()
            .chain(sentence.chars().skip(1))
            .collect()
    })
}

fn has_vague_term(statement: &str, vocabulary: Option<&Vocabulary>) -> bool {
    let Some(vocabulary) = vocabulary else {
        return false;
    };
    let words = text::words(statement);
    vocabulary.vague_terms().iter().any(|term| {
        !term.words.is_empty() && words.windows(term.words.len()).any(|w| w == term.words)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_five_draft_levels_with_the_name_and_statement() {
        let t = Templates::builtin().unwrap();
        let levels = t.levels(
            "Data Analysis",
            Some("Uses data to answer questions. Checks results."),
            false,
            None,
        );
        assert_eq!(levels.len(), 5);
        assert!(levels.iter().all(|l| l.draft && l.indicators.len() == 3));
        let three = levels[2].description.as_deref().unwrap();
        assert!(
            three.ends_with("guidance: uses data to answer questions."),
            "{three}"
        );
        assert!(levels[0].indicators[0].contains("“Data Analysis”"));
        let none = t.levels("Data Analysis", None, false, None);
        let general = t.levels("Teamwork", None, true, None);
        assert_ne!(general[0].indicators, none[0].indicators);
        assert!(!none[2].description.as_deref().unwrap().contains('{'));
    }

    #[test]
    fn a_vague_statement_is_left_out() {
        let t = Templates::builtin().unwrap();
        let vocabulary = framewright_catalog::vocabulary::builtin_vocabulary().unwrap();
        let levels = t.levels(
            "X",
            Some("Uses appropriate tools."),
            false,
            Some(&vocabulary),
        );
        assert!(!levels[2].description.as_deref().unwrap().contains("tools"));
    }

    #[test]
    fn first_sentences_keep_acronyms() {
        assert_eq!(
            first_sentence("AI systems work. More.").unwrap(),
            "AI systems work"
        );
        assert_eq!(first_sentence("Is thorough.").unwrap(), "is thorough");
        assert_eq!(first_sentence("  "), None);
        assert_eq!(first_sentence("e.g. this one").unwrap(), "e.g. this one");
    }

    #[test]
    fn interview_questions_have_anchors_at_one_three_and_five() {
        let t = Templates::builtin().unwrap();
        for core in [false, true] {
            let questions = t.interview("Data Analysis", core);
            assert_eq!(questions.len(), 2);
            for q in &questions {
                assert_eq!(q.anchors.keys().copied().collect::<Vec<_>>(), vec![1, 3, 5]);
                assert!(q.question.contains("Data Analysis"));
            }
        }
    }
}
