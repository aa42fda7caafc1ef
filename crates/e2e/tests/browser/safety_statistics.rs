//! Statistics story: a leader opens the year's work-safety figures, on a desktop and on a phone,
//! and taps a figure to see the very records it counts.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::Outcome;

/// Story: 局领导 opens 统计分析 with a demo year loaded; every section is there; tapping 排查隐患
/// opens the hazard list, which says it holds exactly that many; on a phone the cards fit the
/// screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_taps_a_figure_and_sees_what_it_counts() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    safety::units::load_demo(&app.state).await?;
    safety::hazards::load_demo(&app.state).await?;
    safety::accidents::load_demo(&app.state).await?;
    for viewport in [DESKTOP, PHONE] {
        let b = Browser::open(viewport).await?;
        b.login(&app.base, "leader", TEST_PASSWORD).await?;
        b.goto(&app.url("/safety/statistics")).await?;
        for title in [
            "监管对象",
            "隐患排查治理",
            "重大事故隐患",
            "行政执法",
            "生产安全事故",
            "函件",
        ] {
            b.expect_text("main", title).await?;
        }
        ensure!(
            b.horizontal_overflow().await? <= 0,
            "the statistics page scrolls sideways at {}px",
            viewport.width
        );
        b.screenshot("statistics").await?;

        let figure = "a.figure[href^='/safety/hazards?']";
        let value = b.text(&format!("{figure} .value")).await?;
        b.click_and_wait(figure).await?;
        let path = b.path().await?;
        ensure!(
            path.starts_with("/safety/hazards?"),
            "not on the hazard list: {path}"
        );
        b.expect_text("main", &format!("共 {value} 条")).await?;
        b.close().await?;
    }
    Ok(())
}
