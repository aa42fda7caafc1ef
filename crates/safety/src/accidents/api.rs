//! `/api/v1/safety/accidents`: the accident ledger, casualty revisions and the investigation.

use axum::extract::State;
use axum::http::StatusCode;
use platform::access::{Actor, perm};
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging, SortQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, Accident, AccidentFilter, AccidentInput, ApprovalInput, InvestigationInput,
    PublicationInput, RevisionInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(revise))
        .routes(routes!(investigate))
        .routes(routes!(approve))
        .routes(routes!(publish))
}

/// Accidents in scope, latest first.
#[utoipa::path(get, path = "/api/v1/safety/accidents", tag = "生产安全事故",
    params(AccidentFilter, SortQuery, Paging), responses((status = 200, body = PageOf<Accident>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<AccidentFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Accident>>> {
    let sort = store::SORTS.pick(&sort)?;
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, &sort, paging).await?,
    ))
}

/// Record an accident (首报); numbered SG<year>-<n> per county; grade and late flag computed.
#[utoipa::path(post, path = "/api/v1/safety/accidents", tag = "生产安全事故",
    request_body = AccidentInput,
    responses((status = 201, body = Accident), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<AccidentInput>,
) -> AppResult<(StatusCode, axum::Json<Accident>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// One accident with its casualty revisions.
#[utoipa::path(get, path = "/api/v1/safety/accidents/{id}", tag = "生产安全事故",
    params(("id" = Uuid, Path)), responses((status = 200, body = Accident), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Accident>> {
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(store::get(&state.db, &actor.scope(), id).await?))
}

/// Edit the report (not the casualty counts: see revisions); `version` must be the one read.
#[utoipa::path(patch, path = "/api/v1/safety/accidents/{id}", tag = "生产安全事故",
    request_body = AccidentInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Accident), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<AccidentInput>,
) -> AppResult<axum::Json<Accident>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 续报: new casualty counts with the reason; refused (409 revision_too_late) after 30 days from
/// the accident, 7 for road traffic and fire types.
#[utoipa::path(post, path = "/api/v1/safety/accidents/{id}/revisions", tag = "生产安全事故",
    request_body = RevisionInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Accident), (status = 409), (status = 422)))]
async fn revise(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<RevisionInput>,
) -> AppResult<axum::Json<Accident>> {
    Ok(axum::Json(store::revise(&state, &actor, id, &input).await?))
}

/// 开始调查: 已报告 → 调查中.
#[utoipa::path(post, path = "/api/v1/safety/accidents/{id}/investigate", tag = "生产安全事故",
    request_body = InvestigationInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Accident), (status = 409), (status = 422)))]
async fn investigate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<InvestigationInput>,
) -> AppResult<axum::Json<Accident>> {
    Ok(axum::Json(
        store::start_investigation(&state, &actor, id, &input).await?,
    ))
}

/// 批复调查报告: 调查中 → 已批复.
#[utoipa::path(post, path = "/api/v1/safety/accidents/{id}/approve", tag = "生产安全事故",
    request_body = ApprovalInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Accident), (status = 409), (status = 422)))]
async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ApprovalInput>,
) -> AppResult<axum::Json<Accident>> {
    Ok(axum::Json(
        store::approve(&state, &actor, id, &input).await?,
    ))
}

/// 公开调查结果: 已批复 → 已公开.
#[utoipa::path(post, path = "/api/v1/safety/accidents/{id}/publish", tag = "生产安全事故",
    request_body = PublicationInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Accident), (status = 409), (status = 422)))]
async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<PublicationInput>,
) -> AppResult<axum::Json<Accident>> {
    Ok(axum::Json(
        store::publish(&state, &actor, id, &input).await?,
    ))
}
