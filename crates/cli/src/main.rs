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
    // The help text is the doc comment of `cmd::generate::Args` (a doc comment here would
    // replace its long description).
    Generate(Box<cmd::generate::Args>),
    /// Browse the competency catalogues (the OPM AI Competency Model is built in).
    Catalog(cmd::catalog::Args),
    /// Check a framework file against good practice: overlaps, vague indicators, levels, counts.
    Lint(cmd::lint::Args),
    /// Suggest competencies for many roles at once (JSON Lines in, JSON Lines out).
    Suggest(cmd::suggest::Args),
    /// Check that a framework file can be read: syntax, ids, references, levels, cycles.
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
        Command::Lint(args) => cmd::lint::run(args),
        Command::Suggest(args) => cmd::suggest::run(args),
        Command::Validate(args) => cmd::validate::run(args),
        Command::Stats(args) => cmd::stats::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Admin(args) => cmd::admin::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => exit::report(&error),
    }
}
