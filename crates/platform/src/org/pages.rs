//! Department pages: list with search and XLSX export, create, edit, void.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;

use super::COMMITTEES;
use super::store::{self, Department, DepartmentFilter, DepartmentInput};
use crate::access::perm;
use crate::error::AppResult;
use crate::regions::store::Region;
use crate::web::form::{Form, FormErrors, Path, Query};
use crate::web::paging::{PageOf, Paging, page_link};
use crate::web::{AppState, PageCtx, xlsx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/departments", get(list_page))
        .route("/admin/departments/export", get(export))
        .route("/admin/departments/new", get(new_page).post(create))
        .route("/admin/departments/{id}/edit", get(edit_page).post(update))
        .route("/admin/departments/{id}/void", post(void))
}

#[derive(Template, WebTemplate)]
#[template(path = "org/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: DepartmentFilter,
    page: PageOf<Department>,
    query: String,
    committees: &'static [(&'static str, &'static str)],
}

impl ListPage {
    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/admin/departments/export?{}", self.query)
    }

    fn is_committee(&self, code: &str) -> bool {
        self.filter.committee.as_deref() == Some(code)
    }

    fn may_edit(&self) -> bool {
        self.ctx.actor.can(perm::ADMIN_ORG)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<DepartmentFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    let page = store::list(&state.db, &ctx.actor.scope(), &filter, paging).await?;
    Ok(ListPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        committees: COMMITTEES,
    })
}

/// The filtered list as XLSX (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<DepartmentFilter>,
) -> AppResult<Response> {
    let paging = Paging {
        page: Some(1),
        per_page: None,
    };
    let mut rows = Vec::new();
    let mut page = store::list(&state.db, &ctx.actor.scope(), &filter, paging).await?;
    let mut next = 2;
    loop {
        rows.extend(page.items.iter().map(|d| {
            vec![
                d.name.clone(),
                d.committee_labels(),
                d.liaison_name.clone().unwrap_or_default(),
                d.liaison_phone.clone().unwrap_or_default(),
                d.duty_phone.clone().unwrap_or_default(),
                d.region_code.clone(),
                if d.voided {
                    "已作废".to_string()
                } else {
                    "正常".to_string()
                },
            ]
        }));
        if !page.has_next() || rows.len() >= 10_000 {
            break;
        }
        page = store::list(
            &state.db,
            &ctx.actor.scope(),
            &filter,
            Paging {
                page: Some(next),
                per_page: Some(200),
            },
        )
        .await?;
        next += 1;
    }
    let headers = [
        "部门名称",
        "所属议事协调机构",
        "联络员",
        "联络员电话",
        "值班电话",
        "区划代码",
        "状态",
    ];
    let bytes = xlsx::workbook("部门单位", &headers, &rows)?;
    Ok(xlsx::download("部门单位.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "org/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Department>,
    input: DepartmentInput,
    errors: FormErrors,
    regions: Vec<Region>,
    committees: &'static [(&'static str, &'static str)],
}

impl FormPage {
    fn in_committee(&self, code: &str) -> bool {
        self.input.committees.iter().any(|c| c == code)
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Department>,
    input: DepartmentInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    ctx.actor.require(perm::ADMIN_ORG)?;
    let scope = ctx.actor.scope();
    let mut regions = Vec::new();
    for level in [
        crate::regions::Level::County,
        crate::regions::Level::Township,
    ] {
        regions.extend(crate::regions::store::list_level(&state.db, &scope, level).await?);
    }
    if regions.is_empty() {
        regions.extend(crate::regions::store::find(&state.db, &ctx.actor.region_code).await?);
    }
    Ok(FormPage {
        ctx,
        editing,
        input,
        errors,
        regions,
        committees: COMMITTEES,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    let input = DepartmentInput {
        region_code: ctx.actor.region_code.clone(),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<DepartmentInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/admin/departments?done=created").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let page = form_page(&state, ctx, None, input, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn edit_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
) -> AppResult<FormPage> {
    let dept = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let input = DepartmentInput {
        name: dept.name.clone(),
        region_code: dept.region_code.clone(),
        committees: dept.committees.clone(),
        liaison_name: dept.liaison_name.clone(),
        liaison_phone: dept.liaison_phone.clone(),
        duty_phone: dept.duty_phone.clone(),
        sort: Some(dept.sort),
        version: Some(dept.version),
    };
    form_page(&state, ctx, Some(dept), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<DepartmentInput>,
) -> AppResult<Response> {
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/admin/departments?done=saved").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let dept = store::get(&state.db, &ctx.actor.scope(), id).await?;
            let page = form_page(&state, ctx, Some(dept), input, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Deserialize)]
struct VoidForm {
    reason: String,
}

async fn void(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(form): Form<VoidForm>,
) -> AppResult<Redirect> {
    store::void(&state, &ctx.actor, id, &form.reason).await?;
    Ok(Redirect::to("/admin/departments?done=voided"))
}
