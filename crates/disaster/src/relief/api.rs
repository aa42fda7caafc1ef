//! `/api/v1/disaster/relief/...`: programmes, rolls and their households, the roll's steps,
//! corrections, XLSX import, payments and the paid totals with person-times.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use platform::access::Actor;
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::households::{self, Correction, Household, HouseholdInput};
use super::import::{self, Imported};
use super::model::PaidTotal;
use super::payments::{self, Payment, PaymentInput, RollPaid};
use super::store::{self, Programme, ProgrammeInput, Roll, RollFilter, RollInput, StepInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_programmes, create_programme))
        .routes(routes!(get_programme))
        .routes(routes!(close_programme))
        .routes(routes!(list_rolls, create_roll))
        .routes(routes!(get_roll))
        .routes(routes!(move_roll))
        .routes(routes!(add_household))
        .routes(routes!(update_household))
        .routes(routes!(correct_household))
        .routes(routes!(void_household))
        .routes(routes!(pay_household))
        .routes(routes!(pay_roll))
        .routes(routes!(import_roll))
        .routes(routes!(totals))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
}

/// A programme with what it paid, by township.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ProgrammeDetail {
    pub programme: Programme,
    pub totals: Vec<PaidTotal>,
    pub paid_fen: i64,
    pub households: i64,
    pub person_times: i64,
}

pub async fn programme_detail(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> AppResult<ProgrammeDetail> {
    let programme = store::get_programme(state, actor, id).await?;
    let totals = payments::paid_totals(
        &state.db,
        &actor.scope(),
        payments::EARLIEST,
        payments::LATEST,
        Some(id),
    )
    .await?;
    let all = super::model::sum(&totals);
    Ok(ProgrammeDetail {
        programme,
        totals,
        paid_fen: all.paid_fen,
        households: all.households,
        person_times: all.person_times,
    })
}

#[utoipa::path(get, path = "/api/v1/disaster/relief/programmes", tag = "灾情救助",
    responses((status = 200, body = Vec<Programme>), (status = 403)))]
async fn list_programmes(
    State(state): State<AppState>,
    actor: Actor,
) -> AppResult<axum::Json<Vec<Programme>>> {
    Ok(axum::Json(store::list_programmes(&state, &actor).await?))
}

/// 新增 a programme (county writers).
#[utoipa::path(post, path = "/api/v1/disaster/relief/programmes", tag = "灾情救助",
    request_body = ProgrammeInput,
    responses((status = 201, body = Programme), (status = 403), (status = 422)))]
async fn create_programme(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<ProgrammeInput>,
) -> AppResult<(StatusCode, axum::Json<Programme>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create_programme(&state, &actor, &input).await?),
    ))
}

/// A programme with its paid totals and person-times by township.
#[utoipa::path(get, path = "/api/v1/disaster/relief/programmes/{id}", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, body = ProgrammeDetail), (status = 404)))]
async fn get_programme(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ProgrammeDetail>> {
    Ok(axum::Json(programme_detail(&state, &actor, id).await?))
}

/// The version seen, for changes that carry nothing else.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VersionInput {
    #[serde(default)]
    pub version: i32,
}

/// 结束 a programme.
#[utoipa::path(post, path = "/api/v1/disaster/relief/programmes/{id}/close", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = VersionInput,
    responses((status = 200, body = Programme), (status = 404), (status = 409)))]
async fn close_programme(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VersionInput>,
) -> AppResult<axum::Json<Programme>> {
    Ok(axum::Json(
        store::close_programme(&state, &actor, id, input.version).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/disaster/relief/rolls", tag = "灾情救助", params(RollFilter),
    responses((status = 200, body = Vec<Roll>), (status = 403)))]
async fn list_rolls(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<RollFilter>,
) -> AppResult<axum::Json<Vec<Roll>>> {
    Ok(axum::Json(store::list_rolls(&state, &actor, &q).await?))
}

/// 建立名册 for a village (its liaison, or its township's staff).
#[utoipa::path(post, path = "/api/v1/disaster/relief/rolls", tag = "灾情救助",
    request_body = RollInput,
    responses((status = 201, body = Roll), (status = 409), (status = 422)))]
async fn create_roll(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<RollInput>,
) -> AppResult<(StatusCode, axum::Json<Roll>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create_roll(&state, &actor, &input).await?),
    ))
}

/// A roll with its households (numbers masked for readers), payments and corrections.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RollDetail {
    pub roll: Roll,
    pub households: Vec<Household>,
    pub payments: Vec<Payment>,
    pub corrections: Vec<Correction>,
}

#[utoipa::path(get, path = "/api/v1/disaster/relief/rolls/{id}", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, body = RollDetail), (status = 404)))]
async fn get_roll(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<RollDetail>> {
    Ok(axum::Json(RollDetail {
        roll: store::get_roll(&state, &actor, id).await?,
        households: households::of_roll(&state, &actor, id, false).await?,
        payments: payments::of_roll(&state, &actor, id).await?,
        corrections: households::corrections(&state, &actor, id).await?,
    }))
}

/// A step: `post` (公示, with dates), `township_approve`, `county_approve`, `return` (reason).
#[utoipa::path(post, path = "/api/v1/disaster/relief/rolls/{id}/steps", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = StepInput,
    responses((status = 200, body = Roll), (status = 404), (status = 409), (status = 422)))]
async fn move_roll(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<StepInput>,
) -> AppResult<axum::Json<Roll>> {
    Ok(axum::Json(
        store::move_roll(&state, &actor, id, &input).await?,
    ))
}

/// 新增救助对象 on a roll being filled in; a household already in the programme is refused
/// naming where it is.
#[utoipa::path(post, path = "/api/v1/disaster/relief/rolls/{id}/households", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = HouseholdInput,
    responses((status = 201, body = Household), (status = 404), (status = 409), (status = 422)))]
async fn add_household(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<HouseholdInput>,
) -> AppResult<(StatusCode, axum::Json<Household>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(households::add(&state, &actor, id, &input).await?),
    ))
}

/// 修改 a household at `version` (refused once the roll is posted; approved: use correct).
#[utoipa::path(put, path = "/api/v1/disaster/relief/households/{id}", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = HouseholdInput,
    responses((status = 200, body = Household), (status = 404), (status = 409), (status = 422)))]
async fn update_household(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<HouseholdInput>,
) -> AppResult<axum::Json<Household>> {
    Ok(axum::Json(
        households::update(&state, &actor, id, &input).await?,
    ))
}

/// 更正 a household of an approved roll: `correction_reason` required.
#[utoipa::path(post, path = "/api/v1/disaster/relief/households/{id}/correct", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = HouseholdInput,
    responses((status = 200, body = Household), (status = 404), (status = 409), (status = 422)))]
async fn correct_household(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<HouseholdInput>,
) -> AppResult<axum::Json<Household>> {
    Ok(axum::Json(
        households::correct(&state, &actor, id, &input).await?,
    ))
}

/// A reason, for voiding.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VoidInput {
    #[serde(default)]
    pub reason: String,
}

/// 删除 a household of a roll being filled in.
#[utoipa::path(post, path = "/api/v1/disaster/relief/households/{id}/void", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = VoidInput,
    responses((status = 204), (status = 404), (status = 409), (status = 422)))]
async fn void_household(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VoidInput>,
) -> AppResult<StatusCode> {
    households::void(&state, &actor, id, &input.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 发放 to one household of an approved roll (blank amount: what is left).
#[utoipa::path(post, path = "/api/v1/disaster/relief/households/{id}/payments", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = PaymentInput,
    responses((status = 201, body = Payment), (status = 404), (status = 409), (status = 422)))]
async fn pay_household(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<PaymentInput>,
) -> AppResult<(StatusCode, axum::Json<Payment>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(payments::pay_household(&state, &actor, id, &input).await?),
    ))
}

/// 整册发放: what is left to every household of an approved roll, one transaction.
#[utoipa::path(post, path = "/api/v1/disaster/relief/rolls/{id}/pay", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = PaymentInput,
    responses((status = 200, body = RollPaid), (status = 404), (status = 409), (status = 422)))]
async fn pay_roll(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<PaymentInput>,
) -> AppResult<axum::Json<RollPaid>> {
    Ok(axum::Json(
        payments::pay_roll(&state, &actor, id, &input).await?,
    ))
}

/// 导入名册: multipart `file` (our template) and `valid_only`; 422 with the row errors when
/// nothing was imported.
#[utoipa::path(post, path = "/api/v1/disaster/relief/rolls/{id}/import", tag = "灾情救助",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Imported), (status = 422, body = Imported)))]
async fn import_roll(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<(StatusCode, axum::Json<Imported>)> {
    let upload = platform::web::import::Upload::read(&form, import::HEADERS.len())?;
    let done = import::import(&state, &actor, id, &upload.rows, upload.valid_only).await?;
    let status = if done.imported == 0 {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(done)))
}

/// The period of the totals.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct TotalsQuery {
    /// First day (payments' dates), 2026-11-01.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    pub programme: Option<Uuid>,
}

/// Paid totals and 救助人次 by programme and township for payments dated in the period.
#[utoipa::path(get, path = "/api/v1/disaster/relief/totals", tag = "灾情救助", params(TotalsQuery),
    responses((status = 200, body = Vec<PaidTotal>), (status = 422)))]
async fn totals(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<TotalsQuery>,
) -> AppResult<axum::Json<Vec<PaidTotal>>> {
    crate::access::require_reader(&actor)?;
    let mut errors = platform::error::FieldErrors::new();
    let from =
        platform::web::form::date_field(&mut errors, "from", &q.from).unwrap_or(payments::EARLIEST);
    let to = platform::web::form::date_field(&mut errors, "to", &q.to).unwrap_or(payments::LATEST);
    if !errors.is_empty() {
        return Err(platform::error::AppError::Validation(errors));
    }
    Ok(axum::Json(
        payments::paid_totals(&state.db, &actor.scope(), from, to, q.programme).await?,
    ))
}
