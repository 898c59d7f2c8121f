//! The gap report: every person's gaps against their role, coverage per competency and the
//! team figures, with the policy and options that made them — what `framewright gaps` prints
//! and exports.

use framewright_model::Framework;
use framewright_model::framework::Date;
use std::collections::HashSet;

use serde::Serialize;

use crate::career::{UnknownRole, role};
use crate::gap::{GapContext, MonthsPerLevel, PersonGaps, next_level, person_gaps};
use crate::policy::{CurrentLevelPolicy, Ratings};
use crate::record::{AssessmentRecord, Person};
use crate::team::{AggregateOptions, Coverage, TeamReport, coverage, team_report};

/// What a gap report is computed with.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Only the people in this role profile, when given.
    pub role: Option<String>,
    /// The current-level policy.
    pub policy: CurrentLevelPolicy,
    /// The report's date.
    pub as_of: Date,
    /// Months of development per level.
    pub months: MonthsPerLevel,
    /// Group-size suppression.
    pub aggregate: AggregateOptions,
    /// Whether each gap carries the ratings behind its current level and beside it.
    pub detail: bool,
}

/// The framework a report was made against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its version (the release).
    pub version: String,
}

/// The policy a report used: its name, its rule in words, and its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyUsed {
    /// The policy's name.
    pub name: String,
    /// The rule in plain words.
    pub description: String,
    /// The parameters.
    pub parameters: CurrentLevelPolicy,
}

/// One level of one competency with its indicators, worded "To reach Advanced, show that you
/// …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelSteps {
    /// The competency (framework id).
    pub competency: String,
    /// The level's number.
    pub level: u8,
    /// The level's name on the framework's scale.
    pub name: String,
    /// The indicators, worded for the person.
    pub indicators: Vec<String>,
}

/// The levels that the gaps in `people` lead to, in the framework's order.
pub fn level_steps(framework: &Framework, people: &[PersonGaps]) -> Vec<LevelSteps> {
    let used: HashSet<(&str, u8)> = people
        .iter()
        .flat_map(|p| &p.gaps)
        .flat_map(|g| g.next_levels.iter().map(|l| (g.competency.as_str(), *l)))
        .collect();
    let mut levels: Vec<u8> = used.iter().map(|(_, l)| *l).collect();
    levels.sort_unstable();
    levels.dedup();
    let mut out = Vec::new();
    for c in &framework.competencies {
        for level in &levels {
            if used.contains(&(c.id.as_str(), *level)) {
                let step = next_level(framework, &c.id, *level);
                out.push(LevelSteps {
                    competency: c.id.clone(),
                    level: *level,
                    name: step.name,
                    indicators: step.indicators,
                });
            }
        }
    }
    out
}

/// The gap report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    /// The framework.
    pub framework: FrameworkRef,
    /// The report's date.
    #[serde(serialize_with = "crate::record::ymd::serialize")]
    pub as_of: Date,
    /// The role the report is limited to, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The current-level policy used.
    pub policy: PolicyUsed,
    /// Months of development per level used for time to target.
    pub months_per_level: MonthsPerLevel,
    /// Every person in the report, against their own role.
    pub people: Vec<PersonGaps>,
    /// What each level that some gap leads to asks for, once per competency and level (a gap
    /// names its levels in `next_levels`).
    pub next_levels: Vec<LevelSteps>,
    /// Coverage per competency.
    pub competencies: Vec<Coverage>,
    /// Roles heatmap, bench strength, single points of failure, training priorities.
    pub team: TeamReport,
}

/// The gap report of `people` (checked: see [`crate::validate`]) with `records`.
pub fn gap_report(
    framework: &Framework,
    people: &[Person],
    records: &[AssessmentRecord],
    options: &ReportOptions,
) -> Result<GapReport, UnknownRole> {
    if let Some(r) = &options.role {
        role(framework, r)?;
    }
    let ctx = GapContext {
        framework,
        policy: &options.policy,
        as_of: options.as_of,
        months: options.months,
        detail: options.detail,
    };
    let ratings = Ratings::new(records);
    let chosen: Vec<Person> = people
        .iter()
        .filter(|p| options.role.as_ref().is_none_or(|r| &p.role == r))
        .cloned()
        .collect();
    let mut gaps = Vec::with_capacity(chosen.len());
    for p in &chosen {
        gaps.push(person_gaps(&ctx, p, role(framework, &p.role)?, &ratings));
    }
    let competencies = coverage(framework, &gaps, options.aggregate);
    // Bench strength looks at everyone, whatever role the report is limited to.
    let team = team_report(&ctx, people, &gaps, &ratings, options.aggregate);
    Ok(GapReport {
        framework: FrameworkRef {
            id: framework.id.clone(),
            title: framework.title.clone(),
            version: framework.version.to_string(),
        },
        as_of: options.as_of,
        role: options.role.clone(),
        policy: PolicyUsed {
            name: options.policy.name.clone(),
            description: options.policy.describe(),
            parameters: options.policy.clone(),
        },
        months_per_level: options.months,
        next_levels: level_steps(framework, &gaps),
        people: gaps,
        competencies,
        team,
    })
}
