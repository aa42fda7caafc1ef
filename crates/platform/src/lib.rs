//! Yingji's shared machinery: database, accounts and access, regions and organisation, audit,
//! and the web shell every area of the bureau's work plugs into. No business rules live here.

pub mod access;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod clock;
pub mod contacts;
pub mod db;
pub mod dicts;
pub mod error;
pub mod home;
pub mod jobs;
pub mod notify;
pub mod on_duty;
pub mod org;
pub mod regions;
pub mod users;
pub mod web;

pub use error::{AppError, AppResult};

use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use web::AppState;

/// The platform's pages: login, home, account, administration.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(attachments::router())
        .merge(auth::pages::router())
        .merge(users::pages::router())
        .merge(org::pages::router())
        .merge(regions::pages::router())
        .merge(audit::pages::router())
        .merge(dicts::pages::router())
        .merge(notify::pages::router())
        .merge(contacts::pages::router())
        .merge(contacts::groups::pages::router())
}

/// The platform's JSON API, documented in OpenAPI.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::api::router())
        .merge(users::api::router())
        .merge(org::api::router())
        .merge(regions::api::router())
        .merge(audit::pages::api_router())
        .merge(dicts::api::router())
        .merge(contacts::api::router())
        .merge(contacts::groups::api::router())
}
