//! Fuzz target: a catalogue upload in the Xlsx format, as `POST /api/v1/catalogues/import/...`
//! receives it. Any input must give a catalogue or an error, never a panic, and stay within the
//! unpack limit.
#![no_main]

use framewright_fuzz::upload;
use framewright_interop::catalogue::upload::UploadFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| upload(UploadFormat::Xlsx, "catalogue.xlsx", data));
