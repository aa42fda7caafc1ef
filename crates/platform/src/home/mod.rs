//! 工作台: the page a user lands on — who and where they are, and what waits for them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::access::perm;
use crate::clock::format_local;
use crate::error::AppResult;
use crate::regions::{Level, store as regions};
use crate::web::{AppState, PageCtx};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
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
    let townships = regions::count(&state.db, &scope, Level::Township).await?;
    let villages = regions::count(&state.db, &scope, Level::Village).await?;
    let last_login = crate::users::store::last_login_before_this(&state.db, ctx.actor.user_id)
        .await?
        .map(format_local);
    let items = work_items(&state, &ctx).await?;
    Ok(HomePage {
        ctx,
        region_path,
        townships,
        villages,
        last_login,
        items,
    })
}

/// The platform's own work items; each area adds its own as it is built.
async fn work_items(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<WorkItem>> {
    let mut items = Vec::new();
    let scope = ctx.actor.scope();
    if ctx.actor.can(perm::ADMIN_SECURITY) {
        let locked = crate::users::store::count_locked(&state.db, &scope, state.now()).await?;
        if locked > 0 {
            items.push(WorkItem {
                title: format!("{locked} 个账号处于锁定状态"),
                detail: "核实后可解锁".to_string(),
                href: "/admin/users?status=locked".to_string(),
                urgent: true,
            });
        }
    }
    if ctx.actor.can(perm::AUDIT_VIEW) {
        let since = state.now() - chrono::Duration::days(1);
        let failures =
            crate::audit::store::count_since(&state.db, &scope, "login.failure", since).await?;
        if failures > 0 {
            items.push(WorkItem {
                title: format!("近 24 小时登录失败 {failures} 次"),
                detail: "查看审计日志".to_string(),
                href: "/admin/audit?action=login.failure".to_string(),
                urgent: failures >= 10,
            });
        }
    }
    Ok(items)
}
