//! Interoperability through the API, over real HTTP: exports in every format (the CASE package
//! validated against the official 1.1 schema, the Word document opened as a zip), the CASE 1.1
//! provider endpoints for published frameworks, and catalogue imports from files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;

use common::{TestServer, each_backend, framework, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

const SCHEMA: &str =
    include_str!("../../interop/tests/fixtures/case/case-v1p1-cfpackage.schema.json");
/// The line-break erratum of the official schema's `ext:` pattern (see the fixture's
/// ATTRIBUTION.md next to it); the interop tests correct it the same way.
const ERRATUM: &str = "(ext:)\n[a-zA-Z0-9\\.\\-_]+";

fn fix_patterns(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "pattern"
                    && let Value::String(p) = v
                    && p == ERRATUM
                {
                    *p = "^ext:[a-zA-Z0-9\\.\\-_]+$".to_string();
                } else {
                    fix_patterns(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fix_patterns),
        _ => {}
    }
}

/// Schema errors of `package` against the official CASE 1.1 CFPackage schema.
pub fn case_errors(package: &Value) -> Vec<String> {
    let mut schema: Value = serde_json::from_str(SCHEMA).unwrap();
    fix_patterns(&mut schema);
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(package)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    response.json().await.unwrap()
}

/// Creates framework `slug` in the designer's organisation; its URL.
async fn create(s: &TestServer, token: &str, slug: &str) -> String {
    let created = s
        .as_(token, Method::POST, "/api/v1/frameworks")
        .json(&framework(slug))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    created.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framework_exports_in_every_format() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let location = create(&s, &alpha.designer.token, "analyst").await;
        let viewer = &alpha.viewer.token;
        let get = |format: &str| {
            s.as_(viewer, Method::GET, &format!("{location}/export/{format}"))
                .send()
        };

        // CASE: a package the official schema accepts, the same twice, named *.case.json.
        let case = get("case").await.unwrap();
        assert_eq!(case.status(), 200);
        assert_eq!(case.headers()["content-type"], "application/json");
        assert_eq!(case.headers()["etag"], "\"1\"");
        let disposition = case.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.contains("analyst-r1.case.json"),
            "{disposition}"
        );
        let package: Value = case.json().await.unwrap();
        assert_eq!(case_errors(&package), Vec::<String>::new());
        assert_eq!(package["CFDocument"]["title"], "Framework analyst");
        assert_eq!(package["CFDocument"]["caseVersion"], "1.1");
        let names: Vec<&str> = package["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["abbreviatedStatement"].as_str().unwrap_or_default())
            .collect();
        assert!(names.contains(&"Data Analysis"), "{names:?}");
        assert_eq!(package["CFRubrics"].as_array().unwrap().len(), 1);
        let again: Value = get("case").await.unwrap().json().await.unwrap();
        assert_eq!(
            again, package,
            "re-exporting a revision gives the same package"
        );

        // DOCX: a zip with the document part, holding the competencies.
        let docx = get("docx").await.unwrap();
        assert_eq!(docx.status(), 200);
        assert_eq!(
            docx.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(
            docx.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("analyst-r1.docx")
        );
        let bytes = docx.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut document = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut document)
            .unwrap();
        assert!(document.contains("Data Analysis"));
        assert!(document.contains("Computes descriptive statistics for a data set"));

        // The framework workbook: lossless, with the framework sheet; its CSV twin.
        let workbook = get("workbook-xlsx").await.unwrap();
        assert_eq!(workbook.status(), 200);
        assert_eq!(
            workbook.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            workbook.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("analyst-r1.workbook.xlsx")
        );
        let bytes = workbook.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut sheets = String::new();
        zip.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut sheets)
            .unwrap();
        assert!(sheets.contains("name=\"Framework\""), "{sheets}");
        let csv = get("workbook-csv").await.unwrap();
        assert_eq!(csv.status(), 200);
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let text = csv.text().await.unwrap();
        assert!(text.lines().next().unwrap().contains("sheet"), "{text}");
        assert!(text.contains("Reads a summary table correctly"));

        // PDF: typeset when the server has it; otherwise a clear 501 problem.
        let pdf = get("pdf").await.unwrap();
        if framewright_interop::document::pdf_available() {
            assert_eq!(pdf.status(), 200);
            assert_eq!(pdf.headers()["content-type"], "application/pdf");
            assert_eq!(&pdf.bytes().await.unwrap()[..5], b"%PDF-");
        } else {
            let problem = assert_problem(pdf, 501).await;
            assert_eq!(problem["type"], "urn:framewright:problem:pdf-not-built");
            assert!(problem["detail"].as_str().unwrap().contains("without PDF"));
        }

        // An older revision exports as it was; another organisation sees nothing.
        let mut edited = framework("analyst");
        edited["title"] = json!("Data Analyst");
        let saved = s
            .as_(&alpha.designer.token, Method::PUT, &location)
            .header("if-match", "\"1\"")
            .json(&edited)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);
        let current: Value = get("case").await.unwrap().json().await.unwrap();
        assert_eq!(current["CFDocument"]["title"], "Data Analyst");
        assert_eq!(
            current["CFDocument"]["identifier"], package["CFDocument"]["identifier"],
            "identifiers are stable across revisions"
        );
        let old = s
            .as_(
                viewer,
                Method::GET,
                &format!("{location}/export/case?revision=1"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(old.headers()["etag"], "\"1\"");
        assert_eq!(json(old).await, package);
        let beta = s.org("beta").await;
        for format in ["case", "docx", "workbook-xlsx", "pdf"] {
            let stranger = s
                .as_(
                    &beta.owner.token,
                    Method::GET,
                    &format!("{location}/export/{format}"),
                )
                .send()
                .await
                .unwrap();
            assert_problem(stranger, 404).await;
        }
        s
    })
    .await;
}

/// Publishes the framework at `location` (at revision `revision`) as `version`.
async fn publish(s: &TestServer, token: &str, location: &str, revision: i64, version: &str) {
    let published = s
        .as_(token, Method::POST, &format!("{location}/publish"))
        .header("if-match", format!("\"{revision}\""))
        .json(&json!({ "version": version }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        published.status(),
        201,
        "{}",
        published.text().await.unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_provider_serves_published_frameworks_only() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let viewer = &alpha.viewer.token;
        let location = create(&s, designer, "analyst").await;
        let _draft = create(&s, designer, "never-published").await;
        let get = |path: String| {
            s.as_(viewer, Method::GET, &format!("/ims/case/v1p1{path}"))
                .send()
        };

        // Nothing is published yet: the provider serves nothing.
        let list = json(get("/CFDocuments".into()).await.unwrap()).await;
        assert_eq!(list, json!({ "CFDocuments": [] }));
        let document = framewright_interop::case::export::case_uuid("analyst", "document");
        assert_problem(get(format!("/CFPackages/{document}")).await.unwrap(), 404).await;

        publish(&s, designer, &location, 1, "1.0.0").await;
        // A later edit is not served until it is released.
        let mut edited = framework("analyst");
        edited["title"] = json!("Edited After Release");
        let saved = s
            .as_(designer, Method::PUT, &location)
            .header("if-match", "\"2\"")
            .json(&edited)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 200);

        let list = json(get("/CFDocuments".into()).await.unwrap()).await;
        let documents = list["CFDocuments"].as_array().unwrap();
        assert_eq!(documents.len(), 1, "only the published framework: {list}");
        let listed = &documents[0];
        assert_eq!(listed["identifier"], document.as_str());
        assert_eq!(listed["title"], "Framework analyst");
        assert_eq!(listed["adoptionStatus"], "Adopted");
        let package_uri = listed["CFPackageURI"]["uri"].as_str().unwrap();
        assert!(
            package_uri.starts_with(&s.base)
                && package_uri.ends_with(&format!("/ims/case/v1p1/CFPackages/{document}")),
            "{package_uri}"
        );
        let one = json(get(format!("/CFDocuments/{document}")).await.unwrap()).await;
        assert_eq!(&one, listed);

        // The package: valid against the official schema, uris resolve on this provider.
        let response = get(format!("/CFPackages/{}", document.to_uppercase()))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let package: Value = response.json().await.unwrap();
        assert_eq!(case_errors(&package), Vec::<String>::new());
        assert_eq!(package["CFDocument"]["identifier"], document.as_str());
        let items = package["CFItems"].as_array().unwrap();
        let item = items
            .iter()
            .find(|i| i["abbreviatedStatement"] == "Data Analysis")
            .unwrap();
        let item_id = item["identifier"].as_str().unwrap();
        let served_item = s
            .client
            .get(item["uri"].as_str().unwrap())
            .bearer_auth(viewer)
            .send()
            .await
            .unwrap();
        assert_eq!(
            served_item.status(),
            200,
            "an item's uri is its address here"
        );
        let served_item: Value = served_item.json().await.unwrap();
        for (key, value) in item.as_object().unwrap() {
            assert_eq!(&served_item[key], value, "{key}");
        }
        assert_eq!(
            served_item["CFDocumentURI"]["identifier"],
            document.as_str()
        );

        // Its associations: the isChildOf link up the hierarchy, each also served alone.
        let set = json(get(format!("/CFItemAssociations/{item_id}")).await.unwrap()).await;
        assert_eq!(set["CFItem"], served_item);
        let associations = set["CFAssociations"].as_array().unwrap();
        assert!(!associations.is_empty());
        assert!(associations.iter().all(|a| {
            a["originNodeURI"]["identifier"] == item_id
                || a["destinationNodeURI"]["identifier"] == item_id
        }));
        let child_of = associations
            .iter()
            .find(|a| {
                a["associationType"] == "isChildOf" && a["originNodeURI"]["identifier"] == item_id
            })
            .unwrap();
        let association_id = child_of["identifier"].as_str().unwrap();
        let alone = json(
            get(format!("/CFAssociations/{association_id}"))
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(&alone, child_of);
        let in_package = package["CFAssociations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["identifier"] == association_id)
            .unwrap();
        assert_eq!(alone["sequenceNumber"], in_package["sequenceNumber"]);

        // The rubric and an item type of the definitions.
        let rubric_id = package["CFRubrics"][0]["identifier"].as_str().unwrap();
        let rubric = json(get(format!("/CFRubrics/{rubric_id}")).await.unwrap()).await;
        assert_eq!(rubric, package["CFRubrics"][0]);
        let type_id = package["CFDefinitions"]["CFItemTypes"][0]["identifier"]
            .as_str()
            .unwrap();
        let types = json(get(format!("/CFItemTypes/{type_id}")).await.unwrap()).await;
        assert_eq!(
            types["CFItemTypes"][0],
            package["CFDefinitions"]["CFItemTypes"][0]
        );

        // Unknown identifiers, and ids of the unpublished draft: 404 problems.
        let draft_document =
            framewright_interop::case::export::case_uuid("never-published", "document");
        let draft_item = framewright_interop::case::export::case_uuid(
            "never-published",
            "competency:data-analysis",
        );
        for path in [
            "/CFItems/3f1c9a52-1111-5222-8333-444455556666".to_string(),
            "/CFAssociations/not-a-uuid".to_string(),
            "/CFRubrics/3f1c9a52-1111-5222-8333-444455556666".to_string(),
            format!("/CFDocuments/{draft_document}"),
            format!("/CFPackages/{draft_document}"),
            format!("/CFItems/{draft_item}"),
        ] {
            let problem = assert_problem(get(path.clone()).await.unwrap(), 404).await;
            assert!(
                problem["detail"].as_str().unwrap().contains("published"),
                "{path}"
            );
        }
        assert!(
            items.iter().all(|i| i["identifier"] != draft_item.as_str()),
            "the id scheme is per framework"
        );

        // A new release is served instead of the old one; the identifiers stay.
        publish(&s, designer, &location, 3, "1.1.0").await;
        let newer = json(get(format!("/CFPackages/{document}")).await.unwrap()).await;
        assert_eq!(newer["CFDocument"]["title"], "Edited After Release");
        assert_eq!(case_errors(&newer), Vec::<String>::new());
        assert!(
            newer["CFItems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["identifier"] == item_id)
        );

        // Another organisation and anonymous callers see nothing of it.
        let beta = s.org("beta").await;
        let theirs = json(
            s.as_(&beta.owner.token, Method::GET, "/ims/case/v1p1/CFDocuments")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(theirs, json!({ "CFDocuments": [] }));
        for path in [
            format!("/CFPackages/{document}"),
            format!("/CFItems/{item_id}"),
        ] {
            let stranger = s
                .as_(
                    &beta.owner.token,
                    Method::GET,
                    &format!("/ims/case/v1p1{path}"),
                )
                .send()
                .await
                .unwrap();
            assert_problem(stranger, 404).await;
            let anonymous = s
                .request(Method::GET, &format!("/ims/case/v1p1{path}"))
                .send()
                .await
                .unwrap();
            assert_problem(anonymous, 401).await;
        }
        s
    })
    .await;
}
