//! Cut scores: the modified Angoff method (SME judgements of how a minimally competent candidate
//! would do on each item) and the contrasting-groups method (SMEs classify examinees as competent
//! or not; the cut separates the groups best).

use serde::Serialize;

use crate::data::Table;
use crate::error::{Result, StatsError};

/// Options for [`modified_angoff`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AngoffOptions {
    /// Width of the bands in standard errors (1 by default; 1.96 for a 95 % band).
    pub z: f64,
    /// When the test's score SD and reliability are known: SEM = SD·√(1 − r_xx) gives a
    /// measurement band around the cut.
    pub test_sd: Option<f64>,
    /// Reliability of the test (alpha, KR-20) for the SEM.
    pub reliability: Option<f64>,
    /// Allow judgements above 1 (extended Angoff: expected item scores instead of probabilities).
    pub expected_scores: bool,
}

impl Default for AngoffOptions {
    fn default() -> Self {
        Self {
            z: 1.0,
            test_sd: None,
            reliability: None,
            expected_scores: false,
        }
    }
}

/// One judge's cut.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JudgeCut {
    /// Judge (1-based row of the judgements).
    pub judge: usize,
    /// Sum of the judge's item judgements.
    pub cut: f64,
}

/// Judgements on one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AngoffItem {
    /// Item name.
    pub item: String,
    /// Mean judgement.
    pub mean: f64,
    /// SD of the judgements (ddof 1): a large SD marks an item to discuss in the next round.
    pub sd: f64,
    /// Lowest judgement.
    pub min: f64,
    /// Highest judgement.
    pub max: f64,
}

/// Modified Angoff result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AngoffResult {
    /// Panel cut: the mean of the judges' cuts (raw-score metric).
    pub cut: f64,
    /// Cut as a share of the maximum score (number of items, or the sum of item maxima).
    pub cut_percent: f64,
    /// Median of the judges' cuts (robust alternative).
    pub median_cut: f64,
    /// SD of the judges' cuts (ddof 1).
    pub sd: f64,
    /// Standard error of the panel cut, SD/√J.
    pub se: f64,
    /// cut ± z·SE.
    pub se_band: [f64; 2],
    /// Standard error of measurement of the test, SD_X·√(1 − r_xx), when given.
    pub sem: Option<f64>,
    /// cut ± z·SEM, when the SEM is known.
    pub sem_band: Option<[f64; 2]>,
    /// z used for the bands.
    pub z: f64,
    /// Each judge's cut.
    pub judges: Vec<JudgeCut>,
    /// Each item's judgements.
    pub items: Vec<AngoffItem>,
    /// Judges in the input.
    pub n_rows: usize,
    /// Judges used (all items judged).
    pub n_used: usize,
}

/// Modified Angoff. Rows are judges, columns items; each cell is the judge's probability that a
/// minimally competent candidate answers the item correctly (0–1). Judges who skipped an item
/// are dropped (listwise) and counted in `n_used`.
pub fn modified_angoff(judgements: &Table, opts: &AngoffOptions) -> Result<AngoffResult> {
    let k = judgements.n_cols();
    if k < 1 {
        return Err(StatsError::too_few("items", 1, 0));
    }
    let (c, rows) = judgements.listwise();
    let j = c.n_rows();
    if j < 2 {
        return Err(StatsError::too_few("judges with every item judged", 2, j));
    }
    for col in 0..k {
        for (i, v) in c.column_raw(col).iter().enumerate() {
            if *v < 0.0 || (!opts.expected_scores && *v > 1.0) {
                return Err(StatsError::InvalidValue {
                    row: rows[i] + 1,
                    column: c.columns()[col].clone(),
                    reason: format!(
                        "{v} is not a probability between 0 and 1 (use expected scores for polytomous items)"
                    ),
                });
            }
        }
    }
    let cuts: Vec<f64> = (0..j)
        .map(|i| (0..k).map(|col| c.column_raw(col)[i]).sum())
        .collect();
    let jf = j as f64;
    let cut = cuts.iter().sum::<f64>() / jf;
    let sd = (cuts.iter().map(|x| (x - cut).powi(2)).sum::<f64>() / (jf - 1.0)).sqrt();
    let se = sd / jf.sqrt();
    let mut sorted = cuts.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if j % 2 == 1 {
        sorted[j / 2]
    } else {
        (sorted[j / 2 - 1] + sorted[j / 2]) / 2.0
    };
    let items: Vec<AngoffItem> = (0..k)
        .map(|col| {
            let v = c.column_raw(col);
            let m = v.iter().sum::<f64>() / jf;
            AngoffItem {
                item: c.columns()[col].clone(),
                mean: m,
                sd: (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (jf - 1.0)).sqrt(),
                min: v.iter().copied().fold(f64::INFINITY, f64::min),
                max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            }
        })
        .collect();
    let max_score = if opts.expected_scores {
        items.iter().map(|i| i.max.max(1.0)).sum::<f64>()
    } else {
        k as f64
    };
    let sem = match (opts.test_sd, opts.reliability) {
        (Some(sd_x), Some(r)) => {
            if !(0.0..=1.0).contains(&r) {
                return Err(StatsError::invalid(
                    "reliability",
                    "must be between 0 and 1",
                ));
            }
            if sd_x < 0.0 {
                return Err(StatsError::invalid("test SD", "must not be negative"));
            }
            Some(sd_x * (1.0 - r).sqrt())
        }
        (None, None) => None,
        _ => {
            return Err(StatsError::invalid(
                "SEM",
                "give both the test score SD and its reliability",
            ));
        }
    };
    Ok(AngoffResult {
        cut,
        cut_percent: 100.0 * cut / max_score,
        median_cut: median,
        sd,
        se,
        se_band: [cut - opts.z * se, cut + opts.z * se],
        sem,
        sem_band: sem.map(|s| [cut - opts.z * s, cut + opts.z * s]),
        z: opts.z,
        judges: rows
            .iter()
            .zip(&cuts)
            .map(|(r, c)| JudgeCut {
                judge: r + 1,
                cut: *c,
            })
            .collect(),
        items,
        n_rows: judgements.n_rows(),
        n_used: j,
    })
}

/// Misclassifications at one candidate cut (pass = score ≥ cut).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CutErrors {
    /// The cut.
    pub cut: f64,
    /// Judged not competent but passing.
    pub false_passes: usize,
    /// Judged competent but failing.
    pub false_fails: usize,
    /// Weighted total: false_pass_cost·false_passes + false_fails.
    pub weighted_errors: f64,
}

/// Logistic-regression cut: P(competent | score) = 0.5.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticCut {
    /// Intercept.
    pub beta0: f64,
    /// Slope.
    pub beta1: f64,
    /// −β0/β1.
    pub cut: f64,
}

/// Contrasting-groups result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContrastingGroupsResult {
    /// The cut with the fewest (weighted) misclassifications; ties go to the lowest such score.
    pub cut: f64,
    /// Its errors.
    pub errors: CutErrors,
    /// Every cut with the same minimal errors.
    pub tied_cuts: Vec<f64>,
    /// Logistic cut; `None` when the groups are perfectly separated (the slope diverges).
    pub logistic: Option<LogisticCut>,
    /// Errors at every observed score used as a cut.
    pub errors_by_cut: Vec<CutErrors>,
    /// Examinees judged competent.
    pub n_competent: usize,
    /// Examinees judged not competent.
    pub n_not_competent: usize,
    /// Mean score of the competent group.
    pub mean_competent: f64,
    /// Mean score of the not-competent group.
    pub mean_not_competent: f64,
}

/// Contrasting groups. `false_pass_cost` weighs a false pass against a false fail (1 = equal).
pub fn contrasting_groups(
    scores: &[f64],
    competent: &[bool],
    false_pass_cost: f64,
) -> Result<ContrastingGroupsResult> {
    if scores.len() != competent.len() {
        return Err(StatsError::invalid(
            "groups",
            format!("{} scores but {} judgements", scores.len(), competent.len()),
        ));
    }
    if let Some(i) = scores.iter().position(|s| !s.is_finite()) {
        return Err(StatsError::NonFinite {
            row: i + 1,
            column: "score".into(),
            value: scores[i],
        });
    }
    let n_comp = competent.iter().filter(|c| **c).count();
    let n_not = competent.len() - n_comp;
    if n_comp == 0 || n_not == 0 {
        return Err(StatsError::too_few(
            "examinees in each group",
            1,
            n_comp.min(n_not),
        ));
    }
    let mut cuts: Vec<f64> = scores.to_vec();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let errors_by_cut: Vec<CutErrors> = cuts
        .iter()
        .map(|&cut| {
            let (mut fp, mut ff) = (0, 0);
            for (s, c) in scores.iter().zip(competent) {
                match (*s >= cut, *c) {
                    (true, false) => fp += 1,
                    (false, true) => ff += 1,
                    _ => {}
                }
            }
            CutErrors {
                cut,
                false_passes: fp,
                false_fails: ff,
                weighted_errors: false_pass_cost * fp as f64 + ff as f64,
            }
        })
        .collect();
    let best = errors_by_cut
        .iter()
        .map(|e| e.weighted_errors)
        .fold(f64::INFINITY, f64::min);
    let tied: Vec<&CutErrors> = errors_by_cut
        .iter()
        .filter(|e| (e.weighted_errors - best).abs() < 1e-9)
        .collect();
    let chosen = tied[0].clone();
    let mean = |want: bool| {
        let v: Vec<f64> = scores
            .iter()
            .zip(competent)
            .filter(|(_, c)| **c == want)
            .map(|(s, _)| *s)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    Ok(ContrastingGroupsResult {
        cut: chosen.cut,
        tied_cuts: tied.iter().map(|e| e.cut).collect(),
        errors: chosen,
        logistic: logistic_cut(scores, competent),
        errors_by_cut,
        n_competent: n_comp,
        n_not_competent: n_not,
        mean_competent: mean(true),
        mean_not_competent: mean(false),
    })
}

/// Two-parameter logistic regression by Newton–Raphson; `None` if it does not converge
/// (perfect separation).
fn logistic_cut(x: &[f64], y: &[bool]) -> Option<LogisticCut> {
    // centre and scale the score for stable Newton steps
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let sx = (x.iter().map(|v| (v - mx).powi(2)).sum::<f64>() / n).sqrt();
    if sx == 0.0 {
        return None;
    }
    let (mut b0, mut b1) = (0.0f64, 0.0f64);
    for _ in 0..100 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (xi, yi) in x.iter().zip(y) {
            let z = (xi - mx) / sx;
            let p = 1.0 / (1.0 + (-(b0 + b1 * z)).exp());
            let r = f64::from(u8::from(*yi)) - p;
            let w = p * (1.0 - p);
            g0 += r;
            g1 += r * z;
            h00 += w;
            h01 += w * z;
            h11 += w * z * z;
        }
        let det = h00 * h11 - h01 * h01;
        if crate::not_above(det.abs(), 1e-300) {
            return None;
        }
        let d0 = (h11 * g0 - h01 * g1) / det;
        let d1 = (h00 * g1 - h01 * g0) / det;
        b0 += d0;
        b1 += d1;
        if b1.abs() > 1e6 || !b1.is_finite() {
            return None;
        }
        if d0.abs().max(d1.abs()) < 1e-12 {
            let beta1 = b1 / sx;
            let beta0 = b0 - b1 * mx / sx;
            return Some(LogisticCut {
                beta0,
                beta1,
                cut: -beta0 / beta1,
            });
        }
    }
    None
}
