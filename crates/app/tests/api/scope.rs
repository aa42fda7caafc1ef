//! Data scope: a township sees and changes only its own township, through pages and API.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_township_user_cannot_open_another_townships_region_or_records() {
    on_each_backend(|app, _| async move {
        let tongchuan = login(&app, "tongchuan").await;
        let (status, own) = tongchuan
            .get_json("/api/v1/admin/regions/510722101000")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            own["children"].as_array().unwrap().len(),
            23,
            "潼川镇 has 23 villages and communities"
        );
        let (status, body) = tongchuan
            .get_json("/api/v1/admin/regions/510722104000")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(
            tongchuan
                .get_json("/api/v1/admin/regions/510722000000")
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (status, page) = tongchuan.text("/admin/regions/510722104000").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(page.contains("不在您的管辖范围内"));
        let (_, found) = tongchuan.get_json("/api/v1/admin/regions?q=村").await;
        assert!(
            found
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["code"].as_str().unwrap().starts_with("510722101"))
        );

        // A department of 塔山镇 exists, but not for 潼川镇's user.
        let sysadmin = login(&app, "sysadmin").await;
        let (status, dept) = sysadmin
            .post_json(
                "/api/v1/admin/departments",
                &new_department("塔山镇安办", "510722104000"),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{dept}");
        let id = dept["id"].as_str().unwrap();
        assert_eq!(
            tongchuan
                .get_json(&format!("/api/v1/admin/departments/{id}"))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (_, list) = tongchuan.get_json("/api/v1/admin/departments").await;
        assert_eq!(list["total"], 0, "{list}");
        let tashan = login(&app, "tashan").await;
        assert_eq!(
            tashan
                .get_json(&format!("/api/v1/admin/departments/{id}"))
                .await
                .0,
            StatusCode::OK
        );
    })
    .await;
}

#[tokio::test]
async fn a_township_administrator_manages_only_its_township_accounts() {
    on_each_backend(|app, _| async move {
        let secadmin = login(&app, "secadmin").await;
        let (status, created) = secadmin
            .post_json(
                "/api/v1/admin/users",
                &json!({"username": "tc-admin", "display_name": "潼川管理员", "region_code": "510722101000",
                        "roles": ["system_admin"], "password": "Tc-admin-2026"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert!(created["initial_password"].is_null(), "a chosen password is not echoed back");
        let tc_admin = login_with(&app, "tc-admin", "Tc-admin-2026").await;
        tc_admin
            .post_json(
                "/api/v1/me/password",
                &json!({"current": "Tc-admin-2026", "password": "Tc-admin-2027", "confirm": "Tc-admin-2027"}),
            )
            .await;
        let (status, users) = tc_admin.get_json("/api/v1/admin/users?per_page=200").await;
        assert_eq!(status, StatusCode::OK);
        let regions: Vec<&str> = users["items"].as_array().unwrap().iter().map(|u| u["region_code"].as_str().unwrap()).collect();
        assert!(!regions.is_empty());
        assert!(regions.iter().all(|r| r.starts_with("510722101")), "{regions:?}");

        let county_admin = login(&app, "sysadmin").await;
        let tashan_id = user_id(&county_admin, "tashan").await;
        assert_eq!(tc_admin.get_json(&format!("/api/v1/admin/users/{tashan_id}")).await.0, StatusCode::NOT_FOUND);
        let edit = json!({"username": "tashan", "display_name": "改名", "region_code": "510722101000",
                          "roles": ["township_staff"], "version": 1});
        assert_eq!(tc_admin.patch_json(&format!("/api/v1/admin/users/{tashan_id}"), &edit).await.0, StatusCode::NOT_FOUND);
        // Nor can it place a new account outside its township.
        let (status, body) = tc_admin
            .post_json(
                "/api/v1/admin/users",
                &json!({"username": "outsider", "display_name": "外镇", "region_code": "510722104000", "roles": ["township_staff"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["region_code"].is_string());
        let (status, page) = tc_admin.text(&format!("/admin/users/{tashan_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
    })
    .await;
}
