//! 值班值守 — flood-season (and other standing) duty: duty periods with their rosters (a leader
//! on duty and duty officers per shift), swaps, reminders the day before, the duty log and the
//! handover at shift change; the headquarters (指挥部) per year and the responsible persons
//! (责任人) published per township. Each ledger is a module with the same few files (model, entity,
//! store, api, pages) and its templates under `templates/<ledger>/`.

pub mod dispatch;
pub mod headquarters;
pub mod logs;
mod migrations;
pub mod responsible;
pub mod rosters;
pub mod statistics;

use axum::Router;
use platform::access::perm;
use platform::home::WorkItemSource;
use platform::jobs::Job;
use platform::web::AppState;
use platform::web::nav::{NavItem, NavSection};
use sea_orm_migration::MigrationTrait;
use utoipa_axum::router::OpenApiRouter;

pub use rosters::store::on_duty_at;

/// The rosters' answer to "who is on duty", for [`AppState::with_on_duty`]: other areas ask it
/// through `platform::on_duty::at`.
pub fn on_duty_lookup<'a>(
    state: &'a AppState,
    county: &'a str,
    at: chrono::DateTime<chrono::Utc>,
) -> platform::on_duty::OnDutyFuture<'a> {
    Box::pin(async move {
        Ok(on_duty_at(&state.db, county, at)
            .await?
            .map(|(leader, officers)| platform::on_duty::OnDuty { leader, officers }))
    })
}

/// The area's pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(rosters::pages::router())
        .merge(logs::pages::router())
        .merge(responsible::pages::router())
        .merge(headquarters::pages::router())
        .merge(dispatch::pages())
        .merge(statistics::pages::router())
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(rosters::api::router())
        .merge(logs::api::router())
        .merge(responsible::api::router())
        .merge(headquarters::api::router())
        .merge(dispatch::api())
        .merge(statistics::api::router())
}

/// Chinese names of the area's audit actions, for the trail and the timelines.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    [
        rosters::store::ACTION_LABELS,
        logs::store::ACTION_LABELS,
        responsible::store::ACTION_LABELS,
        headquarters::store::ACTION_LABELS,
    ]
    .concat()
    .into_iter()
    .chain(dispatch::action_labels())
    .collect()
}

/// The area's migrations, applied after the platform's and the other areas'.
pub fn migrations() -> Vec<Box<dyn MigrationTrait>> {
    migrations::all()
}

/// The area's navigation section.
pub fn nav() -> Option<NavSection> {
    Some(NavSection {
        title: "值班值守",
        short: "值班",
        icon: "☎",
        items: vec![
            NavItem {
                label: "今日值班",
                href: "/duty/today",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "值班表",
                href: "/duty/periods",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "值班日志",
                href: "/duty/logs",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "换班申请",
                href: "/duty/swaps",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "值班统计",
                href: "/duty/statistics",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "每日调度",
                href: "/duty/dispatch",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "指挥部",
                href: "/duty/headquarters",
                permission: Some(perm::DUTY_VIEW),
            },
            NavItem {
                label: "责任人",
                href: "/duty/responsible",
                permission: Some(perm::DUTY_VIEW),
            },
        ],
    })
}

/// The area's work items for the home page: swaps waiting for the roster owner, handovers
/// waiting for the incoming shift, today's dispatch waiting for a township's answer.
pub fn work_items() -> Vec<WorkItemSource> {
    vec![
        |state, actor| Box::pin(rosters::store::work_items(state, actor)),
        |state, actor| Box::pin(dispatch::store::work_items(state, actor)),
    ]
}

/// What the area's 叫应 calls are about (the daily dispatch), for the platform's chasing job.
pub fn call_subjects() -> Vec<(&'static str, platform::calls::Loader)> {
    vec![(dispatch::store::KIND, dispatch::store::load)]
}

/// The area's periodic jobs.
pub fn jobs() -> Vec<Job> {
    vec![rosters::reminders::job()]
}

/// The demo county's flood season: a June–September roster from the demo accounts, a few
/// log entries, the 2026 flood-control headquarters, the responsible persons of two
/// townships, and today's dispatch with two townships' answers.
pub async fn load_demo(state: &AppState) -> anyhow::Result<()> {
    rosters::demo::load_demo(state).await?;
    responsible::demo::load_demo(state).await?;
    headquarters::demo::load_demo(state).await?;
    dispatch::load_demo(state).await
}
