//! SFIA (Skills Framework for the Information Age) from a licensee's own file.
//!
//! SFIA is owned by the SFIA Foundation and is not free to redistribute: Framewright ships no
//! SFIA content. Organisations that hold a licence (or use SFIA within its free terms) can import
//! the spreadsheet they downloaded — XLSX or CSV, one row per skill — stating the licence they
//! use it under. Columns are found by their names: `Code`, `Skill` (or `Name`), `Category`,
//! `Subcategory`, `Overall description` (or `Description`), `Guidance notes`, and
//! `Level 1 description` … `Level 7 description` (or `Level 1` … `Level 7`).
//!
//! Each skill becomes a competency (id = code, kind skill, definition = overall description);
//! its category and level descriptions are kept as a source note on the competency. The
//! catalogue records the licence statement and marks the content as not redistributable.

use std::collections::HashMap;
use std::path::Path;

use calamine::Reader as _;
use framewright_model::{Catalogue, Competency, CompetencyKind, SourceNote};

use super::{ImportError, Imported, Progress, display, read_file};
use crate::framework::workbook::xlsx::cell_text;
use crate::table::text::{Quoting, TextTable};

/// Choices for an SFIA import.
#[derive(Debug, Clone)]
pub struct SfiaOptions {
    /// Catalogue id (the library name), `sfia` by default.
    pub id: String,
    /// The licence under which the importer uses SFIA (required, in the user's words).
    pub licence: String,
    /// The SFIA version (`9`).
    pub version: Option<String>,
    /// What a workbook may unpack to and hold.
    pub limits: framewright_model::Limits,
}

const CODE: &[&str] = &["code", "skill code"];
const NAME: &[&str] = &["skill", "name", "skill name"];
const DESCRIPTION: &[&str] = &["overall description", "description", "skill description"];

/// The rows of the skills table, the sheet they came from (XLSX) and the header (lowercase).
type Rows = (Vec<Row>, Option<String>, Vec<String>);

/// One row as column name (lowercase) → text, with its line or row.
struct Row {
    line: u64,
    cells: HashMap<String, String>,
}

fn first<'a>(row: &'a Row, names: &[&str]) -> Option<&'a str> {
    names
        .iter()
        .find_map(|n| row.cells.get(*n))
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
}

/// Imports a licensee's SFIA file (`.xlsx` or `.csv`).
pub fn import(
    path: &Path,
    options: &SfiaOptions,
    progress: &mut dyn Progress,
) -> Result<Imported, ImportError> {
    let file = display(path);
    if options.licence.trim().is_empty() {
        return Err(ImportError::at(
            &file,
            None,
            None,
            "SFIA is licensed content: state the licence you use it under (--licence), for example \"SFIA Foundation corporate licence 2026, Acme Ltd\"",
        ));
    }
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let (rows, sheet, header) = if is_xlsx {
        read_xlsx(path, &file, &options.limits, progress)?
    } else {
        read_csv(path, progress)?
    };
    let error = |line: Option<u64>, column: &str, message: String| -> ImportError {
        match &sheet {
            Some(s) => ImportError::in_sheet(&file, s, line, Some(column), message),
            None => ImportError::at(&file, line, Some(column), message),
        }
    };
    for (what, names) in [("code", CODE), ("skill name", NAME)] {
        if !names.iter().any(|n| header.iter().any(|h| h == n)) {
            return Err(error(
                Some(1),
                names[0],
                format!(
                    "the header has no {what} column ({}); found: {}. Is this the SFIA skills spreadsheet?",
                    names.join(" or "),
                    header.join(", ")
                ),
            ));
        }
    }
    let mut competencies = Vec::new();
    let mut notes = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in &rows {
        if row.cells.values().all(|v| v.trim().is_empty()) {
            continue;
        }
        let code = first(row, CODE)
            .ok_or_else(|| error(Some(row.line), CODE[0], "the skill code is empty".into()))?
            .to_string();
        let name = first(row, NAME)
            .ok_or_else(|| {
                error(
                    Some(row.line),
                    NAME[0],
                    format!("skill `{code}` has no name"),
                )
            })?
            .to_string();
        if let Some(line) = seen.insert(code.clone(), row.line) {
            return Err(error(
                Some(row.line),
                CODE[0],
                format!(
                    "skill code `{code}` appears twice (first on {} {line})",
                    if sheet.is_some() { "row" } else { "line" }
                ),
            ));
        }
        let mut competency = Competency::new(code.clone(), name.clone(), CompetencyKind::Skill);
        competency.definition = first(row, DESCRIPTION).map(str::to_string);
        let mut parts = Vec::new();
        match (
            first(row, &["category"]),
            first(row, &["subcategory", "sub-category"]),
        ) {
            (Some(c), Some(s)) => parts.push(format!("Category: {c} / {s}.")),
            (Some(c), None) => parts.push(format!("Category: {c}.")),
            _ => {}
        }
        if let Some(guidance) = first(row, &["guidance notes", "guidance"]) {
            parts.push(format!("Guidance notes: {guidance}"));
        }
        for level in 1..=7 {
            let names = [
                format!("level {level} description"),
                format!("level {level}"),
            ];
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            if let Some(text) = first(row, &names) {
                parts.push(format!("Level {level}: {text}"));
            }
        }
        if !parts.is_empty() {
            let id = format!("{code}-sfia");
            competency.notes.push(id.clone());
            notes.push(SourceNote {
                id,
                text: format!("SFIA skill {name} ({code}). {}", parts.join("\n\n")),
                competencies: vec![code.clone()],
            });
        }
        competencies.push(competency);
    }
    if competencies.is_empty() {
        return Err(error(
            None,
            CODE[0],
            "the file has a header but no skills".into(),
        ));
    }
    progress.finish();
    let licence = format!(
        "SFIA® is owned by the SFIA Foundation and is licensed, not free to redistribute. Imported from a licensee's own copy, used under: {}. Do not share this catalogue, or frameworks that contain its text, outside the terms of that licence.",
        options.licence.trim()
    );
    Ok(Imported {
        catalogue: Catalogue {
            id: options.id.clone(),
            name: "SFIA (Skills Framework for the Information Age)".into(),
            title: None,
            version: options.version.clone(),
            publisher: Some("SFIA Foundation".into()),
            issued: None,
            licence,
            attribution: Some(format!(
                "SFIA® © SFIA Foundation (https://sfia-online.org). Used under licence: {}.",
                options.licence.trim()
            )),
            url: Some("https://sfia-online.org".into()),
            notes,
            competencies,
            reference_roles: Vec::new(),
        },
        warnings: vec!["SFIA content is licensed: keep this catalogue within your organisation and its licence terms".into()],
    })
}

fn read_csv(path: &Path, progress: &mut dyn Progress) -> Result<Rows, ImportError> {
    let mut table = TextTable::open(path, b',', Quoting::Csv, progress, "skills")?;
    let header = table.header_lowercase();
    let mut rows = Vec::new();
    while let Some(record) = table.next(progress)? {
        let mut cells = HashMap::new();
        for name in &header {
            if let Some(value) = record.get(name) {
                cells.insert(name.clone(), value.to_string());
            }
        }
        rows.push(Row {
            line: record.line,
            cells,
        });
    }
    Ok((rows, None, header))
}

fn read_xlsx(
    path: &Path,
    file: &str,
    limits: &framewright_model::Limits,
    progress: &mut dyn Progress,
) -> Result<Rows, ImportError> {
    let bytes = read_file(path)?;
    let mut workbook = crate::archive::open_xlsx(&bytes, file, limits)?;
    let names = workbook.sheet_names();
    progress.stage("skills", Some(names.len() as u64));
    let mut fallback = None;
    for name in &names {
        let Some(range) = crate::archive::sheet_range(&mut workbook, file, name, limits)? else {
            continue;
        };
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut iter = range.rows();
        let Some(head) = iter.next() else {
            continue;
        };
        let mut header = Vec::new();
        for (c, cell) in head.iter().enumerate() {
            header.push(
                cell_text(
                    cell,
                    file,
                    name,
                    u64::from(first_row) + 1,
                    first_col as usize + c,
                )?
                .trim()
                .to_ascii_lowercase(),
            );
        }
        let usable = CODE.iter().any(|n| header.iter().any(|h| h == n))
            && NAME.iter().any(|n| header.iter().any(|h| h == n));
        if !usable {
            if fallback.is_none() {
                fallback = Some((name.clone(), header));
            }
            continue;
        }
        let mut rows = Vec::new();
        for (r, row) in iter.enumerate() {
            let line = u64::from(first_row) + r as u64 + 2;
            let mut cells = HashMap::new();
            for (c, cell) in row.iter().enumerate() {
                let text = cell_text(cell, file, name, line, first_col as usize + c)?;
                if let Some(h) = header.get(c) {
                    cells.insert(h.clone(), text);
                }
            }
            rows.push(Row { line, cells });
        }
        return Ok((rows, Some(name.clone()), header));
    }
    let (sheet, header) =
        fallback.unwrap_or_else(|| (names.first().cloned().unwrap_or_default(), Vec::new()));
    Ok((Vec::new(), Some(sheet), header))
}
