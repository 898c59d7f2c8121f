//! What the upload fuzz targets share: a catalogue upload imported as
//! `POST /api/v1/catalogues/import/...` receives it, with the unpack limit at 16 MiB so that a
//! run stays within libFuzzer's memory limit. Any input must give a catalogue or an error,
//! never a panic.

use framewright_interop::catalogue::upload::{UploadFormat, UploadOptions, import_upload};

/// Imports `data` as an upload of `format` named `file_name`, ignoring the outcome (only a
/// panic or a sanitizer report is a finding).
pub fn upload(format: UploadFormat, file_name: &str, data: &[u8]) {
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
    let _ = import_upload(format, data, file_name, &options);
}
