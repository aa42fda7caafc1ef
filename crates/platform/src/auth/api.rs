//! `/api/v1/me`: the current user, their password and their API tokens.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::account::{PasswordChange, change_password};
use super::tokens::{self, NewToken, TokenInfo};
use crate::access::{Actor, Role};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::form::{Json, Path};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(my_password))
        .routes(routes!(my_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub region_code: String,
    pub region_name: String,
    pub roles: Vec<Role>,
    /// The member department a liaison's account belongs to.
    pub department_id: Option<Uuid>,
    pub permissions: Vec<&'static str>,
    pub must_change_password: bool,
    /// For browser-session clients: echo it in `X-CSRF-Token` on every change.
    pub csrf_token: Option<String>,
}

/// The logged-in user (session cookie or bearer token).
#[utoipa::path(get, path = "/api/v1/me", tag = "账号",
    responses((status = 200, body = Me), (status = 401, description = "未登录")))]
async fn me(actor: Actor) -> axum::Json<Me> {
    axum::Json(Me {
        id: actor.user_id,
        permissions: actor.permissions(),
        username: actor.username,
        display_name: actor.display_name,
        region_code: actor.region_code,
        region_name: actor.region_name,
        roles: actor.roles,
        department_id: actor.department_id,
        must_change_password: actor.must_change_password,
        csrf_token: actor.csrf_token,
    })
}

/// Change one's own password.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "账号", request_body = PasswordChange,
    responses((status = 204), (status = 422, description = "密码不符合规则或当前密码错误")))]
async fn my_password(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<PasswordChange>,
) -> AppResult<StatusCode> {
    change_password(&state, &actor, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One's own API tokens.
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "账号", responses((status = 200, body = Vec<TokenInfo>)))]
async fn my_tokens(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<Vec<TokenInfo>>> {
    Ok(axum::Json(tokens::list_own(&state.db, &actor).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub name: String,
}

/// Create a token; the secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "账号", request_body = TokenRequest,
    responses((status = 201, body = NewToken)))]
async fn create_token(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<TokenRequest>,
) -> AppResult<(StatusCode, axum::Json<NewToken>)> {
    let token = tokens::create(&state, &actor, &input.name).await?;
    Ok((StatusCode::CREATED, axum::Json(token)))
}

/// Revoke one of one's own tokens.
#[utoipa::path(post, path = "/api/v1/me/tokens/{id}/revoke", tag = "账号",
    params(("id" = Uuid, Path)), responses((status = 200, body = TokenInfo), (status = 404)))]
async fn revoke_token(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<TokenInfo>> {
    Ok(axum::Json(tokens::revoke(&state, &actor, id).await?))
}
