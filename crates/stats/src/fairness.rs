//! Fairness in selection: adverse impact by the four-fifths rule (UGESP 29 CFR 1607.4D) with
//! impact ratios, Fisher's exact test and the two-proportion z-test, and Mantel–Haenszel
//! differential item functioning (Holland & Thayer 1988) with the ETS A/B/C classes.

use serde::Serialize;

use crate::data::Table;
use crate::dist::{chi2_sf, ln_choose, norm_ppf, norm_sf};
use crate::error::{Result, StatsError};

// ---------------------------------------------------------------------------------------------
// Fisher's exact test and the two-proportion z-test

/// Two-sided Fisher exact p-value for the 2×2 table [[a, b], [c, d]], "minlike" definition
/// (as scipy and R): the sum of the probabilities of all tables with the same margins that are
/// no more likely than the observed one (relative tolerance 1e-7).
pub fn fisher_exact_two_sided(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let r1 = a + b;
    let c1 = a + c;
    let n = a + b + c + d;
    if n == 0 {
        return 1.0;
    }
    let lo = (r1 + c1).saturating_sub(n);
    let hi = r1.min(c1);
    let ln_denom = ln_choose(n, c1);
    let lp = |x: u64| ln_choose(r1, x) + ln_choose(n - r1, c1 - x) - ln_denom;
    let observed = lp(a);
    let cutoff = observed + (1.0 + 1e-7f64).ln();
    let mut p = 0.0;
    for x in lo..=hi {
        let l = lp(x);
        if l <= cutoff {
            p += l.exp();
        }
    }
    p.min(1.0)
}

/// Pooled two-proportion z statistic for x1/n1 − x2/n2 and its two-sided p-value.
pub fn two_proportion_z(x1: u64, n1: u64, x2: u64, n2: u64) -> (f64, f64) {
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let p1 = x1 as f64 / n1f;
    let p2 = x2 as f64 / n2f;
    let pool = (x1 + x2) as f64 / (n1f + n2f);
    let se = (pool * (1.0 - pool) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    if se == 0.0 {
        return (0.0, 1.0);
    }
    let z = (p1 - p2) / se;
    (z, 2.0 * norm_sf(z.abs()))
}

// ---------------------------------------------------------------------------------------------
// Adverse impact

/// Applicants and selections in one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupCounts {
    /// Group label.
    pub group: String,
    /// Applicants.
    pub applicants: u64,
    /// Applicants selected.
    pub selected: u64,
}

/// Options for [`adverse_impact`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdverseImpactOptions {
    /// Impact ratio below which the four-fifths rule flags a group (0.8).
    pub threshold: f64,
    /// Groups smaller than this get a small-sample warning (30).
    pub small_group: u64,
    /// Significance level for the tests (0.05).
    pub significance: f64,
}

impl Default for AdverseImpactOptions {
    fn default() -> Self {
        Self {
            threshold: 0.8,
            small_group: 30,
            significance: 0.05,
        }
    }
}

/// One group's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupImpact {
    /// Group label.
    pub group: String,
    /// Applicants.
    pub applicants: u64,
    /// Selected.
    pub selected: u64,
    /// Selection rate selected / applicants.
    pub rate: f64,
    /// Rate divided by the highest group's rate.
    pub impact_ratio: f64,
    /// Impact ratio below the threshold.
    pub four_fifths_violation: bool,
    /// How many more of this group would have been selected at the reference rate.
    pub shortfall: f64,
    /// Fisher's exact two-sided p against the reference group (none for the reference).
    pub fisher_p: Option<f64>,
    /// Pooled z of reference rate minus this group's rate.
    pub z: Option<f64>,
    /// Two-sided p of z.
    pub z_p: Option<f64>,
    /// Moving one applicant of this group between selected and rejected changes the
    /// four-fifths decision: the result is not practically stable.
    pub flips_with_one_person: bool,
}

/// Adverse-impact analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdverseImpactResult {
    /// Every group, in input order.
    pub groups: Vec<GroupImpact>,
    /// The group with the highest selection rate (the comparison point, UGESP 1607.4D).
    pub reference_group: String,
    /// Any group's impact ratio is below the threshold.
    pub four_fifths_violation: bool,
    /// Fisher's p for the group with the lowest impact ratio (none with a single group).
    pub fisher_p: Option<f64>,
    /// z for that group.
    pub z: Option<f64>,
    /// Threshold used.
    pub threshold: f64,
    /// Plain-language cautions (small samples, unstable decisions, rule and test disagreeing).
    pub warnings: Vec<String>,
}

/// Adverse impact by the four-fifths rule with significance tests. Needs ≥ 2 groups, each with
/// applicants, and some selections.
pub fn adverse_impact(
    groups: &[GroupCounts],
    opts: &AdverseImpactOptions,
) -> Result<AdverseImpactResult> {
    if groups.len() < 2 {
        return Err(StatsError::too_few("groups", 2, groups.len()));
    }
    check_counts(groups)?;
    let rate = |g: &GroupCounts| g.selected as f64 / g.applicants as f64;
    let (ref_idx, reference) = groups
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| rate(a).total_cmp(&rate(b)))
        .ok_or_else(|| StatsError::too_few("groups", 2, 0))?;
    let top = rate(reference);
    if top == 0.0 {
        return Err(StatsError::undefined(
            "impact ratio",
            "no group had anyone selected, so no ratio can be formed",
        ));
    }
    // The ratio is one division of exact integer products, so a ratio of exactly 4/5 (e.g.
    // 3 of 5 against 3 of 4) is the double nearest 0.8 and is not flagged; dividing one rounded
    // rate by another can land just below it.
    let ratio = |sel: u64, n: u64| {
        (sel as f64 * reference.applicants as f64) / (n as f64 * reference.selected as f64)
    };
    let violates = |sel: u64, n: u64| ratio(sel, n) < opts.threshold;
    let mut out = Vec::with_capacity(groups.len());
    let mut warnings = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let ir = ratio(g.selected, g.applicants);
        let violation = ir < opts.threshold;
        let (fisher_p, z, z_p, flips) = if i == ref_idx {
            (None, None, None, false)
        } else {
            let p = fisher_exact_two_sided(
                reference.selected,
                reference.applicants - reference.selected,
                g.selected,
                g.applicants - g.selected,
            );
            let (z, zp) = two_proportion_z(
                reference.selected,
                reference.applicants,
                g.selected,
                g.applicants,
            );
            // N-of-1: one more (if flagged) or one fewer (if not) selected in this group
            let moved = if violation {
                violates((g.selected + 1).min(g.applicants), g.applicants)
            } else {
                violates(g.selected.saturating_sub(1), g.applicants)
            };
            (Some(p), Some(z), Some(zp), moved != violation)
        };
        group_warnings(g, violation, flips, fisher_p, opts, &mut warnings);
        out.push(GroupImpact {
            group: g.group.clone(),
            applicants: g.applicants,
            selected: g.selected,
            rate: rate(g),
            impact_ratio: ir,
            four_fifths_violation: violation,
            shortfall: g.applicants as f64 * top - g.selected as f64,
            fisher_p,
            z,
            z_p,
            flips_with_one_person: flips,
        });
    }
    let worst = out
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != ref_idx)
        .min_by(|(_, a), (_, b)| a.impact_ratio.total_cmp(&b.impact_ratio))
        .map(|(_, g)| g);
    Ok(AdverseImpactResult {
        four_fifths_violation: out.iter().any(|g| g.four_fifths_violation),
        fisher_p: worst.and_then(|g| g.fisher_p),
        z: worst.and_then(|g| g.z),
        reference_group: reference.group.clone(),
        groups: out,
        threshold: opts.threshold,
        warnings,
    })
}

/// Every group has applicants, and no more selected than applicants.
fn check_counts(groups: &[GroupCounts]) -> Result<()> {
    for g in groups {
        if g.applicants == 0 {
            return Err(StatsError::undefined(
                "selection rate",
                format!("group \"{}\" has no applicants", g.group),
            ));
        }
        if g.selected > g.applicants {
            return Err(StatsError::invalid(
                "counts",
                format!("group \"{}\" has more selected than applicants", g.group),
            ));
        }
    }
    Ok(())
}

/// Cautions about one group: too small for the rule, a result that one person would change,
/// the rule and the significance test disagreeing.
fn group_warnings(
    g: &GroupCounts,
    violation: bool,
    flips: bool,
    fisher_p: Option<f64>,
    opts: &AdverseImpactOptions,
    warnings: &mut Vec<String>,
) {
    if g.applicants < opts.small_group {
        warnings.push(format!(
            "group \"{}\" has only {} applicants: with groups this small the four-fifths rule is unstable; rely on the significance tests and on more data",
            g.group, g.applicants
        ));
    }
    if flips {
        warnings.push(format!(
            "group \"{}\": selecting one applicant more or fewer would change the four-fifths result",
            g.group
        ));
    }
    if let Some(p) = fisher_p {
        if violation && p >= opts.significance {
            warnings.push(format!(
                "group \"{}\" is below four-fifths but the difference is not statistically significant (Fisher p = {p:.4})",
                g.group
            ));
        } else if !violation && p < opts.significance {
            warnings.push(format!(
                "group \"{}\" passes four-fifths but the difference is statistically significant (Fisher p = {p:.4})",
                g.group
            ));
        }
    }
}

/// Counts applicants and selections per group from one record per applicant, groups in order of
/// first appearance.
pub fn count_groups<'a>(records: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<GroupCounts> {
    let mut out: Vec<GroupCounts> = Vec::new();
    for (g, sel) in records {
        let idx = match out.iter().position(|c| c.group == g) {
            Some(i) => i,
            None => {
                out.push(GroupCounts {
                    group: g.to_string(),
                    applicants: 0,
                    selected: 0,
                });
                out.len() - 1
            }
        };
        out[idx].applicants += 1;
        out[idx].selected += u64::from(sel);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Mantel–Haenszel DIF

/// One stratum (score level) of a 2×2×K table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stratum {
    /// Reference group, correct.
    pub ref_correct: f64,
    /// Reference group, incorrect.
    pub ref_incorrect: f64,
    /// Focal group, correct.
    pub focal_correct: f64,
    /// Focal group, incorrect.
    pub focal_incorrect: f64,
}

/// ETS classification of DIF size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EtsClass {
    /// Negligible: |Δ| < 1 or not significant.
    A,
    /// Moderate.
    B,
    /// Large: |Δ| ≥ 1.5 and significantly greater than 1.
    C,
}

/// Mantel–Haenszel statistics for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MantelHaenszel {
    /// Common odds ratio α_MH (> 1 favours the reference group).
    pub alpha_mh: f64,
    /// ln α_MH.
    pub ln_alpha: f64,
    /// Robins–Breslow–Greenland standard error of ln α_MH.
    pub se_ln_alpha: f64,
    /// MH D-DIF Δ = −2.35 ln α_MH on the ETS delta scale (negative favours the reference group).
    pub delta: f64,
    /// Standard error of Δ.
    pub se_delta: f64,
    /// Continuity-corrected MH chi-square (1 df).
    pub chi2: f64,
    /// Its p-value.
    pub p: f64,
    /// MH chi-square without the continuity correction.
    pub chi2_uncorrected: f64,
    /// Its p-value.
    pub p_uncorrected: f64,
    /// ETS class A/B/C.
    pub ets_class: EtsClass,
    /// Which group the item favours: "reference", "focal" or "neither" (class A).
    pub favours: &'static str,
    /// Strata used (strata with a zero margin carry no information and are dropped).
    pub strata_used: usize,
}

/// Mantel–Haenszel common odds ratio, its test and the ETS class, from score strata.
pub fn mantel_haenszel(strata: &[Stratum], significance: f64) -> Result<MantelHaenszel> {
    let used: Vec<&Stratum> = strata
        .iter()
        .filter(|s| {
            let (a, b, c, d) = (
                s.ref_correct,
                s.ref_incorrect,
                s.focal_correct,
                s.focal_incorrect,
            );
            a + b > 0.0 && c + d > 0.0 && a + c > 0.0 && b + d > 0.0
        })
        .collect();
    if used.is_empty() {
        return Err(StatsError::undefined(
            "Mantel-Haenszel",
            "no score level has both groups and both outcomes",
        ));
    }
    let (mut r_sum, mut s_sum, mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut sum_a, mut sum_ea, mut sum_var) = (0.0, 0.0, 0.0);
    for s in &used {
        let (a, b, c, d) = (
            s.ref_correct,
            s.ref_incorrect,
            s.focal_correct,
            s.focal_incorrect,
        );
        let t = a + b + c + d;
        let r = a * d / t;
        let ss = b * c / t;
        let p = (a + d) / t;
        let q = (b + c) / t;
        r_sum += r;
        s_sum += ss;
        pr += p * r;
        ps_qr += p * ss + q * r;
        qs += q * ss;
        let (n_r, n_f, m1, m0) = (a + b, c + d, a + c, b + d);
        sum_a += a;
        sum_ea += n_r * m1 / t;
        if t > 1.0 {
            sum_var += n_r * n_f * m1 * m0 / (t * t * (t - 1.0));
        }
    }
    if r_sum == 0.0 || s_sum == 0.0 {
        return Err(StatsError::undefined(
            "Mantel-Haenszel odds ratio",
            "one group never answers correctly (or never incorrectly) where the other does",
        ));
    }
    let alpha = r_sum / s_sum;
    let var_ln =
        pr / (2.0 * r_sum * r_sum) + ps_qr / (2.0 * r_sum * s_sum) + qs / (2.0 * s_sum * s_sum);
    let se_ln = var_ln.sqrt();
    let delta = -2.35 * alpha.ln();
    let se_delta = 2.35 * se_ln;
    let dev = (sum_a - sum_ea).abs();
    let chi2 = (dev - 0.5).max(0.0).powi(2) / sum_var;
    let chi2_u = dev * dev / sum_var;
    let p = chi2_sf(chi2, 1.0);
    let significant = p < significance;
    let z_one_sided = norm_ppf(1.0 - significance);
    let ets_class = if delta.abs() < 1.0 || !significant {
        EtsClass::A
    } else if delta.abs() >= 1.5 && (delta.abs() - 1.0) / se_delta > z_one_sided {
        EtsClass::C
    } else {
        EtsClass::B
    };
    let favours = match ets_class {
        EtsClass::A => "neither",
        _ if delta < 0.0 => "reference",
        _ => "focal",
    };
    Ok(MantelHaenszel {
        alpha_mh: alpha,
        ln_alpha: alpha.ln(),
        se_ln_alpha: se_ln,
        delta,
        se_delta,
        chi2,
        p,
        chi2_uncorrected: chi2_u,
        p_uncorrected: chi2_sf(chi2_u, 1.0),
        ets_class,
        favours,
        strata_used: used.len(),
    })
}

/// DIF result for one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDif {
    /// Item name.
    pub item: String,
    /// Proportion correct in the reference group.
    pub p_reference: f64,
    /// Proportion correct in the focal group.
    pub p_focal: f64,
    /// Mantel–Haenszel statistics.
    #[serde(flatten)]
    pub mh: MantelHaenszel,
}

/// MH DIF for every item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DifResult {
    /// Per-item results.
    pub items: Vec<ItemDif>,
    /// Reference-group size (rows used).
    pub n_reference: usize,
    /// Focal-group size (rows used).
    pub n_focal: usize,
    /// Rows in the input.
    pub n_rows: usize,
    /// Rows used (every response present).
    pub n_used: usize,
}

/// Mantel–Haenszel DIF for 0/1 items (columns) with `focal[r]` marking focal-group rows. The
/// matching variable is the total score including the studied item; rows with a missing
/// response are dropped (listwise).
pub fn dif_mantel_haenszel(
    responses: &Table,
    focal: &[bool],
    significance: f64,
) -> Result<DifResult> {
    if focal.len() != responses.n_rows() {
        return Err(StatsError::invalid(
            "groups",
            format!(
                "{} group labels for {} rows",
                focal.len(),
                responses.n_rows()
            ),
        ));
    }
    let k = responses.n_cols();
    if k < 2 {
        return Err(StatsError::too_few("items", 2, k));
    }
    let rows = responses.complete_rows();
    for c in 0..k {
        for &r in &rows {
            let v = responses.column_raw(c)[r];
            if v != 0.0 && v != 1.0 {
                return Err(StatsError::InvalidValue {
                    row: r + 1,
                    column: responses.columns()[c].clone(),
                    reason: format!("{v} is not a 0/1 item score"),
                });
            }
        }
    }
    let n_focal = rows.iter().filter(|&&r| focal[r]).count();
    let n_ref = rows.len() - n_focal;
    if n_focal == 0 || n_ref == 0 {
        return Err(StatsError::too_few(
            "rows in each group",
            1,
            n_focal.min(n_ref),
        ));
    }
    let totals: Vec<usize> = rows
        .iter()
        .map(|&r| (0..k).map(|c| responses.column_raw(c)[r] as usize).sum())
        .collect();
    let mut items = Vec::with_capacity(k);
    for c in 0..k {
        let col = responses.column_raw(c);
        let mut strata = vec![
            Stratum {
                ref_correct: 0.0,
                ref_incorrect: 0.0,
                focal_correct: 0.0,
                focal_incorrect: 0.0
            };
            k + 1
        ];
        let (mut cr, mut cf) = (0.0, 0.0);
        for (i, &r) in rows.iter().enumerate() {
            let s = &mut strata[totals[i]];
            let correct = col[r] == 1.0;
            match (focal[r], correct) {
                (false, true) => {
                    s.ref_correct += 1.0;
                    cr += 1.0;
                }
                (false, false) => s.ref_incorrect += 1.0,
                (true, true) => {
                    s.focal_correct += 1.0;
                    cf += 1.0;
                }
                (true, false) => s.focal_incorrect += 1.0,
            }
        }
        let mh = mantel_haenszel(&strata, significance).map_err(|e| match e {
            StatsError::Undefined { statistic, reason } => StatsError::Undefined {
                statistic: format!("{statistic} for item \"{}\"", responses.columns()[c]),
                reason,
            },
            other => other,
        })?;
        items.push(ItemDif {
            item: responses.columns()[c].clone(),
            p_reference: cr / n_ref as f64,
            p_focal: cf / n_focal as f64,
            mh,
        });
    }
    Ok(DifResult {
        items,
        n_reference: n_ref,
        n_focal,
        n_rows: responses.n_rows(),
        n_used: rows.len(),
    })
}

#[cfg(test)]
mod exact_ratio_tests {
    use super::*;

    fn counts(group: &str, applicants: u64, selected: u64) -> GroupCounts {
        GroupCounts {
            group: group.into(),
            applicants,
            selected,
        }
    }

    #[test]
    fn a_ratio_of_exactly_four_fifths_is_never_flagged() {
        // Every pair of small groups whose ratio is exactly 4/5 (in integers) must pass the
        // four-fifths rule, and every pair just below must fail.
        let opts = AdverseImpactOptions::default();
        let mut exact = 0;
        for ar in 1..=20u64 {
            for sr in 1..=ar {
                for ag in 1..=20u64 {
                    for sg in 0..=ag {
                        // reference must have the higher rate
                        if sg * ar > sr * ag {
                            continue;
                        }
                        let result =
                            adverse_impact(&[counts("a", ar, sr), counts("b", ag, sg)], &opts)
                                .unwrap();
                        let b = result.groups.iter().find(|g| g.group == "b").unwrap();
                        let below = 5 * sg * ar < 4 * ag * sr;
                        assert_eq!(
                            b.four_fifths_violation, below,
                            "{sg}/{ag} against {sr}/{ar}"
                        );
                        if 5 * sg * ar == 4 * ag * sr {
                            exact += 1;
                        }
                    }
                }
            }
        }
        assert!(exact > 100, "{exact}");
    }
}
