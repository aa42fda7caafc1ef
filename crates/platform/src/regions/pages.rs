//! 辖区: browse the region tree inside one's scope, with each region's departments; import a
//! county's division lists (administrators).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use super::import::{CountyHeader, RowError, apply, parse_county_lists};
use super::store::{self, Region};
use crate::access::perm;
use crate::error::{AppError, AppResult};
use crate::org::store::Department;
use crate::web::form::Path;
use crate::web::{AppState, PageCtx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/regions", get(own_region))
        .route(
            "/admin/regions/import",
            get(import_page).post(import_submit),
        )
        .route("/admin/regions/{code}", get(region_page))
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/show.html")]
struct RegionPage {
    ctx: PageCtx,
    region: Region,
    path: Vec<Region>,
    children: Vec<Region>,
    departments: Vec<Department>,
}

impl RegionPage {
    fn may_import(&self) -> bool {
        self.ctx.actor.can(perm::ADMIN_ORG)
    }
}

async fn own_region(ctx: PageCtx) -> Redirect {
    Redirect::to(&format!("/admin/regions/{}", ctx.actor.region_code))
}

async fn region_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> AppResult<RegionPage> {
    let scope = ctx.actor.scope();
    let region = store::get(&state.db, &scope, &code).await?;
    let path = store::ancestors(&state.db, &code)
        .await?
        .into_iter()
        .filter(|r| scope.contains(&r.code))
        .collect();
    let children = store::children(&state.db, &scope, &code).await?;
    let departments = crate::org::store::all(&state.db, &crate::access::Scope::of(&code))
        .await?
        .into_iter()
        .filter(|d| d.region_code == code)
        .collect();
    Ok(RegionPage {
        ctx,
        region,
        path,
        children,
        departments,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/import.html")]
struct ImportPage {
    ctx: PageCtx,
    errors: Vec<RowError>,
    message: Option<String>,
}

async fn import_page(ctx: PageCtx) -> AppResult<ImportPage> {
    ctx.actor.require(perm::ADMIN_ORG)?;
    Ok(ImportPage {
        ctx,
        errors: Vec::new(),
        message: None,
    })
}

#[derive(Default)]
struct ImportForm {
    fields: std::collections::HashMap<String, String>,
    townships: Vec<u8>,
    villages: Vec<u8>,
}

async fn read_form(mut multipart: Multipart) -> AppResult<ImportForm> {
    let mut form = ImportForm::default();
    let malformed = |_| AppError::bad_request("malformed_form", "上传内容格式不正确");
    while let Some(field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(malformed)?.to_vec();
        match name.as_str() {
            "townships" => form.townships = bytes,
            "villages" => form.villages = bytes,
            _ => {
                form.fields
                    .insert(name, String::from_utf8_lossy(&bytes).trim().to_string());
            }
        }
    }
    Ok(form)
}

async fn import_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    multipart: Multipart,
) -> AppResult<Response> {
    ctx.actor.require(perm::ADMIN_ORG)?;
    let form = read_form(multipart).await?;
    let field = |k: &str| form.fields.get(k).cloned().unwrap_or_default();
    let header = CountyHeader {
        province: (field("province_code"), field("province_name")),
        city: (field("city_code"), field("city_name")),
        county: (field("county_code"), field("county_name")),
    };
    let year = field("year").parse::<i32>().unwrap_or(2023);
    let county_in_scope = crate::regions::RegionCode::parse(&header.county.0)
        .is_ok_and(|c| ctx.actor.scope().contains(c.as_str()));
    if !county_in_scope {
        let message = Some("只能导入您管辖范围内的县（区）".to_string());
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ImportPage {
                ctx,
                errors: Vec::new(),
                message,
            },
        )
            .into_response());
    }
    let rows = match parse_county_lists(&header, &form.townships, &form.villages) {
        Ok(rows) => rows,
        Err(errors) => {
            let message = Some(format!("发现 {} 处错误，未导入任何数据", errors.len()));
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                ImportPage {
                    ctx,
                    errors,
                    message,
                },
            )
                .into_response());
        }
    };
    apply(
        &state.db,
        &header,
        &rows,
        year,
        (&ctx.actor).into(),
        state.now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/regions/{}?done=imported", header.county.0)).into_response())
}
