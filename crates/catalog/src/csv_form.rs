//! The generic catalogue CSV form: one competency per row, columns keyed on header names.
//!
//! Required columns: `id`, `name`. Optional: `alt_labels` (separated by `|`), `definition`,
//! `kind` (general, technical, knowledge, skill, ability), `broader` (ids separated by `|`),
//! `uri`. Other columns are ignored. The text must be UTF-8 (a byte-order mark is allowed).

use std::collections::HashMap;
use std::fmt;

use framewright_model::{Catalogue, Competency, CompetencyKind};

/// A problem in a catalogue CSV file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CsvCatalogueError {
    /// The file (as the user named it).
    pub file: String,
    /// 1-based line of the problem, when known.
    pub line: Option<u64>,
    /// The column, when known.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CsvCatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column `{column}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

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

/// Reads a catalogue in the generic CSV form from `bytes`; `file` names it in errors.
/// Nothing is returned unless every row is valid.
pub fn parse_catalogue_csv(
    bytes: &[u8],
    file: &str,
    info: CsvCatalogueInfo,
) -> Result<Catalogue, CsvCatalogueError> {
    let error = |line: Option<u64>, column: Option<&str>, message: String| CsvCatalogueError {
        file: file.to_string(),
        line,
        column: column.map(str::to_string),
        message,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(line) = unclosed_quote(bytes) {
        return Err(error(
            Some(line),
            None,
            "a quoted cell that starts on this line is never closed; add the closing quote (\") or remove the opening one".into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = reader
        .byte_headers()
        .map_err(|e| error(Some(1), None, describe_csv_error(&e)))?
        .clone();
    if headers.is_empty() {
        return Err(error(Some(1), None, "the file is empty; the first line must name the columns (id,name,alt_labels,definition)".into()));
    }
    let mut columns: HashMap<String, usize> = HashMap::new();
    for (i, raw) in headers.iter().enumerate() {
        let name = std::str::from_utf8(raw)
            .map_err(|_| {
                error(
                    Some(1),
                    None,
                    "the header line is not UTF-8 text; save the file as UTF-8".into(),
                )
            })?
            .trim()
            .to_ascii_lowercase();
        columns.entry(name).or_insert(i);
    }
    for required in ["id", "name"] {
        if !columns.contains_key(required) {
            return Err(error(
                Some(1),
                Some(required),
                format!(
                    "the header line has no `{required}` column; the columns must include id and name (found: {})",
                    header_list(&headers)
                ),
            ));
        }
    }
    let get = |record: &csv::ByteRecord,
               line: u64,
               column: &str|
     -> Result<Option<String>, CsvCatalogueError> {
        let Some(&index) = columns.get(column) else {
            return Ok(None);
        };
        let raw = record.get(index).unwrap_or_default();
        let text = std::str::from_utf8(raw).map_err(|_| {
            error(
                Some(line),
                Some(column),
                "this cell is not UTF-8 text; save the file as UTF-8".into(),
            )
        })?;
        let trimmed = text.trim();
        Ok((!trimmed.is_empty()).then(|| trimmed.to_string()))
    };
    let split = |value: Option<String>| -> Vec<String> {
        value
            .map(|v| {
                v.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut competencies = Vec::new();
    let mut record = csv::ByteRecord::new();
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            let line = e.position().map(|p| p.line());
            error(line, None, describe_csv_error(&e))
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record
            .iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        let id = get(&record, line, "id")?.ok_or_else(|| {
            error(
                Some(line),
                Some("id"),
                "the id is empty; every competency needs an id".into(),
            )
        })?;
        let name = get(&record, line, "name")?.ok_or_else(|| {
            error(
                Some(line),
                Some("name"),
                format!("competency `{id}` has no name"),
            )
        })?;
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(error(
                Some(line),
                Some("id"),
                format!("id `{id}` is used twice (first on line {first}); ids must be unique"),
            ));
        }
        let kind = match get(&record, line, "kind")? {
            None => CompetencyKind::Unspecified,
            Some(k) => parse_kind(&k).ok_or_else(|| {
                error(
                    Some(line),
                    Some("kind"),
                    format!(
                        "kind `{k}` is not one of general, technical, knowledge, skill, ability"
                    ),
                )
            })?,
        };
        let mut competency = Competency::new(id, name, kind);
        competency.alt_labels = split(get(&record, line, "alt_labels")?);
        competency.definition = get(&record, line, "definition")?;
        competency.broader = split(get(&record, line, "broader")?);
        competency.uri = get(&record, line, "uri")?;
        competencies.push(competency);
    }
    if competencies.is_empty() {
        return Err(error(
            None,
            None,
            "the file has a header line but no competencies".into(),
        ));
    }
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

/// The line on which a quoted cell opens that is never closed, if any. The csv reader would
/// otherwise read the rest of the file into that one cell without complaint.
pub fn unclosed_quote(bytes: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut opened_on = 0u64;
    let mut in_quotes = false;
    let mut at_field_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && at_field_start {
            in_quotes = true;
            opened_on = line;
        }
        if b == b'\n' {
            line += 1;
        }
        at_field_start = !in_quotes && (b == b',' || b == b'\n' || b == b'\r');
        i += 1;
    }
    in_quotes.then_some(opened_on)
}

fn parse_kind(text: &str) -> Option<CompetencyKind> {
    Some(match text.to_ascii_lowercase().as_str() {
        "general" | "core" | "transversal" => CompetencyKind::General,
        "technical" | "functional" => CompetencyKind::Technical,
        "knowledge" => CompetencyKind::Knowledge,
        "skill" | "skill/competence" | "competence" => CompetencyKind::Skill,
        "ability" => CompetencyKind::Ability,
        "unspecified" => CompetencyKind::Unspecified,
        _ => return None,
    })
}

fn header_list(headers: &csv::ByteRecord) -> String {
    headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_csv_error(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "this row has {len} cells but the header has {expected_len}; check for a missing or extra comma, or a quote that is not closed"
        ),
        csv::ErrorKind::Utf8 { .. } => {
            "this line is not UTF-8 text; save the file as UTF-8".to_string()
        }
        _ => format!("the file could not be read as CSV: {error}"),
    }
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
            (missing.line, missing.column.as_deref()),
            (Some(1), Some("name"))
        );
        let duplicate =
            parse_catalogue_csv(b"id,name\nx,One\ny,Two\nx,Three\n", "a.csv", info()).unwrap_err();
        assert_eq!(
            (duplicate.line, duplicate.column.as_deref()),
            (Some(4), Some("id"))
        );
        assert!(
            duplicate.to_string().contains("first on line 2"),
            "{duplicate}"
        );
        let ragged =
            parse_catalogue_csv(b"id,name\nx,One\ny,Two,extra\n", "a.csv", info()).unwrap_err();
        assert_eq!(ragged.line, Some(3));
        let quote = parse_catalogue_csv(
            b"id,name,definition\nx,One,\"never closed\ny,Two,z\n",
            "a.csv",
            info(),
        )
        .unwrap_err();
        assert!(quote.line.is_some(), "{quote}");
        let latin1 = parse_catalogue_csv(b"id,name\nx,Caf\xe9\n", "a.csv", info()).unwrap_err();
        assert_eq!(
            (latin1.line, latin1.column.as_deref()),
            (Some(2), Some("name"))
        );
        let empty_name = parse_catalogue_csv(b"id,name\nx,\n", "a.csv", info()).unwrap_err();
        assert_eq!(empty_name.column.as_deref(), Some("name"));
    }
}
