//! 监管对象: validation, scope, optimistic locking, voiding, licences, export and the list page.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// A valid credit code (GB 32100 check character computed by the crate under test).
fn code(body: &str) -> String {
    safety::credit_code::with_check(body)
        .expect("17 valid characters")
        .to_string()
}

fn unit(name: &str, region: &str, credit_code: Option<String>) -> Value {
    json!({
        "name": name,
        "credit_code": credit_code,
        "industry_code": "hazchem_trading",
        "region_code": region,
        "address": "三台县潼川镇北坝路 1 号",
        "latitude": 31.095,
        "longitude": 105.093,
        "legal_representative": "王建国",
        "contact_name": "李明",
        "contact_phone": "13981600001",
        "risk_level": "orange",
        "status": "operating"
    })
}

#[tokio::test]
async fn units_are_validated_created_scoped_locked_voided_and_exported() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;

        // A wrong check character: 422 with the Chinese message beside credit_code.
        let good = code("91510722MA6CU0001");
        let mut bad = good.clone();
        let last = if bad.ends_with('0') { "1" } else { "0" };
        bad.replace_range(17.., last);
        let (status, body) = safety
            .post_json(
                "/api/v1/safety/units",
                &unit("三台县测试化工有限公司", "510722101000", Some(bad)),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = body["error"]["fields"]["credit_code"].as_str().unwrap();
        assert!(message.contains("校验位错误"), "{message}");

        // Coordinates come in pairs.
        let mut half = unit("三台县半坐标公司", "510722101000", None);
        half["longitude"] = Value::Null;
        let (status, body) = safety.post_json("/api/v1/safety/units", &half).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["latitude"].is_string(), "{body}");

        // Valid.
        let (status, created) = safety
            .post_json(
                "/api/v1/safety/units",
                &unit("三台县测试化工有限公司", "510722101000", Some(good.clone())),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["industry_label"], "危险化学品经营");
        assert_eq!(created["region_name"], "潼川镇");
        assert_eq!(created["version"], 1);
        let id = created["id"].as_str().unwrap().to_string();

        // The same credit code again: a field error.
        let (status, body) = safety
            .post_json(
                "/api/v1/safety/units",
                &unit("另一家公司", "510722101000", Some(good.to_lowercase())),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["credit_code"]
                .as_str()
                .unwrap()
                .contains("已登记"),
            "{body}"
        );

        // A licence expiring within the month shows as expiring.
        // The test clock starts at 2026-06-01 09:00 in China.
        let soon = "2026-06-11";
        let (status, licence) = safety
            .post_json(
                &format!("/api/v1/safety/units/{id}/licences"),
                &json!({"kind": "危险化学品经营许可证", "number": "川绵危化经字〔2024〕001", "expires_on": soon}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{licence}");
        assert_eq!(licence["expiry"], "expiring");
        let (_, expiring) = safety
            .get_json("/api/v1/safety/units?licence=expiring")
            .await;
        assert_eq!(expiring["total"], 1, "{expiring}");
        let (_, expired) = safety.get_json("/api/v1/safety/units?licence=expired").await;
        assert_eq!(expired["total"], 0, "{expired}");

        // Township scope: tongchuan sees it, tashan gets 404 everywhere.
        let tongchuan = login(&app, "tongchuan").await;
        let (status, _) = tongchuan
            .get_json(&format!("/api/v1/safety/units/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        let tashan = login(&app, "tashan").await;
        let (status, _) = tashan.get_json(&format!("/api/v1/safety/units/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tashan.text(&format!("/safety/units/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut change = unit("塔山改名", "510722104000", None);
        change["version"] = json!(1);
        let (status, _) = tashan
            .patch_json(&format!("/api/v1/safety/units/{id}"), &change)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = tashan.get_json("/api/v1/safety/units").await;
        assert_eq!(list["total"], 0, "{list}");
        // Nor may tashan register a unit in 潼川镇.
        let (status, body) = tashan
            .post_json("/api/v1/safety/units", &unit("越界公司", "510722101000", None))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["region_code"].is_string());

        // Edit at version 1, then again at version 1: 409 stale_edit.
        let mut edit = unit("三台县测试化工有限公司（更名）", "510722101000", Some(good.clone()));
        edit["version"] = json!(1);
        let (status, edited) = tongchuan
            .patch_json(&format!("/api/v1/safety/units/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["version"], 2);
        let (status, body) = safety
            .patch_json(&format!("/api/v1/safety/units/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");

        // The list page renders the unit, with its licence flagged.
        let (status, page) = safety.text("/safety/units?q=测试化工").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("三台县测试化工有限公司（更名）"), "{page}");
        assert!(page.contains("即将到期"));
        let (status, page) = safety.text(&format!("/safety/units/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("川绵危化经字〔2024〕001"));
        assert!(page.contains("变更记录"));

        // Export what is filtered, read back.
        let response = safety.get("/safety/units/export?q=测试化工").await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        {
            use calamine::Reader;
            let mut book =
                calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
            let sheet = book.worksheet_range("监管对象").expect("sheet");
            let rows: Vec<_> = sheet.rows().collect();
            assert_eq!(rows.len(), 2, "header and one unit");
            assert_eq!(rows[0][0].to_string(), "单位名称");
            assert_eq!(rows[1][0].to_string(), "三台县测试化工有限公司（更名）");
            assert_eq!(rows[1][1].to_string(), good);
        }

        // Void with a reason; the code is free again.
        let (status, body) = safety
            .post_json(&format!("/api/v1/safety/units/{id}/void"), &json!({"reason": " "}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, voided) = safety
            .post_json(&format!("/api/v1/safety/units/{id}/void"), &json!({"reason": "企业注销"}))
            .await;
        assert_eq!(status, StatusCode::OK, "{voided}");
        assert_eq!(voided["voided"], true);
        let (_, list) = safety.get_json("/api/v1/safety/units?q=测试化工").await;
        assert_eq!(list["total"], 0);
        let (status, _) = safety
            .post_json(
                "/api/v1/safety/units",
                &unit("三台县测试化工新公司", "510722101000", Some(good.clone())),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    })
    .await;
}

#[tokio::test]
async fn the_unit_form_keeps_input_and_licences_are_removed() {
    on_each_backend(|app, _| async move {
        let tongchuan = login(&app, "tongchuan").await;
        let response = tongchuan
            .post_form(
                "/safety/units/new",
                &[
                    ("name", "潼川镇豆腐小作坊"),
                    ("credit_code", "12345"),
                    ("industry_code", "small_workshop"),
                    ("region_code", "510722101000"),
                    ("latitude", ""),
                    ("longitude", ""),
                    ("status", "operating"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("统一社会信用代码应为 18 位"), "{page}");
        assert!(page.contains("潼川镇豆腐小作坊"));

        let response = tongchuan
            .post_form(
                "/safety/units/new",
                &[
                    ("name", "潼川镇豆腐小作坊"),
                    ("credit_code", ""),
                    ("industry_code", "small_workshop"),
                    ("region_code", "510722101000"),
                    ("latitude", ""),
                    ("longitude", ""),
                    ("department_id", ""),
                    ("risk_level", ""),
                    ("status", "operating"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, list) = tongchuan.get_json("/api/v1/safety/units?q=豆腐").await;
        let id = list["items"][0]["id"].as_str().unwrap().to_string();

        let (status, licence) = tongchuan
            .post_json(
                &format!("/api/v1/safety/units/{id}/licences"),
                &json!({"kind": "小作坊登记证", "number": "TC-001", "expires_on": "2020-01-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{licence}");
        assert_eq!(licence["expiry"], "expired");
        let lid = licence["id"].as_str().unwrap();
        let tashan = login(&app, "tashan").await;
        let (status, _) = tashan
            .post_json(
                &format!("/api/v1/safety/licences/{lid}/void"),
                &json!({"reason": "错录"}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tongchuan
            .post_json(
                &format!("/api/v1/safety/licences/{lid}/void"),
                &json!({"reason": "错录"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, unit) = tongchuan
            .get_json(&format!("/api/v1/safety/units/{id}"))
            .await;
        assert_eq!(unit["licences"].as_array().unwrap().len(), 0);
    })
    .await;
}

async fn upload(session: &Session, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("units.xlsx"),
    );
    session
        .client
        .post(session.url(&format!("/safety/units/import?_csrf={}", session.csrf)))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_xlsx_import_takes_all_rows_or_none() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let (status, page) = safety.text("/safety/units/import").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("下载导入模板"));
        let template = safety.get("/safety/units/import/template").await;
        assert_eq!(template.status(), StatusCode::OK);
        let bytes = template.bytes().await.unwrap().to_vec();

        // The template's example row is valid: imported.
        let r = upload(&safety, bytes.clone()).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, list) = safety.get_json("/api/v1/safety/units").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["region_name"], "潼川镇");
        assert_eq!(list["items"][0]["risk_level"], "yellow");

        // Again: the credit code is taken, the row is reported and nothing is written.
        let r = upload(&safety, bytes).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("未导入任何数据"), "{page}");
        assert!(page.contains("已登记"), "{page}");
        let (_, list) = safety.get_json("/api/v1/safety/units").await;
        assert_eq!(list["total"], 1);

        // Not a spreadsheet.
        let r = upload(&safety, b"name,code\n".to_vec()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    })
    .await;
}

#[tokio::test]
async fn the_demo_units_load_with_expired_and_expiring_licences() {
    on_each_backend(|app, _| async move {
        safety::units::load_demo(&app.state)
            .await
            .expect("demo units");
        let safety = login(&app, "safety").await;
        let (_, all) = safety.get_json("/api/v1/safety/units").await;
        assert_eq!(all["total"], 40, "{all}");
        let (_, expired) = safety
            .get_json("/api/v1/safety/units?licence=expired")
            .await;
        assert!(expired["total"].as_u64().unwrap() > 0);
        let (_, expiring) = safety
            .get_json("/api/v1/safety/units?licence=expiring")
            .await;
        assert!(expiring["total"].as_u64().unwrap() > expired["total"].as_u64().unwrap());
        let tashan = login(&app, "tashan").await;
        let (_, own) = tashan.get_json("/api/v1/safety/units").await;
        assert_eq!(own["total"], 5, "{own}");
        let (status, page) = safety.text("/safety/units?per_page=50").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("三台县塔山页岩砖厂"));
        assert!(page.contains("已过期"));
        let (status, page) = safety
            .text("/safety/units?township=510722104000&risk=red")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("三台县塔山石料开采有限公司"));
        assert!(!page.contains("三台县塔山页岩砖厂"));
    })
    .await;
}

#[tokio::test]
async fn a_township_user_names_a_county_department_as_supervisor() {
    on_each_backend(|app, _| async move {
        let sysadmin = login(&app, "sysadmin").await;
        let (_, depts) = sysadmin
            .get_json("/api/v1/admin/departments?q=应急管理局")
            .await;
        let bureau = depts["items"][0]["id"].as_str().unwrap().to_string();
        let tongchuan = login(&app, "tongchuan").await;
        let mut input = unit("潼川镇某小作坊", "510722101201", None);
        input["department_id"] = json!(bureau);
        let (status, created) = tongchuan.post_json("/api/v1/safety/units", &input).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["department_name"], "县应急管理局", "{created}");
        let (status, page) = tongchuan.text("/safety/units/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("县应急管理局"),
            "the form offers the county's departments"
        );
    })
    .await;
}
