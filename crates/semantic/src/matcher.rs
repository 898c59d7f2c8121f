//! A loaded model ready to match: the embedder, its name, and the catalogue vectors, computed
//! once per catalogue version and kept in memory and in the cache folder
//! (FRAMEWRIGHT_CACHE_DIR, else ~/.cache/framewright) so that the next run only embeds the
//! role.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use framewright_generate::Ranker;
use framewright_generate::embeddings::{
    CatalogueEmbeddings, CatalogueVectors, Embedder, EmbeddingError, SemanticRanker,
};
use framewright_model::Catalogue;

use crate::store::{InstalledModel, ModelStore};
use crate::{SemanticError, io_error};

/// A sentence-embedding model loaded for matching, with its catalogue vectors.
pub struct Semantic {
    title: String,
    embedder: Embedder,
    cache_dir: Option<PathBuf>,
    /// Catalogue vectors by catalogue id (checked against the key before use).
    memory: RwLock<BTreeMap<String, Arc<CatalogueEmbeddings>>>,
}

impl std::fmt::Debug for Semantic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Semantic")
            .field("model", &self.title)
            .finish_non_exhaustive()
    }
}

/// The cache folder for catalogue vectors: FRAMEWRIGHT_CACHE_DIR/embeddings, else
/// `framewright/embeddings` in XDG_CACHE_HOME or ~/.cache.
pub fn cache_folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FRAMEWRIGHT_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("embeddings"));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("framewright").join("embeddings"))
}

/// The embedder of an installed model (its files read as they are; `verify` checks them).
pub(crate) fn load_embedder(model: &InstalledModel) -> Result<Embedder, SemanticError> {
    let weights = model.read("model.safetensors")?;
    let config_path = model.dir.join("config.json");
    let config =
        String::from_utf8(model.read("config.json")?).map_err(|e| io_error(&config_path, e))?;
    let tokenizer = model.read("tokenizer.json")?;
    Ok(Embedder::from_bytes(weights, &config, &tokenizer)?)
}

impl Semantic {
    /// Loads an installed model; catalogue vectors are cached in `cache_dir` when given.
    pub fn load(
        model: &InstalledModel,
        cache_dir: Option<PathBuf>,
    ) -> Result<Semantic, SemanticError> {
        Ok(Semantic {
            title: model.manifest.title.clone(),
            embedder: load_embedder(model)?,
            cache_dir,
            memory: RwLock::new(BTreeMap::new()),
        })
    }

    /// The default model of the model folder (FRAMEWRIGHT_MODEL_DIR or the platform's), with
    /// the usual cache folder; `None` when no model is installed.
    pub fn load_default() -> Result<Option<Semantic>, SemanticError> {
        let Some(store) = ModelStore::from_env() else {
            return Ok(None);
        };
        match store.default_model()? {
            Some(model) => Semantic::load(&model, cache_folder()).map(Some),
            None => Ok(None),
        }
    }

    /// The model's name (`all-MiniLM-L6-v2`).
    pub fn model(&self) -> &str {
        &self.title
    }

    /// The embedder.
    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// A ranker that adds `weight` × the role's similarity to each competency to `inner`'s
    /// scores.
    pub fn ranker<'a>(&'a self, inner: &'a dyn Ranker, weight: f64) -> SemanticRanker<'a> {
        SemanticRanker {
            inner,
            embedder: &self.embedder,
            catalogues: self,
            weight,
            model: &self.title,
        }
    }

    /// The similarity of `query` to each competency of `catalogue`, most similar first.
    pub fn similarities(
        &self,
        catalogue: &Catalogue,
        query: &str,
    ) -> Result<Vec<(String, f64)>, EmbeddingError> {
        let vectors = self.vectors(&self.embedder, catalogue)?;
        framewright_generate::embeddings::similarities(&self.embedder, &vectors, query)
    }

    /// Computes (or reads from the cache) the vectors of `catalogue` now, e.g. at start-up.
    pub fn prepare(&self, catalogue: &Catalogue) -> Result<(), EmbeddingError> {
        self.vectors(&self.embedder, catalogue).map(|_| ())
    }

    fn cache_file(&self, catalogue: &Catalogue) -> Option<PathBuf> {
        self.cache_dir.as_ref().map(|dir| {
            dir.join(format!(
                "{}.bin",
                framewright_model::slug::slugify(&catalogue.id)
            ))
        })
    }
}

impl CatalogueVectors for Semantic {
    fn vectors(
        &self,
        embedder: &Embedder,
        catalogue: &Catalogue,
    ) -> Result<Arc<CatalogueEmbeddings>, EmbeddingError> {
        let key = CatalogueEmbeddings::key(embedder, catalogue);
        if let Ok(memory) = self.memory.read()
            && let Some(e) = memory.get(&catalogue.id).filter(|e| e.key == key)
        {
            return Ok(Arc::clone(e));
        }
        let file = self.cache_file(catalogue);
        let cached = file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| CatalogueEmbeddings::from_bytes(&bytes, &key).ok());
        let embeddings = match cached {
            Some(e) => Arc::new(e),
            None => {
                let e = Arc::new(CatalogueEmbeddings::compute(embedder, catalogue)?);
                if let Some(f) = &file {
                    // A cache that cannot be written only costs time on the next run.
                    let _ = write_atomically(f, &e.to_bytes());
                }
                e
            }
        };
        if let Ok(mut memory) = self.memory.write() {
            memory.insert(catalogue.id.clone(), Arc::clone(&embeddings));
        }
        Ok(embeddings)
    }
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Unique per process and call: threads of a server may cache the same catalogue at once.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let part = path.with_extension(format!("part{}-{call}", std::process::id()));
    std::fs::write(&part, bytes)?;
    std::fs::rename(&part, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&part);
    })
}
