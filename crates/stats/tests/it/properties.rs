//! Properties every implementation must have whatever the data: invariances, symmetries, and
//! agreement between two ways of computing the same thing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use framewright_stats::Table;
use framewright_stats::agreement::{
    KappaWeights, KrippendorffLevel, cohen_kappa, krippendorff_alpha,
};
use framewright_stats::icc::{IccType, icc};
use framewright_stats::reliability::{AlphaOptions, cronbach_alpha};
use framewright_stats::{MissingPolicy, fairness};
use proptest::prelude::*;

fn likert(rows: usize, cols: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    proptest::collection::vec(proptest::collection::vec(1u8..=5, cols), rows).prop_map(|r| {
        r.into_iter()
            .map(|row| row.into_iter().map(f64::from).collect())
            .collect()
    })
}

fn varies(rows: &[Vec<f64>]) -> bool {
    let k = rows[0].len();
    (0..k).all(|c| rows.iter().any(|r| r[c] != rows[0][c]))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Alpha does not change when an item is shifted, and pairwise equals listwise without gaps.
    #[test]
    fn alpha_is_shift_invariant(rows in likert(30, 5), shift in -50.0f64..50.0) {
        prop_assume!(varies(&rows));
        let t = Table::from_complete_rows(Table::numbered_columns(5), &rows).unwrap();
        let shifted: Vec<Vec<f64>> = rows.iter().map(|r| {
            let mut r = r.clone();
            r[2] += shift;
            r
        }).collect();
        let s = Table::from_complete_rows(Table::numbered_columns(5), &shifted).unwrap();
        let a = cronbach_alpha(&t, &AlphaOptions::default()).unwrap();
        let b = cronbach_alpha(&s, &AlphaOptions::default()).unwrap();
        let p = cronbach_alpha(&t, &AlphaOptions { missing: MissingPolicy::Pairwise, confidence: 0.95 }).unwrap();
        prop_assert!((a.alpha - b.alpha).abs() < 1e-9);
        prop_assert!((a.alpha - p.alpha).abs() < 1e-9);
        prop_assert!((a.standardized_alpha - p.standardized_alpha).abs() < 1e-9);
        for (x, y) in a.items.iter().zip(&p.items) {
            prop_assert!((x.corrected_item_total - y.corrected_item_total).abs() < 1e-9);
        }
    }

    /// Kappa is symmetric in the two raters, and 1 when they always agree.
    #[test]
    fn kappa_is_symmetric(rows in likert(40, 2)) {
        let r1: Vec<Option<f64>> = rows.iter().map(|r| Some(r[0])).collect();
        let r2: Vec<Option<f64>> = rows.iter().map(|r| Some(r[1])).collect();
        for w in [KappaWeights::Unweighted, KappaWeights::Linear, KappaWeights::Quadratic] {
            match (cohen_kappa(&r1, &r2, w, 0.95), cohen_kappa(&r2, &r1, w, 0.95)) {
                (Ok(a), Ok(b)) => prop_assert!((a.kappa - b.kappa).abs() < 1e-12),
                (Err(_), Err(_)) => {}
                _ => prop_assert!(false, "asymmetric failure"),
            }
            if let Ok(same) = cohen_kappa(&r1, &r1, w, 0.95) {
                prop_assert!((same.kappa - 1.0).abs() < 1e-12);
            }
        }
    }

    /// Without missing cells, Krippendorff's interval alpha and the nominal one do not depend on
    /// the order of the raters; with two categories nominal and interval coincide.
    #[test]
    fn krippendorff_ignores_rater_order(rows in proptest::collection::vec(proptest::collection::vec(0u8..=1, 3), 12)) {
        let rows: Vec<Vec<f64>> = rows.into_iter().map(|r| r.into_iter().map(f64::from).collect()).collect();
        let t = Table::from_complete_rows(Table::numbered_columns(3), &rows).unwrap();
        let rev: Vec<Vec<f64>> = rows.iter().map(|r| r.iter().rev().copied().collect()).collect();
        let u = Table::from_complete_rows(Table::numbered_columns(3), &rev).unwrap();
        if let (Ok(a), Ok(b), Ok(c)) = (
            krippendorff_alpha(&t, KrippendorffLevel::Interval),
            krippendorff_alpha(&u, KrippendorffLevel::Interval),
            krippendorff_alpha(&t, KrippendorffLevel::Nominal),
        ) {
            prop_assert!((a.alpha - b.alpha).abs() < 1e-12);
            prop_assert!((a.alpha - c.alpha).abs() < 1e-12);
        }
    }

    /// The consistency ICC does not change when one rater is harsher or more lenient by a
    /// constant (the absolute-agreement ICC does; it may rise or fall).
    #[test]
    fn icc_consistency_ignores_rater_offsets(rows in likert(15, 3), offset in 0.5f64..3.0) {
        prop_assume!(varies(&rows));
        let t = Table::from_complete_rows(Table::numbered_columns(3), &rows).unwrap();
        let shifted: Vec<Vec<f64>> = rows.iter().map(|r| vec![r[0], r[1] + offset, r[2]]).collect();
        let s = Table::from_complete_rows(Table::numbered_columns(3), &shifted).unwrap();
        if let (Ok(a), Ok(b)) = (icc(&t, 0.95), icc(&s, 0.95)) {
            let c = |r: &framewright_stats::icc::IccResult, k| r.get(k).unwrap().value;
            prop_assert!((c(&a, IccType::Icc3) - c(&b, IccType::Icc3)).abs() < 1e-9);
        }
    }

    /// Fisher's two-sided p is a probability, and swapping the groups does not change it.
    #[test]
    fn fisher_is_symmetric(a in 0u64..40, b in 0u64..40, c in 0u64..40, d in 0u64..40) {
        let p = fairness::fisher_exact_two_sided(a, b, c, d);
        let q = fairness::fisher_exact_two_sided(c, d, a, b);
        prop_assert!((0.0..=1.0).contains(&p));
        prop_assert!((p - q).abs() < 1e-12);
    }
}
