//! 一日三报 pages: the day's board (townships × report times, refreshed live, XLSX), opening a
//! missed slot by hand, the county's schedule, and the phone page a township files on.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::auth::layer::MaybeActor;
use platform::calls::CallRow;
use platform::clock::format_local;
use platform::error::{AppError, AppResult};
use platform::web::form::{Form, FormErrors, Path, Query};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;

use super::api::{DayQuery, day_of};
use super::board::{self, Board, Column, EXPORT_HEADERS};
use super::entity::slot::Model as Slot;
use super::model::{self, Filing, Schedule, cell};
use super::schedule::{self, ScheduleInput, SlotInput};
use super::slots::{self, FilingInput, OpenInput};
use crate::access::is_writer;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fire/reports", get(board_page))
        .route("/fire/reports/grid", get(grid_fragment))
        .route("/fire/reports/export", get(export))
        .route("/fire/reports/open", post(open))
        .route(
            "/fire/reports/schedule",
            get(schedule_page).post(save_schedule),
        )
        .route("/fire/reports/file/{token}", get(file_page).post(file))
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/grid.html")]
struct Grid {
    b: Board,
    live: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/board.html")]
struct BoardPage {
    ctx: PageCtx,
    grid: Grid,
    today: bool,
    may_open: bool,
    /// Today's due times not opened, for the editors' buttons.
    missed: Vec<Column>,
    /// The reader's own calls waiting: what to do, and the page to do it on.
    mine: Vec<(String, String)>,
    done: bool,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct BoardQuery {
    day: Option<String>,
    done: Option<String>,
    error: Option<String>,
}

async fn grid_of(state: &AppState, ctx: &PageCtx, q: &DayQuery) -> AppResult<Grid> {
    let day = day_of(state, q)?;
    let b = board::board(state, &ctx.actor, day).await?;
    Ok(Grid {
        live: b.live(model::local_day(state.now())),
        b,
    })
}

async fn board_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<BoardQuery>,
) -> AppResult<BoardPage> {
    let grid = grid_of(&state, &ctx, &DayQuery { day: q.day.clone() }).await?;
    let now = state.now();
    let today = grid.b.day == model::local_day(now);
    let missed = grid
        .b
        .columns
        .iter()
        .filter(|c| today && c.slot_id.is_none() && c.due_at <= now)
        .cloned()
        .collect();
    let mine = platform::calls::waiting_for(&state.db, slots::KIND, ctx.actor.user_id)
        .await?
        .into_iter()
        .map(|c| {
            let what = match &c.about {
                Some(about) => format!("{about} 未报送，请督促"),
                None => format!("防火报告（{} 发出）", format_local(c.first_sent_at)),
            };
            (what, format!("/fire/reports/file/{}", c.token))
        })
        .collect();
    Ok(BoardPage {
        may_open: is_writer(&ctx.actor) && grid.b.in_season,
        today,
        missed,
        mine,
        done: q.done.is_some(),
        error: q.error,
        grid,
        ctx,
    })
}

async fn grid_fragment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DayQuery>,
) -> AppResult<Grid> {
    grid_of(&state, &ctx, &q).await
}

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DayQuery>,
) -> AppResult<Response> {
    let day = day_of(&state, &q)?;
    let b = board::board(&state, &ctx.actor, day).await?;
    let bytes = xlsx::workbook("防火报告", &EXPORT_HEADERS, &board::export_rows(&b))?;
    Ok(xlsx::download(
        &format!("{}防火报告.xlsx", day.format("%Y年%-m月%-d日")),
        bytes,
    ))
}

async fn open(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<OpenInput>,
) -> AppResult<Redirect> {
    match slots::open_by_hand(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/fire/reports?done=opened")),
        Err(AppError::Conflict { message, .. } | AppError::BadRequest { message, .. }) => Ok(
            Redirect::to(&format!("/fire/reports?error={}", urlencode(&message))),
        ),
        Err(AppError::Validation(fields)) => {
            let message = fields.into_values().next().unwrap_or_default();
            Ok(Redirect::to(&format!(
                "/fire/reports?error={}",
                urlencode(&message)
            )))
        }
        Err(e) => Err(e),
    }
}

/// Percent-encode a message for a redirect's query string.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The schedule form as typed: one line per report time, `08:00 早报`.
#[derive(Clone, Debug, Default, Deserialize)]
struct ScheduleForm {
    #[serde(default)]
    slots: String,
    #[serde(default)]
    grace_minutes: String,
    version: Option<i32>,
}

impl ScheduleForm {
    fn of(s: &Schedule) -> Self {
        Self {
            slots: s
                .slots
                .iter()
                .map(|s| format!("{} {}", s.time, s.name))
                .collect::<Vec<_>>()
                .join("\n"),
            grace_minutes: s.grace_minutes.to_string(),
            version: s.version,
        }
    }

    fn input(&self) -> AppResult<ScheduleInput> {
        let grace = self
            .grace_minutes
            .trim()
            .parse::<i32>()
            .map_err(|_| AppError::field("grace_minutes", "宽限时间应填写整数（分钟）"))?;
        Ok(ScheduleInput {
            slots: model::parse_lines(&self.slots)
                .into_iter()
                .map(|(time, name)| SlotInput { time, name })
                .collect(),
            grace_minutes: Some(grace),
            version: self.version,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/schedule.html")]
struct SchedulePage {
    ctx: PageCtx,
    schedule: Schedule,
    form: ScheduleForm,
    errors: FormErrors,
    may_write: bool,
    saved: bool,
}

async fn render_schedule(
    state: &AppState,
    ctx: PageCtx,
    form: Option<ScheduleForm>,
    errors: FormErrors,
    saved: bool,
) -> AppResult<Response> {
    let schedule = schedule::get(&state.db, &ctx.actor).await?;
    let status = match (&errors.message, errors.fields.is_empty()) {
        (None, true) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = SchedulePage {
        may_write: is_writer(&ctx.actor),
        form: form.unwrap_or_else(|| ScheduleForm::of(&schedule)),
        schedule,
        ctx,
        errors,
        saved,
    };
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn schedule_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    render_schedule(&state, ctx, None, FormErrors::default(), q.done.is_some()).await
}

async fn save_schedule(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<ScheduleForm>,
) -> AppResult<Response> {
    let saved = match form.input() {
        Ok(input) => schedule::save(&state, &ctx.actor, &input).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(_) => Ok(Redirect::to("/fire/reports/schedule?done=saved").into_response()),
        Err(e) => render_schedule(&state, ctx, Some(form), FormErrors::from_error(e)?, false).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/file.html")]
struct FilePage {
    csrf: Option<String>,
    token: String,
    call: CallRow,
    slot: Slot,
    /// `filed` (just now), `already`, `closed`, or empty (asking).
    outcome: &'static str,
    late: bool,
    situation: String,
    errors: FormErrors,
}

impl FilePage {
    fn title(&self) -> String {
        slots::Asked(self.slot.clone()).title_text()
    }

    fn late_after(&self) -> String {
        format_local(self.slot.late_after)
    }

    fn closes(&self) -> String {
        format_local(self.slot.closes_at)
    }

    fn filed_at(&self) -> String {
        self.call.confirmed_local()
    }

    /// What was filed, once filed.
    fn filing(&self) -> Option<Filing> {
        self.call
            .answer
            .clone()
            .and_then(|a| serde_json::from_value(a).ok())
    }

    fn zero_label(&self) -> &'static str {
        cell::label(cell::ZERO)
    }
}

/// How the page opens: already filed by this person or their township, over, or asking.
fn outcome_of(
    state: &AppState,
    call: &platform::calls::entity::Model,
    slot: &Slot,
) -> &'static str {
    if call.confirmed_at.is_some() {
        "already"
    } else if state.now() >= slot.closes_at {
        "closed"
    } else if call.state == platform::calls::model::call_state::CLOSED {
        // Closed before the day's end: the township filed through someone else.
        "answered_for"
    } else {
        ""
    }
}

async fn file_page(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
) -> AppResult<FilePage> {
    let (found, slot) = slots::by_token(&state, &token).await?;
    let outcome = outcome_of(&state, &found, &slot);
    Ok(FilePage {
        csrf: actor.and_then(|a| a.csrf_token),
        late: state.now() > slot.late_after,
        token,
        call: found.into(),
        slot,
        outcome,
        situation: String::new(),
        errors: FormErrors::default(),
    })
}

#[derive(Debug, Default, Deserialize)]
struct FileForm {
    /// Set by the 零报告 button.
    zero: Option<String>,
    #[serde(default)]
    situation: String,
}

async fn file(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
    Form(form): Form<FileForm>,
) -> AppResult<FilePage> {
    let input = FilingInput {
        zero: form.zero.is_some(),
        situation: Some(form.situation.clone()),
    };
    let result = slots::file_by_token(&state, &token, &input).await;
    // Read after filing, so the page shows the report as stored.
    let (found, slot) = slots::by_token(&state, &token).await?;
    let (outcome, late, errors) = match result {
        Ok(f) => ("filed", f.late, FormErrors::default()),
        Err(AppError::Conflict {
            code: "report_closed",
            ..
        }) => ("closed", false, FormErrors::default()),
        Err(AppError::Conflict {
            code: "already_reported",
            ..
        }) => ("answered_for", false, FormErrors::default()),
        Err(e) => (
            "",
            state.now() > slot.late_after,
            FormErrors::from_error(e)?,
        ),
    };
    Ok(FilePage {
        csrf: actor.and_then(|a| a.csrf_token),
        token,
        call: found.into(),
        slot,
        outcome,
        late,
        situation: form.situation,
        errors,
    })
}
