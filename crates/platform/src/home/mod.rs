//! 工作台: the page a user lands on — who and where they are, and what waits for them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use std::future::Future;
use std::pin::Pin;

use crate::access::{Actor, perm};
use crate::clock::format_local;
use crate::error::AppResult;
use crate::regions::{Level, store as regions};
use crate::web::{AppState, PageCtx};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// Where an area's work items come from: each area registers one in its `work_items()` and the
/// app hands them all to [`AppState`]; the home page asks each in turn.
pub type WorkItemSource =
    for<'a> fn(
        &'a AppState,
        &'a Actor,
    ) -> Pin<Box<dyn Future<Output = AppResult<Vec<WorkItem>>> + Send + 'a>>;

/// The platform's own sources: locked accounts for the security administrator, recent login
/// failures for the auditor.
pub fn work_items() -> Vec<WorkItemSource> {
    vec![
        |state, actor| Box::pin(locked_accounts(state, actor)),
        |state, actor| Box::pin(login_failures(state, actor)),
    ]
}

/// A thing that waits for the user, with a link to where it is done.
pub struct WorkItem {
    pub title: String,
    pub detail: String,
    pub href: String,
    pub urgent: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "home/home.html")]
struct HomePage {
    ctx: PageCtx,
    region_path: String,
    townships: u64,
    villages: u64,
    last_login: Option<String>,
    items: Vec<WorkItem>,
}

async fn home(State(state): State<AppState>, ctx: PageCtx) -> AppResult<HomePage> {
    let scope = ctx.actor.scope();
    let chain = regions::ancestors(&state.db, &ctx.actor.region_code).await?;
    let region_path = chain
        .iter()
        .map(|r| r.short_name.as_str())
        .collect::<Vec<_>>()
        .join(" / ");
    let [townships, villages] =
        regions::count(&state.db, &scope, [Level::Township, Level::Village]).await?;
    let last_login = crate::users::store::last_login_before_this(&state.db, ctx.actor.user_id)
        .await?
        .map(format_local);
    let mut items = Vec::new();
    for source in state.work_items.iter() {
        items.extend(source(&state, &ctx.actor).await?);
    }
    items.sort_by_key(|i| !i.urgent);
    Ok(HomePage {
        ctx,
        region_path,
        townships,
        villages,
        last_login,
        items,
    })
}

async fn locked_accounts(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    if !actor.can(perm::ADMIN_SECURITY) {
        return Ok(Vec::new());
    }
    let locked = crate::users::store::count_locked(&state.db, &actor.scope(), state.now()).await?;
    Ok((locked > 0)
        .then(|| WorkItem {
            title: format!("{locked} 个账号处于锁定状态"),
            detail: "核实后可解锁".to_string(),
            href: "/admin/users?status=locked".to_string(),
            urgent: true,
        })
        .into_iter()
        .collect())
}

async fn login_failures(state: &AppState, actor: &Actor) -> AppResult<Vec<WorkItem>> {
    if !actor.can(perm::AUDIT_VIEW) {
        return Ok(Vec::new());
    }
    let since = state.now() - chrono::Duration::days(1);
    let failures =
        crate::audit::store::count_since(&state.db, &actor.scope(), "login.failure", since).await?;
    Ok((failures > 0)
        .then(|| WorkItem {
            title: format!("近 24 小时登录失败 {failures} 次"),
            detail: "查看审计日志".to_string(),
            href: "/admin/audit?action=login.failure".to_string(),
            urgent: failures >= 10,
        })
        .into_iter()
        .collect())
}
