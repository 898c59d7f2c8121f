//! The model folder, installation and verification, and the real all-MiniLM-L6-v2 (installed by
//! `.ci/run` into FRAMEWRIGHT_MODEL_DIR; in CI a missing model fails the tests that need it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use framewright_generate::{RankRequest, Ranker, SearchRanker};
use framewright_model::{Grade, Role};
use framewright_semantic::{
    ModelStore, Semantic, SemanticError, Source, default_name, find_known, install,
};

/// The installed model, or `None` (skip) outside CI.
fn installed() -> Option<framewright_semantic::InstalledModel> {
    let model = ModelStore::from_env().and_then(|s| s.get(default_name().unwrap()).unwrap());
    if model.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must install all-MiniLM-L6-v2 into FRAMEWRIGHT_MODEL_DIR (see .ci/run)"
        );
        eprintln!("skipped: no all-MiniLM-L6-v2 in FRAMEWRIGHT_MODEL_DIR");
    }
    model
}

fn fake_model(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for name in ["model.safetensors", "config.json", "tokenizer.json"] {
        std::fs::write(dir.join(name), b"not the model").unwrap();
    }
}

fn leftovers(root: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(root)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn a_file_with_another_hash_is_refused_by_name_and_nothing_is_installed() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("source");
    fake_model(&source);
    let store = ModelStore::at(tmp.path().join("models"));
    let model = find_known("all-minilm-l6-v2").unwrap();
    let err = install(&store, model, &Source::Folder(source), &mut |_| {}).unwrap_err();
    match &err {
        SemanticError::WrongFile { file, .. } => assert_eq!(file, "model.safetensors"),
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("nothing was installed"), "{err}");
    assert!(store.list().unwrap().is_empty());
    assert!(
        leftovers(store.root()).is_empty(),
        "{:?}",
        leftovers(store.root())
    );
}

#[test]
fn an_archive_without_the_model_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("other.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    zip.start_file(
        "something/else.txt",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap();
    let store = ModelStore::at(tmp.path().join("models"));
    let model = find_known("all-minilm-l6-v2").unwrap();
    let err = install(&store, model, &Source::Archive(file), &mut |_| {}).unwrap_err();
    assert!(
        err.to_string().contains("has no model.safetensors"),
        "{err}"
    );
    let err = install(
        &store,
        model,
        &Source::Archive(tmp.path().join("missing.whl")),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("missing.whl"), "{err}");
    assert!(store.list().unwrap().is_empty());
}

#[test]
fn an_empty_model_folder_has_no_default_model() {
    let tmp = tempfile::tempdir().unwrap();
    let store = ModelStore::at(tmp.path().join("nothing here"));
    assert!(store.list().unwrap().is_empty());
    assert!(store.default_model().unwrap().is_none());
}

#[test]
fn the_installed_model_verifies_and_reinstalls_from_a_folder_and_a_zip() {
    let Some(model) = installed() else { return };
    let v = framewright_semantic::verify(&model).unwrap();
    assert_eq!(v.files, 3);
    assert!(v.min_cosine >= v.required, "{v:?}");

    let tmp = tempfile::tempdir().unwrap();
    let store = ModelStore::at(tmp.path().join("models"));
    let known = find_known(&model.manifest.name).unwrap();
    let again = install(
        &store,
        known,
        &Source::Folder(model.dir.clone()),
        &mut |_| {},
    )
    .unwrap();
    assert!(again.manifest.verified_cosine.unwrap() >= v.required);
    assert_eq!(store.default_model().unwrap().unwrap().dir, again.dir);

    // A zip with the files in a package folder (like the PyPI wheel), stored uncompressed.
    let file = tmp.path().join("model.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&file).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    for f in &known.files {
        zip.start_file(format!("{}/{}", known.package_folder, f.name), options)
            .unwrap();
        zip.write_all(&model.read(&f.name).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    let replaced = install(&store, known, &Source::Archive(file), &mut |_| {}).unwrap();
    assert_eq!(replaced.dir, again.dir);
    assert_eq!(store.list().unwrap().len(), 1);
    assert!(
        leftovers(store.root()).iter().all(|p| p == &replaced.dir),
        "{:?}",
        leftovers(store.root())
    );
}

#[test]
fn the_semantic_ranker_puts_the_ai_competency_first_for_a_deep_learning_role() {
    let Some(model) = installed() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let semantic = Semantic::load(&model, Some(tmp.path().to_path_buf())).unwrap();
    let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
    let search = SearchRanker::builtin().unwrap();
    let ranker = semantic.ranker(&search, 0.5);
    let role = Role {
        title: "Deep learning researcher".into(),
        tasks: vec!["Train neural networks for image recognition".into()],
        grade: Grade::new(13),
        ..Role::default()
    };
    let priors = BTreeMap::new();
    let request = RankRequest {
        role: &role,
        catalogue: &opm,
        reference_roles: &[],
        priors: &priors,
        top: 5,
    };
    let ranked = ranker.rank(&request).unwrap();
    assert_eq!(
        ranked[0].id, "artificial-intelligence-and-machine-learning",
        "{ranked:#?}"
    );
    assert!(ranked[0].semantic.unwrap() > 0.3);
    assert_eq!(ranker.model().as_deref(), Some("all-MiniLM-L6-v2"));
    // The catalogue's vectors were cached on disk and a second matcher reads them.
    assert!(
        leftovers(tmp.path())
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "bin"))
    );
    let again = Semantic::load(&model, Some(tmp.path().to_path_buf())).unwrap();
    assert_eq!(again.ranker(&search, 0.5).rank(&request).unwrap(), ranked);
}

#[test]
fn related_texts_are_closer_than_unrelated_ones() {
    let Some(model) = installed() else { return };
    let semantic = Semantic::load(&model, None).unwrap();
    let v = semantic
        .embedder()
        .embed(&[
            "Machine learning engineer".to_string(),
            "Trains neural networks and deploys predictive models".to_string(),
            "Cooks meals in a restaurant kitchen".to_string(),
        ])
        .unwrap();
    assert_eq!(v[0].len(), 384);
    let related = framewright_generate::embeddings::cosine(&v[0], &v[1]);
    let unrelated = framewright_generate::embeddings::cosine(&v[0], &v[2]);
    assert!(related > unrelated + 0.2, "{related} vs {unrelated}");
}
