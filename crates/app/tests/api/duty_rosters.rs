//! 值班表: a flood-season month rostered through the API, gaps found and fixed, a leader slot
//! and an overlapping shift refused (nothing half-written), a swap asked for and approved, the
//! reminder the day before sent once, the roster exported, bad input, and who sees what.

use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji::testing::{TEST_PASSWORD, TestApp};

use crate::support::*;

pub const COUNTY: &str = "510722000000";

/// Extra accounts a duty story needs: four duty officers and a deputy leader. Returns
/// username → id.
pub async fn add_duty_people(app: &TestApp) -> std::collections::HashMap<&'static str, String> {
    use platform::access::Actor;
    use platform::users::store::{self as users, UserInput};
    let people = [
        ("officer1", "值班员甲", "duty_officer"),
        ("officer2", "值班员乙", "duty_officer"),
        ("officer3", "值班员丙", "duty_officer"),
        ("officer4", "值班员丁", "duty_officer"),
        ("deputy", "李副局长", "leader"),
    ];
    let mut ids = std::collections::HashMap::new();
    for (username, name, role) in people {
        let input = UserInput {
            username: username.into(),
            display_name: name.into(),
            phone: None,
            region_code: COUNTY.into(),
            department_id: None,
            roles: vec![role.into()],
            password: Some(TEST_PASSWORD.into()),
            version: None,
            enabled: Some(true),
        };
        let (user, _) = users::create(&app.state, &Actor::command_line(), &input)
            .await
            .expect("create duty account");
        users::mark_password_changed(&app.state.db, user.id)
            .await
            .expect("password changed");
        ids.insert(username, user.id.to_string());
    }
    let admin = login(app, "sysadmin").await;
    for username in ["leader", "duty", "tongchuan"] {
        ids.insert(username, user_id(&admin, username).await);
    }
    ids
}

pub fn flood_period(name: &str, from: &str, to: &str) -> Value {
    json!({"kind": "flood", "name": name, "starts_on": from, "ends_on": to})
}

pub async fn create_period(session: &Session, body: &Value) -> Value {
    let (status, p) = session.post_json("/api/v1/duty/periods", body).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p
}

pub async fn roster(session: &Session, period: &Value) -> Value {
    let (status, r) = session
        .get_json(&format!(
            "/api/v1/duty/periods/{}/roster",
            period["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r
}

pub fn shift_on<'a>(roster: &'a Value, day: &str) -> &'a Value {
    roster["shifts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["day"] == day)
        .unwrap_or_else(|| panic!("no shift on {day}"))
}

fn officer_names(shift: &Value) -> Vec<String> {
    shift["officers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_flood_season_month_is_rostered_gaps_fixed_overlaps_refused_and_a_swap_approved() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let id = |u: &str| ids[u].clone();
        let duty = login(&app, "duty").await;

        // June 2026: 30 shifts of 24 hours from 08:30, two officers each.
        let june = create_period(&duty, &flood_period("2026年6月防汛值班", "2026-06-01", "2026-06-30")).await;
        assert_eq!(june["shift_start"], "08:30");
        assert_eq!(june["min_officers"], 2);
        let empty = roster(&duty, &june).await;
        assert_eq!(empty["shifts"].as_array().unwrap().len(), 30);
        assert_eq!(empty["gaps"].as_array().unwrap().len(), 30, "nobody is rostered yet");
        assert_eq!(empty["shifts"][0]["starts_at"], "2026-06-01T00:30:00Z");

        // The whole month at once; 10 June without a leader, 11 June one officer short.
        let entries: Vec<Value> = (1..=30)
            .map(|d| {
                let leader = if d % 2 == 1 { id("leader") } else { id("deputy") };
                let officers = if d % 2 == 1 {
                    vec![id("officer1"), id("officer2")]
                } else {
                    vec![id("officer3"), id("officer4")]
                };
                let day = format!("2026-06-{d:02}");
                match d {
                    10 => json!({"day": day, "officer_ids": officers}),
                    11 => json!({"day": day, "leader_id": leader, "officer_ids": [id("officer1")]}),
                    _ => json!({"day": day, "leader_id": leader, "officer_ids": officers}),
                }
            })
            .collect();
        let path = format!("/api/v1/duty/periods/{}/roster", june["id"].as_str().unwrap());
        let (status, filled) = duty
            .send_json(reqwest::Method::PUT, &path, &json!({"entries": entries}))
            .await;
        assert_eq!(status, StatusCode::OK, "{filled}");
        let gaps = filled["gaps"].as_array().unwrap();
        assert_eq!(gaps.len(), 2, "{gaps:?}");
        assert_eq!(gaps[0]["day"], "2026-06-10");
        assert_eq!(gaps[0]["reason"], "缺带班领导");
        assert_eq!(gaps[1]["day"], "2026-06-11");
        assert_eq!(gaps[1]["reason"], "值班员缺 1 人");
        let (status, listed) = duty
            .get_json(&format!("/api/v1/duty/periods/{}/gaps", june["id"].as_str().unwrap()))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed.as_array().unwrap().len(), 2);

        // Fixed one shift at a time.
        for (day, body) in [
            ("2026-06-10", json!({"leader_id": id("deputy"), "officer_ids": [id("officer3"), id("officer4")]})),
            ("2026-06-11", json!({"leader_id": id("leader"), "officer_ids": [id("officer1"), id("officer2")]})),
        ] {
            let s = shift_on(&filled, day);
            let mut body = body;
            body["version"] = s["version"].clone();
            let (status, fixed) = duty
                .send_json(reqwest::Method::PUT, &format!("/api/v1/duty/shifts/{}", s["id"].as_str().unwrap()), &body)
                .await;
            assert_eq!(status, StatusCode::OK, "{fixed}");
            assert!(fixed["gap"].is_null(), "{fixed}");
        }
        let full = roster(&duty, &june).await;
        assert!(full["gaps"].as_array().unwrap().is_empty(), "{}", full["gaps"]);

        // A stale version is refused.
        let twelfth = shift_on(&full, "2026-06-12").clone();
        let s12 = format!("/api/v1/duty/shifts/{}", twelfth["id"].as_str().unwrap());
        let (status, stale) = duty
            .send_json(reqwest::Method::PUT, &s12, &json!({"leader_id": id("deputy"), "officer_ids": [id("officer3"), id("officer4")], "version": 0}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{stale}");
        assert_eq!(stale["error"]["code"], "stale_edit");

        // The leader slot takes only a leader; nothing changes.
        let (status, refused) = duty
            .send_json(reqwest::Method::PUT, &s12, &json!({"leader_id": id("officer1"), "officer_ids": [id("officer3"), id("officer4")], "version": twelfth["version"]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["error"]["code"], "validation_failed");
        let message = refused["error"]["fields"]["leader_id"].as_str().unwrap();
        assert!(message.contains("值班员甲 不是局领导"), "{message}");
        let (_, still) = duty.get_json(&s12).await;
        assert_eq!(still["leader"]["name"], "李副局长");
        assert_eq!(still["version"], twelfth["version"]);

        // Overlap: a 重大活动 period from 09:00 clashes with the flood shifts of the same days.
        let exam = create_period(
            &duty,
            &json!({"kind": "major_event", "name": "高考安全保障值班", "starts_on": "2026-06-07", "ends_on": "2026-06-08", "shift_start": "09:00", "min_officers": 1}),
        )
        .await;
        let exam_roster = roster(&duty, &exam).await;
        let exam7 = shift_on(&exam_roster, "2026-06-07");
        let (status, clash) = duty
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/shifts/{}", exam7["id"].as_str().unwrap()),
                &json!({"leader_id": id("leader"), "officer_ids": [id("duty")], "version": exam7["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{clash}");
        let message = clash["error"]["fields"]["leader_id"].as_str().unwrap_or_default().to_string()
            + clash["error"]["fields"]["officer_ids"].as_str().unwrap_or_default();
        assert!(
            message.contains("陈局长 已安排在「2026年6月防汛值班 2026-06-07 全天班（06-07 08:30 至 06-08 08:30）」值班"),
            "{message}"
        );
        // The whole roster at once: one clash refuses it all, nothing half-written.
        let path = format!("/api/v1/duty/periods/{}/roster", exam["id"].as_str().unwrap());
        let (status, bulk) = duty
            .send_json(
                reqwest::Method::PUT,
                &path,
                &json!({"entries": [
                    {"day": "2026-06-07", "officer_ids": [id("duty")]},
                    {"day": "2026-06-08", "officer_ids": [id("officer3")]},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bulk}");
        let message = bulk["error"]["fields"]["entries[1].officer_ids"].as_str().unwrap();
        assert!(message.contains("值班员丙 已安排在「2026年6月防汛值班 2026-06-08 全天班"), "{message}");
        let untouched = roster(&duty, &exam).await;
        assert!(
            untouched["shifts"].as_array().unwrap().iter().all(|s| s["officers"].as_array().unwrap().is_empty()),
            "nothing of the refused roster was written: {untouched}"
        );

        // A swap: 值班员甲 gives 3 June to 值班员丙 and takes 丙's 4 June.
        let o1 = login(&app, "officer1").await;
        let june3 = shift_on(&full, "2026-06-03")["id"].as_str().unwrap().to_string();
        let june4 = shift_on(&full, "2026-06-04")["id"].as_str().unwrap().to_string();
        let (status, wrong) = o1
            .post_json("/api/v1/duty/swaps", &json!({"shift_id": june4, "with_user_id": id("officer3")}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not 甲's shift: {wrong}");
        let (status, swap) = o1
            .post_json(
                "/api/v1/duty/swaps",
                &json!({"shift_id": june3, "with_user_id": id("officer3"), "with_shift_id": june4, "reason": "家中有事"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{swap}");
        assert_eq!(swap["state"], "pending");
        let (_, swaps_page) = duty.text("/duty/swaps?state=pending").await;
        assert!(swaps_page.contains("家中有事") && swaps_page.contains("待审批"), "{swaps_page}");
        let (_, home) = duty.text("/").await;
        assert!(home.contains("换班申请待审批 1 件"), "{home}");
        let decide = format!("/api/v1/duty/swaps/{}/decide", swap["id"].as_str().unwrap());
        let (status, own) = o1.post_json(&decide, &json!({"approve": true, "version": swap["version"]})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{own}");
        assert!(own["error"]["message"].as_str().unwrap().contains("不能审批自己"));
        let (status, approved) = duty
            .post_json(&decide, &json!({"approve": true, "note": "同意", "version": swap["version"]}))
            .await;
        assert_eq!(status, StatusCode::OK, "{approved}");
        assert_eq!(approved["state"], "approved");
        let after = roster(&duty, &june).await;
        assert_eq!(officer_names(shift_on(&after, "2026-06-03")), ["值班员丙", "值班员乙"]);
        assert_eq!(officer_names(shift_on(&after, "2026-06-04")), ["值班员甲", "值班员丁"]);
        assert!(after["gaps"].as_array().unwrap().is_empty());
        let (status, again) = duty.post_json(&decide, &json!({"approve": false, "version": approved["version"]})).await;
        assert_eq!(status, StatusCode::CONFLICT, "decided once: {again}");

        // Who is on duty now (09:00 on 1 June): the leader and 1 June's officers.
        let now = app.state.now();
        let (leader, officers) = duty::on_duty_at(&app.state.db, COUNTY, now).await.unwrap().unwrap();
        assert_eq!(leader.map(|l| l.to_string()), Some(id("leader")));
        let officers: Vec<String> = officers.iter().map(|o| o.to_string()).collect();
        assert_eq!(officers, [id("officer1"), id("officer2")]);
        assert!(duty::on_duty_at(&app.state.db, COUNTY, now - chrono::Duration::days(2)).await.unwrap().is_none());

        // Every change is audited.
        let auditor = login(&app, "auditor").await;
        assert_eq!(audit_total(&auditor, "action=duty.roster").await, 1);
        assert_eq!(audit_total(&auditor, "action=duty.assign").await, 2);
        assert_eq!(audit_total(&auditor, "action=duty.swap.approve").await, 1);
    })
    .await;
}

#[tokio::test]
async fn the_reminder_job_tells_each_person_on_duty_tomorrow_once() {
    on_each_backend(|app, _| async move {
        use platform::notify::entity::message;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let p = create_period(&duty, &flood_period("2026年防汛值班", "2026-06-01", "2026-06-03")).await;
        let path = format!("/api/v1/duty/periods/{}/roster", p["id"].as_str().unwrap());
        let (status, _) = duty
            .send_json(
                reqwest::Method::PUT,
                &path,
                &json!({"entries": [
                    {"day": "2026-06-01", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]},
                    {"day": "2026-06-02", "leader_id": ids["deputy"], "officer_ids": [ids["officer3"], ids["officer4"]]},
                    {"day": "2026-06-03", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        // Run twice: the job's own runs and a second server's would be the same.
        assert_eq!(duty::rosters::reminders::run(&app.state).await.unwrap(), 3);
        assert_eq!(duty::rosters::reminders::run(&app.state).await.unwrap(), 0);
        let sent = message::Entity::find()
            .filter(message::Column::SourceKind.eq(duty::rosters::reminders::SOURCE))
            .all(&app.state.db)
            .await
            .unwrap();
        let mut to: Vec<String> = sent
            .iter()
            .map(|m| m.recipient_user_id.unwrap().to_string())
            .collect();
        to.sort();
        let mut expected = vec![ids["deputy"].clone(), ids["officer3"].clone(), ids["officer4"].clone()];
        expected.sort();
        assert_eq!(to, expected, "each person on 2 June once");
        assert!(sent.iter().all(|m| m.title.contains("明天")));
        // Through the job runner too: nothing more for 2 June; the next day's come a day later.
        let ran = platform::jobs::run_due(&app.state).await.unwrap();
        assert!(ran.contains(&"duty.reminders"));
        let deputy = login(&app, "deputy").await;
        let (status, inbox) = deputy.text("/inbox").await;
        assert_eq!(status, StatusCode::OK);
        assert!(inbox.contains("值班提醒：明天您担任带班领导"), "{inbox}");
    })
    .await;
}

#[tokio::test]
async fn the_roster_is_exported_and_printed() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let p = create_period(&duty, &flood_period("2026年6月防汛值班", "2026-06-01", "2026-06-30")).await;
        let pid = p["id"].as_str().unwrap();
        let entries: Vec<Value> = (1..=30)
            .filter(|d| *d != 15)
            .map(|d| json!({"day": format!("2026-06-{d:02}"), "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]}))
            .collect();
        let (status, _) = duty
            .send_json(reqwest::Method::PUT, &format!("/api/v1/duty/periods/{pid}/roster"), &json!({"entries": entries}))
            .await;
        assert_eq!(status, StatusCode::OK);
        let r = duty.get(&format!("/duty/periods/{pid}/export?month=2026-06")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a real XLSX");
        let sheet = book.worksheet_range("值班表").expect("sheet");
        let rows: Vec<_> = sheet.rows().collect();
        assert_eq!(rows.len(), 31, "header and 30 shifts");
        assert_eq!(rows[0][0].to_string(), "日期");
        assert_eq!(rows[0][4].to_string(), "带班领导");
        assert_eq!(rows[1][0].to_string(), "2026-06-01");
        assert_eq!(rows[1][1].to_string(), "星期一");
        assert_eq!(rows[1][3].to_string(), "2026-06-01 08:30 至 2026-06-02 08:30");
        assert_eq!(rows[1][4].to_string(), "陈局长");
        assert_eq!(rows[1][5].to_string(), "值班员甲、值班员乙");
        assert_eq!(rows[15][0].to_string(), "2026-06-15");
        assert_eq!(rows[15][6].to_string(), "缺带班领导，值班员缺 2 人");

        let (status, page) = duty.text(&format!("/duty/periods/{pid}?month=2026-06")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("缺岗 1 个班次"), "{page}");
        assert!(page.contains("duty-shift gap"));
        let (status, week) = duty.text(&format!("/duty/periods/{pid}?view=week&week=2026-06-15")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(week.contains("2026-06-15 至 2026-06-21"), "{week}");
        let (status, print) = duty.text(&format!("/duty/periods/{pid}/print?month=2026-06")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(print.contains("2026年6月防汛值班（2026年6月）值班表"));
    })
    .await;
}

#[tokio::test]
async fn bad_periods_are_refused_beside_their_fields_and_nothing_is_written() {
    on_each_backend(|app, _| async move {
        let duty = login(&app, "duty").await;
        for (body, field, message) in [
            (json!({"kind": "flood", "name": "甲", "starts_on": "2026-13-01", "ends_on": "2026-09-30"}), "starts_on", "日期格式应为 2026-06-01"),
            (json!({"kind": "flood", "name": "甲", "starts_on": "2026-09-30", "ends_on": "2026-06-01"}), "ends_on", "结束日期不能早于开始日期"),
            (json!({"kind": "flood", "name": "甲", "starts_on": "2026-06-01", "ends_on": "2026-06-30", "shift_start": "25:00"}), "shift_start", "交接班时间格式应为 08:30"),
            (json!({"kind": "flood", "name": "甲", "starts_on": "2026-06-01", "ends_on": "2026-06-30", "min_officers": 0}), "min_officers", "每班最少值班人数应为 1 至 10 人"),
            (json!({"kind": "typhoon", "name": "甲", "starts_on": "2026-06-01", "ends_on": "2026-06-30"}), "kind", "请选择值班类型"),
            (json!({"kind": "flood", "name": "", "starts_on": "2026-06-01"}), "ends_on", "请填写结束日期"),
        ] {
            let (status, e) = duty.post_json("/api/v1/duty/periods", &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {e}");
            assert_eq!(e["error"]["fields"][field], message, "{e}");
        }
        let (status, e) = duty.post_json("/api/v1/duty/periods", &json!({"kind": 3})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(e["error"]["code"], "malformed_json");
        let (_, periods) = duty.get_json("/api/v1/duty/periods").await;
        assert_eq!(periods.as_array().unwrap().len(), 0, "nothing was written");

        // The page form: the message beside the field, what was typed kept.
        let r = duty
            .post_form(
                "/duty/periods/new",
                &[("kind", "flood"), ("name", "2026年防汛值班"), ("starts_on", "2026-09-30"), ("ends_on", "2026-06-01"), ("shift_start", "8点半"), ("min_officers", "2")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text().await.unwrap();
        assert!(html.contains("结束日期不能早于开始日期"), "{html}");
        assert!(html.contains("交接班时间格式应为 08:30"));
        assert!(html.contains("value=\"2026年防汛值班\""));
        assert!(html.contains("value=\"8点半\""));
        let r = duty
            .post_form("/duty/periods/new", &[("kind", "flood"), ("name", "2026年防汛值班"), ("starts_on", "2026-06-01"), ("ends_on", "2026-09-30")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, periods) = duty.get_json("/api/v1/duty/periods").await;
        assert_eq!(periods[0]["pattern"], "full_day");
    })
    .await;
}

#[tokio::test]
async fn townships_see_only_their_own_shifts_and_cannot_roster() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let p = create_period(&duty, &flood_period("2026年防汛值班", "2026-06-01", "2026-06-03")).await;
        let pid = p["id"].as_str().unwrap().to_string();
        let tongchuan = login(&app, "tongchuan").await;
        let (_, none) = tongchuan.get_json("/api/v1/duty/periods").await;
        assert_eq!(none.as_array().unwrap().len(), 0);
        let (status, _) = tongchuan.get_json(&format!("/api/v1/duty/periods/{pid}/roster")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tongchuan
            .post_json("/api/v1/duty/periods", &flood_period("镇防汛", "2026-06-01", "2026-06-03"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // Rostered on 2 June: that shift only.
        let (status, _) = duty
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/periods/{pid}/roster"),
                &json!({"entries": [
                    {"day": "2026-06-01", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["officer2"]]},
                    {"day": "2026-06-02", "leader_id": ids["leader"], "officer_ids": [ids["officer1"], ids["tongchuan"]]},
                ]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, mine) = tongchuan.get_json("/api/v1/duty/periods").await;
        assert_eq!(mine.as_array().unwrap().len(), 1);
        let r = roster(&tongchuan, &p).await;
        let days: Vec<&str> = r["shifts"].as_array().unwrap().iter().map(|s| s["day"].as_str().unwrap()).collect();
        assert_eq!(days, ["2026-06-02"]);
        let june2 = r["shifts"][0]["id"].as_str().unwrap();
        let (status, _) = tongchuan
            .send_json(reqwest::Method::PUT, &format!("/api/v1/duty/shifts/{june2}"), &json!({"officer_ids": []}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // A village liaison has no duty permission at all.
        let village = login(&app, "village").await;
        let (status, _) = village.get_json("/api/v1/duty/periods").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_voided_period_leaves_the_lists_and_frees_its_people() {
    on_each_backend(|app, _| async move {
        let ids = add_duty_people(&app).await;
        let duty = login(&app, "duty").await;
        let first = create_period(
            &duty,
            &flood_period("误建的值班期", "2026-06-02", "2026-06-03"),
        )
        .await;
        let r = roster(&duty, &first).await;
        let june2 = shift_on(&r, "2026-06-02");
        let (status, _) = duty
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/duty/shifts/{}", june2["id"].as_str().unwrap()),
                &json!({"officer_ids": [ids["officer1"]], "version": june2["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let second = create_period(
            &duty,
            &flood_period("2026年防汛值班", "2026-06-02", "2026-06-03"),
        )
        .await;
        let r2 = roster(&duty, &second).await;
        let other = shift_on(&r2, "2026-06-02").clone();
        let put = format!("/api/v1/duty/shifts/{}", other["id"].as_str().unwrap());
        let body = json!({"officer_ids": [ids["officer1"]], "version": other["version"]});
        let (status, clash) = duty.send_json(reqwest::Method::PUT, &put, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{clash}");

        let void = format!(
            "/api/v1/duty/periods/{}/void",
            first["id"].as_str().unwrap()
        );
        let (status, e) = duty
            .post_json(&void, &json!({"reason": " ", "version": first["version"]}))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"]["fields"]["reason"], "作废须说明原因");
        let (status, voided) = duty
            .post_json(
                &void,
                &json!({"reason": "重复建立", "version": first["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{voided}");
        assert!(voided["voided_at"].is_string());
        let (_, periods) = duty.get_json("/api/v1/duty/periods").await;
        assert_eq!(periods.as_array().unwrap().len(), 1);
        let (status, _) = duty
            .get_json(&format!(
                "/api/v1/duty/periods/{}/roster",
                first["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, ok) = duty.send_json(reqwest::Method::PUT, &put, &body).await;
        assert_eq!(status, StatusCode::OK, "officer1 is free again: {ok}");

        // The officer's own shift page offers a swap with a later shift in return.
        let o1 = login(&app, "officer1").await;
        let (status, page) = o1
            .text(&format!("/duty/shifts/{}", other["id"].as_str().unwrap()))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("申请换班") && page.contains("2026-06-03 全天班"),
            "{page}"
        );
        let auditor = login(&app, "auditor").await;
        assert_eq!(
            audit_total(&auditor, "entity=duty_period&action=void").await,
            1
        );
    })
    .await;
}
