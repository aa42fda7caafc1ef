//! The auditor's page: search the trail, read before/after, export what is filtered to XLSX.
//! Also the API listing for the same search.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, AuditFilter, AuditRow};
use crate::access::{Actor, perm};
use crate::error::AppResult;
use crate::web::form::Query;
use crate::web::paging::{PageOf, Paging, page_link};
use crate::web::{AppState, PageCtx, xlsx};

/// Most rows one export carries; narrow the filter for more.
const EXPORT_LIMIT: u64 = 50_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(list_page))
        .route("/admin/audit/export", get(export))
}

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_list))
}

const ACTIONS: &[&str] = &[
    "create",
    "update",
    "void",
    "login.success",
    "login.failure",
    "login.blocked",
    "logout",
    "lock",
    "unlock",
    "password.change",
    "password.reset",
    "roles.change",
    "token.create",
    "token.revoke",
    "import",
];

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: AuditFilter,
    page: PageOf<AuditRow>,
    query: String,
    actions: Vec<(&'static str, String)>,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/admin/audit/export?{}", self.query)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<AuditFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    ctx.actor.require(perm::AUDIT_VIEW)?;
    let page = store::search(&state.db, &ctx.actor.scope(), &filter, paging).await?;
    let actions = ACTIONS
        .iter()
        .map(|a| (*a, super::action_label(a)))
        .collect();
    Ok(ListPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        actions,
    })
}

async fn export(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<AuditFilter>,
) -> AppResult<Response> {
    actor.require(perm::AUDIT_VIEW)?;
    let rows: Vec<Vec<String>> = store::all(&state.db, &actor.scope(), &filter, EXPORT_LIMIT)
        .await?
        .into_iter()
        .map(|r| {
            vec![
                r.at_local,
                r.actor_name,
                r.action_label,
                r.entity,
                r.record_id,
                r.region_code,
                r.summary,
                r.before.unwrap_or_default(),
                r.after.unwrap_or_default(),
                r.ip.unwrap_or_default(),
            ]
        })
        .collect();
    let headers = [
        "时间",
        "操作人",
        "操作",
        "对象类型",
        "记录",
        "区划代码",
        "说明",
        "修改前",
        "修改后",
        "IP",
    ];
    let bytes = xlsx::workbook("审计日志", &headers, &rows)?;
    Ok(xlsx::download("审计日志.xlsx", bytes))
}

/// Search the audit trail (auditors only).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "审计",
    params(AuditFilter, Paging), responses((status = 200, body = PageOf<AuditRow>), (status = 403)))]
async fn api_list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<AuditFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<AuditRow>>> {
    actor.require(perm::AUDIT_VIEW)?;
    Ok(axum::Json(
        store::search(&state.db, &actor.scope(), &filter, paging).await?,
    ))
}
