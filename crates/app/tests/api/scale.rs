//! The performance harness's data generator (`yingji demo --scale`) writes ledgers a county
//! would recognise: lifecycles that hold together, an audit row per step, numbers from the
//! county's counter (so the next registration follows), figures equal to their lists; the same
//! seed gives the same data. And the harness itself (`scripts/bench.py --smoke`) runs end to end.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use safety::hazards::entity::hazard;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use yingji::scale::{Scale, Sizes, Written, generate};
use yingji::testing::TestApp;

use crate::safety_statistics::check_every_figure;
use crate::support::*;

/// A hundredth of a county, two years.
async fn small_county(app: &TestApp, seed: u64) -> Written {
    let sizes = Sizes::COUNTY.divided_by(100);
    generate(&app.state, Scale::County, 2, seed, sizes, false)
        .await
        .expect("generate")
}

/// (number, description, state, grade) of every hazard: the content a seed decides.
async fn contents(app: &TestApp) -> BTreeSet<(String, String, String, String)> {
    hazard::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.number, h.description, h.state, h.grade))
        .collect()
}

#[tokio::test]
async fn generated_ledgers_hold_together() {
    on_each_backend(|app, backend| async move {
        let w = small_county(&app, 7).await;
        assert_eq!((w.counties, w.units, w.inspections, w.hazards), (1, 20, 200, 400));
        assert!(w.audit_rows > w.hazards, "every hazard has at least its registration");
        let db = &app.state.db;
        assert_eq!(hazard::Entity::find().count(db).await.unwrap(), 400);

        let hazards = hazard::Entity::find().all(db).await.unwrap();
        let numbers: BTreeSet<_> = hazards.iter().map(|h| h.number.clone()).collect();
        assert_eq!(numbers.len(), hazards.len(), "numbers are unique");
        for h in &hazards {
            let closed = h.state == "closed";
            assert_eq!(closed, h.closed_on.is_some(), "{} {}", h.number, h.state);
            assert_eq!(h.state == "registered", h.deadline.is_none(), "{}", h.number);
            assert!(h.closed_on.is_none_or(|c| c >= h.discovered_on), "{}", h.number);
            assert!(h.discovered_on <= chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());
        }
        let registered = platform::audit::entity::Entity::find()
            .filter(platform::audit::entity::Column::Entity.eq(safety::hazards::store::KIND))
            .filter(platform::audit::entity::Column::Action.eq("create"))
            .count(db)
            .await
            .unwrap();
        assert_eq!(registered, 400, "one registration audit row per hazard");

        // The next hazard registered by hand takes the number after the generated ones.
        let safety = login(&app, "safety").await;
        let (_, units) = safety.get_json("/api/v1/safety/units").await;
        let unit = units["items"][0]["id"].as_str().unwrap().to_string();
        let (status, made) = safety
            .post_json(
                "/api/v1/safety/hazards",
                &json!({"unit_id": unit, "description": "配电箱无漏电保护", "category_code": "electrical",
                        "grade": "general", "discovered_on": "2026-06-01", "source": "self_check"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let last_2026 = numbers.iter().filter(|n| n.starts_with("YH2026-")).max().unwrap();
        let next: u32 = last_2026["YH2026-".len()..].parse::<u32>().unwrap() + 1;
        assert_eq!(made["number"], format!("YH2026-{next:04}"), "{}", backend.name());

        // The statistics of generated data equal their lists, figure by figure.
        let leader = login(&app, "leader").await;
        let figures: Vec<Value> = check_every_figure(&leader, "from=2025-06-01&to=2026-06-01").await;
        assert!(figures.iter().any(|f| f["label"] == "排查隐患" && f["value"] != "0"));
    })
    .await;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_ledgers() {
    let backend = &yingji::testing::backends()[0];
    let mut seen = Vec::new();
    for seed in [11, 11, 12] {
        let app = TestApp::spawn(backend).await.unwrap();
        small_county(&app, seed).await;
        seen.push(contents(&app).await);
    }
    assert_eq!(seen[0], seen[1]);
    assert_ne!(seen[0], seen[2]);
}

/// `scripts/bench.py --smoke` on the debug binary: a tiny generated county, the ceiling pages,
/// each load test for 2 s. Needs wrk and python3 (.ci/run installs them).
#[test]
fn the_benchmark_harness_runs() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("results.json");
    let out = std::process::Command::new("python3")
        .current_dir(root)
        .args(["scripts/bench.py", "--smoke", "--json"])
        .arg(&json)
        .env("YINGJI_BENCH_BIN", env!("CARGO_BIN_EXE_yingji"))
        .output()
        .expect("python3 runs scripts/bench.py");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    let r: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(r["generator"].as_str().unwrap().contains("行/秒"), "{r}");
    let runs = r["runs"].as_array().unwrap();
    assert!(runs.len() >= 7, "{r}");
    for run in runs {
        assert!(run["requests"].as_u64().unwrap() > 0, "{run}");
        assert_eq!(run["errors"], 0, "{run}");
    }
    assert!(r["start_ms"].as_f64().unwrap() > 0.0);
    assert!(r["idle_rss_mib"].as_f64().unwrap() > 1.0);
    assert!(
        text.contains("| record a hazard (API) | safety |"),
        "{text}"
    );
}
