//! 专项整治与执法检查 over HTTP: campaigns and their date rules, inspections with checklists and
//! their refusals (outside the campaign, one enforcement officer, in the future), supervision
//! tours, a hazard registered from an inspection with its photo, totals, scope, stale edits and
//! the export.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";

async fn create_unit(session: &Session, name: &str, industry: &str) -> String {
    let (status, body) = session
        .post_json(
            "/api/v1/safety/units",
            &json!({
                "name": name,
                "industry_code": industry,
                "region_code": TONGCHUAN,
                "contact_name": "李明",
                "status": "operating"
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn campaign(name: &str, from: &str, to: &str) -> Value {
    json!({
        "name": name,
        "kind": "rectification",
        "starts_on": from,
        "ends_on": to,
        "sectors": ["hazchem"],
        "townships": [],
        "description": "危化品专项整治"
    })
}

async fn create_campaign(session: &Session, body: &Value) -> Value {
    let (status, created) = session.post_json("/api/v1/safety/campaigns", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

/// Every item of the hazchem checklist, conforming.
async fn hazchem_answers(session: &Session) -> Vec<Value> {
    let (status, lists) = session
        .get_json("/api/v1/safety/inspections/checklists")
        .await;
    assert_eq!(status, StatusCode::OK, "{lists}");
    let hazchem = lists
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["group"] == "hazchem")
        .expect("a hazchem checklist");
    hazchem["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"item": i["code"], "answer": "conform", "note": ""}))
        .collect()
}

fn inspection(unit_id: &str, answers: &[Value]) -> Value {
    json!({
        "kind": "routine",
        "unit_id": unit_id,
        "inspected_on": "2026-05-20",
        "inspectors": "张伟",
        "checklist": answers,
        "result": "none",
        "summary": "例行检查"
    })
}

fn error_field(body: &Value, field: &str) -> String {
    body["error"]["fields"][field]
        .as_str()
        .unwrap_or_else(|| panic!("no error on {field}: {body}"))
        .to_string()
}

fn file_part(name: &str, bytes: &[u8]) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

#[tokio::test]
async fn campaigns_keep_their_dates_scope_and_versions() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;

        // The end before the start, an unknown sector: refused with the fields named.
        let mut bad = campaign("危化品百日攻坚", "2026-06-30", "2026-05-01");
        bad["sectors"] = json!(["no_such_sector"]);
        let (status, body) = safety.post_json("/api/v1/safety/campaigns", &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(error_field(&body, "ends_on").contains("不能早于"));
        assert!(error_field(&body, "sectors").contains("no_such_sector"));

        let c = create_campaign(
            &safety,
            &campaign("危化品百日攻坚", "2026-05-01", "2026-06-30"),
        )
        .await;
        assert_eq!(c["state"], "active");
        assert_eq!(c["sector_labels"], json!(["危险化学品"]));
        let id = c["id"].as_str().unwrap().to_string();
        let upcoming = create_campaign(
            &safety,
            &campaign("汛期非煤矿山专项整治", "2026-07-01", "2026-09-30"),
        )
        .await;
        assert_eq!(upcoming["state"], "upcoming");
        let (_, active) = safety
            .get_json("/api/v1/safety/campaigns?state=active")
            .await;
        assert_eq!(active["total"], 1, "{active}");

        // Edit with the version read; the same version again is stale.
        let mut edit = campaign("危化品百日攻坚行动", "2026-05-01", "2026-07-10");
        edit["version"] = c["version"].clone();
        let path = format!("/api/v1/safety/campaigns/{id}");
        let (status, edited) = safety.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["ends_on"], "2026-07-10");
        let (status, body) = safety.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "stale_edit");

        // A township works under the county's campaign but cannot change it.
        let town = login(&app, "tongchuan").await;
        assert_eq!(town.get_json(&path).await.0, StatusCode::OK);
        edit["version"] = edited["version"].clone();
        let (status, body) = town.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "not_in_scope");

        // A township's own campaign stays out of another township's sight.
        let mut own = campaign("潼川镇小作坊专项检查", "2026-05-01", "2026-06-30");
        own["townships"] = json!([TONGCHUAN]);
        own["sectors"] = json!(["small_workshop"]);
        let own = create_campaign(&town, &own).await;
        let tashan = login(&app, "tashan").await;
        let (status, _) = tashan
            .get_json(&format!(
                "/api/v1/safety/campaigns/{}",
                own["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // …and a township cannot target another township.
        let mut foreign = campaign("越界", "2026-05-01", "2026-06-30");
        foreign["townships"] = json!(["510722104000"]);
        let (status, body) = town.post_json("/api/v1/safety/campaigns", &foreign).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(error_field(&body, "townships").contains("管辖范围"));

        // The form posts several sectors and townships as check boxes.
        let (status, form) = safety.text("/safety/campaigns/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("name=\"sectors\" value=\"fireworks\""));
        let response = safety
            .post_form(
                "/safety/campaigns/new",
                &[
                    ("name", "春节前烟花爆竹专项检查"),
                    ("kind", "holiday"),
                    ("starts_on", "2026-01-10"),
                    ("ends_on", "2026-02-16"),
                    ("sectors", "fireworks"),
                    ("sectors", "hazchem"),
                    ("townships", TONGCHUAN),
                    ("townships", "510722104000"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let (_, ended) = safety
            .get_json("/api/v1/safety/campaigns?state=ended")
            .await;
        assert_eq!(
            ended["items"][0]["sectors"],
            json!(["fireworks", "hazchem"])
        );
        assert_eq!(
            ended["items"][0]["township_names"],
            json!(["潼川镇", "塔山镇"])
        );
        let response = safety
            .post_form(
                "/safety/campaigns/new",
                &[
                    ("name", "缺日期"),
                    ("kind", "holiday"),
                    ("starts_on", "2026-01-10"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("请填写结束日期") && page.contains("缺日期"));

        // The filtered campaigns as XLSX.
        let response = safety.get("/safety/campaigns/export?state=ended").await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("专项行动").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 2, "header and the ended campaign");
        assert_eq!(rows[1][0].to_string(), "春节前烟花爆竹专项检查");
        assert_eq!(rows[1][4].to_string(), "已结束");
        assert_eq!(rows[1][6].to_string(), "潼川镇、塔山镇");

        // The API is described in the OpenAPI document.
        let (_, doc) = safety.get_json("/api/openapi.json").await;
        for path in [
            "/api/v1/safety/campaigns/{id}/progress",
            "/api/v1/safety/inspections/{id}/hazards",
            "/api/v1/safety/inspections/{id}/files",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }

        // Pages: the list and the detail page with its progress and trail.
        let (status, page) = safety.text("/safety/campaigns").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("危化品百日攻坚行动"));
        let (status, page) = safety.text(&format!("/safety/campaigns/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("目标单位"));
        assert!(page.contains("修改专项行动"), "the trail shows the edit");
    })
    .await;
}

#[tokio::test]
async fn inspections_follow_the_checklist_date_and_people_rules() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let unit_id = create_unit(&town, "潼川镇检查测试化工商贸公司", "hazchem_trading").await;
        let answers = hazchem_answers(&town).await;
        assert!(answers.len() >= 6);
        let safety = login(&app, "safety").await;
        let c = create_campaign(
            &safety,
            &campaign("危化品百日攻坚", "2026-05-10", "2026-05-31"),
        )
        .await;
        let campaign_id = c["id"].as_str().unwrap();

        // Outside the campaign's period.
        let mut body = inspection(&unit_id, &answers);
        body["campaign_id"] = json!(campaign_id);
        body["inspected_on"] = json!("2026-05-05");
        let (status, err) = town.post_json("/api/v1/safety/inspections", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "inspected_on").contains("不在所选专项行动的期限内"));

        // In the future.
        let mut future = inspection(&unit_id, &answers);
        future["inspected_on"] = json!("2026-06-02");
        let (status, err) = town.post_json("/api/v1/safety/inspections", &future).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "inspected_on").contains("不能晚于今天"));

        // Enforcement by one officer.
        let mut alone = inspection(&unit_id, &answers);
        alone["kind"] = json!("enforcement");
        let (status, err) = town.post_json("/api/v1/safety/inspections", &alone).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "inspectors").contains("不少于 2 名"));

        // A checklist with an item left out, and a nonconformity beside 无问题.
        let mut short = inspection(&unit_id, &answers[1..]);
        short["kind"] = json!("routine");
        let (status, err) = town.post_json("/api/v1/safety/inspections", &short).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "checklist").contains("第 1 项"));
        let mut failing = answers.clone();
        failing[3] =
            json!({"item": failing[3]["item"], "answer": "nonconform", "note": "焊工无证"});
        let (status, err) = town
            .post_json(
                "/api/v1/safety/inspections",
                &inspection(&unit_id, &failing),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "result").contains("无问题"));

        // Two officers inside the period, with a nonconformity found.
        let mut good = inspection(&unit_id, &failing);
        good["kind"] = json!("enforcement");
        good["inspectors"] = json!("张伟、李娜");
        good["campaign_id"] = json!(campaign_id);
        good["result"] = json!("hazards_found");
        let (status, created) = town.post_json("/api/v1/safety/inspections", &good).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["region_code"], TONGCHUAN);
        assert_eq!(created["checklist_group"], "hazchem");
        assert_eq!(created["inspectors"], json!(["张伟", "李娜"]));
        assert_eq!(created["checklist"][3]["answer"], "nonconform");
        assert_eq!(created["checklist"][3]["label"], "特种作业人员持证上岗");
        assert_eq!(created["campaign_name"], "危化品百日攻坚");
        let id = created["id"].as_str().unwrap().to_string();

        // A supervision tour of the township, with its problems.
        let tour = json!({
            "kind": "covert",
            "target_region_code": TONGCHUAN,
            "inspected_on": "2026-05-25",
            "inspectors": "刘安监",
            "problems": "网格员底数不清\n\n值班记录不完整\n",
            "result": "hazards_found"
        });
        let (status, toured) = safety.post_json("/api/v1/safety/inspections", &tour).await;
        assert_eq!(status, StatusCode::CREATED, "{toured}");
        assert_eq!(toured["target_name"], "潼川镇");
        assert_eq!(toured["problems"].as_array().unwrap().len(), 2);
        // …and of a department, counted under the county; a township may not tour departments.
        let departments =
            platform::org::store::all(&app.state.db, &platform::access::Scope::of("510722000000"))
                .await
                .unwrap();
        let department = departments[0].id.to_string();
        let dept_tour = json!({
            "kind": "supervision",
            "target_department_id": department,
            "inspected_on": "2026-05-26",
            "inspectors": "刘安监、张伟",
            "problems": "行业领域隐患排查台账不全",
            "result": "hazards_found"
        });
        let (status, toured) = safety
            .post_json("/api/v1/safety/inspections", &dept_tour)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{toured}");
        assert_eq!(toured["region_code"], "510722000000");
        assert_eq!(toured["target_name"], departments[0].name.as_str());
        let (status, err) = town
            .post_json("/api/v1/safety/inspections", &dept_tour)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(
            err["error"]["fields"]["target_department_id"].is_string(),
            "{err}"
        );
        // A tour cannot record 无问题 beside its problems.
        let mut quiet = tour.clone();
        quiet["result"] = json!("none");
        let (status, err) = safety.post_json("/api/v1/safety/inspections", &quiet).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "result").contains("无问题"));
        let (_, tours) = safety
            .get_json("/api/v1/safety/inspections?kind=tour")
            .await;
        assert_eq!(tours["total"], 2, "{tours}");
        let (_, in_campaign) = safety
            .get_json(&format!(
                "/api/v1/safety/inspections?campaign={campaign_id}"
            ))
            .await;
        assert_eq!(in_campaign["total"], 1, "{in_campaign}");

        // Another township sees neither the record nor its list.
        let tashan = login(&app, "tashan").await;
        let path = format!("/api/v1/safety/inspections/{id}");
        assert_eq!(tashan.get_json(&path).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            tashan
                .get(&format!("/safety/inspections/{id}"))
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        let (_, theirs) = tashan.get_json("/api/v1/safety/inspections").await;
        assert_eq!(theirs["total"], 0, "{theirs}");

        // Edit with the version read; the same version again is stale.
        let mut edit = good.clone();
        edit["summary"] = json!("复核后补充说明");
        edit["version"] = created["version"].clone();
        let (status, edited) = town.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::OK, "{edited}");
        assert_eq!(edited["summary"], "复核后补充说明");
        let (status, err) = town.patch_json(&path, &edit).await;
        assert_eq!(status, StatusCode::CONFLICT, "{err}");
        assert_eq!(err["error"]["code"], "stale_edit");

        // The campaign cannot shrink away from its inspection.
        let mut shrink = campaign("危化品百日攻坚", "2026-05-26", "2026-05-31");
        shrink["version"] = c["version"].clone();
        let (status, err) = safety
            .patch_json(&format!("/api/v1/safety/campaigns/{campaign_id}"), &shrink)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "starts_on").contains("1 次检查"));

        // Pages: list, detail with its checklist and timeline, export of the filtered rows.
        let (status, page) = town.text("/safety/inspections?result=hazards_found").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("潼川镇检查测试化工商贸公司"));
        let (status, page) = town.text(&format!("/safety/inspections/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("焊工无证"));
        assert!(page.contains("修改检查记录"), "the timeline shows the edit");
        let (status, page) = town.text(&format!("/safety/inspections/{id}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("value=\"nonconform\" checked") && page.contains("焊工无证"));
        let tour_id = toured["id"].as_str().unwrap();
        let (status, page) = safety
            .text(&format!("/safety/inspections/{tour_id}/edit"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("name=\"target_department_id\""));
        let response = safety
            .get("/safety/inspections/export?kind=enforcement")
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book =
            calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("检查记录").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 2, "header and the enforcement inspection");
        assert_eq!(rows[0][0].to_string(), "检查日期");
        assert_eq!(rows[1][1].to_string(), "执法检查");
        assert_eq!(rows[1][2].to_string(), "潼川镇检查测试化工商贸公司");
        assert!(rows[1][8].to_string().contains("焊工无证"));

        // The form posts a checklist item by item.
        let (status, form) = town
            .text(&format!("/safety/inspections/new?unit={unit_id}"))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(form.contains("name=\"answer_hc01\""));
        let mut fields: Vec<(String, String)> = vec![
            ("kind".into(), "routine".into()),
            ("unit_id".into(), unit_id.clone()),
            ("inspected_on".into(), "2026-05-30".into()),
            ("inspectors".into(), "王强".into()),
            ("result".into(), "none".into()),
        ];
        for a in &answers {
            let item = a["item"].as_str().unwrap();
            fields.push((format!("answer_{item}"), "conform".into()));
            fields.push((format!("note_{item}"), String::new()));
        }
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let response = town.post_form("/safety/inspections/new", &borrowed).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        // Without the answers the form comes back with the error and what was typed.
        let response = town
            .post_form("/safety/inspections/new", &borrowed[..5])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text().await.unwrap();
        assert!(page.contains("未作结论"));
        assert!(page.contains("王强"));
    })
    .await;
}

#[tokio::test]
async fn a_hazard_found_on_an_inspection_is_linked_both_ways_and_counted() {
    on_each_backend(|app, _| async move {
        let town = login(&app, "tongchuan").await;
        let safety = login(&app, "safety").await;
        let c = create_campaign(
            &safety,
            &campaign("危化品百日攻坚", "2026-05-01", "2026-06-30"),
        )
        .await;
        let unit_id = create_unit(&town, "潼川镇隐患联动测试加油站", "fuel_station").await;
        let answers = hazchem_answers(&town).await;
        let mut body = inspection(&unit_id, &answers);
        body["campaign_id"] = c["id"].clone();
        let (status, created) = town.post_json("/api/v1/safety/inspections", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["result"], "none");
        let id = created["id"].as_str().unwrap().to_string();

        // Photos of the inspection itself, with the phone's location.
        let photo = b"\xFF\xD8\xFF\xE0 an inspection photo".to_vec();
        let form = reqwest::multipart::Form::new()
            .text("latitude", "31.0950")
            .text("longitude", "105.0900")
            .part("files", file_part("检查现场.jpg", &photo));
        let (status, saved) = town
            .post_multipart(&format!("/api/v1/safety/inspections/{id}/files"), form)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        assert_eq!(saved[0]["latitude"], 31.095);
        let tashan = login(&app, "tashan").await;
        let href = saved[0]["href"].as_str().unwrap();
        assert_eq!(tashan.get(href).await.status(), StatusCode::NOT_FOUND);

        // A bad finding keeps nothing: no hazard, no file.
        let hazards_path = format!("/api/v1/safety/inspections/{id}/hazards");
        let form = reqwest::multipart::Form::new()
            .text("description", "")
            .text("category_code", "fire_facilities")
            .text("grade", "general")
            .part("files", file_part("隐患.jpg", &photo));
        let (status, err) = town.post_multipart(&hazards_path, form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["description"].is_string(), "{err}");
        let (_, none) = town.get_json(&hazards_path).await;
        assert_eq!(none.as_array().unwrap().len(), 0);

        // A hazard with its photo and a deadline, in one step.
        let form = reqwest::multipart::Form::new()
            .text("description", "加油机防爆挠性管破损")
            .text("category_code", "fire_facilities")
            .text("grade", "general")
            .text("location", "2 号加油机")
            .text("deadline", "2026-06-15")
            .part("files", file_part("隐患.jpg", &photo));
        let (status, h) = town.post_multipart(&hazards_path, form).await;
        assert_eq!(status, StatusCode::CREATED, "{h}");
        assert_eq!(h["inspection_id"], json!(id));
        assert_eq!(h["unit_id"], json!(unit_id));
        assert_eq!(h["discovered_on"], "2026-05-20");
        assert_eq!(h["source"], "enforcement");
        assert_eq!(h["state"], "notice_issued");
        assert_eq!(h["deadline"], "2026-06-15");
        let hazard_id = h["id"].as_str().unwrap();
        let (_, files) = town
            .get_json(&format!("/api/v1/safety/hazards/{hazard_id}/files"))
            .await;
        assert_eq!(files.as_array().unwrap().len(), 1, "{files}");

        // Linked both ways: the inspection lists it, the hazards list filters by it.
        let (_, listed) = town.get_json(&hazards_path).await;
        assert_eq!(listed[0]["id"], json!(hazard_id));
        let (_, filtered) = town
            .get_json(&format!("/api/v1/safety/hazards?inspection={id}"))
            .await;
        assert_eq!(filtered["total"], 1, "{filtered}");
        let (_, after) = town
            .get_json(&format!("/api/v1/safety/inspections/{id}"))
            .await;
        assert_eq!(after["result"], "hazards_found", "无问题 no longer holds");

        // A major hazard takes its deadline on the hazard page, with the five-in-place.
        let form = reqwest::multipart::Form::new()
            .text("description", "储罐区可燃气体报警器失效")
            .text("category_code", "fire_facilities")
            .text("grade", "major")
            .text("deadline", "2026-06-15");
        let (status, err) = town.post_multipart(&hazards_path, form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(error_field(&err, "deadline").contains("五落实"));

        // A hazard cannot claim another unit's inspection.
        let other_unit = create_unit(&town, "潼川镇另一家加工厂", "machinery").await;
        let (status, err) = town
            .post_json(
                "/api/v1/safety/hazards",
                &json!({
                    "unit_id": other_unit,
                    "description": "冒认检查",
                    "category_code": "fire_facilities",
                    "grade": "general",
                    "discovered_on": "2026-05-20",
                    "source": "enforcement",
                    "inspection_id": id
                }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert!(err["error"]["fields"]["inspection_id"].is_string(), "{err}");

        // Counted: the campaign's progress and the statistics totals.
        let (_, progress) = safety
            .get_json(&format!(
                "/api/v1/safety/campaigns/{}/progress",
                c["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(progress["units"], 1, "{progress}");
        assert_eq!(progress["units_inspected"], 1, "{progress}");
        assert_eq!(progress["inspections"], 1, "{progress}");
        assert_eq!(progress["hazards_found"], 1, "{progress}");
        assert_eq!(progress["hazards_fixed"], 0, "{progress}");
        let scope = platform::access::Scope::of("510722000000");
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let totals = safety::inspections::totals(
            &app.state.db,
            &scope,
            day("2026-05-01"),
            day("2026-05-31"),
        )
        .await
        .unwrap();
        assert_eq!(totals.inspections, 1);
        assert_eq!(totals.units_inspected, 1);
        assert_eq!(totals.tours, 0);
        let found_by_inspections = safety::hazards::store::HazardFilter {
            inspected: Some(true),
            from: Some("2026-05-01".into()),
            to: Some("2026-05-31".into()),
            ..Default::default()
        };
        let found = safety::hazards::store::count(
            &app.state.db,
            &scope,
            &found_by_inspections,
            day("2026-06-01"),
        )
        .await
        .unwrap();
        assert_eq!(found, 1, "the hazard registered from the inspection");
        let elsewhere = safety::inspections::totals(
            &app.state.db,
            &platform::access::Scope::of("510722104000"),
            day("2026-05-01"),
            day("2026-05-31"),
        )
        .await
        .unwrap();
        assert_eq!(elsewhere.inspections, 0);
        assert_eq!(
            safety::inspections::list_href(&safety::inspections::InspectionFilter {
                township: Some(TONGCHUAN.into()),
                from: Some("2026-05-01".into()),
                ..Default::default()
            }),
            "/safety/inspections?township=510722101000&from=2026-05-01"
        );

        // The page lists the hazard with its state and link; the trail names it.
        let (status, page) = town.text(&format!("/safety/inspections/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&format!("/safety/hazards/{hazard_id}")));
        assert!(page.contains("已下达整改"));
        assert!(page.contains("加油机防爆挠性管破损"));
        assert!(page.contains("上传附件 检查现场.jpg"));
    })
    .await;
}

#[tokio::test]
async fn demo_campaigns_and_inspections_load() {
    on_each_backend(|app, _| async move {
        safety::units::load_demo(&app.state)
            .await
            .expect("demo units");
        safety::hazards::load_demo(&app.state)
            .await
            .expect("demo hazards");
        safety::inspections::load_demo(&app.state)
            .await
            .expect("demo inspections");
        let safety = login(&app, "safety").await;
        let (_, campaigns) = safety.get_json("/api/v1/safety/campaigns").await;
        assert_eq!(campaigns["total"], 5, "{campaigns}");
        let (_, active) = safety
            .get_json("/api/v1/safety/campaigns?state=active")
            .await;
        assert!(active["total"].as_u64().unwrap() > 0, "{active}");
        // The test clock stands at 2026-06-01: the inspections of the year so far.
        let (_, all) = safety.get_json("/api/v1/safety/inspections").await;
        assert!(all["total"].as_u64().unwrap() >= 50, "{}", all["total"]);
        assert!(
            all["items"][0]["inspected_on"].as_str().unwrap() <= "2026-06-01",
            "no inspection in the future"
        );
        let (_, tours) = safety
            .get_json("/api/v1/safety/inspections?kind=tour")
            .await;
        assert!(tours["total"].as_u64().unwrap() >= 3, "{tours}");
        let (_, found) = safety
            .get_json("/api/v1/safety/inspections?result=hazards_found")
            .await;
        let first = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["unit_id"].is_string())
            .expect("a unit inspection that found hazards");
        assert!(first["summary"].as_str().unwrap().starts_with("【演示】"));
        let totals = safety::inspections::totals(
            &app.state.db,
            &platform::access::Scope::of("510722000000"),
            "2026-01-01".parse().unwrap(),
            "2026-06-01".parse().unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(totals.inspections, all["total"].as_u64().unwrap());
        assert!(totals.units_inspected > 10, "{totals:?}");
        for c in campaigns["items"].as_array().unwrap() {
            let (status, _) = safety
                .text(&format!("/safety/campaigns/{}", c["id"].as_str().unwrap()))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
        let (status, page) = safety.text("/safety/inspections").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("【演示】"));
    })
    .await;
}
