//! 每日调度 in the browser: the duty room starts today's dispatch at a desk; 潼川镇's duty
//! officer finds it on her phone's home page, first forgets a question and is told which, then
//! answers; the duty room's page shows the answer (and the danger reported) without reloading.

use std::time::{Duration, Instant};

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE, column};
use platform::access::Actor;
use platform::contacts::store::{self as contacts, ContactInput};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TASHAN, TONGCHUAN};

async fn contact(app: &TestApp, name: &str, region: &str, username: Option<&str>) -> Outcome {
    let input = ContactInput {
        name: Some(name.into()),
        role: Some("township_duty".into()),
        region_code: Some(region.into()),
        mobile: Some("13800000001".into()),
        username: username.map(Into::into),
        ..Default::default()
    };
    contacts::create(&app.state, &Actor::command_line(), &input).await?;
    Ok(())
}

/// The status cell of a township's line in the live table.
async fn status(b: &Browser, township: &str) -> anyhow::Result<String> {
    let row = b.table_row("#units table", township).await?;
    Ok(column(&row, "状态").unwrap_or_default().to_string())
}

/// Wait (the page refreshes itself every 5 s) until a township's line reads `expected`.
async fn until_status(b: &Browser, township: &str, expected: &str) -> Outcome {
    let started = Instant::now();
    loop {
        if status(b, township).await? == expected {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(15) {
            return Err(b
                .failure(&format!(
                    "{township} never showed {expected} without a reload"
                ))
                .await);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_answers_the_dispatch_on_a_phone_and_the_duty_room_sees_it_live() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    contact(&app, "王值班", TONGCHUAN, Some("tongchuan")).await?;
    contact(&app, "赵值班", TASHAN, None).await?;

    // At the desk: today's dispatch, started with the defaults.
    let duty = Browser::open(DESKTOP).await?;
    duty.login(&app.base, "duty", TEST_PASSWORD).await?;
    duty.goto(&app.url("/duty/dispatch")).await?;
    duty.screenshot("dispatch-start").await?;
    duty.click_and_wait("#start-dispatch").await?;
    ensure!(
        duty.path().await?.starts_with("/duty/dispatch/"),
        "after starting: {}",
        duty.path().await?
    );
    ensure!(status(&duty, "潼川镇").await? == "待回复");
    ensure!(status(&duty, "塔山镇").await? == "待回复");
    duty.expect_text(".tally", "调度 2 个单位").await?;

    // On her phone: the home page says what is waiting; its link opens the questions.
    let town = Browser::open(PHONE).await?;
    town.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    town.expect_text("body", "今日调度等待您回复").await?;
    town.click_and_wait("a[href^='/duty/dispatch/answer/']")
        .await?;
    town.expect_text("h1", "防汛每日调度").await?;
    let overflow = town.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the answer page scrolls sideways by {overflow}px"
    );
    town.screenshot("dispatch-answer-phone").await?;
    // The number of people moved is left empty: the page says which question is missing.
    town.check("input[name=q_on_post][value=yes]").await?;
    town.check("input[name=q_danger][value=yes]").await?;
    town.click_and_wait("#send-answer").await?;
    town.expect_text("[data-question=evacuated] .error", "请回答")
        .await?;
    ensure!(
        town.exists("input[name=q_danger][value=yes]:checked")
            .await?,
        "the answers already given are kept"
    );
    town.fill("input[name=q_evacuated]", "12").await?;
    town.fill("textarea[name=q_other]", "龙树村滑坡体出现裂缝，已转移12人")
        .await?;
    town.click_and_wait("#send-answer").await?;
    town.expect_text("#answer-result", "已回复").await?;
    town.expect_text(".given .alarm", "是").await?;
    town.screenshot("dispatch-answered-phone").await?;

    // The duty room's page changes by itself, the danger marked.
    until_status(&duty, "潼川镇", "已回复").await?;
    let row = duty.table_row("#units table", "潼川镇").await?;
    ensure!(
        column(&row, "回复内容").is_some_and(|a| a.contains("今日转移避险人数：12")),
        "{row:?}"
    );
    ensure!(
        duty.exists("tr.alarm[data-unit='510722101000']").await?,
        "the danger reported is not marked"
    );
    ensure!(status(&duty, "塔山镇").await? == "待回复");
    duty.expect_text(".tally", "已回复 1").await?;
    duty.screenshot("dispatch-live").await?;

    for b in [duty, town] {
        b.close().await?;
    }
    Ok(())
}
