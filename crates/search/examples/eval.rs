//! Runs the ESCO development set through the ranking and prints the metrics per fold.
//!
//! `cargo run --release -p framewright-search --example eval -- [--dir DIR] [--refs]
//!  [--set name=value ...] [--write RESULTS.jsonl] [--show N]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod eval_support;

use std::path::PathBuf;
use std::time::Instant;

use eval_support::*;
use framewright_search::{Index, RankingConfig, Synonyms};

fn main() {
    let mut dir = PathBuf::from("../shared/eval");
    let mut refs = false;
    let mut config = RankingConfig::default();
    let mut write: Option<PathBuf> = None;
    let mut show = 0usize;
    let mut no_synonyms = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = args.next().unwrap().into(),
            "--refs" => refs = true,
            "--no-synonyms" => no_synonyms = true,
            "--set" => {
                let kv = args.next().unwrap();
                let (k, v) = kv.split_once('=').unwrap();
                set_param(&mut config, k, v.parse().unwrap());
            }
            "--write" => write = Some(args.next().unwrap().into()),
            "--show" => show = args.next().unwrap().parse().unwrap(),
            other => panic!("unknown argument {other}"),
        }
    }
    let set = load(&dir);
    let synonyms = if no_synonyms {
        Synonyms::none()
    } else {
        Synonyms::builtin().unwrap()
    };
    let start = Instant::now();
    let index = Index::build(set.documents.clone(), synonyms).unwrap();
    let build = start.elapsed();
    let start = Instant::now();
    let results = run(&index, &set, &config, refs, 50);
    let per_query = start.elapsed() / set.roles.len() as u32;
    let metrics: Vec<Metrics> = results.iter().map(|r| r.1).collect();
    let (folds, mean) = by_fold(&set, &metrics);
    for (f, m) in folds.iter().enumerate() {
        println!(
            "fold {}  R@10 {:.3}  R@20 {:.3}  R@50 {:.3}  nDCG@20 {:.3}  MRR {:.3}",
            f + 1,
            m.r10,
            m.r20,
            m.r50,
            m.ndcg20,
            m.mrr
        );
    }
    println!(
        "mean    R@10 {:.3}  R@20 {:.3}  R@50 {:.3}  nDCG@20 {:.3}  MRR {:.3}",
        mean.r10, mean.r20, mean.r50, mean.ndcg20, mean.mrr
    );
    println!(
        "index build {:.1} ms, {:.2} ms per query ({} documents, {} terms)",
        build.as_secs_f64() * 1e3,
        per_query.as_secs_f64() * 1e3,
        index.len(),
        index.term_count()
    );
    if let Some(path) = write {
        let mut out = String::new();
        for ((id, _, _, _), (res, _)) in set.roles.iter().zip(&results) {
            let items: Vec<serde_json::Value> = res
                .iter()
                .map(|s| serde_json::json!({"id": s.id, "score": s.score, "why": s.evidence.why()}))
                .collect();
            out.push_str(&serde_json::json!({"id": id, "results": items}).to_string());
            out.push('\n');
        }
        std::fs::write(path, out).unwrap();
    }
    for ((_, _, q, rel), (res, m)) in set.roles.iter().zip(&results).take(show) {
        println!("\n== {} (R@20 {:.2})", q.title, m.r20);
        for s in res.iter().take(20) {
            let hit = if rel.contains(&s.id) { "*" } else { " " };
            println!(
                " {hit} {:.3} {} — {}",
                s.score,
                index.documents()[s.position].name,
                s.evidence.why()
            );
        }
    }
}
