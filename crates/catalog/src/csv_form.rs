//! The generic catalogue CSV form: one competency per row, columns keyed on header names.
//!
//! Required columns: `id`, `name`. Optional: `alt_labels` (separated by `|` or line breaks),
//! `definition`, `kind` (general, technical, knowledge, skill, ability), `broader` (ids separated
//! the same way), `uri`. Other columns are ignored. The text must be UTF-8 (a byte-order mark is
//! allowed).
//!
//! The rows come from the one table reader ([`framewright_model::table`]): this module turns a
//! [`Row`] into a [`Competency`] ([`CompetencyRows`]) and is used for every source of the form —
//! CSV in memory here ([`parse_catalogue_csv`]), CSV files streamed with progress and the
//! `Competencies` sheet of a workbook in `framewright-interop` (which owns the files). Pure: no
//! file is opened here.

use std::collections::HashMap;

use framewright_model::table::{Row, TableError, TextTable};
use framewright_model::{Catalogue, Competency, CompetencyKind, Location};

/// A problem in a catalogue CSV file, with where it is (file, line, column).
pub type CsvCatalogueError = TableError;

/// Identity of a catalogue read from CSV.
#[derive(Debug, Clone)]
pub struct CsvCatalogueInfo {
    /// Short identifier (`esco`, `acme-skills`).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Licence or terms of use.
    pub licence: String,
    /// Attribution text exports must carry.
    pub attribution: Option<String>,
}

/// The columns the form requires.
pub const REQUIRED_COLUMNS: &[&str] = &["id", "name"];

/// Turns rows of the form into competencies, checking that ids are unique.
#[derive(Debug, Default)]
pub struct CompetencyRows {
    seen: HashMap<String, u64>,
    competencies: Vec<Competency>,
}

impl CompetencyRows {
    /// Reads one (non-blank) row.
    pub fn push(&mut self, row: &Row<'_>) -> Result<(), TableError> {
        let id = row.required("id")?.to_string();
        let name = row
            .get("name")
            .ok_or_else(|| row.error("name", format!("competency `{id}` has no name")))?
            .to_string();
        if let Some(first) = self.seen.insert(id.clone(), row.line) {
            let word = row.header().line_word();
            return Err(row.error(
                "id",
                format!("id `{id}` is used twice (first on {word} {first}); ids must be unique"),
            ));
        }
        let kind = match row.get("kind") {
            None => CompetencyKind::Unspecified,
            Some(k) => parse_kind(k).ok_or_else(|| {
                row.error(
                    "kind",
                    format!(
                        "kind `{k}` is not one of general, technical, knowledge, skill, ability"
                    ),
                )
            })?,
        };
        let mut competency = Competency::new(id, name, kind);
        competency.alt_labels = row.get("alt_labels").map(split_values).unwrap_or_default();
        competency.definition = row.get("definition").map(str::to_string);
        competency.broader = row.get("broader").map(split_values).unwrap_or_default();
        if let Some(uri) = row.get("uri")
            && !framewright_model::text::is_web_url(uri)
        {
            return Err(row.error(
                "uri",
                format!("`{uri}` is not a web address; give an address starting with https:// or http://, or leave the cell empty"),
            ));
        }
        competency.uri = row.get("uri").map(str::to_string);
        self.competencies.push(competency);
        Ok(())
    }

    /// The competencies read, or an error at `at` (the file or sheet) when there are none.
    pub fn finish(self, at: Location) -> Result<Vec<Competency>, TableError> {
        if self.competencies.is_empty() {
            let what = if at.sheet.is_some() { "sheet" } else { "file" };
            let line = if at.sheet.is_some() { "row" } else { "line" };
            return Err(TableError::new(
                at,
                format!("the {what} has a header {line} but no competencies"),
            ));
        }
        Ok(self.competencies)
    }
}

/// Reads a catalogue in the generic CSV form from `bytes`; `file` names it in errors.
/// Nothing is returned unless every row is valid.
pub fn parse_catalogue_csv(
    bytes: &[u8],
    file: &str,
    info: CsvCatalogueInfo,
) -> Result<Catalogue, CsvCatalogueError> {
    let mut table = TextTable::from_csv_bytes(file, bytes)?.restore_formulas();
    if table.header().names().iter().all(String::is_empty) {
        return Err(TableError::new(
            Location::at(file, Some(1), None),
            "the file is empty; the first line must name the columns (id,name,alt_labels,definition)",
        ));
    }
    table.header().require(REQUIRED_COLUMNS)?;
    let mut rows = CompetencyRows::default();
    while let Some(row) = table.next_row()? {
        rows.push(&row)?;
    }
    let competencies = rows.finish(Location::file(file))?;
    Ok(Catalogue {
        id: info.id,
        name: info.name,
        title: None,
        version: None,
        publisher: None,
        issued: None,
        licence: info.licence,
        attribution: info.attribution,
        url: None,
        notes: Vec::new(),
        competencies,
        reference_roles: Vec::new(),
    })
}

/// A competency kind as people write it.
pub fn parse_kind(text: &str) -> Option<CompetencyKind> {
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

/// Splits a multi-valued cell: one value per line (ESCO, workbooks) or separated by `|`.
pub fn split_values(cell: &str) -> Vec<String> {
    let separator = if cell.contains('\n') { '\n' } else { '|' };
    cell.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> CsvCatalogueInfo {
        CsvCatalogueInfo {
            id: "acme".into(),
            name: "Acme".into(),
            licence: "internal".into(),
            attribution: None,
        }
    }

    #[test]
    fn reads_the_generic_form_with_quoted_cells_and_labels() {
        let text = "\u{feff}id,name,alt_labels,definition\n\
                    ml,Machine learning,ML|statistical learning,\"Builds models, tests them.\"\n\
                    py,Python,,\n";
        let c = parse_catalogue_csv(text.as_bytes(), "acme.csv", info()).unwrap();
        assert_eq!(c.competencies.len(), 2);
        assert_eq!(c.competencies[0].alt_labels, ["ML", "statistical learning"]);
        assert_eq!(
            c.competencies[0].definition.as_deref(),
            Some("Builds models, tests them.")
        );
        assert_eq!(c.competencies[1].definition, None);
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let missing = parse_catalogue_csv(b"id,label\nx,y\n", "a.csv", info()).unwrap_err();
        assert_eq!(
            (missing.at.line, missing.at.column.as_deref()),
            (Some(1), Some("name"))
        );
        let duplicate =
            parse_catalogue_csv(b"id,name\nx,One\ny,Two\nx,Three\n", "a.csv", info()).unwrap_err();
        assert_eq!(
            (duplicate.at.line, duplicate.at.column.as_deref()),
            (Some(4), Some("id"))
        );
        assert!(
            duplicate.to_string().contains("first on line 2"),
            "{duplicate}"
        );
        let ragged =
            parse_catalogue_csv(b"id,name\nx,One\ny,Two,extra\n", "a.csv", info()).unwrap_err();
        assert_eq!(ragged.at.line, Some(3));
        let quote = parse_catalogue_csv(
            b"id,name,definition\nx,One,\"never closed\ny,Two,z\n",
            "a.csv",
            info(),
        )
        .unwrap_err();
        assert!(quote.at.line.is_some(), "{quote}");
        let latin1 = parse_catalogue_csv(b"id,name\nx,Caf\xe9\n", "a.csv", info()).unwrap_err();
        assert_eq!(
            (latin1.at.line, latin1.at.column.as_deref()),
            (Some(2), Some("name"))
        );
        let empty_name = parse_catalogue_csv(b"id,name\nx,\n", "a.csv", info()).unwrap_err();
        assert_eq!(empty_name.at.column.as_deref(), Some("name"));
    }
}
