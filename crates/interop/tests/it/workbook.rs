//! The framework workbook: exported as XLSX or CSV and imported again, a framework loses
//! nothing; malformed spreadsheets are refused with file, sheet/line and column.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use framewright_interop::catalogue::spreadsheet::{self, CatalogueOptions, Spreadsheet};
use framewright_interop::catalogue::{ImportError, NoProgress};
use framewright_interop::framework::workbook;
use proptest::prelude::*;

fn csv_round_trip(framework: &framewright_model::Framework) -> framewright_model::Framework {
    let text = workbook::csv::write(framework);
    let (back, report) = workbook::csv::read(text.as_bytes(), "f.csv", &mut NoProgress).unwrap();
    assert!(report.ignored.is_empty(), "{:?}", report.ignored);
    back
}

fn xlsx_round_trip(framework: &framewright_model::Framework) -> framewright_model::Framework {
    let bytes = workbook::xlsx::write(framework).unwrap();
    let (back, report) = workbook::xlsx::read(
        &bytes,
        "f.xlsx",
        &framewright_model::Limits::default(),
        &mut NoProgress,
    )
    .unwrap();
    assert!(report.ignored.is_empty(), "{:?}", report.ignored);
    back
}

#[test]
fn the_rich_framework_survives_csv_and_xlsx() {
    let framework = common::rich_framework();
    // The rich framework has an empty level description (Some("")), which a spreadsheet cell
    // cannot tell from none; everything else must come back exactly.
    let mut expected = framework.clone();
    for c in &mut expected.competencies {
        for l in &mut c.levels {
            if l.description.as_deref() == Some("") {
                l.description = None;
            }
        }
    }
    assert_eq!(csv_round_trip(&framework), expected);
    assert_eq!(xlsx_round_trip(&framework), expected);
}

#[test]
fn exports_are_the_same_bytes_each_time() {
    let framework = common::rich_framework();
    assert_eq!(
        workbook::xlsx::write(&framework).unwrap(),
        workbook::xlsx::write(&framework).unwrap()
    );
    assert_eq!(
        workbook::csv::write(&framework),
        workbook::csv::write(&framework)
    );
}

/// What a spreadsheet cell can hold: no empty text (it reads as none), no line breaks inside
/// one entry of a list.
fn spreadsheet_safe(mut f: framewright_model::Framework) -> framewright_model::Framework {
    fn clean(text: &mut Option<String>) {
        if text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            *text = None;
        }
    }
    fn one_line(list: &mut Vec<String>) {
        for item in list.iter_mut() {
            *item = item.replace(['\n', '\r'], " ");
        }
        list.retain(|i| !i.trim().is_empty());
    }
    clean(&mut f.description);
    clean(&mut f.owner);
    for g in &mut f.groups {
        clean(&mut g.description);
    }
    for c in &mut f.competencies {
        clean(&mut c.definition);
        clean(&mut c.rationale);
        one_line(&mut c.alt_labels);
        for l in &mut c.levels {
            clean(&mut l.description);
            one_line(&mut l.indicators);
        }
    }
    for r in &mut f.relations {
        clean(&mut r.note);
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn any_framework_survives_the_workbook(framework in common::any_framework()) {
        let framework = spreadsheet_safe(framework);
        prop_assume!(framewright_model::validate::problems(&framework).is_empty());
        prop_assert_eq!(&csv_round_trip(&framework), &framework);
        prop_assert_eq!(&xlsx_round_trip(&framework), &framework);
    }
}

fn located(error: &ImportError) -> (Option<String>, Option<u64>, Option<String>) {
    let at = error.location().expect("a located error");
    (at.sheet.clone(), at.line, at.column.clone())
}

/// The framework's tables with one cell changed, written as CSV, and the line of that row.
fn csv_with(sheet: &str, row: usize, column: &str, value: &str, marker: &str) -> (String, u64) {
    let mut tables = workbook::to_tables(&common::rich_framework());
    let table = tables.iter_mut().find(|t| t.name == sheet).unwrap();
    let c = table.header.iter().position(|h| h == column).unwrap();
    table.rows[row].cells[c] = value.to_string();
    let text = workbook::csv::write_tables(&tables);
    let marker = format!(",{marker},");
    let line = text
        .lines()
        .position(|l| l.starts_with(sheet) && l.contains(&marker))
        .unwrap() as u64
        + 1;
    (text, line)
}

#[test]
fn a_framework_csv_with_a_broken_row_is_refused_with_its_line() {
    // A level row naming a competency that does not exist.
    let (text, line) = csv_with("Levels", 0, "competency", "nobody", "nobody");
    let e = workbook::csv::read(text.as_bytes(), "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(
        located(&e),
        (None, Some(line), Some("competency".into())),
        "{e}"
    );
    // A level outside the scale: caught by validation, located on its row.
    let (text, line) = csv_with("Levels", 0, "level", "9", "9");
    let e = workbook::csv::read(text.as_bytes(), "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(located(&e).1, Some(line), "{e}");
    assert!(e.to_string().contains("level 9"), "{e}");
    // A duplicate competency id: validation, located on the second row.
    let (text, line) = csv_with("Competencies", 2, "id", "accountability", "Python");
    let e = workbook::csv::read(text.as_bytes(), "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(located(&e).1, Some(line), "{e}");
    assert!(e.to_string().contains("used twice"), "{e}");

    let text = workbook::csv::write(&common::rich_framework());
    let lines = text.lines().count() as u64;
    // Missing column.
    let broken = text.replacen(",indicators,", ",indicator_list,", 1);
    let e = workbook::csv::read(broken.as_bytes(), "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(located(&e).2.as_deref(), Some("indicators"), "{e}");
    // Broken quote on a new last line.
    let width = workbook::csv::header().len();
    let broken = format!("{text}Notes,\"never closed{}\n", ",".repeat(width - 2));
    let e = workbook::csv::read(broken.as_bytes(), "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(located(&e).1, Some(lines + 1), "{e}");
    assert!(e.to_string().contains("never closed"), "{e}");
    // Wrong encoding on a new last line.
    let mut bytes = text.clone().into_bytes();
    bytes.extend_from_slice(b"Notes,caf\xe9\r\n");
    let e = workbook::csv::read(&bytes, "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(located(&e).1, Some(lines + 1), "{e}");
    assert!(e.to_string().contains("UTF-8"), "{e}");
    // A row with too few cells.
    let broken = format!("{text}Notes,accountability\r\n");
    let e = workbook::csv::read(broken.as_bytes(), "f.csv", &mut NoProgress).unwrap_err();
    assert_eq!(located(&e).1, Some(lines + 1), "{e}");
}

#[test]
fn a_workbook_with_a_bad_cell_names_sheet_row_and_column() {
    let framework = common::rich_framework();
    let mut tables = workbook::to_tables(&framework);
    let targets = tables.iter_mut().find(|t| t.name == "Targets").unwrap();
    let weight = targets.header.iter().position(|h| h == "weight").unwrap();
    targets.rows[1].cells[weight] = "very".into();
    let bytes = workbook::xlsx::write_tables(&tables).unwrap();
    let e = workbook::xlsx::read(
        &bytes,
        "f.xlsx",
        &framewright_model::Limits::default(),
        &mut NoProgress,
    )
    .unwrap_err();
    assert_eq!(
        located(&e),
        (Some("Targets".into()), Some(3), Some("weight".into())),
        "{e}"
    );
    // A workbook without the Competencies sheet.
    let mut tables = workbook::to_tables(&framework);
    tables.retain(|t| t.name != "Competencies");
    let bytes = workbook::xlsx::write_tables(&tables).unwrap();
    let e = workbook::xlsx::read(
        &bytes,
        "f.xlsx",
        &framewright_model::Limits::default(),
        &mut NoProgress,
    )
    .unwrap_err();
    assert_eq!(located(&e).0.as_deref(), Some("Competencies"), "{e}");
    // Not a workbook at all.
    let e = workbook::xlsx::read(
        b"not a zip",
        "f.xlsx",
        &framewright_model::Limits::default(),
        &mut NoProgress,
    )
    .unwrap_err();
    assert!(e.to_string().contains("not an Excel workbook"), "{e}");
}

#[test]
fn templates_are_valid_and_import_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let example = spreadsheet::example_framework();
    let xlsx = dir.path().join("template.xlsx");
    std::fs::write(&xlsx, workbook::xlsx::write(&example).unwrap()).unwrap();
    let options = CatalogueOptions::for_file(&xlsx);
    match spreadsheet::read_xlsx(&xlsx, &options, &mut NoProgress).unwrap() {
        Spreadsheet::Framework(f, _) => assert_eq!(*f, example),
        Spreadsheet::Catalogue(_) => panic!("a framework workbook read as a catalogue"),
    }
    let csv = dir.path().join("template.csv");
    std::fs::write(&csv, workbook::csv::write(&example)).unwrap();
    match spreadsheet::read_csv(&csv, &options, &mut NoProgress).unwrap() {
        Spreadsheet::Framework(f, _) => assert_eq!(*f, example),
        Spreadsheet::Catalogue(_) => panic!("a framework CSV read as a catalogue"),
    }
    let catalogue_csv = dir.path().join("skills.csv");
    std::fs::write(&catalogue_csv, spreadsheet::catalogue_template_csv()).unwrap();
    match spreadsheet::read_csv(
        &catalogue_csv,
        &CatalogueOptions::for_file(&catalogue_csv),
        &mut NoProgress,
    )
    .unwrap()
    {
        Spreadsheet::Catalogue(c) => {
            assert_eq!(c.id, "skills");
            assert_eq!(c.competencies.len(), 2);
            assert_eq!(
                c.competencies[0].alt_labels,
                ["Analytics", "Data analytics"]
            );
        }
        Spreadsheet::Framework(..) => panic!("a catalogue CSV read as a framework"),
    }
    let catalogue_xlsx = dir.path().join("skills.xlsx");
    std::fs::write(
        &catalogue_xlsx,
        spreadsheet::catalogue_template_xlsx().unwrap(),
    )
    .unwrap();
    match spreadsheet::read_xlsx(
        &catalogue_xlsx,
        &CatalogueOptions::for_file(&catalogue_xlsx),
        &mut NoProgress,
    )
    .unwrap()
    {
        Spreadsheet::Catalogue(c) => {
            assert_eq!(c.competencies.len(), 2);
            assert_eq!(
                c.competencies[0].alt_labels,
                ["Analytics", "Data analytics"]
            );
            assert_eq!(c.reference_roles.len(), 1);
            assert_eq!(
                c.reference_roles[0].tasks,
                ["Cleans data sets", "Builds dashboards"]
            );
            assert_eq!(c.reference_roles[0].competencies.len(), 2);
            assert!(c.reference_roles[0].competencies[0].essential);
            assert_eq!(c.reference_roles[0].competencies[1].weight, 0.5);
        }
        Spreadsheet::Framework(..) => panic!("a catalogue workbook read as a framework"),
    }
    // And the library resolves the catalogue workbook by path.
    let library = framewright_interop::library::Library::in_data_dir(dir.path());
    let resolved = library.resolve(catalogue_xlsx.to_str().unwrap()).unwrap();
    assert_eq!(resolved.catalogue.reference_roles.len(), 1);
}
