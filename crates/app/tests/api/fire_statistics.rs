//! 森林防火统计: on 1 June a forecast with 潼川镇 orange and its burn ban; a FIRMS file with a
//! hotspot in 潼川镇 (answered on time: 林火, 2.5 ha, a fire record) and one in 塔山镇 (silent,
//! chased, answered late: 农事用火); a 09:30 report slot that 潼川镇 files as a zero report and
//! 塔山镇 misses; a checkpoint in 潼川镇 scanned by its staff and two tours, one done. The
//! figures, the per-township rows (塔山镇 least reporting first) and their links, the XLSX, a
//! period without data, bad dates and a township's scope are checked.

use reqwest::StatusCode;
use reqwest::multipart::Form;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
const JUNE: &str = "from=2026-06-01&to=2026-06-30";
const API: &str = "/api/v1/fire/statistics";

fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
}

/// 潼川镇 the west half of the county outline, 塔山镇 the east half; a duty contact each.
async fn areas_and_contacts(app: &TestApp) {
    let staff = login(app, "disaster").await;
    let feature = |code: &str, g: Value| json!({"type": "Feature", "properties": {"code": code}, "geometry": g});
    let body = json!({"type": "FeatureCollection", "features": [
        feature("510722", square(105.0, 31.0, 105.2, 31.2)),
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
    for (name, region, username) in [
        ("王值班", TONGCHUAN, Some("tongchuan")),
        ("赵值班", TASHAN, None),
    ] {
        let (status, c) = staff
            .post_json(
                "/api/v1/contacts",
                &json!({"name": name, "role": "township_duty", "region_code": region, "mobile": "13800000000", "username": username}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
    }
}

/// Two MODIS pixels seen at 08:30 on 1 June: one in each township.
async fn receive_hotspots(s: &Session) {
    let header = "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight";
    let row = |lon: f64, lat: f64| {
        format!("{lat},{lon},326.4,1.1,1.0,2026-06-01,0030,T,MODIS,74,6.1NRT,294.3,23.9,D")
    };
    let body = format!("{header}\n{}\n{}\n", row(105.05, 31.10), row(105.15, 31.15));
    let r = s
        .client
        .post(s.url("/api/v1/fire/hotspots/firms?file_name=MODIS.csv"))
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// A person's calls about `kind`, first sent first: (id, token).
async fn calls_of(app: &TestApp, name: &str, kind: &str) -> Vec<(String, String)> {
    use platform::calls::entity::{Column, Entity};
    Entity::find()
        .filter(Column::Name.eq(name))
        .filter(Column::SubjectKind.eq(kind))
        .order_by_asc(Column::FirstSentAt)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.id.to_string(), c.token))
        .collect()
}

async fn chase(app: &TestApp) {
    platform::calls::chase::chase_due(&app.state)
        .await
        .expect("chase");
}

/// A forecast for 1 June with 潼川镇 orange, and the burn ban it brings.
async fn forecast_and_ban(s: &Session) {
    let (status, f) = s
        .post_json(
            "/api/v1/fire/forecasts",
            &json!({"day": "2026-06-01", "all_level": "2", "levels": [{"township": TONGCHUAN, "level": "4"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let (status, b) = s
        .post_json("/api/v1/fire/bans", &json!({"forecast_day": "2026-06-01", "valid_from": "2026-06-01", "valid_to": "2026-06-03"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
}

/// The 09:30 report slot of 1 June, opened in an extended season: 潼川镇 files a zero report.
async fn report_slot(app: &TestApp, s: &Session) {
    let (status, body) = s
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/fire/report-schedule",
            &json!({"slots": [{"time": "09:30"}], "grace_minutes": 30}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let season = json!({"fire_from": "2026-01-01", "fire_to": "2026-06-30",
        "high_from": "2026-02-01", "high_to": "2026-05-10"});
    let (status, body) = s
        .send_json(reqwest::Method::PUT, "/api/v1/fire/seasons/2026", &season)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.clock.advance(chrono::Duration::minutes(30));
    fire::reports::slots::open_due(&app.state)
        .await
        .expect("open");
    let (_, token) = calls_of(app, "王值班", "fire_report").await.remove(0);
    let r = browser()
        .post(app.url(&format!("/api/v1/fire/report-filings/{token}")))
        .json(&json!({"zero": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// A checkpoint in 潼川镇 scanned by its staff; tours for them (done) and the leader (not).
async fn patrols(app: &TestApp, county: &Session) {
    let (status, c) = county
        .post_json(
            "/api/v1/fire/checkpoints",
            &json!({"township": TONGCHUAN, "name": "金鼓瞭望台", "kind": "supervision", "lon": "105.05", "lat": "31.10"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let token = c["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let town = login(app, "tongchuan").await;
    let (status, s) = town
        .post_json("/api/v1/fire/checkins", &json!({"token": token}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{s}");
    for (township, user) in [(TONGCHUAN, "tongchuan"), (TASHAN, "leader")] {
        let (status, t) = county
            .post_json(
                "/api/v1/fire/tours",
                &json!({"township": township, "user": user, "date_from": "2026-06-01",
                    "date_to": "2026-06-10", "required": "1"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{t}");
    }
}

/// A figure's value by section and label.
fn figure<'a>(s: &'a Value, section: &str, label: &str) -> &'a str {
    s["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["title"] == section)
        .flat_map(|x| x["figures"].as_array().unwrap())
        .find(|f| f["label"] == label)
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no {section}/{label} in {s}"))
}

fn row<'a>(s: &'a Value, code: &str) -> &'a Value {
    s["townships"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no township {code} in {s}"))
}

/// The list behind a link, through its API: how many rows it shows.
async fn listed(s: &Session, href: &str) -> usize {
    let api = format!("/api/v1{href}");
    let (status, body) = s.get_json(&api).await;
    assert_eq!(status, StatusCode::OK, "{api}: {body}");
    body.as_array()
        .map(Vec::len)
        .unwrap_or_else(|| body["tours"].as_array().unwrap().len())
}

async fn story(app: TestApp) {
    areas_and_contacts(&app).await;
    let county = login(&app, "disaster").await;
    forecast_and_ban(&county).await;
    // 09:00: both hotspots asked, due at 10:00.
    receive_hotspots(&county).await;
    let town = login(&app, "tongchuan").await;
    let (wang, _) = calls_of(&app, "王值班", "fire_hotspot").await.remove(0);
    let (status, a) = town
        .post_json(
            &format!("/api/v1/fire/hotspots/calls/{wang}/answer"),
            &json!({"verdict": "forest", "area_ha": "2.5", "place": "金鼓村后山", "measures": "已扑灭"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a}");
    report_slot(&app, &county).await;
    patrols(&app, &county).await;
    // 10:01: 塔山镇 has neither answered its hotspot nor filed its report; chased, then
    // answers the hotspot (late) through its link.
    app.clock.advance(chrono::Duration::minutes(31));
    chase(&app).await;
    let (_, zhao) = calls_of(&app, "赵值班", "fire_hotspot").await.remove(0);
    let form = Form::new()
        .text("verdict", "farming")
        .text("measures", "已劝导熄灭");
    let r = browser()
        .post(app.url(&format!("/fire/hotspots/answer/{zhao}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let county = login(&app, "disaster").await;
    let (status, s) = county.get_json(&format!("{API}?{JUNE}")).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(
        (s["from"].as_str(), s["to"].as_str()),
        (Some("2026-06-01"), Some("2026-06-30"))
    );
    assert_eq!(s["township"], Value::Null);
    // Forecasts, bans, documents.
    assert_eq!(figure(&s, "火险预报与研判", "火险预报"), "1");
    assert_eq!(figure(&s, "火险预报与研判", "有橙色、红色乡镇"), "1");
    assert_eq!(figure(&s, "火险预报与研判", "禁火令"), "1");
    assert_eq!(figure(&s, "火险预报与研判", "督促函"), "0");
    // Hotspots: two received, one on time, one late; 林火 and 农事用火.
    let h = &s["hotspots"];
    assert_eq!(
        (
            h["received"].as_u64(),
            h["on_time"].as_u64(),
            h["late"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(
        (h["overdue"].as_u64(), h["waiting"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(h["by_verdict"], json!([1, 1, 0, 0, 0, 0]));
    assert_eq!(figure(&s, "卫星热点", "接收热点"), "2");
    assert_eq!(figure(&s, "卫星热点", "按时反馈率"), "50.0%");
    assert_eq!(figure(&s, "热点核查结果", "林火"), "1");
    assert_eq!(figure(&s, "热点核查结果", "农事用火"), "1");
    assert_eq!(figure(&s, "热点核查结果", "误报"), "0");
    assert_eq!(figure(&s, "热点来源", "MODIS"), "2");
    // Reports: one slot; every township asked once; 潼川镇 on time (zero), 塔山镇 missing.
    assert_eq!(s["report_slots"], 1);
    let townships = s["townships"].as_array().unwrap();
    assert!(townships.len() >= 2, "{s}");
    assert_eq!(s["reports"]["asked"].as_u64(), Some(townships.len() as u64));
    assert_eq!(s["reports"]["on_time"], 1);
    assert_eq!(s["reports"]["zero"], 1);
    assert_eq!(s["reports"]["missing"], 1);
    assert_eq!(figure(&s, "一日三报", "未报"), "1");
    // Patrols: one scan, two tours, one done.
    assert_eq!(figure(&s, "巡查签到", "扫码签到"), "1");
    assert_eq!(figure(&s, "巡查签到", "包干任务"), "2");
    assert_eq!(figure(&s, "巡查签到", "扫码督导率"), "50.0%");
    let rates: Vec<f64> = s["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rate"].as_f64().unwrap())
        .collect();
    assert_eq!(rates.len(), 2, "{s}");
    assert!(rates.contains(&100.0) && rates.contains(&0.0), "{s}");
    // Fires: the 林火 answer's record, 2.5 ha, 较大.
    assert_eq!(s["fires"]["fires"], 1);
    assert_eq!(s["fires"]["area_ha"], 2.5);
    assert_eq!(s["fires"]["by_grade"], json!([0, 1, 0, 0]));
    assert_eq!(figure(&s, "森林火灾", "过火面积"), "2.5");

    // Per township: 塔山镇 (missing) before 潼川镇 (all on time), which is last.
    assert_eq!(townships[0]["code"], TASHAN, "least reporting first: {s}");
    assert_eq!(townships.last().unwrap()["code"], TONGCHUAN);
    let tc = row(&s, TONGCHUAN);
    assert_eq!(
        (
            tc["hotspots"]["received"].as_u64(),
            tc["hotspots"]["on_time"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        (
            tc["reports"]["on_time"].as_u64(),
            tc["reports"]["missing"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(
        (
            tc["checkins"].as_u64(),
            tc["tours"].as_u64(),
            tc["tours_done"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        (tc["fires"].as_u64(), tc["area_ha"].as_f64()),
        (Some(1), Some(2.5))
    );
    let ts = row(&s, TASHAN);
    assert_eq!(
        (
            ts["hotspots"]["received"].as_u64(),
            ts["hotspots"]["late"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(ts["reports"]["missing"], 1);
    assert_eq!(
        (
            ts["checkins"].as_u64(),
            ts["tours"].as_u64(),
            ts["tours_done"].as_u64()
        ),
        (Some(0), Some(1), Some(0))
    );
    // Each township's counts are the rows of the lists they link to.
    for (r, code) in [(tc, TONGCHUAN), (ts, TASHAN)] {
        for (href, n) in [
            ("hotspots_href", &r["hotspots"]["received"]),
            ("checkins_href", &r["checkins"]),
            ("tours_href", &r["tours"]),
        ] {
            let href = r[href].as_str().unwrap();
            assert!(
                href.contains(&format!("township={code}")) && href.contains("from=2026-06-01"),
                "{href}"
            );
            assert_eq!(
                Some(listed(&county, href).await as u64),
                n.as_u64(),
                "{href}"
            );
        }
    }

    // The workbook says the same.
    let r = county.get(&format!("/fire/statistics.xlsx?{JUNE}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let figures = xlsx_sheet(&bytes, "防火统计");
    assert_eq!(figures[0], ["类别", "指标", "数值", "单位"]);
    assert!(
        figures.contains(&vec![
            "卫星热点".into(),
            "接收热点".into(),
            "2".into(),
            "个".into()
        ]),
        "{figures:?}"
    );
    assert!(
        figures.contains(&vec![
            "森林火灾".into(),
            "过火面积".into(),
            "2.5".into(),
            "公顷".into()
        ]),
        "{figures:?}"
    );
    let rows = xlsx_sheet(&bytes, "乡镇");
    assert_eq!(rows.len(), townships.len() + 1);
    assert_eq!(rows[1][0], "塔山镇");
    let tongchuan = rows.iter().find(|r| r[0] == "潼川镇").expect("潼川镇");
    assert_eq!(
        tongchuan[1..],
        [
            "1", "1", "0", "0", "100.0%", "1", "1", "0", "0", "1", "1", "100.0%", "1"
        ]
    );
    assert_eq!(xlsx_sheet(&bytes, "包干人").len(), 3);

    // The page.
    let (status, html) = county.text(&format!("/fire/statistics?{JUNE}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("各乡镇情况") && html.contains("潼川镇") && html.contains("按时反馈率"));
    assert!(html.contains("href=\"/fire/statistics\""), "nav item");

    // May: nothing happened.
    let (status, may) = county
        .get_json(&format!("{API}?from=2026-05-01&to=2026-05-31"))
        .await;
    assert_eq!(status, StatusCode::OK, "{may}");
    assert_eq!(may["hotspots"]["received"], 0);
    assert_eq!(may["report_slots"], 0);
    assert_eq!(may["reports"]["asked"], 0);
    assert_eq!(may["fires"]["fires"], 0);
    assert_eq!(figure(&may, "火险预报与研判", "火险预报"), "0");
    assert_eq!(figure(&may, "火险预报与研判", "禁火令"), "0");
    assert_eq!(figure(&may, "巡查签到", "扫码签到"), "0");
    assert_eq!(figure(&may, "巡查签到", "扫码督导率"), "—");
    assert_eq!(row(&may, TONGCHUAN)["checkins"], 0);

    // Bad dates: 422 from the API, the message beside the form on the page.
    for bad in ["from=2026-07-01&to=2026-06-01", "from=昨天"] {
        let (status, body) = county.get_json(&format!("{API}?{bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    let (status, html) = county.text("/fire/statistics?from=昨天").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("日期格式应为 2026-06-01"));

    // The county asks for one township.
    let (_, one) = county
        .get_json(&format!("{API}?{JUNE}&township={TASHAN}"))
        .await;
    assert_eq!(one["township"], TASHAN);
    assert_eq!(one["townships"].as_array().unwrap().len(), 1);
    assert_eq!(one["hotspots"]["received"], 1);
    assert_eq!(one["fires"]["fires"], 0);
    assert_eq!(figure(&one, "巡查签到", "包干任务"), "1");

    // A township's staff: their own township only; another township is not found.
    let town = login(&app, "tongchuan").await;
    let (status, own) = town.get_json(&format!("{API}?{JUNE}")).await;
    assert_eq!(status, StatusCode::OK, "{own}");
    assert_eq!(own["township"], TONGCHUAN);
    assert_eq!(own["townships"].as_array().unwrap().len(), 1);
    assert_eq!(own["townships"][0]["code"], TONGCHUAN);
    assert_eq!(own["hotspots"]["received"], 1);
    assert_eq!(own["reports"]["asked"], 1);
    assert_eq!(own["reports"]["missing"], 0);
    assert_eq!(own["fires"]["fires"], 1);
    assert_eq!(figure(&own, "巡查签到", "包干任务"), "1");
    assert_eq!(
        figure(&own, "火险预报与研判", "禁火令"),
        "1",
        "the ban names 潼川镇"
    );
    let (status, _) = town
        .get_json(&format!("{API}?{JUNE}&township={TASHAN}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn fire_statistics_count_forecasts_hotspots_reports_patrols_and_fires() {
    on_each_backend(|app, _| story(app)).await;
}
