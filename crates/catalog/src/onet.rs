//! The built-in O*NET reference data and the OPM ↔ O*NET descriptor crosswalk.
//!
//! - [`occupations`]: the 1,016 occupations of the O*NET 29.2 database (code, title,
//!   description, task statements), from `data/onet/occupations.tsv`, written by
//!   `scripts/onet/build_reference.py` from two PyPI packages. No importance ratings: users
//!   install those from the official database files (`framewright onet install`).
//! - [`elements`]: the content-model descriptors the crosswalk may name (skills, abilities,
//!   knowledge, work styles), from `data/onet/elements.tsv`.
//! - [`opm_onet_crosswalk`]: which O*NET descriptors measure the same thing as each OPM
//!   competency, with the relation and a reason (`data/crosswalks/opm-onet.toml`).
//!
//! Pure: the data is compiled into the binary and parsed from strings.

use serde::Deserialize;

use crate::BuiltInDataError;

/// `data/onet/occupations.tsv`.
pub const OCCUPATIONS_TSV: &str = include_str!("../../../data/onet/occupations.tsv");
/// `data/onet/elements.tsv`.
pub const ELEMENTS_TSV: &str = include_str!("../../../data/onet/elements.tsv");
/// `data/crosswalks/opm-onet.toml`.
pub const CROSSWALK_TOML: &str = include_str!("../../../data/crosswalks/opm-onet.toml");

/// The O*NET release of the built-in occupations.
pub const RELEASE: &str = "29.2";

/// The prefix of reference-role ids of built-in O*NET occupations (`onet:15-1221.00`).
pub const ID_PREFIX: &str = "onet:";

/// The licence of the O*NET content.
pub const LICENCE: &str = "Creative Commons Attribution 4.0 International (CC BY 4.0)";

/// The attribution that every use of the built-in O*NET data carries.
pub const ATTRIBUTION: &str = "This product includes information from the O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. The Framewright authors have modified all or some of this information. USDOL/ETA has not approved, endorsed, or tested these modifications.";

/// One O*NET occupation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occupation {
    /// O*NET-SOC code (`15-1221.00`).
    pub code: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Task statements (none for 93 occupations O*NET gives no tasks for).
    pub tasks: Vec<String>,
}

impl Occupation {
    /// The id under which the occupation is a reference role (`onet:15-1221.00`).
    pub fn reference_id(&self) -> String {
        format!("{ID_PREFIX}{}", self.code)
    }
}

/// Importance ratings (O*NET scale `IM`, 1–5) of O*NET descriptors per occupation, as the
/// user installed them from the official database files; suppressed ratings are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OnetRatings {
    /// The O*NET release the ratings come from, when known (`29.2`).
    pub release: Option<String>,
    /// O*NET-SOC code → element id → importance.
    pub occupations: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>,
}

/// One O*NET content-model descriptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Element id (`2.A.2.a`).
    pub id: String,
    /// Name (`Critical Thinking`).
    pub name: String,
    /// `skill`, `ability`, `knowledge` or `work style`.
    pub domain: String,
}

/// How an O*NET descriptor relates to an OPM competency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The same thing in other words.
    Exact,
    /// Nearly the same.
    Close,
    /// The descriptor is one part of the competency.
    Narrower,
    /// The descriptor covers the competency and more.
    Broader,
    /// An overlap, not a measure of the competency.
    Related,
}

impl Relation {
    /// The word used in the data file.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Close => "close",
            Relation::Narrower => "narrower",
            Relation::Broader => "broader",
            Relation::Related => "related",
        }
    }
}

/// One mapping of the crosswalk.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// OPM competency id.
    pub opm: String,
    /// O*NET element id.
    pub element: String,
    /// O*NET element name.
    pub name: String,
    /// How the descriptor relates to the competency.
    pub relation: Relation,
    /// Why, in one line.
    pub reason: String,
}

/// An OPM competency without an O*NET counterpart.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unmapped {
    /// OPM competency id.
    pub opm: String,
    /// Why nothing maps.
    pub reason: String,
}

/// What the crosswalk is between.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkHeader {
    /// The catalogue of the source items (`opm-ai-2024`).
    pub from: String,
    /// The target (`onet-29.2`).
    pub to: String,
    /// When it was written.
    pub made: String,
}

/// The OPM ↔ O*NET descriptor crosswalk.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// What it is between.
    pub crosswalk: CrosswalkHeader,
    /// The mappings, in file order.
    #[serde(default, rename = "mapping")]
    pub mappings: Vec<Mapping>,
    /// OPM competencies with no counterpart.
    #[serde(default)]
    pub unmapped: Vec<Unmapped>,
}

impl Crosswalk {
    /// Parses a crosswalk file.
    pub fn from_toml(text: &str) -> Result<Crosswalk, toml::de::Error> {
        toml::from_str(text)
    }

    /// The mappings of one OPM competency.
    pub fn for_competency<'a>(&'a self, opm: &'a str) -> impl Iterator<Item = &'a Mapping> + 'a {
        self.mappings.iter().filter(move |m| m.opm == opm)
    }
}

/// The built-in crosswalk.
pub fn opm_onet_crosswalk() -> Result<Crosswalk, BuiltInDataError> {
    Crosswalk::from_toml(CROSSWALK_TOML).map_err(|source| BuiltInDataError::Toml {
        file: "data/crosswalks/opm-onet.toml",
        source,
    })
}

/// The data rows of a built-in TSV file (comment lines and the header skipped), each split
/// into exactly `columns` cells.
fn rows(
    text: &'static str,
    file: &'static str,
    columns: usize,
) -> Result<Vec<Vec<&'static str>>, BuiltInDataError> {
    let mut out = Vec::new();
    let mut header = true;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if std::mem::take(&mut header) {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != columns {
            return Err(BuiltInDataError::Inconsistent {
                file,
                message: format!("line {}: {} columns, not {columns}", n + 1, cells.len()),
            });
        }
        out.push(cells);
    }
    Ok(out)
}

/// The built-in O*NET occupations, in code order.
pub fn occupations() -> Result<Vec<Occupation>, BuiltInDataError> {
    let rows = rows(OCCUPATIONS_TSV, "data/onet/occupations.tsv", 4)?;
    Ok(rows
        .into_iter()
        .map(|cells| Occupation {
            code: cells[0].to_string(),
            title: cells[1].to_string(),
            description: cells[2].to_string(),
            tasks: if cells[3].is_empty() {
                Vec::new()
            } else {
                cells[3].split(" | ").map(str::to_string).collect()
            },
        })
        .collect())
}

/// The O*NET descriptors the crosswalk may name, in content-model order.
pub fn elements() -> Result<Vec<Element>, BuiltInDataError> {
    let rows = rows(ELEMENTS_TSV, "data/onet/elements.tsv", 3)?;
    Ok(rows
        .into_iter()
        .map(|cells| Element {
            id: cells[0].to_string(),
            name: cells[1].to_string(),
            domain: cells[2].to_string(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    #[test]
    fn every_mapping_names_a_real_element_and_opm_competency() {
        let elements: BTreeMap<String, Element> = elements()
            .unwrap()
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
        let opm = crate::opm_ai_2024().unwrap().catalogue;
        let crosswalk = opm_onet_crosswalk().unwrap();
        assert_eq!(crosswalk.crosswalk.from, opm.id);
        let is_opm_id = |id: &str| opm.competencies.iter().any(|c| c.id == id);
        for m in &crosswalk.mappings {
            let element = elements
                .get(&m.element)
                .unwrap_or_else(|| panic!("{}: no O*NET element {}", m.opm, m.element));
            assert_eq!(element.name, m.name, "{}: name of {}", m.opm, m.element);
            assert!(is_opm_id(&m.opm), "no OPM competency {}", m.opm);
            assert!(
                !m.reason.trim().is_empty(),
                "{} → {}: no reason",
                m.opm,
                m.name
            );
        }
        let mapped: BTreeSet<&str> = crosswalk.mappings.iter().map(|m| m.opm.as_str()).collect();
        for u in &crosswalk.unmapped {
            assert!(is_opm_id(&u.opm), "no OPM competency {}", u.opm);
            assert!(
                !mapped.contains(u.opm.as_str()),
                "{} is mapped and unmapped",
                u.opm
            );
        }
        for c in &opm.competencies {
            let listed =
                mapped.contains(c.id.as_str()) || crosswalk.unmapped.iter().any(|u| u.opm == c.id);
            assert!(listed, "OPM competency {} is not in the crosswalk", c.id);
        }
        let mut pairs = BTreeSet::new();
        for m in &crosswalk.mappings {
            assert!(
                pairs.insert((&m.opm, &m.element)),
                "{} → {} twice",
                m.opm,
                m.element
            );
        }
    }

    #[test]
    fn the_elements_are_the_descriptor_domains_of_the_content_model() {
        let elements = elements().unwrap();
        let count = |d: &str| elements.iter().filter(|e| e.domain == d).count();
        // element_name_dict.json lists 50 of the 52 abilities (not Speech Recognition and
        // Speech Clarity).
        assert_eq!(
            (
                count("skill"),
                count("ability"),
                count("knowledge"),
                count("work style")
            ),
            (35, 50, 33, 16)
        );
        let prefixes = [("skill", "2.A"), ("skill", "2.B"), ("ability", "1.A")];
        for e in &elements {
            let ok = match e.domain.as_str() {
                "knowledge" => e.id.starts_with("2.C."),
                "work style" => e.id.starts_with("1.C."),
                d => prefixes
                    .iter()
                    .any(|(pd, p)| *pd == d && e.id.starts_with(p)),
            };
            assert!(ok, "{} {} is not under its domain", e.id, e.name);
        }
    }

    #[test]
    fn the_occupations_have_codes_titles_and_tasks() {
        let occupations = occupations().unwrap();
        assert_eq!(occupations.len(), 1016);
        assert_eq!(
            occupations.iter().filter(|o| !o.tasks.is_empty()).count(),
            923
        );
        let scientists = occupations.iter().find(|o| o.code == "15-1221.00").unwrap();
        assert_eq!(
            scientists.title,
            "Computer and Information Research Scientists"
        );
        assert_eq!(scientists.reference_id(), "onet:15-1221.00");
        let codes: BTreeSet<&str> = occupations.iter().map(|o| o.code.as_str()).collect();
        assert_eq!(codes.len(), occupations.len());
    }
}
