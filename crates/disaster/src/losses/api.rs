//! `/api/v1/disaster/reports`: loss reports, townships' figures (save, submit, 零报告,
//! 退回, corrections), county approval and 上报, the 核报's ledgers, XLSX and DOCX.

use axum::extract::State;
use axum::response::Response;
use platform::access::Actor;
use platform::error::AppResult;
use platform::web::AppState;
use platform::web::form::{Json, Path, Query};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::export;
use super::store::{
    self, ApproveInput, EntryInput, LedgerInput, ReasonInput, Report, ReportDetail, ReportFilter,
    TownshipEntry,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(save_entry))
        .routes(routes!(zero_entry))
        .routes(routes!(return_entry))
        .routes(routes!(approve))
        .routes(routes!(report_upward))
        .routes(routes!(add_ledger_row))
        .routes(routes!(void_ledger_row))
        .routes(routes!(xlsx))
        .routes(routes!(summary_docx))
}

/// Reports across the processes the actor reads, with status and late flags.
#[utoipa::path(get, path = "/api/v1/disaster/reports", tag = "灾情救助", params(ReportFilter),
    responses((status = 200, body = Vec<Report>), (status = 403)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<ReportFilter>,
) -> AppResult<axum::Json<Vec<Report>>> {
    Ok(axum::Json(store::list(&state, &actor, &q).await?))
}

/// A report: townships' figures, county totals (sums), flags and (核报) ledgers.
#[utoipa::path(get, path = "/api/v1/disaster/reports/{id}", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, body = ReportDetail), (status = 404)))]
async fn get(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<ReportDetail>> {
    Ok(axum::Json(store::get(&state, &actor, id).await?))
}

/// 填报 a township's figures (`submit: true` to 报送); after approval a county correction
/// with `correction_reason`. Errors under `error.fields[indicator]`.
#[utoipa::path(put, path = "/api/v1/disaster/reports/{id}/townships/{code}", tag = "灾情救助",
    params(("id" = Uuid, Path), ("code" = String, Path)), request_body = EntryInput,
    responses((status = 200, body = TownshipEntry), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn save_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, code)): Path<(Uuid, String)>,
    Json(input): Json<EntryInput>,
) -> AppResult<axum::Json<TownshipEntry>> {
    Ok(axum::Json(
        store::save_entry(&state, &actor, id, &code, &input).await?,
    ))
}

/// 零报告 (续报 only): nothing new, the previous figures carried.
#[utoipa::path(post, path = "/api/v1/disaster/reports/{id}/townships/{code}/zero", tag = "灾情救助",
    params(("id" = Uuid, Path), ("code" = String, Path)),
    responses((status = 200, body = TownshipEntry), (status = 404), (status = 409)))]
async fn zero_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, code)): Path<(Uuid, String)>,
) -> AppResult<axum::Json<TownshipEntry>> {
    Ok(axum::Json(
        store::zero_entry(&state, &actor, id, &code).await?,
    ))
}

/// 退回 a township's figures with a reason (county).
#[utoipa::path(post, path = "/api/v1/disaster/reports/{id}/townships/{code}/return", tag = "灾情救助",
    params(("id" = Uuid, Path), ("code" = String, Path)), request_body = ReasonInput,
    responses((status = 200, body = TownshipEntry), (status = 404), (status = 409), (status = 422)))]
async fn return_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, code)): Path<(Uuid, String)>,
    Json(input): Json<ReasonInput>,
) -> AppResult<axum::Json<TownshipEntry>> {
    Ok(axum::Json(
        store::return_entry(&state, &actor, id, &code, &input.reason).await?,
    ))
}

/// 审核 (county): every township submitted or 零报告.
#[utoipa::path(post, path = "/api/v1/disaster/reports/{id}/approve", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = ApproveInput,
    responses((status = 200, body = Report), (status = 404), (status = 409), (status = 422)))]
async fn approve(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<ApproveInput>,
) -> AppResult<axum::Json<Report>> {
    Ok(axum::Json(
        store::approve(&state, &actor, id, &input).await?,
    ))
}

/// 上报 (county, after approval): the time is kept; after the deadline `late` stays true.
#[utoipa::path(post, path = "/api/v1/disaster/reports/{id}/upward", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, body = Report), (status = 404), (status = 409)))]
async fn report_upward(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<Report>> {
    Ok(axum::Json(store::report_upward(&state, &actor, id).await?))
}

/// 登记 a dead/missing person (`kind: person`) or a damaged house (`kind: house`) in the 核报.
#[utoipa::path(post, path = "/api/v1/disaster/reports/{id}/ledger", tag = "灾情救助",
    params(("id" = Uuid, Path)), request_body = LedgerInput,
    responses((status = 200, body = ReportDetail), (status = 404), (status = 409), (status = 422)))]
async fn add_ledger_row(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
    Json(input): Json<LedgerInput>,
) -> AppResult<axum::Json<ReportDetail>> {
    Ok(axum::Json(
        store::add_ledger_row(&state, &actor, id, &input).await?,
    ))
}

/// 作废 a ledger row entered by mistake, while the 核报 is being entered (reason required).
#[utoipa::path(post, path = "/api/v1/disaster/reports/{id}/ledger/{row}/void", tag = "灾情救助",
    params(("id" = Uuid, Path), ("row" = Uuid, Path)), request_body = ReasonInput,
    responses((status = 200, body = ReportDetail), (status = 404), (status = 409), (status = 422)))]
async fn void_ledger_row(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, row)): Path<(Uuid, Uuid)>,
    Json(input): Json<ReasonInput>,
) -> AppResult<axum::Json<ReportDetail>> {
    Ok(axum::Json(
        store::void_ledger_row(&state, &actor, id, row, &input.reason).await?,
    ))
}

/// The report in the layout of the national quick-report form (XLSX).
#[utoipa::path(get, path = "/api/v1/disaster/reports/{id}/xlsx", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404)))]
async fn xlsx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    export::report_download(&state, &actor, id).await
}

/// The process summary (DOCX): what happened, the reports and their times, the latest totals,
/// late reports.
#[utoipa::path(get, path = "/api/v1/disaster/processes/{id}/summary.docx", tag = "灾情救助",
    params(("id" = Uuid, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404)))]
async fn summary_docx(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    export::summary_download(&state, &actor, id).await
}
