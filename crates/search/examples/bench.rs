//! Speed of the suggestion engine on the 13,939-skill ESCO catalogue: index build and time per
//! query, text only and with reference roles. Run in release:
//!
//! `cargo run --release -p framewright-search --example bench -- [EVAL_DIR]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod eval_support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use eval_support::*;
use framewright_search::{Index, RankingConfig, SuggestOptions, Synonyms};

/// CPU time this thread has run so far (Linux: the first field of `/proc/thread-self/schedstat`,
/// in nanoseconds), or `None` elsewhere. On a loaded machine wall-clock times include waiting
/// for a core; CPU time does not.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("../shared/eval"), PathBuf::from);
    let set = load(&dir);
    let config = RankingConfig::default();
    let mut builds = Vec::new();
    let mut cpu = Vec::new();
    let mut index = None;
    for _ in 0..5 {
        let docs = set.documents.clone();
        let cpu_start = thread_cpu();
        let start = Instant::now();
        let built = Index::build(docs, Synonyms::builtin().unwrap()).unwrap();
        builds.push(start.elapsed());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu()) {
            cpu.push(b.saturating_sub(a));
        }
        index = Some(built);
    }
    let index = index.unwrap();
    println!(
        "index build: median {:.1} ms wall clock, {} over 5 runs ({} documents, {} terms)",
        median(builds).as_secs_f64() * 1e3,
        if cpu.is_empty() {
            "CPU time unknown".to_owned()
        } else {
            format!("median {:.1} ms CPU time", median(cpu).as_secs_f64() * 1e3)
        },
        index.len(),
        index.term_count()
    );

    for with_refs in [false, true] {
        let refs: Vec<_> = (1..=4)
            .map(|f| reference_roles_for(&index, &set, f, &config))
            .collect();
        let mut times = Vec::new();
        for _ in 0..5 {
            for (_, fold, query, _) in &set.roles {
                let options = SuggestOptions {
                    top: 50,
                    reference_roles: with_refs.then(|| &refs[*fold as usize - 1]),
                    priors: None,
                };
                let start = Instant::now();
                let results = index.suggest(query, &options, &config).unwrap();
                times.push(start.elapsed());
                assert!(!results.is_empty());
            }
        }
        let n = times.len();
        let total: Duration = times.iter().sum();
        let max = *times.iter().max().unwrap();
        println!(
            "suggest, top 50, {}: mean {:.2} ms, median {:.2} ms, max {:.2} ms per role ({n} queries)",
            if with_refs {
                "with 54 reference roles"
            } else {
                "text only"
            },
            total.as_secs_f64() * 1e3 / n as f64,
            median(times).as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
}
