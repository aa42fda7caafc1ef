//! What the benchmarks share: a signed-in HTTP client, milliseconds for the printout, and the
//! 183 county outlines of 四川省.
// Each bench uses only some of these.
#![allow(dead_code)]

use std::time::Duration;

use fire::areas::model::{RegionRef, parse_collection};
use geo::MultiPolygon;

use yingji::testing::{TEST_PASSWORD, TestApp};

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A client signed in as `username`, sending the session cookie and the CSRF token with
/// every request (so it may post as well as read).
pub async fn login(app: &TestApp, username: &str) -> anyhow::Result<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let form = [
        ("username", username),
        ("password", TEST_PASSWORD),
        ("next", "/"),
    ];
    let r = client.post(app.url("/login")).form(&form).send().await?;
    anyhow::ensure!(r.status().is_redirection(), "login: {}", r.status());
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .and_then(|c| c.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("no session cookie"))?
        .to_string();
    let me: serde_json::Value = client
        .get(app.url("/api/v1/me"))
        .send()
        .await?
        .json()
        .await?;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-csrf-token",
        me["csrf_token"].as_str().unwrap_or_default().parse()?,
    );
    headers.insert("cookie", cookie.parse()?);
    Ok(reqwest::Client::builder()
        .default_headers(headers)
        .build()?)
}

/// The 183 county outlines of 四川省 (code, shape) from `../shared/data/sichuan-counties.geojson`
/// beside the workspace, or the file named by `SICHUAN_COUNTIES`.
pub fn sichuan_counties() -> anyhow::Result<Vec<(String, MultiPolygon<f64>)>> {
    let path = std::env::var("SICHUAN_COUNTIES").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/sichuan-counties.geojson"
        )
        .into()
    });
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow::anyhow!("{path}: {e} (set SICHUAN_COUNTIES)"))?;
    let features = parse_collection(&text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut areas = Vec::new();
    for f in features {
        if let (Ok(RegionRef::Code(code)), Ok(shape)) = (f.region, f.geometry) {
            areas.push((code, shape));
        }
    }
    anyhow::ensure!(
        areas.len() == 183,
        "expected 183 counties, read {}",
        areas.len()
    );
    Ok(areas)
}

/// The bounding box (west, south, east, north) of some areas.
pub fn bounding_box(areas: &[(String, MultiPolygon<f64>)]) -> (f64, f64, f64, f64) {
    let (mut west, mut south, mut east, mut north) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (_, shape) in areas {
        for p in &shape.0 {
            for c in &p.exterior().0 {
                west = west.min(c.x);
                east = east.max(c.x);
                south = south.min(c.y);
                north = north.max(c.y);
            }
        }
    }
    (west, south, east, north)
}
