//! 防火一张图 in the browser: the county's fire staff generate the demo county's approximate
//! township areas and receive two FIRMS files (the first one's hotspots overdue by the second);
//! the map draws the county and township outlines (approximate: dashed, 近似范围 in the legend)
//! with no tile server, the hotspots as coloured circles whose popup links to the hotspot, and
//! lists them below. On her phone, 潼川镇's staff see their own township and hotspot only.

use std::time::{Duration, Instant};

use anyhow::ensure;
use e2e::{Browser, DESKTOP, PHONE};
use serde_json::Value;
use yingji::testing::{Backend, TEST_PASSWORD, TestApp};

use crate::Outcome;

const HEADER: &str = "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_t31,frp,daynight";

/// A FIRMS file of MODIS pixels at (lon, lat) on 2026-06-01 at `hhmm` UTC.
fn firms(pixels: &[(f64, f64)], hhmm: &str) -> String {
    let rows: Vec<String> = pixels
        .iter()
        .map(|(lon, lat)| {
            format!("{lat},{lon},330.1,1.0,1.0,2026-06-01,{hhmm},T,MODIS,80,6.1NRT,295.0,30.2,D")
        })
        .collect();
    format!("{HEADER}\n{}\n", rows.join("\n"))
}

/// Upload a FIRMS file through the hotspots page, as the county's staff do.
async fn upload(b: &Browser, app: &TestApp, name: &str, csv: &str) -> Outcome {
    b.goto(&app.url("/fire/hotspots")).await?;
    let path = b.dir().join(name);
    std::fs::write(&path, csv)?;
    b.find("input[type=file][name=file]")
        .await?
        .send_keys(&path.to_string_lossy())
        .await?;
    b.click_and_wait("#upload-firms").await
}

/// Counts of what the map drew: (area outlines, dashed ones, hotspot circles, township labels).
async fn drawn(b: &Browser) -> anyhow::Result<(i64, i64, i64, i64)> {
    let v = b
        .client()
        .execute(
            r#"const pane = document.querySelector('.leaflet-overlay-pane');
               if (!pane) return [0, 0, 0, 0];
               const paths = [...pane.querySelectorAll('path')];
               const spots = paths.filter(p => p.classList.contains('hotspot-marker'));
               const dashed = paths.filter(p => p.getAttribute('stroke-dasharray'));
               return [paths.length - spots.length, dashed.length, spots.length,
                       document.querySelectorAll('.leaflet-tooltip.area-label').length];"#,
            vec![],
        )
        .await?;
    let n = |i: usize| v.get(i).and_then(Value::as_i64).unwrap_or(0);
    Ok((n(0), n(1), n(2), n(3)))
}

/// Wait until the map has drawn at least `areas` outlines and `spots` hotspots.
async fn until_drawn(b: &Browser, areas: i64, spots: i64) -> anyhow::Result<(i64, i64, i64, i64)> {
    let started = Instant::now();
    loop {
        let now = drawn(b).await?;
        if now.0 >= areas && now.2 >= spots {
            return Ok(now);
        }
        if started.elapsed() > Duration::from_secs(10) {
            return Err(b
                .failure(&format!(
                    "map drew {now:?}, wanted {areas} areas and {spots} hotspots"
                ))
                .await);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The hotspot circles' fill colours.
async fn marker_colours(b: &Browser) -> anyhow::Result<Vec<String>> {
    let v = b
        .client()
        .execute(
            "return [...document.querySelectorAll('.leaflet-overlay-pane path.hotspot-marker')].map(p => p.getAttribute('fill'));",
            vec![],
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default())
}

/// The map reaches from its top to (about) the bottom of the window.
async fn fills_the_window(b: &Browser) -> anyhow::Result<bool> {
    let v = b
        .client()
        .execute(
            r#"const r = document.getElementById('fire-map').getBoundingClientRect();
               const bar = document.querySelector('.bottombar');
               const below = bar && bar.offsetHeight ? bar.offsetHeight : 0;
               return Math.abs(window.innerHeight - below - r.bottom) <= 16 && r.height >= 320;"#,
            vec![],
        )
        .await?;
    Ok(v.as_bool().unwrap_or(false))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fire_map_draws_outlines_and_hotspots_without_tiles() -> Outcome {
    let app = TestApp::spawn(&Backend::Sqlite).await?;
    let staff = Browser::open(DESKTOP).await?;
    staff.login(&app.base, "disaster", TEST_PASSWORD).await?;
    staff.goto(&app.url("/fire/areas")).await?;
    staff
        .click_and_wait("form[action='/fire/areas/demo'] button")
        .await?;
    staff
        .expect_text(".alert.ok", "已生成 26 个乡镇的近似范围")
        .await?;

    // 08:30 local: two pixels in 潼川镇, one in 富顺镇; two hours later they are overdue, and a
    // pixel in 石安镇 arrives.
    let first = firms(&[(105.09, 31.08), (105.12, 31.06), (105.18, 31.16)], "0030");
    upload(&staff, &app, "MODIS_C6_1_first.csv", &first).await?;
    app.clock.advance(chrono::Duration::hours(2));
    // Two hours idle end the session: she logs in again.
    staff.login(&app.base, "disaster", TEST_PASSWORD).await?;
    upload(
        &staff,
        &app,
        "MODIS_C6_1_second.csv",
        &firms(&[(105.08, 31.22)], "0230"),
    )
    .await?;

    staff.click_and_wait("a[href='/fire/map']").await?;
    staff.expect_text("h1", "防火一张图").await?;
    // County + 26 townships; the approximate ones dashed and named.
    let (areas, dashed, spots, labels) = until_drawn(&staff, 27, 4).await?;
    ensure!(areas == 27, "outlines: {areas}");
    ensure!(dashed == 26, "dashed approximate outlines: {dashed}");
    ensure!(spots == 4, "hotspots: {spots}");
    ensure!(labels == 26, "township labels: {labels}");
    staff.expect_text(".leaflet-tooltip-pane", "潼川镇").await?;
    staff.expect_text("#map-legend", "近似范围").await?;
    staff.expect_text("#map-legend", "超时未反馈").await?;
    staff.expect_text("#no-tiles", "未配置底图").await?;
    let mut colours = marker_colours(&staff).await?;
    colours.sort();
    colours.dedup();
    ensure!(
        colours == ["#cf1322", "#fa8c16"],
        "overdue red and waiting orange: {colours:?}"
    );
    ensure!(
        fills_the_window(&staff).await?,
        "the map does not fill the window"
    );
    ensure!(
        staff.horizontal_overflow().await? <= 0,
        "page scrolls sideways"
    );
    ensure!(staff.table_rows("#map-hotspots").await?.len() == 4);
    staff.screenshot("fire-map").await?;

    // A hotspot's popup links to its page.
    staff
        .client()
        .execute(
            "document.querySelector('path.hotspot-marker').dispatchEvent(new MouseEvent('click', {bubbles: true}));",
            vec![],
        )
        .await?;
    staff
        .expect_text(".leaflet-popup-content", "卫星热点")
        .await?;
    staff
        .click_and_wait(".leaflet-popup-content a[href^='/fire/hotspots/']")
        .await?;
    staff.expect_text("main", "探测像元").await?;
    staff.close().await?;

    // 潼川镇 on a phone: its own outline (dashed) and its two hotspots.
    let town = Browser::open(PHONE).await?;
    town.login(&app.base, "tongchuan", TEST_PASSWORD).await?;
    town.goto(&app.url("/fire/map")).await?;
    let (areas, dashed, spots, _) = until_drawn(&town, 1, 2).await?;
    ensure!(
        (areas, dashed, spots) == (1, 1, 2),
        "潼川镇 sees {areas} areas, {spots} hotspots"
    );
    town.expect_text("#map-legend", "近似范围").await?;
    ensure!(
        fills_the_window(&town).await?,
        "the map does not fill the phone's window"
    );
    ensure!(
        town.horizontal_overflow().await? <= 0,
        "phone page scrolls sideways"
    );
    town.screenshot("fire-map").await?;
    town.close().await?;
    Ok(())
}
