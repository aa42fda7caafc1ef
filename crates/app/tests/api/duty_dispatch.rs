//! 每日调度, end to end: the duty officer on the roster starts today's dispatch; every township's
//! duty contact and the department liaisons are asked the season's questions; 潼川镇 answers
//! through its link (after a rejected incomplete answer), the housing bureau answers in the
//! app; 塔山镇 stays silent, is asked again, then escalated to its head and on to the leader on
//! duty; the day's summary counts it all, the XLSX says the same, and once the dispatch is
//! closed an answer is refused.

use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const TASHAN: &str = "510722104000";
const API: &str = "/api/v1/duty/dispatches";

/// Townships with their duty contacts, a department liaison, the county leaders, and a
/// roster for 1 June led by the deputy with officer1 on duty.
async fn county_on_duty(app: &TestApp) -> std::collections::HashMap<&'static str, String> {
    let ids = crate::duty_rosters::add_duty_people(app).await;
    let disaster = login(app, "disaster").await;
    add_contact(
        &disaster,
        "王值班",
        "township_duty",
        TONGCHUAN,
        Some("tongchuan"),
    )
    .await;
    add_contact(&disaster, "钱值班", "township_duty", TONGCHUAN, None).await;
    add_contact(&disaster, "赵值班", "township_duty", TASHAN, None).await;
    add_contact(&disaster, "塔山镇长", "township_head", TASHAN, None).await;
    add_contact(
        &disaster,
        "住建局联络员",
        "department_liaison",
        COUNTY,
        Some("housing"),
    )
    .await;
    add_contact(&disaster, "陈局长", "county_leader", COUNTY, Some("leader")).await;
    add_contact(
        &disaster,
        "李副局长",
        "county_leader",
        COUNTY,
        Some("deputy"),
    )
    .await;
    let duty = login(app, "duty").await;
    let period = crate::duty_rosters::create_period(
        &duty,
        &crate::duty_rosters::flood_period("防汛值班", "2026-06-01", "2026-06-30"),
    )
    .await;
    let (status, body) = duty
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/duty/periods/{}/roster", period["id"].as_str().unwrap()),
            &json!({"entries": [
                {"day": "2026-06-01", "leader_id": ids["deputy"], "officer_ids": [ids["officer1"], ids["officer2"]]},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    ids
}

fn unit<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("no unit {name} in {summary}"))
}

#[tokio::test]
async fn a_day_of_dispatch_with_a_silent_township_escalated() {
    on_each_backend(|app, _| async move {
        county_on_duty(&app).await;
        // Only the county's duty room starts it: a township cannot.
        let town = login(&app, "tongchuan").await;
        let (status, _) = town.post_json(API, &json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // Bad timers are field errors.
        let officer = login(&app, "officer1").await;
        let (status, body) = officer.post_json(API, &json!({"ack_minutes": 1})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["fields"]["ack_minutes"].is_string(), "{body}");
        let (status, body) = officer.post_json(API, &json!({"day": "2026-05-31"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");

        // The officer on duty starts it: two townships (潼川镇 through two duty contacts) and the
        // liaison are asked.
        let (status, d) = officer.post_json(API, &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        assert_eq!(d["asked"], 4, "{d}");
        assert_eq!(d["kind"], "flood");
        assert_eq!(d["day"], "2026-06-01");
        let id = d["id"].as_str().unwrap().to_string();
        let (status, again) = officer.post_json(API, &json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{again}");
        assert_eq!(again["error"]["code"], "already_started");
        // The duty room's home page says how many have not answered yet.
        let (_, home) = officer.text("/").await;
        assert!(home.contains("今日调度：3 个单位尚未回复"), "{home}");

        // 潼川镇 answers through its link: an incomplete answer is refused question by question.
        let anonymous = browser();
        let (_, token, _) = calls_of(&app, "duty_dispatch", "王值班").await.remove(0);
        let answer_url = app.url(&format!("/api/v1/duty/dispatch-answers/{token}"));
        let r = anonymous
            .post(&answer_url)
            .json(&json!({"on_post": "yes", "evacuated": "many"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["danger"].is_string(), "{body}");
        assert!(body["error"]["fields"]["evacuated"].is_string(), "{body}");
        let r = anonymous
            .post(&answer_url)
            .json(&json!({"on_post": "是", "danger": "yes", "evacuated": "12", "other": "龙树村滑坡体有裂缝，已转移12人"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["newly"], true, "{body}");
        // 王值班 answered for 潼川镇: its other duty contact is no longer chased, and is told so.
        let (_, qian, state) = calls_of(&app, "duty_dispatch", "钱值班").await.remove(0);
        assert_eq!(state, "closed");
        let r = anonymous
            .post(app.url(&format!("/api/v1/duty/dispatch-answers/{qian}")))
            .json(&json!({"on_post": "是", "danger": "no", "evacuated": "0"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "already_answered", "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("王值班"), "{body}");

        // The housing bureau answers in the app.
        let housing = login(&app, "housing").await;
        let (call_id, _, _) = calls_of(&app, "duty_dispatch", "住建局联络员").await.remove(0);
        let (status, body) = housing
            .post_json(
                &format!("/api/v1/duty/dispatch-calls/{call_id}/answer"),
                &json!({"on_post": "yes", "danger": "no", "evacuated": "0"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        // The township's own 每日调度 lists what it was asked and that it answered.
        let (status, mine) = town.text("/duty/dispatch").await;
        assert_eq!(status, StatusCode::OK);
        assert!(mine.contains("2026年6月1日 防汛每日调度"), "{mine}");
        assert!(mine.contains("已确认"), "{mine}");

        // 塔山镇 is silent: asked again after 30 minutes, escalated to its head after 60, and the
        // silent head climbs to the leader the roster has on duty.
        app.clock.advance(chrono::Duration::minutes(31));
        platform::calls::chase::chase_due(&app.state).await.expect("chase");
        let zhao = calls_of(&app, "duty_dispatch", "赵值班").await;
        assert_eq!(zhao[0].2, "pending", "asked again, not yet escalated");
        app.clock.advance(chrono::Duration::minutes(31));
        platform::calls::chase::chase_due(&app.state).await.expect("chase");
        assert_eq!(calls_of(&app, "duty_dispatch", "赵值班").await[0].2, "unreachable");
        assert_eq!(calls_of(&app, "duty_dispatch", "塔山镇长").await.len(), 1, "the head is asked");
        app.clock.advance(chrono::Duration::minutes(62));
        platform::calls::chase::chase_due(&app.state).await.expect("chase");
        app.clock.advance(chrono::Duration::minutes(31));
        platform::calls::chase::chase_due(&app.state).await.expect("chase");
        assert_eq!(calls_of(&app, "duty_dispatch", "李副局长").await.len(), 1, "the leader on duty");
        assert!(calls_of(&app, "duty_dispatch", "陈局长").await.is_empty(), "not the leader off duty");
        // The head, late, acknowledges the escalation through his link: no questions asked.
        let (_, head_token, _) = calls_of(&app, "duty_dispatch", "塔山镇长").await.remove(0);
        let r = anonymous
            .post(app.url(&format!("/api/v1/duty/dispatch-answers/{head_token}")))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);

        // The day's summary.
        let duty = login(&app, "duty").await;
        let (status, s) = duty.get_json(&format!("{API}/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(s["totals"]["units"], 3, "{s}");
        assert_eq!(s["totals"]["answered"], 2);
        assert_eq!(s["totals"]["silent"], 1);
        assert_eq!(s["totals"]["alarming"], 1);
        let tongchuan = unit(&s, "潼川镇");
        assert_eq!(tongchuan["status"], "answered");
        assert_eq!(tongchuan["answered_by"], "王值班");
        let danger = tongchuan["answers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["key"] == "danger")
            .unwrap();
        assert_eq!(danger["alarming"], true);
        let tashan = unit(&s, "塔山镇");
        assert_eq!(tashan["status"], "silent");
        let escalations = tashan["escalations"].to_string();
        assert!(escalations.contains("塔山镇长 — 已确认"), "{escalations}");
        assert!(escalations.contains("李副局长"), "{escalations}");
        assert_eq!(unit(&s, "住建局联络员")["status"], "answered");
        // The audit trail names the escalation.
        let auditor = login(&app, "auditor").await;
        assert!(audit_total(&auditor, "action=duty.dispatch.escalate").await >= 2);

        // The export says the same.
        let r = duty.get(&format!("/duty/dispatch/{id}/export")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
        let rows: Vec<Vec<String>> = book
            .worksheet_range("每日调度")
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[0][0], "单位");
        let line = |name: &str| rows.iter().find(|r| r[0] == name).cloned().unwrap();
        assert_eq!(line("潼川镇")[3], "已回复");
        assert!(line("潼川镇")[6].contains("【需关注】"), "{:?}", line("潼川镇"));
        assert_eq!(line("塔山镇")[3], "未叫应，已升级");
        assert_eq!(rows.len(), 4);

        // Closed: a late answer is refused, and the silent are no longer chased. (Sessions
        // idle out after 30 minutes of the test clock: log in again.)
        let officer = login(&app, "officer1").await;
        let (status, closed) = officer
            .post_json(&format!("{API}/{id}/close"), &json!({"version": s["dispatch"]["version"]}))
            .await;
        assert_eq!(status, StatusCode::OK, "{closed}");
        assert_eq!(closed["open"], false);
        let (_, late, _) = calls_of(&app, "duty_dispatch", "李副局长").await.remove(0);
        let r = anonymous
            .post(app.url(&format!("/api/v1/duty/dispatch-answers/{late}")))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "link_expired", "{body}");
        let (_, zhao_token, _) = calls_of(&app, "duty_dispatch", "赵值班").await.remove(0);
        let page = anonymous
            .get(app.url(&format!("/duty/dispatch/answer/{zhao_token}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("当日调度已结束"), "{page}");

        // The statistics count the day: 塔山镇 first, never answering; 潼川镇 reported danger.
        let duty = login(&app, "duty").await;
        let (status, stats) = duty
            .get_json("/api/v1/duty/statistics?from=2026-06-01&to=2026-06-30")
            .await;
        assert_eq!(status, StatusCode::OK, "{stats}");
        assert_eq!(stats["dispatches"], 1, "{stats}");
        let rates = stats["dispatch_rates"].as_array().unwrap();
        assert_eq!(rates[0]["name"], "塔山镇", "{stats}");
        assert_eq!(rates[0]["silent"], 1);
        assert_eq!(rates[1]["name"], "潼川镇");
        assert_eq!((rates[1]["answered"].as_u64(), rates[1]["alarming"].as_u64()), (Some(1), Some(1)));
        assert_eq!(rates[2]["is_township"], false, "departments after townships");
        let r = duty.get("/duty/statistics.xlsx?from=2026-06-01&to=2026-06-30").await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("XLSX");
        let rows: Vec<Vec<String>> = book
            .worksheet_range("每日调度")
            .expect("sheet")
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows[1][0], "塔山镇");
        assert_eq!(rows[0][6], "回复率");
        assert_eq!(rows[1][6], "0%");
        assert_eq!(rows[2][6], "100%");
    })
    .await;
}

#[tokio::test]
async fn answers_after_the_day_are_refused() {
    on_each_backend(|app, _| async move {
        county_on_duty(&app).await;
        let duty = login(&app, "duty").await;
        let (status, d) = duty
            .post_json(API, &json!({"ack_minutes": 240, "cycles": 5}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{d}");
        // 09:00 + 15 h = midnight: the day is over.
        app.clock.advance(chrono::Duration::hours(15));
        let (_, token, _) = calls_of(&app, "duty_dispatch", "赵值班").await.remove(0);
        let r = browser()
            .post(app.url(&format!("/api/v1/duty/dispatch-answers/{token}")))
            .json(&json!({"on_post": "yes", "danger": "no", "evacuated": "0"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        // The page form shows the refusal in Chinese.
        let r = browser()
            .post(app.url(&format!("/duty/dispatch/answer/{token}")))
            .form(&[
                ("q_on_post", "yes"),
                ("q_danger", "no"),
                ("q_evacuated", "0"),
            ])
            .send()
            .await
            .unwrap();
        let page = r.text().await.unwrap();
        assert!(page.contains("当日调度已结束"), "{page}");
        // The chasing job closes what is still pending.
        platform::calls::chase::chase_due(&app.state)
            .await
            .expect("chase");
        assert_eq!(
            calls_of(&app, "duty_dispatch", "赵值班").await[0].2,
            "closed"
        );
        // The next day starts a new dispatch.
        let duty = login(&app, "duty").await;
        let (status, next) = duty.post_json(API, &json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{next}");
        assert_eq!(next["day"], "2026-06-02");
    })
    .await;
}
