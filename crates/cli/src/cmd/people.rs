//! `framewright gaps` and `framewright career-path`: a framework applied to people, on files
//! and without a server. The work is done by `framewright_app::people`; this module reads the
//! files, calls it and writes the answer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, ValueEnum};
use framewright_app::people::{self, GapsInput, InputFile};
use framewright_interop::people::report::{gaps_csv, gaps_html, gaps_xlsx};
use framewright_workforce::CurrentLevelPolicy;
use framewright_workforce::career::RoleChange;
use framewright_workforce::gap::MonthsPerLevel;
use framewright_workforce::record::ymd;
use framewright_workforce::team::AggregateOptions;

use crate::framework_file::{read_framework, write_atomically_with};

/// The formats `gaps` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GapsFormat {
    /// Everything, for other programs: every person's gaps, coverage, team figures, the policy.
    Json,
    /// A printable page for managers and HR.
    Html,
    /// One row per person and target, for a spreadsheet.
    Csv,
    /// A workbook: a heatmap of people × competencies coloured by levels to go, every gap, and
    /// coverage (needs -o).
    Xlsx,
}

const GAPS_HELP: &str = "\
The people file has a row per person: id, name, role (a role profile of the framework) and \
usually manager; unit, email and start_date are optional. The ratings file has a row per \
rating: person, competency, level, source (self, manager, peer, test or sme) and date \
(YYYY-MM-DD); assessor and evidence are optional. Write NO as the level when the rater had no \
chance to observe the competency. Both files may be CSV or Excel (.xlsx, first sheet).

By default a person's current level is their most recent manager or test rating (on the same \
day the test counts); self and peer ratings are shown beside it but never set it. A competency \
nobody has rated yet is \"not assessed\" and is never counted as zero. To use another rule, \
write it in a policy file (see docs/people.md), for example:

  name = \"average-of-raters\"
  method = \"mean\"
  sources = [\"manager\", \"peer\"]
  min_raters = 2
  expire_after_months = 24

If any row of either file is wrong, nothing is reported and every problem is listed with its \
file, line and column.

Examples:
  framewright gaps framework.toml --people people.csv --ratings ratings.csv
  framewright gaps framework.toml --people people.xlsx --ratings ratings.xlsx --format xlsx -o gaps.xlsx
  framewright gaps framework.toml --people people.csv --ratings ratings.csv --role analyst --format html -o gaps.html";

/// Compare people's current levels with the targets of their role: who is below, who meets,
/// what the next level asks of them, and how the team covers each competency.
#[derive(Debug, ClapArgs)]
#[command(after_help = GAPS_HELP)]
pub struct GapsArgs {
    /// The framework file (.toml or .json) whose role profiles hold the targets.
    framework: PathBuf,
    /// The people file (CSV or XLSX): id, name, role, manager, …
    #[arg(long, value_name = "FILE")]
    people: PathBuf,
    /// The ratings file (CSV or XLSX): person, competency, level, source, date, …
    #[arg(long, value_name = "FILE")]
    ratings: PathBuf,
    /// Only the people in this role profile (its id in the framework).
    #[arg(long, value_name = "ROLE")]
    role: Option<String>,
    /// A policy file (TOML) saying how ratings become a current level. Default: the most
    /// recent manager or test rating.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// What to write.
    #[arg(long, short = 'f', value_enum, default_value_t = GapsFormat::Json)]
    format: GapsFormat,
    /// The file to write (default: the screen; a workbook needs a file).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// The date the report is made for (YYYY-MM-DD; default today): later ratings are left
    /// out, and ratings expire counting from it.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// The time to develop one level, in months, as FROM-TO; used to estimate the time to
    /// reach each target.
    #[arg(long, value_name = "FROM-TO", default_value = "12-24")]
    months_per_level: String,
    /// Hide figures about groups smaller than --min-group-size, and the names in bench
    /// strength and single points of failure (for reports shared beyond HR).
    #[arg(long)]
    hide_small_groups: bool,
    /// The smallest group whose figures are shown with --hide-small-groups.
    #[arg(long, value_name = "N", default_value_t = 5)]
    min_group_size: usize,
    /// In JSON, add to each gap the ratings that set the current level (`basis`) and the self
    /// and peer ratings shown beside it (`beside`). The other formats always show them.
    #[arg(long)]
    detail: bool,
    /// Indent the JSON for reading (it is written on one line by default, which is much
    /// smaller for many people).
    #[arg(long)]
    pretty: bool,
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("could not read {}", path.display()))
}

fn months(text: &str) -> Result<MonthsPerLevel> {
    let parse = || -> Option<MonthsPerLevel> {
        let (a, b) = text.split_once('-').unwrap_or((text, text));
        Some(MonthsPerLevel {
            min: a.trim().parse().ok()?,
            max: b.trim().parse().ok()?,
        })
    };
    match parse() {
        Some(m) if m.min >= 1 && m.min <= m.max => Ok(m),
        _ => bail!(
            "--months-per-level `{text}` is not a range of months; write it as 12-24 (at least 1, the first not above the second)"
        ),
    }
}

/// Runs `framewright gaps`.
pub fn run_gaps(args: GapsArgs) -> Result<ExitCode> {
    let framework = read_framework(&args.framework)?;
    if args.format == GapsFormat::Xlsx && args.output.is_none() {
        bail!("a workbook cannot be shown on the screen; give the file to write with -o gaps.xlsx");
    }
    let policy = match &args.policy {
        Some(path) => {
            let bytes = read_bytes(path)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{}: the file is not UTF-8 text", path.display()))?;
            people::policy_from_toml(&path.display().to_string(), &text)?
        }
        None => CurrentLevelPolicy::default(),
    };
    let as_of = match &args.as_of {
        Some(text) => ymd::parse(text)
            .with_context(|| format!("--as-of `{text}` is not a date; write it as YYYY-MM-DD"))?,
        None => time::OffsetDateTime::now_utc().date(),
    };
    let people_name = args.people.display().to_string();
    let ratings_name = args.ratings.display().to_string();
    let people_bytes = read_bytes(&args.people)?;
    let ratings_bytes = read_bytes(&args.ratings)?;
    let input = GapsInput {
        framework: &framework,
        people: InputFile {
            name: &people_name,
            bytes: &people_bytes,
        },
        ratings: InputFile {
            name: &ratings_name,
            bytes: &ratings_bytes,
        },
        role: args.role.clone(),
        policy,
        as_of,
        months: months(&args.months_per_level)?,
        aggregate: AggregateOptions {
            min_group_size: args.min_group_size,
            suppress_small_groups: args.hide_small_groups,
        },
        detail: args.detail || args.format != GapsFormat::Json,
    };
    let report = people::gaps(&input)?;
    let bytes = match args.format {
        GapsFormat::Json => {
            // Streamed: the JSON for many people is large, so it is not built in memory first.
            let pretty = args.pretty;
            return emit_with(args.output.as_deref(), args.force, |out| {
                if pretty {
                    serde_json::to_writer_pretty(&mut *out, &report)?;
                } else {
                    serde_json::to_writer(&mut *out, &report)?;
                }
                out.write_all(b"\n")?;
                Ok(())
            });
        }
        GapsFormat::Html => gaps_html(&framework, &report).into_bytes(),
        GapsFormat::Csv => gaps_csv(&report).into_bytes(),
        GapsFormat::Xlsx => gaps_xlsx(&framework, &report).context("writing the workbook")?,
    };
    emit(args.output.as_deref(), args.force, &bytes)
}

fn emit(output: Option<&Path>, force: bool, bytes: &[u8]) -> Result<ExitCode> {
    emit_with(output, force, |out| Ok(out.write_all(bytes)?))
}

/// Writes what `write` writes to `output` (replaced only when complete) or to the screen.
fn emit_with(
    output: Option<&Path>,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<ExitCode> {
    match output {
        Some(path) => {
            if path.exists() && !force {
                bail!(
                    "{} exists already; choose another file with -o, or add --force to replace it",
                    path.display()
                );
            }
            write_atomically_with(path, write)?;
        }
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut stdout).context("writing to the screen")?;
            stdout.flush().context("writing to the screen")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The formats `career-path` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PathFormat {
    /// Plain text to read.
    Text,
    /// JSON for other programs.
    Json,
}

/// Show what changes from one role profile to another — a step up a ladder (GS-12 to GS-13)
/// or a move to another role: competencies added and dropped, targets raised or lowered, and
/// what the higher levels ask for.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "Example:\n  framewright career-path framework.toml --from analyst --to lead"
)]
pub struct CareerPathArgs {
    /// The framework file (.toml or .json).
    framework: PathBuf,
    /// The role profile a person is in now (its id).
    #[arg(long, value_name = "ROLE")]
    from: String,
    /// The role profile they move to (its id).
    #[arg(long, value_name = "ROLE")]
    to: String,
    /// What to write.
    #[arg(long, short = 'f', value_enum, default_value_t = PathFormat::Text)]
    format: PathFormat,
}

/// Runs `framewright career-path`.
pub fn run_career_path(args: CareerPathArgs) -> Result<ExitCode> {
    let framework = read_framework(&args.framework)?;
    let change = people::career_path(&framework, &args.from, &args.to)?;
    let text = match args.format {
        PathFormat::Json => format!("{}\n", serde_json::to_string_pretty(&change)?),
        PathFormat::Text => career_text(&framework, &change),
    };
    emit(None, false, text.as_bytes())
}

fn career_text(framework: &framewright_model::Framework, c: &RoleChange) -> String {
    let level = |l: u8| {
        framework
            .scale
            .level(l)
            .map_or_else(|| format!("level {l}"), |x| format!("{} ({l})", x.name))
    };
    let mut out = format!("From {} to {}\n", c.from_title, c.to_title);
    let steps = |out: &mut String, levels: &[framewright_workforce::NextLevel]| {
        for l in levels {
            for i in &l.indicators {
                out.push_str(&format!("    - {i}\n"));
            }
        }
    };
    if !c.added.is_empty() {
        out.push_str("\nNew competencies:\n");
        for a in &c.added {
            out.push_str(&format!("  {}: needed at {}\n", a.name, level(a.target)));
            steps(&mut out, &a.levels);
        }
    }
    if !c.changed.is_empty() {
        out.push_str("\nTargets that change:\n");
        for t in &c.changed {
            let word = if t.to > t.from { "raised" } else { "lowered" };
            out.push_str(&format!(
                "  {}: {word} from {} to {}\n",
                t.name,
                level(t.from),
                level(t.to)
            ));
            steps(&mut out, &t.levels);
        }
    }
    if !c.removed.is_empty() {
        out.push_str("\nNo longer needed:\n");
        for r in &c.removed {
            out.push_str(&format!("  {} (was {})\n", r.name, level(r.target)));
        }
    }
    if !c.unchanged.is_empty() {
        let names: Vec<String> = c
            .unchanged
            .iter()
            .map(|id| {
                framework
                    .competency(id)
                    .map_or_else(|| id.clone(), |x| x.name.clone())
            })
            .collect();
        out.push_str(&format!("\nUnchanged: {}\n", names.join(", ")));
    }
    if c.added.is_empty() && c.changed.is_empty() && c.removed.is_empty() {
        out.push_str("\nThe two roles ask for the same competencies at the same levels.\n");
    }
    out
}
