//! The account pages over real HTTP, on every backend: API tokens (created with the secret
//! shown once, usable, revoked) and members (owners manage, others only read; CSRF checked;
//! another organisation's tokens and members out of reach).

use crate::common::{Browser, TestServer, each_backend, json};
use framewright_server::Settings;
use reqwest::Method;

async fn api_status(s: &TestServer, token: &str) -> u16 {
    s.send_as(token, Method::GET, "/api/v1/frameworks")
        .await
        .status()
        .as_u16()
}

async fn member_emails(s: &TestServer, token: &str) -> Vec<(String, String)> {
    let page = json(s.send_as(token, Method::GET, "/api/v1/members").await).await;
    let mut out: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_string(),
                m["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn tokens_are_created_once_used_and_revoked() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let beta = s.org("beta").await;
        let designer = Browser::sign_in(&s, &alpha.designer.user.email).await;

        assert_eq!(
            s.request(Method::GET, "/account/tokens")
                .send()
                .await
                .unwrap()
                .status(),
            303
        );
        let forged = designer
            .post("/account/tokens", &[("name", "forged")], false)
            .await;
        assert_eq!(forged.status(), 403);

        let created = designer
            .post(
                "/account/tokens",
                &[("name", "nightly export"), ("expires_in_days", "30")],
                true,
            )
            .await;
        assert_eq!(created.status(), 200);
        let page = created.text().await.unwrap();
        let start = page.find("value=\"fwt_").expect("the secret is shown") + 7;
        let secret = &page[start..start + page[start..].find('"').unwrap()];
        assert_eq!(api_status(&s, secret).await, 200);

        // Shown once: the list does not have it.
        let list = designer.get("/account/tokens").await.text().await.unwrap();
        assert!(list.contains("nightly export"));
        assert!(!list.contains(secret));

        let bad = designer
            .post(
                "/account/tokens",
                &[("name", "x"), ("expires_in_days", "never")],
                true,
            )
            .await;
        assert_eq!(bad.status(), 422);

        let tokens = json(s.send_as(secret, Method::GET, "/api/v1/tokens").await).await;
        let id = tokens
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "nightly export")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();

        // Someone of another organisation cannot revoke it.
        let outsider = Browser::sign_in(&s, &beta.owner.user.email).await;
        let refused = outsider
            .post(&format!("/account/tokens/{id}/revoke"), &[], true)
            .await;
        assert_eq!(refused.status(), 404);
        assert_eq!(api_status(&s, secret).await, 200);

        let revoked = designer
            .post(&format!("/account/tokens/{id}/revoke"), &[], true)
            .await;
        assert_eq!(revoked.status(), 303);
        assert_eq!(api_status(&s, secret).await, 401);
        s
    })
    .await;
}

#[tokio::test]
async fn owners_manage_members_others_only_read() {
    each_backend(Settings::default(), |s| async move {
        let alpha = s.org("alpha").await;
        let beta = s.org("beta").await;
        let owner_token = alpha.owner.token.clone();
        let before = member_emails(&s, &owner_token).await;

        // A designer sees the members but no forms, and cannot add anyone.
        let designer = Browser::sign_in(&s, &alpha.designer.user.email).await;
        let page = designer.get("/account/members").await;
        assert_eq!(page.status(), 200);
        let page = page.text().await.unwrap();
        assert!(page.contains("viewer@alpha.test"));
        assert!(!page.contains("Add a member"));
        let refused = designer
            .post(
                "/account/members",
                &[
                    ("email", "new@alpha.test"),
                    ("password", "a long enough password"),
                    ("role", "owner"),
                ],
                true,
            )
            .await;
        assert_eq!(refused.status(), 403);
        assert_eq!(member_emails(&s, &owner_token).await, before);

        // The owner adds a new account, changes its role and removes it.
        let owner = Browser::sign_in(&s, &alpha.owner.user.email).await;
        let no_csrf = owner
            .post(
                "/account/members",
                &[("email", "new@alpha.test"), ("role", "viewer")],
                false,
            )
            .await;
        assert_eq!(no_csrf.status(), 403);
        let unknown = owner
            .post(
                "/account/members",
                &[("email", "new@alpha.test"), ("role", "viewer")],
                true,
            )
            .await;
        assert_eq!(unknown.status(), 404, "a new account needs a password");
        let added = owner
            .post(
                "/account/members",
                &[
                    ("email", "new@alpha.test"),
                    ("name", "Newcomer"),
                    ("password", "a long enough password"),
                    ("role", "reviewer"),
                ],
                true,
            )
            .await;
        assert_eq!(added.status(), 303);
        let members = member_emails(&s, &owner_token).await;
        assert!(members.contains(&("new@alpha.test".into(), "reviewer".into())));
        let listed = json(
            s.send_as(&owner_token, Method::GET, "/api/v1/members")
                .await,
        )
        .await;
        let new_id = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == "new@alpha.test")
            .unwrap()["user_id"]
            .as_str()
            .unwrap()
            .to_string();

        // Another organisation's owner cannot touch alpha's members.
        let outsider = Browser::sign_in(&s, &beta.owner.user.email).await;
        let taken = outsider
            .post(
                &format!("/account/members/{new_id}/role"),
                &[("role", "owner")],
                true,
            )
            .await;
        assert_eq!(taken.status(), 404);
        let gone = outsider
            .post(&format!("/account/members/{new_id}/remove"), &[], true)
            .await;
        assert_eq!(gone.status(), 404);
        assert!(
            member_emails(&s, &owner_token)
                .await
                .contains(&("new@alpha.test".into(), "reviewer".into()))
        );

        let changed = owner
            .post(
                &format!("/account/members/{new_id}/role"),
                &[("role", "designer")],
                true,
            )
            .await;
        assert_eq!(changed.status(), 303);
        assert!(
            member_emails(&s, &owner_token)
                .await
                .contains(&("new@alpha.test".into(), "designer".into()))
        );
        let removed = owner
            .post(&format!("/account/members/{new_id}/remove"), &[], true)
            .await;
        assert_eq!(removed.status(), 303);
        assert_eq!(member_emails(&s, &owner_token).await, before);

        // The last owner cannot step down.
        let own_id = alpha.owner.user.id.to_string();
        let last = owner
            .post(
                &format!("/account/members/{own_id}/role"),
                &[("role", "viewer")],
                true,
            )
            .await;
        assert_eq!(last.status(), 409);
        assert_eq!(member_emails(&s, &owner_token).await, before);
        s
    })
    .await;
}
