//! CASE 1.1: every exported package validates against the official schema; re-export gives the
//! same identifiers; export → import gives the framework back; foreign CASE 1.0 packages with
//! the usual quirks are read with a report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use framewright_interop::framework::case::{self, ExportOptions, Fate, import::NoteKind};
use proptest::prelude::*;
use serde_json::Value;

const SCHEMA: &str = include_str!("../fixtures/case/case-v1p1-cfpackage.schema.json");
const ERRATUM: &str = "(ext:)\n[a-zA-Z0-9\\.\\-_]+";

fn compile(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

/// The official schema exactly as published.
fn verbatim() -> jsonschema::Validator {
    compile(&serde_json::from_str(SCHEMA).unwrap())
}

/// The official schema with the documented line-break erratum in the `ext:` pattern removed
/// (see fixtures/case/ATTRIBUTION.md); nothing else changes.
fn corrected() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let mut fixed = 0;
    fix_patterns(&mut schema, &mut fixed);
    assert_eq!(fixed, 2, "the erratum occurs in exactly two patterns");
    compile(&schema)
}

fn fix_patterns(value: &mut Value, fixed: &mut usize) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "pattern"
                    && let Value::String(p) = v
                    && p == ERRATUM
                {
                    *p = "^ext:[a-zA-Z0-9\\.\\-_]+$".to_string();
                    *fixed += 1;
                } else {
                    fix_patterns(v, fixed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| fix_patterns(v, fixed)),
        _ => {}
    }
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn options() -> ExportOptions {
    ExportOptions::new(time::macros::datetime!(2026-03-01 12:00 UTC))
}

#[test]
fn the_rich_framework_exports_a_package_that_the_official_schema_accepts() {
    let framework = common::rich_framework();
    let export = case::export_case(&framework, &options()).unwrap();
    let value = export.to_value();
    assert_eq!(errors(&corrected(), &value), Vec::<String>::new());
    // The schema really is strict: an unknown field or an uppercase identifier is refused.
    let mut bad = value.clone();
    bad["CFDocument"]["CFPackageURI"] =
        serde_json::json!({"title": "x", "identifier": "y", "uri": "urn:x"});
    assert!(!errors(&corrected(), &bad).is_empty());
    let mut upper = value.clone();
    let id = upper["CFItems"][0]["identifier"]
        .as_str()
        .unwrap()
        .to_uppercase();
    upper["CFItems"][0]["identifier"] = Value::String(id);
    assert!(!errors(&corrected(), &upper).is_empty());
}

#[test]
fn a_package_with_only_standard_association_types_passes_the_verbatim_schema() {
    let framework = common::plain_framework();
    let export = case::export_case(&framework, &options()).unwrap();
    assert_eq!(
        errors(&verbatim(), &export.to_value()),
        Vec::<String>::new()
    );
    // and the rich one fails the verbatim schema only on the erratum
    let rich = case::export_case(&common::rich_framework(), &options()).unwrap();
    let failures = errors(&verbatim(), &rich.to_value());
    assert!(!failures.is_empty());
    assert!(
        failures.iter().all(|e| e.contains("associationType")),
        "{failures:#?}"
    );
}

#[test]
fn the_package_has_the_expected_shape() {
    let framework = common::rich_framework();
    let export = case::export_case(&framework, &options()).unwrap();
    let v = export.to_value();
    let document = &v["CFDocument"];
    assert_eq!(document["caseVersion"], "1.1");
    assert_eq!(document["frameworkType"], "Competency Framework");
    assert_eq!(document["adoptionStatus"], "In Review");
    assert_eq!(document["creator"], "Office of the Chief AI Officer");
    assert!(
        document["notes"]
            .as_str()
            .unwrap()
            .contains("Office of Personnel Management")
    );
    assert_eq!(
        document["extensions"]["framewright:profile"],
        "framewright-case/1"
    );
    // 3 groups + 8 competencies
    let items = v["CFItems"].as_array().unwrap();
    assert_eq!(items.len(), 11);
    let types: Vec<&str> = v["CFDefinitions"]["CFItemTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    for t in [
        "Competency Group",
        "General Competency",
        "Technical Competency",
        "Skill",
        "Knowledge",
        "Ability",
        "Competency",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    for item in items {
        let title = item["CFItemType"].as_str().unwrap();
        assert!(types.contains(&title));
        assert_eq!(item["CFItemTypeURI"]["title"], title);
    }
    // isChildOf with sequence numbers: the ml group's children are ml-ops (1), statistics (2).
    let associations = v["CFAssociations"].as_array().unwrap();
    let ml_group = items
        .iter()
        .find(|i| i["humanCodingScheme"] == "ml")
        .unwrap()["identifier"]
        .clone();
    let mut children: Vec<(i64, String)> = associations
        .iter()
        .filter(|a| {
            a["associationType"] == "isChildOf" && a["destinationNodeURI"]["identifier"] == ml_group
        })
        .filter(|a| a.get("extensions").is_none())
        .map(|a| {
            (
                a["sequenceNumber"].as_i64().unwrap(),
                a["originNodeURI"]["title"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    children.sort();
    assert_eq!(
        children,
        [(1, "MLOps".to_string()), (2, "Statistics".to_string())]
    );
    let kinds: Vec<&str> = associations
        .iter()
        .map(|a| a["associationType"].as_str().unwrap())
        .collect();
    for t in [
        "precedes",
        "isRelatedTo",
        "exactMatchOf",
        "replacedBy",
        "ext:closeMatchOf",
        "ext:informsDecisions",
    ] {
        assert!(kinds.contains(&t), "{t} missing");
    }
    // Rubric: one criterion per competency, one level per scale level.
    let rubric = &v["CFRubrics"][0];
    let criteria = rubric["CFRubricCriteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 8);
    for criterion in criteria {
        assert_eq!(
            criterion["CFRubricCriterionLevels"]
                .as_array()
                .unwrap()
                .len(),
            5
        );
        let item = criterion["CFItemURI"]["identifier"].as_str().unwrap();
        assert!(items.iter().any(|i| i["identifier"] == item));
    }
    let level1 = &criteria[0]["CFRubricCriterionLevels"][0];
    assert_eq!(level1["quality"], "Awareness");
    assert_eq!(level1["score"], 1.0);
    assert_eq!(
        level1["description"],
        "Follows set procedures.\n\n- Logs their own work\n- Reports errors"
    );
    // Every identifier is a lowercase UUID v5.
    let mut ids = Vec::new();
    collect_identifiers(&v, &mut ids);
    assert!(ids.len() > 50);
    for id in &ids {
        let parsed = uuid::Uuid::parse_str(id).unwrap();
        assert_eq!(parsed.get_version_num(), 5, "{id}");
        assert_eq!(id, &id.to_lowercase());
    }
}

fn collect_identifiers(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if (k == "identifier" || k == "rubricId" || k == "rubricCriterionId")
                    && let Some(s) = v.as_str()
                    && uuid::Uuid::parse_str(s).is_ok()
                {
                    out.push(s.to_string());
                }
                collect_identifiers(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_identifiers(v, out)),
        _ => {}
    }
}

#[test]
fn re_exporting_gives_the_same_identifiers_and_bytes() {
    let framework = common::rich_framework();
    let a = case::export_case(&framework, &options()).unwrap().to_json();
    let b = case::export_case(&framework, &options()).unwrap().to_json();
    assert_eq!(a, b);
    // A content change keeps every identifier.
    let mut changed = framework.clone();
    changed.competencies[0].definition = Some("Changed.".into());
    let c = case::export_case(&changed, &options()).unwrap().to_value();
    let mut before = Vec::new();
    collect_identifiers(&serde_json::from_str(&a).unwrap(), &mut before);
    let mut after = Vec::new();
    collect_identifiers(&c, &mut after);
    assert_eq!(before, after);
}

#[test]
fn base_uris_make_provider_urls() {
    let mut opts = options();
    opts.base_uri = Some("https://case.example.org/ims/case/v1p1/".into());
    let export = case::export_case(&common::rich_framework(), &opts).unwrap();
    let v = export.to_value();
    let id = v["CFDocument"]["identifier"].as_str().unwrap();
    assert_eq!(
        v["CFDocument"]["uri"],
        format!("https://case.example.org/ims/case/v1p1/CFDocuments/{id}")
    );
    assert_eq!(errors(&corrected(), &v), Vec::<String>::new());
    opts.base_uri = Some("case.example.org".into());
    assert!(case::export_case(&common::rich_framework(), &opts).is_err());
}

#[test]
fn the_loss_report_names_every_field_case_cannot_hold() {
    let export = case::export_case(&common::rich_framework(), &options()).unwrap();
    let fields: Vec<(&str, Fate)> = export
        .report
        .entries
        .iter()
        .map(|e| (e.field.as_str(), e.fate))
        .collect();
    for expected in [
        ("id", Fate::Extension),
        ("status", Fate::Approximated),
        ("review", Fate::Extension),
        ("provenance", Fate::Extension),
        ("role_profiles", Fate::Extension),
        ("sources", Fate::Approximated),
        ("competencies[].alt_labels", Fate::Extension),
        ("competencies[].grades", Fate::Extension),
        ("competencies[].importance_rank", Fate::Extension),
        ("competencies[].rationale", Fate::Extension),
        ("competencies[].interview", Fate::Extension),
        ("competencies[].source", Fate::Approximated),
        ("relations[].type", Fate::Approximated),
        ("scale.levels[].description", Fate::Extension),
    ] {
        assert!(
            fields.contains(&expected),
            "{expected:?} not in {fields:#?}"
        );
    }
    let grades = export
        .report
        .entries
        .iter()
        .find(|e| e.field == "competencies[].grades")
        .unwrap();
    // accountability, ml-ops, attention-to-detail, computer-skills carry grades
    assert_eq!(grades.paths.len(), 4, "{:?}", grades.paths);
    let text = export.report.to_string();
    assert!(text.contains("competencies[].grades (4 values)"), "{text}");
}

#[test]
fn export_then_import_gives_the_framework_back() {
    let framework = common::rich_framework();
    let export = case::export_case(&framework, &options()).unwrap();
    let json = export.to_json();
    let imported = case::import_case(&json, "ml.json", &common::opm_scale()).unwrap();
    assert!(imported.report.framewright_profile);
    assert_eq!(imported.report.notes, Vec::new(), "{}", imported.report);
    assert_eq!(imported.framework, framework);
}

#[test]
fn the_generators_evidence_travels_as_an_extension() {
    let mut framework = common::rich_framework();
    framework.competencies[0].evidence = Some(framewright_model::Evidence {
        position: Some("core 1 of 4".into()),
        score: Some(0.83),
        final_score: Some(1.13),
        task_bonus: Some(0.3),
        covered_tasks: vec![2],
        matches: vec![framewright_model::EvidenceMatch {
            word: "machine learning".into(),
            sources: vec!["title".into(), "task 1".into()],
            fields: vec!["name".into()],
        }],
        ..framewright_model::Evidence::default()
    });
    let export = case::export_case(&framework, &options()).unwrap();
    assert!(
        export
            .report
            .entries
            .iter()
            .any(|e| e.field == "competencies[].evidence" && e.fate == Fate::Extension)
    );
    let imported = case::import_case(&export.to_json(), "ml.json", &common::opm_scale()).unwrap();
    assert_eq!(imported.framework, framework);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn any_framework_round_trips_and_validates(framework in common::any_framework()) {
        let export = case::export_case(&framework, &options()).unwrap();
        let value = export.to_value();
        let failures = errors(&corrected(), &value);
        prop_assert!(failures.is_empty(), "{:#?}", failures);
        let imported = case::import_case(&export.to_json(), "p.json", &common::opm_scale()).unwrap();
        prop_assert_eq!(imported.framework, framework);
    }
}

/// A CASE 1.0 package in the shape OpenSALT and other 1.0 providers write: CFPackageURI in
/// the document, CFDocumentURI in items and associations, educationalLevel, null dates,
/// a nested tree, no abbreviated statements for some items, a rubric scored 0–3.
const CASE_1_0: &str = include_str!("../fixtures/case/case-1.0-quirks.json");

#[test]
fn a_case_1_0_package_with_quirks_is_read_with_a_report() {
    let imported = case::import_case(CASE_1_0, "quirks.json", &common::opm_scale()).unwrap();
    let f = &imported.framework;
    let report = &imported.report;
    assert!(!report.framewright_profile);
    assert_eq!(report.case_version, "1.0");
    assert_eq!(f.title, "Digital Skills for Public Servants");
    assert_eq!(f.owner.as_deref(), Some("Example Skills Council"));
    assert_eq!(f.version, semver::Version::new(2, 1, 0));
    assert_eq!(f.status, framewright_model::Status::Published);
    assert_eq!(
        f.licence.as_deref(),
        Some("Creative Commons Attribution 4.0 International")
    );
    // Tree: two domains (groups), one with a sub-domain; leaves are competencies in order.
    let groups: Vec<(&str, Option<&str>)> = f
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.parent.as_deref()))
        .collect();
    assert_eq!(groups, [("D1", None), ("D1.1", Some("D1")), ("D2", None)]);
    let competencies: Vec<(&str, Option<&str>)> = f
        .competencies
        .iter()
        .map(|c| (c.id.as_str(), c.group.as_deref()))
        .collect();
    assert_eq!(
        competencies,
        [
            ("D1.1.a", Some("D1.1")),
            ("D1.1.b", Some("D1.1")),
            ("D1.a", Some("D1")),
            ("D2.a", Some("D2"))
        ]
    );
    let first = &f.competencies[0];
    assert_eq!(first.name, "Finds and evaluates information online");
    assert_eq!(first.kind, framewright_model::CompetencyKind::Skill);
    assert_eq!(
        first.definition.as_deref(),
        Some(
            "Finds and evaluates information online, judging the reliability of sources and keeping a record of where each piece came from."
        )
    );
    // Source kept on every competency, attribution on the framework.
    let source = first.source.as_ref().unwrap();
    assert_eq!(source.catalogue, f.sources[0].catalogue);
    assert_eq!(
        f.sources[0].attribution.as_deref(),
        Some("Published by the Example Skills Council under CC BY 4.0.")
    );
    // Rubric scored 0..3 becomes a four-level scale.
    assert_eq!(f.scale.levels.len(), 4);
    assert_eq!(f.scale.levels[0].name, "Emerging");
    let level = first.level(2).unwrap();
    assert_eq!(level.indicators, ["Checks two sources", "Notes the date"]);
    assert_eq!(
        level.description.as_deref(),
        Some("Checks sources without help.")
    );
    // Relations: precedes and an external exact match.
    assert!(
        f.relations
            .iter()
            .any(|r| r.kind == framewright_model::RelationType::Prerequisite
                && r.from == "D1.1.a"
                && r.to == "D1.1.b")
    );
    assert!(
        f.relations
            .iter()
            .any(|r| r.external && r.to == "http://data.europa.eu/esco/skill/0001")
    );
    // The report names each quirk with where it is.
    let fields: Vec<(&str, NoteKind)> = report
        .notes
        .iter()
        .map(|n| (n.field.as_str(), n.kind))
        .collect();
    for expected in [
        ("CFDocument.CFPackageURI", NoteKind::Ignored),
        ("CFItems[].CFDocumentURI", NoteKind::Ignored),
        ("CFItems[].educationalLevel", NoteKind::Ignored),
        ("CFItems[].conceptKeywords", NoteKind::Ignored),
        ("CFItems[].mysteryField", NoteKind::NotUnderstood),
        ("CFAssociations[].CFDocumentURI", NoteKind::Ignored),
        ("CFDocument.version", NoteKind::Adjusted),
        (
            "CFRubrics[].CFRubricCriteria[].CFRubricCriterionLevels[].feedback",
            NoteKind::Ignored,
        ),
    ] {
        assert!(fields.contains(&expected), "{expected:?} not in\n{report}");
    }
    let mystery = report
        .notes
        .iter()
        .find(|n| n.field == "CFItems[].mysteryField")
        .unwrap();
    assert!(mystery.first_at.is_some());
    let text = report.to_string();
    assert!(text.contains("line"), "{text}");
    framewright_model::validate::validate(f).unwrap();
}

#[test]
fn unreadable_packages_are_refused_with_line_and_column() {
    let scale = common::opm_scale();
    let e = case::import_case(
        "{\n  \"CFDocument\": {\n    \"title\": \"x\",\n  }\n}",
        "bad.json",
        &scale,
    )
    .unwrap_err();
    assert_eq!((e.line, e.file.as_str()), (Some(4), "bad.json"));
    let e = case::import_case("[1, 2]", "list.json", &scale).unwrap_err();
    assert!(e.message.contains("CFDocument"), "{e}");
    let e = case::import_case("{\"CFItems\": []}", "nodoc.json", &scale).unwrap_err();
    assert!(e.message.contains("CFDocument"), "{e}");
    let e = case::import_case(
        "{\n\"CFDocument\": {\"identifier\": \"x\"}\n}",
        "notitle.json",
        &scale,
    )
    .unwrap_err();
    assert!(e.to_string().contains("no title"), "{e}");
    assert_eq!(e.line, Some(2));
}

#[test]
fn a_wrapped_package_is_unwrapped() {
    let export = case::export_case(&common::rich_framework(), &options()).unwrap();
    let wrapped = serde_json::json!({ "CFPackage": export.to_value() });
    let imported = case::import_case(&wrapped.to_string(), "w.json", &common::opm_scale()).unwrap();
    assert_eq!(imported.framework, common::rich_framework());
    assert_eq!(imported.report.notes.len(), 1);
}

#[test]
fn circular_hierarchies_and_prerequisite_cycles_are_broken_and_reported() {
    let item = |id: &str, name: &str| serde_json::json!({"identifier": id, "uri": format!("urn:uuid:{id}"), "fullStatement": name, "lastChangeDateTime": "2020-01-01T00:00:00Z"});
    let link = |id: &str| serde_json::json!({"identifier": id, "uri": format!("urn:uuid:{id}"), "title": id});
    let association = |kind: &str, from: &str, to: &str| serde_json::json!({"identifier": format!("{from}-{kind}-{to}"), "uri": "urn:x", "associationType": kind, "originNodeURI": link(from), "destinationNodeURI": link(to), "lastChangeDateTime": "2020-01-01T00:00:00Z"});
    let package = serde_json::json!({
        "CFDocument": {"identifier": "doc", "uri": "urn:doc", "creator": "x", "title": "Loops", "lastChangeDateTime": "2020-01-01T00:00:00Z"},
        "CFItems": [item("a", "Alpha"), item("b", "Beta"), item("c", "Gamma"), item("d", "Delta")],
        "CFAssociations": [
            association("isChildOf", "a", "b"),
            association("isChildOf", "b", "a"),
            association("precedes", "c", "d"),
            association("precedes", "d", "c"),
        ]
    });
    let imported =
        case::import_case(&package.to_string(), "loops.json", &common::opm_scale()).unwrap();
    framewright_model::validate::validate(&imported.framework).unwrap();
    let text = imported.report.to_string();
    assert!(text.contains("circle"), "{text}");
    assert!(text.contains("cycle"), "{text}");
    assert_eq!(
        imported
            .framework
            .relations
            .iter()
            .filter(|r| r.kind == framewright_model::RelationType::Prerequisite)
            .count(),
        1
    );
}
