//! Documents made from Framewright's data, each from one view model rendered by one renderer
//! per output format.
//!
//! The framework document ([`DocumentData`], in `view`) is rendered to HTML and Markdown
//! through the templates under `crates/interop/templates/` ([`html`], [`markdown`]), to a Word
//! document ([`docx()`]) and to a print-ready PDF (typeset with Typst, behind the `pdf` cargo
//! feature). All four hold the same content in the same order: about the framework and its
//! proficiency scale, every competency with its definition, levels and indicators, role
//! profiles, the interview guide, relations, and the sources with their attributions.
//!
//! The hiring documents (the job-analysis documentation report, the blueprint and the
//! selection results) are in [`hiring`]. Every value a template prints goes through one
//! escaping function per output ([`escape_html`] for HTML).

mod docx;
pub mod hiring;
pub mod html;
pub mod markdown;
#[cfg(feature = "pdf")]
mod pdf;
pub(crate) mod templates;
mod view;

use framewright_model::Framework;

pub use self::docx::docx;
pub use self::templates::{escape_html, markdown_entities, markdown_inline};
pub use self::view::*;

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// This build has no PDF support.
    #[error(
        "this build of Framewright cannot write PDF (it was built without the `pdf` feature); export --format docx and print it to PDF, or rebuild with `--features pdf`"
    )]
    PdfNotBuilt,
    /// The typesetter refused the document (a defect of the template).
    #[error("the PDF could not be typeset: {0}")]
    Typeset(String),
    /// The Word writer failed.
    #[error("the Word document could not be written: {0}")]
    Docx(String),
}

/// The framework as a PDF document (A4).
pub fn pdf(framework: &Framework) -> Result<Vec<u8>, DocumentError> {
    #[cfg(feature = "pdf")]
    {
        pdf::render(&DocumentData::from_framework(framework))
    }
    #[cfg(not(feature = "pdf"))]
    {
        let _ = framework;
        Err(DocumentError::PdfNotBuilt)
    }
}

/// Whether this build can write PDF.
pub fn pdf_available() -> bool {
    cfg!(feature = "pdf")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn html_and_markdown_show_the_same_view_model() {
        let f = fixture::framework();
        let view = DocumentData::from_framework(&f);
        let html = html::render_data(&view);
        let md = markdown::render_data(&view);
        assert_eq!(html, html::render(&f));
        assert_eq!(md, markdown::render(&f));
        let competencies: Vec<&CompetencyData> =
            view.sections.iter().flat_map(|s| &s.competencies).collect();
        assert_eq!(competencies.len(), 3);
        for c in competencies {
            assert!(html.contains(&escape_html(&c.name)), "{}", c.name);
            assert!(md.contains(&markdown_inline(&c.name)), "{}", c.name);
            for level in &c.levels {
                for indicator in &level.indicators {
                    assert!(html.contains(&escape_html(indicator)), "{indicator}");
                    assert!(md.contains(&markdown_inline(indicator)), "{indicator}");
                }
            }
            for q in &c.questions {
                assert!(html.contains(&escape_html(&q.question)));
                assert!(md.contains(&markdown_inline(&q.question)));
            }
        }
        for r in &view.roles {
            assert!(html.contains(&escape_html(&r.label)));
            assert!(md.contains(&markdown_inline(&r.label)));
        }
        for s in &view.sources {
            assert!(html.contains(&escape_html(&s.name)));
            assert!(md.contains(&markdown_inline(&s.name)));
        }
    }

    #[test]
    fn a_script_in_a_title_is_text_in_html_and_markdown() {
        let mut f = fixture::framework();
        f.title = "<script>alert('x')</script> & co".into();
        f.competencies[0].name = "<script>boom()</script>".into();
        let html = html::render(&f);
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains(
                "<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</title>"
            )
        );
        assert!(html.contains("&lt;script&gt;boom()&lt;/script&gt;"));
        let md = markdown::render(&f);
        assert!(
            md.starts_with("# \\<script>alert('x')\\</script> & co\n"),
            "{md}"
        );
    }
}
