//! Curated content for one catalogue: proficiency-level descriptions with behavioural
//! indicators (`data/indicators/<catalogue>.toml`) and structured interview guides
//! (`data/interview/<catalogue>.toml`). The generator uses them where they exist and composes
//! drafts from templates where they do not.
//!
//! Indicator file: `[[competency]] id = …` with `[[competency.level]] level = N,
//! description = "…", indicators = ["…", …]`. Interview file: `[[competency]] id = …` with two
//! or more `[[competency.question]] text = "…", follow_up = "…"` and `[competency.anchors]`
//! with keys `1`, `3` and `5`.

use std::collections::BTreeMap;

use framewright_model::{InterviewQuestion, LevelContent};
use serde::Deserialize;

use crate::error::DataError;

/// Curated levels and interview guides for the competencies of one catalogue.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ContentLibrary {
    /// The catalogue the content is written for (`opm-ai-2024`).
    pub catalogue: String,
    /// How the content is attributed in a framework's sources.
    pub attribution: String,
    /// Level content by competency id, levels in order.
    pub levels: BTreeMap<String, Vec<LevelContent>>,
    /// Interview questions by competency id (each with the competency's anchors).
    pub interview: BTreeMap<String, Vec<InterviewQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicatorFile {
    #[serde(default)]
    competency: Vec<RawIndicatorCompetency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicatorCompetency {
    id: String,
    #[serde(default)]
    level: Vec<RawLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: u8,
    description: Option<String>,
    #[serde(default)]
    indicators: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInterviewFile {
    #[serde(default)]
    competency: Vec<RawInterviewCompetency>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInterviewCompetency {
    id: String,
    #[serde(default)]
    question: Vec<RawQuestion>,
    #[serde(default)]
    anchors: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    text: String,
    follow_up: Option<String>,
}

const OPM_INDICATORS_FILE: &str = "data/indicators/opm-ai-2024.toml";
const OPM_INDICATORS: &str = include_str!("../../../data/indicators/opm-ai-2024.toml");
const OPM_INTERVIEW_FILE: &str = "data/interview/opm-ai-2024.toml";
const OPM_INTERVIEW: &str = include_str!("../../../data/interview/opm-ai-2024.toml");

impl ContentLibrary {
    /// The curated Framewright content for the OPM AI Competency Model (2024).
    pub fn opm_builtin() -> Result<ContentLibrary, DataError> {
        let mut library = ContentLibrary::empty(
            "opm-ai-2024",
            "Proficiency-level descriptions, behavioural indicators and interview guides written by the Framewright authors (Apache-2.0) for the OPM AI Competency Model (2024); OPM neither wrote nor endorses them.",
        );
        library.add_indicators(OPM_INDICATORS, OPM_INDICATORS_FILE)?;
        library.add_interview(OPM_INTERVIEW, OPM_INTERVIEW_FILE)?;
        Ok(library)
    }

    /// An empty library for `catalogue`.
    pub fn empty(catalogue: &str, attribution: &str) -> ContentLibrary {
        ContentLibrary {
            catalogue: catalogue.to_string(),
            attribution: attribution.to_string(),
            ..ContentLibrary::default()
        }
    }

    /// Adds the indicator file `text` (named `file` in errors).
    pub fn add_indicators(&mut self, text: &str, file: &str) -> Result<(), DataError> {
        let raw: RawIndicatorFile =
            toml::from_str(text).map_err(|e| DataError::from_toml(file, text, &e))?;
        for (i, c) in raw.competency.into_iter().enumerate() {
            let at = |field: &str| format!("competency[{i}].{field}");
            if c.id.trim().is_empty() {
                return Err(DataError::at(file, at("id"), "the competency needs an id"));
            }
            let mut levels: Vec<LevelContent> = Vec::with_capacity(c.level.len());
            for (j, level) in c.level.into_iter().enumerate() {
                if levels.iter().any(|l| l.level == level.level) {
                    return Err(DataError::at(
                        file,
                        at(&format!("level[{j}].level")),
                        format!("`{}` describes level {} twice", c.id, level.level),
                    ));
                }
                if level.indicators.iter().any(|t| t.trim().is_empty()) {
                    return Err(DataError::at(
                        file,
                        at(&format!("level[{j}].indicators")),
                        "an indicator is empty",
                    ));
                }
                levels.push(LevelContent {
                    level: level.level,
                    description: level.description,
                    indicators: level.indicators,
                    draft: false,
                });
            }
            levels.sort_by_key(|l| l.level);
            if self.levels.insert(c.id.clone(), levels).is_some() {
                return Err(DataError::at(
                    file,
                    at("id"),
                    format!("competency `{}` appears twice", c.id),
                ));
            }
        }
        Ok(())
    }

    /// Adds the interview file `text` (named `file` in errors).
    pub fn add_interview(&mut self, text: &str, file: &str) -> Result<(), DataError> {
        let raw: RawInterviewFile =
            toml::from_str(text).map_err(|e| DataError::from_toml(file, text, &e))?;
        for (i, c) in raw.competency.into_iter().enumerate() {
            let at = |field: &str| format!("competency[{i}].{field}");
            let mut anchors = BTreeMap::new();
            for (key, anchor) in c.anchors {
                let rating = key
                    .trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|r| (1..=5).contains(r))
                    .ok_or_else(|| {
                        DataError::at(
                            file,
                            at(&format!("anchors.{key}")),
                            "anchors are keyed by a rating 1 … 5",
                        )
                    })?;
                anchors.insert(rating, anchor);
            }
            let questions: Vec<InterviewQuestion> = c
                .question
                .into_iter()
                .map(|q| InterviewQuestion {
                    question: q.text,
                    follow_up: q.follow_up,
                    anchors: anchors.clone(),
                })
                .collect();
            if questions.iter().any(|q| q.question.trim().is_empty()) {
                return Err(DataError::at(
                    file,
                    at("question"),
                    "a question has no text",
                ));
            }
            if self.interview.insert(c.id.clone(), questions).is_some() {
                return Err(DataError::at(
                    file,
                    at("id"),
                    format!("competency `{}` appears twice", c.id),
                ));
            }
        }
        Ok(())
    }

    /// The curated levels of competency `id`, if they cover every level `1 ..= max_level`,
    /// each with a description and at least two indicators.
    pub fn complete_levels(&self, id: &str, max_level: u8) -> Option<&[LevelContent]> {
        let levels = self.levels.get(id)?;
        let complete = (1..=max_level).all(|n| {
            levels.iter().any(|l| {
                l.level == n
                    && l.description
                        .as_deref()
                        .is_some_and(|d| !d.trim().is_empty())
                    && l.indicators.len() >= 2
            })
        }) && levels.iter().all(|l| (1..=max_level).contains(&l.level));
        complete.then_some(levels.as_slice())
    }

    /// The curated interview questions of competency `id`, if there are at least two and each
    /// has anchors at 1, 3 and 5.
    pub fn complete_interview(&self, id: &str) -> Option<&[InterviewQuestion]> {
        let questions = self.interview.get(id)?;
        let complete = questions.len() >= 2
            && questions
                .iter()
                .all(|q| [1, 3, 5].iter().all(|r| q.anchors.contains_key(r)));
        complete.then_some(questions.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDICATORS: &str = r#"
[[competency]]
id = "teamwork"

[[competency.level]]
level = 2
description = "Works in a team of peers with frequent guidance."
indicators = ["Shares own results with the team each week.", "Asks teammates for review before release."]

[[competency.level]]
level = 1
description = "Works in a team with close guidance."
indicators = ["Attends team meetings and notes the actions assigned.", "Reports own progress to the team lead."]
"#;

    const INTERVIEW: &str = r#"
[[competency]]
id = "teamwork"

[[competency.question]]
text = "Tell me about a time when your team disagreed."
follow_up = "What did you do?"

[[competency.question]]
text = "Describe a situation in which you helped a teammate."

[competency.anchors]
1 = "No example."
3 = "A specific example."
5 = "A specific example with results."
"#;

    #[test]
    fn the_built_in_opm_library_loads_and_names_only_opm_competencies() {
        let library = ContentLibrary::opm_builtin().unwrap();
        let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        assert!(!library.levels.is_empty());
        for id in library.levels.keys().chain(library.interview.keys()) {
            assert!(opm.competencies.iter().any(|c| &c.id == id), "{id}");
        }
        for id in library.levels.keys() {
            assert!(library.complete_levels(id, 5).is_some(), "{id}");
        }
        for id in library.interview.keys() {
            assert!(library.complete_interview(id).is_some(), "{id}");
        }
    }

    #[test]
    fn reads_levels_in_order_and_knows_when_they_are_complete() {
        let mut library = ContentLibrary::empty("opm-ai-2024", "test");
        library.add_indicators(INDICATORS, "ind.toml").unwrap();
        let levels = &library.levels["teamwork"];
        assert_eq!(levels[0].level, 1);
        assert_eq!(levels[1].level, 2);
        assert!(library.complete_levels("teamwork", 2).is_some());
        assert!(library.complete_levels("teamwork", 5).is_none());
        assert!(library.complete_levels("reading", 2).is_none());
    }

    #[test]
    fn reads_questions_with_the_competency_anchors() {
        let mut library = ContentLibrary::empty("opm-ai-2024", "test");
        library.add_interview(INTERVIEW, "int.toml").unwrap();
        let questions = library.complete_interview("teamwork").unwrap();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[1].anchors[&5], "A specific example with results.");
        assert_eq!(questions[1].follow_up, None);
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let mut library = ContentLibrary::empty("x", "x");
        let error = library
            .add_indicators("[[competency]]\nid = \"a\"\nlevels = 3\n", "ind.toml")
            .unwrap_err();
        assert_eq!(error.file, "ind.toml");
        assert_eq!(error.line, Some(3));
        let bad = INTERVIEW.replace("5 = ", "7 = ");
        let error = library.add_interview(&bad, "int.toml").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("competency[0].anchors.7"));
    }
}
