//! The limits an import (or the server) works within, as command-line options: the one
//! definition is `framewright_model::Limits`; these options only change its values.

use framewright_model::Limits;

const MIB: u64 = 1024 * 1024;

/// How large an imported file may be once unpacked, and how large a catalogue or framework may
/// be (see "Limits" in docs/server.md).
#[derive(Debug, Clone, clap::Args)]
pub struct LimitArgs {
    /// The most an XLSX workbook may unpack to, in MiB (workbooks are read into memory).
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_workbook_bytes / MIB)]
    pub max_workbook_mib: u64,
    /// The most a zip of a release (ESCO, O*NET) may unpack to, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_unpacked_bytes / MIB)]
    pub max_unpacked_mib: u64,
    /// The most rows a sheet of a workbook, or a catalogue CSV, may have.
    #[arg(long, value_name = "ROWS", default_value_t = Limits::default().max_rows)]
    pub max_rows: usize,
    /// The most competencies (and the most reference roles) one catalogue may hold.
    #[arg(long, value_name = "COUNT", default_value_t = Limits::default().max_items)]
    pub max_items: usize,
    /// The most competencies one framework may hold.
    #[arg(long, value_name = "COUNT", default_value_t = Limits::default().max_framework_competencies)]
    pub max_framework_competencies: usize,
}

impl LimitArgs {
    /// The limits these options set (the others at their defaults).
    pub fn limits(&self) -> Limits {
        Limits {
            max_workbook_bytes: self.max_workbook_mib.saturating_mul(MIB),
            max_unpacked_bytes: self.max_unpacked_mib.saturating_mul(MIB),
            max_rows: self.max_rows,
            max_items: self.max_items,
            max_framework_competencies: self.max_framework_competencies,
            ..Limits::default()
        }
    }
}

/// How to raise limit `limit` on the command line (` (raise it with --max-rows)`), or nothing
/// when no option sets it.
pub fn raise_with(limit: &str) -> String {
    let flag = match limit {
        "max_workbook_bytes" => "--max-workbook-mib",
        "max_unpacked_bytes" => "--max-unpacked-mib",
        "max_rows" => "--max-rows",
        "max_items" => "--max-items",
        "max_framework_competencies" => "--max-framework-competencies",
        _ => return String::new(),
    };
    format!(" (raise it with {flag})")
}
