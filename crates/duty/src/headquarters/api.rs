//! `/api/v1/duty/headquarters`: headquarters (指挥部) per year, their leaders and member units,
//! and copying a year to the next.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Detail, Headquarters, HqInput, Member, MemberInput, VoidInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(copy))
        .routes(routes!(add_member))
        .routes(routes!(update_member))
        .routes(routes!(void_member))
}

/// The county's headquarters, latest year first.
#[utoipa::path(get, path = "/api/v1/duty/headquarters", tag = "值班值守",
    responses((status = 200, body = Vec<Headquarters>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<Vec<Headquarters>>> {
    Ok(axum::Json(store::list(&state.db, &actor).await?))
}

/// 建立 a headquarters for a kind and year (one per kind and year).
#[utoipa::path(post, path = "/api/v1/duty/headquarters", tag = "值班值守",
    request_body = HqInput,
    responses((status = 201, body = Headquarters), (status = 403), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<HqInput>,
) -> AppResult<(StatusCode, axum::Json<Headquarters>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// A headquarters with its leaders and member units.
#[utoipa::path(get, path = "/api/v1/duty/headquarters/{id}", tag = "值班值守",
    params(("id" = Uuid, Path)), responses((status = 200, body = Detail), (status = 404)))]
async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Detail>> {
    Ok(axum::Json(store::get(&state.db, &actor, id).await?))
}

/// 从上一年复制: create next year's headquarters with this one's people (409 when it exists).
#[utoipa::path(post, path = "/api/v1/duty/headquarters/{id}/copy", tag = "值班值守",
    params(("id" = Uuid, Path)),
    responses((status = 201, body = Headquarters), (status = 403), (status = 409)))]
async fn copy(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<(StatusCode, axum::Json<Headquarters>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::copy_to_next_year(&state, &actor, id).await?),
    ))
}

/// Add a commander, deputy or member unit (with its liaison and duties).
#[utoipa::path(post, path = "/api/v1/duty/headquarters/{id}/members", tag = "值班值守",
    request_body = MemberInput, params(("id" = Uuid, Path)),
    responses((status = 201, body = Member), (status = 403), (status = 422)))]
async fn add_member(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<MemberInput>,
) -> AppResult<(StatusCode, axum::Json<Member>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::add_member(&state, &actor, id, &input).await?),
    ))
}

/// Change a leader or member unit against the version read (409 when stale).
#[utoipa::path(put, path = "/api/v1/duty/hq-members/{id}", tag = "值班值守",
    request_body = MemberInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Member), (status = 409), (status = 422)))]
async fn update_member(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<MemberInput>,
) -> AppResult<axum::Json<Member>> {
    Ok(axum::Json(
        store::update_member(&state, &actor, id, &input).await?,
    ))
}

/// Remove a leader or member unit, with a reason.
#[utoipa::path(post, path = "/api/v1/duty/hq-members/{id}/void", tag = "值班值守",
    request_body = VoidInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Member), (status = 404), (status = 422)))]
async fn void_member(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<axum::Json<Member>> {
    Ok(axum::Json(
        store::void_member(&state, &actor, id, &input).await?,
    ))
}
