//! Fuzz target: a catalogue upload in the Csv format, as `POST /api/v1/catalogues/import/...`
//! receives it. Any input must give a catalogue or an error, never a panic, and stay within the
//! unpack limit.
#![no_main]

use framewright_interop::catalogue::upload::{UploadFormat, UploadOptions, import_upload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = UploadOptions {
        id: "fuzz".to_string(),
        title: None,
        licence: Some("fuzz".to_string()),
        attribution: None,
        release: None,
        language: None,
        limits: framewright_model::Limits {
            max_unpacked_bytes: 16 * 1024 * 1024,
            ..framewright_model::Limits::default()
        },
    };
    let _ = import_upload(UploadFormat::Csv, data, "catalogue.csv", &options);
});
