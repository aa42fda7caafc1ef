//! `/api/v1/admin/regions`: browse the region tree inside scope.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::import::{CountyHeader, RowError, apply, parse_county_lists};
use super::store::{self, Region};
use crate::access::{Actor, perm};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::form::{Json, Path, Query};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get_one))
        .routes(routes!(import))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct RegionQuery {
    /// Children of this region (default: the user's own region).
    pub parent: Option<String>,
    /// Or: regions whose name contains this text.
    pub q: Option<String>,
}

/// Children of a region, or a name search, inside the user's scope.
#[utoipa::path(get, path = "/api/v1/admin/regions", tag = "行政区划",
    params(RegionQuery), responses((status = 200, body = Vec<Region>)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<RegionQuery>,
) -> AppResult<axum::Json<Vec<Region>>> {
    let scope = actor.scope();
    if let Some(text) = crate::web::form::optional(&q.q) {
        return Ok(axum::Json(
            store::search(&state.db, &scope, &text, 100).await?,
        ));
    }
    let parent = q.parent.unwrap_or_else(|| actor.region_code.clone());
    Ok(axum::Json(
        store::children(&state.db, &scope, &parent).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RegionDetail {
    pub region: Region,
    /// From the top of the tree down to this region.
    pub path: Vec<Region>,
    pub children: Vec<Region>,
}

/// One region with its path and children; outside scope answers 404.
#[utoipa::path(get, path = "/api/v1/admin/regions/{code}", tag = "行政区划",
    params(("code" = String, Path, description = "12 位区划代码")),
    responses((status = 200, body = RegionDetail), (status = 404)))]
async fn get_one(
    State(state): State<AppState>,
    actor: Actor,
    Path(code): Path<String>,
) -> AppResult<axum::Json<RegionDetail>> {
    let scope = actor.scope();
    let region = store::get(&state.db, &scope, &code).await?;
    let path = store::ancestors(&state.db, &code).await?;
    let children = store::children(&state.db, &scope, &code).await?;
    Ok(axum::Json(RegionDetail {
        region,
        path,
        children,
    }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RegionImport {
    pub province_code: String,
    pub province_name: String,
    pub city_code: String,
    pub city_name: String,
    pub county_code: String,
    pub county_name: String,
    /// The statistics release the lists come from.
    pub year: Option<i32>,
    /// CSV text with header `code,name`.
    pub townships_csv: String,
    /// CSV text with header `code,name,townshipCode`.
    pub villages_csv: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportResult {
    pub imported: usize,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ImportErrors {
    error: ImportErrorBody,
}

#[derive(Serialize, utoipa::ToSchema)]
struct ImportErrorBody {
    code: &'static str,
    message: String,
    rows: Vec<RowErrorView>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct RowErrorView {
    file: String,
    line: u64,
    message: String,
}

/// Import a county's division lists (administrators). Any bad row imports nothing and the
/// answer (422) lists every bad row.
#[utoipa::path(post, path = "/api/v1/admin/regions/import", tag = "行政区划", request_body = RegionImport,
    responses((status = 200, body = ImportResult), (status = 422, body = ImportErrors)))]
async fn import(
    State(state): State<AppState>,
    actor: Actor,
    Json(input): Json<RegionImport>,
) -> AppResult<axum::response::Response> {
    use axum::response::IntoResponse;
    actor.require(perm::ADMIN_ORG)?;
    let header = CountyHeader {
        province: (input.province_code, input.province_name),
        city: (input.city_code, input.city_name),
        county: (input.county_code, input.county_name),
    };
    let in_scope = super::RegionCode::parse(&header.county.0)
        .is_ok_and(|c| actor.scope().contains(c.as_str()));
    if !in_scope {
        return Err(AppError::field(
            "county_code",
            "只能导入您管辖范围内的县（区）",
        ));
    }
    let rows = match parse_county_lists(
        &header,
        input.townships_csv.as_bytes(),
        input.villages_csv.as_bytes(),
    ) {
        Ok(rows) => rows,
        Err(errors) => return Ok(rejected(errors).into_response()),
    };
    let year = input.year.unwrap_or(2023);
    let imported = apply(
        &state.db,
        &header,
        &rows,
        year,
        (&actor).into(),
        state.now(),
    )
    .await?;
    Ok(axum::Json(ImportResult { imported }).into_response())
}

fn rejected(errors: Vec<RowError>) -> (axum::http::StatusCode, axum::Json<ImportErrors>) {
    let body = ImportErrors {
        error: ImportErrorBody {
            code: "import_rejected",
            message: format!("发现 {} 处错误，未导入任何数据", errors.len()),
            rows: errors
                .into_iter()
                .map(|e| RowErrorView {
                    file: e.file.to_string(),
                    line: e.line,
                    message: e.message,
                })
                .collect(),
        },
    };
    (
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(body),
    )
}
