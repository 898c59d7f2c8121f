//! Adverse impact at each step of a selection process (minimum qualifications, assessment,
//! interview, selection) and for the process as a whole (the "bottom line", 29 CFR 1607.4C):
//! the four-fifths rule of 29 CFR 1607.4D with Fisher's exact test, the two-proportion z-test and
//! small-sample warnings. The statistics are the engine's
//! (`framewright_stats::fairness::adverse_impact`); this module works out who was considered at
//! each step — only the applicants who reached it — and reports every step.

use framewright_stats::fairness::{AdverseImpactOptions, adverse_impact, count_groups};
use serde::{Deserialize, Serialize};

/// One applicant's way through the steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlowApplicant {
    /// Applicant id.
    pub id: String,
    /// Group (sex, race/ethnicity, …); `None` when the applicant did not report it.
    pub group: Option<String>,
    /// Per step: passed (`Some(true)`), did not pass (`Some(false)`), did not reach it (`None`).
    pub outcomes: Vec<Option<bool>>,
}

/// A selection process and the applicants who went through it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionFlow {
    /// What the groups are (`sex`, `race_ethnicity`).
    pub grouping: String,
    /// The steps, in order.
    pub steps: Vec<String>,
    /// The applicants.
    pub applicants: Vec<FlowApplicant>,
}

/// Thresholds of the monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactOptions {
    /// A group whose impact ratio is below this is flagged (0.8: the four-fifths rule).
    pub threshold: f64,
    /// Groups with fewer applicants than this get a small-sample warning.
    pub small_group: u64,
    /// Significance level of the tests.
    pub significance: f64,
}

impl Default for ImpactOptions {
    fn default() -> Self {
        let d = AdverseImpactOptions::default();
        ImpactOptions {
            threshold: d.threshold,
            small_group: d.small_group,
            significance: d.significance,
        }
    }
}

/// One group at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupAtStep {
    /// Group.
    pub group: String,
    /// Applicants of the group who reached the step.
    pub considered: u64,
    /// … and passed it.
    pub passed: u64,
    /// passed / considered.
    pub rate: f64,
    /// Rate divided by the highest group's rate (none when no group passed anyone).
    pub impact_ratio: Option<f64>,
    /// Impact ratio below the threshold.
    pub below_four_fifths: bool,
    /// Fisher's exact two-sided p against the highest-rate group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fisher_p: Option<f64>,
    /// Two-proportion z against the highest-rate group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub z: Option<f64>,
    /// Its two-sided p.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub z_p: Option<f64>,
    /// One applicant more or fewer passing would change the four-fifths result.
    pub flips_with_one_person: bool,
}

/// The result at one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepImpact {
    /// Step name.
    pub step: String,
    /// Applicants who reached the step.
    pub considered: usize,
    /// Of those, how many did not report a group (left out of the comparison).
    pub group_not_reported: usize,
    /// The group with the highest pass rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_group: Option<String>,
    /// Every group.
    pub groups: Vec<GroupAtStep>,
    /// Some group is below four-fifths of the highest rate.
    pub adverse_impact: bool,
    /// Cautions: small groups, unstable results, rule and tests disagreeing, or why nothing could
    /// be computed.
    pub warnings: Vec<String>,
}

/// Adverse impact at every step and for the whole process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactReport {
    /// What the groups are.
    pub grouping: String,
    /// The thresholds used.
    pub options: ImpactOptions,
    /// Step by step.
    pub steps: Vec<StepImpact>,
    /// The whole process: applicants who reached the first step, and those who passed every step.
    pub overall: StepImpact,
    /// How to read the results.
    pub notes: Vec<String>,
}

impl ImpactReport {
    /// Whether any step, or the whole process, shows adverse impact.
    pub fn any_adverse_impact(&self) -> bool {
        self.overall.adverse_impact || self.steps.iter().any(|s| s.adverse_impact)
    }
}

/// Why the flow cannot be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// No steps.
    #[error("the selection process has no step")]
    NoSteps,
    /// Wrong number of outcomes.
    #[error(
        "applicant \"{applicant}\" has {found} step results, but the process has {expected} steps"
    )]
    Outcomes {
        /// Applicant.
        applicant: String,
        /// Results given.
        found: usize,
        /// Steps.
        expected: usize,
    },
    /// A result after the applicant was out.
    #[error(
        "applicant \"{applicant}\" has a result at step \"{step}\" after leaving the process at an earlier step"
    )]
    AfterExit {
        /// Applicant.
        applicant: String,
        /// The step with the result.
        step: String,
    },
    /// A threshold out of range.
    #[error("{0}")]
    Options(String),
}

fn analyse_step(
    step: &str,
    records: &[(Option<&str>, bool)],
    options: &ImpactOptions,
) -> StepImpact {
    let reported: Vec<(&str, bool)> = records
        .iter()
        .filter_map(|(g, passed)| g.map(|g| (g, *passed)))
        .collect();
    let groups = count_groups(reported.iter().copied());
    let engine_options = AdverseImpactOptions {
        threshold: options.threshold,
        small_group: options.small_group,
        significance: options.significance,
    };
    let mut out = StepImpact {
        step: step.to_string(),
        considered: records.len(),
        group_not_reported: records.len() - reported.len(),
        reference_group: None,
        groups: Vec::new(),
        adverse_impact: false,
        warnings: Vec::new(),
    };
    if out.group_not_reported > 0 {
        out.warnings.push(format!(
            "{} applicant(s) at this step did not report a group and are left out of the comparison.",
            out.group_not_reported
        ));
    }
    match adverse_impact(&groups, &engine_options) {
        Ok(r) => {
            out.reference_group = Some(r.reference_group.clone());
            out.adverse_impact = r.four_fifths_violation;
            out.groups = r
                .groups
                .iter()
                .map(|g| GroupAtStep {
                    group: g.group.clone(),
                    considered: g.applicants,
                    passed: g.selected,
                    rate: g.rate,
                    impact_ratio: Some(g.impact_ratio),
                    below_four_fifths: g.four_fifths_violation,
                    fisher_p: g.fisher_p,
                    z: g.z,
                    z_p: g.z_p,
                    flips_with_one_person: g.flips_with_one_person,
                })
                .collect();
            out.warnings.extend(r.warnings);
        }
        Err(e) => {
            out.groups = groups
                .iter()
                .map(|g| GroupAtStep {
                    group: g.group.clone(),
                    considered: g.applicants,
                    passed: g.selected,
                    rate: if g.applicants > 0 {
                        g.selected as f64 / g.applicants as f64
                    } else {
                        0.0
                    },
                    impact_ratio: None,
                    below_four_fifths: false,
                    fisher_p: None,
                    z: None,
                    z_p: None,
                    flips_with_one_person: false,
                })
                .collect();
            out.warnings.push(format!(
                "The comparison could not be made at this step: {e}."
            ));
        }
    }
    out
}

/// Adverse impact at each step and overall.
pub fn adverse_impact_by_step(
    flow: &SelectionFlow,
    options: &ImpactOptions,
) -> Result<ImpactReport, FlowError> {
    if flow.steps.is_empty() {
        return Err(FlowError::NoSteps);
    }
    if !(options.threshold > 0.0 && options.threshold <= 1.0) {
        return Err(FlowError::Options(format!(
            "the impact-ratio threshold must be above 0 and at most 1 (0.8 for four-fifths), not {}",
            options.threshold
        )));
    }
    if !(options.significance > 0.0 && options.significance < 1.0) {
        return Err(FlowError::Options(format!(
            "the significance level must be between 0 and 1 (0.05), not {}",
            options.significance
        )));
    }
    for a in &flow.applicants {
        if a.outcomes.len() != flow.steps.len() {
            return Err(FlowError::Outcomes {
                applicant: a.id.clone(),
                found: a.outcomes.len(),
                expected: flow.steps.len(),
            });
        }
        if let Some(out_at) = a.outcomes.iter().position(|o| *o != Some(true))
            && let Some(later) = a.outcomes[out_at + 1..].iter().position(Option::is_some)
        {
            return Err(FlowError::AfterExit {
                applicant: a.id.clone(),
                step: flow.steps[out_at + 1 + later].clone(),
            });
        }
    }
    let steps = flow
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let records: Vec<(Option<&str>, bool)> = flow
                .applicants
                .iter()
                .filter_map(|a| a.outcomes[i].map(|passed| (a.group.as_deref(), passed)))
                .collect();
            analyse_step(step, &records, options)
        })
        .collect();
    let overall_records: Vec<(Option<&str>, bool)> = flow
        .applicants
        .iter()
        .filter(|a| a.outcomes[0].is_some())
        .map(|a| {
            (
                a.group.as_deref(),
                a.outcomes.iter().all(|o| *o == Some(true)),
            )
        })
        .collect();
    let overall = analyse_step("whole process", &overall_records, options);
    Ok(ImpactReport {
        grouping: flow.grouping.clone(),
        options: *options,
        steps,
        overall,
        notes: vec![
            format!(
                "Four-fifths rule (29 CFR 1607.4D): a group whose pass rate is less than {} of the highest group's rate is generally regarded as evidence of adverse impact; a ratio exactly on {} is not flagged.",
                options.threshold, options.threshold
            ),
            "Each step compares only the applicants who reached it; the whole process compares those who entered the first step with those who passed every step (the bottom line, 29 CFR 1607.4C).".to_string(),
            "Fisher's exact test is two-sided, summing every table no more likely than the one observed (as scipy and R do). With small groups the four-fifths rule is unstable: read it with the tests and the one-person check, and look for a less discriminatory alternative where impact is found (29 CFR 1607.3B).".to_string(),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One applicant per (group, passed) count.
    fn applicants(
        group: &str,
        passed: usize,
        failed: usize,
        outcome: fn(bool) -> Vec<Option<bool>>,
    ) -> Vec<FlowApplicant> {
        (0..passed + failed)
            .map(|i| FlowApplicant {
                id: format!("{group}{i}"),
                group: Some(group.to_string()),
                outcomes: outcome(i < passed),
            })
            .collect()
    }

    fn one_step(flow: Vec<FlowApplicant>) -> ImpactReport {
        adverse_impact_by_step(
            &SelectionFlow {
                grouping: "group".into(),
                steps: vec!["interview".into()],
                applicants: flow,
            },
            &ImpactOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn tv_ai_1_flags_0_70_and_matches_the_reference_tests() {
        // 48 of 80 (0.60) against 21 of 50 (0.42): IR 0.70, Fisher p 0.04954, z 2.0007.
        let mut flow = applicants("R", 48, 32, |p| vec![Some(p)]);
        flow.extend(applicants("F", 21, 29, |p| vec![Some(p)]));
        let r = one_step(flow);
        let step = &r.steps[0];
        assert!(step.adverse_impact);
        assert_eq!(step.reference_group.as_deref(), Some("R"));
        let f = step.groups.iter().find(|g| g.group == "F").unwrap();
        assert!((f.impact_ratio.unwrap() - 0.70).abs() < 1e-12);
        assert!(f.below_four_fifths);
        assert!((f.fisher_p.unwrap() - 0.049_542_653_521_591_1).abs() < 1e-9);
        assert!((f.z.unwrap() - 2.000_712_6).abs() < 1e-6);
        assert!(r.any_adverse_impact());
    }

    #[test]
    fn an_impact_ratio_of_exactly_0_80_is_not_flagged() {
        // 48 of 80 (0.60) against 24 of 50 (0.48): IR exactly 0.80.
        let mut flow = applicants("R", 48, 32, |p| vec![Some(p)]);
        flow.extend(applicants("F", 24, 26, |p| vec![Some(p)]));
        let r = one_step(flow);
        let f = r.steps[0].groups.iter().find(|g| g.group == "F").unwrap();
        assert_eq!(f.impact_ratio, Some(0.8));
        assert!(!f.below_four_fifths);
        assert!(!r.steps[0].adverse_impact);
        // one fewer selected → 23/50 = 0.46, IR 0.7667 → flagged
        let mut flow = applicants("R", 48, 32, |p| vec![Some(p)]);
        flow.extend(applicants("F", 23, 27, |p| vec![Some(p)]));
        assert!(one_step(flow).steps[0].adverse_impact);
    }

    #[test]
    fn an_exact_0_80_from_small_groups_is_not_flagged() {
        let mut flow = applicants("R", 3, 1, |p| vec![Some(p)]);
        flow.extend(applicants("F", 3, 2, |p| vec![Some(p)]));
        assert!(!one_step(flow).steps[0].adverse_impact);
    }

    #[test]
    fn each_step_compares_only_those_who_reached_it_and_the_bottom_line_covers_all() {
        // Step 1: R 10/10 pass, F 10/10 pass. Step 2: R 8/10, F 4/10 → IR 0.5.
        let two = |first: bool, second: bool| vec![Some(first), Some(second)];
        let mut flow: Vec<FlowApplicant> = (0..10)
            .map(|i| FlowApplicant {
                id: format!("R{i}"),
                group: Some("R".into()),
                outcomes: two(true, i < 8),
            })
            .collect();
        flow.extend((0..10).map(|i| FlowApplicant {
            id: format!("F{i}"),
            group: Some("F".into()),
            outcomes: two(true, i < 4),
        }));
        flow.push(FlowApplicant {
            id: "X".into(),
            group: None,
            outcomes: vec![Some(false), None],
        });
        let r = adverse_impact_by_step(
            &SelectionFlow {
                grouping: "sex".into(),
                steps: vec!["qualified".into(), "interview".into()],
                applicants: flow,
            },
            &ImpactOptions::default(),
        )
        .unwrap();
        assert_eq!(r.steps[0].considered, 21);
        assert_eq!(r.steps[0].group_not_reported, 1);
        assert!(!r.steps[0].adverse_impact);
        assert_eq!(r.steps[1].considered, 20);
        assert!(r.steps[1].adverse_impact);
        assert_eq!(r.overall.considered, 21);
        assert!(r.overall.adverse_impact);
        assert!(
            r.steps[1]
                .warnings
                .iter()
                .any(|w| w.contains("only 10 applicants"))
        );
    }

    #[test]
    fn impossible_flows_are_refused_and_undefined_steps_explained() {
        let bad = SelectionFlow {
            grouping: "g".into(),
            steps: vec!["a".into(), "b".into()],
            applicants: vec![FlowApplicant {
                id: "A1".into(),
                group: Some("x".into()),
                outcomes: vec![Some(false), Some(true)],
            }],
        };
        assert!(matches!(
            adverse_impact_by_step(&bad, &ImpactOptions::default()),
            Err(FlowError::AfterExit { .. })
        ));
        // nobody passes: no ratio can be formed, said in the warnings
        let r = one_step(
            applicants("R", 0, 5, |p| vec![Some(p)])
                .into_iter()
                .chain(applicants("F", 0, 5, |p| vec![Some(p)]))
                .collect(),
        );
        assert!(!r.steps[0].adverse_impact);
        assert!(
            r.steps[0]
                .warnings
                .iter()
                .any(|w| w.contains("could not be made"))
        );
    }
}
