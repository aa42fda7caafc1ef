//! Registering hazards from an XLSX sheet (e.g. a township's self-inspection list): every row
//! checked like the form, problems reported by row, all rows or only the valid ones imported.

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::perm;
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::dicts::store::DictItem;
use platform::error::{AppError, AppResult};
use platform::web::import::{self, ImportPage};
use platform::web::{AppState, PageCtx, xlsx};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::store::{self, CATEGORY_DICT, GRADES, HazardInput, SOURCES};
use crate::units::entity::unit;

/// Columns of the template, in order.
pub const HEADERS: [&str; 9] = [
    "监管对象（单位名称或统一社会信用代码）",
    "隐患描述",
    "隐患类别",
    "隐患等级（一般/重大）",
    "发现日期",
    "隐患来源（自查/执法检查/专家检查/群众举报）",
    "隐患部位",
    "判定标准（重大隐患）",
    "判定条款（重大隐患）",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/safety/hazards/import",
            get(page)
                .post(submit)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/safety/hazards/import/template", get(template))
}

fn page_for(ctx: PageCtx) -> ImportPage {
    ImportPage::new(ctx, "事故隐患", "/safety/hazards", &HEADERS)
}

async fn page(ctx: PageCtx) -> AppResult<ImportPage> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    Ok(page_for(ctx))
}

async fn template(ctx: PageCtx) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let example = [
        "三台县示例化工有限公司",
        "仓库灭火器压力不足",
        "消防设施及器材",
        "一般",
        "2026-06-01",
        "自查",
        "1 号仓库",
        "",
        "",
    ]
    .map(str::to_string)
    .to_vec();
    let bytes = xlsx::workbook("事故隐患", &HEADERS, &[example])?;
    Ok(xlsx::download("事故隐患导入模板.xlsx", bytes))
}

async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    form: MultipartForm,
) -> AppResult<Response> {
    ctx.actor.require(perm::SAFETY_EDIT)?;
    let upload = match import::Upload::read(&form, HEADERS.len()) {
        Ok(u) => u,
        Err(err) => return page_for(ctx).from_error(err),
    };
    let units = unit::Entity::find()
        .filter(ctx.actor.scope().condition(unit::Column::RegionCode))
        .filter(unit::Column::VoidedAt.is_null())
        .all(&state.db)
        .await?;
    let categories = platform::dicts::store::options(&state.db, CATEGORY_DICT).await?;
    let day = store::today(&state);
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    for (row, cells) in &upload.rows {
        let input = hazard_from_row(cells, &units, &categories);
        match store::checked(&state.db, &ctx.actor, &input, day).await {
            Ok(_) => valid.push(input),
            Err(AppError::Validation(fields)) => {
                errors.extend(import::row_errors(*row, fields, column))
            }
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() && (!upload.valid_only || valid.is_empty()) {
        let message = "有错误，未导入任何数据；请修改后重新上传，或勾选“只导入无误的行”";
        return Ok(page_for(ctx).refused(message, errors));
    }
    let count = store::create_all(&state, &ctx.actor, &valid).await?;
    let skipped = upload.rows.len() - count;
    Ok(Redirect::to(&format!(
        "/safety/hazards?done=imported&count={count}&skipped={skipped}"
    ))
    .into_response())
}

/// A row as the form would have sent it: names and labels turned into ids and codes; what
/// cannot be matched is passed through for the checks to name.
pub fn hazard_from_row(
    cells: &[String],
    units: &[unit::Model],
    categories: &[DictItem],
) -> HazardInput {
    let text = |c: usize| Some(cells[c].clone()).filter(|s| !s.is_empty());
    let key = cells[0].trim();
    let unit_id = units
        .iter()
        .find(|u| u.name == key || u.credit_code.as_deref() == Some(&key.to_ascii_uppercase()))
        .map(|u| u.id.to_string());
    let code_of = |table: &[(&str, &str)], t: &str| {
        table
            .iter()
            .find(|(code, label)| *code == t || *label == t || label.starts_with(t))
            .map(|(code, _)| code.to_string())
            .unwrap_or_else(|| t.to_string())
    };
    HazardInput {
        unit_id,
        description: cells[1].clone(),
        category_code: categories
            .iter()
            .find(|c| c.code == cells[2] || c.label == cells[2])
            .map(|c| c.code.clone())
            .unwrap_or_else(|| cells[2].clone()),
        grade: code_of(GRADES, &cells[3]),
        discovered_on: cells[4].clone(),
        source: code_of(SOURCES, &cells[5]),
        location: text(6),
        criterion_standard: text(7),
        criterion_item: text(8),
        ..Default::default()
    }
}

fn column(field: &str) -> &'static str {
    match field {
        "unit_id" => "监管对象",
        "description" => "隐患描述",
        "category_code" => "隐患类别",
        "grade" => "隐患等级",
        "discovered_on" => "发现日期",
        "source" => "隐患来源",
        "location" => "隐患部位",
        "criterion_standard" => "判定标准",
        "criterion_item" => "判定条款",
        _ => "",
    }
}
