//! The thresholds of a job analysis as named, stored, changeable parameters, with OPM's defaults
//! (DEOH Appendix G and the OPM Job Analysis Template; see `docs/job-analysis.md`).
//!
//! Every rule has an identifier (`task.drop_when_not_performed_share`, …) that is both its key in
//! a parameters file and the name a decision in the report cites, so a reader can trace each
//! decision to the exact threshold that made it.

use serde::{Deserialize, Serialize};

use crate::cutoff::Cutoff;
use crate::scales::{self, RatingScale};

/// Rule identifiers, as they appear in parameter files and in decisions.
pub mod rule {
    /// Drop a task that enough SMEs rate Not performed.
    pub const TASK_DROP: &str = "task.drop_when_not_performed_share";
    /// Task criticality on mean importance.
    pub const TASK_IMPORTANCE: &str = "task.critical_when_mean_importance";
    /// Task criticality on mean frequency.
    pub const TASK_FREQUENCY: &str = "task.critical_when_mean_frequency";
    /// Competency criticality on mean importance.
    pub const COMPETENCY_IMPORTANCE: &str = "competency.critical_when_mean_importance";
    /// Competency criticality on the share saying "needed at entry".
    pub const COMPETENCY_ENTRY: &str = "competency.critical_when_needed_at_entry_share";
    /// Optional competency criticality on mean distinguishing value.
    pub const COMPETENCY_DV: &str = "competency.critical_when_mean_distinguishing_value";
    /// Retention on the share of SMEs linking the competency to a critical task.
    pub const LINKAGE: &str = "linkage.retain_when_linking_share";
}

/// Rules for tasks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskRules {
    /// Drop a task when this share of the SMEs who rated it rate it Not performed (0) on
    /// importance or frequency. OPM: at least half.
    pub drop_when_not_performed_share: Cutoff,
    /// A task is critical when its mean importance (Not performed excluded) meets this. OPM:
    /// at least 3.0.
    pub critical_when_mean_importance: Cutoff,
    /// … and its mean frequency (Not performed excluded) meets this. OPM: at least 3.0.
    pub critical_when_mean_frequency: Cutoff,
}

impl Default for TaskRules {
    fn default() -> Self {
        TaskRules {
            drop_when_not_performed_share: Cutoff::AtLeast(0.5),
            critical_when_mean_importance: Cutoff::AtLeast(3.0),
            critical_when_mean_frequency: Cutoff::AtLeast(3.0),
        }
    }
}

/// Rules for competencies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CompetencyRules {
    /// A competency is critical when its mean importance meets this. OPM: at least 3.0
    /// ("Important").
    pub critical_when_mean_importance: Cutoff,
    /// … and this share of SMEs say it is needed at entry. Usual reading of OPM's "needed at
    /// entry": at least 50 %.
    pub critical_when_needed_at_entry_share: Cutoff,
    /// … and, when set, its mean distinguishing value meets this. Not set by default: OPM lists
    /// distinguishing value among the criteria for choosing questionnaire competencies but gives
    /// no threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub critical_when_mean_distinguishing_value: Option<Cutoff>,
}

impl Default for CompetencyRules {
    fn default() -> Self {
        CompetencyRules {
            critical_when_mean_importance: Cutoff::AtLeast(3.0),
            critical_when_needed_at_entry_share: Cutoff::AtLeast(0.5),
            critical_when_mean_distinguishing_value: None,
        }
    }
}

/// Rules for the task × competency linkage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkageRules {
    /// A critical competency is retained when this share of the SMEs who rated its links say it
    /// is linked to at least one critical task. Default: more than half (a majority).
    pub retain_when_linking_share: Cutoff,
}

impl Default for LinkageRules {
    fn default() -> Self {
        LinkageRules {
            retain_when_linking_share: Cutoff::MoreThan(0.5),
        }
    }
}

/// How agreement among SMEs is reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgreementOptions {
    /// Confidence level of the ICC intervals.
    pub icc_confidence: f64,
}

impl Default for AgreementOptions {
    fn default() -> Self {
        AgreementOptions {
            icc_confidence: 0.95,
        }
    }
}

/// Every threshold of a job analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AnalysisParameters {
    /// Task rules.
    pub task: TaskRules,
    /// Competency rules.
    pub competency: CompetencyRules,
    /// Linkage rules.
    pub linkage: LinkageRules,
    /// Agreement statistics.
    pub agreement: AgreementOptions,
    /// The distinguishing-value scale SMEs answer (OPM publishes no anchors).
    pub distinguishing_value_scale: RatingScale,
}

impl Default for AnalysisParameters {
    fn default() -> Self {
        AnalysisParameters {
            task: TaskRules::default(),
            competency: CompetencyRules::default(),
            linkage: LinkageRules::default(),
            agreement: AgreementOptions::default(),
            distinguishing_value_scale: scales::default_distinguishing_value(),
        }
    }
}

/// Why parameters cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid analysis parameters: {}", .problems.join("; "))]
pub struct ParameterError {
    /// Each problem, naming the parameter.
    pub problems: Vec<String>,
}

impl AnalysisParameters {
    /// Checks that every threshold is usable: shares between 0 and 1, means inside their scale,
    /// a distinguishing-value scale with at least two points numbered without gaps.
    pub fn validate(&self) -> Result<(), ParameterError> {
        // Each cutoff with the scale it is read on: shares 0 … 1, mean ratings 1 … 5.
        let cutoffs = [
            (
                &self.task.drop_when_not_performed_share,
                rule::TASK_DROP,
                0.0,
                1.0,
            ),
            (
                &self.task.critical_when_mean_importance,
                rule::TASK_IMPORTANCE,
                1.0,
                5.0,
            ),
            (
                &self.task.critical_when_mean_frequency,
                rule::TASK_FREQUENCY,
                1.0,
                5.0,
            ),
            (
                &self.competency.critical_when_mean_importance,
                rule::COMPETENCY_IMPORTANCE,
                1.0,
                5.0,
            ),
            (
                &self.competency.critical_when_needed_at_entry_share,
                rule::COMPETENCY_ENTRY,
                0.0,
                1.0,
            ),
            (
                &self.linkage.retain_when_linking_share,
                rule::LINKAGE,
                0.0,
                1.0,
            ),
        ];
        let mut problems: Vec<String> = cutoffs
            .into_iter()
            .filter_map(|(cutoff, rule, low, high)| cutoff.check_range(rule, low, high).err())
            .collect();
        let scale = &self.distinguishing_value_scale;
        let mut values: Vec<u8> = scale.anchors.iter().map(|a| a.value).collect();
        values.sort_unstable();
        let gapless = values.windows(2).all(|w| w[1] == w[0] + 1);
        if values.len() < 2 || !gapless {
            problems.push(
                "distinguishing_value_scale: the scale needs at least two points numbered without gaps (for example 1, 2, 3, 4, 5)".to_string(),
            );
        } else if let Some(dv) = self.competency.critical_when_mean_distinguishing_value {
            let (low, high) = scale.range();
            problems.extend(
                dv.check_range(rule::COMPETENCY_DV, f64::from(low), f64::from(high))
                    .err(),
            );
        }
        let confidence = self.agreement.icc_confidence;
        if !(confidence > 0.0 && confidence < 1.0) {
            problems.push(format!(
                "agreement.icc_confidence: {confidence} must be between 0 and 1 (0.95 for 95 % intervals)"
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ParameterError { problems })
        }
    }

    /// The rules in force, each as (identifier, sentence), for the report's method section.
    pub fn rule_statements(&self) -> Vec<(&'static str, String)> {
        let t = &self.task;
        let c = &self.competency;
        let mut rules = vec![
            (
                rule::TASK_DROP,
                format!(
                    "Drop a task when {} of the SMEs who rated it rate it Not performed (0) on importance or on frequency.",
                    t.drop_when_not_performed_share.describe_share()
                ),
            ),
            (
                rule::TASK_IMPORTANCE,
                format!(
                    "A remaining task is critical only if its mean importance, Not performed ratings excluded, is {}.",
                    t.critical_when_mean_importance.describe_mean()
                ),
            ),
            (
                rule::TASK_FREQUENCY,
                format!(
                    "… and its mean frequency, Not performed ratings excluded, is {}.",
                    t.critical_when_mean_frequency.describe_mean()
                ),
            ),
            (
                rule::COMPETENCY_IMPORTANCE,
                format!(
                    "A competency is critical only if its mean importance is {}.",
                    c.critical_when_mean_importance.describe_mean()
                ),
            ),
            (
                rule::COMPETENCY_ENTRY,
                format!(
                    "… and {} of the SMEs who answered say it is needed at entry.",
                    c.critical_when_needed_at_entry_share.describe_share()
                ),
            ),
        ];
        if let Some(dv) = c.critical_when_mean_distinguishing_value {
            rules.push((
                rule::COMPETENCY_DV,
                format!(
                    "… and its mean distinguishing value is {}.",
                    dv.describe_mean()
                ),
            ));
        }
        rules.push((
            rule::LINKAGE,
            format!(
                "A critical competency is retained for assessment when {} of the SMEs who rated its links link it to at least one critical task.",
                self.linkage.retain_when_linking_share.describe_share()
            ),
        ));
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_opm_and_valid() {
        let p = AnalysisParameters::default();
        assert!(p.validate().is_ok());
        assert_eq!(p.task.drop_when_not_performed_share, Cutoff::AtLeast(0.5));
        assert_eq!(p.task.critical_when_mean_importance, Cutoff::AtLeast(3.0));
        assert_eq!(p.task.critical_when_mean_frequency, Cutoff::AtLeast(3.0));
        assert_eq!(
            p.competency.critical_when_needed_at_entry_share,
            Cutoff::AtLeast(0.5)
        );
        assert_eq!(p.linkage.retain_when_linking_share, Cutoff::MoreThan(0.5));
    }

    #[test]
    fn a_partial_file_keeps_the_other_defaults_and_typos_are_refused() {
        let p: AnalysisParameters =
            toml::from_str("[task]\ncritical_when_mean_importance = { at_least = 3.5 }\n").unwrap();
        assert_eq!(p.task.critical_when_mean_importance, Cutoff::AtLeast(3.5));
        assert_eq!(p.task.critical_when_mean_frequency, Cutoff::AtLeast(3.0));
        assert_eq!(p.linkage, LinkageRules::default());
        assert!(
            toml::from_str::<AnalysisParameters>(
                "[task]\ncritical_when_mean_importanc = { at_least = 3.5 }\n"
            )
            .is_err()
        );
    }

    #[test]
    fn parameters_round_trip_through_toml_and_json() {
        let mut p = AnalysisParameters::default();
        p.competency.critical_when_mean_distinguishing_value = Some(Cutoff::MoreThan(2.5));
        let text = toml::to_string(&p).unwrap();
        assert_eq!(toml::from_str::<AnalysisParameters>(&text).unwrap(), p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            serde_json::from_str::<AnalysisParameters>(&json).unwrap(),
            p
        );
    }

    #[test]
    fn out_of_range_thresholds_are_named() {
        let mut p = AnalysisParameters::default();
        p.task.drop_when_not_performed_share = Cutoff::AtLeast(50.0);
        p.competency.critical_when_mean_importance = Cutoff::AtLeast(f64::NAN);
        let e = p.validate().unwrap_err();
        assert_eq!(e.problems.len(), 2);
        assert!(e.problems[0].starts_with(rule::TASK_DROP));
        assert!(e.problems[1].starts_with(rule::COMPETENCY_IMPORTANCE));
    }
}
