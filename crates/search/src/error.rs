//! Errors of the search crate.

/// What can go wrong while building an index or reading search data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// Two documents given to the index share an id.
    #[error("document id \"{id}\" appears twice (documents {first} and {second}, counting from 1)")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Position of the first document with it (from 1).
        first: usize,
        /// Position of the second (from 1).
        second: usize,
    },
    /// A document has an empty id.
    #[error("document {position} (counting from 1) has an empty id")]
    EmptyId {
        /// Position of the document (from 1).
        position: usize,
    },
    /// The synonym data is malformed.
    #[error("synonyms: {0}")]
    Synonyms(String),
    /// A ranking setting is outside its allowed range.
    #[error("ranking setting {name} = {value} is not allowed: {rule}")]
    Setting {
        /// The setting's name.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The rule it breaks.
        rule: &'static str,
    },
}
