//! XLSX: the framework as an Excel workbook for HR people — sheets "Competencies" (with
//! rationale and targets), "Levels" (descriptions and indicators), "Role profile" (required
//! levels and weights), "Interview guide" (questions and rating anchors) and "About" (version,
//! how it was made, sources and attribution). Every sheet has a bold header row that stays in
//! view when scrolling, wrapped text, filters and column widths set for reading.
//!
//! The output is byte-identical for the same framework: the document's creation time is the
//! framework's generation time when recorded, otherwise a fixed date.

use framewright_model::{Framework, FrameworkCompetency};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::export::{
    ExportError, group_name, level_label, level_name, ordered, profile_label, review_text,
    source_text,
};

struct Styles {
    header: Format,
    text: Format,
    number: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xD0D7DE));
        Styles {
            header: base
                .clone()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EEF4)),
            text: base.clone(),
            number: base.set_num_format("0.00"),
        }
    }
}

/// A sheet written row by row: a header, then rows of cells.
struct Sheet<'a> {
    sheet: &'a mut Worksheet,
    styles: &'a Styles,
    row: u32,
    columns: u16,
}

enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl<'a> Sheet<'a> {
    fn new(
        workbook: &'a mut Workbook,
        styles: &'a Styles,
        name: &str,
        header: &[(&str, f64)],
    ) -> Result<Sheet<'a>, ExportError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        for (col, (title, width)) in header.iter().enumerate() {
            let col = col as u16;
            sheet.set_column_width(col, *width)?;
            sheet.write_string_with_format(0, col, *title, &styles.header)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let columns = header.len() as u16;
        Ok(Sheet {
            sheet,
            styles,
            row: 1,
            columns,
        })
    }

    fn push(&mut self, cells: Vec<Cell>) -> Result<(), ExportError> {
        for (col, cell) in cells.into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(t) if !t.is_empty() => {
                    self.sheet
                        .write_string_with_format(self.row, col, t, &self.styles.text)?;
                }
                Cell::Number(n) => {
                    self.sheet
                        .write_number_with_format(self.row, col, n, &self.styles.number)?;
                }
                _ => {
                    self.sheet.write_blank(self.row, col, &self.styles.text)?;
                }
            }
        }
        self.row += 1;
        Ok(())
    }

    fn finish(self) -> Result<(), ExportError> {
        if self.row > 1 {
            self.sheet
                .autofilter(0, 0, self.row - 1, self.columns.saturating_sub(1))?;
        }
        Ok(())
    }
}

fn t(text: impl Into<String>) -> Cell {
    Cell::Text(text.into())
}

/// Renders `framework` as an XLSX workbook.
pub fn render(framework: &Framework) -> Result<Vec<u8>, ExportError> {
    let f = framework;
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let created = f
        .provenance
        .as_ref()
        .and_then(|p| p.generated_at.as_deref())
        .and_then(|at| ExcelDateTime::parse_from_str(at).ok())
        .map_or_else(|| ExcelDateTime::from_ymd(2000, 1, 1), Ok)?;
    let properties = DocProperties::new()
        .set_title(&f.title)
        .set_creation_datetime(&created)
        .set_comment("Competency framework exported by Framewright");
    workbook.set_properties(&properties);
    let competencies = ordered(f);

    competencies_sheet(&mut workbook, &styles, f, &competencies)?;
    levels_sheet(&mut workbook, &styles, f, &competencies)?;
    profiles_sheet(&mut workbook, &styles, f)?;
    interview_sheet(&mut workbook, &styles, &competencies)?;
    about_sheet(&mut workbook, &styles, f)?;
    Ok(workbook.save_to_buffer()?)
}

/// The competencies, with rationale and targets.
fn competencies_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    f: &Framework,
    competencies: &[&FrameworkCompetency],
) -> Result<(), ExportError> {
    let mut header: Vec<(String, f64)> = vec![
        ("#".into(), 5.0),
        ("ID".into(), 22.0),
        ("Competency".into(), 28.0),
        ("Group".into(), 18.0),
        ("Kind".into(), 11.0),
        ("Definition".into(), 50.0),
        ("Why it is here".into(), 70.0),
    ];
    for p in &f.role_profiles {
        header.push((format!("Required level: {}", profile_label(p)), 18.0));
        header.push((format!("Weight: {}", profile_label(p)), 12.0));
    }
    header.extend([("Source".to_string(), 30.0), ("Notes".to_string(), 50.0)]);
    let header_refs: Vec<(&str, f64)> = header.iter().map(|(h, w)| (h.as_str(), *w)).collect();
    let mut sheet = Sheet::new(workbook, styles, "Competencies", &header_refs)?;
    for (i, c) in competencies.iter().enumerate() {
        let mut row = vec![
            Cell::Number((i + 1) as f64),
            t(c.id.clone()),
            t(c.name.clone()),
            t(group_name(f, c.group.as_deref())),
            t(c.kind.as_str()),
            t(c.definition.clone().unwrap_or_default()),
            t(c.rationale.clone().unwrap_or_default()),
        ];
        for p in &f.role_profiles {
            match p.targets.iter().find(|x| x.competency == c.id) {
                Some(target) => {
                    row.push(t(level_label(f, target.level)));
                    row.push(target.weight.map_or(Cell::Empty, Cell::Number));
                }
                None => row.extend([Cell::Empty, Cell::Empty]),
            }
        }
        row.push(t(source_text(f, c).unwrap_or_default()));
        row.push(t(c.notes.join("\n")));
        sheet.push(row)?;
    }
    sheet.finish()
}

/// Levels and indicators.
fn levels_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    f: &Framework,
    competencies: &[&FrameworkCompetency],
) -> Result<(), ExportError> {
    let mut sheet = Sheet::new(
        workbook,
        styles,
        "Levels",
        &[
            ("Competency ID", 22.0),
            ("Competency", 28.0),
            ("Level", 7.0),
            ("Level name", 14.0),
            ("What the level looks like", 55.0),
            ("Behavioural indicators", 80.0),
            ("Draft", 8.0),
        ],
    )?;
    for c in competencies {
        let mut levels: Vec<_> = c.levels.iter().collect();
        levels.sort_by_key(|l| l.level);
        for l in levels {
            let indicators: Vec<String> = l.indicators.iter().map(|i| format!("• {i}")).collect();
            sheet.push(vec![
                t(c.id.clone()),
                t(c.name.clone()),
                Cell::Number(f64::from(l.level)),
                t(level_name(f, l.level)),
                t(l.description.clone().unwrap_or_default()),
                t(indicators.join("\n")),
                t(if l.draft { "draft" } else { "" }),
            ])?;
        }
    }
    sheet.finish()
}

/// Role profiles and their targets.
fn profiles_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    f: &Framework,
) -> Result<(), ExportError> {
    let mut sheet = Sheet::new(
        workbook,
        styles,
        "Role profile",
        &[
            ("Role", 30.0),
            ("Job family", 18.0),
            ("Grade or level", 14.0),
            ("Competency", 28.0),
            ("Required level", 16.0),
            ("Weight", 9.0),
            ("Why this level and weight", 70.0),
        ],
    )?;
    for p in &f.role_profiles {
        let grade = match (p.grade, p.level) {
            (Some(g), _) => g.to_string(),
            (None, Some(l)) => format!("level {l}"),
            _ => String::new(),
        };
        for target in &p.targets {
            let name = f
                .competency(&target.competency)
                .map_or(target.competency.clone(), |c| c.name.clone());
            sheet.push(vec![
                t(p.title.clone()),
                t(p.job_family.clone().unwrap_or_default()),
                t(grade.clone()),
                t(name),
                t(level_label(f, target.level)),
                target.weight.map_or(Cell::Empty, Cell::Number),
                t(target.note.clone().unwrap_or_default()),
            ])?;
        }
    }
    sheet.finish()
}

/// The interview guide.
fn interview_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    competencies: &[&FrameworkCompetency],
) -> Result<(), ExportError> {
    let ratings: Vec<u8> = {
        let mut all: Vec<u8> = competencies
            .iter()
            .flat_map(|c| c.interview.iter().flat_map(|q| q.anchors.keys().copied()))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let anchor_titles: Vec<String> = ratings
        .iter()
        .map(|r| format!("Rating {r} anchor"))
        .collect();
    let mut header: Vec<(&str, f64)> = vec![
        ("Competency", 28.0),
        ("#", 5.0),
        ("Question", 55.0),
        ("Follow-up", 45.0),
    ];
    header.extend(anchor_titles.iter().map(|h| (h.as_str(), 40.0)));
    let mut sheet = Sheet::new(workbook, styles, "Interview guide", &header)?;
    for c in competencies {
        for (n, q) in c.interview.iter().enumerate() {
            let mut row = vec![
                t(c.name.clone()),
                Cell::Number((n + 1) as f64),
                t(q.question.clone()),
                t(q.follow_up.clone().unwrap_or_default()),
            ];
            for r in &ratings {
                row.push(t(q.anchors.get(r).cloned().unwrap_or_default()));
            }
            sheet.push(row)?;
        }
    }
    sheet.finish()
}

/// About: identity, provenance, sources.
fn about_sheet(workbook: &mut Workbook, styles: &Styles, f: &Framework) -> Result<(), ExportError> {
    let mut sheet = Sheet::new(
        workbook,
        styles,
        "About",
        &[("Item", 22.0), ("Value", 110.0)],
    )?;
    let mut about: Vec<(String, String)> = vec![
        ("Title".into(), f.title.clone()),
        ("Framework ID".into(), f.id.clone()),
        ("Version".into(), f.version.to_string()),
        ("Status".into(), f.status.as_str().replace('_', " ")),
    ];
    if let Some(d) = &f.description {
        about.push(("Description".into(), d.clone()));
    }
    if let Some(o) = &f.owner {
        about.push(("Owner".into(), o.clone()));
    }
    if let Some(l) = &f.licence {
        about.push(("Licence".into(), l.clone()));
    }
    if let Some(r) = review_text(f) {
        about.push(("Review".into(), r));
    }
    about.push(("Proficiency scale".into(), f.scale.name.clone()));
    if let Some(p) = &f.provenance {
        about.push(("Generated by".into(), p.generator.clone()));
        if let Some(at) = &p.generated_at {
            about.push(("Generated at".into(), at.clone()));
        }
        if let Some(m) = &p.method {
            about.push(("How it was made".into(), m.clone()));
        }
    }
    for s in &f.sources {
        let mut value = s.name.clone();
        if let Some(a) = &s.attribution {
            value.push_str(&format!("\n{a}"));
        }
        if let Some(l) = &s.licence {
            value.push_str(&format!("\nLicence: {l}"));
        }
        if let Some(u) = &s.url {
            value.push_str(&format!("\n{u}"));
        }
        about.push(("Source".into(), value));
    }
    for (item, value) in about {
        sheet.push(vec![t(item), t(value)])?;
    }
    sheet.finish()
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{Reader, Xlsx};

    use super::*;
    use crate::export::fixture;

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn the_workbook_has_the_sheets_headers_and_rows() {
        let f = fixture::framework();
        let mut book = open(render(&f).unwrap());
        assert_eq!(
            book.sheet_names(),
            [
                "Competencies",
                "Levels",
                "Role profile",
                "Interview guide",
                "About"
            ]
        );
        let competencies = book.worksheet_range("Competencies").unwrap();
        let header: Vec<String> = competencies
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            &header[..7],
            [
                "#",
                "ID",
                "Competency",
                "Group",
                "Kind",
                "Definition",
                "Why it is here"
            ]
        );
        assert!(header.contains(&"Required level: Data Analyst (GS-13)".to_string()));
        assert_eq!(competencies.height(), 4);
        assert_eq!(
            competencies.get((2, 2)).unwrap().to_string(),
            "Data Analysis"
        );

        let levels = book.worksheet_range("Levels").unwrap();
        assert_eq!(levels.height(), 1 + 5);
        let indicators = levels.get((1, 5)).unwrap().to_string();
        assert!(
            indicators.starts_with("• Identifies data problem 1.\n• Explains"),
            "{indicators}"
        );

        let profile = book.worksheet_range("Role profile").unwrap();
        assert_eq!(profile.height(), 1 + 3);
        let interview = book.worksheet_range("Interview guide").unwrap();
        let header: Vec<String> = interview
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            header,
            [
                "Competency",
                "#",
                "Question",
                "Follow-up",
                "Rating 1 anchor",
                "Rating 3 anchor",
                "Rating 5 anchor"
            ]
        );
        assert_eq!(interview.height(), 3);
        let about = book.worksheet_range("About").unwrap();
        let text: Vec<String> = about.rows().map(|r| r[1].to_string()).collect();
        assert!(
            text.iter()
                .any(|v| v.contains("Office of Personnel Management, 2024"))
        );
    }

    #[test]
    fn header_rows_are_frozen_and_text_wraps() {
        let bytes = render(&fixture::framework()).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut part = |name: &str| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut text).unwrap();
            text
        };
        for sheet in 1..=5 {
            let xml = part(&format!("xl/worksheets/sheet{sheet}.xml"));
            assert!(xml.contains("state=\"frozen\""), "sheet {sheet}");
            assert!(xml.contains("ySplit=\"1\""), "sheet {sheet}");
            assert!(xml.contains("<autoFilter"), "sheet {sheet}");
        }
        assert!(part("xl/styles.xml").contains("wrapText=\"1\""));
    }

    #[test]
    fn the_same_framework_gives_the_same_bytes() {
        let f = fixture::framework();
        assert_eq!(render(&f).unwrap(), render(&f).unwrap());
    }
}
