//! Administration: accounts, departments, optimistic locking, the audit trail and its export.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn a_stale_edit_is_refused_and_says_who_changed_the_record() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let (_, dept) = sysadmin
            .post_json(
                "/api/v1/admin/departments",
                &new_department("县商务局", "510722000000"),
            )
            .await;
        let id = dept["id"].as_str().unwrap().to_string();
        let version = dept["version"].as_i64().unwrap();
        let mut first = new_department("县商务和经济合作局", "510722000000");
        first["version"] = json!(version);
        let (status, saved) = sysadmin
            .patch_json(&format!("/api/v1/admin/departments/{id}"), &first)
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["version"], version + 1);
        let mut second = new_department("县商务局（旧）", "510722000000");
        second["version"] = json!(version);
        let (status, body) = sysadmin
            .patch_json(&format!("/api/v1/admin/departments/{id}"), &second)
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "stale_edit");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("王系统"),
            "{body}"
        );
        let (_, now) = sysadmin
            .get_json(&format!("/api/v1/admin/departments/{id}"))
            .await;
        assert_eq!(
            now["name"], "县商务和经济合作局",
            "the stale edit changed nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn departments_are_voided_with_a_reason_and_every_change_is_audited() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let (_, dept) = sysadmin
            .post_json(
                "/api/v1/admin/departments",
                &new_department("县粮食局", "510722000000"),
            )
            .await;
        let id = dept["id"].as_str().unwrap().to_string();
        let (status, body) = sysadmin
            .post_json(
                &format!("/api/v1/admin/departments/{id}/void"),
                &json!({"reason": " "}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, voided) = sysadmin
            .post_json(
                &format!("/api/v1/admin/departments/{id}/void"),
                &json!({"reason": "机构改革撤并"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(voided["voided"], true);
        let (_, live) = sysadmin.get_json("/api/v1/admin/departments?q=粮食").await;
        assert_eq!(live["total"], 0);
        let (_, all) = sysadmin
            .get_json("/api/v1/admin/departments?q=粮食&voided=true")
            .await;
        assert_eq!(all["total"], 1);

        let auditor = login(&app, "auditor").await;
        let (_, trail) = auditor
            .get_json(&format!(
                "/api/v1/admin/audit?entity=department&record_id={id}"
            ))
            .await;
        let actions: Vec<&str> = trail["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, vec!["void", "create"]);
        let void_row = &trail["items"][0];
        assert_eq!(void_row["actor_name"], "王系统");
        assert!(
            void_row["before"]
                .as_str()
                .unwrap()
                .contains("\"voided\":false")
        );
        assert!(void_row["after"].as_str().unwrap().contains("机构改革撤并"));
    })
    .await;
}

#[tokio::test]
async fn the_auditor_exports_the_filtered_trail_to_xlsx() {
    on_each_backend(|app, _| async move {
        for _ in 0..3 {
            try_login(&app, "rescue", "Wrong-pass-1").await;
        }
        let auditor = login(&app, "auditor").await;
        let total = audit_total(&auditor, "action=login.failure").await;
        assert_eq!(total, 3);
        let r = auditor
            .get("/admin/audit/export?action=login.failure")
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("filename*=UTF-8''")
        );
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("审计日志").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows[0][0].to_string(), "时间");
        assert_eq!(rows.len() as u64, total + 1);
        assert!(rows[1..].iter().all(|r| r[2] == "登录失败"));
        assert!(rows[1][6].to_string().contains("密码错误"));
        let (status, page) = auditor.text("/admin/audit?action=login.failure").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("吴救援"));
    })
    .await;
}

#[tokio::test]
async fn every_role_sees_its_home_page_and_navigation_in_chinese() {
    on_each_backend(|app, backend| async move {
        let accounts = [
            ("sysadmin", "王系统"),
            ("secadmin", "李安全"),
            ("auditor", "赵审计"),
            ("leader", "陈局长"),
            ("safety", "刘安监"),
            ("tongchuan", "潼川镇应急办"),
            ("village", "村联络员"),
            ("housing", "住建局联络员"),
            ("enterprise", "企业安全员"),
        ];
        for (username, name) in accounts {
            let session = login(&app, username).await;
            let (status, home) = session.text("/").await;
            assert_eq!(status, StatusCode::OK, "{username} on {}", backend.name());
            assert!(home.contains(&format!("{name}，您好")));
            assert!(home.contains("我的待办"));
            // The region's counts: the demo county has 33 townships and 462 villages, 潼川镇 is
            // one township with its villages.
            let count = |label: &str| {
                let after = home.split(label).nth(1).unwrap_or_default();
                let n = after.split("class=\"n\">").nth(1).unwrap_or_default();
                n.split('<').next().unwrap_or_default().to_string()
            };
            if username == "leader" {
                assert_eq!(count("管辖乡镇（街道）"), "33", "{username}");
                assert_eq!(count("管辖村（社区）"), "462", "{username}");
            }
            if username == "tongchuan" {
                assert_eq!(count("管辖乡镇（街道）"), "1", "{username}");
                assert_ne!(count("管辖村（社区）"), "0", "{username}");
            }
            let links: Vec<String> = home
                .split("class=\"nav-group\"")
                .skip(1)
                .flat_map(|group| {
                    group
                        .split("href=\"")
                        .skip(1)
                        .map(|s| s.split('"').next().unwrap_or("").to_string())
                })
                .collect();
            assert!(!links.is_empty());
            for link in links {
                let (status, page) = session.text(&link).await;
                let ok = status == StatusCode::OK || status == StatusCode::SEE_OTHER;
                assert!(ok, "{username} opening {link}: {status} {page}");
            }
        }
        // The auditor's home shows the login failures waiting to be looked at.
        try_login(&app, "leader", "Wrong-pass-1").await;
        let auditor = login(&app, "auditor").await;
        assert!(
            auditor
                .text("/")
                .await
                .1
                .contains("近 24 小时登录失败 1 次")
        );
    })
    .await;
}

#[tokio::test]
async fn users_pages_create_an_account_and_keep_what_was_typed_on_errors() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let r = sysadmin
            .post_form(
                "/admin/users/new",
                &[
                    ("username", "a"),
                    ("display_name", "<b>粗体</b>"),
                    ("region_code", "510722104000"),
                    ("roles", "township_staff"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("用户名为 3–32 位"));
        assert!(
            page.contains("&#60;b&#62;粗体&#60;/b&#62;"),
            "what was typed is kept, escaped"
        );
        let r = sysadmin
            .post_form(
                "/admin/users/new",
                &[
                    ("username", "tashan2"),
                    ("display_name", "塔山二"),
                    ("region_code", "510722104000"),
                    ("roles", "township_staff"),
                    ("roles", "duty_officer"),
                    ("department_id", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"initial-password\""));
        assert!(
            page.contains("乡镇工作人员、值班人员") || page.contains("值班人员、乡镇工作人员"),
            "{page}"
        );
        let (_, list) = sysadmin.get_json("/api/v1/admin/users?q=tashan2").await;
        assert_eq!(list["items"][0]["must_change_password"], true);
    })
    .await;
}

#[tokio::test]
async fn code_tables_carry_both_accident_type_editions_and_edits_are_versioned() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let (status, dicts) = safety.get_json("/api/v1/admin/dicts").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "any logged-in user reads code tables"
        );
        let accident = dicts
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "accident_type")
            .expect("accident types");
        let editions = accident.to_string();
        assert!(
            editions.contains("GB6441-1986") && editions.contains("GB6441-2025"),
            "{editions}"
        );
        let (_, items) = safety
            .get_json("/api/v1/admin/dicts/accident_type/items?edition=GB6441-1986")
            .await;
        let items = items.as_array().unwrap();
        assert_eq!(items.len(), 20);
        assert!(items.iter().any(|i| i["label"] == "物体打击"));
        let (status, _) = safety
            .post_json(
                "/api/v1/admin/dicts/unit_industry/items",
                &json!({"code": "x1", "label": "测试"}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "only administrators edit code tables"
        );

        let sysadmin = login(&app, "sysadmin").await;
        let (status, item) = sysadmin
            .post_json(
                "/api/v1/admin/dicts/unit_industry/items",
                &json!({"code": "kiln_x", "label": "页岩砖厂（试）"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{item}");
        let id = item["id"].as_str().unwrap();
        let (status, body) = sysadmin
            .post_json(
                "/api/v1/admin/dicts/unit_industry/items",
                &json!({"code": "kiln_x", "label": "重复"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["code"].is_string());
        let version = item["version"].as_i64().unwrap();
        let path = format!("/api/v1/admin/dict-items/{id}");
        let (status, _) = sysadmin
            .patch_json(&path, &json!({"label": "页岩砖厂", "version": version}))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = sysadmin
            .patch_json(&path, &json!({"label": "旧的", "version": version}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "stale_edit");
        let (status, page) = sysadmin.text("/admin/dicts/unit_industry").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("页岩砖厂"));
    })
    .await;
}
