//! O*NET importance ratings for the generator's evidence from O*NET: read from the official
//! O*NET database text files the user downloaded, and kept compactly in the data directory.
//!
//! Input: the folder of the "text" download of the O*NET database (`db_29_2_text`) or its zip
//! as published by the O*NET Resource Center. Files used (found by name, case-insensitive; at
//! least one rating file): `Skills.txt`, `Abilities.txt`, `Knowledge.txt`, `Work Styles.txt`
//! — tab-separated with a header row, as O*NET's data dictionary describes them:
//! `O*NET-SOC Code, Element ID, Element Name, Scale ID, Data Value, N, Standard Error,
//! Lower CI Bound, Upper CI Bound, Recommend Suppress, Not Relevant, Date, Domain Source`
//! (`Work Styles.txt` has no `Not Relevant`). Only importance rows (`Scale ID` = `IM`, values 1
//! to 5) are kept; rows marked `Recommend Suppress` = `Y` are skipped. `Occupation Data.txt`
//! is optional: when present, ratings of codes it does not list are refused.
//!
//! Stored as `<data dir>/onet/ratings.tsv`: comment lines (`#`, with the release and the
//! attribution), then `code<TAB>element<TAB>importance` per rating. Every error names the
//! file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use framewright_catalog::onet::OnetRatings;

use super::onet::find;
use super::upload::{self, TempDir, UploadError};
use super::{ImportError, Progress};
use crate::table::text::{Quoting, TextTable};

/// The rating files read, in order.
pub const RATING_FILES: [&str; 4] = [
    "Skills.txt",
    "Abilities.txt",
    "Knowledge.txt",
    "Work Styles.txt",
];

/// Where the ratings are kept, relative to the data directory.
pub const STORED: &str = "onet/ratings.tsv";

/// The most a zip may unpack to (the whole O*NET text release is a few hundred megabytes).
const MAX_UNPACKED: u64 = 4_000_000_000;

const CODE: &str = "O*NET-SOC Code";

/// What an install read.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingsRead {
    /// The ratings.
    pub ratings: OnetRatings,
    /// The rating files found, in [`RATING_FILES`] order.
    pub files: Vec<String>,
    /// Importance rows skipped because O*NET recommends suppressing them.
    pub suppressed: usize,
    /// Notes for the user (missing files).
    pub warnings: Vec<String>,
}

impl RatingsRead {
    /// How many ratings were kept.
    pub fn count(&self) -> usize {
        self.ratings.occupations.values().map(BTreeMap::len).sum()
    }
}

/// Reads the importance ratings from an O*NET text release: a folder, or a `.zip` file.
pub fn read_release(
    path: &Path,
    release: Option<String>,
    progress: &mut dyn Progress,
) -> Result<RatingsRead, ImportError> {
    if path.is_dir() {
        return read_folder(path, release, progress);
    }
    let bytes = super::read_file(path)?;
    let refused = |e: UploadError| ImportError::MissingFile {
        path: path.to_path_buf(),
        message: e.message(),
    };
    let dir = TempDir::new().map_err(refused)?;
    let limits = framewright_model::Limits {
        max_unpacked_bytes: MAX_UNPACKED,
        ..framewright_model::Limits::default()
    };
    upload::unzip(&bytes, &dir, &super::display(path), &limits).map_err(refused)?;
    let name = super::display(path);
    read_folder(&dir.0, release, progress).map_err(|e| upload::relative(e, &dir.0, &name))
}

fn read_folder(
    dir: &Path,
    release: Option<String>,
    progress: &mut dyn Progress,
) -> Result<RatingsRead, ImportError> {
    let found: Vec<(&str, PathBuf)> = RATING_FILES
        .iter()
        .filter_map(|name| find(dir, name).map(|p| (*name, p)))
        .collect();
    if found.is_empty() {
        return Err(ImportError::MissingFile {
            path: dir.to_path_buf(),
            message: format!(
                "none of {} is here; give the folder (or zip) of the O*NET database text download",
                RATING_FILES.map(|f| format!("`{f}`")).join(", ")
            ),
        });
    }
    let known = match find(dir, "Occupation Data.txt") {
        Some(path) => Some(occupation_codes(&path, progress)?),
        None => None,
    };
    let mut read = RatingsRead {
        ratings: OnetRatings {
            release,
            ..OnetRatings::default()
        },
        files: found.iter().map(|(n, _)| n.to_string()).collect(),
        suppressed: 0,
        warnings: RATING_FILES
            .iter()
            .filter(|n| !found.iter().any(|(f, _)| f == *n))
            .map(|n| format!("no `{n}`: its descriptors have no ratings"))
            .collect(),
    };
    for (name, path) in &found {
        read_file(path, name, known.as_ref(), &mut read, progress)?;
    }
    progress.finish();
    Ok(read)
}

/// The codes of `Occupation Data.txt`.
fn occupation_codes(
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<BTreeSet<String>, ImportError> {
    let mut table = TextTable::open(path, b'\t', Quoting::None, progress, "occupations")?;
    table.require(&[CODE])?;
    let mut codes = BTreeSet::new();
    while let Some(record) = table.next(progress)? {
        codes.insert(record.required(CODE)?.to_string());
    }
    Ok(codes)
}

/// One rating file: its importance rows.
fn read_file(
    path: &Path,
    stage: &str,
    known: Option<&BTreeSet<String>>,
    read: &mut RatingsRead,
    progress: &mut dyn Progress,
) -> Result<(), ImportError> {
    let mut table = TextTable::open(path, b'\t', Quoting::None, progress, stage)?;
    table.require(&[CODE, "Element ID", "Element Name", "Scale ID", "Data Value"])?;
    while let Some(record) = table.next(progress)? {
        if record.required("Scale ID")? != "IM" {
            continue;
        }
        let code = record.required(CODE)?;
        if !is_code(code) {
            return Err(record.error(
                CODE,
                format!("`{code}` is not an O*NET-SOC code (like 15-1221.00)"),
            ));
        }
        if known.is_some_and(|k| !k.contains(code)) {
            return Err(record.error(
                CODE,
                format!("occupation `{code}` is not in `Occupation Data.txt`"),
            ));
        }
        let element = record.required("Element ID")?;
        record.required("Element Name")?;
        let text = record.required("Data Value")?;
        let value: f64 = text
            .parse()
            .map_err(|_| record.error("Data Value", format!("`{text}` is not a number")))?;
        if !(1.0..=5.0).contains(&value) {
            return Err(record.error(
                "Data Value",
                format!("an importance (IM) runs from 1 to 5; {text} is outside"),
            ));
        }
        match record
            .get("Recommend Suppress")
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("Y") => {
                read.suppressed += 1;
                continue;
            }
            None | Some("N") | Some("N/A") | Some("NA") => {}
            Some(other) => {
                return Err(record.error(
                    "Recommend Suppress",
                    format!("`{other}` is neither Y nor N"),
                ));
            }
        }
        let table = read
            .ratings
            .occupations
            .entry(code.to_string())
            .or_default();
        if table.insert(element.to_string(), value).is_some() {
            return Err(record.error(
                "Element ID",
                format!("occupation `{code}` has a second importance rating of `{element}`"),
            ));
        }
    }
    Ok(())
}

/// `NN-NNNN.NN`.
fn is_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            2 => *c == b'-',
            7 => *c == b'.',
            _ => c.is_ascii_digit(),
        })
}

/// The stored form of `ratings` (see the module documentation).
pub fn to_stored(ratings: &OnetRatings) -> String {
    let mut out = String::new();
    out.push_str(
        "# O*NET importance ratings (scale IM, 1-5), installed by `framewright onet install`.\n",
    );
    if let Some(r) = &ratings.release {
        out.push_str(&format!("# release: {r}\n"));
    }
    out.push_str(&format!(
        "# {}\n",
        super::onet::attribution(ratings.release.as_deref())
    ));
    for (code, table) in &ratings.occupations {
        for (element, value) in table {
            out.push_str(&format!("{code}\t{element}\t{value}\n"));
        }
    }
    out
}

/// Parses the stored form; `file` names it in errors.
pub fn from_stored(text: &str, file: &str) -> Result<OnetRatings, ImportError> {
    let mut ratings = OnetRatings::default();
    for (i, line) in text.lines().enumerate() {
        let n = Some(i as u64 + 1);
        if let Some(r) = line.strip_prefix("# release: ") {
            ratings.release = Some(r.trim().to_string());
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [code, element, value] = cells[..] else {
            return Err(ImportError::at(
                file,
                n,
                None,
                "expected code, element and importance separated by tabs; install the ratings again",
            ));
        };
        let value: f64 = value
            .parse()
            .ok()
            .filter(|v| (1.0..=5.0).contains(v))
            .ok_or_else(|| {
                ImportError::at(
                    file,
                    n,
                    Some("importance"),
                    format!("`{value}` is not an importance from 1 to 5"),
                )
            })?;
        ratings
            .occupations
            .entry(code.to_string())
            .or_default()
            .insert(element.to_string(), value);
    }
    Ok(ratings)
}

/// Writes the ratings into the data directory (atomically: a reader never sees half a file).
pub fn store(data_dir: &Path, ratings: &OnetRatings) -> Result<PathBuf, ImportError> {
    let path = data_dir.join(STORED);
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ImportError::Io { path: p, source }
    };
    let dir = path.parent().unwrap_or(data_dir);
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let temporary = dir.join(format!(".ratings.tsv.{}", std::process::id()));
    let mut file = std::fs::File::create(&temporary).map_err(io(&temporary))?;
    file.write_all(to_stored(ratings).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io(&temporary))?;
    std::fs::rename(&temporary, &path).map_err(io(&path))?;
    Ok(path)
}

/// The installed ratings, if any.
pub fn installed(data_dir: &Path) -> Result<Option<OnetRatings>, ImportError> {
    let path = data_dir.join(STORED);
    if !path.exists() {
        return Ok(None);
    }
    let bytes = super::read_file(&path)?;
    let name = super::display(&path);
    let text = super::utf8(&bytes, &name)?;
    from_stored(text, &name).map(Some)
}
