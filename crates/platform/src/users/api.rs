//! `/api/v1/admin/users` and `/api/v1/admin/roles`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, UserFilter, UserInput, UserView};
use crate::access::{Actor, Role};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::form::{Json, Path, Query};
use crate::web::paging::{PageOf, Paging};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(lock_user))
        .routes(routes!(unlock_user))
        .routes(routes!(reset_password))
        .routes(routes!(list_roles))
}

/// Accounts in the administrator's scope.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "用户管理",
    params(UserFilter, Paging), responses((status = 200, body = PageOf<UserView>)))]
async fn list_users(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<UserFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<UserView>>> {
    store::require_viewer(&actor)?;
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, paging, state.now()).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedUser {
    pub user: UserView,
    /// The password when the system generated it (shown once; it must be changed at first
    /// login); absent when the administrator chose it.
    pub initial_password: Option<String>,
}

/// Create an account.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "用户管理", request_body = UserInput,
    responses((status = 201, body = CreatedUser), (status = 422, description = "字段错误")))]
async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<UserInput>,
) -> AppResult<(StatusCode, axum::Json<CreatedUser>)> {
    let (user, password) = store::create(&state, &actor, &input).await?;
    let initial_password = crate::web::form::optional(&input.password)
        .is_none()
        .then_some(password);
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedUser {
            user,
            initial_password,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/admin/users/{id}", tag = "用户管理",
    params(("id" = Uuid, Path)), responses((status = 200, body = UserView), (status = 404)))]
async fn get_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<UserView>> {
    store::require_viewer(&actor)?;
    Ok(axum::Json(
        store::get(&state.db, &actor.scope(), id, state.now()).await?,
    ))
}

/// Edit an account; `version` must be the one read (a stale edit answers 409).
#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "用户管理", request_body = UserInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = UserView), (status = 409, description = "已被他人修改")))]
async fn update_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<UserInput>,
) -> AppResult<axum::Json<UserView>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LockRequest {
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/lock", tag = "用户管理", request_body = LockRequest,
    params(("id" = Uuid, Path)), responses((status = 200, body = UserView)))]
async fn lock_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<LockRequest>,
) -> AppResult<axum::Json<UserView>> {
    Ok(axum::Json(
        store::set_lock(&state, &actor, id, true, input.reason).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/unlock", tag = "用户管理",
    params(("id" = Uuid, Path)), responses((status = 200, body = UserView)))]
async fn unlock_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<UserView>> {
    Ok(axum::Json(
        store::set_lock(&state, &actor, id, false, None).await?,
    ))
}

/// Give the account a new generated password, to be changed at next login.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/reset-password", tag = "用户管理",
    params(("id" = Uuid, Path)), responses((status = 200, body = CreatedUser)))]
async fn reset_password(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<CreatedUser>> {
    let (user, password) = store::reset_password(&state, &actor, id, None).await?;
    Ok(axum::Json(CreatedUser {
        user,
        initial_password: Some(password),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RoleInfo {
    pub code: &'static str,
    pub label: &'static str,
    pub administrator: bool,
    pub permissions: Vec<&'static str>,
}

/// Roles and their permissions (fixed in code).
#[utoipa::path(get, path = "/api/v1/admin/roles", tag = "用户管理", responses((status = 200, body = Vec<RoleInfo>)))]
async fn list_roles(actor: Actor) -> AppResult<axum::Json<Vec<RoleInfo>>> {
    store::require_viewer(&actor)?;
    Ok(axum::Json(role_infos()))
}

pub fn role_infos() -> Vec<RoleInfo> {
    Role::ALL
        .iter()
        .map(|r| RoleInfo {
            code: r.code(),
            label: r.label(),
            administrator: r.is_administrator(),
            permissions: r.permissions().to_vec(),
        })
        .collect()
}
