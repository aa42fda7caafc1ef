//! User-chosen order of the safety lists: `?sort=column&dir=asc|desc` orders the rows (empty
//! values last either way), pages and exports keep it, the headers link to it, and a column a
//! list does not offer is refused.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

async fn created(session: &Session, path: &str, body: &Value) -> Value {
    let (status, out) = session.post_json(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {out}");
    out
}

async fn create_unit(session: &Session, name: &str, region: &str) -> String {
    let body = json!({
        "name": name,
        "industry_code": "hazchem_trading",
        "region_code": region,
        "contact_name": "李明",
        "status": "operating"
    });
    created(session, "/api/v1/safety/units", &body).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// One field of every row of a list, in the order the API gives them.
async fn column(session: &Session, path: &str, field: &str) -> Vec<String> {
    let (status, list) = session.get_json(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| match &row[field] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

/// A page with the `&` of its links unescaped (askama writes `&#38;`).
fn links(page: &str) -> String {
    page.replace("&#38;", "&")
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// A column the list does not offer, or a direction that is neither asc nor desc, is refused.
async fn refuses_unknown(session: &Session, list: &str, page: &str) {
    for query in [
        "sort=password&dir=asc",
        "sort=number;drop&dir=asc",
        "dir=up",
    ] {
        let (status, body) = session.get_json(&format!("{list}?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{list}?{query}: {body}");
        assert_eq!(body["error"]["code"], "invalid_query", "{body}");
    }
    let (status, text) = session.text(&format!("{page}?sort=password")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(text.contains("排序字段应为"), "{text}");
}

#[tokio::test]
async fn the_hazard_list_sorts_pages_and_exports_in_the_order_asked() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let unit_id = create_unit(&safety, "三台县排序测试化工有限公司", TONGCHUAN).await;
        let mut ids = Vec::new();
        for (discovered, grade) in [
            ("2026-05-20", "general"),
            ("2026-05-28", "major"),
            ("2026-05-10", "general"),
        ] {
            let body = json!({
                "unit_id": unit_id,
                "description": format!("{discovered} 发现的隐患"),
                "category_code": "fire_facilities",
                "grade": grade,
                "criterion_standard": "工贸",
                "criterion_item": "第四条",
                "discovered_on": discovered,
                "source": "enforcement"
            });
            let h = created(&safety, "/api/v1/safety/hazards", &body).await;
            ids.push((h["id"].as_str().unwrap().to_string(), h["version"].clone()));
        }
        // Deadlines for the first and the third; the second has none yet.
        for ((id, version), deadline) in [(&ids[0], "2026-06-30"), (&ids[2], "2026-06-15")] {
            let (status, body) = safety
                .post_json(
                    &format!("/api/v1/safety/hazards/{id}/notice"),
                    &json!({"deadline": deadline, "version": version}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let api = "/api/v1/safety/hazards";
        let numbers = |q: &'static str| {
            let safety = &safety;
            async move { column(safety, &format!("{api}?{q}"), "number").await }
        };
        // The usual order: latest discovered first.
        let usual = strings(&["YH2026-0002", "YH2026-0001", "YH2026-0003"]);
        assert_eq!(numbers("").await, usual);
        assert_eq!(numbers("sort=discovered_on").await, usual);
        assert_eq!(
            numbers("sort=discovered_on&dir=asc").await,
            strings(&["YH2026-0003", "YH2026-0001", "YH2026-0002"])
        );
        assert_eq!(
            numbers("sort=number&dir=asc").await,
            strings(&["YH2026-0001", "YH2026-0002", "YH2026-0003"])
        );
        assert_eq!(
            numbers("sort=number&dir=desc").await,
            strings(&["YH2026-0003", "YH2026-0002", "YH2026-0001"])
        );
        // Soonest deadline first; a hazard without one comes last either way.
        assert_eq!(
            numbers("sort=deadline&dir=asc").await,
            strings(&["YH2026-0003", "YH2026-0001", "YH2026-0002"])
        );
        assert_eq!(
            numbers("sort=deadline&dir=desc").await,
            strings(&["YH2026-0001", "YH2026-0003", "YH2026-0002"])
        );
        // Major hazards first; ties keep the usual order.
        assert_eq!(
            numbers("sort=grade").await,
            strings(&["YH2026-0002", "YH2026-0001", "YH2026-0003"])
        );
        // Filters and sort together.
        assert_eq!(
            numbers("grade=general&sort=number&dir=desc").await,
            strings(&["YH2026-0003", "YH2026-0001"])
        );
        refuses_unknown(&safety, api, "/safety/hazards").await;

        // The page: headers link to their column (the current one flips), mark the current
        // one, and pages, the export and the search form carry the order.
        let (status, page) = safety
            .text("/safety/hazards?sort=deadline&dir=asc&per_page=1")
            .await;
        assert_eq!(status, StatusCode::OK);
        let page = links(&page);
        assert!(page.contains(r#"<th aria-sort="ascending"><a class="sort" href="?per_page=1&sort=deadline&dir=desc" title="按整改期限排序">整改期限<span class="sort-mark" aria-hidden="true">▲</span>"#), "{page}");
        assert!(page.contains(r#"href="?per_page=1&sort=number&dir=asc""#), "{page}");
        assert!(page.contains(r#"href="?per_page=1&sort=discovered_on&dir=desc""#), "{page}");
        assert!(page.contains(r#"href="?sort=deadline&dir=asc&per_page=1&page=2""#), "{page}");
        assert!(page.contains(r#"href="/safety/hazards/export?sort=deadline&dir=asc&per_page=1""#), "{page}");
        assert!(page.contains(r#"<input type="hidden" name="sort" value="deadline"><input type="hidden" name="dir" value="asc">"#), "{page}");
        assert!(page.contains("YH2026-0003"), "the first row: {page}");
        let usual_page = links(&safety.text("/safety/hazards").await.1);
        assert!(!usual_page.contains(r#"name="sort""#), "the usual order needs no fields");
        assert!(usual_page.contains(r#"<th aria-sort="descending"><a class="sort" href="?sort=discovered_on&dir=asc""#), "{usual_page}");

        let response = safety
            .get("/safety/hazards/export?sort=deadline&dir=asc")
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let bytes = response.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = book.worksheet_range("事故隐患").unwrap();
        let exported: Vec<String> = sheet.rows().skip(1).map(|r| r[0].to_string()).collect();
        assert_eq!(exported, strings(&["YH2026-0003", "YH2026-0001", "YH2026-0002"]));
        let response = safety.get("/safety/hazards/export?sort=password").await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    })
    .await;
}

/// Every item of the hazchem checklist, conforming.
async fn hazchem_answers(session: &Session) -> Vec<Value> {
    let (_, lists) = session
        .get_json("/api/v1/safety/inspections/checklists")
        .await;
    lists
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["group"] == "hazchem")
        .expect("a hazchem checklist")["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({"item": i["code"], "answer": "conform", "note": ""}))
        .collect()
}

#[tokio::test]
async fn every_safety_list_sorts_by_the_columns_it_offers() {
    on_each_backend(|app, _| async move {
        let safety = login(&app, "safety").await;
        let b = create_unit(&safety, "乙化工有限公司", TASHAN).await;
        let a = create_unit(&safety, "甲化工有限公司", TONGCHUAN).await;

        // 监管对象: by name (the usual order), by region.
        let units = "/api/v1/safety/units";
        let names = column(&safety, units, "name").await;
        assert_eq!(
            names,
            strings(&["乙化工有限公司", "甲化工有限公司"]),
            "by code point"
        );
        let desc = column(&safety, &format!("{units}?sort=name&dir=desc"), "name").await;
        assert_eq!(desc, strings(&["甲化工有限公司", "乙化工有限公司"]));
        let by_region = column(&safety, &format!("{units}?sort=region"), "region_code").await;
        assert_eq!(by_region, strings(&[TONGCHUAN, TASHAN]));
        refuses_unknown(&safety, units, "/safety/units").await;

        // 检查: by date.
        let answers = hazchem_answers(&safety).await;
        for (unit_id, day) in [(&a, "2026-05-20"), (&b, "2026-05-25"), (&a, "2026-05-05")] {
            let body = json!({
                "kind": "routine",
                "unit_id": unit_id,
                "inspected_on": day,
                "inspectors": "张伟",
                "checklist": answers,
                "result": "none",
                "summary": "例行检查"
            });
            created(&safety, "/api/v1/safety/inspections", &body).await;
        }
        let inspections = "/api/v1/safety/inspections";
        let days = column(&safety, inspections, "inspected_on").await;
        assert_eq!(days, strings(&["2026-05-25", "2026-05-20", "2026-05-05"]));
        let days = column(
            &safety,
            &format!("{inspections}?sort=inspected_on&dir=asc"),
            "inspected_on",
        )
        .await;
        assert_eq!(days, strings(&["2026-05-05", "2026-05-20", "2026-05-25"]));
        let regions = column(
            &safety,
            &format!("{inspections}?sort=region&dir=desc"),
            "region_code",
        )
        .await;
        assert_eq!(regions, strings(&[TASHAN, TONGCHUAN, TONGCHUAN]));
        refuses_unknown(&safety, inspections, "/safety/inspections").await;

        // 执法案件: by number, by filing date.
        for (unit_id, filed) in [(&a, "2026-05-20"), (&b, "2026-05-02")] {
            let body = json!({
                "unit_id": unit_id,
                "cause": "危险化学品未按规定分类、分区储存",
                "legal_basis": "《危险化学品安全管理条例》第八十条",
                "source": "routine",
                "filed_on": filed,
                "officers": ["张明", "李华"]
            });
            created(&safety, "/api/v1/safety/enforcement", &body).await;
        }
        let cases = "/api/v1/safety/enforcement";
        assert_eq!(
            column(&safety, cases, "number").await,
            strings(&["AJ2026-0001", "AJ2026-0002"])
        );
        let by_number = column(&safety, &format!("{cases}?sort=number&dir=desc"), "number").await;
        assert_eq!(by_number, strings(&["AJ2026-0002", "AJ2026-0001"]));
        let by_filing = column(&safety, &format!("{cases}?sort=filed_on&dir=asc"), "number").await;
        assert_eq!(by_filing, strings(&["AJ2026-0002", "AJ2026-0001"]));
        refuses_unknown(&safety, cases, "/safety/enforcement").await;

        // 事故: by deaths, by time.
        for (hour, deaths) in [("08", 1), ("10", 3), ("09", 0)] {
            let body = json!({
                "occurred_at": format!("2026-05-31T{hour}:00"),
                "reported_at": format!("2026-05-31T{hour}:30"),
                "region_code": TONGCHUAN,
                "place": "原料堆场",
                "party_name": "甲化工有限公司",
                "type_code": "01",
                "deaths": deaths,
                "serious_injuries": 0,
                "direct_loss_yuan": 10000,
                "summary": "钢管滚落"
            });
            created(&safety, "/api/v1/safety/accidents", &body).await;
        }
        let accidents = "/api/v1/safety/accidents";
        assert_eq!(
            column(&safety, accidents, "number").await,
            strings(&["SG2026-0002", "SG2026-0003", "SG2026-0001"])
        );
        let by_deaths = column(&safety, &format!("{accidents}?sort=deaths"), "deaths").await;
        assert_eq!(by_deaths, strings(&["3", "1", "0"]));
        let by_deaths = column(
            &safety,
            &format!("{accidents}?sort=deaths&dir=asc"),
            "deaths",
        )
        .await;
        assert_eq!(by_deaths, strings(&["0", "1", "3"]));
        refuses_unknown(&safety, accidents, "/safety/accidents").await;

        // 函件: drafts first whatever the sort; then by reply date, those without one last.
        let letter = |title: &str, due: Option<&str>| {
            json!({
                "kind": "reminder",
                "title": title,
                "content": "请加强隐患排查。",
                "reply_required": due.is_some(),
                "reply_due_on": due,
                "townships": [TONGCHUAN],
                "departments": [],
            })
        };
        for (title, due) in [
            ("甲", Some("2026-06-20")),
            ("乙", None),
            ("丙", Some("2026-06-10")),
        ] {
            let n = created(&safety, "/api/v1/safety/notices", &letter(title, due)).await;
            let (status, body) = safety
                .post_json(
                    &format!("/api/v1/safety/notices/{}/send", n["id"].as_str().unwrap()),
                    &json!({"version": n["version"]}),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        created(
            &safety,
            "/api/v1/safety/notices",
            &letter("草稿", Some("2026-06-05")),
        )
        .await;
        let notices = "/api/v1/safety/notices";
        let by_due = column(
            &safety,
            &format!("{notices}?sort=reply_due_on&dir=asc"),
            "title",
        )
        .await;
        assert_eq!(by_due, strings(&["草稿", "丙", "甲", "乙"]));
        let by_due = column(
            &safety,
            &format!("{notices}?sort=reply_due_on&dir=desc"),
            "title",
        )
        .await;
        assert_eq!(by_due, strings(&["草稿", "甲", "丙", "乙"]));
        refuses_unknown(&safety, notices, "/safety/notices").await;

        // Every list page shows its sortable headers and the current order.
        for (page, key) in [
            ("/safety/units?sort=region&dir=desc", "region"),
            ("/safety/inspections?sort=region&dir=desc", "region"),
            ("/safety/enforcement?sort=fine&dir=desc", "fine"),
            (
                "/safety/accidents?sort=serious_injuries&dir=desc",
                "serious_injuries",
            ),
            ("/safety/notices?sort=reply_due_on&dir=desc", "reply_due_on"),
        ] {
            let (status, text) = safety.text(page).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            let text = links(&text);
            let flip =
                format!(r#"<th aria-sort="descending"><a class="sort" href="?sort={key}&dir=asc""#);
            assert!(text.contains(&flip), "{page}: {text}");
            assert!(
                text.contains(r#"<input type="hidden" name="sort""#),
                "{page}"
            );
        }
    })
    .await;
}
