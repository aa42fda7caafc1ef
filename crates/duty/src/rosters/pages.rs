//! Roster pages: the periods, a new period's form, the calendar (month or week; gaps in red),
//! the printable roster and its XLSX, one shift's form (who stands it; ask for a swap), and
//! the swap requests with approve / reject.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, Duration, NaiveDate};
use platform::error::{AppError, AppResult};
use platform::web::form::{Form, FormErrors, Path, Query, optional, parse_date};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{PeriodKind, ShiftPattern, SwapState};
use super::store::{
    self, DecideInput, Period, PeriodFilter, PeriodInput, Shift, ShiftInput, Swap, SwapInput,
    VoidInput,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty/periods", get(list_page))
        .route("/duty/periods/new", get(new_page).post(create))
        .route("/duty/periods/{id}", get(calendar_page))
        .route("/duty/periods/{id}/print", get(print_page))
        .route("/duty/periods/{id}/void", post(void))
        .route("/duty/periods/{id}/export", get(export))
        .route("/duty/shifts/{id}", get(shift_page).post(assign))
        .route("/duty/shifts/{id}/swap", post(request_swap))
        .route("/duty/swaps", get(swaps_page))
        .route("/duty/swaps/{id}/decide", post(decide))
}

type Codes = Vec<(&'static str, &'static str)>;

fn today(state: &AppState) -> NaiveDate {
    super::model::local_day(state.now())
}

#[derive(Template, WebTemplate)]
#[template(path = "rosters/list.html")]
struct ListPage {
    ctx: PageCtx,
    periods: Vec<Period>,
    filter: PeriodFilter,
    kinds: Codes,
    may_write: bool,
}

impl ListPage {
    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<PeriodFilter>,
) -> AppResult<ListPage> {
    let periods = store::list(&state.db, &ctx.actor, &filter).await?;
    Ok(ListPage {
        may_write: store::is_writer(&ctx.actor),
        ctx,
        periods,
        filter,
        kinds: PeriodKind::options(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "rosters/form.html")]
struct FormPage {
    ctx: PageCtx,
    input: PeriodInput,
    errors: FormErrors,
    kinds: Codes,
    patterns: Codes,
}

impl FormPage {
    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

fn form_page(ctx: PageCtx, input: PeriodInput, errors: FormErrors) -> Response {
    let status = match errors.message {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = FormPage {
        ctx,
        input,
        errors,
        kinds: PeriodKind::options(),
        patterns: ShiftPattern::options(),
    };
    (status, page).into_response()
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    if !store::is_writer(&ctx.actor) {
        return Err(AppError::Forbidden);
    }
    let year = today(&state).year();
    let input = PeriodInput {
        kind: PeriodKind::Flood.code().into(),
        name: format!("{year}年防汛值班"),
        starts_on: Some(format!("{year}-06-01")),
        ends_on: Some(format!("{year}-09-30")),
        pattern: Some(ShiftPattern::FullDay.code().into()),
        shift_start: Some(super::model::DEFAULT_START.into()),
        min_officers: Some(super::model::DEFAULT_MIN_OFFICERS.to_string()),
        region_code: None,
    };
    Ok(form_page(ctx, input, FormErrors::default()))
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<PeriodInput>,
) -> AppResult<Response> {
    match store::create_period(&state, &ctx.actor, &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/duty/periods/{}?done=created", p.id)).into_response()),
        Err(err) => Ok(form_page(ctx, input, FormErrors::from_error(err)?)),
    }
}

#[derive(Debug, Default, Deserialize)]
struct CalendarQuery {
    /// `2026-06`.
    month: Option<String>,
    /// `week` for a week's table.
    view: Option<String>,
    /// Any day of the week shown.
    week: Option<String>,
}

/// One day of the calendar.
struct Day {
    date: NaiveDate,
    in_month: bool,
    shifts: Vec<Shift>,
}

impl Day {
    fn number(&self) -> u32 {
        self.date.day()
    }

    fn weekday(&self) -> &'static str {
        WEEKDAYS[self.date.weekday().num_days_from_monday() as usize]
    }

    fn has_gap(&self) -> bool {
        self.shifts.iter().any(|s| s.gap.is_some())
    }
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

#[derive(Template, WebTemplate)]
#[template(path = "rosters/calendar.html")]
struct CalendarPage {
    ctx: PageCtx,
    period: Period,
    week_view: bool,
    title: String,
    weeks: Vec<Vec<Day>>,
    days: Vec<Day>,
    gaps: Vec<store::Gap>,
    prev: Option<String>,
    next: Option<String>,
    month: String,
    week_link: String,
    month_link: String,
    may_write: bool,
    weekdays: [&'static str; 7],
    error: Option<String>,
}

fn clamp_month(period: &Period, month: Option<String>, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let asked = month.as_deref().and_then(store::month_range);
    asked.unwrap_or_else(|| {
        let anchor = today.clamp(period.starts_on, period.ends_on);
        store::month_range(&anchor.format("%Y-%m").to_string()).unwrap_or((anchor, anchor))
    })
}

async fn calendar_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<CalendarQuery>,
) -> AppResult<CalendarPage> {
    calendar(&state, ctx, id, q, None).await
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VoidInput>,
) -> AppResult<Response> {
    match store::void_period(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/periods?done=voided").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let message = errors.fields.values().next().cloned().or(errors.message);
            let page = calendar(&state, ctx, id, CalendarQuery::default(), message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn calendar(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    q: CalendarQuery,
    error: Option<String>,
) -> AppResult<CalendarPage> {
    let period = store::get_period(&state.db, &ctx.actor, id).await?;
    let today = today(state);
    let week_view = q.view.as_deref() == Some("week");
    let (from, to, title, prev, next, month) = if week_view {
        let anchor = q
            .week
            .as_deref()
            .and_then(parse_date)
            .unwrap_or_else(|| today.clamp(period.starts_on, period.ends_on));
        let monday = anchor - Duration::days(anchor.weekday().num_days_from_monday() as i64);
        let sunday = monday + Duration::days(6);
        let link = |d: NaiveDate| format!("?view=week&week={d}");
        (
            monday,
            sunday,
            format!("{monday} 至 {sunday}"),
            (monday > period.starts_on).then(|| link(monday - Duration::days(7))),
            (sunday < period.ends_on).then(|| link(monday + Duration::days(7))),
            monday.format("%Y-%m").to_string(),
        )
    } else {
        let (first, last) = clamp_month(&period, q.month, today);
        let link = |d: NaiveDate| format!("?month={}", d.format("%Y-%m"));
        (
            first,
            last,
            format!("{}年{}月", first.year(), first.month()),
            (first > period.starts_on).then(|| link(first - Duration::days(1))),
            (last < period.ends_on).then(|| link(last + Duration::days(1))),
            first.format("%Y-%m").to_string(),
        )
    };
    let roster = store::roster(&state.db, &ctx.actor, id, Some(from), Some(to)).await?;
    let mut by_day: std::collections::HashMap<NaiveDate, Vec<Shift>> = Default::default();
    for s in roster.shifts {
        by_day.entry(s.day).or_default().push(s);
    }
    // The month grid starts on the Monday on or before the 1st and ends on the Sunday after.
    let grid_from = from - Duration::days(from.weekday().num_days_from_monday() as i64);
    let grid_to = to + Duration::days(6 - to.weekday().num_days_from_monday() as i64);
    let mut weeks: Vec<Vec<Day>> = Vec::new();
    let mut days: Vec<Day> = Vec::new();
    let mut d = grid_from;
    while d <= grid_to {
        let day = Day {
            date: d,
            in_month: d >= from && d <= to,
            shifts: by_day.remove(&d).unwrap_or_default(),
        };
        if week_view {
            days.push(day);
        } else {
            if d.weekday().num_days_from_monday() == 0 {
                weeks.push(Vec::new());
            }
            if let Some(w) = weeks.last_mut() {
                w.push(day);
            }
        }
        d += Duration::days(1);
    }
    Ok(CalendarPage {
        may_write: store::is_writer(&ctx.actor),
        week_link: format!("?view=week&week={from}"),
        month_link: format!("?month={month}"),
        ctx,
        period,
        week_view,
        title,
        weeks,
        days,
        gaps: roster.gaps,
        prev,
        next,
        month,
        weekdays: WEEKDAYS,
        error,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "rosters/print.html")]
struct PrintPage {
    period: Period,
    shifts: Vec<Shift>,
    title: String,
}

/// The roster on paper: a month (`?month=2026-06`) or the whole period.
async fn print_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<CalendarQuery>,
) -> AppResult<PrintPage> {
    let range = q.month.as_deref().and_then(store::month_range);
    let roster = store::roster(
        &state.db,
        &ctx.actor,
        id,
        range.map(|r| r.0),
        range.map(|r| r.1),
    )
    .await?;
    let title = match range {
        Some((first, _)) => format!(
            "{}（{}年{}月）",
            roster.period.name,
            first.year(),
            first.month()
        ),
        None => roster.period.name.clone(),
    };
    Ok(PrintPage {
        period: roster.period,
        shifts: roster.shifts,
        title,
    })
}

const EXPORT_HEADERS: [&str; 7] = [
    "日期",
    "星期",
    "班次",
    "起止时间",
    "带班领导",
    "值班员",
    "缺岗",
];

fn export_row(s: &Shift) -> Vec<String> {
    let local = |at: chrono::DateTime<chrono::Utc>| platform::clock::format_local(at);
    vec![
        s.day.to_string(),
        format!(
            "星期{}",
            WEEKDAYS[s.day.weekday().num_days_from_monday() as usize]
        ),
        s.slot_label().to_string(),
        format!("{} 至 {}", local(s.starts_at), local(s.ends_at)),
        s.leader_name().to_string(),
        s.officer_names(),
        s.gap.clone().unwrap_or_default(),
    ]
}

/// The roster as XLSX: a month (`?month=`) or the whole period.
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<CalendarQuery>,
) -> AppResult<Response> {
    let range = q.month.as_deref().and_then(store::month_range);
    let roster = store::roster(
        &state.db,
        &ctx.actor,
        id,
        range.map(|r| r.0),
        range.map(|r| r.1),
    )
    .await?;
    let rows: Vec<Vec<String>> = roster.shifts.iter().map(export_row).collect();
    let bytes = xlsx::workbook("值班表", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download(
        &format!("{}值班表.xlsx", roster.period.name),
        bytes,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "rosters/shift.html")]
struct ShiftPage {
    ctx: PageCtx,
    period: Period,
    shift: Shift,
    leaders: Vec<(Uuid, String)>,
    people: Vec<(Uuid, String)>,
    chosen_leader: String,
    chosen: Vec<String>,
    errors: FormErrors,
    may_write: bool,
    mine: bool,
    swap: SwapInput,
    swap_errors: FormErrors,
    /// Later shifts of the period one may take in return.
    later: Vec<(Uuid, String)>,
}

impl ShiftPage {
    fn is_in_return(&self, id: &Uuid) -> bool {
        self.swap.with_shift_id.as_deref() == Some(id.to_string().as_str())
    }

    fn is_leader(&self, id: &Uuid) -> bool {
        self.chosen_leader == id.to_string()
    }

    fn is_chosen(&self, id: &Uuid) -> bool {
        self.chosen.contains(&id.to_string())
    }

    fn is_with(&self, id: &Uuid) -> bool {
        self.swap.with_user_id == id.to_string()
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

struct ShiftForm {
    input: ShiftInput,
    errors: FormErrors,
    swap: SwapInput,
    swap_errors: FormErrors,
}

async fn shift_view(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    form: Option<ShiftForm>,
) -> AppResult<Response> {
    let shift = store::get_shift(&state.db, &ctx.actor, id).await?;
    let period = store::get_period(&state.db, &ctx.actor, shift.period_id).await?;
    let (leaders, people) = store::rosterable(&state.db, &shift.region_code).await?;
    let now = state.now();
    let later = store::roster(
        &state.db,
        &ctx.actor,
        shift.period_id,
        Some(shift.day),
        None,
    )
    .await?
    .shifts
    .into_iter()
    .filter(|s| s.id != shift.id && s.starts_at > now)
    .map(|s| {
        let who = s.people().len();
        let names = format!("{} {}", s.leader_name(), s.officer_names());
        let label = match who {
            0 => s.label,
            _ => format!("{}：{}", s.label, names.trim()),
        };
        (s.id, label)
    })
    .collect();
    let form = form.unwrap_or_else(|| ShiftForm {
        input: ShiftInput {
            leader_id: shift.leader.as_ref().map(|p| p.user_id.to_string()),
            officer_ids: shift
                .officers
                .iter()
                .map(|p| p.user_id.to_string())
                .collect(),
            version: Some(shift.version),
        },
        errors: FormErrors::default(),
        swap: SwapInput::default(),
        swap_errors: FormErrors::default(),
    });
    let status = match (&form.errors.message, &form.swap_errors.message) {
        (None, None) => StatusCode::OK,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let page = ShiftPage {
        may_write: store::is_writer(&ctx.actor),
        mine: shift.has(ctx.actor.user_id),
        chosen_leader: form.input.leader_id.clone().unwrap_or_default(),
        chosen: form.input.officer_ids.clone(),
        ctx,
        period,
        shift,
        leaders,
        people,
        errors: form.errors,
        swap: form.swap,
        swap_errors: form.swap_errors,
        later,
    };
    Ok((status, page).into_response())
}

async fn shift_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    shift_view(&state, ctx, id, None).await
}

/// The shift form as a browser sends it (officers as repeated checkboxes).
#[derive(Debug, Default, Deserialize)]
struct AssignForm {
    leader_id: Option<String>,
    #[serde(default)]
    officer_ids: Vec<String>,
    version: Option<i32>,
}

async fn assign(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    let input = ShiftInput {
        leader_id: optional(&form.leader_id),
        officer_ids: form.officer_ids,
        version: form.version,
    };
    match store::assign(&state, &ctx.actor, id, &input).await {
        Ok(s) => Ok(Redirect::to(&format!(
            "/duty/periods/{}?month={}&done=saved",
            s.period_id,
            s.day.format("%Y-%m")
        ))
        .into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let form = ShiftForm {
                input,
                errors,
                swap: SwapInput::default(),
                swap_errors: FormErrors::default(),
            };
            shift_view(&state, ctx, id, Some(form)).await
        }
    }
}

async fn request_swap(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(mut input): Form<SwapInput>,
) -> AppResult<Response> {
    input.shift_id = id.to_string();
    match store::request_swap(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/swaps?done=created").into_response()),
        Err(err) => {
            let shift = store::get_shift(&state.db, &ctx.actor, id).await?;
            let form = ShiftForm {
                input: ShiftInput {
                    leader_id: shift.leader.as_ref().map(|p| p.user_id.to_string()),
                    officer_ids: shift
                        .officers
                        .iter()
                        .map(|p| p.user_id.to_string())
                        .collect(),
                    version: Some(shift.version),
                },
                errors: FormErrors::default(),
                swap: input,
                swap_errors: FormErrors::from_error(err)?,
            };
            shift_view(&state, ctx, id, Some(form)).await
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "rosters/swaps.html")]
struct SwapsPage {
    ctx: PageCtx,
    swaps: Vec<Swap>,
    pending_only: bool,
    may_decide: bool,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct SwapsQuery {
    state: Option<String>,
}

async fn swaps_view(
    state: &AppState,
    ctx: PageCtx,
    pending_only: bool,
    error: Option<String>,
) -> AppResult<Response> {
    let wanted = pending_only.then_some(SwapState::Pending);
    let swaps = store::swaps(&state.db, &ctx.actor, wanted).await?;
    let status = match error {
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::OK,
    };
    let page = SwapsPage {
        may_decide: store::is_writer(&ctx.actor),
        ctx,
        swaps,
        pending_only,
        error,
    };
    Ok((status, page).into_response())
}

async fn swaps_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<SwapsQuery>,
) -> AppResult<Response> {
    swaps_view(&state, ctx, q.state.as_deref() == Some("pending"), None).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<DecideInput>,
) -> AppResult<Response> {
    match store::decide_swap(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/duty/swaps?done=saved").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let message = errors.fields.values().next().cloned().or(errors.message);
            swaps_view(&state, ctx, false, message).await
        }
    }
}
