//! `framewright stats …` on real CSV files: each subcommand's report and JSON keys, and the
//! bad-input cases (ragged row, non-numeric cell, constant item, fewer than two raters, missing
//! column) that must exit 2 and name the file, line, row and column.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{self, framewright, write};

fn fixture(name: &str) -> String {
    common::fixture_str("stats", name)
}

fn json(args: &[&str]) -> Value {
    let out = framewright()
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn bad_input(args: &[&str]) -> String {
    let out = framewright().args(args).assert().code(2);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

#[test]
fn alpha_json_has_the_documented_keys() {
    let v = json(&["stats", "alpha", &fixture("alpha.csv"), "--skip", "id"]);
    assert!((num(&v["alpha"]) - 0.34064188115665717).abs() < 1e-12);
    assert!((num(&v["ci95"][0]) + 0.734676).abs() < 1e-6);
    assert!((num(&v["ci95"][1]) - 0.816051).abs() < 1e-6);
    assert_eq!(v["n_used"], 10);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["item"], "q1");
    assert!(items[0]["corrected_item_total"].is_number());
    assert!(items[0]["alpha_if_deleted"].is_number());
}

#[test]
fn alpha_reports_cases_kept_under_each_missing_rule() {
    let f = fixture("alpha_missing.csv");
    let listwise = json(&["stats", "alpha", &f]);
    assert_eq!(listwise["n_used"], 8);
    assert!((num(&listwise["alpha"]) - 0.28498727735368956).abs() < 1e-12);
    let pairwise = json(&["stats", "alpha", &f, "--missing", "pairwise"]);
    assert_eq!(pairwise["n_used"], 10);
    assert!((num(&pairwise["alpha"]) - 0.2940132092891128).abs() < 1e-12);
    framewright()
        .args(["stats", "alpha", &f])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "rows: 10   used: 8   missing data: listwise",
        ));
}

#[test]
fn icc_lists_all_six_forms() {
    let v = json(&["stats", "icc", &fixture("icc.csv"), "--skip", "target"]);
    let icc = v["icc"].as_array().unwrap();
    let types: Vec<&str> = icc.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]);
    for e in icc {
        for key in ["value", "f", "df1", "df2", "p"] {
            assert!(e[key].is_number(), "{key}");
        }
        assert_eq!(e["ci95"].as_array().unwrap().len(), 2);
    }
    assert!(
        (num(&icc[2]["value"]) - 0.714841).abs() < 1e-6,
        "Shrout & Fleiss ICC(3,1)"
    );
}

#[test]
fn kappa_weights_and_word_labels() {
    let f = fixture("kappa.csv");
    let v = json(&[
        "stats",
        "kappa",
        &f,
        "--raters",
        "rater_a,rater_b",
        "--weights",
        "quadratic",
    ]);
    assert!((num(&v["kappa"]) - 0.7857142857142857).abs() < 1e-12);
    let dir = tempfile::tempdir().unwrap();
    let words = write(
        &dir,
        "w.csv",
        "a,b\nyes,yes\nno,no\nyes,no\nno,no\nyes,yes\n",
    );
    let v = json(&["stats", "kappa", &words]);
    assert_eq!(v["categories"], serde_json::json!(["no", "yes"]));
    assert!(v["kappa"].is_number());
    let err = bad_input(&["stats", "kappa", &words, "--weights", "linear"]);
    assert!(err.contains("need numeric ratings"), "{err}");
}

#[test]
fn fleiss_krippendorff_and_rwg() {
    let v = json(&["stats", "fleiss", &fixture("fleiss.csv")]);
    assert!((num(&v["kappa"]) - 0.430245).abs() < 1e-6);
    let v = json(&[
        "stats",
        "krippendorff",
        &fixture("krippendorff.csv"),
        "--level",
        "nominal",
    ]);
    assert!((num(&v["alpha"]) - 0.743421052631579).abs() < 1e-12);
    let v = json(&["stats", "rwg", &fixture("rwg.csv"), "--options", "5"]);
    assert!((num(&v["rwg_j"]) - 0.9398340248962656).abs() < 1e-12);
}

#[test]
fn efa_finds_three_factors_and_reports_adequacy() {
    let v = json(&["stats", "efa", &fixture("efa.csv"), "--factors", "auto"]);
    assert_eq!(v["n_factors"], 3);
    assert!(v["kmo"]["overall"].is_number());
    assert_eq!(v["items"].as_array().unwrap().len(), 12);
    assert_eq!(v["factor_correlations"].as_array().unwrap().len(), 3);
    let v = json(&[
        "stats",
        "efa",
        &fixture("efa.csv"),
        "--factors",
        "3",
        "--method",
        "ml",
        "--rotation",
        "varimax",
    ]);
    assert!(v["factor_correlations"].is_null());
    assert!(v["ml_fit"]["chi2"].is_number());
    let err = bad_input(&["stats", "efa", &fixture("efa.csv"), "--factors", "three"]);
    assert!(err.contains("--factors"), "{err}");
}

#[test]
fn irt_calibrates_lsat7() {
    let v = json(&["stats", "irt", &fixture("lsat7.csv"), "--model", "2pl"]);
    let items = v["items"].as_array().unwrap();
    assert!((num(&items[2]["a"]) - 1.707).abs() < 0.01);
    assert!(
        v.get("persons").is_none(),
        "person scores only with --persons"
    );
    let v = json(&[
        "stats",
        "irt",
        &fixture("lsat7.csv"),
        "--model",
        "rasch",
        "--persons",
    ]);
    assert_eq!(v["persons"].as_array().unwrap().len(), 1000);
}

#[test]
fn adverse_impact_json_keys_and_counts_input() {
    let v = json(&[
        "stats",
        "adverse-impact",
        &fixture("applicants.csv"),
        "--group",
        "group",
        "--selected",
        "selected",
    ]);
    assert_eq!(v["four_fifths_violation"], true);
    assert!((num(&v["fisher_p"]) - 0.0495426535215911).abs() < 1e-12);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups[1]["group"], "focal");
    assert_eq!(groups[1]["applicants"], 50);
    assert_eq!(groups[1]["selected"], 21);
    assert!((num(&groups[1]["rate"]) - 0.42).abs() < 1e-12);
    assert!((num(&groups[1]["impact_ratio"]) - 0.7).abs() < 1e-12);

    let dir = tempfile::tempdir().unwrap();
    let counts = write(&dir, "c.csv", "group,applied,hired\nA,80,48\nB,50,24\n");
    let v = json(&[
        "stats",
        "adverse-impact",
        &counts,
        "--group",
        "group",
        "--selected",
        "hired",
        "--applicants",
        "applied",
    ]);
    assert_eq!(
        v["four_fifths_violation"], false,
        "an impact ratio of exactly 0.80 is not below four-fifths"
    );
    framewright()
        .args([
            "stats",
            "adverse-impact",
            &counts,
            "--group",
            "group",
            "--selected",
            "hired",
            "--applicants",
            "applied",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("warning"));
}

#[test]
fn dif_angoff_and_contrasting_groups() {
    let v = json(&[
        "stats",
        "dif",
        &fixture("dif.csv"),
        "--group",
        "group",
        "--focal",
        "F",
    ]);
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 12);
    assert_eq!(items[1]["ets_class"], "C");
    let v = json(&["stats", "angoff", &fixture("angoff.csv"), "--skip", "judge"]);
    assert!((num(&v["cut"]) - 3.2166666666666663).abs() < 1e-12);
    assert!((num(&v["se"]) - 0.06009252125773319).abs() < 1e-12);
    let v = json(&[
        "stats",
        "contrasting-groups",
        &fixture("contrasting.csv"),
        "--score",
        "score",
        "--competent",
        "competent",
    ]);
    assert_eq!(num(&v["cut"]), 68.0);
    assert!((num(&v["logistic"]["cut"]) - 68.447396).abs() < 1e-5);
}

#[test]
fn ragged_row_names_line_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "r.csv", "q1,q2,q3\n1,2,3\n2,3\n3,4,5\n");
    let err = bad_input(&["stats", "alpha", &f]);
    assert!(
        err.contains("line 3 (data row 2) has 2 cells, but the header has 3 columns"),
        "{err}"
    );
    assert!(err.contains("r.csv"), "{err}");
}

#[test]
fn non_numeric_cell_names_line_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "n.csv", "q1,q2,q3\n1,2,3\n2,three,4\n3,4,5\n");
    let err = bad_input(&["stats", "alpha", &f]);
    assert!(
        err.contains("line 3 (data row 2), column \"q2\": \"three\" is not a number"),
        "{err}"
    );
    let err = bad_input(&["stats", "icc", &f]);
    assert!(err.contains("column \"q2\""), "{err}");
}

#[test]
fn constant_item_names_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "c.csv", "q1,q2,q3\n1,4,3\n2,4,4\n3,4,5\n4,4,2\n");
    let err = bad_input(&["stats", "alpha", &f]);
    assert!(err.contains("column \"q2\" is constant"), "{err}");
    let err = bad_input(&["stats", "efa", &f, "--factors", "1"]);
    assert!(err.contains("column \"q2\" is constant"), "{err}");
    let bin = write(&dir, "b.csv", "i1,i2,i3\n1,1,0\n0,1,1\n1,1,0\n");
    let err = bad_input(&["stats", "irt", &bin]);
    assert!(err.contains("column \"i2\" is constant"), "{err}");
    let not_binary = write(&dir, "nb.csv", "i1,i2,i3\n1,0,1\n0,2,1\n1,1,0\n");
    let err = bad_input(&["stats", "irt", &not_binary]);
    assert!(
        err.contains("nb.csv: line 3: row 2, column \"i2\": 2 is not a 0/1 response"),
        "{err}"
    );
}

#[test]
fn fewer_than_two_raters_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "one.csv", "target,rater1\nt1,3\nt2,4\nt3,5\n");
    for cmd in ["icc", "fleiss", "krippendorff"] {
        let mut args = vec!["stats", cmd, f.as_str(), "--skip", "target"];
        if cmd == "krippendorff" {
            args.extend(["--level", "interval"]);
        }
        let err = bad_input(&args);
        assert!(
            err.contains("need at least 2 raters") || err.contains("need at least 2 coders"),
            "{cmd}: {err}"
        );
        assert!(err.contains("one.csv"), "{err}");
    }
    let err = bad_input(&["stats", "kappa", &f, "--skip", "target"]);
    assert!(err.contains("exactly two raters"), "{err}");
}

#[test]
fn missing_column_and_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = bad_input(&[
        "stats",
        "adverse-impact",
        &fixture("applicants.csv"),
        "--group",
        "sex",
        "--selected",
        "selected",
    ]);
    assert!(err.contains("there is no column \"sex\""), "{err}");
    let empty = write(&dir, "e.csv", "");
    let err = bad_input(&["stats", "alpha", &empty]);
    assert!(err.contains("the file is empty"), "{err}");
    let bad = write(&dir, "s.csv", "group,selected\nA,maybe\n");
    let err = bad_input(&[
        "stats",
        "adverse-impact",
        &bad,
        "--group",
        "group",
        "--selected",
        "selected",
    ]);
    assert!(
        err.contains("line 2 (data row 1), column \"selected\""),
        "{err}"
    );
}

#[test]
fn every_subcommand_explains_itself() {
    for cmd in [
        "alpha",
        "omega",
        "icc",
        "kappa",
        "fleiss",
        "krippendorff",
        "rwg",
        "efa",
        "irt",
        "adverse-impact",
        "dif",
        "angoff",
        "contrasting-groups",
    ] {
        framewright()
            .args(["stats", cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example: framewright stats"));
    }
}
