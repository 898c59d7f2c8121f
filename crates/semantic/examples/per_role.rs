//! Time per role of the generator with the model loaded (what a running server spends on one
//! `POST /api/v1/frameworks/generate`): loads the installed model and the OPM vectors once,
//! then generates drafts for a few roles many times.
//!
//! `cargo run --release -p framewright-semantic --example per_role -- [RUNS]`
//! (FRAMEWRIGHT_MODEL_DIR: the model folder)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use framewright_app::generate::{Choices, Kit};
use framewright_model::{Grade, Role};
use framewright_semantic::Semantic;

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(20, |a| a.parse().expect("RUNS is a number"));
    let start = Instant::now();
    let semantic = Semantic::load_default()
        .unwrap()
        .expect("no model installed (framewright models install)");
    let kit = Kit::builtin().unwrap();
    semantic.prepare(&kit.catalogues()[0]).unwrap();
    println!(
        "model {} and OPM vectors loaded in {:.0} ms",
        semantic.model(),
        start.elapsed().as_secs_f64() * 1e3
    );
    let roles = [
        (
            "Machine Learning Engineer",
            13,
            vec!["Design, train and evaluate models", "Build data pipelines"],
        ),
        (
            "Chief AI Officer",
            15,
            vec!["Set the agency's AI strategy", "Manage AI risk"],
        ),
        (
            "AI Policy Analyst",
            12,
            vec!["Draft agency AI policies", "Brief senior officials"],
        ),
        (
            "Data Scientist",
            11,
            vec![
                "Build statistical models",
                "Explain results to non-technical staff",
            ],
        ),
        (
            "Contracting Officer",
            13,
            vec!["Negotiate with vendors", "Award AI contracts"],
        ),
    ];
    let roles: Vec<Role> = roles
        .iter()
        .map(|(title, grade, tasks)| Role {
            title: (*title).to_string(),
            grade: Grade::new(*grade),
            tasks: tasks.iter().map(|t| (*t).to_string()).collect(),
            ..Role::default()
        })
        .collect();
    let weight = kit.selection().embeddings.weight;
    let mut times = Vec::new();
    for run in 0..=runs {
        for role in &roles {
            let t = Instant::now();
            let ranker = semantic.ranker(kit.search(), weight);
            let choices = Choices {
                ranker: Some(&ranker),
                ..Choices::default()
            };
            let generated = kit.generate(role, &choices).unwrap();
            assert!(!generated.framework.competencies.is_empty());
            if run > 0 {
                times.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{} drafts ({} roles x {runs} runs after one warm-up): median {:.1} ms, p95 {:.1} ms, max {:.1} ms per role",
        times.len(),
        roles.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}
