//! Supervised-unit pages: list with search and XLSX export, detail with licences and history,
//! create, edit, void, and the XLSX import.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::perm;
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::audit::store::AuditRow;
use platform::dicts::store::DictItem;
use platform::error::AppResult;
use platform::org::store::Department;
use platform::regions::Level;
use platform::regions::store::Region;
use platform::web::form::{Form, FormErrors, Path, Query, redirect_or_again};
use platform::web::import::{self, ImportPage, RowError};
use platform::web::paging::{PageOf, Paging, Sort, SortQuery, page_link};
use platform::web::{AppState, PageCtx, xlsx};
use serde::Deserialize;
use uuid::Uuid;

use super::entity::unit;
use super::model::{LICENCE_FILTERS, RISK_LEVELS, STATUSES};
use super::store::{self, INDUSTRY_DICT, LicenceInput, Unit, UnitFilter, UnitInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/safety/units", get(list_page))
        .route("/safety/units/export", get(export))
        .route(
            "/safety/units/import",
            get(import_page)
                .post(import_submit)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/safety/units/import/template", get(import_template))
        .route("/safety/units/new", get(new_page).post(create))
        .route("/safety/units/{id}", get(detail_page))
        .route("/safety/units/{id}/edit", get(edit_page).post(update))
        .route("/safety/units/{id}/void", post(void))
        .route("/safety/units/{id}/licences", post(add_licence))
        .route(
            "/safety/units/{id}/licences/{licence}/void",
            post(void_licence),
        )
}

type Choices = &'static [(&'static str, &'static str)];

#[derive(Template, WebTemplate)]
#[template(path = "units/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: UnitFilter,
    sort: Sort<unit::Column>,
    page: PageOf<Unit>,
    query: String,
    townships: Vec<Region>,
    industries: Vec<DictItem>,
    risks: Choices,
    statuses: Choices,
    licence_filters: Choices,
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/safety/units/export?{}", self.query)
    }

    fn is(&self, value: &Option<String>, code: &str) -> bool {
        value.as_deref() == Some(code)
    }

    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT)
    }
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

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<UnitFilter>,
    Query(sort): Query<SortQuery>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let sort = store::SORTS.pick(&sort)?;
    let today = store::today(&state);
    let page = store::list(&state.db, &ctx.actor.scope(), &filter, &sort, paging, today).await?;
    Ok(ListPage {
        townships: townships(&state, &ctx).await?,
        industries: platform::dicts::store::options(&state.db, INDUSTRY_DICT).await?,
        ctx,
        filter,
        sort,
        page,
        query: query.unwrap_or_default(),
        risks: RISK_LEVELS,
        statuses: STATUSES,
        licence_filters: LICENCE_FILTERS,
    })
}

const EXPORT_HEADERS: [&str; 15] = [
    "单位名称",
    "统一社会信用代码",
    "行业类别",
    "所属区域",
    "区划代码",
    "地址",
    "法定代表人",
    "安全联系人",
    "联系电话",
    "监管部门",
    "风险等级",
    "状态",
    "经纬度",
    "许可证",
    "记录状态",
];

/// The filtered list as XLSX (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<UnitFilter>,
    Query(sort): Query<SortQuery>,
) -> AppResult<Response> {
    let sort = store::SORTS.pick(&sort)?;
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let today = store::today(&state);
    let units = store::all(&state.db, &ctx.actor.scope(), &filter, &sort, today, 10_000).await?;
    let rows: Vec<Vec<String>> = units
        .iter()
        .map(|u| {
            vec![
                u.name.clone(),
                u.credit_code.clone().unwrap_or_default(),
                u.industry_label.clone(),
                u.region_name.clone(),
                u.region_code.clone(),
                u.address.clone().unwrap_or_default(),
                u.legal_representative.clone().unwrap_or_default(),
                u.contact_name.clone().unwrap_or_default(),
                u.contact_phone.clone().unwrap_or_default(),
                u.department_name.clone().unwrap_or_default(),
                u.risk_label().to_string(),
                u.status_label().to_string(),
                u.coordinates(),
                u.licences
                    .iter()
                    .map(|l| {
                        format!(
                            "{} {} 至 {}（{}）",
                            l.kind,
                            l.number,
                            l.expires_on,
                            l.expiry_label()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("；"),
                if u.voided {
                    "已作废".to_string()
                } else {
                    "正常".to_string()
                },
            ]
        })
        .collect();
    let bytes = xlsx::workbook("监管对象", &EXPORT_HEADERS, &rows)?;
    Ok(xlsx::download("监管对象.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "units/detail.html")]
struct DetailPage {
    ctx: PageCtx,
    unit: Unit,
    history: Vec<AuditRow>,
    licence: LicenceInput,
    errors: FormErrors,
}

impl DetailPage {
    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::SAFETY_EDIT) && !self.unit.voided
    }
}

async fn detail(
    state: &AppState,
    ctx: PageCtx,
    id: Uuid,
    licence: LicenceInput,
    errors: FormErrors,
) -> AppResult<DetailPage> {
    ctx.actor.require(perm::SAFETY_VIEW)?;
    let scope = ctx.actor.scope();
    let unit = store::get(&state.db, &scope, id, store::today(state)).await?;
    let history =
        platform::audit::store::history(&state.db, &scope, "safety_unit", &id.to_string()).await?;
    Ok(DetailPage {
        ctx,
        unit,
        history,
        licence,
        errors,
    })
}

async fn detail_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<DetailPage> {
    detail(
        &state,
        ctx,
        id,
        LicenceInput::default(),
        FormErrors::default(),
    )
    .await
}

async fn add_licence(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<LicenceInput>,
) -> AppResult<Response> {
    let result = store::add_licence(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/units/{id}?done=licence"),
        |errors| async move { detail(&state, ctx, id, input, errors).await },
    )
    .await
}

#[derive(Deserialize)]
struct VoidForm {
    #[serde(default)]
    reason: String,
}

async fn void_licence(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((id, licence)): Path<(Uuid, Uuid)>,
    Form(form): Form<VoidForm>,
) -> AppResult<Redirect> {
    store::void_licence(&state, &ctx.actor, licence, &form.reason).await?;
    Ok(Redirect::to(&format!(
        "/safety/units/{id}?done=licence_removed"
    )))
}

#[derive(Template, WebTemplate)]
#[template(path = "units/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Unit>,
    input: UnitInput,
    errors: FormErrors,
    regions: Vec<Region>,
    industries: Vec<DictItem>,
    departments: Vec<Department>,
    risks: Choices,
    statuses: Choices,
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
    editing: Option<Unit>,
    input: UnitInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let scope = ctx.actor.scope();
    let mut regions = townships(state, &ctx).await?;
    if scope.prefix().len() >= 9 {
        // A township user picks the township itself or one of its villages.
        regions
            .extend(platform::regions::store::list_level(&state.db, &scope, Level::Village).await?);
    }
    Ok(FormPage {
        industries: platform::dicts::store::options(&state.db, INDUSTRY_DICT).await?,
        departments: platform::org::store::all(
            &state.db,
            &super::store::county_of(&ctx.actor.region_code),
        )
        .await?,
        ctx,
        editing,
        input,
        errors,
        regions,
        risks: RISK_LEVELS,
        statuses: STATUSES,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    let input = UnitInput {
        region_code: ctx.actor.region_code.clone(),
        status: Some("operating".to_string()),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<UnitInput>,
) -> AppResult<Response> {
    let result = store::create(&state, &ctx.actor, &input).await;
    redirect_or_again(
        result,
        |unit| format!("/safety/units/{}?done=created", unit.id),
        |errors| async move { form_page(&state, ctx, None, input, errors).await },
    )
    .await
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let unit = store::get(&state.db, &ctx.actor.scope(), id, store::today(&state)).await?;
    let input = UnitInput::from_unit(&unit);
    form_page(&state, ctx, Some(unit), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<UnitInput>,
) -> AppResult<Response> {
    let result = store::update(&state, &ctx.actor, id, &input).await;
    redirect_or_again(
        result,
        |_| format!("/safety/units/{id}?done=saved"),
        |errors| async move {
            let unit = store::get(&state.db, &ctx.actor.scope(), id, store::today(&state)).await?;
            form_page(&state, ctx, Some(unit), input, errors).await
        },
    )
    .await
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VoidForm>,
) -> AppResult<Redirect> {
    store::void(&state, &ctx.actor, id, &form.reason).await?;
    Ok(Redirect::to("/safety/units?done=voided"))
}

// ---- XLSX import -------------------------------------------------------------------------

/// Columns of the import template, in order.
pub const IMPORT_HEADERS: [&str; 10] = [
    "单位名称",
    "统一社会信用代码",
    "行业类别",
    "所属乡镇或村（区划代码或名称）",
    "地址",
    "法定代表人",
    "安全联系人",
    "联系电话",
    "风险等级（红/橙/黄/蓝）",
    "状态（在产/停产/关闭）",
];

async fn import_page(ctx: PageCtx) -> AppResult<ImportPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    Ok(import_page_for(ctx))
}

fn import_page_for(ctx: PageCtx) -> ImportPage {
    ImportPage::new(ctx, "监管对象", "/safety/units", &IMPORT_HEADERS)
}

async fn import_template(ctx: PageCtx) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let example = vec![
        "三台县示例化工有限公司".to_string(),
        crate::credit_code::with_check("91510722MA6TC0001")
            .map(|c| c.to_string())
            .unwrap_or_default(),
        "危险化学品经营".to_string(),
        "潼川镇".to_string(),
        "潼川镇示例路 1 号".to_string(),
        "张三".to_string(),
        "李四".to_string(),
        "13800000000".to_string(),
        "黄".to_string(),
        "在产".to_string(),
    ];
    let bytes = xlsx::workbook("监管对象", &IMPORT_HEADERS, &[example])?;
    Ok(xlsx::download("监管对象导入模板.xlsx", bytes))
}

fn from_label(table: Choices, text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    Some(
        table
            .iter()
            .find(|(code, label)| *code == t || *label == t || format!("{label}色") == t)
            .map(|(code, _)| code.to_string())
            .unwrap_or_else(|| t.to_string()),
    )
}

async fn import_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    form: MultipartForm,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let upload = match import::Upload::read(&form, IMPORT_HEADERS.len()) {
        Ok(u) => u,
        Err(err) => return import_page_for(ctx).from_error(err),
    };
    let industries = platform::dicts::store::options(&state.db, INDUSTRY_DICT).await?;
    let scope = ctx.actor.scope();
    let mut places =
        platform::regions::store::list_level(&state.db, &scope, Level::Township).await?;
    places.extend(platform::regions::store::list_level(&state.db, &scope, Level::Village).await?);
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (row, cells) in &upload.rows {
        let input = unit_from_row(cells, &industries, &places);
        let mut problems = match store::check(&state.db, &ctx.actor, &input, None).await {
            Ok(()) => Vec::new(),
            Err(fields) => import::row_errors(*row, fields, import_column),
        };
        if let Some(code) = input
            .credit_code
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            && let Some(first) = seen.insert(code, *row)
        {
            problems.push(RowError {
                row: *row,
                message: format!("统一社会信用代码与第 {first} 行重复"),
            });
        }
        if problems.is_empty() {
            valid.push(input);
        }
        errors.extend(problems);
    }
    if !errors.is_empty() && (!upload.valid_only || valid.is_empty()) {
        let message = "有错误，未导入任何数据；请修改后重新上传，或勾选“只导入无误的行”";
        return Ok(import_page_for(ctx).refused(message, errors));
    }
    let count = store::create_all(&state, &ctx.actor, &valid).await?;
    let skipped = upload.rows.len() - count;
    Ok(Redirect::to(&format!(
        "/safety/units?done=imported&count={count}&skipped={skipped}"
    ))
    .into_response())
}

fn unit_from_row(cells: &[String], industries: &[DictItem], places: &[Region]) -> UnitInput {
    let text = |c: usize| Some(cells[c].clone()).filter(|s| !s.is_empty());
    let industry_code = industries
        .iter()
        .find(|d| d.code == cells[2] || d.label == cells[2])
        .map(|d| d.code.clone())
        .unwrap_or_else(|| cells[2].clone());
    let region_code = places
        .iter()
        .find(|r| r.code == cells[3] || r.short_name == cells[3] || r.name == cells[3])
        .map(|r| r.code.clone())
        .unwrap_or_else(|| cells[3].clone());
    UnitInput {
        name: cells[0].clone(),
        credit_code: text(1),
        industry_code,
        region_code,
        address: text(4),
        legal_representative: text(5),
        contact_name: text(6),
        contact_phone: text(7),
        risk_level: from_label(RISK_LEVELS, &cells[8]),
        status: from_label(STATUSES, &cells[9]),
        ..Default::default()
    }
}

fn import_column(field: &str) -> &'static str {
    match field {
        "name" => "单位名称",
        "credit_code" => "统一社会信用代码",
        "industry_code" => "行业类别",
        "region_code" => "所属乡镇或村",
        "address" => "地址",
        "legal_representative" => "法定代表人",
        "contact_name" => "安全联系人",
        "contact_phone" => "联系电话",
        "risk_level" => "风险等级",
        "status" => "状态",
        _ => "",
    }
}
