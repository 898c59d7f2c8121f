//! Every parser of outside input, fed arbitrary or damaged input: it never panics, and it either
//! reads the input or refuses it with an error that names the file (and a line when the content
//! is at fault).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use framewright_interop::catalogue::esco::{self, EscoOptions};
use framewright_interop::catalogue::nice::{self, NiceOptions};
use framewright_interop::catalogue::onet::{self, OnetOptions};
use framewright_interop::catalogue::spreadsheet::CatalogueOptions;
use framewright_interop::catalogue::{ImportError, NoProgress, generic};
use framewright_interop::framework::case;
use framewright_interop::framework::workbook;
use proptest::prelude::*;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
    .unwrap()
}

/// `bytes` with `count` bytes changed, inserted or removed at positions from `seed`.
fn damage(bytes: &[u8], seed: u64, count: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut state = seed | 1;
    for _ in 0..count {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if out.is_empty() {
            out.push(b'"');
            continue;
        }
        let at = (state as usize) % out.len();
        let byte = [
            b'"', b',', b'\n', b'\r', b'\t', b'{', b'}', 0xE9, b'x', b'1',
        ][(state >> 32) as usize % 10];
        match (state >> 40) % 3 {
            0 => out[at] = byte,
            1 => out.insert(at, byte),
            _ => {
                out.remove(at);
            }
        }
    }
    out
}

fn check(result: Result<(), ImportError>, name: &str) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        let text = e.to_string();
        prop_assert!(
            text.contains(name),
            "the error does not name the file: {}",
            text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn damaged_esco_and_generic_csv_never_panic(seed in any::<u64>(), count in 1usize..12) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("skills_en.csv");
        std::fs::write(&path, damage(&fixture("esco/release/skills_en.csv"), seed, count)).unwrap();
        check(esco::import(&path, &EscoOptions::default(), &mut NoProgress).map(|_| ()), "skills_en.csv")?;
        check(generic::read(&path, &CatalogueOptions::for_file(&path), &mut NoProgress).map(|_| ()), "skills_en.csv")?;
    }

    #[test]
    fn damaged_onet_files_never_panic(seed in any::<u64>(), count in 1usize..12) {
        let dir = tempfile::tempdir().unwrap();
        for name in ["Occupation Data.txt", "Skills.txt"] {
            std::fs::write(dir.path().join(name), damage(&fixture(&format!("onet/release/{name}")), seed, count)).unwrap();
        }
        let result = onet::import(dir.path(), &OnetOptions::default(), &mut NoProgress).map(|_| ());
        if let Err(e) = result {
            let text = e.to_string();
            prop_assert!(text.contains(".txt"), "{}", text);
        }
    }

    #[test]
    fn damaged_nice_json_never_panics(seed in any::<u64>(), count in 1usize..12) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nf.json");
        std::fs::write(&path, damage(&fixture("nice/nf_components.json"), seed, count)).unwrap();
        check(nice::import(&path, &NiceOptions::default(), &mut NoProgress).map(|_| ()), "nf.json")?;
    }

    #[test]
    fn damaged_case_packages_never_panic(seed in any::<u64>(), count in 1usize..12) {
        let bytes = damage(&fixture("case/case-1.0-quirks.json"), seed, count);
        let text = String::from_utf8_lossy(&bytes);
        let scale = framewright_catalog::opm_five_level().unwrap();
        match case::import_case(&text, "p.json", &scale) {
            Ok(imported) => prop_assert!(framewright_model::validate::problems(&imported.framework).is_empty()),
            Err(e) => prop_assert!(e.to_string().starts_with("p.json"), "{}", e),
        }
    }

    #[test]
    fn damaged_framework_csv_never_panics(seed in any::<u64>(), count in 1usize..12) {
        let template = workbook::csv::write(&framewright_interop::catalogue::spreadsheet::example_framework());
        let bytes = damage(template.as_bytes(), seed, count);
        if let Err(e) = workbook::csv::read(&bytes, "f.csv", &mut NoProgress) {
            prop_assert!(e.to_string().starts_with("f.csv"), "{}", e);
        }
    }

    #[test]
    fn arbitrary_bytes_are_not_a_workbook(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = workbook::xlsx::read(&bytes, "f.xlsx", &framewright_model::Limits::default(), &mut NoProgress) {
            prop_assert!(e.to_string().starts_with("f.xlsx"), "{}", e);
        }
    }
}
