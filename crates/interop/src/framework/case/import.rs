//! CASE 1.0 / 1.1 package → framework, leniently, with a report of everything not understood.
//!
//! Real packages break the letter of the schemas in known ways; each is accepted and noted:
//! `null` for absent values (dates especially), `CFPackageURI` inside the document and
//! `CFDocumentURI` inside items and associations (the non-package forms), `educationalLevel`
//! for `educationLevel`, a package wrapped in `{"CFPackage": …}`, dates with times.
//!
//! Structure:
//! - a package written by Framewright (`framewright:profile` in the document's extensions) is
//!   read back exactly: item types tell groups from competencies, the items' order is the
//!   framework's order, and every `framewright:` extension restores its field;
//! - any other package is read as a tree: the document's children and their descendants with
//!   children of their own become groups (nested), the leaves become competencies, in
//!   `sequenceNumber` order; other associations become relations; the first rubric that
//!   describes the items gives the proficiency scale and the level texts.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use framewright_model::file::{FileFormat, locate};
use framewright_model::framework::{CompetencySource, FORMAT, ReviewDates, Status};
use framewright_model::validate;
use framewright_model::{
    CompetencyKind, FieldPath, Framework, FrameworkCompetency, Group, LevelContent,
    ProficiencyLevel, ProficiencyScale, Provenance, Relation, RelationType, RoleProfile, SourceRef,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{
    EXT_ALT_LABELS, EXT_DEFINITION_MISSING, EXT_EVIDENCE, EXT_EXTERNAL, EXT_GRADES, EXT_ID,
    EXT_IMPORTANCE, EXT_INTERVIEW, EXT_KIND, EXT_LEVEL, EXT_NOTES, EXT_OWNER, EXT_PROFILE,
    EXT_PROVENANCE, EXT_RATIONALE, EXT_RELATION, EXT_REVIEW, EXT_ROLE_PROFILES, EXT_SCALE,
    EXT_SOURCE, EXT_SOURCES, EXT_STATUS, GROUP_TYPE, kind_for_item_type, status_for_adoption,
};

/// Why a package could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", location(*.line, *.column))]
pub struct CaseImportError {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", line {l}, column {c}"),
        (Some(l), None) => format!(", line {l}"),
        _ => String::new(),
    }
}

/// How the importer treated something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A field Framewright knows but has no place for: left out.
    Ignored,
    /// Read, but changed to fit (a quirk of the package, an approximate mapping).
    Adjusted,
    /// A field or value Framewright does not know: left out.
    NotUnderstood,
}

/// One thing the report tells about a field, with every place it occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportNote {
    /// The field, with `[]` for "every element" (`CFItems[].educationalLevel`).
    pub field: String,
    /// What was done.
    pub kind: NoteKind,
    /// Why, for people.
    pub message: String,
    /// Every place (`CFItems[3].educationalLevel`).
    pub paths: Vec<String>,
    /// Line and column of the first place.
    pub first_at: Option<(usize, usize)>,
}

/// Everything the import left out or changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The CASE version the package declares or looks like ("1.1", "1.0").
    pub case_version: String,
    /// Whether the package was written by Framewright (read back exactly).
    pub framewright_profile: bool,
    /// The notes, grouped by field.
    pub notes: Vec<ImportNote>,
}

impl ImportReport {
    /// Whether nothing was left out or changed.
    pub fn is_clean(&self) -> bool {
        self.notes.is_empty()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.notes.is_empty() {
            return writeln!(f, "Everything in the package was understood.");
        }
        for note in &self.notes {
            let what = match note.kind {
                NoteKind::Ignored => "ignored",
                NoteKind::Adjusted => "adjusted",
                NoteKind::NotUnderstood => "not understood",
            };
            let count = note.paths.len();
            write!(f, "  - {} ({what}", note.field)?;
            if count > 1 {
                write!(f, ", {count} places")?;
            }
            if let Some((line, column)) = note.first_at {
                write!(
                    f,
                    ", {}line {line}, column {column}",
                    if count > 1 { "first at " } else { "" }
                )?;
            }
            writeln!(f, "): {}", note.message)?;
        }
        Ok(())
    }
}

/// A framework read from a package, and the report.
#[derive(Debug, Clone)]
pub struct CaseImport {
    /// The framework (valid).
    pub framework: Framework,
    /// What was left out or changed.
    pub report: ImportReport,
}

/// Reads the CASE package in `text`; `file` names it in errors. `default_scale` is used when
/// the package has no rubric.
pub fn import_case(
    text: &str,
    file: &str,
    default_scale: &ProficiencyScale,
) -> Result<CaseImport, CaseImportError> {
    let fail = |line, column, message: String| CaseImportError {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|e| {
        fail(
            Some(e.line()),
            Some(e.column()),
            format!("this is not valid JSON: {}", strip_position(&e.to_string())),
        )
    })?;
    let Value::Object(mut root_map) = root else {
        return Err(fail(
            Some(1),
            Some(1),
            "a CASE package is a JSON object with a CFDocument; this file holds something else"
                .into(),
        ));
    };
    let mut base = FieldPath::root();
    let mut wrapped = false;
    if !root_map.contains_key("CFDocument")
        && let Some(Value::Object(inner)) = root_map.get("CFPackage")
    {
        let inner = inner.clone();
        root_map = inner;
        base = base.key("CFPackage");
        wrapped = true;
    }
    if !root_map.contains_key("CFDocument") {
        return Err(fail(
            Some(1),
            Some(1),
            "this JSON has no CFDocument, so it is not a CASE package (a package has CFDocument, CFItems, CFAssociations, …)".into(),
        ));
    }
    let mut reader = Reader {
        text,
        report: ImportReport::default(),
        notes: BTreeMap::new(),
    };
    if wrapped {
        reader.note(
            "CFPackage",
            NoteKind::Adjusted,
            "the package is wrapped in a CFPackage object; its content was read",
            &FieldPath::root().key("CFPackage"),
        );
    }
    let framework =
        reader
            .package(&root_map, &base, default_scale)
            .map_err(|(path, message)| {
                let (line, column) = locate_nearest(text, &path).unzip();
                fail(line, column, message)
            })?;
    let mut report = reader.report;
    report.notes = reader.notes.into_values().collect();
    Ok(CaseImport { framework, report })
}

/// Line and column of `path`, or of its nearest ancestor present in the text (for a field
/// that is missing).
fn locate_nearest(text: &str, path: &FieldPath) -> Option<(usize, usize)> {
    let mut path = path.clone();
    loop {
        if let Some(found) = locate(text, FileFormat::Json, &path) {
            return Some(found);
        }
        path.0.pop()?;
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

type Fatal = (FieldPath, String);

struct Reader<'t> {
    text: &'t str,
    report: ImportReport,
    /// Notes keyed by (field, kind, message) so that repeats collect their paths.
    notes: BTreeMap<(String, NoteKind, String), ImportNote>,
}

/// `CFItems[3].fullStatement` → `CFItems[].fullStatement`.
fn generic(path: &FieldPath) -> String {
    let mut out = String::new();
    for (n, segment) in path.0.iter().enumerate() {
        match segment {
            framewright_model::path::Segment::Key(k) if n == 0 => out.push_str(k),
            framewright_model::path::Segment::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            framewright_model::path::Segment::Index(_) => out.push_str("[]"),
        }
    }
    out
}

/// One JSON object being read: remembers which fields were used, so the rest can be reported.
struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: FieldPath,
    used: HashSet<&'a str>,
}

impl<'a> Obj<'a> {
    fn new(map: &'a Map<String, Value>, path: FieldPath) -> Obj<'a> {
        Obj {
            map,
            path,
            used: HashSet::new(),
        }
    }

    fn raw(&mut self, key: &str) -> Option<&'a Value> {
        let (k, v) = self.map.get_key_value(key)?;
        self.used.insert(k.as_str());
        (!v.is_null()).then_some(v)
    }

    fn at(&self, key: &str) -> FieldPath {
        self.path.key(key)
    }
}

impl Reader<'_> {
    fn note(&mut self, field: &str, kind: NoteKind, message: &str, path: &FieldPath) {
        let key = (field.to_string(), kind, message.to_string());
        let text = self.text;
        let entry = self.notes.entry(key).or_insert_with(|| ImportNote {
            field: field.to_string(),
            kind,
            message: message.to_string(),
            paths: Vec::new(),
            first_at: locate_nearest(text, path),
        });
        entry.paths.push(path.to_string());
    }

    /// Text at `key`: strings as they are; numbers and booleans written out (noted); other
    /// types noted and dropped. Empty text counts as absent unless `keep_empty`.
    fn string(&mut self, obj: &mut Obj<'_>, key: &str, keep_empty: bool) -> Option<String> {
        let value = obj.raw(key)?;
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => {
                self.note(
                    &generic(&obj.at(key)),
                    NoteKind::Adjusted,
                    "a number where CASE has text; read as text",
                    &obj.at(key),
                );
                n.to_string()
            }
            Value::Bool(b) => {
                self.note(
                    &generic(&obj.at(key)),
                    NoteKind::Adjusted,
                    "true/false where CASE has text; read as text",
                    &obj.at(key),
                );
                b.to_string()
            }
            _ => {
                self.note(
                    &generic(&obj.at(key)),
                    NoteKind::NotUnderstood,
                    "expected text; this value was left out",
                    &obj.at(key),
                );
                return None;
            }
        };
        (keep_empty || !text.trim().is_empty()).then_some(text)
    }

    fn object<'a>(&mut self, obj: &mut Obj<'a>, key: &str) -> Option<&'a Map<String, Value>> {
        match obj.raw(key)? {
            Value::Object(map) => Some(map),
            _ => {
                self.note(
                    &generic(&obj.at(key)),
                    NoteKind::NotUnderstood,
                    "expected an object; this value was left out",
                    &obj.at(key),
                );
                None
            }
        }
    }

    fn array<'a>(&mut self, obj: &mut Obj<'a>, key: &str) -> &'a [Value] {
        match obj.raw(key) {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.note(
                    &generic(&obj.at(key)),
                    NoteKind::NotUnderstood,
                    "expected a list; this value was left out",
                    &obj.at(key),
                );
                &[]
            }
        }
    }

    /// Reports the fields of `obj` that were not used: `known` lists fields Framewright knows
    /// but has no place for, with the reason.
    fn finish(&mut self, obj: Obj<'_>, known: &[(&str, &str)]) {
        for (key, value) in obj.map {
            if obj.used.contains(key.as_str()) {
                continue;
            }
            let path = obj.path.key(key);
            if value.is_null() {
                continue;
            }
            if let Some((_, reason)) = known.iter().find(|(k, _)| k == key) {
                self.note(&generic(&path), NoteKind::Ignored, reason, &path);
            } else {
                self.note(
                    &generic(&path),
                    NoteKind::NotUnderstood,
                    "not a field of CASE 1.0 or 1.1; left out",
                    &path,
                );
            }
        }
    }

    /// Reads extension `key` of an `extensions` object into `T`; a value that does not fit is
    /// noted and dropped.
    fn extension<T: DeserializeOwned>(
        &mut self,
        extensions: Option<&Map<String, Value>>,
        base: &FieldPath,
        key: &str,
    ) -> Option<T> {
        let value = extensions?.get(key)?;
        match serde_json::from_value::<T>(value.clone()) {
            Ok(v) => Some(v),
            Err(e) => {
                let path = base.key("extensions").key(key);
                self.note(
                    &generic(&path),
                    NoteKind::NotUnderstood,
                    &format!("this Framewright extension could not be read ({e}); left out"),
                    &path,
                );
                None
            }
        }
    }

    fn package(
        &mut self,
        root: &Map<String, Value>,
        base: &FieldPath,
        default_scale: &ProficiencyScale,
    ) -> Result<Framework, Fatal> {
        let mut package = Obj::new(root, base.clone());
        let document_map = match package.raw("CFDocument") {
            Some(Value::Object(map)) => map,
            _ => {
                return Err((
                    package.at("CFDocument"),
                    "CFDocument must be an object with the framework's title, creator and identifier".into(),
                ));
            }
        };
        let document_path = package.at("CFDocument");
        let doc_ext = match document_map.get("extensions") {
            Some(Value::Object(map)) => Some(map),
            _ => None,
        };
        let profile = doc_ext
            .and_then(|e| e.get(EXT_PROFILE))
            .and_then(Value::as_str)
            .is_some_and(|p| p.starts_with("framewright-case/"));
        self.report.framewright_profile = profile;

        // Definitions first: the document's licence refers to them.
        let definitions = self.object(&mut package, "CFDefinitions");
        let licences = self.definitions(definitions, &package.at("CFDefinitions"));

        let items_raw = self.array(&mut package, "CFItems");
        let associations_raw = self.array(&mut package, "CFAssociations");
        let rubrics_raw = self.array(&mut package, "CFRubrics");
        if package.raw("extensions").is_some() {
            self.note(
                "extensions",
                NoteKind::Ignored,
                "package-level extensions have no place in a framework",
                &package.at("extensions"),
            );
        }
        self.finish(package, &[]);

        let mut framework = self.document(document_map, &document_path, profile, &licences)?;
        let document_id = document_map
            .get("identifier")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();

        let items = self.items(items_raw, &base.key("CFItems"), profile);
        let associations = self.associations(associations_raw, &base.key("CFAssociations"));
        let competency_of_item =
            self.structure(&mut framework, &document_id, &items, &associations, profile);
        self.rubrics(
            &mut framework,
            rubrics_raw,
            &base.key("CFRubrics"),
            &competency_of_item,
            default_scale,
        );
        if let Some(profiles) =
            self.extension::<Vec<RoleProfile>>(doc_ext, &document_path, EXT_ROLE_PROFILES)
        {
            framework.role_profiles = profiles;
        }
        self.make_valid(&mut framework);
        Ok(framework)
    }

    /// Licences by identifier: (title, text).
    fn definitions(
        &mut self,
        definitions: Option<&Map<String, Value>>,
        path: &FieldPath,
    ) -> HashMap<String, String> {
        let mut licences = HashMap::new();
        let Some(definitions) = definitions else {
            return licences;
        };
        let mut obj = Obj::new(definitions, path.clone());
        for (i, value) in self.array(&mut obj, "CFLicenses").iter().enumerate() {
            let at = path.item("CFLicenses", i);
            let Value::Object(map) = value else {
                continue;
            };
            let mut licence = Obj::new(map, at);
            let identifier = self.string(&mut licence, "identifier", false);
            let title = self.string(&mut licence, "title", false);
            let text = self.string(&mut licence, "licenseText", true);
            for key in ["uri", "description", "lastChangeDateTime", "extensions"] {
                licence.raw(key);
            }
            self.finish(licence, &[]);
            if let (Some(identifier), Some(text)) = (identifier, text.or(title)) {
                licences.insert(identifier, text);
            }
        }
        // Item types are read from the items' own CFItemType; the rest have no place.
        obj.raw("CFItemTypes");
        for (key, reason) in [
            (
                "CFConcepts",
                "Framewright has no concept vocabulary; concepts were left out",
            ),
            (
                "CFSubjects",
                "Framewright has no subject vocabulary; subjects were left out",
            ),
            (
                "CFAssociationGroupings",
                "Framewright has no association groupings; the associations were read without them",
            ),
        ] {
            if !self.array(&mut obj, key).is_empty() {
                self.note(key, NoteKind::Ignored, reason, &path.key(key));
            }
        }
        obj.raw("extensions");
        self.finish(obj, &[]);
        licences
    }

    fn document(
        &mut self,
        map: &Map<String, Value>,
        path: &FieldPath,
        profile: bool,
        licences: &HashMap<String, String>,
    ) -> Result<Framework, Fatal> {
        let mut doc = Obj::new(map, path.clone());
        let ext = self.object(&mut doc, "extensions");
        let title = self
            .string(&mut doc, "title", profile)
            .ok_or_else(|| (doc.at("title"), "the CFDocument has no title".to_string()))?;
        let identifier = self.string(&mut doc, "identifier", false);
        let uri = self.string(&mut doc, "uri", false);
        let creator = self.string(&mut doc, "creator", profile);
        let publisher = self.string(&mut doc, "publisher", false);
        let description = self.string(&mut doc, "description", profile);
        let version_text = self.string(&mut doc, "version", false);
        let adoption = self.string(&mut doc, "adoptionStatus", false);
        let official = self.string(&mut doc, "officialSourceURL", false);
        let notes = self.string(&mut doc, "notes", false);
        let case_version = self.string(&mut doc, "caseVersion", false);
        self.string(&mut doc, "frameworkType", false);
        self.string(&mut doc, "lastChangeDateTime", false);
        self.case_version(&mut doc, map, case_version.as_deref());

        let mut framework = Framework::new(
            String::new(),
            title.clone(),
            ProficiencyScale {
                id: String::new(),
                name: String::new(),
                source: None,
                levels: Vec::new(),
            },
        );
        framework.format = FORMAT.to_string();
        framework.id = self
            .extension::<String>(ext, path, EXT_ID)
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| {
                let slug = framewright_model::slug::slugify(&title);
                if slug.is_empty() {
                    "case-import".into()
                } else {
                    slug
                }
            });
        framework.description = description;
        if let Some(version) = &version_text
            && let Some(parsed) = self.document_version(version, &doc)
        {
            framework.version = parsed;
        }
        framework.status = match self.extension::<Status>(ext, path, EXT_STATUS) {
            Some(status) => status,
            None => match &adoption {
                None => Status::Draft,
                Some(a) => status_for_adoption(a).unwrap_or_else(|| {
                    self.note(
                        "CFDocument.adoptionStatus",
                        NoteKind::Adjusted,
                        &format!(
                            "adoption status `{a}` is not one Framewright knows; read as draft"
                        ),
                        &path.key("adoptionStatus"),
                    );
                    Status::Draft
                }),
            },
        };
        framework.owner = if profile {
            self.extension::<String>(ext, path, EXT_OWNER)
        } else {
            creator.clone()
        };
        let licence_link = self.object(&mut doc, "licenseURI");
        if let Some(link) = licence_link {
            let identifier = link.get("identifier").and_then(Value::as_str);
            let title = link.get("title").and_then(Value::as_str);
            framework.licence = identifier
                .and_then(|i| licences.get(i).cloned())
                .or_else(|| title.map(str::to_string));
        }
        if let Some(review) = self.extension::<ReviewDates>(ext, path, EXT_REVIEW) {
            framework.review = review;
        }
        framework.provenance = self.extension::<Provenance>(ext, path, EXT_PROVENANCE);
        match self.extension::<Vec<SourceRef>>(ext, path, EXT_SOURCES) {
            Some(sources) => framework.sources = sources,
            None if !profile => {
                // The package itself is the source of everything in it.
                let name = match (&creator, &publisher) {
                    (Some(c), Some(p)) if c != p => format!("{title} ({c}; published by {p})"),
                    (Some(c), _) => format!("{title} ({c})"),
                    (None, Some(p)) => format!("{title} ({p})"),
                    (None, None) => title.clone(),
                };
                framework.sources.push(SourceRef {
                    catalogue: source_id(identifier.as_deref(), &framework.id),
                    name,
                    licence: framework.licence.clone(),
                    attribution: notes.clone(),
                    url: official.clone().or(uri.clone()),
                });
                if notes.is_some() {
                    self.note(
                        "CFDocument.notes",
                        NoteKind::Adjusted,
                        "kept as the attribution text of the framework's source",
                        &doc.at("notes"),
                    );
                }
            }
            None => {}
        }
        self.finish_document(doc, ext, path);
        Ok(framework)
    }

    /// The CASE version the package says it follows (1.0 providers are recognised).
    fn case_version(
        &mut self,
        doc: &mut Obj<'_>,
        map: &Map<String, Value>,
        case_version: Option<&str>,
    ) {
        if doc.raw("CFPackageURI").is_some() {
            self.note(
                "CFDocument.CFPackageURI",
                NoteKind::Ignored,
                "CASE 1.0 providers write the package link inside the document; it is not part of a 1.1 package and is not needed",
                &doc.at("CFPackageURI"),
            );
        }
        self.report.case_version = case_version.map(str::to_string).unwrap_or_else(|| {
            if map.contains_key("CFPackageURI") {
                "1.0".into()
            } else {
                "1.0 or 1.1 (not stated)".into()
            }
        });
        if let Some(v) = case_version
            && v != "1.1"
            && v != "1.0"
        {
            self.note(
                "CFDocument.caseVersion",
                NoteKind::Adjusted,
                "an unknown CASE version; the package was read as CASE 1.1",
                &doc.at("caseVersion"),
            );
        }
    }

    /// The document's version as a semantic version (noted when adjusted or unreadable).
    fn document_version(&mut self, version: &str, doc: &Obj<'_>) -> Option<semver::Version> {
        match parse_version(version) {
            Some((parsed, exact)) => {
                if !exact {
                    self.note(
                        "CFDocument.version",
                        NoteKind::Adjusted,
                        &format!(
                            "`{version}` is not a semantic version (major.minor.patch); read as {parsed}"
                        ),
                        &doc.at("version"),
                    );
                }
                Some(parsed)
            }
            None => {
                self.note(
                    "CFDocument.version",
                    NoteKind::Adjusted,
                    &format!("`{version}` is not a version number; the framework starts at 0.1.0"),
                    &doc.at("version"),
                );
                None
            }
        }
    }

    /// Notes the document's fields and extensions Framewright does not use.
    fn finish_document(
        &mut self,
        doc: Obj<'_>,
        ext: Option<&Map<String, Value>>,
        path: &FieldPath,
    ) {
        if let Some(ext) = ext {
            for key in ext.keys() {
                if !key.starts_with("framewright:") {
                    let at = path.key("extensions").key(key);
                    self.note(
                        &generic(&at),
                        NoteKind::Ignored,
                        "another tool's extension; Framewright does not know it",
                        &at,
                    );
                }
            }
        }
        let known = [
            (
                "subject",
                "Framewright frameworks have no subject vocabulary",
            ),
            (
                "subjectURI",
                "Framewright frameworks have no subject vocabulary",
            ),
            ("language", "Framewright frameworks have no language field"),
            (
                "statusStartDate",
                "Framewright keeps review dates, not status dates",
            ),
            (
                "statusEndDate",
                "Framewright keeps review dates, not status dates",
            ),
            (
                "CFDocumentURI",
                "a link to the document itself is not needed",
            ),
        ];
        self.finish(doc, &known);
    }

    fn items(&mut self, raw: &[Value], path: &FieldPath, profile: bool) -> Vec<RawItem> {
        let mut items = Vec::new();
        for (index, value) in raw.iter().enumerate() {
            let at = path.index(index);
            let Value::Object(map) = value else {
                self.note(
                    "CFItems[]",
                    NoteKind::NotUnderstood,
                    "an item that is not an object; left out",
                    &at,
                );
                continue;
            };
            let mut obj = Obj::new(map, at.clone());
            let extensions = self.object(&mut obj, "extensions").cloned();
            let identifier = self
                .string(&mut obj, "identifier", false)
                .unwrap_or_else(|| format!("#item-{index}"));
            let full = self.string(&mut obj, "fullStatement", profile);
            let abbreviated = self.string(&mut obj, "abbreviatedStatement", profile);
            let code = self.string(&mut obj, "humanCodingScheme", profile);
            let item_type = self.string(&mut obj, "CFItemType", false).or_else(|| {
                map.get("CFItemTypeURI")
                    .and_then(|l| l.get("title"))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
            obj.raw("CFItemTypeURI");
            let notes = self.string(&mut obj, "notes", false);
            let alternative = self.string(&mut obj, "alternativeLabel", false);
            let uri = self.string(&mut obj, "uri", false);
            obj.raw("lastChangeDateTime");
            obj.raw("listEnumeration");
            if full.is_none() && abbreviated.is_none() {
                self.note(
                    "CFItems[].fullStatement",
                    NoteKind::NotUnderstood,
                    "an item without a statement; left out",
                    &at,
                );
                self.finish(obj, &ITEM_KNOWN);
                continue;
            }
            if obj.raw("educationalLevel").is_some() {
                self.note(
                    "CFItems[].educationalLevel",
                    NoteKind::Ignored,
                    "OpenSALT writes `educationalLevel` for CASE's `educationLevel`; Framewright has no education levels",
                    &at.key("educationalLevel"),
                );
            }
            if obj.raw("CFDocumentURI").is_some() {
                self.note(
                    "CFItems[].CFDocumentURI",
                    NoteKind::Ignored,
                    "CASE 1.0 providers link each item to its document; inside a package this is not needed",
                    &at.key("CFDocumentURI"),
                );
            }
            self.finish(obj, &ITEM_KNOWN);
            items.push(RawItem {
                index,
                path: at,
                identifier,
                full,
                abbreviated,
                code,
                item_type,
                notes,
                alternative,
                uri,
                extensions,
            });
        }
        items
    }

    fn associations(&mut self, raw: &[Value], path: &FieldPath) -> Vec<RawAssociation> {
        let mut out = Vec::new();
        for (index, value) in raw.iter().enumerate() {
            let at = path.index(index);
            let Value::Object(map) = value else {
                self.note(
                    "CFAssociations[]",
                    NoteKind::NotUnderstood,
                    "an association that is not an object; left out",
                    &at,
                );
                continue;
            };
            let mut obj = Obj::new(map, at.clone());
            let kind = self.string(&mut obj, "associationType", false);
            let origin = self.link(&mut obj, "originNodeURI");
            let destination = self.link(&mut obj, "destinationNodeURI");
            let sequence = match obj.raw("sequenceNumber") {
                None => None,
                Some(Value::Number(n)) => n.as_i64(),
                Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
                Some(_) => None,
            };
            let notes = self.string(&mut obj, "notes", true);
            let extensions = self.object(&mut obj, "extensions").cloned();
            for key in ["identifier", "uri", "lastChangeDateTime"] {
                obj.raw(key);
            }
            let known = [
                (
                    "CFDocumentURI",
                    "CASE 1.0 providers link each association to its document; inside a package this is not needed",
                ),
                (
                    "CFAssociationGroupingURI",
                    "Framewright has no association groupings",
                ),
            ];
            self.finish(obj, &known);
            let (Some(kind), Some(origin), Some(destination)) = (kind, origin, destination) else {
                self.note(
                    "CFAssociations[]",
                    NoteKind::NotUnderstood,
                    "an association without a type, origin or destination; left out",
                    &at,
                );
                continue;
            };
            out.push(RawAssociation {
                path: at,
                kind,
                origin,
                destination,
                sequence,
                notes,
                extensions,
            });
        }
        out
    }

    fn link(&mut self, obj: &mut Obj<'_>, key: &str) -> Option<Link> {
        let map = self.object(obj, key)?;
        let identifier = map
            .get("identifier")
            .and_then(Value::as_str)
            .map(str::to_string);
        let uri = map.get("uri").and_then(Value::as_str).map(str::to_string);
        let title = map.get("title").and_then(Value::as_str).map(str::to_string);
        let key_value = identifier.clone().or_else(|| uri.clone())?;
        Some(Link {
            identifier: key_value,
            uri,
            title,
        })
    }

    /// Places the items: groups and competencies in a hierarchy and an order, with ids, and
    /// the associations that are relations. Returns the competency index of each item.
    fn structure(
        &mut self,
        framework: &mut Framework,
        document_id: &str,
        items: &[RawItem],
        associations: &[RawAssociation],
        profile: bool,
    ) -> HashMap<String, usize> {
        let index = ItemIndex::new(items, document_id);
        let (mut parent, relation_associations) = self.hierarchy(&index, associations);
        self.break_cycles(items, &mut parent);
        let has_children: HashSet<usize> = parent
            .iter()
            .filter_map(|p| p.and_then(|(d, _, _)| d))
            .collect();
        let is_group: Vec<bool> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                if profile {
                    item.item_type.as_deref() == Some(GROUP_TYPE)
                } else {
                    has_children.contains(&i)
                }
            })
            .collect();
        let order = tree_order(items.len(), &parent, profile);
        let (ids, names) = self.item_ids(items, &order, profile);
        let placed = Placed {
            parent,
            is_group,
            ids,
        };
        let mut competency_of_item = HashMap::new();
        let source_catalogue = framework.sources.first().map(|s| s.catalogue.clone());
        let mut unknown_types: HashSet<String> = HashSet::new();
        for &i in &order {
            let item = &items[i];
            let (name, statement) = names[i].clone();
            let parent_group = self.place(framework, item, i, &placed);
            if placed.is_group[i] {
                framework.groups.push(Group {
                    id: placed.ids[i].clone(),
                    name,
                    description: statement,
                    parent: parent_group,
                });
                continue;
            }
            let kind = self.item_kind(item, &mut unknown_types);
            let mut competency = FrameworkCompetency::new(placed.ids[i].clone(), name, kind);
            competency.group = parent_group;
            competency.definition = statement;
            self.competency_extensions(&mut competency, item, source_catalogue.as_deref(), profile);
            competency_of_item.insert(item.identifier.clone(), framework.competencies.len());
            framework.competencies.push(competency);
        }
        self.relations(framework, &index, &relation_associations, &placed);
        competency_of_item
    }

    /// The hierarchy: the first isChildOf of each item that is not a relation in disguise;
    /// the other associations are returned to be read as relations.
    fn hierarchy<'r>(
        &mut self,
        index: &ItemIndex<'_>,
        associations: &'r [RawAssociation],
    ) -> (Vec<ParentLink>, Vec<&'r RawAssociation>) {
        let items = index.items;
        let find = |link: &Link| index.find(link);
        let is_document = |link: &Link| index.is_document(link);
        let mut parent: Vec<ParentLink> = vec![None; items.len()];
        let mut relation_associations = Vec::new();
        for (order, association) in associations.iter().enumerate() {
            let is_relation = association
                .extensions
                .as_ref()
                .is_some_and(|e| e.contains_key(EXT_RELATION));
            if association.kind != "isChildOf" || is_relation {
                relation_associations.push(association);
                continue;
            }
            let Some(child) = find(&association.origin) else {
                if !is_document(&association.origin) {
                    self.note(
                        "CFAssociations[].originNodeURI",
                        NoteKind::NotUnderstood,
                        "an isChildOf whose child is not an item of this package; left out",
                        &association.path,
                    );
                }
                continue;
            };
            let destination = if is_document(&association.destination) {
                None
            } else if let Some(p) = find(&association.destination) {
                Some(p)
            } else {
                self.note(
                    "CFAssociations[].destinationNodeURI",
                    NoteKind::Adjusted,
                    "an isChildOf whose parent is outside this package; the item was placed at the top level",
                    &association.path,
                );
                None
            };
            if destination == Some(child) {
                continue;
            }
            if parent[child].is_some() {
                self.note(
                    "CFAssociations[]",
                    NoteKind::Adjusted,
                    "an item with a second parent; a framework competency sits in one group, so only the first parent was kept",
                    &association.path,
                );
                continue;
            }
            parent[child] = Some((destination, association.sequence.unwrap_or(i64::MAX), order));
        }
        (parent, relation_associations)
    }

    /// Breaks cycles in the hierarchy (a malformed package): an item that reaches itself goes
    /// to the top level.
    fn break_cycles(&mut self, items: &[RawItem], parent: &mut [ParentLink]) {
        for (start, item) in items.iter().enumerate() {
            let mut seen = HashSet::new();
            let mut at = start;
            while let Some(Some((Some(p), _, _))) = parent.get(at) {
                if !seen.insert(at) {
                    break;
                }
                at = *p;
                if at == start {
                    if let Some(Some(entry)) = parent.get_mut(start) {
                        entry.0 = None;
                    }
                    self.note(
                        "CFAssociations[]",
                        NoteKind::Adjusted,
                        "isChildOf associations form a circle; the item was placed at the top level",
                        &item.path,
                    );
                    break;
                }
            }
        }
    }

    /// Ids: the coding scheme when it is present and unique, otherwise a slug of the name; and
    /// each item's name and statement.
    fn item_ids(
        &mut self,
        items: &[RawItem],
        order: &[usize],
        profile: bool,
    ) -> (Vec<String>, Vec<(String, Option<String>)>) {
        let mut used_ids: HashSet<String> = HashSet::new();
        let mut ids: Vec<String> = vec![String::new(); items.len()];
        let mut names: Vec<(String, Option<String>)> = vec![(String::new(), None); items.len()];
        for &i in order {
            let item = &items[i];
            let (name, statement) = self.name_and_statement(item, profile);
            let wanted = match &item.code {
                Some(code) if !code.trim().is_empty() => code.clone(),
                _ => framewright_model::slug::slugify(&name),
            };
            let wanted = if wanted.is_empty() {
                format!("item-{}", item.index + 1)
            } else {
                wanted
            };
            let mut id = wanted.clone();
            let mut n = 2;
            while used_ids.contains(&id) {
                id = format!("{wanted}-{n}");
                n += 1;
            }
            if id != wanted && !profile {
                self.note(
                    "CFItems[].humanCodingScheme",
                    NoteKind::Adjusted,
                    "two items would have the same id; a number was added to the second",
                    &item.path,
                );
            }
            used_ids.insert(id.clone());
            ids[i] = id;
            names[i] = (name, statement);
        }
        (ids, names)
    }

    /// The group item `i` sits in; a child of a competency becomes a broader relation.
    fn place(
        &mut self,
        framework: &mut Framework,
        item: &RawItem,
        i: usize,
        placed: &Placed,
    ) -> Option<String> {
        let (parent, is_group, ids) = (&placed.parent, &placed.is_group, &placed.ids);
        let parent_group = parent[i]
            .and_then(|(d, _, _)| d)
            .filter(|p| is_group[*p])
            .map(|p| ids[p].clone());
        if let Some((Some(p), _, _)) = parent[i]
            && !is_group[p]
        {
            self.note(
                "CFAssociations[]",
                NoteKind::Adjusted,
                "a child of a competency; Framewright records it as a broader relation",
                &item.path,
            );
            framework.relations.push(Relation {
                from: ids[i].clone(),
                to: ids[p].clone(),
                kind: RelationType::Broader,
                external: false,
                note: None,
            });
        }
        parent_group
    }

    /// An item's competency kind: the Framewright extension, else its item type.
    fn item_kind(&mut self, item: &RawItem, unknown_types: &mut HashSet<String>) -> CompetencyKind {
        let ext = item.extensions.as_ref();
        match self.extension::<CompetencyKind>(ext, &item.path, EXT_KIND) {
            Some(kind) => kind,
            None => match item.item_type.as_deref() {
                None => CompetencyKind::Unspecified,
                Some(t) => kind_for_item_type(t).unwrap_or_else(|| {
                    if unknown_types.insert(t.to_string()) {
                        self.note(
                            "CFItems[].CFItemType",
                            NoteKind::Adjusted,
                            &format!(
                                "item type `{t}` does not say whether it is general, technical, knowledge, skill or ability; read as unspecified"
                            ),
                            &item.path.key("CFItemType"),
                        );
                    }
                    CompetencyKind::Unspecified
                }),
            },
        }
    }

    /// What the Framewright extensions (or a foreign package's own fields) add to a competency.
    fn competency_extensions(
        &mut self,
        competency: &mut FrameworkCompetency,
        item: &RawItem,
        source_catalogue: Option<&str>,
        profile: bool,
    ) {
        let ext = item.extensions.as_ref();
        if let Some(labels) = self.extension::<Vec<String>>(ext, &item.path, EXT_ALT_LABELS) {
            competency.alt_labels = labels;
        } else if let Some(alternative) = &item.alternative {
            competency.alt_labels.push(alternative.clone());
        }
        competency.source = self
            .extension::<CompetencySource>(ext, &item.path, EXT_SOURCE)
            .or_else(|| {
                if profile {
                    return None;
                }
                Some(CompetencySource {
                    catalogue: source_catalogue?.to_string(),
                    id: item.identifier.clone(),
                    uri: item.uri.clone(),
                })
            });
        competency.rationale = self.extension(ext, &item.path, EXT_RATIONALE);
        match self.extension::<Vec<String>>(ext, &item.path, EXT_NOTES) {
            Some(notes) => competency.notes = notes,
            None if !profile => competency.notes.extend(item.notes.clone()),
            None => {}
        }
        if let Some(grades) = self.extension(ext, &item.path, EXT_GRADES) {
            competency.grades = grades;
        }
        competency.importance_rank = self.extension(ext, &item.path, EXT_IMPORTANCE);
        if let Some(interview) = self.extension(ext, &item.path, EXT_INTERVIEW) {
            competency.interview = interview;
        }
        competency.evidence = self.extension(ext, &item.path, EXT_EVIDENCE);
    }

    /// The associations that are relations between competencies.
    fn relations(
        &mut self,
        framework: &mut Framework,
        index: &ItemIndex<'_>,
        relation_associations: &[&RawAssociation],
        placed: &Placed,
    ) {
        let (is_group, ids) = (&placed.is_group, &placed.ids);
        let index_of = |link: &Link| index.find(link);
        for &association in relation_associations {
            let ext = association.extensions.as_ref();
            let declared: Option<RelationType> =
                self.extension(ext, &association.path, EXT_RELATION);
            let external_flag = self
                .extension::<bool>(ext, &association.path, EXT_EXTERNAL)
                .unwrap_or(false);
            let (kind, reversed) = match declared {
                Some(RelationType::Narrower) => (RelationType::Narrower, true),
                Some(kind) => (kind, false),
                None => match self.relation_type(association) {
                    Some(kind) => (kind, false),
                    None => continue,
                },
            };
            let (from_link, to_link) = if reversed {
                (&association.destination, &association.origin)
            } else {
                (&association.origin, &association.destination)
            };
            let Some(from) = index_of(from_link).filter(|i| !is_group[*i]) else {
                self.note(
                    "CFAssociations[].originNodeURI",
                    NoteKind::Ignored,
                    "a relation that does not start at a competency of this package; Framewright relations link competencies",
                    &association.path,
                );
                continue;
            };
            let (to, external) = match index_of(to_link) {
                Some(i) if !external_flag => {
                    if is_group[i] {
                        self.note(
                            "CFAssociations[].destinationNodeURI",
                            NoteKind::Ignored,
                            "a relation to a group; Framewright relations link competencies",
                            &association.path,
                        );
                        continue;
                    }
                    (ids[i].clone(), false)
                }
                _ => (to_link.identifier.clone(), true),
            };
            framework.relations.push(Relation {
                from: ids[from].clone(),
                to,
                kind,
                external,
                note: association.notes.clone(),
            });
        }
    }

    fn relation_type(&mut self, association: &RawAssociation) -> Option<RelationType> {
        let adjusted = |reader: &mut Self, message: &str| {
            reader.note(
                "CFAssociations[].associationType",
                NoteKind::Adjusted,
                message,
                &association.path.key("associationType"),
            );
        };
        Some(match association.kind.as_str() {
            "precedes" => RelationType::Prerequisite,
            "isRelatedTo" => RelationType::Related,
            "exactMatchOf" => RelationType::ExactMatch,
            "replacedBy" => RelationType::ReplacedBy,
            "isChildOf" => RelationType::Broader,
            "isPartOf" => {
                adjusted(
                    self,
                    "isPartOf read as a broader relation (the whole is broader than its part)",
                );
                RelationType::Broader
            }
            "isPeerOf" => {
                adjusted(self, "isPeerOf read as a related relation");
                RelationType::Related
            }
            "ext:closeMatchOf" => RelationType::CloseMatch,
            other => {
                let name = other.strip_prefix("ext:").unwrap_or(other);
                if name.trim().is_empty() {
                    self.note(
                        "CFAssociations[].associationType",
                        NoteKind::NotUnderstood,
                        "an empty association type; left out",
                        &association.path,
                    );
                    return None;
                }
                if !other.starts_with("ext:")
                    && !matches!(other, "exemplar" | "hasSkillLevel" | "isTranslationOf")
                {
                    adjusted(
                        self,
                        "an association type that is not in the CASE vocabulary; kept as a relation type of your own",
                    );
                }
                RelationType::Custom(name.to_string())
            }
        })
    }

    /// A name and a statement (definition, description) for an item.
    fn name_and_statement(&mut self, item: &RawItem, profile: bool) -> (String, Option<String>) {
        let missing = item
            .extensions
            .as_ref()
            .and_then(|e| e.get(EXT_DEFINITION_MISSING))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        match (&item.abbreviated, &item.full) {
            (Some(name), full) => {
                let statement = if missing {
                    None
                } else if profile {
                    full.clone()
                } else {
                    full.clone().filter(|f| f.trim() != name.trim())
                };
                (name.clone(), statement)
            }
            (None, Some(full)) => {
                let short = short_name(full);
                if short.len() < full.trim().len() {
                    self.note(
                        "CFItems[].abbreviatedStatement",
                        NoteKind::Adjusted,
                        "an item without an abbreviated statement; its name is the start of the full statement, which is kept whole as the definition",
                        &item.path,
                    );
                    (short, Some(full.clone()))
                } else {
                    (full.trim().to_string(), None)
                }
            }
            (None, None) => (String::new(), None),
        }
    }

    fn rubrics(
        &mut self,
        framework: &mut Framework,
        raw: &[Value],
        path: &FieldPath,
        competency_by_item: &HashMap<String, usize>,
        default_scale: &ProficiencyScale,
    ) {
        let mut chosen = false;
        for (r, value) in raw.iter().enumerate() {
            let at = path.index(r);
            let Value::Object(map) = value else {
                continue;
            };
            let mut rubric = Obj::new(map, at.clone());
            let title = self.string(&mut rubric, "title", false);
            let ext = self.object(&mut rubric, "extensions");
            let criteria = self.array(&mut rubric, "CFRubricCriteria");
            for key in ["identifier", "uri", "lastChangeDateTime", "description"] {
                rubric.raw(key);
            }
            self.finish(rubric, &[]);
            if chosen {
                self.note(
                    "CFRubrics[]",
                    NoteKind::Ignored,
                    "a framework has one proficiency scale; only the first rubric was read",
                    &at,
                );
                continue;
            }
            chosen = true;
            let declared_scale: Option<ProficiencyScale> = self.extension(ext, &at, EXT_SCALE);
            // Levels: (criterion item, position/score, quality, content).
            let mut found: Vec<(usize, f64, Option<String>, LevelContentDraft)> = Vec::new();
            for (c, criterion) in criteria.iter().enumerate() {
                let cat = at.item("CFRubricCriteria", c);
                let Value::Object(map) = criterion else {
                    continue;
                };
                let mut obj = Obj::new(map, cat.clone());
                let item_link = self.link(&mut obj, "CFItemURI");
                let levels = self.array(&mut obj, "CFRubricCriterionLevels");
                for key in [
                    "identifier",
                    "uri",
                    "lastChangeDateTime",
                    "category",
                    "description",
                    "position",
                    "rubricId",
                    "extensions",
                ] {
                    obj.raw(key);
                }
                self.finish(
                    obj,
                    &[(
                        "weight",
                        "Framewright has no criterion weights; role profiles carry importance",
                    )],
                );
                let Some(competency) =
                    item_link.and_then(|l| competency_by_item.get(l.identifier.as_str()).copied())
                else {
                    self.note(
                        "CFRubrics[].CFRubricCriteria[].CFItemURI",
                        NoteKind::NotUnderstood,
                        "a rubric criterion that does not point at a competency of this package; left out",
                        &cat,
                    );
                    continue;
                };
                for (l, level) in levels.iter().enumerate() {
                    let lat = cat.item("CFRubricCriterionLevels", l);
                    let Value::Object(map) = level else {
                        continue;
                    };
                    if let Some((number, quality, content)) = self.criterion_level(map, &lat, l) {
                        found.push((competency, number, quality, content));
                    }
                }
            }
            let scale = match declared_scale {
                Some(scale) => scale,
                None => self.scale_from_levels(&found, title.as_deref(), default_scale, &at),
            };
            apply_levels(framework, found, &scale);
            framework.scale = scale;
        }
        if !chosen {
            framework.scale = default_scale.clone();
            if !framework.competencies.is_empty() {
                self.note(
                    "CFRubrics",
                    NoteKind::Adjusted,
                    &format!(
                        "the package has no rubric, so no proficiency levels; the framework uses the default scale `{}`",
                        default_scale.id
                    ),
                    &FieldPath::root(),
                );
            }
        }
    }

    /// One level of a rubric criterion: its number (position or score), quality and content.
    fn criterion_level(
        &mut self,
        map: &Map<String, Value>,
        lat: &FieldPath,
        l: usize,
    ) -> Option<(f64, Option<String>, LevelContentDraft)> {
        let mut obj = Obj::new(map, lat.clone());
        let quality = self.string(&mut obj, "quality", false);
        let description = self.string(&mut obj, "description", true);
        let number = match (obj.raw("position"), obj.raw("score")) {
            (Some(Value::Number(p)), _) => p.as_f64(),
            (_, Some(Value::Number(s))) => s.as_f64(),
            _ => None,
        }
        .unwrap_or((l + 1) as f64);
        let feedback = self.string(&mut obj, "feedback", false);
        let ext_level = match obj.raw("extensions") {
            Some(Value::Array(list)) => list
                .iter()
                .find_map(|e| e.get(EXT_LEVEL))
                .and_then(|v| serde_json::from_value::<LevelExt>(v.clone()).ok()),
            Some(Value::Object(map)) => map
                .get(EXT_LEVEL)
                .and_then(|v| serde_json::from_value::<LevelExt>(v.clone()).ok()),
            _ => None,
        };
        for key in [
            "identifier",
            "uri",
            "lastChangeDateTime",
            "rubricCriterionId",
        ] {
            obj.raw(key);
        }
        self.finish(obj, &[]);
        if feedback.is_some() {
            self.note(
                "CFRubrics[].CFRubricCriteria[].CFRubricCriterionLevels[].feedback",
                NoteKind::Ignored,
                "Framewright levels have a description and indicators, no feedback text",
                &lat.key("feedback"),
            );
        }
        let content = match ext_level {
            Some(ext) => LevelContentDraft::Exact(ext),
            None => LevelContentDraft::Text(description),
        };
        Some((number, quality, content))
    }

    fn scale_from_levels(
        &mut self,
        found: &[(usize, f64, Option<String>, LevelContentDraft)],
        title: Option<&str>,
        default_scale: &ProficiencyScale,
        at: &FieldPath,
    ) -> ProficiencyScale {
        let mut numbers: Vec<(f64, Option<String>)> = Vec::new();
        for (_, number, quality, _) in found {
            if !numbers.iter().any(|(n, _)| n == number) {
                numbers.push((*number, quality.clone()));
            }
        }
        numbers.sort_by(|a, b| a.0.total_cmp(&b.0));
        if numbers.is_empty() {
            self.note(
                "CFRubrics[]",
                NoteKind::Adjusted,
                &format!(
                    "the rubric has no levels; the framework uses the default scale `{}`",
                    default_scale.id
                ),
                at,
            );
            return default_scale.clone();
        }
        if numbers.len() > usize::from(u8::MAX) {
            numbers.truncate(usize::from(u8::MAX));
        }
        self.note(
            "CFRubrics[]",
            NoteKind::Adjusted,
            "the proficiency scale was made from the rubric's levels (their quality as names); CASE has no general level descriptions, so they repeat the names",
            at,
        );
        let name = title.unwrap_or("Proficiency scale").to_string();
        ProficiencyScale {
            id: {
                let slug = framewright_model::slug::slugify(&name);
                if slug.is_empty() {
                    "case-rubric".into()
                } else {
                    slug
                }
            },
            name,
            source: None,
            levels: numbers
                .iter()
                .enumerate()
                .map(|(i, (number, quality))| {
                    let level = u8::try_from(i + 1).unwrap_or(u8::MAX);
                    let label = quality.clone().unwrap_or_else(|| format!("Level {number}"));
                    ProficiencyLevel {
                        level,
                        name: label.clone(),
                        description: label,
                    }
                })
                .collect(),
        }
    }

    /// Drops what would make the framework invalid (relations in a cycle, dangling role
    /// targets, …), noting each.
    fn make_valid(&mut self, framework: &mut Framework) {
        for _ in 0..1000 {
            let problems = validate::problems(framework);
            let Some(problem) = problems.first() else {
                return;
            };
            let segments = &problem.path.0;
            use framewright_model::path::Segment;
            let message = format!("{}; the entry was left out", problem.message);
            match segments.as_slice() {
                [Segment::Key(k), Segment::Index(i), ..] if k == "relations" => {
                    framework.relations.remove(*i);
                    self.note(
                        "relations",
                        NoteKind::Adjusted,
                        &message,
                        &FieldPath::root(),
                    );
                }
                [
                    Segment::Key(k),
                    Segment::Index(i),
                    Segment::Key(t),
                    Segment::Index(j),
                    ..,
                ] if k == "role_profiles" && t == "targets" => {
                    if let Some(profile) = framework.role_profiles.get_mut(*i) {
                        profile.targets.remove(*j);
                    }
                    self.note(
                        "role_profiles",
                        NoteKind::Adjusted,
                        &message,
                        &FieldPath::root(),
                    );
                }
                [Segment::Key(k), Segment::Index(i), ..] if k == "role_profiles" => {
                    framework.role_profiles.remove(*i);
                    self.note(
                        "role_profiles",
                        NoteKind::Adjusted,
                        &message,
                        &FieldPath::root(),
                    );
                }
                [
                    Segment::Key(k),
                    Segment::Index(i),
                    Segment::Key(l),
                    Segment::Index(j),
                    ..,
                ] if k == "competencies" && l == "levels" => {
                    if let Some(c) = framework.competencies.get_mut(*i) {
                        c.levels.remove(*j);
                    }
                    self.note(
                        "competencies",
                        NoteKind::Adjusted,
                        &message,
                        &FieldPath::root(),
                    );
                }
                [
                    Segment::Key(k),
                    Segment::Index(i),
                    Segment::Key(l),
                    Segment::Index(j),
                    ..,
                ] if k == "competencies" && l == "interview" => {
                    if let Some(c) = framework.competencies.get_mut(*i) {
                        c.interview.remove(*j);
                    }
                    self.note(
                        "competencies",
                        NoteKind::Adjusted,
                        &message,
                        &FieldPath::root(),
                    );
                }
                [Segment::Key(k), ..] if k == "scale" => {
                    self.note("scale", NoteKind::Adjusted, &message, &FieldPath::root());
                    framework.scale.levels.retain(|l| !l.name.trim().is_empty());
                    for (i, level) in framework.scale.levels.iter_mut().enumerate() {
                        level.level = u8::try_from(i + 1).unwrap_or(u8::MAX);
                    }
                    if framework.scale.id.trim().is_empty() {
                        framework.scale.id = "scale".into();
                    }
                    if framework.scale.levels.is_empty() {
                        return;
                    }
                }
                _ => return,
            }
        }
    }
}

const ITEM_KNOWN: [(&str, &str); 10] = [
    (
        "conceptKeywords",
        "Framewright competencies have no keyword list",
    ),
    (
        "conceptKeywordsURI",
        "Framewright competencies have no keyword vocabulary",
    ),
    ("subject", "Framewright competencies have no subject"),
    ("subjectURI", "Framewright competencies have no subject"),
    (
        "language",
        "Framewright competencies have no language field",
    ),
    ("educationLevel", "Framewright has no education levels"),
    ("licenseURI", "Framewright keeps one licence per framework"),
    (
        "statusStartDate",
        "Framewright competencies have no status dates",
    ),
    (
        "statusEndDate",
        "Framewright competencies have no status dates",
    ),
    (
        "CFItemAssociationURI",
        "a link to the item's associations is not needed inside a package",
    ),
];

#[derive(serde::Deserialize)]
struct LevelExt {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    indicators: Vec<String>,
    #[serde(default)]
    draft: bool,
}

enum LevelContentDraft {
    Exact(LevelExt),
    Text(Option<String>),
}

struct RawItem {
    index: usize,
    path: FieldPath,
    identifier: String,
    full: Option<String>,
    abbreviated: Option<String>,
    code: Option<String>,
    item_type: Option<String>,
    notes: Option<String>,
    alternative: Option<String>,
    uri: Option<String>,
    extensions: Option<Map<String, Value>>,
}

struct Link {
    identifier: String,
    uri: Option<String>,
    #[allow(dead_code)]
    title: Option<String>,
}

struct RawAssociation {
    path: FieldPath,
    kind: String,
    origin: Link,
    destination: Link,
    sequence: Option<i64>,
    notes: Option<String>,
    extensions: Option<Map<String, Value>>,
}

/// An item's parent: the parent item (`None`: top level), its sequence number and the
/// association's position.
type ParentLink = Option<(Option<usize>, i64, usize)>;

/// The package's items, found by identifier or URI.
struct ItemIndex<'i> {
    items: &'i [RawItem],
    by_identifier: HashMap<&'i str, usize>,
    document_id: &'i str,
}

impl<'i> ItemIndex<'i> {
    fn new(items: &'i [RawItem], document_id: &'i str) -> Self {
        let by_identifier = items
            .iter()
            .enumerate()
            .map(|(i, item)| (item.identifier.as_str(), i))
            .collect();
        ItemIndex {
            items,
            by_identifier,
            document_id,
        }
    }

    fn find(&self, link: &Link) -> Option<usize> {
        self.by_identifier
            .get(link.identifier.as_str())
            .copied()
            .or_else(|| {
                let uri = link.uri.as_deref()?;
                self.items
                    .iter()
                    .position(|item| item.uri.as_deref() == Some(uri))
            })
    }

    fn is_document(&self, link: &Link) -> bool {
        link.identifier == self.document_id && !self.by_identifier.contains_key(self.document_id)
    }
}

/// Where the items went: parents, which are groups, and their ids.
struct Placed {
    parent: Vec<ParentLink>,
    is_group: Vec<bool>,
    ids: Vec<String>,
}

/// Puts the rubric's levels on the competencies, their numbers mapped onto the scale's.
fn apply_levels(
    framework: &mut Framework,
    found: Vec<(usize, f64, Option<String>, LevelContentDraft)>,
    scale: &ProficiencyScale,
) {
    let numbers: Vec<f64> = {
        let mut n: Vec<f64> = found.iter().map(|(_, p, _, _)| *p).collect();
        n.sort_by(f64::total_cmp);
        n.dedup();
        n
    };
    let exact = numbers
        .iter()
        .all(|n| n.fract() == 0.0 && *n >= 1.0 && scale.contains(*n as u8));
    for (competency, number, _, content) in found {
        let level = if exact {
            number as u8
        } else {
            match numbers.iter().position(|n| *n == number) {
                Some(p) => u8::try_from(p + 1).unwrap_or(u8::MAX),
                None => continue,
            }
        };
        if !scale.contains(level) {
            continue;
        }
        let content = match content {
            LevelContentDraft::Exact(ext) => Some(LevelContent {
                level,
                description: ext.description,
                indicators: ext.indicators,
                draft: ext.draft,
            }),
            LevelContentDraft::Text(Some(text)) => {
                let (description, indicators) = split_level_text(&text);
                Some(LevelContent {
                    level,
                    description,
                    indicators,
                    draft: false,
                })
            }
            LevelContentDraft::Text(None) => None,
        };
        if let Some(content) = content
            && let Some(c) = framework.competencies.get_mut(competency)
            && c.level(level).is_none()
        {
            c.levels.push(content);
        }
    }
    for c in &mut framework.competencies {
        c.levels.sort_by_key(|l| l.level);
    }
}

/// The order items are read in: a Framewright package lists items in the framework's order;
/// other packages are read as a tree in sequenceNumber order.
fn tree_order(count: usize, parent: &[ParentLink], profile: bool) -> Vec<usize> {
    if profile {
        (0..count).collect()
    } else {
        let mut children: HashMap<Option<usize>, Vec<(i64, usize, usize)>> = HashMap::new();
        for (i, p) in parent.iter().enumerate() {
            let (dest, seq, ord) = p.unwrap_or((None, i64::MAX, usize::MAX));
            children.entry(dest).or_default().push((seq, ord, i));
        }
        for list in children.values_mut() {
            list.sort();
        }
        let mut order = Vec::with_capacity(count);
        let mut visited = vec![false; count];
        let mut stack: Vec<usize> = children
            .get(&None)
            .map(|l| l.iter().rev().map(|(_, _, i)| *i).collect())
            .unwrap_or_default();
        while let Some(i) = stack.pop() {
            if visited[i] {
                continue;
            }
            visited[i] = true;
            order.push(i);
            if let Some(list) = children.get(&Some(i)) {
                stack.extend(list.iter().rev().map(|(_, _, c)| *c));
            }
        }
        order.extend((0..count).filter(|i| !visited[*i]));
        order
    }
}

fn source_id(identifier: Option<&str>, framework_id: &str) -> String {
    match identifier {
        Some(id) if !id.trim().is_empty() => format!("case:{id}"),
        _ => format!("case:{framework_id}"),
    }
}

/// A semantic version from a CASE version text: exact when it parses as is; `1`, `1.2`,
/// `v1.2.3` are completed; anything else is `None`.
fn parse_version(text: &str) -> Option<(semver::Version, bool)> {
    if let Ok(v) = semver::Version::parse(text) {
        return Some((v, true));
    }
    let trimmed = text.trim().trim_start_matches(['v', 'V']);
    let parts: Vec<&str> = trimmed.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut numbers = [0u64; 3];
    for (i, part) in parts.iter().enumerate() {
        numbers[i] = part.parse().ok()?;
    }
    Some((
        semver::Version::new(numbers[0], numbers[1], numbers[2]),
        false,
    ))
}

/// The first sentence of a statement, at most 80 characters, cut at a word.
fn short_name(full: &str) -> String {
    let text = full.trim();
    let sentence = match text.find(". ") {
        Some(i) => &text[..i],
        None => text.trim_end_matches('.'),
    };
    if sentence.chars().count() <= 80 {
        return sentence.to_string();
    }
    // A first clause of a reasonable length reads better than a cut mid-phrase.
    let clause_end = [", ", "; ", ": ", " – ", " — "]
        .iter()
        .filter_map(|sep| sentence.find(sep))
        .min();
    if let Some(end) = clause_end {
        let clause = &sentence[..end];
        if (15..=80).contains(&clause.chars().count()) {
            return clause.to_string();
        }
    }
    let mut out = String::new();
    for word in sentence.split_whitespace() {
        if out.chars().count() + word.chars().count() + 1 > 79 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

/// A level text as written by people or other tools: lines starting with `- `, `* ` or `• `
/// are indicators, the rest is the description.
fn split_level_text(text: &str) -> (Option<String>, Vec<String>) {
    let mut description = Vec::new();
    let mut indicators = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
            .or_else(|| trimmed.strip_prefix("• "))
        {
            indicators.push(rest.trim().to_string());
        } else {
            description.push(line);
        }
    }
    let description = description.join("\n").trim().to_string();
    ((!description.is_empty()).then_some(description), indicators)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_completed_when_they_are_close_to_semantic() {
        assert_eq!(
            parse_version("1.2.3").unwrap(),
            (semver::Version::new(1, 2, 3), true)
        );
        assert_eq!(
            parse_version("v2").unwrap(),
            (semver::Version::new(2, 0, 0), false)
        );
        assert_eq!(
            parse_version("1.4").unwrap(),
            (semver::Version::new(1, 4, 0), false)
        );
        assert!(parse_version("Spring 2019").is_none());
    }

    #[test]
    fn long_statements_give_short_names() {
        assert_eq!(short_name("Uses data. Then more."), "Uses data");
        let long = "word ".repeat(40);
        let name = short_name(&long);
        assert!(name.chars().count() <= 80 && name.ends_with('…'), "{name}");
    }

    #[test]
    fn level_text_splits_into_description_and_indicators() {
        let (d, i) = split_level_text("Handles routine cases.\n\n- Writes a prompt\n* Tests it");
        assert_eq!(d.as_deref(), Some("Handles routine cases."));
        assert_eq!(i, ["Writes a prompt", "Tests it"]);
    }
}
