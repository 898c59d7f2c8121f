//! Role types: whether a role leads an organisation (executive), leads a team (supervisor) or
//! does the work itself (practitioner), recognised from the words of its title with the lists
//! of `data/generator/selection.toml` (`[role_types]`). The type decides how many general
//! competencies a framework gets and which leadership competencies get a prior.

use framewright_model::{Catalogue, Competency, GradeMark, Role, text};
use serde::Deserialize;

/// The kind of work a role does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleType {
    /// Leads an organisation or a function: a chief, director, head or deputy.
    Executive,
    /// Leads a team: supervisory roles, branch and section chiefs, team leads.
    Supervisor,
    /// Does the work: everyone else.
    Practitioner,
}

impl RoleType {
    /// The type in a few words, for reasons and provenance.
    pub fn describe(self) -> &'static str {
        match self {
            RoleType::Executive => "an executive role",
            RoleType::Supervisor => "a supervisory role",
            RoleType::Practitioner => "a practitioner role",
        }
    }
}

/// The settings of one role type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleTypeSettings {
    /// Words or word pairs of a title that mark the type.
    pub title_words: Vec<String>,
    /// Competency ids of the leadership competencies this type needs.
    pub leadership: Vec<String>,
    /// Added to a leadership competency that OPM confirms at the role's grade.
    pub leadership_prior: f64,
    /// General (core) competencies without a target count (3 … 7).
    pub default_core: usize,
    /// Most functional competencies without a target count (3 … 7).
    pub default_functional_max: usize,
}

/// The role types that are not practitioners.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleTypes {
    /// Executives.
    pub executive: RoleTypeSettings,
    /// Supervisors.
    pub supervisor: RoleTypeSettings,
}

impl RoleTypes {
    /// The type of `role`: supervisor words first, then executive words, else practitioner.
    pub fn classify(&self, role: &Role) -> RoleType {
        let words: Vec<String> = text::normalise(&role.title)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let has = |marker: &str| {
            let marker: Vec<&str> = marker.split_whitespace().collect();
            words
                .windows(marker.len().max(1))
                .any(|w| w.iter().map(String::as_str).eq(marker.iter().copied()))
        };
        if self.supervisor.title_words.iter().any(|m| has(m)) {
            RoleType::Supervisor
        } else if self.executive.title_words.iter().any(|m| has(m)) {
            RoleType::Executive
        } else {
            RoleType::Practitioner
        }
    }

    /// The settings of a leading role type; `None` for practitioners.
    pub fn settings(&self, role_type: RoleType) -> Option<&RoleTypeSettings> {
        match role_type {
            RoleType::Executive => Some(&self.executive),
            RoleType::Supervisor => Some(&self.supervisor),
            RoleType::Practitioner => None,
        }
    }

    /// The leadership prior of `competency` for a role of this type and grade, with its reason
    /// in words; `None` when it gets none.
    pub fn leadership_prior(
        &self,
        role_type: RoleType,
        role: &Role,
        competency: &Competency,
    ) -> Option<(f64, String)> {
        let settings = self.settings(role_type)?;
        if !settings.leadership.iter().any(|id| *id == competency.id) {
            return None;
        }
        let reason = match role.grade {
            Some(grade) if competency.grade_mark(grade) == Some(GradeMark::Confirmed) => format!(
                "a leadership competency that OPM confirms at {grade}, for {}",
                role_type.describe()
            ),
            Some(_) => return None,
            None => format!("a leadership competency, for {}", role_type.describe()),
        };
        Some((settings.leadership_prior, reason))
    }

    /// Checks the settings against the built-in catalogue ids and the count ranges.
    pub(crate) fn check(&self, catalogue: Option<&Catalogue>) -> Result<(), String> {
        for (name, t) in [
            ("executive", &self.executive),
            ("supervisor", &self.supervisor),
        ] {
            if !(3..=7).contains(&t.default_core) {
                return Err(format!("role_types.{name}.default_core must be 3 … 7"));
            }
            if !(3..=7).contains(&t.default_functional_max) {
                return Err(format!(
                    "role_types.{name}.default_functional_max must be 3 … 7"
                ));
            }
            if !(t.leadership_prior.is_finite() && t.leadership_prior >= 0.0) {
                return Err(format!(
                    "role_types.{name}.leadership_prior must be a number ≥ 0"
                ));
            }
            if let Some(catalogue) = catalogue
                && let Some(id) = t.leadership.iter().find(|id| catalogue.find(id).is_none())
            {
                return Err(format!(
                    "role_types.{name}.leadership names `{id}`, which is not in {}",
                    catalogue.name
                ));
            }
        }
        Ok(())
    }
}
