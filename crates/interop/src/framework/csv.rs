//! CSV: the framework as one flat table for spreadsheets and HR or learning systems — one row
//! per competency and proficiency level, with the competency's details repeated on each row
//! and, for every role profile, the required level and weight.
//!
//! Columns: `framework_id`, `competency_id`, `competency`, `group`, `kind`, `definition`,
//! `source_catalogue`, `source_id`, `rationale`, `level`, `level_name`, `level_description`,
//! `indicators` (one per line inside the cell), `draft`, then per role profile
//! `required_level:<profile id>` and `weight:<profile id>`, then `attribution` (the
//! attributions of the framework's sources). A competency without level content has one row
//! with the level columns empty.

use framewright_model::Framework;
use framewright_model::table::neutralise_formula;

use crate::export::{ExportError, group_name, level_name, ordered, weight_text};

/// Renders `framework` as CSV (UTF-8, comma-separated, `\n` line ends, quoted where needed).
/// A cell a spreadsheet would run as a formula gets a single quote in front (see
/// [`framewright_model::table::neutralise_formula`]).
pub fn render(framework: &Framework) -> Result<String, ExportError> {
    let f = framework;
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut header: Vec<String> = [
        "framework_id",
        "competency_id",
        "competency",
        "group",
        "kind",
        "definition",
        "source_catalogue",
        "source_id",
        "rationale",
        "level",
        "level_name",
        "level_description",
        "indicators",
        "draft",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    for p in &f.role_profiles {
        header.push(format!("required_level:{}", p.id));
        header.push(format!("weight:{}", p.id));
    }
    header.push("attribution".to_string());
    writer.write_record(&header)?;
    let attribution: String = f
        .sources
        .iter()
        .map(|s| match &s.attribution {
            Some(a) => format!("{}: {a}", s.name),
            None => s.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    for c in ordered(f) {
        let mut levels: Vec<_> = c.levels.iter().map(Some).collect();
        levels.sort_by_key(|l| l.map(|l| l.level));
        if levels.is_empty() {
            levels.push(None);
        }
        for level in levels {
            let mut row: Vec<String> = vec![
                f.id.clone(),
                c.id.clone(),
                c.name.clone(),
                group_name(f, c.group.as_deref()).to_string(),
                c.kind.as_str().to_string(),
                c.definition.clone().unwrap_or_default(),
                c.source
                    .as_ref()
                    .map_or(String::new(), |s| s.catalogue.clone()),
                c.source.as_ref().map_or(String::new(), |s| s.id.clone()),
                c.rationale.clone().unwrap_or_default(),
            ];
            match level {
                Some(l) => row.extend([
                    l.level.to_string(),
                    level_name(f, l.level).to_string(),
                    l.description.clone().unwrap_or_default(),
                    l.indicators.join("\n"),
                    l.draft.to_string(),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 5)),
            }
            for p in &f.role_profiles {
                match p.targets.iter().find(|t| t.competency == c.id) {
                    Some(t) => {
                        row.push(t.level.to_string());
                        row.push(weight_text(t));
                    }
                    None => row.extend([String::new(), String::new()]),
                }
            }
            row.push(attribution.clone());
            writer.write_record(row.iter().map(|cell| neutralise_formula(cell).into_owned()))?;
        }
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn one_row_per_competency_and_level_with_profile_columns() {
        let f = fixture::framework();
        let text = render(&f).unwrap();
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[0], "framework_id");
        assert!(header.contains(&"required_level:analyst".to_string()));
        assert!(header.contains(&"weight:lead".to_string()));
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        // teamwork and ethics have no levels: one row each; data analysis has five.
        assert_eq!(rows.len(), 7);
        let analysis: Vec<_> = rows.iter().filter(|r| &r[1] == "data-analysis").collect();
        assert_eq!(analysis.len(), 5);
        assert_eq!(&analysis[3][9], "4");
        assert_eq!(&analysis[3][10], "Advanced");
        assert!(analysis[0][12].contains("Identifies data problem 1.\nExplains"));
        assert_eq!(&analysis[4][13], "true");
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(&analysis[0][at("required_level:analyst")], "4");
        assert_eq!(&analysis[0][at("weight:lead")], "1.00");
        assert!(analysis[0][at("attribution")].contains("Office of Personnel Management"));
        let ethics = rows.iter().find(|r| &r[1] == "ethics").unwrap();
        assert_eq!(&ethics[9], "");
    }
}
