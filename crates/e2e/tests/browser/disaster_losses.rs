//! 灾情报告: at the desk the county opens a 风雹 process and its first 续报; on a 390 px phone
//! 塔山镇's staff enter their figures, get 成灾面积不能大于受灾面积 beside the field with what
//! they typed kept, fix it and submit; the county's report page then shows 塔山镇 已报送.

use anyhow::ensure;
use e2e::{Browser, DESKTOP, Viewport};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TASHAN, TONGCHUAN};

/// The phone of the brief: 390 px wide.
const PHONE_390: Viewport = Viewport {
    name: "phone390",
    width: 390,
    height: 844,
};

async fn value_of(b: &Browser, css: &str) -> anyhow::Result<String> {
    let v = b
        .client()
        .execute(
            "return document.querySelector(arguments[0]).value;",
            vec![css.into()],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_township_enters_its_update_report_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;

    // At the desk: the county opens a 风雹 process for 潼川镇 and 塔山镇, then its first 续报.
    let desk = Browser::open(DESKTOP).await?;
    desk.login(&app.base, "disaster", TEST_PASSWORD).await?;
    desk.goto(&app.url("/disaster/processes/new")).await?;
    desk.fill("input[name=name]", "“6·1”风雹灾害").await?;
    desk.select("select[name=main_type]", "hail").await?;
    desk.check(&format!("input[name=townships][value='{TONGCHUAN}']"))
        .await?;
    desk.check(&format!("input[name=townships][value='{TASHAN}']"))
        .await?;
    desk.screenshot("disaster-process-new").await?;
    desk.click_and_wait("#save-process").await?;
    desk.expect_text("h2", "“6·1”风雹灾害").await?;
    desk.expect_text("#reports", "初报").await?;
    desk.screenshot("disaster-process").await?;
    desk.select("select[name=stage]", "update").await?;
    desk.click_and_wait("#open-report").await?;
    let path = desk.path().await?;
    let report = path.split('?').next().unwrap_or_default().to_string();
    ensure!(
        report.starts_with("/disaster/reports/"),
        "not on the report: {report}"
    );
    desk.expect_text("h2", "续报").await?;

    // On the phone: 塔山镇 enters its figures.
    let phone = Browser::open(PHONE_390).await?;
    phone.login(&app.base, "tashan", TEST_PASSWORD).await?;
    let form = format!("{report}/townships/{TASHAN}");
    phone.goto(&app.url(&form)).await?;
    phone.expect_text("h2", "塔山镇").await?;
    phone.fill("#f-affected_people", "860").await?;
    phone.fill("#f-crop_affected", "12.5").await?;
    phone.fill("#f-crop_failed", "20").await?;
    phone.fill("#f-loss_total", "48.6").await?;
    phone.click_and_wait("#submit-entry").await?;
    phone
        .expect_text("#e-crop_failed", "成灾面积不能大于受灾面积")
        .await?;
    ensure!(
        value_of(&phone, "#f-crop_failed").await? == "20"
            && value_of(&phone, "#f-affected_people").await? == "860",
        "the typed values were not kept"
    );
    let overflow = phone.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the entry form scrolls sideways by {overflow}px"
    );
    phone.screenshot("disaster-entry-error").await?;
    phone
        .client()
        .execute(
            "document.querySelector('#f-crop_affected').scrollIntoView({block: 'center'});",
            vec![],
        )
        .await?;
    phone.screenshot("disaster-entry-error-field").await?;

    phone.fill("#f-crop_failed", "6.2").await?;
    phone.click_and_wait("#submit-entry").await?;
    phone.expect_text("#entry-status", "已报送").await?;
    ensure!(
        value_of(&phone, "#f-crop_failed").await? == "6.20",
        "saved as 6.20 hectares"
    );
    phone.screenshot("disaster-entry-submitted").await?;

    // The county sees 塔山镇 submitted; the report page reads on a phone too.
    desk.goto(&app.url(&report)).await?;
    desk.expect_text("#townships", "已报送").await?;
    desk.screenshot("disaster-report").await?;
    phone.goto(&app.url(&report)).await?;
    let overflow = phone.horizontal_overflow().await?;
    ensure!(
        overflow <= 0,
        "the report page scrolls sideways by {overflow}px"
    );
    phone.screenshot("disaster-report").await?;
    desk.close().await?;
    phone.close().await?;
    Ok(())
}
