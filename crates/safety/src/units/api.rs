//! `/api/v1/safety/units` and `/api/v1/safety/licences`.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging, SortQuery};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Licence, LicenceInput, Unit, UnitFilter, UnitInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(void))
        .routes(routes!(add_licence))
        .routes(routes!(void_licence))
}

/// Supervised units in scope, sorted by name.
#[utoipa::path(get, path = "/api/v1/safety/units", tag = "监管对象",
    params(UnitFilter, SortQuery, Paging), responses((status = 200, body = PageOf<Unit>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<UnitFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Unit>>> {
    let sort = store::SORTS.pick(&sort)?;
    actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, &sort, paging, today).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/safety/units", tag = "监管对象", request_body = UnitInput,
    responses((status = 201, body = Unit), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<UnitInput>,
) -> AppResult<(StatusCode, axum::Json<Unit>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/safety/units/{id}", tag = "监管对象",
    params(("id" = Uuid, Path)), responses((status = 200, body = Unit), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Unit>> {
    actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::get(&state.db, &actor.scope(), id, today).await?,
    ))
}

/// Edit; `version` must be the one read (a stale edit answers 409).
#[utoipa::path(patch, path = "/api/v1/safety/units/{id}", tag = "监管对象", request_body = UnitInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Unit), (status = 409)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<UnitInput>,
) -> AppResult<axum::Json<Unit>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct VoidRequest {
    pub reason: String,
}

/// 作废 with a reason.
#[utoipa::path(post, path = "/api/v1/safety/units/{id}/void", tag = "监管对象", request_body = VoidRequest,
    params(("id" = Uuid, Path)), responses((status = 200, body = Unit)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidRequest>,
) -> AppResult<axum::Json<Unit>> {
    Ok(axum::Json(
        store::void(&state, &actor, id, &input.reason).await?,
    ))
}

/// Add a licence to a unit.
#[utoipa::path(post, path = "/api/v1/safety/units/{id}/licences", tag = "监管对象", request_body = LicenceInput,
    params(("id" = Uuid, Path)), responses((status = 201, body = Licence), (status = 422)))]
async fn add_licence(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<LicenceInput>,
) -> AppResult<(StatusCode, axum::Json<Licence>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::add_licence(&state, &actor, id, &input).await?),
    ))
}

/// Remove a licence (voided, kept in the unit's history).
#[utoipa::path(post, path = "/api/v1/safety/licences/{id}/void", tag = "监管对象", request_body = VoidRequest,
    params(("id" = Uuid, Path)), responses((status = 200, body = Licence), (status = 404)))]
async fn void_licence(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidRequest>,
) -> AppResult<axum::Json<Licence>> {
    Ok(axum::Json(
        store::void_licence(&state, &actor, id, &input.reason).await?,
    ))
}
