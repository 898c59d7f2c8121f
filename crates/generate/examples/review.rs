//! Per-role report of the generator on its review set (`data/generator/review-roles.toml`):
//! which competencies it picks, which expected ones it misses and which wrong ones it picks.
//!
//! ```text
//! cargo run -p framewright-generate --example review [-- --selection FILE] [--synonyms FILE] [--roles FILE]
//! cargo run -p framewright-generate --features embeddings --example review -- --semantic-model DIR
//! ```
//! The options replace the built-in selection settings, synonyms or review set (to try a change
//! before building it in).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/it/support/review.rs"]
mod review;

use framewright_generate::{RankRequest, Ranker, SearchRanker, SelectionSettings};
use framewright_search::Synonyms;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|path| std::fs::read_to_string(path).expect(path))
    };
    let selection = match option("--selection") {
        Some(text) => SelectionSettings::from_toml(&text, "--selection").unwrap(),
        None => SelectionSettings::builtin().unwrap(),
    };
    let ranker = match option("--synonyms") {
        Some(text) => SearchRanker::with_synonyms(Synonyms::from_toml(&text).unwrap()),
        None => SearchRanker::builtin().unwrap(),
    };
    let roles = option("--roles").unwrap_or_else(|| review::REVIEW_ROLES.to_string());
    let set: review::ReviewSet = toml::from_str(&roles).unwrap();
    if let Some(i) = args.iter().position(|a| a == "--explain") {
        // Text evidence alone (no priors) of every competency for one role.
        let id = &args[i + 1];
        let review = set.roles.iter().find(|r| &r.id == id).expect("role id");
        let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
        let priors = std::collections::BTreeMap::new();
        let request = RankRequest {
            role: &review.role,
            catalogue: &opm,
            reference_roles: &[],
            priors: &priors,
            top: 57,
        };
        for c in ranker.rank(&request).unwrap() {
            let kind = opm.find(&c.id).unwrap().kind.as_str();
            let words: Vec<&str> = c.matches.iter().map(|m| m.word.as_str()).collect();
            println!(
                "{kind:<10} {:<45} text {:.2}  {}",
                c.id,
                c.text_score,
                words.join(", ")
            );
        }
        return;
    }
    #[cfg(feature = "embeddings")]
    if let Some(folder) = args
        .iter()
        .position(|a| a == "--semantic-model")
        .and_then(|i| args.get(i + 1))
    {
        print!("{}", semantic(folder, &set, &selection, &ranker));
        return;
    }
    print!("{}", review::run(&set, &selection, &ranker).render());
}

/// The report with the semantic ranker (sentence embeddings of the model in `folder` added to
/// the text ranker's scores, as `framewright generate` does by default when a model is
/// installed).
#[cfg(feature = "embeddings")]
fn semantic(
    folder: &str,
    set: &review::ReviewSet,
    selection: &SelectionSettings,
    ranker: &SearchRanker,
) -> String {
    use framewright_generate::embeddings::{CatalogueEmbeddings, Embedder, SemanticRanker};
    let dir = std::path::Path::new(folder);
    let read = |name: &str| std::fs::read(dir.join(name)).expect(name);
    let embedder = Embedder::from_bytes(
        read("model.safetensors"),
        &String::from_utf8(read("config.json")).unwrap(),
        &read("tokenizer.json"),
    )
    .unwrap();
    let opm = framewright_catalog::opm_ai_2024().unwrap().catalogue;
    let mut catalogues = std::collections::BTreeMap::new();
    catalogues.insert(
        opm.id.clone(),
        std::sync::Arc::new(CatalogueEmbeddings::compute(&embedder, &opm).unwrap()),
    );
    let semantic = SemanticRanker {
        inner: ranker,
        embedder: &embedder,
        catalogues: &catalogues,
        weight: selection.embeddings.weight,
        model: "all-MiniLM-L6-v2",
    };
    review::run(set, selection, &semantic).render()
}
