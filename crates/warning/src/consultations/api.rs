//! `/api/v1/warning/consultations`: the reports, their lifecycle and their Word files.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, Consultation, ConsultationFilter, ConsultationInput, VersionInput, VoidInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(issue))
        .routes(routes!(void))
        .routes(routes!(docx))
}

/// Reports the caller may read (the county's; below the county, only issued ones), latest
/// meeting first.
#[utoipa::path(get, path = "/api/v1/warning/consultations", tag = "风险会商",
    params(ConsultationFilter, Paging),
    responses((status = 200, body = PageOf<Consultation>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<ConsultationFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Consultation>>> {
    Ok(axum::Json(
        store::list(&state.db, &actor, &filter, paging).await?,
    ))
}

/// Save a draft report (numbered only when issued). County-level writers only.
#[utoipa::path(post, path = "/api/v1/warning/consultations", tag = "风险会商",
    request_body = ConsultationInput,
    responses((status = 201, body = Consultation), (status = 403), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<ConsultationInput>,
) -> AppResult<(StatusCode, axum::Json<Consultation>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// One report.
#[utoipa::path(get, path = "/api/v1/warning/consultations/{id}", tag = "风险会商",
    params(("id" = Uuid, Path)), responses((status = 200, body = Consultation), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Consultation>> {
    Ok(axum::Json(store::get(&state.db, &actor, id).await?))
}

/// Edit a draft; `version` must be the one read (409 `stale_edit` otherwise). An issued or
/// voided report answers 409 `transition_refused`.
#[utoipa::path(patch, path = "/api/v1/warning/consultations/{id}", tag = "风险会商",
    request_body = ConsultationInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Consultation), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ConsultationInput>,
) -> AppResult<axum::Json<Consultation>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 印发: number the report (per county and year) and freeze it.
#[utoipa::path(post, path = "/api/v1/warning/consultations/{id}/issue", tag = "风险会商",
    request_body = VersionInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Consultation), (status = 409), (status = 422)))]
async fn issue(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VersionInput>,
) -> AppResult<axum::Json<Consultation>> {
    Ok(axum::Json(
        store::issue(&state, &actor, id, input.version).await?,
    ))
}

/// 作废 with a reason; an issued report keeps its number, never given again.
#[utoipa::path(post, path = "/api/v1/warning/consultations/{id}/void", tag = "风险会商",
    request_body = VoidInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Consultation), (status = 409), (status = 422)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<axum::Json<Consultation>> {
    Ok(axum::Json(store::void(&state, &actor, id, &input).await?))
}

/// The report as a Word file: as issued, or a preview of a draft.
#[utoipa::path(get, path = "/api/v1/warning/consultations/{id}/docx", tag = "风险会商",
    params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404)))]
async fn docx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    store::letter_of(&state, &actor, id).await?.download()
}
