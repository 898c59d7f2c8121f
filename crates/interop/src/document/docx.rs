//! The framework document as a Word file (DOCX): the same content and order as the PDF, with
//! real heading styles (so Word's navigation pane and table of contents work), bulleted
//! indicators and shaded table headers. The body font is Calibri (Word's default, replaced by a
//! metric-compatible font where it is missing).

use std::io::Cursor;

use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Footer, Header, IndentLevel, Level, LevelJc,
    LevelText, LineSpacing, NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum,
    Paragraph, Run, RunFonts, Shading, SpecialIndentType, Start, Style, StyleType, Table,
    TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins,
    TableRow, WidthType,
};

use super::{CompetencyData, DocumentData, DocumentError};
use framewright_model::Framework;

const ACCENT: &str = "1F3A5F";
const MUTED: &str = "5B6670";
const SOFT: &str = "E8EEF5";
const HAIR: &str = "C5CFD9";
/// Our bullet list numbering (docx-rs reserves id 1 for its default numbering).
const BULLETS: usize = 2;
/// Usable text width of an A4 page with 2.4 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 9638;

/// The framework as a DOCX file.
pub fn docx(framework: &Framework) -> Result<Vec<u8>, DocumentError> {
    render(&DocumentData::from_framework(framework))
}

fn text(t: &str) -> Run {
    Run::new().add_text(t)
}

fn para(t: &str) -> Paragraph {
    Paragraph::new().add_run(text(t))
}

fn small(t: &str) -> Paragraph {
    Paragraph::new().add_run(text(t).size(18).color(MUTED))
}

fn heading(level: usize, t: &str) -> Paragraph {
    Paragraph::new()
        .style(&format!("Heading{level}"))
        .add_run(text(t))
}

fn bullet(t: &str) -> Paragraph {
    Paragraph::new()
        .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
        .add_run(text(t))
}

fn cell(paragraphs: Vec<Paragraph>, width: usize, header: bool) -> TableCell {
    let mut cell = TableCell::new().width(width, WidthType::Dxa);
    for p in paragraphs {
        cell = cell.add_paragraph(p);
    }
    let mut borders = TableCellBorders::with_empty().set(
        TableCellBorder::new(TableCellBorderPosition::Bottom)
            .size(if header { 8 } else { 4 })
            .color(if header { ACCENT } else { HAIR }),
    );
    if header {
        borders = borders.set(
            TableCellBorder::new(TableCellBorderPosition::Top)
                .size(8)
                .color(ACCENT),
        );
    }
    cell = cell.set_borders(borders);
    if header {
        cell = cell.shading(Shading::new().fill(SOFT));
    }
    cell
}

/// A table with a shaded header row; widths are fractions of the text width.
fn table(widths: &[usize], header: &[&str], rows: Vec<Vec<Vec<Paragraph>>>) -> Table {
    let total: usize = widths.iter().sum();
    let widths: Vec<usize> = widths
        .iter()
        .map(|w| TEXT_WIDTH * w / total.max(1))
        .collect();
    let mut table_rows = vec![TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(h, w)| {
                cell(
                    vec![Paragraph::new().add_run(text(h).bold().size(19))],
                    *w,
                    true,
                )
            })
            .collect(),
    )];
    for row in rows {
        table_rows.push(TableRow::new(
            row.into_iter()
                .zip(&widths)
                .map(|(paragraphs, w)| cell(paragraphs, *w, false))
                .collect(),
        ));
    }
    Table::new(table_rows)
        .clear_all_border()
        .set_grid(widths.clone())
        .width(TEXT_WIDTH, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(60, 110, 60, 110))
}

fn spacer() -> Paragraph {
    Paragraph::new()
}

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, size: usize, level: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .size(size)
            .bold()
            .color(ACCENT)
            .outline_lvl(level)
            .line_spacing(
                LineSpacing::new()
                    .before(if level == 0 { 240 } else { 280 })
                    .after(120),
            )
    };
    docx.add_style(heading("Heading1", "heading 1", 36, 0))
        .add_style(heading("Heading2", "heading 2", 28, 1))
        .add_style(heading("Heading3", "heading 3", 24, 2))
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(360),
                    Some(SpecialIndentType::Hanging(240)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
}

fn render(d: &DocumentData) -> Result<Vec<u8>, DocumentError> {
    // docx-rs numbers paragraphs from a per-thread counter. Building each document on a fresh
    // thread starts the count at 1, so the same framework always gives the same bytes.
    std::thread::scope(|scope| {
        scope.spawn(|| build(d)).join().unwrap_or_else(|_| {
            Err(DocumentError::Docx(
                "the writer stopped unexpectedly".into(),
            ))
        })
    })
}

fn build(d: &DocumentData) -> Result<Vec<u8>, DocumentError> {
    let mut doc = page(d);
    doc = cover(doc, d);
    doc = contents(doc, d);
    doc = about(doc, d);
    doc = competencies(doc, d);
    let mut chapter = 2;
    doc = roles(doc, d, &mut chapter);
    doc = interview(doc, d, &mut chapter);
    doc = relations(doc, d, &mut chapter);
    doc = sources(doc, d, &mut chapter);
    let mut buffer = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buffer)
        .map_err(|e| DocumentError::Docx(e.to_string()))?;
    Ok(buffer.into_inner())
}

/// A4 pages with the default font, running header and page numbers.
fn page(d: &DocumentData) -> Docx {
    styles(Docx::new())
        .default_fonts(
            RunFonts::new()
                .ascii("Calibri")
                .hi_ansi("Calibri")
                .east_asia("Calibri")
                .cs("Calibri"),
        )
        .default_size(21)
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1531)
                .bottom(1417)
                .left(1361)
                .right(1361)
                .header(708)
                .footer(708),
        )
        .header(
            Header::new().add_paragraph(
                Paragraph::new().align(AlignmentType::Right).add_run(
                    text(&format!(
                        "{} · version {} · {}",
                        d.title, d.version, d.status
                    ))
                    .size(16)
                    .color(MUTED),
                ),
            ),
        )
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(text("Page ").size(16).color(MUTED))
                    .add_page_num(PageNum::new())
                    .add_run(text(" of ").size(16).color(MUTED))
                    .add_num_pages(NumPages::new()),
            ),
        )
}

/// The cover: kind, title, description and the key facts.
fn cover(mut doc: Docx, d: &DocumentData) -> Docx {
    doc = doc
        .add_paragraph(
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(2400))
                .add_run(
                    text(&d.kind.to_uppercase())
                        .size(19)
                        .color(MUTED)
                        .bold()
                        .character_spacing(40),
                ),
        )
        .add_paragraph(Paragraph::new().add_run(text(&d.title).size(56).bold().color(ACCENT)));
    if let Some(description) = &d.description {
        doc = doc.add_paragraph(
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(360))
                .add_run(text(description).size(25)),
        );
    }
    let mut facts: Vec<(String, String)> = vec![
        ("Version".into(), d.version.clone()),
        ("Status".into(), d.status.clone()),
    ];
    if let Some(owner) = &d.owner {
        facts.push(("Owner".into(), owner.clone()));
    }
    facts.push(("Competencies".into(), d.competency_count.to_string()));
    facts.extend(d.review.iter().cloned());
    if let Some(licence) = &d.licence {
        facts.push(("Licence".into(), licence.clone()));
    }
    doc = doc.add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(1800)));
    for (label, value) in &facts {
        doc = doc.add_paragraph(
            Paragraph::new()
                .add_run(text(&format!("{label}:  ")).color(MUTED))
                .add_run(text(value)),
        );
    }
    doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    doc
}

/// The contents, written out.
fn contents(mut doc: Docx, d: &DocumentData) -> Docx {
    // Contents: the chapters and sections, written out (a Word TOC field would show nothing
    // until someone updates it).
    doc = doc.add_paragraph(heading(1, "Contents").outline_lvl(9));
    let mut entries: Vec<(usize, String)> = vec![
        (1, "About this framework".into()),
        (2, "Proficiency scale".into()),
        (1, "Competencies".into()),
    ];
    entries.extend(d.sections.iter().map(|s| (2, s.title.clone())));
    if !d.roles.is_empty() {
        entries.push((1, "Role profiles".into()));
        entries.extend(d.roles.iter().map(|r| (2, r.title.clone())));
    }
    if !d.interview.is_empty() {
        entries.push((1, "Interview guide".into()));
        entries.extend(d.interview.iter().map(|i| (2, i.competency.clone())));
    }
    if !d.relations.is_empty() {
        entries.push((1, "Relations between competencies".into()));
    }
    entries.push((1, "Sources and attributions".into()));
    let (mut chapter_number, mut section_number) = (0, 0);
    for (level, title) in &entries {
        let paragraph = if *level == 1 {
            chapter_number += 1;
            section_number = 0;
            Paragraph::new()
                .line_spacing(LineSpacing::new().before(120).after(40))
                .add_run(text(&format!("{chapter_number}  {title}")).bold())
        } else {
            section_number += 1;
            Paragraph::new()
                .indent(Some(400), None, None, None)
                .line_spacing(LineSpacing::new().after(20))
                .add_run(text(&format!("{chapter_number}.{section_number}  {title}")))
        };
        doc = doc.add_paragraph(paragraph);
    }
    doc
}

/// Chapter 1: about the framework and its proficiency scale.
fn about(mut doc: Docx, d: &DocumentData) -> Docx {
    doc = doc.add_paragraph(heading(1, "1  About this framework").page_break_before(true));
    if let Some(description) = &d.description {
        doc = doc.add_paragraph(para(description));
    }
    doc = doc.add_paragraph(para(&format!(
        "This framework describes {} competencies. Each competency has a definition and, for each proficiency level, what a person at that level does: observable behaviours (indicators) that an assessor can look for. Role profiles say which level each role requires. The interview guide gives structured questions with rating anchors. Sources and attributions are listed at the end.",
        d.competency_count
    )));
    if !d.notices.is_empty() {
        doc = doc
            .add_paragraph(Paragraph::new().add_run(text("Before you use this framework").bold()));
        for notice in &d.notices {
            doc = doc.add_paragraph(bullet(notice));
        }
    }
    if let Some(made) = &d.made {
        doc = doc.add_paragraph(small(made));
    }
    doc = doc
        .add_paragraph(heading(2, "1.1  Proficiency scale"))
        .add_paragraph(para(&format!(
            "The framework uses the {}. Every competency is described on the same levels.",
            d.scale.name
        )))
        .add_table(table(
            &[12, 16, 72],
            &["Level", "Name", "What a person at this level handles"],
            d.scale
                .levels
                .iter()
                .map(|l| {
                    vec![
                        vec![Paragraph::new().add_run(text(&l.level.to_string()).bold())],
                        vec![Paragraph::new().add_run(text(&l.name).bold())],
                        vec![para(&l.description)],
                    ]
                })
                .collect(),
        ));
    if let Some(source) = &d.scale.source {
        doc = doc.add_paragraph(small(&format!("Source of the scale: {source}")));
    }
    doc
}

/// Chapter 2: the competencies, group by group.
fn competencies(mut doc: Docx, d: &DocumentData) -> Docx {
    doc = doc.add_paragraph(heading(1, "2  Competencies").page_break_before(true));
    for (i, s) in d.sections.iter().enumerate() {
        doc = doc.add_paragraph(heading(2, &format!("2.{}  {}", i + 1, s.title)));
        if let Some(description) = &s.description {
            doc = doc.add_paragraph(Paragraph::new().add_run(text(description).italic()));
        }
        for (j, c) in s.competencies.iter().enumerate() {
            doc = competency(doc, i + 1, j, c);
        }
    }
    doc
}

/// One competency: facts, definition and the level table.
fn competency(mut doc: Docx, section: usize, j: usize, c: &CompetencyData) -> Docx {
    doc = doc
        .add_paragraph(heading(3, &format!("2.{}.{}  {}", section, j + 1, c.name)).keep_next(true));
    let mut facts = vec![c.kind.clone()];
    if let Some(source) = &c.source {
        facts.push(format!("Source: {source}"));
    }
    doc = doc.add_paragraph(small(&facts.join("  ·  ")));
    doc = doc.add_paragraph(match &c.definition {
        Some(definition) => para(definition),
        None => Paragraph::new().add_run(
            text("No definition: the source gives none.")
                .italic()
                .color(MUTED),
        ),
    });
    if !c.alt_labels.is_empty() {
        doc = doc.add_paragraph(small(&format!("Also called: {}", c.alt_labels.join(", "))));
    }
    for line in [&c.grades, &c.importance].into_iter().flatten() {
        doc = doc.add_paragraph(small(line));
    }
    if let Some(rationale) = &c.rationale {
        doc = doc.add_paragraph(small(&format!("Why it is here: {rationale}")));
    }
    for note in &c.notes {
        doc = doc.add_paragraph(small(&format!("Note: {note}")));
    }
    if c.levels.is_empty() {
        doc = doc.add_paragraph(
            Paragraph::new().add_run(text("No level descriptions yet.").italic().color(MUTED)),
        );
    } else {
        let rows = c
            .levels
            .iter()
            .map(|l| {
                let mut left = vec![
                    Paragraph::new().add_run(text(&format!("{} · {}", l.level, l.name)).bold()),
                ];
                if l.draft {
                    left.push(
                        Paragraph::new().add_run(text("DRAFT").size(15).bold().color("7A5C00")),
                    );
                }
                let mut right = Vec::new();
                if let Some(description) = &l.description {
                    right.push(para(description));
                }
                right.extend(l.indicators.iter().map(|i| bullet(i)));
                if right.is_empty() {
                    right.push(spacer());
                }
                vec![left, right]
            })
            .collect();
        doc = doc.add_table(table(&[24, 76], &["Level", "What it looks like"], rows));
    }
    doc
}

/// The role profiles chapter, when there are any.
fn roles(mut doc: Docx, d: &DocumentData, chapter: &mut usize) -> Docx {
    if !d.roles.is_empty() {
        *chapter += 1;
        let chapter = *chapter;
        doc = doc
            .add_paragraph(heading(1, &format!("{chapter}  Role profiles")).page_break_before(true))
            .add_paragraph(para("A role profile gives, for one role, the proficiency level required in each competency and how much each competency weighs in the role."));
        for (i, r) in d.roles.iter().enumerate() {
            doc = doc.add_paragraph(heading(2, &format!("{chapter}.{}  {}", i + 1, r.title)));
            if let Some(meta) = &r.meta {
                doc = doc.add_paragraph(small(meta));
            }
            if let Some(description) = &r.description {
                doc = doc.add_paragraph(para(description));
            }
            if r.targets.is_empty() {
                doc = doc.add_paragraph(
                    Paragraph::new().add_run(text("No required levels yet.").italic().color(MUTED)),
                );
            } else {
                let rows = r
                    .targets
                    .iter()
                    .map(|t| {
                        vec![
                            vec![para(&t.competency)],
                            vec![para(&t.level)],
                            vec![para(t.weight.as_deref().unwrap_or(""))],
                            vec![para(t.note.as_deref().unwrap_or(""))],
                        ]
                    })
                    .collect();
                doc = doc.add_table(table(
                    &[36, 20, 12, 32],
                    &["Competency", "Required level", "Weight", "Note"],
                    rows,
                ));
            }
        }
    }
    doc
}

/// The interview guide chapter, when there are questions.
fn interview(mut doc: Docx, d: &DocumentData, chapter: &mut usize) -> Docx {
    if !d.interview.is_empty() {
        *chapter += 1;
        let chapter = *chapter;
        doc = doc
            .add_paragraph(heading(1, &format!("{chapter}  Interview guide")).page_break_before(true))
            .add_paragraph(para("Ask every candidate the same questions, take notes on what they say they did, and rate each answer against the anchors before comparing candidates."));
        if let Some(note) = &d.interview_note {
            doc = doc.add_paragraph(para(note));
        }
        for (i, item) in d.interview.iter().enumerate() {
            doc = doc.add_paragraph(heading(
                2,
                &format!("{chapter}.{}  {}", i + 1, item.competency),
            ));
            for (n, q) in item.questions.iter().enumerate() {
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .add_run(text(&format!("Question {}. ", n + 1)).bold())
                        .add_run(text(&q.question)),
                );
                if let Some(follow_up) = &q.follow_up {
                    doc = doc.add_paragraph(
                        Paragraph::new()
                            .keep_next(true)
                            .add_run(text(&format!("Follow-up: {follow_up}")).italic()),
                    );
                }
                if !q.anchors.is_empty() {
                    let rows = q
                        .anchors
                        .iter()
                        .map(|(rating, answer)| {
                            vec![
                                vec![
                                    Paragraph::new()
                                        .align(AlignmentType::Center)
                                        .add_run(text(&rating.to_string()).bold()),
                                ],
                                vec![para(answer)],
                            ]
                        })
                        .collect();
                    doc = doc.add_table(table(
                        &[12, 88],
                        &["Rating", "An answer at this rating"],
                        rows,
                    ));
                }
                doc = doc.add_paragraph(spacer());
            }
        }
    }
    doc
}

/// The relations chapter, when there are any.
fn relations(mut doc: Docx, d: &DocumentData, chapter: &mut usize) -> Docx {
    if !d.relations.is_empty() {
        *chapter += 1;
        let chapter = *chapter;
        let rows = d
            .relations
            .iter()
            .map(|r| {
                vec![
                    vec![para(&r.from)],
                    vec![para(&r.kind)],
                    vec![para(&r.to)],
                    vec![para(r.note.as_deref().unwrap_or(""))],
                ]
            })
            .collect();
        doc = doc
            .add_paragraph(
                heading(1, &format!("{chapter}  Relations between competencies"))
                    .page_break_before(true),
            )
            .add_table(table(
                &[28, 20, 28, 24],
                &["Competency", "Relation", "Competency or item", "Note"],
                rows,
            ));
    }
    doc
}

/// The sources and attributions chapter.
fn sources(mut doc: Docx, d: &DocumentData, chapter: &mut usize) -> Docx {
    *chapter += 1;
    let chapter = *chapter;
    doc = doc.add_paragraph(
        heading(1, &format!("{chapter}  Sources and attributions")).page_break_before(true),
    );
    if d.sources.is_empty() {
        doc = doc.add_paragraph(para("This framework names no sources."));
    }
    for (i, s) in d.sources.iter().enumerate() {
        doc = doc.add_paragraph(heading(2, &format!("{chapter}.{}  {}", i + 1, s.name)));
        if let Some(attribution) = &s.attribution {
            doc = doc.add_paragraph(para(attribution));
        }
        if let Some(licence) = &s.licence {
            doc = doc.add_paragraph(small(&format!("Licence: {licence}")));
        }
        if let Some(url) = &s.url {
            doc = doc.add_paragraph(small(url));
        }
    }
    if let Some(licence) = &d.licence {
        doc = doc
            .add_paragraph(heading(2, "This framework"))
            .add_paragraph(para(&format!(
                "Licence of this framework's own content: {licence}"
            )));
    }
    doc
}
