//! Web machinery shared by every area: state, layout and page context, errors as pages,
//! static assets, pagination, XLSX, official letters (print and DOCX), statistics periods and
//! figures, health and metrics, and assembling the router.

pub mod assets;
pub mod errors;
pub mod form;
pub mod import;
pub mod letter;
pub mod map;
pub mod metrics;
pub mod nav;
pub mod page;
pub mod paging;
pub mod state;
pub mod statistics;
pub mod xlsx;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub use page::PageCtx;
pub use state::{AppState, Settings};

use crate::error::AppError;

/// Request bodies larger than this are refused (imports have their own, larger limit).
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Wrap the assembled routes with the platform's layers: auth and CSRF, errors as pages for
/// browsers, metrics, tracing, body limits, health endpoints, assets and API docs.
pub fn finish(routes: Router<AppState>, openapi: OpenApi, state: AppState) -> Router {
    routes
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::render))
        .route("/static/{*path}", get(assets::serve))
        .fallback(|| async { AppError::NotFound })
        .layer(from_fn_with_state(state.clone(), crate::auth::authenticate))
        .layer(from_fn(errors::render_for_browsers))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let ping = tokio::time::timeout(Duration::from_secs(2), crate::db::ping(&state.db)).await;
    if matches!(ping, Ok(true)) {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
