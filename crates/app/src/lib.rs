//! The `yingji` binary's library half: configuration, assembling every area's routes and
//! migrations into one application, the demo county, and the harness tests start it with.

pub mod baseline;
pub mod config;
pub mod demo;
pub mod scale;
pub mod testing;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use platform::clock::Clock;
use platform::web::nav::{NavSection, platform_sections};
use platform::web::{AppState, Settings};
use sea_orm_migration::prelude::*;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Every area's migrations, platform first.
pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        let mut all = platform::db::platform_migrations();
        all.extend(safety::migrations());
        all.extend(warning::migrations());
        all.extend(duty::migrations());
        all.extend(fire::migrations());
        all.extend(disaster::migrations());
        all
    }
}

/// Apply pending migrations and the seeds every database needs (code tables).
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    platform::dicts::store::seed(db).await?;
    Ok(())
}

#[derive(OpenApi)]
#[openapi(info(
    title = "应急管理综合业务平台 API",
    version = "1",
    description = "Yingji: 县应急管理局业务平台的数据接口。认证：浏览器会话（Cookie + X-CSRF-Token）或 `Authorization: Bearer <API 令牌>`。错误统一为 `{\"error\":{\"code\",\"message\"}}`。"
))]
struct ApiDoc;

/// Navigation of every area, in the order of the bureau's work.
fn navigation() -> Vec<NavSection> {
    let mut sections = platform_sections();
    // Business areas go between the workbench and administration.
    let areas: Vec<NavSection> = [
        safety::nav(),
        warning::nav(),
        duty::nav(),
        fire::nav(),
        disaster::nav(),
    ]
    .into_iter()
    .flatten()
    .collect();
    sections.splice(1..1, areas);
    sections
}

/// Every area's sources of work items for the home page.
fn work_items() -> Vec<platform::home::WorkItemSource> {
    let mut all = platform::home::work_items();
    all.extend(safety::work_items());
    all.extend(warning::work_items());
    all.extend(duty::work_items());
    all.extend(fire::work_items());
    all.extend(disaster::work_items());
    all
}

/// Every area's periodic jobs.
fn jobs() -> Vec<platform::jobs::Job> {
    let mut all = vec![platform::calls::chase::job()];
    all.extend(safety::jobs());
    all.extend(warning::jobs());
    all.extend(duty::jobs());
    all.extend(fire::jobs());
    all.extend(disaster::jobs());
    all
}

/// The whole application on one database.
pub fn app(
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: Settings,
) -> (Router, AppState) {
    assemble(db, clock, settings, false)
}

/// The application with the performance harness's ceiling pages (`/bench/...`, see
/// [`baseline`]).
pub fn app_with_baselines(
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: Settings,
) -> (Router, AppState) {
    assemble(db, clock, settings, true)
}

fn assemble(
    db: sea_orm::DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: Settings,
    baselines: bool,
) -> (Router, AppState) {
    platform::audit::register_action_labels(&safety::action_labels());
    platform::audit::register_action_labels(&warning::action_labels());
    platform::audit::register_action_labels(&duty::action_labels());
    platform::audit::register_action_labels(&fire::action_labels());
    platform::audit::register_action_labels(&disaster::action_labels());
    let state = AppState::new(db, clock, settings, navigation(), work_items())
        .with_jobs(jobs())
        .with_on_duty(duty::on_duty_lookup)
        .with_call_subjects(
            [
                warning::call_subjects(),
                duty::call_subjects(),
                fire::call_subjects(),
                disaster::call_subjects(),
            ]
            .concat(),
        );
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(platform::api())
        .merge(safety::api())
        .merge(warning::api())
        .merge(duty::api())
        .merge(fire::api())
        .merge(disaster::api())
        .split_for_parts();
    let routes = Router::new()
        .merge(platform::pages())
        .merge(safety::pages())
        .merge(warning::pages())
        .merge(duty::pages())
        .merge(fire::pages())
        .merge(disaster::pages())
        .merge(api);
    let routes = match baselines {
        true => routes.merge(baseline::router()),
        false => routes,
    };
    (platform::web::finish(routes, openapi, state.clone()), state)
}

/// Serve until SIGTERM or Ctrl-C, finishing requests in flight.
pub async fn serve(router: Router, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_until(router, listener, shutdown_signal()).await
}

/// Serve until `shutdown` completes, finishing requests in flight.
pub async fn serve_until(
    router: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    Ok(())
}

/// Completes on SIGTERM or Ctrl-C. The SIGTERM handler is installed when this is called, not
/// when it is first awaited: call it before binding, so a stop sent as soon as the port answers
/// is a graceful one (not the default action, death by signal).
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match terminate.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
