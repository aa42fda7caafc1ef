//! Warning pages: the list (filters, export), the draft form, the detail page with its steps
//! and the live 叫应 table (refreshed every few seconds), one's own calls to confirm, the
//! confirmation page a message links to (no login), CAP export and import, and the policies.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Scope, perm};
use platform::attachments::MultipartForm;
use platform::auth::layer::MaybeActor;
use platform::clock::format_local;
use platform::contacts::groups::{self, store::Group};
use platform::error::{AppError, AppResult};
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, redirect_or_again};
use platform::web::letter::file_download;
use platform::web::paging::{PageOf, Paging, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::calls::{self, CallRow, Tally};
use super::cap_map;
use super::model::{KINDS, Level, Policy, state};
use super::policies;
use super::store::{self, StepInput, Warning, WarningFilter, WarningInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/warning/warnings", get(list_page))
        .route("/warning/warnings/export", get(export))
        .route("/warning/warnings/new", get(new_page).post(create))
        .route("/warning/warnings/import", get(import_page).post(import))
        .route("/warning/warnings/{id}", get(detail_page))
        .route("/warning/warnings/{id}/calls", get(calls_fragment))
        .route("/warning/warnings/{id}/edit", get(edit_page).post(update))
        .route("/warning/warnings/{id}/approve", post(approve))
        .route("/warning/warnings/{id}/issue", post(issue))
        .route("/warning/warnings/{id}/lift", post(lift))
        .route("/warning/warnings/{id}/void", post(void))
        .route("/warning/warnings/{id}/relay", post(relay))
        .route("/warning/warnings/{id}/cap.xml", get(cap_xml))
        .route("/warning/calls/{id}/confirm", post(confirm_in_app))
        .route("/warning/my", get(my_page))
        .route("/warning/policies", get(policies_page).post(save_policy))
        .route("/ack/{token}", get(ack_page).post(ack))
}

type Codes = &'static [(&'static str, &'static str)];

#[derive(Template, WebTemplate)]
#[template(path = "warnings/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: WarningFilter,
    page: PageOf<Warning>,
    query: String,
    kinds: Codes,
    states: Vec<(&'static str, &'static str)>,
    townships: Vec<Region>,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/warning/warnings/export?{}", self.query)
    }

    fn is_kind(&self, code: &str) -> bool {
        self.filter.kind.as_deref() == Some(code)
    }

    fn is_state(&self, code: &str) -> bool {
        self.filter.state.as_deref() == Some(code)
    }

    fn is_level(&self, level: &Level) -> bool {
        self.filter.level == Some(i32::from(level.0))
    }

    fn is_township(&self, code: &str) -> bool {
        self.filter.township.as_deref() == Some(code)
    }

    /// The filters a statistics figure links with, which the search form does not show.
    fn issued_note(&self) -> Option<String> {
        let f = &self.filter;
        let day = |d: &Option<String>| d.clone().unwrap_or_default();
        let mut parts = Vec::new();
        match f.source.as_deref() {
            Some("local") => parts.push("本级发布的预警".to_string()),
            Some("cap") => parts.push("上级来文".to_string()),
            _ => {}
        }
        if f.issued_from.is_some() || f.issued_to.is_some() {
            parts.push(format!(
                "发布日期 {} 至 {}",
                day(&f.issued_from),
                day(&f.issued_to)
            ));
        }
        if f.relayed == Some(true) {
            parts.push("转发上级的预警".to_string());
        }
        (!parts.is_empty()).then(|| format!("仅显示：{}", parts.join("，")))
    }

    fn may_write(&self) -> bool {
        crate::bureau::is_writer(&self.ctx.actor)
    }
}

fn all_states() -> Vec<(&'static str, &'static str)> {
    [
        state::DRAFT,
        state::APPROVED,
        state::ISSUED,
        state::LIFTED,
        state::RECEIVED,
    ]
    .into_iter()
    .map(|s| (s, state::label(s)))
    .collect()
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<WarningFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    let page = store::list(&state.db, &ctx.actor, &filter, paging).await?;
    let townships = store::townships(&state.db, &ctx.actor).await?;
    Ok(ListPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        kinds: KINDS,
        states: all_states(),
        townships,
    })
}

/// The filtered list as XLSX (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<WarningFilter>,
) -> AppResult<Response> {
    let mut rows = Vec::new();
    for page in 1.. {
        let paging = Paging {
            page: Some(page),
            per_page: Some(200),
        };
        let found = store::list(&state.db, &ctx.actor, &filter, paging).await?;
        rows.extend(found.items.iter().map(|w| {
            vec![
                w.number.clone().unwrap_or_default(),
                w.title.clone(),
                w.kind_label.to_string(),
                w.level_text(),
                w.area_desc.clone(),
                w.validity_text(),
                w.state_label().to_string(),
                w.issued_local(),
                w.issued_by_name.clone().unwrap_or_default(),
            ]
        }));
        if !found.has_next() || rows.len() >= 10_000 {
            break;
        }
    }
    let headers = [
        "编号",
        "标题",
        "种类",
        "级别",
        "区域",
        "有效期",
        "状态",
        "发布时间",
        "签发人",
    ];
    let bytes = xlsx::workbook("预警", &headers, &rows)?;
    Ok(xlsx::download("预警.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Warning>,
    input: WarningInput,
    errors: FormErrors,
    kinds: Codes,
    levels: [Level; 4],
    townships: Vec<Region>,
    groups: Vec<Group>,
}

impl FormPage {
    fn is_kind(&self, code: &str) -> bool {
        self.input.kind.as_deref() == Some(code)
    }

    fn is_level(&self, level: &Level) -> bool {
        self.input.level.as_deref() == Some(level.0.to_string().as_str())
    }

    fn in_area(&self, code: &str) -> bool {
        self.input.area_codes.iter().any(|c| c == code)
    }

    fn in_groups(&self, id: &Uuid) -> bool {
        self.input
            .contact_groups
            .iter()
            .any(|g| g == &id.to_string())
    }

    fn action(&self) -> String {
        match &self.editing {
            Some(w) => format!("/warning/warnings/{}/edit", w.id),
            None => "/warning/warnings/new".to_string(),
        }
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Warning>,
    input: WarningInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    store::require_writer(&ctx.actor)?;
    let townships = store::townships(&state.db, &ctx.actor).await?;
    let county = platform::regions::model::county_of(&ctx.actor.region_code);
    let groups = groups::store::list(&state.db, &Scope::of(&county), false).await?;
    Ok(FormPage {
        ctx,
        editing,
        input,
        errors,
        kinds: KINDS,
        levels: Level::ALL,
        townships,
        groups,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    let input = store::blank_input(state.now());
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<WarningInput>,
) -> AppResult<Response> {
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |w| format!("/warning/warnings/{}?done=created", w.id),
        |errors| form_page(&state, ctx, None, input, errors),
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let w = store::get(&state.db, &ctx.actor, id).await?;
    let input = WarningInput::of(&w);
    form_page(&state, ctx, Some(w), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<WarningInput>,
) -> AppResult<Response> {
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |w| format!("/warning/warnings/{}?done=saved", w.id),
        |errors| async move {
            let editing = store::get(&state.db, &ctx.actor, id).await?;
            form_page(&state, ctx, Some(editing), input, errors).await
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    w: Warning,
    calls: Vec<CallRow>,
    tally: Tally,
    error: Option<String>,
    live: bool,
    group_names: Vec<String>,
}

impl DetailPage {
    fn may_write(&self) -> bool {
        crate::bureau::is_writer(&self.ctx.actor)
    }

    fn may_approve(&self) -> bool {
        self.ctx.actor.can(perm::WARNING_APPROVE)
            && self.w.is(state::DRAFT)
            && self.w.drafted_by != Some(self.ctx.actor.user_id)
    }

    fn is(&self, code: &str) -> bool {
        self.w.is(code)
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    error: Option<String>,
) -> AppResult<DetailPage> {
    let w = store::get(&state.db, &ctx.actor, id).await?;
    let calls = calls::of_warning(&state.db, id).await?;
    let tally = calls::tally(&calls);
    let live = w.in_force(state.now()) && tally.pending > 0;
    let group_names = groups::store::names(&state.db, &w.contact_groups).await?;
    Ok(DetailPage {
        ctx,
        w,
        calls,
        tally,
        error,
        live,
        group_names,
    })
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    detail(&state, ctx, id, None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/calls.html")]
struct CallsFragment {
    w: Warning,
    calls: Vec<CallRow>,
    tally: Tally,
    live: bool,
}

/// The 叫应 table alone, which the detail page re-fetches every few seconds while people are
/// still being waited for.
async fn calls_fragment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<CallsFragment> {
    let page = detail(&state, ctx, id, None).await?;
    Ok(CallsFragment {
        w: page.w,
        calls: page.calls,
        tally: page.tally,
        live: page.live,
    })
}

/// A step's refusal shows on the detail page; success returns to it with a notice.
async fn after_step<T>(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    result: AppResult<T>,
    done: &str,
) -> AppResult<Response> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/warning/warnings/{id}?done={done}")).into_response()),
        Err(e) => {
            let message = FormErrors::from_error(e)?;
            let text = message
                .fields
                .into_values()
                .next()
                .or(message.message)
                .unwrap_or_default();
            let page = detail(state, ctx, id, Some(text)).await?;
            Ok((axum::http::StatusCode::CONFLICT, page).into_response())
        }
    }
}

async fn approve(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<StepInput>,
) -> AppResult<Response> {
    let result = store::approve(&state, &ctx.actor, id, &input).await;
    after_step(&state, ctx, id, result, "saved").await
}

async fn issue(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<StepInput>,
) -> AppResult<Response> {
    let result = store::issue(&state, &ctx.actor, id, &input).await;
    after_step(&state, ctx, id, result, "saved").await
}

async fn lift(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<StepInput>,
) -> AppResult<Response> {
    let result = store::lift(&state, &ctx.actor, id, &input).await;
    after_step(&state, ctx, id, result, "saved").await
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<StepInput>,
) -> AppResult<Response> {
    match store::void(
        &state,
        &ctx.actor,
        id,
        input.reason.as_deref().unwrap_or(""),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to("/warning/warnings?done=voided").into_response()),
        Err(e) => after_step::<()>(&state, ctx, id, Err(e), "voided").await,
    }
}

async fn relay(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Response> {
    match cap_map::relay(&state, &ctx.actor, id).await {
        Ok(draft) => {
            Ok(Redirect::to(&format!("/warning/warnings/{}/edit", draft.id)).into_response())
        }
        Err(e) => after_step::<()>(&state, ctx, id, Err(e), "created").await,
    }
}

/// `cap-<number or id>.xml`.
pub fn xml_download(w: &Warning, xml: String) -> Response {
    let name = format!(
        "CAP-{}.xml",
        w.number.clone().unwrap_or_else(|| w.id.to_string())
    );
    file_download(
        &name,
        "application/xml; charset=utf-8",
        "cap.xml",
        xml.into_bytes(),
    )
}

async fn cap_xml(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Query(q): Query<super::api::CapQuery>,
) -> AppResult<Response> {
    let w = store::get(&state.db, &ctx.actor, id).await?;
    let xml = cap_map::export(&w, super::api::which(&w, q.msg.as_deref()))?;
    Ok(xml_download(&w, xml))
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/import.html")]
struct ImportPage {
    ctx: PageCtx,
    errors: FormErrors,
    xml: String,
}

async fn import_page(ctx: PageCtx) -> AppResult<ImportPage> {
    store::require_writer(&ctx.actor)?;
    Ok(ImportPage {
        ctx,
        errors: FormErrors::default(),
        xml: String::new(),
    })
}

/// A CAP file, or its text pasted.
async fn import(
    State(state): State<AppState>,
    ctx: PageCtx,
    form: MultipartForm,
) -> AppResult<Response> {
    let xml = match form.files("file").first() {
        Some(file) => String::from_utf8_lossy(&file.bytes).into_owned(),
        None => form.field("xml").unwrap_or_default().to_string(),
    };
    let result = if xml.trim().is_empty() {
        Err(AppError::field(
            "file",
            "请选择 CAP 文件（.xml）或粘贴其内容",
        ))
    } else {
        cap_map::import(&state, &ctx.actor, &xml).await
    };
    redirect_or_again(
        result,
        |w| format!("/warning/warnings/{}?done=imported", w.id),
        |errors| async move { Ok(ImportPage { ctx, errors, xml }) },
    )
    .await
}

/// A call waiting for the user, with its warning.
struct Mine {
    call: CallRow,
    warning: Warning,
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/my.html")]
struct MyPage {
    ctx: PageCtx,
    waiting: Vec<Mine>,
}

async fn my_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<MyPage> {
    let mut waiting = Vec::new();
    for c in calls::waiting_for(&state.db, ctx.actor.user_id).await? {
        if let Some(w) = store::find(&state.db, c.subject_id).await? {
            waiting.push(Mine {
                call: c.into(),
                warning: w.into(),
            });
        }
    }
    Ok(MyPage { ctx, waiting })
}

async fn confirm_in_app(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<Redirect> {
    calls::confirm_in_app(&state, &ctx.actor, id).await?;
    Ok(Redirect::to("/warning/my?done=saved"))
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/ack.html")]
struct AckPage {
    /// Present when the person is logged in (their form must carry the CSRF token).
    csrf: Option<String>,
    token: String,
    call: CallRow,
    w: Warning,
    /// `confirmed` (just now), `already`, `expired`, or empty (asking).
    outcome: &'static str,
    confirmed_at: String,
}

async fn ack_page(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
) -> AppResult<AckPage> {
    let (found, w) = calls::by_token(&state.db, &token).await?;
    let outcome = if found.confirmed_at.is_some() {
        "already"
    } else if calls::ended(&found, &w, state.now()) {
        "expired"
    } else {
        ""
    };
    Ok(AckPage {
        csrf: actor.and_then(|a| a.csrf_token),
        confirmed_at: found.confirmed_at.map(format_local).unwrap_or_default(),
        token,
        call: found.into(),
        w,
        outcome,
    })
}

/// One tap: confirmed, already confirmed (the link was used before), or expired.
async fn ack(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    Path(token): Path<String>,
) -> AppResult<AckPage> {
    let (found, w) = calls::by_token(&state.db, &token).await?;
    let (outcome, at) = match calls::confirm_by_token(&state, &token).await {
        Ok(c) if c.newly => ("confirmed", c.confirmed_at),
        Ok(c) => ("already", c.confirmed_at),
        Err(AppError::Conflict { .. }) => ("expired", state.now()),
        Err(e) => return Err(e),
    };
    Ok(AckPage {
        csrf: actor.and_then(|a| a.csrf_token),
        confirmed_at: format_local(at),
        token,
        call: found.into(),
        w,
        outcome,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "warnings/policies.html")]
struct PoliciesPage {
    ctx: PageCtx,
    policies: Vec<Policy>,
    errors: FormErrors,
}

impl PoliciesPage {
    fn colour(&self, level: &u8) -> &'static str {
        Level(*level).colour()
    }

    fn may_write(&self) -> bool {
        crate::bureau::is_writer(&self.ctx.actor)
    }
}

async fn policies_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<PoliciesPage> {
    ctx.actor.require(perm::WARNING_VIEW)?;
    Ok(PoliciesPage {
        policies: policies::all(&state.db).await?,
        ctx,
        errors: FormErrors::default(),
    })
}

/// As typed: a number field left empty or holding text gets a field error, not a bare 400.
#[derive(Deserialize)]
struct PolicyForm {
    level: String,
    ack_minutes: String,
    cycles: String,
}

impl PolicyForm {
    fn policy(&self) -> AppResult<Policy> {
        let number = |text: &str, field: &str, label: &str| {
            text.trim()
                .parse::<i32>()
                .map_err(|_| AppError::field(field, format!("{label}应填写整数")))
        };
        let level = number(&self.level, "level", "预警级别")?;
        Ok(Policy {
            level: u8::try_from(level).unwrap_or(0),
            ack_minutes: number(&self.ack_minutes, "ack_minutes", "确认时限")?,
            cycles: number(&self.cycles, "cycles", "发送次数")?,
        })
    }
}

async fn save_policy(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(f): Form<PolicyForm>,
) -> AppResult<Response> {
    let result = match f.policy() {
        Ok(policy) => policies::set(&state, &ctx.actor, policy).await,
        Err(e) => Err(e),
    };
    redirect_or_again(
        result,
        |_| "/warning/policies?done=saved".to_string(),
        |errors| async {
            Ok(PoliciesPage {
                policies: policies::all(&state.db).await?,
                ctx,
                errors,
            })
        },
    )
    .await
}
