//! The template engine every HTML and Markdown document goes through: the templates under
//! `crates/interop/templates/` are compiled into the binary, and every value a template prints
//! is escaped for the output it lands in — HTML by [`escape_html`], framework Markdown by
//! backslashes ([`markdown_inline`]), hiring-report Markdown by entities
//! ([`markdown_entities`]) — so a template cannot forget to escape what a user typed.

use std::sync::LazyLock;

use minijinja::{AutoEscape, Environment, Error, Output, State, Value};
use serde::Serialize;

/// The templates, by name. The name's folder and extension choose the escaping.
const TEMPLATES: &[(&str, &str)] = &[
    ("page.html", include_str!("../../templates/page.html")),
    (
        "framework.html",
        include_str!("../../templates/framework.html"),
    ),
    ("framework.md", include_str!("../../templates/framework.md")),
    (
        "hiring/job_analysis.html",
        include_str!("../../templates/hiring/job_analysis.html"),
    ),
    (
        "hiring/job_analysis.md",
        include_str!("../../templates/hiring/job_analysis.md"),
    ),
    (
        "hiring/results.html",
        include_str!("../../templates/hiring/results.html"),
    ),
    (
        "hiring/results.md",
        include_str!("../../templates/hiring/results.md"),
    ),
    (
        "hiring/blueprint.html",
        include_str!("../../templates/hiring/blueprint.html"),
    ),
    (
        "hiring/blueprint.md",
        include_str!("../../templates/hiring/blueprint.md"),
    ),
    (
        "hiring/category_rating.md",
        include_str!("../../templates/hiring/category_rating.md"),
    ),
    (
        "hiring/passing_grade.md",
        include_str!("../../templates/hiring/passing_grade.md"),
    ),
    (
        "hiring/cut_score.md",
        include_str!("../../templates/hiring/cut_score.md"),
    ),
    (
        "hiring/impact.html",
        include_str!("../../templates/hiring/impact.html"),
    ),
    (
        "hiring/impact.md",
        include_str!("../../templates/hiring/impact.md"),
    ),
    (
        "people/gaps.html",
        include_str!("../../templates/people/gaps.html"),
    ),
];

/// Markdown escaped by backslashes (the framework document).
const MARKDOWN: AutoEscape = AutoEscape::Custom("markdown");
/// Markdown escaped by HTML entities (the hiring reports, whose readers paste them into wikis
/// that render HTML-like text).
const MARKDOWN_ENTITIES: AutoEscape = AutoEscape::Custom("markdown-entities");

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_loader(|name| {
        Ok(TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, source)| (*source).to_string()))
    });
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else if name.starts_with("hiring/") {
            MARKDOWN_ENTITIES
        } else {
            MARKDOWN
        }
    });
    env.set_formatter(format_value);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("autolink", |url: String| {
        Value::from_safe_string(format!("<{}>", url.replace(['<', '>', ' '], "")))
    });
    env
});

/// Prints one value with the escaping of the template it is in.
fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    if value.is_safe() || value.is_none() || value.is_undefined() {
        if value.is_safe() {
            out.write_str(&value.to_string())?;
        }
        return Ok(());
    }
    let text = match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    };
    let escaped = match state.auto_escape() {
        AutoEscape::Html => escape_html(&text),
        a if a == MARKDOWN => markdown_inline(&text),
        a if a == MARKDOWN_ENTITIES => markdown_entities(&text),
        _ => text,
    };
    out.write_str(&escaped)?;
    Ok(())
}

/// Renders template `name` with `context`.
///
/// The templates are compiled in and every one is rendered by the tests, so a failure here is
/// a defect of Framewright, not of the data; it panics with the template's name and the reason.
pub(crate) fn render(name: &str, context: impl Serialize) -> String {
    match ENV.get_template(name).and_then(|t| t.render(context)) {
        Ok(text) => text,
        Err(e) => panic!("the document template {name} failed: {e:#}"),
    }
}

/// Escapes text for HTML element content and attribute values: the one HTML escape of
/// Framewright (the templates print through it, and so do the few places that write HTML by
/// hand).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Text inside a Markdown paragraph, list item or table cell: line breaks become spaces, and
/// characters Markdown would read as markup are escaped with a backslash (`#` and `>` only
/// where they would start a block, `_` only where it is not inside a word; `|` always, so a
/// table cell stays one cell).
pub fn markdown_inline(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &ch) in chars.iter().enumerate() {
        let inside_word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
        let escape = match ch {
            '\\' | '*' | '`' | '[' | ']' | '<' | '|' => true,
            '#' | '>' => i == 0,
            '_' => !(inside_word(chars.get(i.wrapping_sub(1))) && inside_word(chars.get(i + 1))),
            _ => false,
        };
        match ch {
            '\r' => {}
            '\n' => out.push(' '),
            _ => {
                if escape {
                    out.push('\\');
                }
                out.push(ch);
            }
        }
    }
    out
}

/// Text a user typed, made inert in Markdown by entities: HTML-like markup is shown, not
/// interpreted; `|` is escaped and line breaks become spaces, so a table cell stays one cell.
pub fn markdown_entities(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_html_escape_for_everything_a_user_typed() {
        assert_eq!(
            escape_html("<script>&\"'"),
            "&lt;script&gt;&amp;&quot;&#39;"
        );
        assert_eq!(markdown_entities("a|b\nc <b>"), "a\\|b c &lt;b&gt;");
        assert_eq!(markdown_inline("# a_b _c_ <x>"), "\\# a_b \\_c\\_ \\<x>");
    }

    #[test]
    fn every_template_compiles() {
        for (name, _) in TEMPLATES {
            assert!(ENV.get_template(name).is_ok(), "{name}");
        }
    }
}
