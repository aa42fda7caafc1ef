//! `/api/v1/warning/warnings`: warnings, their lifecycle and 叫应; CAP export and import;
//! `/api/v1/warning/ack/{token}` for confirming through a message's link.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use platform::web::paging::{PageOf, Paging};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::calls::{self, CallRow, Confirmation, Tally};
use super::cap_map::{self, Which};
use super::model::Policy;
use super::policies;
use super::store::{self, StepInput, Warning, WarningFilter, WarningInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(approve))
        .routes(routes!(issue))
        .routes(routes!(lift))
        .routes(routes!(void))
        .routes(routes!(relay))
        .routes(routes!(call_list))
        .routes(routes!(cap_xml))
        .routes(routes!(cap_import))
        .routes(routes!(confirm_in_app))
        .routes(routes!(confirm_by_link))
        .routes(routes!(policy_list, policy_set))
}

const TAG: &str = "预警发布与叫应";

/// Warnings the caller may read, newest first.
#[utoipa::path(get, path = "/api/v1/warning/warnings", tag = TAG,
    params(WarningFilter, Paging), responses((status = 200, body = PageOf<Warning>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<WarningFilter>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<Warning>>> {
    Ok(axum::Json(
        store::list(&state.db, &actor, &filter, paging).await?,
    ))
}

/// Draft a warning (county warning staff).
#[utoipa::path(post, path = "/api/v1/warning/warnings", tag = TAG, request_body = WarningInput,
    responses((status = 201, body = Warning), (status = 403), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<WarningInput>,
) -> AppResult<(StatusCode, axum::Json<Warning>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/warning/warnings/{id}", tag = TAG,
    params(("id" = Uuid, Path)), responses((status = 200, body = Warning), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Warning>> {
    Ok(axum::Json(store::get(&state.db, &actor, id).await?))
}

/// Edit a draft, or update (更新) an issued warning: recipients are told and CAP exports an
/// `Update`. `version` must be the one read (409 `stale_edit`).
#[utoipa::path(patch, path = "/api/v1/warning/warnings/{id}", tag = TAG, request_body = WarningInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Warning), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<WarningInput>,
) -> AppResult<axum::Json<Warning>> {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 审核: a leader other than the drafter (409 `transition_refused` otherwise).
#[utoipa::path(post, path = "/api/v1/warning/warnings/{id}/approve", tag = TAG, request_body = StepInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Warning), (status = 403), (status = 409)))]
async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<StepInput>,
) -> AppResult<axum::Json<Warning>> {
    Ok(axum::Json(
        store::approve(&state, &actor, id, &input).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Issued {
    pub warning: Warning,
    /// People asked to confirm (叫应).
    pub asked: usize,
}

/// 发布: numbers the warning and asks every recipient in its area to confirm.
#[utoipa::path(post, path = "/api/v1/warning/warnings/{id}/issue", tag = TAG, request_body = StepInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Issued), (status = 409)))]
async fn issue(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<StepInput>,
) -> AppResult<axum::Json<Issued>> {
    let (warning, asked) = store::issue(&state, &actor, id, &input).await?;
    Ok(axum::Json(Issued { warning, asked }))
}

/// 解除, with a reason.
#[utoipa::path(post, path = "/api/v1/warning/warnings/{id}/lift", tag = TAG, request_body = StepInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = Warning), (status = 409), (status = 422)))]
async fn lift(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<StepInput>,
) -> AppResult<axum::Json<Warning>> {
    Ok(axum::Json(store::lift(&state, &actor, id, &input).await?))
}

/// 作废 a draft, with a reason.
#[utoipa::path(post, path = "/api/v1/warning/warnings/{id}/void", tag = TAG, request_body = StepInput,
    params(("id" = Uuid, Path)), responses((status = 204), (status = 409), (status = 422)))]
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<StepInput>,
) -> AppResult<StatusCode> {
    store::void(&state, &actor, id, input.reason.as_deref().unwrap_or("")).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 转发 a received (CAP-imported) warning: a draft of our own.
#[utoipa::path(post, path = "/api/v1/warning/warnings/{id}/relay", tag = TAG,
    params(("id" = Uuid, Path)), responses((status = 201, body = Warning), (status = 409)))]
async fn relay(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<(StatusCode, axum::Json<Warning>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(cap_map::relay(&state, &actor, id).await?),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Calls {
    pub tally: Tally,
    pub calls: Vec<CallRow>,
}

/// Every person asked about a warning, with state and times (the live 叫应 page's data).
#[utoipa::path(get, path = "/api/v1/warning/warnings/{id}/calls", tag = TAG,
    params(("id" = Uuid, Path)), responses((status = 200, body = Calls), (status = 404)))]
async fn call_list(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Calls>> {
    let w = store::get(&state.db, &actor, id).await?;
    let calls = calls::of_warning(&state.db, w.id).await?;
    Ok(axum::Json(Calls {
        tally: calls::tally(&calls),
        calls,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct CapQuery {
    /// `alert`, `update` or `cancel`; default: the message describing the warning now.
    pub msg: Option<String>,
}

pub fn which(w: &Warning, msg: Option<&str>) -> Which {
    match msg {
        Some("alert") => Which::Alert,
        Some("update") => Which::Update,
        Some("cancel") => Which::Cancel,
        _ => Which::current(w),
    }
}

/// The warning as CAP 1.2 XML (GB/T 35965.1 identifier, +08:00 times, division geocodes).
#[utoipa::path(get, path = "/api/v1/warning/warnings/{id}/cap", tag = TAG,
    params(("id" = Uuid, Path), CapQuery), responses((status = 200, content_type = "application/xml"), (status = 409)))]
async fn cap_xml(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Query(q): Query<CapQuery>,
) -> AppResult<Response> {
    let w = store::get(&state.db, &actor, id).await?;
    let xml = cap_map::export(&w, which(&w, q.msg.as_deref()))?;
    Ok(super::pages::xml_download(&w, xml))
}

/// 接收上级预警: the body is a CAP 1.1/1.2 alert (XML). Answers the received warning.
#[utoipa::path(post, path = "/api/v1/warning/cap", tag = TAG, request_body(content = String, content_type = "application/xml"),
    responses((status = 201, body = Warning), (status = 400, description = "CAP 格式错误或不涉及本县")))]
async fn cap_import(
    State(state): State<AppState>,
    actor: Actor,
    body: String,
) -> AppResult<(StatusCode, axum::Json<Warning>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(cap_map::import(&state, &actor, &body).await?),
    ))
}

/// Confirm one's own call in the app.
#[utoipa::path(post, path = "/api/v1/warning/calls/{id}/confirm", tag = TAG,
    params(("id" = Uuid, Path)), responses((status = 200, body = Confirmation), (status = 404), (status = 409)))]
async fn confirm_in_app(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Confirmation>> {
    Ok(axum::Json(calls::confirm_in_app(&state, &actor, id).await?))
}

/// Confirm through the link in a message; no login, the token is the credential. A reused
/// link answers the first confirmation (`newly: false`); an unknown one 404; a lifted or
/// expired warning 409 `link_expired`.
#[utoipa::path(post, path = "/api/v1/warning/ack/{token}", tag = TAG,
    params(("token" = String, Path)), responses((status = 200, body = Confirmation), (status = 404), (status = 409)))]
async fn confirm_by_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<axum::Json<Confirmation>> {
    Ok(axum::Json(calls::confirm_by_token(&state, &token).await?))
}

/// 叫应策略 per level.
#[utoipa::path(get, path = "/api/v1/warning/policies", tag = TAG,
    responses((status = 200, body = Vec<Policy>)))]
async fn policy_list(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<Vec<Policy>>> {
    actor.require(platform::access::perm::WARNING_VIEW)?;
    Ok(axum::Json(policies::all(&state.db).await?))
}

/// Change one level's 叫应 policy (county warning staff).
#[utoipa::path(put, path = "/api/v1/warning/policies", tag = TAG, request_body = Policy,
    responses((status = 200, body = Policy), (status = 422)))]
async fn policy_set(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<Policy>,
) -> AppResult<axum::Json<Policy>> {
    Ok(axum::Json(policies::set(&state, &actor, input).await?))
}
