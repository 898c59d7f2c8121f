//! Where models are installed: one folder per model under the model folder
//! (FRAMEWRIGHT_MODEL_DIR, else the platform's data folder, e.g.
//! `~/.local/share/framewright/models/`), each with the model's files and a `manifest.toml`
//! that says what it is, where it came from, its licence, the sha256 of each file and whether
//! it was verified.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{SemanticError, io_error};

/// The manifest's file name in a model folder.
pub const MANIFEST: &str = "manifest.toml";

/// One file of an installed model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// The file's name in the model folder.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its sha256 when installed.
    pub sha256: String,
}

/// What an installed model is (`manifest.toml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The known model's name (`all-minilm-l6-v2`).
    pub name: String,
    /// The model's own name (`all-MiniLM-L6-v2`).
    pub title: String,
    /// Where the model comes from (upstream).
    pub source: String,
    /// What it was installed from (a folder, a wheel, a Python package, the hub).
    pub installed_from: String,
    /// The model's licence.
    pub licence: String,
    /// The files.
    pub files: Vec<ManifestFile>,
    /// The lowest cosine to the golden vectors at the last verification, when it passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_cosine: Option<f64>,
}

impl Manifest {
    /// Reads `manifest.toml` in `dir`.
    pub fn read(dir: &Path) -> Result<Manifest, SemanticError> {
        let path = dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        toml::from_str(&text).map_err(|e| io_error(&path, e))
    }

    /// Writes `manifest.toml` in `dir` (through a temporary file).
    pub fn write(&self, dir: &Path) -> Result<(), SemanticError> {
        let path = dir.join(MANIFEST);
        let text = toml::to_string(self).map_err(|e| io_error(&path, e))?;
        let part = dir.join(".manifest.toml.part");
        std::fs::write(&part, text).map_err(|e| io_error(&part, e))?;
        std::fs::rename(&part, &path).map_err(|e| io_error(&path, e))
    }
}

/// A model in the model folder.
#[derive(Debug, Clone, PartialEq)]
pub struct InstalledModel {
    /// Its folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

impl InstalledModel {
    /// The total size of its files in bytes.
    pub fn bytes(&self) -> u64 {
        self.manifest.files.iter().map(|f| f.bytes).sum()
    }

    /// Reads one of its files.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, SemanticError> {
        let path = self.dir.join(name);
        std::fs::read(&path).map_err(|e| io_error(&path, e))
    }
}

/// The model folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelStore {
    root: PathBuf,
}

impl ModelStore {
    /// The model folder at `root`.
    pub fn at(root: impl Into<PathBuf>) -> ModelStore {
        ModelStore { root: root.into() }
    }

    /// FRAMEWRIGHT_MODEL_DIR, else `framewright/models` in the platform's data folder
    /// (XDG_DATA_HOME or ~/.local/share; %APPDATA% on Windows). `None` when there is no home.
    pub fn from_env() -> Option<ModelStore> {
        if let Some(dir) = std::env::var_os("FRAMEWRIGHT_MODEL_DIR").filter(|d| !d.is_empty()) {
            return Some(ModelStore::at(dir));
        }
        let data = std::env::var_os("XDG_DATA_HOME")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|d| !d.is_empty())
                    .map(|h| PathBuf::from(h).join(".local").join("share"))
            })
            .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from))?;
        Some(ModelStore::at(data.join("framewright").join("models")))
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the model `name` is (or would be) installed.
    pub fn model_dir(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }

    /// The installed models, by name (folders without a readable manifest are skipped: an
    /// installation in progress, or something else).
    pub fn list(&self) -> Result<Vec<InstalledModel>, SemanticError> {
        let entries = match std::fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_error(&self.root, e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&self.root, e))?;
            let dir = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if hidden || !dir.is_dir() {
                continue;
            }
            if let Ok(manifest) = Manifest::read(&dir) {
                out.push(InstalledModel { dir, manifest });
            }
        }
        out.sort_by(|a, b| a.manifest.name.cmp(&b.manifest.name));
        Ok(out)
    }

    /// The installed model called `name`, if it is installed.
    pub fn get(&self, name: &str) -> Result<Option<InstalledModel>, SemanticError> {
        Ok(self
            .list()?
            .into_iter()
            .find(|m| m.manifest.name.eq_ignore_ascii_case(name)))
    }

    /// The model used by default: the default known model when it is installed, else the
    /// first installed one.
    pub fn default_model(&self) -> Result<Option<InstalledModel>, SemanticError> {
        let mut all = self.list()?;
        let default = crate::default_name()?;
        if let Some(i) = all.iter().position(|m| m.manifest.name == default) {
            return Ok(Some(all.swap_remove(i)));
        }
        Ok(all.into_iter().next())
    }
}
