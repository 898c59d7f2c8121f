//! Import benchmark: reads a catalogue in the generic CSV form (for example the 13,939-skill ESCO
//! catalogue) and saves it into a scratch library, several times, printing the time of each
//! phase. A benchmark, not a test: run it in release mode.
//!
//!     cargo run --release -p framewright-interop --example import_bench -- ../shared/eval/esco-skills-catalog.csv

use std::path::PathBuf;
use std::time::Instant;

use framewright_interop::catalogue::NoProgress;
use framewright_interop::catalogue::generic;
use framewright_interop::catalogue::spreadsheet::CatalogueOptions;
use framewright_interop::library::Library;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("give the CSV file to import")?,
    );
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let scratch =
        std::env::temp_dir().join(format!("framewright-import-bench-{}", std::process::id()));
    let library = Library::in_data_dir(&scratch);
    let options = CatalogueOptions::for_file(&path);
    let mut totals = Vec::new();
    for run in 1..=runs {
        let start = Instant::now();
        let catalogue = generic::read(&path, &options, &mut NoProgress)?;
        let read = start.elapsed();
        library.save("bench", &catalogue)?;
        let total = start.elapsed();
        println!(
            "run {run}: {} competencies, read {:.0} ms, save {:.0} ms, total {:.0} ms",
            catalogue.competencies.len(),
            read.as_secs_f64() * 1000.0,
            (total - read).as_secs_f64() * 1000.0,
            total.as_secs_f64() * 1000.0
        );
        totals.push(total.as_secs_f64());
    }
    totals.sort_by(f64::total_cmp);
    println!(
        "median total {:.0} ms over {runs} runs",
        totals[totals.len() / 2] * 1000.0
    );
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
