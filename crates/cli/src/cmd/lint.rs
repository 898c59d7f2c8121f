//! `framewright lint`: quality findings on a framework file, with codes, severities, lines and
//! suggestions.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args as ClapArgs, ValueEnum};
use framewright_model::file::{self, FileFormat};
use framewright_model::lint::{self, Finding, LintLimits, Severity};
use serde_json::json;

use crate::exit;
use crate::framework_file;

/// Check a framework against good practice and say what to improve.
///
/// Lint looks for: too few or too many competencies (6–12 is usual: 3–5 core, 3–7 functional);
/// competencies that overlap; competencies without a definition; levels that are missing, repeat
/// or do not progress; behavioural indicators that are vague ("good", "various", "etc."), that do
/// not start with an observable action verb, or that hold more than one behaviour; the same
/// indicator on two levels; role-profile targets outside the scale; relations that go in a circle
/// or point nowhere.
///
/// Every finding has a code, a severity (error, warning, info), the line and field, and a
/// suggestion. Exit status: 0 when there are no errors, 1 when there are errors (or warnings with
/// --strict), 2 when the file cannot be read as a framework at all.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The framework files (.toml or .json).
    #[arg(required_unless_present = "rules")]
    files: Vec<PathBuf>,
    /// How to print findings: text for reading, json for other programs.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Treat warnings as errors (exit status 1 when there are any).
    #[arg(long)]
    strict: bool,
    /// List every rule lint applies, with its code and severity, and stop.
    #[arg(long)]
    rules: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.rules {
        print_rules();
        return Ok(ExitCode::SUCCESS);
    }
    let vocabulary =
        framewright_catalog::builtin_vocabulary().context("loading the lint vocabulary")?;
    let mut reports = Vec::new();
    let mut worst = 0u8;
    for path in &args.files {
        let (status, report) = lint_file(path, &vocabulary, args.format, args.strict)?;
        worst = worst.max(status);
        reports.extend(report);
    }
    if matches!(args.format, Format::Json) {
        let value = if reports.len() == 1 {
            reports.remove(0)
        } else {
            serde_json::Value::Array(reports)
        };
        println!("{}", serde_json::to_string_pretty(&value)?);
    }
    Ok(ExitCode::from(worst))
}

/// Lints one file: its exit status, and its JSON report when the format is JSON.
fn lint_file(
    path: &std::path::Path,
    vocabulary: &lint::Vocabulary,
    format: Format,
    strict: bool,
) -> Result<(u8, Option<serde_json::Value>)> {
    let source = framework_file::read_source(path)?;
    let framework = match file::parse_framework(&source.text, source.format) {
        Ok(f) => f,
        Err(problem) => {
            return Ok(match format {
                Format::Json => (
                    exit::BAD_INPUT,
                    Some(json!({"file": source.name, "readable": false, "problems": [problem]})),
                ),
                Format::Text => {
                    eprintln!("{}", framework_file::describe(&source.name, &problem));
                    (exit::BAD_INPUT, None)
                }
            });
        }
    };
    let findings = lint::lint(&framework, vocabulary, &LintLimits::default());
    let structural = !framewright_model::validate::problems(&framework).is_empty();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let status = if structural {
        exit::BAD_INPUT
    } else if errors > 0 || (strict && warnings > 0) {
        exit::FINDINGS
    } else {
        0
    };
    match format {
        Format::Json => {
            let items: Vec<_> = findings
                .iter()
                .map(|f| finding_json(&source.text, source.format, f))
                .collect();
            Ok((
                status,
                Some(json!({
                    "file": source.name,
                    "readable": true,
                    "valid": !structural,
                    "summary": {"errors": errors, "warnings": warnings, "info": infos},
                    "findings": items,
                })),
            ))
        }
        Format::Text => {
            for f in &findings {
                println!(
                    "{}",
                    finding_text(&source.name, &source.text, source.format, f)
                );
            }
            println!(
                "{}: {errors} error(s), {warnings} warning(s), {infos} note(s) in \"{}\"",
                source.name, framework.title
            );
            Ok((status, None))
        }
    }
}

/// Prints the rules table (`--rules`).
fn print_rules() {
    for (code, severity, what) in lint::RULES {
        println!("{code:<24} {:<8} {what}", severity.as_str());
    }
}

fn finding_json(text: &str, format: FileFormat, f: &Finding) -> serde_json::Value {
    let (line, column) = file::locate(text, format, &f.path).unzip();
    json!({
        "code": f.code,
        "severity": f.severity,
        "line": line,
        "column": column,
        "path": f.path.to_string(),
        "pointer": f.path.json_pointer(),
        "message": f.message,
        "suggestion": f.suggestion,
    })
}

fn finding_text(name: &str, text: &str, format: FileFormat, f: &Finding) -> String {
    let location = match file::locate(text, format, &f.path) {
        Some((line, column)) => format!("{name}:{line}:{column}"),
        None => name.to_string(),
    };
    let mut out = format!(
        "{location}: {} [{}] {}",
        f.severity.as_str(),
        f.code,
        f.message
    );
    if !f.path.is_root() {
        out.push_str(&format!("\n    field: {}", f.path));
    }
    if let Some(s) = &f.suggestion {
        out.push_str(&format!("\n    suggestion: {s}"));
    }
    out
}
