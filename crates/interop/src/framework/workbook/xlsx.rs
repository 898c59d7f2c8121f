//! The framework workbook as an XLSX file: a "Read me" sheet, then one sheet per table with a
//! bold header row that stays in view, wrapped text and widths set for reading. Numbers
//! (levels, weights, ranks) are written as numbers; everything else as text, so nothing is
//! mistaken for a formula or a date. The file is the same bytes for the same framework.

use calamine::{Data, Reader as _};
use framewright_model::{Framework, Limits};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, XlsxError,
};

use super::{Row, Table, WorkbookReport, from_tables, to_tables};
use crate::catalogue::{ImportError, Progress};

/// The sheet that explains the workbook; it is not read back.
pub const README_SHEET: &str = "Read me";

/// Columns written as numbers when the cell holds one.
const NUMERIC: &[&str] = &["level", "weight", "importance_current", "importance_future"];

fn width(column: &str) -> f64 {
    match column {
        "definition" | "description" | "indicators" | "note" | "question" | "attribution"
        | "rationale" | "value" | "licence" => 60.0,
        "name" | "title" | "follow_up" | "anchor_1" | "anchor_2" | "anchor_3" | "anchor_4"
        | "anchor_5" | "alt_labels" | "url" | "source_uri" => 32.0,
        "level" | "draft" | "external" | "weight" | "grade" => 9.0,
        _ => 18.0,
    }
}

const README: &[&str] = &[
    "Framewright framework workbook",
    "",
    "This workbook holds a whole competency framework. Edit it here and import it back with:",
    "    framewright import xlsx THIS_FILE.xlsx -o framework.toml",
    "Nothing is lost on the way: groups and their nesting, proficiency levels, indicators, role profiles and targets, relations, the interview guide and the sources all come back.",
    "",
    "Rules",
    "- Keep the header row of every sheet. Columns may be moved; they are found by name.",
    "- An empty cell means \"none\".",
    "- Cells that hold lists (alt_labels, indicators) have one entry per line (Alt+Enter in Excel).",
    "- Ids connect the sheets: a competency's `group` is an id from Groups; Levels, Notes, Interview and Targets name competencies by id; Targets name role profiles by id.",
    "- kind is general (core), technical, knowledge, skill, ability or unspecified.",
    "- status is draft, in_review, published or retired. Dates are YYYY-MM-DD.",
    "- Levels run from 1 to the highest level on the Scale sheet. Weights run from 0 to 1.",
    "- grades read like `GS-13: X; GS-14: NR` (X = confirmed for selection, NR = not rated).",
    "- Relation types: prerequisite, broader, narrower, related, exact_match, close_match, replaced_by, or a type of your own. external = yes when `to` is an item outside the framework (an ESCO URI, a NICE id).",
    "",
    "Sources and attributions are on the Sources sheet; keep them with any copy you share.",
];

/// Writes tables as an XLSX workbook.
pub fn write_tables(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation time keeps the bytes the same for the same framework.
    let created = ExcelDateTime::from_ymd(2024, 1, 1)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Framewright framework workbook")
            .set_creation_datetime(&created),
    );
    let base = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xD0D7DE));
    let header_format = base
        .clone()
        .set_bold()
        .set_background_color(Color::RGB(0xE8EEF4));
    let readme = workbook.add_worksheet();
    readme.set_name(README_SHEET)?;
    readme.set_column_width(0, 110)?;
    let wrap = Format::new().set_text_wrap();
    for (i, line) in README.iter().enumerate() {
        let format = if i == 0 {
            Format::new().set_bold().set_font_size(14)
        } else {
            wrap.clone()
        };
        readme.write_string_with_format(i as u32, 0, *line, &format)?;
    }
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.name)?;
        for (col, title) in table.header.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.set_column_width(col, width(title))?;
            sheet.write_string_with_format(0, col, title, &header_format)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (col, cell) in row.cells.iter().enumerate() {
                let column = table.header.get(col).map_or("", String::as_str);
                let col = u16::try_from(col).unwrap_or(u16::MAX);
                if cell.is_empty() {
                    sheet.write_blank(r, col, &base)?;
                    continue;
                }
                let number = NUMERIC
                    .contains(&column)
                    .then(|| cell.parse::<f64>().ok())
                    .flatten()
                    .filter(|n| n.is_finite() && n.to_string() == *cell);
                match number {
                    Some(n) => sheet.write_number_with_format(r, col, n, &base)?,
                    None => sheet.write_string_with_format(r, col, cell, &base)?,
                };
            }
        }
        if !table.rows.is_empty() {
            let last_col = u16::try_from(table.header.len().saturating_sub(1)).unwrap_or(0);
            let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
            sheet.autofilter(0, 0, last_row, last_col)?;
        }
    }
    workbook.save_to_buffer()
}

/// The framework as an XLSX workbook.
pub fn write(framework: &Framework) -> Result<Vec<u8>, XlsxError> {
    write_tables(&to_tables(framework))
}

/// Reads every sheet of an XLSX workbook as a table (except the read-me sheet): the first row
/// is the header.
pub fn read_tables(
    bytes: &[u8],
    file: &str,
    limits: &Limits,
    progress: &mut dyn Progress,
) -> Result<Vec<Table>, ImportError> {
    let mut workbook = crate::archive::open_xlsx(bytes, file, limits)?;
    let names = workbook.sheet_names();
    progress.stage("sheets", Some(names.len() as u64));
    let mut tables = Vec::new();
    for (n, name) in names.iter().enumerate() {
        progress.advance(n as u64);
        if name == README_SHEET {
            continue;
        }
        let range =
            crate::archive::sheet_range(&mut workbook, file, name, limits)?.unwrap_or_default();
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows();
        let Some(header_row) = rows.next() else {
            tables.push(Table {
                name: name.clone(),
                header: Vec::new(),
                rows: Vec::new(),
            });
            continue;
        };
        // Columns before the used range's start are empty; keep positions aligned.
        let lead = first_col as usize;
        let mut header: Vec<String> = vec![String::new(); lead];
        for (c, cell) in header_row.iter().enumerate() {
            header.push(
                cell_text(cell, file, name, u64::from(first_row) + 1, lead + c)?
                    .trim()
                    .to_string(),
            );
        }
        let mut table_rows = Vec::new();
        for (r, row) in rows.enumerate() {
            let line = u64::from(first_row) + r as u64 + 2;
            let mut cells = vec![String::new(); lead];
            for (c, cell) in row.iter().enumerate() {
                cells.push(cell_text(cell, file, name, line, lead + c)?);
            }
            cells.resize(header.len().max(cells.len()), String::new());
            table_rows.push(Row { line, cells });
        }
        tables.push(Table {
            name: name.clone(),
            header,
            rows: table_rows,
        });
    }
    Ok(tables)
}

/// Reads a framework from XLSX bytes; `file` names it in errors.
pub fn read(
    bytes: &[u8],
    file: &str,
    limits: &Limits,
    progress: &mut dyn Progress,
) -> Result<(Framework, WorkbookReport), ImportError> {
    let tables = read_tables(bytes, file, limits, progress)?;
    let result = from_tables(&tables, file, false);
    progress.finish();
    result
}

/// The column letter(s) of a 0-based column index (0 → A, 26 → AA).
pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A cell as text: whole numbers without `.0`, dates as YYYY-MM-DD, booleans as yes/no.
pub(crate) fn cell_text(
    cell: &Data,
    file: &str,
    sheet: &str,
    row: u64,
    column: usize,
) -> Result<String, ImportError> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => {
            return Err(ImportError::in_sheet(
                file,
                sheet,
                Some(row),
                Some(&column_letter(column)),
                format!(
                    "the cell holds the spreadsheet error {e}; fix the formula or type the value"
                ),
            ));
        }
    })
}

/// An Excel date serial (days since 1899-12-30) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let base = time::macros::date!(1899 - 12 - 30);
    let days = serial.floor() as i64;
    base.checked_add(time::Duration::days(days))
        .map_or_else(|| serial.to_string(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_and_dates() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(excel_date(45292.0), "2024-01-01");
    }
}
