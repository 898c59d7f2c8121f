//! The limits on what a client or a file may make the program read, unpack and store: the one
//! definition the command line and the server share (documented, with the defaults below, in
//! `docs/server.md`, section "Limits").
//!
//! Readers check the archive and table limits while they read (an XLSX workbook or a zip is
//! refused before it is unpacked past the limit); [`Limits::check_catalogue`] and
//! [`Limits::check_framework`] check the size of what would be stored, before anything is.

use crate::{Catalogue, Framework};

/// The limits, each with a documented default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most an archive (an XLSX workbook, a zip of a release) may unpack to, all its files
    /// together, in bytes. Default 512 MiB (releases are unpacked to disk a piece at a time,
    /// never held whole).
    pub max_unpacked_bytes: u64,
    /// The most an XLSX workbook may unpack to, in bytes (workbooks are read into memory
    /// whole, so their limit is lower than a release's). Default 64 MiB.
    pub max_workbook_bytes: u64,
    /// The most a file in an archive may unpack to per byte it takes packed (a higher ratio is
    /// the mark of a "zip bomb"); only files that unpack to more than 1 MiB are checked.
    /// Default 200.
    pub max_compression_ratio: u64,
    /// The most files an archive may hold. Default 10,000.
    pub max_archive_entries: usize,
    /// The most rows a sheet or table file may have. Default 200,000.
    pub max_rows: usize,
    /// The most columns a sheet may use. Default 256.
    pub max_columns: usize,
    /// The most competencies, and the most reference roles, one catalogue may hold. Default
    /// 50,000.
    pub max_items: usize,
    /// The most competencies one framework may hold. Default 10,000.
    pub max_framework_competencies: usize,
    /// The longest name, title, label or identifier, in characters. Default 1,000.
    pub max_name_chars: usize,
    /// The longest definition, description, note or other text, in characters. Default 20,000.
    pub max_text_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_unpacked_bytes: 512 * 1024 * 1024,
            max_workbook_bytes: 64 * 1024 * 1024,
            max_compression_ratio: 200,
            max_archive_entries: 10_000,
            max_rows: 200_000,
            max_columns: 256,
            max_items: 50_000,
            max_framework_competencies: 10_000,
            max_name_chars: 1_000,
            max_text_chars: 20_000,
        }
    }
}

/// A limit that was exceeded: which one (its setting's name), its value and a sentence for
/// people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LimitExceeded {
    /// The limit's name, as the setting is called (`max_unpacked_bytes`).
    pub limit: &'static str,
    /// The limit's value.
    pub value: u64,
    /// What is too large, in plain words.
    pub message: String,
}

/// A limit exceeded at a place in a document (a JSON pointer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitIssue {
    /// Where (`/competencies/3/name`).
    pub pointer: String,
    /// Which limit.
    pub exceeded: LimitExceeded,
}

/// A size in bytes for people (`64 MiB`, `12 kB`).
pub fn bytes_for_people(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else if bytes >= 1_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else if bytes >= 1_000 {
        format!("{} kB", bytes / 1_000)
    } else {
        format!("{bytes} bytes")
    }
}

impl LimitExceeded {
    /// A limit named `limit` of `value`, with a sentence.
    pub fn new(limit: &'static str, value: u64, message: impl Into<String>) -> LimitExceeded {
        LimitExceeded {
            limit,
            value,
            message: message.into(),
        }
    }
}

struct Checker<'a> {
    limits: &'a Limits,
    issues: Vec<LimitIssue>,
}

impl Checker<'_> {
    fn push(&mut self, pointer: String, exceeded: LimitExceeded) {
        // A handful of places is enough to act on; a huge document does not get a huge answer.
        if self.issues.len() < 20 {
            self.issues.push(LimitIssue { pointer, exceeded });
        }
    }

    fn name(&mut self, pointer: impl FnOnce() -> String, text: &str) {
        let max = self.limits.max_name_chars;
        if text.chars().count() > max {
            self.push(
                pointer(),
                LimitExceeded::new(
                    "max_name_chars",
                    max as u64,
                    format!("this name is longer than {max} characters"),
                ),
            );
        }
    }

    fn names(&mut self, pointer: &str, texts: &[String]) {
        for (i, text) in texts.iter().enumerate() {
            self.name(|| format!("{pointer}/{i}"), text);
        }
    }

    fn text(&mut self, pointer: impl FnOnce() -> String, text: &str) {
        let max = self.limits.max_text_chars;
        // Bytes bound characters from above: only long texts are counted.
        if text.len() > max && text.chars().count() > max {
            self.push(
                pointer(),
                LimitExceeded::new(
                    "max_text_chars",
                    max as u64,
                    format!("this text is longer than {max} characters"),
                ),
            );
        }
    }

    fn texts(&mut self, pointer: &str, texts: &[String]) {
        for (i, text) in texts.iter().enumerate() {
            self.text(|| format!("{pointer}/{i}"), text);
        }
    }

    fn count(&mut self, pointer: &str, count: usize, limit: &'static str, max: usize, what: &str) {
        if count > max {
            self.push(
                pointer.to_string(),
                LimitExceeded::new(
                    limit,
                    max as u64,
                    format!("{count} {what} are more than the {max} allowed"),
                ),
            );
        }
    }
}

impl Limits {
    /// Checks the size of a catalogue before it is stored: how many competencies and reference
    /// roles it holds, and the length of every name and text. Empty when it is within limits.
    pub fn check_catalogue(&self, catalogue: &Catalogue) -> Vec<LimitIssue> {
        let mut c = Checker {
            limits: self,
            issues: Vec::new(),
        };
        c.count(
            "/competencies",
            catalogue.competencies.len(),
            "max_items",
            self.max_items,
            "competencies",
        );
        c.count(
            "/reference_roles",
            catalogue.reference_roles.len(),
            "max_items",
            self.max_items,
            "reference roles",
        );
        if !c.issues.is_empty() {
            return c.issues;
        }
        c.name(|| "/id".into(), &catalogue.id);
        c.name(|| "/name".into(), &catalogue.name);
        for (pointer, text) in [
            ("/title", &catalogue.title),
            ("/version", &catalogue.version),
            ("/publisher", &catalogue.publisher),
            ("/issued", &catalogue.issued),
            ("/url", &catalogue.url),
        ] {
            if let Some(text) = text {
                c.name(|| pointer.into(), text);
            }
        }
        c.text(|| "/licence".into(), &catalogue.licence);
        if let Some(text) = &catalogue.attribution {
            c.text(|| "/attribution".into(), text);
        }
        for (i, competency) in catalogue.competencies.iter().enumerate() {
            let at = format!("/competencies/{i}");
            c.name(|| format!("{at}/id"), &competency.id);
            c.name(|| format!("{at}/name"), &competency.name);
            if let Some(uri) = &competency.uri {
                c.name(|| format!("{at}/uri"), uri);
            }
            if let Some(definition) = &competency.definition {
                c.text(|| format!("{at}/definition"), definition);
            }
            c.names(&format!("{at}/alt_labels"), &competency.alt_labels);
            c.names(&format!("{at}/broader"), &competency.broader);
            c.texts(&format!("{at}/notes"), &competency.notes);
            c.count(
                &format!("{at}/alt_labels"),
                competency.alt_labels.len(),
                "max_items",
                self.max_items,
                "labels",
            );
        }
        for (i, role) in catalogue.reference_roles.iter().enumerate() {
            let at = format!("/reference_roles/{i}");
            c.name(|| format!("{at}/id"), &role.id);
            c.name(|| format!("{at}/title"), &role.title);
            c.names(&format!("{at}/alt_titles"), &role.alt_titles);
            if let Some(description) = &role.description {
                c.text(|| format!("{at}/description"), description);
            }
            c.texts(&format!("{at}/tasks"), &role.tasks);
            c.count(
                &format!("{at}/competencies"),
                role.competencies.len(),
                "max_items",
                self.max_items,
                "competencies",
            );
        }
        c.issues
    }

    /// Checks the size of a framework before it is stored: how many competencies it holds and
    /// the length of its names and texts. Empty when it is within limits.
    pub fn check_framework(&self, framework: &Framework) -> Vec<LimitIssue> {
        let mut c = Checker {
            limits: self,
            issues: Vec::new(),
        };
        c.count(
            "/competencies",
            framework.competencies.len(),
            "max_framework_competencies",
            self.max_framework_competencies,
            "competencies",
        );
        if !c.issues.is_empty() {
            return c.issues;
        }
        c.name(|| "/id".into(), &framework.id);
        c.name(|| "/title".into(), &framework.title);
        for (pointer, text) in [
            ("/owner", &framework.owner),
            ("/licence", &framework.licence),
        ] {
            if let Some(text) = text {
                c.name(|| pointer.into(), text);
            }
        }
        if let Some(description) = &framework.description {
            c.text(|| "/description".into(), description);
        }
        for (i, group) in framework.groups.iter().enumerate() {
            c.name(|| format!("/groups/{i}/name"), &group.name);
        }
        for (i, competency) in framework.competencies.iter().enumerate() {
            let at = format!("/competencies/{i}");
            c.name(|| format!("{at}/id"), &competency.id);
            c.name(|| format!("{at}/name"), &competency.name);
            if let Some(definition) = &competency.definition {
                c.text(|| format!("{at}/definition"), definition);
            }
            if let Some(rationale) = &competency.rationale {
                c.text(|| format!("{at}/rationale"), rationale);
            }
            c.names(&format!("{at}/alt_labels"), &competency.alt_labels);
            c.texts(&format!("{at}/notes"), &competency.notes);
            for (l, level) in competency.levels.iter().enumerate() {
                let level_at = format!("{at}/levels/{l}");
                c.texts(&format!("{level_at}/indicators"), &level.indicators);
            }
        }
        c.issues
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::{Competency, CompetencyKind};

    fn catalogue(n: usize) -> Catalogue {
        Catalogue {
            id: "c".into(),
            name: "C".into(),
            title: None,
            version: None,
            publisher: None,
            issued: None,
            licence: "CC0".into(),
            attribution: None,
            url: None,
            notes: Vec::new(),
            competencies: (0..n)
                .map(|i| Competency::new(format!("c{i}"), format!("C {i}"), CompetencyKind::Skill))
                .collect(),
            reference_roles: Vec::new(),
        }
    }

    #[test]
    fn catalogues_within_the_limits_pass_and_larger_ones_name_the_limit() {
        let limits = Limits {
            max_items: 3,
            max_name_chars: 10,
            max_text_chars: 20,
            ..Limits::default()
        };
        assert!(limits.check_catalogue(&catalogue(3)).is_empty());
        let issues = limits.check_catalogue(&catalogue(4));
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].pointer, "/competencies");
        assert_eq!(issues[0].exceeded.limit, "max_items");
        assert!(issues[0].exceeded.message.contains("4 competencies"));

        let mut long = catalogue(2);
        long.competencies[1].name = "x".repeat(11);
        long.competencies[0].definition = Some("é".repeat(21));
        let issues = limits.check_catalogue(&long);
        let pointers: Vec<&str> = issues.iter().map(|i| i.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/competencies/0/definition", "/competencies/1/name"]
        );
        // Characters, not bytes: twenty two-byte characters pass.
        long.competencies[0].definition = Some("é".repeat(20));
        long.competencies[1].name = "é".repeat(10);
        assert!(limits.check_catalogue(&long).is_empty());
    }

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(bytes_for_people(64 * 1024 * 1024), "64 MiB");
        assert_eq!(bytes_for_people(4_096), "4 kB");
        assert_eq!(bytes_for_people(12), "12 bytes");
    }
}
