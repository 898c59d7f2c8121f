//! Benchmark of the statistics engine on data written by `scripts/bench/stats.sh` (raw
//! little-endian f64, column-major, shapes in `manifest.json`). Prints one JSON object of best
//! wall times in seconds. Run it through the script, which also times the Python packages on the
//! same data and prints the ratios:
//!
//!     scripts/bench/stats.sh
//!
//! or directly: `cargo run --release -p framewright-stats --example bench -- DIR [REPS]`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use framewright_stats::Table;
use framewright_stats::agreement::{KappaWeights, cohen_kappa};
use framewright_stats::efa::{EfaOptions, Extraction, FactorCount, Rotation, factor_analysis};
use framewright_stats::icc::icc;
use framewright_stats::irt::{IrtModel, IrtOptions, Quadrature, fit_irt};
use framewright_stats::reliability::{AlphaOptions, cronbach_alpha};

fn read(dir: &Path, name: &str, rows: usize, cols: usize) -> Table {
    let bytes = std::fs::read(dir.join(format!("{name}.f64"))).expect("data file");
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(values.len(), rows * cols, "{name}: wrong size");
    Table::from_columns(Table::numbered_columns(cols), rows, values).unwrap()
}

fn best<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..reps {
        let t = Instant::now();
        let out = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.unwrap())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(args.get(1).expect("usage: bench DIR [REPS]"));
    let reps: usize = args.get(2).map_or(5, |r| r.parse().unwrap());
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let shape = |k: &str| {
        let s = &manifest[k];
        (
            s[0].as_u64().unwrap() as usize,
            s[1].as_u64().unwrap() as usize,
        )
    };
    let mut out = serde_json::Map::new();

    let (n, k) = shape("alpha");
    let t = read(dir, "alpha", n, k);
    let (secs, r) = best(reps, || {
        cronbach_alpha(&t, &AlphaOptions::default()).unwrap()
    });
    out.insert("alpha".into(), secs.into());
    out.insert("alpha_value".into(), r.alpha.into());

    let (n, k) = shape("icc");
    let t = read(dir, "icc", n, k);
    let (secs, r) = best(reps, || icc(&t, 0.95).unwrap());
    out.insert("icc".into(), secs.into());
    out.insert("icc3_value".into(), r.icc[2].value.into());

    let (n, k) = shape("efa");
    let t = read(dir, "efa", n, k);
    let opts = EfaOptions {
        factors: FactorCount::Fixed(5),
        extraction: Extraction::Minres,
        rotation: Rotation::Promax,
        ..Default::default()
    };
    let (secs, r) = best(reps, || factor_analysis(&t, &opts).unwrap());
    out.insert("efa".into(), secs.into());
    out.insert(
        "efa_ss_loadings".into(),
        r.variance
            .iter()
            .map(|v| v.ss_loadings)
            .collect::<Vec<_>>()
            .into(),
    );
    let auto = EfaOptions {
        factors: FactorCount::ParallelAnalysis,
        ..opts
    };
    let (secs, r) = best(reps.min(3), || factor_analysis(&t, &auto).unwrap());
    out.insert("efa_with_parallel_analysis".into(), secs.into());
    out.insert("efa_parallel_factors".into(), r.n_factors.into());

    let (n, k) = shape("irt");
    let t = read(dir, "irt", n, k);
    let (secs, r) = best(reps, || fit_irt(&t, &IrtOptions::default()).unwrap());
    out.insert("irt_2pl".into(), secs.into());
    out.insert("irt_2pl_iterations".into(), r.iterations.into());
    let rect = IrtOptions {
        quadrature: Quadrature::Rectangular {
            points: 61,
            bound: 6.0,
        },
        ..Default::default()
    };
    let (secs, r) = best(reps, || fit_irt(&t, &rect).unwrap());
    out.insert("irt_2pl_rect61".into(), secs.into());
    out.insert("irt_2pl_rect61_iterations".into(), r.iterations.into());
    let rasch = IrtOptions {
        model: IrtModel::Rasch,
        ..Default::default()
    };
    let (secs, _) = best(reps, || fit_irt(&t, &rasch).unwrap());
    out.insert("irt_rasch".into(), secs.into());

    let (n, k) = shape("kappa");
    let t = read(dir, "kappa", n, k);
    let r1: Vec<Option<f64>> = (0..n).map(|r| t.get(r, 0)).collect();
    let r2: Vec<Option<f64>> = (0..n).map(|r| t.get(r, 1)).collect();
    for (name, w) in [
        ("kappa", KappaWeights::Unweighted),
        ("kappa_quadratic", KappaWeights::Quadratic),
    ] {
        let (secs, r) = best(reps, || cohen_kappa(&r1, &r2, w, 0.95).unwrap());
        out.insert(name.into(), secs.into());
        out.insert(format!("{name}_value"), r.kappa.into());
    }
    println!("{}", serde_json::Value::Object(out));
}
