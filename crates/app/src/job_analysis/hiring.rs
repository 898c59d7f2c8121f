//! The hiring steps after the analysis: Angoff cut scores, applicants with their scores, the
//! category rating with veterans' preference, and adverse-impact monitoring.

use std::collections::{BTreeMap, HashSet};

use framewright_hiring::applicants::{
    ApplicantScores, CategoryRating, CategoryScheme, PositionContext, category_rating, total_scores,
};
use framewright_hiring::cutscore::{AngoffJudgement, AngoffSetting, set_angoff_cut};
use framewright_hiring::impact::{
    ImpactOptions, ImpactReport, SelectionFlow, adverse_impact_by_step,
};
use framewright_interop::hiring::csv as hiring_csv;
use framewright_store::Store;
use framewright_store::job_analysis::{ApplicantRecord, CutScore};
use uuid::Uuid;

use super::{fault, load, rating_files, require_editor, to_value};
use crate::{Actor, AppError, AppResult, FieldIssue};

fn invalid_at(pointer: &str, detail: String) -> AppError {
    AppError::Invalid {
        issues: vec![FieldIssue::new(pointer, detail.clone())],
        detail,
    }
}

/// An Angoff panel's judgements.
#[derive(Debug, Clone, Default)]
pub struct CutScoreInput {
    /// The assessment (`work-sample`).
    pub assessment: String,
    /// Each judge's probability (0–1) that a minimally qualified applicant gets each item right.
    pub judgements: Vec<AngoffJudgement>,
    /// Why this cut.
    pub rationale: Option<String>,
    /// Standard deviation of test scores, for the SEM band.
    pub test_sd: Option<f64>,
    /// Reliability of the test, for the SEM band.
    pub reliability: Option<f64>,
    /// Lower the cut by this many SEMs.
    pub lower_by_sem: Option<f64>,
    /// Who sets it, as the record names them.
    pub set_by: String,
}

/// Sets a cut score by the modified Angoff method, with its SEM band; recorded with who set it
/// and when.
pub async fn set_cut_score(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    input: CutScoreInput,
) -> AppResult<CutScore> {
    require_editor(actor)?;
    load(store, actor, id).await?;
    let assessment = input.assessment.trim();
    if assessment.is_empty() {
        return Err(AppError::Invalid {
            detail: "name the assessment the cut score is for".to_string(),
            issues: vec![FieldIssue::new("/assessment", "name the assessment")],
        });
    }
    let mut setting = AngoffSetting::new(assessment, input.set_by);
    setting.rationale = input.rationale;
    setting.test_sd = input.test_sd;
    setting.reliability = input.reliability;
    setting.lower_by_sem = input.lower_by_sem;
    let record = set_angoff_cut(&input.judgements, &setting, time::OffsetDateTime::now_utc())
        .map_err(|e| invalid_at("/judgements", e.to_string()))?;
    Ok(store
        .add_cut_score(
            actor.org_id,
            actor.user_id,
            id,
            assessment,
            &to_value(&record)?,
        )
        .await?)
}

/// The cut scores set, newest first.
pub async fn cut_scores(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<Vec<CutScore>> {
    load(store, actor, id).await?;
    Ok(store.list_cut_scores(actor.org_id, id).await?)
}

/// Applicants' scores: a list, or a CSV (`applicant_id[,preference],<assessment>,…`) that wins
/// when it has text.
#[derive(Debug, Clone, Default)]
pub struct ApplicantsInput {
    /// Applicants (id, preference, scores per assessment).
    pub applicants: Vec<ApplicantScores>,
    /// Or a CSV, named `csv` in problems.
    pub csv: Option<String>,
}

/// Stores applicants' assessment scores (replaces the list).
pub async fn set_applicants(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    input: ApplicantsInput,
) -> AppResult<Vec<ApplicantRecord>> {
    require_editor(actor)?;
    load(store, actor, id).await?;
    let applicants = match input.csv.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(csv) => {
            hiring_csv::read_applicant_scores("csv", csv.as_bytes())
                .map_err(|e| {
                    rating_files::file_errors(
                        "the rating files have problems; nothing was stored",
                        std::slice::from_ref(&e),
                    )
                })?
                .records
        }
        None => input.applicants,
    };
    let mut seen = HashSet::new();
    let mut records = Vec::with_capacity(applicants.len());
    for (i, a) in applicants.iter().enumerate() {
        if a.id.trim().is_empty() || !seen.insert(a.id.clone()) {
            return Err(AppError::Invalid {
                detail: "every applicant needs an id of their own".to_string(),
                issues: vec![FieldIssue::new(
                    format!("/applicants/{i}/id"),
                    "empty or used twice",
                )],
            });
        }
        records.push(ApplicantRecord {
            id: a.id.clone(),
            scores: to_value(a)?,
            category: None,
        });
    }
    store
        .set_applicants(actor.org_id, actor.user_id, id, &records)
        .await?;
    Ok(store.applicants(actor.org_id, id).await?)
}

/// The applicants with their categories.
pub async fn applicants(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
) -> AppResult<Vec<ApplicantRecord>> {
    load(store, actor, id).await?;
    Ok(store.applicants(actor.org_id, id).await?)
}

/// Category rating settings.
#[derive(Debug, Clone)]
pub struct CategoryInput {
    /// Weight per assessment.
    pub weights: BTreeMap<String, f64>,
    /// The categories, highest first.
    pub scheme: CategoryScheme,
    /// A scientific or professional position (AI research scientists are).
    pub scientific_professional: bool,
}

/// Rates the stored applicants into quality categories with veterans' preference (weighted
/// totals, two or more categories, CP/CPS to the top category except scientific/professional
/// GS-9+), and stores each applicant's category.
pub async fn rate(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    input: CategoryInput,
) -> AppResult<CategoryRating> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    let stored = store.applicants(actor.org_id, id).await?;
    let applicants: Vec<ApplicantScores> = stored
        .iter()
        .map(|a| serde_json::from_value(a.scores.clone()))
        .collect::<Result<_, _>>()
        .map_err(|e| fault(format!("stored applicant scores: {e}")))?;
    if applicants.is_empty() {
        return Err(AppError::Invalid {
            detail: "enter the applicants' scores first".to_string(),
            issues: vec![FieldIssue::new("/applicants", "no applicants")],
        });
    }
    let totals = total_scores(&applicants, &input.weights)
        .map_err(|e| invalid_at("/weights", e.to_string()))?;
    let position = PositionContext {
        grade: record.job.grade,
        scientific_professional: input.scientific_professional,
    };
    let result = category_rating(&totals, &input.scheme, position)
        .map_err(|e| invalid_at("/scheme", e.to_string()))?;
    let mut placements: Vec<(String, Option<String>)> = Vec::new();
    for c in &result.categories {
        for a in &c.applicants {
            placements.push((a.id.clone(), Some(c.name.clone())));
        }
    }
    for a in result.not_qualified.iter().chain(&result.incomplete) {
        placements.push((a.id.clone(), None));
    }
    store
        .set_categories(
            actor.org_id,
            actor.user_id,
            id,
            &placements,
            &to_value(&result)?,
        )
        .await?;
    Ok(result)
}

/// Adverse impact at each selection step: four-fifths rule and Fisher's exact test, with
/// small-sample warnings. Nothing is stored.
pub async fn adverse_impact(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    flow: &SelectionFlow,
    options: &ImpactOptions,
) -> AppResult<ImpactReport> {
    load(store, actor, id).await?;
    adverse_impact_by_step(flow, options).map_err(|e| invalid_at("/flow", e.to_string()))
}
