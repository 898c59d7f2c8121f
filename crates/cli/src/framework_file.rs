//! Reading framework files for commands: the file's format from its extension (or content),
//! problems printed as `FILE:LINE:COLUMN`, and writing files atomically.

use std::path::Path;

use anyhow::{Context, Result};
use framewright_model::Framework;
use framewright_model::file::{self, FileFormat, FileProblem};

/// A framework file's text and format.
pub struct Source {
    pub name: String,
    pub text: String,
    pub format: FileFormat,
}

/// Reads `path` as text and works out its format.
pub fn read_source(path: &Path) -> Result<Source> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).with_context(|| format!("could not read {name}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = file::line_column(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            e.utf8_error().valid_up_to(),
        );
        anyhow::anyhow!("{name}:{line}:{column}: the file is not UTF-8 text; save it as UTF-8")
    })?;
    let format = FileFormat::from_file_name(&name).unwrap_or_else(|| FileFormat::sniff(&text));
    Ok(Source { name, text, format })
}

/// `FILE:LINE:COLUMN: message` for one problem.
pub fn describe(file_name: &str, problem: &FileProblem) -> String {
    let mut out = file_name.to_string();
    if let Some(line) = problem.line {
        out.push_str(&format!(":{line}"));
        if let Some(column) = problem.column {
            out.push_str(&format!(":{column}"));
        }
    }
    out.push_str(": error");
    if problem.code != "syntax" {
        out.push_str(&format!(" [{}]", problem.code));
    }
    if let Some(field) = &problem.field {
        out.push_str(&format!(" in `{field}`"));
    }
    out.push_str(&format!(": {}", problem.message));
    out
}

/// Parses and validates a framework file; every problem becomes one line of the error.
#[allow(dead_code)] // for the commands that read a framework and transform it (export, …)
pub fn read_framework(path: &Path) -> Result<Framework> {
    let source = read_source(path)?;
    file::read_framework(&source.text, source.format).map_err(|e| {
        let lines: Vec<String> = e
            .problems
            .iter()
            .map(|p| describe(&source.name, p))
            .collect();
        anyhow::anyhow!(
            "{} is not a valid framework file:\n{}",
            source.name,
            lines.join("\n")
        )
    })
}

/// Writes `bytes` to `path` so that a reader never sees half a file.
#[allow(dead_code)] // for the commands that write files (generate, export, …)
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_beside(path);
    std::fs::write(&temp, bytes).with_context(|| format!("could not write {}", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}

fn temp_beside(path: &Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    dir.join(format!(".{file_name}.{}.tmp", std::process::id()))
}

/// Writes `path` as [`write_atomically`] does, but streamed: `write` writes into a buffered
/// temporary file beside it, which replaces `path` only when everything was written (a failure
/// leaves `path` as it was and removes the temporary file).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    use std::io::Write as _;
    let temp = temp_beside(path);
    let written = (|| -> Result<()> {
        let file = std::fs::File::create(&temp)
            .with_context(|| format!("could not write {}", temp.display()))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        out.flush()
            .with_context(|| format!("could not write {}", temp.display()))?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    std::fs::rename(&temp, path).with_context(|| format!("could not write {}", path.display()))?;
    Ok(())
}
