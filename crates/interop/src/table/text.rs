//! Delimited text files (CSV, tab-separated) streamed through the one table reader
//! ([`framewright_model::table::TextTable`]) with progress and [`ImportError`]s: the file side
//! of the reader, used by the ESCO, O*NET, SFIA and generic catalogue importers.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use framewright_model::table::{self, Header, Row};

pub(crate) use framewright_model::table::Quoting;

use crate::catalogue::{ImportError, Progress, display};

/// A delimited file opened for reading.
pub(crate) struct TextTable {
    table: table::TextTable<BufReader<File>>,
    size: u64,
    count: u64,
}

/// One record: its line and cells.
pub(crate) struct Record<'a> {
    row: Row<'a>,
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
            if let Some(line) =
                table::unclosed_quote(BufReader::new(handle), delimiter).map_err(io)?
            {
                return Err(table::unclosed_quote_error(&file, line).into());
            }
        }
        let handle = File::open(path).map_err(io)?;
        let input = BufReader::with_capacity(1 << 16, handle);
        let table = table::TextTable::new(&file, input, delimiter, quoting)?;
        progress.stage(stage, Some(size));
        Ok(TextTable {
            table,
            size,
            count: 0,
        })
    }

    /// Takes off the quote Framewright's CSV exports put in front of formula-like cells (see
    /// [`framewright_model::table::restore_formula`]).
    pub(crate) fn restore_formulas(mut self) -> TextTable {
        self.table = self.table.restore_formulas();
        self
    }

    /// The header.
    pub(crate) fn header(&self) -> &Header {
        self.table.header()
    }

    /// The file's name for messages.
    pub(crate) fn file(&self) -> &str {
        self.table.header().file()
    }

    /// Fails unless every column in `names` is in the header (case-insensitive).
    pub(crate) fn require(&self, names: &[&str]) -> Result<(), ImportError> {
        Ok(self.header().require(names)?)
    }

    /// Whether the header has column `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.header().has(name)
    }

    /// The header's column names, lowercase.
    pub(crate) fn header_lowercase(&self) -> Vec<String> {
        self.header()
            .names()
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect()
    }

    /// The next record, or `None` at the end. Blank lines are skipped.
    pub(crate) fn next(
        &mut self,
        progress: &mut dyn Progress,
    ) -> Result<Option<Record<'_>>, ImportError> {
        self.count += 1;
        if self.count.is_multiple_of(512) {
            progress.advance(self.table.byte_position());
        }
        match self.table.next_row()? {
            Some(row) => Ok(Some(Record {
                line: row.line,
                row,
            })),
            None => {
                progress.advance(self.size);
                Ok(None)
            }
        }
    }
}

impl Record<'_> {
    /// The trimmed cell of column `name`, `None` when the column is absent or the cell missing.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.row.get(name)
    }

    /// The cell of column `name`, or an error naming the line and column when it is missing.
    pub(crate) fn required(&self, name: &str) -> Result<&str, ImportError> {
        Ok(self.row.required(name)?)
    }

    /// An error at this record's line and column `name`.
    pub(crate) fn error(&self, name: &str, message: impl Into<String>) -> ImportError {
        self.row.error(name, message).into()
    }

    /// The row, for readers shared with pure crates.
    pub(crate) fn row(&self) -> &Row<'_> {
        &self.row
    }
}
