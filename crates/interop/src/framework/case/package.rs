//! The CASE 1.1 package classes exactly as the 1.1 JSON Schema defines them (REST binding,
//! `getCFPackage` response): field names, required fields, no `null`s (absent optional fields are
//! left out, because 1.1 types are not nullable). Used to write packages; reading uses the
//! lenient forms in `import`.

use serde::Serialize;
use serde_json::{Map, Value};

/// Namespaced extension properties (`framewright:grades`, …).
pub type Extensions = Map<String, Value>;

/// A `CFPackage`: the document and everything in it.
#[derive(Debug, Clone, Serialize)]
pub struct Package {
    /// The framework.
    #[serde(rename = "CFDocument")]
    pub document: Document,
    /// Groups and competencies.
    #[serde(rename = "CFItems")]
    pub items: Vec<Item>,
    /// Hierarchy and relations.
    #[serde(rename = "CFAssociations")]
    pub associations: Vec<Association>,
    /// Item types and licences.
    #[serde(rename = "CFDefinitions")]
    pub definitions: Definitions,
    /// The proficiency rubric.
    #[serde(rename = "CFRubrics")]
    pub rubrics: Vec<Rubric>,
}

/// A link to an object identified by a UUID (`LinkURI`).
#[derive(Debug, Clone, Serialize)]
pub struct LinkUri {
    /// Title for people.
    pub title: String,
    /// The object's UUID.
    pub identifier: String,
    /// The object's URI.
    pub uri: String,
}

/// A link to any object, inside or outside CASE (`LinkGenURI`).
#[derive(Debug, Clone, Serialize)]
pub struct LinkGenUri {
    /// Title for people.
    pub title: String,
    /// The object's identifier (any string).
    pub identifier: String,
    /// The object's URI.
    pub uri: String,
    /// `CASE` or `ext:…` (1.1).
    #[serde(rename = "targetType", skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

/// `CFPckgDocument`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// UUID.
    pub identifier: String,
    /// URI.
    pub uri: String,
    /// "Competency Framework".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub framework_type: Option<String>,
    /// Always "1.1".
    pub case_version: String,
    /// Who promulgates the framework.
    pub creator: String,
    /// Title.
    pub title: String,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
    /// Official source.
    #[serde(rename = "officialSourceURL", skip_serializing_if = "Option::is_none")]
    pub official_source_url: Option<String>,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Language (ISO 639).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Publication status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adoption_status: Option<String>,
    /// Licence.
    #[serde(rename = "licenseURI", skip_serializing_if = "Option::is_none")]
    pub license_uri: Option<LinkUri>,
    /// Notes (sources and attributions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Namespaced extensions.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extensions: Extensions,
}

/// `CFPckgItem`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Item {
    /// UUID.
    pub identifier: String,
    /// The statement: a competency's definition, or its name when it has none.
    pub full_statement: String,
    /// The item type's title.
    #[serde(rename = "CFItemType", skip_serializing_if = "Option::is_none")]
    pub item_type: Option<String>,
    /// URI.
    pub uri: String,
    /// The framework id of the group or competency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub human_coding_scheme: Option<String>,
    /// Position among siblings, for people ("3").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_enumeration: Option<String>,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abbreviated_statement: Option<String>,
    /// Notes (source, remarks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Link to the item type definition.
    #[serde(rename = "CFItemTypeURI", skip_serializing_if = "Option::is_none")]
    pub item_type_uri: Option<LinkUri>,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
    /// Namespaced extensions.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extensions: Extensions,
}

/// `CFPckgAssociation`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Association {
    /// UUID.
    pub identifier: String,
    /// `isChildOf`, `precedes`, … or `ext:…`.
    pub association_type: String,
    /// Order among siblings (hierarchy only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<i32>,
    /// URI.
    pub uri: String,
    /// The origin (child, part, replaced item, …).
    #[serde(rename = "originNodeURI")]
    pub origin: LinkGenUri,
    /// The destination (parent, whole, replacement, …).
    #[serde(rename = "destinationNodeURI")]
    pub destination: LinkGenUri,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
    /// Remark (1.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Namespaced extensions.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extensions: Extensions,
}

/// `CFDefinition`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Definitions {
    /// Licences.
    #[serde(rename = "CFLicenses", skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<License>,
    /// Item types.
    #[serde(rename = "CFItemTypes", skip_serializing_if = "Vec::is_empty")]
    pub item_types: Vec<ItemType>,
}

/// `CFLicense`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct License {
    /// UUID.
    pub identifier: String,
    /// URI.
    pub uri: String,
    /// Title.
    pub title: String,
    /// The licence text (or where to find it).
    pub license_text: String,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
}

/// `CFItemType`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemType {
    /// UUID.
    pub identifier: String,
    /// URI.
    pub uri: String,
    /// Title (the value items carry in `CFItemType`).
    pub title: String,
    /// What items of this type are.
    pub description: String,
    /// Position in the type hierarchy.
    pub hierarchy_code: String,
    /// Short code.
    pub type_code: String,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
}

/// `CFRubric`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rubric {
    /// UUID.
    pub identifier: String,
    /// URI.
    pub uri: String,
    /// Title.
    pub title: String,
    /// Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
    /// One criterion per competency.
    #[serde(rename = "CFRubricCriteria")]
    pub criteria: Vec<RubricCriterion>,
    /// Namespaced extensions.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub extensions: Extensions,
}

/// `CFRubricCriterion`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RubricCriterion {
    /// UUID.
    pub identifier: String,
    /// URI.
    pub uri: String,
    /// The competency's group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The competency's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The competency item.
    #[serde(rename = "CFItemURI")]
    pub item_uri: LinkUri,
    /// Position in the rubric (1-based).
    pub position: i32,
    /// The rubric's UUID.
    pub rubric_id: String,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
    /// One level per proficiency level of the scale.
    #[serde(rename = "CFRubricCriterionLevels")]
    pub levels: Vec<RubricCriterionLevel>,
}

/// `CFRubricCriterionLevel`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RubricCriterionLevel {
    /// UUID.
    pub identifier: String,
    /// URI.
    pub uri: String,
    /// What the level looks like for this competency, with its indicators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The level's name.
    pub quality: String,
    /// The level's number.
    pub score: f64,
    /// The level's position (its number).
    pub position: i32,
    /// The criterion's UUID.
    pub rubric_criterion_id: String,
    /// ISO 8601 date-time.
    pub last_change_date_time: String,
    /// Namespaced extensions; the 1.1 schema types this one property as an array of objects.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<Extensions>,
}
