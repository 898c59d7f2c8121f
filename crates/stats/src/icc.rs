//! Intraclass correlations for n targets rated by k raters: the six Shrout & Fleiss (1979) /
//! McGraw & Wong (1996) forms, with their F tests and confidence intervals, from a two-way ANOVA.

use serde::Serialize;

use crate::data::Table;
use crate::dist::{f_isf, f_sf};
use crate::error::{Result, StatsError};

/// The six ICC forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum IccType {
    /// ICC(1,1): one-way random, single rater (each target may have different raters).
    #[serde(rename = "ICC1")]
    Icc1,
    /// ICC(2,1) = ICC(A,1): two-way random, absolute agreement, single rater.
    #[serde(rename = "ICC2")]
    Icc2,
    /// ICC(3,1) = ICC(C,1): two-way mixed, consistency, single rater.
    #[serde(rename = "ICC3")]
    Icc3,
    /// ICC(1,k): one-way, mean of k raters.
    #[serde(rename = "ICC1k")]
    Icc1k,
    /// ICC(2,k) = ICC(A,k): absolute agreement, mean of k raters.
    #[serde(rename = "ICC2k")]
    Icc2k,
    /// ICC(3,k) = ICC(C,k): consistency, mean of k raters.
    #[serde(rename = "ICC3k")]
    Icc3k,
}

impl IccType {
    /// All six, in the usual order.
    pub const ALL: [IccType; 6] = [
        Self::Icc1,
        Self::Icc2,
        Self::Icc3,
        Self::Icc1k,
        Self::Icc2k,
        Self::Icc3k,
    ];

    /// The short name used in reports and JSON ("ICC1", "ICC2k", ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Icc1 => "ICC1",
            Self::Icc2 => "ICC2",
            Self::Icc3 => "ICC3",
            Self::Icc1k => "ICC1k",
            Self::Icc2k => "ICC2k",
            Self::Icc3k => "ICC3k",
        }
    }

    /// A plain description of the form.
    pub fn description(self) -> &'static str {
        match self {
            Self::Icc1 => "one-way random, single rater (different raters per target)",
            Self::Icc2 => "two-way random, absolute agreement, single rater",
            Self::Icc3 => "two-way mixed, consistency, single rater",
            Self::Icc1k => "one-way random, mean of the raters",
            Self::Icc2k => "two-way random, absolute agreement, mean of the raters",
            Self::Icc3k => "two-way mixed, consistency, mean of the raters",
        }
    }
}

/// One ICC form with its test and interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IccEstimate {
    /// The form.
    #[serde(rename = "type")]
    pub kind: IccType,
    /// What it means.
    pub description: &'static str,
    /// The estimate (may be negative; never clipped).
    pub value: f64,
    /// F statistic testing ICC = 0.
    pub f: f64,
    /// Numerator degrees of freedom.
    pub df1: f64,
    /// Denominator degrees of freedom.
    pub df2: f64,
    /// p-value of the F test.
    pub p: f64,
    /// Confidence interval [lower, upper].
    pub ci95: [f64; 2],
}

/// Mean squares of the two-way layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IccAnova {
    /// Between targets (rows), df n−1.
    pub ms_rows: f64,
    /// Between raters (columns), df k−1.
    pub ms_columns: f64,
    /// Residual, df (n−1)(k−1).
    pub ms_error: f64,
    /// Within targets (one-way), df n(k−1).
    pub ms_within: f64,
}

/// All six ICCs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IccResult {
    /// The six forms.
    pub icc: Vec<IccEstimate>,
    /// ANOVA mean squares.
    pub anova: IccAnova,
    /// Number of targets used (rows with every rating present).
    pub n_targets: usize,
    /// Number of raters.
    pub n_raters: usize,
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows used (listwise: targets missing a rating are dropped).
    pub n_used: usize,
    /// Confidence level of the intervals.
    pub confidence: f64,
}

impl IccResult {
    /// The estimate of one form.
    pub fn get(&self, kind: IccType) -> Option<&IccEstimate> {
        self.icc.iter().find(|e| e.kind == kind)
    }
}

/// Computes all six ICCs. Rows are targets, columns raters; rows with a missing rating are dropped
/// (listwise). Needs ≥ 2 raters and ≥ 2 complete targets.
pub fn icc(t: &Table, confidence: f64) -> Result<IccResult> {
    let k = t.n_cols();
    if k < 2 {
        return Err(StatsError::too_few("raters (columns)", 2, k));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(StatsError::invalid("confidence", "must be between 0 and 1"));
    }
    let (c, _) = t.listwise();
    let n = c.n_rows();
    if n < 2 {
        return Err(StatsError::too_few("targets with every rating", 2, n));
    }
    let nf = n as f64;
    let kf = k as f64;
    let (ss_rows, ss_cols, ss_err) = sums_of_squares(&c);
    let df_r = nf - 1.0;
    let df_c = kf - 1.0;
    let df_e = df_r * df_c;
    let df_w = nf * (kf - 1.0);
    let msr = ss_rows / df_r;
    let msc = ss_cols / df_c;
    let mse = ss_err / df_e;
    let msw = (ss_cols + ss_err) / df_w;
    if crate::not_above(msr, 0.0) || crate::not_above(msw, 0.0) {
        return Err(StatsError::undefined(
            "ICC",
            "the ratings do not vary between targets or within targets (all ratings equal?)",
        ));
    }
    if crate::not_above(mse, 1e-12 * (msr + msw)) {
        // Every rater's ratings are another rater's plus a constant: no residual error, so the
        // F tests and the consistency and agreement intervals are undefined (an infinite F).
        return Err(StatsError::undefined(
            "ICC",
            "the raters differ only by a constant amount on every target (no residual error)",
        ));
    }
    let a = 1.0 - confidence;
    let icc1 = (msr - msw) / (msr + (kf - 1.0) * msw);
    let icc2 = (msr - mse) / (msr + (kf - 1.0) * mse + kf * (msc - mse) / nf);
    let icc3 = (msr - mse) / (msr + (kf - 1.0) * mse);
    let icc1k = (msr - msw) / msr;
    let icc2k = (msr - mse) / (msr + (msc - mse) / nf);
    let icc3k = (msr - mse) / msr;

    let f1 = msr / msw;
    let f3 = msr / mse;
    let p1 = f_sf(f1, df_r, df_w);
    let p3 = f_sf(f3, df_r, df_e);

    // one-way and consistency intervals
    let bounds = |f: f64, df2: f64| {
        let fl = f / f_isf(a / 2.0, df_r, df2);
        let fu = f * f_isf(a / 2.0, df2, df_r);
        (fl, fu)
    };
    let (f1l, f1u) = bounds(f1, df_w);
    let (f3l, f3u) = bounds(f3, df_e);
    let single = |fl: f64, fu: f64| [(fl - 1.0) / (fl + kf - 1.0), (fu - 1.0) / (fu + kf - 1.0)];
    let average = |fl: f64, fu: f64| [1.0 - 1.0 / fl, 1.0 - 1.0 / fu];

    // absolute agreement: Satterthwaite df
    let fj = msc / mse;
    let vn = df_e * (kf * icc2 * fj + nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2).powi(2);
    let vd = df_r * kf * kf * icc2 * icc2 * fj * fj
        + (nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2).powi(2);
    let v = vn / vd;
    let f_star = f_isf(a / 2.0, df_r, v);
    let f_2star = f_isf(a / 2.0, v, df_r);
    let l2 =
        nf * (msr - f_star * mse) / (f_star * (kf * msc + (kf * nf - kf - nf) * mse) + nf * msr);
    let u2 =
        nf * (f_2star * msr - mse) / (kf * msc + (kf * nf - kf - nf) * mse + nf * f_2star * msr);
    let sb = |x: f64| kf * x / (1.0 + (kf - 1.0) * x);

    let mk = |kind: IccType, value: f64, f: f64, df2: f64, p: f64, ci: [f64; 2]| IccEstimate {
        kind,
        description: kind.description(),
        value,
        f,
        df1: df_r,
        df2,
        p,
        ci95: ci,
    };
    Ok(IccResult {
        icc: vec![
            mk(IccType::Icc1, icc1, f1, df_w, p1, single(f1l, f1u)),
            mk(IccType::Icc2, icc2, f3, df_e, p3, [l2, u2]),
            mk(IccType::Icc3, icc3, f3, df_e, p3, single(f3l, f3u)),
            mk(IccType::Icc1k, icc1k, f1, df_w, p1, average(f1l, f1u)),
            mk(IccType::Icc2k, icc2k, f3, df_e, p3, [sb(l2), sb(u2)]),
            mk(IccType::Icc3k, icc3k, f3, df_e, p3, average(f3l, f3u)),
        ],
        anova: IccAnova {
            ms_rows: msr,
            ms_columns: msc,
            ms_error: mse,
            ms_within: msw,
        },
        n_targets: n,
        n_raters: k,
        n_rows: t.n_rows(),
        n_used: n,
        confidence,
    })
}

/// The two-way ANOVA sums of squares of a complete table: between rows (targets), between
/// columns (raters) and residual.
fn sums_of_squares(c: &Table) -> (f64, f64, f64) {
    let (n, k) = (c.n_rows(), c.n_cols());
    let nf = n as f64;
    let kf = k as f64;
    let col_means: Vec<f64> = (0..k)
        .map(|j| c.column_raw(j).iter().sum::<f64>() / nf)
        .collect();
    let row_means: Vec<f64> = (0..n)
        .map(|i| (0..k).map(|j| c.column_raw(j)[i]).sum::<f64>() / kf)
        .collect();
    let grand = row_means.iter().sum::<f64>() / nf;
    let ss_rows = kf * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ss_cols = nf * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let mut ss_err = 0.0;
    for (j, cm) in col_means.iter().enumerate() {
        let col = c.column_raw(j);
        for i in 0..n {
            ss_err += (col[i] - row_means[i] - cm + grand).powi(2);
        }
    }
    (ss_rows, ss_cols, ss_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three SMEs whose ratings differ by a constant on every task: no residual error. This used
    /// to panic inside the F quantile; it is an "undefined" error now.
    #[test]
    fn ratings_that_differ_only_by_a_constant_are_undefined_not_a_panic() {
        let rows = vec![vec![4.0, 4.0, 3.0], vec![3.0, 3.0, 2.0]];
        let t = Table::from_complete_rows(Table::numbered_columns(3), &rows).unwrap();
        let error = icc(&t, 0.95).unwrap_err();
        assert!(error.to_string().contains("constant"), "{error}");
    }
}
