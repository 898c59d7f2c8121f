//! Job analysis over real HTTP, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL: the whole
//! flow for "AI Research Scientist, GS-14" with three SMEs answering through their private
//! links, the rules at their boundaries, a malformed rating file that stores nothing, links
//! that stop answering when the survey closes, and links that only open their own analysis.

use crate::common::{TestServer, each_backend, json};
use framewright_server::Settings;
use reqwest::Method;
use serde_json::{Value, json};

async fn create_framework(s: &TestServer, token: &str) -> String {
    let location = s.create_framework(token, "ai-research").await;
    location.rsplit('/').next().unwrap().to_string()
}

pub(crate) async fn create_analysis(s: &TestServer, token: &str, body: Value) -> String {
    let created = s
        .send_json(token, Method::POST, "/api/v1/job-analyses", &body)
        .await;
    let status = created.status();
    let body = json(created).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

async fn invite(s: &TestServer, token: &str, id: &str, n: usize) -> Vec<Value> {
    let smes: Vec<Value> = (0..n)
        .map(|i| json!({ "qualifications": format!("Research scientist, {} years", 5 + i) }))
        .collect();
    let r = s
        .send_json(
            token,
            Method::POST,
            &format!("/api/v1/job-analyses/{id}/smes"),
            &json!({ "smes": smes }),
        )
        .await;
    assert_eq!(r.status(), 201);
    json(r).await.as_array().unwrap().clone()
}

fn answers(
    task_ratings: &[(&str, u8, u8)],
    competencies: &[(&str, u8, bool)],
    links: &[(&str, &str)],
) -> Value {
    json!({
        "tasks": task_ratings.iter().map(|(t, i, f)| json!({ "task": t, "importance": i, "frequency": f })).collect::<Vec<_>>(),
        "competencies": competencies.iter().map(|(c, i, e)| json!({ "competency": c, "importance": i, "needed_at_entry": e })).collect::<Vec<_>>(),
        "linkage": links.iter().map(|(t, c)| json!({ "task": t, "competency": c, "linked": true })).collect::<Vec<_>>(),
    })
}

async fn put_survey(s: &TestServer, token: &str, body: &Value) -> reqwest::Response {
    s.request(Method::PUT, &format!("/api/v1/survey/{token}"))
        .json(body)
        .send()
        .await
        .unwrap()
}

fn task<'a>(analysis: &'a Value, id: &str) -> &'a Value {
    analysis["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

fn competency<'a>(analysis: &'a Value, id: &str) -> &'a Value {
    analysis["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ai_research_scientist_end_to_end_with_three_smes() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let framework_id = create_framework(&s, designer).await;
        let body = json!({
            "title": "AI Research Scientist, GS-14",
            "grade": "GS-14",
            "series": "1550",
            "framework_id": framework_id,
            "tasks": [
                { "statement": "Designs experiments to evaluate model robustness" },
                { "statement": "Publishes research findings" },
                { "statement": "Maintains the lab's coffee machine" }
            ]
        });
        // A viewer may read but not create.
        let refused = s
            .send_json(&alpha.viewer.token, Method::POST, "/api/v1/job-analyses", &body).await;
        assert_eq!(refused.status(), 403);
        let id = create_analysis(&s, designer, body).await;
        let got = json(
            s.send_as(&alpha.viewer.token, Method::GET, &format!("/api/v1/job-analyses/{id}")).await,
        )
        .await;
        assert_eq!(got["status"], "open");
        assert_eq!(got["job"]["tasks"][0]["id"], "T01");
        // The competency list comes from the framework.
        let competencies: Vec<&str> = got["job"]["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(competencies, ["data-analysis", "prompting"]);

        // Three SMEs, each with a private link shown once.
        let smes = invite(&s, designer, &id, 3).await;
        assert_eq!(smes.len(), 3);
        let tokens: Vec<String> = smes
            .iter()
            .map(|m| m["token"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(smes[0]["label"], "SME-1");
        assert_eq!(smes[0]["link"], format!("/survey/{}", tokens[0]));
        let panel = json(
            s.send_as(designer, Method::GET, &format!("/api/v1/job-analyses/{id}/smes")).await,
        )
        .await;
        assert!(!panel.to_string().contains(&tokens[0]), "links are shown once");

        // The survey opens without an account and shows the OPM anchors.
        let survey = json(
            s.request(Method::GET, &format!("/api/v1/survey/{}", tokens[1]))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(survey["title"], "AI Research Scientist, GS-14");
        assert_eq!(survey["sme"], "SME-2");
        assert_eq!(survey["status"], "open");
        assert_eq!(survey["tasks"].as_array().unwrap().len(), 3);
        assert!(survey["scales"]["task_importance"]["anchors"].as_array().unwrap().len() >= 5);

        // SME-1 first answers, then changes an answer (one response per link).
        let first = answers(
            &[("T01", 5, 5), ("T02", 1, 1), ("T03", 1, 1)],
            &[("data-analysis", 4, true), ("prompting", 2, false)],
            &[("T01", "data-analysis")],
        );
        assert_eq!(put_survey(&s, &tokens[0], &first).await.status(), 204);
        let all = [
            answers(
                &[("T01", 3, 3), ("T02", 4, 4), ("T03", 2, 2)],
                &[("data-analysis", 4, true), ("prompting", 2, false)],
                &[("T01", "data-analysis"), ("T02", "data-analysis")],
            ),
            answers(
                &[("T01", 3, 3), ("T02", 4, 3), ("T03", 2, 1)],
                &[("data-analysis", 5, true), ("prompting", 3, false)],
                &[("T01", "data-analysis")],
            ),
            answers(
                &[("T01", 3, 3), ("T02", 3, 4), ("T03", 1, 2)],
                &[("data-analysis", 3, false), ("prompting", 2, true)],
                &[("T01", "data-analysis"), ("T02", "data-analysis")],
            ),
        ];
        for (token, body) in tokens.iter().zip(&all) {
            assert_eq!(put_survey(&s, token, body).await.status(), 204);
        }
        let again = json(
            s.request(Method::GET, &format!("/api/v1/survey/{}", tokens[0]))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(again["response"]["tasks"][0]["importance"], 3, "the edit replaced the first answer");

        // The inventory cannot lose a task that SMEs have rated.
        let r = s
            .send_json(designer, Method::PUT, &format!("/api/v1/job-analyses/{id}/inventory"), &json!({ "tasks": [{ "id": "T01", "statement": "Designs experiments to evaluate model robustness" }] })).await;
        assert_eq!(r.status(), 409);
        assert!(json(r).await["detail"].as_str().unwrap().contains("task \"T02\""));

        // An answer off the scale is refused, naming it, and nothing changes.
        let bad = answers(&[("T01", 7, 3)], &[], &[]);
        let r = put_survey(&s, &tokens[0], &bad).await;
        assert_eq!(r.status(), 422);
        let problem = json(r).await;
        assert_eq!(problem["errors"][0]["pointer"], "/tasks/0/importance");

        let progress = json(
            s.send_as(designer, Method::GET, &format!("/api/v1/job-analyses/{id}")).await,
        )
        .await;
        assert_eq!(progress["responded"], 3);

        // Close: the links stop taking answers; the page still opens and says closed.
        let closed = s
            .send_as(&alpha.reviewer.token, Method::POST, &format!("/api/v1/job-analyses/{id}/close")).await;
        assert_eq!(closed.status(), 403, "a reviewer cannot close");
        let closed = s
            .send_as(designer, Method::POST, &format!("/api/v1/job-analyses/{id}/close")).await;
        assert_eq!(closed.status(), 200);
        assert_eq!(json(closed).await["status"], "closed");
        let late = put_survey(&s, &tokens[2], &all[0]).await;
        assert_eq!(late.status(), 409);
        assert_eq!(json(late).await["type"], "urn:framewright:problem:survey-closed");
        let survey = json(
            s.request(Method::GET, &format!("/api/v1/survey/{}", tokens[2]))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(survey["status"], "closed");
        // A closed survey takes no new SMEs either.
        let r = s
            .send_json(designer, Method::POST, &format!("/api/v1/job-analyses/{id}/smes"), &json!({ "smes": [{}] })).await;
        assert_eq!(r.status(), 409);

        // Analysis: mean exactly 3.0 is critical; the decisions name their rules.
        let analysis = json(
            s.send_as(&alpha.viewer.token, Method::GET, &format!("/api/v1/job-analyses/{id}/analysis")).await,
        )
        .await;
        let t1 = task(&analysis, "T01");
        assert_eq!(t1["mean_importance"], 3.0);
        assert_eq!(t1["mean_frequency"], 3.0);
        assert_eq!(t1["critical"], true);
        assert!(t1["decisions"].as_array().unwrap().iter().any(|d| d["on_boundary"] == true));
        assert_eq!(task(&analysis, "T02")["critical"], true);
        assert_eq!(task(&analysis, "T03")["critical"], false);
        let da = competency(&analysis, "data-analysis");
        assert_eq!(da["critical"], true);
        assert_eq!(da["retained"], true);
        assert_eq!(competency(&analysis, "prompting")["critical"], false);

        // The documentation report, as JSON and HTML.
        let report = s
            .send_as(designer, Method::GET, &format!("/api/v1/job-analyses/{id}/report")).await;
        assert_eq!(report.status(), 200);
        let report = json(report).await;
        assert_eq!(report["summary"]["tasks_critical"], 2);
        assert!(report.to_string().contains("AI Research Scientist, GS-14"));
        let html = s
            .send_as(designer, Method::GET, &format!("/api/v1/job-analyses/{id}/report?format=html")).await;
        assert_eq!(html.status(), 200);
        assert!(html.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        // The same protection as every page: no scripts, no framing, no sniffing.
        let csp = html.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("script-src"), "{csp}");
        assert_eq!(html.headers()["x-content-type-options"], "nosniff");
        assert_eq!(html.headers()["x-frame-options"], "DENY");
        let html = html.text().await.unwrap();
        assert!(html.contains("AI Research Scientist, GS-14") && html.contains("SME-3"));

        // AI-work answers go into the report.
        let r = s
            .send_json(designer, Method::PUT, &format!("/api/v1/job-analyses/{id}/ai-work"), &json!({ "answers": [{ "criterion": 3, "answer": "yes", "evidence": "60 % of time on model research" }], "share_of_time_percent": 60.0 })).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

        // Blueprint for the retained competency.
        let bp = s
            .send_json(designer, Method::PUT, &format!("/api/v1/job-analyses/{id}/blueprint"), &json!({ "methods": ["structured-interview", "work-sample"] })).await;
        let status = bp.status();
        let bp = json(bp).await;
        assert_eq!(status, 200, "{bp}");
        assert_eq!(bp["blueprint"]["competencies"][0]["competency"], "data-analysis");
        let stored = json(
            s.send_as(&alpha.viewer.token, Method::GET, &format!("/api/v1/job-analyses/{id}/blueprint")).await,
        )
        .await;
        assert_eq!(stored["blueprint"], bp["blueprint"]);

        // Angoff cut score, recorded with who set it.
        let judgements: Vec<Value> = ["J1", "J2", "J3"]
            .iter()
            .enumerate()
            .flat_map(|(j, judge)| {
                (1..=4).map(move |item| {
                    json!({ "judge": judge, "item": format!("Q{item}"), "judgement": 0.6 + 0.05 * j as f64 })
                })
            })
            .collect();
        let cut = s
            .send_json(designer, Method::POST, &format!("/api/v1/job-analyses/{id}/cut-scores"), &json!({ "assessment": "work-sample", "judgements": judgements, "test_sd": 1.0, "reliability": 0.8 })).await;
        let status = cut.status();
        let cut = json(cut).await;
        assert_eq!(status, 201, "{cut}");
        assert_eq!(cut["set_by"], alpha.designer.user.id.to_string());
        assert!(cut["record"]["sem_band"].is_array());
        let cuts = json(
            s.send_as(designer, Method::GET, &format!("/api/v1/job-analyses/{id}/cut-scores")).await,
        )
        .await;
        assert_eq!(cuts.as_array().unwrap().len(), 1);

        // Applicants into categories; a CP veteran goes to the top category unless the
        // scientific/professional GS-9+ exception applies (it does here).
        let r = s
            .send_json(designer, Method::PUT, &format!("/api/v1/job-analyses/{id}/applicants"), &json!({ "csv": "applicant_id,preference,work_sample\nA1,none,92\nA2,cp,75\nA3,none,60\nA4,tp,81\n" })).await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let rating = s
            .send_json(designer, Method::POST, &format!("/api/v1/job-analyses/{id}/category-rating"), &json!({
                "weights": { "work_sample": 1.0 },
                "scheme": { "categories": [
                    { "name": "Best Qualified", "min_score": 90 },
                    { "name": "Well Qualified", "min_score": 80 },
                    { "name": "Qualified", "min_score": 70 }
                ]},
                "scientific_professional": true
            })).await;
        let status = rating.status();
        let rating = json(rating).await;
        assert_eq!(status, 200, "{rating}");
        assert_eq!(rating["categories"][0]["applicants"][0]["id"], "A1");
        let applicants = json(
            s.send_as(designer, Method::GET, &format!("/api/v1/job-analyses/{id}/applicants")).await,
        )
        .await;
        let category = |a: &str| {
            applicants
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["id"] == a)
                .unwrap()["category"]
                .clone()
        };
        assert_eq!(category("A1"), "Best Qualified");
        assert_eq!(category("A2"), "Qualified");
        assert_eq!(category("A4"), "Well Qualified");
        assert_eq!(category("A3"), Value::Null);

        // Adverse impact: an impact ratio of exactly 0.80 is not below four-fifths.
        let mut flow = Vec::new();
        for i in 0..10 {
            flow.push(json!({ "id": format!("a{i}"), "group": "A", "outcomes": [i < 5] }));
            flow.push(json!({ "id": format!("b{i}"), "group": "B", "outcomes": [i < 4] }));
        }
        let impact = s
            .send_json(&alpha.viewer.token, Method::POST, &format!("/api/v1/job-analyses/{id}/adverse-impact"), &json!({ "flow": { "grouping": "sex", "steps": ["work sample"], "applicants": flow } })).await;
        let status = impact.status();
        let impact = json(impact).await;
        assert_eq!(status, 200, "{impact}");
        let b = impact["steps"][0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["group"] == "B")
            .unwrap()
            .clone();
        assert!((b["impact_ratio"].as_f64().unwrap() - 0.8).abs() < 1e-12);
        assert_eq!(b["below_four_fifths"], false);

        // The list shows it; delete removes it and its links.
        let list = json(
            s.send_as(&alpha.viewer.token, Method::GET, "/api/v1/job-analyses").await,
        )
        .await;
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["responded"], 3);
        let r = s
            .send_as(designer, Method::DELETE, &format!("/api/v1/job-analyses/{id}")).await;
        assert_eq!(r.status(), 204);
        let r = s
            .request(Method::GET, &format!("/api/v1/survey/{}", tokens[0]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        s
    })
    .await;
}

/// A position whose ratings sit on the rules' boundaries (with [`BOUNDARY_TASK_RATINGS`] and
/// [`BOUNDARY_COMPETENCY_RATINGS`]): T1 half not performed, T2 means exactly 3, T3 just under.
pub(crate) fn boundary_position() -> Value {
    json!({
        "title": "AI Research Scientist, GS-14",
        "grade": "GS-14",
        "tasks": [
            { "id": "T1", "statement": "Half say not performed" },
            { "id": "T2", "statement": "Mean exactly 3" },
            { "id": "T3", "statement": "Just under 3" }
        ],
        "competencies": [
            { "id": "ml", "name": "Machine Learning" },
            { "id": "stats", "name": "Statistics" }
        ]
    })
}

/// Four SMEs' task ratings for [`boundary_position`] (the CLI's CSV layout).
pub(crate) const BOUNDARY_TASK_RATINGS: &str = "sme_id,task_id,importance,frequency\n\
    S1,T1,0,0\nS2,T1,0,0\nS3,T1,4,4\nS4,T1,4,4\n\
    S1,T2,2,3\nS2,T2,4,3\nS3,T2,3,3\nS4,T2,3,3\n\
    S1,T3,3,3\nS2,T3,3,3\nS3,T3,3,3\nS4,T3,2,3\n";

/// Four SMEs' competency ratings for [`boundary_position`]: ml exactly 50 % needed at entry.
pub(crate) const BOUNDARY_COMPETENCY_RATINGS: &str = "sme_id,competency_id,importance,needed_at_entry\n\
    S1,ml,3,yes\nS2,ml,3,yes\nS3,ml,3,no\nS4,ml,3,no\n\
    S1,stats,3,yes\nS2,stats,3,no\nS3,stats,3,no\nS4,stats,3,no\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boundaries_through_the_api_and_a_malformed_file_stores_nothing() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let id = create_analysis(&s, designer, boundary_position()).await;
        let (tasks, competencies) = (BOUNDARY_TASK_RATINGS, BOUNDARY_COMPETENCY_RATINGS);
        let url = format!("/api/v1/job-analyses/{id}/ratings");

        // A malformed file: row 2 (line 3) has importance 7. Nothing is stored.
        let bad_tasks = tasks.replacen("S2,T1,0,0", "S2,T1,7,0", 1);
        let r = s
            .send_json(
                designer,
                Method::POST,
                &url,
                &json!({ "tasks_csv": bad_tasks, "competencies_csv": competencies }),
            )
            .await;
        assert_eq!(r.status(), 422);
        let problem = json(r).await;
        assert_eq!(
            problem["type"],
            "urn:framewright:problem:invalid-rating-file"
        );
        assert_eq!(
            problem["errors"][0]["pointer"],
            "tasks_csv/row/2/importance"
        );
        assert!(
            problem["errors"][0]["detail"]
                .as_str()
                .unwrap()
                .contains("line 3")
        );
        // An unknown task id is located too, and nothing is stored either.
        let unknown = tasks.replacen("S4,T3,2,3", "S4,T9,2,3", 1);
        let r = s
            .send_json(
                designer,
                Method::POST,
                &url,
                &json!({ "tasks_csv": unknown, "competencies_csv": competencies }),
            )
            .await;
        assert_eq!(r.status(), 422);
        assert_eq!(
            json(r).await["errors"][0]["pointer"],
            "tasks_csv/row/12/task_id"
        );
        let stored = json(s.send_as(designer, Method::GET, &url).await).await;
        assert_eq!(stored["tasks"].as_array().unwrap().len(), 0);
        let panel = json(
            s.send_as(
                designer,
                Method::GET,
                &format!("/api/v1/job-analyses/{id}/smes"),
            )
            .await,
        )
        .await;
        assert_eq!(panel.as_array().unwrap().len(), 0);

        // A viewer cannot import.
        let r = s
            .send_json(
                &alpha.viewer.token,
                Method::POST,
                &url,
                &json!({ "tasks_csv": tasks, "competencies_csv": competencies }),
            )
            .await;
        assert_eq!(r.status(), 403);

        let r = s
            .send_json(
                designer,
                Method::POST,
                &url,
                &json!({ "tasks_csv": tasks, "competencies_csv": competencies }),
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(json(r).await["smes"], 4);

        let analysis = json(
            s.send_as(
                designer,
                Method::GET,
                &format!("/api/v1/job-analyses/{id}/analysis"),
            )
            .await,
        )
        .await;
        // Exactly half not performed: dropped.
        let t1 = task(&analysis, "T1");
        assert_eq!(t1["not_performed_share"], 0.5);
        assert_eq!(t1["dropped"], true);
        assert_eq!(t1["critical"], false);
        // Mean exactly 3.0 on both scales: critical.
        let t2 = task(&analysis, "T2");
        assert_eq!(t2["mean_importance"], 3.0);
        assert_eq!(t2["critical"], true);
        // 2.75: not critical.
        assert_eq!(task(&analysis, "T3")["critical"], false);
        // Competency: mean 3.0 and exactly 50 % needed at entry → critical; 25 % → not.
        assert_eq!(competency(&analysis, "ml")["needed_at_entry_share"], 0.5);
        assert_eq!(competency(&analysis, "ml")["critical"], true);
        assert_eq!(competency(&analysis, "stats")["critical"], false);

        // Changing a parameter changes the decision: importance must now be at least 3.5.
        let mut parameters = analysis["parameters"].clone();
        parameters["task"]["critical_when_mean_importance"] = json!({ "at_least": 3.5 });
        let r = s
            .send_json(
                designer,
                Method::PUT,
                &format!("/api/v1/job-analyses/{id}/parameters"),
                &parameters,
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let analysis = json(
            s.send_as(
                designer,
                Method::GET,
                &format!("/api/v1/job-analyses/{id}/analysis"),
            )
            .await,
        )
        .await;
        assert_eq!(task(&analysis, "T2")["critical"], false);
        assert_eq!(
            analysis["parameters"]["task"]["critical_when_mean_importance"]["at_least"],
            3.5
        );
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_answers_only_its_own_analysis_and_unknown_links_open_nothing() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let body = |title: &str, task: &str| {
            json!({
                "title": title,
                "tasks": [{ "id": task, "statement": "Does the work" }],
                "competencies": [{ "id": "ml" }]
            })
        };
        let a = create_analysis(&s, designer, body("Position A", "TA")).await;
        let b = create_analysis(&s, designer, body("Position B", "TB")).await;
        let link_a = invite(&s, designer, &a, 1).await[0]["token"]
            .as_str()
            .unwrap()
            .to_string();
        let link_b = invite(&s, designer, &b, 1).await[0]["token"]
            .as_str()
            .unwrap()
            .to_string();

        // B's link cannot rate A's task, and stores nothing in A.
        let r = put_survey(&s, &link_b, &answers(&[("TA", 4, 4)], &[], &[])).await;
        assert_eq!(r.status(), 422);
        assert_eq!(json(r).await["errors"][0]["pointer"], "/tasks/0/task");
        assert_eq!(
            put_survey(&s, &link_a, &answers(&[("TA", 4, 4)], &[], &[]))
                .await
                .status(),
            204
        );
        let ratings_a = json(
            s.send_as(
                designer,
                Method::GET,
                &format!("/api/v1/job-analyses/{a}/ratings"),
            )
            .await,
        )
        .await;
        assert_eq!(ratings_a["tasks"].as_array().unwrap().len(), 1);
        let ratings_b = json(
            s.send_as(
                designer,
                Method::GET,
                &format!("/api/v1/job-analyses/{b}/ratings"),
            )
            .await,
        )
        .await;
        assert_eq!(ratings_b["tasks"].as_array().unwrap().len(), 0);

        // Closing A does not close B.
        let r = s
            .send_as(
                designer,
                Method::POST,
                &format!("/api/v1/job-analyses/{a}/close"),
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            put_survey(&s, &link_a, &answers(&[("TA", 5, 5)], &[], &[]))
                .await
                .status(),
            409
        );
        assert_eq!(
            put_survey(&s, &link_b, &answers(&[("TB", 5, 5)], &[], &[]))
                .await
                .status(),
            204
        );

        // Made-up and tampered links open nothing.
        let mut tampered = link_b.clone().into_bytes();
        tampered[0] = if tampered[0] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(tampered).unwrap();
        for token in ["nope", &"0".repeat(64), &tampered] {
            let r = s
                .request(Method::GET, &format!("/api/v1/survey/{token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 404, "{token}");
            let r = put_survey(&s, token, &answers(&[("TB", 1, 1)], &[], &[])).await;
            assert_eq!(r.status(), 404, "{token}");
        }
        s
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_generator_suggests_the_competency_list_from_the_tasks() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let alpha = s.org("alpha").await;
        let designer = &alpha.designer.token;
        let id = create_analysis(
            &s,
            designer,
            json!({ "title": "Machine Learning Engineer", "grade": "GS-13" }),
        )
        .await;
        let put = |body: Value| {
            s.as_(designer, Method::PUT, &format!("/api/v1/job-analyses/{id}/inventory"))
                .json(&body)
                .send()
        };

        // Nothing to suggest from yet.
        let r = put(json!({ "competencies_from_tasks": true })).await.unwrap();
        assert_eq!(r.status(), 422);
        let problem = json(r).await;
        assert_eq!(problem["errors"][0]["pointer"], "/competencies_from_tasks");
        assert!(problem["detail"].as_str().unwrap().contains("no task statements"), "{problem}");

        // Two ways at once are refused.
        let r = put(json!({ "competencies": [{ "id": "x" }], "competencies_from_tasks": true }))
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let problem = json(r).await;
        assert!(problem["detail"].as_str().unwrap().contains("one way"), "{problem}");

        let r = put(json!({
            "tasks": [
                { "id": "T01", "statement": "Design, train and evaluate machine learning models" },
                { "id": "T02", "statement": "Build data pipelines that extract and transform training data" },
                { "id": "T03", "statement": "Test models for bias and drift before deployment" }
            ],
            "competencies_from_tasks": true
        }))
        .await
        .unwrap();
        let status = r.status();
        let info = json(r).await;
        assert_eq!(status, 200, "{info}");
        let competencies = info["job"]["competencies"].as_array().unwrap();
        assert!(
            (6..=12).contains(&competencies.len()),
            "the generator's 6 to 12: {competencies:?}"
        );
        let ids: Vec<&str> = competencies.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert!(ids.contains(&"artificial-intelligence-and-machine-learning"), "{ids:?}");
        assert!(
            competencies
                .iter()
                .all(|c| c["source"] == "opm-ai-2024" && c["name"].is_string()),
            "{competencies:?}"
        );
        // The draft itself is not stored: the analysis names no framework.
        assert!(info["framework_id"].is_null());
        s
    })
    .await;
}
