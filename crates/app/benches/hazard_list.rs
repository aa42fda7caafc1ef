//! List-page latency with a county's worth of hazards: 50,000 rows spread over the demo
//! county's townships and a year, then the pages people open most, timed over HTTP on the
//! release build. SQLite always; PostgreSQL too when `YINGJI_TEST_DATABASE_URL` is set.
//!
//! Run: `cargo bench -p yingji --bench hazard_list` (results go in docs/PERFORMANCE.md).

use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait, TransactionTrait};
use uuid::Uuid;
use yingji::testing::{Backend, TestApp, backends};

mod common;
use common::{login, ms};

const HAZARDS: usize = 50_000;
const RUNS: usize = 30;
const BATCH: usize = 500;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await?;
        safety::units::load_demo(&app.state).await?;
        let started = Instant::now();
        fill(&app).await?;
        println!(
            "{}: inserted {HAZARDS} hazards in {:.1} s",
            backend.name(),
            started.elapsed().as_secs_f64()
        );
        let client = login(&app, "safety").await?;
        for (what, path) in [
            ("list, first page", "/safety/hazards"),
            ("list, page 100", "/safety/hazards?page=100"),
            (
                "filtered: township + grade + state",
                "/safety/hazards?township=510722101000&grade=general&state=rectifying",
            ),
            ("overdue only", "/safety/hazards?overdue=true"),
            (
                "text search",
                "/safety/hazards?q=%E7%81%AD%E7%81%AB%E5%99%A8",
            ),
            ("API list, first page", "/api/v1/safety/hazards"),
            (
                "statistics, the year",
                "/api/v1/safety/statistics?from=2026-01-01&to=2026-06-01",
            ),
        ] {
            let times = time(&client, &app.url(path)).await?;
            println!(
                "{}: {what:<36} p50 {:>6.1} ms  p95 {:>6.1} ms",
                backend.name(),
                ms(times[RUNS / 2]),
                ms(times[RUNS * 95 / 100])
            );
        }
        if let Backend::Postgres(_) = backend {
            println!();
        }
    }
    Ok(())
}

async fn time(client: &reqwest::Client, url: &str) -> anyhow::Result<Vec<Duration>> {
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = client.get(url).send().await?;
        anyhow::ensure!(r.status().is_success(), "{url}: {}", r.status());
        r.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    Ok(times)
}

/// Rows straight into the table (the audited path is for people, not for fixtures).
async fn fill(app: &TestApp) -> anyhow::Result<()> {
    use safety::hazards::entity::hazard;
    use safety::units::entity::unit;
    let units = unit::Entity::find().all(&app.state.db).await?;
    let now = Utc
        .with_ymd_and_hms(2026, 6, 1, 1, 0, 0)
        .single()
        .unwrap_or_else(Utc::now);
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let states = [
        "registered",
        "notice_issued",
        "rectifying",
        "awaiting_review",
        "review_passed",
        "closed",
    ];
    let descriptions = [
        "灭火器压力不足",
        "安全出口堵塞",
        "配电箱无漏电保护",
        "特种作业人员无证上岗",
        "危化品超量储存",
    ];
    // 500 rows × 38 columns stays under SQLite's 32,766 bound variables per statement.
    for chunk in 0..HAZARDS / BATCH {
        let txn = app.state.db.begin().await?;
        let rows = (0..BATCH).map(|k| {
            let i = chunk * BATCH + k;
            let owner = &units[i % units.len()];
            let discovered = today - Days::days((i % 365) as i64);
            let state = states[i % states.len()];
            hazard::ActiveModel {
                unit_id: Set(owner.id),
                county_code: Set("510722".into()),
                number: Set(format!("YH{}-{:05}", 2025 + (i % 2), i)),
                description: Set(format!(
                    "{}（第 {i} 条）",
                    descriptions[i % descriptions.len()]
                )),
                category_code: Set("fire_facilities".into()),
                category_edition: Set("2024".into()),
                grade: Set(if i.is_multiple_of(20) {
                    "major"
                } else {
                    "general"
                }
                .into()),
                criterion_standard: Set(None),
                criterion_item: Set(None),
                discovered_on: Set(discovered),
                source: Set("self_check".into()),
                location: Set(Some("仓库".into())),
                state: Set(state.into()),
                deadline: Set((state != "registered").then(|| discovered + Days::days(30))),
                responsible: Set(None),
                measures: Set(None),
                funds_fen: Set(None),
                contingency: Set(None),
                evidence: Set(None),
                review_reasons: Set(None),
                closed_on: Set((state == "closed").then(|| discovered + Days::days(20))),
                supervision: Set("none".into()),
                exposed: Set(i.is_multiple_of(50)),
                exposed_on: Set(None),
                exposure_channel: Set(None),
                inspection_id: Set(None),
                escalated_deadline: Set(None),
                escalated_at: Set(None),
                ..platform::db::new_record(Uuid::now_v7(), owner.region_code.clone(), None, now)
            }
        });
        hazard::Entity::insert_many(rows).exec(&txn).await?;
        txn.commit().await?;
    }
    // The statistics read their counters from the rollup; count the rows written directly.
    safety::hazards::rollup::rebuild(&app.state.db, "510722").await?;
    Ok(())
}
