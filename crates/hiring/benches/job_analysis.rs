//! Times `analyze` (with rwg and ICC from the statistics engine) and the documentation report on
//! synthetic surveys of three sizes. Run: `cargo bench -p framewright-hiring --bench job_analysis`.
//! Prints one line per size; the figures go to docs/benchmarks.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use framewright_hiring::survey::{CompetencyRating, LinkageRating, TaskRating};
use framewright_hiring::{AnalysisParameters, JobAnalysis, Ratings, analyze, report};

/// A small linear congruential generator: the survey is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn survey(smes: usize, tasks: usize, competencies: usize) -> (JobAnalysis, Ratings) {
    let mut rng = Lcg(42);
    let mut ratings = Ratings::default();
    for s in 0..smes {
        for t in 0..tasks {
            let base = (t % 5) as u64;
            ratings.tasks.push(TaskRating {
                sme: format!("S{s}"),
                task: format!("T{t}"),
                importance: Some(((base + rng.next(3)) % 6) as u8),
                frequency: Some(((base + rng.next(3)) % 6) as u8),
            });
        }
        for c in 0..competencies {
            ratings.competencies.push(CompetencyRating {
                sme: format!("S{s}"),
                competency: format!("C{c}"),
                importance: Some(1 + ((c as u64 + rng.next(3)) % 5) as u8),
                needed_at_entry: Some(rng.next(2) == 1),
                distinguishing_value: Some(1 + rng.next(5) as u8),
            });
            for t in 0..tasks {
                ratings.linkage.push(LinkageRating {
                    sme: format!("S{s}"),
                    task: format!("T{t}"),
                    competency: format!("C{c}"),
                    linked: rng.next(4) == 0,
                });
            }
        }
    }
    let mut job = JobAnalysis::new("bench", "Benchmark position");
    job.complete_from_ratings(&ratings);
    (job, ratings)
}

fn main() {
    let criteria = framewright_catalog::opm_ai_2024().unwrap().ai_work;
    let parameters = AnalysisParameters::default();
    for (smes, tasks, competencies) in [(3, 10, 10), (10, 100, 30), (30, 300, 60)] {
        let (job, ratings) = survey(smes, tasks, competencies);
        let runs = if ratings.linkage.len() > 100_000 {
            5
        } else {
            30
        };
        let mut times = Vec::with_capacity(runs);
        let mut retained = 0;
        for _ in 0..runs {
            let start = Instant::now();
            let analysis = analyze(&job, &ratings, &parameters).unwrap();
            let doc =
                report::documentation_report(&job, &ratings, &analysis, &criteria, None, None)
                    .unwrap();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            retained = doc.summary.competencies_retained.unwrap_or(0);
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{smes} SMEs, {tasks} tasks, {competencies} competencies, {} ratings + {} links: analyze + report median {:.2} ms (min {:.2}, {} runs; {} retained)",
            ratings.tasks.len() + ratings.competencies.len(),
            ratings.linkage.len(),
            times[runs / 2],
            times[0],
            runs,
            retained
        );
    }
}
