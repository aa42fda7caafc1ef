//! 事故隐患: the closed loop over HTTP — notice, rectification, a failed and a passed review,
//! closing; major-hazard rules; overdue; scope; optimistic locking; audit; export.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

fn unit(name: &str, region: &str) -> Value {
    json!({
        "name": name,
        "industry_code": "hazchem_trading",
        "region_code": region,
        "contact_name": "李明",
        "status": "operating"
    })
}

fn hazard(unit_id: &str, grade: &str) -> Value {
    json!({
        "unit_id": unit_id,
        "description": "仓库消防通道堵塞，灭火器过期",
        "category_code": "fire_facilities",
        "grade": grade,
        "discovered_on": "2026-05-30",
        "source": "enforcement",
        "location": "1 号仓库"
    })
}

async fn create_unit(session: &Session, name: &str, region: &str) -> String {
    let (status, body) = session
        .post_json("/api/v1/safety/units", &unit(name, region))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

async fn create_hazard(session: &Session, body: &Value) -> Value {
    let (status, created) = session.post_json("/api/v1/safety/hazards", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

fn version(h: &Value) -> i64 {
    h["version"].as_i64().expect("version")
}

/// Issue the 整改通知 of a registered hazard with `deadline`; the hazard as it is then.
async fn issue_notice(session: &Session, h: &Value, deadline: &str) -> Value {
    let (status, issued) = session
        .post_json(
            &format!(
                "/api/v1/safety/hazards/{}/notice",
                h["id"].as_str().unwrap()
            ),
            &json!({"deadline": deadline, "version": version(h)}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    issued
}

#[tokio::test]
async fn a_general_hazard_walks_its_whole_life() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县隐患测试化工有限公司", "510722101000").await;

        // Discovery in the future is refused.
        let mut future = hazard(&unit_id, "general");
        future["discovered_on"] = json!("2026-06-02");
        let (status, body) = safety.post_json("/api/v1/safety/hazards", &future).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["discovered_on"].is_string(),
            "{body}"
        );

        let h = create_hazard(&safety, &hazard(&unit_id, "general")).await;
        assert_eq!(h["number"], "YH2026-0001");
        assert_eq!(h["state"], "registered");
        assert_eq!(h["region_code"], "510722101000");
        assert_eq!(h["category_label"], "消防设施及器材");
        // Named as the detail names it (the answer is built from the row written).
        let (_, read) = safety
            .get_json(&format!(
                "/api/v1/safety/hazards/{}",
                h["id"].as_str().unwrap()
            ))
            .await;
        for field in ["unit_name", "region_name", "category_label", "number"] {
            assert_eq!(h[field], read[field], "{field}");
        }
        assert_eq!(h["unit_name"], "三台县隐患测试化工有限公司");
        let id = h["id"].as_str().unwrap().to_string();
        let second = create_hazard(&safety, &hazard(&unit_id, "general")).await;
        assert_eq!(second["number"], "YH2026-0002");

        // Closing before a passed review: 409 transition_refused.
        let (status, body) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/close"),
                &json!({"version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "transition_refused");

        // A deadline before discovery is refused.
        let (status, body) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/notice"),
                &json!({"deadline": "2026-05-29", "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["deadline"]
                .as_str()
                .unwrap()
                .contains("不能早于发现日期"),
            "{body}"
        );

        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/notice"),
                &json!({"deadline": "2026-06-10", "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["state"], "notice_issued");
        assert_eq!(h["deadline"], "2026-06-10");

        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/start"),
                &json!({"version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["state"], "rectifying");

        // Evidence is required.
        let (status, body) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/request-review"),
                &json!({"evidence": " ", "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/request-review"),
                &json!({"evidence": "已更换灭火器，附照片", "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["state"], "awaiting_review");

        // A failed review needs reasons; with them it goes back to rectification.
        let (status, body) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/review"),
                &json!({"passed": false, "reasons": "", "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["reasons"].is_string(), "{body}");
        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/review"),
                &json!({"passed": false, "reasons": "消防通道仍有堆放物", "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["state"], "rectifying");
        assert_eq!(h["review_reasons"], "消防通道仍有堆放物");

        let (_, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/request-review"),
                &json!({"evidence": "通道已清理", "version": version(&h)}),
            )
            .await;
        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/review"),
                &json!({"passed": true, "version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["state"], "review_passed");
        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/close"),
                &json!({"version": version(&h)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["state"], "closed");
        assert_eq!(h["closed_on"], "2026-06-01");

        // Every step left an audit row.
        let auditor = login(&app, "auditor").await;
        let q = |action: &str| format!("entity=safety_hazard&record_id={id}&action={action}");
        assert_eq!(
            audit_total(&auditor, &format!("entity=safety_hazard&record_id={id}")).await,
            8
        );
        for (action, n) in [
            ("create", 1),
            ("hazard.notice", 1),
            ("hazard.start", 1),
            ("hazard.review_request", 2),
            ("hazard.review_fail", 1),
            ("hazard.review_pass", 1),
            ("hazard.close", 1),
        ] {
            assert_eq!(audit_total(&auditor, &q(action)).await, n, "{action}");
        }

        // The detail page shows the timeline.
        let (status, page) = safety.text(&format!("/safety/hazards/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("复查不通过") && page.contains("已销号"),
            "{page}"
        );

        // The notice served a rectification order, each review an opinion, numbered per year.
        let (_, docs) = safety
            .get_json(&format!("/api/v1/safety/hazards/{id}/documents"))
            .await;
        let numbers: Vec<&str> = docs
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["number"].as_str().unwrap())
            .collect();
        assert_eq!(
            numbers,
            [
                "三台应急责改〔2026〕1号",
                "三台应急复查〔2026〕1号",
                "三台应急复查〔2026〕2号"
            ]
        );
        let failed = read_docx(&safety, &docs[1]).await;
        for text in [
            "整改复查意见书",
            "三台县隐患测试化工有限公司：",
            "三台应急责改〔2026〕1号",
            "消防通道仍有堆放物",
            "绵阳市应急管理局",
        ] {
            assert!(failed.contains(text), "{text} not in {failed}");
        }
        let order = read_docx(&safety, &docs[0]).await;
        assert!(order.contains("于2026年6月10日前整改完毕"), "{order}");
        // The printable page carries the same letter.
        let (status, print) = safety.text(docs[0]["href"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            print.contains("于2026年6月10日前整改完毕")
                && print.contains("三台应急责改〔2026〕1号")
        );
        // Another township cannot read it.
        let other = login(&app, "tashan").await;
        assert_eq!(
            other.get(docs[0]["href"].as_str().unwrap()).await.status(),
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

/// A document's Word file, opened with a DOCX reader, as the text of its paragraphs.
async fn read_docx(session: &Session, doc: &Value) -> String {
    let href = format!(
        "/api/v1/safety/hazards/{}/documents/{}/docx",
        doc["hazard_id"].as_str().unwrap(),
        doc["id"].as_str().unwrap()
    );
    let response = session.get(&href).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let docx = docx_rs::read_docx(&bytes).expect("a readable DOCX");
    docx.document
        .children
        .iter()
        .filter_map(|child| match child {
            docx_rs::DocumentChild::Paragraph(p) => Some(p.raw_text()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_major_hazard_needs_criterion_and_five_in_place() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县重大隐患测试公司", "510722101000").await;
        let h = create_hazard(&safety, &hazard(&unit_id, "major")).await;
        let id = h["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/safety/hazards/{id}/notice");

        let (status, body) = safety
            .post_json(&path, &json!({"deadline": "2026-07-31", "version": 1}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["criterion_standard"]
                .as_str()
                .unwrap()
                .contains("判定标准"),
            "{body}"
        );

        let (status, body) = safety
            .post_json(
                &path,
                &json!({
                    "deadline": "2026-07-31",
                    "criterion_standard": "化工和危险化学品重大隐患判定标准",
                    "criterion_item": "第（三）项",
                    "responsible": "厂长 张三",
                    "funds_yuan": 50000,
                    "version": 1
                }),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "transition_refused");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("措施、预案"), "{message}");

        let (status, body) = safety
            .post_json(
                &path,
                &json!({
                    "deadline": "2026-07-31",
                    "criterion_standard": "化工和危险化学品重大隐患判定标准",
                    "criterion_item": "第（三）项",
                    "responsible": "厂长 张三",
                    "measures": "更换防爆电气",
                    "funds_yuan": "50000",
                    "contingency": "停用该车间并设警戒",
                    "version": 1
                }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["state"], "notice_issued");
        assert_eq!(body["funds_fen"], 5_000_000);

        // Supervision only for major hazards.
        let mut general = hazard(&unit_id, "general");
        general["supervision"] = json!("listed");
        let (status, body) = safety.post_json("/api/v1/safety/hazards", &general).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["supervision"].is_string(), "{body}");
    })
    .await;
}

#[tokio::test]
async fn overdue_scope_locking_and_export() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县逾期测试公司", "510722101000").await;
        let h = create_hazard(&safety, &hazard(&unit_id, "general")).await;
        let id = h["id"].as_str().unwrap().to_string();
        let (status, h) = safety
            .post_json(
                &format!("/api/v1/safety/hazards/{id}/notice"),
                &json!({"deadline": "2026-06-05", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{h}");
        assert_eq!(h["overdue"], false);
        let (_, list) = safety.get_json("/api/v1/safety/hazards?overdue=true").await;
        assert_eq!(list["total"], 0, "{list}");

        // Past the deadline (in China): overdue.
        app.clock.advance(chrono::Duration::days(5));
        // The session has idled out meanwhile.
        let safety = login(&app, "safety").await;
        let (_, list) = safety.get_json("/api/v1/safety/hazards?overdue=true").await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["overdue"], true);

        // The home-page work item, asked directly.
        {
            use platform::auth::entity::user;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let user = user::Entity::find()
                .filter(user::Column::Username.eq("safety"))
                .one(&app.state.db)
                .await
                .unwrap()
                .expect("safety user");
            let actor = platform::auth::actor_for(&app.state.db, &user, None, None)
                .await
                .unwrap();
            let mut items = Vec::new();
            for source in safety::work_items() {
                items.extend(source(&app.state, &actor).await.unwrap());
            }
            assert_eq!(items.len(), 1);
            assert!(items[0].urgent);
            assert_eq!(items[0].href, "/safety/hazards?overdue=true");
            assert!(items[0].title.contains('1'), "{}", items[0].title);
        }

        // The list page shows the red tag.
        let (status, page) = safety.text("/safety/hazards?overdue=true").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("逾期") && page.contains("YH2026-0001"),
            "{page}"
        );

        // Scope: another township gets 404; the township itself sees it.
        let tashan = login(&app, "tashan").await;
        let (status, _) = tashan
            .get_json(&format!("/api/v1/safety/hazards/{id}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tashan.text(&format!("/safety/hazards/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, list) = tashan.get_json("/api/v1/safety/hazards").await;
        assert_eq!(list["total"], 0, "{list}");
        let tongchuan = login(&app, "tongchuan").await;
        let (status, _) = tongchuan
            .get_json(&format!("/api/v1/safety/hazards/{id}"))
            .await;
        assert_eq!(status, StatusCode::OK);

        // A stale edit: 409.
        let mut edit = hazard(&unit_id, "general");
        edit["description"] = json!("消防通道堵塞");
        edit["version"] = h["version"].clone();
        let (status, edited) = safety
            .patch_json(&format!("/api/v1/safety/hazards/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["description"], "消防通道堵塞");
        let (status, body) = safety
            .patch_json(&format!("/api/v1/safety/hazards/{id}"), &edit)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");

        // Export of the filtered rows.
        let response = safety.get("/safety/hazards/export?overdue=true").await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("事故隐患").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 2, "header and one hazard");
        assert_eq!(rows[0][0].to_string(), "隐患编号");
        assert_eq!(rows[1][0].to_string(), "YH2026-0001");
        assert_eq!(rows[1][12].to_string(), "逾期");

        // New-hazard form from the unit page.
        let (status, page) = safety.text(&format!("/safety/units/{unit_id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&format!("/safety/hazards/new?unit={unit_id}")));
        let (status, page) = safety
            .text(&format!("/safety/hazards/new?unit={unit_id}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&format!("value=\"{unit_id}\" selected")),
            "{page}"
        );
    })
    .await;
}

#[tokio::test]
async fn demo_hazards_load_in_every_state() {
    on_each_backend(|app, _| async move {
        safety::units::load_demo(&app.state)
            .await
            .expect("demo units");
        safety::hazards::load_demo(&app.state)
            .await
            .expect("demo hazards");
        let safety = login(&app, "safety").await;
        let (_, all) = safety.get_json("/api/v1/safety/hazards").await;
        assert_eq!(all["total"], 200, "{all}");
        for state in [
            "registered",
            "notice_issued",
            "rectifying",
            "awaiting_review",
            "review_passed",
            "closed",
        ] {
            let (_, some) = safety
                .get_json(&format!("/api/v1/safety/hazards?state={state}"))
                .await;
            assert!(some["total"].as_u64().unwrap() > 0, "{state}");
        }
        let (_, overdue) = safety.get_json("/api/v1/safety/hazards?overdue=true").await;
        assert!(overdue["total"].as_u64().unwrap() > 0, "{overdue}");
        let (_, major) = safety.get_json("/api/v1/safety/hazards?grade=major").await;
        assert_eq!(major["total"], 14, "{major}");
        let (status, _) = safety.text("/safety/hazards").await;
        assert_eq!(status, StatusCode::OK);
        // The demo drew its numbers from the county's counter: a new hazard follows them.
        let unit_id = create_unit(&safety, "三台县演示后新增单位", "510722101000").await;
        let h = create_hazard(&safety, &hazard(&unit_id, "general")).await;
        assert_eq!(h["number"], "YH2026-0201");
    })
    .await;
}

#[tokio::test]
async fn the_pages_register_and_move_a_hazard() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县页面测试公司", "510722101000").await;

        // A form with a missing description comes back with the input and the error.
        let r = safety
            .post_form(
                "/safety/hazards/new",
                &[
                    ("unit_id", &unit_id),
                    ("description", ""),
                    ("category_code", "electrical"),
                    ("grade", "general"),
                    ("discovered_on", "2026-05-31"),
                    ("source", "self_check"),
                    ("location", "配电房"),
                    ("supervision", "none"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("隐患描述为") && page.contains("配电房"),
            "{page}"
        );

        let r = safety
            .post_form(
                "/safety/hazards/new",
                &[
                    ("unit_id", &unit_id),
                    ("description", "配电箱未上锁"),
                    ("category_code", "electrical"),
                    ("grade", "general"),
                    ("discovered_on", "2026-05-31"),
                    ("source", "self_check"),
                    ("location", "配电房"),
                    ("supervision", "none"),
                    ("exposed", "true"),
                    ("exposed_on", "2026-06-01"),
                    ("exposure_channel", "县融媒体中心"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let id = location
            .trim_start_matches("/safety/hazards/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let (_, h) = safety
            .get_json(&format!("/api/v1/safety/hazards/{id}"))
            .await;
        assert_eq!(h["exposed"], true, "{h}");

        let r = safety
            .post_form(
                &format!("/safety/hazards/{id}/notice"),
                &[("deadline", "2026-06-15"), ("version", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = safety
            .post_form(
                &format!("/safety/hazards/{id}/request-review"),
                &[("evidence", "已上锁"), ("version", "2")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // 复查不通过 without reasons: the page again, with the rule's message.
        let r = safety
            .post_form(
                &format!("/safety/hazards/{id}/review"),
                &[("passed", "false"), ("reasons", ""), ("version", "3")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("复查不通过须说明原因"));
        let r = safety
            .post_form(
                &format!("/safety/hazards/{id}/review"),
                &[("passed", "true"), ("reasons", ""), ("version", "3")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (status, page) = safety.text(&format!("/safety/hazards/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("复查通过") && page.contains("/close"),
            "{page}"
        );

        // The API routes are in the OpenAPI document.
        let (_, doc) = safety.get_json("/api/openapi.json").await;
        for path in [
            "/api/v1/safety/hazards",
            "/api/v1/safety/hazards/{id}",
            "/api/v1/safety/hazards/{id}/notice",
            "/api/v1/safety/hazards/{id}/start",
            "/api/v1/safety/hazards/{id}/request-review",
            "/api/v1/safety/hazards/{id}/review",
            "/api/v1/safety/hazards/{id}/close",
        ] {
            assert!(doc["paths"][path].is_object(), "{path}");
        }
    })
    .await;
}

fn file_part(name: &str, bytes: &[u8]) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

#[tokio::test]
async fn photos_attach_to_a_hazard_within_scope() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let unit_id = create_unit(&town, "潼川镇照片测试加工厂", "510722101000").await;
        let h = create_hazard(&town, &hazard(&unit_id, "general")).await;
        let id = h["id"].as_str().unwrap();
        let path = format!("/api/v1/safety/hazards/{id}/files");
        let photo = b"\xFF\xD8\xFF\xE0 a site photo".to_vec();

        // A program disguised as a photo is refused by its content, and nothing is kept.
        let form = reqwest::multipart::Form::new()
            .part("files", file_part("现场1.jpg", &photo))
            .part("files", file_part("现场2.jpg", b"MZ\x90\x00 not a photo"));
        let (status, body) = town.post_multipart(&path, form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["fields"]["files"]
                .as_str()
                .unwrap()
                .contains("现场2.jpg"),
            "{body}"
        );
        let (_, listed) = town.get_json(&path).await;
        assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");

        let form = reqwest::multipart::Form::new()
            .text("latitude", "31.0950")
            .text("longitude", "105.0900")
            .part("files", file_part("现场1.jpg", &photo));
        let (status, saved) = town.post_multipart(&path, form).await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        assert_eq!(saved[0]["content_type"], "image/jpeg");
        assert_eq!(saved[0]["latitude"], 31.095);
        let href = saved[0]["href"].as_str().unwrap().to_string();

        let fetched = town.get(&href).await;
        assert_eq!(fetched.status(), StatusCode::OK);
        assert_eq!(fetched.headers()["content-type"], "image/jpeg");
        assert_eq!(fetched.bytes().await.unwrap().to_vec(), photo);

        // Another township neither lists nor fetches it.
        let other = login(&app, "tashan").await;
        assert_eq!(other.get_json(&path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(other.get(&href).await.status(), StatusCode::NOT_FOUND);

        // The upload is in the hazard's trail.
        let (_, trail) = town.text(&format!("/safety/hazards/{id}")).await;
        assert!(
            trail.contains("上传附件 现场1.jpg"),
            "the timeline names the upload"
        );
    })
    .await;
}

async fn upload_sheet(
    session: &Session,
    rows: &[[&str; 9]],
    valid_only: bool,
) -> reqwest::Response {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let bytes = platform::web::xlsx::workbook("事故隐患", &[""; 9], &rows).unwrap();
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("隐患.xlsx"),
    );
    if valid_only {
        form = form.text("valid_only", "on");
    }
    session
        .client
        .post(session.url(&format!("/safety/hazards/import?_csrf={}", session.csrf)))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn hazards_import_from_a_sheet_all_or_only_the_valid_rows() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        create_unit(&town, "潼川镇导入测试砖厂", "510722101000").await;
        let template = town.get("/safety/hazards/import/template").await;
        assert_eq!(template.status(), StatusCode::OK);
        let rows = [
            [
                "潼川镇导入测试砖厂",
                "窑炉作业平台护栏缺失",
                "消防设施及器材",
                "一般",
                "2026-05-20",
                "自查",
                "窑顶",
                "",
                "",
            ],
            [
                "潼川镇导入测试砖厂",
                "配电箱无漏电保护",
                "消防设施及器材",
                "一般",
                "2026/5/21",
                "执法检查",
                "",
                "",
                "",
            ],
            [
                "塔山镇某厂",
                "未在辖区内的单位",
                "消防设施及器材",
                "一般",
                "2026-05-22",
                "自查",
                "",
                "",
                "",
            ],
        ];

        // One bad row: nothing goes in, and the row is named with its column.
        let r = upload_sheet(&town, &rows, false).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("未导入任何数据"), "{page}");
        assert!(page.contains("<td>4</td><td>监管对象："), "{page}");
        let (_, list) = town.get_json("/api/v1/safety/hazards").await;
        assert_eq!(list["total"], 0, "{list}");

        // On request, the two good rows go in and the bad one is skipped.
        let r = upload_sheet(&town, &rows, true).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.ends_with("done=imported&count=2&skipped=1"), "{to}");
        let (_, notice) = town.text(&to).await;
        assert!(notice.contains("导入 2 条，跳过有错误的 1 行"));
        let (_, list) = town.get_json("/api/v1/safety/hazards").await;
        assert_eq!(list["total"], 2, "{list}");
        let numbers: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["number"].as_str().unwrap())
            .collect();
        assert!(numbers.contains(&"YH2026-0001") && numbers.contains(&"YH2026-0002"));
        assert!(
            list["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["discovered_on"] == "2026-05-21")
        );
    })
    .await;
}

#[tokio::test]
async fn an_overdue_hazard_escalates_to_the_supervising_department() {
    on_each_backend(|app, _| async move {
        let admin = login(&app, "sysadmin").await;
        let (_, departments) = admin
            .get_json("/api/v1/admin/departments?per_page=100")
            .await;
        let housing = departments["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == "县住房和城乡建设局")
            .expect("the housing bureau")["id"]
            .as_str()
            .unwrap()
            .to_string();
        let safety = login(&app, "safety").await;
        let mut body = unit("潼川镇燃气供应站", "510722101000");
        body["department_id"] = json!(housing);
        let (status, u) = safety.post_json("/api/v1/safety/units", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{u}");
        let supervised = u["id"].as_str().unwrap().to_string();
        let other = create_unit(&safety, "潼川镇另一家单位", "510722101000").await;
        for unit_id in [&supervised, &other] {
            let h = create_hazard(&safety, &hazard(unit_id, "general")).await;
            issue_notice(&safety, &h, "2026-06-05").await;
        }
        app.clock.advance(chrono::Duration::days(10));

        // The county sees both; the housing bureau's liaison only the unit it supervises.
        let safety = login(&app, "safety").await;
        let (_, home) = safety.text("/").await;
        assert!(home.contains("2 条事故隐患逾期未整改"), "{home}");
        let housing_user = login(&app, "housing").await;
        let (_, me) = housing_user.get_json("/api/v1/me").await;
        assert_eq!(me["department_id"], housing.as_str(), "{me}");
        let (_, home) = housing_user.text("/").await;
        assert!(
            home.contains("1 条本部门监管单位的事故隐患逾期未整改"),
            "{home}"
        );
        let (_, list) = housing_user
            .get_json(&format!(
                "/api/v1/safety/hazards?overdue=true&department={housing}"
            ))
            .await;
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["unit_id"], supervised.as_str());
    })
    .await;
}

/// Inbox messages about hazards a user holds, newest first: (title, link).
async fn hazard_messages(app: &yingji::testing::TestApp, user: &str) -> Vec<(String, String)> {
    let id = uuid::Uuid::parse_str(user).unwrap();
    let paging = platform::web::paging::Paging {
        page: None,
        per_page: Some(200),
    };
    platform::notify::inbox::list(&app.state.db, id, false, paging)
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|m| m.source_kind == "safety_hazard")
        .map(|m| (m.title, m.link.unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn the_escalation_reaches_every_overdue_hazard_page_by_page() {
    on_each_backend(|app, _| async move {
        use safety::hazards::entity::hazard as table;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "潼川镇分页测试加油站", "510722101000").await;
        // Seven hazards past their deadlines, five sharing one: pages of two must reach each
        // once (the number and id break the ties).
        let deadlines = [
            "2026-06-03",
            "2026-06-03",
            "2026-06-02",
            "2026-06-03",
            "2026-06-04",
            "2026-06-03",
            "2026-06-03",
        ];
        for deadline in deadlines {
            let h = create_hazard(&safety, &hazard(&unit_id, "general")).await;
            issue_notice(&safety, &h, deadline).await;
        }
        app.clock.advance(chrono::Duration::days(6));
        let escalation = |page| safety::hazards::escalation::run_in_pages(&app.state, page);
        let summary = escalation(2).await.unwrap();
        assert!(summary.starts_with("7 条逾期隐患已升级提醒"), "{summary}");
        let marked = table::Entity::find()
            .filter(table::Column::EscalatedDeadline.is_not_null())
            .count(&app.state.db)
            .await
            .unwrap();
        assert_eq!(marked, 7);
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=hazard.escalate").await, 7);
        // A second run, in pages of one, finds nothing left.
        assert_eq!(escalation(1).await.unwrap(), "没有新的逾期隐患");
    })
    .await;
}

#[tokio::test]
async fn overdue_hazards_are_escalated_by_message_once_per_deadline() {
    on_each_backend(|app, _| async move {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let admin = login(&app, "sysadmin").await;
        let (_, departments) = admin.get_json("/api/v1/admin/departments?q=住房").await;
        let housing = departments["items"][0]["id"].as_str().unwrap().to_string();
        let mut users = std::collections::HashMap::new();
        for name in [
            "tongchuan",
            "tashan",
            "housing",
            "safety",
            "village",
            "enterprise",
        ] {
            users.insert(name, user_id(&admin, name).await);
        }
        let safety = login(&app, "safety").await;
        let mut body = unit("潼川镇燃气供应站", "510722101000");
        body["department_id"] = json!(housing);
        let (status, gas) = safety.post_json("/api/v1/safety/units", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{gas}");
        let gas = gas["id"].as_str().unwrap().to_string();
        let shop = create_unit(&safety, "塔山镇五金店", "510722104000").await;
        let late = issue_notice(
            &safety,
            &create_hazard(&safety, &hazard(&gas, "general")).await,
            "2026-06-05",
        )
        .await;
        let fixed = issue_notice(
            &safety,
            &create_hazard(&safety, &hazard(&gas, "general")).await,
            "2026-06-05",
        )
        .await;
        let later = issue_notice(
            &safety,
            &create_hazard(&safety, &hazard(&shop, "general")).await,
            "2026-06-20",
        )
        .await;
        // Reported fixed before its deadline: never overdue.
        let (status, _) = safety
            .post_json(
                &format!(
                    "/api/v1/safety/hazards/{}/request-review",
                    fixed["id"].as_str().unwrap()
                ),
                &json!({"evidence": "已清理通道，附照片", "version": version(&fixed)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let late_id = late["id"].as_str().unwrap().to_string();

        // The job's first run: nothing is overdue yet.
        let job = safety::hazards::escalation::JOB_NAME;
        assert!(
            platform::jobs::run_due(&app.state)
                .await
                .unwrap()
                .contains(&job)
        );
        assert!(hazard_messages(&app, &users["tongchuan"]).await.is_empty());

        // Two days past the deadline: the township's staff and the housing bureau's liaison
        // hear of it; nobody else does.
        app.clock.advance(chrono::Duration::days(6));
        assert!(
            platform::jobs::run_due(&app.state)
                .await
                .unwrap()
                .contains(&job)
        );
        let expected = vec![(
            format!("隐患逾期未整改：{}", late["number"].as_str().unwrap()),
            format!("/safety/hazards/{late_id}"),
        )];
        assert_eq!(hazard_messages(&app, &users["tongchuan"]).await, expected);
        assert_eq!(hazard_messages(&app, &users["housing"]).await, expected);
        for other in ["tashan", "safety", "village", "enterprise"] {
            assert!(
                hazard_messages(&app, &users[other]).await.is_empty(),
                "{other}"
            );
        }
        let town = login(&app, "tongchuan").await;
        let (status, inbox) = town.text("/inbox").await;
        assert_eq!(status, StatusCode::OK);
        assert!(inbox.contains("隐患逾期未整改"), "{inbox}");
        // The escalation is on the hazard's timeline, by the system.
        let safety = login(&app, "safety").await;
        let (_, page) = safety.text(&format!("/safety/hazards/{late_id}")).await;
        assert!(page.contains("逾期升级提醒"), "{page}");
        assert!(
            page.contains("已提醒：潼川镇应急办、住建局联络员"),
            "{page}"
        );
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=hazard.escalate").await, 1);

        // The next day's run finds nothing new.
        app.clock.advance(chrono::Duration::days(1));
        assert!(
            platform::jobs::run_due(&app.state)
                .await
                .unwrap()
                .contains(&job)
        );
        assert_eq!(hazard_messages(&app, &users["tongchuan"]).await.len(), 1);
        assert_eq!(hazard_messages(&app, &users["housing"]).await.len(), 1);

        // A new deadline (an extension) re-arms it: quiet until that one passes too.
        use safety::hazards::entity::hazard as table;
        table::Entity::update_many()
            .col_expr(
                table::Column::Deadline,
                Expr::value("2026-06-10".parse::<chrono::NaiveDate>().unwrap()),
            )
            .filter(table::Column::Id.eq(uuid::Uuid::parse_str(&late_id).unwrap()))
            .exec(&app.state.db)
            .await
            .unwrap();
        app.clock.advance(chrono::Duration::days(1));
        platform::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(hazard_messages(&app, &users["tongchuan"]).await.len(), 1);
        app.clock.advance(chrono::Duration::days(2));
        assert!(
            platform::jobs::run_due(&app.state)
                .await
                .unwrap()
                .contains(&job)
        );
        assert_eq!(hazard_messages(&app, &users["tongchuan"]).await.len(), 2);
        assert_eq!(hazard_messages(&app, &users["housing"]).await.len(), 2);
        // 塔山镇's hazard is overdue from 06-21 on: its township hears, no department does.
        app.clock.advance(chrono::Duration::days(10));
        platform::jobs::run_due(&app.state).await.unwrap();
        let tashan = hazard_messages(&app, &users["tashan"]).await;
        assert_eq!(tashan.len(), 1, "{tashan:?}");
        assert!(tashan[0].0.ends_with(later["number"].as_str().unwrap()));
        assert_eq!(hazard_messages(&app, &users["housing"]).await.len(), 2);
    })
    .await;
}
