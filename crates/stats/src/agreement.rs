//! Agreement between raters: Cohen's kappa (unweighted, linear, quadratic) with its asymptotic
//! standard error, Fleiss' kappa for many raters, Krippendorff's alpha at four levels of
//! measurement with missing values, and the within-group agreement indices rwg and rwg(j).

use serde::Serialize;

use crate::data::Table;
use crate::dist::{norm_ppf, norm_sf};
use crate::error::{Result, StatsError};

// ---------------------------------------------------------------------------------------------
// Cohen's kappa

/// Disagreement weights for Cohen's kappa. Weights use category *positions* in sorted order
/// (1st, 2nd, ...), not the category values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KappaWeights {
    /// Every disagreement counts fully (nominal categories).
    #[default]
    Unweighted,
    /// Disagreement grows with the distance between categories.
    Linear,
    /// Disagreement grows with the squared distance (close to an ICC for ordered scores).
    Quadratic,
}

/// Cohen's kappa for two raters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KappaResult {
    /// Kappa.
    pub kappa: f64,
    /// The weighting used.
    pub weights: KappaWeights,
    /// Proportion of exact agreement p_o.
    pub observed_agreement: f64,
    /// Chance agreement p_e (weighted when weights are used).
    pub expected_agreement: f64,
    /// Asymptotic standard error (Fleiss, Cohen & Everitt 1969).
    pub ase: f64,
    /// kappa ± z·ASE.
    pub ci95: [f64; 2],
    /// z = kappa / SE under the null hypothesis kappa = 0 (none when that SE is 0).
    pub z: Option<f64>,
    /// Two-sided p-value of that test.
    pub p: Option<f64>,
    /// Categories seen, in sorted order.
    pub categories: Vec<f64>,
    /// Cross-tabulation: rows rater 1, columns rater 2, in `categories` order.
    pub table: Vec<Vec<f64>>,
    /// Pairs in the input.
    pub n_rows: usize,
    /// Pairs used (both ratings present).
    pub n_used: usize,
}

/// Sorted distinct values of a list (values are finite).
fn distinct_sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn index_of(cats: &[f64], v: f64) -> usize {
    cats.binary_search_by(|c| c.total_cmp(&v)).unwrap_or(0)
}

/// Cohen's kappa between two raters' categorical ratings. Pairs with a missing rating are dropped.
pub fn cohen_kappa(
    rater1: &[Option<f64>],
    rater2: &[Option<f64>],
    weights: KappaWeights,
    confidence: f64,
) -> Result<KappaResult> {
    if rater1.len() != rater2.len() {
        return Err(StatsError::invalid(
            "ratings",
            format!(
                "rater 1 has {} ratings, rater 2 has {}",
                rater1.len(),
                rater2.len()
            ),
        ));
    }
    if let Some((row, v)) = rater1
        .iter()
        .chain(rater2.iter())
        .enumerate()
        .find_map(|(i, v)| {
            v.filter(|x| !x.is_finite())
                .map(|x| (i % rater1.len().max(1), x))
        })
    {
        return Err(StatsError::NonFinite {
            row: row + 1,
            column: "rating".into(),
            value: v,
        });
    }
    let (cats, table, used) = cross_tabulate(rater1, rater2);
    if used < 2 {
        return Err(StatsError::too_few("pairs with both ratings", 2, used));
    }
    let q = cats.len();
    kappa_from_table(&table, q, weights, confidence, cats, rater1.len())
}

/// The two raters' cross-tabulation over the pairs where both rated: the categories in sorted
/// order, the q×q table (row-major, rater 1 in rows) and the number of pairs.
fn cross_tabulate(rater1: &[Option<f64>], rater2: &[Option<f64>]) -> (Vec<f64>, Vec<f64>, usize) {
    let pairs = rater1
        .iter()
        .zip(rater2)
        .filter_map(|(a, b)| Some(((*a)?, (*b)?)));
    // One pass: categories get an index when first seen (integer labels 0–63 through a lookup
    // table, others by a short linear search), and pairs are counted at once; the table is put
    // in sorted category order afterwards. More than 64 categories fall back to sorting.
    const CAP: usize = 64;
    let mut seen: Vec<f64> = Vec::new();
    let mut lut = [0u8; CAP]; // integer label → index + 1
    let mut counts = vec![0u64; CAP * CAP];
    let mut overflow = false;
    let mut index = |v: f64, seen: &mut Vec<f64>| -> Option<usize> {
        if (0.0..CAP as f64).contains(&v) && v.fract() == 0.0 {
            let slot = &mut lut[v as usize];
            if *slot == 0 {
                if seen.len() == CAP {
                    return None;
                }
                seen.push(v);
                *slot = seen.len() as u8;
            }
            return Some(usize::from(*slot) - 1);
        }
        if let Some(i) = seen.iter().position(|c| *c == v) {
            return Some(i);
        }
        if seen.len() == CAP {
            return None;
        }
        seen.push(v);
        Some(seen.len() - 1)
    };
    let mut used = 0usize;
    for (a, b) in pairs.clone() {
        match (index(a, &mut seen), index(b, &mut seen)) {
            (Some(i), Some(j)) => counts[i * CAP + j] += 1,
            _ => {
                overflow = true;
                break;
            }
        }
        used += 1;
    }
    let (cats, table) = if overflow {
        let cats = distinct_sorted(pairs.clone().flat_map(|(a, b)| [a, b]));
        let q = cats.len();
        let mut table = vec![0.0; q * q];
        used = 0;
        for (a, b) in pairs {
            table[index_of(&cats, a) * q + index_of(&cats, b)] += 1.0;
            used += 1;
        }
        (cats, table)
    } else {
        let mut order: Vec<usize> = (0..seen.len()).collect();
        order.sort_by(|&x, &y| seen[x].total_cmp(&seen[y]));
        let q = seen.len();
        let mut table = vec![0.0; q * q];
        for (r, &i) in order.iter().enumerate() {
            for (c, &j) in order.iter().enumerate() {
                table[r * q + c] = counts[i * CAP + j] as f64;
            }
        }
        (order.iter().map(|&i| seen[i]).collect::<Vec<f64>>(), table)
    };
    (cats, table, used)
}

/// Cohen's kappa from a q×q cross-tabulation (row-major), rater 1 in rows.
pub fn kappa_from_table(
    table: &[f64],
    q: usize,
    weights: KappaWeights,
    confidence: f64,
    categories: Vec<f64>,
    n_rows: usize,
) -> Result<KappaResult> {
    let n: f64 = table.iter().sum();
    if q < 1 || n < 2.0 {
        return Err(StatsError::too_few(
            "pairs with both ratings",
            2,
            n as usize,
        ));
    }
    let p: Vec<f64> = table.iter().map(|x| x / n).collect();
    let row: Vec<f64> = (0..q).map(|i| (0..q).map(|j| p[i * q + j]).sum()).collect();
    let col: Vec<f64> = (0..q).map(|j| (0..q).map(|i| p[i * q + j]).sum()).collect();
    let span = (q.max(2) - 1) as f64;
    // agreement weights w = 1 − disagreement, disagreement scaled to [0, 1]
    let w = |i: usize, j: usize| -> f64 {
        let d = (i as f64 - j as f64).abs() / span;
        match weights {
            KappaWeights::Unweighted => f64::from(u8::from(i == j)),
            KappaWeights::Linear => 1.0 - d,
            KappaWeights::Quadratic => 1.0 - d * d,
        }
    };
    let mut po = 0.0;
    let mut pe = 0.0;
    for i in 0..q {
        for j in 0..q {
            po += w(i, j) * p[i * q + j];
            pe += w(i, j) * row[i] * col[j];
        }
    }
    if (1.0 - pe).abs() < 1e-15 {
        return Err(StatsError::undefined(
            "kappa",
            "chance agreement is 1 (both raters used a single category)",
        ));
    }
    let kappa = (po - pe) / (1.0 - pe);
    // Fleiss, Cohen & Everitt (1969)
    let w_row: Vec<f64> = (0..q)
        .map(|i| (0..q).map(|j| col[j] * w(i, j)).sum())
        .collect();
    let w_col: Vec<f64> = (0..q)
        .map(|j| (0..q).map(|i| row[i] * w(i, j)).sum())
        .collect();
    let mut term = 0.0;
    let mut term0 = 0.0;
    for i in 0..q {
        for j in 0..q {
            let wij = w(i, j);
            term += p[i * q + j] * (wij - (w_row[i] + w_col[j]) * (1.0 - kappa)).powi(2);
            term0 += row[i] * col[j] * (wij - (w_row[i] + w_col[j])).powi(2);
        }
    }
    let fac = 1.0 / ((1.0 - pe).powi(2) * n);
    let var = (term - (kappa - pe * (1.0 - kappa)).powi(2)) * fac;
    let var0 = (term0 - pe * pe) * fac;
    let ase = var.max(0.0).sqrt();
    let zc = norm_ppf(1.0 - (1.0 - confidence) / 2.0);
    let z = (var0 > 0.0).then(|| kappa / var0.sqrt());
    let exact: f64 = (0..q).map(|i| p[i * q + i]).sum();
    Ok(KappaResult {
        kappa,
        weights,
        observed_agreement: exact,
        expected_agreement: pe,
        ase,
        ci95: [kappa - zc * ase, kappa + zc * ase],
        z,
        p: z.map(|z| 2.0 * norm_sf(z.abs())),
        categories,
        table: (0..q).map(|i| table[i * q..(i + 1) * q].to_vec()).collect(),
        n_rows,
        n_used: n as usize,
    })
}

// ---------------------------------------------------------------------------------------------
// Fleiss' kappa

/// Fleiss' kappa for a fixed number of raters per subject.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FleissResult {
    /// Fleiss' kappa.
    pub kappa: f64,
    /// Randolph's free-marginal kappa (chance agreement 1/q).
    pub randolph_kappa: f64,
    /// Mean observed agreement P̄.
    pub observed_agreement: f64,
    /// Chance agreement P̄_e = Σ p_j².
    pub expected_agreement: f64,
    /// Categories, in sorted order (empty when built from counts).
    pub categories: Vec<f64>,
    /// Overall share of ratings in each category.
    pub category_proportions: Vec<f64>,
    /// Ratings per subject.
    pub n_raters: usize,
    /// Subjects in the input.
    pub n_rows: usize,
    /// Subjects used (all ratings present).
    pub n_used: usize,
}

/// Fleiss' kappa from subject × category counts (each row sums to the same number of raters).
pub fn fleiss_kappa_from_counts(counts: &[Vec<f64>]) -> Result<FleissResult> {
    let n_sub = counts.len();
    if n_sub < 1 {
        return Err(StatsError::too_few("subjects", 1, 0));
    }
    let q = counts[0].len();
    let m: f64 = counts[0].iter().sum();
    for (i, r) in counts.iter().enumerate() {
        if r.len() != q {
            return Err(StatsError::RaggedRow {
                row: i + 1,
                found: r.len(),
                expected: q,
            });
        }
        let s: f64 = r.iter().sum();
        if (s - m).abs() > 1e-9 {
            return Err(StatsError::InvalidValue {
                row: i + 1,
                column: "counts".into(),
                reason: format!("this subject has {s} ratings, the first has {m}"),
            });
        }
    }
    if m < 2.0 {
        return Err(StatsError::too_few("raters", 2, m as usize));
    }
    let nf = n_sub as f64;
    let mut pbar = 0.0;
    let mut pj = vec![0.0; q];
    for r in counts {
        pbar += (r.iter().map(|x| x * x).sum::<f64>() - m) / (m * (m - 1.0));
        for (j, x) in r.iter().enumerate() {
            pj[j] += x;
        }
    }
    pbar /= nf;
    pj.iter_mut().for_each(|p| *p /= nf * m);
    let pe: f64 = pj.iter().map(|p| p * p).sum();
    if (1.0 - pe).abs() < 1e-15 {
        return Err(StatsError::undefined(
            "Fleiss' kappa",
            "every rating is in one category",
        ));
    }
    let qf = q as f64;
    Ok(FleissResult {
        kappa: (pbar - pe) / (1.0 - pe),
        randolph_kappa: (pbar - 1.0 / qf) / (1.0 - 1.0 / qf),
        observed_agreement: pbar,
        expected_agreement: pe,
        categories: Vec::new(),
        category_proportions: pj,
        n_raters: m as usize,
        n_rows: n_sub,
        n_used: n_sub,
    })
}

/// Fleiss' kappa from subjects (rows) × raters (columns) of category labels. Subjects missing a
/// rating are dropped (Fleiss' kappa needs the same number of ratings per subject).
pub fn fleiss_kappa(t: &Table) -> Result<FleissResult> {
    if t.n_cols() < 2 {
        return Err(StatsError::too_few("raters (columns)", 2, t.n_cols()));
    }
    let (c, _) = t.listwise();
    if c.n_rows() < 1 {
        return Err(StatsError::too_few("subjects with every rating", 1, 0));
    }
    let cats = distinct_sorted((0..c.n_cols()).flat_map(|j| c.column_raw(j).iter().copied()));
    let mut counts = vec![vec![0.0; cats.len()]; c.n_rows()];
    for j in 0..c.n_cols() {
        for (i, v) in c.column_raw(j).iter().enumerate() {
            counts[i][index_of(&cats, *v)] += 1.0;
        }
    }
    let mut r = fleiss_kappa_from_counts(&counts)?;
    r.categories = cats;
    r.n_rows = t.n_rows();
    Ok(r)
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's alpha

/// Level of measurement for Krippendorff's alpha: it decides how far apart two values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KrippendorffLevel {
    /// Categories without order: any difference is a full disagreement.
    Nominal,
    /// Ordered categories: distance counts the values in between.
    Ordinal,
    /// Numbers with equal intervals: squared difference.
    Interval,
    /// Numbers with a true zero: squared difference relative to the sum.
    Ratio,
}

/// Krippendorff's alpha.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KrippendorffResult {
    /// Alpha = 1 − D_o / D_e.
    pub alpha: f64,
    /// Level of measurement.
    pub level: KrippendorffLevel,
    /// Observed disagreement D_o.
    pub observed_disagreement: f64,
    /// Disagreement expected by chance D_e.
    pub expected_disagreement: f64,
    /// Units (rows) in the input.
    pub n_units: usize,
    /// Units with at least two values (pairable); the others do not count.
    pub n_units_used: usize,
    /// Pairable values n.
    pub n_values: usize,
    /// Coders (columns).
    pub n_coders: usize,
}

/// Krippendorff's alpha. Rows are units (what is rated), columns are coders (raters); missing
/// cells are allowed and units with fewer than two values are left out.
pub fn krippendorff_alpha(t: &Table, level: KrippendorffLevel) -> Result<KrippendorffResult> {
    if t.n_cols() < 2 {
        return Err(StatsError::too_few("coders (columns)", 2, t.n_cols()));
    }
    let units: Vec<Vec<f64>> = (0..t.n_rows())
        .map(|r| {
            (0..t.n_cols())
                .filter_map(|c| t.get(r, c))
                .collect::<Vec<f64>>()
        })
        .filter(|u| u.len() >= 2)
        .collect();
    let n: usize = units.iter().map(Vec::len).sum();
    if units.is_empty() {
        return Err(StatsError::undefined(
            "Krippendorff's alpha",
            "no unit has two or more values",
        ));
    }
    let nf = n as f64;
    let (d_o, d_e) = if level == KrippendorffLevel::Interval {
        interval_disagreements(&units, nf)
    } else {
        coincidence_disagreements(&units, nf, level)
    };
    if crate::not_above(d_e, 0.0) {
        return Err(StatsError::undefined(
            "Krippendorff's alpha",
            "all values are identical, so no disagreement is possible",
        ));
    }
    Ok(KrippendorffResult {
        alpha: 1.0 - d_o / d_e,
        level,
        observed_disagreement: d_o,
        expected_disagreement: d_e,
        n_units: t.n_rows(),
        n_units_used: units.len(),
        n_values: n,
        n_coders: t.n_cols(),
    })
}

/// Observed and expected disagreement for interval data, in closed form: no value-by-value
/// matrix, so millions of distinct values are fine.
fn interval_disagreements(units: &[Vec<f64>], nf: f64) -> (f64, f64) {
    let mut d_o = 0.0;
    for u in units {
        let m = u.len() as f64;
        let s: f64 = u.iter().sum();
        let s2: f64 = u.iter().map(|x| x * x).sum();
        // Σ over ordered pairs (x − y)² = 2(m Σx² − (Σx)²)
        d_o += 2.0 * (m * s2 - s * s) / (m - 1.0);
    }
    let s: f64 = units.iter().flatten().sum();
    let s2: f64 = units.iter().flatten().map(|x| x * x).sum();
    let d_e = 2.0 * (nf * s2 - s * s) / (nf * (nf - 1.0));
    (d_o / nf, d_e)
}

/// Observed and expected disagreement from the coincidence matrix (only its diagonal for
/// nominal data), with the level's distance between values.
fn coincidence_disagreements(units: &[Vec<f64>], nf: f64, level: KrippendorffLevel) -> (f64, f64) {
    let vals = distinct_sorted(units.iter().flatten().copied());
    let v = vals.len();
    let nominal = level == KrippendorffLevel::Nominal;
    // coincidences: full matrix, or only the diagonal for nominal data
    let mut o = if nominal {
        vec![0.0; v]
    } else {
        vec![0.0; v * v]
    };
    let mut nc = vec![0.0; v];
    let mut idx = Vec::new();
    for u in units {
        let m = u.len() as f64;
        idx.clear();
        idx.extend(u.iter().map(|x| index_of(&vals, *x)));
        for (a, &i) in idx.iter().enumerate() {
            nc[i] += 1.0;
            for (b, &j) in idx.iter().enumerate() {
                if a == b {
                    continue;
                }
                if nominal {
                    if i == j {
                        o[i] += 1.0 / (m - 1.0);
                    }
                } else {
                    o[i * v + j] += 1.0 / (m - 1.0);
                }
            }
        }
    }
    if nominal {
        let agree: f64 = o.iter().sum();
        let d_o = (nf - agree) / nf;
        let sq: f64 = nc.iter().map(|x| x * x).sum();
        (d_o, (nf * nf - sq) / (nf * (nf - 1.0)))
    } else {
        // cumulative counts for ordinal distances
        let mut cum = vec![0.0; v + 1];
        for i in 0..v {
            cum[i + 1] = cum[i] + nc[i];
        }
        let delta = |i: usize, j: usize| -> f64 {
            if i == j {
                return 0.0;
            }
            match level {
                KrippendorffLevel::Ordinal => {
                    let (lo, hi) = if i < j { (i, j) } else { (j, i) };
                    let s = cum[hi + 1] - cum[lo] - (nc[lo] + nc[hi]) / 2.0;
                    s * s
                }
                KrippendorffLevel::Ratio => {
                    let (a, b) = (vals[i], vals[j]);
                    if a + b == 0.0 {
                        0.0
                    } else {
                        ((a - b) / (a + b)).powi(2)
                    }
                }
                _ => (vals[i] - vals[j]).powi(2),
            }
        };
        let mut d_o = 0.0;
        let mut d_e = 0.0;
        for i in 0..v {
            for j in 0..v {
                let d = delta(i, j);
                d_o += o[i * v + j] * d;
                d_e += nc[i] * nc[j] * d;
            }
        }
        (d_o / nf, d_e / (nf * (nf - 1.0)))
    }
}

// ---------------------------------------------------------------------------------------------
// rwg

/// Agreement on one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RwgItem {
    /// Item name.
    pub item: String,
    /// Ratings used (present).
    pub n: usize,
    /// Mean rating.
    pub mean: f64,
    /// Sample variance of the ratings (ddof 1).
    pub variance: f64,
    /// rwg = 1 − s²/σ²_EU, truncated at 0.
    pub rwg: f64,
    /// True when the observed variance exceeded the uniform null and rwg was set to 0.
    pub truncated: bool,
}

/// rwg per item and rwg(j) over the items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RwgResult {
    /// Per-item agreement.
    pub items: Vec<RwgItem>,
    /// rwg(j) for the items as one scale.
    pub rwg_j: f64,
    /// Number of response options A.
    pub options: u32,
    /// Variance of the uniform null, (A² − 1)/12.
    pub expected_variance: f64,
    /// Mean item variance used by rwg(j).
    pub mean_variance: f64,
}

/// Variance of a discrete uniform distribution on `options` points: (A² − 1)/12.
pub fn uniform_null_variance(options: u32) -> f64 {
    (f64::from(options).powi(2) - 1.0) / 12.0
}

/// rwg for one item from the raters' ratings (James, Demaree & Wolf 1984), truncated at 0.
pub fn rwg(ratings: &[f64], options: u32) -> Result<f64> {
    Ok(rwg_item("item", ratings, options)?.rwg)
}

fn rwg_item(name: &str, ratings: &[f64], options: u32) -> Result<RwgItem> {
    if options < 2 {
        return Err(StatsError::invalid(
            "options",
            "the scale needs at least 2 response options",
        ));
    }
    if ratings.len() < 2 {
        return Err(StatsError::too_few(
            format!("ratings of \"{name}\""),
            2,
            ratings.len(),
        ));
    }
    let n = ratings.len() as f64;
    let mean = ratings.iter().sum::<f64>() / n;
    let variance = ratings.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let raw = 1.0 - variance / uniform_null_variance(options);
    Ok(RwgItem {
        item: name.to_string(),
        n: ratings.len(),
        mean,
        variance,
        rwg: raw.max(0.0),
        truncated: raw < 0.0,
    })
}

/// rwg(j) from item variances (Lindell-style truncation: the variance ratio is capped at 1).
pub fn rwg_j_from_variances(variances: &[f64], options: u32) -> f64 {
    let j = variances.len() as f64;
    let mean = variances.iter().sum::<f64>() / j;
    let ratio = (mean / uniform_null_variance(options)).min(1.0);
    j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)
}

/// rwg for every item (columns) over raters (rows), and rwg(j). Missing ratings are skipped
/// per item; each item needs two ratings.
pub fn rwg_table(t: &Table, options: u32) -> Result<RwgResult> {
    if t.n_cols() < 1 {
        return Err(StatsError::too_few("items", 1, 0));
    }
    let mut items = Vec::with_capacity(t.n_cols());
    for c in 0..t.n_cols() {
        let vals: Vec<f64> = (0..t.n_rows()).filter_map(|r| t.get(r, c)).collect();
        // rwg depends only on the variance, so the scale may start at 0 or 1; but ratings
        // further apart than the scale allows mean the wrong number of options was given.
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        if let Some(r) = (0..t.n_rows()).find(|&r| {
            t.get(r, c)
                .is_some_and(|v| v - lo > f64::from(options) - 1.0)
        }) {
            return Err(StatsError::InvalidValue {
                row: r + 1,
                column: t.columns()[c].clone(),
                reason: format!(
                    "ratings from {lo} to {} span more than a {options}-point scale",
                    t.get(r, c).unwrap_or(lo)
                ),
            });
        }
        items.push(rwg_item(&t.columns()[c], &vals, options)?);
    }
    let vars: Vec<f64> = items.iter().map(|i| i.variance).collect();
    Ok(RwgResult {
        rwg_j: rwg_j_from_variances(&vars, options),
        options,
        expected_variance: uniform_null_variance(options),
        mean_variance: vars.iter().sum::<f64>() / vars.len() as f64,
        items,
    })
}
