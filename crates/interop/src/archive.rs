//! Archives read within limits: every zip-based file (an XLSX workbook, a zip of a release) is
//! measured before it is used — how many files it holds, what each declares it unpacks to, and
//! then what it really unpacks to, read in small pieces and stopped as soon as a limit is passed
//! — so a small file that unpacks to gigabytes (a "zip bomb") is refused without ever being held
//! in memory. XLSX sheets are then read cell by cell within the row and column limits (a sheet
//! with two cells a million rows apart would otherwise be laid out whole).

use std::io::{Cursor, Read, Seek};

use calamine::{Cell, Data, Range, Xlsx};
use framewright_model::limits::{LimitExceeded, Limits, bytes_for_people};

use crate::catalogue::ImportError;

/// Files that unpack to less than this are not checked for their compression ratio.
const RATIO_FLOOR: u64 = 1024 * 1024;

fn refused(file: &str, exceeded: LimitExceeded) -> ImportError {
    ImportError::Limit {
        file: file.to_string(),
        exceeded,
    }
}

/// Measures the zip archive `bytes` (named `file` in errors) against `max_unpacked` bytes (all
/// files together; `limit_name` is that limit's setting) and the entry-count and
/// compression-ratio limits, unpacking every file once
/// in small pieces and stopping at the first limit passed. Bytes that are not a zip archive
/// pass (the reader that follows says what is wrong with them).
pub fn check_zip(
    bytes: &[u8],
    file: &str,
    limit_name: &'static str,
    max_unpacked: u64,
    limits: &Limits,
) -> Result<(), ImportError> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.len() > limits.max_archive_entries {
        return Err(refused(
            file,
            LimitExceeded::new(
                "max_archive_entries",
                limits.max_archive_entries as u64,
                format!(
                    "the archive holds {} files, more than the {} this program accepts",
                    archive.len(),
                    limits.max_archive_entries
                ),
            ),
        ));
    }
    let too_large = |limit: &'static str| {
        refused(
            file,
            LimitExceeded::new(
                limit,
                max_unpacked,
                format!(
                    "the file unpacks to more than {}, more than this program accepts",
                    bytes_for_people(max_unpacked)
                ),
            ),
        )
    };
    // What the files say they unpack to: refused at once when that is already too much.
    let mut declared = 0u64;
    for i in 0..archive.len() {
        if let Ok(entry) = archive.by_index_raw(i) {
            declared = declared.saturating_add(entry.size());
        }
    }
    if declared > max_unpacked {
        return Err(too_large(limit_name));
    }
    // What they really unpack to (sizes in a zip can lie).
    let mut total = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            // The reader that follows names what is wrong.
            continue;
        };
        let packed = entry.compressed_size().max(1);
        let mut unpacked = 0u64;
        loop {
            let n = match entry.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n as u64,
                // Among others: a file that unpacks to more than its header says.
                Err(e) => {
                    let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
                    return Err(ImportError::at(
                        file,
                        None,
                        None,
                        format!(
                            "`{}` in the file cannot be unpacked ({e}); the file is damaged or was made to exhaust memory",
                            name
                        ),
                    ));
                }
            };
            unpacked += n;
            total += n;
            if total > max_unpacked {
                return Err(too_large(limit_name));
            }
            if unpacked > RATIO_FLOOR && unpacked / packed > limits.max_compression_ratio {
                return Err(refused(
                    file,
                    LimitExceeded::new(
                        "max_compression_ratio",
                        limits.max_compression_ratio,
                        format!(
                            "a file in the archive unpacks to more than {} times its packed size, the mark of a file made to exhaust memory",
                            limits.max_compression_ratio
                        ),
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Opens an XLSX workbook after checking it against the limits (see [`check_zip`]).
pub fn open_xlsx<'a>(
    bytes: &'a [u8],
    file: &str,
    limits: &Limits,
) -> Result<Xlsx<Cursor<&'a [u8]>>, ImportError> {
    check_zip(
        bytes,
        file,
        "max_workbook_bytes",
        limits.max_workbook_bytes,
        limits,
    )?;
    calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
        ImportError::at(
            file,
            None,
            None,
            format!("this is not an Excel workbook (.xlsx) that can be read: {e}. Save it as .xlsx (Excel 2007 or later) and import again"),
        )
    })
}

/// The used cells of sheet `name`, read one by one within the row and column limits; `None`
/// when the workbook has no such sheet.
pub fn sheet_range<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    file: &str,
    name: &str,
    limits: &Limits,
) -> Result<Option<Range<Data>>, ImportError> {
    let unreadable = |e: calamine::XlsxError| {
        ImportError::in_sheet(
            file,
            name,
            None,
            None,
            format!("the sheet cannot be read: {e}"),
        )
    };
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::WorksheetNotFound(_) | calamine::XlsxError::NotAWorksheet(_)) => {
            return Ok(None);
        }
        Err(e) => return Err(unreadable(e)),
    };
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let value: Data = cell.get_value().clone().into();
        if value == Data::Empty {
            continue;
        }
        if row as usize >= limits.max_rows.saturating_add(1) {
            return Err(refused(
                file,
                LimitExceeded::new(
                    "max_rows",
                    limits.max_rows as u64,
                    format!(
                        "sheet `{name}` has more than {} rows, more than this program accepts",
                        limits.max_rows
                    ),
                ),
            ));
        }
        if column as usize >= limits.max_columns {
            return Err(refused(
                file,
                LimitExceeded::new(
                    "max_columns",
                    limits.max_columns as u64,
                    format!(
                        "sheet `{name}` uses more than {} columns, more than this program accepts",
                        limits.max_columns
                    ),
                ),
            ));
        }
        cells.push(Cell::new((row, column), value));
    }
    Ok(Some(Range::from_sparse(cells)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::io::Write;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in files {
            out.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn archives_within_limits_pass_and_bombs_are_refused() {
        let limits = Limits::default();
        let small = zip_of(&[("a.txt", b"hello")]);
        check_zip(&small, "a.zip", "max_unpacked_bytes", 1_000, &limits).unwrap();

        let bomb = zip_of(&[("a.txt", &vec![b'a'; 4 * 1024 * 1024])]);
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        let e = check_zip(&bomb, "a.zip", "max_unpacked_bytes", 1_000_000, &limits).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("a.zip: the file unpacks to more than 1 MB"),
            "{e}"
        );
        let e = check_zip(&bomb, "a.zip", "max_unpacked_bytes", u64::MAX, &limits).unwrap_err();
        match e {
            ImportError::Limit { exceeded, .. } => {
                assert_eq!(exceeded.limit, "max_compression_ratio")
            }
            other => panic!("{other}"),
        }
        let many = zip_of(&[("a", b"1"), ("b", b"2"), ("c", b"3")]);
        let few = Limits {
            max_archive_entries: 2,
            ..Limits::default()
        };
        let e = check_zip(&many, "m.zip", "max_unpacked_bytes", 1_000, &few).unwrap_err();
        assert!(e.to_string().contains("holds 3 files"), "{e}");
        // Not a zip: the reader that follows says so.
        check_zip(b"id,name\n", "a.csv", "max_unpacked_bytes", 10, &limits).unwrap();
    }
}
