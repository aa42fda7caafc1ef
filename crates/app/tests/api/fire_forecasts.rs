//! 火险预报与禁火令: a day's forecast entered with two townships orange (and entered again,
//! replacing it with an audit record), an XLSX import with a bad row (nothing written) and a
//! good one, a burn ban numbered 三台禁火令〔2026〕1号 and published to the townships'
//! responsible persons (inbox and SMS in the outbox, nobody else), a ban refused without orange
//! or red unless overridden with a reason, the lift told too, documents numbered per kind, the
//! season's defaults and a county's own, and a township user who cannot issue.

use platform::contacts::role;
use platform::notify::channels::{SmsFormat, SmsGateway, SmsMethod};
use platform::notify::entity::message;
use platform::web::Settings;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use yingji::testing::{TestApp, backends};

use crate::support::*;

const TONGCHUAN: &str = "510722101000";
const FENGHUANG: &str = "510722101201";
const TASHAN: &str = "510722104000";
const LONGSHU: &str = "510722106000";

async fn contact(
    session: &Session,
    name: &str,
    role: &str,
    region: &str,
    mobile: &str,
    user: Option<&str>,
) {
    let body = json!({"name": name, "role": role, "region_code": region, "mobile": mobile,
        "post": "负责人", "username": user});
    let (status, c) = session.post_json("/api/v1/contacts", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
}

async fn upload(session: &Session, rows: &[[&str; 3]]) -> reqwest::Response {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let bytes =
        platform::web::xlsx::workbook("火险预报", &["乡镇", "日期", "等级"], &rows).unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("火险预报.xlsx"),
    );
    session
        .client
        .post(session.url(&format!("/fire/forecasts/import?_csrf={}", session.csrf)))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn messages_of(app: &TestApp, ban: &str) -> Vec<message::Model> {
    message::Entity::find()
        .filter(message::Column::SourceId.eq(uuid::Uuid::parse_str(ban).unwrap()))
        .all(&app.state.db)
        .await
        .unwrap()
}

fn level_of(forecast: &Value, township: &str) -> Option<u64> {
    forecast["levels"]
        .as_array()?
        .iter()
        .find(|l| l["township"] == township)
        .and_then(|l| l["level"].as_u64())
}

async fn story(app: TestApp) {
    let county = login(&app, "disaster").await;
    let town = login(&app, "tongchuan").await;
    let auditor = login(&app, "auditor").await;

    // The season: the Sichuan defaults until the county extends it.
    let (status, season) = county.get_json("/api/v1/fire/seasons/2026").await;
    assert_eq!(status, StatusCode::OK, "{season}");
    assert_eq!(season["configured"], false);
    assert_eq!(season["fire_to"], "2026-05-31");
    assert_eq!(season["high_from"], "2026-02-01");
    let extended = json!({"fire_from": "2026-01-01", "fire_to": "2026-06-15",
        "high_from": "2026-02-01", "high_to": "2026-05-20"});
    let (status, body) = town
        .send_json(reqwest::Method::PUT, "/api/v1/fire/seasons/2026", &extended)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, season) = county
        .send_json(reqwest::Method::PUT, "/api/v1/fire/seasons/2026", &extended)
        .await;
    assert_eq!(status, StatusCode::OK, "{season}");
    assert_eq!(season["configured"], true);
    assert_eq!(season["fire_to"], "2026-06-15");
    let bad = json!({"fire_from": "2026-01-01", "fire_to": "2026-05-31",
        "high_from": "2026-02-01", "high_to": "2026-06-10"});
    let (status, body) = county
        .send_json(reqwest::Method::PUT, "/api/v1/fire/seasons/2026", &bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["high_to"]
            .as_str()
            .unwrap()
            .contains("防火期之内"),
        "{body}"
    );

    // The responsible persons: 潼川镇's head (with an account) and a village head in it,
    // 塔山镇's duty room (SMS only), and 龙树镇's head and 潼川镇's flood contact, who are not
    // told (another township; a role a ban does not go to).
    contact(
        &county,
        "王镇长",
        role::TOWNSHIP_HEAD,
        TONGCHUAN,
        "13800000001",
        Some("tongchuan"),
    )
    .await;
    contact(
        &county,
        "李书记",
        role::VILLAGE_HEAD,
        FENGHUANG,
        "13800000002",
        Some("village"),
    )
    .await;
    contact(
        &county,
        "塔山值班室",
        role::TOWNSHIP_DUTY,
        TASHAN,
        "13800000003",
        None,
    )
    .await;
    contact(
        &county,
        "龙镇长",
        role::TOWNSHIP_HEAD,
        LONGSHU,
        "13800000004",
        None,
    )
    .await;
    contact(
        &county,
        "防汛员",
        role::VILLAGE_FLOOD,
        FENGHUANG,
        "13800000005",
        None,
    )
    .await;

    // A day with two townships orange, the rest 较低.
    let day = json!({"day": "2026-03-12", "all_level": 2, "levels": [
        {"township": TONGCHUAN, "level": 4}, {"township": "塔山镇", "level": "橙"}]});
    let (status, body) = town.post_json("/api/v1/fire/forecasts", &day).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a township does not enter forecasts: {body}"
    );
    let (status, f) = county.post_json("/api/v1/fire/forecasts", &day).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    assert_eq!(level_of(&f, TONGCHUAN), Some(4));
    assert_eq!(level_of(&f, TASHAN), Some(4));
    assert_eq!(level_of(&f, LONGSHU), Some(2));
    assert_eq!(f["ban_townships"], json!([TONGCHUAN, TASHAN]));
    assert_eq!(f["counts"][3], 2);
    let townships = f["levels"].as_array().unwrap().len();
    assert!(townships > 30, "every township: {townships}");
    // Bad levels refused beside the row.
    let (status, body) = county
        .post_json(
            "/api/v1/fire/forecasts",
            &json!({"day": "2026-03-12", "levels": [{"township": TONGCHUAN, "level": 6}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"][format!("level.{TONGCHUAN}")].is_string(),
        "{body}"
    );
    // Entered again: replaced, with before and after in the trail.
    let again = json!({"day": "2026-03-12", "all_level": "较低", "levels": [
        {"township": TONGCHUAN, "level": "高"}, {"township": TASHAN, "level": "极高"}]});
    let (status, f) = county.post_json("/api/v1/fire/forecasts", &again).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    assert_eq!(level_of(&f, TASHAN), Some(5));
    assert_eq!(f["version"], 2);
    assert_eq!(
        audit_total(&auditor, "action=fire.forecast.replace").await,
        1
    );

    // Import: a bad row refuses the whole file.
    let response = upload(
        &county,
        &[
            ["潼川镇", "2026-03-13", "3"],
            ["不存在镇", "2026-03-13", "2"],
            ["塔山镇", "2026-03-13", "9"],
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("不存在镇"), "the row error names it");
    assert!(page.contains("未导入任何数据"));
    let (status, _) = county.get_json("/api/v1/fire/forecasts/2026-03-13").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing written");
    // A good file.
    let response = upload(
        &county,
        &[
            ["潼川镇", "2026-03-13", "3"],
            ["塔山镇", "2026-03-13", "较低"],
            ["龙树镇", "2026-03-14", "1"],
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, f) = county.get_json("/api/v1/fire/forecasts/2026-03-13").await;
    assert_eq!(status, StatusCode::OK, "{f}");
    assert_eq!(level_of(&f, TONGCHUAN), Some(3));
    assert_eq!(level_of(&f, TASHAN), Some(2));
    assert_eq!(f["ban_townships"], json!([]));
    let (_, days) = county.get_json("/api/v1/fire/forecasts?year=2026").await;
    assert_eq!(days.as_array().unwrap().len(), 3, "{days}");
    assert_eq!(days[0]["day"], "2026-03-14");
    assert_eq!(days[2]["max_level"], 5);
    // The list page shows the days.
    let (status, html) = town.text("/fire/forecasts?year=2026").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("2026-03-12") && html.contains("tag red"));

    // A ban for the orange and red townships of the 12th.
    let ban =
        json!({"forecast_day": "2026-03-12", "valid_from": "2026-03-12", "valid_to": "2026-06-30"});
    let (status, body) = town.post_json("/api/v1/fire/bans", &ban).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a township cannot issue: {body}"
    );
    let (status, b) = county.post_json("/api/v1/fire/bans", &ban).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["number"], "三台禁火令〔2026〕1号");
    assert_eq!(b["townships"], json!([TONGCHUAN, TASHAN]));
    assert!(
        b["body"].as_str().unwrap().contains("潼川镇、塔山镇"),
        "{b}"
    );
    let id = b["id"].as_str().unwrap().to_string();
    let sent = messages_of(&app, &id).await;
    let mut to: Vec<(String, String)> = sent
        .iter()
        .map(|m| (m.recipient_name.clone(), m.channel.clone()))
        .collect();
    to.sort();
    assert_eq!(
        to,
        vec![
            ("塔山值班室".to_string(), "sms".to_string()),
            ("李书记".to_string(), "inbox".to_string()),
            ("李书记".to_string(), "sms".to_string()),
            ("王镇长".to_string(), "inbox".to_string()),
            ("王镇长".to_string(), "sms".to_string()),
        ]
    );
    assert!(
        sent.iter()
            .all(|m| m.title.contains("三台禁火令〔2026〕1号"))
    );
    // The township reads it, and finds it in its inbox.
    let (status, read) = town.get_json(&format!("/api/v1/fire/bans/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{read}");

    // No orange or red on the 13th: refused, unless overridden with a reason.
    let quiet = json!({"forecast_day": "2026-03-13", "valid_from": "2026-03-13", "valid_to": "2026-03-13", "all": true});
    let (status, body) = county.post_json("/api/v1/fire/bans", &quiet).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["override"]
            .as_str()
            .unwrap()
            .contains("橙色或红色"),
        "{body}"
    );
    let mut overridden = quiet.clone();
    overridden["override"] = json!(true);
    let (status, body) = county.post_json("/api/v1/fire/bans", &overridden).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["override_reason"].is_string(),
        "{body}"
    );
    overridden["override_reason"] = json!("清明祭扫期间人员集中进山");
    overridden["townships"] = json!(["潼川镇"]);
    overridden["all"] = json!(false);
    let (status, b2) = county.post_json("/api/v1/fire/bans", &overridden).await;
    assert_eq!(status, StatusCode::CREATED, "{b2}");
    assert_eq!(b2["number"], "三台禁火令〔2026〕2号");
    assert_eq!(b2["override_reason"], "清明祭扫期间人员集中进山");

    // A ban that already ran out is not lifted (nothing to tell anyone).
    let (status, body) = county
        .post_json(
            &format!("/api/v1/fire/bans/{}/lift", b2["id"].as_str().unwrap()),
            &json!({"reason": "降雨"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("已于 2026-03-13 到期"),
        "{body}"
    );

    // Today (1 June) 潼川镇 is orange and 龙树镇 red: the first ban still covers 潼川镇, so the
    // county's home page asks for a ban for 龙树镇 only; a township's does not.
    let today = json!({"day": "2026-06-01", "levels": [
        {"township": TONGCHUAN, "level": 4}, {"township": LONGSHU, "level": 5}]});
    let (status, f) = county.post_json("/api/v1/fire/forecasts", &today).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let (_, home) = county.text("/").await;
    assert!(
        home.contains("今日 1 个乡镇火险橙色以上，尚未发布禁火令"),
        "{home}"
    );
    assert!(home.contains("龙树镇"), "{home}");
    let (_, home) = town.text("/").await;
    assert!(!home.contains("尚未发布禁火令"), "{home}");

    // Lifting the first (in force until 30 June) tells the same people again.
    let (status, body) = town
        .post_json(
            &format!("/api/v1/fire/bans/{id}/lift"),
            &json!({"reason": "降雨"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, lifted) = county
        .post_json(
            &format!("/api/v1/fire/bans/{id}/lift"),
            &json!({"reason": "出现有效降雨，火险等级降低"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{lifted}");
    assert!(lifted["lifted_at"].is_string());
    let sent = messages_of(&app, &id).await;
    assert_eq!(sent.len(), 10);
    assert_eq!(sent.iter().filter(|m| m.title.contains("解除")).count(), 5);
    let (status, _) = county
        .post_json(
            &format!("/api/v1/fire/bans/{id}/lift"),
            &json!({"reason": "再次"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(audit_total(&auditor, "action=fire.ban.issue").await, 2);
    assert_eq!(audit_total(&auditor, "action=fire.ban.lift").await, 1);
    // Lifted: 潼川镇 is uncovered too; a calmer forecast for today clears the item.
    let (_, home) = county.text("/").await;
    assert!(
        home.contains("今日 2 个乡镇火险橙色以上，尚未发布禁火令"),
        "{home}"
    );
    let calm = json!({"day": "2026-06-01", "all_level": 1, "levels": []});
    let (status, f) = county.post_json("/api/v1/fire/forecasts", &calm).await;
    assert_eq!(status, StatusCode::OK, "{f}");
    let (_, home) = county.text("/").await;
    assert!(!home.contains("尚未发布禁火令"), "{home}");

    // Documents: numbered per kind.
    let doc = |kind: &str, title: &str| {
        json!({"kind": kind, "title": title,
        "body": "第一段。\n第二段。", "townships": [TONGCHUAN], "issued_on": "2026-03-12"})
    };
    let (status, body) = town
        .post_json("/api/v1/fire/documents", &doc("conclusion", "研判"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, d1) = county
        .post_json(
            "/api/v1/fire/documents",
            &doc("conclusion", "3月中旬火险研判结论"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d1}");
    assert_eq!(d1["number"], "三台火险研判〔2026〕1号");
    let (_, d2) = county
        .post_json(
            "/api/v1/fire/documents",
            &doc("urging_letter", "关于加强野外火源管控的督促函"),
        )
        .await;
    assert_eq!(d2["number"], "三台防火督〔2026〕1号");
    let (_, d3) = county
        .post_json(
            "/api/v1/fire/documents",
            &doc("conclusion", "3月下旬火险研判结论"),
        )
        .await;
    assert_eq!(d3["number"], "三台火险研判〔2026〕2号");
    let (status, body) = county
        .post_json(
            "/api/v1/fire/documents",
            &json!({"kind": "memo", "title": "", "body": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["kind", "title", "body"] {
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }
    let (status, list) = county
        .get_json("/api/v1/fire/documents?year=2026&kind=conclusion")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2);
    let (status, html) = town
        .text(&format!("/fire/documents/{}", d2["id"].as_str().unwrap()))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("三台防火督〔2026〕1号") && html.contains("潼川镇："));
    let response = county.get("/fire/documents.xlsx?year=2026").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.unwrap().starts_with(b"PK"));

    // A conclusion issued by mistake is voided (reason needed, county only); its number is
    // not reused.
    let void = format!("/api/v1/fire/documents/{}/void", d3["id"].as_str().unwrap());
    let (status, _) = town.post_json(&void, &json!({"reason": "重复"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = county.post_json(&void, &json!({"reason": " "})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let response = county
        .post_form(
            &format!("/fire/documents/{}/void", d3["id"].as_str().unwrap()),
            &[("reason", "与 1 号重复印发")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = county
        .get_json(&format!(
            "/api/v1/fire/documents/{}",
            d3["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = county
        .get_json("/api/v1/fire/documents?year=2026&kind=conclusion")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, d4) = county
        .post_json(
            "/api/v1/fire/documents",
            &doc("conclusion", "4月上旬火险研判结论"),
        )
        .await;
    assert_eq!(d4["number"], "三台火险研判〔2026〕3号");
    assert_eq!(audit_total(&auditor, "action=fire.document.void").await, 1);

    // The grid page: all at 较高, one township at 极高; the ban form with chosen townships.
    let response = county
        .post_form(
            "/fire/forecasts/entry",
            &[
                ("day", "2026-03-20"),
                ("all_level", "3"),
                (&format!("level.{LONGSHU}"), "5"),
                (&format!("level.{TASHAN}"), ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, f) = county.get_json("/api/v1/fire/forecasts/2026-03-20").await;
    assert_eq!(level_of(&f, LONGSHU), Some(5));
    assert_eq!(level_of(&f, TASHAN), Some(3));
    let response = county
        .post_form(
            "/fire/forecasts/entry",
            &[("day", "2026-03-20"), (&format!("level.{LONGSHU}"), "7")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("火险等级应为 1–5"));
    let response = town
        .post_form(
            "/fire/bans",
            &[
                ("forecast_day", "2026-03-20"),
                ("valid_from", "2026-03-20"),
                ("valid_to", "2026-03-21"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = county
        .post_form(
            "/fire/bans",
            &[
                ("forecast_day", "2026-03-20"),
                ("valid_from", "2026-03-20"),
                ("valid_to", "2026-03-21"),
                ("townships", LONGSHU),
                ("townships", TONGCHUAN),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, bans) = county.get_json("/api/v1/fire/bans?year=2026").await;
    assert_eq!(bans[0]["number"], "三台禁火令〔2026〕3号");
    assert_eq!(bans[0]["townships"], json!([LONGSHU, TONGCHUAN]));

    // Pages render.
    for path in [
        "/fire/forecasts/day/2026-03-12",
        "/fire/bans",
        "/fire/documents",
        "/fire/seasons",
        "/fire/forecasts/entry?day=2026-03-12",
        "/fire/bans/new?day=2026-03-12",
        "/fire/documents/new",
    ] {
        let (status, _) = county.text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn fire_forecasts_bans_and_documents() {
    for backend in backends() {
        let mut settings = Settings::default();
        // A gateway nobody answers: SMS messages wait in the outbox.
        settings.notify.sms = Some(SmsGateway {
            url: "http://127.0.0.1:9/sms".to_string(),
            method: SmsMethod::Post,
            format: SmsFormat::Json,
            body: Some(r#"{"mobile":"{phone}","content":"{text}"}"#.to_string()),
            headers: Default::default(),
            success_contains: None,
        });
        let app = TestApp::spawn_with(&backend, settings)
            .await
            .unwrap_or_else(|e| panic!("app on {} did not start: {e:#}", backend.name()));
        story(app).await;
    }
}
