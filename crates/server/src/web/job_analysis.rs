//! Job-analysis pages: the SME survey (`/survey/{token}`, no account: the link is the key) and
//! the analyst's pages — list and create, inventory, inviting SMEs (links shown once),
//! progress and closing, results with every decision and its rule, the documentation report,
//! and the hiring steps (blueprint, cut score, applicants and category rating, adverse impact).
//!
//! Every action goes through the API's code paths in `routes::job_analyses`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use framewright_hiring::applicants::{Category, CategoryScheme};
use framewright_hiring::cutscore::AngoffJudgement;
use framewright_hiring::survey::SmeResponse;
use framewright_interop::{hiring_csv, hiring_report};
use framewright_store::PageRequest;
use framewright_store::job_analysis::SurveyStatus;
use minijinja::context;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{Posted, Viewer, not_found, problem_page, render_status, see_other, with_notice};
use crate::problem::Problem;
use crate::routes::job_analyses::{
    self as api, ApplicantsBody, BlueprintBody, CategoryBody, CompetencyBody, CutScoreBody,
    ImportBody, InventoryBody, InviteSme, NewAnalysisBody, SurveyAnswers, SurveyCompetencyAnswer,
    SurveyLink, SurveyTaskAnswer, TaskBody,
};
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

fn choices(scale: &Value, current: Option<u64>) -> Vec<Choice> {
    scale["anchors"]
        .as_array()
        .map(|anchors| {
            anchors
                .iter()
                .map(|a| Choice {
                    value: a["value"].to_string(),
                    label: a["label"].as_str().unwrap_or_default().to_string(),
                    checked: a["value"].as_u64() == current && current.is_some(),
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn survey_page(
    state: &AppState,
    token: &str,
    status: StatusCode,
    saved: bool,
    problem: Option<&Problem>,
) -> Response {
    let access = match api::survey_access(state, token).await {
        Ok(a) => a,
        Err(p) => return problem_page(None, &p),
    };
    let info = match api::survey_info(state, &access).await {
        Ok(i) => i,
        Err(p) => return problem_page(None, &p),
    };
    let response: SmeResponse = serde_json::from_value(info.response.clone()).unwrap_or_default();
    let tasks: Vec<TaskRow> = info
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mine = response.tasks.iter().find(|r| r.task == t.id);
            TaskRow {
                index: i,
                id: t.id.clone(),
                statement: t.statement.clone().unwrap_or_else(|| t.id.clone()),
                importance: choices(
                    &info.scales["task_importance"],
                    mine.and_then(|r| r.importance).map(u64::from),
                ),
                frequency: choices(
                    &info.scales["task_frequency"],
                    mine.and_then(|r| r.frequency).map(u64::from),
                ),
            }
        })
        .collect();
    let competencies: Vec<CompetencyRow> = info
        .competencies
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(j, c)| {
            let id = c["id"].as_str().unwrap_or_default().to_string();
            let mine = response.competencies.iter().find(|r| r.competency == id);
            let entry = mine.and_then(|r| r.needed_at_entry);
            CompetencyRow {
                index: j,
                name: c["name"].as_str().unwrap_or(&id).to_string(),
                definition: c["definition"].as_str().map(str::to_string),
                importance: choices(
                    &info.scales["competency_importance"],
                    mine.and_then(|r| r.importance).map(u64::from),
                ),
                entry: vec![
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
                ],
                dv: choices(
                    &info.scales["distinguishing_value"],
                    mine.and_then(|r| r.distinguishing_value).map(u64::from),
                ),
                links: info
                    .tasks
                    .iter()
                    .enumerate()
                    .map(|(i, t)| LinkBox {
                        task_index: i,
                        task: t.id.clone(),
                        statement: t.statement.clone().unwrap_or_else(|| t.id.clone()),
                        checked: response
                            .linkage
                            .iter()
                            .any(|l| l.task == t.id && l.competency == id && l.linked),
                    })
                    .collect(),
                id,
            }
        })
        .collect();
    let errors: Vec<String> = problem
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
    render_status(
        status,
        "survey.html",
        context! {
            token => token,
            title => info.title,
            grade => info.grade,
            sme => info.sme,
            closed => access.analysis.status == SurveyStatus::Closed,
            tasks => tasks,
            competencies => competencies,
            scales => info.scales,
            saved => saved,
            errors => errors,
        },
    )
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
    let access = match api::survey_access(&state, &token).await {
        Ok(a) => a,
        Err(p) => return problem_page(None, &p),
    };
    let job = &access.analysis.job;
    let tasks: Vec<String> = job.tasks.iter().map(|t| t.id.clone()).collect();
    let competencies: Vec<String> = job.competencies.iter().map(|c| c.id.clone()).collect();
    let answers = answers_from_form(&form, &tasks, &competencies);
    private(match api::save_survey(&state, &token, answers).await {
        Ok(()) => see_other(&format!("/survey/{token}?saved=1")),
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
            survey_page(&state, &token, status, false, Some(&p)).await
        }
    })
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

async fn list(State(state): State<AppState>, viewer: Viewer) -> Response {
    let org = viewer.principal().org_id;
    let found = match state
        .store()
        .list_job_analyses(org, PageRequest::first(200))
        .await
    {
        Ok(f) => f,
        Err(e) => return problem_page(Some(&viewer), &e.into()),
    };
    let frameworks = state
        .store()
        .list_frameworks(org, &Default::default(), PageRequest::first(200))
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let rows: Vec<Value> = found
        .items
        .iter()
        .map(|a| {
            serde_json::json!({
                "id": a.id, "title": a.title, "grade": a.grade, "status": a.status.as_str(),
                "smes": a.smes, "responded": a.responded,
            })
        })
        .collect();
    let frameworks: Vec<Value> = frameworks
        .iter()
        .map(|f| serde_json::json!({ "id": f.id, "title": f.title }))
        .collect();
    viewer.page(
        "job_analysis_list.html",
        context! { section => "job-analyses", rows => rows, frameworks => frameworks },
    )
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

fn competency_lines(text: &str) -> Vec<CompetencyBody> {
    lines(text)
        .into_iter()
        .map(|l| match l.split_once('|') {
            Some((id, name)) => CompetencyBody {
                id: id.trim().to_string(),
                name: Some(name.trim().to_string()).filter(|n| !n.is_empty()),
                definition: None,
            },
            None => CompetencyBody {
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
    let body = NewAnalysisBody {
        title: form.title,
        grade: Some(form.grade),
        series: Some(form.series),
        description: None,
        positions_covered: None,
        framework_id,
        tasks: lines(&form.tasks)
            .into_iter()
            .map(|statement| TaskBody {
                id: None,
                statement,
            })
            .collect(),
        competencies: competency_lines(&form.competencies),
        parameters: None,
    };
    match api::create(&state, &viewer.caller(), body).await {
        Ok(record) => with_notice(
            see_other(&format!("/job-analyses/{}", record.id)),
            "Job analysis created. Next: check the tasks and invite the SMEs.",
        ),
        Err(p) => problem_page(Some(&viewer), &p),
    }
}

async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let org = viewer.principal().org_id;
    let record = match api::load(&state, org, id).await {
        Ok(r) => r,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    let info = match api::info(&state, org, record).await {
        Ok(i) => i,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    let tasks_text: Vec<String> = info.job["tasks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t["statement"].as_str().unwrap_or_default().to_string())
        .collect();
    let competencies_text: Vec<String> = info.job["competencies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| match c["name"].as_str() {
            Some(n) => format!("{} | {n}", c["id"].as_str().unwrap_or_default()),
            None => c["id"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    let criteria: Vec<Value> = framewright_catalog::opm_ai_2024()
        .map(|m| m.ai_work.criteria)
        .unwrap_or_default()
        .into_iter()
        .map(|c| {
            let given = info.job["ai_work"]["answers"]
                .as_array()
                .and_then(|a| a.iter().find(|x| x["criterion"] == c.number).cloned())
                .unwrap_or(Value::Null);
            serde_json::json!({
                "number": c.number,
                "text": c.text,
                "answer": given["answer"].as_str().unwrap_or("unanswered"),
                "evidence": given["evidence"].as_str().unwrap_or(""),
            })
        })
        .collect();
    viewer.page(
        "job_analysis.html",
        context! {
            section => "job-analyses",
            criteria => criteria,
            share => info.job["ai_work"]["share_of_time_percent"].as_f64(),
            a => info,
            tasks_text => tasks_text.join("\n"),
            competencies_text => competencies_text.join("\n"),
        },
    )
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

async fn inventory(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<InventoryForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let from_framework = form.from_framework.is_some();
    // Suggesting from the tasks wins over the framework when both boxes are ticked.
    let from_tasks = form.from_tasks.is_some();
    let from_framework = from_framework && !from_tasks;
    // Task ids stay as they were for statements kept in place.
    let org = viewer.principal().org_id;
    let existing = match api::load(&state, org, id).await {
        Ok(r) => r.job.tasks,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut next = existing.len() + 1;
    let tasks: Vec<TaskBody> = lines(&form.tasks)
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
            TaskBody {
                id: Some(id),
                statement,
            }
        })
        .collect();
    let body = InventoryBody {
        tasks: Some(tasks),
        competencies: (!from_framework && !from_tasks)
            .then(|| competency_lines(&form.competencies)),
        competencies_from_framework: from_framework,
        competencies_from_tasks: from_tasks,
    };
    match api::set_inventory_for(&state, &viewer.caller(), id, body).await {
        Ok(()) => with_notice(
            see_other(&format!("/job-analyses/{id}")),
            "Inventory saved.",
        ),
        Err(p) => problem_page(Some(&viewer), &p),
    }
}

async fn ai_work(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let get = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut answers = framewright_hiring::ai_work::AiWorkAnswers::default();
    for n in 1..=4u8 {
        let answer = match get(&format!("a{n}")).as_deref() {
            Some("yes") => framewright_hiring::ai_work::Answer::Yes,
            Some("no") => framewright_hiring::ai_work::Answer::No,
            _ => framewright_hiring::ai_work::Answer::Unanswered,
        };
        let evidence = get(&format!("e{n}"));
        if answer != framewright_hiring::ai_work::Answer::Unanswered || evidence.is_some() {
            answers
                .answers
                .push(framewright_hiring::ai_work::AiWorkAnswer {
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
                return problem_page(
                    Some(&viewer),
                    &Problem::invalid(format!("share of time: \"{share}\" is not a number"))
                        .with_field("share", "write a percentage such as 60"),
                );
            }
        }
    }
    match api::ai_work(&state, &viewer.caller(), id, answers).await {
        Ok(_) => with_notice(
            see_other(&format!("/job-analyses/{id}")),
            "AI-work answers saved; the documentation report shows them.",
        ),
        Err(p) => problem_page(Some(&viewer), &p),
    }
}

#[derive(Debug, serde::Deserialize)]
struct InviteForm {
    #[serde(default)]
    count: String,
    #[serde(default)]
    qualifications: String,
}

async fn invite(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    posted: Posted<InviteForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let mut smes: Vec<InviteSme> = lines(&form.qualifications)
        .into_iter()
        .map(|q| InviteSme {
            label: None,
            qualifications: Some(q),
        })
        .collect();
    let count: usize = form.count.trim().parse().unwrap_or(0);
    while smes.len() < count {
        smes.push(InviteSme {
            label: None,
            qualifications: None,
        });
    }
    let invited = match api::invite(&state, &viewer.caller(), id, smes).await {
        Ok(i) => i,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.settings().secure_cookies {
        "https"
    } else {
        "http"
    };
    let links: Vec<Value> = invited
        .iter()
        .map(|i| serde_json::json!({ "label": i.label, "url": format!("{scheme}://{host}{}", i.link) }))
        .collect();
    viewer.page(
        "job_analysis_links.html",
        context! { section => "job-analyses", id => id, links => links },
    )
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
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let body = ImportBody {
        tasks_csv: form.tasks_csv,
        competencies_csv: form.competencies_csv,
        linkage_csv: Some(form.linkage_csv),
    };
    match api::import(&state, &viewer.caller(), id, body).await {
        Ok(r) => with_notice(
            see_other(&format!("/job-analyses/{id}")),
            &format!(
                "Imported the ratings of {} SME(s): {} task ratings, {} competency ratings, {} links.",
                r.smes, r.task_ratings, r.competency_ratings, r.links
            ),
        ),
        Err(p) => problem_page(Some(&viewer), &p),
    }
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> Response {
    let viewer = posted.viewer;
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let caller = viewer.caller();
    if let Err(p) = caller.require_editor() {
        return problem_page(Some(&viewer), &p);
    }
    match state
        .store()
        .close_survey(caller.principal.org_id, caller.principal.user_id, id)
        .await
    {
        Ok(_) => with_notice(
            see_other(&format!("/job-analyses/{id}/results")),
            "The survey is closed. These are the results.",
        ),
        Err(e) => problem_page(Some(&viewer), &e.into()),
    }
}

async fn results(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let org = viewer.principal().org_id;
    let record = match api::load(&state, org, id).await {
        Ok(r) => r,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    let (_, _, analysis) = match api::run_analysis(&state, org, &record).await {
        Ok(a) => a,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    viewer.page(
        "job_analysis_results.html",
        context! {
            section => "job-analyses",
            id => id,
            title => record.job.title,
            status => record.status.as_str(),
            participation => serde_json::to_value(&analysis.participation).unwrap_or_default(),
            warnings => analysis.warnings,
            results => minijinja::Value::from_safe_string(hiring_report::results_html(&analysis)),
        },
    )
}

async fn report(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let org = viewer.principal().org_id;
    let record = match api::load(&state, org, id).await {
        Ok(r) => r,
        Err(p) => return problem_page(Some(&viewer), &p),
    };
    match api::build_report(&state, org, &record).await {
        Ok(report) => (
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Html(hiring_report::report_html(&report)),
        )
            .into_response(),
        Err(p) => problem_page(Some(&viewer), &p),
    }
}

async fn hiring_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    impact: Option<Value>,
) -> Response {
    let org = viewer.principal().org_id;
    let record = match api::load(state, org, id).await {
        Ok(r) => r,
        Err(p) => return problem_page(Some(viewer), &p),
    };
    let cuts = state
        .store()
        .list_cut_scores(org, id)
        .await
        .unwrap_or_default();
    let cuts: Vec<Value> = cuts
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "assessment": c.assessment, "record": c.record,
                "set_at": crate::dto::rfc3339(c.set_at),
            })
        })
        .collect();
    let applicants = state.store().applicants(org, id).await.unwrap_or_default();
    let applicants: Vec<Value> = applicants
        .into_iter()
        .map(|a| serde_json::json!({ "id": a.id, "scores": a.scores, "category": a.category }))
        .collect();
    viewer.page(
        "job_analysis_hiring.html",
        context! {
            section => "job-analyses",
            id => id,
            title => record.job.title,
            blueprint => record.blueprint,
            cuts => cuts,
            applicants => applicants,
            rating => record.category_rating,
            impact => impact,
        },
    )
}

async fn hiring(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Response {
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
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
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let methods: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "method")
        .map(|(_, v)| v.clone())
        .collect();
    let body = BlueprintBody {
        methods,
        blueprint: None,
    };
    let result = api::save_blueprint(&state, &viewer.caller(), id, body)
        .await
        .map(|_| "Blueprint drafted for the retained competencies.".to_string());
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

async fn cut_score(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<CutForm>,
) -> Response {
    let Posted { viewer, form } = posted;
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let result = async {
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
        let body = CutScoreBody {
            assessment: form.assessment,
            judgements,
            rationale: Some(form.rationale).filter(|r| !r.trim().is_empty()),
            test_sd: number(&form.test_sd, "test_sd")?,
            reliability: number(&form.reliability, "reliability")?,
            lower_by_sem: None,
        };
        let cut = api::cut_score(&state, &viewer.caller(), id, body).await?;
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
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let body = ApplicantsBody {
        applicants: Vec::new(),
        csv: Some(form.csv),
    };
    let result = api::put_applicants(&state, &viewer.caller(), id, body)
        .await
        .map(|list| format!("{} applicant(s) stored.", list.len()));
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
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let result = async {
        let body = CategoryBody {
            weights: parse_weights(&form.weights)?,
            scheme: parse_categories(&form.categories)?,
            scientific_professional: form.scientific_professional.is_some(),
        };
        let rating = api::rate(&state, &viewer.caller(), id, body).await?;
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
    let id = match parse_id(&viewer, &id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    let org = viewer.principal().org_id;
    if let Err(p) = api::load(&state, org, id).await {
        return problem_page(Some(&viewer), &p);
    }
    let group = if form.group.trim().is_empty() {
        "group"
    } else {
        form.group.trim()
    };
    let flow = match hiring_csv::read_applicant_flow("flow", form.flow.as_bytes(), group, None) {
        Ok(f) => f,
        Err(e) => {
            return problem_page(
                Some(&viewer),
                &Problem::invalid(format!("the applicant flow is not valid: {e}"))
                    .with_field("flow", e.to_string()),
            );
        }
    };
    let flow = framewright_hiring::impact::SelectionFlow {
        grouping: flow.group_column.clone(),
        steps: flow.steps.clone(),
        applicants: flow
            .rows
            .records
            .iter()
            .map(|r| framewright_hiring::impact::FlowApplicant {
                id: r.applicant.clone(),
                group: r.group.clone(),
                outcomes: r.outcomes.clone(),
            })
            .collect(),
    };
    let report = framewright_hiring::impact::adverse_impact_by_step(
        &flow,
        &framewright_hiring::impact::ImpactOptions::default(),
    );
    match report {
        Ok(r) => {
            let value = serde_json::to_value(&r).unwrap_or_default();
            hiring_page(&state, &viewer, id, Some(value)).await
        }
        Err(e) => problem_page(
            Some(&viewer),
            &Problem::invalid(e.to_string()).with_field("flow", e.to_string()),
        ),
    }
}
