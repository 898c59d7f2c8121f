//! Exploratory factor analysis: sampling adequacy (KMO, Bartlett), how many factors (parallel
//! analysis), extraction (MINRES, principal axis, maximum likelihood), rotation (varimax, promax,
//! oblimin), and the problems that make a solution untrustworthy (Heywood cases, a correlation
//! matrix that is not positive definite), which are reported, never hidden.

mod diagnostics;
mod extraction;
mod rotation;

pub use diagnostics::{
    BartlettResult, KmoItem, KmoResult, ParallelOptions, ParallelResult, bartlett, kmo, kmo_label,
    parallel_analysis,
};
pub use extraction::{Extracted, PSI_LOWER, smc};
pub use rotation::{Rotated, oblimin, promax, varimax};

use faer::Mat;
use serde::Serialize;

use crate::data::{MissingPolicy, Table};
use crate::dist::chi2_sf;
use crate::error::{Result, StatsError};
use crate::linalg::{check_positive_definite, cov_to_corr, sym_eigenvalues, to_rows};
use crate::reliability::{check_not_constant, item_covariance};

/// An item whose uniqueness is at or below this (communality ≥ .995) is a Heywood case.
pub const HEYWOOD_UNIQUENESS: f64 = PSI_LOWER + 1e-6;

/// How factors are extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Extraction {
    /// Minimum residuals (unweighted least squares): robust, the usual default.
    Minres,
    /// Principal axis factoring (iterated communalities).
    PrincipalAxis,
    /// Maximum likelihood: gives a chi-square test of fit; assumes multivariate normality.
    MaximumLikelihood,
}

/// How the factors are rotated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rotation {
    /// No rotation.
    None,
    /// Orthogonal: uncorrelated factors.
    Varimax,
    /// Oblique: factors may correlate (power 4).
    Promax,
    /// Oblique: direct oblimin with γ = 0 (quartimin).
    Oblimin,
}

/// How many factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorCount {
    /// A given number.
    Fixed(usize),
    /// Parallel analysis (components rule, 95th percentile).
    ParallelAnalysis,
}

/// Convergence settings of the extraction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtractOptions {
    /// Tolerance: projected gradient for MINRES/ML, max |Δh²| for principal axis.
    pub tol: f64,
    /// Iteration limit.
    pub max_iter: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        Self {
            tol: 1e-9,
            max_iter: 10_000,
        }
    }
}

/// Options for [`factor_analysis`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EfaOptions {
    /// Number of factors.
    pub factors: FactorCount,
    /// Extraction method.
    pub extraction: Extraction,
    /// Rotation.
    pub rotation: Rotation,
    /// Missing-data rule for the correlation matrix.
    pub missing: MissingPolicy,
    /// Parallel-analysis settings (used for `FactorCount::ParallelAnalysis`, and reported).
    pub parallel: ParallelOptions,
    /// Extraction convergence.
    pub extract: ExtractOptions,
    /// Rotation tolerance (1e-5, as R and factor_analyzer).
    pub rotation_tol: f64,
    /// Rotation iteration limit (500).
    pub rotation_max_iter: usize,
}

impl Default for EfaOptions {
    fn default() -> Self {
        Self {
            factors: FactorCount::ParallelAnalysis,
            extraction: Extraction::Minres,
            rotation: Rotation::Promax,
            missing: MissingPolicy::Listwise,
            parallel: ParallelOptions::default(),
            extract: ExtractOptions::default(),
            rotation_tol: 1e-5,
            rotation_max_iter: 500,
        }
    }
}

/// Extracts `m` factors from a correlation matrix (unrotated).
pub fn extract(
    r: &Mat<f64>,
    m: usize,
    method: Extraction,
    opts: &ExtractOptions,
) -> Result<Extracted> {
    let p = r.nrows();
    if m < 1 || m >= p {
        return Err(StatsError::invalid(
            "number of factors",
            format!(
                "must be between 1 and {} for {p} items",
                p.saturating_sub(1)
            ),
        ));
    }
    match method {
        Extraction::Minres => extraction::minres(r, m, opts.tol, opts.max_iter),
        Extraction::PrincipalAxis => extraction::principal_axis(r, m, opts.tol, opts.max_iter),
        Extraction::MaximumLikelihood => {
            extraction::maximum_likelihood(r, m, opts.tol, opts.max_iter)
        }
    }
}

/// One item's row of the solution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLoadings {
    /// Item name.
    pub item: String,
    /// Loadings (pattern coefficients for oblique rotations), one per factor.
    pub loadings: Vec<f64>,
    /// Communality h²: the share of the item's variance the factors explain (diag ΛΦΛᵀ).
    pub communality: f64,
    /// Uniqueness 1 − h².
    pub uniqueness: f64,
}

/// Variance accounted for by one factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorVariance {
    /// Factor number (1-based, after ordering).
    pub factor: usize,
    /// Sum of squared loadings.
    pub ss_loadings: f64,
    /// ss_loadings / number of items.
    pub proportion: f64,
    /// Running total of `proportion`.
    pub cumulative: f64,
}

/// Chi-square test of the maximum-likelihood model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MlFit {
    /// Bartlett-corrected χ² = (n − 1 − (2p + 5)/6 − 2m/3)·F.
    pub chi2: f64,
    /// ((p − m)² − p − m)/2.
    pub df: f64,
    /// p-value (none when df ≤ 0).
    pub p: Option<f64>,
}

/// A full exploratory factor analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EfaResult {
    /// Factors extracted.
    pub n_factors: usize,
    /// How the number was chosen: "given" or "parallel analysis".
    pub n_factors_rule: &'static str,
    /// Extraction method.
    pub extraction: Extraction,
    /// Rotation.
    pub rotation: Rotation,
    /// Per-item loadings, communalities and uniquenesses.
    pub items: Vec<ItemLoadings>,
    /// Variance per factor (for oblique rotations the SS of the pattern, which do not add up).
    pub variance: Vec<FactorVariance>,
    /// Factor correlations Φ (oblique rotations).
    pub factor_correlations: Option<Vec<Vec<f64>>>,
    /// Structure matrix ΛΦ: item–factor correlations (oblique rotations).
    pub structure: Option<Vec<Vec<f64>>>,
    /// Eigenvalues of the correlation matrix.
    pub eigenvalues: Vec<f64>,
    /// Sampling adequacy.
    pub kmo: KmoResult,
    /// Sphericity test.
    pub bartlett: BartlettResult,
    /// Parallel analysis (always run when the number of factors was chosen by it).
    pub parallel: Option<ParallelResult>,
    /// Maximum-likelihood fit test.
    pub ml_fit: Option<MlFit>,
    /// Items in a Heywood case (uniqueness at the 0.005 bound or below, communality ≥ .995).
    pub heywood_items: Vec<String>,
    /// Extraction converged.
    pub converged: bool,
    /// Extraction iterations.
    pub iterations: usize,
    /// Rotation converged.
    pub rotation_converged: bool,
    /// Plain-language cautions.
    pub warnings: Vec<String>,
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows used for the correlation matrix.
    pub n_used: usize,
    /// Missing-data rule.
    pub missing: MissingPolicy,
}

/// Exploratory factor analysis of a table (rows respondents, columns items).
pub fn factor_analysis(t: &Table, opts: &EfaOptions) -> Result<EfaResult> {
    let p = t.n_cols();
    if p < 3 {
        return Err(StatsError::too_few("items", 3, p));
    }
    let (c, n_used, _, used) = item_covariance(t, opts.missing)?;
    check_not_constant(&used, &c)?;
    if n_used <= p {
        return Err(StatsError::too_few(
            format!("rows (more rows than the {p} items are needed)"),
            p + 1,
            n_used,
        ));
    }
    let r = cov_to_corr(&c);
    let mut res = factor_analysis_corr(&r, n_used, t.columns(), opts)?;
    res.n_rows = t.n_rows();
    res.missing = opts.missing;
    Ok(res)
}

/// Exploratory factor analysis of a correlation matrix computed from `n` rows.
pub fn factor_analysis_corr(
    r: &Mat<f64>,
    n: usize,
    names: &[String],
    opts: &EfaOptions,
) -> Result<EfaResult> {
    let p = r.nrows();
    if names.len() != p {
        return Err(StatsError::invalid(
            "item names",
            "one name per item is needed",
        ));
    }
    check_positive_definite(r.as_ref())?;
    let eigenvalues = sym_eigenvalues(r.as_ref())?;
    let kmo = kmo(r, names)?;
    let bartlett = bartlett(r, n)?;
    let mut warnings = Vec::new();
    let (m, rule, parallel) = factor_count(r, n, opts, &mut warnings)?;
    let ex = extract(r, m, opts.extraction, &opts.extract)?;
    if !ex.converged {
        warnings.push(format!(
            "the extraction did not converge in {} iterations; treat the loadings with caution",
            ex.iterations
        ));
    }
    let (loadings, phi, rotation_converged) = rotate(&ex.loadings, m, opts)?;
    if !rotation_converged {
        warnings.push(
            "the rotation did not converge; the loadings may not be the best rotation".into(),
        );
    }
    let (loadings, phi) = orient_and_order(loadings, phi);
    let communality = communalities(&loadings, phi.as_ref());
    let heywood_items: Vec<String> = (0..p)
        .filter(|&i| {
            let psi_bound =
                opts.extraction != Extraction::PrincipalAxis && ex.psi[i] <= HEYWOOD_UNIQUENESS;
            psi_bound || 1.0 - communality[i] <= HEYWOOD_UNIQUENESS
        })
        .map(|i| names[i].clone())
        .collect();
    if !heywood_items.is_empty() {
        warnings.push(format!(
            "Heywood case: {} explained almost entirely (uniqueness at or below {PSI_LOWER}); the solution is improper — try fewer factors, drop or merge the item, or collect more data",
            heywood_items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
        ));
    }
    if kmo.overall < 0.5 {
        warnings.push(format!(
            "KMO = {:.3} is below .50: these items share too little variance for factor analysis",
            kmo.overall
        ));
    }
    let ml_fit = (opts.extraction == Extraction::MaximumLikelihood).then(|| {
        let (pf, mf) = (p as f64, m as f64);
        let chi2 = (n as f64 - 1.0 - (2.0 * pf + 5.0) / 6.0 - 2.0 * mf / 3.0) * ex.objective;
        let df = ((pf - mf).powi(2) - pf - mf) / 2.0;
        MlFit {
            chi2,
            df,
            p: (df > 0.0).then(|| chi2_sf(chi2, df)),
        }
    });
    let structure = phi.as_ref().map(|ph| to_rows(&(&loadings * ph)));
    let items = (0..p)
        .map(|i| ItemLoadings {
            item: names[i].clone(),
            loadings: (0..m).map(|j| loadings[(i, j)]).collect(),
            communality: communality[i],
            uniqueness: 1.0 - communality[i],
        })
        .collect();
    Ok(EfaResult {
        n_factors: m,
        n_factors_rule: rule,
        extraction: opts.extraction,
        rotation: if m < 2 { Rotation::None } else { opts.rotation },
        items,
        variance: variance_explained(&loadings),
        factor_correlations: phi.as_ref().map(to_rows),
        structure,
        eigenvalues,
        kmo,
        bartlett,
        parallel,
        ml_fit,
        heywood_items,
        converged: ex.converged,
        iterations: ex.iterations,
        rotation_converged,
        warnings,
        n_rows: n,
        n_used: n,
        missing: MissingPolicy::Listwise,
    })
}

/// How many factors to extract, by which rule, and the parallel analysis when it decided.
/// Parallel analysis that finds none still extracts one (with a warning); never more than
/// p − 1.
fn factor_count(
    r: &Mat<f64>,
    n: usize,
    opts: &EfaOptions,
    warnings: &mut Vec<String>,
) -> Result<(usize, &'static str, Option<ParallelResult>)> {
    Ok(match opts.factors {
        FactorCount::Fixed(m) => (m, "given", None),
        FactorCount::ParallelAnalysis => {
            let pa = parallel_analysis(r, n, &opts.parallel)?;
            let mut m = pa.n_components;
            if m == 0 {
                warnings.push(
                    "parallel analysis found no factor above chance; one factor was extracted"
                        .to_string(),
                );
                m = 1;
            }
            (m.min(r.nrows() - 1), "parallel analysis", Some(pa))
        }
    })
}

/// The rotated loadings, the factor correlations (oblique rotations only) and whether the
/// rotation converged. One factor is never rotated.
fn rotate(
    loadings: &Mat<f64>,
    m: usize,
    opts: &EfaOptions,
) -> Result<(Mat<f64>, Option<Mat<f64>>, bool)> {
    Ok(match opts.rotation {
        _ if m < 2 => (loadings.clone(), None, true),
        Rotation::None => (loadings.clone(), None, true),
        Rotation::Varimax => {
            let (l, _, conv) = varimax(loadings, opts.rotation_tol, opts.rotation_max_iter)?;
            (l, None, conv)
        }
        Rotation::Promax => {
            let rot = promax(loadings, 4.0, opts.rotation_tol, opts.rotation_max_iter)?;
            (rot.loadings, rot.phi, rot.converged)
        }
        Rotation::Oblimin => {
            let rot = oblimin(loadings, opts.rotation_tol, opts.rotation_max_iter)?;
            (rot.loadings, rot.phi, rot.converged)
        }
    })
}

/// Signs: each factor's loadings sum to a positive number (the factor correlations follow);
/// order: by sum of squared loadings, largest first.
fn orient_and_order(
    mut loadings: Mat<f64>,
    mut phi: Option<Mat<f64>>,
) -> (Mat<f64>, Option<Mat<f64>>) {
    let (p, m) = (loadings.nrows(), loadings.ncols());
    for j in 0..m {
        let s: f64 = (0..p).map(|i| loadings[(i, j)]).sum();
        if s < 0.0 {
            for i in 0..p {
                loadings[(i, j)] = -loadings[(i, j)];
            }
            if let Some(ph) = phi.as_mut() {
                for k in 0..m {
                    if k != j {
                        ph[(j, k)] = -ph[(j, k)];
                        ph[(k, j)] = -ph[(k, j)];
                    }
                }
            }
        }
    }
    let ss: Vec<f64> = (0..m)
        .map(|j| (0..p).map(|i| loadings[(i, j)].powi(2)).sum())
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| ss[b].total_cmp(&ss[a]));
    let loadings = Mat::from_fn(p, m, |i, j| loadings[(i, order[j])]);
    let phi = phi.map(|ph| Mat::from_fn(m, m, |i, j| ph[(order[i], order[j])]));
    (loadings, phi)
}

/// Each item's communality: λᵢ Φ λᵢᵀ, or the sum of squared loadings when orthogonal.
fn communalities(loadings: &Mat<f64>, phi: Option<&Mat<f64>>) -> Vec<f64> {
    let (p, m) = (loadings.nrows(), loadings.ncols());
    (0..p)
        .map(|i| match phi {
            Some(ph) => (0..m)
                .flat_map(|a| (0..m).map(move |b| (a, b)))
                .map(|(a, b)| loadings[(i, a)] * ph[(a, b)] * loadings[(i, b)])
                .sum(),
            None => (0..m).map(|j| loadings[(i, j)].powi(2)).sum(),
        })
        .collect()
}

/// Variance explained per factor, with the running total.
fn variance_explained(loadings: &Mat<f64>) -> Vec<FactorVariance> {
    let (p, m) = (loadings.nrows(), loadings.ncols());
    let mut cumulative = 0.0;
    (0..m)
        .map(|j| {
            let s: f64 = (0..p).map(|i| loadings[(i, j)].powi(2)).sum();
            cumulative += s / p as f64;
            FactorVariance {
                factor: j + 1,
                ss_loadings: s,
                proportion: s / p as f64,
                cumulative,
            }
        })
        .collect()
}
