//! 巡查点位: the county's fire staff add a checkpoint at a desk and get its QR code; on a
//! phone, 潼川镇's staff open the code's link, log in, come back to the scan page and check in
//! (no position in a headless browser: 未取得位置, the check-in still counts); a second scan at
//! once says 已签到; a forged code says 二维码无效; a tour assigned at the desk shows done.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TONGCHUAN};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_checks_in_at_a_checkpoint_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;

    // At the desk: a checkpoint, then its QR code.
    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "disaster", TEST_PASSWORD).await?;
    desk.goto(&app.url("/fire/checkpoints/new")).await?;
    desk.select("select[name=township]", TONGCHUAN).await?;
    desk.fill("input[name=name]", "琴泉寺林区入口").await?;
    desk.fill("input[name=lon]", "105.0880").await?;
    desk.fill("input[name=lat]", "31.1050").await?;
    desk.click_and_wait("#save-checkpoint").await?;
    desk.expect_text("h2", "琴泉寺林区入口").await?;
    ensure!(
        desk.exists(".qr-box svg").await?,
        "no QR code on the checkpoint page"
    );
    desk.screenshot("patrols-checkpoint").await?;
    let link = desk.text(".qr-box .link").await?;
    let token = link
        .rsplit('/')
        .next()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    ensure!(token.len() == 32, "the link {link:?}");
    desk.goto(&app.url(&format!("/fire/checkpoints/sheet?township={TONGCHUAN}")))
        .await?;
    desk.expect_text(".qr-card", "琴泉寺林区入口").await?;
    desk.screenshot("patrols-sheet").await?;

    // On a phone: the code's link asks for the login, then comes back to the scan page.
    let phone = Browser::open(PHONE).await?;
    let scan = format!("/fire/scan/{token}");
    phone.goto(&app.url(&scan)).await?;
    ensure!(
        phone.path().await?.starts_with("/login"),
        "not asked to log in: {}",
        phone.path().await?
    );
    phone.fill("input[name=username]", "tongchuan").await?;
    phone.fill("input[name=password]", TEST_PASSWORD).await?;
    phone
        .click_and_wait("form[action='/login'] button[type=submit]")
        .await?;
    phone.expect_path(&scan).await?;
    phone.expect_text("h1", "琴泉寺林区入口").await?;
    phone.expect_text("#geo-status", "位置").await?;
    let overflow = phone.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the scan page scrolls sideways by {overflow}px"
    );
    phone.screenshot("patrols-scan").await?;
    phone.click_and_wait("#check-in").await?;
    phone.expect_text("#scan-result", "签到成功").await?;
    phone.expect_text("#scan-result", "潼川镇应急办").await?;
    phone.screenshot("patrols-scanned").await?;

    // Scanned again at once: the same visit.
    phone.goto(&app.url(&scan)).await?;
    phone.click_and_wait("#check-in").await?;
    phone.expect_text("#scan-result", "已签到（09:00）").await?;
    // A forged code.
    phone.goto(&app.url("/fire/scan/not-a-checkpoint")).await?;
    phone.expect_text("#scan-refusal", "二维码无效").await?;
    phone.screenshot("patrols-forged").await?;

    // The desk sees one check-in.
    desk.goto(&app.url("/fire/checkins")).await?;
    let rows = desk.table_rows("#checkins").await?;
    ensure!(rows.len() == 1, "{rows:?}");
    ensure!(
        rows[0].iter().any(|c| c.contains("潼川镇应急办")),
        "{rows:?}"
    );

    desk.screenshot("patrols-checkins").await?;

    // 分片包干: 潼川镇's staff assigned to their township from today; their scan makes it done.
    desk.goto(&app.url("/fire/tours/new")).await?;
    desk.select("select[name=township]", TONGCHUAN).await?;
    desk.fill("input[name=user]", "tongchuan").await?;
    desk.click_and_wait("form[action='/fire/tours'] button[type=submit]")
        .await?;
    desk.expect_text("#tours", "已完成").await?;
    desk.expect_text("#overall-rate", "100.0%").await?;
    desk.screenshot("patrols-tours").await?;

    for b in [desk, phone] {
        b.close().await?;
    }
    Ok(())
}
