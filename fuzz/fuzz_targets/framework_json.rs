//! Fuzz target: a framework file in JSON, as the CLI reads it and the API receives it
//! (`POST /api/v1/lint`, `PUT /api/v1/frameworks/{id}`). Any input must give a framework or
//! an error, never a panic.
#![no_main]

use framewright_model::file::{FileFormat, read_framework};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = read_framework(text, FileFormat::Json);
    }
});
