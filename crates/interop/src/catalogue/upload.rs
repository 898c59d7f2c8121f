//! Catalogue imports from uploaded bytes (the server's `POST /api/v1/catalogues/import/{format}`):
//! the same importers as `framewright import`, fed from a request body instead of a path.
//!
//! Single-file formats (NICE JSON, CSV, XLSX, a CASE package, an ESCO skills file) are the body
//! itself. Multi-file releases (ESCO, O*NET) come as a **zip** of the release as downloaded
//! (files may sit in a folder inside the zip; only their names count). The bytes are written to
//! a private temporary folder that is removed afterwards, whatever happens, and every error
//! names the file as it is called in the upload (`skills_en.csv`, `Skills.txt`), never the
//! temporary folder. Nothing is stored here: the caller stores the catalogue only when the
//! whole import succeeded.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use framewright_model::{Catalogue, Competency};

use super::esco::{self, EscoOptions};
use super::nice::{self, NiceOptions};
use super::onet::{self, OnetOptions};
use super::sfia::{self, SfiaOptions};
use super::spreadsheet::{self, CatalogueOptions, Spreadsheet};
use super::{ImportError, Imported, Location, NoProgress};
use crate::library::LOCAL_FILE_LICENCE;

/// The formats a catalogue can be uploaded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadFormat {
    /// An ESCO CSV release as a zip, or its skills CSV alone.
    Esco,
    /// An O*NET text release as a zip.
    Onet,
    /// The NICE Framework Components JSON.
    Nice,
    /// A catalogue CSV (`id,name,alt_labels,definition`).
    Csv,
    /// A catalogue workbook.
    Xlsx,
    /// A CASE 1.0 or 1.1 package: its competencies become the catalogue.
    Case,
    /// A licensee's SFIA file (XLSX or CSV); the licence must be stated.
    Sfia,
}

impl std::str::FromStr for UploadFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<UploadFormat, String> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "esco" => UploadFormat::Esco,
            "onet" => UploadFormat::Onet,
            "nice" => UploadFormat::Nice,
            "csv" => UploadFormat::Csv,
            "xlsx" => UploadFormat::Xlsx,
            "case" => UploadFormat::Case,
            "sfia" => UploadFormat::Sfia,
            other => {
                return Err(format!(
                    "`{other}` is not a catalogue format; use esco, onet, nice, csv, xlsx, case or sfia"
                ));
            }
        })
    }
}

/// What the upload says nothing about (the user states it).
#[derive(Debug, Clone, Default)]
pub struct UploadOptions {
    /// The catalogue id.
    pub id: String,
    /// Name for people (default: the id, or the source's own name).
    pub title: Option<String>,
    /// Licence or terms of use (required for SFIA; recorded as "not stated" for spreadsheets
    /// without it; ESCO, O*NET and NICE carry their own).
    pub licence: Option<String>,
    /// Attribution text exports must carry (spreadsheets).
    pub attribution: Option<String>,
    /// The release (`v1.2.0`, `30.1`).
    pub release: Option<String>,
    /// ESCO: the language of the files when the zip holds several.
    pub language: Option<String>,
    /// What the upload may unpack to and hold.
    pub limits: framewright_model::Limits,
}

/// Why an upload could not be imported. Nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// The importer refused the content (with its place when known).
    #[error(transparent)]
    Import(#[from] ImportError),
    /// A CASE package could not be read.
    #[error(transparent)]
    Case(#[from] crate::framework::case::import::CaseImportError),
    /// The upload is of the wrong kind (not a zip, a framework sheet, no licence, …).
    #[error("{0}")]
    Refused(String),
    /// The server could not use its temporary folder.
    #[error("the upload could not be unpacked on the server: {0}")]
    Server(String),
}

impl UploadError {
    /// Where in the upload the problem is, when known.
    pub fn location(&self) -> Option<Location> {
        match self {
            UploadError::Import(e) => e.location().cloned(),
            UploadError::Case(e) => Some(Location {
                file: e.file.clone(),
                sheet: None,
                line: e.line.map(|l| l as u64),
                column: e.column.map(|c| c.to_string()),
            }),
            _ => None,
        }
    }

    /// The problem's own message, without the place.
    pub fn message(&self) -> String {
        match self {
            UploadError::Import(ImportError::At { message, .. }) => message.clone(),
            UploadError::Case(e) => e.message.clone(),
            other => other.to_string(),
        }
    }
}

/// A temporary folder removed when dropped.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new() -> Result<TempDir, UploadError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!(
            "framewright-upload-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path).map_err(|e| UploadError::Server(e.to_string()))?;
        Ok(TempDir(path))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, UploadError> {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).map_err(|e| UploadError::Server(e.to_string()))?;
        Ok(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Unpacks a zip into `dir`, flat (folders inside the zip are ignored, only file names count).
pub(crate) fn unzip(
    bytes: &[u8],
    dir: &TempDir,
    file: &str,
    limits: &framewright_model::Limits,
) -> Result<usize, UploadError> {
    if !bytes.starts_with(b"PK") {
        return Err(UploadError::Refused(
            "send the release as a zip file (the download as it comes, or its files zipped together)".into(),
        ));
    }
    let max_unpacked = limits.max_unpacked_bytes;
    crate::archive::check_zip(bytes, file, "max_unpacked_bytes", max_unpacked, limits)?;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| UploadError::Refused(format!("the zip file cannot be read: {e}")))?;
    let mut total = 0u64;
    let mut count = 0;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| UploadError::Refused(format!("the zip file cannot be read: {e}")))?;
        if entry.is_dir() {
            continue;
        }
        let Some(name) = entry
            .enclosed_name()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        else {
            continue;
        };
        let lower = name.to_ascii_lowercase();
        let wanted = [".csv", ".txt", ".json", ".xlsx"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        if !wanted || name.starts_with('.') {
            continue;
        }
        let path = dir.0.join(&name);
        if path.exists() {
            return Err(UploadError::Refused(format!(
                "the zip holds two files named `{name}`; keep one release per zip"
            )));
        }
        let limit = max_unpacked.saturating_sub(total);
        let mut out =
            std::fs::File::create(&path).map_err(|e| UploadError::Server(e.to_string()))?;
        // Copied a piece at a time: a large file in the release is never held whole.
        let written = std::io::copy(&mut (&mut entry).take(limit.saturating_add(1)), &mut out)
            .map_err(|e| {
                UploadError::Refused(format!("`{name}` in the zip cannot be read: {e}"))
            })?;
        total += written;
        if total > max_unpacked {
            return Err(UploadError::Import(ImportError::Limit {
                file: file.to_string(),
                exceeded: framewright_model::LimitExceeded::new(
                    "max_unpacked_bytes",
                    max_unpacked,
                    format!(
                        "the file unpacks to more than {}, more than this program accepts",
                        framewright_model::limits::bytes_for_people(max_unpacked)
                    ),
                ),
            }));
        }
        count += 1;
    }
    Ok(count)
}

/// Error places named relative to the upload, not the temporary folder.
pub(crate) fn relative(error: ImportError, dir: &Path, upload_name: &str) -> ImportError {
    let strip = |text: &str| -> String {
        let prefix = dir.display().to_string();
        match text.strip_prefix(&prefix) {
            Some(rest) => {
                let rest = rest.trim_start_matches(['/', '\\']);
                if rest.is_empty() {
                    upload_name.to_string()
                } else {
                    rest.to_string()
                }
            }
            None => text.to_string(),
        }
    };
    match error {
        ImportError::At { mut at, message } => {
            at.file = strip(&at.file);
            ImportError::At { at, message }
        }
        ImportError::MissingFile { path, message } => ImportError::MissingFile {
            path: PathBuf::from(strip(&path.display().to_string())),
            message: message.replace("--language", "the `language` parameter"),
        },
        ImportError::Io { path, source } => ImportError::Io {
            path: PathBuf::from(strip(&path.display().to_string())),
            source,
        },
        ImportError::Limit { file, exceeded } => ImportError::Limit {
            file: strip(&file),
            exceeded,
        },
    }
}

/// Imports an uploaded catalogue. `file_name` is how errors name a single-file upload.
pub fn import_upload(
    format: UploadFormat,
    bytes: &[u8],
    file_name: &str,
    options: &UploadOptions,
) -> Result<Imported, UploadError> {
    let dir = TempDir::new()?;
    let mut progress = NoProgress;
    let fix = |e: ImportError| UploadError::Import(relative(e, &dir.0, file_name));
    match format {
        UploadFormat::Esco => {
            let esco_options = EscoOptions {
                id: options.id.clone(),
                version: options.release.clone(),
                language: options.language.clone(),
            };
            let path = if bytes.starts_with(b"PK") {
                unzip(bytes, &dir, file_name, &options.limits)?;
                dir.0.clone()
            } else {
                dir.write(file_name, bytes)?
            };
            esco::import(&path, &esco_options, &mut progress).map_err(fix)
        }
        UploadFormat::Onet => {
            unzip(bytes, &dir, file_name, &options.limits)?;
            let onet_options = OnetOptions {
                id: options.id.clone(),
                version: options.release.clone(),
            };
            onet::import(&dir.0, &onet_options, &mut progress).map_err(fix)
        }
        UploadFormat::Nice => {
            let path = dir.write(file_name, bytes)?;
            nice::import(
                &path,
                &NiceOptions {
                    id: options.id.clone(),
                },
                &mut progress,
            )
            .map_err(fix)
        }
        UploadFormat::Sfia => {
            let licence = options
                .licence
                .clone()
                .filter(|l| !l.trim().is_empty())
                .ok_or_else(|| {
                    UploadError::Refused(
                        "SFIA is licensed content: state the licence you use it under in the `licence` parameter".into(),
                    )
                })?;
            let name = if bytes.starts_with(b"PK") {
                "sfia.xlsx"
            } else {
                "sfia.csv"
            };
            let path = dir.write(name, bytes)?;
            let sfia_options = SfiaOptions {
                id: options.id.clone(),
                licence,
                version: options.release.clone(),
                limits: options.limits,
            };
            sfia::import(&path, &sfia_options, &mut progress).map_err(fix)
        }
        UploadFormat::Csv | UploadFormat::Xlsx => {
            let path = dir.write(file_name, bytes)?;
            let sheet_options = CatalogueOptions {
                id: options.id.clone(),
                name: options.title.clone().unwrap_or_else(|| options.id.clone()),
                licence: options
                    .licence
                    .clone()
                    .unwrap_or_else(|| LOCAL_FILE_LICENCE.to_string()),
                attribution: options.attribution.clone(),
                version: options.release.clone(),
                url: None,
                limits: options.limits,
            };
            let read = if format == UploadFormat::Xlsx {
                spreadsheet::read_xlsx(&path, &sheet_options, &mut progress)
            } else {
                spreadsheet::read_csv(&path, &sheet_options, &mut progress)
            }
            .map_err(fix)?;
            match read {
                Spreadsheet::Catalogue(catalogue) => {
                    let mut warnings = Vec::new();
                    if options.licence.is_none() {
                        warnings.push("no licence given: the catalogue's licence is recorded as not stated; import again with `licence` to record it".to_string());
                    }
                    Ok(Imported {
                        catalogue: *catalogue,
                        warnings,
                    })
                }
                Spreadsheet::Framework(..) => Err(UploadError::Refused(
                    "this is a framework spreadsheet, not a list of competencies; create a framework from it instead (or use the catalogue template: id, name, alt_labels, definition)".into(),
                )),
            }
        }
        UploadFormat::Case => case_catalogue(bytes, file_name, options),
    }
}

/// A CASE package's competencies as a catalogue.
fn case_catalogue(
    bytes: &[u8],
    file_name: &str,
    options: &UploadOptions,
) -> Result<Imported, UploadError> {
    let text = super::utf8(bytes, file_name)?;
    let scale = framewright_catalog::opm_five_level()
        .map_err(|e| UploadError::Server(format!("the built-in scale is damaged: {e}")))?;
    let imported = crate::framework::case::import_case(text, file_name, &scale)?;
    let framework = imported.framework;
    let competencies = framework
        .competencies
        .iter()
        .map(|c| {
            let mut competency = Competency::new(c.id.clone(), c.name.clone(), c.kind);
            competency.definition = c.definition.clone();
            competency.alt_labels = c.alt_labels.clone();
            competency.notes = c.notes.clone();
            competency.grades = c.grades.clone();
            competency.importance_rank = c.importance_rank;
            competency
        })
        .collect();
    let attribution = framework
        .sources
        .iter()
        .filter_map(|s| s.attribution.clone())
        .collect::<Vec<_>>();
    let catalogue = Catalogue {
        id: options.id.clone(),
        name: options
            .title
            .clone()
            .unwrap_or_else(|| framework.title.clone()),
        title: Some(framework.title.clone()),
        version: options
            .release
            .clone()
            .or_else(|| Some(framework.version.to_string())),
        publisher: framework.owner.clone(),
        issued: None,
        licence: options
            .licence
            .clone()
            .or_else(|| framework.licence.clone())
            .unwrap_or_else(|| LOCAL_FILE_LICENCE.to_string()),
        attribution: options
            .attribution
            .clone()
            .or_else(|| (!attribution.is_empty()).then(|| attribution.join(" "))),
        url: None,
        notes: Vec::new(),
        competencies,
        reference_roles: Vec::new(),
    };
    let warnings = imported
        .report
        .to_string()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    Ok(Imported {
        catalogue,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::io::Write;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            out.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    fn options() -> UploadOptions {
        UploadOptions {
            id: "test".into(),
            limits: framewright_model::Limits {
                max_unpacked_bytes: 1_000_000,
                ..framewright_model::Limits::default()
            },
            ..UploadOptions::default()
        }
    }

    #[test]
    fn zip_entries_are_flattened_and_never_escape_the_folder() {
        let dir = TempDir::new().unwrap();
        let bytes = zip_of(&[
            ("release/skills_en.csv", b"a"),
            ("../../escaped.csv", b"b"),
            ("/absolute.csv", b"c"),
            ("release/readme.pdf", b"d"),
        ]);
        let limits = framewright_model::Limits {
            max_unpacked_bytes: 1_000,
            ..framewright_model::Limits::default()
        };
        let count = unzip(&bytes, &dir, "a.zip", &limits).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&dir.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert!(names.contains(&"skills_en.csv".to_string()), "{names:?}");
        assert!(!names.iter().any(|n| n.ends_with(".pdf")));
        assert_eq!(count, names.len());
        assert!(!dir.0.parent().unwrap().join("escaped.csv").exists());
        let path = dir.0.clone();
        drop(dir);
        assert!(!path.exists(), "the temporary folder is removed");
    }

    #[test]
    fn two_files_of_one_name_and_non_zips_are_refused() {
        let twice = zip_of(&[("a/Skills.txt", b"x"), ("b/Skills.txt", b"y")]);
        let e = import_upload(UploadFormat::Onet, &twice, "onet.zip", &options()).unwrap_err();
        assert!(
            e.to_string().contains("two files named `Skills.txt`"),
            "{e}"
        );
        let e =
            import_upload(UploadFormat::Onet, b"not a zip", "onet.zip", &options()).unwrap_err();
        assert!(e.to_string().contains("zip"), "{e}");
        let e =
            import_upload(UploadFormat::Sfia, b"code,skill\n", "sfia.csv", &options()).unwrap_err();
        assert!(e.to_string().contains("licence"), "{e}");
    }

    #[test]
    fn errors_name_the_uploaded_file_not_the_temporary_folder() {
        let csv = b"id,name\na,A\na,Again\n";
        let e = import_upload(UploadFormat::Csv, csv, "ours.csv", &options()).unwrap_err();
        let at = e.location().unwrap();
        assert_eq!(at.file, "ours.csv");
        assert_eq!(at.line, Some(3));
        assert!(!e.to_string().contains("framewright-upload"), "{e}");
        let zip = zip_of(&[("x/occupations_en.csv", b"conceptUri\n")]);
        let e = import_upload(UploadFormat::Esco, &zip, "esco.csv", &options()).unwrap_err();
        assert!(!e.to_string().contains("framewright-upload"), "{e}");
        assert!(e.to_string().contains("skills"), "{e}");
    }
}
