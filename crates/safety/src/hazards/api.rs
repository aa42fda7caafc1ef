//! `/api/v1/safety/hazards`: the ledger and its closed loop.

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

use super::documents::{self, HazardDocument};
use super::store::{
    self, Hazard, HazardFilter, HazardInput, NoticeInput, ReviewInput, ReviewRequestInput,
    VersionInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(notice))
        .routes(routes!(start))
        .routes(routes!(request_review))
        .routes(routes!(review))
        .routes(routes!(close))
        .routes(routes!(files, upload))
        .routes(routes!(document_list))
        .routes(routes!(document_docx))
        .layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT))
}

/// Hazards in scope, latest discovered first unless `sort` says otherwise (discovered_on,
/// number, region, grade, deadline).
#[utoipa::path(get, path = "/api/v1/safety/hazards", tag = "事故隐患",
    params(HazardFilter, SortQuery, Paging), responses((status = 200, body = PageOf<Hazard>),
        (status = 400, description = "未知的排序字段或方向")))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<HazardFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Hazard>>> {
    actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, &sort, paging, today).await?,
    ))
}

/// Register a hazard at a unit in scope; it is numbered YH<year>-<n> per county.
#[utoipa::path(post, path = "/api/v1/safety/hazards", tag = "事故隐患", request_body = HazardInput,
    responses((status = 201, body = Hazard), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<HazardInput>,
) -> AppResult<(StatusCode, axum::Json<Hazard>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/safety/hazards/{id}", tag = "事故隐患",
    params(("id" = Uuid, Path)), responses((status = 200, body = Hazard), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Hazard>> {
    actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::get(&state.db, &actor.scope(), id, today).await?,
    ))
}

/// Edit the basic fields; `version` must be the one read (a stale edit answers 409).
#[utoipa::path(patch, path = "/api/v1/safety/hazards/{id}", tag = "事故隐患", request_body = HazardInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Hazard), (status = 409)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<HazardInput>,
) -> AppResult<axum::Json<Hazard>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 下达整改: the deadline, and for a major hazard its criterion and the five-in-place.
#[utoipa::path(post, path = "/api/v1/safety/hazards/{id}/notice", tag = "事故隐患", request_body = NoticeInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Hazard), (status = 409), (status = 422)))]
async fn notice(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<NoticeInput>,
) -> AppResult<axum::Json<Hazard>> {
    Ok(axum::Json(
        store::issue_notice(&state, &actor, id, &input).await?,
    ))
}

/// 开始整改.
#[utoipa::path(post, path = "/api/v1/safety/hazards/{id}/start", tag = "事故隐患", request_body = VersionInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Hazard), (status = 409)))]
async fn start(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VersionInput>,
) -> AppResult<axum::Json<Hazard>> {
    Ok(axum::Json(
        store::start(&state, &actor, id, input.version).await?,
    ))
}

/// 申请复查, with evidence.
#[utoipa::path(post, path = "/api/v1/safety/hazards/{id}/request-review", tag = "事故隐患",
    request_body = ReviewRequestInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = Hazard), (status = 409), (status = 422)))]
async fn request_review(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ReviewRequestInput>,
) -> AppResult<axum::Json<Hazard>> {
    Ok(axum::Json(
        store::request_review(&state, &actor, id, &input).await?,
    ))
}

/// 复查: pass, or fail with reasons.
#[utoipa::path(post, path = "/api/v1/safety/hazards/{id}/review", tag = "事故隐患", request_body = ReviewInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Hazard), (status = 409), (status = 422)))]
async fn review(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ReviewInput>,
) -> AppResult<axum::Json<Hazard>> {
    Ok(axum::Json(store::review(&state, &actor, id, &input).await?))
}

/// 销号, only after a passed review.
#[utoipa::path(post, path = "/api/v1/safety/hazards/{id}/close", tag = "事故隐患", request_body = VersionInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Hazard), (status = 409)))]
async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VersionInput>,
) -> AppResult<axum::Json<Hazard>> {
    Ok(axum::Json(
        store::close(&state, &actor, id, input.version).await?,
    ))
}

/// A hazard's photos and documents, oldest first; each is fetched from its `href`.
#[utoipa::path(get, path = "/api/v1/safety/hazards/{id}/files", tag = "事故隐患",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<Attachment>), (status = 404)))]
async fn files(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Vec<Attachment>>> {
    actor.require(perm::SAFETY_VIEW)?;
    let scope = actor.scope();
    store::get(&state.db, &scope, id, store::today(&state)).await?;
    Ok(axum::Json(store::files(&state.db, &scope, id).await?))
}

/// Upload photos or documents (multipart, field `files`, optional `latitude`/`longitude`);
/// each file at most 10 MB, JPG/PNG/WebP/HEIC/PDF/DOCX/XLSX judged by content.
#[utoipa::path(post, path = "/api/v1/safety/hazards/{id}/files", tag = "事故隐患",
    params(("id" = Uuid, Path)), request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<Attachment>), (status = 409), (status = 422)))]
async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<(StatusCode, axum::Json<Vec<Attachment>>)> {
    let saved = store::attach(&state, &actor, id, &form.files("files"), form.location()).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// The documents issued for a hazard (责令限期整改指令书, 整改复查意见书), oldest first.
#[utoipa::path(get, path = "/api/v1/safety/hazards/{id}/documents", tag = "事故隐患",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<HazardDocument>), (status = 404)))]
async fn document_list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Vec<HazardDocument>>> {
    actor.require(perm::SAFETY_VIEW)?;
    let scope = actor.scope();
    store::get(&state.db, &scope, id, store::today(&state)).await?;
    Ok(axum::Json(
        documents::list_for(&state.db, &scope, id).await?,
    ))
}

/// One document as a Word file, exactly as issued.
#[utoipa::path(get, path = "/api/v1/safety/hazards/{id}/documents/{doc}/docx", tag = "事故隐患",
    params(("id" = Uuid, Path), ("doc" = Uuid, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404)))]
async fn document_docx(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, doc)): Path<(Uuid, Uuid)>,
) -> AppResult<axum::response::Response> {
    actor.require(perm::SAFETY_VIEW)?;
    documents::get(&state.db, &actor.scope(), id, doc)
        .await?
        .letter
        .download()
}
