//! Importers: catalogues from ESCO, O*NET, NICE, SFIA (a licensee's own file) and spreadsheets,
//! and the pieces they share: progress callbacks, located errors, cell text.
//!
//! Every importer reads its input completely and validates everything before it returns a
//! catalogue; the caller saves it (atomically) only then, so an import either happens whole or
//! not at all. Progress goes to a [`Progress`] the caller supplies (the CLI draws a bar).

pub mod esco;
pub mod generic;
pub mod nice;
pub mod onet;
pub mod onet_ratings;
pub mod sfia;
pub mod spreadsheet;
pub mod upload;

use std::path::{Path, PathBuf};

/// A catalogue and what the import noticed on the way.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The catalogue (valid, not yet saved).
    pub catalogue: framewright_model::Catalogue,
    /// Things left out or worth knowing (one sentence each).
    pub warnings: Vec<String>,
}

/// Receives progress reports from a long import.
pub trait Progress {
    /// A new stage starts (`"skills"`), with the amount of work when known (bytes or rows).
    fn stage(&mut self, name: &str, total: Option<u64>);
    /// `done` units of the current stage are finished (a running total).
    fn advance(&mut self, done: u64);
    /// The import is over.
    fn finish(&mut self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&mut self, _name: &str, _total: Option<u64>) {}
    fn advance(&mut self, _done: u64) {}
}

pub use framewright_model::location::Location;

/// Why an import did not happen. Nothing is written when an import fails.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The content of a file is wrong at a known place.
    #[error("{at}: {message}")]
    At {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A file could not be opened or read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file is larger than a limit allows (it unpacks to too much, has too many rows, …).
    #[error("{file}: {exceeded}")]
    Limit {
        /// The file.
        file: String,
        /// Which limit, and what is too large.
        exceeded: framewright_model::LimitExceeded,
    },
    /// A required file of a multi-file release is missing.
    #[error("{}: {message}", .path.display())]
    MissingFile {
        /// The folder or file that was expected.
        path: PathBuf,
        /// What was looked for.
        message: String,
    },
}

impl From<framewright_model::table::TableError> for ImportError {
    fn from(e: framewright_model::table::TableError) -> Self {
        ImportError::At {
            at: e.at,
            message: e.message,
        }
    }
}

impl ImportError {
    /// An error at `line`/`column` of `file`.
    pub fn at(
        file: &str,
        line: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> ImportError {
        ImportError::At {
            at: Location {
                file: file.to_string(),
                sheet: None,
                line,
                column: column.map(str::to_string),
            },
            message: message.into(),
        }
    }

    /// An error in a sheet of a workbook.
    pub fn in_sheet(
        file: &str,
        sheet: &str,
        row: Option<u64>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> ImportError {
        ImportError::At {
            at: Location {
                file: file.to_string(),
                sheet: Some(sheet.to_string()),
                line: row,
                column: column.map(str::to_string),
            },
            message: message.into(),
        }
    }

    /// The place of the error, when it is in a file's content.
    pub fn location(&self) -> Option<&Location> {
        match self {
            ImportError::At { at, .. } => Some(at),
            _ => None,
        }
    }
}

/// Reads a file whole, naming it in the error.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The file's name as the user gave it, for messages.
pub(crate) fn display(path: &Path) -> String {
    path.display().to_string()
}

/// `text` as UTF-8 (a byte-order mark is dropped), or an error naming the line and column of
/// the first byte that is not UTF-8.
pub(crate) fn utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let line_start = valid
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        ImportError::At {
            at: Location {
                file: file.to_string(),
                sheet: None,
                line: Some(line),
                column: Some(format!("character {column}")),
            },
            message: "this is not UTF-8 text (the file may be saved as Windows-1252 or Latin-1); save or export it as UTF-8 and import again".into(),
        }
    })
}

/// The line (1-based) on which a quoted cell opens that is never closed properly, if any (see
/// [`framewright_model::table::unclosed_quote`]).
pub(crate) fn unclosed_quote(bytes: &[u8], delimiter: u8) -> Option<u64> {
    framewright_model::table::unclosed_quote(bytes, delimiter)
        .ok()
        .flatten()
}

/// A CSV reader that counts lines right for files with Windows line ends too: records end at
/// `\n` only (the csv crate's default CRLF handling reports the line before for every record
/// of a CRLF file), so the `\r` of a CRLF line end stays on the last cell; [`cell`] drops it.
pub(crate) fn csv_reader<R: std::io::Read>(reader: R, delimiter: u8) -> ::csv::Reader<R> {
    ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::Any(b'\n'))
        .flexible(false)
        .from_reader(reader)
}

/// A cell of a record read by [`csv_reader`], without the `\r` of a CRLF line end.
pub(crate) fn cell(record: &::csv::StringRecord, index: usize) -> &str {
    let value = record.get(index).unwrap_or_default();
    if index + 1 == record.len() {
        value.strip_suffix('\r').unwrap_or(value)
    } else {
        value
    }
}

pub(crate) use framewright_catalog::csv_form::split_values;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_bytes_are_located() {
        let e = utf8(b"id,name\nx,Caf\xe9\n", "a.csv").unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.csv, line 2, column `character 6`: this is not UTF-8 text (the file may be saved as Windows-1252 or Latin-1); save or export it as UTF-8 and import again"
        );
    }

    #[test]
    fn unclosed_quotes_are_found() {
        assert_eq!(unclosed_quote(b"a,b\n\"x,y\nz\n", b','), Some(2));
        assert_eq!(unclosed_quote(b"a,b\n\"x\"\"y\",z\n", b','), None);
    }

    #[test]
    fn multi_valued_cells_split_on_lines_or_bars() {
        assert_eq!(split_values("a\nb\n\n c "), ["a", "b", "c"]);
        assert_eq!(split_values("a|b"), ["a", "b"]);
        assert_eq!(split_values(""), Vec::<String>::new());
    }
}
