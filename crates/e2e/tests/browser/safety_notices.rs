//! 函件 in the browser: the bureau sends a 安全提示函 at a desk, a township answers it on a phone,
//! and the bureau's recipient table shows who answered.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE, column};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TASHAN, TONGCHUAN, set_value, submit};

/// The state cell of a recipient in the letter's recipient table.
async fn recipient_state(b: &Browser, name: &str) -> anyhow::Result<String> {
    let row = b.table_row("table.recipients", name).await?;
    Ok(column(&row, "状态").unwrap_or_default().to_string())
}

/// Story: `safety` drafts a 安全提示函 to 潼川镇 and 塔山镇 and sends it (it gets its number);
/// `tongchuan`, on a phone, sees it unread in the inbox, opens it and replies; back at the desk,
/// 潼川镇 shows 已回复 and 塔山镇 未读; the letter prints on a clean page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_safety_reminder_is_sent_and_answered_from_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "safety", TEST_PASSWORD).await?;
    desk.goto(&app.url("/safety/notices/new")).await?;
    desk.select("select[name=kind]", "reminder").await?;
    desk.fill(
        "input[name=title]",
        "关于做好端午节期间安全防范工作的提示函",
    )
    .await?;
    desk.fill(
        "textarea[name=content]",
        "端午节将至，请加强人员密集场所、道路交通和水上安全隐患排查，落实值班值守。",
    )
    .await?;
    desk.check(&format!("input[name=townships][value='{TONGCHUAN}']"))
        .await?;
    desk.check(&format!("input[name=townships][value='{TASHAN}']"))
        .await?;
    set_value(&desk, "input[name=reply_due_on]", "2026-06-05").await?;
    desk.screenshot("notice-new").await?;
    desk.click_and_wait("form.form button[type=submit]").await?;
    let notice_path = desk.path().await?;
    let notice_path = notice_path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    ensure!(
        notice_path.starts_with("/safety/notices/"),
        "not on the letter's page: {notice_path}"
    );
    submit(&desk, "/send", "button[type=submit]").await?;
    desk.expect_text("body", "函件已发出").await?;
    desk.expect_text("table.kv", "三台应急提〔2026〕1号")
        .await?;
    ensure!(recipient_state(&desk, "潼川镇").await?.contains("未读"));
    desk.screenshot("notice-sent").await?;

    let phone = Browser::open(PHONE).await?;
    phone.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    phone.expect_text("body", "1 份函件待回复").await?;
    phone.goto(&app.url("/safety/inbox")).await?;
    phone.expect_text("h2", "1 份未读").await?;
    phone
        .expect_text(".inbox-item.unread", "端午节期间安全防范")
        .await?;
    let overflow = phone.horizontal_overflow().await?;
    ensure!(overflow <= 0, "the inbox scrolls sideways by {overflow}px");
    phone.screenshot("notice-inbox").await?;
    phone.click_and_wait(".inbox-item.unread a").await?;
    phone.expect_text("#reply", "已读").await?;
    phone
        .fill(
            "textarea[name=reply]",
            "已传达部署，组织对辖区景区和渡口开展检查，整改隐患 2 处。",
        )
        .await?;
    let overflow = phone.horizontal_overflow().await?;
    ensure!(overflow <= 0, "the letter scrolls sideways by {overflow}px");
    phone.screenshot("notice-reply").await?;
    phone
        .click_and_wait("#reply form button[type=submit]")
        .await?;
    phone.expect_text("body", "回复已提交").await?;
    phone.expect_text("#reply", "已回复").await?;
    phone.screenshot("notice-replied").await?;
    phone.goto(&app.url("/safety/inbox")).await?;
    ensure!(
        !phone.body_text().await?.contains("份未读"),
        "the inbox still counts the letter unread"
    );
    phone.close().await?;

    desk.goto(&app.url(&notice_path)).await?;
    let tongchuan = recipient_state(&desk, "潼川镇").await?;
    ensure!(tongchuan.contains("已回复"), "潼川镇: {tongchuan}");
    let tashan = recipient_state(&desk, "塔山镇").await?;
    ensure!(tashan.contains("未读"), "塔山镇: {tashan}");
    desk.expect_text("table.recipients", "整改隐患 2 处")
        .await?;
    desk.screenshot("notice-recipients").await?;
    desk.goto(&app.url(&format!("{notice_path}/print"))).await?;
    desk.expect_text("article", "潼川镇、塔山镇：").await?;
    desk.screenshot("notice-print").await?;
    desk.close().await?;
    Ok(())
}
