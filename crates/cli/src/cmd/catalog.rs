//! `framewright catalog`: list the competency catalogues, show one in full (with its source
//! notes and OPM grade tables), as text, JSON, CSV or Markdown.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, Subcommand, ValueEnum};
use framewright_catalog::opm::{OPM_ID, OpmModel};
use framewright_model::{Catalogue, Competency, CompetencyKind, Grade, GradeMark};
use serde_json::{Value, json};

/// Browse the competency catalogues: the built-in OPM AI Competency Model and any you imported.
///
/// `list` shows the catalogues, `show` prints one in full (definitions, OPM grade tables,
/// importance ranks and the notes Framewright keeps about the source), `search` finds
/// competencies by words.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the catalogues: the built-in OPM AI Competency Model and any you imported.
    List {
        /// How to print the list.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Show every competency of a catalogue, with definitions, grade tables, importance ranks and
    /// the notes Framewright keeps about the source.
    ///
    /// Example: framewright catalog show opm-ai-2024 --grade GS-13 --kind technical
    Show {
        /// The catalogue: `opm-ai-2024` (or `opm`), or a CSV file in the form
        /// id,name,alt_labels,definition.
        catalogue: String,
        /// How to print it: text for reading, json or csv for other programs, md for documents.
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
        /// Only competencies OPM confirmed (X) for selection at this grade, e.g. GS-13.
        #[arg(long)]
        grade: Option<Grade>,
        /// Only general or only technical competencies.
        #[arg(long, value_enum)]
        kind: Option<KindFilter>,
    },
    /// Find competencies by words and meaning: names, other names and definitions are searched,
    /// with stemming ("analysing" finds "analysis") and common synonyms ("ML" finds "machine
    /// learning"); with a sentence-embedding model installed (`framewright models`), also by
    /// meaning ("ethics" finds Values-Driven Design).
    ///
    /// Example: framewright catalog search "explain model results to managers"
    Search {
        /// What you are looking for, in your own words.
        query: String,
        /// The catalogue to search: `opm-ai-2024` (default), or a CSV file.
        #[arg(long, default_value = OPM_ID)]
        catalog: String,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// How to print the results.
        #[arg(long, value_enum, default_value_t = SearchFormat::Text)]
        format: SearchFormat,
        /// Search by words only, even when a sentence-embedding model is installed.
        #[arg(long)]
        no_semantic: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SearchFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ShowFormat {
    Text,
    Json,
    Csv,
    Md,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum KindFilter {
    General,
    Technical,
}

/// A catalogue with the OPM extras when it is the OPM model.
pub struct Loaded {
    pub catalogue: Catalogue,
    pub opm: Option<OpmModel>,
}

/// Loads a built-in catalogue by name, or a catalogue CSV file by path.
pub fn load(name: &str) -> Result<Loaded> {
    if name == OPM_ID || name == "opm" {
        let opm =
            framewright_catalog::opm_ai_2024().context("reading the built-in OPM catalogue")?;
        return Ok(Loaded {
            catalogue: opm.catalogue.clone(),
            opm: Some(opm),
        });
    }
    let path = std::path::Path::new(name);
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        let bytes = std::fs::read(path)
            .with_context(|| format!("could not read the catalogue file {name}"))?;
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_else(|| name.to_string());
        let info = framewright_catalog::csv_form::CsvCatalogueInfo {
            id: stem.clone(),
            name: stem,
            licence: "as stated by the file's owner".into(),
            attribution: None,
        };
        let catalogue = framewright_catalog::parse_catalogue_csv(&bytes, name, info)?;
        return Ok(Loaded {
            catalogue,
            opm: None,
        });
    }
    // Catalogues imported with `framewright import` (library in FRAMEWRIGHT_DATA_DIR or
    // ./framewright-data), and .json/.xlsx catalogue files; the error lists what exists.
    let resolved = framewright_interop::library::Library::from_env().resolve(name)?;
    Ok(Loaded {
        catalogue: resolved.catalogue,
        opm: None,
    })
}

pub fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Command::List { format } => list(format),
        Command::Show {
            catalogue,
            format,
            grade,
            kind,
        } => show(&catalogue, format, grade, kind),
        Command::Search {
            query,
            catalog,
            top,
            format,
            no_semantic,
        } => search(&query, &catalog, top, format, no_semantic),
    }
}

/// The catalogue's competencies as search documents.
pub fn search_documents(loaded: &Loaded) -> Vec<framewright_search::Document> {
    loaded
        .catalogue
        .competencies
        .iter()
        .map(|c| framewright_search::Document {
            id: c.id.clone(),
            name: c.name.clone(),
            alt_labels: c.alt_labels.clone(),
            definition: c.definition.clone().unwrap_or_default(),
            kind: Some(c.kind.as_str().to_owned()),
        })
        .collect()
}

/// One search result: how well the words matched (with the engine's reason) and how close the
/// meaning is, when a model was used.
struct Hit {
    id: String,
    score: f64,
    why: Option<String>,
    meaning: Option<f64>,
}

fn search(
    query: &str,
    name: &str,
    top: usize,
    format: SearchFormat,
    no_semantic: bool,
) -> Result<ExitCode> {
    if query.trim().is_empty() {
        bail!("the search words are empty; say what you are looking for, e.g. \"data pipelines\"");
    }
    let loaded = load(name)?;
    let (hits, model) = search_hits(&loaded, query, top, no_semantic)?;
    if let Some(model) = &model {
        eprintln!("matched by words and by meaning ({model})");
    }
    let find = |id: &str| loaded.catalogue.competencies.iter().find(|c| c.id == id);
    let mut out = std::io::stdout().lock();
    match format {
        SearchFormat::Json => {
            let items: Vec<Value> = hits
                .iter()
                .filter_map(|h| find(&h.id).map(|c| (h, c)))
                .map(|(h, c)| {
                    let mut item = json!({"id": c.id, "name": c.name, "kind": c.kind.as_str(),
                           "score": (h.score * 1e6).round() / 1e6,
                           "why": h.why.as_deref().unwrap_or("close in meaning to the search")});
                    if let (Some(m), Some(o)) = (h.meaning, item.as_object_mut()) {
                        o.insert("meaning".into(), json!((m * 1e6).round() / 1e6));
                    }
                    item
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        }
        SearchFormat::Text => {
            if hits.is_empty() {
                writeln!(
                    out,
                    "No competency in {} matches \"{query}\".",
                    loaded.catalogue.name
                )?;
            }
            for (rank, h) in hits.iter().enumerate() {
                if let Some(c) = find(&h.id) {
                    writeln!(
                        out,
                        "{:>2}. {} [{}] ({})",
                        rank + 1,
                        c.name,
                        c.id,
                        c.kind.as_str()
                    )?;
                    match &h.why {
                        Some(why) => writeln!(out, "    {why}")?,
                        None => writeln!(out, "    close in meaning to your search")?,
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The best `top` competencies for `query`: those that matched a word of it (the generality
/// prior alone is no match) and, with a model, those close in meaning, fused by score. Also
/// answers the model used.
fn search_hits(
    loaded: &Loaded,
    query: &str,
    top: usize,
    no_semantic: bool,
) -> Result<(Vec<Hit>, Option<String>)> {
    use framewright_search::{Index, Query, RankingConfig, SuggestOptions, Synonyms};
    let synonyms = Synonyms::builtin().context("reading the built-in synonyms")?;
    let index = Index::build(search_documents(loaded), synonyms)
        .with_context(|| format!("indexing the catalogue {}", loaded.catalogue.id))?;
    let options = SuggestOptions {
        top: loaded.catalogue.competencies.len().max(top),
        reference_roles: None,
        priors: None,
    };
    let q = Query {
        title: query.to_string(),
        description: String::new(),
        tasks: Vec::new(),
    };
    let words: Vec<_> = index
        .suggest(&q, &options, &RankingConfig::default())?
        .into_iter()
        .filter(|s| !s.evidence.matches.is_empty())
        .collect();
    #[cfg(feature = "semantic")]
    if let Some(semantic) = crate::cmd::models::load(no_semantic)? {
        let settings = framewright_generate::SelectionSettings::builtin()?.embeddings;
        let lexical: Vec<(String, f64)> = words.iter().map(|s| (s.id.clone(), s.score)).collect();
        let meaning = semantic
            .similarities(&loaded.catalogue, query)
            .context("matching by meaning")?;
        let why: std::collections::BTreeMap<&str, String> = words
            .iter()
            .map(|s| (s.id.as_str(), s.evidence.why()))
            .collect();
        let hits = framewright_generate::embeddings::fuse(&lexical, &meaning, settings.weight)
            .into_iter()
            .filter(|f| f.words > 0.0 || f.meaning >= settings.search_min_similarity)
            .take(top)
            .map(|f| Hit {
                why: why.get(f.id.as_str()).cloned(),
                meaning: Some(f.meaning),
                score: f.score,
                id: f.id,
            })
            .collect();
        return Ok((hits, Some(semantic.model().to_string())));
    }
    #[cfg(not(feature = "semantic"))]
    let _ = no_semantic;
    let hits = words
        .into_iter()
        .take(top)
        .map(|s| Hit {
            why: Some(s.evidence.why()),
            score: s.score,
            id: s.id,
            meaning: None,
        })
        .collect();
    Ok((hits, None))
}

fn list(format: ListFormat) -> Result<ExitCode> {
    let opm = load(OPM_ID)?.catalogue;
    let rows = [&opm];
    let mut out = std::io::stdout().lock();
    match format {
        ListFormat::Json => {
            let items: Vec<Value> = rows
                .iter()
                .map(|c| {
                    json!({
                        "id": c.id, "name": c.name, "built_in": true,
                        "competencies": c.competencies.len(),
                        "licence": c.licence, "issued": c.issued,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        }
        ListFormat::Text => {
            writeln!(out, "{:<14} {:>12}  NAME", "CATALOGUE", "COMPETENCIES")?;
            for c in rows {
                writeln!(
                    out,
                    "{:<14} {:>12}  {} (built in)",
                    c.id,
                    c.competencies.len(),
                    c.name
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(
    name: &str,
    format: ShowFormat,
    grade: Option<Grade>,
    kind: Option<KindFilter>,
) -> Result<ExitCode> {
    let loaded = load(name)?;
    let catalogue = &loaded.catalogue;
    let selected: Vec<&Competency> = catalogue
        .competencies
        .iter()
        .filter(|c| grade.is_none_or(|g| c.grade_mark(g) == Some(GradeMark::Confirmed)))
        .filter(|c| match kind {
            None => true,
            Some(KindFilter::General) => c.kind == CompetencyKind::General,
            Some(KindFilter::Technical) => c.kind == CompetencyKind::Technical,
        })
        .collect();
    let grades = grade_columns(&selected);
    let text = match format {
        ShowFormat::Json => {
            serde_json::to_string_pretty(&catalogue_json(&loaded, &selected))? + "\n"
        }
        ShowFormat::Csv => catalogue_csv(catalogue, &selected, &grades)?,
        ShowFormat::Md => catalogue_markdown(&loaded, &selected, &grades),
        ShowFormat::Text => catalogue_text(&loaded, &selected, &grades),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

fn grade_columns(competencies: &[&Competency]) -> Vec<Grade> {
    let mut grades: Vec<Grade> = competencies
        .iter()
        .flat_map(|c| c.grades.keys().copied())
        .collect();
    grades.sort();
    grades.dedup();
    grades
}

fn note_texts(catalogue: &Catalogue, c: &Competency) -> Vec<String> {
    catalogue.notes_for(c).map(|n| n.text.clone()).collect()
}

fn competency_json(catalogue: &Catalogue, c: &Competency) -> Value {
    let grades: serde_json::Map<String, Value> = c
        .grades
        .iter()
        .map(|(g, m)| (g.to_string(), Value::String(m.as_str().into())))
        .collect();
    let rank = c.importance_rank.unwrap_or_default();
    json!({
        "id": c.id,
        "uuid": c.uuid(&catalogue.id).to_string(),
        "name": c.name,
        "kind": c.kind.as_str(),
        "definition": c.definition,
        "definition_status": if c.definition.is_some() { "as published" } else { "absent in the source" },
        "alt_labels": c.alt_labels,
        "grades": grades,
        "importance_rank": { "current": rank.current, "future": rank.future },
        "in_ranking_table": c.importance_rank.is_some(),
        "notes": note_texts(catalogue, c),
    })
}

fn catalogue_json(loaded: &Loaded, selected: &[&Competency]) -> Value {
    let c = &loaded.catalogue;
    let mut value = json!({
        "id": c.id,
        "name": c.name,
        "title": c.title,
        "publisher": c.publisher,
        "issued": c.issued,
        "version": c.version,
        "licence": c.licence,
        "attribution": c.attribution,
        "url": c.url,
        "notes": c.notes.iter().map(|n| json!({"id": n.id, "text": n.text, "competencies": n.competencies})).collect::<Vec<_>>(),
        "competencies": selected.iter().map(|x| competency_json(c, x)).collect::<Vec<_>>(),
    });
    if let (Some(opm), Some(object)) = (&loaded.opm, value.as_object_mut()) {
        object.insert(
            "ai_work".into(),
            serde_json::to_value(&opm.ai_work).unwrap_or(Value::Null),
        );
    }
    value
}

fn catalogue_csv(
    catalogue: &Catalogue,
    selected: &[&Competency],
    grades: &[Grade],
) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "id".to_string(),
        "name".into(),
        "kind".into(),
        "definition".into(),
        "alt_labels".into(),
    ];
    header.extend(grades.iter().map(Grade::to_string));
    header.extend(["rank_current".into(), "rank_future".into(), "notes".into()]);
    writer.write_record(&header)?;
    for c in selected {
        let rank = c.importance_rank.unwrap_or_default();
        let mut row = vec![
            c.id.clone(),
            c.name.clone(),
            c.kind.as_str().to_string(),
            c.definition.clone().unwrap_or_default(),
            c.alt_labels.join("|"),
        ];
        row.extend(grades.iter().map(|g| {
            c.grade_mark(*g)
                .map(|m| m.as_str().to_string())
                .unwrap_or_default()
        }));
        let show = |r: Option<u32>| {
            r.map(|n| n.to_string()).unwrap_or_else(|| {
                if c.importance_rank.is_some() {
                    "NR".into()
                } else {
                    String::new()
                }
            })
        };
        row.push(show(rank.current));
        row.push(show(rank.future));
        row.push(note_texts(catalogue, c).join(" | "));
        // A cell a spreadsheet would run as a formula is written as text (a quote in front).
        writer.write_record(
            row.iter()
                .map(|cell| framewright_model::table::neutralise_formula(cell).into_owned()),
        )?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn cell(c: &Competency, g: Grade) -> &'static str {
    c.grade_mark(g).map_or("—", GradeMark::as_str)
}

fn rank_text(c: &Competency) -> String {
    match c.importance_rank {
        None => "not ranked".into(),
        Some(r) => {
            let show = |v: Option<u32>| v.map_or("NR".to_string(), |n| n.to_string());
            format!(
                "current {}, in three years {}",
                show(r.current),
                show(r.future)
            )
        }
    }
}

fn catalogue_markdown(loaded: &Loaded, selected: &[&Competency], grades: &[Grade]) -> String {
    let c = &loaded.catalogue;
    let mut md = format!("# {}\n\n", c.name);
    if let Some(title) = &c.title {
        md.push_str(&format!("*{title}*"));
        if let Some(issued) = &c.issued {
            md.push_str(&format!(", {issued}"));
        }
        md.push_str("\n\n");
    }
    md.push_str(&format!("Licence: {}\n\n", c.licence));
    if let Some(attribution) = &c.attribution {
        md.push_str(&format!("{attribution}\n\n"));
    }
    if !c.notes.is_empty() {
        md.push_str("## Notes on the source\n\n");
        for n in &c.notes {
            md.push_str(&format!("- {}\n", n.text));
        }
        md.push('\n');
    }
    if !grades.is_empty() {
        md.push_str("## Competencies by grade\n\nX = confirmed for selection, NR = not rated, — = no cell in the source.\n\n| Competency | Kind |");
        for g in grades {
            md.push_str(&format!(" {g} |"));
        }
        md.push_str("\n|---|---|");
        md.push_str(&"---|".repeat(grades.len()));
        md.push('\n');
        for x in selected {
            md.push_str(&format!("| {} | {} |", x.name, x.kind.as_str()));
            for g in grades {
                md.push_str(&format!(" {} |", cell(x, *g)));
            }
            md.push('\n');
        }
        md.push('\n');
    }
    md.push_str("## Definitions\n\n");
    for x in selected {
        md.push_str(&format!("### {}\n\n", x.name));
        match &x.definition {
            Some(d) => md.push_str(&format!("{d}\n\n")),
            None => md.push_str("*The source gives no definition for this competency.*\n\n"),
        }
        md.push_str(&format!("- Id: `{}`; kind: {}\n", x.id, x.kind.as_str()));
        if !x.alt_labels.is_empty() {
            md.push_str(&format!("- Also called: {}\n", x.alt_labels.join(", ")));
        }
        if loaded.opm.is_some() {
            md.push_str(&format!("- Importance rank: {}\n", rank_text(x)));
        }
        for note in note_texts(c, x) {
            md.push_str(&format!("- Note: {note}\n"));
        }
        md.push('\n');
    }
    md
}

fn catalogue_text(loaded: &Loaded, selected: &[&Competency], grades: &[Grade]) -> String {
    let c = &loaded.catalogue;
    let mut out = format!("{} — {} competencies shown\n", c.name, selected.len());
    if let Some(title) = &c.title {
        out.push_str(title);
        if let Some(issued) = &c.issued {
            out.push_str(&format!(" ({issued})"));
        }
        out.push('\n');
    }
    out.push_str(&format!("Licence: {}\n", c.licence));
    if !c.notes.is_empty() {
        out.push_str("\nNotes on the source:\n");
        for n in &c.notes {
            out.push_str(&format!("  * {}\n", n.text));
        }
    }
    for x in selected {
        out.push_str(&format!("\n{} [{}] ({})\n", x.name, x.id, x.kind.as_str()));
        match &x.definition {
            Some(d) => out.push_str(&format!("  {d}\n")),
            None => out.push_str("  (The source gives no definition for this competency.)\n"),
        }
        if !x.alt_labels.is_empty() {
            out.push_str(&format!("  Also called: {}\n", x.alt_labels.join(", ")));
        }
        if !grades.is_empty() && !x.grades.is_empty() {
            let cells: Vec<String> = grades
                .iter()
                .map(|g| format!("{g} {}", cell(x, *g)))
                .collect();
            out.push_str(&format!("  Grades: {}\n", cells.join("  ")));
        } else if loaded.opm.is_some() {
            out.push_str("  Grades: no row in the source's grade table\n");
        }
        if loaded.opm.is_some() {
            out.push_str(&format!("  Importance rank: {}\n", rank_text(x)));
        }
        for note in note_texts(c, x) {
            out.push_str(&format!("  Note: {note}\n"));
        }
    }
    out
}
