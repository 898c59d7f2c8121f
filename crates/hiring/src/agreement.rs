//! Agreement among SMEs, computed by the statistics engine (`framewright-stats`): rwg for each
//! rated item (James, Demaree & Wolf 1984, uniform null) and the intraclass correlation over a
//! whole rating scale (Shrout & Fleiss; absolute agreement, since the same panel rates every
//! item). This module only arranges the ratings for the engine and turns its errors into plain
//! notes; it computes no statistic itself.

use framewright_stats::Table;
use framewright_stats::agreement::rwg_table;
use framewright_stats::icc::{IccType, icc};
use serde::{Deserialize, Serialize};

/// rwg for one item's ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAgreement {
    /// rwg (0 … 1), when it could be computed.
    pub rwg: Option<f64>,
    /// True when the ratings varied more than random answers would and rwg was set to 0.
    #[serde(default)]
    pub truncated: bool,
    /// Why rwg is missing or truncated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The ICC of one rating scale over the items the whole panel rated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleIcc {
    /// Which scale (`task importance`, …).
    pub scale: String,
    /// ICC(A,1): agreement of a single SME's ratings with the others'.
    pub single_sme: f64,
    /// Its confidence interval.
    pub single_sme_ci: [f64; 2],
    /// ICC(A,k): reliability of the panel's mean rating.
    pub panel_mean: f64,
    /// Its confidence interval.
    pub panel_mean_ci: [f64; 2],
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Items used (rated 1–5 by every SME).
    pub items_used: usize,
    /// Items left out because an SME skipped them or rated them Not performed.
    pub items_left_out: usize,
    /// SMEs.
    pub smes: usize,
}

/// The ICC of a scale, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleAgreement {
    /// Computed.
    Computed(ScaleIcc),
    /// Not computed, and why.
    NotComputed {
        /// Which scale.
        scale: String,
        /// Why.
        reason: String,
    },
}

/// rwg of one item's ratings on a scale with `options` points.
pub fn item_rwg(ratings: &[u8], options: u32) -> ItemAgreement {
    if ratings.len() < 2 {
        return ItemAgreement {
            rwg: None,
            truncated: false,
            note: Some(format!(
                "rwg needs ratings from at least two SMEs; this item has {}",
                ratings.len()
            )),
        };
    }
    let column: Vec<Vec<Option<f64>>> = ratings.iter().map(|r| vec![Some(f64::from(*r))]).collect();
    let result =
        Table::from_rows(vec!["ratings".to_string()], &column).and_then(|t| rwg_table(&t, options));
    match result {
        Ok(r) => match r.items.first() {
            Some(item) => ItemAgreement {
                rwg: Some(item.rwg),
                truncated: item.truncated,
                note: item.truncated.then(|| {
                    "the ratings vary more than random answers would; rwg is set to 0".to_string()
                }),
            },
            None => ItemAgreement {
                rwg: None,
                truncated: false,
                note: Some("rwg could not be computed".to_string()),
            },
        },
        Err(e) => ItemAgreement {
            rwg: None,
            truncated: false,
            note: Some(format!("rwg could not be computed: {e}")),
        },
    }
}

/// ICC of a scale from a targets × SMEs grid (`None` = not rated or Not performed). Only the
/// targets every SME rated are used, since the ICC needs the same raters on every target.
pub fn scale_icc(
    scale: &str,
    grid: &[Vec<Option<u8>>],
    smes: usize,
    confidence: f64,
) -> ScaleAgreement {
    let not_computed = |reason: String| ScaleAgreement::NotComputed {
        scale: scale.to_string(),
        reason,
    };
    if smes < 2 {
        return not_computed(format!(
            "the ICC needs at least two SMEs; the panel has {smes}"
        ));
    }
    let complete: Vec<Vec<Option<f64>>> = grid
        .iter()
        .filter(|row| row.iter().all(Option::is_some))
        .map(|row| row.iter().map(|v| v.map(f64::from)).collect())
        .collect();
    if complete.len() < 2 {
        return not_computed(format!(
            "the ICC needs at least two items that every SME rated; {} found",
            complete.len()
        ));
    }
    let columns: Vec<String> = (1..=smes).map(|i| format!("SME {i}")).collect();
    let result = Table::from_rows(columns, &complete).and_then(|t| icc(&t, confidence));
    match result {
        Ok(r) => match (r.get(IccType::Icc2), r.get(IccType::Icc2k)) {
            (Some(single), Some(panel)) => ScaleAgreement::Computed(ScaleIcc {
                scale: scale.to_string(),
                single_sme: single.value,
                single_sme_ci: single.ci95,
                panel_mean: panel.value,
                panel_mean_ci: panel.ci95,
                confidence,
                items_used: complete.len(),
                items_left_out: grid.len() - complete.len(),
                smes,
            }),
            _ => not_computed("the statistics engine returned no ICC(A,1)".to_string()),
        },
        Err(e) => not_computed(format!("the ICC could not be computed: {e}")),
    }
}
