//! Accident pages: list with filters, totals and XLSX export; detail with grade, late flag,
//! casualty revisions, investigation and timeline; report and edit forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use platform::access::perm;
use platform::audit::store::AuditRow;
use platform::dicts::store::DictItem;
use platform::error::AppResult;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, optional, redirect_or_again};
use platform::web::paging::{PageOf, Paging, Sort, SortQuery, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use uuid::Uuid;

use super::entity::accident;
use super::model::{AccidentGrade, AccidentState};
use super::store::{
    self, Accident, AccidentFilter, AccidentInput, AccidentTotals, ApprovalInput,
    InvestigationInput, PublicationInput, RevisionInput, TYPE_DICT,
};
use crate::units::store::INDUSTRY_DICT;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/safety/accidents", get(list_page))
        .route("/safety/accidents/export", get(export))
        .route("/safety/accidents/new", get(new_page).post(create))
        .route("/safety/accidents/{id}", get(detail_page))
        .route("/safety/accidents/{id}/edit", get(edit_page).post(update))
        .route("/safety/accidents/{id}/revise", post(revise))
        .route("/safety/accidents/{id}/investigate", post(investigate))
        .route("/safety/accidents/{id}/approve", post(approve))
        .route("/safety/accidents/{id}/publish", post(publish))
}

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

/// Townships, and for a township user its villages too: where an accident can be placed.
async fn places(state: &AppState, ctx: &PageCtx) -> AppResult<Vec<Region>> {
    let scope = ctx.actor.scope();
    let mut regions = townships(state, ctx).await?;
    if scope.prefix().len() >= 9 {
        regions
            .extend(platform::regions::store::list_level(&state.db, &scope, Level::Village).await?);
    }
    Ok(regions)
}

/// An accident type in the filter: both editions, as `edition/code`.
pub struct TypeChoice {
    pub value: String,
    pub label: String,
}

async fn type_choices(state: &AppState) -> AppResult<Vec<TypeChoice>> {
    let mut out = Vec::new();
    for edition in ["GB6441-2025", "GB6441-1986"] {
        for item in platform::dicts::store::items(&state.db, TYPE_DICT, Some(edition)).await? {
            out.push(TypeChoice {
                value: format!("{}/{}", item.edition, item.code),
                label: format!("{}（{}）", item.label, item.edition),
            });
        }
    }
    Ok(out)
}

/// Creating an accident record is reporting it; other actions keep their registered names.
fn action_label(row: &AuditRow) -> &str {
    match row.action.as_str() {
        "create" => "报告",
        _ => &row.action_label,
    }
}

/// Names of this ledger's audit actions, registered with the platform at start-up.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("accident.revise", "续报"),
    ("accident.investigate", "开始调查"),
    ("accident.approve", "批复"),
    ("accident.publish", "公开"),
];

#[derive(Template, WebTemplate)]
#[template(path = "accidents/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: AccidentFilter,
    sort: Sort<accident::Column>,
    page: PageOf<Accident>,
    totals: AccidentTotals,
    query: String,
    townships: Vec<Region>,
    types: Vec<TypeChoice>,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/safety/accidents/export?{}", self.query)
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

    fn grades(&self) -> [AccidentGrade; 4] {
        AccidentGrade::ALL
    }

    fn states(&self) -> [AccidentState; 4] {
        AccidentState::ALL
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<AccidentFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let scope = ctx.actor.scope();
    let page = store::list(&state.db, &scope, &filter, &sort, paging).await?;
    let totals = store::sums(&state.db, &scope, &filter).await?;
    Ok(ListPage {
        townships: townships(&state, &ctx).await?,
        types: type_choices(&state).await?,
        ctx,
        filter,
        sort,
        page,
        totals,
        query: query.unwrap_or_default(),
    })
}

const EXPORT_HEADERS: [&str; 21] = [
    "事故编号",
    "发生时间",
    "接报时间",
    "迟报",
    "所属区域",
    "事故地点",
    "事故单位",
    "行业",
    "事故类别",
    "分类标准",
    "事故等级",
    "死亡",
    "失踪",
    "重伤",
    "轻伤",
    "直接经济损失（元）",
    "简要经过",
    "事故原因",
    "状态",
    "调查牵头单位",
    "批复日期",
];

fn export_row(a: &Accident) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        a.number.clone(),
        a.occurred_local.clone(),
        a.reported_local.clone(),
        a.late_by.clone().unwrap_or_default(),
        a.region_name.clone(),
        a.place.clone(),
        a.party(),
        opt(&a.industry_label),
        a.type_label.clone(),
        a.type_edition.clone(),
        a.grade_label().to_string(),
        a.deaths.to_string(),
        a.missing.to_string(),
        a.serious_injuries.to_string(),
        a.minor_injuries.to_string(),
        a.loss_yuan(),
        a.summary.clone(),
        opt(&a.cause),
        a.state_label().to_string(),
        opt(&a.investigation_lead),
        a.approved_on.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// The filtered list as XLSX (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<AccidentFilter>,
    Query(sort): Query<SortQuery>,
) -> AppResult<Response> {
    let sort = store::SORTS.pick(&sort)?;
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let accidents = store::all(&state.db, &ctx.actor.scope(), &filter, &sort, 10_000).await?;
    let rows: Vec<Vec<String>> = accidents.iter().map(export_row).collect();
    let bytes = xlsx::workbook("生产安全事故", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("生产安全事故.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "accidents/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    accident: Accident,
    history: Vec<AuditRow>,
    errors: FormErrors,
    today: String,
}

impl DetailPage {
    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }

    fn at(&self, state: &str) -> bool {
        self.may_edit() && self.accident.state_code() == state
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn action<'a>(&self, row: &'a AuditRow) -> &'a str {
        action_label(row)
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    errors: FormErrors,
) -> AppResult<DetailPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let scope = ctx.actor.scope();
    let accident = store::get(&state.db, &scope, id).await?;
    let history =
        platform::audit::store::history(&state.db, &scope, store::ENTITY, &id.to_string()).await?;
    Ok(DetailPage {
        ctx,
        accident,
        history,
        errors,
        today: store::today(state).to_string(),
    })
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    detail(&state, ctx, id, FormErrors::default()).await
}

/// After an action: back to the detail page, or the page again with the error.
async fn after_action(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    result: AppResult<Accident>,
) -> AppResult<Response> {
    redirect_or_again(
        result,
        |_| format!("/safety/accidents/{id}?done=saved"),
        |errors| async move { detail(state, ctx, id, errors).await },
    )
    .await
}

async fn revise(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<RevisionInput>,
) -> AppResult<Response> {
    let result = store::revise(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result).await
}

async fn investigate(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<InvestigationInput>,
) -> AppResult<Response> {
    let result = store::start_investigation(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result).await
}

async fn approve(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ApprovalInput>,
) -> AppResult<Response> {
    let result = store::approve(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result).await
}

async fn publish(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<PublicationInput>,
) -> AppResult<Response> {
    let result = store::publish(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "accidents/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Accident>,
    input: AccidentInput,
    errors: FormErrors,
    units: Vec<UnitChoice>,
    regions: Vec<Region>,
    types: Vec<DictItem>,
    industries: Vec<DictItem>,
    now: String,
}

impl FormPage {
    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    /// The chosen type as the select's `edition/code` value.
    fn type_value(&self) -> String {
        let code = self.input.type_code.trim();
        if code.contains('/') {
            return code.to_string();
        }
        let edition = optional(&self.input.type_edition).or_else(|| {
            self.types
                .iter()
                .find(|t| t.code == code)
                .map(|t| t.edition.clone())
        });
        format!("{}/{code}", edition.unwrap_or_default())
    }

    fn type_option(&self, item: &DictItem) -> String {
        format!("{}/{}", item.edition, item.code)
    }

    /// The record's type when it was classified under an edition the form no longer offers.
    fn old_type(&self) -> Option<String> {
        let a = self.editing.as_ref()?;
        let offered = self
            .types
            .iter()
            .any(|t| t.edition == a.type_edition && t.code == a.type_code);
        (!offered).then(|| format!("{}（{}）", a.type_label, a.type_edition))
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Accident>,
    input: AccidentInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    Ok(FormPage {
        units: crate::units::store::all_choices(&state.db, &ctx.actor.scope()).await?,
        regions: places(state, &ctx).await?,
        types: platform::dicts::store::options(&state.db, TYPE_DICT).await?,
        industries: platform::dicts::store::options(&state.db, INDUSTRY_DICT).await?,
        now: store::local_input(state.now()),
        ctx,
        editing,
        input,
        errors,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    let now = store::local_input(state.now());
    let input = AccidentInput {
        reported_at: now,
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<AccidentInput>,
) -> AppResult<Response> {
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |a| format!("/safety/accidents/{}?done=created", a.id),
        |errors| async move { form_page(&state, ctx, None, input, errors).await },
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let accident = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let input = AccidentInput::from_accident(&accident);
    form_page(&state, ctx, Some(accident), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<AccidentInput>,
) -> AppResult<Response> {
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/accidents/{id}?done=saved"),
        |errors| async move {
            let accident = store::get(&state.db, &ctx.actor.scope(), id).await?;
            form_page(&state, ctx, Some(accident), input, errors).await
        },
    )
    .await
}
