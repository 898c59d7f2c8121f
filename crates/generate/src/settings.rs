//! The generator's settings as reviewable data: how many competencies to pick and which priors
//! to give OPM competencies (`data/generator/selection.toml`), and the grade → level mapping
//! with its importance weights (`data/generator/targets.toml`, replaceable with `--mapping`).

use std::collections::BTreeMap;

use framewright_model::Grade;
use serde::Deserialize;

use crate::error::DataError;
use crate::role_type::{RoleType, RoleTypes};

const SELECTION_FILE: &str = "data/generator/selection.toml";
const SELECTION: &str = include_str!("../../../data/generator/selection.toml");
const TARGETS_FILE: &str = "data/generator/targets.toml";
const TARGETS: &str = include_str!("../../../data/generator/targets.toml");

/// How many competencies to pick and the priors of OPM competencies.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionSettings {
    /// Counts.
    pub count: CountSettings,
    /// Priors for OPM grade applicability and importance ranks, by group.
    pub priors: GroupPriors,
    /// Semantic matching, when built with the `embeddings` feature.
    pub embeddings: EmbeddingSettings,
    /// Evidence from O*NET importance ratings, when they are installed.
    #[serde(default)]
    pub onet: OnetSettings,
    /// Executives and supervisors: title words, leadership competencies, counts.
    pub role_types: RoleTypes,
    /// How many competencies the interview guide covers.
    #[serde(default)]
    pub interview: InterviewSettings,
}

/// How O*NET occupations and their importance ratings count (see `[onet]` in
/// `data/generator/selection.toml`). Untuned: no development data with ratings exists.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnetSettings {
    /// Weight of the O*NET evidence (0 … 1) added to an OPM competency's score (≥ 0).
    pub weight: f64,
    /// How many of the closest occupations are consulted (1 … 20).
    pub neighbours: usize,
    /// Importance (1 … 5) at and below which a rating adds nothing: O*NET's "important" is 3.
    pub baseline: f64,
    /// How much a rating counts by the crosswalk's relation of descriptor and competency.
    pub relation: RelationWeights,
}

/// A factor (0 … 1) per crosswalk relation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationWeights {
    /// The same thing.
    pub exact: f64,
    /// Nearly the same.
    pub close: f64,
    /// The descriptor is one part of the competency.
    pub narrower: f64,
    /// The descriptor covers the competency and more.
    pub broader: f64,
    /// An overlap only.
    pub related: f64,
}

impl Default for OnetSettings {
    /// O*NET evidence off (weight 0) for settings files written before it existed.
    fn default() -> Self {
        OnetSettings {
            weight: 0.0,
            neighbours: 3,
            baseline: 3.0,
            relation: RelationWeights {
                exact: 1.0,
                close: 0.8,
                narrower: 0.5,
                broader: 0.5,
                related: 0.0,
            },
        }
    }
}

/// How many competencies the structured interview asks about: all of a framework up to `min`,
/// else about two thirds of them, at least `min` and at most `max`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterviewSettings {
    /// At least this many (when the framework has them), 1 … 12.
    pub min: usize,
    /// At most this many, `min` … 12.
    pub max: usize,
}

impl Default for InterviewSettings {
    fn default() -> Self {
        InterviewSettings { min: 6, max: 8 }
    }
}

/// How much semantic similarity counts (feature `embeddings`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingSettings {
    /// Weight of the cosine similarity of role and competency embeddings (≥ 0).
    pub weight: f64,
    /// Catalogue search: the least similarity of meaning for a competency that shares no word
    /// with the search to be shown (0 … 1).
    pub search_min_similarity: f64,
}

/// Priors for core (general) and functional competencies.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPriors {
    /// For core (general) competencies.
    pub core: PriorSettings,
    /// For functional competencies.
    pub functional: PriorSettings,
}

impl GroupPriors {
    /// The priors for a core (`true`) or functional competency.
    pub fn for_group(&self, core: bool) -> &PriorSettings {
        if core { &self.core } else { &self.functional }
    }
}

/// How many competencies to pick when the role does not say.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountSettings {
    /// Core (general) competencies without a target count (3 … 5).
    pub default_core: usize,
    /// Most functional competencies without a target count (3 … 7).
    pub default_functional_max: usize,
    /// Share of the best functional score from which a functional competency has clear
    /// evidence (0 … 1).
    pub evidence_share: f64,
    /// Added to a candidate's score for each of the role's tasks that it covers and no
    /// competency chosen before it covers (≥ 0; 0 picks strictly by score).
    #[serde(default)]
    pub task_coverage_bonus: f64,
    /// The same bonus for core (general) competencies (≥ 0).
    #[serde(default)]
    pub core_task_coverage_bonus: f64,
    /// Added to the score of a functional competency that one of the role's tasks names (its
    /// name's words are the task's, see `naming.rs`) (≥ 0).
    #[serde(default)]
    pub task_naming_bonus: f64,
    /// The same for core (general) competencies (≥ 0).
    #[serde(default)]
    pub core_task_naming_bonus: f64,
}

/// Priors added to OPM competencies' scores.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorSettings {
    /// For a competency OPM confirmed (X) at the role's grade.
    pub confirmed_at_grade: f64,
    /// Full amount for importance rank 1, scaled down to nothing at rank 31.
    pub importance_rank: f64,
}

impl SelectionSettings {
    /// The built-in settings.
    pub fn builtin() -> Result<SelectionSettings, DataError> {
        SelectionSettings::from_toml(SELECTION, SELECTION_FILE)
    }

    /// Settings from TOML text in the form of `data/generator/selection.toml`; `file` names it
    /// in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<SelectionSettings, DataError> {
        let settings: SelectionSettings =
            toml::from_str(text).map_err(|e| DataError::from_toml(file, text, &e))?;
        settings.check(file)?;
        Ok(settings)
    }

    /// How many core competencies, and at most how many functional ones, a role of this
    /// type gets when it gives no target count.
    pub fn default_counts(&self, role_type: RoleType) -> (usize, usize) {
        match self.role_types.settings(role_type) {
            Some(t) => (t.default_core, t.default_functional_max),
            None => (self.count.default_core, self.count.default_functional_max),
        }
    }

    fn check(&self, file: &str) -> Result<(), DataError> {
        self.role_types
            .check(None)
            .map_err(|message| DataError::at(file, "role_types", message))?;
        let i = &self.interview;
        if !(1..=12).contains(&i.min) {
            return Err(DataError::at(file, "interview.min", "must be 1 … 12"));
        }
        if !(i.min..=12).contains(&i.max) {
            return Err(DataError::at(
                file,
                "interview.max",
                "must be interview.min … 12",
            ));
        }
        let c = &self.count;
        if !(3..=5).contains(&c.default_core) {
            return Err(DataError::at(file, "count.default_core", "must be 3 … 5"));
        }
        if !(3..=7).contains(&c.default_functional_max) {
            return Err(DataError::at(
                file,
                "count.default_functional_max",
                "must be 3 … 7",
            ));
        }
        if !(0.0..=1.0).contains(&c.evidence_share) {
            return Err(DataError::at(file, "count.evidence_share", "must be 0 … 1"));
        }
        if !(c.task_coverage_bonus.is_finite() && c.task_coverage_bonus >= 0.0) {
            return Err(DataError::at(
                file,
                "count.task_coverage_bonus",
                "must be 0 or more",
            ));
        }
        for (field, value) in [
            ("count.task_naming_bonus", c.task_naming_bonus),
            ("count.core_task_naming_bonus", c.core_task_naming_bonus),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(DataError::at(file, field, "must be 0 or more"));
            }
        }
        if !(c.core_task_coverage_bonus.is_finite() && c.core_task_coverage_bonus >= 0.0) {
            return Err(DataError::at(
                file,
                "count.core_task_coverage_bonus",
                "must be 0 or more",
            ));
        }
        for (field, value) in [
            (
                "priors.core.confirmed_at_grade",
                self.priors.core.confirmed_at_grade,
            ),
            (
                "priors.core.importance_rank",
                self.priors.core.importance_rank,
            ),
            (
                "priors.functional.confirmed_at_grade",
                self.priors.functional.confirmed_at_grade,
            ),
            (
                "priors.functional.importance_rank",
                self.priors.functional.importance_rank,
            ),
            ("embeddings.weight", self.embeddings.weight),
            ("onet.weight", self.onet.weight),
            (
                "embeddings.search_min_similarity",
                self.embeddings.search_min_similarity,
            ),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(DataError::at(file, field, "must be a number ≥ 0"));
            }
        }
        self.check_onet(file)
    }

    fn check_onet(&self, file: &str) -> Result<(), DataError> {
        let o = &self.onet;
        if !(1..=20).contains(&o.neighbours) {
            return Err(DataError::at(file, "onet.neighbours", "must be 1 … 20"));
        }
        if !(1.0..5.0).contains(&o.baseline) {
            return Err(DataError::at(
                file,
                "onet.baseline",
                "must be 1 or more and under 5",
            ));
        }
        let r = &o.relation;
        for (field, value) in [
            ("onet.relation.exact", r.exact),
            ("onet.relation.close", r.close),
            ("onet.relation.narrower", r.narrower),
            ("onet.relation.broader", r.broader),
            ("onet.relation.related", r.related),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(DataError::at(file, field, "must be 0 … 1"));
            }
        }
        Ok(())
    }
}

/// The required level of core and functional competencies at one grade or level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelPair {
    /// Required level of core (general) competencies.
    pub core: u8,
    /// Required level of functional competencies.
    pub functional: u8,
    /// Required level of the functional competencies central to the role (see
    /// [`Adjustments::central_share`]), where it is higher than `functional`: the grades of a
    /// band differ in the depth of the role's own technical work (GS-11 and GS-12 share
    /// Intermediate, but at GS-12 the role's central competencies are Advanced).
    #[serde(default)]
    pub central: Option<u8>,
}

impl LevelPair {
    /// The level for a core (`true`) or functional competency.
    pub fn for_group(self, core: bool) -> u8 {
        if core { self.core } else { self.functional }
    }
}

/// How the importance weight of a target is computed (see `data/generator/targets.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightSettings {
    /// Every competency's starting weight.
    pub base: f64,
    /// Times the competency's score relative to the best of its group.
    pub relevance: f64,
    /// Added when OPM confirmed it (X) at the role's grade.
    pub confirmed: f64,
    /// Times the importance-rank factor ((31 − rank) ÷ 30).
    pub rank: f64,
}

/// How the grade's levels are adjusted to the role (see `data/generator/targets.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustments {
    /// A functional competency is central to the role when its evidence is at least this share
    /// of the best in its group (0 … 1).
    pub central_share: f64,
    /// Highest functional level for an executive (1 … 5): executives direct technical work.
    pub executive_functional_max: u8,
    /// Highest functional level for a supervisor (1 … 5).
    pub supervisor_functional_max: u8,
}

impl Default for Adjustments {
    /// No adjustment: nothing is central, no cap.
    fn default() -> Self {
        Adjustments {
            central_share: 1.1,
            executive_functional_max: 5,
            supervisor_functional_max: 5,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    default_level: u8,
    grades: BTreeMap<String, LevelPair>,
    levels: BTreeMap<String, LevelPair>,
    weights: WeightSettings,
    #[serde(default)]
    adjustments: Adjustments,
}

/// The grade → level mapping: the required level per grade (or generic level) for core and
/// functional competencies, and the importance-weight formula.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetMapping {
    /// Where it came from (`data/generator/targets.toml` or the user's file), for notes.
    pub file: String,
    /// Generic level used when the role has neither grade nor level.
    pub default_level: u8,
    /// Required levels by grade (GS-1 … GS-15).
    pub grades: BTreeMap<Grade, LevelPair>,
    /// Required levels by generic role level (1 … 5).
    pub levels: BTreeMap<u8, LevelPair>,
    /// The weight formula.
    pub weights: WeightSettings,
    /// Central competencies and leaders' caps.
    pub adjustments: Adjustments,
}

impl TargetMapping {
    /// The built-in mapping.
    pub fn builtin() -> Result<TargetMapping, DataError> {
        TargetMapping::from_toml(TARGETS, TARGETS_FILE)
    }

    /// Whether this is Framewright's built-in mapping (its notes then say "Framewright's
    /// default mapping" rather than "your mapping").
    pub fn is_builtin(&self) -> bool {
        self.file == TARGETS_FILE
    }

    /// A mapping read from `text`; `file` names it in errors. Every grade GS-1 … GS-15 and
    /// every level 1 … 5 must be present.
    pub fn from_toml(text: &str, file: &str) -> Result<TargetMapping, DataError> {
        let raw: RawMapping =
            toml::from_str(text).map_err(|e| DataError::from_toml(file, text, &e))?;
        let locate = |field: &str, message: String| {
            let mut error = DataError::at(file, field, message);
            error.line = find_key_line(text, field.rsplit('.').next().unwrap_or(field));
            error
        };
        let check_pair = |field: String, pair: &LevelPair| -> Result<(), DataError> {
            for (name, level) in [
                ("core", pair.core),
                ("functional", pair.functional),
                ("central", pair.central.unwrap_or(pair.functional)),
            ] {
                if !(1..=5).contains(&level) {
                    return Err(locate(
                        &field,
                        format!("{name} level {level} is outside 1 … 5"),
                    ));
                }
            }
            Ok(())
        };
        let mut grades = BTreeMap::new();
        for (key, pair) in &raw.grades {
            let grade: Grade = key
                .parse()
                .map_err(|e: framewright_model::grade::GradeError| {
                    locate(&format!("grades.{key}"), e.to_string())
                })?;
            check_pair(format!("grades.{key}"), pair)?;
            grades.insert(grade, *pair);
        }
        for n in Grade::MIN..=Grade::MAX {
            if let Some(grade) = Grade::new(n)
                && !grades.contains_key(&grade)
            {
                return Err(DataError::at(
                    file,
                    "grades",
                    format!("grade {grade} is missing; every grade GS-1 … GS-15 needs an entry"),
                ));
            }
        }
        let mut levels = BTreeMap::new();
        for (key, pair) in &raw.levels {
            let level: u8 = key
                .trim()
                .parse()
                .ok()
                .filter(|l| (1..=5).contains(l))
                .ok_or_else(|| {
                    locate(
                        &format!("levels.{key}"),
                        format!("`{key}` is not a generic level; use \"1\" … \"5\""),
                    )
                })?;
            check_pair(format!("levels.{key}"), pair)?;
            levels.insert(level, *pair);
        }
        for level in 1..=5u8 {
            if !levels.contains_key(&level) {
                return Err(DataError::at(
                    file,
                    "levels",
                    format!("level \"{level}\" is missing; every level 1 … 5 needs an entry"),
                ));
            }
        }
        if !(1..=5).contains(&raw.default_level) {
            return Err(locate(
                "default_level",
                format!("{} is outside 1 … 5", raw.default_level),
            ));
        }
        let w = raw.weights;
        for (field, value) in [
            ("weights.base", w.base),
            ("weights.relevance", w.relevance),
            ("weights.confirmed", w.confirmed),
            ("weights.rank", w.rank),
        ] {
            if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
                return Err(locate(field, format!("{value} is outside 0 … 1")));
            }
        }
        let a = raw.adjustments;
        if !(a.central_share.is_finite() && a.central_share >= 0.0) {
            return Err(locate(
                "adjustments.central_share",
                format!("{} is not a number ≥ 0", a.central_share),
            ));
        }
        for (field, value) in [
            (
                "adjustments.executive_functional_max",
                a.executive_functional_max,
            ),
            (
                "adjustments.supervisor_functional_max",
                a.supervisor_functional_max,
            ),
        ] {
            if !(1..=5).contains(&value) {
                return Err(locate(field, format!("{value} is outside 1 … 5")));
            }
        }
        Ok(TargetMapping {
            file: file.to_string(),
            default_level: raw.default_level,
            grades,
            levels,
            weights: w,
            adjustments: a,
        })
    }

    /// The required levels for a role with `grade` or generic `level` (neither: the default
    /// level), with a phrase saying which entry of the mapping was used.
    pub fn lookup(&self, grade: Option<Grade>, level: Option<u8>) -> (LevelPair, String) {
        if let Some(grade) = grade
            && let Some(pair) = self.grades.get(&grade)
        {
            return (*pair, grade.to_string());
        }
        let level = level.unwrap_or(self.default_level);
        let fallback = LevelPair {
            core: level.clamp(1, 5),
            functional: level.clamp(1, 5),
            central: None,
        };
        let pair = self.levels.get(&level).copied().unwrap_or(fallback);
        let what = if grade.is_none() && level == self.default_level {
            format!("generic level {level} (the default: the role has no grade or level)")
        } else {
            format!("generic level {level}")
        };
        (pair, what)
    }
}

/// The 1-based line of the first `key = …` (or `"key" = …`) in `text`.
fn find_key_line(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    text.lines()
        .position(|line| {
            line.split_once('=').is_some_and(|(before, _)| {
                let before = before.trim();
                before == key || before == quoted
            })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_settings_and_mapping_load() {
        let s = SelectionSettings::builtin().unwrap();
        assert_eq!(s.count.default_core, 4);
        let m = TargetMapping::builtin().unwrap();
        let (pair, what) = m.lookup(Grade::new(13), None);
        assert_eq!(
            pair,
            LevelPair {
                core: 3,
                functional: 4,
                central: None
            }
        );
        assert_eq!(what, "GS-13");
        let (pair, what) = m.lookup(None, None);
        assert_eq!(
            pair,
            LevelPair {
                core: 3,
                functional: 3,
                central: None
            }
        );
        assert!(what.contains("default"));
        let (pair, _) = m.lookup(None, Some(5));
        assert_eq!(pair.functional, 5);
    }

    #[test]
    fn a_wrong_mapping_names_the_file_line_and_field() {
        let text = TARGETS.replace(
            "\"GS-13\" = { core = 3, functional = 4 }",
            "\"GS-13\" = { core = 3, functional = 9 }",
        );
        let error = TargetMapping::from_toml(&text, "mine.toml").unwrap_err();
        assert_eq!(error.file, "mine.toml");
        assert_eq!(error.field.as_deref(), Some("grades.GS-13"));
        let line = error.line.unwrap();
        assert!(text.lines().nth(line - 1).unwrap().contains("GS-13"));
        assert!(
            error
                .to_string()
                .contains("functional level 9 is outside 1 … 5")
        );

        let text = TARGETS.replace("\"GS-7\" = { core = 2, functional = 2 }\n", "");
        let error = TargetMapping::from_toml(&text, "mine.toml").unwrap_err();
        assert!(error.message.contains("GS-7 is missing"), "{error}");

        let error = TargetMapping::from_toml("default_level = \"x\"", "mine.toml").unwrap_err();
        assert_eq!(error.line, Some(1));
    }
}
