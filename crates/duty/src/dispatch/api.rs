//! `/api/v1/duty/dispatches`: start today's dispatch, read a day's answers per township, close
//! it; `/api/v1/duty/dispatch-answers/{token}` and `/api/v1/duty/dispatch-calls/{id}/answer`
//! take a township's answers.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::calls::Confirmation;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{self, Answers, CloseInput, Dispatch, StartInput, Summary};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, start))
        .routes(routes!(detail))
        .routes(routes!(close))
        .routes(routes!(answer_by_token))
        .routes(routes!(answer_in_app))
}

/// The county's last 60 dispatches, newest first.
#[utoipa::path(get, path = "/api/v1/duty/dispatches", tag = "值班值守",
    responses((status = 200, body = Vec<Dispatch>), (status = 403)))]
async fn list(State(state): State<AppState>, actor: Actor) -> AppResult<axum::Json<Vec<Dispatch>>> {
    Ok(axum::Json(store::list(&state, &actor, 60).await?))
}

/// 发起每日调度 for today: every township's duty contacts (its head when none), the department
/// liaisons and chosen groups are asked at once (409 when today's is already started).
#[utoipa::path(post, path = "/api/v1/duty/dispatches", tag = "值班值守",
    request_body = StartInput,
    responses((status = 201, body = Dispatch), (status = 403), (status = 409), (status = 422)))]
async fn start(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<StartInput>,
) -> AppResult<(StatusCode, axum::Json<Dispatch>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::start(&state, &actor, &input).await?),
    ))
}

/// A day's dispatch: per township who was asked, the answers (alarming ones marked), the
/// escalations; and every call.
#[utoipa::path(get, path = "/api/v1/duty/dispatches/{id}", tag = "值班值守",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Summary), (status = 404)))]
async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Summary>> {
    Ok(axum::Json(store::summary(&state, &actor, id).await?))
}

/// 结束调度 early: answers are refused from now on (409 when already over).
#[utoipa::path(post, path = "/api/v1/duty/dispatches/{id}/close", tag = "值班值守",
    params(("id" = Uuid, Path)), request_body = CloseInput,
    responses((status = 200, body = Dispatch), (status = 403), (status = 409)))]
async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CloseInput>,
) -> AppResult<axum::Json<Dispatch>> {
    Ok(axum::Json(store::close(&state, &actor, id, &input).await?))
}

/// Answer through the link in the message (no login; the token is the credential): question
/// key → answer. 422 with a message per question key; 409 once the day is closed.
#[utoipa::path(post, path = "/api/v1/duty/dispatch-answers/{token}", tag = "值班值守",
    params(("token" = String, Path)), request_body = Object,
    responses((status = 200, body = Confirmation), (status = 404), (status = 409), (status = 422)))]
async fn answer_by_token(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(answers): Json<Answers>,
) -> AppResult<axum::Json<Confirmation>> {
    Ok(axum::Json(
        store::answer_by_token(&state, &token, &answers).await?,
    ))
}

/// Answer in the app, as the person asked.
#[utoipa::path(post, path = "/api/v1/duty/dispatch-calls/{id}/answer", tag = "值班值守",
    params(("id" = Uuid, Path)), request_body = Object,
    responses((status = 200, body = Confirmation), (status = 404), (status = 409), (status = 422)))]
async fn answer_in_app(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(answers): Json<Answers>,
) -> AppResult<axum::Json<Confirmation>> {
    Ok(axum::Json(
        store::answer_in_app(&state, &actor, id, &answers).await?,
    ))
}
