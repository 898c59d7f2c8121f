//! Where in a file a problem is: the one location type every reader of tables and documents
//! uses (catalogue importers, the statistics table, hiring files, workbooks), so every
//! user-visible error names its place the same way. It lives in the model because pure crates
//! (catalog, hiring) report locations too; front doors map it to their own forms (the server's
//! problem+json `FileLocation`).

use std::fmt;

/// Where in a file a problem is. Display: `file, sheet `S`, row 3, column `name`` (a text
/// file has lines, a workbook sheet has rows).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file, as the user named it.
    pub file: String,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// 1-based line (text files) or row (sheets).
    pub line: Option<u64>,
    /// The column: its header name, or a letter when there is no header.
    pub column: Option<String>,
}

impl Location {
    /// The whole file.
    pub fn file(file: impl Into<String>) -> Location {
        Location {
            file: file.into(),
            ..Location::default()
        }
    }

    /// A line (or row) of the file, optionally one column of it.
    pub fn at(file: impl Into<String>, line: Option<u64>, column: Option<&str>) -> Location {
        Location {
            file: file.into(),
            sheet: None,
            line,
            column: column.map(str::to_string),
        }
    }

    /// The same place in a sheet of a workbook.
    #[must_use]
    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Location {
        self.sheet = Some(sheet.into());
        self
    }

    /// The same line, column `column`.
    #[must_use]
    pub fn with_column(mut self, column: impl Into<String>) -> Location {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, ", sheet `{sheet}`")?;
        }
        if let Some(line) = self.line {
            let word = if self.sheet.is_some() { "row" } else { "line" };
            write!(f, ", {word} {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_file_sheet_row_and_column() {
        let at = Location::at("a.xlsx", Some(3), Some("name")).in_sheet("S");
        assert_eq!(at.to_string(), "a.xlsx, sheet `S`, row 3, column `name`");
        assert_eq!(
            Location::at("a.csv", Some(2), None).to_string(),
            "a.csv, line 2"
        );
        assert_eq!(Location::file("a.csv").to_string(), "a.csv");
    }
}
