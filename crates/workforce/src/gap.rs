//! Gaps between a person's current levels and their role's targets, with the indicators of the
//! levels to reach and an estimate of the time it takes.

use framewright_model::framework::Date;
use framewright_model::{Framework, RoleProfile, Target};
use serde::{Deserialize, Serialize};

use crate::policy::{CurrentLevel, CurrentLevelPolicy, Ratings, Shown};
use crate::record::Person;

/// Where a person stands against one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapStatus {
    /// Below the target.
    Below,
    /// Exactly at the target.
    Meets,
    /// Above the target.
    Above,
    /// No current level: nothing is counted, not even 0.
    NotAssessed,
}

impl GapStatus {
    /// The status as written in reports and files.
    pub fn as_str(self) -> &'static str {
        match self {
            GapStatus::Below => "below",
            GapStatus::Meets => "meets",
            GapStatus::Above => "above",
            GapStatus::NotAssessed => "not_assessed",
        }
    }

    /// Whether the target is met (at or above it).
    pub fn meets_target(self) -> bool {
        matches!(self, GapStatus::Meets | GapStatus::Above)
    }

    /// The status and gap of `current` against `target`.
    pub fn of(current: Option<u8>, target: u8) -> (GapStatus, Option<u8>) {
        match current {
            None => (GapStatus::NotAssessed, None),
            Some(c) if c < target => (GapStatus::Below, Some(target - c)),
            Some(c) if c == target => (GapStatus::Meets, Some(0)),
            Some(_) => (GapStatus::Above, Some(0)),
        }
    }
}

/// The guidance for time to target: months of development per level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthsPerLevel {
    /// Fewest months per level.
    pub min: u32,
    /// Most months per level.
    pub max: u32,
}

impl Default for MonthsPerLevel {
    fn default() -> Self {
        MonthsPerLevel { min: 12, max: 24 }
    }
}

/// An estimated time to reach a target, in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeToTarget {
    /// Fewest months.
    pub min_months: u32,
    /// Most months.
    pub max_months: u32,
}

/// One level between the current level and the target, with what shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextLevel {
    /// The level's number.
    pub level: u8,
    /// The level's name on the framework's scale.
    pub name: String,
    /// The competency's indicators at that level, worded "To reach Advanced, show that you …".
    pub indicators: Vec<String>,
}

/// One target of a person's role and where they stand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// The competency (framework id).
    pub competency: String,
    /// Its name (left out of JSON: the report's `competencies` table has it).
    #[serde(skip)]
    pub name: String,
    /// The level the role requires.
    pub target: u8,
    /// The target's weight (1 when the framework gives none).
    pub weight: f64,
    /// The current level, `None` when not assessed.
    pub current: Option<u8>,
    /// `target − current` when below, 0 at or above, `None` when not assessed.
    pub gap: Option<u8>,
    /// Below, meets, above or not assessed.
    pub status: GapStatus,
    /// The ratings that set the current level (only with [`GapContext::detail`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<Shown>,
    /// Ratings shown beside it that do not set it: self, peer (only with
    /// [`GapContext::detail`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub beside: Vec<Shown>,
    /// Why it is not assessed, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The levels to reach (empty unless below); their indicators are in the report's
    /// `next_levels` table, or from [`next_levels`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_levels: Vec<u8>,
    /// The estimated time to reach the target (only when below).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_target: Option<TimeToTarget>,
}

/// A person's gaps against their role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonGaps {
    /// The person's id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their unit, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Their role profile id.
    pub role: String,
    /// One entry per target of the role, in the role's order.
    pub gaps: Vec<Gap>,
}

impl PersonGaps {
    /// The sum of weighted gaps over the assessed targets.
    pub fn weighted_gap(&self) -> f64 {
        self.gaps
            .iter()
            .filter_map(|g| g.gap.map(|n| f64::from(n) * g.weight))
            .sum()
    }
}

/// What a gap report needs besides people and ratings.
#[derive(Debug, Clone, Copy)]
pub struct GapContext<'a> {
    /// The framework (scale, competencies, role profiles).
    pub framework: &'a Framework,
    /// The current-level policy.
    pub policy: &'a CurrentLevelPolicy,
    /// The report's date: later ratings are ignored, expiry counts from it.
    pub as_of: Date,
    /// Months of development per level.
    pub months: MonthsPerLevel,
    /// Whether each gap carries the ratings behind its current level and beside it (`basis`
    /// and `beside`); without it they are left empty.
    pub detail: bool,
}

/// The gap on one target, from a current level. The sentences of the levels to reach are not
/// repeated on every gap: `next_levels` names the levels, and [`next_levels`] (or the report's
/// table of them) gives their indicators.
pub fn gap(ctx: &GapContext<'_>, target: &Target, current: CurrentLevel) -> Gap {
    let competency = ctx.framework.competency(&target.competency);
    let (status, gap) = GapStatus::of(current.level, target.level);
    let mut next_levels = Vec::new();
    let mut time_to_target = None;
    if let (GapStatus::Below, Some(from), Some(n)) = (status, current.level, gap) {
        next_levels.extend(from + 1..=target.level);
        time_to_target = Some(TimeToTarget {
            min_months: ctx.months.min.saturating_mul(u32::from(n)),
            max_months: ctx.months.max.saturating_mul(u32::from(n)),
        });
    }
    Gap {
        competency: target.competency.clone(),
        name: competency.map_or_else(|| target.competency.clone(), |c| c.name.clone()),
        target: target.level,
        weight: target.weight.unwrap_or(1.0),
        current: current.level,
        gap,
        status,
        basis: current.basis,
        beside: current.beside,
        note: current.note,
        next_levels,
        time_to_target,
    }
}

/// The level `level` of `competency`, with its indicators worded "To reach Advanced, show that
/// you …".
pub fn next_level(framework: &Framework, competency: &str, level: u8) -> NextLevel {
    let name = framework
        .scale
        .level(level)
        .map_or_else(|| format!("level {level}"), |l| l.name.clone());
    let indicators = framework
        .competency(competency)
        .and_then(|c| c.level(level))
        .map(|l| l.indicators.iter().map(|i| to_reach(&name, i)).collect())
        .unwrap_or_default();
    NextLevel {
        level,
        name,
        indicators,
    }
}

/// The levels above `from` up to `to` of `competency`, each with its indicators.
pub fn next_levels(framework: &Framework, competency: &str, from: u8, to: u8) -> Vec<NextLevel> {
    (from.saturating_add(1)..=to)
        .map(|level| next_level(framework, competency, level))
        .collect()
}

/// A person's gaps against `role` (their own, or one they might move to).
pub fn person_gaps(
    ctx: &GapContext<'_>,
    person: &Person,
    role: &RoleProfile,
    ratings: &Ratings<'_>,
) -> PersonGaps {
    let gaps = role
        .targets
        .iter()
        .map(|t| {
            let current =
                ratings.current_with(ctx.policy, &person.id, &t.competency, ctx.as_of, ctx.detail);
            gap(ctx, t, current)
        })
        .collect();
    PersonGaps {
        id: person.id.clone(),
        name: person.name.clone(),
        unit: person.unit.clone(),
        role: role.id.clone(),
        gaps,
    }
}

/// An indicator worded for the person: "To reach Advanced, show that you design the plan."
/// Indicators are written in the third person ("Designs the plan."); the first verb is turned
/// to the second person when it plainly is one, otherwise the text is quoted as written.
pub fn to_reach(level_name: &str, indicator: &str) -> String {
    let text = indicator.trim();
    let (first, rest) = text.split_once(' ').unwrap_or((text, ""));
    let verb = second_person(first);
    match verb {
        Some(v) if rest.is_empty() => format!("To reach {level_name}, show that you {v}"),
        Some(v) => format!("To reach {level_name}, show that you {v} {rest}"),
        None => format!("To reach {level_name}, show that you meet this: {text}"),
    }
}

/// "Designs" → "design", "Applies" → "apply", "Uses" → "use", "Teaches" → "teach", "Does" →
/// "do"; `None`
/// when the word is not a capitalised third-person verb.
fn second_person(word: &str) -> Option<String> {
    let mut chars = word.chars();
    let first = chars.next()?;
    if !first.is_uppercase() || !word.chars().all(char::is_alphabetic) || word.len() < 3 {
        return None;
    }
    if word.chars().skip(1).any(char::is_uppercase) {
        return None;
    }
    let lower = word.to_lowercase();
    let stem = if let Some(s) = lower.strip_suffix("ies") {
        format!("{s}y")
    } else if ["sses", "shes", "ches", "xes", "zes", "oes"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        lower[..lower.len() - 2].to_string()
    } else if lower.ends_with("ss") || lower.ends_with("us") || lower.ends_with("is") {
        return None;
    } else {
        lower.strip_suffix('s')?.to_string()
    };
    Some(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_at_target_meets_with_gap_zero() {
        assert_eq!(GapStatus::of(Some(3), 3), (GapStatus::Meets, Some(0)));
        assert_eq!(GapStatus::of(Some(4), 3), (GapStatus::Above, Some(0)));
        assert_eq!(GapStatus::of(Some(1), 3), (GapStatus::Below, Some(2)));
        assert_eq!(GapStatus::of(None, 3), (GapStatus::NotAssessed, None));
    }

    #[test]
    fn indicators_are_worded_for_the_person() {
        assert_eq!(
            to_reach("Advanced", "Designs the analysis plan."),
            "To reach Advanced, show that you design the analysis plan."
        );
        assert_eq!(
            to_reach("Expert", "Queries a data set."),
            "To reach Expert, show that you query a data set."
        );
        assert_eq!(
            to_reach("Expert", "Teaches others."),
            "To reach Expert, show that you teach others."
        );
        assert_eq!(
            to_reach("Expert", "Does it."),
            "To reach Expert, show that you do it."
        );
        assert_eq!(
            to_reach("Expert", "Process design is documented."),
            "To reach Expert, show that you meet this: Process design is documented."
        );
    }
}
