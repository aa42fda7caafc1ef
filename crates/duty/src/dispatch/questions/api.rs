//! `/api/v1/duty/dispatch-questions`: the county's daily-dispatch questions per season (the
//! built-in defaults until adopted), adding, editing, ordering and removing them.

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

use super::model::Question;
use super::store::{self, MoveInput, QuestionInput, QuestionList, VoidInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(adopt_defaults))
        .routes(routes!(update))
        .routes(routes!(void))
        .routes(routes!(move_question))
}

/// The season asked for.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct KindQuery {
    /// flood (default) | forest_fire | major_event | holiday
    pub kind: Option<String>,
}

/// The county's questions for a season, in order; the built-in defaults (`configured` false,
/// no ids) while it has none of its own.
#[utoipa::path(get, path = "/api/v1/duty/dispatch-questions", tag = "值班值守",
    params(KindQuery),
    responses((status = 200, body = QuestionList), (status = 403), (status = 422)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<KindQuery>,
) -> AppResult<axum::Json<QuestionList>> {
    let kind = store::parse_kind(q.kind.as_deref())?;
    Ok(axum::Json(store::list(&state.db, &actor, kind).await?))
}

/// 添加 a question at the end of its season's list.
#[utoipa::path(post, path = "/api/v1/duty/dispatch-questions", tag = "值班值守",
    request_body = QuestionInput,
    responses((status = 201, body = Question), (status = 403), (status = 422)))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<QuestionInput>,
) -> AppResult<(StatusCode, axum::Json<Question>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// 采用默认问题: store the season's built-in questions so they can be edited (409 once the
/// county has its own).
#[utoipa::path(post, path = "/api/v1/duty/dispatch-questions/defaults", tag = "值班值守",
    request_body = KindQuery,
    responses((status = 201, body = QuestionList), (status = 403), (status = 409)))]
async fn adopt_defaults(
    State(state): State<AppState>,
    actor: Actor,
    Json(q): Json<KindQuery>,
) -> AppResult<(StatusCode, axum::Json<QuestionList>)> {
    let kind = store::parse_kind(q.kind.as_deref())?;
    Ok((
        StatusCode::CREATED,
        axum::Json(store::adopt_defaults(&state, &actor, kind).await?),
    ))
}

/// 修改 a question against the version read (409 when stale); its season and key stay.
#[utoipa::path(put, path = "/api/v1/duty/dispatch-questions/{id}", tag = "值班值守",
    request_body = QuestionInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Question), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<QuestionInput>,
) -> AppResult<axum::Json<Question>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 删除 a question, with a reason.
#[utoipa::path(post, path = "/api/v1/duty/dispatch-questions/{id}/void", tag = "值班值守",
    request_body = VoidInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Question), (status = 404), (status = 422)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<axum::Json<Question>> {
    Ok(axum::Json(store::void(&state, &actor, id, &input).await?))
}

/// 上移 / 下移 a question; answers the season's list in its new order.
#[utoipa::path(post, path = "/api/v1/duty/dispatch-questions/{id}/move", tag = "值班值守",
    request_body = MoveInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = QuestionList), (status = 404), (status = 422)))]
async fn move_question(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<MoveInput>,
) -> AppResult<axum::Json<QuestionList>> {
    Ok(axum::Json(
        store::move_question(&state, &actor, id, &input).await?,
    ))
}
