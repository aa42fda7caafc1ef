//! 安全生产 — work safety: supervised units, inspections, the hazard closed loop, enforcement,
//! accidents and notices. Each ledger is a module with the same few files (model, entity, store,
//! api, pages) and its templates under `templates/<ledger>/`.

pub mod accidents;
pub mod credit_code;
pub mod hazards;
mod migrations;
pub mod units;

use axum::Router;
use platform::access::perm;
use platform::web::AppState;
use platform::web::nav::{NavItem, NavSection};
use sea_orm_migration::MigrationTrait;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages.
pub fn pages() -> Router<AppState> {
    Router::new().merge(units::pages::router())
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(units::api::router())
}

/// The area's migrations, applied after the platform's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    migrations::all()
}

/// The area's navigation section.
pub fn nav() -> Option<NavSection> {
    Some(NavSection {
        title: "安全生产",
        short: "安全",
        icon: "⚠",
        items: vec![NavItem {
            label: "监管对象",
            href: "/safety/units",
            permission: Some(perm::SAFETY_VIEW),
        }],
    })
}
