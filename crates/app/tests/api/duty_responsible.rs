//! 责任人公示: persons added by a township and the county, bad input refused beside its fields
//! (wrong phone, a region out of scope, an unknown kind, a stale edit), an import with bad rows
//! writing nothing (or only the valid rows when asked), the XLSX export, and the public page
//! read without a login with phone numbers masked or in full as the county chooses.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const FENGHUANG: &str = "510722101201";
const TASHAN: &str = "510722104000";

fn person(kind: &str, object: Option<&str>, region: &str, name: &str, phone: &str) -> Value {
    json!({
        "kind": kind, "object_name": object, "region_code": region, "role": "administrative",
        "name": name, "post": "镇长", "phone": phone, "year": 2026
    })
}

async fn create(session: &Session, body: &Value) -> Value {
    let (status, p) = session.post_json("/api/v1/duty/responsible", body).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p
}

async fn upload(session: &Session, rows: &[[&str; 9]], valid_only: bool) -> reqwest::Response {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let bytes = platform::web::xlsx::workbook("责任人", &[""; 9], &rows).unwrap();
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("责任人.xlsx"),
    );
    if valid_only {
        form = form.text("valid_only", "on");
    }
    session
        .client
        .post(session.url(&format!("/duty/responsible/import?_csrf={}", session.csrf)))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn total(session: &Session) -> u64 {
    let (status, page) = session.get_json("/api/v1/duty/responsible").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["total"].as_u64().unwrap()
}

#[tokio::test]
async fn duty_responsible_persons_kept_checked_and_published() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let county = login(&app, "duty").await;

        let mayor = create(
            &town,
            &person("township", None, TONGCHUAN, "王镇长", "13800000001"),
        )
        .await;
        assert_eq!(mayor["township_name"], "潼川镇");
        let reservoir = create(
            &town,
            &json!({"kind": "reservoir", "object_name": "黑虎水库", "region_code": FENGHUANG,
                "role": "patrol", "name": "李巡查", "post": "村委会主任",
                "phone": "0816-5421234", "year": "2026"}),
        )
        .await;
        assert_eq!(reservoir["village_name"], "凤凰村");
        // The county adds one for another township.
        create(
            &county,
            &person("township", None, TASHAN, "赵镇长", "13900000002"),
        )
        .await;

        // Bad input, each beside its field.
        let (status, body) = town
            .post_json(
                "/api/v1/duty/responsible",
                &person("township", None, TONGCHUAN, "甲", "1380000"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["phone"]
                .as_str()
                .unwrap()
                .contains("11 位手机号"),
            "{body}"
        );
        let (status, body) = town
            .post_json(
                "/api/v1/duty/responsible",
                &person("township", None, TASHAN, "乙", "13800000003"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["region_code"]
                .as_str()
                .unwrap()
                .contains("管辖范围"),
            "{body}"
        );
        let (status, body) = town
            .post_json(
                "/api/v1/duty/responsible",
                &person("castle", None, TONGCHUAN, "丙", "13800000003"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["kind"]
                .as_str()
                .unwrap()
                .contains("请选择类别"),
            "{body}"
        );
        let (status, body) = town
            .post_json(
                "/api/v1/duty/responsible",
                &person("reservoir", None, TONGCHUAN, "丁", "13800000003"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["object_name"]
                .as_str()
                .unwrap()
                .contains("水库名称"),
            "{body}"
        );

        // A township sees only its own; the county all.
        assert_eq!(total(&town).await, 2);
        assert_eq!(total(&county).await, 3);

        // An edit against a stale version is refused and changes nothing.
        let id = mayor["id"].as_str().unwrap();
        let mut edit = person("township", None, TONGCHUAN, "王镇长", "13800000009");
        edit["version"] = json!(mayor["version"]);
        let (status, saved) = town
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/responsible/{id}"),
                &edit,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["phone"], "13800000009");
        let (status, body) = county
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/responsible/{id}"),
                &edit,
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (_, now) = county
            .get_json(&format!("/api/v1/duty/responsible/{id}"))
            .await;
        assert_eq!(now["version"], 2);

        // An import with bad rows writes nothing and names every bad row.
        let template = town.get("/duty/responsible/import/template").await;
        assert_eq!(template.status(), StatusCode::OK);
        let rows = [
            [
                "2026",
                "堤防",
                "涪江潼川段堤防",
                "潼川镇",
                "",
                "技术责任人",
                "钱技术",
                "水利站站长",
                "13800000011",
            ],
            [
                "2026",
                "城堡",
                "",
                "潼川镇",
                "",
                "行政责任人",
                "孙某",
                "",
                "13800000012",
            ],
            [
                "2026",
                "乡镇",
                "",
                "塔山镇",
                "",
                "行政责任人",
                "周某",
                "",
                "13800000013",
            ],
            [
                "2026",
                "地灾隐患点",
                "凤凰村滑坡",
                "潼川镇",
                "凤凰村",
                "监测员",
                "吴监测",
                "",
                "12345",
            ],
            [
                "2026",
                "村（社区）",
                "",
                "潼川镇",
                "凤凰村",
                "行政责任人",
                "郑书记",
                "村支书",
                "13800000015",
            ],
        ];
        let r = upload(&town, &rows, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("未导入任何数据"), "{html}");
        for row in ["<td>3</td>", "<td>4</td>", "<td>5</td>"] {
            assert!(html.contains(row), "row {row} listed: {html}");
        }
        assert!(!html.contains("<td>2</td>") && !html.contains("<td>6</td>"));
        assert!(html.contains("类别："), "{html}");
        assert!(html.contains("联系电话："), "{html}");
        assert_eq!(total(&town).await, 2, "nothing written");

        // Only the valid rows, when asked.
        let r = upload(&town, &rows, true).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .contains("count=2&skipped=3")
        );
        assert_eq!(total(&town).await, 4);
        // The same file again: its good rows are already listed, so nothing is imported.
        let r = upload(&town, &rows, true).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("钱技术 已登记为本年度该对象的技术责任人"),
            "{html}"
        );
        assert_eq!(total(&town).await, 4);
        // And by hand: the same person in the same role is refused beside the name.
        let (status, body) = town
            .post_json(
                "/api/v1/duty/responsible",
                &person("township", None, TONGCHUAN, "王镇长", "13800000001"),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");

        // The export, in the template's columns.
        let r = county
            .get("/duty/responsible/export?township=510722101000")
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
        let range = book.worksheet_range("责任人").expect("sheet");
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows.len(), 5, "{rows:?}");
        assert_eq!(rows[0][0], "年度");
        assert!(
            rows.iter().any(|r| r[2] == "黑虎水库"
                && r[4] == "凤凰村"
                && r[5] == "巡查责任人"
                && r[8] == "0816-5421234"),
            "{rows:?}"
        );

        // The public page: no login, masked by default.
        let anonymous = browser();
        let page = |path: &str| {
            let anonymous = anonymous.clone();
            let url = app.url(path);
            async move {
                let r = anonymous.get(url).send().await.unwrap();
                (r.status(), r.text().await.unwrap())
            }
        };
        let (status, html) = page("/public/responsible/510722101000").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("潼川镇") && html.contains("2026年防汛减灾责任人公示"),
            "{html}"
        );
        assert!(
            html.contains("黑虎水库") && html.contains("李巡查"),
            "{html}"
        );
        assert!(html.contains("138****0009"), "{html}");
        assert!(html.contains("0816-***1234"), "{html}");
        assert!(!html.contains("13800000009"));
        assert!(
            html.contains("向所在村（社区）、乡镇（街道）报告") && !html.contains("拨打责任人电话"),
            "masked numbers are not offered for calling"
        );
        assert!(
            !html.contains("赵镇长"),
            "another township's person is not shown"
        );
        assert_eq!(
            page("/public/responsible/510722999000").await.0,
            StatusCode::NOT_FOUND
        );

        // Township staff may not choose the display; the county's duty editors may.
        let (status, _) = town
            .send_json(
                reqwest::Method::PUT,
                "/api/v1/duty/responsible-display",
                &json!({"phone_display": "full", "version": 0}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, s) = county
            .send_json(
                reqwest::Method::PUT,
                "/api/v1/duty/responsible-display",
                &json!({"phone_display": "full", "version": 0}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["phone_display"], "full");
        let (_, html) = page("/public/responsible/510722101000").await;
        assert!(
            html.contains("13800000009") && html.contains("0816-5421234"),
            "{html}"
        );
        assert!(html.contains("请及时拨打责任人电话"));

        // Voided persons leave the page; every change is in the trail.
        let (status, _) = town
            .post_json(
                &format!("/api/v1/duty/responsible/{id}/void"),
                &json!({"reason": "人员调整"}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, html) = page("/public/responsible/510722101000").await;
        assert!(!html.contains("王镇长"));
        let auditor = login(&app, "auditor").await;
        assert_eq!(
            audit_total(&auditor, "entity=duty_responsible_person").await,
            7
        );
        assert_eq!(
            audit_total(&auditor, "action=duty.responsible.display").await,
            1
        );

        // The list page renders for both.
        let (status, html) = town.text("/duty/responsible").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("黑虎水库"));
        assert!(
            !html.contains("name=\"phone_display\""),
            "township cannot set the display"
        );
        let (status, html) = county.text("/duty/responsible").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("name=\"phone_display\""));
    })
    .await;
}
