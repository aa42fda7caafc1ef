//! Logging in and out, lockout, sessions, passwords, CSRF and API tokens.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use yingji::testing::TEST_PASSWORD;

use crate::support::*;

#[tokio::test]
async fn wrong_passwords_are_counted_and_the_fifth_locks_the_account() {
    on_each_backend(|app, _| async move {
        for attempt in 1..=4 {
            let (_, r) = try_login(&app, "leader", "Wrong-pass-1").await;
            assert_eq!(r.status(), StatusCode::BAD_REQUEST);
            let page = r.text().await.unwrap();
            assert!(
                page.contains(&format!("再错 {} 次账号将被锁定", 5 - attempt)),
                "{page}"
            );
        }
        let secadmin = login(&app, "secadmin").await;
        let (_, list) = secadmin.get_json("/api/v1/admin/users?q=leader").await;
        assert_eq!(list["items"][0]["failed_attempts"], 4);

        let (_, r) = try_login(&app, "leader", "Wrong-pass-1").await;
        assert_eq!(r.status(), StatusCode::LOCKED);
        assert!(r.text().await.unwrap().contains("账号已锁定"));
        // Even the right password is refused while locked.
        let (_, r) = try_login(&app, "leader", TEST_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::LOCKED);

        let (_, list) = secadmin.get_json("/api/v1/admin/users?status=locked").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["username"], "leader");

        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=login.failure").await, 5);
        assert_eq!(audit_total(&auditor, "action=lock").await, 1);
        assert_eq!(audit_total(&auditor, "action=login.blocked").await, 1);

        // The lock lapses after the configured 30 minutes.
        app.clock.advance(Duration::minutes(31));
        let (_, r) = try_login(&app, "leader", TEST_PASSWORD).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_security_administrator_unlocks_and_locks_accounts() {
    on_each_backend(|app, _| async move {
        for _ in 0..5 {
            try_login(&app, "safety", "Wrong-pass-1").await;
        }
        let secadmin = login(&app, "secadmin").await;
        let id = user_id(&secadmin, "safety").await;
        let (status, user) = secadmin
            .post_json(&format!("/api/v1/admin/users/{id}/unlock"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{user}");
        assert_eq!(user["locked"], false);
        assert_eq!(user["failed_attempts"], 0);
        let safety = login(&app, "safety").await;

        let (status, user) = secadmin
            .post_json(
                &format!("/api/v1/admin/users/{id}/lock"),
                &json!({"reason": "离职"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(user["lock_reason"], "离职");
        // Locking ends the user's sessions at once.
        let (status, _) = safety.get_json("/api/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // The system administrator manages accounts but not their security.
        let sysadmin = login(&app, "sysadmin").await;
        let (status, body) = sysadmin
            .post_json(&format!("/api/v1/admin/users/{id}/unlock"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    })
    .await;
}

#[tokio::test]
async fn login_and_logout_are_audited_and_logout_ends_the_session() {
    on_each_backend(|app, _| async move {
        let leader = login(&app, "leader").await;
        let r = leader.post_form("/logout", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/login");
        let (status, body) = leader.get_json("/api/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "unauthorized");
        let auditor = login(&app, "auditor").await;
        assert_eq!(
            audit_total(&auditor, "action=login.success&actor=陈局长").await,
            1
        );
        assert_eq!(audit_total(&auditor, "action=logout&actor=陈局长").await, 1);
    })
    .await;
}

#[tokio::test]
async fn an_idle_session_expires() {
    on_each_backend(|app, _| async move {
        let duty = login(&app, "duty").await;
        app.clock.advance(Duration::minutes(20));
        assert_eq!(duty.get_json("/api/v1/me").await.0, StatusCode::OK);
        app.clock.advance(Duration::minutes(20));
        assert_eq!(
            duty.get_json("/api/v1/me").await.0,
            StatusCode::OK,
            "activity keeps it alive"
        );
        app.clock.advance(Duration::minutes(31));
        assert_eq!(
            duty.get_json("/api/v1/me").await.0,
            StatusCode::UNAUTHORIZED
        );
        // A page request is sent to the login page, remembering where it was going.
        let r = duty.get("/admin/regions").await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/login?next=/admin/regions");
    })
    .await;
}

#[tokio::test]
async fn changes_without_the_csrf_token_or_from_another_site_are_refused() {
    on_each_backend(|app, _| async move {
        let leader = login(&app, "leader").await;
        let r = leader
            .client
            .post(leader.url("/api/v1/me/tokens"))
            .json(&json!({"name": "大屏"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "csrf_failed");
        // A form without the token is refused with a Chinese page.
        let r = leader
            .client
            .post(leader.url("/account/tokens"))
            .form(&[("name", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("请刷新页面后重试"));
        // Another site's page posting with our cookie is refused even with a token.
        let r = leader
            .client
            .post(leader.url("/api/v1/me/tokens"))
            .header("origin", "http://evil.example")
            .header("x-csrf-token", &leader.csrf)
            .json(&json!({"name": "大屏"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let (status, _) = leader
            .post_json("/api/v1/me/tokens", &json!({"name": "大屏"}))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    })
    .await;
}

#[tokio::test]
async fn api_tokens_act_as_their_user_until_revoked() {
    on_each_backend(|app, _| async move {
        let tongchuan = login(&app, "tongchuan").await;
        let (status, created) = tongchuan
            .post_json("/api/v1/me/tokens", &json!({"name": "乡镇大屏"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let token = created["token"].as_str().unwrap().to_string();
        let id = created["info"]["id"].as_str().unwrap().to_string();
        let api = reqwest::Client::new();
        let me: serde_json::Value = api
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["username"], "tongchuan");
        assert_eq!(me["region_code"], "510722101000");
        // Bearer clients need no CSRF token, and keep the user's scope.
        let r = api
            .get(app.url("/api/v1/admin/regions/510722104000"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let (status, _) = tongchuan
            .post_json(&format!("/api/v1/me/tokens/{id}/revoke"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK);
        let r = api
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = api
            .get(app.url("/api/v1/me"))
            .bearer_auth("yj_forged")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        // Someone else's token id is not found.
        let leader = login(&app, "leader").await;
        let (status, _) = leader
            .post_json(&format!("/api/v1/me/tokens/{id}/revoke"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    })
    .await;
}

#[tokio::test]
async fn a_new_account_must_change_its_initial_password_before_working() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let (status, created) = sysadmin
            .post_json(
                "/api/v1/admin/users",
                &json!({"username": "xinren", "display_name": "新人", "region_code": "510722104000", "roles": ["township_staff"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let initial = created["initial_password"].as_str().unwrap().to_string();
        assert!(initial.len() >= 8);
        let newcomer = login_with(&app, "xinren", &initial).await;
        let (status, body) = newcomer.get_json("/api/v1/admin/regions").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "password_change_required");
        let r = newcomer.get("/").await;
        assert_eq!(r.headers()["location"], "/account/password");
        let (status, body) = newcomer
            .post_json("/api/v1/me/password", &json!({"current": initial, "password": "short", "confirm": "short"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["password"].as_str().unwrap().contains("8"));
        let (status, body) = newcomer
            .post_json(
                "/api/v1/me/password",
                &json!({"current": "Not-the-one-1", "password": "Xinren-2026!", "confirm": "Xinren-2026!"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["current"].is_string());
        let (status, _) = newcomer
            .post_json("/api/v1/me/password", &json!({"current": initial, "password": "Xinren-2026!", "confirm": "Xinren-2026!"}))
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, region) = newcomer.get_json("/api/v1/admin/regions/510722104000").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(region["region"]["short_name"], "塔山镇");
        let path: Vec<&str> = region["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            path,
            ["510000000000", "510700000000", "510722000000", "510722104000"],
            "the region's ancestors, province first"
        );
        // The old password no longer works.
        let (_, r) = try_login(&app, "xinren", &initial).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    })
    .await;
}

#[tokio::test]
async fn the_three_administrators_cannot_do_each_others_work() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let auditor_account = json!({"username": "shenji2", "display_name": "审计二", "region_code": "510722000000", "roles": ["auditor"]});
        let (status, _) = sysadmin.post_json("/api/v1/admin/users", &auditor_account).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a system administrator grants no administrator role");
        let secadmin = login(&app, "secadmin").await;
        let (status, _) = secadmin.post_json("/api/v1/admin/users", &auditor_account).await;
        assert_eq!(status, StatusCode::CREATED);
        let both = json!({"username": "both", "display_name": "兼任", "region_code": "510722000000", "roles": ["auditor", "leader"]});
        let (status, body) = secadmin.post_json("/api/v1/admin/users", &both).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["roles"].as_str().unwrap().contains("三员分立"));
        assert_eq!(sysadmin.get_json("/api/v1/admin/audit").await.0, StatusCode::FORBIDDEN);
        let auditor = login(&app, "auditor").await;
        assert_eq!(auditor.get_json("/api/v1/admin/users").await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            auditor.post_json("/api/v1/admin/departments", &new_department("某局", "510722000000")).await.0,
            StatusCode::FORBIDDEN
        );
        let leader = login(&app, "leader").await;
        assert_eq!(leader.get_json("/api/v1/admin/users").await.0, StatusCode::FORBIDDEN);
        assert_eq!(leader.text("/admin/audit").await.0, StatusCode::FORBIDDEN);
    })
    .await;
}
