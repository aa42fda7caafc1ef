//! Contact pages: list with search and XLSX export, create, edit, void.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sea_orm::EntityTrait;
use serde::Deserialize;
use uuid::Uuid;

use super::ROLES;
use super::store::{self, Contact, ContactFilter, ContactInput};
use crate::error::{AppError, AppResult};
use crate::regions::Level;
use crate::regions::store::Region;
use crate::web::form::{Form, FormErrors, Path, Query};
use crate::web::paging::{PageOf, Paging, page_link};
use crate::web::{AppState, PageCtx, xlsx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(list_page))
        .route("/contacts/export", get(export))
        .route("/contacts/new", get(new_page).post(create))
        .route("/contacts/{id}/edit", get(edit_page).post(update))
        .route("/contacts/{id}/void", post(void))
}

fn require_view(ctx: &PageCtx) -> AppResult<()> {
    if super::may_view(&ctx.actor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/list.html")]
struct ListPage {
    ctx: PageCtx,
    filter: ContactFilter,
    page: PageOf<Contact>,
    query: String,
    roles: &'static [(&'static str, &'static str)],
    townships: Vec<Region>,
    names: std::collections::HashMap<String, String>,
}

impl ListPage {
    /// Where a person answers for, by name (the code when the region is unknown).
    fn region(&self, code: &str) -> String {
        self.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    fn link(&self, page: u64) -> String {
        page_link(&self.query, page)
    }

    fn export_link(&self) -> String {
        format!("/contacts/export?{}", self.query)
    }

    fn is_role(&self, code: &str) -> bool {
        self.filter.role.as_deref() == Some(code)
    }

    fn is_region(&self, code: &str) -> bool {
        self.filter.region.as_deref() == Some(code)
    }

    fn may_edit(&self) -> bool {
        super::may_edit(&self.ctx.actor)
    }
}

async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<ContactFilter>,
    Query(paging): Query<Paging>,
    RawQuery(query): RawQuery,
) -> AppResult<ListPage> {
    require_view(&ctx)?;
    let scope = ctx.actor.scope();
    let page = store::list(&state.db, &scope, &filter, paging).await?;
    let townships = crate::regions::store::list_level(&state.db, &scope, Level::Township).await?;
    let names = crate::regions::store::short_names(
        &state.db,
        page.items.iter().map(|c| c.region_code.clone()),
    )
    .await?;
    Ok(ListPage {
        ctx,
        filter,
        page,
        query: query.unwrap_or_default(),
        roles: ROLES,
        townships,
        names,
    })
}

/// The filtered list as XLSX (up to 10 000 rows).
async fn export(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(filter): Query<ContactFilter>,
) -> AppResult<Response> {
    require_view(&ctx)?;
    let scope = ctx.actor.scope();
    let mut rows = Vec::new();
    for page in 1.. {
        let paging = Paging {
            page: Some(page),
            per_page: Some(200),
        };
        let found = store::list(&state.db, &scope, &filter, paging).await?;
        let names = crate::regions::store::short_names(
            &state.db,
            found.items.iter().map(|c| c.region_code.clone()),
        )
        .await?;
        rows.extend(found.items.iter().map(|c| {
            vec![
                c.name.clone(),
                c.role_label.to_string(),
                c.post.clone().unwrap_or_default(),
                c.mobile.clone().unwrap_or_default(),
                c.email.clone().unwrap_or_default(),
                names.get(&c.region_code).cloned().unwrap_or_default(),
                c.region_code.clone(),
            ]
        }));
        if !found.has_next() || rows.len() >= 10_000 {
            break;
        }
    }
    let headers = [
        "姓名",
        "职责",
        "职务",
        "手机",
        "电子邮箱",
        "负责区域",
        "区划代码",
    ];
    let bytes = xlsx::workbook("责任人通讯录", &headers, &rows)?;
    Ok(xlsx::download("责任人通讯录.xlsx", bytes))
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/form.html")]
struct FormPage {
    ctx: PageCtx,
    editing: Option<Contact>,
    input: ContactInput,
    errors: FormErrors,
    regions: Vec<Region>,
    roles: &'static [(&'static str, &'static str)],
}

impl FormPage {
    fn is_role(&self, code: &str) -> bool {
        self.input.role.as_deref() == Some(code)
    }

    fn is_region(&self, code: &str) -> bool {
        self.input.region_code.as_deref() == Some(code)
    }
}

async fn form_page(
    state: &AppState,
    ctx: PageCtx,
    editing: Option<Contact>,
    input: ContactInput,
    errors: FormErrors,
) -> AppResult<FormPage> {
    if !super::may_edit(&ctx.actor) {
        return Err(AppError::Forbidden);
    }
    // Ordered by code, so each village follows its township.
    let mut regions = crate::regions::store::in_scope(&state.db, &ctx.actor.scope()).await?;
    regions.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(FormPage {
        ctx,
        editing,
        input,
        errors,
        regions,
        roles: ROLES,
    })
}

async fn new_page(State(state): State<AppState>, ctx: PageCtx) -> AppResult<FormPage> {
    let input = ContactInput {
        region_code: Some(ctx.actor.region_code.clone()),
        ..Default::default()
    };
    form_page(&state, ctx, None, input, FormErrors::default()).await
}

async fn create(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(input): Form<ContactInput>,
) -> AppResult<Response> {
    match store::create(&state, &ctx.actor, &input).await {
        Ok(_) => Ok(Redirect::to("/contacts?done=created").into_response()),
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
    let contact = store::get(&state.db, &ctx.actor.scope(), id).await?;
    let username = match contact.user_id {
        Some(user) => crate::auth::entity::user::Entity::find_by_id(user)
            .one(&state.db)
            .await?
            .map(|u| u.username),
        None => None,
    };
    let input = ContactInput {
        name: Some(contact.name.clone()),
        role: Some(contact.role.clone()),
        region_code: Some(contact.region_code.clone()),
        post: contact.post.clone(),
        mobile: contact.mobile.clone(),
        email: contact.email.clone(),
        username,
        department_id: contact.department_id,
        note: contact.note.clone(),
        sort: Some(contact.sort),
        version: Some(contact.version),
    };
    form_page(&state, ctx, Some(contact), input, FormErrors::default()).await
}

async fn update(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<Uuid>,
    Form(input): Form<ContactInput>,
) -> AppResult<Response> {
    match store::update(&state, &ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to("/contacts?done=saved").into_response()),
        Err(err) => {
            let errors = FormErrors::from_error(err)?;
            let contact = store::get(&state.db, &ctx.actor.scope(), id).await?;
            let page = form_page(&state, ctx, Some(contact), input, errors).await?;
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
    Ok(Redirect::to("/contacts?done=voided"))
}
