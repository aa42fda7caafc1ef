//! Duty log pages: today's board (who is on duty, the shift's log with a form to add to it,
//! open matters, the handover out and in), the log list with filters and its XLSX.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::error::AppResult;
use platform::web::form::{Form, FormErrors, Path, Query, local_input};
use platform::web::paging::{PageOf, Paging, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use uuid::Uuid;

use super::model::LogKind;
use super::store::{
    self, BoardShift, CloseInput, ConfirmInput, HandoverInput, LogEntry, LogFilter, LogInput,
};
use crate::rosters::store::{self as rosters, Period};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty", get(|| async { Redirect::to("/duty/today") }))
        .route("/duty/today", get(board_page))
        .route("/duty/logs", get(list_page).post(create))
        .route("/duty/logs/export", get(export))
        .route("/duty/logs/{id}/close", post(close))
        .route("/duty/handovers", post(hand_over))
        .route("/duty/handovers/{id}/confirm", post(confirm))
}

type Codes = Vec<(&'static str, &'static str)>;

#[derive(Template, WebTemplate)]
#[template(path = "logs/board.html")]
struct BoardPage {
    ctx: PageCtx,
    items: Vec<BoardShift>,
    now_local: String,
    kinds: Codes,
    input: LogInput,
    errors: FormErrors,
    /// The shift the form was sent for, to show its errors there.
    failed_shift: String,
    notice: Option<String>,
}

impl BoardPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn errors_for(&self, shift: &Uuid) -> bool {
        self.failed_shift == shift.to_string()
    }
}

async fn board(
    state: &AppState,
    ctx: PageCtx,
    input: Option<LogInput>,
    errors: FormErrors,
    notice: Option<String>,
) -> AppResult<Response> {
    let items = store::board(state, &ctx.actor).await?;
    let now = state.now();
    let failed_shift = input
        .as_ref()
        .map(|i| i.shift_id.clone())
        .unwrap_or_default();
    let input = input.unwrap_or_else(|| LogInput {
        kind: LogKind::IncomingCall.code().into(),
        at: Some(local_input(now)),
        ..Default::default()
    });
    let status = match (&errors.message, &notice) {
        (None, None) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = BoardPage {
        ctx,
        items,
        now_local: platform::clock::format_local(now),
        kinds: LogKind::options(),
        input,
        errors,
        failed_shift,
        notice,
    };
    Ok((status, page).into_response())
}

async fn board_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    board(&state, ctx, None, FormErrors::default(), None).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<LogInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/today?done=created").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            board(&state, ctx, Some(input), errors, None).await
        }
    }
}

/// A board action that failed: the board again with the message on top.
async fn refused(
    state: &AppState,
    ctx: PageCtx,
    err: platform::error::AppError,
) -> AppResult<Response> {
    let errors = FormErrors::from_error(err)?;
    let message = errors.fields.values().next().cloned().or(errors.message);
    board(state, ctx, None, FormErrors::default(), message).await
}

async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    match store::close(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/today?done=saved").into_response()),
        Err(err) => refused(&state, ctx, err).await,
    }
}

async fn hand_over(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<HandoverInput>,
) -> AppResult<Response> {
    match store::hand_over(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/today?done=saved").into_response()),
        Err(err) => refused(&state, ctx, err).await,
    }
}

async fn confirm(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ConfirmInput>,
) -> AppResult<Response> {
    match store::confirm(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/today?done=saved").into_response()),
        Err(err) => refused(&state, ctx, err).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "logs/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: LogFilter,
    page: PageOf<LogEntry>,
    periods: Vec<Period>,
    kinds: Codes,
    query: String,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/duty/logs/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn is_period(&self, id: &Uuid) -> bool {
        self.filter.period.as_deref() == Some(id.to_string().as_str())
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<LogFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    let page = store::list(&state.db, &ctx.actor, &filter, paging).await?;
    let periods = rosters::list(&state.db, &ctx.actor, &Default::default()).await?;
    Ok(ListPage {
        ctx,
        filter,
        page,
        periods,
        kinds: LogKind::options(),
        query: query.unwrap_or_default(),
    })
}

const EXPORT_HEADERS: [&str; 11] = [
    "时间",
    "值班期",
    "班次",
    "类型",
    "来电/来源",
    "去电/报送对象",
    "内容",
    "状态",
    "办理结果",
    "办结时间",
    "记录人",
];

fn export_row(e: &LogEntry) -> Vec<String> {
    vec![
        e.at_local(),
        e.period_name.clone(),
        e.shift_label.clone(),
        e.kind_label().to_string(),
        e.from_party.clone().unwrap_or_default(),
        e.to_party.clone().unwrap_or_default(),
        e.content.clone(),
        if e.is_open { "待办" } else { "已办结" }.to_string(),
        e.outcome.clone().unwrap_or_default(),
        e.closed_local(),
        e.recorded_by_name.clone(),
    ]
}

/// The filtered log as XLSX (up to 10 000 entries).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<LogFilter>,
) -> AppResult<Response> {
    let entries = store::all(&state.db, &ctx.actor, &filter, 10_000).await?;
    let rows: Vec<Vec<String>> = entries.iter().map(export_row).collect();
    let bytes = xlsx::workbook("值班日志", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("值班日志.xlsx", bytes))
}
