//! The request layer: resolve a bearer token or session cookie into an [`Actor`], and refuse
//! cross-site or token-less state changes (CSRF) before any handler runs.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;

use super::login::{SESSION_COOKIE, resolve_session};
use super::tokens;
use crate::access::Actor;
use crate::error::AppError;
use crate::web::AppState;

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "_csrf";
/// Forms larger than this are refused before the CSRF check reads them.
const FORM_LIMIT: usize = 2 * 1024 * 1024;

fn csrf_failed() -> AppError {
    AppError::bad_request("csrf_failed", "页面已过期或请求来源不明，请刷新页面后重试")
}

/// Paths that never need to know who is asking (no database work for them).
fn is_anonymous_path(path: &str) -> bool {
    path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if is_anonymous_path(req.uri().path()) {
        return next.run(req).await;
    }
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !same_origin(req.headers()) {
        return csrf_failed().into_response();
    }
    let actor = match identify(&state, req.headers(), ip).await {
        Ok(actor) => actor,
        Err(err) => return err.into_response(),
    };
    if let Some(actor) = &actor
        && unsafe_method
        && let Some(expected) = actor.csrf_token.clone()
    {
        req = match check_csrf(req, &expected).await {
            Ok(req) => req,
            Err(err) => return err.into_response(),
        };
    }
    if let Some(actor) = actor {
        req.extensions_mut().insert(actor);
    }
    next.run(req).await
}

async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    ip: Option<String>,
) -> Result<Option<Actor>, AppError> {
    if let Some(bearer) = bearer(headers) {
        // A bad token is an error, not an anonymous request: the client meant to authenticate.
        let token = tokens::resolve(state, bearer)
            .await?
            .ok_or(AppError::Unauthorized)?;
        return Ok(Some(token.actor(ip, None)));
    }
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(session) = resolve_session(state, cookie.value()).await? else {
        return Ok(None);
    };
    Ok(Some(
        session.actor(ip, Some(session.key.csrf_token.clone())),
    ))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A browser's unsafe request must come from our own pages. Browsers that send
/// `Sec-Fetch-Site` are judged by it alone (it survives reverse proxies that rewrite `Host`);
/// older ones by `Origin` against the host they asked for (`X-Forwarded-Host` behind a proxy).
fn same_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
    };
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text(header::ORIGIN.as_str()) else {
        return true;
    };
    let host = text("x-forwarded-host")
        .or_else(|| text(header::HOST.as_str()))
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// The token from the header, the query string, or an urlencoded form body (which is read
/// and put back for the handler).
async fn check_csrf(req: Request, expected: &str) -> Result<Request, AppError> {
    let given = req
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| field_in(req.uri().query().unwrap_or("").as_bytes()));
    if let Some(given) = given {
        return if constant_time_eq(&given, expected) {
            Ok(req)
        } else {
            Err(csrf_failed())
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_failed());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::bad_request("body_too_large", "提交的内容过大"))?;
    match field_in(&bytes) {
        Some(given) if constant_time_eq(&given, expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(csrf_failed()),
    }
}

fn field_in(urlencoded: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(urlencoded)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v)
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Paths a user who must change the password may still use.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(
        path,
        "/account/password" | "/logout" | "/api/v1/me" | "/api/v1/me/password"
    )
}

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let actor = parts
            .extensions
            .get::<Actor>()
            .cloned()
            .ok_or(AppError::Unauthorized)?;
        if actor.must_change_password && !allowed_before_password_change(parts.uri.path()) {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(actor)
    }
}

/// The actor if someone is logged in (login page, home redirect).
pub struct MaybeActor(pub Option<Actor>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<Actor>().cloned()))
    }
}

/// The peer address, when the server was started with connect info.
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_posts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&h), "no Origin: a non-browser client");
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!same_origin(&h));
        let mut h2 = HeaderMap::new();
        h2.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!same_origin(&h2));
        // Behind a proxy that rewrites Host, the browser's own word decides.
        h2.insert("sec-fetch-site", "same-origin".parse().unwrap());
        h2.insert(header::ORIGIN, "https://yj.example.gov.cn".parse().unwrap());
        h2.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&h2));
        let mut h3 = HeaderMap::new();
        h3.insert(header::ORIGIN, "https://yj.example.gov.cn".parse().unwrap());
        h3.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(!same_origin(&h3));
        h3.insert("x-forwarded-host", "yj.example.gov.cn".parse().unwrap());
        assert!(same_origin(&h3));
    }

    #[test]
    fn csrf_field_is_found_in_forms() {
        assert_eq!(field_in(b"a=1&_csrf=abc&b=2").as_deref(), Some("abc"));
        assert_eq!(field_in(b"a=1"), None);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
    }
}
