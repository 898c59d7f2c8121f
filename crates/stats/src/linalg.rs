//! Dense linear algebra on top of faer: covariance and correlation matrices (complete and
//! pairwise), symmetric eigen decomposition, inverses and log-determinants of positive definite
//! matrices. Kept in one place so the statistics read as formulas.

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par, Side};

use crate::data::Table;
use crate::error::{Result, StatsError};

/// Rows per block when accumulating cross-products: small enough for the centred block to stay
/// in cache, large enough for the matrix kernel to be efficient.
const BLOCK_ROWS: usize = 512;

/// Column means of a complete table (two-pass friendly: summed in f64 by blocks).
pub fn column_means(t: &Table) -> Vec<f64> {
    let n = t.n_rows() as f64;
    (0..t.n_cols())
        .map(|c| pairwise_sum(t.column_raw(c)) / n)
        .collect()
}

/// Pairwise (cascade) summation: error grows with log n rather than n.
pub fn pairwise_sum(x: &[f64]) -> f64 {
    if x.len() <= 256 {
        let mut acc = [0.0f64; 4];
        let chunks = x.chunks_exact(4);
        let rest = chunks.remainder();
        for c in chunks {
            acc[0] += c[0];
            acc[1] += c[1];
            acc[2] += c[2];
            acc[3] += c[3];
        }
        let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for v in rest {
            s += v;
        }
        s
    } else {
        let mid = x.len() / 2;
        pairwise_sum(&x[..mid]) + pairwise_sum(&x[mid..])
    }
}

/// Sum of centred cross-products of the rows `rows` of a complete table.
fn centred_crossprod_range(t: &Table, means: &[f64], rows: std::ops::Range<usize>) -> Mat<f64> {
    let k = t.n_cols();
    let mut acc = Mat::<f64>::zeros(k, k);
    let mut buf = vec![0.0; BLOCK_ROWS * k];
    let mut start = rows.start;
    while start < rows.end {
        let len = BLOCK_ROWS.min(rows.end - start);
        for c in 0..k {
            let col = &t.column_raw(c)[start..start + len];
            let m = means[c];
            let dst = &mut buf[c * len..c * len + len];
            for (d, v) in dst.iter_mut().zip(col) {
                *d = v - m;
            }
        }
        let block = MatRef::from_column_major_slice(&buf[..len * k], len, k);
        matmul(
            acc.as_mut(),
            Accum::Add,
            block.transpose(),
            block,
            1.0,
            Par::Seq,
        );
        start += len;
    }
    acc
}

/// Number of worker threads for large cross-products.
fn threads_for(cells: usize) -> usize {
    if cells < 200_000 {
        1
    } else {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8)
    }
}

/// Sample covariance matrix (ddof = 1) of a complete table, two-pass (means first).
pub fn covariance(t: &Table) -> Mat<f64> {
    let n = t.n_rows();
    let k = t.n_cols();
    let means = column_means(t);
    let threads = threads_for(n * k).min(n.max(1));
    let sums = if threads <= 1 {
        centred_crossprod_range(t, &means, 0..n)
    } else {
        let chunk = n.div_ceil(threads);
        let parts: Vec<Mat<f64>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|i| {
                    let lo = (i * chunk).min(n);
                    let hi = ((i + 1) * chunk).min(n);
                    let means = &means;
                    s.spawn(move || centred_crossprod_range(t, means, lo..hi))
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        let mut total = Mat::<f64>::zeros(k, k);
        for p in parts {
            total += p;
        }
        total
    };
    let denom = (n as f64 - 1.0).max(1.0);
    Mat::from_fn(k, k, |i, j| {
        // use the lower triangle and mirror it so the result is exactly symmetric
        let (a, b) = if i >= j { (i, j) } else { (j, i) };
        sums[(a, b)] / denom
    })
}

/// Pairwise-complete covariance (ddof = 1 per pair, with each pair's own means, as pandas
/// `DataFrame.cov`), and the number of rows each pair used.
pub fn pairwise_covariance(t: &Table) -> (Mat<f64>, Mat<f64>) {
    let n = t.n_rows();
    let k = t.n_cols();
    // Shift each column by its available-case mean first: the raw-moment pair formula below is
    // then free of cancellation.
    let mut x = vec![0.0; n * k];
    let mut m = vec![0.0; n * k];
    for c in 0..k {
        let col = t.column_raw(c);
        let mask = t.column_mask(c);
        let (mut s, mut cnt) = (0.0, 0usize);
        for r in 0..n {
            if mask.is_none_or(|mk| !mk[r]) {
                s += col[r];
                cnt += 1;
            }
        }
        let mean = if cnt > 0 { s / cnt as f64 } else { 0.0 };
        for r in 0..n {
            if mask.is_none_or(|mk| !mk[r]) {
                x[c * n + r] = col[r] - mean;
                m[c * n + r] = 1.0;
            }
        }
    }
    let xm = MatRef::from_column_major_slice(&x, n, k);
    let mm = MatRef::from_column_major_slice(&m, n, k);
    let mut q = Mat::<f64>::zeros(k, k);
    let mut s = Mat::<f64>::zeros(k, k);
    let mut cnt = Mat::<f64>::zeros(k, k);
    matmul(
        q.as_mut(),
        Accum::Replace,
        xm.transpose(),
        xm,
        1.0,
        Par::Seq,
    );
    // s[(i, j)] = sum over rows where both are present of x_i
    matmul(
        s.as_mut(),
        Accum::Replace,
        xm.transpose(),
        mm,
        1.0,
        Par::Seq,
    );
    matmul(
        cnt.as_mut(),
        Accum::Replace,
        mm.transpose(),
        mm,
        1.0,
        Par::Seq,
    );
    let cov = Mat::from_fn(k, k, |i, j| {
        let nij = cnt[(i, j)];
        if nij < 2.0 {
            f64::NAN
        } else {
            (q[(i, j)] - s[(i, j)] * s[(j, i)] / nij) / (nij - 1.0)
        }
    });
    (cov, cnt)
}

/// Correlation matrix from a covariance matrix.
pub fn cov_to_corr(c: &Mat<f64>) -> Mat<f64> {
    let k = c.nrows();
    Mat::from_fn(k, k, |i, j| {
        if i == j {
            1.0
        } else {
            c[(i, j)] / (c[(i, i)] * c[(j, j)]).sqrt()
        }
    })
}

/// Eigen decomposition of a symmetric matrix: eigenvalues in *decreasing* order and the matching
/// eigenvectors as columns.
pub fn sym_eigen(a: MatRef<'_, f64>) -> Result<(Vec<f64>, Mat<f64>)> {
    let evd = a
        .self_adjoint_eigen(Side::Lower)
        .map_err(|e| StatsError::Numerical(format!("eigen decomposition failed: {e:?}")))?;
    let s = evd.S().column_vector();
    let u = evd.U();
    let k = a.nrows();
    let vals: Vec<f64> = (0..k).rev().map(|i| s[i]).collect();
    let vecs = Mat::from_fn(k, k, |i, j| u[(i, k - 1 - j)]);
    Ok((vals, vecs))
}

/// Eigenvalues of a symmetric matrix in decreasing order.
pub fn sym_eigenvalues(a: MatRef<'_, f64>) -> Result<Vec<f64>> {
    let mut v = a
        .self_adjoint_eigenvalues(Side::Lower)
        .map_err(|e| StatsError::Numerical(format!("eigenvalues failed: {e:?}")))?;
    v.reverse();
    Ok(v)
}

/// Inverse of a symmetric positive definite matrix (Cholesky). Errors when the matrix is not
/// positive definite, naming the smallest eigenvalue.
pub fn spd_inverse(a: MatRef<'_, f64>) -> Result<Mat<f64>> {
    use faer::linalg::solvers::DenseSolveCore;
    check_positive_definite(a)?;
    let llt = a.llt(Side::Lower).map_err(|_| not_pd(a))?;
    Ok(llt.inverse())
}

/// ln det of a symmetric positive definite matrix, from its Cholesky factor.
pub fn spd_log_det(a: MatRef<'_, f64>) -> Result<f64> {
    check_positive_definite(a)?;
    let llt = a.llt(Side::Lower).map_err(|_| not_pd(a))?;
    let l = llt.L();
    Ok((0..a.nrows()).map(|i| 2.0 * l[(i, i)].ln()).sum())
}

/// Errors unless the smallest eigenvalue is comfortably above zero (relative 1e-12 · p).
pub fn check_positive_definite(a: MatRef<'_, f64>) -> Result<()> {
    let vals = sym_eigenvalues(a)?;
    let max = vals.first().copied().unwrap_or(0.0);
    let min = vals.last().copied().unwrap_or(0.0);
    if crate::not_above(min, 1e-12 * a.nrows() as f64 * max.abs().max(1.0)) {
        return Err(StatsError::NotPositiveDefinite {
            detail: format!("smallest eigenvalue {min:.3e}"),
        });
    }
    Ok(())
}

fn not_pd(a: MatRef<'_, f64>) -> StatsError {
    let min = sym_eigenvalues(a)
        .ok()
        .and_then(|v| v.last().copied())
        .unwrap_or(f64::NAN);
    StatsError::NotPositiveDefinite {
        detail: format!("smallest eigenvalue {min:.3e}"),
    }
}

/// Converts a faer matrix to rows of numbers for serialisation.
pub fn to_rows(m: &Mat<f64>) -> Vec<Vec<f64>> {
    (0..m.nrows())
        .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covariance_matches_naive_and_pairwise_matches_complete() {
        let rows: Vec<Vec<f64>> = (0..1500)
            .map(|i| {
                let x = i as f64;
                vec![
                    (x * 0.37).sin() * 3.0 + 100.0,
                    (x * 0.11).cos() + x * 0.001,
                    (x * 1.3).sin(),
                ]
            })
            .collect();
        let t = Table::from_complete_rows(Table::numbered_columns(3), &rows).unwrap();
        let c = covariance(&t);
        let n = rows.len() as f64;
        for i in 0..3 {
            for j in 0..3 {
                let mi = rows.iter().map(|r| r[i]).sum::<f64>() / n;
                let mj = rows.iter().map(|r| r[j]).sum::<f64>() / n;
                let naive = rows.iter().map(|r| (r[i] - mi) * (r[j] - mj)).sum::<f64>() / (n - 1.0);
                assert!((c[(i, j)] - naive).abs() < 1e-12);
            }
        }
        let (p, cnt) = pairwise_covariance(&t);
        assert_eq!(cnt[(0, 1)], n);
        for i in 0..3 {
            for j in 0..3 {
                assert!((p[(i, j)] - c[(i, j)]).abs() < 1e-12);
            }
        }
    }
}
