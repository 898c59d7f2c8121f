//! An organisation's own catalogue or framework from a spreadsheet (CSV or XLSX), and the
//! templates to start one from.
//!
//! - A **framework** spreadsheet is the framework workbook (see [`crate::framework::workbook`]): an XLSX
//!   with a `Framework` sheet, or a CSV with a `sheet` column. Exported by Framewright and
//!   imported again, it gives the same framework.
//! - A **catalogue** spreadsheet lists competencies: CSV in the generic form
//!   `id,name,alt_labels,definition` (optional `kind`, `broader`, `uri`; lists separated by `|`),
//!   or an XLSX whose `Competencies` sheet (or first sheet) has those columns, with optional
//!   `Roles` (`id`, `title`, `alt_titles`, `description`, `tasks`) and `Role competencies`
//!   (`role`, `competency`, `weight` 0–1, `essential` yes/no) sheets for reference roles.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::path::Path;

use calamine::{Reader as _, Xlsx};
use framewright_model::framework::{CompetencySource, Status};
use framewright_model::{
    Catalogue, Competency, CompetencyKind, Framework, FrameworkCompetency, Group, LevelContent,
    ReferenceRole, RoleCompetency, RoleProfile, SourceRef, Target,
};
use rust_xlsxwriter::{Format, Workbook};

use framewright_catalog::csv_form::CompetencyRows;
use framewright_model::table::{Header, Row, TableError};

use super::{ImportError, Progress, display, read_file, split_values};
use crate::framework::workbook::xlsx::cell_text;
use crate::framework::workbook::{self, WorkbookReport};
use crate::library::{LOCAL_FILE_LICENCE, slug_or};

/// What a spreadsheet turned out to hold.
#[derive(Debug, Clone)]
pub enum Spreadsheet {
    /// A framework (from a framework workbook), with anything that was ignored.
    Framework(Box<Framework>, WorkbookReport),
    /// A catalogue.
    Catalogue(Box<Catalogue>),
}

/// Identity and terms of a catalogue read from a spreadsheet (the file says none of this).
#[derive(Debug, Clone)]
pub struct CatalogueOptions {
    /// Short identifier (becomes the library name).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Licence or terms of use.
    pub licence: String,
    /// Attribution text exports must carry.
    pub attribution: Option<String>,
    /// Version or release.
    pub version: Option<String>,
    /// Where the source can be found.
    pub url: Option<String>,
    /// What a workbook may unpack to and hold.
    pub limits: framewright_model::Limits,
}

impl CatalogueOptions {
    /// Options named after the file, with the licence "not stated".
    pub fn for_file(path: &Path) -> CatalogueOptions {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "catalogue".into());
        CatalogueOptions {
            id: slug_or(&stem, "catalogue"),
            name: stem,
            licence: LOCAL_FILE_LICENCE.to_string(),
            attribution: None,
            version: None,
            url: None,
            limits: framewright_model::Limits::default(),
        }
    }

    fn catalogue(&self, competencies: Vec<Competency>, roles: Vec<ReferenceRole>) -> Catalogue {
        Catalogue {
            id: self.id.clone(),
            name: self.name.clone(),
            title: None,
            version: self.version.clone(),
            publisher: None,
            issued: None,
            licence: self.licence.clone(),
            attribution: self.attribution.clone(),
            url: self.url.clone(),
            notes: Vec::new(),
            competencies,
            reference_roles: roles,
        }
    }
}

/// Reads a CSV file: a framework (it has a `sheet` column) or a catalogue (generic form).
pub fn read_csv(
    path: &Path,
    options: &CatalogueOptions,
    progress: &mut dyn Progress,
) -> Result<Spreadsheet, ImportError> {
    let bytes = read_file(path)?;
    let file = display(path);
    let text = super::utf8(&bytes, &file)?;
    let first_line = text.lines().next().unwrap_or_default();
    let is_framework = first_line
        .split(',')
        .any(|h| h.trim().trim_matches('"').eq_ignore_ascii_case("sheet"));
    if is_framework {
        let (framework, report) = workbook::csv::read(&bytes, &file, progress)?;
        return Ok(Spreadsheet::Framework(Box::new(framework), report));
    }
    let catalogue = super::generic::read(path, options, progress)?;
    Ok(Spreadsheet::Catalogue(Box::new(catalogue)))
}

/// Reads an XLSX file: a framework (it has a `Framework` sheet) or a catalogue.
pub fn read_xlsx(
    path: &Path,
    options: &CatalogueOptions,
    progress: &mut dyn Progress,
) -> Result<Spreadsheet, ImportError> {
    let bytes = read_file(path)?;
    let file = display(path);
    let names = crate::archive::open_xlsx(&bytes, &file, &options.limits)?.sheet_names();
    if names.iter().any(|n| n == "Framework") {
        let (framework, report) = workbook::xlsx::read(&bytes, &file, &options.limits, progress)?;
        return Ok(Spreadsheet::Framework(Box::new(framework), report));
    }
    let catalogue = catalogue_from_xlsx(&bytes, &file, options, progress)?;
    Ok(Spreadsheet::Catalogue(Box::new(catalogue)))
}

/// Reads a catalogue workbook (for `--catalog FILE.xlsx`).
pub fn read_catalogue_xlsx(
    path: &Path,
    options: &CatalogueOptions,
    progress: &mut dyn Progress,
) -> Result<Catalogue, ImportError> {
    let bytes = read_file(path)?;
    catalogue_from_xlsx(&bytes, &display(path), options, progress)
}

fn catalogue_from_xlsx(
    bytes: &[u8],
    file: &str,
    options: &CatalogueOptions,
    progress: &mut dyn Progress,
) -> Result<Catalogue, ImportError> {
    let limits = &options.limits;
    let mut workbook = crate::archive::open_xlsx(bytes, file, limits)?;
    let names = workbook.sheet_names();
    let competency_sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Competencies"))
        .or_else(|| names.iter().find(|n| *n != workbook::xlsx::README_SHEET))
        .cloned()
        .ok_or_else(|| ImportError::at(file, None, None, "the workbook has no sheets"))?;
    let competencies_rows = sheet_rows(&mut workbook, file, &competency_sheet, limits)?
        .unwrap_or_else(|| SheetRows::new(file, &competency_sheet, Vec::new(), Vec::new()));
    progress.stage("competencies", Some(competencies_rows.rows.len() as u64));
    let c = &competencies_rows;
    c.require(file, &["id", "name"])?;
    let mut rows = CompetencyRows::default();
    for (n, (line, cells)) in c.rows.iter().enumerate() {
        progress.advance(n as u64);
        let row = Row::of_strings(&c.header, cells, *line);
        if !row.is_blank() {
            rows.push(&row)?;
        }
    }
    let competencies = rows.finish(c.header.location(None, None))?;
    let ids: HashSet<&str> = competencies.iter().map(|c| c.id.as_str()).collect();
    let mut roles = Vec::new();
    if let Some(name) = names.iter().find(|n| n.eq_ignore_ascii_case("Roles"))
        && let Some(r) = sheet_rows(&mut workbook, file, name, limits)?
    {
        roles = read_roles(file, &r)?;
    }
    if let Some(name) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Role competencies"))
        && let Some(r) = sheet_rows(&mut workbook, file, name, limits)?
    {
        read_role_competencies(file, &r, &c.name, &ids, &mut roles)?;
    }
    progress.finish();
    Ok(options.catalogue(competencies, roles))
}

/// The rows of sheet `name` as text, `None` when there is no such sheet.
fn sheet_rows(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    file: &str,
    name: &str,
    limits: &framewright_model::Limits,
) -> Result<Option<SheetRows>, ImportError> {
    let Some(range) = crate::archive::sheet_range(workbook, file, name, limits)? else {
        return Ok(None);
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Ok(Some(SheetRows::new(file, name, Vec::new(), Vec::new())));
    };
    let lead = first_col as usize;
    let mut head = vec![String::new(); lead];
    for (c, cell) in header.iter().enumerate() {
        head.push(cell_text(
            cell,
            file,
            name,
            u64::from(first_row) + 1,
            lead + c,
        )?);
    }
    let mut out = Vec::new();
    for (r, row) in rows.enumerate() {
        let line = u64::from(first_row) + r as u64 + 2;
        let mut cells = vec![String::new(); lead];
        for (c, cell) in row.iter().enumerate() {
            cells.push(cell_text(cell, file, name, line, lead + c)?);
        }
        out.push((line, cells));
    }
    Ok(Some(SheetRows::new(file, name, head, out)))
}

/// The `Roles` sheet: reference roles (`id`, `title`, `alt_titles`, `description`, `tasks`).
fn read_roles(file: &str, r: &SheetRows) -> Result<Vec<ReferenceRole>, ImportError> {
    let mut roles = Vec::new();
    r.require(file, &["id", "title"])?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    for (line, cells) in &r.rows {
        if cells.iter().all(|x| x.trim().is_empty()) {
            continue;
        }
        let id = r.required(file, *line, cells, "id")?;
        if let Some(first) = seen.insert(id.clone(), *line) {
            return Err(r.error(
                file,
                *line,
                "id",
                format!("role id `{id}` is used twice (first on row {first})"),
            ));
        }
        roles.push(ReferenceRole {
            id,
            title: r.required(file, *line, cells, "title")?,
            alt_titles: r
                .get(cells, "alt_titles")
                .map(|v| split_values(&v))
                .unwrap_or_default(),
            description: r.get(cells, "description"),
            tasks: r
                .get(cells, "tasks")
                .map(|v| split_values(&v))
                .unwrap_or_default(),
            competencies: Vec::new(),
        });
    }
    Ok(roles)
}

/// The `Role competencies` sheet: which competencies each role needs, with weights.
fn read_role_competencies(
    file: &str,
    r: &SheetRows,
    competency_sheet: &str,
    ids: &HashSet<&str>,
    roles: &mut [ReferenceRole],
) -> Result<(), ImportError> {
    r.require(file, &["role", "competency"])?;
    for (line, cells) in &r.rows {
        if cells.iter().all(|x| x.trim().is_empty()) {
            continue;
        }
        let role = r.required(file, *line, cells, "role")?;
        let competency = r.required(file, *line, cells, "competency")?;
        if !ids.contains(competency.as_str()) {
            return Err(r.error(
                file,
                *line,
                "competency",
                format!(
                    "there is no competency `{competency}` on the `{}` sheet",
                    competency_sheet
                ),
            ));
        }
        let weight = match r.get(cells, "weight") {
            None => 1.0,
            Some(w) => w
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|w| (0.0..=1.0).contains(w))
                .ok_or_else(|| {
                    r.error(
                        file,
                        *line,
                        "weight",
                        format!("`{w}` is not a number from 0 to 1"),
                    )
                })?,
        };
        let essential = match r
            .get(cells, "essential")
            .map(|e| e.trim().to_ascii_lowercase())
        {
            None => false,
            Some(e) if matches!(e.as_str(), "yes" | "true" | "1" | "x" | "essential") => true,
            Some(e) if matches!(e.as_str(), "no" | "false" | "0" | "optional") => false,
            Some(e) => {
                return Err(r.error(file, *line, "essential", format!("`{e}` is not yes or no")));
            }
        };
        let Some(target) = roles.iter_mut().find(|x| x.id == role) else {
            return Err(r.error(
                file,
                *line,
                "role",
                format!("there is no role `{role}` on the Roles sheet"),
            ));
        };
        target.competencies.push(RoleCompetency {
            id: competency,
            weight,
            essential,
        });
    }
    Ok(())
}

/// A sheet read into rows of text, read through the one table reader's [`Header`] and [`Row`].
struct SheetRows {
    name: String,
    header: Header,
    rows: Vec<(u64, Vec<String>)>,
}

impl SheetRows {
    fn new(file: &str, name: &str, header: Vec<String>, rows: Vec<(u64, Vec<String>)>) -> Self {
        SheetRows {
            name: name.to_string(),
            header: Header::new(file, Some(name), header),
            rows,
        }
    }

    fn require(&self, _file: &str, columns: &[&str]) -> Result<(), ImportError> {
        Ok(self.header.require(columns)?)
    }

    fn get(&self, cells: &[String], column: &str) -> Option<String> {
        Row::of_strings(&self.header, cells, 0)
            .get(column)
            .map(str::to_string)
    }

    fn error(&self, _file: &str, line: u64, column: &str, message: String) -> ImportError {
        TableError::new(self.header.location(Some(line), Some(column)), message).into()
    }

    fn required(
        &self,
        _file: &str,
        line: u64,
        cells: &[String],
        column: &str,
    ) -> Result<String, ImportError> {
        Ok(Row::of_strings(&self.header, cells, line)
            .required(column)?
            .to_string())
    }
}

/// A small, complete example framework: what the templates contain.
pub fn example_framework() -> Framework {
    let scale = framewright_catalog::opm_five_level().unwrap_or_else(|_| {
        framewright_model::ProficiencyScale {
            id: "scale".into(),
            name: "Proficiency scale".into(),
            source: None,
            levels: (1..=5)
                .map(|l| framewright_model::ProficiencyLevel {
                    level: l,
                    name: format!("Level {l}"),
                    description: format!("Level {l}"),
                })
                .collect(),
        }
    });
    let mut f = Framework::new(
        "example-framework",
        "Example framework (replace this)",
        scale,
    );
    f.status = Status::Draft;
    f.description =
        Some("What the framework is for. Replace the example rows with your own.".into());
    f.owner = Some("Your organisation".into());
    f.groups = vec![
        Group {
            id: "core".into(),
            name: "Core".into(),
            description: Some("Competencies everyone in the role family needs.".into()),
            parent: None,
        },
        Group {
            id: "functional".into(),
            name: "Functional".into(),
            description: Some("Competencies of the job's own work.".into()),
            parent: None,
        },
    ];
    let mut teamwork = FrameworkCompetency::new("teamwork", "Teamwork", CompetencyKind::General);
    teamwork.group = Some("core".into());
    teamwork.definition =
        Some("Works with others toward shared goals; shares information and credit.".into());
    teamwork.levels = vec![
        LevelContent {
            level: 2,
            description: Some("Contributes to the team's routine work.".into()),
            indicators: vec![
                "Shares updates on their own tasks at the agreed times".into(),
                "Asks teammates for input before changing shared work".into(),
            ],
            draft: false,
        },
        LevelContent {
            level: 3,
            description: Some("Coordinates work across the team.".into()),
            indicators: vec!["Agrees who does what when a task spans several people".into()],
            draft: false,
        },
    ];
    let mut analysis =
        FrameworkCompetency::new("data-analysis", "Data analysis", CompetencyKind::Technical);
    analysis.group = Some("functional".into());
    analysis.definition = Some("Prepares, explores and models data to answer questions.".into());
    analysis.alt_labels = vec!["Analytics".into()];
    analysis.source = Some(CompetencySource {
        catalogue: "your-catalogue".into(),
        id: "DA-01".into(),
        uri: None,
    });
    analysis.levels = vec![LevelContent {
        level: 3,
        description: Some("Chooses methods to fit the question and the data.".into()),
        indicators: vec![
            "Explains why a method suits the data".into(),
            "Checks results against a simple baseline".into(),
        ],
        draft: false,
    }];
    f.competencies = vec![teamwork, analysis];
    f.role_profiles = vec![RoleProfile {
        id: "analyst".into(),
        title: "Data analyst".into(),
        job_family: Some("Analytics".into()),
        grade: None,
        level: Some(3),
        description: None,
        targets: vec![
            Target {
                details: None,
                competency: "teamwork".into(),
                level: 3,
                weight: Some(0.4),
                note: None,
            },
            Target {
                details: None,
                competency: "data-analysis".into(),
                level: 3,
                weight: Some(0.6),
                note: Some("critical for the role".into()),
            },
        ],
    }];
    f.sources = vec![SourceRef {
        catalogue: "your-catalogue".into(),
        name: "Your organisation's competency catalogue".into(),
        licence: Some("internal use".into()),
        attribution: None,
        url: None,
    }];
    f
}

/// The catalogue template as CSV (generic form, with two example rows).
pub fn catalogue_template_csv() -> String {
    "id,name,alt_labels,definition,kind,broader,uri\r\n\
     DA-01,Data analysis,Analytics|Data analytics,\"Prepares, explores and models data to answer questions.\",technical,,\r\n\
     TW-01,Teamwork,Collaboration,Works with others toward shared goals.,general,,\r\n"
        .to_string()
}

/// A template sheet: name, header, example rows.
type TemplateSheet = (
    &'static str,
    &'static [&'static str],
    &'static [&'static [&'static str]],
);

/// The catalogue template as XLSX (Competencies, Roles and Role competencies sheets).
pub fn catalogue_template_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 1)?;
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title("Framewright catalogue template")
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheets: [TemplateSheet; 3] = [
        (
            "Competencies",
            &[
                "id",
                "name",
                "alt_labels",
                "definition",
                "kind",
                "broader",
                "uri",
            ],
            &[
                &[
                    "DA-01",
                    "Data analysis",
                    "Analytics\nData analytics",
                    "Prepares, explores and models data to answer questions.",
                    "technical",
                    "",
                    "",
                ],
                &[
                    "TW-01",
                    "Teamwork",
                    "Collaboration",
                    "Works with others toward shared goals.",
                    "general",
                    "",
                    "",
                ],
            ],
        ),
        (
            "Roles",
            &["id", "title", "alt_titles", "description", "tasks"],
            &[&[
                "analyst",
                "Data analyst",
                "Analyst",
                "Answers business questions with data.",
                "Cleans data sets\nBuilds dashboards",
            ]],
        ),
        (
            "Role competencies",
            &["role", "competency", "weight", "essential"],
            &[
                &["analyst", "DA-01", "1", "yes"],
                &["analyst", "TW-01", "0.5", "no"],
            ],
        ),
    ];
    for (name, header, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        for (c, h) in header.iter().enumerate() {
            sheet.set_column_width(
                c as u16,
                if *h == "definition" || *h == "description" {
                    50
                } else {
                    20
                },
            )?;
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string_with_format(r as u32 + 1, c as u16, *cell, &wrap)?;
                }
            }
        }
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_framework_is_valid() {
        framewright_model::validate::validate(&example_framework()).unwrap();
    }
}
