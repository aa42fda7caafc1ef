//! Browser story of the enforcement ledger (行政执法案件), on a phone.

use anyhow::ensure;
use e2e::{Browser, PHONE};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, hazard_state, pick_first, set_value, submit};

/// Type into the `n`th of several inputs sharing a name (the officers' boxes).
async fn fill_nth(b: &Browser, css: &str, n: usize, value: &str) -> Outcome {
    b.client()
        .execute(
            "const e = document.querySelectorAll(arguments[0])[arguments[1]]; e.value = arguments[2]; e.dispatchEvent(new Event('change'));",
            vec![css.into(), n.into(), value.into()],
        )
        .await?;
    Ok(())
}

/// Tick a check box after scrolling it clear of the phone's bottom bar.
async fn tick(b: &Browser, css: &str) -> Outcome {
    b.client()
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
            vec![css.into()],
        )
        .await?;
    b.check(css).await
}

async fn expect_state(b: &Browser, label: &str) -> Outcome {
    let state = hazard_state(b).await?;
    ensure!(state.contains(label), "state: {state}, expected {label}");
    Ok(())
}

/// Story: on a phone, the county's safety officer files a case against a demo unit (with only
/// one officer first: refused, nothing lost), investigates, serves the notice, is refused a
/// decision inside the response period, records the party's written waiver, decides a fine with
/// a warning (the decision gets its document number), records a partial payment, is refused
/// closing while the fine is unpaid, records the rest and closes the case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enforcement_case_is_filed_and_closed_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    safety::units::load_demo(&app.state).await?;
    let b = Browser::open(PHONE).await?;
    b.login(&app.base, "safety", TEST_PASSWORD).await?;

    b.goto(&app.url("/safety/enforcement/new")).await?;
    pick_first(&b, "select[name=unit_id]").await?;
    b.fill(
        "textarea[name=cause]",
        "未对安全设备进行经常性维护、保养和定期检测",
    )
    .await?;
    b.fill(
        "textarea[name=legal_basis]",
        "《中华人民共和国安全生产法》第九十九条",
    )
    .await?;
    fill_nth(&b, "input[name=officers]", 0, "张明").await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    b.expect_text(".field.invalid .error", "执法人员不得少于两人")
        .await?;
    let kept = b.find("textarea[name=cause]").await?.prop("value").await?;
    ensure!(
        kept.as_deref() == Some("未对安全设备进行经常性维护、保养和定期检测"),
        "the cause was not kept: {kept:?}"
    );
    fill_nth(&b, "input[name=officers]", 1, "李华").await?;
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the case form scrolls sideways on a phone"
    );
    b.screenshot("enforcement-new").await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    ensure!(
        b.path().await?.starts_with("/safety/enforcement/"),
        "not on the case page: {}",
        b.path().await?
    );
    expect_state(&b, "立案").await?;
    b.expect_text("body", "AJ2026-0001").await?;

    submit(&b, "/investigate", "button[type=submit]").await?;
    expect_state(&b, "调查取证").await?;
    set_value(
        &b,
        "form[action$='/notify'] input[name=notified_on]",
        "2026-06-01",
    )
    .await?;
    submit(&b, "/notify", "button[type=submit]").await?;
    expect_state(&b, "已告知").await?;

    // Inside the response period the decision is refused, with the first day it may be made.
    set_value(
        &b,
        "form[action$='/decide'] input[name=decided_on]",
        "2026-06-01",
    )
    .await?;
    b.fill("input[name=fine_yuan]", "20000").await?;
    tick(&b, "input[name=measures][value=warning]").await?;
    submit(&b, "/decide", "button[type=submit]").await?;
    b.expect_text("body", "最早可于 2026-06-05").await?;
    b.screenshot("enforcement-decision-refused").await?;

    // The party waives in writing; the decision can then be made today.
    tick(&b, "input[name=waived]").await?;
    submit(&b, "/response", "button[type=submit]").await?;
    b.expect_text("body", "当事人书面放弃").await?;
    b.fill("input[name=fine_yuan]", "20000").await?;
    tick(&b, "input[name=measures][value=warning]").await?;
    submit(&b, "/decide", "button[type=submit]").await?;
    expect_state(&b, "已决定").await?;
    b.expect_text("body", "三台应急罚〔2026〕1号").await?;

    b.fill("input[name=amount_yuan]", "8000").await?;
    submit(&b, "/payments", "button[type=submit]").await?;
    expect_state(&b, "执行中").await?;
    b.expect_text("body", "尚欠 12000.00 元").await?;
    submit(&b, "/close", "button[type=submit]").await?;
    b.expect_text("body", "罚款尚未缴清").await?;
    b.fill("input[name=amount_yuan]", "12000").await?;
    submit(&b, "/payments", "button[type=submit]").await?;
    b.expect_text("body", "已缴清").await?;
    submit(&b, "/close", "button[type=submit]").await?;
    expect_state(&b, "已结案").await?;
    let page = b.body_text().await?;
    for text in ["送达告知书", "作出决定", "缴款", "结案", "张明、李华"] {
        ensure!(
            page.contains(text),
            "{text} is not on the closed case's page"
        );
    }
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the case page scrolls sideways on a phone"
    );
    b.screenshot("enforcement-closed").await?;

    b.goto(&app.url("/safety/enforcement")).await?;
    b.expect_text("#totals", "罚款决定 2.00 万元").await?;
    b.expect_text("#totals", "已收缴 2.00 万元").await?;
    b.screenshot("enforcement-list").await?;
    b.close().await?;
    Ok(())
}
