//! Built-in catalogues and the generic catalogue CSV form.
//!
//! - [`opm`]: the OPM AI Competency Model (29 April 2024), transcribed in `data/opm-ai-2024.toml`,
//!   with its grade tables, importance ranks, AI-work criteria and source notes.
//! - [`scales`]: the default five-level proficiency scale.
//! - [`onet`]: the O*NET occupations (titles, descriptions, tasks), the O*NET descriptors and
//!   the OPM ↔ O*NET descriptor crosswalk.
//! - [`csv_form`]: any catalogue as CSV `id,name,alt_labels,definition` (alt labels split by `|`).
//!
//! Pure: the data is compiled into the binary and parsed from strings.

pub mod csv_form;
pub mod onet;
pub mod opm;
pub mod scales;
pub mod vocabulary;

pub use csv_form::{CsvCatalogueError, parse_catalogue_csv};
pub use opm::{AiWork, AiWorkCriterion, OpmModel, opm_ai_2024};
pub use scales::opm_five_level;
pub use vocabulary::builtin_vocabulary;

/// Why built-in data could not be read (a defect of the build, caught by the tests).
#[derive(Debug, thiserror::Error)]
pub enum BuiltInDataError {
    /// The embedded TOML does not parse.
    #[error("built-in data file {file} is damaged: {source}")]
    Toml {
        /// The data file.
        file: &'static str,
        /// The parser's message.
        source: toml::de::Error,
    },
    /// The embedded data breaks a rule of the model.
    #[error("built-in data file {file} is inconsistent: {message}")]
    Inconsistent {
        /// The data file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}
