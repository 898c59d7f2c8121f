//! OPM's criteria for when work counts as AI work (AI Competency Model and Talent Acquisition
//! Addendum, 29 April 2024), with the analyst's answers. The criteria's text comes from the
//! built-in OPM model (`framewright_catalog::opm_ai_2024()?.ai_work`), never retyped here.

use framewright_catalog::AiWork;
use serde::{Deserialize, Serialize};

/// The analyst's answer to one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// The criterion is met.
    Yes,
    /// The criterion is not met.
    No,
    /// Not answered yet.
    #[default]
    Unanswered,
}

impl Answer {
    /// "yes", "no", "not answered".
    pub fn as_words(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unanswered => "not answered",
        }
    }
}

/// The analyst's answer to one criterion, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiWorkAnswer {
    /// The criterion's number in the memo (1 … 4).
    pub criterion: u8,
    /// The answer.
    #[serde(default)]
    pub answer: Answer,
    /// Why: the duties, the task ratings, the share of time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// The analyst's answers to the four criteria.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AiWorkAnswers {
    /// One answer per criterion; criteria without an entry are unanswered.
    #[serde(default)]
    pub answers: Vec<AiWorkAnswer>,
    /// Share of the employee's time spent on AI work, in percent (criterion 3 asks for at least
    /// 25 %).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_of_time_percent: Option<f64>,
}

/// One criterion with the analyst's answer, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiWorkCriterionAnswer {
    /// Number in the memo.
    pub number: u8,
    /// The criterion as OPM published it.
    pub criterion: String,
    /// The analyst's answer.
    pub answer: Answer,
    /// The analyst's evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Overall conclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AiWorkConclusion {
    /// All criteria answered yes.
    AiWork,
    /// At least one criterion answered no.
    NotAiWork,
    /// Some criteria unanswered and none answered no.
    Incomplete,
}

/// The AI-work section of the documentation report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AiWorkSection {
    /// OPM's definition of AI work.
    pub definition: String,
    /// The criteria with the answers.
    pub criteria: Vec<AiWorkCriterionAnswer>,
    /// The share of time given, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_of_time_percent: Option<f64>,
    /// The conclusion.
    pub conclusion: AiWorkConclusion,
    /// The conclusion in words, and any inconsistency found.
    pub notes: Vec<String>,
}

/// Why the answers cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AiWorkError {
    /// An answer names a criterion the memo does not have.
    #[error("AI-work criterion {0} does not exist; the OPM memo has criteria 1 to {1}")]
    UnknownCriterion(u8, usize),
    /// Two answers for one criterion.
    #[error("AI-work criterion {0} is answered twice")]
    Duplicate(u8),
    /// A share of time outside 0–100.
    #[error("the share of time on AI work must be a percentage from 0 to 100, not {0}")]
    ShareOfTime(String),
}

/// The threshold in criterion 3: at least 25 percent of the employee's time.
pub const MINIMUM_SHARE_OF_TIME_PERCENT: f64 = 25.0;

/// Joins OPM's criteria with the analyst's answers and draws the conclusion.
pub fn ai_work_section(
    criteria: &AiWork,
    answers: &AiWorkAnswers,
) -> Result<AiWorkSection, AiWorkError> {
    for (i, a) in answers.answers.iter().enumerate() {
        if !criteria.criteria.iter().any(|c| c.number == a.criterion) {
            return Err(AiWorkError::UnknownCriterion(
                a.criterion,
                criteria.criteria.len(),
            ));
        }
        if answers.answers[..i]
            .iter()
            .any(|b| b.criterion == a.criterion)
        {
            return Err(AiWorkError::Duplicate(a.criterion));
        }
    }
    if let Some(share) = answers.share_of_time_percent
        && !(0.0..=100.0).contains(&share)
    {
        return Err(AiWorkError::ShareOfTime(share.to_string()));
    }
    let rows: Vec<AiWorkCriterionAnswer> = criteria
        .criteria
        .iter()
        .map(|c| {
            let given = answers.answers.iter().find(|a| a.criterion == c.number);
            AiWorkCriterionAnswer {
                number: c.number,
                criterion: c.text.clone(),
                answer: given.map(|a| a.answer).unwrap_or_default(),
                evidence: given.and_then(|a| a.evidence.clone()),
            }
        })
        .collect();
    let mut notes = Vec::new();
    let conclusion = if rows.iter().any(|r| r.answer == Answer::No) {
        notes.push("At least one criterion is not met, so by OPM's criteria the work is not AI work; the OPM AI competencies may still be used where the job analysis supports them.".to_string());
        AiWorkConclusion::NotAiWork
    } else if rows.iter().all(|r| r.answer == Answer::Yes) {
        notes.push(
            "All criteria are met: by OPM's criteria the position performs AI work.".to_string(),
        );
        AiWorkConclusion::AiWork
    } else {
        notes.push("Some criteria are not answered yet; the analyst must answer all of them before the position can be described as AI work.".to_string());
        AiWorkConclusion::Incomplete
    };
    if let Some(share) = answers.share_of_time_percent {
        let meets = share >= MINIMUM_SHARE_OF_TIME_PERCENT;
        let third = rows.iter().find(|r| r.number == 3).map(|r| r.answer);
        match third {
            Some(Answer::Yes) if !meets => notes.push(format!(
                "Criterion 3 is answered yes, but the share of time given ({share} %) is below the 25 % the criterion requires."
            )),
            Some(Answer::No) if meets => notes.push(format!(
                "Criterion 3 is answered no, but the share of time given ({share} %) is at least the 25 % the criterion requires."
            )),
            _ => {}
        }
    }
    Ok(AiWorkSection {
        definition: criteria.definition.clone(),
        criteria: rows,
        share_of_time_percent: answers.share_of_time_percent,
        conclusion,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opm() -> AiWork {
        framewright_catalog::opm_ai_2024().unwrap().ai_work
    }

    fn answers(values: &[(u8, Answer)], share: Option<f64>) -> AiWorkAnswers {
        AiWorkAnswers {
            answers: values
                .iter()
                .map(|(c, a)| AiWorkAnswer {
                    criterion: *c,
                    answer: *a,
                    evidence: None,
                })
                .collect(),
            share_of_time_percent: share,
        }
    }

    #[test]
    fn four_yes_answers_make_ai_work_and_the_criteria_text_is_opms() {
        let all_yes = answers(
            &[
                (1, Answer::Yes),
                (2, Answer::Yes),
                (3, Answer::Yes),
                (4, Answer::Yes),
            ],
            Some(60.0),
        );
        let s = ai_work_section(&opm(), &all_yes).unwrap();
        assert_eq!(s.conclusion, AiWorkConclusion::AiWork);
        assert_eq!(s.criteria.len(), 4);
        assert!(s.criteria[2].criterion.contains("at least 25 percent"));
        assert_eq!(s.notes.len(), 1);
    }

    #[test]
    fn one_no_overrides_and_missing_answers_leave_it_incomplete() {
        let s =
            ai_work_section(&opm(), &answers(&[(1, Answer::Yes), (2, Answer::No)], None)).unwrap();
        assert_eq!(s.conclusion, AiWorkConclusion::NotAiWork);
        let s = ai_work_section(&opm(), &answers(&[(1, Answer::Yes)], None)).unwrap();
        assert_eq!(s.conclusion, AiWorkConclusion::Incomplete);
        assert_eq!(s.criteria[3].answer, Answer::Unanswered);
    }

    #[test]
    fn share_of_time_is_checked_against_criterion_three_at_its_boundary() {
        let at_25 = ai_work_section(&opm(), &answers(&[(3, Answer::Yes)], Some(25.0))).unwrap();
        assert_eq!(at_25.notes.len(), 1, "25 % meets 'at least 25 percent'");
        let below = ai_work_section(&opm(), &answers(&[(3, Answer::Yes)], Some(24.9))).unwrap();
        assert!(below.notes[1].contains("below the 25 %"));
    }

    #[test]
    fn unknown_or_repeated_criteria_are_refused() {
        assert_eq!(
            ai_work_section(&opm(), &answers(&[(5, Answer::Yes)], None)).unwrap_err(),
            AiWorkError::UnknownCriterion(5, 4)
        );
        assert_eq!(
            ai_work_section(&opm(), &answers(&[(1, Answer::Yes), (1, Answer::No)], None))
                .unwrap_err(),
            AiWorkError::Duplicate(1)
        );
        assert!(ai_work_section(&opm(), &answers(&[], Some(120.0))).is_err());
    }
}
