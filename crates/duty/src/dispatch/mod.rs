//! 每日调度: each day the duty room asks every township (its duty contacts) and the member
//! departments a season's questions (调度问题清单, `questions/`); each answers on a phone page
//! through the link in their message. Asking, chasing and escalating are the platform's 叫应
//! (`platform::calls`); `store::Asked` is how a dispatch reads there.

pub mod api;
mod demo;
pub mod entity;
pub mod migration;
pub mod model;
pub mod pages;
pub mod questions;
pub mod store;

pub use demo::load_demo;

use axum::Router;
use platform::web::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The dispatch's pages and its questions'.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(questions::pages::router())
        .merge(pages::router())
}

/// The dispatch's JSON API and its questions'.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(questions::api::router())
        .merge(api::router())
}

/// Audit action names of the dispatch and its questions.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    [store::ACTION_LABELS, questions::store::ACTION_LABELS].concat()
}
