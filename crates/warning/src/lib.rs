//! 预警与风险会商 — risk consultation reports, warnings to townships with 叫应 (every
//! recipient confirms, the silent are escalated in waves), and CAP 1.2 exchange. Each ledger is
//! a module with the same few files (model, entity, store, api, pages) and its templates under
//! `templates/<ledger>/`.

pub mod bureau;
pub mod cap;
pub mod consultations;
mod migrations;
pub mod statistics;
pub mod warnings;

use axum::Router;
use platform::access::perm;
use platform::home::WorkItemSource;
use platform::jobs::Job;
use platform::web::AppState;
use platform::web::nav::{NavItem, NavSection};
use sea_orm_migration::MigrationTrait;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(consultations::pages::router())
        .merge(warnings::pages::router())
        .merge(statistics::pages::router())
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(consultations::api::router())
        .merge(warnings::api::router())
        .merge(statistics::api::router())
}

/// Chinese names of the area's audit actions, for the trail and the timelines.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    [
        consultations::pages::ACTION_LABELS,
        warnings::store::ACTION_LABELS,
    ]
    .concat()
}

/// The area's migrations, applied after the platform's.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    migrations::all()
}

/// The area's navigation section.
pub fn nav() -> Option<NavSection> {
    Some(NavSection {
        title: "预警与会商",
        short: "预警",
        icon: "⚑",
        items: vec![
            NavItem {
                label: "预警发布",
                href: "/warning/warnings",
                permission: Some(perm::WARNING_VIEW),
            },
            NavItem {
                label: "我的叫应",
                href: "/warning/my",
                permission: Some(perm::WARNING_ACK),
            },
            NavItem {
                label: "风险会商",
                href: "/warning/consultations",
                permission: Some(perm::WARNING_VIEW),
            },
            NavItem {
                label: "责任人通讯录",
                href: "/contacts",
                permission: Some(perm::WARNING_VIEW),
            },
            NavItem {
                label: "统计分析",
                href: "/warning/statistics",
                permission: Some(perm::WARNING_VIEW),
            },
            NavItem {
                label: "叫应策略",
                href: "/warning/policies",
                permission: Some(perm::WARNING_EDIT),
            },
        ],
    })
}

/// The area's work items for the home page.
pub fn work_items() -> Vec<WorkItemSource> {
    vec![|state, actor| Box::pin(warnings::work_items(state, actor))]
}

/// The area's periodic jobs: none of its own (the platform's `calls.chase` chases warnings).
pub fn jobs() -> Vec<Job> {
    Vec::new()
}

/// What the area's 叫应 calls are about, for the platform's chasing job.
pub fn call_subjects() -> Vec<(&'static str, platform::calls::Loader)> {
    vec![(warnings::store::KIND, warnings::calls::load)]
}
