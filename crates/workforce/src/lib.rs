//! Competency frameworks applied to the workforce: people in role profiles, assessment records
//! from several sources, the policy that turns them into a current level, gaps against role
//! targets with the next level's indicators, team and organisation aggregates, career paths and
//! succession, and the calibration figures of a review cycle.
//!
//! Pure: values in, values out. Dates (`as_of`) are passed in; files are read by
//! `framewright-interop`, and the operations the front doors call live in `framewright-app`.

pub mod calibration;
pub mod career;
pub mod gap;
pub mod policy;
pub mod record;
pub mod report;
pub mod team;
pub mod validate;

pub use gap::{Gap, GapStatus, NextLevel, PersonGaps, TimeToTarget};
pub use policy::{CurrentLevel, CurrentLevelPolicy, Method, Ratings};
pub use record::{AssessmentRecord, Person, Rating, Source};

#[cfg(test)]
pub(crate) mod testing {
    //! A small framework, people and ratings for the unit tests.

    use framewright_model::framework::Date;
    use framewright_model::{
        CompetencyKind, Framework, FrameworkCompetency, LevelContent, ProficiencyLevel,
        ProficiencyScale, RoleProfile, Target,
    };

    use crate::record::{AssessmentRecord, Person, Rating, Source};

    /// Levels 1–4 (Basic, Working, Advanced, Expert); competencies `a`, `b`, `c` with one
    /// indicator per level ("Does a at 2."); roles `junior` (a 2, b 2) and `senior` (a 3, b 2,
    /// c 3, weights 1, 0.5, 1).
    pub fn framework() -> Framework {
        let names = ["Basic", "Working", "Advanced", "Expert"];
        let scale = ProficiencyScale {
            id: "four".into(),
            name: "Four".into(),
            source: None,
            levels: names
                .iter()
                .enumerate()
                .map(|(i, n)| ProficiencyLevel {
                    level: i as u8 + 1,
                    name: (*n).into(),
                    description: format!("{n} work."),
                })
                .collect(),
        };
        let mut f = Framework::new("f", "F", scale);
        for id in ["a", "b", "c"] {
            let mut c = FrameworkCompetency::new(id, id.to_uppercase(), CompetencyKind::Technical);
            c.levels = (1..=4)
                .map(|l| LevelContent {
                    level: l,
                    description: None,
                    indicators: vec![format!("Does {id} at {l}.")],
                    draft: false,
                })
                .collect();
            f.competencies.push(c);
        }
        let target = |c: &str, level: u8, weight: f64| Target {
            competency: c.into(),
            level,
            weight: Some(weight),
            note: None,
            details: None,
        };
        let role = |id: &str, targets: Vec<Target>| RoleProfile {
            id: id.into(),
            title: id.to_uppercase(),
            job_family: None,
            grade: None,
            level: None,
            description: None,
            targets,
        };
        f.role_profiles = vec![
            role("junior", vec![target("a", 2, 1.0), target("b", 2, 1.0)]),
            role(
                "senior",
                vec![
                    target("a", 3, 1.0),
                    target("b", 2, 0.5),
                    target("c", 3, 1.0),
                ],
            ),
        ];
        f
    }

    pub fn person(id: &str, role: &str, manager: Option<&str>, unit: &str) -> Person {
        Person {
            id: id.into(),
            name: format!("Person {id}"),
            email: None,
            unit: Some(unit.into()),
            manager: manager.map(str::to_string),
            role: role.into(),
            start_date: None,
        }
    }

    pub fn rating(
        person: &str,
        competency: &str,
        level: Option<u8>,
        source: Source,
        assessor: &str,
        date: Date,
    ) -> AssessmentRecord {
        AssessmentRecord {
            person: person.into(),
            competency: competency.into(),
            rating: level.map_or(Rating::NotObserved, Rating::Level),
            source,
            assessor: Some(assessor.into()),
            date,
            evidence: None,
            release: None,
        }
    }
}
