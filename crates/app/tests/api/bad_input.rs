//! Bad input gets a clear error, never a 500, and nothing half-written.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const INJECTIONS: &[&str] = &[
    "'; DROP TABLE users; --",
    "<script>alert('x')</script>",
    "\" OR 1=1 --",
    "%' OR '1'='1",
];

#[tokio::test]
async fn malformed_requests_get_coded_errors_not_500s() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let raw = |body: &'static str| {
            sysadmin
                .client
                .post(sysadmin.url("/api/v1/admin/departments"))
                .header("x-csrf-token", &sysadmin.csrf)
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        for body in ["{", "[]", "{\"name\": 5}", "", "null"] {
            let r = raw(body).await.unwrap();
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "body {body:?}");
            let v: Value = r.json().await.unwrap();
            assert_eq!(v["error"]["code"], "malformed_json");
        }
        let (status, v) = sysadmin.get_json("/api/v1/admin/departments/not-a-uuid").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(v["error"]["code"], "invalid_path");
        let (status, v) = sysadmin.get_json(&format!("/api/v1/admin/departments/{}", uuid::Uuid::now_v7())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(v["error"]["code"], "not_found");
        let (status, v) = sysadmin.get_json("/api/v1/admin/users?page=abc").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(v["error"]["code"], "invalid_query");
        let (status, v) = sysadmin.get_json("/api/v1/no/such/route").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(v["error"]["code"], "not_found");

        let huge = "x".repeat(5 * 1024 * 1024);
        let r = sysadmin
            .client
            .post(sysadmin.url("/api/v1/admin/departments"))
            .header("x-csrf-token", &sysadmin.csrf)
            .header("content-type", "application/json")
            .body(format!("{{\"name\":\"{huge}\"}}"))
            .send()
            .await
            .unwrap();
        assert!(r.status() == StatusCode::PAYLOAD_TOO_LARGE || r.status() == StatusCode::BAD_REQUEST, "{}", r.status());

        let (status, v) = sysadmin
            .post_json("/api/v1/admin/departments", &json!({"name": "", "region_code": "999999999999", "committees": ["nope"], "liaison_phone": "abc"}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["name", "region_code", "committees", "liaison_phone"] {
            assert!(v["error"]["fields"][field].is_string(), "{field}: {v}");
        }
        let (_, list) = sysadmin.get_json("/api/v1/admin/departments?per_page=200").await;
        assert_eq!(list["total"], 16, "nothing was written by the refused requests");

        // A malformed page form gets a Chinese page, not a 500.
        let r = sysadmin.post_form("/admin/departments/new", &[("sort", "many")]).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert!(r.text().await.unwrap().contains("表单内容格式不正确"));
    })
    .await;
}

#[tokio::test]
async fn injection_strings_are_stored_as_text_and_shown_escaped() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        for (i, text) in INJECTIONS.iter().enumerate() {
            let (status, dept) = sysadmin
                .post_json(
                    "/api/v1/admin/departments",
                    &json!({"name": text, "region_code": "510722000000", "liaison_name": text}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "#{i}: {dept}");
            assert_eq!(dept["name"], *text);
            let (status, found) = sysadmin
                .get_json(&format!("/api/v1/admin/departments?q={}", urlencode(text)))
                .await;
            assert_eq!(status, StatusCode::OK);
            assert!(
                found["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["name"] == *text)
            );
            let (status, _) = sysadmin
                .get_json(&format!("/api/v1/admin/users?q={}", urlencode(text)))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let (_, page) = sysadmin.text("/admin/departments?per_page=100").await;
        assert!(!page.contains("<script>alert"));
        assert!(page.contains("&#60;script&#62;alert"));
        let (status, _) = sysadmin.get_json("/api/v1/admin/users?per_page=5").await;
        assert_eq!(status, StatusCode::OK, "the users table survived");
        let (_, r) = try_login(&app, "' OR '1'='1", "' OR '1'='1").await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    })
    .await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_bad_region_import_is_reported_row_by_row_and_writes_nothing() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let towns = "code,name\n510722101,潼川镇改名\n510722999,\n";
        let villages = "code,name,townshipCode\n510722101201,凤凰村,510722101\n";
        let form = reqwest::multipart::Form::new()
            .text("province_code", "510000000000")
            .text("province_name", "四川省")
            .text("city_code", "510700000000")
            .text("city_name", "绵阳市")
            .text("county_code", "510722000000")
            .text("county_name", "三台县")
            .text("year", "2024")
            .part(
                "townships",
                reqwest::multipart::Part::bytes(towns.as_bytes().to_vec()).file_name("t.csv"),
            )
            .part(
                "villages",
                reqwest::multipart::Part::bytes(villages.as_bytes().to_vec()).file_name("v.csv"),
            );
        let r = sysadmin
            .client
            .post(sysadmin.url(&format!("/admin/regions/import?_csrf={}", sysadmin.csrf)))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("未导入任何数据"));
        assert!(page.contains("名称不能为空"), "{page}");
        let (_, region) = sysadmin
            .get_json("/api/v1/admin/regions/510722101000")
            .await;
        assert_eq!(
            region["region"]["name"], "潼川镇",
            "the valid row was not written either"
        );
    })
    .await;
}

#[tokio::test]
async fn the_region_import_api_lists_every_bad_row_and_imports_a_good_list() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let mut body = json!({
            "province_code": "51", "province_name": "四川省", "city_code": "5107", "city_name": "绵阳市",
            "county_code": "510722", "county_name": "三台县", "year": 2024,
            "townships_csv": "code,name\n510722101,潼川镇\n510722150,新设镇\n510799101,外县镇\n",
            "villages_csv": "code,name,townshipCode\n510722150201,新村村民委员会,510722150\n510722150202,重复村,510722101\n",
        });
        let (status, v) = sysadmin.post_json("/api/v1/admin/regions/import", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["code"], "import_rejected");
        let lines: Vec<u64> = v["error"]["rows"].as_array().unwrap().iter().map(|r| r["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, vec![4, 3], "{v}");
        assert_eq!(sysadmin.get_json("/api/v1/admin/regions/510722150000").await.0, StatusCode::NOT_FOUND);

        body["townships_csv"] = json!("code,name\n510722101,潼川镇\n510722150,新设镇\n");
        body["villages_csv"] = json!("code,name,townshipCode\n510722150201,新村村民委员会,510722150\n");
        let (status, v) = sysadmin.post_json("/api/v1/admin/regions/import", &body).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let (status, town) = sysadmin.get_json("/api/v1/admin/regions/510722150000").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(town["children"][0]["short_name"], "新村");
        let tongchuan = login(&app, "tongchuan").await;
        assert_eq!(tongchuan.post_json("/api/v1/admin/regions/import", &body).await.0, StatusCode::FORBIDDEN);
    })
    .await;
}
