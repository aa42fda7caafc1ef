//! 叫应 fan-out: a red warning issued to a county with 1,000 responsible persons, each with a
//! mobile, SMS going to a local gateway. Times the issue (calls and outbox rows written in one
//! transaction), draining the outbox, the live page's data, and one pass of the 叫应 job
//! re-delivering to all 1,000. SQLite always; PostgreSQL too when `YINGJI_TEST_DATABASE_URL`
//! is set.
//!
//! Run: `cargo bench -p yingji --bench warning_fanout` (results go in docs/PERFORMANCE.md);
//! `GATEWAY_MS=100` makes the stand-in SMS gateway answer as slowly as a real one.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;
use yingji::testing::{Backend, TestApp, backends};

mod common;
use common::{login, ms};

const PEOPLE: usize = 1_000;
const RUNS: usize = 5;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let gateway = gateway().await?;
    for backend in backends() {
        let notify: platform::notify::NotifySettings = toml::from_str(&format!(
            "[sms]\nurl = \"{gateway}/sms\"\nformat = \"json\"\nbody = '{{\"mobile\":\"{{phone}}\",\"content\":\"{{text}}\"}}'\n"
        ))?;
        let settings = platform::web::Settings {
            notify,
            ..Default::default()
        };
        let app = TestApp::spawn_with(&backend, settings).await?;
        people(&app).await?;
        let disaster = login(&app, "disaster").await?;
        let leader = login(&app, "leader").await?;
        let mut issue_times = Vec::new();
        let mut drain_times = Vec::new();
        let mut chase_times = Vec::new();
        let mut page_times = Vec::new();
        for run in 0..RUNS {
            let id = draft(&app, &disaster, &leader, run).await?;
            let t = Instant::now();
            let r = disaster
                .post(app.url(&format!("/api/v1/warning/warnings/{id}/issue")))
                .json(&serde_json::json!({}))
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success(), "issue: {}", r.status());
            let asked = r.json::<serde_json::Value>().await?["asked"].as_u64();
            issue_times.push(t.elapsed());
            anyhow::ensure!(asked == Some(PEOPLE as u64), "asked {asked:?}");
            drain_times.push(drain(&app).await?);
            let t = Instant::now();
            let r = disaster
                .get(app.url(&format!("/api/v1/warning/warnings/{id}/calls")))
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success());
            r.bytes().await?;
            page_times.push(t.elapsed());
            app.clock.advance(chrono::Duration::minutes(5));
            let t = Instant::now();
            platform::calls::chase::chase_due(&app.state).await?;
            chase_times.push(t.elapsed());
            drain(&app).await?;
            lift(&app, &disaster, &id).await?;
        }
        for (what, times) in [
            ("issue to 1,000 (calls + outbox)", &mut issue_times),
            ("deliver 1,000 SMS (local gateway)", &mut drain_times),
            ("叫应 data of 1,000 (API)", &mut page_times),
            ("job: re-deliver to 1,000", &mut chase_times),
        ] {
            times.sort();
            println!(
                "{}: {what:<36} median {:>7.1} ms  max {:>7.1} ms",
                backend.name(),
                ms(times[RUNS / 2]),
                ms(times[RUNS - 1])
            );
        }
        if let Backend::Postgres(_) = backend {
            println!();
        }
    }
    Ok(())
}

/// A stand-in SMS gateway: answers every request after `GATEWAY_MS` milliseconds (default 0;
/// real gateways take 50–200 ms, which is what makes delivery concurrency matter).
async fn gateway() -> anyhow::Result<String> {
    let delay = std::time::Duration::from_millis(
        std::env::var("GATEWAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
    );
    let app = axum::Router::new().fallback(move || async move {
        tokio::time::sleep(delay).await;
        r#"{"code":0}"#
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(base)
}

/// 1,000 village flood contacts spread over the county's villages, straight into the table.
async fn people(app: &TestApp) -> anyhow::Result<()> {
    use platform::contacts::entity as contact;
    use platform::regions::entity as region;
    let villages: Vec<String> = region::Entity::find()
        .all(&app.state.db)
        .await?
        .into_iter()
        .filter(|r| r.level == 5)
        .map(|r| r.code)
        .collect();
    anyhow::ensure!(!villages.is_empty(), "no villages loaded");
    let now = Utc
        .with_ymd_and_hms(2026, 6, 1, 0, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let rows: Vec<contact::ActiveModel> = (0..PEOPLE)
        .map(|i| contact::ActiveModel {
            name: Set(format!("联络人{i:04}")),
            role: Set("village_flood".into()),
            post: Set(None),
            mobile: Set(Some(format!("139{i:08}"))),
            email: Set(None),
            user_id: Set(None),
            department_id: Set(None),
            note: Set(None),
            sort: Set(0),
            ..platform::db::new_record(
                Uuid::now_v7(),
                villages[i % villages.len()].clone(),
                None,
                now,
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        contact::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.state.db)
            .await?;
    }
    Ok(())
}

/// A red warning to every township, approved and ready to issue.
async fn draft(
    app: &TestApp,
    disaster: &reqwest::Client,
    leader: &reqwest::Client,
    run: usize,
) -> anyhow::Result<String> {
    let townships: Vec<String> = platform::regions::entity::Entity::find()
        .all(&app.state.db)
        .await?
        .into_iter()
        .filter(|r| r.level == 4)
        .map(|r| r.code)
        .collect();
    let body = serde_json::json!({
        "kind": "rainstorm", "level": 1, "title": format!("基准测试预警 {run}"),
        "content": "预计全县有大暴雨。", "actions": "转移受威胁群众。",
        "area_codes": townships, "valid_from": "2026-06-01T09:00", "valid_until": "2026-06-30T09:00",
    });
    let created: serde_json::Value = disaster
        .post(app.url("/api/v1/warning/warnings"))
        .json(&body)
        .send()
        .await?
        .json()
        .await?;
    let id = created["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("draft: {created}"))?
        .to_string();
    let r = leader
        .post(app.url(&format!("/api/v1/warning/warnings/{id}/approve")))
        .json(&serde_json::json!({}))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "approve: {}", r.status());
    Ok(id)
}

async fn lift(app: &TestApp, disaster: &reqwest::Client, id: &str) -> anyhow::Result<()> {
    let r = disaster
        .post(app.url(&format!("/api/v1/warning/warnings/{id}/lift")))
        .json(&serde_json::json!({"reason": "基准测试结束"}))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "lift: {}", r.status());
    Ok(())
}

/// Run the worker until the outbox has nothing due.
async fn drain(app: &TestApp) -> anyhow::Result<Duration> {
    let t = Instant::now();
    loop {
        let done = platform::notify::outbox::deliver_due(&app.state).await?;
        if done.sent + done.retrying + done.failed == 0 {
            return Ok(t.elapsed());
        }
    }
}
