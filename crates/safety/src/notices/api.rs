//! `/api/v1/safety/notices` (the sender's side) and `/api/v1/safety/inbox` (the recipients').

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use platform::access::Actor;
use platform::attachments::{self, Attachment, MultipartForm};
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging, SortQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, CloseInput, Inbox, Notice, NoticeFilter, NoticeInput, ReplyInput, ReturnInput,
    VersionInput,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(send))
        .routes(routes!(close))
        .routes(routes!(return_reply))
        .routes(routes!(files, upload))
        .routes(routes!(inbox))
        .routes(routes!(inbox_get))
        .routes(routes!(inbox_reply))
        .layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT))
}

/// The county's letters, drafts first, then the latest sent.
#[utoipa::path(get, path = "/api/v1/safety/notices", tag = "函件",
    params(NoticeFilter, SortQuery, Paging), responses((status = 200, body = PageOf<Notice>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<NoticeFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Notice>>> {
    let sort = store::SORTS.pick(&sort)?;
    let today = store::today(&state);
    Ok(axum::Json(
        store::list(&state.db, &actor, &filter, &sort, paging, today).await?,
    ))
}

/// Save a draft letter (numbered only when sent).
#[utoipa::path(post, path = "/api/v1/safety/notices", tag = "函件", request_body = NoticeInput,
    responses((status = 201, body = Notice), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<NoticeInput>,
) -> AppResult<(StatusCode, axum::Json<Notice>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// A letter: whole for its sender, with only the own row for a recipient.
#[utoipa::path(get, path = "/api/v1/safety/notices/{id}", tag = "函件",
    params(("id" = Uuid, Path)), responses((status = 200, body = Notice), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Notice>> {
    let today = store::today(&state);
    Ok(axum::Json(store::get(&state.db, &actor, id, today).await?))
}

/// Edit a draft; `version` must be the one read. A sent letter answers 409.
#[utoipa::path(patch, path = "/api/v1/safety/notices/{id}", tag = "函件", request_body = NoticeInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Notice), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<NoticeInput>,
) -> AppResult<axum::Json<Notice>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 发出: number the draft (per county, kind and year) and deliver it.
#[utoipa::path(post, path = "/api/v1/safety/notices/{id}/send", tag = "函件", request_body = VersionInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Notice), (status = 409), (status = 422)))]
async fn send(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VersionInput>,
) -> AppResult<axum::Json<Notice>> {
    Ok(axum::Json(
        store::send(&state, &actor, id, input.version).await?,
    ))
}

/// 办结: a note is required while replies are missing.
#[utoipa::path(post, path = "/api/v1/safety/notices/{id}/close", tag = "函件", request_body = CloseInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Notice), (status = 409), (status = 422)))]
async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CloseInput>,
) -> AppResult<axum::Json<Notice>> {
    Ok(axum::Json(store::close(&state, &actor, id, &input).await?))
}

/// 退回: send one recipient's reply back with a reason.
#[utoipa::path(post, path = "/api/v1/safety/notices/{id}/recipients/{recipient_id}/return",
    tag = "函件", request_body = ReturnInput,
    params(("id" = Uuid, Path), ("recipient_id" = Uuid, Path)),
    responses((status = 200, body = Notice), (status = 409), (status = 422)))]
async fn return_reply(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, recipient_id)): Path<(Uuid, Uuid)>,
    Json(input): Json<ReturnInput>,
) -> AppResult<axum::Json<Notice>> {
    Ok(axum::Json(
        store::return_reply(&state, &actor, id, recipient_id, &input).await?,
    ))
}

/// The letter's own files; each is fetched from its `href`.
#[utoipa::path(get, path = "/api/v1/safety/notices/{id}/files", tag = "函件",
    params(("id" = Uuid, Path)), responses((status = 200, body = Vec<Attachment>), (status = 404)))]
async fn files(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Vec<Attachment>>> {
    let today = store::today(&state);
    Ok(axum::Json(
        store::files(&state.db, &actor, id, today).await?,
    ))
}

/// Attach documents to a letter (multipart, field `files`); the sender only.
#[utoipa::path(post, path = "/api/v1/safety/notices/{id}/files", tag = "函件",
    params(("id" = Uuid, Path)), request_body(content_type = "multipart/form-data"),
    responses((status = 201, body = Vec<Attachment>), (status = 409), (status = 422)))]
async fn upload(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<(StatusCode, axum::Json<Vec<Attachment>>)> {
    let saved = store::attach(&state, &actor, id, &form.files("files")).await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// The recipient's letters, unread first, with the unread count.
#[utoipa::path(get, path = "/api/v1/safety/inbox", tag = "函件",
    params(Paging), responses((status = 200, body = Inbox)))]
async fn inbox(
    State(state): State<AppState>,
    actor: Actor,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<Inbox>> {
    let today = store::today(&state);
    Ok(axum::Json(
        store::inbox(&state.db, &actor, paging, today).await?,
    ))
}

/// Open a letter as its recipient: the first opening is recorded (time and who).
#[utoipa::path(get, path = "/api/v1/safety/inbox/{id}", tag = "函件",
    params(("id" = Uuid, Path)), responses((status = 200, body = Notice), (status = 404)))]
async fn inbox_get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Notice>> {
    Ok(axum::Json(store::open(&state, &actor, id).await?))
}

/// Reply (multipart: field `reply`, files `files`); once, unless the sender returns it.
#[utoipa::path(post, path = "/api/v1/safety/inbox/{id}/reply", tag = "函件",
    params(("id" = Uuid, Path)), request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = Notice), (status = 404), (status = 409), (status = 422)))]
async fn inbox_reply(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<axum::Json<Notice>> {
    let input: ReplyInput = form.fields()?;
    Ok(axum::Json(
        store::reply(&state, &actor, id, &input, &form.files("files")).await?,
    ))
}
