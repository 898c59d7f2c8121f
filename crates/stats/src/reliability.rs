//! Internal consistency: Cronbach's alpha with the Feldt confidence interval, standardised alpha,
//! corrected item–total correlations, alpha if an item is deleted (closed form from the
//! covariance matrix, no refitting), and McDonald's omega total from a one-factor model.

use faer::Mat;
use serde::Serialize;

use crate::data::{MissingPolicy, Table};
use crate::dist::f_isf;
use crate::efa::{self, Extraction};
use crate::error::{Result, StatsError};
use crate::linalg::{self, covariance, pairwise_covariance};

/// Options for [`cronbach_alpha`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlphaOptions {
    /// Missing-data rule (listwise by default).
    pub missing: MissingPolicy,
    /// Confidence level of the Feldt interval (0.95 by default).
    pub confidence: f64,
}

impl Default for AlphaOptions {
    fn default() -> Self {
        Self {
            missing: MissingPolicy::Listwise,
            confidence: 0.95,
        }
    }
}

/// Statistics for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStatistics {
    /// Item (column) name.
    pub item: String,
    /// Mean of the item over the rows used.
    pub mean: f64,
    /// Standard deviation (ddof 1).
    pub sd: f64,
    /// Correlation of the item with the sum of the *other* items.
    pub corrected_item_total: f64,
    /// Alpha of the scale without this item; `None` when only two items remain in total
    /// (alpha needs at least two items).
    pub alpha_if_deleted: Option<f64>,
}

/// Cronbach's alpha and item analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlphaResult {
    /// Cronbach's alpha, k/(k−1)·(1 − Σσ²ᵢ/σ²ₓ).
    pub alpha: f64,
    /// Feldt confidence interval [lower, upper] at `confidence`.
    pub ci95: [f64; 2],
    /// Confidence level of `ci95` (the name keeps the usual 95 % default).
    pub confidence: f64,
    /// Alpha of the standardised items, k·r̄/(1 + (k−1)·r̄).
    pub standardized_alpha: f64,
    /// Mean inter-item correlation r̄.
    pub mean_inter_item_r: f64,
    /// Number of items.
    pub n_items: usize,
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows used (complete rows for listwise; rows with ≥ 2 answers for pairwise).
    pub n_used: usize,
    /// The missing-data rule applied.
    pub missing: MissingPolicy,
    /// Per-item statistics.
    pub items: Vec<ItemStatistics>,
}

/// Errors when a column has zero variance over the rows used.
pub(crate) fn check_not_constant(t: &Table, cov: &Mat<f64>) -> Result<()> {
    for c in 0..t.n_cols() {
        if crate::not_above(cov[(c, c)], 0.0) {
            let value = (0..t.n_rows())
                .find_map(|r| t.get(r, c))
                .unwrap_or(f64::NAN);
            return Err(StatsError::ConstantColumn {
                column: t.columns()[c].clone(),
                value,
            });
        }
    }
    Ok(())
}

/// Covariance of the items under a missing-data policy, with the rows used and item means.
pub(crate) fn item_covariance(
    t: &Table,
    missing: MissingPolicy,
) -> Result<(Mat<f64>, usize, Vec<f64>, Table)> {
    match missing {
        MissingPolicy::Listwise => {
            let (c, _) = t.listwise();
            if c.n_rows() < 2 {
                return Err(StatsError::too_few("complete rows", 2, c.n_rows()));
            }
            let cov = covariance(&c);
            let means = linalg::column_means(&c);
            let n = c.n_rows();
            Ok((cov, n, means, c.into_owned()))
        }
        MissingPolicy::Pairwise => {
            let (cov, cnt) = pairwise_covariance(t);
            let k = t.n_cols();
            for i in 0..k {
                for j in 0..k {
                    if cnt[(i, j)] < 2.0 {
                        return Err(StatsError::undefined(
                            "pairwise covariance",
                            format!(
                                "columns \"{}\" and \"{}\" are both answered on fewer than 2 rows",
                                t.columns()[i],
                                t.columns()[j]
                            ),
                        ));
                    }
                }
            }
            let used = (0..t.n_rows())
                .filter(|&r| (0..k).filter(|&c| !t.is_missing(r, c)).count() >= 2)
                .count();
            let means = (0..k)
                .map(|c| {
                    let vals: Vec<f64> = (0..t.n_rows()).filter_map(|r| t.get(r, c)).collect();
                    vals.iter().sum::<f64>() / vals.len() as f64
                })
                .collect();
            Ok((cov, used, means, t.clone()))
        }
    }
}

/// Feldt (1965) interval for alpha: df1 = n−1, df2 = (n−1)(k−1).
pub fn feldt_interval(alpha: f64, n: usize, k: usize, confidence: f64) -> [f64; 2] {
    let g = 1.0 - confidence;
    let df1 = n as f64 - 1.0;
    let df2 = df1 * (k as f64 - 1.0);
    [
        1.0 - (1.0 - alpha) * f_isf(g / 2.0, df1, df2),
        1.0 - (1.0 - alpha) * f_isf(1.0 - g / 2.0, df1, df2),
    ]
}

/// Alpha from a covariance matrix.
fn alpha_from_cov(c: &Mat<f64>) -> f64 {
    let k = c.nrows() as f64;
    let trace: f64 = (0..c.nrows()).map(|i| c[(i, i)]).sum();
    let total: f64 = (0..c.nrows())
        .flat_map(|i| (0..c.ncols()).map(move |j| (i, j)))
        .map(|(i, j)| c[(i, j)])
        .sum();
    k / (k - 1.0) * (1.0 - trace / total)
}

/// What alpha and the item statistics need: item means and variances, each item's covariance
/// with the total score, the total's variance, and the mean inter-item correlation.
struct ScaleMoments {
    means: Vec<f64>,
    variances: Vec<f64>,
    cov_with_total: Vec<f64>,
    total_variance: f64,
    mean_r: f64,
    n_used: usize,
}

/// Σ (xᵣ − m)·yᵣ with eight running sums, so the loop is not bound by the latency of one
/// floating-point add (about 4× faster than a plain fold on long columns).
fn dot_dev(x: &[f64], m: f64, y: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let xs = x.chunks_exact(8);
    let ys = y.chunks_exact(8);
    let (xr, yr) = (xs.remainder(), ys.remainder());
    for (a, b) in xs.zip(ys) {
        for l in 0..8 {
            acc[l] += (a[l] - m) * b[l];
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (a, b) in xr.iter().zip(yr) {
        s += (a - m) * b;
    }
    s
}

/// Σ (xᵣ − m)², eight running sums.
fn sum_sq_dev(x: &[f64], m: f64) -> f64 {
    let mut acc = [0.0f64; 8];
    let xs = x.chunks_exact(8);
    let rest = xs.remainder();
    for a in xs {
        for l in 0..8 {
            let d = a[l] - m;
            acc[l] += d * d;
        }
    }
    let mut s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for a in rest {
        s += (a - m) * (a - m);
    }
    s
}

/// Rows per block in the second pass: the block of every column stays in cache while it is
/// read twice, and the block's row totals stay in the first-level cache.
const ROW_BLOCK: usize = 2048;

/// Moments of a complete table in O(n·k) and two reads of the data: no k×k covariance matrix
/// is needed, because cov(xᵢ, X) = Σⱼ Cᵢⱼ and Σᵢⱼ rᵢⱼ = var(Σ zᵢ). Deviations from the means
/// keep it two-pass accurate. Single-threaded on purpose: it is bound by memory bandwidth.
fn complete_moments(t: &Table) -> Result<ScaleMoments> {
    let (n, k) = (t.n_rows(), t.n_cols());
    let nf = n as f64;
    // pass 1: means and variances, column by column (the second loop finds the column in cache)
    let mut means = Vec::with_capacity(k);
    let mut variances = Vec::with_capacity(k);
    for c in 0..k {
        let col = t.column_raw(c);
        let m = linalg::pairwise_sum(col) / nf;
        let var = sum_sq_dev(col, m) / (nf - 1.0);
        if crate::not_above(var, 0.0) {
            return Err(StatsError::ConstantColumn {
                column: t.columns()[c].clone(),
                value: col.first().copied().unwrap_or(f64::NAN),
            });
        }
        means.push(m);
        variances.push(var);
    }
    let inv_sd: Vec<f64> = variances.iter().map(|v| 1.0 / v.sqrt()).collect();
    // pass 2, by blocks of rows: the rows' total deviation T and standardised sum Z, then each
    // column's cross-product with T while the block is still in cache
    let mut cross = vec![0.0; k];
    let (mut tt, mut zz) = (0.0, 0.0);
    let mut total = vec![0.0; ROW_BLOCK];
    let mut zsum = vec![0.0; ROW_BLOCK];
    let mut lo = 0;
    while lo < n {
        let len = ROW_BLOCK.min(n - lo);
        let (tot, z) = (&mut total[..len], &mut zsum[..len]);
        tot.iter_mut().for_each(|v| *v = 0.0);
        z.iter_mut().for_each(|v| *v = 0.0);
        for c in 0..k {
            let (m, w) = (means[c], inv_sd[c]);
            for ((a, b), v) in tot
                .iter_mut()
                .zip(z.iter_mut())
                .zip(&t.column_raw(c)[lo..lo + len])
            {
                let d = v - m;
                *a += d;
                *b += d * w;
            }
        }
        for c in 0..k {
            cross[c] += dot_dev(&t.column_raw(c)[lo..lo + len], means[c], tot);
        }
        tt += sum_sq_dev(tot, 0.0);
        zz += sum_sq_dev(z, 0.0);
        lo += len;
    }
    let kf = k as f64;
    Ok(ScaleMoments {
        means,
        variances,
        cov_with_total: cross.iter().map(|v| v / (nf - 1.0)).collect(),
        total_variance: tt / (nf - 1.0),
        mean_r: (zz / (nf - 1.0) - kf) / (kf * (kf - 1.0)),
        n_used: n,
    })
}

/// Moments from a (pairwise) covariance matrix.
fn moments_from_cov(c: &Mat<f64>, means: Vec<f64>, n_used: usize) -> ScaleMoments {
    let k = c.nrows();
    let kf = k as f64;
    let mut r_sum = 0.0;
    for i in 0..k {
        for j in 0..k {
            if i != j {
                r_sum += c[(i, j)] / (c[(i, i)] * c[(j, j)]).sqrt();
            }
        }
    }
    let cov_with_total: Vec<f64> = (0..k).map(|i| (0..k).map(|j| c[(i, j)]).sum()).collect();
    ScaleMoments {
        means,
        variances: (0..k).map(|i| c[(i, i)]).collect(),
        total_variance: cov_with_total.iter().sum(),
        cov_with_total,
        mean_r: r_sum / (kf * (kf - 1.0)),
        n_used,
    }
}

/// Cronbach's alpha with item analysis. Needs ≥ 2 items and ≥ 2 rows; a constant item is an error.
pub fn cronbach_alpha(t: &Table, opts: &AlphaOptions) -> Result<AlphaResult> {
    let k = t.n_cols();
    if k < 2 {
        return Err(StatsError::too_few("items", 2, k));
    }
    if !(opts.confidence > 0.0 && opts.confidence < 1.0) {
        return Err(StatsError::invalid("confidence", "must be between 0 and 1"));
    }
    let m = match opts.missing {
        MissingPolicy::Listwise => {
            let (c, _) = t.listwise();
            if c.n_rows() < 2 {
                return Err(StatsError::too_few("complete rows", 2, c.n_rows()));
            }
            complete_moments(&c)?
        }
        MissingPolicy::Pairwise => {
            let (c, n_used, means, used_table) = item_covariance(t, opts.missing)?;
            check_not_constant(&used_table, &c)?;
            moments_from_cov(&c, means, n_used)
        }
    };
    let kf = k as f64;
    let trace: f64 = m.variances.iter().sum();
    let total = m.total_variance;
    let alpha = kf / (kf - 1.0) * (1.0 - trace / total);
    let rbar = m.mean_r;
    let items = (0..k)
        .map(|i| {
            let cii = m.variances[i];
            // variance of the rest score X − xᵢ
            let rest_var = total - 2.0 * m.cov_with_total[i] + cii;
            let corrected = (m.cov_with_total[i] - cii) / (cii * rest_var).sqrt();
            let alpha_if_deleted =
                (k > 2).then(|| (kf - 1.0) / (kf - 2.0) * (1.0 - (trace - cii) / rest_var));
            ItemStatistics {
                item: t.columns()[i].clone(),
                mean: m.means[i],
                sd: cii.sqrt(),
                corrected_item_total: corrected,
                alpha_if_deleted,
            }
        })
        .collect();
    Ok(AlphaResult {
        alpha,
        ci95: feldt_interval(alpha, m.n_used, k, opts.confidence),
        confidence: opts.confidence,
        standardized_alpha: kf * rbar / (1.0 + (kf - 1.0) * rbar),
        mean_inter_item_r: rbar,
        n_items: k,
        n_rows: t.n_rows(),
        n_used: m.n_used,
        missing: opts.missing,
        items,
    })
}

/// One item's loading in the one-factor model behind omega.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmegaItem {
    /// Item name.
    pub item: String,
    /// Standardised loading on the single factor.
    pub loading: f64,
    /// Uniqueness 1 − loading².
    pub uniqueness: f64,
}

/// McDonald's omega total from a one-factor maximum-likelihood model on the correlation matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OmegaResult {
    /// ω_t = (Σλ)² / ((Σλ)² + Σψ), the model-implied denominator.
    pub omega_total: f64,
    /// (Σλ)² / 1ᵀR1, the observed-variance variant (psych::omega style).
    pub omega_observed: f64,
    /// Cronbach's alpha on the same rows, for comparison.
    pub alpha: f64,
    /// Loadings.
    pub items: Vec<OmegaItem>,
    /// Items whose uniqueness reached (about) zero: a Heywood case; omega is then unreliable.
    pub heywood_items: Vec<String>,
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows used.
    pub n_used: usize,
    /// Missing-data rule.
    pub missing: MissingPolicy,
}

/// McDonald's omega total. Needs ≥ 3 items (a one-factor model with fewer is not identified).
pub fn mcdonald_omega(t: &Table, missing: MissingPolicy) -> Result<OmegaResult> {
    let k = t.n_cols();
    if k < 3 {
        return Err(StatsError::too_few("items", 3, k));
    }
    let (c, n_used, _, used_table) = item_covariance(t, missing)?;
    check_not_constant(&used_table, &c)?;
    let r = linalg::cov_to_corr(&c);
    let fit = efa::extract(
        &r,
        1,
        Extraction::MaximumLikelihood,
        &efa::ExtractOptions::default(),
    )?;
    let mut lam: Vec<f64> = (0..k).map(|i| fit.loadings[(i, 0)]).collect();
    if lam.iter().sum::<f64>() < 0.0 {
        lam.iter_mut().for_each(|l| *l = -*l);
    }
    let s: f64 = lam.iter().sum();
    let psi: f64 = lam.iter().map(|l| 1.0 - l * l).sum();
    let total_r: f64 = (0..k)
        .flat_map(|i| (0..k).map(move |j| (i, j)))
        .map(|(i, j)| r[(i, j)])
        .sum();
    let items: Vec<OmegaItem> = (0..k)
        .map(|i| OmegaItem {
            item: t.columns()[i].clone(),
            loading: lam[i],
            uniqueness: 1.0 - lam[i] * lam[i],
        })
        .collect();
    let heywood_items = items
        .iter()
        .filter(|it| it.uniqueness <= efa::HEYWOOD_UNIQUENESS)
        .map(|it| it.item.clone())
        .collect();
    Ok(OmegaResult {
        omega_total: s * s / (s * s + psi),
        omega_observed: s * s / total_r,
        alpha: alpha_from_cov(&c),
        items,
        heywood_items,
        n_rows: t.n_rows(),
        n_used,
        missing,
    })
}
