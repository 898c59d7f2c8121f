//! `framewright stats`: reliability, rater agreement, factor analysis, item calibration, adverse
//! impact, DIF and cut scores on CSV data (a header row, one row per person or target, one
//! column per item or rater). Each command prints a readable report, or JSON with `--format json`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use framewright_interop::table::{CsvTable, TableError};
use framewright_stats::agreement::{
    self, KappaWeights, KrippendorffLevel, cohen_kappa, fleiss_kappa, krippendorff_alpha,
};
use framewright_stats::cutscore::{AngoffOptions, contrasting_groups, modified_angoff};
use framewright_stats::efa::{EfaOptions, Extraction, FactorCount, ParallelOptions, Rotation};
use framewright_stats::fairness::{
    AdverseImpactOptions, GroupCounts, adverse_impact, count_groups, dif_mantel_haenszel,
};
use framewright_stats::irt::{IrtModel, IrtOptions, Quadrature, fit_irt};
use framewright_stats::reliability::{AlphaOptions, cronbach_alpha, mcdonald_omega};
use framewright_stats::{Category, MissingPolicy, StatsError, Table, code_categories, efa, icc};
use serde::Serialize;
use serde_json::{Value, json};

/// Statistics for validating ratings, tests and selection decisions.
///
/// Every command reads a CSV file with a header row: one row per person (or per rated target,
/// or per judge) and one column per item (or per rater). Empty cells, NA and N/A are missing
/// values; 0 is a real answer. Use --columns to pick columns and --skip to leave some out (an
/// id column, for example). Add --format json for a machine-readable result.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Cronbach's alpha: do the items of a scale or test measure the same thing consistently?
    ///
    /// Rows are respondents, columns are the items of one scale. Reports alpha with its 95 %
    /// confidence interval (Feldt), standardised alpha, and for each item its correlation with
    /// the rest of the scale and the alpha the scale would have without it. Values of .70 or
    /// more are usually expected for research use, .80–.90 for decisions about individuals.
    ///
    /// Example: framewright stats alpha survey.csv --skip respondent_id
    Alpha {
        #[command(flatten)]
        input: Input,
        /// What to do with missing answers: drop incomplete rows (listwise) or use every pair
        /// of items that both have answers (pairwise).
        #[arg(long, value_enum, default_value_t = Missing::Listwise)]
        missing: Missing,
        /// Confidence level of the interval.
        #[arg(long, default_value_t = 0.95)]
        confidence: f64,
    },
    /// McDonald's omega: reliability of a scale that allows items to differ in how strongly
    /// they reflect what is measured (a one-factor model), unlike alpha.
    ///
    /// Example: framewright stats omega survey.csv --skip respondent_id
    Omega {
        #[command(flatten)]
        input: Input,
        /// Missing answers: listwise or pairwise (see `stats alpha --help`).
        #[arg(long, value_enum, default_value_t = Missing::Listwise)]
        missing: Missing,
    },
    /// Intraclass correlations: how well do raters agree on numeric ratings of the same
    /// candidates, answers or tasks?
    ///
    /// Rows are what is rated (candidates, tasks), columns are raters. Prints all six Shrout &
    /// Fleiss forms with F tests and 95 % intervals. Use ICC2 (absolute agreement) when the
    /// raters' actual scores matter, ICC3 (consistency) when only their ranking matters, ICC1
    /// when each target had different raters; the "k" forms are for the average of the raters.
    /// Rows with a missing rating are left out.
    ///
    /// Example: framewright stats icc interview-ratings.csv --skip candidate
    Icc {
        #[command(flatten)]
        input: Input,
        /// Confidence level of the intervals.
        #[arg(long, default_value_t = 0.95)]
        confidence: f64,
    },
    /// Cohen's kappa: agreement between two raters who sort the same cases into categories,
    /// corrected for the agreement expected by chance.
    ///
    /// Give the two rater columns with --raters (or a file with exactly two columns). Use
    /// --weights linear or quadratic for ordered categories (a rating scale), so that near
    /// misses count less than far ones. Rows with a missing rating are left out.
    ///
    /// Example: framewright stats kappa screening.csv --raters rater_a,rater_b --weights quadratic
    Kappa {
        #[command(flatten)]
        input: Input,
        /// The two rater columns, comma-separated.
        #[arg(long, value_delimiter = ',')]
        raters: Vec<String>,
        /// How to weigh disagreements between ordered categories.
        #[arg(long, value_enum, default_value_t = Weights::None)]
        weights: Weights,
    },
    /// Fleiss' kappa: chance-corrected agreement when several raters each put every case into
    /// a category.
    ///
    /// Rows are cases, columns are raters; cells are category labels (numbers or words). Rows
    /// with a missing rating are left out.
    ///
    /// Example: framewright stats fleiss panel.csv --skip case
    Fleiss {
        #[command(flatten)]
        input: Input,
    },
    /// Krippendorff's alpha: agreement among any number of raters, allowing missing ratings,
    /// for categories, ordered ratings, or measurements.
    ///
    /// Rows are what is rated, columns are raters; empty cells are fine. Choose the level that
    /// fits the ratings: nominal (unordered categories), ordinal (ordered), interval (numbers
    /// with equal steps), ratio (numbers with a true zero). .80 or more is usually required,
    /// .667 for tentative conclusions.
    ///
    /// Example: framewright stats krippendorff codes.csv --level ordinal
    Krippendorff {
        #[command(flatten)]
        input: Input,
        /// Level of measurement of the ratings.
        #[arg(long, value_enum)]
        level: Level,
    },
    /// rwg and rwg(j): how much subject-matter experts agree on ratings (for example the
    /// importance of tasks or competencies), compared with random answers.
    ///
    /// Rows are the experts, columns are the items they rated on the same scale. rwg near 1
    /// means strong agreement; .70 is a common minimum. rwg(j) treats the items as one scale.
    ///
    /// Example: framewright stats rwg importance.csv --options 5 --skip sme
    Rwg {
        #[command(flatten)]
        input: Input,
        /// Number of response options of the rating scale (5 for a 1–5 scale).
        #[arg(long)]
        options: u32,
    },
    /// Exploratory factor analysis: which groups of items measure the same underlying
    /// competency or trait, and how many such groups there are.
    ///
    /// Rows are respondents, columns are items. Reports sampling adequacy (KMO), Bartlett's
    /// test, parallel analysis for the number of factors, loadings, communalities, factor
    /// correlations, and warns about Heywood cases (an item explained "too well", a sign of an
    /// improper solution).
    ///
    /// Example: framewright stats efa survey.csv --factors auto --method minres --rotation promax
    Efa {
        #[command(flatten)]
        input: Input,
        /// How many factors: a number, or "auto" for parallel analysis.
        #[arg(long, default_value = "auto")]
        factors: String,
        /// Extraction: minres (robust default), pa (principal axis), ml (maximum likelihood,
        /// adds a test of fit; assumes roughly normal data).
        #[arg(long, value_enum, default_value_t = Method::Minres)]
        method: Method,
        /// Rotation: varimax keeps factors uncorrelated; promax and oblimin let them correlate
        /// (usual for competencies).
        #[arg(long, value_enum, default_value_t = RotationArg::Promax)]
        rotation: RotationArg,
        /// Missing answers: listwise or pairwise.
        #[arg(long, value_enum, default_value_t = Missing::Listwise)]
        missing: Missing,
        /// Seed for the random data of parallel analysis (same seed, same result).
        #[arg(long, default_value_t = 20_240_429)]
        seed: u64,
        /// Random data sets for parallel analysis.
        #[arg(long, default_value_t = 100)]
        iterations: usize,
    },
    /// Item response theory: calibrate right/wrong test items (difficulty and discrimination)
    /// and estimate each person's ability on the same scale.
    ///
    /// Rows are test takers, columns are items scored 1 (right) or 0 (wrong); missing answers
    /// are allowed. rasch gives each item a difficulty; 2pl adds a discrimination (how sharply
    /// the item separates lower from higher ability). Reports standard errors and the test
    /// information curve (where on the ability scale the test measures precisely).
    ///
    /// Example: framewright stats irt test-results.csv --model 2pl --skip candidate
    Irt {
        #[command(flatten)]
        input: Input,
        /// Model.
        #[arg(long, value_enum, default_value_t = ModelArg::TwoPl)]
        model: ModelArg,
        /// Also print each person's ability estimate (EAP) and its standard error.
        #[arg(long)]
        persons: bool,
        /// Quadrature points (Gauss–Hermite) for the ability distribution; more points give
        /// slightly more precise estimates and take longer.
        #[arg(long, default_value_t = 21)]
        quadrature_points: usize,
    },
    /// Adverse impact: does a selection step pass one group at a markedly lower rate than
    /// another (the four-fifths rule of the Uniform Guidelines, 29 CFR 1607.4D)?
    ///
    /// One row per applicant, with a group column and a selected column (1/0, yes/no,
    /// true/false, pass/fail). Or one row per group with --applicants naming a column of
    /// applicant counts and --selected a column of selected counts. Reports selection rates,
    /// impact ratios against the group with the highest rate, Fisher's exact test and the
    /// two-proportion z-test, and warns when groups are too small for the rule to mean much.
    ///
    /// Example: framewright stats adverse-impact applicants.csv --group sex --selected hired
    AdverseImpact {
        /// The CSV file.
        file: PathBuf,
        /// Column with each applicant's group.
        #[arg(long)]
        group: String,
        /// Column saying whether the applicant was selected (or, with --applicants, how many).
        #[arg(long)]
        selected: String,
        /// Column of applicant counts, when each row is a group rather than an applicant.
        #[arg(long)]
        applicants: Option<String>,
        /// Impact ratio below which a group is flagged.
        #[arg(long, default_value_t = 0.8)]
        threshold: f64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Differential item functioning (Mantel–Haenszel): do test takers of equal overall score
    /// but different groups have different chances on an item? Classifies items A (negligible),
    /// B (moderate) or C (large), as ETS does.
    ///
    /// Rows are test takers with 0/1 item columns and a group column. Give the focal group
    /// (the group the check protects) with --focal; every other row is the reference group,
    /// unless --reference names one.
    ///
    /// Example: framewright stats dif results.csv --group sex --focal F --skip candidate
    Dif {
        #[command(flatten)]
        input: Input,
        /// Column with each test taker's group.
        #[arg(long)]
        group: String,
        /// The focal group's label.
        #[arg(long)]
        focal: String,
        /// The reference group's label (default: everyone not in the focal group).
        #[arg(long)]
        reference: Option<String>,
    },
    /// Modified Angoff cut score: subject-matter experts judge, item by item, the chance that a
    /// minimally competent candidate answers correctly; the cut is the sum, averaged over judges.
    ///
    /// Rows are judges, columns are items, cells are probabilities between 0 and 1. Reports the
    /// cut, each judge's cut, the standard error of the panel's cut and a band around it; with
    /// --test-sd and --reliability also the test's standard error of measurement (SEM) band,
    /// often used to lower a cut by 1–2 SEM.
    ///
    /// Example: framewright stats angoff judgements.csv --skip judge --test-sd 6.2 --reliability 0.86
    Angoff {
        #[command(flatten)]
        input: Input,
        /// Width of the bands in standard errors (1 gives ±1 SE; 1.96 a 95 % band).
        #[arg(long, default_value_t = 1.0)]
        z: f64,
        /// Standard deviation of total test scores (for the SEM).
        #[arg(long)]
        test_sd: Option<f64>,
        /// Reliability of the test, e.g. its alpha (for the SEM).
        #[arg(long)]
        reliability: Option<f64>,
        /// Judgements are expected item scores (items worth more than 1 point), not probabilities.
        #[arg(long)]
        expected_scores: bool,
    },
    /// Contrasting groups cut score: experts sort people into competent and not competent
    /// without seeing their scores; the cut is the score that best separates the two groups.
    ///
    /// One row per person with a score column and a column saying whether experts judged them
    /// competent (1/0, yes/no). Reports the cut with the fewest misclassifications and the
    /// score where a logistic regression gives a 50 % chance of being competent.
    ///
    /// Example: framewright stats contrasting-groups incumbents.csv --score total --competent judged_ok
    ContrastingGroups {
        /// The CSV file.
        file: PathBuf,
        /// Column of test scores.
        #[arg(long)]
        score: String,
        /// Column of expert judgements (competent or not).
        #[arg(long)]
        competent: String,
        /// How much worse a false pass is than a false fail (1 = equally bad).
        #[arg(long, default_value_t = 1.0)]
        false_pass_cost: f64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// The data file and which of its columns to use.
#[derive(Debug, ClapArgs)]
struct Input {
    /// The CSV file (header row; one row per person or target, one column per item or rater).
    file: PathBuf,
    /// Use only these columns (comma-separated names). Default: every column not skipped.
    #[arg(long, value_delimiter = ',')]
    columns: Vec<String>,
    /// Leave these columns out (comma-separated names), e.g. an id column.
    #[arg(long, value_delimiter = ',')]
    skip: Vec<String>,
    /// Output format: a readable report, or JSON for other programs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Missing {
    Listwise,
    Pairwise,
}

impl From<Missing> for MissingPolicy {
    fn from(m: Missing) -> Self {
        match m {
            Missing::Listwise => MissingPolicy::Listwise,
            Missing::Pairwise => MissingPolicy::Pairwise,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Weights {
    None,
    Linear,
    Quadratic,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Method {
    Minres,
    Pa,
    Ml,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RotationArg {
    Varimax,
    Promax,
    Oblimin,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ModelArg {
    Rasch,
    #[value(name = "2pl")]
    TwoPl,
}

/// Runs a `stats` subcommand.
pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Alpha {
            input,
            missing,
            confidence,
        } => {
            let (csv, t) = load(&input)?;
            let r = cronbach_alpha(
                &t,
                &AlphaOptions {
                    missing: missing.into(),
                    confidence,
                },
            )
            .map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header(
                    "Cronbach's alpha",
                    &csv,
                    r.n_rows,
                    r.n_used,
                    Some(r.missing),
                );
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
            })
        }
        Command::Omega { input, missing } => {
            let (csv, t) = load(&input)?;
            let r = mcdonald_omega(&t, missing.into()).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header(
                    "McDonald's omega",
                    &csv,
                    r.n_rows,
                    r.n_used,
                    Some(r.missing),
                );
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
            })
        }
        Command::Icc { input, confidence } => {
            let (csv, t) = load(&input)?;
            let r = icc::icc(&t, confidence).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header("Intraclass correlations", &csv, r.n_rows, r.n_used, None);
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
            })
        }
        Command::Kappa {
            input,
            raters,
            weights,
        } => {
            let csv = read_csv(&input.file)?;
            let cols = if raters.is_empty() {
                chosen_columns(&csv, &input)?
            } else {
                raters
            };
            if cols.len() != 2 {
                bail!(
                    "{}: Cohen's kappa compares exactly two raters; name them with --raters A,B (found {} columns: {})",
                    csv.source_name(),
                    cols.len(),
                    cols.join(", ")
                );
            }
            let weights = match weights {
                Weights::None => KappaWeights::Unweighted,
                Weights::Linear => KappaWeights::Linear,
                Weights::Quadratic => KappaWeights::Quadratic,
            };
            let (t, labels) = categorical(&csv, &cols, weights == KappaWeights::Unweighted)?;
            let r1: Vec<Option<f64>> = (0..t.n_rows()).map(|r| t.get(r, 0)).collect();
            let r2: Vec<Option<f64>> = (0..t.n_rows()).map(|r| t.get(r, 1)).collect();
            let r = cohen_kappa(&r1, &r2, weights, 0.95).map_err(|e| explain(e, &csv))?;
            let names = category_names(&r.categories, labels.as_deref());
            let mut v = serde_json::to_value(&r)?;
            v["categories"] = json!(names);
            emit_value(input.format, v, || {
                let mut s = header("Cohen's kappa", &csv, r.n_rows, r.n_used, None);
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
            })
        }
        Command::Fleiss { input } => {
            let csv = read_csv(&input.file)?;
            let cols = chosen_columns(&csv, &input)?;
            let (t, labels) = categorical(&csv, &cols, true)?;
            let r = fleiss_kappa(&t).map_err(|e| explain(e, &csv))?;
            let names = category_names(&r.categories, labels.as_deref());
            let mut v = serde_json::to_value(&r)?;
            v["categories"] = json!(names);
            emit_value(input.format, v, || {
                let mut s = header("Fleiss' kappa", &csv, r.n_rows, r.n_used, None);
                let _ = writeln!(
                    s,
                    "kappa = {:.4}   (Randolph's free-marginal kappa = {:.4})\nraters per case = {}   observed agreement = {:.4}   chance agreement = {:.4}\n",
                    r.kappa,
                    r.randolph_kappa,
                    r.n_raters,
                    r.observed_agreement,
                    r.expected_agreement
                );
                let mut rows = vec![vec!["category".into(), "share of ratings".into()]];
                for (n, p) in names.iter().zip(&r.category_proportions) {
                    rows.push(vec![n.clone(), format!("{:.1} %", p * 100.0)]);
                }
                s.push_str(&table(&rows));
                s
            })
        }
        Command::Krippendorff { input, level } => {
            let csv = read_csv(&input.file)?;
            let cols = chosen_columns(&csv, &input)?;
            let level = match level {
                Level::Nominal => KrippendorffLevel::Nominal,
                Level::Ordinal => KrippendorffLevel::Ordinal,
                Level::Interval => KrippendorffLevel::Interval,
                Level::Ratio => KrippendorffLevel::Ratio,
            };
            let (t, _) = categorical(&csv, &cols, level == KrippendorffLevel::Nominal)?;
            let r = krippendorff_alpha(&t, level).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header(
                    "Krippendorff's alpha",
                    &csv,
                    r.n_units,
                    r.n_units_used,
                    None,
                );
                let _ = writeln!(
                    s,
                    "alpha = {:.4} ({:?})\nobserved disagreement = {:.4}   expected disagreement = {:.4}\nraters = {}   pairable values = {}   (units with fewer than two values do not count)",
                    r.alpha,
                    r.level,
                    r.observed_disagreement,
                    r.expected_disagreement,
                    r.n_coders,
                    r.n_values
                );
                s
            })
        }
        Command::Rwg { input, options } => {
            let (csv, t) = load(&input)?;
            let r = agreement::rwg_table(&t, options).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header(
                    "Within-group agreement (rwg)",
                    &csv,
                    t.n_rows(),
                    t.n_rows(),
                    None,
                );
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
            })
        }
        Command::Efa {
            input,
            factors,
            method,
            rotation,
            missing,
            seed,
            iterations,
        } => {
            let (csv, t) = load(&input)?;
            let factors = if factors.eq_ignore_ascii_case("auto") {
                FactorCount::ParallelAnalysis
            } else {
                FactorCount::Fixed(factors.parse().map_err(|_| {
                    anyhow!("--factors must be a whole number or \"auto\", not \"{factors}\"")
                })?)
            };
            let opts = EfaOptions {
                factors,
                extraction: match method {
                    Method::Minres => Extraction::Minres,
                    Method::Pa => Extraction::PrincipalAxis,
                    Method::Ml => Extraction::MaximumLikelihood,
                },
                rotation: match rotation {
                    RotationArg::Varimax => Rotation::Varimax,
                    RotationArg::Promax => Rotation::Promax,
                    RotationArg::Oblimin => Rotation::Oblimin,
                    RotationArg::None => Rotation::None,
                },
                missing: missing.into(),
                parallel: ParallelOptions {
                    iterations,
                    seed,
                    ..Default::default()
                },
                ..Default::default()
            };
            let r = efa::factor_analysis(&t, &opts).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || efa_report(&r, &csv))
        }
        Command::Irt {
            input,
            model,
            persons,
            quadrature_points,
        } => {
            let (csv, t) = load(&input)?;
            let opts = IrtOptions {
                model: match model {
                    ModelArg::Rasch => IrtModel::Rasch,
                    ModelArg::TwoPl => IrtModel::TwoPl,
                },
                quadrature: Quadrature::GaussHermite(quadrature_points),
                ..Default::default()
            };
            let r = fit_irt(&t, &opts).map_err(|e| explain(e, &csv))?;
            let mut v = serde_json::to_value(&r)?;
            if let (false, Some(o)) = (persons, v.as_object_mut()) {
                o.remove("persons");
            }
            emit_value(input.format, v, || {
                let title = match r.model {
                    IrtModel::Rasch => "Rasch model (MML-EM)",
                    IrtModel::TwoPl => "Two-parameter logistic model (MML-EM)",
                };
                let mut s = header(title, &csv, r.n_rows, r.n_used, None);
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
            })
        }
        Command::AdverseImpact {
            file,
            group,
            selected,
            applicants,
            threshold,
            format,
        } => {
            let csv = read_csv(&file)?;
            let groups = applicant_groups(&csv, &group, &selected, applicants.as_deref())?;
            let opts = AdverseImpactOptions {
                threshold,
                ..Default::default()
            };
            let r = adverse_impact(&groups, &opts).map_err(|e| explain(e, &csv))?;
            emit(format, &r, || {
                let total: u64 = r.groups.iter().map(|g| g.applicants).sum();
                let mut s = header(
                    "Adverse impact (four-fifths rule)",
                    &csv,
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
            })
        }
        Command::Dif {
            input,
            group,
            focal,
            reference,
        } => {
            let csv = read_csv(&input.file)?;
            let labels = csv.text_column(&group).map_err(|e| anyhow!(e))?;
            let mut cols = chosen_columns(&csv, &input)?;
            cols.retain(|c| c != &group);
            let keep: Vec<usize> = labels
                .iter()
                .enumerate()
                .filter(|(_, l)| match (l, &reference) {
                    (None, _) => false,
                    (Some(l), Some(r)) => l == &focal || l == r,
                    (Some(_), None) => true,
                })
                .map(|(i, _)| i)
                .collect();
            if let Some(i) = labels.iter().position(Option::is_none) {
                bail!(
                    "{}: line {} (data row {}), column \"{group}\": the group is missing",
                    csv.source_name(),
                    csv.line_of_row(i + 1).unwrap_or(0),
                    i + 1
                );
            }
            if !labels.iter().any(|l| l.as_deref() == Some(focal.as_str())) {
                bail!(
                    "{}: no row has \"{focal}\" in column \"{group}\"",
                    csv.source_name()
                );
            }
            let n = csv.numeric(&cols).map_err(|e| anyhow!(e))?;
            let rows: Vec<Vec<Option<f64>>> = keep.iter().map(|&i| n.rows[i].clone()).collect();
            let t = Table::from_rows(n.columns.clone(), &rows).map_err(|e| explain(e, &csv))?;
            let is_focal: Vec<bool> = keep
                .iter()
                .map(|&i| labels[i].as_deref() == Some(focal.as_str()))
                .collect();
            let r = dif_mantel_haenszel(&t, &is_focal, 0.05).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header(
                    "Differential item functioning (Mantel-Haenszel)",
                    &csv,
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
            })
        }
        Command::Angoff {
            input,
            z,
            test_sd,
            reliability,
            expected_scores,
        } => {
            let (csv, t) = load(&input)?;
            let opts = AngoffOptions {
                z,
                test_sd,
                reliability,
                expected_scores,
            };
            let r = modified_angoff(&t, &opts).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || {
                let mut s = header("Modified Angoff cut score", &csv, r.n_rows, r.n_used, None);
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
            })
        }
        Command::ContrastingGroups {
            file,
            score,
            competent,
            false_pass_cost,
            format,
        } => {
            let csv = read_csv(&file)?;
            let scores = csv.numeric_column(&score).map_err(|e| anyhow!(e))?;
            let judged = csv.text_column(&competent).map_err(|e| anyhow!(e))?;
            let mut sc = Vec::new();
            let mut comp = Vec::new();
            for (i, (s, j)) in scores.iter().zip(&judged).enumerate() {
                let line = csv.line_of_row(i + 1).unwrap_or(0);
                let s = s.ok_or_else(|| {
                    anyhow!(
                        "{}: line {line} (data row {}), column \"{score}\": the score is missing",
                        csv.source_name(),
                        i + 1
                    )
                })?;
                let j = j.as_deref().and_then(parse_bool).ok_or_else(|| {
                    anyhow!(
                        "{}: line {line} (data row {}), column \"{competent}\": \"{}\" is not yes/no (use 1/0, yes/no, true/false)",
                        csv.source_name(), i + 1, j.as_deref().unwrap_or("")
                    )
                })?;
                sc.push(s);
                comp.push(j);
            }
            let r =
                contrasting_groups(&sc, &comp, false_pass_cost).map_err(|e| explain(e, &csv))?;
            emit(format, &r, || {
                let mut s = header(
                    "Contrasting groups cut score",
                    &csv,
                    sc.len(),
                    sc.len(),
                    None,
                );
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
                    None => s.push_str(
                        "logistic regression: the groups are perfectly separated, no 50 % point\n",
                    ),
                }
                let _ = writeln!(
                    s,
                    "competent: {} (mean {:.2})   not competent: {} (mean {:.2})",
                    r.n_competent, r.mean_competent, r.n_not_competent, r.mean_not_competent
                );
                s
            })
        }
    }
}

fn efa_report(r: &efa::EfaResult, csv: &CsvTable) -> String {
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

fn read_csv(path: &std::path::Path) -> Result<CsvTable> {
    CsvTable::read(path).map_err(|e| anyhow!(e))
}

/// The columns the user chose: --columns, else every column not in --skip.
fn chosen_columns(csv: &CsvTable, input: &Input) -> Result<Vec<String>> {
    for name in input.columns.iter().chain(&input.skip) {
        csv.column_index(name).map_err(|e| anyhow!(e))?;
    }
    Ok(if input.columns.is_empty() {
        csv.headers()
            .iter()
            .filter(|h| !input.skip.contains(h))
            .cloned()
            .collect()
    } else {
        input
            .columns
            .iter()
            .filter(|c| !input.skip.contains(c))
            .cloned()
            .collect()
    })
}

/// Reads the file and the chosen columns as numbers.
fn load(input: &Input) -> Result<(CsvTable, Table)> {
    let csv = read_csv(&input.file)?;
    let cols = chosen_columns(&csv, input)?;
    let n = csv.numeric(&cols).map_err(|e| anyhow!(e))?;
    let t = Table::from_rows(n.columns, &n.rows).map_err(|e| explain(e, &csv))?;
    Ok((csv, t))
}

/// Category columns: numbers when every cell is a number; otherwise, when `allow_text`, words
/// coded 0, 1, 2… in alphabetical order (the labels are returned for the report).
fn categorical(
    csv: &CsvTable,
    cols: &[String],
    allow_text: bool,
) -> Result<(Table, Option<Vec<String>>)> {
    match csv.numeric(cols) {
        Ok(n) => Ok((Table::from_rows(n.columns, &n.rows).map_err(|e| explain(e, csv))?, None)),
        Err(e @ TableError::NotNumeric { .. }) if !allow_text => Err(anyhow!(e).context(
            "ordered or weighted statistics need numeric ratings; word labels only work for unordered categories",
        )),
        Err(TableError::NotNumeric { .. }) => {
            let text: Vec<Vec<Option<String>>> =
                cols.iter().map(|c| csv.text_column(c)).collect::<Result<_, _>>().map_err(|e| anyhow!(e))?;
            // Every cell as a word; the stats crate codes them in sorted order (shared with the
            // server's statistics API).
            let rows: Vec<Vec<Option<Category>>> = (0..csv.n_rows())
                .map(|r| text.iter().map(|col| col[r].clone().map(Category::Label)).collect())
                .collect();
            let (t, labels) = code_categories(cols.to_vec(), &rows, true).map_err(|e| explain(e, csv))?;
            Ok((t, labels))
        }
        Err(e) => Err(anyhow!(e)),
    }
}

fn category_names(cats: &[f64], labels: Option<&[String]>) -> Vec<String> {
    cats.iter()
        .map(|c| match labels {
            Some(l) => l.get(*c as usize).cloned().unwrap_or_default(),
            None => format!("{c}"),
        })
        .collect()
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "t" | "selected" | "pass" | "passed" | "hired" => Some(true),
        "0" | "no" | "n" | "false" | "f" | "rejected" | "fail" | "failed" | "not selected" => {
            Some(false)
        }
        _ => None,
    }
}

/// Applicant counts per group, from one row per applicant or one row per group.
fn applicant_groups(
    csv: &CsvTable,
    group: &str,
    selected: &str,
    applicants: Option<&str>,
) -> Result<Vec<GroupCounts>> {
    let groups = csv.text_column(group).map_err(|e| anyhow!(e))?;
    let where_ = |i: usize, col: &str| {
        format!(
            "{}: line {} (data row {}), column \"{col}\"",
            csv.source_name(),
            csv.line_of_row(i + 1).unwrap_or(0),
            i + 1
        )
    };
    for (i, g) in groups.iter().enumerate() {
        if g.is_none() {
            bail!(
                "{}: the group is missing; every row needs one",
                where_(i, group)
            );
        }
    }
    let groups: Vec<String> = groups.into_iter().flatten().collect();
    if let Some(app_col) = applicants {
        let apps = csv.numeric_column(app_col).map_err(|e| anyhow!(e))?;
        let sels = csv.numeric_column(selected).map_err(|e| anyhow!(e))?;
        let mut out = Vec::new();
        for (i, ((g, a), s)) in groups.iter().zip(&apps).zip(&sels).enumerate() {
            let count = |v: &Option<f64>, col: &str| -> Result<u64> {
                match v {
                    Some(x) if *x >= 0.0 && x.fract() == 0.0 => Ok(*x as u64),
                    _ => bail!(
                        "{}: a count of people (a whole number) is needed",
                        where_(i, col)
                    ),
                }
            };
            out.push(GroupCounts {
                group: g.clone(),
                applicants: count(a, app_col)?,
                selected: count(s, selected)?,
            });
        }
        return Ok(out);
    }
    let sel = csv.text_column(selected).map_err(|e| anyhow!(e))?;
    let mut flags = Vec::with_capacity(sel.len());
    for (i, s) in sel.iter().enumerate() {
        match s.as_deref().and_then(parse_bool) {
            Some(b) => flags.push(b),
            None => bail!(
                "{}: \"{}\" is not a selection outcome (use 1/0, yes/no, true/false, pass/fail)",
                where_(i, selected),
                s.as_deref().unwrap_or("")
            ),
        }
    }
    Ok(count_groups(groups.iter().map(String::as_str).zip(flags)))
}

/// Turns a statistics error into a message naming the file and, where known, the line.
fn explain(e: StatsError, csv: &CsvTable) -> anyhow::Error {
    let row = match &e {
        StatsError::RaggedRow { row, .. }
        | StatsError::NonFinite { row, .. }
        | StatsError::InvalidValue { row, .. } => Some(*row),
        _ => None,
    };
    match row {
        // the statistics error already names the data row and column; add the file line
        Some(r) => anyhow!(
            "{}: line {}: {e}",
            csv.source_name(),
            csv.line_of_row(r).unwrap_or(0)
        ),
        None => anyhow!("{}: {e}", csv.source_name()),
    }
}

// ---------------------------------------------------------------------------------------------
// output

fn emit<T: Serialize>(
    format: Format,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<ExitCode> {
    emit_value(
        format,
        serde_json::to_value(value).context("serialising the result")?,
        text,
    )
}

fn emit_value(format: Format, value: Value, text: impl FnOnce() -> String) -> Result<ExitCode> {
    let out = match format {
        Format::Json => serde_json::to_string_pretty(&value)? + "\n",
        Format::Text => text(),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // a reader that stops early (`| head`) is not an error
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("writing the result")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

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
