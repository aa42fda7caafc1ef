//! 预警叫应 in the browser: the bureau drafts a red warning at a desk, a leader approves it, it
//! is issued; on phones, a township head confirms from the message in his inbox and a village
//! contact from his list of warnings to confirm; the duty officer's page shows each confirmation
//! as it happens, without reloading.

use std::time::{Duration, Instant};

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE, column};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TONGCHUAN, submit};

/// Add a responsible person through the contacts form.
async fn add_contact(
    desk: &Browser,
    app: &TestApp,
    name: &str,
    role: &str,
    region: &str,
    mobile: &str,
    account: &str,
) -> Outcome {
    desk.goto(&app.url("/contacts/new")).await?;
    desk.fill("input[name=name]", name).await?;
    desk.select("select[name=role]", role).await?;
    desk.select("select[name=region_code]", region).await?;
    desk.fill("input[name=mobile]", mobile).await?;
    desk.fill("input[name=username]", account).await?;
    desk.click_and_wait("form.form button[type=submit]").await?;
    desk.expect_text("#notice", "已新增").await?;
    Ok(())
}

/// The state of a person's row in the live 叫应 table.
async fn call_state(b: &Browser, name: &str) -> anyhow::Result<String> {
    let row = b.table_row("#calls table", name).await?;
    Ok(column(&row, "状态").unwrap_or_default().to_string())
}

/// Wait (the page refreshes itself every 5 s) until a person's row reads `state`.
async fn until_state(b: &Browser, name: &str, state: &str) -> Outcome {
    let started = Instant::now();
    loop {
        if call_state(b, name).await? == state {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(15) {
            return Err(b
                .failure(&format!("{name} never showed {state} without a reload"))
                .await);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_confirms_a_red_warning_on_a_phone_and_the_duty_room_sees_it_live() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "disaster", TEST_PASSWORD).await?;
    add_contact(
        &desk,
        &app,
        "张镇长",
        "township_head",
        TONGCHUAN,
        "13800000001",
        "tongchuan",
    )
    .await?;
    add_contact(
        &desk,
        &app,
        "李四",
        "village_flood",
        "510722101201",
        "13800000002",
        "village",
    )
    .await?;

    // Draft.
    desk.goto(&app.url("/warning/warnings/new")).await?;
    desk.select("select[name=kind]", "rainstorm").await?;
    desk.check("input[name=level][value='1']").await?;
    desk.fill("input[name=title]", "关于做好强降雨防范工作的紧急预警")
        .await?;
    desk.fill(
        "textarea[name=content]",
        "预计今夜潼川镇有大暴雨，局地特大暴雨，山洪地质灾害风险极高。",
    )
    .await?;
    desk.fill(
        "textarea[name=actions]",
        "立即巡查隐患点，提前转移受威胁群众。",
    )
    .await?;
    desk.check(&format!("input[name=area_codes][value='{TONGCHUAN}']"))
        .await?;
    desk.screenshot("warning-new").await?;
    desk.click_and_wait("form.form button[type=submit]").await?;
    let path = desk.path().await?;
    let warning = path.split('?').next().unwrap_or_default().to_string();
    ensure!(
        warning.starts_with("/warning/warnings/"),
        "not on the warning: {path}"
    );
    desk.expect_text("h2", "草稿").await?;

    // A leader approves; the drafter issues.
    let leader = Browser::open(DESKTOP).await?;
    leader.login(&app.base, "leader", TEST_PASSWORD).await?;
    leader.goto(&app.url(&warning)).await?;
    submit(&leader, "/approve", "button[type=submit]").await?;
    leader.expect_text("h2", "已审核待发布").await?;
    desk.goto(&app.url(&warning)).await?;
    submit(&desk, "/issue", "button[type=submit]").await?;
    desk.expect_text("table.kv", "三台应急预警〔2026〕1号")
        .await?;

    // The duty room watches the 叫应 table.
    let duty = Browser::open(DESKTOP).await?;
    duty.login(&app.base, "duty", TEST_PASSWORD).await?;
    duty.goto(&app.url(&warning)).await?;
    ensure!(call_state(&duty, "张镇长").await? == "待确认");
    ensure!(call_state(&duty, "李四").await? == "待确认");
    duty.screenshot("warning-live-pending").await?;

    // 张镇长, on his phone: the message in his inbox, its link, one tap.
    let head = Browser::open(PHONE).await?;
    head.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    head.expect_text("body", "1 条预警等待您确认收到").await?;
    head.expect_text("#unread-count", "1").await?;
    head.goto(&app.url("/inbox")).await?;
    head.click_and_wait("ul.messages li.unread a").await?;
    head.click_and_wait("a.btn.big").await?;
    ensure!(
        head.path().await?.starts_with("/ack/"),
        "the message links to the confirmation page"
    );
    let overflow = head.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the confirmation page scrolls sideways by {overflow}px"
    );
    head.screenshot("warning-ack").await?;
    head.click_and_wait("form button.btn.big").await?;
    head.expect_text("#ack-result", "已确认收到").await?;
    head.screenshot("warning-ack-done").await?;

    // The duty officer's page changes by itself.
    until_state(&duty, "张镇长", "已确认").await?;
    let row = duty.table_row("#calls table", "张镇长").await?;
    ensure!(column(&row, "方式") == Some("消息链接"), "{row:?}");
    ensure!(call_state(&duty, "李四").await? == "待确认");

    // 李四 confirms from his list on his phone.
    let village = Browser::open(PHONE).await?;
    village.login(&app.base, "village", TEST_PASSWORD).await?;
    village.goto(&app.url("/warning/my")).await?;
    village
        .expect_text(".ack-card", "关于做好强降雨防范工作的紧急预警")
        .await?;
    let overflow = village.horizontal_overflow().await?;
    ensure!(overflow <= 0, "the list scrolls sideways by {overflow}px");
    village.screenshot("warning-my").await?;
    village.click_and_wait(".ack-card button.btn.big").await?;
    village.expect_text("body", "没有等待确认的预警").await?;

    until_state(&duty, "李四", "已确认").await?;
    duty.expect_text(".tally", "已确认 2").await?;
    duty.screenshot("warning-live-confirmed").await?;

    for b in [desk, leader, duty, head, village] {
        b.close().await?;
    }
    Ok(())
}
