//! The gap report out: one view model ([`GapsView`]) rendered to a printable HTML page through
//! `templates/people/gaps.html`, a CSV with one row per person and target, and an XLSX workbook
//! whose first sheet is the people × competencies heatmap (colour scale, frozen headers).

use std::collections::BTreeMap;

use framewright_model::Framework;
use framewright_workforce::GapStatus;
use framewright_workforce::record::ymd;
use framewright_workforce::report::GapReport;
use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, ConditionalFormatType, Format, FormatBorder, Workbook,
    XlsxError,
};
use serde::Serialize;

use crate::document::templates::render;

/// A status in words for people.
pub fn status_words(status: GapStatus) -> &'static str {
    match status {
        GapStatus::Below => "below target",
        GapStatus::Meets => "meets target",
        GapStatus::Above => "above target",
        GapStatus::NotAssessed => "not assessed",
    }
}

/// One target of a person, for reading.
#[derive(Debug, Clone, Serialize)]
pub struct GapRowView {
    /// The competency's name.
    pub competency: String,
    /// The target, "3 (Intermediate)".
    pub target: String,
    /// The current level, "2 (Basic)", or "not assessed".
    pub current: String,
    /// The status in words.
    pub status: &'static str,
    /// The status code, for styling.
    pub status_code: &'static str,
    /// Levels to go, "" when none or unknown.
    pub gap: String,
    /// Self and peer ratings shown beside, in words.
    pub beside: String,
    /// Why it is not assessed.
    pub note: String,
    /// "To reach …, show that you …" sentences.
    pub next_steps: Vec<String>,
    /// "12 to 24 months", or "".
    pub time: String,
}

/// One person, for reading.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role's title.
    pub role: String,
    /// Their unit.
    pub unit: String,
    /// One row per target.
    pub rows: Vec<GapRowView>,
}

/// The gap report as people read it (HTML).
#[derive(Debug, Clone, Serialize)]
pub struct GapsView {
    /// The page title.
    pub title: String,
    /// The framework and its version.
    pub framework: String,
    /// The report's date.
    pub as_of: String,
    /// The role the report is limited to.
    pub role: String,
    /// The policy's name.
    pub policy_name: String,
    /// The policy in words.
    pub policy: String,
    /// How time to target is estimated.
    pub months: String,
    /// Summary sentences.
    pub summary: Vec<String>,
    /// Coverage rows: name, people targeted, assessed, meeting, below, coverage.
    pub competencies: Vec<[String; 6]>,
    /// Training priorities: name, people below, levels to go in total, priority.
    pub priorities: Vec<[String; 4]>,
    /// Bench strength: role, ready now, one level away, further, not assessed.
    pub bench: Vec<[String; 5]>,
    /// Single points of failure: unit, competency, person.
    pub single_points: Vec<[String; 3]>,
    /// Hidden groups, in words.
    pub suppression: String,
    /// Every person.
    pub people: Vec<PersonView>,
}

fn level_text(framework: &Framework, level: u8) -> String {
    match framework.scale.level(level) {
        Some(l) => format!("{level} ({})", l.name),
        None => level.to_string(),
    }
}

fn names(list: &[String], names: &BTreeMap<&str, &str>) -> String {
    if list.is_empty() {
        return "nobody".to_string();
    }
    list.iter()
        .map(|id| names.get(id.as_str()).copied().unwrap_or(id))
        .collect::<Vec<_>>()
        .join(", ")
}

impl GapsView {
    /// The view of `report`, made against `framework`.
    pub fn new(framework: &Framework, report: &GapReport) -> GapsView {
        let role_title = |id: &str| {
            framework
                .role_profiles
                .iter()
                .find(|r| r.id == id)
                .map_or_else(|| id.to_string(), |r| r.title.clone())
        };
        let comp_name = |id: &str| {
            framework
                .competency(id)
                .map_or_else(|| id.to_string(), |c| c.name.clone())
        };
        let person_names: BTreeMap<&str, &str> = report
            .people
            .iter()
            .map(|p| (p.id.as_str(), p.name.as_str()))
            .collect();
        let steps: BTreeMap<(&str, u8), &Vec<String>> = report
            .next_levels
            .iter()
            .map(|s| ((s.competency.as_str(), s.level), &s.indicators))
            .collect();
        let people: Vec<PersonView> = report
            .people
            .iter()
            .map(|p| PersonView {
                id: p.id.clone(),
                name: p.name.clone(),
                role: role_title(&p.role),
                unit: p.unit.clone().unwrap_or_default(),
                rows: p
                    .gaps
                    .iter()
                    .map(|g| GapRowView {
                        competency: g.name.clone(),
                        target: level_text(framework, g.target),
                        current: g.current.map_or_else(
                            || "not assessed".to_string(),
                            |c| level_text(framework, c),
                        ),
                        status: status_words(g.status),
                        status_code: g.status.as_str(),
                        gap: match (g.status, g.gap) {
                            (GapStatus::Below, Some(n)) => {
                                format!("{n} level{}", if n == 1 { "" } else { "s" })
                            }
                            _ => String::new(),
                        },
                        beside: g
                            .beside
                            .iter()
                            .map(|s| {
                                let level = s.level.map_or_else(
                                    || "not observed".to_string(),
                                    |l| level_text(framework, l),
                                );
                                format!("{} rating {level} on {}", s.source, ymd::text(s.date))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        note: g.note.clone().unwrap_or_default(),
                        next_steps: g
                            .next_levels
                            .iter()
                            .filter_map(|l| steps.get(&(g.competency.as_str(), *l)))
                            .flat_map(|s| s.iter().cloned())
                            .collect(),
                        time: g
                            .time_to_target
                            .map(|t| format!("about {} to {} months", t.min_months, t.max_months))
                            .unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect();
        let pct =
            |c: Option<f64>| c.map_or_else(|| "—".to_string(), |c| format!("{:.0}%", c * 100.0));
        let competencies = report
            .competencies
            .iter()
            .filter(|c| c.targeted > 0)
            .map(|c| {
                if c.suppressed {
                    [
                        c.name.clone(),
                        c.targeted.to_string(),
                        c.assessed.to_string(),
                        "hidden".into(),
                        "hidden".into(),
                        "hidden".into(),
                    ]
                } else {
                    [
                        c.name.clone(),
                        c.targeted.to_string(),
                        c.assessed.to_string(),
                        c.meeting.to_string(),
                        c.below.to_string(),
                        pct(c.coverage),
                    ]
                }
            })
            .collect();
        let priorities = report
            .team
            .priorities
            .iter()
            .map(|p| {
                [
                    p.name.clone(),
                    p.people_below.to_string(),
                    p.total_gap.to_string(),
                    format!("{:.1}", p.score),
                ]
            })
            .collect();
        let bench = report
            .team
            .bench
            .iter()
            .map(|b| {
                [
                    role_title(&b.role),
                    names(&b.ready_now, &person_names),
                    names(&b.one_level, &person_names),
                    names(&b.further, &person_names),
                    names(&b.not_assessed, &person_names),
                ]
            })
            .collect();
        let single_points = report
            .team
            .single_points
            .iter()
            .map(|s| {
                [
                    if s.unit.is_empty() {
                        "(no unit)".to_string()
                    } else {
                        s.unit.clone()
                    },
                    comp_name(&s.competency),
                    s.person.as_deref().map_or_else(
                        || "hidden".to_string(),
                        |p| names(&[p.to_string()], &person_names),
                    ),
                ]
            })
            .collect();
        let below = report
            .people
            .iter()
            .filter(|p| p.gaps.iter().any(|g| g.status == GapStatus::Below))
            .count();
        let unassessed: usize = report
            .people
            .iter()
            .flat_map(|p| &p.gaps)
            .filter(|g| g.status == GapStatus::NotAssessed)
            .count();
        let mut summary = vec![format!(
            "{} people; {below} of them are below target on at least one competency.",
            report.people.len()
        )];
        if unassessed > 0 {
            summary.push(format!(
                "{unassessed} targets are not assessed yet; they are left out of every figure rather than counted as zero."
            ));
        }
        let options = report.team.options;
        GapsView {
            title: format!("Competency gaps — {}", framework.title),
            framework: format!(
                "{} (version {})",
                report.framework.title, report.framework.version
            ),
            as_of: ymd::text(report.as_of),
            role: report.role.as_deref().map(role_title).unwrap_or_default(),
            policy_name: report.policy.name.clone(),
            policy: report.policy.description.clone(),
            months: format!(
                "Time to target assumes {} to {} months of development per level.",
                report.months_per_level.min, report.months_per_level.max
            ),
            summary,
            competencies,
            priorities,
            bench,
            single_points,
            suppression: if options.suppress_small_groups {
                format!(
                    "Figures about groups of fewer than {} people are hidden.",
                    options.min_group_size
                )
            } else {
                String::new()
            },
            people,
        }
    }
}

/// The gap report as a self-contained printable HTML page.
pub fn gaps_html(framework: &Framework, report: &GapReport) -> String {
    render("people/gaps.html", GapsView::new(framework, report))
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The gap report as CSV: one row per person and target.
pub fn gaps_csv(report: &GapReport) -> String {
    let mut out = String::from("person,name,unit,role,competency,target,current,gap,status\n");
    for p in &report.people {
        for g in &p.gaps {
            let fields = [
                csv_cell(&p.id),
                csv_cell(&p.name),
                csv_cell(p.unit.as_deref().unwrap_or("")),
                csv_cell(&p.role),
                csv_cell(&g.competency),
                g.target.to_string(),
                g.current.map(|c| c.to_string()).unwrap_or_default(),
                g.gap.map(|c| c.to_string()).unwrap_or_default(),
                g.status.as_str().to_string(),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    out
}

/// The gap report as a workbook: `Heatmap` (people × competencies, levels to go, colour scale,
/// frozen headers), `Gaps` (one row per person and target) and `Coverage`.
pub fn gaps_xlsx(framework: &Framework, report: &GapReport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE8EEF4))
        .set_border(FormatBorder::Thin);
    let grey = Format::new()
        .set_font_color(Color::RGB(0x666666))
        .set_italic();
    let competencies: Vec<&str> = report
        .competencies
        .iter()
        .filter(|c| c.targeted > 0)
        .map(|c| c.id.as_str())
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name("Heatmap")?;
    for (c, h) in ["person", "name", "role"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (i, id) in competencies.iter().enumerate() {
        let name = framework.competency(id).map_or(*id, |c| c.name.as_str());
        sheet.write_string_with_format(0, (i + 3) as u16, name, &header)?;
    }
    let column: BTreeMap<&str, u16> = competencies
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, (i + 3) as u16))
        .collect();
    for (r, p) in report.people.iter().enumerate() {
        let row = (r + 1) as u32;
        sheet.write_string(row, 0, &p.id)?;
        sheet.write_string(row, 1, &p.name)?;
        sheet.write_string(row, 2, &p.role)?;
        for g in &p.gaps {
            let Some(col) = column.get(g.competency.as_str()) else {
                continue;
            };
            match g.gap {
                Some(n) => sheet.write_number(row, *col, f64::from(n))?,
                None => sheet.write_string_with_format(row, *col, "not assessed", &grey)?,
            };
        }
    }
    let last_row = report.people.len() as u32;
    if last_row > 0 && !competencies.is_empty() {
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum(ConditionalFormatType::Number, 0)
            .set_midpoint(ConditionalFormatType::Number, 1)
            .set_maximum(ConditionalFormatType::Number, 3)
            .set_minimum_color(Color::RGB(0x63BE7B))
            .set_midpoint_color(Color::RGB(0xFFEB84))
            .set_maximum_color(Color::RGB(0xF8696B));
        sheet.add_conditional_format(1, 3, last_row, (competencies.len() + 2) as u16, &scale)?;
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.set_column_width(1, 24)?;

    let gaps = book.add_worksheet();
    gaps.set_name("Gaps")?;
    let heads = [
        "person",
        "name",
        "unit",
        "role",
        "competency",
        "target",
        "current",
        "gap",
        "status",
    ];
    for (c, h) in heads.iter().enumerate() {
        gaps.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let mut row = 1u32;
    for p in &report.people {
        for g in &p.gaps {
            gaps.write_string(row, 0, &p.id)?;
            gaps.write_string(row, 1, &p.name)?;
            gaps.write_string(row, 2, p.unit.as_deref().unwrap_or(""))?;
            gaps.write_string(row, 3, &p.role)?;
            gaps.write_string(row, 4, &g.competency)?;
            gaps.write_number(row, 5, f64::from(g.target))?;
            if let Some(c) = g.current {
                gaps.write_number(row, 6, f64::from(c))?;
            }
            if let Some(n) = g.gap {
                gaps.write_number(row, 7, f64::from(n))?;
            }
            gaps.write_string(row, 8, g.status.as_str())?;
            row += 1;
        }
    }
    gaps.set_freeze_panes(1, 0)?;

    let cov = book.add_worksheet();
    cov.set_name("Coverage")?;
    for (c, h) in [
        "competency",
        "targeted",
        "assessed",
        "meeting",
        "below",
        "coverage",
    ]
    .iter()
    .enumerate()
    {
        cov.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (r, c) in report.competencies.iter().enumerate() {
        let row = (r + 1) as u32;
        cov.write_string(row, 0, &c.id)?;
        cov.write_number(row, 1, c.targeted as f64)?;
        cov.write_number(row, 2, c.assessed as f64)?;
        if c.suppressed {
            cov.write_string_with_format(row, 3, "hidden", &grey)?;
            continue;
        }
        cov.write_number(row, 3, c.meeting as f64)?;
        cov.write_number(row, 4, c.below as f64)?;
        if let Some(v) = c.coverage {
            cov.write_number(row, 5, v)?;
        }
    }
    cov.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}
