//! Rating applicants: total scores from assessment scores, category rating with veterans'
//! preference (5 U.S.C. 3319; 5 CFR 337.301–304), and the direct-hire passing grade.
//!
//! - **Category rating.** Two or more quality categories, each defined from the job analysis with
//!   a lowest score fixed before the announcement (5 CFR 337.303). Each applicant goes into the
//!   highest category whose lowest score they reach; below the lowest category, they are not
//!   qualified. Within a category, preference eligibles are listed ahead of everyone else
//!   (3319(b)); the 5 and 10 preference points are not added (5 CFR 337.304). Qualified
//!   preference eligibles with a compensable service-connected disability of 10 % or more (CPS,
//!   CP) are placed in the highest category — except for scientific and professional positions
//!   at GS-9 and above. Applicants are not ranked inside a category: the list is in applicant-id
//!   order within each preference group, and says so.
//! - **Direct-hire passing grade.** Under direct-hire authority, agencies decide only whether a
//!   candidate is qualified; rating, ranking and preference ordering are waived. The result says
//!   qualified or not qualified and is listed by applicant id — no score, no rank, no category.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use framewright_model::Grade;
use serde::{Deserialize, Serialize};

/// A score for people: at most two decimals, without trailing zeros (97.5, 85, 86.33).
pub fn format_score(score: f64) -> String {
    let text = format!("{score:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Veterans' preference, by the codes of the Delegated Examining Operations Handbook.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// No veterans' preference.
    #[default]
    None,
    /// TP: 5-point preference.
    Tp,
    /// XP: 10-point preference, other than CP and CPS (disability under 10 %, derived
    /// preference, …).
    Xp,
    /// CP: 10-point preference, compensable service-connected disability of at least 10 % and
    /// less than 30 %.
    Cp,
    /// CPS: 10-point preference, compensable service-connected disability of 30 % or more.
    Cps,
    /// SSP: sole survivorship preference (no points).
    Ssp,
}

impl Preference {
    /// The DEOH code ("CPS"), or "none".
    pub fn code(self) -> &'static str {
        match self {
            Preference::None => "none",
            Preference::Tp => "TP",
            Preference::Xp => "XP",
            Preference::Cp => "CP",
            Preference::Cps => "CPS",
            Preference::Ssp => "SSP",
        }
    }

    /// Whether the applicant is a preference eligible.
    pub fn is_preference_eligible(self) -> bool {
        self != Preference::None
    }

    /// Whether the applicant has a compensable service-connected disability of 10 % or more (CP
    /// or CPS): the applicants placed in the highest category.
    pub fn has_compensable_disability_of_10_percent_or_more(self) -> bool {
        matches!(self, Preference::Cp | Preference::Cps)
    }
}

impl fmt::Display for Preference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a preference code was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a veterans' preference code; use TP, XP, CP, CPS, SSP, or leave it empty (or none) for no preference"
)]
pub struct UnknownPreference(pub String);

impl FromStr for Preference {
    type Err = UnknownPreference;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim().to_ascii_uppercase().as_str() {
            "" | "NONE" | "NV" | "NO" | "N" => Preference::None,
            "TP" => Preference::Tp,
            "XP" => Preference::Xp,
            "CP" => Preference::Cp,
            "CPS" => Preference::Cps,
            "SSP" => Preference::Ssp,
            _ => return Err(UnknownPreference(s.trim().to_string())),
        })
    }
}

/// One applicant's assessment scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantScores {
    /// Applicant id (not a name).
    pub id: String,
    /// Veterans' preference.
    #[serde(default)]
    pub preference: Preference,
    /// Score per assessment; `None` when the applicant has no score on it.
    pub scores: BTreeMap<String, Option<f64>>,
}

/// An applicant's total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicantTotal {
    /// Applicant id.
    pub id: String,
    /// Veterans' preference.
    pub preference: Preference,
    /// Weighted total, on the scale of the scores; `None` when a score is missing.
    pub total: Option<f64>,
    /// Assessments without a score.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// Why scores cannot be combined.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    /// No weights.
    #[error("give at least one assessment weight")]
    NoWeights,
    /// A weight that is negative or not a number.
    #[error("the weight of \"{0}\" must be a number of 0 or more")]
    BadWeight(String),
    /// Weights that add up to 0.
    #[error("the weights add up to 0")]
    ZeroWeights,
    /// A score for an assessment that has no weight.
    #[error(
        "applicant \"{applicant}\" has a score for \"{assessment}\", which has no weight; the weighted assessments are: {weighted}"
    )]
    Unweighted {
        /// Applicant.
        applicant: String,
        /// Assessment.
        assessment: String,
        /// The assessments with weights.
        weighted: String,
    },
    /// A score that is not a finite number.
    #[error("applicant \"{applicant}\": the score for \"{assessment}\" is not a number")]
    NotFinite {
        /// Applicant.
        applicant: String,
        /// Assessment.
        assessment: String,
    },
    /// The same applicant twice.
    #[error("applicant \"{0}\" appears twice")]
    DuplicateApplicant(String),
}

/// Weighted totals: Σ weight·score / Σ weight, so the total stays on the scale of the scores
/// (0–100 when every assessment is scored 0–100). An applicant missing a weighted score gets no
/// total and is reported as incomplete.
pub fn total_scores(
    applicants: &[ApplicantScores],
    weights: &BTreeMap<String, f64>,
) -> Result<Vec<ApplicantTotal>, ScoringError> {
    if weights.is_empty() {
        return Err(ScoringError::NoWeights);
    }
    for (name, w) in weights {
        if !w.is_finite() || *w < 0.0 {
            return Err(ScoringError::BadWeight(name.clone()));
        }
    }
    let weight_sum: f64 = weights.values().sum();
    if weight_sum <= 0.0 {
        return Err(ScoringError::ZeroWeights);
    }
    let mut out: Vec<ApplicantTotal> = Vec::with_capacity(applicants.len());
    for a in applicants {
        if out.iter().any(|t| t.id == a.id) {
            return Err(ScoringError::DuplicateApplicant(a.id.clone()));
        }
        for (assessment, score) in &a.scores {
            if !weights.contains_key(assessment) && score.is_some() {
                return Err(ScoringError::Unweighted {
                    applicant: a.id.clone(),
                    assessment: assessment.clone(),
                    weighted: weights.keys().cloned().collect::<Vec<_>>().join(", "),
                });
            }
            if score.is_some_and(|s| !s.is_finite()) {
                return Err(ScoringError::NotFinite {
                    applicant: a.id.clone(),
                    assessment: assessment.clone(),
                });
            }
        }
        let mut sum = 0.0;
        let mut missing = Vec::new();
        for (assessment, w) in weights {
            match a.scores.get(assessment).copied().flatten() {
                Some(s) => sum += w * s,
                None if *w > 0.0 => missing.push(assessment.clone()),
                None => {}
            }
        }
        out.push(ApplicantTotal {
            id: a.id.clone(),
            preference: a.preference,
            total: missing.is_empty().then_some(sum / weight_sum),
            missing,
        });
    }
    Ok(out)
}

/// A quality category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Name ("Best Qualified").
    pub name: String,
    /// Lowest total score in the category (inclusive).
    pub min_score: f64,
    /// The definition from the job analysis: what applicants in this category have shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
}

/// The categories, highest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryScheme {
    /// Highest first.
    pub categories: Vec<Category>,
}

/// Why a category scheme cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    /// Fewer than two categories (5 CFR 337.303(a); 5 U.S.C. 3319(a)).
    #[error(
        "category rating needs at least two quality categories (5 U.S.C. 3319(a), 5 CFR 337.303(a)); {0} given"
    )]
    TooFew(usize),
    /// An empty or repeated name.
    #[error("category names must be present and different: \"{0}\"")]
    Name(String),
    /// Lowest scores not strictly falling.
    #[error(
        "list the categories highest first, each with a lower minimum score than the one before: \"{0}\" does not"
    )]
    Order(String),
    /// A lowest score that is not a number.
    #[error("the minimum score of \"{0}\" is not a number")]
    NotFinite(String),
}

impl CategoryScheme {
    /// Checks the scheme.
    pub fn validate(&self) -> Result<(), SchemeError> {
        if self.categories.len() < 2 {
            return Err(SchemeError::TooFew(self.categories.len()));
        }
        for (i, c) in self.categories.iter().enumerate() {
            if c.name.trim().is_empty()
                || self.categories[..i]
                    .iter()
                    .any(|d| d.name.eq_ignore_ascii_case(&c.name))
            {
                return Err(SchemeError::Name(c.name.clone()));
            }
            if !c.min_score.is_finite() {
                return Err(SchemeError::NotFinite(c.name.clone()));
            }
            if i > 0 && c.min_score >= self.categories[i - 1].min_score {
                return Err(SchemeError::Order(c.name.clone()));
            }
        }
        Ok(())
    }

    /// The passing score: the lowest category's minimum.
    pub fn passing_score(&self) -> Option<f64> {
        self.categories.last().map(|c| c.min_score)
    }
}

/// The position, for the rule that places disabled veterans in the highest category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionContext {
    /// Grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// A scientific or professional position (OPM's professional occupations; AI research
    /// scientists in the 1500 and 1300 series are).
    pub scientific_professional: bool,
}

/// Why an applicant is where they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// The category their score reached.
    Earned,
    /// Placed in the highest category under 5 U.S.C. 3319(b).
    HighestCategoryByPreference,
}

/// An applicant in a category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedApplicant {
    /// Applicant id.
    pub id: String,
    /// Veterans' preference.
    pub preference: Preference,
    /// Total score.
    pub score: f64,
    /// The category the score reached.
    pub earned_category: String,
    /// Why the applicant is in this category.
    pub placement: Placement,
    /// In a sentence.
    pub explanation: String,
}

/// One category with its applicants, preference eligibles first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryList {
    /// Name.
    pub name: String,
    /// Lowest score.
    pub min_score: f64,
    /// Definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// Applicants: preference eligibles, then others; each group in applicant-id order.
    pub applicants: Vec<PlacedApplicant>,
}

/// An applicant not placed in any category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnplacedApplicant {
    /// Applicant id.
    pub id: String,
    /// Veterans' preference.
    pub preference: Preference,
    /// Total score, if complete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Why.
    pub explanation: String,
}

/// The result of category rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRating {
    /// The scheme used.
    pub scheme: CategoryScheme,
    /// The position.
    pub position: PositionContext,
    /// Whether qualified CP/CPS preference eligibles go to the highest category.
    pub disabled_veterans_to_highest_category: bool,
    /// The categories with their applicants, highest first.
    pub categories: Vec<CategoryList>,
    /// Below the lowest category.
    pub not_qualified: Vec<UnplacedApplicant>,
    /// Missing a score.
    pub incomplete: Vec<UnplacedApplicant>,
    /// The rules applied, in words.
    pub rules: Vec<String>,
}

/// Why category rating could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CategoryRatingError {
    /// The scheme is unusable.
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    /// The grade is needed to know whether the GS-9 exception applies.
    #[error(
        "for a scientific or professional position, give the grade: placing disabled veterans in the highest category does not apply at GS-9 and above (5 U.S.C. 3319(b))"
    )]
    GradeNeeded,
}

fn preference_sentence(p: Preference) -> &'static str {
    match p {
        Preference::Cps => "compensable service-connected disability of 30 % or more (CPS)",
        Preference::Cp => "compensable service-connected disability of 10 % or more (CP)",
        _ => "",
    }
}

/// Rates applicants into categories.
pub fn category_rating(
    applicants: &[ApplicantTotal],
    scheme: &CategoryScheme,
    position: PositionContext,
) -> Result<CategoryRating, CategoryRatingError> {
    scheme.validate()?;
    let float = if position.scientific_professional {
        let grade = position.grade.ok_or(CategoryRatingError::GradeNeeded)?;
        grade.number() < 9
    } else {
        true
    };
    let mut lists: Vec<CategoryList> = scheme
        .categories
        .iter()
        .map(|c| CategoryList {
            name: c.name.clone(),
            min_score: c.min_score,
            definition: c.definition.clone(),
            applicants: Vec::new(),
        })
        .collect();
    let mut not_qualified = Vec::new();
    let mut incomplete = Vec::new();
    let mut sorted: Vec<&ApplicantTotal> = applicants.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    for a in sorted {
        let Some(score) = a.total else {
            incomplete.push(UnplacedApplicant {
                id: a.id.clone(),
                preference: a.preference,
                score: None,
                explanation: format!(
                    "No score on {}: the applicant cannot be rated until every assessment is scored.",
                    a.missing.join(", ")
                ),
            });
            continue;
        };
        let Some(earned) = scheme.categories.iter().position(|c| score >= c.min_score) else {
            not_qualified.push(UnplacedApplicant {
                id: a.id.clone(),
                preference: a.preference,
                score: Some(score),
                explanation: format!(
                    "Score {} is below {} (the lowest score of {}): not qualified. Veterans' preference does not make a non-qualified applicant qualified.",
                    format_score(score),
                    format_score(scheme.categories[scheme.categories.len() - 1].min_score),
                    scheme.categories[scheme.categories.len() - 1].name
                ),
            });
            continue;
        };
        let (index, placement, explanation) = place(a, score, earned, scheme, float);
        let earned_name = scheme.categories[earned].name.clone();
        lists[index].applicants.push(PlacedApplicant {
            id: a.id.clone(),
            preference: a.preference,
            score,
            earned_category: earned_name,
            placement,
            explanation,
        });
    }
    for list in &mut lists {
        // stable: keeps applicant-id order inside each group
        list.applicants
            .sort_by_key(|a| !a.preference.is_preference_eligible());
    }
    let rules = category_rules(scheme, position, float);
    Ok(CategoryRating {
        scheme: scheme.clone(),
        position,
        disabled_veterans_to_highest_category: float,
        categories: lists,
        not_qualified,
        incomplete,
        rules,
    })
}

/// Where an applicant with `score`, who earned category `earned`, is listed (the category's
/// index), on which ground, and the sentence that explains it.
fn place(
    a: &ApplicantTotal,
    score: f64,
    earned: usize,
    scheme: &CategoryScheme,
    float: bool,
) -> (usize, Placement, String) {
    let top = &scheme.categories[0];
    let earned_name = &scheme.categories[earned].name;
    let floats = float
        && a.preference
            .has_compensable_disability_of_10_percent_or_more();
    if floats && earned > 0 {
        (
            0,
            Placement::HighestCategoryByPreference,
            format!(
                "Score {} reaches {earned_name}; placed in {} because the applicant is a qualified preference eligible with a {} (5 U.S.C. 3319(b)).",
                format_score(score),
                top.name,
                preference_sentence(a.preference)
            ),
        )
    } else {
        let mut text = format!(
            "Score {} is at least {} (the lowest score of {earned_name}).",
            format_score(score),
            format_score(scheme.categories[earned].min_score)
        );
        if a.preference
            .has_compensable_disability_of_10_percent_or_more()
            && !float
        {
            text.push_str(" The position is scientific or professional at GS-9 or above, so the applicant is not moved to the highest category; as a preference eligible, they are listed ahead of non-preference eligibles in this category.");
        } else if a.preference.is_preference_eligible() {
            text.push_str(" As a preference eligible, listed ahead of non-preference eligibles in this category.");
        }
        (earned, Placement::Earned, text)
    }
}

/// The rules the rating applied, stated for the record.
fn category_rules(scheme: &CategoryScheme, position: PositionContext, float: bool) -> Vec<String> {
    let top = &scheme.categories[0];
    let mut rules = vec![
        format!(
            "{} quality categories, defined from the job analysis with their lowest scores fixed before the announcement (5 CFR 337.303): {}.",
            scheme.categories.len(),
            scheme
                .categories
                .iter()
                .map(|c| format!("{} from {}", c.name, format_score(c.min_score)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        "Each applicant goes into the highest category whose lowest score the total reaches; a total exactly on a category's lowest score belongs to that category.".to_string(),
        "Within each category, preference eligibles are listed ahead of non-preference eligibles (5 U.S.C. 3319(b)); applicants are not ranked inside a category, so each group is listed in applicant-id order.".to_string(),
        "Veterans' preference points (5 or 10) are not added in category rating (5 CFR 337.304).".to_string(),
    ];
    rules.push(if float {
        format!(
            "Qualified preference eligibles with a compensable service-connected disability of 10 % or more (CP, CPS) are placed in the highest category, {} (5 U.S.C. 3319(b)).",
            top.name
        )
    } else {
        format!(
            "The position is scientific or professional at {}, so preference eligibles with a compensable disability stay in the category they earned (the GS-9-and-above exception of 5 U.S.C. 3319(b)).",
            position.grade.map(|g| g.to_string()).unwrap_or_default()
        )
    });
    rules.push("Selection is made from the highest category; a preference eligible may not be passed over for a non-preference eligible in the same category without the pass-over procedures of 5 U.S.C. 3318.".to_string());
    rules
}

/// Qualified or not, under direct-hire authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassFail {
    /// At or above the passing score.
    Qualified,
    /// Below it.
    NotQualified,
    /// Missing a score: cannot be decided.
    Incomplete,
}

/// One applicant's direct-hire result (no score, no rank).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassingGradeEntry {
    /// Applicant id.
    pub id: String,
    /// Result.
    pub result: PassFail,
}

/// The direct-hire passing-grade result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassingGrade {
    /// The passing score.
    pub passing_score: f64,
    /// Applicants in applicant-id order.
    pub applicants: Vec<PassingGradeEntry>,
    /// Counts.
    pub qualified: usize,
    /// Counts.
    pub not_qualified: usize,
    /// Counts.
    pub incomplete: usize,
    /// The rule applied, in words.
    pub rules: Vec<String>,
}

/// Why a passing grade cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the passing score must be a number")]
pub struct PassingScoreError;

/// Applies a direct-hire passing grade: qualified at or above `passing_score`, otherwise not.
pub fn passing_grade(
    applicants: &[ApplicantTotal],
    passing_score: f64,
) -> Result<PassingGrade, PassingScoreError> {
    if !passing_score.is_finite() {
        return Err(PassingScoreError);
    }
    let mut entries: Vec<PassingGradeEntry> = applicants
        .iter()
        .map(|a| PassingGradeEntry {
            id: a.id.clone(),
            result: match a.total {
                None => PassFail::Incomplete,
                Some(t) if t >= passing_score => PassFail::Qualified,
                Some(_) => PassFail::NotQualified,
            },
        })
        .collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    let count = |r: PassFail| entries.iter().filter(|e| e.result == r).count();
    Ok(PassingGrade {
        passing_score,
        qualified: count(PassFail::Qualified),
        not_qualified: count(PassFail::NotQualified),
        incomplete: count(PassFail::Incomplete),
        applicants: entries,
        rules: vec![
            format!("Direct-hire authority (5 U.S.C. 3304, formerly subsection (a)(3); 5 CFR part 337, subpart B): an applicant is qualified when the assessment result is at least the passing score, {}, and not qualified otherwise.", format_score(passing_score)),
            "Rating, ranking and veterans' preference ordering are waived under direct hire, so the list shows no scores, no ranks and no categories, and is in applicant-id order. As OPM puts it, agencies \"should not be making a further assessment of an applicant's relative ability\".".to_string(),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(id: &str, preference: Preference, score: Option<f64>) -> ApplicantTotal {
        ApplicantTotal {
            id: id.into(),
            preference,
            total: score,
            missing: if score.is_none() {
                vec!["interview".into()]
            } else {
                Vec::new()
            },
        }
    }

    fn bwq() -> CategoryScheme {
        CategoryScheme {
            categories: vec![
                Category {
                    name: "Best Qualified".into(),
                    min_score: 95.0,
                    definition: None,
                },
                Category {
                    name: "Well Qualified".into(),
                    min_score: 85.0,
                    definition: None,
                },
                Category {
                    name: "Qualified".into(),
                    min_score: 70.0,
                    definition: None,
                },
            ],
        }
    }

    fn ids(list: &CategoryList) -> Vec<&str> {
        list.applicants.iter().map(|a| a.id.as_str()).collect()
    }

    #[test]
    fn totals_are_weighted_means_and_missing_scores_are_incomplete() {
        let weights: BTreeMap<String, f64> = [
            ("interview".to_string(), 60.0),
            ("work_sample".to_string(), 40.0),
        ]
        .into();
        let a = ApplicantScores {
            id: "A1".into(),
            preference: Preference::None,
            scores: [
                ("interview".to_string(), Some(90.0)),
                ("work_sample".to_string(), Some(80.0)),
            ]
            .into(),
        };
        let b = ApplicantScores {
            id: "A2".into(),
            preference: Preference::Tp,
            scores: [
                ("interview".to_string(), Some(90.0)),
                ("work_sample".to_string(), None),
            ]
            .into(),
        };
        let t = total_scores(&[a.clone(), b], &weights).unwrap();
        assert_eq!(t[0].total, Some(86.0));
        assert_eq!(t[1].total, None);
        assert_eq!(t[1].missing, vec!["work_sample"]);
        let mut c = a.clone();
        c.scores.insert("essay".into(), Some(50.0));
        assert!(matches!(
            total_scores(&[c], &weights),
            Err(ScoringError::Unweighted { .. })
        ));
        assert!(matches!(
            total_scores(&[a.clone(), a], &weights),
            Err(ScoringError::DuplicateApplicant(_))
        ));
    }

    #[test]
    fn a_score_on_a_boundary_belongs_to_the_higher_category() {
        let r = category_rating(
            &[
                total("A", Preference::None, Some(95.0)),
                total("B", Preference::None, Some(94.99)),
                total("C", Preference::None, Some(85.0)),
                total("D", Preference::None, Some(70.0)),
                total("E", Preference::None, Some(69.99)),
            ],
            &bwq(),
            PositionContext {
                grade: Grade::new(14),
                scientific_professional: false,
            },
        )
        .unwrap();
        assert_eq!(ids(&r.categories[0]), vec!["A"]);
        assert_eq!(ids(&r.categories[1]), vec!["B", "C"]);
        assert_eq!(ids(&r.categories[2]), vec!["D"]);
        assert_eq!(r.not_qualified[0].id, "E");
    }

    #[test]
    fn preference_eligibles_come_first_and_disabled_veterans_go_to_the_top() {
        let applicants = [
            total("A1", Preference::None, Some(88.0)),
            total("A2", Preference::Tp, Some(86.0)),
            total("A3", Preference::Cps, Some(72.0)),
            total("A4", Preference::Cp, Some(90.0)),
            total("A5", Preference::None, Some(97.0)),
            total("A6", Preference::Xp, Some(60.0)),
            total("A7", Preference::Ssp, Some(96.0)),
            total("A8", Preference::Cps, None),
        ];
        let general = category_rating(
            &applicants,
            &bwq(),
            PositionContext {
                grade: Grade::new(14),
                scientific_professional: false,
            },
        )
        .unwrap();
        assert!(general.disabled_veterans_to_highest_category);
        // Best: preference eligibles (A3, A4 floated; A7 SSP) ahead of A5, each group by id
        assert_eq!(ids(&general.categories[0]), vec!["A3", "A4", "A7", "A5"]);
        assert_eq!(
            general.categories[0].applicants[0].placement,
            Placement::HighestCategoryByPreference
        );
        assert_eq!(
            general.categories[0].applicants[0].earned_category,
            "Qualified"
        );
        assert_eq!(ids(&general.categories[1]), vec!["A2", "A1"]);
        assert!(general.categories[2].applicants.is_empty());
        // a preference eligible below the passing score stays not qualified
        assert_eq!(general.not_qualified[0].id, "A6");
        assert_eq!(general.incomplete[0].id, "A8");

        // Scientific/professional at GS-14: no float; preference still orders within category
        let scientific = category_rating(
            &applicants,
            &bwq(),
            PositionContext {
                grade: Grade::new(14),
                scientific_professional: true,
            },
        )
        .unwrap();
        assert!(!scientific.disabled_veterans_to_highest_category);
        assert_eq!(ids(&scientific.categories[0]), vec!["A7", "A5"]);
        assert_eq!(ids(&scientific.categories[1]), vec!["A2", "A4", "A1"]);
        assert_eq!(ids(&scientific.categories[2]), vec!["A3"]);
        assert!(
            scientific.categories[2].applicants[0]
                .explanation
                .contains("not moved")
        );
    }

    #[test]
    fn the_gs9_boundary_of_the_scientific_exception() {
        let applicants = [total("V", Preference::Cp, Some(80.0))];
        let at = |grade: u8| {
            category_rating(
                &applicants,
                &bwq(),
                PositionContext {
                    grade: Grade::new(grade),
                    scientific_professional: true,
                },
            )
            .unwrap()
        };
        assert!(at(8).disabled_veterans_to_highest_category);
        assert_eq!(ids(&at(8).categories[0]), vec!["V"]);
        assert!(!at(9).disabled_veterans_to_highest_category);
        assert_eq!(ids(&at(9).categories[2]), vec!["V"]);
        assert_eq!(
            category_rating(
                &applicants,
                &bwq(),
                PositionContext {
                    grade: None,
                    scientific_professional: true
                }
            )
            .unwrap_err(),
            CategoryRatingError::GradeNeeded
        );
    }

    #[test]
    fn schemes_need_two_categories_in_falling_order() {
        let mut s = bwq();
        s.categories.truncate(1);
        assert_eq!(s.validate().unwrap_err(), SchemeError::TooFew(1));
        let mut s = bwq();
        s.categories[2].min_score = 85.0;
        assert!(matches!(s.validate(), Err(SchemeError::Order(_))));
        let mut s = bwq();
        s.categories[1].name = "best qualified".into();
        assert!(matches!(s.validate(), Err(SchemeError::Name(_))));
    }

    #[test]
    fn the_passing_grade_shows_no_scores_or_ranks() {
        let r = passing_grade(
            &[
                total("Z", Preference::Cps, Some(69.99)),
                total("B", Preference::None, Some(70.0)),
                total("A", Preference::None, Some(99.0)),
                total("C", Preference::None, None),
            ],
            70.0,
        )
        .unwrap();
        let listed: Vec<(&str, PassFail)> = r
            .applicants
            .iter()
            .map(|e| (e.id.as_str(), e.result))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("A", PassFail::Qualified),
                ("B", PassFail::Qualified),
                ("C", PassFail::Incomplete),
                ("Z", PassFail::NotQualified),
            ]
        );
        let json = serde_json::to_string(&r).unwrap();
        assert!(
            !json.contains("99") && !json.contains("score\":9"),
            "{json}"
        );
        assert_eq!((r.qualified, r.not_qualified, r.incomplete), (2, 1, 1));
    }

    #[test]
    fn scores_print_short() {
        assert_eq!(format_score(97.5), "97.5");
        assert_eq!(format_score(85.0), "85");
        assert_eq!(format_score(86.333333), "86.33");
        assert_eq!(format_score(-0.001), "0");
    }

    #[test]
    fn preference_codes_parse() {
        assert_eq!("cps".parse::<Preference>().unwrap(), Preference::Cps);
        assert_eq!("".parse::<Preference>().unwrap(), Preference::None);
        assert!("10pt".parse::<Preference>().is_err());
    }
}
