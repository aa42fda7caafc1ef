//! Story of the inspections ledger: a township officer standing in a workshop with a phone.

use anyhow::ensure;
use e2e::{Browser, PHONE};
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::{Outcome, TONGCHUAN};

/// A real JPEG drawn by the browser itself (a red card with a white square), written to a
/// temporary folder so the file input can be given its absolute path, as a phone's camera does.
async fn photo_file(b: &Browser, dir: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    let bytes = b
        .client()
        .execute(
            "const c = document.createElement('canvas'); c.width = 64; c.height = 48;
             const g = c.getContext('2d'); g.fillStyle = '#c0392b'; g.fillRect(0, 0, 64, 48);
             g.fillStyle = '#fff'; g.fillRect(8, 8, 20, 20);
             const s = atob(c.toDataURL('image/jpeg', 0.8).split(',')[1]);
             return Array.from(s, ch => ch.charCodeAt(0));",
            vec![],
        )
        .await?;
    let bytes: Vec<u8> = serde_json::from_value(bytes)?;
    ensure!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]), "not a JPEG");
    let path = dir.join("现场照片.jpg");
    std::fs::write(&path, bytes)?;
    Ok(path)
}

/// Choose the first unit as a person does, so htmx loads the unit's checklist.
async fn choose_first_unit(b: &Browser) -> Outcome {
    b.client()
        .execute(
            "const s = document.querySelector('select[name=unit_id]'); s.selectedIndex = 1;
             s.dispatchEvent(new Event('change', {bubbles: true}));",
            vec![],
        )
        .await?;
    let started = std::time::Instant::now();
    while !b.exists("input[name^=answer_]").await? {
        ensure!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the checklist did not load for the chosen unit"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

/// Click a radio button or other control after scrolling it to the middle of the screen (the
/// phone's bottom bar would sit on top of it otherwise).
async fn tap(b: &Browser, css: &str) -> Outcome {
    let target = b.find(css).await?;
    b.client()
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&target)?],
        )
        .await?;
    target.click().await?;
    Ok(())
}

/// Story: the 潼川镇 officer, on a phone, records a routine inspection of a unit with its
/// checklist (one item not conforming, with a note), uploads a site photo taken with the phone,
/// then registers the hazard found from the inspection page with its photo, and sees it listed
/// there with its state; the hazard's own page links back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inspection_with_checklist_photo_and_hazard_on_a_phone() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    safety::units::load_demo(&app.state).await?;
    let dir = tempfile::tempdir()?;
    let b = Browser::open(PHONE).await?;
    b.login(&app.base, "tongchuan", TEST_PASSWORD).await?;

    // The township's own campaign for the month, on the whole township.
    b.goto(&app.url("/safety/campaigns/new")).await?;
    b.fill("input[name=name]", "潼川镇六月安全生产月专项检查")
        .await?;
    b.select("select[name=kind]", "rectification").await?;
    crate::set_value(&b, "input[name=ends_on]", "2026-06-30").await?;
    b.check(&format!("input[name=townships][value='{TONGCHUAN}']"))
        .await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    b.expect_text("h2", "进行中").await?;
    let campaign_path = b.path().await?;
    let campaign_path = campaign_path
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();

    b.goto(&app.url("/safety/inspections")).await?;
    b.click_and_wait("a[href='/safety/inspections/new']")
        .await?;
    choose_first_unit(&b).await?;
    crate::pick_first(&b, "select[name=campaign_id]").await?;
    // Every item conforms except the second, which the officer explains.
    b.client()
        .execute(
            "document.querySelectorAll('#checklist input[value=conform]').forEach(r => r.checked = true);",
            vec![],
        )
        .await?;
    let items = b.find_all("#checklist fieldset[data-item]").await?;
    ensure!(items.len() >= 6, "only {} checklist items", items.len());
    let second = items[1].attr("data-item").await?.unwrap_or_default();
    tap(
        &b,
        &format!("input[name=answer_{second}][value=nonconform]"),
    )
    .await?;
    b.fill(
        &format!("input[name=note_{second}]"),
        "安全管理人员未到岗，无任命文件",
    )
    .await?;
    b.select("select[name=result]", "none").await?;
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the inspection form scrolls sideways on a phone"
    );
    b.screenshot("inspection-form").await?;

    // 无问题 beside a nonconformity is refused, with the answers kept.
    b.click_and_wait("form.form button[type=submit]").await?;
    b.expect_text("body", "结果不能为“无问题”").await?;
    let kept = b
        .find(&format!("input[name=note_{second}]"))
        .await?
        .prop("value")
        .await?;
    ensure!(
        kept.as_deref() == Some("安全管理人员未到岗，无任命文件"),
        "the note was not kept: {kept:?}"
    );
    b.select("select[name=result]", "hazards_found").await?;
    b.click_and_wait("form.form button[type=submit]").await?;
    let page = b.path().await?;
    ensure!(
        page.starts_with("/safety/inspections/") && !page.ends_with("/new"),
        "not on the inspection page: {page}"
    );
    b.expect_text("#checklist", "安全管理人员未到岗").await?;
    b.expect_text("#checklist", "不符合").await?;

    // A photo from the phone, with its location.
    let photo = photo_file(&b, dir.path()).await?;
    b.find("form#upload input[type=file]")
        .await?
        .send_keys(&photo.to_string_lossy())
        .await?;
    crate::set_value(&b, "form#upload input[name=latitude]", "31.0950").await?;
    crate::set_value(&b, "form#upload input[name=longitude]", "105.0900").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.click_and_wait("form#upload button[type=submit]").await?;
    ensure!(
        b.exists("#files .gallery img").await?,
        "the uploaded photo is not shown"
    );
    b.expect_text("#files", "📍").await?;

    // The hazard found, in one step from the inspection page, with its own photo.
    b.fill(
        "form#add-hazard textarea[name=description]",
        "配电箱门未关闭，线路老化裸露",
    )
    .await?;
    crate::pick_first(&b, "form#add-hazard select[name=category_code]").await?;
    b.fill("form#add-hazard input[name=location]", "生产车间东侧")
        .await?;
    b.find("form#add-hazard input[type=file]")
        .await?
        .send_keys(&photo.to_string_lossy())
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    b.screenshot("inspection-hazard-form").await?;
    b.click_and_wait("form#add-hazard button[type=submit]")
        .await?;
    b.expect_text("#hazards ul.found", "配电箱门未关闭").await?;
    b.expect_text("#hazards ul.found", "登记").await?;
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the inspection page scrolls sideways on a phone"
    );
    b.screenshot("inspection-detail").await?;
    b.expect_text("#history", "发现一般隐患").await?;

    // The hazard carries its photo; the township's lists show both records.
    b.click_and_wait("#hazards ul.found a").await?;
    ensure!(
        b.exists("#files .gallery img").await?,
        "the hazard's photo is not on the hazard page"
    );
    b.expect_text("body", "执法检查").await?;
    b.screenshot("inspection-hazard-page").await?;
    b.goto(&app.url(&format!("/safety/inspections?township={TONGCHUAN}")))
        .await?;
    b.expect_text("table.list", "发现隐患").await?;
    b.expect_text("table.list", "潼川镇六月安全生产月专项检查")
        .await?;
    b.screenshot("inspections").await?;

    // The campaign counts the inspected unit and the hazard found.
    b.goto(&app.url(&campaign_path)).await?;
    let progress = b.text("#progress").await?;
    ensure!(
        b.text("#progress .stat:nth-child(4) .n").await? == "1",
        "the campaign does not count the hazard: {progress}"
    );
    ensure!(
        b.text("#progress .stat:nth-child(2) .n").await? == "1",
        "the campaign does not count the inspected unit: {progress}"
    );
    ensure!(
        b.horizontal_overflow().await? <= 0,
        "the campaign page scrolls sideways on a phone"
    );
    b.screenshot("campaign").await?;
    b.close().await?;
    Ok(())
}
