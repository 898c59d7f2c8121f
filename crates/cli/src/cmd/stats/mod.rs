//! `framewright stats`: reliability, rater agreement, factor analysis, item calibration, adverse
//! impact, DIF and cut scores on CSV data (a header row, one row per person or target, one
//! column per item or rater). Each command reads its file into the input of the operation in
//! [`framewright_app::stats`] (the one `POST /api/v1/stats/…` runs), calls it, and prints a
//! readable report ([`report`]), or the result as JSON with `--format json`.

mod input;
mod report;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use framewright_app::stats::{
    self, AlphaBody, AngoffBody, ContrastingGroupsBody, DifBody, EfaBody, ExtractionArg, Factors,
    FleissBody, IccBody, IrtBody, KappaBody, KrippendorffBody, Level, Missing, ModelArg, OmegaBody,
    RotationArg, RwgBody, Weights,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use input::{categorical, explain, load, read_csv};

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
        #[arg(long, value_parser = choice::<Missing>(&["listwise", "pairwise"]), default_value = "listwise")]
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
        #[arg(long, value_parser = choice::<Missing>(&["listwise", "pairwise"]), default_value = "listwise")]
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
        #[arg(long, value_parser = choice::<Weights>(&["none", "linear", "quadratic"]), default_value = "none")]
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
        #[arg(long, value_parser = choice::<Level>(&["nominal", "ordinal", "interval", "ratio"]))]
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
        #[arg(long, value_parser = choice::<ExtractionArg>(&["minres", "pa", "ml"]), default_value = "minres")]
        method: ExtractionArg,
        /// Rotation: varimax keeps factors uncorrelated; promax and oblimin let them correlate
        /// (usual for competencies).
        #[arg(long, value_parser = choice::<RotationArg>(&["varimax", "promax", "oblimin", "none"]), default_value = "promax")]
        rotation: RotationArg,
        /// Missing answers: listwise or pairwise.
        #[arg(long, value_parser = choice::<Missing>(&["listwise", "pairwise"]), default_value = "listwise")]
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
        #[arg(long, value_parser = choice::<ModelArg>(&["rasch", "2pl"]), default_value = "2pl")]
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

/// A value parser for one of `names`, read as the app's option type (whose serde names they
/// are), so the CLI and the API accept the same words.
fn choice<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(names.iter().copied())
        .try_map(|name| serde_json::from_value::<T>(serde_json::Value::String(name)))
}

/// Runs a `stats` subcommand.
pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Alpha {
            input,
            missing,
            confidence,
        } => {
            let (csv, columns, rows) = load(&input)?;
            let body = AlphaBody {
                columns: Some(columns),
                rows,
                missing,
                confidence: Some(confidence),
            };
            let r = stats::alpha(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::alpha(&r, &csv))
        }
        Command::Omega { input, missing } => {
            let (csv, columns, rows) = load(&input)?;
            let body = OmegaBody {
                columns: Some(columns),
                rows,
                missing,
            };
            let r = stats::omega(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::omega(&r, &csv))
        }
        Command::Icc { input, confidence } => {
            let (csv, columns, rows) = load(&input)?;
            let body = IccBody {
                columns: Some(columns),
                rows,
                confidence: Some(confidence),
            };
            let r = stats::icc(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::icc(&r, &csv, confidence))
        }
        Command::Kappa {
            input,
            raters,
            weights,
        } => kappa(input, raters, weights),
        Command::Fleiss { input } => {
            let csv = read_csv(&input.file)?;
            let columns = input::chosen_columns(&csv, &input)?;
            let body = FleissBody {
                rows: categorical(&csv, &columns)?,
                columns: Some(columns),
            };
            let r = stats::fleiss(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::fleiss(&r, &csv))
        }
        Command::Krippendorff { input, level } => {
            let csv = read_csv(&input.file)?;
            let columns = input::chosen_columns(&csv, &input)?;
            let body = KrippendorffBody {
                rows: categorical(&csv, &columns)?,
                columns: Some(columns),
                level,
            };
            let r = stats::krippendorff(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::krippendorff(&r, &csv))
        }
        Command::Rwg { input, options } => {
            let (csv, columns, rows) = load(&input)?;
            let n_rows = rows.len();
            let body = RwgBody {
                columns: Some(columns),
                rows,
                options,
            };
            let r = stats::rwg(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::rwg(&r, &csv, n_rows))
        }
        command => run_more(command),
    }
}

/// The subcommands with more options than data (factor analysis, IRT, fairness, cut scores).
fn run_more(command: Command) -> Result<ExitCode> {
    match command {
        Command::Efa {
            input,
            factors,
            method,
            rotation,
            missing,
            seed,
            iterations,
        } => {
            let (csv, columns, rows) = load(&input)?;
            let body = EfaBody {
                columns: Some(columns),
                rows,
                factors: Some(Factors::Auto(factors)),
                method,
                rotation,
                missing,
                seed: Some(seed),
                iterations: Some(iterations),
            };
            let r = stats::efa(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::efa(&r, &csv))
        }
        Command::Irt {
            input,
            model,
            persons,
            quadrature_points,
        } => {
            let (csv, columns, rows) = load(&input)?;
            let body = IrtBody {
                columns: Some(columns),
                rows,
                model,
                persons,
                quadrature_points: Some(quadrature_points),
            };
            let r = stats::irt(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::irt(&r, &csv))
        }
        Command::AdverseImpact {
            file,
            group,
            selected,
            applicants,
            threshold,
            format,
        } => adverse_impact(
            &file,
            &group,
            &selected,
            applicants.as_deref(),
            threshold,
            format,
        ),
        Command::Dif {
            input,
            group,
            focal,
            reference,
        } => dif(input, group, focal, reference),
        Command::Angoff {
            input,
            z,
            test_sd,
            reliability,
            expected_scores,
        } => {
            let (csv, columns, rows) = load(&input)?;
            let body = AngoffBody {
                columns: Some(columns),
                rows,
                z: Some(z),
                test_sd,
                reliability,
                expected_scores,
            };
            let r = stats::angoff(&body).map_err(|e| explain(e, &csv))?;
            emit(input.format, &r, || report::angoff(&r, &csv))
        }
        Command::ContrastingGroups {
            file,
            score,
            competent,
            false_pass_cost,
            format,
        } => contrasting_groups(&file, &score, &competent, false_pass_cost, format),
        // the data-only subcommands are run by `run`
        other => run(Args { command: other }),
    }
}

/// `stats adverse-impact`: one row per applicant, or counts per group with --applicants.
fn adverse_impact(
    file: &Path,
    group: &str,
    selected: &str,
    applicants: Option<&str>,
    threshold: f64,
    format: Format,
) -> Result<ExitCode> {
    let csv = read_csv(file)?;
    let mut body = input::applicant_groups(&csv, group, selected, applicants)?;
    body.threshold = Some(threshold);
    let r = stats::adverse_impact(&body).map_err(|e| explain(e, &csv))?;
    emit(format, &r, || report::adverse_impact(&r, &csv))
}

/// `stats contrasting-groups`: a score and an expert judgement per person.
fn contrasting_groups(
    file: &Path,
    score: &str,
    competent: &str,
    false_pass_cost: f64,
    format: Format,
) -> Result<ExitCode> {
    let csv = read_csv(file)?;
    let body = ContrastingGroupsBody {
        people: input::people(&csv, score, competent)?,
        false_pass_cost: Some(false_pass_cost),
    };
    let r = stats::contrasting_groups(&body).map_err(|e| explain(e, &csv))?;
    let n = body.people.len();
    emit(format, &r, || report::contrasting_groups(&r, &csv, n))
}

/// `stats kappa`: exactly two rater columns, named or the only two.
fn kappa(input: Input, raters: Vec<String>, weights: Weights) -> Result<ExitCode> {
    let csv = read_csv(&input.file)?;
    let columns = if raters.is_empty() {
        input::chosen_columns(&csv, &input)?
    } else {
        raters
    };
    if columns.len() != 2 {
        anyhow::bail!(
            "{}: Cohen's kappa compares exactly two raters; name them with --raters A,B (found {} columns: {})",
            csv.source_name(),
            columns.len(),
            columns.join(", ")
        );
    }
    let body = KappaBody {
        rows: categorical(&csv, &columns)?,
        columns: Some(columns),
        weights,
    };
    let r = stats::kappa(&body).map_err(|e| explain(e, &csv))?;
    emit(input.format, &r, || {
        report::kappa(&r, &csv, body.columns.as_deref().unwrap_or_default())
    })
}

/// `stats dif`: the item columns, and each row's group from the group column.
fn dif(input: Input, group: String, focal: String, reference: Option<String>) -> Result<ExitCode> {
    let csv = read_csv(&input.file)?;
    let groups = input::groups(&csv, &group)?;
    if !groups.contains(&focal) {
        anyhow::bail!(
            "{}: no row has \"{focal}\" in column \"{group}\"",
            csv.source_name()
        );
    }
    let mut columns = input::chosen_columns(&csv, &input)?;
    columns.retain(|c| c != &group);
    let numbers = csv.numeric(&columns).map_err(anyhow::Error::new)?;
    let body = DifBody {
        columns: Some(numbers.columns),
        rows: numbers.rows,
        groups,
        focal,
        reference,
    };
    let r = stats::dif(&body).map_err(|e| explain(e, &csv))?;
    emit(input.format, &r, || {
        report::dif(&r, &csv, &body.focal, body.reference.as_deref())
    })
}

/// Prints the result as JSON, or the readable report.
fn emit<T: Serialize>(
    format: Format,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<ExitCode> {
    let out = match format {
        Format::Json => {
            serde_json::to_string_pretty(value).context("serialising the result")? + "\n"
        }
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
