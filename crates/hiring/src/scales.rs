//! The rating scales SMEs answer, with their anchors. The task and competency scales are the
//! example scales of OPM's Job Analysis Template (DEOH Appendix G, steps 3 and 4), which OPM says
//! "have been used in past job analyses". OPM publishes no anchors for distinguishing value, so
//! that scale is a parameter; its default anchors are Framewright's and say so.

use serde::{Deserialize, Serialize};

/// The value SMEs give for "Not performed" on the task scales.
pub const NOT_PERFORMED: u8 = 0;

/// The highest point of the OPM task and competency scales.
pub const OPM_SCALE_MAX: u8 = 5;

/// One point of a rating scale and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    /// The value an SME gives.
    pub value: u8,
    /// What it means.
    pub label: String,
}

/// A rating scale as SMEs see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingScale {
    /// Identifier (`task_importance`, …), the same as the column in the rating files.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// The question SMEs answer.
    pub question: String,
    /// The points, lowest first.
    pub anchors: Vec<Anchor>,
    /// Where the scale comes from.
    pub source: String,
}

impl RatingScale {
    /// The lowest and highest value.
    pub fn range(&self) -> (u8, u8) {
        let low = self.anchors.iter().map(|a| a.value).min().unwrap_or(0);
        let high = self.anchors.iter().map(|a| a.value).max().unwrap_or(0);
        (low, high)
    }

    /// The label of `value`, if it is a point of the scale.
    pub fn label(&self, value: u8) -> Option<&str> {
        self.anchors
            .iter()
            .find(|a| a.value == value)
            .map(|a| a.label.as_str())
    }
}

fn anchors(points: &[(u8, &str)]) -> Vec<Anchor> {
    points
        .iter()
        .map(|(value, label)| Anchor {
            value: *value,
            label: (*label).to_string(),
        })
        .collect()
}

const OPM_TEMPLATE: &str = "OPM Job Analysis Template (Delegated Examining Operations Handbook, Appendix G), example scale";

/// Task importance, 0 = Not performed, 1–5.
pub fn task_importance() -> RatingScale {
    RatingScale {
        id: "importance".into(),
        name: "Task importance".into(),
        question: "How important is this task to successful performance in the position?".into(),
        anchors: anchors(&[
            (0, "Not performed"),
            (1, "Not important"),
            (2, "Somewhat important"),
            (3, "Important"),
            (4, "Very important"),
            (5, "Extremely important"),
        ]),
        source: OPM_TEMPLATE.into(),
    }
}

/// Task frequency, 0 = Not performed, 1–5.
pub fn task_frequency() -> RatingScale {
    RatingScale {
        id: "frequency".into(),
        name: "Task frequency".into(),
        question: "How often is this task performed in the position?".into(),
        anchors: anchors(&[
            (0, "Not performed"),
            (1, "Every few months to yearly"),
            (2, "Every few weeks to monthly"),
            (3, "Every few days to weekly"),
            (4, "Every few hours to daily"),
            (5, "Hourly to many times each hour"),
        ]),
        source: OPM_TEMPLATE.into(),
    }
}

/// Competency importance, 1–5 (no "Not performed" point).
pub fn competency_importance() -> RatingScale {
    RatingScale {
        id: "importance".into(),
        name: "Competency importance".into(),
        question: "How important is this competency to successful performance in the position?"
            .into(),
        anchors: anchors(&[
            (1, "Not important"),
            (2, "Somewhat important"),
            (3, "Important"),
            (4, "Very important"),
            (5, "Extremely important"),
        ]),
        source: "OPM Job Analysis Template (DEOH Appendix G): the task importance anchors, which the template also uses for competencies".into(),
    }
}

/// Needed at entry, yes or no.
pub fn needed_at_entry() -> RatingScale {
    RatingScale {
        id: "needed_at_entry".into(),
        name: "Needed at entry".into(),
        question: "Is this competency needed on the first day in the position, before any training the agency gives?".into(),
        anchors: anchors(&[(0, "No"), (1, "Yes")]),
        source: "OPM Job Analysis Template (DEOH Appendix G), step 4".into(),
    }
}

/// Framewright's default distinguishing-value scale (1–5). OPM asks how much a competency
/// distinguishes superior from barely acceptable performance but publishes no anchors.
pub fn default_distinguishing_value() -> RatingScale {
    RatingScale {
        id: "distinguishing_value".into(),
        name: "Distinguishing value".into(),
        question: "How much does this competency distinguish superior from barely acceptable performance?".into(),
        anchors: anchors(&[
            (1, "Does not distinguish"),
            (2, "Distinguishes to a small extent"),
            (3, "Distinguishes to a moderate extent"),
            (4, "Distinguishes to a great extent"),
            (5, "Distinguishes to a very great extent"),
        ]),
        source: "Framewright default anchors: OPM names the scale (OPM assessment FAQ) but publishes no anchors; replace them with your agency's in the analysis parameters".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opm_scales_have_the_template_points() {
        assert_eq!(task_importance().range(), (0, 5));
        assert_eq!(task_frequency().label(0), Some("Not performed"));
        assert_eq!(task_frequency().label(3), Some("Every few days to weekly"));
        assert_eq!(competency_importance().range(), (1, 5));
        assert_eq!(needed_at_entry().range(), (0, 1));
        assert_eq!(default_distinguishing_value().range(), (1, 5));
    }
}
