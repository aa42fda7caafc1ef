//! Responsible persons from an XLSX sheet (a township's annual list): every row checked like
//! the form, problems reported by row number, all rows or — when asked — only the valid ones.

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::perm;
use platform::attachments::{MultipartForm, UPLOAD_BODY_LIMIT};
use platform::error::{AppError, AppResult};
use platform::regions::store::Region;
use platform::web::import::{self, ImportPage};
use platform::web::{AppState, PageCtx, xlsx};

use super::model::{ObjectKind, PersonRole};
use super::store::{self, PersonInput};

/// Columns of the template (and of the export), in order.
pub const HEADERS: [&str; 9] = [
    "年度",
    "类别（乡镇/村（社区）/水库/堤防/地灾隐患点）",
    "对象名称（水库、堤防、地灾隐患点）",
    "乡镇",
    "村（社区）",
    "责任类别（行政责任人/技术责任人/巡查责任人/监测员）",
    "姓名",
    "职务",
    "联系电话",
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/duty/responsible/import",
            get(page)
                .post(submit)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/duty/responsible/import/template", get(template))
}

fn page_for(ctx: PageCtx) -> ImportPage {
    ImportPage::new(ctx, "责任人", "/duty/responsible", &HEADERS)
}

async fn page(ctx: PageCtx) -> AppResult<ImportPage> {
    ctx.actor.require(perm::DUTY_EDIT)?;
    Ok(page_for(ctx))
}

async fn template(ctx: PageCtx) -> AppResult<Response> {
    ctx.actor.require(perm::DUTY_EDIT)?;
    let example = [
        "2026",
        "水库",
        "黑虎水库",
        "潼川镇",
        "",
        "巡查责任人",
        "张三",
        "村委会主任",
        "13800000001",
    ]
    .map(str::to_string)
    .to_vec();
    let bytes = xlsx::workbook("责任人", &HEADERS, &[example])?;
    Ok(xlsx::download("责任人导入模板.xlsx", bytes))
}

async fn submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    form: MultipartForm,
) -> AppResult<Response> {
    ctx.actor.require(perm::DUTY_EDIT)?;
    let upload = match import::Upload::read(&form, HEADERS.len()) {
        Ok(u) => u,
        Err(err) => return page_for(ctx).from_error(err),
    };
    let regions = platform::regions::store::in_scope(&state.db, &ctx.actor.scope()).await?;
    let mut valid = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (row, cells) in &upload.rows {
        let input = person_from_row(cells, &regions);
        match store::checked(&state.db, &ctx.actor, &input).await {
            // Listed twice in the file, or already in the ledger: a row error like any other.
            Ok(c) => {
                let key = (
                    c.year,
                    c.region_code.clone(),
                    c.kind.code(),
                    c.object_name.clone(),
                    c.role.code(),
                    c.name.clone(),
                );
                if !seen.insert(key) || store::already_listed(&state.db, &c, None).await? {
                    errors.extend(import::row_errors(*row, store::duplicate(&c), column));
                } else {
                    valid.push(c);
                }
            }
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
        "/duty/responsible?done=imported&count={count}&skipped={skipped}"
    ))
    .into_response())
}

/// A row as the form would have sent it: labels to codes, names to region codes; what cannot
/// be matched is passed through for the checks to name.
pub fn person_from_row(cells: &[String], regions: &[Region]) -> PersonInput {
    let text = |c: usize| Some(cells[c].trim().to_string()).filter(|s| !s.is_empty());
    let kind = ObjectKind::ALL
        .iter()
        .find(|k| k.code() == cells[1] || k.label() == cells[1] || k.label().starts_with(&cells[1]))
        .map(|k| k.code().to_string())
        .unwrap_or_else(|| cells[1].clone());
    let role = PersonRole::ALL
        .iter()
        .find(|r| r.code() == cells[5] || r.label() == cells[5])
        .map(|r| r.code().to_string())
        .unwrap_or_else(|| cells[5].clone());
    let named = |name: &str, parent: Option<&str>| {
        regions
            .iter()
            .filter(|r| parent.is_none_or(|p| r.parent_code.as_deref() == Some(p)))
            .find(|r| !name.is_empty() && (r.name == name || r.short_name == name))
            .map(|r| r.code.clone())
    };
    let township = named(cells[3].trim(), None)
        .filter(|c| super::model::place_of(c) == Some(super::model::Place::Township));
    let region_code = match (&township, text(4)) {
        (Some(t), Some(village)) => named(&village, Some(t)).unwrap_or_else(|| "?".into()),
        (Some(t), None) => t.clone(),
        // Not found in the user's scope: a code the scope check refuses.
        (None, _) if cells[3].trim().is_empty() => String::new(),
        (None, _) => "?".into(),
    };
    PersonInput {
        year: text(0),
        kind,
        object_name: text(2),
        region_code,
        role,
        name: cells[6].clone(),
        post: text(7),
        phone: cells[8].clone(),
        contact_id: None,
        version: None,
    }
}

fn column(field: &str) -> &'static str {
    match field {
        "year" => "年度",
        "kind" => "类别",
        "object_name" => "对象名称",
        "region_code" => "乡镇/村（社区）",
        "role" => "责任类别",
        "name" => "姓名",
        "post" => "职务",
        "phone" => "联系电话",
        _ => "",
    }
}
