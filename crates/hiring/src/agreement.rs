//! Agreement among SMEs, computed by the statistics engine (`framewright-stats`): rwg for each
//! rated item (James, Demaree & Wolf 1984, uniform null) and the intraclass correlation over a
//! whole rating scale (Shrout & Fleiss; absolute agreement, since the same panel rates every
//! item). This module only arranges the ratings for the engine and turns its errors into plain
//! notes; it computes no statistic itself.

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
    let _ = options;
    ItemAgreement {
        rwg: None,
        truncated: false,
        note: Some(ENGINE_PENDING.to_string()),
    }
}

/// ICC of a scale from a targets × SMEs grid (`None` = not rated or Not performed).
pub fn scale_icc(
    scale: &str,
    grid: &[Vec<Option<u8>>],
    smes: usize,
    confidence: f64,
) -> ScaleAgreement {
    let _ = (grid, smes, confidence);
    ScaleAgreement::NotComputed {
        scale: scale.to_string(),
        reason: ENGINE_PENDING.to_string(),
    }
}

const ENGINE_PENDING: &str = "not computed: the statistics engine is not linked yet";
