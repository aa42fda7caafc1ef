//! `/api/v1/contact-groups`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Group, GroupDetail, GroupInput};
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::org::api::VoidRequest;
use crate::web::AppState;
use crate::web::form::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(void))
}

fn require_view(actor: &Actor) -> AppResult<()> {
    if crate::contacts::may_view(actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
struct ListQuery {
    /// Include voided groups.
    voided: Option<bool>,
}

/// Contact groups in scope, with their live member counts.
#[utoipa::path(get, path = "/api/v1/contact-groups", tag = "责任人通讯录",
    params(ListQuery), responses((status = 200, body = Vec<Group>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<ListQuery>,
) -> AppResult<axum::Json<Vec<Group>>> {
    require_view(&actor)?;
    let voided = q.voided.unwrap_or(false);
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), voided).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/contact-groups", tag = "责任人通讯录", request_body = GroupInput,
    responses((status = 201, body = GroupDetail), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<GroupInput>,
) -> AppResult<(StatusCode, axum::Json<GroupDetail>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// A group with its live members.
#[utoipa::path(get, path = "/api/v1/contact-groups/{id}", tag = "责任人通讯录",
    params(("id" = Uuid, Path)), responses((status = 200, body = GroupDetail), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<GroupDetail>> {
    require_view(&actor)?;
    Ok(axum::Json(store::get(&state.db, &actor.scope(), id).await?))
}

/// Rename and set the members (the whole list); `version` must be the one read.
#[utoipa::path(patch, path = "/api/v1/contact-groups/{id}", tag = "责任人通讯录", request_body = GroupInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = GroupDetail), (status = 409)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<GroupInput>,
) -> AppResult<axum::Json<GroupDetail>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 作废 with a reason.
#[utoipa::path(post, path = "/api/v1/contact-groups/{id}/void", tag = "责任人通讯录", request_body = VoidRequest,
    params(("id" = Uuid, Path)), responses((status = 200, body = Group)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidRequest>,
) -> AppResult<axum::Json<Group>> {
    Ok(axum::Json(
        store::void(&state, &actor, id, &input.reason).await?,
    ))
}
