//! `/api/v1/safety/campaigns` and `/api/v1/safety/inspections`: campaigns with their progress,
//! inspections with checklists, their photos, and hazards registered from an inspection.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use platform::access::{Actor, perm};
use platform::attachments::{self, Attachment, MultipartForm};
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging, SortQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::model::{CHECKLISTS, Checklist};
use super::store::{
    self, Campaign, CampaignFilter, CampaignInput, CampaignProgress, FindingInput, Inspection,
    InspectionFilter, InspectionInput,
};
use crate::hazards::store::Hazard;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, update_campaign))
        .routes(routes!(campaign_progress))
        .routes(routes!(checklists))
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(files, upload))
        .routes(routes!(hazards, register_hazard))
        .layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT))
}

/// Campaigns visible to the caller (their own and those of the levels above), latest first.
#[utoipa::path(get, path = "/api/v1/safety/campaigns", tag = "专项整治与执法检查",
    params(CampaignFilter, Paging), responses((status = 200, body = PageOf<Campaign>)))]
async fn list_campaigns(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<CampaignFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Campaign>>> {
    actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::list_campaigns(&state.db, &actor, &filter, paging, today).await?,
    ))
}

/// Start a campaign at the caller's level.
#[utoipa::path(post, path = "/api/v1/safety/campaigns", tag = "专项整治与执法检查",
    request_body = CampaignInput,
    responses((status = 201, body = Campaign), (status = 422, description = "字段错误")))]
async fn create_campaign(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<CampaignInput>,
) -> AppResult<(StatusCode, axum::Json<Campaign>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create_campaign(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/safety/campaigns/{id}", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)), responses((status = 200, body = Campaign), (status = 404)))]
async fn get_campaign(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Campaign>> {
    actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::get_campaign(&state.db, &actor, id, today).await?,
    ))
}

/// Edit a campaign of the caller's scope; `version` must be the one read (stale: 409).
#[utoipa::path(patch, path = "/api/v1/safety/campaigns/{id}", tag = "专项整治与执法检查",
    request_body = CampaignInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Campaign), (status = 409), (status = 422)))]
async fn update_campaign(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CampaignInput>,
) -> AppResult<axum::Json<Campaign>> {
    Ok(axum::Json(
        store::update_campaign(&state, &actor, id, &input).await?,
    ))
}

/// Units in the campaign's sectors and townships, how many were inspected in its period, and
/// hazards found and fixed through its inspections — inside the caller's scope.
#[utoipa::path(get, path = "/api/v1/safety/campaigns/{id}/progress", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)), responses((status = 200, body = CampaignProgress), (status = 404)))]
async fn campaign_progress(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<CampaignProgress>> {
    actor.require(perm::SAFETY_VIEW)?;
    let campaign = store::get_campaign(&state.db, &actor, id, store::today(&state)).await?;
    Ok(axum::Json(
        store::progress(&state.db, &actor, &campaign).await?,
    ))
}

/// The fixed checklists by industry group, each item with the code answers refer to.
#[utoipa::path(get, path = "/api/v1/safety/inspections/checklists", tag = "专项整治与执法检查",
    responses((status = 200, body = Vec<Checklist>)))]
async fn checklists(actor: Actor) -> AppResult<axum::Json<&'static [Checklist]>> {
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(CHECKLISTS))
}

/// Inspections in scope, latest first.
#[utoipa::path(get, path = "/api/v1/safety/inspections", tag = "专项整治与执法检查",
    params(InspectionFilter, SortQuery, Paging), responses((status = 200, body = PageOf<Inspection>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<InspectionFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Inspection>>> {
    let sort = store::SORTS.pick(&sort)?;
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, &sort, paging).await?,
    ))
}

/// Record an inspection of a unit (checklist answered item by item) or a supervision tour of a
/// township or department (problems one per line). Enforcement needs two inspectors.
#[utoipa::path(post, path = "/api/v1/safety/inspections", tag = "专项整治与执法检查",
    request_body = InspectionInput,
    responses((status = 201, body = Inspection), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<InspectionInput>,
) -> AppResult<(StatusCode, axum::Json<Inspection>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/safety/inspections/{id}", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)), responses((status = 200, body = Inspection), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Inspection>> {
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(store::get(&state.db, &actor.scope(), id).await?))
}

/// Edit an inspection; the unit stays; `version` must be the one read (stale: 409).
#[utoipa::path(patch, path = "/api/v1/safety/inspections/{id}", tag = "专项整治与执法检查",
    request_body = InspectionInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Inspection), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<InspectionInput>,
) -> AppResult<axum::Json<Inspection>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// An inspection's photos, oldest first; each is fetched from its `href`.
#[utoipa::path(get, path = "/api/v1/safety/inspections/{id}/files", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<Attachment>), (status = 404)))]
async fn files(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Vec<Attachment>>> {
    actor.require(perm::SAFETY_VIEW)?;
    let scope = actor.scope();
    store::get(&state.db, &scope, id).await?;
    Ok(axum::Json(store::files(&state.db, &scope, id).await?))
}

/// Upload photos (multipart, field `files`, optional `latitude`/`longitude`).
#[utoipa::path(post, path = "/api/v1/safety/inspections/{id}/files", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)), request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<Attachment>), (status = 404), (status = 422)))]
async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<(StatusCode, axum::Json<Vec<Attachment>>)> {
    let saved = store::attach(&state, &actor, id, &form.files("files"), form.location()).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// The hazards this inspection found.
#[utoipa::path(get, path = "/api/v1/safety/inspections/{id}/hazards", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<Hazard>), (status = 404)))]
async fn hazards(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Vec<Hazard>>> {
    actor.require(perm::SAFETY_VIEW)?;
    let scope = actor.scope();
    store::get(&state.db, &scope, id).await?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::hazards_of(&state.db, &scope, id, today).await?,
    ))
}

/// Register a hazard found on this inspection, with its photos, in one step (multipart: the
/// fields of `FindingInput`, files under `files`, optional `latitude`/`longitude`).
#[utoipa::path(post, path = "/api/v1/safety/inspections/{id}/hazards", tag = "专项整治与执法检查",
    params(("id" = Uuid, Path)),
    request_body(content = FindingInput, content_type = "multipart/form-data"),
    responses((status = 201, body = Hazard), (status = 404), (status = 409), (status = 422)))]
async fn register_hazard(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<(StatusCode, axum::Json<Hazard>)> {
    let input: FindingInput = form.fields()?;
    let created = store::register_hazard(
        &state,
        &actor,
        id,
        &input,
        &form.files("files"),
        form.location(),
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}
