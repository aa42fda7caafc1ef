//! 救助名册: at the desk the county's disaster staff open the winter–spring programme; on a
//! phone 390 px wide 凤凰村's liaison builds the village's roll, types a household's ID number
//! with a wrong check digit, reads the Chinese error beside the field with everything typed
//! still there, fixes the last character and sees the household on the roll; nothing scrolls
//! sideways. The 公示 print page shows the number masked.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, Viewport};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, set_value};

/// The phone the brief names: 390 px wide.
const PHONE_390: Viewport = Viewport {
    name: "phone390",
    width: 390,
    height: 844,
};

// 510722196803091238 is valid (GB 11643); the same with 7 at the end is not.
const GOOD_ID: &str = "510722196803091238";
const WRONG_ID: &str = "510722196803091237";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_village_liaison_fixes_a_wrong_check_digit_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;

    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "disaster", TEST_PASSWORD).await?;
    desk.goto(&app.url("/disaster/relief/programmes/new"))
        .await?;
    desk.select("select[name=kind]", "winter_spring").await?;
    desk.fill("input[name=name]", "2026–2027年度冬春临时生活困难救助")
        .await?;
    desk.fill("input[name=period_label]", "2026–2027年度冬春")
        .await?;
    set_value(&desk, "input[name=starts_on]", "2026-11-01").await?;
    set_value(&desk, "input[name=ends_on]", "2027-04-30").await?;
    desk.fill("input[name=budget]", "5000000").await?;
    desk.fill("input[name=cap]", "2000").await?;
    desk.click_and_wait("#save-programme").await?;
    desk.expect_text("h2", "冬春临时生活困难救助").await?;
    desk.screenshot("relief-programme").await?;

    let phone = Browser::open(PHONE_390).await?;
    phone.login(&app.base, "village", TEST_PASSWORD).await?;
    phone.goto(&app.url("/disaster/relief/rolls")).await?;
    let options = phone.find_all("select[name=programme_id] option").await?;
    ensure!(
        options.len() == 2,
        "one programme to choose, got {}",
        options.len()
    );
    let value = options[1].attr("value").await?.unwrap_or_default();
    phone.select("select[name=programme_id]", &value).await?;
    phone.click_and_wait("#create-roll").await?;
    phone.expect_text("h2", "凤凰村").await?;

    phone
        .fill("#add-household input[name=head_name]", "王德明")
        .await?;
    phone
        .fill("#add-household input[name=id_number]", WRONG_ID)
        .await?;
    phone.fill("#add-household input[name=size]", "4").await?;
    phone
        .fill(
            "#add-household input[name=bank_account]",
            "6217000012345678",
        )
        .await?;
    phone
        .fill("#add-household input[name=reason]", "因灾缺衣少被")
        .await?;
    phone
        .fill("#add-household input[name=amount]", "1200")
        .await?;
    phone.click_and_wait("#add-household-submit").await?;
    phone
        .expect_text("#id-number-error", "校验位不正确（按前 17 位应为 8）")
        .await?;
    let kept = phone
        .find("#add-household input[name=head_name]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    ensure!(kept == "王德明", "the name typed was lost: {kept:?}");
    ensure!(
        phone.horizontal_overflow().await? <= 0,
        "the form scrolls sideways"
    );
    phone
        .client()
        .execute(
            "document.querySelector('#add-household input[name=id_number]').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    phone.screenshot("relief-wrong-check-digit").await?;

    phone
        .fill("#add-household input[name=id_number]", GOOD_ID)
        .await?;
    phone.click_and_wait("#add-household-submit").await?;
    phone.expect_text("#household-list", "王德明").await?;
    phone.expect_text("#household-list", GOOD_ID).await?;
    ensure!(
        phone.horizontal_overflow().await? <= 0,
        "the roll scrolls sideways"
    );
    phone.screenshot("relief-roll").await?;

    phone.click_and_wait("#public-print").await?;
    phone
        .expect_text("#public-list", "510722********1238")
        .await?;
    let body = phone.body_text().await?;
    ensure!(!body.contains(GOOD_ID), "the 公示 shows the full ID number");
    phone.screenshot("relief-public").await?;

    desk.goto(&app.url("/disaster/relief/rolls")).await?;
    desk.expect_text("#rolls", "凤凰村").await?;
    desk.screenshot("relief-rolls").await?;
    Ok(())
}
