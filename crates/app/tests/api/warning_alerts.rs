//! 预警与叫应, end to end: a red warning issued to two townships fans out to every
//! responsible person there (SMS with a personal link, the township's WeCom group robot with
//! @-mentions, the inbox of those with accounts); some confirm through the link or in the app;
//! the clock passes the time limit and the silent are asked again, then escalated to the
//! township head and the county leader, the escalation going out through the robot; the
//! warning is exported as CAP 1.2 that validates against the OASIS schema, updated and lifted.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Request, State};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use yingji::testing::{TestApp, backends};

use crate::support::*;

const COUNTY: &str = "510722000000";
const TONGCHUAN: &str = "510722101000";
const FENGHUANG: &str = "510722101201";
const TASHAN: &str = "510722104000";
const API: &str = "/api/v1/warning/warnings";

/// A local stand-in for the WeCom robot and the SMS gateway: records every request.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<(String, Value)>>>);

impl Recorder {
    async fn start() -> (Self, String) {
        let recorder = Self::default();
        let app = axum::Router::new()
            .fallback(record)
            .with_state(recorder.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (recorder, base)
    }

    fn at(&self, path: &str) -> Vec<Value> {
        let seen = self.0.lock().unwrap();
        seen.iter()
            .filter(|(p, _)| p == path)
            .map(|(_, b)| b.clone())
            .collect()
    }
}

async fn record(State(r): State<Recorder>, request: Request) -> &'static str {
    let path = request.uri().path().to_string();
    let body: Bytes = axum::body::to_bytes(request.into_body(), 1 << 20)
        .await
        .unwrap_or_default();
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    r.0.lock().unwrap().push((path, json));
    r#"{"errcode":0,"errmsg":"ok"}"#
}

async fn spawn_with_gateways(backend: &yingji::testing::Backend, base: &str) -> TestApp {
    let notify: platform::notify::NotifySettings = toml::from_str(&format!(
        "[sms]\nurl = \"{base}/sms\"\nformat = \"json\"\nbody = '{{\"mobile\":\"{{phone}}\",\"content\":\"{{text}}\"}}'\n"
    ))
    .expect("sms settings");
    let settings = platform::web::Settings {
        notify,
        public_url: "https://yj.example.gov.cn".to_string(),
        ..Default::default()
    };
    TestApp::spawn_with(backend, settings).await.expect("app")
}

async fn contact(
    s: &Session,
    name: &str,
    role: &str,
    region: &str,
    mobile: &str,
    username: Option<&str>,
) -> Value {
    let (status, c) = s
        .post_json(
            "/api/v1/contacts",
            &json!({"name": name, "role": role, "region_code": region, "mobile": mobile, "username": username}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    c
}

fn red_rainstorm(valid_from: &str, valid_until: &str) -> Value {
    json!({
        "kind": "rainstorm",
        "level": 1,
        "title": "关于做好6月2日强降雨防范工作的紧急预警",
        "content": "预计6月2日夜间潼川镇、塔山镇有大暴雨，局地特大暴雨，山洪地质灾害风险极高。",
        "actions": "立即组织巡查地灾隐患点，提前转移受威胁群众，乡镇主要负责人在岗带班。",
        "area_codes": [TONGCHUAN, TASHAN],
        "valid_from": valid_from,
        "valid_until": valid_until,
    })
}

/// Every message the outbox holds for a source record.
async fn links_of(app: &TestApp, call_user: &str) -> Vec<String> {
    use platform::notify::entity::message::{Column, Entity};
    Entity::find()
        .filter(Column::Address.eq(call_user))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.link)
        .collect()
}

fn xmllint(xml: &str) {
    use std::io::Write;
    let xsd = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/cap/CAP-v1.2.xsd"
    );
    let mut child = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", xsd, "-"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("xmllint runs (Debian libxml2-utils)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "CAP does not validate: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn tick(app: &TestApp, minutes: i64) {
    app.clock.advance(chrono::Duration::minutes(minutes));
    platform::jobs::run_due(&app.state).await.expect("jobs");
    platform::notify::outbox::deliver_due(&app.state)
        .await
        .expect("delivery");
}

async fn calls(s: &Session, id: &str) -> Value {
    let (status, calls) = s.get_json(&format!("{API}/{id}/calls")).await;
    assert_eq!(status, StatusCode::OK, "{calls}");
    calls
}

fn call_of<'a>(calls: &'a Value, name: &str, wave: i64) -> &'a Value {
    calls["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name && c["wave"] == wave)
        .unwrap_or_else(|| panic!("no call for {name} in wave {wave}: {calls}"))
}

#[tokio::test]
async fn a_red_warning_is_confirmed_chased_escalated_and_exported_as_cap() {
    for backend in backends() {
        let (recorder, base) = Recorder::start().await;
        let app = spawn_with_gateways(&backend, &base).await;
        let disaster = login(&app, "disaster").await;
        let leader = login(&app, "leader").await;

        // The people: two townships' heads and village contacts, a county leader, and
        // someone outside the warning's area.
        contact(
            &disaster,
            "张镇长",
            "township_head",
            TONGCHUAN,
            "13800000001",
            Some("tongchuan"),
        )
        .await;
        contact(
            &disaster,
            "李四",
            "village_flood",
            FENGHUANG,
            "13800000002",
            Some("village"),
        )
        .await;
        contact(
            &disaster,
            "王五",
            "village_flood",
            FENGHUANG,
            "13800000003",
            None,
        )
        .await;
        contact(
            &disaster,
            "赵镇长",
            "township_head",
            TASHAN,
            "13800000004",
            None,
        )
        .await;
        contact(
            &disaster,
            "陈县长",
            "county_leader",
            COUNTY,
            "13800000009",
            None,
        )
        .await;
        contact(
            &disaster,
            "外镇镇长",
            "township_head",
            "510722106000",
            "13800000008",
            None,
        )
        .await;
        // 潼川镇's work group robot.
        let robot = disaster
            .post_form(
                "/notify/robots",
                &[
                    ("channel", "wecom"),
                    ("name", "潼川镇防汛工作群"),
                    (
                        "webhook_url",
                        &format!("{base}/cgi-bin/webhook/send?key=tc"),
                    ),
                    ("region_code", TONGCHUAN),
                ],
            )
            .await;
        assert!(
            robot.status().is_success() || robot.status().is_redirection(),
            "{}",
            robot.status()
        );

        // Draft, approval by someone other than the drafter, issue.
        let (status, w) = disaster
            .post_json(API, &red_rainstorm("2026-06-01T09:00", "2026-06-03T09:00"))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{w}");
        let id = w["id"].as_str().unwrap().to_string();
        let (status, refused) = disaster
            .send_json(
                reqwest::Method::POST,
                &format!("{API}/{id}/approve"),
                &json!({}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "disaster staff cannot approve: {refused}"
        );
        let (status, early) = disaster
            .post_json(&format!("{API}/{id}/issue"), &json!({}))
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "issue before approval: {early}"
        );
        let (status, approved) = leader
            .post_json(&format!("{API}/{id}/approve"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{approved}");
        let (status, issued) = disaster
            .post_json(&format!("{API}/{id}/issue"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        assert_eq!(
            issued["asked"], 4,
            "both townships' people, not the outsider or the leader: {issued}"
        );
        assert_eq!(issued["warning"]["number"], "三台应急预警〔2026〕1号");

        // First delivery: one robot message @-mentioning 潼川镇's three, an SMS each with a link.
        platform::notify::outbox::deliver_due(&app.state)
            .await
            .unwrap();
        let robot_posts = recorder.at("/cgi-bin/webhook/send");
        assert_eq!(robot_posts.len(), 1, "{robot_posts:?}");
        assert_eq!(robot_posts[0]["msgtype"], "text");
        assert_eq!(
            robot_posts[0]["text"]["mentioned_mobile_list"],
            json!(["13800000001", "13800000002", "13800000003"])
        );
        let content = robot_posts[0]["text"]["content"].as_str().unwrap();
        assert!(content.starts_with("【红色暴雨预警："), "{content}");
        assert!(
            content.contains(&format!("https://yj.example.gov.cn/warning/warnings/{id}")),
            "{content}"
        );
        let sms = recorder.at("/sms");
        assert_eq!(sms.len(), 4, "{sms:?}");
        let to_li = sms
            .iter()
            .find(|m| m["mobile"] == "13800000002")
            .expect("SMS to 李四");
        let text = to_li["content"].as_str().unwrap();
        let link = text
            .split_whitespace()
            .find(|w| w.starts_with("https://yj.example.gov.cn/ack/"))
            .unwrap_or_else(|| panic!("no link in {text}"));
        let token = link.trim_start_matches("https://yj.example.gov.cn/ack/");

        // 李四 confirms through the SMS link (no login); the link used again changes nothing.
        let anonymous = browser();
        let page = anonymous
            .get(app.url(&format!("/ack/{token}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.text().await.unwrap().contains("确认收到，已在岗"));
        let done = anonymous
            .post(app.url(&format!("/ack/{token}")))
            .send()
            .await
            .unwrap();
        assert!(done.text().await.unwrap().contains("已确认收到"));
        let again = anonymous
            .post(app.url(&format!("/ack/{token}")))
            .send()
            .await
            .unwrap();
        assert!(again.text().await.unwrap().contains("无需重复操作"));
        let (status, reused) = disaster
            .post_json(&format!("/api/v1/warning/ack/{token}"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(reused["newly"], false, "{reused}");
        let forged = anonymous
            .get(app.url("/ack/0123456789abcdef0123456789abcdef"))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::NOT_FOUND);
        let garbage = anonymous
            .post(app.url("/ack/not-a-token"))
            .send()
            .await
            .unwrap();
        assert_eq!(garbage.status(), StatusCode::NOT_FOUND);

        // 张镇长 confirms in the app, from his list of warnings to confirm.
        let tongchuan = login(&app, "tongchuan").await;
        let (_, mine) = tongchuan.text("/warning/my").await;
        assert!(
            mine.contains("关于做好6月2日强降雨防范工作的紧急预警"),
            "{mine}"
        );
        let list = calls(&disaster, &id).await;
        let zhang = call_of(&list, "张镇长", 1)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, other) = disaster
            .post_json(
                &format!("/api/v1/warning/calls/{zhang}/confirm"),
                &json!({}),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "only the person asked confirms: {other}"
        );
        let (status, confirmed) = tongchuan
            .post_json(
                &format!("/api/v1/warning/calls/{zhang}/confirm"),
                &json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{confirmed}");
        assert_eq!(confirmed["newly"], true);

        // The leader's home page counts the silent.
        let (_, home) = leader.text("/").await;
        assert!(home.contains("2 人尚未确认生效中的预警"), "{home}");

        // Five minutes pass twice: the silent are asked again (a red warning asks 3 times).
        tick(&app, 5).await;
        let list = calls(&disaster, &id).await;
        assert_eq!(call_of(&list, "王五", 1)["cycle"], 2, "{list}");
        assert_eq!(call_of(&list, "赵镇长", 1)["cycle"], 2);
        assert_eq!(
            call_of(&list, "李四", 1)["cycle"],
            1,
            "the confirmed are left alone"
        );
        let second_sms = recorder.at("/sms").len();
        assert_eq!(second_sms, 6, "two reminders");
        tick(&app, 5).await;
        // Then, silent after three deliveries: 未叫应, escalated.
        tick(&app, 5).await;
        let list = calls(&disaster, &id).await;
        assert_eq!(call_of(&list, "王五", 1)["state"], "unreachable", "{list}");
        assert_eq!(call_of(&list, "赵镇长", 1)["state"], "unreachable");
        let to_head = call_of(&list, "张镇长", 2);
        assert_eq!(to_head["state"], "pending");
        assert!(
            to_head["about"]
                .as_str()
                .unwrap()
                .starts_with("王五（凤凰村"),
            "{to_head}"
        );
        let to_leader = call_of(&list, "陈县长", 3);
        assert!(
            to_leader["about"].as_str().unwrap().starts_with("赵镇长"),
            "{to_leader}"
        );
        assert_eq!(list["tally"]["asked"], 6);
        assert_eq!(list["tally"]["confirmed"], 2);
        assert_eq!(list["tally"]["unreachable"], 2);
        // The escalation went out through 潼川镇's robot, @-mentioning the head.
        let robot_posts = recorder.at("/cgi-bin/webhook/send");
        let escalation = robot_posts
            .iter()
            .find(|p| {
                p["text"]["content"]
                    .as_str()
                    .unwrap_or("")
                    .contains("叫应升级")
            })
            .unwrap_or_else(|| panic!("no escalation through the robot: {robot_posts:?}"));
        assert_eq!(
            escalation["text"]["mentioned_mobile_list"],
            json!(["13800000001"])
        );
        let leader_sms = recorder.at("/sms");
        assert!(
            leader_sms.iter().any(|m| m["mobile"] == "13800000009"
                && m["content"].as_str().unwrap().contains("赵镇长")),
            "the county leader is told who was silent"
        );
        // A second run at the same time changes nothing.
        platform::jobs::run_due(&app.state).await.unwrap();
        assert_eq!(calls(&disaster, &id).await["tally"]["asked"], 6);

        // The live page shows every person and refreshes itself.
        let (_, page) = disaster.text(&format!("/warning/warnings/{id}")).await;
        assert!(
            page.contains("hx-trigger=\"every 5s\""),
            "live while people are pending"
        );
        assert!(page.contains("未叫应") && page.contains("王五"));

        // CAP 1.2: valid against the schema, Beijing time, the national identifier.
        let cap = disaster.get(&format!("{API}/{id}/cap")).await;
        assert_eq!(cap.status(), StatusCode::OK);
        let xml = cap.text().await.unwrap();
        xmllint(&xml);
        assert!(xml.contains("<sent>2026-06-01T"), "{xml}");
        assert!(xml.contains("+08:00</sent>"), "{xml}");
        assert!(xml.contains("<msgType>Alert</msgType>"));
        assert!(xml.contains("<severity>Extreme</severity>"));
        assert!(
            xml.contains("<value>510722101</value>") && xml.contains("<value>510722104</value>"),
            "{xml}"
        );
        let identifier = xml
            .split("<identifier>")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap();
        assert!(
            identifier.starts_with("51072200100000_2026060"),
            "{identifier}"
        );

        // Update while in force: an Update referencing the original; then lift: a Cancel.
        let current: Value = disaster.get_json(&format!("{API}/{id}")).await.1;
        let mut changed = red_rainstorm("2026-06-01T09:00", "2026-06-03T21:00");
        changed["version"] = current["version"].clone();
        changed["level"] = json!(2);
        let (status, updated) = disaster.patch_json(&format!("{API}/{id}"), &changed).await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["revision"], 1);
        let xml = disaster
            .get(&format!("{API}/{id}/cap"))
            .await
            .text()
            .await
            .unwrap();
        xmllint(&xml);
        assert!(
            xml.contains("<msgType>Update</msgType>")
                && xml.contains(&format!("<references>510722001000,{identifier},")),
            "{xml}"
        );
        let (status, lifted) = disaster
            .post_json(
                &format!("{API}/{id}/lift"),
                &json!({"reason": "降雨过程结束"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{lifted}");
        let xml = disaster
            .get(&format!("{API}/{id}/cap"))
            .await
            .text()
            .await
            .unwrap();
        xmllint(&xml);
        assert!(xml.contains("<msgType>Cancel</msgType>"), "{xml}");

        // After lifting, a waiting link has expired and the job stops chasing.
        let wang_links = links_of(&app, "13800000003").await;
        let wang_token = wang_links[0].trim_start_matches("/ack/");
        let (status, expired) = disaster
            .post_json(&format!("/api/v1/warning/ack/{wang_token}"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{expired}");
        assert_eq!(expired["error"]["code"], "link_expired");
        let after = calls(&disaster, &id).await;
        assert_eq!(after["tally"]["pending"], 0, "{after}");

        // The trail names each step.
        let auditor = login(&app, "auditor").await;
        assert!(
            audit_total(&auditor, "action=warning.escalate").await >= 2,
            "{}",
            backend.name()
        );
        assert_eq!(audit_total(&auditor, "action=warning.confirm").await, 2);
    }
}

#[tokio::test]
async fn bad_warnings_are_refused_with_reasons() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let mut no_area = red_rainstorm("2026-06-01T09:00", "2026-06-02T09:00");
        no_area["area_codes"] = json!([]);
        let (status, e) = disaster.post_json(API, &no_area).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(
            e["error"]["fields"]["area_codes"]
                .as_str()
                .unwrap()
                .contains("至少一个乡镇")
        );
        let (status, e) = disaster
            .post_json(API, &red_rainstorm("2026-05-01T09:00", "2026-05-02T09:00"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            e["error"]["fields"]["valid_until"]
                .as_str()
                .unwrap()
                .contains("有效期已过"),
            "{e}"
        );
        let (status, e) = disaster
            .post_json(API, &red_rainstorm("2026-06-02T09:00", "2026-06-01T09:00"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let mut outside = red_rainstorm("2026-06-01T09:00", "2026-06-02T09:00");
        outside["area_codes"] = json!(["510723101000"]);
        let (status, e) = disaster.post_json(API, &outside).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let mut bad_level = red_rainstorm("2026-06-01T09:00", "2026-06-02T09:00");
        bad_level["level"] = json!(5);
        let (status, _) = disaster.post_json(API, &bad_level).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // Someone who both drafts and approves (a deputy director) may not approve their own.
        let deputy = platform::users::store::UserInput {
            username: "deputy".into(),
            display_name: "副局长".into(),
            phone: None,
            region_code: COUNTY.into(),
            department_id: None,
            roles: vec!["leader".into(), "disaster_staff".into()],
            password: Some(yingji::testing::TEST_PASSWORD.into()),
            version: None,
            enabled: Some(true),
        };
        let (user, _) = platform::users::store::create(
            &app.state,
            &platform::access::Actor::command_line(),
            &deputy,
        )
        .await
        .unwrap();
        platform::users::store::mark_password_changed(&app.state.db, user.id)
            .await
            .unwrap();
        let deputy = login(&app, "deputy").await;
        let (_, own) = deputy
            .post_json(API, &red_rainstorm("2026-06-01T09:00", "2026-06-02T09:00"))
            .await;
        let (status, e) = deputy
            .post_json(
                &format!("{API}/{}/approve", own["id"].as_str().unwrap()),
                &json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("不能是起草人"),
            "{e}"
        );

        // A township officer reads issued warnings but writes none.
        let tongchuan = login(&app, "tongchuan").await;
        let (status, _) = tongchuan
            .post_json(API, &red_rainstorm("2026-06-01T09:00", "2026-06-02T09:00"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A warning that has expired by the time it is issued is refused.
        let (_, w) = disaster
            .post_json(API, &red_rainstorm("2026-06-01T09:00", "2026-06-01T09:20"))
            .await;
        let id = w["id"].as_str().unwrap();
        let leader = login(&app, "leader").await;
        leader
            .post_json(&format!("{API}/{id}/approve"), &json!({}))
            .await;
        app.clock.advance(chrono::Duration::minutes(25));
        let (status, e) = disaster
            .post_json(&format!("{API}/{id}/issue"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("有效期已过")
        );

        // Malformed CAP is refused on import, and nothing is kept.
        let (status, e) = disaster
            .send_text("/api/v1/warning/cap", "<alert>not cap")
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["error"]["code"], "invalid_cap");
        let (_, list) = disaster.get_json(&format!("{API}?source=cap")).await;
        assert_eq!(list["total"], 0);
    })
    .await;
}

#[tokio::test]
async fn a_city_warning_is_received_and_relayed_to_townships() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let xml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../warning/tests/fixtures/cap/mianyang-rainstorm-orange.xml"
        ))
        .unwrap();
        // The fixture is last year's: as it arrived, it had already expired.
        let (status, e) = disaster.send_text("/api/v1/warning/cap", &xml).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["error"]["code"], "expired");
        // The same alert sent today.
        let xml = xml
            .replace("2025-07-10", "2026-06-01")
            .replace("2025-07-11", "2026-06-02");
        let (status, received) = disaster.send_text("/api/v1/warning/cap", &xml).await;
        assert_eq!(status, StatusCode::CREATED, "{received}");
        assert_eq!(received["state"], "received");
        assert_eq!(received["level"], 2, "orange");
        assert_eq!(received["kind"], "rainstorm");
        assert!(!received["area_codes"].as_array().unwrap().is_empty());
        let id = received["id"].as_str().unwrap();
        let (status, draft) = disaster
            .post_json(&format!("{API}/{id}/relay"), &json!({}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{draft}");
        assert_eq!(draft["state"], "draft");
        assert_eq!(draft["relayed_from"], received["id"]);
        assert_eq!(draft["area_codes"], received["area_codes"]);
    })
    .await;
}

#[tokio::test]
async fn policies_are_set_on_the_page_with_clear_errors() {
    on_each_backend(|app, _| async move {
        let disaster = login(&app, "disaster").await;
        let save = |ack: &'static str, cycles: &'static str| {
            let disaster = &disaster;
            async move {
                disaster
                    .post_form(
                        "/warning/policies",
                        &[("level", "2"), ("ack_minutes", ack), ("cycles", cycles)],
                    )
                    .await
            }
        };
        for (ack, cycles, says) in [
            ("十分钟", "3", "确认时限应填写整数"),
            ("", "3", "确认时限应填写整数"),
            ("10", "3.5", "发送次数应填写整数"),
            ("0", "3", "确认时限应为 1–1440 分钟"),
            ("10", "11", "重复发送次数应为 1–10 次"),
        ] {
            let r = save(ack, cycles).await;
            assert_eq!(
                r.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{ack}/{cycles}"
            );
            let page = r.text().await.unwrap();
            assert!(page.contains(says), "{ack}/{cycles}: {says}");
        }
        let (_, page) = disaster.text("/warning/policies").await;
        assert!(
            page.contains(r#"name="ack_minutes" value="10""#),
            "orange unchanged"
        );

        let r = save("15", "4").await;
        assert!(r.status().is_redirection(), "{}", r.status());
        let (_, page) = disaster.text("/warning/policies").await;
        assert!(page.contains(r#"name="ack_minutes" value="15""#));
        assert!(page.contains(r#"name="cycles" value="4""#));

        // A township reads the policies but cannot change them.
        let town = login(&app, "tongchuan").await;
        let r = town
            .post_form(
                "/warning/policies",
                &[("level", "2"), ("ack_minutes", "1"), ("cycles", "1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_silent_township_climbs_to_the_leader_on_duty_by_the_roster() {
    on_each_backend(|app, _| async move {
        use platform::calls::entity as call;
        let ids = crate::duty_rosters::add_duty_people(&app).await;
        let disaster = login(&app, "disaster").await;
        // No township head for 潼川镇: a silent village climbs straight to the county leaders.
        contact(&disaster, "李四", "village_flood", FENGHUANG, "13800000002", None).await;
        contact(&disaster, "陈局长", "county_leader", COUNTY, "13800000009", Some("leader")).await;
        contact(&disaster, "李副局长", "county_leader", COUNTY, "13800000010", Some("deputy")).await;
        // 1 June's shift (08:30 to 08:30) is led by the deputy.
        let duty = login(&app, "duty").await;
        let period = crate::duty_rosters::create_period(
            &duty,
            &crate::duty_rosters::flood_period("防汛值班", "2026-06-01", "2026-06-02"),
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

        // A blue warning: 60 minutes to confirm, sent once.
        let mut body = red_rainstorm("2026-06-01T09:00", "2026-06-02T09:00");
        body["level"] = json!(4);
        body["area_codes"] = json!([TONGCHUAN]);
        let (status, w) = disaster.post_json(API, &body).await;
        assert_eq!(status, StatusCode::CREATED, "{w}");
        let id = w["id"].as_str().unwrap().to_string();
        let leader = login(&app, "leader").await;
        let (status, _) = leader.post_json(&format!("{API}/{id}/approve"), &json!({})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, issued) = disaster.post_json(&format!("{API}/{id}/issue"), &json!({})).await;
        assert_eq!(status, StatusCode::OK, "{issued}");
        assert_eq!(issued["asked"], 1);

        app.clock.advance(chrono::Duration::minutes(61));
        platform::calls::chase::chase_due(&app.state).await.expect("chase");
        let raised: Vec<String> = call::Entity::find()
            .filter(call::Column::Wave.eq(warning::warnings::model::wave::COUNTY_LEADER))
            .all(&app.state.db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(raised, ["李副局长"], "only the leader the roster has on duty");
    })
    .await;
}
