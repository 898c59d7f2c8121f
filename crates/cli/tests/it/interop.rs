//! `framewright import` and `framewright export` on the real binary: catalogues into a library
//! folder, spreadsheets and CASE packages round trip, errors with file, line and column, exit
//! status 2 for bad input, nothing written when an import fails.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::common;

fn framewright() -> Command {
    let mut command = common::framewright();
    command.env_remove("FRAMEWRIGHT_DATA_DIR");
    command
}

fn interop_fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../interop/tests/fixtures")
        .join(path)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn esco_goes_into_the_library_and_re_importing_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let release = interop_fixture("esco/release");
    framewright()
        .args(["import", "esco", s(&release), "--data-dir", s(dir.path())])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ESCO was imported into the library as `esco`: 7 competencies, 2 reference roles.",
        ))
        .stdout(predicate::str::contains("Use it with --catalog esco."))
        .stdout(predicate::str::contains("European Commission"));
    let file = dir.path().join("catalogues/esco.json");
    let first = std::fs::read(&file).unwrap();
    // The environment variable works as well as the option.
    framewright()
        .args(["import", "esco", s(&release)])
        .env("FRAMEWRIGHT_DATA_DIR", dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "is already in the library, unchanged,",
        ));
    assert_eq!(std::fs::read(&file).unwrap(), first);
}

#[test]
fn imported_catalogues_are_found_by_name_by_other_commands() {
    let dir = tempfile::tempdir().unwrap();
    framewright()
        .args([
            "import",
            "esco",
            s(&interop_fixture("esco/release")),
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .success();
    framewright()
        .args([
            "catalog",
            "search",
            "clean corrupt records",
            "--catalog",
            "esco",
        ])
        .env("FRAMEWRIGHT_DATA_DIR", dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("perform data cleansing"));
    framewright()
        .args(["catalog", "search", "data", "--catalog", "escoo"])
        .env("FRAMEWRIGHT_DATA_DIR", dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("esco"))
        .stderr(predicate::str::contains("opm-ai-2024"));
}

#[test]
fn a_broken_file_is_refused_with_its_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    framewright()
        .args([
            "import",
            "esco",
            s(&interop_fixture("esco/malformed/broken-quote.csv")),
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken-quote.csv, line 15"))
        .stderr(predicate::str::contains("never closed"));
    assert!(!dir.path().join("catalogues").exists());
    framewright()
        .args([
            "import",
            "onet",
            s(&interop_fixture("onet/malformed")),
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Occupation Data.txt"));
    assert!(!dir.path().join("catalogues").exists());
}

#[test]
fn onet_nice_and_sfia_import_by_name() {
    let dir = tempfile::tempdir().unwrap();
    framewright()
        .args([
            "import",
            "onet",
            s(&interop_fixture("onet/release")),
            "--release",
            "30.1",
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "as `onet`: 6 competencies, 3 reference roles",
        ));
    framewright()
        .args([
            "import",
            "nice",
            s(&interop_fixture("nice/nf_components.json")),
            "--into",
            "nice-2-2",
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("as `nice-2-2`"));
    framewright()
        .args([
            "import",
            "sfia",
            s(&interop_fixture("sfia/skills.csv")),
            "--licence",
            "corporate licence, Example Ltd",
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("licensed"));
    framewright()
        .args([
            "import",
            "sfia",
            s(&interop_fixture("sfia/skills.csv")),
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--licence"));
    framewright()
        .args([
            "import",
            "nice",
            s(&interop_fixture("nice/nf_components.json")),
            "--into",
            "opm",
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("built-in"));
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join("catalogues"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["nice-2-2.json", "onet.json", "sfia.json"]);
}

#[test]
fn a_template_filled_in_imports_and_exported_workbooks_come_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.xlsx");
    framewright()
        .args(["import", "template", "xlsx", "-o", s(&template)])
        .assert()
        .success();
    let toml = dir.path().join("framework.toml");
    framewright()
        .args(["import", "xlsx", s(&template), "-o", s(&toml)])
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote"));
    framewright()
        .args(["validate", s(&toml)])
        .assert()
        .success();
    for format in ["xlsx", "csv"] {
        let exported = dir.path().join(format!("exported.{format}"));
        framewright()
            .args(["export", s(&toml), "--format", format, "-o", s(&exported)])
            .assert()
            .success();
        let back = dir.path().join(format!("back-{format}.toml"));
        framewright()
            .args(["import", format, s(&exported), "-o", s(&back)])
            .assert()
            .success();
        assert_eq!(
            std::fs::read_to_string(&back).unwrap(),
            std::fs::read_to_string(&toml).unwrap(),
            "{format}"
        );
    }
    // The output is not overwritten without --force.
    framewright()
        .args(["import", "xlsx", s(&template), "-o", s(&toml)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
}

#[test]
fn a_catalogue_csv_goes_into_the_library_with_its_licence() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("Team Skills.csv");
    std::fs::write(
        &csv,
        "id,name,alt_labels,definition\nx,Python,Py,Writes Python.\ny,SQL,,\n",
    )
    .unwrap();
    framewright()
        .args([
            "import",
            "csv",
            s(&csv),
            "--licence",
            "internal use",
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("as `team-skills`: 2 competencies"));
    let saved = std::fs::read_to_string(dir.path().join("catalogues/team-skills.json")).unwrap();
    assert!(saved.contains("\"licence\": \"internal use\""), "{saved}");
    std::fs::write(&csv, "id,name\nx,Python\nx,Again\n").unwrap();
    framewright()
        .args([
            "import",
            "csv",
            s(&csv),
            "--into",
            "dup",
            "--data-dir",
            s(dir.path()),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3, column `id`"));
    assert!(!dir.path().join("catalogues/dup.json").exists());
}

/// Writes the CSV template in `dir` and imports it as `framework.toml`; that file's path.
fn template_framework(dir: &tempfile::TempDir) -> PathBuf {
    let template = dir.path().join("template.csv");
    framewright()
        .args(["import", "template", "csv", "-o", s(&template)])
        .assert()
        .success();
    let toml = dir.path().join("framework.toml");
    framewright()
        .args(["import", "csv", s(&template), "-o", s(&toml)])
        .assert()
        .success();
    toml
}

#[test]
fn case_export_and_import_give_the_framework_back() {
    let dir = tempfile::tempdir().unwrap();
    let toml = template_framework(&dir);
    let package = dir.path().join("package.json");
    framewright()
        .args([
            "export",
            s(&toml),
            "--format",
            "case",
            "-o",
            s(&package),
            "--base-uri",
            "https://case.example.org/ims/case/v1p1",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "CASE 1.1 has no place for these fields",
        ))
        .stderr(predicate::str::contains("role_profiles"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&package).unwrap()).unwrap();
    assert_eq!(json["CFDocument"]["caseVersion"], "1.1");
    let back = dir.path().join("back.toml");
    framewright()
        .args(["import", "case", s(&package), "-o", s(&back)])
        .assert()
        .success()
        .stdout(predicate::str::contains("Read the CASE 1.1 package"));
    assert_eq!(
        std::fs::read_to_string(&back).unwrap(),
        std::fs::read_to_string(&toml).unwrap()
    );
    // To the screen when there is no -o.
    framewright()
        .args(["export", s(&toml), "--format", "case", "--quiet"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"CFDocument\""))
        .stderr(predicate::str::is_empty());
    // A quirky CASE 1.0 package is read with a report.
    framewright()
        .args([
            "import",
            "case",
            s(&interop_fixture("case/case-1.0-quirks.json")),
            "-o",
            s(&dir.path().join("quirks.toml")),
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("educationalLevel"));
}

#[test]
fn documents_are_written_to_files_named_after_the_framework() {
    let dir = tempfile::tempdir().unwrap();
    template_framework(&dir);
    framewright()
        .current_dir(dir.path())
        .args(["export", "framework.toml", "--format", "docx"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Wrote example-framework.docx."));
    let bytes = std::fs::read(dir.path().join("example-framework.docx")).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let pdf = framewright()
        .current_dir(dir.path())
        .args(["export", "framework.toml", "--format", "pdf"])
        .assert();
    if cfg!(feature = "pdf") {
        pdf.success();
        let bytes = std::fs::read(dir.path().join("example-framework.pdf")).unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
    } else {
        pdf.code(2)
            .stderr(predicate::str::contains("--features pdf"));
    }
}

#[test]
fn markdown_html_and_report_layouts_use_the_framework_renderers() {
    let dir = tempfile::tempdir().unwrap();
    let toml = template_framework(&dir);
    framewright()
        .args(["export", s(&toml), "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Example framework (replace this)"));
    framewright()
        .args(["export", s(&toml), "--format", "html"])
        .assert()
        .success()
        .stdout(predicate::str::contains("<html"));
    framewright()
        .args(["export", s(&toml), "--format", "csv", "--layout", "report"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("framework_id,competency_id"));
}

#[test]
fn help_is_written_for_people() {
    framewright()
        .args(["import", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("framewright import esco"))
        .stdout(predicate::str::contains(
            "Nothing is changed unless the whole file is in order",
        ));
    framewright()
        .args(["export", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--base-uri"))
        .stdout(predicate::str::contains("attributions"));
    framewright()
        .args(["import", "sfia", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("licence"));
}

/// The workbook of `crates/interop/tests/fixtures/bombs` (made by
/// `scripts/fixtures/make_xlsx_bombs.py`) is 1.5 MB and unpacks to 1 GiB. The import runs with
/// its address space capped at 512 MiB: reading the sheet whole cannot fit, so the test fails
/// (the process aborts) unless the limit refuses the file before it is unpacked.
#[cfg(target_os = "linux")]
#[test]
fn a_workbook_that_unpacks_to_a_gigabyte_is_refused_without_using_the_memory() {
    let dir = tempfile::tempdir().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("framewright");
    let bomb = interop_fixture("bombs/bomb.xlsx");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(
            r#"ulimit -v 524288 && exec "$0" import xlsx "$1" --into bomb --data-dir "$2" --quiet"#,
        )
        .arg(&binary)
        .arg(&bomb)
        .arg(dir.path())
        .env("FRAMEWRIGHT_MODEL_DIR", common::no_models())
        .env_remove("FRAMEWRIGHT_DATA_DIR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bomb.xlsx"), "{stderr}");
    assert!(stderr.contains("unpacks to more than 64 MiB"), "{stderr}");
    assert!(stderr.contains("--max-workbook-mib"), "{stderr}");
    assert!(!dir.path().join("catalogues").exists());

    // A catalogue over the item limit is refused with the option that raises it.
    let csv = dir.path().join("three.csv");
    std::fs::write(&csv, "id,name,alt_labels,definition\na,A,,\nb,B,,\nc,C,,\n").unwrap();
    framewright()
        .args([
            "import",
            "csv",
            s(&csv),
            "--into",
            "three",
            "--data-dir",
            s(dir.path()),
            "--max-items",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("three.csv"))
        .stderr(predicate::str::contains("more than 2 competencies"))
        .stderr(predicate::str::contains("--max-items"));
    assert!(!dir.path().join("catalogues").exists());
}
