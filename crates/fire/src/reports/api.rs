//! `/api/v1/fire/report-schedule`: the county's report times; `/api/v1/fire/reports`: a day's
//! board, and opening a slot by hand; `/api/v1/fire/report-filings/{token}` and
//! `/api/v1/fire/report-calls/{id}/file` take a township's report.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use platform::web::form::{Json, Path, Query, parse_date};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::board::{self, Board};
use super::model::{self, Schedule};
use super::schedule::{self, ScheduleInput};
use super::slots::{self, Filed, FilingInput, OpenInput, SlotView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_schedule, put_schedule))
        .routes(routes!(get_board))
        .routes(routes!(open_slot))
        .routes(routes!(file_by_token))
        .routes(routes!(file_in_app))
}

/// The county's report times and grace period (`configured` false: the defaults).
#[utoipa::path(get, path = "/api/v1/fire/report-schedule", tag = "森林防火",
    responses((status = 200, body = Schedule), (status = 403)))]
async fn get_schedule(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<Schedule>> {
    Ok(axum::Json(schedule::get(&state.db, &actor).await?))
}

/// 设置 the county's report times (422 with a message per field: `slots`, `grace_minutes`).
#[utoipa::path(put, path = "/api/v1/fire/report-schedule", tag = "森林防火",
    request_body = ScheduleInput,
    responses((status = 200, body = Schedule), (status = 403), (status = 409), (status = 422)))]
async fn put_schedule(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<ScheduleInput>,
) -> AppResult<axum::Json<Schedule>> {
    Ok(axum::Json(schedule::save(&state, &actor, &input).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// YYYY-MM-DD, default today.
    pub day: Option<String>,
}

/// The day asked for, today by default.
pub fn day_of(state: &AppState, q: &DayQuery) -> AppResult<chrono::NaiveDate> {
    match q.day.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(text) => {
            parse_date(text).ok_or_else(|| AppError::field("day", "日期格式应为 YYYY-MM-DD"))
        }
        None => Ok(model::local_day(state.now())),
    }
}

/// A day's board: townships × report times with each one's status and the counts.
#[utoipa::path(get, path = "/api/v1/fire/reports", tag = "森林防火",
    params(DayQuery),
    responses((status = 200, body = Board), (status = 403), (status = 422)))]
async fn get_board(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<DayQuery>,
) -> AppResult<axum::Json<Board>> {
    let day = day_of(&state, &q)?;
    Ok(axum::Json(board::board(&state, &actor, day).await?))
}

/// Open one of today's report times by hand (the job missed it): 409 when already open, not yet
/// due or out of season.
#[utoipa::path(post, path = "/api/v1/fire/reports/open", tag = "森林防火",
    request_body = OpenInput,
    responses((status = 201, body = SlotView), (status = 403), (status = 409), (status = 422)))]
async fn open_slot(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<OpenInput>,
) -> AppResult<(StatusCode, axum::Json<SlotView>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(slots::open_by_hand(&state, &actor, &input).await?),
    ))
}

/// File through the link in the message (no login; the token is the credential). 409
/// `already_reported` for a second report, `report_closed` after the county's midnight.
#[utoipa::path(post, path = "/api/v1/fire/report-filings/{token}", tag = "森林防火",
    params(("token" = String, Path)), request_body = FilingInput,
    responses((status = 200, body = Filed), (status = 404), (status = 409), (status = 422)))]
async fn file_by_token(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(input): Json<FilingInput>,
) -> AppResult<axum::Json<Filed>> {
    Ok(axum::Json(
        slots::file_by_token(&state, &token, &input).await?,
    ))
}

/// File in the app, as the person asked.
#[utoipa::path(post, path = "/api/v1/fire/report-calls/{id}/file", tag = "森林防火",
    params(("id" = Uuid, Path)), request_body = FilingInput,
    responses((status = 200, body = Filed), (status = 404), (status = 409), (status = 422)))]
async fn file_in_app(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<FilingInput>,
) -> AppResult<axum::Json<Filed>> {
    Ok(axum::Json(
        slots::file_in_app(&state, &actor, id, &input).await?,
    ))
}
