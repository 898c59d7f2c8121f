//! exp, softplus and the logistic function in plain Rust for the hot loops of IRT estimation.
//!
//! Why not `f64::exp`: on the x86-64 machines we measured, glibc's `exp` and `log` run about
//! 30 times slower after faer's AVX-512 matrix kernels have run (the SSE/AVX transition penalty:
//! faer leaves the upper vector state dirty and glibc's entry points use legacy SSE encodings).
//! Code compiled by rustc is not affected. `docs/benchmarks.md` has the measurements. The
//! function here is accurate to a few units in the last place, which the tests check.

/// e^x, accurate to about 2 ulp over the whole double range.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.782_712_893_384 {
        return f64::INFINITY;
    }
    if x < -745.133_219_101_941_1 {
        return 0.0;
    }
    // x = k·ln2 + r, |r| ≤ ln2/2, with ln2 split so that k·LN2_HI is exact
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // round to nearest by the 1.5·2^52 trick: `f64::round` is a libm call, with the same
    // slowdown as `exp`
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let k = (x * std::f64::consts::LOG2_E + SHIFTER) - SHIFTER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    // Taylor series to r^13: the first omitted term is below 1e-17 relative for |r| ≤ 0.35
    let mut p = 1.0 / 6_227_020_800.0;
    for d in [
        479_001_600.0,
        39_916_800.0,
        3_628_800.0,
        362_880.0,
        40_320.0,
        5040.0,
        720.0,
        120.0,
        24.0,
        6.0,
        2.0,
        1.0,
    ] {
        p = p * r + 1.0 / d;
    }
    let er = p * r + 1.0;
    scale_by_power_of_two(er, k as i32)
}

/// m · 2^k for finite m near 1, handling results in the subnormal range.
fn scale_by_power_of_two(m: f64, k: i32) -> f64 {
    let pow2 = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    if k > 1023 {
        m * pow2(1023) * pow2(k - 1023)
    } else if k < -1022 {
        m * pow2(k + 1000) * pow2(-1000)
    } else {
        m * pow2(k)
    }
}

/// ln(1 + e^z) without overflow.
pub fn softplus(z: f64) -> f64 {
    if z > 36.0 {
        z + exp(-z)
    } else if z < -36.0 {
        exp(z)
    } else {
        ln_1p_small(exp(z))
    }
}

/// ln(1 + y) for 0 ≤ y ≤ e^36, by atanh series on s = y/(2 + y): ln(1+y) = 2·atanh(s).
fn ln_1p_small(y: f64) -> f64 {
    // reduce: 1 + y = 2^e · f with f in [√½, √2)
    let v = 1.0 + y;
    let bits = v.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i32 - 1023;
    let mut f = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if f > std::f64::consts::SQRT_2 {
        f /= 2.0;
        e += 1;
    }
    // correction for the rounding of 1 + y when y is small: c = (y − (v − 1)) / v
    let c = if e == 0 { 0.0 } else { (y - (v - 1.0)) / v };
    let (num, base) = if e == 0 {
        (y, 0.0)
    } else {
        (f - 1.0, f64::from(e) * std::f64::consts::LN_2)
    };
    let s = num / (2.0 + num);
    let s2 = s * s;
    // 2·(s + s³/3 + s⁵/5 + …); |s| ≤ 0.1716 so 12 terms reach 1e-19
    let mut t = 0.0;
    for d in (1..=25).rev().step_by(2) {
        t = t * s2 + 1.0 / f64::from(d);
    }
    base + 2.0 * s * t + c
}

/// Natural logarithm of a positive finite number (NaN for negative input, −∞ for 0).
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return x;
    }
    // subnormals: scale into the normal range first
    let (x, extra) = if x < f64::MIN_POSITIVE {
        (x * 2f64.powi(64), -64.0)
    } else {
        (x, 0.0)
    };
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i32 - 1023;
    let mut f = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if f > std::f64::consts::SQRT_2 {
        f /= 2.0;
        e += 1;
    }
    let s = (f - 1.0) / (f + 1.0);
    let s2 = s * s;
    let mut t = 0.0;
    for d in (1..=25).rev().step_by(2) {
        t = t * s2 + 1.0 / f64::from(d);
    }
    (f64::from(e) + extra) * std::f64::consts::LN_2 + 2.0 * s * t
}

/// The logistic function 1/(1 + e^−z).
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + exp(-z))
    } else {
        let e = exp(z);
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_standard_library() {
        let mut worst_exp = 0.0f64;
        let mut worst_sp = 0.0f64;
        // results in the subnormal range carry fewer bits; they are checked separately below
        for i in -190_000..=190_000 {
            let x = f64::from(i) * 0.00371;
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            worst_exp = worst_exp.max(rel);
            let sp_ref = if x > 0.0 {
                x + (-x).exp().ln_1p()
            } else {
                x.exp().ln_1p()
            };
            worst_sp = worst_sp.max((softplus(x) - sp_ref).abs() / sp_ref.max(1e-300));
        }
        assert!(worst_exp < 5e-16, "exp {worst_exp:e}");
        assert!(worst_sp < 5e-15, "softplus {worst_sp:e}");
        assert_eq!(exp(-800.0), 0.0);
        assert!(exp(-740.0) > 0.0 && (exp(-740.0) / (-740.0f64).exp() - 1.0).abs() < 1e-6);
        assert_eq!(exp(710.0), f64::INFINITY);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-16);
        let mut worst_ln = 0.0f64;
        for i in 1..200_000 {
            let x = f64::from(i) * 0.0137 + 1e-3 * f64::from(i % 7);
            let r = x.ln();
            worst_ln = worst_ln.max((ln(x) - r).abs() / r.abs().max(1.0));
        }
        assert!(worst_ln < 5e-16, "ln {worst_ln:e}");
        assert!((ln(1e-310) - 1e-310f64.ln()).abs() < 1e-12);
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
    }
}
