//! Whether a correlation matrix is worth factoring and how many factors to keep: the
//! Kaiser–Meyer–Olkin measure of sampling adequacy, Bartlett's test of sphericity, and Horn's
//! parallel analysis.

use faer::Mat;
use serde::Serialize;

use crate::data::Table;
use crate::dist::chi2_sf;
use crate::error::{Result, StatsError};
use crate::linalg::{cov_to_corr, covariance, spd_inverse, spd_log_det, sym_eigenvalues};
use crate::rng::Rng;

/// KMO for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmoItem {
    /// Item name.
    pub item: String,
    /// Measure of sampling adequacy of the item.
    pub kmo: f64,
}

/// Kaiser–Meyer–Olkin measure of sampling adequacy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KmoResult {
    /// Overall KMO.
    pub overall: f64,
    /// Kaiser's label for the overall value.
    pub label: &'static str,
    /// Per item.
    pub items: Vec<KmoItem>,
}

/// Kaiser's (1974) verbal labels.
pub fn kmo_label(v: f64) -> &'static str {
    match v {
        v if v >= 0.9 => "marvelous",
        v if v >= 0.8 => "meritorious",
        v if v >= 0.7 => "middling",
        v if v >= 0.6 => "mediocre",
        v if v >= 0.5 => "miserable",
        _ => "unacceptable",
    }
}

/// KMO from a correlation matrix (needs it to be invertible).
pub fn kmo(r: &Mat<f64>, names: &[String]) -> Result<KmoResult> {
    let p = r.nrows();
    let inv = spd_inverse(r.as_ref())?;
    let mut num_all = 0.0;
    let mut den_all = 0.0;
    let mut items = Vec::with_capacity(p);
    for j in 0..p {
        let (mut r2, mut q2) = (0.0, 0.0);
        for i in 0..p {
            if i == j {
                continue;
            }
            r2 += r[(i, j)].powi(2);
            q2 += (inv[(i, j)] / (inv[(i, i)] * inv[(j, j)]).sqrt()).powi(2);
        }
        num_all += r2;
        den_all += r2 + q2;
        items.push(KmoItem {
            item: names[j].clone(),
            kmo: r2 / (r2 + q2),
        });
    }
    let overall = num_all / den_all;
    Ok(KmoResult {
        overall,
        label: kmo_label(overall),
        items,
    })
}

/// Bartlett's test that the correlation matrix is an identity matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BartlettResult {
    /// χ² = −(n − 1 − (2p + 5)/6)·ln|R|.
    pub chi2: f64,
    /// p(p − 1)/2.
    pub df: f64,
    /// p-value.
    pub p: f64,
}

/// Bartlett's sphericity test for a p×p correlation matrix from n rows.
pub fn bartlett(r: &Mat<f64>, n: usize) -> Result<BartlettResult> {
    let p = r.nrows() as f64;
    let ln_det = spd_log_det(r.as_ref())?;
    let chi2 = -(n as f64 - 1.0 - (2.0 * p + 5.0) / 6.0) * ln_det;
    let df = p * (p - 1.0) / 2.0;
    Ok(BartlettResult {
        chi2,
        df,
        p: chi2_sf(chi2, df),
    })
}

/// Options for [`parallel_analysis`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParallelOptions {
    /// Simulated data sets (100).
    pub iterations: usize,
    /// Percentile of the simulated eigenvalues to beat (95, Glorfeld 1995; 50 ≈ Horn's mean).
    pub percentile: f64,
    /// Seed of the random draws.
    pub seed: u64,
}

impl Default for ParallelOptions {
    fn default() -> Self {
        Self {
            iterations: 100,
            percentile: 95.0,
            seed: 20_240_429,
        }
    }
}

/// Parallel analysis result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParallelResult {
    /// Eigenvalues of R (components).
    pub observed: Vec<f64>,
    /// The chosen percentile of eigenvalues of R from random normal data of the same size.
    pub random: Vec<f64>,
    /// Eigenvalues of R with squared multiple correlations on the diagonal (common factors).
    pub observed_reduced: Vec<f64>,
    /// Same percentile for the reduced random matrices.
    pub random_reduced: Vec<f64>,
    /// Components to retain: leading observed eigenvalues above the random ones (Horn 1965).
    pub n_components: usize,
    /// Factors to retain by the reduced-matrix comparison (psych::fa.parallel "fa").
    pub n_factors: usize,
    /// Simulations run.
    pub iterations: usize,
    /// Percentile used.
    pub percentile: f64,
    /// Seed used.
    pub seed: u64,
}

fn reduced(r: &Mat<f64>) -> Result<Mat<f64>> {
    let inv = spd_inverse(r.as_ref())?;
    Ok(Mat::from_fn(r.nrows(), r.ncols(), |i, j| {
        if i == j {
            1.0 - 1.0 / inv[(i, i)]
        } else {
            r[(i, j)]
        }
    }))
}

/// One simulation's eigenvalues (full and reduced matrix).
type Eigenvalues = Result<(Vec<f64>, Vec<f64>)>;

fn leading_above(obs: &[f64], rand: &[f64]) -> usize {
    obs.iter().zip(rand).take_while(|(o, r)| o > r).count()
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    // linear interpolation between order statistics (numpy's default)
    let pos = (sorted.len() - 1) as f64 * q / 100.0;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// Horn's parallel analysis with normal random data of the same n × p.
pub fn parallel_analysis(r: &Mat<f64>, n: usize, opts: &ParallelOptions) -> Result<ParallelResult> {
    let p = r.nrows();
    if opts.iterations < 1 {
        return Err(StatsError::invalid(
            "iterations",
            "need at least one simulation",
        ));
    }
    if !(0.0..=100.0).contains(&opts.percentile) {
        return Err(StatsError::invalid(
            "percentile",
            "must be between 0 and 100",
        ));
    }
    if n < 3 {
        return Err(StatsError::too_few("rows", 3, n));
    }
    let observed = sym_eigenvalues(r.as_ref())?;
    let observed_reduced = sym_eigenvalues(reduced(r)?.as_ref())?;
    let one = |i: usize| -> Result<(Vec<f64>, Vec<f64>)> {
        let mut rng = Rng::new(opts.seed, i as u64);
        let values: Vec<f64> = (0..n * p).map(|_| rng.normal()).collect();
        let t = Table::from_columns(Table::numbered_columns(p), n, values)?;
        let rr = cov_to_corr(&covariance(&t));
        Ok((
            sym_eigenvalues(rr.as_ref())?,
            sym_eigenvalues(reduced(&rr)?.as_ref())?,
        ))
    };
    let threads = std::thread::available_parallelism()
        .map(|t| t.get())
        .unwrap_or(1)
        .min(opts.iterations);
    let results: Vec<Result<(Vec<f64>, Vec<f64>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|w| {
                let one = &one;
                s.spawn(move || {
                    (w..opts.iterations)
                        .step_by(threads)
                        .map(|i| (i, one(i)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, Eigenvalues)> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, r)| r).collect()
    });
    if results.len() != opts.iterations {
        return Err(StatsError::Numerical(
            "a parallel-analysis worker failed".into(),
        ));
    }
    let mut comp = vec![Vec::with_capacity(opts.iterations); p];
    let mut fact = vec![Vec::with_capacity(opts.iterations); p];
    for res in results {
        let (a, b) = res?;
        for j in 0..p {
            comp[j].push(a[j]);
            fact[j].push(b[j]);
        }
    }
    let pick = |cols: &mut Vec<Vec<f64>>| -> Vec<f64> {
        cols.iter_mut()
            .map(|c| {
                c.sort_by(f64::total_cmp);
                percentile(c, opts.percentile)
            })
            .collect()
    };
    let random = pick(&mut comp);
    let random_reduced = pick(&mut fact);
    Ok(ParallelResult {
        n_components: leading_above(&observed, &random),
        n_factors: leading_above(&observed_reduced, &random_reduced),
        observed,
        random,
        observed_reduced,
        random_reduced,
        iterations: opts.iterations,
        percentile: opts.percentile,
        seed: opts.seed,
    })
}
