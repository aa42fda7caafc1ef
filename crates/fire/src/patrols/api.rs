//! `/api/v1/fire/checkpoints`, `/api/v1/fire/checkins`, `/api/v1/fire/tours`: patrol
//! checkpoints, QR check-ins and assigned inspection tours with the scan rate.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, CheckIn, CheckInFilter, Checkpoint, CheckpointFilter, CheckpointInput, Position, Rates,
    ScanResult, Tour, TourFilter, TourInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_checkpoints, create_checkpoint))
        .routes(routes!(get_checkpoint, update_checkpoint))
        .routes(routes!(void_checkpoint))
        .routes(routes!(list_checkins, check_in))
        .routes(routes!(list_tours, create_tour))
        .routes(routes!(void_tour))
}

/// The checkpoints in scope (停用 ones with `all=true`).
#[utoipa::path(get, path = "/api/v1/fire/checkpoints", tag = "森林防火", params(CheckpointFilter),
    responses((status = 200, body = Vec<Checkpoint>), (status = 403)))]
async fn list_checkpoints(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<CheckpointFilter>,
) -> AppResult<axum::Json<Vec<Checkpoint>>> {
    Ok(axum::Json(
        store::list_checkpoints(&state, &actor, &q).await?,
    ))
}

/// 新增 a checkpoint; `warning` when its position is not inside the township's area.
#[utoipa::path(post, path = "/api/v1/fire/checkpoints", tag = "森林防火",
    request_body = CheckpointInput,
    responses((status = 201, body = Checkpoint), (status = 403), (status = 422)))]
async fn create_checkpoint(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<CheckpointInput>,
) -> AppResult<(StatusCode, axum::Json<Checkpoint>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create_checkpoint(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/fire/checkpoints/{id}", tag = "森林防火",
    params(("id" = Uuid, Path)), responses((status = 200, body = Checkpoint), (status = 404)))]
async fn get_checkpoint(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Checkpoint>> {
    Ok(axum::Json(store::get_checkpoint(&state, &actor, id).await?))
}

/// 修改 a checkpoint at `version` (its QR code stays the same).
#[utoipa::path(put, path = "/api/v1/fire/checkpoints/{id}", tag = "森林防火",
    params(("id" = Uuid, Path)), request_body = CheckpointInput,
    responses((status = 200, body = Checkpoint), (status = 404), (status = 409), (status = 422)))]
async fn update_checkpoint(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CheckpointInput>,
) -> AppResult<axum::Json<Checkpoint>> {
    Ok(axum::Json(
        store::update_checkpoint(&state, &actor, id, &input).await?,
    ))
}

/// A reason, for voiding.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VoidInput {
    #[serde(default)]
    pub reason: String,
}

/// 停用 a checkpoint with a reason: its QR code then answers 该检查点已停用.
#[utoipa::path(post, path = "/api/v1/fire/checkpoints/{id}/void", tag = "森林防火",
    params(("id" = Uuid, Path)), request_body = VoidInput,
    responses((status = 200, body = Checkpoint), (status = 404), (status = 422)))]
async fn void_checkpoint(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<axum::Json<Checkpoint>> {
    Ok(axum::Json(
        store::void_checkpoint(&state, &actor, id, &input.reason).await?,
    ))
}

/// The check-ins in scope, latest first.
#[utoipa::path(get, path = "/api/v1/fire/checkins", tag = "森林防火", params(CheckInFilter),
    responses((status = 200, body = Vec<CheckIn>), (status = 403)))]
async fn list_checkins(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<CheckInFilter>,
) -> AppResult<axum::Json<Vec<CheckIn>>> {
    Ok(axum::Json(store::list_checkins(&state, &actor, &q).await?))
}

/// A scan: the token from the QR code's link, and the phone's position when it has one.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CheckInInput {
    #[serde(default)]
    pub token: String,
    #[serde(flatten)]
    pub position: Position,
}

/// 扫码签到. 201 when recorded; 200 with `recorded: false` when the same person scanned the
/// same checkpoint within ten minutes (已签到（HH:MM）). 400 `qr_invalid` (二维码无效) or
/// `qr_other_county` (该二维码不属于本县); 409 `checkpoint_voided` (该检查点已停用).
#[utoipa::path(post, path = "/api/v1/fire/checkins", tag = "森林防火",
    request_body = CheckInInput,
    responses((status = 201, body = ScanResult), (status = 200, body = ScanResult),
        (status = 400), (status = 409)))]
async fn check_in(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<CheckInInput>,
) -> AppResult<(StatusCode, axum::Json<ScanResult>)> {
    let result = store::check_in(&state, &actor, input.token.trim(), &input.position).await?;
    let status = if result.recorded {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(result)))
}

/// Tours overlapping a period with their progress, and the scan rates.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TourList {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub tours: Vec<Tour>,
    pub rates: Rates,
}

/// 分片包干: tours overlapping the period (this year by default) and 扫码督导率 per person and
/// per township.
#[utoipa::path(get, path = "/api/v1/fire/tours", tag = "森林防火", params(TourFilter),
    responses((status = 200, body = TourList), (status = 403)))]
async fn list_tours(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<TourFilter>,
) -> AppResult<axum::Json<TourList>> {
    let (from, to) = store::period(&q, store::today(&state));
    let tours = store::list_tours(&state, &actor, &q).await?;
    Ok(axum::Json(TourList {
        from,
        to,
        rates: store::rates(&tours),
        tours,
    }))
}

/// 分配 a tour.
#[utoipa::path(post, path = "/api/v1/fire/tours", tag = "森林防火", request_body = TourInput,
    responses((status = 201, body = Tour), (status = 403), (status = 422)))]
async fn create_tour(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<TourInput>,
) -> AppResult<(StatusCode, axum::Json<Tour>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create_tour(&state, &actor, &input).await?),
    ))
}

/// 作废 a tour with a reason.
#[utoipa::path(post, path = "/api/v1/fire/tours/{id}/void", tag = "森林防火",
    params(("id" = Uuid, Path)), request_body = VoidInput,
    responses((status = 204), (status = 404), (status = 422)))]
async fn void_tour(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<StatusCode> {
    store::void_tour(&state, &actor, id, &input.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
