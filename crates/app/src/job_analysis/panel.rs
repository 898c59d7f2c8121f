//! The SME panel and its ratings: inviting SMEs by private links, importing rating files,
//! reading the ratings, and closing the survey.

use std::collections::HashSet;

use framewright_hiring::survey::Ratings;
use framewright_store::Store;
use framewright_store::job_analysis::{NewSme, SmeRecord};
use uuid::Uuid;

use super::rating_files::{self, Completion, RatingFile, RatingFileSet};
use super::survey::{new_token, token_hash};
use super::{closed_or, job_with_panel, load, require_editor, require_open};
use crate::{Actor, AppError, AppResult, FieldIssue};

/// One SME to invite.
#[derive(Debug, Clone, Default)]
pub struct InviteInput {
    /// Anonymised id for the report (`SME-1`); given in order when left out. Never a name.
    pub label: Option<String>,
    /// Qualifications, as the report shows them.
    pub qualifications: Option<String>,
}

/// An invited SME with their private link, shown once.
#[derive(Debug, Clone)]
pub struct InvitedSme {
    /// Panel member id.
    pub id: Uuid,
    /// Anonymised id.
    pub label: String,
    /// The private token (only its hash is kept: it cannot be shown again).
    pub token: String,
    /// The survey page's path: send it to the SME.
    pub link: String,
}

/// Invites SMEs: each gets a private survey link, returned once (only its hash is kept).
pub async fn invite(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    smes: Vec<InviteInput>,
) -> AppResult<Vec<InvitedSme>> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    require_open(&record)?;
    if smes.is_empty() || smes.len() > 200 {
        return Err(AppError::Invalid {
            detail: "invite between 1 and 200 SMEs at a time".to_string(),
            issues: vec![FieldIssue::new("/smes", "list one entry per SME")],
        });
    }
    let panel = store.list_smes(actor.org_id, id).await?;
    let mut next = panel.len() + 1;
    let mut taken: HashSet<String> = panel.into_iter().map(|s| s.label).collect();
    let mut new = Vec::with_capacity(smes.len());
    let mut tokens = Vec::with_capacity(smes.len());
    for (i, sme) in smes.into_iter().enumerate() {
        let label = match sme
            .label
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
        {
            Some(l) => l,
            None => loop {
                let candidate = format!("SME-{next}");
                next += 1;
                if !taken.contains(&candidate) {
                    break candidate;
                }
            },
        };
        if !taken.insert(label.clone()) {
            return Err(AppError::Invalid {
                detail: "an SME id is used twice".to_string(),
                issues: vec![FieldIssue::new(
                    format!("/smes/{i}/label"),
                    format!("the panel already has an SME \"{label}\""),
                )],
            });
        }
        let token = new_token()?;
        new.push(NewSme {
            label,
            qualifications: sme.qualifications.filter(|q| !q.trim().is_empty()),
            token_hash: Some(token_hash(&token)),
        });
        tokens.push(token);
    }
    let stored = store
        .add_smes(actor.org_id, actor.user_id, id, &new)
        .await
        .map_err(closed_or)?;
    Ok(stored
        .into_iter()
        .zip(tokens)
        .map(|(s, token)| InvitedSme {
            id: s.id,
            label: s.label,
            link: format!("/survey/{token}"),
            token,
        })
        .collect())
}

/// The SME panel and who has answered (links are not shown again).
pub async fn smes(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<Vec<SmeRecord>> {
    load(store, actor, id).await?;
    Ok(store.list_smes(actor.org_id, id).await?)
}

/// Every stored rating.
pub async fn ratings(store: &dyn Store, actor: &Actor, id: Uuid) -> AppResult<Ratings> {
    load(store, actor, id).await?;
    Ok(store.ratings(actor.org_id, id).await?)
}

/// Rating files to import, as CSV text. Each file is named in problems by its field name.
#[derive(Debug, Clone, Default)]
pub struct RatingCsvInput {
    /// `sme_id,task_id,importance,frequency`.
    pub tasks_csv: String,
    /// `sme_id,competency_id,importance,needed_at_entry[,distinguishing_value]`.
    pub competencies_csv: String,
    /// `sme_id,task_id,competency_id,linked`; empty means none.
    pub linkage_csv: Option<String>,
}

/// What an import stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    /// SMEs whose answers were imported.
    pub smes: usize,
    /// Task ratings.
    pub task_ratings: usize,
    /// Competency ratings.
    pub competency_ratings: usize,
    /// Links.
    pub links: usize,
}

/// Imports rating files. Every row and column is checked first, against the inventory with the
/// imported SMEs on the panel; with any problem nothing is stored (each issue points at
/// `<file>/row/<n>/<column>`).
pub async fn import_ratings(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
    input: RatingCsvInput,
) -> AppResult<ImportSummary> {
    require_editor(actor)?;
    let record = load(store, actor, id).await?;
    require_open(&record)?;
    let failed = |errors: &[_]| {
        rating_files::file_errors("the rating files have problems; nothing was stored", errors)
    };
    let linkage = input
        .linkage_csv
        .as_deref()
        .filter(|t| !t.trim().is_empty());
    let files = RatingFileSet {
        tasks: RatingFile {
            name: "tasks_csv",
            bytes: input.tasks_csv.as_bytes(),
        },
        competencies: RatingFile {
            name: "competencies_csv",
            bytes: input.competencies_csv.as_bytes(),
        },
        linkage: linkage.map(|t| RatingFile {
            name: "linkage_csv",
            bytes: t.as_bytes(),
        }),
    };
    let tables = rating_files::read(files, &record.parameters).map_err(|e| failed(&e))?;
    let imported = tables.ratings();
    let (mut job, _) = job_with_panel(store, actor.org_id, &record).await?;
    rating_files::complete(&mut job, &imported, Completion::PanelOnly);
    tables
        .check(&job, &imported, &record.parameters)
        .map_err(|e| failed(&e))?;
    store
        .import_ratings(actor.org_id, actor.user_id, id, &imported)
        .await?;
    let mut smes: Vec<&str> = imported.tasks.iter().map(|r| r.sme.as_str()).collect();
    smes.extend(imported.competencies.iter().map(|r| r.sme.as_str()));
    smes.extend(imported.linkage.iter().map(|r| r.sme.as_str()));
    smes.sort_unstable();
    smes.dedup();
    Ok(ImportSummary {
        smes: smes.len(),
        task_ratings: imported.tasks.len(),
        competency_ratings: imported.competencies.len(),
        links: imported.linkage.len(),
    })
}

/// Closes the survey: answers become final and links stop accepting them.
pub async fn close_survey(
    store: &dyn Store,
    actor: &Actor,
    id: Uuid,
) -> AppResult<super::AnalysisView> {
    require_editor(actor)?;
    let closed = store
        .close_survey(actor.org_id, actor.user_id, id)
        .await
        .map_err(|e| match e {
            framewright_store::StoreError::Conflict(_) => super::survey_closed(),
            other => other.into(),
        })?;
    super::view(store, actor, closed).await
}
