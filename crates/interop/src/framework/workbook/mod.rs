//! The framework workbook: a whole framework as spreadsheet tables that people can read and
//! edit in Excel or LibreOffice, and that Framewright reads back without losing anything
//! (hierarchy, levels, indicators, role profiles and targets, relations, interview guide,
//! sources). The same tables are written as sheets of an XLSX workbook ([`xlsx`]) or as one CSV
//! file with a `sheet` column saying which table each row belongs to ([`csv`]).
//!
//! Tables (sheet names) and their columns:
//!
//! | sheet | columns |
//! |---|---|
//! | `Framework` | `field`, `value` — format, id, title, version, status, description, owner, licence, last_reviewed, next_review, next_major_update, scale_id, scale_name, scale_source, provenance (JSON) |
//! | `Scale` | `level`, `name`, `description` |
//! | `Groups` | `id`, `name`, `parent`, `description` |
//! | `Competencies` | `id`, `name`, `kind`, `group`, `definition`, `alt_labels` (one per line), `source_catalogue`, `source_id`, `source_uri`, `rationale`, `grades` (`GS-13: X; GS-14: NR`), `importance_current`, `importance_future` (`NR` = not ranked) |
//! | `Levels` | `competency`, `level`, `level_name` (for reading; ignored on import), `description`, `indicators` (one per line), `draft` (`yes` or empty) |
//! | `Notes` | `competency`, `note` |
//! | `Role profiles` | `id`, `title`, `job_family`, `grade`, `level`, `description` |
//! | `Targets` | `profile`, `competency`, `level`, `weight` (0–1), `note` |
//! | `Relations` | `from`, `type`, `to`, `external` (`yes` or empty), `note` |
//! | `Interview` | `competency`, `question`, `follow_up`, `anchor_1` … `anchor_5` |
//! | `Sources` | `catalogue`, `name`, `licence`, `attribution`, `url` |
//!
//! Rules: an empty cell means "none"; lists in one cell hold one value per line, so a single
//! indicator or alternative label cannot itself contain a line break (the only thing this form
//! cannot carry; notes have their own sheet and may span lines). Levels come back in level
//! order. Columns are found by their header names, in any order; unknown columns and sheets are
//! ignored (and reported).

pub mod csv;
pub mod xlsx;

use std::collections::BTreeMap;

use framewright_model::framework::{CompetencySource, FORMAT, ReviewDates, Status};
use framewright_model::{
    CompetencyKind, Framework, FrameworkCompetency, Grade, GradeMark, Group, ImportanceRank,
    InterviewQuestion, LevelContent, ProficiencyLevel, ProficiencyScale, Provenance, Relation,
    RelationType, RoleProfile, SourceRef, Target,
};

use crate::catalogue::ImportError;

/// One table: a name, a header and rows of text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name.
    pub name: String,
    /// Column names.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Row>,
}

/// One row of a table with the place it came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line (CSV) or row (sheet) it was read from; 0 for rows made in memory.
    pub line: u64,
    /// The cells, in header order.
    pub cells: Vec<String>,
}

impl Table {
    fn new(name: &str, header: &[&str]) -> Table {
        Table {
            name: name.to_string(),
            header: header.iter().map(|h| (*h).to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn push(&mut self, cells: Vec<String>) {
        self.rows.push(Row { line: 0, cells });
    }
}

/// The sheets of a framework workbook, in order, with their columns.
pub const SHEETS: &[(&str, &[&str])] = &[
    ("Framework", &["field", "value"]),
    ("Scale", &["level", "name", "description"]),
    ("Groups", &["id", "name", "parent", "description"]),
    (
        "Competencies",
        &[
            "id",
            "name",
            "kind",
            "group",
            "definition",
            "alt_labels",
            "source_catalogue",
            "source_id",
            "source_uri",
            "rationale",
            "grades",
            "importance_current",
            "importance_future",
        ],
    ),
    (
        "Levels",
        &[
            "competency",
            "level",
            "level_name",
            "description",
            "indicators",
            "draft",
        ],
    ),
    ("Notes", &["competency", "note"]),
    (
        "Role profiles",
        &["id", "title", "job_family", "grade", "level", "description"],
    ),
    (
        "Targets",
        &["profile", "competency", "level", "weight", "note"],
    ),
    ("Relations", &["from", "type", "to", "external", "note"]),
    (
        "Interview",
        &[
            "competency",
            "question",
            "follow_up",
            "anchor_1",
            "anchor_2",
            "anchor_3",
            "anchor_4",
            "anchor_5",
        ],
    ),
    (
        "Sources",
        &["catalogue", "name", "licence", "attribution", "url"],
    ),
];

fn columns(sheet: &str) -> &'static [&'static str] {
    SHEETS
        .iter()
        .find(|(name, _)| *name == sheet)
        .map_or(&[][..], |(_, c)| c)
}

fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn yes(flag: bool) -> String {
    if flag { "yes".into() } else { String::new() }
}

fn rank_text(rank: Option<u32>) -> String {
    rank.map_or_else(|| "NR".to_string(), |r| r.to_string())
}

/// The framework as workbook tables.
pub fn to_tables(f: &Framework) -> Vec<Table> {
    let mut tables: Vec<Table> = SHEETS
        .iter()
        .map(|(name, cols)| Table::new(name, cols))
        .collect();
    let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let framework_fields: Vec<(&str, String)> = vec![
        ("format", f.format.clone()),
        ("id", f.id.clone()),
        ("title", f.title.clone()),
        ("version", f.version.to_string()),
        ("status", f.status.as_str().to_string()),
        ("description", opt(&f.description)),
        ("owner", opt(&f.owner)),
        ("licence", opt(&f.licence)),
        ("last_reviewed", date(f.review.last_reviewed)),
        ("next_review", date(f.review.next_review)),
        ("next_major_update", date(f.review.next_major_update)),
        ("scale_id", f.scale.id.clone()),
        ("scale_name", f.scale.name.clone()),
        ("scale_source", opt(&f.scale.source)),
        (
            "provenance",
            f.provenance
                .as_ref()
                .and_then(|p| serde_json::to_string(p).ok())
                .unwrap_or_default(),
        ),
    ];
    for (field, value) in framework_fields {
        tables[0].push(vec![field.to_string(), value]);
    }
    for level in &f.scale.levels {
        tables[1].push(vec![
            level.level.to_string(),
            level.name.clone(),
            level.description.clone(),
        ]);
    }
    for g in &f.groups {
        tables[2].push(vec![
            g.id.clone(),
            g.name.clone(),
            opt(&g.parent),
            opt(&g.description),
        ]);
    }
    for c in &f.competencies {
        let grades: Vec<String> = c
            .grades
            .iter()
            .map(|(g, m)| format!("{g}: {}", m.as_str()))
            .collect();
        let (current, future) = match c.importance_rank {
            Some(r) => (rank_text(r.current), rank_text(r.future)),
            None => (String::new(), String::new()),
        };
        tables[3].push(vec![
            c.id.clone(),
            c.name.clone(),
            c.kind.as_str().to_string(),
            opt(&c.group),
            opt(&c.definition),
            c.alt_labels.join("\n"),
            c.source
                .as_ref()
                .map_or(String::new(), |s| s.catalogue.clone()),
            c.source.as_ref().map_or(String::new(), |s| s.id.clone()),
            c.source.as_ref().map_or(String::new(), |s| opt(&s.uri)),
            opt(&c.rationale),
            grades.join("; "),
            current,
            future,
        ]);
        let mut levels: Vec<&LevelContent> = c.levels.iter().collect();
        levels.sort_by_key(|l| l.level);
        for l in levels {
            tables[4].push(vec![
                c.id.clone(),
                l.level.to_string(),
                f.scale
                    .level(l.level)
                    .map_or(String::new(), |s| s.name.clone()),
                opt(&l.description),
                l.indicators.join("\n"),
                yes(l.draft),
            ]);
        }
        for note in &c.notes {
            tables[5].push(vec![c.id.clone(), note.clone()]);
        }
        for q in &c.interview {
            let mut row = vec![c.id.clone(), q.question.clone(), opt(&q.follow_up)];
            for rating in 1..=5u8 {
                row.push(q.anchors.get(&rating).cloned().unwrap_or_default());
            }
            tables[9].push(row);
        }
    }
    for p in &f.role_profiles {
        tables[6].push(vec![
            p.id.clone(),
            p.title.clone(),
            opt(&p.job_family),
            p.grade.map(|g| g.to_string()).unwrap_or_default(),
            p.level.map(|l| l.to_string()).unwrap_or_default(),
            opt(&p.description),
        ]);
        for t in &p.targets {
            tables[7].push(vec![
                p.id.clone(),
                t.competency.clone(),
                t.level.to_string(),
                t.weight.map(|w| w.to_string()).unwrap_or_default(),
                opt(&t.note),
            ]);
        }
    }
    for r in &f.relations {
        tables[8].push(vec![
            r.from.clone(),
            r.kind.as_str().to_string(),
            r.to.clone(),
            yes(r.external),
            opt(&r.note),
        ]);
    }
    for s in &f.sources {
        tables[10].push(vec![
            s.catalogue.clone(),
            s.name.clone(),
            opt(&s.licence),
            opt(&s.attribution),
            opt(&s.url),
        ]);
    }
    tables
}

/// Things a workbook held that were not used (unknown sheets and columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkbookReport {
    /// One sentence per unused sheet or column.
    pub ignored: Vec<String>,
}

/// Reads a framework from workbook tables; `file` names the source in errors. The framework is
/// validated: a workbook that does not make a valid framework is refused with every problem
/// located by sheet, row and column.
pub fn from_tables(
    tables: &[Table],
    file: &str,
    csv_form: bool,
) -> Result<(Framework, WorkbookReport), ImportError> {
    let report = ignored(tables, csv_form);
    let reader = Reader { file, csv_form };
    let sheet = |name: &str| tables.iter().find(|t| t.name == name);
    let framework_table = sheet("Framework").ok_or_else(|| {
        reader.missing_sheet("Framework", "the framework's id, title, version and scale")
    })?;
    let mut framework = read_head(&reader, framework_table, sheet("Scale"))?;
    let mut lines = Lines::default();
    if let Some(table) = sheet("Groups") {
        read_groups(&reader, table, &mut framework, &mut lines)?;
    }
    let competency_table = sheet("Competencies")
        .ok_or_else(|| reader.missing_sheet("Competencies", "the competencies"))?;
    read_competencies(&reader, competency_table, &mut framework, &mut lines)?;
    lines.levels = vec![Vec::new(); framework.competencies.len()];
    if let Some(table) = sheet("Levels") {
        read_levels(&reader, table, &mut framework, &mut lines)?;
    }
    if let Some(table) = sheet("Notes") {
        read_notes(&reader, table, &mut framework)?;
    }
    if let Some(table) = sheet("Interview") {
        read_interview(&reader, table, &mut framework)?;
    }
    if let Some(table) = sheet("Role profiles") {
        read_profiles(&reader, table, &mut framework, &mut lines)?;
    }
    lines.targets = vec![Vec::new(); framework.role_profiles.len()];
    if let Some(table) = sheet("Targets") {
        read_targets(&reader, table, &mut framework, &mut lines)?;
    }
    if let Some(table) = sheet("Relations") {
        read_relations(&reader, table, &mut framework, &mut lines)?;
    }
    if let Some(table) = sheet("Sources") {
        read_sources(&reader, table, &mut framework)?;
    }
    locate_problems(&reader, &framework, &lines)?;
    Ok((framework, report))
}

/// The rows each record came from, to locate validation problems on the sheets.
#[derive(Default)]
struct Lines {
    groups: Vec<u64>,
    competencies: Vec<u64>,
    levels: Vec<Vec<u64>>,
    profiles: Vec<u64>,
    targets: Vec<Vec<u64>>,
    relations: Vec<u64>,
}

/// Sheets and columns that are not part of a framework workbook.
fn ignored(tables: &[Table], csv_form: bool) -> WorkbookReport {
    let mut report = WorkbookReport::default();
    for table in tables {
        match SHEETS.iter().find(|(name, _)| *name == table.name) {
            None => report.ignored.push(format!(
                "sheet `{}` is not part of a framework workbook and was ignored",
                table.name
            )),
            Some((_, known)) => {
                // The CSV form has every table's columns on every row: only columns that no
                // table has are unknown there.
                let union = csv::header();
                for column in &table.header {
                    let unknown = if csv_form {
                        !union.contains(&column.as_str())
                    } else {
                        !known.contains(&column.as_str())
                    };
                    if !column.is_empty() && unknown {
                        report.ignored.push(format!(
                            "column `{column}` of sheet `{}` is not part of a framework workbook and was ignored",
                            table.name
                        ));
                    }
                }
            }
        }
    }
    report
}

/// The `Framework` sheet's fields (`field`, `value` rows), with the row of each.
struct Fields<'a> {
    reader: &'a Reader<'a>,
    map: BTreeMap<String, (String, u64)>,
}

impl<'a> Fields<'a> {
    fn read(reader: &'a Reader<'a>, framework_table: &Table) -> Result<Fields<'a>, ImportError> {
        let mut fields: BTreeMap<String, (String, u64)> = BTreeMap::new();
        let ft = reader.view(framework_table)?;
        for row in &framework_table.rows {
            let field = ft.cell(row, "field").trim().to_string();
            if field.is_empty() {
                continue;
            }
            let value = ft.cell(row, "value").to_string();
            if let Some((_, first)) = fields.insert(field.clone(), (value, row.line)) {
                return Err(ft.error(
                    row,
                    Some("field"),
                    format!(
                        "field `{field}` is given twice (first on {} {first})",
                        reader.row_word()
                    ),
                ));
            }
        }
        Ok(Fields {
            reader,
            map: fields,
        })
    }

    /// The value of field `name`, when it is there and not empty.
    fn get(&self, name: &str) -> Option<String> {
        self.map
            .get(name)
            .map(|(v, _)| v.clone())
            .filter(|v| !v.is_empty())
    }

    /// An error in the value of field `name`.
    fn error(&self, name: &str, message: String) -> ImportError {
        let line = self.map.get(name).map(|(_, l)| *l);
        self.reader.error("Framework", line, Some("value"), message)
    }

    /// A required field (`id`, `title`).
    fn required(&self, name: &str, what: &str) -> Result<String, ImportError> {
        self.get(name).ok_or_else(|| {
            self.reader.error(
                "Framework",
                None,
                Some("field"),
                format!("there is no `{name}` row; {what}"),
            )
        })
    }

    /// A date field.
    fn date(&self, name: &str) -> Result<Option<time::Date>, ImportError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => parse_date(&text).map(Some).ok_or_else(|| {
                self.error(
                    name,
                    format!("`{text}` is not a date; write it as YYYY-MM-DD"),
                )
            }),
        }
    }
}

/// The framework's own fields (the `Framework` sheet) and its scale (the `Scale` sheet).
fn read_head(
    reader: &Reader<'_>,
    framework_table: &Table,
    scale_table: Option<&Table>,
) -> Result<Framework, ImportError> {
    let fields = Fields::read(reader, framework_table)?;
    let id = fields.required("id", "give the framework an id (for example ml-engineer)")?;
    let title = fields.required("title", "give the framework a title")?;
    let version = match fields.get("version") {
        None => semver::Version::new(0, 1, 0),
        Some(v) => semver::Version::parse(v.trim()).map_err(|_| {
            fields.error(
                "version",
                format!("`{v}` is not a version number; write it as major.minor.patch, for example 1.0.0"),
            )
        })?,
    };
    let status = match fields.get("status") {
        None => Status::Draft,
        Some(s) => serde_json::from_value::<Status>(serde_json::Value::String(
            s.trim().to_ascii_lowercase().replace(' ', "_"),
        ))
        .map_err(|_| {
            fields.error(
                "status",
                format!("status `{s}` is not one of draft, in_review, published, retired"),
            )
        })?,
    };
    let review = ReviewDates {
        last_reviewed: fields.date("last_reviewed")?,
        next_review: fields.date("next_review")?,
        next_major_update: fields.date("next_major_update")?,
    };
    let provenance = match fields.get("provenance") {
        None => None,
        Some(text) => Some(serde_json::from_str::<Provenance>(&text).map_err(|e| {
            fields.error(
                "provenance",
                format!("the provenance is not the JSON Framewright writes ({e}); clear the cell or restore it"),
            )
        })?),
    };
    let scale_table =
        scale_table.ok_or_else(|| reader.missing_sheet("Scale", "the proficiency levels"))?;
    let scale = read_scale(reader, scale_table, &fields)?;
    let mut framework = Framework::new(id, title, scale);
    framework.format = fields.get("format").unwrap_or_else(|| FORMAT.to_string());
    framework.version = version;
    framework.status = status;
    framework.description = fields.get("description");
    framework.owner = fields.get("owner");
    framework.licence = fields.get("licence");
    framework.review = review;
    framework.provenance = provenance;
    Ok(framework)
}

/// The proficiency scale: its levels (the `Scale` sheet) and name (fields).
fn read_scale(
    reader: &Reader<'_>,
    scale_table: &Table,
    fields: &Fields<'_>,
) -> Result<ProficiencyScale, ImportError> {
    let st = reader.view(scale_table)?;
    let mut levels = Vec::new();
    for row in &scale_table.rows {
        if st.is_blank(row) {
            continue;
        }
        levels.push(ProficiencyLevel {
            level: st.level(row, "level")?,
            name: st.text(row, "name").unwrap_or_default(),
            description: st.text(row, "description").unwrap_or_default(),
        });
    }
    Ok(ProficiencyScale {
        id: fields.get("scale_id").unwrap_or_else(|| "scale".into()),
        name: fields
            .get("scale_name")
            .unwrap_or_else(|| "Proficiency scale".into()),
        source: fields.get("scale_source"),
        levels,
    })
}

/// The `Groups` sheet.
fn read_groups(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
    lines: &mut Lines,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        framework.groups.push(Group {
            id: t.required(row, "id")?,
            name: t.required(row, "name")?,
            parent: t.text(row, "parent"),
            description: t.text(row, "description"),
        });
        lines.groups.push(row.line);
        Ok(())
    })
}

/// The `Competencies` sheet.
fn read_competencies(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
    lines: &mut Lines,
) -> Result<(), ImportError> {
    let ct = reader.view(table)?;
    for row in &table.rows {
        if ct.is_blank(row) {
            continue;
        }
        framework.competencies.push(competency_from_row(&ct, row)?);
        lines.competencies.push(row.line);
    }
    Ok(())
}

/// One row of the `Competencies` sheet.
fn competency_from_row(ct: &View<'_>, row: &Row) -> Result<FrameworkCompetency, ImportError> {
    let id = ct.required(row, "id")?;
    let name = ct.required(row, "name")?;
    let kind = match ct.text(row, "kind") {
        None => CompetencyKind::Unspecified,
        Some(k) => serde_json::from_value::<CompetencyKind>(serde_json::Value::String(
            k.trim().to_ascii_lowercase(),
        ))
        .map_err(|_| {
            ct.error(
                row,
                Some("kind"),
                format!(
                    "kind `{k}` is not one of general, technical, knowledge, skill, ability, unspecified"
                ),
            )
        })?,
    };
    let mut c = FrameworkCompetency::new(id, name, kind);
    c.group = ct.text(row, "group");
    c.definition = ct.text(row, "definition");
    c.alt_labels = lines_of(&ct.text(row, "alt_labels").unwrap_or_default());
    let catalogue = ct.text(row, "source_catalogue");
    let source_id = ct.text(row, "source_id");
    let source_uri = ct.text(row, "source_uri");
    c.source = match (catalogue, source_id) {
        (Some(catalogue), Some(id)) => Some(CompetencySource {
            catalogue,
            id,
            uri: source_uri,
        }),
        (None, None) if source_uri.is_none() => None,
        _ => {
            return Err(ct.error(
                row,
                Some("source_catalogue"),
                "a source needs both source_catalogue and source_id".into(),
            ));
        }
    };
    c.rationale = ct.text(row, "rationale");
    if let Some(grades) = ct.text(row, "grades") {
        c.grades = parse_grades(&grades).map_err(|m| ct.error(row, Some("grades"), m))?;
    }
    let current = ct.text(row, "importance_current");
    let future = ct.text(row, "importance_future");
    if current.is_some() || future.is_some() {
        let rank = |column: &str, value: Option<String>| -> Result<Option<u32>, ImportError> {
            match value {
                None => Ok(None),
                Some(v) if v.trim().eq_ignore_ascii_case("nr") => Ok(None),
                Some(v) => number_text(&v).parse::<u32>().map(Some).map_err(|_| {
                    ct.error(
                        row,
                        Some(column),
                        format!("`{v}` is not a rank; write a whole number, or NR for not ranked"),
                    )
                }),
            }
        };
        c.importance_rank = Some(ImportanceRank {
            current: rank("importance_current", current)?,
            future: rank("importance_future", future)?,
        });
    }
    Ok(c)
}

/// The position of competency `id`.
fn index_of(framework: &Framework, id: &str) -> Option<usize> {
    framework.competencies.iter().position(|c| c.id == id)
}

/// The competency a row of `Levels`, `Notes` or `Interview` belongs to.
fn owning_competency(t: &View<'_>, row: &Row, framework: &Framework) -> Result<usize, ImportError> {
    let competency = t.required(row, "competency")?;
    index_of(framework, &competency).ok_or_else(|| {
        t.error(
            row,
            Some("competency"),
            format!("there is no competency `{competency}` on the Competencies sheet"),
        )
    })
}

/// The `Levels` sheet; levels come back in level order, their rows moving with them.
fn read_levels(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
    lines: &mut Lines,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        let i = owning_competency(t, row, framework)?;
        let content = LevelContent {
            level: t.level(row, "level")?,
            description: t.text(row, "description"),
            indicators: lines_of(&t.text(row, "indicators").unwrap_or_default()),
            draft: t.flag(row, "draft")?,
        };
        framework.competencies[i].levels.push(content);
        lines.levels[i].push(row.line);
        Ok(())
    })?;
    for (c, rows) in framework
        .competencies
        .iter_mut()
        .zip(lines.levels.iter_mut())
    {
        let mut paired: Vec<(LevelContent, u64)> = c.levels.drain(..).zip(rows.drain(..)).collect();
        paired.sort_by_key(|(l, _)| l.level);
        for (level, line) in paired {
            c.levels.push(level);
            rows.push(line);
        }
    }
    Ok(())
}

/// The `Notes` sheet.
fn read_notes(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        let i = owning_competency(t, row, framework)?;
        framework.competencies[i]
            .notes
            .push(t.raw(row, "note").to_string());
        Ok(())
    })
}

/// The `Interview` sheet.
fn read_interview(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        let i = owning_competency(t, row, framework)?;
        let mut anchors = BTreeMap::new();
        for rating in 1..=5u8 {
            if let Some(text) = t.text(row, &format!("anchor_{rating}")) {
                anchors.insert(rating, text);
            }
        }
        framework.competencies[i].interview.push(InterviewQuestion {
            question: t.required(row, "question")?,
            follow_up: t.text(row, "follow_up"),
            anchors,
        });
        Ok(())
    })
}

/// The `Role profiles` sheet.
fn read_profiles(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
    lines: &mut Lines,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        let grade = match t.text(row, "grade") {
            None => None,
            Some(g) => Some(
                g.parse::<Grade>()
                    .map_err(|e| t.error(row, Some("grade"), e.to_string()))?,
            ),
        };
        let level = match t.text(row, "level") {
            None => None,
            Some(_) => Some(t.level(row, "level")?),
        };
        framework.role_profiles.push(RoleProfile {
            id: t.required(row, "id")?,
            title: t.required(row, "title")?,
            job_family: t.text(row, "job_family"),
            grade,
            level,
            description: t.text(row, "description"),
            targets: Vec::new(),
        });
        lines.profiles.push(row.line);
        Ok(())
    })
}

/// The `Targets` sheet.
fn read_targets(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
    lines: &mut Lines,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        let profile = t.required(row, "profile")?;
        let Some(p) = framework.role_profiles.iter().position(|r| r.id == profile) else {
            return Err(t.error(
                row,
                Some("profile"),
                format!("there is no role profile `{profile}` on the Role profiles sheet"),
            ));
        };
        let weight = match t.text(row, "weight") {
            None => None,
            Some(w) => Some(w.trim().parse::<f64>().map_err(|_| {
                t.error(
                    row,
                    Some("weight"),
                    format!("`{w}` is not a number between 0 and 1"),
                )
            })?),
        };
        framework.role_profiles[p].targets.push(Target {
            details: None,
            competency: t.required(row, "competency")?,
            level: t.level(row, "level")?,
            weight,
            note: t.text(row, "note"),
        });
        lines.targets[p].push(row.line);
        Ok(())
    })
}

/// The `Relations` sheet.
fn read_relations(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
    lines: &mut Lines,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        let kind_text = t.required(row, "type")?;
        let kind: RelationType =
            kind_text
                .parse()
                .map_err(|e: framewright_model::framework::EmptyRelationType| {
                    t.error(row, Some("type"), e.to_string())
                })?;
        framework.relations.push(Relation {
            from: t.required(row, "from")?,
            to: t.required(row, "to")?,
            kind,
            external: t.flag(row, "external")?,
            note: t.text(row, "note"),
        });
        lines.relations.push(row.line);
        Ok(())
    })
}

/// The `Sources` sheet.
fn read_sources(
    reader: &Reader<'_>,
    table: &Table,
    framework: &mut Framework,
) -> Result<(), ImportError> {
    reader.each_row(table, |t, row| {
        framework.sources.push(SourceRef {
            catalogue: t.required(row, "catalogue")?,
            name: t.required(row, "name")?,
            licence: t.text(row, "licence"),
            attribution: t.text(row, "attribution"),
            url: t.text(row, "url"),
        });
        Ok(())
    })
}

/// Validates the framework; the first problem is located on the sheet, row and column it came
/// from.
fn locate_problems(
    reader: &Reader<'_>,
    framework: &Framework,
    lines: &Lines,
) -> Result<(), ImportError> {
    let problems = framewright_model::validate::problems(framework);
    if let Some(problem) = problems.first() {
        use framewright_model::path::Segment;
        let segments = &problem.path.0;
        let (sheet_name, line, column): (&str, Option<u64>, Option<String>) = match segments
            .as_slice()
        {
            [Segment::Key(k), Segment::Index(i), Segment::Key(f), ..] if k == "groups" => {
                ("Groups", lines.groups.get(*i).copied(), Some(f.clone()))
            }
            [
                Segment::Key(k),
                Segment::Index(i),
                Segment::Key(l),
                Segment::Index(j),
                ..,
            ] if k == "competencies" && l == "levels" => (
                "Levels",
                lines.levels.get(*i).and_then(|r| r.get(*j)).copied(),
                Some("level".into()),
            ),
            [Segment::Key(k), Segment::Index(i), Segment::Key(l), ..]
                if k == "competencies" && l == "interview" =>
            {
                ("Interview", None, Some("competency".into()))
            }
            [Segment::Key(k), Segment::Index(i), Segment::Key(f), ..] if k == "competencies" => (
                "Competencies",
                lines.competencies.get(*i).copied(),
                Some(f.clone()),
            ),
            [
                Segment::Key(k),
                Segment::Index(i),
                Segment::Key(t),
                Segment::Index(j),
                Segment::Key(f),
                ..,
            ] if k == "role_profiles" && t == "targets" => (
                "Targets",
                lines.targets.get(*i).and_then(|r| r.get(*j)).copied(),
                Some(f.clone()),
            ),
            [Segment::Key(k), Segment::Index(i), Segment::Key(f), ..] if k == "role_profiles" => (
                "Role profiles",
                lines.profiles.get(*i).copied(),
                Some(f.clone()),
            ),
            [Segment::Key(k), Segment::Index(i), ..] if k == "relations" => (
                "Relations",
                lines.relations.get(*i).copied(),
                segments.get(2).and_then(|s| match s {
                    Segment::Key(f) => Some(f.clone()),
                    Segment::Index(_) => None,
                }),
            ),
            [Segment::Key(k), ..] if k == "scale" => ("Scale", None, None),
            _ => ("Framework", None, None),
        };
        let more = if problems.len() > 1 {
            format!(" ({} more problems after this one)", problems.len() - 1)
        } else {
            String::new()
        };
        return Err(reader.error(
            sheet_name,
            line,
            column.as_deref(),
            format!("{}{more}", problem.message),
        ));
    }
    Ok(())
}

struct Reader<'a> {
    file: &'a str,
    csv_form: bool,
}

impl Reader<'_> {
    fn row_word(&self) -> &'static str {
        if self.csv_form { "line" } else { "row" }
    }

    fn error(
        &self,
        sheet: &str,
        line: Option<u64>,
        column: Option<&str>,
        message: String,
    ) -> ImportError {
        if self.csv_form {
            let message = format!("{message} (rows of sheet `{sheet}`)");
            ImportError::at(self.file, line, column, message)
        } else {
            ImportError::in_sheet(self.file, sheet, line, column, message)
        }
    }

    fn missing_sheet(&self, sheet: &str, holds: &str) -> ImportError {
        if self.csv_form {
            ImportError::at(
                self.file,
                None,
                Some("sheet"),
                format!(
                    "there are no `{sheet}` rows; a framework spreadsheet needs them for {holds}. Start from `framewright import template csv`"
                ),
            )
        } else {
            ImportError::in_sheet(
                self.file,
                sheet,
                None,
                None,
                format!(
                    "the workbook has no `{sheet}` sheet; a framework workbook needs it for {holds}. Start from `framewright import template xlsx`"
                ),
            )
        }
    }

    /// Reads every row of `table` that is not blank with `read`.
    fn each_row(
        &self,
        table: &Table,
        mut read: impl FnMut(&View<'_>, &Row) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let t = self.view(table)?;
        for row in &table.rows {
            if !t.is_blank(row) {
                read(&t, row)?;
            }
        }
        Ok(())
    }

    fn view<'t>(&'t self, table: &'t Table) -> Result<View<'t>, ImportError> {
        let mut index = BTreeMap::new();
        for (i, h) in table.header.iter().enumerate() {
            index.entry(h.trim().to_ascii_lowercase()).or_insert(i);
        }
        for required in columns(&table.name) {
            if matches!(*required, "level_name") {
                continue;
            }
            if !index.contains_key(*required) {
                return Err(self.error(
                    &table.name,
                    Some(1),
                    Some(required),
                    format!(
                        "the header has no `{required}` column (found: {}); keep the header row of the template",
                        table.header.join(", ")
                    ),
                ));
            }
        }
        Ok(View {
            reader: self,
            table,
            index,
        })
    }
}

struct View<'t> {
    reader: &'t Reader<'t>,
    table: &'t Table,
    index: BTreeMap<String, usize>,
}

impl View<'_> {
    fn raw<'r>(&self, row: &'r Row, column: &str) -> &'r str {
        self.index
            .get(column)
            .and_then(|i| row.cells.get(*i))
            .map_or("", String::as_str)
    }

    fn cell<'r>(&self, row: &'r Row, column: &str) -> &'r str {
        self.raw(row, column)
    }

    fn text(&self, row: &Row, column: &str) -> Option<String> {
        let raw = self.raw(row, column);
        (!raw.trim().is_empty()).then(|| raw.to_string())
    }

    fn is_blank(&self, row: &Row) -> bool {
        row.cells.iter().all(|c| c.trim().is_empty())
    }

    fn error(&self, row: &Row, column: Option<&str>, message: String) -> ImportError {
        self.reader
            .error(&self.table.name, Some(row.line), column, message)
    }

    fn required(&self, row: &Row, column: &str) -> Result<String, ImportError> {
        self.text(row, column).ok_or_else(|| {
            self.error(
                row,
                Some(column),
                format!("`{column}` is empty; it is required"),
            )
        })
    }

    fn level(&self, row: &Row, column: &str) -> Result<u8, ImportError> {
        let text = self.required(row, column)?;
        number_text(&text).parse::<u8>().map_err(|_| {
            self.error(
                row,
                Some(column),
                format!("`{text}` is not a level; write a whole number such as 3"),
            )
        })
    }

    fn flag(&self, row: &Row, column: &str) -> Result<bool, ImportError> {
        match self.raw(row, column).trim().to_ascii_lowercase().as_str() {
            "" | "no" | "false" | "0" | "n" => Ok(false),
            "yes" | "true" | "1" | "y" | "x" => Ok(true),
            other => Err(self.error(row, Some(column), format!("`{other}` is not yes or no"))),
        }
    }
}

/// `3.0` (how spreadsheets store whole numbers) → `3`.
fn number_text(text: &str) -> String {
    let t = text.trim();
    match t.strip_suffix(".0") {
        Some(whole) if whole.chars().all(|c| c.is_ascii_digit()) && !whole.is_empty() => {
            whole.to_string()
        }
        _ => t.to_string(),
    }
}

fn lines_of(cell: &str) -> Vec<String> {
    cell.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_date(text: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text.trim(), format).ok()
}

fn parse_grades(text: &str) -> Result<BTreeMap<Grade, GradeMark>, String> {
    let mut grades = BTreeMap::new();
    for part in text.split([';', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (grade, mark) = part.split_once(':').ok_or_else(|| {
            format!("`{part}` should read like `GS-13: X` (X = confirmed, NR = not rated)")
        })?;
        let grade: Grade = grade
            .parse()
            .map_err(|e: framewright_model::grade::GradeError| e.to_string())?;
        let mark = match mark.trim().to_ascii_uppercase().as_str() {
            "X" => GradeMark::Confirmed,
            "NR" => GradeMark::NotRated,
            other => {
                return Err(format!(
                    "`{other}` is not a grade mark; write X (confirmed) or NR (not rated)"
                ));
            }
        };
        grades.insert(grade, mark);
    }
    Ok(grades)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_and_numbers_read_back() {
        let g = parse_grades("GS-13: X; GS-14: nr").unwrap();
        assert_eq!(g.len(), 2);
        assert!(parse_grades("GS-13 X").is_err());
        assert_eq!(number_text("3.0"), "3");
        assert_eq!(number_text("3.5"), "3.5");
    }
}
