//! Framework files: reading and writing a whole framework as TOML or JSON text, and finding
//! the line of any field so that every problem can be reported as `file:line:column`.
//! Works on strings; the caller reads and writes files.

use std::fmt;

use serde::Serialize;

use crate::framework::Framework;
use crate::path::{FieldPath, Segment};
use crate::validate;

/// The two framework file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// TOML (the readable default, `.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl FileFormat {
    /// The format a file name's extension implies (`.toml` or `.json`).
    pub fn from_file_name(name: &str) -> Option<FileFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".toml") {
            Some(FileFormat::Toml)
        } else if lower.ends_with(".json") {
            Some(FileFormat::Json)
        } else {
            None
        }
    }

    /// The format of `text`, guessed from its first non-blank character.
    pub fn sniff(text: &str) -> FileFormat {
        match text.trim_start().chars().next() {
            Some('{') => FileFormat::Json,
            _ => FileFormat::Toml,
        }
    }
}

/// One problem in a framework file, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// Stable code: `syntax` for unreadable text, otherwise the validation code.
    pub code: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field at fault (`competencies[2].levels[0].level`), when known.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Why a framework file could not be used: every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    /// The problems, in document order.
    pub problems: Vec<FileProblem>,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Why a framework could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The TOML writer refused the value.
    #[error("could not write TOML: {0}")]
    Toml(#[from] toml::ser::Error),
    /// The JSON writer refused the value.
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Parses `text` as a framework without checking validity (only syntax and field types).
pub fn parse_framework(text: &str, format: FileFormat) -> Result<Framework, FileProblem> {
    match format {
        FileFormat::Toml => {
            let deserializer =
                toml::Deserializer::parse(text).map_err(|e| toml_problem(text, &e, None))?;
            serde_path_to_error::deserialize(deserializer).map_err(|e| {
                let field = field_of(e.path());
                toml_problem(text, e.inner(), field)
            })
        }
        FileFormat::Json => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let result: Result<Framework, _> = serde_path_to_error::deserialize(&mut deserializer);
            let framework = result.map_err(|e| {
                let field = field_of(e.path());
                let inner = e.inner();
                FileProblem {
                    code: "syntax".into(),
                    line: Some(inner.line()),
                    column: Some(inner.column()),
                    field,
                    message: strip_position(&inner.to_string()),
                }
            })?;
            deserializer.end().map_err(|e| FileProblem {
                code: "syntax".into(),
                line: Some(e.line()),
                column: Some(e.column()),
                field: None,
                message: strip_position(&e.to_string()),
            })?;
            Ok(framework)
        }
    }
}

/// Parses and validates `text`: a framework that can be used, or every problem with its line.
pub fn read_framework(text: &str, format: FileFormat) -> Result<Framework, ReadError> {
    let framework = parse_framework(text, format).map_err(|p| ReadError { problems: vec![p] })?;
    let errors = validate::problems(&framework);
    if errors.is_empty() {
        return Ok(framework);
    }
    let problems = errors
        .into_iter()
        .map(|e| {
            let (line, column) = locate(text, format, &e.path).unzip();
            FileProblem {
                code: e.code.to_string(),
                line,
                column,
                field: (!e.path.is_root()).then(|| e.path.to_string()),
                message: e.message,
            }
        })
        .collect();
    Err(ReadError { problems })
}

/// Writes `framework` in `format`. TOML and JSON both round-trip losslessly.
pub fn write_framework(framework: &Framework, format: FileFormat) -> Result<String, WriteError> {
    Ok(match format {
        FileFormat::Toml => toml::to_string_pretty(framework)?,
        FileFormat::Json => {
            let mut text = serde_json::to_string_pretty(framework)?;
            text.push('\n');
            text
        }
    })
}

/// The 1-based line and column where the value at `path` starts in `text`; for a path that
/// goes deeper than the text (a missing field), the deepest existing ancestor.
pub fn locate(text: &str, format: FileFormat, path: &FieldPath) -> Option<(usize, usize)> {
    let offset = match format {
        FileFormat::Toml => locate_toml(text, path)?,
        FileFormat::Json => json_locator::locate(text, path)?,
    };
    Some(line_column(text, offset))
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn field_of(path: &serde_path_to_error::Path) -> Option<String> {
    let text = path.to_string();
    (text != "." && !text.is_empty()).then_some(text)
}

fn toml_problem(text: &str, error: &toml::de::Error, field: Option<String>) -> FileProblem {
    let (line, column) = error.span().map(|s| line_column(text, s.start)).unzip();
    FileProblem {
        code: "syntax".into(),
        line,
        column,
        field,
        message: error.message().trim().to_string(),
    }
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn locate_toml(text: &str, path: &FieldPath) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut best = 0usize;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for segment in &path.0 {
        let next: &toml::Spanned<DeValue<'_>> = match (segment, table, array) {
            (Segment::Key(key), Some(t), _) => {
                let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == key.as_str())
                else {
                    return Some(best);
                };
                best = k.span().start;
                v
            }
            (Segment::Index(i), _, Some(items)) => match items.get(*i) {
                Some(item) => item,
                None => return Some(best),
            },
            _ => return Some(best),
        };
        // Arrays of tables report the table body; the key's position is more useful for
        // scalars, the body's for tables.
        match next.get_ref() {
            DeValue::Table(t) => {
                if matches!(segment, Segment::Index(_)) {
                    best = next.span().start;
                }
                table = Some(t);
                array = None;
            }
            DeValue::Array(items) => {
                table = None;
                array = Some(items);
            }
            _ => {
                if matches!(segment, Segment::Index(_)) {
                    best = next.span().start;
                }
                table = None;
                array = None;
            }
        }
    }
    Some(best)
}

/// A minimal JSON scanner that records where each value starts, walking only the requested
/// path (serde_json does not expose value positions).
mod json_locator {
    use crate::path::{FieldPath, Segment};

    pub fn locate(text: &str, path: &FieldPath) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut pos = skip_ws(bytes, 0);
        let mut best = pos;
        for segment in &path.0 {
            match (segment, bytes.get(pos)) {
                (Segment::Key(key), Some(b'{')) => {
                    let Some((key_pos, value_pos)) = find_key(bytes, pos, key) else {
                        return Some(best);
                    };
                    best = key_pos;
                    pos = value_pos;
                }
                (Segment::Index(index), Some(b'[')) => {
                    let Some(item) = find_index(bytes, pos, *index) else {
                        return Some(best);
                    };
                    pos = item;
                    best = pos;
                }
                _ => return Some(best),
            }
        }
        Some(best)
    }

    fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        pos
    }

    /// Position just after the string starting at `pos` (which is a quote).
    fn skip_string(bytes: &[u8], mut pos: usize) -> Option<usize> {
        pos += 1;
        while pos < bytes.len() {
            match bytes[pos] {
                b'\\' => pos += 2,
                b'"' => return Some(pos + 1),
                _ => pos += 1,
            }
        }
        None
    }

    /// Position just after the value starting at `pos`.
    fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
        match bytes.get(pos)? {
            b'"' => skip_string(bytes, pos),
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut p = pos;
                while p < bytes.len() {
                    match bytes[p] {
                        b'"' => {
                            p = skip_string(bytes, p)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(p + 1);
                            }
                        }
                        _ => {}
                    }
                    p += 1;
                }
                None
            }
            _ => {
                let mut p = pos;
                while p < bytes.len()
                    && !matches!(bytes[p], b',' | b'}' | b']')
                    && !bytes[p].is_ascii_whitespace()
                {
                    p += 1;
                }
                Some(p)
            }
        }
    }

    fn find_key(bytes: &[u8], object: usize, key: &str) -> Option<(usize, usize)> {
        let mut pos = skip_ws(bytes, object + 1);
        while bytes.get(pos) == Some(&b'"') {
            let key_start = pos;
            let key_end = skip_string(bytes, pos)?;
            let raw = std::str::from_utf8(&bytes[key_start + 1..key_end - 1]).ok()?;
            pos = skip_ws(bytes, key_end);
            if bytes.get(pos) != Some(&b':') {
                return None;
            }
            let value = skip_ws(bytes, pos + 1);
            if raw == key {
                return Some((key_start, value));
            }
            pos = skip_ws(bytes, skip_value(bytes, value)?);
            if bytes.get(pos) == Some(&b',') {
                pos = skip_ws(bytes, pos + 1);
            }
        }
        None
    }

    fn find_index(bytes: &[u8], array: usize, index: usize) -> Option<usize> {
        let mut pos = skip_ws(bytes, array + 1);
        for _ in 0..index {
            if bytes.get(pos) == Some(&b']') {
                return None;
            }
            pos = skip_ws(bytes, skip_value(bytes, pos)?);
            if bytes.get(pos) == Some(&b',') {
                pos = skip_ws(bytes, pos + 1);
            }
        }
        (bytes.get(pos) != Some(&b']')).then_some(pos)
    }
}

/// The JSON Schema (draft 2020-12) of framework files, as published in
/// `schema/framework.schema.json`.
pub fn framework_json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Framework)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "$id".into(),
            serde_json::Value::String(
                "https://framewright.dev/schema/framework.schema.json".into(),
            ),
        );
        object.insert(
            "description".into(),
            serde_json::Value::String(
                "A Framewright competency framework file (format framewright/1), in TOML or JSON."
                    .into(),
            ),
        );
    }
    schema
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    const TEXT: &str = "format = \"x\"\n\n[[competencies]]\nid = \"a\"\n\n[[competencies]]\nid = \"b\"\nname = \"B\"\n";

    #[test]
    fn missing_fields_point_at_their_nearest_parent() {
        let path = FieldPath::root().item("competencies", 1).key("definition");
        assert_eq!(locate(TEXT, FileFormat::Toml, &path), Some((6, 1)));
        let path = FieldPath::root().item("competencies", 1).key("name");
        assert_eq!(locate(TEXT, FileFormat::Toml, &path), Some((8, 1)));
    }
}
