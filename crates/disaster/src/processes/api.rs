//! `/api/v1/disaster/processes`: disaster processes (new, add townships, close) and opening
//! their 续报 and 核报.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, CloseInput, Process, ProcessFilter, ProcessInput, TownshipsInput};
use crate::losses::store::{self as losses, OpenInput, Report};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(add_townships))
        .routes(routes!(close))
        .routes(routes!(open_report))
}

/// The county's processes (a township's: those affecting it), latest first; narrowed by the
/// days they began on, a township they touched and the main sub-type.
#[utoipa::path(get, path = "/api/v1/disaster/processes", tag = "灾情救助", params(ProcessFilter),
    responses((status = 200, body = Vec<Process>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<ProcessFilter>,
) -> AppResult<axum::Json<Vec<Process>>> {
    Ok(axum::Json(store::filtered(&state, &actor, &filter).await?))
}

/// 新建 a process (county); its 初报 opens with it.
#[utoipa::path(post, path = "/api/v1/disaster/processes", tag = "灾情救助",
    request_body = ProcessInput,
    responses((status = 201, body = Process), (status = 403), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<ProcessInput>,
) -> AppResult<(StatusCode, axum::Json<Process>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/disaster/processes/{id}", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, body = Process), (status = 404)))]
async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Process>> {
    Ok(axum::Json(store::get(&state, &actor, id).await?))
}

/// The disaster spreads: add townships (at `version`).
#[utoipa::path(post, path = "/api/v1/disaster/processes/{id}/townships", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = TownshipsInput,
    responses((status = 200, body = Process), (status = 404), (status = 409), (status = 422)))]
async fn add_townships(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<TownshipsInput>,
) -> AppResult<axum::Json<Process>> {
    Ok(axum::Json(
        store::add_townships(&state, &actor, id, &input).await?,
    ))
}

/// 结束 a process (at `version`): no more 续报.
#[utoipa::path(post, path = "/api/v1/disaster/processes/{id}/close", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = CloseInput,
    responses((status = 200, body = Process), (status = 404), (status = 409), (status = 422)))]
async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CloseInput>,
) -> AppResult<axum::Json<Process>> {
    Ok(axum::Json(store::close(&state, &actor, id, &input).await?))
}

/// 新建 a 续报 (`stage: update`, while open; `figures_to` defaults to the next due day) or
/// the 核报 (`stage: final`, once).
#[utoipa::path(post, path = "/api/v1/disaster/processes/{id}/reports", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = OpenInput,
    responses((status = 201, body = Report), (status = 404), (status = 409), (status = 422)))]
async fn open_report(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<OpenInput>,
) -> AppResult<(StatusCode, axum::Json<Report>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(losses::open_report(&state, &actor, id, &input).await?),
    ))
}
