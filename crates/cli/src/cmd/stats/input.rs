//! From a CSV file to the input of a statistics operation, and from the operation's errors back
//! to the file: a pointer into the data (`/rows/4/2`) becomes the file's line, an option's
//! pointer (`/factors`) the command-line option.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use framewright_app::AppError;
use framewright_app::stats::{AdverseImpactBody, Applicant, Cell, GroupCount, Person, data_row};
use framewright_interop::table::{CsvTable, TableError};

use super::Input;

/// Reads a CSV file.
pub(super) fn read_csv(path: &Path) -> Result<CsvTable> {
    CsvTable::read(path).map_err(|e| anyhow!(e))
}

/// The columns the user chose: --columns, else every column not in --skip.
pub(super) fn chosen_columns(csv: &CsvTable, input: &Input) -> Result<Vec<String>> {
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

/// The numeric rows of the chosen columns.
type Numbers = (CsvTable, Vec<String>, Vec<Vec<Option<f64>>>);

/// Reads the file and the chosen columns as numbers.
pub(super) fn load(input: &Input) -> Result<Numbers> {
    let csv = read_csv(&input.file)?;
    let columns = chosen_columns(&csv, input)?;
    let n = csv.numeric(&columns).map_err(|e| anyhow!(e))?;
    Ok((csv, n.columns, n.rows))
}

/// Category columns: numbers when every cell is a number, otherwise every cell as a word (the
/// operation codes words in sorted order, and refuses them where the statistic needs numbers).
pub(super) fn categorical(csv: &CsvTable, columns: &[String]) -> Result<Vec<Vec<Option<Cell>>>> {
    match csv.numeric(columns) {
        Ok(n) => Ok(n
            .rows
            .into_iter()
            .map(|row| row.into_iter().map(|v| v.map(Cell::Number)).collect())
            .collect()),
        Err(TableError::NotNumeric { .. }) => {
            let text: Vec<Vec<Option<String>>> = columns
                .iter()
                .map(|c| csv.text_column(c))
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow!(e))?;
            Ok((0..csv.n_rows())
                .map(|r| {
                    text.iter()
                        .map(|col| col[r].clone().map(Cell::Label))
                        .collect()
                })
                .collect())
        }
        Err(e) => Err(anyhow!(e)),
    }
}

/// Where data row `i` (0-based) is: the file, its line, the data row and the column.
fn place(csv: &CsvTable, i: usize, column: &str) -> String {
    format!(
        "{}: line {} (data row {}), column \"{column}\"",
        csv.source_name(),
        csv.line_of_row(i + 1).unwrap_or(0),
        i + 1
    )
}

/// Each row's group, from the group column (every row needs one).
pub(super) fn groups(csv: &CsvTable, column: &str) -> Result<Vec<String>> {
    let labels = csv.text_column(column).map_err(|e| anyhow!(e))?;
    labels
        .into_iter()
        .enumerate()
        .map(|(i, g)| g.ok_or_else(|| anyhow!("{}: the group is missing", place(csv, i, column))))
        .collect()
}

/// A yes/no cell.
fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "yes" | "y" | "true" | "t" | "selected" | "pass" | "passed" | "hired" => Some(true),
        "0" | "no" | "n" | "false" | "f" | "rejected" | "fail" | "failed" | "not selected" => {
            Some(false)
        }
        _ => None,
    }
}

/// Applicants, from one row per applicant, or counts per group from one row per group.
pub(super) fn applicant_groups(
    csv: &CsvTable,
    group: &str,
    selected: &str,
    applicants: Option<&str>,
) -> Result<AdverseImpactBody> {
    let groups = groups(csv, group)?;
    if let Some(app_col) = applicants {
        let apps = csv.numeric_column(app_col).map_err(|e| anyhow!(e))?;
        let sels = csv.numeric_column(selected).map_err(|e| anyhow!(e))?;
        let mut out = Vec::new();
        for (i, ((g, a), s)) in groups.into_iter().zip(&apps).zip(&sels).enumerate() {
            let count = |v: &Option<f64>, col: &str| -> Result<u64> {
                match v {
                    Some(x) if *x >= 0.0 && x.fract() == 0.0 => Ok(*x as u64),
                    _ => bail!(
                        "{}: a count of people (a whole number) is needed",
                        place(csv, i, col)
                    ),
                }
            };
            out.push(GroupCount {
                group: g,
                applicants: count(a, app_col)?,
                selected: count(s, selected)?,
            });
        }
        return Ok(AdverseImpactBody {
            applicants: None,
            groups: Some(out),
            threshold: None,
        });
    }
    let flags = csv.text_column(selected).map_err(|e| anyhow!(e))?;
    let mut out = Vec::with_capacity(flags.len());
    for (i, (g, s)) in groups.into_iter().zip(&flags).enumerate() {
        match s.as_deref().and_then(parse_bool) {
            Some(b) => out.push(Applicant {
                group: g,
                selected: b,
            }),
            None => bail!(
                "{}: \"{}\" is not a selection outcome (use 1/0, yes/no, true/false, pass/fail)",
                place(csv, i, selected),
                s.as_deref().unwrap_or("")
            ),
        }
    }
    Ok(AdverseImpactBody {
        applicants: Some(out),
        groups: None,
        threshold: None,
    })
}

/// The people of a contrasting-groups study: a score and a yes/no judgement each.
pub(super) fn people(csv: &CsvTable, score: &str, competent: &str) -> Result<Vec<Person>> {
    let scores = csv.numeric_column(score).map_err(|e| anyhow!(e))?;
    let judged = csv.text_column(competent).map_err(|e| anyhow!(e))?;
    let mut people = Vec::with_capacity(scores.len());
    for (i, (s, j)) in scores.iter().zip(&judged).enumerate() {
        let score = s.ok_or_else(|| anyhow!("{}: the score is missing", place(csv, i, score)))?;
        let competent = j.as_deref().and_then(parse_bool).ok_or_else(|| {
            anyhow!(
                "{}: \"{}\" is not yes/no (use 1/0, yes/no, true/false)",
                place(csv, i, competent),
                j.as_deref().unwrap_or("")
            )
        })?;
        people.push(Person { score, competent });
    }
    Ok(people)
}

/// An operation's error in terms of the file: the line of the data row at fault, or the
/// command-line option (`/quadrature_points` is `--quadrature-points`).
pub(super) fn explain(e: AppError, csv: &CsvTable) -> anyhow::Error {
    let AppError::Invalid { detail, issues } = e else {
        return anyhow!(e);
    };
    let file = csv.source_name();
    let Some(issue) = issues.first() else {
        return anyhow!("{file}: {detail}");
    };
    if let Some(row) = data_row(&issue.pointer) {
        // the issue already names the data row and column; add the file line
        let line = csv.line_of_row(row + 1).unwrap_or(0);
        return anyhow!("{file}: line {line}: {}", issue.detail);
    }
    let data = ["/rows", "/columns", "/groups", "/people"];
    if data.iter().any(|d| issue.pointer.starts_with(d)) {
        return anyhow!("{file}: {}", issue.detail);
    }
    let option = format!(
        "--{}",
        issue.pointer.trim_start_matches('/').replace('_', "-")
    );
    match detail.strip_prefix(&format!("{}:", issue.pointer)) {
        Some(rest) => anyhow!("{option}:{rest}"),
        None => anyhow!("{option}: {detail}"),
    }
}
