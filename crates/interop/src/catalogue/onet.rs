//! O*NET® database text release (tab-separated files with a header row).
//!
//! Give the folder of an unpacked "text" download. Files used (found by name):
//!
//! - `Occupation Data.txt` (`O*NET-SOC Code`, `Title`, `Description`) — required: occupations
//!   become reference roles;
//! - `Skills.txt`, `Knowledge.txt`, `Abilities.txt` (`O*NET-SOC Code`, `Element ID`,
//!   `Element Name`, `Scale ID`, `Data Value`, …, `Recommend Suppress`, `Not Relevant`, …) — at
//!   least one: their elements become competencies (kind skill, knowledge, ability), and the
//!   importance ratings (`Scale ID` = `IM`, 1–5) link them to occupations;
//! - `Content Model Reference.txt` (`Element ID`, `Element Name`, `Description`) — optional: the
//!   elements' definitions;
//! - `Task Statements.txt` (`O*NET-SOC Code`, `Task ID`, `Task`, `Task Type`, …) — optional:
//!   the occupations' tasks, core tasks first;
//! - `Tasks to DWAs.txt` (`O*NET-SOC Code`, `Task ID`, `DWA ID`, `DWA Title`, …) — optional:
//!   the detailed work activities are added to the occupation's tasks.
//!
//! An occupation needs a competency when its importance (IM) is at least
//! [`INCLUDE_FROM_IMPORTANCE`], the rating is not marked "Recommend Suppress", and its level
//! (LV) rating is not marked "Not Relevant". The weight is the importance scaled to 0–1,
//! `(IM − 1) / 4`; the competency is essential from [`ESSENTIAL_FROM_IMPORTANCE`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use framewright_model::{
    Catalogue, Competency, CompetencyKind, ReferenceRole, RoleCompetency, SourceNote,
};

use super::{ImportError, Imported, Progress};
use crate::table::text::{Quoting, Record, TextTable};

/// Importance (1–5) from which an occupation is said to need a competency: O*NET's own
/// "important" threshold, also the usual criticality cut-off of a job analysis.
pub const INCLUDE_FROM_IMPORTANCE: f64 = 3.0;

/// Importance (1–5) from which a competency counts as essential ("very important").
pub const ESSENTIAL_FROM_IMPORTANCE: f64 = 4.0;

/// The licence recorded on O*NET catalogues.
pub const LICENCE: &str = "Creative Commons Attribution 4.0 International (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/; O*NET® is a trademark of USDOL/ETA (use \"O*NET\" as an adjective).";

/// The attribution text exports of O*NET content must carry (`{version}` is the release).
pub fn attribution(version: Option<&str>) -> String {
    let release = version.map_or_else(
        || "the O*NET Database".to_string(),
        |v| format!("the O*NET {v} Database"),
    );
    format!(
        "This product includes information from {release} by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. The Framewright authors have modified all or some of this information (importance ratings scaled to weights; competencies below importance {INCLUDE_FROM_IMPORTANCE} left out of occupations). USDOL/ETA has not approved, endorsed, or tested these modifications."
    )
}

/// Choices for an O*NET import.
#[derive(Debug, Clone)]
pub struct OnetOptions {
    /// Catalogue id (the library name), `onet` by default.
    pub id: String,
    /// The release (`30.1`).
    pub version: Option<String>,
}

impl Default for OnetOptions {
    fn default() -> Self {
        OnetOptions {
            id: "onet".into(),
            version: None,
        }
    }
}

const CODE: &str = "O*NET-SOC Code";

pub(crate) fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    let wanted = name.to_ascii_lowercase();
    let entries = std::fs::read_dir(dir).ok()?;
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.to_ascii_lowercase() == wanted)
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

struct Rating {
    importance: Option<f64>,
    suppressed: bool,
    not_relevant: bool,
}

/// Imports the O*NET text release in folder `dir`.
pub fn import(
    dir: &Path,
    options: &OnetOptions,
    progress: &mut dyn Progress,
) -> Result<Imported, ImportError> {
    let mut warnings = Vec::new();
    let occupations_path = find(dir, "Occupation Data.txt").ok_or_else(|| ImportError::MissingFile {
        path: dir.to_path_buf(),
        message: "this folder has no `Occupation Data.txt`; give the folder of an unpacked O*NET text download".into(),
    })?;
    let rating_files: Vec<(PathBuf, CompetencyKind, &str)> = [
        ("Skills.txt", CompetencyKind::Skill, "skills"),
        ("Knowledge.txt", CompetencyKind::Knowledge, "knowledge"),
        ("Abilities.txt", CompetencyKind::Ability, "abilities"),
    ]
    .into_iter()
    .filter_map(|(name, kind, stage)| find(dir, name).map(|p| (p, kind, stage)))
    .collect();
    if rating_files.is_empty() {
        return Err(ImportError::MissingFile {
            path: dir.to_path_buf(),
            message: "this folder has none of `Skills.txt`, `Knowledge.txt`, `Abilities.txt`; at least one is needed for the competencies".into(),
        });
    }

    let (mut roles, role_index) = read_occupations(&occupations_path, progress)?;
    let definitions = read_definitions(dir, progress, &mut warnings)?;
    let mut elements = Elements::default();
    for (path, kind, stage) in &rating_files {
        elements.read_file(path, *kind, stage, &definitions, &role_index, progress)?;
    }
    if !elements.unknown_occupations.is_empty() {
        warnings.push(format!(
            "{} occupation codes in the rating files are not in `Occupation Data.txt`; their ratings were left out",
            elements.unknown_occupations.len()
        ));
    }
    let left_out = elements.attach(&mut roles);
    let competencies = elements.competencies;
    read_tasks(dir, &mut roles, &role_index, progress, &mut warnings)?;
    progress.finish();
    let version = options.version.clone();
    let note = SourceNote {
        id: "onet-import".into(),
        text: format!(
            "Imported from O*NET text files: {} elements (skills, knowledge, abilities) as competencies, {} occupations as reference roles. An occupation needs an element when its importance (IM, 1–5) is at least {INCLUDE_FROM_IMPORTANCE}, the rating is not marked Recommend Suppress and the level is not marked Not Relevant ({left_out} ratings below that were left out). Weight = (IM − 1) / 4; essential from IM {ESSENTIAL_FROM_IMPORTANCE}. Tasks: task statements (core first), then detailed work activities.",
            competencies.len(),
            roles.len()
        ),
        competencies: Vec::new(),
    };
    Ok(Imported {
        catalogue: Catalogue {
            id: options.id.clone(),
            name: "O*NET occupational database (skills, knowledge, abilities)".into(),
            title: Some("O*NET Database".into()),
            version: version.clone(),
            publisher: Some("U.S. Department of Labor, Employment and Training Administration (USDOL/ETA); National Center for O*NET Development".into()),
            issued: None,
            licence: LICENCE.into(),
            attribution: Some(attribution(version.as_deref())),
            url: Some("https://www.onetcenter.org/database.html".into()),
            notes: vec![note],
            competencies,
            reference_roles: roles,
        },
        warnings,
    })
}

/// `Occupation Data.txt`: reference roles, and the position of each by code.
fn read_occupations(
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<(Vec<ReferenceRole>, HashMap<String, usize>), ImportError> {
    let mut roles: Vec<ReferenceRole> = Vec::new();
    let mut role_index: HashMap<String, usize> = HashMap::new();
    let mut table = TextTable::open(path, b'\t', Quoting::None, progress, "occupations")?;
    table.require(&[CODE, "Title"])?;
    let mut first: HashMap<String, u64> = HashMap::new();
    while let Some(record) = table.next(progress)? {
        let code = record.required(CODE)?.to_string();
        if let Some(line) = first.insert(code.clone(), record.line) {
            return Err(record.error(
                CODE,
                format!("occupation `{code}` appears twice (first on line {line})"),
            ));
        }
        role_index.insert(code.clone(), roles.len());
        roles.push(ReferenceRole {
            id: code,
            title: record.required("Title")?.to_string(),
            alt_titles: Vec::new(),
            description: record.get("Description").map(str::to_string),
            tasks: Vec::new(),
            competencies: Vec::new(),
        });
    }
    Ok((roles, role_index))
}

/// `Content Model Reference.txt`: the definition of each element.
fn read_definitions(
    dir: &Path,
    progress: &mut dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<HashMap<String, String>, ImportError> {
    let mut definitions: HashMap<String, String> = HashMap::new();
    if let Some(path) = find(dir, "Content Model Reference.txt") {
        let mut table = TextTable::open(&path, b'\t', Quoting::None, progress, "content model")?;
        table.require(&["Element ID", "Description"])?;
        while let Some(record) = table.next(progress)? {
            if let (Some(id), Some(text)) = (record.get("Element ID"), record.get("Description")) {
                definitions.insert(id.to_string(), text.to_string());
            }
        }
    } else {
        warnings.push("no `Content Model Reference.txt`: competencies have no definitions".into());
    }
    Ok(definitions)
}

/// Elements (competencies) and ratings read from the rating files.
#[derive(Default)]
struct Elements {
    competencies: Vec<Competency>,
    element_index: HashMap<String, usize>,
    ratings: BTreeMap<(usize, usize), Rating>,
    unknown_occupations: HashSet<String>,
}

impl Elements {
    /// One rating file (`Skills.txt`, `Knowledge.txt`, `Abilities.txt`).
    fn read_file(
        &mut self,
        path: &Path,
        kind: CompetencyKind,
        stage: &str,
        definitions: &HashMap<String, String>,
        role_index: &HashMap<String, usize>,
        progress: &mut dyn Progress,
    ) -> Result<(), ImportError> {
        let mut table = TextTable::open(path, b'\t', Quoting::None, progress, stage)?;
        table.require(&[CODE, "Element ID", "Element Name", "Scale ID", "Data Value"])?;
        while let Some(record) = table.next(progress)? {
            let index = self.element(&record, kind, definitions)?;
            let code = record.required(CODE)?;
            let Some(&role) = role_index.get(code) else {
                self.unknown_occupations.insert(code.to_string());
                continue;
            };
            let entry = self.ratings.entry((role, index)).or_insert(Rating {
                importance: None,
                suppressed: false,
                not_relevant: false,
            });
            rate(&record, entry)?;
        }
        Ok(())
    }

    /// The competency a record rates (added on first sight).
    fn element(
        &mut self,
        record: &Record<'_>,
        kind: CompetencyKind,
        definitions: &HashMap<String, String>,
    ) -> Result<usize, ImportError> {
        let (competencies, element_index) = (&mut self.competencies, &mut self.element_index);
        let element = record.required("Element ID")?.to_string();
        let name = record.required("Element Name")?;
        Ok(match element_index.get(&element) {
            Some(&i) => {
                if competencies[i].name != name {
                    return Err(record.error(
                        "Element Name",
                        format!(
                            "element `{element}` is called `{}` elsewhere and `{name}` here",
                            competencies[i].name
                        ),
                    ));
                }
                i
            }
            None => {
                let mut competency = Competency::new(element.clone(), name, kind);
                competency.definition = definitions.get(&element).cloned();
                element_index.insert(element.clone(), competencies.len());
                competencies.push(competency);
                competencies.len() - 1
            }
        })
    }

    /// Adds the ratings that pass to the roles; returns how many were left out.
    fn attach(&self, roles: &mut [ReferenceRole]) -> usize {
        let (competencies, ratings) = (&self.competencies, &self.ratings);
        let mut left_out = 0usize;
        for ((role, index), rating) in ratings {
            let Some(importance) = rating.importance else {
                continue;
            };
            if rating.suppressed || rating.not_relevant || importance < INCLUDE_FROM_IMPORTANCE {
                left_out += 1;
                continue;
            }
            roles[*role].competencies.push(RoleCompetency {
                id: competencies[*index].id.clone(),
                weight: ((importance - 1.0) / 4.0 * 1000.0).round() / 1000.0,
                essential: importance >= ESSENTIAL_FROM_IMPORTANCE,
            });
        }
        for role in roles.iter_mut() {
            role.competencies
                .sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.id.cmp(&b.id)));
        }
        left_out
    }
}

/// One record's rating: importance (IM) or level (LV) and their flags.
fn rate(record: &Record<'_>, entry: &mut Rating) -> Result<(), ImportError> {
    let scale = record.required("Scale ID")?;
    let value_text = record.required("Data Value")?;
    let value: f64 = value_text
        .parse()
        .map_err(|_| record.error("Data Value", format!("`{value_text}` is not a number")))?;
    let flag = |column: &str| -> Result<bool, ImportError> {
        match record.get(column).map(str::to_ascii_uppercase).as_deref() {
            None | Some("N") | Some("N/A") | Some("NA") => Ok(false),
            Some("Y") => Ok(true),
            Some(other) => Err(record.error(column, format!("`{other}` is neither Y nor N"))),
        }
    };
    match scale {
        "IM" => {
            if !(1.0..=5.0).contains(&value) {
                return Err(record.error(
                    "Data Value",
                    format!("an importance (IM) runs from 1 to 5; {value} is outside"),
                ));
            }
            entry.importance = Some(value);
            entry.suppressed |= flag("Recommend Suppress")?;
        }
        "LV" => {
            if !(0.0..=7.0).contains(&value) {
                return Err(record.error(
                    "Data Value",
                    format!("a level (LV) runs from 0 to 7; {value} is outside"),
                ));
            }
            entry.not_relevant |= flag("Not Relevant")?;
        }
        _ => {}
    }
    Ok(())
}

/// `Task Statements.txt` (core first) and `Tasks to DWAs.txt`: the occupations' tasks.
fn read_tasks(
    dir: &Path,
    roles: &mut [ReferenceRole],
    role_index: &HashMap<String, usize>,
    progress: &mut dyn Progress,
    warnings: &mut Vec<String>,
) -> Result<(), ImportError> {
    if let Some(path) = find(dir, "Task Statements.txt") {
        let mut table = TextTable::open(&path, b'\t', Quoting::None, progress, "tasks")?;
        table.require(&[CODE, "Task"])?;
        let mut core: HashMap<usize, Vec<String>> = HashMap::new();
        let mut other: HashMap<usize, Vec<String>> = HashMap::new();
        while let Some(record) = table.next(progress)? {
            let Some(&role) = role_index.get(record.required(CODE)?) else {
                continue;
            };
            let task = record.required("Task")?.to_string();
            let is_core = record
                .get("Task Type")
                .is_none_or(|t| t.eq_ignore_ascii_case("core"));
            if is_core { &mut core } else { &mut other }
                .entry(role)
                .or_default()
                .push(task);
        }
        for (i, role) in roles.iter_mut().enumerate() {
            role.tasks.extend(core.remove(&i).unwrap_or_default());
            role.tasks.extend(other.remove(&i).unwrap_or_default());
        }
    } else {
        warnings.push("no `Task Statements.txt`: occupations have no tasks".into());
    }
    if let Some(path) = find(dir, "Tasks to DWAs.txt") {
        let mut table = TextTable::open(&path, b'\t', Quoting::None, progress, "work activities")?;
        table.require(&[CODE, "DWA Title"])?;
        while let Some(record) = table.next(progress)? {
            let Some(&role) = role_index.get(record.required(CODE)?) else {
                continue;
            };
            let activity = record.required("DWA Title")?.to_string();
            if !roles[role].tasks.contains(&activity) {
                roles[role].tasks.push(activity);
            }
        }
    }
    Ok(())
}
