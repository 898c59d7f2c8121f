//! Probability distributions used by the tests and intervals: normal, chi-square, F, and the
//! hypergeometric terms of Fisher's exact test. Built on `statrs`; quantiles are polished with
//! Newton steps on the regularised incomplete beta so that they agree with scipy to ~1e-12.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};
use statrs::function::beta::{beta_reg, inv_beta_reg, ln_beta};

/// Standard normal cumulative probability.
pub fn norm_cdf(x: f64) -> f64 {
    statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2) / 2.0
}

/// Standard normal upper tail, P(Z > x).
pub fn norm_sf(x: f64) -> f64 {
    statrs::function::erf::erfc(x / std::f64::consts::SQRT_2) / 2.0
}

/// Standard normal quantile.
pub fn norm_ppf(p: f64) -> f64 {
    match Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Chi-square upper tail P(X > x) with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df) {
        Ok(c) => c.sf(x),
        Err(_) => f64::NAN,
    }
}

/// Upper tail of the F distribution, P(F > x).
pub fn f_sf(x: f64, d1: f64, d2: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    // P(F > x) = I_{d2/(d2 + d1 x)}(d2/2, d1/2)
    beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * x))
}

/// Solves I_z(a, b) = p for z, accurately in both tails.
fn inv_beta(a: f64, b: f64, p: f64) -> f64 {
    // statrs panics on shapes that are not finite and positive (an infinite F's degrees of
    // freedom, say); the quantile is undefined there.
    if !(a.is_finite() && b.is_finite() && a > 0.0 && b > 0.0) || p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    let mut z = inv_beta_reg(a, b, p).clamp(1e-300, 1.0 - 1e-16);
    let lb = ln_beta(a, b);
    for _ in 0..50 {
        let f = beta_reg(a, b, z) - p;
        let ln_pdf = (a - 1.0) * z.ln() + (b - 1.0) * (1.0 - z).ln() - lb;
        let step = f / ln_pdf.exp();
        if !step.is_finite() {
            break;
        }
        let mut next = z - step;
        if next <= 0.0 {
            next = z / 2.0;
        } else if next >= 1.0 {
            next = (1.0 + z) / 2.0;
        }
        let done = (next - z).abs() <= 1e-15 * z.max(1e-300);
        z = next;
        if done {
            break;
        }
    }
    z
}

/// The F quantile with upper-tail probability `q`: the x with P(F > x) = q (scipy `f.isf`).
pub fn f_isf(q: f64, d1: f64, d2: f64) -> f64 {
    // P(F > x) = I_w(d2/2, d1/2) with w = d2/(d2 + d1 x)  =>  x = d2 (1 - w) / (d1 w)
    let w = inv_beta(d2 / 2.0, d1 / 2.0, q);
    d2 * (1.0 - w) / (d1 * w)
}

/// The F quantile with lower-tail probability `p` (scipy `f.ppf`).
pub fn f_ppf(p: f64, d1: f64, d2: f64) -> f64 {
    f_isf(1.0 - p, d1, d2)
}

/// ln C(n, k).
pub fn ln_choose(n: u64, k: u64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_invert_tails() {
        for &(d1, d2) in &[(5.0, 18.0), (9.0, 27.0), (1999.0, 7996.0), (1.0, 1.0)] {
            for &q in &[0.025, 0.5, 0.975, 1e-6] {
                let x = f_isf(q, d1, d2);
                assert!(
                    (f_sf(x, d1, d2) - q).abs() < 1e-12 * q.max(1e-3),
                    "{d1} {d2} {q}"
                );
            }
        }
        assert!((norm_ppf(0.975) - 1.959963984540054).abs() < 1e-12);
        // scipy: chi2.sf(3.84, 1) = 0.05004352124870519
        assert!((chi2_sf(3.84, 1.0) - 0.05004352124870519).abs() < 1e-13);
        // scipy: f.isf(0.025, 5, 18) = 3.381967805875243
        assert!((f_isf(0.025, 5.0, 18.0) - 3.381967805875243).abs() < 1e-12);
    }
}
