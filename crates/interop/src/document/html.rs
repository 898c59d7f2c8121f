//! HTML: the framework as one self-contained, printable page — inline CSS, no scripts, no
//! fonts, images or style sheets from elsewhere — rendered from the framework's view model
//! ([`DocumentData`]) through `templates/framework.html`, so it holds what the Markdown, DOCX
//! and PDF documents hold.

use framewright_model::Framework;

use super::{DocumentData, templates};

/// Renders `framework` as one self-contained HTML5 page.
pub fn render(framework: &Framework) -> String {
    render_data(&DocumentData::from_framework(framework))
}

/// Renders a framework's view model as one self-contained HTML5 page.
pub fn render_data(data: &DocumentData) -> String {
    templates::render("framework.html", data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture;

    #[test]
    fn the_page_is_self_contained_escaped_and_complete() {
        let html = render(&fixture::framework());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>Data team &lt;framework&gt; &amp; more</title>"));
        assert!(html.contains("Analyzes data &quot;sets&quot; to find &lt;patterns&gt;."));
        for outside in ["<script", "<link", "<img", "@import", "url(", "src="] {
            assert!(!html.contains(outside), "{outside}");
        }
        assert!(html.contains("@media print"));
        assert!(html.contains("Source: US Office of Personnel Management, 2024."));
        assert!(html.contains("<span class=\"draft\">draft</span>"));
        assert!(html.contains("Role profile: Data Lead (level 5)"));
        assert_eq!(html.matches("<article").count(), 3);
        assert_eq!(
            html.matches("<article").count(),
            html.matches("</article>").count()
        );
        assert_eq!(
            html.matches("<table>").count(),
            html.matches("</table>").count()
        );
    }
}
