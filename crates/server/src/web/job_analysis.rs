//! Job-analysis pages: the SME survey (`/survey/{token}`, no account: the link is the key) and
//! the analyst's pages — list and create, inventory, inviting SMEs (links shown once),
//! progress and closing, results with every decision and its rule, the documentation report,
//! and the hiring steps (blueprint, cut score, applicants and category rating, adverse impact).
//!
//! Every action calls the operation in [`framewright_app::job_analysis`] that the API calls;
//! the pages only read forms and render. Each template gets a typed context (a struct per
//! page), so a misspelt field fails to compile instead of rendering as nothing.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use framewright_app::job_analysis::{
    self as ja, SurveyAnswers, SurveyCompetencyAnswer, SurveyLink, SurveyTaskAnswer,
};
use framewright_app::{Actor, AppError};
use framewright_hiring::ai_work::{AiWorkAnswer, AiWorkAnswers, Answer};
use framewright_hiring::applicants::{ApplicantScores, Category, CategoryRating, CategoryScheme};
use framewright_hiring::blueprint::Blueprint;
use framewright_hiring::cutscore::{AngoffJudgement, CutScoreRecord};
use framewright_hiring::impact::{ImpactOptions, ImpactReport};
use framewright_hiring::scales::RatingScale;
use framewright_hiring::survey::{JobAnalysis, SmeResponse};
use framewright_interop::document::hiring as hiring_report;
use framewright_interop::hiring::csv as hiring_csv;
use framewright_store::PageRequest;
use framewright_store::job_analysis::SurveyStatus;
use serde::Serialize;
use uuid::Uuid;

use super::{Posted, Viewer, not_found, problem_page, render_status, see_other, with_notice};
use crate::problem::Problem;
use crate::routes::job_analyses::{Generator, SmeInfo, actor, problem};
use crate::state::AppState;

/// The survey's script: saves answers as the SME goes (the form works without it).
pub const SURVEY_JS: &str = include_str!("../../static/survey.js");

/// The pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/survey/{token}", get(survey).post(survey_submit))
        .route("/static/survey.js", get(survey_js))
        .route("/job-analyses", get(list).post(create))
        .route("/job-analyses/{id}", get(overview))
        .route("/job-analyses/{id}/inventory", post(inventory))
        .route("/job-analyses/{id}/invite", post(invite))
        .route("/job-analyses/{id}/import", post(import))
        .route("/job-analyses/{id}/close", post(close))
        .route("/job-analyses/{id}/ai-work", post(ai_work))
        .route("/job-analyses/{id}/results", get(results))
        .route("/job-analyses/{id}/report", get(report))
        .route("/job-analyses/{id}/hiring", get(hiring))
        .route("/job-analyses/{id}/blueprint", post(blueprint))
        .route("/job-analyses/{id}/cut-score", post(cut_score))
        .route("/job-analyses/{id}/applicants", post(applicants))
        .route("/job-analyses/{id}/categories", post(categories))
        .route("/job-analyses/{id}/impact", post(impact))
}

async fn survey_js() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        SURVEY_JS,
    )
        .into_response()
}

/// The value of `result`, or (returning) its error response.
macro_rules! or_return {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(response) => return response,
        }
    };
}

/// The value of an operation's `result`, or (returning) the page for its error.
macro_rules! or_page {
    ($viewer:expr, $result:expr) => {
        match $result {
            Ok(value) => value,
            Err(error) => return error_page($viewer, error),
        }
    };
}

/// The page for an operation's error.
fn error_page(viewer: Option<&Viewer>, error: AppError) -> Response {
    problem_page(viewer, &problem(error))
}

// ---------------------------------------------------------------------------------------------
// The SME survey.

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Serialize)]
struct TaskRow {
    index: usize,
    id: String,
    statement: String,
    importance: Vec<Choice>,
    frequency: Vec<Choice>,
}

#[derive(Serialize)]
struct CompetencyRow {
    index: usize,
    id: String,
    name: String,
    definition: Option<String>,
    importance: Vec<Choice>,
    entry: Vec<Choice>,
    dv: Vec<Choice>,
    links: Vec<LinkBox>,
}

#[derive(Serialize)]
struct LinkBox {
    task_index: usize,
    task: String,
    statement: String,
    checked: bool,
}

/// `survey.html`.
#[derive(Serialize)]
struct SurveyPage<'a> {
    token: &'a str,
    title: String,
    grade: Option<String>,
    sme: String,
    closed: bool,
    tasks: Vec<TaskRow>,
    competencies: Vec<CompetencyRow>,
    scales: ja::SurveyScales,
    saved: bool,
    errors: Vec<String>,
}

fn choices(scale: &RatingScale, current: Option<u8>) -> Vec<Choice> {
    scale
        .anchors
        .iter()
        .map(|a| Choice {
            value: a.value.to_string(),
            label: a.label.clone(),
            checked: current == Some(a.value),
        })
        .collect()
}

fn task_rows(view: &ja::SurveyView) -> Vec<TaskRow> {
    let response = &view.response;
    view.tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mine = response.tasks.iter().find(|r| r.task == t.id);
            TaskRow {
                index: i,
                id: t.id.clone(),
                statement: t.statement.clone().unwrap_or_else(|| t.id.clone()),
                importance: choices(
                    &view.scales.task_importance,
                    mine.and_then(|r| r.importance),
                ),
                frequency: choices(&view.scales.task_frequency, mine.and_then(|r| r.frequency)),
            }
        })
        .collect()
}

fn entry_choices(entry: Option<bool>) -> Vec<Choice> {
    vec![
        Choice {
            value: "yes".into(),
            label: "Yes, needed on the first day".into(),
            checked: entry == Some(true),
        },
        Choice {
            value: "no".into(),
            label: "No, can be learned on the job".into(),
            checked: entry == Some(false),
        },
    ]
}

fn link_boxes(view: &ja::SurveyView, response: &SmeResponse, competency: &str) -> Vec<LinkBox> {
    view.tasks
        .iter()
        .enumerate()
        .map(|(i, t)| LinkBox {
            task_index: i,
            task: t.id.clone(),
            statement: t.statement.clone().unwrap_or_else(|| t.id.clone()),
            checked: response
                .linkage
                .iter()
                .any(|l| l.task == t.id && l.competency == competency && l.linked),
        })
        .collect()
}

fn competency_rows(view: &ja::SurveyView) -> Vec<CompetencyRow> {
    let response = &view.response;
    view.competencies
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let mine = response.competencies.iter().find(|r| r.competency == c.id);
            CompetencyRow {
                index: j,
                id: c.id.clone(),
                name: c.name.clone().unwrap_or_else(|| c.id.clone()),
                definition: c.definition.clone(),
                importance: choices(
                    &view.scales.competency_importance,
                    mine.and_then(|r| r.importance),
                ),
                entry: entry_choices(mine.and_then(|r| r.needed_at_entry)),
                dv: choices(
                    &view.scales.distinguishing_value,
                    mine.and_then(|r| r.distinguishing_value),
                ),
                links: link_boxes(view, response, &c.id),
            }
        })
        .collect()
}

async fn survey_page(
    state: &AppState,
    token: &str,
    status: StatusCode,
    saved: bool,
    failed: Option<&Problem>,
) -> Response {
    let access = or_page!(None, ja::survey_access(state.store(), token).await);
    let view = or_page!(None, ja::survey(state.store(), &access).await);
    let errors: Vec<String> = failed
        .map(|p| {
            let mut lines = vec![p.detail.clone()];
            lines.extend(
                p.errors
                    .iter()
                    .map(|e| format!("{}: {}", humane(&e.pointer), e.detail)),
            );
            lines
        })
        .unwrap_or_default();
    let page = SurveyPage {
        token,
        tasks: task_rows(&view),
        competencies: competency_rows(&view),
        closed: view.status == SurveyStatus::Closed,
        title: view.title,
        grade: view.grade,
        sme: view.sme,
        scales: view.scales,
        saved,
        errors,
    };
    render_status(status, "survey.html", page)
}

/// `/tasks/0/importance` → `Task 1, importance`, as the SME sees the form.
fn humane(pointer: &str) -> String {
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    let what = match parts.first() {
        Some(&"tasks") => "Task",
        Some(&"competencies") => "Competency",
        Some(&"linkage") => "Link",
        _ => return pointer.to_string(),
    };
    let number = parts
        .get(1)
        .and_then(|i| i.parse::<usize>().ok())
        .map_or(String::new(), |i| format!(" {}", i + 1));
    let field = parts
        .get(2)
        .map_or(String::new(), |f| format!(", {}", f.replace('_', " ")));
    format!("{what}{number}{field}")
}

async fn survey(
    State(state): State<AppState>,
    Path(token): Path<String>,
    query: axum::extract::RawQuery,
) -> Response {
    let saved = query.0.as_deref().is_some_and(|q| q.contains("saved=1"));
    private(survey_page(&state, &token, StatusCode::OK, saved, None).await)
}

/// The survey's address is its key: never sent on as a referrer.
fn private(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Reads the survey form (fields named by position: `t0_imp`, `c1_entry`, `l0_1`, …).
fn answers_from_form(
    form: &[(String, String)],
    tasks: &[String],
    competencies: &[String],
) -> SurveyAnswers {
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    // A value that is not a number stays in as an out-of-scale one so that it is reported.
    let number = |name: &str| get(name).map(|v| v.parse::<u8>().unwrap_or(u8::MAX));
    let mut answers = SurveyAnswers::default();
    for (i, task) in tasks.iter().enumerate() {
        let importance = number(&format!("t{i}_imp"));
        let frequency = number(&format!("t{i}_freq"));
        if importance.is_some() || frequency.is_some() {
            answers.tasks.push(SurveyTaskAnswer {
                task: task.clone(),
                importance,
                frequency,
            });
        }
    }
    for (j, competency) in competencies.iter().enumerate() {
        let importance = number(&format!("c{j}_imp"));
        let needed_at_entry = get(&format!("c{j}_entry")).map(|v| v == "yes");
        let distinguishing_value = number(&format!("c{j}_dv"));
        if importance.is_some() || needed_at_entry.is_some() || distinguishing_value.is_some() {
            answers.competencies.push(SurveyCompetencyAnswer {
                competency: competency.clone(),
                importance,
                needed_at_entry,
                distinguishing_value,
            });
        }
        for (i, task) in tasks.iter().enumerate() {
            answers.linkage.push(SurveyLink {
                task: task.clone(),
                competency: competency.clone(),
                linked: get(&format!("l{i}_{j}")).is_some(),
            });
        }
    }
    answers
}

async fn survey_submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let access = or_page!(None, ja::survey_access(state.store(), &token).await);
    let job = &access.analysis.job;
    let tasks: Vec<String> = job.tasks.iter().map(|t| t.id.clone()).collect();
    let competencies: Vec<String> = job.competencies.iter().map(|c| c.id.clone()).collect();
    let answers = answers_from_form(&form, &tasks, &competencies);
    private(
        match ja::save_survey(state.store(), &token, answers).await {
            Ok(()) => see_other(&format!("/survey/{token}?saved=1")),
            Err(e) => {
                let p = problem(e);
                let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
                survey_page(&state, &token, status, false, Some(&p)).await
            }
        },
    )
}

// ---------------------------------------------------------------------------------------------
// Analyst pages.

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_id(viewer: &Viewer, id: &str) -> Result<Uuid, Response> {
    Uuid::parse_str(id).map_err(|_| {
        not_found(
            Some(viewer),
            "There is no such job analysis in your organisation.",
        )
    })
}

fn viewer_actor(viewer: &Viewer) -> Actor {
    actor(&viewer.caller())
}

/// A row of `job_analysis_list.html`.
#[derive(Serialize)]
struct AnalysisRow {
    id: Uuid,
    title: String,
    grade: Option<String>,
    status: &'static str,
    smes: i64,
    responded: i64,
}

/// A framework to start an analysis from.
#[derive(Serialize)]
struct FrameworkChoice {
    id: Uuid,
    title: String,
}

/// `job_analysis_list.html`.
#[derive(Serialize)]
struct ListPage {
    section: &'static str,
    rows: Vec<AnalysisRow>,
    frameworks: Vec<FrameworkChoice>,
}

async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let found = or_page!(
        Some(&viewer),
        ja::list(
            state.store(),
            &viewer_actor(&viewer),
            PageRequest::first(200),
        )
        .await
    );
    let org = viewer.principal().org_id;
    let frameworks = state
        .store()
        .list_frameworks(org, &Default::default(), PageRequest::first(200))
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let page = ListPage {
        section: "job-analyses",
        rows: found
            .items
            .into_iter()
            .map(|a| AnalysisRow {
                id: a.id,
                title: a.title,
                grade: a.grade,
                status: a.status.as_str(),
                smes: a.smes,
                responded: a.responded,
            })
            .collect(),
        frameworks: frameworks
            .into_iter()
            .map(|f| FrameworkChoice {
                id: f.id,
                title: f.title,
            })
            .collect(),
    };
    viewer.page("job_analysis_list.html", page)
}

#[derive(Debug, serde::Deserialize)]
struct CreateForm {
    title: String,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    series: String,
    #[serde(default)]
    framework_id: String,
    #[serde(default)]
    tasks: String,
    #[serde(default)]
    competencies: String,
}

fn competency_lines(text: &str) -> Vec<ja::CompetencyInput> {
    lines(text)
        .into_iter()
        .map(|l| match l.split_once('|') {
            Some((id, name)) => ja::CompetencyInput {
                id: id.trim().to_string(),
                name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
                definition: None,
            },
            None => ja::CompetencyInput {
                id: l,
                name: None,
                definition: None,
            },
        })
        .collect()
}

async fn create(State(state): State<AppState>, posted: Posted<CreateForm>) -> Response {
    let Posted { viewer, form } = posted;
    let framework_id = form.framework_id.trim();
    let framework_id = if framework_id.is_empty() {
        None
    } else {
        match Uuid::parse_str(framework_id) {
            Ok(id) => Some(id),
            Err(_) => return not_found(Some(&viewer), "There is no such framework."),
        }
    };
    let input = ja::NewAnalysisInput {
        title: form.title,
        grade: Some(form.grade),
        series: Some(form.series),
        description: None,
        positions_covered: None,
        framework_id,
        tasks: lines(&form.tasks)
            .into_iter()
            .map(|statement| ja::TaskInput {
                id: None,
                statement,
            })
            .collect(),
        competencies: competency_lines(&form.competencies),
        parameters: None,
        analyst: Some(viewer.principal().name.clone()),
    };
    match ja::create(state.store(), &viewer_actor(&viewer), input).await {
        Ok(view) => with_notice(
            see_other(&format!("/job-analyses/{}", view.record.id)),
            "Job analysis created. Next: check the tasks and invite the SMEs.",
        ),
        Err(e) => error_page(Some(&viewer), e),
    }
}

/// An AI-work criterion with the analyst's answer, on the overview.
#[derive(Serialize)]
struct CriterionRow {
    number: u8,
    text: String,
    answer: &'static str,
    evidence: String,
}

/// The analysis as the overview shows it (`a.…`).
#[derive(Serialize)]
struct OverviewAnalysis<'a> {
    id: Uuid,
    framework_id: Option<Uuid>,
    status: &'static str,
    job: &'a JobAnalysis,
    smes: Vec<SmeInfo>,
    responded: usize,
    closed_at: Option<String>,
}

/// `job_analysis.html`.
#[derive(Serialize)]
struct OverviewPage<'a> {
    section: &'static str,
    criteria: Vec<CriterionRow>,
    share: Option<f64>,
    a: OverviewAnalysis<'a>,
    tasks_text: String,
    competencies_text: String,
}

fn answer_word(answer: Answer) -> &'static str {
    match answer {
        Answer::Yes => "yes",
        Answer::No => "no",
        Answer::Unanswered => "unanswered",
    }
}

fn criterion_rows(answers: &AiWorkAnswers) -> Vec<CriterionRow> {
    framewright_catalog::opm_ai_2024()
        .map(|m| m.ai_work.criteria)
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let given = answers.answers.iter().find(|a| a.criterion == c.number);
            CriterionRow {
                number: c.number,
                text: c.text,
                answer: given.map_or("unanswered", |a| answer_word(a.answer)),
                evidence: given.and_then(|a| a.evidence.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let id = or_return!(parse_id(&viewer, &id));
    let view = or_page!(
        Some(&viewer),
        ja::get(state.store(), &viewer_actor(&viewer), id).await
    );
    let responded = view.responded();
    let r = &view.record;
    let job = &r.job;
    let tasks_text: Vec<String> = job
        .tasks
        .iter()
        .map(|t| t.statement.clone().unwrap_or_default())
        .collect();
    let competencies_text: Vec<String> = job
        .competencies
        .iter()
        .map(|c| match &c.name {
            Some(n) => format!("{} | {n}", c.id),
            None => c.id.clone(),
        })
        .collect();
    let page = OverviewPage {
        section: "job-analyses",
        criteria: criterion_rows(&job.ai_work),
        share: job.ai_work.share_of_time_percent,
        a: OverviewAnalysis {
            id: r.id,
            framework_id: r.framework,
            status: r.status.as_str(),
            job,
            smes: view.panel.iter().cloned().map(Into::into).collect(),
            responded,
            closed_at: r.closed_at.map(crate::dto::rfc3339),
        },
        tasks_text: tasks_text.join("\n"),
        competencies_text: competencies_text.join("\n"),
    };
    viewer.page("job_analysis.html", page)
}

#[derive(Debug, serde::Deserialize)]
struct InventoryForm {
    #[serde(default)]
    tasks: String,
    #[serde(default)]
    competencies: String,
    #[serde(default)]
    from_framework: Option<String>,
    #[serde(default)]
    from_tasks: Option<String>,
}

/// The task lines as tasks, keeping the ids of statements kept in place and numbering new ones
/// after the existing ids.
fn tasks_keeping_ids(
    text: &str,
    existing: &[framewright_hiring::survey::Task],
) -> Vec<ja::TaskInput> {
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut next = existing.len() + 1;
    lines(text)
        .into_iter()
        .map(|statement| {
            let id = existing
                .iter()
                .find(|t| {
                    t.statement.as_deref() == Some(statement.as_str()) && !used.contains(&t.id)
                })
                .map(|t| t.id.clone())
                .unwrap_or_else(|| {
                    loop {
                        let candidate = format!("T{next:02}");
                        next += 1;
                        if !existing.iter().any(|t| t.id == candidate) {
                            break candidate;
                        }
                    }
                });
            used.insert(id.clone());
            ja::TaskInput {
                id: Some(id),
                statement,
            }
        })
        .collect()
}

async fn inventory(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<InventoryForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    // Suggesting from the tasks wins over the framework when both boxes are ticked.
    let from_tasks = form.from_tasks.is_some();
    let from_framework = form.from_framework.is_some() && !from_tasks;
    let actor = viewer_actor(&viewer);
    let existing = match ja::get(state.store(), &actor, id).await {
        Ok(v) => v.record.job.tasks,
        Err(e) => return error_page(Some(&viewer), e),
    };
    let input = ja::InventoryInput {
        tasks: Some(tasks_keeping_ids(&form.tasks, &existing)),
        competencies: (!from_framework && !from_tasks)
            .then(|| competency_lines(&form.competencies)),
        competencies_from_framework: from_framework,
        competencies_from_tasks: from_tasks,
    };
    let generator = Generator(&state);
    match ja::set_inventory(state.store(), &actor, id, input, &generator).await {
        Ok(_) => with_notice(
            see_other(&format!("/job-analyses/{id}")),
            "Inventory saved.",
        ),
        Err(e) => error_page(Some(&viewer), e),
    }
}

/// The AI-work answers of the overview's form (`a1`…`a4`, `e1`…`e4`, `share`).
fn ai_work_from_form(form: &[(String, String)]) -> Result<AiWorkAnswers, Problem> {
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut answers = AiWorkAnswers::default();
    for n in 1..=4u8 {
        let answer = match get(&format!("a{n}")).as_deref() {
            Some("yes") => Answer::Yes,
            Some("no") => Answer::No,
            _ => Answer::Unanswered,
        };
        let evidence = get(&format!("e{n}"));
        if answer != Answer::Unanswered || evidence.is_some() {
            answers.answers.push(AiWorkAnswer {
                criterion: n,
                answer,
                evidence,
            });
        }
    }
    if let Some(share) = get("share") {
        match share.parse::<f64>() {
            Ok(v) => answers.share_of_time_percent = Some(v),
            Err(_) => {
                return Err(Problem::invalid(format!(
                    "share of time: \"{share}\" is not a number"
                ))
                .with_field("share", "write a percentage such as 60"));
            }
        }
    }
    Ok(answers)
}

async fn ai_work(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let answers = match ai_work_from_form(&form) {
        Ok(a) => a,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    match ja::set_ai_work(state.store(), &viewer_actor(&viewer), id, answers).await {
        Ok(_) => with_notice(
            see_other(&format!("/job-analyses/{id}")),
            "AI-work answers saved; the documentation report shows them.",
        ),
        Err(e) => error_page(Some(&viewer), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct InviteForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    qualifications: String,
}

/// An SME's link, shown once.
#[derive(Serialize)]
struct LinkRow {
    label: String,
    url: String,
}

/// `job_analysis_links.html`.
#[derive(Serialize)]
struct LinksPage {
    section: &'static str,
    id: Uuid,
    links: Vec<LinkRow>,
}

async fn invite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    posted: Posted<InviteForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let mut smes: Vec<ja::InviteInput> = lines(&form.qualifications)
        .into_iter()
        .map(|q| ja::InviteInput {
            label: None,
            qualifications: Some(q),
        })
        .collect();
    let count: usize = form.count.trim().parse().unwrap_or(0);
    while smes.len() < count {
        smes.push(ja::InviteInput {
            label: None,
            qualifications: None,
        });
    }
    let invited = or_page!(
        Some(&viewer),
        ja::invite(state.store(), &viewer_actor(&viewer), id, smes).await
    );
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.settings().secure_cookies {
        "https"
    } else {
        "http"
    };
    let links = invited
        .into_iter()
        .map(|i| LinkRow {
            url: format!("{scheme}://{host}{}", i.link),
            label: i.label,
        })
        .collect();
    let page = LinksPage {
        section: "job-analyses",
        id,
        links,
    };
    viewer.page("job_analysis_links.html", page)
}

#[derive(Debug, serde::Deserialize)]
struct ImportForm {
    tasks_csv: String,
    competencies_csv: String,
    #[serde(default)]
    linkage_csv: String,
}

async fn import(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ImportForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let input = ja::RatingCsvInput {
        tasks_csv: form.tasks_csv,
        competencies_csv: form.competencies_csv,
        linkage_csv: Some(form.linkage_csv),
    };
    match ja::import_ratings(state.store(), &viewer_actor(&viewer), id, input).await {
        Ok(r) => with_notice(
            see_other(&format!("/job-analyses/{id}")),
            &format!(
                "Imported the ratings of {} SME(s): {} task ratings, {} competency ratings, {} links.",
                r.smes, r.task_ratings, r.competency_ratings, r.links
            ),
        ),
        Err(e) => error_page(Some(&viewer), e),
    }
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let viewer = posted.viewer;
    let id = or_return!(parse_id(&viewer, &id));
    match ja::close_survey(state.store(), &viewer_actor(&viewer), id).await {
        Ok(_) => with_notice(
            see_other(&format!("/job-analyses/{id}/results")),
            "The survey is closed. These are the results.",
        ),
        Err(e) => error_page(Some(&viewer), e),
    }
}

/// `job_analysis_results.html`: the page's header, then the results as the documentation
/// report shows them (one view model, one template: `framewright_interop::document::hiring`).
#[derive(Serialize)]
struct ResultsPage<'a> {
    section: &'static str,
    id: Uuid,
    title: &'a str,
    status: &'static str,
    participation: &'a framewright_hiring::analysis::Participation,
    warnings: &'a [String],
    /// The results fragment, already escaped by its template.
    results: minijinja::Value,
}

async fn results(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let id = or_return!(parse_id(&viewer, &id));
    let (record, analysis) = or_page!(
        Some(&viewer),
        ja::analysis(state.store(), &viewer_actor(&viewer), id).await
    );
    let page = ResultsPage {
        section: "job-analyses",
        id,
        title: &record.job.title,
        status: record.status.as_str(),
        participation: &analysis.participation,
        warnings: &analysis.warnings,
        results: minijinja::Value::from_safe_string(hiring_report::results_html(&analysis)),
    };
    viewer.page("job_analysis_results.html", page)
}

async fn report(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let id = or_return!(parse_id(&viewer, &id));
    let today = crate::dto::today();
    match ja::report(state.store(), &viewer_actor(&viewer), id, today).await {
        Ok(report) => (
            crate::web::document_headers(),
            hiring_report::report_html(&report),
        )
            .into_response(),
        Err(e) => error_page(Some(&viewer), e),
    }
}

/// A cut score on the hiring page.
#[derive(Serialize)]
struct CutRow {
    assessment: String,
    record: Option<CutScoreRecord>,
    set_at: String,
}

/// An applicant on the hiring page.
#[derive(Serialize)]
struct ApplicantRow {
    id: String,
    scores: Option<ApplicantScores>,
    category: Option<String>,
}

/// `job_analysis_hiring.html`.
#[derive(Serialize)]
struct HiringPage {
    section: &'static str,
    id: Uuid,
    title: String,
    /// The blueprint as the documentation report shows it (HTML, escaped by its template).
    blueprint: Option<minijinja::Value>,
    cuts: Vec<CutRow>,
    applicants: Vec<ApplicantRow>,
    rating: Option<CategoryRating>,
    /// Adverse impact from the same view as its Markdown (HTML, escaped by its template).
    impact: Option<minijinja::Value>,
}

/// Stored JSON as the type it was stored from (`None` if it no longer reads).
fn stored<T: serde::de::DeserializeOwned>(value: Option<serde_json::Value>) -> Option<T> {
    value.and_then(|v| serde_json::from_value(v).ok())
}

async fn hiring_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    impact: Option<ImpactReport>,
) -> Response {
    let actor = viewer_actor(viewer);
    let view = or_page!(Some(viewer), ja::get(state.store(), &actor, id).await);
    let cuts = ja::cut_scores(state.store(), &actor, id)
        .await
        .unwrap_or_default();
    let applicants = ja::applicants(state.store(), &actor, id)
        .await
        .unwrap_or_default();
    let record = view.record;
    let page = HiringPage {
        section: "job-analyses",
        id,
        title: record.job.title,
        blueprint: stored::<Blueprint>(record.blueprint)
            .map(|bp| minijinja::Value::from_safe_string(hiring_report::blueprint_html(&bp))),
        cuts: cuts
            .into_iter()
            .map(|c| CutRow {
                assessment: c.assessment,
                record: stored(Some(c.record)),
                set_at: crate::dto::rfc3339(c.set_at),
            })
            .collect(),
        applicants: applicants
            .into_iter()
            .map(|a| ApplicantRow {
                id: a.id,
                scores: stored(Some(a.scores)),
                category: a.category,
            })
            .collect(),
        rating: stored(record.category_rating),
        impact: impact.map(|r| minijinja::Value::from_safe_string(hiring_report::impact_html(&r))),
    };
    viewer.page("job_analysis_hiring.html", page)
}

async fn hiring(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let id = or_return!(parse_id(&viewer, &id));
    hiring_page(&state, &viewer, id, None).await
}

/// After a hiring form: back to the hiring page with a notice, or the problem.
fn after(viewer: &Viewer, id: Uuid, result: Result<String, Problem>) -> Response {
    match result {
        Ok(notice) => with_notice(see_other(&format!("/job-analyses/{id}/hiring")), &notice),
        Err(p) => problem_page(Some(viewer), &p),
    }
}

async fn blueprint(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let methods: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "method")
        .map(|(_, v)| v.clone())
        .collect();
    let input = ja::BlueprintInput {
        methods,
        blueprint: None,
    };
    let result = ja::set_blueprint(state.store(), &viewer_actor(&viewer), id, input)
        .await
        .map(|_| "Blueprint drafted for the retained competencies.".to_string())
        .map_err(problem);
    after(&viewer, id, result)
}

#[derive(Debug, serde::Deserialize)]
struct CutForm {
    assessment: String,
    judgements: String,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    test_sd: String,
    #[serde(default)]
    reliability: String,
}

fn number(text: &str, field: &str) -> Result<Option<f64>, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>().map(Some).map_err(|_| {
        Problem::invalid(format!("{field}: \"{text}\" is not a number"))
            .with_field(field, "write a number such as 0.85")
    })
}

/// The cut-score form as the operation's input, set by `set_by`.
fn cut_input(form: CutForm, set_by: String) -> Result<ja::CutScoreInput, Problem> {
    let parsed = hiring_csv::read_angoff_judgements("judgements", form.judgements.as_bytes())
        .map_err(|e| {
            Problem::invalid(format!("the judgements are not valid: {e}"))
                .with_field("judgements", e.to_string())
        })?;
    let judgements: Vec<AngoffJudgement> = parsed
        .records
        .into_iter()
        .map(|r| AngoffJudgement {
            judge: r.judge,
            item: r.item,
            judgement: r.judgement,
        })
        .collect();
    Ok(ja::CutScoreInput {
        assessment: form.assessment,
        judgements,
        rationale: Some(form.rationale).filter(|r| !r.trim().is_empty()),
        test_sd: number(&form.test_sd, "test_sd")?,
        reliability: number(&form.reliability, "reliability")?,
        lower_by_sem: None,
        set_by,
    })
}

async fn cut_score(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<CutForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let result = async {
        let input = cut_input(form, viewer.principal().name.clone())?;
        let cut = ja::set_cut_score(state.store(), &viewer_actor(&viewer), id, input)
            .await
            .map_err(problem)?;
        Ok(format!(
            "Cut score for {} set: recommended cut {}.",
            cut.assessment, cut.record["recommended_cut"]
        ))
    }
    .await;
    after(&viewer, id, result)
}

#[derive(Debug, serde::Deserialize)]
struct ApplicantsForm {
    csv: String,
}

async fn applicants(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ApplicantsForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let input = ja::ApplicantsInput {
        applicants: Vec::new(),
        csv: Some(form.csv),
    };
    let result = ja::set_applicants(state.store(), &viewer_actor(&viewer), id, input)
        .await
        .map(|list| format!("{} applicant(s) stored.", list.len()))
        .map_err(problem);
    after(&viewer, id, result)
}

#[derive(Debug, serde::Deserialize)]
struct CategoriesForm {
    categories: String,
    weights: String,
    #[serde(default)]
    scientific_professional: Option<String>,
}

fn parse_categories(text: &str) -> Result<CategoryScheme, Problem> {
    let mut categories = Vec::new();
    for (i, line) in lines(text).iter().enumerate() {
        let Some((name, min)) = line.rsplit_once(',') else {
            return Err(Problem::invalid(format!(
                "categories, line {}: write \"name, lowest score\"",
                i + 1
            ))
            .with_field("categories", line.clone()));
        };
        let min_score = min.trim().parse::<f64>().map_err(|_| {
            Problem::invalid(format!(
                "categories, line {}: \"{}\" is not a score",
                i + 1,
                min.trim()
            ))
            .with_field("categories", line.clone())
        })?;
        categories.push(Category {
            name: name.trim().to_string(),
            min_score,
            definition: None,
        });
    }
    Ok(CategoryScheme { categories })
}

fn parse_weights(text: &str) -> Result<std::collections::BTreeMap<String, f64>, Problem> {
    let mut out = std::collections::BTreeMap::new();
    for line in lines(&text.replace(',', "\n")) {
        let (name, weight) = line.split_once('=').unwrap_or((line.as_str(), "1"));
        let weight = weight.trim().parse::<f64>().map_err(|_| {
            Problem::invalid(format!("weights: \"{line}\" needs a number after ="))
                .with_field("weights", line.clone())
        })?;
        out.insert(name.trim().to_string(), weight);
    }
    Ok(out)
}

async fn categories(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<CategoriesForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let result = async {
        let input = ja::CategoryInput {
            weights: parse_weights(&form.weights)?,
            scheme: parse_categories(&form.categories)?,
            scientific_professional: form.scientific_professional.is_some(),
        };
        let rating = ja::rate(state.store(), &viewer_actor(&viewer), id, input)
            .await
            .map_err(problem)?;
        Ok(format!(
            "Applicants rated into {} categories.",
            rating.categories.len()
        ))
    }
    .await;
    after(&viewer, id, result)
}

#[derive(Debug, serde::Deserialize)]
struct ImpactForm {
    flow: String,
    #[serde(default)]
    group: String,
}

async fn impact(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ImpactForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = or_return!(parse_id(&viewer, &id));
    let actor = viewer_actor(&viewer);
    if let Err(e) = ja::get(state.store(), &actor, id).await {
        return error_page(Some(&viewer), e);
    }
    let group = if form.group.trim().is_empty() {
        "group"
    } else {
        form.group.trim()
    };
    let flow = match ja::flow::read_selection_flow("flow", form.flow.as_bytes(), group, None) {
        Ok(f) => f,
        Err(e) => {
            return problem_page(
                Some(&viewer),
                &Problem::invalid(format!("the applicant flow is not valid: {e}"))
                    .with_field("flow", e.to_string()),
            );
        }
    };
    let options = ImpactOptions::default();
    match ja::adverse_impact(state.store(), &actor, id, &flow, &options).await {
        Ok(report) => hiring_page(&state, &viewer, id, Some(report)).await,
        Err(AppError::Invalid { detail, .. }) => problem_page(
            Some(&viewer),
            &Problem::invalid(detail.clone()).with_field("flow", detail),
        ),
        Err(e) => error_page(Some(&viewer), e),
    }
}
