//! People and ratings files as an HRIS exports them, CSV or XLSX, read through the one table
//! reader ([`framewright_model::table`]) into the workforce domain's records.
//!
//! - people: `id,name,role` and optionally `manager,unit,email,start_date`;
//! - ratings: `person,competency,level,source,date` and optionally `assessor,evidence,release`;
//!   `NO` in `level` means "not observed".
//!
//! Every problem names the file, line (or sheet row) and column, and every problem in the file
//! is reported (up to [`MAX_PROBLEMS`]); a reader returns records only when the whole file is
//! valid. Blank rows are skipped; columns the reader does not know are ignored; column names
//! match without regard to case. An XLSX file is read from its first sheet.

use std::fmt;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader as _, Xlsx};
use framewright_model::Location;
use framewright_model::framework::Date;
use framewright_model::table::{Header, Row, TableError, TextTable, column_letter, is_missing};
use framewright_workforce::{AssessmentRecord, Person, Rating, Source};

pub mod report;

/// At most this many problems are listed per file.
pub const MAX_PROBLEMS: usize = 50;

/// At most this many data rows are read from one file.
pub const MAX_ROWS: usize = 5_000_000;

/// Why a file was not accepted: every problem, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblems {
    /// The problems found (up to [`MAX_PROBLEMS`]).
    pub problems: Vec<TableError>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl FileProblems {
    fn one(error: TableError) -> FileProblems {
        FileProblems {
            problems: vec![error],
            more: 0,
        }
    }

    /// Adds a problem, counting those beyond the limit.
    pub fn push(&mut self, error: TableError) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(error);
        } else {
            self.more += 1;
        }
    }
}

impl fmt::Display for FileProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        if self.more > 0 {
            write!(f, "\n… and {} more problem(s)", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for FileProblems {}

/// Records read from a file, with where each came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// The records, in file order.
    pub records: Vec<T>,
    /// The file line (or sheet row) of each record.
    pub lines: Vec<u64>,
    header: Header,
}

impl<T> Located<T> {
    /// Where column `column` of record `index` is.
    pub fn location(&self, index: usize, column: &str) -> Location {
        self.header
            .location(self.lines.get(index).copied(), Some(column))
    }

    /// The file as the user named it.
    pub fn file(&self) -> &str {
        self.header.file()
    }
}

/// Reads a people file (CSV, or XLSX when `bytes` is a workbook); `file` names it in errors.
pub fn read_people(file: &str, bytes: &[u8]) -> Result<Located<Person>, FileProblems> {
    read_table(file, bytes, &["id", "name", "role"], person)
}

/// Reads a ratings file (CSV, or XLSX when `bytes` is a workbook); `file` names it in errors.
pub fn read_ratings(file: &str, bytes: &[u8]) -> Result<Located<AssessmentRecord>, FileProblems> {
    read_table(
        file,
        bytes,
        &["person", "competency", "level", "source", "date"],
        rating,
    )
}

/// Reads the bytes of `path` (a file problem names the file).
pub fn read_path(path: &Path) -> Result<Vec<u8>, FileProblems> {
    std::fs::read(path).map_err(|e| {
        FileProblems::one(TableError::new(
            Location::file(path.display().to_string()),
            format!("the file cannot be read: {e}"),
        ))
    })
}

fn person(row: &Row<'_>, problems: &mut Vec<TableError>) -> Option<Person> {
    let id = cell(row, "id", problems);
    let name = cell(row, "name", problems);
    let role = cell(row, "role", problems);
    // `None`: no start date; `Some(None)`: one that is not a date (already reported).
    let start = row
        .get("start_date")
        .map(|d| date(row, "start_date", d, problems));
    let start_date = match start {
        None => None,
        Some(d) => Some(d?),
    };
    Some(Person {
        id: id?,
        name: name?,
        email: row.get("email").map(str::to_string),
        unit: row.get("unit").map(str::to_string),
        manager: row.get("manager").map(str::to_string),
        role: role?,
        start_date,
    })
}

fn rating(row: &Row<'_>, problems: &mut Vec<TableError>) -> Option<AssessmentRecord> {
    let person = cell(row, "person", problems);
    let competency = cell(row, "competency", problems);
    let level = cell(row, "level", problems).and_then(|text| {
        if text.eq_ignore_ascii_case("no") {
            return Some(Rating::NotObserved);
        }
        match text.parse::<u8>() {
            Ok(l) => Some(Rating::Level(l)),
            Err(_) => {
                problems.push(row.error(
                    "level",
                    format!(
                        "`{text}` is not a level; write the level's number, or NO for not observed"
                    ),
                ));
                None
            }
        }
    });
    let source = cell(row, "source", problems).and_then(|text| match text.parse::<Source>() {
        Ok(s) => Some(s),
        Err(e) => {
            problems.push(row.error("source", e.to_string()));
            None
        }
    });
    let when = cell(row, "date", problems).and_then(|d| date(row, "date", &d, problems));
    Some(AssessmentRecord {
        person: person?,
        competency: competency?,
        rating: level?,
        source: source?,
        assessor: row.get("assessor").map(str::to_string),
        date: when?,
        evidence: row.get("evidence").map(str::to_string),
        release: row.get("release").map(str::to_string),
    })
}

fn cell(row: &Row<'_>, column: &str, problems: &mut Vec<TableError>) -> Option<String> {
    match row.required(column) {
        Ok(v) => Some(v.to_string()),
        Err(e) => {
            problems.push(e);
            None
        }
    }
}

fn date(row: &Row<'_>, column: &str, text: &str, problems: &mut Vec<TableError>) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(text.trim(), format) {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(row.error(
                column,
                format!("`{text}` is not a date; write it as YYYY-MM-DD (2026-03-31)"),
            ));
            None
        }
    }
}

type ParseRow<T> = fn(&Row<'_>, &mut Vec<TableError>) -> Option<T>;

fn read_table<T>(
    file: &str,
    bytes: &[u8],
    required: &[&str],
    parse: ParseRow<T>,
) -> Result<Located<T>, FileProblems> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_workbook(file, bytes, required, parse);
    }
    // Raw: a short row reads as missing cells (each reported by its column), a long one is
    // reported at its first extra cell.
    let mut table = TextTable::from_csv_bytes(file, bytes)
        .map_err(FileProblems::one)?
        .raw();
    let header = table.header().clone();
    header.require(required).map_err(FileProblems::one)?;
    let mut out = Collector::new();
    loop {
        match table.next_row() {
            Ok(Some(row)) => {
                if out.add(&row, parse) {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                out.problems.push(e);
                break;
            }
        }
    }
    out.finish(header)
}

/// Rows parsed so far, with their problems.
struct Collector<T> {
    records: Vec<T>,
    lines: Vec<u64>,
    problems: FileProblems,
    scratch: Vec<TableError>,
}

impl<T> Collector<T> {
    fn new() -> Self {
        Collector {
            records: Vec::new(),
            lines: Vec::new(),
            problems: FileProblems {
                problems: Vec::new(),
                more: 0,
            },
            scratch: Vec::new(),
        }
    }

    /// Parses one row; true when the file has too many rows to go on.
    fn add(&mut self, row: &Row<'_>, parse: ParseRow<T>) -> bool {
        if row.is_blank() {
            return false;
        }
        if self.records.len() >= MAX_ROWS {
            self.problems.push(TableError::new(
                row.location(),
                format!("the file has more than {MAX_ROWS} rows; split it"),
            ));
            return true;
        }
        self.scratch.clear();
        let width = row.header().names().len();
        if let Some(extra) = (width..row.len()).find(|i| !is_missing(row.cell(*i))) {
            self.problems.push(TableError::new(
                row.location().with_column(column_letter(extra)),
                format!(
                    "this row has more cells than the header has columns ({width}); check for an extra comma or a quote that is not closed"
                ),
            ));
            return false;
        }
        let record = parse(row, &mut self.scratch);
        for p in self.scratch.drain(..) {
            self.problems.push(p);
        }
        if let Some(r) = record {
            self.records.push(r);
            self.lines.push(row.line);
        }
        false
    }

    fn finish(self, header: Header) -> Result<Located<T>, FileProblems> {
        if !self.problems.problems.is_empty() {
            return Err(self.problems);
        }
        Ok(Located {
            records: self.records,
            lines: self.lines,
            header,
        })
    }
}

fn read_workbook<T>(
    file: &str,
    bytes: &[u8],
    required: &[&str],
    parse: ParseRow<T>,
) -> Result<Located<T>, FileProblems> {
    let whole = |message: String| FileProblems::one(TableError::new(Location::file(file), message));
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        whole(format!(
            "this is not an Excel workbook (.xlsx) that can be read: {e}; save it as .xlsx or CSV"
        ))
    })?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| whole("the workbook has no sheets".to_string()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| whole(format!("the sheet `{sheet}` cannot be read: {e}")))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let lead = first_col as usize;
    let mut rows = range.rows();
    let head: Vec<String> = std::iter::repeat_n(String::new(), lead)
        .chain(rows.next().unwrap_or_default().iter().map(cell_text))
        .collect();
    let header = Header::new(file, Some(&sheet), head);
    header.require(required).map_err(FileProblems::one)?;
    let mut out = Collector::new();
    for (r, cells) in rows.enumerate() {
        let line = u64::from(first_row) + r as u64 + 2;
        let cells: Vec<String> = std::iter::repeat_n(String::new(), lead)
            .chain(cells.iter().map(cell_text))
            .collect();
        if out.add(&Row::of_strings(&header, &cells, line), parse) {
            break;
        }
    }
    out.finish(header)
}

/// A workbook cell as text: whole numbers without `.0`, dates as YYYY-MM-DD.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(d) => {
            let base = time::macros::date!(1899 - 12 - 30);
            base.checked_add(time::Duration::days(d.as_f64().floor() as i64))
                .map_or_else(|| d.as_f64().to_string(), |d| d.to_string())
        }
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn people_and_ratings_are_read_with_not_observed() {
        let people = read_people(
            "people.csv",
            b"id,name,role,manager,unit\nm1,Maria,lead,,Data\np1,Pat,analyst,m1,Data\n",
        )
        .unwrap();
        assert_eq!(people.records.len(), 2);
        assert_eq!(people.records[1].manager.as_deref(), Some("m1"));
        assert_eq!(people.records[0].manager, None);
        let ratings = read_ratings(
            "ratings.csv",
            b"person,competency,level,source,date\np1,c,NO,manager,2026-01-02\np1,c,3,self,2026-01-02\n",
        )
        .unwrap();
        assert_eq!(ratings.records[0].rating, Rating::NotObserved);
        assert_eq!(ratings.records[1].rating, Rating::Level(3));
        assert_eq!(ratings.records[1].source, Source::SelfRating);
        assert_eq!(
            ratings.location(1, "level").to_string(),
            "ratings.csv, line 3, column `level`"
        );
    }

    #[test]
    fn every_bad_cell_is_reported_and_nothing_is_returned() {
        let e = read_ratings(
            "r.csv",
            b"person,competency,level,source,date\np1,c,high,boss,2026-13-01\np2,c,2,manager,2026-01-01\np3,,1,test,2026-01-01\n",
        )
        .unwrap_err();
        let text: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:?}");
        assert!(text[0].starts_with("r.csv, line 2, column `level`: `high` is not a level"));
        assert!(text[1].starts_with("r.csv, line 2, column `source`: `boss` is not a source"));
        assert!(text[2].starts_with("r.csv, line 2, column `date`: `2026-13-01` is not a date"));
        assert!(text[3].starts_with("r.csv, line 4, column `competency`"));
    }

    #[test]
    fn a_missing_column_and_a_ragged_row_are_located() {
        let e = read_people("p.csv", b"id,name\n1,A\n").unwrap_err();
        assert!(e.to_string().contains("no `role` column"), "{e}");
        let e = read_people("p.csv", b"id,name,role\n1,A,r\n2,B,r,extra\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("p.csv, line 3, column `D`: this row has more cells"),
            "{e}"
        );
        let e = read_people("p.csv", b"id,name,role\n1,A\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("p.csv, line 2, column `role`: `role` is empty"),
            "{e}"
        );
    }

    #[test]
    fn a_workbook_is_read_from_its_first_sheet() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["person", "competency", "level", "source", "date"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "p1").unwrap();
        sheet.write_string(1, 1, "c").unwrap();
        sheet.write_number(1, 2, 4.0).unwrap();
        sheet.write_string(1, 3, "test").unwrap();
        sheet.write_string(1, 4, "2026-02-03").unwrap();
        sheet.write_string(2, 0, "p2").unwrap();
        sheet.write_string(2, 1, "c").unwrap();
        sheet.write_string(2, 2, "x").unwrap();
        sheet.write_string(2, 3, "test").unwrap();
        sheet.write_string(2, 4, "2026-02-03").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let e = read_ratings("r.xlsx", &bytes).unwrap_err();
        assert_eq!(
            e.problems[0].at.to_string(),
            "r.xlsx, sheet `Sheet1`, row 3, column `level (C)`"
        );
    }
}
