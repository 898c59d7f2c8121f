//! Thresholds that say which way they compare. Every rule of the job analysis and of selection
//! compares an observed value (a mean, a share of SMEs, a score) with a threshold, and the
//! difference between "at least half" and "more than half" decides real cases (two SMEs of four
//! is both "half" and "a tie"). So a threshold carries its comparison, in files as
//! `{ at_least = 3.0 }` or `{ more_than = 0.5 }`, and the report quotes it word for word.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A threshold with its comparison.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Cutoff {
    /// Met when the observed value is greater than or equal to the threshold.
    AtLeast(f64),
    /// Met when the observed value is strictly greater than the threshold.
    MoreThan(f64),
}

impl Cutoff {
    /// The threshold.
    pub fn value(self) -> f64 {
        match self {
            Cutoff::AtLeast(v) | Cutoff::MoreThan(v) => v,
        }
    }

    /// Whether `observed` meets the threshold.
    ///
    /// Observed means and shares are ratios of small integers; IEEE division rounds them to the
    /// nearest double, exactly as parsing the decimal threshold does, so a mean of exactly 3.0 or
    /// a share of exactly 0.5 compares equal to the threshold and the boundary is exact.
    pub fn is_met(self, observed: f64) -> bool {
        match self {
            Cutoff::AtLeast(v) => observed >= v,
            Cutoff::MoreThan(v) => observed > v,
        }
    }

    /// Whether `observed` sits exactly on the threshold (where the comparison decides).
    pub fn is_on_boundary(self, observed: f64) -> bool {
        observed == self.value()
    }

    /// "at least" or "more than".
    pub fn comparison_words(self) -> &'static str {
        match self {
            Cutoff::AtLeast(_) => "at least",
            Cutoff::MoreThan(_) => "more than",
        }
    }

    /// "at least 3.0": the threshold as a mean on a rating scale.
    pub fn describe_mean(self) -> String {
        format!("{} {}", self.comparison_words(), format_mean(self.value()))
    }

    /// "at least 50 %": the threshold as a share of people.
    pub fn describe_share(self) -> String {
        format!(
            "{} {}",
            self.comparison_words(),
            format_percent(self.value())
        )
    }

    /// Why a value exactly on the threshold counts or not, for reports.
    pub fn boundary_explanation(self) -> &'static str {
        match self {
            Cutoff::AtLeast(_) => "it is exactly on the threshold, and \"at least\" includes it",
            Cutoff::MoreThan(_) => "it is exactly on the threshold, and \"more than\" excludes it",
        }
    }

    /// Checks that the threshold is a finite number inside `range` (inclusive).
    pub fn check_range(self, name: &str, low: f64, high: f64) -> Result<(), String> {
        let v = self.value();
        if !v.is_finite() || v < low || v > high {
            return Err(format!(
                "{name}: the threshold {v} must be a number from {} to {}",
                format_mean(low),
                format_mean(high)
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Cutoff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.comparison_words(), self.value())
    }
}

/// A mean for people: two decimals, but a whole number keeps one (3.0).
pub fn format_mean(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A share (0 … 1) for people as a percentage: whole percentages without decimals (50 %), others
/// with one (66.7 %).
pub fn format_percent(share: f64) -> String {
    let percent = share * 100.0;
    if (percent - percent.round()).abs() < 1e-9 {
        format!("{} %", percent.round())
    } else {
        format!("{percent:.1} %")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_least_includes_the_threshold_and_more_than_excludes_it() {
        assert!(Cutoff::AtLeast(0.5).is_met(0.5));
        assert!(!Cutoff::MoreThan(0.5).is_met(0.5));
        assert!(Cutoff::MoreThan(0.5).is_met(0.5000001));
        assert!(!Cutoff::AtLeast(3.0).is_met(2.9999999));
    }

    #[test]
    fn ratios_of_integers_land_exactly_on_decimal_thresholds() {
        // 2 of 4, 3 of 5, 9 / 3: the values the rules meet at their boundaries
        assert!(Cutoff::AtLeast(0.5).is_on_boundary(2.0 / 4.0));
        assert!(Cutoff::AtLeast(0.6).is_on_boundary(3.0 / 5.0));
        assert!(Cutoff::AtLeast(3.0).is_on_boundary(9.0 / 3.0));
        assert!(Cutoff::AtLeast(3.0).is_on_boundary((2.0 + 3.0 + 4.0 + 3.0) / 4.0));
        // an impact ratio formed with one division of integers: (24·80)/(50·48)
        assert!(Cutoff::AtLeast(0.8).is_on_boundary((24.0 * 80.0) / (50.0 * 48.0)));
        // (a ratio of two rounded rates can miss it: (3/5)/(3/4) is 0.7999999999999999)
    }

    #[test]
    fn thresholds_read_and_write_with_their_comparison() {
        let c: Cutoff = serde_json::from_str(r#"{"at_least": 3.0}"#).unwrap();
        assert_eq!(c, Cutoff::AtLeast(3.0));
        assert_eq!(
            serde_json::to_string(&Cutoff::MoreThan(0.5)).unwrap(),
            r#"{"more_than":0.5}"#
        );
        assert!(serde_json::from_str::<Cutoff>(r#"{"above": 3.0}"#).is_err());
        assert_eq!(Cutoff::AtLeast(0.5).describe_share(), "at least 50 %");
        assert_eq!(Cutoff::AtLeast(3.0).describe_mean(), "at least 3.0");
        assert_eq!(format_percent(2.0 / 3.0), "66.7 %");
    }
}
