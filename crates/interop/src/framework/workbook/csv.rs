//! The framework workbook as one CSV file: the first column, `sheet`, names the table each row
//! belongs to (Framework, Scale, Groups, Competencies, Levels, …); the other columns are the
//! union of the tables' columns, blank where a table has no such column.

use std::borrow::Cow;

use framewright_model::Framework;
use framewright_model::table::{neutralise_formula, restore_formula};

use super::{Row, SHEETS, Table, WorkbookReport, from_tables, to_tables};
use crate::catalogue::{ImportError, Progress, cell, csv_reader, unclosed_quote, utf8};

/// The CSV header: `sheet`, then every table's columns in order of first use.
pub fn header() -> Vec<&'static str> {
    let mut header = vec!["sheet"];
    for (_, columns) in SHEETS {
        for column in *columns {
            if !header.contains(column) {
                header.push(column);
            }
        }
    }
    header
}

/// Writes tables as one CSV text. A cell a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a single quote in front, as
/// OWASP recommends; reading the file takes it off again (see
/// [`framewright_model::table::neutralise_formula`]).
pub fn write_tables(tables: &[Table]) -> String {
    let header = header();
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a failure would only lose the row.
    let _ = writer.write_record(&header);
    for table in tables {
        for row in &table.rows {
            let mut record = vec![Cow::Borrowed(table.name.as_str())];
            for column in header.iter().skip(1) {
                let cell = table
                    .header
                    .iter()
                    .position(|h| h == column)
                    .and_then(|i| row.cells.get(i))
                    .map_or("", String::as_str);
                record.push(neutralise_formula(cell));
            }
            let _ = writer.write_record(record.iter().map(|c| c.as_bytes()));
        }
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The framework as one CSV text (UTF-8, CRLF line ends as spreadsheets expect).
pub fn write(framework: &Framework) -> String {
    write_tables(&to_tables(framework))
}

/// Reads the tables of a framework CSV.
pub fn read_tables(
    bytes: &[u8],
    file: &str,
    progress: &mut dyn Progress,
) -> Result<Vec<Table>, ImportError> {
    let text = utf8(bytes, file)?;
    if let Some(line) = unclosed_quote(text.as_bytes(), b',') {
        return Err(ImportError::at(
            file,
            Some(line),
            None,
            "a quoted cell that starts on this line is never closed; add the closing quote (\") or remove the opening one",
        ));
    }
    progress.stage("rows", Some(text.len() as u64));
    let mut reader = csv_reader(text.as_bytes(), b',');
    let header_record = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
    let header: Vec<String> = (0..header_record.len())
        .map(|i| cell(&header_record, i).trim().to_string())
        .collect();
    let Some(sheet_column) = header.iter().position(|h| h.eq_ignore_ascii_case("sheet")) else {
        return Err(ImportError::at(
            file,
            Some(1),
            Some("sheet"),
            format!(
                "the header has no `sheet` column, so this is not a framework spreadsheet (found: {}). A catalogue CSV has the columns id,name,alt_labels,definition",
                header.join(", ")
            ),
        ));
    };
    let columns: Vec<String> = header
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != sheet_column)
        .map(|(_, h)| h.clone())
        .collect();
    let mut tables: Vec<Table> = Vec::new();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, &e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        if let Some(p) = record.position() {
            progress.advance(p.byte());
        }
        let sheet = cell(&record, sheet_column).trim();
        if sheet.is_empty() {
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Err(ImportError::at(
                file,
                Some(line),
                Some("sheet"),
                "the `sheet` cell is empty; say which table the row belongs to (Framework, Scale, Groups, Competencies, Levels, …)",
            ));
        }
        let cells: Vec<String> = (0..record.len())
            .filter(|i| *i != sheet_column)
            .map(|i| restore_formula(cell(&record, i)).to_string())
            .collect();
        let index = match tables.iter().position(|t| t.name == sheet) {
            Some(i) => i,
            None => {
                tables.push(Table {
                    name: sheet.to_string(),
                    header: columns.clone(),
                    rows: Vec::new(),
                });
                tables.len() - 1
            }
        };
        tables[index].rows.push(Row { line, cells });
    }
    Ok(tables)
}

/// Reads a framework from CSV bytes; `file` names it in errors.
pub fn read(
    bytes: &[u8],
    file: &str,
    progress: &mut dyn Progress,
) -> Result<(Framework, WorkbookReport), ImportError> {
    let tables = read_tables(bytes, file, progress)?;
    let result = from_tables(&tables, file, true);
    progress.finish();
    result
}

pub(crate) fn csv_error(file: &str, error: &::csv::Error) -> ImportError {
    let line = error.position().map(|p| p.line());
    let message = match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} cells but the header has {expected_len}; check for a missing or extra comma, or a quote that is not closed"
        ),
        ::csv::ErrorKind::Utf8 { .. } => {
            "this line is not UTF-8 text; save the file as UTF-8".to_string()
        }
        _ => format!("the file could not be read as CSV: {error}"),
    };
    ImportError::at(file, line, None, message)
}
