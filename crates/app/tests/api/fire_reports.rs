//! 一日三报 and 零报告, end to end: the county's schedule refused when malformed, then set to
//! 09:30/12:00/18:00; the job opens nothing out of season and, once the season is extended, the
//! 09:30 slot for every township (its duty contact, its head when none); 潼川镇 files a zero
//! report through its link (a second one is refused), 龙树镇 its situation; 塔山镇 is silent,
//! counted missing on the board, asked again after the grace period, escalated to its head, then
//! files late (迟报); at noon 潼川镇 files in the app; the XLSX says the same. A second story:
//! a missed slot opened by hand, and a report after the county's midnight refused.

use reqwest::StatusCode;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
const LONGSHU: &str = "510722106000";
const SCHEDULE: &str = "/api/v1/fire/report-schedule";
const BOARD: &str = "/api/v1/fire/reports";

async fn slots_opened(app: &TestApp) -> u64 {
    use sea_orm::PaginatorTrait;
    fire::reports::entity::slot::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

/// 潼川镇 and 塔山镇 with duty contacts (塔山镇 also its head), 龙树镇 with its head only.
async fn townships_with_contacts(app: &TestApp) {
    let disaster = login(app, "disaster").await;
    add_contact(
        &disaster,
        "王值班",
        "township_duty",
        TONGCHUAN,
        Some("tongchuan"),
    )
    .await;
    add_contact(&disaster, "赵值班", "township_duty", TASHAN, None).await;
    add_contact(&disaster, "塔山镇长", "township_head", TASHAN, None).await;
    add_contact(&disaster, "龙树镇长", "township_head", LONGSHU, None).await;
    add_contact(&disaster, "陈局长", "county_leader", COUNTY, None).await;
}

async fn extend_season(app: &TestApp) {
    let disaster = login(app, "disaster").await;
    let extended = json!({"fire_from": "2026-01-01", "fire_to": "2026-06-30",
        "high_from": "2026-02-01", "high_to": "2026-05-10"});
    let (status, body) = disaster
        .send_json(reqwest::Method::PUT, "/api/v1/fire/seasons/2026", &extended)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn file(app: &TestApp, token: &str, body: &Value) -> (StatusCode, Value) {
    let r = browser()
        .post(app.url(&format!("/api/v1/fire/report-filings/{token}")))
        .json(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap())
}

fn cell<'a>(board: &'a Value, township: &str, column: usize) -> &'a Value {
    let row = board["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["region_code"] == township)
        .unwrap_or_else(|| panic!("no row {township} in {board}"));
    &row["cells"][column]
}

async fn open_due(app: &TestApp) -> String {
    fire::reports::slots::open_due(&app.state)
        .await
        .expect("open")
}

async fn chase(app: &TestApp) {
    platform::calls::chase::chase_due(&app.state)
        .await
        .expect("chase");
}

#[tokio::test]
async fn a_day_of_reports_with_a_missing_township_chased_and_escalated() {
    on_each_backend(|app, _| async move {
        townships_with_contacts(&app).await;
        let disaster = login(&app, "disaster").await;
        // Malformed schedules are refused field by field, nothing saved.
        let bad = [
            (json!({"slots": [{"time": "08:00"}, {"time": "25:00"}]}), "slots", "25:00"),
            (json!({"slots": [{"time": "08:00"}, {"time": "8:00"}]}), "slots", "重复"),
            (json!({"slots": [{"time": "08:00"}], "grace_minutes": 0}), "grace_minutes", "宽限"),
        ];
        for (body, field, says) in bad {
            let (status, e) = disaster.send_json(reqwest::Method::PUT, SCHEDULE, &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
            let message = e["error"]["fields"][field].as_str().unwrap_or_default();
            assert!(message.contains(says), "{e}");
        }
        let (_, s) = disaster.get_json(SCHEDULE).await;
        assert_eq!(s["configured"], false, "{s}");
        assert_eq!(s["slots"][0]["time"], "08:00");
        // A township cannot set it; the county sets 09:30, 12:00, 18:00.
        let town = login(&app, "tongchuan").await;
        let good = json!({"slots": [{"time": "18:00"}, {"time": "09:30", "name": "早报"}, {"time": "12:00"}],
            "grace_minutes": 30});
        let (status, _) = town.send_json(reqwest::Method::PUT, SCHEDULE, &good).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, s) = disaster.send_json(reqwest::Method::PUT, SCHEDULE, &good).await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["configured"], true);
        assert_eq!(s["slots"][0]["time"], "09:30");
        assert_eq!(s["slots"][1]["name"], "午报");

        // 09:30 on 1 June: out of the default season (to 31 May), nothing is opened.
        app.clock.advance(chrono::Duration::minutes(30));
        open_due(&app).await;
        assert_eq!(slots_opened(&app).await, 0);
        // The county extends its season to June: the job opens the 09:30 slot, once.
        extend_season(&app).await;
        open_due(&app).await;
        open_due(&app).await;
        assert_eq!(slots_opened(&app).await, 1);
        assert_eq!(calls_of(&app, "fire_report", "王值班").await.len(), 1);
        assert_eq!(calls_of(&app, "fire_report", "龙树镇长").await.len(), 1, "the head when no duty contact");
        assert!(calls_of(&app, "fire_report", "塔山镇长").await.is_empty(), "not the head beside a duty contact");

        // 潼川镇 files a zero report through its link; a second report is refused.
        let (_, token, _) = calls_of(&app, "fire_report", "王值班").await.remove(0);
        let (status, f) = file(&app, &token, &json!({"zero": true})).await;
        assert_eq!(status, StatusCode::OK, "{f}");
        assert_eq!(f["late"], false);
        let (status, again) = file(&app, &token, &json!({"situation": "补充"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        assert_eq!(again["error"]["code"], "already_reported");
        assert!(again["error"]["message"].as_str().unwrap().contains("本时段已报送"));
        // 龙树镇 must say something unless it is a zero report.
        let (_, longshu, _) = calls_of(&app, "fire_report", "龙树镇长").await.remove(0);
        let (status, e) = file(&app, &longshu, &json!({"situation": "  "})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["fields"]["situation"].is_string(), "{e}");
        let (status, _) = file(&app, &longshu, &json!({"situation": "劝阻野外用火 1 起"})).await;
        assert_eq!(status, StatusCode::OK);
        // The phone page offers the zero report in one click.
        let (_, zhao, _) = calls_of(&app, "fire_report", "赵值班").await.remove(0);
        let page = browser()
            .get(app.url(&format!("/fire/reports/file/{zhao}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("零报告（今日无火情）"), "{page}");

        // 10:01: 塔山镇 is past the grace period — missing on the board, asked again.
        app.clock.advance(chrono::Duration::minutes(31));
        chase(&app).await;
        assert_eq!(calls_of(&app, "fire_report", "赵值班").await[0].2, "pending", "asked again");
        let disaster = login(&app, "disaster").await;
        let (status, b) = disaster.get_json(BOARD).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(b["in_season"], true);
        assert_eq!(cell(&b, TONGCHUAN, 0)["status"], "zero", "{b}");
        assert_eq!(cell(&b, LONGSHU, 0)["status"], "reported");
        assert_eq!(cell(&b, LONGSHU, 0)["situation"], "劝阻野外用火 1 起");
        assert_eq!(cell(&b, TASHAN, 0)["status"], "missing");
        assert_eq!(cell(&b, TASHAN, 0)["label"], "未报");
        assert_eq!(cell(&b, TASHAN, 1)["status"], "upcoming");
        assert_eq!(b["totals"]["missing"], 1);
        assert_eq!(b["totals"]["reported"], 2);
        assert_eq!(b["totals"]["zero"], 1);
        assert_eq!(b["totals"]["townships_missing"], 1);
        let (_, home) = disaster.text("/").await;
        assert!(home.contains("今日防火报告：1 个乡镇未报"), "{home}");
        let (status, page) = disaster.text("/fire/reports").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("data-status=\"missing\""), "{page}");
        // The grid refreshes itself today (htmx), on its own route.
        assert!(page.contains("hx-get=\"/fire/reports/grid?day=2026-06-01\""), "{page}");
        let (status, grid) = disaster.text("/fire/reports/grid?day=2026-06-01").await;
        assert_eq!(status, StatusCode::OK);
        assert!(grid.contains("id=\"missing-count\">未报 1"), "{grid}");

        // 10:32: still silent — escalated to 塔山镇's head.
        app.clock.advance(chrono::Duration::minutes(31));
        chase(&app).await;
        assert_eq!(calls_of(&app, "fire_report", "赵值班").await[0].2, "unreachable");
        assert_eq!(calls_of(&app, "fire_report", "塔山镇长").await.len(), 1, "the head is asked");
        let auditor = login(&app, "auditor").await;
        assert!(audit_total(&auditor, "action=fire.report.escalate").await >= 1);
        // 塔山镇 files at last: accepted, marked late.
        let (status, f) = file(&app, &zhao, &json!({"situation": "无火情，迟报"})).await;
        assert_eq!(status, StatusCode::OK, "{f}");
        assert_eq!(f["late"], true);
        // The township has filed: its head is no longer chased about it.
        assert_eq!(calls_of(&app, "fire_report", "塔山镇长").await[0].2, "closed");
        let (_, head, _) = calls_of(&app, "fire_report", "塔山镇长").await.remove(0);
        let (status, e) = file(&app, &head, &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "already_reported");
        let page = browser()
            .get(app.url(&format!("/fire/reports/file/{head}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("本乡镇本时段已报送"), "{page}");
        let disaster = login(&app, "disaster").await;
        let (_, b) = disaster.get_json(BOARD).await;
        assert_eq!(cell(&b, TASHAN, 0)["status"], "late", "{b}");
        assert_eq!(cell(&b, TASHAN, 0)["escalated"], true);
        assert_eq!(b["totals"]["late"], 1);
        assert_eq!(b["totals"]["missing"], 0);

        // Noon: the 12:00 slot; 潼川镇's duty officer files in the app.
        app.clock.advance(chrono::Duration::minutes(88));
        open_due(&app).await;
        assert_eq!(slots_opened(&app).await, 2);
        let town = login(&app, "tongchuan").await;
        let (_, home) = town.text("/").await;
        assert!(home.contains("防火报告等待您报送"), "{home}");
        let (call_id, _, _) = calls_of(&app, "fire_report", "王值班").await.remove(1);
        let (status, f) = town
            .post_json(
                &format!("/api/v1/fire/report-calls/{call_id}/file"),
                &json!({"situation": "护林员巡查正常"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{f}");
        // A township reads only its own row.
        let (_, b) = town.get_json(BOARD).await;
        assert_eq!(b["rows"].as_array().unwrap().len(), 1, "{b}");
        assert_eq!(cell(&b, TONGCHUAN, 1)["status"], "reported");

        // The day's XLSX: a line per township and time.
        let disaster = login(&app, "disaster").await;
        let r = disaster.get("/fire/reports/export?day=2026-06-01").await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
        let rows: Vec<Vec<String>> = book
            .worksheet_range("防火报告")
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][0], "乡镇");
        let line = |name: &str, slot: &str| {
            rows.iter()
                .find(|r| r[0] == name && r[1].starts_with(slot))
                .cloned()
                .unwrap_or_else(|| panic!("no {name} {slot} in {rows:?}"))
        };
        assert_eq!(line("潼川镇", "09:30")[2], "零报告");
        assert_eq!(line("塔山镇", "09:30")[2], "迟报");
        assert_eq!(line("塔山镇", "09:30")[6], "已升级督促");
        assert_eq!(line("潼川镇", "12:00")[5], "护林员巡查正常");
        assert_eq!(line("潼川镇", "18:00")[2], "待报");
        assert_eq!((rows.len() - 1) % 3, 0, "three times per township");
    })
    .await;
}

#[tokio::test]
async fn a_missed_slot_opened_by_hand_and_reports_after_midnight_refused() {
    on_each_backend(|app, _| async move {
        townships_with_contacts(&app).await;
        extend_season(&app).await;
        // 09:00: the default 08:00 slot's grace period is over; the job leaves it to the county.
        open_due(&app).await;
        assert_eq!(slots_opened(&app).await, 0);
        let disaster = login(&app, "disaster").await;
        let (_, b) = disaster.get_json(BOARD).await;
        assert_eq!(cell(&b, TONGCHUAN, 0)["status"], "not_opened", "{b}");
        let town = login(&app, "tongchuan").await;
        let (status, _) = town
            .post_json("/api/v1/fire/reports/open", &json!({"time": "08:00"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, e) = disaster
            .post_json("/api/v1/fire/reports/open", &json!({"time": "12:00"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "not_due");
        // The board offers 补发 for the missed time; the county opens it there.
        let (_, page) = disaster.text("/fire/reports").await;
        assert!(page.contains("补发 08:00 早报"), "{page}");
        let r = disaster
            .post_form("/fire/reports/open", &[("time", "08:00")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(slots_opened(&app).await, 1);
        assert_eq!(calls_of(&app, "fire_report", "赵值班").await.len(), 1);
        let (status, e) = disaster
            .post_json("/api/v1/fire/reports/open", &json!({"time": "08:00"}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "already_open");
        // Filed at 09:00, after 08:30: late. The township's own board links to its report.
        let town = login(&app, "tongchuan").await;
        let (_, page) = town.text("/fire/reports").await;
        let (_, token, _) = calls_of(&app, "fire_report", "王值班").await.remove(0);
        assert!(
            page.contains(&format!("/fire/reports/file/{token}")),
            "{page}"
        );
        let (status, f) = file(&app, &token, &json!({"zero": true})).await;
        assert_eq!(status, StatusCode::OK, "{f}");
        assert_eq!(f["late"], true);

        // Midnight: the day is over, a report is refused with a clear message.
        app.clock.advance(chrono::Duration::hours(15));
        let (_, zhao, _) = calls_of(&app, "fire_report", "赵值班").await.remove(0);
        let (status, e) = file(&app, &zhao, &json!({"zero": true})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert_eq!(e["error"]["code"], "report_closed");
        assert!(
            e["error"]["message"].as_str().unwrap().contains("24时"),
            "{e}"
        );
        let r = browser()
            .post(app.url(&format!("/fire/reports/file/{zhao}")))
            .form(&[("zero", "1")])
            .send()
            .await
            .unwrap();
        let page = r.text().await.unwrap();
        assert!(page.contains("已过当日24时"), "{page}");
        // The chasing job closes what is still pending.
        chase(&app).await;
        assert_eq!(calls_of(&app, "fire_report", "赵值班").await[0].2, "closed");
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_this_mornings_reports_and_the_schedule_page_explains_errors() {
    on_each_backend(|app, _| async move {
        // The warning demo brings every township's head into the contacts.
        warning::warnings::load_demo(&app.state)
            .await
            .expect("demo contacts");
        fire::reports::load_demo(&app.state)
            .await
            .expect("demo reports");
        let disaster = login(&app, "disaster").await;
        let (_, b) = disaster.get_json(BOARD).await;
        assert_eq!(b["columns"][0]["time"], "08:00", "{b}");
        assert!(b["columns"][0]["slot_id"].is_string(), "{b}");
        assert_eq!(b["totals"]["reported"], 3, "{b}");
        assert_eq!(b["totals"]["zero"], 1, "{b}");
        assert_eq!(b["totals"]["late"], 0, "filed within the grace period: {b}");
        assert!(b["totals"]["missing"].as_u64().unwrap() > 0, "{b}");

        // The schedule page shows the error beside the field and keeps what was typed.
        let r = disaster
            .post_form(
                "/fire/reports/schedule",
                &[("slots", "08:00 早报\n25:00 晚报"), ("grace_minutes", "30")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("「25:00」无法识别"), "{page}");
        assert!(page.contains("25:00 晚报"), "{page}");
        let r = disaster
            .post_form(
                "/fire/reports/schedule",
                &[("slots", "07:30 早报\n17:30 晚报"), ("grace_minutes", "45")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, s) = disaster.get_json(SCHEDULE).await;
        assert_eq!(s["grace_minutes"], 45, "{s}");
        assert_eq!(s["slots"].as_array().unwrap().len(), 2);
        let auditor = login(&app, "auditor").await;
        assert_eq!(
            audit_total(&auditor, "action=fire.report.schedule").await,
            1
        );
    })
    .await;
}
