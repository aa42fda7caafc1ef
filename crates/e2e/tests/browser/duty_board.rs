//! 值班值守 in the browser: the duty room sets up a flood-season period and rosters two of its
//! three days at a desk; the calendar shows the third day in red; on a phone (375 px) an
//! officer on duty reads the calendar and records a call on today's board, left open.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use yingji::testing::{TEST_PASSWORD, TestApp};

use crate::{COUNTY, Outcome};

/// A duty officer's account (made by the administrator's store, as the CLI would).
async fn officer(app: &TestApp, username: &str, name: &str) -> anyhow::Result<String> {
    use platform::access::Actor;
    use platform::users::store::{self as users, UserInput};
    let input = UserInput {
        username: username.into(),
        display_name: name.into(),
        phone: None,
        region_code: COUNTY.into(),
        department_id: None,
        roles: vec!["duty_officer".into()],
        password: Some(TEST_PASSWORD.into()),
        version: None,
        enabled: Some(true),
    };
    let (user, _) = users::create(&app.state, &Actor::command_line(), &input).await?;
    users::mark_password_changed(&app.state.db, user.id).await?;
    Ok(user.id.to_string())
}

/// Choose an option of a select by its text, as a person does.
async fn choose(b: &Browser, css: &str, text: &str) -> Outcome {
    let found = b
        .client()
        .execute(
            "const s = document.querySelector(arguments[0]); \
             const o = [...s.options].find(o => o.text.trim() === arguments[1]); \
             if (!o) return false; s.value = o.value; return true;",
            vec![css.into(), text.into()],
        )
        .await?;
    ensure!(found.as_bool() == Some(true), "no option {text} in {css}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gap_shows_red_and_an_officer_logs_a_call_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&yingji::testing::Backend::Sqlite).await?;
    let first = officer(&app, "officer1", "值班员甲").await?;
    let second = officer(&app, "officer2", "值班员乙").await?;

    // At the desk: a three-day period, then the first two days' shifts.
    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "duty", TEST_PASSWORD).await?;
    desk.goto(&app.url("/duty/periods/new")).await?;
    desk.fill("input[name=name]", "2026年防汛值班（试行）")
        .await?;
    desk.fill("input[name=starts_on]", "2026-06-01").await?;
    desk.fill("input[name=ends_on]", "2026-05-30").await?;
    desk.click_and_wait("form.form button[type=submit]").await?;
    desk.expect_text(".field.invalid .error", "结束日期不能早于开始日期")
        .await?;
    desk.screenshot("duty-period-error").await?;
    desk.fill("input[name=ends_on]", "2026-06-03").await?;
    desk.click_and_wait("form.form button[type=submit]").await?;
    let calendar = desk.path().await?;
    ensure!(
        calendar.starts_with("/duty/periods/"),
        "after saving: {calendar}"
    );
    desk.expect_text("#notice", "已新增").await?;
    for day in ["2026-06-01", "2026-06-02"] {
        desk.click_and_wait(&format!("a.duty-shift[data-day='{day}']"))
            .await?;
        choose(&desk, "select[name=leader_id]", "陈局长").await?;
        desk.check(&format!("input[name=officer_ids][value='{first}']"))
            .await?;
        desk.check(&format!("input[name=officer_ids][value='{second}']"))
            .await?;
        desk.click_and_wait("form.form button[type=submit]").await?;
        desk.expect_text("#notice", "已保存").await?;
    }
    desk.expect_text("#gaps", "缺岗 1 个班次").await?;
    desk.expect_text("#gaps", "2026-06-03").await?;
    let gap = "a.duty-shift.gap[data-day='2026-06-03']";
    ensure!(desk.exists(gap).await?, "3 June is not marked as a gap");
    ensure!(
        !desk
            .exists("a.duty-shift.gap[data-day='2026-06-01']")
            .await?,
        "1 June is full but marked as a gap"
    );
    let colour = desk.computed(gap, "background-color").await?;
    ensure!(colour == "rgb(255, 241, 240)", "gap background: {colour}");
    let note = desk.computed(&format!("{gap} .gap-note"), "color").await?;
    ensure!(note == "rgb(207, 19, 34)", "gap note colour: {note}");
    desk.screenshot("duty-calendar-gap").await?;
    desk.close().await?;

    // On a phone: the officer on duty (it is 09:00 on 1 June) reads the calendar…
    let phone = Browser::open(PHONE).await?;
    phone.login(&app.base, "officer1", TEST_PASSWORD).await?;
    phone
        .goto(&app.url(&format!("{calendar}?month=2026-06")))
        .await?;
    ensure!(
        phone.is_visible(gap).await?,
        "the gap is not visible on a phone"
    );
    let overflow = phone.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the calendar scrolls sideways by {overflow}px"
    );
    phone.screenshot("duty-calendar-phone").await?;

    // …and records a call on today's board, left open for the next shift.
    phone.goto(&app.url("/duty/today")).await?;
    phone.expect_text("#on-duty-leader", "陈局长").await?;
    phone.select("select[name=kind]", "incoming_call").await?;
    phone.fill("input[name=at]", "2026-06-01 08:50").await?;
    phone.fill("input[name=from_party]", "芦溪镇应急办").await?;
    phone
        .fill(
            "textarea[name=content]",
            "石板村一处边坡出现裂缝，已组织12户群众撤离。",
        )
        .await?;
    // Scrolled to the middle first, as a thumb does, clear of the bottom bar.
    phone
        .client()
        .execute(
            "document.querySelector('input[name=open]').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    phone.check("input[name=open]").await?;
    phone
        .click_and_wait("form[action='/duty/logs'] button[type=submit]")
        .await?;
    phone.expect_text("#notice", "已新增").await?;
    phone
        .expect_text("#shift-log", "石板村一处边坡出现裂缝")
        .await?;
    phone.expect_text("#open-matters", "芦溪镇应急办").await?;
    let overflow = phone.horizontal_overflow().await?;
    ensure!(overflow <= 0, "the board scrolls sideways by {overflow}px");
    phone
        .client()
        .execute(
            "document.querySelector('#shift-log').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await?;
    phone.screenshot("duty-board-phone").await?;
    phone.close().await?;
    Ok(())
}
