//! The O*NET occupations closest to each role of the review set
//! (`data/generator/review-roles.toml`), with the time to prepare the occupations and to find
//! them per role: a check of the occupations the provenance names, and the figures quoted in
//! docs/generator.md.
//!
//! ```text
//! cargo run --release -p framewright-generate --example onet_closest
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

// Only the review set is used here, not the review run.
#[allow(dead_code)]
#[path = "../tests/it/support/review.rs"]
mod review;

use std::time::Instant;

use framewright_generate::{OnetReference, SelectionSettings};

fn main() {
    let start = Instant::now();
    let occupations = framewright_catalog::onet::occupations().unwrap();
    let crosswalk = framewright_catalog::onet::opm_onet_crosswalk().unwrap();
    let parsed = start.elapsed();
    let reference = OnetReference::new(&occupations, crosswalk, None).unwrap();
    let built = start.elapsed();
    println!(
        "{} occupations: parsed in {:.1} ms, index built in {:.1} ms",
        occupations.len(),
        parsed.as_secs_f64() * 1e3,
        (built - parsed).as_secs_f64() * 1e3
    );
    let settings = SelectionSettings::builtin().unwrap().onet;
    let set: review::ReviewSet = toml::from_str(review::REVIEW_ROLES).unwrap();
    let mut total = 0.0;
    for r in &set.roles {
        let t = Instant::now();
        let found = reference.evidence(&r.role, &[], &settings);
        total += t.elapsed().as_secs_f64();
        let names: Vec<String> = found
            .closest
            .iter()
            .map(|c| format!("{} ({:.2})", c.title, c.similarity))
            .collect();
        println!("{}: {}", r.role.title, names.join("; "));
    }
    println!(
        "mean time to find the closest occupations: {:.2} ms per role",
        total * 1e3 / set.roles.len() as f64
    );
}
