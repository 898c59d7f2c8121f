//! The job-analysis pages over real HTTP, without JavaScript: an analyst creates the analysis
//! and invites three SMEs (links shown once), each SME answers on the plain survey form, the
//! analyst closes the survey, the links then say "closed", and the results, report and hiring
//! pages show the decisions. Runs on SQLite, and on PostgreSQL when `TEST_DATABASE_URL` is set.

use crate::common::{TestServer, each_backend};
use framewright_server::Settings;
use reqwest::Method;

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let at = html.find(marker).expect("page has a CSRF field");
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Signs in (the session cookie, the same one the sign-in form sets).
async fn login(s: &TestServer, email: &str) -> String {
    s.login(email).await.0
}

async fn page(s: &TestServer, cookie: Option<&str>, path: &str) -> (u16, String) {
    let mut request = s.request(Method::GET, path);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn post(
    s: &TestServer,
    cookie: Option<&str>,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = s.request(Method::POST, path).form(form);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    request.send().await.unwrap()
}

/// Every survey link on the links page.
fn links(html: &str) -> Vec<String> {
    html.split("class=\"survey-link\" href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&#x2f;", "/"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn analyst_and_three_smes_in_the_browser_without_javascript() {
    each_backend(Settings::default(), |s: TestServer| async move {
        let _alpha = s.org("alpha").await;
        // Anonymous visitors of analyst pages go to the sign-in page.
        let anonymous = s.request(Method::GET, "/job-analyses").send().await.unwrap();
        assert_eq!(anonymous.status(), 303);

        let cookie = login(&s, "designer@alpha.test").await;
        let (status, html) = page(&s, Some(&cookie), "/job-analyses").await;
        assert_eq!(status, 200);
        assert!(html.contains("New job analysis"));
        let csrf = csrf_of(&html);

        // Without the CSRF token nothing is created.
        let refused = post(
            &s,
            Some(&cookie),
            "/job-analyses",
            &[("title", "AI Research Scientist, GS-14")],
        )
        .await;
        assert_eq!(refused.status(), 403);

        let created = post(
            &s,
            Some(&cookie),
            "/job-analyses",
            &[
                ("csrf_token", &csrf),
                ("title", "AI Research Scientist, GS-14"),
                ("grade", "GS-14"),
                ("framework_id", ""),
                (
                    "tasks",
                    "Designs experiments to evaluate model robustness\nMaintains the coffee machine",
                ),
                ("competencies", "ml | Machine Learning\nstats | Statistics"),
            ],
        )
        .await;
        assert_eq!(created.status(), 303);
        let location = created.headers()["location"].to_str().unwrap().to_string();
        let (status, html) = page(&s, Some(&cookie), &location).await;
        assert_eq!(status, 200);
        assert!(html.contains("AI Research Scientist, GS-14"));
        assert!(html.contains("0 of 0"));

        // Invite three SMEs: the links are shown once.
        let invited = post(
            &s,
            Some(&cookie),
            &format!("{location}/invite"),
            &[("csrf_token", &csrf), ("count", "3"), ("qualifications", "")],
        )
        .await;
        assert_eq!(invited.status(), 200);
        let html = invited.text().await.unwrap();
        assert!(html.contains("shown only once"));
        let urls = links(&html);
        assert_eq!(urls.len(), 3);
        let paths: Vec<String> = urls
            .iter()
            .map(|u| u[u.find("/survey/").unwrap()..].to_string())
            .collect();
        let (_, overview) = page(&s, Some(&cookie), &location).await;
        for p in &paths {
            assert!(!overview.contains(p.as_str()), "a link is shown only once");
        }

        // Each SME answers on the plain form (no account, no JavaScript).
        let response = s.request(Method::GET, &paths[0]).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
        let form = response.text().await.unwrap();
        assert!(form.contains("<legend>Importance of task 1</legend>"));
        assert!(form.contains("name=\"t0_imp\" value=\"3\""));
        assert!(form.contains("Not performed"));
        assert!(form.contains("name=\"l0_0\""));
        let dont_know = "name=\"t0_imp\" value=\"\" data-kind=\"task\" data-id=\"T01\" data-field=\"importance\" checked";
        assert!(form.contains(dont_know), "unanswered questions start at \"Don't know\"");
        assert!(form.contains("/static/survey.js"));
        for (i, p) in paths.iter().enumerate() {
            let importance = ["3", "4", "3"][i];
            let saved = post(
                &s,
                None,
                p,
                &[
                    ("t0_imp", importance),
                    ("t0_freq", "3"),
                    ("t1_imp", "1"),
                    ("t1_freq", "1"),
                    ("c0_imp", "4"),
                    ("c0_entry", "yes"),
                    ("l0_0", "1"),
                    ("c1_imp", "2"),
                    ("c1_entry", "no"),
                ],
            )
            .await;
            assert_eq!(saved.status(), 303);
            assert_eq!(saved.headers()["location"], format!("{p}?saved=1"));
        }
        let (_, again) = page(&s, None, &format!("{}?saved=1", paths[1])).await;
        assert!(again.contains("Your answers are saved"));
        assert!(!again.contains(dont_know));
        assert!(again.contains("name=\"t0_imp\" value=\"4\" data-kind=\"task\" data-id=\"T01\" data-field=\"importance\" checked"));
        // An answer off the scale is refused and named.
        let bad = post(&s, None, &paths[2], &[("t0_imp", "9")]).await;
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.unwrap().contains("Task 1, importance"));

        let (_, overview) = page(&s, Some(&cookie), &location).await;
        assert!(overview.contains("3 of 3"));

        // Close: the results page shows the decisions; the links say closed.
        let closed = post(
            &s,
            Some(&cookie),
            &format!("{location}/close"),
            &[("csrf_token", &csrf)],
        )
        .await;
        assert_eq!(closed.status(), 303);
        assert_eq!(closed.headers()["location"], format!("{location}/results"));
        let (status, results) = page(&s, Some(&cookie), &format!("{location}/results")).await;
        assert_eq!(status, 200);
        assert!(results.contains("data-task=\"T01\" data-status=\"critical\""), "{results}");
        assert!(results.contains("data-task=\"T02\" data-status=\"not critical\""), "{results}");
        assert!(results.contains("task.critical_when_mean_importance"));
        assert!(results.contains("id=\"agreement\""));
        assert!(results.contains("ICC(A,1)") || results.contains("not computed"));
        let (_, survey) = page(&s, None, &paths[0]).await;
        assert!(survey.contains("This survey is closed"));
        assert!(!survey.contains("<form method=\"post\" action=\"/survey/"));
        let late = post(&s, None, &paths[0], &[("t0_imp", "5")]).await;
        assert_eq!(late.status(), 409);

        // AI-work answers go into the report.
        let saved = post(
            &s,
            Some(&cookie),
            &format!("{location}/ai-work"),
            &[
                ("csrf_token", &csrf),
                ("a3", "yes"),
                ("e3", "About 60 % of the time on model research"),
                ("share", "60"),
            ],
        )
        .await;
        assert_eq!(saved.status(), 303);
        let (_, overview) = page(&s, Some(&cookie), &location).await;
        assert!(overview.contains("About 60 % of the time on model research"));

        // The documentation report and the hiring page.
        let (status, report) = page(&s, Some(&cookie), &format!("{location}/report")).await;
        assert_eq!(status, 200);
        let headers = s
            .request(Method::GET, &format!("{location}/report"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        let headers = headers.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert!(report.contains("AI Research Scientist, GS-14") && report.contains("SME-1"));
        assert!(report.contains("About 60 % of the time on model research"));
        let blueprint = post(
            &s,
            Some(&cookie),
            &format!("{location}/blueprint"),
            &[("csrf_token", &csrf), ("method", "work_sample")],
        )
        .await;
        assert_eq!(blueprint.status(), 303);
        let applicants = post(
            &s,
            Some(&cookie),
            &format!("{location}/applicants"),
            &[
                ("csrf_token", &csrf),
                ("csv", "applicant_id,preference,work_sample\nA1,none,95\nA2,none,72\n"),
            ],
        )
        .await;
        assert_eq!(applicants.status(), 303);
        let rated = post(
            &s,
            Some(&cookie),
            &format!("{location}/categories"),
            &[
                ("csrf_token", &csrf),
                ("categories", "Best Qualified, 90\nQualified, 70"),
                ("weights", "work_sample=1"),
            ],
        )
        .await;
        assert_eq!(rated.status(), 303);
        let (status, hiring) = page(&s, Some(&cookie), &format!("{location}/hiring")).await;
        assert_eq!(status, 200);
        assert!(hiring.contains("Best Qualified"));
        assert!(hiring.contains("<td>A1</td>"));
        // The blueprint as the documentation report shows it.
        assert!(hiring.contains("<div id=\"blueprint\">") && hiring.contains("Work sample"));
        // Adverse impact, from the same view as its Markdown; what the flow says is escaped.
        let impact = post(
            &s,
            Some(&cookie),
            &format!("{location}/impact"),
            &[
                ("csrf_token", &csrf),
                ("group", "sex"),
                ("flow", "applicant_id,sex,test\nP1,M,pass\nP2,<b>F</b>,pass\nP3,M,fail\nP4,<b>F</b>,pass\n"),
            ],
        )
        .await;
        assert_eq!(impact.status(), 200);
        let impact = impact.text().await.unwrap();
        assert!(impact.contains("<div id=\"impact-result\">"), "{impact}");
        assert!(impact.contains("<h3>test — "), "{impact}");
        assert!(impact.contains("<td>&lt;b&gt;F&lt;/b&gt;</td>"), "{impact}");

        // Another organisation sees nothing of it; a viewer cannot invite.
        let _beta = s.org("beta").await;
        let stranger = login(&s, "owner@beta.test").await;
        for path in ["", "/results", "/report", "/hiring"] {
            let (status, html) = page(&s, Some(&stranger), &format!("{location}{path}")).await;
            assert_eq!(status, 404, "{path}");
            assert!(!html.contains("AI Research Scientist"));
        }
        let (_, list) = page(&s, Some(&stranger), "/job-analyses").await;
        assert!(!list.contains(">AI Research Scientist, GS-14</a>"));
        assert!(list.contains("No job analysis yet."));
        let viewer = login(&s, "viewer@alpha.test").await;
        let (status, html) = page(&s, Some(&viewer), &location).await;
        assert_eq!(status, 200);
        assert!(!html.contains("Create private survey links"));
        let refused = post(
            &s,
            Some(&viewer),
            &format!("{location}/blueprint"),
            &[("csrf_token", &csrf_of(&html)), ("method", "work_sample")],
        )
        .await;
        assert_eq!(refused.status(), 403);
        let (_, survey) = page(&s, None, &paths[0]).await;
        assert!(!survey.contains("Create private survey links"));

        // Unknown links open nothing.
        let (status, _) = page(&s, None, &format!("/survey/{}", "0".repeat(64))).await;
        assert_eq!(status, 404);
        s
    })
    .await;
}
