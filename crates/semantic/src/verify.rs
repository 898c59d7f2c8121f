//! Verifying an installed model: its files still have the sha256 recorded at installation (and
//! in `data/models.toml`), and the loaded model embeds the golden texts as an independent
//! implementation did (scripts/models/golden.py; cosine at least the fixture's `min_cosine`).

use serde::Deserialize;

use crate::known::{find_known, golden_fixture};
use crate::store::InstalledModel;
use crate::{SemanticError, sha256_hex};

/// What a verification found.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// How many files were hashed.
    pub files: usize,
    /// How many golden texts were embedded.
    pub texts: usize,
    /// The lowest cosine between a golden vector and ours.
    pub min_cosine: f64,
    /// The cosine required.
    pub required: f64,
}

#[derive(Debug, Deserialize)]
struct Golden {
    min_cosine: f64,
    texts: Vec<GoldenText>,
}

#[derive(Debug, Deserialize)]
struct GoldenText {
    text: String,
    vector: Vec<f32>,
}

/// Re-hashes the files of `model`, loads it and compares its vectors with the golden ones;
/// records the result in its manifest when it passes.
pub fn verify(model: &InstalledModel) -> Result<Verification, SemanticError> {
    let known = find_known(&model.manifest.name)?;
    for file in &model.manifest.files {
        let bytes = model.read(&file.name)?;
        let recorded = known
            .files
            .iter()
            .find(|k| k.name == file.name)
            .map_or(file.sha256.as_str(), |k| k.sha256.as_str());
        let found = sha256_hex(&bytes);
        if found != recorded || found != file.sha256 {
            return Err(SemanticError::WrongFile {
                file: model.dir.join(&file.name).display().to_string(),
                model: known.title.clone(),
                found,
                expected: recorded.to_string(),
            });
        }
    }
    let verification = check_loaded(model)?;
    let mut manifest = model.manifest.clone();
    manifest.verified_cosine = Some(verification.min_cosine);
    manifest.write(&model.dir)?;
    Ok(Verification {
        files: model.manifest.files.len(),
        ..verification
    })
}

/// Loads the model in `model.dir` and compares its vectors with the golden ones.
pub(crate) fn check_loaded(model: &InstalledModel) -> Result<Verification, SemanticError> {
    let known = find_known(&model.manifest.name)?;
    let fixture = golden_fixture(&known.golden)
        .ok_or_else(|| SemanticError::Data(format!("no reference vectors for {}", known.title)))?;
    let golden: Golden = serde_json::from_str(fixture)
        .map_err(|e| SemanticError::Data(format!("{}: {e}", known.golden)))?;
    let embedder = crate::matcher::load_embedder(model)?;
    let texts: Vec<String> = golden.texts.iter().map(|t| t.text.clone()).collect();
    let ours = embedder.embed(&texts)?;
    let min_cosine = golden
        .texts
        .iter()
        .zip(&ours)
        .map(|(g, v)| {
            let norm = g
                .vector
                .iter()
                .map(|x| f64::from(*x).powi(2))
                .sum::<f64>()
                .sqrt();
            framewright_generate::embeddings::cosine(&g.vector, v) / norm.max(f64::MIN_POSITIVE)
        })
        .fold(f64::INFINITY, f64::min);
    // NaN (a broken model) fails too.
    if min_cosine.is_nan() || min_cosine < golden.min_cosine {
        return Err(SemanticError::Golden {
            found: min_cosine,
            required: golden.min_cosine,
        });
    }
    Ok(Verification {
        files: 0,
        texts: texts.len(),
        min_cosine,
        required: golden.min_cosine,
    })
}
