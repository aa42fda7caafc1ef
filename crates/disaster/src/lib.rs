//! 灾情与救助 — natural-disaster processes and their loss reports (初报/续报/核报, by township,
//! checked by the county before going upward), and relief to households: programmes, rolls
//! built by villages and approved by the county, payments and person-times helped. Each ledger
//! is a module with the same few files (model, entity, store, api, pages) and its templates
//! under `templates/<ledger>/`.

pub mod access;
pub mod losses;
mod migrations;
pub mod processes;
pub mod relief;
pub mod statistics;

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
        .merge(processes::pages::router())
        .merge(losses::pages::router())
        .merge(relief::pages::router())
        .merge(statistics::pages::router())
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(processes::api::router())
        .merge(losses::api::router())
        .merge(relief::api::router())
        .merge(statistics::api::router())
}

/// Chinese names of the area's audit actions, for the trail and the timelines.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    [
        processes::ACTION_LABELS,
        losses::ACTION_LABELS,
        relief::ACTION_LABELS,
    ]
    .concat()
}

/// The area's migrations, applied after the platform's and the other areas'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    migrations::all()
}

fn item(label: &'static str, href: &'static str) -> NavItem {
    NavItem {
        label,
        href,
        permission: Some(perm::DISASTER_VIEW),
    }
}

/// The area's navigation section: one item per ledger page.
pub fn nav() -> Option<NavSection> {
    let items = vec![
        item("灾害过程", "/disaster/processes"),
        item("灾情报告", "/disaster/reports"),
        item("救助项目", "/disaster/relief/programmes"),
        item("救助名册", "/disaster/relief/rolls"),
        item("灾情统计", "/disaster/statistics"),
    ];
    Some(NavSection {
        title: "灾情救助",
        short: "灾情",
        icon: "☂",
        items,
    })
}

/// The area's work items for the home page.
pub fn work_items() -> Vec<WorkItemSource> {
    [losses::work_items(), relief::work_items()].concat()
}

/// What the area's 叫应 calls are about, for the platform's chasing job.
pub fn call_subjects() -> Vec<(&'static str, platform::calls::Loader)> {
    losses::call_subjects()
}

/// The area's periodic jobs.
pub fn jobs() -> Vec<Job> {
    losses::jobs()
}

/// The demo county's disaster processes, reports and relief.
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    processes::load_demo(state).await?;
    relief::load_demo(state).await
}
