//! Interoperability through the API, over real HTTP: exports in every format (the CASE package
//! validated against the official 1.1 schema, the Word document opened as a zip), the CASE 1.1
//! provider endpoints for published frameworks, and catalogue imports from files.

use std::io::Read;

use crate::common::{TestServer, each_backend, framework, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

const SCHEMA: &str =
    include_str!("../../../interop/tests/fixtures/case/case-v1p1-cfpackage.schema.json");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_framework_exports_in_every_format() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let location = s.create_framework(&alpha.designer.token, "analyst").await;
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
            .send_json_if(
                &alpha.designer.token,
                Method::PUT,
                &location,
                "\"1\"",
                &edited,
            )
            .await;
        assert_eq!(saved.status(), 200);
        let current: Value = get("case").await.unwrap().json().await.unwrap();
        assert_eq!(current["CFDocument"]["title"], "Data Analyst");
        assert_eq!(
            current["CFDocument"]["identifier"], package["CFDocument"]["identifier"],
            "identifiers are stable across revisions"
        );
        let old = s
            .send_as(
                viewer,
                Method::GET,
                &format!("{location}/export/case?revision=1"),
            )
            .await;
        assert_eq!(old.headers()["etag"], "\"1\"");
        assert_eq!(json(old).await, package);
        let beta = s.org("beta").await;
        for format in ["case", "docx", "workbook-xlsx", "pdf"] {
            let stranger = s
                .send_as(
                    &beta.owner.token,
                    Method::GET,
                    &format!("{location}/export/{format}"),
                )
                .await;
            assert_problem(stranger, 404).await;
        }
        s
    })
    .await;
}

/// Publishes the framework at `location` (at revision `revision`) as `version`.
async fn publish(s: &TestServer, token: &str, location: &str, revision: i64, version: &str) {
    let published = s
        .send_json_if(
            token,
            Method::POST,
            &format!("{location}/publish"),
            &format!("\"{revision}\""),
            &json!({ "version": version }),
        )
        .await;
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
        let location = s.create_framework(designer, "analyst").await;
        let _draft = s.create_framework(designer, "never-published").await;
        let get = |path: String| {
            s.as_(viewer, Method::GET, &format!("/ims/case/v1p1{path}"))
                .send()
        };

        // Nothing is published yet: the provider serves nothing.
        let list = json(get("/CFDocuments".into()).await.unwrap()).await;
        assert_eq!(list, json!({ "CFDocuments": [] }));
        let scope = alpha.org.id.to_string();
        let document = framewright_interop::framework::case::export::scoped_case_uuid(
            Some(&scope),
            "analyst",
            "document",
        );
        assert_problem(get(format!("/CFPackages/{document}")).await.unwrap(), 404).await;

        publish(&s, designer, &location, 1, "1.0.0").await;
        // A later edit is not served until it is released.
        let mut edited = framework("analyst");
        edited["title"] = json!("Edited After Release");
        let saved = s
            .send_json_if(designer, Method::PUT, &location, "\"2\"", &edited)
            .await;
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
        let draft_document = framewright_interop::framework::case::export::scoped_case_uuid(
            Some(&scope),
            "never-published",
            "document",
        );
        let draft_item = framewright_interop::framework::case::export::scoped_case_uuid(
            Some(&scope),
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

        // Retiring the framework marks the served release as deprecated.
        let mut retired = framework("analyst");
        retired["title"] = json!("Edited After Release");
        retired["status"] = json!("retired");
        let saved = s
            .send_json_if(designer, Method::PUT, &location, "\"4\"", &retired)
            .await;
        assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
        let deprecated = json(get(format!("/CFDocuments/{document}")).await.unwrap()).await;
        assert_eq!(deprecated["adoptionStatus"], "Deprecated");

        // Another organisation and anonymous callers see nothing of it.
        let beta = s.org("beta").await;
        let theirs = json(
            s.send_as(&beta.owner.token, Method::GET, "/ims/case/v1p1/CFDocuments")
                .await,
        )
        .await;
        assert_eq!(theirs, json!({ "CFDocuments": [] }));
        for path in [
            format!("/CFPackages/{document}"),
            format!("/CFItems/{item_id}"),
        ] {
            let stranger = s
                .send_as(
                    &beta.owner.token,
                    Method::GET,
                    &format!("/ims/case/v1p1{path}"),
                )
                .await;
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

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../interop/tests/fixtures");

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{path}")).unwrap()
}

/// The files of a fixture folder zipped inside a folder, as releases are downloaded.
fn zip_folder(folder: &str, inner: &str) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options: zip::write::SimpleFileOptions = zip::write::SimpleFileOptions::default();
    let mut entries: Vec<_> = std::fs::read_dir(format!("{FIXTURES}/{folder}"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.start_file(format!("{inner}/{name}"), options).unwrap();
        out.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn upload(s: &TestServer, token: &str, path: &str, body: Vec<u8>) -> reqwest::Response {
    s.as_(token, Method::POST, path)
        .header("content-type", "application/octet-stream")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogues_import_from_files_whole_or_not_at_all() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let catalogues_before = json(
            s.send_as(designer, Method::GET, "/api/v1/catalogues").await,
        )
        .await;

        // ESCO as a zip of the release: skills, occupations, relations, hierarchy.
        let esco = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/esco?name=esco-test&release=v1.2.0",
            zip_folder("esco/release", "ESCO dataset - v1.2.0 - classification - en - csv"),
        )
        .await;
        assert_eq!(esco.status(), 201, "{}", esco.text().await.unwrap());
        assert_eq!(esco.headers()["location"], "/api/v1/catalogues/esco-test");
        let report = json(esco).await;
        assert_eq!(report["catalogue"]["id"], "esco-test");
        assert_eq!(report["catalogue"]["version"], "v1.2.0");
        assert!(report["catalogue"]["competency_count"].as_i64().unwrap() > 5);
        assert!(report["reference_roles"].as_u64().unwrap() > 0);
        let found = json(
            s.send_as(&alpha.viewer.token, Method::GET, "/api/v1/competencies?q=confidentiality&catalogue=esco-test",
            ).await,
        )
        .await;
        assert!(found["total"].as_i64().unwrap() >= 1, "{found}");
        assert_eq!(found["items"][0]["competency"]["name"], "information confidentiality");
        let stored = json(
            s.send_as(designer, Method::GET, "/api/v1/catalogues/esco-test").await,
        )
        .await;
        assert!(stored["attribution"].as_str().unwrap().contains("ESCO"));

        // Malformed ESCO files: 422 naming the line (and column), nothing stored.
        for (file, line, column) in [
            ("broken-quote.csv", 15, None),
            ("duplicate-id.csv", 33, Some("conceptUri")),
            ("latin1.csv", 9, Some("description")),
        ] {
            let bad = upload(
                &s,
                designer,
                "/api/v1/catalogues/import/esco?name=esco-bad",
                fixture(&format!("esco/malformed/{file}")),
            )
            .await;
            let problem = assert_problem(bad, 422).await;
            assert_eq!(problem["type"], "urn:framewright:problem:import-failed");
            assert_eq!(problem["location"]["line"], line, "{file}: {problem}");
            if let Some(column) = column {
                assert_eq!(problem["location"]["column"], column, "{file}: {problem}");
            }
            let detail = problem["detail"].as_str().unwrap();
            assert!(detail.contains(&format!("line {line}")), "{detail}");
            assert!(detail.contains("Nothing was imported"), "{detail}");
            assert!(!detail.contains("framewright-upload"), "no server paths: {detail}");
            let missing = s
                .send_as(designer, Method::GET, "/api/v1/catalogues/esco-bad").await;
            assert_eq!(missing.status(), 404, "{file}: nothing stored");
        }
        // An O*NET release without a zip is refused; one in a zip imports with its roles.
        let not_zip = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/onet?name=onet-test",
            fixture("onet/release/Skills.txt"),
        )
        .await;
        assert!(assert_problem(not_zip, 422).await["detail"].as_str().unwrap().contains("zip"));
        let onet = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/onet?name=onet-test&release=30.1",
            zip_folder("onet/release", "db_30_1_text"),
        )
        .await;
        assert_eq!(onet.status(), 201, "{}", onet.text().await.unwrap());
        let onet = json(onet).await;
        assert!(onet["reference_roles"].as_u64().unwrap() > 0);
        // A malformed O*NET file in the zip is named with its line.
        let mut broken = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, bytes) in [
            ("Occupation Data.txt", fixture("onet/release/Occupation Data.txt")),
            ("Skills.txt", fixture("onet/malformed/Skills-not-a-number.txt")),
        ] {
            use std::io::Write;
            broken
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            broken.write_all(&bytes).unwrap();
        }
        let broken = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/onet?name=onet-broken",
            broken.finish().unwrap().into_inner(),
        )
        .await;
        let problem = assert_problem(broken, 422).await;
        assert_eq!(problem["location"]["file"], "Skills.txt", "{problem}");
        assert!(problem["location"]["line"].as_u64().is_some(), "{problem}");

        // NICE JSON; a syntax error is named by line and column.
        let nice = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/nice?name=nice-test",
            fixture("nice/nf_components.json"),
        )
        .await;
        assert_eq!(nice.status(), 201, "{}", nice.text().await.unwrap());
        let bad = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/nice?name=nice-bad",
            fixture("nice/malformed/syntax-error.json"),
        )
        .await;
        let problem = assert_problem(bad, 422).await;
        assert!(problem["location"]["line"].as_u64().is_some(), "{problem}");
        assert!(problem["location"]["column"].is_string(), "{problem}");

        // The organisation's own CSV list, with its licence; a broken row names line and column.
        let csv = "id,name,alt_labels,definition\n\
                   model-audit,Model Auditing,AI audit,Checks models for bias and drift.\n\
                   prompt-review,Prompt Review,,Reviews prompts before release.\n";
        let own = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/csv?name=acme-skills&title=Acme%20skills&licence=internal%20use",
            csv.as_bytes().to_vec(),
        )
        .await;
        assert_eq!(own.status(), 201, "{}", own.text().await.unwrap());
        let own = json(own).await;
        assert_eq!(own["catalogue"]["name"], "Acme skills");
        assert_eq!(own["catalogue"]["licence"], "internal use");
        assert_eq!(own["catalogue"]["competency_count"], 2);
        let duplicate = "id,name,alt_labels,definition\na,A,,x\nb,B,,y\na,Again,,z\n";
        let problem = assert_problem(
            upload(&s, designer, "/api/v1/catalogues/import/csv?name=dup", duplicate.into()).await,
            422,
        )
        .await;
        assert_eq!(problem["location"]["line"], 4, "{problem}");
        assert_eq!(problem["location"]["column"], "id", "{problem}");

        // XLSX: the catalogue template; CASE: a package's competencies.
        let template = framewright_interop::catalogue::spreadsheet::catalogue_template_xlsx().unwrap();
        let xlsx = upload(&s, designer, "/api/v1/catalogues/import/xlsx?name=from-xlsx", template).await;
        assert_eq!(xlsx.status(), 201, "{}", xlsx.text().await.unwrap());
        let location = s.create_framework(designer, "analyst").await;
        let package = s
            .send_as(designer, Method::GET, &format!("{location}/export/case")).await
            .bytes()
            .await
            .unwrap();
        let case = upload(&s, designer, "/api/v1/catalogues/import/case?name=from-case", package.to_vec()).await;
        assert_eq!(case.status(), 201, "{}", case.text().await.unwrap());
        let case = json(case).await;
        assert_eq!(case["catalogue"]["competency_count"], 2);
        assert_eq!(case["catalogue"]["name"], "Framework analyst");
        let problem = assert_problem(
            upload(&s, designer, "/api/v1/catalogues/import/case?name=case-bad", b"{\"CFDocument\": [".to_vec()).await,
            422,
        )
        .await;
        assert!(problem["location"]["line"].as_u64().is_some(), "{problem}");

        // Refusals: a taken name, a bad name, an unknown format, a viewer, SFIA without licence.
        let taken = upload(&s, designer, "/api/v1/catalogues/import/csv?name=acme-skills", csv.into()).await;
        assert_problem(taken, 409).await;
        let bad_name = upload(&s, designer, "/api/v1/catalogues/import/csv?name=Acme%20Skills", csv.into()).await;
        assert_eq!(assert_problem(bad_name, 422).await["errors"][0]["pointer"], "name");
        assert_problem(upload(&s, designer, "/api/v1/catalogues/import/pdf?name=x", csv.into()).await, 404).await;
        assert_problem(upload(&s, &alpha.viewer.token, "/api/v1/catalogues/import/csv?name=v", csv.into()).await, 403).await;
        let sfia = upload(&s, designer, "/api/v1/catalogues/import/sfia?name=sfia", fixture("sfia/skills.csv")).await;
        assert!(assert_problem(sfia, 422).await["detail"].as_str().unwrap().contains("licence"));

        // Nothing of the failures was stored; another organisation sees none of it.
        let after = json(s.send_as(designer, Method::GET, "/api/v1/catalogues").await).await;
        assert_eq!(
            after["total"].as_i64().unwrap(),
            catalogues_before["total"].as_i64().unwrap() + 6,
            "six imports succeeded: {after}"
        );
        let beta = s.org("beta").await;
        let theirs = json(s.send_as(&beta.owner.token, Method::GET, "/api/v1/catalogues").await).await;
        assert_eq!(theirs["total"], catalogues_before["total"], "{theirs}");
        let search = json(
            s.send_as(&beta.owner.token, Method::GET, "/api/v1/competencies?q=confidentiality").await,
        )
        .await;
        assert_eq!(search["total"], 0, "{search}");
        for id in ["esco-test", "acme-skills"] {
            let stranger = s
                .send_as(&beta.owner.token, Method::GET, &format!("/api/v1/catalogues/{id}")).await;
            assert_problem(stranger, 404).await;
        }
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_imports_respect_the_import_limit() {
    let settings = Settings {
        import_limit: 4 * 1024,
        limits: framewright_model::Limits {
            max_unpacked_bytes: 40 * 1024,
            ..framewright_model::Limits::default()
        },
        ..Settings::default()
    };
    each_backend(settings, |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let mut csv = String::from("id,name,alt_labels,definition\n");
        for i in 0..200 {
            csv.push_str(&format!(
                "skill-{i},Skill number {i},,A skill used to fill the file.\n"
            ));
        }
        assert!(csv.len() > 4 * 1024);
        let big = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/csv?name=big",
            csv.into_bytes(),
        )
        .await;
        let problem = assert_problem(big, 413).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("nothing was imported")
        );
        let small = "id,name,alt_labels,definition\na,A,,x\n";
        let ok = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/csv?name=small",
            small.into(),
        )
        .await;
        assert_eq!(ok.status(), 201);
        // A zip within the body limit that unpacks to more than `max_unpacked_bytes` is refused.
        let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        {
            use std::io::Write;
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            bomb.start_file("skills_en.csv", options).unwrap();
            bomb.write_all(b"conceptUri,preferredLabel\n").unwrap();
            bomb.write_all(&vec![b' '; 100 * 1024]).unwrap();
        }
        let bomb = bomb.finish().unwrap().into_inner();
        assert!(bomb.len() < 4 * 1024, "{}", bomb.len());
        let refused = upload(
            &s,
            designer,
            "/api/v1/catalogues/import/esco?name=bomb",
            bomb,
        )
        .await;
        let problem = assert_problem(refused, 413).await;
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("unpacks to more"),
            "{problem}"
        );
        assert_eq!(problem["limit"]["name"], "max_unpacked_bytes", "{problem}");
        let missing = s
            .send_as(designer, Method::GET, "/api/v1/catalogues/big")
            .await;
        assert_eq!(missing.status(), 404);
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_framework_is_served_as_a_valid_case_package() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let draft = s.generate_ml_engineer(designer).await;
        let location = s.save_framework(designer, &draft["framework"]).await;
        publish(&s, designer, &location, 1, "1.0.0").await;
        let list = json(
            s.send_as(designer, Method::GET, "/ims/case/v1p1/CFDocuments")
                .await,
        )
        .await;
        let package_uri = list["CFDocuments"][0]["CFPackageURI"]["uri"]
            .as_str()
            .unwrap()
            .to_string();
        let package: Value = s
            .client
            .get(&package_uri)
            .bearer_auth(designer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(case_errors(&package), Vec::<String>::new());
        let competencies = draft["framework"]["competencies"].as_array().unwrap().len();
        let criteria = package["CFRubrics"][0]["CFRubricCriteria"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            criteria, competencies,
            "one rubric criterion per competency"
        );
        // Every association's ends are items (or the document) of this package.
        let mut known: Vec<&str> = package["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["identifier"].as_str().unwrap())
            .collect();
        known.push(package["CFDocument"]["identifier"].as_str().unwrap());
        for a in package["CFAssociations"].as_array().unwrap() {
            for end in ["originNodeURI", "destinationNodeURI"] {
                let id = a[end]["identifier"].as_str().unwrap();
                assert!(known.contains(&id), "{end} {id} of {}", a["identifier"]);
            }
        }
        s
    })
    .await;
}
