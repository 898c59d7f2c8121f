//! NIST NICE Workforce Framework for Cybersecurity (SP 800-181 Rev. 1): the "NICE Framework
//! Components" JSON that NIST publishes through its CPRT (for example
//! `v2-2-0_nf_components.json`).
//!
//! The file has `documents`, `elements` (`element_type`, `element_identifier`, `title`,
//! `text`) and `relationships` (`source_element_identifier` → `dest_element_identifier`, of type
//! `projection`). Element types: `category` (DD, IN, IO, OG, PD), `work_role` (`OG-WRL-017`),
//! `competency_area` (`NF-COM-002`), `task` (`T0077`), `knowledge` (`K0814`), `skill`
//! (`S0650`), `opm_code` and `sort`.
//!
//! - competency areas, knowledge and skill statements become competencies (kind technical,
//!   knowledge, skill); a statement's broader concepts are the competency areas that project
//!   onto it;
//! - work roles become reference roles: their task statements are the role's tasks, their
//!   knowledge and skill statements its competencies (weight 1.0, essential), their OPM
//!   cybersecurity codes its other titles (`OPM code 722`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use framewright_model::file::{FileFormat, locate};
use framewright_model::{
    Catalogue, Competency, CompetencyKind, FieldPath, ReferenceRole, RoleCompetency, SourceNote,
};
use serde::Deserialize;

use super::{ImportError, Imported, Progress, display, read_file, utf8};

/// The licence recorded on NICE catalogues.
pub const LICENCE: &str = "A work of the US Government (National Institute of Standards and Technology): not subject to copyright in the United States (17 U.S.C. 105). Redistributable.";

/// Choices for a NICE import.
#[derive(Debug, Clone)]
pub struct NiceOptions {
    /// Catalogue id (the library name), `nice` by default.
    pub id: String,
}

impl Default for NiceOptions {
    fn default() -> Self {
        NiceOptions { id: "nice".into() }
    }
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    documents: Vec<Document>,
    elements: Vec<Element>,
    relationships: Vec<Relationship>,
}

#[derive(Deserialize)]
struct Document {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    website: Option<String>,
}

#[derive(Deserialize)]
struct Element {
    element_type: String,
    element_identifier: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct Relationship {
    source_element_identifier: String,
    dest_element_identifier: String,
}

/// Imports the NICE Framework Components JSON at `path`.
pub fn import(
    path: &Path,
    options: &NiceOptions,
    progress: &mut dyn Progress,
) -> Result<Imported, ImportError> {
    let file_name = display(path);
    let bytes = read_file(path)?;
    progress.stage("elements", Some(bytes.len() as u64));
    let text = utf8(&bytes, &file_name)?;
    let file = parse(text, &file_name)?;
    progress.advance(bytes.len() as u64 / 2);
    let mut warnings = Vec::new();
    let by_id = index_elements(&file, text, &file_name, &mut warnings)?;
    let projections = project(&file, &by_id, &mut warnings);
    let competencies = read_competencies(&file, &by_id, &projections, &mut warnings);
    let roles = work_roles(&file, &by_id, &projections);
    progress.advance(bytes.len() as u64);
    progress.finish();

    let document = file.documents.first();
    let version = document.and_then(|d| d.version.clone());
    let attribution = format!(
        "Source: National Institute of Standards and Technology (NIST), Workforce Framework for Cybersecurity (NICE Framework), NIST SP 800-181 Rev. 1{}. A work of the US Government.",
        version
            .as_deref()
            .map_or_else(String::new, |v| format!(", NICE Framework Components v{v}"))
    );
    let counts = |kind: CompetencyKind| competencies.iter().filter(|c| c.kind == kind).count();
    let note = SourceNote {
        id: "nice-import".into(),
        text: format!(
            "Imported from the NICE Framework Components JSON: {} competency areas, {} knowledge and {} skill statements as competencies; {} work roles as reference roles (tasks, knowledge and skills projected onto them; OPM cybersecurity codes as other titles).",
            counts(CompetencyKind::Technical),
            counts(CompetencyKind::Knowledge),
            counts(CompetencyKind::Skill),
            roles.len()
        ),
        competencies: Vec::new(),
    };
    Ok(Imported {
        catalogue: Catalogue {
            id: options.id.clone(),
            name: "NICE Workforce Framework for Cybersecurity".into(),
            title: document.and_then(|d| d.name.clone()),
            version,
            publisher: Some("National Institute of Standards and Technology (NIST)".into()),
            issued: None,
            licence: LICENCE.into(),
            attribution: Some(attribution),
            url: document
                .and_then(|d| d.website.clone())
                .or_else(|| Some("https://www.nist.gov/itl/applied-cybersecurity/nice/nice-framework-resource-center".into())),
            notes: vec![note],
            competencies,
            reference_roles: roles,
        },
        warnings,
    })
}

/// The file's JSON, or an error at the line and character where it stops making sense.
fn parse(text: &str, file_name: &str) -> Result<File, ImportError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let inner = e.inner();
        let at = e.path().to_string();
        let message = strip_position(&inner.to_string());
        let message = if at.is_empty() || at == "." {
            message
        } else {
            format!("field `{at}`: {message}")
        };
        let hint = if inner.is_data() {
            " (this does not look like a NICE Framework Components file: it needs `elements` and `relationships`)"
        } else {
            ""
        };
        ImportError::at(
            file_name,
            Some(inner.line() as u64),
            Some(&format!("character {}", inner.column())),
            format!("{message}{hint}"),
        )
    })
}

/// An error at a field of the file, located by line and character.
fn located(text: &str, file_name: &str, path: FieldPath, message: String) -> ImportError {
    let (line, column) = locate(text, FileFormat::Json, &path).unzip();
    ImportError::at(
        file_name,
        line.map(|l| l as u64),
        Some(&column.map_or_else(|| path.to_string(), |c| format!("character {c}"))),
        format!("{} ({})", message, path),
    )
}

/// The position of each element by identifier (identifiers checked to be present and unique).
fn index_elements<'f>(
    file: &'f File,
    text: &str,
    file_name: &str,
    warnings: &mut Vec<String>,
) -> Result<HashMap<&'f str, usize>, ImportError> {
    let located = |path: FieldPath, message: String| located(text, file_name, path, message);
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut unknown_types: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, element) in file.elements.iter().enumerate() {
        if element.element_identifier.trim().is_empty() {
            return Err(located(
                FieldPath::root()
                    .item("elements", i)
                    .key("element_identifier"),
                "an element has an empty identifier".into(),
            ));
        }
        if !matches!(
            element.element_type.as_str(),
            "category"
                | "work_role"
                | "competency_area"
                | "task"
                | "knowledge"
                | "skill"
                | "opm_code"
                | "sort"
        ) {
            *unknown_types
                .entry(element.element_type.as_str())
                .or_default() += 1;
        }
        if element.element_type == "sort" {
            continue;
        }
        if let Some(first) = by_id.insert(element.element_identifier.as_str(), i) {
            return Err(located(
                FieldPath::root()
                    .item("elements", i)
                    .key("element_identifier"),
                format!(
                    "element `{}` is listed twice (first at elements[{first}]); identifiers must be unique",
                    element.element_identifier
                ),
            ));
        }
    }
    for (kind, n) in &unknown_types {
        warnings.push(format!(
            "{n} elements of type `{kind}` are not used by Framewright"
        ));
    }
    Ok(by_id)
}

/// The relationships, by source (those naming unknown elements left out).
fn project<'f>(
    file: &'f File,
    by_id: &HashMap<&'f str, usize>,
    warnings: &mut Vec<String>,
) -> BTreeMap<&'f str, BTreeSet<&'f str>> {
    let mut projections: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut dangling = 0usize;
    for relationship in &file.relationships {
        let (source, dest) = (
            relationship.source_element_identifier.as_str(),
            relationship.dest_element_identifier.as_str(),
        );
        if !by_id.contains_key(source) || !by_id.contains_key(dest) {
            dangling += 1;
            continue;
        }
        projections.entry(source).or_default().insert(dest);
    }
    if dangling > 0 {
        warnings.push(format!(
            "{dangling} relationships name elements that are not in the file; they were left out"
        ));
    }
    projections
}

/// Competencies: competency areas, then knowledge, then skills, each in id order.
fn read_competencies(
    file: &File,
    by_id: &HashMap<&str, usize>,
    projections: &BTreeMap<&str, BTreeSet<&str>>,
    warnings: &mut Vec<String>,
) -> Vec<Competency> {
    let type_of = |id: &str| {
        by_id
            .get(id)
            .map(|&i| file.elements[i].element_type.as_str())
    };
    let mut broader: HashMap<&str, Vec<String>> = HashMap::new();
    for (source, dests) in projections {
        if type_of(source) == Some("competency_area") {
            for dest in dests {
                broader.entry(dest).or_default().push((*source).to_string());
            }
        }
    }
    let mut competencies = Vec::new();
    for (wanted, kind) in [
        ("competency_area", CompetencyKind::Technical),
        ("knowledge", CompetencyKind::Knowledge),
        ("skill", CompetencyKind::Skill),
    ] {
        let mut elements: Vec<&Element> = file
            .elements
            .iter()
            .filter(|e| e.element_type == wanted)
            .collect();
        elements.sort_by(|a, b| a.element_identifier.cmp(&b.element_identifier));
        for element in elements {
            let title = element
                .title
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty());
            let text = element
                .text
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty());
            let (name, definition) = match (title, text) {
                (Some(title), text) => (title.to_string(), text.map(str::to_string)),
                (None, Some(text)) => (text.to_string(), None),
                (None, None) => {
                    warnings.push(format!(
                        "element `{}` has neither title nor text; it was left out",
                        element.element_identifier
                    ));
                    continue;
                }
            };
            let mut competency = Competency::new(element.element_identifier.clone(), name, kind);
            competency.definition = definition;
            competency.broader = broader
                .remove(element.element_identifier.as_str())
                .unwrap_or_default();
            competencies.push(competency);
        }
    }
    competencies
}

/// Work roles, with the tasks, knowledge and skills projected onto them.
fn work_roles(
    file: &File,
    by_id: &HashMap<&str, usize>,
    projections: &BTreeMap<&str, BTreeSet<&str>>,
) -> Vec<ReferenceRole> {
    let mut roles_elements: Vec<&Element> = file
        .elements
        .iter()
        .filter(|e| e.element_type == "work_role")
        .collect();
    roles_elements.sort_by(|a, b| a.element_identifier.cmp(&b.element_identifier));
    let mut roles = Vec::new();
    for element in roles_elements {
        let id = element.element_identifier.as_str();
        let mut role = ReferenceRole {
            id: id.to_string(),
            title: element
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| id.to_string()),
            alt_titles: Vec::new(),
            description: element.text.clone().filter(|t| !t.trim().is_empty()),
            tasks: Vec::new(),
            competencies: Vec::new(),
        };
        for dest in projections.get(id).into_iter().flatten() {
            let Some(&index) = by_id.get(dest) else {
                continue;
            };
            let target = &file.elements[index];
            match target.element_type.as_str() {
                "task" => {
                    if let Some(text) = target.text.as_deref().filter(|t| !t.trim().is_empty()) {
                        role.tasks.push(text.trim().to_string());
                    }
                }
                "knowledge" | "skill" => role.competencies.push(RoleCompetency {
                    id: (*dest).to_string(),
                    weight: 1.0,
                    essential: true,
                }),
                "opm_code" => role.alt_titles.push(format!("OPM code {dest}")),
                _ => {}
            }
        }
        roles.push(role);
    }
    roles
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
