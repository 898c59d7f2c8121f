//! The view model of a framework document: everything a reader sees, in reading order, as
//! plain text already worded for people. The HTML, Markdown, DOCX and PDF renderers all read
//! this one description, so the four documents cannot drift apart.

use std::collections::BTreeMap;

use framewright_model::framework::Status;
use framewright_model::{CompetencyKind, Evidence, Framework, FrameworkCompetency, RelationType};

use crate::export::profile_label;
use serde::Serialize;

/// Everything a framework document shows, in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentData {
    /// Title.
    pub title: String,
    /// "Competency framework".
    pub kind: String,
    /// Version.
    pub version: String,
    /// Status for people ("Draft", "In review", …).
    pub status: String,
    /// Owner.
    pub owner: Option<String>,
    /// What the framework is for.
    pub description: Option<String>,
    /// Licence of the framework's own content.
    pub licence: Option<String>,
    /// Review dates for people.
    pub review: Vec<(String, String)>,
    /// How the framework was made.
    pub made: Option<String>,
    /// How it was made, in detail (HTML and Markdown show it as its own section).
    pub provenance: Option<ProvenanceData>,
    /// The proficiency scale.
    pub scale: ScaleData,
    /// Competencies by group (groups in order, nested groups flattened with their path).
    pub sections: Vec<SectionData>,
    /// Role profiles.
    pub roles: Vec<RoleData>,
    /// Interview questions by competency.
    pub interview: Vec<InterviewData>,
    /// Which competencies the interview covers and that the rest are assessed otherwise, when
    /// only some competencies have questions.
    pub interview_note: Option<String>,
    /// Relations between competencies.
    pub relations: Vec<RelationData>,
    /// Sources and attributions.
    pub sources: Vec<SourceData>,
    /// Notices for readers (draft texts, missing definitions).
    pub notices: Vec<String>,
    /// Number of competencies.
    pub competency_count: usize,
}

/// The proficiency scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleData {
    /// Name.
    pub name: String,
    /// Where it comes from.
    pub source: Option<String>,
    /// Levels, lowest first.
    pub levels: Vec<ScaleLevelData>,
}

/// One level of the scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleLevelData {
    /// Number.
    pub level: u8,
    /// Name.
    pub name: String,
    /// General description.
    pub description: String,
}

/// A group of competencies.
#[derive(Debug, Clone, Serialize)]
pub struct SectionData {
    /// The group's name, with its parents (`Functional › Machine learning`).
    pub title: String,
    /// The group's description.
    pub description: Option<String>,
    /// Whether this is a group of the framework (not the catch-all for ungrouped ones).
    pub grouped: bool,
    /// Its competencies.
    pub competencies: Vec<CompetencyData>,
}

/// One competency.
#[derive(Debug, Clone, Serialize)]
pub struct CompetencyData {
    /// Id.
    pub id: String,
    /// Number in reading order, from 1.
    pub number: usize,
    /// A stable anchor for links to it (`c2-data-analysis`).
    pub anchor: String,
    /// Its group's name, with its parents.
    pub group: Option<String>,
    /// Name.
    pub name: String,
    /// Kind for people ("General (core)", "Technical", …).
    pub kind: String,
    /// Definition.
    pub definition: Option<String>,
    /// Other names.
    pub alt_labels: Vec<String>,
    /// Where it comes from, for people.
    pub source: Option<String>,
    /// Why it is in the framework, in words.
    pub rationale: Option<String>,
    /// The numbers and evidence behind the rationale and targets (scores, matched words,
    /// formulas), one line each: documents show them only behind "details".
    pub details: Vec<String>,
    /// Whether the interview does not cover it while it covers others.
    pub not_interviewed: bool,
    /// OPM grade applicability for people (`Confirmed for selection at GS-12, GS-13`).
    pub grades: Option<String>,
    /// Importance ranks for people.
    pub importance: Option<String>,
    /// Notes.
    pub notes: Vec<String>,
    /// Levels with content, lowest first.
    pub levels: Vec<LevelData>,
    /// Its required level in each role profile, in the order of [`DocumentData::roles`]
    /// (`4 (Advanced), weight 0.90`; empty where a profile does not name it).
    pub by_profile: Vec<String>,
    /// The role profiles that name it, with the level they require.
    pub targets: Vec<CompetencyTargetData>,
    /// Its interview questions.
    pub questions: Vec<QuestionData>,
    /// The rating anchors all its questions share (then shown once, not per question).
    pub shared_anchors: Vec<(u8, String)>,
}

/// One level of one competency.
#[derive(Debug, Clone, Serialize)]
pub struct LevelData {
    /// Number.
    pub level: u8,
    /// The scale's name for it.
    pub name: String,
    /// Number and name (`4 (Advanced)`).
    pub label: String,
    /// What the level handles.
    pub description: Option<String>,
    /// Behavioural indicators.
    pub indicators: Vec<String>,
    /// Composed from templates, to be reviewed.
    pub draft: bool,
}

/// A role profile.
#[derive(Debug, Clone, Serialize)]
pub struct RoleData {
    /// Title.
    pub title: String,
    /// Title with grade or level (`Data Analyst (GS-13)`).
    pub label: String,
    /// Job family.
    pub job_family: Option<String>,
    /// Job family, grade or level, for people.
    pub meta: Option<String>,
    /// What the role does.
    pub description: Option<String>,
    /// Required levels.
    pub targets: Vec<TargetData>,
}

/// One required level.
#[derive(Debug, Clone, Serialize)]
pub struct TargetData {
    /// Competency name.
    pub competency: String,
    /// Level number and name (`3 Intermediate`).
    pub level: String,
    /// Weight as a percentage (`40 %`).
    pub weight: Option<String>,
    /// Why, in words.
    pub note: Option<String>,
    /// How the level and weight were computed (for "details" only).
    pub details: Option<String>,
}

/// The interview questions of one competency.
#[derive(Debug, Clone, Serialize)]
pub struct InterviewData {
    /// Competency name.
    pub competency: String,
    /// Questions.
    pub questions: Vec<QuestionData>,
}

/// One question.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionData {
    /// The question.
    pub question: String,
    /// Follow-up.
    pub follow_up: Option<String>,
    /// Rating anchors, lowest first.
    pub anchors: Vec<(u8, String)>,
}

/// A relation.
#[derive(Debug, Clone, Serialize)]
pub struct RelationData {
    /// From (name).
    pub from: String,
    /// The relation in words ("is needed before").
    pub kind: String,
    /// To (name or external id).
    pub to: String,
    /// Remark.
    pub note: Option<String>,
}

/// A source.
#[derive(Debug, Clone, Serialize)]
pub struct SourceData {
    /// Name.
    pub name: String,
    /// Licence.
    pub licence: Option<String>,
    /// Attribution text.
    pub attribution: Option<String>,
    /// Where.
    pub url: Option<String>,
}

/// A role profile's requirement, seen from the competency.
#[derive(Debug, Clone, Serialize)]
pub struct CompetencyTargetData {
    /// The profile (`Data Analyst (GS-13)`).
    pub profile: String,
    /// Level number and name (`4 (Advanced)`).
    pub level: String,
    /// Weight (`0.90`).
    pub weight: Option<String>,
    /// Why, in words.
    pub note: Option<String>,
    /// How the level and weight were computed (for "details" only).
    pub details: Option<String>,
}

/// How the framework was made.
#[derive(Debug, Clone, Serialize)]
pub struct ProvenanceData {
    /// The generator (`framewright 0.1.0`).
    pub generator: String,
    /// When.
    pub generated_at: Option<String>,
    /// The method in words, one step a line.
    pub method: Vec<String>,
    /// The method's numbers, one a line (for "details" only).
    pub details: Vec<String>,
    /// The tasks of the role as the user gave them.
    pub tasks: Vec<String>,
}

fn kind_label(kind: CompetencyKind) -> &'static str {
    match kind {
        CompetencyKind::General => "General (core)",
        CompetencyKind::Technical => "Technical",
        CompetencyKind::Knowledge => "Knowledge",
        CompetencyKind::Skill => "Skill",
        CompetencyKind::Ability => "Ability",
        CompetencyKind::Unspecified => "Competency",
    }
}

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::InReview => "In review",
        Status::Published => "Published",
        Status::Retired => "Retired",
    }
}

fn relation_words(kind: &RelationType) -> String {
    match kind {
        RelationType::Prerequisite => "is needed before".into(),
        RelationType::Broader => "is part of the broader".into(),
        RelationType::Narrower => "includes the narrower".into(),
        RelationType::Related => "is related to".into(),
        RelationType::ExactMatch => "means the same as".into(),
        RelationType::CloseMatch => "means nearly the same as".into(),
        RelationType::ReplacedBy => "is replaced by".into(),
        RelationType::Custom(name) => name.replace('_', " "),
    }
}

/// A stable anchor for a competency heading.
fn anchor(number: usize, id: &str) -> String {
    let id: String = id
        .chars()
        .map(|ch| {
            if ch.is_ascii_alphanumeric() || ch == '-' {
                ch
            } else {
                '-'
            }
        })
        .collect();
    format!("c{number}-{id}")
}

/// Reading the framework: names of competencies, levels, groups and sources.
struct Lookup<'a> {
    f: &'a Framework,
    source_names: BTreeMap<&'a str, &'a str>,
}

impl<'a> Lookup<'a> {
    fn new(f: &'a Framework) -> Self {
        let source_names = f
            .sources
            .iter()
            .map(|s| (s.catalogue.as_str(), s.name.as_str()))
            .collect();
        Lookup { f, source_names }
    }

    fn name_of(&self, id: &str) -> String {
        self.f
            .competency(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    fn level_name(&self, level: u8) -> String {
        self.f
            .scale
            .level(level)
            .map_or_else(|| format!("Level {level}"), |l| l.name.clone())
    }

    /// "4 (Advanced)", or "4" when the scale has no name for it.
    fn level_label(&self, level: u8) -> String {
        crate::export::level_label(self.f, level)
    }

    fn group_path(&self, id: &str) -> String {
        let mut parts = Vec::new();
        let mut current = Some(id.to_string());
        let mut guard = 0;
        while let Some(g) = current {
            guard += 1;
            if guard > 32 {
                break;
            }
            match self.f.groups.iter().find(|x| x.id == g) {
                Some(group) => {
                    parts.push(group.name.clone());
                    current = group.parent.clone();
                }
                None => break,
            }
        }
        parts.reverse();
        parts.join(" › ")
    }

    /// Groups in a depth-first order, so nested groups follow their parent.
    fn ordered_groups(&self) -> Vec<&'a str> {
        fn visit<'a>(f: &'a Framework, parent: Option<&str>, out: &mut Vec<&'a str>, depth: usize) {
            if depth > 32 {
                return;
            }
            for g in f.groups.iter().filter(|g| g.parent.as_deref() == parent) {
                out.push(g.id.as_str());
                visit(f, Some(&g.id), out, depth + 1);
            }
        }
        let mut ordered = Vec::new();
        visit(self.f, None, &mut ordered, 0);
        for g in &self.f.groups {
            if !ordered.contains(&g.id.as_str()) {
                ordered.push(g.id.as_str());
            }
        }
        ordered
    }
}

/// Counts for the readers' notices.
#[derive(Default)]
struct Counts {
    drafts: usize,
    missing: usize,
}

fn grades_text(c: &FrameworkCompetency) -> Option<String> {
    if c.grades.is_empty() {
        return None;
    }
    let with = |mark: &str| -> Vec<String> {
        c.grades
            .iter()
            .filter(|(_, m)| m.as_str() == mark)
            .map(|(g, _)| g.to_string())
            .collect()
    };
    let (confirmed, not_rated) = (with("X"), with("NR"));
    let mut parts = Vec::new();
    if !confirmed.is_empty() {
        parts.push(format!(
            "confirmed for selection at {}",
            confirmed.join(", ")
        ));
    }
    if !not_rated.is_empty() {
        parts.push(format!("not rated at {}", not_rated.join(", ")));
    }
    let text = parts.join("; ");
    let mut chars = text.chars();
    Some(chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    }))
}

fn questions(c: &FrameworkCompetency) -> Vec<QuestionData> {
    c.interview
        .iter()
        .map(|q| QuestionData {
            question: q.question.clone(),
            follow_up: q.follow_up.clone(),
            anchors: q.anchors.iter().map(|(k, v)| (*k, v.clone())).collect(),
        })
        .collect()
}

impl Lookup<'_> {
    fn levels(&self, c: &FrameworkCompetency, counts: &mut Counts) -> Vec<LevelData> {
        let mut levels: Vec<LevelData> = c
            .levels
            .iter()
            .map(|l| {
                if l.draft {
                    counts.drafts += 1;
                }
                LevelData {
                    level: l.level,
                    name: self.level_name(l.level),
                    label: self.level_label(l.level),
                    description: l.description.clone().filter(|d| !d.trim().is_empty()),
                    indicators: l.indicators.clone(),
                    draft: l.draft,
                }
            })
            .collect();
        levels.sort_by_key(|l| l.level);
        levels
    }

    /// The competency's required level in each role profile, for the overview table.
    fn by_profile(&self, c: &FrameworkCompetency) -> Vec<String> {
        self.f
            .role_profiles
            .iter()
            .map(|p| {
                p.targets
                    .iter()
                    .find(|t| t.competency == c.id)
                    .map_or(String::new(), |t| match t.weight {
                        Some(w) => format!("{}, weight {w:.2}", self.level_label(t.level)),
                        None => self.level_label(t.level),
                    })
            })
            .collect()
    }

    fn targets(&self, c: &FrameworkCompetency) -> Vec<CompetencyTargetData> {
        self.f
            .role_profiles
            .iter()
            .flat_map(|p| p.targets.iter().map(move |t| (p, t)))
            .filter(|(_, t)| t.competency == c.id)
            .map(|(p, t)| CompetencyTargetData {
                profile: profile_label(p),
                level: self.level_label(t.level),
                weight: t.weight.map(|w| format!("{w:.2}")),
                note: t.note.clone(),
                details: t.details.clone(),
            })
            .collect()
    }

    fn competency(&self, c: &FrameworkCompetency, counts: &mut Counts) -> CompetencyData {
        if c.definition.is_none() {
            counts.missing += 1;
        }
        let importance = c.importance_rank.map(|r| {
            let rank =
                |x: Option<u32>| x.map_or_else(|| "not ranked".to_string(), |n| format!("#{n}"));
            format!(
                "Importance rank now {}, in three years {}",
                rank(r.current),
                rank(r.future)
            )
        });
        let questions = questions(c);
        let shared =
            c.interview.len() > 1 && c.interview.windows(2).all(|w| w[0].anchors == w[1].anchors);
        CompetencyData {
            number: 0,
            anchor: String::new(),
            group: c
                .group
                .as_deref()
                .filter(|g| self.f.groups.iter().any(|x| x.id == *g))
                .map(|g| self.group_path(g)),
            id: c.id.clone(),
            name: c.name.clone(),
            kind: kind_label(c.kind).into(),
            definition: c.definition.clone(),
            alt_labels: c.alt_labels.clone(),
            source: c.source.as_ref().map(|s| {
                let name = self
                    .source_names
                    .get(s.catalogue.as_str())
                    .copied()
                    .unwrap_or(s.catalogue.as_str());
                format!("{name} ({})", s.id)
            }),
            rationale: c.rationale.clone(),
            details: competency_details(self.f, c),
            not_interviewed: c.interview.is_empty()
                && self.f.competencies.iter().any(|o| !o.interview.is_empty()),
            grades: grades_text(c),
            importance,
            notes: c.notes.clone(),
            levels: self.levels(c, counts),
            by_profile: self.by_profile(c),
            targets: self.targets(c),
            shared_anchors: if shared {
                questions
                    .first()
                    .map(|q| q.anchors.clone())
                    .unwrap_or_default()
            } else {
                Vec::new()
            },
            questions,
        }
    }

    fn sections(&self, counts: &mut Counts) -> Vec<SectionData> {
        let f = self.f;
        let mut sections = Vec::new();
        for group_id in self.ordered_groups() {
            let group = f.groups.iter().find(|g| g.id == group_id);
            let competencies: Vec<CompetencyData> = f
                .competencies
                .iter()
                .filter(|c| c.group.as_deref() == Some(group_id))
                .map(|c| self.competency(c, counts))
                .collect();
            if competencies.is_empty() && group.is_some_and(|g| g.description.is_none()) {
                continue;
            }
            sections.push(SectionData {
                title: self.group_path(group_id),
                description: group.and_then(|g| g.description.clone()),
                grouped: true,
                competencies,
            });
        }
        let ungrouped: Vec<CompetencyData> = f
            .competencies
            .iter()
            .filter(|c| {
                c.group
                    .as_ref()
                    .is_none_or(|g| !f.groups.iter().any(|x| &x.id == g))
            })
            .map(|c| self.competency(c, counts))
            .collect();
        if !ungrouped.is_empty() {
            sections.push(SectionData {
                title: if sections.is_empty() {
                    "Competencies".into()
                } else {
                    "Other competencies".into()
                },
                description: None,
                grouped: false,
                competencies: ungrouped,
            });
        }
        // Number the competencies in reading order.
        let mut number = 0;
        for c in sections.iter_mut().flat_map(|s| s.competencies.iter_mut()) {
            number += 1;
            c.number = number;
            c.anchor = anchor(number, &c.id);
        }
        sections
    }

    fn roles(&self) -> Vec<RoleData> {
        self.f
            .role_profiles
            .iter()
            .map(|p| {
                let mut meta = Vec::new();
                if let Some(family) = &p.job_family {
                    meta.push(format!("Job family: {family}"));
                }
                if let Some(grade) = p.grade {
                    meta.push(format!("Grade: {grade}"));
                }
                if let Some(level) = p.level {
                    meta.push(format!("Level: {level}"));
                }
                RoleData {
                    title: p.title.clone(),
                    label: profile_label(p),
                    job_family: p.job_family.clone(),
                    meta: (!meta.is_empty()).then(|| meta.join(" · ")),
                    description: p.description.clone(),
                    targets: p
                        .targets
                        .iter()
                        .map(|t| TargetData {
                            competency: self.name_of(&t.competency),
                            level: format!("{} {}", t.level, self.level_name(t.level)),
                            weight: t.weight.map(|w| format!("{:.0} %", w * 100.0)),
                            note: t.note.clone(),
                            details: t.details.clone(),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    fn interview(&self) -> Vec<InterviewData> {
        self.f
            .competencies
            .iter()
            .filter(|c| !c.interview.is_empty())
            .map(|c| InterviewData {
                competency: c.name.clone(),
                questions: questions(c),
            })
            .collect()
    }

    fn relations(&self) -> Vec<RelationData> {
        self.f
            .relations
            .iter()
            .map(|r| RelationData {
                from: self.name_of(&r.from),
                kind: relation_words(&r.kind),
                to: if r.external {
                    format!("{} (outside this framework)", r.to)
                } else {
                    self.name_of(&r.to)
                },
                note: r.note.clone(),
            })
            .collect()
    }
}

fn notices(counts: &Counts) -> Vec<String> {
    let mut notices = Vec::new();
    let Counts { drafts, missing } = counts;
    if *drafts > 0 {
        notices.push(format!(
            "{drafts} level descriptions are marked “draft”: they were composed from templates and need a subject-matter expert's review before use."
        ));
    }
    if *missing > 0 {
        notices.push(format!(
            "{missing} competencies have no definition: the source gives none, and Framewright does not invent one."
        ));
    }
    notices
}

/// The numbers behind a competency's rationale and targets (scores, matched words, grade cell,
/// weight formulas, catalogue id), one line each, for the "details" of documents and web pages;
/// empty for competencies no program chose.
pub fn competency_details(f: &Framework, c: &FrameworkCompetency) -> Vec<String> {
    let Some(evidence) = &c.evidence else {
        return Vec::new();
    };
    let mut lines = evidence_lines(evidence);
    for p in &f.role_profiles {
        for t in p.targets.iter().filter(|t| t.competency == c.id) {
            if let Some(d) = &t.details {
                lines.push(format!("Target for {}: {d}", profile_label(p)));
            }
        }
    }
    if let Some(s) = &c.source {
        lines.push(format!(
            "Catalogue {}, competency id “{}”.",
            s.catalogue, s.id
        ));
    }
    lines
}

/// The evidence behind a rationale as lines of numbers for the "details".
fn evidence_lines(e: &Evidence) -> Vec<String> {
    let mut lines = Vec::new();
    let mut scores = Vec::new();
    if let Some(p) = &e.position {
        scores.push(p.clone());
    }
    if e.included {
        scores.push("included at the role's request".to_string());
    }
    if let Some(s) = e.score {
        scores.push(format!("suggestion score {s:.2}"));
    }
    if let Some(s) = e.final_score {
        let bonus = e.task_bonus.map_or(String::new(), |b| {
            let tasks: Vec<String> = e
                .covered_tasks
                .iter()
                .map(|t| format!("task {t}"))
                .collect();
            format!(" with task-coverage bonus {b:.2} for {}", tasks.join(", "))
        });
        scores.push(format!("final score {s:.2}{bonus}"));
    }
    if let Some(t) = e.text_relevance {
        scores.push(format!("text relevance {t:.2}"));
    }
    if let Some(s) = e.semantic_similarity {
        scores.push(format!("semantic similarity {s:.2}"));
    }
    if !scores.is_empty() {
        lines.push(format!("Scores: {}.", scores.join("; ")));
    }
    if let Some(p) = e.prior {
        let why = e
            .prior_reason
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})"));
        lines.push(format!("Prior {p:.2}{why}."));
    }
    if let (Some(g), Some(mark)) = (e.grade, e.grade_mark) {
        lines.push(format!("OPM grade table at {g}: {}.", mark.as_str()));
    }
    if !e.matches.is_empty() {
        let shown: Vec<String> = e
            .matches
            .iter()
            .map(|m| {
                let fields = if m.fields.is_empty() {
                    String::new()
                } else {
                    format!(" in its {}", m.fields.join(" and "))
                };
                format!("“{}” ({}){fields}", m.word, m.sources.join(", "))
            })
            .collect();
        lines.push(format!("Matched words: {}.", shown.join("; ")));
    }
    if !e.reference_roles.is_empty() {
        let shown: Vec<String> = e
            .reference_roles
            .iter()
            .map(|r| format!("{} ({}, similarity {:.2})", r.title, r.id, r.similarity))
            .collect();
        let of = e
            .reference_consulted
            .map_or(String::new(), |n| format!(" of {n} consulted"));
        lines.push(format!("Reference roles{of}: {}.", shown.join("; ")));
    }
    lines
}

/// "The structured interview covers 7 of the 10 competencies …", when only some have questions.
pub fn interview_note(f: &Framework) -> Option<String> {
    let (asked, other): (Vec<&FrameworkCompetency>, Vec<&FrameworkCompetency>) =
        f.competencies.iter().partition(|c| !c.interview.is_empty());
    if asked.is_empty() || other.is_empty() {
        return None;
    }
    let names = |list: &[&FrameworkCompetency]| -> String {
        let names: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
        match names.split_last() {
            Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
            _ => names.join(""),
        }
    };
    Some(format!(
        "The structured interview covers {} of the {} competencies: {}. Assess the other {} ({}) another way, for example with a work sample, the application or references.",
        in_words(asked.len()),
        in_words(f.competencies.len()),
        names(&asked),
        in_words(other.len()),
        names(&other)
    ))
}

/// Small numbers in words, larger ones in digits.
fn in_words(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

fn review(f: &Framework) -> Vec<(String, String)> {
    let date = |label: &str, d: Option<time::Date>| d.map(|d| (label.to_string(), d.to_string()));
    [
        date("Last reviewed", f.review.last_reviewed),
        date("Next review", f.review.next_review),
        date("Next thorough update", f.review.next_major_update),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn made(f: &Framework) -> Option<String> {
    f.provenance.as_ref().map(|p| {
        let mut text = format!("Made with {}", p.generator);
        if let Some(method) = &p.method {
            text.push_str(&format!(" ({method})"));
        }
        if let Some(role) = &p.role {
            text.push_str(&format!(" for the role “{}”", role.title));
        }
        text.push('.');
        text
    })
}

fn provenance(f: &Framework) -> Option<ProvenanceData> {
    f.provenance.as_ref().map(|p| ProvenanceData {
        generator: p.generator.clone(),
        generated_at: p.generated_at.clone(),
        method: p
            .method
            .iter()
            .flat_map(|m| m.lines())
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        details: p
            .details
            .iter()
            .cloned()
            .chain(p.left_out.iter().filter_map(|l| {
                l.final_score.map(|s| {
                    format!(
                        "Left out: {} ({}, {} “{}”): final score {s:.2}.",
                        l.name, l.group, l.source.catalogue, l.source.id
                    )
                })
            }))
            .collect(),
        tasks: p.role.as_ref().map(|r| r.tasks.clone()).unwrap_or_default(),
    })
}

impl DocumentData {
    /// The document content of `framework`.
    pub fn from_framework(f: &Framework) -> DocumentData {
        let lookup = Lookup::new(f);
        let mut counts = Counts::default();
        let sections = lookup.sections(&mut counts);
        DocumentData {
            title: f.title.clone(),
            kind: "Competency framework".into(),
            version: f.version.to_string(),
            status: status_label(f.status).into(),
            owner: f.owner.clone(),
            description: f.description.clone(),
            licence: f.licence.clone(),
            review: review(f),
            made: made(f),
            provenance: provenance(f),
            scale: ScaleData {
                name: f.scale.name.clone(),
                source: f.scale.source.clone(),
                levels: f
                    .scale
                    .levels
                    .iter()
                    .map(|l| ScaleLevelData {
                        level: l.level,
                        name: l.name.clone(),
                        description: l.description.clone(),
                    })
                    .collect(),
            },
            sections,
            roles: lookup.roles(),
            interview: lookup.interview(),
            interview_note: interview_note(f),
            relations: lookup.relations(),
            sources: f
                .sources
                .iter()
                .map(|s| SourceData {
                    name: s.name.clone(),
                    licence: s.licence.clone(),
                    attribution: s.attribution.clone(),
                    // Only web addresses become links (never `javascript:` and the like).
                    url: s
                        .url
                        .clone()
                        .filter(|u| framewright_model::text::is_web_url(u)),
                })
                .collect(),
            notices: notices(&counts),
            competency_count: f.competencies.len(),
        }
    }
}
