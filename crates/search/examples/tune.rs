//! Tunes the ranking settings by coordinate ascent, honestly: for each fold, the settings are
//! chosen on the other three folds and reported on the held-out one (cross-validated); then
//! they are chosen once on all four folds (in-sample, the candidate defaults).
//!
//! `cargo run --release -p framewright-search --example tune -- [--dir DIR] [--refs]
//!  [--neutral] [--set name=value ...] [--rounds N] [--only name,name,...]`
//!
//! The objective is R@20 + nDCG@20 averaged over the training queries.
//!
//! Coordinate ascent is local: started from the defaults (which were themselves chosen on all
//! four folds) it tends to stay there, and the "cross-validated" figure inherits the in-sample
//! choice. `--neutral` starts every setting being tuned from a fixed, untuned value instead (see
//! [`neutral`]); use it for honest cross-validated figures. `--set` applies after it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod eval_support;

use std::collections::HashMap;
use std::path::PathBuf;

use eval_support::*;
use framewright_search::{Index, RankingConfig, ReferenceRoles, SuggestOptions, Synonyms};

/// The search space: each setting with the values tried.
fn space(refs: bool) -> Vec<(&'static str, Vec<f64>)> {
    let mut s = vec![
        ("k1", vec![0.6, 0.9, 1.2, 1.6, 2.0, 3.0]),
        ("w_name", vec![1.0, 2.0, 3.0, 4.0, 6.0, 8.0]),
        ("w_alt", vec![0.0, 0.25, 0.5, 1.0, 1.5, 2.0]),
        ("w_def", vec![0.0, 0.25, 0.5, 1.0, 1.5, 2.0]),
        ("b_name", vec![0.0, 0.25, 0.5, 0.75, 1.0]),
        ("b_alt", vec![0.25, 0.5, 0.75, 1.0]),
        ("b_def", vec![0.25, 0.5, 0.75, 1.0]),
        ("title_weight", vec![1.0, 2.0, 3.0, 4.0, 6.0, 8.0]),
        ("title_head_weight", vec![0.0, 0.1, 0.25, 0.5, 0.75, 1.0]),
        ("query_tf_power", vec![0.0, 0.5, 0.75, 1.0]),
        ("phrase_weight", vec![0.0, 0.25, 0.5, 1.0, 2.0]),
        ("synonym_weight", vec![0.0, 0.25, 0.5, 0.75, 1.0]),
        ("feedback_weight", vec![0.0, 0.5, 1.0, 2.0, 3.0]),
        ("feedback_docs", vec![3.0, 5.0, 10.0, 20.0]),
        ("feedback_terms", vec![5.0, 10.0, 20.0, 40.0]),
        ("generality_weight", vec![-0.1, 0.0, 0.05, 0.1, 0.2, 0.3]),
        ("domain_weight", vec![0.0, 0.1, 0.2, 0.3, 0.5, 0.8]),
        ("domain_docs", vec![5.0, 10.0, 20.0, 40.0]),
        ("domain_terms", vec![10.0, 25.0, 50.0, 100.0, 200.0]),
        ("clause_weight", vec![0.0, 0.25, 0.5, 0.75, 1.0]),
        ("coverage_weight", vec![0.0, 0.1, 0.2, 0.3, 0.5, 0.8]),
        ("coverage_power", vec![0.5, 1.0, 2.0, 3.0]),
    ];
    if refs {
        s.extend([
            (
                "reference_neighbours",
                vec![3.0, 5.0, 8.0, 12.0, 20.0, 54.0],
            ),
            ("reference_similarity_power", vec![0.0, 0.5, 1.0, 2.0, 3.0]),
            ("reference_weight", vec![0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0]),
            ("reference_title_weight", vec![1.0, 2.0, 3.0, 5.0]),
            (
                "reference_competency_text_weight",
                vec![0.0, 0.5, 1.0, 2.0, 4.0],
            ),
            ("reference_seed_weight", vec![0.0, 0.25, 0.5, 1.0, 2.0]),
            ("reference_base_weight", vec![0.0, 0.25, 0.5, 1.0, 2.0]),
            ("reference_agreement_weight", vec![0.0, 0.5, 1.0, 2.0, 4.0]),
            ("reference_seed_docs", vec![5.0, 10.0, 20.0, 50.0]),
        ]);
    }
    s
}

/// Untuned starting values: round numbers from the middle of each range, fixed before looking
/// at results. Settings that are off by default stay off.
fn neutral(config: &mut RankingConfig) {
    for (name, value) in [
        ("k1", 1.2),
        ("w_name", 2.0),
        ("w_alt", 0.5),
        ("w_def", 1.0),
        ("b_name", 0.75),
        ("b_alt", 0.75),
        ("b_def", 0.75),
        ("title_weight", 2.0),
        ("title_head_weight", 0.5),
        ("query_tf_power", 0.5),
        ("phrase_weight", 0.5),
        ("synonym_weight", 0.5),
        ("generality_weight", 0.0),
        ("reference_neighbours", 5.0),
        ("reference_similarity_power", 1.0),
        ("reference_weight", 1.0),
        ("reference_title_weight", 2.0),
        ("reference_competency_text_weight", 1.0),
        ("reference_seed_weight", 0.5),
        ("reference_base_weight", 0.5),
        ("reference_agreement_weight", 1.0),
        ("reference_seed_docs", 20.0),
    ] {
        set_param(config, name, value);
    }
}

struct Runner<'a> {
    index: &'a Index,
    set: &'a EvalSet,
    refs: bool,
}

impl Runner<'_> {
    /// Mean objective over the queries whose fold is in `folds`.
    fn objective(&self, config: &RankingConfig, folds: &[u32]) -> f64 {
        let mut refs: HashMap<u32, ReferenceRoles> = HashMap::new();
        if self.refs {
            for f in folds {
                refs.insert(*f, reference_roles_for(self.index, self.set, *f, config));
            }
        }
        let mut sum = 0.0;
        let mut n = 0usize;
        for (_, fold, query, relevant) in &self.set.roles {
            if !folds.contains(fold) {
                continue;
            }
            let options = SuggestOptions {
                top: 50,
                reference_roles: refs.get(fold),
                priors: None,
            };
            let res = self.index.suggest(query, &options, config).unwrap();
            let ids: Vec<String> = res.into_iter().map(|r| r.id).collect();
            sum += score(&ids, relevant).objective();
            n += 1;
        }
        sum / n.max(1) as f64
    }

    fn ascend(
        &self,
        start: &RankingConfig,
        folds: &[u32],
        space: &[(&'static str, Vec<f64>)],
        rounds: usize,
    ) -> (RankingConfig, f64) {
        let mut best = start.clone();
        let mut best_score = self.objective(&best, folds);
        for _ in 0..rounds {
            let mut changed = false;
            for (name, values) in space {
                let current = get_param(&best, name);
                for v in values {
                    if (*v - current).abs() < 1e-12 {
                        continue;
                    }
                    let mut candidate = best.clone();
                    set_param(&mut candidate, name, *v);
                    let s = self.objective(&candidate, folds);
                    if s > best_score + 1e-9 {
                        best_score = s;
                        best = candidate;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        (best, best_score)
    }
}

fn describe(config: &RankingConfig, space: &[(&'static str, Vec<f64>)]) -> String {
    space
        .iter()
        .map(|(n, _)| format!("{n}={}", get_param(config, n)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let mut dir = PathBuf::from("../shared/eval");
    let mut refs = false;
    let mut base = RankingConfig::default();
    let mut rounds = 3;
    let mut only: Option<Vec<String>> = None;
    let mut overrides: Vec<(String, f64)> = Vec::new();
    let mut start_neutral = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dir" => dir = args.next().unwrap().into(),
            "--refs" => refs = true,
            "--rounds" => rounds = args.next().unwrap().parse().unwrap(),
            "--only" => only = Some(args.next().unwrap().split(',').map(str::to_owned).collect()),
            "--neutral" => start_neutral = true,
            "--set" => {
                let kv = args.next().unwrap();
                let (k, v) = kv.split_once('=').unwrap();
                overrides.push((k.to_owned(), v.parse().unwrap()));
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let set = load(&dir);
    let index = Index::build(set.documents.clone(), Synonyms::builtin().unwrap()).unwrap();
    let runner = Runner {
        index: &index,
        set: &set,
        refs,
    };
    let mut space = space(refs);
    if let Some(only) = &only {
        space.retain(|(n, _)| only.iter().any(|o| o == n));
    }
    if start_neutral {
        // Only the settings being tuned start neutral; the others keep their values.
        let mut start = base.clone();
        neutral(&mut start);
        for (name, _) in &space {
            set_param(&mut base, name, get_param(&start, name));
        }
    }
    for (k, v) in &overrides {
        set_param(&mut base, k, *v);
    }
    println!("start: {}", describe(&base, &space));
    let all = [1u32, 2, 3, 4];

    // Cross-validated: choose on three folds, measure on the fourth.
    let mut held_out = vec![Metrics::default(); 72];
    let mut per_fold = Vec::new();
    for f in all {
        let train: Vec<u32> = all.iter().copied().filter(|x| *x != f).collect();
        let (config, train_score) = runner.ascend(&base, &train, &space, rounds);
        let results = run(&index, &set, &config, refs, 50);
        let mut m = Metrics::default();
        let mut n = 0.0;
        for (i, ((_, fold, _, _), (_, qm))) in set.roles.iter().zip(&results).enumerate() {
            if *fold == f {
                held_out[i] = *qm;
                m.add(qm);
                n += 1.0;
            }
        }
        let m = m.scale(1.0 / n);
        println!(
            "fold {f}: train objective {train_score:.4}; held-out R@20 {:.3} nDCG@20 {:.3} R@50 {:.3}",
            m.r20, m.ndcg20, m.r50
        );
        println!("  chosen: {}", describe(&config, &space));
        per_fold.push(m);
    }
    let (_, cv) = by_fold(&set, &held_out);
    println!(
        "CROSS-VALIDATED mean: R@10 {:.3} R@20 {:.3} R@50 {:.3} nDCG@20 {:.3} MRR {:.3}",
        cv.r10, cv.r20, cv.r50, cv.ndcg20, cv.mrr
    );

    // In-sample: choose on all four folds.
    let (config, s) = runner.ascend(&base, &all, &space, rounds);
    let results = run(&index, &set, &config, refs, 50);
    let metrics: Vec<Metrics> = results.iter().map(|r| r.1).collect();
    let (folds, mean) = by_fold(&set, &metrics);
    println!("IN-SAMPLE objective {s:.4}: {}", describe(&config, &space));
    for (i, m) in folds.iter().enumerate() {
        println!("  fold {} R@20 {:.3} nDCG@20 {:.3}", i + 1, m.r20, m.ndcg20);
    }
    println!(
        "IN-SAMPLE mean: R@10 {:.3} R@20 {:.3} R@50 {:.3} nDCG@20 {:.3} MRR {:.3}",
        mean.r10, mean.r20, mean.r50, mean.ndcg20, mean.mrr
    );
}
