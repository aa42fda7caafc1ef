//! 安全生产统计: every figure equals the total of the list its link opens, for the county and
//! for one township; periods and townships are checked.

use reqwest::StatusCode;
use serde_json::Value;

use crate::support::*;

/// The API list behind a figure's page link: `/safety/x?q` → `/api/v1/safety/x?q`.
fn api_of(href: &str) -> String {
    href.replacen("/safety/", "/api/v1/safety/", 1)
}

pub async fn check_every_figure(session: &Session, query: &str) -> Vec<Value> {
    let (status, sections) = session
        .get_json(&format!("/api/v1/safety/statistics?{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{sections}");
    let mut figures = Vec::new();
    for section in sections.as_array().unwrap() {
        for f in section["figures"].as_array().unwrap() {
            // Counts of records (not people, money or rates) must be the list's total.
            if f["counts_list"] == true {
                let (status, list) = session.get_json(&api_of(f["href"].as_str().unwrap())).await;
                assert_eq!(status, StatusCode::OK, "{f}");
                assert_eq!(
                    list["total"].as_u64().unwrap().to_string(),
                    f["value"].as_str().unwrap(),
                    "{} of {}: {}",
                    f["label"],
                    section["title"],
                    f["href"]
                );
            }
            figures.push(f.clone());
        }
    }
    figures
}

fn value(figures: &[Value], label: &str) -> f64 {
    figures
        .iter()
        .find(|f| f["label"] == label)
        .unwrap_or_else(|| panic!("no figure {label}"))["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap_or(0.0)
}

#[tokio::test]
async fn every_figure_is_the_total_of_its_list() {
    on_each_backend(|app, _| async move {
        safety::units::load_demo(&app.state).await.unwrap();
        safety::hazards::load_demo(&app.state).await.unwrap();
        safety::accidents::load_demo(&app.state).await.unwrap();
        safety::notices::load_demo(&app.state).await.unwrap();
        safety::inspections::load_demo(&app.state).await.unwrap();
        safety::enforcement::load_demo(&app.state).await.unwrap();
        let leader = login(&app, "leader").await;
        let county = check_every_figure(&leader, "from=2026-01-01&to=2026-06-01").await;
        assert!(value(&county, "监管对象") >= 40.0);
        assert!(
            value(&county, "排查隐患") > 0.0,
            "the demo year has hazards"
        );
        assert!(
            value(&county, "事故起数") > 0.0,
            "the demo year has accidents"
        );

        // One township: the same checks, and never more than the county.
        let town = check_every_figure(
            &leader,
            "from=2026-01-01&to=2026-06-01&township=510722101000",
        )
        .await;
        for label in ["监管对象", "排查隐患", "整改销号", "事故起数"] {
            assert!(value(&town, label) <= value(&county, label), "{label}");
        }
        // A township officer sees the same figures for the own township.
        let tongchuan = login(&app, "tongchuan").await;
        let own = check_every_figure(&tongchuan, "from=2026-01-01&to=2026-06-01").await;
        assert_eq!(value(&own, "排查隐患"), value(&town, "排查隐患"));

        // Another township is out of reach; backwards periods and bad dates are refused.
        let (status, _) = tongchuan
            .get_json("/api/v1/safety/statistics?township=510722104000")
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = leader
            .get_json("/api/v1/safety/statistics?from=2026-06-01&to=2026-01-01")
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, _) = leader.get_json("/api/v1/safety/statistics?from=明年").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // The page links each figure to its list, and the export reads back.
        let (status, page) = leader
            .text("/safety/statistics?from=2026-01-01&to=2026-06-01")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("href=\"/safety/hazards?"), "{page}");
        let export = leader
            .get("/safety/statistics/export?from=2026-01-01&to=2026-06-01")
            .await;
        assert_eq!(export.status(), StatusCode::OK);
        let bytes = export.bytes().await.unwrap().to_vec();
        let rows = platform::web::import::read_rows(&bytes, 4).expect("a readable sheet");
        assert!(
            rows.iter()
                .any(|(_, r)| r[1] == "排查隐患" && r[2] == value(&county, "排查隐患").to_string()),
            "{rows:?}"
        );
    })
    .await;
}
