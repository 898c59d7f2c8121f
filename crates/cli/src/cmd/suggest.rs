//! `framewright suggest`: ranked competency suggestions for many roles at once.
//!
//! Reads one role per line of a JSON Lines file, ranks a catalogue's competencies for each
//! (text relevance, and evidence from reference roles when given) and writes one JSON line per
//! role with the best suggestions first, each with its score and the reason for it.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use framewright_search::{
    Index, Query, RankingConfig, ReferenceRole, ReferenceRoles, RoleCompetency, SuggestOptions,
    Synonyms,
};
use serde_json::{Map, Value, json};

use crate::cmd::catalog;

/// Suggest competencies for many roles at once, best first, with the reason for each.
///
/// Each line of the roles file describes one role as JSON, for example:
///
///   {"id": "r1", "title": "Data Scientist", "description": "Builds models…", "tasks": ["…"]}
///
/// (`description` and `tasks` may be left out). For every role, one line is written:
///
///   {"id": "r1", "results": [{"id": …, "score": …, "why": …}, …]}
///
/// Reference roles are roles whose competencies you already know (from frameworks you have
/// made, or from a source such as ESCO); suggestions then also say "roles like this one usually
/// need X". Each line: {"id": …, "title": …, "description": …, "competencies": ["id", …]}
/// (a competency may also be {"id": …, "weight": 2} to count more).
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The catalogue to suggest from: the built-in OPM model (`opm`) or a catalogue CSV file
    /// (columns id,name,alt_labels,definition).
    #[arg(long, value_name = "NAME|FILE", default_value = "opm")]
    catalog: String,

    /// The roles to suggest for: a JSON Lines file, one role per line.
    #[arg(long, value_name = "ROLES.jsonl")]
    queries: PathBuf,

    /// Roles whose competencies are known, used as evidence: a JSON Lines file.
    #[arg(long, value_name = "ROLES.jsonl")]
    reference_roles: Option<PathBuf>,

    /// Leave the reference role with this id (a line of --reference-roles) out; repeat for
    /// more. `suggest` uses reference roles only from --reference-roles (never the built-in
    /// O*NET occupations, which are evidence for `generate`).
    #[arg(long, value_name = "ID")]
    exclude_reference: Vec<String>,

    /// How many suggestions to give per role.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10000))]
    top: u32,

    /// Write the suggestions to this file instead of the screen.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Match by words only, even when a sentence-embedding model is installed (by default
    /// suggestions also use meaning when one is: see `framewright models`).
    #[arg(long)]
    no_semantic: bool,

    /// How much closeness of meaning counts against the best match by words (which counts
    /// 1); default: the built-in setting. For evaluations.
    #[arg(long, value_name = "W", hide = true)]
    semantic_weight: Option<f64>,
}

/// A problem at one place of a JSON Lines file.
fn line_error(
    file: &Path,
    line: usize,
    field: Option<&str>,
    message: impl std::fmt::Display,
) -> anyhow::Error {
    match field {
        Some(field) => anyhow::anyhow!(
            "{}, line {line}, field `{field}`: {message}",
            file.display()
        ),
        None => anyhow::anyhow!("{}, line {line}: {message}", file.display()),
    }
}

/// The JSON object on each non-blank line of `file`, with its line number (from 1).
fn read_jsonl(file: &Path) -> Result<Vec<(usize, Map<String, Value>)>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        let value: Value = serde_json::from_str(line).map_err(|e| {
            line_error(
                file,
                number,
                None,
                format!("not valid JSON ({e}); each line must be one JSON object"),
            )
        })?;
        match value {
            Value::Object(map) => out.push((number, map)),
            _ => {
                return Err(line_error(
                    file,
                    number,
                    None,
                    "each line must be a JSON object ({\"id\": …, …})",
                ));
            }
        }
    }
    Ok(out)
}

/// Checks that `map` has only `allowed` keys.
fn check_fields(
    file: &Path,
    line: usize,
    map: &Map<String, Value>,
    allowed: &[&str],
) -> Result<()> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(line_error(
                file,
                line,
                Some(key),
                format!("unknown field; the fields are {}", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

fn required_string(
    file: &Path,
    line: usize,
    map: &Map<String, Value>,
    field: &str,
) -> Result<String> {
    match map.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(line_error(file, line, Some(field), "is empty")),
        Some(_) => Err(line_error(file, line, Some(field), "must be a string")),
        None => Err(line_error(file, line, Some(field), "is missing")),
    }
}

fn optional_string(
    file: &Path,
    line: usize,
    map: &Map<String, Value>,
    field: &str,
) -> Result<String> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(line_error(file, line, Some(field), "must be a string")),
    }
}

/// Reads the roles to suggest for.
fn read_queries(file: &Path) -> Result<Vec<(String, Query)>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, map) in read_jsonl(file)? {
        check_fields(file, line, &map, &["id", "title", "description", "tasks"])?;
        let id = required_string(file, line, &map, "id")?;
        let title = required_string(file, line, &map, "title")?;
        let description = optional_string(file, line, &map, "description")?;
        let tasks = match map.get("tasks") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => {
                let mut tasks = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => tasks.push(s.clone()),
                        _ => {
                            return Err(line_error(
                                file,
                                line,
                                Some(&format!("tasks[{i}]")),
                                "must be a string",
                            ));
                        }
                    }
                }
                tasks
            }
            Some(_) => {
                return Err(line_error(
                    file,
                    line,
                    Some("tasks"),
                    "must be a list of strings",
                ));
            }
        };
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(line_error(
                file,
                line,
                Some("id"),
                format!("\"{id}\" was already used on line {first}"),
            ));
        }
        out.push((
            id,
            Query {
                title,
                description,
                tasks,
            },
        ));
    }
    Ok(out)
}

/// Reads the reference roles.
fn read_reference_roles(file: &Path) -> Result<Vec<ReferenceRole>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, map) in read_jsonl(file)? {
        check_fields(
            file,
            line,
            &map,
            &["id", "title", "description", "competencies"],
        )?;
        let id = required_string(file, line, &map, "id")?;
        let title = required_string(file, line, &map, "title")?;
        let description = optional_string(file, line, &map, "description")?;
        let Some(Value::Array(items)) = map.get("competencies") else {
            let problem = if map.contains_key("competencies") {
                "must be a list"
            } else {
                "is missing"
            };
            return Err(line_error(file, line, Some("competencies"), problem));
        };
        let mut competencies = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let field = format!("competencies[{i}]");
            match item {
                Value::String(s) if !s.trim().is_empty() => {
                    competencies.push(RoleCompetency {
                        id: s.clone(),
                        weight: None,
                    });
                }
                Value::Object(c) => {
                    let id = match c.get("id") {
                        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                        _ => {
                            return Err(line_error(
                                file,
                                line,
                                Some(&format!("{field}.id")),
                                "must be a non-empty string",
                            ));
                        }
                    };
                    let weight = match c.get("weight") {
                        None | Some(Value::Null) => None,
                        Some(Value::Number(n)) => match n.as_f64() {
                            Some(w) if w.is_finite() && w > 0.0 => Some(w),
                            _ => {
                                return Err(line_error(
                                    file,
                                    line,
                                    Some(&format!("{field}.weight")),
                                    "must be a number above 0",
                                ));
                            }
                        },
                        Some(_) => {
                            return Err(line_error(
                                file,
                                line,
                                Some(&format!("{field}.weight")),
                                "must be a number above 0",
                            ));
                        }
                    };
                    if let Some(key) = c.keys().find(|k| *k != "id" && *k != "weight") {
                        return Err(line_error(
                            file,
                            line,
                            Some(&format!("{field}.{key}")),
                            "unknown field; the fields are id, weight",
                        ));
                    }
                    competencies.push(RoleCompetency { id, weight });
                }
                _ => {
                    return Err(line_error(
                        file,
                        line,
                        Some(&field),
                        "must be a competency id (a non-empty string) or {\"id\": …, \"weight\": …}",
                    ));
                }
            }
        }
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(line_error(
                file,
                line,
                Some("id"),
                format!("\"{id}\" was already used on line {first}"),
            ));
        }
        out.push(ReferenceRole {
            id,
            title,
            description,
            competencies,
        });
    }
    Ok(out)
}

pub fn run(args: Args) -> Result<ExitCode> {
    // Read and check every input before anything is written.
    let queries = read_queries(&args.queries)?;
    let mut references = match &args.reference_roles {
        Some(path) => Some(read_reference_roles(path)?),
        None => None,
    };
    if let Some(id) = args
        .exclude_reference
        .iter()
        .find(|id| id.starts_with(framewright_catalog::onet::ID_PREFIX))
    {
        bail!(
            "--exclude-reference {id}: `suggest` does not use the built-in O*NET occupations (they are evidence for `generate`), so there is nothing to leave out"
        );
    }
    if !args.exclude_reference.is_empty() {
        let known = references.iter().flatten().map(|r| r.id.as_str());
        framewright_app::generate::check_reference_exclusions(&args.exclude_reference, known)?;
        if let Some(roles) = &mut references {
            roles.retain(|r| !args.exclude_reference.contains(&r.id));
        }
    }
    let loaded = catalog::load(&args.catalog)?;
    if loaded.catalogue.competencies.is_empty() {
        bail!(
            "the catalogue {} has no competencies to suggest",
            args.catalog
        );
    }
    let synonyms = Synonyms::builtin().context("reading the built-in synonyms")?;
    let index = Index::build(catalog::search_documents(&loaded), synonyms)
        .with_context(|| format!("indexing the catalogue {}", args.catalog))?;
    let config = RankingConfig::default();
    let references = references.map(|roles| ReferenceRoles::new(&index, &roles, &config));
    if let (Some(roles), Some(path)) = (&references, &args.reference_roles)
        && let Some(first) = roles.ignored().first()
    {
        eprintln!(
            "warning: {}: {} competency id(s) are not in the catalogue and were ignored \
             (the first: \"{}\" in reference role \"{}\")",
            path.display(),
            roles.ignored().len(),
            first.competency,
            first.role
        );
    }
    let options = SuggestOptions {
        top: args.top as usize,
        reference_roles: references.as_ref(),
        priors: None,
    };
    let meaning = meaning(&args, &loaded.catalogue)?;
    let mut out = String::new();
    for (id, query) in &queries {
        let items = match &meaning {
            None => index
                .suggest(query, &options, &config)?
                .iter()
                .map(|s| json!({"id": s.id, "score": round(s.score), "why": s.evidence.why()}))
                .collect(),
            Some(m) => {
                let all = SuggestOptions {
                    top: loaded.catalogue.competencies.len(),
                    ..options
                };
                m.suggest(query, &index.suggest(query, &all, &config)?, options.top)?
            }
        };
        let items: Vec<Value> = items;
        out.push_str(&json!({"id": id, "results": items}).to_string());
        out.push('\n');
    }
    match &args.output {
        Some(path) => std::fs::write(path, out)
            .with_context(|| format!("could not write {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(out.as_bytes())
                .context("could not write the suggestions")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Matching by meaning for `suggest`: the model, the catalogue and the weight.
#[cfg(feature = "semantic")]
struct Meaning<'a> {
    semantic: framewright_semantic::Semantic,
    catalogue: &'a framewright_model::Catalogue,
    weight: f64,
}

#[cfg(feature = "semantic")]
impl Meaning<'_> {
    /// The suggestions by words (all of them) fused with the role's similarity to each
    /// competency, best `top` first.
    fn suggest(
        &self,
        query: &Query,
        words: &[framewright_search::Suggestion],
        top: usize,
    ) -> Result<Vec<Value>> {
        let role = framewright_model::Role {
            title: query.title.clone(),
            description: Some(query.description.clone()).filter(|d| !d.trim().is_empty()),
            tasks: query.tasks.clone(),
            ..framewright_model::Role::default()
        };
        let text = framewright_generate::embeddings::role_text(&role);
        let similar = self.semantic.similarities(self.catalogue, &text)?;
        let lexical: Vec<(String, f64)> = words.iter().map(|s| (s.id.clone(), s.score)).collect();
        let why: HashMap<&str, String> = words
            .iter()
            .map(|s| (s.id.as_str(), s.evidence.why()))
            .collect();
        Ok(
            framewright_generate::embeddings::fuse(&lexical, &similar, self.weight)
                .into_iter()
                .take(top)
                .map(|f| {
                    let words = why
                        .get(f.id.as_str())
                        .map_or("no word in common", String::as_str);
                    json!({"id": f.id, "score": round(f.score),
                           "why": format!("{words}; similarity of meaning {:.2}", f.meaning)})
                })
                .collect(),
        )
    }
}

/// The model for matching by meaning, unless --no-semantic or none is installed.
#[cfg(feature = "semantic")]
fn meaning<'a>(
    args: &Args,
    catalogue: &'a framewright_model::Catalogue,
) -> Result<Option<Meaning<'a>>> {
    let Some(semantic) = crate::cmd::models::load(args.no_semantic)? else {
        return Ok(None);
    };
    let weight = match args.semantic_weight {
        Some(w) if w.is_finite() && w >= 0.0 => w,
        Some(_) => bail!("--semantic-weight must be a number ≥ 0"),
        None => {
            framewright_generate::SelectionSettings::builtin()?
                .embeddings
                .weight
        }
    };
    eprintln!("matching by words and by meaning ({})", semantic.model());
    Ok(Some(Meaning {
        semantic,
        catalogue,
        weight,
    }))
}

/// Without the `semantic` feature there is no matching by meaning.
#[cfg(not(feature = "semantic"))]
fn meaning(args: &Args, _: &framewright_model::Catalogue) -> Result<Option<NoMeaning>> {
    let _ = (args.no_semantic, args.semantic_weight);
    Ok(None)
}

#[cfg(not(feature = "semantic"))]
enum NoMeaning {}

#[cfg(not(feature = "semantic"))]
impl NoMeaning {
    fn suggest(
        &self,
        _: &Query,
        _: &[framewright_search::Suggestion],
        _: usize,
    ) -> Result<Vec<Value>> {
        match *self {}
    }
}

/// Scores rounded to six decimals: enough to order, short to read, the same on every machine.
fn round(score: f64) -> f64 {
    (score * 1e6).round() / 1e6
}
