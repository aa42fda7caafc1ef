//! What the benchmarks share: a signed-in HTTP client and milliseconds for the printout.

use std::time::Duration;

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
