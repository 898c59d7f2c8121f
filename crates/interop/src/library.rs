//! The catalogue library: a directory of imported catalogues, and the one place that turns a
//! `--catalog NAME|FILE` option into a [`Catalogue`].
//!
//! Layout: `<data dir>/catalogues/<name>.json`, one file per catalogue, each holding a whole
//! [`framewright_model::Catalogue`] (competencies and reference roles) as JSON. The data dir
//! defaults to `./framewright-data` and is overridden by the environment variable
//! `FRAMEWRIGHT_DATA_DIR` (the CLI's `--data-dir` option reads the same variable).
//!
//! Files are written atomically: the catalogue goes to a temporary file in the same directory,
//! which is flushed to disk and then renamed over the old file, so a reader never sees half a
//! catalogue and an interrupted import leaves the previous version in place.
//!
//! [`resolve`] looks a name up in this order: the built-in catalogues (`opm-ai-2024`, alias
//! `opm`), then the library, then the file system (`.json` catalogue, `.csv` in the generic
//! form `id,name,alt_labels,definition`, `.xlsx` catalogue workbook).

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use framewright_model::Catalogue;
use serde::Deserialize;

/// The environment variable that moves the data directory.
pub const DATA_DIR_ENV: &str = "FRAMEWRIGHT_DATA_DIR";

/// The data directory used when neither `--data-dir` nor `FRAMEWRIGHT_DATA_DIR` is given.
pub const DEFAULT_DATA_DIR: &str = "framewright-data";

/// The built-in catalogue of the OPM AI Competency Model.
pub const OPM_NAME: &str = framewright_catalog::opm::OPM_ID;

/// Short names that mean the OPM catalogue.
pub const OPM_ALIASES: &[&str] = &["opm"];

/// Why the library could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// No built-in catalogue, library catalogue or file has this name.
    #[error("{}", not_found_message(.name, .available))]
    NotFound {
        /// What was asked for.
        name: String,
        /// The names that exist (built-in first).
        available: Vec<String>,
    },
    /// The name cannot be used for a library catalogue.
    #[error(
        "`{name}` cannot be used as a catalogue name: {reason}. Use lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit (for example `esco` or `acme-skills`)"
    )]
    InvalidName {
        /// The name given.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The name belongs to a built-in catalogue.
    #[error(
        "`{name}` is the name of a built-in catalogue; choose another name for the imported one (for example with --into)"
    )]
    ReservedName {
        /// The name given.
        name: String,
    },
    /// A file or directory could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// A catalogue file is not a readable catalogue.
    #[error("{}, line {line}, column {column}: {message}", .path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A catalogue spreadsheet (CSV or XLSX) could not be read.
    #[error(transparent)]
    Spreadsheet(#[from] crate::catalogue::ImportError),
    /// The built-in data is damaged (a defect of the build).
    #[error(transparent)]
    BuiltIn(#[from] framewright_catalog::BuiltInDataError),
    /// The file's extension says nothing we can read.
    #[error(
        "{}: Framewright reads catalogues from .json (a saved catalogue), .csv (columns id,name,alt_labels,definition) and .xlsx files; import other formats first with `framewright import`",
        .path.display()
    )]
    UnknownFileType {
        /// The file.
        path: PathBuf,
    },
}

fn not_found_message(name: &str, available: &[String]) -> String {
    let mut text = format!("there is no catalogue called `{name}`");
    if available.is_empty() {
        text.push_str("; no catalogues are available");
    } else {
        text.push_str("; the catalogues available are: ");
        text.push_str(&available.join(", "));
    }
    text.push_str(". Give one of these names, or the path of a .json, .csv or .xlsx catalogue file; `framewright import` adds catalogues to the library");
    text
}

/// Where a catalogue came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into Framewright.
    BuiltIn,
    /// Imported into the library; the file that holds it.
    Library(PathBuf),
    /// Read from a file named on the command line.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::Library(path) => write!(f, "library ({})", path.display()),
            Origin::File(path) => write!(f, "file ({})", path.display()),
        }
    }
}

/// A catalogue and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The catalogue.
    pub catalogue: Catalogue,
    /// Where it came from.
    pub origin: Origin,
}

/// What `list` tells about a catalogue without the caller loading all of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The name to give `--catalog`.
    pub name: String,
    /// Name for people.
    pub title: String,
    /// Release or version of the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Licence or terms of use.
    pub licence: String,
    /// Attribution text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// Number of competencies.
    pub competencies: usize,
    /// Number of reference roles.
    pub reference_roles: usize,
    /// `built-in` or `library`.
    pub origin: &'static str,
    /// The file that holds it (library catalogues only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
}

/// The data directory: `FRAMEWRIGHT_DATA_DIR` when set and not empty, else `./framewright-data`.
pub fn default_data_dir() -> PathBuf {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(DEFAULT_DATA_DIR),
    }
}

/// A directory of imported catalogues.
#[derive(Debug, Clone)]
pub struct Library {
    dir: PathBuf,
}

impl Library {
    /// The library of the data directory `data_dir` (its `catalogues` folder). Nothing is
    /// created until a catalogue is saved.
    pub fn in_data_dir(data_dir: impl AsRef<Path>) -> Library {
        Library {
            dir: data_dir.as_ref().join("catalogues"),
        }
    }

    /// The library of [`default_data_dir`].
    pub fn from_env() -> Library {
        Library::in_data_dir(default_data_dir())
    }

    /// The folder that holds the catalogue files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds (or would hold) catalogue `name`.
    pub fn path_of(&self, name: &str) -> Result<PathBuf, LibraryError> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.json")))
    }

    /// The names of the library's catalogues, sorted.
    pub fn names(&self) -> Result<Vec<String>, LibraryError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(LibraryError::Io {
                    path: self.dir.clone(),
                    source,
                });
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| LibraryError::Io {
                path: self.dir.clone(),
                source,
            })?;
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            if let Some(name) = file_name.strip_suffix(".json")
                && check_name(name).is_ok()
            {
                names.push(name.to_string());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Whether the library holds catalogue `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.path_of(name).is_ok_and(|p| p.is_file())
    }

    /// A summary of every library catalogue, sorted by name.
    pub fn list(&self) -> Result<Vec<Summary>, LibraryError> {
        let mut summaries = Vec::new();
        for name in self.names()? {
            let path = self.path_of(&name)?;
            let text = read_text(&path)?;
            let head: CatalogueHead =
                serde_json::from_str(&text).map_err(|e| json_error(&path, &e))?;
            summaries.push(Summary {
                name,
                title: head.name,
                version: head.version,
                licence: head.licence,
                attribution: head.attribution,
                competencies: head.competencies.0,
                reference_roles: head.reference_roles.0,
                origin: "library",
                path: Some(path),
            });
        }
        Ok(summaries)
    }

    /// Loads catalogue `name` from the library.
    pub fn load(&self, name: &str) -> Result<Catalogue, LibraryError> {
        let path = self.path_of(name)?;
        if !path.is_file() {
            return Err(LibraryError::NotFound {
                name: name.to_string(),
                available: self.names()?,
            });
        }
        read_catalogue_json(&path)
    }

    /// Saves `catalogue` as `name`, replacing any catalogue of that name atomically. The
    /// catalogue's `id` is set to `name`, so that ids derived from it stay the same whichever
    /// way the catalogue is later named on the command line. Returns the file written.
    pub fn save(&self, name: &str, catalogue: &Catalogue) -> Result<PathBuf, LibraryError> {
        check_name(name)?;
        if is_builtin_name(name) {
            return Err(LibraryError::ReservedName {
                name: name.to_string(),
            });
        }
        let path = self.path_of(name)?;
        fs::create_dir_all(&self.dir).map_err(|source| LibraryError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut text = if catalogue.id == name {
            serde_json::to_string_pretty(catalogue)
        } else {
            let mut renamed = catalogue.clone();
            renamed.id = name.to_string();
            serde_json::to_string_pretty(&renamed)
        }
        .map_err(|e| LibraryError::Io {
            path: path.clone(),
            source: io::Error::other(e),
        })?;
        text.push('\n');
        write_atomically(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Removes catalogue `name`; `false` when there was none.
    pub fn remove(&self, name: &str) -> Result<bool, LibraryError> {
        let path = self.path_of(name)?;
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(LibraryError::Io { path, source }),
        }
    }

    /// Every catalogue that `--catalog` accepts by name: the built-in ones first, then the
    /// library's.
    pub fn available(&self) -> Result<Vec<Summary>, LibraryError> {
        let mut all = builtin_summaries()?;
        all.extend(self.list()?);
        Ok(all)
    }

    /// All names `--catalog` accepts (built-in names and aliases, then library names).
    pub fn available_names(&self) -> Vec<String> {
        let mut names: Vec<String> = vec![format!("{OPM_NAME} (or {})", OPM_ALIASES.join(", "))];
        names.extend(self.names().unwrap_or_default());
        names
    }

    /// Resolves a `--catalog` value: a built-in name, a library name, or a file path.
    pub fn resolve(&self, name_or_path: &str) -> Result<Resolved, LibraryError> {
        resolve(self, name_or_path)
    }
}

/// Whether `name` is the name or an alias of a built-in catalogue.
pub fn is_builtin_name(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    lower == OPM_NAME || OPM_ALIASES.contains(&lower.as_str())
}

/// The built-in catalogues as summaries.
pub fn builtin_summaries() -> Result<Vec<Summary>, LibraryError> {
    let opm = framewright_catalog::opm_ai_2024()?.catalogue;
    Ok(vec![Summary {
        name: OPM_NAME.to_string(),
        title: opm.name.clone(),
        version: opm.version.clone(),
        licence: opm.licence.clone(),
        attribution: opm.attribution.clone(),
        competencies: opm.competencies.len(),
        reference_roles: opm.reference_roles.len(),
        origin: "built-in",
        path: None,
    }])
}

/// Resolves a `--catalog` value: first the built-in catalogues (`opm-ai-2024`, alias `opm`),
/// then the library, then a file (`.json`, `.csv`, `.xlsx`).
pub fn resolve(library: &Library, name_or_path: &str) -> Result<Resolved, LibraryError> {
    let key = name_or_path.trim();
    if is_builtin_name(key) {
        return Ok(Resolved {
            catalogue: framewright_catalog::opm_ai_2024()?.catalogue,
            origin: Origin::BuiltIn,
        });
    }
    if check_name(key).is_ok() {
        let path = library.path_of(key)?;
        if path.is_file() {
            return Ok(Resolved {
                catalogue: read_catalogue_json(&path)?,
                origin: Origin::Library(path),
            });
        }
    }
    let path = Path::new(key);
    if path.is_file() {
        return Ok(Resolved {
            catalogue: read_catalogue_file(path)?,
            origin: Origin::File(path.to_path_buf()),
        });
    }
    Err(LibraryError::NotFound {
        name: key.to_string(),
        available: library.available_names(),
    })
}

/// Reads a catalogue file by its extension: `.json` (a saved catalogue), `.csv` (the generic
/// form), `.xlsx` (a catalogue workbook).
pub fn read_catalogue_file(path: &Path) -> Result<Catalogue, LibraryError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("json") => read_catalogue_json(path),
        Some("csv") => {
            let options = crate::catalogue::spreadsheet::CatalogueOptions::for_file(path);
            Ok(crate::catalogue::generic::read(
                path,
                &options,
                &mut crate::catalogue::NoProgress,
            )?)
        }
        Some("xlsx") => {
            let options = crate::catalogue::spreadsheet::CatalogueOptions::for_file(path);
            Ok(crate::catalogue::spreadsheet::read_catalogue_xlsx(
                path,
                &options,
                &mut crate::catalogue::NoProgress,
            )?)
        }
        _ => Err(LibraryError::UnknownFileType {
            path: path.to_path_buf(),
        }),
    }
}

/// The licence recorded for a catalogue read straight from a local file that says none.
pub const LOCAL_FILE_LICENCE: &str =
    "not stated (read from a local file; check the terms of its source)";

/// Reads a catalogue saved as JSON (a library file, or any file in that form).
pub fn read_catalogue_json(path: &Path) -> Result<Catalogue, LibraryError> {
    let text = read_text(path)?;
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let catalogue: Catalogue =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let inner = e.inner();
            let at = e.path().to_string();
            LibraryError::Json {
                path: path.to_path_buf(),
                line: inner.line(),
                column: inner.column(),
                message: if at.is_empty() || at == "." {
                    strip_position(&inner.to_string())
                } else {
                    format!("field `{at}`: {}", strip_position(&inner.to_string()))
                },
            }
        })?;
    deserializer.end().map_err(|e| json_error(path, &e))?;
    Ok(catalogue)
}

/// Writes `bytes` to `path` so that readers see the old content or the new, never a part:
/// a temporary file in the same directory, flushed, then renamed over `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), LibraryError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let io_error = |source| LibraryError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let temp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result.map_err(io_error)
}

fn check_name(name: &str) -> Result<(), LibraryError> {
    let invalid = |reason| {
        Err(LibraryError::InvalidName {
            name: name.to_string(),
            reason,
        })
    };
    let Some(first) = name.chars().next() else {
        return invalid("it is empty");
    };
    if name.len() > 100 {
        return invalid("it is longer than 100 characters");
    }
    if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
        return invalid("it must start with a lowercase letter or a digit");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
    {
        return invalid("it contains characters other than a-z, 0-9, `-`, `_` and `.`");
    }
    if name.ends_with(".json") || name.contains("..") {
        return invalid("it looks like a file name");
    }
    Ok(())
}

/// `name` made into a valid library name, or `fallback` when nothing is left.
pub fn slug_or(name: &str, fallback: &str) -> String {
    let slug = framewright_model::slug::slugify(name);
    if check_name(&slug).is_ok() {
        slug
    } else {
        fallback.to_string()
    }
}

fn read_text(path: &Path) -> Result<String, LibraryError> {
    let bytes = fs::read(path).map_err(|source| LibraryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        let (line, column) = framewright_model::file::line_column(&valid, offset);
        LibraryError::Json {
            path: path.to_path_buf(),
            line,
            column,
            message: "this is not UTF-8 text; catalogue files must be saved as UTF-8".into(),
        }
    })
}

fn json_error(path: &Path, e: &serde_json::Error) -> LibraryError {
    LibraryError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Counts the elements of a JSON array without keeping them.
#[derive(Default)]
struct Count(usize);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        deserializer.deserialize_seq(Visitor)
    }
}

/// The parts of a catalogue file that `list` shows.
#[derive(Deserialize)]
struct CatalogueHead {
    name: String,
    #[serde(default)]
    version: Option<String>,
    licence: String,
    #[serde(default)]
    attribution: Option<String>,
    #[serde(default)]
    competencies: Count,
    #[serde(default)]
    reference_roles: Count,
}

#[cfg(test)]
mod tests {
    use framewright_model::{Competency, CompetencyKind, ReferenceRole, RoleCompetency};

    use super::*;

    fn sample(id: &str) -> Catalogue {
        let mut skill = Competency::new("s1", "Prompt engineering", CompetencyKind::Skill);
        skill.definition = Some("Writes and tests prompts.".into());
        Catalogue {
            id: id.into(),
            name: "Acme skills".into(),
            title: None,
            version: Some("2026".into()),
            publisher: None,
            issued: None,
            licence: "internal".into(),
            attribution: Some("Acme Ltd".into()),
            url: None,
            notes: Vec::new(),
            competencies: vec![skill],
            reference_roles: vec![ReferenceRole {
                id: "r1".into(),
                title: "Prompt engineer".into(),
                alt_titles: Vec::new(),
                description: None,
                tasks: vec!["Writes prompts".into()],
                competencies: vec![RoleCompetency {
                    id: "s1".into(),
                    weight: 1.0,
                    essential: true,
                }],
            }],
        }
    }

    #[test]
    fn saved_catalogues_load_list_and_resolve_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::in_data_dir(dir.path());
        assert_eq!(library.names().unwrap(), Vec::<String>::new());
        let path = library.save("acme", &sample("whatever")).unwrap();
        assert!(path.ends_with("catalogues/acme.json"));
        let loaded = library.load("acme").unwrap();
        assert_eq!(loaded.id, "acme", "the id follows the library name");
        assert_eq!(loaded.reference_roles, sample("x").reference_roles);
        let list = library.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(
            (list[0].competencies, list[0].reference_roles),
            (1, 1),
            "{list:?}"
        );
        let resolved = library.resolve("acme").unwrap();
        assert!(matches!(resolved.origin, Origin::Library(_)));
        let all = library.available().unwrap();
        assert_eq!(all[0].name, OPM_NAME);
        assert_eq!(all[1].name, "acme");
    }

    #[test]
    fn saving_twice_gives_identical_bytes_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::in_data_dir(dir.path());
        let path = library.save("acme", &sample("acme")).unwrap();
        let first = fs::read(&path).unwrap();
        library.save("acme", &sample("acme")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), first);
        let files: Vec<_> = fs::read_dir(library.dir()).unwrap().collect();
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn builtin_names_resolve_and_cannot_be_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::in_data_dir(dir.path());
        for name in ["opm", "OPM", "opm-ai-2024"] {
            let resolved = library.resolve(name).unwrap();
            assert_eq!(resolved.origin, Origin::BuiltIn);
            assert_eq!(resolved.catalogue.competencies.len(), 57);
        }
        assert!(matches!(
            library.save("opm", &sample("opm")),
            Err(LibraryError::ReservedName { .. })
        ));
    }

    #[test]
    fn unknown_names_list_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::in_data_dir(dir.path());
        library.save("acme", &sample("acme")).unwrap();
        let error = library.resolve("escoo").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("`escoo`"), "{text}");
        assert!(text.contains("opm-ai-2024"), "{text}");
        assert!(text.contains("acme"), "{text}");
    }

    #[test]
    fn bad_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::in_data_dir(dir.path());
        for bad in ["", "../x", "Acme", "a b", "-x", "x.json"] {
            assert!(
                matches!(
                    library.save(bad, &sample("x")),
                    Err(LibraryError::InvalidName { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn files_resolve_by_extension_with_located_errors() {
        let dir = tempfile::tempdir().unwrap();
        let library = Library::in_data_dir(dir.path());
        let csv = dir.path().join("team skills.csv");
        fs::write(&csv, "id,name,alt_labels,definition\nx,Python,,\n").unwrap();
        let resolved = library.resolve(csv.to_str().unwrap()).unwrap();
        assert_eq!(resolved.catalogue.id, "team-skills");
        assert_eq!(resolved.catalogue.competencies[0].name, "Python");

        let json = dir.path().join("bad.json");
        fs::write(&json, "{\n  \"id\": \"x\",\n  \"name\": 3\n}").unwrap();
        let error = library.resolve(json.to_str().unwrap()).unwrap_err();
        match error {
            LibraryError::Json { line, message, .. } => {
                assert_eq!(line, 3);
                assert!(message.contains("name"), "{message}");
            }
            other => panic!("{other}"),
        }
        let odd = dir.path().join("x.txt");
        fs::write(&odd, "x").unwrap();
        assert!(matches!(
            library.resolve(odd.to_str().unwrap()),
            Err(LibraryError::UnknownFileType { .. })
        ));
    }
}
