//! Health, readiness, metrics, OpenAPI, backup.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::*;

#[tokio::test]
async fn health_readiness_and_metrics_answer() {
    on_each_backend(|app, _| async move {
        let client = browser();
        assert_eq!(
            client
                .get(app.url("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        let ready = client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(ready.status(), StatusCode::OK);
        client.get(app.url("/api/v1/me")).send().await.unwrap();
        let metrics = client
            .get(app.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            metrics.contains(
                "yingji_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"} 1"
            ),
            "{metrics}"
        );
        assert!(metrics.contains("yingji_http_request_duration_seconds_bucket"));
        assert!(metrics.contains("yingji_db_pool_connections"));
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route_and_swagger_ui_is_served() {
    on_each_backend(|app, _| async move {
        let client = browser();
        let doc: Value = client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            doc["openapi"].as_str().map(|v| v.starts_with("3.")),
            Some(true)
        );
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/api/v1/me",
            "/api/v1/me/password",
            "/api/v1/me/tokens",
            "/api/v1/me/tokens/{id}/revoke",
            "/api/v1/admin/users",
            "/api/v1/admin/users/{id}",
            "/api/v1/admin/users/{id}/lock",
            "/api/v1/admin/users/{id}/unlock",
            "/api/v1/admin/users/{id}/reset-password",
            "/api/v1/admin/roles",
            "/api/v1/admin/departments",
            "/api/v1/admin/departments/{id}",
            "/api/v1/admin/departments/{id}/void",
            "/api/v1/admin/regions",
            "/api/v1/admin/regions/{code}",
            "/api/v1/admin/audit",
        ] {
            assert!(paths.contains_key(path), "{path} is not documented");
        }
        assert!(paths.keys().all(|p| p.starts_with("/api/v1/")));
        let ui = client.get(app.url("/api/docs/")).send().await.unwrap();
        assert_eq!(ui.status(), StatusCode::OK);
        assert!(ui.text().await.unwrap().contains("swagger"));
    })
    .await;
}

#[tokio::test]
async fn a_live_sqlite_database_is_backed_up_consistently() {
    let app = yingji::testing::TestApp::spawn(&yingji::testing::Backend::Sqlite)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("backup.db");
    platform::db::backup_sqlite(&app.state.db, &out)
        .await
        .unwrap();
    assert!(
        platform::db::backup_sqlite(&app.state.db, &out)
            .await
            .is_err(),
        "never overwrites"
    );
    let copy = platform::db::connect(&format!("sqlite://{}", out.display()))
        .await
        .unwrap();
    use sea_orm::{EntityTrait, PaginatorTrait};
    let users = platform::auth::entity::user::Entity::find()
        .count(&copy)
        .await
        .unwrap();
    assert_eq!(users, 13);
    let regions = platform::regions::entity::Entity::find()
        .count(&copy)
        .await
        .unwrap();
    assert_eq!(regions, 3 + 33 + 462);
}
