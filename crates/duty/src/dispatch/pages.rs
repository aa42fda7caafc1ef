//! Daily dispatch pages: today's dispatch (start it, then watch every township answer live),
//! a day's summary and its XLSX, and the phone page a township answers on.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::auth::layer::MaybeActor;
use platform::calls::CallRow;
use platform::clock::format_local;
use platform::contacts::groups::{self, store::Group};
use platform::error::{AppError, AppResult};
use platform::web::form::{Form, FormErrors, Path};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{Totals, UnitRow};
use super::questions::{Answer, AnswerKind, Question};
use super::store::{self, CloseInput, Dispatch, StartInput, Summary};
use crate::rosters::model::PeriodKind;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/duty/dispatch", get(today_page).post(start))
        .route("/duty/dispatch/{id}", get(detail_page))
        .route("/duty/dispatch/{id}/units", get(units_fragment))
        .route("/duty/dispatch/{id}/close", post(close))
        .route("/duty/dispatch/{id}/export", get(export))
        .route(
            "/duty/dispatch/answer/{token}",
            get(answer_page).post(answer),
        )
}

/// The start form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
struct StartForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    include_departments: Option<String>,
    #[serde(default)]
    contact_groups: Vec<String>,
    #[serde(default)]
    ack_minutes: String,
    #[serde(default)]
    cycles: String,
}

impl StartForm {
    fn input(&self) -> AppResult<StartInput> {
        let number = |text: &str, field: &str, label: &str| -> AppResult<Option<i32>> {
            match text.trim() {
                "" => Ok(None),
                t => t
                    .parse::<i32>()
                    .map(Some)
                    .map_err(|_| AppError::field(field, format!("{label}应填写整数"))),
            }
        };
        Ok(StartInput {
            kind: Some(self.kind.clone()).filter(|k| !k.is_empty()),
            include_departments: Some(self.include_departments.is_some()),
            contact_groups: self.contact_groups.clone(),
            ack_minutes: number(&self.ack_minutes, "ack_minutes", "回复时限")?,
            cycles: number(&self.cycles, "cycles", "提醒次数")?,
            day: None,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/today.html")]
struct TodayPage {
    ctx: PageCtx,
    may_dispatch: bool,
    kinds: Vec<(&'static str, &'static str)>,
    groups: Vec<Group>,
    form: StartForm,
    errors: FormErrors,
    recent: Vec<Dispatch>,
    today: String,
}

impl TodayPage {
    fn chosen(&self, id: &Uuid) -> bool {
        self.form
            .contact_groups
            .iter()
            .any(|g| g == &id.to_string())
    }
}

async fn today_view(
    state: &AppState,
    ctx: PageCtx,
    form: StartForm,
    errors: FormErrors,
) -> AppResult<Response> {
    if let Some(d) = store::today(state, &ctx.actor).await? {
        return Ok(Redirect::to(&format!("/duty/dispatch/{}", d.id)).into_response());
    }
    let county = platform::regions::model::county_of(&ctx.actor.region_code);
    Ok(TodayPage {
        may_dispatch: store::may_dispatch(state, &ctx.actor).await?,
        kinds: PeriodKind::options(),
        groups: groups::store::list(&state.db, &platform::access::Scope::of(&county), false)
            .await?,
        recent: store::list(state, &ctx.actor, 30).await?,
        today: crate::rosters::model::local_day(state.now())
            .format("%Y年%-m月%-d日")
            .to_string(),
        ctx,
        form,
        errors,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/mine.html")]
struct MinePage {
    ctx: PageCtx,
    calls: Vec<store::Mine>,
}

async fn today_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<Response> {
    // Below the county, 每日调度 is what one was asked: today's to answer, and the past days.
    if !crate::rosters::store::reads_all(&ctx.actor) {
        let calls = store::mine(&state, &ctx.actor).await?;
        return Ok(MinePage { ctx, calls }.into_response());
    }
    let form = StartForm {
        include_departments: Some("on".to_string()),
        ..StartForm::default()
    };
    today_view(&state, ctx, form, FormErrors::default()).await
}

async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(form): Form<StartForm>,
) -> AppResult<Response> {
    let started = match form.input() {
        Ok(input) => store::start(&state, &ctx.actor, &input).await,
        Err(e) => Err(e),
    };
    match started {
        Ok(d) => Ok(Redirect::to(&format!("/duty/dispatch/{}", d.id)).into_response()),
        Err(e) => today_view(&state, ctx, form, FormErrors::from_error(e)?).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    s: Summary,
    may_dispatch: bool,
    group_names: Vec<String>,
}

impl DetailPage {
    fn d(&self) -> &Dispatch {
        &self.s.dispatch
    }

    fn units(&self) -> UnitsFragment {
        UnitsFragment::from(&self.s)
    }
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    let s = store::summary(&state, &ctx.actor, id).await?;
    Ok(DetailPage {
        may_dispatch: store::may_dispatch(&state, &ctx.actor).await?,
        group_names: groups::store::names(&state.db, &s.dispatch.contact_groups).await?,
        s,
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/units.html")]
struct UnitsFragment {
    id: Uuid,
    live: bool,
    units: Vec<UnitRow>,
    totals: Totals,
    calls: Vec<CallRow>,
}

impl From<&Summary> for UnitsFragment {
    fn from(s: &Summary) -> Self {
        Self {
            id: s.dispatch.id,
            live: s.dispatch.open,
            units: s.units.clone(),
            totals: s.totals,
            calls: s.calls.clone(),
        }
    }
}

async fn units_fragment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<UnitsFragment> {
    let s = store::summary(&state, &ctx.actor, id).await?;
    Ok(UnitsFragment::from(&s))
}

#[derive(Deserialize)]
struct VersionForm {
    version: i32,
}

async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VersionForm>,
) -> AppResult<Redirect> {
    let input = CloseInput {
        version: form.version,
    };
    store::close(&state, &ctx.actor, id, &input).await?;
    Ok(Redirect::to(&format!("/duty/dispatch/{id}?done=saved")))
}

const EXPORT_HEADERS: [&str; 8] = [
    "单位",
    "类别",
    "调度对象",
    "状态",
    "回复人",
    "回复时间",
    "回复内容",
    "升级督促",
];

fn answers_text(row: &UnitRow) -> String {
    row.answers
        .iter()
        .filter_map(|a| {
            let mark = if a.alarming { "【需关注】" } else { "" };
            Some(format!("{mark}{}", a.line()?))
        })
        .collect::<Vec<_>>()
        .join("；")
}

async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    let s = store::summary(&state, &ctx.actor, id).await?;
    let rows: Vec<Vec<String>> = s
        .units
        .iter()
        .map(|u| {
            vec![
                u.name.clone(),
                if u.is_township {
                    "乡镇"
                } else {
                    "部门及其他"
                }
                .to_string(),
                u.asked.clone(),
                u.status_label().to_string(),
                u.answered_by.clone().unwrap_or_default(),
                u.answered_local(),
                answers_text(u),
                u.escalations.join("；"),
            ]
        })
        .collect();
    let bytes = xlsx::workbook("每日调度", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download(
        &format!("{}.xlsx", s.dispatch.title()),
        bytes,
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "dispatch/answer.html")]
struct AnswerPage {
    csrf: Option<String>,
    token: String,
    call: CallRow,
    d: Dispatch,
    /// `answered` (just now), `already`, `closed`, or empty (asking).
    outcome: &'static str,
    answered_at: String,
    values: HashMap<String, String>,
    errors: FormErrors,
}

impl AnswerPage {
    fn value(&self, q: &Question) -> &str {
        self.values.get(&q.key).map(String::as_str).unwrap_or("")
    }

    fn is_yes_no(&self, q: &Question) -> bool {
        q.answer_kind == AnswerKind::YesNo
    }

    fn is_number(&self, q: &Question) -> bool {
        q.answer_kind == AnswerKind::Number
    }

    /// The person answers for a township (first wave), or acknowledges an escalation.
    fn asks_questions(&self) -> bool {
        self.call.about.is_none()
    }

    /// What was answered, once answered.
    fn given(&self) -> Vec<Answer> {
        self.call
            .answer
            .clone()
            .and_then(|a| serde_json::from_value(a).ok())
            .unwrap_or_default()
    }
}

async fn answer_page(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
) -> AppResult<AnswerPage> {
    let (found, d) = store::by_token(&state, &token).await?;
    let outcome = if found.confirmed_at.is_some() {
        "already"
    } else if !d.open || found.state == platform::calls::model::call_state::CLOSED {
        "closed"
    } else {
        ""
    };
    Ok(AnswerPage {
        csrf: actor.and_then(|a| a.csrf_token),
        answered_at: found.confirmed_at.map(format_local).unwrap_or_default(),
        token,
        call: found.into(),
        d,
        outcome,
        values: HashMap::new(),
        errors: FormErrors::default(),
    })
}

/// The answers: a field per question key (`q_<key>`), so they never clash with `_csrf`.
async fn answer(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> AppResult<AnswerPage> {
    let values: HashMap<String, String> = fields
        .into_iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("q_")?.to_string(), v)))
        .collect();
    let result = store::answer_by_token(&state, &token, &values).await;
    // Read after answering, so the page shows the answers as stored.
    let (found, d) = store::by_token(&state, &token).await?;
    let (outcome, at, errors) = match result {
        Ok(c) if c.newly => (
            "answered",
            format_local(c.confirmed_at),
            FormErrors::default(),
        ),
        Ok(c) => (
            "already",
            format_local(c.confirmed_at),
            FormErrors::default(),
        ),
        Err(AppError::Conflict { .. }) => ("closed", String::new(), FormErrors::default()),
        Err(e) => ("", String::new(), FormErrors::from_error(e)?),
    };
    Ok(AnswerPage {
        csrf: actor.and_then(|a| a.csrf_token),
        token,
        call: found.into(),
        d,
        outcome,
        answered_at: at,
        values,
        errors,
    })
}
