//! Hazard pages: list with filters and XLSX export, detail with its timeline and the action
//! forms valid for its state, register and edit.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use platform::access::{Scope, perm};
use platform::attachments::{self, Attachment, MultipartForm};
use platform::audit::store::AuditRow;
use platform::dicts::store::DictItem;
use platform::error::AppResult;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, redirect_or_again};
use platform::web::paging::{PageOf, Paging, Sort, SortQuery, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::documents::{self, HazardDocument};
use super::entity::hazard;
use super::store::{
    self, CATEGORY_DICT, GRADES, Hazard, HazardFilter, HazardInput, NoticeInput, ReviewInput,
    ReviewRequestInput, SOURCES, STATES, SUPERVISIONS, VersionInput,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/safety/hazards", get(list_page))
        .route("/safety/hazards/export", get(export))
        .route("/safety/hazards/new", get(new_page).post(create))
        .merge(super::import::router())
        .route("/safety/hazards/{id}", get(detail_page))
        .route("/safety/hazards/{id}/edit", get(edit_page).post(update))
        .route("/safety/hazards/{id}/notice", post(notice))
        .route("/safety/hazards/{id}/start", post(start))
        .route("/safety/hazards/{id}/request-review", post(request_review))
        .route("/safety/hazards/{id}/review", post(review))
        .route("/safety/hazards/{id}/close", post(close))
        .route("/safety/hazards/{id}/documents/{doc}", get(document_page))
        .route(
            "/safety/hazards/{id}/documents/{doc}/docx",
            get(document_docx),
        )
        .route(
            "/safety/hazards/{id}/files",
            post(upload).layer(DefaultBodyLimit::max(attachments::UPLOAD_BODY_LIMIT)),
        )
}

type Choices = &'static [(&'static str, &'static str)];

use crate::units::store::UnitChoice;

/// At most this many units in the list's filter; a county's thousands wait for a township.
const FILTER_UNITS: u64 = 300;

/// The units the list's filter offers: those of the chosen township (or the user's scope), or
/// none when there are more than [`FILTER_UNITS`] (2,000 names made every list page 230 KB and
/// a fifth of its time) — then the second value is true and the page asks for a township.
async fn filter_units(
    state: &AppState,
    ctx: &PageCtx,
    filter: &HazardFilter,
) -> AppResult<(Vec<UnitChoice>, bool)> {
    let own = ctx.actor.scope();
    let scope = match platform::web::form::optional(&filter.township) {
        Some(code) if own.contains(&code) => Scope::of(&code),
        _ => own,
    };
    let mut units = crate::units::store::choices(&state.db, &scope, FILTER_UNITS + 1).await?;
    let too_many = units.len() as u64 > FILTER_UNITS;
    if too_many {
        units.clear();
    }
    Ok((units, too_many))
}

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
#[template(path = "hazards/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: HazardFilter,
    sort: Sort<hazard::Column>,
    page: PageOf<Hazard>,
    query: String,
    townships: Vec<Region>,
    units: Vec<UnitChoice>,
    /// More units than the filter offers: choose a township first.
    too_many_units: bool,
    grades: Choices,
    states: Choices,
}

impl ListPage {
    /// The statistics' conditions the search form has no field for, in words.
    fn extra_conditions(&self) -> Option<String> {
        let f = &self.filter;
        let mut parts = Vec::new();
        if f.closed_from.is_some() || f.closed_to.is_some() {
            parts.push(format!(
                "销号日期 {} 至 {}",
                f.closed_from.as_deref().unwrap_or("…"),
                f.closed_to.as_deref().unwrap_or("…")
            ));
        }
        if f.open == Some(true) {
            parts.push("未销号".to_string());
        }
        if f.supervised == Some(true) {
            parts.push("挂牌督办或管控".to_string());
        }
        if f.exposed == Some(true) {
            parts.push("已曝光".to_string());
        }
        if f.inspected == Some(true) {
            parts.push("检查中发现".to_string());
        }
        if f.department.is_some() {
            parts.push("本部门监管的单位".to_string());
        }
        (!parts.is_empty()).then(|| parts.join("，"))
    }

    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/safety/hazards/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn is_unit(&self, id: &Uuid) -> bool {
        self.filter.unit.as_ref() == Some(id)
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
    Query(filter): Query<HazardFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let today = store::today(&state);
    let page = store::list(&state.db, &ctx.actor.scope(), &filter, &sort, paging, today).await?;
    let (units, too_many_units) = filter_units(&state, &ctx, &filter).await?;
    Ok(ListPage {
        townships: townships(&state, &ctx).await?,
        units,
        too_many_units,
        ctx,
        filter,
        sort,
        page,
        query: query.unwrap_or_default(),
        grades: GRADES,
        states: STATES,
    })
}

/// Columns of the XLSX export, in order (public for the micro-benchmarks).
pub const EXPORT_HEADERS: [&str; 18] = [
    "隐患编号",
    "监管对象",
    "所属区域",
    "隐患描述",
    "隐患类别",
    "隐患等级",
    "判定标准及条款",
    "发现日期",
    "隐患来源",
    "隐患部位",
    "状态",
    "整改期限",
    "是否逾期",
    "责任人",
    "整改资金（元）",
    "销号日期",
    "督办",
    "曝光",
];

/// The filtered list as XLSX in the list's order (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<HazardFilter>,
    Query(sort): Query<SortQuery>,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let today = store::today(&state);
    let scope = ctx.actor.scope();
    let hazards = store::all(&state.db, &scope, &filter, &sort, today, 10_000).await?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let rows: Vec<Vec<String>> = hazards
        .iter()
        .map(|h| {
            vec![
                h.number.clone(),
                h.unit_name.clone(),
                h.region_name.clone(),
                h.description.clone(),
                h.category_label.clone(),
                h.grade_label().to_string(),
                h.criterion(),
                h.discovered_on.to_string(),
                h.source_label().to_string(),
                opt(&h.location),
                h.state_label().to_string(),
                h.deadline.map(|d| d.to_string()).unwrap_or_default(),
                if h.overdue { "逾期" } else { "" }.to_string(),
                opt(&h.responsible),
                h.funds_yuan(),
                h.closed_on.map(|d| d.to_string()).unwrap_or_default(),
                if h.supervision == "none" {
                    String::new()
                } else {
                    h.supervision_label().to_string()
                },
                if h.exposed {
                    format!(
                        "已曝光 {} {}",
                        h.exposed_on.map(|d| d.to_string()).unwrap_or_default(),
                        opt(&h.exposure_channel)
                    )
                    .trim()
                    .to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let bytes = xlsx::workbook("事故隐患", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("事故隐患.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "hazards/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    hazard: Hazard,
    history: Vec<AuditRow>,
    files: Vec<Attachment>,
    documents: Vec<HazardDocument>,
    errors: FormErrors,
}

impl DetailPage {
    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }

    fn at(&self, state: &str) -> bool {
        self.may_edit() && self.hazard.state_code() == state
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
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
    let hazard = store::get(&state.db, &scope, id, store::today(state)).await?;
    let history =
        platform::audit::store::history(&state.db, &scope, store::KIND, &id.to_string()).await?;
    let files = store::files(&state.db, &scope, id).await?;
    let documents = documents::list_for(&state.db, &scope, id).await?;
    Ok(DetailPage {
        ctx,
        hazard,
        history,
        files,
        documents,
        errors,
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
    result: AppResult<Hazard>,
    done: &str,
) -> AppResult<Response> {
    redirect_or_again(
        result,
        |_| format!("/safety/hazards/{id}?done={done}"),
        |errors| async move { detail(state, ctx, id, errors).await },
    )
    .await
}

/// A document as issued, on its own A4 page for printing.
async fn document_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, doc)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let d = documents::get(&state.db, &ctx.actor.scope(), id, doc).await?;
    d.letter.to_page(
        &format!("/safety/hazards/{id}#documents"),
        &format!("{}/docx", d.href),
    )
}

async fn document_docx(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, doc)): Path<(Uuid, Uuid)>,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    documents::get(&state.db, &ctx.actor.scope(), id, doc)
        .await?
        .letter
        .download()
}

/// Photos taken on site or of the finished work, with the phone's location when it gave one.
async fn upload(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    form: MultipartForm,
) -> AppResult<Response> {
    let files = form.files("files");
    let result = store::attach(&state, &ctx.actor, id, &files, form.location()).await;
    let result = match result {
        Ok(_) => store::get(&state.db, &ctx.actor.scope(), id, store::today(&state)).await,
        Err(e) => Err(e),
    };
    after_action(&state, ctx, id, result, "files").await
}

async fn notice(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<NoticeInput>,
) -> AppResult<Response> {
    let result = store::issue_notice(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result, "notice").await
}

async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VersionInput>,
) -> AppResult<Response> {
    let result = store::start(&state, &ctx.actor, id, input.version).await;
    after_action(&state, ctx, id, result, "start").await
}

async fn request_review(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ReviewRequestInput>,
) -> AppResult<Response> {
    let result = store::request_review(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result, "review_request").await
}

async fn review(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ReviewInput>,
) -> AppResult<Response> {
    let result = store::review(&state, &ctx.actor, id, &input).await;
    after_action(&state, ctx, id, result, "review").await
}

async fn close(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<VersionInput>,
) -> AppResult<Response> {
    let result = store::close(&state, &ctx.actor, id, input.version).await;
    after_action(&state, ctx, id, result, "closed").await
}

#[derive(Template, WebTemplate)]
#[template(path = "hazards/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Hazard>,
    input: HazardInput,
    errors: FormErrors,
    units: Vec<UnitChoice>,
    categories: Vec<DictItem>,
    grades: Choices,
    sources: Choices,
    supervisions: Choices,
}

impl FormPage {
    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn text<'a>(&self, value: &'a Option<String>) -> &'a str {
        value.as_deref().unwrap_or("")
    }

    fn exposed(&self) -> bool {
        self.input.exposed.unwrap_or(false)
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Hazard>,
    input: HazardInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    Ok(FormPage {
        units: crate::units::store::all_choices(&state.db, &ctx.actor.scope()).await?,
        categories: platform::dicts::store::options(&state.db, CATEGORY_DICT).await?,
        ctx,
        editing,
        input,
        errors,
        grades: GRADES,
        sources: SOURCES,
        supervisions: SUPERVISIONS,
    })
}

#[derive(Deserialize)]
struct NewQuery {
    unit: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<NewQuery>,
) -> AppResult<FormPage> {
    let input = HazardInput {
        unit_id: q.unit,
        grade: "general".to_string(),
        source: "enforcement".to_string(),
        discovered_on: store::today(&state).to_string(),
        supervision: Some("none".to_string()),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<HazardInput>,
) -> AppResult<Response> {
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |h| format!("/safety/hazards/{}?done=created", h.id),
        |errors| async move { form_page(&state, ctx, None, input, errors).await },
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let hazard = store::get(&state.db, &ctx.actor.scope(), id, store::today(&state)).await?;
    let input = HazardInput::from_hazard(&hazard);
    form_page(&state, ctx, Some(hazard), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<HazardInput>,
) -> AppResult<Response> {
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/hazards/{id}?done=saved"),
        |errors| async move {
            let hazard =
                store::get(&state.db, &ctx.actor.scope(), id, store::today(&state)).await?;
            form_page(&state, ctx, Some(hazard), input, errors).await
        },
    )
    .await
}
