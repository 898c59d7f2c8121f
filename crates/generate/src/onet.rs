//! Evidence from O*NET: the O*NET occupations closest to the role, and — when the user has
//! installed O*NET's importance ratings — what those occupations' ratings say about each OPM
//! competency through the OPM ↔ O*NET descriptor crosswalk.
//!
//! The occupations are ranked for the role by the search crate's BM25F engine, the one that
//! ranks competencies: occupation titles are the name field, descriptions and tasks the
//! definition; the engine's catalogue-wide extras (generality prior, query expansion from the
//! top results, domain terms) are off, because they suit skills, not occupations. Similarity is
//! the score relative to the best occupation (1 for the closest). Why not the reference-role
//! cosine the engine uses for reference roles: on six hand-checked roles it ranked "Physical
//! Scientists, All Other" first for "Data Scientist" (the short "All Other" descriptions win a
//! cosine), where BM25F's length normalisation puts Data Scientists first. For every OPM
//! competency, each of the closest rated occupations offers its best crosswalk descriptor:
//! `relation factor × (importance − baseline) ÷ (5 − baseline)`, nothing at or below the
//! baseline; the values are averaged weighted by similarity. The rating cited to the designer is
//! the one of the closest occupation that offered any ("O*NET rates Critical Thinking 4.1 of 5
//! for …"). Pure: the occupations, the crosswalk and the ratings are parsed by the caller.

use std::collections::BTreeMap;

pub use framewright_catalog::onet::OnetRatings;
use framewright_catalog::onet::{Crosswalk, Mapping, Occupation, Relation};
use framewright_model::Role;
use framewright_search::{Document, Index, Query, RankingConfig, SuggestOptions};

use crate::rank::RankError;
use crate::settings::OnetSettings;

/// The O*NET occupations prepared for comparison with roles, the crosswalk, and the ratings
/// when installed. Build once; it is immutable after.
pub struct OnetReference {
    index: Index,
    config: RankingConfig,
    crosswalk: Crosswalk,
    ratings: Option<OnetRatings>,
}

impl std::fmt::Debug for OnetReference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnetReference")
            .field("occupations", &self.index.len())
            .field("rated", &self.ratings.as_ref().map(|r| r.occupations.len()))
            .finish_non_exhaustive()
    }
}

/// One of the O*NET occupations closest to the role.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosestOccupation {
    /// Reference-role id (`onet:15-1221.00`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Similarity to the role relative to the closest occupation's (1 for the closest).
    pub similarity: f64,
    /// Whether installed ratings cover it.
    pub rated: bool,
}

/// What O*NET's ratings say about one competency.
#[derive(Debug, Clone, PartialEq)]
pub struct OnetEvidence {
    /// The occupation whose rating is cited (the closest one that offered any).
    pub occupation_id: String,
    /// Its title.
    pub occupation_title: String,
    /// Its place among the closest occupations (1 = the closest).
    pub occupation_rank: usize,
    /// The cited descriptor's element id.
    pub element_id: String,
    /// The cited descriptor's name.
    pub element_name: String,
    /// The crosswalk's relation of descriptor and competency.
    pub relation: Relation,
    /// The cited importance, 1 … 5.
    pub importance: f64,
    /// The similarity-weighted value over the closest rated occupations, 0 … 1.
    pub value: f64,
    /// What was added to the competency's score (weight × value).
    pub added: f64,
}

/// The O*NET findings for one role.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OnetFindings {
    /// The catalogue the crosswalk maps from (`opm-ai-2024`).
    pub catalogue: String,
    /// Whether ratings were installed.
    pub ratings_installed: bool,
    /// The ratings' release, when known.
    pub release: Option<String>,
    /// The closest occupations, best first.
    pub closest: Vec<ClosestOccupation>,
    /// Evidence by competency id (competencies with a value above zero only).
    pub competencies: BTreeMap<String, OnetEvidence>,
}

impl OnetFindings {
    /// The evidence on a competency of a catalogue, if any.
    pub fn for_competency(&self, catalogue: &str, id: &str) -> Option<&OnetEvidence> {
        if catalogue != self.catalogue {
            return None;
        }
        self.competencies.get(id)
    }
}

impl OnetReference {
    /// Prepares `occupations` (ids `onet:<code>`) with the crosswalk and the ratings, if any;
    /// words are analysed with the search engine's built-in synonyms.
    pub fn new(
        occupations: &[Occupation],
        crosswalk: Crosswalk,
        ratings: Option<OnetRatings>,
    ) -> Result<OnetReference, RankError> {
        let synonyms =
            framewright_search::Synonyms::builtin().map_err(|e| RankError(e.to_string()))?;
        let text = |o: &Occupation| {
            let mut t = o.description.clone();
            for task in &o.tasks {
                t.push(' ');
                t.push_str(task);
            }
            t
        };
        let documents: Vec<Document> = occupations
            .iter()
            .map(|o| Document {
                id: o.reference_id(),
                name: o.title.clone(),
                definition: text(o),
                ..Document::default()
            })
            .collect();
        let index = Index::build(documents, synonyms).map_err(|e| RankError(e.to_string()))?;
        let config = RankingConfig {
            generality_weight: 0.0,
            feedback_weight: 0.0,
            domain_weight: 0.0,
            ..RankingConfig::default()
        };
        Ok(OnetReference {
            index,
            config,
            crosswalk,
            ratings,
        })
    }

    /// Replaces the ratings (after an install).
    pub fn set_ratings(&mut self, ratings: Option<OnetRatings>) {
        self.ratings = ratings;
    }

    /// Whether ratings are installed.
    pub fn has_ratings(&self) -> bool {
        self.ratings.is_some()
    }

    /// Whether an occupation with this reference-role id (`onet:15-1221.00`) exists.
    pub fn contains(&self, id: &str) -> bool {
        self.index.position(id).is_some()
    }

    /// The reference-role ids of all occupations.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.index.documents().iter().map(|d| d.id.as_str())
    }

    /// The closest occupations to `role` (leaving out the ids in `exclude`) and, with ratings,
    /// the evidence on each mapped competency.
    pub fn evidence(
        &self,
        role: &Role,
        exclude: &[String],
        settings: &OnetSettings,
    ) -> OnetFindings {
        let query = Query {
            title: role.title.clone(),
            description: role.description.clone().unwrap_or_default(),
            tasks: role.tasks.clone(),
        };
        let ratings = self.ratings.as_ref();
        let rating_table = |id: &str| {
            let code = id.strip_prefix(framewright_catalog::onet::ID_PREFIX)?;
            ratings?.occupations.get(code)
        };
        let options = SuggestOptions {
            top: settings.neighbours.saturating_add(exclude.len()),
            reference_roles: None,
            priors: None,
        };
        // An empty query is refused by the engine: then no occupation is close.
        let found = self
            .index
            .suggest(&query, &options, &self.config)
            .unwrap_or_default();
        let best = found.first().map_or(0.0, |s| s.score);
        let closest: Vec<ClosestOccupation> = found
            .into_iter()
            .filter(|s| s.score > 0.0 && !exclude.contains(&s.id))
            .take(settings.neighbours)
            .filter_map(|s| {
                let position = self.index.position(&s.id)?;
                Some(ClosestOccupation {
                    rated: rating_table(&s.id).is_some(),
                    title: self.index.documents()[position].name.clone(),
                    similarity: s.score / best,
                    id: s.id,
                })
            })
            .collect();
        let mut findings = OnetFindings {
            catalogue: self.crosswalk.crosswalk.from.clone(),
            ratings_installed: ratings.is_some(),
            release: ratings.and_then(|r| r.release.clone()),
            closest,
            competencies: BTreeMap::new(),
        };
        let rated: Vec<(usize, &ClosestOccupation, &BTreeMap<String, f64>)> = findings
            .closest
            .iter()
            .enumerate()
            .filter_map(|(i, c)| rating_table(&c.id).map(|t| (i + 1, c, t)))
            .collect();
        let total: f64 = rated.iter().map(|(_, c, _)| c.similarity).sum();
        if total <= 0.0 {
            return findings;
        }
        let ids: std::collections::BTreeSet<&str> = self
            .crosswalk
            .mappings
            .iter()
            .map(|m| m.opm.as_str())
            .collect();
        for id in ids {
            let mut weighted = 0.0;
            let mut cited: Option<OnetEvidence> = None;
            for (rank, occupation, table) in &rated {
                let Some((value, mapping, importance)) = self.best(id, table, settings) else {
                    continue;
                };
                weighted += occupation.similarity * value;
                if cited.is_none() && value > 0.0 {
                    cited = Some(OnetEvidence {
                        occupation_id: occupation.id.clone(),
                        occupation_title: occupation.title.clone(),
                        occupation_rank: *rank,
                        element_id: mapping.element.clone(),
                        element_name: mapping.name.clone(),
                        relation: mapping.relation,
                        importance,
                        value: 0.0,
                        added: 0.0,
                    });
                }
            }
            if let Some(mut evidence) = cited {
                evidence.value = weighted / total;
                evidence.added = settings.weight * evidence.value;
                findings.competencies.insert(id.to_string(), evidence);
            }
        }
        findings
    }

    /// The competency's best descriptor in one occupation's ratings: (value, mapping,
    /// importance), the first in file order among equals.
    fn best<'a>(
        &'a self,
        competency: &'a str,
        table: &BTreeMap<String, f64>,
        settings: &OnetSettings,
    ) -> Option<(f64, &'a Mapping, f64)> {
        let mut best: Option<(f64, &Mapping, f64)> = None;
        for mapping in self.crosswalk.for_competency(competency) {
            let Some(&importance) = table.get(&mapping.element) else {
                continue;
            };
            let value = factor(mapping.relation, settings)
                * ((importance - settings.baseline) / (5.0 - settings.baseline)).clamp(0.0, 1.0);
            if best.is_none_or(|(v, _, _)| value > v) {
                best = Some((value, mapping, importance));
            }
        }
        best
    }
}

fn factor(relation: Relation, settings: &OnetSettings) -> f64 {
    let r = &settings.relation;
    match relation {
        Relation::Exact => r.exact,
        Relation::Close => r.close,
        Relation::Narrower => r.narrower,
        Relation::Broader => r.broader,
        Relation::Related => r.related,
    }
}

/// The sentence a designer reads: "O*NET rates Critical Thinking 4.1 of 5 for Computer and
/// Information Research Scientists, the closest occupation."
pub(crate) fn sentence(e: &OnetEvidence) -> String {
    let which = match e.occupation_rank {
        1 => "the closest occupation".to_string(),
        2 => "the second closest occupation".to_string(),
        3 => "the third closest occupation".to_string(),
        n => format!("occupation {n} by closeness"),
    };
    format!(
        "O*NET rates {} {:.1} of 5 for {}, {which}.",
        e.element_name, e.importance, e.occupation_title
    )
}

/// The provenance line: the closest occupations and whether their ratings counted.
pub(crate) fn provenance_line(findings: &OnetFindings) -> Option<String> {
    let first = findings.closest.first()?;
    let code = |id: &str| {
        id.strip_prefix(framewright_catalog::onet::ID_PREFIX)
            .unwrap_or(id)
            .to_string()
    };
    let others: Vec<String> = findings
        .closest
        .iter()
        .skip(1)
        .map(|c| format!("{} ({})", c.title, code(&c.id)))
        .collect();
    let mut line = format!(
        "Closest O*NET occupation: {} ({})",
        first.title,
        code(&first.id)
    );
    if !others.is_empty() {
        line.push_str(&format!("; then {}", others.join(", ")));
    }
    if findings.ratings_installed {
        line.push_str(&format!(
            ". Their O*NET importance ratings{} add evidence to {} competencies through the OPM–O*NET crosswalk.",
            findings
                .release
                .as_ref()
                .map_or(String::new(), |r| format!(" (release {r})")),
            findings.competencies.len()
        ));
    } else {
        line.push_str(". O*NET importance ratings are not installed, so the occupations add no evidence to any competency.");
    }
    Some(line)
}

/// The source entry of the O*NET data, with its attribution, when any occupation was consulted.
pub(crate) fn source(findings: &OnetFindings) -> Option<framewright_model::SourceRef> {
    if findings.closest.is_empty() {
        return None;
    }
    let ratings = if findings.ratings_installed {
        format!(
            " Importance ratings: the O*NET {}Database as installed by the user, under the same licence.",
            findings
                .release
                .as_ref()
                .map_or(String::new(), |r| format!("{r} "))
        )
    } else {
        String::new()
    };
    Some(framewright_model::SourceRef {
        catalogue: format!("onet-{}", framewright_catalog::onet::RELEASE),
        name: format!(
            "O*NET {} Database: occupations (titles, descriptions, tasks)",
            framewright_catalog::onet::RELEASE
        ),
        licence: Some(framewright_catalog::onet::LICENCE.to_string()),
        attribution: Some(format!(
            "{}{ratings}",
            framewright_catalog::onet::ATTRIBUTION
        )),
        url: Some("https://www.onetcenter.org/database.html".to_string()),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn occupation(code: &str, title: &str, description: &str, tasks: &[&str]) -> Occupation {
        Occupation {
            code: code.into(),
            title: title.into(),
            description: description.into(),
            tasks: tasks.iter().map(|t| t.to_string()).collect(),
        }
    }

    /// Three occupations and made-up ratings for two of them (the test's own numbers, not
    /// O*NET's).
    pub(crate) fn reference(with_ratings: bool) -> OnetReference {
        let occupations = vec![
            occupation(
                "15-2051.00",
                "Data Scientists",
                "Develop and implement a set of techniques or analytics applications to transform raw data into meaningful information using data-oriented programming languages and visualization software.",
                &[
                    "Apply machine learning models to large data sets.",
                    "Write scripts to analyze data.",
                ],
            ),
            occupation(
                "15-2041.00",
                "Statisticians",
                "Develop or apply mathematical or statistical theory and methods to collect, organize, interpret, and summarize numerical data.",
                &["Analyze data using statistical software."],
            ),
            occupation(
                "35-1011.00",
                "Chefs and Head Cooks",
                "Direct and participate in the preparation, seasoning, and cooking of food.",
                &["Plan menus and cook food."],
            ),
        ];
        let ratings = with_ratings.then(|| {
            let mut r = OnetRatings {
                release: Some("test".into()),
                ..OnetRatings::default()
            };
            let table = |pairs: &[(&str, f64)]| {
                pairs
                    .iter()
                    .map(|(e, v)| (e.to_string(), *v))
                    .collect::<BTreeMap<String, f64>>()
            };
            r.occupations.insert(
                "15-2051.00".into(),
                table(&[("2.A.2.a", 4.1), ("2.C.4.a", 4.5), ("1.C.5.b", 2.5)]),
            );
            r.occupations.insert(
                "15-2041.00".into(),
                table(&[("2.A.2.a", 3.5), ("2.C.4.a", 5.0), ("1.C.5.b", 4.0)]),
            );
            r
        });
        let crosswalk = framewright_catalog::onet::opm_onet_crosswalk().unwrap();
        OnetReference::new(&occupations, crosswalk, ratings).unwrap()
    }

    fn data_scientist() -> Role {
        Role {
            title: "Data Scientist".into(),
            description: Some("Builds statistical and machine learning models from data.".into()),
            ..Role::default()
        }
    }

    #[test]
    fn the_closest_occupation_is_found_by_its_words() {
        let settings = crate::SelectionSettings::builtin().unwrap().onet;
        let found = reference(false).evidence(&data_scientist(), &[], &settings);
        assert_eq!(found.closest[0].id, "onet:15-2051.00");
        assert_eq!(found.closest[0].similarity, 1.0);
        assert!(found.closest.iter().all(|c| c.similarity <= 1.0));
        assert!(!found.closest.iter().any(|c| c.id == "onet:35-1011.00"));
        assert!(!found.ratings_installed);
        assert!(found.competencies.is_empty());
        let line = provenance_line(&found).unwrap();
        assert!(line.starts_with("Closest O*NET occupation: Data Scientists (15-2051.00)"));
        assert!(line.contains("not installed"));
    }

    #[test]
    fn ratings_become_evidence_through_the_crosswalk() {
        let settings = crate::SelectionSettings::builtin().unwrap().onet;
        let found = reference(true).evidence(&data_scientist(), &[], &settings);
        // Critical Thinking is `close` to Reasoning: cited from the closest occupation.
        let reasoning = &found.competencies["reasoning"];
        assert_eq!(reasoning.element_name, "Critical Thinking");
        assert_eq!(reasoning.occupation_rank, 1);
        assert_eq!(
            sentence(reasoning),
            "O*NET rates Critical Thinking 4.1 of 5 for Data Scientists, the closest occupation."
        );
        // The value is the similarity-weighted mean over both rated occupations.
        let (a, b) = (found.closest[0].similarity, found.closest[1].similarity);
        let expected = (a * 0.8 * (4.1 - 3.0) / 2.0 + b * 0.8 * (3.5 - 3.0) / 2.0) / (a + b);
        assert!((reasoning.value - expected).abs() < 1e-12);
        assert!((reasoning.added - settings.weight * expected).abs() < 1e-12);
        // Attention to Detail: 2.5 for the closest (below the baseline, nothing), 4.0 for the
        // second: cited from the second.
        let detail = &found.competencies["attention-to-detail"];
        assert_eq!(detail.occupation_rank, 2);
        assert!(sentence(detail).ends_with("Statisticians, the second closest occupation."));
        // Nothing rated for Teamwork.
        assert!(!found.competencies.contains_key("teamwork"));
    }

    #[test]
    fn an_excluded_occupation_is_not_consulted() {
        let settings = crate::SelectionSettings::builtin().unwrap().onet;
        let exclude = vec!["onet:15-2051.00".to_string()];
        let found = reference(true).evidence(&data_scientist(), &exclude, &settings);
        assert!(found.closest.iter().all(|c| c.id != "onet:15-2051.00"));
        assert_eq!(found.closest[0].id, "onet:15-2041.00");
        let reasoning = &found.competencies["reasoning"];
        assert_eq!(reasoning.occupation_title, "Statisticians");
        assert!((reasoning.importance - 3.5).abs() < 1e-12);
    }
}
