//! 预警统计分析: a known June and July — three warnings of different levels and kinds (one a
//! relay of a city warning, issued just after midnight Beijing time on 1 July), a draft never
//! issued, consultation reports issued and drafted, people confirming at known minutes, two
//! staying silent and being escalated — and every figure checked exactly: counts equal the
//! total of the list their link opens, 叫应 per township (rates, times within the level's limit,
//! mean and median), period boundaries in UTC+8, the township filter, a township officer's own
//! figures, and the XLSX read back.

use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use yingji::testing::TestApp;

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const FENGHUANG: &str = "510722101201";
const TASHAN: &str = "510722104000";
const WARNINGS: &str = "/api/v1/warning/warnings";
const CONSULTATIONS: &str = "/api/v1/warning/consultations";
const STATS: &str = "/api/v1/warning/statistics";

/// Move the clock to a Beijing time, e.g. `2026-06-10T09:00`.
fn advance_to(app: &TestApp, local: &str) {
    let target = platform::web::form::parse_time(local).expect("a time");
    let now = app.state.now();
    assert!(target >= now, "{local} is in the past");
    app.clock.advance(target - now);
}

/// Minutes pass; the 叫应 job runs.
async fn tick(app: &TestApp, minutes: i64) {
    app.clock.advance(chrono::Duration::minutes(minutes));
    platform::jobs::run_due(&app.state).await.expect("jobs");
}

async fn contact(s: &Session, name: &str, role: &str, region: &str, username: Option<&str>) {
    let (status, c) = s
        .post_json(
            "/api/v1/contacts",
            &json!({"name": name, "role": role, "region_code": region, "mobile": "13800000000", "username": username}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
}

fn warning(kind: &str, level: i32, areas: &[&str], from: &str, until: &str) -> Value {
    json!({
        "kind": kind,
        "level": level,
        "title": format!("{kind} 预警"),
        "content": "预计有强降雨，山洪地质灾害风险高。",
        "actions": "组织巡查，提前转移受威胁群众。",
        "area_codes": areas,
        "valid_from": from,
        "valid_until": until,
    })
}

async fn approve_and_issue(disaster: &Session, leader: &Session, id: &str) {
    let (status, body) = leader
        .post_json(&format!("{WARNINGS}/{id}/approve"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = disaster
        .post_json(&format!("{WARNINGS}/{id}/issue"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn issue_new(disaster: &Session, leader: &Session, body: &Value) -> String {
    let (status, w) = disaster.post_json(WARNINGS, body).await;
    assert_eq!(status, StatusCode::CREATED, "{w}");
    let id = w["id"].as_str().unwrap().to_string();
    approve_and_issue(disaster, leader, &id).await;
    id
}

/// A call of a warning, straight from the table: its id and its link's secret.
async fn call(app: &TestApp, warning: &str, name: &str, wave: i32) -> (String, String) {
    use platform::calls::entity::{Column, Entity};
    let found = Entity::find()
        .filter(Column::SubjectId.eq(uuid::Uuid::parse_str(warning).unwrap()))
        .filter(Column::Name.eq(name))
        .filter(Column::Wave.eq(wave))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no call for {name} in wave {wave}"));
    (found.id.to_string(), found.token)
}

/// Confirm through the message's link.
async fn by_link(app: &TestApp, s: &Session, warning: &str, name: &str) {
    let (_, token) = call(app, warning, name, 1).await;
    let (status, body) = s
        .post_json(&format!("/api/v1/warning/ack/{token}"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["newly"], true, "{name}: {body}");
}

/// Confirm in the app, as the person's own account.
async fn in_app(app: &TestApp, s: &Session, warning: &str, name: &str, wave: i32) {
    let (id, _) = call(app, warning, name, wave).await;
    let (status, body) = s
        .post_json(&format!("/api/v1/warning/calls/{id}/confirm"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A member department at the meetings.
async fn water_bureau(app: &TestApp) -> String {
    let admin = login(app, "sysadmin").await;
    let (status, page) = admin.get_json("/api/v1/admin/departments?q=县水利局").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"][0]["id"].as_str().unwrap().to_string()
}

async fn consultation(
    s: &Session,
    dept: &str,
    title: &str,
    day: &str,
    towns: &[&str],
    issue: bool,
) {
    let body = json!({
        "title": title,
        "period_from": day,
        "period_to": day,
        "meeting_on": day,
        "convener": "县应急管理局",
        "departments": [dept],
        "judgments": [{"hazard_type": "flood", "level": "high", "townships": towns,
            "text": "预计有大到暴雨，山洪和中小河流洪水风险高。"}],
        "measures": "各乡镇加强隐患点巡查。",
        "issuer": "陈局长",
    });
    let (status, c) = s.post_json(CONSULTATIONS, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    if issue {
        let (status, c) = s
            .post_json(
                &format!("{CONSULTATIONS}/{}/issue", c["id"].as_str().unwrap()),
                &json!({"version": c["version"]}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{c}");
    }
}

/// The statistics, after checking that every count is the total of the list it links to.
async fn stats(s: &Session, query: &str) -> Value {
    let (status, body) = s.get_json(&format!("{STATS}?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    for section in body["sections"].as_array().unwrap() {
        for f in section["figures"].as_array().unwrap() {
            assert_eq!(f["counts_list"], true, "{f}");
            let href = f["href"].as_str().unwrap();
            let api = href.replacen("/warning/", "/api/v1/warning/", 1);
            let (status, list) = s.get_json(&api).await;
            assert_eq!(status, StatusCode::OK, "{href}: {list}");
            assert_eq!(
                list["total"].as_u64().unwrap().to_string(),
                f["value"].as_str().unwrap(),
                "{} ({}): {href}",
                f["label"],
                section["title"]
            );
        }
    }
    body
}

/// A figure's value, by section and label; `None` when the section does not show it.
fn figure(stats: &Value, section: &str, label: &str) -> Option<String> {
    stats["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == section)?["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == label)
        .map(|f| f["value"].as_str().unwrap().to_string())
}

fn n(stats: &Value, section: &str, label: &str) -> u64 {
    figure(stats, section, label)
        .unwrap_or_else(|| panic!("no {label} in {section}: {stats}"))
        .parse()
        .unwrap()
}

/// A section's labels and values, in order.
fn figures(stats: &Value, section: &str) -> Vec<(String, String)> {
    stats["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["title"] == section)
        .unwrap_or_else(|| panic!("no section {section}"))["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["label"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn row<'a>(stats: &'a Value, name: &str) -> &'a Value {
    if name == "合计" {
        return &stats["calls_total"];
    }
    stats["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no row {name}: {}", stats["calls"]))
}

/// asked, confirmed, rate, in time, in-time rate, mean, median, unreachable, escalations.
fn assert_row(stats: &Value, name: &str, expected: Value) {
    let r = row(stats, name);
    let got = json!([
        r["asked"],
        r["confirmed"],
        r["confirmation_rate"],
        r["in_time"],
        r["in_time_rate"],
        r["mean_minutes"],
        r["median_minutes"],
        r["unreachable"],
        r["escalations"]
    ]);
    assert_eq!(got, expected, "{name}: {r}");
}

/// The people, the warnings and the reports of June and July 2026 (see the module's notes).
async fn known_summer(app: &TestApp) {
    let disaster = login(app, "disaster").await;
    let leader = login(app, "leader").await;
    let tongchuan = login(app, "tongchuan").await;
    let water = water_bureau(app).await;
    // 潼川镇: the head (the township's account), two village contacts; 塔山镇: the head and
    // the duty officer; a member department's liaison; the county leader on duty.
    contact(
        &disaster,
        "张镇长",
        "township_head",
        TONGCHUAN,
        Some("tongchuan"),
    )
    .await;
    contact(&disaster, "李四", "village_flood", FENGHUANG, None).await;
    contact(&disaster, "王五", "village_flood", FENGHUANG, None).await;
    contact(&disaster, "赵镇长", "township_head", TASHAN, None).await;
    contact(&disaster, "孙干事", "township_duty", TASHAN, None).await;
    contact(&disaster, "钱联络员", "department_liaison", COUNTY, None).await;
    contact(&disaster, "陈县长", "county_leader", COUNTY, None).await;

    // 1 June 09:00: a red rainstorm warning to 潼川镇 and 塔山镇 (confirm within 5 minutes,
    // three deliveries). 张镇长 confirms in the app after 2 minutes, 李四 by link after 4;
    // 赵镇长 after 7 and 孙干事 after 12 (late); 王五 stays silent and is escalated to 张镇长.
    let w1 = issue_new(
        &disaster,
        &leader,
        &warning(
            "rainstorm",
            1,
            &[TONGCHUAN, TASHAN],
            "2026-06-01T09:00",
            "2026-06-02T09:00",
        ),
    )
    .await;
    consultation(
        &disaster,
        &water,
        "6月上旬会商",
        "2026-06-01",
        &[TONGCHUAN],
        true,
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(2));
    in_app(app, &tongchuan, &w1, "张镇长", 1).await;
    app.clock.advance(chrono::Duration::minutes(2));
    by_link(app, &disaster, &w1, "李四").await;
    tick(app, 1).await; // t = 5: asked again
    app.clock.advance(chrono::Duration::minutes(2));
    by_link(app, &disaster, &w1, "赵镇长").await;
    tick(app, 3).await; // t = 10: asked a third time
    app.clock.advance(chrono::Duration::minutes(2));
    by_link(app, &disaster, &w1, "孙干事").await;
    tick(app, 3).await; // t = 15: 王五 未叫应, escalated to the township head
    app.clock.advance(chrono::Duration::minutes(2));
    in_app(app, &tongchuan, &w1, "张镇长", 2).await;
    let (status, body) = disaster
        .post_json(
            &format!("{WARNINGS}/{w1}/lift"),
            &json!({"reason": "降雨结束"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // 10 June 09:00: a yellow geological warning to 塔山镇 and the member departments (30
    // minutes, two deliveries): 赵镇长 after 20, 钱联络员 after exactly 30 (still in time);
    // 孙干事 silent, escalated after the second delivery. A flood draft is never issued, a
    // report is drafted and another issued.
    advance_to(app, "2026-06-10T09:00");
    // Sessions end after 30 idle minutes: sign in again after each jump.
    let (disaster, leader) = (login(app, "disaster").await, login(app, "leader").await);
    let mut geological = warning(
        "geological",
        3,
        &[TASHAN],
        "2026-06-10T09:00",
        "2026-06-11T09:00",
    );
    geological["include_departments"] = json!(true);
    let w2 = issue_new(&disaster, &leader, &geological).await;
    let (status, _) = disaster
        .post_json(
            WARNINGS,
            &warning(
                "flood",
                4,
                &[TASHAN],
                "2026-06-10T09:00",
                "2026-06-11T09:00",
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    consultation(
        &disaster,
        &water,
        "6月中旬会商",
        "2026-06-10",
        &[COUNTY],
        true,
    )
    .await;
    consultation(
        &disaster,
        &water,
        "未印发的会商",
        "2026-06-10",
        &[TASHAN],
        false,
    )
    .await;
    tick(app, 20).await;
    by_link(app, &disaster, &w2, "赵镇长").await;
    app.clock.advance(chrono::Duration::minutes(10));
    by_link(app, &disaster, &w2, "钱联络员").await;
    tick(app, 0).await; // t = 30: 孙干事 asked again
    tick(app, 30).await; // t = 60: escalated
    let disaster = login(app, "disaster").await;
    let (status, body) = disaster
        .post_json(
            &format!("{WARNINGS}/{w2}/lift"),
            &json!({"reason": "风险解除"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // 30 June 23:50: the city's orange rainstorm warning arrives and is relayed; the relay is
    // drafted in June and issued at 00:05 on 1 July (still 30 June in UTC), to 潼川镇 only
    // (10 minutes): 李四 after 3, 张镇长 after exactly 10, 王五 after 25.
    advance_to(app, "2026-06-30T23:50");
    let (disaster, leader) = (login(app, "disaster").await, login(app, "leader").await);
    let xml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../warning/tests/fixtures/cap/mianyang-rainstorm-orange.xml"
    ))
    .unwrap()
    .replace("2025-07-10", "2026-06-30")
    .replace("2025-07-11", "2026-07-02");
    let (status, received) = disaster.send_text("/api/v1/warning/cap", &xml).await;
    assert_eq!(status, StatusCode::CREATED, "{received}");
    let (status, draft) = disaster
        .post_json(
            &format!("{WARNINGS}/{}/relay", received["id"].as_str().unwrap()),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let w3 = draft["id"].as_str().unwrap().to_string();
    let mut edit = draft.clone();
    edit["area_codes"] = json!([TONGCHUAN]);
    let (status, body) = disaster
        .patch_json(&format!("{WARNINGS}/{w3}"), &edit)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    advance_to(app, "2026-07-01T00:05");
    let tongchuan = login(app, "tongchuan").await;
    approve_and_issue(&disaster, &leader, &w3).await;
    consultation(
        &disaster,
        &water,
        "7月上旬会商",
        "2026-07-01",
        &[TASHAN],
        true,
    )
    .await;
    app.clock.advance(chrono::Duration::minutes(3));
    by_link(app, &disaster, &w3, "李四").await;
    app.clock.advance(chrono::Duration::minutes(7));
    in_app(app, &tongchuan, &w3, "张镇长", 1).await;
    tick(app, 0).await; // t = 10: 王五 asked again
    tick(app, 10).await; // t = 20: and again
    app.clock.advance(chrono::Duration::minutes(5));
    by_link(app, &disaster, &w3, "王五").await;
}

#[tokio::test]
async fn warning_statistics_count_a_known_summer_exactly() {
    on_each_backend(|app, _| async move {
        known_summer(&app).await;
        let leader = login(&app, "leader").await;

        // Both months, the county.
        let summer = stats(&leader, "from=2026-06-01&to=2026-07-31").await;
        assert_eq!(
            figures(&summer, "预警发布"),
            [
                ("发布预警", "3"),
                ("一级（红色）", "1"),
                ("二级（橙色）", "1"),
                ("三级（黄色）", "1"),
                ("四级（蓝色）", "0"),
            ]
            .map(|(l, v)| (l.to_string(), v.to_string()))
        );
        assert_eq!(
            figures(&summer, "按预警种类"),
            [("暴雨", "2"), ("地质灾害", "1")].map(|(l, v)| (l.to_string(), v.to_string())),
            "kinds never issued (the flood draft) are left out"
        );
        assert_eq!(n(&summer, "上级预警", "收到上级预警"), 1);
        assert_eq!(n(&summer, "上级预警", "转发发布"), 1);
        assert_eq!(n(&summer, "风险会商", "印发会商报告"), 3, "not the draft");

        // 叫应: 潼川镇 asked 6 (W1: 2, 4, silent; W3: 3, 10, 25), 塔山镇 4 (W1: 7, 12;
        // W2: 20, silent), the department 1 (30, in a 30-minute limit).
        assert_row(
            &summer,
            "潼川镇",
            json!([6, 5, 83.3, 4, 66.7, 8.8, 4.0, 1, 1]),
        );
        assert_row(
            &summer,
            "塔山镇",
            json!([4, 3, 75.0, 1, 25.0, 13.0, 12.0, 1, 1]),
        );
        assert_row(
            &summer,
            "县级部门和领导",
            json!([1, 1, 100.0, 1, 100.0, 30.0, 30.0, 0, 0]),
        );
        assert_row(
            &summer,
            "合计",
            json!([11, 9, 81.8, 6, 54.5, 12.6, 10.0, 2, 2]),
        );
        assert_eq!(
            summer["calls"].as_array().unwrap().len(),
            3,
            "townships nobody was asked in are left out: {}",
            summer["calls"]
        );
        assert_eq!(row(&summer, "潼川镇")["region_code"], TONGCHUAN);
        let (_, tongchuan_list) = leader
            .get_json(&row(&summer, "潼川镇")["href"].as_str().unwrap().replacen(
                "/warning/",
                "/api/v1/warning/",
                1,
            ))
            .await;
        assert_eq!(tongchuan_list["total"], 2, "the warnings that asked 潼川镇");

        // June alone: the relay drafted on 30 June but issued at 00:05 on 1 July (16:05 UTC on
        // 30 June) is July's; the city warning arrived in June.
        let june = stats(&leader, "from=2026-06-01&to=2026-06-30").await;
        assert_eq!(n(&june, "预警发布", "发布预警"), 2);
        assert_eq!(n(&june, "预警发布", "二级（橙色）"), 0);
        assert_eq!(n(&june, "上级预警", "收到上级预警"), 1);
        assert_eq!(n(&june, "上级预警", "转发发布"), 0);
        assert_eq!(n(&june, "风险会商", "印发会商报告"), 2);
        assert_row(&june, "潼川镇", json!([3, 2, 66.7, 2, 66.7, 3.0, 3.0, 1, 1]));
        let july = stats(&leader, "from=2026-07-01&to=2026-07-01").await;
        assert_eq!(n(&july, "预警发布", "发布预警"), 1);
        assert_eq!(n(&july, "预警发布", "二级（橙色）"), 1);
        assert_eq!(n(&july, "上级预警", "收到上级预警"), 0);
        assert_eq!(n(&july, "上级预警", "转发发布"), 1);
        assert_eq!(n(&july, "风险会商", "印发会商报告"), 1);
        assert_row(&july, "合计", json!([3, 3, 100.0, 2, 66.7, 12.7, 10.0, 0, 0]));
        assert!(july["calls"].as_array().unwrap().len() == 1, "{july}");
        let before = stats(&leader, "from=2026-05-01&to=2026-05-31").await;
        assert_eq!(n(&before, "预警发布", "发布预警"), 0);
        assert!(figures(&before, "按预警种类").is_empty());
        assert_row(
            &before,
            "合计",
            json!([0, 0, null, 0, null, null, null, 0, 0]),
        );

        // One township: only the warnings naming it and only its people.
        let tashan_q = format!("from=2026-06-01&to=2026-07-31&township={TASHAN}");
        let town = stats(&leader, &tashan_q).await;
        assert_eq!(n(&town, "预警发布", "发布预警"), 2);
        assert_eq!(n(&town, "预警发布", "一级（红色）"), 1);
        assert_eq!(n(&town, "预警发布", "二级（橙色）"), 0);
        assert_eq!(n(&town, "上级预警", "收到上级预警"), 1, "the city named the county");
        assert_eq!(n(&town, "上级预警", "转发发布"), 0);
        assert_eq!(
            n(&town, "风险会商", "印发会商报告"),
            2,
            "reports judging 塔山镇 or the whole county"
        );
        assert_eq!(town["calls"].as_array().unwrap().len(), 1);
        assert_row(
            &town,
            "塔山镇",
            json!([4, 3, 75.0, 1, 25.0, 13.0, 12.0, 1, 1]),
        );
        assert_row(
            &town,
            "合计",
            json!([4, 3, 75.0, 1, 25.0, 13.0, 12.0, 1, 1]),
        );

        // 塔山镇's officer sees the same figures for the own township, nothing of the others,
        // and no received warnings (those are the county bureau's to relay).
        let tashan = login(&app, "tashan").await;
        let own = stats(&tashan, "from=2026-06-01&to=2026-07-31").await;
        for section in ["预警发布", "按预警种类", "风险会商"] {
            assert_eq!(figures(&own, section), figures(&town, section), "{section}");
        }
        assert!(figure(&own, "上级预警", "收到上级预警").is_none());
        assert_eq!(own["calls"], town["calls"]);
        assert_eq!(own["calls_total"]["asked"], 4);
        let (status, _) = tashan
            .get_json(&format!("{STATS}?township={TONGCHUAN}"))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Backwards periods and bad dates are refused.
        let (status, body) = leader
            .get_json(&format!("{STATS}?from=2026-07-01&to=2026-06-01"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = leader.get_json(&format!("{STATS}?from=去年")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        // Enterprise users read no warnings.
        let enterprise = login(&app, "enterprise").await;
        let (status, _) = enterprise.get_json(STATS).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // The page: cards linking to their lists, the 叫应 table, the nav item.
        let (status, page) = leader
            .text("/warning/statistics?from=2026-06-01&to=2026-07-31")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("href=\"/warning/warnings?level=1&#38;source=local&#38;issued_from=2026-06-01&#38;issued_to=2026-07-31\""),
            "{page}"
        );
        assert!(page.contains("叫应情况") && page.contains("潼川镇") && page.contains("83.3"));
        assert!(page.contains("class=\"table-wrap\""), "scrolls sideways on a phone");
        assert!(page.contains("href=\"/warning/statistics\""), "in the menu");
        let (status, error_page) = leader
            .text("/warning/statistics?from=2026-07-01&to=2026-06-01")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(error_page.contains("结束日期不能早于开始日期"));
        // The list a figure opens says what it shows.
        let href = summer["sections"][0]["figures"][0]["href"].as_str().unwrap();
        let (_, list) = leader.text(href).await;
        assert!(
            list.contains("仅显示：本级发布的预警，发布日期 2026-06-01 至 2026-07-31"),
            "{list}"
        );
        assert!(list.contains("（共 3 条）"), "{list}");

        // The export: the same figures and the same 叫应 table.
        let export = leader
            .get("/warning/statistics/export?from=2026-06-01&to=2026-07-31")
            .await;
        assert_eq!(export.status(), StatusCode::OK);
        let bytes = export.bytes().await.unwrap().to_vec();
        let sheet = |name: &str| -> Vec<Vec<String>> {
            use calamine::Reader;
            let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
            book.worksheet_range(name)
                .unwrap()
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let figures_sheet = sheet("预警统计");
        assert_eq!(figures_sheet[0], ["类别", "指标", "数值", "单位"]);
        for section in summer["sections"].as_array().unwrap() {
            for f in section["figures"].as_array().unwrap() {
                let line = [
                    section["title"].as_str().unwrap(),
                    f["label"].as_str().unwrap(),
                    f["value"].as_str().unwrap(),
                    f["unit"].as_str().unwrap(),
                ];
                assert!(figures_sheet.iter().any(|r| r == &line), "{line:?}");
            }
        }
        let calls_sheet = sheet("叫应情况");
        assert_eq!(calls_sheet.len(), 5, "header, three rows, total: {calls_sheet:?}");
        assert_eq!(calls_sheet[0][0], "乡镇（街道）");
        assert_eq!(
            calls_sheet[1],
            ["潼川镇", "6", "5", "83.3", "4", "66.7", "8.8", "4.0", "1", "1"]
        );
        assert_eq!(
            calls_sheet[4],
            ["合计", "11", "9", "81.8", "6", "54.5", "12.6", "10.0", "2", "2"]
        );
        let empty = leader
            .get("/warning/statistics/export?from=2026-05-01&to=2026-05-31")
            .await;
        assert_eq!(empty.status(), StatusCode::OK);
    })
    .await;
}
