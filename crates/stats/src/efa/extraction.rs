//! Factor extraction from a correlation matrix: minimum residuals (MINRES/ULS), principal axis
//! factoring, and maximum likelihood (Lawley–Maxwell, as R's `factanal`). MINRES and ML minimise
//! over the uniquenesses ψ with a box-constrained quasi-Newton method and analytic gradients.

use faer::Mat;

use crate::error::{Result, StatsError};
use crate::linalg::{spd_inverse, sym_eigen};

/// Lower bound on the uniquenesses during MINRES and ML (as factanal and factor_analyzer);
/// an item that ends at this bound is reported as a Heywood case.
pub const PSI_LOWER: f64 = 0.005;
const PSI_UPPER: f64 = 1.0;

/// Unrotated solution.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// p × m loadings.
    pub loadings: Mat<f64>,
    /// Uniquenesses from the fit (ψ for MINRES/ML, 1 − h² for principal axis).
    pub psi: Vec<f64>,
    /// Iterations used.
    pub iterations: usize,
    /// Whether the tolerance was met.
    pub converged: bool,
    /// Final value of the objective (ML: the discrepancy F used by the chi-square test).
    pub objective: f64,
}

/// Squared multiple correlations 1 − 1/diag(R⁻¹).
pub fn smc(r: &Mat<f64>) -> Result<Vec<f64>> {
    let inv = spd_inverse(r.as_ref())?;
    Ok((0..r.nrows()).map(|i| 1.0 - 1.0 / inv[(i, i)]).collect())
}

/// MINRES objective f(ψ) = ‖R* − LLᵀ‖² with diag(R*) = 1 − ψ, and its gradient.
fn minres_objective(r: &Mat<f64>, m: usize, psi: &[f64]) -> Result<(f64, Vec<f64>)> {
    let p = r.nrows();
    let rs = Mat::from_fn(p, p, |i, j| if i == j { 1.0 - psi[i] } else { r[(i, j)] });
    let (vals, vecs) = sym_eigen(rs.as_ref())?;
    let floor = f64::EPSILON * 100.0;
    // residual: the discarded eigenvalues, plus any clipped leading ones
    let mut f = 0.0;
    let mut g = vec![0.0; p];
    for (i, &lam) in vals.iter().enumerate() {
        let resid = if i < m { lam - lam.max(floor) } else { lam };
        if resid != 0.0 {
            f += resid * resid;
            for (j, gj) in g.iter_mut().enumerate() {
                *gj -= 2.0 * resid * vecs[(j, i)].powi(2);
            }
        }
    }
    Ok((f, g))
}

fn minres_loadings(r: &Mat<f64>, m: usize, psi: &[f64]) -> Result<Mat<f64>> {
    let p = r.nrows();
    let rs = Mat::from_fn(p, p, |i, j| if i == j { 1.0 - psi[i] } else { r[(i, j)] });
    let (vals, vecs) = sym_eigen(rs.as_ref())?;
    Ok(Mat::from_fn(p, m, |i, j| {
        vecs[(i, j)] * vals[j].max(0.0).sqrt()
    }))
}

/// ML profile discrepancy f(ψ) = −Σ_{i>m}(ln γᵢ − γᵢ) − m + p, γ the eigenvalues of
/// Ψ^{-1/2} R Ψ^{-1/2}; gradient diag(ΛΛᵀ + Ψ − R)/ψ².
fn ml_objective(r: &Mat<f64>, m: usize, psi: &[f64]) -> Result<(f64, Vec<f64>)> {
    let p = r.nrows();
    let sc: Vec<f64> = psi.iter().map(|v| 1.0 / v.sqrt()).collect();
    let s = Mat::from_fn(p, p, |i, j| sc[i] * r[(i, j)] * sc[j]);
    let (vals, vecs) = sym_eigen(s.as_ref())?;
    let mut f = 0.0;
    for &g in &vals[m..] {
        if g <= 0.0 {
            return Err(StatsError::NotPositiveDefinite {
                detail: format!("scaled correlation matrix has eigenvalue {g:.3e}"),
            });
        }
        f -= g.ln() - g;
    }
    f += -(m as f64) + p as f64;
    let load = ml_loadings_from(&vecs, &vals, psi, m);
    let grad = (0..p)
        .map(|i| {
            let ll: f64 = (0..m).map(|k| load[(i, k)].powi(2)).sum();
            (ll + psi[i] - r[(i, i)]) / (psi[i] * psi[i])
        })
        .collect();
    Ok((f, grad))
}

fn ml_loadings_from(vecs: &Mat<f64>, vals: &[f64], psi: &[f64], m: usize) -> Mat<f64> {
    Mat::from_fn(vecs.nrows(), m, |i, j| {
        psi[i].sqrt() * vecs[(i, j)] * (vals[j] - 1.0).max(0.0).sqrt()
    })
}

fn ml_loadings(r: &Mat<f64>, m: usize, psi: &[f64]) -> Result<Mat<f64>> {
    let p = r.nrows();
    let sc: Vec<f64> = psi.iter().map(|v| 1.0 / v.sqrt()).collect();
    let s = Mat::from_fn(p, p, |i, j| sc[i] * r[(i, j)] * sc[j]);
    let (vals, vecs) = sym_eigen(s.as_ref())?;
    Ok(ml_loadings_from(&vecs, &vals, psi, m))
}

/// Box-constrained BFGS (projected, with an active set) for the ψ objectives.
/// An objective over ψ returning its value and gradient.
type Objective<'a> = &'a dyn Fn(&[f64]) -> Result<(f64, Vec<f64>)>;

fn minimise_bounded(
    x0: Vec<f64>,
    objective: Objective<'_>,
    tol: f64,
    max_iter: usize,
) -> Result<(Vec<f64>, f64, usize, bool)> {
    let n = x0.len();
    let clamp = |v: f64| v.clamp(PSI_LOWER, PSI_UPPER);
    let mut x: Vec<f64> = x0.into_iter().map(clamp).collect();
    let (mut f, mut g) = objective(&x)?;
    let mut h = vec![0.0; n * n];
    let reset = |h: &mut Vec<f64>| {
        h.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            h[i * n + i] = 1.0;
        }
    };
    reset(&mut h);
    for iter in 0..max_iter {
        let active: Vec<bool> = (0..n)
            .map(|i| (x[i] <= PSI_LOWER && g[i] > 0.0) || (x[i] >= PSI_UPPER && g[i] < 0.0))
            .collect();
        let pg = (0..n)
            .filter(|&i| !active[i])
            .map(|i| g[i].abs())
            .fold(0.0, f64::max);
        if pg < tol {
            return Ok((x, f, iter, true));
        }
        // direction on the free variables
        let mut d = vec![0.0; n];
        for i in 0..n {
            if active[i] {
                continue;
            }
            d[i] = -(0..n)
                .filter(|&j| !active[j])
                .map(|j| h[i * n + j] * g[j])
                .sum::<f64>();
        }
        let mut slope: f64 = (0..n).map(|i| d[i] * g[i]).sum();
        if slope >= 0.0 {
            reset(&mut h);
            for i in 0..n {
                d[i] = if active[i] { 0.0 } else { -g[i] };
            }
            slope = (0..n).map(|i| d[i] * g[i]).sum();
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let xn: Vec<f64> = (0..n).map(|i| clamp(x[i] + step * d[i])).collect();
            if let Ok((fn_, gn)) = objective(&xn) {
                let decrease: f64 = (0..n).map(|i| g[i] * (xn[i] - x[i])).sum();
                if fn_ <= f + 1e-4 * decrease.min(0.0) {
                    accepted = Some((xn, fn_, gn));
                    break;
                }
            }
            step *= 0.5;
        }
        let Some((xn, fn_, gn)) = accepted else {
            // no progress possible: at a (numerical) minimum
            return Ok((x, f, iter, pg < tol.sqrt()));
        };
        let s: Vec<f64> = (0..n).map(|i| xn[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| gn[i] - g[i]).collect();
        let sy: f64 = (0..n).map(|i| s[i] * y[i]).sum();
        let f_change = (f - fn_).abs();
        x = xn;
        let f_old = f;
        f = fn_;
        g = gn;
        if sy > 1e-16 {
            // BFGS update of the inverse Hessian
            let hy: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| h[i * n + j] * y[j]).sum())
                .collect();
            let yhy: f64 = (0..n).map(|i| y[i] * hy[i]).sum();
            let rho = 1.0 / sy;
            for i in 0..n {
                for j in 0..n {
                    h[i * n + j] +=
                        (1.0 + yhy * rho) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
                }
            }
        } else {
            reset(&mut h);
        }
        if f_change <= 1e-16 * f_old.abs().max(1e-300) && s.iter().all(|v| v.abs() < 1e-14) {
            return Ok((x, f, iter + 1, true));
        }
    }
    Ok((x, f, max_iter, false))
}

/// MINRES: minimises the squared residual correlations over ψ ∈ [0.005, 1], from ψ = 1 − SMC.
pub fn minres(r: &Mat<f64>, m: usize, tol: f64, max_iter: usize) -> Result<Extracted> {
    let start: Vec<f64> = smc(r)?.iter().map(|s| 1.0 - s).collect();
    let obj = |psi: &[f64]| minres_objective(r, m, psi);
    let (psi, f, iterations, converged) = minimise_bounded(start, &obj, tol, max_iter)?;
    Ok(Extracted {
        loadings: minres_loadings(r, m, &psi)?,
        psi,
        iterations,
        converged,
        objective: f,
    })
}

/// Maximum likelihood: minimises the ML discrepancy over ψ ∈ [0.005, 1], from ψ = 1 − SMC.
pub fn maximum_likelihood(r: &Mat<f64>, m: usize, tol: f64, max_iter: usize) -> Result<Extracted> {
    let start: Vec<f64> = smc(r)?.iter().map(|s| 1.0 - s).collect();
    let obj = |psi: &[f64]| ml_objective(r, m, psi);
    let (psi, f, iterations, converged) = minimise_bounded(start, &obj, tol, max_iter)?;
    Ok(Extracted {
        loadings: ml_loadings(r, m, &psi)?,
        psi,
        iterations,
        converged,
        objective: f,
    })
}

/// Principal axis factoring: SMC start, iterate communalities until max |Δh²| < tol. Nothing is
/// bounded: a communality above 1 is left as is and reported as a Heywood case.
pub fn principal_axis(r: &Mat<f64>, m: usize, tol: f64, max_iter: usize) -> Result<Extracted> {
    let p = r.nrows();
    let mut h2 = smc(r)?;
    let mut loadings = Mat::<f64>::zeros(p, m);
    for iter in 0..max_iter {
        let rr = Mat::from_fn(p, p, |i, j| if i == j { h2[i] } else { r[(i, j)] });
        let (vals, vecs) = sym_eigen(rr.as_ref())?;
        loadings = Mat::from_fn(p, m, |i, j| vecs[(i, j)] * vals[j].max(0.0).sqrt());
        let new: Vec<f64> = (0..p)
            .map(|i| (0..m).map(|j| loadings[(i, j)].powi(2)).sum())
            .collect();
        let change = new
            .iter()
            .zip(&h2)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        h2 = new;
        if change < tol {
            let psi = h2.iter().map(|h| 1.0 - h).collect();
            return Ok(Extracted {
                loadings,
                psi,
                iterations: iter + 1,
                converged: true,
                objective: change,
            });
        }
    }
    let psi = h2.iter().map(|h| 1.0 - h).collect();
    Ok(Extracted {
        loadings,
        psi,
        iterations: max_iter,
        converged: false,
        objective: f64::NAN,
    })
}
