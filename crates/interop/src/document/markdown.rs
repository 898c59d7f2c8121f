//! Markdown: the framework as a document a designer can read, review and send — a summary
//! table, the role profiles, the scale, each competency with its rationale, levels and
//! interview guide, how the framework was made, and the sources with their attributions —
//! rendered from the framework's view model ([`DocumentData`]) through
//! `templates/framework.md`.

use framewright_model::Framework;

use super::{DocumentData, templates};

/// Renders `framework` as Markdown (CommonMark with GitHub-style tables).
pub fn render(framework: &Framework) -> String {
    render_data(&DocumentData::from_framework(framework))
}

/// Renders a framework's view model as Markdown.
pub fn render_data(data: &DocumentData) -> String {
    templates::render("framework.md", data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn the_document_has_every_part_in_reading_order() {
        let md = render(&fixture::framework());
        let order = [
            "# Data team \\<framework> & more",
            "## At a glance",
            "## Role profile: Data Analyst (GS-13)",
            "## Role profile: Data Lead (level 5)",
            "## Proficiency scale",
            "### 1. Teamwork",
            "### 2. Data Analysis",
            "### 3. Ethics",
            "## Relations",
            "## How this framework was made",
            "## Sources and attribution",
        ];
        let mut at = 0;
        for heading in order {
            let found = md[at..]
                .find(heading)
                .unwrap_or_else(|| panic!("{heading}\n{md}"));
            at += found;
        }
        assert!(md.contains("Source: US Office of Personnel Management, 2024."));
        assert!(md.contains("**Level 5 (Expert)** *(draft)*"));
        assert!(md.contains("- Explains result 1 to the team, line one line two."));
        assert!(md.contains("| 4 (Advanced), weight 0.90 | 5 (Expert), weight 1.00 |"));
        assert!(md.contains("Rating anchors for both questions"));
        assert!(md.contains("Competencies for the \\*data\\* team \\| all grades."));
        assert!(md.contains("**Definition.** None given."));
        assert!(md.contains("- Line two."));
    }

    #[test]
    fn numbers_stay_behind_details_and_the_interview_says_what_it_covers() {
        let mut f = fixture::framework();
        f.competencies[0].rationale = Some("Your task ‘Analyse survey data’ needs it.".into());
        f.competencies[0].evidence = Some(framewright_model::Evidence {
            score: Some(0.8312),
            final_score: Some(1.1312),
            task_bonus: Some(0.3),
            covered_tasks: vec![1],
            ..framewright_model::Evidence::default()
        });
        let md = render(&f);
        let details = md.find("<details><summary>Details</summary>").expect(&md);
        let end = details + md[details..].find("</details>").expect(&md);
        let score = md.find("suggestion score 0.83").expect(&md);
        assert!(details < score && score < end, "{md}");
        assert!(md[details..end].contains("task-coverage bonus 0.30 for task 1"));
        // Only the competency with evidence has details; the one with questions is covered.
        assert_eq!(md.matches("<details>").count(), 1, "{md}");
        assert!(md.contains(
            "The structured interview covers one of the three competencies: Data Analysis."
        ));
        assert!(md.contains("*Not in the structured interview"));
    }

    #[test]
    fn table_rows_have_as_many_cells_as_their_header() {
        let md = render(&fixture::framework());
        let mut columns = 0;
        for line in md.lines() {
            if !line.starts_with('|') {
                columns = 0;
                continue;
            }
            let cells = line.replace("\\|", "").matches('|').count();
            if columns == 0 {
                columns = cells;
            }
            assert_eq!(cells, columns, "{line}");
        }
    }
}
