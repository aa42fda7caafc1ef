//! `/api/v1/admin/departments`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Department, DepartmentFilter, DepartmentInput};
use crate::access::Actor;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::form::{Json, Path, Query};
use crate::web::paging::{PageOf, Paging};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(void))
}

/// Departments in scope (any logged-in user: forms and contact lists need them).
#[utoipa::path(get, path = "/api/v1/admin/departments", tag = "部门单位",
    params(DepartmentFilter, Paging), responses((status = 200, body = PageOf<Department>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<DepartmentFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Department>>> {
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, paging).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/admin/departments", tag = "部门单位", request_body = DepartmentInput,
    responses((status = 201, body = Department), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<DepartmentInput>,
) -> AppResult<(StatusCode, axum::Json<Department>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/admin/departments/{id}", tag = "部门单位",
    params(("id" = Uuid, Path)), responses((status = 200, body = Department), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Department>> {
    Ok(axum::Json(store::get(&state.db, &actor.scope(), id).await?))
}

/// Edit; `version` must be the one read (a stale edit answers 409).
#[utoipa::path(patch, path = "/api/v1/admin/departments/{id}", tag = "部门单位", request_body = DepartmentInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Department), (status = 409)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<DepartmentInput>,
) -> AppResult<axum::Json<Department>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VoidRequest {
    pub reason: String,
}

/// 作废 with a reason.
#[utoipa::path(post, path = "/api/v1/admin/departments/{id}/void", tag = "部门单位", request_body = VoidRequest,
    params(("id" = Uuid, Path)), responses((status = 200, body = Department)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidRequest>,
) -> AppResult<axum::Json<Department>> {
    Ok(axum::Json(
        store::void(&state, &actor, id, &input.reason).await?,
    ))
}
