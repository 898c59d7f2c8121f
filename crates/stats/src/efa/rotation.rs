//! Factor rotations: varimax (Kaiser 1958, the SVD algorithm of R's `varimax`), promax
//! (Hendrickson & White 1964, power 4, with Kaiser row normalisation as factor_analyzer does) and
//! oblimin with γ = 0 (quartimin) by gradient projection (Jennrich 2002; Bernaards & Jennrich).

use faer::Mat;

use crate::error::{Result, StatsError};
use crate::linalg::spd_inverse;

/// A rotated solution.
#[derive(Debug, Clone)]
pub struct Rotated {
    /// Rotated loadings (the pattern matrix for oblique rotations).
    pub loadings: Mat<f64>,
    /// Factor correlations (oblique rotations only).
    pub phi: Option<Mat<f64>>,
    /// Whether the iteration met its tolerance.
    pub converged: bool,
}

fn row_norms(a: &Mat<f64>) -> Vec<f64> {
    (0..a.nrows())
        .map(|i| {
            (0..a.ncols())
                .map(|j| a[(i, j)].powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .collect()
}

fn scale_rows(a: &Mat<f64>, s: &[f64], divide: bool) -> Mat<f64> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| {
        if divide {
            a[(i, j)] / s[i]
        } else {
            a[(i, j)] * s[i]
        }
    })
}

/// Varimax with Kaiser normalisation; stops when the criterion grows by less than a relative
/// `tol` (1e-5 in R and factor_analyzer).
pub fn varimax(a: &Mat<f64>, tol: f64, max_iter: usize) -> Result<(Mat<f64>, Mat<f64>, bool)> {
    let (p, m) = (a.nrows(), a.ncols());
    let norms = row_norms(a);
    if norms.contains(&0.0) {
        return Err(StatsError::Numerical(
            "an item has zero loadings on every factor".into(),
        ));
    }
    let x = scale_rows(a, &norms, true);
    let mut t = Mat::<f64>::identity(m, m);
    let mut d = 0.0;
    let mut converged = false;
    for _ in 0..max_iter {
        let old_d = d;
        let b = &x * &t;
        let col_ss: Vec<f64> = (0..m)
            .map(|j| (0..p).map(|i| b[(i, j)].powi(2)).sum())
            .collect();
        let inner = Mat::from_fn(p, m, |i, j| {
            b[(i, j)].powi(3) - b[(i, j)] * col_ss[j] / p as f64
        });
        let target = x.transpose() * &inner;
        let svd = target
            .thin_svd()
            .map_err(|e| StatsError::Numerical(format!("varimax SVD failed: {e:?}")))?;
        t = svd.U() * svd.V().transpose();
        d = (0..m).map(|i| svd.S().column_vector()[i]).sum();
        if d < old_d * (1.0 + tol) {
            converged = true;
            break;
        }
    }
    let rotated = scale_rows(&(&x * &t), &norms, false);
    Ok((rotated, t, converged))
}

/// Promax: varimax of the row-normalised loadings, then a least-squares fit to the target
/// X∘|X|^(power−1), columns rescaled so the factors have unit variance.
pub fn promax(a: &Mat<f64>, power: f64, tol: f64, max_iter: usize) -> Result<Rotated> {
    let m = a.ncols();
    let h = row_norms(a);
    if h.contains(&0.0) {
        return Err(StatsError::Numerical(
            "an item has zero loadings on every factor".into(),
        ));
    }
    let w = scale_rows(a, &h, true);
    let (x, _, converged) = varimax(&w, tol, max_iter)?;
    let y = Mat::from_fn(x.nrows(), m, |i, j| {
        x[(i, j)] * x[(i, j)].abs().powf(power - 1.0)
    });
    let xtx = x.transpose() * &x;
    let coef = spd_inverse(xtx.as_ref())? * (x.transpose() * &y);
    let ctc = coef.transpose() * &coef;
    let ctc_inv = spd_inverse(ctc.as_ref())?;
    let coef = Mat::from_fn(m, m, |i, j| coef[(i, j)] * ctc_inv[(j, j)].sqrt());
    let z = &x * &coef;
    let loadings = scale_rows(&z, &h, false);
    let coef_inv = general_inverse(&coef)?;
    let phi = &coef_inv * coef_inv.transpose();
    Ok(Rotated {
        loadings,
        phi: Some(phi),
        converged,
    })
}

fn general_inverse(a: &Mat<f64>) -> Result<Mat<f64>> {
    use faer::linalg::solvers::DenseSolveCore;
    let lu = a.partial_piv_lu();
    let inv = lu.inverse();
    if (0..inv.nrows()).any(|i| (0..inv.ncols()).any(|j| !inv[(i, j)].is_finite())) {
        return Err(StatsError::Numerical("rotation matrix is singular".into()));
    }
    Ok(inv)
}

/// Quartimin criterion and gradient: f = Σ (L²)∘(L² N)/4 with N = 1 − I.
fn quartimin(l: &Mat<f64>) -> (f64, Mat<f64>) {
    let (p, m) = (l.nrows(), l.ncols());
    let mut f = 0.0;
    let g = Mat::from_fn(p, m, |i, j| {
        let others: f64 = (0..m).filter(|&c| c != j).map(|c| l[(i, c)].powi(2)).sum();
        l[(i, j)] * others
    });
    for i in 0..p {
        for j in 0..m {
            let others: f64 = (0..m).filter(|&c| c != j).map(|c| l[(i, c)].powi(2)).sum();
            f += l[(i, j)].powi(2) * others;
        }
    }
    (f / 4.0, g)
}

/// Direct oblimin with γ = 0 (quartimin) by oblique gradient projection.
pub fn oblimin(a: &Mat<f64>, tol: f64, max_iter: usize) -> Result<Rotated> {
    let m = a.ncols();
    let mut t = Mat::<f64>::identity(m, m);
    let mut l = a.clone();
    let (mut f, gq) = quartimin(&l);
    let mut g = -(l.transpose() * &gq * general_inverse(&t)?)
        .transpose()
        .to_owned();
    let mut alpha = 1.0;
    let mut converged = false;
    for _ in 0..=max_iter {
        let col = |mat: &Mat<f64>, tt: &Mat<f64>, j: usize| -> f64 {
            (0..m).map(|i| tt[(i, j)] * mat[(i, j)]).sum()
        };
        let gp = Mat::from_fn(m, m, |i, j| g[(i, j)] - t[(i, j)] * col(&g, &t, j));
        let s = (0..m)
            .flat_map(|i| (0..m).map(move |j| (i, j)))
            .map(|(i, j)| gp[(i, j)].powi(2))
            .sum::<f64>()
            .sqrt();
        if s < tol {
            converged = true;
            break;
        }
        alpha *= 2.0;
        let mut t_new = t.clone();
        let mut l_new = l.clone();
        let mut f_new = f;
        let mut gq_new = Mat::<f64>::zeros(a.nrows(), m);
        for _ in 0..=10 {
            let x = Mat::from_fn(m, m, |i, j| t[(i, j)] - alpha * gp[(i, j)]);
            let v: Vec<f64> = (0..m)
                .map(|j| 1.0 / (0..m).map(|i| x[(i, j)].powi(2)).sum::<f64>().sqrt())
                .collect();
            t_new = Mat::from_fn(m, m, |i, j| x[(i, j)] * v[j]);
            l_new = a * general_inverse(&t_new)?.transpose();
            let (ft, gt) = quartimin(&l_new);
            f_new = ft;
            gq_new = gt;
            if f - ft > 0.5 * s * s * alpha {
                break;
            }
            alpha /= 2.0;
        }
        t = t_new;
        l = l_new;
        f = f_new;
        g = -(l.transpose() * &gq_new * general_inverse(&t)?)
            .transpose()
            .to_owned();
    }
    let phi = t.transpose() * &t;
    Ok(Rotated {
        loadings: l,
        phi: Some(phi),
        converged,
    })
}
