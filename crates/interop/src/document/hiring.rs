//! Rendering the job-analysis documentation report and the hiring results for people: JSON
//! (the serde form, for storage and other programs), Markdown (for review in a repository or a
//! wiki) and a self-contained, printable HTML page (no scripts, no external files; print it or
//! save it as PDF from a browser).

use std::fmt::Write as _;

use framewright_hiring::agreement::{ItemAgreement, ScaleAgreement};
use framewright_hiring::analysis::{Decision, ScaleSummary};
use framewright_hiring::applicants::{
    CategoryRating, PassFail, PassingGrade, Placement, format_score,
};
use framewright_hiring::blueprint::{Blueprint, BlueprintIssue, Severity};
use framewright_hiring::cutoff::{format_mean, format_percent};
use framewright_hiring::cutscore::CutScoreRecord;
use framewright_hiring::impact::{ImpactReport, StepImpact};
use framewright_hiring::report::DocumentationReport;

/// The report as pretty JSON.
pub fn report_json(report: &DocumentationReport) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(report)?;
    text.push('\n');
    Ok(text)
}

fn opt_share(v: Option<f64>) -> String {
    v.map(format_percent).unwrap_or_else(|| "—".to_string())
}

fn rwg(a: &ItemAgreement) -> String {
    match a.rwg {
        Some(v) => format!("{v:.2}"),
        None => "—".to_string(),
    }
}

fn mean_sd(s: &ScaleSummary) -> String {
    match (s.mean, s.sd) {
        (Some(m), Some(sd)) => format!("{} ± {sd:.2}", format_mean(m)),
        (Some(m), None) => format_mean(m),
        _ => "—".to_string(),
    }
}

fn yes_no(v: bool) -> &'static str {
    if v { "yes" } else { "no" }
}

fn icc_line(a: &ScaleAgreement) -> String {
    match a {
        ScaleAgreement::Computed(icc) => format!(
            "{}: ICC(A,1) = {:.2} [{:.2}, {:.2}], ICC(A,k) = {:.2} [{:.2}, {:.2}] ({} % intervals; {} items rated by all {} SMEs{})",
            icc.scale,
            icc.single_sme,
            icc.single_sme_ci[0],
            icc.single_sme_ci[1],
            icc.panel_mean,
            icc.panel_mean_ci[0],
            icc.panel_mean_ci[1],
            (icc.confidence * 100.0).round(),
            icc.items_used,
            icc.smes,
            if icc.items_left_out > 0 {
                format!(
                    "; {} left out because an SME skipped them or rated them Not performed",
                    icc.items_left_out
                )
            } else {
                String::new()
            }
        ),
        ScaleAgreement::NotComputed { scale, reason } => format!("{scale}: {reason}"),
    }
}

/// Text a user typed, made inert in Markdown: HTML-like markup is shown, not interpreted.
fn mdt(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown escapes for table cells.
fn md(text: &str) -> String {
    mdt(text).replace('|', "\\|").replace('\n', " ")
}

fn decision_line(d: &Decision) -> String {
    format!("`{}` — {}", d.rule, mdt(&d.explanation))
}

/// The report as Markdown.
pub fn report_markdown(r: &DocumentationReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", mdt(&r.title));
    if let Some(date) = r.prepared_on {
        let _ = writeln!(out, "Prepared on {date}.\n");
    }
    let s = &r.summary;
    let _ = writeln!(
        out,
        "**Summary.** {} tasks: {} dropped as not performed, {} critical. {} competencies: {} critical, {}.\n",
        s.tasks,
        s.tasks_dropped,
        s.tasks_critical,
        s.competencies,
        s.competencies_critical,
        match s.competencies_retained {
            Some(n) => format!("{n} retained for assessment"),
            None => "retention pending the linkage ratings".to_string(),
        }
    );
    if !r.warnings.is_empty() {
        out.push_str("## Warnings\n\n");
        for w in &r.warnings {
            let _ = writeln!(out, "- {}", mdt(w));
        }
        out.push('\n');
    }

    out.push_str("## Position\n\n");
    let j = &r.job;
    let mut facts = vec![("Position", Some(j.title.clone()))];
    facts.push(("Series", j.series.clone()));
    facts.push(("Grade", j.grade.map(|g| g.to_string())));
    facts.push(("Organisation", j.organisation.clone()));
    facts.push(("Positions covered", j.positions_covered.clone()));
    facts.push((
        "Framework",
        j.framework.as_ref().map(|f| {
            format!(
                "{}{}",
                f.title.as_deref().unwrap_or(&f.id),
                f.version
                    .as_ref()
                    .map(|v| format!(" (version {v})"))
                    .unwrap_or_default()
            )
        }),
    ));
    facts.push(("Analyst", j.analyst.clone()));
    for (label, value) in facts {
        if let Some(v) = value {
            let _ = writeln!(out, "- **{label}:** {}", mdt(&v));
        }
    }
    if let Some(d) = &j.description {
        let _ = writeln!(out, "\n{}", mdt(d));
    }
    out.push('\n');

    out.push_str("## Legal and professional basis\n\n");
    for c in &r.legal_basis {
        let _ = writeln!(out, "- **{}** — {}", c.cite, c.requirement);
    }
    out.push_str("\n## Method\n\n");
    for step in &r.method {
        let _ = writeln!(out, "{step}\n");
    }
    out.push_str("### Rules and thresholds\n\n| rule | statement |\n|---|---|\n");
    for rule in &r.rules {
        let _ = writeln!(out, "| `{}` | {} |", rule.rule, md(&rule.statement));
    }
    out.push('\n');

    out.push_str("## Subject-matter experts\n\n| SME | qualifications | relation | tasks rated | competencies rated | links rated |\n|---|---|---|---|---|---|\n");
    for sme in &r.smes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            md(&sme.id),
            md(sme.qualifications.as_deref().unwrap_or("not recorded")),
            md(sme.relation.as_deref().unwrap_or("")),
            sme.tasks_rated,
            sme.competencies_rated,
            sme.links_rated
        );
    }
    out.push('\n');

    out.push_str("## Rating scales\n\n");
    for scale in &r.scales {
        let _ = writeln!(
            out,
            "**{}** — {} _({})_\n",
            scale.name, scale.question, scale.source
        );
        for a in &scale.anchors {
            let _ = writeln!(out, "- {} = {}", a.value, a.label);
        }
        out.push('\n');
    }

    out.push_str("## Tasks\n\nMeans leave out Not performed (0) ratings; n is the number of ratings in the mean; ± is the standard deviation.\n\n");
    out.push_str("| task | SMEs | not performed | importance | rwg | frequency | rwg | result |\n|---|---|---|---|---|---|---|---|\n");
    for t in &r.tasks {
        let _ = writeln!(
            out,
            "| **{}** {} | {} | {} | {} (n = {}) | {} | {} (n = {}) | {} | {} |",
            md(&t.id),
            md(t.statement.as_deref().unwrap_or("")),
            t.n,
            opt_share(t.not_performed_share),
            mean_sd(&t.importance),
            t.importance.n,
            rwg(&t.importance.agreement),
            mean_sd(&t.frequency),
            t.frequency.n,
            rwg(&t.frequency.agreement),
            t.status.as_words()
        );
    }
    out.push_str("\n### Task decisions\n\n");
    for t in &r.tasks {
        let _ = writeln!(out, "- **{}** ({})", mdt(&t.id), t.status.as_words());
        for d in &t.decisions {
            let _ = writeln!(out, "  - {}", decision_line(d));
        }
        for n in &t.notes {
            let _ = writeln!(out, "  - _{}_", mdt(n));
        }
    }
    out.push('\n');

    out.push_str("## Competencies\n\n| competency | SMEs | importance | rwg | needed at entry | distinguishing value | linked to a critical task | result |\n|---|---|---|---|---|---|---|---|\n");
    for c in &r.competencies {
        let _ = writeln!(
            out,
            "| **{}** {} | {} | {} (n = {}) | {} | {} ({} of {}) | {} | {} | {} |",
            md(&c.id),
            md(c.name.as_deref().unwrap_or("")),
            c.n,
            mean_sd(&c.importance),
            c.importance.n,
            rwg(&c.importance.agreement),
            opt_share(c.needed_at_entry_share),
            c.needed_at_entry.yes,
            c.needed_at_entry.n,
            mean_sd(&c.distinguishing_value),
            match c.linked_to_critical_task {
                Some(v) => format!("{} ({})", yes_no(v), opt_share(c.linking_share)),
                None => "pending".to_string(),
            },
            c.status.as_words()
        );
    }
    out.push_str("\n### Competency decisions\n\n");
    for c in &r.competencies {
        let _ = writeln!(out, "- **{}** ({})", mdt(&c.id), c.status.as_words());
        for d in &c.decisions {
            let _ = writeln!(out, "  - {}", decision_line(d));
        }
        for n in &c.notes {
            let _ = writeln!(out, "  - _{}_", mdt(n));
        }
    }
    out.push('\n');

    out.push_str("## Task × competency linkage\n\n");
    match &r.linkage {
        None => out.push_str("Linkage has not been rated yet.\n\n"),
        Some(m) => {
            out.push_str("Each cell: SMEs who said the competency is needed to perform the task, of those who judged the pair. Critical tasks are marked ★.\n\n| task |");
            for c in &m.competencies {
                let _ = write!(out, " {} |", md(c));
            }
            out.push_str("\n|---|");
            for _ in &m.competencies {
                out.push_str("---|");
            }
            out.push('\n');
            for t in &m.tasks {
                let critical = r.tasks.iter().any(|x| &x.id == t && x.critical);
                let _ = write!(out, "| {}{} |", md(t), if critical { " ★" } else { "" });
                for c in &m.competencies {
                    match m.cell(t, c) {
                        Some(cell) => {
                            let _ = write!(out, " {}/{} |", cell.linked, cell.rated);
                        }
                        None => out.push_str(" |"),
                    }
                }
                out.push('\n');
            }
            out.push('\n');
        }
    }

    out.push_str("## Agreement among SMEs\n\n");
    for a in [
        &r.agreement.task_importance,
        &r.agreement.task_frequency,
        &r.agreement.competency_importance,
    ] {
        let _ = writeln!(out, "- {}", icc_line(a));
    }
    out.push('\n');

    out.push_str("## AI work (OPM criteria, 29 April 2024)\n\n");
    let _ = writeln!(out, "_{}_\n", r.ai_work.definition);
    out.push_str("| # | criterion | answer | evidence |\n|---|---|---|---|\n");
    for c in &r.ai_work.criteria {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            c.number,
            md(&c.criterion),
            c.answer.as_words(),
            md(c.evidence.as_deref().unwrap_or(""))
        );
    }
    if let Some(share) = r.ai_work.share_of_time_percent {
        let _ = writeln!(out, "\nShare of time on AI work: {share} %.");
    }
    out.push('\n');
    for n in &r.ai_work.notes {
        let _ = writeln!(out, "{n}\n");
    }

    if let Some(bp) = &r.blueprint {
        out.push_str(&blueprint_markdown(bp, &[]).replacen("# ", "## ", 1));
    }

    out.push_str("## Records\n\n");
    for line in &r.records {
        let _ = writeln!(out, "{line}\n");
    }
    out
}

/// HTML escape.
fn esc(text: &str) -> String {
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

const CSS: &str = "body{font:11pt/1.45 Georgia,'Times New Roman',serif;color:#111;max-width:62rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:1px solid #999;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right;white-space:nowrap}.status-critical,.status-retained{font-weight:bold}
.warn{border-left:4px solid #b35900;background:#fff4e5;padding:.4rem .8rem}.note{color:#444;font-style:italic}
code{font-family:Consolas,monospace;font-size:.85em}.small{font-size:.85rem;color:#333}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr,li{break-inside:avoid}a{color:inherit}}
@page{size:auto;margin:18mm 15mm}";

fn html_table(out: &mut String, headers: &[&str], rows: &[Vec<(String, bool)>]) {
    out.push_str("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (cell, numeric) in row {
            if *numeric {
                let _ = write!(out, "<td class=\"num\">{cell}</td>");
            } else {
                let _ = write!(out, "<td>{cell}</td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn text(s: impl AsRef<str>) -> (String, bool) {
    (esc(s.as_ref()), false)
}

fn num(s: impl AsRef<str>) -> (String, bool) {
    (esc(s.as_ref()), true)
}

fn decisions_html(out: &mut String, decisions: &[Decision], notes: &[String]) {
    if decisions.is_empty() && notes.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for d in decisions {
        let _ = write!(
            out,
            "<li><code>{}</code> — {}</li>",
            esc(&d.rule),
            esc(&d.explanation)
        );
    }
    for n in notes {
        let _ = write!(out, "<li class=\"note\">{}</li>", esc(n));
    }
    out.push_str("</ul>\n");
}

/// The report as a self-contained printable HTML page.
pub fn report_html(r: &DocumentationReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n<header>\n<h1>{}</h1>\n",
        esc(&r.title),
        esc(&r.title)
    );
    if let Some(date) = r.prepared_on {
        let _ = writeln!(
            out,
            "<p class=\"small\">Prepared on {date}. Generated by Framewright.</p>"
        );
    }
    out.push_str("</header>\n<main>\n");
    let s = &r.summary;
    let _ = writeln!(
        out,
        "<p><strong>Summary.</strong> {} tasks: {} dropped as not performed, {} critical. {} competencies: {} critical, {}.</p>",
        s.tasks,
        s.tasks_dropped,
        s.tasks_critical,
        s.competencies,
        s.competencies_critical,
        match s.competencies_retained {
            Some(n) => format!("{n} retained for assessment"),
            None => "retention pending the linkage ratings".to_string(),
        }
    );
    if !r.warnings.is_empty() {
        out.push_str("<section class=\"warn\" aria-label=\"Warnings\"><h2>Warnings</h2><ul>");
        for w in &r.warnings {
            let _ = write!(out, "<li>{}</li>", esc(w));
        }
        out.push_str("</ul></section>\n");
    }

    out.push_str("<section><h2>Position</h2><dl>");
    let j = &r.job;
    let mut facts = vec![("Position", Some(j.title.clone()))];
    facts.push(("Series", j.series.clone()));
    facts.push(("Grade", j.grade.map(|g| g.to_string())));
    facts.push(("Organisation", j.organisation.clone()));
    facts.push(("Positions covered", j.positions_covered.clone()));
    facts.push((
        "Framework",
        j.framework
            .as_ref()
            .map(|f| f.title.clone().unwrap_or_else(|| f.id.clone())),
    ));
    facts.push(("Analyst", j.analyst.clone()));
    if !j.information_sources.is_empty() {
        facts.push((
            "Sources of job information",
            Some(j.information_sources.join("; ")),
        ));
    }
    for (label, value) in facts {
        if let Some(v) = value {
            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(&v));
        }
    }
    out.push_str("</dl>");
    if let Some(d) = &j.description {
        let _ = write!(out, "<p>{}</p>", esc(d));
    }
    out.push_str("</section>\n");

    out.push_str("<section><h2>Legal and professional basis</h2><ul>");
    for c in &r.legal_basis {
        let _ = write!(
            out,
            "<li><strong>{}</strong> — {}</li>",
            esc(&c.cite),
            esc(&c.requirement)
        );
    }
    out.push_str("</ul></section>\n<section><h2>Method</h2>");
    for step in &r.method {
        let _ = write!(out, "<p>{}</p>", esc(step));
    }
    out.push_str("<h3>Rules and thresholds</h3>");
    let rows: Vec<Vec<(String, bool)>> = r
        .rules
        .iter()
        .map(|rule| {
            vec![
                (format!("<code>{}</code>", esc(&rule.rule)), false),
                text(&rule.statement),
            ]
        })
        .collect();
    html_table(&mut out, &["rule", "statement"], &rows);
    out.push_str("</section>\n");

    out.push_str("<section><h2>Subject-matter experts</h2>");
    let rows: Vec<Vec<(String, bool)>> = r
        .smes
        .iter()
        .map(|sme| {
            vec![
                text(&sme.id),
                text(sme.qualifications.as_deref().unwrap_or("not recorded")),
                text(sme.relation.as_deref().unwrap_or("")),
                num(sme.tasks_rated.to_string()),
                num(sme.competencies_rated.to_string()),
                num(sme.links_rated.to_string()),
            ]
        })
        .collect();
    html_table(
        &mut out,
        &[
            "SME",
            "qualifications",
            "relation",
            "tasks rated",
            "competencies rated",
            "links rated",
        ],
        &rows,
    );
    out.push_str("</section>\n<section><h2>Rating scales</h2>");
    for scale in &r.scales {
        let _ = write!(
            out,
            "<h3>{}</h3><p>{} <span class=\"small\">({})</span></p><ul>",
            esc(&scale.name),
            esc(&scale.question),
            esc(&scale.source)
        );
        for a in &scale.anchors {
            let _ = write!(out, "<li>{} = {}</li>", a.value, esc(&a.label));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");

    out.push_str("<section><h2>Tasks</h2><p class=\"small\">Means leave out Not performed (0) ratings; n is the number of ratings in the mean; ± is the standard deviation; rwg is agreement among the SMEs.</p>");
    let rows: Vec<Vec<(String, bool)>> = r
        .tasks
        .iter()
        .map(|t| {
            vec![
                (
                    format!(
                        "<strong>{}</strong> {}",
                        esc(&t.id),
                        esc(t.statement.as_deref().unwrap_or(""))
                    ),
                    false,
                ),
                num(t.n.to_string()),
                num(opt_share(t.not_performed_share)),
                num(format!(
                    "{} (n = {})",
                    mean_sd(&t.importance),
                    t.importance.n
                )),
                num(rwg(&t.importance.agreement)),
                num(format!("{} (n = {})", mean_sd(&t.frequency), t.frequency.n)),
                num(rwg(&t.frequency.agreement)),
                (
                    format!(
                        "<span class=\"status-{}\">{}</span>",
                        t.status.as_words().replace(' ', "-"),
                        esc(t.status.as_words())
                    ),
                    false,
                ),
            ]
        })
        .collect();
    html_table(
        &mut out,
        &[
            "task",
            "SMEs",
            "not performed",
            "importance",
            "rwg",
            "frequency",
            "rwg",
            "result",
        ],
        &rows,
    );
    out.push_str("<h3>Task decisions</h3>");
    for t in &r.tasks {
        let _ = write!(
            out,
            "<h4>{} <span class=\"small\">({})</span></h4>",
            esc(&t.id),
            esc(t.status.as_words())
        );
        decisions_html(&mut out, &t.decisions, &t.notes);
    }
    out.push_str("</section>\n");

    out.push_str("<section><h2>Competencies</h2>");
    let rows: Vec<Vec<(String, bool)>> = r
        .competencies
        .iter()
        .map(|c| {
            vec![
                (
                    format!(
                        "<strong>{}</strong> {}",
                        esc(&c.id),
                        esc(c.name.as_deref().unwrap_or(""))
                    ),
                    false,
                ),
                num(c.n.to_string()),
                num(format!(
                    "{} (n = {})",
                    mean_sd(&c.importance),
                    c.importance.n
                )),
                num(rwg(&c.importance.agreement)),
                num(format!(
                    "{} ({} of {})",
                    opt_share(c.needed_at_entry_share),
                    c.needed_at_entry.yes,
                    c.needed_at_entry.n
                )),
                num(mean_sd(&c.distinguishing_value)),
                text(match c.linked_to_critical_task {
                    Some(v) => format!("{} ({})", yes_no(v), opt_share(c.linking_share)),
                    None => "pending".to_string(),
                }),
                text(c.status.as_words()),
            ]
        })
        .collect();
    html_table(
        &mut out,
        &[
            "competency",
            "SMEs",
            "importance",
            "rwg",
            "needed at entry",
            "distinguishing value",
            "linked to a critical task",
            "result",
        ],
        &rows,
    );
    out.push_str("<h3>Competency decisions</h3>");
    for c in &r.competencies {
        let _ = write!(
            out,
            "<h4>{} <span class=\"small\">({})</span></h4>",
            esc(&c.id),
            esc(c.status.as_words())
        );
        decisions_html(&mut out, &c.decisions, &c.notes);
    }
    out.push_str("</section>\n");

    out.push_str("<section><h2>Task × competency linkage</h2>");
    match &r.linkage {
        None => out.push_str("<p>Linkage has not been rated yet.</p>"),
        Some(m) => {
            out.push_str("<p class=\"small\">Each cell: SMEs who said the competency is needed to perform the task, of those who judged the pair. Critical tasks are marked ★.</p>");
            let mut headers: Vec<&str> = vec!["task"];
            headers.extend(m.competencies.iter().map(String::as_str));
            let rows: Vec<Vec<(String, bool)>> = m
                .tasks
                .iter()
                .map(|t| {
                    let critical = r.tasks.iter().any(|x| &x.id == t && x.critical);
                    let mut row = vec![text(format!("{}{}", t, if critical { " ★" } else { "" }))];
                    for c in &m.competencies {
                        row.push(num(m
                            .cell(t, c)
                            .map(|cell| format!("{}/{}", cell.linked, cell.rated))
                            .unwrap_or_default()));
                    }
                    row
                })
                .collect();
            html_table(&mut out, &headers, &rows);
        }
    }
    out.push_str("</section>\n<section><h2>Agreement among SMEs</h2><ul>");
    for a in [
        &r.agreement.task_importance,
        &r.agreement.task_frequency,
        &r.agreement.competency_importance,
    ] {
        let _ = write!(out, "<li>{}</li>", esc(&icc_line(a)));
    }
    out.push_str("</ul></section>\n");

    out.push_str("<section><h2>AI work (OPM criteria, 29 April 2024)</h2>");
    let _ = write!(out, "<p class=\"note\">{}</p>", esc(&r.ai_work.definition));
    let rows: Vec<Vec<(String, bool)>> = r
        .ai_work
        .criteria
        .iter()
        .map(|c| {
            vec![
                num(c.number.to_string()),
                text(&c.criterion),
                text(c.answer.as_words()),
                text(c.evidence.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    html_table(&mut out, &["#", "criterion", "answer", "evidence"], &rows);
    if let Some(share) = r.ai_work.share_of_time_percent {
        let _ = write!(out, "<p>Share of time on AI work: {share} %.</p>");
    }
    for n in &r.ai_work.notes {
        let _ = write!(out, "<p>{}</p>", esc(n));
    }
    out.push_str("</section>\n");

    if let Some(bp) = &r.blueprint {
        out.push_str("<section><h2>Assessment blueprint</h2>");
        blueprint_html(&mut out, bp);
        out.push_str("</section>\n");
    }
    out.push_str("<section><h2>Records</h2>");
    for line in &r.records {
        let _ = write!(out, "<p>{}</p>", esc(line));
    }
    out.push_str("</section>\n</main>\n</body>\n</html>\n");
    out
}

fn blueprint_html(out: &mut String, bp: &Blueprint) {
    let rows: Vec<Vec<(String, bool)>> = bp
        .competencies
        .iter()
        .flat_map(|c| {
            c.methods.iter().map(move |m| {
                vec![
                    text(format!(
                        "{}{}",
                        c.competency,
                        c.name
                            .as_ref()
                            .map(|n| format!(" — {n}"))
                            .unwrap_or_default()
                    )),
                    text(
                        c.required_level
                            .map(|l| {
                                format!(
                                    "{l}{}",
                                    c.required_level_name
                                        .as_ref()
                                        .map(|n| format!(" ({n})"))
                                        .unwrap_or_default()
                                )
                            })
                            .unwrap_or_else(|| "not set".to_string()),
                    ),
                    text(c.linked_tasks.join(", ")),
                    text(m.method.name()),
                    num(format!("{:.1} %", m.weight)),
                    num(m.interview_questions.len().to_string()),
                ]
            })
        })
        .collect();
    html_table(
        out,
        &[
            "competency",
            "required level",
            "critical tasks",
            "method",
            "weight",
            "interview questions",
        ],
        &rows,
    );
    for n in &bp.notes {
        let _ = write!(out, "<p class=\"note\">{}</p>", esc(n));
    }
}

/// A blueprint (and the issues found checking it) as Markdown.
pub fn blueprint_markdown(bp: &Blueprint, issues: &[BlueprintIssue]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Assessment blueprint: {}\n", mdt(&bp.position));
    if let Some(g) = bp.grade {
        let _ = writeln!(out, "Grade: {g}.");
    }
    if let Some(f) = &bp.framework {
        let _ = writeln!(out, "Framework: {}.", f.title.as_deref().unwrap_or(&f.id));
    }
    out.push_str("\n| competency | required level | critical tasks | method | weight |\n|---|---|---|---|---|\n");
    for c in &bp.competencies {
        for m in &c.methods {
            let _ = writeln!(
                out,
                "| {}{} | {} | {} | {} | {:.1} % |",
                md(&c.competency),
                c.name
                    .as_ref()
                    .map(|n| format!(" — {}", md(n)))
                    .unwrap_or_default(),
                c.required_level
                    .map(|l| format!(
                        "{l}{}",
                        c.required_level_name
                            .as_ref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default()
                    ))
                    .unwrap_or_else(|| "not set".to_string()),
                md(&c.linked_tasks.join(", ")),
                m.method.name(),
                m.weight
            );
        }
    }
    let per_method = bp.method_weights();
    out.push_str("\n**Weight per method:** ");
    out.push_str(
        &per_method
            .iter()
            .map(|(m, w)| format!("{} {w:.1} %", m.name()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let _ = writeln!(out, " (total {:.1} %).\n", bp.total_weight());
    let questions: Vec<_> = bp
        .competencies
        .iter()
        .flat_map(|c| {
            c.methods
                .iter()
                .flat_map(move |m| m.interview_questions.iter().map(move |q| (c, q)))
        })
        .collect();
    if !questions.is_empty() {
        out.push_str("## Structured interview questions\n\n");
        for (c, q) in questions {
            let _ = writeln!(out, "- **{}** — {}", mdt(&c.competency), mdt(&q.question));
            if let Some(f) = &q.follow_up {
                let _ = writeln!(out, "  - Follow-up: {}", mdt(f));
            }
            for (rating, anchor) in &q.anchors {
                let _ = writeln!(out, "  - {rating}: {}", mdt(anchor));
            }
        }
        out.push('\n');
    }
    for n in &bp.notes {
        let _ = writeln!(out, "_{n}_\n");
    }
    if !issues.is_empty() {
        out.push_str("## Check\n\n");
        for i in issues {
            let _ = writeln!(
                out,
                "- {}{}: {}",
                match i.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                i.competency
                    .as_ref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                i.message
            );
        }
        out.push('\n');
    }
    out
}

/// Category rating as Markdown.
pub fn category_rating_markdown(r: &CategoryRating) -> String {
    let mut out = String::from("# Category rating\n\n");
    for rule in &r.rules {
        let _ = writeln!(out, "- {rule}");
    }
    out.push('\n');
    for list in &r.categories {
        let _ = writeln!(
            out,
            "## {} (from {}) — {} applicant(s)\n",
            mdt(&list.name),
            format_score(list.min_score),
            list.applicants.len()
        );
        if let Some(d) = &list.definition {
            let _ = writeln!(out, "_{}_\n", mdt(d));
        }
        if list.applicants.is_empty() {
            out.push_str("No applicant.\n\n");
            continue;
        }
        out.push_str("| applicant | preference | score | placement |\n|---|---|---|---|\n");
        for a in &list.applicants {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md(&a.id),
                a.preference.code(),
                format_score(a.score),
                match a.placement {
                    Placement::Earned => "earned".to_string(),
                    Placement::HighestCategoryByPreference =>
                        format!("placed here by preference (earned {})", a.earned_category),
                }
            );
        }
        out.push('\n');
    }
    for (title, list) in [
        ("Not qualified", &r.not_qualified),
        ("Incomplete", &r.incomplete),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title} — {} applicant(s)\n", list.len());
        for a in list {
            let _ = writeln!(
                out,
                "- {} ({}): {}",
                a.id,
                a.preference.code(),
                a.explanation
            );
        }
        out.push('\n');
    }
    out
}

/// The direct-hire passing grade as Markdown (no scores, no ranks).
pub fn passing_grade_markdown(r: &PassingGrade) -> String {
    let mut out = String::from("# Direct-hire passing grade\n\n");
    for rule in &r.rules {
        let _ = writeln!(out, "- {rule}");
    }
    let _ = writeln!(
        out,
        "\n{} qualified, {} not qualified, {} incomplete.\n\n| applicant | result |\n|---|---|",
        r.qualified, r.not_qualified, r.incomplete
    );
    for a in &r.applicants {
        let _ = writeln!(
            out,
            "| {} | {} |",
            md(&a.id),
            match a.result {
                PassFail::Qualified => "qualified",
                PassFail::NotQualified => "not qualified",
                PassFail::Incomplete => "incomplete (a score is missing)",
            }
        );
    }
    out
}

/// A cut-score record as Markdown.
pub fn cut_score_markdown(r: &CutScoreRecord) -> String {
    let mut out = format!(
        "# Cut score: {}\n\nMethod: {}. Set by {} on {}.\n\n",
        r.setting.assessment,
        r.method,
        r.setting.set_by,
        r.set_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "- **Panel cut:** {:.2} points ({:.1} % of the maximum); median of the judges' cuts {:.2}",
        r.panel_cut, r.panel_cut_percent, r.median_cut
    );
    let _ = writeln!(
        out,
        "- **Standard error of the cut:** {:.3} (judges' SD {:.3}); band {:.2} to {:.2}",
        r.standard_error, r.judges_sd, r.standard_error_band[0], r.standard_error_band[1]
    );
    if let (Some(sem), Some(band)) = (r.sem, r.sem_band) {
        let _ = writeln!(
            out,
            "- **Standard error of measurement:** {sem:.3}; band {:.2} to {:.2}",
            band[0], band[1]
        );
    }
    let _ = writeln!(out, "- **Recommended cut:** {:.2}", r.recommended_cut);
    if let Some(why) = &r.setting.rationale {
        let _ = writeln!(out, "- **Rationale:** {why}");
    }
    out.push_str("\n| judge | cut |\n|---|---|\n");
    for j in &r.judges {
        let _ = writeln!(out, "| {} | {:.2} |", md(&j.judge), j.cut);
    }
    out.push_str("\n| item | mean | SD | lowest | highest |\n|---|---|---|---|---|\n");
    for i in &r.items {
        let _ = writeln!(
            out,
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} |",
            md(&i.item),
            i.mean,
            i.sd,
            i.min,
            i.max
        );
    }
    out.push('\n');
    for n in &r.notes {
        let _ = writeln!(out, "{n}\n");
    }
    out
}

fn step_markdown(out: &mut String, s: &StepImpact) {
    let _ = writeln!(
        out,
        "## {} — {}\n\n{} applicant(s) considered{}.{}\n",
        s.step,
        if s.adverse_impact {
            "ADVERSE IMPACT (below four-fifths)"
        } else {
            "no adverse impact by the four-fifths rule"
        },
        s.considered,
        if s.group_not_reported > 0 {
            format!(", {} without a reported group", s.group_not_reported)
        } else {
            String::new()
        },
        s.reference_group
            .as_ref()
            .map(|g| format!(" Highest pass rate: {g}."))
            .unwrap_or_default()
    );
    if !s.groups.is_empty() {
        out.push_str("| group | considered | passed | rate | impact ratio | below 4/5 | Fisher p | z |\n|---|---|---|---|---|---|---|---|\n");
        for g in &s.groups {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md(&g.group),
                g.considered,
                g.passed,
                format_percent(g.rate),
                g.impact_ratio
                    .map(|r| format!("{r:.3}"))
                    .unwrap_or_else(|| "—".into()),
                if g.below_four_fifths { "yes" } else { "no" },
                g.fisher_p
                    .map(|p| format!("{p:.4}"))
                    .unwrap_or_else(|| "—".into()),
                g.z.map(|z| format!("{z:.3}")).unwrap_or_else(|| "—".into())
            );
        }
        out.push('\n');
    }
    for w in &s.warnings {
        let _ = writeln!(out, "- warning: {w}");
    }
    if !s.warnings.is_empty() {
        out.push('\n');
    }
}

/// Adverse impact at each step as Markdown.
pub fn impact_markdown(r: &ImpactReport) -> String {
    let mut out = format!(
        "# Adverse impact by selection step (groups: {})\n\n",
        r.grouping
    );
    for n in &r.notes {
        let _ = writeln!(out, "- {n}");
    }
    out.push('\n');
    for s in &r.steps {
        step_markdown(&mut out, s);
    }
    step_markdown(&mut out, &r.overall);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything_a_user_typed() {
        assert_eq!(esc("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(md("a|b\nc"), "a\\|b c");
    }

    fn small_report() -> DocumentationReport {
        use framewright_hiring::survey::{JobAnalysis, Ratings, TaskRating};
        let ratings = Ratings {
            tasks: vec![
                TaskRating {
                    sme: "SME-1".into(),
                    task: "T1".into(),
                    importance: Some(4),
                    frequency: Some(3),
                },
                TaskRating {
                    sme: "SME-2".into(),
                    task: "T1".into(),
                    importance: Some(3),
                    frequency: Some(3),
                },
            ],
            ..Ratings::default()
        };
        let mut job = JobAnalysis::new("x", "Analyst <script>alert(1)</script> | GS-13");
        job.complete_from_ratings(&ratings);
        job.tasks[0].statement = Some("Builds <b>models</b> & pipelines".into());
        job.smes[0].qualifications = Some("\"Senior\" data scientist".into());
        let analysis = framewright_hiring::analyze(
            &job,
            &ratings,
            &framewright_hiring::AnalysisParameters::default(),
        )
        .unwrap();
        let criteria = framewright_catalog::opm_ai_2024().unwrap().ai_work;
        framewright_hiring::report::documentation_report(
            &job, &ratings, &analysis, &criteria, None, None,
        )
        .unwrap()
    }

    #[test]
    fn the_html_report_is_escaped_and_the_markdown_table_safe() {
        let r = small_report();
        let html = report_html(&r);
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("Analyst &lt;script&gt;alert(1)&lt;/script&gt; | GS-13"));
        assert!(html.contains("Builds &lt;b&gt;models&lt;/b&gt; &amp; pipelines"));
        assert!(html.contains("&quot;Senior&quot; data scientist"));
        let md = report_markdown(&r);
        assert!(md.contains("| **T1** Builds &lt;b&gt;models&lt;/b&gt; &amp; pipelines |"));
        assert!(md.starts_with("# Job analysis: Analyst &lt;script&gt;"));
        assert!(md.contains("1 tasks: 0 dropped as not performed, 1 critical"));
        let json = report_json(&r).unwrap();
        let back: DocumentationReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }
}
