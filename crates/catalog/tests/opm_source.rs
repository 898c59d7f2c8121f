//! Checks every cell of the built-in OPM data against the source text of the memo
//! (`data/sources/opm-ai-competency-model-2024.md`), parsed here independently of the script
//! that transcribed it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use framewright_catalog::opm_ai_2024;
use framewright_model::{CompetencyKind, Grade, GradeMark, slug::slugify};

const SOURCE: &str = include_str!("../../../data/sources/opm-ai-competency-model-2024.md");

struct Source {
    general: Vec<String>,
    technical: Vec<String>,
    general_grades: BTreeMap<String, Vec<String>>,
    technical_grades: BTreeMap<String, Vec<String>>,
    ranks: BTreeMap<String, (String, String)>,
    definitions: BTreeMap<String, String>,
}

fn section<'a>(lines: &'a [&'a str], start: &str, end: &str) -> &'a [&'a str] {
    let from = lines.iter().position(|l| l.trim() == start).expect(start);
    let to = from
        + lines[from..]
            .iter()
            .position(|l| l.trim() == end)
            .expect(end);
    &lines[from..to]
}

fn parse_source() -> Source {
    let lines: Vec<&str> = SOURCE.lines().collect();
    let body_start = lines
        .iter()
        .position(|l| l.trim() == "Artificial Intelligence Competencies")
        .unwrap();
    let body = &lines[body_start..];
    let bullets = |part: &[&str]| -> Vec<String> {
        part.iter()
            .filter_map(|l| l.strip_prefix("- "))
            .map(str::to_string)
            .collect()
    };
    let general = bullets(section(
        body,
        "General Competencies",
        "Technical Competencies",
    ));
    let technical = bullets(section(
        body,
        "Technical Competencies",
        "Artificial Intelligence Competencies by Grade",
    ));
    let tables = section(
        body,
        "Artificial Intelligence Competencies by Grade",
        "Artificial Intelligence Competency Model Definitions",
    );
    let mut general_grades = BTreeMap::new();
    let mut technical_grades = BTreeMap::new();
    let mut ranks = BTreeMap::new();
    for line in tables {
        let cells: Vec<&str> = line.split('\t').collect();
        if cells[0] == "Competency" {
            continue;
        }
        match cells.len() {
            6 => {
                general_grades.insert(
                    cells[0].to_string(),
                    cells[1..].iter().map(|c| c.to_string()).collect(),
                );
            }
            4 => {
                technical_grades.insert(
                    cells[0].to_string(),
                    cells[1..].iter().map(|c| c.to_string()).collect(),
                );
            }
            3 => {
                ranks.insert(
                    cells[0].to_string(),
                    (cells[1].to_string(), cells[2].to_string()),
                );
            }
            _ => {}
        }
    }
    let defs = section(
        body,
        "Definitions of General Competencies",
        "AI Competency Model and Talent Acquisition Addendum",
    );
    let mut definitions = BTreeMap::new();
    for line in defs {
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() == 2 && cells[0] != "Competency" {
            let text = cells[1].trim_start_matches("<p>").trim_end_matches("</p>");
            definitions.insert(cells[0].to_string(), text.to_string());
        }
    }
    Source {
        general,
        technical,
        general_grades,
        technical_grades,
        ranks,
        definitions,
    }
}

/// The name the source's tables use for a competency whose list name differs.
fn table_name(list_name: &str) -> &str {
    match list_name {
        "Communicating Results" => "Communication Results",
        "Values-Driven Design" => "Values-driven Design",
        other => other,
    }
}

#[test]
fn the_source_has_the_counts_the_issue_describes() {
    let s = parse_source();
    assert_eq!(s.general.len(), 43);
    assert_eq!(s.technical.len(), 14);
    assert_eq!(s.general_grades.len(), 40);
    assert_eq!(s.technical_grades.len(), 7);
    assert_eq!(s.ranks.len(), 29);
    let general_defined = s
        .general
        .iter()
        .filter(|n| s.definitions.contains_key(table_name(n)))
        .count();
    let technical_defined = s
        .technical
        .iter()
        .filter(|n| s.definitions.contains_key(table_name(n)))
        .count();
    assert_eq!((general_defined, technical_defined), (40, 7));
}

#[test]
fn every_competency_name_kind_and_definition_matches_the_source() {
    let s = parse_source();
    let model = opm_ai_2024().unwrap();
    let c = &model.catalogue.competencies;
    assert_eq!(c.len(), 57);
    let expected: Vec<(&String, CompetencyKind)> = s
        .general
        .iter()
        .map(|n| (n, CompetencyKind::General))
        .chain(s.technical.iter().map(|n| (n, CompetencyKind::Technical)))
        .collect();
    for (competency, (name, kind)) in c.iter().zip(expected) {
        assert_eq!(&competency.name, name);
        assert_eq!(competency.kind, kind, "{name}");
        assert_eq!(competency.id, slugify(name));
        assert_eq!(
            competency.definition.as_deref(),
            s.definitions.get(table_name(name)).map(String::as_str),
            "definition of {name}"
        );
    }
    let undefined: Vec<&str> = c
        .iter()
        .filter(|c| c.definition.is_none())
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        undefined,
        [
            "Contracting or Procurement",
            "Mental Visualization",
            "Perceptual Speed",
            "Application Development",
            "Mathematics and Statistics",
            "Modeling and Simulation",
            "Monitoring",
            "Sociotechnical Systems",
            "Software Engineering",
            "Systems Design"
        ]
    );
}

#[test]
fn every_grade_cell_matches_the_source_tables() {
    let s = parse_source();
    let model = opm_ai_2024().unwrap();
    let mut cells_checked = 0;
    for competency in &model.catalogue.competencies {
        let (table, grades) = match competency.kind {
            CompetencyKind::General => (&s.general_grades, 11..=15),
            _ => (&s.technical_grades, 13..=15),
        };
        match table.get(table_name(&competency.name)) {
            Some(row) => {
                let expected: BTreeMap<Grade, GradeMark> = grades
                    .zip(row)
                    .map(|(g, cell)| {
                        let mark = match cell.as_str() {
                            "X" => GradeMark::Confirmed,
                            "NR" => GradeMark::NotRated,
                            other => panic!("unexpected cell {other}"),
                        };
                        (Grade::new(g).unwrap(), mark)
                    })
                    .collect();
                assert_eq!(competency.grades, expected, "{}", competency.name);
                cells_checked += expected.len();
            }
            None => assert!(
                competency.grades.is_empty(),
                "{} has no row in the source",
                competency.name
            ),
        }
    }
    assert_eq!(cells_checked, 40 * 5 + 7 * 3);
}

#[test]
fn every_rank_matches_the_source_ranking() {
    let s = parse_source();
    let model = opm_ai_2024().unwrap();
    let mut ranked = 0;
    for competency in &model.catalogue.competencies {
        match s.ranks.get(table_name(&competency.name)) {
            Some((current, future)) => {
                let rank = competency.importance_rank.expect("ranked in the source");
                let parse = |v: &str| {
                    if v == "NR" {
                        None
                    } else {
                        Some(v.parse::<u32>().unwrap())
                    }
                };
                assert_eq!(rank.current, parse(current), "{}", competency.name);
                assert_eq!(rank.future, parse(future), "{}", competency.name);
                ranked += 1;
            }
            None => assert!(
                competency.importance_rank.is_none(),
                "{} is not in the ranking",
                competency.name
            ),
        }
    }
    assert_eq!(ranked, 29);
}

#[test]
fn hand_checked_cells_agree() {
    // A few cells read off the memo by a person, independent of any parsing.
    let model = opm_ai_2024().unwrap();
    let find = |id: &str| {
        model
            .catalogue
            .competencies
            .iter()
            .find(|c| c.id == id)
            .unwrap()
    };
    let gs = |n| Grade::new(n).unwrap();
    assert_eq!(
        find("accountability").grade_mark(gs(11)),
        Some(GradeMark::NotRated)
    );
    assert_eq!(
        find("accountability").grade_mark(gs(12)),
        Some(GradeMark::Confirmed)
    );
    assert_eq!(
        find("conflict-management").grade_mark(gs(14)),
        Some(GradeMark::NotRated)
    );
    assert_eq!(
        find("memory").grade_mark(gs(15)),
        Some(GradeMark::Confirmed)
    );
    assert_eq!(
        find("mathematical-reasoning").grade_mark(gs(15)),
        Some(GradeMark::NotRated)
    );
    assert_eq!(
        find("data-analysis").grade_mark(gs(13)),
        Some(GradeMark::Confirmed)
    );
    assert_eq!(find("data-analysis").grade_mark(gs(11)), None);
    assert_eq!(
        find("communicating-results").grade_mark(gs(14)),
        Some(GradeMark::Confirmed)
    );
    assert_eq!(
        find("integrity-or-honesty")
            .importance_rank
            .unwrap()
            .current,
        Some(1)
    );
    assert_eq!(
        find("accountability").importance_rank.unwrap().future,
        Some(12)
    );
    assert_eq!(
        find("strategic-thinking").importance_rank.unwrap().future,
        Some(29)
    );
    assert_eq!(
        find("data-visualization").importance_rank.unwrap().current,
        None
    );
    assert!(find("design").importance_rank.is_none());
    assert_eq!(
        find("communicating-results").alt_labels,
        ["Communication Results"]
    );
    assert_eq!(
        find("values-driven-design").alt_labels,
        ["Values-driven Design"]
    );
    assert_eq!(
        find("reading").definition,
        find("reading-comprehension").definition
    );
}

#[test]
fn source_notes_record_each_inconsistency() {
    let model = opm_ai_2024().unwrap();
    let notes = &model.catalogue.notes;
    let about = |id: &str| -> Vec<&str> {
        let c = model
            .catalogue
            .competencies
            .iter()
            .find(|c| c.id == id)
            .unwrap();
        model
            .catalogue
            .notes_for(c)
            .map(|n| n.id.as_str())
            .collect()
    };
    assert!(about("communicating-results").contains(&"communicating-results-name"));
    assert!(about("values-driven-design").contains(&"values-driven-design-spelling"));
    assert!(about("reading").contains(&"reading-identical-definitions"));
    assert!(about("reading-comprehension").contains(&"reading-identical-definitions"));
    for id in [
        "contracting-or-procurement",
        "mental-visualization",
        "perceptual-speed",
    ] {
        assert!(about(id).contains(&"no-grade-row-no-definition"), "{id}");
    }
    assert!(
        notes
            .iter()
            .any(|n| n.id == "forty-general-competencies" && n.text.contains("43"))
    );
}

#[test]
fn ai_work_criteria_and_provenance_are_as_published() {
    let model = opm_ai_2024().unwrap();
    assert_eq!(model.ai_work.criteria.len(), 4);
    assert!(
        model.ai_work.criteria[2]
            .text
            .contains("at least 25 percent")
    );
    assert!(
        model
            .ai_work
            .definition
            .starts_with("AI work involves designing and developing systems")
    );
    assert!(SOURCE.contains(&model.ai_work.criteria[1].text));
    let c = &model.catalogue;
    assert_eq!(c.issued.as_deref(), Some("2024-04-29"));
    assert!(c.licence.contains("US Government work"));
    assert!(
        c.title
            .as_deref()
            .unwrap()
            .contains("Competency Model for Artificial Intelligence Work")
    );
}

#[test]
fn the_committed_source_is_the_shared_original_when_present() {
    // CI and developers have ../shared beside the repository; a user's clone may not.
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/sources/opm-ai-competency-model-2024.md"
    );
    if let Ok(original) = std::fs::read_to_string(shared) {
        assert_eq!(original, SOURCE, "data/sources differs from shared/sources");
    }
}
