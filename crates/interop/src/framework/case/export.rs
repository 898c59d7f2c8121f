//! Framework → CASE 1.1 package, with a field-by-field report of what CASE cannot hold.
//!
//! The mapping (documented for users in `docs/interop.md`):
//!
//! | framework | CASE 1.1 |
//! |---|---|
//! | the framework | `CFDocument` (`frameworkType` "Competency Framework", `caseVersion` "1.1") |
//! | title, description, version | `title`, `description`, `version` |
//! | owner | `creator` ("Not stated" when there is none) |
//! | status | `adoptionStatus` (Draft, In Review, Adopted, Deprecated) |
//! | licence | a `CFLicense` in `CFDefinitions`, linked by `licenseURI` |
//! | sources and attributions | `CFDocument.notes` (text) and `framewright:sources` |
//! | groups | `CFItem`s of type "Competency Group", nested with `isChildOf` |
//! | competencies | `CFItem`s typed by kind; name → `abbreviatedStatement`, definition → `fullStatement`, id → `humanCodingScheme` |
//! | group membership and order | `isChildOf` with `sequenceNumber` |
//! | relations | `precedes`, `isChildOf`, `isRelatedTo`, `exactMatchOf`, `replacedBy`, `ext:closeMatchOf`, `ext:<custom>` |
//! | the proficiency scale | one `CFRubric` |
//! | levels and indicators | one `CFRubricCriterion` per competency, one `CFRubricCriterionLevel` per scale level |
//! | everything else | namespaced `framewright:` extensions |
//!
//! Identifiers are lowercase UUIDv5 in Framewright's namespace, derived from the framework id
//! and each part's own id, so exporting the same framework again gives the same identifiers.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use framewright_model::catalogue::FRAMEWRIGHT_NAMESPACE;
use framewright_model::framework::{CompetencySource, Status};
use framewright_model::validate::{self, ValidationError};
use framewright_model::{CompetencyKind, Framework, FrameworkCompetency, RelationType};
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::package::{
    Association, Definitions, Document, Extensions, Item, ItemType, License, LinkGenUri, LinkUri,
    Package, Rubric, RubricCriterion, RubricCriterionLevel,
};
use super::{
    EXT_ALT_LABELS, EXT_DEFINITION_MISSING, EXT_EVIDENCE, EXT_EXTERNAL, EXT_FORMAT, EXT_GRADES,
    EXT_ID, EXT_IMPORTANCE, EXT_INTERVIEW, EXT_KIND, EXT_LEVEL, EXT_NOTES, EXT_OWNER, EXT_PROFILE,
    EXT_PROVENANCE, EXT_RATIONALE, EXT_RELATION, EXT_REVIEW, EXT_ROLE_PROFILES, EXT_SCALE,
    EXT_SOURCE, EXT_SOURCES, EXT_STATUS, GROUP_TYPE, PROFILE, adoption_status, item_type_for,
};

/// Choices for an export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The provider's CASE base URL (`https://example.org/ims/case/v1p1`); every `uri` is
    /// built from it. `None` writes `urn:uuid:<identifier>` URIs, which are valid but not
    /// resolvable.
    pub base_uri: Option<String>,
    /// The `lastChangeDateTime` of every record.
    pub last_change: OffsetDateTime,
    /// The `language` of the document and items (ISO 639), if known.
    pub language: Option<String>,
    /// Who publishes the framework (the server: the organisation's id), so that two
    /// publishers' frameworks with the same id get different identifiers; `None` (files) keeps
    /// the identifiers that depend on the framework id alone.
    pub scope: Option<String>,
}

impl ExportOptions {
    /// Options with `urn:uuid:` URIs and the given change time.
    pub fn new(last_change: OffsetDateTime) -> ExportOptions {
        ExportOptions {
            base_uri: None,
            last_change,
            language: None,
            scope: None,
        }
    }
}

/// Why a framework could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The framework breaks the rules of the model.
    #[error("the framework is not valid, so it cannot be exported:\n{}", list(.0))]
    Invalid(Vec<ValidationError>),
    /// The change time cannot be written as ISO 8601.
    #[error("the change time cannot be written as an ISO 8601 date-time: {0}")]
    Time(#[from] time::error::Format),
    /// The base URI is not an absolute URI.
    #[error(
        "the base URI `{0}` is not an absolute http(s) URL; give the provider's CASE address, for example https://example.org/ims/case/v1p1"
    )]
    BaseUri(String),
}

fn list(errors: &[ValidationError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// How a field fared in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// CASE has no field for it: it is written in a `framewright:` extension. Framewright reads
    /// it back; other CASE tools ignore it.
    Extension,
    /// Written in a CASE field that means something close but not the same.
    Approximated,
}

/// One field of the framework that CASE cannot hold as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LossEntry {
    /// The field, with `[]` for "every element" (`competencies[].grades`).
    pub field: String,
    /// What happened to it.
    pub fate: Fate,
    /// Where it went in the package.
    pub kept_in: String,
    /// Why, for people.
    pub reason: String,
    /// Every concerned path of the framework (`competencies[3].grades`).
    pub paths: Vec<String>,
}

/// What the export could not represent in standard CASE, field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LossReport {
    /// One entry per field, in the framework's order of fields.
    pub entries: Vec<LossEntry>,
}

impl LossReport {
    /// True when everything went into standard CASE fields.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn add(&mut self, field: &str, fate: Fate, kept_in: &str, reason: &str, path: String) {
        if let Some(entry) = self
            .entries
            .iter_mut()
            .find(|e| e.field == field && e.kept_in == kept_in)
        {
            entry.paths.push(path);
            return;
        }
        self.entries.push(LossEntry {
            field: field.to_string(),
            fate,
            kept_in: kept_in.to_string(),
            reason: reason.to_string(),
            paths: vec![path],
        });
    }
}

impl fmt::Display for LossReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries.is_empty() {
            return writeln!(f, "Everything fits in standard CASE 1.1 fields.");
        }
        writeln!(
            f,
            "CASE 1.1 has no place for these fields. Framewright reads them back from its own extensions; other CASE tools will not show them."
        )?;
        for entry in &self.entries {
            let count = entry.paths.len();
            let fate = match entry.fate {
                Fate::Extension => "kept in",
                Fate::Approximated => "approximated as",
            };
            writeln!(
                f,
                "  - {} ({count} {}): {}; {fate} {}",
                entry.field,
                if count == 1 { "value" } else { "values" },
                entry.reason,
                entry.kept_in
            )?;
        }
        Ok(())
    }
}

/// A package and its loss report.
#[derive(Debug, Clone)]
pub struct CaseExport {
    /// The package.
    pub package: Package,
    /// What CASE could not hold.
    pub report: LossReport,
}

impl CaseExport {
    /// The package as pretty JSON text ending in a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.package).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The package as a JSON value.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(&self.package).unwrap_or(Value::Null)
    }
}

/// The stable identifier of a part of framework `framework_id` (lowercase UUIDv5).
pub fn case_uuid(framework_id: &str, part: &str) -> String {
    scoped_case_uuid(None, framework_id, part)
}

/// The stable identifier of a part of framework `framework_id` as published by `scope` (see
/// [`ExportOptions::scope`]; `None` is [`case_uuid`]).
pub fn scoped_case_uuid(scope: Option<&str>, framework_id: &str, part: &str) -> String {
    let name = match scope {
        Some(scope) => format!("case:{scope}/{framework_id}:{part}"),
        None => format!("case:{framework_id}:{part}"),
    };
    Uuid::new_v5(&FRAMEWRIGHT_NAMESPACE, name.as_bytes()).to_string()
}

/// The identifier of the item type with code `type_code` (shared by every framework).
fn item_type_uuid(type_code: &str) -> String {
    Uuid::new_v5(
        &FRAMEWRIGHT_NAMESPACE,
        format!("case-item-type:{type_code}").as_bytes(),
    )
    .to_string()
}

/// Exports `framework` as a CASE 1.1 package.
pub fn export_case(
    framework: &Framework,
    options: &ExportOptions,
) -> Result<CaseExport, ExportError> {
    validate::validate(framework).map_err(ExportError::Invalid)?;
    if let Some(base) = &options.base_uri
        && !(base.starts_with("https://") || base.starts_with("http://"))
    {
        return Err(ExportError::BaseUri(base.clone()));
    }
    let when = options.last_change.format(&Rfc3339)?;
    let mut exporter = Exporter {
        framework,
        options,
        when,
        report: LossReport::default(),
        item_types: BTreeMap::new(),
    };
    let package = exporter.package();
    Ok(CaseExport {
        package,
        report: exporter.report,
    })
}

struct Exporter<'a> {
    framework: &'a Framework,
    options: &'a ExportOptions,
    when: String,
    report: LossReport,
    /// Item types used, by type code: (title, description, hierarchy code).
    item_types: BTreeMap<&'static str, (&'static str, &'static str, &'static str)>,
}

/// Whom a hierarchy link points at.
#[derive(Clone, Copy)]
enum Node<'a> {
    Document,
    Group(&'a str),
    Competency(&'a str),
}

impl<'a> Exporter<'a> {
    fn id(&self, part: &str) -> String {
        scoped_case_uuid(self.options.scope.as_deref(), &self.framework.id, part)
    }

    fn uri(&self, endpoint: &str, identifier: &str) -> String {
        match &self.options.base_uri {
            Some(base) => format!("{}/{endpoint}/{identifier}", base.trim_end_matches('/')),
            None => format!("urn:uuid:{identifier}"),
        }
    }

    fn node_key(node: Node<'_>) -> String {
        match node {
            Node::Document => "document".to_string(),
            Node::Group(id) => format!("group:{id}"),
            Node::Competency(id) => format!("competency:{id}"),
        }
    }

    fn node_link(&self, node: Node<'_>) -> LinkGenUri {
        let f = self.framework;
        let (identifier, endpoint, title) = match node {
            Node::Document => (self.id("document"), "CFDocuments", f.title.clone()),
            Node::Group(id) => (
                self.id(&Self::node_key(node)),
                "CFItems",
                f.groups
                    .iter()
                    .find(|g| g.id == id)
                    .map_or_else(|| id.to_string(), |g| g.name.clone()),
            ),
            Node::Competency(id) => (
                self.id(&Self::node_key(node)),
                "CFItems",
                f.competency(id)
                    .map_or_else(|| id.to_string(), |c| c.name.clone()),
            ),
        };
        LinkGenUri {
            title,
            uri: self.uri(endpoint, &identifier),
            identifier,
            target_type: None,
        }
    }

    fn package(&mut self) -> Package {
        let document = self.document();
        let mut items = Vec::new();
        let mut associations = Vec::new();
        self.hierarchy(&mut items, &mut associations);
        self.relations(&mut associations);
        let rubric = self.rubric();
        let mut definitions = Definitions::default();
        if let Some(licence) = &self.framework.licence {
            definitions.licenses.push(self.license(licence));
        }
        for (code, (title, description, hierarchy)) in &self.item_types {
            let identifier = item_type_uuid(code);
            definitions.item_types.push(ItemType {
                uri: self.uri("CFItemTypes", &identifier),
                identifier,
                title: (*title).to_string(),
                description: (*description).to_string(),
                hierarchy_code: (*hierarchy).to_string(),
                type_code: (*code).to_string(),
                last_change_date_time: self.when.clone(),
            });
        }
        Package {
            document,
            items,
            associations,
            definitions,
            rubrics: vec![rubric],
        }
    }

    fn license_link(&self, licence: &str) -> LinkUri {
        let identifier = self.id("license");
        LinkUri {
            title: licence_title(licence),
            uri: self.uri("CFLicenses", &identifier),
            identifier,
        }
    }

    fn license(&self, licence: &str) -> License {
        let link = self.license_link(licence);
        License {
            identifier: link.identifier,
            uri: link.uri,
            title: link.title,
            license_text: licence.to_string(),
            last_change_date_time: self.when.clone(),
        }
    }

    fn document(&mut self) -> Document {
        let f = self.framework;
        let identifier = self.id("document");
        let mut extensions = Extensions::new();
        extensions.insert(EXT_PROFILE.into(), json!(PROFILE));
        extensions.insert(EXT_FORMAT.into(), json!(f.format));
        extensions.insert(EXT_ID.into(), json!(f.id));
        extensions.insert(EXT_STATUS.into(), json!(f.status.as_str()));
        self.report.add(
            "id",
            Fate::Extension,
            "CFDocument.extensions[\"framewright:id\"]",
            "CASE identifies documents by UUID only; the framework's own id is kept beside it",
            "id".into(),
        );
        if f.status == Status::InReview {
            self.report.add(
                "status",
                Fate::Approximated,
                "CFDocument.adoptionStatus \"In Review\" (and extensions[\"framewright:status\"])",
                "CASE's usual adoption statuses are Private Draft, Draft, Adopted and Deprecated",
                "status".into(),
            );
        }
        match &f.owner {
            Some(owner) => {
                extensions.insert(EXT_OWNER.into(), json!(owner));
            }
            None => self.report.add(
                "owner",
                Fate::Approximated,
                "CFDocument.creator \"Not stated\"",
                "CASE requires a creator and the framework names no owner",
                "owner".into(),
            ),
        }
        if f.review != Default::default() {
            extensions.insert(EXT_REVIEW.into(), to_value(&f.review));
            self.report.add(
                "review",
                Fate::Extension,
                "CFDocument.extensions[\"framewright:review\"]",
                "CASE has no review dates",
                "review".into(),
            );
        }
        if let Some(provenance) = &f.provenance {
            extensions.insert(EXT_PROVENANCE.into(), to_value(provenance));
            self.report.add(
                "provenance",
                Fate::Extension,
                "CFDocument.extensions[\"framewright:provenance\"]",
                "CASE has no field for how a framework was generated",
                "provenance".into(),
            );
        }
        if !f.role_profiles.is_empty() {
            extensions.insert(EXT_ROLE_PROFILES.into(), to_value(&f.role_profiles));
            for i in 0..f.role_profiles.len() {
                self.report.add(
                    "role_profiles",
                    Fate::Extension,
                    "CFDocument.extensions[\"framewright:roleProfiles\"]",
                    "CASE has no role or job profiles (required level and importance per competency)",
                    format!("role_profiles[{i}]"),
                );
            }
        }
        let mut notes = None;
        if !f.sources.is_empty() {
            extensions.insert(EXT_SOURCES.into(), to_value(&f.sources));
            notes = Some(attribution_text(f));
            for i in 0..f.sources.len() {
                self.report.add(
                    "sources",
                    Fate::Approximated,
                    "CFDocument.notes (attribution text) and extensions[\"framewright:sources\"]",
                    "CASE has one free-text notes field and no structured list of sources",
                    format!("sources[{i}]"),
                );
            }
        }
        Document {
            uri: self.uri("CFDocuments", &identifier),
            identifier,
            framework_type: Some("Competency Framework".into()),
            case_version: "1.1".into(),
            creator: f.owner.clone().unwrap_or_else(|| NOT_STATED.into()),
            title: f.title.clone(),
            last_change_date_time: self.when.clone(),
            official_source_url: None,
            publisher: None,
            description: f.description.clone(),
            language: self.options.language.clone(),
            version: Some(f.version.to_string()),
            adoption_status: Some(adoption_status(f.status).into()),
            license_uri: f.licence.as_deref().map(|l| self.license_link(l)),
            notes,
            extensions,
        }
    }

    fn use_type(&mut self, kind: Option<CompetencyKind>) -> LinkUri {
        let (code, title, description, hierarchy) = item_type_for(kind);
        self.item_types
            .insert(code, (title, description, hierarchy));
        let identifier = item_type_uuid(code);
        LinkUri {
            title: title.to_string(),
            uri: self.uri("CFItemTypes", &identifier),
            identifier,
        }
    }

    fn hierarchy(&mut self, items: &mut Vec<Item>, associations: &mut Vec<Association>) {
        let f = self.framework;
        // Children of each parent, in the framework's order: groups first, then competencies.
        let mut children: HashMap<String, Vec<Node<'a>>> = HashMap::new();
        for group in &f.groups {
            let parent = group.parent.as_deref().map_or(Node::Document, Node::Group);
            children
                .entry(Self::node_key(parent))
                .or_default()
                .push(Node::Group(&group.id));
        }
        for competency in &f.competencies {
            let parent = competency
                .group
                .as_deref()
                .map_or(Node::Document, Node::Group);
            children
                .entry(Self::node_key(parent))
                .or_default()
                .push(Node::Competency(&competency.id));
        }
        let mut parent_of: HashMap<String, (Node<'a>, i32)> = HashMap::new();
        for group in &f.groups {
            let parent = group.parent.as_deref().map_or(Node::Document, Node::Group);
            parent_of.insert(Self::node_key(Node::Group(&group.id)), (parent, 0));
        }
        for competency in &f.competencies {
            let parent = competency
                .group
                .as_deref()
                .map_or(Node::Document, Node::Group);
            parent_of.insert(
                Self::node_key(Node::Competency(&competency.id)),
                (parent, 0),
            );
        }
        for siblings in children.values() {
            for (position, child) in siblings.iter().enumerate() {
                if let Some(entry) = parent_of.get_mut(&Self::node_key(*child)) {
                    entry.1 = i32::try_from(position + 1).unwrap_or(i32::MAX);
                }
            }
        }

        for group in &f.groups {
            let node = Node::Group(&group.id);
            let key = Self::node_key(node);
            let identifier = self.id(&key);
            let type_link = self.use_type(None);
            let mut extensions = Extensions::new();
            if group.description.is_none() {
                extensions.insert(EXT_DEFINITION_MISSING.into(), json!(true));
            }
            items.push(Item {
                uri: self.uri("CFItems", &identifier),
                identifier,
                full_statement: group
                    .description
                    .clone()
                    .unwrap_or_else(|| group.name.clone()),
                item_type: Some(GROUP_TYPE.into()),
                human_coding_scheme: Some(group.id.clone()),
                list_enumeration: None,
                abbreviated_statement: Some(group.name.clone()),
                notes: None,
                language: self.options.language.clone(),
                item_type_uri: Some(type_link),
                last_change_date_time: self.when.clone(),
                extensions,
            });
        }
        for (index, competency) in f.competencies.iter().enumerate() {
            let item = self.competency_item(index, competency);
            items.push(item);
        }
        // Hierarchy associations in item order.
        let nodes: Vec<Node<'a>> = f
            .groups
            .iter()
            .map(|g| Node::Group(g.id.as_str()))
            .chain(
                f.competencies
                    .iter()
                    .map(|c| Node::Competency(c.id.as_str())),
            )
            .collect();
        for node in nodes {
            let key = Self::node_key(node);
            let Some(&(parent, sequence)) = parent_of.get(&key) else {
                continue;
            };
            let identifier = self.id(&format!("child:{key}"));
            associations.push(Association {
                uri: self.uri("CFAssociations", &identifier),
                identifier,
                association_type: "isChildOf".into(),
                sequence_number: Some(sequence),
                origin: self.node_link(node),
                destination: self.node_link(parent),
                last_change_date_time: self.when.clone(),
                notes: None,
                extensions: Extensions::new(),
            });
        }
    }

    fn competency_item(&mut self, index: usize, c: &FrameworkCompetency) -> Item {
        let key = Self::node_key(Node::Competency(&c.id));
        let identifier = self.id(&key);
        let type_link = self.use_type(Some(c.kind));
        let path = |field: &str| format!("competencies[{index}].{field}");
        let mut extensions = Extensions::new();
        extensions.insert(EXT_KIND.into(), json!(c.kind.as_str()));
        if c.definition.is_none() {
            extensions.insert(EXT_DEFINITION_MISSING.into(), json!(true));
        }
        if !c.alt_labels.is_empty() {
            extensions.insert(EXT_ALT_LABELS.into(), json!(c.alt_labels));
            self.report.add(
                "competencies[].alt_labels",
                Fate::Extension,
                "CFItem.extensions[\"framewright:altLabels\"]",
                "CASE's alternativeLabel is one term for the kind of statement, not a list of other names",
                path("alt_labels"),
            );
        }
        if let Some(source) = &c.source {
            extensions.insert(EXT_SOURCE.into(), to_value(source));
            self.report.add(
                "competencies[].source",
                Fate::Approximated,
                "CFItem.notes (text) and extensions[\"framewright:source\"]",
                "CASE has no field naming the catalogue entry an item was taken from",
                path("source"),
            );
        }
        if let Some(rationale) = &c.rationale {
            extensions.insert(EXT_RATIONALE.into(), json!(rationale));
            self.report.add(
                "competencies[].rationale",
                Fate::Extension,
                "CFItem.extensions[\"framewright:rationale\"]",
                "CASE has no field for why a competency was selected",
                path("rationale"),
            );
        }
        if !c.notes.is_empty() {
            extensions.insert(EXT_NOTES.into(), json!(c.notes));
        }
        if !c.grades.is_empty() {
            extensions.insert(EXT_GRADES.into(), to_value(&c.grades));
            self.report.add(
                "competencies[].grades",
                Fate::Extension,
                "CFItem.extensions[\"framewright:grades\"]",
                "CASE has no field for OPM grade applicability (its educationLevel means school grades)",
                path("grades"),
            );
        }
        if let Some(rank) = &c.importance_rank {
            extensions.insert(EXT_IMPORTANCE.into(), to_value(rank));
            self.report.add(
                "competencies[].importance_rank",
                Fate::Extension,
                "CFItem.extensions[\"framewright:importanceRank\"]",
                "CASE has no field for importance ranks",
                path("importance_rank"),
            );
        }
        if let Some(evidence) = &c.evidence {
            extensions.insert(EXT_EVIDENCE.into(), to_value(evidence));
            self.report.add(
                "competencies[].evidence",
                Fate::Extension,
                "CFItem.extensions[\"framewright:evidence\"]",
                "CASE has no field for the evidence a competency was selected on",
                path("evidence"),
            );
        }
        if !c.interview.is_empty() {
            extensions.insert(EXT_INTERVIEW.into(), to_value(&c.interview));
            self.report.add(
                "competencies[].interview",
                Fate::Extension,
                "CFItem.extensions[\"framewright:interview\"]",
                "CASE has no field for interview questions and rating anchors",
                path("interview"),
            );
        }
        Item {
            uri: self.uri("CFItems", &identifier),
            identifier,
            full_statement: c.definition.clone().unwrap_or_else(|| c.name.clone()),
            item_type: Some(type_link.title.clone()),
            human_coding_scheme: Some(c.id.clone()),
            list_enumeration: None,
            abbreviated_statement: Some(c.name.clone()),
            notes: item_notes(c.source.as_ref(), &c.notes, self.framework),
            language: self.options.language.clone(),
            item_type_uri: Some(type_link),
            last_change_date_time: self.when.clone(),
            extensions,
        }
    }

    fn relations(&mut self, associations: &mut Vec<Association>) {
        let f = self.framework;
        let mut occurrences: HashMap<String, usize> = HashMap::new();
        for (index, relation) in f.relations.iter().enumerate() {
            let from = Node::Competency(&relation.from);
            let external_link = |to: &str| LinkGenUri {
                title: to.to_string(),
                identifier: to.to_string(),
                uri: external_uri(to),
                target_type: None,
            };
            let to_link = if relation.external {
                external_link(&relation.to)
            } else {
                self.node_link(Node::Competency(&relation.to))
            };
            let from_link = self.node_link(from);
            let (association_type, origin, destination) = match &relation.kind {
                RelationType::Prerequisite => ("precedes".to_string(), from_link, to_link),
                RelationType::Broader => ("isChildOf".to_string(), from_link, to_link),
                RelationType::Narrower => ("isChildOf".to_string(), to_link, from_link),
                RelationType::Related => ("isRelatedTo".to_string(), from_link, to_link),
                RelationType::ExactMatch => ("exactMatchOf".to_string(), from_link, to_link),
                RelationType::ReplacedBy => ("replacedBy".to_string(), from_link, to_link),
                RelationType::CloseMatch => {
                    self.report.add(
                        "relations[].type",
                        Fate::Approximated,
                        "custom association types (ext:…)",
                        "CASE has no association type for close matches or for types of your own",
                        format!("relations[{index}].type"),
                    );
                    ("ext:closeMatchOf".to_string(), from_link, to_link)
                }
                RelationType::Custom(name) => {
                    self.report.add(
                        "relations[].type",
                        Fate::Approximated,
                        "custom association types (ext:…)",
                        "CASE has no association type for close matches or for types of your own",
                        format!("relations[{index}].type"),
                    );
                    (format!("ext:{}", ext_name(name)), from_link, to_link)
                }
            };
            let mut extensions = Extensions::new();
            extensions.insert(EXT_RELATION.into(), json!(relation.kind.as_str()));
            if relation.external {
                extensions.insert(EXT_EXTERNAL.into(), json!(true));
            }
            let key = format!(
                "relation:{}:{}:{}:{}",
                relation.kind.as_str(),
                relation.from,
                relation.to,
                relation.external
            );
            let seen = occurrences.entry(key.clone()).or_insert(0);
            *seen += 1;
            let key = if *seen > 1 {
                format!("{key}:{seen}")
            } else {
                key
            };
            let identifier = self.id(&key);
            associations.push(Association {
                uri: self.uri("CFAssociations", &identifier),
                identifier,
                association_type,
                sequence_number: None,
                origin,
                destination,
                last_change_date_time: self.when.clone(),
                notes: relation.note.clone(),
                extensions,
            });
        }
    }

    fn rubric(&mut self) -> Rubric {
        let f = self.framework;
        let scale = &f.scale;
        let rubric_id = self.id(&format!("rubric:{}", scale.id));
        let mut criteria = Vec::new();
        for (index, c) in f.competencies.iter().enumerate() {
            let criterion_id = self.id(&format!("criterion:{}", c.id));
            let item_id = self.id(&Self::node_key(Node::Competency(&c.id)));
            let mut levels = Vec::new();
            for level in &scale.levels {
                let level_id = self.id(&format!("criterion-level:{}:{}", c.id, level.level));
                let content = c.level(level.level);
                let mut extensions = Vec::new();
                if let Some(content) = content {
                    let mut ext = Extensions::new();
                    ext.insert(
                        EXT_LEVEL.into(),
                        json!({
                            "description": content.description,
                            "indicators": content.indicators,
                            "draft": content.draft,
                        }),
                    );
                    extensions.push(ext);
                }
                levels.push(RubricCriterionLevel {
                    uri: self.uri("uri", &level_id),
                    identifier: level_id,
                    description: content.and_then(level_text),
                    quality: level.name.clone(),
                    score: f64::from(level.level),
                    position: i32::from(level.level),
                    rubric_criterion_id: criterion_id.clone(),
                    last_change_date_time: self.when.clone(),
                    extensions,
                });
            }
            let category = c.group.as_ref().and_then(|g| {
                f.groups
                    .iter()
                    .find(|group| &group.id == g)
                    .map(|group| group.name.clone())
            });
            criteria.push(RubricCriterion {
                uri: self.uri("uri", &criterion_id),
                identifier: criterion_id,
                category,
                description: Some(c.name.clone()),
                item_uri: LinkUri {
                    title: c.name.clone(),
                    uri: self.uri("CFItems", &item_id),
                    identifier: item_id,
                },
                position: i32::try_from(index + 1).unwrap_or(i32::MAX),
                rubric_id: rubric_id.clone(),
                last_change_date_time: self.when.clone(),
                levels,
            });
        }
        let mut extensions = Extensions::new();
        extensions.insert(EXT_SCALE.into(), to_value(scale));
        self.report.add(
            "scale.levels[].description",
            Fate::Extension,
            "CFRubric.description (text) and extensions[\"framewright:scale\"]",
            "a CASE rubric level belongs to one criterion, so the scale's general level descriptions have no field of their own",
            "scale".into(),
        );
        Rubric {
            uri: self.uri("CFRubrics", &rubric_id),
            identifier: rubric_id,
            title: scale.name.clone(),
            description: Some(scale_text(f)),
            last_change_date_time: self.when.clone(),
            criteria,
            extensions,
        }
    }
}

/// What the creator says when the framework names no owner.
pub const NOT_STATED: &str = "Not stated";

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn licence_title(licence: &str) -> String {
    let first = licence.lines().next().unwrap_or(licence).trim();
    if first.chars().count() <= 120 {
        first.to_string()
    } else {
        let cut: String = first.chars().take(117).collect();
        format!("{cut}…")
    }
}

/// The attribution text every export carries: one paragraph per source.
pub fn attribution_text(framework: &Framework) -> String {
    let mut parts = Vec::new();
    for source in &framework.sources {
        let mut text = source
            .attribution
            .clone()
            .unwrap_or_else(|| format!("Source: {}.", source.name));
        if let Some(licence) = &source.licence {
            text.push_str(&format!(" Licence: {licence}."));
        }
        if let Some(url) = &source.url {
            text.push_str(&format!(" {url}"));
        }
        parts.push(text);
    }
    parts.join("\n\n")
}

fn item_notes(
    source: Option<&CompetencySource>,
    notes: &[String],
    framework: &Framework,
) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(source) = source {
        let name = framework
            .sources
            .iter()
            .find(|s| s.catalogue == source.catalogue)
            .map_or(source.catalogue.as_str(), |s| s.name.as_str());
        let mut text = format!("Source: {name}, {}", source.id);
        if let Some(uri) = &source.uri {
            text.push_str(&format!(" ({uri})"));
        }
        text.push('.');
        parts.push(text);
    }
    parts.extend(notes.iter().cloned());
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// A level's text for people: the description, then the indicators as a list.
fn level_text(content: &framewright_model::LevelContent) -> Option<String> {
    let mut text = content.description.clone().unwrap_or_default();
    if !content.indicators.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let list: Vec<String> = content
            .indicators
            .iter()
            .map(|i| format!("- {i}"))
            .collect();
        text.push_str(&list.join("\n"));
    }
    (!text.is_empty()).then_some(text)
}

fn scale_text(framework: &Framework) -> String {
    let scale = &framework.scale;
    let mut lines = vec![format!(
        "Proficiency scale `{}` with {} levels.",
        scale.id,
        scale.levels.len()
    )];
    for level in &scale.levels {
        lines.push(format!(
            "- {} {}: {}",
            level.level, level.name, level.description
        ));
    }
    if let Some(source) = &scale.source {
        lines.push(format!("Source: {source}"));
    }
    lines.join("\n")
}

/// A name usable after `ext:` (letters, digits, `.`, `-`, `_`).
fn ext_name(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | '_') {
            if upper {
                out.push(ch.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(ch);
            }
        } else if !out.is_empty() {
            upper = true;
        }
    }
    if out.is_empty() {
        "custom".to_string()
    } else {
        out
    }
}

/// A valid URI for an external item: the item itself when it is an absolute URI, otherwise a
/// `urn:uuid:` derived from it.
fn external_uri(to: &str) -> String {
    let looks_absolute = to.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && !rest.is_empty()
            && !rest.contains(char::is_whitespace)
    });
    if looks_absolute {
        to.to_string()
    } else {
        format!(
            "urn:uuid:{}",
            Uuid::new_v5(&FRAMEWRIGHT_NAMESPACE, format!("external:{to}").as_bytes())
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_names_keep_allowed_characters() {
        assert_eq!(ext_name("builds on"), "buildsOn");
        assert_eq!(ext_name("requires_at-grade.v2"), "requires_at-grade.v2");
        assert_eq!(ext_name("→"), "custom");
    }

    #[test]
    fn external_items_get_valid_uris() {
        assert_eq!(
            external_uri("http://data.europa.eu/esco/skill/abc"),
            "http://data.europa.eu/esco/skill/abc"
        );
        assert!(external_uri("NICE K0001").starts_with("urn:uuid:"));
        assert!(external_uri("K0001").starts_with("urn:uuid:"));
    }
}
