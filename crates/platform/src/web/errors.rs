//! Browsers get errors as pages: a login redirect when the session is gone, a password-change
//! redirect when one is due, otherwise a Chinese message (a fragment for htmx requests).
//! The API keeps its JSON body.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::error::ErrorBody;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    body: &'a ErrorBody,
}

#[derive(Template)]
#[template(path = "error_fragment.html")]
struct ErrorFragment<'a> {
    body: &'a ErrorBody,
}

fn is_machine_path(path: &str) -> bool {
    path.starts_with("/api/") || path == "/metrics" || path == "/healthz" || path == "/readyz"
}

pub async fn render_for_browsers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    let htmx = req.headers().contains_key("hx-request");
    let response = next.run(req).await;
    if is_machine_path(&path) {
        return response;
    }
    let Some(body) = response.extensions().get::<ErrorBody>().cloned() else {
        return response;
    };
    match body.code.as_str() {
        "unauthorized" => redirect(htmx, &format!("/login?next={}", encode(&target))),
        "password_change_required" => redirect(htmx, "/account/password"),
        _ => render(response.status(), &body, htmx),
    }
}

fn redirect(htmx: bool, to: &str) -> Response {
    if htmx {
        let mut response = StatusCode::OK.into_response();
        if let Ok(value) = HeaderValue::from_str(to) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(to).into_response()
}

fn render(status: StatusCode, body: &ErrorBody, htmx: bool) -> Response {
    let html = if htmx {
        ErrorFragment { body }.render()
    } else {
        ErrorPage {
            status: status.as_u16(),
            body,
        }
        .render()
    };
    let mut response =
        (status, Html(html.unwrap_or_else(|_| body.message.clone()))).into_response();
    if htmx {
        let headers = response.headers_mut();
        headers.insert("hx-retarget", HeaderValue::from_static("#notice"));
        headers.insert("hx-reswap", HeaderValue::from_static("innerHTML"));
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Percent-encode a path for a `next=` parameter.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only local paths may be a `next=` target (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}
