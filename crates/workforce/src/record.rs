//! People and the assessment records made about them.

use std::fmt;
use std::str::FromStr;

use framewright_model::framework::Date;
use serde::{Deserialize, Serialize};

/// A person in the organisation, in one position (a role profile of the framework).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The organisation's own employee id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Email address, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Organisational unit (team, department), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The person's manager (another person's id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The position: a role profile id of the framework.
    pub role: String,
    /// When the person started in the position.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "ymd::option")]
    pub start_date: Option<Date>,
}

/// Who made a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The person about themselves.
    #[serde(rename = "self")]
    SelfRating,
    /// The person's manager.
    Manager,
    /// A colleague.
    Peer,
    /// A test or exam.
    Test,
    /// A subject-matter expert.
    Sme,
}

impl Source {
    /// Every source, in the order reports list them.
    pub const ALL: [Source; 5] = [
        Source::SelfRating,
        Source::Manager,
        Source::Peer,
        Source::Test,
        Source::Sme,
    ];

    /// The source as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::SelfRating => "self",
            Source::Manager => "manager",
            Source::Peer => "peer",
            Source::Test => "test",
            Source::Sme => "sme",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source that is not one of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a source; write self, manager, peer, test or sme")]
pub struct UnknownSource(pub String);

impl FromStr for Source {
    type Err = UnknownSource;

    fn from_str(s: &str) -> Result<Source, UnknownSource> {
        let t = s.trim();
        Source::ALL
            .into_iter()
            .find(|x| x.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownSource(t.to_string()))
    }
}

/// What a rater saw: a level of the framework's scale, or nothing to judge by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// A level of the scale.
    Level(u8),
    /// The rater had no occasion to see the competency (`NO` in files).
    NotObserved,
}

impl Rating {
    /// The level, when one was given.
    pub fn level(self) -> Option<u8> {
        match self {
            Rating::Level(l) => Some(l),
            Rating::NotObserved => None,
        }
    }
}

/// One rating of one person on one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRecord {
    /// The person rated (their id).
    pub person: String,
    /// The competency (framework id).
    pub competency: String,
    /// The level given, or not observed.
    pub rating: Rating,
    /// Who rated.
    pub source: Source,
    /// The rater's id or name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessor: Option<String>,
    /// When.
    #[serde(with = "ymd")]
    pub date: Date,
    /// What the rating rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// The framework release (version) the rating was made against, so that later edits of the
    /// framework never silently reinterpret it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_read_in_any_case_and_refuse_others() {
        assert_eq!("Manager".parse::<Source>(), Ok(Source::Manager));
        assert_eq!(" self ".parse::<Source>(), Ok(Source::SelfRating));
        assert!("boss".parse::<Source>().is_err());
        assert_eq!(Source::SelfRating.to_string(), "self");
    }
}

/// Dates written `YYYY-MM-DD` in serialised records and reports.
pub mod ymd {
    use framewright_model::framework::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
        time::macros::format_description!("[year]-[month]-[day]");

    /// The date as text.
    pub fn text(date: Date) -> String {
        date.format(FORMAT).unwrap_or_else(|_| date.to_string())
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        Date::parse(text.trim(), FORMAT).ok()
    }

    /// Serialises a date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&text(*date))
    }

    /// Reads a date written `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let t = String::deserialize(deserializer)?;
        parse(&t).ok_or_else(|| {
            serde::de::Error::custom(format!("`{t}` is not a date; write it as YYYY-MM-DD"))
        })
    }

    /// The same for optional dates.
    pub mod option {
        use super::*;

        /// Serialises an optional date.
        pub fn serialize<S: Serializer>(
            date: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => serializer.serialize_str(&text(*d)),
                None => serializer.serialize_none(),
            }
        }

        /// Reads an optional date.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            let t: Option<String> = Option::deserialize(deserializer)?;
            t.map(|t| {
                parse(&t).ok_or_else(|| {
                    serde::de::Error::custom(format!("`{t}` is not a date; write it as YYYY-MM-DD"))
                })
            })
            .transpose()
        }
    }
}
