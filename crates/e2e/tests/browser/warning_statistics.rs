//! Warning statistics story: a leader opens 预警 → 统计分析 on a desktop and on a phone; the
//! figures are cards, the 叫应 table scrolls in its own box, and a figure opens its list.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::Outcome;

/// Story: 局领导 opens the warning statistics from the menu; every section and the 叫应 table
/// are there; nothing scrolls sideways at 375px; tapping 发布预警 opens the warning list with
/// exactly that many.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_reads_the_warning_figures_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    for viewport in [DESKTOP, PHONE] {
        let b = Browser::open(viewport).await?;
        b.login(&app.base, "leader", TEST_PASSWORD).await?;
        b.goto(&app.url("/warning/statistics?from=2026-01-01&to=2026-06-01"))
            .await?;
        for title in ["预警发布", "上级预警", "风险会商", "叫应情况", "合计"] {
            b.expect_text("main", title).await?;
        }
        ensure!(
            b.horizontal_overflow().await? <= 0,
            "the warning statistics page scrolls sideways at {}px",
            viewport.width
        );
        b.screenshot("warning-statistics").await?;

        let figure = "a.figure[href^='/warning/warnings?']";
        let value = b.text(&format!("{figure} .value")).await?;
        b.click_and_wait(figure).await?;
        let path = b.path().await?;
        ensure!(
            path.starts_with("/warning/warnings?"),
            "not on the warning list: {path}"
        );
        b.expect_text("main", &format!("共 {value} 条")).await?;
        b.close().await?;
    }
    Ok(())
}
