//! Rectangular data from CSV files: a header row, then one row per respondent (or target, or
//! applicant) and one column per item (or rater, or attribute). Used for assessment results,
//! rating sheets and applicant-flow data. It knows nothing about statistics: it reads cells,
//! picks columns by name, and turns cells into numbers, with errors that name the file, the
//! line, the data row and the column.
//!
//! Read through the one table reader ([`framewright_model::table`]); missing cells follow its
//! rule for measurements ([`framewright_model::table::is_missing_answer`]): an empty cell, `NA`,
//! `N/A`, `NaN`, `DK` or `don't know` (any case, surrounding spaces ignored) is missing. `0` is a
//! number like any other: it is never missing.

use std::path::Path;

use framewright_model::table::{Quoting, TextTable};

/// Why a CSV table could not be read. Lines are 1-based lines of the file (the header is line
/// 1); data rows are 1-based rows after the header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// The file could not be read.
    #[error("{source_name}: cannot read the file: {message}")]
    Io {
        /// File name.
        source_name: String,
        /// The system's message.
        message: String,
    },
    /// No header row.
    #[error("{source_name}: the file is empty (a header row naming the columns is needed)")]
    Empty {
        /// File name.
        source_name: String,
    },
    /// A header but no data rows.
    #[error("{source_name}: the file has a header but no data rows")]
    NoRows {
        /// File name.
        source_name: String,
    },
    /// Two columns with the same name.
    #[error("{source_name}: line 1: column name \"{column}\" appears more than once")]
    DuplicateColumn {
        /// File name.
        source_name: String,
        /// The repeated name.
        column: String,
    },
    /// An empty column name.
    #[error("{source_name}: line 1: column {position} has no name")]
    UnnamedColumn {
        /// File name.
        source_name: String,
        /// 1-based column position.
        position: usize,
    },
    /// A row with more or fewer cells than the header.
    #[error(
        "{source_name}: line {line} (data row {row}) has {found} cells, but the header has {expected} columns"
    )]
    Ragged {
        /// File name.
        source_name: String,
        /// File line.
        line: u64,
        /// Data row.
        row: usize,
        /// Cells found.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A cell that should be a number is not.
    #[error(
        "{source_name}: line {line} (data row {row}), column \"{column}\": \"{value}\" is not a number (leave the cell empty or write NA for a missing value)"
    )]
    NotNumeric {
        /// File name.
        source_name: String,
        /// File line.
        line: u64,
        /// Data row.
        row: usize,
        /// Column name.
        column: String,
        /// The cell text.
        value: String,
    },
    /// A column asked for by name is not in the header.
    #[error("{source_name}: there is no column \"{column}\" (the columns are: {available})")]
    MissingColumn {
        /// File name.
        source_name: String,
        /// The name asked for.
        column: String,
        /// The header, comma-separated.
        available: String,
    },
    /// The CSV syntax is broken (for example an unclosed quote) or the text is not UTF-8.
    #[error("{source_name}: line {line}: {message}")]
    Syntax {
        /// File name.
        source_name: String,
        /// File line.
        line: u64,
        /// What the CSV reader reported.
        message: String,
    },
}

/// A CSV table as text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    source_name: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    lines: Vec<u64>,
}

/// Numbers taken from some columns of a [`CsvTable`], row-major, `None` for missing cells.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericColumns {
    /// Column names, in the order asked for.
    pub columns: Vec<String>,
    /// One row per data row.
    pub rows: Vec<Vec<Option<f64>>>,
}

/// Whether a cell's text means "missing" (the table reader's rule for measurements).
pub fn is_missing_cell(cell: &str) -> bool {
    framewright_model::table::is_missing_answer(cell)
}

impl CsvTable {
    /// Reads a CSV file.
    pub fn read(path: &Path) -> Result<Self, TableError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| TableError::Io {
            source_name: name.clone(),
            message: e.to_string(),
        })?;
        Self::parse(&name, &bytes)
    }

    /// Parses CSV bytes; `source_name` names the input in errors.
    pub fn parse(source_name: &str, bytes: &[u8]) -> Result<Self, TableError> {
        let syntax = |e: framewright_model::table::TableError| TableError::Syntax {
            source_name: source_name.to_string(),
            line: e.at.line.unwrap_or(0),
            message: e.message,
        };
        let mut table = TextTable::new(source_name, bytes, b',', Quoting::Csv)
            .map_err(syntax)?
            .raw();
        let headers = table.header().names().to_vec();
        if headers.iter().all(String::is_empty) {
            return Err(TableError::Empty {
                source_name: source_name.to_string(),
            });
        }
        check_header(source_name, &headers)?;
        let mut rows = Vec::new();
        let mut lines = Vec::new();
        while let Some(row) = table.next_row().map_err(syntax)? {
            if row.len() != headers.len() {
                return Err(TableError::Ragged {
                    source_name: source_name.to_string(),
                    line: row.line,
                    row: rows.len() + 1,
                    found: row.len(),
                    expected: headers.len(),
                });
            }
            rows.push((0..row.len()).map(|i| row.cell(i).to_string()).collect());
            lines.push(row.line);
        }
        if rows.is_empty() {
            return Err(TableError::NoRows {
                source_name: source_name.to_string(),
            });
        }
        Ok(Self {
            source_name: source_name.to_string(),
            headers,
            rows,
            lines,
        })
    }

    /// The name used in errors (usually the path).
    pub fn source_name(&self) -> &str {
        &self.source_name
    }
    /// Column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.rows.len()
    }
    /// The file line of a 1-based data row.
    pub fn line_of_row(&self, row: usize) -> Option<u64> {
        row.checked_sub(1).and_then(|i| self.lines.get(i).copied())
    }
    /// The text of a cell (0-based row and column).
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map(String::as_str)
    }

    /// The position of a named column.
    pub fn column_index(&self, name: &str) -> Result<usize, TableError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| TableError::MissingColumn {
                source_name: self.source_name.clone(),
                column: name.to_string(),
                available: self.headers.join(", "),
            })
    }

    /// The trimmed text of a named column, `None` for missing cells.
    pub fn text_column(&self, name: &str) -> Result<Vec<Option<String>>, TableError> {
        let c = self.column_index(name)?;
        Ok(self
            .rows
            .iter()
            .map(|r| {
                let t = r[c].trim();
                (!is_missing_cell(t)).then(|| t.to_string())
            })
            .collect())
    }

    /// The numbers of a named column.
    pub fn numeric_column(&self, name: &str) -> Result<Vec<Option<f64>>, TableError> {
        let c = self.column_index(name)?;
        (0..self.rows.len()).map(|r| self.number(r, c)).collect()
    }

    fn number(&self, row: usize, col: usize) -> Result<Option<f64>, TableError> {
        let text = self.rows[row][col].trim();
        if is_missing_cell(text) {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(TableError::NotNumeric {
                source_name: self.source_name.clone(),
                line: self.lines[row],
                row: row + 1,
                column: self.headers[col].clone(),
                value: text.to_string(),
            }),
        }
    }

    /// Numbers from the named columns (all columns when `names` is empty, in header order).
    pub fn numeric(&self, names: &[String]) -> Result<NumericColumns, TableError> {
        let cols: Vec<usize> = if names.is_empty() {
            (0..self.headers.len()).collect()
        } else {
            names
                .iter()
                .map(|n| self.column_index(n))
                .collect::<Result<_, _>>()?
        };
        let mut rows = Vec::with_capacity(self.rows.len());
        for r in 0..self.rows.len() {
            rows.push(
                cols.iter()
                    .map(|&c| self.number(r, c))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        Ok(NumericColumns {
            columns: cols.iter().map(|&c| self.headers[c].clone()).collect(),
            rows,
        })
    }
}

/// Every column named, no name twice.
fn check_header(source_name: &str, headers: &[String]) -> Result<(), TableError> {
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            return Err(TableError::UnnamedColumn {
                source_name: source_name.to_string(),
                position: i + 1,
            });
        }
        if headers[..i].contains(h) {
            return Err(TableError::DuplicateColumn {
                source_name: source_name.to_string(),
                column: h.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn parse(text: &str) -> Result<CsvTable, TableError> {
        CsvTable::parse("t.csv", text.as_bytes())
    }

    #[test]
    fn reads_numbers_and_missing_cells() {
        let t = parse("\u{feff}a,b,c\n1,,NA\n0, 2.5 ,n/a\n\n").unwrap();
        let n = t.numeric(&[]).unwrap();
        assert_eq!(n.columns, ["a", "b", "c"]);
        assert_eq!(
            n.rows,
            vec![
                vec![Some(1.0), None, None],
                vec![Some(0.0), Some(2.5), None]
            ]
        );
        assert_eq!(t.line_of_row(2), Some(3));
    }

    #[test]
    fn errors_name_line_row_and_column() {
        let e = parse("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv: line 3 (data row 2) has 1 cells, but the header has 2 columns"
        );
        let e = parse("a,b\n1,2\n3,x\n").unwrap().numeric(&[]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("t.csv: line 3 (data row 2), column \"b\": \"x\" is not a number")
        );
        let e = parse("a,b\n1,2\n")
            .unwrap()
            .numeric(&["z".into()])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.csv: there is no column \"z\" (the columns are: a, b)"
        );
        assert!(matches!(parse(""), Err(TableError::Empty { .. })));
        assert!(matches!(parse("a,b\n"), Err(TableError::NoRows { .. })));
        assert!(matches!(
            parse("a,a\n1,2\n"),
            Err(TableError::DuplicateColumn { .. })
        ));
        assert!(matches!(
            parse("a,\"b\n1,2\n"),
            Err(TableError::Syntax { .. })
                | Err(TableError::Ragged { .. })
                | Err(TableError::NoRows { .. })
        ));
        assert!(matches!(
            parse("a,b\n1,inf\n").unwrap().numeric(&[]),
            Err(TableError::NotNumeric { .. })
        ));
    }

    proptest! {
        #[test]
        fn written_tables_read_back(cells in proptest::collection::vec(
            proptest::collection::vec(proptest::option::of(-1e6f64..1e6), 3), 1..20)) {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["x", "y", "z"]).unwrap();
            for r in &cells {
                w.write_record(r.iter().map(|c| c.map_or(String::new(), |v| v.to_string()))).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            let t = CsvTable::parse("p.csv", &bytes).unwrap();
            let n = t.numeric(&[]).unwrap();
            // an all-missing row is written as ",," which is still a row of three empty cells
            prop_assert_eq!(n.rows, cells);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            if let Ok(t) = CsvTable::parse("f.csv", &bytes) {
                let _ = t.numeric(&[]);
            }
        }
    }
}
