//! Why a framework could not be generated. Every message is written for the person who asked:
//! it names the option, file, line or field at fault and says what to do.

use std::fmt;

/// A problem in a data file the generator reads (built-in data, or a file the user gave with
/// `--mapping`): the file, the line and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DataError {
    /// The file as the user named it (or `data/generator/…` for built-in data).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The field at fault, when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl DataError {
    /// A problem found after parsing, at `field`.
    pub fn at(file: &str, field: impl Into<String>, message: impl Into<String>) -> DataError {
        DataError {
            file: file.to_string(),
            line: None,
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A TOML syntax or type error, located by its span in `text`.
    pub fn from_toml(file: &str, text: &str, error: &toml::de::Error) -> DataError {
        let line = error
            .span()
            .map(|s| framewright_model::file::line_column(text, s.start).0);
        DataError {
            file: file.to_string(),
            line,
            field: None,
            message: error.message().trim().to_string(),
        }
    }
}

/// Why the generator could not produce a framework.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The role has no title.
    #[error("the role needs a title: give --title (or `title` in the role file)")]
    EmptyTitle,
    /// A target count outside 6 … 12.
    #[error(
        "a framework should hold 6 to 12 competencies; {0} was asked for (--count / `target_count`)"
    )]
    CountOutOfRange(usize),
    /// A generic level outside 1 … 5.
    #[error("a generic role level runs from 1 to 5; {0} was given (--level / `level`)")]
    LevelOutOfRange(u8),
    /// Both a grade and a generic level.
    #[error("give either a grade (--grade GS-13) or a generic level (--level 3), not both")]
    GradeAndLevel,
    /// No catalogue to choose from.
    #[error("no competency catalogue to choose from")]
    NoCatalogue,
    /// An include or exclude that names nothing in the catalogues.
    #[error(
        "--{option} \"{key}\": no competency with that id or name in {catalogues}{hint}; `framewright catalog show` lists the names"
    )]
    UnknownCompetency {
        /// `include` or `exclude`.
        option: &'static str,
        /// What the user wrote.
        key: String,
        /// The catalogues searched.
        catalogues: String,
        /// A close name, when there is one (", did you mean …?").
        hint: String,
    },
    /// The same competency both included and excluded.
    #[error("\"{0}\" is both included and excluded; keep it in one list only")]
    IncludedAndExcluded(String),
    /// Two included competencies that lint would report as overlapping.
    #[error(
        "\"{first}\" and \"{second}\" are both included, but they overlap ({reason}); include only one of them"
    )]
    OverlappingIncludes {
        /// The first.
        first: String,
        /// The second.
        second: String,
        /// Same name, same definition, or nearly the same definition.
        reason: String,
    },
    /// The scale does not have the levels the templates and mapping use.
    #[error(
        "the proficiency scale `{0}` must have levels 1 to 5 for the generator's templates and grade mapping"
    )]
    UnsupportedScale(String),
    /// The suggestion engine failed.
    #[error("the suggestion engine failed: {0}")]
    Ranker(String),
    /// A data file is damaged or a user-supplied file is wrong.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The generated framework failed its own lint check (a defect of Framewright).
    #[error(
        "the generated framework did not pass lint, which is a defect of Framewright; please report it: {0}"
    )]
    LintFailed(String),
}
