//! `/api/v1/duty/periods`, `/api/v1/duty/shifts` and `/api/v1/duty/swaps`: periods and their
//! rosters, gaps, one shift at a time or a whole roster at once, and swap requests.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query, parse_date};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::SwapState;
use super::store::{
    self, DecideInput, Gap, Period, PeriodFilter, PeriodInput, Roster, RosterInput, Shift,
    ShiftInput, Swap, SwapInput, VoidInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_roster, set_roster))
        .routes(routes!(gaps))
        .routes(routes!(void))
        .routes(routes!(get_shift, assign))
        .routes(routes!(swaps, request_swap))
        .routes(routes!(decide_swap))
}

/// Periods the caller may see, latest first.
#[utoipa::path(get, path = "/api/v1/duty/periods", tag = "值班值守",
    params(PeriodFilter), responses((status = 200, body = Vec<Period>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<PeriodFilter>,
) -> AppResult<axum::Json<Vec<Period>>> {
    Ok(axum::Json(store::list(&state.db, &actor, &filter).await?))
}

/// Create a period with all its shifts, empty. County-level duty editors only.
#[utoipa::path(post, path = "/api/v1/duty/periods", tag = "值班值守",
    request_body = PeriodInput,
    responses((status = 201, body = Period), (status = 403), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<PeriodInput>,
) -> AppResult<(StatusCode, axum::Json<Period>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create_period(&state, &actor, &input).await?),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
struct Range {
    /// First day, YYYY-MM-DD.
    from: Option<String>,
    /// Last day, YYYY-MM-DD.
    to: Option<String>,
}

/// The roster: shifts (in the range, or all) with leader, officers and gaps. Township users
/// see only their own shifts.
#[utoipa::path(get, path = "/api/v1/duty/periods/{id}/roster", tag = "值班值守",
    params(("id" = Uuid, Path), Range), responses((status = 200, body = Roster), (status = 404)))]
async fn get_roster(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Query(range): Query<Range>,
) -> AppResult<axum::Json<Roster>> {
    let from = range.from.as_deref().and_then(parse_date);
    let to = range.to.as_deref().and_then(parse_date);
    Ok(axum::Json(
        store::roster(&state.db, &actor, id, from, to).await?,
    ))
}

/// Fill many shifts at once (all or nothing); errors are keyed `entries[i].field`.
#[utoipa::path(put, path = "/api/v1/duty/periods/{id}/roster", tag = "值班值守",
    request_body = RosterInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Roster), (status = 403), (status = 404), (status = 422)))]
async fn set_roster(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<RosterInput>,
) -> AppResult<axum::Json<Roster>> {
    Ok(axum::Json(
        store::set_roster(&state, &actor, id, &input).await?,
    ))
}

/// 缺岗: every shift of the period missing a leader or short of officers.
#[utoipa::path(get, path = "/api/v1/duty/periods/{id}/gaps", tag = "值班值守",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<Gap>), (status = 404)))]
async fn gaps(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Vec<Gap>>> {
    Ok(axum::Json(
        store::roster(&state.db, &actor, id, None, None).await?.gaps,
    ))
}

/// 作废 a period with a reason: it leaves the lists and frees its people for other shifts.
#[utoipa::path(post, path = "/api/v1/duty/periods/{id}/void", tag = "值班值守",
    request_body = VoidInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Period), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<axum::Json<Period>> {
    Ok(axum::Json(
        store::void_period(&state, &actor, id, &input).await?,
    ))
}

/// One shift.
#[utoipa::path(get, path = "/api/v1/duty/shifts/{id}", tag = "值班值守",
    params(("id" = Uuid, Path)), responses((status = 200, body = Shift), (status = 404)))]
async fn get_shift(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Shift>> {
    Ok(axum::Json(store::get_shift(&state.db, &actor, id).await?))
}

/// Set who stands a shift. The leader must hold the 局领导 role; nobody may stand overlapping
/// shifts (422 naming the clashing shift); `version` as read (409 `stale_edit`).
#[utoipa::path(put, path = "/api/v1/duty/shifts/{id}", tag = "值班值守",
    request_body = ShiftInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Shift), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn assign(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ShiftInput>,
) -> AppResult<axum::Json<Shift>> {
    Ok(axum::Json(store::assign(&state, &actor, id, &input).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
struct SwapQuery {
    /// pending | approved | rejected
    state: Option<String>,
}

/// Swap requests the caller may see (county: all; others: their own).
#[utoipa::path(get, path = "/api/v1/duty/swaps", tag = "值班值守",
    params(SwapQuery), responses((status = 200, body = Vec<Swap>), (status = 403)))]
async fn swaps(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<SwapQuery>,
) -> AppResult<axum::Json<Vec<Swap>>> {
    let wanted = q.state.as_deref().and_then(SwapState::parse);
    Ok(axum::Json(store::swaps(&state.db, &actor, wanted).await?))
}

/// Ask to hand one's own (future) shift to another person, optionally taking one of theirs.
#[utoipa::path(post, path = "/api/v1/duty/swaps", tag = "值班值守",
    request_body = SwapInput,
    responses((status = 201, body = Swap), (status = 409), (status = 422)))]
async fn request_swap(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<SwapInput>,
) -> AppResult<(StatusCode, axum::Json<Swap>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::request_swap(&state, &actor, &input).await?),
    ))
}

/// Approve or reject (the period's creator or a county duty editor; never the requester).
/// Approval swaps the assignments in one transaction, re-checking overlaps (409 `swap_refused`).
#[utoipa::path(post, path = "/api/v1/duty/swaps/{id}/decide", tag = "值班值守",
    request_body = DecideInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Swap), (status = 403), (status = 409)))]
async fn decide_swap(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<DecideInput>,
) -> AppResult<axum::Json<Swap>> {
    Ok(axum::Json(
        store::decide_swap(&state, &actor, id, &input).await?,
    ))
}
