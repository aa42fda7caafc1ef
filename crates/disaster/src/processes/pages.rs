//! Pages: `/disaster/processes` (list, new), a process with its reports (open a 续报 or the
//! 核报, add townships, close) and its summary as DOCX.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::error::AppResult;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::{AppState, PageCtx};
use uuid::Uuid;

use super::model::TYPES;
use super::store::{self, CloseInput, Process, ProcessFilter, ProcessInput, TownshipsInput};
use crate::access::{is_county_writer, require_county_writer};
use crate::losses::export;
use crate::losses::store::{self as losses, OpenInput, Report, ReportFilter};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/disaster/processes", get(list_page).post(create))
        .route("/disaster/processes/new", get(new_page))
        .route("/disaster/processes/{id}", get(process_page))
        .route("/disaster/processes/{id}/reports", post(open_report))
        .route("/disaster/processes/{id}/townships", post(add_townships))
        .route("/disaster/processes/{id}/close", post(close))
        .route("/disaster/processes/{id}/summary.docx", get(summary_docx))
}

fn status_of(errors: &FormErrors) -> StatusCode {
    match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "processes/list.html")]
struct ListPage {
    ctx: PageCtx,
    processes: Vec<Process>,
    may_write: bool,
    filter: ProcessFilter,
    types: &'static [(&'static str, &'static str, &'static str)],
    townships: Vec<Region>,
}

impl ListPage {
    fn picked(&self, field: &Option<String>, code: &str) -> bool {
        field.as_deref() == Some(code)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<ProcessFilter>,
) -> AppResult<ListPage> {
    let county = crate::access::require_reader(&ctx.actor)?;
    let townships = store::townships(&state.db, &county)
        .await?
        .into_iter()
        .filter(|t| ctx.actor.scope().contains(&t.code))
        .collect();
    Ok(ListPage {
        processes: store::filtered(&state, &ctx.actor, &filter).await?,
        may_write: is_county_writer(&ctx.actor),
        filter,
        types: TYPES,
        townships,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "processes/form.html")]
struct FormPage {
    ctx: PageCtx,
    input: ProcessInput,
    types: &'static [(&'static str, &'static str, &'static str)],
    townships: Vec<Region>,
    errors: FormErrors,
}

impl FormPage {
    fn chosen(&self, code: &str) -> bool {
        self.input.townships.iter().any(|t| t == code)
    }
    fn other(&self, code: &str) -> bool {
        self.input.other_types.iter().any(|t| t == code)
    }
}

async fn form(
    state: &AppState,
    ctx: PageCtx,
    input: ProcessInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let county = require_county_writer(&ctx.actor)?;
    let page = FormPage {
        townships: store::townships(&state.db, &county).await?,
        types: TYPES,
        ctx,
        input,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    let input = ProcessInput {
        started_at: platform::web::form::local_input(state.now()),
        ..ProcessInput::default()
    };
    form(&state, ctx, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<ProcessInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(p) => {
            Ok(Redirect::to(&format!("/disaster/processes/{}?done=saved", p.id)).into_response())
        }
        Err(err) => form(&state, ctx, input, FormErrors::from_error(err)?).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "processes/detail.html")]
struct ProcessPage {
    ctx: PageCtx,
    process: Process,
    reports: Vec<Report>,
    townships: Vec<Region>,
    may_write: bool,
    has_final: bool,
    errors: FormErrors,
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
) -> AppResult<Response> {
    let process = store::get(state, &ctx.actor, id).await?;
    let mut reports = losses::list(state, &ctx.actor, &ReportFilter::of_process(id)).await?;
    reports.sort_by_key(|r| r.seq);
    let townships = store::townships(&state.db, &process.county)
        .await?
        .into_iter()
        .filter(|t| !process.has_township(&t.code))
        .collect();
    let page = ProcessPage {
        may_write: is_county_writer(&ctx.actor),
        has_final: reports
            .iter()
            .any(|r| r.stage == crate::losses::model::Stage::Final),
        ctx,
        process,
        reports,
        townships,
        errors,
    };
    Ok((status_of(&page.errors), page).into_response())
}

async fn process_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    detail(&state, ctx, id, FormErrors::default()).await
}

async fn open_report(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<OpenInput>,
) -> AppResult<Response> {
    match losses::open_report(&state, &ctx.actor, id, &input).await {
        Ok(r) => {
            Ok(Redirect::to(&format!("/disaster/reports/{}?done=saved", r.id)).into_response())
        }
        Err(err) => detail(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn add_townships(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<TownshipsInput>,
) -> AppResult<Response> {
    match store::add_townships(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/disaster/processes/{id}?done=saved")).into_response()),
        Err(err) => detail(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    match store::close(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/disaster/processes/{id}?done=saved")).into_response()),
        Err(err) => detail(&state, ctx, id, FormErrors::from_error(err)?).await,
    }
}

async fn summary_docx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    export::summary_download(&state, &ctx.actor, id).await
}
