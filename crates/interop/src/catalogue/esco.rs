//! ESCO (European Skills, Competences, Qualifications and Occupations) from its CSV release.
//!
//! Give the folder of an unpacked CSV download (one language), or just its skills file. Files
//! are found by name (`skills_en.csv`, `occupations_en.csv`, `occupationSkillRelations_en.csv`,
//! `broaderRelationsSkillPillar_en.csv`; the language suffix may be absent) and columns by their
//! header names, because the column sets differ between releases (v1.2 adds `occupationLabel`
//! and `skillLabel` to the relations, and labels to the broader relations). Multi-valued labels
//! are one per line inside a quoted cell.
//!
//! - every skill becomes a competency: id and uri = `conceptUri`, name = `preferredLabel`,
//!   alternative labels = `altLabels`, definition = `description` (or `definition` when the
//!   description is empty), kind = knowledge or skill from `skillType` (transversal skills are
//!   general: core);
//! - `broaderRelationsSkillPillar` gives each skill its broader concepts (skills or skill groups);
//! - every occupation becomes a reference role (id = `conceptUri`, title = `preferredLabel`,
//!   other titles = `altLabels`, description), whose competencies are its
//!   `occupationSkillRelations`: essential ones with weight 1.0, optional ones with weight 0.5.
//!
//! Licence: ESCO is published by the European Commission free of charge; reuse is authorised
//! with acknowledgement of the source (Commission Decision 2011/833/EU).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use framewright_model::{
    Catalogue, Competency, CompetencyKind, ReferenceRole, RoleCompetency, SourceNote,
};

use super::{ImportError, Imported, Progress, split_values};
use crate::table::text::{Quoting, TextTable};

/// The licence recorded on ESCO catalogues.
pub const LICENCE: &str = "ESCO is published by the European Commission free of charge; reuse is authorised provided the source is acknowledged (Commission Decision 2011/833/EU on the reuse of Commission documents). Redistributable with attribution.";

/// The attribution text exports of ESCO content must carry.
pub const ATTRIBUTION: &str = "This product uses the ESCO classification of the European Commission (https://esco.ec.europa.eu). ESCO © European Union.";

/// Choices for an ESCO import.
#[derive(Debug, Clone)]
pub struct EscoOptions {
    /// Catalogue id (the library name), `esco` by default.
    pub id: String,
    /// The release, as the user states it (`v1.2.0`).
    pub version: Option<String>,
    /// The language code of the files (`en`); `None` picks the only language present.
    pub language: Option<String>,
}

impl Default for EscoOptions {
    fn default() -> Self {
        EscoOptions {
            id: "esco".into(),
            version: None,
            language: None,
        }
    }
}

/// The files of an ESCO CSV release.
#[derive(Debug, Clone, Default)]
pub struct EscoFiles {
    /// `skills_xx.csv` (required).
    pub skills: PathBuf,
    /// `occupations_xx.csv`.
    pub occupations: Option<PathBuf>,
    /// `occupationSkillRelations_xx.csv`.
    pub relations: Option<PathBuf>,
    /// `broaderRelationsSkillPillar_xx.csv`.
    pub broader: Option<PathBuf>,
}

/// Finds the release's files in `path` (a folder, or the skills file itself).
pub fn find_files(path: &Path, language: Option<&str>) -> Result<EscoFiles, ImportError> {
    if path.is_file() {
        return Ok(EscoFiles {
            skills: path.to_path_buf(),
            ..EscoFiles::default()
        });
    }
    let entries = std::fs::read_dir(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut names: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file_path = entry.path();
        if let Some(name) = file_path.file_name().and_then(|n| n.to_str())
            && name.to_ascii_lowercase().ends_with(".csv")
        {
            names.push((name.to_string(), file_path.clone()));
        }
    }
    names.sort();
    let find = |stem: &str| -> Vec<(String, PathBuf)> {
        names
            .iter()
            .filter(|(name, _)| {
                let lower = name.to_ascii_lowercase();
                let stem = stem.to_ascii_lowercase();
                let base = lower.trim_end_matches(".csv");
                base == stem
                    || base
                        .strip_prefix(&stem)
                        .is_some_and(|rest| rest.starts_with('_'))
            })
            .cloned()
            .collect()
    };
    let pick = |stem: &str| -> Result<Option<PathBuf>, ImportError> {
        let found = find(stem);
        let chosen: Vec<&(String, PathBuf)> = match language {
            Some(lang) => found
                .iter()
                .filter(|(name, _)| {
                    name.to_ascii_lowercase()
                        .trim_end_matches(".csv")
                        .ends_with(&format!("_{}", lang.to_ascii_lowercase()))
                })
                .collect(),
            None => found.iter().collect(),
        };
        match chosen.as_slice() {
            [] => Ok(None),
            [(_, p)] => Ok(Some(p.clone())),
            several => Err(ImportError::MissingFile {
                path: path.to_path_buf(),
                message: format!(
                    "there are several {stem} files ({}); choose the language with --language",
                    several
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    };
    let skills = pick("skills")?.ok_or_else(|| ImportError::MissingFile {
        path: path.to_path_buf(),
        message: "this folder has no ESCO skills file (skills_en.csv or similar); give the folder of an unpacked ESCO CSV download".into(),
    })?;
    Ok(EscoFiles {
        skills,
        occupations: pick("occupations")?,
        relations: pick("occupationSkillRelations")?,
        broader: pick("broaderRelationsSkillPillar")?,
    })
}

/// Imports the ESCO release at `path` (a folder or a skills file).
pub fn import(
    path: &Path,
    options: &EscoOptions,
    progress: &mut dyn Progress,
) -> Result<Imported, ImportError> {
    let files = find_files(path, options.language.as_deref())?;
    import_files(&files, options, progress)
}

/// Imports the given ESCO files.
pub fn import_files(
    files: &EscoFiles,
    options: &EscoOptions,
    progress: &mut dyn Progress,
) -> Result<Imported, ImportError> {
    let mut warnings = Vec::new();
    let (mut competencies, index) = read_skills(&files.skills, progress, &mut warnings)?;
    if let Some(path) = &files.broader {
        read_broader(path, &mut competencies, &index, progress, &mut warnings)?;
    } else if files.skills.is_file() && files.occupations.is_none() {
        // A single skills file: nothing else to say.
    } else {
        warnings
            .push("no broaderRelationsSkillPillar file: skills have no broader concepts".into());
    }
    let (mut roles, role_index) = match &files.occupations {
        Some(path) => read_occupations(path, progress)?,
        None => (Vec::new(), HashMap::new()),
    };
    if let Some(path) = &files.relations {
        if roles.is_empty() {
            warnings.push("occupation-skill relations were given without an occupations file; they were not used".into());
        } else {
            let known = Known {
                roles: &role_index,
                skills: &index,
            };
            read_occupation_skills(path, &mut roles, &known, progress, &mut warnings)?;
        }
    } else if !roles.is_empty() {
        warnings.push("no occupationSkillRelations file: the occupations have no skills".into());
    }
    progress.finish();
    let notes = vec![import_note(files, &competencies, &roles)];
    Ok(Imported {
        catalogue: Catalogue {
            id: options.id.clone(),
            name: "ESCO (European Skills, Competences, Qualifications and Occupations)".into(),
            title: Some("ESCO classification".into()),
            version: options.version.clone(),
            publisher: Some("European Commission".into()),
            issued: None,
            licence: LICENCE.into(),
            attribution: Some(ATTRIBUTION.into()),
            url: Some("https://esco.ec.europa.eu".into()),
            notes,
            competencies,
            reference_roles: roles,
        },
        warnings,
    })
}

/// The skills file: competencies, and the position of each by URI.
fn read_skills(
    path: &Path,
    progress: &mut dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Competency>, HashMap<String, usize>), ImportError> {
    let mut competencies: Vec<Competency> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut table = TextTable::open(path, b',', Quoting::Csv, progress, "skills")?;
    table.require(&["conceptUri", "preferredLabel"])?;
    let has_type = table.has("skillType");
    while let Some(record) = table.next(progress)? {
        let uri = record.required("conceptUri")?.to_string();
        let name = record.required("preferredLabel")?.to_string();
        if let Some(first) = first_line.insert(uri.clone(), record.line) {
            return Err(record.error(
                "conceptUri",
                format!("skill `{uri}` appears twice (first on line {first}); each conceptUri must be unique"),
            ));
        }
        let transversal = record
            .get("reuseLevel")
            .is_some_and(|r| r.eq_ignore_ascii_case("transversal"));
        let kind = match record
            .get("skillType")
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            _ if transversal => CompetencyKind::General,
            Some("knowledge") => CompetencyKind::Knowledge,
            Some("skill/competence" | "skill" | "competence") => CompetencyKind::Skill,
            Some(other) => {
                return Err(record.error(
                    "skillType",
                    format!("skill type `{other}` is neither `knowledge` nor `skill/competence`"),
                ));
            }
            None => CompetencyKind::Unspecified,
        };
        let mut competency = Competency::new(uri.clone(), name, kind);
        competency.alt_labels = record
            .get("altLabels")
            .map(split_values)
            .unwrap_or_default();
        competency.definition = record
            .get("description")
            .or_else(|| record.get("definition"))
            .map(str::to_string);
        competency.uri = Some(uri.clone());
        index.insert(uri, competencies.len());
        competencies.push(competency);
    }
    if competencies.is_empty() {
        return Err(ImportError::at(
            table.file(),
            None,
            None,
            "the skills file has a header line but no skills",
        ));
    }
    if !has_type {
        warnings.push(format!(
            "{} has no skillType column: competencies are not marked as knowledge or skill",
            table.file()
        ));
    }
    Ok((competencies, index))
}

/// The broader relations of skills.
fn read_broader(
    path: &Path,
    competencies: &mut [Competency],
    index: &HashMap<String, usize>,
    progress: &mut dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<(), ImportError> {
    let mut table = TextTable::open(path, b',', Quoting::Csv, progress, "broader relations")?;
    table.require(&["conceptUri", "broaderUri"])?;
    let mut outside = 0usize;
    while let Some(record) = table.next(progress)? {
        let uri = record.required("conceptUri")?;
        let broader = record.required("broaderUri")?;
        match index.get(uri) {
            Some(&i) => {
                let list = &mut competencies[i].broader;
                if !list.iter().any(|b| b == broader) {
                    list.push(broader.to_string());
                }
            }
            // Skill groups have broader groups too; only skills are competencies.
            None => outside += 1,
        }
    }
    if outside > 0 {
        warnings.push(format!(
            "{outside} broader relations of skill groups (not skills) were not needed"
        ));
    }
    Ok(())
}

/// The occupations file: reference roles, and the position of each by URI.
fn read_occupations(
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<(Vec<ReferenceRole>, HashMap<String, usize>), ImportError> {
    let mut roles: Vec<ReferenceRole> = Vec::new();
    let mut role_index: HashMap<String, usize> = HashMap::new();
    let mut table = TextTable::open(path, b',', Quoting::Csv, progress, "occupations")?;
    table.require(&["conceptUri", "preferredLabel"])?;
    let mut first: HashMap<String, u64> = HashMap::new();
    while let Some(record) = table.next(progress)? {
        let uri = record.required("conceptUri")?.to_string();
        if let Some(line) = first.insert(uri.clone(), record.line) {
            return Err(record.error(
                "conceptUri",
                format!("occupation `{uri}` appears twice (first on line {line})"),
            ));
        }
        role_index.insert(uri.clone(), roles.len());
        roles.push(ReferenceRole {
            id: uri,
            title: record.required("preferredLabel")?.to_string(),
            alt_titles: record
                .get("altLabels")
                .map(split_values)
                .unwrap_or_default(),
            description: record
                .get("description")
                .or_else(|| record.get("definition"))
                .map(str::to_string),
            tasks: Vec::new(),
            competencies: Vec::new(),
        });
    }
    Ok((roles, role_index))
}

/// The occupations and skills read so far, by URI.
struct Known<'a> {
    roles: &'a HashMap<String, usize>,
    skills: &'a HashMap<String, usize>,
}

/// The occupation-skill relations file: the skills each occupation needs.
fn read_occupation_skills(
    path: &Path,
    roles: &mut [ReferenceRole],
    known: &Known<'_>,
    progress: &mut dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<(), ImportError> {
    let mut table = TextTable::open(path, b',', Quoting::Csv, progress, "occupation skills")?;
    table.require(&["occupationUri", "relationType", "skillUri"])?;
    let mut unknown_occupations = 0usize;
    let mut unknown_skills = 0usize;
    while let Some(record) = table.next(progress)? {
        let occupation = record.required("occupationUri")?;
        let skill = record.required("skillUri")?;
        let relation = record.required("relationType")?.to_ascii_lowercase();
        let (weight, essential) = match relation.as_str() {
            "essential" => (1.0, true),
            "optional" => (0.5, false),
            other => {
                return Err(record.error(
                    "relationType",
                    format!("relation type `{other}` is neither `essential` nor `optional`"),
                ));
            }
        };
        let Some(&r) = known.roles.get(occupation) else {
            unknown_occupations += 1;
            continue;
        };
        if !known.skills.contains_key(skill) {
            unknown_skills += 1;
            continue;
        }
        let list = &mut roles[r].competencies;
        match list.iter_mut().find(|c| c.id == skill) {
            // A skill listed as both essential and optional counts as essential.
            Some(existing) => {
                if essential {
                    existing.weight = 1.0;
                    existing.essential = true;
                }
            }
            None => list.push(RoleCompetency {
                id: skill.to_string(),
                weight,
                essential,
            }),
        }
    }
    if unknown_occupations > 0 {
        warnings.push(format!("{unknown_occupations} occupation-skill relations name occupations that are not in the occupations file; they were left out"));
    }
    if unknown_skills > 0 {
        warnings.push(format!("{unknown_skills} occupation-skill relations name skills that are not in the skills file; they were left out"));
    }
    Ok(())
}

/// The note that says what was imported.
fn import_note(
    files: &EscoFiles,
    competencies: &[Competency],
    roles: &[ReferenceRole],
) -> SourceNote {
    let kinds: BTreeMap<&str, usize> = competencies.iter().fold(BTreeMap::new(), |mut m, c| {
        *m.entry(c.kind.as_str()).or_default() += 1;
        m
    });
    SourceNote {
        id: "esco-import".into(),
        text: format!(
            "Imported from the ESCO CSV release ({}): {} skills ({}), {} occupations as reference roles. Transversal skills are recorded as general (core) competencies. Occupation-skill relations: essential = weight 1.0, optional = weight 0.5.",
            files
                .skills
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            competencies.len(),
            kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", "),
            roles.len()
        ),
        competencies: Vec::new(),
    }
}
