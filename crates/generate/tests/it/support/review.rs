//! The generator's review set (`data/generator/review-roles.toml`): realistic federal AI roles
//! with the OPM competencies a designer would require ("must include") and reject ("must not
//! include"). Shared by `tests/it/review.rs` (the regression test) and `examples/review.rs` (the
//! per-role report).

use std::fmt::Write as _;

use framewright_generate::{
    ContentLibrary, Inputs, Options, RankRequest, Ranker, SelectionSettings, TargetMapping,
    Templates, generate,
};
use framewright_model::Role;
use serde::Deserialize;

/// The review set as shipped.
pub const REVIEW_ROLES: &str = include_str!("../../../../../data/generator/review-roles.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewSet {
    pub roles: Vec<ReviewRole>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRole {
    pub id: String,
    /// Each entry is a competency id, or alternatives `a|b` of which one is enough.
    pub must_include: Vec<String>,
    pub must_not: Vec<String>,
    /// `competency=word`: the competency must not be chosen on that word of the role, which
    /// the role uses in another sense ("learning" of "machine learning" is not OPM's Learning).
    #[serde(default)]
    pub accidents: Vec<String>,
    #[allow(dead_code)]
    pub why: String,
    pub role: Role,
}

/// What the generator picked for one role, against the expectations.
#[derive(Debug)]
pub struct RoleResult {
    pub id: String,
    pub picked_core: Vec<String>,
    pub picked_functional: Vec<String>,
    pub hits: Vec<String>,
    pub misses: Vec<String>,
    pub violations: Vec<String>,
    /// Chosen competencies whose evidence cites a word the role uses in another sense.
    pub accidents: Vec<String>,
}

/// The whole set.
#[derive(Debug)]
pub struct Report {
    pub roles: Vec<RoleResult>,
}

impl Report {
    pub fn must_include(&self) -> usize {
        self.roles
            .iter()
            .map(|r| r.hits.len() + r.misses.len())
            .sum()
    }
    pub fn hits(&self) -> usize {
        self.roles.iter().map(|r| r.hits.len()).sum()
    }
    pub fn recall(&self) -> f64 {
        self.hits() as f64 / self.must_include().max(1) as f64
    }
    pub fn violations(&self) -> usize {
        self.roles.iter().map(|r| r.violations.len()).sum()
    }
    /// Word accidents among the chosen competencies' evidence.
    pub fn accidents(&self) -> usize {
        self.roles.iter().map(|r| r.accidents.len()).sum()
    }
    /// Roles with every must-include and no must-not.
    pub fn clean_roles(&self) -> usize {
        self.roles
            .iter()
            .filter(|r| r.misses.is_empty() && r.violations.is_empty() && r.accidents.is_empty())
            .count()
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for r in &self.roles {
            let _ = writeln!(
                out,
                "{:<24} must-include {}/{}  must-not violations {}",
                r.id,
                r.hits.len(),
                r.hits.len() + r.misses.len(),
                r.violations.len()
            );
            let _ = writeln!(out, "    core:       {}", r.picked_core.join(", "));
            let _ = writeln!(out, "    functional: {}", r.picked_functional.join(", "));
            if !r.misses.is_empty() {
                let _ = writeln!(out, "    missing:    {}", r.misses.join(", "));
            }
            if !r.violations.is_empty() {
                let _ = writeln!(out, "    WRONG:      {}", r.violations.join(", "));
            }
            if !r.accidents.is_empty() {
                let _ = writeln!(out, "    ACCIDENTS:  {}", r.accidents.join(", "));
            }
        }
        let _ = writeln!(
            out,
            "TOTAL must-include recall {}/{} = {:.3}; must-not violations {}; word accidents {}; roles fully right {}/{}",
            self.hits(),
            self.must_include(),
            self.recall(),
            self.violations(),
            self.accidents(),
            self.clean_roles(),
            self.roles.len()
        );
        out
    }
}

/// Runs the generator over the review set with the built-in OPM catalogue, scale, templates and
/// mapping, and the given selection settings and ranker.
pub fn run(set: &ReviewSet, selection: &SelectionSettings, ranker: &dyn Ranker) -> Report {
    let catalogues = vec![framewright_catalog::opm_ai_2024().unwrap().catalogue];
    let libraries: Vec<ContentLibrary> = Vec::new();
    let scale = framewright_catalog::opm_five_level().unwrap();
    let templates = Templates::builtin().unwrap();
    let mapping = TargetMapping::builtin().unwrap();
    let vocabulary = framewright_catalog::vocabulary::builtin_vocabulary().unwrap();
    let inputs = Inputs {
        catalogues: &catalogues,
        libraries: &libraries,
        reference_roles: &[],
        scale: &scale,
        templates: &templates,
        mapping: &mapping,
        selection,
        vocabulary: &vocabulary,
        ranker,
        onet: None,
    };
    let mut roles = Vec::new();
    for review in &set.roles {
        for key in review
            .must_include
            .iter()
            .flat_map(|k| k.split('|'))
            .chain(review.must_not.iter().map(String::as_str))
        {
            assert!(
                catalogues[0].find(key).is_some(),
                "{}: unknown competency id {key}",
                review.id
            );
        }
        let generated = generate(&review.role, &inputs, &Options::default())
            .unwrap_or_else(|e| panic!("{}: {e}", review.id));
        let f = &generated.framework;
        let source_id = |c: &framewright_model::FrameworkCompetency| {
            c.source.as_ref().map_or(c.id.clone(), |s| s.id.clone())
        };
        let picked: Vec<String> = f.competencies.iter().map(source_id).collect();
        let in_group = |group: &str| {
            f.competencies
                .iter()
                .filter(|c| c.group.as_deref() == Some(group))
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        let (mut hits, mut misses) = (Vec::new(), Vec::new());
        for entry in &review.must_include {
            if entry.split('|').any(|k| picked.iter().any(|p| p == k)) {
                hits.push(entry.clone());
            } else {
                misses.push(entry.clone());
            }
        }
        let violations = review
            .must_not
            .iter()
            .filter(|k| picked.contains(k))
            .cloned()
            .collect();
        let accidents = word_accidents(review, &picked, &catalogues[0], ranker);
        roles.push(RoleResult {
            id: review.id.clone(),
            picked_core: in_group("core"),
            picked_functional: in_group("functional"),
            hits,
            misses,
            violations,
            accidents,
        });
    }
    Report { roles }
}

/// The `competency=word` pairs of `review.accidents` where the competency was chosen and the
/// ranker cites that word of the role (alone, not inside a phrase) as its evidence.
fn word_accidents(
    review: &ReviewRole,
    picked: &[String],
    catalogue: &framewright_model::Catalogue,
    ranker: &dyn Ranker,
) -> Vec<String> {
    let priors = std::collections::BTreeMap::new();
    let request = RankRequest {
        role: &review.role,
        catalogue,
        reference_roles: &[],
        priors: &priors,
        top: catalogue.competencies.len(),
    };
    let ranked = ranker
        .rank(&request)
        .unwrap_or_else(|e| panic!("{}: {e}", review.id));
    let mut out = Vec::new();
    for pair in &review.accidents {
        let (competency, word) = pair
            .split_once('=')
            .unwrap_or_else(|| panic!("{}: accident `{pair}` is not competency=word", review.id));
        assert!(
            catalogue.find(competency).is_some(),
            "{}: unknown competency id {competency}",
            review.id
        );
        if !picked.iter().any(|p| p == competency) {
            continue;
        }
        let cited = ranked
            .iter()
            .filter(|c| c.id == competency)
            .flat_map(|c| &c.matches)
            .any(|m| !m.word.contains(' ') && m.word.to_lowercase().starts_with(word));
        if cited {
            out.push(pair.clone());
        }
    }
    out
}
