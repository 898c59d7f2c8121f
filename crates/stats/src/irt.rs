//! Item response theory for right/wrong items: the Rasch model and the two-parameter logistic
//! model (2PL), fitted by marginal maximum likelihood with the EM algorithm of Bock & Aitkin
//! (1981) over a fixed quadrature for θ ~ N(0, 1). Gives item parameters with standard errors
//! (observed information, Louis' formula), EAP person scores, and the test information curve.
//!
//! Parameterisation: P(correct | θ) = 1 / (1 + exp(−(a·θ + d))), difficulty b = −d/a, logistic
//! metric (no 1.702 scaling). Rasch fixes a = 1 and the ability variance at 1.

use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};
use serde::Serialize;

use crate::data::Table;
use crate::error::{Result, StatsError};
use crate::linalg::{spd_inverse, sym_eigen};

/// Which model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IrtModel {
    /// One difficulty per item; every item discriminates equally (a = 1).
    Rasch,
    /// A difficulty and a discrimination per item.
    #[serde(rename = "2pl")]
    TwoPl,
}

/// Quadrature for the ability distribution N(0, 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrature {
    /// Gauss–Hermite nodes (Python mirt uses 21).
    GaussHermite(usize),
    /// Equally spaced nodes on [−bound, bound] weighted by the normal density (R mirt: 61 on ±6).
    Rectangular {
        /// Number of nodes.
        points: usize,
        /// Half-width of the grid.
        bound: f64,
    },
}

impl Quadrature {
    /// Nodes and weights (summing to 1).
    pub fn nodes(self) -> Result<(Vec<f64>, Vec<f64>)> {
        match self {
            Quadrature::Rectangular { points, bound } => {
                if points < 2 || crate::not_above(bound, 0.0) {
                    return Err(StatsError::invalid(
                        "quadrature",
                        "need ≥ 2 points and a positive bound",
                    ));
                }
                let x: Vec<f64> = (0..points)
                    .map(|i| -bound + 2.0 * bound * i as f64 / (points - 1) as f64)
                    .collect();
                let w: Vec<f64> = x.iter().map(|v| (-v * v / 2.0).exp()).collect();
                let s: f64 = w.iter().sum();
                Ok((x, w.into_iter().map(|v| v / s).collect()))
            }
            Quadrature::GaussHermite(n) => {
                if n < 2 {
                    return Err(StatsError::invalid("quadrature", "need ≥ 2 points"));
                }
                // Golub–Welsch for the probabilists' Hermite weight exp(−x²/2)/√(2π):
                // Jacobi matrix with off-diagonal √i.
                let j = Mat::from_fn(n, n, |r, c| {
                    if r + 1 == c || c + 1 == r {
                        (r.max(c) as f64).sqrt()
                    } else {
                        0.0
                    }
                });
                let (vals, vecs) = sym_eigen(j.as_ref())?;
                let mut pairs: Vec<(f64, f64)> =
                    (0..n).map(|i| (vals[i], vecs[(0, i)].powi(2))).collect();
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let s: f64 = pairs.iter().map(|p| p.1).sum();
                Ok((
                    pairs.iter().map(|p| p.0).collect(),
                    pairs.iter().map(|p| p.1 / s).collect(),
                ))
            }
        }
    }
}

/// Options for [`fit_irt`].
#[derive(Debug, Clone, PartialEq)]
pub struct IrtOptions {
    /// Model.
    pub model: IrtModel,
    /// Quadrature (21 Gauss–Hermite nodes, as Python mirt; R mirt uses 61 equally spaced nodes
    /// on ±6, available as `Quadrature::Rectangular`).
    pub quadrature: Quadrature,
    /// EM stops when no parameter moves more than this (1e-4, as R and Python mirt).
    pub tol: f64,
    /// EM iteration limit (5000).
    pub max_iter: usize,
    /// Compute standard errors (observed information).
    pub standard_errors: bool,
    /// θ values at which the test information is reported (−4 to 4 by 0.25).
    pub information_grid: Vec<f64>,
}

impl Default for IrtOptions {
    fn default() -> Self {
        Self {
            model: IrtModel::TwoPl,
            quadrature: Quadrature::GaussHermite(21),
            tol: 1e-4,
            max_iter: 5000,
            standard_errors: true,
            information_grid: (0..=32).map(|i| -4.0 + 0.25 * f64::from(i)).collect(),
        }
    }
}

/// One item's parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IrtItem {
    /// Item name.
    pub item: String,
    /// Discrimination a (1 for Rasch).
    pub a: f64,
    /// Difficulty b = −d/a: the ability with a 50 % chance of a correct answer.
    pub b: f64,
    /// Intercept d.
    pub d: f64,
    /// Standard error of a (none for Rasch).
    pub se_a: Option<f64>,
    /// Standard error of b (delta method).
    pub se_b: Option<f64>,
    /// Standard error of d.
    pub se_d: Option<f64>,
    /// Proportion correct among those who answered.
    pub p_correct: f64,
    /// People who answered the item.
    pub n: usize,
}

/// One person's ability estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonScore {
    /// 1-based row in the input.
    pub row: usize,
    /// EAP estimate of θ (posterior mean).
    pub theta: f64,
    /// Posterior standard deviation (the standard error of the EAP estimate).
    pub se: f64,
    /// Number correct.
    pub raw_score: f64,
    /// Items answered.
    pub answered: usize,
}

/// Test information at one θ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InformationPoint {
    /// Ability.
    pub theta: f64,
    /// I(θ) = Σ a²·P·(1 − P).
    pub information: f64,
    /// 1/√I(θ): the conditional standard error of measurement.
    pub se: f64,
}

/// A fitted IRT model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IrtResult {
    /// Model.
    pub model: IrtModel,
    /// Item parameters.
    pub items: Vec<IrtItem>,
    /// EAP scores for the rows used.
    pub persons: Vec<PersonScore>,
    /// Test information curve.
    pub test_information: Vec<InformationPoint>,
    /// Marginal log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Empirical reliability of the EAP scores, var(θ̂)/(var(θ̂) + mean PSD²).
    pub eap_reliability: f64,
    /// EM iterations.
    pub iterations: usize,
    /// EM met its tolerance.
    pub converged: bool,
    /// Quadrature used.
    pub quadrature: Quadrature,
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows used (at least one answered item).
    pub n_used: usize,
    /// Cautions (non-convergence, negative discriminations, SEs unavailable).
    pub warnings: Vec<String>,
}

/// Response data prepared for EM: persons × items, column-major, missing as 0 with a mask.
struct Responses {
    n: usize,
    k: usize,
    x: Vec<f64>,
    /// None when complete.
    mask: Option<Vec<f64>>,
    rows: Vec<usize>,
}

fn prepare(t: &Table) -> Result<Responses> {
    let k = t.n_cols();
    let rows: Vec<usize> = (0..t.n_rows())
        .filter(|&r| (0..k).any(|c| !t.is_missing(r, c)))
        .collect();
    let n = rows.len();
    let mut x = vec![0.0; n * k];
    let mut mask = vec![1.0; n * k];
    let mut any_missing = false;
    for c in 0..k {
        for (i, &r) in rows.iter().enumerate() {
            match t.get(r, c) {
                Some(v) if v == 0.0 || v == 1.0 => x[c * n + i] = v,
                Some(v) => {
                    return Err(StatsError::InvalidValue {
                        row: r + 1,
                        column: t.columns()[c].clone(),
                        reason: format!("{v} is not a 0/1 response"),
                    });
                }
                None => {
                    mask[c * n + i] = 0.0;
                    any_missing = true;
                }
            }
        }
    }
    Ok(Responses {
        n,
        k,
        x,
        mask: any_missing.then_some(mask),
        rows,
    })
}

use crate::fastmath::{exp as fast_exp, ln as fast_ln, sigmoid, softplus};

/// E-step output.
struct Posterior {
    /// n × q posterior weights, column-major.
    post: Mat<f64>,
    log_lik: f64,
}

fn e_step(data: &Responses, a: &[f64], d: &[f64], nodes: &[f64], lw: &[f64]) -> Posterior {
    let (n, k, q) = (data.n, data.k, nodes.len());
    // log L_p(X_q) = Σ_i x_pi (a_i X_q + d_i) − Σ_i m_pi softplus(a_i X_q + d_i):
    // the first sum is X_q·(Σ a_i x_pi) + Σ d_i x_pi, so only the second needs items × nodes.
    let mut sa = vec![0.0; n];
    let mut sd = vec![0.0; n];
    for i in 0..k {
        let col = &data.x[i * n..(i + 1) * n];
        for (p, &v) in col.iter().enumerate() {
            sa[p] += a[i] * v;
            sd[p] += d[i] * v;
        }
    }
    let sp = Mat::from_fn(k, q, |i, j| softplus(a[i] * nodes[j] + d[i]));
    let mut ll = Mat::<f64>::zeros(n, q);
    match &data.mask {
        None => {
            let c: Vec<f64> = (0..q).map(|j| (0..k).map(|i| sp[(i, j)]).sum()).collect();
            for j in 0..q {
                let col = ll.col_mut(j).try_as_col_major_mut();
                if let Some(col) = col {
                    let s = col.as_slice_mut();
                    for p in 0..n {
                        s[p] = nodes[j] * sa[p] + sd[p] - c[j] + lw[j];
                    }
                }
            }
        }
        Some(mask) => {
            let m = MatRef::from_column_major_slice(mask, n, k);
            matmul(ll.as_mut(), Accum::Replace, m, sp.as_ref(), -1.0, Par::Seq);
            for j in 0..q {
                for p in 0..n {
                    ll[(p, j)] += nodes[j] * sa[p] + sd[p] + lw[j];
                }
            }
        }
    }
    // log-sum-exp per person, column by column so every pass reads memory in order
    let mut post = ll;
    let mut mx = vec![f64::NEG_INFINITY; n];
    for j in 0..q {
        for (m, v) in mx.iter_mut().zip(post.col(j).iter()) {
            *m = m.max(*v);
        }
    }
    let mut sum = vec![0.0; n];
    for j in 0..q {
        for ((v, m), s) in post.col_mut(j).iter_mut().zip(&mx).zip(sum.iter_mut()) {
            // weights below e^-50 of the largest are zero to double precision; skipping them
            // also avoids exp's slow path for results in the subnormal range
            let diff = *v - m;
            *v = if diff < -50.0 { 0.0 } else { fast_exp(diff) };
            *s += *v;
        }
    }
    let log_lik = mx.iter().zip(&sum).map(|(m, s)| m + fast_ln(*s)).sum();
    let inv: Vec<f64> = sum.iter().map(|s| 1.0 / s).collect();
    for j in 0..q {
        for (v, i) in post.col_mut(j).iter_mut().zip(&inv) {
            *v *= i;
        }
    }
    Posterior { post, log_lik }
}

/// Expected counts: r̄ (k × q) correct and n̄ (k × q) answered at each node.
fn expected_counts(data: &Responses, post: &Mat<f64>) -> (Mat<f64>, Mat<f64>) {
    let (n, k, q) = (data.n, data.k, post.ncols());
    let x = MatRef::from_column_major_slice(&data.x, n, k);
    let mut r = Mat::<f64>::zeros(k, q);
    matmul(
        r.as_mut(),
        Accum::Replace,
        x.transpose(),
        post.as_ref(),
        1.0,
        Par::Seq,
    );
    let nbar = match &data.mask {
        None => {
            let tot: Vec<f64> = (0..q).map(|j| (0..n).map(|p| post[(p, j)]).sum()).collect();
            Mat::from_fn(k, q, |_, j| tot[j])
        }
        Some(mask) => {
            let m = MatRef::from_column_major_slice(mask, n, k);
            let mut nb = Mat::<f64>::zeros(k, q);
            matmul(
                nb.as_mut(),
                Accum::Replace,
                m.transpose(),
                post.as_ref(),
                1.0,
                Par::Seq,
            );
            nb
        }
    };
    (r, nbar)
}

/// M-step for one item: Newton on the expected complete-data log-likelihood.
fn m_step_item(r: &[f64], nb: &[f64], nodes: &[f64], a: &mut f64, d: &mut f64, two_pl: bool) {
    for _ in 0..20 {
        let (mut ga, mut gd, mut haa, mut had, mut hdd) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for j in 0..nodes.len() {
            let p = sigmoid(*a * nodes[j] + *d);
            let resid = r[j] - nb[j] * p;
            let w = nb[j] * p * (1.0 - p);
            let x = nodes[j];
            ga += resid * x;
            gd += resid;
            haa += w * x * x;
            had += w * x;
            hdd += w;
        }
        let (da, dd) = if two_pl {
            let det = haa * hdd - had * had;
            if crate::not_above(det, 0.0) {
                break;
            }
            ((hdd * ga - had * gd) / det, (haa * gd - had * ga) / det)
        } else {
            if crate::not_above(hdd, 0.0) {
                break;
            }
            (0.0, gd / hdd)
        };
        // damp very large steps (near-degenerate items)
        let scale = (da.abs().max(dd.abs()) / 2.0).max(1.0);
        *a += da / scale;
        *d += dd / scale;
        if da.abs().max(dd.abs()) < 1e-10 {
            break;
        }
    }
}

/// Index of parameter (item i, kind) in the information matrix: (a₁, d₁, a₂, d₂, …) for 2PL,
/// (d₁, d₂, …) for Rasch; kind 0 = a, 1 = d.
fn param_index(i: usize, kind: usize, two_pl: bool) -> Option<usize> {
    match (two_pl, kind) {
        (true, _) => Some(2 * i + kind),
        (false, 1) => Some(i),
        (false, _) => None,
    }
}

/// This chunk's contribution to the observed information (Louis 1982): the expected
/// complete-data information minus the posterior covariance of the complete-data scores,
/// summed over persons. Additive over persons, so chunks are summed before inverting.
fn information_contribution(
    data: &Responses,
    post: &Mat<f64>,
    a: &[f64],
    d: &[f64],
    nodes: &[f64],
    two_pl: bool,
) -> Mat<f64> {
    let (k, q) = (data.k, nodes.len());
    let dim = if two_pl { 2 * k } else { k };
    let prob = Mat::from_fn(k, q, |i, j| sigmoid(a[i] * nodes[j] + d[i]));
    let (rbar, nbar) = expected_counts(data, post);
    let mut info = expected_information(&nbar, &prob, nodes, two_pl);
    let model = Model {
        post,
        prob: &prob,
        nodes,
        two_pl,
    };
    let (ess, gbar) = match &data.mask {
        None => score_products_complete(data, &model, &rbar, &nbar),
        Some(mask) => score_products_masked(data, mask, &model),
    };
    let mut ggt = Mat::<f64>::zeros(dim, dim);
    matmul(
        ggt.as_mut(),
        Accum::Replace,
        gbar.transpose(),
        gbar.as_ref(),
        1.0,
        Par::Seq,
    );
    for i in 0..k {
        for l in 0..k {
            for (ka, kb) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                if let (Some(u), Some(v)) = (param_index(i, ka, two_pl), param_index(l, kb, two_pl))
                {
                    info[(u, v)] -= ess[2 - ka - kb][(i, l)];
                }
            }
        }
    }
    for u in 0..dim {
        for v in 0..dim {
            info[(u, v)] += ggt[(u, v)];
        }
    }
    info
}

/// The fitted model at the quadrature nodes, as the information needs it.
struct Model<'a> {
    /// n × q posterior weights.
    post: &'a Mat<f64>,
    /// k × q probabilities of a correct answer.
    prob: &'a Mat<f64>,
    nodes: &'a [f64],
    two_pl: bool,
}

/// The expected complete-data information: block diagonal, one block per item.
fn expected_information(nbar: &Mat<f64>, prob: &Mat<f64>, nodes: &[f64], two_pl: bool) -> Mat<f64> {
    let (k, q) = (prob.nrows(), nodes.len());
    let dim = if two_pl { 2 * k } else { k };
    let mut info = Mat::<f64>::zeros(dim, dim);
    for i in 0..k {
        for j in 0..q {
            let w = nbar[(i, j)] * prob[(i, j)] * (1.0 - prob[(i, j)]);
            let x = nodes[j];
            for (ka, kb, e) in [(0, 0, 2), (0, 1, 1), (1, 0, 1), (1, 1, 0)] {
                if let (Some(u), Some(v)) = (param_index(i, ka, two_pl), param_index(i, kb, two_pl))
                {
                    info[(u, v)] += w * x.powi(e);
                }
            }
        }
    }
    info
}

/// For complete data: Σ_p Σ_q π s sᵀ by node power e = 0, 1, 2 (the (a, a) entries carry X²,
/// (a, d) X, (d, d) 1), and ḡ_p, the posterior mean of each person's complete-data score.
/// Expands (x_i − P_iq)(x_j − P_jq) so that only k×k products over persons remain:
/// Σ_p π x_i x_j X^e = Xᵀ diag(M_e) X with M_e(p) = Σ_q π_pq X_q^e,
/// Σ_p π x_i P_jq = r̄_iq P_jq, Σ_p π P_iq P_jq = n̄_q P_iq P_jq.
fn score_products_complete(
    data: &Responses,
    model: &Model<'_>,
    rbar: &Mat<f64>,
    nbar: &Mat<f64>,
) -> ([Mat<f64>; 3], Mat<f64>) {
    let (n, k) = (data.n, data.k);
    let Model {
        post,
        prob,
        nodes,
        two_pl,
    } = *model;
    let q = nodes.len();
    let dim = if two_pl { 2 * k } else { k };
    let mut ess: [Mat<f64>; 3] = [Mat::zeros(k, k), Mat::zeros(k, k), Mat::zeros(k, k)];
    let x = MatRef::from_column_major_slice(&data.x, n, k);
    for (e, out) in ess.iter_mut().enumerate() {
        if !two_pl && e > 0 {
            continue;
        }
        let xe: Vec<f64> = nodes.iter().map(|x| x.powi(e as i32)).collect();
        let mut me = vec![0.0; n];
        for (j, w) in xe.iter().enumerate() {
            for (m, p) in me.iter_mut().zip(post.col(j).iter()) {
                *m += p * w;
            }
        }
        let y = Mat::from_fn(n, k, |p, i| me[p] * x[(p, i)]);
        matmul(
            out.as_mut(),
            Accum::Replace,
            x.transpose(),
            y.as_ref(),
            1.0,
            Par::Seq,
        );
        for i in 0..k {
            for l in 0..k {
                let mut t = 0.0;
                for j in 0..q {
                    let xe = nodes[j].powi(e as i32);
                    t += xe
                        * (-rbar[(i, j)] * prob[(l, j)] - rbar[(l, j)] * prob[(i, j)]
                            + nbar[(i, j)] * prob[(i, j)] * prob[(l, j)]);
                }
                out[(i, l)] += t;
            }
        }
    }
    // ḡ_p(i, d) = x_pi − Σ_q π P_iq ; ḡ_p(i, a) = x_pi M_1(p) − Σ_q π P_iq X_q
    let mut pp = Mat::<f64>::zeros(n, k);
    matmul(
        pp.as_mut(),
        Accum::Replace,
        post.as_ref(),
        prob.transpose(),
        1.0,
        Par::Seq,
    );
    let px = Mat::from_fn(k, q, |i, j| prob[(i, j)] * nodes[j]);
    let mut ppx = Mat::<f64>::zeros(n, k);
    if two_pl {
        matmul(
            ppx.as_mut(),
            Accum::Replace,
            post.as_ref(),
            px.transpose(),
            1.0,
            Par::Seq,
        );
    }
    let m1: Vec<f64> = (0..n)
        .map(|p| (0..q).map(|j| post[(p, j)] * nodes[j]).sum())
        .collect();
    let mut gbar = Mat::<f64>::zeros(n, dim);
    for i in 0..k {
        for p in 0..n {
            let xv = x[(p, i)];
            if two_pl {
                gbar[(p, 2 * i)] = xv * m1[p] - ppx[(p, i)];
                gbar[(p, 2 * i + 1)] = xv - pp[(p, i)];
            } else {
                gbar[(p, i)] = xv - pp[(p, i)];
            }
        }
    }
    (ess, gbar)
}

/// As [`score_products_complete`] with missing responses: the mask enters every product, so
/// the sums go node by node.
fn score_products_masked(
    data: &Responses,
    mask: &[f64],
    model: &Model<'_>,
) -> ([Mat<f64>; 3], Mat<f64>) {
    let (n, k) = (data.n, data.k);
    let Model {
        post,
        prob,
        nodes,
        two_pl,
    } = *model;
    let dim = if two_pl { 2 * k } else { k };
    let mut ess: [Mat<f64>; 3] = [Mat::zeros(k, k), Mat::zeros(k, k), Mat::zeros(k, k)];
    let mut gbar = Mat::<f64>::zeros(n, dim);
    let mut resid = Mat::<f64>::zeros(n, k);
    let mut block = Mat::<f64>::zeros(k, k);
    for (j, &xq) in nodes.iter().enumerate() {
        for i in 0..k {
            for p in 0..n {
                let r = (data.x[i * n + p] - prob[(i, j)]) * mask[i * n + p];
                let w = post[(p, j)];
                resid[(p, i)] = r * w.sqrt();
                if two_pl {
                    gbar[(p, 2 * i)] += w * r * xq;
                    gbar[(p, 2 * i + 1)] += w * r;
                } else {
                    gbar[(p, i)] += w * r;
                }
            }
        }
        matmul(
            block.as_mut(),
            Accum::Replace,
            resid.transpose(),
            resid.as_ref(),
            1.0,
            Par::Seq,
        );
        for (e, out) in ess.iter_mut().enumerate() {
            let xe = xq.powi(e as i32);
            for i in 0..k {
                for l in 0..k {
                    out[(i, l)] += block[(i, l)] * xe;
                }
            }
        }
    }
    (ess, gbar)
}

/// Splits the persons into `parts` contiguous chunks (for threads).
fn split(data: &Responses, parts: usize) -> Vec<Responses> {
    let (n, k) = (data.n, data.k);
    let parts = parts.clamp(1, n.max(1));
    let size = n.div_ceil(parts);
    (0..parts)
        .map(|c| {
            let lo = (c * size).min(n);
            let hi = ((c + 1) * size).min(n);
            let take = |v: &Vec<f64>| {
                let mut out = Vec::with_capacity((hi - lo) * k);
                for i in 0..k {
                    out.extend_from_slice(&v[i * n + lo..i * n + hi]);
                }
                out
            };
            Responses {
                n: hi - lo,
                k,
                x: take(&data.x),
                mask: data.mask.as_ref().map(take),
                rows: data.rows[lo..hi].to_vec(),
            }
        })
        .filter(|c| c.n > 0)
        .collect()
}

/// Runs `f` on every chunk, in parallel when there are several; results in chunk order.
fn par_map<T: Send>(chunks: &[Responses], f: impl Fn(&Responses) -> T + Sync) -> Vec<T> {
    if chunks.len() == 1 {
        return vec![f(&chunks[0])];
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks.iter().map(|c| s.spawn(|| f(c))).collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

/// Fits a Rasch or 2PL model. Rows are persons, columns items scored 0/1; missing responses are
/// skipped (the likelihood ignores them) and rows with no response are left out. An item that
/// everyone answered the same way is an error (its difficulty is infinite).
pub fn fit_irt(t: &Table, opts: &IrtOptions) -> Result<IrtResult> {
    let data = prepare(t)?;
    let (n, k) = (data.n, data.k);
    if k < 2 {
        return Err(StatsError::too_few("items", 2, k));
    }
    if n < 2 {
        return Err(StatsError::too_few("rows with a response", 2, n));
    }
    let two_pl = opts.model == IrtModel::TwoPl;
    let (p_correct, answered) = item_proportions(t, &data)?;
    let (nodes, weights) = opts.quadrature.nodes()?;
    let lw: Vec<f64> = weights.iter().map(|w| w.ln()).collect();
    let mut a = vec![1.0; k];
    let mut d: Vec<f64> = p_correct.iter().map(|p| (p / (1.0 - p)).ln()).collect();
    let threads = if n * k >= 50_000 {
        std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .min(8)
    } else {
        1
    };
    let chunks = split(&data, threads);
    let (iterations, converged) = em(&chunks, &mut a, &mut d, &nodes, &lw, opts)?;
    let posts = par_map(&chunks, |c| e_step(c, &a, &d, &nodes, &lw));
    let log_lik: f64 = posts.iter().map(|e| e.log_lik).sum();
    let mut warnings = Vec::new();
    if !converged {
        warnings.push(format!("EM did not converge in {iterations} iterations"));
    }
    let cov = if opts.standard_errors {
        let cov = covariance(&chunks, &posts, &a, &d, &nodes, two_pl);
        if cov.is_none() {
            warnings.push(
                "the information matrix is not positive definite: standard errors are not available"
                    .into(),
            );
        }
        cov
    } else {
        None
    };
    let items = irt_items(t, &a, &d, &p_correct, &answered, cov.as_ref(), two_pl);
    for it in &items {
        if it.a <= 0.0 {
            warnings.push(format!(
                "item \"{}\" has a negative discrimination: people with more ability get it wrong more often; check its key",
                it.item
            ));
        }
    }
    let persons = person_scores(&chunks, &posts, &nodes);
    let mean_t = persons.iter().map(|p| p.theta).sum::<f64>() / n as f64;
    let var_t = persons
        .iter()
        .map(|p| (p.theta - mean_t).powi(2))
        .sum::<f64>()
        / n as f64;
    let mean_psd2 = persons.iter().map(|p| p.se * p.se).sum::<f64>() / n as f64;
    let test_information = opts
        .information_grid
        .iter()
        .map(|&th| {
            let info: f64 = (0..k)
                .map(|i| {
                    let p = sigmoid(a[i] * th + d[i]);
                    a[i] * a[i] * p * (1.0 - p)
                })
                .sum();
            InformationPoint {
                theta: th,
                information: info,
                se: 1.0 / info.sqrt(),
            }
        })
        .collect();
    Ok(IrtResult {
        model: opts.model,
        items,
        persons,
        test_information,
        log_likelihood: log_lik,
        eap_reliability: var_t / (var_t + mean_psd2),
        iterations,
        converged,
        quadrature: opts.quadrature,
        n_rows: t.n_rows(),
        n_used: n,
        warnings,
    })
}

/// Per item, the proportion correct among those who answered and how many answered. An item
/// nobody answered, or everyone answered the same way, is an error.
fn item_proportions(t: &Table, data: &Responses) -> Result<(Vec<f64>, Vec<usize>)> {
    let (n, k) = (data.n, data.k);
    let mut p_correct = Vec::with_capacity(k);
    let mut answered = Vec::with_capacity(k);
    for i in 0..k {
        let (mut s, mut m) = (0.0, 0.0);
        for p in 0..n {
            let mk = data.mask.as_ref().map_or(1.0, |mm| mm[i * n + p]);
            s += data.x[i * n + p] * mk;
            m += mk;
        }
        if m == 0.0 || s == 0.0 || s == m {
            return Err(StatsError::ConstantColumn {
                column: t.columns()[i].clone(),
                value: if s == 0.0 { 0.0 } else { 1.0 },
            });
        }
        p_correct.push(s / m);
        answered.push(m as usize);
    }
    Ok((p_correct, answered))
}

/// The EM iterations from the starting `a` and `d`, which it updates: E step per chunk (in
/// parallel), M step per item, until the largest change is below the tolerance. Returns the
/// number of iterations and whether it converged.
fn em(
    chunks: &[Responses],
    a: &mut [f64],
    d: &mut [f64],
    nodes: &[f64],
    lw: &[f64],
    opts: &IrtOptions,
) -> Result<(usize, bool)> {
    let k = a.len();
    let q = nodes.len();
    let two_pl = opts.model == IrtModel::TwoPl;
    let mut iterations = 0;
    for it in 0..opts.max_iter {
        iterations = it + 1;
        let parts = par_map(chunks, |c| {
            let e = e_step(c, a, d, nodes, lw);
            expected_counts(c, &e.post)
        });
        let mut r = Mat::<f64>::zeros(k, q);
        let mut nb = Mat::<f64>::zeros(k, q);
        for (pr, pn) in &parts {
            r += pr;
            nb += pn;
        }
        let mut change = 0.0f64;
        for i in 0..k {
            let ri: Vec<f64> = (0..q).map(|j| r[(i, j)]).collect();
            let ni: Vec<f64> = (0..q).map(|j| nb[(i, j)]).collect();
            let (a0, d0) = (a[i], d[i]);
            m_step_item(&ri, &ni, nodes, &mut a[i], &mut d[i], two_pl);
            change = change.max((a[i] - a0).abs()).max((d[i] - d0).abs());
        }
        if !a.iter().chain(d.iter()).all(|v| v.is_finite()) {
            return Err(StatsError::Numerical(
                "EM diverged (parameters became infinite)".into(),
            ));
        }
        if change < opts.tol {
            return Ok((iterations, true));
        }
    }
    Ok((iterations, false))
}

/// The covariance of the item parameters: the inverse of the observed information summed over
/// chunks (computed in parallel); `None` when the information is not positive definite.
fn covariance(
    chunks: &[Responses],
    posts: &[Posterior],
    a: &[f64],
    d: &[f64],
    nodes: &[f64],
    two_pl: bool,
) -> Option<Mat<f64>> {
    let pairs: Vec<(&Responses, &Posterior)> = chunks.iter().zip(posts).collect();
    let parts: Vec<Mat<f64>> = if pairs.len() == 1 {
        vec![information_contribution(
            pairs[0].0,
            &pairs[0].1.post,
            a,
            d,
            nodes,
            two_pl,
        )]
    } else {
        std::thread::scope(|s| {
            let hs: Vec<_> = pairs
                .iter()
                .map(|(c, e)| {
                    s.spawn(move || information_contribution(c, &e.post, a, d, nodes, two_pl))
                })
                .collect();
            hs.into_iter().filter_map(|h| h.join().ok()).collect()
        })
    };
    let mut total = parts[0].clone();
    for p in &parts[1..] {
        total += p;
    }
    spd_inverse(total.as_ref()).ok()
}

/// The item parameters with their standard errors (the delta method for b = −d/a).
fn irt_items(
    t: &Table,
    a: &[f64],
    d: &[f64],
    p_correct: &[f64],
    answered: &[usize],
    cov: Option<&Mat<f64>>,
    two_pl: bool,
) -> Vec<IrtItem> {
    (0..a.len())
        .map(|i| {
            let (se_a, se_d, se_b) = match cov {
                Some(c) if two_pl => {
                    let (va, vd, cad) = (
                        c[(2 * i, 2 * i)],
                        c[(2 * i + 1, 2 * i + 1)],
                        c[(2 * i, 2 * i + 1)],
                    );
                    // b = −d/a: ∂b/∂a = d/a², ∂b/∂d = −1/a
                    let (ga, gd) = (d[i] / (a[i] * a[i]), -1.0 / a[i]);
                    let vb = ga * ga * va + gd * gd * vd + 2.0 * ga * gd * cad;
                    (Some(va.sqrt()), Some(vd.sqrt()), Some(vb.sqrt()))
                }
                Some(c) => {
                    let s = c[(i, i)].sqrt();
                    (None, Some(s), Some(s))
                }
                None => (None, None, None),
            };
            IrtItem {
                item: t.columns()[i].clone(),
                a: a[i],
                b: -d[i] / a[i],
                d: d[i],
                se_a,
                se_b,
                se_d,
                p_correct: p_correct[i],
                n: answered[i],
            }
        })
        .collect()
}

/// Every person's EAP score and posterior SD, with their raw score and number answered.
fn person_scores(chunks: &[Responses], posts: &[Posterior], nodes: &[f64]) -> Vec<PersonScore> {
    let q = nodes.len();
    let mut persons: Vec<PersonScore> = Vec::new();
    for (c, e) in chunks.iter().zip(posts) {
        let (cn, k) = (c.n, c.k);
        for p in 0..cn {
            let theta: f64 = (0..q).map(|j| nodes[j] * e.post[(p, j)]).sum();
            let var: f64 = (0..q)
                .map(|j| (nodes[j] - theta).powi(2) * e.post[(p, j)])
                .sum();
            let (mut raw, mut ans) = (0.0, 0);
            for i in 0..k {
                let mk = c.mask.as_ref().map_or(1.0, |m| m[i * cn + p]);
                raw += c.x[i * cn + p] * mk;
                ans += usize::from(mk == 1.0);
            }
            persons.push(PersonScore {
                row: c.rows[p] + 1,
                theta,
                se: var.sqrt(),
                raw_score: raw,
                answered: ans,
            });
        }
    }
    persons
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn information_is_the_same_by_chunks_and_by_the_complete_data_shortcut() {
        let mut rng = crate::rng::Rng::new(3, 0);
        let (n, k) = (300, 6);
        let x: Vec<f64> = (0..n * k)
            .map(|_| if rng.uniform() < 0.6 { 1.0 } else { 0.0 })
            .collect();
        let data = Responses {
            n,
            k,
            x: x.clone(),
            mask: None,
            rows: (0..n).collect(),
        };
        let masked = Responses {
            n,
            k,
            x,
            mask: Some(vec![1.0; n * k]),
            rows: (0..n).collect(),
        };
        let (nodes, w) = Quadrature::GaussHermite(11).nodes().unwrap();
        let lw: Vec<f64> = w.iter().map(|v| v.ln()).collect();
        let a: Vec<f64> = (0..k).map(|i| 0.6 + 0.2 * i as f64).collect();
        let d: Vec<f64> = (0..k).map(|i| -0.5 + 0.3 * i as f64).collect();
        for two_pl in [true, false] {
            let whole = information_contribution(
                &data,
                &e_step(&data, &a, &d, &nodes, &lw).post,
                &a,
                &d,
                &nodes,
                two_pl,
            );
            let slow = information_contribution(
                &masked,
                &e_step(&masked, &a, &d, &nodes, &lw).post,
                &a,
                &d,
                &nodes,
                two_pl,
            );
            let mut chunked = Mat::<f64>::zeros(whole.nrows(), whole.ncols());
            for c in split(&data, 3) {
                chunked += information_contribution(
                    &c,
                    &e_step(&c, &a, &d, &nodes, &lw).post,
                    &a,
                    &d,
                    &nodes,
                    two_pl,
                );
            }
            for i in 0..whole.nrows() {
                for j in 0..whole.ncols() {
                    let scale = whole[(i, j)].abs().max(1.0);
                    assert!(
                        (whole[(i, j)] - slow[(i, j)]).abs() < 1e-9 * scale,
                        "shortcut {i} {j}"
                    );
                    assert!(
                        (whole[(i, j)] - chunked[(i, j)]).abs() < 1e-9 * scale,
                        "chunks {i} {j}"
                    );
                }
            }
        }
    }

    #[test]
    fn gauss_hermite_integrates_normal_moments() {
        let (x, w) = Quadrature::GaussHermite(21).nodes().unwrap();
        let m2: f64 = x.iter().zip(&w).map(|(x, w)| x * x * w).sum();
        let m4: f64 = x.iter().zip(&w).map(|(x, w)| x.powi(4) * w).sum();
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(
            (m2 - 1.0).abs() < 1e-10 && (m4 - 3.0).abs() < 1e-9,
            "{m2} {m4}"
        );
    }
}
