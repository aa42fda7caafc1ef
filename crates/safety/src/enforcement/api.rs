//! `/api/v1/safety/enforcement`: the case ledger, its transitions, payments and hazard links.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use platform::access::{Actor, perm};
use platform::error::{AppError, AppResult};
use platform::web::AppState;
use platform::web::form::{Json, Path, Query, parse_date};
use platform::web::paging::{PageOf, Paging, SortQuery};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::store::{
    self, CaseFilter, CaseInput, CloseInput, DecideInput, DismissInput, EnforcementCase,
    EnforcementTotals, LinkInput, NotifyInput, PaymentInput, ResponseInput, TypicalInput,
    VersionInput,
};

const TAG: &str = "行政执法案件";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(totals))
        .routes(routes!(get_one, update))
        .routes(routes!(investigate))
        .routes(routes!(notify))
        .routes(routes!(response))
        .routes(routes!(decide))
        .routes(routes!(payment))
        .routes(routes!(close))
        .routes(routes!(dismiss))
        .routes(routes!(typical))
        .routes(routes!(link))
        .routes(routes!(unlink))
}

type One = AppResult<axum::Json<EnforcementCase>>;

/// Cases in scope, latest filed first.
#[utoipa::path(get, path = "/api/v1/safety/enforcement", tag = TAG,
    params(CaseFilter, SortQuery, Paging), responses((status = 200, body = PageOf<EnforcementCase>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(filter): Query<CaseFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
) -> AppResult<axum::Json<PageOf<EnforcementCase>>> {
    let sort = store::SORTS.pick(&sort)?;
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(
        store::list(&state.db, &actor.scope(), &filter, &sort, paging).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct Period {
    /// First day (YYYY-MM-DD).
    from: String,
    /// Last day (YYYY-MM-DD), inclusive.
    to: String,
}

fn period(p: &Period) -> AppResult<(NaiveDate, NaiveDate)> {
    match (parse_date(&p.from), parse_date(&p.to)) {
        (Some(from), Some(to)) if from <= to => Ok((from, to)),
        _ => Err(AppError::bad_request(
            "invalid_period",
            "统计期间不正确，格式如 from=2026-01-01&to=2026-06-30",
        )),
    }
}

/// Figures of a period in scope: filed, decided, fines decided and collected, typical cases.
#[utoipa::path(get, path = "/api/v1/safety/enforcement/totals", tag = TAG,
    params(Period), responses((status = 200, body = EnforcementTotals), (status = 400)))]
async fn totals(
    State(state): State<AppState>,
    actor: Actor,
    Query(p): Query<Period>,
) -> AppResult<axum::Json<EnforcementTotals>> {
    actor.require(perm::SAFETY_VIEW)?;
    let (from, to) = period(&p)?;
    Ok(axum::Json(
        store::totals(&state.db, &actor.scope(), from, to).await?,
    ))
}

/// 立案 against a unit in scope; numbered AJ<year>-<n> per county.
#[utoipa::path(post, path = "/api/v1/safety/enforcement", tag = TAG, request_body = CaseInput,
    responses((status = 201, body = EnforcementCase), (status = 422, description = "字段错误")))]
async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<CaseInput>,
) -> AppResult<(StatusCode, axum::Json<EnforcementCase>)> {
    Ok((
        StatusCode::CREATED,
        axum::Json(store::create(&state, &actor, &input).await?),
    ))
}

/// One case with its payments and linked hazards.
#[utoipa::path(get, path = "/api/v1/safety/enforcement/{id}", tag = TAG,
    params(("id" = Uuid, Path)), responses((status = 200, body = EnforcementCase), (status = 404)))]
async fn get_one(State(state): State<AppState>, actor: Actor, Path(id): Path<Uuid>) -> One {
    actor.require(perm::SAFETY_VIEW)?;
    Ok(axum::Json(store::get(&state.db, &actor.scope(), id).await?))
}

/// Edit the filing fields; `version` must be the one read (a stale edit answers 409).
#[utoipa::path(patch, path = "/api/v1/safety/enforcement/{id}", tag = TAG, request_body = CaseInput,
    params(("id" = Uuid, Path)), responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CaseInput>,
) -> One {
    Ok(axum::Json(store::update(&state, &actor, id, &input).await?))
}

/// 开始调查取证.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/investigate", tag = TAG,
    request_body = VersionInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409)))]
async fn investigate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<VersionInput>,
) -> One {
    Ok(axum::Json(
        store::investigate(&state, &actor, id, input.version).await?,
    ))
}

/// 送达行政处罚告知书 on a date.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/notify", tag = TAG,
    request_body = NotifyInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn notify(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<NotifyInput>,
) -> One {
    Ok(axum::Json(store::notify(&state, &actor, id, &input).await?))
}

/// 陈述申辩 / 听证 / 书面放弃.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/response", tag = TAG,
    request_body = ResponseInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn response(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ResponseInput>,
) -> One {
    Ok(axum::Json(
        store::record_response(&state, &actor, id, &input).await?,
    ))
}

/// 作出处罚决定 (numbered 〔year〕n号 per county) or 不予处罚.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/decide", tag = TAG,
    request_body = DecideInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<DecideInput>,
) -> One {
    Ok(axum::Json(store::decide(&state, &actor, id, &input).await?))
}

/// 登记缴款.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/payments", tag = TAG,
    request_body = PaymentInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn payment(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<PaymentInput>,
) -> One {
    Ok(axum::Json(
        store::add_payment(&state, &actor, id, &input).await?,
    ))
}

/// 结案: the fine paid, or a reason (e.g. 申请法院强制执行).
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/close", tag = TAG,
    request_body = CloseInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn close(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<CloseInput>,
) -> One {
    Ok(axum::Json(store::close(&state, &actor, id, &input).await?))
}

/// 撤销立案, with a reason, before the notice.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/dismiss", tag = TAG,
    request_body = DismissInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn dismiss(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<DismissInput>,
) -> One {
    Ok(axum::Json(
        store::dismiss(&state, &actor, id, &input).await?,
    ))
}

/// 典型案例: mark with the report date, or unmark.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/typical", tag = TAG,
    request_body = TypicalInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn typical(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<TypicalInput>,
) -> One {
    Ok(axum::Json(
        store::set_typical(&state, &actor, id, &input).await?,
    ))
}

/// Link a hazard of the same unit.
#[utoipa::path(post, path = "/api/v1/safety/enforcement/{id}/hazards", tag = TAG,
    request_body = LinkInput, params(("id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 409), (status = 422)))]
async fn link(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<LinkInput>,
) -> One {
    Ok(axum::Json(
        store::link_hazard(&state, &actor, id, &input).await?,
    ))
}

/// Take a linked hazard off the case.
#[utoipa::path(delete, path = "/api/v1/safety/enforcement/{id}/hazards/{hazard_id}", tag = TAG,
    request_body = VersionInput, params(("id" = Uuid, Path), ("hazard_id" = Uuid, Path)),
    responses((status = 200, body = EnforcementCase), (status = 404), (status = 409)))]
async fn unlink(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, hazard_id)): Path<(Uuid, Uuid)>,
    Json(input): Json<VersionInput>,
) -> One {
    Ok(axum::Json(
        store::unlink_hazard(&state, &actor, id, hazard_id, input.version).await?,
    ))
}
