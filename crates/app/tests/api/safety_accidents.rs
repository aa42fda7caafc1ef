//! 生产安全事故 over HTTP: grade boundaries, the one-hour report clock, validation, type editions,
//! casualty revisions (续报) and their time limits, the investigation steps in order, scope,
//! optimistic locking, audit, totals, export and the pages. The test clock starts at
//! 2026-06-01 09:00 in China.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

/// An accident with 2 deaths reported exactly one hour after it happened.
fn accident(region: &str) -> Value {
    json!({
        "occurred_at": "2026-05-31T08:00",
        "reported_at": "2026-05-31T09:00",
        "region_code": region,
        "place": "原料堆场",
        "party_name": "三台县事故测试建材有限公司",
        "type_code": "01",
        "deaths": 2,
        "serious_injuries": 0,
        "direct_loss_yuan": 500000,
        "summary": "堆垛钢管滚落砸伤作业人员"
    })
}

fn with(mut body: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn create(session: &Session, body: &Value) -> Value {
    let (status, created) = session.post_json("/api/v1/safety/accidents", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

/// POST that must be refused with 422 naming `field`.
async fn refused_field(session: &Session, path: &str, body: &Value, field: &str) -> String {
    let (status, answer) = session.post_json(path, body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    answer["error"]["fields"][field]
        .as_str()
        .unwrap_or_else(|| panic!("no error on {field}: {answer}"))
        .to_string()
}

#[tokio::test]
async fn grades_the_report_clock_and_bad_input() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let path = "/api/v1/safety/accidents";

        let a = create(&safety, &accident(TONGCHUAN)).await;
        assert_eq!(a["number"], "SG2026-0001");
        assert_eq!(a["grade"], "ordinary", "2 deaths");
        assert_eq!(a["late"], false, "exactly 60 minutes is on time");
        assert_eq!(a["late_by"], Value::Null);
        assert_eq!(a["state"], "reported");
        assert_eq!(a["type_edition"], "GB6441-1986");
        assert_eq!(a["type_label"], "物体打击");
        assert_eq!(a["direct_loss_fen"], 50_000_000);
        assert_eq!(a["occurred_at"], "2026-05-31T00:00:00Z");

        for (changes, grade) in [
            (json!({"deaths": 3}), "larger"),
            (json!({"deaths": 0, "serious_injuries": 10}), "larger"),
            (
                json!({"deaths": 0, "direct_loss_yuan": 10_000_000}),
                "larger",
            ),
            (
                json!({"deaths": 0, "direct_loss_yuan": "9999999.99"}),
                "ordinary",
            ),
            (json!({"deaths": 0, "serious_injuries": 9}), "ordinary"),
        ] {
            let created = create(&safety, &with(accident(TONGCHUAN), changes.clone())).await;
            assert_eq!(created["grade"], grade, "{changes}");
        }

        let late = create(
            &safety,
            &with(
                accident(TONGCHUAN),
                json!({"reported_at": "2026-05-31T09:01"}),
            ),
        )
        .await;
        assert_eq!(late["late"], true, "61 minutes is late");
        assert_eq!(late["late_by"], "1分");
        let (_, listed) = safety.get_json(&format!("{path}?late=true")).await;
        assert_eq!(listed["total"], 1, "{listed}");
        let (_, listed) = safety.get_json(&format!("{path}?grade=larger")).await;
        assert_eq!(listed["total"], 3, "{listed}");

        let message = refused_field(
            &safety,
            path,
            &with(
                accident(TONGCHUAN),
                json!({"reported_at": "2026-05-31T07:59"}),
            ),
            "reported_at",
        )
        .await;
        assert!(message.contains("不能早于事故发生时间"), "{message}");
        refused_field(
            &safety,
            path,
            &with(
                accident(TONGCHUAN),
                json!({"occurred_at": "2026-06-02T08:00", "reported_at": "2026-06-02T08:30"}),
            ),
            "occurred_at",
        )
        .await;
        for field in ["deaths", "missing", "serious_injuries", "minor_injuries"] {
            let message = refused_field(
                &safety,
                path,
                &with(accident(TONGCHUAN), json!({ field: -1 })),
                field,
            )
            .await;
            assert!(message.contains("不小于 0 的整数"), "{message}");
        }
        refused_field(
            &safety,
            path,
            &with(accident(TONGCHUAN), json!({"deaths": 1.5})),
            "deaths",
        )
        .await;

        // Types: unknown codes and editions are field errors; either edition may be named.
        refused_field(
            &safety,
            path,
            &with(accident(TONGCHUAN), json!({"type_code": "99"})),
            "type_code",
        )
        .await;
        refused_field(
            &safety,
            path,
            &with(accident(TONGCHUAN), json!({"type_code": "27"})),
            "type_code",
        )
        .await;
        refused_field(
            &safety,
            path,
            &with(
                accident(TONGCHUAN),
                json!({"type_code": "01", "type_edition": "GB6441-1999"}),
            ),
            "type_code",
        )
        .await;
        let newer = create(
            &safety,
            &with(
                accident(TONGCHUAN),
                json!({"type_code": "27", "type_edition": "GB6441-2025"}),
            ),
        )
        .await;
        assert_eq!(newer["type_edition"], "GB6441-2025");
        assert_eq!(newer["type_label"], "其他事故");
        let (_, fetched) = safety
            .get_json(&format!("{path}/{}", newer["id"].as_str().unwrap()))
            .await;
        assert_eq!(
            fetched["type_edition"], "GB6441-2025",
            "the edition is stored"
        );
        let (_, listed) = safety
            .get_json(&format!("{path}?type=GB6441-2025/27"))
            .await;
        assert_eq!(listed["total"], 1, "{listed}");

        // No unit and no party; a region outside the county.
        let mut nobody = accident(TONGCHUAN);
        nobody.as_object_mut().unwrap().remove("party_name");
        refused_field(&safety, path, &nobody, "party_name").await;
        refused_field(
            &safety,
            path,
            &with(accident(TONGCHUAN), json!({"region_code": "510723101000"})),
            "region_code",
        )
        .await;
    })
    .await;
}

#[tokio::test]
async fn revisions_and_the_investigation_in_order() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let struck = create(
            &safety,
            &with(
                accident(TONGCHUAN),
                json!({"occurred_at": "2026-05-20T08:00", "reported_at": "2026-05-20T08:30", "deaths": 1}),
            ),
        )
        .await;
        let id = struck["id"].as_str().unwrap().to_string();
        let base = format!("/api/v1/safety/accidents/{id}");

        // Counts do not change by editing.
        let (status, body) = safety
            .patch_json(
                &base,
                &with(
                    accident(TONGCHUAN),
                    json!({"occurred_at": "2026-05-20T08:00", "reported_at": "2026-05-20T08:30", "deaths": 3, "version": 1}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["deaths"]
                .as_str()
                .unwrap()
                .contains("续报"),
            "{body}"
        );

        // 续报 needs a reason; with it the grade follows the new counts.
        let revisions = format!("{base}/revisions");
        refused_field(&safety, &revisions, &json!({"deaths": 3, "version": 1}), "reason").await;
        refused_field(
            &safety,
            &revisions,
            &json!({"deaths": 1, "reason": "无变化", "version": 1}),
            "deaths",
        )
        .await;
        let (status, revised) = safety
            .post_json(
                &revisions,
                &json!({"deaths": 3, "reason": "两名重伤者经抢救无效死亡", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{revised}");
        assert_eq!(revised["deaths"], 3);
        assert_eq!(revised["grade"], "larger");
        assert_eq!(revised["revisions"][0]["before"]["deaths"], 1);
        assert_eq!(revised["revisions"][0]["after"]["deaths"], 3);
        assert_eq!(
            revised["revisions"][0]["reason"],
            "两名重伤者经抢救无效死亡"
        );

        // Road traffic: 7 days; 12 days on is too late. Fire in the newer edition: 4 days is fine.
        let road = create(
            &safety,
            &with(
                accident(TONGCHUAN),
                json!({"type_code": "02", "occurred_at": "2026-05-20T08:00", "reported_at": "2026-05-20T08:30"}),
            ),
        )
        .await;
        let (status, body) = safety
            .post_json(
                &format!(
                    "/api/v1/safety/accidents/{}/revisions",
                    road["id"].as_str().unwrap()
                ),
                &json!({"deaths": 3, "reason": "伤者死亡", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "revision_too_late");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("7 天"),
            "{body}"
        );
        let fire = create(
            &safety,
            &with(
                accident(TONGCHUAN),
                json!({"type_code": "09", "type_edition": "GB6441-2025", "occurred_at": "2026-05-28T08:00", "reported_at": "2026-05-28T08:30"}),
            ),
        )
        .await;
        assert_eq!(fire["type_label"], "火灾");
        let (status, body) = safety
            .post_json(
                &format!(
                    "/api/v1/safety/accidents/{}/revisions",
                    fire["id"].as_str().unwrap()
                ),
                &json!({"serious_injuries": 1, "reason": "诊断为重伤", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // Past its 30 days, the struck-by accident can no longer be revised either.
        app.clock.advance(chrono::Duration::days(20));
        let safety = login(&app, "safety").await;
        let (status, body) = safety
            .post_json(
                &revisions,
                &json!({"deaths": 4, "reason": "又一名伤者死亡", "version": 2}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "revision_too_late");

        // Out of order: publish or approve before the investigation.
        let (status, body) = safety
            .post_json(
                &format!("{base}/publish"),
                &json!({"published_on": "2026-06-10", "channel": "县政府网站", "version": 2}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "transition_refused");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("尚未批复"),
            "{body}"
        );
        let (status, body) = safety
            .post_json(
                &format!("{base}/approve"),
                &json!({"approved_on": "2026-06-10", "version": 2}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        refused_field(
            &safety,
            &format!("{base}/investigate"),
            &json!({"lead": "县应急管理局", "started_on": "2026-05-19", "version": 2}),
            "started_on",
        )
        .await;
        refused_field(
            &safety,
            &format!("{base}/investigate"),
            &json!({"lead": "", "started_on": "2026-05-21", "version": 2}),
            "lead",
        )
        .await;
        let (status, a) = safety
            .post_json(
                &format!("{base}/investigate"),
                &json!({"lead": "县应急管理局", "started_on": "2026-05-21", "version": 2}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!(a["state"], "investigating");
        let message = refused_field(
            &safety,
            &format!("{base}/approve"),
            &json!({"approved_on": "2026-05-20", "version": 3}),
            "approved_on",
        )
        .await;
        assert!(message.contains("不能早于调查开始日期"), "{message}");
        let (status, a) = safety
            .post_json(
                &format!("{base}/approve"),
                &json!({"approved_on": "2026-06-04", "version": 3}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!(a["state"], "approved");
        refused_field(
            &safety,
            &format!("{base}/publish"),
            &json!({"published_on": "2026-06-10", "channel": " ", "version": 4}),
            "channel",
        )
        .await;
        let (status, a) = safety
            .post_json(
                &format!("{base}/publish"),
                &json!({"published_on": "2026-06-10", "channel": "县人民政府门户网站", "version": 4}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{a}");
        assert_eq!(a["state"], "published");
        assert_eq!(a["publication_channel"], "县人民政府门户网站");

        // No going back, no edits once public.
        let (status, body) = safety
            .post_json(
                &format!("{base}/investigate"),
                &json!({"lead": "县应急管理局", "started_on": "2026-06-10", "version": 5}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        let (status, body) = safety
            .patch_json(
                &base,
                &with(
                    accident(TONGCHUAN),
                    json!({"occurred_at": "2026-05-20T08:00", "reported_at": "2026-05-20T08:30", "version": 5}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        // Every change left an audit row, and the page tells the story.
        let auditor = login(&app, "auditor").await;
        let q = |action: &str| format!("entity=safety_accident&record_id={id}&action={action}");
        for (action, n) in [
            ("create", 1),
            ("accident.revise", 1),
            ("accident.investigate", 1),
            ("accident.approve", 1),
            ("accident.publish", 1),
        ] {
            assert_eq!(audit_total(&auditor, &q(action)).await, n, "{action}");
        }
        let (status, page) = safety.text(&format!("/safety/accidents/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        for text in [
            "较大事故",
            "已公开",
            "两名重伤者经抢救无效死亡",
            "死亡 1 失踪 0 重伤 0 轻伤 0 → 死亡 3",
            "开始调查",
            "县人民政府门户网站",
        ] {
            assert!(page.contains(text), "{text} missing from the page");
        }
    })
    .await;
}

#[tokio::test]
async fn scope_locking_totals_and_export() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let ours = create(
            &safety,
            &with(accident(TONGCHUAN), json!({"deaths": 3, "reported_at": "2026-05-31T10:25"})),
        )
        .await;
        let id = ours["id"].as_str().unwrap().to_string();
        assert_eq!(ours["late_by"], "1小时25分");
        let theirs = create(
            &safety,
            &with(
                accident(TASHAN),
                json!({"deaths": 1, "serious_injuries": 2, "direct_loss_yuan": "1234567.89"}),
            ),
        )
        .await;

        // Another township: not found, in reading and in editing.
        let tashan = login(&app, "tashan").await;
        let (status, _) = tashan
            .get_json(&format!("/api/v1/safety/accidents/{id}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tashan.text(&format!("/safety/accidents/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tashan
            .patch_json(
                &format!("/api/v1/safety/accidents/{id}"),
                &with(accident(TASHAN), json!({"version": 1})),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tashan
            .post_json(
                &format!("/api/v1/safety/accidents/{id}/revisions"),
                &json!({"deaths": 4, "reason": "x", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = tashan.get_json("/api/v1/safety/accidents").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["id"], theirs["id"]);
        // Nor may a township place an accident in another township.
        refused_field(
            &tashan,
            "/api/v1/safety/accidents",
            &accident(TONGCHUAN),
            "region_code",
        )
        .await;

        // A stale edit is refused, saying so.
        let tongchuan = login(&app, "tongchuan").await;
        let edit = with(
            accident(TONGCHUAN),
            json!({"place": "二号堆场", "reported_at": "2026-05-31T10:25", "version": 1}),
        );
        let edit = {
            let mut e = edit;
            for k in ["deaths", "serious_injuries"] {
                e.as_object_mut().unwrap().remove(k);
            }
            e
        };
        let (status, edited) = tongchuan
            .patch_json(&format!("/api/v1/safety/accidents/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["place"], "二号堆场");
        assert_eq!(edited["grade"], "larger", "kept counts, recomputed grade");
        let (status, body) = safety
            .patch_json(&format!("/api/v1/safety/accidents/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("潼川镇应急办"),
            "{body}"
        );
        // Editing the report time recomputes the late flag.
        let on_time = with(edit.clone(), json!({"reported_at": "2026-05-31T08:30", "version": 2}));
        let (status, edited) = tongchuan
            .patch_json(&format!("/api/v1/safety/accidents/{id}"), &on_time)
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["late"], false);

        // Totals for the statistics page match the list they link to.
        let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let county = platform::access::Scope::of("510722000000");
        let totals = safety::accidents::store::totals(&app.state.db, &county, day(5, 1), day(5, 31))
            .await
            .unwrap();
        assert_eq!(totals.count, 2);
        assert_eq!(totals.deaths, 4);
        assert_eq!(totals.serious_injuries, 2);
        assert_eq!(totals.direct_loss_fen, 50_000_000 + 123_456_789);
        assert_eq!(totals.by_grade[1].count, 1, "one 较大");
        let none = safety::accidents::store::totals(&app.state.db, &county, day(6, 1), day(6, 30))
            .await
            .unwrap();
        assert_eq!(none.count, 0, "31 May 08:00 in China is not June");
        let href = safety::accidents::store::list_href(day(5, 1), day(5, 31), Some(TONGCHUAN));
        let (status, page) = safety.text(&href).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("起数 <strong>1</strong> 起，死亡 <strong>3</strong> 人"),
            "{page}"
        );
        let (_, page) = safety
            .text(&safety::accidents::store::list_href(day(5, 1), day(5, 31), None))
            .await;
        assert!(
            page.contains("起数 <strong>2</strong> 起，死亡 <strong>4</strong> 人，重伤 <strong>2</strong> 人，直接经济损失 <strong>173.46</strong> 万元"),
            "{page}"
        );

        // Export of the filtered rows, read back.
        let response = safety
            .get(&format!("/safety/accidents/export?township={TASHAN}"))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("生产安全事故").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 2, "header and one accident");
        assert_eq!(rows[0][0].to_string(), "事故编号");
        assert_eq!(rows[1][0].to_string(), theirs["number"].as_str().unwrap());
        assert_eq!(rows[1][8].to_string(), "物体打击");
        assert_eq!(rows[1][10].to_string(), "一般事故");
        assert_eq!(rows[1][15].to_string(), "1234567.89");
    })
    .await;
}

#[tokio::test]
async fn the_pages_record_an_accident_from_local_times() {
    on_each_backend(|app, _| async move {
        let tongchuan = login(&app, "tongchuan").await;
        let fields = |summary: &'static str| {
            vec![
                ("occurred_at", "2026-06-01T06:00"),
                ("reported_at", "2026-06-01T08:25"),
                ("region_code", TONGCHUAN),
                ("place", "凤凰村砖厂"),
                ("unit_id", ""),
                ("party_name", "凤凰村页岩砖厂"),
                ("industry_code", ""),
                ("type_code", "GB6441-1986/10"),
                ("deaths", "3"),
                ("missing", ""),
                ("serious_injuries", "0"),
                ("minor_injuries", ""),
                ("direct_loss_yuan", ""),
                ("summary", summary),
                ("cause", ""),
            ]
        };
        let r = tongchuan
            .post_form("/safety/accidents/new", &fields(""))
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("简要经过为") && page.contains("凤凰村页岩砖厂"),
            "the error and the input: {page}"
        );
        let r = tongchuan
            .post_form("/safety/accidents/new", &fields("取土场边坡坍塌"))
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let (status, page) = tongchuan.text(&location).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("tag yellow\">较大事故"), "{page}");
        assert!(page.contains("迟报 1小时25分"), "{page}");
        assert!(page.contains("2026-06-01 06:00"), "{page}");

        // The edit form keeps the counts out and the type's edition in.
        let id = location
            .trim_start_matches("/safety/accidents/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (status, page) = tongchuan
            .text(&format!("/safety/accidents/{id}/edit"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("value=\"GB6441-1986/10\" selected"), "{page}");
        assert!(!page.contains("name=\"deaths\""), "{page}");

        // 续报 from the page.
        let r = tongchuan
            .post_form(
                &format!("/safety/accidents/{id}/revise"),
                &[
                    ("deaths", "4"),
                    ("missing", "0"),
                    ("serious_injuries", "0"),
                    ("minor_injuries", "0"),
                    ("reason", "失踪人员已找到，确认死亡"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = tongchuan.text(&format!("/safety/accidents/{id}")).await;
        assert!(page.contains("失踪人员已找到，确认死亡"), "{page}");
        let (status, page) = tongchuan.text("/safety/accidents?late=true").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("SG2026-0001"), "{page}");
    })
    .await;
}

#[tokio::test]
async fn demo_accidents_load() {
    on_each_backend(|app, _| async move {
        safety::units::load_demo(&app.state)
            .await
            .expect("demo units");
        safety::accidents::load_demo(&app.state)
            .await
            .expect("demo accidents");
        let safety = login(&app, "safety").await;
        let (_, all) = safety.get_json("/api/v1/safety/accidents").await;
        assert_eq!(all["total"], 8, "{all}");
        assert!(
            all["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["summary"].as_str().unwrap().starts_with("【演示】"))
        );
        for (query, n) in [
            ("grade=larger", 1),
            ("late=true", 1),
            ("state=published", 2),
            ("state=reported", 2),
        ] {
            let (_, some) = safety
                .get_json(&format!("/api/v1/safety/accidents?{query}"))
                .await;
            assert_eq!(some["total"], n, "{query}: {some}");
        }
        let (status, page) = safety.text("/safety/accidents").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("起数 <strong>8</strong> 起"), "{page}");

        // The API routes and the filter's `type` parameter are in the OpenAPI document.
        let (_, doc) = safety.get_json("/api/openapi.json").await;
        for path in [
            "/api/v1/safety/accidents",
            "/api/v1/safety/accidents/{id}",
            "/api/v1/safety/accidents/{id}/revisions",
            "/api/v1/safety/accidents/{id}/investigate",
            "/api/v1/safety/accidents/{id}/approve",
            "/api/v1/safety/accidents/{id}/publish",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
        let params = doc["paths"]["/api/v1/safety/accidents"]["get"]["parameters"]
            .as_array()
            .expect("parameters");
        assert!(params.iter().any(|p| p["name"] == "type"), "{params:?}");
    })
    .await;
}
