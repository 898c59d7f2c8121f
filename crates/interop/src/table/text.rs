//! Delimited text files read as a stream of records keyed on header names, with the file, line
//! and column of every problem. Used by the ESCO, O*NET and generic catalogue importers.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::catalogue::{ImportError, Progress, display, unclosed_quote_in};

/// How a file quotes its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quoting {
    /// RFC 4180 quotes (`"a, b"`, `""` inside): ESCO, generic CSV.
    Csv,
    /// No quoting at all: tab-separated O*NET files, whose text may contain `"`.
    None,
}

/// A delimited file opened for reading, its header indexed by lowercase name.
pub(crate) struct TextTable {
    reader: ::csv::Reader<BufReader<File>>,
    file: String,
    header: Vec<String>,
    columns: HashMap<String, usize>,
    size: u64,
    record: ::csv::StringRecord,
    count: u64,
}

/// One record: its line and cells.
pub(crate) struct Record<'a> {
    table: &'a TextTable,
    /// 1-based line where the record starts.
    pub line: u64,
}

impl TextTable {
    /// Opens `path`; checks that quotes are balanced first (a stray quote would otherwise make
    /// the rest of the file one cell).
    pub(crate) fn open(
        path: &Path,
        delimiter: u8,
        quoting: Quoting,
        progress: &mut dyn Progress,
        stage: &str,
    ) -> Result<TextTable, ImportError> {
        let file = display(path);
        let io = |source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let size = std::fs::metadata(path).map_err(io)?.len();
        if quoting == Quoting::Csv {
            let handle = File::open(path).map_err(io)?;
            if let Some(line) = unclosed_quote_in(BufReader::new(handle), delimiter).map_err(io)? {
                return Err(ImportError::at(
                    &file,
                    Some(line),
                    None,
                    "a quoted cell that starts on this line is never closed; add the closing quote (\") or remove the opening one",
                ));
            }
        }
        let handle = File::open(path).map_err(io)?;
        let mut reader = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .quoting(quoting == Quoting::Csv)
            .terminator(::csv::Terminator::Any(b'\n'))
            .flexible(false)
            .from_reader(BufReader::with_capacity(1 << 16, handle));
        let header_record = reader
            .headers()
            .map_err(|e| record_error(&file, &[], &e))?
            .clone();
        let mut header = Vec::new();
        let mut columns = HashMap::new();
        for i in 0..header_record.len() {
            let mut name = crate::catalogue::cell(&header_record, i).trim().to_string();
            if i == 0 {
                name = name.trim_start_matches('\u{feff}').to_string();
            }
            columns.entry(name.to_ascii_lowercase()).or_insert(i);
            header.push(name);
        }
        progress.stage(stage, Some(size));
        Ok(TextTable {
            reader,
            file,
            header,
            columns,
            size,
            record: ::csv::StringRecord::new(),
            count: 0,
        })
    }

    /// The file's name for messages.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// Fails unless every column in `names` is in the header (case-insensitive).
    pub(crate) fn require(&self, names: &[&str]) -> Result<(), ImportError> {
        for name in names {
            if !self.has(name) {
                return Err(ImportError::at(
                    &self.file,
                    Some(1),
                    Some(name),
                    format!(
                        "the header has no `{name}` column (found: {}); is this the right file?",
                        self.header.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Whether the header has column `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.columns.contains_key(&name.to_ascii_lowercase())
    }

    /// The header's column names, lowercase.
    pub(crate) fn header_lowercase(&self) -> Vec<String> {
        self.header.iter().map(|h| h.to_ascii_lowercase()).collect()
    }

    /// The next record, or `None` at the end. Blank lines are skipped.
    pub(crate) fn next(
        &mut self,
        progress: &mut dyn Progress,
    ) -> Result<Option<Record<'_>>, ImportError> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => {
                    progress.advance(self.size);
                    return Ok(None);
                }
                Ok(true) => {}
                Err(e) => return Err(record_error(&self.file, &self.header, &e)),
            }
            self.count += 1;
            let position = self.record.position().cloned();
            if self.count.is_multiple_of(512)
                && let Some(p) = &position
            {
                progress.advance(p.byte());
            }
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let line = position.map_or(0, |p| p.line());
            return Ok(Some(Record { table: self, line }));
        }
    }
}

impl Record<'_> {
    /// The trimmed cell of column `name`, `None` when the column is absent or the cell empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        let index = *self.table.columns.get(&name.to_ascii_lowercase())?;
        let value = crate::catalogue::cell(&self.table.record, index).trim();
        (!value.is_empty()).then_some(value)
    }

    /// The cell of column `name`, or an error naming the line and column when it is empty.
    pub(crate) fn required(&self, name: &str) -> Result<&str, ImportError> {
        self.get(name)
            .ok_or_else(|| self.error(name, format!("`{name}` is empty; it is required")))
    }

    /// An error at this record's line and column `name`.
    pub(crate) fn error(&self, name: &str, message: impl Into<String>) -> ImportError {
        let column = self
            .table
            .columns
            .get(&name.to_ascii_lowercase())
            .and_then(|i| self.table.header.get(*i))
            .map_or(name, String::as_str);
        ImportError::at(&self.table.file, Some(self.line), Some(column), message)
    }
}

fn record_error(file: &str, header: &[String], error: &::csv::Error) -> ImportError {
    let line = error.position().map(|p| p.line());
    match error.kind() {
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ImportError::at(
            file,
            line,
            None,
            format!(
                "this row has {len} cells but the header has {expected_len}; check for a missing or extra separator, or a quote that is not closed"
            ),
        ),
        ::csv::ErrorKind::Utf8 { err, .. } => {
            let column = header.get(err.field()).cloned();
            ImportError::at(
                file,
                line,
                column.as_deref(),
                "this cell is not UTF-8 text (the file may be saved as Windows-1252 or Latin-1); save or export it as UTF-8 and import again",
            )
        }
        ::csv::ErrorKind::Io(e) => {
            ImportError::at(file, line, None, format!("the file could not be read: {e}"))
        }
        _ => ImportError::at(
            file,
            line,
            None,
            format!("the file could not be read as delimited text: {error}"),
        ),
    }
}
