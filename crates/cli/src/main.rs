//! The `framewright` command-line program: one front door to every Framewright operation.
//!
//! Each family of commands lives in its own module under `cmd/` and exposes an `Args` type
//! (clap derive) and a `run` function returning the process exit status. Exit statuses are
//! shared by all commands: see [`exit`].

mod cmd;
mod exit;
mod framework_file;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Framewright builds, checks and publishes competency frameworks.
///
/// Start with `framewright generate --title "Machine Learning Engineer" --grade GS-13` to draft a
/// framework for a role, or `framewright catalog list` to see the competency catalogues that come
/// with Framewright. Every command has its own help: `framewright <command> --help`.
#[derive(Debug, Parser)]
#[command(name = "framewright", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    // Each command's help text is the doc comment of its `Args` (a doc comment on a variant
    // would replace the long description).
    Generate(Box<cmd::generate::Args>),
    Catalog(cmd::catalog::Args),
    /// Assessment and selection: blueprint, cut scores, category rating, direct-hire passing
    /// grade, adverse impact.
    Hiring(cmd::hiring::Args),
    /// Job analysis with subject-matter experts: critical tasks and competencies, and the
    /// documentation report.
    JobAnalysis(cmd::job_analysis::Args),
    /// Write a framework as a CASE package, an editable spreadsheet, a PDF or Word document.
    Export(cmd::export::Args),
    /// Bring in catalogues (ESCO, O*NET, NICE, SFIA, your own list) and frameworks (CASE,
    /// spreadsheets) from other systems.
    Import(cmd::import::Args),
    Lint(cmd::lint::Args),
    Onet(cmd::onet::Args),
    Models(cmd::models::Args),
    Suggest(cmd::suggest::Args),
    Validate(cmd::validate::Args),
    /// Statistics on assessment and rating data: reliability, rater agreement, factor analysis,
    /// item calibration, adverse impact, DIF and cut scores.
    ///
    /// Every command reads a CSV file with a header row: one row per person (or per rated
    /// target, or per judge) and one column per item (or per rater). Empty cells, NA and N/A are
    /// missing values; 0 is a real answer. Use --columns to pick columns and --skip to leave some
    /// out (an id column, for example). Add --format json for a machine-readable result. Each
    /// command's --help says what the statistic is for and how to read it; docs/statistics.md
    /// has the formulas.
    Stats(cmd::stats::Args),
    Gaps(Box<cmd::people::GapsArgs>),
    CareerPath(cmd::people::CareerPathArgs),
    /// Run the Framewright server (API, documentation and web pages) on this computer.
    Serve(cmd::serve::Args),
    /// Manage the server's accounts from the command line.
    Admin(cmd::admin::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: anyhow::Result<ExitCode> = match cli.command {
        Command::Generate(args) => cmd::generate::run(*args),
        Command::Catalog(args) => cmd::catalog::run(args),
        Command::Hiring(args) => cmd::hiring::run(args),
        Command::JobAnalysis(args) => cmd::job_analysis::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Lint(args) => cmd::lint::run(args),
        Command::Onet(args) => cmd::onet::run(args),
        Command::Models(args) => cmd::models::run(args),
        Command::Suggest(args) => cmd::suggest::run(args),
        Command::Validate(args) => cmd::validate::run(args),
        Command::Stats(args) => cmd::stats::run(args),
        Command::Gaps(args) => cmd::people::run_gaps(*args),
        Command::CareerPath(args) => cmd::people::run_career_path(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Admin(args) => cmd::admin::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => exit::report(&error),
    }
}
