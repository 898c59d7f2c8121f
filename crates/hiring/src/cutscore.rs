//! Cut scores by the modified Angoff method: each judge (an SME) estimates, for every item, the
//! probability that a minimally competent candidate answers it correctly (or, for items scored
//! in points, the expected score); a judge's cut is the sum, the panel's cut the mean. The
//! computation is the statistics engine's (`framewright_stats::cutscore::modified_angoff`); this
//! module arranges the judgements, keeps who set the cut and when (passed in, never read from a
//! clock), and applies the optional lowering by standard errors of measurement (Biddle 1993),
//! so the record can be stored and the decision reconstructed (5 CFR 337.303(e); 29 CFR 1607.5H,
//! 1607.15).

use framewright_stats::cutscore::{AngoffOptions, AngoffResult, modified_angoff};
use framewright_stats::{StatsError, Table};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One judge's judgement of one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AngoffJudgement {
    /// The judge (an anonymised SME id).
    pub judge: String,
    /// The item.
    pub item: String,
    /// Probability (0–1) that a minimally competent candidate answers correctly, or the expected
    /// item score for items scored in points.
    pub judgement: f64,
}

/// What the analyst decides around the panel's judgements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AngoffSetting {
    /// The assessment the cut applies to ("Occupational questionnaire", "Written test").
    pub assessment: String,
    /// Who set the cut (a name or role).
    pub set_by: String,
    /// Why this cut, in the analyst's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Width of the bands in standard errors (1 by default; 1.96 for 95 %).
    #[serde(default = "one")]
    pub band_z: f64,
    /// Standard deviation of total scores on the assessment, for the SEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_sd: Option<f64>,
    /// Reliability of the assessment (alpha, KR-20), for the SEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<f64>,
    /// Lower the cut by this many SEMs (Biddle 1993 recommends 1 to 3 in employment testing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_by_sem: Option<f64>,
    /// Judgements are expected item scores, not probabilities (items scored in points).
    #[serde(default)]
    pub expected_scores: bool,
}

fn one() -> f64 {
    1.0
}

impl AngoffSetting {
    /// A setting with the defaults: band of one standard error, no SEM, no lowering.
    pub fn new(assessment: impl Into<String>, set_by: impl Into<String>) -> Self {
        AngoffSetting {
            assessment: assessment.into(),
            set_by: set_by.into(),
            rationale: None,
            band_z: 1.0,
            test_sd: None,
            reliability: None,
            lower_by_sem: None,
            expected_scores: false,
        }
    }
}

/// One judge's cut.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgeCut {
    /// Judge id.
    pub judge: String,
    /// Sum of the judge's judgements.
    pub cut: f64,
}

/// The judgements on one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemJudgements {
    /// Item id.
    pub item: String,
    /// Mean judgement.
    pub mean: f64,
    /// Standard deviation of the judgements: a large one marks an item to discuss.
    pub sd: f64,
    /// Lowest judgement.
    pub min: f64,
    /// Highest judgement.
    pub max: f64,
}

/// A cut score with everything needed to reconstruct it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CutScoreRecord {
    /// Always "modified Angoff".
    pub method: String,
    /// The setting the analyst chose.
    pub setting: AngoffSetting,
    /// When the cut was set.
    #[serde(with = "time::serde::rfc3339")]
    pub set_at: OffsetDateTime,
    /// The panel's cut: mean of the judges' cuts, in raw-score points.
    pub panel_cut: f64,
    /// The panel's cut as a percentage of the maximum score.
    pub panel_cut_percent: f64,
    /// Median of the judges' cuts.
    pub median_cut: f64,
    /// Standard deviation of the judges' cuts.
    pub judges_sd: f64,
    /// Standard error of the panel's cut.
    pub standard_error: f64,
    /// panel cut ± band_z · standard error.
    pub standard_error_band: [f64; 2],
    /// Standard error of measurement of the assessment, when its SD and reliability are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sem: Option<f64>,
    /// panel cut ± band_z · SEM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sem_band: Option<[f64; 2]>,
    /// The cut to use: the panel's cut, lowered by `lower_by_sem` SEMs when asked.
    pub recommended_cut: f64,
    /// Each judge's cut.
    pub judges: Vec<JudgeCut>,
    /// Judges left out because they did not judge every item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judges_left_out: Vec<String>,
    /// Each item's judgements.
    pub items: Vec<ItemJudgements>,
    /// How the figures were obtained and what the rules say.
    pub notes: Vec<String>,
}

/// Why no cut could be set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CutScoreError {
    /// No judgements.
    #[error("no judgements were given")]
    NoJudgements,
    /// The same judge judged the same item twice.
    #[error("judge \"{judge}\" judged item \"{item}\" twice")]
    Duplicate {
        /// Judge.
        judge: String,
        /// Item.
        item: String,
    },
    /// A setting that cannot be used.
    #[error("{0}")]
    Setting(String),
    /// The statistics engine refused the judgements.
    #[error("{0}")]
    Judgements(String),
}

/// Turns an engine error about rows and columns into one about judges and items.
fn explain(error: StatsError, judges: &[String]) -> CutScoreError {
    let judge = |row: usize| {
        judges
            .get(row.saturating_sub(1))
            .cloned()
            .unwrap_or_else(|| row.to_string())
    };
    CutScoreError::Judgements(match error {
        StatsError::InvalidValue {
            row,
            column,
            reason,
        } => format!("judge \"{}\", item \"{column}\": {reason}", judge(row)),
        StatsError::NonFinite { row, column, value } => format!(
            "judge \"{}\", item \"{column}\": {value} is not a number",
            judge(row)
        ),
        StatsError::TooFew {
            what,
            needed,
            found,
        } => format!("a modified Angoff cut needs at least {needed} {what}; found {found}"),
        other => other.to_string(),
    })
}

/// Sets a cut score by the modified Angoff method at `now`.
pub fn set_angoff_cut(
    judgements: &[AngoffJudgement],
    setting: &AngoffSetting,
    now: OffsetDateTime,
) -> Result<CutScoreRecord, CutScoreError> {
    if judgements.is_empty() {
        return Err(CutScoreError::NoJudgements);
    }
    check_setting(setting)?;
    let (judges, items, rows) = judgement_rows(judgements)?;
    let table = Table::from_rows(items.clone(), &rows).map_err(|e| explain(e, &judges))?;
    let options = AngoffOptions {
        z: setting.band_z,
        test_sd: setting.test_sd,
        reliability: setting.reliability,
        expected_scores: setting.expected_scores,
    };
    let result = modified_angoff(&table, &options).map_err(|e| explain(e, &judges))?;
    let recommended_cut = match (setting.lower_by_sem, result.sem) {
        (None, _) => result.cut,
        (Some(k), Some(sem)) if k.is_finite() && k >= 0.0 => result.cut - k * sem,
        (Some(_), Some(_)) => {
            return Err(CutScoreError::Setting(
                "the number of SEMs to lower the cut by must be 0 or more".to_string(),
            ));
        }
        (Some(_), None) => {
            return Err(CutScoreError::Setting(
                "to lower the cut by SEMs, give the assessment's score SD and its reliability"
                    .to_string(),
            ));
        }
    };
    let used: Vec<String> = result
        .judges
        .iter()
        .map(|j| judges[j.judge - 1].clone())
        .collect();
    let judges_left_out: Vec<String> = judges
        .iter()
        .filter(|j| !used.contains(j))
        .cloned()
        .collect();
    let notes = angoff_notes(&result, items.len(), setting, &judges_left_out);
    Ok(CutScoreRecord {
        method: "modified Angoff".to_string(),
        setting: setting.clone(),
        set_at: now,
        panel_cut: result.cut,
        panel_cut_percent: result.cut_percent,
        median_cut: result.median_cut,
        judges_sd: result.sd,
        standard_error: result.se,
        standard_error_band: result.se_band,
        sem: result.sem,
        sem_band: result.sem_band,
        recommended_cut,
        judges: result
            .judges
            .iter()
            .map(|j| JudgeCut {
                judge: judges[j.judge - 1].clone(),
                cut: j.cut,
            })
            .collect(),
        judges_left_out,
        items: result
            .items
            .iter()
            .map(|i| ItemJudgements {
                item: i.item.clone(),
                mean: i.mean,
                sd: i.sd,
                min: i.min,
                max: i.max,
            })
            .collect(),
        notes,
    })
}

/// Rejects a setting without an assessment or a setter, or with a band width that is not a
/// positive number.
fn check_setting(setting: &AngoffSetting) -> Result<(), CutScoreError> {
    if setting.assessment.trim().is_empty() || setting.set_by.trim().is_empty() {
        return Err(CutScoreError::Setting(
            "name the assessment and who sets the cut".to_string(),
        ));
    }
    if !(setting.band_z.is_finite() && setting.band_z > 0.0) {
        return Err(CutScoreError::Setting(
            "the band width must be a number above 0 (1 or 1.96)".to_string(),
        ));
    }
    Ok(())
}

/// The judges and items in order of first appearance, and one row of judgements per judge
/// (`None` where a judge did not judge an item). A judge judging an item twice is an error.
#[allow(clippy::type_complexity)]
fn judgement_rows(
    judgements: &[AngoffJudgement],
) -> Result<(Vec<String>, Vec<String>, Vec<Vec<Option<f64>>>), CutScoreError> {
    let mut judges: Vec<String> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    for j in judgements {
        if !judges.contains(&j.judge) {
            judges.push(j.judge.clone());
        }
        if !items.contains(&j.item) {
            items.push(j.item.clone());
        }
    }
    let mut rows: Vec<Vec<Option<f64>>> = vec![vec![None; items.len()]; judges.len()];
    for j in judgements {
        let r = judges.iter().position(|x| *x == j.judge).unwrap_or(0);
        let c = items.iter().position(|x| *x == j.item).unwrap_or(0);
        if rows[r][c].replace(j.judgement).is_some() {
            return Err(CutScoreError::Duplicate {
                judge: j.judge.clone(),
                item: j.item.clone(),
            });
        }
    }
    Ok((judges, items, rows))
}

/// The record's notes: how the cut was computed, its standard errors, the lowering by SEMs,
/// the judges left out, and the legal reminder.
fn angoff_notes(
    result: &AngoffResult,
    n_items: usize,
    setting: &AngoffSetting,
    judges_left_out: &[String],
) -> Vec<String> {
    let mut notes = vec![
        format!(
            "Modified Angoff: {} judge(s) judged {} item(s); each judge's cut is the sum of their judgements, the panel's cut the mean of the judges' cuts ({:.2} points, {:.1} % of the maximum).",
            result.n_used, n_items, result.cut, result.cut_percent
        ),
        format!(
            "Standard error of the panel's cut: SD of the judges' cuts / √judges = {:.3}; the band is ± {} standard error(s).",
            result.se, setting.band_z
        ),
    ];
    if let Some(sem) = result.sem {
        notes.push(format!(
            "Standard error of measurement of the assessment: SD · √(1 − reliability) = {sem:.3}."
        ));
    }
    if let Some(k) = setting.lower_by_sem {
        notes.push(format!(
            "The recommended cut is the panel's cut lowered by {k} SEM(s), as Biddle (1993) recommends for employment tests, so that a candidate is not failed by measurement error alone."
        ));
    }
    if !judges_left_out.is_empty() {
        notes.push(format!(
            "Left out because they did not judge every item: {}.",
            judges_left_out.join(", ")
        ));
    }
    notes.push("Cut-off scores should be reasonable and consistent with normal expectations of acceptable proficiency in the work force (29 CFR 1607.5H); keep the judges' qualifications and this record with the job analysis.".to_string());
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TV-CUT-1 of the research notes: 5 items × 3 judges, judge sums 3.10, 3.25, 3.30 →
    /// cut 3.216667, SE 0.060093 (checked there against numpy).
    fn tv_cut_1() -> Vec<AngoffJudgement> {
        let items = [
            [0.6, 0.7, 0.65],
            [0.8, 0.85, 0.9],
            [0.5, 0.4, 0.45],
            [0.9, 0.95, 0.9],
            [0.3, 0.35, 0.4],
        ];
        let mut out = Vec::new();
        for (i, row) in items.iter().enumerate() {
            for (j, p) in row.iter().enumerate() {
                out.push(AngoffJudgement {
                    judge: format!("SME-{}", j + 1),
                    item: format!("Q{}", i + 1),
                    judgement: *p,
                });
            }
        }
        out
    }

    fn now() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_772_409_600).unwrap()
    }

    #[test]
    fn the_panel_cut_matches_the_reference_vector_and_keeps_who_and_when() {
        let r = set_angoff_cut(
            &tv_cut_1(),
            &AngoffSetting::new("Written test", "J. Analyst"),
            now(),
        )
        .unwrap();
        assert!((r.panel_cut - 3.216_667).abs() < 1e-6);
        assert!((r.standard_error - 0.060_093).abs() < 1e-6);
        assert_eq!(r.recommended_cut, r.panel_cut);
        assert_eq!(r.judges.len(), 3);
        assert!((r.judges[0].cut - 3.10).abs() < 1e-12);
        assert_eq!(r.judges[2].judge, "SME-3");
        assert_eq!(r.setting.set_by, "J. Analyst");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["set_at"], "2026-03-02T00:00:00Z");
        let back: CutScoreRecord = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn lowering_by_sem_needs_the_sem() {
        let mut s = AngoffSetting::new("Written test", "J. Analyst");
        s.lower_by_sem = Some(1.0);
        assert!(matches!(
            set_angoff_cut(&tv_cut_1(), &s, now()),
            Err(CutScoreError::Setting(_))
        ));
        s.test_sd = Some(1.0);
        s.reliability = Some(0.75);
        let r = set_angoff_cut(&tv_cut_1(), &s, now()).unwrap();
        // SEM = 1 · √0.25 = 0.5
        assert_eq!(r.sem, Some(0.5));
        assert!((r.recommended_cut - (r.panel_cut - 0.5)).abs() < 1e-12);
        let band = r.sem_band.unwrap();
        assert!((band[1] - band[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn judges_who_skipped_an_item_are_named_and_left_out() {
        let mut j = tv_cut_1();
        j.push(AngoffJudgement {
            judge: "SME-4".into(),
            item: "Q1".into(),
            judgement: 0.5,
        });
        let r =
            set_angoff_cut(&j, &AngoffSetting::new("Written test", "J. Analyst"), now()).unwrap();
        assert_eq!(r.judges_left_out, vec!["SME-4"]);
        assert!((r.panel_cut - 3.216_667).abs() < 1e-6);
    }

    #[test]
    fn bad_judgements_name_judge_and_item() {
        let mut j = tv_cut_1();
        j[4].judgement = 1.4; // item Q2, judge SME-2
        let e = set_angoff_cut(&j, &AngoffSetting::new("Written test", "J. Analyst"), now())
            .unwrap_err();
        assert!(
            e.to_string().starts_with("judge \"SME-2\", item \"Q2\""),
            "{e}"
        );
        let mut dup = tv_cut_1();
        dup.push(dup[0].clone());
        assert!(matches!(
            set_angoff_cut(&dup, &AngoffSetting::new("a", "b"), now()),
            Err(CutScoreError::Duplicate { .. })
        ));
        let one_judge: Vec<AngoffJudgement> = tv_cut_1()
            .into_iter()
            .filter(|j| j.judge == "SME-1")
            .collect();
        assert!(
            set_angoff_cut(&one_judge, &AngoffSetting::new("a", "b"), now())
                .unwrap_err()
                .to_string()
                .contains("at least 2")
        );
    }
}
