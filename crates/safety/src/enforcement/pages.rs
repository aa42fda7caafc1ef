//! Enforcement pages: the list with filters, totals and XLSX export; the case page with its
//! timeline and the action forms valid for its state; filing and editing.

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use platform::access::perm;
use platform::error::AppResult;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, redirect_or_again};
use platform::web::paging::{PageOf, Paging, Sort, SortQuery, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::entity::case;
use super::model::Measure;
use super::store::{
    self, CaseFilter, CaseInput, CloseInput, DecideInput, DismissInput, EnforcementCase, LinkInput,
    LinkedHazard, ListTotals, NotifyInput, PaymentInput, ResponseInput, SOURCES, TypicalInput,
    VersionInput,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/safety/enforcement", get(list_page))
        .route("/safety/enforcement/export", get(export))
        .route("/safety/enforcement/new", get(new_page).post(create))
        .route("/safety/enforcement/{id}", get(detail_page))
        .route("/safety/enforcement/{id}/edit", get(edit_page).post(update))
        .route("/safety/enforcement/{id}/investigate", post(investigate))
        .route("/safety/enforcement/{id}/notify", post(notify))
        .route("/safety/enforcement/{id}/response", post(response))
        .route("/safety/enforcement/{id}/decide", post(decide))
        .route("/safety/enforcement/{id}/payments", post(payment))
        .route("/safety/enforcement/{id}/close", post(close))
        .route("/safety/enforcement/{id}/dismiss", post(dismiss))
        .route("/safety/enforcement/{id}/typical", post(typical))
        .route("/safety/enforcement/{id}/hazards", post(link))
        .route(
            "/safety/enforcement/{id}/hazards/{hazard_id}/unlink",
            post(unlink),
        )
}

type Choices = Vec<(&'static str, &'static str)>;

use crate::units::store::UnitChoice;

async fn townships(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Region>> {
    let scope = ctx.actor.scope();
    let mut regions =
        platform::regions::store::list_level(&state.db, &scope, Level::Township).await?;
    if regions.is_empty() {
        regions.extend(platform::regions::store::find(&state.db, &ctx.actor.region_code).await?);
    }
    Ok(regions)
}

#[derive(Template, WebTemplate)]
#[template(path = "enforcement/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: CaseFilter,
    sort: Sort<case::Column>,
    page: PageOf<EnforcementCase>,
    totals: ListTotals,
    query: String,
    townships: Vec<Region>,
    states: Choices,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/safety/enforcement/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<CaseFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let scope = ctx.actor.scope();
    let page = store::list(&state.db, &scope, &filter, &sort, paging).await?;
    let totals = store::list_totals(&state.db, &scope, &filter).await?;
    Ok(ListPage {
        townships: townships(&state, &ctx).await?,
        ctx,
        filter,
        sort,
        page,
        totals,
        query: query.unwrap_or_default(),
        states: store::states(),
    })
}

const EXPORT_HEADERS: [&str; 20] = [
    "案件编号",
    "监管对象",
    "所属区域",
    "案由",
    "法律依据",
    "案件来源",
    "立案日期",
    "执法人员",
    "状态",
    "告知日期",
    "听证",
    "决定日期",
    "决定书文号",
    "罚款（元）",
    "其他处罚",
    "不予处罚理由",
    "已缴（元）",
    "结案日期",
    "结案/撤销说明",
    "典型案例",
];

fn export_row(c: &EnforcementCase) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        c.number.clone(),
        c.unit_name.clone(),
        c.region_name.clone(),
        c.cause.clone(),
        opt(&c.legal_basis),
        c.source_label().to_string(),
        c.filed_on.to_string(),
        c.officers_text(),
        c.state_label().to_string(),
        day(c.notified_on),
        if c.hearing_requested {
            format!("申请听证 {}", day(c.hearing_on)).trim().to_string()
        } else if c.waived {
            "书面放弃".to_string()
        } else {
            String::new()
        },
        day(c.decided_on),
        opt(&c.decision_number),
        if c.decided_on.is_some() {
            c.fine_yuan()
        } else {
            String::new()
        },
        c.measures_text(),
        opt(&c.no_penalty_reason),
        c.paid_yuan(),
        day(c.closed_on.or(c.dismissed_on)),
        c.close_reason
            .clone()
            .or(c.dismiss_reason.clone())
            .unwrap_or_default(),
        if c.typical {
            format!("是 {}", day(c.typical_reported_on))
                .trim()
                .to_string()
        } else {
            String::new()
        },
    ]
}

/// The filtered list as XLSX (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<CaseFilter>,
    Query(sort): Query<SortQuery>,
) -> AppResult<Response> {
    let sort = store::SORTS.pick(&sort)?;
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let cases = store::all(&state.db, &ctx.actor.scope(), &filter, &sort, 10_000).await?;
    let rows: Vec<Vec<String>> = cases.iter().map(export_row).collect();
    let bytes = xlsx::workbook("行政执法案件", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("行政执法案件.xlsx", bytes))
}

/// One line of the case's timeline.
pub struct TimelineRow {
    pub at_local: String,
    pub actor_name: String,
    pub label: String,
    pub summary: String,
}

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("enforcement.investigate", "调查取证"),
    ("enforcement.notify", "送达告知书"),
    ("enforcement.response", "陈述申辩/听证"),
    ("enforcement.decide", "作出决定"),
    ("enforcement.payment", "缴款"),
    ("enforcement.close", "结案"),
    ("enforcement.dismiss", "撤销立案"),
    ("enforcement.typical", "典型案例"),
    ("enforcement.link", "关联隐患"),
    ("enforcement.unlink", "取消关联"),
];

/// Opening a case is 立案; other actions keep their registered names.
fn action_label(row: &platform::audit::store::AuditRow) -> String {
    match row.action.as_str() {
        "create" => "立案".to_string(),
        _ => row.action_label.clone(),
    }
}

/// What the forms showed when an action was refused, so nothing typed is lost.
#[derive(Default)]
struct Typed {
    fields: Vec<(String, String)>,
    measures: Vec<String>,
}

impl Typed {
    fn set(mut self, name: &str, value: &Option<String>) -> Self {
        if let Some(v) = value {
            self.fields.push((name.to_string(), v.clone()));
        }
        self
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "enforcement/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    case: EnforcementCase,
    history: Vec<TimelineRow>,
    linkable: Vec<LinkedHazard>,
    measures: Choices,
    errors: FormErrors,
    typed: Typed,
    today: String,
}

impl DetailPage {
    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }

    fn at(&self, state: &str) -> bool {
        self.may_edit() && self.case.state_code() == state
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    /// What was typed into a field of a refused form, or `default`.
    fn typed<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.typed
            .fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or(default)
    }

    fn measure_checked(&self, code: &str) -> bool {
        self.typed.measures.iter().any(|m| m == code)
    }

    /// The first decision day for a fine below the hearing threshold, and with a hearing right.
    fn decision_hint(&self) -> String {
        let none = BTreeSet::new();
        let hearing: BTreeSet<Measure> = [Measure::Suspension].into();
        match (
            self.case.earliest_decision(0, &none),
            self.case.earliest_decision(0, &hearing),
        ) {
            (Some(a), Some(b)) if !self.case.waived => format!(
                "陈述申辩期 {} 日，最早 {a} 可作决定；罚款 {} 万元以上或责令停产停业、吊销许可证的，听证申请期 {} 日，最早 {b}。",
                super::model::RESPONSE_DAYS,
                super::model::HEARING_THRESHOLD_FEN / 1_000_000,
                super::model::RESPONSE_DAYS_HEARING,
            ),
            _ => "当事人已书面放弃陈述申辩和听证。".to_string(),
        }
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
    typed: Typed,
) -> AppResult<DetailPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let scope = ctx.actor.scope();
    let case = store::get(&state.db, &scope, id).await?;
    let history =
        platform::audit::store::history(&state.db, &scope, store::AUDIT_ENTITY, &id.to_string())
            .await?
            .into_iter()
            .map(|r| TimelineRow {
                label: action_label(&r),
                at_local: r.at_local,
                actor_name: r.actor_name,
                summary: r.summary,
            })
            .collect();
    let linkable = if case.is_final() {
        Vec::new()
    } else {
        store::linkable_hazards(&state.db, &scope, &case).await?
    };
    Ok(DetailPage {
        ctx,
        case,
        history,
        linkable,
        measures: store::measures(),
        errors,
        typed,
        today: store::today(state).to_string(),
    })
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    detail(&state, ctx, id, FormErrors::default(), Typed::default()).await
}

/// After an action: back to the case page, or the page again with the error and what was typed.
async fn after_action(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    result: AppResult<EnforcementCase>,
    done: &str,
    typed: Typed,
) -> AppResult<Response> {
    redirect_or_again(
        result,
        |_| format!("/safety/enforcement/{id}?done={done}"),
        |errors| async move { detail(state, ctx, id, errors, typed).await },
    )
    .await
}

async fn investigate(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VersionInput>,
) -> AppResult<Response> {
    let result = store::investigate(&state, &ctx.actor, id, input.version).await;
    after_action(&state, ctx, id, result, "investigate", Typed::default()).await
}

async fn notify(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<NotifyInput>,
) -> AppResult<Response> {
    let result = store::notify(&state, &ctx.actor, id, &input).await;
    let typed = Typed::default().set("notified_on", &input.notified_on);
    after_action(&state, ctx, id, result, "notify", typed).await
}

async fn response(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ResponseInput>,
) -> AppResult<Response> {
    let result = store::record_response(&state, &ctx.actor, id, &input).await;
    let typed = Typed::default()
        .set("hearing_on", &input.hearing_on)
        .set("statement", &input.statement);
    after_action(&state, ctx, id, result, "response", typed).await
}

async fn decide(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<DecideInput>,
) -> AppResult<Response> {
    let result = store::decide(&state, &ctx.actor, id, &input).await;
    let mut typed = Typed::default()
        .set("decided_on", &input.decided_on)
        .set("fine_yuan", &input.fine_yuan)
        .set("no_penalty_reason", &input.no_penalty_reason);
    typed.measures = input.measures.clone();
    after_action(&state, ctx, id, result, "decide", typed).await
}

async fn payment(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<PaymentInput>,
) -> AppResult<Response> {
    let result = store::add_payment(&state, &ctx.actor, id, &input).await;
    let typed = Typed::default()
        .set("amount_yuan", &input.amount_yuan)
        .set("paid_on", &input.paid_on)
        .set("note", &input.note);
    after_action(&state, ctx, id, result, "payment", typed).await
}

async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CloseInput>,
) -> AppResult<Response> {
    let result = store::close(&state, &ctx.actor, id, &input).await;
    let typed = Typed::default()
        .set("closed_on", &input.closed_on)
        .set("reason", &input.reason);
    after_action(&state, ctx, id, result, "closed", typed).await
}

async fn dismiss(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<DismissInput>,
) -> AppResult<Response> {
    let result = store::dismiss(&state, &ctx.actor, id, &input).await;
    let typed = Typed::default().set("dismiss_reason", &Some(input.reason.clone()));
    after_action(&state, ctx, id, result, "dismissed", typed).await
}

async fn typical(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<TypicalInput>,
) -> AppResult<Response> {
    let result = store::set_typical(&state, &ctx.actor, id, &input).await;
    let typed = Typed::default()
        .set("reported_on", &input.reported_on)
        .set("typical_note", &input.note);
    after_action(&state, ctx, id, result, "typical", typed).await
}

async fn link(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<LinkInput>,
) -> AppResult<Response> {
    let result = store::link_hazard(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result, "linked", Typed::default()).await
}

async fn unlink(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, hazard_id)): Path<(Uuid, Uuid)>,
    Form(input): Form<VersionInput>,
) -> AppResult<Response> {
    let result = store::unlink_hazard(&state, &ctx.actor, id, hazard_id, input.version).await;
    after_action(&state, ctx, id, result, "unlinked", Typed::default()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "enforcement/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<EnforcementCase>,
    input: CaseInput,
    errors: FormErrors,
    units: Vec<UnitChoice>,
    sources: &'static [(&'static str, &'static str)],
}

impl FormPage {
    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<EnforcementCase>,
    input: CaseInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    Ok(FormPage {
        units: crate::units::store::all_choices(&state.db, &ctx.actor.scope()).await?,
        ctx,
        editing,
        input,
        errors,
        sources: SOURCES,
    })
}

#[derive(Deserialize)]
struct NewQuery {
    /// Preselect a unit, e.g. when coming from the unit's page.
    unit_id: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NewQuery>,
) -> AppResult<FormPage> {
    let input = CaseInput {
        unit_id: q.unit_id,
        source: "routine".to_string(),
        filed_on: store::today(&state).to_string(),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<CaseInput>,
) -> AppResult<Response> {
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |c| format!("/safety/enforcement/{}?done=created", c.id),
        |errors| async move { form_page(&state, ctx, None, input, errors).await },
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let case = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let input = CaseInput::from_case(&case);
    form_page(&state, ctx, Some(case), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<CaseInput>,
) -> AppResult<Response> {
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/enforcement/{id}?done=saved"),
        |errors| async move {
            let case = store::get(&state.db, &ctx.actor.scope(), id).await?;
            form_page(&state, ctx, Some(case), input, errors).await
        },
    )
    .await
}
