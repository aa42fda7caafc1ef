//! `/api/v1/fire/hotspots`: hotspots in scope, receiving a FIRMS CSV (the body), manual entry,
//! assigning, voiding, the county's rules, and answering a check in the app.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::answer::{self, AnswerInput, Answered};
use super::model::Rules;
use super::receive::{self, EntryInput, Receipt};
use super::store::{self, Detail, Hotspot, ListFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, enter))
        .routes(routes!(receive))
        .routes(routes!(rules, set_rules))
        .routes(routes!(detail))
        .routes(routes!(assign))
        .routes(routes!(void))
        .routes(routes!(answer))
}

/// Hotspots in scope first detected in the days asked (default the last 7), newest first.
#[utoipa::path(get, path = "/api/v1/fire/hotspots", tag = "森林草原防灭火",
    params(ListFilter), responses((status = 200, body = Vec<Hotspot>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<ListFilter>,
) -> AppResult<axum::Json<Vec<Hotspot>>> {
    Ok(axum::Json(store::list(&state, &actor, &filter).await?))
}

/// 录入卫星热点 (sent down by the provincial system); refused outside the county.
#[utoipa::path(post, path = "/api/v1/fire/hotspots", tag = "森林草原防灭火",
    request_body = EntryInput,
    responses((status = 201, body = Hotspot), (status = 403), (status = 422)))]
async fn enter(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<EntryInput>,
) -> AppResult<(StatusCode, axum::Json<Hotspot>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(receive::enter(&state, &actor, &input).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct FileName {
    /// The file's name, for the list of files received.
    file_name: Option<String>,
}

/// Receive a NASA FIRMS CSV (MODIS or VIIRS layout; the body). Bad rows are listed and the
/// others kept; a file lacking a needed column, or received before, is refused (422 / 409).
#[utoipa::path(post, path = "/api/v1/fire/hotspots/firms", tag = "森林草原防灭火",
    params(FileName),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = Receipt), (status = 403), (status = 409), (status = 422)))]
async fn receive(
    State(state): State<AppState>,
    actor: Actor,
    Query(name): Query<FileName>,
    body: Bytes,
) -> AppResult<(StatusCode, axum::Json<Receipt>)> {
    let file_name = name.file_name.unwrap_or_else(|| "firms.csv".to_string());
    let receipt = receive::receive_upload(&state, &actor, &file_name, &body).await?;
    Ok((StatusCode::CREATED, axum::Json(receipt)))
}

/// The county's hotspot rules (deadline, merging).
#[utoipa::path(get, path = "/api/v1/fire/hotspots/rules", tag = "森林草原防灭火",
    responses((status = 200, body = Rules), (status = 403)))]
async fn rules(State(state): State<AppState>, actor: Actor) -> AppResult<axum::Json<Rules>> {
    Ok(axum::Json(store::rules(&state, &actor).await?))
}

#[utoipa::path(put, path = "/api/v1/fire/hotspots/rules", tag = "森林草原防灭火",
    request_body = Rules,
    responses((status = 200, body = Rules), (status = 403), (status = 422)))]
async fn set_rules(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<Rules>,
) -> AppResult<axum::Json<Rules>> {
    Ok(axum::Json(store::set_rules(&state, &actor, &input).await?))
}

/// A hotspot with its pixels, photos and calls.
#[utoipa::path(get, path = "/api/v1/fire/hotspots/{id}", tag = "森林草原防灭火",
    responses((status = 200, body = Detail), (status = 404)))]
async fn detail(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Detail>> {
    Ok(axum::Json(store::detail(&state, &actor, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct AssignInput {
    /// The township's 12-digit code.
    township: String,
}

/// Send a hotspot in no township area to a township.
#[utoipa::path(post, path = "/api/v1/fire/hotspots/{id}/assign", tag = "森林草原防灭火",
    request_body = AssignInput,
    responses((status = 200, body = Hotspot), (status = 409), (status = 422)))]
async fn assign(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<AssignInput>,
) -> AppResult<axum::Json<Hotspot>> {
    Ok(axum::Json(
        receive::assign(&state, &actor, id, &input.township).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct VoidInput {
    reason: String,
}

#[utoipa::path(post, path = "/api/v1/fire/hotspots/{id}/void", tag = "森林草原防灭火",
    request_body = VoidInput,
    responses((status = 200, body = Hotspot), (status = 409), (status = 422)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<axum::Json<Hotspot>> {
    Ok(axum::Json(
        receive::void(&state, &actor, id, &input.reason).await?,
    ))
}

/// Answer one's own check (the call's id; photos go through the phone page).
#[utoipa::path(post, path = "/api/v1/fire/hotspots/calls/{call_id}/answer", tag = "森林草原防灭火",
    request_body = AnswerInput,
    responses((status = 200, body = Answered), (status = 404), (status = 409), (status = 422)))]
async fn answer(
    State(state): State<AppState>,
    actor: Actor,
    Path(call_id): Path<Uuid>,
    Json(input): Json<AnswerInput>,
) -> AppResult<axum::Json<Answered>> {
    Ok(axum::Json(
        answer::answer_in_app(&state, &actor, call_id, &input, &[]).await?,
    ))
}
