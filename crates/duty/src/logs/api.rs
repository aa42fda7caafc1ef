//! `/api/v1/duty/logs`, `/api/v1/duty/handovers` and `/api/v1/duty/board`: the duty log, open
//! matters, handovers and what is running now.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, CloseInput, ConfirmInput, Handover, HandoverInput, LogEntry, LogFilter, LogInput,
};
use crate::rosters::store::{Period, Shift};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(close))
        .routes(routes!(hand_over))
        .routes(routes!(get_handover))
        .routes(routes!(confirm))
        .routes(routes!(board))
}

/// Log entries the caller may see, latest first.
#[utoipa::path(get, path = "/api/v1/duty/logs", tag = "值班值守",
    params(LogFilter, Paging), responses((status = 200, body = PageOf<LogEntry>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<LogFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<LogEntry>>> {
    Ok(axum::Json(
        store::list(&state.db, &actor, &filter, paging).await?,
    ))
}

/// Record an entry in a shift one stands; its time must lie in the shift and not ahead of now.
#[utoipa::path(post, path = "/api/v1/duty/logs", tag = "值班值守",
    request_body = LogInput,
    responses((status = 201, body = LogEntry), (status = 403), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<LogInput>,
) -> AppResult<(StatusCode, axum::Json<LogEntry>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// 办结 an open matter with its outcome.
#[utoipa::path(post, path = "/api/v1/duty/logs/{id}/close", tag = "值班值守",
    request_body = CloseInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = LogEntry), (status = 409), (status = 422)))]
async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CloseInput>,
) -> AppResult<axum::Json<LogEntry>> {
    Ok(axum::Json(store::close(&state, &actor, id, &input).await?))
}

/// 交班: list the period's open matters and a note for the next shift.
#[utoipa::path(post, path = "/api/v1/duty/handovers", tag = "值班值守",
    request_body = HandoverInput,
    responses((status = 201, body = Handover), (status = 409), (status = 422)))]
async fn hand_over(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<HandoverInput>,
) -> AppResult<(StatusCode, axum::Json<Handover>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::hand_over(&state, &actor, &input).await?),
    ))
}

/// One handover.
#[utoipa::path(get, path = "/api/v1/duty/handovers/{id}", tag = "值班值守",
    params(("id" = Uuid, Path)), responses((status = 200, body = Handover), (status = 404)))]
async fn get_handover(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Handover>> {
    Ok(axum::Json(
        store::get_handover(&state.db, &actor, id).await?,
    ))
}

/// 确认接班: someone of the next shift, never the one handing over (409 `handover_refused`).
#[utoipa::path(post, path = "/api/v1/duty/handovers/{id}/confirm", tag = "值班值守",
    request_body = ConfirmInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Handover), (status = 409)))]
async fn confirm(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ConfirmInput>,
) -> AppResult<axum::Json<Handover>> {
    Ok(axum::Json(
        store::confirm(&state, &actor, id, &input).await?,
    ))
}

/// A shift running now, on the board.
#[derive(Serialize, utoipa::ToSchema)]
struct BoardItem {
    period: Period,
    shift: Shift,
    entries: Vec<LogEntry>,
    open: Vec<LogEntry>,
    outgoing: Option<Handover>,
    incoming: Option<Handover>,
}

/// 今日值班: who is on duty now, the shift's log, open matters and handovers.
#[utoipa::path(get, path = "/api/v1/duty/board", tag = "值班值守",
    responses((status = 200, body = Vec<BoardItem>), (status = 403)))]
async fn board(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<Vec<BoardItem>>> {
    let items = store::board(&state, &actor).await?;
    Ok(axum::Json(
        items
            .into_iter()
            .map(|b| BoardItem {
                period: b.period,
                shift: b.shift,
                entries: b.entries,
                open: b.open,
                outgoing: b.outgoing,
                incoming: b.incoming,
            })
            .collect(),
    ))
}
