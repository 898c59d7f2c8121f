//! The framework generator: a role in, a cited, lint-clean competency framework out. Pure: it
//! takes values (the role, catalogues, curated content, templates, settings and a [`Ranker`])
//! and returns a [`Framework`]; it reads no files and asks no clock.
//!
//! The steps, each in its own module:
//! 1. **Suggest** ([`rank`]): a [`Ranker`] — the suggestion engine of `framewright-search` —
//!    scores every catalogue's competencies for the role; the generator adds OPM's grade
//!    applicability and importance ranks as priors.
//! 2. **Select** (`select`): 6–12 competencies, 3–5 core and 3–7 functional, honouring
//!    includes and excludes, never two that overlap.
//! 3. **Explain** (`explain`, `provenance`): a rationale per competency in plain words, its
//!    evidence with the numbers as data, and what was left out and why.
//! 4. **Write levels** ([`library`], [`templates`]): curated levels for OPM competencies,
//!    template drafts elsewhere.
//! 5. **Set targets** ([`settings`]): level and weight per competency from the grade → level
//!    mapping.
//! 6. **Add an interview guide** (`guide`): two questions and anchors at 1, 3 and 5 for each
//!    of the 6–8 most important competencies.
//! 7. **Check**: the framework passes lint with zero errors, or generation fails.

#[cfg(feature = "embeddings")]
pub mod embeddings;
mod error;
mod explain;
mod guide;
pub mod library;
mod naming;
pub mod onet;
mod provenance;
pub mod rank;
mod role_type;
mod search_ranker;
mod select;
pub mod settings;
pub mod templates;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use framewright_model::lint::{self, LintLimits, Vocabulary};
use framewright_model::{
    Catalogue, Framework, FrameworkCompetency, GradeMark, Group, ProficiencyScale, Provenance,
    ReferenceRole, ReviewDates, Role, RoleProfile, SourceRef, Target, framework::CompetencySource,
    slug::slugify,
};

pub use error::{DataError, GenerateError};
pub use library::ContentLibrary;
pub use onet::{OnetFindings, OnetRatings, OnetReference};
pub use rank::{
    MatchedTerm, Prior, RankError, RankRequest, Ranker, ReferenceVote, ScoredCandidate,
};
pub use role_type::{RoleType, RoleTypeSettings, RoleTypes};
pub use search_ranker::SearchRanker;
pub use settings::{SelectionSettings, TargetMapping};
pub use templates::Templates;

use select::Candidate;
use settings::LevelPair;

/// The generator's name and version, as recorded in provenance.
pub const GENERATOR: &str = concat!("framewright ", env!("CARGO_PKG_VERSION"));

/// Everything the generator works from besides the role.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The catalogues to choose from, in order of preference for ties.
    pub catalogues: &'a [Catalogue],
    /// Curated content, matched to catalogues by id.
    pub libraries: &'a [ContentLibrary],
    /// Reference roles the user supplied (each catalogue's own are used too).
    pub reference_roles: &'a [ReferenceRole],
    /// The proficiency scale (levels 1 … 5).
    pub scale: &'a ProficiencyScale,
    /// Level and interview templates.
    pub templates: &'a Templates,
    /// The grade → level mapping.
    pub mapping: &'a TargetMapping,
    /// Counts and priors.
    pub selection: &'a SelectionSettings,
    /// The lint vocabulary (to keep vague words out of composed text, and for the final check).
    pub vocabulary: &'a Vocabulary,
    /// The suggestion engine.
    pub ranker: &'a dyn Ranker,
    /// The O*NET occupations (and ratings, when installed) as evidence; `None` leaves O*NET out.
    pub onet: Option<OnetInput<'a>>,
}

/// The O*NET evidence source and the occupations left out (`--exclude-reference`).
#[derive(Debug, Clone, Copy)]
pub struct OnetInput<'a> {
    /// The occupations, crosswalk and ratings.
    pub reference: &'a OnetReference,
    /// Reference-role ids (`onet:15-1221.00`) not to consult.
    pub exclude: &'a [String],
}

impl std::fmt::Debug for Inputs<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inputs")
            .field("catalogues", &self.catalogues.len())
            .field("libraries", &self.libraries.len())
            .field("reference_roles", &self.reference_roles.len())
            .finish_non_exhaustive()
    }
}

/// Choices that are not part of the role.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    /// Record this generation time (RFC 3339) in the provenance; `None` keeps the output
    /// byte-identical from run to run.
    pub generated_at: Option<String>,
    /// Set review dates starting on this day (annual review, thorough update in three years).
    pub review_from: Option<time::Date>,
}

/// A generated framework and what the user should know about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The framework (passes lint with zero errors).
    pub framework: Framework,
    /// Warnings for the user: counts that could not be met, and the like.
    pub notices: Vec<String>,
    /// What lint found in the framework (never an error).
    pub findings: Vec<lint::Finding>,
    /// The closest O*NET occupations and the evidence of their ratings, with the numbers
    /// (`None` when O*NET was left out).
    pub onet: Option<OnetFindings>,
}

/// Generates a framework for `role`.
pub fn generate(
    role: &Role,
    inputs: &Inputs<'_>,
    options: &Options,
) -> Result<Generated, GenerateError> {
    check_role(role)?;
    check_scale(inputs)?;
    if inputs.catalogues.is_empty() {
        return Err(GenerateError::NoCatalogue);
    }
    let limits = LintLimits::default();
    let onet = inputs.onet.map(|o| {
        o.reference
            .evidence(role, o.exclude, &inputs.selection.onet)
    });
    let candidates = rank_all(role, inputs, onet.as_ref())?;
    let selection = select::select(
        role,
        &candidates,
        inputs.catalogues,
        inputs.selection,
        &limits,
    )?;
    let framework = assemble(
        role,
        inputs,
        options,
        &candidates,
        &selection,
        onet.as_ref(),
    );
    let findings = lint::lint(&framework, inputs.vocabulary, &limits);
    if lint::has_errors(&findings) {
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == lint::Severity::Error)
            .map(|f| format!("{}: {} [{}]", f.path, f.message, f.code))
            .collect();
        return Err(GenerateError::LintFailed(errors.join("; ")));
    }
    Ok(Generated {
        framework,
        notices: selection.notices,
        findings,
        onet,
    })
}

fn check_role(role: &Role) -> Result<(), GenerateError> {
    if role.title.trim().is_empty() {
        return Err(GenerateError::EmptyTitle);
    }
    if role.grade.is_some() && role.level.is_some() {
        return Err(GenerateError::GradeAndLevel);
    }
    if let Some(level) = role.level
        && !(1..=5).contains(&level)
    {
        return Err(GenerateError::LevelOutOfRange(level));
    }
    if let Some(count) = role.target_count
        && !(6..=12).contains(&count)
    {
        return Err(GenerateError::CountOutOfRange(count));
    }
    Ok(())
}

fn check_scale(inputs: &Inputs<'_>) -> Result<(), GenerateError> {
    let numbers: Vec<u8> = inputs.scale.levels.iter().map(|l| l.level).collect();
    let expected: Vec<u8> = (1..=inputs.templates.max_level()).collect();
    if numbers != expected || numbers.len() != 5 {
        return Err(GenerateError::UnsupportedScale(inputs.scale.id.clone()));
    }
    Ok(())
}

/// OPM priors for the competencies of `catalogue`: grade applicability at the role's grade and
/// importance ranks. Empty for catalogues without grade tables or ranks.
fn priors(
    role: &Role,
    catalogue: &Catalogue,
    settings: &SelectionSettings,
) -> BTreeMap<String, Prior> {
    let mut out = BTreeMap::new();
    let role_type = settings.role_types.classify(role);
    for c in &catalogue.competencies {
        let group = settings.priors.for_group(c.kind.is_core());
        let mut value = 0.0;
        let mut reasons = Vec::new();
        if let Some((prior, reason)) = settings.role_types.leadership_prior(role_type, role, c) {
            value += prior;
            reasons.push(reason);
        }
        if let Some(grade) = role.grade
            && c.grade_mark(grade) == Some(GradeMark::Confirmed)
        {
            value += group.confirmed_at_grade;
            reasons.push(format!("confirmed (X) at {grade}"));
        }
        let factor = explain::rank_factor(c.importance_rank);
        if factor > 0.0
            && let Some(rank) = c.importance_rank
        {
            value += group.importance_rank * factor;
            reasons.push(format!("importance rank {}", explain::describe_rank(rank)));
        }
        if value > 0.0 {
            out.insert(
                c.id.clone(),
                Prior {
                    value,
                    reason: reasons.join("; "),
                },
            );
        }
    }
    out
}

/// Ranks every catalogue and merges the candidates, best first (ties: catalogue order, then
/// the ranker's order, then the catalogue's own order).
fn rank_all<'a>(
    role: &Role,
    inputs: &Inputs<'a>,
    onet: Option<&OnetFindings>,
) -> Result<Vec<Candidate<'a>>, GenerateError> {
    let mut keyed: Vec<((f64, usize, usize), Candidate<'a>)> = Vec::new();
    let analyzer = framewright_search::text::Analyzer::new();
    let tasks: Vec<_> = role.tasks.iter().map(|t| analyzer.analyze(t)).collect();
    let compounds = naming::NameCompounds::of(
        &analyzer,
        inputs
            .catalogues
            .iter()
            .flat_map(|c| c.competencies.iter().map(|c| c.name.as_str())),
    );
    let count = &inputs.selection.count;
    for (ci, catalogue) in inputs.catalogues.iter().enumerate() {
        let priors = priors(role, catalogue, inputs.selection);
        let mut references: Vec<ReferenceRole> = catalogue.reference_roles.clone();
        references.extend(inputs.reference_roles.iter().cloned());
        let request = RankRequest {
            role,
            catalogue,
            reference_roles: &references,
            priors: &priors,
            top: catalogue.competencies.len(),
        };
        let ranked = inputs
            .ranker
            .rank(&request)
            .map_err(|e| GenerateError::Ranker(e.0))?;
        let mut by_id: BTreeMap<&str, (usize, ScoredCandidate)> = BTreeMap::new();
        for (position, scored) in ranked.into_iter().enumerate() {
            if !scored.score.is_finite() {
                return Err(GenerateError::Ranker(format!(
                    "score of `{}` is not a number",
                    scored.id
                )));
            }
            if let Some(c) = catalogue.competencies.iter().find(|c| c.id == scored.id) {
                by_id.entry(c.id.as_str()).or_insert((position, scored));
            }
        }
        let unranked = by_id.len();
        for (own, competency) in catalogue.competencies.iter().enumerate() {
            let (position, mut evidence) = match by_id.remove(competency.id.as_str()) {
                Some((p, s)) => (p, Some(s)),
                None => (unranked + own, None),
            };
            if let Some(found) = onet.and_then(|o| o.for_competency(&catalogue.id, &competency.id))
            {
                let scored = evidence.get_or_insert_with(|| ScoredCandidate {
                    id: competency.id.clone(),
                    ..ScoredCandidate::default()
                });
                scored.score += found.added;
                scored.onet = Some(found.clone());
            }
            let named_by = naming::naming_tasks(&analyzer, &compounds, &competency.name, &tasks);
            if !named_by.is_empty() {
                let scored = evidence.get_or_insert_with(|| ScoredCandidate {
                    id: competency.id.clone(),
                    ..ScoredCandidate::default()
                });
                scored.score += if competency.kind.is_core() {
                    count.core_task_naming_bonus
                } else {
                    count.task_naming_bonus
                };
                scored.named_by = named_by;
            }
            let score = evidence.as_ref().map_or(0.0, |e| e.score);
            keyed.push((
                (score, ci, position),
                Candidate {
                    catalogue_index: ci,
                    catalogue,
                    competency,
                    evidence,
                },
            ));
        }
    }
    keyed.sort_by(|(a, _), (b, _)| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    Ok(keyed.into_iter().map(|(_, c)| c).collect())
}

/// The levels of one competency's target: the grade's, raised for a functional competency
/// central to the role where the grade has a `central` level, and capped for the functional
/// competencies of executives and supervisors. Returns why, in words, when it differs.
fn adjusted_levels(
    pair: LevelPair,
    core: bool,
    evidence: f64,
    best_in_group: f64,
    role_type: RoleType,
    adjustments: &settings::Adjustments,
) -> (LevelPair, Option<String>) {
    if core {
        return (pair, None);
    }
    let mut functional = pair.functional;
    let mut why = None;
    let central = best_in_group > 0.0 && evidence >= adjustments.central_share * best_in_group;
    if let Some(level) = pair.central.filter(|l| central && *l > functional) {
        functional = level;
        why = Some(format!(
            "Raised to level {level} because it is central to the role: at this grade the role's own technical work is done with more independence."
        ));
    }
    let cap = match role_type {
        RoleType::Executive => Some(adjustments.executive_functional_max),
        RoleType::Supervisor => Some(adjustments.supervisor_functional_max),
        RoleType::Practitioner => None,
    };
    if let Some(cap) = cap.filter(|c| functional > *c) {
        functional = cap;
        why = Some(format!(
            "Set to level {cap} because this is {}: it directs this technical work rather than doing it.",
            role_type.describe()
        ));
    }
    (LevelPair { functional, ..pair }, why)
}

fn assemble(
    role: &Role,
    inputs: &Inputs<'_>,
    options: &Options,
    candidates: &[Candidate<'_>],
    selection: &select::Selection,
    onet: Option<&OnetFindings>,
) -> Framework {
    let title = role.title.trim();
    let (mut framework, id) = framework_shell(role, inputs, options, candidates, selection);
    let (pair, mapping_entry) = inputs.mapping.lookup(role.grade, role.level);
    let role_type = inputs.selection.role_types.classify(role);
    let mapping = explain::MappingUsed {
        entry: &mapping_entry,
        file: &inputs.mapping.file,
        builtin: inputs.mapping.is_builtin(),
    };
    let mut used = Used::default();
    let mut targets = Vec::new();
    for (group_id, group) in [
        ("core", &selection.core),
        ("functional", &selection.functional),
    ] {
        if group.is_empty() {
            continue;
        }
        framework.groups.push(group_header(group_id));
        let best_in_group = group
            .iter()
            .map(|c| candidates[c.candidate].evidence_score())
            .fold(0.0, f64::max);
        for (position, chosen) in group.iter().enumerate() {
            let candidate = &candidates[chosen.candidate];
            if !used.catalogues.contains(&candidate.catalogue_index) {
                used.catalogues.push(candidate.catalogue_index);
            }
            let standing = explain::Standing {
                group: group_id,
                position: position + 1,
                of: group.len(),
                included: chosen.included,
                final_score: (!chosen.included)
                    .then(|| selection.final_scores.get(&chosen.candidate).copied())
                    .flatten(),
                covered: selection
                    .covered
                    .get(&chosen.candidate)
                    .map_or(&[][..], Vec::as_slice),
                naming_bonus: Some(if group_id == "core" {
                    inputs.selection.count.core_task_naming_bonus
                } else {
                    inputs.selection.count.task_naming_bonus
                }),
            };
            let fc = framework_competency(role, inputs, candidate, &standing, &mut used);
            let core = group_id == "core";
            let (pair, adjusted) = adjusted_levels(
                pair,
                core,
                candidate.evidence_score(),
                best_in_group,
                role_type,
                &inputs.mapping.adjustments,
            );
            let level_name = inputs
                .scale
                .level(pair.for_group(core))
                .map(|l| l.name.as_str());
            let t = explain::target(
                candidate,
                core,
                best_in_group,
                pair,
                &mapping,
                level_name,
                &inputs.mapping.weights,
                role.grade,
            );
            let note = match adjusted {
                Some(why) => format!("{} {why}", t.note),
                None => t.note,
            };
            targets.push(Target {
                competency: fc.id.clone(),
                level: t.level,
                weight: Some(t.weight),
                note: Some(note),
                details: Some(t.details),
            });
            framework.competencies.push(fc);
        }
    }
    let interviewed = guide::choose(
        &framework.competencies,
        &targets,
        &inputs.selection.interview,
    );
    guide::keep_only(
        &mut framework.competencies,
        &interviewed,
        INTERVIEW_TEMPLATE_NOTE,
    );
    used.templates = framework.competencies.iter().any(|c| {
        c.levels.iter().any(|l| l.draft) || c.notes.iter().any(|n| n == INTERVIEW_TEMPLATE_NOTE)
    });
    framework.sources = used_sources(inputs, &used);
    framework.sources.extend(onet.and_then(onet::source));
    framework.role_profiles.push(RoleProfile {
        id,
        title: title.to_string(),
        job_family: role.job_family.clone(),
        grade: role.grade,
        level: role.level,
        description: role.description.clone(),
        targets,
    });
    let made = provenance::made(
        role,
        inputs,
        candidates,
        selection,
        &mapping,
        pair,
        provenance::Added {
            onet: onet.and_then(onet::provenance_line),
            interview: guide::describe(&framework.competencies, &interviewed),
        },
    );
    framework.provenance = Some(Provenance {
        generator: GENERATOR.to_string(),
        method: Some(made.method),
        matching: Some(match inputs.ranker.model() {
            Some(model) => format!("words and meaning ({model})"),
            None => "words only".to_string(),
        }),
        role: Some(role.clone()),
        generated_at: options.generated_at.clone(),
        details: made.details,
        left_out: made.left_out,
    });
    framework
}

/// The note of a competency whose interview questions came from the templates.
const INTERVIEW_TEMPLATE_NOTE: &str = "The interview questions and rating anchors were composed from Framewright's templates: a draft to adapt before use.";

/// What the framework's competencies drew on, in order of first use, for its source list.
#[derive(Default)]
struct Used {
    /// The competency ids given so far.
    ids: Vec<String>,
    /// Indexes into [`Inputs::catalogues`].
    catalogues: Vec<usize>,
    /// Indexes into [`Inputs::libraries`].
    libraries: Vec<usize>,
    /// Whether any levels or questions came from the templates.
    templates: bool,
}

impl Used {
    fn library(&mut self, l: usize) {
        if !self.libraries.contains(&l) {
            self.libraries.push(l);
        }
    }
}

/// The framework before its competencies: id, name, description and review dates. Returns the
/// framework and its id (also the role profile's).
fn framework_shell(
    role: &Role,
    inputs: &Inputs<'_>,
    options: &Options,
    candidates: &[Candidate<'_>],
    selection: &select::Selection,
) -> (Framework, String) {
    let title = role.title.trim();
    let grade_or_level = match (role.grade, role.level) {
        (Some(g), _) => format!(" ({g})"),
        (None, Some(l)) => format!(" (level {l})"),
        _ => String::new(),
    };
    let slug = slugify(title);
    let id = if slug.is_empty() {
        "framework".to_string()
    } else {
        slug
    };
    let mut framework = Framework::new(
        id.clone(),
        format!("{title}{grade_or_level} competency framework"),
        inputs.scale.clone(),
    );
    framework.description = Some(description(role, inputs, selection, candidates));
    if let Some(day) = options.review_from {
        framework.review = ReviewDates::starting(day, 3);
    }
    (framework, id)
}

/// The group `core` or `functional`.
fn group_header(group_id: &str) -> Group {
    let core = group_id == "core";
    Group {
        id: group_id.to_string(),
        name: if core {
            "Core competencies".to_string()
        } else {
            "Functional competencies".to_string()
        },
        description: Some(if core {
            "General competencies: how the person works, whatever the technical task.".to_string()
        } else {
            "Technical competencies specific to this role family.".to_string()
        }),
        parent: None,
    }
}

/// One chosen competency as the framework states it: copied from its catalogue with a unique
/// id, a rationale, notes, levels and interview questions (curated where a library has them,
/// template drafts elsewhere).
fn framework_competency(
    role: &Role,
    inputs: &Inputs<'_>,
    candidate: &Candidate<'_>,
    standing: &explain::Standing<'_>,
    used: &mut Used,
) -> FrameworkCompetency {
    let source = candidate.competency;
    let fid = unique_id(&source.name, &candidate.catalogue.id, &used.ids);
    used.ids.push(fid.clone());
    let mut fc = FrameworkCompetency::new(fid, source.name.clone(), source.kind);
    fc.group = Some(standing.group.to_string());
    fc.definition = source.definition.clone();
    fc.alt_labels = source.alt_labels.clone();
    fc.source = Some(CompetencySource {
        catalogue: candidate.catalogue.id.clone(),
        id: source.id.clone(),
        uri: source.uri.clone(),
    });
    fc.rationale = Some(explain::rationale(candidate, standing, role));
    fc.evidence = Some(explain::evidence(candidate, standing, role.grade));
    fc.grades = source.grades.clone();
    fc.importance_rank = source.importance_rank;
    for note in candidate.catalogue.notes_for(source) {
        fc.notes.push(note.text.clone());
    }
    if source.definition.is_none() {
        fc.notes.push(format!(
            "{} gives no definition for this competency; Framewright does not invent one.",
            candidate.catalogue.name
        ));
    }
    add_levels_and_interview(inputs, candidate, &mut fc, used);
    fc
}

/// Fills in a competency's levels and interview questions: the catalogue's curated library
/// where it has complete ones, otherwise template drafts, with a note saying so.
fn add_levels_and_interview(
    inputs: &Inputs<'_>,
    candidate: &Candidate<'_>,
    fc: &mut FrameworkCompetency,
    used: &mut Used,
) {
    let source = candidate.competency;
    let library = inputs
        .libraries
        .iter()
        .position(|l| l.catalogue == candidate.catalogue.id);
    let max_level = inputs.scale.max_level();
    match library.and_then(|l| {
        inputs.libraries[l]
            .complete_levels(&source.id, max_level)
            .map(|levels| (l, levels))
    }) {
        Some((l, levels)) => {
            fc.levels = levels.to_vec();
            used.library(l);
        }
        None => {
            fc.levels = inputs.templates.levels(
                &source.name,
                source.definition.as_deref(),
                source.kind.is_core(),
                Some(inputs.vocabulary),
            );
            used.templates = true;
            fc.notes.push("The proficiency levels were composed from Framewright's level templates: a draft for subject-matter experts to rewrite for this competency.".to_string());
        }
    }
    match library.and_then(|l| {
        inputs.libraries[l]
            .complete_interview(&source.id)
            .map(|questions| (l, questions))
    }) {
        Some((l, questions)) => {
            fc.interview = questions.to_vec();
            used.library(l);
        }
        None => {
            fc.interview = inputs
                .templates
                .interview(&source.name, source.kind.is_core());
            used.templates = true;
            fc.notes.push(INTERVIEW_TEMPLATE_NOTE.to_string());
        }
    }
}

/// The framework's source list: the catalogues used, then the curated libraries, then the
/// templates if any draft came from them.
fn used_sources(inputs: &Inputs<'_>, used: &Used) -> Vec<SourceRef> {
    let mut sources = Vec::new();
    for &ci in &used.catalogues {
        let c = &inputs.catalogues[ci];
        sources.push(SourceRef {
            catalogue: c.id.clone(),
            name: c.name.clone(),
            licence: Some(c.licence.clone()),
            attribution: c.attribution.clone(),
            url: c.url.clone(),
        });
    }
    for &li in &used.libraries {
        let l = &inputs.libraries[li];
        sources.push(SourceRef {
            catalogue: format!("framewright-content-{}", l.catalogue),
            name: format!(
                "Framewright proficiency levels and interview guide for {}",
                catalogue_name(inputs.catalogues, &l.catalogue)
            ),
            licence: Some("Apache-2.0".to_string()),
            attribution: Some(l.attribution.clone()),
            url: None,
        });
    }
    if used.templates {
        sources.push(SourceRef {
            catalogue: "framewright-templates".to_string(),
            name: "Framewright level and interview templates (drafts)".to_string(),
            licence: Some("Apache-2.0".to_string()),
            attribution: Some("Levels and interview questions marked as drafts were composed by Framewright from the competency's name and definition; they need review by subject-matter experts.".to_string()),
            url: None,
        });
    }
    sources
}

fn catalogue_name<'a>(catalogues: &'a [Catalogue], id: &'a str) -> &'a str {
    catalogues
        .iter()
        .find(|c| c.id == id)
        .map_or(id, |c| c.name.as_str())
}

/// A framework id for `name` not in `used`: its slug, else slug + catalogue, else numbered.
fn unique_id(name: &str, catalogue: &str, used: &[String]) -> String {
    let base = match slugify(name) {
        s if s.is_empty() => "competency".to_string(),
        s => s,
    };
    if !used.contains(&base) {
        return base;
    }
    let with_catalogue = format!("{base}-{}", slugify(catalogue));
    if !used.contains(&with_catalogue) {
        return with_catalogue;
    }
    (2..)
        .map(|n| format!("{with_catalogue}-{n}"))
        .find(|id| !used.contains(id))
        .unwrap_or(with_catalogue)
}

fn description(
    role: &Role,
    inputs: &Inputs<'_>,
    selection: &select::Selection,
    candidates: &[Candidate<'_>],
) -> String {
    let mut used: Vec<&str> = Vec::new();
    for chosen in selection.core.iter().chain(&selection.functional) {
        let name = candidates[chosen.candidate].catalogue.name.as_str();
        if !used.contains(&name) {
            used.push(name);
        }
    }
    if used.is_empty() {
        used = inputs.catalogues.iter().map(|c| c.name.as_str()).collect();
    }
    let at = match (role.grade, role.level) {
        (Some(g), _) => format!(" at {g}"),
        (None, Some(l)) => format!(" at level {l}"),
        _ => String::new(),
    };
    let mut out = format!(
        "Draft competency framework for the role of {}{at}, generated from {}.",
        role.title.trim(),
        used.join(" and ")
    );
    if let Some(family) = role.job_family.as_deref().filter(|f| !f.trim().is_empty()) {
        let _ = write!(out, " Job family: {}.", family.trim());
    }
    if let Some(text) = role.description.as_deref().filter(|d| !d.trim().is_empty()) {
        let _ = write!(out, " The role: {}", text.trim());
        if !text.trim().ends_with(['.', '!', '?']) {
            out.push('.');
        }
    }
    if let Some(org) = role
        .organisation
        .as_deref()
        .filter(|o| !o.trim().is_empty())
    {
        let _ = write!(out, " Organisation: {}", org.trim());
        if !org.trim().ends_with(['.', '!', '?']) {
            out.push('.');
        }
    }
    out.push_str(" Review it with subject-matter experts in a job analysis before use.");
    out
}

#[cfg(test)]
mod tests;
