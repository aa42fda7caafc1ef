//! 卫星热点, end to end: a FIRMS file (MODIS layout) is received for a county with two township
//! areas and a strip in no township; each pixel is matched (the shared boundary goes to the lower
//! code, the point outside the county is counted and dropped, a bad row is named), a neighbour
//! pixel merges into its hotspot, and the townships are asked. 潼川镇 answers one check through
//! its link (林火 → a graded fire record, after a refused incomplete answer) and one in the app;
//! 塔山镇 stays silent, is asked again and escalated to its head, then answers late. The same
//! file twice, a file without FIRMS columns, manual entry outside the county, the rules, the
//! watched folder and voiding are checked too.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

fn feature(code: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"code": code}, "geometry": geometry})
}

const HEADER: &str = "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight";

/// A MODIS row at (lon, lat), 2026-06-01 at `hhmm` UTC.
fn row(lon: f64, lat: f64, hhmm: &str, satellite: &str) -> String {
    format!("{lat},{lon},326.4,1.1,1.0,2026-06-01,{hhmm},{satellite},MODIS,74,6.1NRT,294.3,23.9,D")
}

fn file(rows: &[String]) -> String {
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// The county outline 105.0–105.3 × 31.0–31.2; 潼川镇 the west third, 塔山镇 the middle one;
/// the east third is in the county but in no township area.
async fn areas_and_contacts(app: &TestApp) {
    let staff = login(app, "disaster").await;
    let body = json!({"type": "FeatureCollection", "features": [
        feature("510722", square(105.0, 31.0, 105.3, 31.2)),
        feature("510722101", square(105.0, 31.0, 105.1, 31.2)),
        feature("510722104", square(105.1, 31.0, 105.2, 31.2)),
    ]});
    let r = staff
        .client
        .post(staff.url("/api/v1/fire/areas"))
        .header("x-csrf-token", &staff.csrf)
        .header("content-type", "application/geo+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    for (name, role, region, username) in [
        ("王值班", "township_duty", TONGCHUAN, Some("tongchuan")),
        ("赵值班", "township_duty", TASHAN, None),
        ("塔山镇长", "township_head", TASHAN, None),
    ] {
        add_contact(&staff, name, role, region, username).await;
    }
}

async fn receive(s: &Session, name: &str, body: &str) -> (StatusCode, Value) {
    let r = s
        .client
        .post(s.url(&format!("/api/v1/fire/hotspots/firms?file_name={name}")))
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn hotspots(s: &Session) -> Vec<Value> {
    let (status, list) = s.get_json("/api/v1/fire/hotspots").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

fn by_number<'a>(list: &'a [Value], number: &str) -> &'a Value {
    list.iter()
        .find(|h| h["number"] == number)
        .unwrap_or_else(|| panic!("no hotspot {number} in {list:?}"))
}

/// The link page's form, as a phone sends it (no login: the link is the credential).
async fn answer_by_link(
    app: &TestApp,
    token: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = browser()
        .post(app.url(&format!("/fire/hotspots/answer/{token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn a_firms_file_matched_checked_and_escalated() {
    on_each_backend(|app, _| async move {
        areas_and_contacts(&app).await;
        let staff = login(&app, "disaster").await;
        let firms = file(&[
            row(105.05, 31.10, "30", "T"),
            // 475 m east, same pass: the same fire.
            row(105.055, 31.10, "30", "A"),
            // On the boundary of 潼川镇 and 塔山镇: the lower code.
            row(105.1, 31.05, "30", "T"),
            row(105.15, 31.15, "30", "T"),
            // In the county, in no township area.
            row(105.25, 31.10, "30", "T"),
            // Outside the county.
            row(104.5, 31.10, "30", "T"),
            "abc,105.05,300,1,1,2026-06-01,0030,T,MODIS,50,6.1NRT,290,1,D".to_string(),
        ]);
        // A township's staff cannot receive files.
        let town = login(&app, "tongchuan").await;
        let (status, _) = receive(&town, "x.csv", &firms).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let (status, r) = receive(&staff, "MODIS_C6_1_China_24h.csv", &firms).await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        assert_eq!(r["rows_read"], 7);
        assert_eq!(r["new_hotspots"].as_array().unwrap().len(), 4, "{r}");
        assert_eq!(r["merged"], 1);
        assert_eq!(r["outside"], 1);
        assert_eq!(r["unassigned"], 1);
        assert_eq!(r["errors"][0]["row"], 8);
        assert_eq!(r["errors"][0]["message"], "latitude 不是数字：「abc」");

        let list = hotspots(&staff).await;
        assert_eq!(list.len(), 4);
        let first = by_number(&list, "2026-001");
        assert_eq!(first["township_code"], TONGCHUAN);
        assert_eq!(first["pixels"], 2);
        // 00:30 UTC is 08:30 in China.
        assert_eq!(first["detected_at"], "2026-06-01T00:30:00Z");
        assert_eq!(first["stage"], "waiting");
        assert_eq!(
            by_number(&list, "2026-002")["township_code"],
            TONGCHUAN,
            "boundary"
        );
        assert_eq!(by_number(&list, "2026-003")["township_code"], TASHAN);
        let unassigned = by_number(&list, "2026-004");
        assert_eq!(unassigned["stage"], "unassigned");
        assert_eq!(unassigned["township_code"], Value::Null);
        // The township sees only its own.
        assert_eq!(hotspots(&town).await.len(), 2);

        // The same file again is refused; a new file repeating a pixel counts it as a duplicate.
        let (status, again) = receive(&staff, "again.csv", &firms).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        assert!(
            again["error"]["message"].as_str().unwrap().contains("已于"),
            "{again}"
        );
        let (status, r) = receive(
            &staff,
            "next.csv",
            &file(&[row(105.05, 31.10, "30", "T"), row(104.0, 30.0, "0100", "T")]),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        assert_eq!(r["duplicates"], 1);
        assert_eq!(r["outside"], 1);
        // Not FIRMS at all.
        let (status, bad) = receive(&staff, "bad.csv", "lat,lon\n31,105\n").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad["error"]["fields"]["file"]
                .to_string()
                .contains("缺少列"),
            "{bad}"
        );

        // 潼川镇's duty officer was asked twice; 塔山镇's once.
        let wang = calls_of(&app, "fire_hotspot", "王值班").await;
        assert_eq!(wang.len(), 2);
        assert_eq!(calls_of(&app, "fire_hotspot", "赵值班").await.len(), 1);

        // Through the link: an answer without a type is refused and nothing is kept …
        let (status, page) = answer_by_link(&app, &wang[0].1, &[("measures", "已扑灭")]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("请选择核查结果类型"), "{page}");
        // … then 林火, 2.5 ha: a fire record graded 较大.
        let (_, page) = answer_by_link(
            &app,
            &wang[0].1,
            &[
                ("verdict", "forest"),
                ("area_ha", "2.5"),
                ("place", "金鼓村三组后山"),
                ("measures", "已组织扑救，明火已灭"),
            ],
        )
        .await;
        assert!(page.contains("已按林火立档"), "{page}");
        let (_, detail) = staff
            .get_json(&format!(
                "/api/v1/fire/hotspots/{}",
                first["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(detail["hotspot"]["verdict"], "forest");
        assert_eq!(detail["hotspot"]["stage"], "answered");
        assert_eq!(detail["hotspot"]["answered_by_name"], "王值班");
        let fire_id = detail["hotspot"]["fire_id"].as_str().unwrap().to_string();
        let (status, f) = town.get_json(&format!("/api/v1/fire/fires/{fire_id}")).await;
        assert_eq!(status, StatusCode::OK, "{f}");
        assert_eq!(f["grade"], "larger");
        assert_eq!(f["area_ha"], 2.5);
        assert_eq!(f["region_code"], TONGCHUAN);
        assert_eq!(f["place"], "金鼓村三组后山");
        // 续报: 150 ha makes it 重大; bad figures and a stale version are refused.
        let path = format!("/api/v1/fire/fires/{fire_id}");
        let (status, body) = staff
            .send_json(
                reqwest::Method::PUT,
                &path,
                &json!({"place": "金鼓村三组后山", "area_ha": -3, "deaths": "x", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["area_ha"].is_string() && body["error"]["fields"]["deaths"].is_string(), "{body}");
        let (status, body) = staff
            .send_json(
                reqwest::Method::PUT,
                &path,
                &json!({"place": "金鼓村三组后山", "area_ha": 150, "injured": 2, "extinguished_at": "2026-06-01T08:55", "version": 1}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["grade"], "major");
        assert_eq!(body["extinguished_at"], "2026-06-01T00:55:00Z");
        let (status, _) = staff
            .send_json(reqwest::Method::PUT, &path, &json!({"place": "x", "version": 1}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, _) = town
            .send_json(reqwest::Method::PUT, &path, &json!({"place": "x", "version": 2}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a township does not grade fires");
        let (_, page) = staff.text("/fire/fires").await;
        assert!(page.contains("重大森林火灾") && page.contains("150"), "{page}");
        // In the app: the boundary hotspot is a false alarm (no measures needed).
        let (status, body) = town
            .post_json(
                &format!("/api/v1/fire/hotspots/calls/{}/answer", wang[1].0),
                &json!({"verdict": "false_alarm"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["hotspot"]["verdict"], "false_alarm");
        // Answering again after the check closed is refused, the first answer kept.
        let (status, body) = town
            .post_json(
                &format!("/api/v1/fire/hotspots/calls/{}/answer", wang[1].0),
                &json!({"verdict": "farming", "measures": "x"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        // 塔山镇 is silent: asked again halfway, escalated to its head at the deadline.
        app.clock.advance(chrono::Duration::minutes(31));
        platform::calls::chase::chase_due(&app.state)
            .await
            .expect("chase");
        assert_eq!(calls_of(&app, "fire_hotspot", "赵值班").await[0].2, "pending");
        app.clock.advance(chrono::Duration::minutes(31));
        platform::calls::chase::chase_due(&app.state)
            .await
            .expect("chase");
        assert_eq!(calls_of(&app, "fire_hotspot", "赵值班").await[0].2, "unreachable");
        assert_eq!(
            calls_of(&app, "fire_hotspot", "塔山镇长").await.len(),
            1,
            "the head is asked"
        );
        let staff = login(&app, "disaster").await;
        assert_eq!(
            by_number(&hotspots(&staff).await, "2026-003")["stage"],
            "overdue"
        );
        let (_, home) = staff.text("/").await;
        assert!(home.contains("1 个超时未反馈，1 个待指派乡镇"), "{home}");
        let auditor = login(&app, "auditor").await;
        assert!(audit_total(&auditor, "action=fire.hotspot.escalate").await >= 1);
        // The head acknowledges (no answer asked of him); the duty officer answers, late.
        let (_, head_token, _) = calls_of(&app, "fire_hotspot", "塔山镇长").await.remove(0);
        let (_, page) = answer_by_link(&app, &head_token, &[("ack", "1")]).await;
        assert!(page.contains("已确认知悉"), "{page}");
        let zhao = calls_of(&app, "fire_hotspot", "赵值班").await.remove(0);
        let (_, page) = answer_by_link(
            &app,
            &zhao.1,
            &[
                ("verdict", "farming"),
                ("measures", "村民焚烧秸秆，已扑灭并教育"),
            ],
        )
        .await;
        assert!(page.contains("已反馈：农事用火"), "{page}");
        assert_eq!(
            by_number(&hotspots(&staff).await, "2026-003")["stage"],
            "answered_late"
        );

        // The unassigned one is sent to 塔山镇 by hand, then voided: its call is closed.
        let id = unassigned["id"].as_str().unwrap();
        let (status, body) = staff
            .post_json(
                &format!("/api/v1/fire/hotspots/{id}/assign"),
                &json!({"township": "510722999000"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = staff
            .post_json(
                &format!("/api/v1/fire/hotspots/{id}/assign"),
                &json!({"township": TASHAN}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["stage"], "waiting");
        assert_eq!(body["asked"], 1);
        let (status, body) = staff
            .post_json(
                &format!("/api/v1/fire/hotspots/{id}/void"),
                &json!({"reason": ""}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = staff
            .post_json(
                &format!("/api/v1/fire/hotspots/{id}/void"),
                &json!({"reason": "与省级下发热点重复"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["stage"], "voided");
        let zhao_calls = calls_of(&app, "fire_hotspot", "赵值班").await;
        assert_eq!(zhao_calls.last().unwrap().2, "closed");
        let (_, page) = answer_by_link(
            &app,
            &zhao_calls.last().unwrap().1,
            &[("verdict", "other"), ("measures", "x")],
        )
        .await;
        assert!(page.contains("无需反馈"), "{page}");

        // The pages.
        let (status, page) = staff.text("/fire/hotspots").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("2026-001") && page.contains("逾期反馈"),
            "{page}"
        );
        let (status, page) = staff
            .text(&format!("/fire/hotspots/{}", first["id"].as_str().unwrap()))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("核查结果：林火") && page.contains("金鼓村三组后山"),
            "{page}"
        );
    })
    .await;
}

#[tokio::test]
async fn manual_entry_rules_and_the_watched_folder() {
    on_each_backend(|app, _| async move {
        areas_and_contacts(&app).await;
        let staff = login(&app, "disaster").await;
        // Outside the county, or without a time: refused by field.
        let (status, body) = staff
            .post_json(
                "/api/v1/fire/hotspots",
                &json!({"longitude": 104.5, "latitude": 31.1, "detected_at": "2026-06-01T08:40"}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["longitude"].to_string().contains("不在本县"), "{body}");
        let (status, body) = staff
            .post_json("/api/v1/fire/hotspots", &json!({"longitude": "x", "latitude": 31.1}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["longitude"].is_string() && body["error"]["fields"]["detected_at"].is_string(), "{body}");
        let (status, body) = staff
            .post_json(
                "/api/v1/fire/hotspots",
                &json!({"longitude": 105.15, "latitude": 31.05, "detected_at": "2026-06-01T08:40", "satellite": "FY-3D", "note": "省森防办 2026-118 号"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["township_code"], TASHAN);
        assert_eq!(body["source"], "manual");
        assert_eq!(body["detected_at"], "2026-06-01T00:40:00Z");

        // Rules: checked by field; a longer deadline applies to what comes next.
        let (status, body) = staff
            .send_json(
                reqwest::Method::PUT,
                "/api/v1/fire/hotspots/rules",
                &json!({"deadline_minutes": 5, "merge_metres": 1500, "merge_hours": 100}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body["error"]["fields"]["deadline_minutes"].is_string() && body["error"]["fields"]["merge_hours"].is_string(), "{body}");
        let (status, _) = staff
            .send_json(
                reqwest::Method::PUT,
                "/api/v1/fire/hotspots/rules",
                &json!({"deadline_minutes": 120, "merge_metres": 1000, "merge_hours": 12}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);

        // The watched folder: a file for the county is taken in and moved to done/; the same
        // file dropped again goes to failed/ with the reason beside it.
        let dir = app.state.settings.inbox_dir.join("firms").join("510722");
        std::fs::create_dir_all(&dir).unwrap();
        let body = file(&[row(105.05, 31.15, "0035", "T")]);
        std::fs::write(dir.join("a.csv"), &body).unwrap();
        let said = fire::hotspots::watch::take_in(&app.state).await.unwrap();
        assert_eq!(said, "接收 1 个文件，0 个未能接收");
        assert!(dir.join("done").join("a.csv").exists());
        std::fs::write(dir.join("b.csv"), &body).unwrap();
        fire::hotspots::watch::take_in(&app.state).await.unwrap();
        let why = std::fs::read_to_string(dir.join("failed").join("b.csv.error.txt")).unwrap();
        assert!(why.contains("未重复导入"), "{why}");
        let list = hotspots(&staff).await;
        let from_folder = list.iter().find(|h| h["source"] == "modis").unwrap();
        assert_eq!(from_folder["township_code"], TONGCHUAN);
        // The 120-minute deadline.
        let asked = chrono::DateTime::parse_from_rfc3339(from_folder["asked_at"].as_str().unwrap()).unwrap();
        let due = chrono::DateTime::parse_from_rfc3339(from_folder["due_at"].as_str().unwrap()).unwrap();
        assert_eq!((due - asked).num_minutes(), 120);
    })
    .await;
}
