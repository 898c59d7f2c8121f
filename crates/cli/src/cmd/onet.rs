//! `framewright onet`: the O*NET importance ratings that turn the built-in O*NET occupations
//! into evidence for `generate` (see docs/generator.md, "Evidence from O*NET").

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, Subcommand};
use framewright_interop::library;

use crate::cmd::import::{Bar, DataDirArgs};

const ONET_HELP: &str = "\
Framewright ships the O*NET occupations (titles, descriptions, tasks) but not O*NET's importance \
ratings. Download the database's text files from the O*NET Resource Center \
(https://www.onetcenter.org/database.html, \"Text\" format, for example db_29_2_text.zip) and \
install them once; `generate` then cites what the ratings of the occupations closest to the role \
say about each competency (\"O*NET rates Critical Thinking 4.1 of 5 for …\").

Examples:
  framewright onet install ~/Downloads/db_29_2_text.zip --release 29.2
  framewright onet install ~/Downloads/db_29_2_text
  framewright onet status";

/// O*NET importance ratings as evidence for generate: install them from the official files.
#[derive(Debug, ClapArgs)]
#[command(after_help = ONET_HELP)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read the importance ratings (Skills.txt, Abilities.txt, Knowledge.txt, Work Styles.txt)
    /// of an O*NET database text download — its folder or zip — and keep them in the data
    /// folder. Replaces ratings installed before; nothing changes unless every file reads.
    Install(InstallArgs),
    /// Say whether ratings are installed, and how many.
    Status(DataDirArgs),
}

#[derive(Debug, ClapArgs)]
struct InstallArgs {
    /// The folder or zip of the O*NET database text download.
    path: PathBuf,
    /// The O*NET release (for example 29.2); recorded with the ratings and their attribution.
    #[arg(long, value_name = "VERSION")]
    release: Option<String>,
    /// Do not show a progress bar.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    data: DataDirArgs,
}

/// The data folder these options point at.
pub(crate) fn data_dir(args: &DataDirArgs) -> PathBuf {
    args.data_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from(library::DEFAULT_DATA_DIR))
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::Install(a) => {
            let mut bar = Bar::new(a.quiet);
            let (read, stored) = framewright_app::generate::install_onet_ratings(
                &a.path,
                a.release.clone(),
                &data_dir(&a.data),
                &mut bar,
            )?;
            for warning in &read.warnings {
                eprintln!("warning: {warning}");
            }
            println!(
                "Installed {} O*NET importance ratings of {} occupations from {} ({} suppressed ratings left out) in {}.",
                read.count(),
                read.ratings.occupations.len(),
                read.files.join(", "),
                read.suppressed,
                stored.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Status(d) => {
            let dir = data_dir(&d);
            let ratings = framewright_interop::catalogue::onet_ratings::installed(&dir)
                .with_context(|| format!("reading the O*NET ratings in {}", dir.display()))?;
            match ratings {
                Some(r) => println!(
                    "O*NET importance ratings{} are installed: {} ratings of {} occupations.",
                    r.release
                        .as_ref()
                        .map_or(String::new(), |v| format!(" (release {v})")),
                    r.occupations.values().map(|t| t.len()).sum::<usize>(),
                    r.occupations.len()
                ),
                None => println!(
                    "No O*NET importance ratings are installed in {}: `generate` names the closest O*NET occupations but takes no evidence from them. Install them with `framewright onet install PATH`.",
                    dir.display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
