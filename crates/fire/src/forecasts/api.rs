//! `/api/v1/fire/forecasts`, `/api/v1/fire/bans`, `/api/v1/fire/documents`: daily fire-danger
//! forecasts per township, burn bans, and warning conclusions / urging letters.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use platform::access::Actor;
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::bans::{self, Ban, BanInput, LiftInput};
use super::documents::{self, Document, DocumentFilter, DocumentInput};
use super::model::DocKind;
use super::store::{self, Forecast, ForecastDay, ForecastInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_forecasts, save_forecast))
        .routes(routes!(get_forecast))
        .routes(routes!(list_bans, issue_ban))
        .routes(routes!(get_ban))
        .routes(routes!(lift_ban))
        .routes(routes!(list_documents, issue_document))
        .routes(routes!(get_document))
        .routes(routes!(void_document))
}

/// The year asked for (this year when blank).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The days of a year with a forecast, latest first, with the townships per level.
#[utoipa::path(get, path = "/api/v1/fire/forecasts", tag = "森林防火", params(YearQuery),
    responses((status = 200, body = Vec<ForecastDay>), (status = 403)))]
async fn list_forecasts(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<YearQuery>,
) -> AppResult<axum::Json<Vec<ForecastDay>>> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    Ok(axum::Json(store::list(&state.db, &actor, year).await?))
}

/// 录入 a day's forecast (levels per township, or all at one level); entering a day again
/// replaces its levels.
#[utoipa::path(post, path = "/api/v1/fire/forecasts", tag = "森林防火",
    request_body = ForecastInput,
    responses((status = 200, body = Forecast), (status = 403), (status = 422)))]
async fn save_forecast(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<ForecastInput>,
) -> AppResult<axum::Json<Forecast>> {
    Ok(axum::Json(store::save(&state, &actor, &input).await?))
}

/// A day's forecast with its orange and red townships.
#[utoipa::path(get, path = "/api/v1/fire/forecasts/{day}", tag = "森林防火",
    params(("day" = String, Path, description = "2026-03-15")),
    responses((status = 200, body = Forecast), (status = 404)))]
async fn get_forecast(
    State(state): State<AppState>,
    actor: Actor,
    Path(day): Path<String>,
) -> AppResult<axum::Json<Forecast>> {
    let day: NaiveDate = day.parse().map_err(|_| AppError::NotFound)?;
    Ok(axum::Json(store::get(&state.db, &actor, day).await?))
}

/// The county's burn bans of a year, latest first.
#[utoipa::path(get, path = "/api/v1/fire/bans", tag = "森林防火", params(YearQuery),
    responses((status = 200, body = Vec<Ban>), (status = 403)))]
async fn list_bans(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<YearQuery>,
) -> AppResult<axum::Json<Vec<Ban>>> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    Ok(axum::Json(bans::list(&state.db, &actor, year).await?))
}

/// 发布禁火令: numbered, published to the townships' responsible persons. Refused (422,
/// field `override`) when no township of the day is orange or red, unless `override` with
/// `override_reason`.
#[utoipa::path(post, path = "/api/v1/fire/bans", tag = "森林防火", request_body = BanInput,
    responses((status = 201, body = Ban), (status = 403), (status = 422)))]
async fn issue_ban(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<BanInput>,
) -> AppResult<(StatusCode, axum::Json<Ban>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(bans::issue(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/fire/bans/{id}", tag = "森林防火",
    params(("id" = Uuid, Path)), responses((status = 200, body = Ban), (status = 404)))]
async fn get_ban(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Ban>> {
    Ok(axum::Json(bans::get(&state.db, &actor, id).await?))
}

/// 解除禁火令 with a reason; the townships are told.
#[utoipa::path(post, path = "/api/v1/fire/bans/{id}/lift", tag = "森林防火",
    params(("id" = Uuid, Path)), request_body = LiftInput,
    responses((status = 200, body = Ban), (status = 404), (status = 409), (status = 422)))]
async fn lift_ban(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<LiftInput>,
) -> AppResult<axum::Json<Ban>> {
    Ok(axum::Json(bans::lift(&state, &actor, id, &input).await?))
}

/// The county's warning conclusions and urging letters of a year.
#[utoipa::path(get, path = "/api/v1/fire/documents", tag = "森林防火", params(DocumentFilter),
    responses((status = 200, body = Vec<Document>), (status = 403)))]
async fn list_documents(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<DocumentFilter>,
) -> AppResult<axum::Json<Vec<Document>>> {
    let year = q.year.unwrap_or_else(|| store::this_year(&state));
    let kind = q.kind.as_deref().and_then(DocKind::parse);
    Ok(axum::Json(
        documents::list(&state.db, &actor, year, kind).await?,
    ))
}

/// 印发 a warning conclusion or an urging letter (numbered per kind, county and year).
#[utoipa::path(post, path = "/api/v1/fire/documents", tag = "森林防火",
    request_body = DocumentInput,
    responses((status = 201, body = Document), (status = 403), (status = 422)))]
async fn issue_document(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<DocumentInput>,
) -> AppResult<(StatusCode, axum::Json<Document>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(documents::issue(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/fire/documents/{id}", tag = "森林防火",
    params(("id" = Uuid, Path)), responses((status = 200, body = Document), (status = 404)))]
async fn get_document(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Document>> {
    Ok(axum::Json(documents::get(&state.db, &actor, id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct VoidInput {
    reason: String,
}

/// 作废 a document issued by mistake (its number is not reused).
#[utoipa::path(post, path = "/api/v1/fire/documents/{id}/void", tag = "森林防火",
    params(("id" = Uuid, Path)), request_body = VoidInput,
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
async fn void_document(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<StatusCode> {
    documents::void(&state, &actor, id, &input.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
