//! The generic catalogue CSV (`id,name,alt_labels,definition`, optional `kind`, `broader`,
//! `uri`), read as a stream with progress: the form any organisation's list of competencies can
//! be saved in, and the form of the 13,939-skill ESCO benchmark catalogue. Lists in a cell are
//! separated by `|` or by line breaks. The same rules as
//! `framewright_catalog::parse_catalogue_csv`, which reads the form from memory.

use std::collections::HashMap;
use std::path::Path;

use framewright_model::{Catalogue, Competency, CompetencyKind};

use super::spreadsheet::CatalogueOptions;
use super::{ImportError, Progress, split_values};
use crate::table::text::{Quoting, TextTable};

/// Reads a catalogue in the generic CSV form from `path`.
pub fn read(
    path: &Path,
    options: &CatalogueOptions,
    progress: &mut dyn Progress,
) -> Result<Catalogue, ImportError> {
    let mut table = TextTable::open(path, b',', Quoting::Csv, progress, "competencies")?;
    table.require(&["id", "name"])?;
    let mut competencies = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    while let Some(record) = table.next(progress)? {
        let id = record.required("id")?.to_string();
        let name = record
            .get("name")
            .ok_or_else(|| record.error("name", format!("competency `{id}` has no name")))?
            .to_string();
        if let Some(first) = seen.insert(id.clone(), record.line) {
            return Err(record.error(
                "id",
                format!("id `{id}` is used twice (first on line {first}); ids must be unique"),
            ));
        }
        let kind = match record.get("kind") {
            None => CompetencyKind::Unspecified,
            Some(k) => parse_kind(k).ok_or_else(|| {
                record.error(
                    "kind",
                    format!(
                        "kind `{k}` is not one of general, technical, knowledge, skill, ability"
                    ),
                )
            })?,
        };
        let mut competency = Competency::new(id, name, kind);
        competency.alt_labels = record
            .get("alt_labels")
            .map(split_values)
            .unwrap_or_default();
        competency.definition = record.get("definition").map(str::to_string);
        competency.broader = record.get("broader").map(split_values).unwrap_or_default();
        competency.uri = record.get("uri").map(str::to_string);
        competencies.push(competency);
    }
    if competencies.is_empty() {
        return Err(ImportError::at(
            table.file(),
            None,
            None,
            "the file has a header line but no competencies",
        ));
    }
    progress.finish();
    Ok(Catalogue {
        id: options.id.clone(),
        name: options.name.clone(),
        title: None,
        version: options.version.clone(),
        publisher: None,
        issued: None,
        licence: options.licence.clone(),
        attribution: options.attribution.clone(),
        url: options.url.clone(),
        notes: Vec::new(),
        competencies,
        reference_roles: Vec::new(),
    })
}

/// A competency kind as people write it.
pub(crate) fn parse_kind(text: &str) -> Option<CompetencyKind> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "general" | "core" | "transversal" => CompetencyKind::General,
        "technical" | "functional" => CompetencyKind::Technical,
        "knowledge" => CompetencyKind::Knowledge,
        "skill" | "skill/competence" | "competence" => CompetencyKind::Skill,
        "ability" => CompetencyKind::Ability,
        "unspecified" => CompetencyKind::Unspecified,
        _ => return None,
    })
}
