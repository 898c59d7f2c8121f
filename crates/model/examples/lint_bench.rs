//! Benchmark of `lint` on generated frameworks of growing size.
//!
//! ```sh
//! cargo run --release -p framewright-model --example lint_bench -- 500 1000 2000 4000 10000
//! ```
//!
//! Each framework has realistic competencies: a two- or three-word name, a definition of 12–20
//! words drawn from a vocabulary of a few thousand words (so that most pairs share a few words,
//! as real definitions do), five levels with two indicators each, and about one competency in
//! fifty copying or rewording an earlier one (so that the overlap rules fire). Prints, per size,
//! the best of three runs (one run when it takes over 10 s) and the number of findings. Record figures in docs/benchmarks.md.

use std::time::{Duration, Instant};

use framewright_model::catalogue::CompetencyKind;
use framewright_model::framework::{Framework, FrameworkCompetency, LevelContent};
use framewright_model::lint::{LintLimits, Vocabulary, lint};
use framewright_model::scale::{ProficiencyLevel, ProficiencyScale};

/// A small deterministic generator (xorshift), so that every run lints the same framework.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Roughly Zipf-distributed index below `n`: common words come up often, rare ones seldom.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

const SYLLABLES: &[&str] = &[
    "ba", "cor", "den", "fal", "gri", "hum", "lo", "man", "nex", "per", "qua", "ros", "sil", "tan",
    "vor", "wel", "zen", "ar", "ex", "ol",
];

fn word(index: usize) -> String {
    let mut out = String::new();
    let mut i = index + SYLLABLES.len();
    while i > 0 {
        out.push_str(SYLLABLES[i % SYLLABLES.len()]);
        i /= SYLLABLES.len();
    }
    out
}

const VERBS: [&str; 5] = ["Identifies", "Explains", "Applies", "Analyzes", "Evaluates"];

/// A framework of `n` generated competencies.
pub fn framework(n: usize, seed: u64) -> Framework {
    let mut rng = Rng(seed | 1);
    let vocabulary = 4_000;
    let scale = ProficiencyScale {
        id: "five".into(),
        name: "Five levels".into(),
        source: None,
        levels: (1..=5)
            .map(|level| ProficiencyLevel {
                level,
                name: format!("Level {level}"),
                description: format!("Handles tasks of complexity {level}."),
            })
            .collect(),
    };
    let mut f = Framework::new("bench", "Benchmark framework", scale);
    for i in 0..n {
        let kind = if i % 3 == 0 {
            CompetencyKind::General
        } else {
            CompetencyKind::Technical
        };
        let copy = (i > 0 && rng.below(50) == 0).then(|| rng.below(i));
        let name_words = 2 + rng.below(2);
        let name: Vec<String> = (0..name_words)
            .map(|_| word(rng.zipf(vocabulary)))
            .collect();
        let mut c = FrameworkCompetency::new(format!("c{i}"), name.join(" "), kind);
        c.definition = Some(match copy {
            Some(other) => {
                let earlier: &FrameworkCompetency = &f.competencies[other];
                let text = earlier.definition.clone().unwrap_or_default();
                if rng.below(2) == 0 {
                    text
                } else {
                    // Reworded: one word more at the end.
                    format!("{text} {}", word(rng.zipf(vocabulary)))
                }
            }
            None => {
                let length = 12 + rng.below(9);
                let words: Vec<String> = (0..length).map(|_| word(rng.zipf(vocabulary))).collect();
                words.join(" ")
            }
        });
        c.levels = (1..=5u8)
            .map(|level| LevelContent {
                level,
                description: Some(format!("Handles {} at complexity {level}.", name.join(" "))),
                indicators: (0..2)
                    .map(|k| {
                        format!(
                            "{} the {} {} records for stage {level}.",
                            VERBS[usize::from(level) - 1],
                            word(rng.zipf(vocabulary)),
                            word(k + rng.below(vocabulary)),
                        )
                    })
                    .collect(),
                draft: false,
            })
            .collect();
        f.competencies.push(c);
    }
    f
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![500, 1_000, 2_000, 4_000, 10_000]
    } else {
        sizes
    };
    let vocabulary = match Vocabulary::from_toml(
        include_str!("../../../data/lint/verbs.toml"),
        include_str!("../../../data/lint/vague-terms.toml"),
    ) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("vocabulary: {e}");
            std::process::exit(2);
        }
    };
    let limits = LintLimits::default();
    println!("competencies\tbest of 3 (s)\tfindings");
    for n in sizes {
        let f = framework(n, 42);
        let mut best = Duration::MAX;
        let mut count = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let findings = lint(&f, &vocabulary, &limits);
            best = best.min(start.elapsed());
            count = findings.len();
            // A slow run is measured once: the spread matters little next to its length.
            if best > Duration::from_secs(10) {
                break;
            }
        }
        println!("{n}\t{:.3}\t{count}", best.as_secs_f64());
    }
}
