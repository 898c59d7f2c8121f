//! The applicant-flow file (`applicant_id,<group>,<step>,…`) as the domain's
//! [`SelectionFlow`], read once for the CLI's `hiring impact` and the web's adverse-impact form.
//!
//! Pure: the caller reads the bytes.

use framewright_hiring::impact::{FlowApplicant, SelectionFlow};
use framewright_interop::hiring::csv::{self as hiring_csv, CsvFileError};

/// Reads the applicant flow of `file`, grouped by the column `group`, through `steps` (every
/// other column when `None`).
pub fn read_selection_flow(
    file: &str,
    bytes: &[u8],
    group: &str,
    steps: Option<&[String]>,
) -> Result<SelectionFlow, CsvFileError> {
    let read = hiring_csv::read_applicant_flow(file, bytes, group, steps)?;
    Ok(SelectionFlow {
        grouping: read.group_column,
        steps: read.steps,
        applicants: read
            .rows
            .records
            .into_iter()
            .map(|r| FlowApplicant {
                id: r.applicant,
                group: r.group,
                outcomes: r.outcomes,
            })
            .collect(),
    })
}
