//! Every statistic against the committed oracle fixtures (`tests/fixtures/*.json`, written by
//! `scripts/oracles/`). Tolerances: closed forms 1e-8, iterative 1e-4, IRT parameters 1e-3.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewright_stats::Table;
use serde_json::Value;

const CLOSED: f64 = 1e-8;
const ITERATIVE: f64 = 1e-4;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn vec_f(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn table(v: &Value) -> Table {
    let rows: Vec<Vec<Option<f64>>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(Value::as_f64).collect())
        .collect();
    let k = rows[0].len();
    Table::from_rows(Table::numbered_columns(k), &rows).unwrap()
}

fn transpose(v: &Value) -> Value {
    let rows = v.as_array().unwrap();
    let k = rows[0].as_array().unwrap().len();
    Value::Array(
        (0..k)
            .map(|j| Value::Array(rows.iter().map(|r| r[j].clone()).collect()))
            .collect(),
    )
}

#[track_caller]
fn close(got: f64, want: f64, tol: f64, what: &str) {
    let scale = want.abs().max(1.0);
    assert!(
        (got - want).abs() <= tol * scale,
        "{what}: got {got}, want {want} (diff {:e})",
        (got - want).abs()
    );
}

mod reliability {
    use super::*;
    use framewright_stats::MissingPolicy;
    use framewright_stats::reliability::{AlphaOptions, cronbach_alpha, mcdonald_omega};

    #[test]
    fn alpha_matches_pingouin_and_item_statistics() {
        let fx = load("alpha.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let t = table(&case["data"]);
            for (policy, key) in [
                (MissingPolicy::Pairwise, "pairwise"),
                (MissingPolicy::Listwise, "listwise"),
            ] {
                let want = &case[key];
                let got = cronbach_alpha(
                    &t,
                    &AlphaOptions {
                        missing: policy,
                        confidence: 0.95,
                    },
                )
                .unwrap();
                close(
                    got.alpha,
                    f(&want["alpha"]),
                    CLOSED,
                    &format!("{name} {key} alpha"),
                );
                close(
                    got.ci95[0],
                    f(&want["ci95"][0]),
                    CLOSED,
                    &format!("{name} {key} ci lo"),
                );
                close(
                    got.ci95[1],
                    f(&want["ci95"][1]),
                    CLOSED,
                    &format!("{name} {key} ci hi"),
                );
                assert_eq!(
                    got.n_used as u64,
                    want["n_used"].as_u64().unwrap(),
                    "{name} {key}"
                );
                if key == "listwise" {
                    close(
                        got.standardized_alpha,
                        f(&want["standardized_alpha"]),
                        CLOSED,
                        &format!("{name} standardized"),
                    );
                    for (i, item) in want["items"].as_array().unwrap().iter().enumerate() {
                        close(
                            got.items[i].corrected_item_total,
                            f(&item["corrected_item_total"]),
                            CLOSED,
                            &format!("{name} item {i} r"),
                        );
                        close(
                            got.items[i].alpha_if_deleted.unwrap(),
                            f(&item["alpha_if_deleted"]),
                            CLOSED,
                            &format!("{name} item {i} alpha if deleted"),
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn omega_matches_factor_analyzer_one_factor_ml() {
        let fx = load("omega.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let got = mcdonald_omega(&table(&case["data"]), MissingPolicy::Listwise).unwrap();
            close(got.omega_total, f(&case["omega_total"]), ITERATIVE, name);
            close(
                got.omega_observed,
                f(&case["omega_observed"]),
                ITERATIVE,
                name,
            );
            for (i, l) in vec_f(&case["loadings"]).iter().enumerate() {
                close(
                    got.items[i].loading,
                    *l,
                    ITERATIVE,
                    &format!("{name} loading {i}"),
                );
            }
            assert!(got.heywood_items.is_empty());
        }
    }
}

mod icc {
    use super::*;
    use framewright_stats::icc::icc;

    #[test]
    fn all_six_forms_match_pingouin() {
        let fx = load("icc.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let got = icc(&table(&case["data"]), 0.95).unwrap();
            for want in case["icc"].as_array().unwrap() {
                let ty = want["type"].as_str().unwrap();
                let g = got.icc.iter().find(|e| e.kind.name() == ty).unwrap();
                let what = format!("{name} {ty}");
                close(g.value, f(&want["value"]), CLOSED, &what);
                close(g.f, f(&want["f"]), CLOSED, &what);
                close(g.df1, f(&want["df1"]), CLOSED, &what);
                close(g.df2, f(&want["df2"]), CLOSED, &what);
                close(g.p, f(&want["p"]), CLOSED, &what);
                close(
                    g.ci95[0],
                    f(&want["ci95"][0]),
                    CLOSED,
                    &format!("{what} ci lo"),
                );
                close(
                    g.ci95[1],
                    f(&want["ci95"][1]),
                    CLOSED,
                    &format!("{what} ci hi"),
                );
            }
        }
    }

    #[test]
    fn shrout_fleiss_published_values() {
        let fx = load("icc.json");
        let got = icc(&table(&fx["cases"][0]["data"]), 0.95).unwrap();
        let published = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91];
        for (e, p) in got.icc.iter().zip(published) {
            assert!(
                (e.value - p).abs() < 0.005,
                "{:?} {} vs {p}",
                e.kind,
                e.value
            );
        }
    }
}

mod agreement {
    use super::*;
    use framewright_stats::agreement::{
        KappaWeights, KrippendorffLevel, cohen_kappa, fleiss_kappa, fleiss_kappa_from_counts,
        krippendorff_alpha, rwg_table,
    };

    #[test]
    fn cohen_kappa_matches_sklearn_and_statsmodels() {
        let fx = load("kappa.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let r1: Vec<Option<f64>> = vec_f(&case["rater1"]).into_iter().map(Some).collect();
            let r2: Vec<Option<f64>> = vec_f(&case["rater2"]).into_iter().map(Some).collect();
            for (w, key) in [
                (KappaWeights::Unweighted, "none"),
                (KappaWeights::Linear, "linear"),
                (KappaWeights::Quadratic, "quadratic"),
            ] {
                let want = &case["results"][key];
                let got = cohen_kappa(&r1, &r2, w, 0.95).unwrap();
                let what = format!("{name} {key}");
                close(got.kappa, f(&want["kappa"]), CLOSED, &what);
                close(got.ase, f(&want["ase"]), CLOSED, &format!("{what} ase"));
                close(
                    got.ci95[0],
                    f(&want["ci95"][0]),
                    CLOSED,
                    &format!("{what} ci"),
                );
                close(
                    got.ci95[1],
                    f(&want["ci95"][1]),
                    CLOSED,
                    &format!("{what} ci"),
                );
                close(got.observed_agreement, f(&want["agreement"]), CLOSED, &what);
                close(got.z.unwrap(), f(&want["z"]), CLOSED, &format!("{what} z"));
                close(got.p.unwrap(), f(&want["p"]), CLOSED, &format!("{what} p"));
            }
        }
    }

    #[test]
    fn fleiss_matches_statsmodels_and_fleiss_1971() {
        let fx = load("fleiss.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let got = if case.get("counts").is_some() {
                let counts: Vec<Vec<f64>> = case["counts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(vec_f)
                    .collect();
                fleiss_kappa_from_counts(&counts).unwrap()
            } else {
                fleiss_kappa(&table(&case["ratings"])).unwrap()
            };
            close(got.kappa, f(&case["kappa"]), CLOSED, name);
            close(got.randolph_kappa, f(&case["randolph"]), CLOSED, name);
        }
        let first = fleiss_kappa(&table(&fx["cases"][0]["ratings"])).unwrap();
        assert!(
            (first.kappa - 0.430).abs() < 0.0005,
            "Fleiss (1971) publishes .430"
        );
    }

    #[test]
    fn krippendorff_matches_the_package_at_every_level() {
        let fx = load("krippendorff.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            // the fixture is coders x units; our tables are units x coders
            let t = table(&transpose(&case["coders_by_units"]));
            for (level, key) in [
                (KrippendorffLevel::Nominal, "nominal"),
                (KrippendorffLevel::Ordinal, "ordinal"),
                (KrippendorffLevel::Interval, "interval"),
                (KrippendorffLevel::Ratio, "ratio"),
            ] {
                let got = krippendorff_alpha(&t, level).unwrap();
                close(
                    got.alpha,
                    f(&case["alpha"][key]),
                    CLOSED,
                    &format!("{name} {key}"),
                );
            }
        }
        let t = table(&transpose(&fx["cases"][0]["coders_by_units"]));
        let nominal = krippendorff_alpha(&t, KrippendorffLevel::Nominal)
            .unwrap()
            .alpha;
        let interval = krippendorff_alpha(&t, KrippendorffLevel::Interval)
            .unwrap()
            .alpha;
        assert!((nominal - 0.743).abs() < 0.0005 && (interval - 0.849).abs() < 0.0005);
    }

    #[test]
    fn rwg_matches_reference() {
        let fx = load("rwg.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let options = case["options"].as_u64().unwrap() as u32;
            let got = rwg_table(&table(&case["ratings"]), options).unwrap();
            for (i, w) in vec_f(&case["rwg"]).iter().enumerate() {
                close(got.items[i].rwg, *w, CLOSED, &format!("{name} item {i}"));
            }
            close(got.rwg_j, f(&case["rwg_j"]), CLOSED, name);
        }
    }
}

mod fairness {
    use super::*;
    use framewright_stats::fairness::{
        AdverseImpactOptions, EtsClass, GroupCounts, Stratum, adverse_impact, dif_mantel_haenszel,
        mantel_haenszel,
    };

    #[test]
    fn adverse_impact_matches_scipy_and_statsmodels() {
        let fx = load("adverse_impact.json");
        for case in fx["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let groups: Vec<GroupCounts> = case["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| GroupCounts {
                    group: g["group"].as_str().unwrap().into(),
                    applicants: g["applicants"].as_u64().unwrap(),
                    selected: g["selected"].as_u64().unwrap(),
                })
                .collect();
            let got = adverse_impact(&groups, &AdverseImpactOptions::default()).unwrap();
            assert_eq!(got.reference_group, case["reference"].as_str().unwrap());
            for (g, w) in got.groups.iter().zip(case["groups"].as_array().unwrap()) {
                close(g.rate, f(&w["rate"]), CLOSED, name);
                close(g.impact_ratio, f(&w["impact_ratio"]), CLOSED, name);
                if let Some(p) = w.get("fisher_p") {
                    close(g.fisher_p.unwrap(), f(p), CLOSED, &format!("{name} fisher"));
                    close(g.z.unwrap(), f(&w["z"]), CLOSED, &format!("{name} z"));
                    close(g.z_p.unwrap(), f(&w["z_p"]), CLOSED, &format!("{name} z p"));
                }
            }
        }
    }

    #[test]
    fn four_fifths_boundary_is_not_a_violation() {
        let g = |n: &str, a, s| GroupCounts {
            group: n.into(),
            applicants: a,
            selected: s,
        };
        let at = adverse_impact(&[g("r", 80, 48), g("f", 50, 24)], &Default::default()).unwrap();
        assert!(
            !at.four_fifths_violation,
            "0.80 exactly is not below four-fifths"
        );
        let below = adverse_impact(&[g("r", 80, 48), g("f", 50, 21)], &Default::default()).unwrap();
        assert!(below.four_fifths_violation);
        close(
            below.fisher_p.unwrap(),
            0.0495426535215911,
            CLOSED,
            "TV-AI-1",
        );
    }

    fn stratum(t: &Value) -> Stratum {
        Stratum {
            ref_correct: f(&t[0][0]),
            ref_incorrect: f(&t[0][1]),
            focal_correct: f(&t[1][0]),
            focal_incorrect: f(&t[1][1]),
        }
    }

    fn check_mh(got: &framewright_stats::fairness::MantelHaenszel, want: &Value, what: &str) {
        close(got.alpha_mh, f(&want["alpha_mh"]), CLOSED, what);
        close(got.se_ln_alpha, f(&want["se_ln_alpha"]), CLOSED, what);
        close(got.delta, f(&want["delta"]), CLOSED, what);
        close(got.chi2, f(&want["chi2"]), CLOSED, what);
        close(got.p, f(&want["p"]), CLOSED, what);
        close(
            got.chi2_uncorrected,
            f(&want["chi2_uncorrected"]),
            CLOSED,
            what,
        );
        let class = match got.ets_class {
            EtsClass::A => "A",
            EtsClass::B => "B",
            EtsClass::C => "C",
        };
        assert_eq!(class, want["ets_class"].as_str().unwrap(), "{what}");
    }

    #[test]
    fn mantel_haenszel_matches_statsmodels() {
        let fx = load("dif.json");
        let tv = &fx["tv_mh_1"];
        let strata: Vec<Stratum> = tv["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(stratum)
            .collect();
        check_mh(&mantel_haenszel(&strata, 0.05).unwrap(), tv, "TV-MH-1");

        let ds = &fx["dataset"];
        let t = table(&ds["responses"]);
        let focal: Vec<bool> = vec_f(&ds["focal"]).iter().map(|v| *v == 1.0).collect();
        let got = dif_mantel_haenszel(&t, &focal, 0.05).unwrap();
        for (i, want) in ds["items"].as_array().unwrap().iter().enumerate() {
            check_mh(&got.items[i].mh, want, &format!("item {i}"));
            assert_eq!(
                got.items[i].mh.strata_used as u64,
                want["strata_used"].as_u64().unwrap()
            );
        }
    }
}

mod cutscore {
    use super::*;
    use framewright_stats::cutscore::{AngoffOptions, contrasting_groups, modified_angoff};

    #[test]
    fn angoff_matches_reference() {
        let fx = load("cutscores.json");
        let a = &fx["angoff"];
        let got = modified_angoff(&table(&a["judgements"]), &AngoffOptions::default()).unwrap();
        close(got.cut, f(&a["cut"]), CLOSED, "cut");
        close(got.sd, f(&a["sd"]), CLOSED, "sd");
        close(got.se, f(&a["se"]), CLOSED, "se");
        for (i, m) in vec_f(&a["item_means"]).iter().enumerate() {
            close(got.items[i].mean, *m, CLOSED, "item mean");
        }
        for (j, c) in vec_f(&a["judge_cuts"]).iter().enumerate() {
            close(got.judges[j].cut, *c, CLOSED, "judge cut");
        }
    }

    #[test]
    fn contrasting_groups_matches_statsmodels_logit() {
        let fx = load("cutscores.json");
        let c = &fx["contrasting_groups"];
        let scores = vec_f(&c["scores"]);
        let comp: Vec<bool> = vec_f(&c["competent"]).iter().map(|v| *v == 1.0).collect();
        let got = contrasting_groups(&scores, &comp, 1.0).unwrap();
        let lg = got.logistic.unwrap();
        close(lg.beta0, f(&c["beta0"]), 1e-6, "beta0");
        close(lg.beta1, f(&c["beta1"]), 1e-6, "beta1");
        close(lg.cut, f(&c["logistic_cut"]), 1e-6, "logistic cut");
        for (g, w) in got
            .errors_by_cut
            .iter()
            .zip(c["errors_by_cut"].as_array().unwrap())
        {
            assert_eq!(g.false_passes as u64, w["false_passes"].as_u64().unwrap());
            assert_eq!(g.false_fails as u64, w["false_fails"].as_u64().unwrap());
        }
        assert_eq!(got.tied_cuts, vec![68.0, 71.0]);
        assert_eq!(got.cut, 68.0, "ties go to the lowest cut");
    }
}

mod efa {
    use super::*;
    use framewright_stats::efa::{EfaOptions, Extraction, FactorCount, Rotation, factor_analysis};

    fn matrix(v: &Value) -> Vec<Vec<f64>> {
        v.as_array().unwrap().iter().map(vec_f).collect()
    }

    /// Largest absolute difference after matching our factors to the oracle's by permutation
    /// and sign (loadings are unique only up to both).
    fn aligned_diff(got: &[Vec<f64>], want: &[Vec<f64>]) -> (f64, Vec<(usize, f64)>) {
        let m = want[0].len();
        let perms = permutations(m);
        let mut best = (f64::INFINITY, Vec::new());
        for perm in perms {
            let mut map = Vec::new();
            let mut worst = 0.0f64;
            for (j, &pj) in perm.iter().enumerate() {
                let mut by_sign = [0.0f64; 2];
                for (s, sign) in [1.0, -1.0].iter().enumerate() {
                    by_sign[s] = got
                        .iter()
                        .zip(want)
                        .map(|(g, w)| (sign * g[pj] - w[j]).abs())
                        .fold(0.0, f64::max);
                }
                let (d, sign) = if by_sign[0] <= by_sign[1] {
                    (by_sign[0], 1.0)
                } else {
                    (by_sign[1], -1.0)
                };
                worst = worst.max(d);
                map.push((pj, sign));
            }
            if worst < best.0 {
                best = (worst, map);
            }
        }
        best
    }

    fn permutations(m: usize) -> Vec<Vec<usize>> {
        if m == 1 {
            return vec![vec![0]];
        }
        let mut out = Vec::new();
        for p in permutations(m - 1) {
            for i in 0..=p.len() {
                let mut q = p.clone();
                q.insert(i, m - 1);
                out.push(q);
            }
        }
        out
    }

    #[test]
    fn kmo_and_bartlett_match_factor_analyzer() {
        let fx = load("efa.json");
        let k = &fx["kmo"];
        let opts = EfaOptions {
            factors: FactorCount::Fixed(2),
            ..Default::default()
        };
        let got = factor_analysis(&table(&k["data"]), &opts).unwrap();
        close(got.kmo.overall, f(&k["kmo_total"]), CLOSED, "kmo");
        for (i, w) in vec_f(&k["kmo_items"]).iter().enumerate() {
            close(got.kmo.items[i].kmo, *w, CLOSED, "kmo item");
        }
        close(
            got.bartlett.chi2,
            f(&k["bartlett_chi2"]),
            CLOSED,
            "bartlett chi2",
        );
        close(got.bartlett.df, f(&k["bartlett_df"]), CLOSED, "bartlett df");
        let p = f(&k["bartlett_p"]);
        assert!(
            (got.bartlett.p - p).abs() <= 1e-8 * p.max(1e-300) || p == 0.0,
            "{} {p}",
            got.bartlett.p
        );
    }

    #[test]
    fn extraction_and_rotation_match_factor_analyzer() {
        let fx = load("efa.json");
        let ex = &fx["extraction"];
        let t = table(&ex["data"]);
        let mut report = Vec::new();
        for fit in ex["fits"].as_array().unwrap() {
            let method = match fit["method"].as_str().unwrap() {
                "minres" => Extraction::Minres,
                _ => Extraction::MaximumLikelihood,
            };
            let rotation = match fit["rotation"].as_str().unwrap() {
                "varimax" => Rotation::Varimax,
                "promax" => Rotation::Promax,
                "oblimin" => Rotation::Oblimin,
                _ => Rotation::None,
            };
            let opts = EfaOptions {
                factors: FactorCount::Fixed(3),
                extraction: method,
                rotation,
                ..Default::default()
            };
            let got = factor_analysis(&t, &opts).unwrap();
            let ours: Vec<Vec<f64>> = got.items.iter().map(|i| i.loadings.clone()).collect();
            let want = matrix(&fit["loadings"]);
            let (d, map) = aligned_diff(&ours, &want);
            report.push(format!(
                "{method:?}/{rotation:?}: max |loading diff| {d:.2e}"
            ));
            assert!(
                d < ITERATIVE,
                "{method:?}/{rotation:?} loadings differ by {d}"
            );
            for (i, ss) in vec_f(&fit["ss_loadings"]).iter().enumerate() {
                close(
                    got.variance[i].ss_loadings,
                    *ss,
                    10.0 * ITERATIVE,
                    "ss loadings",
                );
            }
            if rotation == Rotation::Promax || rotation == Rotation::Oblimin {
                // the oracle's phi from its loadings and structure: Phi = (L'L)^-1 L'S
                let s = matrix(&fit["structure"]);
                let phi_ours = got.factor_correlations.as_ref().unwrap();
                let want_phi = solve_phi(&want, &s);
                for a in 0..3 {
                    for b in 0..3 {
                        let (pa, sa) = map[a];
                        let (pb, sb) = map[b];
                        let g = sa * sb * phi_ours[pa][pb];
                        assert!(
                            (g - want_phi[a][b]).abs() < ITERATIVE,
                            "phi {a}{b}: {g} vs {}",
                            want_phi[a][b]
                        );
                    }
                }
                // oblique communalities are diag(L Phi L'), which equal the unrotated ones
                let unrot = factor_analysis(
                    &t,
                    &EfaOptions {
                        rotation: Rotation::None,
                        ..opts
                    },
                )
                .unwrap();
                for (a, b) in got.items.iter().zip(&unrot.items) {
                    close(a.communality, b.communality, 1e-8, "oblique communality");
                }
            } else {
                for (i, u) in vec_f(&fit["uniquenesses"]).iter().enumerate() {
                    close(got.items[i].uniqueness, *u, ITERATIVE, "uniqueness");
                }
            }
            assert!(got.heywood_items.is_empty());
        }
        eprintln!("{}", report.join("\n"));
    }

    fn solve_phi(l: &[Vec<f64>], s: &[Vec<f64>]) -> Vec<Vec<f64>> {
        // normal equations for a 3x3 system, by Gauss-Jordan
        let m = l[0].len();
        let mut a = vec![vec![0.0; 2 * m]; m];
        for i in 0..m {
            for j in 0..m {
                a[i][j] = l.iter().map(|r| r[i] * r[j]).sum();
            }
        }
        let mut rhs = vec![vec![0.0; m]; m];
        for i in 0..m {
            for j in 0..m {
                rhs[i][j] = l.iter().zip(s).map(|(r, q)| r[i] * q[j]).sum();
            }
        }
        for i in 0..m {
            a[i][m..].copy_from_slice(&rhs[i]);
        }
        for c in 0..m {
            let piv = a[c][c];
            for v in a[c].iter_mut() {
                *v /= piv;
            }
            for r in 0..m {
                if r != c {
                    let factor = a[r][c];
                    let row_c = a[c].clone();
                    for (v, w) in a[r].iter_mut().zip(row_c) {
                        *v -= factor * w;
                    }
                }
            }
        }
        a.into_iter().map(|r| r[m..].to_vec()).collect()
    }

    #[test]
    fn principal_axis_matches_numpy_reference() {
        let fx = load("efa.json");
        let ex = &fx["extraction"];
        let opts = EfaOptions {
            factors: FactorCount::Fixed(3),
            extraction: Extraction::PrincipalAxis,
            rotation: Rotation::None,
            ..Default::default()
        };
        let got = factor_analysis(&table(&ex["data"]), &opts).unwrap();
        assert!(got.converged);
        let ours: Vec<Vec<f64>> = got.items.iter().map(|i| i.loadings.clone()).collect();
        let (d, _) = aligned_diff(&ours, &matrix(&ex["pa"]["loadings"]));
        assert!(d < ITERATIVE, "PA loadings differ by {d}");
        for (i, h) in vec_f(&ex["pa"]["communalities"]).iter().enumerate() {
            close(got.items[i].communality, *h, ITERATIVE, "PA communality");
        }
        // PAF converged and MINRES share a stationary point
        let mr = factor_analysis(
            &table(&ex["data"]),
            &EfaOptions {
                extraction: Extraction::Minres,
                ..opts
            },
        )
        .unwrap();
        for (a, b) in got.items.iter().zip(&mr.items) {
            close(a.communality, b.communality, ITERATIVE, "PA vs MINRES");
        }
        for (i, e) in vec_f(&ex["eigenvalues"]).iter().enumerate() {
            close(got.eigenvalues[i], *e, CLOSED, "eigenvalue");
        }
    }

    #[test]
    fn parallel_analysis_finds_the_three_simulated_factors() {
        let fx = load("efa.json");
        let ex = &fx["extraction"];
        let got = factor_analysis(&table(&ex["data"]), &EfaOptions::default()).unwrap();
        let pa = got.parallel.as_ref().unwrap();
        assert_eq!(got.n_factors, 3);
        assert_eq!(pa.n_components, 3);
        for (i, e) in vec_f(&ex["reduced_eigenvalues"]).iter().enumerate() {
            close(pa.observed_reduced[i], *e, CLOSED, "reduced eigenvalue");
        }
        // same seed, same answer
        let again = factor_analysis(&table(&ex["data"]), &EfaOptions::default()).unwrap();
        assert_eq!(again.parallel, got.parallel);
    }

    #[test]
    fn heywood_case_is_reported_where_factor_analyzer_clips_silently() {
        let fx = load("efa.json");
        let h = &fx["heywood"];
        let opts = EfaOptions {
            factors: FactorCount::Fixed(2),
            extraction: Extraction::MaximumLikelihood,
            rotation: Rotation::None,
            ..Default::default()
        };
        let got = factor_analysis(&table(&h["data"]), &opts).unwrap();
        assert_eq!(got.heywood_items, vec!["1", "2", "3"], "{:?}", got.items);
        assert!(got.warnings.iter().any(|w| w.contains("Heywood")));
    }
}

mod irt {
    use super::*;
    use framewright_stats::irt::{IrtModel, IrtOptions, Quadrature, fit_irt};

    const IRT: f64 = 1e-3;

    fn mirt_like(model: IrtModel) -> IrtOptions {
        IrtOptions {
            model,
            quadrature: Quadrature::GaussHermite(21),
            tol: 1e-8,
            ..Default::default()
        }
    }

    #[test]
    fn lsat7_matches_mirt_2pl_and_rasch() {
        let fx = load("irt.json");
        let case = &fx["cases"][0];
        let t = table(&case["responses"]);
        for (model, key) in [(IrtModel::TwoPl, "2pl"), (IrtModel::Rasch, "rasch")] {
            let want = &case["fits"][key];
            let got = fit_irt(&t, &mirt_like(model)).unwrap();
            assert!(got.converged);
            close(
                got.log_likelihood,
                f(&want["log_likelihood"]),
                ITERATIVE,
                "log-likelihood",
            );
            for (i, it) in got.items.iter().enumerate() {
                let what = format!("{key} item {i}");
                close(it.a, f(&want["a"][i]), IRT, &format!("{what} a"));
                close(it.b, f(&want["b"][i]), IRT, &format!("{what} b"));
                close(
                    it.se_b.unwrap(),
                    f(&want["b_se"][i]),
                    IRT,
                    &format!("{what} se b"),
                );
                if model == IrtModel::TwoPl {
                    close(
                        it.se_a.unwrap(),
                        f(&want["a_se"][i]),
                        IRT,
                        &format!("{what} se a"),
                    );
                }
            }
            for (p, th) in vec_f(&want["eap_gh21"]).iter().enumerate() {
                close(got.persons[p].theta, *th, IRT, "EAP");
                close(got.persons[p].se, f(&want["eap_sd_gh21"][p]), IRT, "EAP SD");
            }
            let grid = vec_f(&want["information_theta"]);
            let info = vec_f(&want["information"]);
            for (g, i) in grid.iter().zip(info) {
                let pt = got
                    .test_information
                    .iter()
                    .find(|p| (p.theta - g).abs() < 1e-12)
                    .unwrap();
                close(pt.information, i, IRT, "information");
            }
        }
        // published (Bock & Aitkin; R mirt): a ≈ .988/1.081/1.706/.765/.736, logLik −2658.805
        let got = fit_irt(&t, &mirt_like(IrtModel::TwoPl)).unwrap();
        assert!((got.log_likelihood + 2658.805).abs() < 0.01);
    }

    #[test]
    fn missing_responses_match_mirt() {
        let fx = load("irt.json");
        let case = &fx["cases"][1];
        let got = fit_irt(&table(&case["responses"]), &mirt_like(IrtModel::TwoPl)).unwrap();
        let want = &case["fits"]["2pl"];
        close(
            got.log_likelihood,
            f(&want["log_likelihood"]),
            ITERATIVE,
            "log-likelihood",
        );
        for (i, it) in got.items.iter().enumerate() {
            close(it.a, f(&want["a"][i]), IRT, "a");
            close(it.b, f(&want["b"][i]), IRT, "b");
            close(it.se_a.unwrap(), f(&want["a_se"][i]), IRT, "se a");
            close(it.se_b.unwrap(), f(&want["b_se"][i]), IRT, "se b");
        }
    }

    #[test]
    fn girth_agrees_within_its_looser_quadrature() {
        let fx = load("irt.json");
        let case = &fx["cases"][0];
        let got = fit_irt(&table(&case["responses"]), &IrtOptions::default()).unwrap();
        for (i, it) in got.items.iter().enumerate() {
            close(it.a, f(&case["girth"]["2pl_a"][i]), 2e-2, "girth a");
            close(it.b, f(&case["girth"]["2pl_b"][i]), 2e-2, "girth b");
        }
    }
}

mod pathological {
    use super::*;
    use framewright_stats::StatsError;
    use framewright_stats::efa::{EfaOptions, FactorCount, factor_analysis};
    use framewright_stats::reliability::{AlphaOptions, cronbach_alpha};

    /// A duplicated item makes the correlation matrix singular: KMO, SMC and the extraction
    /// need its inverse, so the analysis stops with an error instead of returning nonsense.
    #[test]
    fn duplicated_item_is_reported_not_positive_definite() {
        let fx = load("efa.json");
        let mut rows: Vec<Vec<Option<f64>>> = fx["kmo"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_array().unwrap().iter().map(Value::as_f64).collect())
            .collect();
        for r in &mut rows {
            let first = r[0];
            r.push(first);
        }
        let t = Table::from_rows(Table::numbered_columns(7), &rows).unwrap();
        let opts = EfaOptions {
            factors: FactorCount::Fixed(2),
            ..Default::default()
        };
        let err = factor_analysis(&t, &opts).unwrap_err();
        assert!(
            matches!(err, StatsError::NotPositiveDefinite { .. }),
            "{err}"
        );
    }

    /// Closed-form alpha-if-deleted equals recomputing alpha without the item.
    #[test]
    fn alpha_if_deleted_equals_recomputation() {
        let fx = load("alpha.json");
        let t = table(&fx["cases"][3]["data"]);
        let full = cronbach_alpha(&t, &AlphaOptions::default()).unwrap();
        for i in 0..t.n_cols() {
            let without =
                cronbach_alpha(&t.without_columns(&[i]), &AlphaOptions::default()).unwrap();
            let closed = full.items[i].alpha_if_deleted.unwrap();
            assert!(
                (closed - without.alpha).abs() < 1e-13,
                "item {i}: {closed} vs {}",
                without.alpha
            );
        }
    }

    /// Pairwise deletion keeps more rows than listwise and says so.
    #[test]
    fn cases_kept_are_reported_per_policy() {
        let fx = load("alpha.json");
        let t = table(&fx["cases"][0]["data"]);
        let lw = cronbach_alpha(&t, &AlphaOptions::default()).unwrap();
        let pw = cronbach_alpha(
            &t,
            &AlphaOptions {
                missing: framewright_stats::MissingPolicy::Pairwise,
                confidence: 0.95,
            },
        )
        .unwrap();
        assert_eq!((lw.n_rows, lw.n_used), (12, 9));
        assert_eq!((pw.n_rows, pw.n_used), (12, 12));
    }
}

mod kappa_paths {
    use framewright_stats::agreement::{KappaWeights, cohen_kappa};

    /// Integer labels (lookup table), other labels (linear search) and more than 64 categories
    /// (sorting) give the same kappa for the same ordered categories.
    #[test]
    fn every_tabulation_path_agrees() {
        for n_cats in [7u32, 70] {
            let r1: Vec<u32> = (0..500u32).map(|i| (i * 7 + i / 3) % n_cats).collect();
            let r2: Vec<u32> = (0..500u32).map(|i| (i * 7 + i / 5) % n_cats).collect();
            let as_ints = |r: &[u32]| r.iter().map(|v| Some(f64::from(*v))).collect::<Vec<_>>();
            let as_other = |r: &[u32]| {
                r.iter()
                    .map(|v| Some(1000.0 + 0.5 * f64::from(*v)))
                    .collect::<Vec<_>>()
            };
            for w in [KappaWeights::Unweighted, KappaWeights::Quadratic] {
                let a = cohen_kappa(&as_ints(&r1), &as_ints(&r2), w, 0.95).unwrap();
                let b = cohen_kappa(&as_other(&r1), &as_other(&r2), w, 0.95).unwrap();
                assert!((a.kappa - b.kappa).abs() < 1e-12, "{n_cats} {w:?}");
                assert_eq!(a.table, b.table);
                assert_eq!(a.n_used, 500);
            }
        }
    }
}
