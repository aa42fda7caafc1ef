//! 森林草原防灭火 — the fire season and its high-risk period, daily fire-danger forecasts and
//! burn bans, township areas (boundaries) for locating satellite hotspots, hotspot verification,
//! the scheduled reports (一日三报, 零报告) and QR-code patrols. Each ledger is a module with the
//! same few files (model, entity, store, api, pages) and its templates under
//! `templates/<ledger>/`.

mod access;
pub mod areas;
pub mod fires;
pub mod forecasts;
pub mod hotspots;
pub mod map;
mod migrations;
pub mod patrols;
pub mod reports;
pub mod seasons;
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
        .merge(areas::pages::router())
        .merge(seasons::pages::router())
        .merge(forecasts::pages::router())
        .merge(hotspots::pages::router())
        .merge(fires::pages::router())
        .merge(reports::pages::router())
        .merge(patrols::pages::router())
        .merge(map::pages::router())
        .merge(statistics::pages::router())
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(areas::api::router())
        .merge(seasons::api::router())
        .merge(forecasts::api::router())
        .merge(hotspots::api::router())
        .merge(fires::api::router())
        .merge(reports::api::router())
        .merge(patrols::api::router())
        .merge(map::api::router())
        .merge(statistics::api::router())
}

/// Chinese names of the area's audit actions, for the trail and the timelines.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    [
        areas::store::ACTION_LABELS,
        seasons::store::ACTION_LABELS,
        forecasts::store::ACTION_LABELS,
        forecasts::bans::ACTION_LABELS,
        forecasts::documents::ACTION_LABELS,
        hotspots::store::ACTION_LABELS,
        fires::store::ACTION_LABELS,
        reports::slots::ACTION_LABELS,
        patrols::store::ACTION_LABELS,
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
        permission: Some(perm::FIRE_VIEW),
    }
}

/// The area's navigation section: one item per ledger page.
pub fn nav() -> Option<NavSection> {
    let items = vec![
        item("防火一张图", "/fire/map"),
        item("火险预报", "/fire/forecasts"),
        item("禁火令", "/fire/bans"),
        item("研判与督促", "/fire/documents"),
        item("卫星热点", "/fire/hotspots"),
        item("森林火灾", "/fire/fires"),
        item("一日三报", "/fire/reports"),
        item("防火期设置", "/fire/seasons"),
        item("乡镇范围", "/fire/areas"),
        item("巡查点位", "/fire/checkpoints"),
        item("分片包干", "/fire/tours"),
        item("防火统计", "/fire/statistics"),
    ];
    Some(NavSection {
        title: "森林防火",
        short: "防火",
        icon: "♨",
        items,
    })
}

/// The area's work items for the home page.
pub fn work_items() -> Vec<WorkItemSource> {
    vec![
        |state, actor| Box::pin(hotspots::store::work_items(state, actor)),
        |state, actor| Box::pin(forecasts::bans::work_items(state, actor)),
        |state, actor| Box::pin(reports::board::work_items(state, actor)),
    ]
}

/// What the area's 叫应 calls are about (hotspot checks, report slots), for the platform's
/// chasing job.
pub fn call_subjects() -> Vec<(&'static str, platform::calls::Loader)> {
    vec![
        (hotspots::store::KIND, hotspots::store::load),
        (reports::slots::KIND, reports::slots::load),
    ]
}

/// The area's periodic jobs.
pub fn jobs() -> Vec<Job> {
    vec![hotspots::watch::job(), reports::slots::job()]
}

/// The demo county's fire season and ledgers, and its approximate township areas (近似范围).
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    areas::demo::load_demo(state).await?;
    hotspots::demo::load_demo(state).await?;
    forecasts::demo::load_demo(state).await?;
    reports::load_demo(state).await?;
    patrols::demo::load_demo(state).await
}
