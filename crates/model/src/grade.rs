//! General Schedule grades (GS-1 … GS-15) and the cells of OPM's grade tables.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A General Schedule grade, written `GS-13`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grade(u8);

/// Why a grade could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a General Schedule grade; write it as GS-1 … GS-15, for example GS-13")]
pub struct GradeError(pub String);

impl Grade {
    /// The lowest grade of the General Schedule.
    pub const MIN: u8 = 1;
    /// The highest grade of the General Schedule.
    pub const MAX: u8 = 15;

    /// The grade `GS-n`, if `n` is 1 … 15.
    pub fn new(n: u8) -> Option<Grade> {
        (Self::MIN..=Self::MAX).contains(&n).then_some(Grade(n))
    }

    /// The grade's number (13 for GS-13).
    pub fn number(self) -> u8 {
        self.0
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GS-{}", self.0)
    }
}

impl FromStr for Grade {
    type Err = GradeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let upper = trimmed.to_ascii_uppercase();
        let digits = upper
            .strip_prefix("GS-")
            .or_else(|| upper.strip_prefix("GS "))
            .or_else(|| upper.strip_prefix("GS"))
            .ok_or_else(|| GradeError(trimmed.to_string()))?;
        digits
            .trim()
            .parse::<u8>()
            .ok()
            .and_then(Grade::new)
            .ok_or_else(|| GradeError(trimmed.to_string()))
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Grade {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Grade {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Grade".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^GS-([1-9]|1[0-5])$",
            "description": "A General Schedule grade, GS-1 … GS-15."
        })
    }
}

/// A cell of OPM's "competencies by grade" tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum GradeMark {
    /// `X`: confirmed as appropriate for selection at this grade.
    #[serde(rename = "X")]
    Confirmed,
    /// `NR`: not rated at this grade.
    #[serde(rename = "NR")]
    NotRated,
}

impl GradeMark {
    /// The mark as the source prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            GradeMark::Confirmed => "X",
            GradeMark::NotRated => "NR",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_in_the_usual_spellings() {
        assert_eq!("GS-13".parse::<Grade>().unwrap().number(), 13);
        assert_eq!("gs13".parse::<Grade>().unwrap().number(), 13);
        assert_eq!(" GS 9 ".parse::<Grade>().unwrap().number(), 9);
        assert!("GS-16".parse::<Grade>().is_err());
        assert!("GS-0".parse::<Grade>().is_err());
        assert!("13".parse::<Grade>().is_err());
        assert_eq!(Grade::new(11).unwrap().to_string(), "GS-11");
    }
}
