//! `framewright validate`: is this a usable framework file?

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args as ClapArgs;

use crate::exit;
use crate::framework_file;

/// Check that a framework file can be read: correct syntax, no duplicate ids, no reference to a
/// competency that does not exist, levels inside the proficiency scale, no circular relations.
///
/// Prints every problem with its line and field, and ends with status 2 if there are any.
/// For advice on the quality of the content, use `framewright lint`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The framework file (.toml or .json).
    file: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let source = framework_file::read_source(&args.file)?;
    match framewright_model::file::read_framework(&source.text, source.format) {
        Ok(f) => {
            println!(
                "{}: valid framework \"{}\" version {} — {} competencies ({} core, {} functional), {} role profiles",
                source.name,
                f.title,
                f.version,
                f.competencies.len(),
                f.core_count(),
                f.functional_count(),
                f.role_profiles.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            for problem in &e.problems {
                eprintln!("{}", framework_file::describe(&source.name, problem));
            }
            eprintln!(
                "{}: {} problem(s); the file was not accepted",
                source.name,
                e.problems.len()
            );
            Ok(ExitCode::from(exit::BAD_INPUT))
        }
    }
}
