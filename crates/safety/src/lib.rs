//! 安全生产 — work safety: supervised units, inspections, the hazard closed loop, enforcement,
//! accidents and notices. Each ledger is a module with the same few files (model, entity, store,
//! api, pages) and its templates under `templates/<ledger>/`.

pub mod accidents;
pub mod credit_code;
pub mod enforcement;
pub mod hazards;
pub mod inspections;
mod migrations;
pub mod notices;
pub mod statistics;
pub mod units;

use axum::Router;
use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::home::{WorkItem, WorkItemSource};
use platform::web::AppState;
use platform::web::nav::{NavItem, NavSection};
use sea_orm_migration::MigrationTrait;
use utoipa_axum::router::OpenApiRouter;

/// The area's pages.
pub fn pages() -> Router<AppState> {
    Router::new()
        .merge(units::pages::router())
        .merge(hazards::pages::router())
        .merge(accidents::pages::router())
        .merge(notices::pages::router())
        .merge(statistics::pages::router())
        .merge(inspections::pages::router())
        .merge(enforcement::pages::router())
}

/// The area's JSON API.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(units::api::router())
        .merge(hazards::api::router())
        .merge(accidents::api::router())
        .merge(notices::api::router())
        .merge(statistics::api::router())
        .merge(inspections::api::router())
        .merge(enforcement::api::router())
}

/// Chinese names of the area's audit actions, for the trail and the timelines.
pub fn action_labels() -> Vec<(&'static str, &'static str)> {
    [
        hazards::store::ACTION_LABELS,
        accidents::pages::ACTION_LABELS,
        notices::pages::ACTION_LABELS,
        enforcement::pages::ACTION_LABELS,
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
        title: "安全生产",
        short: "安全",
        icon: "⚠",
        items: vec![
            NavItem {
                label: "监管对象",
                href: "/safety/units",
                permission: Some(perm::SAFETY_VIEW),
            },
            NavItem {
                label: "专项整治与检查",
                href: "/safety/inspections",
                permission: Some(perm::SAFETY_VIEW),
            },
            NavItem {
                label: "隐患排查治理",
                href: "/safety/hazards",
                permission: Some(perm::SAFETY_VIEW),
            },
            NavItem {
                label: "生产安全事故",
                href: "/safety/accidents",
                permission: Some(perm::SAFETY_VIEW),
            },
            NavItem {
                label: "行政执法案件",
                href: "/safety/enforcement",
                permission: Some(perm::SAFETY_VIEW),
            },
            NavItem {
                label: "函件",
                href: "/safety/notices",
                permission: Some(perm::SAFETY_VIEW),
            },
            NavItem {
                label: "统计分析",
                href: "/safety/statistics",
                permission: Some(perm::SAFETY_VIEW),
            },
        ],
    })
}

/// The area's work items for the home page: overdue hazards in the actor's scope.
pub fn work_items() -> Vec<WorkItemSource> {
    vec![
        |state, actor| Box::pin(overdue_hazards(state, actor)),
        |state, actor| Box::pin(notices::work_items(state, actor)),
    ]
}

/// Overdue hazards escalate to whoever must act: the township and the county see those in
/// their scope; a member department's liaison sees those of the units it supervises. (The
/// daily job `hazards::escalation` also sends the township and the department a message.)
async fn overdue_hazards(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    if !actor.can(perm::SAFETY_VIEW) {
        return Ok(Vec::new());
    }
    let today = hazards::store::today(state);
    let department = actor.department_id;
    let filter = hazards::store::HazardFilter {
        overdue: Some(true),
        department,
        ..Default::default()
    };
    // A county's or wider overdue count comes from the daily counters (the home page of every
    // county user asks for it; counting the open hazards took 5–9 ms at 100,000 hazards).
    let scope = actor.scope();
    let overdue = if department.is_none() && hazards::rollup::covers(&scope) {
        u64::try_from(hazards::rollup::overdue(&state.db, &scope, today).await?).unwrap_or(0)
    } else {
        hazards::store::count(&state.db, &scope, &filter, today).await?
    };
    let (title, href) = match department {
        Some(id) => (
            format!("{overdue} 条本部门监管单位的事故隐患逾期未整改"),
            format!("/safety/hazards?overdue=true&department={id}"),
        ),
        None => (
            format!("{overdue} 条事故隐患逾期未整改"),
            "/safety/hazards?overdue=true".to_string(),
        ),
    };
    Ok((overdue > 0)
        .then(|| WorkItem {
            title,
            detail: "督促整改或依法处理".to_string(),
            href,
            urgent: true,
        })
        .into_iter()
        .collect())
}

/// The area's periodic jobs: the daily escalation of overdue hazards by message.
pub fn jobs() -> Vec<platform::jobs::Job> {
    vec![hazards::escalation::job()]
}
