//! The generic catalogue CSV (`id,name,alt_labels,definition`, optional `kind`, `broader`,
//! `uri`), read as a stream with progress: the form any organisation's list of competencies can
//! be saved in, and the form of the 13,939-skill ESCO benchmark catalogue. Lists in a cell are
//! separated by `|` or by line breaks. The same rules as
//! `framewright_catalog::parse_catalogue_csv`, which reads the form from memory.

use std::path::Path;

use framewright_catalog::csv_form::{CompetencyRows, REQUIRED_COLUMNS};
use framewright_model::{Catalogue, Location};

use super::spreadsheet::CatalogueOptions;
use super::{ImportError, Progress};
use crate::table::text::{Quoting, TextTable};

/// Reads a catalogue in the generic CSV form from `path`.
pub fn read(
    path: &Path,
    options: &CatalogueOptions,
    progress: &mut dyn Progress,
) -> Result<Catalogue, ImportError> {
    let mut table =
        TextTable::open(path, b',', Quoting::Csv, progress, "competencies")?.restore_formulas();
    table.require(REQUIRED_COLUMNS)?;
    let mut rows = CompetencyRows::default();
    // The row limit is checked while reading: a file of millions of rows is refused at the
    // first row past it, not after all of them are held.
    let max_rows = options.limits.max_rows.min(options.limits.max_items);
    let mut count = 0usize;
    while let Some(record) = table.next(progress)? {
        count += 1;
        if count > max_rows {
            let (limit, what) = if max_rows == options.limits.max_rows {
                ("max_rows", "rows")
            } else {
                ("max_items", "competencies")
            };
            return Err(ImportError::Limit {
                file: table.file().to_string(),
                exceeded: framewright_model::LimitExceeded::new(
                    limit,
                    max_rows as u64,
                    format!(
                        "the file has more than {max_rows} {what}, more than this program accepts"
                    ),
                ),
            });
        }
        rows.push(record.row())?;
    }
    let competencies = rows.finish(Location::file(table.file()))?;
    progress.finish();
    Ok(Catalogue {
        id: options.id.clone(),
        name: options.name.clone(),
        title: None,
        version: options.version.clone(),
        publisher: None,
        issued: None,
        licence: options.licence.clone(),
        attribution: options.attribution.clone(),
        url: options.url.clone(),
        notes: Vec::new(),
        competencies,
        reference_roles: Vec::new(),
    })
}
