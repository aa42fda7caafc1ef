//! 卫星热点 in the browser: at a desk the county's fire office generates the demo township
//! areas and receives a FIRMS file; 潼川镇's duty officer finds the check on her phone's home
//! page, first forgets the type and is told so, then answers 农事用火 with a photo; the desk's
//! page of the hotspot shows the answer and the photo.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use platform::access::Actor;
use platform::contacts::store::{self as contacts, ContactInput};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TONGCHUAN};

/// One MODIS pixel in the middle of 潼川镇's (approximate) area, 08:30 China time.
const FIRMS: &str = "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight
31.0843,105.0895,326.4,1.1,1.0,2026-06-01,0030,T,MODIS,74,6.1NRT,294.3,23.9,D
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_answers_a_hotspot_check_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let input = ContactInput {
        name: Some("王值班".into()),
        role: Some("township_duty".into()),
        region_code: Some(TONGCHUAN.into()),
        mobile: Some("13800000001".into()),
        username: Some("tongchuan".into()),
        ..Default::default()
    };
    contacts::create(&app.state, &Actor::command_line(), &input).await?;

    // At the desk: the demo areas, then the file.
    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "disaster", TEST_PASSWORD).await?;
    desk.goto(&app.url("/fire/areas")).await?;
    desk.click_and_wait("form[action='/fire/areas/demo'] button")
        .await?;
    desk.goto(&app.url("/fire/hotspots")).await?;
    let csv = std::env::temp_dir().join(format!("firms-{}.csv", std::process::id()));
    std::fs::write(&csv, FIRMS)?;
    desk.find("input[name=file]")
        .await?
        .send_keys(&csv.to_string_lossy())
        .await?;
    desk.click_and_wait("#upload-firms").await?;
    desk.expect_text("#receipt", "新热点 1 个").await?;
    desk.expect_text("#hotspots", "潼川镇").await?;
    desk.expect_text("#approximate", "近似范围").await?;
    desk.screenshot("hotspots-received").await?;

    // On her phone: the home page says what is waiting; its link opens the check.
    let town = Browser::open(PHONE).await?;
    town.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    town.expect_text("body", "等待您核查反馈").await?;
    town.click_and_wait("a[href^='/fire/hotspots/answer/']")
        .await?;
    town.expect_text("h1", "潼川镇 卫星热点 2026-001").await?;
    let overflow = town.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the check page scrolls sideways by {overflow}px"
    );
    town.screenshot("hotspot-answer-phone").await?;
    // The type forgotten: told so, the measures typed are kept.
    town.fill("textarea[name=measures]", "村民焚烧秸秆，已扑灭并批评教育")
        .await?;
    town.click_and_wait("#send-answer").await?;
    town.expect_text(".q.invalid .error", "请选择核查结果类型")
        .await?;
    town.expect_text("textarea[name=measures]", "村民焚烧秸秆")
        .await?;
    town.check("input[name=verdict][value=farming]").await?;
    town.attach_photo("input[name=photos]", "现场.png").await?;
    town.click_and_wait("#send-answer").await?;
    town.expect_text("#answer-result", "已反馈：农事用火")
        .await?;
    town.screenshot("hotspot-answered-phone").await?;

    // Back at the desk: the answer and its photo.
    desk.goto(&app.url("/fire/hotspots")).await?;
    desk.click_and_wait("#hotspots a[href^='/fire/hotspots/']")
        .await?;
    desk.expect_text("#stage", "已反馈").await?;
    desk.expect_text("#answer", "村民焚烧秸秆").await?;
    ensure!(
        desk.exists("#answer .gallery img").await?,
        "the photo is not shown"
    );
    desk.screenshot("hotspot-detail").await?;
    let _ = std::fs::remove_file(csv);
    for b in [desk, town] {
        b.close().await?;
    }
    Ok(())
}
