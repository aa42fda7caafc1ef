//! 森林草原防灭火 — the fire season and its high-risk period, daily fire-danger forecasts and
//! burn bans, township areas (boundaries) for locating satellite hotspots, hotspot verification,
//! the scheduled reports (一日三报, 零报告) and QR-code patrols. Each ledger is a module with the
//! same few files (model, entity, store, api, pages) and its templates under
//! `templates/<ledger>/`.

mod migrations;

use axum::Router;
use platform::home::WorkItemSource;
use platform::jobs::Job;
use platform::web::AppState;
use platform::web::nav::NavSection;
use sea_orm_migration::MigrationTrait;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages.
pub fn pages() -> Router<AppState> {
    Router::new()
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}

/// Chinese names of the area's audit actions, for the trail and the timelines.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    Vec::new()
}

/// The area's migrations, applied after the platform's and the other areas'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    migrations::all()
}

/// The area's navigation section: none until its first ledger lands.
pub fn nav() -> Option<NavSection> {
    None
}

/// The area's work items for the home page.
pub fn work_items() -> Vec<WorkItemSource> {
    Vec::new()
}

/// The area's periodic jobs.
pub fn jobs() -> Vec<Job> {
    Vec::new()
}

/// The demo county's fire season.
pub async fn load_demo(_state: &AppState) -> anyhow::Result<()> {
    Ok(())
}
