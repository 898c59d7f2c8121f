//! Exit statuses shared by every command, and the one place errors are printed.
//!
//! - 0: the command did what was asked (lint may still have printed warnings);
//! - 1: the command ran, and what it checked has errors (for example lint errors);
//! - 2: the input could not be used (a malformed file, an unknown id, a wrong option).

use std::process::ExitCode;

/// The command ran and what it checked has errors.
pub const FINDINGS: u8 = 1;
/// The input could not be used.
pub const BAD_INPUT: u8 = 2;

/// Prints an error and its causes for a person, and returns the bad-input status.
pub fn report(error: &anyhow::Error) -> ExitCode {
    // A reader that stops early (`framewright … | head`) is not an error worth printing.
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("error: {error}");
    for cause in error.chain().skip(1) {
        eprintln!("  caused by: {cause}");
    }
    ExitCode::from(BAD_INPUT)
}
