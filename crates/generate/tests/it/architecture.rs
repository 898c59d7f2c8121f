//! The architecture rule "the domain does no I/O" (docs/architecture.md), checked on the sources:
//! the domain crates (model, catalog, search, generate, stats, hiring, workforce) may not
//! depend, directly or through another crate, on a database, HTTP or async-runtime crate, nor on
//! a front-door crate of the workspace, and their `src/` may not touch the file system, the
//! network, the environment or other processes. Test modules (`#[cfg(test)] mod …`) and tests
//! are exempt: they may read fixtures.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates that must stay pure.
const DOMAIN: [&str; 7] = [
    "model",
    "catalog",
    "search",
    "generate",
    "stats",
    "hiring",
    "workforce",
];

/// Crates a domain crate may not use, directly or transitively: databases, HTTP, async runtimes.
const FORBIDDEN_CRATES: [&str; 9] = [
    "sqlx", "axum", "tokio", "reqwest", "hyper", "ureq", "hf-hub", "rusqlite", "postgres",
];

/// Source text that means I/O. Matched on code with comments and string literals removed.
const FORBIDDEN_PATHS: [&str; 12] = [
    "std::fs",
    "std::net",
    "std::process",
    "std::env",
    "std::io::stdin",
    "std::io::stdout",
    "std::io::stderr",
    "File::open",
    "File::create",
    "OpenOptions",
    "TcpStream",
    "TcpListener",
];

/// `std` modules that may not be imported in a group (`use std::{fs, …}`).
const FORBIDDEN_STD_MODULES: [&str; 4] = ["fs", "net", "process", "env"];

/// Exceptions, each with the reason it is not I/O: (crate, file under `src/`, text, reason).
/// Empty today; add an entry only for something that merely looks like I/O.
const ALLOWED: [(&str, &str, &str, &str); 0] = [];

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/ directory")
        .to_path_buf()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names of a crate's normal and build dependencies (dev-dependencies may do I/O).
fn manifest_dependencies(crate_dir: &Path) -> BTreeSet<String> {
    let manifest: toml::Table = read(&crate_dir.join("Cargo.toml")).parse().unwrap();
    let mut tables: Vec<&toml::Table> = Vec::new();
    for key in ["dependencies", "build-dependencies"] {
        if let Some(t) = manifest.get(key).and_then(|v| v.as_table()) {
            tables.push(t);
        }
    }
    if let Some(targets) = manifest.get("target").and_then(|v| v.as_table()) {
        for target in targets.values().filter_map(|v| v.as_table()) {
            for key in ["dependencies", "build-dependencies"] {
                if let Some(t) = target.get(key).and_then(|v| v.as_table()) {
                    tables.push(t);
                }
            }
        }
    }
    let mut names = BTreeSet::new();
    for table in tables {
        for (key, spec) in table {
            let renamed = spec
                .as_table()
                .and_then(|t| t.get("package"))
                .and_then(|p| p.as_str());
            names.insert(renamed.unwrap_or(key).to_string());
        }
    }
    names
}

/// Every package of Cargo.lock with the names of the packages it depends on (all versions
/// merged, which can only over-report).
fn lock_graph() -> BTreeMap<String, BTreeSet<String>> {
    let lock: toml::Table = read(&crates_dir().join("../Cargo.lock")).parse().unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for package in lock["package"].as_array().unwrap() {
        let name = package["name"].as_str().unwrap().to_string();
        let entry = graph.entry(name).or_default();
        for dep in package
            .get("dependencies")
            .and_then(|d| d.as_array())
            .into_iter()
            .flatten()
        {
            let dep = dep.as_str().unwrap();
            entry.insert(dep.split(' ').next().unwrap().to_string());
        }
    }
    graph
}

/// The packages a domain crate builds on: its manifest's dependencies, then theirs from
/// Cargo.lock (a workspace crate's from its manifest, so that its dev-dependencies do not count),
/// each with the chain that leads to it.
fn dependency_closure(
    name: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
) -> BTreeMap<String, String> {
    let workspace_crate = |n: &str| -> Option<PathBuf> {
        let dir = crates_dir().join(n.strip_prefix("framewright-")?);
        dir.join("Cargo.toml").exists().then_some(dir)
    };
    let mut reached: BTreeMap<String, String> = BTreeMap::new();
    let mut stack = vec![(name.to_string(), name.to_string())];
    while let Some((current, chain)) = stack.pop() {
        let next = match workspace_crate(&current) {
            Some(dir) => manifest_dependencies(&dir),
            None => graph.get(&current).cloned().unwrap_or_default(),
        };
        for dep in next {
            if !reached.contains_key(&dep) {
                let dep_chain = format!("{chain} → {dep}");
                reached.insert(dep.clone(), dep_chain.clone());
                stack.push((dep, dep_chain));
            }
        }
    }
    reached
}

#[test]
fn domain_crates_do_not_depend_on_io_crates() {
    let graph = lock_graph();
    let domain: BTreeSet<String> = DOMAIN.iter().map(|c| format!("framewright-{c}")).collect();
    let mut problems = Vec::new();
    for name in &domain {
        for (dep, chain) in dependency_closure(name, &graph) {
            if FORBIDDEN_CRATES.contains(&dep.as_str()) {
                problems.push(format!("{name} depends on {dep}: {chain}"));
            }
            if dep.starts_with("framewright-") && !domain.contains(&dep) {
                problems.push(format!(
                    "{name} depends on the front-door crate {dep}: {chain}"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the domain does no I/O:\n{}",
        problems.join("\n")
    );
}

/// Rust source with comments, string and character literals blanked out (newlines kept so
/// line numbers stay right), and every `#[cfg(test)]` item removed.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i..].starts_with(&['/', '*']) {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i..].starts_with(&['*', '/']) {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if let Some(len) = raw_string_len(rest) {
            out.extend(rest[..len].iter().map(|&c| blank(c)));
            i += len;
        } else if rest[0] == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if rest[0] == '\'' && char_literal_len(rest).is_some() {
            let len = char_literal_len(rest).unwrap_or(1);
            out.extend(std::iter::repeat_n(' ', len));
            i += len;
        } else {
            out.push(rest[0]);
            i += 1;
        }
    }
    remove_test_items(&out)
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting here, if one does.
fn raw_string_len(s: &[char]) -> Option<usize> {
    let start = match s {
        ['r', ..] => 1,
        ['b', 'r', ..] => 2,
        _ => return None,
    };
    let hashes = s[start..].iter().take_while(|&&c| c == '#').count();
    if s.get(start + hashes) != Some(&'"') {
        return None;
    }
    let body = start + hashes + 1;
    let close: Vec<char> = std::iter::once('"')
        .chain(std::iter::repeat_n('#', hashes))
        .collect();
    (body..s.len())
        .find(|&j| s[j..].starts_with(&close))
        .map(|j| j + close.len())
}

/// The length of a character literal (`'x'`, `'\n'`, `'\u{7b}'`) starting here; `None` for a
/// lifetime.
fn char_literal_len(s: &[char]) -> Option<usize> {
    if s.get(1) == Some(&'\\') {
        let end = s.iter().skip(2).position(|&c| c == '\'')?;
        return Some(end + 3);
    }
    (s.get(2) == Some(&'\'')).then_some(3)
}

/// Code with every item marked `#[cfg(test)]` blanked out (its braces matched).
fn remove_test_items(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let marker: Vec<char> = "#[cfg(test)]".chars().collect();
    let mut i = 0;
    while i < out.len() {
        if !out[i..].starts_with(&marker) {
            i += 1;
            continue;
        }
        let Some(open) = (i..out.len()).find(|&j| out[j] == '{' || out[j] == ';') else {
            break;
        };
        let mut end = open;
        if out[open] == '{' {
            let mut depth = 0usize;
            for (j, &c) in out.iter().enumerate().skip(open) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = j;
                    break;
                }
            }
        }
        for c in &mut out[i..=end] {
            if *c != '\n' {
                *c = ' ';
            }
        }
        i = end + 1;
    }
    out.into_iter().collect()
}

/// The forbidden uses in one file's code, as "line: text".
fn io_uses(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let squeezed: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        for path in FORBIDDEN_PATHS {
            if squeezed.contains(path) {
                found.push((n + 1, path.to_string()));
            }
        }
    }
    // Grouped imports span lines and nest: `use std::{collections::BTreeMap, io::{self, Read}, fs};`.
    for (at, _) in code.match_indices("std::{") {
        let line = code[..at].matches('\n').count() + 1;
        for module in top_level_items(&code[at + "std::{".len()..]) {
            if FORBIDDEN_STD_MODULES.contains(&module.as_str()) {
                found.push((line, format!("use std::{{{module}…}}")));
            }
        }
    }
    found
}

/// The first path segment of each top-level item of a brace group, given the text after its
/// opening brace: `io::{self, Read}, fs}` gives `io` and `fs`.
fn top_level_items(group: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => items.push(std::mem::take(&mut current)),
            _ => {}
        }
        if depth == 0 && c != ',' && c != '}' {
            current.push(c);
        }
    }
    items.push(current);
    items
        .iter()
        .filter_map(|item| item.split("::").next())
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect()
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn domain_sources_do_no_io() {
    let mut problems = Vec::new();
    for name in DOMAIN {
        let src = crates_dir().join(name).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        assert!(!files.is_empty(), "no sources found in {}", src.display());
        for file in files {
            let relative = file.strip_prefix(&src).unwrap().display().to_string();
            for (line, text) in io_uses(&code_only(&read(&file))) {
                let allowed = ALLOWED
                    .iter()
                    .any(|(c, f, t, _)| *c == name && *f == relative && *t == text);
                if !allowed {
                    problems.push(format!("crates/{name}/src/{relative}:{line}: {text}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the domain does no I/O:\n{}",
        problems.join("\n")
    );
}

/// The checker itself: it must see through formatting and ignore comments, strings and tests.
#[test]
fn the_io_check_finds_uses_and_ignores_comments_strings_and_tests() {
    let code = code_only(
        "use std::{collections::BTreeMap, io::{self, Read},\n    fs};\n\
         fn a() { let _ = std::fs::read(\"x\"); }\n\
         // std::net in a comment\n\
         const S: &str = \"std::process\"; const R: &str = r#\"File::open\"#;\n\
         fn b<'a>(x: &'a str) -> char { '{' }\n\
         #[cfg(test)]\nmod tests { fn c() { std::env::var(\"X\"); } }\n\
         fn d() { let _ = File :: open(\"y\"); }\n",
    );
    let found = io_uses(&code);
    let texts: Vec<&str> = found.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["std::fs", "File::open", "use std::{fs…}"],
        "{found:?}"
    );
    assert_eq!(found[0].0, 3);
    assert_eq!(found[1].0, 9);
    assert_eq!(found[2].0, 1, "a grouped import is reported at its line");
}

/// The dependency walk itself: it must reach indirect dependencies, and it must see a front
/// door's I/O crates (so that a domain crate depending on one would be caught).
#[test]
fn the_dependency_walk_reaches_indirect_dependencies() {
    let graph = lock_graph();
    let hiring = dependency_closure("framewright-hiring", &graph);
    assert!(hiring.contains_key("framewright-stats"), "{hiring:?}");
    assert!(
        hiring.contains_key("faer"),
        "hiring → stats → faer: {hiring:?}"
    );
    assert!(
        !hiring.contains_key("proptest"),
        "dev-dependencies do not count"
    );
    let server = dependency_closure("framewright-server", &graph);
    for io in ["axum", "tokio", "sqlx"] {
        assert!(server.contains_key(io), "the server uses {io}: {server:?}");
    }
}
