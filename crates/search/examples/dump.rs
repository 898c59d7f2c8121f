//! Writes the ESCO development set as the engine sees it, for `scripts/eval/text_experiments.py`:
//! the catalogue and the roles as stems, each role's gold (only to score with) and fold, and the
//! engine's text-only scores (default settings) for every role and item.
//!
//! `cargo run --release -p framewright-search --example dump -- EVAL_DIR OUT_DIR`
//!
//! Files in OUT_DIR: `docs.jsonl` (`id`, `name`, `alt`, `def` as stems), `queries.jsonl` (`id`,
//! `fold`, `title`, `desc` as stems, `rel`), `total.f32` (roles × items, little-endian f32: the
//! combined score; 0 where the engine gives none) and `text.f32` (the text score alone, scaled so
//! that each role's best is 1).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod eval_support;

use std::io::Write;
use std::path::PathBuf;

use eval_support::*;
use framewright_search::text::Analyzer;
use framewright_search::{Index, RankingConfig, SuggestOptions, Synonyms};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("EVAL_DIR"));
    let out = PathBuf::from(args.next().expect("OUT_DIR"));
    std::fs::create_dir_all(&out).unwrap();
    let set = load(&dir);
    let analyzer = Analyzer::new();
    let stems = |t: &str| {
        analyzer
            .analyze(t)
            .into_iter()
            .map(|t| t.stem)
            .collect::<Vec<_>>()
    };
    let mut f = std::fs::File::create(out.join("docs.jsonl")).unwrap();
    for d in &set.documents {
        let alt: Vec<Vec<String>> = d.alt_labels.iter().map(|l| stems(l)).collect();
        let line = serde_json::json!({
            "id": d.id, "name": stems(&d.name), "alt": alt, "def": stems(&d.definition)
        });
        writeln!(f, "{line}").unwrap();
    }
    let mut f = std::fs::File::create(out.join("queries.jsonl")).unwrap();
    for (id, fold, q, rel) in &set.roles {
        let line = serde_json::json!({
            "id": id, "fold": fold, "title": stems(&q.title), "desc": stems(&q.description),
            "rel": rel
        });
        writeln!(f, "{line}").unwrap();
    }
    let index = Index::build(set.documents.clone(), Synonyms::builtin().unwrap()).unwrap();
    let config = RankingConfig::default();
    let mut total_file = std::fs::File::create(out.join("total.f32")).unwrap();
    let mut text_file = std::fs::File::create(out.join("text.f32")).unwrap();
    for (_, _, q, _) in &set.roles {
        let options = SuggestOptions {
            top: index.len(),
            reference_roles: None,
            priors: None,
        };
        let mut total = vec![0f32; index.len()];
        let mut text = vec![0f32; index.len()];
        for r in index.suggest(q, &options, &config).unwrap() {
            total[r.position] = r.score as f32;
            text[r.position] = r.evidence.text_score as f32;
        }
        for x in total {
            total_file.write_all(&x.to_le_bytes()).unwrap();
        }
        for x in text {
            text_file.write_all(&x.to_le_bytes()).unwrap();
        }
    }
}
