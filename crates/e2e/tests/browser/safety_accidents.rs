//! Accident stories: a township officer reports an accident on a phone and revises its
//! casualties; the county's safety officer finds it in the filtered list on a desktop.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TONGCHUAN, set_value, submit};

/// The tags beside an accident's number.
async fn accident_tags(b: &Browser) -> anyhow::Result<String> {
    let mut texts = Vec::new();
    for tag in b.find_all("h2 .tag").await? {
        texts.push(tag.text().await?);
    }
    Ok(texts.join(" "))
}

/// Story: on a phone, 潼川镇应急办 reports a poisoning with 3 deaths that reached the bureau
/// 2 h 25 min after it happened: the page grades it 较大 and flags it 迟报 1小时25分; a fourth
/// victim dies and the officer files a 续报 with the reason, which the revision history and the
/// timeline show. On a desktop, 刘安监 filters the county's list to 潼川镇, 较大, late reports and
/// finds it with the totals line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_reports_an_accident_on_a_phone_and_the_county_finds_it() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let b = Browser::open(PHONE).await?;
    b.login(&app.base, "tongchuan", TEST_PASSWORD).await?;

    // The test clock says 2026-06-01 09:00 in China.
    b.goto(&app.url("/safety/accidents/new")).await?;
    set_value(&b, "input[name=occurred_at]", "2026-06-01T06:00").await?;
    set_value(&b, "input[name=reported_at]", "2026-06-01T08:25").await?;
    b.select("select[name=region_code]", TONGCHUAN).await?;
    b.fill("input[name=place]", "某食品厂污水处理池").await?;
    b.fill("input[name=party_name]", "三台县某食品有限公司")
        .await?;
    b.select("select[name=type_code]", "GB6441-1986/19").await?;
    b.fill("input[name=deaths]", "3").await?;
    b.fill("input[name=minor_injuries]", "1").await?;
    b.fill("input[name=direct_loss_yuan]", "4200000").await?;
    b.fill(
        "textarea[name=summary]",
        "清淤作业人员在污水池内晕倒，两名同事盲目施救相继中毒",
    )
    .await?;
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the report form scrolls sideways on a phone"
    );
    b.screenshot("accident-new-phone").await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    let path = b.path().await?;
    ensure!(
        path.starts_with("/safety/accidents/") && !path.ends_with("/new"),
        "not on the accident page: {path}"
    );
    let tags = accident_tags(&b).await?;
    ensure!(tags.contains("较大事故"), "grade: {tags}");
    ensure!(tags.contains("迟报 1小时25分"), "late flag: {tags}");
    ensure!(
        b.computed("h2 .tag.yellow", "color").await?.contains("173"),
        "the 较大 tag is not yellow"
    );
    b.screenshot("accident-reported-phone").await?;

    // 续报: a fourth death.
    set_value(&b, "form[action$='/revise'] input[name=deaths]", "4").await?;
    b.fill(
        "form[action$='/revise'] input[name=reason]",
        "一名伤者经抢救无效死亡",
    )
    .await?;
    submit(&b, "/revise", "button[type=submit]").await?;
    b.expect_text("#revisions", "一名伤者经抢救无效死亡")
        .await?;
    b.expect_text("#revisions", "死亡 3 失踪 0 重伤 0 轻伤 1 → 死亡 4")
        .await?;
    b.expect_text("#history", "续报").await?;
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the accident page scrolls sideways on a phone"
    );
    b.screenshot("accident-revised-phone").await?;
    b.client()
        .execute(
            "document.querySelector('#revisions').scrollIntoView();",
            vec![],
        )
        .await?;
    b.screenshot("accident-revisions-phone").await?;
    b.close().await?;

    let d = Browser::open(DESKTOP).await?;
    d.login(&app.base, "safety", TEST_PASSWORD).await?;
    d.goto(&app.url("/safety/accidents")).await?;
    d.select("select[name=township]", TONGCHUAN).await?;
    d.select("select[name=grade]", "larger").await?;
    d.check("input[name=late]").await?;
    d.click_and_wait("form.search button[type=submit]").await?;
    let rows = d.table_rows("table.list").await?;
    ensure!(rows.len() == 1, "one accident expected: {rows:?}");
    ensure!(
        rows[0].iter().any(|c| c.contains("SG2026-0001")),
        "the accident is not listed: {rows:?}"
    );
    d.expect_text("#totals", "起数 1 起，死亡 4 人").await?;
    d.screenshot("accident-list-desktop").await?;

    // Another grade leaves the list empty.
    d.goto(&app.url(&format!(
        "/safety/accidents?township={TONGCHUAN}&grade=ordinary"
    )))
    .await?;
    d.expect_text("table.list", "暂无事故记录").await?;
    d.close().await?;
    Ok(())
}
