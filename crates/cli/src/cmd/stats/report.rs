//! The readable reports of `framewright stats` (without `--format json`): a title, the file
//! and the cases used, the statistic and a plain-text table.

use std::fmt::Write as _;

use framewright_app::stats::{Irt, Named};
use framewright_interop::table::CsvTable;
use framewright_stats::MissingPolicy;
use framewright_stats::agreement::{FleissResult, KappaResult, KrippendorffResult, RwgResult};
use framewright_stats::cutscore::{AngoffResult, ContrastingGroupsResult};
use framewright_stats::efa::EfaResult;
use framewright_stats::fairness::{AdverseImpactResult, DifResult};
use framewright_stats::icc::IccResult;
use framewright_stats::irt::IrtModel;
use framewright_stats::reliability::{AlphaResult, OmegaResult};

/// The `alpha` report.
pub(super) fn alpha(r: &AlphaResult, csv: &CsvTable) -> String {
    let mut s = header("Cronbach's alpha", csv, r.n_rows, r.n_used, Some(r.missing));
    let _ = writeln!(
        s,
        "alpha = {:.4}   {:.0} % CI [{:.4}, {:.4}] (Feldt)\nstandardised alpha = {:.4}   mean inter-item r = {:.4}   items = {}\n",
        r.alpha,
        r.confidence * 100.0,
        r.ci95[0],
        r.ci95[1],
        r.standardized_alpha,
        r.mean_inter_item_r,
        r.n_items
    );
    let mut rows = vec![vec![
        "item".into(),
        "mean".into(),
        "sd".into(),
        "item-rest r".into(),
        "alpha if deleted".into(),
    ]];
    for it in &r.items {
        rows.push(vec![
            it.item.clone(),
            f3(it.mean),
            f3(it.sd),
            f3(it.corrected_item_total),
            it.alpha_if_deleted.map_or("–".into(), f3),
        ]);
    }
    s.push_str(&table(&rows));
    s
}

/// The `omega` report.
pub(super) fn omega(r: &OmegaResult, csv: &CsvTable) -> String {
    let mut s = header("McDonald's omega", csv, r.n_rows, r.n_used, Some(r.missing));
    let _ = writeln!(
        s,
        "omega total = {:.4}   (observed-variance omega = {:.4}; alpha = {:.4})\n",
        r.omega_total, r.omega_observed, r.alpha
    );
    let mut rows = vec![vec!["item".into(), "loading".into(), "uniqueness".into()]];
    for it in &r.items {
        rows.push(vec![it.item.clone(), f3(it.loading), f3(it.uniqueness)]);
    }
    s.push_str(&table(&rows));
    if !r.heywood_items.is_empty() {
        let _ = writeln!(
            s,
            "\nwarning: Heywood case in {}: omega is not trustworthy",
            r.heywood_items.join(", ")
        );
    }
    s
}

/// The `icc` report.
pub(super) fn icc(r: &IccResult, csv: &CsvTable, confidence: f64) -> String {
    let mut s = header("Intraclass correlations", csv, r.n_rows, r.n_used, None);
    let _ = writeln!(s, "targets = {}   raters = {}\n", r.n_targets, r.n_raters);
    let mut rows = vec![vec![
        "form".into(),
        "ICC".into(),
        "F".into(),
        "df1".into(),
        "df2".into(),
        "p".into(),
        format!("{:.0} % CI", confidence * 100.0),
        "meaning".into(),
    ]];
    for e in &r.icc {
        rows.push(vec![
            e.kind.name().into(),
            f3(e.value),
            format!("{:.3}", e.f),
            format!("{}", e.df1),
            format!("{:.0}", e.df2),
            pval(e.p),
            format!("[{:.3}, {:.3}]", e.ci95[0], e.ci95[1]),
            e.description.into(),
        ]);
    }
    s.push_str(&table(&rows));
    s
}

/// The `kappa` report.
pub(super) fn kappa(k: &Named<KappaResult>, csv: &CsvTable, cols: &[String]) -> String {
    let (r, names) = (&k.result, &k.category_names);
    let mut s = header("Cohen's kappa", csv, r.n_rows, r.n_used, None);
    let _ = writeln!(
        s,
        "kappa = {:.4} ({:?})   95 % CI [{:.4}, {:.4}]   SE = {:.4}   z = {}, p = {}\nexact agreement = {:.1} %   chance agreement = {:.4}\n",
        r.kappa,
        r.weights,
        r.ci95[0],
        r.ci95[1],
        r.ase,
        r.z.map_or("–".into(), |z| format!("{z:.3}")),
        r.p.map_or("–".into(), pval),
        r.observed_agreement * 100.0,
        r.expected_agreement
    );
    let mut rows = vec![
        std::iter::once(format!("{} \\ {}", cols[0], cols[1]))
            .chain(names.iter().cloned())
            .collect::<Vec<_>>(),
    ];
    for (i, row) in r.table.iter().enumerate() {
        rows.push(
            std::iter::once(names[i].clone())
                .chain(row.iter().map(|c| format!("{c}")))
                .collect(),
        );
    }
    s.push_str(&table(&rows));
    s
}

/// The `fleiss` report.
pub(super) fn fleiss(k: &Named<FleissResult>, csv: &CsvTable) -> String {
    let (r, names) = (&k.result, &k.category_names);
    let mut s = header("Fleiss' kappa", csv, r.n_rows, r.n_used, None);
    let _ = writeln!(
        s,
        "kappa = {:.4}   (Randolph's free-marginal kappa = {:.4})\nraters per case = {}   observed agreement = {:.4}   chance agreement = {:.4}\n",
        r.kappa, r.randolph_kappa, r.n_raters, r.observed_agreement, r.expected_agreement
    );
    let mut rows = vec![vec!["category".into(), "share of ratings".into()]];
    for (n, p) in names.iter().zip(&r.category_proportions) {
        rows.push(vec![n.clone(), format!("{:.1} %", p * 100.0)]);
    }
    s.push_str(&table(&rows));
    s
}

/// The `krippendorff` report.
pub(super) fn krippendorff(r: &KrippendorffResult, csv: &CsvTable) -> String {
    let mut s = header("Krippendorff's alpha", csv, r.n_units, r.n_units_used, None);
    let _ = writeln!(
        s,
        "alpha = {:.4} ({:?})\nobserved disagreement = {:.4}   expected disagreement = {:.4}\nraters = {}   pairable values = {}   (units with fewer than two values do not count)",
        r.alpha, r.level, r.observed_disagreement, r.expected_disagreement, r.n_coders, r.n_values
    );
    s
}

/// The `rwg` report.
pub(super) fn rwg(r: &RwgResult, csv: &CsvTable, n_rows: usize) -> String {
    let mut s = header("Within-group agreement (rwg)", csv, n_rows, n_rows, None);
    let _ = writeln!(
        s,
        "rwg(j) = {:.4} over {} items   (uniform null variance for {} options = {:.4})\n",
        r.rwg_j,
        r.items.len(),
        r.options,
        r.expected_variance
    );
    let mut rows = vec![vec![
        "item".into(),
        "n".into(),
        "mean".into(),
        "variance".into(),
        "rwg".into(),
    ]];
    for it in &r.items {
        rows.push(vec![
            it.item.clone(),
            it.n.to_string(),
            f3(it.mean),
            f3(it.variance),
            format!(
                "{}{}",
                f3(it.rwg),
                if it.truncated { " (set to 0)" } else { "" }
            ),
        ]);
    }
    s.push_str(&table(&rows));
    s
}

/// The `irt` report.
pub(super) fn irt(irt: &Irt, csv: &CsvTable) -> String {
    let (r, persons) = (&irt.result, irt.persons);
    let title = match r.model {
        IrtModel::Rasch => "Rasch model (MML-EM)",
        IrtModel::TwoPl => "Two-parameter logistic model (MML-EM)",
    };
    let mut s = header(title, csv, r.n_rows, r.n_used, None);
    let _ = writeln!(
        s,
        "log-likelihood = {:.4}   EM iterations = {}{}   EAP reliability = {:.3}\n",
        r.log_likelihood,
        r.iterations,
        if r.converged { "" } else { " (not converged)" },
        r.eap_reliability
    );
    let mut rows = vec![vec![
        "item".into(),
        "p correct".into(),
        "a".into(),
        "se(a)".into(),
        "b".into(),
        "se(b)".into(),
    ]];
    for it in &r.items {
        rows.push(vec![
            it.item.clone(),
            f3(it.p_correct),
            f3(it.a),
            it.se_a.map_or("–".into(), f3),
            f3(it.b),
            it.se_b.map_or("–".into(), f3),
        ]);
    }
    s.push_str(&table(&rows));
    s.push_str("\ntest information (precision at each ability level):\n");
    let mut rows = vec![vec!["theta".into(), "information".into(), "SEM".into()]];
    for p in r.test_information.iter().step_by(4) {
        rows.push(vec![
            format!("{:+.1}", p.theta),
            f3(p.information),
            f3(p.se),
        ]);
    }
    s.push_str(&table(&rows));
    if persons {
        s.push_str("\nperson scores (EAP):\n");
        let mut rows = vec![vec![
            "row".into(),
            "raw".into(),
            "theta".into(),
            "se".into(),
        ]];
        for p in &r.persons {
            rows.push(vec![
                p.row.to_string(),
                format!("{}", p.raw_score),
                f3(p.theta),
                f3(p.se),
            ]);
        }
        s.push_str(&table(&rows));
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// The `adverse_impact` report.
pub(super) fn adverse_impact(r: &AdverseImpactResult, csv: &CsvTable) -> String {
    let total: u64 = r.groups.iter().map(|g| g.applicants).sum();
    let mut s = header(
        "Adverse impact (four-fifths rule)",
        csv,
        total as usize,
        total as usize,
        None,
    );
    let _ = writeln!(
        s,
        "reference group (highest selection rate): {}\nfour-fifths rule violated: {}\n",
        r.reference_group,
        if r.four_fifths_violation { "YES" } else { "no" }
    );
    let mut rows = vec![vec![
        "group".into(),
        "applicants".into(),
        "selected".into(),
        "rate".into(),
        "impact ratio".into(),
        "below 4/5".into(),
        "Fisher p".into(),
        "z".into(),
    ]];
    for g in &r.groups {
        rows.push(vec![
            g.group.clone(),
            g.applicants.to_string(),
            g.selected.to_string(),
            format!("{:.1} %", g.rate * 100.0),
            f3(g.impact_ratio),
            if g.four_fifths_violation {
                "yes".into()
            } else {
                "no".into()
            },
            g.fisher_p.map_or("–".into(), pval),
            g.z.map_or("–".into(), |z| format!("{z:.3}")),
        ]);
    }
    s.push_str(&table(&rows));
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

/// The `dif` report.
pub(super) fn dif(r: &DifResult, csv: &CsvTable, focal: &str, reference: Option<&str>) -> String {
    let mut s = header(
        "Differential item functioning (Mantel-Haenszel)",
        csv,
        r.n_rows,
        r.n_used,
        None,
    );
    let _ = writeln!(
        s,
        "focal group \"{focal}\": {}   reference group{}: {}   matching: total score\nnegative delta favours the reference group; ETS classes: A negligible, B moderate, C large\n",
        r.n_focal,
        reference
            .as_ref()
            .map_or(String::new(), |r| format!(" \"{r}\"")),
        r.n_reference
    );
    let mut rows = vec![vec![
        "item".into(),
        "p ref".into(),
        "p focal".into(),
        "alpha MH".into(),
        "delta".into(),
        "se".into(),
        "chi2".into(),
        "p".into(),
        "class".into(),
        "favours".into(),
    ]];
    for it in &r.items {
        rows.push(vec![
            it.item.clone(),
            f3(it.p_reference),
            f3(it.p_focal),
            f3(it.mh.alpha_mh),
            format!("{:+.3}", it.mh.delta),
            f3(it.mh.se_delta),
            format!("{:.3}", it.mh.chi2),
            pval(it.mh.p),
            format!("{:?}", it.mh.ets_class),
            it.mh.favours.into(),
        ]);
    }
    s.push_str(&table(&rows));
    s
}

/// The `angoff` report.
pub(super) fn angoff(r: &AngoffResult, csv: &CsvTable) -> String {
    let mut s = header("Modified Angoff cut score", csv, r.n_rows, r.n_used, None);
    let _ = writeln!(
        s,
        "cut score = {:.3} ({:.1} % of the maximum)   median of judges = {:.3}\nSD of judges' cuts = {:.3}   SE of the cut = {:.3}   band ±{} SE = [{:.3}, {:.3}]",
        r.cut, r.cut_percent, r.median_cut, r.sd, r.se, r.z, r.se_band[0], r.se_band[1]
    );
    if let (Some(sem), Some(b)) = (r.sem, r.sem_band) {
        let _ = writeln!(
            s,
            "SEM of the test = {sem:.3}   band ±{} SEM = [{:.3}, {:.3}]",
            r.z, b[0], b[1]
        );
    }
    s.push('\n');
    let mut rows = vec![vec!["judge".into(), "cut".into()]];
    for j in &r.judges {
        rows.push(vec![format!("row {}", j.judge), f3(j.cut)]);
    }
    s.push_str(&table(&rows));
    s.push('\n');
    let mut rows = vec![vec![
        "item".into(),
        "mean".into(),
        "sd".into(),
        "min".into(),
        "max".into(),
    ]];
    for it in &r.items {
        rows.push(vec![
            it.item.clone(),
            f3(it.mean),
            f3(it.sd),
            f3(it.min),
            f3(it.max),
        ]);
    }
    s.push_str(&table(&rows));
    s
}

/// The `contrasting_groups` report.
pub(super) fn contrasting_groups(r: &ContrastingGroupsResult, csv: &CsvTable, n: usize) -> String {
    let mut s = header("Contrasting groups cut score", csv, n, n, None);
    let _ = writeln!(
        s,
        "cut score (fewest misclassifications) = {}   false passes = {}, false fails = {}",
        r.cut, r.errors.false_passes, r.errors.false_fails
    );
    if r.tied_cuts.len() > 1 {
        let _ = writeln!(
            s,
            "equally good cuts: {:?} (the lowest is reported)",
            r.tied_cuts
        );
    }
    match &r.logistic {
        Some(l) => {
            let _ = writeln!(
                s,
                "logistic regression: 50 % chance of being judged competent at {:.3}",
                l.cut
            );
        }
        None => {
            s.push_str("logistic regression: the groups are perfectly separated, no 50 % point\n")
        }
    }
    let _ = writeln!(
        s,
        "competent: {} (mean {:.2})   not competent: {} (mean {:.2})",
        r.n_competent, r.mean_competent, r.n_not_competent, r.mean_not_competent
    );
    s
}

/// The `efa` report.
pub(super) fn efa(r: &EfaResult, csv: &CsvTable) -> String {
    let mut s = header(
        "Exploratory factor analysis",
        csv,
        r.n_rows,
        r.n_used,
        Some(r.missing),
    );
    let _ = writeln!(
        s,
        "KMO = {:.3} ({})   Bartlett chi2 = {:.2}, df = {}, p = {}",
        r.kmo.overall,
        r.kmo.label,
        r.bartlett.chi2,
        r.bartlett.df,
        pval(r.bartlett.p)
    );
    if let Some(pa) = &r.parallel {
        let _ = writeln!(
            s,
            "parallel analysis ({} random data sets, {}th percentile): {} components, {} factors above chance",
            pa.iterations, pa.percentile, pa.n_components, pa.n_factors
        );
    }
    let _ = writeln!(
        s,
        "factors = {} ({})   extraction = {:?}   rotation = {:?}   iterations = {}\n",
        r.n_factors, r.n_factors_rule, r.extraction, r.rotation, r.iterations
    );
    let mut rows = vec![
        std::iter::once("item".to_string())
            .chain((1..=r.n_factors).map(|j| format!("F{j}")))
            .chain(["h2".to_string(), "u2".to_string()])
            .collect::<Vec<_>>(),
    ];
    for it in &r.items {
        rows.push(
            std::iter::once(it.item.clone())
                .chain(it.loadings.iter().map(|l| format!("{l:.3}")))
                .chain([f3(it.communality), f3(it.uniqueness)])
                .collect(),
        );
    }
    rows.push(
        std::iter::once("SS loadings".to_string())
            .chain(r.variance.iter().map(|v| format!("{:.3}", v.ss_loadings)))
            .collect(),
    );
    rows.push(
        std::iter::once("proportion".to_string())
            .chain(r.variance.iter().map(|v| format!("{:.3}", v.proportion)))
            .collect(),
    );
    s.push_str(&table(&rows));
    if let Some(phi) = &r.factor_correlations {
        s.push_str("\nfactor correlations:\n");
        let mut rows = vec![
            std::iter::once(String::new())
                .chain((1..=phi.len()).map(|j| format!("F{j}")))
                .collect::<Vec<_>>(),
        ];
        for (i, row) in phi.iter().enumerate() {
            rows.push(
                std::iter::once(format!("F{}", i + 1))
                    .chain(row.iter().map(|v| format!("{v:.3}")))
                    .collect(),
            );
        }
        s.push_str(&table(&rows));
    }
    if let Some(fit) = &r.ml_fit {
        let _ = writeln!(
            s,
            "\nmodel fit: chi2 = {:.3}, df = {}, p = {}",
            fit.chi2,
            fit.df,
            fit.p.map_or("–".into(), pval)
        );
    }
    for w in &r.warnings {
        let _ = writeln!(s, "warning: {w}");
    }
    s
}

// ---------------------------------------------------------------------------------------------
// input

fn header(
    title: &str,
    csv: &CsvTable,
    n_rows: usize,
    n_used: usize,
    missing: Option<MissingPolicy>,
) -> String {
    let mut s = format!("{title}\n{}\n", "=".repeat(title.chars().count()));
    let _ = write!(
        s,
        "file: {}   rows: {n_rows}   used: {n_used}",
        csv.source_name()
    );
    if let Some(m) = missing {
        let _ = write!(
            s,
            "   missing data: {}",
            match m {
                MissingPolicy::Listwise => "listwise (incomplete rows dropped)",
                MissingPolicy::Pairwise => "pairwise",
            }
        );
    }
    s.push_str("\n\n");
    s
}

fn f3(v: f64) -> String {
    format!("{v:.3}")
}

fn pval(p: f64) -> String {
    if p < 0.0001 {
        "< .0001".into()
    } else {
        format!("{p:.4}")
    }
}

/// A plain-text table: columns of numbers right-aligned (with their heading), others left-aligned.
fn table(rows: &[Vec<String>]) -> String {
    let looks_numeric =
        |cell: &str| cell.starts_with(|ch: char| ch.is_ascii_digit() || "-+[<–.".contains(ch));
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = (0..cols)
        .map(|c| {
            c > 0
                && rows
                    .iter()
                    .skip(1)
                    .filter_map(|r| r.get(c))
                    .all(|v| looks_numeric(v))
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let sep = if c == 0 { "" } else { "  " };
            if numeric[c] {
                let _ = write!(line, "{sep}{cell:>w$}", w = widths[c]);
            } else {
                let _ = write!(line, "{sep}{cell:<w$}", w = widths[c]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
