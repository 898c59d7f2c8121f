//! People operations shared by the front doors: the gap report from a people file and a
//! ratings file (`framewright gaps`, later the server's upload), the career path between two
//! role profiles (`framewright career-path`), and reading a current-level policy file.
//!
//! The files are read through `framewright_interop::people` and checked against the framework
//! with `framewright_workforce::validate`; every problem of both files is reported with its
//! file, line and column, and no report is made when any row is wrong.

use framewright_interop::Location;
use framewright_interop::people::{self as files, FileProblems, Located};
use framewright_model::Framework;
use framewright_model::framework::Date;
use framewright_workforce::career::{RoleChange, role_change};
use framewright_workforce::gap::MonthsPerLevel;
use framewright_workforce::report::{GapReport, ReportOptions, gap_report};
use framewright_workforce::team::AggregateOptions;
use framewright_workforce::validate::{Subject, validate};
use framewright_workforce::{AssessmentRecord, CurrentLevelPolicy, Person};

use crate::{AppError, AppResult, FieldIssue};

/// The stable code on every issue about a people or ratings file.
pub const FILE_PROBLEM: &str = "invalid-people-file";

/// A file the user supplied: its name as they know it and its bytes (CSV or XLSX).
#[derive(Debug, Clone, Copy)]
pub struct InputFile<'a> {
    /// The file name (a path, or the request field that held it).
    pub name: &'a str,
    /// The contents.
    pub bytes: &'a [u8],
}

/// What the gap report needs.
#[derive(Debug, Clone)]
pub struct GapsInput<'a> {
    /// The framework (a release: its version is named in the report).
    pub framework: &'a Framework,
    /// `id,name,role[,manager,unit,email,start_date]`.
    pub people: InputFile<'a>,
    /// `person,competency,level,source,date[,assessor,evidence,release]`.
    pub ratings: InputFile<'a>,
    /// Only the people in this role profile.
    pub role: Option<String>,
    /// The current-level policy (the default unless the user gave one).
    pub policy: CurrentLevelPolicy,
    /// The report's date (later ratings are ignored; expiry counts from it).
    pub as_of: Date,
    /// Months of development per level for time to target.
    pub months: MonthsPerLevel,
    /// Hiding small groups.
    pub aggregate: AggregateOptions,
    /// Whether each gap carries the ratings behind its current level and beside it (the
    /// printable formats show them; over many people they make the JSON much larger).
    pub detail: bool,
}

/// People and ratings read from their files and checked against the framework.
#[derive(Debug, Clone)]
pub struct Workforce {
    /// The people.
    pub people: Vec<Person>,
    /// The ratings.
    pub ratings: Vec<AssessmentRecord>,
}

/// One located problem as an issue of [`AppError::Invalid`].
fn issue(at: &Location, message: &str) -> FieldIssue {
    let mut pointer = format!("/{}", at.file.replace('~', "~0").replace('/', "~1"));
    if let Some(line) = at.line {
        pointer.push_str(&format!("/line/{line}"));
    }
    if let Some(c) = &at.column {
        pointer.push_str(&format!("/{}", c.replace('~', "~0").replace('/', "~1")));
    }
    FieldIssue {
        pointer,
        detail: format!("{at}: {message}"),
        code: Some(FILE_PROBLEM.to_string()),
    }
}

/// The error for problems in the files: one located error when there is one problem, every
/// problem as an issue otherwise.
fn file_error(mut problems: Vec<(Location, String)>, more: usize) -> AppError {
    if problems.len() == 1
        && more == 0
        && let Some((location, detail)) = problems.pop()
    {
        return AppError::InFile { location, detail };
    }
    let issues: Vec<FieldIssue> = problems.iter().map(|(at, m)| issue(at, m)).collect();
    let count = issues.len() + more;
    let mut detail =
        format!("the people and ratings files have {count} problems; nothing was used:");
    for i in &issues {
        detail.push_str(&format!("\n  {}", i.detail));
    }
    if more > 0 {
        detail.push_str(&format!("\n  … and {more} more"));
    }
    AppError::Invalid { detail, issues }
}

fn unpack(p: FileProblems) -> (Vec<(Location, String)>, usize) {
    (
        p.problems.into_iter().map(|e| (e.at, e.message)).collect(),
        p.more,
    )
}

/// Reads both files and checks them against `framework`; every problem of both files is
/// reported at once.
pub fn read_workforce(
    framework: &Framework,
    people: InputFile<'_>,
    ratings: InputFile<'_>,
) -> AppResult<Workforce> {
    let p = files::read_people(people.name, people.bytes);
    let r = files::read_ratings(ratings.name, ratings.bytes);
    let (p, r): (Located<Person>, Located<AssessmentRecord>) = match (p, r) {
        (Ok(p), Ok(r)) => (p, r),
        (p, r) => {
            let mut all = Vec::new();
            let mut more = 0;
            for e in [p.err(), r.err()].into_iter().flatten() {
                let (list, m) = unpack(e);
                all.extend(list);
                more += m;
            }
            return Err(file_error(all, more));
        }
    };
    let issues = validate(framework, &p.records, &r.records);
    if !issues.is_empty() {
        let max = files::MAX_PROBLEMS * 2;
        let more = issues.len().saturating_sub(max);
        let located = issues
            .into_iter()
            .take(max)
            .map(|i| {
                let at = match i.subject {
                    Subject::Person(n) => p.location(n, i.field),
                    Subject::Record(n) => r.location(n, i.field),
                };
                (at, i.message)
            })
            .collect();
        return Err(file_error(located, more));
    }
    Ok(Workforce {
        people: p.records,
        ratings: r.records,
    })
}

/// The gap report of the people in the files.
pub fn gaps(input: &GapsInput<'_>) -> AppResult<GapReport> {
    input
        .policy
        .check()
        .map_err(|e| AppError::field(format!("/policy/{}", e.field), e.message))?;
    if input.months.min == 0 || input.months.min > input.months.max {
        return Err(AppError::field(
            "/months_per_level",
            "months per level are two numbers, the first at least 1 and not above the second",
        ));
    }
    let workforce = read_workforce(input.framework, input.people, input.ratings)?;
    let options = ReportOptions {
        role: input.role.clone(),
        policy: input.policy.clone(),
        as_of: input.as_of,
        months: input.months,
        aggregate: input.aggregate,
        detail: input.detail,
    };
    gap_report(
        input.framework,
        &workforce.people,
        &workforce.ratings,
        &options,
    )
    .map_err(|e| AppError::field("/role", e.to_string()))
}

/// What changes from role profile `from` to `to`.
pub fn career_path(framework: &Framework, from: &str, to: &str) -> AppResult<RoleChange> {
    role_change(framework, from, to).map_err(|e| {
        let pointer = if e.id == from { "/from" } else { "/to" };
        AppError::field(pointer, e.to_string())
    })
}

/// A current-level policy from the text of a TOML file named `file` (the fields of
/// [`CurrentLevelPolicy`]; those left out keep the default's values).
pub fn policy_from_toml(file: &str, text: &str) -> AppResult<CurrentLevelPolicy> {
    let policy: CurrentLevelPolicy = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((None, None), |s| {
            let (l, c) = framewright_model::file::line_column(text, s.start);
            (Some(l as u64), Some(c.to_string()))
        });
        AppError::InFile {
            location: Location {
                file: file.to_string(),
                sheet: None,
                line,
                column,
            },
            detail: format!("the policy cannot be read: {}", e.message()),
        }
    })?;
    policy.check().map_err(|e| AppError::InFile {
        location: Location::file(file).with_column(e.field),
        detail: e.message,
    })?;
    Ok(policy)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use framewright_workforce::policy::Method;
    use framewright_workforce::record::Source;

    #[test]
    fn a_policy_file_sets_what_it_names_and_keeps_the_rest() {
        let p = policy_from_toml(
            "p.toml",
            "name = \"w\"\nmethod = \"weighted\"\nsources = [\"test\", \"manager\", \"peer\"]\n[weights]\ntest = 2\npeer = 0.5\n",
        )
        .unwrap();
        assert_eq!(p.method, Method::Weighted);
        assert_eq!(p.weight(Source::Test), 2.0);
        assert_eq!(p.weight(Source::Manager), 1.0);
        assert_eq!(p.min_raters, 1);
        let e = policy_from_toml("p.toml", "name = \"x\"\nmethod = \"median\"\n").unwrap_err();
        assert!(
            e.to_string().starts_with("p.toml, line 2, column `10`"),
            "{e}"
        );
        let e = policy_from_toml("p.toml", "name = \"x\"\nmin_raters = 0\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.toml, column `min_raters`: at least 1 rater is needed"
        );
    }
}
