//! Reading the files of a job analysis and of applicant rating: SME task ratings, competency
//! ratings, task × competency linkage, applicant scores, Angoff judgements and applicant flow
//! through the selection steps — all CSV with a header row.
//!
//! Every problem names the file, the line, the data row and the column, and every problem in the
//! file is reported (up to [`MAX_PROBLEMS`]), not only the first. A reader returns the records
//! only when the whole file is valid; nothing is half-read. Blank lines are skipped; columns the
//! reader does not know are ignored (a `notes` column is fine), and column names are matched
//! without regard to case or surrounding spaces.
//!
//! The files are read through the one table reader ([`framewright_model::table`]). Missing
//! answers follow its rule for answers — an empty cell, `NA`, `N/A`, `NaN`, `don't know`, `DK`
//! — and mean "don't know": they are not 0, and 0 on the task scales means "Not performed".

use std::collections::HashMap;
use std::fmt;

use framewright_model::table::{Quoting, TableError, TextTable};

use framewright_hiring::applicants::{ApplicantScores, Preference};
use framewright_hiring::survey::{
    CompetencyRating, LinkageRating, RatingList, RatingProblem, TaskRating,
};

/// At most this many problems are listed per file.
pub const MAX_PROBLEMS: usize = 50;

/// One problem in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvProblem {
    /// 1-based line of the file (the header is line 1); 0 when not known.
    pub line: u64,
    /// 1-based data row (the first row after the header is row 1); 0 for the header.
    pub row: usize,
    /// The column, when the problem is in one cell.
    pub column: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Why a file was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFileError {
    /// The file as the user named it.
    pub file: String,
    /// Every problem found (up to [`MAX_PROBLEMS`]).
    pub problems: Vec<CsvProblem>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl CsvFileError {
    fn one(file: &str, line: u64, row: usize, column: Option<&str>, message: String) -> Self {
        CsvFileError {
            file: file.to_string(),
            problems: vec![CsvProblem {
                line,
                row,
                column: column.map(str::to_string),
                message,
            }],
            more: 0,
        }
    }
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if self.row > 0 {
                write!(f, " (data row {})", self.row)?;
            }
        } else if self.row > 0 {
            write!(f, "data row {}", self.row)?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column \"{c}\"")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Display for CsvFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {p}", self.file)?;
        }
        if self.more > 0 {
            write!(f, "\n{}: … and {} more problem(s)", self.file, self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for CsvFileError {}

/// Records read from a file, with the file line of each (to locate later problems).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<T> {
    /// The file as the user named it.
    pub file: String,
    /// The records, in file order.
    pub records: Vec<T>,
    /// The file line of each record.
    pub lines: Vec<u64>,
    /// The data row of each record (1-based, after the header).
    pub rows: Vec<usize>,
}

impl<T> Parsed<T> {
    /// A problem at record `index`, for an error raised after reading (by the domain's checks).
    pub fn problem_at(&self, index: usize, column: &str, message: &str) -> CsvProblem {
        CsvProblem {
            line: self.lines.get(index).copied().unwrap_or(0),
            row: self.rows.get(index).copied().unwrap_or(0),
            column: Some(column.to_string()),
            message: message.to_string(),
        }
    }
}

/// A CSV file split into a header and rows, with file lines.
struct Sheet<'a> {
    file: &'a str,
    headers: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

/// Whether an answer is missing: the table reader's rule for answers (empty, `NA`, `N/A`, `DK`,
/// `don't know`, …).
fn is_missing(cell: &str) -> bool {
    framewright_model::table::is_missing_answer(cell)
}

impl<'a> Sheet<'a> {
    /// Reads the file through the one table reader; rows of any length are kept (a short row
    /// reads as empty cells, a long one is reported with the others), blank rows skipped.
    fn parse(file: &'a str, bytes: &[u8]) -> Result<Self, CsvFileError> {
        let located = |e: TableError| {
            let message = if e.message.contains("UTF-8") {
                "the text is not UTF-8; save the file as \"CSV UTF-8\"".to_string()
            } else {
                format!("the CSV cannot be read: {}", e.message)
            };
            CsvFileError::one(file, e.at.line.unwrap_or(0), 0, None, message)
        };
        let mut table = TextTable::new(file, bytes, b',', Quoting::Csv)
            .map_err(located)?
            .raw();
        let headers: Vec<String> = table.header().names().to_vec();
        if headers.iter().all(String::is_empty) {
            return Err(CsvFileError::one(
                file,
                0,
                0,
                None,
                "the file is empty; it needs a header row naming the columns".to_string(),
            ));
        }
        let mut rows = Vec::new();
        while let Some(row) = table.next_row().map_err(located)? {
            if row.is_blank() {
                continue;
            }
            let cells = (0..row.len()).map(|i| row.cell(i).trim().to_string());
            rows.push((row.line, cells.collect()));
        }
        Ok(Sheet {
            file,
            headers,
            rows,
        })
    }

    /// Positions of the named columns; an error names every missing one.
    fn require(&self, names: &[&str]) -> Result<Vec<usize>, CsvFileError> {
        let lowered: Vec<String> = self
            .headers
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for name in names {
            match lowered.iter().position(|h| h == name) {
                Some(i) => found.push(i),
                None => missing.push(*name),
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(CsvFileError::one(
                self.file,
                1,
                0,
                None,
                format!(
                    "the header has no column {} (the header must name {}; it has: {})",
                    missing
                        .iter()
                        .map(|m| format!("\"{m}\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                    names.join(", "),
                    self.headers.join(", ")
                ),
            ))
        }
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// Collects problems while reading rows.
struct Problems<'a> {
    file: &'a str,
    list: Vec<CsvProblem>,
    more: usize,
}

impl<'a> Problems<'a> {
    fn new(file: &'a str) -> Self {
        Problems {
            file,
            list: Vec::new(),
            more: 0,
        }
    }

    fn add(&mut self, line: u64, row: usize, column: Option<&str>, message: String) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(CsvProblem {
                line,
                row,
                column: column.map(str::to_string),
                message,
            });
        } else {
            self.more += 1;
        }
    }

    fn finish<T>(self, parsed: Parsed<T>) -> Result<Parsed<T>, CsvFileError> {
        if self.list.is_empty() {
            Ok(parsed)
        } else {
            Err(CsvFileError {
                file: self.file.to_string(),
                problems: self.list,
                more: self.more,
            })
        }
    }
}

/// The text of one cell of a row (rows shorter than the header read as empty cells).
fn cell(row: &[String], index: usize) -> &str {
    row.get(index).map(String::as_str).unwrap_or("")
}

/// Reads the cells of a row, recording any problem.
struct RowReader<'p, 'f> {
    problems: &'p mut Problems<'f>,
    headers: &'p [String],
    line: u64,
    row: usize,
    cells: &'p [String],
    ok: bool,
}

impl RowReader<'_, '_> {
    fn fail(&mut self, column: usize, message: String) {
        let name = self.headers.get(column).map(String::as_str);
        self.problems.add(self.line, self.row, name, message);
        self.ok = false;
    }

    fn id(&mut self, column: usize, what: &str) -> String {
        let text = cell(self.cells, column).to_string();
        if text.is_empty() {
            self.fail(column, format!("the {what} id is empty"));
        }
        text
    }

    fn scale(&mut self, column: usize, low: u8, high: u8, meaning: &str) -> Option<u8> {
        let text = cell(self.cells, column);
        if is_missing(text) {
            return None;
        }
        let parsed = text.parse::<f64>().ok().filter(|v| v.is_finite());
        match parsed {
            Some(v) if v.fract() == 0.0 && v >= f64::from(low) && v <= f64::from(high) => {
                Some(v as u8)
            }
            Some(v) if v.fract() != 0.0 => {
                self.fail(
                    column,
                    format!("\"{text}\" is not a whole number; {meaning}"),
                );
                None
            }
            _ => {
                self.fail(column, format!("\"{text}\" is not on the scale; {meaning}"));
                None
            }
        }
    }

    fn yes_no(&mut self, column: usize, allow_missing: bool) -> Option<bool> {
        let text = cell(self.cells, column);
        if allow_missing && is_missing(text) {
            return None;
        }
        match text.to_ascii_lowercase().as_str() {
            "yes" | "y" | "1" | "true" => Some(true),
            "no" | "n" | "0" | "false" => Some(false),
            _ => {
                self.fail(
                    column,
                    format!(
                        "\"{text}\" is not an answer; write yes or no (or 1 or 0){}",
                        if allow_missing {
                            ", or leave it empty for \"don't know\""
                        } else {
                            ""
                        }
                    ),
                );
                None
            }
        }
    }

    fn number(&mut self, column: usize) -> Option<f64> {
        let text = cell(self.cells, column);
        if is_missing(text) {
            return None;
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.fail(
                    column,
                    format!(
                        "\"{text}\" is not a number (leave the cell empty if there is no score)"
                    ),
                );
                None
            }
        }
    }
}

fn read_rows<T>(
    sheet: &Sheet<'_>,
    mut read: impl FnMut(&mut RowReader<'_, '_>) -> Option<T>,
    problems: &mut Problems<'_>,
) -> (Vec<T>, Vec<u64>, Vec<usize>) {
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut data_rows = Vec::new();
    for (i, (line, cells)) in sheet.rows.iter().enumerate() {
        if cells.len() > sheet.headers.len() {
            problems.add(
                *line,
                i + 1,
                None,
                format!(
                    "the row has {} cells but the header has {} columns",
                    cells.len(),
                    sheet.headers.len()
                ),
            );
            continue;
        }
        let mut reader = RowReader {
            problems,
            headers: &sheet.headers,
            line: *line,
            row: i + 1,
            cells,
            ok: true,
        };
        let record = read(&mut reader);
        if reader.ok
            && let Some(record) = record
        {
            records.push(record);
            lines.push(*line);
            data_rows.push(i + 1);
        }
    }
    (records, lines, data_rows)
}

/// Flags the second of two rows with the same key.
fn duplicates<T, K: std::hash::Hash + Eq>(
    parsed: &Parsed<T>,
    key: impl Fn(&T) -> K,
    column: &str,
    describe: impl Fn(&T) -> String,
    problems: &mut Problems<'_>,
) {
    let mut first: HashMap<K, usize> = HashMap::new();
    for (i, r) in parsed.records.iter().enumerate() {
        if let Some(j) = first.get(&key(r)) {
            problems.add(
                parsed.lines[i],
                parsed.rows[i],
                Some(column),
                format!(
                    "{} again; the first is on line {}. Keep one row per pair",
                    describe(r),
                    parsed.lines[*j]
                ),
            );
        } else {
            first.insert(key(r), i);
        }
    }
}

const TASK_SCALE: &str = "use 0 (Not performed) to 5, or leave it empty for \"don't know\"";

/// Reads SME task ratings: `sme_id,task_id,importance,frequency`.
pub fn read_task_ratings(file: &str, bytes: &[u8]) -> Result<Parsed<TaskRating>, CsvFileError> {
    let sheet = Sheet::parse(file, bytes)?;
    let cols = sheet.require(&["sme_id", "task_id", "importance", "frequency"])?;
    let mut problems = Problems::new(file);
    let (records, lines, rows) = read_rows(
        &sheet,
        |r| {
            Some(TaskRating {
                sme: r.id(cols[0], "SME"),
                task: r.id(cols[1], "task"),
                importance: r.scale(cols[2], 0, 5, TASK_SCALE),
                frequency: r.scale(cols[3], 0, 5, TASK_SCALE),
            })
        },
        &mut problems,
    );
    let parsed = Parsed {
        file: file.to_string(),
        records,
        lines,
        rows,
    };
    duplicates(
        &parsed,
        |r| (r.sme.clone(), r.task.clone()),
        "task_id",
        |r| format!("SME \"{}\" rates task \"{}\"", r.sme, r.task),
        &mut problems,
    );
    problems.finish(parsed)
}

/// Reads SME competency ratings:
/// `sme_id,competency_id,importance,needed_at_entry[,distinguishing_value]`. `dv_range` is the
/// distinguishing-value scale of the analysis parameters.
pub fn read_competency_ratings(
    file: &str,
    bytes: &[u8],
    dv_range: (u8, u8),
) -> Result<Parsed<CompetencyRating>, CsvFileError> {
    let sheet = Sheet::parse(file, bytes)?;
    let cols = sheet.require(&["sme_id", "competency_id", "importance", "needed_at_entry"])?;
    let dv = sheet.optional("distinguishing_value");
    let dv_meaning = format!(
        "distinguishing value is {} to {}, or leave it empty",
        dv_range.0, dv_range.1
    );
    let mut problems = Problems::new(file);
    let (records, lines, rows) = read_rows(
        &sheet,
        |r| {
            Some(CompetencyRating {
                sme: r.id(cols[0], "SME"),
                competency: r.id(cols[1], "competency"),
                importance: r.scale(
                    cols[2],
                    1,
                    5,
                    "competency importance is 1 (Not important) to 5 (Extremely important), or leave it empty for \"don't know\"",
                ),
                needed_at_entry: r.yes_no(cols[3], true),
                distinguishing_value: dv
                    .and_then(|c| r.scale(c, dv_range.0, dv_range.1, &dv_meaning)),
            })
        },
        &mut problems,
    );
    let parsed = Parsed {
        file: file.to_string(),
        records,
        lines,
        rows,
    };
    duplicates(
        &parsed,
        |r| (r.sme.clone(), r.competency.clone()),
        "competency_id",
        |r| format!("SME \"{}\" rates competency \"{}\"", r.sme, r.competency),
        &mut problems,
    );
    problems.finish(parsed)
}

/// Reads linkage judgements: `sme_id,task_id,competency_id,linked`.
pub fn read_linkage(file: &str, bytes: &[u8]) -> Result<Parsed<LinkageRating>, CsvFileError> {
    let sheet = Sheet::parse(file, bytes)?;
    let cols = sheet.require(&["sme_id", "task_id", "competency_id", "linked"])?;
    let mut problems = Problems::new(file);
    let (records, lines, rows) = read_rows(
        &sheet,
        |r| {
            let sme = r.id(cols[0], "SME");
            let task = r.id(cols[1], "task");
            let competency = r.id(cols[2], "competency");
            let linked = r.yes_no(cols[3], false)?;
            Some(LinkageRating {
                sme,
                task,
                competency,
                linked,
            })
        },
        &mut problems,
    );
    let parsed = Parsed {
        file: file.to_string(),
        records,
        lines,
        rows,
    };
    duplicates(
        &parsed,
        |r| (r.sme.clone(), r.task.clone(), r.competency.clone()),
        "competency_id",
        |r| {
            format!(
                "SME \"{}\" links competency \"{}\" to task \"{}\"",
                r.sme, r.competency, r.task
            )
        },
        &mut problems,
    );
    problems.finish(parsed)
}

/// The three rating files of a job analysis, for locating the domain's validation problems.
#[derive(Debug, Clone, Copy)]
pub struct RatingFiles<'a> {
    /// Task ratings.
    pub tasks: &'a Parsed<TaskRating>,
    /// Competency ratings.
    pub competencies: &'a Parsed<CompetencyRating>,
    /// Linkage, when given.
    pub linkage: Option<&'a Parsed<LinkageRating>>,
}

/// Turns the domain's rating problems (unknown ids, duplicates, out-of-scale values) into file
/// errors naming file, line, row and column, one error per file.
pub fn locate_rating_problems(
    files: RatingFiles<'_>,
    problems: &[RatingProblem],
) -> Vec<CsvFileError> {
    let mut by_file: Vec<CsvFileError> = Vec::new();
    for p in problems {
        let (file, located) = match p.list {
            RatingList::Tasks => (
                &files.tasks.file,
                files.tasks.problem_at(p.index, &p.field, &p.message),
            ),
            RatingList::Competencies => (
                &files.competencies.file,
                files.competencies.problem_at(p.index, &p.field, &p.message),
            ),
            RatingList::Linkage => match files.linkage {
                Some(l) => (&l.file, l.problem_at(p.index, &p.field, &p.message)),
                None => continue,
            },
        };
        match by_file.iter_mut().find(|e| &e.file == file) {
            Some(e) if e.problems.len() < MAX_PROBLEMS => e.problems.push(located),
            Some(e) => e.more += 1,
            None => by_file.push(CsvFileError {
                file: file.clone(),
                problems: vec![located],
                more: 0,
            }),
        }
    }
    by_file
}

/// Reads applicant scores: `applicant_id[,preference],<assessment>,<assessment>,…`. Every
/// column other than `applicant_id` and `preference` is an assessment score (a number, or empty
/// when the applicant has none).
pub fn read_applicant_scores(
    file: &str,
    bytes: &[u8],
) -> Result<Parsed<ApplicantScores>, CsvFileError> {
    let sheet = Sheet::parse(file, bytes)?;
    let cols = sheet.require(&["applicant_id"])?;
    let preference = sheet.optional("preference");
    let score_columns: Vec<usize> = (0..sheet.headers.len())
        .filter(|c| *c != cols[0] && Some(*c) != preference)
        .collect();
    if score_columns.is_empty() {
        return Err(CsvFileError::one(
            file,
            1,
            0,
            None,
            "the header names no assessment: add one column of scores per assessment after applicant_id (and preference)".to_string(),
        ));
    }
    let mut problems = Problems::new(file);
    let (records, lines, rows) = read_rows(
        &sheet,
        |r| {
            let id = r.id(cols[0], "applicant");
            let pref = match preference {
                Some(c) => match cell(r.cells, c).parse::<Preference>() {
                    Ok(p) => p,
                    Err(e) => {
                        r.fail(c, e.to_string());
                        Preference::None
                    }
                },
                None => Preference::None,
            };
            let scores = score_columns
                .iter()
                .map(|c| (sheet.headers[*c].clone(), r.number(*c)))
                .collect();
            Some(ApplicantScores {
                id,
                preference: pref,
                scores,
            })
        },
        &mut problems,
    );
    let parsed = Parsed {
        file: file.to_string(),
        records,
        lines,
        rows,
    };
    duplicates(
        &parsed,
        |r| r.id.clone(),
        "applicant_id",
        |r| format!("applicant \"{}\" appears", r.id),
        &mut problems,
    );
    problems.finish(parsed)
}

/// One judge's judgement of one item (modified Angoff).
#[derive(Debug, Clone, PartialEq)]
pub struct AngoffRow {
    /// Judge id.
    pub judge: String,
    /// Item id.
    pub item: String,
    /// Probability (0–1) that a minimally competent candidate answers correctly, or the expected
    /// item score.
    pub judgement: f64,
}

/// Reads Angoff judgements: `judge_id,item_id,judgement`.
pub fn read_angoff_judgements(file: &str, bytes: &[u8]) -> Result<Parsed<AngoffRow>, CsvFileError> {
    let sheet = Sheet::parse(file, bytes)?;
    let cols = sheet.require(&["judge_id", "item_id", "judgement"])?;
    let mut problems = Problems::new(file);
    let (records, lines, rows) = read_rows(
        &sheet,
        |r| {
            let judge = r.id(cols[0], "judge");
            let item = r.id(cols[1], "item");
            let text = cell(r.cells, cols[2]).to_string();
            let judgement = match r.number(cols[2]) {
                Some(v) if v >= 0.0 => v,
                Some(_) => {
                    r.fail(cols[2], format!("\"{text}\" is negative; a judgement is a probability from 0 to 1 (or an expected score of 0 or more)"));
                    return None;
                }
                None => {
                    if is_missing(&text) {
                        r.fail(cols[2], "the judgement is empty; every judge judges every item (remove the row if the judge skipped the item)".to_string());
                    }
                    return None;
                }
            };
            Some(AngoffRow {
                judge,
                item,
                judgement,
            })
        },
        &mut problems,
    );
    let parsed = Parsed {
        file: file.to_string(),
        records,
        lines,
        rows,
    };
    duplicates(
        &parsed,
        |r| (r.judge.clone(), r.item.clone()),
        "item_id",
        |r| format!("judge \"{}\" judges item \"{}\"", r.judge, r.item),
        &mut problems,
    );
    problems.finish(parsed)
}

/// An applicant's way through the selection steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRow {
    /// Applicant id.
    pub applicant: String,
    /// Group (for example sex or race/ethnicity); `None` when not reported.
    pub group: Option<String>,
    /// Per step: `Some(true)` passed, `Some(false)` did not pass, `None` did not reach it.
    pub outcomes: Vec<Option<bool>>,
}

/// The applicant-flow file: the step names and one row per applicant.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowFile {
    /// Step names, in order.
    pub steps: Vec<String>,
    /// The group column used.
    pub group_column: String,
    /// The rows.
    pub rows: Parsed<FlowRow>,
}

/// Reads applicant flow: `applicant_id,<group column>,<step>,<step>,…` where each step cell is
/// `pass`/`yes`/`1`, `fail`/`no`/`0`, or empty when the applicant did not reach the step. The
/// steps are `steps` when given, else every other column in file order.
pub fn read_applicant_flow(
    file: &str,
    bytes: &[u8],
    group_column: &str,
    steps: Option<&[String]>,
) -> Result<FlowFile, CsvFileError> {
    let sheet = Sheet::parse(file, bytes)?;
    let group_lower = group_column.to_ascii_lowercase();
    let cols = sheet.require(&["applicant_id", group_lower.as_str()])?;
    let step_columns: Vec<usize> = match steps {
        Some(names) => {
            let lowered: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
            let refs: Vec<&str> = lowered.iter().map(String::as_str).collect();
            sheet.require(&refs)?
        }
        None => (0..sheet.headers.len())
            .filter(|c| !cols.contains(c))
            .collect(),
    };
    if step_columns.is_empty() {
        return Err(CsvFileError::one(
            file,
            1,
            0,
            None,
            "the header names no selection step: add one column per step (for example minimum_qualifications, assessment, interview, selected)".to_string(),
        ));
    }
    let mut problems = Problems::new(file);
    let (records, lines, rows) = read_rows(
        &sheet,
        |r| {
            let applicant = r.id(cols[0], "applicant");
            let group_text = cell(r.cells, cols[1]);
            let group = (!is_missing(group_text)).then(|| group_text.to_string());
            let mut outcomes = Vec::with_capacity(step_columns.len());
            for c in &step_columns {
                let text = cell(r.cells, *c);
                let outcome = match text.to_ascii_lowercase().as_str() {
                    "" => None,
                    "pass" | "passed" | "yes" | "y" | "1" | "selected" | "true" => Some(true),
                    "fail" | "failed" | "no" | "n" | "0" | "not selected" | "false" => Some(false),
                    _ => {
                        r.fail(*c, format!("\"{text}\" is not a step result; write pass or fail (or yes/no, 1/0), or leave it empty if the applicant did not reach this step"));
                        None
                    }
                };
                outcomes.push(outcome);
            }
            // once out, an applicant cannot pass a later step
            if let Some(out_at) = outcomes.iter().position(|o| *o != Some(true))
                && let Some(later) = outcomes[out_at + 1..].iter().position(Option::is_some)
            {
                let c = step_columns[out_at + 1 + later];
                let why = if outcomes[out_at] == Some(false) {
                    "did not pass"
                } else {
                    "did not reach"
                };
                r.fail(c, format!(
                    "the applicant {why} the step \"{}\" but has a result here; leave later steps empty",
                    sheet.headers[step_columns[out_at]]
                ));
            }
            Some(FlowRow {
                applicant,
                group,
                outcomes,
            })
        },
        &mut problems,
    );
    let parsed = Parsed {
        file: file.to_string(),
        records,
        lines,
        rows,
    };
    duplicates(
        &parsed,
        |r| r.applicant.clone(),
        "applicant_id",
        |r| format!("applicant \"{}\" appears", r.applicant),
        &mut problems,
    );
    let rows = problems.finish(parsed)?;
    Ok(FlowFile {
        steps: step_columns
            .iter()
            .map(|c| sheet.headers[*c].clone())
            .collect(),
        group_column: sheet.headers[cols[1]].clone(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ratings_read_with_blanks_as_dont_know() {
        let text = "\u{feff}SME_ID, task_id ,importance,frequency,notes\nS1,T1,4,3,fine\n\nS2,T1,0,,\nS3,T1,NA,don't know,\n";
        let p = read_task_ratings("tasks.csv", text.as_bytes()).unwrap();
        assert_eq!(p.records.len(), 3);
        assert_eq!(p.records[1].importance, Some(0));
        assert_eq!(p.records[1].frequency, None);
        assert_eq!(p.records[2].importance, None);
        assert_eq!(p.lines, vec![2, 4, 5]);
    }

    #[test]
    fn every_bad_cell_is_named_by_line_row_and_column() {
        let text =
            "sme_id,task_id,importance,frequency\nS1,T1,4,3\nS1,T2,6,3\nS2,,3.5,x\nS1,T1,3,3\n";
        let e = read_task_ratings("tasks.csv", text.as_bytes()).unwrap_err();
        let lines: Vec<String> = e.to_string().lines().map(str::to_string).collect();
        assert_eq!(
            lines[0],
            "tasks.csv: line 3 (data row 2), column \"importance\": \"6\" is not on the scale; use 0 (Not performed) to 5, or leave it empty for \"don't know\""
        );
        assert!(lines[1].starts_with(
            "tasks.csv: line 4 (data row 3), column \"task_id\": the task id is empty"
        ));
        assert!(lines[2].contains("column \"importance\": \"3.5\" is not a whole number"));
        assert!(lines[3].contains("column \"frequency\": \"x\" is not on the scale"));
        assert!(lines[4].starts_with("tasks.csv: line 5 (data row 4), column \"task_id\": SME \"S1\" rates task \"T1\" again; the first is on line 2"));
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn a_missing_column_is_named_with_the_header_found() {
        let e = read_task_ratings("t.csv", b"sme_id,task,importance,frequency\nS1,T1,3,3\n")
            .unwrap_err();
        assert_eq!(e.problems[0].line, 1);
        assert!(e.problems[0].message.contains("no column \"task_id\""));
        assert!(
            read_task_ratings("t.csv", b"")
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
    }

    #[test]
    fn header_only_is_an_empty_survey() {
        let p = read_task_ratings("t.csv", b"sme_id,task_id,importance,frequency\n").unwrap();
        assert!(p.records.is_empty());
    }

    #[test]
    fn competency_ratings_accept_yes_no_and_1_0_and_an_optional_dv() {
        let text =
            "sme_id,competency_id,importance,needed_at_entry\nS1,C1,4,Yes\nS2,C1,3,0\nS3,C1,2,\n";
        let p = read_competency_ratings("c.csv", text.as_bytes(), (1, 5)).unwrap();
        assert_eq!(p.records[0].needed_at_entry, Some(true));
        assert_eq!(p.records[1].needed_at_entry, Some(false));
        assert_eq!(p.records[2].needed_at_entry, None);
        assert_eq!(p.records[0].distinguishing_value, None);
        let bad = "sme_id,competency_id,importance,needed_at_entry,distinguishing_value\nS1,C1,0,maybe,7\n";
        let e = read_competency_ratings("c.csv", bad.as_bytes(), (1, 5)).unwrap_err();
        let cols: Vec<&str> = e
            .problems
            .iter()
            .map(|p| p.column.as_deref().unwrap())
            .collect();
        assert_eq!(
            cols,
            vec!["importance", "needed_at_entry", "distinguishing_value"]
        );
    }

    #[test]
    fn linkage_needs_an_answer() {
        let e =
            read_linkage("l.csv", b"sme_id,task_id,competency_id,linked\nS1,T1,C1,\n").unwrap_err();
        assert_eq!(e.problems[0].column.as_deref(), Some("linked"));
    }

    #[test]
    fn a_row_with_too_many_cells_is_refused() {
        let e = read_linkage(
            "l.csv",
            b"sme_id,task_id,competency_id,linked\nS1,T1,C1,yes,extra\n",
        )
        .unwrap_err();
        assert!(e.problems[0].message.contains("5 cells"));
    }

    #[test]
    fn domain_problems_are_located_in_their_files() {
        let tasks = read_task_ratings(
            "tasks.csv",
            b"sme_id,task_id,importance,frequency\nS1,T1,3,3\nS1,T9,3,3\n",
        )
        .unwrap();
        let comps = read_competency_ratings(
            "comps.csv",
            b"sme_id,competency_id,importance,needed_at_entry\nS1,C1,3,yes\n",
            (1, 5),
        )
        .unwrap();
        let problems = vec![RatingProblem {
            list: RatingList::Tasks,
            index: 1,
            field: "task_id".into(),
            message: "\"T9\" is not a task of this job analysis".into(),
            duplicate_of: None,
        }];
        let errors = locate_rating_problems(
            RatingFiles {
                tasks: &tasks,
                competencies: &comps,
                linkage: None,
            },
            &problems,
        );
        assert_eq!(
            errors[0].to_string(),
            "tasks.csv: line 3 (data row 2), column \"task_id\": \"T9\" is not a task of this job analysis"
        );
    }

    #[test]
    fn applicant_scores_take_every_other_column_as_an_assessment() {
        let text = "applicant_id,preference,questionnaire,interview\nA1,,90,85\nA2,CPS,80,\nA3,XYZ,1,2\nA1,,1,1\n";
        let e = read_applicant_scores("s.csv", text.as_bytes()).unwrap_err();
        assert_eq!(e.problems.len(), 2);
        assert_eq!(e.problems[0].column.as_deref(), Some("preference"));
        assert_eq!(e.problems[1].column.as_deref(), Some("applicant_id"));
        let ok = read_applicant_scores(
            "s.csv",
            b"applicant_id,preference,questionnaire,interview\nA1,,90,85\nA2,CPS,80,\n",
        )
        .unwrap();
        assert_eq!(ok.records[1].preference, Preference::Cps);
        assert_eq!(ok.records[1].scores["interview"], None);
        assert_eq!(ok.records[0].scores["questionnaire"], Some(90.0));
    }

    #[test]
    fn flow_refuses_results_after_an_applicant_is_out() {
        let text = "applicant_id,sex,qualified,interview,selected\nA1,F,pass,pass,fail\nA2,M,fail,pass,\nA3,,pass,,\n";
        let e = read_applicant_flow("f.csv", text.as_bytes(), "sex", None).unwrap_err();
        assert_eq!(e.problems.len(), 1);
        assert_eq!(e.problems[0].row, 2);
        assert_eq!(e.problems[0].column.as_deref(), Some("interview"));
        let ok = read_applicant_flow(
            "f.csv",
            b"applicant_id,sex,qualified,interview\nA1,F,pass,fail\nA2,,pass,\n",
            "sex",
            None,
        )
        .unwrap();
        assert_eq!(ok.steps, vec!["qualified", "interview"]);
        assert_eq!(ok.rows.records[1].group, None);
        assert_eq!(ok.rows.records[1].outcomes, vec![Some(true), None]);
    }

    #[test]
    fn angoff_judgements_must_be_present_and_not_negative() {
        let e = read_angoff_judgements(
            "a.csv",
            b"judge_id,item_id,judgement\nJ1,Q1,0.6\nJ1,Q2,\nJ2,Q1,-1\n",
        )
        .unwrap_err();
        assert_eq!(e.problems.len(), 2);
        assert_eq!(e.problems[0].line, 3);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_bytes_give_records_or_located_errors_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
                if let Err(e) = read_task_ratings("x.csv", &bytes) {
                    prop_assert!(!e.problems.is_empty());
                }
                let _ = read_competency_ratings("x.csv", &bytes, (1, 5));
                let _ = read_linkage("x.csv", &bytes);
                let _ = read_applicant_scores("x.csv", &bytes);
                let _ = read_applicant_flow("x.csv", &bytes, "group", None);
            }

            #[test]
            fn written_ratings_read_back_exactly(
                rows in proptest::collection::vec((0u8..6, proptest::option::of(0u8..6), proptest::option::of(0u8..6), any::<bool>()), 0..40)
            ) {
                let mut text = String::from("sme_id,task_id,importance,frequency\n");
                let mut expected = Vec::new();
                for (i, (sme, imp, freq, blank_line)) in rows.iter().enumerate() {
                    if *blank_line {
                        text.push_str("\r\n");
                    }
                    let cell = |v: &Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
                    text.push_str(&format!("S{sme},T{i},{},{}\n", cell(imp), cell(freq)));
                    expected.push(TaskRating { sme: format!("S{sme}"), task: format!("T{i}"), importance: *imp, frequency: *freq });
                }
                let parsed = read_task_ratings("x.csv", text.as_bytes()).unwrap();
                prop_assert_eq!(&parsed.records, &expected);
                for (k, line) in parsed.lines.iter().enumerate() {
                    let nth = text.lines().nth(usize::try_from(*line).unwrap() - 1).unwrap();
                    prop_assert!(nth.starts_with(&format!("S{},T{k},", rows[k].0)), "line {} is {:?}", line, nth);
                }
            }
        }
    }
}
