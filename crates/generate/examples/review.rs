//! Per-role report of the generator on its review set (`data/generator/review-roles.toml`):
//! which competencies it picks, which expected ones it misses and which wrong ones it picks.
//!
//! ```text
//! cargo run -p framewright-generate --example review [-- --selection FILE] [--synonyms FILE] [--roles FILE]
//! ```
//! The options replace the built-in selection settings, synonyms or review set (to try a change
//! before building it in).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../tests/support/review.rs"]
mod review;

use framewright_generate::{SearchRanker, SelectionSettings};
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
    print!("{}", review::run(&set, &selection, &ranker).render());
}
