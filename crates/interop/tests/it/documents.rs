//! Framework documents: DOCX always, PDF with the `pdf` feature. The files are real (they open
//! in Word, LibreOffice and PDF readers: checked by rendering them to images when developing);
//! these tests check their structure and content.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::io::Read;

use framewright_interop::document;

/// The text of `word/document.xml` inside a DOCX.
fn docx_xml(bytes: &[u8]) -> String {
    let mut archive = zip_entries(bytes);
    archive
        .remove("word/document.xml")
        .expect("word/document.xml")
}

/// Every entry of a ZIP archive as text (small archives only).
fn zip_entries(bytes: &[u8]) -> std::collections::HashMap<String, String> {
    // A minimal reader: DOCX files written by docx-rs use the deflate method, which the
    // `zip` crate pulled in by docx-rs reads.
    let mut out = std::collections::HashMap::new();
    let mut archive = docx_rs_zip(bytes);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        if file.read_to_string(&mut text).is_ok() {
            let name = file.name().map(|n| n.to_string()).unwrap_or_default();
            out.insert(name, text);
        }
    }
    out
}

fn docx_rs_zip(bytes: &[u8]) -> zip::ZipArchive<std::io::Cursor<Vec<u8>>> {
    zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap()
}

#[test]
fn the_word_document_has_every_part_and_the_attribution() {
    let framework = common::rich_framework();
    let bytes = document::docx(&framework).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let xml = docx_xml(&bytes);
    for expected in [
        "Machine Learning Engineer (GS-13)",
        "About this framework",
        "Proficiency scale",
        "Accountability",
        "Logs their own work",
        "Role profiles",
        "ML Engineer",
        "Interview guide",
        "Tell me about a time you owned a mistake.",
        "Relations between competencies",
        "Sources and attributions",
        "Source: US Office of Personnel Management",
        "No definition: the source gives none.",
        "DRAFT",
    ] {
        assert!(xml.contains(expected), "{expected} missing");
    }
    // Same framework, same bytes.
    assert_eq!(document::docx(&framework).unwrap(), bytes);
}

#[cfg(feature = "pdf")]
#[test]
fn the_pdf_is_typeset_with_every_part() {
    let framework = common::rich_framework();
    let bytes = document::pdf(&framework).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() > 20_000, "{}", bytes.len());
    assert_eq!(
        document::pdf(&framework).unwrap(),
        bytes,
        "same framework, same bytes"
    );
    if let Ok(dir) = std::env::var("FRAMEWRIGHT_DOCUMENT_OUT") {
        std::fs::write(format!("{dir}/rich.pdf"), &bytes).unwrap();
        std::fs::write(
            format!("{dir}/rich.docx"),
            document::docx(&framework).unwrap(),
        )
        .unwrap();
    }
}

#[cfg(not(feature = "pdf"))]
#[test]
fn without_the_pdf_feature_pdf_export_says_how_to_get_it() {
    let e = document::pdf(&common::rich_framework()).unwrap_err();
    assert!(e.to_string().contains("--features pdf"), "{e}");
}
